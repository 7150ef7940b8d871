using System.IO;
using System.Linq;
using TorchHub.Repositories;
using TorchHub.Tests.Hosting;
using TorchHub.Tests.Servers;
using Xunit;

namespace TorchHub.Tests.Interop;

/// <summary>
/// The cache is shared with PyTorch, both ways, checked with the real torch.hub 1.13. torch 1.13
/// hardcodes github.com, so the scripts monkeypatch <c>torch.hub._git_archive_link</c> to the
/// stand-in (and skip torch's validation, which would call api.github.com).
/// </summary>
public sealed class TorchHubCacheInteropTests : GitHubTestBase
{
    public TorchHubCacheInteropTests(GitHubFixture fixture) : base(fixture) { }

    [TorchFact]
    public void TorchHubList_ReadsACacheTorchHubWrote_WithoutNetworkOrPrompt()
    {
        using (var ps = new PowerShellSession())
            ps.Run("Save-HubRepository acme/zoo:v2 -TrustRepo").ThrowIfFailed();
        Server.ResetCounts();

        // trust_repo='check' would call input() if the repo were untrusted: stdin is empty, so it would fail.
        var (code, output) = TorchPython.Run(
            $"import torch.hub as h; h.set_dir({TorchPython.Quote(HubDir)}); print(h.list('acme/zoo:v2', trust_repo='check'))");
        Assert.True(code == 0, output);
        Assert.Contains("['model_v2']", output);
        Assert.Contains("Using cache found in " + CacheFolder("acme_zoo_v2"), output);
        Assert.Equal(0, Server.TotalRequestCount);
    }

    [TorchFact]
    public void TorchHub_UsesACacheTorchWrote_OfflineAndWithoutAsking()
    {
        var script = string.Join("\n",
            "import torch.hub as h",
            $"h.set_dir({TorchPython.Quote(HubDir)})",
            $"h._git_archive_link = lambda o, r, b: {TorchPython.Quote(Server.WebUrl.ToString())} + o + '/' + r + '/zipball/' + b",
            "print(h.list('acme/other:main', trust_repo=True, skip_validation=True))");
        var (code, output) = TorchPython.Run(script);
        Assert.True(code == 0, output);
        Assert.Contains("['o']", output);
        Assert.Contains("acme_other", File.ReadAllLines(Path.Combine(HubDir, "trusted_list")));
        Server.ResetCounts();

        using var ps = new PowerShellSession(); // non-interactive: trusted through torch's trusted_list entry
        var repo = ps.Run("Save-HubRepository acme/other:main -Offline").ThrowIfFailed().Objects<HubRepository>().Single();
        Assert.True(repo.FromCache);
        Assert.Equal(CacheFolder("acme_other_main"), repo.Directory);
        Assert.Contains("return 'other'", File.ReadAllText(Path.Combine(repo.Directory, "hubconf.py")));
        Assert.Equal(0, Server.TotalRequestCount);
    }
}
