using System.IO;

namespace TorchHub.Cache;

/// <summary>The resolved hub directory: its path and where that path came from.</summary>
public sealed record HubDirectoryInfo(string Path, HubDirectorySource Source)
{
    /// <summary>Whether the folder exists now (nothing is created until something is written).</summary>
    public bool Exists => Directory.Exists(Path);

    /// <summary>
    /// How processes lock this folder against each other: <see cref="Cache.LockStrategy.File"/> on a
    /// network file system or when TORCHHUB_LOCK=file, else <see cref="Cache.LockStrategy.Kernel"/>.
    /// </summary>
    public LockStrategy LockStrategy { get; init; } = new LockOptions().StrategyFor(Path);

    public override string ToString() => Path;
}
