using System.Linq;
using System.Collections.Specialized;
using TorchHub.Errors;
using TorchHub.Runtime;
using TorchHub.Tensors;
using Xunit;
using static TorchSharp.torch;

namespace TorchHub.Tests.Engine.Tensors;

/// <summary>The C# path: a TorchSharp module written in C#, PyTorch's weights loaded into it, same outputs.</summary>
public class LoadIntoModuleTests
{
    /// <summary>The fixture's architecture: relu(Linear(4, 2)(x)), with the submodule named "fc" as in PyTorch.</summary>
    private sealed class Tiny : nn.Module<Tensor, Tensor>
    {
        private readonly TorchSharp.Modules.Linear fc = nn.Linear(4, 2);

        public Tiny() : base(nameof(Tiny)) => RegisterComponents();

        public override Tensor forward(Tensor x) => nn.functional.relu(fc.forward(x));
    }

    private static Tiny NewTiny()
    {
        TorchSharpRuntime.EnsureLoaded();
        return new Tiny();
    }

    [Theory]
    [InlineData("tiny_state.pth")]
    [InlineData("tiny_state_legacy_format.pth")]
    [InlineData("tiny_state_zipped.zip")]
    [InlineData("tiny_state.safetensors")]
    public void LoadedWeightsGivePyTorchsForward(string fixture)
    {
        var hub = new Hub();
        using var model = NewTiny();
        var result = Hub.LoadIntoModule(model, hub.LoadStateDict(TorchFixtures.PathOf(fixture)));
        Assert.True(result.IsComplete);
        model.eval();
        using var y = model.forward(ones(1, 4));
        TorchFixtures.AssertTensor(TorchFixtures.Expected.GetProperty("tiny_forward_ones"), y);
    }

    [Fact]
    public void LoadStateDict_IsNameToTensorInFileOrder_AndRefusesACheckpointThatIsNotOne()
    {
        var hub = new Hub();
        var state = hub.LoadStateDict(TorchFixtures.PathOf("tiny_state.pth"));
        Assert.Equal(new[] { "fc.weight", "fc.bias" }, state.Keys.Cast<string>());
        Assert.All(state.Values.Cast<object>(), value => Assert.IsType<Tensor>(value));

        // A training checkpoint without a 'state_dict' entry: 'epoch' is no tensor.
        var ex = Assert.Throws<HubException>(() => hub.LoadStateDict(TorchFixtures.PathOf("checkpoint_nested.pth")));
        Assert.Equal(HubErrorIds.UnsupportedCheckpoint, ex.ErrorId);
        Assert.Contains("'epoch' holds Int64, not a tensor", ex.Message);
    }

    [Fact]
    public void ShapeMismatchIsAlwaysAnErrorAndNothingIsCopied()
    {
        using var model = NewTiny();
        var before = model.state_dict()["fc.bias"].clone();
        var state = new OrderedDictionary { ["fc.weight"] = zeros(3, 4), ["fc.bias"] = ones(2) };
        var ex = Assert.Throws<HubException>(() => Hub.LoadIntoModule(model, state, strict: false));
        Assert.Equal(HubErrorIds.StateDictMismatch, ex.ErrorId);
        Assert.Contains("fc.weight: checkpoint (3, 4) vs module (2, 4)", ex.Message);
        Assert.Equal(TorchFixtures.Values(before), TorchFixtures.Values(model.state_dict()["fc.bias"]));
    }

    [Fact]
    public void NonStrictLoadsTheMatchingKeysAndReportsTheRest()
    {
        using var model = NewTiny();
        var state = new OrderedDictionary { ["fc.bias"] = full(2, 5f), ["head.weight"] = zeros(1) };
        var result = Hub.LoadIntoModule(model, state, strict: false);
        Assert.Equal(new[] { "fc.bias" }, result.LoadedKeys);
        Assert.Equal(new[] { "fc.weight" }, result.MissingKeys);
        Assert.Equal(new[] { "head.weight" }, result.UnexpectedKeys);
        Assert.Equal(5f, model.state_dict()["fc.bias"][1].item<float>());
    }

    [Fact]
    public void TorchScriptForwardEqualsPyTorch()
    {
        using var script = new Hub().LoadTorchScript(TorchFixtures.PathOf("tiny_script.pt"));
        using var y = (Tensor)script.forward(ones(1, 4));
        TorchFixtures.AssertTensor(TorchFixtures.Expected.GetProperty("tiny_forward_ones"), y);
    }
}
