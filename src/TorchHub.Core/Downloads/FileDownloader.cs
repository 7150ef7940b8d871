using System;
using System.Buffers;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;
using Polly;
using Polly.Retry;
using TorchHub.Errors;
using TorchHub.Http;

namespace TorchHub.Downloads;

/// <summary>
/// Downloads one URL into a <c>.partial</c> file beside the destination, hashing SHA-256 on
/// the way, resuming what an earlier run left (Range + If-Range), retrying transient failures
/// with backoff, and renaming onto the destination only when complete and verified. The
/// caller holds the destination's <see cref="DownloadLock"/>.
/// </summary>
internal sealed class FileDownloader
{
    private const int MaxRedirects = 10;
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(100);

    private readonly DownloadOptions _options;
    private readonly HttpClient _http;
    private readonly GitHubTokenPolicy _token;
    private readonly Action<string>? _verbose;

    public FileDownloader(DownloadOptions options, GitHubTokenPolicy token, Action<string>? verbose, HttpClient? http = null)
    {
        _options = options;
        _token = token;
        _verbose = verbose;
        _http = http ?? HubHttp.Client;
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
        var job = new Job(uri, paths, progress);
        job.State = PartialState.Load(paths.State, uri.AbsoluteUri);
        if (job.State is null || !File.Exists(paths.Partial))
        {
            job.State = new PartialState { Url = uri.AbsoluteUri };
            TryDelete(paths.Partial);
        }
        else
        {
            job.Resumed = true;
        }

        var pipeline = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<TransientDownloadException>(),
            MaxRetryAttempts = Math.Max(1, _options.MaxRetries),
            Delay = _options.RetryDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            OnRetry = args =>
            {
                _verbose?.Invoke($"Retrying {uri} after: {args.Outcome.Exception?.Message} (attempt {args.AttemptNumber + 2}, in {args.RetryDelay.TotalSeconds:0.#} s).");
                return default;
            },
        }).Build();

        string? sha = null;
        try
        {
            using (job)
            {
                if (_options.MaxRetries == 0) await AttemptAsync(job, cancellationToken).ConfigureAwait(false);
                else await pipeline.ExecuteAsync(async ct => await AttemptAsync(job, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                job.Report(force: true);
                sha = job.Sha256;
            }
        }
        catch (TransientDownloadException ex)
        {
            var category = ex.ErrorId switch
            {
                HubErrorIds.DownloadStalled => HubErrorCategory.OperationTimeout,
                HubErrorIds.DownloadIncomplete => HubErrorCategory.InvalidData,
                HubErrorIds.DownloadHttpError => HubErrorCategory.ResourceUnavailable,
                HubErrorIds.InvalidRangeResponse => HubErrorCategory.ProtocolError,
                HubErrorIds.RemoteFileChanged => HubErrorCategory.InvalidData,
                _ => HubErrorCategory.ConnectionError,
            };
            throw new HubException(ex.ErrorId, category, $"Downloading '{uri}' failed: {ex.Message}", uri.ToString(), ex)
            {
                RecommendedAction = File.Exists(paths.Partial) ? "Run the command again to resume from the partial download." : null,
            };
        }
        catch (IOException ex) when (IsDiskFull(ex))
        {
            throw new HubException(HubErrorIds.DiskFull, HubErrorCategory.WriteError,
                $"Downloading '{uri}' failed: the disk holding '{paths.Directory}' is full. The partial download is kept; free space and run again to resume.",
                uri.ToString(), ex);
        }

        if (sha is null)
            throw new HubException(HubErrorIds.DownloadIncomplete, HubErrorCategory.InvalidData,
                $"Downloading '{uri}' ended without the whole file ({job.Received} bytes).", uri.ToString());
        foreach (var prefix in expectedPrefixes)
        {
            if (!HashRules.Matches(sha, prefix))
            {
                TryDelete(paths.Partial);
                TryDelete(paths.State);
                throw HashRules.Mismatch(prefix, sha, uri.ToString());
            }
        }

        try
        {
            File.Move(paths.Partial, paths.Destination, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HubException(HubErrorIds.DestinationNotWritable, HubErrorCategory.WriteError,
                $"The download of '{uri}' is complete but could not be moved to '{paths.Destination}': {ex.Message}", paths.Destination, ex);
        }
        TryDelete(paths.State);
        return new DownloadedFile(job.Length, sha, job.FinalUri ?? uri, job.State.ETag, job.State.LastModified, job.Transferred, job.Resumed);
    }

    // ---- One attempt: resume from whatever the partial file and its state say. ----

    private async Task AttemptAsync(Job job, CancellationToken cancellationToken)
    {
        try
        {
            var state = job.State!;
            if (state.ChunkSize > 0 && state.Length is { } length && state.Validator is not null && File.Exists(job.Paths.Partial))
            {
                await ParallelAsync(job, job.FinalUri ?? job.Uri, length, cancellationToken).ConfigureAwait(false);
                return;
            }
            await SingleAsync(job, cancellationToken).ConfigureAwait(false);
        }
        catch (RestartException ex)
        {
            job.Restarts++;
            _verbose?.Invoke($"Starting '{job.Uri}' over: {ex.Message}");
            job.ResetData();
            if (job.Restarts > _options.MaxRestarts)
                throw new HubException(HubErrorIds.RemoteFileChanged, HubErrorCategory.InvalidData,
                    $"Downloading '{job.Uri}' failed: the file kept changing on the server ({ex.Message}).", job.Uri.ToString());
            throw new TransientDownloadException(HubErrorIds.RemoteFileChanged, ex.Message);
        }
        catch (HttpRequestException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // A body that ends early (or a connection dropped mid-body) is a truncated download, not a failed connection.
            var id = ex.HttpRequestError is HttpRequestError.ResponseEnded or HttpRequestError.InvalidResponse
                ? HubErrorIds.DownloadIncomplete : HubErrorIds.DownloadFailed;
            throw new TransientDownloadException(id, ex.Message, ex);
        }
        catch (IOException ex) when (!cancellationToken.IsCancellationRequested && !IsDiskFull(ex) && !IsLocalFileError(ex))
        {
            throw new TransientDownloadException(HubErrorIds.DownloadIncomplete, ex.Message, ex);
        }
    }

    private async Task SingleAsync(Job job, CancellationToken cancellationToken)
    {
        var state = job.State!;
        long offset = File.Exists(job.Paths.Partial) ? new FileInfo(job.Paths.Partial).Length : 0;
        if (offset > 0 && (state.Validator is null || state.ChunkSize != 0))
        {
            _verbose?.Invoke($"The partial download of '{job.Uri}' cannot be resumed safely (no ETag or Last-Modified); starting over.");
            job.ResetData();
            offset = 0;
        }
        if (state.Length is { } known && offset > known)
        {
            job.ResetData();
            offset = 0;
        }

        var probe = offset == 0 && _options.Parts > 1;
        while (true)
        {
            using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            HttpResponseMessage response;
            if (state.Length is { } len && offset == len && offset > 0)
            {
                // Everything is on disk already (a kill after the last byte): just finish the hash.
                await job.Hasher.CatchUpAsync(job.Paths.Partial, offset, cancellationToken).ConfigureAwait(false);
                job.Length = offset;
                job.Received = offset;
                return;
            }
            // Hash what is already on disk before asking, so the stall timer only runs while waiting for the server.
            await job.Hasher.CatchUpAsync(job.Paths.Partial, offset, cancellationToken).ConfigureAwait(false);
            RangeHeaderValue? range = offset > 0 ? new RangeHeaderValue(offset, null)
                : probe ? new RangeHeaderValue(0, _options.ChunkSize - 1) : null;
            response = await SendAsync(job, job.Uri, range, offset > 0 ? state.Validator : null, stall, cancellationToken).ConfigureAwait(false);
            using var _ = response;

            long start;
            long? total;
            if (response.StatusCode == HttpStatusCode.OK)
            {
                if (offset > 0) _verbose?.Invoke($"The server sent all of '{job.Uri}' instead of the rest (file changed or no range support); starting over.");
                job.ResetData();
                offset = 0;
                start = 0;
                total = response.Content.Headers.ContentLength;
                RecordValidator(state, response, total);
                probe = false;
            }
            else
            {
                var cr = response.Content.Headers.ContentRange;
                if (cr is null || cr.From is null || cr.To is null || cr.From != offset)
                    throw new RestartException($"the server answered a range request with an unexpected Content-Range '{cr}'.");
                start = cr.From.Value;
                total = cr.Length;
                if (offset > 0)
                {
                    if (state.Length is { } l && total is { } t && l != t)
                        throw new RestartException("the file's length changed on the server.");
                    if (state.ETag is { } etag && response.Headers.ETag?.ToString() is { } now && now != etag)
                        throw new RestartException("the file's ETag changed on the server.");
                }
                else
                {
                    RecordValidator(state, response, total);
                }
            }
            job.Length = total ?? -1;
            job.FinalUri = response.RequestMessage?.RequestUri ?? job.Uri;

            // Large file over a server that does ranges and names its version: go parallel.
            if (probe && total is { } size && size >= _options.ParallelThreshold && state.Validator is not null && size > _options.ChunkSize)
            {
                state.ChunkSize = _options.ChunkSize;
                state.Base = 0;
                state.Chunks = new string('0', (int)((size + state.ChunkSize - 1) / state.ChunkSize));
                EnsurePartial(job.Paths.Partial, size);
                state.Save(job.Paths.State);
                job.Received = 0;
                await job.ReceiveChunkAsync(this, response, 0, stall, cancellationToken).ConfigureAwait(false);
                await ParallelAsync(job, job.FinalUri, size, cancellationToken).ConfigureAwait(false);
                return;
            }

            if (offset == 0)
            {
                using (File.Create(job.Paths.Partial)) { }
                state.ChunkSize = 0;
                state.Chunks = null;
                state.Save(job.Paths.State);
            }
            await job.Hasher.CatchUpAsync(job.Paths.Partial, start, cancellationToken).ConfigureAwait(false);
            job.Received = start;
            var adaptive = _options.Parts == 0 && _options.AdaptiveParts > 1 && total is { } t0 && t0 - start >= _options.ParallelThreshold
                && state.Validator is not null && response.Headers.AcceptRanges.Contains("bytes");
            var (end, slow) = await StreamToFileAsync(job, response, start, adaptive, stall, cancellationToken).ConfigureAwait(false);
            if (slow && total is { } whole && end < whole)
            {
                // One connection is slow (a server that caps each connection): fetch the rest in parallel ranges.
                _verbose?.Invoke($"'{job.Uri}' arrives slowly over one connection; continuing with {_options.AdaptiveParts} parallel ranges.");
                response.Dispose();
                state.ChunkSize = _options.ChunkSize;
                state.Base = end;
                state.Chunks = new string('0', (int)((whole - end + state.ChunkSize - 1) / state.ChunkSize));
                EnsurePartial(job.Paths.Partial, whole);
                state.Save(job.Paths.State);
                await ParallelAsync(job, job.FinalUri ?? job.Uri, whole, cancellationToken).ConfigureAwait(false);
                return;
            }
            var expectedEnd = response.StatusCode == HttpStatusCode.PartialContent ? response.Content.Headers.ContentRange!.To!.Value + 1 : total;
            if (expectedEnd is { } e && end != e)
                throw new TransientDownloadException(HubErrorIds.DownloadIncomplete, $"the connection closed after {end} of {e} bytes.");
            if (total is null || end >= total)
            {
                job.Length = end;
                return;
            }
            // The probe range (or a short 206) ended before the file did: ask for the rest.
            offset = end;
            probe = false;
        }
    }

    /// <summary>Reads the body into the partial file at <paramref name="start"/>; returns the end offset.
    /// The network read runs ahead of the write+hash (a small bounded queue of pooled buffers) so
    /// receiving, hashing and writing overlap.</summary>
    private async Task<(long End, bool Slow)> StreamToFileAsync(Job job, HttpResponseMessage response, long start, bool adaptive,
        CancellationTokenSource stall, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        long streamed = 0;
        var slow = false;
        using var handle = File.OpenHandle(job.Paths.Partial, FileMode.Open, FileAccess.Write, FileShare.Read);
        RandomAccess.SetLength(handle, start);
        var bufferSize = _options.BufferSize;
        var queue = Channel.CreateBounded<(byte[] Buffer, int Count)>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        var position = start;

        var consumer = Task.Run(async () =>
        {
            await foreach (var (buffer, count) in queue.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                try
                {
                    RandomAccess.Write(handle, new ReadOnlySpan<byte>(buffer, 0, count), position);
                    job.Hasher.Append(buffer, count, position);
                    position += count;
                    job.Received = position;
                    job.Report();
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }, CancellationToken.None);

        Exception? failure = null;
        try
        {
            using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
                var (filled, error) = await FillAsync(body, buffer, bufferSize, stall, cancellationToken).ConfigureAwait(false);
                if (filled == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    ThrowIf(error);
                    break;
                }
                Interlocked.Add(ref job.Transferred, filled);
                streamed += filled;
                // Never blocks for long: the consumer is writing; and it must not be skipped on cancellation,
                // since these bytes belong in the partial file.
                await queue.Writer.WriteAsync((buffer, filled), CancellationToken.None).ConfigureAwait(false);
                ThrowIf(error);
                if (consumer.IsFaulted) break;
                if (adaptive && clock.Elapsed >= _options.AdaptiveAfter)
                {
                    adaptive = false; // decide once
                    if (streamed / clock.Elapsed.TotalSeconds < _options.AdaptiveBelowBytesPerSecond)
                    {
                        slow = true;
                        break;
                    }
                }
            }
        }
        catch (Exception ex)
        {
            failure = ex;
        }
        queue.Writer.TryComplete();
        try
        {
            await consumer.ConfigureAwait(false);
        }
        catch (Exception ex) when (failure is null)
        {
            failure = ex;
        }
        catch (Exception)
        {
            // The read already failed; the write failure (if any) adds nothing.
        }
        if (failure is not null)
        {
            if (failure is OperationCanceledException && !cancellationToken.IsCancellationRequested && stall.IsCancellationRequested)
                throw new TransientDownloadException(HubErrorIds.DownloadStalled, $"no data for {_options.StallTimeout.TotalSeconds:0.#} s (stall timeout).", failure);
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }
        return (position, slow);
    }

    /// <summary>
    /// Fills part of the buffer (fewer, larger writes), resetting the stall timer on every read.
    /// A failure after some bytes arrived is returned beside them, so the caller keeps those
    /// bytes (they are part of the resumable partial) before rethrowing.
    /// </summary>
    private async ValueTask<(int Filled, Exception? Error)> FillAsync(Stream body, byte[] buffer, int size, CancellationTokenSource stall, CancellationToken cancellationToken)
    {
        var filled = 0;
        var target = Math.Min(size, FillTarget);
        try
        {
            while (filled < target)
            {
                stall.CancelAfter(_options.StallTimeout);
                int n;
                try
                {
                    n = await body.ReadAsync(buffer.AsMemory(filled, size - filled), stall.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TransientDownloadException(HubErrorIds.DownloadStalled, $"no data for {_options.StallTimeout.TotalSeconds:0.#} s (stall timeout).", ex);
                }
                if (n == 0) break;
                filled += n;
            }
        }
        catch (Exception ex)
        {
            return (filled, ex);
        }
        return (filled, null);
    }

    private const int FillTarget = 256 * 1024;

    private static void ThrowIf(Exception? error)
    {
        if (error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
    }

    // ---- Parallel ranges: chunks fetched by several workers, hashed in order as they land. ----

    private async Task ParallelAsync(Job job, Uri uri, long length, CancellationToken cancellationToken)
    {
        var state = job.State!;
        var chunkSize = state.ChunkSize;
        var origin = state.Base; // bytes before it were streamed in order before switching to ranges
        var count = (int)((length - origin + chunkSize - 1) / chunkSize);
        var done = state.Chunks!.ToCharArray();
        if (done.Length != count || origin < 0 || origin > length) throw new RestartException("the resume state does not match the file length.");
        job.Length = length;
        job.Received = origin + done.Count(c => c == '1') * (long)chunkSize;
        EnsurePartial(job.Paths.Partial, length);

        using var workers = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var handle = File.OpenHandle(job.Paths.Partial, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        var signals = Enumerable.Range(0, count).Select(i => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        for (var i = 0; i < count; i++) if (done[i] == '1') signals[i].TrySetResult();
        var next = -1;
        var stateLock = new object();

        async Task Worker()
        {
            var buffer = ArrayPool<byte>.Shared.Rent(_options.BufferSize);
            try
            {
                while (true)
                {
                    int index;
                    do { index = Interlocked.Increment(ref next); } while (index < count && done[index] == '1');
                    if (index >= count) return;
                    var from = origin + (long)index * chunkSize;
                    var to = Math.Min(length, from + chunkSize) - 1;
                    using var stall = CancellationTokenSource.CreateLinkedTokenSource(workers.Token);
                    using var response = await SendAsync(job, uri, new RangeHeaderValue(from, to), state.Validator, stall, workers.Token).ConfigureAwait(false);
                    if (response.StatusCode != HttpStatusCode.PartialContent)
                        throw new RestartException("the server sent the whole file for a range request (the file changed).");
                    var cr = response.Content.Headers.ContentRange;
                    if (cr?.From != from || cr.To != to || cr.Length != length)
                        throw new RestartException($"the server answered range {from}-{to} with '{cr}'.");
                    using var body = await response.Content.ReadAsStreamAsync(workers.Token).ConfigureAwait(false);
                    var position = from;
                    while (position <= to)
                    {
                        var want = (int)Math.Min(buffer.Length, to + 1 - position);
                        var (n, error) = await FillAsync(body, buffer, want, stall, workers.Token).ConfigureAwait(false);
                        ThrowIf(error); // a chunk only counts whole; it is fetched again
                        if (n == 0) throw new TransientDownloadException(HubErrorIds.DownloadIncomplete, $"the connection closed inside range {from}-{to}.");
                        await RandomAccess.WriteAsync(handle, buffer.AsMemory(0, n), position, workers.Token).ConfigureAwait(false);
                        position += n;
                        Interlocked.Add(ref job.Transferred, n);
                        Interlocked.Add(ref job.ReceivedField, n);
                        job.Report();
                    }
                    lock (stateLock)
                    {
                        done[index] = '1';
                        state.Chunks = new string(done);
                        state.Save(job.Paths.State);
                    }
                    signals[index].TrySetResult();
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        async Task Hash()
        {
            var position = job.Hasher.Position;
            var first = position >= origin && (position - origin) % chunkSize == 0 ? (int)((position - origin) / chunkSize) : 0;
            for (var i = first; i < count; i++)
            {
                await signals[i].Task.WaitAsync(workers.Token).ConfigureAwait(false);
                var from = origin + (long)i * chunkSize;
                // Everything before chunk i is on disk (earlier chunks are done, the streamed prefix too).
                if (job.Hasher.Position != from) await job.Hasher.CatchUpAsync(job.Paths.Partial, from, workers.Token).ConfigureAwait(false);
                await job.Hasher.AppendFromAsync(handle, from, Math.Min(length, from + chunkSize) - from, workers.Token).ConfigureAwait(false);
            }
        }

        var tasks = Enumerable.Range(0, Math.Max(1, Math.Min(_options.Parts > 1 ? _options.Parts : _options.AdaptiveParts, count))).Select(_ => Task.Run(Worker)).ToList();
        var hashing = Task.Run(Hash);
        var all = Task.WhenAll(tasks);
        try
        {
            await all.ConfigureAwait(false);
        }
        catch
        {
            workers.Cancel();
            try { await hashing.ConfigureAwait(false); } catch (OperationCanceledException) { }
            var first = all.Exception?.InnerExceptions.FirstOrDefault(e => e is not OperationCanceledException) ?? all.Exception?.InnerException;
            if (first is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
            throw;
        }
        await hashing.ConfigureAwait(false);
        job.Received = length;
    }

    // ---- HTTP: redirects, token, status codes. ----

    private async Task<HttpResponseMessage> SendAsync(Job job, Uri uri, RangeHeaderValue? range, string? ifRange,
        CancellationTokenSource stall, CancellationToken cancellationToken)
    {
        var current = uri;
        for (var hop = 0; hop <= MaxRedirects; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            request.Headers.UserAgent.ParseAdd(_options.UserAgent);
            request.Headers.AcceptEncoding.ParseAdd("identity");
            if (range is not null) request.Headers.Range = range;
            if (range is not null && ifRange is not null)
            {
                request.Headers.IfRange = ifRange.StartsWith('"') ? new RangeConditionHeaderValue(EntityTagHeaderValue.Parse(ifRange))
                    : new RangeConditionHeaderValue(DateTimeOffset.Parse(ifRange, System.Globalization.CultureInfo.InvariantCulture));
            }
            if (_token.Applies(current)) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token.Token);

            HttpResponseMessage response;
            stall.CancelAfter(_options.StallTimeout);
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stall.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TransientDownloadException(HubErrorIds.DownloadStalled, $"no response for {_options.StallTimeout.TotalSeconds:0.#} s (stall timeout).", ex);
            }

            var status = (int)response.StatusCode;
            if (status is 301 or 302 or 303 or 307 or 308 && response.Headers.Location is { } location)
            {
                response.Dispose();
                var target = location.IsAbsoluteUri ? location : new Uri(current, location);
                if (current.Scheme == Uri.UriSchemeHttps && target.Scheme != Uri.UriSchemeHttps)
                    throw new HubException(HubErrorIds.DownloadHttpError, HubErrorCategory.SecurityError,
                        $"'{job.Uri}' redirects from HTTPS to '{target}'; refusing the insecure redirect.", job.Uri.ToString());
                if (target.Scheme != Uri.UriSchemeHttp && target.Scheme != Uri.UriSchemeHttps)
                    throw new HubException(HubErrorIds.UnsupportedUriScheme, HubErrorCategory.InvalidData,
                        $"'{job.Uri}' redirects to '{target}', which is not an HTTP(S) address.", job.Uri.ToString());
                current = target;
                continue;
            }
            if (status is 200 or 206)
            {
                if (response.Content.Headers.ContentType?.MediaType is "text/html" && !LooksLikeHtmlName(job.Paths.Destination))
                {
                    response.Dispose();
                    throw new HubException(HubErrorIds.UnexpectedHtmlResponse, HubErrorCategory.InvalidData,
                        $"'{job.Uri}' returned an HTML page, not the file '{Path.GetFileName(job.Paths.Destination)}'. It may be a web page about the file (a GitHub 'blob' page, a login or error page).",
                        job.Uri.ToString())
                    {
                        RecommendedAction = "Use the file's direct download address (on GitHub: the 'raw' or release-download URL).",
                    };
                }
                return response;
            }
            if (status == 416 && range is not null)
            {
                response.Dispose();
                throw new RestartException("the server refused the range (416).");
            }

            var reason = $"{status} {response.ReasonPhrase}".Trim();
            response.Dispose();
            if (status is 404 or 410)
                throw new HubException(HubErrorIds.DownloadNotFound, HubErrorCategory.ObjectNotFound,
                    $"'{job.Uri}' was not found on the server ({reason}).", job.Uri.ToString());
            if (status is 408 or 425 or 429 or >= 500)
                throw new TransientDownloadException(HubErrorIds.DownloadHttpError, $"the server answered {reason}.");
            throw new HubException(HubErrorIds.DownloadHttpError, status is 401 or 403 ? HubErrorCategory.PermissionDenied : HubErrorCategory.InvalidResult,
                $"Downloading '{job.Uri}' failed: the server answered {reason}.", job.Uri.ToString())
            {
                RecommendedAction = status is 401 or 403 ? "For a private GitHub file, set GITHUB_TOKEN (sent only to GitHub hosts)." : null,
            };
        }
        throw new HubException(HubErrorIds.TooManyRedirects, HubErrorCategory.ProtocolError,
            $"'{job.Uri}' redirected more than {MaxRedirects} times.", job.Uri.ToString());
    }

    private static void RecordValidator(PartialState state, HttpResponseMessage response, long? total)
    {
        state.ETag = response.Headers.ETag?.ToString();
        state.LastModified = response.Content.Headers.LastModified?.ToString("R");
        state.Length = total;
    }

    private static bool LooksLikeHtmlName(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".html" or ".htm" or ".xhtml";

    private static void EnsurePartial(string path, long length)
    {
        using var handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        if (RandomAccess.GetLength(handle) != length) RandomAccess.SetLength(handle, length);
    }

    internal static bool IsDiskFull(Exception ex) =>
        ex is IOException io && (io.HResult is 28 or 0x70 or unchecked((int)0x80070070) or 0x27 or unchecked((int)0x80070027)
            || io.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase)
            || io.Message.Contains("not enough space", StringComparison.OrdinalIgnoreCase));

    private static bool IsLocalFileError(IOException ex) =>
        ex is FileNotFoundException or DirectoryNotFoundException or PathTooLongException;

    internal static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private sealed class RestartException : Exception
    {
        public RestartException(string message) : base(message) { }
    }

    /// <summary>The state of one download across its attempts.</summary>
    private sealed class Job : IDisposable
    {
        private readonly ProgressHandler? _progress;
        private long _lastReport;
        public long ReceivedField;

        public Job(Uri uri, WorkPaths paths, ProgressHandler? progress)
        {
            Uri = uri;
            Paths = paths;
            _progress = progress;
        }

        public Uri Uri { get; }
        public WorkPaths Paths { get; }
        public PartialState? State { get; set; }
        public Uri? FinalUri { get; set; }
        public long Length { get; set; } = -1;
        public long Received { get => Interlocked.Read(ref ReceivedField); set => Interlocked.Exchange(ref ReceivedField, value); }
        public long Transferred;
        public int Restarts { get; set; }
        public bool Resumed { get; set; }
        public OrderedHasher Hasher { get; } = new();
        public string? Sha256 => Hasher.Position == (Length < 0 ? Received : Length) ? Hasher.Finish() : null;

        public void ResetData()
        {
            TryDelete(Paths.Partial);
            // Cleared in place: callers hold references to the same state object.
            State ??= new PartialState { Url = Uri.AbsoluteUri };
            State.ETag = null;
            State.LastModified = null;
            State.Length = null;
            State.ChunkSize = 0;
            State.Chunks = null;
            TryDelete(Paths.State);
            Hasher.Reset();
            Received = 0;
            Resumed = false;
        }

        public void Report(bool force = false)
        {
            if (_progress is null) return;
            var now = Stopwatch.GetTimestamp();
            var last = Interlocked.Read(ref _lastReport);
            if (!force && Stopwatch.GetElapsedTime(last, now) < ProgressInterval) return;
            if (Interlocked.CompareExchange(ref _lastReport, now, last) != last && !force) return;
            _progress(Received, Length < 0 ? null : Length);
        }

        public async Task ReceiveChunkAsync(FileDownloader owner, HttpResponseMessage response, int index, CancellationTokenSource stall, CancellationToken ct)
        {
            // The probe's 206 body is chunk 0 of parallel mode.
            using var handle = File.OpenHandle(Paths.Partial, FileMode.Open, FileAccess.Write, FileShare.Read);
            using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            var buffer = ArrayPool<byte>.Shared.Rent(owner._options.BufferSize);
            try
            {
                var end = Math.Min(Length, (long)State!.ChunkSize);
                long position = 0;
                while (position < end)
                {
                    var (n, error) = await owner.FillAsync(body, buffer, (int)Math.Min(buffer.Length, end - position), stall, ct).ConfigureAwait(false);
                    ThrowIf(error);
                    if (n == 0) throw new TransientDownloadException(HubErrorIds.DownloadIncomplete, "the connection closed inside the first range.");
                    RandomAccess.Write(handle, new ReadOnlySpan<byte>(buffer, 0, n), position);
                    position += n;
                    Interlocked.Add(ref Transferred, n);
                    Received = position;
                    Report();
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            var chunks = State.Chunks!.ToCharArray();
            chunks[index] = '1';
            State.Chunks = new string(chunks);
            State.Save(Paths.State);
        }

        public void Dispose() => Hasher.Dispose();
    }
}

/// <summary>
/// SHA-256 over the file in order. Data streamed in order is hashed from memory; after a
/// resume (or in parallel mode) the missing prefix is read back from the partial file, so the
/// digest is always of the bytes on disk.
/// </summary>
internal sealed class OrderedHasher : IDisposable
{
    private IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private string? _final;

    public long Position { get; private set; }

    public void Reset()
    {
        _hash.Dispose();
        _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Position = 0;
        _final = null;
    }

    public void Append(byte[] buffer, int count, long at)
    {
        if (at != Position) throw new InvalidOperationException($"Hash out of order: at {at}, expected {Position}.");
        _hash.AppendData(buffer, 0, count);
        Position += count;
    }

    /// <summary>Hashes the partial file's bytes from <see cref="Position"/> up to <paramref name="upTo"/>.</summary>
    public async Task CatchUpAsync(string path, long upTo, CancellationToken cancellationToken)
    {
        if (Position > upTo) Reset();
        if (Position == upTo) return;
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        await AppendFromAsync(handle, Position, upTo - Position, cancellationToken).ConfigureAwait(false);
    }

    public async Task AppendFromAsync(SafeFileHandle handle, long from, long count, CancellationToken cancellationToken)
    {
        if (from != Position) throw new InvalidOperationException($"Hash out of order: at {from}, expected {Position}.");
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            while (count > 0)
            {
                var n = await RandomAccess.ReadAsync(handle, buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), Position, cancellationToken).ConfigureAwait(false);
                if (n == 0) throw new IOException("The partial file is shorter than its resume state says.");
                _hash.AppendData(buffer, 0, n);
                Position += n;
                count -= n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Lowercase hex digest (the hash can still be read again).</summary>
    public string Finish() => _final ??= Convert.ToHexString(_hash.GetCurrentHash()).ToLowerInvariant();

    public void Dispose() => _hash.Dispose();
}
