using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TorchHub.Downloads;
using TorchHub.Repositories;
using TorchHub.Cache;

namespace TorchHub.Cache;

/// <summary>
/// What the hub directory holds: repository folders, weight files in <c>checkpoints/</c> and
/// compiled hubconf.cs assemblies in <c>.torchhub/assemblies</c>. Reads the disk only.
/// </summary>
internal static class CacheInventory
{
    public static readonly IReadOnlyList<CacheEntryKind> AllKinds = [CacheEntryKind.Repository, CacheEntryKind.Checkpoint, CacheEntryKind.Assembly];

    /// <summary>The entries of the given kinds (all by default); <paramref name="repository"/> limits repositories to one and leaves out the other kinds.</summary>
    internal static IReadOnlyList<CacheEntry> List(CacheLayout layout, IEnumerable<CacheEntryKind>? kinds = null, RepoSpec? repository = null)
    {
        var wanted = (kinds ?? AllKinds).ToHashSet();
        var entries = new List<CacheEntry>();
        if (wanted.Contains(CacheEntryKind.Repository))
        {
            var folders = CachedRepository.List(layout, repository);
            // A ref in the spec picks its folder.
            entries.AddRange(repository?.Ref is { } @ref ? folders.Where(f => f.FolderName == repository.FolderName(@ref)) : folders);
        }
        if (repository is not null) return entries;
        if (wanted.Contains(CacheEntryKind.Checkpoint)) entries.AddRange(Checkpoints(layout));
        if (wanted.Contains(CacheEntryKind.Assembly)) entries.AddRange(Assemblies(layout));
        return entries;
    }

    private static IEnumerable<CachedFile> Checkpoints(CacheLayout layout)
    {
        var folder = layout.CheckpointsFolder;
        if (!Directory.Exists(folder)) yield break;
        foreach (var file in Directory.EnumerateFiles(folder).OrderBy(f => f, StringComparer.Ordinal))
        {
            var record = FileRecord.Load(new WorkPaths(file).Record);
            var info = new FileInfo(file);
            yield return new CachedFile(CacheEntryKind.Checkpoint, file)
            {
                Size = info.Length,
                LastWriteTimeUtc = info.LastWriteTimeUtc,
                LastUseUtc = LastUse(file),
                Url = record?.Url,
                Sha256 = record?.Sha256,
            };
        }
    }

    private static IEnumerable<CachedFile> Assemblies(CacheLayout layout)
    {
        var folder = layout.CompiledAssembliesFolder;
        if (!Directory.Exists(folder)) yield break;
        foreach (var dll in Directory.EnumerateFiles(folder, "*.dll").OrderBy(f => f, StringComparer.Ordinal))
        {
            var info = new FileInfo(dll);
            yield return new CachedFile(CacheEntryKind.Assembly, dll)
            {
                Size = CompanionFiles(dll).Sum(f => new FileInfo(f).Length),
                LastWriteTimeUtc = info.LastWriteTimeUtc,
                LastUseUtc = LastUse(dll),
            };
        }
    }

    /// <summary>The files of one compiled assembly: <c>&lt;hash&gt;.dll</c>, its manifest <c>&lt;hash&gt;.txt</c> and any other <c>&lt;hash&gt;.*</c>.</summary>
    internal static IEnumerable<string> CompanionFiles(string dll)
    {
        var stem = Path.GetFileNameWithoutExtension(dll);
        return Directory.EnumerateFiles(Path.GetDirectoryName(dll)!, stem + ".*")
            .Where(f => Path.GetFileNameWithoutExtension(f) == stem);
    }

    /// <summary>Bytes of every file under a folder (symbolic links are not followed).</summary>
    public static long SizeOf(string directory)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        try
        {
            return new DirectoryInfo(directory).EnumerateFiles("*", options).Sum(f => f.Length);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    /// <summary>The later of the last access and last write time.</summary>
    public static DateTime LastUse(string path)
    {
        var access = File.GetLastAccessTimeUtc(path);
        var write = File.GetLastWriteTimeUtc(path);
        return access > write ? access : write;
    }
}
