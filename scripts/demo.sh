#!/usr/bin/env bash
# The demo driver (README.md "make demo"). For now: convert the embedded fixture corpora (every
# input format, plain and compressed) to normalized records under demo-out/ and print the
# accounting of each run (in = written + dropped + rejected). Later stages grow this into the whole
# pipeline (tokenizer → shards → training → PPO → report).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RMPREP="${RMPREP:-$ROOT/.build/release/rmprep}"
OUT="$ROOT/demo-out/records"
mkdir -p "$OUT"
cd "$ROOT"

run() {  # run FORMAT INPUT [OPTIONS...]
  local format=$1 input=$2
  shift 2
  local name
  name=$(basename "$input")
  name=${name%%.*}
  printf '%-18s %-40s ' "$format" "$input"
  "$RMPREP" convert "$input" --format "$format" "$@" --max-reject-rate 1 \
    -o "$OUT/$format-$name.jsonl.zst" --rejects "$OUT/$format-$name.rejects.jsonl" \
    --stats "$OUT/$format-$name.stats.json" 2>&1 | sed 's/^rmprep convert: //'
}

echo "== rmprep convert: fixture corpora → $OUT"
run hh-rlhf Fixtures/hh-rlhf/pairs.jsonl.gz
run trl Fixtures/trl/standard.jsonl
run trl Fixtures/trl/conversational.jsonl
run sharegpt-dpo Fixtures/sharegpt-dpo/conversations.json
run sharegpt-dpo Fixtures/sharegpt-dpo/messages.jsonl
run pku-saferlhf Fixtures/pku-saferlhf/pairs.safer.jsonl --prefer safer
run tldr-comparisons Fixtures/tldr-comparisons/batch9.json
run shp Fixtures/shp/train.json
run ultrafeedback Fixtures/ultrafeedback/raw.jsonl
run ultrafeedback Fixtures/ultrafeedback/binarized.jsonl
run helpsteer2 Fixtures/helpsteer2/preference.jsonl.gz
run generic Fixtures/generic/nested.jsonl --map prompt=data.question,chosen=data.answers.0.text,rejected=data.answers.1.text
run auto Fixtures/jsonl/broken.jsonl

HH="$ROOT/../shared/corpora/hh-rlhf/harmless-base/test.jsonl.gz"
if [[ -f "$HH" ]]; then
  echo "== real data: HH-RLHF harmless-base test split"
  run hh-rlhf "$HH"
fi
echo "== first record of the HH-RLHF fixture:"
"$RMPREP" convert Fixtures/hh-rlhf/pairs.jsonl.gz -o - 2>/dev/null | head -n 1
