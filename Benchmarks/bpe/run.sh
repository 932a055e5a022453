#!/usr/bin/env bash
# BPE benchmarks (issue 4), ours vs the named peer in the same run, alternating runs:
#   encode: rmprep tokenizer encode --stats-only vs tiktoken (same 32768 vocabulary, same text),
#           1 thread, and our 2 threads vs our 1 thread;
#   train:  rmprep tokenizer train --text vs Hugging Face tokenizers' BpeTrainer, both on 2 threads,
#           vocab 8192 and 32768 on the 10 MB and 50 MB corpora of ../shared/bench/make_corpus.sh.
# Environment: RUNS (default 5), BPE_BENCH_CORPUS (default ~/.cache/seq2seqrm/bench-corpus),
# BPE_BENCH_ONLY=encode|train.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
HERE="$ROOT/Benchmarks/bpe"
RUNS=${RUNS:-5}
CORPUS=${BPE_BENCH_CORPUS:-$HOME/.cache/seq2seqrm/bench-corpus}
RMPREP="$BIN/rmprep"
[[ -x "$RMPREP" ]] || { echo "| bpe | - | build with 'swift build -c release' first | | | | |"; exit 0; }
if [[ ! -s "$CORPUS/corpus50.txt" ]]; then
  "$ROOT/../shared/bench/make_corpus.sh" "$CORPUS" >&2 || { echo "| bpe | - | corpus could not be built | | | | |"; exit 0; }
fi
PY=$("$ROOT/scripts/venv.sh" tokenizers==0.23.3 tiktoken==0.14.0) || {
  echo "| bpe | - | SKIP: tokenizers/tiktoken cannot be installed | | | | |"; exit 0; }
W="$OUT/bpe"; mkdir -p "$W"
echo "corpus: $(cat "$CORPUS/SHA256SUMS" | tr '\n' ' ')" >&2
echo "| benchmark | input | ours | peer | ratio median | ratio min | peak RSS ours / peer |"
echo "|---|---|---|---|---|---|---|"

mb() { python3 -c "print(f'{$1/1e6:.2f}')"; }

if [[ "${BPE_BENCH_ONLY:-encode}" != train ]]; then
  # one tokenizer for both encoders: ours trained at 32768 on corpus10, and its rank file
  "$RMPREP" tokenizer train --text "$CORPUS/corpus10.txt" --vocab-size 32768 --threads 2 \
    -o "$W/enc.json" --tiktoken "$W/enc.tiktoken" 2>>"$OUT/bench.stderr"
  for input in corpus10; do
    f="$CORPUS/$input.txt"
    a=(); b=(); c=(); rss_o=0; rss_p=0; rss_2=0; tok_o=0; tok_p=0
    for ((i = 0; i < RUNS; i++)); do
      read -r bytes tok_o s_o < <("$RMPREP" tokenizer encode --tokenizer "$W/enc.json" --threads 1 --stats-only "$f")
      read -r _ tok_p s_p < <("$PY" "$HERE/peer_encode.py" "$W/enc.tiktoken" gpt2 "$f" 1)
      read -r _ _ s_2 < <("$RMPREP" tokenizer encode --tokenizer "$W/enc.json" --threads 2 --stats-only "$f")
      a+=("$s_o"); b+=("$s_p"); c+=("$s_2")
    done
    rss_o=$(measure "$RMPREP" tokenizer encode --tokenizer "$W/enc.json" --threads 1 --stats-only "$f" | cut -d' ' -f2)
    rss_p=$(measure "$PY" "$HERE/peer_encode.py" "$W/enc.tiktoken" gpt2 "$f" 1 | cut -d' ' -f2)
    rss_2=$(measure "$RMPREP" tokenizer encode --tokenizer "$W/enc.json" --threads 2 --stats-only "$f" | cut -d' ' -f2)
    read -r med min < <(ratio_stats "${a[*]}" "${b[*]}")
    best_o=$(printf '%s\n' "${a[@]}" | sort -g | head -1); best_p=$(printf '%s\n' "${b[@]}" | sort -g | head -1)
    best_2=$(printf '%s\n' "${c[@]}" | sort -g | head -1)
    echo "| encode 1 thread (tokens ours $tok_o, tiktoken $tok_p) | $input vocab 32768 | $(mb "$bytes/$best_o") MB/s, $(mb "$tok_o/$best_o") Mtok/s | tiktoken $(mb "$bytes/$best_p") MB/s, $(mb "$tok_p/$best_p") Mtok/s | $med | $min | $((rss_o / 1024)) / $((rss_p / 1024)) MiB |"
    read -r med2 min2 < <(ratio_stats "${c[*]}" "${a[*]}")
    echo "| encode 2 threads vs our 1 thread | $input vocab 32768 | $(mb "$bytes/$best_2") MB/s, $(mb "$tok_o/$best_2") Mtok/s | ours 1 thread $(mb "$bytes/$best_o") MB/s, $(mb "$tok_o/$best_o") Mtok/s | $med2 | $min2 | $((rss_2 / 1024)) / $((rss_o / 1024)) MiB |"
  done
fi

if [[ "${BPE_BENCH_ONLY:-train}" != encode ]]; then
  for input in corpus10 corpus50; do
    f="$CORPUS/$input.txt"
    bytes=$(stat -c %s "$f")
    for vocab in 8192 32768; do
      a=(); b=(); ra=(); rb=()
      for ((i = 0; i < RUNS; i++)); do
        read -r t m < <(measure "$RMPREP" tokenizer train --text "$f" --vocab-size "$vocab" --threads 2 -o "$W/ours-$vocab.json")
        a+=("$t"); ra+=("$m")
        read -r t m < <(RAYON_NUM_THREADS=2 measure "$PY" "$HERE/peer_train.py" "$f" "$vocab" "$W/hf-$vocab.json")
        b+=("$t"); rb+=("$m")
      done
      read -r med min < <(ratio_stats "${a[*]}" "${b[*]}")
      best_a=$(printf '%s\n' "${a[@]}" | sort -g | head -1); best_b=$(printf '%s\n' "${b[@]}" | sort -g | head -1)
      pa=$(printf '%s\n' "${ra[@]}" | sort -g | tail -1); pb=$(printf '%s\n' "${rb[@]}" | sort -g | tail -1)
      same=$("$PY" -c "import json,sys; a=json.load(open(sys.argv[1]))['model']['merges']; b=json.load(open(sys.argv[2]))['model']['merges']; b=[m.split(' ') if isinstance(m,str) else m for m in b]; n=0
while n<min(len(a),len(b)) and a[n]==b[n]: n+=1
print(f'{n}/{len(a)}')" "$W/ours-$vocab.json" "$W/hf-$vocab.json")
      # tokens/s of training = the corpus's tokens under the trained vocabulary ÷ training time
      read -r _ ntok _ < <("$RMPREP" tokenizer encode --tokenizer "$W/ours-$vocab.json" --threads 2 --stats-only "$f")
      echo "| train 2 threads (merges equal in order $same) | $input vocab $vocab | ${best_a} s, $(mb "$bytes/$best_a") MB/s, $(mb "$ntok/$best_a") Mtok/s | HF ${best_b} s, $(mb "$bytes/$best_b") MB/s, $(mb "$ntok/$best_b") Mtok/s | $med | $min | $((pa / 1024)) / $((pb / 1024)) MiB |"
    done
  done
fi
