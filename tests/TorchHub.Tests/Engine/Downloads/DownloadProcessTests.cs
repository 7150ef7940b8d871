using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using TorchHub.Errors;
using TorchHub.Tests.Hosting;
using TorchHub.Tests.Servers;
using Xunit;

namespace TorchHub.Tests.Engine.Downloads;

/// <summary>Real processes: two downloaders at once, a killed downloader resumed, proxies, a full disk, PyTorch.</summary>
public sealed class DownloadProcessTests : DownloadTestBase
{
    private static Process StartFetch(string url, string destination, Dictionary<string, string>? env = null) => BenchFetch.Start(url, destination, env);

    private static Task<string> Output(Process p) => BenchFetch.Output(p);

    [Fact]
    public async Task TwoProcesses_DownloadOnce_TheOtherWaitsAndReuses()
    {
        var data = FileServer.RandomBytes(1 << 20);
        var f = Server.Add("shared.pth", data);
        f.TrickleBytes = 64 * 1024;
        f.TrickleDelay = TimeSpan.FromMilliseconds(40);
        var dst = Path.Combine(Checkpoints, "shared.pth");
        var a = StartFetch(Server.Url("shared.pth"), dst);
        var b = StartFetch(Server.Url("shared.pth"), dst);
        var results = await Task.WhenAll(Output(a), Output(b));

        Assert.All(results, r => Assert.StartsWith("OK " + FileServer.Sha256(data), r));
        Assert.Equal(1, Server.RequestCount("shared.pth"));
        Assert.Single(results, r => r.Contains(" True ")); // one came from the cache
        Assert.Equal(data, File.ReadAllBytes(dst));
    }

    [Fact]
    public async Task KilledProcess_LeavesAPartial_TheNextRunTakesOverTheLockAndResumes()
    {
        var data = FileServer.RandomBytes(2 << 20);
        var f = Server.Add("big.pth", data);
        f.TrickleBytes = 64 * 1024;
        f.TrickleDelay = TimeSpan.FromMilliseconds(30);
        var dst = Path.Combine(Checkpoints, "big.pth");
        var partial = Path.Combine(Checkpoints, ".torchhub", "big.pth.partial");

        using (var p = StartFetch(Server.Url("big.pth"), dst))
        {
            var clock = Stopwatch.StartNew();
            while (!(File.Exists(partial) && new FileInfo(partial).Length >= (1 << 20)) && clock.Elapsed < TimeSpan.FromSeconds(30))
                await Task.Delay(20);
            p.Kill();
            await p.WaitForExitAsync();
        }
        var kept = new FileInfo(partial).Length;
        Assert.True(kept >= 1 << 20);
        Assert.False(File.Exists(dst)); // never a truncated destination
        Assert.True(File.Exists(Path.Combine(Checkpoints, ".torchhub", "big.pth.lock"))); // left by the dead process
        Assert.True(File.Exists(Path.Combine(Checkpoints, ".torchhub", "big.pth.partial.json")));

        f.TrickleDelay = TimeSpan.Zero;
        var result = await Output(StartFetch(Server.Url("big.pth"), dst));
        Assert.StartsWith("OK " + FileServer.Sha256(data), result);
        var transferred = long.Parse(result.Split(' ')[4]);
        Assert.Equal(data.Length - kept, transferred);
        var last = Server.Requests.Last(r => r.Path == "/big.pth");
        Assert.Equal($"bytes={kept}-", last.Range);
        Assert.Equal(f.ETag, last.IfRange);
        Assert.Equal(data, File.ReadAllBytes(dst));
    }

    private static int DoneChunks(string statePath)
    {
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(statePath));
            return doc.RootElement.TryGetProperty("Chunks", out var c) && c.ValueKind == System.Text.Json.JsonValueKind.String
                ? c.GetString()!.Count(ch => ch == '1') : 0;
        }
        catch (Exception ex) when (ex is IOException or System.Text.Json.JsonException)
        {
            return 0;
        }
    }

    [Fact]
    public async Task KilledParallelDownload_ResumesTheMissingChunksOnly()
    {
        var data = FileServer.RandomBytes(6 << 20, 11);
        var f = Server.Add("par.pth", data);
        f.TrickleBytes = 64 * 1024;
        f.TrickleDelay = TimeSpan.FromMilliseconds(25);
        var dst = Path.Combine(Checkpoints, "par.pth");
        var state = Path.Combine(Checkpoints, ".torchhub", "par.pth.partial.json");
        var env = new Dictionary<string, string> { ["TORCHHUB_DOWNLOAD_PARTS"] = "2", ["TORCHHUB_DOWNLOAD_CHUNK_MB"] = "1", ["TORCHHUB_DOWNLOAD_PARALLEL_MIN_MB"] = "1" };

        using (var p = StartFetch(Server.Url("par.pth"), dst, env))
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(60) && DoneChunks(state) < 3)
                await Task.Delay(20);
            p.Kill();
            await p.WaitForExitAsync();
        }
        Assert.False(File.Exists(dst));
        Assert.True(DoneChunks(state) >= 3);
        Assert.Contains("\"ChunkSize\":1048576", File.ReadAllText(state));

        f.TrickleDelay = TimeSpan.Zero;
        var before = Server.Requests.Count(r => r.Path == "/par.pth");
        var result = await Output(StartFetch(Server.Url("par.pth"), dst, env));
        Assert.StartsWith("OK " + FileServer.Sha256(data), result);
        var transferred = long.Parse(result.Split(' ')[4]);
        Assert.True(transferred <= data.Length - (2L << 20), $"transferred {transferred} of {data.Length} again");
        Assert.All(Server.Requests.Where(r => r.Path == "/par.pth").Skip(before), r => Assert.Matches(@"^bytes=\d+-\d+$", r.Range));
        Assert.Equal(data, File.ReadAllBytes(dst));
    }

    [Fact]
    public async Task Proxy_FromTheEnvironment_IsUsed()
    {
        var data = FileServer.RandomBytes(3000);
        Server.Add("via-proxy.bin", data); // the test server plays the proxy: it answers for any host
        var result = await Output(StartFetch("http://files.example.invalid/via-proxy.bin", Temp.Combine("p.bin"),
            new() { ["http_proxy"] = Server.BaseUrl, ["HTTP_PROXY"] = Server.BaseUrl, ["no_proxy"] = "", ["NO_PROXY"] = "" }));
        Assert.StartsWith("OK " + FileServer.Sha256(data), result);
        Assert.Equal("files.example.invalid", Server.Requests.Single().Host);
    }

    [RootFact]
    public async Task FullDisk_IsAClearError_AndNothingIsAtTheDestination()
    {
        var small = Temp.Combine("small");
        Directory.CreateDirectory(small);
        var mount = Process.Start("mount", new[] { "-t", "tmpfs", "-o", "size=1m", "tmpfs", small })!;
        await mount.WaitForExitAsync();
        Assert.True(mount.ExitCode == 0, "mount -t tmpfs failed although running as root");
        try
        {
            Server.Add("huge.pth", FileServer.RandomBytes(3 << 20));
            // Bounded: a download that hangs on a full disk must fail this test, not silence the test host.
            var ex = await Fails(Save(Server.Url("huge.pth"), destination: small + "/").WaitAsync(TimeSpan.FromMinutes(2)));
            Assert.Equal(HubErrorIds.DiskFull, ex.ErrorId);
            Assert.Equal(HubErrorCategory.WriteError, ex.Category);
            Assert.False(File.Exists(Path.Combine(small, "huge.pth")));
            Assert.Equal(1, Server.RequestCount("huge.pth")); // not retried
        }
        finally
        {
            using var umount = Process.Start("umount", new[] { small })!;
            await umount.WaitForExitAsync();
        }
    }

    private async Task<(int Code, string Output)> Python(string script)
    {
        var psi = new ProcessStartInfo(TorchFactAttribute.Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        psi.Environment["TORCH_HOME"] = Temp.Path; // torch's hub dir = <TORCH_HOME>/hub = this test's hub dir
        using var p = Process.Start(psi)!;
        var output = await Output(p);
        return (p.ExitCode, output);
    }

    [TorchFact]
    public async Task PyTorch_FindsAFileTorchHubSaved_AndTorchHubReusesOnePyTorchSaved()
    {
        Assert.Equal(Path.Combine(Temp.Path, "hub"), HubDir);
        var fixture = Temp.Combine("sd.pth");
        var made = await Python($"import torch; torch.save({{'w': torch.arange(6.).reshape(2, 3)}}, '{fixture}')");
        Assert.True(made.Code == 0, made.Output);
        var bytes = File.ReadAllBytes(fixture);
        var sha = FileServer.Sha256(bytes);
        Server.Add($"a/sd-{sha[..8]}.pth", bytes);
        Server.Add($"b/other-{sha[..8]}.pth", bytes);

        // TorchHub saves; torch must load it from checkpoints/ without any request.
        var saved = await Save(Server.Url($"a/sd-{sha[..8]}.pth"), checkHash: true);
        var loaded = await Python($"import torch.hub as h; sd = h.load_state_dict_from_url('{Server.Url($"a/sd-{sha[..8]}.pth")}', check_hash=True, progress=False); print(float(sd['w'].sum()))");
        Assert.True(loaded.Code == 0, loaded.Output);
        Assert.Contains("15.0", loaded.Output);
        Assert.Equal(1, Server.RequestCount($"a/sd-{sha[..8]}.pth"));

        // torch downloads; TorchHub must reuse its file (and verify it with -CheckHash).
        var byTorch = await Python($"import torch.hub as h; sd = h.load_state_dict_from_url('{Server.Url($"b/other-{sha[..8]}.pth")}', progress=False); print(float(sd['w'].sum()))");
        Assert.True(byTorch.Code == 0, byTorch.Output);
        var reused = await Save(Server.Url($"b/other-{sha[..8]}.pth"), checkHash: true);
        Assert.True(reused.FromCache);
        Assert.Equal(sha, reused.Sha256);
        Assert.Equal(1, Server.RequestCount($"b/other-{sha[..8]}.pth"));
        Assert.Equal(Path.Combine(Checkpoints, $"other-{sha[..8]}.pth"), reused.Path);
        Assert.Equal(saved.Path, Path.Combine(Checkpoints, $"sd-{sha[..8]}.pth"));
    }
}
