using System;
using System.Collections.Generic;
using System.Globalization;

namespace TorchHub.Http;

/// <summary>
/// How TorchHub talks HTTP, for repository archives, GitHub API calls and weight downloads
/// alike: one timeout, one retry budget, one token and where it may go, offline mode. Immutable;
/// <see cref="FromEnvironment"/> reads the environment once. Old variable names stay as aliases.
/// </summary>
public sealed record HttpOptions
{
    public const string TimeoutVariable = "TORCHHUB_HTTP_TIMEOUT";
    public const string RetriesVariable = "TORCHHUB_HTTP_RETRIES";
    public const string RetryDelayVariable = "TORCHHUB_RETRY_DELAY_MS";
    public const string OfflineVariable = "TORCHHUB_OFFLINE";
    public const string TokenVariable = "GITHUB_TOKEN";
    public const string ServerUrlVariable = "GITHUB_SERVER_URL";
    public const string ApiUrlVariable = "GITHUB_API_URL";

    // Names the downloads used before there was one HTTP layer; still honoured.
    internal const string LegacyStallVariable = "TORCHHUB_DOWNLOAD_STALL_SECONDS";
    internal const string LegacyRetriesVariable = "TORCHHUB_DOWNLOAD_RETRIES";
    internal const string LegacyRetryDelayVariable = "TORCHHUB_DOWNLOAD_RETRY_DELAY_MS";

    /// <summary>Longest wait for response headers, or for the next bytes of a body (a stall), before the attempt fails and is retried. TORCHHUB_HTTP_TIMEOUT (seconds).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>Retries after a transient failure (reset, 5xx, 408/429, stall, truncated body); the budget starts again after an attempt that brought new bytes. TORCHHUB_HTTP_RETRIES.</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>First retry delay, doubling after each failure without progress, with jitter. TORCHHUB_RETRY_DELAY_MS.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest <c>Retry-After</c> (429/503) that is waited out; a longer one fails at once.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The GitHub token (options, else GITHUB_TOKEN); sent only where <see cref="TokenOrigins"/> allow. Never formatted.</summary>
    public string? Token { get; init; }

    /// <summary>
    /// The GitHub web and API roots of GitHub Enterprise (GITHUB_SERVER_URL / GITHUB_API_URL); the token may go to
    /// their exact origin (scheme, host and port) besides GitHub's public HTTPS hosts.
    /// </summary>
    public IReadOnlyList<Uri> TokenOrigins { get; init; } = Array.Empty<Uri>();

    /// <summary>Send no request at all: TORCHHUB_OFFLINE=1 (or -Offline). Checked by <see cref="RedirectFollower"/> before every request.</summary>
    public bool Offline { get; init; }

    /// <summary>Sent as User-Agent.</summary>
    public string UserAgent { get; init; } = "TorchHub/" + (typeof(HttpOptions).Assembly.GetName().Version?.ToString(3) ?? "0");

    /// <summary>Defaults overridden by the environment (invalid values are ignored). <paramref name="token"/> wins over GITHUB_TOKEN.</summary>
    public static HttpOptions FromEnvironment(string? token = null)
    {
        var o = new HttpOptions();
        if ((Seconds(TimeoutVariable) ?? Seconds(LegacyStallVariable)) is { } timeout) o = o with { Timeout = timeout };
        if ((Integer(RetriesVariable) ?? Integer(LegacyRetriesVariable)) is { } retries && retries >= 0) o = o with { MaxRetries = retries };
        if ((Milliseconds(RetryDelayVariable) ?? Milliseconds(LegacyRetryDelayVariable)) is { } delay) o = o with { RetryDelay = delay };
        if (string.IsNullOrWhiteSpace(token)) token = Environment.GetEnvironmentVariable(TokenVariable);
        var origins = new List<Uri>();
        foreach (var name in new[] { ServerUrlVariable, ApiUrlVariable })
            if (Uri.TryCreate(Environment.GetEnvironmentVariable(name)?.Trim(), UriKind.Absolute, out var u)) origins.Add(u);
        return o with
        {
            Token = string.IsNullOrWhiteSpace(token) ? null : token.Trim(),
            TokenOrigins = origins,
            Offline = IsOn(Environment.GetEnvironmentVariable(OfflineVariable)),
        };
    }

    /// <summary>These options with <paramref name="roots"/> added to the places the token may go (a configured GitHub API or web root).</summary>
    internal HttpOptions WithTokenOrigins(params Uri?[] roots)
    {
        var list = new List<Uri>(TokenOrigins);
        foreach (var root in roots) if (root is not null) list.Add(root);
        return this with { TokenOrigins = list };
    }

    /// <summary>True for 1, true, yes or on (any case).</summary>
    internal static bool IsOn(string? value)
    {
        value = value?.Trim();
        return value is not null && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase)
            || value.Equals("yes", StringComparison.OrdinalIgnoreCase) || value.Equals("on", StringComparison.OrdinalIgnoreCase));
    }

    private static TimeSpan? Seconds(string variable) =>
        double.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0 && s < 1e6
            ? TimeSpan.FromSeconds(s) : null;

    private static TimeSpan? Milliseconds(string variable) =>
        double.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms >= 0 && ms < 1e9
            ? TimeSpan.FromMilliseconds(ms) : null;

    private static int? Integer(string variable) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;
}
