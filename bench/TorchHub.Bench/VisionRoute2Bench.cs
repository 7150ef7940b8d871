using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using TorchHub.Cache;
using TorchHub.Errors;
using TorchHub.Hubconf.CSharp;
using TorchHub.Models;
using TorchHub.Models.Python;
using TorchHub.Repositories;
using TorchHub.Runtime;
using static TorchSharp.torch;

namespace TorchHub.Bench;

/// <summary>
/// Route 2 over every pytorch/vision 0.14.1 hub entrypoint (issue 10): a local repository whose
/// hubconf.py is v0.14.1's entrypoint list over Debian's torchvision (<c>vision/hubconf.py</c>),
/// each entrypoint loaded with its defaults (weights=None: random weights; weights_backbone=None too) through the Python route,
/// and its output compared with PyTorch's eager output for the same weights (<c>vision/reference.py</c>
/// loads the exported file's state_dict into torchvision's own builder). Writes one Markdown row per
/// entrypoint to the results file as it goes.
///   TorchHub.Bench vision-route2 &lt;results.md&gt; [name...]
/// </summary>
internal static class VisionRoute2Bench
{
    /// <summary>Largest relative difference (max |y - y_torch| / max |y_torch|) counted as equal.</summary>
    private const double Tolerance = 1e-4;

    /// <summary>The biggest models last, so a run cut short has covered the rest.</summary>
    private static readonly string[] Last = ["vit_l_16", "vit_l_32", "regnet_y_32gf", "vit_h_14", "regnet_y_128gf"];

    public static int Run(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: TorchHub.Bench vision-route2 <results.md> [name...]");
            return 2;
        }
        var results = Path.GetFullPath(args[1]);
        var source = Path.Combine(AppContext.BaseDirectory, "vision");
        var root = Path.Combine(Path.GetTempPath(), "torchhub-bench-vision-route2");
        var repo = Path.Combine(root, "vision");
        Directory.CreateDirectory(repo);
        File.Copy(Path.Combine(source, "hubconf.py"), Path.Combine(repo, "hubconf.py"), overwrite: true);
        HubDirectory.Set(Path.Combine(root, "hub"));
        TorchSharpRuntime.EnsureLoaded();
        set_num_threads(1);

        var hub = new Hub();
        var repository = HubRepository.OpenLocal(repo);
        var names = args.Length > 2
            ? args.Skip(2).ToList()
            : hub.GetListing(repository).Entrypoints.Select(e => e.Name).OrderBy(n => Array.IndexOf(Last, n)).ToList();
        using var reference = StartReference(Path.Combine(source, "reference.py"));
        var torchVersion = PythonLocator.Find(PythonRouteOptions.FromEnvironment(), new ExportCache(hub.Cache).PythonProbes).TorchVersion;
        File.AppendAllText(results, string.Create(CultureInfo.InvariantCulture,
            $"\n<!-- vision-route2 {DateTime.UtcNow:u}, torch {torchVersion}, libtorch {TorchSharpRuntime.LibTorchVersion}, load {File.ReadAllText("/proc/loadavg").Trim()} -->\n"));
        File.AppendAllText(results, "| entrypoint | loaded | export | outputs | max relative difference | result |\n|---|---|---|---:|---:|---|\n");
        var passed = 0;
        foreach (var name in names)
        {
            var row = One(hub, repository, name, reference, root);
            if (row.EndsWith("| equal |", StringComparison.Ordinal)) passed++;
            Console.WriteLine(row);
            File.AppendAllText(results, row + "\n");
        }
        Console.WriteLine($"{passed} of {names.Count} equal within {Tolerance:0e0}");
        return 0;
    }

    private static string One(Hub hub, HubRepository repository, string name, Process reference, string root)
    {
        var watch = Stopwatch.StartNew();
        object? model;
        try
        {
            model = hub.Load(repository, name, namedArgs: Arguments(name), route: ModelRouteKind.Python);
        }
        catch (HubException ex)
        {
            return $"| {name} | no ({watch.Elapsed.TotalSeconds:0} s) | | | | {ex.ErrorId}: {FirstLine(ex.Message)} |";
        }
        var loaded = $"yes ({watch.Elapsed.TotalSeconds:0} s)";
        var request = new ModelRequest(repository, name, [], Arguments(name), HubArgumentConverters.Default);
        var export = new PythonModelRoute().Export(hub, request, CancellationToken.None); // from the export cache
        var how = $"{export.Method}{(export.DictOutput ? ", Dict rewrapped" : "")}";
        var io = Path.Combine(root, name + ".io.pth");
        try
        {
            reference.StandardInput.WriteLine(new JsonObject
            {
                ["name"] = name, ["kwargs"] = PythonArguments.Named(Arguments(name), name), ["export"] = export.ModelPath, ["dict_output"] = export.DictOutput, ["out"] = io,
            }.ToJsonString());
            var answer = JsonNode.Parse(reference.StandardOutput.ReadLine() ?? "{\"error\": \"reference.py ended\"}")!;
            if (answer["error"] is { } error) return $"| {name} | {loaded} | {how} | | | PyTorch reference failed: {FirstLine(error.ToString())} |";

            var tensors = hub.LoadStateDict(io);
            var inputs = Enumerable.Range(0, answer["inputs"]!.GetValue<int>()).Select(i => (Tensor)tensors[$"input{i}"]!).ToArray();
            var expected = Enumerable.Range(0, answer["outputs"]!.GetValue<int>()).Select(i => (Tensor)tensors[$"output{i}"]!).ToList();
            List<Tensor> actual;
            using (no_grad())
            {
                var output = model switch
                {
                    DictOutputModule dict => dict.forward(inputs[0]),
                    jit.ScriptModule script => script.call(inputs),
                    _ => throw new InvalidOperationException($"the route returned a {model?.GetType().Name}"),
                };
                actual = Flatten(output).ToList();
            }
            if (actual.Count != expected.Count)
                return $"| {name} | {loaded} | {how} | {actual.Count} vs {expected.Count} | | output count differs |";
            double worst = 0;
            for (var i = 0; i < actual.Count; i++)
            {
                if (!actual[i].shape.SequenceEqual(expected[i].shape))
                    return $"| {name} | {loaded} | {how} | {actual.Count} | | output {i}: shape [{string.Join(",", actual[i].shape)}] vs [{string.Join(",", expected[i].shape)}] |";
                var scale = expected[i].abs().max().item<float>();
                var diff = (actual[i] - expected[i]).abs().max().item<float>();
                worst = Math.Max(worst, scale == 0 ? diff : diff / scale);
            }
            var verdict = worst <= Tolerance ? "equal" : $"differs (tolerance {Tolerance:0e0})";
            return string.Create(CultureInfo.InvariantCulture, $"| {name} | {loaded} | {how} | {actual.Count} | {worst:0.0e0} | {verdict} |");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return $"| {name} | {loaded} | {how} | | | comparison failed: {ex.GetType().Name}: {FirstLine(ex.Message)} |";
        }
        finally
        {
            (model as IDisposable)?.Dispose();
            File.Delete(io);
            // The export cache would otherwise hold every model (tens of GB); this run measures exports, not the cache.
            File.Delete(export.ModelPath);
        }
    }

    /// <summary>
    /// The entrypoint's arguments: none (weights=None), except that the segmentation models would
    /// still download their backbone's ImageNet weights by default, so those get weights_backbone=None.
    /// </summary>
    private static Dictionary<string, object?> Arguments(string name) =>
        name.StartsWith("fcn_", StringComparison.Ordinal) || name.StartsWith("deeplabv3_", StringComparison.Ordinal) || name.StartsWith("lraspp_", StringComparison.Ordinal)
            ? new() { ["weights_backbone"] = null }
            : [];

    /// <summary>The tensors of an output in PyTorch's order: tuples and lists in order, dictionaries by insertion, nulls skipped.</summary>
    private static IEnumerable<Tensor> Flatten(object? value) => value switch
    {
        null => [],
        Tensor t => [t],
        IDictionary<string, Tensor> map => map.Values,
        IEnumerable items => items.Cast<object?>().SelectMany(Flatten),
        System.Runtime.CompilerServices.ITuple tuple => Enumerable.Range(0, tuple.Length).SelectMany(i => Flatten(tuple[i])),
        _ => throw new InvalidOperationException($"unexpected output {value.GetType().Name}"),
    };

    private static Process StartReference(string script)
    {
        var start = new ProcessStartInfo(PythonRouteOptions.FromEnvironment().Python ?? "/usr/bin/python3")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = false, UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        return Process.Start(start)!;
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Replace("|", "\\|", StringComparison.Ordinal);
}
