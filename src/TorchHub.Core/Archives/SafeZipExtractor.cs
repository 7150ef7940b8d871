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
/// into a fresh temporary folder and move it into place only on success. Expansion is capped
/// by <see cref="ZipLimits"/> (total size, ratio, entry count). The one zip extractor: repository
/// archives and torch.hub's legacy zip checkpoints (<see cref="TryExpandLegacyCheckpoint"/>).
/// </summary>
internal static class SafeZipExtractor
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
    /// <param name="cancellationToken">Checked between entries and between buffers.</param>
    /// <param name="limits">Expansion caps; null reads <see cref="ZipLimits.FromEnvironment"/>.</param>
    /// <returns>The name of the top folder when <paramref name="stripTopFolder"/> is set, else null.</returns>
    public static string? Extract(string zipPath, string targetDirectory, bool stripTopFolder = false,
        Action<int, int>? progress = null, CancellationToken cancellationToken = default, ZipLimits? limits = null)
    {
        limits ??= ZipLimits.FromEnvironment();
        var target = Path.GetFullPath(targetDirectory);
        var created = !Directory.Exists(target);
        if (!created && Directory.EnumerateFileSystemEntries(target).Any())
            throw new InvalidOperationException($"The extraction target '{target}' is not empty.");
        try
        {
            using var archive = Open(zipPath);
            var plan = Plan(archive, target, stripTopFolder, zipPath, out var top);
            var budget = new ExpansionBudget(zipPath, limits);
            budget.CheckDeclared(archive);
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
                    using var output = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                    budget.Copy(entry, output, cancellationToken);
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
        catch (IOException ex)
        {
            // Disk full, permissions, or two entries that are one file on a case-insensitive file system.
            Cleanup(target, created);
            throw new HubException(HubErrorIds.ArchiveExtractionFailed, HubErrorCategory.WriteError,
                $"Could not extract '{Path.GetFileName(zipPath)}' into '{target}': {ex.Message}", target, ex);
        }
        catch
        {
            Cleanup(target, created);
            throw;
        }
    }

    /// <summary>
    /// torch.hub's legacy checkpoint format (before PyTorch 1.6): a zip holding exactly one file,
    /// expanded into <paramref name="folder"/> under the member's name (as torch does) and returned.
    /// Null when the file is not such a zip (torch.save's own zips hold several members). The
    /// member is checked like any archive entry, capped, written to a temporary name and renamed.
    /// </summary>
    public static string? TryExpandLegacyCheckpoint(string zipPath, string folder, ZipLimits? limits = null)
    {
        using var archive = TryOpenSingleMember(zipPath, out var entry);
        if (archive is null) return null;
        CheckName(entry!.FullName, zipPath);
        CheckType(entry, zipPath);
        var root = Path.GetFullPath(folder);
        var target = Path.GetFullPath(Path.Combine(root, entry.FullName.Replace('\\', '/').Replace('/', Path.DirectorySeparatorChar)));
        if (!target.StartsWith(Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw Unsafe(entry.FullName, zipPath, "it escapes the target folder");
        if (string.Equals(target, Path.GetFullPath(zipPath), StringComparison.Ordinal))
            throw Unsafe(entry.FullName, zipPath, "it has the zip's own name");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        ExpandMember(archive, entry, zipPath, target, limits);
        return target;
    }

    /// <summary>
    /// Writes the single member of a legacy zip checkpoint to <paramref name="targetFile"/> (a path the
    /// caller chose; the member's own name is never used). False when the zip does not hold exactly one file.
    /// </summary>
    public static bool TryExpandSingleMember(string zipPath, string targetFile, ZipLimits? limits = null)
    {
        using var archive = TryOpenSingleMember(zipPath, out var entry);
        if (archive is null) return false;
        CheckType(entry!, zipPath);
        ExpandMember(archive, entry!, zipPath, targetFile, limits);
        return true;
    }

    private static ZipArchive? TryOpenSingleMember(string zipPath, out ZipArchiveEntry? member)
    {
        member = null;
        ZipArchive archive;
        try
        {
            archive = ZipFile.OpenRead(zipPath);
        }
        catch (InvalidDataException)
        {
            return null; // not a zip
        }
        var files = archive.Entries.Where(e => !IsDirectoryName(e.FullName)).ToList();
        if (files.Count != 1)
        {
            archive.Dispose();
            return null;
        }
        member = files[0];
        return archive;
    }

    private static void ExpandMember(ZipArchive archive, ZipArchiveEntry entry, string zipPath, string target, ZipLimits? limits)
    {
        var budget = new ExpansionBudget(zipPath, limits ?? ZipLimits.FromEnvironment());
        budget.CheckDeclared(archive);
        var temp = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(target))!, "." + Path.GetFileName(target) + "." + Guid.NewGuid().ToString("N")[..12] + ".partial");
        try
        {
            using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                budget.Copy(entry, output, CancellationToken.None);
            File.Move(temp, target, overwrite: true);
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException)
        {
            throw Corrupt(zipPath, ex);
        }
        finally
        {
            try { File.Delete(temp); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
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
            if (part.Contains(':') && OperatingSystem.IsWindows())
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

    /// <summary>Counts expanded bytes against <see cref="ZipLimits"/>: declared sizes first, then the bytes actually inflated.</summary>
    private sealed class ExpansionBudget
    {
        private readonly string _zipPath;
        private readonly ZipLimits _limits;
        private readonly long _zipLength;
        private long _written;

        public ExpansionBudget(string zipPath, ZipLimits limits)
        {
            _zipPath = zipPath;
            _limits = limits;
            _zipLength = Math.Max(1, new FileInfo(zipPath).Length);
        }

        public void CheckDeclared(ZipArchive archive)
        {
            if (archive.Entries.Count > _limits.MaxEntries)
                throw TooLarge($"it holds {archive.Entries.Count:N0} entries (the limit is {_limits.MaxEntries:N0}; {ZipLimits.MaxEntriesVariable} raises it)");
            long declared = 0;
            foreach (var entry in archive.Entries) declared += Math.Max(0, entry.Length);
            Check(declared);
        }

        public void Copy(ZipArchiveEntry entry, Stream output, CancellationToken cancellationToken)
        {
            using var input = entry.Open();
            var buffer = new byte[1 << 16];
            long entryBytes = 0;
            int n;
            while ((n = input.Read(buffer, 0, buffer.Length)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                entryBytes += n;
                if (entryBytes > entry.Length)
                    throw Unsafe(entry.FullName, _zipPath, "it expands to more than the size it declares");
                _written += n;
                Check(_written);
                output.Write(buffer, 0, n);
            }
        }

        private void Check(long expanded)
        {
            if (expanded > _limits.MaxTotalBytes)
                throw TooLarge($"it expands to more than {_limits.MaxTotalBytes / 1048576.0:N0} MiB ({ZipLimits.MaxSizeVariable} raises the limit)");
            if (expanded > _limits.RatioFloorBytes && expanded / (double)_zipLength > _limits.MaxRatio)
                throw TooLarge($"it expands more than {_limits.MaxRatio:0}-fold ({expanded / 1048576.0:N0} MiB from {_zipLength / 1048576.0:N1} MiB; {ZipLimits.MaxRatioVariable} raises the limit)");
        }

        private HubException TooLarge(string why) =>
            new(HubErrorIds.ArchiveTooLarge, HubErrorCategory.LimitsExceeded,
                $"Refusing to expand '{Path.GetFileName(_zipPath)}': {why}. Nothing was kept.", _zipPath)
            {
                RecommendedAction = "If the archive is genuine, raise the limit with the environment variable named above.",
            };
    }

    private static HubException Corrupt(string zipPath, Exception inner) =>
        new(HubErrorIds.ArchiveCorrupt, HubErrorCategory.InvalidData,
            $"The archive '{Path.GetFileName(zipPath)}' is corrupt or truncated: {inner.Message}", zipPath, inner);
}
