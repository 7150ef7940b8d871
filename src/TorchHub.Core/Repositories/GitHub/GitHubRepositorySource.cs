using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using TorchHub.Archives;
using TorchHub.Cache;
using TorchHub.Downloads;
using TorchHub.Errors;
using TorchHub.Feedback;
using TorchHub.Http;
using TorchHub.Repositories;
using TorchHub.Repositories.Trust;

namespace TorchHub.Repositories.GitHub;

/// <summary>
/// torch.hub's <c>_get_cache_or_reload</c>: resolve the ref, check trust, use the cache, or
/// validate, download, extract and swap in, under a per-folder cross-process lock. The archive
/// is downloaded by <see cref="FileDownloader"/> (resume, timeout, retries) and extracted by
/// <see cref="SafeZipExtractor"/>.
/// </summary>
internal sealed class GitHubRepositorySource
{
    public const int DownloadActivityId = 0x7401;
    public const int ExtractActivityId = 0x7402;

    private readonly HubOptions _options;
    private readonly IHubFeedback _feedback;
    private readonly CacheLayout _layout;

    public GitHubRepositorySource(HubOptions options, CacheLayout layout)
    {
        _options = options;
        _layout = layout;
        _feedback = options.Feedback;
    }

    public HubRepository Get(RepoSpec spec, RepositoryRequest request, CancellationToken ct)
    {
        var layout = _layout;
        var http = new RedirectFollower(_options.ResolveHttp(request.Offline));
        var offline = http.Options.Offline;
        var endpoints = GitHubEndpoints.Resolve(_options, http);

        // 1. The ref: as named; else the remembered default branch when its folder is cached
        // (no request, unlike torch's probe on every call); else ask GitHub.
        var @ref = spec.Ref;
        var refIsBranch = false;
        if (@ref is null)
        {
            var remembered = layout.ReadDefaultBranch(spec);
            if (remembered is not null && (offline || !request.Force) && Directory.Exists(layout.RepositoryFolder(spec, remembered)))
            {
                @ref = remembered;
            }
            else if (offline)
            {
                // torch 2.x without network: a cached main, else master.
                @ref = layout.CachedRef(spec) ?? throw OfflineMiss(spec, layout, null, request.Offline);
            }
            else
            {
                @ref = CallerThreadFeedback.Run(_feedback, async feedback =>
                {
                    using var api = new GitHubApi(endpoints, http, RetryPipeline.Create(http.Options, feedback.Warning, $"Asking GitHub for the default branch of {spec}"));
                    return await api.GetDefaultBranchAsync(spec.Owner, spec.Name, ct).ConfigureAwait(false);
                });
                refIsBranch = true;
                _feedback.Verbose($"The default branch of {spec} is '{@ref}'.");
            }
        }
        var resolved = spec.WithRef(@ref);
        var folder = layout.RepositoryFolder(spec, @ref);

        // 2. Trust, before the cache (torch's order), on the caller's thread (it may ask).
        TrustPolicy.Ensure(layout.HubDirectory, resolved, request, _feedback, layout.Locks);
        if (refIsBranch) layout.WriteDefaultBranch(spec, @ref); // only for a trusted repository: nothing is written otherwise

        // 3. The cache.
        if (IsCacheHit(layout, folder, request))
        {
            _feedback.Verbose($"Using cache found in {folder}");
            return new HubRepository(folder, RepositorySource.GitHub, resolved) { FromCache = true };
        }
        if (offline)
            throw OfflineMiss(resolved, layout, folder, request.Offline, request.Force && Directory.Exists(folder));

        // 4. Fetch, on the thread pool, with reports forwarded to the caller's thread.
        return CallerThreadFeedback.Run(_feedback, feedback => FetchAsync(resolved, folder, request, refIsBranch, layout, endpoints, http, feedback, ct));
    }

    private async Task<HubRepository> FetchAsync(RepoSpec spec, string folder, RepositoryRequest request, bool refIsBranch,
        CacheLayout layout, GitHubEndpoints endpoints, RedirectFollower http, IHubFeedback feedback, CancellationToken ct)
    {
        var @ref = spec.Ref!;
        var folderName = Path.GetFileName(folder);
        Directory.CreateDirectory(layout.HubDirectory);
        using var folderLock = await FileLock.AcquireAsync(layout.LockFile(folderName),
            waiting => feedback.Verbose($"Fetching {spec} into {folder}: {waiting}"), ct, layout.Locks).ConfigureAwait(false);

        if (IsCacheHit(layout, folder, request))
        {
            // Another process fetched it while we waited.
            feedback.Verbose($"Using cache found in {folder}");
            return new HubRepository(folder, RepositorySource.GitHub, spec) { FromCache = true };
        }
        layout.RemoveLeftovers(folderName);
        Directory.CreateDirectory(layout.TempFolder);

        string? commit = null;
        if (!request.SkipValidation && !refIsBranch && request.Commit is null)
        {
            using var api = new GitHubApi(endpoints, http, RetryPipeline.Create(http.Options, feedback.Warning, $"Checking {spec} on GitHub"));
            commit = await RefValidator.ValidateAsync(api, endpoints, spec.Owner, spec.Name, @ref, ct).ConfigureAwait(false);
        }

        // A stable name, so a killed download resumes from its partial on the next run.
        var zip = layout.ArchivePath(folderName);
        var extracted = layout.TempPath(folderName, ".extract");
        var aside = layout.TempPath(folderName, ".old");
        try
        {
            var url = endpoints.Zipball(spec.Owner, spec.Name, request.Commit ?? @ref);
            feedback.Verbose($"Downloading: \"{SafeUrl.Display(url)}\" to {folder}");
            DownloadedFile archive;
            try
            {
                try
                {
                    archive = await DownloadArchiveAsync(url, zip, layout, spec, http, feedback, ct).ConfigureAwait(false);
                }
                catch (HttpStatusException multiple) when (multiple.Status == 300)
                {
                    // torch's rule for a name that is both a branch and a tag: the branch wins.
                    feedback.Warning($"The ref {@ref} is ambiguous: it is both a tag and a branch of {spec.Owner}/{spec.Name}. Using the branch; " +
                        $"name refs/heads/{@ref} or refs/tags/{@ref} to choose (the tag needs its own cache folder).");
                    url = endpoints.Zipball(spec.Owner, spec.Name, "refs/heads/" + @ref);
                    archive = await DownloadArchiveAsync(url, zip, layout, spec, http, feedback, ct).ConfigureAwait(false);
                }
            }
            catch (HttpStatusException notFound) when (notFound.Status is 404 or 410 && request.Commit is not null)
            {
                throw new HubException(HubErrorIds.LockedCommitNotFound, HubErrorCategory.ObjectNotFound,
                    $"The locked commit {request.Commit} of {spec} is no longer reachable in {endpoints.RepositoryPage(spec.Owner, spec.Name)} (its archive answered {notFound.Status}).", spec.ToString(), notFound)
                { RecommendedAction = "The history was rewritten or the repository moved: review the change, then update the lock file (Save-HubRepository -LockFile)." };
            }
            catch (HttpStatusException notFound) when (notFound.Status is 404 or 410)
            {
                throw request.SkipValidation || refIsBranch
                    ? new HubException(HubErrorIds.RefNotFound, HubErrorCategory.ObjectNotFound,
                        $"Cannot find {@ref} in {endpoints.RepositoryPage(spec.Owner, spec.Name)} (the archive URL answered 404)." +
                        (endpoints.HasToken ? "" : " If the repository is private, set GITHUB_TOKEN or pass -Token/-Credential."), spec.ToString(), notFound)
                    : GitHubErrors.NotFound(spec.Owner, spec.Name, endpoints.HasToken, notFound);
            }
            catch (HttpStatusException ambiguous) when (ambiguous.Status == 300)
            {
                throw new HubException(HubErrorIds.ArchiveDownloadFailed, HubErrorCategory.ProtocolError,
                    $"GitHub answered 300 (ambiguous) for refs/heads/{@ref} too.", spec.ToString(), ambiguous);
            }
            catch (HttpStatusException other)
            {
                throw other.Error;
            }

            // GitHub writes the archive's full commit into the zip comment: the commit to record, and the check for a locked one.
            string? archived;
            try
            {
                archived = CommitFromZipComment(zip);
            }
            catch (IOException)
            {
                archived = null;
            }
            if (request.Commit is not null && archived is not null && !string.Equals(archived, request.Commit, StringComparison.OrdinalIgnoreCase))
            {
                AtomicFile.TryDelete(zip);
                throw new HubException(HubErrorIds.LockedCommitMismatch, HubErrorCategory.InvalidResult,
                    $"Asked for commit {request.Commit} of {spec}, the server sent an archive of {archived}; nothing was installed.", spec.ToString());
            }
            string? top;
            try
            {
                top = Extract(zip, extracted, spec, feedback, ct);
            }
            finally
            {
                // Extracted or refused: either way this archive is done with (a corrupt one must not be resumed).
                AtomicFile.TryDelete(zip);
            }
            commit = request.Commit ?? commit ?? archived ?? ShortShaFromTopFolder(top);

            layout.WriteCommit(folderName, null); // a crash after the swap must not leave the old commit recorded
            var replaced = DirectorySwap.Replace(extracted, folder, aside);
            layout.WriteCommit(folderName, commit);
            if (replaced) TryDelete(aside);
            feedback.Verbose($"Downloaded {spec} ({archive.Length:N0} bytes{(archive.Resumed ? ", resumed" : "")}{(commit is null ? "" : ", commit " + commit)}) into {folder}");
            return new HubRepository(folder, RepositorySource.GitHub, spec) { Commit = commit, FromCache = false };
        }
        finally
        {
            TryDelete(extracted);
            TryDelete(aside);
        }
    }

    /// <summary>The archive through the downloader: its partial, resume state, timeout and retries live in <c>.torchhub/tmp</c>.</summary>
    private async Task<DownloadedFile> DownloadArchiveAsync(Uri url, string zip, CacheLayout layout, RepoSpec spec, RedirectFollower http,
        IHubFeedback feedback, CancellationToken ct)
    {
        var activity = $"Downloading {spec}";
        var downloader = new FileDownloader(_options.Downloads ?? new DownloadOptions(), http, feedback);
        try
        {
            return await downloader.DownloadAsync(url, new WorkPaths(zip, layout.TempFolder), Array.Empty<string>(), (received, total) =>
                feedback.Progress(new HubProgress(DownloadActivityId, activity,
                    total is > 0 ? $"{ByteSize.Format(received)} of {ByteSize.Format(total.Value)}" : ByteSize.Format(received),
                    total is > 0 ? (int)(received * 100 / total.Value) : -1)), ct).ConfigureAwait(false);
        }
        finally
        {
            feedback.Progress(new HubProgress(DownloadActivityId, activity, "Done", Completed: true));
        }
    }

    private static string? Extract(string zip, string target, RepoSpec spec, IHubFeedback feedback, CancellationToken ct)
    {
        var activity = $"Extracting {spec}";
        var last = DateTime.MinValue;
        try
        {
            return SafeZipExtractor.Extract(zip, target, stripTopFolder: true, (done, total) =>
            {
                var now = DateTime.UtcNow;
                if (now - last < TimeSpan.FromMilliseconds(100) && done != total) return;
                last = now;
                feedback.Progress(new HubProgress(ExtractActivityId, activity, $"{done} of {total} entries", total == 0 ? 100 : done * 100 / total));
            }, ct);
        }
        finally
        {
            feedback.Progress(new HubProgress(ExtractActivityId, activity, "Done", Completed: true));
        }
    }

    /// <summary>Cached and usable: not forced, and at the requested commit when one is asked for.</summary>
    private static bool IsCacheHit(CacheLayout layout, string folder, RepositoryRequest request) =>
        !request.Force && Directory.Exists(folder)
        && (request.Commit is null || string.Equals(layout.ReadCommit(Path.GetFileName(folder)), request.Commit, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// GitHub's archives (like <c>git archive</c> of a commit) carry the full commit SHA as the zip
    /// comment, at the end of the end-of-central-directory record.
    /// </summary>
    private static string? CommitFromZipComment(string zip)
    {
        using var stream = File.OpenRead(zip);
        var tailLength = (int)Math.Min(stream.Length, 22 + 0xFFFF);
        var tail = new byte[tailLength];
        stream.Seek(-tailLength, SeekOrigin.End);
        stream.ReadExactly(tail);
        for (var i = tailLength - 22; i >= 0; i--)
        {
            if (tail[i] != 0x50 || tail[i + 1] != 0x4b || tail[i + 2] != 0x05 || tail[i + 3] != 0x06) continue;
            var length = tail[i + 20] | (tail[i + 21] << 8);
            if (i + 22 + length != tailLength) continue;
            var comment = System.Text.Encoding.ASCII.GetString(tail, i + 22, length).Trim();
            return comment.Length == 40 && comment.AsSpan().IndexOfAnyExcept("0123456789abcdef") < 0 ? comment : null;
        }
        return null;
    }

    /// <summary>GitHub names the top folder <c>owner-repo-shortsha</c>.</summary>
    private static string? ShortShaFromTopFolder(string? top)
    {
        if (top is null) return null;
        var dash = top.LastIndexOf('-');
        var candidate = dash < 0 ? "" : top.Substring(dash + 1);
        return candidate.Length >= 7 && candidate.Length <= 40 && Uri.IsHexDigit(candidate[0]) && candidate.AsSpan().IndexOfAnyExcept("0123456789abcdef") < 0
            ? candidate : null;
    }

    private static HubException OfflineMiss(RepoSpec spec, CacheLayout layout, string? folder, bool fromSwitch, bool forced = false)
    {
        var why = fromSwitch ? "-Offline is set" : $"{OfflineMode.Variable} is set";
        var what = folder is null
            ? $"no cached folder of {spec} for its default branch ({Path.Combine(layout.HubDirectory, spec.FolderName("main"))} or ..._master)"
            : forced ? $"-Force needs to download {spec} again" : $"{spec} is not cached (expected {folder})";
        return new HubException(HubErrorIds.OfflineCacheMiss, HubErrorCategory.ResourceUnavailable,
            $"Cannot use {spec} offline: {what}, and {why}, so nothing is downloaded. Run once online (or with Save-HubRepository) to cache it.",
            spec.ToString());
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
            else if (File.Exists(path)) File.Delete(path);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
