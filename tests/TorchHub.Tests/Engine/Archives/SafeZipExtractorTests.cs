using System.IO;
using TorchHub.Archives;
using TorchHub.Errors;
using TorchHub.Tests.Hosting;
using TorchHub.Tests.Servers;
using Xunit;

namespace TorchHub.Tests.Engine.Archives;

/// <summary>The general API the downloads and tensors rooms reuse (legacy zip checkpoints).</summary>
public sealed class SafeZipExtractorTests
{
    [Fact]
    public void ExtractsAsIs_OrWithoutTheTopFolder()
    {
        using var temp = new TempDirectory();
        var zip = new ZipBuilder().Add("top/a.txt", "A").Add("top/sub/b.txt", "B").Save(temp.Combine("x.zip"));

        Assert.Null(SafeZipExtractor.Extract(zip, temp.Combine("plain")));
        Assert.Equal("A", File.ReadAllText(temp.Combine("plain", "top", "a.txt")));

        var reported = 0;
        Assert.Equal("top", SafeZipExtractor.Extract(zip, temp.Combine("stripped"), stripTopFolder: true, progress: (done, total) => reported = total));
        Assert.Equal("B", File.ReadAllText(temp.Combine("stripped", "sub", "b.txt")));
        Assert.Equal(2, reported);
    }

    [Fact]
    public void SingleFileCheckpoint_Extracts()
    {
        using var temp = new TempDirectory();
        var zip = new ZipBuilder().Add("model.pth", "weights").Save(temp.Combine("legacy.zip"));
        SafeZipExtractor.Extract(zip, temp.Combine("out"));
        Assert.Equal("weights", File.ReadAllText(temp.Combine("out", "model.pth")));
    }

    [Theory]
    [InlineData("../x.txt")]
    [InlineData("a/../../x.txt")]
    [InlineData("a\\..\\..\\x.txt")]
    [InlineData("/etc/x.txt")]
    [InlineData("\\\\server\\share\\x.txt")]
    [InlineData("D:x.txt")]
    public void UnsafeNames_AreRefused_BeforeAnythingIsWritten(string name)
    {
        using var temp = new TempDirectory();
        var zip = new ZipBuilder().Add("good.txt", "ok").Add(name, "bad").Save(temp.Combine("x.zip"));
        var ex = Assert.Throws<HubException>(() => SafeZipExtractor.Extract(zip, temp.Combine("out")));
        Assert.Equal(HubErrorIds.UnsafeArchiveEntry, ex.ErrorId);
        Assert.Equal(HubErrorCategory.SecurityError, ex.Category);
        Assert.False(Directory.Exists(temp.Combine("out")));
        Assert.False(File.Exists(temp.Combine("x.txt")));
    }

    [Fact]
    public void Symlink_IsRefused()
    {
        using var temp = new TempDirectory();
        var zip = new ZipBuilder().Add("link", "/etc/passwd", unixMode: 0xA1FF).Save(temp.Combine("x.zip"));
        var ex = Assert.Throws<HubException>(() => SafeZipExtractor.Extract(zip, temp.Combine("out")));
        Assert.Contains("symbolic link", ex.Message);
    }

    [Fact]
    public void SeveralTopFolders_WhenStripping_IsInvalidData()
    {
        using var temp = new TempDirectory();
        var zip = new ZipBuilder().Add("a/x.txt", "1").Add("b/y.txt", "2").Save(temp.Combine("x.zip"));
        var ex = Assert.Throws<HubException>(() => SafeZipExtractor.Extract(zip, temp.Combine("out"), stripTopFolder: true));
        Assert.Equal(HubErrorIds.ArchiveCorrupt, ex.ErrorId);
        Assert.False(Directory.Exists(temp.Combine("out")));
    }

    [Fact]
    public void EmptyFileOrGarbage_IsCorrupt()
    {
        using var temp = new TempDirectory();
        var empty = temp.Write("empty.zip", "");
        var ex = Assert.Throws<HubException>(() => SafeZipExtractor.Extract(empty, temp.Combine("out")));
        Assert.Equal(HubErrorIds.ArchiveCorrupt, ex.ErrorId);
        Assert.Equal(HubErrorCategory.InvalidData, ex.Category);
    }
}
