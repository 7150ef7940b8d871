using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace TorchHub.Tests.Engine.Tensors;

/// <summary>The PyTorch 1.13 fixtures and PyTorch's own values for them (expected.json).</summary>
public static class TorchFixtures
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Fixtures", "torch");

    public static string PathOf(string name) => Path.Combine(Folder, name);

    public static string PicklePath(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "pickles", name);

    public static JsonElement Expected { get; } = JsonDocument.Parse(File.ReadAllText(PathOf("expected.json"))).RootElement;

    public const string PwnedMarker = "/tmp/torchhub_pwned";

    public static readonly IReadOnlyDictionary<string, ScalarType> DTypes = new Dictionary<string, ScalarType>
    {
        ["torch.float32"] = ScalarType.Float32, ["torch.float64"] = ScalarType.Float64, ["torch.float16"] = ScalarType.Float16,
        ["torch.bfloat16"] = ScalarType.BFloat16, ["torch.int64"] = ScalarType.Int64, ["torch.int32"] = ScalarType.Int32,
        ["torch.int8"] = ScalarType.Int8, ["torch.uint8"] = ScalarType.Byte, ["torch.bool"] = ScalarType.Bool,
    };

    public static double[] Flatten(JsonElement element)
    {
        var values = new List<double>();
        void Walk(JsonElement e)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Array: foreach (var item in e.EnumerateArray()) Walk(item); break;
                case JsonValueKind.True: values.Add(1); break;
                case JsonValueKind.False: values.Add(0); break;
                default: values.Add(e.GetDouble()); break;
            }
        }
        Walk(element);
        return values.ToArray();
    }

    public static double[] Values(Tensor tensor)
    {
        if (tensor.numel() == 0) return Array.Empty<double>();
        using var asDouble = tensor.to_type(ScalarType.Float64).contiguous();
        return asDouble.data<double>().ToArray();
    }

    /// <summary>Exact equality with PyTorch's values (every fixture value is exactly representable in float64).</summary>
    public static void AssertTensor(JsonElement expectedValues, Tensor actual)
    {
        Assert.Equal(Flatten(expectedValues), Values(actual));
    }

    public static void AssertTinyState(System.Collections.IDictionary state)
    {
        Assert.Equal(new[] { "fc.weight", "fc.bias" }, state.Keys.Cast<string>().ToArray());
        var weight = Assert.IsAssignableFrom<Tensor>(state["fc.weight"]);
        var bias = Assert.IsAssignableFrom<Tensor>(state["fc.bias"]);
        Assert.Equal(new long[] { 2, 4 }, weight.shape);
        Assert.Equal(new long[] { 2 }, bias.shape);
        Assert.Equal(ScalarType.Float32, weight.dtype);
        AssertTensor(Expected.GetProperty("tiny_state").GetProperty("fc.weight"), weight);
        AssertTensor(Expected.GetProperty("tiny_state").GetProperty("fc.bias"), bias);
    }
}
