using System.Collections.ObjectModel;
using System.Management.Automation;
using TorchHub.Errors;
using TorchHub.Tensors;

namespace TorchHub.PowerShell.Infrastructure;

/// <summary>
/// Shared parameters of the cmdlets that read a weights file: -Path (wildcards), -LiteralPath,
/// or -Uri (downloaded into &lt;hub dir&gt;/checkpoints, as
/// torch.hub.load_state_dict_from_url does), plus -MapLocation.
/// </summary>
public abstract class CheckpointCmdlet : HubCmdlet
{
    protected const string PathSet = "Path";
    protected const string LiteralPathSet = "LiteralPath";
    protected const string UriSet = "Uri";

    /// <summary>Checkpoint file(s); wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = System.Array.Empty<string>();

    /// <summary>Checkpoint file(s), taken literally.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = System.Array.Empty<string>();

    /// <summary>URL of the file; cached in &lt;hub dir&gt;/checkpoints (or -ModelDirectory).</summary>
    [Parameter(Mandatory = true, ParameterSetName = UriSet, ValueFromPipelineByPropertyName = true)]
    [Alias("Url")]
    [ValidateNotNullOrEmpty]
    public string Uri { get; set; } = "";

    /// <summary>torch's model_dir: where the download is cached.</summary>
    [Parameter(ParameterSetName = UriSet)]
    [ValidateNotNullOrEmpty]
    public string? ModelDirectory { get; set; }

    /// <summary>torch's file_name: the cached file's name.</summary>
    [Parameter(ParameterSetName = UriSet)]
    [ValidateNotNullOrEmpty]
    public string? FileName { get; set; }

    /// <summary>torch's check_hash: verify the SHA-256 prefix in the file name (name-&lt;hex&gt;.ext).</summary>
    [Parameter(ParameterSetName = UriSet)]
    public SwitchParameter CheckHash { get; set; }

    /// <summary>torch's map_location. Only 'cpu' today (TorchSharp-cpu).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string MapLocation { get; set; } = "cpu";

    protected CheckpointLoadOptions LoadOptions => new() { MapLocation = MapLocation };

    /// <summary>The local files this call reads: resolved paths, or the cached download for -Uri.</summary>
    protected Collection<string> ResolveFiles(Hub hub)
    {
        var files = new Collection<string>();
        switch (ParameterSetName)
        {
            case UriSet:
                var download = hub.GetCheckpointAsync(Uri, ModelDirectory is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(ModelDirectory),
                    FileName, CheckHash, progress: true, CancellationToken);
                files.Add(Feedback.Wait(download).Path);
                break;
            case LiteralPathSet:
                foreach (var path in LiteralPath) files.Add(SessionState.Path.GetUnresolvedProviderPathFromPSPath(path));
                break;
            default:
                foreach (var path in Path)
                {
                    foreach (var file in ResolveFileSystemPaths(path, HubErrorIds.CheckpointFileNotFound, "Checkpoint file")) files.Add(file);
                }
                break;
        }
        return files;
    }
}
