using System;
using System.IO;
using TorchHub.Repositories;

namespace TorchHub.Cache;

/// <summary>
/// Names inside the hub directory. Repository folders are torch's (<c>owner_repo_ref</c>);
/// TorchHub's own bookkeeping lives in <c>.torchhub/</c>, which torch ignores: per-folder
/// lock files, per-download temporary files (never shared between repositories, unlike
/// torch's <c>main.zip</c>), and the remembered default branches. Temporary files sit in the
/// hub directory's file system so the final move is a rename.
/// </summary>
internal sealed class CacheLayout
{
    public const string PrivateFolderName = ".torchhub";

    public CacheLayout(string hubDirectory) => HubDirectory = hubDirectory;

    public string HubDirectory { get; }

    public string PrivateFolder => Path.Combine(HubDirectory, PrivateFolderName);

    public string RepositoryFolder(RepoSpec spec, string @ref) => Path.Combine(HubDirectory, spec.FolderName(@ref));

    public string LockFile(string folderName) => Path.Combine(PrivateFolder, "locks", folderName + ".lock");

    public string TempFolder => Path.Combine(PrivateFolder, "tmp");

    /// <summary>A fresh temporary path for one download of one folder.</summary>
    public string TempPath(string folderName, string suffix) => Path.Combine(TempFolder, $"{folderName}.{Guid.NewGuid():N}{suffix}");

    private string DefaultBranchFile(RepoSpec spec) => Path.Combine(PrivateFolder, "default-branch", spec.TrustKey);

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
        var temp = file + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllText(temp, branch + "\n");
        File.Move(temp, file, overwrite: true);
    }

    /// <summary>Removes temporary files a killed process left for this folder (call while holding its lock).</summary>
    private static bool IsHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text) if (!char.IsAsciiHexDigitLower(c)) return false;
        return true;
    }

    public void RemoveLeftovers(string folderName)
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
