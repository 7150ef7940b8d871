using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using TorchHub;
using TorchHub.Runtime;
using TorchHub.Tensors;

// run [sizeMiB] [repeats]: generates the state dict with Debian's python3-torch (once), then
//   times TorchHub and torch.load, each in fresh processes, and prints them side by side.
// load <file>: one TorchHub measurement, "TIME <s> PEAK <MiB> BASE <MiB> TENSORS <n>".
var inv = CultureInfo.InvariantCulture;
switch (args.FirstOrDefault())
{
    case "load":
        return Load(args[1]);
    case "run":
        return Run(args.Length > 1 ? int.Parse(args[1], inv) : 1024, args.Length > 2 ? int.Parse(args[2], inv) : 3);
    default:
        Console.Error.WriteLine("usage: TorchHub.TensorBench run [sizeMiB] [repeats] | load <file>");
        return 2;
}

int Load(string path)
{
    TorchSharpRuntime.EnsureLoaded(); // start-up is not part of the load time (torch's import is not either)
    var baseMiB = Rss("VmRSS");
    var clock = Stopwatch.StartNew();
    var state = (OrderedDictionary)new Hub().LoadCheckpoint(path)!;
    var elapsed = clock.Elapsed.TotalSeconds;
    Console.WriteLine(string.Create(inv, $"TIME {elapsed:0.0000} PEAK {Rss("VmHWM"):0.0} BASE {baseMiB:0.0} TENSORS {state.Count}"));
    return 0;
}

int Run(int sizeMiB, int repeats)
{
    var python = "/usr/bin/python3";
    var here = AppContext.BaseDirectory;
    var results = Path.GetFullPath(Path.Combine(here, "..", "..", "..", "..", "results"));
    Directory.CreateDirectory(results);
    var file = Path.Combine(results, $"state_{sizeMiB}MiB.pth");
    if (!File.Exists(file))
    {
        Console.WriteLine($"Generating {file} with {python} make_state_dict.py ...");
        Exec(python, Path.Combine(here, "make_state_dict.py"), file, sizeMiB.ToString(inv));
    }
    var fileMiB = new FileInfo(file).Length / 1048576.0;
    // Warm the page cache so both readers start equal.
    using (var warm = File.OpenRead(file)) warm.CopyTo(Stream.Null);

    var self = Environment.ProcessPath!;
    var selfArgs = Path.GetFileNameWithoutExtension(self) == "dotnet" ? new[] { typeof(Hub).Assembly.Location.Replace("TorchHub.Core.dll", "TorchHub.TensorBench.dll") } : Array.Empty<string>();
    var ours = new List<Sample>();
    var theirs = new List<Sample>();
    for (var i = 0; i < repeats; i++)
    {
        ours.Add(Sample.Parse(Exec(self, [.. selfArgs, "load", file])));
        theirs.Add(Sample.Parse(Exec(python, Path.Combine(here, "torch_load.py"), file)));
    }
    var t = ours.OrderBy(s => s.Seconds).ElementAt(repeats / 2);
    var p = theirs.OrderBy(s => s.Seconds).ElementAt(repeats / 2);
    Console.WriteLine();
    Console.WriteLine(string.Create(inv, $"State dict: {file} ({fileMiB:0} MiB, {t.Tensors} tensors, torch.save zip format); median of {repeats} fresh processes each, warm page cache."));
    Console.WriteLine();
    Console.WriteLine("| measure | TorchHub | PyTorch 1.13 torch.load | target | result |");
    Console.WriteLine("|---|---|---|---|---|");
    Console.WriteLine(string.Create(inv, $"| load time | {t.Seconds:0.000} s | {p.Seconds:0.000} s | <= 1.2x PyTorch ({1.2 * p.Seconds:0.000} s) | {(t.Seconds <= 1.2 * p.Seconds ? "met" : "NOT met")} ({t.Seconds / p.Seconds:0.00}x) |"));
    Console.WriteLine(string.Create(inv, $"| peak memory added by the load (VmHWM - RSS before) | {t.PeakMiB - t.BaseMiB:0} MiB | {p.PeakMiB - p.BaseMiB:0} MiB | <= 1.3x file ({1.3 * fileMiB:0} MiB) | {(t.PeakMiB - t.BaseMiB <= 1.3 * fileMiB ? "met" : "NOT met")} ({(t.PeakMiB - t.BaseMiB) / fileMiB:0.00}x) |"));
    Console.WriteLine(string.Create(inv, $"| peak resident set of the process | {t.PeakMiB:0} MiB | {p.PeakMiB:0} MiB | - | runtime before loading: {t.BaseMiB:0} vs {p.BaseMiB:0} MiB |"));
    return 0;
}

static double Rss(string field)
{
    foreach (var line in File.ReadLines("/proc/self/status"))
        if (line.StartsWith(field + ":", StringComparison.Ordinal))
            return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    return double.NaN;
}

static string Exec(string file, params string[] arguments)
{
    var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var a in arguments) start.ArgumentList.Add(a);
    using var process = Process.Start(start)!;
    var err = process.StandardError.ReadToEndAsync();
    var output = process.StandardOutput.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed: {err.Result}");
    return output;
}

internal sealed record Sample(double Seconds, double PeakMiB, double BaseMiB, int Tensors)
{
    public static Sample Parse(string output)
    {
        var line = output.Split('\n').Last(l => l.StartsWith("TIME ", StringComparison.Ordinal)).Split(' ');
        var inv = CultureInfo.InvariantCulture;
        return new Sample(double.Parse(line[1], inv), double.Parse(line[3], inv), double.Parse(line[5], inv), int.Parse(line[7], inv));
    }
}
