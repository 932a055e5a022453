#!/usr/bin/env bash
# Spark as the engine (issue 10): runs contrib/spark/rmprep_spark.py in local[2] mode (pyspark from
# PyPI in its own venv, Java 17) with 4 partitions = 4 ranks, and checks that the merged directory
# equals one `rmprep convert --targets` byte for byte. Heavy (≈0.5 GB venv, JVM start ≈10 s), so it
# is not part of `make test` or `make parity`; run it by hand:
#   bash contrib/spark/run-local.sh
# Environment: SEQ2SEQRM_SPARK_VENV (default ~/.cache/seq2seqrm/venv-spark), JAVA_HOME (default:
# the first /usr/lib/jvm/*17* found).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
BIN="$ROOT/.build/release/rmprep"
[[ -x "$BIN" ]] || BIN="$ROOT/.build/debug/rmprep"
[[ -x "$BIN" ]] || { echo "run-local: build rmprep first (swift build --product rmprep)" >&2; exit 1; }
if [[ -z "${JAVA_HOME:-}" ]]; then
  for dir in /usr/lib/jvm/*17*; do
    [[ -x "$dir/bin/java" ]] && { export JAVA_HOME="$dir"; break; }
  done
fi
[[ -n "${JAVA_HOME:-}" ]] ||
  { echo "SKIP: no Java 17 (apt-get install openjdk-17-jre-headless, or set JAVA_HOME)"; exit 0; }
PY=$(SEQ2SEQRM_VENV="${SEQ2SEQRM_SPARK_VENV:-$HOME/.cache/seq2seqrm/venv-spark}" \
  scripts/venv.sh pyspark) || { echo "SKIP: pyspark cannot be installed"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$BIN" synth --pairs 1200 --seed 41 -o "$tmp/a.jsonl" 2>/dev/null
head -40 "$tmp/a.jsonl" | zstd -q -c >"$tmp/b.jsonl.zst"  # duplicates across ranks, compressed
"$BIN" tokenizer train "$tmp/a.jsonl" --vocab-size 400 -o "$tmp/tok.json" 2>/dev/null
INPUTS=("$tmp/a.jsonl" "$tmp/b.jsonl.zst")
FLAGS=(--tokenizer "$tmp/tok.json" --targets seq2seq --val-fraction 0.1)
"$BIN" convert "${INPUTS[@]}" "${FLAGS[@]}" -o "$tmp/single" 2>/dev/null
export PYSPARK_PYTHON="$PY" SPARK_LOCAL_IP=127.0.0.1
"$PY" "$ROOT/contrib/spark/rmprep_spark.py" --master 'local[2]' --rmprep "$BIN" --world-size 4 \
  --work-dir "$tmp/work" -o "$tmp/merged" "${INPUTS[@]}" -- "${FLAGS[@]}" 2>"$tmp/spark.log" ||
  { tail -40 "$tmp/spark.log" >&2; echo "run-local: the Spark job failed" >&2; exit 1; }
diff -r "$tmp/single" "$tmp/merged" ||
  { echo "run-local: merged output differs from one rmprep convert" >&2; exit 1; }
echo "spark local[2]: ok (4 partitions = 4 ranks, merged = one convert)"
