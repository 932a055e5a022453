#!/usr/bin/env bash
# Scale-out benchmark (issue 10), ours vs the named peer in the same run, alternating runs:
#   plan + 4 `rmprep shard` ranks on 2 workers (xargs -P 2) + merge  vs  one `rmprep convert
#   --targets seq2seq` (the single process the merge must equal) on the same plain JSONL input.
# Target (issue 10): the sharding overhead, (plan + merge) / single-process time, stays under 10%.
# Reported per run in wall time and in CPU time (user + system), which a machine shared with other
# jobs distorts less, as median (max) over the runs, with each stage's median and the load average.
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
# timed OUTFILE CMD...: runs CMD, appends "wall cpu" seconds to OUTFILE (cpu = user + system of
# CMD and the processes it waited for, from wait4; microsecond resolution, where /usr/bin/time's
# 10 ms would blur a 20 ms plan).
timed() {
  local out=$1
  shift
  python3 - "$@" >>"$out" 2>>"$OUT/bench.stderr" <<'PY'
import os, subprocess, sys, time
start = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
wall = time.perf_counter() - start
if status != 0:
    sys.exit(f"benchmark: {sys.argv[1:3]} failed (status {status})")
print(f"{wall:.6f} {usage.ru_utime + usage.ru_stime:.6f}")
PY
}
# sharded: plan, 4 ranks on 2 workers, merge; prints "total_wall plan+merge_wall plan+merge_cpu
# plan_wall plan_cpu merge_wall merge_cpu".
sharded() {
  rm -rf "$W/parts" "$W/merged" "$W/t"
  timed "$W/t" "$RMPREP" plan "$W/in.jsonl" --world-size 4 --tokenizer "$W/tok.json" \
    --targets seq2seq -o "$W/plan.json"
  timed "$W/t" sh -c "seq 0 3 | xargs -P 2 -I{} '$RMPREP' shard --plan '$W/plan.json' --rank {} \
    -o '$W/parts' --threads 1"
  timed "$W/t" "$RMPREP" merge --plan "$W/plan.json" --in "$W/parts" -o "$W/merged"
  python3 -c "import sys; r=[list(map(float,l.split())) for l in open(sys.argv[1])]; \
print(' '.join(f'{v:.6f}' for v in (sum(x[0] for x in r), r[0][0]+r[2][0], r[0][1]+r[2][1], \
r[0][0], r[0][1], r[2][0], r[2][1])))" "$W/t"
}
single() {  # prints "wall cpu"
  rm -rf "$W/single" "$W/t1"
  timed "$W/t1" "$RMPREP" convert "$W/in.jsonl" --tokenizer "$W/tok.json" --targets seq2seq \
    --threads 2 -o "$W/single"
  cat "$W/t1"
}
a=(); b=(); overhead=(); cpu=(); stages=(); single_cpu=()
load_before=$(cut -d' ' -f1 /proc/loadavg)
for ((i = 0; i < RUNS; i++)); do
  read -r total pm_wall pm_cpu plan_wall plan_cpu merge_wall merge_cpu < <(sharded)
  read -r s s_cpu < <(single)
  a+=("$total"); b+=("$s"); single_cpu+=("$s_cpu")
  stages+=("$plan_wall $plan_cpu $merge_wall $merge_cpu")
  # The issue's definition: sharding overhead = (plan + merge) / single-process time.
  overhead+=("$(python3 -c "print($pm_wall / $s)")")
  cpu+=("$(python3 -c "print($pm_cpu / $s_cpu)")")
done
load_after=$(cut -d' ' -f1 /proc/loadavg)
same=yes
diff -rq "$W/single" "$W/merged" >/dev/null || same=no
read -r med min < <(ratio_stats "${a[*]}" "${b[*]}")
pct() { printf '%s\n' "$@" | python3 -c "import sys,statistics; v=[float(x) for x in sys.stdin]; print(f'{statistics.median(v)*100:.1f}% (max {max(v)*100:.1f}%)')"; }
ov=$(pct "${overhead[@]}")
ovcpu=$(pct "${cpu[@]}")
ms=$(printf '%s\n' "${stages[@]}" | python3 -c "
import sys, statistics
rows = [list(map(float, l.split())) for l in sys.stdin]
m = [statistics.median(r[k] for r in rows) * 1000 for k in range(4)]
print(f'plan {m[0]:.0f} ms wall / {m[1]:.0f} ms CPU, merge {m[2]:.0f} ms / {m[3]:.0f} ms')")
scpu=$(printf '%s\n' "${single_cpu[@]}" | python3 -c "import sys,statistics; print(f'{statistics.median(float(x) for x in sys.stdin):.3f}')")
mb=$(python3 -c "import os; print(f'{os.path.getsize(\"$W/in.jsonl\")/1e6:.3g}')")
echo "| benchmark | input | ours (plan+4 ranks on 2 workers+merge) | peer (one convert, 2 threads) | ratio median | ratio min | overhead (plan+merge)/single, wall | same, CPU time | stages (median) | load |"
echo "|---|---|---|---|---|---|---|---|---|---|"
echo "| scale-out seq2seq (merged = single: $same) | synth $PAIRS pairs, $mb MB | $(printf '%s\n' "${a[@]}" | sort -g | head -1) s | $(printf '%s\n' "${b[@]}" | sort -g | head -1) s (CPU $scpu s) | $med | $min | $ov | $ovcpu | $ms | $load_before → $load_after |"
