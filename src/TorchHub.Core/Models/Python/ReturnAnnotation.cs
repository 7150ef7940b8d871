using System;
using System.Collections.Generic;
using TorchHub.Hubconf;

namespace TorchHub.Models.Python;

/// <summary>
/// What a hubconf.py function's return annotation (<c>-&gt; T</c>, as the static reader read it)
/// says about whether it builds a model. Only annotations that are certainly not an nn.Module count:
/// builtins and typing containers (<c>str</c>, <c>List[str]</c>, <c>Callable[..., nn.Module]</c>,
/// <c>Type[...]</c>) and enums by name (<c>WeightsEnum</c>); a class the reader does not follow, or
/// no annotation at all, leaves the Python route to try. pytorch/vision's get_weight,
/// get_model_weights, list_models and get_model_builder are the cases this exists for.
/// </summary>
internal static class ReturnAnnotation
{
    private static readonly HashSet<string> NotModules = new(StringComparer.Ordinal)
    {
        "str", "int", "float", "bool", "bytes", "complex", "None", "list", "dict", "tuple", "set", "frozenset", "type",
        "List", "Dict", "Tuple", "Set", "FrozenSet", "Callable", "Type", "Iterable", "Iterator", "Sequence", "Mapping",
        "Generator", "Literal", "OrderedDict", "Enum", "IntEnum", "StrEnum",
    };

    /// <summary>The annotation after the signature's <c>) -&gt; </c>, or null when it has none.</summary>
    public static string? Of(HubEntrypoint entry)
    {
        var arrow = entry.Signature.LastIndexOf(") -> ", StringComparison.Ordinal);
        return arrow < 0 ? null : entry.Signature[(arrow + ") -> ".Length)..].Trim();
    }

    /// <summary>Why the entrypoint is certainly no model builder, or null when it may be one.</summary>
    public static string? NotAModelReason(HubEntrypoint entry) =>
        Of(entry) is { } annotation && IsNotAModule(annotation)
            ? $"'{entry.Name}' returns {annotation} (its return annotation), not a model (a torch.nn.Module)"
            : null;

    private static bool IsNotAModule(string annotation)
    {
        var text = annotation.Trim().Trim('"', '\'');
        // Optional[X] and X | None are X or None: decided by X.
        if (Unwrap(text, "Optional[") is { } inner) return IsNotAModule(inner);
        if (text.EndsWith("| None", StringComparison.Ordinal)) return IsNotAModule(text[..^"| None".Length]);
        var head = text.Split('[')[0].Trim();
        var name = head[(head.LastIndexOf('.') + 1)..]; // typing.List, t.Dict, enum.Enum
        return NotModules.Contains(name) || name.EndsWith("Enum", StringComparison.Ordinal);
    }

    private static string? Unwrap(string text, string prefix)
    {
        var start = text.StartsWith("typing." + prefix, StringComparison.Ordinal) ? "typing.".Length + prefix.Length
            : text.StartsWith(prefix, StringComparison.Ordinal) ? prefix.Length : -1;
        return start < 0 || !text.EndsWith(']') ? null : text[start..^1];
    }
}
