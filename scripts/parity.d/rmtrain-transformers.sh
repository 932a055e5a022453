#!/usr/bin/env bash
# Peer check (issue 7): a scalar reward model trained by `rmtrain scalar` loads in Hugging Face
# transformers as GPT2ForSequenceClassification (head `score.weight` [1, n_embd]) and scores the
# validation pairs as we do: every reward within 1e-4 and the same pairwise accuracy.
# Uses the release binaries (make parity builds them) and a small synthetic corpus.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="$root/.build/release"
py=$("$root/scripts/venv.sh" torch transformers safetensors) || {
  echo "SKIP: rmtrain-transformers: torch/transformers not installable here"
  exit 0
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin/rmprep" synth --pairs 300 -o "$tmp/pairs.jsonl" 2>/dev/null
"$bin/rmprep" tokenizer train "$tmp/pairs.jsonl" --vocab-size 400 -o "$tmp/tok.json" 2>/dev/null
"$bin/rmprep" convert "$tmp/pairs.jsonl" --tokenizer "$tmp/tok.json" --targets pairs --max-len 128 \
  --val-fraction 0.2 -o "$tmp/pairs" 2>/dev/null
"$bin/rmtrain" scalar --data "$tmp/pairs" --layers 2 --heads 2 --width 32 --context-length 128 \
  --max-steps 30 --batch-size 8 --learning-rate 3e-3 -o "$tmp/run" 2>/dev/null
"$bin/rmtrain" eval "$tmp/run" --data "$tmp/pairs" --scores "$tmp/scores.jsonl" > "$tmp/eval.json"
"$py" - "$tmp/run" "$tmp/scores.jsonl" "$tmp/eval.json" <<'PY'
import json, sys
import torch
from transformers import GPT2ForSequenceClassification
run, scores_path, eval_path = sys.argv[1:4]
model = GPT2ForSequenceClassification.from_pretrained(run).eval()
assert tuple(model.score.weight.shape) == (1, model.config.n_embd), model.score.weight.shape
worst, agree, correct, n = 0.0, 0, 0, 0
with torch.no_grad():
    for line in open(scores_path):
        pair = json.loads(line)
        ours = (pair["chosen"], pair["rejected"])
        theirs = tuple(
            model(torch.tensor([pair[k]])).logits[0, 0].item()
            for k in ("chosen_tokens", "rejected_tokens"))
        worst = max(worst, abs(ours[0] - theirs[0]), abs(ours[1] - theirs[1]))
        correct += theirs[0] > theirs[1]
        agree += (ours[0] > ours[1]) == (theirs[0] > theirs[1])
        n += 1
ours_accuracy = json.load(open(eval_path))["reward/accuracy"]
print(f"rmtrain-transformers: {n} pairs, max |reward difference| {worst:.2e}, "
      f"accuracy ours {ours_accuracy:.4f} transformers {correct / n:.4f}")
assert n > 0 and worst < 1e-4, "rewards differ from transformers"
assert abs(correct / n - ours_accuracy) < 1e-12 and agree == n, "pairwise accuracy differs"
PY
