using System.Management.Automation;
using TorchHub.Cache;
using TorchHub.PowerShell.Infrastructure;

namespace TorchHub.PowerShell.Commands;

/// <summary>
/// torch.hub.set_dir for this process. A relative path is resolved against the PowerShell
/// location (not the process working directory); <c>-UseDefault</c> returns to the
/// TORCH_HOME / XDG_CACHE_HOME / ~/.cache resolution.
/// </summary>
[Cmdlet(VerbsCommon.Set, "HubDirectory", SupportsShouldProcess = true, DefaultParameterSetName = PathSet)]
[OutputType(typeof(HubDirectoryInfo))]
public sealed class SetHubDirectoryCommand : HubCmdlet
{
    private const string PathSet = "Path";
    private const string DefaultSet = "UseDefault";

    /// <summary>The folder to use as the hub directory. It need not exist.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Forget the set directory and resolve from the environment again.</summary>
    [Parameter(Mandatory = true, ParameterSetName = DefaultSet)]
    public SwitchParameter UseDefault { get; set; }

    /// <summary>Write the new hub directory to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        Invoke(() =>
        {
            string? target = null;
            if (!UseDefault)
            {
                // '~' means the user's home, as in torch's expanduser; everything else is a PowerShell path.
                var expanded = HubDirectory.ExpandUser(Path);
                target = ReferenceEquals(expanded, Path) || expanded == Path
                    ? SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path)
                    : expanded;
            }

            var description = target ?? "the default (TORCH_HOME, XDG_CACHE_HOME or ~/.cache)";
            if (!ShouldProcess(description, "Set the TorchHub hub directory"))
                return;

            Hub.SetDir(target);
            var info = CreateHub().CacheDirectory;
            WriteVerbose($"The hub directory is now '{info.Path}' ({info.Source}, {info.LockStrategy} lock).");
            if (PassThru) WriteObject(info);
        });
    }
}
