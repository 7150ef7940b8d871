using System.Collections;
using System.Management.Automation;
using TorchHub.PowerShell.Infrastructure;
using TorchHub.Tensors;

namespace TorchHub.PowerShell.Commands;

/// <summary>
/// torch.load / torch.hub.load_state_dict_from_url, safely: reads a checkpoint (torch.save zip,
/// legacy pickle, torch.hub legacy zip, safetensors) into an ordered dictionary of name →
/// TorchSharp tensor (a whole checkpoint keeps its nested values). With -Module it loads the
/// state dict into that TorchSharp module (load_state_dict) and outputs the load report.
/// </summary>
[Cmdlet(VerbsData.Import, "HubStateDict", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(System.Collections.Specialized.OrderedDictionary), typeof(StateDictLoadResult))]
public sealed class ImportHubStateDictCommand : CheckpointCmdlet
{
    /// <summary>A TorchSharp module (torch.nn.Module) to load the state dict into.</summary>
    [Parameter]
    [ValidateNotNull]
    public object? Module { get; set; }

    /// <summary>With -Module: load the matching keys even when some are missing or unexpected (strict=False).</summary>
    [Parameter]
    public SwitchParameter NonStrict { get; set; }

    protected override void ProcessRecord()
    {
        var hub = CreateHub();
        Invoke(() =>
        {
            if (ParameterSetName == UriSet && !ShouldProcess(Uri, "Download the checkpoint into the hub cache (if missing) and load it"))
                return;
            foreach (var file in ResolveFiles(hub))
            {
                Invoke(() => Emit(hub, file));
            }
        });
    }

    private void Emit(Hub hub, string file)
    {
        var checkpoint = hub.LoadCheckpoint(file, LoadOptions);
        if (Module is null)
        {
            WriteObject(checkpoint is IDictionary ? AsStateDict(checkpoint) : checkpoint);
            return;
        }
        var module = (Module is PSObject ps ? ps.BaseObject : Module) as TorchSharp.torch.nn.Module
            ?? throw new Errors.HubException(Errors.HubErrorIds.NotATorchSharpModule, Errors.HubErrorCategory.InvalidArgument,
                "-Module must be a TorchSharp module (TorchSharp.torch.nn.Module).", Module);
        var stateDict = checkpoint as IDictionary
            ?? throw new Errors.HubException(Errors.HubErrorIds.UnsupportedCheckpoint, Errors.HubErrorCategory.InvalidData,
                $"'{file}' does not hold a state dict (its top level is not a dictionary).", file);
        var result = Hub.LoadIntoModule(module, stateDict, strict: !NonStrict);
        if (!result.IsComplete) WriteWarning($"Loaded {result.LoadedKeys.Count} keys; {result.Report()}");
        WriteObject(result);
    }

    /// <summary>The name the state-dict view (module/TorchHub.Tensors.Format.ps1xml) is selected by.</summary>
    private const string StateDictTypeName = "TorchHub.Tensors.StateDict";

    /// <summary>The dictionary, unchanged, typed for the view that shows every key whole.</summary>
    private static PSObject AsStateDict(object dictionary)
    {
        var typed = PSObject.AsPSObject(dictionary);
        typed.TypeNames.Insert(0, StateDictTypeName);
        return typed;
    }
}
