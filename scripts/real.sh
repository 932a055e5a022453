#!/usr/bin/env bash
# `make real` (README.md "The experiment", real corpora): the same pipeline on real preference data,
# judged by the scalar reward model (no gold judge exists for real data). By default it runs on
# ../shared/corpora/hh-rlhf/harmless-base/test.jsonl.gz and, when present, on the Stack Exchange
# dumps; point it at your own copy of any supported corpus with one variable:
#   REAL_CORPUS="path/to/train.jsonl.gz" [REAL_FORMAT=hh-rlhf] make real
# Sizes: DEMO_* variables of scripts/demo.sh (defaults here: vocab 2048, max length 256 tokens).
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${SEQ2SEQRM_SHARED:-../shared}
root=${REAL_OUT:-real-out}
export DEMO_VOCAB=${DEMO_VOCAB:-2048} DEMO_MAX_LEN=${DEMO_MAX_LEN:-256}
run() { # NAME FORMAT FILES...
  local name=$1 format=$2
  shift 2
  echo "real: $name ($*) → $root/$name" >&2
  DEMO_INPUT="$*" DEMO_FORMAT="$format" DEMO_OUT="$root/$name" DEMO_REPORT="$root/$name/report" \
    scripts/demo.sh
}
if [[ -n "${REAL_CORPUS:-}" ]]; then
  run custom "${REAL_FORMAT:-auto}" $REAL_CORPUS
  exit 0
fi
hh="$shared/corpora/hh-rlhf/harmless-base/test.jsonl.gz"
if [[ -f "$hh" ]]; then run hh-rlhf hh-rlhf "$hh"; else echo "real: $hh not found; skipped" >&2; fi
dumps=()
for posts in "$shared"/corpora/stackexchange-*/Posts.xml; do [[ -f "$posts" ]] && dumps+=("$posts"); done
if ((${#dumps[@]} > 0)); then run stackexchange stackexchange "${dumps[@]}"; else echo "real: no Stack Exchange dumps found; skipped" >&2; fi
