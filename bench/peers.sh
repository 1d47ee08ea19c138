#!/usr/bin/env bash
# Side-by-side training speed on this machine: annlab bench against the NumPy reference of the lab,
# the TorchSharp peer and scikit-learn's MLPClassifier, same data (all 70,000 images, 56,000
# training), batch 200, sigmoid, learning rate 0.1, 2 threads. This VM's speed drifts by tens of
# percent from minute to minute (other tenants), so the tools run in turn, ROUNDS times, and each
# one's best round is reported (as Python's timeit does), with all rounds listed. Used for the
# README's table.
#
# Usage: bench/peers.sh [EPOCHS=5] [ROUNDS=3]
#   needs: apt-get install python3-numpy python3-scipy libopenblas0-pthread (for the NumPy reference)
#          a built copy of ../shared/anchors/torchsharp in /tmp/torchsharp (see its README)
#          apt-get install python3-sklearn python3-threadpoolctl (for scikit-learn; skipped when missing)
set -euo pipefail
cd "$(dirname "$0")/.."
epochs=${1:-5}
rounds=${2:-3}
data=data/fashion-mnist
dotnet build src/AnnLab.Cli -c Release -v quiet -nologo > /dev/null
annlab=src/AnnLab.Cli/bin/Release/net10.0/annlab
numpy=../shared/anchors/seed_numpy.py
peers=../shared/anchors/peers.py
torch=/tmp/torchsharp/bin/Release/net10.0/linux-x64/TorchAnchor
log=$(mktemp)

for round in $(seq "$rounds"); do
  for hidden in 25 256; do
    json=$(mktemp)
    "$annlab" bench --hidden "$hidden" --epochs "$epochs" --threads 2 --json "$json" > /dev/null
    python3 -c "import json; r=json.load(open('$json')); print(f'annlab 784-$hidden-10 {r[\"samples_per_second\"]:.0f}')" >> "$log"
    # NumPy: steady-state epochs (the first is left out), OpenBLAS with its own kernel choice.
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 "$numpy" "$data" 70000 "$hidden" "$epochs" gd 2>&1 \
      | awk -v h="$hidden" '/^epoch/ && $2 != "1:" {gsub("s","",$3); t += $3; n++} END {printf "numpy 784-%s-10 %.0f\n", h, 56000 * n / t}' >> "$log"
    if [ -x "$torch" ]; then
      "$torch" "$data" 70000 "$hidden" "$epochs" 2 2>&1 \
        | awk -v h="$hidden" '/^epoch/ && $2 != "1:" {t += $3; n++} END {printf "torchsharp 784-%s-10 %.0f\n", h, 56000 * n / t}' >> "$log"
    fi
    # scikit-learn: all epochs timed together (it reports no per-epoch times).
    if /usr/bin/python3 -c "import sklearn, threadpoolctl" 2> /dev/null; then
      /usr/bin/python3 "$peers" "$data" 70000 "$hidden" "$epochs" sklearn 2 2>&1 \
        | sed -nE "s/^sklearn:.*samples_per_s=([0-9]+).*/scikit-learn 784-$hidden-10 \1/p" >> "$log"
    fi
  done
done

# One line per tool and network: the best round, then every round in order.
python3 - "$log" <<'PY'
import sys
rounds = {}
for line in open(sys.argv[1]):
    tool, net, value = line.split()
    key = f"{tool} {net}"
    rounds.setdefault(key, []).append(int(value))
for key, values in rounds.items():
    print(f"{key}: best {max(values):,} samples/s (rounds: {', '.join(f'{v:,}' for v in values)})")
PY
