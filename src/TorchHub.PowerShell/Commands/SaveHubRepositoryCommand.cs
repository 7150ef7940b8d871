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
public sealed class SaveHubRepositoryCommand : GitHubRepositoryCmdlet
{
    /// <summary>Record the repository's spec and commit in this lock file (created or merged; see Restore-HubCache).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? LockFile { get; set; }

    protected override void ProcessRecord()
    {
        Invoke(() =>
        {
            var spec = RepoSpec.Parse(Repository);
            if (!ShouldProcess(spec.ToString(), $"Save into the hub cache '{Hub.GetDir().Path}'"))
                return;
            var repository = ResolveGitHubRepository();
            WriteObject(repository);
            if (LockFile is not null)
            {
                var locked = CreateHub().RecordInLockFile(SessionState.Path.GetUnresolvedProviderPathFromPSPath(LockFile), repository, CancellationToken);
                WriteVerbose($"Locked {locked.Spec} at {locked.Commit} in {LockFile}.");
            }
        });
    }
}
