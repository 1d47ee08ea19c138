#!/usr/bin/env bash
# Side-by-side training speed on this machine: annlab bench against the NumPy reference of the lab
# and the TorchSharp peer, same data (all 70,000 images, 56,000 training), batch 200, sigmoid,
# learning rate 0.1, lambda 1, 2 threads. Prints one line per run; used for the README's table.
#
# Usage: bench/peers.sh [EPOCHS=5]
#   needs: apt-get install python3-numpy python3-scipy libopenblas0-pthread (for the NumPy reference)
#          a built copy of ../shared/anchors/torchsharp in /tmp/torchsharp (see its README)
set -euo pipefail
cd "$(dirname "$0")/.."
epochs=${1:-5}
data=data/fashion-mnist
dotnet build src/AnnLab.Cli -c Release -v quiet -nologo > /dev/null
annlab=src/AnnLab.Cli/bin/Release/net10.0/annlab
numpy=../shared/anchors/seed_numpy.py
torch=/tmp/torchsharp/bin/Release/net10.0/linux-x64/TorchAnchor

for hidden in 25 256; do
  json=$(mktemp)
  "$annlab" bench --hidden "$hidden" --epochs "$epochs" --threads 2 --json "$json" > /dev/null
  python3 -c "import json,sys; r=json.load(open('$json')); print(f'annlab 784-$hidden-10: {r[\"samples_per_second\"]:,.0f} samples/s, {r[\"seconds_per_epoch\"]:.3f} s/epoch, {r[\"gflops\"]:.1f} GFLOP/s')"
  # NumPy: steady-state epochs (the first is left out), OpenBLAS with its own kernel choice.
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 "$numpy" "$data" 70000 "$hidden" "$epochs" gd 2>&1 \
    | awk -v h="$hidden" '/^epoch/ && $2 != "1:" {gsub("s","",$3); t += $3; n++} END {printf "numpy 784-%s-10: %.0f samples/s, %.3f s/epoch\n", h, 56000 * n / t, t / n}'
  if [ -x "$torch" ]; then
    "$torch" "$data" 70000 "$hidden" "$epochs" 2 2>&1 \
      | awk -v h="$hidden" '/^epoch/ && $2 != "1:" {t += $3; n++} END {printf "torchsharp 784-%s-10: %.0f samples/s, %.3f s/epoch\n", h, 56000 * n / t, t / n}'
  fi
done
