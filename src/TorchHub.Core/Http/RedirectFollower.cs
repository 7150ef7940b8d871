using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using TorchHub.Errors;

namespace TorchHub.Http;

/// <summary>
/// The one way TorchHub sends a request: refuses it in offline mode, follows up to
/// <see cref="MaxRedirects"/> redirects itself (never from HTTPS to HTTP, never to a non-HTTP
/// scheme), attaches the token only where <see cref="GitHubTokenPolicy"/> allows for each hop,
/// and bounds the wait for response headers by <see cref="HttpOptions.Timeout"/>. It returns
/// the first response that is not a redirect; <see cref="HttpStatusMapping"/> judges it.
/// </summary>
internal sealed class RedirectFollower
{
    public const int MaxRedirects = 10;

    private readonly HttpClient _client;
    private readonly GitHubTokenPolicy _token;

    public RedirectFollower(HttpOptions options, HttpClient? client = null)
    {
        Options = options;
        _client = client ?? HubHttp.Client;
        _token = GitHubTokenPolicy.For(options);
    }

    public HttpOptions Options { get; }

    /// <summary>Whether a request to <paramref name="uri"/> would carry the token (messages use it to give the right hint).</summary>
    public bool SendsTokenTo(Uri uri) => _token.Applies(uri);

    /// <summary>
    /// GETs <paramref name="uri"/>; <paramref name="configure"/> adds headers to the request of
    /// every hop (Range, If-Range, Accept). Throws <see cref="TransientException"/> for a failed
    /// connection or a timeout, <see cref="HubException"/> for a refused redirect or offline mode.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(Uri uri, Action<HttpRequestMessage>? configure, CancellationToken cancellationToken)
    {
        if (Options.Offline) throw OfflineMode.Refused($"'{SafeUrl.Display(uri)}'");
        RequireHttp(uri, uri);
        var current = uri;
        for (var hop = 0; hop <= MaxRedirects; hop++)
        {
            var response = await SendOnceAsync(current, configure, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status is not (301 or 302 or 303 or 307 or 308) || response.Headers.Location is not { } location)
                return response;
            response.Dispose();
            var target = location.IsAbsoluteUri ? location : new Uri(current, location);
            if (current.Scheme == Uri.UriSchemeHttps && target.Scheme == Uri.UriSchemeHttp)
                throw new HubException(HubErrorIds.InsecureRedirect, HubErrorCategory.SecurityError,
                    $"'{SafeUrl.Display(uri)}' redirects from HTTPS to '{SafeUrl.Display(target)}'; refusing the insecure redirect.", SafeUrl.Display(uri))
                {
                    RecommendedAction = "Use an HTTPS address that stays on HTTPS, or ask the server's owner to fix the redirect.",
                };
            RequireHttp(target, uri);
            current = target;
        }
        throw new HubException(HubErrorIds.TooManyRedirects, HubErrorCategory.ProtocolError,
            $"'{SafeUrl.Display(uri)}' redirected more than {MaxRedirects} times.", SafeUrl.Display(uri));
    }

    private async Task<HttpResponseMessage> SendOnceAsync(Uri uri, Action<HttpRequestMessage>? configure, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.UserAgent.ParseAdd(Options.UserAgent);
        configure?.Invoke(request);
        // Decided here and nowhere else, for this hop's scheme, host and port.
        request.Headers.Authorization = _token.Applies(uri) ? new AuthenticationHeaderValue("Bearer", _token.Token) : null;

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.Timeout);
        try
        {
            return await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TransientException(HubErrorIds.DownloadStalled,
                $"no answer from {uri.Host} within {Options.Timeout.TotalSeconds:0.#} s ({HttpOptions.TimeoutVariable} sets the limit in seconds).", ex);
        }
        catch (HttpRequestException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TransientException(HubErrorIds.DownloadFailed, $"could not reach {uri.Host}: {Innermost(ex)}", ex);
        }
    }

    private static void RequireHttp(Uri target, Uri requested)
    {
        if (target.Scheme == Uri.UriSchemeHttp || target.Scheme == Uri.UriSchemeHttps) return;
        throw new HubException(HubErrorIds.UnsupportedUriScheme, HubErrorCategory.InvalidData,
            ReferenceEquals(target, requested)
                ? $"'{SafeUrl.Display(target)}' is not an HTTP(S) address."
                : $"'{SafeUrl.Display(requested)}' redirects to '{SafeUrl.Display(target)}', which is not an HTTP(S) address.",
            SafeUrl.Display(requested));
    }

    /// <summary>HttpClient wraps the useful part ("Connection refused") in inner exceptions.</summary>
    internal static string Innermost(Exception ex)
    {
        while (ex.InnerException is not null) ex = ex.InnerException;
        return ex.Message;
    }
}
