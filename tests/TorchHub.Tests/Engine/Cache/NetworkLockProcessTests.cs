using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using TorchHub.Cache;
using TorchHub.Tests.Engine.Downloads;
using TorchHub.Tests.Hosting;
using TorchHub.Tests.Servers;
using Xunit;

namespace TorchHub.Tests.Engine.Cache;

/// <summary>
/// The lock-file strategy (TORCHHUB_LOCK=file) across real processes (`TorchHub.Bench fetch`, as in
/// DownloadProcessTests) downloading into one folder from a 127.0.0.1 server that counts requests.
/// A holder "on another machine" is a child in its own pid namespace (unshare): its pid means
/// nothing here, so only its heartbeat's age decides, as for a node of a cluster sharing NFS.
/// </summary>
public sealed class NetworkLockProcessTests : DownloadTestBase
{
    private static Dictionary<string, string> FileLocks(double staleSeconds) => new()
    {
        [LockOptions.StrategyVariable] = "file",
        [LockOptions.StaleAfterVariable] = staleSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static readonly string[] OtherMachine = ["unshare", "--pid", "--fork", "--kill-child"]; // the child dies with unshare

    private string LockOf(string name) => Path.Combine(Checkpoints, CacheLayout.PrivateFolderName, name + ".lock");

    private string PartialOf(string name) => Path.Combine(Checkpoints, CacheLayout.PrivateFolderName, name + ".partial");

    private static string[] Fields(string output) => output.Split(' ');

    private static async Task WaitFor(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }

    private ServedFile Slow(string name, byte[] data)
    {
        var f = Server.Add(name, data);
        f.TrickleBytes = 64 * 1024;
        f.TrickleDelay = TimeSpan.FromMilliseconds(40);
        return f;
    }

    [Fact]
    public async Task EightProcesses_ContendingWithLockFiles_FetchEachResourceOnce()
    {
        var data = new[] { FileServer.RandomBytes(1 << 20, 3), FileServer.RandomBytes(1 << 20, 4) };
        Slow("a.pth", data[0]);
        Slow("b.pth", data[1]);
        var names = new[] { "a.pth", "b.pth" };
        var children = Enumerable.Range(0, 8)
            .Select(i => BenchFetch.Start(Server.Url(names[i % 2]), Path.Combine(Checkpoints, names[i % 2]), FileLocks(30)))
            .ToList();

        // While they run, the lock is a lock file naming its owner (the kernel strategy's file is empty).
        await WaitFor(() => File.Exists(LockOf("a.pth")) && new FileInfo(LockOf("a.pth")).Length > 0, "a.pth's lock file");
        var owner = LockOwner.Parse(File.ReadAllBytes(LockOf("a.pth")));
        Assert.NotNull(owner);
        Assert.Contains(owner!.Pid, children.Select(c => c.Id));

        var results = await Task.WhenAll(children.Select(BenchFetch.Output));
        for (var r = 0; r < 2; r++)
        {
            var mine = results.Where((_, i) => i % 2 == r).ToList();
            Assert.All(mine, o => Assert.StartsWith("OK " + FileServer.Sha256(data[r]), o));
            Assert.Single(mine, o => Fields(o)[3] == "False"); // one downloaded, three waited and reused it
            Assert.Equal(1, Server.RequestCount(names[r]));
            Assert.Equal(data[r], File.ReadAllBytes(Path.Combine(Checkpoints, names[r])));
            Assert.False(File.Exists(LockOf(names[r]))); // released: deleted
        }
        Assert.Empty(Directory.GetFiles(Path.Combine(Checkpoints, CacheLayout.PrivateFolderName), "*.claim"));
    }

    [Fact]
    public async Task AHolderKilledOnThisMachine_IsTakenOverAtOnce_NotAfterTheStaleTime()
    {
        var data = FileServer.RandomBytes(2 << 20, 5);
        var f = Slow("dead.pth", data);
        var dst = Path.Combine(Checkpoints, "dead.pth");
        var env = FileLocks(600); // the age rule would take ten minutes
        using (var holder = BenchFetch.Start(Server.Url("dead.pth"), dst, env))
        {
            await WaitFor(() => File.Exists(PartialOf("dead.pth")) && new FileInfo(PartialOf("dead.pth")).Length >= 256 << 10, "the holder's partial");
            holder.Kill(); // SIGKILL: no release, the lock file stays
            await holder.WaitForExitAsync();
        }
        Assert.True(File.Exists(LockOf("dead.pth")));
        f.TrickleDelay = TimeSpan.Zero;

        var clock = Stopwatch.StartNew();
        var result = await BenchFetch.Output(BenchFetch.Start(Server.Url("dead.pth"), dst, env));
        Assert.StartsWith("OK " + FileServer.Sha256(data), result);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
        Assert.Equal(2, Server.RequestCount("dead.pth")); // the killed one, then one resume
        Assert.StartsWith("bytes=", Server.Requests.Last(r => r.Path == "/dead.pth").Range);
        Assert.Equal(data, File.ReadAllBytes(dst));
    }

    [UnshareFact]
    public async Task AHolderKilledOnAnotherMachine_IsTakenOverAfterTheStaleTime_AndTheFileIsFetchedOnceMore()
    {
        const double stale = 3; // heartbeat every 0.5 s
        var data = FileServer.RandomBytes(4 << 20, 6);
        var f = Slow("killed.pth", data);
        f.TrickleDelay = TimeSpan.FromMilliseconds(100); // about 6 s: it is killed long before it finishes
        var dst = Path.Combine(Checkpoints, "killed.pth");
        var holder = BenchFetch.Start(Server.Url("killed.pth"), dst, FileLocks(stale), OtherMachine);
        await WaitFor(() => File.Exists(PartialOf("killed.pth")) && new FileInfo(PartialOf("killed.pth")).Length >= 256 << 10, "the holder's partial");
        var waiters = Enumerable.Range(0, 3).Select(_ => BenchFetch.Start(Server.Url("killed.pth"), dst, FileLocks(stale))).ToList();
        await Task.Delay(1000); // they see the holder's lock and wait
        Assert.Equal(1, Server.RequestCount("killed.pth"));
        Assert.False(File.Exists(dst));

        holder.Kill(entireProcessTree: true); // SIGKILL
        var killed = Stopwatch.StartNew();
        await holder.WaitForExitAsync();
        f.TrickleDelay = TimeSpan.Zero;
        var finished = waiters.Select(async w => { var o = await BenchFetch.Output(w); return (Output: o, At: killed.Elapsed); }).ToList();
        var results = await Task.WhenAll(finished);

        Assert.All(results, r => Assert.StartsWith("OK " + FileServer.Sha256(data), r.Output));
        Assert.True(results.Count(r => Fields(r.Output)[3] == "False") == 1, string.Join(" | ", results.Select(r => r.Output)));
        var first = results.Min(r => r.At);
        Assert.True(first >= TimeSpan.FromSeconds(stale - 0.5 - 0.3), $"taken over {first} after the kill, before the stale time");
        Assert.True(first < TimeSpan.FromSeconds(stale + 30), $"taken over only {first} after the kill");
        Assert.True(Server.RequestCount("killed.pth") <= 2, $"{Server.RequestCount("killed.pth")} requests"); // at most once more
        Assert.Equal(data, File.ReadAllBytes(dst));
        Assert.False(File.Exists(LockOf("killed.pth")));
    }

    [UnshareFact]
    public async Task TheHeartbeat_KeepsALongHoldFromBeingTakenOver()
    {
        const double stale = 1.5; // the download takes about 6 s: four times the stale time
        var data = FileServer.RandomBytes(4 << 20, 7);
        var f = Slow("long.pth", data);
        f.TrickleDelay = TimeSpan.FromMilliseconds(100);
        var dst = Path.Combine(Checkpoints, "long.pth");
        var holder = BenchFetch.Start(Server.Url("long.pth"), dst, FileLocks(stale), OtherMachine);
        await WaitFor(() => File.Exists(PartialOf("long.pth")), "the holder's partial");
        var waiters = Enumerable.Range(0, 2).Select(_ => BenchFetch.Start(Server.Url("long.pth"), dst, FileLocks(stale))).ToList();
        var results = await Task.WhenAll(new[] { holder }.Concat(waiters).Select(BenchFetch.Output));

        Assert.All(results, r => Assert.StartsWith("OK " + FileServer.Sha256(data), r));
        Assert.Equal("False", Fields(results[0])[3]);
        Assert.All(results.Skip(1), r => Assert.Equal("True", Fields(r)[3])); // they waited it out, never took it over
        Assert.Equal(1, Server.RequestCount("long.pth"));
        Assert.Equal(data, File.ReadAllBytes(dst));
    }
}
