"""PyTorch peer for Benchmarks/engine: the same GPT-2 (transformers GPT2LMHeadModel, fp32, two
threads) trained with the same step (weighted token cross-entropy, backward, clip 1.0, AdamW), and
HF `generate` with the KV cache, greedy. Prints "tokens_per_s X" like enginebench.
Usage: torch_bench.py train|generate --layers L --heads H --width C --context T --vocab V --batch B
       [--steps N] [--prompt-length P] [--new-tokens N]"""
import argparse
import time

import torch
from transformers import GPT2Config, GPT2LMHeadModel

ap = argparse.ArgumentParser()
ap.add_argument("mode", choices=["train", "generate"])
for name, default in [("layers", 4), ("heads", 4), ("width", 256), ("context", 256), ("vocab", 8192), ("batch", 8),
                      ("steps", 5), ("prompt-length", 64), ("new-tokens", 128), ("threads", 2)]:
    ap.add_argument("--" + name, type=int, default=default)
a = ap.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(1)
config = GPT2Config(vocab_size=a.vocab, n_positions=a.context, n_embd=a.width, n_layer=a.layers, n_head=a.heads,
                    resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0, activation_function="gelu_new",
                    bos_token_id=0, eos_token_id=0, pad_token_id=0)
model = GPT2LMHeadModel(config).float()

if a.mode == "train":
    B, T = a.batch, a.context
    tokens = torch.randint(0, a.vocab, (B, T))
    targets = torch.roll(tokens, -1, 1)
    weights = torch.ones(B * T)
    decay = [p for n, p in model.named_parameters() if n.endswith(("c_attn.weight", "c_proj.weight", "c_fc.weight"))]
    rest = [p for n, p in model.named_parameters() if not n.endswith(("c_attn.weight", "c_proj.weight", "c_fc.weight"))]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": rest, "weight_decay": 0.0}],
                            lr=1e-4, betas=(0.9, 0.95))
    model.train()

    def step():
        logits = model(tokens).logits
        nll = torch.nn.functional.cross_entropy(logits.reshape(-1, a.vocab), targets.reshape(-1), reduction="none")
        loss = (nll * weights).sum() / weights.sum()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()

    step()
    start = time.perf_counter()
    for _ in range(a.steps):
        step()
    elapsed = time.perf_counter() - start
    print(f"tokens_per_s {a.steps * B * T / elapsed}")
    print(f"step_s {elapsed / a.steps}")
else:
    model.eval()
    prompts = torch.randint(1, a.vocab, (a.batch, a.prompt_length))
    with torch.no_grad():
        mask = torch.ones_like(prompts)
        model.generate(prompts[:1], attention_mask=mask[:1], max_new_tokens=2, do_sample=False, use_cache=True)
        start = time.perf_counter()
        out = model.generate(prompts, attention_mask=mask, max_new_tokens=a.new_tokens, min_new_tokens=a.new_tokens,
                             do_sample=False, use_cache=True)
        elapsed = time.perf_counter() - start
    produced = (out.shape[1] - a.prompt_length) * a.batch
    print(f"tokens_per_s {produced / elapsed}")
    print(f"elapsed_s {elapsed}")
