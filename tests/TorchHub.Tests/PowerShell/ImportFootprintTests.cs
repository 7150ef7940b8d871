using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using TorchHub.Tests.Hosting;
using Xunit;

namespace TorchHub.Tests.PowerShell;

/// <summary>
/// A scheduled `pwsh -c "Import-Module TorchHub; Get-HubEntrypoint ..."` pays for every assembly
/// it loads. In a real pwsh process: Import-Module and a first listing (cached GitHub repository
/// and local folder) load TorchHub's two small assemblies and none of the heavy ones, which only
/// downloads (Octokit, Polly), hubconf.cs (Roslyn) and tensors (TorchSharp) need.
/// </summary>
public sealed class ImportFootprintTests : IDisposable
{
    private static readonly string[] Heavy =
    [
        "TorchSharp", "TorchHub.CSharp", "Microsoft.CodeAnalysis", "Microsoft.CodeAnalysis.CSharp", "Basic.Reference.Assemblies.Net100",
        "Octokit", "Polly.Core", "Google.Protobuf", "SkiaSharp", "ICSharpCode.SharpZipLib",
    ];

    private readonly TempDirectory _temp = new("torchhub-footprint");

    [PwshFact]
    public void ImportAndFirstListing_LoadNoneOfTheHeavyAssemblies()
    {
        const string hubconf = "dependencies = []\n\ndef model_a():\n    \"\"\"A.\"\"\"\n    return 1\n";
        _temp.Write("torch/hub/acme_x_v1/hubconf.py", hubconf);
        _temp.Write("torch/hub/trusted_list", "acme_x\n");
        _temp.Write("local/hubconf.py", hubconf);

        var stages = RunPwsh($$"""
            $ErrorActionPreference = 'Stop'
            function Loaded([string] $stage) { "$stage " + (([AppDomain]::CurrentDomain.GetAssemblies() | ForEach-Object { $_.GetName().Name }) -join ',') }
            Import-Module '{{RepoPaths.ModuleManifest}}'
            Loaded IMPORT
            $cached = Get-HubEntrypoint -Repository acme/x:v1
            Loaded CACHED
            $local = Get-HubEntrypoint -LiteralPath '{{_temp.Combine("local")}}'
            Loaded LOCAL
            "NAMES $($cached.Name) $($local.Name)"
            """);

        Assert.Equal(["model_a", "model_a"], stages["NAMES"]); // both listings really ran
        foreach (var stage in new[] { "IMPORT", "CACHED", "LOCAL" })
        {
            var loaded = stages[stage];
            Assert.Contains("TorchHub.PowerShell", loaded);
            Assert.Empty(loaded.Intersect(Heavy));
        }
        Assert.Contains("TorchHub.Core", stages["CACHED"]);
    }

    /// <summary>Runs a script in a fresh `pwsh -NoProfile` and splits each "STAGE a,b,c" output line.</summary>
    private System.Collections.Generic.Dictionary<string, string[]> RunPwsh(string script)
    {
        var start = new ProcessStartInfo(PwshFactAttribute.Path!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-NoProfile", "-NonInteractive", "-Command", script }) start.ArgumentList.Add(argument);
        start.Environment["TORCH_HOME"] = _temp.Combine("torch");
        start.Environment["POWERSHELL_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(120_000), "pwsh did not finish in 2 minutes");
        Assert.True(process.ExitCode == 0, $"pwsh exited {process.ExitCode}: {output}{error.Result}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ', 2))
            .ToDictionary(parts => parts[0], parts => parts.Length > 1 ? parts[1].Split(new[] { ',', ' ' }, StringSplitOptions.RemoveEmptyEntries) : []);
    }

    public void Dispose() => _temp.Dispose();
}
