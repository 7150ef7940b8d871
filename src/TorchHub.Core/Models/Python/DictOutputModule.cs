using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using static TorchSharp.torch;

namespace TorchHub.Models.Python;

/// <summary>
/// A hubconf.py model whose forward returns a Dict (e.g. torchvision's segmentation models), as
/// PyTorch returns it: a dictionary keyed by the same names, in the same order. TorchSharp 0.107
/// cannot take a Dict (nor a string) from a ScriptModule, so the exported file returns
/// [key, value, key, value, ...] with each key as a tensor of its code points, rebuilt here.
/// </summary>
public sealed class DictOutputModule : nn.Module<Tensor, Dictionary<string, Tensor>>
{
    public DictOutputModule(jit.ScriptModule exported) : base(nameof(DictOutputModule))
    {
        Exported = exported;
        register_module("exported", exported);
    }

    /// <summary>The TorchScript module as exported (returning the flat list).</summary>
    public jit.ScriptModule Exported { get; }

    public override Dictionary<string, Tensor> forward(Tensor input)
    {
        if (Exported.call(input) is not Tensor[] flat || flat.Length % 2 != 0)
            throw new InvalidOperationException("The exported module did not return the [key, value, ...] list TorchHub's Dict rewrap makes.");
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        for (var i = 0; i < flat.Length; i += 2)
        {
            using var codes = flat[i];
            result[Key(codes)] = flat[i + 1];
        }
        return result;
    }

    /// <summary>
    /// Disposes the exported module. Not base.Dispose: TorchSharp 0.107 disposes submodules while it
    /// enumerates them, so it disposes the ScriptModule and then asks it for its own submodules
    /// (ObjectDisposedException). This wrapper's own handle holds nothing and is freed by its SafeHandle.
    /// </summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing) Exported.Dispose();
    }

    private static string Key(Tensor codes)
    {
        var text = new StringBuilder();
        foreach (var code in codes.data<long>().ToArray()) text.Append(char.ConvertFromUtf32(checked((int)code)));
        return text.ToString();
    }
}
