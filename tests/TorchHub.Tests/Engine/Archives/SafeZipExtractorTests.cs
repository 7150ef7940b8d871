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

    [Fact]
    public void FileAndFolderWithOneName_IsAWriteError_AndNoTarget()
    {
        using var temp = new TempDirectory();
        var zip = new ZipBuilder().Add("a", "file").Add("a/b.txt", "inside").Save(temp.Combine("x.zip"));
        var ex = Assert.Throws<HubException>(() => SafeZipExtractor.Extract(zip, temp.Combine("out")));
        Assert.Equal(HubErrorIds.ArchiveExtractionFailed, ex.ErrorId);
        Assert.Equal(HubErrorCategory.WriteError, ex.Category);
        Assert.False(Directory.Exists(temp.Combine("out")));
    }

    [Fact]
    public void ColonInAName_IsAnOrdinaryFileOnUnix_AndRefusedOnWindows()
    {
        using var temp = new TempDirectory();
        var zip = new ZipBuilder().Add("docs/a:b.txt", "ok").Save(temp.Combine("x.zip"));
        if (System.OperatingSystem.IsWindows())
        {
            // On Windows "a:b.txt" names an alternate data stream of "a".
            Assert.Equal(HubErrorIds.UnsafeArchiveEntry, Assert.Throws<HubException>(() => SafeZipExtractor.Extract(zip, temp.Combine("out"))).ErrorId);
            return;
        }
        SafeZipExtractor.Extract(zip, temp.Combine("out"));
        Assert.Equal("ok", File.ReadAllText(temp.Combine("out", "docs", "a:b.txt")));
    }

    private static string Zeros(TempDirectory temp, string name, int megabytes, int entries = 1)
    {
        var path = temp.Combine(name);
        using var zip = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Create);
        var block = new byte[1 << 20];
        for (var e = 0; e < entries; e++)
        {
            using var s = zip.CreateEntry($"top/f{e}.bin", System.IO.Compression.CompressionLevel.SmallestSize).Open();
            for (var i = 0; i < megabytes; i++) s.Write(block);
        }
        return path;
    }

    [Fact]
    public void ExpansionCaps_TotalSize_Ratio_EntryCount_AreEnforced_AndNothingIsLeft()
    {
        using var temp = new TempDirectory();
        var bomb = Zeros(temp, "bomb.zip", 32);
        var size = Assert.Throws<HubException>(() => SafeZipExtractor.Extract(bomb, temp.Combine("a"), limits: new ZipLimits { MaxTotalBytes = 16L << 20 }));
        Assert.Equal(HubErrorIds.ArchiveTooLarge, size.ErrorId);
        Assert.Equal(HubErrorCategory.LimitsExceeded, size.Category);
        Assert.Contains(ZipLimits.MaxSizeVariable, size.Message);
        Assert.False(Directory.Exists(temp.Combine("a")));

        var ratio = Assert.Throws<HubException>(() => SafeZipExtractor.Extract(bomb, temp.Combine("b"), limits: new ZipLimits { RatioFloorBytes = 1 << 20 }));
        Assert.Equal(HubErrorIds.ArchiveTooLarge, ratio.ErrorId);
        Assert.Contains(ZipLimits.MaxRatioVariable, ratio.Message);

        var many = new ZipBuilder();
        for (var i = 0; i < 50; i++) many.Add($"top/{i}.txt", "x");
        var manyZip = many.Save(temp.Combine("many.zip"));
        var count = Assert.Throws<HubException>(() => SafeZipExtractor.Extract(manyZip, temp.Combine("c"), limits: new ZipLimits { MaxEntries = 10 }));
        Assert.Contains(ZipLimits.MaxEntriesVariable, count.Message);

        // The legacy checkpoint path has the same caps (a one-member bomb), and writes nothing.
        var legacy = Assert.Throws<HubException>(() => SafeZipExtractor.TryExpandSingleMember(bomb, temp.Combine("out.pt"), new ZipLimits { MaxTotalBytes = 8L << 20 }));
        Assert.Equal(HubErrorIds.ArchiveTooLarge, legacy.ErrorId);
        Assert.Equal(new[] { "bomb.zip", "many.zip" }, System.Linq.Enumerable.OrderBy(System.Linq.Enumerable.Select(Directory.GetFileSystemEntries(temp.Path), Path.GetFileName), n => n));

        // Raised limits let the rare big archive through.
        SafeZipExtractor.Extract(bomb, temp.Combine("d"), limits: new ZipLimits { MaxRatio = 100_000 });
        Assert.Equal(32L << 20, new FileInfo(temp.Combine("d", "top", "f0.bin")).Length);
    }
}
