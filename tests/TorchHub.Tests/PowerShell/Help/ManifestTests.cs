using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Xml.Linq;
using TorchHub.HelpBuilder;
using TorchHub.Tests.Hosting;
using Xunit;

namespace TorchHub.Tests.PowerShell.Help;

/// <summary>The built manifest: Test-ModuleManifest, Gallery metadata, explicit exports, one version.</summary>
public sealed class ManifestTests
{
    private static string PropsVersion() =>
        XDocument.Load(Path.Combine(RepoPaths.Root, "Directory.Build.props")).Descendants("ModuleVersion").Single().Value;

    [Fact]
    public void TestModuleManifest_Passes_WithGalleryMetadata()
    {
        using var ps = new PowerShellSession(importModule: false);
        var result = ps.Run($"Test-ModuleManifest -Path '{RepoPaths.ModuleManifest}'");
        Assert.True(result.Succeeded, string.Join("\n", result.AllErrors.Select(e => e.ToString())));
        var module = result.Objects<PSModuleInfo>().Single();

        Assert.Equal(new Version(PropsVersion()), module.Version);
        Assert.NotEqual(Guid.Empty, module.Guid);
        Assert.False(string.IsNullOrWhiteSpace(module.Author));
        Assert.False(string.IsNullOrWhiteSpace(module.CompanyName));
        Assert.Contains("MIT", module.Copyright);
        Assert.True(module.Description.Length > 40);
        Assert.Equal(new Version(7, 6), module.PowerShellVersion);
        Assert.Equal(["Core"], module.CompatiblePSEditions);
        Assert.Contains("TorchHub.Format.ps1xml", module.ExportedFormatFiles.Select(Path.GetFileName));
        Assert.Contains("PSEdition_Core", module.Tags);
        Assert.Contains("PyTorch", module.Tags);
        Assert.NotNull(module.ProjectUri);
        Assert.EndsWith("/LICENSE", module.LicenseUri!.ToString());
        Assert.False(string.IsNullOrWhiteSpace(module.ReleaseNotes));
    }

    [Fact]
    public void Exports_AreExplicit_AndMatchTheCmdletsInTheAssembly()
    {
        var manifest = ModulePackager.ReadManifest(RepoPaths.ModuleManifest);
        foreach (var key in new[] { "CmdletsToExport", "FunctionsToExport", "AliasesToExport", "VariablesToExport" })
        {
            Assert.True(manifest.ContainsKey(key), $"{key} missing (a missing entry means '*')");
            var values = ((IEnumerable)manifest[key]!).Cast<object>().Select(o => o.ToString()!).ToList();
            Assert.DoesNotContain(values, v => v.Contains('*'));
        }
        var listed = ((IEnumerable)manifest["CmdletsToExport"]!).Cast<object>().Select(o => o.ToString()!).OrderBy(s => s).ToList();

        using var ps = new PowerShellSession();
        var exported = ModuleFacts.Cmdlets(ps);
        // Every [Cmdlet] class in the assembly must be in the list: one forgotten is one users never see.
        var inAssembly = exported[0].ImplementingType.Assembly.GetTypes()
            .Select(t => t.GetCustomAttribute<CmdletAttribute>() is { } a ? $"{a.VerbName}-{a.NounName}" : null)
            .OfType<string>().OrderBy(s => s).ToList();
        Assert.Equal(inAssembly, listed);
        Assert.Equal(listed, exported.Select(c => c.Name).OrderBy(s => s).ToList());
    }

    [Fact]
    public void OneVersion_InManifestAssembliesAndBuildProps()
    {
        var version = new Version(PropsVersion());
        var manifest = ModulePackager.ReadManifest(RepoPaths.ModuleManifest);
        Assert.Equal(version, new Version((string)manifest["ModuleVersion"]!));
        foreach (var dll in new[] { "TorchHub.PowerShell.dll", "TorchHub.Core.dll" })
        {
            var name = AssemblyName.GetAssemblyName(Path.Combine(ModuleFacts.ModuleFolder, dll));
            Assert.Equal(new Version(version.Major, version.Minor, version.Build, 0), name.Version);
        }
        // The source manifest carries the placeholder, never a second hard-coded version.
        Assert.Contains("ModuleVersion        = '{{ModuleVersion}}'", File.ReadAllText(Path.Combine(RepoPaths.Root, "module", "TorchHub.psd1")));
    }

    [Fact]
    public void LicenseAndHelp_Ship()
    {
        var license = File.ReadAllText(Path.Combine(RepoPaths.Root, "LICENSE"));
        Assert.StartsWith("MIT License", license);
        Assert.True(File.Exists(Path.Combine(ModuleFacts.ModuleFolder, "en-US", "TorchHub.PowerShell.dll-Help.xml")));
        Assert.True(File.Exists(Path.Combine(ModuleFacts.ModuleFolder, "en-US", "about_TorchHub.help.txt")));
    }
}
