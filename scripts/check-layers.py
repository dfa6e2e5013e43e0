#!/usr/bin/env python3
"""Checks the import rules of reference/src.

A file's layer is the folder it sits in (reference/src/<layer>/...), or a
rule in FILE_LAYERS for a file that forms a layer of its own.  A quoted
#include names a header; the header's layer must be one the including
file's layer may use (RULES).  Then the module graph (a module is a file
stem: foo.c and foo.h together) is searched for import circles; the only
ones allowed are listed in ALLOWED_CIRCLES.  Every violation is printed as
file:line and the script exits 1; with --graph it prints the layers, their
line counts and the circles found.  With --objects DIR (a build's obj/
folder) the same rules are checked on calls too: a file imports a layer
when its object refers to a symbol that layer's objects define, so a
shared private header cannot hide a call upward.

Run by `make check` (group check-layers).  The rules are written out in
docs/architecture.md ("Layers"); change both together.
"""
import os
import re
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))

# Which layers each layer may import.  A layer may always import itself.
# The layers are the folders of reference/src (docs/architecture.md,
# "Layers"); mock-server/src is checked by mock-server/tests/layers.sh.
RULES = {
    'reference/src': {
        # allocation seam, clock, owner and policy, network state, UTF-16
        # and GUID helpers, the message table: no job, no COM object.
        'base':    set(),
        # the state table and the property table: data only.
        'model':   set(),
        # the download engine: libcurl, files, the error table.
        'engine':  {'base'},
        # the SQLite job store: rows, no job.
        'store':   {'base', 'model'},
        # a job's life (ref_job), the queue, the scheduler, the notifier.
        'core':    {'base', 'model', 'engine'},
        # writes jobs to the store: an observer ref_job calls through.
        'persist': {'base', 'model', 'core', 'store'},
        # the BITS COM classes: faces of the core.
        'com':     {'base', 'model', 'core'},
        # the Delivery Optimization classes.  NonVolatile downloads are
        # the do layer's records (do_persist.c): written through the store
        # persistence opens, loaded by a loader it registers there, so
        # persistence imports nothing of do.
        'do':      {'base', 'model', 'engine', 'core', 'persist', 'store'},
        # the DLL's entry points and class factory: the composition root,
        # which wires the layers through the tables they expose.
        'entry':   {'base', 'model', 'engine', 'store', 'core', 'persist',
                    'com', 'do'},
    },
}

# Files that are a layer of their own inside another layer's folder.
FILE_LAYERS = {}

# Circles of modules that are allowed: the COM object graph (a job hands
# out its files and its error, an enumerator holds files of a job).  The
# notifier's error and file objects come through ref_notify_use_faces, so
# today no call of core reaches com and the graph is not even a circle.
ALLOWED_CIRCLES = {
    'reference/src': [
        {'job', 'file', 'error', 'enum_files', 'enum_jobs', 'manager'},
    ],
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def sources(tree):
    out = []
    for d, _, files in os.walk(os.path.join(ROOT, tree)):
        for f in sorted(files):
            if f.endswith(('.c', '.h')):
                out.append(os.path.relpath(os.path.join(d, f), ROOT))
    return sorted(out)


def layer_of(tree, path):
    if path in FILE_LAYERS:
        return FILE_LAYERS[path]
    rel = os.path.relpath(path, tree)
    parts = rel.split(os.sep)
    return parts[0] if len(parts) > 1 else '.'


def resolve(tree, files, path, name):
    """The tree file a quoted include names, or None for a header outside
    the tree (reference/include, system)."""
    here = os.path.normpath(os.path.join(os.path.dirname(path), name))
    if here in files:
        return here
    hits = [f for f in files if f.endswith('/' + name) or f == name]
    return hits[0] if len(hits) == 1 else None


def circles(graph):
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                on.discard(w)
                comp.add(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(comp)

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def symbols(objdir, tree):
    """{stem: (defined, undefined)} read with nm from the objects of tree
    under objdir (objects mirror the source tree)."""
    out = {}
    base = os.path.join(objdir, tree)
    for d, _, names in os.walk(base):
        for f in names:
            if not f.endswith('.o'):
                continue
            src = os.path.join(tree, os.path.relpath(os.path.join(d, f),
                                                     base))[:-2] + '.c'
            if not os.path.exists(os.path.join(ROOT, src)):
                continue  # a stale object of a moved or deleted file
            text = subprocess.run(['nm', os.path.join(d, f)], check=True,
                                  capture_output=True, text=True).stdout
            defined, undefined = set(), set()
            for line in text.splitlines():
                parts = line.split()
                if len(parts) == 2 and parts[0] == 'U':
                    undefined.add(parts[1])
                elif len(parts) == 3 and parts[1] in 'TDBRVW':
                    defined.add(parts[2])
            out[src] = (defined, undefined)
    return out


def check_calls(tree, objdir, show):
    """The same rules on calls: a file uses a layer when it refers to a
    symbol that layer's objects define."""
    rules = RULES[tree]
    syms = symbols(objdir, tree)
    owner = {}
    for src, (defined, _) in syms.items():
        for s in defined:
            owner[s] = src
    problems, graph = [], {}
    for src, (_, undefined) in sorted(syms.items()):
        stem = os.path.splitext(os.path.basename(src))[0]
        graph.setdefault(stem, set())
        layer = layer_of(tree, src)
        for s in sorted(undefined):
            t = owner.get(s)
            if t is None or t == src:
                continue
            tstem = os.path.splitext(os.path.basename(t))[0]
            graph[stem].add(tstem)
            tlayer = layer_of(tree, t)
            if rules is None or tlayer == layer or layer not in rules:
                continue
            if tlayer not in rules[layer]:
                problems.append('%s: layer %s calls %s of layer %s (%s)'
                                % (src, layer, s, tlayer, t))
    found = circles(graph)
    allowed = ALLOWED_CIRCLES.get(tree, [])
    for comp in found:
        if not any(comp <= ok for ok in allowed):
            problems.append('%s: call circle: %s'
                            % (tree, ', '.join(sorted(comp))))
    if show:
        for comp in found:
            print('  call circle: %s' % ', '.join(sorted(comp)))
        if not found:
            print('  no call circle')
    return problems


def check(tree, show):
    rules = RULES[tree]
    files = sources(tree)
    fileset = set(files)
    problems = []
    graph = {}
    lines = {}
    for path in files:
        stem = os.path.splitext(os.path.basename(path))[0]
        graph.setdefault(stem, set())
        layer = layer_of(tree, path)
        with open(os.path.join(ROOT, path), encoding='utf-8') as fh:
            text = fh.readlines()
        lines[layer] = lines.get(layer, 0) + len(text)
        if rules is not None and layer not in rules:
            problems.append('%s: in no layer (folder %s has no rule)'
                            % (path, layer))
            continue
        for n, line in enumerate(text, 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            target = resolve(tree, fileset, path, m.group(1))
            if target is None:
                continue
            tstem = os.path.splitext(os.path.basename(target))[0]
            if tstem != stem:
                graph[stem].add(tstem)
            tlayer = layer_of(tree, target)
            if rules is None or tlayer == layer:
                continue
            if tlayer not in rules[layer]:
                problems.append('%s:%d: layer %s may not import %s (%s)'
                                % (path, n, layer, tlayer, m.group(1)))
    found = circles(graph)
    allowed = ALLOWED_CIRCLES.get(tree, [])
    for comp in found:
        if not any(comp <= ok for ok in allowed):
            problems.append('%s: import circle: %s'
                            % (tree, ' -> '.join(sorted(comp))))
    if show:
        print('%s layers (lines):' % tree)
        for layer in sorted(lines):
            print('  %-8s %6d' % (layer, lines[layer]))
        for comp in found:
            print('  import circle: %s' % ', '.join(sorted(comp)))
        if not found:
            print('  no import circle')
    return problems


def main(argv):
    show = '--graph' in argv
    objdir = None
    if '--objects' in argv:
        objdir = argv[argv.index('--objects') + 1]
    problems = []
    for tree in RULES:
        problems += check(tree, show)
        if objdir:
            problems += check_calls(tree, objdir, show)
    for p in problems:
        print('check-layers: ' + p, file=sys.stderr)
    if problems:
        print('check-layers: %d violation(s)' % len(problems),
              file=sys.stderr)
        return 1
    print('check-layers: reference/src follows the layer rules')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
