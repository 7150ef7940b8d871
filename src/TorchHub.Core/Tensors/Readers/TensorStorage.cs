using System;
using System.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchHub.Tensors.Readers;

/// <summary>Creates CPU tensors and fills them straight from a stream, with no intermediate copy.</summary>
internal static class TensorStorage
{
    /// <summary>Largest span read at once (Span lengths are int); bigger storages are read through views.</summary>
    internal static long ChunkBytes { get; set; } = 1L << 30;

    /// <summary>A 1-D tensor of <paramref name="numel"/> elements whose bytes are read from <paramref name="source"/>.</summary>
    public static Tensor Read(Stream source, string dtype, long numel, Device device) =>
        Fill(dtype, numel, device, span => source.ReadExactly(span));

    /// <summary>The same, read with positional reads straight from the file at <paramref name="offset"/>.</summary>
    public static Tensor ReadAt(Microsoft.Win32.SafeHandles.SafeFileHandle file, long offset, string dtype, long numel, Device device)
    {
        var position = offset;
        return Fill(dtype, numel, device, span =>
        {
            while (!span.IsEmpty)
            {
                var n = RandomAccess.Read(file, span, position);
                if (n == 0) throw new EndOfStreamException("The file ends inside a tensor's data.");
                position += n;
                span = span[n..];
            }
        });
    }

    private delegate void SpanFiller(Span<byte> span);

    private static Tensor Fill(string dtype, long numel, Device device, SpanFiller fill)
    {
        if (!TorchDTypes.TryGet(dtype, out var type, out var elementSize))
            throw new FormatException($"Unsupported dtype '{dtype}'.");
        if (numel < 0) throw new FormatException("Negative storage size.");
        var tensor = empty(new[] { numel }, type, device);
        try
        {
            var chunkElements = Math.Max(1, ChunkBytes / elementSize);
            for (long start = 0; start < numel; start += chunkElements)
            {
                var count = Math.Min(chunkElements, numel - start);
                if (start == 0 && count == numel)
                {
                    fill(tensor.bytes);
                }
                else
                {
                    using var part = tensor.narrow(0, start, count);
                    fill(part.bytes);
                }
            }
            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }
}
