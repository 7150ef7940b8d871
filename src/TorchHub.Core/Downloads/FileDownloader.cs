using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using TorchHub.Cache;
using TorchHub.Errors;
using TorchHub.Feedback;
using TorchHub.Http;

namespace TorchHub.Downloads;

/// <summary>
/// Downloads one URL into a <c>.partial</c> file beside the destination, resuming what an
/// earlier run left (the partial is keyed on the URL without its query, and continued only while
/// the server's ETag or Last-Modified still matches), retrying transient failures with the one
/// retry policy, and renaming onto the destination only when complete and verified. The
/// transfer itself is <see cref="SingleStreamTransfer"/> or <see cref="ParallelRangeTransfer"/>.
/// The caller holds the destination's <see cref="FileLock"/>.
/// </summary>
internal sealed class FileDownloader
{
    private readonly DownloadOptions _options;
    private readonly RedirectFollower _http;
    private readonly IHubFeedback _feedback;

    public FileDownloader(DownloadOptions options, RedirectFollower http, IHubFeedback feedback)
    {
        _options = options;
        _http = http;
        _feedback = feedback;
    }

    /// <summary>Progress: bytes of the file present so far, and the total when known.</summary>
    public delegate void ProgressHandler(long received, long? total);

    /// <summary>
    /// Downloads <paramref name="uri"/> to <paramref name="paths"/>.Destination. Every prefix in
    /// <paramref name="expectedPrefixes"/> must match the SHA-256; on a mismatch the download is
    /// deleted. Throws <see cref="HubException"/> for everything a user can act on.
    /// </summary>
    public async Task<DownloadedFile> DownloadAsync(Uri uri, WorkPaths paths, IReadOnlyList<string> expectedPrefixes,
        ProgressHandler? progress, CancellationToken cancellationToken)
    {
        var mirror = MirrorRule.Route(_http.Options.Mirrors, uri);
        if (mirror is not null) _feedback.Verbose($"Mirror: requesting '{SafeUrl.Display(uri)}' from '{SafeUrl.Display(mirror)}'.");
        using var job = new DownloadJob(uri, paths, progress, mirror);
        if (PartialState.Load(paths.State, SafeUrl.ResumeKey(uri)) is { } saved && File.Exists(paths.Partial))
        {
            job.State = saved;
            job.Resumed = true;
        }
        else
        {
            AtomicFile.TryDelete(paths.Partial);
        }

        var requests = new DownloadRequests(_http);
        var parallel = new ParallelRangeTransfer(_options, requests);
        var single = new SingleStreamTransfer(_options, requests, parallel, _feedback.Verbose);
        var retry = RetryPipeline.Create(_http.Options, _feedback.Warning, $"Downloading '{job.DisplayUri}'");
        try
        {
            await retry.ExecuteAsync(async ct => await AttemptAsync(job, single, parallel, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            job.Report(force: true);
        }
        catch (TransientException ex)
        {
            throw new HubException(ex.ErrorId, ex.Category, $"Downloading '{job.DisplayUri}' failed: {ex.Message}", job.DisplayUri, ex)
            {
                RecommendedAction = File.Exists(paths.Partial) ? "Run the command again to resume from the partial download." : null,
            };
        }
        catch (IOException ex) when (IsDiskFull(ex))
        {
            throw new HubException(HubErrorIds.DiskFull, HubErrorCategory.WriteError,
                $"Downloading '{job.DisplayUri}' failed: the disk holding '{paths.Directory}' is full. The partial download is kept; free space and run again to resume.",
                job.DisplayUri, ex)
            {
                RecommendedAction = "Free space on that disk (or choose another destination), then run the command again to resume.",
            };
        }

        var sha = job.Sha256 ?? throw new HubException(HubErrorIds.DownloadIncomplete, HubErrorCategory.InvalidData,
            $"Downloading '{job.DisplayUri}' ended without the whole file ({job.Received} bytes).", job.DisplayUri);
        foreach (var prefix in expectedPrefixes)
        {
            if (!HashRules.Matches(sha, prefix))
            {
                AtomicFile.TryDelete(paths.Partial);
                AtomicFile.TryDelete(paths.State);
                throw HashRules.Mismatch(prefix, sha, job.DisplayUri);
            }
        }

        try
        {
            File.Move(paths.Partial, paths.Destination, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HubException(HubErrorIds.DestinationNotWritable, HubErrorCategory.WriteError,
                $"The download of '{job.DisplayUri}' is complete but could not be moved to '{paths.Destination}': {ex.Message}", paths.Destination, ex);
        }
        AtomicFile.TryDelete(paths.State);
        return new DownloadedFile(job.Length, sha, job.FinalUri ?? uri, job.State.ETag, job.State.LastModified, job.Transferred, job.Resumed);
    }

    /// <summary>One attempt: continue from whatever the partial file and its state say.</summary>
    private async Task AttemptAsync(DownloadJob job, SingleStreamTransfer single, ParallelRangeTransfer parallel, CancellationToken cancellationToken)
    {
        try
        {
            var state = job.State;
            if (state.ChunkSize > 0 && state.Length is { } length && state.Validator is not null && File.Exists(job.Paths.Partial))
                await parallel.RunAsync(job, job.FinalUri ?? job.RequestUri, length, cancellationToken).ConfigureAwait(false);
            else
                await single.RunAsync(job, cancellationToken).ConfigureAwait(false);
        }
        catch (RestartException ex)
        {
            job.Restarts++;
            _feedback.Verbose($"Starting '{job.DisplayUri}' over: {ex.Message}");
            job.ResetData();
            if (job.Restarts > _options.MaxRestarts)
                throw new HubException(HubErrorIds.RemoteFileChanged, HubErrorCategory.InvalidData,
                    $"Downloading '{job.DisplayUri}' failed: the file kept changing on the server ({ex.Message}).", job.DisplayUri);
            throw new TransientException(HubErrorIds.RemoteFileChanged, ex.Message);
        }
        catch (TransientException ex)
        {
            ex.MadeProgress = job.Advance();
            throw;
        }
        catch (HttpRequestException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // A body that ends early (or a connection dropped mid-body) is a truncated download, not a failed connection.
            var id = ex.HttpRequestError is HttpRequestError.ResponseEnded or HttpRequestError.InvalidResponse
                ? HubErrorIds.DownloadIncomplete : HubErrorIds.DownloadFailed;
            throw new TransientException(id, RedirectFollower.Innermost(ex), ex) { MadeProgress = job.Advance() };
        }
        catch (IOException ex) when (!cancellationToken.IsCancellationRequested && !IsDiskFull(ex) && !IsLocalFileError(ex))
        {
            throw new TransientException(HubErrorIds.DownloadIncomplete, ex.Message, ex) { MadeProgress = job.Advance() };
        }
    }

    /// <summary>ENOSPC / EDQUOT on Unix, ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL on Windows.</summary>
    internal static bool IsDiskFull(Exception ex) =>
        ex is IOException io && (io.HResult is 28 or 122 or 0x70 or unchecked((int)0x80070070) or 0x27 or unchecked((int)0x80070027)
            || io.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase)
            || io.Message.Contains("quota exceeded", StringComparison.OrdinalIgnoreCase)
            || io.Message.Contains("not enough space", StringComparison.OrdinalIgnoreCase));

    /// <summary>The write side failed for a local reason (not the network): never retried.</summary>
    private static bool IsLocalFileError(IOException ex) =>
        ex is FileNotFoundException or DirectoryNotFoundException or PathTooLongException;
}
