using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using TorchHub.Errors;
using TorchHub.Runtime;
using static TorchSharp.torch;

namespace TorchHub.Tensors;

/// <summary>
/// <c>module.load_state_dict(state_dict, strict)</c> for TorchSharp modules, taking the
/// dictionary a checkpoint reader returns. Like PyTorch: with <c>strict</c>, any missing or
/// unexpected key is an error; a shape mismatch is always an error; nothing is copied unless
/// the load can succeed. Values are copied into the module's own tensors (dtype converted as
/// <c>copy_</c> does), so the module keeps its parameters and devices.
/// </summary>
internal static class StateDictLoader
{
    public static StateDictLoadResult Load(nn.Module module, IDictionary stateDict, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(stateDict);
        TorchSharpRuntime.EnsureLoaded();

        var target = module.state_dict();
        var source = new List<(string Key, Tensor Value)>();
        var unexpected = new List<string>();
        foreach (DictionaryEntry entry in stateDict)
        {
            var key = entry.Key as string ?? Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture) ?? "";
            if (entry.Value is not Tensor tensor || !target.ContainsKey(key)) unexpected.Add(key);
            else source.Add((key, tensor));
        }
        var present = new HashSet<string>(source.Select(s => s.Key), StringComparer.Ordinal);
        var missing = target.Keys.Where(k => !present.Contains(k)).ToList();
        var mismatched = source.Where(s => !target[s.Key].shape.SequenceEqual(s.Value.shape))
            .Select(s => new ShapeMismatch(s.Key, target[s.Key].shape, s.Value.shape)).ToList();
        var loadable = source.Where(s => target[s.Key].shape.SequenceEqual(s.Value.shape)).ToList();

        var result = new StateDictLoadResult(loadable.Select(s => s.Key).ToList(), missing, unexpected, mismatched, strict);
        if (mismatched.Count > 0 || (strict && !result.IsComplete))
            throw new HubException(HubErrorIds.StateDictMismatch, HubErrorCategory.InvalidData,
                $"Error(s) in loading state_dict for {module.GetType().Name}: {result.Report()} Nothing was loaded.", module.GetType().Name)
            {
                RecommendedAction = mismatched.Count > 0
                    ? "Check that the checkpoint belongs to this architecture and configuration."
                    : "Pass -Strict:$false (strict: false) to load the matching keys only, or rename the keys (e.g. strip a 'module.' prefix).",
            };

        using (no_grad())
        {
            foreach (var (key, value) in loadable) target[key].copy_(value);
        }
        return result;
    }
}
