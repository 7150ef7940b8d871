using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using TorchHub.Errors;
using TorchHub.Tensors;
using TorchHub.Tests.Hosting;
using Xunit;

namespace TorchHub.Tests.Engine.Tensors;

/// <summary>Checkpoints built to hurt the reader: deep nesting, and pickles too large to hold.</summary>
public sealed class HostileCheckpointTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Pickle protocol 2: a list holding a list holding ... <paramref name="depth"/> deep (2 bytes a level).</summary>
    internal static byte[] NestedListsPickle(int depth)
    {
        var bytes = new List<byte> { 0x80, 0x02 };
        for (var i = 0; i < depth; i++) bytes.Add((byte)']');            // EMPTY_LIST
        for (var i = 1; i < depth; i++) bytes.Add((byte)'a');            // APPEND the top into the one below
        bytes.Add((byte)'.');                                            // STOP
        return bytes.ToArray();
    }

    /// <summary>A torch.save zip whose <c>archive/data.pkl</c> is <paramref name="pickle"/>.</summary>
    internal static string TorchZip(TempDirectory temp, string name, byte[] pickle)
    {
        var path = temp.Combine(name);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        using (var entry = zip.CreateEntry("archive/data.pkl", CompressionLevel.NoCompression).Open()) entry.Write(pickle);
        using (var order = zip.CreateEntry("archive/byteorder").Open()) order.Write("little"u8);
        return path;
    }

    /// <summary>
    /// The legacy format's three header pickles, then an object pickle that opens with a
    /// BINBYTES8 of <paramref name="claimed"/> bytes; the file is sparse, so it costs nothing on disk.
    /// </summary>
    internal static string SparseLegacyCheckpoint(TempDirectory temp, string name, long claimed)
    {
        var path = temp.Combine(name);
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        byte[] magic = [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, (byte)'.'];
        byte[] version = [0x80, 0x02, (byte)'M', 0xe9, 0x03, (byte)'.'];
        byte[] sysInfo = [0x80, 0x02, (byte)'}', (byte)'.'];
        file.Write(magic);
        file.Write(version);
        file.Write(sysInfo);
        file.Write([0x80, 0x02, 0x8e]);
        file.Write(BitConverter.GetBytes(claimed));
        file.SetLength(file.Position + claimed + 1);
        return path;
    }

    [Fact]
    public void ListsNested50000Deep_LoadWithoutOverflowingTheStack()
    {
        const int depth = 50_000;
        var pickle = NestedListsPickle(depth);
        Assert.InRange(pickle.Length, 90_000, 110_000); // the fault battery's 100 KB file
        var path = TorchZip(_temp, "deep.pth", pickle);

        var value = CheckpointReader.Read(path);

        var levels = 0;
        for (var list = value as List<object?>; list is not null; list = list.Count == 0 ? null : list[0] as List<object?>) levels++;
        Assert.Equal(depth, levels);
    }

    [Fact]
    public void SparseThreeGigabytePickle_IsRefusedBeforeItIsRead()
    {
        var path = SparseLegacyCheckpoint(_temp, "huge.pth", 3L << 30);

        var ex = Assert.Throws<HubException>(() => CheckpointReader.Read(path));

        Assert.Equal(HubErrorIds.CheckpointTooLarge, ex.ErrorId);
        Assert.Equal(HubErrorCategory.LimitsExceeded, ex.Category);
        Assert.Contains(CheckpointLoadOptions.MaxPickleBytesVariable, ex.RecommendedAction);
    }

    [Fact]
    public void ZipPickleAboveTheConfiguredLimit_IsCheckpointTooLarge_AndBelowItLoads()
    {
        var path = TorchZip(_temp, "lists.pth", NestedListsPickle(1_000));

        var ex = Assert.Throws<HubException>(() => CheckpointReader.Read(path, new CheckpointLoadOptions { MaxPickleBytes = 1_000 }));
        Assert.Equal(HubErrorIds.CheckpointTooLarge, ex.ErrorId);
        Assert.Contains("1,000 bytes", ex.Message);

        Assert.IsType<List<object?>>(CheckpointReader.Read(path, new CheckpointLoadOptions { MaxPickleBytes = 10_000 }));
    }

    [Fact]
    public void LegacyPickleAboveTheConfiguredLimit_IsCheckpointTooLarge()
    {
        var ex = Assert.Throws<HubException>(() =>
            CheckpointReader.Read(TorchFixtures.PathOf("tiny_state_legacy_format.pth"), new CheckpointLoadOptions { MaxPickleBytes = 64 }));
        Assert.Equal(HubErrorIds.CheckpointTooLarge, ex.ErrorId);
        TorchFixtures.AssertTinyState(Assert.IsType<System.Collections.Specialized.OrderedDictionary>(
            CheckpointReader.Read(TorchFixtures.PathOf("tiny_state_legacy_format.pth"), new CheckpointLoadOptions { MaxPickleBytes = 1 << 20 })));
    }
}
