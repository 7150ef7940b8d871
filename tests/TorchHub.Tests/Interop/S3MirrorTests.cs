using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using TorchHub.Cache;
using TorchHub.Http;
using TorchHub.Tests.Hosting;
using TorchHub.Tests.Servers;
using Xunit;

namespace TorchHub.Tests.Interop;

/// <summary>
/// An S3-compatible store as the mirror: s3rver (npm) serves a bucket over plain GET, the way an S3
/// bucket with public read or a static website does. A locked weight file is restored from it,
/// verified against the locked hash, while the origin counts zero requests.
/// </summary>
public sealed class S3MirrorTests : HubTestBase
{
    [S3rverFact]
    public async Task ALockedFile_IsRestoredFromAnS3Bucket_AndTheOriginIsNeverAsked()
    {
        SetEnvironment("GITHUB_TOKEN", null);
        SetEnvironment(MirrorRule.Variable, null);
        SetEnvironment("TORCHHUB_OFFLINE", null);
        await using var origin = await FileServer.StartAsync();
        var port = FreePort();
        using var s3 = StartS3rver(port, Temp.Combine("s3data"));
        var bucket = $"http://127.0.0.1:{port}/models/";

        var data = FileServer.RandomBytes(2_500_000, seed: 11);
        var sha = FileServer.Sha256(data);
        var name = $"resnet-{sha[..8]}.pth";
        using (var client = new HttpClient())
        {
            // An anonymous PUT, as an upload job would (s3rver accepts unsigned requests).
            using var put = new ByteArrayContent(data);
            put.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
            (await client.PutAsync(bucket + "pytorch-models/" + name, put)).EnsureSuccessStatusCode();
        }

        var hub = new Hub(new HubOptions
        {
            HubDirectory = HubDir,
            Http = HttpOptions.FromEnvironment(mirrors: [new MirrorRule(origin.Url("models/"), bucket + "pytorch-models/")]),
        });
        var restored = hub.Restore(new LockedFile(origin.Url("models/" + name), name, sha));

        Assert.Equal(RestoreOutcome.Added, restored.Outcome);
        Assert.Equal(data, File.ReadAllBytes(Path.Combine(HubDir, "checkpoints", name)));
        Assert.Empty(origin.Requests);
        Assert.Equal(RestoreOutcome.Present, hub.Restore(new LockedFile(origin.Url("models/" + name), name, sha)).Outcome);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>s3rver on 127.0.0.1 with the bucket "models", killed on dispose.</summary>
    private static S3rverProcess StartS3rver(int port, string folder)
    {
        Directory.CreateDirectory(folder);
        var start = new ProcessStartInfo(S3rverFactAttribute.Path!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-d", folder, "-a", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent", "--configure-bucket", "models" })
            start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        _ = process.StandardError.ReadToEndAsync();
        var started = new S3rverProcess(process);
        // Ready when its port answers (it prints nothing with --silent).
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"s3rver exited with {process.ExitCode}: {process.StandardOutput.ReadToEnd()}");
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, port);
                return started;
            }
            catch (SocketException)
            {
                Thread.Sleep(200);
            }
        }
        started.Dispose();
        throw new TimeoutException("s3rver did not listen within 60 s");
    }

    private sealed class S3rverProcess(Process process) : IDisposable
    {
        public void Dispose()
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
            process.Dispose();
        }
    }
}
