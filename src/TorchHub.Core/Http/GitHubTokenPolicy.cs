using System;
using System.Collections.Generic;
using System.Net;

namespace TorchHub.Http;

/// <summary>
/// Decides which requests carry GITHUB_TOKEN: only those to GitHub's own hosts (github.com,
/// api.github.com, codeload.github.com, raw.githubusercontent.com), or to the hosts of
/// GITHUB_SERVER_URL / GITHUB_API_URL for GitHub Enterprise. Never to a redirect target on
/// another host (release assets redirect to a storage CDN), and only over HTTPS, except for
/// loopback hosts (tests, local mirrors).
/// </summary>
public sealed class GitHubTokenPolicy
{
    public const string TokenVariable = "GITHUB_TOKEN";
    public const string ServerUrlVariable = "GITHUB_SERVER_URL";
    public const string ApiUrlVariable = "GITHUB_API_URL";

    private static readonly string[] PublicHosts = { "github.com", "api.github.com", "codeload.github.com", "raw.githubusercontent.com" };

    private readonly HashSet<string> _hosts = new(StringComparer.OrdinalIgnoreCase);

    public GitHubTokenPolicy(string? token, IEnumerable<string>? extraServerUrls = null)
    {
        Token = string.IsNullOrWhiteSpace(token) ? null : token.Trim();
        foreach (var h in PublicHosts) _hosts.Add(h);
        if (extraServerUrls is null) return;
        foreach (var url in extraServerUrls)
        {
            if (Uri.TryCreate(url, UriKind.Absolute, out var u) && !string.IsNullOrEmpty(u.Host))
            {
                _hosts.Add(u.Host);
                // GHES serves code downloads from codeload.<host> when subdomain isolation is on.
                _hosts.Add("codeload." + u.Host);
            }
        }
    }

    public string? Token { get; }

    /// <summary>The policy for the current environment (variables read now).</summary>
    public static GitHubTokenPolicy FromEnvironment() => new(
        Environment.GetEnvironmentVariable(TokenVariable),
        new[] { Environment.GetEnvironmentVariable(ServerUrlVariable) ?? "", Environment.GetEnvironmentVariable(ApiUrlVariable) ?? "" });

    /// <summary>Whether a request to <paramref name="uri"/> may carry the token.</summary>
    public bool Applies(Uri uri)
    {
        if (Token is null || !_hosts.Contains(uri.Host)) return false;
        return uri.Scheme == Uri.UriSchemeHttps || uri.IsLoopback || IPAddress.TryParse(uri.Host, out var ip) && IPAddress.IsLoopback(ip);
    }
}
