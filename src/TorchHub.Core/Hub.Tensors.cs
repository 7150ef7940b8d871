using System.Collections;
using System.Collections.Specialized;
using System.Threading;
using System.Threading.Tasks;
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

    /// <summary>
    /// Reads a state dict: name → tensor, in file order (a top-level <c>state_dict</c> entry is
    /// taken when the file holds a training checkpoint). Anything else is an error; use
    /// <see cref="LoadCheckpoint"/> to read such a file as it is.
    /// </summary>
    public OrderedDictionary LoadStateDict(string path, CheckpointLoadOptions? options = null) =>
        CheckpointReader.ReadStateDict(path, options, Feedback);

    /// <summary>
    /// torch.hub.load_state_dict_from_url: the checkpoint <see cref="GetCheckpoint"/> returns
    /// (downloaded into &lt;hub dir&gt;/checkpoints or <paramref name="modelDir"/> unless cached),
    /// read as <see cref="LoadStateDict"/> does.
    /// </summary>
    public OrderedDictionary LoadStateDictFromUrl(string url, string? modelDir = null, string? fileName = null, bool checkHash = false,
        bool progress = true, CheckpointLoadOptions? options = null, CancellationToken cancellationToken = default) =>
        CheckpointReader.ReadStateDict(GetCheckpoint(url, modelDir, fileName, checkHash, progress, cancellationToken).Path, options, Feedback, url);

    /// <inheritdoc cref="LoadStateDictFromUrl"/>
    public async Task<OrderedDictionary> LoadStateDictFromUrlAsync(string url, string? modelDir = null, string? fileName = null, bool checkHash = false,
        bool progress = true, CheckpointLoadOptions? options = null, CancellationToken cancellationToken = default) =>
        CheckpointReader.ReadStateDict((await GetCheckpointAsync(url, modelDir, fileName, checkHash, progress, cancellationToken).ConfigureAwait(false)).Path, options, Feedback, url);

    /// <summary>torch.jit.load.</summary>
    public jit.ScriptModule LoadTorchScript(string path, CheckpointLoadOptions? options = null) =>
        TorchScriptLoader.Load(path, options, Feedback);

    /// <summary>module.load_state_dict(stateDict, strict) with a report of missing, unexpected and mismatched keys.</summary>
    public static StateDictLoadResult LoadIntoModule(nn.Module module, IDictionary stateDict, bool strict = true) =>
        StateDictLoader.Load(module, stateDict, strict);
}
