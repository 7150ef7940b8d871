using System;
using System.IO;
using System.Runtime.InteropServices;
using TorchHub.Errors;
using TorchHub.Feedback;
using TorchHub.Runtime;
using static TorchSharp.torch;

namespace TorchHub.Tensors;

/// <summary>
/// torch.jit.load: a TorchScript archive into a TorchSharp <see cref="jit.ScriptModule"/> on the
/// CPU (map_location as for checkpoints). TorchScript runs in libtorch's interpreter, not Python;
/// it can only call the operators libtorch provides, so it is not the pickle risk.
/// </summary>
internal static class TorchScriptLoader
{
    public static jit.ScriptModule Load(string path, CheckpointLoadOptions? options = null, IHubFeedback? feedback = null)
    {
        TorchSharpRuntime.EnsureLoaded(feedback);
        var device = (options ?? new CheckpointLoadOptions()).ResolveDevice();
        if (!File.Exists(path))
            throw new HubException(HubErrorIds.CheckpointFileNotFound, HubErrorCategory.ObjectNotFound, $"TorchScript file '{path}' does not exist.", path);
        try
        {
            var module = jit.load(path, device);
            module.eval();
            return module;
        }
        catch (Exception ex) when (ex is ExternalException or InvalidOperationException or ArgumentException)
        {
            var first = ex.Message.Split('\n', 2)[0].Trim();
            throw new HubException(HubErrorIds.TorchScriptLoadFailed, HubErrorCategory.InvalidData,
                $"'{path}' is not a loadable TorchScript file: {first}", path, ex)
            {
                RecommendedAction = "Save the model with torch.jit.save(torch.jit.script(model), path) or torch.jit.trace; for a state dict use Import-HubStateDict.",
            };
        }
    }
}
