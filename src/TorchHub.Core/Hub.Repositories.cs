using System.Threading;
using TorchHub.Cache;
using TorchHub.Repositories;
using TorchHub.Repositories.GitHub;

namespace TorchHub;

public sealed partial class Hub
{
    /// <summary>
    /// Resolves a GitHub repository to its cache folder: trust, then cache hit, or
    /// validate, download, extract and swap in (torch.hub's <c>_get_cache_or_reload</c>).
    /// Call from the thread that may ask the trust question; reports arrive on that thread.
    /// </summary>
    public HubRepository GetRepository(RepoSpec spec, RepositoryRequest request, CancellationToken cancellationToken = default)
    {
        var repository = new GitHubRepositorySource(Options, Cache).Get(spec, request, cancellationToken);
        // Remembered for -Repository tab completion: cache folder names cannot be split back into specs.
        if (repository.Spec is { } fetched)
            RepositorySpecIndex.Record(Cache.HubDirectory, fetched);
        return repository;
    }
}
