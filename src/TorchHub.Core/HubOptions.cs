using TorchHub.Feedback;

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
}
