using System;
using TorchHub.Http;

namespace TorchHub.Repositories.GitHub;

/// <summary>
/// Where GitHub is, resolved from <see cref="HubOptions"/> and the environment variables GitHub's
/// own runners set (<c>GITHUB_API_URL</c>, <c>GITHUB_SERVER_URL</c>), so GitHub Enterprise and
/// stand-in servers work by configuration. How to talk to it (token, timeout, retries) is the
/// HTTP layer's (<see cref="HttpOptions"/>).
/// </summary>
internal sealed class GitHubEndpoints
{
    private GitHubEndpoints(Uri api, Uri web, bool hasToken)
    {
        Api = api;
        Web = web;
        HasToken = hasToken;
    }

    /// <summary>REST root, always ending in '/'.</summary>
    public Uri Api { get; }

    /// <summary>Web root, always ending in '/'.</summary>
    public Uri Web { get; }

    /// <summary>Whether requests to the API root carry a token.</summary>
    public bool HasToken { get; }

    public static GitHubEndpoints Resolve(HubOptions options, RedirectFollower http)
    {
        var api = WithSlash(options.GitHubApiUrl ?? FromEnvironment(HttpOptions.ApiUrlVariable, "https://api.github.com"));
        var web = WithSlash(options.GitHubServerUrl ?? FromEnvironment(HttpOptions.ServerUrlVariable, "https://github.com"));
        return new GitHubEndpoints(api, web, http.SendsTokenTo(api));
    }

    /// <summary>The web page of a repository, as torch names it in its messages.</summary>
    public string RepositoryPage(string owner, string name) => new Uri(Web, $"{owner}/{name}").ToString();

    /// <summary>
    /// The zipball URL: the REST endpoint when a token is set (the web root does not accept API
    /// tokens, so private repositories need it), else the web URL torch uses, which does not
    /// count against the API rate limit. Both redirect to the archive host.
    /// </summary>
    public Uri Zipball(string owner, string name, string @ref) =>
        !HasToken
            ? new Uri(Web, $"{Uri.EscapeDataString(owner)}/{Uri.EscapeDataString(name)}/zipball/{EscapeRef(@ref)}")
            : new Uri(Api, $"repos/{Uri.EscapeDataString(owner)}/{Uri.EscapeDataString(name)}/zipball/{EscapeRef(@ref)}");

    private static string EscapeRef(string @ref) => string.Join('/', Array.ConvertAll(@ref.Split('/'), Uri.EscapeDataString));

    private static Uri FromEnvironment(string variable, string fallback)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        return Uri.TryCreate(string.IsNullOrWhiteSpace(value) ? fallback : value.Trim(), UriKind.Absolute, out var uri) ? uri : new Uri(fallback);
    }

    private static Uri WithSlash(Uri uri) => uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
}
