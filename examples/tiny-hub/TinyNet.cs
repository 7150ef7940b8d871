using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TinyHub;

/// <summary>
/// relu(Linear(4, 2)): the same network as <c>TinyNet</c> in hubconf.py, so PyTorch's state
/// dict (keys <c>fc.weight</c>, <c>fc.bias</c>) loads into it unchanged. TorchSharp names the
/// state-dict entries after the fields, as PyTorch names them after the attributes.
/// </summary>
public sealed class TinyNet : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc;

    public TinyNet() : base(nameof(TinyNet))
    {
        fc = nn.Linear(4, 2);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => nn.functional.relu(fc.forward(input));
}
