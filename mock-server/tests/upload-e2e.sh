#!/usr/bin/env bash
# upload-e2e.sh - end-to-end tests of h2mock's uploads with curl as the
# client: the BITS Upload Protocol (BITS_POST) over HTTP/1.1, h2c (prior
# knowledge) and TLS (h2 and http/1.1), plain PUT, upload-reply replies,
# every upload fault row of docs/faults.md, the control listing and the
# request log, session timeout and confinement of the upload directory.
#
# Usage: mock-server/tests/upload-e2e.sh BUILD_DIR
#
# Every finished upload is compared with its source by sha256sum; every
# Ack by its exact status and BITS headers.  Any failed assertion is
# printed and the script exits 1; a sanitizer report from h2mock too.
set -u
B=${1:?usage: upload-e2e.sh BUILD_DIR}
H2MOCK=$B/h2mock
CERT=$B/mock/tls/cert.pem
KEY=$B/mock/tls/key.pem
W=$B/mock/upload-e2e
rm -rf "$W"
mkdir -p "$W/root" "$W/up/d" "$W/up/r" "$W/outside" "$W/src"
GUID='{7df0354d-249b-430f-820d-3d2a9bef4931}'

PASS=0
FAIL=0
T=""
fail() { FAIL=$((FAIL + 1)); echo "FAIL [$T] $*" >&2; }
ok() { PASS=$((PASS + 1)); }
eq() { # eq WHAT EXPECTED ACTUAL
    if [ "$2" == "$3" ]; then ok; else fail "$1: expected '$2', got '$3'"; fi
}
sha() { sha256sum "$1" | cut -d' ' -f1; }
gen() { # gen FILE BYTES: deterministic bytes (AES-CTR keystream)
    head -c "$2" /dev/zero |
        openssl enc -aes-128-ctr -nosalt -K 000102030405060708090a0b0c0d0e0f \
            -iv 00000000000000000000000000000000 2>/dev/null >"$1"
}
slice() { tail -c +$(($2 + 1)) "$1" | head -c "$3"; }

gen "$W/src/a.bin" 300000
gen "$W/src/big.bin" 67108864
echo "hello reply" >"$W/root/hello.txt"
ln -s ../outside "$W/up/esc"

start() { # start LOGFILE ARGS...: h2mock -> PID, BASE, SBASE
    local out=$W/stdout.$1
    shift
    "$H2MOCK" --root "$W/root" --port 0 --tls-cert "$CERT" --tls-key "$KEY" \
        --grace-ms 0 "$@" >"$out" 2>>"$W/stderr" &
    PID=$!
    for _ in $(seq 100); do
        grep -q '^listening on ' "$out" 2>/dev/null && break
        sleep 0.05
    done
    local line
    line=$(head -1 "$out")
    case "$line" in
    "listening on 127.0.0.1:"[0-9]*) ;;
    *)
        echo "FAIL: h2mock did not start: '$line'" >&2
        cat "$W/stderr" >&2
        exit 1
        ;;
    esac
    BASE=http://127.0.0.1:${line##*:}
    SBASE=https://127.0.0.1:${line##*:}
}
stop() {
    kill -TERM "$PID"
    wait "$PID"
    eq "exit status after SIGTERM" 0 $?
}

# bits MODE PATH TYPE [curl args...]: one BITS_POST; sets RC STATUS and
# $W/hdr, $W/body.  Without a body, Content-Length: 0 is sent.
bits() {
    local mode=$1 path=$2 type=$3 url
    shift 3
    case $mode in
    h1) set -- --http1.1 "$@"; url=$BASE$path ;;
    up) set -- --http2 "$@"; url=$BASE$path ;;
    pk) set -- --http2-prior-knowledge "$@"; url=$BASE$path ;;
    t2) set -- -k --http2 "$@"; url=$SBASE$path ;;
    t1) set -- -k --http1.1 "$@"; url=$SBASE$path ;;
    esac
    case " $* " in
    *" --data-binary "*) ;;
    *) set -- "$@" -H 'Content-Length: 0' ;;
    esac
    rm -f "$W/body" "$W/hdr"
    timeout 20 curl -sS -X BITS_POST -H "BITS-Packet-Type: $type" \
        -H 'Content-Type:' "$@" -D "$W/hdr" -o "$W/body" "$url" 2>"$W/cerr"
    RC=$?
    touch "$W/body" "$W/hdr"
    STATUS=$(grep -a '^HTTP/' "$W/hdr" | tail -1 | cut -d' ' -f2)
}
hdr() { grep -ai "^$1:" "$W/hdr" | tail -1 | cut -d' ' -f2- | tr -d '\r'; }
create() { # create MODE PATH [args]: -> SID
    bits "$1" "$2" Create-Session -H "BITS-Supported-Protocols: $GUID" \
        "${@:3}"
    SID=$(hdr bits-session-id)
}
frag() { # frag MODE PATH FILE FIRST LEN [args]: the bytes [FIRST, +LEN)
    local size
    size=$(stat -c %s "$3")
    slice "$3" "$4" "$5" >"$W/frag"
    bits "$1" "$2" Fragment -H "BITS-Session-Id: $SID" \
        -H "Content-Range: bytes $4-$(($4 + $5 - 1))/$size" \
        --data-binary "@$W/frag" "${@:6}"
}
ctl() { # ctl METHOD PATH [data-file]
    local extra=()
    [ $# -ge 3 ] && extra=(--data-binary "@$3")
    CTL=$(timeout 20 curl -sS --http1.1 -X "$1" "${extra[@]}" \
        -w '\n%{http_code}' "$BASE$2")
    CTLST=${CTL##*$'\n'}
    CTL=${CTL%$'\n'*}
}
rules() { # rules 'rule text': clear, reset, add
    ctl DELETE /_mock/rules
    printf '%s\n' "$1" >"$W/rule.txt"
    ctl POST /_mock/rules "$W/rule.txt"
    [ "$CTLST" == 200 ] || fail "rule not accepted: $1 -> $CTLST $CTL"
}
ack_err() { # ack_err WHAT STATUS CODE CONTEXT
    eq "$1: status" "$2" "$STATUS"
    eq "$1: Ack" Ack "$(hdr bits-packet-type)"
    eq "$1: BITS-Error-Code" "$3" "$(hdr bits-error-code)"
    eq "$1: BITS-Error-Context" "$4" "$(hdr bits-error-context)"
    eq "$1: Content-Length" 0 "$(hdr content-length)"
}

start main --upload-dir "$W/up" --upload-reply /r/ --upload-max 100000000 \
    --upload-host-id host-7.example --upload-host-fallback 60 \
    --log "$W/requests.jsonl"
A=$W/src/a.bin
ASHA=$(sha "$A")

# ---- the whole protocol in every mode -------------------------------------
for m in h1 pk t2 t1 up; do
    T="upload $m"
    bits $m /d/$m.bin Ping
    eq "Ping: status" 200 "$STATUS"
    eq "Ping: Ack" Ack "$(hdr bits-packet-type)"
    eq "Ping: no error" "" "$(hdr bits-error-code)"
    create $m /d/$m.bin
    eq "Create: status" 200 "$STATUS"
    eq "Create: protocol" "$GUID" "$(hdr bits-protocol)"
    eq "Create: Accept-Encoding" Identity "$(hdr accept-encoding)"
    eq "Create: host id" host-7.example "$(hdr bits-host-id)"
    eq "Create: fallback" 60 "$(hdr bits-host-id-fallback-timeout)"
    [[ $SID =~ ^\{[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\}$ ]] &&
        ok || fail "session id '$SID' is not a braced GUID"
    for f in "0 100000" "100000 100000" "200000 100000"; do
        set -- $f
        frag $m /d/$m.bin "$A" "$1" "$2"
        eq "Fragment $1: status" 200 "$STATUS"
        eq "Fragment $1: session" "$SID" "$(hdr bits-session-id)"
        eq "Fragment $1: received" $(($1 + $2)) \
            "$(hdr bits-received-content-range)"
        eq "Fragment $1: no reply URL" "" "$(hdr bits-reply-url)"
    done
    eq "the file on the server" "$ASHA" "$(sha "$W/up/d/$m.bin")"
    bits $m /d/$m.bin Close-Session -H "BITS-Session-Id: $SID"
    eq "Close: status" 200 "$STATUS"
    eq "Close: session" "$SID" "$(hdr bits-session-id)"
    eq "file stays after Close" "$ASHA" "$(sha "$W/up/d/$m.bin")"
done

# ---- errors of the protocol itself ------------------------------------------
T=errors
bits h1 /d/e.bin Create-Session -H 'BITS-Supported-Protocols: {00000000-0000-0000-0000-000000000000}'
ack_err "no common protocol" 400 0x80070057 0x5
bits h1 /d/e.bin Hello
ack_err "unknown packet type" 400 0x80070057 0x5
timeout 20 curl -sS --http1.1 -X BITS_POST -H 'BITS-Packet-Type: Ping' \
    -D "$W/hdr" -o /dev/null "$BASE/d/e.bin"
STATUS=$(head -1 "$W/hdr" | cut -d' ' -f2)
ack_err "HTTP/1.1 without Content-Length" 411 0x80070057 0x5
create h1 /d/h1.bin
eq "existing file, no --upload-overwrite" 409 "$STATUS"
create h1 /nodir/x.bin
ack_err "no such directory" 404 0x80190194 0x5
create h1 /.h2mock/part/x
ack_err "the state directory" 403 0x80070005 0x5
create h1 /esc/x.bin
eq "a symlink out of the upload dir" 404 "$STATUS"
bits h1 /d/e.bin Fragment -H 'BITS-Session-Id: {00000000-0000-4000-8000-000000000000}' \
    -H 'Content-Range: bytes 0-0/1' --data-binary x
ack_err "unknown session" 500 0x8020001F 0x5
bits h1 /d/e.bin Close-Session
ack_err "no BITS-Session-Id" 400 0x80070057 0x5
create h1 /d/gap.bin
frag h1 /d/gap.bin "$A" 0 1000
frag h1 /d/gap.bin "$A" 5000 1000
eq "gap: 416" 416 "$STATUS"
eq "gap: offset" 1000 "$(hdr bits-received-content-range)"
eq "gap: no BITS-Error-Code (M20)" "" "$(hdr bits-error-code)"
frag h1 /d/gap.bin "$A" 500 1000
eq "overlap: 200" 200 "$STATUS"
eq "overlap: offset" 1500 "$(hdr bits-received-content-range)"
slice "$A" 1500 1000 >"$W/frag"
bits h1 /d/gap.bin Fragment -H "BITS-Session-Id: $SID" \
    -H 'Content-Range: bytes 1500-2500/300000' --data-binary "@$W/frag"
ack_err "Content-Range and body disagree" 400 0x80070057 0x5
frag h1 /d/gap.bin "$A" 1500 298500
eq "gap: completed" "$ASHA" "$(sha "$W/up/d/gap.bin")"
bits h1 /d/e.bin Cancel-Session -H "BITS-Session-Id: $SID"
eq "Cancel after the last byte: 200" 200 "$STATUS"
eq "Cancel leaves a committed upload (M22)" "$ASHA" "$(sha "$W/up/d/gap.bin")"
create h1 /d/cancelled.bin
frag h1 /d/cancelled.bin "$A" 0 1000
bits h1 /d/cancelled.bin Cancel-Session -H "BITS-Session-Id: $SID"
eq "Cancel: 200" 200 "$STATUS"
eq "Cancel: nothing lands" no "$([ -e "$W/up/d/cancelled.bin" ] && echo yes || echo no)"
eq "Cancel: partial file gone" "" "$(ls "$W/up/.h2mock/part")"
gen "$W/src/huge-head" 10 # the first bytes of a file over the maximum
bits h1 /d/huge.bin Create-Session -H "BITS-Supported-Protocols: $GUID"
SID=$(hdr bits-session-id)
bits h1 /d/huge.bin Fragment -H "BITS-Session-Id: $SID" \
    -H 'Content-Range: bytes 0-9/100000001' --data-binary "@$W/src/huge-head"
ack_err "over --upload-max" 400 0x80200020 0x5

# ---- upload-reply: the default back end and the rules' replies -------------
T=reply
for m in h1 t2; do
    create $m /r/$m.bin
    frag $m /r/$m.bin "$A" 0 200000
    eq "first Ack: no reply URL" "" "$(hdr bits-reply-url)"
    frag $m /r/$m.bin "$A" 200000 100000
    URL=$(hdr bits-reply-url)
    case $m in h1) pre=$BASE ;; *) pre=$SBASE ;; esac
    eq "final Ack: reply URL" "$pre/_bits/reply/${SID:1:36}" "$URL"
    eq "reply: the SHA-256 of the upload" "$ASHA" \
        "$(timeout 20 curl -sSk "$URL")"
    bits $m /r/$m.bin Close-Session -H "BITS-Session-Id: $SID"
    eq "reply gone after Close" 404 \
        "$(timeout 20 curl -sSk -o /dev/null -w '%{http_code}' "$URL")"
done
reply_case() { # reply_case NAME RULE-BODY -> URL
    rules "match packet=Create-Session action=bits-reply $2"
    create h1 "/d/$1.bin" -H 'X-Case: x'
    frag h1 "/d/$1.bin" "$A" 0 300000
    URL=$(hdr bits-reply-url)
    timeout 20 curl -sSk -o "$W/reply" "$URL"
}
reply_case big "mode=reference body=bytes:1500000"
eq "bytes:N reply, over 1 MB" 1500000 "$(stat -c %s "$W/reply")"
eq "bytes:N pattern" "$(python3 -c 'import sys; sys.stdout.buffer.write(bytes(i % 251 for i in range(1500000)))' | sha256sum | cut -d' ' -f1)" "$(sha "$W/reply")"
ctl GET /_mock/uploads
eq "listing: by reference" reference "$(printf '%s' "$CTL" | python3 -c 'import json,sys; print([s["reply"] for s in json.load(sys.stdin)["sessions"] if s["path"]=="/d/big.bin"][0])')"
reply_case empty "body=empty"
eq "empty reply" 0 "$(stat -c %s "$W/reply")"
reply_case fixture "body=file:/hello.txt"
eq "fixture reply" "hello reply" "$(cat "$W/reply")"
reply_case static "body=static:/hello.txt"
eq "static reply URL" "$BASE/hello.txt" "$URL"
eq "static reply served from the root" "hello reply" "$(cat "$W/reply")"

# ---- every upload fault row of docs/faults.md --------------------------------
T=faults
rules "match packet=Fragment fragment=2 action=bits-session-not-found"
create h1 /d/nf.bin
frag h1 /d/nf.bin "$A" 0 1000
eq "fragment 1 passes" 200 "$STATUS"
frag h1 /d/nf.bin "$A" 1000 1000
ack_err "session not found" 500 0x8020001F 0x5
frag h1 /d/nf.bin "$A" 1000 1000
ack_err "the session is gone" 500 0x8020001F 0x5

# a resumed upload after a 416 (the server lost bytes beyond 1000)
rules "match packet=Fragment fragment=2 action=bits-416 received=1000"
for m in h1 pk t2; do
    create $m /d/resume-$m.bin
    frag $m /d/resume-$m.bin "$A" 0 100000
    frag $m /d/resume-$m.bin "$A" 100000 100000
    eq "416 fault: status" 416 "$STATUS"
    eq "416 fault: offset" 1000 "$(hdr bits-received-content-range)"
    frag $m /d/resume-$m.bin "$A" 1000 299000
    eq "resumed from 1000" 300000 "$(hdr bits-received-content-range)"
    eq "resumed upload" "$ASHA" "$(sha "$W/up/d/resume-$m.bin")"
done

rules "match packet=Fragment fragment=1 action=bits-short bytes=100"
create h1 /d/short.bin
frag h1 /d/short.bin "$A" 0 150000
eq "short: 200" 200 "$STATUS"
eq "short: offset" 149900 "$(hdr bits-received-content-range)"
frag h1 /d/short.bin "$A" 149900 150100
eq "short: upload after resending" "$ASHA" "$(sha "$W/up/d/short.bin")"

rules "match packet=Fragment action=bits-fragment-limit max=65536"
create h1 /d/small.bin
frag h1 /d/small.bin "$A" 0 100000
eq "413 on a large fragment" 413 "$STATUS"
eq "413: no BITS error" "" "$(hdr bits-error-code)"
OFF=0
while [ $OFF -lt 300000 ]; do
    LEN=$((300000 - OFF < 65536 ? 300000 - OFF : 65536))
    frag h1 /d/small.bin "$A" $OFF $LEN
    [ "$STATUS" == 200 ] || { fail "small fragment at $OFF: $STATUS"; break; }
    OFF=$((OFF + LEN))
done
eq "413: upload in small fragments" "$ASHA" "$(sha "$W/up/d/small.bin")"

rules "match packet=Create-Session action=bits-challenge code=401 realm=bits"
create h1 /d/auth.bin
eq "401 challenge" 401 "$STATUS"
eq "401: WWW-Authenticate" 'Basic realm="bits"' "$(hdr www-authenticate)"
create h1 /d/auth.bin -u user:pw
eq "401: with credentials" 200 "$STATUS"
rules "match packet=Create-Session action=bits-challenge code=407 credentials=u:p"
create t2 /d/auth2.bin
eq "407 challenge" 407 "$STATUS"
eq "407: Proxy-Authenticate" 'Basic realm="h2mock"' "$(hdr proxy-authenticate)"
create t2 /d/auth2.bin -H 'Proxy-Authorization: Basic dTp3cm9uZw=='
eq "407: wrong credentials" 407 "$STATUS"
create t2 /d/auth2.bin -H 'Proxy-Authorization: Basic dTpw'
eq "407: right credentials" 200 "$STATUS"

for c in "403 0x80070005" "404 0x80190194" "409 0x80190199"; do
    set -- $c
    rules "match packet=Create-Session action=bits-error code=$1"
    create h1 /d/denied.bin
    ack_err "Create-Session $1" "$1" "$2" 0x5
done
rules "match packet=Create-Session action=bits-no-protocol"
create pk /d/np.bin
ack_err "no common protocol" 400 0x80070057 0x5
rules "match packet=Create-Session action=bits-disabled"
create h1 /d/dis.bin
ack_err "uploads disabled" 501 0x80070005 0x5
rules "match packet=Fragment fragment=1 action=bits-too-large"
create h1 /d/tl.bin
frag h1 /d/tl.bin "$A" 0 1000
ack_err "too large" 400 0x80200020 0x5

rules "match packet=Close-Session nth=1 action=bits-error code=503"
create h1 /d/close5.bin
frag h1 /d/close5.bin "$A" 0 300000
bits h1 /d/close5.bin Close-Session -H "BITS-Session-Id: $SID"
ack_err "5xx on Close" 503 0x801901F7 0x5
bits h1 /d/close5.bin Close-Session -H "BITS-Session-Id: $SID"
eq "Close resent: 200" 200 "$STATUS"
rules "match packet=Cancel-Session action=bits-error code=400 error=0x80070057"
create h1 /d/cancel4.bin
bits h1 /d/cancel4.bin Cancel-Session -H "BITS-Session-Id: $SID"
ack_err "4xx on Cancel" 400 0x80070057 0x5

rules "match packet=Fragment fragment=last action=delay ms=1500"
create pk /r/delayed.bin
frag pk /r/delayed.bin "$A" 0 1000
T0=$(date +%s%3N)
frag pk /r/delayed.bin "$A" 1000 299000
T1=$(date +%s%3N)
eq "delayed final Ack: 200" 200 "$STATUS"
[ $((T1 - T0)) -ge 1400 ] && ok || fail "final Ack after $((T1 - T0)) ms"
[ -n "$(hdr bits-reply-url)" ] && ok || fail "delayed Ack without reply URL"

rules "match packet=Fragment fragment=last action=bits-no-reply-url"
create h1 /r/nourl.bin
frag h1 /r/nourl.bin "$A" 0 300000
eq "no reply URL: 200" 200 "$STATUS"
eq "no reply URL: offset" 300000 "$(hdr bits-received-content-range)"
eq "no reply URL" "" "$(hdr bits-reply-url)"

# one status of each class of W:handling-server-application-errors:
# 3xx transient / fatal (300-305, 307), 4xx fatal / transient (408, 409),
# 5xx transient / fatal (501, 505); the client classifies, the mock sends
for c in "308 0x80190134" "307 0x80190133" "404 0x80190194" \
    "408 0x80190198" "503 0x801901F7" "501 0x801901F5"; do
    set -- $c
    rules "match packet=Fragment fragment=last times=1 action=bits-backend status=$1"
    create h1 /r/be$1.bin
    frag h1 /r/be$1.bin "$A" 0 300000
    ack_err "back end $1" "$1" "$2" 0x7
    eq "back end $1: no reply URL" "" "$(hdr bits-reply-url)"
    eq "back end $1: upload committed" "$ASHA" "$(sha "$W/up/r/be$1.bin")"
    frag h1 /r/be$1.bin "$A" 200000 100000
    eq "back end $1: retried final fragment" 200 "$STATUS"
    eq "back end $1: reply after the retry" "$ASHA" \
        "$(timeout 20 curl -sS "$(hdr bits-reply-url)")"
done

rules "match packet=Fragment fragment=last nth=1 action=close after=headers"
create h1 /r/lost.bin
frag h1 /r/lost.bin "$A" 0 300000
eq "lost final Ack: curl sees no reply" 52 "$RC"
eq "lost final Ack: upload committed" "$ASHA" "$(sha "$W/up/r/lost.bin")"
frag h1 /r/lost.bin "$A" 250000 50000
eq "retried last fragment: 200" 200 "$STATUS"
eq "retried last fragment: offset" 300000 "$(hdr bits-received-content-range)"
eq "retried last fragment: reply" "$ASHA" \
    "$(timeout 20 curl -sS "$(hdr bits-reply-url)")"
ctl DELETE /_mock/rules

# ---- the control listing and the request log --------------------------------
T=listing
create h1 /d/open.bin
frag h1 /d/open.bin "$A" 0 1000
ctl GET /_mock/uploads
eq "listing: 200" 200 "$CTLST"
printf '%s' "$CTL" >"$W/listing.json"
eq "listing: the upload and its hash" "$ASHA 300000 bits" \
    "$(python3 -c 'import json,sys; u=[u for u in json.load(open(sys.argv[1]))["uploads"] if u["path"]=="/d/h1.bin"][0]; print(u["sha256"], u["size"], u["via"])' "$W/listing.json")"
eq "listing: an open session" "1000 300000 False" \
    "$(python3 -c 'import json,sys; s=[s for s in json.load(open(sys.argv[1]))["sessions"] if s["path"]=="/d/open.bin"]; print(len(s) and s[0]["received"], len(s) and s[0]["total"], len(s) and s[0]["complete"])' "$W/listing.json")"
sleep 0.2
grep -a '"path":"/d/gap.bin"' "$W/requests.jsonl" | grep -a '"status":416' >"$W/l416"
grep -aq '"packet":"Fragment","session":"{' "$W/l416" && ok || fail "log: packet and session in $(head -c 600 "$W/l416")"
grep -aq '"range":"bytes 5000-5999/300000"' "$W/l416" && ok || fail "log: the range"

# ---- PUT ---------------------------------------------------------------------
T=put
put() { # put MODE PATH FILE -> STATUS
    local url=$BASE$2 o=(--http1.1)
    case $1 in pk) o=(--http2-prior-knowledge) ;; t2) o=(-k --http2); url=$SBASE$2 ;; esac
    STATUS=$(timeout 60 curl -sS "${o[@]}" -T "$3" -o /dev/null -w '%{http_code}' "$url")
}
for m in h1 pk t2; do
    put $m /d/put-$m.bin "$A"
    eq "PUT $m: created" 201 "$STATUS"
    put $m /d/put-$m.bin "$A"
    eq "PUT $m: replaced" 204 "$STATUS"
    eq "PUT $m: content" "$ASHA" "$(sha "$W/up/d/put-$m.bin")"
done
# curl sends Expect: 100-continue with bodies over 1 MiB (M25)
slice "$W/src/big.bin" 0 2097152 >"$W/src/two.bin"
timeout 20 curl -sS --http1.1 -T "$W/src/two.bin" -D "$W/hdr" -o /dev/null \
    "$BASE/d/two.bin"
grep -aq '^HTTP/1.1 100 Continue' "$W/hdr" && ok || fail "PUT: no 100 Continue"
eq "PUT after 100 Continue" "$(sha "$W/src/two.bin")" "$(sha "$W/up/d/two.bin")"
create h1 /d/expect.bin
frag h1 /d/expect.bin "$W/src/big.bin" 0 2097152
grep -aq '^HTTP/1.1 100 Continue' "$W/hdr" && ok || fail "Fragment: no 100 Continue"
eq "Fragment after 100 Continue" 2097152 "$(hdr bits-received-content-range)"
HWM0=$(awk '/VmHWM/ { print $2 }' /proc/$PID/status)
put h1 /d/put-big.bin "$W/src/big.bin"
eq "64 MiB PUT" 201 "$STATUS"
eq "64 MiB PUT: content" "$(sha "$W/src/big.bin")" "$(sha "$W/up/d/put-big.bin")"
HWM1=$(awk '/VmHWM/ { print $2 }' /proc/$PID/status)
[ $((HWM1 - HWM0)) -lt 16384 ] && ok ||
    fail "PUT body held in memory: peak RSS grew by $((HWM1 - HWM0)) KiB"
put h1 /.h2mock/x "$A"
eq "PUT into the state directory" 403 "$STATUS"
put h1 /esc/x.bin "$A"
eq "PUT through a symlink out" 404 "$STATUS"
eq "nothing outside" "" "$(ls "$W/outside")"
rm -f "$W/up/d/put-big.bin"
stop

# ---- a session without progress is gone --------------------------------------
T=timeout
start timeout --upload-dir "$W/up" --upload-timeout-ms 400 --upload-overwrite
create h1 /d/h1.bin
eq "--upload-overwrite: Create on an existing file" 200 "$STATUS"
frag h1 /d/h1.bin "$A" 0 1000
sleep 0.6
frag h1 /d/h1.bin "$A" 1000 1000
ack_err "after the timeout" 500 0x8020001F 0x5
eq "no partial file left" "" "$(ls "$W/up/.h2mock/part")"
stop
eq "state directory removed at exit" no "$([ -e "$W/up/.h2mock" ] && echo yes || echo no)"

T=startup
printf 'match packet=Fragment action=bits-short bytes=5\nmatch fragment=0 action=bits-416 received=1\n' >"$W/bad.rules"
"$H2MOCK" --root "$W/root" --upload-dir "$W/up" --faults "$W/bad.rules" \
    --port 0 >/dev/null 2>"$W/e"
eq "a bad upload rule" 2 $?
eq "message names the file and line" "h2mock: $W/bad.rules:2: field 'fragment': bad value '0': an integer >= 1 or last" "$(cat "$W/e")"
"$H2MOCK" --root "$W/root" --upload-max 5 >/dev/null 2>"$W/e"
eq "--upload-* without --upload-dir" 2 $?
eq "message" "h2mock: the --upload-* options need --upload-dir" "$(cat "$W/e")"
"$H2MOCK" --root "$W/root" --upload-dir "$W/nope" --port 0 >/dev/null 2>"$W/e"
eq "missing upload dir" 2 $?

if grep -aqE 'AddressSanitizer|LeakSanitizer|runtime error|UndefinedBehavior' "$W/stderr"; then
    fail "sanitizer report from h2mock:"
    cat "$W/stderr" >&2
else
    ok
fi
echo "upload-e2e: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
