using System;
using System.Collections.Generic;
using TorchHub.Feedback;
using TorchHub.Hubconf;

namespace TorchHub;

/// <summary>
/// Settings for one <see cref="Hub"/>: how it reports back and how it may reach the network.
/// Rooms add their settings here (endpoints, token, offline, parallelism).
/// </summary>
public sealed class HubOptions
{
    /// <summary>Where messages, progress and questions go. Default: silent, never asks.</summary>
    public IHubFeedback Feedback { get; init; } = SilentFeedback.Instance;

    /// <summary>Download behaviour (parts, retries, stall timeout). Null: defaults with TORCHHUB_DOWNLOAD_* overrides, read per call.</summary>
    public Downloads.DownloadOptions? Downloads { get; init; }
    /// <summary>The hubconf readers List/Help/GetListing consult, in order. Default: <see cref="Hubconf.HubconfReaders.All"/>.</summary>
    public IReadOnlyList<IHubconfReader> HubconfReaders { get; init; } = Hubconf.HubconfReaders.All;

    /// <summary>
    /// GitHub REST root; null reads <c>GITHUB_API_URL</c>, then <c>https://api.github.com</c>
    /// (GitHub Enterprise: <c>https://host/api/v3</c>).
    /// </summary>
    public Uri? GitHubApiUrl { get; init; }

    /// <summary>GitHub web root; null reads <c>GITHUB_SERVER_URL</c>, then <c>https://github.com</c>.</summary>
    public Uri? GitHubServerUrl { get; init; }

    /// <summary>
    /// Token sent to the GitHub hosts only (API and web root, never to the archive host they
    /// redirect to); null reads <c>GITHUB_TOKEN</c>. Never written to any message, error or file.
    /// </summary>
    public string? GitHubToken { get; init; }

    /// <summary>
    /// Longest wait for a response or for the next bytes of a download; null reads
    /// <c>TORCHHUB_HTTP_TIMEOUT</c> (seconds), then 100 seconds.
    /// </summary>
    public TimeSpan? RequestTimeout { get; init; }

    /// <summary>Retries after a 5xx, a reset connection or a timeout (Polly, exponential backoff with jitter).</summary>
    public int RetryCount { get; init; } = 3;

    /// <summary>
    /// First retry delay (doubling after); null reads <c>TORCHHUB_RETRY_DELAY_MS</c>, then one second.
    /// </summary>
    public TimeSpan? RetryBaseDelay { get; init; }
}
