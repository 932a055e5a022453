#!/usr/bin/env bash
# `rmprep merge` writes the token files Megatron's own merge writes (issue 10, INTEROP.md §1.7,
# §5.3): for W = 3 ranks, every split's token and mask parts are linked as
# part-RRRRR-of-00003.{bin,idx} into a directory holding nothing else, merged exactly as
# Megatron-LM's tools/merge_datasets.py does (sorted prefixes, IndexedDatasetBuilder.add_index,
# finalize) with megatron-core, and compared byte for byte with the files `rmprep merge` wrote.
# Skips with a message when megatron-core (or the torch it imports) cannot be installed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
BIN="$ROOT/.build/release/rmprep"
[[ -x "$BIN" ]] || BIN="$ROOT/.build/debug/rmprep"
PY=$(scripts/megatron-python.sh) || { echo "SKIP: $PY"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
"$BIN" synth --pairs 900 --seed 31 -o a.jsonl 2>/dev/null
"$BIN" tokenizer train a.jsonl --vocab-size 400 -o tok.json 2>/dev/null
# --no-dedup: with de-duplication on, merge first drops from a rank the duplicates of earlier ranks,
# and the parts are then no longer the merge's inputs as they are.
"$BIN" plan a.jsonl --world-size 3 --tokenizer tok.json --targets seq2seq --val-fraction 0.2 \
  --no-dedup -o plan.json 2>/dev/null
for r in 0 1 2; do "$BIN" shard --plan plan.json --rank "$r" -o parts 2>/dev/null; done
"$BIN" merge --plan plan.json --in parts -o merged 2>/dev/null
for name in train train_mask val val_mask; do
  mkdir "in-$name"
  for r in 0 1 2; do
    part=part-0000$r-of-00003
    for ext in bin idx; do ln -s "$tmp/parts/$part/$name.$ext" "in-$name/$part.$ext"; done
  done
done
# One Python process (megatron-core imports slowly) merges every directory.
"$PY" -W ignore - train train_mask val val_mask <<'PY'
import os, sys
from megatron.core.datasets.indexed_dataset import (
    IndexedDataset, IndexedDatasetBuilder, get_bin_path, get_idx_path)
# tools/merge_datasets.py: every file is a .bin/.idx pair; prefixes in sorted order.
for name in sys.argv[1:]:
    directory, out = "in-" + name, "megatron-" + name
    prefixes = set()
    for basename in sorted(os.listdir(directory)):
        prefix, ext = os.path.splitext(basename)
        assert ext in (".bin", ".idx"), basename
        prefixes.add(prefix)
    builder = None
    for prefix in sorted(prefixes):
        path = os.path.join(directory, prefix)
        if builder is None:
            dataset = IndexedDataset(path, multimodal=False)
            builder = IndexedDatasetBuilder(get_bin_path(out), dtype=dataset.index.dtype)
            del dataset
        builder.add_index(path)
    builder.finalize(get_idx_path(out))
PY
checked=0
for name in train train_mask val val_mask; do
  for ext in bin idx; do
    cmp "merged/$name.$ext" "megatron-$name.$ext" ||
      { echo "scale-megatron-merge: $name.$ext differs from Megatron's merge" >&2; exit 1; }
    checked=$((checked + 1))
  done
done
echo "scale-megatron-merge: ok ($checked files of 3 parts equal Megatron's add_index merge)"
