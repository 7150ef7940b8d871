using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection.PortableExecutable;
using static TorchHub.Bench.BenchTools;

namespace TorchHub.Bench;

/// <summary>
/// What a scheduled job pays at every start (issue 14 section 5), in real pwsh, each figure beside
/// its reference measured in the same run (rounds interleaved, medians):
///   TorchHub.Bench startup [rounds]
/// In-process shares (Stopwatch inside pwsh): Import-Module vs importing an empty module, the first
/// Get-HubEntrypoint of a cached repository vs the second. Whole processes: the listing vs
/// `pwsh -NoProfile -c 1` and `torch.hub.list`; Import-HubModel of examples/tiny-hub's hubconf.cs
/// cold (empty compile cache) and warm vs `torch.hub.load(..., source="local")` of its hubconf.py.
/// </summary>
internal static class StartupBench
{
    private const double ImportTargetMs = 100, FirstListingTargetMs = 30;

    public static int Run(string[] args)
    {
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var pwsh = FindPwsh();
        if (pwsh is null)
        {
            Console.Error.WriteLine("real pwsh not found (PATH or ~/.dotnet/tools): dotnet tool install --global PowerShell --version 7.6.9");
            return 2;
        }
        var root = FindRoot();
        var manifest = Path.Combine(root, "out", "TorchHub", "TorchHub.psd1");
        var tinyHub = Path.Combine(root, "examples", "tiny-hub");
        var work = Path.Combine(Path.GetTempPath(), "torchhub-bench-startup-" + Guid.NewGuid().ToString("N"));
        try
        {
            // A cached GitHub repository (acme/x:v1), trusted, in a hub directory both tools read.
            var torchHome = Path.Combine(work, "torch");
            var hub = Path.Combine(torchHome, "hub");
            Directory.CreateDirectory(Path.Combine(hub, "acme_x_v1"));
            File.WriteAllText(Path.Combine(hub, "acme_x_v1", "hubconf.py"),
                "dependencies = []\n\ndef model_a():\n    \"\"\"A.\"\"\"\n    return 1\n\ndef model_b(pretrained=False):\n    \"\"\"B.\n\n    pretrained (bool): load weights\n    \"\"\"\n    return 2\n");
            File.WriteAllText(Path.Combine(hub, "trusted_list"), "acme_x\n");
            var emptyModule = Path.Combine(work, "Empty", "Empty.psd1");
            Directory.CreateDirectory(Path.GetDirectoryName(emptyModule)!);
            File.WriteAllText(emptyModule, "@{ ModuleVersion = '1.0.0'; CmdletsToExport = @(); FunctionsToExport = @() }\n");
            var torch = File.Exists(Python) && Exec(Python, ["-c", "import torch.hub"], torchHome).ExitCode == 0;

            Console.WriteLine($"Start-up benchmark: {rounds} interleaved rounds, real pwsh {pwsh}");
            Console.WriteLine($"  module: {manifest} (TorchHub.Core precompiled: {Precompiled(Path.Combine(root, "out", "TorchHub", "TorchHub.Core.dll"))})");
            Console.WriteLine($"  pwsh's own engine precompiled: {PwshEnginePrecompiled(pwsh)}; {Environment.ProcessorCount} cores, load average {LoadAverage()}");

            var samples = new Dictionary<string, List<double>>();
            void Add(string key, double value) => (samples.TryGetValue(key, out var list) ? list : samples[key] = []).Add(value);
            var measure = $$"""
                $p = [Diagnostics.Process]::GetCurrentProcess()
                function Cpu { $p.Refresh(); $p.TotalProcessorTime.TotalMilliseconds }
                function Jit { [System.Runtime.JitInfo]::GetCompiledMethodCount($false) }
                $c0 = Cpu; $j0 = Jit; $w = [Diagnostics.Stopwatch]::StartNew()
                Import-Module $env:BENCH_MODULE -ErrorAction Stop
                $import = $w.Elapsed.TotalMilliseconds; $c1 = Cpu; $j1 = Jit
                "import $import"; "import-cpu $($c1 - $c0)"; "import-jit $($j1 - $j0)"
                if ($env:BENCH_LIST) {
                    $w.Restart(); $null = Get-HubEntrypoint -Repository acme/x:v1 -ErrorAction Stop
                    $first = $w.Elapsed.TotalMilliseconds; $c2 = Cpu; $j2 = Jit
                    $w.Restart(); $null = Get-HubEntrypoint -Repository acme/x:v1
                    "first $first"; "first-cpu $($c2 - $c1)"; "first-jit $($j2 - $j1)"; "second $($w.Elapsed.TotalMilliseconds)"
                }
                """;
            var listing = $"Import-Module '{manifest}'; Get-HubEntrypoint -Repository acme/x:v1";
            var torchList = $"import torch.hub as h; h.set_dir({Quote(hub)}); print(h.list('acme/x:v1', trust_repo=True))";
            var hubModel = $"$w = [Diagnostics.Stopwatch]::StartNew(); $m = Import-HubModel -Path '{tinyHub}' tiny -ErrorAction Stop; \"load $($w.Elapsed.TotalMilliseconds)\"";
            var torchLoad = $"import torch; m = torch.hub.load({Quote(tinyHub)}, 'tiny', source='local'); print(m)";

            for (var round = 0; round < rounds; round++)
            {
                Console.Error.Write($"\r  round {round + 1}/{rounds}");
                foreach (var (key, value) in Pwsh(pwsh, measure, torchHome, ("BENCH_MODULE", emptyModule))) Add("empty-" + key, value);
                foreach (var (key, value) in Pwsh(pwsh, measure, torchHome, ("BENCH_MODULE", manifest), ("BENCH_LIST", "1"))) Add(key, value);
                Add("pwsh-1", Whole(pwsh, ["-NoProfile", "-Command", "1"], torchHome));
                Add("pwsh-list", Whole(pwsh, ["-NoProfile", "-Command", listing], torchHome));
                if (torch) Add("torch-list", Whole(Python, ["-c", torchList], torchHome));

                // hubconf.cs: an empty hub directory (no compile cache), then the same one again.
                var hubconfHome = Path.Combine(work, "hubconf-" + round);
                var cold = Stopwatch.StartNew();
                var coldInside = Pwsh(pwsh, $"Import-Module '{manifest}'; {hubModel}", hubconfHome);
                Add("cs-cold", cold.Elapsed.TotalMilliseconds);
                Add("cs-cold-inside", coldInside["load"]);
                var warm = Stopwatch.StartNew();
                var warmInside = Pwsh(pwsh, $"Import-Module '{manifest}'; {hubModel}", hubconfHome);
                Add("cs-warm", warm.Elapsed.TotalMilliseconds);
                Add("cs-warm-inside", warmInside["load"]);
                if (torch) Add("torch-load", Whole(Python, ["-c", torchLoad], hubconfHome));
            }
            Console.Error.WriteLine();

            double M(string key) => samples.TryGetValue(key, out var list) ? Median(list) : double.NaN;
            string Ms(string key) => samples.ContainsKey(key) ? $"{M(key):0.0} ms" : "n/a";
            Console.WriteLine();
            Console.WriteLine($"{"figure (medians)",-52} {"TorchHub",11}   {"reference",-40} target");
            Row("Import-Module, in process (Stopwatch)", Ms("import"), $"empty module {Ms("empty-import")}", $"<= {ImportTargetMs:0} ms");
            Row("  CPU time / methods JIT-compiled", $"{M("import-cpu"):0} ms", $"empty module {M("empty-import-cpu"):0} ms / {M("empty-import-jit"):0}", $"{M("import-jit"):0} methods");
            Row("  TorchHub's share (minus the empty module)", $"{M("import") - M("empty-import"):0.0} ms", "", "");
            Row("first Get-HubEntrypoint, cached repo, in process", Ms("first"), $"second call {Ms("second")}", $"<= {FirstListingTargetMs:0} ms");
            Row("  CPU time / methods JIT-compiled", $"{M("first-cpu"):0} ms", "", $"{M("first-jit"):0} methods");
            Row("whole process: Import-Module + Get-HubEntrypoint", Ms("pwsh-list"), $"pwsh -NoProfile -c 1 {Ms("pwsh-1")}", "");
            Row("  vs torch.hub.list (cached), whole process", Ratio(M("pwsh-list"), M("torch-list")), $"torch.hub.list {Ms("torch-list")}", "< 1x");
            Row("  TorchHub above bare pwsh", $"{M("pwsh-list") - M("pwsh-1"):0} ms", "", "");
            Row("hubconf.cs cold, whole process (compile)", Ms("cs-cold"), $"torch.hub.load local {Ms("torch-load")}", Ratio(M("cs-cold"), M("torch-load")));
            Row("  Import-HubModel alone, in process", Ms("cs-cold-inside"), "", "");
            Row("hubconf.cs warm, whole process (compile cache)", Ms("cs-warm"), $"torch.hub.load local {Ms("torch-load")}", Ratio(M("cs-warm"), M("torch-load")));
            Row("  Import-HubModel alone, in process", Ms("cs-warm-inside"), "", "");
            Console.WriteLine($"load average at the end: {LoadAverage()}");
            return 0;
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    private static void Row(string name, string ours, string reference, string target) =>
        Console.WriteLine($"{name,-52} {ours,11}   {reference,-40} {target}");

    private static string Ratio(double ours, double theirs) => double.IsNaN(theirs) ? "n/a" : $"{ours / theirs:0.00}x torch";

    /// <summary>Runs a script in `pwsh -NoProfile` and reads its "name value" lines.</summary>
    private static Dictionary<string, double> Pwsh(string pwsh, string script, string torchHome, params (string Name, string Value)[] environment)
    {
        var (code, output) = Exec(pwsh, ["-NoProfile", "-NonInteractive", "-Command", script], torchHome, environment);
        if (code != 0) throw new InvalidOperationException($"pwsh exited {code}: {output}");
        var values = new Dictionary<string, double>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(' ');
            if (parts.Length == 2 && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) values[parts[0]] = value;
        }
        return values;
    }

    /// <summary>Wall time of a whole process, start to exit.</summary>
    private static double Whole(string file, string[] arguments, string torchHome)
    {
        var watch = Stopwatch.StartNew();
        var (code, output) = Exec(file, arguments, torchHome);
        if (code != 0) throw new InvalidOperationException($"{file} exited {code}: {output}");
        return watch.Elapsed.TotalMilliseconds;
    }

    private static (int ExitCode, string Output) Exec(string file, string[] arguments, string torchHome, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["TORCH_HOME"] = torchHome;
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }

    private static string? FindPwsh() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools"))
            .Select(folder => Path.Combine(folder, "pwsh")).FirstOrDefault(File.Exists);

    /// <summary>Whether pwsh's own System.Management.Automation is ReadyToRun (the .NET global tool's is not; the packages' are).</summary>
    private static string PwshEnginePrecompiled(string pwsh)
    {
        var (_, output) = Exec(pwsh, ["-NoProfile", "-Command", "[psobject].Assembly.Location"], Path.GetTempPath());
        var path = output.Trim();
        return File.Exists(path) ? Precompiled(path) : "unknown";
    }

    private static string Precompiled(string assembly)
    {
        if (!File.Exists(assembly)) return "missing";
        using var pe = new PEReader(File.OpenRead(assembly));
        return pe.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 } ? "yes (ReadyToRun)" : "no (IL only)";
    }

}
