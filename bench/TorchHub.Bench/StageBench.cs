using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Security.Cryptography;
using System.Threading.Tasks;
using TorchHub.Downloads;

namespace TorchHub.Bench;

/// <summary>
/// Where a download's time goes, over the same server and file in this process: the network read
/// alone, read then write, read then write then SHA-256 one after another (how a naive loop does
/// it), and the engine (which overlaps the three). Each stage is the best of two runs.
/// </summary>
internal static class StageBench
{
    private const int Buffer = 1 << 20;

    public static async Task RunAsync(string url, string folder, long size, string sha256, Action<string, double, string> line)
    {
        using var client = new HttpClient();
        var read = await Best(() => Stage(client, url, null, null));
        var readWrite = await Best(() => Stage(client, url, Path.Combine(folder, "stage.bin"), null));
        var all = await Best(() => Stage(client, url, Path.Combine(folder, "stage.bin"), SHA256.Create()));
        var engine = await Best(async () =>
        {
            var clock = Stopwatch.StartNew();
            await new Hub().SaveFileAsync(new SaveFileRequest(url) { Destination = Path.Combine(folder, "engine.bin"), ReuseExisting = false, HashPrefix = sha256 });
            return clock.Elapsed.TotalSeconds;
        });
        line("stage: read only (HttpClient, 1 MiB buffers)", size / read, "");
        line("stage: read + write, one after the other", size / readWrite, "");
        line("stage: read + write + SHA-256, one after the other", size / all, "");
        line("stage: engine (read, write, SHA-256 overlapped)", size / engine,
            string.Create(CultureInfo.InvariantCulture, $"{100 * read / engine:0}% of read-only; {all / engine:0.00}x the sequential loop"));
    }

    private static async Task<double> Best(Func<Task<double>> run) => Math.Min(await run(), await run());

    private static async Task<double> Stage(HttpClient client, string url, string? file, HashAlgorithm? hash)
    {
        var buffer = new byte[Buffer];
        var clock = Stopwatch.StartNew();
        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        await using var output = file is null ? null : new FileStream(file, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        int n;
        while ((n = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false)) > 0)
        {
            output?.Write(buffer, 0, n);
            hash?.TransformBlock(buffer, 0, n, null, 0);
        }
        hash?.TransformFinalBlock(Array.Empty<byte>(), 0, 0);
        hash?.Dispose();
        return clock.Elapsed.TotalSeconds;
    }
}
