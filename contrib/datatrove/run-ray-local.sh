#!/usr/bin/env bash
# The datatrove adapter unchanged under datatrove's RayPipelineExecutor (issue 10): a local Ray
# cluster of 2 CPUs runs the plan, 4 `rmprep shard` ranks on 2 workers and the merge, and the
# merged directory equals one `rmprep convert --targets` byte for byte. Heavy (datatrove + ray in
# their own venv, ≈0.3 GB), so it is not part of `make test` or `make parity`; run it by hand:
#   bash contrib/datatrove/run-ray-local.sh
# Environment: SEQ2SEQRM_RAY_VENV (default ~/.cache/seq2seqrm/venv-ray).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
BIN="$ROOT/.build/release/rmprep"
[[ -x "$BIN" ]] || BIN="$ROOT/.build/debug/rmprep"
[[ -x "$BIN" ]] || { echo "run-ray-local: build rmprep first (swift build --product rmprep)" >&2; exit 1; }
PY=$(SEQ2SEQRM_VENV="${SEQ2SEQRM_RAY_VENV:-$HOME/.cache/seq2seqrm/venv-ray}" \
  scripts/venv.sh datatrove==0.10.1 ray) || { echo "SKIP: datatrove and ray cannot be installed"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$BIN" synth --pairs 1200 --seed 51 -o "$tmp/a.jsonl" 2>/dev/null
head -40 "$tmp/a.jsonl" | gzip -c >"$tmp/b.jsonl.gz"  # duplicates across ranks, compressed
"$BIN" tokenizer train "$tmp/a.jsonl" --vocab-size 400 -o "$tmp/tok.json" 2>/dev/null
"$BIN" convert "$tmp/a.jsonl" "$tmp/b.jsonl.gz" --tokenizer "$tmp/tok.json" --targets seq2seq \
  -o "$tmp/single" 2>/dev/null
# The Ray workers unpickle the steps by importing the adapter: put contrib/ on their path.
export PYTHONPATH="$ROOT/contrib:$ROOT/contrib/datatrove${PYTHONPATH:+:$PYTHONPATH}"
"$PY" - "$BIN" "$tmp" >"$tmp/ray.log" 2>&1 <<'PY' ||
import sys
import ray
from datatrove.executor import RayPipelineExecutor
from rmprep_datatrove import executors
from rmprep_scaleout import ScaleOutJob

rmprep, tmp = sys.argv[1], sys.argv[2]
ray.init(num_cpus=2, include_dashboard=False, _temp_dir=tmp + "/ray")
try:
    job = ScaleOutJob(
        rmprep=rmprep, inputs=[tmp + "/a.jsonl", tmp + "/b.jsonl.gz"], world_size=4,
        convert_args=["--tokenizer", tmp + "/tok.json", "--targets", "seq2seq"],
        work_dir=tmp + "/work", output=tmp + "/merged", shard_args=["--threads", "1"])
    executors(job, RayPipelineExecutor, workers=2, mem_per_cpu_gb=0.25).run()
finally:
    ray.shutdown()
PY
  { tail -30 "$tmp/ray.log" >&2; echo "run-ray-local: the Ray run failed" >&2; exit 1; }
diff -r "$tmp/single" "$tmp/merged" ||
  { echo "run-ray-local: merged output differs from one rmprep convert" >&2; exit 1; }
echo "datatrove on Ray: ok (4 ranks on 2 workers, merged = one convert)"
