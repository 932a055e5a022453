#!/usr/bin/env bash
# datatrove as the engine (issue 10, INTEROP.md §5.3): contrib/datatrove/rmprep_datatrove.py runs
# `rmprep plan`, 4 `rmprep shard` ranks on 2 workers and `rmprep merge` under datatrove's
# LocalPipelineExecutor; the merged directory equals one `rmprep convert --targets` byte for byte.
# A second run starts no rank again (datatrove's completion markers; the part manifests keep
# their bytes and times). Skips with a message when datatrove cannot be installed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
BIN="$ROOT/.build/release/rmprep"
[[ -x "$BIN" ]] || BIN="$ROOT/.build/debug/rmprep"
PY=$(scripts/venv.sh datatrove==0.10.1) || { echo "SKIP: datatrove cannot be installed"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
"$BIN" synth --pairs 1200 --seed 21 -o "$tmp/a.jsonl" 2>/dev/null
"$BIN" synth --pairs 300 --seed 22 -o "$tmp/b.jsonl" 2>/dev/null
head -50 "$tmp/a.jsonl" | gzip -c >"$tmp/c.jsonl.gz"  # duplicates across ranks, compressed
"$BIN" tokenizer train "$tmp/a.jsonl" --vocab-size 400 -o "$tmp/tok.json" 2>/dev/null
INPUTS=("$tmp/a.jsonl" "$tmp/b.jsonl" "$tmp/c.jsonl.gz")
FLAGS=(--tokenizer "$tmp/tok.json" --targets seq2seq --val-fraction 0.1)
"$BIN" convert "${INPUTS[@]}" "${FLAGS[@]}" -o "$tmp/single" 2>/dev/null
run() {
  "$PY" "$ROOT/contrib/datatrove/rmprep_datatrove.py" --rmprep "$BIN" --world-size 4 --workers 2 \
    --work-dir "$tmp/work" -o "$tmp/merged" "${INPUTS[@]}" -- "${FLAGS[@]}" >"$tmp/log$1" 2>&1 ||
    { cat "$tmp/log$1" >&2; echo "datatrove run $1 failed" >&2; exit 1; }
}
run 1
diff -r "$tmp/single" "$tmp/merged" ||
  { echo "datatrove: merged output differs from one rmprep convert" >&2; exit 1; }
[[ $(ls "$tmp/work/logs/shard/completions" | wc -l) == 4 ]] ||
  { echo "datatrove: expected 4 shard completion markers" >&2; exit 1; }
before=$(stat -c '%n %Y %s' "$tmp"/work/parts/*.manifest.json | sha256sum)
grep -c "rmprep shard: .*part-0000[0-3]-of-00004: " "$tmp/log1" | grep -qx 4 ||
  { echo "datatrove: the first run did not convert 4 ranks" >&2; exit 1; }
sleep 1
run 2
grep -q "already been completed" "$tmp/log2" ||
  { cat "$tmp/log2" >&2; echo "datatrove: the second run did not report completed tasks" >&2; exit 1; }
if grep -q "rmprep shard: " "$tmp/log2"; then
  echo "datatrove: the second run started a rank again" >&2; exit 1
fi
[[ $(stat -c '%n %Y %s' "$tmp"/work/parts/*.manifest.json | sha256sum) == "$before" ]] ||
  { echo "datatrove: the second run rewrote part manifests" >&2; exit 1; }
diff -r "$tmp/single" "$tmp/merged"
echo "scale-datatrove: ok (4 ranks on 2 workers = one convert; re-run skipped all ranks)"
