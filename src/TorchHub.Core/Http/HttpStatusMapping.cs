using System;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using TorchHub.Errors;

namespace TorchHub.Http;

/// <summary>
/// The one place a final HTTP status becomes an outcome: 200/206 pass; 408, 425, 429, 5xx are
/// <see cref="TransientException"/>s (with the server's Retry-After when it sends one); GitHub's
/// exhausted rate limit is <see cref="HubErrorIds.GitHubRateLimited"/> (not retried); anything
/// else is an <see cref="HttpStatusException"/> the caller may interpret (404 means a missing
/// ref to the repository code, a missing file to the downloader).
/// </summary>
internal static class HttpStatusMapping
{
    public const string TokenHint = "Set GITHUB_TOKEN (or pass -Token/-Credential) to raise GitHub's limit from 60 to 5,000 requests an hour";

    /// <summary>Throws unless <paramref name="response"/> is 200 or 206. <paramref name="requested"/> names the request in messages.</summary>
    public static void EnsureSuccess(HttpResponseMessage response, Uri requested, HttpOptions options, bool tokenSent)
    {
        var status = (int)response.StatusCode;
        if (status is 200 or 206) return;
        var url = SafeUrl.Display(requested);
        var reason = $"{status} {response.ReasonPhrase}".Trim();
        var retryAfter = RetryAfter(response);

        if (status is 403 or 429 && Header(response, "X-RateLimit-Remaining") == "0" && (retryAfter is null || retryAfter > options.MaxRetryAfter))
        {
            DateTimeOffset? reset = long.TryParse(Header(response, "X-RateLimit-Reset"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch)
                ? DateTimeOffset.FromUnixTimeSeconds(epoch) : null;
            int? limit = int.TryParse(Header(response, "X-RateLimit-Limit"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l : null;
            throw RateLimited($"downloading '{url}'", reset, limit, url);
        }
        if (status is 429 or 503 && retryAfter > options.MaxRetryAfter)
            throw new HttpStatusException(status, HubErrorIds.DownloadHttpError, HubErrorCategory.LimitsExceeded,
                $"'{url}' answered {reason} and asks to wait {retryAfter.Value.TotalSeconds:0} s, longer than TorchHub waits ({options.MaxRetryAfter.TotalSeconds:0} s).", url,
                "Try again later.");
        if (status is 408 or 425 or 429 or >= 500)
            throw new TransientException(HubErrorIds.DownloadHttpError, $"the server answered {reason}.") { RetryAfter = retryAfter };
        if (status is 404 or 410)
            throw new HttpStatusException(status, HubErrorIds.DownloadNotFound, HubErrorCategory.ObjectNotFound, $"'{url}' was not found on the server ({reason}).", url);
        if (status == 401 && tokenSent)
            throw new HttpStatusException(status, HubErrorIds.GitHubAuthenticationFailed, HubErrorCategory.AuthenticationError,
                $"The server rejected the credentials for '{url}' (HTTP 401). Check GITHUB_TOKEN or the -Token/-Credential value.", url);
        throw new HttpStatusException(status, HubErrorIds.DownloadHttpError, status is 401 or 403 ? HubErrorCategory.PermissionDenied : HubErrorCategory.InvalidResult,
            $"Downloading '{url}' failed: the server answered {reason}.", url,
            status is 401 or 403 ? "For a private GitHub file, set GITHUB_TOKEN (sent only to GitHub hosts)." : null);
    }

    public static HubException RateLimited(string what, DateTimeOffset? reset, int? limit, object? target, Exception? inner = null)
    {
        var when = reset is { } r
            ? $" It resets at {r.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC (in {Math.Max(0, Math.Ceiling((r - DateTimeOffset.UtcNow).TotalMinutes))} min)."
            : "";
        var limitText = limit is { } l ? $" (limit {l} requests an hour)" : "";
        return new HubException(HubErrorIds.GitHubRateLimited, HubErrorCategory.LimitsExceeded,
            $"GitHub's rate limit is exhausted{limitText} while {what}.{when} {TokenHint}; -SkipValidation or a cached repository also saves requests.",
            target, inner)
        { RecommendedAction = TokenHint + "." };
    }

    /// <summary>Retry-After as seconds or as an HTTP date.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (header?.Date is { } date) return date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        return null;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}

/// <summary>
/// A final HTTP status that is an error. <see cref="Status"/> lets a caller give it a more specific
/// meaning (a missing ref rather than a missing file); <see cref="Error"/> is what the user sees otherwise.
/// </summary>
internal sealed class HttpStatusException : Exception
{
    public HttpStatusException(int status, string errorId, HubErrorCategory category, string message, object? target, string? recommendedAction = null)
        : base(message)
    {
        Status = status;
        Error = new HubException(errorId, category, message, target, this) { RecommendedAction = recommendedAction };
    }

    public int Status { get; }

    public HubException Error { get; }
}
