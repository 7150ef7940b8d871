using System.IO;
using System.Linq;
using System.Threading.Tasks;
using TorchHub.Tests.Engine.Models;
using TorchHub.Tests.Hosting;
using TorchHub.Tests.Servers;
using Xunit;
using static TorchSharp.torch;

namespace TorchHub.Tests.PowerShell;

/// <summary>pytorch/vision on the GitHub stand-in (examples/vision's hubconf.py), and a mirror of torchvision's weight host.</summary>
public sealed class VisionStandInFixture : IAsyncLifetime
{
    private readonly TempDirectory _temp = new("torchhub-vision");

    public GitHubStandIn Server { get; private set; } = null!;

    public FileServer Weights { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var source = Path.Combine(RepoPaths.Root, "examples", "vision");
        var files = Directory.GetFiles(source, "*", SearchOption.AllDirectories)
            .Select(f => (Path.GetRelativePath(source, f).Replace('\\', '/'), File.ReadAllText(f))).ToArray();
        var vision = new GitRepo(_temp.Combine("pytorch-vision"));
        vision.Commit("vision", files);
        Server = await GitHubStandIn.StartAsync(_temp.Combine("zips"));
        Server.AddRepository("pytorch", "vision", vision);
        Weights = await FileServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Weights.DisposeAsync();
        await Server.DisposeAsync();
        _temp.Dispose();
    }
}

/// <summary>
/// The user's view of route 1: Get-HubEntrypoint says which entrypoints load as ports, and
/// Import-HubModel loads pytorch/vision's resnet18 with its weights from the (mirrored) weight host.
/// </summary>
public sealed class VisionPortTests : HubTestBase, IClassFixture<VisionStandInFixture>
{
    private const string Cmd = ",TorchHub.PowerShell.Commands.ImportHubModelCommand";
    private readonly VisionStandInFixture _fixture;

    public VisionPortTests(VisionStandInFixture fixture)
    {
        _fixture = fixture;
        fixture.Server.ResetCounts();
        UseGitHubStandIn(fixture.Server);
        SetEnvironment("TORCHHUB_TORCHVISION_WEIGHTS_URL", fixture.Weights.Url("models/"));
    }

    private string Checkpoint(string file) => Path.Combine(HubDir, "checkpoints", file);

    [Fact]
    public void GetHubEntrypoint_SaysWhichEntrypointsLoadAsPorts_AndWhyOthersDoNot()
    {
        using var ps = new PowerShellSession();
        var before = _fixture.Weights.Requests.Count;
        var r = ps.Run("Get-HubEntrypoint pytorch/vision | ForEach-Object { '{0}|{1}|{2}' -f $_.Name, $_.Route, ($_.RouteReasons -join '; ') }").ThrowIfFailed();
        var rows = r.Output.Select(o => o.BaseObject.ToString()!).ToList();
        Assert.Contains("resnet18|Port|", rows);
        Assert.Contains("wide_resnet50_2|Port|", rows);
        Assert.Contains("raft_large|Python|", rows); // no port: a local PyTorch exports it (route 2)
        // Not model builders: their return annotation says what they return, so no route is claimed.
        Assert.Contains(rows, row => row.StartsWith("get_weight||") && row.Contains("Python: 'get_weight' returns WeightsEnum (its return annotation), not a model"));
        Assert.Contains(rows, row => row.StartsWith("get_model_weights||") && row.Contains("not a model"));

        // Without a Python, each route says why it cannot load the entrypoint.
        var withoutPython = ps.Run(
            "$saved = $env:TORCHHUB_PYTHON; $env:TORCHHUB_PYTHON = '/nonexistent/python3'; " +
            "try { Get-HubEntrypoint pytorch/vision | ForEach-Object { '{0}|{1}|{2}' -f $_.Name, $_.Route, ($_.RouteReasons -join '; ') } } " +
            "finally { $env:TORCHHUB_PYTHON = $saved }").ThrowIfFailed();
        var reasons = withoutPython.Output.Select(o => o.BaseObject.ToString()!).ToList();
        Assert.Contains("resnet18|Port|", reasons);
        Assert.Contains(reasons, row => row.StartsWith("raft_large||") && row.Contains("Port: no verified port of 'raft_large'") && row.Contains("Python:"));
        Assert.Equal(before, _fixture.Weights.Requests.Count); // nothing downloaded to answer
    }

    [Fact]
    public void ImportHubModel_WithoutWeights_BuildsThePort_AndDownloadsNothing()
    {
        var before = _fixture.Weights.Requests.Count;
        using var ps = new PowerShellSession();
        var r = ps.Run("Import-HubModel -Repository pytorch/vision -Name resnet18 -Verbose").ThrowIfFailed();
        Assert.Equal("TorchSharp.Modules.ResNet", Assert.Single(r.Output).BaseObject.GetType().FullName);
        Assert.Contains(r.Verbose, v => v.Contains("through the Port route"));
        Assert.Equal(before, _fixture.Weights.Requests.Count);
    }

    [Fact]
    public void ImportHubModel_WeightsWithTheWrongHash_AreRefused_AndNotKept()
    {
        _fixture.Weights.Add("models/resnet18-f37072fd.pth", FileServer.RandomBytes(2048));
        using var ps = new PowerShellSession();
        var error = Assert.Single(ps.Run("Import-HubModel -Repository pytorch/vision -Name resnet18 -Parameter @{ weights = 'IMAGENET1K_V1' }").AllErrors);
        Assert.Equal("HashMismatch" + Cmd, error.FullyQualifiedErrorId);
        Assert.False(File.Exists(Checkpoint("resnet18-f37072fd.pth")));
    }

    [Fact]
    public void ImportHubModel_ForcedRouteThatCannot_NamesTheReason()
    {
        using var ps = new PowerShellSession();
        var error = Assert.Single(ps.Run("Import-HubModel pytorch/vision raft_large -Route Port").AllErrors);
        Assert.Equal("ModelRouteNotApplicable" + Cmd, error.FullyQualifiedErrorId);
        Assert.Contains("no verified port of 'raft_large'", error.Exception.Message);
    }

    [TorchFact]
    public void ImportHubModel_Resnet18WithImagenetWeights_GivesPyTorchsOutput_AndCachesTheFileUnderPyTorchsName()
    {
        var folder = VisionFixtures.Outputs("resnet18");
        _fixture.Weights.Add("models/resnet18-f37072fd.pth", File.ReadAllBytes(Path.Combine(folder, "resnet18.pth")));
        using var ps = new PowerShellSession();
        // Random weights cannot carry the published hash, hence -SkipHashCheck (the check itself is tested above).
        const string import = "Import-HubModel -Repository pytorch/vision -Name resnet18 -Parameter @{ weights = 'IMAGENET1K_V1' } -SkipHashCheck -Verbose";
        var first = ps.Run(import).ThrowIfFailed();
        Assert.True(File.Exists(Checkpoint("resnet18-f37072fd.pth")));
        Assert.Contains(first.Verbose, v => v.Contains("through the Port route"));
        Assert.Contains(first.Verbose, v => v.Contains("ResNet18_Weights.IMAGENET1K_V1: downloaded"));

        var second = ps.Run(import).ThrowIfFailed();
        Assert.Contains(second.Verbose, v => v.Contains("ResNet18_Weights.IMAGENET1K_V1: taken from the cache"));
        Assert.Equal(1, _fixture.Weights.RequestCount("models/resnet18-f37072fd.pth"));

        using var model = (nn.Module<Tensor, Tensor>)second.Output.Single().BaseObject;
        var io = new Hub().LoadStateDict(Path.Combine(folder, "resnet18.io.pth"));
        model.eval();
        using var _ = no_grad();
        using var y = model.forward((Tensor)io["input"]!);
        var expected = (Tensor)io["output"]!;
        Assert.True(((y - expected).abs().max() / expected.abs().max()).item<float>() <= 1e-4);
    }
}
