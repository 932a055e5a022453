#!/usr/bin/env bash
# Stack Exchange Posts.xml → pairs: `rmprep convert --format stackexchange` against the Python
# reference (Benchmarks/xml/reference.py: lxml iterparse + lxml.html text + the same pairing rule),
# alternating runs, on a dump built from the two shared sample dumps repeated with shifted Ids
# (both orders: 2022 rows sorted by Id, 2024 rows grouped by type). Prints the Benchmarks/README.md
# row: throughput in MB/s of XML read, ratio = ours ÷ peer (higher is better), peak RSS.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
runs=${BENCH_RUNS:-5}
copies=${BENCH_COPIES:-12}
shared="$ROOT/../shared/corpora"
[[ -d "$shared" ]] || { echo "| xml | - | - | - | - | - | SKIP: $shared not found |"; exit 0; }
PY=$("$ROOT/scripts/venv.sh" lxml) || { echo "| xml | - | - | - | - | - | SKIP: lxml not installable |"; exit 0; }
[[ -x "$BIN/rmprep" ]] || (cd "$ROOT" && swift build -c release --product rmprep >&2)
input="$OUT/xml/Posts.xml"
mkdir -p "$OUT/xml"
if [[ ! -s "$input" ]]; then
  python3 - "$input" "$copies" "$shared/stackexchange-french-meta/Posts.xml" \
    "$shared/stackexchange-datascience-meta-2024/Posts.xml" <<'PY'
import re, sys
out_path, copies, sources = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
rows = [[l for l in open(s, encoding="utf-8-sig") if l.lstrip().startswith("<row")] for s in sources]
shift = re.compile(r'\b(Id|ParentId|AcceptedAnswerId)="(\d+)"')
with open(out_path, "w", encoding="utf-8") as out:
    out.write('\ufeff<?xml version="1.0" encoding="utf-8"?>\n<posts>\n')
    for k in range(copies):
        for j, site in enumerate(rows):
            base = (k * len(rows) + j + 1) * 1_000_000  # Ids stay unique, as in a real dump
            for line in site:
                out.write(shift.sub(lambda m: f'{m.group(1)}="{int(m.group(2)) + base}"', line))
    out.write("</posts>\n")
PY
fi
mb=$(python3 -c "import os,sys; print(os.path.getsize(sys.argv[1]) / 1e6)" "$input")
# Same pairs on both sides (ids of question, chosen, rejected), checked once.
ours_pairs=$("$BIN/rmprep" convert "$input" --format stackexchange -o - 2>/dev/null | wc -l)
peer_pairs=$("$PY" "$ROOT/Benchmarks/xml/reference.py" "$input" | wc -l)
[[ "$ours_pairs" == "$peer_pairs" ]] || echo "xml: pair counts differ: ours $ours_pairs, peer $peer_pairs" >&2
ours_t=(); peer_t=(); ours_c=(); peer_c=(); ours_m=0; peer_m=0
for ((i = 0; i < runs; i++)); do
  read -r t m c < <(measure_cpu "$BIN/rmprep" convert "$input" --format stackexchange -o -)
  ours_t+=("$t"); ours_c+=("$c"); ((m > ours_m)) && ours_m=$m
  read -r t m c < <(measure_cpu "$PY" "$ROOT/Benchmarks/xml/reference.py" "$input")
  peer_t+=("$t"); peer_c+=("$c"); ((m > peer_m)) && peer_m=$m
done
read -r median min < <(ratio_stats "${ours_t[*]}" "${peer_t[*]}")
# CPU time (user+sys) is the steadier view when other jobs share the cores.
read -r cpu_median cpu_min < <(ratio_stats "${ours_c[*]}" "${peer_c[*]}")
best() { printf '%s\n' "$@" | sort -g | head -1; }
ours_mbs=$(python3 -c "print(f'{$mb / max($(best "${ours_t[@]}"), 1e-9):.1f}')")
peer_mbs=$(python3 -c "print(f'{$mb / max($(best "${peer_t[@]}"), 1e-9):.1f}')")
echo "| xml Posts.xml → pairs | ${mb%.*} MB, $ours_pairs pairs | $ours_mbs MB/s | $peer_mbs MB/s (lxml) | $median | $min | $((ours_m / 1024)) / $((peer_m / 1024)) MiB |"
echo "| xml Posts.xml → pairs, CPU time (user+sys) | - | $(python3 -c "print(f'{$mb / max($(best "${ours_c[@]}"), 1e-9):.1f}')") MB/s | $(python3 -c "print(f'{$mb / max($(best "${peer_c[@]}"), 1e-9):.1f}')") MB/s | $cpu_median | $cpu_min | - |"
