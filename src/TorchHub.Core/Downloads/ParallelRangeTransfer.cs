using System;
using System.Buffers;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using TorchHub.Errors;
using TorchHub.Http;

namespace TorchHub.Downloads;

/// <summary>
/// The rest of a file fetched as fixed-size ranges by several workers at once, written in
/// place into a partial file of full length; completed chunks are recorded in the resume state
/// (so a kill loses at most the chunks in flight), and SHA-256 follows in file order as
/// chunks land, read back from the file.
/// </summary>
internal sealed class ParallelRangeTransfer
{
    private readonly DownloadOptions _options;
    private readonly DownloadRequests _requests;

    public ParallelRangeTransfer(DownloadOptions options, DownloadRequests requests)
    {
        _options = options;
        _requests = requests;
    }

    private TimeSpan Timeout => _requests.Options.Timeout;

    /// <summary>Switches the job's resume state to chunks of <see cref="DownloadOptions.ChunkSize"/> from <paramref name="origin"/> (the bytes before it are already in place).</summary>
    public void Prepare(DownloadJob job, long length, long origin)
    {
        var state = job.State;
        state.ChunkSize = _options.ChunkSize;
        state.Base = origin;
        state.Chunks = new string('0', (int)((length - origin + state.ChunkSize - 1) / state.ChunkSize));
        EnsureLength(job.Paths.Partial, length);
        state.Save(job.Paths.State);
        if (origin == 0) job.Received = 0;
    }

    /// <summary>The first range request's body (asked for before the size was known) is chunk 0.</summary>
    public async Task ReceiveFirstChunkAsync(DownloadJob job, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var handle = File.OpenHandle(job.Paths.Partial, FileMode.Open, FileAccess.Write, FileShare.Read);
        using var body = await BodyReader.OpenAsync(response, Timeout, cancellationToken).ConfigureAwait(false);
        var buffer = ArrayPool<byte>.Shared.Rent(_options.BufferSize);
        try
        {
            var end = Math.Min(job.Length, (long)job.State.ChunkSize);
            long position = 0;
            while (position < end)
            {
                var (n, error) = await body.FillAsync(buffer, (int)Math.Min(buffer.Length, end - position)).ConfigureAwait(false);
                BodyReader.ThrowIf(error);
                if (n == 0) throw new TransientException(HubErrorIds.DownloadIncomplete, "the connection closed inside the first range.");
                RandomAccess.Write(handle, new ReadOnlySpan<byte>(buffer, 0, n), position);
                position += n;
                job.AddTransferred(n);
                job.Received = position;
                job.Report();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        var chunks = job.State.Chunks!.ToCharArray();
        chunks[0] = '1';
        job.State.Chunks = new string(chunks);
        job.State.Save(job.Paths.State);
    }

    public async Task RunAsync(DownloadJob job, Uri uri, long length, CancellationToken cancellationToken)
    {
        var state = job.State;
        var chunkSize = state.ChunkSize;
        var origin = state.Base; // bytes before it were streamed in order before switching to ranges
        var count = (int)((length - origin + chunkSize - 1) / chunkSize);
        var done = state.Chunks!.ToCharArray();
        if (done.Length != count || origin < 0 || origin > length) throw new RestartException("the resume state does not match the file length.");
        job.Length = length;
        job.Received = origin + done.Count(c => c == '1') * (long)chunkSize;
        EnsureLength(job.Paths.Partial, length);

        using var workers = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var handle = File.OpenHandle(job.Paths.Partial, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        var signals = Enumerable.Range(0, count).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
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
                    using var response = await _requests.GetAsync(job, uri, new RangeHeaderValue(from, to), state.Validator, workers.Token).ConfigureAwait(false);
                    if (response.StatusCode != HttpStatusCode.PartialContent)
                        throw new RestartException("the server sent the whole file for a range request (the file changed).");
                    var cr = response.Content.Headers.ContentRange;
                    if (cr?.From != from || cr.To != to || cr.Length != length)
                        throw new RestartException($"the server answered range {from}-{to} with '{cr}'.");
                    using var body = await BodyReader.OpenAsync(response, Timeout, workers.Token).ConfigureAwait(false);
                    var position = from;
                    while (position <= to)
                    {
                        var want = (int)Math.Min(buffer.Length, to + 1 - position);
                        var (n, error) = await body.FillAsync(buffer, want).ConfigureAwait(false);
                        BodyReader.ThrowIf(error); // a chunk only counts whole; it is fetched again
                        if (n == 0) throw new TransientException(HubErrorIds.DownloadIncomplete, $"the connection closed inside range {from}-{to}.");
                        await RandomAccess.WriteAsync(handle, buffer.AsMemory(0, n), position, workers.Token).ConfigureAwait(false);
                        position += n;
                        job.AddTransferred(n);
                        job.AddReceived(n);
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

        var parts = _options.Parts > 1 ? _options.Parts : _options.AdaptiveParts;
        var tasks = Enumerable.Range(0, Math.Max(1, Math.Min(parts, count))).Select(_ => Task.Run(Worker)).ToList();
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
            if (first is not null) BodyReader.ThrowIf(first);
            throw;
        }
        await hashing.ConfigureAwait(false);
        job.Received = length;
    }

    private static void EnsureLength(string path, long length)
    {
        using var handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        if (RandomAccess.GetLength(handle) != length) RandomAccess.SetLength(handle, length);
    }
}
