using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using TorchHub.Cache;
using TorchHub.Hubconf.CSharp;
using TorchHub.Models;
using TorchHub.Models.Python;
using TorchHub.Repositories;
using TorchHub.Runtime;
using static TorchSharp.torch;

namespace TorchHub.Bench;

/// <summary>
/// Route 2 (issue 10): torchvision's resnet18 and resnet50 from a local hub repository (a hubconf.py
/// importing Debian's torchvision), loaded by the Python route cold (sandboxed export) and warm
/// (export cache, as a new session: in-memory probes forgotten), beside torch.hub.load in Debian's
/// Python measured in the same run.
///   TorchHub.Bench pyroute [python]
/// </summary>
internal static class PythonRouteBench
{
    private static readonly string[] Models = ["resnet18", "resnet50"];

    public static int Run(string[] args)
    {
        var python = args.Length > 1 ? args[1] : "/usr/bin/python3";
        var root = Path.Combine(Path.GetTempPath(), "torchhub-bench-pyroute-" + Guid.NewGuid().ToString("N"));
        var repo = Path.Combine(root, "vision");
        Directory.CreateDirectory(repo);
        File.WriteAllText(Path.Combine(repo, "hubconf.py"),
            "dependencies = ['torch', 'torchvision']\nfrom torchvision.models.resnet import resnet18, resnet50  # noqa: F401\n");
        HubDirectory.Set(Path.Combine(root, "hub"));
        try
        {
            var native = Stopwatch.StartNew();
            TorchSharpRuntime.EnsureLoaded();
            native.Stop();
            Console.WriteLine($"Route 2 benchmark: {repo} (Debian torchvision), {python}; TorchSharp start-up {native.Elapsed.TotalMilliseconds:0} ms (once per process, not counted)");
            Console.WriteLine();
            Console.WriteLine($"{"model",-10} {"figure",-70} {"seconds",8}");
            var hub = new Hub();
            var options = new PythonRouteOptions { Python = python };
            using var input = ones(1, 3, 224, 224);
            foreach (var model in Models)
            {
                var reference = TorchHubLoad(python, repo, model);
                var request = new ModelRequest(HubRepository.OpenLocal(repo), model, [], new Dictionary<string, object?>(), HubArgumentConverters.Default);

                var cold = Stopwatch.StartNew();
                var export = new PythonModelRoute(options).Export(hub, request, CancellationToken.None);
                var module = (nn.Module)PythonModelRoute.LoadExport(hub, export);
                cold.Stop();

                PythonLocator.ForgetProbes();
                var warm = Stopwatch.StartNew();
                var cached = new PythonModelRoute(options).Export(hub, request, CancellationToken.None);
                var warmModule = (jit.ScriptModule)PythonModelRoute.LoadExport(hub, cached);
                warm.Stop();
                if (!cached.FromCache) throw new InvalidOperationException("the second load did not come from the export cache");
                using (no_grad()) ((Tensor)warmModule.call(input)).Dispose();
                module.Dispose();
                warmModule.Dispose();

                Row(model, $"torch.hub.load in Python, whole process (import torch + build)", reference.Process);
                Row(model, $"  of which import torch", reference.Import);
                Row(model, $"  of which torch.hub.load", reference.Load);
                Row(model, $"Route 2 cold: probe + sandboxed export ({export.Sandbox}, {export.Method}) + load", cold.Elapsed.TotalSeconds);
                Row(model, "Route 2 warm (new session): cache key + TorchScript load", warm.Elapsed.TotalSeconds);
            }
            return 0;
        }
        finally
        {
            HubDirectory.Set(null);
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    private static void Row(string model, string figure, double seconds) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{model,-10} {figure,-70} {seconds,8:0.000}"));

    /// <summary>torch.hub.load(repo, model, source='local') in a fresh Python: the whole process and its two parts.</summary>
    private static (double Process, double Import, double Load) TorchHubLoad(string python, string repo, string model)
    {
        var script = string.Join('\n',
            "import time; t0 = time.perf_counter()",
            "import torch, torch.hub; t1 = time.perf_counter()",
            $"m = torch.hub.load('{repo}', '{model}', source='local').eval(); t2 = time.perf_counter()",
            "print(f'{t1 - t0} {t2 - t1}')");
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        watch.Stop();
        if (process.ExitCode != 0) throw new InvalidOperationException(error.Result);
        var parts = output.Trim().Split(' ').Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        return (watch.Elapsed.TotalSeconds, parts[0], parts[1]);
    }
}
