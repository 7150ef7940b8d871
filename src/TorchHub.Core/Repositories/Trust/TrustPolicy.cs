using System;
using System.IO;
using System.Linq;
using TorchHub.Cache;
using TorchHub.Errors;
using TorchHub.Feedback;
using TorchHub.Repositories;

namespace TorchHub.Repositories.Trust;

/// <summary>
/// torch.hub's <c>_check_repo_is_trusted</c> with its newest default, <c>trust_repo="check"</c>:
/// trusted if listed in <c>trusted_list</c>, owned by one of torch's trusted owners, or already
/// cached at this ref (torch's legacy rule); otherwise the user is asked, and yes is recorded. <c>TrustRepo</c>
/// answers yes without asking (torch's <c>True</c>); <c>ConfirmTrust</c> asks even when trusted
/// (torch's <c>False</c>). Nobody to ask, or a no, is an <see cref="HubErrorIds.UntrustedRepository"/>
/// error. The same rule applies to every cmdlet, listing included: listing runs no code, but it
/// downloads it into the cache, and a cached folder is trusted by torch's legacy rule afterwards.
/// </summary>
internal static class TrustPolicy
{
    /// <summary>torch's <c>_TRUSTED_REPO_OWNERS</c> (exact, case-sensitive).</summary>
    public static readonly string[] TrustedOwners = { "facebookresearch", "facebookincubator", "pytorch", "fairinternal" };

    public const string Caption = "Trust this repository?";

    /// <summary>torch's question, word for word apart from the (y/N) the host's choices replace.</summary>
    public static string Question(RepoSpec spec) =>
        $"The repository {spec.TrustKey} does not belong to the list of trusted repositories and as such cannot be downloaded. " +
        "Do you trust this repository and wish to add it to the trusted list of repositories?";

    /// <summary>Decides whether <paramref name="spec"/> may be used; asks through <paramref name="feedback"/> when needed.</summary>
    public static TrustDecision Ensure(string hubDirectory, RepoSpec spec, RepositoryRequest request, IHubFeedback feedback, LockOptions? locks = null)
    {
        if (request.TrustRepo && request.ConfirmTrust)
            throw new HubException(HubErrorIds.ConflictingTrustOptions, HubErrorCategory.InvalidArgument,
                "-TrustRepo answers the trust question with yes, -ConfirmTrust asks it; use one of them.", spec.ToString());

        var list = new TrustedList(new CacheLayout(hubDirectory).TrustedListFile) { Locks = locks };
        var existing = Find(hubDirectory, spec, spec.Ref is null ? null : spec.FolderName(spec.Ref), list);
        if (existing is { } decision && !request.ConfirmTrust)
            return decision;

        if (!request.TrustRepo)
        {
            bool yes;
            try
            {
                yes = feedback.Confirm(Question(spec), Caption);
            }
            catch (NonInteractiveException ex)
            {
                throw new HubException(HubErrorIds.UntrustedRepository, HubErrorCategory.SecurityError,
                    $"The repository {spec.Owner}/{spec.Name} is not trusted and nobody can be asked (non-interactive session). " +
                    $"Add -TrustRepo to trust it and record it in trusted_list, after checking its code.", spec.ToString(), ex)
                { RecommendedAction = "Run the command again with -TrustRepo if you trust the repository's code." };
            }
            if (!yes)
                throw new HubException(HubErrorIds.UntrustedRepository, HubErrorCategory.SecurityError,
                    $"Untrusted repository: {spec.Owner}/{spec.Name} was not trusted, so nothing was downloaded. Use -TrustRepo to trust it.", spec.ToString());
            if (existing is not null)
            {
                feedback.Verbose("The repository is already trusted.");
                return existing.Value;
            }
        }
        else if (existing is not null)
        {
            return existing.Value;
        }

        list.Add(spec.TrustKey);
        feedback.Verbose($"Added {spec.TrustKey} to {list.Path}.");
        return TrustDecision.Confirmed;
    }

    /// <summary>Why <paramref name="spec"/> is trusted already, or null.</summary>
    public static TrustDecision? Find(string hubDirectory, RepoSpec spec, string? folderName, TrustedList list)
    {
        if (list.Contains(spec.TrustKey)) return TrustDecision.TrustedList;
        if (TrustedOwners.Contains(spec.Owner, StringComparer.Ordinal)) return TrustDecision.TrustedOwner;
        // torch's legacy rule: the folder of this very ref (owner_repo_<ref>) is already cached.
        // Only this ref, as torch checks: a prefix match on owner_repo_ would also trust a
        // different repository whose owner or name contains '_' (a_b/c vs a/b_c).
        if (folderName is not null && Directory.Exists(Path.Combine(hubDirectory, folderName)))
            return TrustDecision.AlreadyCached;
        return null;
    }
}
