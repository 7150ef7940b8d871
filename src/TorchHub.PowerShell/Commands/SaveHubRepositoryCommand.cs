using System.Management.Automation;
using TorchHub.PowerShell.Infrastructure;
using TorchHub.Repositories;

namespace TorchHub.PowerShell.Commands;

/// <summary>
/// Fetches a GitHub repository into the hub cache (or finds it there) and describes the
/// cached folder: for scheduled jobs that prefetch repositories, and for offline use later.
/// Same trust, validation and cache rules as every repository cmdlet.
/// </summary>
[Cmdlet(VerbsData.Save, "HubRepository", SupportsShouldProcess = true, DefaultParameterSetName = RepositorySet)]
[OutputType(typeof(HubRepository))]
public sealed class SaveHubRepositoryCommand : RepositoryCmdlet
{
    protected override void ProcessRecord()
    {
        Invoke(() =>
        {
            var spec = RepoSpec.Parse(Repository);
            if (!ShouldProcess(spec.ToString(), $"Save into the hub cache '{Hub.GetDir().Path}'"))
                return;
            WriteObject(ResolveGitHubRepository());
        });
    }
}
