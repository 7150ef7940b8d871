using System;
using System.Collections.Generic;
using TorchHub.Cache;
using TorchHub.Repositories;

namespace TorchHub;

public sealed partial class Hub
{
    /// <summary>What the hub directory holds (repositories, weight files, compiled hubconf.cs); reads the disk only.</summary>
    public IReadOnlyList<CacheEntry> GetCache(IEnumerable<CacheEntryKind>? kinds = null, RepoSpec? repository = null) =>
        CacheInventory.List(HubDirectory.Get().Path, kinds, repository);

    /// <summary>
    /// Removes the entries <paramref name="request"/> selects, each after <paramref name="confirm"/>
    /// (null: yes), never one whose lock another process holds (outcome <see cref="CacheRemovalOutcome.Busy"/>).
    /// </summary>
    public IReadOnlyList<CacheRemoval> RemoveCache(CacheRemovalRequest request, Func<CacheEntry, bool>? confirm = null) =>
        new CachePruner(HubDirectory.Get().Path).Remove(request, confirm ?? (_ => true), DateTime.UtcNow);
}
