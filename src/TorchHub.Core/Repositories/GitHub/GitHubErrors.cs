using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using Octokit;
using TorchHub.Errors;
using TorchHub.Http;

namespace TorchHub.Repositories.GitHub;

/// <summary>
/// Turns GitHub failures into <see cref="HubException"/>s users can act on. Messages name
/// URLs and repositories, never the token (neither Octokit's nor HttpClient's messages carry headers).
/// </summary>
internal static class GitHubErrors
{
    /// <summary>Maps what an Octokit call threw (after retries) while doing <paramref name="what"/>.</summary>
    public static Exception Map(Exception ex, string what, string owner, string name, bool hasToken)
    {
        var target = $"{owner}/{name}";
        switch (ex)
        {
            case HubException:
                return ex;
            case RateLimitExceededException rate:
                return HttpStatusMapping.RateLimited(what, rate.Reset, rate.Limit, target, rate);
            case ApiException api when IsRateLimit(api, out var reset, out var limit):
                return HttpStatusMapping.RateLimited(what, reset, limit, target, api);
            case AuthorizationException auth:
                return new HubException(HubErrorIds.GitHubAuthenticationFailed, HubErrorCategory.AuthenticationError,
                    $"GitHub rejected the credentials while {what} (HTTP 401). Check GITHUB_TOKEN or the -Token/-Credential value.", target, auth);
            case NotFoundException notFound:
                return NotFound(owner, name, hasToken, notFound);
            case ApiException api:
                return new HubException(HubErrorIds.GitHubRequestFailed, HubErrorCategory.ConnectionError,
                    $"GitHub answered HTTP {(int)api.StatusCode} while {what}: {api.Message}", target, api);
            case TransientException { IsTimeout: true } timeout:
                return new HubException(HubErrorIds.GitHubTimeout, HubErrorCategory.OperationTimeout,
                    $"GitHub did not answer in time while {what}: {timeout.Message} (TORCHHUB_HTTP_TIMEOUT sets the limit in seconds).", target, timeout);
            case TransientException or HttpRequestException or System.IO.IOException:
                return new HubException(HubErrorIds.GitHubRequestFailed, HubErrorCategory.ConnectionError,
                    $"Could not reach GitHub while {what}: {ex.Message}", target, ex);
            default: // cancellation and programming errors pass through unchanged

                return ex;
        }
    }

    public static HubException NotFound(string owner, string name, bool hasToken, Exception? inner = null) =>
        new(HubErrorIds.GitHubRepositoryNotFound, HubErrorCategory.ObjectNotFound,
            $"The repository {owner}/{name} was not found on GitHub." +
            (hasToken ? " Check the name, and that the token can read it." : " If it is private, set GITHUB_TOKEN or pass -Token/-Credential."),
            $"{owner}/{name}", inner);

    private static bool IsRateLimit(ApiException api, out DateTimeOffset? reset, out int? limit)
    {
        reset = null;
        limit = null;
        if (api.StatusCode != HttpStatusCode.Forbidden && (int)api.StatusCode != 429) return false;
        var headers = api.HttpResponse?.Headers;
        string? Header(string key) => headers?.FirstOrDefault(h => string.Equals(h.Key, key, StringComparison.OrdinalIgnoreCase)).Value;
        if (long.TryParse(Header("X-RateLimit-Reset"), out var epoch)) reset = DateTimeOffset.FromUnixTimeSeconds(epoch);
        if (int.TryParse(Header("X-RateLimit-Limit"), out var l)) limit = l;
        return (int)api.StatusCode == 429 || Header("X-RateLimit-Remaining") == "0"
            || api.Message?.Contains("rate limit", StringComparison.OrdinalIgnoreCase) == true;
    }
}
