using System.IO;

namespace TorchHub.Cache;

/// <summary>The resolved hub directory: its path and where that path came from.</summary>
public sealed record HubDirectoryInfo(string Path, HubDirectorySource Source)
{
    /// <summary>Whether the folder exists now (nothing is created until something is written).</summary>
    public bool Exists => Directory.Exists(Path);

    public override string ToString() => Path;
}
