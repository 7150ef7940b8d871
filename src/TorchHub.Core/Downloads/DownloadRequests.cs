using System;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using TorchHub.Errors;
using TorchHub.Http;

namespace TorchHub.Downloads;

/// <summary>
/// The GET requests of one download, through the one HTTP layer: a range and its If-Range
/// validator when resuming, the status judged by <see cref="HttpStatusMapping"/>, a 416 turned
/// into a restart, and an HTML page where a file was expected refused.
/// </summary>
internal sealed class DownloadRequests
{
    private readonly RedirectFollower _http;

    public DownloadRequests(RedirectFollower http) => _http = http;

    public HttpOptions Options => _http.Options;

    /// <summary>GETs <paramref name="uri"/> (a range of it, valid only while <paramref name="ifRange"/> still names the same version); the response is 200 or 206.</summary>
    public async Task<HttpResponseMessage> GetAsync(DownloadJob job, Uri uri, RangeHeaderValue? range, string? ifRange, CancellationToken cancellationToken)
    {
        var response = await _http.SendAsync(uri, request =>
        {
            request.Headers.AcceptEncoding.ParseAdd("identity");
            if (range is null) return;
            request.Headers.Range = range;
            if (ifRange is not null)
                request.Headers.IfRange = ifRange.StartsWith('"') || ifRange.StartsWith("W/", StringComparison.Ordinal)
                    ? new RangeConditionHeaderValue(EntityTagHeaderValue.Parse(ifRange))
                    : new RangeConditionHeaderValue(DateTimeOffset.Parse(ifRange, CultureInfo.InvariantCulture));
        }, cancellationToken).ConfigureAwait(false);
        try
        {
            if ((int)response.StatusCode == 416 && range is not null) throw new RestartException("the server refused the range (416).");
            HttpStatusMapping.EnsureSuccess(response, job.RequestUri, Options, _http.SendsTokenTo(response.RequestMessage?.RequestUri ?? uri));
            if (response.Content.Headers.ContentType?.MediaType is "text/html" && !LooksLikeHtmlName(job.Paths.Destination))
                throw new HubException(HubErrorIds.UnexpectedHtmlResponse, HubErrorCategory.InvalidData,
                    $"'{job.DisplayUri}' returned an HTML page, not the file '{Path.GetFileName(job.Paths.Destination)}'. It may be a web page about the file (a GitHub 'blob' page, a login or error page).",
                    job.DisplayUri)
                {
                    RecommendedAction = "Use the file's direct download address (on GitHub: the 'raw' or release-download URL).",
                };
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private static bool LooksLikeHtmlName(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".html" or ".htm" or ".xhtml";
}
