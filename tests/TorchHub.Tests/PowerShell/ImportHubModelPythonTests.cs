using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using TorchHub.Tests.Hosting;
using TorchHub.Tests.Servers;
using Xunit;

namespace TorchHub.Tests.PowerShell;

/// <summary>
/// A hubconf.py-only repository on the GitHub stand-in whose import writes a marker file on the
/// host (when it runs outside bubblewrap, i.e. with TORCHHUB_PYTHON_SANDBOX=process): the marker
/// proves whether the repository's code ran.
/// </summary>
public sealed class PythonZooFixture : IAsyncLifetime
{
    private readonly TempDirectory _temp = new("torchhub-python-zoo");

    public GitHubStandIn Server { get; private set; } = null!;

    /// <summary>Written by hubconf.py's import; its folder is created by each test.</summary>
    public string Marker => _temp.Combine("markers", "hubconf-ran.txt");

    public async Task InitializeAsync()
    {
        var repo = new GitRepo(_temp.Combine("acme-pyzoo"));
        repo.Commit("v1", ("hubconf.py", string.Join('\n',
            "dependencies = ['torch']",
            "import torch",
            $"open({Interop.TorchPython.Quote(Marker)}, 'w').write('ran')",
            "def mlp():",
            "    return torch.nn.Linear(4, 3)",
            "")));
        repo.Tag("v1");
        Server = await GitHubStandIn.StartAsync(_temp.Combine("zips"));
        Server.AddRepository("acme", "pyzoo", repo);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _temp.Dispose();
    }
}

public sealed class ImportHubModelPythonTests : HubTestBase, IClassFixture<PythonZooFixture>
{
    private const string Cmd = ",TorchHub.PowerShell.Commands.ImportHubModelCommand";
    private readonly PythonZooFixture _fixture;

    public ImportHubModelPythonTests(PythonZooFixture fixture)
    {
        _fixture = fixture;
        fixture.Server.ResetCounts();
        UseGitHubStandIn(fixture.Server);
        SetEnvironment("TORCHHUB_PYTHON_SANDBOX", "process"); // so the marker can reach the host if the code ran
        Directory.CreateDirectory(Path.GetDirectoryName(fixture.Marker)!);
        File.Delete(fixture.Marker);
    }

    [Fact]
    public void TrustRefused_TheRepositorysPythonNeverRuns()
    {
        using (var nonInteractive = new PowerShellSession())
        {
            var error = Assert.Single(nonInteractive.Run("Import-HubModel acme/pyzoo:v1 mlp").AllErrors);
            Assert.Equal("UntrustedRepository" + Cmd, error.FullyQualifiedErrorId);
        }
        var host = new TestHost("No");
        using (var refusing = new PowerShellSession(host))
        {
            var error = Assert.Single(refusing.Run("Import-HubModel acme/pyzoo:v1 mlp").AllErrors);
            Assert.Equal("UntrustedRepository" + Cmd, error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.SecurityError, error.CategoryInfo.Category);
            Assert.Single(host.Prompts);
        }
        Assert.False(File.Exists(_fixture.Marker));
        Assert.False(Directory.Exists(Path.Combine(HubDir, "acme_pyzoo_v1")));
        Assert.False(Directory.Exists(Path.Combine(HubDir, ".torchhub", "exports"))); // no Python was even probed
    }

    [Fact]
    public void TrustAccepted_TheRepositorysPythonRuns_AndTheModelLoads()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("Import-HubModel acme/pyzoo:v1 mlp -TrustRepo -Verbose").ThrowIfFailed();
        Assert.Equal("TorchSharp.torch+jit+ScriptModule", Assert.Single(r.Output).BaseObject.GetType().FullName);
        Assert.True(File.Exists(_fixture.Marker)); // the control: this marker is what the refused test never sees
        Assert.Contains(r.Verbose, v => v.Contains("through the Python route"));
    }

    [Fact]
    public void UnknownName_IsEntrypointNotFound_AndNoPythonRuns()
    {
        using var ps = new PowerShellSession();
        var error = Assert.Single(ps.Run("Import-HubModel acme/pyzoo:v1 mpl -TrustRepo").AllErrors);
        Assert.Equal("EntrypointNotFound" + Cmd, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains("Cannot find callable mpl", error.Exception.Message); // torch's wording
        Assert.False(File.Exists(_fixture.Marker)); // the static listing answered; the repository's code never ran
    }
}
