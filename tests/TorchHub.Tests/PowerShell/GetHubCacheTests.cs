using System.IO;
using System.Linq;
using TorchHub.Cache;
using TorchHub.Tests.Hosting;
using TorchHub.Tests.Servers;
using Xunit;

namespace TorchHub.Tests.PowerShell;

public sealed class GetHubCacheTests : GitHubTestBase
{
    public GetHubCacheTests(GitHubFixture fixture) : base(fixture) { }

    [Fact]
    public void ListsTorchHubAndTorchFolders_WithoutARequest()
    {
        using var ps = new PowerShellSession();
        ps.Run("Save-HubRepository acme/zoo:feature/x -TrustRepo; Save-HubRepository acme/develop -TrustRepo").ThrowIfFailed();
        Directory.CreateDirectory(CacheFolder("someone_my_repo_main")); // a torch download we know nothing about
        Directory.CreateDirectory(Path.Combine(HubDir, "checkpoints"));
        Server.ResetCounts();

        var entries = ps.Run("Get-HubCache").ThrowIfFailed().Objects<CachedRepository>();
        Assert.Equal(new[] { "acme_develop_develop", "acme_zoo_feature_x", "someone_my_repo_main" }, entries.Select(e => e.FolderName));
        Assert.Equal("acme/zoo", entries[1].Repository);
        Assert.Equal("feature_x", entries[1].FolderRef);
        Assert.Equal("someone", entries[2].Owner);
        Assert.Null(entries[2].Name); // my_repo_main cannot be split without knowing the repository
        Assert.Equal(0, Server.TotalRequestCount);

        var mine = ps.Run("Get-HubCache someone/my_repo").ThrowIfFailed().Objects<CachedRepository>().Single();
        Assert.Equal("main", mine.FolderRef);
        Assert.Equal(CacheFolder("someone_my_repo_main"), mine.Directory);
    }

    [Fact]
    public void EmptyOrMissingHubDirectory_ListsNothing()
    {
        using var ps = new PowerShellSession();
        Assert.Empty(ps.Run("Get-HubCache").ThrowIfFailed().Output);
    }
}
