"""One PPO iteration in PyTorch, the same loop as `rmppo train` (Training.PPOTrainer.step), for
Benchmarks/ppo/run.sh. Phases and their token counts match ours:
  rollout  KV-cache sampling of one response per prompt (plain temperature, EOS stop);
  reward   actor, reference and critic forwards over prompt+response, then one teacher-forced
           seq2seq RM pass over [BOS] x [SEP_RESP] y' [SEP_CORR] y (variant A token scores);
  update   PPO epochs of shuffled minibatches: actor forward/backward (clipped policy loss),
           critic forward/backward (clipped value loss), grad clip, AdamW steps.
Prints "rollout_tps R", "reward_tps R", "update_tps R" (response tokens per second) and
"rollout_cpu S", "reward_cpu S", "update_cpu S" (process CPU seconds of each phase, all threads).

usage: reference.py SFT_RUN RM_RUN PROMPTS.json --batch B --minibatch M --new-tokens N --threads T
"""
import argparse
import json
import time

import torch
from transformers import GPT2LMHeadModel, GPT2Model

p = argparse.ArgumentParser()
p.add_argument("sft")
p.add_argument("rm")
p.add_argument("prompts")
p.add_argument("--batch", type=int, default=16)
p.add_argument("--minibatch", type=int, default=8)
p.add_argument("--new-tokens", type=int, default=32)
p.add_argument("--epochs", type=int, default=1)
p.add_argument("--threads", type=int, default=2)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(1)

specials = json.load(open(f"{a.sft}/config.json"))["seq2seqrm"]["special_token_ids"]
pad, eos, sep_corr = specials["pad"], specials["eos"], specials["sep_corr"]
prompts = json.load(open(a.prompts))[: a.batch]

actor = GPT2LMHeadModel.from_pretrained(a.sft)
reference = GPT2LMHeadModel.from_pretrained(a.sft).eval()
critic_body = GPT2Model.from_pretrained(a.sft)
value_head = torch.nn.Linear(critic_body.config.n_embd, 1)
rm = GPT2LMHeadModel.from_pretrained(a.rm).eval()
actor_opt = torch.optim.AdamW(actor.parameters(), lr=1e-4, betas=(0.9, 0.95), weight_decay=0.01)
critic_params = list(critic_body.parameters()) + list(value_head.parameters())
critic_opt = torch.optim.AdamW(critic_params, lr=5e-5, betas=(0.9, 0.95), weight_decay=0)


def pack(rows):
    """Right-padded (B, T) tokens and each row's length."""
    width = max(len(r) for r in rows)
    tokens = torch.full((len(rows), width), pad, dtype=torch.long)
    for i, r in enumerate(rows):
        tokens[i, : len(r)] = torch.tensor(r)
    return tokens


def response_logprobs(logits, prompts, responses):
    """log π(y_t) and entropy at each response position, (B, N) with zeros past the end."""
    out = torch.zeros(len(prompts), a.new_tokens)
    ent = torch.zeros(len(prompts), a.new_tokens)
    for i, (x, y) in enumerate(zip(prompts, responses)):
        rows = logits[i, len(x) - 1 : len(x) - 1 + len(y)].log_softmax(-1)
        out[i, : len(y)] = rows.gather(1, torch.tensor(y).unsqueeze(1)).squeeze(1)
        ent[i, : len(y)] = -(rows.exp() * rows).sum(-1)
    return out, ent


def values_of(prompts, responses):
    h = critic_body(pack([x + y for x, y in zip(prompts, responses)])).last_hidden_state
    v = value_head(h).squeeze(-1)
    out = torch.zeros(len(prompts), a.new_tokens)
    for i, (x, y) in enumerate(zip(prompts, responses)):
        out[i, : len(y)] = v[i, len(x) - 1 : len(x) - 1 + len(y)]
    return out


def iteration():
    """One PPO iteration; response tokens per second of each phase."""
    tps, cpu = {}, {}
    # 1. Rollout with a KV cache (per-row stop at EOS; finished rows keep feeding pad).
    start, cpu_start = time.perf_counter(), time.process_time()
    responses = [[] for _ in prompts]
    with torch.no_grad():
        done = [False] * len(prompts)
        # Left-pad prompts for a batched prefill with an attention mask.
        width = max(len(x) for x in prompts)
        ids = torch.full((len(prompts), width), pad, dtype=torch.long)
        mask = torch.zeros((len(prompts), width), dtype=torch.long)
        for i, x in enumerate(prompts):
            ids[i, width - len(x) :] = torch.tensor(x)
            mask[i, width - len(x) :] = 1
        positions = (mask.cumsum(-1) - 1).clamp(min=0)
        out = actor(input_ids=ids, attention_mask=mask, position_ids=positions, use_cache=True)
        past, logits = out.past_key_values, out.logits[:, -1]
        for step in range(a.new_tokens):
            nxt = torch.multinomial(logits.softmax(-1), 1).squeeze(1)
            for i in range(len(prompts)):
                if not done[i]:
                    responses[i].append(int(nxt[i]))
                    done[i] = int(nxt[i]) == eos
            if all(done) or step == a.new_tokens - 1:
                break
            mask = torch.cat([mask, torch.ones((len(prompts), 1), dtype=torch.long)], 1)
            positions = positions[:, -1:] + 1
            out = actor(
                input_ids=nxt.unsqueeze(1), attention_mask=mask, position_ids=positions,
                past_key_values=past, use_cache=True)
            past, logits = out.past_key_values, out.logits[:, -1]
    tokens = sum(len(y) for y in responses)
    tps["rollout"] = tokens / (time.perf_counter() - start)
    cpu["rollout"] = time.process_time() - cpu_start

    # 2. Reward phase: old/reference log-probs, values, RM token scores.
    start, cpu_start = time.perf_counter(), time.process_time()
    resp_mask = torch.zeros(len(prompts), a.new_tokens)
    for i, y in enumerate(responses):
        resp_mask[i, : len(y)] = 1
    with torch.no_grad():
        seqs = pack([x + y for x, y in zip(prompts, responses)])
        old_logp, _ = response_logprobs(actor(seqs).logits, prompts, responses)
        ref_logp, _ = response_logprobs(reference(seqs).logits, prompts, responses)
        old_values = values_of(prompts, responses)
        rm_rows = [x + y[:-1] + [sep_corr] + y for x, y in zip(prompts, responses)]
        rm_logits = rm(pack(rm_rows)).logits
        scores = torch.zeros(len(prompts), a.new_tokens)
        for i, (x, y) in enumerate(zip(prompts, responses)):
            first = len(x) + len(y)  # the SEP_CORR position predicts y_0
            pred = rm_logits[i, first - 1 : first - 1 + len(y)].argmax(-1)
            agree = pred == torch.tensor(y)
            scores[i, : len(y)] = torch.where(agree, 1.0, -1.0)
    tps["reward"] = tokens / (time.perf_counter() - start)
    cpu["reward"] = time.process_time() - cpu_start

    # KL penalty and GAE (not timed by either side's phases).
    rewards = (scores - 0.02 * (old_logp - ref_logp)).clamp(-50, 50) * resp_mask
    adv = torch.zeros_like(rewards)
    last = torch.zeros(len(prompts))
    for t in reversed(range(a.new_tokens)):
        nv = old_values[:, t + 1] * resp_mask[:, t + 1] if t + 1 < a.new_tokens else torch.zeros(len(prompts))
        delta = rewards[:, t] + nv - old_values[:, t]
        last = (delta + 0.95 * last) * resp_mask[:, t]
        adv[:, t] = last
    returns = adv + old_values

    # 3. Update.
    start, cpu_start = time.perf_counter(), time.process_time()
    for _ in range(a.epochs):
        order = torch.randperm(len(prompts)).tolist()
        for s in range(0, len(order), a.minibatch):
            rows = order[s : s + a.minibatch]
            px, ry = [prompts[r] for r in rows], [responses[r] for r in rows]
            m = resp_mask[rows]
            logp, ent = response_logprobs(actor(pack([x + y for x, y in zip(px, ry)])).logits, px, ry)
            ratio = (logp - old_logp[rows]).exp()
            loss = torch.max(-adv[rows] * ratio, -adv[rows] * ratio.clamp(0.8, 1.2))
            loss = (loss * m).sum() / m.sum()
            actor_opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(actor.parameters(), 1.0)
            actor_opt.step()
            v = values_of(px, ry)
            vc = old_values[rows] + (v - old_values[rows]).clamp(-5, 5)
            vloss = 0.5 * torch.max((v - returns[rows]) ** 2, (vc - returns[rows]) ** 2)
            vloss = (vloss * m).sum() / m.sum()
            critic_opt.zero_grad()
            vloss.backward()
            torch.nn.utils.clip_grad_norm_(critic_params, 1.0)
            critic_opt.step()
    tps["update"] = tokens * a.epochs / (time.perf_counter() - start)
    cpu["update"] = time.process_time() - cpu_start
    return tps, cpu


# A warm-up iteration (first-call allocations, kernel selection), then the timed one; rmppo's
# side is read from its second iteration too.
iteration()
tps, cpu = iteration()
for phase, value in tps.items():
    print(f"{phase}_tps {value:.1f}")
for phase, value in cpu.items():
    print(f"{phase}_cpu {value:.4f}")
