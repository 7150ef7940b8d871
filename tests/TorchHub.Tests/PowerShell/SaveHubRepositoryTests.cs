using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using TorchHub.Repositories;
using TorchHub.Tests.Hosting;
using TorchHub.Tests.Servers;
using Xunit;

namespace TorchHub.Tests.PowerShell;

/// <summary>Save-HubRepository against the GitHub stand-in: fetch, cache, refs, validation, request counts.</summary>
public sealed class SaveHubRepositoryTests : GitHubTestBase
{
    private const string Fqid = ",TorchHub.PowerShell.Commands.SaveHubRepositoryCommand";

    public SaveHubRepositoryTests(GitHubFixture fixture) : base(fixture) { }

    [Fact]
    public void Tag_IsDownloadedExtractedAndTrusted_ThenServedFromCacheWithoutAnyRequest()
    {
        using var ps = new PowerShellSession();
        var first = ps.Run("Save-HubRepository acme/zoo:v1 -TrustRepo -Verbose").ThrowIfFailed();
        var repo = first.Objects<HubRepository>().Single();
        var folder = CacheFolder("acme_zoo_v1");
        Assert.Equal(folder, repo.Directory);
        Assert.False(repo.FromCache);
        Assert.Equal(Fixture.ZooV1, repo.Commit);
        Assert.Equal("v1", repo.Ref);
        Assert.Contains("def model_v1", File.ReadAllText(Path.Combine(folder, "hubconf.py")));
        Assert.Equal(new[] { "acme_zoo" }, File.ReadAllLines(Path.Combine(HubDir, "trusted_list")));
        Assert.Contains(first.Verbose, v => v.StartsWith("Downloading: \"", StringComparison.Ordinal) && v.Contains("/acme/zoo/zipball/v1"));
        Assert.True(Server.ApiRequestCount > 0);    // validation on a miss
        Assert.Equal(1, Server.ArchiveRequestCount);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(HubDir, ".torchhub", "tmp")));

        Server.ResetCounts();
        var second = ps.Run("Save-HubRepository acme/zoo:v1 -Verbose").ThrowIfFailed();
        var cached = second.Objects<HubRepository>().Single();
        Assert.True(cached.FromCache);
        Assert.Equal(folder, cached.Directory);
        Assert.Contains($"Using cache found in {folder}", second.Verbose);
        Assert.Equal(0, Server.TotalRequestCount);
    }
}
