using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using TorchHub.Cache;
using TorchHub.Http;
using TorchHub.Tests.Hosting;
using TorchHub.Tests.Servers;
using Xunit;

namespace TorchHub.Tests.Interop;

/// <summary>
/// A fleet in miniature: one prefetch writes a lock file, three fresh hub directories ("nodes")
/// restore from it through a mirror stand-in (the internal artifact store), the origin stand-ins
/// (GitHub and the weight host) count zero requests, and the real torch.hub 1.13 then loads the
/// repository and the weights from each node's cache without a single request.
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
        await using var mirror = await FileServer.StartAsync();
        var url = files.Url("models/tiny-0123abcd.pth");
        files.Add("models/tiny-0123abcd.pth", File.ReadAllBytes(weights));

        var lockFile = Temp.Combine("torchhub.lock.json");
        var vars = new Dictionary<string, object?> { ["lock"] = lockFile, ["url"] = url };
        using var ps = new PowerShellSession();
        ps.Run("Save-HubRepository acme/zoo:v2 -TrustRepo -LockFile $lock; Save-HubFile $url -LockFile $lock", vars).ThrowIfFailed();

        // The store: the archive of the locked commit and the weight file, under its own paths.
        var commit = HubLockFile.Load(lockFile).Repositories.Single().Commit;
        using (var client = new HttpClient())
            mirror.Add($"github/acme/zoo/zipball/{commit}", await client.GetByteArrayAsync($"{Server.WebUrl}acme/zoo/zipball/{commit}"), "application/zip");
        mirror.Add("pytorch-models/tiny-0123abcd.pth", File.ReadAllBytes(weights));
        vars["mirrors"] = new System.Collections.Hashtable
        {
            [Server.WebUrl.AbsoluteUri] = mirror.Url("github/"),
            [files.Url("models/")] = mirror.Url("pytorch-models/"),
        };
        Server.ResetCounts();
        var originFileRequests = files.Requests.Count;

        var nodes = Enumerable.Range(1, 3).Select(i => Temp.Combine($"node{i}")).ToList();
        foreach (var node in nodes)
        {
            // Nodes 1 and 2 name the store with -Mirror, node 3 through TORCHHUB_MIRRORS.
            var third = node == nodes[2];
            SetEnvironment(MirrorRule.Variable, third ? $"{Server.WebUrl.AbsoluteUri}={mirror.Url("github/")};{files.Url("models/")}={mirror.Url("pytorch-models/")}" : null);
            var result = ps.Run($"Set-HubDirectory '{node}'; Restore-HubCache $lock -Verbose{(third ? "" : " -Mirror $mirrors")}", vars).ThrowIfFailed();
            Assert.Equal(new[] { RestoreOutcome.Added, RestoreOutcome.Added }, result.Objects<RestoredEntry>().Select(e => e.Outcome));
            Assert.True(2 == result.Verbose.Count(v => v.StartsWith("Mirror: ", System.StringComparison.Ordinal)), string.Join("\n", result.Verbose));
        }
        SetEnvironment(MirrorRule.Variable, null);
        Assert.Equal(0, Server.TotalRequestCount);                 // GitHub: no API call, no archive
        Assert.Equal(originFileRequests, files.Requests.Count);    // the weight host: nothing
        Assert.Equal(6, mirror.Requests.Count);                    // two per node

        // Re-running is a no-op with zero requests anywhere.
        Assert.All(ps.Run($"Set-HubDirectory '{nodes[0]}'; Restore-HubCache $lock -Mirror $mirrors", vars).ThrowIfFailed().Objects<RestoredEntry>(),
            e => Assert.Equal(RestoreOutcome.Present, e.Outcome));
        Assert.Equal(6, mirror.Requests.Count);

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
        Assert.Equal(6, mirror.Requests.Count);
    }
}
