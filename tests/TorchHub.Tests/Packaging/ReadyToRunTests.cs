using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.PortableExecutable;
using TorchHub.Tests.Hosting;
using Xunit;

namespace TorchHub.Tests.Packaging;

/// <summary>
/// The module folder this configuration laid out carries ReadyToRun code exactly when the build
/// property TorchHubReadyToRun says so (Release by default), compiled for TorchHubRuntime.
/// </summary>
public sealed class ReadyToRunTests
{
    /// <summary>What start-up and first use run: precompiled when ReadyToRun is on.</summary>
    private static readonly string[] Precompiled =
    [
        "TorchHub.PowerShell", "TorchHub.Core", "TorchHub.CSharp",
        "Microsoft.CodeAnalysis", "Microsoft.CodeAnalysis.CSharp", "Octokit", "Polly.Core", "TorchSharp",
    ];

    private static string ModuleFolder => Path.GetDirectoryName(RepoPaths.ModuleManifest)!;

    private static string BuildProperty(string name) =>
        typeof(ReadyToRunTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == name).Value ?? "";

    [Fact]
    public void ModuleAssemblies_AreReadyToRun_ExactlyWhenTheBuildPropertySaysSo()
    {
        var expected = BuildProperty("TorchHubReadyToRun") == "true";
        foreach (var name in Precompiled)
        {
            var image = Read(Path.Combine(ModuleFolder, name + ".dll"));
            Assert.True(image.HasMetadata, name + " has no .NET metadata");
            Assert.True(expected == image.IsReadyToRun,
                $"{name}.dll: ReadyToRun={image.IsReadyToRun}, but the build said TorchHubReadyToRun={expected}");
            if (expected)
                Assert.Equal(MachineFor(BuildProperty("TorchHubRuntime")), image.Machine);
        }
    }

    [Fact]
    public void ReferenceAssembliesForHubconfCs_AreNeverPrecompiled()
    {
        // Only metadata for compiling hubconf.cs: precompiling would add size and no speed.
        Assert.False(Read(Path.Combine(ModuleFolder, "Basic.Reference.Assemblies.Net100.dll")).IsReadyToRun);
    }

    private static (bool HasMetadata, bool IsReadyToRun, Machine Machine) Read(string path)
    {
        Assert.True(File.Exists(path), "not laid out: " + path);
        using var pe = new PEReader(File.OpenRead(path));
        var cor = pe.PEHeaders.CorHeader;
        // A ReadyToRun image has a managed native header (the READYTORUN header) in its COR header.
        return (pe.HasMetadata, cor is not null && cor.ManagedNativeHeaderDirectory.Size > 0, pe.PEHeaders.CoffHeader.Machine);
    }

    /// <summary>crossgen2 marks the target OS by XOR-ing the machine code (the loader ignores code for another OS).</summary>
    private static Machine MachineFor(string runtime)
    {
        var arch = runtime.EndsWith("arm64", StringComparison.Ordinal) ? 0xAA64 : 0x8664;
        var os = runtime.Split('-')[0] switch
        {
            "win" => 0,
            "linux" => 0x7B79,
            "osx" => 0x4644,
            "freebsd" => 0xADC4,
            _ => throw new ArgumentException("unknown runtime " + runtime),
        };
        return (Machine)(arch ^ os);
    }
}
