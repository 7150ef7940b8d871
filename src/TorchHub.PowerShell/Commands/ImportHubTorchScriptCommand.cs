using System.Management.Automation;
using TorchHub.PowerShell.Infrastructure;

namespace TorchHub.PowerShell.Commands;

/// <summary>
/// torch.jit.load: a TorchScript file (local, or a URL cached in &lt;hub dir&gt;/checkpoints) as a
/// TorchSharp ScriptModule in eval mode, ready for <c>$module.forward($x)</c>.
/// </summary>
[Cmdlet(VerbsData.Import, "HubTorchScript", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType("TorchSharp.torch+jit+ScriptModule")]
public sealed class ImportHubTorchScriptCommand : CheckpointCmdlet
{
    protected override void ProcessRecord()
    {
        var hub = CreateHub();
        Invoke(() =>
        {
            if (ParameterSetName == UriSet && !ShouldProcess(Uri, "Download the TorchScript file into the hub cache (if missing) and load it"))
                return;
            foreach (var file in ResolveFiles(hub))
            {
                Invoke(() => WriteObject(hub.LoadTorchScript(file, LoadOptions)));
            }
        });
    }
}
