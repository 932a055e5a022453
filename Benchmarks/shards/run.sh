#!/usr/bin/env bash
# Shards benchmark (issue 5), ours vs the named peer in the same run, alternating runs:
#   end to end .jsonl.zst → tokenized seq2seq shards (train/val .bin/.idx + mask pairs), 2 threads:
#   rmprep convert --format trl --targets seq2seq --threads 2  vs  Benchmarks/shards/peer_convert.py
#   (zstandard + orjson + tiktoken with the same vocabulary + numpy writing the same files).
# Inputs: HH-RLHF harmless-base test records ×4 and ×16 (distinct copies). Reports MB/s (decompressed
# JSONL), examples/s, tokens/s and peak RSS at both sizes (RSS must stay flat as input grows), and
# whether the peer's .bin/.idx equal ours byte for byte. Environment: RUNS (default 5).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
HERE="$ROOT/Benchmarks/shards"
RUNS=${RUNS:-5}
RMPREP="$BIN/rmprep"
HH="$ROOT/../shared/corpora/hh-rlhf/harmless-base/test.jsonl.gz"
[[ -x "$RMPREP" ]] || { echo "| shards | - | build with 'swift build -c release' first | | | | |"; exit 0; }
[[ -f "$HH" ]] || { echo "| shards | - | SKIP: $HH not found | | | | |"; exit 0; }
PY=$("$ROOT/scripts/venv.sh" numpy orjson zstandard tiktoken) || {
  echo "| shards | - | SKIP: numpy/orjson/zstandard/tiktoken cannot be installed | | | | |"; exit 0; }
W="$OUT/shards"; rm -rf "$W"; mkdir -p "$W"
"$RMPREP" convert "$HH" -o "$W/records.jsonl" 2>>"$OUT/bench.stderr"
"$RMPREP" tokenizer train "$W/records.jsonl" --vocab-size 8192 --threads 2 -o "$W/tok.json" \
  --tiktoken "$W/tok.tiktoken" 2>>"$OUT/bench.stderr"
SPECIALS=$(python3 -c "import json,sys; t=json.load(open(sys.argv[1])); ids={a['content']:a['id'] for a in t['added_tokens']}; v=len(t['model']['vocab'])+len([a for a in t['added_tokens'] if a['content'] not in t['model']['vocab']]); print(json.dumps({'bos':ids['<|bos|>'],'eos':ids['<|eos|>'],'sep_resp':ids['<|sep_resp|>'],'sep_corr':ids['<|sep_corr|>'],'vocab_size':v}))" "$W/tok.json")
echo "| benchmark | input | ours | peer | ratio median | ratio min | peak RSS ours / peer |"
echo "|---|---|---|---|---|---|---|"
f3() { python3 -c "print(f'{$1:.3g}')"; }
for copies in 4 16; do
  in="$W/hh-x$copies.jsonl.zst"
  "$PY" "$HERE/make_input.py" "$W/records.jsonl" "$copies" "$in"
  a=(); b=(); ra=(); rb=()
  for ((i = 0; i < RUNS; i++)); do
    read -r t m < <(measure "$RMPREP" convert "$in" --format trl --tokenizer "$W/tok.json" \
      --targets seq2seq --threads 2 -o "$W/ours")
    a+=("$t"); ra+=("$m")
    read -r t m < <(measure "$PY" "$HERE/peer_convert.py" "$W/tok.tiktoken" "$SPECIALS" "$in" "$W/peer")
    b+=("$t"); rb+=("$m")
  done
  read -r bytes examples tokens _ < <("$PY" "$HERE/peer_convert.py" "$W/tok.tiktoken" "$SPECIALS" "$in" "$W/peer")
  same=yes
  for f in train.bin train.idx train_mask.bin train_mask.idx val.bin val.idx val_mask.bin val_mask.idx; do
    cmp -s "$W/ours/$f" "$W/peer/$f" || same="no ($f differs)"
  done
  read -r med min < <(ratio_stats "${a[*]}" "${b[*]}")
  ba=$(printf '%s\n' "${a[@]}" | sort -g | head -1); bb=$(printf '%s\n' "${b[@]}" | sort -g | head -1)
  pa=$(printf '%s\n' "${ra[@]}" | sort -g | tail -1); pb=$(printf '%s\n' "${rb[@]}" | sort -g | tail -1)
  echo "| seq2seq shards e2e, 2 threads (outputs identical: $same) | HH test ×$copies, $(f3 "$bytes/1e6") MB, $examples examples | $(f3 "$bytes/1e6/$ba") MB/s, $(f3 "$examples/$ba") ex/s, $(f3 "$tokens/$ba") tok/s | $(f3 "$bytes/1e6/$bb") MB/s, $(f3 "$examples/$bb") ex/s, $(f3 "$tokens/$bb") tok/s | $med | $min | $((pa / 1024)) / $((pb / 1024)) MiB |"
done
