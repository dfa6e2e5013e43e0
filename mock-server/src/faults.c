/*
 * faults.c - fault rules as data.
 *
 * Owns the one table of actions (mock_actions[]: name, typed parameters,
 * apply function, summary, example, what a client sees).  The same table
 * drives the strict rule parser, the per-request plan the protocol code
 * follows, and the generated reference docs/faults.md
 * (`h2mock --list-actions --format markdown`).  Also owns the rule list,
 * matching (path / prefix / glob, method, protocol, TLS, Range offset,
 * Nth / every / probability from the seeded generator) and counters.
 * What an action means on the wire is carried out by h1.c / h2.c / http.c
 * from the plan; this file never touches a connection.
 */
#include "mock.h"

#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Error texts are bounded; cutting a long one short is intended. */
#pragma GCC diagnostic ignored "-Wformat-truncation"

/* ---- apply functions: one per action, each fills the plan ---------- */

static void add_hdrs(struct mock_plan *p, const struct mock_action *a)
{
    for (size_t i = 0; i < a->nhdrs; i++) {
        char **h = realloc(p->hdrs, (p->nhdrs + 1) * sizeof(*h));
        if (!h) {
            return;
        }
        p->hdrs = h;
        char *s = strdup(a->hdrs[i]);
        if (s) {
            p->hdrs[p->nhdrs++] = s;
        }
    }
}

static void ap_status(struct mock_plan *p, const struct mock_action *a)
{
    p->status = (int)a->num[0];
    add_hdrs(p, a);
    if (a->str[2]) {
        free(p->body);
        p->body = strdup(a->str[2]);
    }
}

static void ap_redirect(struct mock_plan *p, const struct mock_action *a)
{
    p->status = (int)a->num[0];
    char **h = realloc(p->hdrs, (p->nhdrs + 1) * sizeof(*h));
    if (!h) {
        return;
    }
    p->hdrs = h;
    size_t n = strlen(a->str[1]) + 16;
    char *s = malloc(n);
    if (s) {
        snprintf(s, n, "Location: %s", a->str[1]);
        p->hdrs[p->nhdrs++] = s;
    }
    add_hdrs(p, a);
}

static void ap_delay(struct mock_plan *p, const struct mock_action *a)
{
    p->delay_ms = a->num[0];
}

static void ap_chunk_delay(struct mock_plan *p, const struct mock_action *a)
{
    p->chunk_delay_ms = a->num[0];
    p->chunk_size = a->num[1];
}

static void ap_throttle(struct mock_plan *p, const struct mock_action *a)
{
    p->rate = a->num[0];
}

static void ap_stall(struct mock_plan *p, const struct mock_action *a)
{
    p->stall_after = a->num[0];
}

static void ap_close(struct mock_plan *p, const struct mock_action *a)
{
    p->close_after = a->num[0];
}

static void ap_reset(struct mock_plan *p, const struct mock_action *a)
{
    p->reset_after = a->num[0];
}

static void ap_rst(struct mock_plan *p, const struct mock_action *a)
{
    p->rst_code = (uint32_t)a->num[0];
    p->rst_after = a->num[1];
}

static void ap_goaway(struct mock_plan *p, const struct mock_action *a)
{
    p->goaway_code = (uint32_t)a->num[0];
    p->goaway_last = (int32_t)a->num[1];
    p->goaway_after = a->num[2];
}

static void ap_length(struct mock_plan *p, const struct mock_action *a)
{
    p->length_delta = a->num[0];
    p->length_delta_set = true;
}

static void ap_no_length(struct mock_plan *p, const struct mock_action *a)
{
    p->no_length = true;
}

static void ap_ignore_range(struct mock_plan *p, const struct mock_action *a)
{
    p->ignore_range = true;
}

static void ap_bad_cr(struct mock_plan *p, const struct mock_action *a)
{
    p->range_shift = a->num[0];
}

static void ap_change(struct mock_plan *p, const struct mock_action *a)
{
    /* the version is the rule's fire count, set by mock_rules_match */
    p->change_version = 1;
}

static void ap_no_validators(struct mock_plan *p, const struct mock_action *a)
{
    p->no_validators = true;
}

static void ap_garbage(struct mock_plan *p, const struct mock_action *a)
{
    p->garbage = a->num[0];
    p->garbage_after_headers = a->num[1] == 1;
}

static void ap_http10(struct mock_plan *p, const struct mock_action *a)
{
    p->http10 = true;
}

static void ap_part_header(struct mock_plan *p, const struct mock_action *a)
{
    if (a->nhdrs) {
        free(p->part_header);
        p->part_header = strdup(a->hdrs[0]);
    }
}

/* FNV-1a of a path, for the quick reject of exact-path rules. */
/* bits-reply's fields into r.  NULL or an error text. */
static const char *parse_reply(const char *mode, const char *body,
                               struct mock_bits_reply *r)
{
    memset(r, 0, sizeof(*r));
    r->on = true;
    if (mode && !strcmp(mode, "reference")) {
        r->by_ref = true;
    } else if (mode && strcmp(mode, "value") != 0) {
        return "field 'mode': value or reference";
    }
    if (!body || !strcmp(body, "sha256")) {
        r->kind = MOCK_BR_SHA256;
    } else if (!strcmp(body, "empty")) {
        r->kind = MOCK_BR_EMPTY;
    } else if (!strncmp(body, "bytes:", 6)) {
        char *e;
        errno = 0;
        unsigned long long n = strtoull(body + 6, &e, 10);
        if (body[6] < '0' || body[6] > '9' || *e || errno || n > (1ULL << 40)) {
            return "field 'body': bytes:N with N a byte count";
        }
        r->kind = MOCK_BR_BYTES;
        r->size = n;
    } else if ((!strncmp(body, "file:/", 6) || !strncmp(body, "static:", 7)) &&
               strlen(body) < sizeof(r->arg) + 5) {
        bool file = body[0] == 'f';
        r->kind = file ? MOCK_BR_FILE : MOCK_BR_STATIC;
        snprintf(r->arg, sizeof(r->arg), "%s", body + (file ? 5 : 7));
        if (!r->arg[0]) {
            return "field 'body': static:URL needs a URL";
        }
    } else {
        return "field 'body': sha256, empty, bytes:N, file:/PATH or "
               "static:URL";
    }
    return NULL;
}

static void bits_error(struct mock_plan *p, enum mock_bits_fk k, int st,
                       int64_t err, int ctx)
{
    p->bits.kind = k;
    p->bits.status = st;
    /* auto: E_ACCESSDENIED for 403, else BG_E_HTTP_ERROR_<status>
     * (0x80190000 + status) */
    p->bits.error = err >= 0    ? err
                    : st == 403 ? (int64_t)MOCK_E_ACCESSDENIED
                                : (int64_t)(0x80190000u + (unsigned)st);
    p->bits.context = ctx;
}

static void ap_bits_nf(struct mock_plan *p, const struct mock_action *a)
{
    (void)a;
    p->bits.kind = MOCK_BF_NOT_FOUND;
}

static void ap_bits_416(struct mock_plan *p, const struct mock_action *a)
{
    p->bits.kind = MOCK_BF_416;
    p->bits.n = a->num[0];
}

static void ap_bits_short(struct mock_plan *p, const struct mock_action *a)
{
    p->bits.kind = MOCK_BF_SHORT;
    p->bits.n = a->num[0];
}

static void ap_bits_limit(struct mock_plan *p, const struct mock_action *a)
{
    p->bits.kind = MOCK_BF_FRAG_LIMIT;
    p->bits.n = a->num[0];
}

static void ap_bits_challenge(struct mock_plan *p, const struct mock_action *a)
{
    p->bits.kind = MOCK_BF_CHALLENGE;
    p->bits.status = (int)a->num[0];
    snprintf(p->bits.realm, sizeof(p->bits.realm), "%s",
             a->str[1] ? a->str[1] : "h2mock");
    snprintf(p->bits.cred, sizeof(p->bits.cred), "%s",
             a->str[2] ? a->str[2] : "");
}

static void ap_bits_error(struct mock_plan *p, const struct mock_action *a)
{
    bits_error(p, MOCK_BF_ERROR, (int)a->num[0], a->num[1], (int)a->num[2]);
}

static void ap_bits_noproto(struct mock_plan *p, const struct mock_action *a)
{
    (void)a;
    bits_error(p, MOCK_BF_ERROR, 400, MOCK_E_INVALIDARG, 5);
}

static void ap_bits_disabled(struct mock_plan *p, const struct mock_action *a)
{
    (void)a;
    bits_error(p, MOCK_BF_ERROR, 501, MOCK_E_ACCESSDENIED, 5);
}

static void ap_bits_too_large(struct mock_plan *p, const struct mock_action *a)
{
    (void)a;
    bits_error(p, MOCK_BF_ERROR, 400, MOCK_BG_E_TOO_LARGE, 5);
}

static void ap_bits_backend(struct mock_plan *p, const struct mock_action *a)
{
    bits_error(p, MOCK_BF_BACKEND, (int)a->num[0], a->num[1], 7);
}

static void ap_bits_no_url(struct mock_plan *p, const struct mock_action *a)
{
    (void)a;
    p->bits.no_reply_url = true;
}

static void ap_bits_reply(struct mock_plan *p, const struct mock_action *a)
{
    parse_reply(a->str[0], a->str[1], &p->bits.reply);
}

static uint64_t path_hash(const char *p, size_t n)
{
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ (uint8_t)p[i]) * 1099511628211ULL;
    }
    return h;
}

/* ---- the table ---------------------------------------------------- */

#define AFTER_P(def)                                                           \
    {                                                                          \
        "after", MOCK_PT_AFTER, def,                                           \
            "body bytes sent first; `headers` = before the response "          \
            "headers"                                                          \
    }

const struct mock_action_desc mock_actions[] = {
    {"status",
     {{"code", MOCK_PT_STATUS, NULL, "HTTP status, 100-599"},
      {"header", MOCK_PT_HEADER, "", "extra `Name: value` (repeatable)"},
      {"body", MOCK_PT_STR, "", "body text (default `mock: status N`)"}},
     ap_status,
     "Answer with this status instead of the file (503 + Retry-After, "
     "407, 500, 204, ...).",
     "match path=/a.bin nth=1 action=status code=503 "
     "header=\"Retry-After: 2\"",
     "the status and headers; a short text body with exact "
     "Content-Length (none for 204/304 and HEAD)"},
    {"redirect",
     {{"code", MOCK_PT_REDIR, "302", "301, 302, 303, 307 or 308"},
      {"location", MOCK_PT_STR, NULL, "Location value (path or URL)"},
      {"header", MOCK_PT_HEADER, "", "extra `Name: value` (repeatable)"}},
     ap_redirect,
     "Redirect. Chains: one rule per hop; a loop: point a path at itself.",
     "match path=/old.bin action=redirect code=307 location=/a.bin",
     "the 3xx with Location; curl -L follows it (a loop ends in curl "
     "exit 47 after --max-redirs)"},
    {"delay",
     {{"ms", MOCK_PT_MS, NULL,
       "time before the response headers "
       "(250, 250ms, 2s, 1m)"}},
     ap_delay,
     "Wait before sending the response headers.",
     "match prefix=/slow/ action=delay ms=1500",
     "the normal response, late"},
    {"chunk-delay",
     {{"ms", MOCK_PT_MS, NULL, "pause between chunks"},
      {"size", MOCK_PT_UINT, "16384", "chunk size in bytes"}},
     ap_chunk_delay,
     "Send the body in chunks of `size` bytes with a pause between them.",
     "match glob=/*.bin action=chunk-delay ms=100 size=4096",
     "the whole body, slowly"},
    {"throttle",
     {{"rate", MOCK_PT_UINT, NULL, "bytes per second (> 0)"}},
     ap_throttle,
     "Limit the body to `rate` bytes per second (per request).",
     "match path=/a.bin action=throttle rate=65536",
     "the whole body at about that rate"},
    {"stall",
     {{"after", MOCK_PT_UINT, "0", "body bytes sent before the stall"}},
     ap_stall,
     "Send the headers and `after` body bytes, then nothing, forever "
     "(the connection stays open).",
     "match path=/a.bin action=stall after=1024",
     "no progress: only the client's own timeout ends it (curl exit 28)"},
    {"close",
     {AFTER_P("headers")},
     ap_close,
     "Close the connection (FIN) after `after` body bytes, or before "
     "any response with after=headers.",
     "match path=/a.bin nth=1 action=close after=65536",
     "HTTP/1.1: curl exit 18 (partial), or 52 (empty reply) before "
     "headers; HTTP/2: exit 16, 18, 56 or 92"},
    {"reset",
     {AFTER_P("headers")},
     ap_reset,
     "Abort the TCP connection (SO_LINGER 0, so an RST) after `after` "
     "body bytes.",
     "match path=/a.bin action=reset after=4096",
     "curl exit 56 (recv failure: connection reset), sometimes 18/16/92"},
    {"rst-stream",
     {{"code", MOCK_PT_H2CODE, "INTERNAL_ERROR",
       "HTTP/2 error code: name (CANCEL, REFUSED_STREAM...) or number"},
      AFTER_P("headers")},
     ap_rst,
     "HTTP/2: reset the stream with RST_STREAM(code) after `after` body "
     "bytes. HTTP/1.1 has no streams: the connection is closed instead.",
     "match path=/a.bin proto=h2 action=rst-stream code=CANCEL "
     "after=16384",
     "curl exit 92 (stream not closed cleanly: CANCEL); REFUSED_STREAM "
     "makes curl retry on a new connection"},
    {"goaway",
     {{"code", MOCK_PT_H2CODE, "NO_ERROR", "HTTP/2 error code"},
      {"last-stream", MOCK_PT_INT, "-1",
       "last-stream-id to announce; -1 = the current stream"},
      AFTER_P("headers")},
     ap_goaway,
     "HTTP/2: send GOAWAY. NO_ERROR is graceful (streams up to "
     "last-stream finish, then the connection closes); any other code "
     "ends the session at once. HTTP/1.1: `Connection: close` "
     "(NO_ERROR) or a close at `after`.",
     "match path=/a.bin proto=h2 action=goaway code=PROTOCOL_ERROR "
     "after=0",
     "NO_ERROR: the response completes and curl reconnects for the "
     "next one; an error code: curl exit 16 (or 92/18)"},
    {"bad-length",
     {{"delta", MOCK_PT_INT, NULL,
       "declared Content-Length minus real body length (not 0)"}},
     ap_length,
     "Declare a Content-Length larger (delta > 0) or smaller (delta < 0) "
     "than the bytes sent; HTTP/1.1 then closes the connection.",
     "match path=/a.bin action=bad-length delta=100",
     "delta > 0: curl exit 18 (HTTP/1.1) or 92/16 (HTTP/2); delta < 0: "
     "HTTP/1.1 delivers the declared bytes only, HTTP/2 exit 92/16"},
    {"no-length",
     {{NULL, 0, NULL, NULL}},
     ap_no_length,
     "Omit Content-Length (HTTP/1.1 then ends the body by closing the "
     "connection). HEAD also loses it.",
     "match path=/a.bin action=no-length",
     "the whole body without a size; curl exit 0"},
    {"ignore-range",
     {{NULL, 0, NULL, NULL}},
     ap_ignore_range,
     "Ignore Range: answer 200 with the whole body.",
     "match path=/a.bin action=ignore-range",
     "status 200 and every byte; `curl -C N` exits 33"},
    {"bad-content-range",
     {{"shift", MOCK_PT_INT, "1",
       "added to the first and last byte positions announced"}},
     ap_bad_cr,
     "Send a Content-Range whose positions are off by `shift` (the bytes "
     "are those requested).",
     "match path=/a.bin action=bad-content-range shift=100",
     "206 with a wrong Content-Range; `curl -C N` exits 33"},
    {"change-content",
     {{NULL, 0, NULL, NULL}},
     ap_change,
     "Serve a new version each time the rule fires: every file byte is "
     "XORed with the version (1, 2, ... mod 255 + 1), the ETag gets "
     "`-vN`, Last-Modified moves N seconds later.",
     "match path=/a.bin action=change-content",
     "200/206 with different bytes, ETag and Last-Modified"},
    {"no-validators",
     {{NULL, 0, NULL, NULL}},
     ap_no_validators,
     "Omit ETag and Last-Modified (If-Range then never matches).",
     "match path=/a.bin action=no-validators",
     "the file, without validators"},
    {"garbage",
     {{"size", MOCK_PT_UINT, "64", "bytes of garbage (> 0)"},
      {"at", MOCK_PT_WHEN, "headers",
       "`headers`: instead of the status line / HEADERS frame; `body`: "
       "after valid headers"}},
     ap_garbage,
     "Send seeded random bytes instead of a status line (HTTP/1.1) or a "
     "frame (HTTP/2), then close.",
     "match path=/a.bin action=garbage size=32 at=headers",
     "HTTP/1.1 at=headers: curl exit 1 or 8; HTTP/2: exit 16; "
     "at=body: exit 18 / 16 / 56"},
    {"http10",
     {{NULL, 0, NULL, NULL}},
     ap_http10,
     "HTTP/1.1: answer with an HTTP/1.0 status line and close the "
     "connection (no keep-alive). No effect on HTTP/2.",
     "match path=/a.bin proto=h1 action=http10",
     "HTTP/1.0 200 with Content-Length; curl exit 0"},
    {"part-header",
     {{"header", MOCK_PT_HEADER, NULL,
       "`Name: value` added to every "
       "multipart part"}},
     ap_part_header,
     "Add a header to every part of a multipart/byteranges answer (BITS "
     "accepts up to 180 bytes of extra part headers).",
     "match path=/a.bin action=part-header header=\"X-Pad: abc\"",
     "a 206 multipart body whose parts carry the header"},
    {"bits-session-not-found",
     {{NULL, 0, NULL, NULL}},
     ap_bits_nf,
     "Upload: forget the session and answer 500 with BITS-Error-Code "
     "0x8020001F (BG_E_SESSION_NOT_FOUND), context 0x5; the packet is "
     "not processed (Fragment, Close-Session, Cancel-Session; Ping and "
     "Create-Session name no session and are served).",
     "match packet=Fragment session=1 fragment=2 "
     "action=bits-session-not-found",
     "500, BITS-Error-Code 0x8020001F; the session is gone (a client "
     "starts again with Create-Session, except after Cancel-Session)"},
    {"bits-416",
     {{"received", MOCK_PT_UINT, NULL,
       "offset put in BITS-Received-Content-Range"}},
     ap_bits_416,
     "Upload: refuse the Fragment with 416 and this received offset; "
     "below what the server holds, the bytes beyond it are dropped (lost "
     "bytes); above it, the server keeps its own offset (a lying server).",
     "match packet=Fragment fragment=2 action=bits-416 received=1000",
     "416, BITS-Received-Content-Range N, no BITS-Error-Code; the next "
     "fragment must start at N"},
    {"bits-short",
     {{"bytes", MOCK_PT_UINT, NULL,
       "bytes of the fragment's end not taken (> 0)"}},
     ap_bits_short,
     "Upload: take the Fragment only up to `bytes` before its end and "
     "answer 200 with that shorter received offset (a partial commit).",
     "match packet=Fragment fragment=1 action=bits-short bytes=100",
     "200 with BITS-Received-Content-Range = last + 1 - bytes"},
    {"bits-fragment-limit",
     {{"max", MOCK_PT_UINT, NULL, "largest Fragment body taken, in bytes"}},
     ap_bits_limit,
     "Upload: answer 413 to a Fragment whose body is over `max` bytes "
     "(nothing taken); smaller ones pass.",
     "match packet=Fragment action=bits-fragment-limit max=65536",
     "413 (no BITS-Error-Code): a client sends smaller fragments"},
    {"bits-challenge",
     {{"code", MOCK_PT_STATUS, "401", "401 or 407"},
      {"realm", MOCK_PT_STR, "", "Basic realm (default `h2mock`)"},
      {"credentials", MOCK_PT_STR, "",
       "`user:password` accepted (default: any Basic credentials)"}},
     ap_bits_challenge,
     "Upload: answer 401 with WWW-Authenticate (407: "
     "Proxy-Authenticate) `Basic realm=...` unless the packet carries "
     "Authorization (407: Proxy-Authorization) with the credentials; "
     "with them the packet is served.",
     "match packet=Create-Session action=bits-challenge code=407 "
     "credentials=u:p",
     "the challenge; the same packet with `-u u:p` (407: `--proxy-user`) "
     "is served"},
    {"bits-error",
     {{"code", MOCK_PT_STATUS, NULL, "HTTP status of the Ack"},
      {"error", MOCK_PT_HEX, "auto",
       "BITS-Error-Code; `auto`: 0x80070005 for 403, else 0x80190000 + "
       "status (BG_E_HTTP_ERROR_<status>)"},
      {"context", MOCK_PT_HEX, "0x5", "BITS-Error-Context"}},
     ap_bits_error,
     "Upload: answer with this status and BITS error instead of "
     "processing the packet (403/404/409 on Create-Session, 4xx/5xx on "
     "Close-Session or Cancel-Session, ...).",
     "match packet=Close-Session nth=1 action=bits-error code=503",
     "the status with BITS-Error-Code and BITS-Error-Context; the "
     "session is unchanged"},
    {"bits-no-protocol",
     {{NULL, 0, NULL, NULL}},
     ap_bits_noproto,
     "Upload: answer as if no protocol were common: 400, 0x80070057 "
     "(E_INVALIDARG), context 0x5.",
     "match packet=Create-Session action=bits-no-protocol",
     "400, BITS-Error-Code 0x80070057; no session"},
    {"bits-disabled",
     {{NULL, 0, NULL, NULL}},
     ap_bits_disabled,
     "Upload: uploads are disabled here: 501, 0x80070005 "
     "(E_ACCESSDENIED), context 0x5.",
     "match prefix=/ro/ action=bits-disabled",
     "501, BITS-Error-Code 0x80070005"},
    {"bits-too-large",
     {{NULL, 0, NULL, NULL}},
     ap_bits_too_large,
     "Upload: the file is over the server's maximum: 400, 0x80200020 "
     "(BG_E_TOO_LARGE), context 0x5 (what --upload-max answers).",
     "match packet=Fragment fragment=1 action=bits-too-large",
     "400, BITS-Error-Code 0x80200020"},
    {"bits-backend",
     {{"status", MOCK_PT_STATUS, NULL,
       "the back end's HTTP status (3xx, 4xx, 5xx)"},
      {"error", MOCK_PT_HEX, "auto",
       "BITS-Error-Code; `auto`: 0x80190000 + status"}},
     ap_bits_backend,
     "Upload-reply: the back end fails on the final Fragment: the upload "
     "is committed, the Ack carries the status, the error and "
     "BITS-Error-Context 0x7, no BITS-Reply-URL. A retried final "
     "Fragment notifies the back end again.",
     "match packet=Fragment fragment=last times=1 action=bits-backend "
     "status=503",
     "the status with context 0x7 (a client classifies it: 3xx/5xx "
     "transient except 300-305, 307, 501, 505; 4xx fatal except 408, "
     "409)"},
    {"bits-no-reply-url",
     {{NULL, 0, NULL, NULL}},
     ap_bits_no_url,
     "Upload-reply: leave BITS-Reply-URL out of the final Ack.",
     "match packet=Fragment fragment=last action=bits-no-reply-url",
     "200 with BITS-Received-Content-Range = size and no reply URL"},
    {"bits-reply",
     {{"mode", MOCK_PT_STR, "", "`value` (default) or `reference`"},
      {"body", MOCK_PT_STR, "",
       "`sha256` (default), `empty`, `bytes:N`, `file:/PATH` (under "
       "--root) or `static:URL` (relative: on this server)"}},
     ap_bits_reply,
     "Upload-reply: on Create-Session, make the session an upload-reply "
     "one with this back end; on the final Fragment, choose its reply.",
     "match prefix=/reply/ packet=Create-Session action=bits-reply "
     "mode=reference body=bytes:2000000",
     "the final Ack carries BITS-Reply-URL; GET of it returns the reply"},
    {NULL, {{NULL, 0, NULL, NULL}}, NULL, NULL, NULL, NULL},
};

static const char *const h2codes[] = {
    "NO_ERROR",
    "PROTOCOL_ERROR",
    "INTERNAL_ERROR",
    "FLOW_CONTROL_ERROR",
    "SETTINGS_TIMEOUT",
    "STREAM_CLOSED",
    "FRAME_SIZE_ERROR",
    "REFUSED_STREAM",
    "CANCEL",
    "COMPRESSION_ERROR",
    "CONNECT_ERROR",
    "ENHANCE_YOUR_CALM",
    "INADEQUATE_SECURITY",
    "HTTP_1_1_REQUIRED",
};

int64_t mock_h2code(const char *s)
{
    for (size_t i = 0; i < sizeof(h2codes) / sizeof(h2codes[0]); i++) {
        if (mock_ieq(s, h2codes[i])) {
            return (int64_t)i;
        }
    }
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (*s >= '0' && *s <= '9' && *end == 0 && errno == 0 &&
        v <= 0xffffffffULL) {
        return (int64_t)v;
    }
    return -1;
}

/* ---- plan --------------------------------------------------------- */

void mock_plan_init(struct mock_plan *p)
{
    memset(p, 0, sizeof(*p));
    p->stall_after = p->close_after = p->reset_after = MOCK_AFTER_NONE;
    p->rst_after = p->goaway_after = MOCK_AFTER_NONE;
    p->goaway_last = -1;
}

void mock_plan_free(struct mock_plan *p)
{
    for (size_t i = 0; i < p->nhdrs; i++) {
        free(p->hdrs[i]);
    }
    free(p->hdrs);
    free(p->body);
    free(p->part_header);
    mock_plan_init(p);
}

/* ---- parser ------------------------------------------------------- */

struct tok {
    char key[32];
    char *val; /* malloc'd, unquoted; NULL for a bare word */
    bool bare;
};

/* Split one line into key=value tokens.  Returns the count, or -1 with
 * err set.  Values may be "double quoted" with \" and \\ escapes. */
static int tokenize(const char *line, size_t len, struct tok *t, int max,
                    char *err, size_t errlen)
{
    int n = 0;
    size_t i = 0;
    while (i < len) {
        while (i < len && (line[i] == ' ' || line[i] == '\t')) {
            i++;
        }
        if (i >= len || line[i] == '#') {
            break;
        }
        if (n == max) {
            snprintf(err, errlen, "too many fields (at most %d)", max);
            goto bad;
        }
        size_t k = i;
        while (i < len && line[i] != '=' && line[i] != ' ' && line[i] != '\t') {
            i++;
        }
        if (i - k >= sizeof(t[n].key) || i == k) {
            snprintf(err, errlen, "bad field name '%.*s'", (int)(i - k),
                     line + k);
            goto bad;
        }
        memcpy(t[n].key, line + k, i - k);
        t[n].key[i - k] = 0;
        t[n].val = NULL;
        t[n].bare = true;
        if (i < len && line[i] == '=') {
            i++;
            struct mock_buf v = {0};
            t[n].bare = false;
            if (i < len && line[i] == '"') {
                i++;
                bool closed = false;
                while (i < len) {
                    char c = line[i++];
                    if (c == '"') {
                        closed = true;
                        break;
                    }
                    if (c == '\\' && i < len) {
                        c = line[i++];
                    }
                    mock_buf_append(&v, &c, 1);
                }
                if (!closed) {
                    mock_buf_free(&v);
                    snprintf(err, errlen,
                             "field '%s': unterminated quoted value", t[n].key);
                    goto bad;
                }
                if (i < len && line[i] != ' ' && line[i] != '\t') {
                    mock_buf_free(&v);
                    snprintf(err, errlen,
                             "field '%s': text after closing quote", t[n].key);
                    goto bad;
                }
            } else {
                while (i < len && line[i] != ' ' && line[i] != '\t') {
                    mock_buf_append(&v, &line[i], 1);
                    i++;
                }
            }
            mock_buf_append(&v, "", 1);
            t[n].val = (char *)v.data;
            if (!t[n].val) {
                t[n].val = strdup("");
            }
        }
        n++;
    }
    return n;
bad:
    for (int j = 0; j < n; j++) {
        free(t[j].val);
    }
    return -1;
}

static bool parse_i64(const char *s, int64_t *out, bool allow_neg)
{
    if (!*s || (!allow_neg && *s == '-')) {
        return false;
    }
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*end || errno || v > (1LL << 62) || v < -(1LL << 62)) {
        return false;
    }
    if (*s == '+' || (*s == '-' && s[1] == '+')) {
        return false;
    }
    *out = v;
    return true;
}

static bool parse_ms(const char *s, int64_t *out)
{
    char num[32];
    size_t i = 0;
    while (s[i] >= '0' && s[i] <= '9' && i < sizeof(num) - 1) {
        num[i] = s[i];
        i++;
    }
    num[i] = 0;
    int64_t v;
    if (i == 0 || !parse_i64(num, &v, false)) {
        return false;
    }
    const char *u = s + i;
    int64_t mul;
    if (!*u || !strcmp(u, "ms")) {
        mul = 1;
    } else if (!strcmp(u, "s")) {
        mul = 1000;
    } else if (!strcmp(u, "m")) {
        mul = 60000;
    } else {
        return false;
    }
    if (v > (1LL << 40)) {
        return false;
    }
    *out = v * mul;
    return true;
}

static bool valid_header(const char *h)
{
    const char *c = strchr(h, ':');
    if (!c || c == h) {
        return false;
    }
    for (const char *p = h; p < c; p++) {
        if (*p <= ' ' || *p >= 0x7f || strchr("()<>@,;\\\"/[]?={}", *p)) {
            return false;
        }
    }
    for (const char *p = c + 1; *p; p++) {
        if (*p == '\r' || *p == '\n' || *p == 0) {
            return false;
        }
    }
    return true;
}

/* Parse one parameter value into action slot i.  NULL or an error text. */
static const char *parse_param(struct mock_action *a, int i, const char *v)
{
    const struct mock_param_desc *pd = &a->desc->params[i];
    int64_t x;
    switch (pd->type) {
    case MOCK_PT_UINT:
        if (!parse_i64(v, &x, false)) {
            return "expected a non-negative integer";
        }
        a->num[i] = x;
        return NULL;
    case MOCK_PT_INT:
        if (!parse_i64(v, &x, true)) {
            return "expected an integer";
        }
        a->num[i] = x;
        return NULL;
    case MOCK_PT_MS:
        if (!parse_ms(v, &x)) {
            return "expected a duration (250, 250ms, 2s, 1m)";
        }
        a->num[i] = x;
        return NULL;
    case MOCK_PT_STATUS:
        if (!parse_i64(v, &x, false) || x < 100 || x > 599) {
            return "expected an HTTP status 100-599";
        }
        a->num[i] = x;
        return NULL;
    case MOCK_PT_REDIR:
        if (!parse_i64(v, &x, false) ||
            (x != 301 && x != 302 && x != 303 && x != 307 && x != 308)) {
            return "expected 301, 302, 303, 307 or 308";
        }
        a->num[i] = x;
        return NULL;
    case MOCK_PT_H2CODE:
        x = mock_h2code(v);
        if (x < 0) {
            return "expected an HTTP/2 error code name (NO_ERROR, "
                   "PROTOCOL_ERROR, INTERNAL_ERROR, CANCEL, "
                   "REFUSED_STREAM, ...) or number";
        }
        a->num[i] = x;
        return NULL;
    case MOCK_PT_WHEN:
        if (!strcmp(v, "headers")) {
            a->num[i] = 0;
        } else if (!strcmp(v, "body")) {
            a->num[i] = 1;
        } else {
            return "expected 'headers' or 'body'";
        }
        return NULL;
    case MOCK_PT_AFTER:
        if (!strcmp(v, "headers")) {
            a->num[i] = MOCK_AFTER_BEFORE;
            return NULL;
        }
        if (!parse_i64(v, &x, false)) {
            return "expected a byte count or 'headers'";
        }
        a->num[i] = x;
        return NULL;
    case MOCK_PT_HEX: {
        if (!strcmp(v, "auto")) {
            a->num[i] = -1;
            return NULL;
        }
        char *e;
        errno = 0;
        unsigned long long h = strtoull(v, &e, 16);
        if (strncasecmp(v, "0x", 2) != 0 || !v[2] || *e || errno ||
            h > 0xffffffffULL || strchr(v, '-') || strchr(v, ' ')) {
            return "expected 0x followed by 1-8 hex digits, or auto";
        }
        a->num[i] = (int64_t)h;
        return NULL;
    }
    case MOCK_PT_STR:
        if (strpbrk(v, "\r\n")) {
            return "value must not contain CR or LF";
        }
        free(a->str[i]);
        a->str[i] = strdup(v);
        return NULL;
    case MOCK_PT_HEADER:
        if (!valid_header(v)) {
            return "expected \"Name: value\" (token name, no CR/LF)";
        }
        if (a->nhdrs == MOCK_MAX_HDRS) {
            return "too many headers (at most 8)";
        }
        a->hdrs[a->nhdrs++] = strdup(v);
        return NULL;
    }
    return "internal: unknown type";
}

static void action_free(struct mock_action *a)
{
    for (int i = 0; i < MOCK_MAX_PARAMS; i++) {
        free(a->str[i]);
    }
    for (size_t i = 0; i < a->nhdrs; i++) {
        free(a->hdrs[i]);
    }
    memset(a, 0, sizeof(*a));
}

static void rule_free(struct mock_rule *r)
{
    free(r->name);
    free(r->text);
    free(r->pattern);
    free(r->method);
    for (size_t i = 0; i < r->nacts; i++) {
        action_free(&r->acts[i]);
    }
    memset(r, 0, sizeof(*r));
}

static const struct mock_action_desc *find_action(const char *name)
{
    for (const struct mock_action_desc *d = mock_actions; d->name; d++) {
        if (!strcmp(d->name, name)) {
            return d;
        }
    }
    return NULL;
}

/* Finish an action: defaults for missing params, checks.  NULL or error */
static const char *action_close(struct mock_action *a, char *ebuf, size_t elen,
                                const bool *given)
{
    for (int i = 0; i < MOCK_MAX_PARAMS && a->desc->params[i].name; i++) {
        const struct mock_param_desc *pd = &a->desc->params[i];
        if (given[i]) {
            continue;
        }
        if (!pd->def) {
            snprintf(ebuf, elen, "action '%s': missing required field '%s'",
                     a->desc->name, pd->name);
            return ebuf;
        }
        if (pd->type == MOCK_PT_HEADER || pd->type == MOCK_PT_STR) {
            continue; /* optional text: absent */
        }
        const char *e = parse_param(a, i, pd->def);
        if (e) {
            snprintf(ebuf, elen, "internal: default of '%s': %s", pd->name, e);
            return ebuf;
        }
    }
    if (!strcmp(a->desc->name, "throttle") && a->num[0] == 0) {
        return "field 'rate': must be > 0";
    }
    if (!strcmp(a->desc->name, "garbage") && a->num[0] == 0) {
        return "field 'size': must be > 0";
    }
    if (!strcmp(a->desc->name, "chunk-delay") && a->num[1] == 0) {
        return "field 'size': must be > 0";
    }
    if (!strcmp(a->desc->name, "bad-length") && a->num[0] == 0) {
        return "field 'delta': must not be 0";
    }
    if (!strcmp(a->desc->name, "bits-short") && a->num[0] == 0) {
        return "field 'bytes': must be > 0";
    }
    if (!strcmp(a->desc->name, "bits-challenge") && a->num[0] != 401 &&
        a->num[0] != 407) {
        return "field 'code': 401 or 407";
    }
    if (!strcmp(a->desc->name, "bits-challenge") && a->str[2] &&
        !strchr(a->str[2], ':')) {
        return "field 'credentials': user:password";
    }
    if (!strcmp(a->desc->name, "bits-reply")) {
        struct mock_bits_reply r;
        const char *e = parse_reply(a->str[0], a->str[1], &r);
        if (e) {
            return e;
        }
    }
    if (!strcmp(a->desc->name, "goaway") &&
        (a->num[1] < -1 || a->num[1] > INT32_MAX)) {
        return "field 'last-stream': must be -1..2147483647";
    }
    return NULL;
}

static int parse_line(struct mock_rule *r, const char *line, size_t len,
                      char *err, size_t errlen)
{
    struct tok t[48];
    int n = tokenize(line, len, t, 48, err, errlen);
    if (n <= 0) {
        return n; /* -1 error, 0 blank/comment */
    }
    int rc = -1;
    memset(r, 0, sizeof(*r));
    r->proto = 0;
    r->tls = -1;
    r->prob = -1;
    r->offset = -1;
    bool every = false;
    bool given[MOCK_MAX_PARAMS] = {false};
    char ebuf[256];
    struct mock_action *cur = NULL;
    if (strcmp(t[0].key, "match") != 0 || !t[0].bare) {
        snprintf(err, errlen,
                 "a rule starts with 'match', not '%s' (see docs/faults.md)",
                 t[0].key);
        goto out;
    }
    for (int i = 1; i < n; i++) {
        const char *k = t[i].key, *v = t[i].val;
        if (!strcmp(k, "action")) {
            if (!v || !*v) {
                snprintf(err, errlen, "field 'action': needs a name");
                goto out;
            }
            if (cur) {
                const char *e = action_close(cur, ebuf, sizeof(ebuf), given);
                if (e) {
                    snprintf(err, errlen, "%s", e);
                    goto out;
                }
            }
            if (r->nacts == MOCK_MAX_ACTIONS) {
                snprintf(err, errlen, "too many actions (at most %d)",
                         MOCK_MAX_ACTIONS);
                goto out;
            }
            const struct mock_action_desc *d = find_action(v);
            if (!d) {
                snprintf(err, errlen,
                         "field 'action': unknown action '%s' "
                         "(h2mock --list-actions)",
                         v);
                goto out;
            }
            for (size_t j = 0; j < r->nacts; j++) {
                if (r->acts[j].desc == d) {
                    snprintf(err, errlen, "action '%s' given twice", v);
                    goto out;
                }
            }
            cur = &r->acts[r->nacts++];
            cur->desc = d;
            memset(given, 0, sizeof(given));
            continue;
        }
        if (cur) {
            int pi = -1;
            for (int j = 0; j < MOCK_MAX_PARAMS && cur->desc->params[j].name;
                 j++) {
                if (!strcmp(cur->desc->params[j].name, k)) {
                    pi = j;
                }
            }
            if (pi < 0) {
                snprintf(err, errlen, "action '%s': unknown field '%s'",
                         cur->desc->name, k);
                goto out;
            }
            if (!v) {
                snprintf(err, errlen, "field '%s': needs a value (%s=...)", k,
                         k);
                goto out;
            }
            if (given[pi] && cur->desc->params[pi].type != MOCK_PT_HEADER) {
                snprintf(err, errlen, "field '%s' given twice", k);
                goto out;
            }
            const char *e = parse_param(cur, pi, v);
            if (e) {
                snprintf(err, errlen, "field '%s': bad value '%s': %s", k, v,
                         e);
                goto out;
            }
            given[pi] = true;
            continue;
        }
        /* match fields */
        if (!strcmp(k, "every") && t[i].bare) {
            every = true;
            continue;
        }
        if (!v) {
            snprintf(err, errlen,
                     "unknown field '%s' (a match field needs "
                     "a value: %s=...)",
                     k, k);
            goto out;
        }
        int64_t x;
        if (!strcmp(k, "name")) {
            if (r->name || !*v) {
                snprintf(err, errlen, "field 'name': empty or given twice");
                goto out;
            }
            r->name = strdup(v);
        } else if (!strcmp(k, "path") || !strcmp(k, "prefix") ||
                   !strcmp(k, "glob")) {
            if (r->kind != MOCK_M_ANY) {
                snprintf(err, errlen,
                         "field '%s': only one of path, prefix, glob", k);
                goto out;
            }
            if (v[0] != '/' && !(k[0] == 'g' && v[0] == '*')) {
                snprintf(err, errlen,
                         "field '%s': bad value '%s': must start with '/'", k,
                         v);
                goto out;
            }
            r->kind = k[0] == 'p' ? (k[1] == 'a' ? MOCK_M_EXACT : MOCK_M_PREFIX)
                                  : MOCK_M_GLOB;
            r->pattern = strdup(v);
            r->plen = strlen(v);
            r->phash = path_hash(v, r->plen);
        } else if (!strcmp(k, "method")) {
            if (r->method || !*v ||
                strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != strlen(v)) {
                snprintf(err, errlen,
                         "field 'method': bad value '%s': an upper-case "
                         "method such as GET",
                         v);
                goto out;
            }
            r->method = strdup(v);
        } else if (!strcmp(k, "proto")) {
            if (!strcmp(v, "h1")) {
                r->proto = 1;
            } else if (!strcmp(v, "h2")) {
                r->proto = 2;
            } else if (!strcmp(v, "any")) {
                r->proto = 0;
            } else {
                snprintf(err, errlen,
                         "field 'proto': bad value '%s': h1, h2 or any", v);
                goto out;
            }
        } else if (!strcmp(k, "tls")) {
            if (!strcmp(v, "yes")) {
                r->tls = 1;
            } else if (!strcmp(v, "no")) {
                r->tls = 0;
            } else if (!strcmp(v, "any")) {
                r->tls = -1;
            } else {
                snprintf(err, errlen,
                         "field 'tls': bad value '%s': yes, no or any", v);
                goto out;
            }
        } else if (!strcmp(k, "nth")) {
            if (!parse_i64(v, &x, false) || x < 1) {
                snprintf(err, errlen,
                         "field 'nth': bad value '%s': an integer >= 1", v);
                goto out;
            }
            r->nth = x;
        } else if (!strcmp(k, "times")) {
            if (!parse_i64(v, &x, false) || x < 1) {
                snprintf(err, errlen,
                         "field 'times': bad value '%s': an integer >= 1", v);
                goto out;
            }
            r->times = x;
        } else if (!strcmp(k, "prob")) {
            char *end;
            errno = 0;
            double d = strtod(v, &end);
            if (!*v || *end || errno || !(d >= 0.0 && d <= 1.0)) {
                snprintf(err, errlen,
                         "field 'prob': bad value '%s': a number 0..1", v);
                goto out;
            }
            r->prob = d;
        } else if (!strcmp(k, "offset")) {
            if (!strcmp(v, "none")) {
                r->offset = -2;
            } else if (!strcmp(v, "any")) {
                r->offset = -1;
            } else if (parse_i64(v, &x, false)) {
                r->offset = x;
            } else {
                snprintf(err, errlen,
                         "field 'offset': bad value '%s': a byte offset, "
                         "none or any",
                         v);
                goto out;
            }
        } else if (!strcmp(k, "packet")) {
            enum mock_bits_pt pt = mock_bits_pt_parse(v);
            if (!pt && strcmp(v, "any") != 0) {
                snprintf(err, errlen,
                         "field 'packet': bad value '%s': Ping, "
                         "Create-Session, Fragment, Close-Session, "
                         "Cancel-Session or any",
                         v);
                goto out;
            }
            r->packet = pt;
        } else if (!strcmp(k, "session")) {
            if (!parse_i64(v, &x, false) || x < 1) {
                snprintf(err, errlen,
                         "field 'session': bad value '%s': an integer >= 1 "
                         "(the Nth session created)",
                         v);
                goto out;
            }
            r->session = (uint64_t)x;
        } else if (!strcmp(k, "fragment")) {
            if (!strcmp(v, "last")) {
                r->fragment = -1;
            } else if (parse_i64(v, &x, false) && x >= 1) {
                r->fragment = x;
            } else {
                snprintf(err, errlen,
                         "field 'fragment': bad value '%s': an integer >= 1 "
                         "or last",
                         v);
                goto out;
            }
        } else {
            snprintf(err, errlen, "unknown field '%s'", k);
            goto out;
        }
    }
    if (!cur) {
        snprintf(err, errlen, "missing field 'action'");
        goto out;
    }
    {
        const char *e = action_close(cur, ebuf, sizeof(ebuf), given);
        if (e) {
            snprintf(err, errlen, "%s", e);
            goto out;
        }
    }
    if ((r->nth > 0) + (r->prob >= 0) + every > 1) {
        snprintf(err, errlen, "only one of nth, prob, every");
        goto out;
    }
    if (r->nth > 0 && r->times > 0) {
        snprintf(err, errlen, "field 'times': not with nth (nth fires once)");
        goto out;
    }
    r->text = mock_strndup(line, len);
    rc = 1;
out:
    for (int i = 0; i < n; i++) {
        free(t[i].val);
    }
    if (rc < 0) {
        rule_free(r);
    }
    return rc;
}

void mock_rules_init(struct mock_rules *rs, uint64_t seed)
{
    memset(rs, 0, sizeof(*rs));
    rs->seed = rs->rng = seed;
    rs->next_id = 1;
}

int mock_rules_parse(struct mock_rules *rs, const char *text, size_t len,
                     const char *src, size_t *added, char *err, size_t errlen)
{
    size_t start_n = rs->n;
    unsigned start_id = rs->next_id;
    size_t lineno = 0, i = 0;
    if (added) {
        *added = 0;
    }
    while (i < len) {
        size_t e = i;
        while (e < len && text[e] != '\n') {
            e++;
        }
        lineno++;
        size_t l = e - i;
        if (l > 0 && text[i + l - 1] == '\r') {
            l--;
        }
        if (memchr(text + i, 0, l)) {
            snprintf(err, errlen, "%s:%zu: NUL byte in rule text", src, lineno);
            goto fail;
        }
        struct mock_rule r;
        char msg[512];
        int rc = parse_line(&r, text + i, l, msg, sizeof(msg));
        if (rc < 0) {
            snprintf(err, errlen, "%s:%zu: %s", src, lineno, msg);
            goto fail;
        }
        if (rc > 0) {
            if (!r.name) {
                char nm[24];
                snprintf(nm, sizeof(nm), "r%u", rs->next_id);
                r.name = strdup(nm);
            }
            rs->next_id++;
            if (rs->n == rs->cap) {
                size_t cap = rs->cap ? rs->cap * 2 : 16;
                struct mock_rule *v = realloc(rs->v, cap * sizeof(*v));
                if (!v) {
                    rule_free(&r);
                    snprintf(err, errlen, "%s:%zu: out of memory", src, lineno);
                    goto fail;
                }
                rs->v = v;
                rs->cap = cap;
            }
            rs->v[rs->n++] = r;
        }
        i = e + 1;
    }
    if (added) {
        *added = rs->n - start_n;
    }
    return 0;
fail:
    while (rs->n > start_n) {
        rule_free(&rs->v[--rs->n]);
    }
    rs->next_id = start_id;
    return -1;
}

int mock_rules_load(struct mock_rules *rs, const char *path, char *err,
                    size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    struct mock_buf b = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (mock_buf_append(&b, chunk, n) < 0) {
            break;
        }
    }
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        mock_buf_free(&b);
        snprintf(err, errlen, "%s: read error", path);
        return -1;
    }
    int rc = mock_rules_parse(rs, (const char *)b.data, b.len, path, NULL, err,
                              errlen);
    mock_buf_free(&b);
    return rc;
}

void mock_rules_clear(struct mock_rules *rs)
{
    for (size_t i = 0; i < rs->n; i++) {
        rule_free(&rs->v[i]);
    }
    free(rs->v);
    rs->v = NULL;
    rs->n = rs->cap = 0;
    rs->next_id = 1; /* names restart at r1 */
}

void mock_rules_reset(struct mock_rules *rs)
{
    for (size_t i = 0; i < rs->n; i++) {
        rs->v[i].seen = rs->v[i].fired = 0;
    }
    rs->rng = rs->seed;
}

static bool bits_matches(const struct mock_rule *r,
                         const struct mock_bits_key *bk)
{
    if (!r->packet && !r->session && !r->fragment) {
        return true;
    }
    if (!bk || (r->packet && r->packet != bk->packet) ||
        (r->session && r->session != bk->session)) {
        return false;
    }
    if (r->fragment && bk->packet != MOCK_BP_FRAGMENT) {
        return false;
    }
    return r->fragment == 0 ||
           (r->fragment < 0 ? bk->last : (uint64_t)r->fragment == bk->fragment);
}

static bool rule_matches(const struct mock_rule *r, const struct mock_req *q,
                         const char *path, size_t plen, uint64_t phash,
                         int64_t range_start, const struct mock_bits_key *bk)
{
    switch (r->kind) {
    case MOCK_M_EXACT:
        /* length and hash first: most rules name other paths */
        if (r->plen != plen || r->phash != phash ||
            memcmp(path, r->pattern, plen) != 0) {
            return false;
        }
        break;
    case MOCK_M_PREFIX:
        if (r->plen > plen || memcmp(path, r->pattern, r->plen) != 0) {
            return false;
        }
        break;
    case MOCK_M_GLOB:
        if (fnmatch(r->pattern, path, 0) != 0) {
            return false;
        }
        break;
    case MOCK_M_ANY:
        break;
    }
    if (r->method && strcmp(r->method, q->method) != 0) {
        return false;
    }
    if (r->proto && r->proto != (int)q->proto) {
        return false;
    }
    if (r->tls >= 0 && r->tls != (int)q->tls) {
        return false;
    }
    if (r->offset == -2 && range_start != -1) {
        return false;
    }
    if (r->offset >= 0 && r->offset != range_start) {
        return false;
    }
    return bits_matches(r, bk);
}

const struct mock_rule *mock_rules_match(struct mock_rules *rs,
                                         const struct mock_req *q,
                                         const char *path, int64_t range_start,
                                         const struct mock_bits_key *bk,
                                         struct mock_plan *plan)
{
    struct mock_rule *hit = NULL;
    size_t plen = rs->n ? strlen(path) : 0;
    uint64_t phash = rs->n ? path_hash(path, plen) : 0;
    for (size_t i = 0; i < rs->n; i++) {
        struct mock_rule *r = &rs->v[i];
        if (!rule_matches(r, q, path, plen, phash, range_start, bk)) {
            continue;
        }
        r->seen++;
        if (hit) {
            continue; /* first firing rule wins; later ones only count */
        }
        bool fire;
        if (r->nth > 0) {
            fire = r->seen == (uint64_t)r->nth;
        } else if (r->prob >= 0) {
            /* 53 random bits -> [0, 1) */
            double u = (double)(mock_rand(&rs->rng) >> 11) *
                       (1.0 / 9007199254740992.0);
            fire = u < r->prob;
        } else {
            fire = true;
        }
        if (fire && r->times > 0 && r->fired >= (uint64_t)r->times) {
            fire = false;
        }
        if (fire) {
            r->fired++;
            hit = r;
        }
    }
    if (hit) {
        for (size_t j = 0; j < hit->nacts; j++) {
            hit->acts[j].desc->apply(plan, &hit->acts[j]);
        }
        if (plan->change_version) {
            plan->change_version = (uint32_t)hit->fired;
        }
    }
    return hit;
}

int mock_rules_format(const struct mock_rules *rs, struct mock_buf *out)
{
    for (size_t i = 0; i < rs->n; i++) {
        const struct mock_rule *r = &rs->v[i];
        if (mock_buf_printf(out, "# %s seen=%llu fired=%llu\n%s\n", r->name,
                            (unsigned long long)r->seen,
                            (unsigned long long)r->fired, r->text) < 0) {
            return -1;
        }
    }
    return 0;
}

/* ---- the generated reference ------------------------------------- */

static const char *type_name(enum mock_ptype t)
{
    switch (t) {
    case MOCK_PT_UINT:
        return "bytes/count";
    case MOCK_PT_MS:
        return "duration";
    case MOCK_PT_STATUS:
        return "status";
    case MOCK_PT_REDIR:
        return "3xx status";
    case MOCK_PT_H2CODE:
        return "h2 error code";
    case MOCK_PT_STR:
        return "text";
    case MOCK_PT_HEADER:
        return "header";
    case MOCK_PT_INT:
        return "integer";
    case MOCK_PT_WHEN:
        return "headers\\|body";
    case MOCK_PT_AFTER:
        return "bytes or `headers`";
    case MOCK_PT_HEX:
        return "0x hex or `auto`";
    }
    return "?";
}

static const char doc_head[] =
    "# h2mock fault actions\n"
    "\n"
    "<!-- Generated by `h2mock --list-actions --format markdown` from the\n"
    "     action table in mock-server/src/faults.c. Do not edit: run\n"
    "     `make BUILD=build/<you> mock-docs` and commit the result;\n"
    "     `make check` fails when this file and the table differ. -->\n"
    "\n"
    "A rule is one line: `match`, match fields, then one or more\n"
    "`action=NAME` each followed by its own fields. `#` starts a comment.\n"
    "Values with spaces are double-quoted (`\\\"` and `\\\\` escape).\n"
    "Unknown fields, unknown actions and bad values are load errors\n"
    "naming `FILE:LINE` and the field. See docs/mock-server.md for the\n"
    "rule format, matching and the control endpoint.\n"
    "\n"
    "Match fields (all optional; a request must satisfy every one given):\n"
    "\n"
    "| field | values | meaning |\n"
    "| --- | --- | --- |\n"
    "| `name` | text | rule name in logs (default `rN`) |\n"
    "| `path` / `prefix` / `glob` | `/a.bin`, `/dir/`, `/*.bin` | decoded "
    "path: exact, prefix or fnmatch(3) glob (at most one) |\n"
    "| `method` | `GET`, `HEAD`, ... | request method |\n"
    "| `proto` | `h1`, `h2`, `any` | HTTP/1.x or HTTP/2 (h2c and TLS) |\n"
    "| `tls` | `yes`, `no`, `any` | over TLS or not |\n"
    "| `offset` | N, `none`, `any` | first Range starts at byte N / request "
    "has no Range |\n"
    "| `nth` | N >= 1 | fire on the Nth matching request only |\n"
    "| `every` | (bare word) | fire on every matching request (default) |\n"
    "| `prob` | 0..1 | fire with this probability (seeded by `--seed`) |\n"
    "| `times` | N >= 1 | fire at most N times (with `every` or `prob`) |\n"
    "| `packet` | `Ping`, `Create-Session`, `Fragment`, `Close-Session`, "
    "`Cancel-Session`, `any` | an upload (`BITS_POST`) packet of this type "
    "(needs `--upload-dir`) |\n"
    "| `session` | N >= 1 | an upload packet of the Nth session created "
    "(Create-Session itself has none) |\n"
    "| `fragment` | N >= 1, `last` | the Nth Fragment of its session / the "
    "one carrying the file's last byte |\n"
    "\n"
    "Every rule counts the requests that match its fields; the first rule\n"
    "(in load order) whose nth/prob/times condition holds fires, and only\n"
    "its actions apply. Byte offsets (`after=`) count body bytes, not\n"
    "header bytes. HTTP/2 error codes are names (`CANCEL`) or numbers.\n"
    "\n"
    "## Upload faults\n"
    "\n"
    "The BITS Upload Protocol's faults (`h2mock --upload-dir`), each as a\n"
    "rule; `mock-server/tests/upload-e2e.sh` checks every row. Any action\n"
    "answers an upload packet too (`delay`, `close`, ...), after the\n"
    "packet was processed.\n"
    "\n"
    "| fault | rule |\n"
    "| --- | --- |\n"
    "| session not found (500, 0x8020001F) | `match packet=Fragment "
    "fragment=2 action=bits-session-not-found` |\n"
    "| 416 with a chosen received offset | `match packet=Fragment "
    "fragment=2 action=bits-416 received=1000` |\n"
    "| 200 with a short received offset | `match packet=Fragment "
    "fragment=1 action=bits-short bytes=100` |\n"
    "| 413 on large fragments | `match packet=Fragment "
    "action=bits-fragment-limit max=65536` |\n"
    "| 401 / 407 challenge | `match packet=Create-Session "
    "action=bits-challenge code=407` |\n"
    "| 403 / 404 / 409 on Create-Session | `match packet=Create-Session "
    "action=bits-error code=409` |\n"
    "| no common protocol | `match packet=Create-Session "
    "action=bits-no-protocol` |\n"
    "| uploads disabled (501) | `match packet=Create-Session "
    "action=bits-disabled` |\n"
    "| too large (BG_E_TOO_LARGE) | `match packet=Fragment fragment=1 "
    "action=bits-too-large` |\n"
    "| 5xx / 4xx on Close or Cancel | `match packet=Close-Session nth=1 "
    "action=bits-error code=503` |\n"
    "| delayed final Ack | `match packet=Fragment fragment=last "
    "action=delay ms=3s` |\n"
    "| no BITS-Reply-URL | `match packet=Fragment fragment=last "
    "action=bits-no-reply-url` |\n"
    "| back-end error of a class (context 0x7) | `match packet=Fragment "
    "fragment=last times=1 action=bits-backend status=503` |\n"
    "| lost final Ack, then the retried last fragment | `match "
    "packet=Fragment fragment=last nth=1 action=close after=headers` |\n"
    "\n"
    "## Actions\n";

int mock_actions_doc(FILE *f, bool md)
{
    if (md) {
        fputs(doc_head, f);
    }
    for (const struct mock_action_desc *d = mock_actions; d->name; d++) {
        if (!md) {
            fprintf(f, "%-18s %s\n", d->name, d->summary);
            for (int i = 0; i < MOCK_MAX_PARAMS && d->params[i].name; i++) {
                const struct mock_param_desc *p = &d->params[i];
                fprintf(f, "    %s=<%s>%s%s%s  %s\n", p->name,
                        type_name(p->type), p->def ? " (default " : "",
                        p->def ? (*p->def ? p->def : "none") : "",
                        p->def ? ")" : " (required)", p->help);
            }
            fprintf(f, "    example: %s\n", d->example);
            continue;
        }
        fprintf(f, "\n### `%s`\n\n%s\n\n", d->name, d->summary);
        if (d->params[0].name) {
            fprintf(f, "| field | type | default | meaning |\n"
                       "| --- | --- | --- | --- |\n");
            for (int i = 0; i < MOCK_MAX_PARAMS && d->params[i].name; i++) {
                const struct mock_param_desc *p = &d->params[i];
                fprintf(f, "| `%s` | %s | %s%s%s | %s |\n", p->name,
                        type_name(p->type),
                        p->def ? (*p->def ? "`" : "") : "required",
                        p->def ? (*p->def ? p->def : "none") : "",
                        p->def && *p->def ? "`" : "", p->help);
            }
            fputs("\n", f);
        } else {
            fputs("No fields.\n\n", f);
        }
        fprintf(f, "Example:\n\n    %s\n\nClient sees: %s.\n", d->example,
                d->client);
    }
    return ferror(f) ? -1 : 0;
}
