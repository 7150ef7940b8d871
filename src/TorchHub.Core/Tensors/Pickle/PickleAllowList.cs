using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Linq;
using System.Text;

namespace TorchHub.Tensors.Pickle;

/// <summary>
/// The only globals a checkpoint may name, and what "calling" each one means. This mirrors the
/// spirit of torch's weights_only unpickler: containers, tensor rebuilding, storage classes.
/// Everything is interpreted here; no Python or .NET member is looked up by name.
/// </summary>
internal static class PickleAllowList
{
    /// <summary>torch.&lt;X&gt;Storage class name to dtype name.</summary>
    public static readonly IReadOnlyDictionary<string, string> StorageDTypes = new Dictionary<string, string>
    {
        ["FloatStorage"] = "float32",
        ["DoubleStorage"] = "float64",
        ["HalfStorage"] = "float16",
        ["BFloat16Storage"] = "bfloat16",
        ["LongStorage"] = "int64",
        ["IntStorage"] = "int32",
        ["ShortStorage"] = "int16",
        ["CharStorage"] = "int8",
        ["ByteStorage"] = "uint8",
        ["BoolStorage"] = "bool",
        ["ComplexFloatStorage"] = "complex64",
        ["ComplexDoubleStorage"] = "complex128",
    };

    private static readonly HashSet<string> DTypeNames = new(StringComparer.Ordinal)
    {
        "float32", "float", "float64", "double", "float16", "half", "bfloat16", "int64", "long", "int32", "int",
        "int16", "short", "int8", "uint8", "bool", "complex64", "complex128",
    };

    private static readonly HashSet<string> Callables = new(StringComparer.Ordinal)
    {
        "collections.OrderedDict",
        "torch._utils._rebuild_tensor",
        "torch._utils._rebuild_tensor_v2",
        "torch._utils._rebuild_parameter",
        "torch._utils._rebuild_parameter_with_state",
        "torch.Size",
        "torch.device",
        "builtins.set", "__builtin__.set",
        "builtins.frozenset", "__builtin__.frozenset",
        "_codecs.encode",
    };

    /// <summary>GLOBAL/STACK_GLOBAL: returns a marker for an allowed global, or refuses.</summary>
    public static object Resolve(string module, string name)
    {
        if (module == "torch" && StorageDTypes.TryGetValue(name, out var dtype)) return new StorageType(dtype);
        if (module == "torch" && DTypeNames.Contains(name)) return "torch." + name;
        var global = new PickleGlobal(module, name);
        if (Callables.Contains(global.FullName)) return global;
        throw new UnsafePickleException(global.FullName);
    }

    /// <summary>REDUCE/NEWOBJ on an allowed global.</summary>
    public static object? Call(object? callable, object?[] args)
    {
        if (callable is not PickleGlobal global)
            throw new PickleFormatException($"The pickle calls a value that is not a callable global ({callable?.GetType().Name ?? "None"}).");
        switch (global.FullName)
        {
            case "collections.OrderedDict":
            {
                var dict = new OrderedDictionary();
                if (args.Length > 0 && args[0] is IEnumerable pairs and not string)
                {
                    foreach (var pair in pairs)
                    {
                        if (pair is object?[] { Length: 2 } kv) dict[kv[0] ?? PickleNone.Value] = kv[1];
                        else throw new PickleFormatException("OrderedDict expects (key, value) pairs.");
                    }
                }
                return dict;
            }
            case "torch._utils._rebuild_tensor":
            case "torch._utils._rebuild_tensor_v2":
                if (args.Length < 4) throw new PickleFormatException("_rebuild_tensor_v2 needs storage, offset, size and stride.");
                return new TensorRecipe
                {
                    Storage = args[0] as StorageRef ?? throw new PickleFormatException("_rebuild_tensor_v2: the first argument is not a storage."),
                    StorageOffset = Int(args[1], "storage offset"),
                    Size = Ints(args[2], "size"),
                    Stride = Ints(args[3], "stride"),
                    RequiresGrad = args.Length > 4 && args[4] is true,
                };
            case "torch._utils._rebuild_parameter":
            case "torch._utils._rebuild_parameter_with_state":
            {
                if (args.Length < 2 || args[0] is not TensorRecipe recipe)
                    throw new PickleFormatException("_rebuild_parameter expects a tensor.");
                recipe.RequiresGrad = args[1] is true;
                return recipe;
            }
            case "torch.Size":
                return args.Length == 0 ? Array.Empty<object?>() : args[0] switch
                {
                    object?[] tuple => tuple,
                    List<object?> list => list.ToArray(),
                    _ => throw new PickleFormatException("torch.Size expects a tuple."),
                };
            case "torch.device":
                return string.Join(":", args.Select(a => Convert.ToString(a, System.Globalization.CultureInfo.InvariantCulture)));
            case "builtins.set":
            case "__builtin__.set":
            case "builtins.frozenset":
            case "__builtin__.frozenset":
                return args.Length == 0 ? new HashSet<object?>() : new HashSet<object?>(args[0] as IEnumerable<object?> ?? throw new PickleFormatException("set expects an iterable."));
            case "_codecs.encode":
                // How protocol 2 pickles bytes: _codecs.encode(<str>, 'latin1').
                if (args.Length < 1 || args[0] is not string text) throw new PickleFormatException("_codecs.encode expects a string.");
                var encoding = args.Length > 1 ? args[1] as string : "utf-8";
                return encoding is "latin1" or "latin-1" or "iso-8859-1" ? Encoding.Latin1.GetBytes(text) : Encoding.UTF8.GetBytes(text);
            default:
                throw new UnsafePickleException(global.FullName);
        }
    }

    /// <summary>BUILD: only the attribute state torch attaches to state dicts (<c>_metadata</c>) and tensors, which we do not need.</summary>
    public static void Build(object? target, object? state)
    {
        switch (target)
        {
            case IDictionary:
            case TensorRecipe:
                return;
            default:
                throw new PickleFormatException($"BUILD on an unsupported value ({target?.GetType().Name ?? "None"}).");
        }
    }

    internal static long Int(object? value, string what) => value switch
    {
        long l => l,
        bool b => b ? 1 : 0,
        _ => throw new PickleFormatException($"Expected an integer for {what}."),
    };

    internal static long[] Ints(object? value, string what) => value switch
    {
        object?[] tuple => tuple.Select(v => Int(v, what)).ToArray(),
        List<object?> list => list.Select(v => Int(v, what)).ToArray(),
        _ => throw new PickleFormatException($"Expected a tuple of integers for {what}."),
    };
}
