#!/usr/bin/python3
"""Regenerates expected.json in every fixture repository here, and vision.expected.json for
examples/vision (the torchvision-like repository the help examples use), from real torch.hub (run with
Debian's /usr/bin/python3 and python3-torch). Each repository is imported in its own process
exactly as torch.hub.list/help do: hubconf.py loaded by torch.hub._import_module with the
repository first on sys.path. The tests compare the static reader against these files."""
import json, os, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
PROBE = r'''
import inspect, json, sys
import torch, torch.hub
d = sys.argv[1]
sys.path.insert(0, d)
m = torch.hub._import_module(torch.hub.MODULE_HUBCONF, d + "/hubconf.py")
names = [f for f in dir(m) if callable(getattr(m, f)) and not f.startswith("_")]
docs = {n: getattr(m, n).__doc__ for n in names}
print(json.dumps({
    "python": sys.version.split()[0], "torch": torch.__version__,
    "list": names,
    "help": docs,
    "cleandoc": {n: (inspect.cleandoc(v) if isinstance(v, str) else None) for n, v in docs.items()},
    "dependencies": getattr(m, "dependencies", None),
}, indent=1, ensure_ascii=True, sort_keys=True))
'''
EXAMPLES = os.path.join(HERE, "..", "..", "..", "..", "examples")
repos = [(os.path.join(HERE, n), os.path.join(HERE, n, "expected.json")) for n in sorted(os.listdir(HERE))]
repos.append((os.path.join(EXAMPLES, "vision"), os.path.join(HERE, "vision.expected.json")))
for repo, target in repos:
    if not os.path.isfile(os.path.join(repo, "hubconf.py")) or os.path.basename(repo).startswith("bad"):
        continue
    out = subprocess.run([sys.executable, "-c", PROBE, os.path.abspath(repo)], capture_output=True, text=True, check=True, cwd="/").stdout
    open(target, "w").write(out)
    print(repo, "ok")
