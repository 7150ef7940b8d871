using System;

namespace TorchHub.Cache;

/// <summary>What a cache entry is.</summary>
public enum CacheEntryKind
{
    /// <summary>A repository folder, <c>&lt;hub&gt;/owner_repo_ref</c> (torch's and TorchHub's alike).</summary>
    Repository,

    /// <summary>A weight file in <c>&lt;hub&gt;/checkpoints</c>.</summary>
    Checkpoint,

    /// <summary>A compiled hubconf.cs, <c>&lt;hub&gt;/.torchhub/assemblies/&lt;hash&gt;.dll</c> with its manifest.</summary>
    Assembly,
}

/// <summary>
/// One item of the hub directory, as Get-HubCache lists it and Remove-HubCache removes it.
/// <see cref="LastUseUtc"/> is the later of the last access and last write time of the file
/// that is read when the item is used (hubconf.py/hubconf.cs, the weight file, the dll): file
/// systems mounted <c>relatime</c> (Linux's default) update access times at most once a day,
/// which is enough to prune by days.
/// </summary>
public abstract record CacheEntry
{
    public abstract CacheEntryKind Kind { get; }

    /// <summary>The folder or file name.</summary>
    public abstract string FileName { get; }

    /// <summary>The full path of the folder or file.</summary>
    public abstract string FullName { get; }

    /// <summary>Bytes on disk (every file in a folder; a dll with its manifest).</summary>
    public long Size { get; init; }

    public DateTime LastWriteTimeUtc { get; init; }

    public DateTime LastUseUtc { get; init; }
}

/// <summary>A weight file or a compiled hubconf.cs assembly.</summary>
public sealed record CachedFile : CacheEntry
{
    public CachedFile(CacheEntryKind kind, string fullName)
    {
        Kind = kind;
        FullName = fullName;
    }

    public override CacheEntryKind Kind { get; }

    public override string FileName => System.IO.Path.GetFileName(FullName);

    public override string FullName { get; }

    /// <summary>The URL a weight file was downloaded from, when TorchHub recorded it.</summary>
    public string? Url { get; init; }

    /// <summary>The SHA-256 recorded when the file was downloaded, when known.</summary>
    public string? Sha256 { get; init; }
}
