using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using TorchHub.Tensors.Pickle;
using static TorchSharp.torch;

namespace TorchHub.Tensors.Readers;

/// <summary>
/// torch.save's zip format (PyTorch ≥ 1.6): <c>&lt;name&gt;/data.pkl</c> holds the pickle whose
/// persistent ids <c>('storage', torch.XStorage, key, location, numel)</c> name the raw
/// little-endian storages stored uncompressed as <c>&lt;name&gt;/data/&lt;key&gt;</c>.
/// </summary>
internal static class TorchZipReader
{
    /// <summary>The archive's record prefix when it is a torch.save zip, else null.</summary>
    public static string? FindPrefix(ZipArchive zip)
    {
        var pickle = zip.Entries.FirstOrDefault(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) && e.FullName.IndexOf('/') == e.FullName.Length - "/data.pkl".Length);
        return pickle?.FullName[..^"data.pkl".Length];
    }

    public static object? Read(ZipArchive zip, string prefix, Device device, FileStream? file = null)
    {
        var byteOrder = zip.GetEntry(prefix + "byteorder");
        if (byteOrder is not null)
        {
            using var reader = new StreamReader(byteOrder.Open());
            var order = reader.ReadToEnd().Trim();
            if (order != "little") throw new NotSupportedException($"The checkpoint's storages are {order}-endian; only little-endian files are supported.");
        }

        var pickleEntry = zip.GetEntry(prefix + "data.pkl")!;
        using var pickle = new MemoryStream();
        using (var entryStream = pickleEntry.Open()) entryStream.CopyTo(pickle);
        pickle.Position = 0;

        var unpickler = new Unpickler(pickle, PersistentLoad);
        var graph = unpickler.Load();

        using var materializer = new TensorMaterializer(storage =>
        {
            var entry = zip.GetEntry(prefix + "data/" + storage.Key)
                ?? throw new PickleFormatException($"The checkpoint names storage '{storage.Key}' but has no {prefix}data/{storage.Key} record.");
            TorchDTypes.TryGet(storage.DType, out _, out var elementSize);
            if (entry.Length < storage.Numel * elementSize)
                throw new PickleFormatException($"Storage '{storage.Key}' holds {entry.Length} bytes; {storage.Numel} {storage.DType} elements need {storage.Numel * elementSize}.");
            using var data = entry.Open();
            var bytes = storage.Numel * elementSize;
            if (file is not null && bytes > 1 && entry.CompressedLength == entry.Length)
            {
                // torch.save stores storages uncompressed. Read them with positional reads straight
                // from the file: the entry stream would CRC-check every byte (~25% of the load time
                // for large files). The first byte, read through the entry stream, tells where the
                // data starts in the file (the entry stream leaves the file stream just past it).
                var first = data.ReadByte();
                var start = file.Position - 1;
                if (first >= 0 && start >= 0 && start + bytes <= file.Length)
                {
                    var tensor = TensorStorage.ReadAt(file.SafeFileHandle, start, storage.DType, storage.Numel, device);
                    if (tensor.bytes[0] == (byte)first) return tensor;
                    tensor.Dispose();
                }
                throw new PickleFormatException($"Storage '{storage.Key}' could not be located in the file.");
            }
            return TensorStorage.Read(data, storage.DType, storage.Numel, device);
        });
        return materializer.Materialize(graph);
    }

    private static object? PersistentLoad(object? pid)
    {
        if (pid is not object?[] { Length: >= 5 } tuple || tuple[0] is not "storage")
            throw new PickleFormatException("Unexpected persistent id in a torch zip checkpoint.");
        if (tuple[1] is not StorageType type) throw new PickleFormatException("Persistent id without a storage type.");
        if (tuple[2] is not string key) throw new PickleFormatException("Persistent id without a storage key.");
        return new StorageRef(key, type.DType, PickleAllowList.Int(tuple[4], "storage size"), tuple[3] as string ?? "cpu");
    }
}
