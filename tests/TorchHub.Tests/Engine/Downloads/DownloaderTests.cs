using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TorchHub.Downloads;
using TorchHub.Errors;
using TorchHub.Http;
using TorchHub.Tests.Servers;
using Xunit;

namespace TorchHub.Tests.Engine.Downloads;

public sealed class DownloaderTests : DownloadTestBase
{
    private const int Size = 1 << 20;

    [Fact]
    public async Task Download_SavesIntoCheckpoints_HashesAndRecordsTheSource()
    {
        var data = FileServer.RandomBytes(Size);
        Server.Add("w/resnet.pth", data);
        var file = await Save(Server.Url("w/resnet.pth"));

        Assert.Equal(Path.Combine(Checkpoints, "resnet.pth"), file.Path);
        Assert.Equal(data, File.ReadAllBytes(file.Path));
        Assert.Equal(FileServer.Sha256(data), file.Sha256);
        Assert.Equal(Size, file.Length);
        Assert.False(file.FromCache);
        AssertOnlyFiles(Checkpoints, "resnet.pth");
        var work = Path.Combine(Checkpoints, ".torchhub");
        Assert.False(File.Exists(Path.Combine(work, "resnet.pth.partial")));
        Assert.Contains(Server.Url("w/resnet.pth"), File.ReadAllText(Path.Combine(work, "resnet.pth.json")));
        Assert.StartsWith("TorchHub/", Server.Requests.Single().UserAgent);
    }

    [Fact]
    public async Task SecondSave_ReusesTheFile_WithoutARequest()
    {
        Server.Add("a.pth", FileServer.RandomBytes(1000));
        await Save(Server.Url("a.pth"));
        var again = await Save(Server.Url("a.pth"));
        Assert.True(again.FromCache);
        Assert.Equal(1, Server.RequestCount("a.pth"));
        var forced = await Save(Server.Url("a.pth"), force: true);
        Assert.False(forced.FromCache);
        Assert.Equal(2, Server.RequestCount("a.pth"));
    }

    [Fact]
    public async Task TwoUrlsWithTheSameBasename_AreRefused_WithAHintAboutFileName()
    {
        Server.Add("v1/model.pth", FileServer.RandomBytes(100, 1));
        Server.Add("v2/model.pth", FileServer.RandomBytes(100, 2));
        await Save(Server.Url("v1/model.pth"));
        var ex = await Fails(Save(Server.Url("v2/model.pth")));
        Assert.Equal(HubErrorIds.CheckpointNameConflict, ex.ErrorId);
        Assert.Equal(HubErrorCategory.ResourceExists, ex.Category);
        Assert.Contains("-FileName", ex.RecommendedAction);
        Assert.Equal(0, Server.RequestCount("v2/model.pth"));

        var other = await Save(Server.Url("v2/model.pth"), fileName: "model-v2.pth");
        Assert.Equal(FileServer.RandomBytes(100, 2), File.ReadAllBytes(other.Path));
        // A different query string is the same file (signed CDN URLs change it every time).
        Assert.True((await Save(Server.Url("v1/model.pth") + "?sig=abc")).FromCache);
    }

    [Fact]
    public async Task HashPrefix_Mismatch_DeletesTheDownload_WithTorchsMessage()
    {
        var data = FileServer.RandomBytes(5000);
        Server.Add("x.pth", data);
        var ex = await Fails(Save(Server.Url("x.pth"), hashPrefix: "deadbeef"));
        Assert.Equal(HubErrorIds.HashMismatch, ex.ErrorId);
        Assert.Equal(HubErrorCategory.InvalidResult, ex.Category);
        Assert.Equal($"invalid hash value (expected \"deadbeef\", got \"{FileServer.Sha256(data)}\")", ex.Message);
        AssertOnlyFiles(Checkpoints);
        Assert.False(File.Exists(Path.Combine(Checkpoints, ".torchhub", "x.pth.partial")));

        var ok = await Save(Server.Url("x.pth"), hashPrefix: FileServer.Sha256(data).ToUpperInvariant());
        Assert.Equal(FileServer.Sha256(data), ok.Sha256);
    }

    [Fact]
    public async Task CheckHash_TakesThePrefixFromTheFileName()
    {
        var data = FileServer.RandomBytes(3000);
        var sha = FileServer.Sha256(data);
        Server.Add($"net-cafe-{sha[..10]}.pth", data);
        var file = await Save(Server.Url($"net-cafe-{sha[..10]}.pth"), checkHash: true);
        Assert.Equal(sha, file.Sha256);

        Server.Add("bad-0123456789.pth", data);
        var ex = await Fails(Save(Server.Url("bad-0123456789.pth"), checkHash: true));
        Assert.Equal(HubErrorIds.HashMismatch, ex.ErrorId);
        AssertOnlyFiles(Checkpoints, $"net-cafe-{sha[..10]}.pth");

        Server.Add("x-.pth", data);
        var none = await Fails(Save(Server.Url("x-.pth"), checkHash: true));
        Assert.Equal(HubErrorIds.NoHashInFileName, none.ErrorId);
        Assert.Equal(0, Server.RequestCount("x-.pth")); // refused before any request
    }

    [Theory]
    [InlineData("resnet18-5c106cde.pth", "5c106cde")]
    [InlineData("net-cafe-5c106cde.pth", "5c106cde")] // torch would take "cafe"
    [InlineData("vit-b-16-c867db91.pth", "c867db91")]
    [InlineData("deadbeef-0123456789abcdef.tar.pth", "0123456789abcdef")]
    public void CheckHashRule_SkipsShortHexWords(string name, string expected) =>
        Assert.Equal(expected, HashRules.PrefixFromFileName(name));

    [Theory]
    [InlineData("x-.pth")]         // torch: empty match, no check at all
    [InlineData("net-cafe.pth")]   // torch: demands a hash starting "cafe"
    [InlineData("model.pth")]
    [InlineData("m-5C106CDE.pth")] // uppercase is not torch's convention either
    public void CheckHashRule_RefusesNamesWithoutARealHash(string name)
    {
        var ex = Assert.Throws<HubException>(() => HashRules.PrefixFromFileName(name));
        Assert.Equal(HubErrorIds.NoHashInFileName, ex.ErrorId);
        Assert.Equal(HubErrorCategory.InvalidArgument, ex.Category);
    }

    [Theory]
    [InlineData("xyz")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123456789")]
    public void HashPrefix_MustBeHex(string prefix) =>
        Assert.Equal(HubErrorIds.InvalidHashPrefix, Assert.Throws<HubException>(() => HashRules.NormalizePrefix(prefix)).ErrorId);

    [Fact]
    public async Task TruncatedBody_IsResumedWithRangeAndIfRange()
    {
        var data = FileServer.RandomBytes(Size);
        var f = Server.Add("t.bin", data);
        f.CutAfter = 300_000;
        var file = await Save(Server.Url("t.bin"));
        Assert.Equal(data, File.ReadAllBytes(file.Path));
        var second = Server.Requests.Where(r => r.Path == "/t.bin").ElementAt(1);
        Assert.True(second.Range.StartsWith("bytes=", StringComparison.Ordinal), string.Join(" | ", Server.Requests.Select(r => r.Range + "/" + r.IfRange)));
        Assert.NotEqual("bytes=0-", second.Range);
        Assert.Equal(f.ETag, second.IfRange);
        Assert.True(file.BytesTransferred < Size + 200_000, $"transferred {file.BytesTransferred}");
        Assert.Equal(FileServer.Sha256(data), file.Sha256);
    }

    [Fact]
    public async Task ConnectionReset_MidBody_IsRetried()
    {
        var data = FileServer.RandomBytes(Size);
        var f = Server.Add("r.bin", data);
        f.CutAfter = 500_000;
        f.CutMode = CutMode.Reset;
        f.CutTimes = 2;
        var file = await Save(Server.Url("r.bin"), hashPrefix: FileServer.Sha256(data)[..8]);
        Assert.Equal(data, File.ReadAllBytes(file.Path));
        Assert.True(Server.RequestCount("r.bin") >= 3);
    }

    [Fact]
    public async Task ServerErrors_AreRetried_ThenReported()
    {
        var data = FileServer.RandomBytes(2000);
        var f = Server.Add("e.bin", data);
        f.FailFirst = 2;
        f.FailStatus = 503;
        Assert.Equal(data, File.ReadAllBytes((await Save(Server.Url("e.bin"))).Path));

        var g = Server.Add("always.bin", data);
        g.FailFirst = 1000;
        var ex = await Fails(Save(Server.Url("always.bin")));
        Assert.Equal(HubErrorIds.DownloadHttpError, ex.ErrorId);
        Assert.Equal(HubErrorCategory.ResourceUnavailable, ex.Category);
        Assert.Equal(5, Server.RequestCount("always.bin")); // 1 + 4 retries
        AssertOnlyFiles(Checkpoints, "e.bin");
    }

    [Fact]
    public async Task ServerIgnoringRange_RestartsCleanly()
    {
        var data = FileServer.RandomBytes(Size);
        var f = Server.Add("i.bin", data);
        f.CutAfter = 400_000;
        f.IgnoreRange = true;
        var file = await Save(Server.Url("i.bin"));
        Assert.Equal(data, File.ReadAllBytes(file.Path));
        Assert.Equal(FileServer.Sha256(data), file.Sha256);
    }

    [Fact]
    public async Task FileChangingBetweenAttempts_IsNotSpliced()
    {
        var f = Server.Add("c.bin", FileServer.RandomBytes(Size, 7));
        f.CutAfter = 400_000;
        f.ChangeOnRequest = 2; // the retry meets a new version (new ETag): If-Range makes the server send it whole
        var file = await Save(Server.Url("c.bin"));
        Assert.Equal(f.Content, File.ReadAllBytes(file.Path));
        Assert.Equal(FileServer.Sha256(f.Content), file.Sha256);
    }

    [Fact]
    public async Task Stall_IsDetected_AndRetried()
    {
        var data = FileServer.RandomBytes(Size);
        var f = Server.Add("s.bin", data);
        f.CutAfter = 200_000;
        f.CutMode = CutMode.Stall;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var file = await Save(Server.Url("s.bin"));
        Assert.Equal(data, File.ReadAllBytes(file.Path));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task SlowTrickle_FasterThanTheStallTimeout_Completes()
    {
        var data = FileServer.RandomBytes(20_000);
        var f = Server.Add("slow.bin", data);
        f.TrickleBytes = 2000;
        f.TrickleDelay = TimeSpan.FromMilliseconds(100);
        var file = await Save(Server.Url("slow.bin"));
        Assert.Equal(data, File.ReadAllBytes(file.Path));
        Assert.Equal(1, Server.RequestCount("slow.bin"));
    }

    [Fact]
    public async Task LyingContentLength_IsAClearError_AndNothingIsAtTheDestination()
    {
        var f = Server.Add("lie.bin", FileServer.RandomBytes(5000));
        f.LieLength = true;
        var ex = await Fails(Save(Server.Url("lie.bin")));
        Assert.True(ex.ErrorId == HubErrorIds.DownloadIncomplete, ex.ErrorId + ": " + ex.Message + " / " + ex.InnerException?.InnerException?.GetType());
        Assert.Equal(HubErrorCategory.InvalidData, ex.Category);
        AssertOnlyFiles(Checkpoints);
    }

    [Fact]
    public async Task AlwaysTruncated_IsDownloadIncomplete_WithAResumablePartial()
    {
        var f = Server.Add("trunc.bin", FileServer.RandomBytes(Size));
        f.CutAfter = 100;
        f.CutTimes = -1;
        f.IgnoreRange = true;
        var ex = await Fails(Save(Server.Url("trunc.bin")));
        Assert.Equal(HubErrorIds.DownloadIncomplete, ex.ErrorId);
        AssertOnlyFiles(Checkpoints);
    }

    [Fact]
    public async Task NotFound_And_HtmlPages_AreClearErrors()
    {
        var nf = await Fails(Save(Server.Url("missing.pth")));
        Assert.Equal(HubErrorIds.DownloadNotFound, nf.ErrorId);
        Assert.Equal(HubErrorCategory.ObjectNotFound, nf.Category);
        Assert.Equal(1, Server.RequestCount("missing.pth")); // not retried

        Server.Add("blob/main/resnet.pth", "<html><body>GitHub</body></html>"u8.ToArray(), "text/html; charset=utf-8");
        var html = await Fails(Save(Server.Url("blob/main/resnet.pth")));
        Assert.Equal(HubErrorIds.UnexpectedHtmlResponse, html.ErrorId);
        Assert.Equal(HubErrorCategory.InvalidData, html.Category);
        Assert.Contains("raw", html.RecommendedAction);
        AssertOnlyFiles(Checkpoints);
    }

    [Theory]
    [InlineData("not a url", HubErrorIds.InvalidUri)]
    [InlineData("relative/path.pth", HubErrorIds.InvalidUri)]
    [InlineData("ftp://example.com/a.pth", HubErrorIds.UnsupportedUriScheme)]
    [InlineData("file:///etc/passwd", HubErrorIds.UnsupportedUriScheme)]
    [InlineData("http://127.0.0.1:1/folder/", HubErrorIds.InvalidFileName)]
    public async Task BadUris_AreRefusedBeforeAnyRequest(string uri, string id)
    {
        var ex = await Fails(Save(uri));
        Assert.Equal(id, ex.ErrorId);
        Assert.Equal(HubErrorCategory.InvalidArgument, ex.Category);
        Assert.False(Directory.Exists(Checkpoints));
    }

    [Fact]
    public async Task DestinationProblems_AreClearErrors()
    {
        Server.Add("d.pth", FileServer.RandomBytes(100));
        Directory.CreateDirectory(Path.Combine(Checkpoints, "d.pth"));
        var dir = await Fails(Save(Server.Url("d.pth")));
        Assert.Equal(HubErrorIds.DestinationIsDirectory, dir.ErrorId);

        var blocker = Temp.Write("afile", "x");
        var nw = await Fails(Save(Server.Url("d.pth"), destination: Path.Combine(blocker, "sub", "d.pth")));
        Assert.Equal(HubErrorIds.DestinationNotWritable, nw.ErrorId);
        Assert.Equal(0, Server.RequestCount("d.pth"));
    }

    [Fact]
    public async Task Redirects_AreFollowed_AndTheTokenGoesOnlyToGitHubHosts()
    {
        await using var cdn = await FileServer.StartAsync("127.0.0.2"); // another host name on loopback
        var data = FileServer.RandomBytes(4000);
        cdn.Add("asset/w.pth", data);
        Server.Redirect("releases/download/v1/w.pth", cdn.Url("asset/w.pth"));
        SetEnvironment("GITHUB_TOKEN", "secret-token");
        SetEnvironment("GITHUB_SERVER_URL", Server.BaseUrl); // 127.0.0.1 plays github.com

        var file = await Save(Server.Url("releases/download/v1/w.pth"));
        Assert.Equal(data, File.ReadAllBytes(file.Path));
        Assert.Equal("Bearer secret-token", Server.Requests.Single().Authorization);
        Assert.Equal("", cdn.Requests.Single().Authorization);

        SetEnvironment("GITHUB_SERVER_URL", null);
        await Save(Server.Url("releases/download/v1/w.pth"), force: true);
        Assert.Equal("", Server.Requests.Last().Authorization); // 127.0.0.1 is not a GitHub host by default
    }

    [Fact]
    public async Task ParallelRanges_AssembleAndHashCorrectly()
    {
        var data = FileServer.RandomBytes(Size + 12345);
        Server.Add("p.bin", data);
        var file = await Save(Server.Url("p.bin"), ParallelOptions, hashPrefix: FileServer.Sha256(data));
        Assert.Equal(data, File.ReadAllBytes(file.Path));
        var ranges = Server.Requests.Where(r => r.Path == "/p.bin").Select(r => r.Range).ToList();
        Assert.Equal(17, ranges.Count); // 1 probe (chunk 0) + 16 chunks of 64 KiB
        Assert.All(ranges, r => Assert.Matches(@"^bytes=\d+-\d+$", r));
    }

    [Fact]
    public async Task ParallelRanges_SurviveResetsAndAChangedFile()
    {
        var f = Server.Add("pr.bin", FileServer.RandomBytes(Size, 3));
        f.CutAfter = 10_000;
        f.CutMode = CutMode.Reset;
        f.CutTimes = 3;
        var file = await Save(Server.Url("pr.bin"), ParallelOptions);
        Assert.Equal(f.Content, File.ReadAllBytes(file.Path));

        var g = Server.Add("pc.bin", FileServer.RandomBytes(Size, 4));
        g.ChangeOnRequest = 5;
        var changed = await Save(Server.Url("pc.bin"), ParallelOptions);
        Assert.Equal(g.Content, File.ReadAllBytes(changed.Path));
        Assert.Equal(FileServer.Sha256(g.Content), changed.Sha256);
    }

    [Fact]
    public async Task SlowSingleStream_SwitchesToParallelRanges_ForTheRest()
    {
        var data = FileServer.RandomBytes(3 << 20, 9);
        var f = Server.Add("capped.bin", data);
        f.TrickleBytes = 32 * 1024;
        f.TrickleDelay = TimeSpan.FromMilliseconds(20); // about 1.5 MiB/s per connection
        var options = FastOptions with
        {
            Parts = 0, AdaptiveParts = 4, AdaptiveAfter = TimeSpan.FromMilliseconds(300),
            AdaptiveBelowBytesPerSecond = 50 << 20, ParallelThreshold = 256 * 1024, ChunkSize = 256 * 1024,
        };
        var file = await Save(Server.Url("capped.bin"), options, hashPrefix: FileServer.Sha256(data));
        Assert.Equal(data, File.ReadAllBytes(file.Path));
        var ranges = Server.Requests.Where(r => r.Path == "/capped.bin").Select(r => r.Range).ToList();
        Assert.Equal("", ranges[0]); // started as one plain stream
        Assert.True(ranges.Skip(1).Count() >= 4, string.Join(", ", ranges));
        Assert.All(ranges.Skip(1), r => Assert.Matches(@"^bytes=\d+-\d+$", r));
        Assert.True(file.BytesTransferred <= data.Length, $"transferred {file.BytesTransferred}");
    }

    [Fact]
    public async Task Cancellation_LeavesAResumablePartial_NeverADestination()
    {
        var data = FileServer.RandomBytes(Size);
        var f = Server.Add("slow.pth", data);
        f.TrickleBytes = 16 * 1024;
        f.TrickleDelay = TimeSpan.FromMilliseconds(20);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(600));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Save(Server.Url("slow.pth"), cancellationToken: cts.Token));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"cancel took {clock.Elapsed}");
        AssertOnlyFiles(Checkpoints);
        var partial = Path.Combine(Checkpoints, ".torchhub", "slow.pth.partial");
        Assert.True(new FileInfo(partial).Length > 0);

        f.TrickleDelay = TimeSpan.Zero;
        var file = await Save(Server.Url("slow.pth"));
        Assert.True(file.Resumed);
        Assert.Equal(data, File.ReadAllBytes(file.Path));
        Assert.True(file.BytesTransferred < Size, $"transferred {file.BytesTransferred}");
    }

    [Fact]
    public async Task FacadeMethods_FollowTorchSemantics()
    {
        var data = FileServer.RandomBytes(4096);
        Server.Add("f/resnet-abc.pth", data);
        var hub = NewHub();
        var dst = Temp.Combine("out.bin");
        hub.DownloadUrlToFile(Server.Url("f/resnet-abc.pth"), dst, FileServer.Sha256(data)[..6]);
        hub.DownloadUrlToFile(Server.Url("f/resnet-abc.pth"), dst); // download_url_to_file always downloads
        Assert.Equal(2, Server.RequestCount("f/resnet-abc.pth"));
        Assert.Equal(data, File.ReadAllBytes(dst));

        var path = hub.GetCheckpoint(Server.Url("f/resnet-abc.pth")).Path;
        Assert.Equal(Path.Combine(Checkpoints, "resnet-abc.pth"), path);
        Assert.Equal(path, hub.GetCheckpoint(Server.Url("f/resnet-abc.pth")).Path);
        Assert.Equal(3, Server.RequestCount("f/resnet-abc.pth"));
        var named = hub.GetCheckpoint(Server.Url("f/resnet-abc.pth"), modelDir: Temp.Combine("models"), fileName: "r.pth").Path;
        Assert.Equal(Temp.Combine("models", "r.pth"), named);
    }

    [Fact]
    public async Task LegacyZipCheckpoint_IsExpanded_AndUnsafeOnesAreRefused()
    {
        var inner = FileServer.RandomBytes(5000);
        Server.Add("old.zip", Zip(("weights.pt", inner)));
        var path = NewHub().GetCheckpoint(Server.Url("old.zip")).Path;
        Assert.Equal(Path.Combine(Checkpoints, "weights.pt"), path);
        Assert.Equal(inner, File.ReadAllBytes(path));

        Server.Add("evil.zip", Zip(("../../escape.pt", inner)));
        var ex = await Fails(NewHub().GetCheckpointAsync(Server.Url("evil.zip")));
        Assert.Equal(HubErrorIds.UnsafeArchiveEntry, ex.ErrorId); // the one zip extractor's rule, as for repository archives
        Assert.False(File.Exists(Path.Combine(HubDir, "escape.pt")));
        Assert.False(File.Exists(Path.Combine(Temp.Path, "escape.pt")));

        // Two members (torch.save's own zip format) stay as they are.
        Server.Add("modern.pth", Zip(("a/data.pkl", inner), ("a/version", "3"u8.ToArray())));
        Assert.Equal(Path.Combine(Checkpoints, "modern.pth"), NewHub().GetCheckpoint(Server.Url("modern.pth")).Path);
    }

    internal static byte[] Zip(params (string Name, byte[] Data)[] entries)
    {
        using var ms = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(ms, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, data) in entries)
            {
                using var s = zip.CreateEntry(name).Open();
                s.Write(data);
            }
        }
        return ms.ToArray();
    }
}
