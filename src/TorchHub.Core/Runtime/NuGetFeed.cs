using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using TorchHub.Http;
using TorchHub.Errors;

namespace TorchHub.Runtime;

/// <summary>
/// The two parts of a NuGet v3 feed the runtime installer needs, found through the feed's
/// service index: the flat container (<c>PackageBaseAddress/3.0.0</c>) for the .nupkg, and,
/// when the feed has one, the registration (<c>RegistrationsBaseUrl</c>) whose catalog entry
/// publishes the package's SHA-512 (<c>packageHash</c>). Requests go through TorchHub's one HTTP
/// client (proxies from the environment).
/// </summary>
internal sealed class NuGetFeed
{
    /// <summary>nuget.org's service index, the default feed.</summary>
    public const string DefaultSource = "https://api.nuget.org/v3/index.json";

    /// <summary>Another feed (a company mirror, Azure Artifacts, a local stand-in).</summary>
    public const string Variable = "TORCHHUB_RUNTIME_FEED";

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(100);
    private readonly HttpClient _http;

    private NuGetFeed(Uri source, Uri packageBase, Uri? registrationBase, HttpClient http)
    {
        Source = source;
        PackageBase = packageBase;
        RegistrationBase = registrationBase;
        _http = http;
    }

    public Uri Source { get; }

    public Uri PackageBase { get; }

    public Uri? RegistrationBase { get; }

    /// <summary>The feed named by <paramref name="source"/>, else TORCHHUB_RUNTIME_FEED, else nuget.org.</summary>
    public static Uri ResolveSource(string? source)
    {
        var value = source is { Length: > 0 } ? source
            : Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } env ? env : DefaultSource;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            throw new HubException(HubErrorIds.InvalidUri, HubErrorCategory.InvalidArgument,
                $"'{value}' is not the http(s) address of a NuGet v3 service index (e.g. {DefaultSource}).", value);
        return uri;
    }

    /// <summary>Reads the service index; RuntimeFeedUnavailable when the feed cannot be reached or is not a v3 feed.</summary>
    public static async Task<NuGetFeed> OpenAsync(Uri source, CancellationToken cancellationToken, HttpClient? http = null)
    {
        http ??= HubHttp.Client;
        using var index = await GetJsonAsync(http, source, cancellationToken).ConfigureAwait(false)
            ?? throw Unavailable(source, "the service index was not found (404)");
        Uri? Resource(string typePrefix)
        {
            if (!index.RootElement.TryGetProperty("resources", out var resources) || resources.ValueKind != JsonValueKind.Array) return null;
            var id = resources.EnumerateArray()
                .Where(r => r.TryGetProperty("@type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString()!.StartsWith(typePrefix, StringComparison.Ordinal))
                .Select(r => r.TryGetProperty("@id", out var i) ? i.GetString() : null)
                .FirstOrDefault(i => i is not null);
            return id is not null && Uri.TryCreate(source, id.EndsWith('/') ? id : id + "/", out var uri) ? uri : null;
        }
        var packageBase = Resource("PackageBaseAddress/3.0.0")
            ?? throw Unavailable(source, "its service index names no PackageBaseAddress/3.0.0 resource (is it a NuGet v3 feed?)");
        return new NuGetFeed(source, packageBase, Resource("RegistrationsBaseUrl"), http);
    }

    /// <summary>The .nupkg's address in the flat container.</summary>
    public Uri PackageUri(RuntimePackage package) =>
        new(PackageBase, $"{package.LowerId}/{package.Version.ToLowerInvariant()}/{package.LowerId}.{package.Version.ToLowerInvariant()}.nupkg");

    /// <summary>
    /// The SHA-512 (base64) the feed publishes for the package in its catalog entry, or null when
    /// the feed publishes none (no registration resource, or a proxy that does not serve it).
    /// </summary>
    public async Task<string?> TryGetPublishedHashAsync(RuntimePackage package, CancellationToken cancellationToken)
    {
        if (RegistrationBase is null) return null;
        try
        {
            using var leaf = await GetJsonAsync(_http, new Uri(RegistrationBase, $"{package.LowerId}/{package.Version.ToLowerInvariant()}.json"), cancellationToken).ConfigureAwait(false);
            if (leaf is null || !leaf.RootElement.TryGetProperty("catalogEntry", out var entry) || entry.ValueKind != JsonValueKind.String) return null;
            using var catalog = await GetJsonAsync(_http, new Uri(entry.GetString()!), cancellationToken).ConfigureAwait(false);
            if (catalog is null) return null;
            var root = catalog.RootElement;
            return root.TryGetProperty("packageHashAlgorithm", out var algorithm) && string.Equals(algorithm.GetString(), "SHA512", StringComparison.OrdinalIgnoreCase)
                && root.TryGetProperty("packageHash", out var hash) ? hash.GetString() : null;
        }
        catch (HubException)
        {
            return null; // The hash is a second check; the pinned one is always applied.
        }
    }

    // Null for 404; RuntimeFeedUnavailable for anything else that is not JSON.
    private static async Task<JsonDocument?> GetJsonAsync(HttpClient http, Uri uri, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (response.StatusCode == System.Net.HttpStatusCode.NotFound) return null;
            if (!response.IsSuccessStatusCode) throw Unavailable(uri, $"it answered {(int)response.StatusCode} {response.ReasonPhrase}");
            var body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            // nuget.org serves its registration gzip-encoded (registration5-gz); the shared client does not decompress.
            await using Stream stream = response.Content.Headers.ContentEncoding.Contains("gzip") ? new GZipStream(body, CompressionMode.Decompress) : body;
            return await JsonDocument.ParseAsync(stream, cancellationToken: timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Unavailable(uri, $"no answer within {RequestTimeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException ex)
        {
            throw Unavailable(uri, ex.Message);
        }
        catch (JsonException ex)
        {
            throw Unavailable(uri, $"the answer is not JSON ({ex.Message})");
        }
    }

    private static HubException Unavailable(Uri uri, string why) =>
        new(HubErrorIds.RuntimeFeedUnavailable, HubErrorCategory.ConnectionError, $"The NuGet feed cannot be used: '{uri}': {why}.", uri.ToString())
        {
            RecommendedAction = $"Check the network and proxy (https_proxy), or name a reachable NuGet v3 feed with -Source or {Variable}.",
        };
}
