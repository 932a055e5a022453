#!/usr/bin/env bash
# Runs every *.sh in a directory (sorted), each in its own process, and reports which failed.
# A script that cannot run its peer prints "SKIP: <why>" and exits 0. Exit 1 when any script failed.
set -uo pipefail
dir="$1"
passed=0; failed=0; failures=()
for script in "$dir"/*.sh; do
  [[ -e "$script" ]] || continue
  name=$(basename "$script")
  echo "== $dir/$name" >&2
  start=$(date +%s)
  if bash "$script"; then
    passed=$((passed + 1)); echo "== $name ok ($(( $(date +%s) - start )) s)" >&2
  else
    failed=$((failed + 1)); failures+=("$name"); echo "== $name FAILED" >&2
  fi
done
echo "$(basename "$dir"): $passed passed, $failed failed"
((failed == 0)) || { echo "failed: ${failures[*]}" >&2; exit 1; }
