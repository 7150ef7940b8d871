using System;
using System.IO;
using TorchHub.Repositories;

namespace TorchHub.Cache;

/// <summary>
/// The one place that names what lives in a hub directory. torch's names: repository folders
/// (<c>owner_repo_ref</c>), <c>checkpoints/</c> and <c>trusted_list</c>. TorchHub's own bookkeeping
/// lives in <c>.torchhub/</c>, which torch ignores: per-folder lock files, per-download temporary
/// files (never shared between repositories, unlike torch's <c>main.zip</c>), the remembered
/// default branches, the spec index and the compiled hubconf.cs assemblies. Temporary files sit
/// in the hub directory's file system so the final move is a rename.
/// </summary>
internal sealed class CacheLayout
{
    /// <summary>TorchHub's private folder: in the hub directory, and beside every downloaded file.</summary>
    public const string PrivateFolderName = ".torchhub";
    public const string CheckpointsFolderName = "checkpoints";
    public const string TrustedListFileName = "trusted_list";

    public CacheLayout(string hubDirectory) => HubDirectory = hubDirectory;

    public string HubDirectory { get; }

    /// <summary>How this hub directory's locks are held (the Hub's <see cref="HubOptions.Locks"/>).</summary>
    public LockOptions Locks { get; init; } = new();

    public string PrivateFolder => Path.Combine(HubDirectory, PrivateFolderName);

    /// <summary>torch's <c>&lt;hub&gt;/checkpoints</c>, shared with PyTorch.</summary>
    public string CheckpointsFolder => Path.Combine(HubDirectory, CheckpointsFolderName);

    /// <summary>torch's <c>&lt;hub&gt;/trusted_list</c>, shared with PyTorch.</summary>
    public string TrustedListFile => Path.Combine(HubDirectory, TrustedListFileName);

    /// <summary>The specs fetched into this hub directory, for completion (<see cref="RepositorySpecIndex"/>).</summary>
    public string SpecIndexFile => Path.Combine(PrivateFolder, "repositories");

    /// <summary>Compiled hubconf.cs assemblies and their manifests, by content hash.</summary>
    public string CompiledAssembliesFolder => Path.Combine(PrivateFolder, "assemblies");

    /// <summary>The folder of remembered default branches, one file per <c>owner_repo</c>.</summary>
    public string DefaultBranchFolder => Path.Combine(PrivateFolder, "default-branch");

    /// <summary>The Python route's TorchScript exports and their records (Models/Python/ExportCache).</summary>
    public string ExportsFolder => Path.Combine(PrivateFolder, "exports");

    /// <summary>TorchHub's working folder beside a downloaded file (same file system, so the final rename is atomic).</summary>
    public static string PrivateFolderBeside(string file) => Path.Combine(Path.GetDirectoryName(file)!, PrivateFolderName);

    /// <summary>Whether a hub directory entry may be a repository folder (not torch's checkpoints, not a hidden folder).</summary>
    public static bool MayBeRepositoryFolder(string folderName) =>
        !folderName.StartsWith('.') && folderName != CheckpointsFolderName;

    public string RepositoryFolder(RepoSpec spec, string @ref) => Path.Combine(HubDirectory, spec.FolderName(@ref));

    /// <summary>
    /// The ref of the cached folder <paramref name="spec"/> names without a network request: its own
    /// ref when cached; without one the remembered default branch, else <c>main</c>, else <c>master</c>
    /// (torch 2.x's offline guess). Null when none of them is cached.
    /// </summary>
    public string? CachedRef(RepoSpec spec)
    {
        if (spec.Ref is { } named) return Directory.Exists(RepositoryFolder(spec, named)) ? named : null;
        foreach (var candidate in new[] { ReadDefaultBranch(spec), "main", "master" })
            if (candidate is not null && Directory.Exists(RepositoryFolder(spec, candidate))) return candidate;
        return null;
    }

    public string LockFile(string folderName) => Path.Combine(PrivateFolder, "locks", folderName + ".lock");

    public string TempFolder => Path.Combine(PrivateFolder, "tmp");

    /// <summary>The repository archive of one folder while it downloads (stable, so a killed download resumes; its partial sits beside it).</summary>
    public string ArchivePath(string folderName) => Path.Combine(TempFolder, folderName + ".zip");

    /// <summary>A fresh temporary path for one extraction of one folder.</summary>
    public string TempPath(string folderName, string suffix) => Path.Combine(TempFolder, $"{folderName}.{Guid.NewGuid():N}{suffix}");

    private string DefaultBranchFile(RepoSpec spec) => Path.Combine(DefaultBranchFolder, spec.TrustKey);

    /// <summary>The default branch remembered for the repository, or null.</summary>
    public string? ReadDefaultBranch(RepoSpec spec)
    {
        var file = DefaultBranchFile(spec);
        try
        {
            var text = File.Exists(file) ? File.ReadAllText(file).Trim() : "";
            return text.Length == 0 ? null : text;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void WriteDefaultBranch(RepoSpec spec, string branch)
    {
        var file = DefaultBranchFile(spec);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        AtomicFile.WriteAllText(file, branch + "\n");
    }

    private string CommitFile(string folderName) => Path.Combine(PrivateFolder, "commits", folderName);

    /// <summary>The commit recorded for a repository folder TorchHub installed, or null.</summary>
    public string? ReadCommit(string folderName)
    {
        try
        {
            var file = CommitFile(folderName);
            var text = File.Exists(file) ? File.ReadAllText(file).Trim() : "";
            return text.Length == 0 ? null : text;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Records (or, with null, forgets) the commit of a folder; call while holding its lock.</summary>
    public void WriteCommit(string folderName, string? commit)
    {
        var file = CommitFile(folderName);
        if (commit is null)
        {
            if (File.Exists(file)) File.Delete(file);
            return;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        AtomicFile.WriteAllText(file, commit + "\n");
    }

    private static bool IsHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text) if (!char.IsAsciiHexDigitLower(c)) return false;
        return true;
    }

    /// <summary>
    /// Removes the extraction folders a killed process left for this folder (call while holding its
    /// lock; the archive's resumable partial stays), then anything in the temporary folder untouched
    /// for a day whose folder lock is free (other repositories' abandoned downloads).
    /// </summary>
    public void RemoveLeftovers(string folderName)
    {
        RemoveOwnLeftovers(folderName);
        LeftoverCleaner.Clean(TempFolder, LeftoverCleaner.MaxAge, new[] { ".zip", ".partial", ".partial.json", ".extract", ".old" }, Locks, name =>
        {
            // This folder's own archive partial is kept (its lock is ours): it is resumed next.
            var folder = FolderOfTempEntry(name);
            return folder is null ? null : LockFile(folder);
        });
    }

    /// <summary>The repository folder a temporary entry belongs to: <c>folder.zip[.partial[.json]]</c> or <c>folder.&lt;32 hex&gt;.suffix</c>.</summary>
    private static string? FolderOfTempEntry(string name)
    {
        var zip = name.LastIndexOf(".zip", StringComparison.Ordinal);
        if (zip > 0 && name.AsSpan(zip) is ".zip" or ".zip.partial" or ".zip.partial.json") return name[..zip];
        var dot = name.LastIndexOf('.');
        return dot > 33 && name[dot - 33] == '.' && IsHex(name.AsSpan(dot - 32, 32)) ? name[..(dot - 33)] : null;
    }

    private void RemoveOwnLeftovers(string folderName)
    {
        if (!Directory.Exists(TempFolder)) return;
        foreach (var entry in Directory.EnumerateFileSystemEntries(TempFolder, folderName + ".*"))
        {
            // Only this folder's names (folder.<32 hex>.<suffix>): 'a_b_v1.2' must not take 'a_b_v1's files.
            var rest = Path.GetFileName(entry).Substring(folderName.Length + 1);
            if (rest.Length < 33 || rest[32] != '.' || !IsHex(rest.AsSpan(0, 32)) || rest.IndexOf('.', 33) >= 0) continue;
            try
            {
                if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
                else File.Delete(entry);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}
