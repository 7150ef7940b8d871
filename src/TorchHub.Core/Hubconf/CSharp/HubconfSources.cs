using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TorchHub.Errors;

namespace TorchHub.Hubconf.CSharp;

/// <summary>
/// Which files are compiled with hubconf.cs: hubconf.cs and every other <c>*.cs</c> file under
/// the repository folder, except in folders named <c>bin</c>, <c>obj</c>, <c>test</c>,
/// <c>tests</c> or starting with '.' (build output, test projects, .git). So model classes
/// live in their own files anywhere in the repository, as Python modules do next to hubconf.py.
/// </summary>
internal static class HubconfSources
{
    public const string FileName = "hubconf.cs";

    // Beyond these a repository is a whole code base, not a hub; compiling it all would be slow
    // and most likely fail, so say so instead.
    public const int MaxFiles = 500;
    public const long MaxBytes = 16L * 1024 * 1024;

    private static readonly HashSet<string> SkippedFolders = new(StringComparer.OrdinalIgnoreCase) { "bin", "obj", "test", "tests" };

    /// <summary>The sources in a stable order (hubconf.cs first, then by relative path), paths relative with '/'.</summary>
    public static IReadOnlyList<CSharpSource> Read(string repositoryDirectory)
    {
        var files = new List<string>();
        Collect(repositoryDirectory, files);
        var relative = files
            .Select(f => Path.GetRelativePath(repositoryDirectory, f).Replace('\\', '/'))
            .OrderBy(r => r == FileName ? 0 : 1)
            .ThenBy(r => r, StringComparer.Ordinal)
            .ToList();
        if (relative.Count > MaxFiles)
            throw TooLarge(repositoryDirectory, $"{relative.Count} C# files (at most {MaxFiles})");

        long total = 0;
        var sources = new List<CSharpSource>(relative.Count);
        foreach (var rel in relative)
        {
            var text = SourceFile.ReadAllText(Path.Combine(repositoryDirectory, rel), rel, MaxBytes);
            total += text.Length;
            if (total > MaxBytes) throw TooLarge(repositoryDirectory, $"more than {MaxBytes / (1024 * 1024)} MB of C# source");
            sources.Add(new CSharpSource(rel, text));
        }
        return sources;
    }

    private static void Collect(string directory, List<string> files)
    {
        files.AddRange(Directory.EnumerateFiles(directory, "*.cs"));
        foreach (var sub in Directory.EnumerateDirectories(directory))
        {
            var name = Path.GetFileName(sub);
            if (name.StartsWith('.') || SkippedFolders.Contains(name)) continue;
            if ((File.GetAttributes(sub) & FileAttributes.ReparsePoint) != 0) continue; // never follow links out of the repo
            Collect(sub, files);
        }
    }

    private static HubException TooLarge(string directory, string what) =>
        new(HubErrorIds.HubconfCompileError, HubErrorCategory.LimitsExceeded,
            $"The repository '{directory}' has {what} to compile with hubconf.cs. Keep the hub's C# files in a small folder of their own, or move other code into folders named bin, obj, test or tests.",
            directory);
}
