using System.Management.Automation;
using TorchHub.Cache;
using TorchHub.PowerShell.Infrastructure;
using TorchHub.Repositories;

namespace TorchHub.PowerShell.Commands;

/// <summary>
/// Lists what the hub directory holds: repository folders (TorchHub's and PyTorch's alike, with
/// the spec and commit TorchHub fetched), weight files and compiled hubconf.cs assemblies, with
/// size and last use. Sends no request.
/// </summary>
[Cmdlet(VerbsCommon.Get, "HubCache")]
[OutputType(typeof(CachedRepository), typeof(CachedFile))]
public sealed class GetHubCacheCommand : HubCmdlet
{
    /// <summary>Only the folders of this repository (owner/repo; with :ref, that ref's folder). Lists repositories only.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Repository { get; set; }

    /// <summary>Only these kinds of entries.</summary>
    [Parameter]
    public CacheEntryKind[]? Kind { get; set; }

    protected override void ProcessRecord()
    {
        Invoke(() =>
        {
            var spec = Repository is null ? null : RepoSpec.Parse(Repository);
            foreach (var entry in CreateHub().GetCache(Kind, spec))
                WriteObject(entry);
        });
    }
}
