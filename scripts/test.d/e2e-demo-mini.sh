#!/usr/bin/env bash
# The miniature demo (issue 9 "Checks"): scripts/demo.sh end to end through the built release tools
# with a tiny model and a few steps, then every artefact must exist, verify (`rmprep verify`) and
# parse against Schemas/ (`rmprep validate`), and the accounting must add up. Takes about a minute.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${DEMO_BIN:-.build/release}
for tool in rmprep rmtrain rmppo; do
  [[ -x "$bin/$tool" ]] || { echo "e2e-demo-mini: $bin/$tool missing (make test builds it)" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=$work/demo
pairs=96
DEMO_OUT=$out DEMO_REPORT=$work/report DEMO_BIN=$bin DEMO_SEED=7 DEMO_PAIRS=$pairs \
  DEMO_N_LAYER=1 DEMO_N_HEAD=2 DEMO_N_EMBD=32 DEMO_MAX_LEN=48 DEMO_VOCAB=300 \
  DEMO_SFT_STEPS=4 DEMO_RM_STEPS=4 DEMO_PPO_ITERATIONS=2 DEMO_PPO_BATCH=4 DEMO_EVAL_PROMPTS=8 \
  scripts/demo.sh 2>&1 | tee "$work/demo.log" >&2

failures=0
fail() { echo "e2e-demo-mini: FAIL: $*" >&2; failures=$((failures + 1)); }
must_exist() { for f in "$@"; do [[ -s "$f" ]] || fail "missing or empty: ${f#"$work"/}"; done; }

# 1. Every artefact exists.
must_exist "$out"/data/{task.jsonl,synth-stats.json,refusal-lexicon.txt,records.jsonl,convert-stats.json}
must_exist "$out/tokenizer.json"
for kind in sft pairs prompts; do must_exist "$out/shards/$kind/manifest.json"; done
for run in sft rm-seq2seq rm-scalar ppo-seq2seq ppo-scalar; do
  must_exist "$out/runs/$run"/{config.json,model.safetensors,tokenizer.json,metrics.jsonl}
done
must_exist "$out"/eval/{seq2seq-vs-scalar,seq2seq-vs-sft,scalar-vs-sft}.json
must_exist "$out"/heatmaps/{seq2seq,scalar}.html "$work"/report/{index.html,README.md}

# 2. Shards verify; the synthetic corpus has exactly the pairs asked for.
for kind in sft pairs prompts; do
  "$bin/rmprep" verify "$out/shards/$kind" >/dev/null 2>&1 || fail "rmprep verify shards/$kind"
done
[[ $(wc -l <"$out/data/task.jsonl") -eq $pairs ]] || fail "task.jsonl has $(wc -l <"$out/data/task.jsonl") lines, expected $pairs"

# 3. JSON artefacts parse against their schemas (a schema is required for each kind listed here).
validate() { # FILE SCHEMA-NAME...
  local file=$1
  shift
  for name in "$@"; do
    if [[ -f "Schemas/$name" ]]; then
      local mode=()
      [[ $file == *.json ]] && mode=(--document)
      "$bin/rmprep" validate "$file" "${mode[@]}" --schema "Schemas/$name" >/dev/null 2>"$work/validate.log" ||
        { fail "${file#"$work"/} against Schemas/$name:"; sed 's/^/    /' "$work/validate.log" >&2; }
      return
    fi
  done
  fail "no schema for ${file#"$work"/} (looked for: $*)"
}
validate "$out/data/synth-stats.json" synth-stats.schema.json
validate "$out/data/records.jsonl" record.schema.json
validate "$out/data/convert-stats.json" stats.schema.json convert-stats.schema.json
for kind in sft pairs prompts; do validate "$out/shards/$kind/manifest.json" manifest.schema.json shard-manifest.schema.json; done
"$bin/rmprep" validate "$out/data/task.jsonl" --format hh-rlhf >/dev/null 2>&1 || fail "task.jsonl is not valid hh-rlhf"

# 4. The report shows the win-rate table and the PPO curves.
grep -q "seq2seq vs scalar" "$work/report/README.md" || fail "report has no win-rate row"
ls "$work"/report/ppo-*.svg >/dev/null 2>&1 || fail "report has no PPO curves"
# 5. The demo ends with the verdict of each comparison.
for pair in "ppo-seq2seq vs ppo-scalar" "ppo-seq2seq vs sft" "ppo-scalar vs sft"; do
  grep -q "verdict   $pair under gold:assistant: win rate" "$work/demo.log" || fail "no verdict line for $pair"
done

if ((failures > 0)); then echo "e2e-demo-mini: $failures checks failed" >&2; exit 1; fi
echo "e2e-demo-mini: every artefact exists, verifies and parses"
