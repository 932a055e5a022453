#!/usr/bin/env python3
"""Python reference for the Stack Exchange benchmark (Benchmarks/xml/run.sh): Posts.xml -> pairs.

lxml.etree.iterparse streams the rows (elements cleared as we go), Body HTML -> text with
lxml.html, then the FORMATS.md section 7 pairing rule, exactly as `rmprep convert --format
stackexchange` applies it: pm_score = round(log2(1 + score)) + 1 if accepted, -1 if score < 0;
answers ranked by (pm desc, score desc, id asc); pairs (i, j), i < j, with different pm.
Writes the same normalized records as rmprep (id = first 16 hex digits of sha256 over the
length-prefixed prompt/chosen/rejected, source, texts, and a meta object with the ids, scores and
licenses), one compact JSON line per pair, so both sides do the same work.
"""
import hashlib
import json
import math
import struct
import sys

import lxml.html
from lxml import etree


def html_text(body):
    if not body:
        return ""
    try:
        return lxml.html.fromstring(body).text_content().strip()
    except (etree.ParserError, ValueError):
        return body


def record_id(prompt, chosen, rejected):
    h = hashlib.sha256()
    for field in (prompt, chosen, rejected):
        data = field.encode("utf-8")
        h.update(struct.pack("<Q", len(data)))
        h.update(data)
    return h.hexdigest()[:16]


def pm_score(score, accepted):
    if score < 0:
        return -1
    return int(math.floor(math.log2(1 + score) + 0.5)) + (1 if accepted else 0)


def main(path):
    questions, answers = {}, {}
    for _, row in etree.iterparse(path, events=("end",), tag="row"):
        kind = row.get("PostTypeId")
        if kind in ("1", "2"):
            post_id = int(row.get("Id"))
            text = html_text(row.get("Body"))
            license = row.get("ContentLicense")
            if kind == "1":
                title = (row.get("Title") or "").strip()
                prompt = title + "\n\n" + text if title else text
                questions[post_id] = (row.get("AcceptedAnswerId"), prompt, license)
            else:
                answers.setdefault(int(row.get("ParentId")), []).append(
                    (post_id, int(row.get("Score") or 0), text, license))
        row.clear()
        while row.getprevious() is not None:
            del row.getparent()[0]
    out = sys.stdout
    for qid in sorted(questions):
        accepted, prompt, qlicense = questions[qid]
        group = answers.get(qid, [])
        if len(group) < 2:
            continue
        ranked = sorted(
            ((pm_score(s, accepted is not None and int(accepted) == a), s, a, t, l) for a, s, t, l in group),
            key=lambda r: (-r[0], -r[1], r[2]))
        for i in range(len(ranked)):
            for j in range(i + 1, len(ranked)):
                c, r = ranked[i], ranked[j]
                if c[0] > r[0]:
                    out.write(json.dumps({
                        "id": record_id(prompt, c[3], r[3]), "source": f"{path}:{qid}",
                        "prompt": prompt, "chosen": c[3], "rejected": r[3],
                        "meta": {"question_id": qid, "chosen_id": c[2], "rejected_id": r[2],
                                 "chosen_score": c[1], "rejected_score": r[1],
                                 "chosen_pm_score": c[0], "rejected_pm_score": r[0],
                                 "license": {"question": qlicense, "chosen": c[4], "rejected": r[4]}},
                    }, ensure_ascii=False, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
