#!/usr/bin/env bash
# Runs every benchmark once, one after the other (they compete for the same two cores), and keeps
# each one's output in bench/results/<name>.txt. Run on a quiet machine: bash bench/run-all.sh
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/results
dotnet build -c Release bench/TorchHub.Bench >/dev/null && dotnet build -c Release bench/TorchHub.TensorBench >/dev/null || exit 1
bench=bench/TorchHub.Bench/bin/Release/net10.0/TorchHub.Bench.dll
tensors=bench/TorchHub.TensorBench/bin/Release/net10.0/TorchHub.TensorBench.dll
run() { local name=$1; shift; echo "== $name: $*"; "$@" 2>&1 | tee "bench/results/$name.txt"; }
run entrypoints dotnet "$bench" entrypoints          # issue 2: listing and help
run github      dotnet "$bench" github 2000 50        # issue 3: GitHub source, cache
run downloads   dotnet "$bench" run 1024              # issue 4: Save-HubFile vs curl, torch, sha256sum
run tensors     dotnet "$tensors" run 1024 5          # issue 5: state dict load vs torch.load
run hubconf     dotnet "$bench" hubconf               # issue 6: Import-HubModel cold and warm
run pyroute     dotnet "$bench" pyroute               # issue 10: Route 2 cold and warm vs torch.hub.load
run startup     dotnet "$bench" startup               # issue 14: start-up in real pwsh vs torch.hub
run ports       dotnet "$bench" ports resnet18 resnet152   # issue 10: route 1 load vs torchvision
run restore     dotnet "$bench" restore 20 5 8        # issue 13: Restore-HubCache cold/warm, through a mirror
