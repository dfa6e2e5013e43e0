#!/usr/bin/env bash
# bench/upload-vs-curl.sh - the reference's BITS upload job against
# `curl -T`, same h2mock, same run (issue 14 item 5).  Not part of CI.
#
# One file of LARGE_MIB MiB (default 256) is uploaded to h2mock
# --upload-dir: by a BITS upload job (bench/bits_bench.c with
# BITS_BENCH_TYPE=upload, through libdoref.so: Create-Session, 4 MiB
# Fragments, Close-Session) and by `curl -T` (one HTTP/1.1 PUT).  Target:
# wall-time ratio BITS / curl <= 1.25.  Each side runs ROUNDS times,
# alternating which goes first; the median wall times and the median of
# the per-round ratios are printed, with each side's median CPU time (user
# + system of the client process) and the work directory's file system
# (run with TMPDIR=/dev/shm to measure the clients, not the disk).  Every
# upload is checked with cmp against the source.  Results:
# reports/bench/upload-vs-curl-<UTC>.txt and upload-vs-curl-latest.txt.
#
# Usage: bench/upload-vs-curl.sh [BUILD_DIR]   (default build/rel; made
#        with `make BUILD=...` when missing)
# Env:   ROUNDS (default 3), LARGE_MIB (default 256)
set -eu
B=${1:-build/rel}
ROUNDS=${ROUNDS:-3}
LARGE_MIB=${LARGE_MIB:-256}
cd "$(dirname "$0")/.."
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }
make --no-print-directory BUILD="$B" "$B/h2mock" "$B/bits_bench" >/dev/null
OUT=reports/bench
mkdir -p "$OUT"
W=$(mktemp -d "${TMPDIR:-/tmp}/upload-vs-curl.XXXXXX")
MOCK_PID=
cleanup() {
    [ -n "$MOCK_PID" ] && kill "$MOCK_PID" 2>/dev/null || true
    rm -rf "$W"
}
trap cleanup EXIT

mkdir -p "$W/root" "$W/up" "$W/src"
export DOREF_STATE_DIR="${DOREF_STATE_DIR:-$W/state}"
head -c $((LARGE_MIB * 1024 * 1024)) /dev/urandom >"$W/src/f0"

"$B/h2mock" --root "$W/root" --upload-dir "$W/up" --upload-overwrite \
    --port 0 --log-keep 1000 >"$W/mock.out" 2>"$W/mock.err" &
MOCK_PID=$!
for _ in $(seq 100); do
    grep -q listening "$W/mock.out" 2>/dev/null && break
    sleep 0.05
done
PORT=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$W/mock.out")
[ -n "$PORT" ] || { echo "bench: h2mock did not start" >&2; cat "$W/mock.err" >&2; exit 1; }
BASE="http://127.0.0.1:$PORT"
echo "$BASE/bits.bin" >"$W/bits.list"

# run NAME CMD...: CMD under /usr/bin/time -v; "wall rss cpu" into
# $W/NAME.times (cpu: user + system seconds of the client process)
run() {
    local name=$1
    shift
    sync
    /usr/bin/time -v -o "$W/time.txt" "$@" >/dev/null
    local wall rss cpu
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {
        n = split($2, p, ":"); s = 0;
        for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$W/time.txt")
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$W/time.txt")
    cpu=$(awk -F': ' '/User time \(seconds\)/ {u = $2}
        /System time \(seconds\)/ {s = $2} END {printf "%.2f", u + s}' \
        "$W/time.txt")
    echo "$wall $rss $cpu" >>"$W/$name.times"
}
check() {
    cmp -s "$W/up/$2" "$W/src/f0" || { echo "bench: $1 upload differs" >&2; exit 1; }
    rm -f "$W/up/$2"
}
up_bits() {
    BITS_BENCH_TYPE=upload run bits "$B/bits_bench" "$W/bits.list" "$W/src" 1
    check bits bits.bin
}
up_curl() {
    run curl curl -s -o /dev/null -T "$W/src/f0" "$BASE/curl.bin"
    check curl curl.bin
}
for r in $(seq "$ROUNDS"); do
    if [ $((r % 2)) -eq 1 ]; then up_bits; up_curl; else up_curl; up_bits; fi
done

median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
wall() { awk '{print $1}' "$W/$1.times" | median; }
rss() { awk '{print $2}' "$W/$1.times" | sort -n | tail -1; }
cpu() { awk '{print $3}' "$W/$1.times" | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", (b > 0 ? a / b : 0)}'; }
pair_ratio() {
    paste -d' ' "$W/bits.times" "$W/curl.times" |
        awk '{printf "%.4f\n", ($4 > 0 ? $1 / $4 : 0)}' | median
}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
REPORT="$OUT/upload-vs-curl-$STAMP.txt"
FS=$(df -T "$W" | awk 'NR == 2 {print $2}')
{
    echo "upload-vs-curl $STAMP: $LARGE_MIB MiB, $ROUNDS rounds, work dir on $FS"
    echo "bits (upload job, 4 MiB fragments): median wall $(wall bits) s, median CPU $(cpu bits) s, max RSS $(rss bits) KiB"
    echo "curl -T (one PUT):                  median wall $(wall curl) s, median CPU $(cpu curl) s, max RSS $(rss curl) KiB"
    echo "ratio of medians $(ratio "$(wall bits)" "$(wall curl)"), median per-round ratio $(pair_ratio) (target <= 1.25)"
} | tee "$REPORT"
cp "$REPORT" "$OUT/upload-vs-curl-latest.txt"
