"""Peer of `rmtrain sft` for Benchmarks/rmtrain/run.sh: the same training work in PyTorch with
transformers' GPT2LMHeadModel — same shape, batch size, padded batches, token-mean masked
cross-entropy, AdamW (0.9, 0.95), global gradient-norm clip 1.0 — on the train split of an rmprep
sft shard directory (read with the numpy oracle reader of scripts/test.d/shards_numpy_check.py).

usage: peer_train.py SHARDS STEPS BATCH LAYERS HEADS WIDTH CONTEXT THREADS
prints: "<label tokens> <final loss>"
"""
import json, os, random, sys

shards, steps, batch, layers, heads, width, context, threads = sys.argv[1:9]
steps, batch, threads = int(steps), int(batch), int(threads)
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "../../scripts/test.d"))
import torch
from shards_numpy_check import read_documents
from transformers import GPT2Config, GPT2LMHeadModel

torch.set_num_threads(threads)
torch.manual_seed(1234)
tokenizer = json.load(open(os.path.join(shards, "manifest.json")))["tokenizer"]
vocab, ids = tokenizer["vocab_size"], tokenizer["special_ids"]
_, docs = read_documents(os.path.join(shards, "train"))
_, masks = read_documents(os.path.join(shards, "train_mask"))
examples = [(d[0], m[0]) for d, m in zip(docs, masks)]
model = GPT2LMHeadModel(GPT2Config(
    vocab_size=vocab, n_positions=int(context), n_embd=int(width), n_layer=int(layers),
    n_head=int(heads), bos_token_id=ids["bos"], eos_token_id=ids["eos"], resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0))
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.95), weight_decay=0.0)
order, rng, labels, loss = [], random.Random(1234), 0, None
for step in range(steps):
    if len(order) < batch:
        more = list(range(len(examples)))
        rng.shuffle(more)
        order += more
    rows = [examples[i] for i in order[:batch]]
    del order[:batch]
    width_t = max(len(t) for t, _ in rows)
    tokens = torch.zeros(len(rows), width_t, dtype=torch.long)
    weights = torch.zeros(len(rows), width_t)
    for r, (t, m) in enumerate(rows):
        tokens[r, :len(t)] = torch.tensor(t)
        weights[r, :len(m)] = torch.tensor(m, dtype=torch.float32)
    logits = model(tokens).logits[:, :-1]
    w = weights[:, 1:]
    ce = torch.nn.functional.cross_entropy(
        logits.reshape(-1, vocab), tokens[:, 1:].reshape(-1), reduction="none")
    loss = (ce * w.reshape(-1)).sum() / w.sum()
    optimizer.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    labels += int(w.sum().item())
print(labels, f"{loss.item():.4f}")
