using System.Collections.Generic;
using TorchSharp;

namespace TorchHub.Tensors;

/// <summary>PyTorch dtype names (as storages and safetensors spell them) to TorchSharp scalar types.</summary>
internal static class TorchDTypes
{
    private static readonly Dictionary<string, (torch.ScalarType Type, int Size)> ByName = new()
    {
        ["float32"] = (torch.ScalarType.Float32, 4),
        ["float64"] = (torch.ScalarType.Float64, 8),
        ["float16"] = (torch.ScalarType.Float16, 2),
        ["bfloat16"] = (torch.ScalarType.BFloat16, 2),
        ["int64"] = (torch.ScalarType.Int64, 8),
        ["int32"] = (torch.ScalarType.Int32, 4),
        ["int16"] = (torch.ScalarType.Int16, 2),
        ["int8"] = (torch.ScalarType.Int8, 1),
        ["uint8"] = (torch.ScalarType.Byte, 1),
        ["bool"] = (torch.ScalarType.Bool, 1),
        ["complex64"] = (torch.ScalarType.ComplexFloat32, 8),
        ["complex128"] = (torch.ScalarType.ComplexFloat64, 16),
    };

    /// <summary>safetensors dtype codes to PyTorch dtype names.</summary>
    public static readonly IReadOnlyDictionary<string, string> SafetensorsNames = new Dictionary<string, string>
    {
        ["F32"] = "float32", ["F64"] = "float64", ["F16"] = "float16", ["BF16"] = "bfloat16",
        ["I64"] = "int64", ["I32"] = "int32", ["I16"] = "int16", ["I8"] = "int8", ["U8"] = "uint8", ["BOOL"] = "bool",
        ["C64"] = "complex64",
    };

    public static bool TryGet(string name, out torch.ScalarType type, out int elementSize)
    {
        if (ByName.TryGetValue(name, out var entry))
        {
            type = entry.Type;
            elementSize = entry.Size;
            return true;
        }
        type = default;
        elementSize = 0;
        return false;
    }
}
