using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Management.Automation.Language;
using System.Runtime.InteropServices;
using System.Xml.Linq;
using TorchHub.HelpBuilder;
using TorchHub.Tests.Hosting;
using Xunit;

namespace TorchHub.Tests.Packaging;

/// <summary>The .nupkg the Package step makes, read back with System.IO.Compression, and the build scripts.</summary>
public sealed class PackagingTests : IDisposable
{
    private readonly TempDirectory _temp = new("torchhub-pack");

    private static string ModuleFolder => Path.GetDirectoryName(RepoPaths.ModuleManifest)!;

    [Fact]
    public void Package_HasTheModuleAtTheRoot_AndANuspecFromTheManifest()
    {
        var package = ModulePackager.Pack(ModuleFolder, _temp.Path);
        var version = XDocument.Load(Path.Combine(RepoPaths.Root, "Directory.Build.props")).Descendants("ModuleVersion").Single().Value;
        Assert.Equal($"TorchHub.{version}.nupkg", Path.GetFileName(package));

        // NuGet's own reader (what PSResourceGet installs with) accepts it.
        using (var nuget = new NuGet.Packaging.PackageArchiveReader(package))
        {
            Assert.Equal("TorchHub", nuget.GetIdentity().Id);
            Assert.Equal(version, nuget.GetIdentity().Version.ToNormalizedString());
        }

        using var zip = ZipFile.OpenRead(package);
        var names = zip.Entries.Select(e => e.FullName).ToList();
        foreach (var expected in new[] { "TorchHub.nuspec", "TorchHub.psd1", "LICENSE", "TorchHub.PowerShell.dll", "TorchHub.Core.dll", "TorchHub.Format.ps1xml",
                     "en-US/TorchHub.PowerShell.dll-Help.xml", "en-US/about_TorchHub.help.txt", "[Content_Types].xml", "_rels/.rels" })
            Assert.Contains(expected, names);
        // Only TorchHub's own small native helpers (the libstdc++ shim) ship by default; libtorch does not.
        Assert.All(names.Where(n => n.StartsWith("runtimes/", StringComparison.Ordinal)),
            n => Assert.StartsWith("libtorchhub_", Path.GetFileName(n), StringComparison.Ordinal));
        Assert.DoesNotContain(names, n => Path.GetFileName(n).StartsWith("libtorch_cpu", StringComparison.Ordinal));
        Assert.DoesNotContain(names, n => n.Contains("System.Management.Automation", StringComparison.Ordinal));

        XNamespace ns = XDocument.Load(zip.GetEntry("TorchHub.nuspec")!.Open()).Root!.Name.Namespace;
        var metadata = XDocument.Load(zip.GetEntry("TorchHub.nuspec")!.Open()).Root!.Element(ns + "metadata")!;
        Assert.Equal("TorchHub", metadata.Element(ns + "id")!.Value);
        Assert.Equal(version, metadata.Element(ns + "version")!.Value);
        Assert.Equal("TorchHub contributors", metadata.Element(ns + "authors")!.Value);
        Assert.False(string.IsNullOrWhiteSpace(metadata.Element(ns + "description")!.Value));
        Assert.EndsWith("/LICENSE", metadata.Element(ns + "licenseUrl")!.Value);
        Assert.StartsWith("https://", metadata.Element(ns + "projectUrl")!.Value);
        var tags = metadata.Element(ns + "tags")!.Value.Split(' ');
        foreach (var tag in new[] { "PSModule", "PSIncludes_Cmdlet", "PSCmdlet_Get-HubDirectory", "PSCommand_Set-HubDirectory", "PSEdition_Core", "PyTorch" })
            Assert.Contains(tag, tags);

        // The packed manifest is the stamped one.
        using var reader = new StreamReader(zip.GetEntry("TorchHub.psd1")!.Open());
        Assert.Contains($"ModuleVersion        = '{version}'", reader.ReadToEnd());
    }

    [Fact]
    public void NativeLibraries_AreLeftOut_UnlessAsked_ThenOnlyThisPlatform()
    {
        var module = Path.Combine(_temp.Path, "TorchHub");
        CopyFolder(ModuleFolder, module);
        var rid = RuntimeInformation.RuntimeIdentifier;
        var other = rid.StartsWith("win", StringComparison.Ordinal) ? "linux-x64" : "win-x64";
        _temp.Write($"TorchHub/runtimes/{rid}/native/libtorch_cpu.so", "native");
        _temp.Write($"TorchHub/runtimes/{other}/native/torch_cpu.dll", "native");
        _temp.Write("TorchHub/libLibTorchSharp.so", "native");
        _temp.Write("TorchHub/LibTorchSharp.dll", "MZ not a managed assembly");
        _temp.Write("TorchHub/runtimes/linux-x64/native/libtorchhub_glibcxx_shim.so", "TorchHub's own helper");

        using (var zip = ZipFile.OpenRead(ModulePackager.Pack(module, Path.Combine(_temp.Path, "managed"))))
        {
            var names = zip.Entries.Select(e => e.FullName).ToList();
            Assert.Equal(["runtimes/linux-x64/native/libtorchhub_glibcxx_shim.so"], names.Where(n => n.StartsWith("runtimes/", StringComparison.Ordinal)));
            Assert.DoesNotContain(names, n => n.Contains("LibTorchSharp", StringComparison.Ordinal));
            Assert.Contains("TorchHub.Core.dll", names); // managed assemblies stay
        }
        using (var zip = ZipFile.OpenRead(ModulePackager.Pack(module, Path.Combine(_temp.Path, "native"), includeNative: true)))
        {
            var names = zip.Entries.Select(e => e.FullName).ToList();
            Assert.Contains($"runtimes/{rid}/native/libtorch_cpu.so", names);
            Assert.DoesNotContain($"runtimes/{other}/native/torch_cpu.dll", names);
            Assert.Contains("libLibTorchSharp.so", names);
            Assert.Contains("runtimes/linux-x64/native/libtorchhub_glibcxx_shim.so", names);
        }
    }

    [Fact]
    public void MissingManifestFields_FailClearly()
    {
        var module = Path.Combine(_temp.Path, "Broken");
        Directory.CreateDirectory(module);
        File.WriteAllText(Path.Combine(module, "Broken.psd1"), "@{ ModuleVersion = '1.0.0'; Author = 'x' }");
        var error = Assert.Throws<FormatException>(() => ModulePackager.Pack(module, _temp.Path));
        Assert.Contains("Description", error.Message);
        Assert.Empty(Directory.GetFiles(_temp.Path, "*.nupkg"));
    }

    [Theory]
    [InlineData("build.ps1")]
    [InlineData("tests/pester/HubDirectory.Tests.ps1")]
    [InlineData("tests/pester/Help.Tests.ps1")]
    [InlineData("tests/pester/Manifest.Tests.ps1")]
    public void Scripts_Parse(string relative)
    {
        var ast = Parser.ParseFile(Path.Combine(RepoPaths.Root, relative), out _, out var errors);
        Assert.True(errors.Length == 0, string.Join("\n", errors.Select(e => $"{e.Extent.StartLineNumber}: {e.Message}")));
        Assert.NotNull(ast);
    }

    [Fact]
    public void BuildScript_OffersTheTasks()
    {
        var ast = Parser.ParseFile(Path.Combine(RepoPaths.Root, "build.ps1"), out _, out _);
        var task = ast.ParamBlock!.Parameters.Single(p => p.Name.VariablePath.UserPath == "Task");
        var set = task.Attributes.OfType<AttributeAst>().Single(a => a.TypeName.Name == "ValidateSet");
        var names = set.PositionalArguments.Select(a => a.SafeGetValue()!.ToString()).ToList();
        Assert.Equal(["Clean", "Build", "Help", "Test", "Package"], names);
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public void Dispose() => _temp.Dispose();
}
