"""PyTorch's eager outputs for the "vision-route2" bench (bench/README.md), one request per line.

Reads JSON lines {"name", "kwargs", "export", "dict_output", "out"} on stdin: builds torchvision's
<name>(weights=None, **kwargs), loads the state_dict of the TorchScript file TorchHub exported (strict: the
same keys and shapes), runs it eagerly in eval mode on fixed random inputs and writes
{"input0", ..., "output0", ...} to <out> with torch.save (None outputs skipped, dicts in key order).
Answers one JSON line: {"inputs": n, "outputs": n} or {"error": "..."}.
"""
import json
import sys
import traceback
from collections import OrderedDict

import torch
import torchvision.models as models
from torchvision.models import optical_flow, segmentation


def inputs_for(name):
    g = torch.Generator().manual_seed(1)
    if name.startswith("raft_"):
        return [torch.rand(1, 3, 128, 128, generator=g) * 2 - 1, torch.rand(1, 3, 128, 128, generator=g) * 2 - 1]
    size = 299 if name == "inception_v3" else 224
    return [torch.randn(1, 3, size, size, generator=g)]


def flatten(value):
    if value is None:
        return []
    if isinstance(value, torch.Tensor):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in flatten(v)]
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in flatten(v)]
    raise TypeError(f"unexpected output {type(value).__name__}")


def builder(name):
    for namespace in (models, segmentation, optical_flow):
        if hasattr(namespace, name):
            return getattr(namespace, name)
    raise KeyError(name)


def answer(request):
    name = request["name"]
    exported = torch.jit.load(request["export"], map_location="cpu")
    state = exported.state_dict()
    if request["dict_output"]:  # TorchHub's Dict rewrap holds the model as "model"
        state = {k[len("model."):]: v for k, v in state.items()}
    model = builder(name)(weights=None, **request.get("kwargs", {}))
    # A TorchScript state_dict has no per-module versions (_metadata); without them MNASNet reads
    # it as its old layout. The versions are those of the builder's own modules.
    state = OrderedDict(state)
    state._metadata = model.state_dict()._metadata
    model.load_state_dict(state, strict=True)
    model.eval()
    xs = inputs_for(name)
    with torch.no_grad():
        ys = flatten(model(*xs))
    io = {f"input{i}": x for i, x in enumerate(xs)}
    io.update({f"output{i}": y for i, y in enumerate(ys)})
    torch.save(io, request["out"])
    return {"inputs": len(xs), "outputs": len(ys)}


def main():
    torch.set_num_threads(1)
    for line in sys.stdin:
        try:
            reply = answer(json.loads(line))
        except Exception as error:  # noqa: BLE001 - reported to the bench, which records it
            traceback.print_exc()
            reply = {"error": f"{type(error).__name__}: {error}"}
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
