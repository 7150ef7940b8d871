using System.Management.Automation;
using TorchHub.Cache;
using TorchHub.PowerShell.Infrastructure;

namespace TorchHub.PowerShell.Commands;

/// <summary>torch.hub.get_dir: the hub directory, where its path came from and how it is locked.</summary>
[Cmdlet(VerbsCommon.Get, "HubDirectory")]
[OutputType(typeof(HubDirectoryInfo))]
public sealed class GetHubDirectoryCommand : HubCmdlet
{
    protected override void ProcessRecord() => Invoke(() => WriteObject(CreateHub().CacheDirectory));
}
