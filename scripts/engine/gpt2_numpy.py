"""A small float64 NumPy GPT-2 (forward, hand-written backward, AdamW) used as the oracle for the
Swift engine, plus helpers to write/read safetensors and Hugging Face checkpoint directories
without torch. Layouts follow Hugging Face GPT-2: Conv1D weights are (in, out); the LM head is
tied to wte; position t's logits predict targets[t]."""
import json
import struct

import numpy as np

NAMES_PER_LAYER = [
    ("ln_1.weight", "C"), ("ln_1.bias", "C"), ("attn.c_attn.weight", "C,3C"), ("attn.c_attn.bias", "3C"),
    ("attn.c_proj.weight", "C,C"), ("attn.c_proj.bias", "C"), ("ln_2.weight", "C"), ("ln_2.bias", "C"),
    ("mlp.c_fc.weight", "C,4C"), ("mlp.c_fc.bias", "4C"), ("mlp.c_proj.weight", "4C,C"), ("mlp.c_proj.bias", "C"),
]
DECAYED = ("attn.c_attn.weight", "attn.c_proj.weight", "mlp.c_fc.weight", "mlp.c_proj.weight")


def write_safetensors(path, tensors, metadata=None):
    header, offset, blobs = {}, 0, []
    if metadata:
        header["__metadata__"] = metadata
    for name in sorted(tensors):
        a = np.ascontiguousarray(tensors[name], dtype="<f4")
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [offset, offset + a.nbytes]}
        offset += a.nbytes
        blobs.append(a.tobytes())
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        out[name] = np.frombuffer(data[8 + n + begin : 8 + n + end], dtype="<f4").reshape(entry["shape"]).copy()
    return out


def init_params(cfg, rng, std=0.1):
    V, T, L, C = cfg["vocab_size"], cfg["n_positions"], cfg["n_layer"], cfg["n_embd"]
    sizes = {"C": C, "3C": 3 * C, "4C": 4 * C}
    p = {"transformer.wte.weight": rng.normal(0, std, (V, C)), "transformer.wpe.weight": rng.normal(0, std, (T, C))}
    for l in range(L):
        for name, shape in NAMES_PER_LAYER:
            dims = tuple(sizes[s] for s in shape.split(","))
            if name.startswith("ln_") and name.endswith("weight"):
                p[f"transformer.h.{l}.{name}"] = 1 + rng.normal(0, std, dims)
            else:
                p[f"transformer.h.{l}.{name}"] = rng.normal(0, std, dims)
    p["transformer.ln_f.weight"] = 1 + rng.normal(0, std, (C,))
    p["transformer.ln_f.bias"] = rng.normal(0, std, (C,))
    return {k: v.astype(np.float32).astype(np.float64) for k, v in p.items()}


def write_checkpoint(directory, cfg, params):
    config = dict(cfg, model_type="gpt2", activation_function="gelu_new", architectures=["GPT2LMHeadModel"],
                  layer_norm_epsilon=1e-5, tie_word_embeddings=True, n_ctx=cfg["n_positions"])
    with open(f"{directory}/config.json", "w") as f:
        json.dump(config, f, indent=2)
    write_safetensors(f"{directory}/model.safetensors", params, {"format": "pt"})


def layernorm(x, w, b, eps=1e-5):
    mean = x.mean(-1, keepdims=True)
    rstd = 1 / np.sqrt(((x - mean) ** 2).mean(-1, keepdims=True) + eps)
    xhat = (x - mean) * rstd
    return xhat * w + b, (xhat, rstd)


def layernorm_backward(dout, cache, w):
    xhat, rstd = cache
    g = dout * w
    dx = rstd * (g - g.mean(-1, keepdims=True) - xhat * (g * xhat).mean(-1, keepdims=True))
    return dx, (dout * xhat).sum((0, 1)), dout.sum((0, 1))


K = np.sqrt(2 / np.pi)


def gelu(x):
    return 0.5 * x * (1 + np.tanh(K * (x + 0.044715 * x**3)))


def gelu_backward(x, dout):
    t = np.tanh(K * (x + 0.044715 * x**3))
    return dout * (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * K * (1 + 3 * 0.044715 * x * x))


def forward_backward(cfg, p, tokens, targets, weights):
    """Returns (loss, logits, grads) in float64."""
    B, T = tokens.shape
    C, NH, L = cfg["n_embd"], cfg["n_head"], cfg["n_layer"]
    hs = C // NH
    g = {k: np.zeros_like(v) for k, v in p.items()}
    x = p["transformer.wte.weight"][tokens] + p["transformer.wpe.weight"][:T]
    caches = []
    mask = np.tril(np.ones((T, T), dtype=bool))
    for l in range(L):
        pre = f"transformer.h.{l}."
        ln1, c1 = layernorm(x, p[pre + "ln_1.weight"], p[pre + "ln_1.bias"])
        qkv = ln1 @ p[pre + "attn.c_attn.weight"] + p[pre + "attn.c_attn.bias"]
        q, k, v = [qkv[..., i * C : (i + 1) * C].reshape(B, T, NH, hs).transpose(0, 2, 1, 3) for i in range(3)]
        s = q @ k.transpose(0, 1, 3, 2) / np.sqrt(hs)
        s = np.where(mask, s, -np.inf)
        att = np.exp(s - s.max(-1, keepdims=True))
        att /= att.sum(-1, keepdims=True)
        y = (att @ v).transpose(0, 2, 1, 3).reshape(B, T, C)
        x2 = x + y @ p[pre + "attn.c_proj.weight"] + p[pre + "attn.c_proj.bias"]
        ln2, c2 = layernorm(x2, p[pre + "ln_2.weight"], p[pre + "ln_2.bias"])
        h = ln2 @ p[pre + "mlp.c_fc.weight"] + p[pre + "mlp.c_fc.bias"]
        a = gelu(h)
        x3 = x2 + a @ p[pre + "mlp.c_proj.weight"] + p[pre + "mlp.c_proj.bias"]
        caches.append((x, ln1, c1, q, k, v, att, y, x2, ln2, c2, h, a))
        x = x3
    lnf, cf = layernorm(x, p["transformer.ln_f.weight"], p["transformer.ln_f.bias"])
    logits = lnf @ p["transformer.wte.weight"].T
    m = logits.max(-1, keepdims=True)
    logz = m + np.log(np.exp(logits - m).sum(-1, keepdims=True))
    logp = logits - logz
    nll = -np.take_along_axis(logp, targets[..., None], -1)[..., 0]
    norm = weights.sum()
    loss = (weights * nll).sum() / norm
    # Backward.
    dlogits = np.exp(logp)
    np.put_along_axis(dlogits, targets[..., None], np.take_along_axis(dlogits, targets[..., None], -1) - 1, -1)
    dlogits *= (weights / norm)[..., None]
    g["transformer.wte.weight"] += np.einsum("btv,btc->vc", dlogits, lnf)
    dlnf = dlogits @ p["transformer.wte.weight"]
    dx, dw, db = layernorm_backward(dlnf, cf, p["transformer.ln_f.weight"])
    g["transformer.ln_f.weight"] += dw
    g["transformer.ln_f.bias"] += db
    for l in reversed(range(L)):
        pre = f"transformer.h.{l}."
        xin, ln1, c1, q, k, v, att, y, x2, ln2, c2, h, a = caches[l]
        # MLP.
        g[pre + "mlp.c_proj.weight"] += np.einsum("bti,bto->io", a, dx)
        g[pre + "mlp.c_proj.bias"] += dx.sum((0, 1))
        dh = gelu_backward(h, dx @ p[pre + "mlp.c_proj.weight"].T)
        g[pre + "mlp.c_fc.weight"] += np.einsum("bti,bto->io", ln2, dh)
        g[pre + "mlp.c_fc.bias"] += dh.sum((0, 1))
        dln2 = dh @ p[pre + "mlp.c_fc.weight"].T
        d2, dw, db = layernorm_backward(dln2, c2, p[pre + "ln_2.weight"])
        g[pre + "ln_2.weight"] += dw
        g[pre + "ln_2.bias"] += db
        dx = dx + d2
        # Attention.
        g[pre + "attn.c_proj.weight"] += np.einsum("bti,bto->io", y, dx)
        g[pre + "attn.c_proj.bias"] += dx.sum((0, 1))
        dy = (dx @ p[pre + "attn.c_proj.weight"].T).reshape(B, T, NH, hs).transpose(0, 2, 1, 3)
        datt = dy @ v.transpose(0, 1, 3, 2)
        dv = att.transpose(0, 1, 3, 2) @ dy
        ds = att * (datt - (att * datt).sum(-1, keepdims=True)) / np.sqrt(hs)
        dq = ds @ k
        dk = ds.transpose(0, 1, 3, 2) @ q
        dqkv = np.concatenate([t.transpose(0, 2, 1, 3).reshape(B, T, C) for t in (dq, dk, dv)], -1)
        g[pre + "attn.c_attn.weight"] += np.einsum("bti,bto->io", ln1, dqkv)
        g[pre + "attn.c_attn.bias"] += dqkv.sum((0, 1))
        dln1 = dqkv @ p[pre + "attn.c_attn.weight"].T
        d1, dw, db = layernorm_backward(dln1, c1, p[pre + "ln_1.weight"])
        g[pre + "ln_1.weight"] += dw
        g[pre + "ln_1.bias"] += db
        dx = dx + d1
    np.add.at(g["transformer.wte.weight"], tokens.reshape(-1), dx.reshape(-1, C))
    g["transformer.wpe.weight"][:T] += dx.sum(0)
    return loss, logits, g


def adamw_step(p, g, state, lr, wd, betas=(0.9, 0.999), eps=1e-8):
    """torch.optim.AdamW, decay only on the blocks' matrix weights."""
    state["t"] = state.get("t", 0) + 1
    t = state["t"]
    b1, b2 = betas
    for name in p:
        m = state.setdefault("m." + name, np.zeros_like(p[name]))
        v = state.setdefault("v." + name, np.zeros_like(p[name]))
        if name.endswith(DECAYED):
            p[name] *= 1 - lr * wd
        m += (g[name] - m) * (1 - b1)
        v *= b2
        v += (1 - b2) * g[name] ** 2
        denom = np.sqrt(v) / np.sqrt(1 - b2**t) + eps
        p[name] -= lr / (1 - b1**t) * m / denom
