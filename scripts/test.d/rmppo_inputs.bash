# Sourced by scripts/test.d/rmppo-cli.sh and scripts/parity.d/rmppo-transformers.sh (needs $bin):
#   rmppo_inputs DIR PAIRS VOCAB MAX_LEN SFT_STEPS RM_STEPS TRAINER_FLAGS...
# writes a synthetic corpus DIR/pairs.jsonl, its tokenizer DIR/tok.json, the sft, pairs and
# prompts shards DIR/{sft,pairs,prompts} (--max-len MAX_LEN), and the runs DIR/runs/sft,
# DIR/runs/rm-seq2seq (seq2seq targets streamed at the context length) and DIR/runs/rm-scalar,
# each reward model started from the SFT run; TRAINER_FLAGS (shape, batch, threads…) go to every
# rmtrain command and must include --context-length.
rmppo_inputs() {
  local dir=$1 pairs=$2 vocab=$3 max_len=$4 sft_steps=$5 rm_steps=$6
  shift 6
  local flags=("$@") context=256 i
  for ((i = 0; i < ${#flags[@]} - 1; i++)); do
    [[ ${flags[i]} == --context-length ]] && context=${flags[i + 1]}
  done
  "$bin/rmprep" synth --pairs "$pairs" --seed 3 -o "$dir/pairs.jsonl" 2>/dev/null
  "$bin/rmprep" tokenizer train "$dir/pairs.jsonl" --vocab-size "$vocab" -o "$dir/tok.json" 2>/dev/null
  for kind in sft pairs prompts; do
    "$bin/rmprep" convert "$dir/pairs.jsonl" --tokenizer "$dir/tok.json" --targets "$kind" \
      --max-len "$max_len" -o "$dir/$kind" 2>/dev/null
  done
  "$bin/rmtrain" sft --data "$dir/sft" "${flags[@]}" --max-steps "$sft_steps" -o "$dir/runs/sft" 2>/dev/null
  "$bin/rmprep" convert "$dir/pairs.jsonl" --tokenizer "$dir/tok.json" --targets seq2seq \
    --max-len "$context" -o - 2>/dev/null |
    "$bin/rmtrain" seq2seq --data - --tokenizer "$dir/tok.json" --init "$dir/runs/sft" "${flags[@]}" \
      --max-steps "$rm_steps" -o "$dir/runs/rm-seq2seq" 2>/dev/null
  "$bin/rmtrain" scalar --data "$dir/pairs" --init "$dir/runs/sft" "${flags[@]}" --max-steps "$rm_steps" \
    -o "$dir/runs/rm-scalar" 2>/dev/null
}
