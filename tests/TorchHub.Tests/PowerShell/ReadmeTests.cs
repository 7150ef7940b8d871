using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using TorchHub.Hubconf;
using TorchHub.Hubconf.CSharp;
using TorchHub.Tests.Engine.Tensors;
using TorchHub.Tests.Hosting;
using Xunit;

namespace TorchHub.Tests.PowerShell;

/// <summary>
/// The README's main job, run line by line through the hosted engine, so the README cannot rot.
/// The only changes: the Install-Module line is skipped (no gallery here) and Import-Module
/// imports the built module folder instead of the installed one.
/// </summary>
public sealed class ReadmeTests : HubTestBase
{
    private const string Marker = "<!-- main-job";

    public ReadmeTests() => HubconfRuntime.ForgetAll();

    /// <summary>The first ```powershell block after a marker comment.</summary>
    internal static string[] BlockAfter(string marker)
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var start = readme.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(start >= 0, $"README.md has no '{marker}' marker");
        var block = Regex.Match(readme.Substring(start), "```powershell\\n(.*?)```", RegexOptions.Singleline);
        Assert.True(block.Success, $"no powershell block after '{marker}'");
        return block.Groups[1].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    internal static string[] MainJobLines() => BlockAfter(Marker);

    [Fact]
    public void MainJob_RunsAsWritten_AndGivesPyTorchsOutput()
    {
        var lines = MainJobLines();
        Assert.Contains(lines, l => l.StartsWith("Install-Module TorchHub", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Trim() == "Import-Module TorchHub");

        using var ps = new PowerShellSession(importModule: false);
        ps.Run($"$null = $ExecutionContext.SessionState.Path.SetLocation('{RepoPaths.Root}')").ThrowIfFailed();
        var outputs = new System.Collections.Generic.List<PowerShellResult>();
        foreach (var line in lines)
        {
            if (line.StartsWith("Install-Module", StringComparison.Ordinal)) continue;
            var script = line.Trim() == "Import-Module TorchHub" ? $"Import-Module '{RepoPaths.ModuleManifest}'" : line;
            outputs.Add(ps.Run(script).ThrowIfFailed());
        }

        // Get-HubEntrypoint lists the .NET and the Python entrypoints of examples/tiny-hub.
        var entrypoints = outputs.SelectMany(o => o.Output).Select(o => o.BaseObject).OfType<HubEntrypoint>().ToList();
        Assert.Contains(entrypoints, e => e.Name == "tiny" && e.Language == HubconfLanguage.CSharp);
        Assert.Contains(entrypoints, e => e.Name == "tiny" && e.Language == HubconfLanguage.Python);
        // Get-HubHelp writes the help of tiny.
        Assert.Contains(outputs.SelectMany(o => o.Output).Select(o => o.BaseObject).OfType<HubHelp>(), h => h.Name == "tiny");
        // The last line prints the model's output for ones(1, 4): PyTorch's numbers.
        var printed = outputs.Last().Output.Select(o => Convert.ToDouble(o.BaseObject, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var expected = TorchFixtures.Flatten(TorchFixtures.Expected.GetProperty("tiny_forward_ones"));
        Assert.Equal(expected.Length, printed.Length);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], printed[i], 6);
    }

    [Fact]
    public void LoadingBlock_RunsAsWritten()
    {
        using var ps = new PowerShellSession();
        ps.Run($"$null = $ExecutionContext.SessionState.Path.SetLocation('{RepoPaths.Root}')").ThrowIfFailed();
        var results = BlockAfter("<!-- loading").Select(line => ps.Run(line).ThrowIfFailed()).ToList();
        // The module took PyTorch's weights, and the state dict's shape line printed 2, 4.
        var net = ps.Run("$net.forward([TorchSharp.torch]::ones(1, 4)).data[float]().ToArray()").ThrowIfFailed();
        var expected = TorchFixtures.Flatten(TorchFixtures.Expected.GetProperty("tiny_forward_ones"));
        Assert.Equal(expected, net.Output.Select(o => Convert.ToDouble(o.BaseObject, System.Globalization.CultureInfo.InvariantCulture)).ToArray(), new ToleranceComparer(1e-6));
        Assert.Contains(results, r => r.Output.Select(o => o.BaseObject).OfType<TorchHub.Tensors.StateDictLoadResult>().Any());
        Assert.Contains(results, r => r.Output.Count == 2 && r.Output.All(o => o.BaseObject is long) && r.Output.Select(o => (long)o.BaseObject).SequenceEqual([2L, 4L]));
        Assert.Equal("ScriptModule", ps.Run("$script.GetType().Name").ThrowIfFailed().Output.Single().ToString());
    }

    private sealed class ToleranceComparer(double tolerance) : System.Collections.Generic.IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(double obj) => 0;
    }
}
