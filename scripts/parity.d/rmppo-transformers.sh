#!/usr/bin/env bash
# Peer check (issue 8): rmppo's rewards and exported policy against Hugging Face transformers.
#  1. Seq2seq arm: `rmppo score` on a trained seq2seq RM gives, for every chosen and rejected
#     response, the same RM predictions, first divergence and token scores as METHOD.md §2.4
#     computed independently with GPT2LMHeadModel (one teacher-forced pass over
#     [BOS] x [SEP_RESP] y' [SEP_CORR] y, argmax at the response positions): variant A exactly,
#     variant C (probabilities) within 1e-4.
#  2. Scalar arm: the running score at every response prefix equals score.weight · h_t from
#     GPT2Model within 1e-4, and the reward is the last one, on EOS only.
#  3. The PPO run exports a policy GPT2LMHeadModel loads with no missing or unexpected weights,
#     with the SFT run's tensor names and shapes, changed weights, and lineage whose sha256s are
#     those of the SFT and reward-model files.
# Uses the release binaries (make parity builds them) and a small synthetic corpus.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="$root/.build/release"
py=$("$root/scripts/venv.sh" torch transformers safetensors) || {
  echo "SKIP: rmppo-transformers: torch/transformers not installable here"
  exit 0
}
export TRANSFORMERS_VERBOSITY=error
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "rmppo-transformers: FAIL: $*" >&2; exit 1; }

source "$root/scripts/test.d/rmppo_inputs.bash"
rmppo_inputs "$tmp" 120 320 64 20 30 --layers 2 --heads 2 --width 32 --context-length 256 \
  --batch-size 8 --learning-rate 3e-3 --threads 2 --eval-limit 8
head -n 40 "$tmp/pairs.jsonl" >"$tmp/some.jsonl"
for variant in A C; do
  "$bin/rmppo" score --reward "$tmp/runs/rm-seq2seq" --data "$tmp/some.jsonl" --variant "$variant" \
    --r-neg 2 -o "$tmp/seq2seq-$variant.jsonl" 2>/dev/null || fail "rmppo score --variant $variant"
done
"$bin/rmppo" score --reward "$tmp/runs/rm-scalar" --data "$tmp/some.jsonl" -o "$tmp/scalar.jsonl" \
  2>/dev/null || fail "rmppo score (scalar)"
"$bin/rmppo" train --policy "$tmp/runs/sft" --reward "$tmp/runs/rm-seq2seq" --prompts "$tmp/prompts" \
  --iterations 2 --batch-size 8 --minibatch-size 4 --max-new-tokens 12 --actor-lr 1e-3 \
  --sample-every 0 --threads 2 -o "$tmp/ppo" 2>/dev/null || fail "rmppo train"

"$py" - "$tmp" <<'PY' || fail "see the assertion above"
import hashlib, json, sys
import torch
from safetensors import safe_open
from transformers import GPT2LMHeadModel, GPT2Model

tmp = sys.argv[1]
torch.set_num_threads(2)
specials = json.load(open(f"{tmp}/runs/rm-seq2seq/config.json"))["seq2seqrm"]["special_token_ids"]
BOS, EOS, SEP_RESP, SEP_CORR = (specials[k] for k in ("bos", "eos", "sep_resp", "sep_corr"))

# 1. Seq2seq arm, METHOD.md §2.4 written out again on transformers' logits.
rm = GPT2LMHeadModel.from_pretrained(f"{tmp}/runs/rm-seq2seq").eval()
rows_a = [json.loads(l) for l in open(f"{tmp}/seq2seq-A.jsonl")]
rows_c = [json.loads(l) for l in open(f"{tmp}/seq2seq-C.jsonl")]
assert len(rows_a) == len(rows_c) == 80, (len(rows_a), len(rows_c))
late, worst_c = 0, 0.0
with torch.no_grad():
    for a, c in zip(rows_a, rows_c):
        x, y = a["prompt_tokens"], a["tokens"]
        assert y[-1] == EOS and c["tokens"] == y
        y_in = y[:-1]
        ctx = [BOS] + x + [SEP_RESP] + y_in + [SEP_CORR]
        logits = rm(torch.tensor([ctx + y])).logits[0]
        off = len(ctx) - 1
        rows = logits[off : off + len(y)]
        yhat = rows.argmax(-1).tolist()
        assert a["predictions"] == yhat, (a["line"], a["which"], a["predictions"], yhat)
        agree = [p == t for p, t in zip(yhat, y)]
        k = agree.index(False) if False in agree else len(y)
        assert a.get("first_divergence", len(y)) == k, (a["line"], a.get("first_divergence"), k)
        late += k > 0
        expected_a = [1.0 if (t < k or ok) else -2.0 for t, ok in enumerate(agree)]
        assert a["scores"] == expected_a, (a["line"], a["scores"], expected_a)
        p = rows.softmax(-1)
        expected_c = [
            float(p[t, y[t]]) if ok else -float(p[t, yhat[t]]) for t, ok in enumerate(agree)]
        worst_c = max(worst_c, max(abs(u - v) for u, v in zip(c["scores"], expected_c)))
assert worst_c <= 1e-4, worst_c
# The greedy prefix before the first divergence must be exercised, not only position 0.
assert late > 0, f"every response diverges at its first token: the check is not exercised"
print(f"rmppo-transformers: seq2seq scores of {len(rows_a)} responses match "
      f"({late} agree on a prefix; variant C within {worst_c:.1e})")

# 2. Scalar arm: running score score.weight · h_t at each response position.
body = GPT2Model.from_pretrained(f"{tmp}/runs/rm-scalar").eval()
with safe_open(f"{tmp}/runs/rm-scalar/model.safetensors", "pt") as f:
    head = f.get_tensor("score.weight")
worst = 0.0
with torch.no_grad():
    for r in (json.loads(l) for l in open(f"{tmp}/scalar.jsonl")):
        x, y = r["prompt_tokens"], r["tokens"]
        h = body(torch.tensor([[BOS] + x + [SEP_RESP] + y])).last_hidden_state[0]
        v = (h @ head.T).squeeze(-1)[len(x) + 2 :].tolist()
        worst = max(worst, max(abs(u - w) for u, w in zip(r["values"], v)))
        assert r["scores"][:-1] == [0.0] * (len(y) - 1) and abs(r["scores"][-1] - v[-1]) <= 1e-4, r
assert worst <= 1e-4, worst
print(f"rmppo-transformers: scalar running scores match within {worst:.1e}")

# 3. The exported PPO policy.
policy, info = GPT2LMHeadModel.from_pretrained(f"{tmp}/ppo", output_loading_info=True)
assert not info["missing_keys"] and not info["unexpected_keys"], info
def tensors(path):
    with safe_open(path, "pt") as f:
        return {k: f.get_tensor(k) for k in f.keys()}
ours, sft = tensors(f"{tmp}/ppo/model.safetensors"), tensors(f"{tmp}/runs/sft/model.safetensors")
assert {k: v.shape for k, v in ours.items()} == {k: v.shape for k, v in sft.items()}
assert any(not torch.equal(ours[k], sft[k]) for k in ours), "PPO did not change the policy"
block = json.load(open(f"{tmp}/ppo/config.json"))["seq2seqrm"]
sha = lambda p: hashlib.sha256(open(p, "rb").read()).hexdigest()
for role, run in (("policy", "runs/sft"), ("reward", "runs/rm-seq2seq")):
    entry = block["lineage"][role]
    assert entry["model_sha256"] == sha(f"{tmp}/{run}/model.safetensors"), (role, entry)
    assert entry["config_sha256"] == sha(f"{tmp}/{run}/config.json"), (role, entry)
assert block["lineage"]["prompts"]["manifest_sha256"] == sha(f"{tmp}/prompts/manifest.json")
print("rmppo-transformers: the PPO policy loads in transformers; lineage sha256s match")
PY
echo "rmppo-transformers: ok"
