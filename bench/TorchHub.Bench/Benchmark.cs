using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Threading.Tasks;

namespace TorchHub.Bench;

/// <summary>
/// One run, side by side: curl, TorchHub (single stream and parallel ranges, with -HashPrefix),
/// torch.hub.download_url_to_file (Debian's python3-torch), sha256sum; a throttled server for
/// the parallel-ranges decision; and kill-at-50%-then-resume. Each download runs as its own
/// process so peak memory is that process's VmHWM.
/// </summary>
internal static class Benchmark
{
    public static async Task<int> RunAsync(int sizeMiB, bool busy = false, bool fast = false)
    {
        var work = Path.Combine(Path.GetTempPath(), "torchhub-bench");
        Directory.CreateDirectory(work);
        var served = Path.Combine(work, "served");
        Directory.CreateDirectory(served);
        var file = Path.Combine(served, "weights.bin");
        var size = (long)sizeMiB << 20;
        if (!File.Exists(file) || new FileInfo(file).Length != size)
        {
            Console.WriteLine($"Creating {sizeMiB} MiB of random data...");
            using var fs = File.Create(file);
            var buffer = new byte[1 << 20];
            var rng = new Random(42);
            for (var i = 0; i < sizeMiB; i++) { rng.NextBytes(buffer); fs.Write(buffer); }
        }
        var expected = (await Run("sha256sum", file)).Output.Split(' ')[0];
        var self = Environment.ProcessPath!;
        var selfArgs = self.EndsWith("dotnet", StringComparison.Ordinal) ? typeof(Benchmark).Assembly.Location + " " : "";
        var dl = Path.Combine(work, "dl");

        await using var server = await StaticServer.StartAsync(served, 0, 0);
        var url = server.Url + "/weights.bin";
        Console.WriteLine($"File: {sizeMiB} MiB from {url} (Kestrel static files), machine: {Environment.ProcessorCount} cores");
        Console.WriteLine();
        Console.WriteLine($"{"what",-48} {"MiB/s",8} {"peak MiB",9}  reference / target");

        // sha256sum: the hashing part alone.
        var t = await Timed("sha256sum", file);
        Line("sha256sum (hashing only, warm cache)", size / t.Seconds, null, "");

        // With "busy", one core spins for the rest of the run (the situation issue 14 measured under load).
        using var spinner = busy ? Process.Start("/bin/sh", new[] { "-c", "while :; do :; done" }) : null;
        if (busy) Console.WriteLine("One core kept busy by a spinning shell for the rest of the run.");

        // curl: the practical limit; and curl then openssl: what a script that checks the hash pays.
        Reset(dl);
        t = await Timed("curl", $"-s -o {dl}/curl.bin {url}");
        var curl = size / t.Seconds;
        Line("curl -o", curl, null, "reference (100%)");
        Reset(dl);
        t = await Timed("curl", $"-s -o {dl}/curl.bin {url} && openssl dgst -sha256 {dl}/curl.bin >/dev/null");
        var curlHash = size / t.Seconds;
        Line("curl -o && openssl dgst -sha256", curlHash, null, string.Create(CultureInfo.InvariantCulture, $"{100 * curlHash / curl:0}% of curl"));

        // Baseline: the same process fetching a 1-byte file (runtime, JIT, HTTP stack), so the
        // download's own memory is the difference.
        await File.WriteAllBytesAsync(Path.Combine(served, "tiny.bin"), new byte[] { 1 });
        t = await Timed(self, $"{selfArgs}fetch {url.Replace("weights.bin", "tiny.bin")} {dl}/tiny.bin");
        var baseline = double.Parse(t.Output.Trim().Split(' ')[^1], CultureInfo.InvariantCulture);
        Line("TorchHub fetch of a 1-byte file (process baseline)", 0, baseline, "");

        double engineDefault = 0;
        foreach (var (label, parts) in new[] { ("default (adaptive)", "0"), ("single stream", "1"), ("4 parallel ranges", "4") })
        {
            Reset(dl);
            t = await Timed("env", $"TORCHHUB_DOWNLOAD_PARTS={parts} {self} {selfArgs}fetch {url} {dl}/th.bin {expected}");
            var peak = double.Parse(t.Output.Trim().Split(' ')[^1], CultureInfo.InvariantCulture);
            Line($"TorchHub -HashPrefix, {label}", size / t.Seconds, peak,
                string.Create(CultureInfo.InvariantCulture, $"{100 * size / t.Seconds / curl:0}% of curl (target >= 90%), {size / t.Seconds / curlHash:0.00}x curl+openssl; {peak - baseline:0.0} MiB over the baseline"));
            if (!t.Output.StartsWith("OK " + expected, StringComparison.Ordinal)) Console.WriteLine("  WRONG RESULT: " + t.Output);
            if (parts == "0") engineDefault = size / t.Seconds;
        }

        double torch = 0;
        // torch.hub.download_url_to_file with hash_prefix, when python3-torch is installed.
        if (File.Exists("/usr/bin/python3") && (await Run("/usr/bin/python3", "-c \"import torch\"")).Code == 0)
        {
            Reset(dl);
            t = await Timed("/usr/bin/python3", $"-c \"import torch.hub as h; h.download_url_to_file('{url}', '{dl}/torch.bin', hash_prefix='{expected[..8]}', progress=False)\"");
            Line("torch.hub.download_url_to_file (1.13, hash_prefix)", size / t.Seconds, null, string.Create(CultureInfo.InvariantCulture, $"{100 * size / t.Seconds / curl:0}% of curl"));
            torch = size / t.Seconds;
        }
        else
        {
            Console.WriteLine("torch.hub.download_url_to_file: not measured (python3-torch not installed)");
        }

        if (torch > 0) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"TorchHub default vs torch.hub.download_url_to_file",-48} {engineDefault / torch:0.00}x torch's throughput"));

        // Where the time goes, in this process over the same server.
        Reset(dl);
        await StageBench.RunAsync(url, dl, size, expected, (what, rate, reference) => Line(what, rate, null, reference));
        if (fast) { Reset(dl); spinner?.Kill(); return 0; }

        // A server that caps each connection (a throttling CDN): does parallel help there?
        await using (var slow = await StaticServer.StartAsync(served, 0, 25L << 20))
        {
            var slowSize = Math.Min(size, 256L << 20);
            var slowFile = Path.Combine(served, "slow.bin");
            if (!File.Exists(slowFile) || new FileInfo(slowFile).Length != slowSize)
            {
                using var src = File.OpenRead(file);
                using var dst = File.Create(slowFile);
                var buf = new byte[1 << 20];
                for (long copied = 0; copied < slowSize; copied += buf.Length) { src.ReadExactly(buf); dst.Write(buf); }
            }
            foreach (var parts in new[] { 0, 1, 4, 8 })
            {
                Reset(dl);
                t = await Timed("env", $"TORCHHUB_DOWNLOAD_PARTS={parts} {self} {selfArgs}fetch {slow.Url}/slow.bin {dl}/slow.bin");
                Line($"throttled (25 MiB/s per connection), {(parts == 0 ? "default (adaptive)" : parts + " part(s)")}", slowSize / t.Seconds, null, "256 MiB file");
            }
        }

        // Kill at 50%, then resume: how much is transferred again?
        Reset(dl);
        StaticServer.ResetCounter();
        await using (var paced = await StaticServer.StartAsync(served, 0, 200L << 20))
        {
            var partial = Path.Combine(dl, ".torchhub", "th.bin.partial");
            var psi = new ProcessStartInfo("env", $"TORCHHUB_DOWNLOAD_PARTS=0 {self} {selfArgs}fetch {paced.Url}/weights.bin {dl}/th.bin {expected}") { RedirectStandardOutput = true };
            using (var p = Process.Start(psi)!)
            {
                while (!p.HasExited && (!File.Exists(partial) || new FileInfo(partial).Length < size / 2)) await Task.Delay(10);
                p.Kill(entireProcessTree: true);
                await p.WaitForExitAsync();
            }
            var before = StaticServer.BytesSent;
            var kept = File.Exists(partial) ? new FileInfo(partial).Length : 0;
            StaticServer.ResetCounter();
            t = await Timed("env", $"{self} {selfArgs}fetch {paced.Url}/weights.bin {dl}/th.bin {expected}");
            var again = StaticServer.BytesSent;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{"kill at 50% then resume",-48} sent before kill {before / 1048576.0:0} MiB, kept {kept / 1048576.0:0} MiB, sent again {again / 1048576.0:0} MiB ({100.0 * again / size:0}% of the file; target about 50%), result {(t.Output.StartsWith("OK " + expected, StringComparison.Ordinal) ? "verified" : "WRONG: " + t.Output)}"));
        }
        Reset(dl);
        spinner?.Kill();
        return 0;
    }

    private static void Line(string what, double bytesPerSecond, double? peak, string reference) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what,-48} {bytesPerSecond / 1048576:0} {(peak is { } p ? p.ToString("0.0", CultureInfo.InvariantCulture) : "-"),9}  {reference}"));

    private static void Reset(string dir)
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, true);
        Directory.CreateDirectory(dir);
    }

    private static async Task<(double Seconds, string Output)> Timed(string file, string arguments)
    {
        var clock = Stopwatch.StartNew();
        var r = await Run(file, arguments);
        return (clock.Elapsed.TotalSeconds, r.Output);
    }

    private static async Task<(int Code, string Output)> Run(string file, string arguments)
    {
        var psi = new ProcessStartInfo("/bin/sh", new[] { "-c", file + " " + arguments }) { RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        var output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, output);
    }
}
