using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using TorchHub.Hubconf.CSharp;
using TorchHub.Tests.Hosting;
using Xunit;

namespace TorchHub.Tests.Engine.Hubconf.CSharp;

/// <summary>The compile cache across real processes: the bench's one-load command run twice on one hub directory.</summary>
public sealed class CompileCacheProcessTests : HubTestBase
{
    private static string BenchDll
    {
        get
        {
            var config = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
            return Path.Combine(RepoPaths.Root, "bench", "TorchHub.Bench", "bin", config, "net10.0", "TorchHub.Bench.dll");
        }
    }

    private string LoadInNewProcess()
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { BenchDll, "hubconf-load", HubDir, Path.Combine(RepoPaths.Root, "examples", "tiny-hub"), "tiny" })
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        // Read both streams at once: reading one to its end first can deadlock on a full pipe.
        var errorTask = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(120_000));
        var error = errorTask.Result;
        Assert.True(process.ExitCode == 0, output + error);
        return output.Split('\n').Single(l => l.StartsWith("origin ", StringComparison.Ordinal)).Substring(7).Trim();
    }

    [Fact]
    public void SecondProcess_TakesTheAssemblyFromTheCache_AndCompilesNothing()
    {
        Assert.Equal("compiled", LoadInNewProcess());
        var dll = Assert.Single(Directory.GetFiles(new Hub().Cache.CompiledAssembliesFolder, "*.dll"));
        var written = File.GetLastWriteTimeUtc(dll);

        Assert.Equal("compile cache", LoadInNewProcess());
        Assert.Equal(written, File.GetLastWriteTimeUtc(dll));
        Assert.Equal([dll], Directory.GetFiles(new Hub().Cache.CompiledAssembliesFolder, "*.dll"));
        Assert.Empty(Directory.GetFiles(new Hub().Cache.CompiledAssembliesFolder, "*.partial"));
    }
}
