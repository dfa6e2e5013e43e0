#!/usr/bin/env bash
# conformance-wine.sh - runs docts.exe under wine64 against Wine's BITS
# service (qmgr) with --impl com:local, in a fresh Wine prefix, with the
# shared h2mock started natively on loopback and the cases' private h2mock
# servers started through scripts/h2mock-wine.sh.  Stops everything it
# started (h2mock, the Wine server of the prefix) however the run ends.
#
# usage: scripts/conformance-wine.sh --build DIR --exe DOCTS.EXE
#          --h2mock H2MOCK --gaps FILE --report DIR [-- DOCTS-ARGS...]
# Environment: WINE (default /usr/lib/wine/wine64), WINE_KEEP_PREFIX=1
# reuses an existing prefix.
set -u
build= exe= h2mock= gaps= report=
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --exe) exe=$2; shift 2 ;;
    --h2mock) h2mock=$2; shift 2 ;;
    --gaps) gaps=$2; shift 2 ;;
    --report) report=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "conformance-wine: unknown argument $1" >&2; exit 2 ;;
  esac
done
wine=${WINE:-/usr/lib/wine/wine64}
wineserver=$(dirname "$wine")/wineserver
top=$(pwd)
dir=$(realpath -m "$build/wine")
mkdir -p "$dir" "$report"
winpath() { printf 'Z:%s' "$(realpath -m "$1")" | tr / '\\'; }

export WINEPREFIX="$dir/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
export DOCTS_H2MOCK=$(realpath "$h2mock")
export DOCTS_WINE_PIDS="$dir/helper-pids"
export DOCTS_TLS_DIR=$(winpath "$build/mock/tls")
: > "$DOCTS_WINE_PIDS"

mock_pid=
cleanup() {
  [ -n "$mock_pid" ] && kill "$mock_pid" 2>/dev/null && wait "$mock_pid" 2>/dev/null
  while read -r p; do kill "$p" 2>/dev/null; done < "$DOCTS_WINE_PIDS"
  "$wineserver" -k 2>/dev/null
  "$wineserver" -w 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM

t0=$(date +%s)
if [ "${WINE_KEEP_PREFIX:-0}" != 1 ] || [ ! -d "$WINEPREFIX" ]; then
  # a Wine server of an earlier run of this prefix must be gone first
  if [ -d "$WINEPREFIX" ]; then
    "$wineserver" -k 2>/dev/null; "$wineserver" -w 2>/dev/null
  fi
  rm -rf "$WINEPREFIX"
  echo "conformance-wine: creating the Wine prefix $WINEPREFIX"
  "$wine" wineboot -i >"$dir/wineboot.log" 2>&1 || {
    echo "conformance-wine: wineboot failed (see $dir/wineboot.log)" >&2; exit 2; }
fi
# Start Wine's BITS service before the first case: right after wineboot
# (more so on a loaded machine) the first activation can fail with
# 0x80070002 and every later one of that Wine session with it.
started=
for _ in 1 2 3 4 5; do
  if "$wine" net start BITS >"$dir/net-start.log" 2>&1 ||
     grep -q "already running" "$dir/net-start.log"; then started=1; break; fi
  sleep 2
done
[ -n "$started" ] || { echo "conformance-wine: the BITS service of the prefix does not start" >&2; exit 2; }
t1=$(date +%s)

# the shared fixtures server, natively on loopback
"$DOCTS_H2MOCK" --root "$top/fixtures" --port 0 --bind 127.0.0.1 \
  --log "$dir/h2mock.log" > "$dir/h2mock.out" 2>&1 &
mock_pid=$!
url=
for _ in $(seq 100); do
  line=$(grep -m1 '^listening on ' "$dir/h2mock.out" 2>/dev/null) &&
    { url="http://${line#listening on }"; break; }
  sleep 0.1
done
[ -n "$url" ] || { echo "conformance-wine: h2mock did not start" >&2; exit 2; }

echo "conformance-wine: docts.exe --impl com:local under $("$wine" --version 2>/dev/null), mock $url"
"$wine" "$exe" --impl com:local --profile bits --slow --jobs 1 \
  --mock-url "$url" \
  --mock "Z:\\bin\\sh $top/scripts/h2mock-wine.sh" \
  --fixtures "$(winpath "$top/fixtures")" \
  --known-gaps "$(winpath "$gaps")" --report "$(winpath "$report")" "$@"
rc=$?
t2=$(date +%s)
echo "conformance-wine: prefix $((t1 - t0)) s, run $((t2 - t1)) s, exit $rc"
exit $rc
