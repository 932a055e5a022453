#!/usr/bin/env python3
"""Python reference for the ingest benchmark: the same conversion as `rmprep convert --format trl`
(JSONL -> normalized records), written with orjson + zstandard as a data engineer would.

Per line: parse, check the three fields are strings, drop identical/empty pairs, id = first 16 hex
digits of sha256 over the canonical content, write {"id","source","prompt","chosen","rejected","meta"}.
Input: plain or zstd (sniffed by magic, every frame). Prints "records=N seconds=S" to stderr.
"""
import hashlib, io, sys, time
import orjson, zstandard

def open_input(path):
    raw = open(path, "rb")
    magic = raw.read(4)
    raw.seek(0)
    if magic == b"\x28\xb5\x2f\xfd":
        dctx = zstandard.ZstdDecompressor(max_window_size=2**31)
        return io.BufferedReader(dctx.stream_reader(raw, read_across_frames=True), 1 << 20)
    return raw

def canonical(p, c, r):
    # DESIGN.md record id: per field, its UTF-8 length as little-endian u64, then the bytes.
    parts = []
    for field in (p, c, r):
        b = field.encode()
        parts.append(len(b).to_bytes(8, "little"))
        parts.append(b)
    return b"".join(parts)

def main():
    path, out_path = sys.argv[1], sys.argv[2]
    start = time.perf_counter()
    written = dropped = rejected = 0
    with open_input(path) as f, open(out_path, "wb", buffering=1 << 20) as out:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                obj = orjson.loads(line)
                p, c, r = obj["prompt"], obj["chosen"], obj["rejected"]
                if not (isinstance(p, str) and isinstance(c, str) and isinstance(r, str)):
                    raise TypeError("field is not a string")
            except Exception:
                rejected += 1
                continue
            if c == r or not c.strip() or not r.strip():
                dropped += 1
                continue
            rid = hashlib.sha256(canonical(p, c, r)).hexdigest()[:16]
            out.write(orjson.dumps({"id": rid, "source": f"{path}:{n}", "prompt": p, "chosen": c,
                                    "rejected": r, "meta": {}}))
            out.write(b"\n")
            written += 1
    secs = time.perf_counter() - start
    print(f"records={written} dropped={dropped} rejected={rejected} seconds={secs:.3f}", file=sys.stderr)

main()
