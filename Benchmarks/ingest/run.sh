#!/usr/bin/env bash
# Ingest benchmark: JSONL → normalized records (`rmprep convert --format trl`) against a Python
# reference doing the same conversion with orjson + zstandard (reference.py: same drops, same
# content ids, byte-identical output), on a generated corpus of INGEST_BENCH_MB megabytes (default
# 1024), plain and zstd-compressed. Runs alternate ours/peer, BENCH_RUNS times each (default 5).
# Rows: MB/s of decoded JSONL (median), ratio = peer time / our time (median, min), peak RSS.
# One core: rmprep parses, hashes and writes on one thread (plain input uses no other); for
# compressed input it decompresses on a second thread, as the target allows. The peer is
# single-threaded Python. CPU-time rows count every thread.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
HERE="$ROOT/Benchmarks/ingest"
MB="${INGEST_BENCH_MB:-1024}"
RUNS="${BENCH_RUNS:-5}"
DATA="$OUT/ingest"
mkdir -p "$DATA"

PY=$("$ROOT/scripts/venv.sh" orjson zstandard) || {
  echo "| ingest | jsonl | - | orjson+zstandard | SKIP: peer not installable | - | - |"
  exit 0
}
[[ -x "$BIN/rmprep" ]] || { echo "| ingest | jsonl | SKIP: $BIN/rmprep not built (make release) | - | - | - | - |"; exit 0; }

plain="$DATA/corpus-${MB}mb.jsonl"
zst="$plain.zst"
if [[ ! -s "$plain" ]]; then
  echo "generating $plain ($MB MB)…" >&2
  python3 "$HERE/generate.py" --mb "$MB" > "$plain.tmp" && mv "$plain.tmp" "$plain"
fi
if [[ ! -s "$zst" ]]; then
  zstd -q -3 -T2 -f "$plain" -o "$zst.tmp" && mv "$zst.tmp" "$zst"
fi
bytes=$(stat -c %s "$plain")


bench() {  # bench LABEL INPUT → two table rows (wall and CPU time); sets OUR_TIMES
  local label=$1 input=$2 ours_t="" peer_t="" ours_rss=0 peer_rss=0 m t r c ours_c="" peer_c=""
  OUR_TIMES=""
  OUR_CPU=""
  for ((i = 0; i < RUNS; i++)); do
    # Each side starts without its previous output: freeing a stale 1 GB file costs about a second
    # of kernel time on ext4, which is not conversion work.
    rm -f "$DATA/ours.out.jsonl" "$DATA/peer.out.jsonl"
    m=$(measure_cpu "$BIN/rmprep" convert "$input" --format trl -o "$DATA/ours.out.jsonl") || { echo "| ingest | $label | FAILED | - | - | - | - |"; return; }
    read -r t r c <<<"$m"; ours_t+="$t "; ours_c+="$c "; ((r > ours_rss)) && ours_rss=$r
    rm -f "$DATA/peer.out.jsonl"
    m=$(measure_cpu "$PY" "$HERE/reference.py" "$input" "$DATA/peer.out.jsonl") || { echo "| ingest | $label | - | FAILED | - | - | - |"; return; }
    read -r t r c <<<"$m"; peer_t+="$t "; peer_c+="$c "; ((r > peer_rss)) && peer_rss=$r
  done
  local stats ours_med peer_med
  stats=$(ratio_stats "$ours_t" "$peer_t")
  ours_med=$(python3 -c "import statistics,sys; print(statistics.median(map(float, sys.argv[1].split())))" "$ours_t")
  peer_med=$(python3 -c "import statistics,sys; print(statistics.median(map(float, sys.argv[1].split())))" "$peer_t")
  local ours_mbs peer_mbs
  ours_mbs=$(python3 -c "print(f'{$bytes/1e6/max($ours_med,1e-9):.0f} MB/s')")
  peer_mbs=$(python3 -c "print(f'{$bytes/1e6/max($peer_med,1e-9):.0f} MB/s')")
  echo "| ingest | $label ($((bytes / 1000000)) MB) | $ours_mbs | $peer_mbs (orjson+zstandard) | ${stats% *} | ${stats#* } | $((ours_rss / 1024)) MB / $((peer_rss / 1024)) MB |"
  stats=$(ratio_stats "$ours_c" "$peer_c")
  echo "| ingest | $label, CPU time (user+sys) | $(python3 -c "import statistics,sys; print(f'{$bytes/1e6/statistics.median(map(float, sys.argv[1].split())):.0f} MB/s')" "$ours_c") | $(python3 -c "import statistics,sys; print(f'{$bytes/1e6/statistics.median(map(float, sys.argv[1].split())):.0f} MB/s')" "$peer_c") | ${stats% *} | ${stats#* } | - |"
  OUR_TIMES=$ours_t
  OUR_CPU=$ours_c
}

bench "jsonl plain" "$plain"
plain_times=$OUR_TIMES
plain_cpu=$OUR_CPU
if cmp -s "$DATA/ours.out.jsonl" "$DATA/peer.out.jsonl"; then same=yes; else same=NO; fi
bench "jsonl zstd" "$zst"
zstd_times=$OUR_TIMES
zstd_cpu=$OUR_CPU
# zstd vs plain for our tool alone: ratio = plain time / zstd time (target ≥ 0.67, i.e. within 1.5×).
stats=$(ratio_stats "$zstd_times" "$plain_times")
echo "| ingest | ours: zstd vs plain input | - | - | ${stats% *} | ${stats#* } | (plain/zstd time; ≥ 0.67 = within 1.5×) |"
# The plain and zstd runs are minutes apart, so a change in the machine's load skews the wall-time
# ratio; CPU time is the steadier view of what decompression costs.
stats=$(ratio_stats "$zstd_cpu" "$plain_cpu")
echo "| ingest | ours: zstd vs plain input, CPU time | - | - | ${stats% *} | ${stats#* } | (plain/zstd CPU time) |"
echo "| ingest | outputs byte-identical to the peer's | $same | - | - | - | - |"
rm -f "$DATA/ours.out.jsonl" "$DATA/peer.out.jsonl"
