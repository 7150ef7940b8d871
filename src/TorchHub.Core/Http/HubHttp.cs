using System;
using System.Net;
using System.Net.Http;

namespace TorchHub.Http;

/// <summary>
/// The process-wide HTTP client for downloads (sockets are pooled; one client per request
/// would exhaust ports). Redirects are followed by the downloader itself so the GitHub token
/// is decided per hop and the final URL can be reused for range requests. The proxy comes
/// from the environment (http_proxy / https_proxy / no_proxy, or the system setting on Windows).
/// No automatic decompression: ranges and hashes are over the bytes as served.
/// </summary>
internal static class HubHttp
{
    private static readonly Lazy<HttpClient> Shared = new(Create);

    public static HttpClient Client => Shared.Value;

    public static HttpClient Create() => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseProxy = true,
        ConnectTimeout = TimeSpan.FromSeconds(30),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        MaxConnectionsPerServer = 64,
    })
    {
        // The downloader's own stall timeout governs; no overall cap for multi-GB files.
        Timeout = System.Threading.Timeout.InfiniteTimeSpan,
    };
}
