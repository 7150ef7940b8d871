using System;
using System.Buffers;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using TorchHub.Errors;

namespace TorchHub.Downloads;

/// <summary>
/// One GET streamed into the partial file, resuming from its length (Range + If-Range). The
/// network read, the file write and SHA-256 overlap: the reader fills large pooled blocks and
/// hands each to a writer and to a hasher that run beside it (each in order), so the slowest
/// stage, not their sum, sets the pace. A failing writer (a full disk) stops the reader at once.
/// It may hand over to <see cref="ParallelRangeTransfer"/>: for a large file when parts were
/// asked for, or when one connection turns out slow.
/// </summary>
internal sealed class SingleStreamTransfer
{
    /// <summary>Blocks in flight between the reader and each of the writer and the hasher.</summary>
    private const int QueueDepth = 8;

    private readonly DownloadOptions _options;
    private readonly DownloadRequests _requests;
    private readonly ParallelRangeTransfer _parallel;
    private readonly Action<string>? _verbose;

    public SingleStreamTransfer(DownloadOptions options, DownloadRequests requests, ParallelRangeTransfer parallel, Action<string>? verbose)
    {
        _options = options;
        _requests = requests;
        _parallel = parallel;
        _verbose = verbose;
    }

    private TimeSpan Timeout => _requests.Options.Timeout;

    public async Task RunAsync(DownloadJob job, CancellationToken cancellationToken)
    {
        var state = job.State;
        long offset = File.Exists(job.Paths.Partial) ? new FileInfo(job.Paths.Partial).Length : 0;
        if (offset > 0 && (state.Validator is null || state.ChunkSize != 0))
        {
            _verbose?.Invoke($"The partial download of '{job.DisplayUri}' cannot be resumed safely (no ETag or Last-Modified); starting over.");
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
            if (state.Length is { } len && offset == len && offset > 0)
            {
                // Everything is on disk already (a kill after the last byte): just finish the hash.
                await job.Hasher.CatchUpAsync(job.Paths.Partial, offset, cancellationToken).ConfigureAwait(false);
                job.Length = offset;
                job.Received = offset;
                return;
            }
            // Hash what is already on disk before asking, so the timeout only runs while waiting for the server.
            await job.Hasher.CatchUpAsync(job.Paths.Partial, offset, cancellationToken).ConfigureAwait(false);
            RangeHeaderValue? range = offset > 0 ? new RangeHeaderValue(offset, null)
                : probe ? new RangeHeaderValue(0, _options.ChunkSize - 1) : null;
            using var response = await _requests.GetAsync(job, job.RequestUri, range, offset > 0 ? state.Validator : null, cancellationToken).ConfigureAwait(false);

            long start;
            long? total;
            if (response.StatusCode == HttpStatusCode.OK)
            {
                if (offset > 0) _verbose?.Invoke($"The server sent all of '{job.DisplayUri}' instead of the rest (file changed or no range support); starting over.");
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
            job.FinalUri = response.RequestMessage?.RequestUri ?? job.RequestUri;

            // Large file over a server that does ranges and names its version: go parallel.
            if (probe && total is { } size && size >= _options.ParallelThreshold && state.Validator is not null && size > _options.ChunkSize)
            {
                _parallel.Prepare(job, size, origin: 0);
                await _parallel.ReceiveFirstChunkAsync(job, response, cancellationToken).ConfigureAwait(false);
                await _parallel.RunAsync(job, job.FinalUri, size, cancellationToken).ConfigureAwait(false);
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
            var (end, slow) = await StreamToFileAsync(job, response, start, adaptive, cancellationToken).ConfigureAwait(false);
            if (slow && total is { } whole && end < whole)
            {
                // One connection is slow (a server that caps each connection): fetch the rest in parallel ranges.
                _verbose?.Invoke($"'{job.DisplayUri}' arrives slowly over one connection; continuing with {_options.AdaptiveParts} parallel ranges.");
                response.Dispose();
                _parallel.Prepare(job, whole, origin: end);
                await _parallel.RunAsync(job, job.FinalUri ?? job.RequestUri, whole, cancellationToken).ConfigureAwait(false);
                return;
            }
            var expectedEnd = response.StatusCode == HttpStatusCode.PartialContent ? response.Content.Headers.ContentRange!.To!.Value + 1 : total;
            if (expectedEnd is { } e && end != e)
                throw new Http.TransientException(HubErrorIds.DownloadIncomplete, $"the connection closed after {end} of {e} bytes.");
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

    /// <summary>A pooled buffer shared by the writer and the hasher; back to the pool when both are done.</summary>
    private sealed class Block
    {
        private int _users = 2;

        public Block(byte[] buffer) => Buffer = buffer;

        public byte[] Buffer { get; }
        public int Count { get; set; }
        public long Offset { get; set; }

        public void Release()
        {
            if (Interlocked.Decrement(ref _users) == 0) ArrayPool<byte>.Shared.Return(Buffer);
        }
    }

    /// <summary>Streams the body into the partial file from <paramref name="start"/>; returns the end offset written, and whether the stream was judged slow.</summary>
    private async Task<(long End, bool Slow)> StreamToFileAsync(DownloadJob job, HttpResponseMessage response, long start, bool adaptive, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        long streamed = 0;
        var slow = false;
        using var handle = File.OpenHandle(job.Paths.Partial, FileMode.Open, FileAccess.Write, FileShare.Read);
        RandomAccess.SetLength(handle, start);
        var bufferSize = _options.BufferSize;
        var channelOptions = new BoundedChannelOptions(QueueDepth) { SingleReader = true, SingleWriter = true };
        var toWrite = Channel.CreateBounded<Block>(channelOptions);
        var toHash = Channel.CreateBounded<Block>(channelOptions);
        // Cancelled by Ctrl+C, and by a failing writer or hasher so the reader never waits on a queue nobody drains.
        using var pipeline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        long written = start;

        var writer = Task.Run(async () =>
        {
            try
            {
                await foreach (var block in toWrite.Reader.ReadAllAsync(pipeline.Token).ConfigureAwait(false))
                {
                    try
                    {
                        RandomAccess.Write(handle, new ReadOnlySpan<byte>(block.Buffer, 0, block.Count), block.Offset);
                    }
                    finally
                    {
                        block.Release();
                    }
                    written = block.Offset + block.Count;
                    job.Received = written;
                    job.Report();
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                pipeline.Cancel();
                throw;
            }
        }, CancellationToken.None);

        var hasher = Task.Run(async () =>
        {
            try
            {
                // Behind the file after a resume whose prefix was not hashed: that part is read back later.
                var inOrder = job.Hasher.Position == start;
                await foreach (var block in toHash.Reader.ReadAllAsync(pipeline.Token).ConfigureAwait(false))
                {
                    try
                    {
                        if (inOrder) job.Hasher.Append(block.Buffer.AsSpan(0, block.Count), block.Offset);
                    }
                    finally
                    {
                        block.Release();
                    }
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                pipeline.Cancel();
                throw;
            }
        }, CancellationToken.None);

        Exception? failure = null;
        try
        {
            using var body = await BodyReader.OpenAsync(response, Timeout, cancellationToken).ConfigureAwait(false);
            var position = start;
            while (true)
            {
                var block = new Block(ArrayPool<byte>.Shared.Rent(bufferSize));
                var (filled, error) = await body.FillAsync(block.Buffer, bufferSize).ConfigureAwait(false);
                if (filled == 0)
                {
                    ArrayPool<byte>.Shared.Return(block.Buffer);
                    BodyReader.ThrowIf(error);
                    break;
                }
                job.AddTransferred(filled);
                streamed += filled;
                block.Count = filled;
                block.Offset = position;
                position += filled;
                await Enqueue(block, toWrite, toHash, pipeline.Token).ConfigureAwait(false);
                BodyReader.ThrowIf(error);
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
        toWrite.Writer.TryComplete();
        toHash.Writer.TryComplete();
        // A writer or hasher failure is the real cause when the reader only saw the cancellation it caused.
        foreach (var stage in new[] { writer, hasher })
        {
            try
            {
                await stage.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException && (failure is null or OperationCanceledException))
            {
                failure = ex;
            }
            catch (Exception)
            {
                // The first failure is the one reported.
            }
        }
        job.Received = written;
        if (failure is not null)
        {
            if (failure is OperationCanceledException) cancellationToken.ThrowIfCancellationRequested();
            BodyReader.ThrowIf(failure);
        }
        return (written, slow);
    }

    private static async ValueTask Enqueue(Block block, Channel<Block> toWrite, Channel<Block> toHash, CancellationToken cancellationToken)
    {
        try
        {
            await toWrite.Writer.WriteAsync(block, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            block.Release();
            block.Release();
            throw;
        }
        try
        {
            await toHash.Writer.WriteAsync(block, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            block.Release();
            throw;
        }
    }

    internal static void RecordValidator(PartialState state, HttpResponseMessage response, long? total)
    {
        state.ETag = response.Headers.ETag?.ToString();
        state.LastModified = response.Content.Headers.LastModified?.ToString("R");
        state.Length = total;
    }
}
