namespace TorchHub.Cache;

/// <summary>What happened to one entry Remove-HubCache chose.</summary>
public enum CacheRemovalOutcome
{
    /// <summary>Deleted; <see cref="CacheRemoval.FreedBytes"/> bytes freed.</summary>
    Removed,

    /// <summary>Chosen but not removed because the caller declined (-WhatIf, -Confirm no).</summary>
    Declined,

    /// <summary>Another process holds its lock (it is being downloaded or used): left alone.</summary>
    Busy,

    /// <summary>It was gone already.</summary>
    Missing,
}

/// <summary>One entry Remove-HubCache chose, and what became of it.</summary>
public sealed record CacheRemoval(CacheEntry Entry, CacheRemovalOutcome Outcome)
{
    public CacheEntryKind Kind => Entry.Kind;

    public string FileName => Entry.FileName;

    public string FullName => Entry.FullName;

    /// <summary>Bytes freed (0 unless removed).</summary>
    public long FreedBytes => Outcome == CacheRemovalOutcome.Removed ? Entry.Size : 0;
}
