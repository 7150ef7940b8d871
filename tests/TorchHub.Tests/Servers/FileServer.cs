using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TorchHub.Tests.Servers;

/// <summary>
/// A real HTTP file server on 127.0.0.1 (Kestrel, random port) with faults a test can inject
/// per file: 5xx answers, connection resets mid-body, truncated bodies, a lying
/// Content-Length, ignored Range, content that changes between requests, a slow trickle, a
/// stall, redirects. It implements single ranges and If-Range itself so the faults can bend them.
/// </summary>
public sealed class FileServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ServedFile> _files = new();
    private readonly ConcurrentDictionary<string, string> _redirects = new();

    private FileServer(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    /// <summary>Every request seen, in order.</summary>
    public ConcurrentQueue<SeenRequest> Requests { get; } = new();

    /// <summary>Starts on <paramref name="host"/>; with a <paramref name="certificate"/> it serves HTTPS (trust it with <see cref="TestCertificates.Trust"/>).</summary>
    public static async Task<FileServer> StartAsync(string host = "127.0.0.1", System.Security.Cryptography.X509Certificates.X509Certificate2? certificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (certificate is null) builder.WebHost.UseUrls($"http://{host}:0");
        else builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Parse(host), 0, l => l.UseHttps(certificate)));
        var app = builder.Build();
        FileServer? server = null;
        app.Run(ctx => server!.HandleAsync(ctx));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new FileServer(app, address.TrimEnd('/'));
        return server;
    }

    public string Url(string path) => BaseUrl + "/" + path.TrimStart('/');

    public ServedFile Add(string path, byte[] content, string contentType = "application/octet-stream")
    {
        var file = new ServedFile(content, contentType);
        _files["/" + path.TrimStart('/')] = file;
        return file;
    }

    /// <summary>Random content of the given size (seeded, so reruns are comparable).</summary>
    public static byte[] RandomBytes(int size, int seed = 1)
    {
        var data = new byte[size];
        new Random(seed).NextBytes(data);
        return data;
    }

    public static string Sha256(byte[] data) => Convert.ToHexString(SHA256.HashData(data)).ToLowerInvariant();

    /// <summary>Answers <paramref name="from"/> with a 302 to <paramref name="to"/> (absolute or a path on this server).</summary>
    public void Redirect(string from, string to) => _redirects["/" + from.TrimStart('/')] = to;

    public int RequestCount(string path) => Requests.Count(r => r.Path == "/" + path.TrimStart('/'));

    private async Task HandleAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "/";
        var seen = new SeenRequest(path, ctx.Request.Headers.Range.ToString(), ctx.Request.Headers.IfRange.ToString(),
            ctx.Request.Headers.Authorization.ToString(), ctx.Request.Headers.UserAgent.ToString(), ctx.Request.Host.Value ?? "");
        Requests.Enqueue(seen);

        if (_redirects.TryGetValue(path, out var target))
        {
            ctx.Response.StatusCode = 302;
            ctx.Response.Headers.Location = target;
            return;
        }
        if (!_files.TryGetValue(path, out var file))
        {
            ctx.Response.StatusCode = 404;
            return;
        }

        if (file.HeaderDelay > TimeSpan.Zero) await Task.Delay(file.HeaderDelay, ctx.RequestAborted);
        var n = Interlocked.Increment(ref file.Served);
        if (n <= file.FailFirst)
        {
            ctx.Response.StatusCode = file.FailStatus;
            if (file.RetryAfter is { } after) ctx.Response.Headers.RetryAfter = after;
            return;
        }
        if (file.ChangeOnRequest is { } change && n == change)
            file.Replace(RandomBytes(file.Content.Length, seed: n + 100));

        var content = file.Content;
        var etag = file.ETag;
        long start = 0, end = content.Length - 1;
        var partial = false;
        var range = ctx.Request.Headers.Range.ToString();
        var ifRange = ctx.Request.Headers.IfRange.ToString();
        if (!file.IgnoreRange && range.StartsWith("bytes=", StringComparison.Ordinal) && (ifRange.Length == 0 || ifRange == etag || ifRange == file.LastModified))
        {
            var spec = range["bytes=".Length..].Split('-');
            start = long.Parse(spec[0], CultureInfo.InvariantCulture);
            if (spec[1].Length > 0) end = Math.Min(end, long.Parse(spec[1], CultureInfo.InvariantCulture));
            if (start >= content.Length)
            {
                ctx.Response.StatusCode = 416;
                ctx.Response.Headers.ContentRange = $"bytes */{content.Length}";
                return;
            }
            partial = true;
        }

        ctx.Response.StatusCode = partial ? 206 : 200;
        ctx.Response.ContentType = file.ContentType;
        if (file.SendValidators)
        {
            ctx.Response.Headers.ETag = etag;
            ctx.Response.Headers.LastModified = file.LastModified;
        }
        ctx.Response.Headers.AcceptRanges = "bytes";
        if (partial) ctx.Response.Headers.ContentRange = $"bytes {start}-{end}/{content.Length}";
        var length = end - start + 1;
        ctx.Response.ContentLength = length + (file.LieLength ? 1000 : 0);

        // Faults that cut the body short act on the first requests only (unless Always), so a retry can succeed.
        var cut = n - file.FailFirst <= file.CutTimes || file.CutTimes < 0 ? file.CutAfter : null;
        var sent = 0L;
        var chunk = file.TrickleBytes > 0 ? file.TrickleBytes : 64 * 1024;
        while (sent < length)
        {
            var size = (int)Math.Min(chunk, length - sent);
            if (cut is { } limit && sent + size > limit) size = (int)Math.Max(0, limit - sent);
            if (size > 0)
            {
                await ctx.Response.Body.WriteAsync(content.AsMemory((int)(start + sent), size), ctx.RequestAborted);
                await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
                sent += size;
                Interlocked.Add(ref file.BytesSent, size);
            }
            if (cut is { } c && sent >= c)
            {
                switch (file.CutMode)
                {
                    case CutMode.Reset:
                        ctx.Abort();
                        return;
                    case CutMode.Stall:
                        try { await Task.Delay(TimeSpan.FromSeconds(30), ctx.RequestAborted); } catch (OperationCanceledException) { }
                        ctx.Abort();
                        return;
                    default: // Truncate: let the bytes sent so far arrive, then close the connection short of Content-Length.
                        await Task.Delay(150);
                        ctx.Abort();
                        return;
                }
            }
            if (file.TrickleDelay > TimeSpan.Zero) await Task.Delay(file.TrickleDelay, ctx.RequestAborted);
        }
        if (file.LieLength)
        {
            // It promised 1000 more bytes than it had: the client waits, then the connection closes.
            await Task.Delay(150);
            ctx.Abort();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public enum CutMode { Truncate, Reset, Stall }

public sealed record SeenRequest(string Path, string Range, string IfRange, string Authorization, string UserAgent, string Host);

/// <summary>One file on the <see cref="FileServer"/> and its faults.</summary>
public sealed class ServedFile
{
    private static int _version;

    public ServedFile(byte[] content, string contentType)
    {
        ContentType = contentType;
        Replace(content);
    }

    public byte[] Content { get; private set; } = Array.Empty<byte>();
    public string ETag { get; private set; } = "";
    public string LastModified { get; private set; } = "";
    public string ContentType { get; set; }

    public int Served;
    public long BytesSent;

    /// <summary>The first N requests get <see cref="FailStatus"/>.</summary>
    public int FailFirst { get; set; }
    public int FailStatus { get; set; } = 500;
    /// <summary>Retry-After sent with the <see cref="FailFirst"/> answers (seconds or an HTTP date).</summary>
    public string? RetryAfter { get; set; }
    /// <summary>Wait this long before answering at all (a server that does not respond).</summary>
    public TimeSpan HeaderDelay { get; set; }
    /// <summary>Body cut after this many bytes, for the first <see cref="CutTimes"/> successful requests (-1: always).</summary>
    public long? CutAfter { get; set; }
    public int CutTimes { get; set; } = 1;
    public CutMode CutMode { get; set; }
    public bool IgnoreRange { get; set; }
    /// <summary>Request number at which the content (and ETag) changes.</summary>
    public int? ChangeOnRequest { get; set; }
    public int TrickleBytes { get; set; }
    public TimeSpan TrickleDelay { get; set; }
    public bool LieLength { get; set; }
    public bool SendValidators { get; set; } = true;

    public void Replace(byte[] content)
    {
        Content = content;
        var v = Interlocked.Increment(ref _version);
        ETag = $"\"v{v}-{FileServer.Sha256(content)[..8]}\"";
        LastModified = DateTimeOffset.UtcNow.AddMinutes(-v).ToString("R", CultureInfo.InvariantCulture);
    }
}
