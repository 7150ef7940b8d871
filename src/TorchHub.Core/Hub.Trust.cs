using System.Collections.Generic;
using System.Linq;
using System.Threading;
using TorchHub.Cache;
using TorchHub.Repositories;
using TorchHub.Repositories.Trust;

namespace TorchHub;

public sealed partial class Hub
{
    /// <summary>
    /// The lines of <c>trusted_list</c> in file order (duplicates once), then torch's trusted
    /// owners when <paramref name="includeTrustedOwners"/> is set.
    /// </summary>
    public IReadOnlyList<TrustedRepository> GetTrustedRepositories(bool includeTrustedOwners = false)
    {
        var entries = TrustedList.In(Cache.HubDirectory).Read().Distinct(System.StringComparer.Ordinal)
            .Select(TrustedRepository.FromLine).ToList();
        if (includeTrustedOwners) entries.AddRange(TrustPolicy.TrustedOwners.Select(TrustedRepository.FromOwner));
        return entries;
    }

    /// <summary>Adds <c>owner_repo</c> to <c>trusted_list</c> (the ref is ignored); false when it was there.</summary>
    public bool AddTrustedRepository(RepoSpec spec, CancellationToken cancellationToken = default) =>
        new TrustedList(Cache.TrustedListFile) { Locks = Options.Locks }.Add(spec.TrustKey, cancellationToken);

    /// <summary>Removes a <c>trusted_list</c> line (<c>owner_repo</c>); false when there was none.</summary>
    public bool RemoveTrustedRepository(string key, CancellationToken cancellationToken = default) =>
        new TrustedList(Cache.TrustedListFile) { Locks = Options.Locks }.Remove(key, cancellationToken);
}
