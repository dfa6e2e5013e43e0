#!/usr/bin/env bash
# bench/soak-mock.sh - h2mock under faults for a long while (issue 15,
# item 5).  Not in CI; loopback only; stops by itself.
#
# One h2mock (the optimised build, TLS on, --log-keep 5000 so the request
# log's ring is full after the warm-up) serves a 64 KiB file under several
# paths.  For SOAK_SECONDS, HTTP/1.1, h2c (prior knowledge) and TLS (ALPN
# h2) load it at once with h2load, two loops per protocol: steady traffic
# (4 clients at RPS requests a second, 10 s runs) over paths whose faults
# leave the connection up (a delay, churned 5xx statuses), and short runs
# one after another, each over one fault path in turn: TCP resets, cuts
# mid-body, GOAWAY (graceful and with an error), RST_STREAM and
# Content-Lengths too long and too short (h2load ends a client at its
# first broken connection, so these runs also open and close connections
# all the time).  Meanwhile a control loop reads the rule counters
# (GET /_mock/rules), removes every rule (DELETE) and adds them back with
# a changing extra rule (POST) every CHURN seconds, and a sampler reads
# h2mock's RSS and open descriptors from /proc every SAMPLE seconds.
# Then the rules are removed and one normal request per protocol must
# bring the file's bytes.  Prints, and
# writes to reports/bench/soak-mock-DATE.txt:
#   requests served   h2mock's last log sequence number (every request but
#                     control ones), and h2load's done / succeeded counts
#   faults fired      the sum of the rules' fired counters
#   RSS               after the warm-up and at the end, growth (target
#                     < 5 %)
#   descriptors       at the baseline (every file served once, no
#                     connection open) and at the end (target: equal)
#   crashes           h2mock gone before SIGTERM, a non-zero exit, or
#                     anything on its stderr (target 0)
#   final requests    HTTP/1.1, h2c and TLS answer 200 with the bytes
#
# Usage: bench/soak-mock.sh [BUILD_DIR]   (default build/rel; built with
#        `make BUILD=...` when missing)
# Env:   SOAK_SECONDS (600), WARMUP (60, at most a fifth of the soak),
#        RPS (25 per client), SAMPLE (5), CHURN (3)
# Exit status: 0 when every target holds, 1 otherwise.
set -eu
B=${1:-build/rel}
SOAK_SECONDS=${SOAK_SECONDS:-600}
RPS=${RPS:-25}
SAMPLE=${SAMPLE:-5}
CHURN=${CHURN:-3}
WARMUP=${WARMUP:-60}
[ "$WARMUP" -le $((SOAK_SECONDS / 5)) ] || WARMUP=$((SOAK_SECONDS / 5))
cd "$(dirname "$0")/.."
command -v h2load >/dev/null || {
    echo "soak: h2load missing; apt-get install nghttp2-client" >&2
    exit 1
}
make --no-print-directory BUILD="$B" "$B/h2mock" "$B/mock/tls/cert.pem" \
    >/dev/null
OUT=reports/bench
mkdir -p "$OUT"
REPORT=$OUT/soak-mock-$(date -u +%Y%m%dT%H%M%SZ).txt
W=$(mktemp -d "${TMPDIR:-/tmp}/soak-mock.XXXXXX")
MOCK=
cleanup() {
    for p in $(jobs -p); do kill "$p" 2>/dev/null || true; done
    [ -n "$MOCK" ] && kill -9 "$MOCK" 2>/dev/null
    rm -rf "$W"
}
trap cleanup EXIT

mkdir -p "$W/root/f"
head -c 65536 /dev/zero |
    openssl enc -aes-128-ctr -nosalt -K 01 -iv 00 2>/dev/null \
        >"$W/root/64k.bin"
for f in reset cut delay goaway rst len-short len-long churn; do
    ln "$W/root/64k.bin" "$W/root/f/$f.bin"
done
PATHS="/64k.bin /f/reset.bin /f/cut.bin /f/delay.bin /f/goaway.bin
/f/rst.bin /f/len-short.bin /f/len-long.bin /f/churn.bin"
# first firing rule wins: the error GOAWAY before the graceful one
cat >"$W/rules" <<'EOF'
match name=reset path=/f/reset.bin action=reset after=4096
match name=cut path=/f/cut.bin action=close after=8192
match name=delay path=/f/delay.bin action=delay ms=300
match name=goaway-err path=/f/goaway.bin proto=h2 prob=0.3 action=goaway code=INTERNAL_ERROR after=4096
match name=goaway path=/f/goaway.bin action=goaway
match name=rst path=/f/rst.bin proto=h2 action=rst-stream code=CANCEL after=16384
match name=rst-h1 path=/f/rst.bin proto=h1 action=close after=16384
match name=len-short path=/f/len-short.bin action=bad-length delta=100
match name=len-long path=/f/len-long.bin action=bad-length delta=-100
EOF

H2MOCK=$B/h2mock
"$H2MOCK" --root "$W/root" --port 0 --seed 5 --log-keep 5000 \
    --tls-cert "$B/mock/tls/cert.pem" --tls-key "$B/mock/tls/key.pem" \
    --faults "$W/rules" >"$W/mock.out" 2>"$W/mock.err" &
MOCK=$!
for _ in $(seq 100); do
    grep -q '^listening on ' "$W/mock.out" 2>/dev/null && break
    sleep 0.05
done
PORT=$(sed -n 's/^listening on .*://p' "$W/mock.out")
[ -n "$PORT" ] || { echo "soak: h2mock did not start" >&2; exit 1; }
BASE=http://127.0.0.1:$PORT
SBASE=https://127.0.0.1:$PORT
SHA=$(sha256sum <"$W/root/64k.bin" | cut -d' ' -f1)

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$MOCK/status"; }
fds() { find "/proc/$MOCK/fd" -mindepth 1 -maxdepth 1 | wc -l; }
now() { date +%s; }

# the baseline: every path served once (so the file cache holds what it
# will hold), no connection open
for p in $PATHS; do
    curl -s -o /dev/null --max-time 10 "$BASE$p" || true
done
sleep 2
FD_BASE=$(fds)
RSS_BASE=$(rss_kb)

START=$(now)
END=$((START + SOAK_SECONDS))
urls() { # urls BASE PATH...
    local base=$1
    shift
    for p in "$@"; do printf '%s%s\n' "$base" "$p"; done
}
CLEAN="/64k.bin /f/delay.bin /f/churn.bin"
FAULTY="/f/reset.bin /f/cut.bin /f/goaway.bin /f/rst.bin /f/len-short.bin
/f/len-long.bin"

# h2load does not reconnect after a connection error: a client that met
# a reset, a cut, an error GOAWAY or a wrong length has ended.  So each
# protocol gets two loops: steady traffic over paths whose faults leave
# the connection up (10 s runs, 4 clients at RPS requests a second), and
# short runs over the fault paths, one after another (2 clients, each
# ending at its first fatal fault), which also open and close
# connections all the time.
load() { # load NAME BASE PATHS [h2load args...]
    local name=$1 base=$2 paths=$3
    shift 3
    local i=0 d
    # shellcheck disable=SC2086
    urls "$base" $paths >"$W/urls-$name"
    while [ "$(now)" -lt $((END - 2)) ]; do
        d=$((END - $(now)))
        [ "$d" -gt 10 ] && d=10
        timeout $((d + 20)) h2load -t 1 -N 5 -i "$W/urls-$name" "$@" \
            -D "$d" >"$W/h2load-$name-$i.out" 2>&1 || true
        i=$((i + 1))
    done
}
faults() { # faults NAME BASE PATHS [h2load args...]
    local name=$1 base=$2 i=0 p
    # shellcheck disable=SC2206
    local paths=($3)
    shift 3
    while [ "$(now)" -lt $((END - 2)) ]; do
        # one fault path per run, in turn (each client would end at the
        # first fatal one), after a clean request
        p=${paths[$((i % ${#paths[@]}))]}
        urls "$base" /64k.bin "$p" >"$W/urls-$name"
        timeout 20 h2load -t 1 -N 5 -i "$W/urls-$name" "$@" -c 2 -n 40 \
            --rps 20 >"$W/h2load-$name-$i.out" 2>&1 || true
        i=$((i + 1))
        sleep 0.5
    done
}
LOADS=""
for proto in h1 h2c tls; do
    case $proto in
    h1) base=$BASE extra=--h1 ;;
    h2c) base=$BASE extra= ;;
    tls) base=$SBASE extra= ;;
    esac
    # shellcheck disable=SC2086
    load "$proto" "$base" "$CLEAN" -c 4 --rps "$RPS" $extra &
    LOADS="$LOADS $!"
    # shellcheck disable=SC2086
    faults "$proto-f" "$base" "$FAULTY" $extra &
    LOADS="$LOADS $!"
done

# the control loop: read the counters, remove every rule, add them back
# with a changing extra rule
FIRED_FILE=$W/fired
: >"$FIRED_FILE"
control() {
    local n=0
    while [ "$(now)" -lt $((END - 1)) ]; do
        sleep "$CHURN"
        curl -s --max-time 10 "$BASE/_mock/rules" >>"$FIRED_FILE" || true
        curl -s --max-time 10 -X DELETE -o /dev/null "$BASE/_mock/rules" ||
            true
        n=$((n + 1))
        {
            cat "$W/rules"
            echo "match name=churn-$n path=/f/churn.bin prob=0.5 action=status code=$((500 + n % 4))"
        } >"$W/rules.now"
        curl -s --max-time 10 --data-binary "@$W/rules.now" -o /dev/null \
            "$BASE/_mock/rules" || true
    done
}
control &
CONTROL=$!

# the sampler
SAMPLES=$W/samples
: >"$SAMPLES"
CRASHED=0
while [ "$(now)" -lt "$END" ]; do
    if ! kill -0 "$MOCK" 2>/dev/null; then
        CRASHED=1
        break
    fi
    echo "$(($(now) - START)) $(rss_kb) $(fds)" >>"$SAMPLES"
    sleep "$SAMPLE"
done
# shellcheck disable=SC2086
wait $LOADS $CONTROL 2>/dev/null || true
# the counters of the rules still in place
curl -s --max-time 10 "$BASE/_mock/rules" >>"$FIRED_FILE" || true
RSS_END=$(rss_kb)
sleep 3 # connections drain (a graceful close waits up to 1 s)
FD_END=$(fds)

# a normal request per protocol, after removing every rule
curl -s --max-time 10 -X DELETE -o /dev/null "$BASE/_mock/rules"
final() { # final CURL-ARGS... : "ok" when the body is the file's bytes
    local got
    got=$(curl -s --max-time 20 "$@" | sha256sum | cut -d' ' -f1)
    if [ "$got" == "$SHA" ]; then echo ok; else echo BAD; fi
}
FINAL="$(final --http1.1 "$BASE/64k.bin") \
$(final --http2-prior-knowledge "$BASE/64k.bin") \
$(final -k --http2 "$SBASE/64k.bin")"
SERVED=$(curl -s --max-time 30 "$BASE/_mock/log" | tail -1 |
    sed -n 's/^{"seq":\([0-9]*\),.*/\1/p')
FIRED=$(awk '/^# / { for (i = 2; i <= NF; i++) if ($i ~ /^fired=/) {
        sub(/fired=/, "", $i); s += $i } } END { print s + 0 }' "$FIRED_FILE")
FIRED_BY=$(awk '/^# / { n = $2; sub(/-[0-9]+$/, "", n)
        for (i = 3; i <= NF; i++) if ($i ~ /^fired=/) {
            sub(/fired=/, "", $i); f[n] += $i } }
        END { for (k in f) printf "%s=%d ", k, f[k] }' "$FIRED_FILE" |
    tr ' ' '\n' | sort | tr '\n' ' ')
H2LOAD=$(cat "$W"/h2load-*.out | awk '/^requests:/ {
        t += $2; d += $6; s += $8; f += $10; e += $12 }
        END { printf "%d total, %d done, %d succeeded, %d failed, %d errored",
              t, d, s, f, e }')
RUNS=$(find "$W" -name 'h2load-*.out' | wc -l)
RSS_WARM=$(awk -v w="$WARMUP" '$1 >= w { print $2; exit }' "$SAMPLES")
RSS_MAX=$(awk 'm < $2 { m = $2 } END { print m }' "$SAMPLES")
FD_MAX=$(awk 'm < $3 { m = $3 } END { print m }' "$SAMPLES")
GROWTH=$(awk -v a="$RSS_WARM" -v b="$RSS_END" \
    'BEGIN { printf "%.2f", a ? (b - a) * 100 / a : 0 }')

if kill -0 "$MOCK" 2>/dev/null; then
    kill -TERM "$MOCK"
    wait "$MOCK" && RC=0 || RC=$?
else
    wait "$MOCK" && RC=0 || RC=$?
    CRASHED=1
fi
MOCK=
[ "$RC" -eq 0 ] || CRASHED=1
[ -s "$W/mock.err" ] && CRASHED=1

VERDICT=pass
awk -v g="$GROWTH" 'BEGIN { exit !(g < 5) }' || VERDICT=fail
[ "$FD_END" -eq "$FD_BASE" ] || VERDICT=fail
[ "$CRASHED" -eq 0 ] || VERDICT=fail
[ "$FINAL" == "ok ok ok" ] || VERDICT=fail
[ "${SERVED:-0}" -gt 0 ] && [ "$FIRED" -gt 0 ] || VERDICT=fail

{
    echo "soak-mock: $(date -u +%FT%TZ), $SOAK_SECONDS s (warm-up $WARMUP s), h2mock $B/h2mock"
    echo "load: HTTP/1.1, h2c and TLS h2 at once; per protocol 4 clients x $RPS req/s on $CLEAN, and back-to-back runs of 2 clients x 40 requests on the fault paths; $RUNS h2load runs; rules churned every $CHURN s"
    echo "requests served:  ${SERVED:-?} (h2mock log seq); h2load: $H2LOAD"
    echo "faults fired:     $FIRED ($FIRED_BY)"
    echo "RSS:              baseline ${RSS_BASE} KiB, after warm-up ${RSS_WARM} KiB, end ${RSS_END} KiB, max ${RSS_MAX} KiB; growth ${GROWTH} % (target < 5 %)"
    echo "descriptors:      baseline $FD_BASE, end $FD_END, max during load $FD_MAX (target: end = baseline)"
    echo "crashes:          $CRASHED (exit status $RC, stderr $(wc -c <"$W/mock.err") bytes)"
    echo "final requests:   HTTP/1.1 h2c TLS: $FINAL"
    echo "verdict:          $VERDICT"
    echo "samples (s rss_kib fds):"
    sed 's/^/  /' "$SAMPLES"
} >"$REPORT"
sed '/^samples/,$d' "$REPORT"
echo "report: $REPORT"
[ "$VERDICT" == pass ]
