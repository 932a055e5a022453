#!/usr/bin/env bash
# The Transformer engine against a float64 NumPy GPT-2 (scripts/engine/gpt2_numpy.py): loss, logits,
# every parameter gradient and three AdamW steps on a tiny model. Needs the enginebench tool
# (built by `swift build`; release if present) and numpy from the shared venv.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="$root/.build/release/enginebench"
[[ -x "$bin" ]] || bin="$root/.build/debug/enginebench"
[[ -x "$bin" ]] || { echo "engine-numpy: enginebench is not built (run swift build)" >&2; exit 1; }
PY=$("$root/scripts/venv.sh" numpy) || { echo "SKIP: engine-numpy: numpy cannot be installed"; exit 0; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$PY" "$root/scripts/engine/check_numpy.py" "$bin" "$work"
