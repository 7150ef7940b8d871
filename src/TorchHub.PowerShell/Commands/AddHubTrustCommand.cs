using System.Management.Automation;
using TorchHub.PowerShell.Infrastructure;
using TorchHub.Repositories;
using TorchHub.Repositories.Trust;

namespace TorchHub.PowerShell.Commands;

/// <summary>
/// Trusts repositories by adding their <c>owner_repo</c> line to <c>trusted_list</c>, as
/// answering yes to torch's trust question does: for reviewed scripts instead of prompts.
/// </summary>
[Cmdlet(VerbsCommon.Add, "HubTrust", SupportsShouldProcess = true)]
[OutputType(typeof(TrustedRepository))]
public sealed class AddHubTrustCommand : HubCmdlet
{
    /// <summary>The repositories (<c>owner/repo</c>; a <c>:ref</c> is ignored: trust covers every ref).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Repository { get; set; } = [];

    /// <summary>Write the trusted entry to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var hub = CreateHub();
        foreach (var repository in Repository)
        {
            Invoke(() =>
            {
                var spec = RepoSpec.Parse(repository);
                if (!ShouldProcess($"{spec.Owner}/{spec.Name}", $"Add '{spec.TrustKey}' to {Hub.GetDir().Path}/trusted_list"))
                    return;
                if (!hub.AddTrustedRepository(spec, CancellationToken))
                    WriteVerbose($"{spec.TrustKey} is already in trusted_list.");
                if (PassThru) WriteObject(TrustedRepository.FromLine(spec.TrustKey));
            });
        }
    }
}
