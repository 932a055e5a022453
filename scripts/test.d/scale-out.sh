#!/usr/bin/env bash
# Scale-out (INTEROP.md §5.3) through the CLI: `plan → shard ×W → merge` equals one
# `rmprep convert --targets` byte for byte for W in {1,2,3,7}, over plain, gzip and zstd inputs with
# duplicates across files, ranks run out of order and two at a time, the rank taken from
# SLURM_ARRAY_TASK_ID / JOB_COMPLETION_INDEX; a finished rank re-runs as a no-op; two copies of a
# rank at once convert it once; a killed rank leaves no part that counts as done; a flipped byte
# makes merge fail naming the part.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
BIN="$ROOT/.build/release/rmprep"
[[ -x "$BIN" ]] || BIN="$ROOT/.build/debug/rmprep"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
"$BIN" synth --pairs 1500 --seed 11 -o a.jsonl 2>/dev/null
"$BIN" synth --pairs 400 --seed 12 -o b.jsonl 2>/dev/null
head -60 a.jsonl | gzip -c >c.jsonl.gz    # duplicates of a.jsonl, compressed
tail -80 b.jsonl | zstd -q -c >d.jsonl.zst
printf '{"prompt": "x", "chosen": broken\n' >>b.jsonl
"$BIN" tokenizer train a.jsonl --vocab-size 400 -o tok.json 2>/dev/null
INPUTS=(d.jsonl.zst c.jsonl.gz b.jsonl a.jsonl)
"$BIN" convert a.jsonl b.jsonl c.jsonl.gz d.jsonl.zst --tokenizer tok.json --targets seq2seq \
  -o single 2>/dev/null
for W in 1 2 3 7; do
  "$BIN" plan "${INPUTS[@]}" --world-size "$W" --tokenizer tok.json --targets seq2seq \
    -o "plan$W.json" 2>/dev/null
  # Ranks in reverse order, two at a time; odd ranks take the rank from the engine's environment.
  for ((r = W - 1; r >= 0; r -= 2)); do
    SLURM_ARRAY_TASK_ID=$r "$BIN" shard --plan "plan$W.json" -o "parts$W" 2>/dev/null &
    if ((r > 0)); then
      JOB_COMPLETION_INDEX=$((r - 1)) "$BIN" shard --plan "plan$W.json" -o "parts$W" 2>/dev/null &
    fi
    wait
  done
  "$BIN" merge --plan "plan$W.json" --in "parts$W" -o "out$W" 2>/dev/null
  diff -r single "out$W" || { echo "W=$W: merged output differs from one convert" >&2; exit 1; }
done
# The plan's directory is made when missing, as shard's and merge's are.
"$BIN" plan a.jsonl --world-size 2 --tokenizer tok.json --targets seq2seq -o new/run/plan.json \
  2>/dev/null
[[ -s new/run/plan.json ]] || { echo "plan did not make its output directory" >&2; exit 1; }
# The plan and the part manifests follow their schemas.
"$BIN" validate plan7.json --schema "$ROOT/Schemas/plan.schema.json" --document 2>/dev/null
"$BIN" validate parts7/part-0000[0-6]-of-00007.manifest.json --document \
  --schema "$ROOT/Schemas/part.schema.json" 2>/dev/null
# A finished rank is not converted again.
"$BIN" shard --plan plan3.json --rank 1 -o parts3 2>err
grep -q "already done" err || { echo "re-run of a finished rank did work" >&2; exit 1; }
# Two copies of one rank at once (a retry racing a slow attempt, speculative execution): one
# converts, the other waits for it, finds the rank done and exits 0.
"$BIN" shard --plan plan3.json --rank 0 -o partsD 2>errD1 &
p1=$!
"$BIN" shard --plan plan3.json --rank 0 -o partsD 2>errD2 &
p2=$!
wait "$p1" && wait "$p2" || { echo "a concurrent copy of a rank failed" >&2; exit 1; }
[[ $(cat errD1 errD2 | grep -c "already done") == 1 ]] ||
  { cat errD1 errD2 >&2; echo "two concurrent copies of a rank: expected one to find it done" >&2; exit 1; }
cmp parts3/part-00000-of-00003/train.bin partsD/part-00000-of-00003/train.bin
# A killed rank leaves no manifest: merge refuses, naming the rank; re-running completes it.
for _ in $(seq 30); do cat a.jsonl; done >big.jsonl
"$BIN" plan big.jsonl --world-size 2 --tokenizer tok.json --targets pairs -o planK.json 2>/dev/null
"$BIN" shard --plan planK.json --rank 0 -o partsK 2>/dev/null
"$BIN" shard --plan planK.json --rank 1 -o partsK --threads 1 2>/dev/null &
pid=$!
sleep 0.1
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
if [[ ! -f partsK/part-00001-of-00002.manifest.json ]]; then
  if "$BIN" merge --plan planK.json --in partsK -o outK 2>err; then
    echo "merge accepted a killed rank" >&2; exit 1
  fi
  grep -q "ranks have not finished (1)" err
  [[ ! -f outK/manifest.json ]]
else
  echo "note: rank 1 finished before it could be killed" >&2
fi
"$BIN" shard --plan planK.json --rank 1 -o partsK 2>/dev/null
"$BIN" merge --plan planK.json --in partsK -o outK 2>/dev/null
# A flipped byte in one part makes merge fail, naming the part's file.
f=parts7/part-00002-of-00007/train.bin
printf '\xff' | dd of="$f" bs=1 seek=10 conv=notrunc status=none
if "$BIN" merge --plan plan7.json --in parts7 -o bad 2>err; then
  echo "merge accepted a flipped byte" >&2; exit 1
fi
grep -q "part-00002-of-00007/train.bin" err
# Exit codes: no rank is a usage error (64).
set +e
env -u SLURM_ARRAY_TASK_ID -u JOB_COMPLETION_INDEX "$BIN" shard --plan plan3.json -o x 2>/dev/null
code=$?
set -e
[[ $code == 64 ]] || { echo "missing rank gave exit $code, expected 64" >&2; exit 1; }
echo "scale-out: ok"
