#!/usr/bin/env python3
"""NumPy reference of the PPO maths in Sources/Training/PPO (GAE, clipped losses, KL penalty,
running statistics, whitening, log-probabilities and entropy), written from METHOD.md §2.3/§4
independently of the Swift code.

  ppo_reference.py --write FILE   draw the inputs (seeded), compute the outputs, write FILE
  ppo_reference.py --check FILE   recompute the outputs from FILE's inputs and compare

The Swift test TrainingTests/NumPyReferenceTests reads the same FILE and checks the Swift
outputs against the expected values stored there; `--check` (run by scripts/test.d) proves the
stored values are what NumPy computes today.
"""
import json
import sys

import numpy as np

F32 = np.float32


def f32list(a):
    return [float(F32(x)) for x in np.asarray(a).ravel()]


def gae(rewards, values, mask, width, gamma, lam):
    rewards, values, mask = (np.asarray(a, dtype=np.float64).reshape(-1, width) for a in (rewards, values, mask))
    adv = np.zeros_like(rewards)
    for b in range(rewards.shape[0]):
        idx = np.nonzero(mask[b])[0]
        nxt, carry = 0.0, 0.0
        for t in idx[::-1]:
            delta = rewards[b, t] + gamma * nxt - values[b, t]
            carry = delta + gamma * lam * carry
            adv[b, t] = carry
            nxt = values[b, t]
    ret = np.where(mask != 0, adv + values, 0.0)
    return adv.ravel(), ret.ravel()


def policy_loss(new, old, adv, mask, eps):
    new, old, adv, mask = (np.asarray(a, dtype=np.float64) for a in (new, old, adv, mask))
    m = mask != 0
    n = m.sum()
    ratio = np.exp(new - old)
    unclipped = ratio * adv
    clipped = np.clip(ratio, 1 - eps, 1 + eps) * adv
    loss = -np.minimum(unclipped, clipped)[m].sum() / n
    flows = (unclipped <= clipped) | (np.clip(ratio, 1 - eps, 1 + eps) == ratio)
    grad = np.where(m & flows, -unclipped / n, 0.0)
    clipfrac = (np.abs(ratio - 1) > eps)[m].sum() / n
    approx_kl = ((ratio - 1) - (new - old))[m].sum() / n
    return loss, clipfrac, approx_kl, grad


def value_loss(v, old, ret, mask, c):
    v, old, ret, mask = (np.asarray(a, dtype=np.float64) for a in (v, old, ret, mask))
    m = mask != 0
    n = m.sum()
    vc = np.clip(v, old - c, old + c)
    u2, c2 = (v - ret) ** 2, (vc - ret) ** 2
    loss = 0.5 * np.maximum(u2, c2)[m].sum() / n
    grad = np.where(m & (u2 >= c2), (v - ret) / n, 0.0)
    clipfrac = (np.abs(v - old) > c)[m].sum() / n
    return loss, clipfrac, grad


def penalized(scores, logp, ref, mask, beta, clip):
    scores, logp, ref, mask = (np.asarray(a, dtype=np.float64) for a in (scores, logp, ref, mask))
    kl = np.where(mask != 0, logp - ref, 0.0)
    r = np.where(mask != 0, np.clip(scores - beta * kl, -clip, clip), 0.0)
    return r, kl


def running(batches, eps=1e-4):
    mean, var, count = 0.0, 1.0, eps
    for batch in batches:
        x = np.asarray(batch, dtype=np.float64)
        bm, bv, bn = x.mean(), x.var(), len(x)
        delta = bm - mean
        tot = count + bn
        m2 = var * count + bv * bn + delta ** 2 * count * bn / tot
        mean, var, count = mean + delta * bn / tot, m2 / tot, tot
    return mean, var, count


def whiten(x, mask):
    x, mask = np.asarray(x, dtype=np.float64), np.asarray(mask) != 0
    mu, var = x[mask].mean(), x[mask].var()
    return np.where(mask, (x - mu) / np.sqrt(var + 1e-8), 0.0)


def logp_entropy(logits, tokens, vocab, tau):
    z = np.asarray(logits, dtype=np.float64).reshape(-1, vocab) / tau
    z = z - z.max(axis=1, keepdims=True)
    logsm = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    lp = logsm[np.arange(len(tokens)), tokens]
    ent = -(np.exp(logsm) * logsm).sum(axis=1)
    return lp, ent


def draw_inputs(seed=2409):
    rng = np.random.default_rng(seed)
    u = lambda n, lo, hi: f32list(rng.uniform(lo, hi, n))
    width, lengths = 6, [6, 3, 1, 4]
    mask = [1.0 if t < L else 0.0 for L in lengths for t in range(width)]
    n = len(mask)
    old = u(n, -3, -0.1)
    new = f32list(np.asarray(old) + rng.uniform(-0.4, 0.4, n))
    vocab, rows = 9, 5
    return {
        "gae": {"width": width, "gamma": 0.99, "lambda": 0.95, "mask": mask,
                "rewards": u(n, -2, 2), "values": u(n, -2, 2)},
        "policy_loss": {"clip_range": 0.2, "mask": mask, "old_logprobs": old, "new_logprobs": new,
                        "advantages": u(n, -2, 2)},
        "value_loss": {"clip_range": 0.5, "mask": mask, "values": u(n, -2, 2),
                       "old_values": u(n, -2, 2), "returns": u(n, -2, 2)},
        "kl_penalty": {"kl_coef": 0.05, "reward_clip": 1.5, "mask": mask, "scores": u(n, -2, 2),
                       "logprobs": old, "ref_logprobs": u(n, -3, -0.1)},
        "running_stats": {"batches": [u(1, -1, 1), u(7, -5, 20), u(3, 0, 2)]},
        "whiten": {"mask": mask, "x": u(n, -3, 3)},
        "logprob_entropy": {"vocab": vocab, "temperature": 0.7, "logits": u(rows * vocab, -4, 4),
                            "tokens": [int(t) for t in rng.integers(0, vocab, rows)]},
    }


def compute(inp):
    g, p, v, k = inp["gae"], inp["policy_loss"], inp["value_loss"], inp["kl_penalty"]
    adv, ret = gae(g["rewards"], g["values"], g["mask"], g["width"], g["gamma"], g["lambda"])
    loss, clipfrac, akl, grad = policy_loss(p["new_logprobs"], p["old_logprobs"], p["advantages"],
                                            p["mask"], p["clip_range"])
    vloss, vclip, vgrad = value_loss(v["values"], v["old_values"], v["returns"], v["mask"], v["clip_range"])
    r, kl = penalized(k["scores"], k["logprobs"], k["ref_logprobs"], k["mask"], k["kl_coef"], k["reward_clip"])
    mean, var, count = running(inp["running_stats"]["batches"])
    le = inp["logprob_entropy"]
    lp, ent = logp_entropy(le["logits"], le["tokens"], le["vocab"], le["temperature"])
    return {
        "gae": {"advantages": list(adv), "returns": list(ret)},
        "policy_loss": {"loss": loss, "clip_fraction": clipfrac, "approx_kl": akl, "grad": list(grad)},
        "value_loss": {"loss": vloss, "clip_fraction": vclip, "grad": list(vgrad)},
        "kl_penalty": {"rewards": list(r), "kl": list(kl)},
        "running_stats": {"mean": mean, "variance": var, "count": count},
        "whiten": {"out": list(whiten(inp["whiten"]["x"], inp["whiten"]["mask"]))},
        "logprob_entropy": {"logprobs": list(lp), "entropy": list(ent)},
    }


def as_floats(obj):
    if isinstance(obj, dict):
        return {k: as_floats(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [as_floats(v) for v in obj]
    return float(obj)


def flatten(obj, prefix=""):
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from flatten(v, f"{prefix}/{k}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from flatten(v, f"{prefix}[{i}]")
    else:
        yield prefix, obj


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("--write", "--check"):
        print(__doc__, file=sys.stderr)
        return 64
    path = sys.argv[2]
    if sys.argv[1] == "--write":
        inp = draw_inputs()
        doc = {"inputs": inp, "expected": as_floats(compute(inp))}
        with open(path, "w") as f:
            json.dump(doc, f, indent=1)
            f.write("\n")
        return 0
    with open(path) as f:
        doc = json.load(f)
    fresh = dict(flatten(as_floats(compute(doc["inputs"]))))
    stored = dict(flatten(doc["expected"]))
    bad = [k for k in fresh if k not in stored or abs(fresh[k] - stored[k]) > 1e-9 * max(1, abs(fresh[k]))]
    for k in bad[:10]:
        print(f"ppo_reference: {path}: {k}: numpy {fresh[k]} stored {stored.get(k)}", file=sys.stderr)
    print(f"ppo_reference: {len(fresh) - len(bad)} passed, {len(bad)} failed", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
