using System.IO;
using System.Linq;
using TorchHub.Cache;
using TorchHub.Repositories;
using TorchHub.Tests.Hosting;
using Xunit;

namespace TorchHub.Tests.Engine.Cache;

/// <summary>The hub directory's names and what the engine reads from the cache without a request.</summary>
public sealed class CacheLayoutTests : HubTestBase
{
    private string Folder(string name) => Directory.CreateDirectory(Path.Combine(HubDir, name)).FullName;

    [Fact]
    public void NamesTorchsFilesAndKeepsTorchHubsOwnInOneHiddenFolder()
    {
        var layout = new CacheLayout(HubDir);
        Assert.Equal(Path.Combine(HubDir, "checkpoints"), layout.CheckpointsFolder);
        Assert.Equal(Path.Combine(HubDir, "trusted_list"), layout.TrustedListFile);
        Assert.Equal(Path.Combine(HubDir, "acme_zoo_release_2"), layout.RepositoryFolder(RepoSpec.Parse("acme/zoo"), "release/2"));
        foreach (var own in new[] { layout.SpecIndexFile, layout.CompiledAssembliesFolder, layout.DefaultBranchFolder, layout.TempFolder, layout.LockFile("acme_zoo_main") })
            Assert.StartsWith(Path.Combine(HubDir, ".torchhub") + Path.DirectorySeparatorChar, own);
        Assert.Equal(Path.Combine(Temp.Path, "w", ".torchhub"), CacheLayout.PrivateFolderBeside(Path.Combine(Temp.Path, "w", "a.pth")));
        Assert.False(CacheLayout.MayBeRepositoryFolder("checkpoints"));
        Assert.False(CacheLayout.MayBeRepositoryFolder(".torchhub"));
        Assert.True(CacheLayout.MayBeRepositoryFolder("acme_zoo_main"));
    }

    [Fact]
    public void FindCachedRepository_WithoutRef_PrefersTheRememberedDefaultBranch_ThenMain_ThenMaster()
    {
        var hub = new Hub();
        var spec = RepoSpec.Parse("acme/zoo");
        Assert.Null(hub.FindCachedRepository(spec));

        var master = Folder("acme_zoo_master");
        Assert.Equal(master, hub.FindCachedRepository(spec)!.Directory);
        Assert.Equal("master", hub.FindCachedRepository(spec)!.Spec!.Ref);

        var main = Folder("acme_zoo_main");
        Assert.Equal(main, hub.FindCachedRepository(spec)!.Directory);

        new CacheLayout(HubDir).WriteDefaultBranch(spec, "develop");
        Assert.Equal(main, hub.FindCachedRepository(spec)!.Directory); // remembered but not cached: not used
        var develop = Folder("acme_zoo_develop");
        var found = hub.FindCachedRepository(spec)!;
        Assert.Equal(develop, found.Directory);
        Assert.Equal("acme/zoo:develop", found.Spec!.ToString());
        Assert.True(found.FromCache);
    }

    [Fact]
    public void FindCachedRepository_WithRef_UsesThatFolderOnly()
    {
        var hub = new Hub();
        Folder("acme_zoo_main");
        Assert.Null(hub.FindCachedRepository(RepoSpec.Parse("acme/zoo:v1")));
        var v1 = Folder("acme_zoo_v1");
        Assert.Equal(v1, hub.FindCachedRepository(RepoSpec.Parse("acme/zoo:v1"))!.Directory);
        Assert.False(Directory.Exists(Path.Combine(HubDir, ".torchhub"))); // reading writes nothing
    }

    [Fact]
    public void CachedRepositories_SkipCheckpointsAndHiddenFolders_AndSplitKnownNames()
    {
        Folder("acme_my_zoo_v1");
        Folder("someone_x_main");
        Folder("checkpoints");
        Folder(".torchhub");
        File.WriteAllText(Path.Combine(HubDir, "trusted_list"), "acme_my_zoo\n");

        var hub = new Hub();
        var all = hub.GetCachedRepositories();
        Assert.Equal(["acme_my_zoo_v1", "someone_x_main"], all.Select(r => r.FolderName));
        Assert.Equal("acme/my_zoo", all[0].Repository);
        Assert.Equal("v1", all[0].FolderRef);
        Assert.Null(all[1].Name);
        Assert.Equal(["someone_x_main"], hub.GetCachedRepositories(RepoSpec.Parse("someone/x")).Select(r => r.FolderName));
        Assert.Equal(["acme/my_zoo"], hub.GetTrustedRepositorySpecs());
    }

    [Fact]
    public void RecordedSpecs_AreReadFromTheHubsOwnDirectory()
    {
        var hub = new Hub();
        Assert.Empty(hub.GetRecordedRepositorySpecs());
        RepositorySpecIndex.Record(HubDir, RepoSpec.Parse("acme/zoo:v1"));
        Assert.Equal(["acme/zoo:v1"], hub.GetRecordedRepositorySpecs());
        Assert.Equal(new CacheLayout(HubDir).SpecIndexFile, RepositorySpecIndex.PathIn(HubDir));
    }
}
