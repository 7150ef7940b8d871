using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TorchHub.Downloads;
using TorchHub.Errors;
using TorchHub.Tests.Hosting;
using TorchHub.Tests.Servers;
using Xunit;

namespace TorchHub.Tests.Engine.Downloads;

/// <summary>Issue 12's fault battery, the download part: each finding reproduced, then held.</summary>
public sealed class FaultBatteryTests : DownloadTestBase
{
    [Fact]
    public async Task DestinationThatIsNotARegularFile_IsRefused_BeforeAnyRequest()
    {
        Server.Add("w.pth", new byte[100]);
        var target = Temp.Write("real.pth", "x");
        var link = Temp.Combine("link.pth");
        File.CreateSymbolicLink(link, target);
        var fifo = Temp.Combine("fifo.pth");
        using (var mkfifo = Process.Start("mkfifo", new[] { fifo })!) await mkfifo.WaitForExitAsync();

        foreach (var destination in new[] { link, fifo, "/dev/null" })
        {
            foreach (var force in new[] { false, true })
            {
                var clock = Stopwatch.StartNew();
                var ex = await Fails(Save(Server.Url("w.pth"), destination: destination, hashPrefix: "ab", force: force));
                Assert.Equal(HubErrorIds.DestinationNotRegularFile, ex.ErrorId);
                Assert.Equal(HubErrorCategory.InvalidArgument, ex.Category);
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"{destination}: {clock.Elapsed}"); // a FIFO never blocks
            }
        }
        Assert.Equal(0, Server.RequestCount("w.pth"));
        Assert.Equal("x", File.ReadAllText(target));
        Assert.True(new FileInfo(link).LinkTarget is not null); // the link is still a link
        Assert.True(File.Exists("/dev/null"));
    }

    [Fact]
    public async Task ChangedQueryString_KeepsThePartial_WhenTheServerSaysItIsTheSameFile()
    {
        var data = FileServer.RandomBytes(1 << 20);
        var f = Server.Add("signed.pth", data);
        f.CutAfter = 300_000;
        var first = await Fails(Save(Server.Url("signed.pth") + "?sig=one&exp=1", http: FastHttp with { MaxRetries = 0 }));
        Assert.Equal(HubErrorIds.DownloadIncomplete, first.ErrorId);

        var file = await Save(Server.Url("signed.pth") + "?sig=two&exp=2");
        Assert.True(file.Resumed);
        Assert.True(file.BytesTransferred < data.Length, $"transferred {file.BytesTransferred}");
        Assert.Equal(f.ETag, Server.Requests.Last().IfRange);
        Assert.Equal(data, File.ReadAllBytes(file.Path));
    }

    [Fact]
    public async Task AbandonedPartials_OlderThanADay_AreCleanedOnTheNextRun_YoungOnesStay()
    {
        var work = Path.Combine(Checkpoints, ".torchhub");
        Directory.CreateDirectory(work);
        var old = Path.Combine(work, "old.pth.partial");
        var oldState = Path.Combine(work, "old.pth.partial.json");
        var young = Path.Combine(work, "young.pth.partial");
        foreach (var p in new[] { old, oldState, young }) File.WriteAllText(p, "x");
        File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddDays(-2));
        File.SetLastWriteTimeUtc(oldState, DateTime.UtcNow.AddDays(-2));

        Server.Add("a.pth", new byte[10]);
        await Save(Server.Url("a.pth"));
        Assert.False(File.Exists(old));
        Assert.False(File.Exists(oldState));
        Assert.True(File.Exists(young));
    }

    [Fact]
    public async Task AnAttemptThatBroughtNewBytes_StartsTheRetryBudgetAgain()
    {
        var data = FileServer.RandomBytes(1 << 20);
        var f = Server.Add("flaky.pth", data);
        f.CutAfter = 100_000;
        f.CutTimes = 8; // eight drops, each after new bytes; the budget is two retries
        var file = await Save(Server.Url("flaky.pth"), http: FastHttp with { MaxRetries = 2 });
        Assert.Equal(data, File.ReadAllBytes(file.Path));
        Assert.Equal(9, Server.RequestCount("flaky.pth"));
    }

    [RootFact]
    public async Task FullDisk_DuringASingleStream_FailsPromptly_AsDiskFull_EveryTime_AndIsNotRetried()
    {
        var small = Temp.Combine("small");
        Directory.CreateDirectory(small);
        using (var mount = Process.Start("mount", new[] { "-t", "tmpfs", "-o", "size=1m", "tmpfs", small })!)
        {
            await mount.WaitForExitAsync();
            Assert.True(mount.ExitCode == 0, "mount -t tmpfs failed although running as root");
        }
        try
        {
            Server.Add("big.pth", FileServer.RandomBytes(16 << 20));
            for (var run = 1; run <= 5; run++)
            {
                // The hang was a reader waiting forever on a full queue after the writer died: bound every run.
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                var clock = Stopwatch.StartNew();
                var ex = await Fails(Save(Server.Url("big.pth"), FastOptions with { Parts = 1 }, destination: small + "/", cancellationToken: cts.Token));
                Assert.Equal(HubErrorIds.DiskFull, ex.ErrorId);
                Assert.Equal(HubErrorCategory.WriteError, ex.Category);
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"run {run} took {clock.Elapsed}");
                Assert.Equal(run, Server.RequestCount("big.pth")); // one request per run: a full disk is not retried
            }
            Assert.False(File.Exists(Path.Combine(small, "big.pth")));
        }
        finally
        {
            using var umount = Process.Start("umount", new[] { small })!;
            await umount.WaitForExitAsync();
        }
    }
}
