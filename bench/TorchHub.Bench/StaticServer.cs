using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TorchHub.Bench;

/// <summary>
/// A plain static file server on 127.0.0.1 (Kestrel's static-file middleware: Range, ETag,
/// Last-Modified), with an optional per-connection bandwidth cap to imitate a CDN that
/// throttles each connection, and a byte counter at /_stats (bytes of file data sent).
/// </summary>
internal sealed class StaticServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private static long _bytesSent;
    private int _requests;

    private StaticServer(WebApplication app, string url) { _app = app; Url = url; }

    public string Url { get; }

    public static long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>Requests this server answered (not /_stats).</summary>
    public int Requests => Volatile.Read(ref _requests);

    public static void ResetCounter() => Interlocked.Exchange(ref _bytesSent, 0);

    public static async Task<StaticServer> StartAsync(string folder, int port, long bytesPerSecond)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        StaticServer? self = null;
        app.Use(async (ctx, next) =>
        {
            if (ctx.Request.Path == "/_stats")
            {
                await ctx.Response.WriteAsync(BytesSent.ToString(CultureInfo.InvariantCulture));
                return;
            }
            Interlocked.Increment(ref self!._requests);
            ctx.Response.Body = new CountingStream(ctx.Response.Body, bytesPerSecond);
            await next();
        });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(Path.GetFullPath(folder)),
            ServeUnknownFileTypes = true,
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return self = new StaticServer(app, address.TrimEnd('/'));
    }

    public static async Task<int> ServeForeverAsync(string folder, int port, long bytesPerSecond)
    {
        await using var server = await StartAsync(folder, port, bytesPerSecond);
        Console.WriteLine(server.Url);
        // Until Ctrl+C or SIGTERM (the host's console lifetime stops the app).
        await server._app.WaitForShutdownAsync();
        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Counts bytes written and, when capped, paces them per response (one response = one connection's stream).</summary>
    private sealed class CountingStream : Stream
    {
        private readonly Stream _inner;
        private readonly long _rate;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _written;

        public CountingStream(Stream inner, long rate) { _inner = inner; _rate = rate; }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            // Pace in 64 KiB slices so a capped connection streams smoothly.
            for (var offset = 0; offset < buffer.Length;)
            {
                var n = _rate > 0 ? Math.Min(64 * 1024, buffer.Length - offset) : buffer.Length - offset;
                await _inner.WriteAsync(buffer.Slice(offset, n), cancellationToken);
                offset += n;
                _written += n;
                Interlocked.Add(ref _bytesSent, n);
                if (_rate > 0)
                {
                    var due = TimeSpan.FromSeconds((double)_written / _rate) - _clock.Elapsed;
                    if (due > TimeSpan.Zero) await Task.Delay(due, cancellationToken);
                }
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();
        public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);
        public override void Flush() => _inner.Flush();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
