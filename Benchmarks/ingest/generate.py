#!/usr/bin/env python3
"""Writes a synthetic TRL-standard preference JSONL corpus of about --mb megabytes to stdout.

Deterministic (seeded): 4,096 distinct base records are cycled with a serial number in the
prompt, so every record (and its content id) is unique. Text mixes ASCII words, escapes
(quotes, newlines, tabs) and multi-byte UTF-8 like real corpora.
"""
import argparse, json, random, sys

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=100)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    # Mostly ASCII English-like words with paragraph breaks, like HH-RLHF and SHP text; about one
    # word in 40 is non-ASCII (accents, typographic quotes, emoji) and one in 60 carries a quote.
    ascii_words = ("the model answer because data value reward token sequence human assistant "
                   "question people would could should about which their there these other time "
                   "good great first also after before example really think know help").split()
    rare = ["préférence", "café", "“quoted”", "naïve", "🤗", "it’s", "a\"b", "C:\\path"]
    def word():
        x = rng.random()
        if x < 0.025: return rng.choice(rare)
        if x < 0.045: return rng.choice(ascii_words) + ".\n\n"
        return rng.choice(ascii_words)
    def text(n):
        return " ".join(word() for _ in range(n))
    bases = []
    for _ in range(4096):
        bases.append((text(rng.randint(20, 80)), text(rng.randint(40, 160)), text(rng.randint(40, 160))))
    target = int(args.mb * 1e6)
    out = sys.stdout.buffer
    written, serial = 0, 0
    while written < target:
        p, c, r = bases[serial % len(bases)]
        line = json.dumps({"prompt": f"#{serial} {p}", "chosen": c, "rejected": r},
                          ensure_ascii=False).encode() + b"\n"
        out.write(line)
        written += len(line)
        serial += 1

main()
