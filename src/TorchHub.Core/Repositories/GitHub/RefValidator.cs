using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TorchHub.Errors;

namespace TorchHub.Repositories.GitHub;

/// <summary>
/// torch.hub's <c>_validate_not_a_forked_repo</c>, fixed: the ref must be a branch or tag of
/// this repository (paginated, 100 per page, stopping at the first match), or a commit that
/// one of its branches or tags reaches (compare API: <c>behind</c> or <c>identical</c>). GitHub
/// serves a fork's commits under the parent's URLs; compare answers <c>ahead</c> or
/// <c>diverged</c> for them, so they are refused. <c>refs/heads/x</c> and <c>refs/tags/x</c>
/// are checked against the branches or the tags only.
/// </summary>
internal static class RefValidator
{
    /// <summary>At most this many branches and tags are compared with a commit (each is one request).</summary>
    public const int MaxComparisons = 30;

    /// <summary>Returns the commit SHA the ref names (full, or as GitHub lists it); throws RefNotFound.</summary>
    public static async Task<string> ValidateAsync(GitHubApi api, GitHubEndpoints endpoints, string owner, string name, string @ref, CancellationToken ct)
    {
        var lookFor = @ref;
        var kinds = new List<bool> { true, false }; // true: branches, false: tags
        if (@ref.StartsWith("refs/heads/", StringComparison.Ordinal)) { lookFor = @ref.Substring(11); kinds = new() { true }; }
        else if (@ref.StartsWith("refs/tags/", StringComparison.Ordinal)) { lookFor = @ref.Substring(10); kinds = new() { false }; }

        // torch also accepts a SHA prefix matching a branch or tag head; only for hex refs of 4+ characters here.
        var maybeSha = lookFor.Length is >= 4 and <= 40 && lookFor.All(char.IsAsciiHexDigit);
        var seen = new List<string>();
        foreach (var branches in kinds)
        {
            for (var page = 1; ; page++)
            {
                var items = branches
                    ? await api.GetBranchPageAsync(owner, name, page, ct).ConfigureAwait(false)
                    : await api.GetTagPageAsync(owner, name, page, ct).ConfigureAwait(false);
                foreach (var (itemName, sha) in items)
                {
                    if (itemName == lookFor || (maybeSha && lookFor == @ref && sha.StartsWith(lookFor, StringComparison.OrdinalIgnoreCase)))
                        return sha;
                    seen.Add(itemName);
                }
                if (items.Count < GitHubApi.PageSize) break;
            }
        }

        if (maybeSha && lookFor == @ref)
        {
            // Prefer the usual default branch names, then the rest in GitHub's order.
            var bases = seen.Distinct(StringComparer.Ordinal)
                .OrderBy(b => b == "main" ? 0 : b == "master" ? 1 : 2).Take(MaxComparisons);
            foreach (var baseRef in bases)
            {
                var compared = await api.CompareAsync(owner, name, baseRef, @ref, ct).ConfigureAwait(false);
                if (compared is null) break; // GitHub does not know the commit at all
                if (compared.Value.Status is "behind" or "identical")
                    return compared.Value.Sha ?? @ref;
            }
        }

        throw new HubException(HubErrorIds.RefNotFound, HubErrorCategory.ObjectNotFound,
            $"Cannot find {@ref} in {endpoints.RepositoryPage(owner, name)}. If it's a commit from a forked repo, please use the forked repo directly " +
            $"(for example -Repository <fork owner>/{name}:{@ref}). Use -SkipValidation to download it anyway.",
            $"{owner}/{name}:{@ref}");
    }
}
