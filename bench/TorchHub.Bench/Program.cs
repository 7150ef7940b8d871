using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TorchHub;
using TorchHub.Bench;
using TorchHub.Downloads;
using TorchHub.Errors;

// fetch <url> <destination file> [hashPrefix]: one download with the engine; prints
//   "OK <sha256> <length> <fromCache> <bytesTransferred> <peakMiB>" or "ERROR <id> <message>".
// serve <folder> [port] [bytesPerSecondPerConnection]: static file server (Range, ETag).
// run [sizeMiB] [busy] [downloads-only]: the download benchmark (bench/README.md); busy keeps one core spinning.
// github [files] [megabytes]: GitHub source figures; hubconf [folder] [entrypoint]: Import-HubModel figures.
// pyroute [python]: Route 2 (hubconf.py exported by a local PyTorch) cold and warm beside torch.hub.load.
// startup [rounds]: start-up in real pwsh vs torch.hub (import, first listing, whole process, hubconf.cs).
// vision-route2 <results.md> [name...]: Route 2 over every pytorch/vision 0.14.1 entrypoint, outputs vs PyTorch's.
// ports [model...]: route 1 (built-in TorchVision ports) load time beside torchvision's.
// restore [repositories] [files] [MiB]: Restore-HubCache cold/warm, through a mirror, beside the prefetch and torch.hub.
switch (args.FirstOrDefault())
{
    case "fetch":
        return await Fetch(args);
    case "serve":
        return await StaticServer.ServeForeverAsync(args[1], args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 0,
            args.Length > 3 ? long.Parse(args[3], CultureInfo.InvariantCulture) : 0);
    case "github":
        return await GitHubBench.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2000,
            args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 50);
    case "github-fetch":
        return GitHubFetch.Fetch(args[1], args[2], args.Length > 3 && args[3] == "skip");
    case "entrypoints":
        return TorchHub.Bench.EntrypointBench.Run(args.Skip(1).ToArray());
    case "hubconf":
        return HubconfBench.Run(args);
    case "startup":
        return StartupBench.Run(args);
    case "hubconf-load":
        return HubconfBench.LoadOnce(args);
    case "ports":
        return PortsBench.Run(args);
    case "ports-load":
        return PortsBench.LoadOnce(args);
    case "restore":
        return await RestoreBench.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20,
            args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5, args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 8);
    case "pyroute":
        return PythonRouteBench.Run(args);
    case "vision-route2":
        return VisionRoute2Bench.Run(args);
    case "run":
        return await Benchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1024,
            busy: args.Contains("busy"), fast: args.Contains("downloads-only"));
    default:
        Console.Error.WriteLine("usage: TorchHub.Bench fetch <url> <dst> [hashPrefix] | serve <folder> [port] [bytesPerSecPerConn] | run [sizeMiB] | entrypoints | github [files] [megabytes] | hubconf | startup [rounds] | ports [model...] | pyroute [python] | vision-route2 <results.md> [name...] | restore [repositories] [files] [MiB]");
        return 2;
}

static async Task<int> Fetch(string[] args)
{
    using var cts = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
    var hub = new Hub();
    try
    {
        var file = await hub.SaveFileAsync(new SaveFileRequest(args[1]) { Destination = args[2], HashPrefix = args.Length > 3 ? args[3] : null }, cts.Token);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"OK {file.Sha256} {file.Length} {file.FromCache} {file.BytesTransferred} {PeakMemory.MiB():0.0}"));
        return 0;
    }
    catch (HubException ex)
    {
        Console.WriteLine($"ERROR {ex.ErrorId} {ex.Message}");
        return 1;
    }
}

namespace TorchHub.Bench
{
    internal static class PeakMemory
    {
        /// <summary>Peak resident set (VmHWM) of this process in MiB.</summary>
        public static double MiB()
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
            }
            return double.NaN;
        }
    }
}
