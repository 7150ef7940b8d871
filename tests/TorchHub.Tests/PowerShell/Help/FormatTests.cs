using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation.Runspaces;
using System.Xml.Linq;
using TorchHub.HelpBuilder;
using TorchHub.Tests.Hosting;
using Xunit;

namespace TorchHub.Tests.PowerShell.Help;

/// <summary>
/// Views for output types. The hosted engine has no Get-FormatData (it lives in the Utility
/// module), so these tests read the listed files, load them with PowerShell's own FormatTable,
/// and look at what the engine's formatter prints through Out-Host.
/// </summary>
public sealed class FormatTests : HubTestBase
{
    private static string ModuleSource => Path.Combine(RepoPaths.Root, "module");

    private static string[] ListedFormats()
    {
        var manifest = ModulePackager.ReadManifest(Path.Combine(ModuleSource, "TorchHub.psd1"));
        return ((IEnumerable)manifest["FormatsToProcess"]!).Cast<object>().Select(o => o.ToString()!).ToArray();
    }

    [Fact]
    public void EveryFormatFile_IsListed_AndEveryListedFileShips()
    {
        var listed = ListedFormats();
        Assert.Contains("TorchHub.Format.ps1xml", listed);
        var present = Directory.GetFiles(ModuleSource, "*.Format.ps1xml").Select(Path.GetFileName).ToArray();
        Assert.True(present.Except(listed).ToArray() is { Length: 0 } unlisted, "add to FormatsToProcess in module/TorchHub.psd1: " + string.Join(", ", present.Except(listed)));
        foreach (var file in listed)
        {
            Assert.True(File.Exists(Path.Combine(ModuleSource, file)), $"listed but missing in module/: {file}");
            Assert.True(File.Exists(Path.Combine(ModuleFacts.ModuleFolder, file)), $"not laid out into out/TorchHub: {file}");
        }
        // PowerShell's own loader validates every view (throws FormatTableLoadException on errors).
        _ = new FormatTable(listed.Select(f => Path.Combine(ModuleSource, f)));
    }

    [Fact]
    public void EveryOutputType_HasAView()
    {
        var viewed = ListedFormats()
            .SelectMany(f => XDocument.Load(Path.Combine(ModuleSource, f)).Descendants("ViewSelectedBy").Elements("TypeName"))
            .Select(e => e.Value.Trim()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        using var ps = new PowerShellSession();
        var missing = ModuleFacts.Cmdlets(ps)
            .SelectMany(c => c.OutputType.Select(t => (Cmdlet: c.Name, Type: t.Name)))
            .Where(o => !o.Type.StartsWith("System.", StringComparison.Ordinal) && !viewed.Contains(o.Type))
            .Select(o => $"{o.Type} (from {o.Cmdlet})").Distinct().ToList();
        Assert.Contains("TorchHub.Cache.HubDirectoryInfo", viewed);
        Assert.True(missing.Count == 0, "no view in a listed *.Format.ps1xml for: " + string.Join(", ", missing));
    }

    [Fact]
    public void HubDirectory_RendersAsATable()
    {
        var (text, _, errors) = ModuleFacts.RunFormatted("Get-HubDirectory | Out-Host");
        Assert.Empty(errors);
        var lines = text.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
        Assert.Matches(@"^Path\s+Source\s+Exists\s+Lock$", lines[0]);
        Assert.Matches(@"^-+\s+-+\s+-+\s+-+$", lines[1]);
        Assert.StartsWith(HubDir, lines[2]);
        Assert.Matches(@"Set\s+False\s+Kernel$", lines[2]);
    }

    [Fact]
    public void Entrypoints_RenderAsATableGroupedByRepository()
    {
        var (text, _, errors) = ModuleFacts.RunFormatted("""
            $a = [TorchHub.Hubconf.HubEntrypoint]@{ Name = 'resnet18'; RepositoryPath = '/hub/pytorch_vision_v0.14.1'; Repository = 'pytorch/vision:v0.14.1'; Synopsis = 'ResNet-18 from Deep Residual Learning.' }
            $b = [TorchHub.Hubconf.HubEntrypoint]@{ Name = 'odd'; RepositoryPath = '/hub/pytorch_vision_v0.14.1'; Repository = 'pytorch/vision:v0.14.1'; Synopsis = 'Made by a decorator.'; Notes = [string[]]@('decorated') }
            $a, $b | Out-Host
            """);
        Assert.Empty(errors);
        Assert.Contains("Repository: pytorch/vision:v0.14.1", text);
        Assert.Matches(@"(?m)^Name\s+Language\s+Route\s+Synopsis\s*$", text);
        Assert.Matches(@"(?m)^resnet18\s+Python\s+ResNet-18 from Deep Residual Learning\.\s*$", text);
        Assert.Matches(@"(?m)^odd\s+Python\s+Made by a decorator\. \[\?\]\s*$", text);
    }

    [Fact]
    public void Listing_RendersAsAList()
    {
        var (text, _, errors) = ModuleFacts.RunFormatted("""
            $entry = { param($n) [TorchHub.Hubconf.HubEntrypoint]@{ Name = $n; RepositoryPath = '/r' } }
            [TorchHub.Hubconf.HubconfListing]@{
                Entrypoints = [TorchHub.Hubconf.HubEntrypoint[]]@((& $entry 'resnet18'), (& $entry 'resnet50'))
                Dependencies = [string[]]@('torch', 'scipy'); GetHelp = $null } | Out-Host
            """);
        Assert.Empty(errors);
        Assert.Matches(@"(?m)^Entrypoints\s+: resnet18, resnet50$", text);
        Assert.Matches(@"(?m)^Dependencies\s+: torch, scipy$", text);
    }

    [Fact]
    public void Help_ShowsTheDocstringAsWritten()
    {
        var (text, _, errors) = ModuleFacts.RunFormatted("""
            [TorchHub.Hubconf.HubHelp]@{
                Name = 'resnet18'; Repository = 'pytorch/vision:v0.14.1'; Signature = 'resnet18(pretrained=False, **kwargs)'
                Text = "ResNet-18 model.`n`nArgs:`n    pretrained (bool): weights pre-trained on ImageNet" } | Out-Host
            """);
        Assert.Empty(errors);
        var lines = text.Split('\n').Select(l => l.TrimEnd()).ToList();
        var name = lines.IndexOf("NAME");
        Assert.True(name >= 0, text);
        Assert.Equal("    resnet18(pretrained=False, **kwargs)", lines[name + 1]);
        Assert.Equal("    pytorch/vision:v0.14.1", lines[name + 2]);
        var description = lines.IndexOf("DESCRIPTION");
        Assert.True(description > name, text);
        Assert.Equal("    ResNet-18 model.", lines[description + 1]);
        // The docstring's own indentation survives under the frame's.
        Assert.Contains("        pretrained (bool): weights pre-trained on ImageNet", lines);
    }
}
