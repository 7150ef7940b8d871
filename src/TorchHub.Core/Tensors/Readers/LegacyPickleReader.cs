using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Numerics;
using TorchHub.Tensors.Pickle;
using static TorchSharp.torch;

namespace TorchHub.Tensors.Readers;

/// <summary>
/// The pre-1.6 format (<c>_use_new_zipfile_serialization=False</c>): five pickles in a row —
/// magic number, protocol version, system info, the object (persistent ids
/// <c>('storage', type, key, location, numel, view_metadata)</c>), the list of storage keys —
/// then each storage as an int64 element count followed by its raw bytes.
/// </summary>
internal static class LegacyPickleReader
{
    private static readonly BigInteger Magic = BigInteger.Parse("119547037146038801333356", System.Globalization.CultureInfo.InvariantCulture); // 0x1950a86a20f9469cfc6c
    private const long ProtocolVersion = 1001;

    public static object? Read(Stream stream, Device device, long maxPickleBytes)
    {
        var unpickler = new Unpickler(stream, _ => throw new PickleFormatException("Unexpected persistent id in the header."), maxPickleBytes);
        var magic = unpickler.Load();
        if (magic is not BigInteger m || m != Magic)
            throw new NotSupportedException("The file is a pickle but not a PyTorch checkpoint (no torch magic number).");
        if (unpickler.Load() is not long version || version != ProtocolVersion)
            throw new NotSupportedException("Unsupported legacy PyTorch protocol version.");
        if (unpickler.Load() is IDictionary sysInfo && sysInfo["little_endian"] is false)
            throw new NotSupportedException("The checkpoint was written on a big-endian machine; only little-endian files are supported.");

        var storages = new Dictionary<string, StorageRef>(StringComparer.Ordinal);
        var body = new Unpickler(stream, maxBytes: maxPickleBytes, persistentLoad: pid =>
        {
            if (pid is not object?[] { Length: >= 5 } tuple || tuple[0] is not "storage" || tuple[1] is not StorageType type || tuple[2] is not string key)
                throw new PickleFormatException("Unexpected persistent id in a legacy checkpoint.");
            var numel = PickleAllowList.Int(tuple[4], "storage size");
            var root = storages.TryGetValue(key, out var known) ? known : storages[key] = new StorageRef(key, type.DType, numel, tuple[3] as string ?? "cpu");
            if (tuple.Length > 5 && tuple[5] is object?[] { Length: >= 2 } view)
                return root with { ElementOffset = PickleAllowList.Int(view[1], "view offset") };
            return root;
        });
        var graph = body.Load();
        if (body.Load() is not List<object?> keys) throw new PickleFormatException("Missing the list of storage keys.");

        using var materializer = new TensorMaterializer(s => throw new PickleFormatException($"Storage '{s.Key}' is not in the file."));
        var reader = new BinaryReader(stream);
        foreach (var keyObject in keys)
        {
            if (keyObject is not string key || !storages.TryGetValue(key, out var storage))
                throw new PickleFormatException($"The file holds storage '{keyObject}' that nothing refers to.");
            var numel = reader.ReadInt64();
            TorchDTypes.TryGet(storage.DType, out _, out var elementSize);
            if (numel < 0 || numel * elementSize > stream.Length - stream.Position)
                throw new EndOfStreamException($"Storage '{key}' claims {numel} elements but the file ends sooner.");
            materializer.AddStorage(key, TensorStorage.Read(stream, storage.DType, numel, device));
        }
        return materializer.Materialize(graph);
    }
}
