using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Threading;
using TorchHub.Errors;

namespace TorchHub.Archives;

/// <summary>
/// Extracts a zip file into a folder without ever writing outside it (torch's ZipSlip
/// advisory, GHSA-2v3f-vmh6-4h65). Every entry is checked before anything is written:
/// absolute paths, drive letters, <c>..</c> components, symlinks and other special entries
/// (from the external attributes), and any name that would resolve outside the target are
/// refused. A corrupt or truncated archive fails with <see cref="HubErrorIds.ArchiveCorrupt"/>.
/// On any failure the target folder is removed if this call created it, so callers extract
/// into a fresh temporary folder and move it into place only on success.
/// </summary>
public static class SafeZipExtractor
{
    // Unix file type bits in the high 16 bits of a zip entry's external attributes.
    private const int UnixTypeMask = 0xF000;
    private const int UnixRegular = 0x8000;
    private const int UnixDirectory = 0x4000;
    private const int WindowsReparsePoint = 0x400;

    /// <summary>Extracts <paramref name="zipPath"/> into <paramref name="targetDirectory"/> (created; must not hold files).</summary>
    /// <param name="zipPath">The zip file.</param>
    /// <param name="targetDirectory">Where its entries go; created, or an existing empty folder.</param>
    /// <param name="stripTopFolder">Drop the single top folder every entry sits in (GitHub's <c>owner-repo-sha/</c>); fails if there is not exactly one.</param>
    /// <param name="progress">Called with (entries done, entry count) while extracting.</param>
    /// <param name="cancellationToken">Checked between entries.</param>
    /// <returns>The name of the top folder when <paramref name="stripTopFolder"/> is set, else null.</returns>
    public static string? Extract(string zipPath, string targetDirectory, bool stripTopFolder = false,
        Action<int, int>? progress = null, CancellationToken cancellationToken = default)
    {
        var target = Path.GetFullPath(targetDirectory);
        var created = !Directory.Exists(target);
        if (!created && Directory.EnumerateFileSystemEntries(target).Any())
            throw new InvalidOperationException($"The extraction target '{target}' is not empty.");
        try
        {
            using var archive = Open(zipPath);
            var plan = Plan(archive, target, stripTopFolder, zipPath, out var top);
            Directory.CreateDirectory(target);
            var done = 0;
            foreach (var (entry, destination, isDirectory) in plan)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (isDirectory)
                {
                    Directory.CreateDirectory(destination);
                }
                else
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                    using var input = entry.Open();
                    using var output = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                    input.CopyTo(output);
                }
                progress?.Invoke(++done, plan.Count);
            }
            return top;
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException)
        {
            Cleanup(target, created);
            throw Corrupt(zipPath, ex);
        }
        catch
        {
            Cleanup(target, created);
            throw;
        }
    }

    private static ZipArchive Open(string zipPath)
    {
        try
        {
            return ZipFile.OpenRead(zipPath);
        }
        catch (InvalidDataException ex)
        {
            throw Corrupt(zipPath, ex);
        }
    }

    private static List<(ZipArchiveEntry Entry, string Destination, bool IsDirectory)> Plan(
        ZipArchive archive, string target, bool stripTopFolder, string zipPath, out string? top)
    {
        top = null;
        // Names and types first, so a traversal entry is reported as such, not as a second top folder.
        foreach (var entry in archive.Entries)
        {
            CheckName(entry.FullName, zipPath);
            CheckType(entry, zipPath);
        }
        if (stripTopFolder)
        {
            var tops = archive.Entries.Select(e => FirstComponent(e.FullName)).Distinct(StringComparer.Ordinal).ToList();
            if (tops.Count != 1 || archive.Entries.Any(e => e.FullName.Replace('\\', '/').TrimEnd('/') == tops[0] && !IsDirectoryName(e.FullName)))
                throw new HubException(HubErrorIds.ArchiveCorrupt, HubErrorCategory.InvalidData,
                    $"The archive '{Path.GetFileName(zipPath)}' does not hold exactly one top folder (found {tops.Count}).", zipPath);
            top = tops[0];
        }

        var targetWithSeparator = target.EndsWith(Path.DirectorySeparatorChar) ? target : target + Path.DirectorySeparatorChar;
        var plan = new List<(ZipArchiveEntry, string, bool)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in archive.Entries)
        {
            var name = entry.FullName;

            var isDirectory = IsDirectoryName(name);
            var relative = name.Replace('\\', '/');
            if (stripTopFolder)
            {
                relative = relative.Length > top!.Length ? relative.Substring(top.Length + 1) : "";
                if (relative.Length == 0) continue; // the top folder itself
            }
            var destination = Path.GetFullPath(Path.Combine(target, relative.TrimEnd('/').Replace('/', Path.DirectorySeparatorChar)));
            if (!destination.StartsWith(targetWithSeparator, StringComparison.Ordinal))
                throw Unsafe(name, zipPath, "it escapes the target folder");
            if (!isDirectory && !seen.Add(destination))
                throw Unsafe(name, zipPath, "it appears twice in the archive");
            plan.Add((entry, destination, isDirectory));
        }
        return plan;
    }

    private static void CheckName(string name, string zipPath)
    {
        if (name.Length == 0 || name.IndexOf('\0') >= 0)
            throw Unsafe(name, zipPath, "its name is empty or holds a NUL character");
        var normalised = name.Replace('\\', '/');
        if (normalised.StartsWith('/'))
            throw Unsafe(name, zipPath, "it has an absolute path");
        if (normalised.Length >= 2 && char.IsAsciiLetter(normalised[0]) && normalised[1] == ':')
            throw Unsafe(name, zipPath, "it names a drive");
        foreach (var part in normalised.Split('/'))
        {
            if (part == "..")
                throw Unsafe(name, zipPath, "it contains a '..' component (directory traversal)");
            if (part.Contains(':'))
                throw Unsafe(name, zipPath, "a component contains ':' (a drive or an alternate data stream on Windows)");
        }
    }

    private static void CheckType(ZipArchiveEntry entry, string zipPath)
    {
        var attributes = entry.ExternalAttributes;
        var unixType = (attributes >> 16) & UnixTypeMask;
        if (unixType != 0 && unixType != UnixRegular && unixType != UnixDirectory)
            throw Unsafe(entry.FullName, zipPath, unixType == 0xA000 ? "it is a symbolic link" : "it is a special file (device, pipe or socket)");
        if ((attributes & WindowsReparsePoint) != 0)
            throw Unsafe(entry.FullName, zipPath, "it is a reparse point (link)");
    }

    private static bool IsDirectoryName(string name) => name.EndsWith('/') || name.EndsWith('\\');

    private static string FirstComponent(string name)
    {
        var normalised = name.Replace('\\', '/');
        var slash = normalised.IndexOf('/');
        return slash < 0 ? normalised : normalised.Substring(0, slash);
    }

    private static void Cleanup(string target, bool created)
    {
        if (!created || !Directory.Exists(target)) return;
        try { Directory.Delete(target, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static HubException Unsafe(string entry, string zipPath, string reason) =>
        new(HubErrorIds.UnsafeArchiveEntry, HubErrorCategory.SecurityError,
            $"Refusing to extract '{Path.GetFileName(zipPath)}': the entry '{entry}' is unsafe because {reason}. Nothing was extracted.", entry);

    private static HubException Corrupt(string zipPath, Exception inner) =>
        new(HubErrorIds.ArchiveCorrupt, HubErrorCategory.InvalidData,
            $"The archive '{Path.GetFileName(zipPath)}' is corrupt or truncated: {inner.Message}", zipPath, inner);
}
