using System;
using TorchHub.Errors;

namespace TorchHub.Http;

/// <summary>
/// The one failure worth retrying, for every HTTP transfer: a reset connection, a 5xx/408/429,
/// a stall, a truncated body. <see cref="ErrorId"/> is the id it becomes when retries run out;
/// <see cref="RetryAfter"/> carries a server's Retry-After; <see cref="MadeProgress"/> says the
/// failed attempt brought new bytes, which starts the retry budget again.
/// </summary>
internal sealed class TransientException : Exception
{
    public TransientException(string errorId, string message, Exception? inner = null) : base(message, inner) => ErrorId = errorId;

    public string ErrorId { get; }

    public bool IsTimeout => ErrorId == HubErrorIds.DownloadStalled;

    public TimeSpan? RetryAfter { get; init; }

    public bool MadeProgress { get; set; }

    /// <summary>The category its <see cref="HubException"/> gets.</summary>
    public HubErrorCategory Category => ErrorId switch
    {
        HubErrorIds.DownloadStalled => HubErrorCategory.OperationTimeout,
        HubErrorIds.DownloadIncomplete or HubErrorIds.RemoteFileChanged => HubErrorCategory.InvalidData,
        HubErrorIds.DownloadHttpError => HubErrorCategory.ResourceUnavailable,
        _ => HubErrorCategory.ConnectionError,
    };
}
