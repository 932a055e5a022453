#!/usr/bin/env bash
# The Transformer engine against PyTorch + transformers' GPT2LMHeadModel (scripts/engine/check_torch.py):
# checkpoint interchange both ways, loss/logits/gradients, three AdamW steps in lockstep.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="$root/.build/release/enginebench"
[[ -x "$bin" ]] || bin="$root/.build/debug/enginebench"
[[ -x "$bin" ]] || { echo "engine-torch: enginebench is not built (run swift build)" >&2; exit 1; }
PY=$("$root/scripts/venv.sh" numpy torch transformers safetensors) ||
  { echo "SKIP: engine-torch: torch/transformers cannot be installed"; exit 0; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$PY" "$root/scripts/engine/check_torch.py" "$bin" "$work"
