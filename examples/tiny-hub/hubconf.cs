// The .NET entrypoints of the tiny example hub (hubconf.py publishes the same model for PyTorch).
// TorchHub compiles this file with the repository's other *.cs files (TinyNet.cs) when
// Import-HubModel runs; Get-HubEntrypoint and Get-HubHelp only read it.
using TorchHub.Hubconf.CSharp;
using static TorchSharp.torch;

namespace TinyHub;

public static class Hubconf
{
    /// <summary>Assemblies the entrypoints need; checked before any of them runs.</summary>
    public static readonly string[] dependencies = ["TorchSharp"];

    /// <summary>
    /// A tiny network, relu(Linear(4, 2)): the smallest model worth loading.
    /// </summary>
    /// <param name="pretrained">Load the weights shipped in the repository (weights/tiny_state.pth, saved by PyTorch).</param>
    /// <param name="weightsUrl">Load the weights published at this URL instead; they are cached in the hub directory's
    /// checkpoints folder, as torch.hub.load_state_dict_from_url does.</param>
    /// <returns>A TinyNet in evaluation mode.</returns>
    /// <example>
    /// $net = Import-HubModel -Path ./examples/tiny-hub tiny -Parameter @{ pretrained = $true }
    /// $net.forward([TorchSharp.torch]::ones(1, 4)).data[float]().ToArray()
    /// </example>
    public static TinyNet tiny(bool pretrained = false, string? weightsUrl = null)
    {
        var model = new TinyNet();
        var hub = HubContext.Current;
        if (weightsUrl is not null)
            HubContext.LoadWeights(model, hub.LoadStateDictFromUrl(weightsUrl));
        else if (pretrained)
            HubContext.LoadWeights(model, hub.LoadStateDict("weights/tiny_state.pth"));
        model.eval();
        return model;
    }

    /// <summary>
    /// The same network as TorchScript (weights/tiny_script.pt, saved by torch.jit.save): no model class needed.
    /// </summary>
    /// <returns>A TorchScript module.</returns>
    public static jit.ScriptModule tiny_script() => HubContext.Current.LoadTorchScript("weights/tiny_script.pt");
}
