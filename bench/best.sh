#!/usr/bin/env bash
# The "beyond the lab" experiment: `annlab train --preset best` on the official split with three
# seeds, then one ingredient taken away at a time (seed 1). Prints test accuracy and training
# seconds per run; used for the README's table.
# Usage: bench/best.sh [OUT_DIR=/tmp/annlab-best]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-/tmp/annlab-best}
mkdir -p "$out"
dotnet build src/AnnLab.Cli -c Release -v quiet -nologo > /dev/null
annlab=src/AnnLab.Cli/bin/Release/net10.0/annlab
run() {
  local name=$1; shift
  rm -rf "$out/$name"
  "$annlab" train --preset best --no-figures --output "$out/$name" "$@" > "$out/$name.log" 2>&1 || true
  python3 -c "import json; r=json.load(open('$out/$name/results.json')); print(f\"$name: test {r['test_accuracy']*100:.2f} %, validation {r['validation_accuracy']*100:.2f} %, {r['train_seconds']:.0f} s\")"
}
for seed in 1 2 3; do run "seed$seed" --seed "$seed"; done
run no-dropout --dropout 0
run constant-rate --schedule constant
run plain-sgd --optimizer sgd --learning-rate 0.1
run one-hidden-256 --hidden 256
run sigmoid-output --output-activation sigmoid
