using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TorchHub.Repositories;
using TorchHub.Repositories.Trust;

namespace TorchHub.Cache;

/// <summary>
/// One repository folder in the hub directory. Folder names (<c>owner_repo_ref</c>, '/' in the
/// ref turned into '_') cannot always be split back: GitHub owners have no '_', but repository
/// names and refs may. The split is made from what is known (a spec passed in, trusted_list
/// lines, remembered default branches); otherwise <see cref="Name"/> and <see cref="FolderRef"/> are null.
/// </summary>
public sealed record CachedRepository(string FolderName, string Directory, string Owner, string? Name, string? FolderRef, DateTime LastWriteTimeUtc)
{
    /// <summary><c>owner/repo</c> when known.</summary>
    public string? Repository => Name is null ? null : $"{Owner}/{Name}";

    /// <summary>Lists the cache folders of a hub directory, optionally of one repository (<c>owner/repo</c>).</summary>
    internal static IReadOnlyList<CachedRepository> List(CacheLayout layout, RepoSpec? repository = null)
    {
        var hubDirectory = layout.HubDirectory;
        if (!System.IO.Directory.Exists(hubDirectory)) return Array.Empty<CachedRepository>();
        var known = new HashSet<string>(StringComparer.Ordinal);
        if (repository is not null) known.Add(repository.TrustKey);
        else
        {
            foreach (var key in new TrustedList(layout.TrustedListFile).Read()) known.Add(key);
            if (System.IO.Directory.Exists(layout.DefaultBranchFolder))
                foreach (var file in System.IO.Directory.EnumerateFiles(layout.DefaultBranchFolder)) known.Add(Path.GetFileName(file));
        }

        var result = new List<CachedRepository>();
        foreach (var dir in System.IO.Directory.EnumerateDirectories(hubDirectory).OrderBy(d => d, StringComparer.Ordinal))
        {
            var folder = Path.GetFileName(dir);
            if (!CacheLayout.MayBeRepositoryFolder(folder)) continue;
            var underscore = folder.IndexOf('_');
            if (underscore <= 0) continue;
            // The longest known owner_repo prefix wins (acme_zoo_x before acme_zoo).
            var key = known.Where(k => folder.Length > k.Length + 1 && folder.StartsWith(k + "_", StringComparison.Ordinal))
                .OrderByDescending(k => k.Length).FirstOrDefault();
            if (repository is not null && key is null) continue;
            var owner = folder.Substring(0, underscore);
            string? name = null, folderRef = null;
            if (key is not null && key.Length > underscore + 1 && key[underscore] == '_')
            {
                name = key.Substring(underscore + 1);
                folderRef = folder.Substring(key.Length + 1);
            }
            result.Add(new CachedRepository(folder, dir, owner, name, folderRef, System.IO.Directory.GetLastWriteTimeUtc(dir)));
        }
        return result;
    }
}
