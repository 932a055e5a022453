"""Reads rmprep shard directories with the numpy oracle of INTEROP.md §1.12 (our own ~10 lines) and
checks every document against sequences rebuilt here from the fixture: record ids and the split
recomputed with hashlib, each field tokenized separately by `rmprep tokenizer encode --string`, laid
out per DESIGN.md. Optionally (--megatron) also reads them with megatron-core's IndexedDataset.

usage: shards_numpy_check.py RMPREP TOKENIZER FIXTURE KIND=DIR... [--megatron]
"""
import hashlib, json, struct, subprocess, sys
import numpy as np

def read_idx(path):
    b = open(path, "rb").read()
    assert b[:9] == b"MMIDIDX\x00\x00" and struct.unpack_from("<Q", b, 9)[0] == 1
    code = b[17]; S, D = struct.unpack_from("<QQ", b, 18); o = 34
    lens = np.frombuffer(b, "<i4", S, o); ptrs = np.frombuffer(b, "<i8", S, o + 4*S)
    docs = np.frombuffer(b, "<i8", D, o + 12*S)
    assert len(b) in (o + 12*S + 8*D, o + 13*S + 8*D)
    return code, lens, ptrs, docs

DTYPES = {1: np.uint8, 4: np.int32, 8: np.uint16}

def read_documents(prefix):
    code, lens, ptrs, docs = read_idx(prefix + ".idx")
    data = np.fromfile(prefix + ".bin", dtype=DTYPES[code])
    item = np.dtype(DTYPES[code]).itemsize
    assert data.size * item == (int(ptrs[-1]) + int(lens[-1]) * item if len(lens) else 0)
    seqs = [data[p // item: p // item + n].tolist() for p, n in zip(ptrs, lens)]
    return code, [seqs[docs[k]:docs[k + 1]] for k in range(len(docs) - 1)]

def record_id(prompt, chosen, rejected):
    h = hashlib.sha256()
    for field in (prompt, chosen, rejected):
        b = field.encode("utf-8"); h.update(struct.pack("<Q", len(b))); h.update(b)
    return h.hexdigest()[:16]

def main():
    rmprep, tokenizer, fixture = sys.argv[1:4]
    megatron = "--megatron" in sys.argv
    for pair in sys.argv[4:]:
        if pair != "--megatron":
            kind, directory = pair.split("=", 1)
            check(rmprep, tokenizer, fixture, directory, kind, megatron)

def check(rmprep, tokenizer, fixture, directory, kind, megatron):
    manifest = json.load(open(f"{directory}/manifest.json"))
    sp = manifest["tokenizer"]["special_ids"]
    BOS, EOS, SEP, CORR = sp["bos"], sp["eos"], sp["sep_resp"], sp["sep_corr"]
    val_fraction = manifest["config"]["val_fraction"]
    cache = {}
    def enc(text):
        if text not in cache:
            out = subprocess.run([rmprep, "tokenizer", "encode", "--tokenizer", tokenizer, "--string", text],
                                 check=True, capture_output=True, text=True).stdout.split()
            cache[text] = [int(x) for x in out]
        return cache[text]
    expected = {"train": [], "val": []}
    for line in open(fixture, encoding="utf-8"):
        r = json.loads(line); p, c, j = r["prompt"], r["chosen"], r["rejected"]
        split = "val" if int(record_id(p, c, j), 16) / 2**64 < val_fraction else "train"
        x, yw, yl = enc(p), enc(c), enc(j)
        if kind == "seq2seq":
            cm = [BOS] + x + [SEP] + yl + [CORR] + yw + [EOS]
            im = [BOS] + x + [SEP] + yw + [CORR] + yw + [EOS]
            ctx = len(x) + len(yl) + 3
            expected[split] += [[(cm, [0] * ctx + [1] * (len(yw) + 1))],
                                [(im, [0] * (len(x) + len(yw) + 3) + [1] * (len(yw) + 1))]]
        elif kind == "pairs":
            a = [BOS] + x + [SEP] + yw + [EOS]; b = [BOS] + x + [SEP] + yl + [EOS]
            expected[split].append([(a, [0] * (len(a) - 1) + [1]), (b, [0] * (len(b) - 1) + [1])])
        elif kind == "sft":
            a = [BOS] + x + [SEP] + yw + [EOS]
            expected[split].append([(a, [0] * (len(x) + 2) + [1] * (len(yw) + 1))])
        else:
            a = [BOS] + x + [SEP]
            expected[split].append([(a, [0] * len(a))])
    checked = 0
    for split in ("train", "val"):
        parts = manifest["splits"][split]["shards"]
        docs, masks = [], []
        for part in parts:
            code, d = read_documents(f"{directory}/{part['prefix']}")
            assert code == manifest["dtype_code"], (code, manifest["dtype_code"])
            mcode, m = read_documents(f"{directory}/{part['mask_prefix']}")
            assert mcode == 1
            docs += d; masks += m
            if megatron:
                from megatron.core.datasets.indexed_dataset import IndexedDataset
                ds = IndexedDataset(f"{directory}/{part['prefix']}", multimodal=False, mmap=True)
                flat = [s for doc in d for s in doc]
                assert len(ds) == len(flat), (len(ds), len(flat))
                for i, seq in enumerate(flat):
                    assert ds[i].tolist() == seq, f"megatron-core sequence {i} differs"
                assert ds.document_indices.tolist()[-1] == len(flat)
        got = [[(s, mk) for s, mk in zip(doc, mdoc)] for doc, mdoc in zip(docs, masks)]
        want = expected[split]
        assert len(got) == len(want), f"{kind}/{split}: {len(got)} documents, expected {len(want)}"
        for k, (g, w) in enumerate(zip(got, want)):
            assert g == w, f"{kind}/{split} document {k}:\n got {g}\nwant {w}"
            checked += 1
    print(f"{kind}: {checked} documents match ({'numpy + megatron-core' if megatron else 'numpy'})")

main()
