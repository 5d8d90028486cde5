#!/usr/bin/env python3
"""Counts the yes/no go-to edges of MRS alarm documents (reStructuredText) and how many of them
the imported runbooks reproduce by `ref`. Written apart from the importer (a line-by-line reading
of the documents, not its parser) so that the two can disagree.

usage: import_edges.py DOCS_DIR RUNBOOKS_DIR [--misses]

A document edge is a line of the procedure "If yes|no|it is|it is not|they are|…, … :ref:`N <…>`"
(or "go to N" in plain text) under numbered step S: the edge (S, yes|no, N). The runbooks
reproduce it when a step with ref S has that branch to a step with ref N, directly or through
steps that keep ref S (a step may become several steps with one ref).
"""
import os
import re
import sys

import yaml

YES = {"yes", "it is", "they are", "they do", "so", "it does"}
NO = {"no", "it is not", "they are not", "they do not", "not", "it does not"}
SECTION_END = re.compile(r"^(Alarm Clearing|Alarm Clearance|Related Information|Reference)\s*$")
PROCEDURE = re.compile(r"^(Handling )?Procedure\s*$")
TOP = re.compile(r"^(#|\d+)\.\s")
SUB = re.compile(r"^\s{2,5}([a-z])\.\s")
CASE = re.compile(r"^\s*(?:-\s+)?If ([^,]+?),(.*)$")
REF = re.compile(r":ref:`([^<`]+?)\s*<[^>]+>`")
PLAIN_GO = re.compile(r"\bgo\s*to\s+(?:step\s+)?(\d+(?:\.[a-z])?)\b", re.I)


def document_edges(path):
    edges = set()
    number, sub, inside = 0, None, False
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for i, line in enumerate(lines):
        if PROCEDURE.match(line) and i + 1 < len(lines) and lines[i + 1].startswith("---"):
            inside = True
            continue
        if inside and SECTION_END.match(line):
            break
        if not inside:
            continue
        top = TOP.match(line)
        if top:
            number = number + 1 if top.group(1) == "#" else int(top.group(1))
            sub = None
        m = SUB.match(line)
        if m and number:
            sub = m.group(1)
        case = CASE.match(line)
        if not case:
            continue
        cond = case.group(1).strip().lower()
        pol = "yes" if cond in YES else "no" if cond in NO else None
        if pol is None:
            continue
        refs = REF.findall(case.group(2)) or PLAIN_GO.findall(case.group(2))
        if not refs:
            continue
        source = f"{number}.{sub}" if sub else str(number)
        edges.add((source, pol, refs[-1].strip()))
    return edges


class Yaml12Loader(yaml.SafeLoader):
    """PyYAML reads YAML 1.1, where yes, no and on are booleans; runbooks are YAML 1.2."""


Yaml12Loader.yaml_implicit_resolvers = {
    k: [r for r in v if r[0] != "tag:yaml.org,2002:bool"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def runbook_steps(path):
    with open(path, encoding="utf-8") as f:
        doc = yaml.load(f, Loader=Yaml12Loader)
    steps = doc.get("steps", [])
    by_id = {s["id"]: s for s in steps}
    return steps, by_id


def branch(step, pol):
    value = step.get(pol)
    return value if isinstance(value, str) else None


def reproduced(steps, by_id, source, pol, target):
    direct = False
    for s in steps:
        if str(s.get("ref")) != source:
            continue
        to = branch(s, pol)
        if to is None:
            continue
        if str(by_id[to].get("ref")) == target:
            return True, True
        # through steps that keep the source's ref
        seen, todo = set(), [to]
        while todo:
            sid = todo.pop()
            if sid in seen or sid not in by_id:
                continue
            seen.add(sid)
            st = by_id[sid]
            if str(st.get("ref")) == target:
                return True, direct
            if str(st.get("ref")) != source:
                continue
            for key in ("next", "yes", "no"):
                v = st.get(key)
                if isinstance(v, str):
                    todo.append(v)
            if not any(k in st for k in ("next", "yes", "no", "end")):
                idx = steps.index(st)
                if idx + 1 < len(steps):
                    todo.append(steps[idx + 1]["id"])
    return False, False


def main():
    docs_dir, runbooks_dir = sys.argv[1], sys.argv[2]
    show = "--misses" in sys.argv
    runbooks = {}
    for name in os.listdir(runbooks_dir):
        if name.endswith(".yaml"):
            with open(os.path.join(runbooks_dir, name), encoding="utf-8") as f:
                head = f.read(4096)
            m = re.search(r"from (\S+) \(", head)
            if m:
                runbooks[m.group(1)] = os.path.join(runbooks_dir, name)
    total = found = direct_total = 0
    for name in sorted(os.listdir(docs_dir)):
        if not name.endswith(".rst"):
            continue
        edges = document_edges(os.path.join(docs_dir, name))
        if name not in runbooks:
            total += len(edges)
            if show and edges:
                print(f"MISSING RUNBOOK {name}: {len(edges)} edges")
            continue
        steps, by_id = runbook_steps(runbooks[name])
        for source, pol, target in sorted(edges):
            ok, direct = reproduced(steps, by_id, source, pol, target)
            total += 1
            found += ok
            direct_total += direct
            if show and not ok:
                print(f"MISS {name}: step {source} {pol} -> {target}")
    pct = 100.0 * found / total if total else 100.0
    print(f"edges in the documents: {total}; reproduced by ref: {found} ({pct:.1f}%), "
          f"{direct_total} of them by a direct branch")


if __name__ == "__main__":
    main()
