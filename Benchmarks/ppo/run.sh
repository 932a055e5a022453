#!/usr/bin/env bash
# One PPO iteration (rollout, reward, update) of `rmppo train` against the same loop in PyTorch
# (Benchmarks/ppo/reference.py, transformers GPT-2 with the same weights), on the engine's
# benchmark shape (4 layers, 4 heads, width 256, context 256, vocabulary 8192) with untrained
# weights: 16 prompts, up to 32 new tokens, minibatch 8, one epoch, 2 threads each. Tokens/s per
# phase come from each side's own timers on the second of two iterations, after a warm-up (ours:
# perf/* in metrics.jsonl). Prints one Benchmarks/README.md row per phase: ratio = ours ÷ peer
# (higher is better). Target (issue 8): ≥ 1.2 in every phase. The last column is the same ratio
# in CPU time (each side's process CPU seconds of the phase, all threads: perf/*_cpu_s and the
# reference's *_cpu lines), steadier than wall time when other jobs share the cores.
# BENCH_PEER_ENV="OMP_WAIT_POLICY=PASSIVE" runs the peer with that environment (on a loaded machine
# PyTorch's spinning OpenMP threads otherwise take seconds of CPU per phase).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
runs=${BENCH_RUNS:-5}
threads=${BENCH_THREADS:-2}
PY=$("$ROOT/scripts/venv.sh" torch transformers numpy) ||
  { echo "| ppo | - | - | - | - | - | SKIP: torch/transformers not installable |"; exit 0; }
for tool in rmprep rmtrain rmppo; do
  [[ -x "$BIN/$tool" ]] || (cd "$ROOT" && swift build -c release --product "$tool" >&2)
done
work="$OUT/ppo"
mkdir -p "$work"
shape=(--layers 4 --heads 4 --width 256 --context-length 256 --threads "$threads")
vocab_of() { "$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["vocab_size"])' "$1" 2>/dev/null; }
if [[ ! -s "$work/rm/model.safetensors" || $(vocab_of "$work/sft/config.json") != 8192 ]]; then
  rm -rf "$work"/{sft,rm,prompts,sft-shards,prompts-shards}
  "$BIN/rmprep" synth --pairs 2000 --seed 1 -o "$work/pairs.jsonl" 2>/dev/null
  # The synthetic task's text alone yields ~900 tokens; seeded random words fill the vocabulary to
  # the engine benchmark's 8192, so the LM head and the log-softmax have the size they would have.
  "$PY" - "$work/pairs.jsonl" "$work/tok-train.txt" <<'PY'
import json, random, sys
rng = random.Random(1)
with open(sys.argv[2], "w") as out:
    for line in open(sys.argv[1]):
        for value in json.loads(line).values():
            if isinstance(value, str):
                out.write(value.replace("\n", " ") + "\n")
    for _ in range(20000):
        out.write(" ".join("".join(rng.choice("abcdefghijklmnopqrstuvwxyz")
                                   for _ in range(rng.randint(2, 9))) for _ in range(12)) + "\n")
PY
  "$BIN/rmprep" tokenizer train --text "$work/tok-train.txt" --vocab-size 8192 -o "$work/tok.json" \
    2>/dev/null
  for kind in sft prompts; do
    "$BIN/rmprep" convert "$work/pairs.jsonl" --tokenizer "$work/tok.json" --targets "$kind" \
      --max-len 96 -o "$work/$kind-shards" 2>/dev/null
  done
  "$BIN/rmtrain" sft --data "$work/sft-shards" "${shape[@]}" --max-steps 1 --batch-size 4 \
    --eval-limit 4 -o "$work/sft" 2>/dev/null
  "$BIN/rmprep" convert "$work/pairs.jsonl" --tokenizer "$work/tok.json" --targets seq2seq \
    --max-len 256 -o - 2>/dev/null |
    "$BIN/rmtrain" seq2seq --data - --tokenizer "$work/tok.json" --init "$work/sft" "${shape[@]}" \
      --max-steps 1 --batch-size 4 --eval-limit 4 -o "$work/rm" 2>/dev/null
  # The peer's prompts: the first 16 train prompts, read with the INTEROP.md numpy shard reader.
  "$PY" - "$ROOT/scripts/test.d" "$work/prompts-shards/train" "$work/prompts.json" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[1])
from shards_numpy_check import read_documents
_, documents = read_documents(sys.argv[2])
json.dump([d[0] for d in documents[:16]], open(sys.argv[3], "w"))
PY
fi
vocab=$(vocab_of "$work/sft/config.json")

phases=(rollout reward update)
declare -A ours peer ours_cpu peer_cpu
for ((i = 0; i < runs; i++)); do
  rm -rf "$work/run"
  "$BIN/rmppo" train --policy "$work/sft" --reward "$work/rm" --prompts "$work/prompts-shards" \
    --iterations 2 --batch-size 16 --minibatch-size 8 --max-new-tokens 32 --sample-every 0 \
    --checkpoint-every 0 --threads "$threads" --seed $((i + 1)) -o "$work/run" 2>>"$OUT/bench.stderr" ||
    { echo "| ppo | - | - | - | - | - | FAIL: rmppo train (see bench-out/bench.stderr) |"; exit 1; }
  read -r r w u rc wc uc < <("$PY" -c 'import json,sys
m = json.loads(open(sys.argv[1]).readlines()[1])  # the second, warm iteration
phases = ("rollout", "reward", "update")
print(*(m[f"perf/{p}_tokens_per_s"] for p in phases), *(m[f"perf/{p}_cpu_s"] for p in phases))' \
    "$work/run/metrics.jsonl")
  ours[rollout]+="$r "; ours[reward]+="$w "; ours[update]+="$u "
  ours_cpu[rollout]+="$rc "; ours_cpu[reward]+="$wc "; ours_cpu[update]+="$uc "
  out=$(env ${BENCH_PEER_ENV:-} "$PY" "$ROOT/Benchmarks/ppo/reference.py" "$work/sft" "$work/rm" \
    "$work/prompts.json" --batch 16 --minibatch 8 --new-tokens 32 --threads "$threads" \
    2>>"$OUT/bench.stderr") ||
    { echo "| ppo | - | - | - | - | - | FAIL: reference.py (see bench-out/bench.stderr) |"; exit 1; }
  for p in "${phases[@]}"; do
    peer[$p]+="$(awk -v k="${p}_tps" '$1 == k { print $2 }' <<<"$out") "
    peer_cpu[$p]+="$(awk -v k="${p}_cpu" '$1 == k { print $2 }' <<<"$out") "
  done
done
median() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
for p in "${phases[@]}"; do
  # ratio_stats gives median/min of b/a: pass peer as a, ours as b (throughputs, ours ÷ peer).
  read -r rmed rmin < <(ratio_stats "${peer[$p]}" "${ours[$p]}")
  # CPU seconds: peer ÷ ours, so above 1 is again ours faster.
  read -r cmed cmin < <(ratio_stats "${ours_cpu[$p]}" "${peer_cpu[$p]}")
  printf '| ppo %s | 4×256 ctx 256 vocab %s, 16×32 tok | %.0f tok/s | %.0f tok/s | %s | %s | CPU-time ratio %s (min %s) |\n' \
    "$p" "$vocab" "$(median "${ours[$p]}")" "$(median "${peer[$p]}")" "$rmed" "$rmin" "$cmed" "$cmin"
done
