#!/usr/bin/env bash
# BPE parity with Hugging Face tokenizers and tiktoken (issue 4): 0 mismatches on every text of
# ../shared/corpora and Fixtures/bpe, identical merges from both trainers. Skips (exit 0) when the
# peers cannot be installed or the shared corpora are absent.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SHARED="$ROOT/../shared"
RMPREP="$ROOT/.build/release/rmprep"
[[ -x "$RMPREP" ]] || RMPREP="$ROOT/.build/debug/rmprep"
[[ -x "$RMPREP" ]] || { echo "SKIP: bpe-parity: build rmprep first (swift build)"; exit 0; }
[[ -d "$SHARED/corpora" ]] || { echo "SKIP: bpe-parity: $SHARED/corpora not found"; exit 0; }
PY=$("$ROOT/scripts/venv.sh" tokenizers==0.23.3 tiktoken==0.14.0) || {
  echo "SKIP: bpe-parity: cannot install tokenizers/tiktoken into the venv"; exit 0; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
"$PY" "$ROOT/scripts/bpe/texts.py" "$RMPREP" "$SHARED" "$ROOT/Fixtures" "$WORK/texts.jsonl" "$WORK/train.txt" 2>"$WORK/texts.log" \
  || { cat "$WORK/texts.log" >&2; exit 1; }
"$PY" "$ROOT/scripts/bpe/parity.py" "$RMPREP" "$WORK" "$WORK/texts.jsonl" "$WORK/train.txt" "${BPE_PARITY_VOCAB:-2000}"
