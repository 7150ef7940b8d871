using System.Linq;
using System.Management.Automation;
using TorchHub.PowerShell.Infrastructure;
using TorchHub.Repositories.Trust;

namespace TorchHub.PowerShell.Commands;

/// <summary>Lists the repositories trusted in <c>trusted_list</c> (and, on request, torch's trusted owners). Sends no request.</summary>
[Cmdlet(VerbsCommon.Get, "HubTrust")]
[OutputType(typeof(TrustedRepository))]
public sealed class GetHubTrustCommand : HubCmdlet
{
    /// <summary>Only these repositories (<c>owner/repo</c>, wildcards allowed).</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Repository { get; set; }

    /// <summary>Also list torch's built-in trusted owners (pytorch, facebookresearch, ...), as <c>owner/*</c>.</summary>
    [Parameter]
    public SwitchParameter IncludeTrustedOwners { get; set; }

    protected override void ProcessRecord()
    {
        Invoke(() =>
        {
            var patterns = Repository?.Select(r => WildcardPattern.Get(r, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant)).ToList();
            foreach (var entry in CreateHub().GetTrustedRepositories(IncludeTrustedOwners))
            {
                if (patterns is null || patterns.Any(p => p.IsMatch(entry.Repository ?? entry.Key)))
                    WriteObject(entry);
            }
        });
    }
}
