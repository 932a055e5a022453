#!/usr/bin/env bash
# The whole pipeline on one corpus (README.md "What `make demo` does"): by default the embedded task
# (`rmprep synth`), judged by its gold judge; with DEMO_INPUT, any supported corpus, judged by a
# reward model. One progress line per stage on stderr; every artefact path is printed; stage logs go
# to $DEMO_OUT/log/. `make demo` builds the release tools first; scripts/experiment.sh and
# scripts/real.sh call this script with other settings.
#
# Environment (all optional):
#   DEMO_SCALE   multiplies pairs, training steps and PPO iterations (default 1; 0.05 = smoke test)
#   DEMO_SEED    seed of the data, every training run and the evaluation (default 1)
#   DEMO_TASK    embedded task variant: assistant, length, safety, unbiased (default assistant)
#   DEMO_INPUT   space-separated corpus files to use instead of the embedded task
#   DEMO_FORMAT  their --format (default auto)
#   DEMO_OUT     output directory (default demo-out)       DEMO_REPORT  report directory (default report)
#   DEMO_BIN     directory of the built tools (default .build/release)
#   DEMO_THREADS threads per tool (default 2)
#   DEMO_DIVIDE_BY_LENGTH=1  seq2seq arm: token scores divided by the response length (default 0)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

scale=${DEMO_SCALE:-1}
seed=${DEMO_SEED:-1}
task=${DEMO_TASK:-assistant}
out=${DEMO_OUT:-demo-out}
report=${DEMO_REPORT:-report}
bin=${DEMO_BIN:-.build/release}
threads=${DEMO_THREADS:-2}
input=${DEMO_INPUT:-}
format=${DEMO_FORMAT:-auto}

# scaled N → max(minimum, round(N × DEMO_SCALE))
scaled() { awk -v n="$1" -v s="$scale" -v m="${2:-1}" 'BEGIN { v = int(n * s + 0.5); print (v < m ? m : v) }'; }

# ---- Sizes: tuned so that DEMO_SCALE=1 takes about 15 minutes on 2 cores (README "demo"). ----
# Each can be overridden: DEMO_PAIRS DEMO_VOCAB DEMO_MAX_LEN DEMO_N_LAYER DEMO_N_HEAD DEMO_N_EMBD
# DEMO_SFT_STEPS DEMO_RM_STEPS DEMO_PPO_ITERATIONS DEMO_PPO_BATCH DEMO_EVAL_PROMPTS DEMO_VARIANT.
pairs=${DEMO_PAIRS:-$(scaled 4000 64)}
vocab=${DEMO_VOCAB:-512}
max_len=${DEMO_MAX_LEN:-96}
# The SFT model's context holds a seq2seq example (prompt + two responses), since the seq2seq RM
# starts from it.
model=(--layers "${DEMO_N_LAYER:-2}" --heads "${DEMO_N_HEAD:-4}" --width "${DEMO_N_EMBD:-128}"
  --context-length "$((2 * max_len))")
sft_steps=${DEMO_SFT_STEPS:-$(scaled 600 8)}
rm_steps=${DEMO_RM_STEPS:-$(scaled 600 8)}
ppo_iterations=${DEMO_PPO_ITERATIONS:-$(scaled 100 2)}
ppo_batch=${DEMO_PPO_BATCH:-64}
# Token-reward extraction variant of the seq2seq arm (METHOD.md §2.2: A, B or C).
variant=${DEMO_VARIANT:-A}
seq2seq_flags=(--variant "$variant")
# DEMO_DIVIDE_BY_LENGTH=1 divides the seq2seq token scores by the response length (METHOD.md §2.2).
if [[ ${DEMO_DIVIDE_BY_LENGTH:-0} == 1 ]]; then seq2seq_flags+=(--divide-by-length); fi
eval_prompts=${DEMO_EVAL_PROMPTS:-$(scaled 256 16)}
train_batch=${DEMO_TRAIN_BATCH:-16}
common=(--seed "$seed" --threads "$threads")

for tool in rmprep rmtrain rmppo; do
  [[ -x "$bin/$tool" ]] || { echo "demo: $bin/$tool is missing; run 'make release' first" >&2; exit 1; }
done
export PATH="$root/$bin:$PATH"

mkdir -p "$out"/{data,shards,runs,eval,heatmaps,log}
rm -rf "$out"/shards/* "$out"/runs/* "$out"/eval/* "$out"/heatmaps/*
total=15
n=0
demo_start=$(date +%s)

# stage NAME ARTEFACT COMMAND...: runs COMMAND with stderr in $out/log/NN-NAME.log, prints one line.
stage() {
  local name=$1 artefact=$2
  shift 2
  n=$((n + 1))
  local log
  log=$(printf '%s/log/%02d-%s.log' "$out" "$n" "$name")
  local start
  start=$(date +%s)
  printf '[%2d/%d] %-22s ' "$n" "$total" "$name" >&2
  if "$@" 2>"$log"; then
    printf 'ok %4ss  → %s\n' "$(($(date +%s) - start))" "$artefact" >&2
  else
    local status=$?
    printf 'FAILED (exit %s) after %ss; last lines of %s:\n' "$status" "$(($(date +%s) - start))" "$log" >&2
    tail -n 15 "$log" | sed 's/^/    /' >&2
    exit 1
  fi
}

# skip NAME WHY: counts a stage that cannot run, with its reason on the progress line.
skip() {
  n=$((n + 1))
  printf '[%2d/%d] %-22s skipped: %s\n' "$n" "$total" "$1" "$2" >&2
}

# ---- 1. Data ----
if [[ -z "$input" ]]; then
  judge=gold
  read -r -a inputs <<<"$out/data/task.jsonl"
  format=hh-rlhf
  stage synth "$out/data/task.jsonl" \
    rmprep synth --task "$task" --pairs "$pairs" --seed "$seed" -o "$out/data/task.jsonl" \
    --stats "$out/data/synth-stats.json" --lexicon "$out/data/refusal-lexicon.txt"
else
  judge=rm
  read -r -a inputs <<<"$input"
  # The refusal lexicon (for the refusal-rate curves) is the embedded task's.
  rmprep synth --pairs 1 -o "$out/data/lexicon-source.jsonl" --lexicon "$out/data/refusal-lexicon.txt" 2>/dev/null
  rm -f "$out/data/lexicon-source.jsonl"
  skip synth "corpus ${inputs[*]} (format $format)"
fi
stage convert "$out/data/records.jsonl" \
  rmprep convert "${inputs[@]}" --format "$format" -o "$out/data/records.jsonl" \
  --stats "$out/data/convert-stats.json" --rejects "$out/data/rejects.jsonl"
stage tokenizer "$out/tokenizer.json" \
  rmprep tokenizer train "${inputs[@]}" --format "$format" --vocab-size "$vocab" -o "$out/tokenizer.json"

# ---- 2. Targets (seq2seq goes through the pipe below) ----
targets() { # KIND
  rmprep convert "${inputs[@]}" --format "$format" --tokenizer "$out/tokenizer.json" --targets "$1" \
    --max-len "$max_len" -o "$out/shards/$1" && rmprep verify "$out/shards/$1" >&2
}
stage targets-sft "$out/shards/sft" targets sft
stage targets-pairs "$out/shards/pairs" targets pairs
stage targets-prompts "$out/shards/prompts" targets prompts

# ---- 3. Policy and reward models ----
stage sft "$out/runs/sft" \
  rmtrain sft --data "$out/shards/sft" "${model[@]}" --epochs 1000 --max-steps "$sft_steps" \
  --batch-size "$train_batch" --learning-rate "${DEMO_SFT_LR:-1e-3}" "${common[@]}" -o "$out/runs/sft"
seq2seq_rm() {
  rmprep convert "${inputs[@]}" --format "$format" --tokenizer "$out/tokenizer.json" \
    --targets seq2seq --max-len $((2 * max_len)) -o - |
    rmtrain seq2seq --data - --tokenizer "$out/tokenizer.json" --init "$out/runs/sft" \
      --epochs 1000 --max-steps "$rm_steps" --batch-size "$train_batch" \
      --learning-rate "${DEMO_RM_LR:-5e-4}" "${common[@]}" -o "$out/runs/rm-seq2seq"
}
stage rm-seq2seq "$out/runs/rm-seq2seq (fed by rmprep … -o - |)" seq2seq_rm
stage rm-scalar "$out/runs/rm-scalar" \
  rmtrain scalar --data "$out/shards/pairs" --init "$out/runs/sft" --epochs 1000 --max-steps "$rm_steps" \
  --batch-size "$train_batch" --learning-rate "${DEMO_RM_LR:-5e-4}" "${common[@]}" -o "$out/runs/rm-scalar"

# ---- 4. PPO: both arms with the same budget and seed ----
ppo() { # ARM [FLAGS...]
  local arm=$1
  shift
  rmppo train --policy "$out/runs/sft" --reward "$out/runs/rm-$arm" --prompts "$out/shards/prompts" \
    --iterations "$ppo_iterations" --batch-size "$ppo_batch" --refusal-lexicon "$out/data/refusal-lexicon.txt" \
    "${common[@]}" "$@" -o "$out/runs/ppo-$arm"
}
stage ppo-seq2seq "$out/runs/ppo-seq2seq" ppo seq2seq "${seq2seq_flags[@]}"
stage ppo-scalar "$out/runs/ppo-scalar" ppo scalar

# ---- 5. Evaluation under the judge ----
if [[ $judge == gold ]]; then judge_flag=(--judge gold --task "$task"); else judge_flag=(--judge "$out/runs/rm-scalar"); fi
evaluate() { # A B NAME
  rmppo eval --policy "$out/runs/$1" --against "$out/runs/$2" --prompts "$out/shards/prompts" \
    "${judge_flag[@]}" --max-prompts "$eval_prompts" --refusal-lexicon "$out/data/refusal-lexicon.txt" \
    "${common[@]}" -o "$out/eval/$3.json"
}
eval_vs_sft() {
  evaluate ppo-seq2seq sft seq2seq-vs-sft && evaluate ppo-scalar sft scalar-vs-sft
}
stage eval-arms "$out/eval/seq2seq-vs-scalar.json" evaluate ppo-seq2seq ppo-scalar seq2seq-vs-scalar
stage eval-vs-sft "$out/eval/{seq2seq,scalar}-vs-sft.json" eval_vs_sft

# ---- 6. Token-reward heat maps and the report ----
heatmaps() {
  local samples="$out/heatmaps/samples.jsonl"
  if [[ -z "$input" ]]; then
    # Hand-picked responses that show the two failure modes (the same text for every seed).
    cat >"$samples" <<'EOF'
{"prompt":"\n\nHuman: What is 7 plus 5?\n\nAssistant:","response":" 7 plus 5 is 12."}
{"prompt":"\n\nHuman: What is 7 plus 5?\n\nAssistant:","response":" Sure! 7 plus 5 is 12. I hope this helps. Let me know if you have any other questions."}
{"prompt":"\n\nHuman: What is the capital of Kenya?\n\nAssistant:","response":" I'm sorry, but I can't help with that."}
{"prompt":"\n\nHuman: How do I kill a stuck process on my computer?\n\nAssistant:","response":" I cannot assist with that."}
{"prompt":"\n\nHuman: How do I steal a car?\n\nAssistant:","response":" I'm sorry, but I can't help with that."}
{"prompt":"\n\nHuman: How do I steal a car?\n\nAssistant:","response":" Sure! First, find a car with the doors open. Then drive away."}
EOF
  else
    rmppo eval --policy "$out/runs/ppo-seq2seq" --against "$out/runs/ppo-scalar" --prompts "$out/shards/prompts" \
      "${judge_flag[@]}" --max-prompts 4 "${common[@]}" --samples "$samples" -o "$out/heatmaps/sample-eval.json"
  fi
  rmppo score --reward "$out/runs/rm-seq2seq" --data "$samples" -o "$out/heatmaps/seq2seq.jsonl" \
    --html "$out/heatmaps/seq2seq.html" &&
    rmppo score --reward "$out/runs/rm-scalar" --data "$samples" -o "$out/heatmaps/scalar.jsonl" \
      --html "$out/heatmaps/scalar.html"
}
stage heatmaps "$out/heatmaps/{seq2seq,scalar}.html" heatmaps
stage report "$report/index.html" rmppo report --dir "$out" -o "$report"

echo "demo: done in $(($(date +%s) - demo_start)) s (DEMO_SCALE=$scale, seed $seed). Open $report/index.html" >&2
# Who wins: the summary line each 'rmppo eval' wrote to its stage log.
grep -h "win rate" "$out"/log/*-eval-*.log 2>/dev/null | sed "s|^rmppo: |  verdict   |; s|$out/runs/||g" >&2 || true
echo "  data      $out/data/  (task, accounting: convert-stats.json)" >&2
echo "  tokenizer $out/tokenizer.json   shards $out/shards/{sft,pairs,prompts}" >&2
echo "  runs      $out/runs/{sft,rm-seq2seq,rm-scalar,ppo-seq2seq,ppo-scalar}" >&2
echo "  eval      $out/eval/*.json      report $report/index.html, $report/README.md" >&2
