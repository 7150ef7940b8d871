using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using TorchHub.Errors;
using TorchHub.Models;
using TorchHub.Models.Ports;
using TorchHub.Repositories;
using TorchHub.Runtime;
using TorchHub.Tensors;
using TorchHub.Tests.Hosting;
using TorchHub.Tests.Servers;
using Xunit;
using static TorchSharp.torch;

namespace TorchHub.Tests.Engine.Models;

/// <summary>
/// Every mapped port against torchvision 0.14.1: the same state_dict keys and shapes, and (with
/// Debian's torch) the same outputs for the same random weights, loaded through the route itself
/// from a mirror on 127.0.0.1. TORCHHUB_VERIFY_PORTS=all runs the output check for every mapped
/// entrypoint (vgg19_bn alone writes 550 MB; about an hour here), or for the names it lists;
/// by default it runs for the ones CI can afford.
/// </summary>
public sealed class TorchVisionPortTests : HubTestBase
{
    public static TheoryData<string> Mapped => new(TorchVisionPorts.All.Keys.Order(StringComparer.Ordinal));

    /// <summary>The ports whose check runs in CI (weight files up to about 100 MB); docs/guides/pytorch-vision.md lists the rest and the command.</summary>
    private static readonly string[] Affordable = ["resnet18", "resnet34", "resnet50", "mobilenet_v2", "mobilenet_v3_small", "googlenet", "inception_v3"];

    /// <summary>TORCHHUB_VERIFY_PORTS: "all", or names separated by spaces; default the ones CI can afford.</summary>
    public static TheoryData<string> Outputs => Environment.GetEnvironmentVariable("TORCHHUB_VERIFY_PORTS") switch
    {
        "all" => new(TorchVisionPorts.All.Keys.Order(StringComparer.Ordinal)),
        { Length: > 0 } names => new(names.Split(' ', StringSplitOptions.RemoveEmptyEntries)),
        _ => new(Affordable),
    };

    private static readonly HubRepository Vision = new("/nonexistent/pytorch_vision_main", RepositorySource.GitHub, RepoSpec.Parse("pytorch/vision:main"));

    private static ModelRequest Request(string name, IReadOnlyDictionary<string, object?>? named = null, HubRepository? repository = null) =>
        new(repository ?? Vision, name, [], named ?? new Dictionary<string, object?>(), TorchHub.Hubconf.CSharp.HubArgumentConverters.Default);

    /// <summary>The port as torchvision builds the model when given weights (googlenet then has no auxiliary heads).</summary>
    private static nn.Module<Tensor, Tensor> BuildAsWithWeights(TorchVisionPort port) =>
        port.Build(new PortArguments(port, Request(port.Name, port.Name == "googlenet" ? new Dictionary<string, object?> { ["aux_logits"] = false } : null)));

    [Theory]
    [MemberData(nameof(Mapped))]
    public void Port_HasTorchvisionsKeysAndShapes(string name)
    {
        TorchSharpRuntime.EnsureLoaded();
        // Shapes without memory: vgg's 550 MB of random initialisation would dominate the test's time.
        set_default_device(META);
        try
        {
            using var model = BuildAsWithWeights(TorchVisionPorts.All[name]);
            // TorchSharp lists parameters before buffers; load_state_dict goes by key, so compare sorted.
            var actual = model.state_dict().Select(p => $"{p.Key} {string.Join("x", p.Value.shape)}").Order(StringComparer.Ordinal);
            var expected = VisionFixtures.KeysOf(name).Select(e => $"{e.Key} {string.Join("x", e.Shape)}").Order(StringComparer.Ordinal);
            Assert.Equal(expected, actual);
        }
        finally
        {
            set_default_device(CPU);
        }
    }

    [Theory]
    [InlineData("resnext101_32x8d")]
    [InlineData("resnext101_64x4d")]
    public void Resnext101Ports_DoNotMatchTorchvision_AndAreNotMapped(string name)
    {
        TorchSharpRuntime.EnsureLoaded();
        Assert.False(TorchVisionPorts.All.ContainsKey(name));
        using var model = (nn.Module)typeof(TorchSharp.torchvision.models).GetMethod(name)!.Invoke(null, [1000, false, null, null, null, true, null])!;
        Assert.NotEqual(VisionFixtures.KeysOf(name).Length, model.state_dict().Count);
    }

    [Fact]
    public void EveryEntrypointWithKeysListed_IsMappedOrKnownWrong()
    {
        var unmapped = VisionFixtures.Keys.EnumerateObject().Select(p => p.Name).Where(n => !TorchVisionPorts.All.ContainsKey(n));
        // resnext101_*: wrong keys (below); mobilenet_v3_large: right keys, outputs 5e-3 apart (TorchVisionPorts' comment).
        Assert.Equal(["mobilenet_v3_large", "resnext101_32x8d", "resnext101_64x4d"], unmapped.Order(StringComparer.Ordinal));
    }

    [TorchTheory]
    [MemberData(nameof(Outputs))]
    public async Task Port_WithTorchvisionsWeights_GivesPyTorchsOutput(string name)
    {
        var folder = VisionFixtures.Outputs(name);
        var port = TorchVisionPorts.All[name];
        await using var mirror = await FileServer.StartAsync();
        mirror.Add("models/" + port.V1, File.ReadAllBytes(Path.Combine(folder, name + ".pth")));
        var hub = new Hub(new HubOptions { TorchVisionWeightsUrl = new Uri(mirror.Url("models/")) });

        // The random weights cannot carry the published file's hash prefix: this test opts out (HashMismatch is tested below).
        using var model = (nn.Module<Tensor, Tensor>)hub.Load(Vision, name, namedArgs: new Dictionary<string, object?> { ["weights"] = "IMAGENET1K_V1" }, checkHash: false)!;
        Assert.True(File.Exists(Path.Combine(HubDir, "checkpoints", port.V1)));

        var io = hub.LoadStateDict(Path.Combine(folder, name + ".io.pth"));
        model.eval();
        using var _ = no_grad();
        using var y = model.forward((Tensor)io["input"]!);
        var expected = (Tensor)io["output"]!;
        Assert.Equal(expected.shape, y.shape);
        var relative = ((y - expected).abs().max() / expected.abs().max()).item<float>();
        Assert.True(relative <= 1e-4, $"{name}: relative difference {relative}");
    }

    [Fact]
    public async Task PublishedHash_IsCheckedByDefault_AndNothingStaysInCheckpoints()
    {
        await using var mirror = await FileServer.StartAsync();
        mirror.Add("models/resnet18-f37072fd.pth", FileServer.RandomBytes(4096));
        var hub = new Hub(new HubOptions { TorchVisionWeightsUrl = new Uri(mirror.Url("models/")) });
        var ex = Assert.Throws<HubException>(() => hub.Load(Vision, "resnet18", namedArgs: new Dictionary<string, object?> { ["weights"] = "DEFAULT" }));
        Assert.Equal(HubErrorIds.HashMismatch, ex.ErrorId);
        Assert.False(File.Exists(Path.Combine(HubDir, "checkpoints", "resnet18-f37072fd.pth")));
        Assert.Equal(1, mirror.RequestCount("models/resnet18-f37072fd.pth"));
    }

    [Theory]
    [InlineData("resnet152", "IMAGENET1K_V1", "resnet152-394f9c45.pth")]
    [InlineData("resnet152", "IMAGENET1K_V2", "resnet152-f82ba261.pth")]
    [InlineData("resnet152", "DEFAULT", "resnet152-f82ba261.pth")]
    [InlineData("resnet152", "ResNet152_Weights.DEFAULT", "resnet152-f82ba261.pth")]
    [InlineData("resnet18", "DEFAULT", "resnet18-f37072fd.pth")]
    [InlineData("googlenet", "IMAGENET1K_V1", "googlenet-1378be20.pth")]
    public void WeightsNames_MapToTorchvisionsFiles(string name, string weights, string file)
    {
        var port = TorchVisionPorts.All[name];
        var arguments = new PortArguments(port, Request(name, new Dictionary<string, object?> { ["weights"] = weights }));
        Assert.Equal(file, port.FileOf(arguments.Weights!));
    }

    [Theory]
    [InlineData(true, "resnet152-394f9c45.pth")] // torchvision's legacy interface: pretrained=True is IMAGENET1K_V1, not DEFAULT
    [InlineData(false, null)]
    public void LegacyPretrained_IsImagenetV1(bool pretrained, string? file)
    {
        var port = TorchVisionPorts.All["resnet152"];
        var arguments = new PortArguments(port, Request("resnet152", new Dictionary<string, object?> { ["pretrained"] = pretrained }));
        Assert.Equal(file, arguments.Weights is { } w ? port.FileOf(w) : null);
    }

    [Fact]
    public void UnknownWeights_AreRefusedWithTheEnumsNames()
    {
        var hub = new Hub();
        var ex = Assert.Throws<HubException>(() => hub.Load(Vision, "resnet18", namedArgs: new Dictionary<string, object?> { ["weights"] = "IMAGENET1K_V2" }));
        Assert.Equal(HubErrorIds.UnknownPortWeights, ex.ErrorId);
        Assert.Contains("ResNet18_Weights has IMAGENET1K_V1, DEFAULT", ex.Message);
    }

    [Fact]
    public void NumClassesOtherThanTheWeights_IsTorchvisionsError()
    {
        var ex = Assert.Throws<HubException>(() => new Hub().Load(Vision, "resnet18",
            namedArgs: new Dictionary<string, object?> { ["weights"] = "DEFAULT", ["num_classes"] = 10 }));
        Assert.Equal(HubErrorIds.InvalidEntrypointArgument, ex.ErrorId);
        Assert.Contains("The parameter 'num_classes' expected value 1000 but got 10 instead.", ex.Message);
    }

    [Fact]
    public void KeywordArguments_ReachThePort()
    {
        using var model = (nn.Module)new Hub().Load(Vision, "resnet18", namedArgs: new Dictionary<string, object?> { ["num_classes"] = 10 })!;
        Assert.Equal([10L, 512L], model.state_dict()["fc.weight"].shape);
    }

    [Fact]
    public void ArgumentThePortDoesNotTake_SendsAutoOnAndFailsWhenForced()
    {
        var route = new TorchVisionPortRoute();
        var named = new Dictionary<string, object?> { ["norm_layer"] = null };
        Assert.Equal("the port of resnet18 does not take 'norm_layer'", route.CannotLoadReason(Request("resnet18", named)));
        var ex = Assert.Throws<HubException>(() => new Hub().Load(Vision, "resnet18", namedArgs: named, route: ModelRouteKind.Port));
        Assert.Equal(HubErrorIds.ModelRouteNotApplicable, ex.ErrorId);
        Assert.Contains("does not take 'norm_layer'", ex.Message);
    }

    [Theory]
    [InlineData("pytorch/vision:v0.14.1", "resnet18", null)]
    [InlineData("PyTorch/Vision", "mobilenet_v3_small", null)]
    [InlineData("pytorch/vision:main", "convnext_tiny", "no verified port of 'convnext_tiny'")]
    [InlineData("pytorch/vision:main", "resnext101_32x8d", "no verified port of 'resnext101_32x8d'")]
    [InlineData("someone/vision:main", "resnet18", "built-in ports exist for pytorch/vision only")]
    public void Route_AppliesToPytorchVisionsMappedEntrypoints_AtAnyRef(string spec, string name, string? reason)
    {
        var repository = new HubRepository("/nonexistent", RepositorySource.GitHub, RepoSpec.Parse(spec));
        Assert.Equal(reason, new TorchVisionPortRoute().CannotLoadReason(Request(name, repository: repository)));
    }

    [Fact]
    public void Googlenet_WithoutWeights_IsNotThePorts_UnlessAuxLogitsIsOff()
    {
        var route = new TorchVisionPortRoute();
        Assert.Contains("no auxiliary heads", route.CannotLoadReason(Request("googlenet")));
        Assert.Null(route.CannotLoadReason(Request("googlenet", new Dictionary<string, object?> { ["aux_logits"] = false })));
        Assert.Null(route.CannotLoadReason(Request("googlenet", new Dictionary<string, object?> { ["weights"] = "DEFAULT" })));
    }
}
