using System.Management.Automation;
using TorchHub.Cache;
using TorchHub.PowerShell.Infrastructure;
using TorchHub.Repositories;

namespace TorchHub.PowerShell.Commands;

/// <summary>Lists the repository folders cached in the hub directory (TorchHub's and PyTorch's alike). Sends no request.</summary>
[Cmdlet(VerbsCommon.Get, "HubCache")]
[OutputType(typeof(CachedRepository))]
public sealed class GetHubCacheCommand : HubCmdlet
{
    /// <summary>Only the folders of this repository (owner/repo; a ref is ignored).</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Repository { get; set; }

    protected override void ProcessRecord()
    {
        Invoke(() =>
        {
            var spec = Repository is null ? null : RepoSpec.Parse(Repository);
            foreach (var entry in CreateHub().GetCachedRepositories(spec))
                WriteObject(entry);
        });
    }
}
