#!/usr/bin/env bash
# Scale-out benchmark (issue 10), ours vs the named peer in the same run, alternating runs:
#   plan + 4 `rmprep shard` ranks on 2 workers (xargs -P 2) + merge  vs  one `rmprep convert
#   --targets seq2seq` (the single process the merge must equal) on the same plain JSONL input.
# Target: the sharding overhead, (plan + merge) / single-process time, stays under 10%. Reported
# in wall time and in CPU time (user + system), which a machine shared with other jobs distorts less.
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
# timed OUTFILE CMD...: runs CMD, appends "wall cpu" seconds (cpu = user + system) to OUTFILE.
timed() {
  local out=$1 log
  shift
  log=$(mktemp)
  /usr/bin/time -f "%e %U %S" -o "$log" "$@" 2>>"$OUT/bench.stderr"
  tail -n 1 "$log" | python3 -c "import sys; e,u,s=map(float,sys.stdin.read().split()); print(e, u+s)" >>"$out"
  rm -f "$log"
}
sharded() {  # prints "total_wall plan+merge_wall plan+merge_cpu"
  rm -rf "$W/parts" "$W/merged" "$W/t"
  timed "$W/t" "$RMPREP" plan "$W/in.jsonl" --world-size 4 --tokenizer "$W/tok.json" \
    --targets seq2seq -o "$W/plan.json"
  timed "$W/t" sh -c "seq 0 3 | xargs -P 2 -I{} '$RMPREP' shard --plan '$W/plan.json' --rank {} \
    -o '$W/parts' --threads 1"
  timed "$W/t" "$RMPREP" merge --plan "$W/plan.json" --in "$W/parts" -o "$W/merged"
  python3 -c "import sys; r=[list(map(float,l.split())) for l in open(sys.argv[1])]; \
print(sum(x[0] for x in r), r[0][0]+r[2][0], r[0][1]+r[2][1])" "$W/t"
}
single() {  # prints "wall cpu"
  rm -rf "$W/single" "$W/t1"
  timed "$W/t1" "$RMPREP" convert "$W/in.jsonl" --tokenizer "$W/tok.json" --targets seq2seq \
    --threads 2 -o "$W/single"
  cat "$W/t1"
}
a=(); b=(); overhead=(); cpu=()
for ((i = 0; i < RUNS; i++)); do
  read -r total pm_wall pm_cpu < <(sharded)
  read -r s s_cpu < <(single)
  a+=("$total"); b+=("$s")
  overhead+=("$(python3 -c "print($pm_wall / $s)")")
  cpu+=("$(python3 -c "print($pm_cpu / $s_cpu)")")
done
same=yes
diff -rq "$W/single" "$W/merged" >/dev/null || same=no
read -r med min < <(ratio_stats "${a[*]}" "${b[*]}")
pct() { printf '%s\n' "$@" | python3 -c "import sys,statistics; v=[float(x) for x in sys.stdin]; print(f'{statistics.median(v)*100:.1f}% (max {max(v)*100:.1f}%)')"; }
ov=$(pct "${overhead[@]}")
ovcpu=$(pct "${cpu[@]}")
mb=$(python3 -c "import os; print(f'{os.path.getsize(\"$W/in.jsonl\")/1e6:.3g}')")
echo "| benchmark | input | ours (plan+4 ranks on 2 workers+merge) | peer (one convert, 2 threads) | ratio median | ratio min | overhead (plan+merge)/single, wall | same, CPU time |"
echo "|---|---|---|---|---|---|---|---|"
echo "| scale-out seq2seq (merged = single: $same) | synth $PAIRS pairs, $mb MB | $(printf '%s\n' "${a[@]}" | sort -g | head -1) s | $(printf '%s\n' "${b[@]}" | sort -g | head -1) s | $med | $min | $ov | $ovcpu |"
