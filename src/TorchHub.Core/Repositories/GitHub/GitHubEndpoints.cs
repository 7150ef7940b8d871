using System;
using System.Globalization;

namespace TorchHub.Repositories.GitHub;

/// <summary>
/// Where GitHub is and how to talk to it, resolved from <see cref="HubOptions"/> and the
/// environment variables GitHub's own runners set (<c>GITHUB_API_URL</c>, <c>GITHUB_SERVER_URL</c>,
/// <c>GITHUB_TOKEN</c>), so GitHub Enterprise and stand-in servers work by configuration.
/// </summary>
internal sealed class GitHubEndpoints
{
    public const string ApiUrlVariable = "GITHUB_API_URL";
    public const string ServerUrlVariable = "GITHUB_SERVER_URL";
    public const string TokenVariable = "GITHUB_TOKEN";
    public const string TimeoutVariable = "TORCHHUB_HTTP_TIMEOUT";
    public const string RetryDelayVariable = "TORCHHUB_RETRY_DELAY_MS";

    private GitHubEndpoints(Uri api, Uri web, string? token, TimeSpan timeout, int retryCount, TimeSpan retryDelay)
    {
        Api = api;
        Web = web;
        Token = token;
        Timeout = timeout;
        RetryCount = retryCount;
        RetryDelay = retryDelay;
    }

    /// <summary>REST root, always ending in '/'.</summary>
    public Uri Api { get; }

    /// <summary>Web root, always ending in '/'.</summary>
    public Uri Web { get; }

    /// <summary>The token; only ever placed in an Authorization header. Never format it.</summary>
    public string? Token { get; }

    public TimeSpan Timeout { get; }

    public int RetryCount { get; }

    public TimeSpan RetryDelay { get; }

    public static GitHubEndpoints Resolve(HubOptions options)
    {
        var api = options.GitHubApiUrl ?? FromEnvironment(ApiUrlVariable, "https://api.github.com");
        var web = options.GitHubServerUrl ?? FromEnvironment(ServerUrlVariable, "https://github.com");
        var token = options.GitHubToken;
        if (string.IsNullOrEmpty(token)) token = Environment.GetEnvironmentVariable(TokenVariable);
        if (string.IsNullOrWhiteSpace(token)) token = null;
        var timeout = options.RequestTimeout ?? Seconds(Environment.GetEnvironmentVariable(TimeoutVariable)) ?? TimeSpan.FromSeconds(100);
        var delay = options.RetryBaseDelay ?? Milliseconds(Environment.GetEnvironmentVariable(RetryDelayVariable)) ?? TimeSpan.FromSeconds(1);
        return new GitHubEndpoints(WithSlash(api), WithSlash(web), token?.Trim(), timeout, Math.Max(0, options.RetryCount), delay);
    }

    /// <summary>The web page of a repository, as torch names it in its messages.</summary>
    public string RepositoryPage(string owner, string name) => new Uri(Web, $"{owner}/{name}").ToString();

    /// <summary>
    /// The zipball URL: the REST endpoint when a token is set (the web root does not accept API
    /// tokens, so private repositories need it), else the web URL torch uses, which does not
    /// count against the API rate limit. Both redirect to the archive host.
    /// </summary>
    public Uri Zipball(string owner, string name, string @ref) =>
        Token is null
            ? new Uri(Web, $"{Uri.EscapeDataString(owner)}/{Uri.EscapeDataString(name)}/zipball/{EscapeRef(@ref)}")
            : new Uri(Api, $"repos/{Uri.EscapeDataString(owner)}/{Uri.EscapeDataString(name)}/zipball/{EscapeRef(@ref)}");

    /// <summary>True for the API and web hosts (scheme, host and port): the only places the token is sent.</summary>
    public bool IsGitHubHost(Uri uri) => SameOrigin(uri, Api) || SameOrigin(uri, Web);

    private static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;

    private static string EscapeRef(string @ref) => string.Join('/', Array.ConvertAll(@ref.Split('/'), Uri.EscapeDataString));

    private static Uri FromEnvironment(string variable, string fallback)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        return Uri.TryCreate(string.IsNullOrWhiteSpace(value) ? fallback : value.Trim(), UriKind.Absolute, out var uri) ? uri : new Uri(fallback);
    }

    private static Uri WithSlash(Uri uri) => uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");

    private static TimeSpan? Seconds(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0 ? TimeSpan.FromSeconds(s) : null;

    private static TimeSpan? Milliseconds(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms >= 0 ? TimeSpan.FromMilliseconds(ms) : null;
}
