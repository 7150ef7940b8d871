using System.Threading;
using TorchHub.Errors;
using TorchHub.Repositories;

namespace TorchHub;

public sealed partial class Hub
{
    /// <summary>
    /// Resolves a GitHub repository to its cache folder: trust, then cache hit, or
    /// validate, download, extract and swap in (torch.hub's <c>_get_cache_or_reload</c>).
    /// </summary>
    public HubRepository GetRepository(RepoSpec spec, RepositoryRequest request, CancellationToken cancellationToken = default)
    {
        // Filled in by the GitHub sources room (issue 3).
        throw new HubException("GitHubSourceNotAvailable", HubErrorCategory.NotImplemented,
            $"GitHub repositories are not supported yet; use -Path with a local folder for '{spec}'.", spec.ToString());
    }
}
