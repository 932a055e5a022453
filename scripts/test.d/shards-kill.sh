#!/usr/bin/env bash
# A conversion killed at any moment over a complete earlier run leaves that directory exactly as it
# was (it still verifies: the new run writes into a temp sibling DIR.tmp.<pid> and swaps it in at the
# end), and re-running gives the same bytes and removes the dead run's sibling (issue 5, DESIGN.md
# atomic outputs). `rmprep convert --targets seq2seq -o DIR` is killed with SIGKILL after increasing
# delays, and interrupted with SIGINT while its input is held open (exit 130, previous directory
# intact, no sibling left); a producer killed in the middle of `convert -o - | shards --from-stream -` makes `shards` fail
# without a manifest. Input: the embedded synthetic task, so no ../shared needed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="$ROOT/.build/release/rmprep"
[[ -x "$BIN" ]] || BIN="$ROOT/.build/debug/rmprep"
[[ -x "$BIN" ]] || { echo "SKIP: shards-kill: build rmprep first (swift build)"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$BIN" synth --pairs 30000 -o "$tmp/in.jsonl" 2>/dev/null
"$BIN" tokenizer train "$tmp/in.jsonl" --vocab-size 400 -o "$tmp/tok.json" 2>/dev/null
convert=("$BIN" convert "$tmp/in.jsonl" --tokenizer "$tmp/tok.json" --targets seq2seq
  --shard-tokens 500000 --threads 2)
start=$(date +%s.%N)
"${convert[@]}" -o "$tmp/clean" 2>/dev/null
full=$(python3 -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$start" "$(date +%s.%N)")
"$BIN" verify "$tmp/clean" >/dev/null
echo "shards-kill: a clean run takes ${full} s"

# SIGKILL at fractions of the clean run's time, each over a copy of the complete directory.
siblings() { compgen -G "$tmp/d.tmp.*" || true; }
inside=0 finished=0
for fraction in 0.02 0.1 0.25 0.5 0.75 0.9 1.2; do
  rm -rf "$tmp/d" "$tmp"/d.tmp.* && cp -r "$tmp/clean" "$tmp/d"
  "${convert[@]}" -o "$tmp/d" 2>/dev/null &
  pid=$!
  sleep "$(python3 -c "print(${full} * ${fraction})")"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  "$BIN" verify "$tmp/d" >/dev/null 2>&1 || { echo "SIGKILL at ${fraction}: the previous directory no longer verifies" >&2; exit 1; }
  diff -r "$tmp/clean" "$tmp/d" >/dev/null || { echo "SIGKILL at ${fraction}: directory changed" >&2; exit 1; }
  if [[ -n "$(siblings)" ]]; then inside=$((inside + 1)); else finished=$((finished + 1)); fi
  "${convert[@]}" -o "$tmp/d" 2>/dev/null
  diff -r "$tmp/clean" "$tmp/d" || { echo "re-run after SIGKILL at ${fraction} differs" >&2; exit 1; }
  [[ -z "$(siblings)" ]] || { echo "re-run left the killed run's temp sibling: $(siblings)" >&2; exit 1; }
done
echo "shards-kill: SIGKILL: $inside kills landed inside a run, $finished after it; the directory always verified, every re-run identical"
((inside > 0)) || { echo "no kill landed inside a run: the check proved nothing" >&2; exit 1; }

# SIGINT (Ctrl-C): exit 130, the previous directory intact, no temp sibling. The input comes through
# a FIFO held open after half the records, so the signal surely lands inside the run; then the
# FIFO closes, as when Ctrl-C in a terminal also stops the command feeding the pipe.
convert_fifo=("$BIN" convert - --tokenizer "$tmp/tok.json" --targets seq2seq --shard-tokens 500000 --threads 2)
half=$(($(wc -l <"$tmp/in.jsonl") / 2))
rm -rf "$tmp/d" && cp -r "$tmp/clean" "$tmp/d"
mkfifo "$tmp/feed"
"${convert_fifo[@]}" -o "$tmp/d" <"$tmp/feed" 2>/dev/null &
pid=$!
exec 4>"$tmp/feed"
head -n "$half" "$tmp/in.jsonl" >&4
sleep 0.5
kill -INT "$pid"
exec 4>&-  # as in a terminal, where Ctrl-C also stops whatever feeds the pipe
status=0
wait "$pid" || status=$?
[[ $status == 130 ]] || { echo "Ctrl-C: exit $status, expected 130" >&2; exit 1; }
diff -r "$tmp/clean" "$tmp/d" >/dev/null && "$BIN" verify "$tmp/d" >/dev/null ||
  { echo "Ctrl-C changed the previous directory" >&2; exit 1; }
[[ -z "$(siblings)" ]] || { echo "Ctrl-C left a temp sibling: $(siblings)" >&2; exit 1; }
echo "shards-kill: SIGINT: exit 130, previous directory intact"

# The producer of a stream killed mid-way (half its input given, the rest held back):
# `shards --from-stream -` fails and writes no manifest.
mkfifo "$tmp/pipe" "$tmp/feed2"
"${convert_fifo[@]}" -o - <"$tmp/feed2" 2>/dev/null >"$tmp/pipe" &
producer=$!
status=0
"$BIN" shards --from-stream - -o "$tmp/s" <"$tmp/pipe" 2>"$tmp/err" &
consumer=$!
exec 5>"$tmp/feed2"
head -n "$half" "$tmp/in.jsonl" >&5
sleep 0.5
kill -KILL "$producer" 2>/dev/null || true
{ wait "$consumer" || status=$?; } 2>/dev/null  # no shell notice for the killed producer
wait "$producer" 2>/dev/null || true
exec 5>&-
[[ $status == 1 ]] || { echo "shards after a killed producer: exit $status, expected 1" >&2; exit 1; }
[[ ! -f "$tmp/s/manifest.json" ]] || { echo "shards wrote a manifest for a cut stream" >&2; exit 1; }
echo "shards-kill: killed producer: shards exits 1 ($(head -n 1 "$tmp/err")), no manifest"
echo "shards-kill: ok"
