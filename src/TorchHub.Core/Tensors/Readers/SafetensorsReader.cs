using System;
using System.Buffers.Binary;
using System.Collections.Specialized;
using System.IO;
using System.Linq;
using System.Text.Json;
using static TorchSharp.torch;

namespace TorchHub.Tensors.Readers;

/// <summary>
/// safetensors: an 8-byte little-endian header length, a JSON header
/// (<c>name → {dtype, shape, data_offsets}</c>, optional <c>__metadata__</c>), then the raw bytes.
/// Nothing in it is executable, so it needs no allow-list.
/// </summary>
internal static class SafetensorsReader
{
    private const long MaxHeader = 100L * 1024 * 1024;

    /// <summary>Whether the first bytes look like a safetensors header.</summary>
    public static bool Looks(ReadOnlySpan<byte> head, long fileLength) =>
        head.Length >= 9 && head[8] == (byte)'{' && BinaryPrimitives.ReadUInt64LittleEndian(head) is var n && n >= 2 && (long)n <= fileLength - 8;

    public static OrderedDictionary Read(Stream stream, Device device)
    {
        Span<byte> lengthBytes = stackalloc byte[8];
        stream.ReadExactly(lengthBytes);
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > (ulong)Math.Min(MaxHeader, stream.Length - 8))
            throw new EndOfStreamException("The safetensors header is longer than the file.");
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        var dataStart = 8 + (long)headerLength;
        var dataLength = stream.Length - dataStart;

        using var json = JsonDocument.Parse(header);
        if (json.RootElement.ValueKind != JsonValueKind.Object) throw new FormatException("The safetensors header is not a JSON object.");
        var result = new OrderedDictionary();
        try
        {
            foreach (var property in json.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__") continue;
                var info = property.Value;
                var code = info.GetProperty("dtype").GetString() ?? "";
                if (!TorchDTypes.SafetensorsNames.TryGetValue(code, out var dtype) || !TorchDTypes.TryGet(dtype, out _, out var elementSize))
                    throw new NotSupportedException($"Tensor '{property.Name}' has unsupported safetensors dtype '{code}'.");
                var shape = info.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                var offsets = info.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                if (shape.Any(s => s < 0) || offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength)
                    throw new FormatException($"Tensor '{property.Name}' has invalid shape or data offsets.");
                var numel = shape.Aggregate(1L, (a, b) => checked(a * b));
                if (offsets[1] - offsets[0] != numel * elementSize)
                    throw new FormatException($"Tensor '{property.Name}': {offsets[1] - offsets[0]} bytes for {numel} {dtype} elements.");
                stream.Position = dataStart + offsets[0];
                using var flat = TensorStorage.Read(stream, dtype, numel, device);
                result[property.Name] = flat.reshape(shape);
            }
        }
        catch
        {
            foreach (var tensor in result.Values.OfType<Tensor>()) tensor.Dispose();
            throw;
        }
        return result;
    }
}
