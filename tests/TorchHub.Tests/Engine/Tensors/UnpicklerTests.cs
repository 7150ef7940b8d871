using System.Collections.Generic;
using System.Collections.Specialized;
using System.IO;
using System.Numerics;
using TorchHub.Tensors.Pickle;
using Xunit;

namespace TorchHub.Tests.Engine.Tensors;

/// <summary>The allow-list unpickler on its own, with pickles written by CPython (Fixtures/pickles/make_pickles.py).</summary>
public class UnpicklerTests
{
    private static object? Load(string name)
    {
        using var stream = File.OpenRead(TorchFixtures.PicklePath(name));
        return new Unpickler(stream, _ => throw new PickleFormatException("no persistent ids here")).Load();
    }

    [Theory]
    [InlineData("plain_p2.pkl")]
    [InlineData("plain_p3.pkl")]
    [InlineData("plain_p4.pkl")]
    [InlineData("plain_p5.pkl")]
    public void ReadsPlainValuesInEveryProtocol(string name)
    {
        var value = Assert.IsType<OrderedDictionary>(Load(name));
        Assert.Equal(new object?[] { 1L, 2.5, "x", new object?[] { true, null } }, Assert.IsType<List<object?>>(value["a"]));
        Assert.Equal("xy"u8.ToArray(), Assert.IsType<byte[]>(value["b"]));
        Assert.Equal(BigInteger.Pow(2, 70), Assert.IsType<BigInteger>(value["big"]));
        Assert.Equal(-5L, value["neg"]);
        Assert.Equal(70000L, value["int32"]);
        Assert.Equal(new HashSet<object?> { 1L, 2L }, Assert.IsType<HashSet<object?>>(value["s"]));
        var nested = Assert.IsType<OrderedDictionary>(value["nested"]);
        Assert.Equal(new object?[] { 1L, 2L, 3L, 4L }, nested["t"]);
        Assert.Empty(Assert.IsType<object?[]>(nested["empty"]));
        Assert.Empty(Assert.IsType<List<object?>>(nested["e"]));
        Assert.Equal("h\u00e9", nested["u"]);
    }

    [Theory]
    [InlineData("evil_stack_global_p4.pkl", "posix.system")]
    [InlineData("evil_eval_p2.pkl", "__builtin__.eval")]
    public void RefusesGlobalsOutsideTheAllowList(string name, string global)
    {
        File.Delete(TorchFixtures.PwnedMarker);
        var ex = Assert.Throws<UnsafePickleException>(() => Load(name));
        Assert.Equal(global, ex.Global);
        Assert.False(File.Exists(TorchFixtures.PwnedMarker));
    }

    [Fact]
    public void LengthsBeyondTheEndFailFast()
    {
        // BINUNICODE claiming 2 GB in a 10-byte pickle: refused without allocating.
        var bytes = new byte[] { 0x80, 0x02, (byte)'X', 0xff, 0xff, 0xff, 0x7f, (byte)'a', (byte)'.', 0 };
        Assert.Throws<EndOfStreamException>(() => new Unpickler(new MemoryStream(bytes), _ => null).Load());
    }

    [Fact]
    public void MissingStopIsEndOfStream()
    {
        var bytes = new byte[] { 0x80, 0x02, (byte)'K', 1 };
        Assert.Throws<EndOfStreamException>(() => new Unpickler(new MemoryStream(bytes), _ => null).Load());
    }

    [Fact]
    public void StackUnderflowIsAFormatError()
    {
        var bytes = new byte[] { 0x80, 0x02, (byte)'a', (byte)'.' };
        Assert.Throws<PickleFormatException>(() => new Unpickler(new MemoryStream(bytes), _ => null).Load());
    }
}
