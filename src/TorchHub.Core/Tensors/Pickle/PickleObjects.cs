using System;

namespace TorchHub.Tensors.Pickle;

/// <summary>A global the allow-list resolved (e.g. <c>collections.OrderedDict</c>); never a live Python object.</summary>
internal sealed record PickleGlobal(string Module, string Name)
{
    public string FullName => Module + "." + Name;
}

/// <summary>A storage named by a checkpoint's persistent id: which bytes, their dtype and element count.</summary>
/// <param name="Key">The storage key (zip: <c>data/&lt;key&gt;</c>; legacy: the key written after the pickle).</param>
/// <param name="DType">PyTorch dtype name without the <c>torch.</c> prefix, e.g. <c>float32</c>.</param>
/// <param name="Numel">Elements in the storage.</param>
/// <param name="Location">Device the tensor was saved from (map_location maps it).</param>
/// <param name="ElementOffset">Legacy views into a larger root storage: where this one starts.</param>
internal sealed record StorageRef(string Key, string DType, long Numel, string Location, long ElementOffset = 0);

/// <summary>
/// What <c>torch._utils._rebuild_tensor_v2</c> describes: a strided view of a storage. The
/// unpickler only records it; tensors are made afterwards, once the storage bytes can be read
/// (in the legacy format they come after the pickle).
/// </summary>
internal sealed class TensorRecipe
{
    public required StorageRef Storage { get; init; }
    public required long StorageOffset { get; init; }
    public required long[] Size { get; init; }
    public required long[] Stride { get; init; }
    public bool RequiresGrad { get; set; }
}

/// <summary>An allow-listed storage class such as <c>torch.FloatStorage</c>, carrying its dtype.</summary>
internal sealed record StorageType(string DType);

/// <summary>A pickle larger than <see cref="CheckpointLoadOptions.MaxPickleBytes"/>.</summary>
internal sealed class PickleTooLargeException(long bytes, long limit)
    : Exception("The pickle is larger than the limit.")
{
    public long Bytes { get; } = bytes;

    public long Limit { get; } = limit;
}

/// <summary>Thrown inside the readers for malformed input; the facade turns it into a HubException.</summary>
internal sealed class PickleFormatException : Exception
{
    public PickleFormatException(string message) : base(message) { }
}

/// <summary>Thrown when a pickle asks for something outside the allow-list.</summary>
internal sealed class UnsafePickleException : Exception
{
    public UnsafePickleException(string global) : base(global) => Global = global;

    public string Global { get; }
}
