using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using TorchHub.Hubconf.CSharp;
using TorchHub.Repositories;
using TorchHub.Tests.Engine.Tensors;
using TorchHub.Tests.Hosting;
using TorchHub.Tests.Servers;
using Xunit;
using static TorchSharp.torch;

namespace TorchHub.Tests.PowerShell;

/// <summary>examples/tiny-hub end to end: listing, help, and models whose output equals PyTorch's.</summary>
public sealed class TinyHubExampleTests : HubTestBase
{
    private static readonly string Example = Path.Combine(RepoPaths.Root, "examples", "tiny-hub");

    public TinyHubExampleTests() => HubconfRuntime.ForgetAll();

    /// <summary>PyTorch 1.13's output of the pretrained model for ones(1, 4) (expected.json).</summary>
    private static double[] PyTorchOutput => TorchFixtures.Flatten(TorchFixtures.Expected.GetProperty("tiny_forward_ones"));

    private static double[] Forward(object model)
    {
        var module = Assert.IsAssignableFrom<nn.Module<Tensor, Tensor>>(model);
        using var input = ones(1, 4);
        using var output = module.forward(input);
        return TorchFixtures.Values(output);
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 6);
    }

    [Fact]
    public void Listing_And_Help_AreStatic()
    {
        var listing = new CSharpHubconfReader().Read(HubRepository.OpenLocal(Example));
        Assert.Equal(["tiny", "tiny_script"], listing.Entrypoints.Select(e => e.Name));
        Assert.Equal("TinyNet tiny(bool pretrained = false, string? weightsUrl = null)", listing.Entrypoints[0].Signature);
        Assert.Equal("A tiny network, relu(Linear(4, 2)): the smallest model worth loading.", listing.Entrypoints[0].Synopsis);
        var help = listing.GetHelp("tiny")!.Text;
        Assert.Contains("pretrained: Load the weights shipped in the repository (weights/tiny_state.pth, saved by PyTorch).", help);
        Assert.Contains("Import-HubModel -Path ./examples/tiny-hub tiny -Parameter @{ pretrained = $true }", help);
        Assert.Equal(["TorchSharp"], listing.Dependencies);
        Assert.False(Directory.Exists(Path.Combine(HubDir, ".torchhub")));
    }

    [Fact]
    public void Pretrained_FromTheRepository_MatchesPyTorch()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run($"Import-HubModel -Path '{Example}' tiny -Parameter @{{ pretrained = $true }} -Verbose").ThrowIfFailed();
        AssertClose(PyTorchOutput, Forward(r.Output.Single().BaseObject));
        Assert.Contains(r.Verbose, v => v.StartsWith("Compiled hubconf.cs of '" + Example + "' with 1 other C# file (hubconf.cs, TinyNet.cs)"));

        // Without pretrained the weights are random: the shipped weights really were applied above.
        var random = ps.Run($"Import-HubModel -Path '{Example}' tiny").ThrowIfFailed();
        Assert.NotEqual(PyTorchOutput, Forward(random.Output.Single().BaseObject));
    }

    [Fact]
    public async Task WeightsByUrl_AreDownloadedIntoCheckpoints_AndMatchPyTorch()
    {
        await using var server = await FileServer.StartAsync();
        server.Add("releases/tiny_state.pth", File.ReadAllBytes(TorchFixtures.PathOf("tiny_state.pth")));
        using var ps = new PowerShellSession();
        var url = server.Url("releases/tiny_state.pth");
        var r = ps.Run($"Import-HubModel -Path '{Example}' tiny -Parameter @{{ weightsUrl = '{url}' }}").ThrowIfFailed();
        AssertClose(PyTorchOutput, Forward(r.Output.Single().BaseObject));
        Assert.True(File.Exists(Path.Combine(HubDir, "checkpoints", "tiny_state.pth")));

        // Second load: the checkpoint comes from the cache, no request.
        ps.Run($"Import-HubModel -Path '{Example}' tiny -Parameter @{{ weightsUrl = '{url}' }}").ThrowIfFailed();
        Assert.Equal(1, server.RequestCount("releases/tiny_state.pth"));
    }

    [Fact]
    public void TorchScript_FromTheRepository_MatchesPyTorch()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run($"Import-HubModel -Path '{Example}' tiny_script").ThrowIfFailed();
        var script = Assert.IsAssignableFrom<jit.ScriptModule>(r.Output.Single().BaseObject);
        using var input = ones(1, 4);
        using var output = (Tensor)script.call(input);
        AssertClose(PyTorchOutput, TorchFixtures.Values(output));
    }

    [Fact]
    public void TheModel_WorksFromPowerShell()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run($$"""
            $net = Import-HubModel -Path '{{Example}}' tiny -Parameter @{ pretrained = $true }
            $y = $net.forward([TorchSharp.torch]::ones(1, 4))
            $y.shape
            """).ThrowIfFailed();
        Assert.Equal([1L, 2L], r.Output.Select(o => (long)o.BaseObject));
    }
}
