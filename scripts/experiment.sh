#!/usr/bin/env bash
# `make experiment` (README.md "The experiment"): the demo pipeline over several seeds with a larger
# budget, then `rmppo report --aggregate`: win rate of the seq2seq arm against the scalar arm with
# 95% intervals, length and refusal rate per arm, each set against the paper's claims.
#   EXPERIMENT_SEEDS  seeds (default "1 2 3")      EXPERIMENT_SCALE  DEMO_SCALE per run (default 2)
#   EXPERIMENT_OUT    output root (default experiment-out); the report goes to $EXPERIMENT_OUT/report
# Every DEMO_* variable of scripts/demo.sh applies to each run (e.g. DEMO_TASK=length).
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=${EXPERIMENT_SEEDS:-1 2 3}
scale=${EXPERIMENT_SCALE:-2}
root=${EXPERIMENT_OUT:-experiment-out}
start=$(date +%s)
dirs=()
for seed in $seeds; do
  echo "experiment: seed $seed (DEMO_SCALE=$scale) → $root/seed-$seed" >&2
  DEMO_SEED=$seed DEMO_SCALE=$scale DEMO_OUT="$root/seed-$seed" DEMO_REPORT="$root/seed-$seed/report" \
    scripts/demo.sh
  dirs+=("$root/seed-$seed")
done
"${DEMO_BIN:-.build/release}/rmppo" report --aggregate "${dirs[@]}" -o "$root/report"
echo "experiment: ${#dirs[@]} seeds in $(($(date +%s) - start)) s; table in $root/report/README.md" >&2
cat "$root/report/README.md"
