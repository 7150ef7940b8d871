namespace TorchHub.Repositories;

/// <summary>Where a repository's files come from (torch.hub's <c>source</c>).</summary>
public enum RepositorySource
{
    /// <summary>A folder on disk, used as it is (torch's <c>source='local'</c>).</summary>
    Local,

    /// <summary>A GitHub repository, fetched into the hub directory's cache.</summary>
    GitHub,
}
