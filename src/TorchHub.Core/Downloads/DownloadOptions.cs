using System;
using System.Globalization;

namespace TorchHub.Downloads;

/// <summary>
/// How the downloader splits a transfer (parts, chunks, buffers); timeouts, retries and the
/// token are the HTTP layer's (<see cref="Http.HttpOptions"/>). Defaults come from measurements (bench/README.md);
/// each can be overridden by an environment variable so scheduled jobs and tests can tune
/// them without new parameters.
/// </summary>
public sealed record DownloadOptions
{
    /// <summary>
    /// Parallel range requests for one large file from the start. 0 (default) = adaptive: one
    /// stream, switching the rest to <see cref="AdaptiveParts"/> ranges when that stream is slow;
    /// 1 = always a single stream. TORCHHUB_DOWNLOAD_PARTS. (Measured in bench/README.md: on
    /// loopback one stream is fastest; on a server capping each connection 4-8 ranges are 2.5-3x faster.)
    /// </summary>
    public int Parts { get; init; }

    /// <summary>Ranges used when adaptive mode finds one stream slow.</summary>
    public int AdaptiveParts { get; init; } = 4;

    /// <summary>Adaptive mode judges the single stream after this long.</summary>
    public TimeSpan AdaptiveAfter { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A single stream slower than this (bytes/s) switches to parallel ranges. TORCHHUB_DOWNLOAD_SLOW_MBPS (MiB/s).</summary>
    public double AdaptiveBelowBytesPerSecond { get; init; } = 32 << 20;

    /// <summary>Files at least this large use <see cref="Parts"/> ranges. TORCHHUB_DOWNLOAD_PARALLEL_MIN_MB.</summary>
    public long ParallelThreshold { get; init; } = 64L << 20;

    /// <summary>Size of one range request in parallel mode (also the unit of resume state).</summary>
    public int ChunkSize { get; init; } = 16 << 20;

    /// <summary>Read/write buffer per stream.</summary>
    public int BufferSize { get; init; } = 1 << 20;

    /// <summary>How many times a download may start over because the file changed on the server.</summary>
    public int MaxRestarts { get; init; } = 3;

    /// <summary>Defaults overridden by the TORCHHUB_DOWNLOAD_* environment variables (invalid values are ignored).</summary>
    public static DownloadOptions FromEnvironment()
    {
        var o = new DownloadOptions();
        if (ReadInt("TORCHHUB_DOWNLOAD_PARTS") is { } parts && parts >= 0 && parts <= 64) o = o with { Parts = parts };
        if (ReadDouble("TORCHHUB_DOWNLOAD_SLOW_MBPS") is { } slow && slow >= 0) o = o with { AdaptiveBelowBytesPerSecond = slow * (1 << 20) };
        if (ReadInt("TORCHHUB_DOWNLOAD_PARALLEL_MIN_MB") is { } mb && mb >= 1) o = o with { ParallelThreshold = (long)mb << 20 };
        if (ReadInt("TORCHHUB_DOWNLOAD_CHUNK_MB") is { } chunk && chunk >= 1 && chunk <= 1024) o = o with { ChunkSize = chunk << 20 };
        return o;
    }

    private static int? ReadInt(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static double? ReadDouble(string name) =>
        double.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
}
