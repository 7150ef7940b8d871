namespace TorchHub.Cache;

/// <summary>What Restore-HubCache did with one lock file entry.</summary>
public enum RestoreOutcome
{
    /// <summary>Already in the cache at the locked commit or hash: nothing was fetched.</summary>
    Present,

    /// <summary>Fetched; it was not in the cache.</summary>
    Added,

    /// <summary>Fetched; the cached folder held another commit (or an unknown one), or -Force replaced a file.</summary>
    Replaced,

    /// <summary>Would be fetched; the caller declined (-WhatIf, -Confirm no).</summary>
    Planned,
}

/// <summary>One lock file entry after Restore-HubCache: <see cref="Name"/> is the spec or the file name, <see cref="Version"/> the commit or the SHA-256.</summary>
public sealed record RestoredEntry(CacheEntryKind Kind, string Name, string Version, RestoreOutcome Outcome, string FullName);
