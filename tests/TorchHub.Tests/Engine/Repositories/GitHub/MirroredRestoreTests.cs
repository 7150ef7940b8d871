using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using TorchHub.Cache;
using TorchHub.Errors;
using TorchHub.Http;
using TorchHub.Tests.Servers;
using Xunit;

namespace TorchHub.Tests.Engine.Repositories.GitHub;

/// <summary>
/// A locked commit names its archive without asking the GitHub API, so a mirror rule for the archive
/// host makes a restore ask only the mirror; the archive's own commit is still checked.
/// </summary>
public sealed class MirroredRestoreTests : GitHubTestBase
{
    public MirroredRestoreTests(GitHubFixture fixture) : base(fixture) { }

    private async Task<byte[]> ArchiveOf(string commit)
    {
        using var client = new HttpClient(); // follows the stand-in's redirect to its archive host
        return await client.GetByteArrayAsync($"{Server.WebUrl}acme/zoo/zipball/{commit}");
    }

    private Hub HubWithMirror(FileServer mirror) => new(new HubOptions
    {
        HubDirectory = HubDir,
        Http = HttpOptions.FromEnvironment(mirrors: [new MirrorRule(Server.WebUrl.AbsoluteUri, mirror.Url("github/"))]),
    });

    [Fact]
    public async Task ALockedRepository_IsRestoredFromTheMirror_WithNoRequestToGitHub()
    {
        await using var mirror = await FileServer.StartAsync();
        mirror.Add($"github/acme/zoo/zipball/{Fixture.ZooV2}", await ArchiveOf(Fixture.ZooV2), "application/zip");
        Server.ResetCounts();

        var restored = HubWithMirror(mirror).Restore(new LockedRepository("acme/zoo:v2", Fixture.ZooV2));

        Assert.Equal(RestoreOutcome.Added, restored.Outcome);
        Assert.True(File.Exists(Path.Combine(CacheFolder("acme_zoo_v2"), "hubconf.py")));
        Assert.Equal(0, Server.TotalRequestCount);
        Assert.Single(mirror.Requests);
        // Present now: the second restore asks nobody.
        Assert.Equal(RestoreOutcome.Present, HubWithMirror(mirror).Restore(new LockedRepository("acme/zoo:v2", Fixture.ZooV2)).Outcome);
        Assert.Single(mirror.Requests);
        Assert.Equal(0, Server.TotalRequestCount);
    }

    [Fact]
    public async Task AMirrorServingAnotherCommit_IsRefused_AndNothingIsInstalled()
    {
        await using var mirror = await FileServer.StartAsync();
        mirror.Add($"github/acme/zoo/zipball/{Fixture.ZooV2}", await ArchiveOf(Fixture.ZooV1), "application/zip");
        Server.ResetCounts();

        var ex = Assert.Throws<HubException>(() => HubWithMirror(mirror).Restore(new LockedRepository("acme/zoo:v2", Fixture.ZooV2)));

        Assert.Equal(HubErrorIds.LockedCommitMismatch, ex.ErrorId);
        Assert.False(Directory.Exists(CacheFolder("acme_zoo_v2")));
        Assert.Equal(0, Server.TotalRequestCount);
        Assert.DoesNotContain(HubFiles(), f => f.EndsWith(".zip") || f.EndsWith(".partial"));
    }
}
