using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using TorchHub.Cache;
using TorchHub.Tests.Hosting;
using TorchHub.Tests.Servers;
using Xunit;

namespace TorchHub.Tests.Interop;

/// <summary>
/// A fleet in miniature: one prefetch writes a lock file, three fresh hub directories ("nodes")
/// restore from it, and the real torch.hub 1.13 then loads the repository and the weights from each
/// node's cache without a single request. (Weight mirrors are not built yet: the nodes restore from
/// the origin stand-ins, so this checks the lock file and the cache, not a mirror.)
/// </summary>
public sealed class FleetSimulationTests : GitHubTestBase
{
    public FleetSimulationTests(GitHubFixture fixture) : base(fixture) { }

    [TorchFact]
    public async Task ThreeNodesRestoredFromOneLockFile_LoadInTorchHub_WithNoRequest()
    {
        // A real state dict, saved by PyTorch, served by the weight host stand-in.
        var weights = Temp.Combine("tiny-0123abcd.pth");
        var (saved, saveOutput) = TorchPython.Run($"import torch; torch.save({{'w': torch.arange(4.0)}}, {TorchPython.Quote(weights)})");
        Assert.True(saved == 0, saveOutput);
        await using var files = await FileServer.StartAsync();
        var url = files.Url("models/tiny-0123abcd.pth");
        files.Add("models/tiny-0123abcd.pth", File.ReadAllBytes(weights));

        var lockFile = Temp.Combine("torchhub.lock.json");
        var vars = new Dictionary<string, object?> { ["lock"] = lockFile, ["url"] = url };
        using var ps = new PowerShellSession();
        ps.Run("Save-HubRepository acme/zoo:v2 -TrustRepo -LockFile $lock; Save-HubFile $url -LockFile $lock", vars).ThrowIfFailed();

        var nodes = Enumerable.Range(1, 3).Select(i => Temp.Combine($"node{i}")).ToList();
        foreach (var node in nodes)
        {
            var restored = ps.Run($"Set-HubDirectory '{node}'; Restore-HubCache $lock", vars).ThrowIfFailed().Objects<RestoredEntry>();
            Assert.Equal(new[] { RestoreOutcome.Added, RestoreOutcome.Added }, restored.Select(e => e.Outcome));
        }

        Server.ResetCounts();
        var fileRequests = files.Requests.Count;
        foreach (var node in nodes)
        {
            // trust_repo='check' with an empty stdin fails if torch would ask; no network is reachable but the stand-ins, which count.
            var (code, output) = TorchPython.Run(string.Join("\n",
                "import torch.hub as h",
                $"h.set_dir({TorchPython.Quote(node)})",
                "print(h.list('acme/zoo:v2', trust_repo='check'))",
                $"print(h.load_state_dict_from_url({TorchPython.Quote(url)})['w'].tolist())"));
            Assert.True(code == 0, output);
            Assert.Contains("['model_v2']", output);
            Assert.Contains("[0.0, 1.0, 2.0, 3.0]", output);
        }
        Assert.Equal(0, Server.TotalRequestCount);
        Assert.Equal(fileRequests, files.Requests.Count);
    }
}
