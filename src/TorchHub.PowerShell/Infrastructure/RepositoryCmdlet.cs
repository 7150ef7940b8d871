using System.Management.Automation;
using TorchHub.Errors;
using TorchHub.Repositories;

namespace TorchHub.PowerShell.Infrastructure;

/// <summary>
/// Parameters shared by every cmdlet that works on a hub repository: a GitHub spec
/// (<c>-Repository owner/repo[:ref]</c>) or a folder on disk (<c>-Path</c>/<c>-LiteralPath</c>,
/// torch's <c>source='local'</c>), plus the GitHub options of <see cref="GitHubRepositoryCmdlet"/>.
/// </summary>
public abstract class RepositoryCmdlet : GitHubRepositoryCmdlet
{
    protected const string PathSet = "Path";
    protected const string LiteralPathSet = "LiteralPath";

    /// <summary>A repository folder on disk; wildcards allowed, must match one folder.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>A repository folder on disk, taken literally.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP", "LocalPath")]
    [ValidateNotNullOrEmpty]
    public string LiteralPath { get; set; } = "";

    /// <summary>Resolves the parameters to a repository folder on disk (fetching it when needed).</summary>
    protected HubRepository ResolveRepository()
    {
        switch (ParameterSetName)
        {
            case PathSet:
            case LiteralPathSet:
                return HubRepository.OpenLocal(ResolveLocalPath());
            default:
                return ResolveGitHubRepository();
        }
    }

    private string ResolveLocalPath()
    {
        if (ParameterSetName == LiteralPathSet)
            return SessionState.Path.GetUnresolvedProviderPathFromPSPath(LiteralPath);

        var resolved = ResolveFileSystemPaths(Path, HubErrorIds.RepositoryPathNotFound, "The repository folder");
        if (resolved.Count != 1)
            throw new HubException(HubErrorIds.RepositoryPathNotFound, HubErrorCategory.InvalidArgument,
                $"'{Path}' matches {resolved.Count} items; name exactly one repository folder.", Path);
        return resolved[0];
    }
}
