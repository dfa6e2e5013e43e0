#!/bin/sh
# layers.sh OBJDIR - h2mock's source files call each other in layers,
# without a circle (issue 12), and the protocols know nothing of each
# other nor of the connection above them.
#
# The call graph comes from the objects (nm: which file defines each
# symbol another file uses); tsort fails on any loop.  The protocol
# files are also checked by name, so a call through a struct or a macro
# cannot hide the dependency.
set -eu
dir=${1:?usage: layers.sh OBJDIR}
src=mock-server/src
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for o in "$dir"/*.o; do
    f=$(basename "$o" .o)
    nm "$o" | awk -v f="$f" '$2 ~ /^[TDBR]$/ { print $3, f }'
done | sort >"$tmp/defs"
for o in "$dir"/*.o; do
    f=$(basename "$o" .o)
    nm -u "$o" | awk '{ print $2 }' | sort -u | join - "$tmp/defs" |
        awk -v f="$f" '$2 != f { print f, $2 }'
done | sort -u >"$tmp/edges"
fail=0
if ! tsort "$tmp/edges" >/dev/null 2>"$tmp/loop"; then
    echo "layers: the files of $src call each other in a circle:" >&2
    cat "$tmp/loop" >&2
    fail=1
fi
# h1.c and h2.c: no connection, no other protocol
for pair in "h1.c:mock_conn|mock_h2_|h2\\.c" "h2.c:mock_conn|mock_h1_|h1\\.c"; do
    f=${pair%%:*}
    pat=${pair#*:}
    if grep -nE "$pat" "$src/$f" >"$tmp/hits"; then
        echo "layers: $src/$f reaches above or beside itself:" >&2
        cat "$tmp/hits" >&2
        fail=1
    fi
done
# util.c calls no other file of h2mock
if awk '$1 == "util"' "$tmp/edges" | grep -q .; then
    echo "layers: util.c calls other files:" >&2
    awk '$1 == "util"' "$tmp/edges" >&2
    fail=1
fi
[ "$fail" = 0 ] || exit 1
echo "layers: $(wc -l <"$tmp/edges") file-to-file call edges, no circle"
