using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using Polly;
using TorchHub.Errors;
using TorchHub.Feedback;
using TorchHub.Http;

namespace TorchHub.Repositories.GitHub;

/// <summary>
/// Streams a repository archive (zipball) to a file with HttpClient, never holding it in
/// memory. Redirects are followed here rather than by the handler so the token goes only to
/// the GitHub hosts, never to the archive host they redirect to. A transfer that stalls for
/// longer than the timeout, a reset connection or a 5xx is retried from the start (Polly); a
/// 300 (the ref is both a branch and a tag) is reported to the caller. Deliberately small: the
/// general downloader (resume, parallel ranges) lives in the downloads room and may take over.
/// </summary>
internal sealed class ArchiveFetcher
{
    private const int MaxRedirects = 10;
    private const int BufferSize = 128 * 1024;
    public const int ProgressActivityId = 0x7401;

    // One handler for the process: connection pooling, the system proxy (HttpClient.DefaultProxy
    // reads http_proxy/https_proxy/no_proxy or the OS settings), no automatic redirects.
    private static readonly HttpClient Client = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseProxy = true,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(30),
    })
    { Timeout = Timeout.InfiniteTimeSpan };

    private readonly GitHubEndpoints _endpoints;
    private readonly ResiliencePipeline _retry;
    private readonly IHubFeedback _feedback;

    public ArchiveFetcher(GitHubEndpoints endpoints, ResiliencePipeline retry, IHubFeedback feedback)
    {
        _endpoints = endpoints;
        _retry = retry;
        _feedback = feedback;
    }

    /// <summary>Downloads <paramref name="url"/> to <paramref name="destination"/> (overwritten).</summary>
    /// <returns>The byte count, or null when GitHub answered 300 (ambiguous ref).</returns>
    public async Task<long?> FetchAsync(Uri url, string destination, string label, CancellationToken ct)
    {
        try
        {
            return await _retry.ExecuteAsync(token => new ValueTask<long?>(FetchOnceAsync(url, destination, label, token)), ct).ConfigureAwait(false);
        }
        catch (TransientException ex)
        {
            throw ex.IsTimeout
                ? new HubException(HubErrorIds.GitHubTimeout, HubErrorCategory.OperationTimeout,
                    $"Downloading {label} stalled: {ex.Message} (TORCHHUB_HTTP_TIMEOUT sets the limit in seconds).", url.ToString(), ex)
                : new HubException(HubErrorIds.ArchiveDownloadFailed, HubErrorCategory.ConnectionError,
                    $"Downloading {label} failed after {_endpoints.RetryCount + 1} attempts: {ex.Message}", url.ToString(), ex);
        }
        finally
        {
            _feedback.Progress(new HubProgress(ProgressActivityId, $"Downloading {label}", "Done", Completed: true));
        }
    }

    private async Task<long?> FetchOnceAsync(Uri url, string destination, string label, CancellationToken ct)
    {
        var current = url;
        for (var hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            request.Headers.UserAgent.Add(new ProductInfoHeaderValue("TorchHub", "1"));
            if (_endpoints.Token is { } token && _endpoints.IsGitHubHost(current))
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

            using var response = await SendAsync(request, ct).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status is 301 or 302 or 303 or 307 or 308)
            {
                if (hop >= MaxRedirects || response.Headers.Location is null)
                    throw new HubException(HubErrorIds.ArchiveDownloadFailed, HubErrorCategory.ProtocolError,
                        $"Downloading {label}: too many redirects or a redirect without a location.", url.ToString());
                current = response.Headers.Location.IsAbsoluteUri ? response.Headers.Location : new Uri(current, response.Headers.Location);
                continue;
            }
            if (status == 300) return null;
            if (status >= 500) throw new TransientException($"HTTP {status} from {current.GetLeftPart(UriPartial.Path)}");
            if (status == 404) throw new HttpNotFound();
            if (status == 401)
                throw new HubException(HubErrorIds.GitHubAuthenticationFailed, HubErrorCategory.AuthenticationError,
                    $"GitHub rejected the credentials while downloading {label} (HTTP 401). Check GITHUB_TOKEN or the -Token/-Credential value.", url.ToString());
            if (status is 403 or 429)
            {
                var remaining = Header(response, "X-RateLimit-Remaining");
                if (status == 429 || remaining == "0")
                {
                    DateTimeOffset? reset = long.TryParse(Header(response, "X-RateLimit-Reset"), out var epoch) ? DateTimeOffset.FromUnixTimeSeconds(epoch) : null;
                    int? limit = int.TryParse(Header(response, "X-RateLimit-Limit"), out var l) ? l : null;
                    throw GitHubErrors.RateLimited($"downloading {label}", reset, limit, url.ToString());
                }
            }
            if (status != 200)
                throw new HubException(HubErrorIds.ArchiveDownloadFailed, HubErrorCategory.ConnectionError,
                    $"Downloading {label}: HTTP {status} {response.ReasonPhrase} from {current.GetLeftPart(UriPartial.Path)}.", url.ToString());

            return await CopyAsync(response, destination, label, ct).ConfigureAwait(false);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_endpoints.Timeout);
        try
        {
            return await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new TransientException($"no answer from {request.RequestUri!.GetLeftPart(UriPartial.Path)} within {_endpoints.Timeout.TotalSeconds:0.#} s", timeout: true, inner: ex);
        }
        catch (HttpRequestException ex)
        {
            throw new TransientException(Innermost(ex), inner: ex);
        }
    }

    private async Task<long> CopyAsync(HttpResponseMessage response, string destination, string label, CancellationToken ct)
    {
        var total = response.Content.Headers.ContentLength;
        long done = 0;
        var lastReport = DateTime.MinValue;
        var buffer = new byte[BufferSize];
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            await using var input = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            await using var output = new FileStream(destination, FileMode.Create, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
            while (true)
            {
                // The timeout is for a stalled transfer, not the whole download: reset it per read.
                idle.CancelAfter(_endpoints.Timeout);
                var read = await input.ReadAsync(buffer, idle.Token).ConfigureAwait(false);
                if (read == 0) break;
                await output.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                done += read;
                var now = DateTime.UtcNow;
                if (now - lastReport > TimeSpan.FromMilliseconds(100))
                {
                    lastReport = now;
                    var percent = total is > 0 ? (int)(done * 100 / total.Value) : -1;
                    _feedback.Progress(new HubProgress(ProgressActivityId, $"Downloading {label}",
                        total is > 0 ? $"{Megabytes(done)} of {Megabytes(total.Value)}" : Megabytes(done), percent));
                }
            }
        }
        catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new TransientException($"no data for {_endpoints.Timeout.TotalSeconds:0.#} s after {done:N0} bytes", timeout: true, inner: ex);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException && !ct.IsCancellationRequested)
        {
            // A reset connection or a body shorter than its Content-Length ("truncated").
            throw new TransientException($"the transfer broke off after {done:N0} bytes ({Innermost(ex)})", inner: ex);
        }
        if (total is { } expected && done != expected)
            throw new TransientException($"received {done:N0} of {expected:N0} bytes");
        return done;
    }

    /// <summary>HttpClient wraps the useful part ("The response ended prematurely") in inner exceptions.</summary>
    private static string Innermost(Exception ex)
    {
        while (ex.InnerException is not null) ex = ex.InnerException;
        return ex.Message;
    }

    private static string Megabytes(long bytes) => $"{bytes / 1048576.0:0.0} MB";

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    /// <summary>404 from the archive URL; the caller knows whether the repository or the ref is missing.</summary>
    internal sealed class HttpNotFound : Exception
    {
        public HttpNotFound() : base("HTTP 404") { }
    }
}
