#!/usr/bin/env bash
# bench/crash-soak.sh - jobs survive SIGKILL (issue 7, item 4).  Not in CI.
#
# 50 BITS jobs (one file each, 256 KiB .. 1.8 MiB, throttled by h2mock so
# that transfers are in flight) are driven by persist-child (the helper of
# reference/tests/persist/) against one state directory.  CYCLES times: a
# fresh process loads the store and works (transfers, completes transferred
# jobs, now and then suspends/resumes one) and is SIGKILLed after a random
# time (seeded); a new process then lists the store (nothing moves) and the
# script checks that every job is in the store or delivered, and that every
# delivered file has the fixture's SHA-256.  A last process finishes the
# rest.  Prints:
#   jobs lost        jobs neither in the store nor delivered (target 0)
#   files corrupt    delivered files whose SHA-256 is wrong (target 0)
#   bytes again      bytes h2mock sent (its --log, "bytes") minus the total
#                    payload, as a percentage of the payload (target < 5 %)
#
# Usage: bench/crash-soak.sh [BUILD_DIR]      (default build/rel; built
#        with `make BUILD=...` when missing: the release variant)
# Env:   CYCLES (100), JOBS (50), SEED (1), RATE (h2mock bytes/s per
#        request, 24576), KILL_MIN_MS (100), KILL_MAX_MS (1500)
set -eu
B=${1:-build/rel}
CYCLES=${CYCLES:-100}
JOBS=${JOBS:-50}
SEED=${SEED:-1}
RATE=${RATE:-24576}
KILL_MIN_MS=${KILL_MIN_MS:-100}
KILL_MAX_MS=${KILL_MAX_MS:-1500}
cd "$(dirname "$0")/.."
make --no-print-directory BUILD="$B" "$B/h2mock" "$B/persist-child" >/dev/null
H2MOCK=$(pwd)/$B/h2mock
CHILD=$(pwd)/$B/persist-child
W=$(mktemp -d "${TMPDIR:-/tmp}/crash-soak.XXXXXX")
MOCK=
cleanup() {
    [ -n "$MOCK" ] && kill "$MOCK" 2>/dev/null && wait "$MOCK" 2>/dev/null
    rm -rf "$W"
}
trap cleanup EXIT
mkdir -p "$W/root" "$W/out"
export DOREF_STATE_DIR=$W/state
RANDOM=$SEED

# Fixtures: job j fetches f<j>_0.bin (256 KiB + j * 32 KiB).
total=0
for ((j = 0; j < JOBS; j++)); do
    size=$((262144 + j * 32768))
    head -c "$size" /dev/urandom >"$W/root/f${j}_0.bin"
    total=$((total + size))
done
(cd "$W/root" && sha256sum f*_0.bin) >"$W/fixtures.sha"

echo "match glob=/*.bin action=throttle rate=$RATE" >"$W/faults.txt"
"$H2MOCK" --root "$W/root" --port 0 --grace-ms 0 --faults "$W/faults.txt" \
    --log "$W/h2mock.log" >"$W/h2mock.out" &
MOCK=$!
for _ in $(seq 50); do
    grep -q '^listening on' "$W/h2mock.out" 2>/dev/null && break
    sleep 0.1
done
PORT=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$W/h2mock.out")
[ -n "$PORT" ] || { echo "crash-soak: h2mock did not start" >&2; exit 1; }
BASE=http://127.0.0.1:$PORT

lost_max=0
corrupt_max=0
# The checks after a kill: every job in the store or delivered whole.
check() {
    local list lost=0 corrupt=0 j name f want got
    list=$(DOREF_SCHED_HOLD=1 "$CHILD" list)
    for ((j = 0; j < JOBS; j++)); do
        name=$(printf 'pj%02d' "$j")
        f=$W/out/j${j}_0.bin
        if [ -e "$f" ]; then
            want=$(awk -v n="f${j}_0.bin" '$2 == n { print $1 }' "$W/fixtures.sha")
            got=$(sha256sum "$f" | cut -d' ' -f1)
            if [ "$want" != "$got" ]; then
                corrupt=$((corrupt + 1))
                echo "crash-soak: $f is not the fixture" >&2
            fi
        elif ! grep -q "^JOB $name " <<<"$list"; then
            lost=$((lost + 1))
            echo "crash-soak: job $name lost" >&2
        fi
    done
    [ "$lost" -gt "$lost_max" ] && lost_max=$lost
    [ "$corrupt" -gt "$corrupt_max" ] && corrupt_max=$corrupt
    left=$(grep -c '^JOB ' <<<"$list" || true)
}

start=$(date +%s)
kills=0
cycles=0
left=$JOBS
for ((c = 0; c < CYCLES; c++)); do
    cycles=$((cycles + 1))
    create=$((c == 0 ? 1 : 0))
    "$CHILD" work "$W/out" "$BASE" "$JOBS" 1 $((SEED + c)) "$create" \
        >"$W/work.out" 2>"$W/work.err" &
    pid=$!
    if [ "$create" = 1 ]; then
        for _ in $(seq 200); do
            grep -q '^M created' "$W/work.out" && break
            sleep 0.05
        done
    fi
    ms=$((KILL_MIN_MS + RANDOM % (KILL_MAX_MS - KILL_MIN_MS + 1)))
    sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
    if kill -KILL "$pid" 2>/dev/null; then
        kills=$((kills + 1)) # else: it had finished every job already
    fi
    wait "$pid" 2>/dev/null || true
    check
    [ "$left" = 0 ] && break
done
# The rest, without kills.
"$CHILD" work "$W/out" "$BASE" "$JOBS" 1 0 0 >"$W/work.out" 2>"$W/work.err" &
pid=$!
for _ in $(seq 3000); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
kill -KILL "$pid" 2>/dev/null && echo "crash-soak: the last run did not finish" >&2
wait "$pid" 2>/dev/null || true
check
lost_end=0
for ((j = 0; j < JOBS; j++)); do
    [ -e "$W/out/j${j}_0.bin" ] || lost_end=$((lost_end + 1))
done
temps=$(find "$W/out" -name 'BIT*.tmp' | wc -l)
kill "$MOCK" && wait "$MOCK" 2>/dev/null || true
MOCK=
sent=$(grep -o '"bytes":[0-9]*' "$W/h2mock.log" | cut -d: -f2 | awk '{ s += $1 } END { print s + 0 }')
resumes=$(grep -ciE '\["range","bytes=[1-9][0-9]*-' "$W/h2mock.log" || true)
again=$((sent - total))
pct=$(awk -v a="$again" -v t="$total" 'BEGIN { printf "%.2f", 100 * a / t }')
lost=$((lost_max > lost_end ? lost_max : lost_end))
echo "crash-soak: $kills kills in $cycles cycles over $JOBS jobs, seed $SEED, $(($(date +%s) - start)) s"
echo "jobs lost:      $lost"
echo "files corrupt:  $corrupt_max"
echo "bytes again:    $again of $total ($pct %), $resumes requests resumed with Range: bytes=N-"
echo "jobs left in the store: $left, temporary files left: $temps"
[ "$lost" = 0 ] && [ "$corrupt_max" = 0 ] &&
    awk -v p="$pct" 'BEGIN { exit !(p < 5) }'
