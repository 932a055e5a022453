#!/usr/bin/env bash
# Shared helpers for Benchmarks/*/run.sh (source it).
#   measure CMD...      → prints "<seconds> <peak RSS KiB>" for one run of CMD (stdout discarded)
#   measure_cpu CMD...  → prints "<seconds> <peak RSS KiB> <user+sys seconds>"
#   ratio_stats A... -- B...  → prints "median min" of the ratios b_i / a_i (pairs alternate runs)
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$ROOT/.build/release"
OUT="$ROOT/bench-out"
mkdir -p "$OUT"

measure() {
  local log
  log=$(mktemp)
  /usr/bin/time -f "%e %M" -o "$log" "$@" >/dev/null 2>>"$OUT/bench.stderr" || { rm -f "$log"; return 1; }
  tail -n 1 "$log"
  rm -f "$log"
}

# measure_cpu CMD... → "<elapsed s> <peak RSS KiB> <user+sys s>" (CPU time is steadier than wall
# time when other jobs share the two cores).
measure_cpu() {
  local log
  log=$(mktemp)
  /usr/bin/time -f "%e %M %U %S" -o "$log" "$@" >/dev/null 2>>"$OUT/bench.stderr" || { rm -f "$log"; return 1; }
  tail -n 1 "$log" | awk '{ printf "%s %s %.3f\n", $1, $2, $3 + $4 }'
  rm -f "$log"
}

# ratio_stats "a1 a2 a3" "b1 b2 b3": median and min of b_i / a_i
ratio_stats() {
  python3 - "$1" "$2" <<'PY'
import sys, statistics
a = [float(x) for x in sys.argv[1].split()]; b = [float(x) for x in sys.argv[2].split()]
r = sorted(bi / ai for ai, bi in zip(a, b) if ai > 0)
print(f"{statistics.median(r):.2f} {min(r):.2f}")
PY
}
