"""BPE parity with Hugging Face `tokenizers` and `tiktoken` (issue 4). Run by scripts/test.d/bpe-parity.sh.

Checks, for each pretokenizer pattern (gpt2, cl100k, o200k):
  1. our tokenizer.json in HF `tokenizers` and our .tiktoken in `tiktoken` give our ids on every text
     (0 mismatches), and our decode(encode(x)) == x;
  2. a tokenizer.json trained by HF (ByteLevel BPE) loads in ours and encodes identically;
  3. both trainers on the same texts and vocab size: merges that agree, in order (reported; must be all).
Usage: parity.py RMPREP WORKDIR TEXTS.jsonl TRAIN.txt VOCAB
"""
import json, subprocess, sys, time

from tokenizers import Tokenizer, models, pre_tokenizers, decoders, trainers, Regex
import tiktoken
import tiktoken.load

rmprep, work, texts_path, train_path, vocab = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
SPECIALS = ["<|pad|>", "<|bos|>", "<|eos|>", "<|sep_resp|>", "<|sep_corr|>"]
PATTERNS = {
    "gpt2": r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+""",
    "cl100k": r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s""",
    "o200k": "|".join([
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""\p{N}{1,3}""", r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""", r"""\s*[\r\n]+""", r"""\s+(?!\S)""", r"""\s+""",
    ]),
}

texts = [json.loads(line) for line in open(texts_path, encoding="utf-8")]
failures = 0


def ours_encode(tok_path, extra=()):
    out = subprocess.run([rmprep, "tokenizer", "encode", "--tokenizer", tok_path, "--json-lines", *extra, texts_path],
                         check=True, capture_output=True).stdout.decode().split("\n")[:-1]
    return [[int(x) for x in line.split()] for line in out]


def ours_decode(tok_path, ids):
    src = f"{work}/ids.txt"
    with open(src, "w") as f:
        for row in ids:
            f.write(" ".join(map(str, row)) + "\n")
    out = subprocess.run([rmprep, "tokenizer", "decode", "--tokenizer", tok_path, "--json-lines", src],
                         check=True, capture_output=True).stdout.decode("utf-8").split("\n")[:-1]
    return [json.loads(line) for line in out]


def report(name, bad, total, note=""):
    global failures
    status = "ok" if bad == 0 else "FAIL"
    failures += bad != 0
    print(f"bpe-parity: {name}: {bad} mismatches / {total} texts {note}[{status}]", flush=True)


def hf_trainer_tokenizer(pattern):
    tok = Tokenizer(models.BPE())
    if pattern == "gpt2":
        tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    else:
        hf_regex = PATTERNS[pattern].replace(r"\s++$", r"\s++\z").replace(r"\p{N}{1,3}+", r"\p{N}{1,3}")
        tok.pre_tokenizer = pre_tokenizers.Sequence([
            pre_tokenizers.Split(Regex(hf_regex), behavior="isolated", invert=False),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])
    tok.decoder = decoders.ByteLevel()
    return tok


with_special = sum(any(s in t for s in SPECIALS) for t in texts)
print(f"bpe-parity: {len(texts)} texts ({sum(len(t.encode()) for t in texts)} bytes), "
      f"{sum(1 for _ in open(train_path, encoding='utf-8'))} training lines, vocab {vocab}; {with_special} texts hold special-token text "
      f"(HF matches added tokens inside text by design, we never do: K12) and are left out of the HF comparison")

for pattern in ["gpt2", "cl100k", "o200k"]:
    ours_json, ours_tt = f"{work}/ours-{pattern}.json", f"{work}/ours-{pattern}.tiktoken"
    t0 = time.time()
    subprocess.run([rmprep, "tokenizer", "train", "--text", train_path, "--vocab-size", str(vocab),
                    "--pattern", pattern, "-o", ours_json, "--tiktoken", ours_tt], check=True)
    t_ours = time.time() - t0
    ours = ours_encode(ours_json)
    # 1a. HF tokenizers loads our file and agrees
    hf = Tokenizer.from_file(ours_json)
    keep = [i for i, t in enumerate(texts) if not any(s in t for s in SPECIALS)]
    hf_ids = [e.ids for e in hf.encode_batch([texts[i] for i in keep], add_special_tokens=False)]
    bad = sum(h != ours[i] for h, i in zip(hf_ids, keep))
    report(f"{pattern}: our tokenizer.json in HF tokenizers", bad, len(keep))
    # 1b. tiktoken loads our rank file and agrees
    ranks = tiktoken.load.load_tiktoken_bpe(ours_tt)
    enc = tiktoken.Encoding(f"ours-{pattern}", pat_str=PATTERNS[pattern], mergeable_ranks=ranks,
                            special_tokens={s: i for i, s in enumerate(SPECIALS)})
    bad = sum(t != o for t, o in zip(enc.encode_ordinary_batch(texts), ours))
    report(f"{pattern}: our .tiktoken in tiktoken", bad, len(texts))
    # 1c. round trip through our decoder
    back = ours_decode(ours_json, ours)
    bad = sum(b != t for b, t in zip(back, texts))
    report(f"{pattern}: our decode(encode(x)) == x", bad, len(texts))
    # 2. an HF-trained tokenizer.json loads in ours and encodes identically
    tok = hf_trainer_tokenizer(pattern)
    trainer = trainers.BpeTrainer(vocab_size=vocab, min_frequency=0, special_tokens=SPECIALS,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    t0 = time.time()
    tok.train([train_path], trainer=trainer)  # reads lines with their endings, as ours does
    t_hf = time.time() - t0
    hf_json = f"{work}/hf-{pattern}.json"
    tok.save(hf_json)
    ours_on_hf = ours_encode(hf_json)
    hf_ids = [e.ids for e in tok.encode_batch([texts[i] for i in keep], add_special_tokens=False)]
    bad = sum(h != ours_on_hf[i] for h, i in zip(hf_ids, keep))
    report(f"{pattern}: HF-trained tokenizer.json in ours", bad, len(keep))
    # 3. merges of the two trainers, in order
    hf_merges = [tuple(m) if isinstance(m, list) else tuple(m.split(" ")) for m in json.load(open(hf_json))["model"]["merges"]]
    our_merges = [tuple(m) for m in json.load(open(ours_json))["model"]["merges"]]
    prefix = 0
    while prefix < min(len(hf_merges), len(our_merges)) and hf_merges[prefix] == our_merges[prefix]:
        prefix += 1
    same_vocab = json.load(open(hf_json))["model"]["vocab"] == json.load(open(ours_json))["model"]["vocab"]
    identical = prefix == len(hf_merges) == len(our_merges)
    failures += not identical
    print(f"bpe-parity: {pattern}: merges agree in order: {prefix} of {len(our_merges)} ours / {len(hf_merges)} HF; "
          f"vocab identical: {same_vocab}; train time ours {t_ours:.2f} s, HF {t_hf:.2f} s "
          f"[{'ok' if identical else 'FAIL'}]")
    if not identical and prefix < min(len(hf_merges), len(our_merges)):
        print(f"bpe-parity:   first difference at merge {prefix}: ours {our_merges[prefix]} HF {hf_merges[prefix]}")

print(f"bpe-parity: {'all checks passed' if failures == 0 else str(failures) + ' checks failed'}")
sys.exit(1 if failures else 0)
