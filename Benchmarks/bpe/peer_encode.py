"""tiktoken encode throughput: prints "<bytes> <tokens> <seconds>" like `rmprep tokenizer encode --stats-only`.
Usage: peer_encode.py RANKS.tiktoken PATTERN_NAME FILE THREADS
One thread encodes the file as one text with encode_ordinary; more threads use encode_ordinary_batch
over 1 MiB line chunks (tiktoken releases the GIL). Timing excludes loading and reading.
"""
import sys, time
import tiktoken, tiktoken.load

PATTERNS = {
    "gpt2": r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+""",
    "cl100k": r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s""",
}
ranks_path, pattern, path, threads = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
specials = ["<|pad|>", "<|bos|>", "<|eos|>", "<|sep_resp|>", "<|sep_corr|>"]
enc = tiktoken.Encoding("bench", pat_str=PATTERNS[pattern], mergeable_ranks=tiktoken.load.load_tiktoken_bpe(ranks_path),
                        special_tokens={s: i for i, s in enumerate(specials)})
data = open(path, encoding="utf-8").read()
if threads == 1:
    t0 = time.perf_counter(); n = len(enc.encode_ordinary(data)); dt = time.perf_counter() - t0
else:
    chunks, start = [], 0
    while start < len(data):
        end = data.find("\n", start + (1 << 20))
        end = len(data) if end < 0 else end + 1
        chunks.append(data[start:end]); start = end
    t0 = time.perf_counter()
    n = sum(len(x) for x in enc.encode_ordinary_batch(chunks, num_threads=threads))
    dt = time.perf_counter() - t0
print(len(data.encode()), n, dt)
