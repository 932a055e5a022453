"""Builds the shards benchmark input: the normalized records of HH-RLHF harmless-base test, copied
COPIES times with a distinct prompt suffix per copy (so dedup keeps them and the work grows
linearly), as TRL-style JSONL compressed to .jsonl.zst. usage: make_input.py RECORDS.jsonl COPIES OUT"""
import json, sys, zstandard
src, copies, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rows = [json.loads(l) for l in open(src, encoding="utf-8")]
cctx = zstandard.ZstdCompressor(level=3)
with open(out, "wb") as f, cctx.stream_writer(f) as w:
    for k in range(copies):
        for r in rows:
            rec = {"prompt": r["prompt"] + ("" if k == 0 else f" (variant {k})"), "chosen": r["chosen"], "rejected": r["rejected"]}
            w.write((json.dumps(rec, ensure_ascii=False) + "\n").encode())
