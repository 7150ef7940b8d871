using System.IO;
using TorchHub.Errors;
using TorchHub.Hubconf.CSharp;
using TorchHub.Tests.Hosting;
using Xunit;

namespace TorchHub.Tests.Engine.Hubconf.CSharp;

/// <summary>Hub.Load("owner/repo:ref" or a folder, "name", args): torch.hub.load's one-liner.</summary>
public sealed class HubLoadOneLinerTests : HubTestBase
{
    public HubLoadOneLinerTests() => HubconfRuntime.ForgetAll();

    [Fact]
    public void AFolderThatExists_IsLoadedAsALocalRepository()
    {
        Temp.Write("calc/hubconf.cs", HubconfSamples.Calculator);
        Temp.Write("calc/Helpers.cs", HubconfSamples.CalculatorHelpers);
        var hub = new Hub();
        dynamic result = hub.Load(Temp.Combine("calc"), "combine", [2], new System.Collections.Generic.Dictionary<string, object?> { ["label"] = "x" })!;
        Assert.Equal(12, (int)result.Value);
        Assert.Equal("x", (string)result.Label);
        Assert.Equal(Temp.Combine("calc"), hub.Load(Temp.Combine("calc"), "where"));
    }

    [Fact]
    public void AnythingElse_IsASpec_ResolvedWithTheTrustRules()
    {
        // Not a folder, so a spec: an untrusted repository with nobody to ask fails before any request.
        var ex = Assert.Throws<HubException>(() => new Hub().Load("acme/zoo:v1", "model"));
        Assert.Equal(HubErrorIds.UntrustedRepository, ex.ErrorId);
        Assert.False(Directory.Exists(Path.Combine(HubDir, "acme_zoo_v1")));

        var bad = Assert.Throws<HubException>(() => new Hub().Load("not a spec", "model"));
        Assert.Equal(HubErrorIds.InvalidRepositorySpec, bad.ErrorId);
    }
}
