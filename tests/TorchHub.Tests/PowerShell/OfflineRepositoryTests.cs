using System.IO;
using System.Linq;
using System.Management.Automation;
using TorchHub.Repositories;
using TorchHub.Tests.Hosting;
using TorchHub.Tests.Servers;
using Xunit;

namespace TorchHub.Tests.PowerShell;

/// <summary>-Offline and TORCHHUB_OFFLINE=1: only the cache, no request at all, clear errors.</summary>
public sealed class OfflineRepositoryTests : GitHubTestBase
{
    public OfflineRepositoryTests(GitHubFixture fixture) : base(fixture) { }

    [Fact]
    public void NothingCached_FailsFast_NamingTheFolder_WithoutARequest()
    {
        using var ps = new PowerShellSession();
        var error = Assert.Single(ps.Run("Save-HubRepository acme/zoo:v1 -Offline -TrustRepo").AllErrors);
        Assert.Equal("OfflineCacheMiss" + Fqid, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceUnavailable, error.CategoryInfo.Category);
        Assert.Contains(CacheFolder("acme_zoo_v1"), error.Exception.Message);
        Assert.Contains("-Offline", error.Exception.Message);
        Assert.Equal(0, Server.TotalRequestCount);
    }

    [Fact]
    public void EnvironmentVariable_IsTheSameAsTheSwitch()
    {
        SetEnvironment("TORCHHUB_OFFLINE", "1");
        using var ps = new PowerShellSession();
        var error = Assert.Single(ps.Run("Save-HubRepository acme/zoo -TrustRepo").AllErrors);
        Assert.Equal("OfflineCacheMiss" + Fqid, error.FullyQualifiedErrorId);
        Assert.Contains("TORCHHUB_OFFLINE", error.Exception.Message);
        Assert.Contains("acme_zoo_main", error.Exception.Message);
        Assert.Equal(0, Server.TotalRequestCount);
    }

    [Fact]
    public void CachedRepositories_AreUsed_WithoutARequest()
    {
        using (var online = new PowerShellSession())
            online.Run("Save-HubRepository acme/zoo:v1 -TrustRepo; Save-HubRepository acme/develop -TrustRepo").ThrowIfFailed();
        Server.ResetCounts();
        SetEnvironment("TORCHHUB_OFFLINE", "1");
        using var ps = new PowerShellSession();
        var repos = ps.Run("Save-HubRepository acme/zoo:v1; Save-HubRepository acme/develop").ThrowIfFailed().Objects<HubRepository>();
        Assert.Equal(new[] { CacheFolder("acme_zoo_v1"), CacheFolder("acme_develop_develop") }, repos.Select(r => r.Directory));
        Assert.All(repos, r => Assert.True(r.FromCache));
        Assert.Equal(0, Server.TotalRequestCount);
    }

    [Theory]
    [InlineData(new[] { "master" }, "master")]
    [InlineData(new[] { "main", "master" }, "main")]
    public void NoRef_UsesACachedMainThenMaster_LikeTorch2(string[] cached, string expected)
    {
        foreach (var branch in cached)
            Directory.CreateDirectory(CacheFolder("acme_zoo_" + branch));
        using var ps = new PowerShellSession();
        var repo = ps.Run("Save-HubRepository acme/zoo -Offline").ThrowIfFailed().Objects<HubRepository>().Single();
        Assert.Equal(CacheFolder("acme_zoo_" + expected), repo.Directory);
        Assert.Equal(expected, repo.Ref);
        Assert.Equal(0, Server.TotalRequestCount);
    }

    [Fact]
    public void ForceOffline_IsAClearError_AndKeepsTheCache()
    {
        Directory.CreateDirectory(CacheFolder("acme_zoo_v1"));
        using var ps = new PowerShellSession();
        var error = Assert.Single(ps.Run("Save-HubRepository acme/zoo:v1 -Offline -Force").AllErrors);
        Assert.Equal("OfflineCacheMiss" + Fqid, error.FullyQualifiedErrorId);
        Assert.Contains("-Force", error.Exception.Message);
        Assert.True(Directory.Exists(CacheFolder("acme_zoo_v1")));
        Assert.Equal(0, Server.TotalRequestCount);
    }
}
