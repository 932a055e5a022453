"""Python reference pipeline for the shards benchmark: the same work as
`rmprep convert IN.jsonl.zst --format trl --tokenizer T --targets seq2seq --threads 2 -o DIR`
(no --max-len): zstandard stream → orjson per line → record id (sha256 of the canonical content) →
dedup → split (id hash < 0.05) → tiktoken encode_ordinary_batch on 2 threads with the same vocabulary
→ correction and identity sequences with loss masks → numpy writing train/val Megatron .bin/.idx
and their uint8 mask pairs. Prints "<decompressed bytes> <examples> <tokens> <seconds>".

usage: peer_convert.py TOKENIZER.tiktoken SPECIALS_JSON INPUT.jsonl.zst OUTDIR
"""
import hashlib, io, json, os, struct, sys, time
import numpy as np, orjson, tiktoken, zstandard
from tiktoken.load import load_tiktoken_bpe

GPT2_PAT = r"""'(?:[sdmt]|ll|ve|re)| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""

def record_id(p, c, r):
    h = hashlib.sha256()
    for f in (p, c, r):
        b = f.encode(); h.update(struct.pack("<Q", len(b))); h.update(b)
    return int.from_bytes(h.digest()[:8], "big")

class Pair:
    """One Megatron pair written streaming: .bin appended, lengths/doc indices kept, .idx at close."""
    def __init__(self, prefix, dtype, code):
        self.prefix, self.dtype, self.code = prefix, dtype, code
        self.f = open(prefix + ".bin.tmp", "wb"); self.lengths = []; self.docs = [0]
    def add(self, arr):
        self.f.write(np.asarray(arr, dtype=self.dtype).tobytes()); self.lengths.append(len(arr))
        self.docs.append(len(self.lengths))
    def close(self):
        self.f.close(); os.replace(self.prefix + ".bin.tmp", self.prefix + ".bin")
        lens = np.array(self.lengths, dtype="<i4")
        ptrs = np.zeros(len(lens), dtype="<i8")
        if len(lens) > 1: ptrs[1:] = np.cumsum(lens[:-1].astype("<i8")) * np.dtype(self.dtype).itemsize
        with open(self.prefix + ".idx", "wb") as f:
            f.write(b"MMIDIDX\x00\x00" + struct.pack("<QBQQ", 1, self.code, len(lens), len(self.docs)))
            f.write(lens.tobytes()); f.write(ptrs.tobytes()); f.write(np.array(self.docs, dtype="<i8").tobytes())

def main():
    rank_path, specials_json, path, out = sys.argv[1:5]
    sp = json.loads(specials_json)
    start = time.perf_counter()
    ranks = load_tiktoken_bpe(rank_path)
    enc = tiktoken.Encoding("ours", pat_str=GPT2_PAT, mergeable_ranks=ranks, special_tokens={})
    vocab = sp["vocab_size"]
    dtype, code = ("<u2", 8) if vocab < 65500 else ("<i4", 4)
    os.makedirs(out, exist_ok=True)
    pairs = {s: (Pair(f"{out}/{s}", dtype, code), Pair(f"{out}/{s}_mask", "u1", 1)) for s in ("train", "val")}
    BOS, EOS, SEP, CORR = sp["bos"], sp["eos"], sp["sep_resp"], sp["sep_corr"]
    seen = set(); nbytes = 0; examples = 0; tokens = 0
    reader = io.BufferedReader(zstandard.ZstdDecompressor().stream_reader(open(path, "rb"), read_across_frames=True))
    def flush(batch):
        nonlocal examples, tokens
        texts = [t for r in batch for t in r[1:]]
        ids = enc.encode_ordinary_batch(texts, num_threads=2)
        for k, (split, *_rest) in enumerate(batch):
            x, yw, yl = ids[3 * k], ids[3 * k + 1], ids[3 * k + 2]
            tok, mask = pairs[split]
            for y_in in (yl, yw):
                seq = [BOS] + x + [SEP] + y_in + [CORR] + yw + [EOS]
                ctx = len(x) + len(y_in) + 3
                tok.add(seq); mask.add([0] * ctx + [1] * (len(yw) + 1))
                examples += 1; tokens += len(seq)
    batch = []
    for line in reader:
        nbytes += len(line)
        r = orjson.loads(line)
        p, c, j = r["prompt"], r["chosen"], r["rejected"]
        rid = record_id(p, c, j)
        if rid in seen: continue
        seen.add(rid)
        batch.append(("val" if rid / 2**64 < 0.05 else "train", p, c, j))
        if len(batch) == 2048: flush(batch); batch = []
    flush(batch)
    for t, m in pairs.values(): t.close(); m.close()
    print(nbytes, examples, tokens, f"{time.perf_counter() - start:.4f}")

main()
