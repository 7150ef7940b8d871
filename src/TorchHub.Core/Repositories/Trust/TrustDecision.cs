
namespace TorchHub.Repositories.Trust;

/// <summary>Why a repository was allowed.</summary>
public enum TrustDecision
{
    /// <summary>Its <c>owner_repo</c> line is in <c>trusted_list</c>.</summary>
    TrustedList,

    /// <summary>Its owner is one of torch's trusted owners.</summary>
    TrustedOwner,

    /// <summary>Its folder for this ref is already in the cache (torch's legacy rule).</summary>
    AlreadyCached,

    /// <summary>The user said yes (or -TrustRepo answered for them); it was recorded.</summary>
    Confirmed,
}
