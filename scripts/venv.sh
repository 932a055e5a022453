#!/usr/bin/env bash
# Creates (or reuses) the Python virtual environment for peer checks, outside the clone so later runs
# reuse it, installs the packages named as arguments when they are missing, and prints the venv's
# python on stdout. Exit 3 (with a message on stderr) when the venv or a package cannot be had;
# callers then skip with that message.
#   PY=$(scripts/venv.sh numpy tokenizers) || { echo "SKIP: …"; exit 0; }
set -uo pipefail
venv="${SEQ2SEQRM_VENV:-$HOME/.cache/seq2seqrm/venv}"
mkdir -p "$(dirname "$venv")"
exec 9>"$venv.lock"
flock 9
if [[ ! -x "$venv/bin/python" ]]; then
  if ! python3 -m venv "$venv" >&2; then
    echo "venv: cannot create a Python venv at $venv (is python3-venv installed?)" >&2
    rm -rf "$venv"
    exit 3
  fi
fi
missing=()
for spec in "$@"; do
  name="${spec%%[<>=!\[]*}"
  stamp="$venv/.installed-$(echo "$spec" | tr '/<>=![]' '_______')"
  [[ -f "$stamp" ]] || missing+=("$spec")
done
if ((${#missing[@]} > 0)); then
  echo "venv: installing ${missing[*]} into $venv" >&2
  if ! "$venv/bin/python" -m pip install -q "${missing[@]}" >&2; then
    echo "venv: could not install ${missing[*]} (offline, or no wheel for this platform)" >&2
    exit 3
  fi
  for spec in "${missing[@]}"; do
    touch "$venv/.installed-$(echo "$spec" | tr '/<>=![]' '_______')"
  done
fi
echo "$venv/bin/python"
