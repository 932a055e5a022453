#!/usr/bin/env bash
# Transformer engine vs PyTorch (transformers GPT2LMHeadModel), both on two threads, same run,
# alternating ≥5 runs each: training tokens/s (forward + backward + clip + AdamW, fp32) and KV-cache
# generation tokens/s (greedy, HF generate with cache), plus MFU against the measured sgemm peak and
# against sgemm at the model's own shapes, and one larger configuration. Rows as in Benchmarks/README.md.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
here="$ROOT/Benchmarks/engine"
bench="$BIN/enginebench"
RUNS="${ENGINE_BENCH_RUNS:-5}"
[[ -x "$bench" ]] || { echo "| engine | — | enginebench not built (make release) | | | | |"; exit 0; }
PY=$("$ROOT/scripts/venv.sh" torch transformers) ||
  { echo "| engine | — | skipped: torch/transformers cannot be installed | | | | |"; exit 0; }

# run_pair LABEL OURS_ARGS -- PEER_ARGS: alternates runs, prints one table row (throughput ratios).
run_pair() {
  local label="$1"; shift
  local ours_args=() peer_args=()
  while [[ "$1" != "--" ]]; do ours_args+=("$1"); shift; done; shift
  peer_args=("$@")
  local ours=() peer=() rss_o=0 rss_p=0 line
  for ((i = 0; i < RUNS; i++)); do
    line=$(/usr/bin/time -f "rss %M" "$bench" "${ours_args[@]}" 2>&1) || { echo "| $label | ours failed | | | | | |"; return; }
    ours+=("$(awk '/^tokens_per_s/{print $2}' <<<"$line")"); rss_o=$(awk '/^rss/{print $2}' <<<"$line")
    line=$(/usr/bin/time -f "rss %M" "$PY" "$here/torch_bench.py" "${peer_args[@]}" 2>&1) || { echo "| $label | peer failed | | | | | |"; return; }
    peer+=("$(awk '/^tokens_per_s/{print $2}' <<<"$line")"); rss_p=$(awk '/^rss/{print $2}' <<<"$line")
  done
  local stats med_o med_p
  stats=$(ratio_stats "${peer[*]}" "${ours[*]}")
  med_o=$(python3 -c "import statistics,sys; print(f'{statistics.median(map(float, sys.argv[1:])):.0f}')" "${ours[@]}")
  med_p=$(python3 -c "import statistics,sys; print(f'{statistics.median(map(float, sys.argv[1:])):.0f}')" "${peer[@]}")
  echo "| $label | $med_o tok/s | $med_p tok/s | ${stats% *} | ${stats#* } | $((rss_o / 1024)) / $((rss_p / 1024)) MiB |"
  LAST_OURS=$med_o; LAST_PEER=$med_p
}

flops_per_token() {  # 6·(12·L·C² + V·C) + 12·L·T·C, as enginebench
  python3 -c "L,C,V,T=map(int,'$1 $2 $3 $4'.split()); print(6*(12*L*C*C+V*C)+12*L*T*C)"
}

echo "| benchmark | input | ours | peer (PyTorch $("$PY" -c 'import torch; print(torch.__version__)')) | ratio median | ratio min | peak RSS ours / peer |"
echo "|---|---|---|---|---|---|---|"
model=(--layers 4 --heads 4 --width 256 --context 256 --vocab 8192 --batch 8 --threads 2)
run_pair "engine train L4 H4 C256 T256 V8192 B8" train "${model[@]}" --steps 3 -- train "${model[@]}" --steps 3
train_ours=$LAST_OURS; train_peer=$LAST_PEER
run_pair "engine generate B8 prompt 64 +128 (KV cache, greedy)" generate "${model[@]}" -- generate "${model[@]}"
big=(--layers 6 --heads 6 --width 384 --context 256 --vocab 8192 --batch 8 --threads 2)
run_pair "engine train L6 H6 C384 T256 V8192 B8" train "${big[@]}" --steps 2 -- train "${big[@]}" --steps 2
big_ours=$LAST_OURS; big_peer=$LAST_PEER

sg=$("$bench" sgemm "${model[@]}")
peak=$(awk '/sgemm_peak/{print $2}' <<<"$sg"); shapes=$(awk '/sgemm_model_shapes/{print $2}' <<<"$sg")
f=$(flops_per_token 4 256 8192 256); fb=$(flops_per_token 6 384 8192 256)
python3 - "$peak" "$shapes" "$f" "$train_ours" "$train_peer" "$fb" "$big_ours" "$big_peer" <<'PY'
import sys
peak, shapes, f, o, p, fb, bo, bp = map(float, sys.argv[1:])
print()
print(f"sgemm measured on 2 threads: peak {peak:.1f} GFLOP/s (1536³), {shapes:.1f} GFLOP/s at the L4/C256 step's own matmul shapes")
for name, flops, ours, peer in [("L4 C256", f, o, p), ("L6 C384", fb, bo, bp)]:
    go, gp = ours * flops / 1e9, peer * flops / 1e9
    print(f"MFU {name}: ours {go:.1f} GFLOP/s = {go / peak:.0%} of peak, {go / shapes:.0%} of model-shape sgemm; "
          f"PyTorch {gp:.1f} GFLOP/s = {gp / peak:.0%} of peak, {gp / shapes:.0%} of model-shape sgemm "
          f"({flops / 1e6:.1f} MFLOP per token)")
PY
