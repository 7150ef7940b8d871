using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text;
using static TorchHub.Bench.BenchTools;

namespace TorchHub.Bench;

/// <summary>Get-HubEntrypoint / Get-HubHelp / Import-Module figures (issue 2): "entrypoints" command.</summary>
internal static class EntrypointBench
{
    public static int Run(string[] args)
    {
        // TorchHub benchmarks: Get-HubEntrypoint / Get-HubHelp on a generated local repository whose
        // 300-line hubconf.py imports from five in-repo modules, in a hosted PowerShell 7.6.
        // Cold figures run in fresh child processes (what a new pwsh session sees); warm ones in one runspace.

        var root = FindRoot();
        var manifest = Path.Combine(root, "out", "TorchHub", "TorchHub.psd1");
        if (!File.Exists(manifest)) { Console.Error.WriteLine($"Build first: {manifest} is missing."); return 1; }

        if (args.Length == 2 && args[0] == "--baseline")
        {
            // Child process: PowerShell's own cold costs, for comparison: importing an empty module, then
            // TorchHub with a trivial cmdlet (Get-HubDirectory) as the first call.
            var empty = Path.Combine(Path.GetTempPath(), "torchhub-bench-empty");
            Directory.CreateDirectory(empty);
            File.WriteAllText(Path.Combine(empty, "Empty.psm1"), "");
            File.WriteAllText(Path.Combine(empty, "Empty.psd1"), "@{ RootModule = 'Empty.psm1'; ModuleVersion = '1.0'; GUID = '0f0e0d0c-0b0a-0908-0706-050403020100'; FunctionsToExport = @(); CmdletsToExport = @() }");
            using var rs = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
            rs.Open();
            var emptyImport = Time(rs, $"Import-Module '{Path.Combine(empty, "Empty.psd1")}'");
            Time(rs, $"Import-Module '{manifest}'");
            var trivial = Time(rs, "Get-HubDirectory");
            // The engine alone, first call in the process (JIT of the reader), then the cmdlet right after.
            var engineFirst = Time(rs, $"$null = [TorchHub.Hub]::new().GetListing([TorchHub.Repositories.HubRepository]::OpenLocal('{args[1]}'))");
            var cmdletAfter = Time(rs, $"Get-HubEntrypoint -Path '{args[1]}'");
            Console.WriteLine(FormattableString.Invariant($"{emptyImport:F2} {trivial:F2} {engineFirst:F2} {cmdletAfter:F2}"));
            return 0;
        }

        if (args.Length == 2 && args[0] == "--cold")
        {
            // Child process: one Import-Module and one first call, printed as "import first-list first-help" in ms.
            var repoDir = args[1];
            var sw = Stopwatch.StartNew();
            using var rs = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
            rs.Open();
            var open = sw.Elapsed.TotalMilliseconds;
            var import = Time(rs, $"Import-Module '{manifest}'");
            var list = Time(rs, $"Get-HubEntrypoint -Path '{repoDir}'");
            var help = Time(rs, $"Get-HubHelp -Path '{repoDir}' -Name model_042");
            Console.WriteLine(FormattableString.Invariant($"{import:F2} {list:F2} {help:F2} {open:F2}"));
            return 0;
        }

        var repo = Path.Combine(Path.GetTempPath(), "torchhub-bench-repo");
        GenerateRepo(repo);
        var hubconfLines = File.ReadAllLines(Path.Combine(repo, "hubconf.py")).Length;
        Console.WriteLine($"Repository: {repo} (hubconf.py: {hubconfLines} lines, imports from 5 in-repo modules)");

        // Cold: fresh processes.
        const int coldRuns = 5;
        var cold = Enumerable.Range(0, coldRuns).Select(_ => Child("--cold", repo)).ToList();
        var baselines = Enumerable.Range(0, coldRuns).Select(_ => Child("--baseline", repo)).ToList();

        // Warm: one runspace, module imported, caches warm.
        using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        runspace.Open();
        Time(runspace, $"Import-Module '{manifest}'");
        for (var i = 0; i < 20; i++) { Time(runspace, $"Get-HubEntrypoint -Path '{repo}'"); Time(runspace, $"Get-HubHelp -Path '{repo}' -Name model_042"); }
        var warmList = Enumerable.Range(0, 200).Select(_ => Time(runspace, $"Get-HubEntrypoint -Path '{repo}'")).ToList();
        var warmHelp = Enumerable.Range(0, 200).Select(_ => Time(runspace, $"Get-HubHelp -Path '{repo}' -Name model_042")).ToList();
        // Where the time goes: PowerShell's own cost for a trivial cmdlet, and the engine call alone.
        var baseline = Enumerable.Range(0, 200).Select(_ => Time(runspace, "Get-HubDirectory")).ToList();
        var engine = Enumerable.Range(0, 200).Select(_ => Time(runspace, $"$null = [TorchHub.Hub]::new().GetListing([TorchHub.Repositories.HubRepository]::OpenLocal('{repo}'))")).ToList();

        // Fresh runspace in a warm process (module assemblies and the parse cache already loaded).
        var freshFirst = new List<double>();
        var freshImport = new List<double>();
        for (var i = 0; i < 10; i++)
        {
            using var rs = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
            rs.Open();
            freshImport.Add(Time(rs, $"Import-Module '{manifest}'"));
            freshFirst.Add(Time(rs, $"Get-HubEntrypoint -Path '{repo}'"));
        }

        Console.WriteLine();
        Console.WriteLine($"{"measure",-58} {"median",10} {"target",10}  ok");
        Row("Get-HubEntrypoint, warm runspace", Median(warmList), 5);
        Row("Get-HubHelp, warm runspace", Median(warmHelp), 5);
        Row($"Get-HubEntrypoint, first call in a fresh process (n={coldRuns})", Median(cold.Select(c => c[1])), 50);
        Row($"Get-HubHelp, first call after it in that process (n={coldRuns})", Median(cold.Select(c => c[2])), 50);
        Row("Get-HubEntrypoint, first call in a fresh runspace (warm process)", Median(freshFirst), 50);
        Row($"Import-Module, fresh process (n={coldRuns})", Median(cold.Select(c => c[0])), 150);
        Row("Import-Module, fresh runspace (warm process)", Median(freshImport), 150);
        Console.WriteLine(FormattableString.Invariant($"(for reference, warm: a trivial cmdlet (Get-HubDirectory) takes {Median(baseline):F2} ms; the engine's GetListing called from script {Median(engine):F2} ms)"));
        Console.WriteLine(FormattableString.Invariant($"(for reference, fresh process: Import-Module of an empty script module takes {Median(baselines.Select(b => b[0])):F1} ms; a trivial first TorchHub cmdlet (Get-HubDirectory) {Median(baselines.Select(b => b[1])):F1} ms; after it, the engine's first GetListing {Median(baselines.Select(b => b[2])):F1} ms and then the first Get-HubEntrypoint {Median(baselines.Select(b => b[3])):F1} ms)"));
        Console.WriteLine($"(for reference: opening a runspace in a fresh process took a median {Median(cold.Select(c => c[3])):F1} ms, not counted above)");
        return 0;

        static double[] Child(string mode, string repoDir)
        {
            var self = typeof(Program).Assembly.Location;
            var psi = Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet"
                ? new ProcessStartInfo(Environment.ProcessPath!, [self, "entrypoints", mode, repoDir])
                : new ProcessStartInfo(Environment.ProcessPath!, ["entrypoints", mode, repoDir]);
            psi.RedirectStandardOutput = true;
            using var child = Process.Start(psi)!;
            var line = child.StandardOutput.ReadToEnd().Trim();
            child.WaitForExit();
            return line.Split(' ').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        }

        static void Row(string name, double value, double target) =>
            Console.WriteLine(FormattableString.Invariant($"{name,-58} {value,7:F2} ms {target,7:F0} ms  {(value <= target ? "yes" : "NO")}"));

        static double Time(Runspace rs, string script)
        {
            using var ps = PowerShell.Create();
            ps.Runspace = rs;
            ps.AddScript(script);
            var sw = Stopwatch.StartNew();
            ps.Invoke();
            sw.Stop();
            if (ps.HadErrors) throw new InvalidOperationException($"'{script}' failed: {ps.Streams.Error.FirstOrDefault()}");
            return sw.Elapsed.TotalMilliseconds;
        }

        // A hubconf.py of 300 lines: 50 entrypoints defined in hubconf, 50 imported from five modules of an in-repo package.
        static void GenerateRepo(string dir)
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            Directory.CreateDirectory(Path.Combine(dir, "models"));
            File.WriteAllText(Path.Combine(dir, "models", "__init__.py"), "");
            var hub = new StringBuilder();
            hub.Append("\"\"\"Generated benchmark hub.\"\"\"\ndependencies = [\"torch\"]\n\n");
            for (var m = 0; m < 5; m++)
            {
                var module = new StringBuilder("import functools\n\n");
                var names = new List<string>();
                for (var k = 0; k < 10; k++)
                {
                    var name = $"net_{m}_{k}";
                    names.Add(name);
                    module.Append($"def {name}(pretrained: bool = False, progress=True, *, width={k + 1}, **kwargs):\n    \"\"\"\n    Network {m}.{k}.\n\n    Args:\n        pretrained: load weights\n    \"\"\"\n    return None\n\n\n");
                }
                File.WriteAllText(Path.Combine(dir, "models", $"family{m}.py"), module.ToString());
                hub.Append($"from models.family{m} import (\n    {string.Join(",\n    ", names)},\n)\n");
            }
            hub.Append('\n');
            var lines = hub.ToString().Split('\n').Length;
            for (var i = 0; lines < 295; i++)
            {
                hub.Append($"def model_{i:D3}(pretrained=False, **kwargs):\n    \"\"\"Model {i}.\"\"\"\n    return net_{i % 5}_{i % 10}(pretrained, **kwargs)\n\n");
                lines += 4;
            }
            while (lines <= 300) { hub.Append("# padding\n"); lines++; }
            File.WriteAllText(Path.Combine(dir, "hubconf.py"), hub.ToString());
        }
    }
}
