"""TorchHub's export runner: runs one hubconf.py entrypoint and saves it as TorchScript.

Started by TorchHub (Models/Python/PythonExporter.cs) inside its sandbox. Standard library and
torch only. Talks to the parent over its own stdin/stdout, one JSON object per line:
  parent -> child  first line: the request {repo, name, args, kwargs, example, output, hub_dir, limits}
  child  -> parent {"op": "download", "url", "hash_prefix", "file_name"}   (answered by {"path"} or {"error"})
  child  -> parent {"op": "step", "step"}                                    (progress)
  child  -> parent {"op": "done", "method", "output", "dict_output", "torch"}
  child  -> parent {"op": "failed", "step", "error", "traceback"}   (step "result": the entrypoint returned no nn.Module)
Whatever the repository's code prints goes to stderr, never into the protocol.
"""
import base64
import ctypes
import importlib.util
import json
import os
import platform
import shutil
import sys
import traceback

PROTOCOL_OUT = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
os.dup2(2, 1)  # the repository's prints (even from C code) land on stderr
sys.stdout = sys.stderr
PROTOCOL_IN = sys.stdin


def send(message):
    PROTOCOL_OUT.write(json.dumps(message) + "\n")
    PROTOCOL_OUT.flush()


def receive():
    line = PROTOCOL_IN.readline()
    if not line:
        raise SystemExit(4)  # the parent is gone
    return json.loads(line)


class StepFailed(Exception):
    def __init__(self, step, message):
        super().__init__(message)
        self.step = step


# --- no network: torch.hub's downloads are done by the parent --------------------------------

def ask_parent_to_download(url, dst, hash_prefix=None, progress=True):
    """torch.hub.download_url_to_file, answered by TorchHub's downloader in the parent."""
    send({"op": "download", "url": url, "hash_prefix": hash_prefix, "file_name": os.path.basename(dst)})
    answer = receive()
    if "error" in answer:
        raise RuntimeError(answer["error"])
    path = answer["path"]
    if os.path.realpath(path) != os.path.realpath(dst):
        shutil.copyfile(path, dst)


def route_downloads_to_parent(torch):
    torch.hub.download_url_to_file = ask_parent_to_download


# --- confinement: applied after torch is imported, before the repository's code runs ----------

# seccomp: no new processes, no program execution, no sockets but AF_UNIX, no io_uring.
_SYSCALLS = {
    # machine: (audit arch, seccomp, fork, vfork, clone, clone3, execve, execveat, socket, io_uring_setup)
    "x86_64": (0xC000003E, 317, 57, 58, 56, 435, 59, 322, 41, 425),
    "aarch64": (0xC00000B7, 277, None, None, 220, 435, 221, 281, 198, 425),
}
_LD_ABS, _JEQ, _JSET, _JGE, _RET = 0x20, 0x15, 0x45, 0x35, 0x06
_ALLOW, _KILL = 0x7FFF0000, 0x80000000
_EPERM, _EACCES, _ENOSYS = 1, 13, 38
_CLONE_THREAD, _AF_UNIX = 0x00010000, 1


def _errno(code):
    return 0x00050000 | code


def seccomp_program(machine):
    arch, _, fork, vfork, clone, clone3, execve, execveat, socket, io_uring = _SYSCALLS[machine]
    prog = [(_LD_ABS, 0, 0, 4), (_JEQ, 1, 0, arch), (_RET, 0, 0, _KILL), (_LD_ABS, 0, 0, 0)]
    if machine == "x86_64":
        prog += [(_JGE, 0, 1, 0x40000000), (_RET, 0, 0, _errno(_EPERM))]  # x32 ABI
    for nr, action in ((fork, _EPERM), (vfork, _EPERM), (execve, _EPERM), (execveat, _EPERM),
                       (io_uring, _EPERM), (clone3, _ENOSYS)):  # ENOSYS: glibc falls back to clone
        if nr is not None:
            prog += [(_JEQ, 0, 1, nr), (_RET, 0, 0, _errno(action))]
    # clone: threads only (CLONE_THREAD); socket: AF_UNIX only. args[0] low word is at offset 16.
    prog += [(_JEQ, 0, 4, clone), (_LD_ABS, 0, 0, 16), (_JSET, 0, 1, _CLONE_THREAD),
             (_RET, 0, 0, _ALLOW), (_RET, 0, 0, _errno(_EPERM))]
    prog += [(_JEQ, 0, 4, socket), (_LD_ABS, 0, 0, 16), (_JEQ, 0, 1, _AF_UNIX),
             (_RET, 0, 0, _ALLOW), (_RET, 0, 0, _errno(_EACCES))]
    prog += [(_RET, 0, 0, _ALLOW)]
    return prog


class _SockFilter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint)]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_SockFilter))]


def install_seccomp():
    """Returns a description of what was installed, or why nothing was."""
    machine = platform.machine()
    if not sys.platform.startswith("linux"):
        return "none (seccomp is Linux only)"
    if machine not in _SYSCALLS:
        return "none (no filter for " + machine + ")"
    prog = seccomp_program(machine)
    filters = (_SockFilter * len(prog))(*[_SockFilter(*i) for i in prog])
    fprog = _SockFprog(len(prog), filters)
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(38, 1, 0, 0, 0) != 0:  # PR_SET_NO_NEW_PRIVS
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
    # seccomp(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC): every thread torch started too.
    if libc.syscall(_SYSCALLS[machine][1], 1, 1, ctypes.byref(fprog)) != 0:
        raise OSError(ctypes.get_errno(), "seccomp(SECCOMP_SET_MODE_FILTER) failed")
    return "seccomp"


def apply_limits(limits):
    try:
        import resource
    except ImportError:  # Windows: only the parent's timeout applies
        return

    def cap(kind, value):
        if value:
            resource.setrlimit(kind, (value, value))

    cap(resource.RLIMIT_AS, limits.get("address_space"))
    cap(resource.RLIMIT_FSIZE, limits.get("file_size"))
    cap(resource.RLIMIT_CPU, limits.get("cpu_seconds"))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


# --- the steps ---------------------------------------------------------------------------------

def import_hubconf(repo):
    path = os.path.join(repo, "hubconf.py")
    sys.path.insert(0, repo)  # as torch.hub does, so hubconf's own imports resolve
    spec = importlib.util.spec_from_file_location("hubconf", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["hubconf"] = module
    spec.loader.exec_module(module)
    missing = [d for d in getattr(module, "dependencies", []) if importlib.util.find_spec(d) is None]
    if missing:
        raise StepFailed("import", "Missing dependencies: " + ", ".join(missing))
    return module


def example_inputs(torch, example):
    if not example:
        return None
    tensors = []
    for item in example:
        data = bytearray(base64.b64decode(item["data"]))
        dtype = getattr(torch, item["dtype"])
        flat = torch.frombuffer(data, dtype=dtype) if data else torch.empty(0, dtype=dtype)
        tensors.append(flat.reshape(item["shape"]).clone())
    return tuple(tensors)


def dict_output_wrapper(torch, inner):
    """A module whose forward returns [key0, value0, key1, value1, ...], each key a tensor of its
    code points: TorchSharp 0.107 cannot take a Dict (nor a str) from a ScriptModule."""
    from typing import List

    class DictOutputAsList(torch.nn.Module):
        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, x: torch.Tensor) -> List[torch.Tensor]:
            out = self.model(x)
            flat: List[torch.Tensor] = []
            for key, value in out.items():
                flat.append(torch.tensor([ord(c) for c in key], dtype=torch.int64))
                flat.append(value)
            return flat

    return DictOutputAsList(inner)


def returns_dict(torch, scripted):
    returns = scripted.forward.schema.returns
    return len(returns) == 1 and isinstance(returns[0].type, torch._C.DictType)


def export(torch, model, example):
    """torch.jit.script, else torch.jit.trace on the example input. Returns (module, method, dict)."""
    try:
        scripted = torch.jit.script(model)
    except Exception as script_error:  # noqa: BLE001 - any failure falls back to tracing
        if example is None:
            raise StepFailed("script", f"{type(script_error).__name__}: {script_error}".strip()
                             + "\n(no example input was given, so tracing was not tried)")
        send({"op": "step", "step": "trace"})
        try:
            with torch.no_grad():
                eager = model(*example)
            wrap = isinstance(eager, dict)
            target = dict_output_wrapper(torch, model) if wrap else model
            return torch.jit.trace(target, example, strict=False, check_trace=False), "trace", wrap
        except StepFailed:
            raise
        except Exception as trace_error:  # noqa: BLE001
            raise StepFailed("trace", f"script: {type(script_error).__name__}: {str(script_error).strip()}\n"
                                      f"trace: {type(trace_error).__name__}: {trace_error}")
    if returns_dict(torch, scripted):
        try:
            return torch.jit.script(dict_output_wrapper(torch, model)), "script", True
        except Exception as wrap_error:  # noqa: BLE001
            raise StepFailed("script", f"The model returns a Dict, which TorchSharp cannot receive, and "
                                       f"rewrapping it failed: {type(wrap_error).__name__}: {wrap_error}")
    return scripted, "script", False


def run(request):
    step = "import"
    try:
        import torch
        import torch.hub

        torch.hub.set_dir(request["hub_dir"])
        route_downloads_to_parent(torch)
        confinement = install_seccomp() if request.get("seccomp", True) else "none"
        apply_limits(request.get("limits", {}))
        send({"op": "step", "step": "import", "confinement": confinement, "torch": torch.__version__})
        hubconf = import_hubconf(request["repo"])

        step = "call"
        send({"op": "step", "step": step})
        entry = getattr(hubconf, request["name"], None)
        if entry is None or not callable(entry):
            raise StepFailed(step, f"Cannot find callable {request['name']} in hubconf")
        model = entry(*request.get("args", []), **request.get("kwargs", {}))
        if not isinstance(model, torch.nn.Module):
            raise StepFailed("result", f"{request['name']} returned {type(model).__module__}.{type(model).__qualname__}, "
                                       "not a torch.nn.Module; only modules can be exported to TorchScript")
        model.eval()

        step = "script"
        send({"op": "step", "step": step})
        module, method, dict_output = export(torch, model, example_inputs(torch, request.get("example")))

        step = "save"
        send({"op": "step", "step": step})
        torch.jit.save(module, request["output"])
        send({"op": "done", "method": method, "output": request["output"], "dict_output": dict_output,
              "torch": torch.__version__, "confinement": confinement})
    except StepFailed as failure:
        send({"op": "failed", "step": failure.step, "error": str(failure), "traceback": traceback.format_exc()})
        raise SystemExit(3)
    except BaseException as error:  # noqa: BLE001 - every failure is reported with its step
        if isinstance(error, SystemExit) and error.code in (0, None):
            error = RuntimeError("the repository's code called sys.exit()")
        send({"op": "failed", "step": step, "error": f"{type(error).__name__}: {error}",
              "traceback": traceback.format_exc()})
        raise SystemExit(3)


if __name__ == "__main__":
    run(receive())
