using System.Collections.Generic;
using System.IO;
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

    /// <summary>
    /// A repository named by a string, as torch.hub.load takes it: a folder that exists is used as it
    /// is (torch's <c>source='local'</c>); anything else is an <c>owner/repo[:ref]</c> spec, resolved
    /// by <see cref="GetRepository"/> (trust rules and cache apply; <paramref name="request"/> as torch's
    /// <c>trust_repo</c>, <c>force_reload</c>, <c>skip_validation</c>).
    /// </summary>
    public HubRepository OpenRepository(string repositoryOrPath, RepositoryRequest? request = null, CancellationToken cancellationToken = default)
    {
        System.ArgumentException.ThrowIfNullOrEmpty(repositoryOrPath);
        return Directory.Exists(repositoryOrPath)
            ? HubRepository.OpenLocal(repositoryOrPath)
            : GetRepository(RepoSpec.Parse(repositoryOrPath), request ?? new RepositoryRequest(), cancellationToken);
    }

    /// <summary>
    /// torch.hub.load's one-liner: <c>hub.Load("owner/repo:ref", "name", args)</c> or
    /// <c>hub.Load("path/to/folder", "name", args)</c>. The repository is found as
    /// <see cref="OpenRepository"/> does, then loaded by the <see cref="HubRepository"/> overload (the first route that can).
    /// </summary>
    public object? Load(string repositoryOrPath, string name, IReadOnlyList<object?>? args = null,
        IReadOnlyDictionary<string, object?>? namedArgs = null, RepositoryRequest? request = null, CancellationToken cancellationToken = default) =>
        Load(OpenRepository(repositoryOrPath, request, cancellationToken), name, args, namedArgs, cancellationToken: cancellationToken);
}
