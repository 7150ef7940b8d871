using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TorchHub.Cache;
using TorchHub.Repositories;
using TorchHub.Repositories.Trust;

namespace TorchHub.Cache;

/// <summary>
/// One repository folder in the hub directory. Folder names (<c>owner_repo_ref</c>, '/' in the
/// ref turned into '_') cannot always be split back: GitHub owners have no '_', but repository
/// names and refs may. The split is made from what is known: a spec passed in, the specs
/// TorchHub fetched (<see cref="RepositorySpecIndex"/>, which also gives the exact ref),
/// trusted_list lines and remembered default branches; otherwise <see cref="Name"/> and
/// <see cref="FolderRef"/> are null (a folder torch downloaded for a repository TorchHub never saw).
/// </summary>
public sealed record CachedRepository(string FolderName, string Directory, string Owner, string? Name, string? FolderRef) : CacheEntry
{
    public override CacheEntryKind Kind => CacheEntryKind.Repository;

    public override string FileName => FolderName;

    public override string FullName => Directory;

    /// <summary><c>owner/repo</c> when known.</summary>
    public string? Repository => Name is null ? null : $"{Owner}/{Name}";

    /// <summary>The spec the folder was fetched as (<c>owner/repo:ref</c>, '/' in the ref kept), when TorchHub fetched it.</summary>
    public string? Spec { get; init; }

    /// <summary>The ref as fetched ('/' kept), when known.</summary>
    public string? Ref { get; init; }

    /// <summary>The commit the folder holds, when TorchHub fetched it (the full SHA from the archive, or GitHub's short one).</summary>
    public string? Commit { get; init; }

    /// <summary>Lists the cache folders of a hub directory, optionally of one repository (<c>owner/repo</c>).</summary>
    internal static IReadOnlyList<CachedRepository> List(CacheLayout layout, RepoSpec? repository = null)
    {
        var hubDirectory = layout.HubDirectory;
        if (!System.IO.Directory.Exists(hubDirectory)) return Array.Empty<CachedRepository>();

        // Specs TorchHub fetched, by folder name: they name the repository and the exact ref.
        var fetched = new Dictionary<string, RepoSpec>(StringComparer.Ordinal);
        foreach (var line in RepositorySpecIndex.Read(hubDirectory))
        {
            var spec = RepoSpec.Parse(line);
            if (spec.Ref is not null) fetched.TryAdd(spec.FolderName(spec.Ref), spec);
        }

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
            var owner = folder.Substring(0, underscore);
            string? name = null, folderRef = null;
            var spec = fetched.GetValueOrDefault(folder);
            if (spec is not null && (repository is null || repository.TrustKey == spec.TrustKey))
            {
                name = spec.Name;
                folderRef = folder.Substring(spec.TrustKey.Length + 1);
            }
            else
            {
                spec = null;
                // The longest known owner_repo prefix wins (acme_zoo_x before acme_zoo).
                var key = known.Where(k => folder.Length > k.Length + 1 && folder.StartsWith(k + "_", StringComparison.Ordinal))
                    .OrderByDescending(k => k.Length).FirstOrDefault();
                if (repository is not null && key is null) continue;
                if (key is not null && key.Length > underscore + 1 && key[underscore] == '_')
                {
                    name = key.Substring(underscore + 1);
                    folderRef = folder.Substring(key.Length + 1);
                }
            }
            var lastWrite = System.IO.Directory.GetLastWriteTimeUtc(dir);
            result.Add(new CachedRepository(folder, dir, owner, name, folderRef)
            {
                LastWriteTimeUtc = lastWrite,
                Spec = spec?.ToString(),
                Ref = spec?.Ref,
                Commit = layout.ReadCommit(folder),
                Size = CacheInventory.SizeOf(dir),
                LastUseUtc = CacheInventory.LastUse(UsedFile(dir) ?? dir),
            });
        }
        return result;
    }

    /// <summary>The file torch and TorchHub read when they use the folder.</summary>
    private static string? UsedFile(string dir) =>
        new[] { "hubconf.py", "hubconf.cs" }.Select(f => Path.Combine(dir, f)).FirstOrDefault(File.Exists);
}
