"""Fixtures for the TorchVision port tests, made with Debian's torchvision 0.14.1 (/usr/bin/python3).

  keys <out.json>               state_dict keys and shapes of every checked entrypoint, as torchvision's
                                builder returns the model when given weights (committed: keys.json)
  outputs <folder> <name>...    per entrypoint, random weights saved with torch.save (<name>.pth, in the
                                layout of the published file: googlenet keeps its aux1/aux2 heads) and
                                <name>.io.pth = {"input": x, "output": model(x)} in eval mode
                                (generated at test time; resnet-size files are too big to commit)
"""
import json
import sys

import torch
import torchvision
from torchvision import models

# Every entrypoint whose TorchSharp port was checked; the port table in TorchHub maps a subset.
CHECKED = """alexnet vgg11 vgg11_bn vgg13 vgg13_bn vgg16 vgg16_bn vgg19 vgg19_bn
resnet18 resnet34 resnet50 resnet101 resnet152 wide_resnet50_2 wide_resnet101_2
resnext50_32x4d resnext101_32x8d resnext101_64x4d mobilenet_v2 mobilenet_v3_small mobilenet_v3_large
inception_v3 googlenet""".split()

# What torchvision's builder passes to the class when weights are given (and no argument overrides it).
WITH_WEIGHTS = {
    "googlenet": {"transform_input": True, "aux_logits": False, "init_weights": False},
    "inception_v3": {"transform_input": True, "init_weights": False},
}


def build(name, **extra):
    return getattr(models, name)(weights=None, **{**WITH_WEIGHTS.get(name, {}), **extra})


def keys(out):
    result = {}
    for name in CHECKED:
        state = build(name).state_dict()
        result[name] = [[k, list(v.shape)] for k, v in state.items()]
    with open(out, "w") as f:
        json.dump({"torchvision": torchvision.__version__, "models": result}, f, separators=(",", ":"))
        f.write("\n")


def outputs(folder, names):
    torch.set_num_threads(1)
    for name in names:
        torch.manual_seed(0)
        # The published googlenet file holds the auxiliary heads; torchvision's builder drops them after loading.
        saved = build(name, aux_logits=True) if name == "googlenet" else build(name)
        with torch.no_grad():
            for p in saved.state_dict().values():
                if p.is_floating_point() and p.dim() > 0:
                    p.copy_(torch.randn_like(p) * (1.0 / max(1, p[0].numel()) ** 0.5))
                elif p.is_floating_point():
                    p.fill_(0.5)
            for m in saved.modules():  # running variances must stay positive
                if isinstance(m, torch.nn.BatchNorm2d):
                    m.running_var.uniform_(0.5, 1.5)
        torch.save(saved.state_dict(), f"{folder}/{name}.pth")
        model = build(name)
        state = {k: v for k, v in saved.state_dict().items() if not k.startswith(("aux1.", "aux2."))}
        model.load_state_dict(state)
        model.eval()
        size = 299 if name == "inception_v3" else 224
        x = torch.randn(1, 3, size, size, generator=torch.Generator().manual_seed(1))
        with torch.no_grad():
            y = model(x)
        torch.save({"input": x, "output": y}, f"{folder}/{name}.io.pth")
        print(name)


if __name__ == "__main__":
    if sys.argv[1] == "keys":
        keys(sys.argv[2])
    elif sys.argv[1] == "outputs":
        outputs(sys.argv[2], sys.argv[3:])
    else:
        sys.exit(__doc__)
