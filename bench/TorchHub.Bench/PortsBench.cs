using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using TorchHub.Models.Ports;
using TorchHub.Repositories;
using TorchHub.Runtime;
using static TorchSharp.torch;
using static TorchHub.Bench.BenchTools;

namespace TorchHub.Bench;

/// <summary>
/// Route 1 (issue 10): pytorch/vision's resnet18 and resnet152 loaded by the built-in port with
/// IMAGENET1K_V1 weights from checkpoints/ (construct + read + load_state_dict + one forward on
/// 1x3x224x224), beside torchvision in Debian's Python doing the same from the same file
/// (torchvision.models.X() + torch.load + load_state_dict + forward), each in a fresh process,
/// start-up (TorchSharp natives / import torch) reported apart. The weights are random, written
/// by torch.save under the published name (the load does not depend on their values).
///   TorchHub.Bench ports [model...]
/// </summary>
internal static class PortsBench
{

    private const string PythonLoad = """
        import sys, time
        t0 = time.perf_counter()
        import torch, torchvision
        t1 = time.perf_counter()
        name, path = sys.argv[1], sys.argv[2]
        def load():
            model = getattr(torchvision.models, name)()
            model.load_state_dict(torch.load(path))
            model.eval()
            with torch.no_grad():
                model(torch.randn(1, 3, 224, 224))
        s = time.perf_counter(); load(); t2 = time.perf_counter(); load(); t3 = time.perf_counter()
        print(f"startup {(t1 - t0) * 1000:.1f}"); print(f"load {(t2 - s) * 1000:.1f}"); print(f"again {(t3 - t2) * 1000:.1f}")
        """;

    public static int Run(string[] args)
    {
        var models = args.Length > 1 ? args[1..] : ["resnet18", "resnet152"];
        if (!File.Exists(Python)) { Console.Error.WriteLine($"{Python} with torchvision is needed for the reference"); return 1; }
        var hubDir = Path.Combine(Path.GetTempPath(), "torchhub-bench-ports-" + Guid.NewGuid().ToString("N"));
        try
        {
            var checkpoints = Directory.CreateDirectory(Path.Combine(hubDir, "checkpoints")).FullName;
            Console.WriteLine("Route 1 (built-in port) vs torchvision, each load in a new process; ms");
            Console.WriteLine($"{"model",-10} {"figure",-48} {".NET port",10} {"torchvision",12}");
            foreach (var model in models)
            {
                var file = Path.Combine(checkpoints, TorchVisionPorts.All[model].V1);
                Run(Python, "-c", $"import torch, torchvision; torch.save(torchvision.models.{model}().state_dict(), '{file}')");
                var dotnet = Figures(Environment.ProcessPath!, [.. ProcessArgs(), "ports-load", hubDir, model]);
                var python = Figures(Python, ["-c", PythonLoad, model, file]);
                Row(model, "start-up (TorchSharp natives / import torch)", dotnet["startup"], python["startup"]);
                Row(model, "first load: construct + read + load + forward", dotnet["load"], python["load"]);
                Row(model, "second load in the same process", dotnet["again"], python["again"]);
            }
            return 0;
        }
        finally
        {
            Directory.Delete(hubDir, recursive: true);
        }
    }

    /// <summary>The child: one Import-HubModel-equivalent through the engine's Port route, timed.</summary>
    public static int LoadOnce(string[] args)
    {
        var (hubDir, model) = (args[1], args[2]);
        var start = Stopwatch.StartNew();
        TorchSharpRuntime.EnsureLoaded();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"startup {start.Elapsed.TotalMilliseconds:0.0}"));
        var hub = new Hub(new HubOptions());
        Hub.SetDir(hubDir);
        // The cache folder is not read by the Port route: the weights come from checkpoints/.
        var vision = new HubRepository(Path.Combine(hubDir, "pytorch_vision_main"), RepositorySource.GitHub, RepoSpec.Parse("pytorch/vision:main"));
        foreach (var figure in new[] { "load", "again" })
        {
            var watch = Stopwatch.StartNew();
            // checkHash: false, as the random weights cannot have the published hash (a recorded download is not re-hashed anyway).
            using var net = (nn.Module<Tensor, Tensor>)hub.Load(vision, model, namedArgs: new Dictionary<string, object?> { ["weights"] = "IMAGENET1K_V1" }, checkHash: false)!;
            net.eval();
            using (no_grad())
            using (var x = randn(1, 3, 224, 224))
            using (net.forward(x)) { }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{figure} {watch.Elapsed.TotalMilliseconds:0.0}"));
        }
        return 0;
    }

    private static IEnumerable<string> ProcessArgs() =>
        Environment.ProcessPath!.EndsWith("dotnet", StringComparison.Ordinal) ? [typeof(PortsBench).Assembly.Location] : [];

    private static Dictionary<string, double> Figures(string program, string[] args) =>
        Run(program, args).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Trim().Split(' ')).Where(p => p.Length == 2 && double.TryParse(p[1], CultureInfo.InvariantCulture, out _))
            .ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture));

    private static string Run(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} failed: {error.Result}");
        return output;
    }

    private static void Row(string model, string figure, double port, double python) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{model,-10} {figure,-48} {port,10:0.0} {python,12:0.0}"));
}
