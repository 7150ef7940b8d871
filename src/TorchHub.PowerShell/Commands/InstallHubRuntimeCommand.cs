using System.Management.Automation;
using TorchHub.PowerShell.Infrastructure;
using TorchHub.Runtime;

namespace TorchHub.PowerShell.Commands;

/// <summary>
/// Installs TorchSharp's native library and libtorch-cpu for this platform from a NuGet v3 feed
/// (nuget.org by default) into the per-user runtime folder, verified against the pinned SHA-512.
/// </summary>
[Cmdlet(VerbsLifecycle.Install, "HubRuntime", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(HubRuntime))]
public sealed class InstallHubRuntimeCommand : HubCmdlet
{
    /// <summary>The runtime folder; default: TORCHHUB_RUNTIME, else the per-user folder.</summary>
    [Parameter(Position = 0)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>A NuGet v3 service index; default: TORCHHUB_RUNTIME_FEED, else nuget.org.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Source { get; set; }

    /// <summary>Send no request; succeed only when the runtime is installed.</summary>
    [Parameter]
    public SwitchParameter Offline { get; set; }

    /// <summary>Download and unpack again even when installed.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord() => Invoke(() =>
    {
        var request = new RuntimeInstallRequest
        {
            Path = Path is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path),
            Source = Source,
            Offline = Offline,
            Force = Force,
        };
        var planned = Hub.PlanRuntimeInstall(request, out var folder);
        if (planned.Count > 0 && !ShouldProcess(folder.Path, $"Install {string.Join(", ", planned)}"))
            return;
        WriteObject(Feedback.Wait(CreateHub().InstallRuntimeAsync(request, CancellationToken)));
    });
}
