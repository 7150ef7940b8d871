# Writes a float32 state dict of about <size MiB> with torch.save (zip format), for the benchmark.
# Run with Debian's PyTorch: /usr/bin/python3 make_state_dict.py <out.pth> [sizeMiB]
import sys, torch
out = sys.argv[1]
size_mib = int(sys.argv[2]) if len(sys.argv) > 2 else 1024
torch.manual_seed(0)
per_tensor = 4 * 1024 * 1024  # 16 MiB of float32 per weight, like a large conv/linear layer
state = {}
for i in range(size_mib // 16):
    state[f"layers.{i}.weight"] = torch.randn(2048, per_tensor // 2048)
    state[f"layers.{i}.bias"] = torch.randn(2048)
torch.save(state, out)
