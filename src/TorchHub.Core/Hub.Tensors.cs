using System.Collections;
using System.Collections.Specialized;
using System.Threading;
using System.Threading.Tasks;
using TorchHub.Errors;
using TorchHub.Tensors;
using static TorchSharp.torch;

namespace TorchHub;

/// <summary>
/// Tensors: torch.load, torch.hub.load_state_dict_from_url, torch.jit.load and
/// load_state_dict, with TorchSharp brought up on first use.
/// </summary>
public sealed partial class Hub
{
    /// <summary>torch.load (weights_only): the checkpoint's top-level value with tensors on the CPU.</summary>
    public object? LoadCheckpoint(string path, CheckpointLoadOptions? options = null) =>
        CheckpointReader.Read(path, options, Feedback);

    /// <summary>Reads a state dict (name → tensor, in file order); the file's top level must be a dictionary.</summary>
    public OrderedDictionary LoadStateDict(string path, CheckpointLoadOptions? options = null) =>
        LoadCheckpoint(path, options) as OrderedDictionary
        ?? throw new HubException(HubErrorIds.UnsupportedCheckpoint, HubErrorCategory.InvalidData,
            $"'{path}' holds a checkpoint whose top level is not a dictionary; use LoadCheckpoint to read it as it is.", path);

    /// <summary>
    /// torch.hub.load_state_dict_from_url: downloads into &lt;hub dir&gt;/checkpoints (or
    /// <paramref name="modelDir"/>) unless cached, then reads the file as <see cref="LoadCheckpoint"/>.
    /// </summary>
    public object? LoadStateDictFromUrl(string url, string? modelDir = null, CheckpointLoadOptions? options = null,
        bool progress = true, bool checkHash = false, string? fileName = null, CancellationToken cancellationToken = default) =>
        LoadCheckpoint(GetCheckpointPath(url, modelDir, fileName, checkHash, progress, cancellationToken), options);

    /// <summary>The async form used by the cmdlets (so progress drains on the pipeline thread).</summary>
    public async Task<string> DownloadCheckpointAsync(string url, string? modelDir = null, bool progress = true, bool checkHash = false,
        string? fileName = null, CancellationToken cancellationToken = default) =>
        (await GetCheckpointAsync(url, modelDir, fileName, checkHash, progress, cancellationToken).ConfigureAwait(false)).Path;

    /// <summary>torch.jit.load.</summary>
    public jit.ScriptModule LoadTorchScript(string path, CheckpointLoadOptions? options = null) =>
        TorchScriptLoader.Load(path, options, Feedback);

    /// <summary>module.load_state_dict(stateDict, strict) with a report of missing, unexpected and mismatched keys.</summary>
    public static StateDictLoadResult LoadIntoModule(nn.Module module, IDictionary stateDict, bool strict = true) =>
        StateDictLoader.Load(module, stateDict, strict);
}
