using System;
using System.IO;
using System.Linq;
using TorchHub.Cache;
using TorchHub.Repositories;
using TorchHub.Tests.Hosting;
using Xunit;

namespace TorchHub.Tests.Engine.Cache;

/// <summary>The cache listing and pruning through the engine, over hand-made hub directories.</summary>
public sealed class CachePrunerTests : HubTestBase
{
    private static readonly DateTime Now = DateTime.UtcNow;

    /// <summary>A file of <paramref name="size"/> bytes, written and last read <paramref name="writtenDaysAgo"/> / <paramref name="usedDaysAgo"/> days ago.</summary>
    private string Make(string relative, int size, int writtenDaysAgo, int usedDaysAgo)
    {
        var path = Path.Combine(HubDir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, new byte[size]);
        File.SetLastWriteTimeUtc(path, Now.AddDays(-writtenDaysAgo));
        File.SetLastAccessTimeUtc(path, Now.AddDays(-usedDaysAgo));
        Directory.SetLastWriteTimeUtc(Path.GetDirectoryName(path)!, Now.AddDays(-writtenDaysAgo));
        return path;
    }

    private void MakeCache()
    {
        Make("acme_zoo_v1/hubconf.py", 1000, writtenDaysAgo: 40, usedDaysAgo: 1);
        Make("acme_zoo_v1/pkg/big.bin", 9000, 40, 40);
        Make("acme_old_main/hubconf.py", 3000, 50, 45);
        Make("checkpoints/resnet-0123abcd.pth", 20000, 10, 2);
        Make("checkpoints/vgg-89abcdef.pth", 5000, 60, 30);
        Make(".torchhub/assemblies/ab12.dll", 700, 5, 5);
        Make(".torchhub/assemblies/ab12.txt", 300, 5, 5);
        Directory.SetLastWriteTimeUtc(Path.Combine(HubDir, "acme_zoo_v1"), Now.AddDays(-40)); // after its subfolder was made
        RepositorySpecIndex.Record(HubDir, RepoSpec.Parse("acme/zoo:v1"));
        RepositorySpecIndex.Record(HubDir, RepoSpec.Parse("acme/old:main"));
    }

    [Fact]
    public void Listing_HasEveryKind_WithSizeAndLastUse()
    {
        MakeCache();
        var entries = new Hub().GetCache();
        Assert.Equal(new[] { "acme_old_main", "acme_zoo_v1", "resnet-0123abcd.pth", "vgg-89abcdef.pth", "ab12.dll" }, entries.Select(e => e.FileName));
        var zoo = Assert.IsType<CachedRepository>(entries[1]);
        Assert.Equal(("acme/zoo", "acme/zoo:v1", "v1", 10000L), (zoo.Repository, zoo.Spec, zoo.Ref, zoo.Size));
        Assert.Equal(Now.AddDays(-1), zoo.LastUseUtc, TimeSpan.FromSeconds(1)); // hubconf.py was read a day ago
        Assert.Equal(1000, entries[4].Size); // the dll with its manifest
        Assert.Equal(CacheEntryKind.Assembly, entries[4].Kind);
        Assert.Equal(new[] { "resnet-0123abcd.pth", "vgg-89abcdef.pth" },
            new Hub().GetCache([CacheEntryKind.Checkpoint]).Select(e => e.FileName));
    }

    [Fact]
    public void MaxSize_RemovesLeastRecentlyUsedFirst_UntilTheBudgetFits()
    {
        MakeCache(); // 39000 bytes in all
        var removed = new Hub().RemoveCache(new CacheRemovalRequest { MaxSize = 25000 });
        // LRU order: acme_old (45 days), vgg (30), ab12 (5): 39000 - 3000 - 5000 - 1000 = 30000 > 25000;
        // resnet (2) -> 10000 fits, so acme_zoo (hubconf.py read yesterday) stays.
        Assert.Equal(new[] { "acme_old_main", "vgg-89abcdef.pth", "ab12.dll", "resnet-0123abcd.pth" }, removed.Select(r => r.FileName));
        Assert.All(removed, r => Assert.Equal(CacheRemovalOutcome.Removed, r.Outcome));
        Assert.Equal(29000, removed.Sum(r => r.FreedBytes));
        Assert.Equal(new[] { "acme_zoo_v1" }, new Hub().GetCache().Select(e => e.FileName));
        Assert.Empty(Directory.GetFiles(Path.Combine(HubDir, ".torchhub", "assemblies")));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(HubDir, ".torchhub", "tmp")));
    }

    [Fact]
    public void AgeAndUseFilters_Combine()
    {
        MakeCache();
        var hub = new Hub();
        var declined = hub.RemoveCache(new CacheRemovalRequest { OlderThan = TimeSpan.FromDays(30) }, _ => false);
        Assert.Equal(new[] { "acme_old_main", "acme_zoo_v1", "vgg-89abcdef.pth" }, declined.Select(r => r.FileName));
        Assert.All(declined, r => Assert.Equal(0, r.FreedBytes));
        Assert.Equal(5, hub.GetCache().Count); // declined: nothing removed

        var removed = hub.RemoveCache(new CacheRemovalRequest { OlderThan = TimeSpan.FromDays(30), UnusedFor = TimeSpan.FromDays(20) });
        Assert.Equal(new[] { "acme_old_main", "vgg-89abcdef.pth" }, removed.Select(r => r.FileName)); // zoo is old but was used yesterday
    }

    [Fact]
    public void ByRepositorySpec_AndNoSelector_IsRefused()
    {
        MakeCache();
        var hub = new Hub();
        var error = Assert.Throws<Errors.HubException>(() => hub.RemoveCache(new CacheRemovalRequest()));
        Assert.Equal("CacheSelectorRequired", error.ErrorId);
        Assert.Empty(hub.RemoveCache(new CacheRemovalRequest { Repository = RepoSpec.Parse("acme/zoo:v2") }));
        Assert.Equal("acme_zoo_v1", hub.RemoveCache(new CacheRemovalRequest { Repository = RepoSpec.Parse("acme/zoo") }).Single().FileName);
        Assert.False(Directory.Exists(Path.Combine(HubDir, "acme_zoo_v1")));
    }

    [Fact]
    public void LockedEntries_AreBusy_AndLeftInPlace()
    {
        MakeCache();
        var layout = new CacheLayout(HubDir);
        // Held through other handles, as a fetching process holds them (flock conflicts per open file).
        using var folderLock = FileLock.TryAcquire(layout.LockFile("acme_zoo_v1"));
        var work = Path.Combine(HubDir, "checkpoints", ".torchhub");
        Directory.CreateDirectory(work);
        using var fileLock = new FileStream(Path.Combine(work, "vgg-89abcdef.pth.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

        var results = new Hub().RemoveCache(new CacheRemovalRequest { Kinds = [CacheEntryKind.Repository, CacheEntryKind.Checkpoint], MaxSize = 0 });
        Assert.Equal(CacheRemovalOutcome.Busy, results.Single(r => r.FileName == "acme_zoo_v1").Outcome);
        Assert.Equal(CacheRemovalOutcome.Busy, results.Single(r => r.FileName == "vgg-89abcdef.pth").Outcome);
        Assert.True(File.Exists(Path.Combine(HubDir, "acme_zoo_v1", "hubconf.py")));
        Assert.True(File.Exists(Path.Combine(HubDir, "checkpoints", "vgg-89abcdef.pth")));
        Assert.Equal(new[] { "acme_old_main", "resnet-0123abcd.pth" }, results.Where(r => r.Outcome == CacheRemovalOutcome.Removed).Select(r => r.FileName).Order());
    }
}
