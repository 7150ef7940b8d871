using TorchHub.Errors;

namespace TorchHub.Http;

/// <summary>
/// Offline mode: <c>-Offline</c>, or <c>TORCHHUB_OFFLINE=1</c> for a whole session or job
/// (read into <see cref="HttpOptions.Offline"/>). The network side is enforced in one place,
/// <see cref="RedirectFollower"/>, before any request; the cache side (which cached ref to use)
/// asks <see cref="HttpOptions.Offline"/>.
/// </summary>
internal static class OfflineMode
{
    public const string Variable = HttpOptions.OfflineVariable;

    /// <summary>The error for a request that offline mode stops; <paramref name="what"/> names what would have been fetched.</summary>
    internal static HubException Refused(string what) =>
        new(HubErrorIds.OfflineCacheMiss, HubErrorCategory.ResourceUnavailable,
            $"Cannot fetch {what}: offline mode is on ({Variable} or -Offline), so no request is sent, and it is not in the cache.", what)
        {
            RecommendedAction = $"Run once online to cache it, or clear {Variable}.",
        };
}
