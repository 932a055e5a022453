#!/usr/bin/env bash
# Cross-check: Python's `jsonschema` (PyPI, Draft 2020-12 validator, in the shared venv) and
# `rmprep validate` must give the same verdict for every record of every JSON fixture against its
# format's schema (Fixtures/<format>/ with Schemas/<format>.schema.json), and for our output schemas
# on files we generate here (convert output, stats and rejects). Skips (exit 0) when jsonschema
# cannot be installed. Run from anywhere; uses the debug build (make test builds it first).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
rmprep="$root/.build/debug/rmprep"
[[ -x "$rmprep" ]] || swift build --product rmprep >&2 || exit 1
PY=$(scripts/venv.sh jsonschema) || { echo "SKIP: python jsonschema not installable"; exit 0; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Our own outputs, to check the output schemas too.
"$rmprep" convert Fixtures/jsonl/broken.jsonl --format trl --max-reject-rate 1 -o "$work/records.jsonl" \
  --stats "$work/stats.json" --rejects "$work/rejects.jsonl" 2>/dev/null
"$rmprep" convert Fixtures/stackexchange/answers-first.xml -o "$work/se-records.jsonl" 2>/dev/null

pairs=()
for dir in Fixtures/*/; do
  format=$(basename "$dir")
  schema="Schemas/$format.schema.json"
  [[ -f "$schema" ]] || continue
  for file in "$dir"*; do
    case "$file" in
      *expect.json | *.expected.jsonl | *.xml | *.xml.gz | *.gz | *.zst | *.xz) continue ;;
    esac
    pairs+=("$schema" "$file")
  done
done
pairs+=(Schemas/record.schema.json "$work/records.jsonl" Schemas/record.schema.json "$work/se-records.jsonl")
for f in Fixtures/*/*.expected.jsonl; do pairs+=(Schemas/record.schema.json "$f"); done
pairs+=(Schemas/stats.schema.json "$work/stats.json" Schemas/rejects.schema.json "$work/rejects.jsonl")

# Our verdicts: "<file>\t<record index>\t<verdict>" (unreadable records are skipped on both sides:
# they are not JSON, so no schema verdict exists).
: >"$work/ours.tsv"
for ((i = 0; i < ${#pairs[@]}; i += 2)); do
  "$rmprep" validate --schema "${pairs[i]}" "${pairs[i + 1]}" --verdicts 2>/dev/null \
    | awk -F'\t' -v s="${pairs[i]}" '$3 != "unreadable" { print s "\t" $0 }' >>"$work/ours.tsv"
done

"$PY" - "$work/ours.tsv" "${pairs[@]}" <<'PY'
import json, sys
from jsonschema import Draft202012Validator

ours_path, rest = sys.argv[1], sys.argv[2:]
ours = {}
for line in open(ours_path, encoding="utf-8"):
    schema, path, index, verdict = line.rstrip("\n").split("\t")
    ours[(schema, path, int(index))] = verdict

def records(path):
    """Records as rmprep validate finds them: a JSON array's elements, JSONL lines (blank lines
    skipped, a leading BOM allowed), or one pretty-printed document."""
    text = open(path, "rb").read().decode("utf-8", errors="strict").lstrip("\ufeff")
    stripped = text.lstrip()
    if stripped.startswith("["):
        return list(enumerate(json.loads(stripped)))
    out, index = [], 0
    lines = [l for l in text.split("\n") if l.strip()]
    if lines:
        try:
            json.loads(lines[0])
        except json.JSONDecodeError:
            return [(0, json.loads(text))]
    for line in lines:
        try:
            value = json.loads(line.rstrip("\r"))
        except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
            index += 1
            continue
        out.append((index, value))
        index += 1
    return out

checked = disagreements = 0
for k in range(0, len(rest), 2):
    schema_path, path = rest[k], rest[k + 1]
    validator = Draft202012Validator(json.load(open(schema_path, encoding="utf-8")))
    try:
        recs = records(path)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        print(f"skip {path}: {error}")
        continue
    for index, value in recs:
        theirs = "valid" if validator.is_valid(value) else "invalid"
        mine = ours.get((schema_path, path, index))
        if mine is None:
            continue  # unreadable for us (e.g. duplicate keys: Python keeps the last one)
        checked += 1
        if mine != theirs:
            disagreements += 1
            print(f"DISAGREE {path} record {index} vs {schema_path}: rmprep {mine}, jsonschema {theirs}")
print(f"schema cross-check: {checked} verdicts compared, {disagreements} disagreements")
sys.exit(1 if disagreements or checked == 0 else 0)
PY
status=$?
# Output-schema fixtures: `*.invalid.json` must fail, the others pass (both validators already
# agree on each, so this pins the verdict itself).
for dir in Fixtures/tokenizer Fixtures/run-config Fixtures/rm-config; do
  for file in "$dir"/*.json; do
    "$rmprep" validate --format "$(basename "$dir")" "$file" --quiet 2>/dev/null
    got=$?
    want=0
    [[ "$file" == *.invalid.json ]] && want=1
    if [[ $got -ne $want ]]; then
      echo "FAIL $file: rmprep validate exited $got, expected $want"
      status=1
    fi
  done
done
exit $status
