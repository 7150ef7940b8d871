using System;
using System.IO;
using TorchHub.Cache;
using TorchHub.Downloads;
using TorchHub.Errors;
using TorchHub.Repositories;
using TorchHub.Tests.Hosting;
using TorchHub.Tests.Servers;
using Xunit;

namespace TorchHub.Tests.Engine.Cache;

/// <summary>torch's get_dir order, set_dir, and a Hub with its own hub directory beside the process-wide one.</summary>
public sealed class HubDirectoryTests : HubTestBase
{
    [Fact]
    public void Get_FollowsTorchsOrder_SetThenTorchHomeThenXdgThenHome()
    {
        SetEnvironment("TORCH_HOME", Temp.Combine("torch-home"));
        SetEnvironment("XDG_CACHE_HOME", Temp.Combine("xdg"));
        Assert.Equal(new HubDirectoryInfo(HubDir, HubDirectorySource.Set), HubDirectory.Get());

        HubDirectory.Set(null);
        Assert.Equal(new HubDirectoryInfo(Temp.Combine("torch-home", "hub"), HubDirectorySource.TorchHome), HubDirectory.Get());

        SetEnvironment("TORCH_HOME", ""); // empty counts as unset (torch would use a relative "hub")
        Assert.Equal(new HubDirectoryInfo(Temp.Combine("xdg", "torch", "hub"), HubDirectorySource.XdgCacheHome), HubDirectory.Get());

        SetEnvironment("XDG_CACHE_HOME", null);
        SetEnvironment("HOME", Temp.Combine("home"));
        Assert.Equal(new HubDirectoryInfo(Temp.Combine("home", ".cache", "torch", "hub"), HubDirectorySource.Default), HubDirectory.Get());
        Assert.False(Directory.Exists(Temp.Combine("home"))); // resolving creates nothing
    }

    [Fact]
    public void Set_ExpandsTildeAndRefusesEmptyAndFilePaths()
    {
        SetEnvironment("HOME", Temp.Combine("home"));
        Assert.Equal(Temp.Combine("home", "hubs", "a"), HubDirectory.Set("~/hubs/a/").Path);

        var file = Temp.Write("a-file", "x");
        foreach (var bad in new[] { "", "  ", "a\0b", file })
        {
            var ex = Assert.Throws<HubException>(() => HubDirectory.Set(bad));
            Assert.Equal(HubErrorIds.InvalidHubDirectory, ex.ErrorId);
            Assert.Equal(HubErrorCategory.InvalidArgument, ex.Category);
        }
        Assert.Equal(Temp.Combine("home", "hubs", "a"), HubDirectory.Get().Path); // a refused path changes nothing
    }

    [Fact]
    public void AHubWithItsOwnDirectory_LeavesTheProcessWideOneAlone()
    {
        var own = Temp.Combine("own-hub");
        var hub = new Hub(new HubOptions { HubDirectory = own + Path.DirectorySeparatorChar });
        Assert.Equal(new HubDirectoryInfo(own, HubDirectorySource.Options), hub.CacheDirectory);
        Assert.Equal(HubDir, new Hub().CacheDirectory.Path);
        Assert.Equal(HubDir, Hub.GetDir().Path);

        Hub.SetDir(Temp.Combine("elsewhere"));
        Assert.Equal(own, hub.CacheDirectory.Path); // Set-HubDirectory does not move a Hub that has its own
        Assert.Equal(Temp.Combine("elsewhere"), new Hub().CacheDirectory.Path);

        Assert.Equal(Path.Combine(own, "checkpoints", "w.pth"), hub.PlanSave(new SaveFileRequest("https://example.test/w.pth")).Path);
        Directory.CreateDirectory(Path.Combine(own, "acme_zoo_main"));
        Assert.Equal(Path.Combine(own, "acme_zoo_main"), hub.FindCachedRepository(RepoSpec.Parse("acme/zoo"))!.Directory);
        Assert.Null(new Hub().FindCachedRepository(RepoSpec.Parse("acme/zoo")));
    }

    [Fact]
    public void AHubWithAnInvalidDirectory_FailsWhenCreated()
    {
        var ex = Assert.Throws<HubException>(() => new Hub(new HubOptions { HubDirectory = Temp.Write("f", "x") }));
        Assert.Equal(HubErrorIds.InvalidHubDirectory, ex.ErrorId);
    }
}

/// <summary>Fetching from GitHub into a Hub's own directory: the repository, trusted_list and bookkeeping land there only.</summary>
public sealed class OwnHubDirectoryFetchTests : GitHubTestBase
{
    public OwnHubDirectoryFetchTests(GitHubFixture fixture) : base(fixture) { }

    [Fact]
    public void GetRepository_InstallsIntoTheHubsOwnDirectory()
    {
        var own = Temp.Combine("own-hub");
        var hub = new Hub(new HubOptions { HubDirectory = own });
        var repo = hub.GetRepository(RepoSpec.Parse("acme/zoo:v1"), new RepositoryRequest { TrustRepo = true });

        Assert.Equal(Path.Combine(own, "acme_zoo_v1"), repo.Directory);
        Assert.True(File.Exists(Path.Combine(repo.Directory, "hubconf.py")));
        Assert.Contains("acme_zoo", File.ReadAllText(Path.Combine(own, "trusted_list")));
        Assert.Equal(["acme/zoo:v1"], hub.GetRecordedRepositorySpecs());
        Assert.False(Directory.Exists(HubDir)); // the process-wide hub directory was never touched
        Assert.Null(new Hub().FindCachedRepository(RepoSpec.Parse("acme/zoo:v1")));
    }
}
