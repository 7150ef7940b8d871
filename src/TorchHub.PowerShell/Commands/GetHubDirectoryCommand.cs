using System.Management.Automation;
using TorchHub.Cache;
using TorchHub.PowerShell.Infrastructure;

namespace TorchHub.PowerShell.Commands;

/// <summary>torch.hub.get_dir: the hub directory and where its path came from.</summary>
[Cmdlet(VerbsCommon.Get, "HubDirectory")]
[OutputType(typeof(HubDirectoryInfo))]
public sealed class GetHubDirectoryCommand : HubCmdlet
{
    protected override void ProcessRecord() => WriteObject(Hub.GetDir());
}
