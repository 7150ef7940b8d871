using System;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace TorchHub.Tests.Hosting;

/// <summary>
/// Entry point when the test assembly runs as a child process (<c>dotnet TorchHub.Tests.dll
/// &lt;probe&gt;</c>): checks that need a process of their own, because TorchSharp and libtorch,
/// once loaded, stay loaded for the life of the test host.
/// </summary>
public static class ChildProcessEntry
{
    public static int Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "import-probe":
                return ImportProbe();
            default:
                Console.Error.WriteLine("TorchHub.Tests runs under 'dotnet test'; probes: import-probe");
                return 2;
        }
    }

    /// <summary>
    /// Imports the module and reports what of TorchSharp/libtorch is loaded, then uses
    /// <c>[TorchSharp.torch]::ones(1, 4)</c> directly (no TorchHub command first) and reports again.
    /// </summary>
    private static int ImportProbe()
    {
        using var ps = new PowerShellSession();
        Report("IMPORT");
        var dll = Path.Combine(Path.GetDirectoryName(RepoPaths.ModuleManifest)!, "TorchSharp.dll");
        var result = ps.Run($"$null = [System.Reflection.Assembly]::LoadFrom('{dll}'); [TorchSharp.torch]::ones(1, 4).sum().item[float]()");
        Console.WriteLine("ONES " + (result.Succeeded ? result.Output.Single().BaseObject : "ERROR " + string.Join(" | ", result.AllErrors)));
        Report("AFTER");
        return 0;
    }

    private static void Report(string stage)
    {
        var assemblies = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name).Where(n => n is not null && n.Contains("TorchSharp", StringComparison.OrdinalIgnoreCase));
        var natives = File.ReadLines("/proc/self/maps").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "")
            .Where(p => p.Contains("libtorch", StringComparison.OrdinalIgnoreCase) || p.Contains("LibTorchSharp", StringComparison.Ordinal) || p.Contains("libc10", StringComparison.Ordinal))
            .Select(Path.GetFileName).Distinct();
        Console.WriteLine($"{stage} ASSEMBLIES [{string.Join(",", assemblies)}]");
        Console.WriteLine($"{stage} NATIVE [{string.Join(",", natives)}]");
    }

    /// <summary>Runs a probe in a child process and returns its standard output.</summary>
    public static string RunProbe(string probe)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "TorchHub.Tests.dll"), probe },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The child probe did not finish in 120 s.");
        }
        if (process.ExitCode != 0) throw new InvalidOperationException($"Probe {probe} exited with {process.ExitCode}: {stderr.Result}");
        return stdout;
    }
}
