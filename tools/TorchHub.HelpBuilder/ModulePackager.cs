using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation.Language;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using NuGet.Packaging;
using NuGet.Versioning;

namespace TorchHub.HelpBuilder;

/// <summary>
/// Packs a laid-out module folder into the .nupkg Publish-PSResource would make: the module's
/// files at the package root beside &lt;Name&gt;.nuspec, metadata and tags taken from the manifest
/// (PSModule, PSIncludes_Cmdlet, PSCmdlet_*/PSCommand_* per cmdlet, the manifest's own tags).
/// NuGet's PackageBuilder writes the package; PowerShell's parser reads the manifest.
/// </summary>
public static class ModulePackager
{
    /// <summary>
    /// Packs <paramref name="moduleFolder"/>. Native libraries (libtorch and TorchSharp's shim,
    /// hundreds of MB per platform) are left out unless <paramref name="includeNative"/>, which keeps
    /// only the platform this runs on (see docs/guides/packaging.md).
    /// </summary>
    public static string Pack(string moduleFolder, string outputFolder, bool includeNative = false)
    {
        moduleFolder = Path.GetFullPath(moduleFolder);
        var name = Path.GetFileName(moduleFolder.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
        var manifestPath = Path.Combine(moduleFolder, name + ".psd1");
        var manifest = ReadManifest(manifestPath);
        var psData = (manifest["PrivateData"] as Hashtable)?["PSData"] as Hashtable ?? new Hashtable();

        var version = Text(manifest["ModuleVersion"]) ?? throw new FormatException($"{manifestPath}: ModuleVersion is missing.");
        if (Text(psData["Prerelease"]) is { Length: > 0 } prerelease) version += "-" + prerelease;

        var builder = new PackageBuilder
        {
            Id = name,
            Version = NuGetVersion.Parse(version),
            Description = Text(manifest["Description"]) ?? throw new FormatException($"{manifestPath}: Description is missing."),
            Copyright = Text(manifest["Copyright"]),
            ReleaseNotes = Text(psData["ReleaseNotes"]),
            RequireLicenseAcceptance = false,
        };
        var author = Text(manifest["Author"]) ?? throw new FormatException($"{manifestPath}: Author is missing.");
        builder.Authors.Add(author);
        builder.Owners.Add(Text(manifest["CompanyName"]) ?? author);
        if (Text(psData["ProjectUri"]) is { } project) builder.ProjectUrl = new Uri(project);
        if (Text(psData["LicenseUri"]) is { } license) builder.LicenseUrl = new Uri(license);
        if (Text(psData["IconUri"]) is { } icon) builder.IconUrl = new Uri(icon);

        builder.Tags.Add("PSModule");
        foreach (var tag in Strings(psData["Tags"])) builder.Tags.Add(tag);
        var cmdlets = Strings(manifest["CmdletsToExport"]).ToList();
        var functions = Strings(manifest["FunctionsToExport"]).ToList();
        if (cmdlets.Count > 0) builder.Tags.Add("PSIncludes_Cmdlet");
        if (functions.Count > 0) builder.Tags.Add("PSIncludes_Function");
        foreach (var cmdlet in cmdlets) { builder.Tags.Add("PSCmdlet_" + cmdlet); builder.Tags.Add("PSCommand_" + cmdlet); }
        foreach (var function in functions) { builder.Tags.Add("PSFunction_" + function); builder.Tags.Add("PSCommand_" + function); }

        foreach (var file in SelectFiles(moduleFolder, includeNative))
            builder.Files.Add(new PhysicalPackageFile { SourcePath = file, TargetPath = Path.GetRelativePath(moduleFolder, file).Replace('\\', '/') });

        Directory.CreateDirectory(outputFolder);
        var packagePath = Path.Combine(outputFolder, $"{name}.{builder.Version.ToNormalizedString()}.nupkg");
        var temp = packagePath + ".tmp";
        using (var stream = File.Create(temp))
            builder.Save(stream);
        File.Move(temp, packagePath, overwrite: true);
        return packagePath;
    }

    /// <summary>
    /// The module's files. TorchHub's own small native helpers (named <c>libtorchhub_*</c> or
    /// <c>torchhub_*</c>, e.g. the libstdc++ shim) always ship; other native libraries (libtorch,
    /// TorchSharp's LibTorchSharp) only when asked, and then only this platform's.
    /// </summary>
    public static IEnumerable<string> SelectFiles(string moduleFolder, bool includeNative)
    {
        var rid = RuntimeInformation.RuntimeIdentifier;
        foreach (var file in Directory.EnumerateFiles(moduleFolder, "*", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(moduleFolder, file).Replace('\\', '/');
            var underRuntimes = relative.StartsWith("runtimes/", StringComparison.OrdinalIgnoreCase);
            if (!underRuntimes && !IsNative(file)) { yield return file; continue; }
            var name = Path.GetFileName(file);
            if (name.StartsWith("libtorchhub_", StringComparison.OrdinalIgnoreCase) || name.StartsWith("torchhub_", StringComparison.OrdinalIgnoreCase))
            {
                yield return file;
                continue;
            }
            if (includeNative && (!underRuntimes || relative.StartsWith($"runtimes/{rid}/", StringComparison.OrdinalIgnoreCase)))
                yield return file;
        }
    }

    /// <summary>A shared library: .so/.dylib by name, or a .dll without .NET metadata.</summary>
    public static bool IsNative(string file)
    {
        var name = Path.GetFileName(file);
        if (name.EndsWith(".so", StringComparison.Ordinal) || name.Contains(".so.", StringComparison.Ordinal) || name.EndsWith(".dylib", StringComparison.Ordinal))
            return true;
        if (!name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)) return false;
        try
        {
            using var stream = File.OpenRead(file);
            using var pe = new PEReader(stream);
            return !pe.HasMetadata;
        }
        catch (BadImageFormatException)
        {
            return true; // not a .NET assembly, so nothing PowerShell could load as one
        }
    }

    public static Hashtable ReadManifest(string path)
    {
        var ast = Parser.ParseFile(path, out _, out var errors);
        if (errors.Length > 0)
            throw new FormatException($"{path}: {errors[0].Message} (line {errors[0].Extent.StartLineNumber})");
        var table = ast.Find(a => a is HashtableAst, searchNestedScriptBlocks: false) as HashtableAst
                    ?? throw new FormatException($"{path}: no hashtable.");
        return (Hashtable)table.SafeGetValue();
    }

    private static string? Text(object? value) => value is null ? null : value.ToString() is { Length: > 0 } s ? s : null;

    private static IEnumerable<string> Strings(object? value) => value switch
    {
        null => [],
        string s => [s],
        IEnumerable e => e.Cast<object>().Select(o => o.ToString()!).Where(s => s.Length > 0),
        _ => [value.ToString()!],
    };
}
