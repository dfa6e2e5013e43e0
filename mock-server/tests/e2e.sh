#!/usr/bin/env bash
# e2e.sh - end-to-end tests of h2mock with real clients.
#
# Usage: mock-server/tests/e2e.sh BUILD_DIR
#
# Starts BUILD_DIR/h2mock (the ASan build under `make check`) on a free
# loopback port with TLS, and drives it with the curl CLI in all four
# protocol modes (HTTP/1.1, h2c Upgrade, h2c prior knowledge, TLS with
# ALPN h2 and http/1.1) and with nghttp: ranges (bytes compared with the
# fixture by sha256), 416, HEAD, If-Range, path escapes, the control
# endpoint, every fault action (curl exit code / status / bytes, and the
# log line), startup errors and graceful shutdown.  Every client call has a
# timeout.  A second h2mock with --http1-only checks that it behaves as a
# server without HTTP/2 (decision M14): Upgrade ignored, the preface
# refused with 505, ALPN http/1.1.  Any failed assertion is printed and the
# script exits 1; any sanitizer report from h2mock fails it too.
set -u
B=${1:?usage: e2e.sh BUILD_DIR}
H2MOCK=$B/h2mock
CERT=$B/mock/tls/cert.pem
KEY=$B/mock/tls/key.pem
W=$B/mock/e2e
rm -rf "$W"
mkdir -p "$W/root/sub" "$W/outside"

PASS=0
FAIL=0
T=""
fail() { FAIL=$((FAIL + 1)); echo "FAIL [$T] $*" >&2; }
ok() { PASS=$((PASS + 1)); }
eq() { # eq WHAT EXPECTED ACTUAL
    if [ "$2" == "$3" ]; then ok; else fail "$1: expected '$2', got '$3'"; fi
}
in_set() { # in_set WHAT ACTUAL ALLOWED...
    local what=$1 act=$2
    shift 2
    for a in "$@"; do
        if [ "$a" == "$act" ]; then ok; return; fi
    done
    fail "$what: got '$act', expected one of: $*"
}
has() { # has WHAT FILE FIXED-STRING
    if grep -aqF -- "$3" "$2"; then ok; else
        fail "$1: '$3' not found in $(head -c 600 "$2" | tr '\r\n' '  ')"
    fi
}
hasnt() {
    if grep -aqiF -- "$3" "$2"; then fail "$1: '$3' present"; else ok; fi
}

# ---- fixtures: generated deterministically (AES-CTR keystream) ----------
gen() { # gen FILE BYTES
    head -c "$2" /dev/zero |
        openssl enc -aes-128-ctr -nosalt -K 000102030405060708090a0b0c0d0e0f \
            -iv 00000000000000000000000000000000 2>/dev/null >"$1"
}
gen "$W/root/big.bin" 1048576
gen "$W/root/mid.bin" 262144
gen "$W/root/sub/small.bin" 10000
cp fixtures/mock/hello.txt "$W/root/hello.txt"
echo "secret outside the root" >"$W/outside/secret.txt"
ln -s ../outside/secret.txt "$W/root/escape-link"
ln -s big.bin "$W/root/inside-link"
BIG=$W/root/big.bin
BIGSZ=1048576
MIDSZ=262144
sha() { sha256sum "$1" | cut -d' ' -f1; }
BIGSHA=$(sha "$BIG")
MIDSHA=$(sha "$W/root/mid.bin")
slice() { # slice FILE OFFSET LEN -> stdout
    tail -c +$(($2 + 1)) "$1" | head -c "$3"
}

# ---- startup errors (no server needed) ---------------------------------
T=startup
printf 'match path=/a action=status code=503\nmatch path=/b bogus=1 action=close\n' >"$W/bad1.rules"
"$H2MOCK" --root "$W/root" --port 0 --faults "$W/bad1.rules" >"$W/o" 2>"$W/e"
eq "exit on unknown field" 2 $?
eq "message" "h2mock: $W/bad1.rules:2: unknown field 'bogus'" "$(cat "$W/e")"
printf '# c\n\nmatch path=/a action=explode\n' >"$W/bad2.rules"
"$H2MOCK" --root "$W/root" --faults "$W/bad2.rules" >"$W/o" 2>"$W/e"
eq "exit on unknown action" 2 $?
eq "message" "h2mock: $W/bad2.rules:3: field 'action': unknown action 'explode' (h2mock --list-actions)" "$(cat "$W/e")"
printf 'match path=/a action=throttle rate=fast\n' >"$W/bad3.rules"
"$H2MOCK" --check-faults "$W/bad3.rules" >"$W/o" 2>"$W/e"
eq "exit on bad value" 2 $?
eq "message" "h2mock: $W/bad3.rules:1: field 'rate': bad value 'fast': expected a non-negative integer" "$(cat "$W/e")"
"$H2MOCK" --check-faults fixtures/faults/example.rules >"$W/o" 2>"$W/e"
eq "example rules load" 0 $?
eq "example rules count" "fixtures/faults/example.rules: 7 rules OK" "$(cat "$W/o")"
"$H2MOCK" --port 0 >"$W/o" 2>"$W/e"
eq "missing --root" 2 $?
"$H2MOCK" --help >"$W/o" 2>"$W/e"
eq "--help exit" 0 $?
for f in --root --port --bind --faults --seed --tls-cert --tls-key --log \
    --log-keep --grace-ms --http1-only --list-actions --format \
    --check-faults --help --max-request-line --max-header-bytes \
    --max-headers --max-streams --max-conns --header-timeout-ms \
    --idle-timeout-ms; do
    has "--help documents $f" "$W/o" "  $f"
done

# ---- start the server ----------------------------------------------------
"$H2MOCK" --root "$W/root" --port 0 --seed 7 --tls-cert "$CERT" \
    --tls-key "$KEY" --log "$W/requests.jsonl" --grace-ms 3000 \
    >"$W/stdout" 2>"$W/stderr" &
PID=$!
for _ in $(seq 100); do
    grep -q '^listening on ' "$W/stdout" 2>/dev/null && break
    sleep 0.05
done
LINE=$(head -1 "$W/stdout")
case "$LINE" in
"listening on 127.0.0.1:"[0-9]*) ;;
*)
    echo "FAIL: h2mock did not start: '$LINE'" >&2
    cat "$W/stderr" >&2
    kill "$PID" 2>/dev/null
    exit 1
    ;;
esac
PORT=${LINE##*:}
BASE=http://127.0.0.1:$PORT
SBASE=https://127.0.0.1:$PORT
trap 'kill -9 $PID 2>/dev/null' EXIT

# fetch MODE PATH [curl args...]: sets RC STATUS SIZE; files body, hdr, cerr
fetch() {
    local mode=$1 path=$2 url
    shift 2
    case $mode in
    h1) set -- --http1.1 "$@"; url=$BASE$path ;;
    up) set -- --http2 "$@"; url=$BASE$path ;;
    pk) set -- --http2-prior-knowledge "$@"; url=$BASE$path ;;
    t2) set -- -k --http2 "$@"; url=$SBASE$path ;;
    t1) set -- -k --http1.1 "$@"; url=$SBASE$path ;;
    esac
    rm -f "$W/body" "$W/hdr"
    timeout 20 curl -sS "$@" -D "$W/hdr" -o "$W/body" "$url" 2>"$W/cerr"
    RC=$?
    touch "$W/body" "$W/hdr"
    STATUS=$(grep -a '^HTTP/' "$W/hdr" | tail -1 | cut -d' ' -f2)
    SIZE=$(stat -c %s "$W/body")
}
hdr() { # value of the last response's header $1
    grep -ai "^$1:" "$W/hdr" | tail -1 | cut -d' ' -f2- | tr -d '\r'
}
ctl() { # ctl METHOD PATH [data-file]: control endpoint over HTTP/1.1
    local extra=()
    [ $# -ge 3 ] && extra=(--data-binary "@$3")
    CTL=$(timeout 20 curl -sS --http1.1 -X "$1" "${extra[@]}" \
        -w '\n%{http_code}' "$BASE$2")
    CTLST=${CTL##*$'\n'}
    CTL=${CTL%$'\n'*}
    CTL=${CTL%$'\n'}
}
rules() { # rules 'rule text' : clear, reset, add
    ctl DELETE /_mock/rules
    ctl POST /_mock/reset
    printf '%s\n' "$1" >"$W/rule.txt"
    ctl POST /_mock/rules "$W/rule.txt"
    [ "$CTLST" == 200 ] || fail "rule not accepted: $1 -> $CTLST $CTL"
}
logline() { # logline SEQ -> $W/logline
    sleep 0.1
    timeout 20 curl -sS --http1.1 "$BASE/_mock/log" >"$W/log"
    grep -a "^{\"seq\":$1," "$W/log" >"$W/logline" || true
    [ -s "$W/logline" ] || fail "log: no line with seq $1 in: $(head -c 400 "$W/log")"
}

# ---- static files in every mode ------------------------------------------
for m in h1 up pk t2 t1; do
    T="get/$m"
    fetch $m /big.bin
    eq "curl exit" 0 $RC
    eq "status" 200 "$STATUS"
    eq "sha256" "$BIGSHA" "$(sha "$W/body")"
    eq "content-length" "$BIGSZ" "$(hdr content-length)"
    eq "accept-ranges" bytes "$(hdr accept-ranges)"
    T="range/$m"
    fetch $m /big.bin -r 1000-70999
    eq "status" 206 "$STATUS"
    eq "content-range" "bytes 1000-70999/$BIGSZ" "$(hdr content-range)"
    eq "bytes" "$(slice "$BIG" 1000 70000 | sha256sum | cut -d' ' -f1)" "$(sha "$W/body")"
    fetch $m /big.bin -r -500
    eq "suffix status" 206 "$STATUS"
    eq "suffix range" "bytes $((BIGSZ - 500))-$((BIGSZ - 1))/$BIGSZ" "$(hdr content-range)"
    eq "suffix bytes" "$(tail -c 500 "$BIG" | sha256sum | cut -d' ' -f1)" "$(sha "$W/body")"
    fetch $m /big.bin -r 1048000-
    eq "open range bytes" "$(tail -c 576 "$BIG" | sha256sum | cut -d' ' -f1)" "$(sha "$W/body")"
    T="416/$m"
    fetch $m /big.bin -r 2000000-
    eq "status" 416 "$STATUS"
    eq "content-range" "bytes */$BIGSZ" "$(hdr content-range)"
    eq "no body" 0 "$SIZE"
    T="head/$m"
    fetch $m /big.bin -I
    eq "status" 200 "$STATUS"
    eq "content-length" "$BIGSZ" "$(hdr content-length)"
    # curl -I writes the headers as the output: nothing else may follow
    eq "no body" "$(sha "$W/hdr")" "$(sha "$W/body")"
    [ -n "$(hdr etag)" ] && ok || fail "etag missing"
    [ -n "$(hdr last-modified)" ] && ok || fail "last-modified missing"
    T="multi/$m"
    fetch $m /sub/small.bin -r 0-9,100-109
    eq "status" 206 "$STATUS"
    CT=$(hdr content-type)
    BND=${CT#multipart/byteranges; boundary=}
    {
        printf -- '--%s\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes 0-9/10000\r\n\r\n' "$BND"
        slice "$W/root/sub/small.bin" 0 10
        printf -- '\r\n--%s\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes 100-109/10000\r\n\r\n' "$BND"
        slice "$W/root/sub/small.bin" 100 10
        printf -- '\r\n--%s--\r\n' "$BND"
    } >"$W/expect"
    eq "multipart body" "$(sha "$W/expect")" "$(sha "$W/body")"
    eq "multipart length" "$(stat -c %s "$W/expect")" "$(hdr content-length)"
done

T=if-range
fetch h1 /big.bin -I
ETAG=$(hdr etag)
LM=$(hdr last-modified)
fetch h1 /big.bin -r 0-99 -H "If-Range: $ETAG"
eq "matching etag -> 206" 206 "$STATUS"
eq "bytes" 100 "$SIZE"
fetch pk /big.bin -r 0-99 -H 'If-Range: "other"'
eq "other etag -> 200" 200 "$STATUS"
eq "whole file" "$BIGSHA" "$(sha "$W/body")"
fetch up /big.bin -r 0-99 -H "If-Range: $LM"
eq "matching date -> 206" 206 "$STATUS"
fetch h1 /big.bin -r 0-99 -H 'If-Range: Mon, 01 Jan 2001 00:00:00 GMT'
eq "other date -> 200" 200 "$STATUS"

T=errors
fetch h1 /nope.bin
eq "404" 404 "$STATUS"
fetch pk /nope.bin
eq "404 h2" 404 "$STATUS"
fetch h1 /big.bin -X POST -d x
eq "405" 405 "$STATUS"
eq "allow" "GET, HEAD" "$(hdr allow)"
fetch t2 /big.bin -X DELETE
eq "405 h2" 405 "$STATUS"
fetch h1 /sub/
eq "directory -> 404" 404 "$STATUS"

T=escape
for m in h1 pk; do
    fetch $m /../outside/secret.txt --path-as-is
    eq "$m dotdot" 400 "$STATUS"
    fetch $m /%2e%2e/outside/secret.txt --path-as-is
    eq "$m %2e%2e" 400 "$STATUS"
    fetch $m /sub/%2E%2E/%2e%2e/outside/secret.txt --path-as-is
    eq "$m nested %2E%2E" 400 "$STATUS"
    fetch $m /sub/..%2f..%2foutside/secret.txt --path-as-is
    eq "$m ..%2f" 400 "$STATUS"
    fetch $m /escape-link
    eq "$m symlink out" 404 "$STATUS"
    hasnt "$m no secret" "$W/body" "secret outside"
    fetch $m /inside-link
    eq "$m symlink inside" 200 "$STATUS"
    fetch $m /%00x
    eq "$m NUL" 400 "$STATUS"
done

T=nghttp
timeout 20 nghttp "$BASE/big.bin" >"$W/ng" 2>"$W/ngerr"
eq "nghttp exit" 0 $?
eq "nghttp h2c bytes" "$BIGSHA" "$(sha "$W/ng")"
timeout 20 nghttp -u "$BASE/big.bin" >"$W/ng" 2>"$W/ngerr"
eq "nghttp upgrade bytes" "$BIGSHA" "$(sha "$W/ng")"
timeout 20 nghttp "$SBASE/big.bin" >"$W/ng" 2>"$W/ngerr"
eq "nghttp tls bytes" "$BIGSHA" "$(sha "$W/ng")"
timeout 20 nghttp -H 'range: bytes=5-14' "$BASE/big.bin" >"$W/ng" 2>"$W/ngerr"
eq "nghttp range" "$(slice "$BIG" 5 10 | sha256sum | cut -d' ' -f1)" "$(sha "$W/ng")"
timeout 20 nghttp -v -H 'range: bytes=99999999-' "$BASE/big.bin" >"$W/ng" 2>&1
has "nghttp 416" "$W/ng" ":status: 416"
has "nghttp 416 range" "$W/ng" "content-range: bytes */$BIGSZ"

# ---- control endpoint ---------------------------------------------------
T=control
ctl DELETE /_mock/rules
eq "delete" 200 "$CTLST"
ctl POST /_mock/reset
eq "reset" 200 "$CTLST"
eq "reset text" "reset" "$CTL"
printf 'match path=/x.bin action=status code=500\nmatch path=/y.bin bogus=1 action=close\n' >"$W/r"
ctl POST /_mock/rules "$W/r"
eq "bad rule -> 400" 400 "$CTLST"
eq "bad rule text" "control:2: unknown field 'bogus'" "$CTL"
ctl GET /_mock/rules
eq "nothing added (all or none)" "" "$CTL"
printf '# two rules\nmatch name=five path=/x.bin action=status code=500\nmatch glob=/*.txt method=HEAD action=no-validators\n' >"$W/r"
ctl POST /_mock/rules "$W/r"
eq "add" 200 "$CTLST"
eq "add text" "added 2 rules" "$CTL"
ctl GET /_mock/rules
eq "list" "# five seen=0 fired=0
match name=five path=/x.bin action=status code=500
# r2 seen=0 fired=0
match glob=/*.txt method=HEAD action=no-validators" "$CTL"
fetch h1 /x.bin
eq "rule fired" 500 "$STATUS"
ctl GET /_mock/rules
has "counters" <(echo "$CTL") "# five seen=1 fired=1"
ctl DELETE /_mock/rules
eq "clear text" "cleared 2 rules" "$CTL"
ctl GET /_mock/nothing
eq "unknown control path" 404 "$CTLST"
ctl PUT /_mock/rules
eq "wrong method" 405 "$CTLST"
ctl POST /_mock/reset
fetch up /big.bin -r 100-199 -H 'X-Test: one'
logline 1
has "log proto" "$W/logline" '"proto":"h2c-upgrade"'
has "log method" "$W/logline" '"method":"GET"'
has "log path" "$W/logline" '"path":"/big.bin"'
has "log range header" "$W/logline" '["Range","bytes=100-199"]'
has "log custom header" "$W/logline" '["X-Test","one"]'
has "log status" "$W/logline" '"status":206'
has "log bytes" "$W/logline" '"bytes":100,'
has "log rule" "$W/logline" '"rule":null'
has "log outcome" "$W/logline" '"outcome":"complete","done":true'
has "log conn" "$W/logline" '"tls":false,"conn":'
hasnt "control requests not logged" "$W/log" '/_mock/'
fetch pk /hello.txt -H 'X-Test: two'
logline 2
has "log h2c" "$W/logline" '"proto":"h2c"'
has "log pseudo headers" "$W/logline" '[":path","/hello.txt"]'
has "log h2 header" "$W/logline" '["x-test","two"]'
fetch t2 /hello.txt
logline 3
has "log tls" "$W/logline" '"proto":"h2","tls":true'
fetch t1 /hello.txt
logline 4
has "log https/1.1" "$W/logline" '"proto":"https/1.1","tls":true'
timeout 20 curl -sS --http1.1 "$BASE/_mock/log?since=3" >"$W/since"
eq "since=3" 1 "$(wc -l <"$W/since")"
has "--log file" "$W/requests.jsonl" '"path":"/hello.txt"'

# ---- faults ----------------------------------------------------------------
T=status
rules 'match path=/big.bin nth=2 action=status code=503 header="Retry-After: 2"'
fetch h1 /big.bin
eq "1st request" 200 "$STATUS"
fetch pk /big.bin
eq "2nd request" 503 "$STATUS"
eq "retry-after" 2 "$(hdr retry-after)"
eq "body" "mock: status 503" "$(cat "$W/body")"
fetch h1 /big.bin
eq "3rd request" 200 "$STATUS"
logline 2
has "log status" "$W/logline" '"status":503'
has "log rule" "$W/logline" '"rule":"r1","actions":"status"'
rules 'match path=/big.bin action=status code=407 header="Proxy-Authenticate: Basic realm=x"'
fetch t2 /big.bin
eq "407" 407 "$STATUS"
eq "proxy-authenticate" "Basic realm=x" "$(hdr proxy-authenticate)"
rules 'match path=/big.bin action=status code=204'
fetch h1 /big.bin
eq "204" 204 "$STATUS"
eq "204 body" 0 "$SIZE"

T=redirect
rules 'match path=/old.bin action=redirect code=301 location=/mid.bin'
fetch h1 /old.bin
eq "301" 301 "$STATUS"
eq "location" /mid.bin "$(hdr location)"
fetch h1 /old.bin -L
eq "followed" 200 "$STATUS"
eq "followed bytes" "$MIDSHA" "$(sha "$W/body")"
printf 'match path=/a action=redirect code=307 location=/b\nmatch path=/b action=redirect code=308 location=/mid.bin\n' >"$W/r"
ctl POST /_mock/rules "$W/r"
fetch up /a -L
eq "chain" 200 "$STATUS"
eq "chain bytes" "$MIDSHA" "$(sha "$W/body")"
eq "chain hops" 3 "$(grep -ac '^HTTP/2 ' "$W/hdr")"
rules 'match path=/loop action=redirect location=/loop'
fetch h1 /loop -L --max-redirs 3
eq "loop: curl exit 47" 47 $RC
logline 4
has "loop logged 4 times" "$W/logline" '"status":302'

T=delay
rules 'match path=/hello.txt action=delay ms=700'
fetch pk /hello.txt
START=$(cut -d' ' -f1 <<<"$(timeout 20 curl -s --http2-prior-knowledge -o /dev/null -w '%{time_starttransfer}' "$BASE/hello.txt")")
awk -v t="$START" 'BEGIN{exit !(t >= 0.7 && t < 3)}' && ok || fail "headers after $START s, expected >= 0.7"
eq "status" 200 "$STATUS"

T=chunk-delay
rules 'match path=/mid.bin action=chunk-delay ms=150 size=65536'
TT=$(timeout 20 curl -s --http1.1 -o "$W/body" -w '%{time_total}' "$BASE/mid.bin")
eq "bytes" "$MIDSHA" "$(sha "$W/body")"
awk -v t="$TT" 'BEGIN{exit !(t >= 0.45)}' && ok || fail "took $TT s, expected >= 0.45 (3 pauses)"
TT=$(timeout 20 curl -s --http2 -o "$W/body" -w '%{time_total}' "$BASE/mid.bin")
eq "bytes h2" "$MIDSHA" "$(sha "$W/body")"
awk -v t="$TT" 'BEGIN{exit !(t >= 0.45)}' && ok || fail "h2 took $TT s, expected >= 0.45"

T=throttle
rules 'match path=/mid.bin action=throttle rate=200000'
for m in h1 pk; do
    TT=$(timeout 20 curl -s $([ $m = h1 ] && echo --http1.1 || echo --http2-prior-knowledge) -o "$W/body" -w '%{time_total}' "$BASE/mid.bin")
    eq "$m bytes" "$MIDSHA" "$(sha "$W/body")"
    # (262144 - 10000 burst) / 200000 B/s = 1.26 s
    awk -v t="$TT" 'BEGIN{exit !(t >= 1.1 && t < 4)}' && ok || fail "$m took $TT s, expected ~1.26"
done

T=stall
rules 'match path=/big.bin action=stall after=1000'
for m in h1 up pk t2; do
    ctl POST /_mock/reset
    fetch $m /big.bin --max-time 1
    eq "$m curl exit 28" 28 $RC
    eq "$m status" 200 "$STATUS"
    eq "$m bytes before stall" 1000 "$SIZE"
    eq "$m bytes are the file's" "$(head -c 1000 "$BIG" | sha256sum | cut -d' ' -f1)" "$(sha "$W/body")"
    logline 1
    has "$m log" "$W/logline" '"bytes":1000,'
    has "$m log outcome" "$W/logline" '"outcome":"stalled"'
done

T=close
rules 'match path=/big.bin action=close after=65536'
fetch h1 /big.bin
eq "h1 curl exit 18" 18 $RC
eq "h1 bytes" 65536 "$SIZE"
logline 1
has "log" "$W/logline" '"bytes":65536,'
has "log outcome" "$W/logline" '"rule":"r1","actions":"close","outcome":"closed"'
for m in up pk t2; do
    fetch $m /big.bin
    in_set "$m curl exit" $RC 16 18 56 92
    [ "$SIZE" -le 65536 ] && ok || fail "$m got $SIZE bytes > 65536"
done
rules 'match path=/big.bin action=close'
fetch h1 /big.bin
eq "before headers: curl exit 52" 52 $RC
fetch pk /big.bin
in_set "h2 before headers" $RC 16 18 52 56 92
logline 1
has "log status 0" "$W/logline" '"status":0,"bytes":0,'

T=reset
rules 'match path=/big.bin action=reset after=4096'
fetch h1 /big.bin
in_set "h1 curl exit" $RC 56 18
logline 1
has "log outcome" "$W/logline" '"outcome":"reset"'
fetch pk /big.bin
in_set "h2 curl exit" $RC 55 56 16 18 92
fetch t1 /big.bin
in_set "tls curl exit" $RC 56 18 35
rules 'match path=/big.bin action=reset'
fetch h1 /big.bin
in_set "before headers" $RC 56 52

T=rst-stream
rules 'match path=/big.bin action=rst-stream code=CANCEL after=16384'
for m in up pk t2; do
    fetch $m /big.bin
    eq "$m curl exit 92" 92 $RC
    has "$m message" "$W/cerr" "was not closed cleanly: CANCEL (err 8)"
    # curl 7.88.1 may drop its last buffered chunk on a reset stream
    [ "$SIZE" -le 16384 ] && ok || fail "$m got $SIZE bytes > 16384"
done
logline 3
has "log" "$W/logline" '"bytes":16384,'
has "log outcome" "$W/logline" '"actions":"rst-stream","outcome":"rst-stream"'
rules 'match path=/big.bin action=rst-stream code=PROTOCOL_ERROR'
fetch pk /big.bin
eq "before headers: curl exit 92" 92 $RC
has "message" "$W/cerr" "PROTOCOL_ERROR (err 1)"
timeout 20 nghttp -v "$BASE/big.bin" >"$W/ng" 2>&1
has "nghttp sees RST_STREAM" "$W/ng" "recv RST_STREAM frame <length=4, flags=0x00"
has "nghttp error code" "$W/ng" "(error_code=PROTOCOL_ERROR(0x01))"
rules 'match path=/big.bin action=rst-stream after=100'
fetch h1 /big.bin
eq "h1: connection closed, curl exit 18" 18 $RC
eq "h1 bytes" 100 "$SIZE"

T=goaway
rules 'match path=/big.bin action=goaway'
timeout 20 nghttp -v "$BASE/big.bin" >"$W/ng" 2>&1
has "nghttp GOAWAY" "$W/ng" "recv GOAWAY frame"
has "nghttp GOAWAY code" "$W/ng" "error_code=NO_ERROR(0x00), opaque_data(0)=[])"
fetch pk /big.bin
eq "graceful: curl exit" 0 $RC
eq "graceful: bytes" "$BIGSHA" "$(sha "$W/body")"
fetch h1 /big.bin
eq "h1 graceful" 0 $RC
eq "h1 connection: close" close "$(hdr connection)"
rules 'match path=/big.bin action=goaway code=ENHANCE_YOUR_CALM last-stream=0 after=32768'
timeout 20 nghttp -v "$BASE/big.bin" >"$W/ng" 2>&1
has "nghttp GOAWAY error" "$W/ng" "(last_stream_id=0, error_code=ENHANCE_YOUR_CALM(0x0b), opaque_data(0)=[])"
fetch pk /big.bin
in_set "error goaway: curl exit" $RC 16 18 92 56
fetch up /big.bin
in_set "error goaway (upgrade): curl exit" $RC 16 18 92 56
logline 3
has "log" "$W/logline" '"outcome":"goaway"'

T=bad-length
rules 'match path=/mid.bin action=bad-length delta=100'
fetch h1 /mid.bin
eq "longer, h1: curl exit 18" 18 $RC
eq "h1 declared" $((MIDSZ + 100)) "$(hdr content-length)"
eq "h1 bytes" $MIDSZ "$SIZE"
fetch pk /mid.bin
in_set "longer, h2: curl exit" $RC 16 18 92
rules 'match path=/mid.bin action=bad-length delta=-100'
fetch h1 /mid.bin
eq "shorter, h1: curl exit" 0 $RC
eq "shorter, h1: bytes" $((MIDSZ - 100)) "$SIZE"
fetch t2 /mid.bin
in_set "shorter, h2: curl exit" $RC 16 18 92
logline 2
has "log" "$W/logline" "\"bytes\":$MIDSZ,\"length\":$((MIDSZ - 100)),"

T=no-length
rules 'match path=/mid.bin action=no-length'
for m in h1 up t2; do
    fetch $m /mid.bin
    eq "$m curl exit" 0 $RC
    eq "$m no content-length" "" "$(hdr content-length)"
    eq "$m bytes" "$MIDSHA" "$(sha "$W/body")"
done
fetch h1 /mid.bin -I
eq "HEAD without length" "" "$(hdr content-length)"

T=ignore-range
rules 'match path=/mid.bin action=ignore-range'
for m in h1 pk; do
    fetch $m /mid.bin -r 100-199
    eq "$m status" 200 "$STATUS"
    eq "$m bytes" "$MIDSHA" "$(sha "$W/body")"
done
fetch h1 /mid.bin -C 100
eq "resume: curl exit 33" 33 $RC

T=bad-content-range
rules 'match path=/mid.bin action=bad-content-range shift=100'
fetch up /mid.bin -r 100-199
eq "status" 206 "$STATUS"
eq "content-range" "bytes 200-299/$MIDSZ" "$(hdr content-range)"
eq "bytes" "$(slice "$W/root/mid.bin" 100 100 | sha256sum | cut -d' ' -f1)" "$(sha "$W/body")"
fetch h1 /mid.bin -C 100
eq "resume: curl exit 33" 33 $RC

T=change-content
rules 'match path=/mid.bin action=change-content'
fetch h1 /mid.bin
E1=$(hdr etag)
S1=$(sha "$W/body")
fetch pk /mid.bin
E2=$(hdr etag)
S2=$(sha "$W/body")
[ "$S1" != "$MIDSHA" ] && [ "$S2" != "$MIDSHA" ] && [ "$S1" != "$S2" ] && ok || fail "bytes did not change ($S1 $S2)"
[ "$E1" != "$E2" ] && ok || fail "etag did not change ($E1 $E2)"
case "$E2" in *-v2\") ok ;; *) fail "etag $E2 should end in -v2" ;; esac
eq "version 2 = bytes xor 2" "$(python3 -c 'import sys;d=open(sys.argv[1],"rb").read();sys.stdout.buffer.write(bytes(b^2 for b in d))' "$W/root/mid.bin" | sha256sum | cut -d' ' -f1)" "$S2"

T=no-validators
rules 'match path=/mid.bin action=no-validators'
fetch t1 /mid.bin
eq "status" 200 "$STATUS"
eq "no etag" "" "$(hdr etag)"
eq "no last-modified" "" "$(hdr last-modified)"
fetch h1 /mid.bin -r 0-9 -H "If-Range: $ETAG"
eq "If-Range never matches" 200 "$STATUS"

T=garbage
rules 'match path=/mid.bin action=garbage size=64'
fetch h1 /mid.bin
in_set "h1 curl exit" $RC 1 8
fetch pk /mid.bin
in_set "h2 curl exit" $RC 16 52
logline 2
has "log" "$W/logline" '"status":0,"bytes":0,'
has "log outcome" "$W/logline" '"outcome":"garbage"'
rules 'match path=/mid.bin action=garbage size=64 at=body'
fetch h1 /mid.bin
eq "h1 body: curl exit 18" 18 $RC
eq "h1 body: status" 200 "$STATUS"
eq "h1 body: 64 bytes" 64 "$SIZE"
fetch up /mid.bin
in_set "h2 body: curl exit" $RC 16 52 92

T=http10
rules 'match path=/mid.bin action=http10'
fetch h1 /mid.bin
eq "curl exit" 0 $RC
eq "status line" "HTTP/1.0 200 OK" "$(grep -a '^HTTP/' "$W/hdr" | tr -d '\r')"
eq "bytes" "$MIDSHA" "$(sha "$W/body")"

T=part-header
rules 'match path=/sub/small.bin action=part-header header="X-Pad: abc"'
fetch h1 /sub/small.bin -r 0-9,20-29
eq "status" 206 "$STATUS"
eq "two parts carry it" 2 "$(grep -ac 'X-Pad: abc' "$W/body")"

T=matching
rules 'match glob=/*.bin proto=h2 method=GET action=status code=500'
fetch h1 /mid.bin
eq "proto=h2 skips h1" 200 "$STATUS"
fetch pk /mid.bin -I
eq "method=GET skips HEAD" 200 "$STATUS"
fetch t2 /mid.bin
eq "fires on h2 GET" 500 "$STATUS"
fetch pk /sub/small.bin
eq "glob * crosses /" 500 "$STATUS"
rules 'match prefix=/sub/ tls=yes action=status code=501'
fetch up /sub/small.bin
eq "tls=yes skips cleartext" 200 "$STATUS"
fetch t1 /sub/small.bin
eq "prefix + tls" 501 "$STATUS"
rules 'match path=/mid.bin offset=100 action=status code=502'
fetch h1 /mid.bin -r 0-
eq "offset 0 not 100" 206 "$STATUS"
fetch h1 /mid.bin -C 100
eq "offset 100" 502 "$STATUS"
rules 'match path=/mid.bin offset=none action=status code=502'
fetch h1 /mid.bin -r 5-
eq "offset=none skips ranges" 206 "$STATUS"
fetch h1 /mid.bin
eq "offset=none" 502 "$STATUS"
rules 'match path=/hello.txt times=2 action=status code=503'
SEQ=""
for _ in 1 2 3; do fetch h1 /hello.txt; SEQ="$SEQ$STATUS "; done
eq "times=2" "503 503 200 " "$SEQ"
rules 'match path=/hello.txt prob=0.5 action=status code=503'
A=""
for _ in $(seq 12); do fetch h1 /hello.txt; A="$A${STATUS:0:1}"; done
ctl POST /_mock/reset
B2=""
for _ in $(seq 12); do fetch pk /hello.txt; B2="$B2${STATUS:0:1}"; done
eq "prob is seeded: same sequence after reset" "$A" "$B2"
case "$A" in *5*2* | *2*5*) ok ;; *) fail "prob=0.5 gave $A" ;; esac

# ---- shutdown --------------------------------------------------------------
T=shutdown
kill -TERM "$PID"
wait "$PID"
RCS=$?
trap - EXIT
eq "exit status after SIGTERM" 0 $RCS
if grep -aqE 'AddressSanitizer|LeakSanitizer|runtime error|UndefinedBehavior' "$W/stderr"; then
    fail "sanitizer report from h2mock:"
    cat "$W/stderr" >&2
else
    ok
fi
eq "stderr empty" "" "$(cat "$W/stderr")"
eq "one stdout line" 1 "$(wc -l <"$W/stdout")"

# ---- --http1-only: a server without HTTP/2 (decision M14) ----------------
T=http1-only
# another h2mock for a section of its own: ARGS... -> PID2, BASE, SBASE
start_other() {
    "$H2MOCK" --root "$W/root" --port 0 --grace-ms 0 "$@" \
        >"$W/stdout2" 2>"$W/stderr2" &
    PID2=$!
    trap 'kill -9 $PID2 2>/dev/null' EXIT
    for _ in $(seq 100); do
        grep -q '^listening on ' "$W/stdout2" 2>/dev/null && break
        sleep 0.05
    done
    LINE=$(head -1 "$W/stdout2")
    PORT=${LINE##*:}
    BASE=http://127.0.0.1:$PORT
    SBASE=https://127.0.0.1:$PORT
}
stop_other() { # SIGTERM: exit 0, nothing on stderr
    kill -TERM "$PID2"
    wait "$PID2"
    eq "exit status after SIGTERM" 0 $?
    trap - EXIT
    eq "stderr empty" "" "$(cat "$W/stderr2")"
}
start_other --http1-only --tls-cert "$CERT" --tls-key "$KEY"
# curl --http2 sends Upgrade: h2c; the answer is HTTP/1.1 200, no 101
fetch up /big.bin
eq "upgrade: curl exit" 0 $RC
eq "upgrade: status line" "HTTP/1.1 200 OK" "$(head -1 "$W/hdr" | tr -d '\r')"
eq "upgrade: one header block (no 101)" 1 "$(grep -ac '^HTTP/' "$W/hdr")"
eq "upgrade: sha256" "$BIGSHA" "$(sha "$W/body")"
logline 1
has "upgrade: log proto" "$W/logline" '"proto":"http/1.1","tls":false,"conn":1,'
has "upgrade: log Upgrade header" "$W/logline" '["Upgrade","h2c"]'
has "upgrade: log status" "$W/logline" "\"status\":200,\"bytes\":$BIGSZ,"
# two requests of one curl: the same keep-alive connection, both HTTP/1.1
rm -f "$W/k1" "$W/k2"
timeout 20 curl -sS --http2 -o "$W/k1" "$BASE/mid.bin" -o "$W/k2" \
    "$BASE/big.bin" 2>"$W/cerr"
eq "keep-alive: curl exit" 0 $?
eq "keep-alive: first sha256" "$MIDSHA" "$(sha "$W/k1")"
eq "keep-alive: second sha256" "$BIGSHA" "$(sha "$W/k2")"
# (connection ids count every connection, the log reads' too)
conn_of() { grep -ao '"tls":false,"conn":[0-9]*,' "$W/logline"; }
logline 1
C1=$(conn_of)
logline 2
C2=$(conn_of)
logline 3
eq "keep-alive: both requests on one connection" "$C2" "$(conn_of)"
[ -n "$C2" ] && [ "$C2" != "$C1" ] && ok ||
    fail "keep-alive: connection '$C2' must be new (first was '$C1')"
has "keep-alive: HTTP/1.1" "$W/logline" '"proto":"http/1.1","tls":false,'
# prior knowledge: the preface is an HTTP/2.0 request line -> 505, close
exec 3<>"/dev/tcp/127.0.0.1/$PORT"
printf 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\0\4\0\0\0\0\0' >&3
timeout 5 cat <&3 >"$W/raw"
exec 3<&-
{
    printf 'HTTP/1.1 505 HTTP Version Not Supported\r\n'
    printf 'content-type: text/plain\r\ncontent-length: 27\r\n'
    printf 'connection: close\r\n\r\nHTTP version not supported\n'
} >"$W/expect"
eq "preface: exact 505 answer" "$(sha "$W/expect")" "$(sha "$W/raw")"
# curl 7.88.1 reads those bytes as HTTP/2 frames and gives up
fetch pk /hello.txt
eq "prior knowledge: curl exit (empty reply)" 52 $RC
eq "prior knowledge: no status" "" "$STATUS"
timeout 20 curl -sS --http1.1 "$BASE/_mock/log" >"$W/log"
eq "prior knowledge: not logged" 3 "$(wc -l <"$W/log")"
# TLS: curl offers h2,http/1.1; ALPN picks http/1.1
rm -f "$W/body"
timeout 20 curl -sSk --http2 -v -o "$W/body" -w '%{http_version}' \
    "$SBASE/big.bin" >"$W/ver" 2>"$W/cerr"
eq "alpn: curl exit" 0 $?
eq "alpn: http version" "1.1" "$(cat "$W/ver")"
has "alpn: server accepted" "$W/cerr" "ALPN: server accepted http/1.1"
eq "alpn: sha256" "$BIGSHA" "$(sha "$W/body")"
logline 4
has "alpn: log proto" "$W/logline" '"proto":"https/1.1","tls":true,'
# nghttp, which only speaks HTTP/2, gets no HTTP/2 server
timeout 20 nghttp "$SBASE/hello.txt" >"$W/ng" 2>&1
has "nghttp over TLS: no h2" "$W/ng" "HTTP/2 protocol was not selected"
stop_other

# ---- limits (decision M15) ------------------------------------------------
T=limits
"$H2MOCK" --root "$W/root" --max-streams 0 >"$W/o" 2>"$W/e"
eq "--max-streams 0: exit" 2 $?
eq "--max-streams 0: message" \
    "h2mock: --max-streams 0: expected 1..2147483646" "$(cat "$W/e")"
ms() { date +%s%3N; }
start_other --max-request-line 100 --max-streams 2 \
    --header-timeout-ms 1500 --idle-timeout-ms 1000
fetch h1 "/$(head -c 120 /dev/zero | tr '\0' a)"
eq "414: status" 414 "$STATUS"
has "414: connection closes" "$W/hdr" "connection: close"
timeout 20 nghttp -nv "$BASE/hello.txt" >"$W/ng" 2>&1
has "h2: SETTINGS_MAX_CONCURRENT_STREAMS advertised" "$W/ng" \
    "[SETTINGS_MAX_CONCURRENT_STREAMS(0x03):2]"
# a client sending its head one byte a second gets 408 after 1.5 s, and
# another client is served meanwhile
exec 5<>"/dev/tcp/127.0.0.1/$PORT"
T0=$(ms)
(for c in G E T ' ' / h e l l o; do printf %s "$c"; sleep 1; done) \
    >&5 2>/dev/null &
WRITER=$!
fetch h1 /hello.txt
eq "served beside a slow client" 200 "$STATUS"
timeout 10 cat <&5 >"$W/slow"
EL=$(($(ms) - T0))
exec 5<&-
kill "$WRITER" 2>/dev/null
wait "$WRITER" 2>/dev/null
eq "slow head: 408 and close" "HTTP/1.1 408 Request Timeout" \
    "$(head -1 "$W/slow" | tr -d '\r')"
[ "$EL" -ge 1400 ] && [ "$EL" -lt 5000 ] && ok ||
    fail "slow head: closed after $EL ms, expected about 1500"
# a keep-alive connection idle for 1 s is closed
exec 5<>"/dev/tcp/127.0.0.1/$PORT"
printf 'GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n' >&5
T0=$(ms)
timeout 10 cat <&5 >"$W/idle"
EL=$(($(ms) - T0))
exec 5<&-
has "idle: answered" "$W/idle" "connection: keep-alive"
[ "$EL" -ge 900 ] && [ "$EL" -lt 5000 ] && ok ||
    fail "idle: closed after $EL ms, expected about 1000"
stop_other
# the connection cap: the longest-idle connection (here a slow client
# mid-head) makes room for a new one; with every slot serving, a new
# connection is closed at once
start_other --max-conns 3 --header-timeout-ms 60000
for fd in 6 7 8; do
    eval "exec $fd<>/dev/tcp/127.0.0.1/$PORT"
    printf 'GET /hel' >&$fd
    sleep 0.2
done
fetch h1 /hello.txt
eq "cap: a new client gets a slot" 200 "$STATUS"
timeout 5 cat <&6 >"$W/evicted"
eq "cap: the oldest slow client was closed (EOF)" 0 $?
eq "cap: ... without an answer" 0 "$(wc -c <"$W/evicted")"
timeout 1 cat <&7 >/dev/null
eq "cap: the next one still waits" 124 $?
exec 6<&- 7<&- 8<&-
printf 'match path=/mid.bin action=stall after=1000\n' >"$W/r"
ctl POST /_mock/rules "$W/r"
CURLS=""
for _ in 1 2 3; do
    timeout 20 curl -sS --http1.1 -o /dev/null "$BASE/mid.bin" 2>/dev/null &
    CURLS="$CURLS $!"
done
sleep 1.5
fetch h1 /hello.txt
in_set "cap: all slots serving, the new connection is closed" "$RC" 52 56
kill $CURLS 2>/dev/null
wait $CURLS 2>/dev/null
sleep 0.3
fetch h1 /hello.txt
eq "cap: room again once they are gone" 200 "$STATUS"
stop_other

echo "e2e: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
