#!/usr/bin/env bash
# megatron-core's own IndexedDataset reads our token shards (every target kind, rolled into several
# shards with --shard-tokens) and gets the same sequences and document boundaries as the numpy
# oracle and the fixture rebuilt by hand. The int32 path (vocabulary >= 65,500, K16) is covered by
# TokenShardsTests. Skips with a message when megatron-core (or the torch it imports) cannot be
# installed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
BIN="$ROOT/.build/release/rmprep"
[[ -x "$BIN" ]] || BIN="$ROOT/.build/debug/rmprep"
PY=$(scripts/megatron-python.sh) || { echo "SKIP: $PY"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
FIX=Fixtures/shards/pairs.jsonl
"$BIN" tokenizer train "$FIX" --vocab-size 300 -o "$tmp/tok.json" 2>/dev/null
for kind in seq2seq pairs sft prompts; do
  "$BIN" convert "$FIX" --format trl --tokenizer "$tmp/tok.json" --targets "$kind" \
    --val-fraction 0.3 --shard-tokens 150 -o "$tmp/$kind" 2>/dev/null
done
"$PY" -W ignore scripts/test.d/shards_numpy_check.py "$BIN" "$tmp/tok.json" "$FIX" --megatron \
  seq2seq="$tmp/seq2seq" pairs="$tmp/pairs" sft="$tmp/sft" prompts="$tmp/prompts"
echo "shards-megatron: ok"
