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

    /// <summary>The environment variable that overrides the default of <see cref="MaxPickleBytes"/>.</summary>
    public const string MaxPickleBytesVariable = "TORCHHUB_MAX_PICKLE_BYTES";

    /// <summary>The default of <see cref="MaxPickleBytes"/>: 256 MiB (a real state dict's pickle is a few MB).</summary>
    public const long DefaultMaxPickleBytes = 256L << 20;

    /// <summary>
    /// The largest pickle (a zip checkpoint's <c>data.pkl</c>, a legacy file's object pickle) read
    /// into memory; a larger one fails with <c>CheckpointTooLarge</c> before it is read, so a
    /// hostile file cannot take the machine's memory. Null: <c>TORCHHUB_MAX_PICKLE_BYTES</c>, else
    /// <see cref="DefaultMaxPickleBytes"/>. Tensor data is not counted: it is read straight into tensors.
    /// </summary>
    public long? MaxPickleBytes { get; init; }

    internal long ResolveMaxPickleBytes()
    {
        if (MaxPickleBytes is { } set) return set > 0 ? set : throw new ArgumentOutOfRangeException(nameof(MaxPickleBytes), "MaxPickleBytes must be positive.");
        var env = Environment.GetEnvironmentVariable(MaxPickleBytesVariable);
        return long.TryParse(env, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var bytes) && bytes > 0
            ? bytes
            : DefaultMaxPickleBytes;
    }

    internal TorchSharp.torch.Device ResolveDevice()
    {
        if (!string.Equals(MapLocation, "cpu", StringComparison.OrdinalIgnoreCase))
            throw new HubException(HubErrorIds.UnsupportedCheckpoint, HubErrorCategory.NotImplemented,
                $"map_location '{MapLocation}' is not available: TorchHub uses TorchSharp-cpu, so tensors load on 'cpu'.", MapLocation);
        return TorchSharp.torch.CPU;
    }
}
