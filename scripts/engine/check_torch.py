"""make parity: the Swift engine against PyTorch + transformers' GPT2LMHeadModel.
Same weights (a transformers checkpoint loaded by us), same batch: loss within 1e-5 relative,
logits within 1e-4 and every parameter gradient within 1e-4 (max error relative to the tensor's
max |value|); three AdamW steps in lockstep; and our saved checkpoint loads in transformers with
the same logits. Usage: check_torch.py ENGINEBENCH WORKDIR"""
import os
import subprocess
import sys

import numpy as np
import torch
from transformers import GPT2Config, GPT2LMHeadModel

sys.path.insert(0, os.path.dirname(__file__))
from gpt2_numpy import DECAYED, read_safetensors, write_safetensors  # noqa: E402

enginebench, work = sys.argv[1], sys.argv[2]
torch.manual_seed(0)
torch.set_num_threads(2)
config = GPT2Config(vocab_size=101, n_positions=32, n_embd=64, n_layer=2, n_head=4, resid_pdrop=0.0,
                    embd_pdrop=0.0, attn_pdrop=0.0, activation_function="gelu_new")
model = GPT2LMHeadModel(config).float()
with torch.no_grad():  # larger than GPT-2's 0.02 init so every path carries signal
    for p in model.parameters():
        p.add_(torch.randn_like(p) * 0.05)
model.config.attn_implementation = "eager"
hf_dir, our_dir = f"{work}/hf", f"{work}/ours"
model.save_pretrained(hf_dir, safe_serialization=True)

rng = np.random.default_rng(7)
B, T = 4, 24
tokens = rng.integers(0, 101, (B, T))
targets = rng.integers(0, 101, (B, T))
weights = (rng.random((B, T)) < 0.8).astype(np.float64)
write_safetensors(f"{work}/batch.safetensors", {"tokens": tokens, "targets": targets, "weights": weights})
steps, lr, wd = 3, 1e-3, 0.1
subprocess.run([enginebench, "reference", "--checkpoint", hf_dir, "--input", f"{work}/batch.safetensors",
                "--out", f"{work}/ours.safetensors", "--save", our_dir, "--steps", str(steps), "--lr", str(lr),
                "--weight-decay", str(wd), "--threads", "2"], check=True)
ours = read_safetensors(f"{work}/ours.safetensors")

failures = []
def check(name, got, want, tol):
    want = np.asarray(want, dtype=np.float64)
    err = np.abs(np.asarray(got, dtype=np.float64) - want).max() / (np.abs(want).max() + 1e-12)
    if not err <= tol:
        failures.append(f"{name}: max error {err:.2e} of max |value| (tolerance {tol:g})")
    return err

tok, tgt = torch.tensor(tokens), torch.tensor(targets)
w = torch.tensor(weights, dtype=torch.float32)
def loss_of(m):
    logits = m(tok).logits
    nll = torch.nn.functional.cross_entropy(logits.reshape(-1, 101), tgt.reshape(-1), reduction="none")
    return (nll * w.reshape(-1)).sum() / w.sum(), logits

names = {n: p for n, p in model.named_parameters()}
decay = [p for n, p in names.items() if n.endswith(DECAYED)]
no_decay = [p for n, p in names.items() if not n.endswith(DECAYED)]
opt = torch.optim.AdamW([{"params": decay, "weight_decay": wd}, {"params": no_decay, "weight_decay": 0.0}],
                        lr=lr, betas=(0.9, 0.999), eps=1e-8)
losses = []
for step in range(steps + 1):
    opt.zero_grad()
    loss, logits = loss_of(model)
    loss.backward()
    losses.append(loss.item())
    if step == 0:
        check("loss", ours["loss"][0], loss.item(), 1e-5)
        logit_err = check("logits (transformers checkpoint loaded by us)", ours["logits"], logits.detach().numpy(), 1e-4)
        grad_err = max(check("grad " + n, ours["grad." + n], p.grad.numpy(), 1e-4) for n, p in names.items())
    if step < steps:
        opt.step()
check("losses over AdamW steps", ours["loss"], np.array(losses), 1e-5)
# Parameters after the steps: Adam moves an element by ~lr·sign(g) whatever |g| is, so an element
# whose gradient is at rounding level (|g| ~ 1e-9, e.g. the key bias, whose true gradient is 0)
# may step differently on the two sides. Require 99.9% of elements within 1e-4 of the tensor's
# scale and every element within 2·lr·steps.
for n, p in names.items():
    got, want = ours["final." + n].astype(np.float64), p.detach().numpy().astype(np.float64)
    diff = np.abs(got - want)
    within = diff <= 1e-4 * (np.abs(want).max() + 1e-12)
    if n.endswith("attn.c_attn.bias"):  # the key third has an exactly zero true gradient
        within = np.delete(within, np.s_[64:128])
    close = within.mean()
    if close < 0.999 or diff.max() > 2 * lr * steps:
        failures.append(f"after AdamW {n}: {close:.4%} of elements within 1e-4, max difference {diff.max():.2e}")
reloaded = GPT2LMHeadModel.from_pretrained(our_dir).float().eval()
first = GPT2LMHeadModel.from_pretrained(hf_dir).float().eval()
with torch.no_grad():
    save_err = check("our checkpoint in transformers: logits", reloaded(tok).logits.numpy(), first(tok).logits.numpy(), 1e-6)
    check("our checkpoint in transformers vs our logits", reloaded(tok).logits.numpy(), ours["logits"], 1e-4)
print(f"torch parity: loss {losses[0]:.6f} (ours {ours['loss'][0]:.6f}), logits error {logit_err:.1e}, "
      f"worst gradient error {grad_err:.1e}, AdamW losses ours {np.array2string(ours['loss'], precision=6)} "
      f"torch {np.array2string(np.array(losses), precision=6)}, saved-checkpoint logits error {save_err:.1e}")
if failures:
    print("\n".join(failures), file=sys.stderr)
    sys.exit(1)
