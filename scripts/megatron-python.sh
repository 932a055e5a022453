#!/usr/bin/env bash
# Prints the venv python that imports megatron-core's IndexedDataset (installing numpy,
# megatron-core and, when megatron-core needs it, torch through scripts/venv.sh). Exit 3 with the
# reason on stdout when it cannot be had; callers skip with it:
#   PY=$(scripts/megatron-python.sh) || { echo "SKIP: $PY"; exit 0; }
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
check="from megatron.core.datasets.indexed_dataset import IndexedDataset"
PY=$(scripts/venv.sh numpy megatron-core) || { echo "megatron-core cannot be installed"; exit 3; }
if ! "$PY" -c "$check" 2>/dev/null; then
  PY=$(scripts/venv.sh numpy megatron-core torch) ||
    { echo "torch (needed by megatron-core) cannot be installed"; exit 3; }
  "$PY" -c "$check" >&2 || { echo "megatron.core.datasets.indexed_dataset does not import"; exit 3; }
fi
echo "$PY"
