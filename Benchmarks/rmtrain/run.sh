#!/usr/bin/env bash
# rmtrain benchmark (issue 7), ours vs the named peer in the same run, alternating runs:
#   `rmtrain sft` vs PyTorch + transformers' GPT2LMHeadModel doing the same training work
#   (Benchmarks/rmtrain/peer_train.py: same shape, batch, padded batches, masked token-mean loss,
#   AdamW, gradient clip), on HH-RLHF harmless-base sft shards (../shared; skipped when absent),
#   vocabulary 2048, --max-len 256, 2 layers × 4 heads × 128, context 512, batch 16, 1 thread.
# Two rows: whole processes (start-up, data loading and the final evaluation/export included for
# ours; start-up and `import torch` for the peer), and the per-step cost (T(STEPS) − T(1)) / (STEPS − 1)
# that leaves start-up out. Environment: RUNS (default 5), STEPS (default 60).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
HERE="$ROOT/Benchmarks/rmtrain"
RUNS=${RUNS:-5}
STEPS=${STEPS:-60}
HH="${SEQ2SEQRM_SHARED:-$ROOT/../shared}/corpora/hh-rlhf/harmless-base/test.jsonl.gz"
[[ -x "$BIN/rmtrain" && -x "$BIN/rmprep" ]] || { echo "| rmtrain | - | build with 'swift build -c release' first | | | | |"; exit 0; }
[[ -f "$HH" ]] || { echo "| rmtrain | - | SKIP: $HH not found | | | | |"; exit 0; }
PY=$("$ROOT/scripts/venv.sh" torch transformers) || {
  echo "| rmtrain | - | SKIP: torch/transformers cannot be installed | | | | |"; exit 0; }
W="$OUT/rmtrain"; rm -rf "$W"; mkdir -p "$W"
"$BIN/rmprep" tokenizer train "$HH" --format hh-rlhf --vocab-size 2048 -o "$W/tok.json" 2>>"$OUT/bench.stderr"
"$BIN/rmprep" convert "$HH" --format hh-rlhf --tokenizer "$W/tok.json" --targets sft --max-len 256 \
  -o "$W/sft" 2>>"$OUT/bench.stderr"
shape=(2 4 128 512)
ours() { # STEPS
  "$BIN/rmtrain" sft --data "$W/sft" --layers 2 --heads 4 --width 128 --context-length 512 \
    --batch-size 16 --max-steps "$1" --threads 1 --eval-every 0 --checkpoint-every 0 \
    --eval-limit 16 -o "$W/run-$1"
}
peer() { "$PY" "$HERE/peer_train.py" "$W/sft" "$1" 16 "${shape[@]}" 1; }
export -f ours peer
export BIN W PY HERE
export shape_s="${shape[*]}"
timed() { rm -rf "$W/run-$2"; measure bash -c "shape=(\$shape_s); $1 $2"; }
echo "| benchmark | input | ours | peer | ratio median | ratio min | peak RSS ours / peer |"
echo "|---|---|---|---|---|---|---|"
a=(); b=(); a1=(); b1=(); da=(); db=(); ra=0; rb=0
for ((i = 0; i < RUNS; i++)); do
  read -r t m < <(timed ours "$STEPS") || { echo "| rmtrain sft | - | FAILED (see $OUT/bench.stderr) | | | | |"; exit 1; }
  a+=("$t"); ra=$m
  read -r t m < <(timed peer "$STEPS") || { echo "| rmtrain sft | - | peer FAILED (see $OUT/bench.stderr) | | | | |"; exit 1; }
  b+=("$t"); rb=$m
  read -r t _ < <(timed ours 1); a1+=("$t")
  read -r t _ < <(timed peer 1); b1+=("$t")
  da+=("$(python3 -c "print(max(${a[-1]} - ${a1[-1]}, 1e-3) / ($STEPS - 1))")")
  db+=("$(python3 -c "print(max(${b[-1]} - ${b1[-1]}, 1e-3) / ($STEPS - 1))")")
done
labels=$(peer 1 2>/dev/null | cut -d' ' -f1)
best() { printf '%s\n' "$@" | sort -g | head -1; }
read -r med min < <(ratio_stats "${a[*]}" "${b[*]}")
echo "| rmtrain sft, whole process, $STEPS steps × 16 sequences, 1 thread | HH-RLHF harmless-base sft shards | $(best "${a[@]}") s | PyTorch GPT2LMHeadModel $(best "${b[@]}") s | $med | $min | $((ra / 1024)) / $((rb / 1024)) MiB |"
read -r med min < <(ratio_stats "${da[*]}" "${db[*]}")
echo "| rmtrain sft, per step ((T($STEPS) − T(1)) / $((STEPS - 1))) | same (≈$labels label tokens in the first batch) | $(python3 -c "print(f'{$(best "${da[@]}"):.3f}')") s | $(python3 -c "print(f'{$(best "${db[@]}"):.3f}')") s | $med | $min | |"
