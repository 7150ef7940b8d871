using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.IO;
using System.IO.Compression;
using System.Linq;
using TorchHub.Errors;
using TorchHub.Tensors;
using TorchHub.Tensors.Readers;
using TorchHub.Tests.Hosting;
using Xunit;
using static TorchSharp.torch;

namespace TorchHub.Tests.Engine.Tensors;

public class CheckpointReaderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static object? Read(string fixture) => CheckpointReader.Read(TorchFixtures.PathOf(fixture));

    [Theory]
    [InlineData("tiny_state.pth", nameof(CheckpointFormat.TorchZip))]
    [InlineData("tiny_state_legacy_format.pth", nameof(CheckpointFormat.LegacyPickle))]
    [InlineData("tiny_state_zipped.zip", nameof(CheckpointFormat.HubLegacyZip))]
    [InlineData("tiny_state.safetensors", nameof(CheckpointFormat.Safetensors))]
    public void EveryFormatGivesPyTorchsTinyState(string fixture, string format) // the format by name: the enum is internal, a test method public
    {
        Assert.Equal(Enum.Parse<CheckpointFormat>(format), CheckpointReader.DetectFormat(TorchFixtures.PathOf(fixture)));
        var state = Assert.IsType<OrderedDictionary>(Read(fixture));
        TorchFixtures.AssertTinyState(state);
    }

    [Theory]
    [InlineData("mixed_dtypes.pth")]
    [InlineData("mixed_dtypes.safetensors")]
    public void EveryDtypeShapeAndValueMatchesPyTorch(string fixture)
    {
        var state = Assert.IsType<OrderedDictionary>(Read(fixture));
        var expected = TorchFixtures.Expected.GetProperty("mixed_dtypes");
        var names = expected.EnumerateObject().Select(p => p.Name).ToArray();
        if (fixture.EndsWith(".safetensors", StringComparison.Ordinal))
            names = names.Where(n => n is not ("view_t" or "view_slice" or "empty")).ToArray(); // safetensors has no views; base is kept
        Assert.Equal(names.OrderBy(n => n), state.Keys.Cast<string>().OrderBy(n => n));
        foreach (var name in names)
        {
            var spec = expected.GetProperty(name);
            var tensor = Assert.IsAssignableFrom<Tensor>(state[name]);
            Assert.Equal(TorchFixtures.DTypes[spec.GetProperty("dtype").GetString()!], tensor.dtype);
            Assert.Equal(spec.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()), tensor.shape);
            TorchFixtures.AssertTensor(spec.GetProperty("values"), tensor);
        }
    }

    [Fact]
    public void ViewsShareOneStorageWithPyTorchsStridesAndOffsets()
    {
        var state = Assert.IsType<OrderedDictionary>(Read("mixed_dtypes.pth"));
        var baseTensor = (Tensor)state["base"]!;
        var viewT = (Tensor)state["view_t"]!;
        var viewSlice = (Tensor)state["view_slice"]!;
        Assert.Equal(new long[] { 1, 4 }, viewT.stride());
        Assert.Equal(new long[] { 4, 2 }, viewSlice.stride());
        Assert.Equal(4, viewSlice.storage_offset());
        // One storage, as in PyTorch: writing through the base shows through both views.
        baseTensor[1, 2] = tensor(100f);
        Assert.Equal(100f, viewT[2, 1].item<float>());
        Assert.Equal(100f, viewSlice[0, 1].item<float>());
    }

    [Fact]
    public void ScalarAndEmptyTensors()
    {
        var state = Assert.IsType<OrderedDictionary>(Read("mixed_dtypes.pth"));
        var scalar = (Tensor)state["scalar"]!;
        Assert.Empty(scalar.shape);
        Assert.Equal(3.5f, scalar.item<float>());
        var empty = (Tensor)state["empty"]!;
        Assert.Equal(new long[] { 0, 3 }, empty.shape);
        Assert.Equal(0, empty.numel());
    }

    [Fact]
    public void WholeCheckpointComesBackAsPlainValues()
    {
        var checkpoint = Assert.IsType<OrderedDictionary>(Read("checkpoint_nested.pth"));
        Assert.Equal(7L, checkpoint["epoch"]);
        Assert.Equal("tiny", checkpoint["arch"]);
        Assert.Equal(0.91, checkpoint["best_acc"]);
        Assert.Equal(new object?[] { "a", "b" }, Assert.IsType<List<object?>>(checkpoint["tags"]));
        var nested = Assert.IsType<OrderedDictionary>(checkpoint["nested"]);
        Assert.Equal(0.1, nested["lr"]);
        Assert.Equal(new object?[] { 0.9, 0.999 }, Assert.IsType<object?[]>(nested["betas"]));
        TorchFixtures.AssertTinyState(Assert.IsType<OrderedDictionary>(checkpoint["model"]));
    }

    [Fact]
    public void LargeStoragesAreReadInChunksWithTheSameValues()
    {
        var saved = TensorStorage.ChunkBytes;
        try
        {
            TensorStorage.ChunkBytes = 8; // force the chunked path through views
            EveryDtypeShapeAndValueMatchesPyTorch("mixed_dtypes.pth");
            EveryDtypeShapeAndValueMatchesPyTorch("mixed_dtypes.safetensors");
        }
        finally
        {
            TensorStorage.ChunkBytes = saved;
        }
    }

    [Fact]
    public void ParallelStorageReadsGiveTheSameValues()
    {
        var saved = TorchZipReader.ParallelThreshold;
        try
        {
            TorchZipReader.ParallelThreshold = 0; // read every storage of the small fixtures in parallel
            EveryDtypeShapeAndValueMatchesPyTorch("mixed_dtypes.pth");
            ViewsShareOneStorageWithPyTorchsStridesAndOffsets();
            WholeCheckpointComesBackAsPlainValues();
        }
        finally
        {
            TorchZipReader.ParallelThreshold = saved;
        }
    }

    [Theory]
    [InlineData("malicious.pth")]
    [InlineData("malicious_zip.pth")]
    public void MaliciousPicklesAreRefusedAndNothingRuns(string fixture)
    {
        File.Delete(TorchFixtures.PwnedMarker);
        var ex = Assert.Throws<HubException>(() => Read(fixture));
        Assert.Equal(HubErrorIds.UnsafePickle, ex.ErrorId);
        Assert.Equal(HubErrorCategory.SecurityError, ex.Category);
        Assert.Contains("system", ex.Message);
        Assert.False(File.Exists(TorchFixtures.PwnedMarker));
    }

    [Fact]
    public void MaliciousPickleInsideHubLegacyZipIsRefused()
    {
        var zipPath = _temp.Combine("evil.zip");
        using (var zip = ZipFile.Open(zipPath, ZipArchiveMode.Create))
            zip.CreateEntryFromFile(TorchFixtures.PathOf("malicious_zip.pth"), "model.pth");
        var ex = Assert.Throws<HubException>(() => CheckpointReader.Read(zipPath));
        Assert.Equal(HubErrorIds.UnsafePickle, ex.ErrorId);
        Assert.False(File.Exists(TorchFixtures.PwnedMarker));
    }

    public static IEnumerable<object[]> Truncations() =>
        from fixture in new[] { "tiny_state.pth", "tiny_state_legacy_format.pth", "tiny_state.safetensors", "mixed_dtypes.pth", "checkpoint_nested.pth", "tiny_state_zipped.zip" }
        from fraction in new[] { 0.3, 0.6, 0.95 }
        select new object[] { fixture, fraction };

    [Theory]
    [MemberData(nameof(Truncations))]
    public void TruncatedFilesGiveClearErrors(string fixture, double fraction)
    {
        var bytes = File.ReadAllBytes(TorchFixtures.PathOf(fixture));
        var path = _temp.Combine("cut-" + fixture);
        File.WriteAllBytes(path, bytes[..(int)(bytes.Length * fraction)]);
        var ex = Assert.Throws<HubException>(() => CheckpointReader.Read(path));
        Assert.Contains(ex.ErrorId, new[] { HubErrorIds.CorruptCheckpoint, HubErrorIds.UnsupportedCheckpoint });
        Assert.Equal(HubErrorCategory.InvalidData, ex.Category);
    }

    [Fact]
    public void CorruptPickleOpcodeIsCorruptCheckpoint()
    {
        var bytes = File.ReadAllBytes(TorchFixtures.PathOf("tiny_state_legacy_format.pth"));
        bytes[0x8b] = 0xff; // inside the state dict pickle: an opcode that does not exist
        var path = _temp.Combine("bad-opcode.pth");
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<HubException>(() => CheckpointReader.Read(path));
        Assert.Equal(HubErrorIds.CorruptCheckpoint, ex.ErrorId);
    }

    [Fact]
    public void SafetensorsWithBadOffsetsIsCorrupt()
    {
        var header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,64]}}";
        var path = _temp.Combine("bad.safetensors");
        var h = System.Text.Encoding.UTF8.GetBytes(header);
        File.WriteAllBytes(path, BitConverter.GetBytes((ulong)h.Length).Concat(h).Concat(new byte[16]).ToArray());
        var ex = Assert.Throws<HubException>(() => CheckpointReader.Read(path));
        Assert.Equal(HubErrorIds.CorruptCheckpoint, ex.ErrorId);
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("text")]
    [InlineData("zip")]
    [InlineData("plainpickle")]
    public void NonCheckpointsAreUnsupported(string kind)
    {
        var path = _temp.Combine("not-a-checkpoint." + kind);
        switch (kind)
        {
            case "empty": File.WriteAllBytes(path, Array.Empty<byte>()); break;
            case "text": File.WriteAllText(path, "hello, this is not a model\n"); break;
            case "zip":
                using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
                {
                    zip.CreateEntry("a.txt");
                    zip.CreateEntry("b.txt");
                }
                break;
            case "plainpickle": File.Copy(TorchFixtures.PicklePath("plain_p2.pkl"), path); break;
        }
        var ex = Assert.Throws<HubException>(() => CheckpointReader.Read(path));
        Assert.Equal(HubErrorIds.UnsupportedCheckpoint, ex.ErrorId);
        Assert.Equal(HubErrorCategory.InvalidData, ex.Category);
    }

    [Fact]
    public void MissingFileIsObjectNotFound()
    {
        var ex = Assert.Throws<HubException>(() => CheckpointReader.Read(_temp.Combine("nope.pth")));
        Assert.Equal(HubErrorIds.CheckpointFileNotFound, ex.ErrorId);
        Assert.Equal(HubErrorCategory.ObjectNotFound, ex.Category);
    }

    [Fact]
    public void MapLocationOtherThanCpuIsNotImplemented()
    {
        var ex = Assert.Throws<HubException>(() => CheckpointReader.Read(TorchFixtures.PathOf("tiny_state.pth"), new CheckpointLoadOptions { MapLocation = "cuda:0" }));
        Assert.Equal(HubErrorCategory.NotImplemented, ex.Category);
    }
}
