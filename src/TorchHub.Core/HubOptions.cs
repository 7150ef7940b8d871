using System;
using System.Collections.Generic;
using TorchHub.Feedback;
using TorchHub.Hubconf;

namespace TorchHub;

/// <summary>
/// Settings for one <see cref="Hub"/>: where its cache is, how it reports back and how it reaches
/// the network. Immutable. The environment is read in one place: a <see cref="Hub"/> fills every
/// setting left null from it once, when it is created (<see cref="FromEnvironment"/> shows the
/// result): <c>GITHUB_API_URL</c>, <c>GITHUB_SERVER_URL</c>, the HTTP variables of
/// <see cref="Http.HttpOptions"/> (<c>TORCHHUB_HTTP_TIMEOUT</c>, <c>TORCHHUB_HTTP_RETRIES</c>,
/// <c>TORCHHUB_RETRY_DELAY_MS</c>, <c>TORCHHUB_OFFLINE</c>, <c>GITHUB_TOKEN</c>, and the older
/// <c>TORCHHUB_DOWNLOAD_*</c> names) and the <c>TORCHHUB_DOWNLOAD_*</c> tuning of
/// <see cref="Downloads.DownloadOptions"/>, and <c>TORCHHUB_LOCK</c>/<c>TORCHHUB_LOCK_STALE_SECONDS</c> of
/// <see cref="Cache.LockOptions"/>. Two are not per Hub, by design: the process-wide hub
/// directory (<c>TORCH_HOME</c>, <c>XDG_CACHE_HOME</c>; torch's <c>get_dir</c> reads them on every
/// call) and the native-library locations TorchSharp's one start-up per process uses.
/// </summary>
public sealed record HubOptions
{
    private static readonly Uri DefaultGitHubApiUrl = new("https://api.github.com");
    private static readonly Uri DefaultGitHubServerUrl = new("https://github.com");

    /// <summary>
    /// This Hub's own hub directory (<c>~</c> expanded, made absolute); null uses the process-wide one
    /// (<see cref="Hub.SetDir"/> / Set-HubDirectory, else TORCH_HOME, XDG_CACHE_HOME, <c>~/.cache/torch/hub</c>).
    /// </summary>
    public string? HubDirectory { get; init; }

    /// <summary>Where messages, progress and questions go. Default: silent, never asks.</summary>
    public IHubFeedback Feedback { get; init; } = SilentFeedback.Instance;

    /// <summary>How downloads split a transfer (parts, chunks, buffers). Null: defaults with TORCHHUB_DOWNLOAD_* overrides, read per call; timeouts and retries are <see cref="Http"/>.</summary>
    public Downloads.DownloadOptions? Downloads { get; init; }
    /// <summary>The hubconf readers List/Help/GetListing consult, in order. Default: <see cref="Hubconf.HubconfReaders.All"/>.</summary>
    internal IReadOnlyList<IHubconfReader> HubconfReaders { get; init; } = Hubconf.HubconfReaders.All;

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

    /// <summary>
    /// How the cache is locked across processes (<see cref="Cache.FileLock"/>): the strategy (kernel lock,
    /// or lock files on a network file system) and when a lock file is stale. Null:
    /// <see cref="Cache.LockOptions.FromEnvironment"/> (<c>TORCHHUB_LOCK</c>, <c>TORCHHUB_LOCK_STALE_SECONDS</c>).
    /// </summary>
    public Cache.LockOptions? Locks { get; init; }

    /// <summary>Defaults with every environment variable applied: what a <see cref="Hub"/> created with no options uses.</summary>
    public static HubOptions FromEnvironment() => new HubOptions().WithEnvironmentDefaults();

    /// <summary>These options with each setting left null taken from the environment (read here, once).</summary>
    internal HubOptions WithEnvironmentDefaults() => this with
    {
        Http = Http ?? TorchHub.Http.HttpOptions.FromEnvironment(),
        Downloads = Downloads ?? TorchHub.Downloads.DownloadOptions.FromEnvironment(),
        Locks = Locks ?? Cache.LockOptions.FromEnvironment(),
        GitHubApiUrl = GitHubApiUrl ?? UriFromEnvironment(TorchHub.Http.HttpOptions.ApiUrlVariable) ?? DefaultGitHubApiUrl,
        GitHubServerUrl = GitHubServerUrl ?? UriFromEnvironment(TorchHub.Http.HttpOptions.ServerUrlVariable) ?? DefaultGitHubServerUrl,
        TorchVisionWeightsUrl = TorchVisionWeightsUrl ?? BaseUrlFromEnvironment("TORCHHUB_TORCHVISION_WEIGHTS_URL"),
    };

    private static Uri? UriFromEnvironment(string variable) =>
        Uri.TryCreate(Environment.GetEnvironmentVariable(variable)?.Trim(), UriKind.Absolute, out var uri) ? uri : null;

    /// <summary>The HTTP settings in force, with the configured GitHub roots as places the token may go.</summary>
    internal Http.HttpOptions ResolveHttp(bool offline = false)
    {
        var http = (Http ?? new Http.HttpOptions()).WithTokenOrigins(GitHubApiUrl, GitHubServerUrl);
        return offline ? http with { Offline = true } : http;
    }

    /// <summary>
    /// Where the built-in TorchVision ports download torchvision's published weights (a mirror of
    /// <c>https://download.pytorch.org/models/</c> holding the same file names); null reads
    /// <c>TORCHHUB_TORCHVISION_WEIGHTS_URL</c>, then uses torchvision's own. The cached file keeps PyTorch's name.
    /// </summary>
    public Uri? TorchVisionWeightsUrl { get; init; }

    private static Uri? BaseUrlFromEnvironment(string name)
    {
        if (System.Environment.GetEnvironmentVariable(name) is not { Length: > 0 } text) return null;
        // A base URL: without the trailing slash its last segment would be replaced by the file name.
        return Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new Errors.HubException(Errors.HubErrorIds.InvalidUri, Errors.HubErrorCategory.InvalidArgument,
                $"{name} is '{text}', which is not an http(s) URL.", text);
    }
}
