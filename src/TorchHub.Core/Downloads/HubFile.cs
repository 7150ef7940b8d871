using System;

namespace TorchHub.Downloads;

/// <summary>A file Save-HubFile put (or found) in place: what it is, where from, and how it got there.</summary>
public sealed class HubFile
{
    public HubFile(string path, Uri uri, long length, string? sha256, bool fromCache, TimeSpan elapsed)
    {
        Path = path;
        Uri = uri;
        Length = length;
        Sha256 = sha256;
        FromCache = fromCache;
        Elapsed = elapsed;
    }

    /// <summary>Full path of the file.</summary>
    public string Path { get; }

    public string Name => System.IO.Path.GetFileName(Path);

    /// <summary>The URL it was requested from.</summary>
    public Uri Uri { get; }

    /// <summary>Size in bytes.</summary>
    public long Length { get; }

    /// <summary>Lowercase hex SHA-256; null for a file PyTorch (or someone else) saved that was reused without a hash check.</summary>
    public string? Sha256 { get; }

    /// <summary>True when the file was already there and no download happened.</summary>
    public bool FromCache { get; }

    /// <summary>Time this file took (download, verification, expansion).</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Bytes that went over the network for it (less than <see cref="Length"/> after a resume; 0 from the cache).</summary>
    public long BytesTransferred { get; init; }

    /// <summary>True when an earlier interrupted download was continued.</summary>
    public bool Resumed { get; init; }

    /// <summary>For a legacy zip checkpoint expanded with -Expand: the zip it came from.</summary>
    public string? ExpandedFrom { get; init; }

    public override string ToString() => Path;
}
