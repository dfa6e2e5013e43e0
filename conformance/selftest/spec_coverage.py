#!/usr/bin/env python3
"""spec_coverage.py - every item of spec/behavior.md section 14 has a case.

Reads the checklist IDs (MGR-01, ST-04, HTTP-09, ...) from the tables of
section 14 of behavior.md and the case table that `docts --list-md` prints
(docs/cases.md has the same text), and fails naming every ID that no
case's rule column mentions.  A rule names an item as "§14.2 ST-04" or in
a list ("§14.3 FILE-04, FILE-05"); the match is on the whole ID, so
ST-1 does not match ST-12.

An item no case can check yet is listed, with its reason, in the waiver
file (--waived: one "ID reason" a line, # comments); it is reported, not
failed.  A waived item that has a case fails the check (stale waiver).

usage: spec_coverage.py --spec PATH/behavior.md --cases CASES.md
                        [--waived FILE]
exit: 0 every item covered or waived (the counts are printed), 1 items
without a case or stale waivers, 2 usage error or an unreadable file.
"""
import argparse
import re
import sys

ID_RE = re.compile(r"\b([A-Z][A-Z0-9]*-\d\d)\b")


def spec_ids(text):
    """IDs in the first column of the tables of section 14, in order."""
    ids, inside = [], False
    for line in text.splitlines():
        if line.startswith("## "):
            inside = line.startswith("## 14.")
            continue
        if inside and line.startswith("| "):
            first = line.split("|")[1].strip()
            if re.fullmatch(r"[A-Z][A-Z0-9]*-\d\d", first):
                ids.append(first)
    return ids


def case_rules(text):
    """{ID: [case ids]} from the rule column of the case tables."""
    hits = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.split("|")]
        # | case | interface::method | profiles | evidence | rule | checks |
        if len(cells) < 8 or cells[1] in ("case", "---"):
            continue
        for ident in ID_RE.findall(cells[5]):
            hits.setdefault(ident, []).append(cells[1])
    return hits


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--spec", required=True)
    ap.add_argument("--cases", required=True)
    ap.add_argument("--waived")
    a = ap.parse_args()
    waived = {}
    try:
        with open(a.spec, encoding="utf-8") as f:
            spec = f.read()
        with open(a.cases, encoding="utf-8") as f:
            cases = f.read()
        if a.waived:
            with open(a.waived, encoding="utf-8") as f:
                for line in f:
                    line = line.strip()
                    if line and not line.startswith("#"):
                        ident, _, why = line.partition(" ")
                        waived[ident] = why.strip()
    except OSError as e:
        print(f"spec_coverage: {e}", file=sys.stderr)
        return 2
    ids = spec_ids(spec)
    if not ids:
        print("spec_coverage: no section 14 IDs in " + a.spec, file=sys.stderr)
        return 2
    hits = case_rules(cases)
    missing = [i for i in ids if i not in hits and i not in waived]
    stale = [i for i in waived if i in hits or i not in ids]
    for i in ids:
        if i in waived and i not in hits:
            print(f"spec_coverage: {i} waived: {waived[i]}")
    if missing:
        print(f"spec_coverage: {len(missing)} of {len(ids)} section 14 items "
              "have no case: " + " ".join(missing), file=sys.stderr)
    if stale:
        print("spec_coverage: waived but covered (or not in the spec), "
              "remove from the waiver file: " + " ".join(stale),
              file=sys.stderr)
    if missing or stale:
        return 1
    n = len(ids) - len([i for i in ids if i in waived])
    print(f"spec_coverage: {n} of {len(ids)} section 14 items have a case, "
          f"{len(ids) - n} waived")
    return 0


if __name__ == "__main__":
    sys.exit(main())
