using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading.Tasks;
using TorchHub;
using TorchHub.Cache;
using TorchHub.Repositories;
using TorchHub.Tests.Servers;
using static TorchHub.Bench.BenchTools;

// GitHub source benchmark (from the github-source branch), moved out of Program.cs when the
// branches met. Usage: TorchHub.Bench github [files] [megabytes]; its child processes run
// "github-fetch <hub dir> <owner/repo:ref> [skip]" (one measured fetch in a fresh process).
internal static class GitHubFetch
{
    // One fetch in this process: prints "<milliseconds> <peak RSS in MB> <fromCache>".
    internal static int Fetch(string hubDir, string spec, bool skipValidation)
    {
        HubDirectory.Set(hubDir);
        var watch = Stopwatch.StartNew();
        var options = Environment.GetEnvironmentVariable("BENCH_TRACE") == "1" ? new HubOptions { Feedback = new TraceFeedback(watch) } : new HubOptions();
        var repo = new Hub(options).GetRepository(RepoSpec.Parse(spec), new RepositoryRequest { TrustRepo = true, SkipValidation = skipValidation });
        watch.Stop();
        Console.WriteLine($"{watch.Elapsed.TotalMilliseconds:0.0} {PeakRssMb():0.0} {repo.FromCache}");
        return 0;
    }

    internal static double PeakRssMb()
    {
        // VmHWM: the peak resident set of this process (Linux).
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }
}

internal static class GitHubBench
{

    public static async Task<int> RunAsync(int files, int megabytes)
    {
        var root = Path.Combine(Path.GetTempPath(), "torchhub-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            Console.WriteLine($"Building repositories: {files} files / {megabytes} MB, and 200 files / 5 MB (git)...");
            var big = MakeRepo(Path.Combine(root, "big"), files, megabytes * 1024L * 1024);
            var small = MakeRepo(Path.Combine(root, "small"), 200, 5L * 1024 * 1024);
            await using var server = await GitHubStandIn.StartAsync(Path.Combine(root, "zips"));
            server.AddRepository("acme", "big", big);
            server.AddRepository("acme", "small", small);
            Environment.SetEnvironmentVariable("GITHUB_API_URL", server.ApiUrl.ToString());
            Environment.SetEnvironmentVariable("GITHUB_SERVER_URL", server.WebUrl.ToString());
            Environment.SetEnvironmentVariable("GITHUB_TOKEN", null);

            // Warm the server's archive cache so the fetch measures TorchHub, not git archive.
            using (var http = new System.Net.Http.HttpClient())
            {
                await http.GetByteArrayAsync(new Uri(server.WebUrl, "acme/big/zipball/main"));
                await http.GetByteArrayAsync(new Uri(server.WebUrl, "acme/small/zipball/main"));
            }

            var hub = Path.Combine(root, "hub");
            var cold = Child(hub, "acme/big:main");
            var coldSkip = Child(Path.Combine(root, "hub-skip"), "acme/big:main", skipValidation: true);
            var coldSmall = Child(hub, "acme/small:main");
            var warmProcess = Child(hub, "acme/big:main");
            var warmPs = WarmPowerShell(hub, "Save-HubRepository acme/big:main", 20);
            var warmList = WarmPowerShell(hub, "Get-HubEntrypoint -Repository acme/big:main", 20);

            var torch = TorchAvailable();
            (double Ms, double PeakMb)? torchCold = null;
            double? torchWarm = null;
            if (torch)
            {
                torchCold = TorchCold(Path.Combine(root, "torch-hub"), server.WebUrl.ToString());
                torchWarm = Median(Enumerable.Range(0, 3).Select(_ => TorchListWholeProcess(hub, "acme/big:main")).ToList());
            }

            Console.WriteLine();
            Console.WriteLine($"GitHub source bench: repository of {files} files / {megabytes} MB from 127.0.0.1 ({Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");
            Console.WriteLine($"{"measure",-52} {"TorchHub",14} {"torch.hub 1.13",16}  target");
            Row("cold fetch, time (validate, download, extract)", $"{cold.Ms / 1000:0.00} s", "", "-");
            Row("cold fetch, time, skipping validation", $"{coldSkip.Ms / 1000:0.00} s", torchCold is { } tc ? $"{tc.Ms / 1000:0.00} s" : "n/a", "-");
            Row($"cold fetch, peak memory ({megabytes} MB archive)", $"{cold.PeakMb:0} MB", torchCold is { } tm ? $"{tm.PeakMb:0} MB*" : "n/a", "independent of size");
            Row("cold fetch, peak memory (5 MB archive)", $"{coldSmall.PeakMb:0} MB", "", $"{megabytes} MB case within +20 MB");
            Row("warm call, Save-HubRepository in pwsh (median of 20)", $"{warmPs:0.00} ms", "", "-");
            Row("warm call, Get-HubEntrypoint in pwsh (median of 20)", $"{warmList:0.00} ms", "", "-");
            Row("warm call, whole process (engine, cached)", $"{warmProcess.WholeMs:0} ms", torchWarm is { } tw ? $"{tw:0} ms" : "n/a", "");
            if (torchWarm is { } w)
                Row("torch.hub.list whole process / Get-HubEntrypoint warm", $"{w / warmList:0}x", "", ">= 20x");
            Console.WriteLine();
            Console.WriteLine("torch.hub runs as /usr/bin/python3 with its GitHub URLs monkeypatched to the stand-in (1.13 hardcodes github.com).");
            Console.WriteLine("* torch's peak includes importing torch itself.");
            var memoryOk = cold.PeakMb - coldSmall.PeakMb <= 20;
            var speedOk = torchWarm is null || torchWarm.Value / warmList >= 20;
            return memoryOk && speedOk ? 0 : 1;
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    private static void Row(string name, string ours, string torch, string target) =>
        Console.WriteLine($"{name,-52} {ours,14} {torch,16}  {target}");

    private static GitRepo MakeRepo(string path, int files, long bytes)
    {
        var repo = new GitRepo(path);
        var random = new Random(42);
        var size = (int)(bytes / files);
        var buffer = new byte[size];
        for (var i = 0; i < files; i++)
        {
            random.NextBytes(buffer); // incompressible, so the archive is really this big
            var file = Path.Combine(path, $"pkg{i % 20:D2}", $"blob{i:D4}.bin");
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllBytes(file, buffer);
        }
        File.WriteAllText(Path.Combine(path, "hubconf.py"), "dependencies = []\n\ndef model_a():\n    \"\"\"A.\"\"\"\n    return 1\n\ndef model_b():\n    return 2\n");
        repo.Commit("bench");
        return repo;
    }

    private static (double Ms, double PeakMb, double WholeMs) Child(string hub, string spec, bool skipValidation = false)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(GitHubBench).Assembly.Location);
        start.ArgumentList.Add("github-fetch");
        start.ArgumentList.Add(hub);
        start.ArgumentList.Add(spec);
        if (skipValidation) start.ArgumentList.Add("skip");
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        watch.Stop();
        if (process.ExitCode != 0) throw new InvalidOperationException("fetch failed: " + output + error);
        if (Environment.GetEnvironmentVariable("BENCH_TRACE") == "1") Console.Error.Write(error);
        var parts = output.Trim().Split(' ');
        return (double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture), watch.Elapsed.TotalMilliseconds);
    }

    private static double WarmPowerShell(string hub, string command, int runs)
    {
        var manifest = Path.Combine(FindRoot(), "out", "TorchHub", "TorchHub.psd1");
        using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        runspace.Open();
        Invoke(runspace, $"Import-Module '{manifest}' -ErrorAction Stop; Set-HubDirectory '{hub}'");
        Invoke(runspace, command); // JIT
        var times = Enumerable.Range(0, runs).Select(_ =>
        {
            var watch = Stopwatch.StartNew();
            Invoke(runspace, command);
            return watch.Elapsed.TotalMilliseconds;
        }).ToList();
        return Median(times);
    }

    private static void Invoke(Runspace runspace, string script)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript(script);
        ps.Invoke();
        if (ps.HadErrors) throw new InvalidOperationException(string.Join("; ", ps.Streams.Error));
    }

    private static bool TorchAvailable()
    {
        if (!File.Exists(Python)) return false;
        return RunPython("import torch.hub", out _) == 0;
    }

    // torch 1.13 hardcodes github.com: point its archive link at the stand-in; skip its validation
    // (which would call api.github.com) since TorchHub's cold figure includes validation anyway.
    private static (double Ms, double PeakMb) TorchCold(string hub, string web)
    {
        var script = $$"""
            import resource, time, torch.hub as h
            h.set_dir({{Quote(hub)}})
            h._git_archive_link = lambda o, r, b: {{Quote(web)}} + o + "/" + r + "/zipball/" + b
            t = time.perf_counter()
            h.list("acme/big:main", trust_repo=True, skip_validation=True)
            ms = (time.perf_counter() - t) * 1000
            print("RESULT", ms, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0)
            """;
        if (RunPython(script, out var output) != 0) throw new InvalidOperationException("torch.hub cold fetch failed: " + output);
        var parts = output.Split('\n').Last(l => l.StartsWith("RESULT ", StringComparison.Ordinal)).Trim().Split(' ');
        return (double.Parse(parts[1], CultureInfo.InvariantCulture), double.Parse(parts[2], CultureInfo.InvariantCulture));
    }

    private static double TorchListWholeProcess(string hub, string spec)
    {
        var watch = Stopwatch.StartNew();
        if (RunPython($"import torch.hub as h; h.set_dir({Quote(hub)}); print(h.list({Quote(spec)}, trust_repo=True))", out var output) != 0)
            throw new InvalidOperationException("torch.hub.list failed: " + output);
        return watch.Elapsed.TotalMilliseconds;
    }

}

/// <summary>Prints the engine's messages with elapsed times (BENCH_TRACE=1), to see where a fetch spends its time.</summary>
internal sealed class TraceFeedback(Stopwatch watch) : TorchHub.Feedback.IHubFeedback
{
    public void Verbose(string message) => Console.Error.WriteLine($"{watch.ElapsedMilliseconds,6} ms  {message}");
    public void Warning(string message) => Verbose("WARNING " + message);
    public void Progress(TorchHub.Feedback.HubProgress progress) { if (progress.Completed) Verbose(progress.Activity + " completed"); }
    public bool Confirm(string query, string caption) => false;
}
