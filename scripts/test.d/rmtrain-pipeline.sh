#!/usr/bin/env bash
# End-to-end checks of rmtrain on the release binaries (issue 7), on a small synthetic corpus:
#  1. `rmprep convert … --targets seq2seq -o - | rmtrain seq2seq --data - --tokenizer …` trains;
#  2. a target-kind mismatch is a clear error (exit 1), a stream without --tokenizer a usage error (64),
#     a stream or --init run made with another tokenizer an error naming the sha256 (exit 1);
#     bad flag values are usage errors (64) listing what is allowed;
#  3. Ctrl-C mid-run checkpoints (exit 130, one "interrupted" line), a re-run without --resume is
#     refused (exit 1), and --resume ends with weights byte-identical to an
#     uninterrupted run at the same thread count;
#  4. `rmtrain eval` prints the metrics as JSON (and refuses data of another kind); `sample` writes text;
#  5. `--init` takes a transformers-style GPT-2 checkpoint (config.json without our block) and records
#     it as "pretrained" in the lineage; one with a larger vocabulary than the data is refused (exit 1).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="$root/.build/release"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "rmtrain-pipeline: FAIL: $*" >&2; exit 1; }

"$bin/rmprep" synth --pairs 200 -o "$tmp/pairs.jsonl" 2>/dev/null
"$bin/rmprep" tokenizer train "$tmp/pairs.jsonl" --vocab-size 400 -o "$tmp/tok.json" 2>/dev/null
"$bin/rmprep" convert "$tmp/pairs.jsonl" --tokenizer "$tmp/tok.json" --targets sft --max-len 96 \
  -o "$tmp/sft" 2>/dev/null
small=(--layers 2 --heads 2 --width 64 --context-length 192 --batch-size 8 --threads 1)

# 1. The Unix pipeline.
"$bin/rmprep" convert "$tmp/pairs.jsonl" --tokenizer "$tmp/tok.json" --targets seq2seq \
  --max-len 192 -o - 2>/dev/null |
  "$bin/rmtrain" seq2seq --data - --tokenizer "$tmp/tok.json" "${small[@]}" --max-steps 3 \
    --eval-limit 8 -o "$tmp/rm" 2>"$tmp/rm.log" || { cat "$tmp/rm.log" >&2; fail "pipe run failed"; }
[[ -f "$tmp/rm/model.safetensors" ]] || fail "pipe run wrote no model"
grep -q '"seq2seq/identity_agreement"' "$tmp/rm/eval.json" || fail "seq2seq metrics missing"

# 2. Clear errors.
set +e
"$bin/rmtrain" scalar --data "$tmp/sft" -o "$tmp/bad" 2>"$tmp/err"; rc=$?
set -e
[[ $rc == 1 ]] && grep -q "target kind" "$tmp/err" || fail "kind mismatch: rc $rc, $(cat "$tmp/err")"
set +e
"$bin/rmtrain" sft --data - -o "$tmp/bad" </dev/null 2>"$tmp/err"; rc=$?
set -e
[[ $rc == 64 ]] && grep -q -- "--tokenizer" "$tmp/err" || fail "stream without tokenizer: rc $rc"
"$bin/rmprep" tokenizer train "$tmp/pairs.jsonl" --vocab-size 300 -o "$tmp/other.json" 2>/dev/null
set +e
"$bin/rmprep" convert "$tmp/pairs.jsonl" --tokenizer "$tmp/tok.json" --targets seq2seq \
  --max-len 192 -o - 2>/dev/null |
  "$bin/rmtrain" seq2seq --data - --tokenizer "$tmp/other.json" -o "$tmp/bad" 2>"$tmp/err"
rc=$?
"$bin/rmprep" convert "$tmp/pairs.jsonl" --tokenizer "$tmp/other.json" --targets sft --max-len 96 \
  -o "$tmp/sft-other" 2>/dev/null
"$bin/rmtrain" sft --data "$tmp/sft-other" --init "$tmp/rm" -o "$tmp/bad" 2>"$tmp/err2"
rc2=$?
set -e
[[ $rc == 1 ]] && grep -q "tokenizer mismatch" "$tmp/err" || fail "stream tokenizer mismatch: rc $rc, $(cat "$tmp/err")"
[[ $rc2 == 1 ]] && grep -q "tokenizer sha256" "$tmp/err2" || fail "--init tokenizer mismatch: rc $rc2"
# Bad flag values are usage errors (64) that name what is allowed.
bad_value() {  # flag value expected-text
  set +e
  "$bin/rmtrain" seq2seq --data "$tmp/sft" "--$1" "$2" -o "$tmp/bad" 2>"$tmp/err"; rc=$?
  set -e
  [[ $rc == 64 ]] && grep -qF -- "$3" "$tmp/err" || fail "--$1 $2: rc $rc, $(cat "$tmp/err")"
}
bad_value batch-size abc "invalid value 'abc' for '--batch-size': expected an integer"
bad_value batch-size 0 "invalid value '0' for '--batch-size': must be at least 1"
bad_value loss-normalization foo "expected one of token-mean, sequence-sum"
bad_value extraction-variant D "expected one of A, B, C"

# 3. Kill mid-run, resume, compare with the uninterrupted run.
run=(sft --data "$tmp/sft" "${small[@]}" --max-steps 200 --checkpoint-every 0 --eval-every 0
  --log-every 1 --eval-limit 8)
"$bin/rmtrain" "${run[@]}" -o "$tmp/straight" 2>/dev/null
"$bin/rmtrain" "${run[@]}" -o "$tmp/killed" 2>"$tmp/killed.log" &
pid=$!
for _ in $(seq 1 600); do grep -q "step 5/" "$tmp/killed.log" 2>/dev/null && break; sleep 0.05; done
kill -INT "$pid"
set +e
wait "$pid"; rc=$?
set -e
[[ $rc == 130 ]] || fail "interrupted run: expected exit 130, got $rc"
[[ ! -f "$tmp/killed/model.safetensors" ]] || fail "an interrupted run must not look finished"
stopped=$(grep -o '"step": [0-9]*' "$tmp/killed/checkpoint/trainer_state.json" | grep -o '[0-9]*')
[[ $(grep -c "interrupted" "$tmp/killed.log") == 1 ]] ||
  fail "Ctrl-C must say 'interrupted' once: $(grep interrupted "$tmp/killed.log")"
# Without --resume the checkpoint is not silently discarded.
set +e
"$bin/rmtrain" "${run[@]}" -o "$tmp/killed" 2>"$tmp/err"; rc=$?
set -e
[[ $rc == 1 ]] && grep -qF "$tmp/killed holds an interrupted run at step $stopped: pass --resume to continue or --overwrite to start again" "$tmp/err" ||
  fail "re-run without --resume: rc $rc, $(cat "$tmp/err")"
"$bin/rmtrain" sft --data "$tmp/sft" --resume -o "$tmp/killed" 2>/dev/null || fail "resume failed"
cmp -s "$tmp/straight/model.safetensors" "$tmp/killed/model.safetensors" ||
  fail "resumed weights differ from the uninterrupted run"

# 4. eval prints the metrics as JSON on stdout (a seq2seq run refuses sft data); sample writes text.
"$bin/rmtrain" eval "$tmp/straight" --data "$tmp/sft" --limit 8 2>/dev/null >"$tmp/eval.json"
grep -q '"val/perplexity"' "$tmp/eval.json" || fail "eval printed no perplexity"
set +e
"$bin/rmtrain" eval "$tmp/rm" --data "$tmp/sft" >/dev/null 2>"$tmp/err"; rc=$?
set -e
[[ $rc == 1 ]] && grep -q "target kind" "$tmp/err" || fail "eval kind mismatch: rc $rc, $(cat "$tmp/err")"
text=$("$bin/rmtrain" sample "$tmp/straight" --prompt "Human: hello" --temperature 0 \
  --max-new-tokens 8 2>/dev/null)
[[ -n "$text" ]] || fail "sample printed nothing"

# 5. A GPT-2 checkpoint in the transformers layout as --init.
mkdir -p "$tmp/gpt2"
cp "$tmp/straight/model.safetensors" "$tmp/gpt2/"
python3 -c 'import json, sys; c = json.load(open(sys.argv[1])); c.pop("seq2seqrm"); json.dump(c, open(sys.argv[2], "w"))' \
  "$tmp/straight/config.json" "$tmp/gpt2/config.json"
"$bin/rmtrain" sft --data "$tmp/sft" --init "$tmp/gpt2" --max-steps 2 --batch-size 8 --threads 1 \
  --eval-limit 8 -o "$tmp/from-gpt2" 2>"$tmp/err" || fail "--init GPT-2 checkpoint: $(cat "$tmp/err")"
grep -q '"kind": *"pretrained"' "$tmp/from-gpt2/config.json" || fail "pretrained init not in the lineage"
set +e
"$bin/rmtrain" sft --data "$tmp/sft-other" --init "$tmp/gpt2" --max-steps 2 -o "$tmp/bad" 2>"$tmp/err"
rc=$?
set -e
[[ $rc == 1 ]] && grep -q "vocabulary size" "$tmp/err" || fail "larger checkpoint vocabulary: rc $rc, $(cat "$tmp/err")"
echo "rmtrain-pipeline: pipe ok, errors ok, eval/sample ok, killed after step $stopped of 200 and resumed: weights identical, GPT-2 init ok"
