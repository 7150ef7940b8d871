using System.Management.Automation;
using TorchHub.PowerShell.Infrastructure;
using TorchHub.Runtime;

namespace TorchHub.PowerShell.Commands;

/// <summary>What Install-HubRuntime installed, where, and whether TorchSharp runs (or failed to start) in this session.</summary>
[Cmdlet(VerbsCommon.Get, "HubRuntime")]
[OutputType(typeof(HubRuntime))]
public sealed class GetHubRuntimeCommand : HubCmdlet
{
    /// <summary>The runtime folder; default: TORCHHUB_RUNTIME, else the per-user folder.</summary>
    [Parameter(Position = 0)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    protected override void ProcessRecord() => Invoke(() =>
        WriteObject(Hub.GetRuntime(Path is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path))));
}
