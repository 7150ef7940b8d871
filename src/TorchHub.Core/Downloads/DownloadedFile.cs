using System;

namespace TorchHub.Downloads;

/// <summary>What one completed download produced (before it becomes a <see cref="HubFile"/>).</summary>
internal sealed record DownloadedFile(long Length, string Sha256, Uri FinalUri, string? ETag, string? LastModified, long BytesTransferred, bool Resumed);

/// <summary>A failure worth retrying (connection reset, 5xx, stall, truncated body).</summary>
internal sealed class TransientDownloadException : Exception
{
    public TransientDownloadException(string errorId, string message, Exception? inner = null) : base(message, inner) => ErrorId = errorId;

    public string ErrorId { get; }
}
