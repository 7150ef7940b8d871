using System.Linq;
using System.Management.Automation;
using TorchHub.Errors;
using TorchHub.PowerShell.Infrastructure;
using TorchHub.Repositories;
using TorchHub.Cache;
using TorchHub.Repositories.Trust;

namespace TorchHub.PowerShell.Commands;

/// <summary>
/// Removes repositories from <c>trusted_list</c>. torch's built-in trusted owners cannot be
/// removed, and a repository still cached at some ref stays trusted by torch's legacy rule
/// (the warning says so); remove its folders with Remove-HubCache too.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "HubTrust", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = RepositorySet)]
[OutputType(typeof(TrustedRepository))]
public sealed class RemoveHubTrustCommand : HubCmdlet
{
    private const string RepositorySet = "Repository";
    private const string InputObjectSet = "InputObject";

    /// <summary>The repositories (<c>owner/repo</c>, wildcards allowed; a <c>:ref</c> is ignored).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = RepositorySet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Repository { get; set; } = [];

    /// <summary>Entries from Get-HubTrust.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    public TrustedRepository[] InputObject { get; set; } = [];

    /// <summary>Write each removed entry to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var hub = CreateHub();
        var current = hub.GetTrustedRepositories();
        if (ParameterSetName == InputObjectSet)
        {
            foreach (var entry in InputObject)
                Invoke(() => Remove(hub, entry));
            return;
        }
        foreach (var repository in Repository)
        {
            Invoke(() =>
            {
                if (WildcardPattern.ContainsWildcardCharacters(repository))
                {
                    var pattern = WildcardPattern.Get(repository, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
                    foreach (var entry in current.Where(e => e.Repository is not null && pattern.IsMatch(e.Repository)))
                        Remove(hub, entry);
                    return;
                }
                var spec = RepoSpec.Parse(repository);
                var match = current.FirstOrDefault(e => e.Key == spec.TrustKey)
                    ?? throw NotFound(spec);
                Remove(hub, match);
            });
        }
    }

    private void Remove(Hub hub, TrustedRepository entry)
    {
        if (entry.Reason != TrustDecision.TrustedList)
            throw new HubException(HubErrorIds.TrustedOwnerNotRemovable, HubErrorCategory.InvalidOperation,
                $"'{entry.Key}' is one of torch's built-in trusted owners; they cannot be removed.", entry.Repository ?? entry.Key)
            { RecommendedAction = "Leave the built-in owners out (Get-HubTrust lists them only with -IncludeTrustedOwners)." };
        if (!ShouldProcess(entry.Repository ?? entry.Key, $"Remove '{entry.Key}' from {Hub.GetDir().Path}/trusted_list"))
            return;
        if (!hub.RemoveTrustedRepository(entry.Key, CancellationToken))
        {
            WriteVerbose($"{entry.Key} was not in trusted_list any more.");
            return;
        }
        if (PassThru) WriteObject(entry);
        if (entry.Repository is { } repository && RepoSpec.TryParse(repository, out var spec)
            && hub.GetCachedRepositories(spec).Count > 0)
            WriteWarning($"{repository} is still cached, so torch still trusts the cached refs (its legacy rule). Remove them with: Remove-HubCache -Repository {repository}");
    }

    private static HubException NotFound(RepoSpec spec) =>
        new(HubErrorIds.TrustEntryNotFound, HubErrorCategory.ObjectNotFound,
            $"{spec.Owner}/{spec.Name} is not in trusted_list ('{spec.TrustKey}').", spec.ToString())
        { RecommendedAction = "Run Get-HubTrust to see the trusted repositories." };
}
