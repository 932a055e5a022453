#!/usr/bin/env bash
# Installs the Debian packages the build, tests and demo need, when run as root; otherwise prints the
# exact install line. Extra packages can be named as arguments (benchmarks add hyperfine and time).
set -euo pipefail
packages=(pkg-config libzstd-dev zlib1g-dev libxml2-dev libopenblas-dev python3-venv zstd "$@")
if ! command -v swift >/dev/null; then
  echo "deps: swift is not on PATH; install Swift 6.3 (https://www.swift.org/install/linux/)" >&2
  exit 1
fi
missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
if ((${#missing[@]} == 0)); then exit 0; fi
if [[ $(id -u) -eq 0 ]]; then
  echo "deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq "${missing[@]}" >&2
else
  echo "deps: missing packages; run:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
