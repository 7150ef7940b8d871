using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TorchHub.Downloads;
using TorchHub.Errors;
using TorchHub.Cache;

namespace TorchHub.Cache;

/// <summary>
/// Removes cache entries: chooses them from a <see cref="CacheRemovalRequest"/>, then removes
/// each one only while holding the lock its writers take (the repository folder's lock, the
/// weight file's download lock), so nothing is removed under a process that is fetching it;
/// such entries are reported <see cref="CacheRemovalOutcome.Busy"/> and left. A folder is first
/// renamed into <c>.torchhub/tmp</c> and then deleted, so torch never sees a half-deleted one.
/// </summary>
internal sealed class CachePruner
{
    private readonly CacheLayout _layout;

    public CachePruner(CacheLayout layout) => _layout = layout;

    /// <summary>
    /// Chooses and removes. <paramref name="confirm"/> is asked for each chosen entry (ShouldProcess);
    /// a declined entry still counts toward the size budget, so -WhatIf shows exactly what would go.
    /// </summary>
    public IReadOnlyList<CacheRemoval> Remove(CacheRemovalRequest request, Func<CacheEntry, bool> confirm, DateTime nowUtc)
    {
        if (!request.HasSelector)
            throw new HubException(HubErrorIds.CacheSelectorRequired, HubErrorCategory.InvalidArgument,
                "Say what to remove: a name, a repository, -OlderThan, -UnusedFor, -MaxSize or entries from Get-HubCache.", null)
            { RecommendedAction = "To empty the cache on purpose, use -Name *." };
        if (request.MaxSize is < 0)
            throw new HubException(HubErrorIds.CacheSelectorRequired, HubErrorCategory.InvalidArgument, "-MaxSize cannot be negative.", request.MaxSize.ToString());

        var scope = CacheInventory.List(_layout, request.Kinds);
        var candidates = (request.Entries ?? scope).Where(e => Matches(e, request, nowUtc)).ToList();
        var results = new List<CacheRemoval>();
        if (request.MaxSize is { } budget)
        {
            var total = scope.Sum(e => e.Size);
            foreach (var entry in candidates.OrderBy(e => e.LastUseUtc).ThenBy(e => e.FullName, StringComparer.Ordinal))
            {
                if (total <= budget) break;
                var outcome = RemoveOne(entry, confirm);
                results.Add(new CacheRemoval(entry, outcome));
                if (outcome is not CacheRemovalOutcome.Busy) total -= entry.Size;
            }
            return results;
        }
        foreach (var entry in candidates)
            results.Add(new CacheRemoval(entry, RemoveOne(entry, confirm)));
        return results;
    }

    private static bool Matches(CacheEntry entry, CacheRemovalRequest request, DateTime nowUtc)
    {
        if (request.Kinds is { } kinds && !kinds.Contains(entry.Kind)) return false;
        if (request.NameMatches is { } name && !name(entry.FileName)) return false;
        if (request.Repository is { } spec)
        {
            if (entry is not CachedRepository repo || repo.Repository != $"{spec.Owner}/{spec.Name}") return false;
            if (spec.Ref is { } @ref && repo.FolderName != spec.FolderName(@ref)) return false;
        }
        if (request.OlderThan is { } age && nowUtc - entry.LastWriteTimeUtc < age) return false;
        if (request.UnusedFor is { } idle && nowUtc - entry.LastUseUtc < idle) return false;
        return true;
    }

    private CacheRemovalOutcome RemoveOne(CacheEntry entry, Func<CacheEntry, bool> confirm)
    {
        if (!confirm(entry)) return CacheRemovalOutcome.Declined;
        return entry switch
        {
            CachedRepository repo => RemoveRepository(repo),
            CachedFile { Kind: CacheEntryKind.Checkpoint } file => RemoveCheckpoint(file),
            CachedFile file => RemoveAssembly(file),
            _ => throw new ArgumentException("Unknown cache entry.", nameof(entry)),
        };
    }

    private CacheRemovalOutcome RemoveRepository(CachedRepository repo)
    {
        using var held = FileLock.TryAcquire(_layout.LockFile(repo.FolderName), _layout.Locks);
        if (held is null) return CacheRemovalOutcome.Busy;
        if (!Directory.Exists(repo.Directory)) return CacheRemovalOutcome.Missing;
        Directory.CreateDirectory(_layout.TempFolder);
        var aside = _layout.TempPath(repo.FolderName, ".old");
        Directory.Move(repo.Directory, aside);
        _layout.WriteCommit(repo.FolderName, null);
        Directory.Delete(aside, recursive: true);
        return CacheRemovalOutcome.Removed;
    }

    private CacheRemovalOutcome RemoveCheckpoint(CachedFile file)
    {
        var work = new WorkPaths(file.FullName);
        using var held = FileLock.TryAcquire(work.Lock, _layout.Locks);
        if (held is null) return CacheRemovalOutcome.Busy;
        if (!File.Exists(file.FullName)) return CacheRemovalOutcome.Missing;
        File.Delete(file.FullName);
        AtomicFile.TryDelete(work.Record); // the name is free for any URL again
        return CacheRemovalOutcome.Removed;
    }

    private static CacheRemovalOutcome RemoveAssembly(CachedFile file)
    {
        if (!File.Exists(file.FullName)) return CacheRemovalOutcome.Missing;
        try
        {
            // The manifest first: without it the dll is never reused, so a crash in between is harmless.
            foreach (var companion in CacheInventory.CompanionFiles(file.FullName).OrderBy(f => f == file.FullName ? 1 : 0))
                File.Delete(companion);
        }
        catch (IOException)
        {
            return CacheRemovalOutcome.Busy; // Windows: loaded by a running process
        }
        return CacheRemovalOutcome.Removed;
    }
}
