#!/usr/bin/env python3
"""cov_summary.py - prints the figures of a gcovr --json-summary file
(`make coverage`, conformance/module.mk coverage-report): line and branch
coverage of reference/ and of mock-server/, whether reference/ reaches the
target (90 % of lines), and the least-covered reference files.

Usage: cov_summary.py SUMMARY.json [N]   (N least-covered files, default 10)
Exit status 0 (figures are reported, never enforced here).
"""
import json
import sys


def totals(files, prefix):
    t = [0, 0, 0, 0]
    for f in files:
        if f["filename"].startswith(prefix):
            t[0] += f["line_covered"]
            t[1] += f["line_total"]
            t[2] += f["branch_covered"]
            t[3] += f["branch_total"]
    return t


def pct(a, b):
    return 100.0 * a / b if b else 100.0


def main():
    path = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    with open(path, encoding="utf-8") as f:
        files = json.load(f)["files"]
    for prefix in ("reference/", "mock-server/"):
        lc, lt, bc, bt = totals(files, prefix)
        print("coverage %-13s lines %5.1f %% (%d/%d), branches %5.1f %% "
              "(%d/%d)" % (prefix, pct(lc, lt), lc, lt, pct(bc, bt), bc, bt))
    lc, lt, _, _ = totals(files, "reference/")
    print("coverage target: reference/ lines >= 90 %%: %s" %
          ("met" if pct(lc, lt) >= 90.0 else "NOT met (%.1f %%)" %
           pct(lc, lt)))
    ref = [f for f in files
           if f["filename"].startswith("reference/") and f["line_total"]]
    ref.sort(key=lambda f: (f["line_percent"], -f["line_total"]))
    print("least-covered reference files (lines):")
    for f in ref[:n]:
        print("  %5.1f %%  %5d/%-5d %s" % (f["line_percent"], f["line_covered"],
                                          f["line_total"], f["filename"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
