using System;

namespace TorchHub.Downloads;

/// <summary>What one completed download produced (before it becomes a <see cref="HubFile"/>).</summary>
internal sealed record DownloadedFile(long Length, string Sha256, Uri FinalUri, string? ETag, string? LastModified, long BytesTransferred, bool Resumed);
