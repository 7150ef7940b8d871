using System.Management.Automation;
using TorchHub.Errors;
using TorchHub.Hubconf;
using TorchHub.PowerShell.Completers;
using TorchHub.Repositories;

namespace TorchHub.PowerShell.Infrastructure;

/// <summary>
/// A cmdlet about one entrypoint of a repository (Get-HubHelp, Import-HubModel): <c>-Name</c> with
/// the repository parameters, or a <see cref="HubEntrypoint"/> piped from Get-HubEntrypoint.
/// </summary>
/// <remarks>
/// Piped HubEntrypoint objects bind to <see cref="InputObject"/> (their own parameter set):
/// binding them by property name alone fails for local entrypoints, whose null Repository
/// property PowerShell would try to bind to the mandatory -Repository. Other objects with
/// Name plus Repository or LocalPath properties still bind by property name.
/// </remarks>
public abstract class EntrypointCmdlet : RepositoryCmdlet
{
    protected const string EntrypointSet = "Entrypoint";

    /// <summary>The entrypoint's exact name.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = RepositorySet)]
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
    [ArgumentCompleter(typeof(EntrypointNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>An entrypoint from Get-HubEntrypoint; its repository is resolved again (from the cache, trust rules apply).</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = EntrypointSet)]
    [ValidateNotNull]
    public HubEntrypoint? InputObject { get; set; }

    /// <summary>The repository folder and entrypoint name the parameters (or the piped entrypoint) name.</summary>
    protected (HubRepository Repository, string Name) ResolveEntrypoint() =>
        InputObject is { } entry ? (ResolveRepository(entry), entry.Name) : (ResolveRepository(), Name);

    private HubRepository ResolveRepository(HubEntrypoint entry)
    {
        // PowerShell also converts other objects (e.g. [pscustomobject]@{ Name; LocalPath }) to
        // HubEntrypoint; use whatever they name.
        if (entry.LocalPath is { Length: > 0 } local)
            return HubRepository.OpenLocal(SessionState.Path.GetUnresolvedProviderPathFromPSPath(local));
        if (entry.Repository is { Length: > 0 } spec)
            return CreateHub().GetRepository(RepoSpec.Parse(spec), new RepositoryRequest(), CancellationToken);
        if (!string.IsNullOrEmpty(entry.RepositoryPath))
            return HubRepository.OpenLocal(entry.RepositoryPath);
        throw new HubException(HubErrorIds.RepositoryPathNotFound, HubErrorCategory.InvalidArgument,
            $"The input object for '{entry.Name}' names no repository: give it a LocalPath or Repository property.", entry);
    }
}
