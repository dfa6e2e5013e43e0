/*
 * ref_upload.c - the client side of the BITS Upload Protocol, without I/O.
 *
 * Owns the protocol's client rules (spec/upload-protocol.md): the order of
 * packets (Create-Session, a Ping to the BITS-Host-Id server when the Ack
 * named one, Fragments, Close-Session), the headers each carries, how an Ack
 * moves the session (the server's BITS-Received-Content-Range is the only
 * source of the next offset, on 200 and 416 alike), the 413 shrink, the restart
 * on BG_E_SESSION_NOT_FOUND, the Close/Cancel resend rule, and the mapping of
 * a failing Ack to {HRESULT, context, transient}.  Transport failures (no
 * Ack at all) are not judged here: the caller maps them with ref_errmap
 * like any download's.  Decisions UP1-UP18 (docs/decisions.md) settle what
 * the sources leave open.
 */
#include "ref_upload.h"
#include "ref_errmap.h"

#include <bitsmsg.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The facts of one Ack's header block that the protocol reads. */
struct ack {
    bool is_ack; /* BITS-Packet-Type: Ack (any case) */
    char session[REF_UP_SESSION_MAX + 1];
    bool session_bad;  /* present but empty or too long */
    bool has_received; /* BITS-Received-Content-Range, decimal */
    uint64_t received;
    bool has_error; /* BITS-Error-Code (or MC-BUP's BITS-Error) */
    uint32_t error;
    bool has_context;
    uint32_t context;
    bool has_protocol;
    char protocol[64];
    char reply_url[REF_UP_URL_MAX + 1];
    bool reply_url_bad; /* present but over REF_UP_URL_MAX */
    char host_id[REF_UP_HOST_MAX + 1];
    bool has_fallback; /* BITS-Host-Id-Fallback-Timeout, decimal s */
    uint64_t fallback;
};

const char *ref_up_packet_name(enum ref_up_packet t)
{
    switch (t) {
    case REF_UP_CREATE:
        return "Create-Session";
    case REF_UP_FRAGMENT:
        return "Fragment";
    case REF_UP_CLOSE:
        return "Close-Session";
    case REF_UP_CANCEL:
        return "Cancel-Session";
    case REF_UP_PING:
        return "Ping";
    case REF_UP_NONE:
        break;
    }
    return "?";
}

bool ref_up_backend_transient(long status)
{
    if (status >= 300 && status <= 399)
        return !(status <= 305 || status == 307);
    if (status >= 400 && status <= 499)
        return status == 408 || status == 409;
    if (status >= 500 && status <= 599)
        return !(status == 501 || status == 505);
    return true;
}

void ref_up_init(struct ref_up_session *s, uint64_t size, bool reply,
                 const char *session_id, uint64_t acked, bool reply_done)
{
    size_t n = session_id ? strlen(session_id) : 0;

    memset(s, 0, sizeof(*s));
    s->size = size;
    s->reply = reply;
    s->fragment = REF_UP_FRAGMENT_DEFAULT;
    s->host_fallback = REF_UP_NO_FALLBACK;
    if (n == 0 || n > REF_UP_SESSION_MAX || acked > size)
        return;
    memcpy(s->id, session_id, n + 1);
    s->acked = acked;
    /* The server has this session's first fragment (and its name) once it
     * acknowledged a byte of it. */
    s->named = acked > 0;
    /* A plain upload is with the server once it acknowledged the last
     * byte; an upload-reply one also needs the reply's URL, which the
     * store does not keep: the final byte is sent again to learn it
     * (decision UP8), unless the reply was already fetched. */
    s->uploaded = acked == size && (!reply || reply_done);
    s->reply_fetched = reply && reply_done && s->uploaded;
}

void ref_up_restore_host(struct ref_up_session *s, const char *host,
                         uint32_t fallback, uint64_t down_since)
{
    size_t n = host ? strlen(host) : 0;

    if (!s->id[0] || n == 0 || n > REF_UP_HOST_MAX ||
        strcspn(host, "/@?# \t[]") != n)
        return;
    memcpy(s->host_id, host, n + 1);
    s->host_fallback = fallback;
    s->host_down_since = down_since;
}

bool ref_up_host_unreachable(struct ref_up_session *s, uint64_t now)
{
    if (!s->host_id[0])
        return false;
    if (!s->host_down_since || s->host_down_since > now)
        s->host_down_since = now; /* the timer starts (or the clock went
                                     back: it starts again) */
    if (s->host_fallback == REF_UP_NO_FALLBACK ||
        now - s->host_down_since < s->host_fallback)
        return false;
    s->host_id[0] = '\0';
    s->host_down_since = 0;
    s->ping = false; /* the host it would test is gone (UP18) */
    return true;
}

void ref_up_cancel(struct ref_up_session *s)
{
    s->cancelling = true;
    s->closed = false;
    s->end_tries = 0;
}

void ref_up_retry(struct ref_up_session *s)
{
    s->end_tries = 0;
    s->restarts = 0;
    /* MC-BUP pings on the step from CREATE_SESSION only: a new attempt's
     * first Fragment reaches the same host, and tests it the same way */
    s->ping = false;
    memset(&s->sent, 0, sizeof(s->sent));
    memset(&s->error, 0, sizeof(s->error));
}

static enum ref_up_action fail(struct ref_up_session *s, HRESULT hr,
                               BG_ERROR_CONTEXT ctx, bool transient,
                               long status)
{
    s->error.hr = hr;
    s->error.context = ctx;
    s->error.transient = transient;
    s->error.status = status;
    return REF_UP_FAIL;
}

static enum ref_up_action send(struct ref_up_session *s,
                               struct ref_up_packet_desc *pkt,
                               enum ref_up_packet type, uint64_t first,
                               uint64_t length)
{
    s->sent.type = type;
    s->sent.first = first;
    s->sent.length = length;
    if (pkt)
        *pkt = s->sent;
    return REF_UP_SEND;
}

enum ref_up_action ref_up_next(struct ref_up_session *s,
                               struct ref_up_packet_desc *pkt)
{
    uint64_t left;

    if (s->cancelling) {
        if (!s->id[0] || s->closed)
            return REF_UP_DONE;
        return send(s, pkt, REF_UP_CANCEL, 0, 0);
    }
    if (s->closed)
        return REF_UP_DONE;
    /* Content-Range names a first and a last byte: an empty file has no
     * fragment to send (decision UP7). */
    if (s->size == 0)
        return fail(s, E_INVALIDARG, BG_ERROR_CONTEXT_LOCAL_FILE, false, 0);
    if (!s->id[0])
        return send(s, pkt, REF_UP_CREATE, 0, 0);
    /* MC-BUP §3.1.5.1.2: CREATE_SESSION goes to PING when the Ack named a
     * BITS-Host-Id; the Ping checks that host before the first Fragment. */
    if (s->ping && s->host_id[0])
        return send(s, pkt, REF_UP_PING, 0, 0);
    if (s->acked < s->size) {
        left = s->size - s->acked;
        return send(s, pkt, REF_UP_FRAGMENT, s->acked,
                    left < s->fragment ? left : s->fragment);
    }
    if (!s->uploaded) /* upload-reply without the reply's URL */
        return send(s, pkt, REF_UP_FRAGMENT, s->size - 1, 1);
    if (s->reply && !s->reply_fetched)
        return REF_UP_GET_REPLY;
    return send(s, pkt, REF_UP_CLOSE, 0, 0);
}

void ref_up_reply_done(struct ref_up_session *s)
{
    s->reply_fetched = true;
}

int ref_up_headers(const struct ref_up_session *s, const char *content_name,
                   char *buf, size_t buflen)
{
    const struct ref_up_packet_desc *p = &s->sent;
    int n = snprintf(buf, buflen, "BITS-Packet-Type: %s",
                     ref_up_packet_name(p->type));
    int m;

    if (n < 0 || (size_t)n >= buflen)
        return -1;
    if (p->type == REF_UP_PING) /* no other BITS header (W:ping) */
        return n;
    if (p->type == REF_UP_CREATE)
        m = snprintf(buf + n, buflen - (size_t)n,
                     "\r\nBITS-Supported-Protocols: " REF_UP_PROTOCOL);
    else
        m = snprintf(buf + n, buflen - (size_t)n, "\r\nBITS-Session-Id: %s",
                     s->id);
    if (m < 0 || (size_t)m >= buflen - (size_t)n)
        return -1;
    n += m;
    if (p->type != REF_UP_FRAGMENT)
        return n;
    /* Lower-case unit: what servers tested with Windows accept (spec U5,
     * decision UP1). */
    m = snprintf(buf + n, buflen - (size_t)n,
                 "\r\nContent-Range: bytes %llu-%llu/%llu",
                 (unsigned long long)p->first,
                 (unsigned long long)(p->first + p->length - 1),
                 (unsigned long long)s->size);
    if (m < 0 || (size_t)m >= buflen - (size_t)n)
        return -1;
    n += m;
    if (s->named || !content_name || !content_name[0])
        return n;
    m = snprintf(buf + n, buflen - (size_t)n, "\r\nContent-Name: %s",
                 content_name);
    if (m < 0 || (size_t)m >= buflen - (size_t)n)
        return -1;
    return n + m;
}

int ref_up_url(const struct ref_up_session *s, const char *remote, char *out,
               size_t outlen)
{
    const char *auth = strstr(remote, "://"), *host, *end, *at, *port = NULL;
    int n;

    if (!auth)
        return -1;
    auth += 3;
    end = auth + strcspn(auth, "/?#");
    if (!s->host_id[0]) {
        n = snprintf(out, outlen, "%s", remote);
        return n < 0 || (size_t)n >= outlen ? -1 : n;
    }
    /* user:password@ is left out: credentials are the job's */
    at = memchr(auth, '@', (size_t)(end - auth));
    host = at ? at + 1 : auth;
    if (*host == '[') { /* an IPv6 literal: the port follows "]" */
        const char *rb = memchr(host, ']', (size_t)(end - host));
        port = rb && rb + 1 < end && rb[1] == ':' ? rb + 1 : NULL;
    } else {
        port = memchr(host, ':', (size_t)(end - host));
    }
    n = snprintf(out, outlen, "%.*s%s%.*s%s", (int)(auth - remote), remote,
                 s->host_id, port ? (int)(end - port) : 0, port ? port : "",
                 end);
    return n < 0 || (size_t)n >= outlen ? -1 : n;
}

/* ---- reading an Ack ---- */

/* value [vb, ve) after trimming blanks; copies into dst (cap bytes with the
 * NUL); false when it does not fit. */
static bool take(char *dst, size_t cap, const char *vb, const char *ve)
{
    size_t n = (size_t)(ve - vb);

    if (n >= cap)
        return false;
    memcpy(dst, vb, n);
    dst[n] = '\0';
    return true;
}

/* A hexadecimal number with or without 0x (spec U3). */
static bool hex32(const char *vb, const char *ve, uint32_t *out)
{
    char tmp[24], *end;
    unsigned long long v;

    if (!take(tmp, sizeof(tmp), vb, ve) || !tmp[0] || tmp[0] == '-')
        return false;
    v = strtoull(tmp, &end, 16);
    if (*end || v > 0xFFFFFFFFull)
        return false;
    *out = (uint32_t)v;
    return true;
}

static bool dec64(const char *vb, const char *ve, uint64_t *out)
{
    uint64_t v = 0;

    if (vb == ve)
        return false;
    for (; vb < ve; vb++) {
        if (!isdigit((unsigned char)*vb) || v > (UINT64_MAX - 9) / 10)
            return false;
        v = v * 10 + (uint64_t)(*vb - '0');
    }
    *out = v;
    return true;
}

static void ack_line(struct ack *a, const char *lb, const char *le)
{
    const char *colon = memchr(lb, ':', (size_t)(le - lb));
    const char *vb, *ve = le;
    size_t nlen;

    if (!colon)
        return;
    nlen = (size_t)(colon - lb);
    for (vb = colon + 1; vb < ve && (*vb == ' ' || *vb == '\t'); vb++)
        ;
    while (ve > vb && (ve[-1] == ' ' || ve[-1] == '\t'))
        ve--;
#define NAME_IS(s) (nlen == sizeof(s) - 1 && strncasecmp(lb, s, nlen) == 0)
    if (NAME_IS("BITS-Packet-Type")) {
        a->is_ack = (size_t)(ve - vb) == 3 && strncasecmp(vb, "Ack", 3) == 0;
    } else if (NAME_IS("BITS-Session-Id")) {
        a->session_bad =
            vb == ve || !take(a->session, sizeof(a->session), vb, ve);
    } else if (NAME_IS("BITS-Received-Content-Range")) {
        a->has_received = dec64(vb, ve, &a->received);
    } else if (NAME_IS("BITS-Error-Code") || NAME_IS("BITS-Error")) {
        a->has_error = hex32(vb, ve, &a->error);
    } else if (NAME_IS("BITS-Error-Context")) {
        a->has_context = hex32(vb, ve, &a->context);
    } else if (NAME_IS("BITS-Protocol")) {
        a->has_protocol = true; /* one too long matches nothing */
        if (!take(a->protocol, sizeof(a->protocol), vb, ve))
            a->protocol[0] = '\0';
    } else if (NAME_IS("BITS-Host-Id")) {
        if (!take(a->host_id, sizeof(a->host_id), vb, ve) ||
            strcspn(a->host_id, "/@?# \t[]") != strlen(a->host_id))
            a->host_id[0] = '\0'; /* not a host name: not followed */
    } else if (NAME_IS("BITS-Host-Id-Fallback-Timeout")) {
        a->has_fallback = dec64(vb, ve, &a->fallback);
    } else if (NAME_IS("BITS-Reply-URL")) {
        a->reply_url_bad = !take(a->reply_url, sizeof(a->reply_url), vb, ve);
    }
#undef NAME_IS
}

/* Reads the last header block of headers (an interim 100 Continue comes
 * first on HTTP/1.1 uploads). */
static void ack_parse(struct ack *a, const char *headers)
{
    const char *p = headers ? headers : "";

    memset(a, 0, sizeof(*a));
    while (*p) {
        const char *le = strchr(p, '\n');
        const char *next = le ? le + 1 : p + strlen(p);

        if (!le)
            le = next;
        if (le > p && le[-1] == '\r')
            le--;
        if (le - p >= 5 && strncmp(p, "HTTP/", 5) == 0)
            memset(a, 0, sizeof(*a));
        else
            ack_line(a, p, le);
        p = next;
    }
}

static bool reply_url_ok(const char *u)
{
    return strncasecmp(u, "http://", 7) == 0 ||
           strncasecmp(u, "https://", 8) == 0;
}

/* The job error of a failing Ack (decision UP5). */
static enum ref_up_action ack_error(struct ref_up_session *s, long status,
                                    const struct ack *a)
{
    HRESULT hr;
    struct ref_errmap_entry e;

    if (status < 100 || status > 599)
        return fail(s, BG_E_INVALID_SERVER_RESPONSE,
                    BG_ERROR_CONTEXT_REMOTE_FILE, true, status);
    hr = a->has_error && a->error != 0 ? (HRESULT)a->error
                                       : (HRESULT)(0x80190000u + status);
    if (a->has_context && a->context == BG_ERROR_CONTEXT_REMOTE_APPLICATION)
        return fail(s, hr, BG_ERROR_CONTEXT_REMOTE_APPLICATION,
                    ref_up_backend_transient(status), status);
    switch (hr) {
    case E_ACCESSDENIED:
    case E_INVALIDARG:
    case BG_E_TOO_LARGE:
    case BG_E_CLIENT_SERVER_PROTOCOL_MISMATCH:
    case BG_E_SERVER_EXECUTE_ENABLE:
        /* "needs intervention" by their descriptions (spec §7.7) */
        return fail(s, hr, BG_ERROR_CONTEXT_REMOTE_FILE, false, status);
    case BG_E_INVALID_SERVER_RESPONSE:
    case BG_E_SESSION_NOT_FOUND:
        return fail(s, hr, BG_ERROR_CONTEXT_REMOTE_FILE, true, status);
    default:
        break;
    }
    ref_errmap_lookup(REF_ERR_HTTP, (int)status, false, &e);
    return fail(s, hr, BG_ERROR_CONTEXT_REMOTE_FILE, e.transient, status);
}

static enum ref_up_action invalid(struct ref_up_session *s, long status)
{
    return fail(s, BG_E_INVALID_SERVER_RESPONSE, BG_ERROR_CONTEXT_REMOTE_FILE,
                true, status);
}

static void forget_session(struct ref_up_session *s)
{
    s->id[0] = '\0';
    s->acked = 0;
    s->named = false;
    s->uploaded = false;
    s->reply_fetched = false;
    s->reply_url[0] = '\0';
    s->host_id[0] = '\0';
    s->host_fallback = REF_UP_NO_FALLBACK;
    s->host_down_since = 0;
    s->ping = false;
}

static enum ref_up_action judge_create(struct ref_up_session *s, long status,
                                       const struct ack *a)
{
    /* 200 and 201 both succeed (spec U7, decision UP1). */
    if (status != 200 && status != 201)
        return ack_error(s, status, a);
    if (!a->is_ack || a->session_bad || !a->session[0])
        return invalid(s, status);
    if (a->has_protocol && strcasecmp(a->protocol, REF_UP_PROTOCOL) != 0)
        return fail(s, BG_E_CLIENT_SERVER_PROTOCOL_MISMATCH,
                    BG_ERROR_CONTEXT_REMOTE_FILE, false, status);
    forget_session(s);
    memcpy(s->id, a->session, sizeof(s->id));
    memcpy(s->host_id, a->host_id, sizeof(s->host_id));
    s->ping = s->host_id[0] != '\0'; /* MC-BUP §3.1.5.2.2 */
    /* an unreadable timeout is as none: keep to the named host */
    if (s->host_id[0] && a->has_fallback)
        s->host_fallback = a->fallback < REF_UP_NO_FALLBACK
                               ? (uint32_t)a->fallback
                               : REF_UP_NO_FALLBACK - 1;
    return ref_up_next(s, NULL);
}

static enum ref_up_action judge_fragment(struct ref_up_session *s, long status,
                                         const struct ack *a)
{
    const struct ref_up_packet_desc *p = &s->sent;
    bool final = p->first + p->length == s->size;

    if (status == 413) {
        if (p->length <= REF_UP_FRAGMENT_MIN)
            return ack_error(s, status, a);
        s->fragment = p->length / 2 < REF_UP_FRAGMENT_MIN ? REF_UP_FRAGMENT_MIN
                                                          : p->length / 2;
        return ref_up_next(s, NULL);
    }
    if (status != 200 && status != 416)
        return ack_error(s, status, a);
    if ((status == 200 && !a->is_ack) || !a->has_received ||
        a->received > s->size)
        return invalid(s, status);
    /* A 416 that names the offset just sent would loop. */
    if (status == 416 && a->received == p->first)
        return invalid(s, status);
    s->acked = a->received;
    s->named = true;
    if (s->acked > 0)
        s->restarts = 0;
    if (s->acked < s->size)
        return ref_up_next(s, NULL);
    if (s->reply) {
        /* The reply's URL comes with the Ack of the final byte only. */
        if (status != 200 || !final)
            return ref_up_next(s, NULL);
        if (!a->reply_url[0] || a->reply_url_bad || !reply_url_ok(a->reply_url))
            return invalid(s, status);
        memcpy(s->reply_url, a->reply_url, sizeof(s->reply_url));
    }
    s->uploaded = true;
    return ref_up_next(s, NULL);
}

/* The Ping's Ack: a 2xx Ack moves on to the Fragments (MC-BUP
 * §3.1.5.1.3); any other status is an error Ack as any packet's (UP5). */
static enum ref_up_action judge_ping(struct ref_up_session *s, long status,
                                     const struct ack *a)
{
    if (status < 200 || status > 299)
        return ack_error(s, status, a);
    if (!a->is_ack)
        return invalid(s, status);
    s->ping = false;
    return ref_up_next(s, NULL);
}

/* Close-Session and Cancel-Session: resent on 5xx, never on 1xx-4xx
 * (W:ack-for-close-session, W:ack-for-cancel-session; decision UP4). */
static enum ref_up_action judge_end(struct ref_up_session *s, long status,
                                    const struct ack *a)
{
    if (status >= 500 && status <= 599) {
        if (++s->end_tries < REF_UP_END_TRIES)
            return ref_up_next(s, NULL);
        return ack_error(s, status, a);
    }
    s->closed = true;
    return REF_UP_DONE;
}

enum ref_up_action ref_up_judge(struct ref_up_session *s, long status,
                                const char *headers)
{
    struct ack a;
    enum ref_up_packet t = s->sent.type;

    ack_parse(&a, headers);
    s->sent.type = REF_UP_NONE;
    s->host_down_since = 0; /* an answer came: the fallback timer resets */
    if (a.has_error && a.error == (uint32_t)BG_E_SESSION_NOT_FOUND &&
        (t == REF_UP_CANCEL || (t == REF_UP_CLOSE && s->uploaded))) {
        /* Nothing left to end: the server has forgotten the session, and
         * a finished upload is already in place (decision UP3). */
        s->closed = true;
        return REF_UP_DONE;
    }
    if (a.has_error && a.error == (uint32_t)BG_E_SESSION_NOT_FOUND &&
        t != REF_UP_CANCEL) {
        /* MC-BUP §3.1.5.2.1: start again with Create-Session. */
        if (++s->restarts > REF_UP_RESTARTS)
            return ack_error(s, status, &a);
        forget_session(s);
        return ref_up_next(s, NULL);
    }
    switch (t) {
    case REF_UP_CREATE:
        return judge_create(s, status, &a);
    case REF_UP_FRAGMENT:
        return judge_fragment(s, status, &a);
    case REF_UP_PING:
        return judge_ping(s, status, &a);
    case REF_UP_CLOSE:
    case REF_UP_CANCEL:
        s->sent.type = t; /* a resend is the same packet */
        return judge_end(s, status, &a);
    case REF_UP_NONE:
        break;
    }
    return invalid(s, status);
}
