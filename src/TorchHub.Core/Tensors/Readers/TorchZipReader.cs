using System;
using System.Collections.Generic;
using System.Threading.Tasks;
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

    public static object? Read(ZipArchive zip, string prefix, Device device, long maxPickleBytes, FileStream? file = null)
    {
        var byteOrder = zip.GetEntry(prefix + "byteorder");
        if (byteOrder is not null)
        {
            using var reader = new StreamReader(byteOrder.Open());
            var order = reader.ReadToEnd().Trim();
            if (order != "little") throw new NotSupportedException($"The checkpoint's storages are {order}-endian; only little-endian files are supported.");
        }

        // The pickle is held in memory whole: refuse a large one before reading it (the size in the
        // directory), and stop the copy at the limit in case the directory lies.
        var pickleEntry = zip.GetEntry(prefix + "data.pkl")!;
        if (pickleEntry.Length > maxPickleBytes) throw new PickleTooLargeException(pickleEntry.Length, maxPickleBytes);
        using var pickle = new MemoryStream((int)Math.Min(pickleEntry.Length, Array.MaxLength));
        using (var entryStream = pickleEntry.Open())
        {
            var buffer = new byte[81920];
            int read;
            while ((read = entryStream.Read(buffer)) > 0)
            {
                if (pickle.Length + read > maxPickleBytes) throw new PickleTooLargeException(pickle.Length + read, maxPickleBytes);
                pickle.Write(buffer, 0, read);
            }
        }
        pickle.Position = 0;

        var named = new Dictionary<string, StorageRef>(StringComparer.Ordinal);
        var unpickler = new Unpickler(pickle, pid =>
        {
            var storage = PersistentLoad(pid);
            named.TryAdd(storage.Key, storage);
            return storage;
        });
        var graph = unpickler.Load();

        using var materializer = new TensorMaterializer(storage => ReadOne(zip, prefix, storage, device));
        if (file is not null) ReadAllAt(zip, prefix, named.Values, device, file, materializer);
        return materializer.Materialize(graph);
    }

    /// <summary>
    /// torch.save stores storages uncompressed: read them with positional reads straight from the
    /// file, several at once on large checkpoints (page-faulting fresh tensor memory is CPU-bound,
    /// so two readers on two cores beat one). The entry stream is avoided because it CRC-checks
    /// every byte; its first byte, read through the entry stream, tells where the data starts in the
    /// file (the entry stream leaves the file stream just past it) and is checked again after.
    /// </summary>
    private static void ReadAllAt(ZipArchive zip, string prefix, IEnumerable<StorageRef> storages, Device device, FileStream file, TensorMaterializer materializer)
    {
        var located = new List<(StorageRef Storage, long Start, int First)>();
        long total = 0;
        foreach (var storage in storages)
        {
            var entry = Entry(zip, prefix, storage, out var bytes);
            if (bytes <= 1 || entry.CompressedLength != entry.Length) continue; // left to the stream path
            using var data = entry.Open();
            var first = data.ReadByte();
            var start = file.Position - 1;
            if (first < 0 || start < 0 || start + bytes > file.Length)
                throw new PickleFormatException($"Storage '{storage.Key}' could not be located in the file.");
            located.Add((storage, start, first));
            total += bytes;
        }
        var gate = new object();
        void Read((StorageRef Storage, long Start, int First) item)
        {
            var tensor = TensorStorage.ReadAt(file.SafeFileHandle, item.Start, item.Storage.DType, item.Storage.Numel, device);
            if (tensor.bytes[0] != (byte)item.First)
            {
                tensor.Dispose();
                throw new PickleFormatException($"Storage '{item.Storage.Key}' could not be located in the file.");
            }
            lock (gate) materializer.AddStorage(item.Storage.Key, tensor);
        }
        if (total < ParallelThreshold || Environment.ProcessorCount < 2)
        {
            foreach (var item in located) Read(item);
            return;
        }
        try
        {
            Parallel.ForEach(located, new ParallelOptions { MaxDegreeOfParallelism = Math.Min(Environment.ProcessorCount, 4) }, Read);
        }
        catch (AggregateException ex)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
        }
    }

    /// <summary>Checkpoints smaller than this are read on one thread.</summary>
    internal static long ParallelThreshold { get; set; } = 64L << 20;

    private static ZipArchiveEntry Entry(ZipArchive zip, string prefix, StorageRef storage, out long bytes)
    {
        var entry = zip.GetEntry(prefix + "data/" + storage.Key)
            ?? throw new PickleFormatException($"The checkpoint names storage '{storage.Key}' but has no {prefix}data/{storage.Key} record.");
        TorchDTypes.TryGet(storage.DType, out _, out var elementSize);
        bytes = storage.Numel * elementSize;
        if (entry.Length < bytes)
            throw new PickleFormatException($"Storage '{storage.Key}' holds {entry.Length} bytes; {storage.Numel} {storage.DType} elements need {bytes}.");
        return entry;
    }

    private static Tensor ReadOne(ZipArchive zip, string prefix, StorageRef storage, Device device)
    {
        var entry = Entry(zip, prefix, storage, out _);
        using var data = entry.Open();
        return TensorStorage.Read(data, storage.DType, storage.Numel, device);
    }

    private static StorageRef PersistentLoad(object? pid)
    {
        if (pid is not object?[] { Length: >= 5 } tuple || tuple[0] is not "storage")
            throw new PickleFormatException("Unexpected persistent id in a torch zip checkpoint.");
        if (tuple[1] is not StorageType type) throw new PickleFormatException("Persistent id without a storage type.");
        if (tuple[2] is not string key) throw new PickleFormatException("Persistent id without a storage key.");
        return new StorageRef(key, type.DType, PickleAllowList.Int(tuple[4], "storage size"), tuple[3] as string ?? "cpu");
    }
}
