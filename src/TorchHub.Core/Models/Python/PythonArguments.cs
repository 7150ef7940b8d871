using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using TorchHub.Errors;
using static TorchSharp.torch;

namespace TorchHub.Models.Python;

/// <summary>
/// The entrypoint's arguments and example inputs as the runner receives them (JSON). Only values
/// Python has a plain equivalent for cross: null, booleans, numbers, strings, lists and
/// string-keyed dictionaries; example inputs are tensors sent as dtype, shape and raw bytes.
/// </summary>
internal static class PythonArguments
{
    public static JsonArray Positional(IReadOnlyList<object?> args, string entrypoint) =>
        new(args.Select((a, i) => ToJson(a, $"{entrypoint} argument {i}")).ToArray());

    public static JsonObject Named(IReadOnlyDictionary<string, object?> named, string entrypoint)
    {
        var json = new JsonObject();
        // Sorted, so the same arguments always give the same export cache key.
        foreach (var (name, value) in named.OrderBy(p => p.Key, StringComparer.Ordinal))
            json[name] = ToJson(value, $"{entrypoint} argument '{name}'");
        return json;
    }

    public static JsonArray Examples(IReadOnlyList<Tensor>? examples)
    {
        var json = new JsonArray();
        foreach (var tensor in examples ?? [])
        {
            var cpu = tensor.detach().cpu().contiguous();
            json.Add(new JsonObject
            {
                ["dtype"] = DTypeName(cpu.dtype),
                ["shape"] = new JsonArray(cpu.shape.Select(d => (JsonNode)d).ToArray()),
                ["data"] = Convert.ToBase64String(cpu.bytes),
            });
        }
        return json;
    }

    private static string DTypeName(ScalarType type) => type switch
    {
        ScalarType.Byte => "uint8",
        ScalarType.Int8 => "int8",
        ScalarType.Int16 => "int16",
        ScalarType.Int32 => "int32",
        ScalarType.Int64 => "int64",
        ScalarType.Float16 => "float16",
        ScalarType.BFloat16 => "bfloat16",
        ScalarType.Float32 => "float32",
        ScalarType.Float64 => "float64",
        ScalarType.Bool => "bool",
        _ => throw new HubException(HubErrorIds.PythonArgumentNotSupported, HubErrorCategory.InvalidArgument,
            $"An example input of type {type} cannot be passed to Python.", type),
    };

    private static JsonNode? ToJson(object? value, string what) => value switch
    {
        null => null,
        bool b => JsonValue.Create(b),
        string s => JsonValue.Create(s),
        char c => JsonValue.Create(c.ToString()),
        Enum e => JsonValue.Create(e.ToString()),
        sbyte or byte or short or ushort or int or uint or long => JsonValue.Create(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
        ulong u => JsonValue.Create(u),
        float or double or decimal => JsonValue.Create(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
        IDictionary map => ToJsonObject(map, what),
        IEnumerable items => new JsonArray(items.Cast<object?>().Select(i => ToJson(i, what)).ToArray()),
        _ => throw new HubException(HubErrorIds.PythonArgumentNotSupported, HubErrorCategory.InvalidArgument,
            $"The {what} is a {value.GetType().Name}, which cannot be passed to Python; pass null, a boolean, a number, a string, a list or a hashtable.", value),
    };

    private static JsonObject ToJsonObject(IDictionary map, string what)
    {
        var json = new JsonObject();
        foreach (DictionaryEntry entry in map)
        {
            if (entry.Key is not string key)
                throw new HubException(HubErrorIds.PythonArgumentNotSupported, HubErrorCategory.InvalidArgument,
                    $"The {what} has a key of type {entry.Key.GetType().Name}; dictionaries passed to Python need string keys.", entry.Key);
            json[key] = ToJson(entry.Value, what);
        }
        return json;
    }
}
