#!/usr/bin/env bash
# Token shards read by the numpy oracle (INTEROP.md §1.12) give our tokens, for every target kind;
# `convert -o - | shards --from-stream -` equals `convert -o DIR` byte for byte; `verify` passes, and
# fails on a truncated .bin. Uses the release rmprep that `make test` builds (debug as a fallback).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
BIN="$ROOT/.build/release/rmprep"
[[ -x "$BIN" ]] || BIN="$ROOT/.build/debug/rmprep"
PY=$(scripts/venv.sh numpy) || { echo "SKIP: numpy cannot be installed"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
FIX=Fixtures/shards/pairs.jsonl
"$BIN" tokenizer train "$FIX" --vocab-size 300 -o "$tmp/tok.json" 2>/dev/null
for kind in seq2seq pairs sft prompts; do
  "$BIN" convert "$FIX" --format trl --tokenizer "$tmp/tok.json" --targets "$kind" \
    --val-fraction 0.3 -o "$tmp/$kind" 2>/dev/null
  "$BIN" convert "$FIX" --format trl --tokenizer "$tmp/tok.json" --targets "$kind" \
    --val-fraction 0.3 -o - 2>/dev/null |
    "$BIN" shards --from-stream - -o "$tmp/$kind-stream" --tokenizer "$tmp/tok.json" 2>/dev/null
  diff -r "$tmp/$kind" "$tmp/$kind-stream"
  "$BIN" verify "$tmp/$kind" >/dev/null
  "$PY" scripts/test.d/shards_numpy_check.py "$BIN" "$tmp/tok.json" "$FIX" "$kind=$tmp/$kind"
done
# A truncated .bin must fail verification, naming the file.
head -c -2 "$tmp/seq2seq/train.bin" >"$tmp/cut" && mv "$tmp/cut" "$tmp/seq2seq/train.bin"
if "$BIN" verify "$tmp/seq2seq" 2>"$tmp/err"; then echo "verify accepted a truncated .bin" >&2; exit 1; fi
grep -q "train.bin" "$tmp/err"
echo "shards-numpy: ok"
