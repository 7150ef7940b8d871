using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using TorchHub.Hubconf;
using TorchHub.Tests.Hosting;
using Xunit;

namespace TorchHub.Tests.PowerShell;

/// <summary>The help pages' examples run as written (from the repository root, on examples/vision).</summary>
public sealed class EntrypointHelpExamplesTests : HubTestBase
{
    [Theory]
    [InlineData("Get-HubEntrypoint")]
    [InlineData("Get-HubHelp")]
    public void HelpPage_Exists_AndEveryExampleRuns(string command)
    {
        var page = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "help", command + ".md"));
        Assert.DoesNotContain("{{", page);
        // Examples on GitHub repositories need the network; HelpExampleTests parses and binds them.
        // Every example on the repository's examples/ folders runs here, as written.
        var examples = Regex.Matches(page, "```powershell\n(.*?)```", RegexOptions.Singleline).Select(m => m.Groups[1].Value)
            .Where(e => e.Contains("examples/", StringComparison.Ordinal)).ToList();
        Assert.True(examples.Count >= 2);
        using var ps = new PowerShellSession();
        ps.Run($"$null = $ExecutionContext.SessionState.Path.SetLocation('{RepoPaths.Root}')").ThrowIfFailed();
        foreach (var example in examples)
        {
            var result = ps.Run(example).ThrowIfFailed();
            Assert.True(result.Output.Count > 0 || example.Contains("$listing =") || example.Contains("$doc ="), example);
        }
    }

    [Fact]
    public void ExampleRepository_ListsTheVisionEntrypoints()
    {
        using var ps = new PowerShellSession();
        var names = ps.Run($"(Get-HubEntrypoint -LiteralPath '{Path.Combine(RepoPaths.Root, "examples", "vision")}').Name").ThrowIfFailed().Output.Select(o => o.BaseObject);
        Assert.Contains("resnet18", names);
        var help = ps.Run($"Get-HubHelp -LiteralPath '{Path.Combine(RepoPaths.Root, "examples", "vision")}' alexnet").ThrowIfFailed().Objects<HubHelp>().Single();
        Assert.StartsWith("AlexNet model architecture", help.ToString());
    }
}
