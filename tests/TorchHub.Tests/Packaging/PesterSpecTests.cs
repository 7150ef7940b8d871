using System.Collections.Generic;
using System.IO;
using System.Linq;
using TorchHub.Tests.Hosting;
using Xunit;

namespace TorchHub.Tests.Packaging;

/// <summary>
/// tests/pester cannot run here (no pwsh, no Pester), so check what can be checked without running
/// them: every spec parses, and every TorchHub command in it binds with PowerShell's own static
/// binder (as HelpExampleTests does for the help examples), so a renamed or removed parameter fails here.
/// </summary>
public sealed class PesterSpecTests : HubTestBase
{

    private static string PesterFolder => Path.Combine(RepoPaths.Root, "tests", "pester");

    private static List<string> Check(PowerShellSession ps, string path) => StaticBindCheck.Run(ps, File.ReadAllText(path));

    [Fact]
    public void PesterSpecs_ParseAndBind()
    {
        using var ps = new PowerShellSession();
        var files = Directory.GetFiles(PesterFolder, "*.Tests.ps1");
        Assert.True(files.Length >= 8, $"only {files.Length} Pester specs in {PesterFolder}");
        var problems = new List<string>();
        var boundCommands = new HashSet<string>();
        foreach (var file in files)
        {
            var lines = Check(ps, file);
            var bound = lines.Where(l => l.StartsWith("bound: ", System.StringComparison.Ordinal)).ToList();
            boundCommands.UnionWith(bound.Select(l => l["bound: ".Length..]));
            problems.AddRange(lines.Except(bound).Select(l => $"{Path.GetFileName(file)}: {l}"));
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        // The specs really exercise the module: the commands the new specs are about are all found.
        foreach (var name in new[] { "Save-HubRepository", "Get-HubCache", "Save-HubFile", "Import-HubStateDict", "Import-HubTorchScript", "Import-HubModel", "Get-HubEntrypoint" })
            Assert.Contains(name, boundCommands);
    }

    [Fact]
    public void BindCheck_CatchesAnUnknownParameter_AndAParseError()
    {
        using var ps = new PowerShellSession();
        var bad = Temp.Write("Bad.Tests.ps1", "It 'x' { Import-HubModel -Path . -Name tiny -NoSuchThing 3 }\nforeach (\n");
        var lines = Check(ps, bad);
        Assert.Contains(lines, l => l.StartsWith("bind: Import-HubModel NoSuchThing", System.StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("parse: ", System.StringComparison.Ordinal));
    }
}
