#!/usr/bin/env bash
# The real corpora, whole: HH-RLHF harmless-base test and both Stack Exchange dumps through every
# target kind with a BPE tokenizer trained on HH; each manifest must reconcile with the ingest
# accounting it embeds (ingest written = records_in = records_converted + Σ dropped; documents and
# sequences = converted × per-kind counts) and `rmprep verify` must pass. Skips without ../shared.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
BIN="$ROOT/.build/release/rmprep"
[[ -x "$BIN" ]] || BIN="$ROOT/.build/debug/rmprep"
C="$ROOT/../shared/corpora"
[[ -d "$C" ]] || { echo "SKIP: $C not found (CI puts ../shared beside the clone)"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
HH="$C/hh-rlhf/harmless-base/test.jsonl.gz"
"$BIN" tokenizer train "$HH" --vocab-size 1024 -o "$tmp/tok.json" 2>/dev/null
n=0
for corpus in "$HH" "$C/stackexchange-datascience-meta-2024/Posts.xml" "$C/stackexchange-french-meta/Posts.xml"; do
  for kind in seq2seq pairs sft prompts; do
    n=$((n + 1))
    out="$tmp/out$n"
    "$BIN" convert "$corpus" --tokenizer "$tmp/tok.json" --targets "$kind" --max-len 1024 \
      --threads 2 -o "$out" 2>"$tmp/log"
    "$BIN" verify "$out" >/dev/null
    python3 - "$out/manifest.json" "$kind" "$corpus" <<'PY'
import json, sys
m = json.load(open(sys.argv[1])); kind = sys.argv[2]; a = m["accounting"]; up = m["upstream"]["records"]
assert up["in"] == up["written"] + up["dropped"] + up["rejected"], up
assert a["records_in"] == up["written"], (a["records_in"], up)
assert a["records_in"] == a["records_converted"] + sum(a["dropped"].values()), a
splits = m["splits"]; conv = a["records_converted"]
assert splits["train"]["records"] + splits["val"]["records"] == conv
docs = {"seq2seq": 2, "pairs": 1, "sft": 1, "prompts": 1}[kind]
seqs = {"seq2seq": 2, "pairs": 2, "sft": 1, "prompts": 1}[kind]
assert splits["train"]["documents"] + splits["val"]["documents"] == conv * docs
assert splits["train"]["sequences"] + splits["val"]["sequences"] == conv * seqs
assert sum(a["examples"].values()) == conv * docs, a["examples"]
print(f"{sys.argv[3].split('corpora/')[1]} {kind}: in {up['in']} = written {up['written']} + dropped "
      f"{up['dropped']} + rejected {up['rejected']}; converted {conv}, target drops "
      f"{ {k: v for k, v in a['dropped'].items() if v} }")
PY
  done
done
echo "shards-real: ok"
