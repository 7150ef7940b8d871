using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using TorchHub.Archives;
using TorchHub.Cache;
using TorchHub.Downloads;
using TorchHub.Errors;
using TorchHub.Feedback;
using TorchHub.Http;

namespace TorchHub.Runtime;

/// <summary>What to install, from where, into where.</summary>
public sealed record RuntimeInstallRequest
{
    /// <summary>The runtime folder; null: <see cref="RuntimeFolder.Default"/>.</summary>
    public string? Path { get; init; }

    /// <summary>A NuGet v3 service index; null: TORCHHUB_RUNTIME_FEED, else nuget.org.</summary>
    public string? Source { get; init; }

    /// <summary>Send no request: succeed only when everything is installed (TORCHHUB_OFFLINE=1 too).</summary>
    public bool Offline { get; init; }

    /// <summary>Download and unpack again even when installed.</summary>
    public bool Force { get; init; }

    /// <summary>The platform to install for; null: this process's.</summary>
    public RuntimePlatform? Platform { get; init; }

    /// <summary>The packages; null: <see cref="RuntimePackages.For"/> the platform (tests pass others).</summary>
    internal IReadOnlyList<RuntimePackage>? Packages { get; init; }
}

/// <summary>
/// Installs TorchSharp's native library and libtorch-cpu for one platform from a NuGet v3 feed
/// into a runtime folder: per package, under a cross-process lock, it downloads the .nupkg with
/// TorchHub's downloader (resumable, retried, progress), checks its SHA-512 against the pinned
/// one (and the feed's published one when it has it), unpacks it with the safe zip extractor
/// into a staging folder on the same file system and moves it into place, the marker last. An
/// interrupted or failed install leaves no package folder behind, only a partial download that
/// the next run resumes.
/// </summary>
internal sealed class RuntimeInstaller
{
    private const string WorkFolder = ".torchhub";
    private readonly IHubFeedback _feedback;
    private readonly DownloadOptions _downloads;
    private readonly RedirectFollower _http;

    private readonly LockOptions _locks;

    public RuntimeInstaller(IHubFeedback feedback, DownloadOptions downloads, RedirectFollower http, LockOptions locks)
    {
        _locks = locks;
        _feedback = feedback;
        _downloads = downloads;
        _http = http;
    }

    /// <summary>The packages <paramref name="request"/> would download (not installed yet, or all with Force).</summary>
    public static IReadOnlyList<RuntimePackage> Plan(RuntimeInstallRequest request, out RuntimeFolder folder, out RuntimePlatform platform)
    {
        platform = request.Platform ?? RuntimePlatform.Current;
        folder = request.Path is { Length: > 0 } path ? new RuntimeFolder(path) : RuntimeFolder.Default;
        var missing = new List<RuntimePackage>();
        foreach (var package in request.Packages ?? RuntimePackages.For(platform))
        {
            if (request.Force || !folder.IsInstalled(package)) missing.Add(package);
        }
        return missing;
    }

    public async Task<HubRuntime> InstallAsync(RuntimeInstallRequest request, CancellationToken cancellationToken)
    {
        var missing = Plan(request, out var folder, out var platform);
        if (missing.Count == 0)
        {
            _feedback.Verbose($"The runtime for {platform.Rid} is installed in {folder.Path}.");
            return HubRuntime.Read(folder, platform, request.Packages);
        }
        if (request.Offline || _http.Options.Offline)
            throw new HubException(HubErrorIds.OfflineCacheMiss, HubErrorCategory.ObjectNotFound,
                $"Offline, and {string.Join(", ", missing)} is not installed in {folder.Path}.", folder.Path)
            {
                RecommendedAction = $"Run Install-HubRuntime once with the network (without -Offline or {OfflineMode.Variable}).",
            };

        CreateFolder(Path.Combine(folder.Path, WorkFolder), folder);
        var feed = await NuGetFeed.OpenAsync(NuGetFeed.ResolveSource(request.Source), cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < missing.Count; i++)
            await InstallPackageAsync(feed, folder, missing[i], request.Force, i, missing.Count, cancellationToken).ConfigureAwait(false);
        return HubRuntime.Read(folder, platform, request.Packages);
    }

    private async Task InstallPackageAsync(NuGetFeed feed, RuntimeFolder folder, RuntimePackage package, bool force,
        int index, int count, CancellationToken cancellationToken)
    {
        var uri = feed.PackageUri(package);
        var published = await feed.TryGetPublishedHashAsync(package, cancellationToken).ConfigureAwait(false);
        if (published is not null && published != package.Sha512)
            throw HashMismatch(package, uri, $"the feed publishes SHA-512 {published}");
        _feedback.Verbose(published is null
            ? $"{feed.Source} publishes no hash for {package}; the download is checked against the pinned SHA-512."
            : $"{feed.Source} publishes the pinned SHA-512 for {package}.");

        // The .nupkg sits in the runtime folder only while it is checked and unpacked; its partial
        // download, resume state and lock live in .torchhub beside it (WorkPaths).
        var paths = new WorkPaths(Path.Combine(folder.Path, $"{package.LowerId}.{package.Version}.nupkg"));
        using var held = await FileLock.AcquireAsync(paths.Lock, _feedback.Verbose, cancellationToken, _locks).ConfigureAwait(false);
        if (!force && folder.IsInstalled(package)) return; // another process installed it while we waited

        const int activity = 41;
        var activityName = $"Installing the TorchHub runtime ({index + 1}/{count})";
        var downloader = new FileDownloader(_downloads, _http, _feedback.Verbose);
        _feedback.Verbose($"Downloading {uri}.");
        var lastPercent = -2;
        try
        {
            await downloader.DownloadAsync(uri, paths, Array.Empty<string>(), (received, total) =>
            {
                var percent = total > 0 ? (int)(received * 100 / total.Value) : -1;
                if (percent == lastPercent) return;
                lastPercent = percent;
                var size = total > 0 ? $"{received >> 20} of {total.Value >> 20} MB" : $"{received >> 20} MB";
                _feedback.Progress(new HubProgress(activity, activityName, $"Downloading {package}: {size}", percent));
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpStatusException ex) when (ex.Status is 404 or 410)
        {
            throw new HubException(HubErrorIds.RuntimePackageNotFound, HubErrorCategory.ObjectNotFound,
                $"The feed {feed.Source} does not have {package} ({uri} answered {ex.Status}).", uri.ToString(), ex)
            {
                RecommendedAction = "Use a feed that mirrors nuget.org's TorchSharp packages (-Source or TORCHHUB_RUNTIME_FEED).",
            };
        }
        catch (HttpStatusException ex)
        {
            throw ex.Error;
        }

        try
        {
            var actual = await Sha512Async(paths.Destination, cancellationToken).ConfigureAwait(false);
            if (actual != package.Sha512) throw HashMismatch(package, uri, $"the download has SHA-512 {actual}");

            var staging = Path.Combine(folder.Path, WorkFolder, $"staging-{package.LowerId}-{Guid.NewGuid():N}");
            try
            {
                _feedback.Progress(new HubProgress(activity, activityName, $"Unpacking {package}"));
                SafeZipExtractor.Extract(paths.Destination, staging, progress: (done, total) =>
                    _feedback.Progress(new HubProgress(activity, activityName, $"Unpacking {package}: {done} of {total} files", total > 0 ? done * 100 / total : -1)),
                    cancellationToken: cancellationToken);
                File.WriteAllText(Path.Combine(staging, Path.GetFileName(folder.Marker(package))), package.Sha512);
                var target = folder.PackageFolder(package);
                if (Directory.Exists(target)) Directory.Delete(target, recursive: true); // incomplete (no marker) or -Force
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                Directory.Move(staging, target);
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
            {
                throw NotWritable(folder, ex);
            }
            finally
            {
                if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            }
            _feedback.Verbose($"Installed {package} into {folder.PackageFolder(package)}.");
        }
        finally
        {
            AtomicFile.TryDelete(paths.Destination); // verified and unpacked, or refused: not kept either way
            _feedback.Progress(new HubProgress(activity, activityName, "Done", Completed: true));
        }
    }

    private static async Task<string> Sha512Async(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true);
        return Convert.ToBase64String(await SHA512.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
    }

    private static void CreateFolder(string path, RuntimeFolder folder)
    {
        try
        {
            Directory.CreateDirectory(path);
            // Creating a folder can succeed where writing does not (e.g. a read-only mount of an existing tree).
            var probe = Path.Combine(path, $"write-probe-{Guid.NewGuid():N}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw NotWritable(folder, ex);
        }
    }

    private static HubException NotWritable(RuntimeFolder folder, Exception ex) =>
        new(HubErrorIds.RuntimeFolderNotWritable, HubErrorCategory.PermissionDenied,
            $"The runtime folder '{folder.Path}' cannot be written: {ex.Message}", folder.Path, ex)
        {
            RecommendedAction = $"Choose a folder you can write with -Path (and set {RuntimeFolder.Variable} to it for later sessions), or ask the admin who owns '{folder.Path}' to run Install-HubRuntime.",
        };

    private static HubException HashMismatch(RuntimePackage package, Uri uri, string what) =>
        new(HubErrorIds.RuntimePackageHashMismatch, HubErrorCategory.SecurityError,
            $"{package} from {uri} is not the package TorchHub was built against: {what}, expected {package.Sha512}. Nothing was installed.", uri.ToString())
        {
            RecommendedAction = "Check that the feed (-Source or TORCHHUB_RUNTIME_FEED) mirrors nuget.org unchanged, then run Install-HubRuntime again.",
        };
}
