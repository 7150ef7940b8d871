using System;
using System.Net;
using System.Net.Http;

namespace TorchHub.Http;

/// <summary>
/// The process-wide HTTP client (one <see cref="SocketsHttpHandler"/>: sockets are pooled; a
/// client per request would exhaust ports). Every request TorchHub sends goes through it via
/// <see cref="RedirectFollower"/>, which follows redirects itself so the token and the scheme
/// rule are decided per hop. The proxy comes from the environment (http_proxy / https_proxy /
/// no_proxy, or the system setting on Windows). No automatic decompression: ranges and hashes
/// are over the bytes as served. No overall timeout: <see cref="HttpOptions.Timeout"/> bounds
/// each wait instead, so multi-GB files are not cut off.
/// </summary>
internal static class HubHttp
{
    private static readonly Lazy<HttpClient> Shared = new(Create);

    public static HttpClient Client => Shared.Value;

    private static HttpClient Create() => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseProxy = true,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(30),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        MaxConnectionsPerServer = 64,
    })
    {
        Timeout = System.Threading.Timeout.InfiniteTimeSpan,
    };
}
