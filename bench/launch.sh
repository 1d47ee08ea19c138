#!/usr/bin/env bash
# Launch to table of the default `annlab train` (issue 14): seconds from starting the built binary
# to the line of the table's "validation accuracy" on its output, with the training seconds the
# table reports and the exit time (after the figures). ROUNDS runs in a row, each into a new folder.
#
# Usage: bench/launch.sh [ROUNDS=5] [BINARY=src/AnnLab.Cli/bin/Release/net10.0/annlab] [EXTRA OPTIONS...]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
binary=${2:-src/AnnLab.Cli/bin/Release/net10.0/annlab}
given=${2:-}
shift $(( $# > 2 ? 2 : $# ))
if [ -z "$given" ]; then
  dotnet build src/AnnLab.Cli -c Release -v quiet -nologo > /dev/null
elif [ ! -x "$binary" ]; then
  echo "bench/launch.sh: BINARY: got $binary, expected an executable annlab" >&2
  exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$rounds" "$binary" "$work" "$@" <<'PY'
import subprocess, sys, time, re
rounds, binary, work, extra = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
for r in range(1, rounds + 1):
    start = time.monotonic()
    p = subprocess.Popen([binary, "train", "--output", f"{work}/run{r}", *extra], stdout=subprocess.PIPE, text=True)
    table = training = None
    for line in p.stdout:
        if table is None and "validation accuracy" in line and "│" in line:
            table = time.monotonic() - start
        m = re.search(r"training seconds\s*│\s*([0-9.]+)", line)
        if m:
            training = float(m.group(1))
    p.wait()
    end = time.monotonic() - start
    if p.returncode != 0 or table is None:
        sys.exit(f"round {r}: annlab exited {p.returncode}, table line seen: {table is not None}")
    print(f"round {r}: launch to table {table:.2f} s (training {training:.2f} s), exit {end:.2f} s")
PY
