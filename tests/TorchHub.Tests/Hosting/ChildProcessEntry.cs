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
            case "load-probe":
                return LoadProbe(args[1]);
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

    /// <summary>Runs Import-HubStateDict on a file and prints the error id, category and message (or OK).</summary>
    private static int LoadProbe(string path)
    {
        using var ps = new PowerShellSession();
        var result = ps.Run("Import-HubStateDict -LiteralPath $p", new System.Collections.Generic.Dictionary<string, object?> { ["p"] = path });
        var error = result.AllErrors.FirstOrDefault();
        Console.WriteLine(error is null ? "OK" : $"ERROR {error.FullyQualifiedErrorId} {error.CategoryInfo.Category}");
        if (error is not null) Console.WriteLine("MESSAGE " + error.Exception.Message);
        if (error?.ErrorDetails?.RecommendedAction is { } action) Console.WriteLine("ACTION " + action);
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
    public static string RunProbe(string probe, string? argument = null, System.Collections.Generic.IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "TorchHub.Tests.dll"), probe },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (argument is not null) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new System.Collections.Generic.Dictionary<string, string>()) start.Environment[name] = value;
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
