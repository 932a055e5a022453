#!/usr/bin/env bash
# End-to-end checks of rmppo on the release binaries (issue 8), with tiny runs made by rmprep and
# rmtrain on a synthetic corpus:
#  1. train (seq2seq arm): metrics.jsonl has one line per iteration with the per-phase numbers
#     and the refusal rate, samples, curves and an HF export with lineage; --resume continues the
#     numbering and refuses changed settings; Ctrl-C checkpoints and exits 130, and resuming then
#     ends bit for bit where one straight run ends (weights, metrics); the scalar arm runs;
#  2. prompts made with another tokenizer, and runs of the wrong kind for their flag (a reward model
#     as --policy or --against, an SFT run as --reward), are refused before any work (exit 1, no
#     run directory, no result);
#  3. score: one JSONL object per response whose token scores sum to "total" and are ±r under
#     variant A; the heat map has one span per token; a prompt longer than the RM's context is
#     cut with one warning, and prompt_tokens shows what the RM saw; output paths are checked
#     (parents created) before any work, and a failing output leaves no other one behind;
#  4. eval: a policy against itself (same seed) ties on every prompt, win rate exactly 0.5, under
#     both the gold judge and a reward-model judge; the samples file feeds `rmppo score`.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="$root/.build/release"
for tool in rmprep rmtrain rmppo; do
  [[ -x "$bin/$tool" ]] || { echo "rmppo-cli: $bin/$tool missing (make test builds it)" >&2; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "rmppo-cli: FAIL: $*" >&2; exit 1; }
py=python3

source "$root/scripts/test.d/rmppo_inputs.bash"
rmppo_inputs "$tmp" 96 300 48 3 3 \
  --layers 1 --heads 2 --width 32 --context-length 192 --batch-size 8 --threads 1 --eval-limit 8

# 1. Training, resume, both arms.
printf '# refusal phrases\nsorry\ni cannot\n' >"$tmp/lexicon.txt"
ppo=(--policy "$tmp/runs/sft" --batch-size 4 --minibatch-size 2 --refusal-lexicon "$tmp/lexicon.txt"
  --max-new-tokens 8 --sample-every 1 --samples 2 --checkpoint-every 1 --threads 1 --seed 5)
"$bin/rmppo" train "${ppo[@]}" --prompts "$tmp/prompts" --reward "$tmp/runs/rm-seq2seq" --iterations 2 -o "$tmp/runs/ppo" \
  2>"$tmp/train.log" || { cat "$tmp/train.log" >&2; fail "rmppo train (seq2seq)"; }
"$bin/rmppo" train "${ppo[@]}" --prompts "$tmp/prompts" --reward "$tmp/runs/rm-seq2seq" --iterations 3 --resume \
  -o "$tmp/runs/ppo" 2>"$tmp/train.log" || { cat "$tmp/train.log" >&2; fail "rmppo train --resume"; }
set +e
"$bin/rmppo" train "${ppo[@]}" --prompts "$tmp/prompts" --reward "$tmp/runs/rm-seq2seq" --iterations 4 --resume \
  --kl-coef 0.5 -o "$tmp/runs/ppo" 2>"$tmp/err"
rc=$?
set -e
[[ $rc == 1 ]] && grep -q "ppo.kl_coef" "$tmp/err" || fail "resume with another --kl-coef: rc $rc, $(cat "$tmp/err")"
"$py" - "$tmp/runs/ppo" <<'PY' || fail "seq2seq PPO run directory"
import json, os, sys
run = sys.argv[1]
lines = [json.loads(l) for l in open(f"{run}/metrics.jsonl")]
assert [l["iteration"] for l in lines] == [1, 2, 3], [l.get("iteration") for l in lines]
flat = json.dumps(lines[-1])
for word in ("kl", "entropy", "clip", "value", "length", "tokens_per_s", "refusal_rate"):
    assert word in flat, f"metrics line has no {word}: {flat}"
config = json.load(open(f"{run}/config.json"))
block = config["seq2seqrm"]
assert block["kind"] == "ppo" and block["reward_kind"] == "seq2seq", block
assert {"policy", "reward", "prompts"} <= set(block["lineage"]), block["lineage"]
for f in ("model.safetensors", "tokenizer.json", "samples/iteration-000001.jsonl", "reward.svg",
          "kl.svg", "length.svg", "refusal.svg", "checkpoint"):
    assert os.path.exists(f"{run}/{f}") and os.path.getsize(f"{run}/{f}") > 0, f
PY
# Without a terminal: a log line every --log-every iterations (and the last); --progress forces the
# redrawn line instead.
"$bin/rmppo" train "${ppo[@]}" --prompts "$tmp/prompts" --reward "$tmp/runs/rm-seq2seq" --iterations 3 \
  --log-every 2 -o "$tmp/runs/logged" 2>"$tmp/logged.log" || fail "rmppo train --log-every 2"
[[ $(grep -c "^rmppo: iter [23]/3 " "$tmp/logged.log") == 2 ]] && ! grep -q "iter 1/3" "$tmp/logged.log" ||
  fail "--log-every 2: $(cat "$tmp/logged.log")"
"$bin/rmppo" train "${ppo[@]}" --prompts "$tmp/prompts" --reward "$tmp/runs/rm-seq2seq" --iterations 2 \
  --progress -o "$tmp/runs/progress" 2>"$tmp/progress.log" || fail "rmppo train --progress"
grep -q $'\r'"iter" "$tmp/progress.log" && ! grep -q "^rmppo: iter" "$tmp/progress.log" ||
  fail "--progress: $(cat -A "$tmp/progress.log" | head -3)"
"$bin/rmppo" train "${ppo[@]}" --prompts "$tmp/prompts" --reward "$tmp/runs/rm-scalar" --iterations 1 -o "$tmp/runs/ppo-scalar" \
  2>"$tmp/train.log" || { cat "$tmp/train.log" >&2; fail "rmppo train (scalar)"; }

# Ctrl-C: the iteration in flight finishes, a checkpoint is written, exit 130. Resuming with the
# same --iterations (the learning-rate schedule spans them) ends bit for bit where one straight
# run ends: the same exported weights and the same metrics lines but for the timings.
quiet=(--prompts "$tmp/prompts" --reward "$tmp/runs/rm-seq2seq" --iterations 400 --checkpoint-every 0
  --sample-every 0)
"$bin/rmppo" train "${ppo[@]}" "${quiet[@]}" -o "$tmp/runs/killed" 2>"$tmp/killed.log" &
pid=$!
for _ in $(seq 1 600); do grep -q "iter 3/" "$tmp/killed.log" 2>/dev/null && break; sleep 0.05; done
kill -INT "$pid"
set +e
wait "$pid"
rc=$?
set -e
[[ $rc == 130 ]] || fail "interrupted train: expected exit 130, got $rc: $(tail -3 "$tmp/killed.log")"
[[ -d "$tmp/runs/killed/checkpoint" ]] || fail "interrupted train wrote no checkpoint"
[[ $(grep -c "interrupted" "$tmp/killed.log") == 1 ]] || fail "Ctrl-C must say 'interrupted' once"
set +e
"$bin/rmppo" train "${ppo[@]}" "${quiet[@]}" -o "$tmp/runs/killed" 2>"$tmp/err"
rc=$?
set -e
[[ $rc == 1 ]] && grep -qE "holds an interrupted run at iteration [0-9]+: pass --resume to continue or --overwrite to start again" "$tmp/err" ||
  fail "re-run without --resume: rc $rc, $(cat "$tmp/err")"
"$bin/rmppo" train "${ppo[@]}" "${quiet[@]}" --resume -o "$tmp/runs/killed" 2>"$tmp/killed.log" ||
  fail "resume after Ctrl-C: $(tail -3 "$tmp/killed.log")"
"$bin/rmppo" train "${ppo[@]}" "${quiet[@]}" -o "$tmp/runs/straight" 2>"$tmp/straight.log" ||
  fail "straight run: $(tail -3 "$tmp/straight.log")"
cmp -s "$tmp/runs/killed/model.safetensors" "$tmp/runs/straight/model.safetensors" ||
  fail "Ctrl-C + --resume must export the same policy as one straight run"
"$py" - "$tmp/runs/killed/metrics.jsonl" "$tmp/runs/straight/metrics.jsonl" <<'PY' ||
import json, sys
killed, straight = ([json.loads(l) for l in open(p)] for p in sys.argv[1:3])
no_timings = lambda lines: [{k: v for k, v in l.items() if not k.startswith("perf/")} for l in lines]
assert len(killed) == 400 and no_timings(killed) == no_timings(straight)
PY
  fail "Ctrl-C + --resume: metrics.jsonl differs from one straight run"

# 2. Inputs that disagree on the tokenizer: refused before any work.
"$bin/rmprep" tokenizer train "$tmp/pairs.jsonl" --vocab-size 280 -o "$tmp/tok2.json" 2>/dev/null
"$bin/rmprep" convert "$tmp/pairs.jsonl" --tokenizer "$tmp/tok2.json" --targets prompts --max-len 48 \
  -o "$tmp/prompts2" 2>/dev/null
set +e
"$bin/rmppo" train "${ppo[@]}" --prompts "$tmp/prompts2" --reward "$tmp/runs/rm-seq2seq" --iterations 1 \
  -o "$tmp/runs/bad" 2>"$tmp/err"
rc=$?
set -e
[[ $rc == 1 ]] && grep -qi "tokenizer" "$tmp/err" || fail "tokenizer mismatch: rc $rc, $(cat "$tmp/err")"
[[ ! -e "$tmp/runs/bad" ]] || fail "a refused run must not create its directory"
# A run of the wrong kind for its flag (a reward model as --policy or --against, an SFT run as
# --reward): exit 1 naming the flag, the run and its kind; no run directory, no result.
refused() { # expected-message-regex command...
  local pattern=$1 rc
  shift
  set +e
  "$@" 2>"$tmp/err"
  rc=$?
  set -e
  [[ $rc == 1 ]] && grep -qE "$pattern" "$tmp/err" || fail "$*: rc $rc, $(cat "$tmp/err")"
}
refused "^rmppo: error: incompatible kind of the --policy run $tmp/runs/rm-scalar: expected sft or ppo" \
  "$bin/rmppo" train --policy "$tmp/runs/rm-scalar" --reward "$tmp/runs/rm-scalar" \
  --prompts "$tmp/prompts" --iterations 1 --max-new-tokens 8 -o "$tmp/runs/bad"
refused "incompatible kind of the --reward run $tmp/runs/sft: expected seq2seq or scalar" \
  "$bin/rmppo" train "${ppo[@]}" --reward "$tmp/runs/sft" --prompts "$tmp/prompts" --iterations 1 \
  -o "$tmp/runs/bad"
[[ ! -e "$tmp/runs/bad" ]] || fail "a run refused for its kind must not create its directory"
refused "incompatible kind of the --against run $tmp/runs/rm-seq2seq: expected sft or ppo" \
  "$bin/rmppo" eval --policy "$tmp/runs/sft" --against "$tmp/runs/rm-seq2seq" \
  --prompts "$tmp/prompts" --judge gold -o "$tmp/refused.json"
[[ ! -e "$tmp/refused.json" ]] || fail "a refused eval must not write a result"

# 3. Scores and the heat map.
"$bin/rmppo" score --reward "$tmp/runs/rm-seq2seq" --data "$tmp/pairs.jsonl" -o "$tmp/scores.jsonl" \
  --html "$tmp/scores.html" 2>"$tmp/err" || fail "rmppo score (seq2seq): $(cat "$tmp/err")"
"$bin/rmppo" score --reward "$tmp/runs/rm-scalar" --data "$tmp/pairs.jsonl" -o "$tmp/scalar.jsonl" \
  2>/dev/null || fail "rmppo score (scalar)"
# Bad input is located once (file:line:column) and UTF-16 is refused as rmprep refuses it.
printf '{"prompt": "a", "response": "b"}\n{"prompt": 1,,}\n' >"$tmp/badline.jsonl"
printf '\xff\xfe{\x00}\x00\n\x00' >"$tmp/u16.jsonl"
for input in badline u16; do
  set +e
  "$bin/rmppo" score --reward "$tmp/runs/rm-scalar" --data "$tmp/$input.jsonl" -o "$tmp/x.jsonl" \
    2>"$tmp/err-$input"
  rc=$?
  set -e
  [[ $rc == 1 ]] || fail "score $input: expected exit 1, got $rc"
done
grep -q "^rmppo: error: $tmp/badline.jsonl:2:[0-9]*: invalid JSON" "$tmp/err-badline" ||
  fail "score: bad JSON location: $(cat "$tmp/err-badline")"
grep -q "UTF-16/UTF-32 text (byte-order mark at byte 0)" "$tmp/err-u16" ||
  fail "score: UTF-16 not detected: $(cat "$tmp/err-u16")"
"$py" - "$tmp" <<'PY' || fail "score output"
import json, sys
tmp = sys.argv[1]
rows = [json.loads(l) for l in open(f"{tmp}/scores.jsonl")]
assert len(rows) == 2 * 96, len(rows)  # chosen and rejected of every pair
spans = 0
for r in rows:
    assert len(r["scores"]) == len(r["tokens"]) == len(r["predictions"]), r
    assert abs(sum(r["scores"]) - r["total"]) < 1e-4, r
    assert set(r["scores"]) <= {1.0, -1.0}, r["scores"]
    k = r.get("first_divergence")
    if k is not None:  # variant A: everything before the first divergence agrees
        assert all(s == 1.0 for s in r["scores"][:k]) and r["scores"][k] == -1.0, r
    spans += len(r["tokens"])
html = open(f"{tmp}/scores.html").read()
assert html.count('<span class="tok') == spans, (html.count('<span class="tok'), spans)
for r in (json.loads(l) for l in open(f"{tmp}/scalar.jsonl")):
    assert r["scores"][:-1] == [0.0] * (len(r["scores"]) - 1), r  # only the last token (EOS)
    assert abs(r["scores"][-1] - r["values"][-1]) < 1e-6, r
PY
# A prompt longer than the RM's context (192): one warning line with the count and the first record,
# and prompt_tokens is the x the RM saw, cut from the left so that the RM input fills the context.
"$py" -c 'import json; print(json.dumps({"prompt": "hello there " * 1500, "response": "ok"}));
print(json.dumps({"prompt": "hi", "response": "ok"}))' >"$tmp/long.jsonl"
for kind in seq2seq scalar; do
  "$bin/rmppo" score --reward "$tmp/runs/rm-$kind" --data "$tmp/long.jsonl" -o "$tmp/long-$kind.jsonl" \
    2>"$tmp/err" || fail "score a long prompt ($kind): $(cat "$tmp/err")"
  grep -qE "^rmppo: warning: 1 response had its prompt cut from the left to fit the reward model's context of 192 tokens \(first: $tmp/long.jsonl:1, [0-9]+ of [0-9]{4} prompt tokens kept" \
    "$tmp/err" || fail "score a long prompt ($kind): no warning: $(cat "$tmp/err")"
done
# Outputs are checked before any work: a missing parent directory is created (as rmprep and
# rmtrain do), an unwritable --html fails before scoring and leaves no -o file behind.
"$bin/rmppo" score --reward "$tmp/runs/rm-scalar" --data "$tmp/long.jsonl" -o "$tmp/new/dir/s.jsonl" \
  2>/dev/null || fail "score -o into a missing directory"
[[ $(wc -l <"$tmp/new/dir/s.jsonl") == 2 ]] || fail "score -o into a missing directory: no output"
touch "$tmp/plainfile"
refused "^rmppo: error: $tmp/plainfile/h.html: cannot create" \
  "$bin/rmppo" score --reward "$tmp/runs/rm-scalar" --data "$tmp/long.jsonl" -o "$tmp/partial.jsonl" \
  --html "$tmp/plainfile/h.html"
! grep -q "scored" "$tmp/err" && [[ ! -e "$tmp/partial.jsonl" ]] ||
  fail "score with a bad --html: scored anyway or left -o behind: $(cat "$tmp/err")"
[[ -z $(find "$tmp" -maxdepth 1 -name 'partial.jsonl.tmp.*') ]] || fail "score left a temp file"
refused "^rmppo: error: $tmp/plainfile/s.jsonl: cannot create" \
  "$bin/rmppo" eval --policy "$tmp/runs/sft" --against "$tmp/runs/sft" --prompts "$tmp/prompts" \
  --judge gold -o "$tmp/partial.json" --samples "$tmp/plainfile/s.jsonl"
[[ ! -e "$tmp/partial.json" ]] || fail "eval with a bad --samples left its -o behind"
"$py" - "$tmp" <<'PY' || fail "score: prompt_tokens of a cut prompt"
import json, sys
tmp = sys.argv[1]
long, short = [json.loads(l) for l in open(f"{tmp}/long-seq2seq.jsonl")]
# [BOS] x [SEP_RESP] y' [SEP_CORR] y[:-1], y' = y without EOS
assert len(long["prompt_tokens"]) + 2 * len(long["tokens"]) + 1 == 192, len(long["prompt_tokens"])
assert len(short["prompt_tokens"]) < 10, short
long, short = [json.loads(l) for l in open(f"{tmp}/long-scalar.jsonl")]
assert len(long["prompt_tokens"]) + len(long["tokens"]) + 2 == 192, len(long["prompt_tokens"])  # [BOS] x [SEP_RESP] y
assert len(short["prompt_tokens"]) < 10, short
PY

# 4. Evaluation: a policy against itself ties everywhere, under either judge.
for judge in gold "$tmp/runs/rm-scalar"; do
  "$bin/rmppo" eval --policy "$tmp/runs/ppo" --against "$tmp/runs/ppo" --prompts "$tmp/prompts" \
    --split train --judge "$judge" --max-prompts 12 --max-new-tokens 8 --samples "$tmp/samples.jsonl" \
    -o "$tmp/self.json" 2>"$tmp/eval.log" || { cat "$tmp/eval.log" >&2; fail "rmppo eval --judge $judge"; }
  "$py" - "$tmp/self.json" <<'PY' || fail "self-evaluation under $judge: $(cat "$tmp/self.json")"
import json, sys
e = json.load(open(sys.argv[1]))
assert (e["prompts"], e["wins"], e["ties"], e["losses"], e["win_rate"]) == (12, 0, 12, 0, 0.5), e
assert e["policy"]["mean_length"] == e["against"]["mean_length"] > 0, e
assert 0 <= e["ci"]["low"] < 0.5 < e["ci"]["high"] <= 1, e
PY
done
[[ $(wc -l <"$tmp/samples.jsonl") == 24 ]] || fail "eval --samples: expected 24 lines"
"$bin/rmppo" score --reward "$tmp/runs/rm-seq2seq" --data "$tmp/samples.jsonl" -o /dev/null 2>/dev/null ||
  fail "eval samples do not feed rmppo score"
"$bin/rmppo" eval --policy "$tmp/runs/ppo" --against "$tmp/runs/sft" --prompts "$tmp/prompts" --split train \
  --judge gold --max-prompts 12 --max-new-tokens 8 -o "$tmp/vs-sft.json" 2>/dev/null || fail "eval vs sft"
"$py" -c 'import json,sys; e=json.load(open(sys.argv[1])); assert e["wins"]+e["ties"]+e["losses"]==12, e' \
  "$tmp/vs-sft.json" || fail "eval vs sft counts"
set +e
"$bin/rmppo" eval --policy "$tmp/runs/ppo" --against "$tmp/runs/sft" --prompts "$tmp/prompts" \
  --judge gold --task frob -o "$tmp/frob.json" 2>"$tmp/err"
rc=$?
set -e
[[ $rc == 64 ]] && grep -qF "invalid value 'frob' for '--task': expected one of assistant, length, safety" "$tmp/err" ||
  fail "eval --task frob: rc $rc, $(cat "$tmp/err")"
echo "rmppo-cli: ok"
