using System;
using System.Collections.Generic;
using System.Linq;

namespace TorchHub.Tensors;

/// <summary>A parameter or buffer whose shape in the state dict differs from the module's.</summary>
public sealed record ShapeMismatch(string Key, long[] ModuleShape, long[] CheckpointShape)
{
    public override string ToString() =>
        $"{Key}: checkpoint ({string.Join(", ", CheckpointShape)}) vs module ({string.Join(", ", ModuleShape)})";
}

/// <summary>
/// What loading a state dict into a module did: PyTorch's <c>_IncompatibleKeys</c>
/// (missing_keys, unexpected_keys) plus the shape mismatches and the number of tensors copied.
/// </summary>
public sealed class StateDictLoadResult
{
    internal StateDictLoadResult(IReadOnlyList<string> loaded, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<ShapeMismatch> mismatched, bool strict)
    {
        LoadedKeys = loaded;
        MissingKeys = missing;
        UnexpectedKeys = unexpected;
        ShapeMismatches = mismatched;
        Strict = strict;
    }

    /// <summary>Keys copied into the module.</summary>
    public IReadOnlyList<string> LoadedKeys { get; }

    /// <summary>Module parameters and buffers the state dict does not have.</summary>
    public IReadOnlyList<string> MissingKeys { get; }

    /// <summary>State dict entries the module does not have.</summary>
    public IReadOnlyList<string> UnexpectedKeys { get; }

    /// <summary>Entries whose shapes differ (never copied).</summary>
    public IReadOnlyList<ShapeMismatch> ShapeMismatches { get; }

    public bool Strict { get; }

    /// <summary>True when every key matched in name and shape.</summary>
    public bool IsComplete => MissingKeys.Count == 0 && UnexpectedKeys.Count == 0 && ShapeMismatches.Count == 0;

    /// <summary>A readable report, in the spirit of PyTorch's "Error(s) in loading state_dict".</summary>
    public string Report()
    {
        if (IsComplete) return $"All {LoadedKeys.Count} keys matched.";
        var parts = new List<string>();
        if (MissingKeys.Count > 0) parts.Add("missing keys: " + string.Join(", ", MissingKeys.Select(k => $"\"{k}\"")));
        if (UnexpectedKeys.Count > 0) parts.Add("unexpected keys: " + string.Join(", ", UnexpectedKeys.Select(k => $"\"{k}\"")));
        if (ShapeMismatches.Count > 0) parts.Add("size mismatches: " + string.Join("; ", ShapeMismatches));
        return string.Join(". ", parts) + ".";
    }

    public override string ToString() => Report();
}
