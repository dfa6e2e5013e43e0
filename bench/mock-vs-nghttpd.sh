#!/usr/bin/env bash
# bench/mock-vs-nghttpd.sh - h2mock against nghttpd, driven by h2load.
#
# Not part of CI.  Builds (or uses) the optimised h2mock, serves the same
# files with h2mock (no rules) and nghttpd (Debian's nghttp2-server, one
# worker, cleartext = prior knowledge), and runs h2load against each in the
# same run:
#   small: N requests of a 64 KiB file over 10 connections x 10 streams
#   large: one 256 MiB file over 1 connection
# Prints h2mock/nghttpd for requests/s and bytes/s, then h2mock with 100
# non-matching rules against h2mock with none.  Each case runs ROUNDS times
# alternating servers; the median is used.  Because other work on a small
# machine moves both figures, it also prints the median of the per-round
# ratios (each ratio from runs seconds apart) and each server's CPU time
# (user+sys from /proc) per 1000 small requests / per large file, which
# depends much less on the load.  Results: reports/bench/.
#
# Usage: bench/mock-vs-nghttpd.sh [BUILD_DIR]   (default build/rel; built
#        with `make BUILD=build/rel build/rel/h2mock` when missing)
# Env:   N (default 100000), ROUNDS (default 3)
set -eu
B=${1:-build/rel}
N=${N:-100000}
ROUNDS=${ROUNDS:-3}
cd "$(dirname "$0")/.."
for t in nghttpd h2load; do
    command -v $t >/dev/null || {
        echo "bench: $t missing; apt-get install nghttp2-server" >&2
        exit 1
    }
done
make --no-print-directory BUILD="$B" "$B/h2mock" >/dev/null
OUT=reports/bench
mkdir -p "$OUT"
W=$(mktemp -d /tmp/h2mock-bench.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$W"' EXIT
mkdir -p "$W/root"
head -c 65536 /dev/urandom >"$W/root/64k.bin"
head -c $((256 << 20)) /dev/zero |
    openssl enc -aes-128-ctr -nosalt -K 00 -iv 00 2>/dev/null \
        >"$W/root/256m.bin"
# 100 rules that never match a request of this benchmark
for i in $(seq 100); do
    echo "match path=/never-$i.bin action=status code=503"
done >"$W/rules"

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

start_mock() { # start_mock [faults-file] -> MPID MPORT
    local extra=()
    [ $# -ge 1 ] && extra=(--faults "$1")
    "$B/h2mock" --root "$W/root" --port 0 --log-keep 1000 "${extra[@]}" \
        >"$W/mock.out" 2>"$W/mock.err" &
    MPID=$!
    for _ in $(seq 100); do
        grep -q listening "$W/mock.out" 2>/dev/null && break
        sleep 0.05
    done
    MPORT=$(sed -n 's/^listening on .*://p' "$W/mock.out")
}
start_nghttpd() { # -> NPID NPORT
    NPORT=$(free_port)
    nghttpd --no-tls -d "$W/root" -a 127.0.0.1 "$NPORT" >/dev/null 2>&1 &
    NPID=$!
    sleep 0.3
}
# run_h2load URL ARGS... -> "req/s bytes/s"
run_h2load() {
    local url=$1
    shift
    h2load "$@" "$url" >"$W/h2load.out" 2>&1 || true
    if ! grep -q " 0 failed, 0 errored, 0 timeout" "$W/h2load.out"; then
        echo "bench: h2load failed against $url:" >&2
        cat "$W/h2load.out" >&2
        echo FAIL
        return
    fi
    # "finished in 1.23s, 80000.00 req/s, 5.00GB/s" (or "107.96ms")
    awk '
        /^finished in/ {
            t = $3; sub(/,$/, "", t)
            if (t ~ /ms$/) { sub(/ms$/, "", t); secs = t / 1000 }
            else if (t ~ /us$/) { sub(/us$/, "", t); secs = t / 1e6 }
            else { sub(/s$/, "", t); secs = t }
            rps = $4
        }
        END { printf "%s %.0f\n", rps, total / secs }' \
        total="$(sed -n 's/^traffic: [^(]*(\([0-9]*\)) total.*/\1/p' "$W/h2load.out")" \
        "$W/h2load.out"
}
check() { [ "$1" != FAIL ] || exit 1; }
# CPU time of a process so far, in clock ticks (user + system)
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
HZ=$(getconf CLK_TCK)
median() { sort -g | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.3f", (b > 0 ? a/b : 0)}'; }

SMALL=(-n "$N" -c 10 -m 10)
LARGE=(-n 1 -c 1 -m 1)
declare -A R
for round in $(seq "$ROUNDS"); do
    start_nghttpd
    c0=$(cpu "$NPID")
    read -r a b <<<"$(run_h2load "http://127.0.0.1:$NPORT/64k.bin" "${SMALL[@]}")"
    R[ng_small_rps]+="$a "
    R[ng_small_bps]+="$b "
    ng_r=$a
    c1=$(cpu "$NPID")
    read -r a b <<<"$(run_h2load "http://127.0.0.1:$NPORT/256m.bin" "${LARGE[@]}")"
    R[ng_large_bps]+="$b "
    ng_l=$b
    c2=$(cpu "$NPID")
    R[ng_small_cpu]+="$(awk -v t=$((c1 - c0)) -v n="$N" -v hz="$HZ" 'BEGIN{printf "%.1f", t / hz * 1e6 / n}') "
    R[ng_large_cpu]+="$(awk -v t=$((c2 - c1)) -v hz="$HZ" 'BEGIN{printf "%.0f", t / hz * 1e3}') "
    kill "$NPID"
    wait "$NPID" 2>/dev/null || true

    start_mock
    c0=$(cpu "$MPID")
    read -r a b <<<"$(run_h2load "http://127.0.0.1:$MPORT/64k.bin" "${SMALL[@]}")"
    check "$a"
    R[mk_small_rps]+="$a "
    R[mk_small_bps]+="$b "
    R[ratio_small_rps]+="$(ratio "$a" "$ng_r") "
    c1=$(cpu "$MPID")
    read -r a b <<<"$(run_h2load "http://127.0.0.1:$MPORT/256m.bin" "${LARGE[@]}")"
    R[mk_large_bps]+="$b "
    R[ratio_large_bps]+="$(ratio "$b" "$ng_l") "
    c2=$(cpu "$MPID")
    R[mk_small_cpu]+="$(awk -v t=$((c1 - c0)) -v n="$N" -v hz="$HZ" 'BEGIN{printf "%.1f", t / hz * 1e6 / n}') "
    R[mk_large_cpu]+="$(awk -v t=$((c2 - c1)) -v hz="$HZ" 'BEGIN{printf "%.0f", t / hz * 1e3}') "
    kill -TERM "$MPID"
    wait "$MPID" || { echo "bench: h2mock exit status $?" >&2; exit 1; }

    start_mock "$W/rules"
    c0=$(cpu "$MPID")
    read -r a b <<<"$(run_h2load "http://127.0.0.1:$MPORT/64k.bin" "${SMALL[@]}")"
    R[mr_small_rps]+="$a "
    c1=$(cpu "$MPID")
    R[mr_small_cpu]+="$(awk -v t=$((c1 - c0)) -v n="$N" -v hz="$HZ" 'BEGIN{printf "%.1f", t / hz * 1e6 / n}') "
    read -r a b <<<"$(run_h2load "http://127.0.0.1:$MPORT/256m.bin" "${LARGE[@]}")"
    R[mr_large_bps]+="$b "
    kill -TERM "$MPID"
    wait "$MPID" || { echo "bench: h2mock exit status $?" >&2; exit 1; }
    echo "round $round done" >&2
done
med() { tr ' ' '\n' <<<"${R[$1]}" | grep . | median; }
ng_rps=$(med ng_small_rps)
mk_rps=$(med mk_small_rps)
ng_sbps=$(med ng_small_bps)
mk_sbps=$(med mk_small_bps)
ng_lbps=$(med ng_large_bps)
mk_lbps=$(med mk_large_bps)
mr_rps=$(med mr_small_rps)
mr_lbps=$(med mr_large_bps)
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
{
    echo "# h2mock vs nghttpd ($STAMP)"
    echo "command: bench/mock-vs-nghttpd.sh $B  (N=$N ROUNDS=$ROUNDS, medians)"
    echo "machine: $(nproc) cores, $(uname -r); $(nghttpd --version 2>&1 | head -1)"
    echo
    echo "case                         nghttpd        h2mock     ratio"
    printf "64KiB x%-7s req/s   %12.0f  %12.0f  %s\n" "$N" "$ng_rps" "$mk_rps" "$(ratio "$mk_rps" "$ng_rps")"
    printf "64KiB x%-7s bytes/s %12.0f  %12.0f  %s\n" "$N" "$ng_sbps" "$mk_sbps" "$(ratio "$mk_sbps" "$ng_sbps")"
    printf "256MiB x1      bytes/s %12.0f  %12.0f  %s\n" "$ng_lbps" "$mk_lbps" "$(ratio "$mk_lbps" "$ng_lbps")"
    echo
    echo "median of per-round ratios: 64KiB req/s $(med ratio_small_rps), 256MiB bytes/s $(med ratio_large_bps)"
    echo "server CPU (user+sys, medians)      nghttpd        h2mock     ratio"
    printf "64KiB  us per request        %12s  %12s  %s\n" "$(med ng_small_cpu)" "$(med mk_small_cpu)" "$(ratio "$(med ng_small_cpu)" "$(med mk_small_cpu)")"
    printf "256MiB ms per file           %12s  %12s  %s\n" "$(med ng_large_cpu)" "$(med mk_large_cpu)" "$(ratio "$(med ng_large_cpu)" "$(med mk_large_cpu)")"
    echo "(CPU ratio = nghttpd/h2mock: above 1.0 means h2mock needs less CPU)"
    echo
    echo "100 non-matching rules vs none (h2mock)"
    printf "64KiB req/s     none %12.0f  100 rules %12.0f  cost %s%%\n" "$mk_rps" "$mr_rps" \
        "$(awk -v a="$mk_rps" -v b="$mr_rps" 'BEGIN{printf "%.1f", (a-b)/a*100}')"
    printf "256MiB bytes/s  none %12.0f  100 rules %12.0f  cost %s%%\n" "$mk_lbps" "$mr_lbps" \
        "$(awk -v a="$mk_lbps" -v b="$mr_lbps" 'BEGIN{printf "%.1f", (a-b)/a*100}')"
    printf "64KiB CPU us/request  none %8s  100 rules %8s  cost %s%%\n" "$(med mk_small_cpu)" "$(med mr_small_cpu)" \
        "$(awk -v a="$(med mk_small_cpu)" -v b="$(med mr_small_cpu)" 'BEGIN{printf "%.1f", (b-a)/a*100}')"
    echo
    echo "raw samples:"
    for k in "${!R[@]}"; do echo "  $k: ${R[$k]}"; done | sort
} | tee "$OUT/mock-vs-nghttpd-$STAMP.txt"
cp "$OUT/mock-vs-nghttpd-$STAMP.txt" "$OUT/mock-vs-nghttpd-latest.txt"
