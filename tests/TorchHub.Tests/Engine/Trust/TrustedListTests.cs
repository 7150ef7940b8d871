using System.IO;
using System.Linq;
using System.Threading.Tasks;
using TorchHub.Repositories;
using TorchHub.Tests.Hosting;
using TorchHub.Repositories.Trust;
using Xunit;

namespace TorchHub.Tests.Engine.Trust;

/// <summary>Trust as data through the engine: trusted_list read, added to and removed from, as torch writes it.</summary>
public sealed class TrustedListTests : HubTestBase
{
    private string ListPath => Path.Combine(HubDir, "trusted_list");

    [Fact]
    public void AddAndRemove_KeepTorchsFormat_AndOtherLines()
    {
        Directory.CreateDirectory(HubDir);
        File.WriteAllText(ListPath, "acme_zoo\n  spaced_repo  \nlast_one"); // torch strips lines; no final newline
        var hub = new Hub();

        Assert.True(hub.AddTrustedRepository(RepoSpec.Parse("acme/new:v1")));
        Assert.False(hub.AddTrustedRepository(RepoSpec.Parse("acme/new")));
        Assert.Equal("acme_zoo\n  spaced_repo  \nlast_one\nacme_new\n", File.ReadAllText(ListPath));

        Assert.True(hub.RemoveTrustedRepository("spaced_repo"));
        Assert.False(hub.RemoveTrustedRepository("spaced_repo"));
        Assert.Equal("acme_zoo\nlast_one\nacme_new\n", File.ReadAllText(ListPath));

        var entries = hub.GetTrustedRepositories();
        Assert.Equal(new[] { "acme/zoo", "last/one", "acme/new" }, entries.Select(e => e.Repository));
        Assert.All(entries, e => Assert.Equal(TrustDecision.TrustedList, e.Reason));
        Assert.Empty(Directory.GetFiles(HubDir, "*.tmp"));
    }

    [Fact]
    public void TrustedOwners_AreListedOnlyOnRequest()
    {
        var hub = new Hub();
        Assert.Empty(hub.GetTrustedRepositories());
        var owners = hub.GetTrustedRepositories(includeTrustedOwners: true);
        Assert.Contains(owners, e => e.Repository == "pytorch/*" && e.Key == "pytorch" && e.Reason == TrustDecision.TrustedOwner);
        Assert.Equal(TrustPolicy.TrustedOwners.Length, owners.Count);
    }

    [Fact]
    public void ConcurrentAddsAndRemoves_LoseNoLine()
    {
        var hub = new Hub();
        for (var i = 0; i < 20; i++) hub.AddTrustedRepository(RepoSpec.Parse($"old/r{i}"));

        // Adds of new keys race with removes of old ones; every add must survive every rewrite.
        Parallel.For(0, 40, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            if (i % 2 == 0) Assert.True(hub.AddTrustedRepository(RepoSpec.Parse($"new/r{i}")));
            else Assert.True(hub.RemoveTrustedRepository($"old_r{i / 2}"));
        });

        var lines = File.ReadAllLines(ListPath);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"new_r{i * 2}").OrderBy(x => x), lines.Where(l => l.StartsWith("new_")).OrderBy(x => x));
        Assert.DoesNotContain(lines, l => l.StartsWith("old_"));
        Assert.Equal(20, lines.Length);
    }
}
