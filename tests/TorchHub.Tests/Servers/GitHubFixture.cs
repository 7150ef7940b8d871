using System;
using System.IO;
using System.Threading.Tasks;
using TorchHub.Tests.Hosting;
using Xunit;

namespace TorchHub.Tests.Servers;

/// <summary>
/// One GitHub stand-in per test class, over real git repositories made with the git CLI:
/// acme/zoo (main with tags v1 (annotated) and v2, an untagged first commit, branch feature/x,
/// a branch and a tag both named dup, and a fork's commit reachable only through the fork
/// network), acme/develop (default branch 'develop'), acme/many (150 branches), acme/other,
/// acme/evil (for replaced archives), pytorch/tiny (a trusted owner) and secret/vault (private).
/// </summary>
public sealed class GitHubFixture : IAsyncLifetime
{
    public const string PrivateToken = "ghp_TorchHubTestSecret0123456789abcdefXYZ";

    private readonly TempDirectory _temp = new("torchhub-github");

    public GitHubStandIn Server { get; private set; } = null!;
    public GitRepo Zoo { get; private set; } = null!;
    public string ZooFirst { get; private set; } = "";   // untagged, reachable from main
    public string ZooV1 { get; private set; } = "";
    public string ZooV2 { get; private set; } = "";
    public string ZooFeature { get; private set; } = "";
    public string ZooDupBranch { get; private set; } = "";
    public string ForkCommit { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Zoo = new GitRepo(_temp.Combine("acme-zoo"));
        ZooFirst = Zoo.Commit("first", ("README.md", "zoo\n"));
        ZooV1 = Zoo.Commit("v1", ("hubconf.py", "dependencies = []\n\ndef model_v1():\n    \"\"\"Version 1.\"\"\"\n    return 1\n"));
        Zoo.Tag("v1", annotated: true);
        Zoo.Checkout("feature/x", create: true);
        ZooFeature = Zoo.Commit("feature", ("feature.txt", "feature branch\n"));
        Zoo.Checkout("main");
        Zoo.Branch("dup", ZooV1);
        Zoo.Checkout("dup");
        ZooDupBranch = Zoo.Commit("dup branch", ("which.txt", "branch\n"));
        Zoo.Checkout("main");
        Zoo.Tag("dup", ZooV1);
        ZooV2 = Zoo.Commit("v2", ("hubconf.py", "dependencies = []\n\ndef model_v2():\n    \"\"\"Version 2.\"\"\"\n    return 2\n"), ("pkg/util.py", "X = 2\n"));
        Zoo.Tag("v2");

        // A fork with its own commit; GitHub serves it under the parent's name too.
        var fork = new GitRepo(_temp.Combine("mallory-zoo"));
        GitCli.Run(fork.Path, "pull", "-q", Zoo.Path, "main");
        ForkCommit = fork.Commit("evil", ("hubconf.py", "import os\n"));
        Zoo.ShareObjectsOf(fork, "mallory");

        var develop = new GitRepo(_temp.Combine("acme-develop"), "develop");
        develop.Commit("d", ("hubconf.py", "def d():\n    return 'develop'\n"));

        var many = new GitRepo(_temp.Combine("acme-many"));
        many.Commit("m", ("hubconf.py", "def m():\n    return 'many'\n"));
        many.ManyBranches("b", 150);

        var other = new GitRepo(_temp.Combine("acme-other"));
        other.Commit("o", ("hubconf.py", "def o():\n    return 'other'\n"));

        var evil = new GitRepo(_temp.Combine("acme-evil"));
        evil.Commit("e", ("hubconf.py", "def e():\n    return 'evil'\n"));

        var tiny = new GitRepo(_temp.Combine("pytorch-tiny"));
        tiny.Commit("t", ("hubconf.py", "def t():\n    return 'tiny'\n"));

        var vault = new GitRepo(_temp.Combine("secret-vault"));
        vault.Commit("s", ("hubconf.py", "def s():\n    return 'secret'\n"));

        Server = await GitHubStandIn.StartAsync(_temp.Combine("zips"));
        Server.AddRepository("acme", "zoo", Zoo);
        Server.AddRepository("acme", "develop", develop, defaultBranch: "develop");
        Server.AddRepository("acme", "many", many);
        Server.AddRepository("acme", "other", other);
        Server.AddRepository("acme", "evil", evil);
        Server.AddRepository("pytorch", "tiny", tiny);
        Server.AddRepository("secret", "vault", vault, token: PrivateToken);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _temp.Dispose();
    }
}

/// <summary>
/// Base for tests against the stand-in: a fresh hub directory, GITHUB_API_URL/GITHUB_SERVER_URL
/// pointing at the server, no token, short retry delays, faults and counts reset.
/// </summary>
public abstract class GitHubTestBase : HubTestBase, IClassFixture<GitHubFixture>
{
    /// <summary>The tail of Save-HubRepository's fully qualified error ids ("Id" + Fqid).</summary>
    protected const string Fqid = ",TorchHub.PowerShell.Commands.SaveHubRepositoryCommand";

    protected GitHubTestBase(GitHubFixture fixture)
    {
        Fixture = fixture;
        Server = fixture.Server;
        Server.ResetCounts();
        Server.RateLimitApiRequests = Server.FailArchiveRequests = Server.TruncateArchives = Server.StallArchives = 0;
        Server.ArchiveDelay = TimeSpan.Zero;
        Server.ArchiveOverrides.Clear();
        UseGitHubStandIn(Server);
    }

    protected GitHubFixture Fixture { get; }

    protected GitHubStandIn Server { get; }

    protected string CacheFolder(string name) => Path.Combine(HubDir, name);

    /// <summary>Every file under the hub directory (for "nothing left behind" checks).</summary>
    protected string[] HubFiles() => Directory.Exists(HubDir)
        ? Directory.GetFileSystemEntries(HubDir, "*", SearchOption.AllDirectories) : Array.Empty<string>();
}
