#!/usr/bin/env bash
# Scale-out benchmark (issue 10), ours vs the named peer in the same run, alternating runs:
#   plan + 4 `rmprep shard` ranks on 2 workers (xargs -P 2) + merge  vs  one `rmprep convert
#   --targets seq2seq` (the single process the merge must equal) on the same plain JSONL input.
# Target: the sharding overhead, (plan + merge) / single-process time, stays under 10%.
# Also checks that the merged directory equals the single-process one byte for byte.
# Input: `rmprep synth` pairs (self-contained). Environment: RUNS (default 5), PAIRS (default 40000).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
RUNS=${RUNS:-5}
PAIRS=${PAIRS:-40000}
RMPREP="$BIN/rmprep"
[[ -x "$RMPREP" ]] || { echo "| scale | - | build with 'swift build -c release' first | | | |"; exit 0; }
W="$OUT/scale"; rm -rf "$W"; mkdir -p "$W"
"$RMPREP" synth --pairs "$PAIRS" --seed 5 -o "$W/in.jsonl" 2>>"$OUT/bench.stderr"
"$RMPREP" tokenizer train "$W/in.jsonl" --vocab-size 2000 -o "$W/tok.json" 2>>"$OUT/bench.stderr"
now() { date +%s.%N; }
sharded() {  # prints "total plan merge" seconds
  rm -rf "$W/parts" "$W/merged"
  local t0 t1 t2 t3
  t0=$(now)
  "$RMPREP" plan "$W/in.jsonl" --world-size 4 --tokenizer "$W/tok.json" --targets seq2seq \
    -o "$W/plan.json" 2>>"$OUT/bench.stderr"
  t1=$(now)
  seq 0 3 | xargs -P 2 -I{} "$RMPREP" shard --plan "$W/plan.json" --rank {} -o "$W/parts" \
    --threads 1 2>>"$OUT/bench.stderr"
  t2=$(now)
  "$RMPREP" merge --plan "$W/plan.json" --in "$W/parts" -o "$W/merged" 2>>"$OUT/bench.stderr"
  t3=$(now)
  python3 -c "import sys; a=[float(x) for x in sys.argv[1:]]; print(a[3]-a[0], a[1]-a[0], a[3]-a[2])" \
    "$t0" "$t1" "$t2" "$t3"
}
single() {
  rm -rf "$W/single"
  local t0 t1
  t0=$(now)
  "$RMPREP" convert "$W/in.jsonl" --tokenizer "$W/tok.json" --targets seq2seq --threads 2 \
    -o "$W/single" 2>>"$OUT/bench.stderr"
  t1=$(now)
  python3 -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$t0" "$t1"
}
a=(); b=(); overhead=()
for ((i = 0; i < RUNS; i++)); do
  read -r total plan merge < <(sharded)
  s=$(single)
  a+=("$total"); b+=("$s")
  overhead+=("$(python3 -c "print(($plan + $merge) / $s)")")
done
same=yes
diff -rq "$W/single" "$W/merged" >/dev/null || same=no
read -r med min < <(ratio_stats "${a[*]}" "${b[*]}")
ov=$(printf '%s\n' "${overhead[@]}" | sort -g | python3 -c "import sys,statistics; v=[float(x) for x in sys.stdin]; print(f'{statistics.median(v)*100:.1f}% (max {max(v)*100:.1f}%)')")
mb=$(python3 -c "import os; print(f'{os.path.getsize(\"$W/in.jsonl\")/1e6:.3g}')")
echo "| benchmark | input | ours (plan+4 ranks on 2 workers+merge) | peer (one convert, 2 threads) | ratio median | ratio min | overhead (plan+merge)/single |"
echo "|---|---|---|---|---|---|---|"
echo "| scale-out seq2seq (merged = single: $same) | synth $PAIRS pairs, $mb MB | $(printf '%s\n' "${a[@]}" | sort -g | head -1) s | $(printf '%s\n' "${b[@]}" | sort -g | head -1) s | $med | $min | $ov |"
