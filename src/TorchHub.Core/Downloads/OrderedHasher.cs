using System;
using System.Buffers;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;

namespace TorchHub.Downloads;

/// <summary>
/// SHA-256 over the file in order. Data streamed in order is hashed from memory (on its own
/// thread, beside the writer); after a resume, or in parallel mode, the missing prefix is read
/// back from the partial file, so the digest is always of the bytes on disk.
/// </summary>
internal sealed class OrderedHasher : IDisposable
{
    private IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private string? _final;
    private long _position;

    public long Position => Interlocked.Read(ref _position);

    public void Reset()
    {
        _hash.Dispose();
        _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Interlocked.Exchange(ref _position, 0);
        _final = null;
    }

    public void Append(ReadOnlySpan<byte> data, long at)
    {
        if (at != _position) throw new InvalidOperationException($"Hash out of order: at {at}, expected {_position}.");
        _hash.AppendData(data);
        Interlocked.Add(ref _position, data.Length);
    }

    /// <summary>Hashes the partial file's bytes from <see cref="Position"/> up to <paramref name="upTo"/> (from the start when it is already past it).</summary>
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
                Append(buffer.AsSpan(0, n), Position);
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
