using System;
using System.Diagnostics;
using System.Threading;
using TorchHub.Cache;
using TorchHub.Http;

namespace TorchHub.Downloads;

/// <summary>The state of one download across its attempts: where it goes, what the server said, what is on disk and hashed.</summary>
internal sealed class DownloadJob : IDisposable
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(100);
    private readonly FileDownloader.ProgressHandler? _progress;
    private long _lastReport;
    private long _received;
    private long _transferred;

    public DownloadJob(Uri uri, WorkPaths paths, FileDownloader.ProgressHandler? progress, Uri? mirror = null)
    {
        Uri = uri;
        RequestUri = mirror ?? uri;
        Paths = paths;
        _progress = progress;
        State = new PartialState { Url = SafeUrl.ResumeKey(uri) };
    }

    /// <summary>The file's own URL: it names the partial's resume key, messages and records.</summary>
    public Uri Uri { get; }

    /// <summary>Where it is requested from: <see cref="Uri"/>, or its mirror (<see cref="MirrorRule"/>).</summary>
    public Uri RequestUri { get; }

    /// <summary>The URL as messages may show it (no password).</summary>
    public string DisplayUri => SafeUrl.Display(Uri);

    public WorkPaths Paths { get; }
    public PartialState State { get; set; }

    /// <summary>Where the redirects ended, reused for range requests.</summary>
    public Uri? FinalUri { get; set; }

    /// <summary>Total length; -1 while unknown.</summary>
    public long Length { get; set; } = -1;

    /// <summary>Bytes of the file present in the partial so far.</summary>
    public long Received { get => Interlocked.Read(ref _received); set => Interlocked.Exchange(ref _received, value); }

    public void AddReceived(long bytes) => Interlocked.Add(ref _received, bytes);

    /// <summary>Bytes that came over the network (all attempts).</summary>
    public long Transferred => Interlocked.Read(ref _transferred);

    public void AddTransferred(long bytes) => Interlocked.Add(ref _transferred, bytes);

    /// <summary>The most of the file any attempt had in place: an attempt that passes it made progress.</summary>
    public long HighWater { get; private set; }

    /// <summary>Records where an attempt ended; true when it got further than every attempt before it.</summary>
    public bool Advance()
    {
        var now = Received;
        if (now <= HighWater) return false;
        HighWater = now;
        return true;
    }

    public int Restarts { get; set; }
    public bool Resumed { get; set; }
    public OrderedHasher Hasher { get; } = new();

    /// <summary>The digest once every byte is hashed; null otherwise.</summary>
    public string? Sha256 => Hasher.Position == (Length < 0 ? Received : Length) ? Hasher.Finish() : null;

    /// <summary>Throws away what is on disk and what the server said: the next attempt starts from byte 0.</summary>
    public void ResetData()
    {
        AtomicFile.TryDelete(Paths.Partial);
        // Cleared in place: the transfers hold references to the same state object.
        State.ETag = null;
        State.LastModified = null;
        State.Length = null;
        State.ChunkSize = 0;
        State.Chunks = null;
        State.Base = 0;
        AtomicFile.TryDelete(Paths.State);
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

    public void Dispose() => Hasher.Dispose();
}
