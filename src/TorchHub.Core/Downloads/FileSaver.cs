using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using TorchHub.Archives;
using TorchHub.Cache;
using TorchHub.Errors;
using TorchHub.Http;

namespace TorchHub.Downloads;

/// <summary>
/// Saves one URL to its destination: validates the request, reuses a file already there
/// (refusing one recorded from another URL), otherwise downloads under the destination's
/// cross-process lock, records the source, and expands legacy zips on request.
/// </summary>
internal sealed class FileSaver
{
    private readonly DownloadOptions _options;
    private readonly RedirectFollower _http;
    private readonly Action<string>? _verbose;
    private readonly string _checkpointsFolder;
    private readonly LockOptions _locks;

    public FileSaver(DownloadOptions options, RedirectFollower http, Action<string>? verbose, string checkpointsFolder, LockOptions locks)
    {
        _locks = locks;
        _options = options;
        _checkpointsFolder = checkpointsFolder;
        _http = http;
        _verbose = verbose;
    }

    /// <summary>Checks the request without touching the disk or the network (used for -WhatIf too); no destination means <paramref name="checkpointsFolder"/>.</summary>
    public static SavePlan Resolve(SaveFileRequest request, string checkpointsFolder)
    {
        var uri = ParseUri(request.Uri);
        string path;
        var destination = request.Destination is null ? null : HubDirectory.ExpandUser(request.Destination);
        if (destination is null || Directory.Exists(destination) || EndsWithSeparator(destination))
        {
            var folder = destination ?? checkpointsFolder;
            var name = request.FileName ?? NameFromUri(uri);
            ValidateName(name, uri);
            path = System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, name));
        }
        else
        {
            if (request.FileName is not null)
                throw new HubException(HubErrorIds.InvalidFileName, HubErrorCategory.InvalidArgument,
                    $"-FileName applies when the destination is a folder; '{request.Destination}' names a file.", request.FileName);
            path = System.IO.Path.GetFullPath(destination);
        }

        var prefixes = new List<string>();
        if (HashRules.NormalizePrefix(request.HashPrefix) is { } p) prefixes.Add(p);
        if (request.CheckHash) prefixes.Add(HashRules.PrefixFromFileName(System.IO.Path.GetFileName(path)));
        return new SavePlan(uri, path, prefixes);
    }

    public async Task<HubFile> SaveAsync(SaveFileRequest request, FileDownloader.ProgressHandler? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var plan = Resolve(request, _checkpointsFolder);
        var paths = new WorkPaths(plan.Path);
        CheckDestination(plan.Path);

        var reuse = request.ReuseExisting && !request.Force;
        if (reuse && File.Exists(plan.Path))
            return Finish(await ReuseAsync(plan, paths, clock, cancellationToken).ConfigureAwait(false), request, clock);

        CreateFolders(paths, plan.Uri);
        using (await FileLock.AcquireAsync(paths.Lock, _verbose, cancellationToken, _locks).ConfigureAwait(false))
        {
            // Another process may have finished it while we waited.
            if (reuse && File.Exists(plan.Path))
                return Finish(await ReuseAsync(plan, paths, clock, cancellationToken).ConfigureAwait(false), request, clock);

            CheckDestination(plan.Path); // it may have changed while we waited
            // Partials of other files abandoned for a day (a killed run, or a file torch completed meanwhile).
            // This file's own partial is kept: its lock is ours, so it counts as in use.
            LeftoverCleaner.Clean(paths.Directory, LeftoverCleaner.MaxAge, new[] { ".partial", ".partial.json" }, _locks, name =>
                System.IO.Path.Combine(paths.Directory, name[..name.LastIndexOf(".partial", StringComparison.Ordinal)] + ".lock"));
            _verbose?.Invoke($"Downloading: \"{SafeUrl.Display(plan.Uri)}\" to {plan.Path}");
            var downloader = new FileDownloader(_options, _http, _verbose);
            DownloadedFile done;
            try
            {
                done = await downloader.DownloadAsync(plan.Uri, paths, plan.Prefixes, progress, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpStatusException ex)
            {
                throw ex.Error;
            }
            new FileRecord
            {
                Url = SafeUrl.Display(plan.Uri),
                Length = done.Length,
                Sha256 = done.Sha256,
                ETag = done.ETag,
                LastModified = done.LastModified,
                SavedAt = DateTimeOffset.UtcNow,
            }.Save(paths.Record);
            var file = new HubFile(plan.Path, plan.Uri, done.Length, done.Sha256, fromCache: false, clock.Elapsed)
            {
                BytesTransferred = done.BytesTransferred,
                Resumed = done.Resumed,
            };
            return Finish(file, request, clock);
        }
    }

    /// <summary>The file is already there: check it was saved from the same URL (or adopt it) and its hash.</summary>
    private async Task<HubFile> ReuseAsync(SavePlan plan, WorkPaths paths, Stopwatch clock, CancellationToken cancellationToken)
    {
        var record = FileRecord.Load(paths.Record);
        if (record is not null && !FileRecord.SameSource(record.Url, plan.Uri))
            throw new HubException(HubErrorIds.CheckpointNameConflict, HubErrorCategory.ResourceExists,
                $"'{plan.Path}' was saved from '{record.Url}', a different URL with the same file name as '{SafeUrl.Display(plan.Uri)}'. Using it would give the wrong file.",
                SafeUrl.Display(plan.Uri))
            {
                RecommendedAction = "Save this URL under another name with -FileName (or replace the file with -Force).",
            };

        var length = new FileInfo(plan.Path).Length;
        var sha = record?.Sha256 is { } recorded && record.Length == length ? recorded : null;
        if (sha is null && plan.Prefixes.Count > 0)
        {
            _verbose?.Invoke($"Verifying the SHA-256 of '{plan.Path}', which TorchHub did not download.");
            sha = await HashFileAsync(plan.Path, cancellationToken).ConfigureAwait(false);
        }
        foreach (var prefix in plan.Prefixes)
        {
            if (!HashRules.Matches(sha!, prefix))
                throw new HubException(HubErrorIds.CachedFileHashMismatch, HubErrorCategory.InvalidResult,
                    $"invalid hash value (expected \"{prefix}\", got \"{sha}\") for the file already at '{plan.Path}'.", SafeUrl.Display(plan.Uri))
                {
                    RecommendedAction = "Download it again with -Force.",
                };
        }

        if (record is null || record.Sha256 is null && sha is not null)
        {
            try
            {
                Directory.CreateDirectory(paths.Directory);
                new FileRecord { Url = SafeUrl.Display(plan.Uri), Length = length, Sha256 = sha, SavedAt = DateTimeOffset.UtcNow, Adopted = record?.Adopted ?? true }
                    .Save(paths.Record);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A read-only cache still serves its files; the record only guards against name clashes.
                _verbose?.Invoke($"Could not record the source of '{plan.Path}': {ex.Message}");
            }
        }
        _verbose?.Invoke($"Using the file already at {plan.Path}");
        return new HubFile(plan.Path, plan.Uri, length, sha, fromCache: true, clock.Elapsed);
    }

    private static HubFile Finish(HubFile file, SaveFileRequest request, Stopwatch clock)
    {
        if (!request.Expand) return file;
        var expanded = SafeZipExtractor.TryExpandLegacyCheckpoint(file.Path, System.IO.Path.GetDirectoryName(file.Path)!);
        if (expanded is null) return file;
        return new HubFile(expanded, file.Uri, new FileInfo(expanded).Length, null, file.FromCache, clock.Elapsed)
        {
            BytesTransferred = file.BytesTransferred,
            Resumed = file.Resumed,
            ExpandedFrom = file.Path,
        };
    }

    /// <summary>
    /// The destination must be a new path or a regular file: a folder, a symbolic link (its length and
    /// target would be misreported, and replacing it is surprising), a FIFO (blocks), a device or a socket are refused.
    /// </summary>
    private static void CheckDestination(string path)
    {
        switch (FileKind.Of(path))
        {
            case FileKindValue.Directory:
                throw new HubException(HubErrorIds.DestinationIsDirectory, HubErrorCategory.InvalidArgument,
                    $"The destination '{path}' is a folder; the file cannot be saved there.", path)
                {
                    RecommendedAction = "Give a file path, or a different -FileName.",
                };
            case FileKindValue.SymbolicLink or FileKindValue.Other:
                throw new HubException(HubErrorIds.DestinationNotRegularFile, HubErrorCategory.InvalidArgument,
                    $"The destination '{path}' is {(FileKind.Of(path) == FileKindValue.SymbolicLink ? "a symbolic link" : "not a regular file (a FIFO, a device or a socket)")}; only a regular file or a new path can be a destination.", path)
                {
                    RecommendedAction = "Give the path of a regular file, or a new path.",
                };
        }
    }

    internal static async Task<string> HashFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var hash = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
        return Convert.ToHexString(hash).ToLowerInvariant();
    }

    private static void CreateFolders(WorkPaths paths, Uri uri)
    {
        try
        {
            Directory.CreateDirectory(paths.Directory);
            // Probe that we can write there before any network traffic.
            var probe = System.IO.Path.Combine(paths.Directory, ".write-test-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N"));
            File.WriteAllBytes(probe, Array.Empty<byte>());
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException && !FileDownloader.IsDiskFull(ex))
        {
            throw new HubException(HubErrorIds.DestinationNotWritable, HubErrorCategory.PermissionDenied,
                $"Cannot write to the folder of '{paths.Destination}': {ex.Message}", paths.Destination, ex);
        }
        catch (IOException ex)
        {
            throw new HubException(HubErrorIds.DiskFull, HubErrorCategory.WriteError,
                $"Cannot save '{SafeUrl.Display(uri)}': the disk holding '{paths.Destination}' is full.", SafeUrl.Display(uri), ex);
        }
    }

    private static Uri ParseUri(string text)
    {
        if (string.IsNullOrWhiteSpace(text) || !Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host) && uri.Scheme is "http" or "https")
            throw new HubException(HubErrorIds.InvalidUri, HubErrorCategory.InvalidArgument,
                $"'{text}' is not a valid absolute URL (expected http:// or https://).", text);
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            throw new HubException(HubErrorIds.UnsupportedUriScheme, HubErrorCategory.InvalidArgument,
                $"'{text}' uses the '{uri.Scheme}' scheme; only http and https URLs can be downloaded.", text)
            {
                RecommendedAction = uri.IsFile ? "Copy local files with Copy-Item." : null,
            };
        return uri;
    }

    private static string NameFromUri(Uri uri)
    {
        var segment = Uri.UnescapeDataString(uri.AbsolutePath);
        var slash = segment.LastIndexOf('/');
        var name = slash >= 0 ? segment[(slash + 1)..] : segment;
        if (name.Length == 0)
            throw new HubException(HubErrorIds.InvalidFileName, HubErrorCategory.InvalidArgument,
                $"'{uri}' has no file name at the end of its path.", uri.ToString())
            {
                RecommendedAction = "Name the file with -FileName.",
            };
        return name;
    }

    private static void ValidateName(string name, Uri uri)
    {
        if (name.Length == 0 || name is "." or ".." || name == CacheLayout.PrivateFolderName || name.IndexOfAny(System.IO.Path.GetInvalidFileNameChars()) >= 0
            || name.Contains('/') || name.Contains('\\'))
            throw new HubException(HubErrorIds.InvalidFileName, HubErrorCategory.InvalidArgument,
                $"'{name}' (for '{uri}') is not a usable file name.", name)
            {
                RecommendedAction = "Name the file with -FileName.",
            };
    }

    private static bool EndsWithSeparator(string path) =>
        path.EndsWith(System.IO.Path.DirectorySeparatorChar) || path.EndsWith(System.IO.Path.AltDirectorySeparatorChar);
}
