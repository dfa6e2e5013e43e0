#!/usr/bin/env python3
"""mutants.py - the driver of `make conformance-selftest`.

Proves the suites catch defects: for every mutant of mutants.txt it copies
reference/src to BUILD/mutants/ID/src, applies the mutant's exact text
patch (failing loudly unless the search text occurs exactly once), compiles
the patched file with the reference's own CFLAGS, links a libdoref.so from
it and the reference's other objects (the link line of
reference/src/module.mk), runs docts against it and reads summary.json.
A mutant is caught when at least one REQUIRED case fails, crashes or times
out.  Prints the table mutant -> caught by (case IDs) / NOT CAUGHT and
exits 1 unless every mutant was caught (2 on a setup error).

Usage (the make target passes these):
  mutants.py --build B --cc CC --cflags "..." --objs "..." --libs "..."
             [--table FILE] [--only ID,...] [--jobs N]
"""
import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import time

REQUIRED_FAIL = {"fail", "crash", "timeout"}


def die(msg):
    print("conformance-selftest: " + msg, file=sys.stderr)
    sys.exit(2)


def parse_table(path):
    """Mutant blocks of PATH as dicts (id, file, suites, desc, search,
    replace)."""
    mutants, cur, mode, buf = [], None, None, []
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for n, line in enumerate(lines, 1):
        if mode in ("search", "replace"):
            if line in ("--- replace", "---"):
                cur[mode] = "\n".join(buf)
                buf = []
                mode = "replace" if line == "--- replace" else None
                if mode is None:
                    mutants.append(cur)
                    cur = None
                continue
            buf.append(line)
            continue
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("== "):
            if cur is not None:
                die("%s:%d: mutant %s has no search/replace" %
                    (path, n, cur["id"]))
            cur = {"id": line[3:].strip()}
        elif line == "--- search":
            if cur is None:
                die("%s:%d: search outside a mutant" % (path, n))
            mode = "search"
        elif ":" in line and cur is not None:
            k, v = line.split(":", 1)
            if k not in ("file", "suites", "desc"):
                die("%s:%d: unknown field %s" % (path, n, k))
            cur[k] = v.strip()
        else:
            die("%s:%d: cannot parse: %s" % (path, n, line))
    if cur is not None or mode is not None:
        die("%s: the last mutant is not terminated by ---" % path)
    ids = set()
    for m in mutants:
        for k in ("file", "suites", "desc", "search", "replace"):
            if k not in m:
                die("%s: mutant %s lacks %s" % (path, m["id"], k))
        if not m["file"].endswith(".c"):
            die("%s: mutant %s patches %s: .c files only" %
                (path, m["id"], m["file"]))
        if m["id"] in ids:
            die("%s: mutant %s given twice" % (path, m["id"]))
        ids.add(m["id"])
    return mutants


def run(cmd, log):
    with open(log, "ab") as f:
        f.write(("$ " + " ".join(shlex.quote(c) for c in cmd) +
                 "\n").encode())
        f.flush()
        return subprocess.call(cmd, stdout=f, stderr=subprocess.STDOUT)


def build_mutant(m, a, objs):
    """Returns the path of the mutant's libdoref.so."""
    top = os.path.join(a.build, "mutants", m["id"])
    shutil.rmtree(top, ignore_errors=True)
    src = os.path.join(top, "src")
    shutil.copytree("reference/src", src)
    target = os.path.join(src, m["file"])
    with open(target, encoding="utf-8") as f:
        text = f.read()
    count = text.count(m["search"])
    if count != 1:
        die("mutant %s: the search text occurs %d times in reference/src/%s "
            "(must be exactly once; update mutants.txt)" %
            (m["id"], count, m["file"]))
    with open(target, "w", encoding="utf-8") as f:
        f.write(text.replace(m["search"], m["replace"]))
    log = os.path.join(top, "build.log")
    obj = os.path.join(top, os.path.basename(m["file"])[:-2] + ".o")
    # the copy's layer folders instead of the tree's, so its headers are
    # the ones used
    cflags = [f for f in shlex.split(a.cflags)
              if not f.startswith("-Ireference/src")]
    layers = ["-I" + os.path.join(src, d) for d in sorted(os.listdir(src))
              if os.path.isdir(os.path.join(src, d))]
    if run([a.cc] + cflags + layers + ["-c", target, "-o", obj], log):
        die("mutant %s does not compile; see %s" % (m["id"], log))
    mine = os.path.join("reference/src", m["file"][:-2] + ".o")
    link_objs = [obj if o.endswith("/" + mine) else o for o in objs]
    if obj not in link_objs:
        die("mutant %s: no object for reference/src/%s among the reference's "
            "objects" % (m["id"], m["file"]))
    so = os.path.join(top, "libdoref.so")
    # the link line of reference/src/module.mk
    cmd = ([a.cc, "-shared", "-Wl,-soname,libdoref.so", "-Wl,-z,defs",
            "-Wl,-z,nodelete",
            "-Wl,--version-script," + os.path.join(a.build, "doref.map"),
            "-Wl,-rpath,$ORIGIN", "-o", so] + link_objs + shlex.split(a.libs))
    if run(cmd, log):
        die("mutant %s does not link; see %s" % (m["id"], log))
    docom = os.path.join(top, "libdocom.so")
    if not os.path.exists(docom):
        os.symlink(os.path.abspath(os.path.join(a.build, "libdocom.so")),
                   docom)
    return so


def run_mutant(m, so, a):
    """The required case instances that did not pass, or None when the run
    produced no summary."""
    top = os.path.dirname(so)
    rep = os.path.join(top, "reports")
    cmd = [os.path.join(a.build, "docts"), "--impl", so, "--jobs",
           str(a.jobs), "--report", rep, "--quiet", "--suite", m["suites"],
           "--known-gaps", "conformance/known-gaps-ref.txt"]
    run(cmd, os.path.join(top, "docts.log"))
    try:
        with open(os.path.join(rep, "summary.json"), encoding="utf-8") as f:
            summary = json.load(f)
    except (OSError, ValueError):
        return None
    return [c["id"] for c in summary.get("cases", [])
            if c.get("evidence") == "required"
            and c.get("verdict") in REQUIRED_FAIL]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--build", required=True)
    p.add_argument("--cc", default="cc")
    p.add_argument("--cflags", required=True)
    p.add_argument("--objs", required=True)
    p.add_argument("--libs", default="")
    p.add_argument("--table", default="conformance/selftest/mutants.txt")
    p.add_argument("--only", default="")
    p.add_argument("--jobs", type=int, default=2)
    a = p.parse_args()
    mutants = parse_table(a.table)
    if a.only:
        keep = set(a.only.split(","))
        mutants = [m for m in mutants if m["id"] in keep]
    if len(mutants) < 12 and not a.only:
        die("%s holds %d mutants; at least 12 are required" %
            (a.table, len(mutants)))
    objs = shlex.split(a.objs)
    # every search text is checked before anything is built
    for m in mutants:
        with open(os.path.join("reference/src", m["file"]),
                  encoding="utf-8") as f:
            count = f.read().count(m["search"])
        if count != 1:
            die("mutant %s: the search text occurs %d times in "
                "reference/src/%s (must be exactly once; update mutants.txt)"
                % (m["id"], count, m["file"]))
    rows, missed = [], 0
    t0 = time.time()
    for m in mutants:
        t = time.time()
        so = build_mutant(m, a, objs)
        caught = run_mutant(m, so, a)
        secs = time.time() - t
        if caught is None:
            text = "NOT CAUGHT (docts wrote no summary; see %s)" % \
                os.path.join(os.path.dirname(so), "docts.log")
            missed += 1
        elif not caught:
            text = "NOT CAUGHT"
            missed += 1
        else:
            ids = sorted(set(c.split("[")[0] for c in caught))
            shown = ", ".join(ids[:8]) + (" ..." if len(ids) > 8 else "")
            text = "caught by %d: %s" % (len(ids), shown)
        rows.append((m["id"], m["desc"], text))
        print("%-26s %5.1f s  %s" % (m["id"], secs, text), flush=True)
    print()
    print("| mutant | defect | result |")
    print("| --- | --- | --- |")
    for r in rows:
        print("| %s | %s | %s |" % r)
    print()
    print("conformance-selftest: %d mutants, %d caught, %d not caught "
          "(%.0f s)" % (len(rows), len(rows) - missed, missed,
                        time.time() - t0))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
