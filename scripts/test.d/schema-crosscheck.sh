#!/usr/bin/env bash
# Cross-check: Python's `jsonschema` (PyPI, Draft 2020-12 validator, in the shared venv) and
# `rmprep validate` must give the same verdict for every record of every fixture: each file a
# Fixtures/<dir>/expect.json lists, against the schema of the format it converts with (plain, gzip
# and zstd; Posts.xml rows as objects of their attribute strings, read with Python's ElementTree),
# every expect.json against fixture-expect.schema.json, the output-schema fixtures (tokenizer,
# run-config, rm-config), and files we generate here (convert output, stats and rejects). A record
# one side reads and the other cannot is a disagreement too. Skips (exit 0) when jsonschema cannot
# be installed. Run from anywhere; uses the debug build (make test builds it first).
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
  name=$(basename "$dir")
  if [[ -f "$dir/expect.json" ]]; then
    # Corpus fixtures: every file its expect.json lists, against the schema of the format that
    # entry converts with (`format`, else the directory), in every container (gzip and zstd are
    # decompressed on the Python side too) and as XML rows. Files that fail as a whole (an `error`,
    # or validate's own `"error": true`) hold no records to give a verdict on: the fixture walker
    # test pins those.
    while IFS=$'\t' read -r file format; do
      [[ -f "Schemas/$format.schema.json" ]] && pairs+=("Schemas/$format.schema.json" "$dir$file")
    done < <(python3 - "${dir}expect.json" "$name" <<'PY'
import json, sys
for file, entry in json.load(open(sys.argv[1], encoding="utf-8")).items():
    if "error" in entry or (entry.get("validate") or {}).get("error"):
        continue
    print(f"{file}\t{entry.get('format', sys.argv[2])}")
PY
    )
    pairs+=(Schemas/fixture-expect.schema.json "${dir}expect.json")
  elif [[ -f "Schemas/$name.schema.json" ]]; then
    for file in "$dir"*.json; do pairs+=("Schemas/$name.schema.json" "$file"); done
  fi
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
import gzip, io, json, subprocess, sys
from xml.etree import ElementTree
from jsonschema import Draft202012Validator

ours_path, rest = sys.argv[1], sys.argv[2:]
ours = {}
for line in open(ours_path, encoding="utf-8"):
    schema, path, index, verdict = line.rstrip("\n").split("\t")
    ours[(schema, path, int(index))] = verdict

def decoded(path):
    """The file's bytes with its container removed, chosen by magic bytes as rmprep does."""
    raw = open(path, "rb").read()
    if raw[:2] == b"\x1f\x8b":
        return gzip.decompress(raw)  # every member
    if raw[:4] == b"\x28\xb5\x2f\xfd" or (raw[1:4] == b"\x2a\x4d\x18" and raw[0] & 0xF0 == 0x50):
        return subprocess.run(["zstd", "-dcq", "--long=31"], input=raw, stdout=subprocess.PIPE, check=True).stdout
    return raw

def records(path):
    """Records as rmprep validate finds them: Posts.xml rows as objects of their attribute
    strings, a JSON array's elements, JSONL lines (blank lines skipped, a leading BOM allowed), or
    one pretty-printed document."""
    data = decoded(path)
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        rows = ElementTree.iterparse(io.BytesIO(data), events=("end",))
        return list(enumerate(dict(e.attrib) for _, e in rows if e.tag == "row"))
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.lstrip().startswith(b"["):
        return list(enumerate(json.loads(data.decode("utf-8"))))
    lines = [l for l in data.split(b"\n") if l.strip()]
    if lines:
        try:
            json.loads(lines[0].decode("utf-8"))
        except json.JSONDecodeError:
            return [(0, json.loads(data.decode("utf-8")))]
        except UnicodeDecodeError:
            pass
    out = []
    for index, line in enumerate(lines):
        try:
            out.append((index, json.loads(line.rstrip(b"\r").decode("utf-8"))))
        except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
            continue  # not JSON: unreadable for rmprep too (checked below)
    return out

checked = disagreements = 0
for k in range(0, len(rest), 2):
    schema_path, path = rest[k], rest[k + 1]
    validator = Draft202012Validator(json.load(open(schema_path, encoding="utf-8")))
    try:
        recs = dict(records(path))
    except (UnicodeDecodeError, json.JSONDecodeError, ElementTree.ParseError,
            subprocess.CalledProcessError) as error:
        print(f"DISAGREE {path}: rmprep reads it, Python cannot: {error}")
        disagreements += 1
        continue
    for index, value in recs.items():
        mine = ours.get((schema_path, path, index))
        if mine is None:
            continue  # unreadable for us (duplicate keys, lone surrogates, NaN: Python accepts them)
        theirs = "valid" if validator.is_valid(value) else "invalid"
        checked += 1
        if mine != theirs:
            disagreements += 1
            print(f"DISAGREE {path} record {index} vs {schema_path}: rmprep {mine}, jsonschema {theirs}")
    for (schema, mine_path, index), verdict in ours.items():
        if schema == schema_path and mine_path == path and index not in recs:
            disagreements += 1
            print(f"DISAGREE {path} record {index}: rmprep says {verdict}, Python cannot read it")
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
