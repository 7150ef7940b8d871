"""Small models for TorchHub's Python route tests: seeded random weights, each a shape of output."""
dependencies = ["torch"]

import os
from typing import Dict, Optional, Tuple

import torch
from torch import nn

_HERE = os.path.dirname(os.path.abspath(__file__))
_URL_FILE = os.path.join(_HERE, "weights_url.txt")  # written by the test that serves the weights
DEFAULT_WEIGHTS_URL = open(_URL_FILE).read().strip() if os.path.exists(_URL_FILE) else "http://127.0.0.1:9/none.pth"


def _seeded(module, seed):
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for parameter in module.parameters():
            parameter.copy_(torch.randn(parameter.shape, generator=generator) * 0.5)
    return module.eval()


def mlp(width=8, seed=0):
    """Linear(4, width), ReLU, Linear(width, 3) with seeded random weights."""
    return _seeded(nn.Sequential(nn.Linear(4, width), nn.ReLU(), nn.Linear(width, 3)), seed)


def pretrained(weights_url=DEFAULT_WEIGHTS_URL):
    """mlp() with weights from a URL: the default argument downloads."""
    model = mlp()
    model.load_state_dict(torch.hub.load_state_dict_from_url(weights_url, progress=False))
    return model


class Heads(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Linear(4, 6)
        self.aux = nn.Linear(4, 2)

    def forward(self, x: torch.Tensor) -> Dict[str, torch.Tensor]:
        return {"out": self.body(x), "aux": torch.sigmoid(self.aux(x))}


def heads():
    """Returns a Dict, like torchvision's segmentation models."""
    return _seeded(Heads(), 1)


class Pair(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(4, 2)

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, Optional[torch.Tensor]]:
        return self.lin(x), None


def pair():
    """Returns a tuple whose second item is None."""
    return _seeded(Pair(), 2)


class LambdaActivation(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(4, 3)
        self.activation = lambda t: t.clamp(min=0) * 2  # torch.jit.script cannot compile a lambda attribute

    def forward(self, x):
        return self.activation(self.lin(x))


def needs_trace():
    """Cannot be scripted; traces fine on an example input."""
    return _seeded(LambdaActivation(), 3)


class ListOfFloats(LambdaActivation):
    def forward(self, x):
        return self.activation(self.lin(x)).tolist()  # neither scriptable nor traceable


def unexportable():
    return _seeded(ListOfFloats(), 4)


def broken():
    raise ValueError("broken on purpose")


def not_a_module():
    return 42


def sleeper(seconds=120):
    import time
    time.sleep(seconds)
    return mlp()


def hog(gigabytes=8):
    blob = bytearray(gigabytes << 30)  # beyond the address-space limit the test sets
    return mlp(width=len(blob) % 7 + 1)


def chatty():
    print("a print from the repository's code")
    return mlp()
