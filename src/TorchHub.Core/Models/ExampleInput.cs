using System;
using System.Collections.Generic;
using System.Linq;
using TorchHub.Errors;
using static TorchSharp.torch;

namespace TorchHub.Models;

/// <summary>
/// Example inputs for <c>torch.jit.trace</c>, the Python route's fallback when a model cannot be
/// scripted. Tracing records the operations the model runs on the input, so only its shape and
/// dtype matter for most models; a shape alone gives a float32 tensor of standard-normal values.
/// </summary>
public static class ExampleInput
{
    /// <summary>The largest random input made from a shape (256 Mi elements, 1 GiB of float32).</summary>
    public const long MaxElements = 1L << 28;

    /// <summary>The seed of every random input: the same shape always gives the same tensor, so the
    /// export cache (keyed by the example's bytes) is hit on the next load.</summary>
    private const long Seed = 0;

    /// <summary>A float32 tensor of <paramref name="shape"/> with standard-normal values from a fixed seed.</summary>
    public static Tensor Random(IReadOnlyList<long> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var text = string.Join(",", shape);
        if (shape.Count == 0 || shape.Any(d => d <= 0))
            throw Invalid($"The example input shape '{text}' is not valid: give one or more positive sizes, e.g. 1,3,224,224.", text);
        var elements = shape.Aggregate(1.0, (n, d) => n * d);
        if (elements > MaxElements)
            throw Invalid($"The example input shape '{text}' has {elements:0} elements; the most TorchHub makes is {MaxElements} (pass a tensor for more).", text);
        using var generator = new TorchSharp.torch.Generator((ulong)Seed);
        return randn(shape.ToArray(), dtype: ScalarType.Float32, generator: generator);
    }

    private static HubException Invalid(string message, string shape) =>
        new(HubErrorIds.InvalidExampleInput, HubErrorCategory.InvalidArgument, message, shape)
        {
            RecommendedAction = "Give the model's input shape as positive sizes separated by commas (1,3,224,224 for one RGB image of 224x224), or a TorchSharp tensor.",
        };
}
