using System;
using System.Collections.Generic;
using TorchHub.Cache;
using TorchHub.Repositories;

namespace TorchHub;

public sealed partial class Hub
{
    /// <summary>
    /// The hub directory this Hub works in (nothing is created): <see cref="HubOptions.HubDirectory"/>,
    /// else the process-wide one, resolved on every call as torch's <c>get_dir</c> is.
    /// </summary>
    public HubDirectoryInfo CacheDirectory
    {
        get
        {
            var info = _ownDirectory is { } own ? new HubDirectoryInfo(own, HubDirectorySource.Options) : HubDirectory.Get();
            return info with { LockStrategy = Options.Locks!.StrategyFor(info.Path) };
        }
    }

    /// <summary>The names inside <see cref="CacheDirectory"/>, for the engine's own use.</summary>
    internal CacheLayout Cache => new(CacheDirectory.Path) { Locks = Options.Locks! };

    /// <summary>The repository folders in the cache (TorchHub's and PyTorch's alike), optionally of one repository. Sends no request.</summary>
    public IReadOnlyList<CachedRepository> GetCachedRepositories(RepoSpec? repository = null) => CachedRepository.List(Cache, repository);

    /// <summary>
    /// The cached folder a spec names, without a request: its ref, or without one the remembered
    /// default branch, then <c>main</c>, then <c>master</c>. Null when none is cached. No trust check:
    /// for reading what is already on disk (listing, completion), not for running code.
    /// </summary>
    public HubRepository? FindCachedRepository(RepoSpec spec)
    {
        var layout = Cache;
        return layout.CachedRef(spec) is { } @ref
            ? new HubRepository(layout.RepositoryFolder(spec, @ref), RepositorySource.GitHub, spec.WithRef(@ref)) { FromCache = true }
            : null;
    }

    /// <summary>The <c>owner/repo:ref</c> specs this hub directory has fetched, in the order recorded.</summary>
    public IReadOnlyList<string> GetRecordedRepositorySpecs() => RepositorySpecIndex.Read(Cache.HubDirectory);

    /// <summary>The <c>owner/repo</c> specs in <c>trusted_list</c>.</summary>
    public IReadOnlyList<string> GetTrustedRepositorySpecs() => RepositorySpecIndex.ReadTrusted(Cache.HubDirectory);

    /// <summary>What the hub directory holds (repositories, weight files, compiled hubconf.cs); reads the disk only.</summary>
    public IReadOnlyList<CacheEntry> GetCache(IEnumerable<CacheEntryKind>? kinds = null, RepoSpec? repository = null) =>
        CacheInventory.List(Cache, kinds, repository);

    /// <summary>
    /// Removes the entries <paramref name="request"/> selects, each after <paramref name="confirm"/>
    /// (null: yes), never one whose lock another process holds (outcome <see cref="CacheRemovalOutcome.Busy"/>).
    /// </summary>
    public IReadOnlyList<CacheRemoval> RemoveCache(CacheRemovalRequest request, Func<CacheEntry, bool>? confirm = null) =>
        new CachePruner(Cache).Remove(request, confirm ?? (_ => true), DateTime.UtcNow);
}
