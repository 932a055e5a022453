#!/usr/bin/env python3
"""Python reference for the Stack Exchange benchmark (Benchmarks/xml/run.sh): Posts.xml -> pairs.

lxml.etree.iterparse streams the rows (elements cleared as we go), Body HTML -> text with
lxml.html, then the FORMATS.md section 7 pairing rule, exactly as `rmprep convert --format
stackexchange` applies it: pm_score = round(log2(1 + score)) + 1 if accepted, -1 if score < 0;
answers ranked by (pm desc, score desc, id asc); pairs (i, j), i < j, with different pm.
Writes one JSON line per pair to stdout: question_id, chosen_id, rejected_id, prompt, chosen, rejected.
"""
import json
import math
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
            if kind == "1":
                title = (row.get("Title") or "").strip()
                prompt = title + "\n\n" + text if title else text
                questions[post_id] = (row.get("AcceptedAnswerId"), prompt)
            else:
                answers.setdefault(int(row.get("ParentId")), []).append(
                    (post_id, int(row.get("Score") or 0), text))
        row.clear()
        while row.getprevious() is not None:
            del row.getparent()[0]
    out = sys.stdout
    for qid in sorted(questions):
        accepted, prompt = questions[qid]
        group = answers.get(qid, [])
        if len(group) < 2:
            continue
        ranked = sorted(
            ((pm_score(s, accepted is not None and int(accepted) == a), s, a, t) for a, s, t in group),
            key=lambda r: (-r[0], -r[1], r[2]))
        for i in range(len(ranked)):
            for j in range(i + 1, len(ranked)):
                if ranked[i][0] > ranked[j][0]:
                    out.write(json.dumps({
                        "question_id": qid, "chosen_id": ranked[i][2], "rejected_id": ranked[j][2],
                        "prompt": prompt, "chosen": ranked[i][3], "rejected": ranked[j][3],
                    }, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
