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
    /// <summary>
    /// This Hub's own hub directory (<c>~</c> expanded, made absolute); null uses the process-wide one
    /// (<see cref="Hub.SetDir"/> / Set-HubDirectory, else TORCH_HOME, XDG_CACHE_HOME, <c>~/.cache/torch/hub</c>).
    /// </summary>
    public string? HubDirectory { get; init; }

    /// <summary>Where messages, progress and questions go. Default: silent, never asks.</summary>
    public IHubFeedback Feedback { get => _feedback; init => _feedback = value; }

    private IHubFeedback _feedback = SilentFeedback.Instance;

    /// <summary>The same options reporting to <paramref name="feedback"/> (for work that runs on a thread of its own).</summary>
    internal HubOptions WithFeedback(IHubFeedback feedback)
    {
        var copy = (HubOptions)MemberwiseClone();
        copy._feedback = feedback;
        return copy;
    }

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
    /// How TorchHub talks HTTP (timeout, retries, token, offline) for archives, API calls and
    /// downloads alike. Null: <see cref="Http.HttpOptions.FromEnvironment"/>, read when a request is made.
    /// </summary>
    public Http.HttpOptions? Http { get; init; }

    /// <summary>The HTTP settings in force: <see cref="Http"/> or the environment, with the configured GitHub roots as places the token may go.</summary>
    internal Http.HttpOptions ResolveHttp(bool offline = false)
    {
        var http = (Http ?? TorchHub.Http.HttpOptions.FromEnvironment()).WithTokenOrigins(GitHubApiUrl, GitHubServerUrl);
        return offline ? http with { Offline = true } : http;
    }

    /// <summary>
    /// Where the built-in TorchVision ports download torchvision's published weights (a mirror of
    /// <c>https://download.pytorch.org/models/</c> holding the same file names); null reads
    /// <c>TORCHHUB_TORCHVISION_WEIGHTS_URL</c>, then uses torchvision's own. The cached file keeps PyTorch's name.
    /// </summary>
    public Uri? TorchVisionWeightsUrl
    {
        get => torchVisionWeightsUrl ?? FromEnvironment("TORCHHUB_TORCHVISION_WEIGHTS_URL");
        init => torchVisionWeightsUrl = value;
    }

    private readonly Uri? torchVisionWeightsUrl;

    private static Uri? FromEnvironment(string name)
    {
        if (System.Environment.GetEnvironmentVariable(name) is not { Length: > 0 } text) return null;
        // A base URL: without the trailing slash its last segment would be replaced by the file name.
        return Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new Errors.HubException(Errors.HubErrorIds.InvalidUri, Errors.HubErrorCategory.InvalidArgument,
                $"{name} is '{text}', which is not an http(s) URL.", text);
    }
}
