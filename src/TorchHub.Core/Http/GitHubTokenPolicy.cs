using System;
using System.Collections.Generic;
using System.Net;

namespace TorchHub.Http;

/// <summary>
/// Where the GitHub token may go: GitHub's own public hosts over HTTPS on the default port
/// (github.com, api.github.com, codeload.github.com, raw.githubusercontent.com), and the exact
/// origins (scheme, host AND port) of the configured GitHub Enterprise roots, plus their
/// <c>codeload.</c> host. Never to any other host or port (a mirror, the storage CDN a release
/// asset redirects to), and never over plain HTTP except to a loopback address (tests, local
/// stand-ins). Decided per request, so every redirect hop is judged on its own.
/// </summary>
internal sealed class GitHubTokenPolicy
{
    private static readonly string[] PublicHosts = { "github.com", "api.github.com", "codeload.github.com", "raw.githubusercontent.com" };

    private readonly HashSet<string> _origins = new(StringComparer.OrdinalIgnoreCase);

    public GitHubTokenPolicy(string? token, IEnumerable<Uri>? origins = null)
    {
        Token = string.IsNullOrWhiteSpace(token) ? null : token.Trim();
        foreach (var host in PublicHosts) _origins.Add(Origin("https", host, 443));
        if (origins is null) return;
        foreach (var root in origins)
        {
            if (!root.IsAbsoluteUri || string.IsNullOrEmpty(root.Host)) continue;
            _origins.Add(Origin(root.Scheme, root.IdnHost, root.Port));
            // GHES serves code downloads from codeload.<host> when subdomain isolation is on.
            _origins.Add(Origin(root.Scheme, "codeload." + root.IdnHost, root.Port));
        }
    }

    public static GitHubTokenPolicy For(HttpOptions options) => new(options.Token, options.TokenOrigins);

    /// <summary>The token (never format it); null when none is configured.</summary>
    public string? Token { get; }

    /// <summary>Whether a request to <paramref name="uri"/> may carry the token.</summary>
    public bool Applies(Uri uri)
    {
        if (Token is null || !uri.IsAbsoluteUri) return false;
        if (!_origins.Contains(Origin(uri.Scheme, uri.IdnHost, uri.Port))) return false;
        return uri.Scheme == Uri.UriSchemeHttps || IsLoopback(uri);
    }

    private static bool IsLoopback(Uri uri) => uri.IsLoopback || IPAddress.TryParse(uri.Host, out var ip) && IPAddress.IsLoopback(ip);

    private static string Origin(string scheme, string host, int port) => $"{scheme.ToLowerInvariant()}://{host.ToLowerInvariant()}:{port}";
}
