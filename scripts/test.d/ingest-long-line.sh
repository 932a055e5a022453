#!/usr/bin/env bash
# K07 at full size on the release build: a 64 MiB `chosen` between two normal records, then the same
# with the long line last and no trailing newline. Expect every record, the long value intact
# (67,108,864 bytes) and bounded memory (peak RSS printed).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RMPREP="$ROOT/.build/release/rmprep"
[[ -x "$RMPREP" ]] || { echo "SKIP: $RMPREP not built (make test builds it)"; exit 0; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work" <<'PY'
import sys
d = sys.argv[1]
long = '{"prompt":"p","chosen":"' + "a" * 67108864 + '","rejected":"r"}'
with open(f"{d}/middle.jsonl", "w") as f:
    f.write('{"prompt":"p","chosen":"c1","rejected":"r1"}\n' + long + "\n" + '{"prompt":"p","chosen":"c3","rejected":"r3"}\n')
with open(f"{d}/last.jsonl", "w") as f:
    f.write('{"prompt":"p","chosen":"c1","rejected":"r1"}\n' + long)
PY
for name in middle last; do
  want=3; [[ $name == last ]] && want=2
  /usr/bin/time -f "%M" -o "$work/rss" "$RMPREP" convert "$work/$name.jsonl" --format trl -o "$work/$name.out.jsonl" 2>"$work/err"
  got=$(wc -l < "$work/$name.out.jsonl")
  len=$(python3 -c "import json,sys; print(len(json.loads(open(sys.argv[1]).readlines()[1])['chosen']))" "$work/$name.out.jsonl")
  echo "K07 $name: records $got (want $want), long value $len bytes, peak RSS $(cat "$work/rss") KB"
  [[ $got == "$want" && $len == 67108864 ]] || { cat "$work/err"; exit 1; }
done
