#!/usr/bin/env bash
# Unpacks Debian's CUnit source package into DIR (default build/cunit-src),
# for the MinGW build of CUnit (Debian ships no Windows CUnit).  apt only
# fetches sources from a deb-src entry: as root this adds one for the same
# archive and suites as the existing deb entries (a file of its own beside
# debian.sources) and refreshes the lists once.
# Usage: scripts/cunit-src.sh [DIR]
set -eu
dir=${1:-build/cunit-src}
if [ -f "$dir/.unpacked" ]; then exit 0; fi
srcfile=/etc/apt/sources.list.d/docts-deb-src.sources
if ! apt-get source --print-uris cunit >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "docts: apt has no deb-src entry for cunit; as root run" >&2
    echo "  scripts/cunit-src.sh $dir" >&2
    exit 1
  fi
  main=/etc/apt/sources.list.d/debian.sources
  if [ -f "$main" ]; then
    # the deb stanzas again, as deb-src
    sed 's/^Types: deb$/Types: deb-src/' "$main" > "$srcfile"
  else
    grep -h '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' \
      > "${srcfile%.sources}.list"
  fi
  apt-get update -q >&2
fi
rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
(cd "$dir.tmp" && apt-get source -q cunit >&2)
src=$(find "$dir.tmp" -maxdepth 1 -mindepth 1 -type d -name 'cunit-*' | head -1)
[ -n "$src" ] || { echo "docts: apt-get source cunit unpacked nothing" >&2; exit 1; }
rm -rf "$dir" && mv "$src" "$dir" && rm -rf "$dir.tmp"
touch "$dir/.unpacked"
