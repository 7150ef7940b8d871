# One torch.load measurement: prints "TIME <s> PEAK <MiB> BASE <MiB>" (peak and base resident set).
import sys, time, torch

def rss(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")

path = sys.argv[1]
base = rss("VmRSS")
start = time.perf_counter()
state = torch.load(path, map_location="cpu")
elapsed = time.perf_counter() - start
print(f"TIME {elapsed:.4f} PEAK {rss('VmHWM'):.1f} BASE {base:.1f} TENSORS {len(state)}")
