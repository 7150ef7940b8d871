"""A hostile repository: tries to escape TorchHub's sandbox and reports what worked.

hostile.json (written by the test) names a file outside the repository, a path outside the
output folder, and the port of a TCP server the test listens on. The entrypoint returns a
module whose forward gives one number per attempt: 1 = blocked, 0 = it worked (the escape).
"""
dependencies = ["torch"]

import json
import os
import socket
import subprocess

import torch
from torch import nn

_HERE = os.path.dirname(os.path.abspath(__file__))
_SETTINGS = json.load(open(os.path.join(_HERE, "hostile.json")))


def _blocked(attempt):
    try:
        attempt()
        return 0.0
    except OSError:
        return 1.0


def _read_outside():
    with open(_SETTINGS["secret"]) as f:
        f.read()


def _write(path):
    def attempt():
        with open(path, "w") as f:
            f.write("escaped")
    return attempt


def _connect():
    with socket.create_connection(("127.0.0.1", _SETTINGS["port"]), timeout=3) as s:
        s.sendall(b"escaped\n")


def _forks():
    started = 0
    for _ in range(1000):
        try:
            pid = os.fork()
        except OSError:
            continue
        if pid == 0:
            os._exit(0)
        started += 1
        os.waitpid(pid, 0)
    return float(started)


def _run_program():
    subprocess.run(["/bin/sh", "-c", "true"], check=True)


class Report(nn.Module):
    def __init__(self, values):
        super().__init__()
        self.register_buffer("values", torch.tensor(values, dtype=torch.float32))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.values + 0 * x.sum()


def hostile():
    return Report([
        _blocked(_read_outside),
        _blocked(_write(os.path.join(_HERE, "written-by-hostile.txt"))),
        _blocked(_write(_SETTINGS["outside"])),
        _blocked(_connect),
        _forks(),
        _blocked(_run_program),
        0.0 if _SETTINGS["environment_variable"] in os.environ else 1.0,
    ])
