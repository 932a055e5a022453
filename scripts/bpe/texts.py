"""Collects every text of ../shared/corpora and Fixtures/bpe for the BPE parity check.

Writes TEXTS.jsonl (one JSON string per line: every prompt/chosen/rejected of the records that
`rmprep convert` reads, plus every line of every plain or gzip corpus file and every fixture line)
and TRAIN.txt (the training text: fixture corpus plus the record texts, newlines kept as lines).
Usage: texts.py RMPREP SHARED FIXTURES OUT_TEXTS OUT_TRAIN
"""
import glob, gzip, json, os, subprocess, sys

rmprep, shared, fixtures, out_texts, out_train = sys.argv[1:6]
texts, train = [], []
files = sorted(p for p in glob.glob(f"{shared}/corpora/**/*", recursive=True)
               if os.path.isfile(p) and not p.endswith(".md"))
for path in files:
    # records, through our own ingest stage
    r = subprocess.run([rmprep, "convert", path, "-o", "-", "--max-reject-rate", "1"], capture_output=True)
    n = 0
    if r.returncode == 0:
        for line in r.stdout.decode("utf-8").splitlines():
            rec = json.loads(line)
            for key in ("prompt", "chosen", "rejected"):
                texts.append(rec[key]); train.append(rec[key]); n += 1
    # raw lines (JSON/XML syntax, escapes and all)
    raw = open(path, "rb").read()
    if path.endswith(".gz"):
        raw = gzip.decompress(raw)
    elif path.endswith(".zst") or "/zst/" in path:
        raw = b""
    lines = raw.decode("utf-8", errors="replace").split("\n")
    texts.extend(l for l in lines if l)
    print(f"texts: {os.path.relpath(path, shared)}: {n} record texts, {len(lines)} raw lines", file=sys.stderr)
for path in sorted(glob.glob(f"{fixtures}/bpe/*.txt")):
    lines = open(path, encoding="utf-8").read().split("\n")
    texts.extend(lines); train.extend(lines)
texts += ["", " ", "🤗", "x != y", " !", "hello !", "x \n  ", "\n\n  x", "a\u00a0b", "e\u0301 ", "Ａ１２３４"]
with open(out_texts, "w", encoding="utf-8") as f:
    for t in texts:
        f.write(json.dumps(t, ensure_ascii=False) + "\n")
with open(out_train, "w", encoding="utf-8") as f:
    f.write("\n".join(t.replace("\r", "") for t in train))
