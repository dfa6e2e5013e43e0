#!/usr/bin/env python3
"""compare_check.py COMPARE.JSON SUMMARY.JSON... - checks `docts compare`:
one row per (case, profile) of any run, each run's verdict in its column
exactly as its summary.json has it (a "not applicable" skip as
not_applicable), and per-interface totals that add up to the rows."""
import json
import sys

NA = "not applicable out of process: "


def main():
    cmp_ = json.load(open(sys.argv[1]))
    runs = [json.load(open(p)) for p in sys.argv[2:]]
    labels = [i["label"] for i in cmp_["implementations"]]
    assert len(labels) == len(runs), "one column per run"
    want = {}
    for label, run in zip(labels, runs):
        for c in run["cases"]:
            v = c["verdict"]
            if v == "skip" and (c["message"] or "").startswith(NA):
                v = "not_applicable"
            want.setdefault((c["id"], c["profile"]), {})[label] = v
    got = {(c["id"], c["profile"]): c["verdicts"] for c in cmp_["cases"]}
    assert set(got) == set(want), "rows: %d, expected %d" % (len(got), len(want))
    for key, verdicts in want.items():
        for label in labels:
            assert got[key].get(label) == verdicts.get(label), (key, label)
    for iface in cmp_["interfaces"]:
        for label in labels:
            n = sum(1 for c in cmp_["cases"]
                    if c["interface"] == iface["interface"] and
                    c["verdicts"].get(label) is not None)
            assert iface["totals"][label]["cases"] == n, (iface, label)
    print("compare_check: %d rows x %d runs agree with the summaries"
          % (len(got), len(labels)))


if __name__ == "__main__":
    main()
