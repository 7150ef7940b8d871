using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using TorchHub.Errors;
using TorchHub.Models.Python;
using Xunit;
using static TorchSharp.torch;

namespace TorchHub.Tests.Engine.Models.Python;

/// <summary>
/// A hostile hubconf.py against the sandbox. It tries to read a file outside the repository, to
/// write into the repository and outside its output folder, to connect to a TCP server this test
/// listens on, to fork 1,000 processes, to run a program, and to read an environment variable of
/// the parent; it reports each outcome through the model it returns (1 = blocked). The test checks
/// the host side too: the files are untouched and the server saw no connection.
/// </summary>
public sealed class PythonSandboxTests : PythonRouteTestBase
{
    private const string EnvironmentSecret = "TORCHHUB_TEST_HOSTILE_SECRET";

    private sealed record Outcome(float ReadOutside, float WriteRepository, float WriteOutside, float Connect, float Forks, float RunProgram, float Environment);

    private (Outcome Outcome, PythonExport Export, int Connections, string Secret, string Outside, string Repo) RunHostile(PythonSandboxPolicy policy)
    {
        var repo = CopyFixture("hostile");
        var secret = Temp.Write("host/secret.txt", "the host's secret\n");
        var outside = Temp.Combine("host", "written-by-hostile.txt");
        SetEnvironment(EnvironmentSecret, "visible");
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var connections = 0;
        using var stop = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    using var client = await listener.AcceptTcpClientAsync(stop.Token);
                    Interlocked.Increment(ref connections);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        File.WriteAllText(Path.Combine(repo, "hostile.json"), JsonSerializer.Serialize(new
        {
            secret,
            outside,
            port = ((IPEndPoint)listener.LocalEndpoint).Port,
            environment_variable = EnvironmentSecret,
        }));

        var export = Route(policy).Export(Hub, Request(repo, "hostile"), CancellationToken.None);
        var module = Assert.IsType<jit.ScriptModule>(PythonModelRoute.LoadExport(Hub, export));
        var v = ((Tensor)module.call(zeros(1))).data<float>().ToArray();
        stop.Cancel();
        accepting.Wait();
        return (new Outcome(v[0], v[1], v[2], v[3], v[4], v[5], v[6]), export, connections, secret, outside, repo);
    }

    [Fact]
    public void Bubblewrap_BlocksEveryEscape()
    {
        var (outcome, export, connections, secret, outside, repo) = RunHostile(PythonSandboxPolicy.Auto);

        Assert.Equal(PythonSandboxLevel.Bubblewrap, export.Sandbox); // the strongest level is chosen
        Assert.Equal(new Outcome(ReadOutside: 1, WriteRepository: 1, WriteOutside: 1, Connect: 1, Forks: 0, RunProgram: 1, Environment: 1), outcome);
        Assert.Equal(0, connections);
        Assert.Equal("the host's secret\n", File.ReadAllText(secret));
        Assert.False(File.Exists(outside));
        Assert.False(File.Exists(Path.Combine(repo, "written-by-hostile.txt")));
    }

    [Fact]
    public void Unshare_BlocksNetworkAndProcesses_ButNotTheHostsFiles()
    {
        var (outcome, export, connections, _, _, repo) = RunHostile(PythonSandboxPolicy.Unshare);

        Assert.Equal(PythonSandboxLevel.Unshare, export.Sandbox);
        Assert.Equal(1, outcome.Connect);
        Assert.Equal(0, outcome.Forks);
        Assert.Equal(1, outcome.RunProgram);
        Assert.Equal(1, outcome.Environment);
        Assert.Equal(0, connections);
        // unshare does not hide the host's files: that is what bubblewrap adds (documented).
        Assert.Equal(0, outcome.ReadOutside);
        Assert.True(File.Exists(Path.Combine(repo, "written-by-hostile.txt")));
    }

    [Fact]
    public void PlainProcess_IsStillConfinedBySeccomp()
    {
        var (outcome, export, connections, _, _, _) = RunHostile(PythonSandboxPolicy.Process);
        Assert.Equal(PythonSandboxLevel.Process, export.Sandbox);
        Assert.Equal("seccomp", export.Confinement);
        Assert.Equal(1, outcome.Connect);
        Assert.Equal(0, outcome.Forks);
        Assert.Equal(1, outcome.RunProgram);
        Assert.Equal(1, outcome.Environment);
        Assert.Equal(0, connections);
    }

    [Fact]
    public void IsolatedPolicy_NeverFallsBackToAPlainProcess()
    {
        Assert.Equal(PythonSandboxLevel.Bubblewrap, PythonSandbox.Choose(PythonSandboxPolicy.Isolated));
        Assert.Equal(PythonSandboxLevel.Bubblewrap, PythonSandbox.Choose(PythonSandboxPolicy.Auto));
        Assert.True(PythonSandbox.IsAvailable(PythonSandboxLevel.Unshare));
    }

    [Fact]
    public void SandboxThatDoesNotWork_IsRefused_WithItsOwnError()
    {
        var error = Assert.Throws<HubException>(() => PythonSandbox.Choose(PythonSandboxPolicy.Isolated, bubblewrap: false, unshare: false));
        Assert.Equal(HubErrorIds.PythonSandboxUnavailable, error.ErrorId);
        Assert.Equal(HubErrorCategory.SecurityError, error.Category);
        Assert.Equal(PythonSandboxLevel.Process, PythonSandbox.Choose(PythonSandboxPolicy.Auto, bubblewrap: false, unshare: false));
        Assert.Equal(PythonSandboxLevel.Unshare, PythonSandbox.Choose(PythonSandboxPolicy.Isolated, bubblewrap: false, unshare: true));
        Assert.Equal(HubErrorIds.PythonSandboxUnavailable,
            Assert.Throws<HubException>(() => PythonSandbox.Choose(PythonSandboxPolicy.Bubblewrap, bubblewrap: false, unshare: true)).ErrorId);
    }

    [Fact]
    public void MachineWithoutBwrapOrUnshare_RunsAPlainProcessWithAWarning_OrRefusesWhenIsolationIsRequired()
    {
        var repo = CopyFixture("models");
        PythonSandboxLevel Bare(PythonSandboxPolicy policy) => PythonSandbox.Choose(policy, bubblewrap: false, unshare: false);

        var refused = Assert.Throws<HubException>(() =>
            new PythonModelRoute(new PythonRouteOptions { Sandbox = PythonSandboxPolicy.Isolated }) { ChooseSandbox = Bare }
                .Export(Hub, Request(repo, "mlp"), CancellationToken.None));
        Assert.Equal(HubErrorIds.PythonSandboxUnavailable, refused.ErrorId);
        var exports = Path.Combine(HubDir, ".torchhub", "exports");
        string[] Entries(string pattern) => Directory.Exists(exports) ? Directory.GetFileSystemEntries(exports, pattern) : [];
        Assert.Empty(Entries(".work-*")); // nothing ran
        Assert.Empty(Entries("*.pt"));

        var export = new PythonModelRoute(new PythonRouteOptions()) { ChooseSandbox = Bare }.Export(Hub, Request(repo, "mlp"), CancellationToken.None);
        Assert.Equal(PythonSandboxLevel.Process, export.Sandbox);
        var warning = Assert.Single(Feedback.Warnings);
        Assert.Contains("plain process that can read your files", warning, StringComparison.Ordinal);
        Assert.Contains("TORCHHUB_PYTHON_SANDBOX=isolated", warning, StringComparison.Ordinal);
    }
}
