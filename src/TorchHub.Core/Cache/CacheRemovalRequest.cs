using System;
using System.Collections.Generic;
using TorchHub.Repositories;

namespace TorchHub.Cache;

/// <summary>
/// Which cache entries to remove. The filters combine (all must match); with <see cref="MaxSize"/>
/// the matching entries are removed least recently used first, only until the entries in scope
/// (the kinds asked for) fit in the budget. At least one selector is required, so an empty
/// request never empties the cache.
/// </summary>
public sealed record CacheRemovalRequest
{
    /// <summary>Kinds in scope; null: all.</summary>
    public IReadOnlyList<CacheEntryKind>? Kinds { get; init; }

    /// <summary>Folder or file names (wildcards are the caller's business: it passes a predicate).</summary>
    public Func<string, bool>? NameMatches { get; init; }

    /// <summary>Repository folders of this repository (and ref, when the spec has one).</summary>
    public RepoSpec? Repository { get; init; }

    /// <summary>Entries written longer ago than this.</summary>
    public TimeSpan? OlderThan { get; init; }

    /// <summary>Entries not used for this long.</summary>
    public TimeSpan? UnusedFor { get; init; }

    /// <summary>Total bytes the entries in scope may keep.</summary>
    public long? MaxSize { get; init; }

    /// <summary>Specific entries (from a listing); other selectors still filter them.</summary>
    public IReadOnlyList<CacheEntry>? Entries { get; init; }

    public bool HasSelector => NameMatches is not null || Repository is not null || OlderThan is not null
        || UnusedFor is not null || MaxSize is not null || Entries is not null;
}
