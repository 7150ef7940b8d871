using System;
using TorchHub.Errors;

namespace TorchHub.Tensors;

/// <summary>Options for reading a checkpoint, after <c>torch.load</c>'s arguments.</summary>
public sealed record CheckpointLoadOptions
{
    /// <summary>
    /// torch.load's <c>map_location</c>: where every tensor lands, whatever device it was saved
    /// from. TorchHub ships TorchSharp-cpu, so only <c>cpu</c> is accepted today; the option is
    /// here so a CUDA build can add devices without changing callers.
    /// </summary>
    public string MapLocation { get; init; } = "cpu";

    internal TorchSharp.torch.Device ResolveDevice()
    {
        if (!string.Equals(MapLocation, "cpu", StringComparison.OrdinalIgnoreCase))
            throw new HubException(HubErrorIds.UnsupportedCheckpoint, HubErrorCategory.NotImplemented,
                $"map_location '{MapLocation}' is not available: TorchHub uses TorchSharp-cpu, so tensors load on 'cpu'.", MapLocation);
        return TorchSharp.torch.CPU;
    }
}
