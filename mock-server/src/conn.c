/*
 * conn.c - the I/O-free connection: protocol detection, dispatch and the
 * switch from HTTP/1.1 to h2c.
 *
 * A cleartext connection starts in DETECT: the HTTP/2 client preface
 * ("PRI * HTTP/2.0...") selects h2c by prior knowledge, anything else is
 * HTTP/1.1 (which may still upgrade to h2c).  After TLS, ALPN decides.
 * With --http1-only (srv->http1_only) every cleartext connection is
 * HTTP/1.1 from its first byte.
 * main.c moves bytes between the socket and c->io (io.c: the input and
 * the output queue) and honours c->io.close_after_flush; the protocols
 * (h1.c, h2.c) work on c->io only and know nothing of each other or of
 * this file.  An Upgrade request is reported here (mock_h1_ops): this
 * file decides whether it is a valid h2c upgrade, then hands the
 * request from h1.c to a new HTTP/2 session as stream 1.  It also closes
 * connections that hold a slot without using it: idle ones and a
 * partial preface past the head deadline (M15).
 */
#include "mock.h"

#include <string.h>

/* How much output a produce call prepares before it is written (M10).
 * 128 KiB measured best with h2load (bench/mock-vs-nghttpd.sh) once file
 * bytes were queued without a copy: 64 KiB needed about 10 % more server
 * CPU per request (twice the sends), 256 KiB about 5 % more. */
#ifndef MOCK_HIGH_WATER
#define MOCK_HIGH_WATER (128 * 1024)
#endif

static const char preface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

static int b64url_val(char ch)
{
    if (ch >= 'A' && ch <= 'Z') {
        return ch - 'A';
    }
    if (ch >= 'a' && ch <= 'z') {
        return ch - 'a' + 26;
    }
    if (ch >= '0' && ch <= '9') {
        return ch - '0' + 52;
    }
    if (ch == '-' || ch == '+') {
        return 62;
    }
    if (ch == '_' || ch == '/') {
        return 63;
    }
    return -1;
}

/* base64url (RFC 4648 §5, padding optional).  Bytes written or -1. */
static ssize_t b64url_decode(const char *s, uint8_t *out, size_t max)
{
    size_t n = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (; *s && *s != '='; s++) {
        int v = b64url_val(*s);
        if (v < 0) {
            return -1;
        }
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (n == max) {
                return -1;
            }
            out[n++] = (uint8_t)(acc >> bits);
        }
    }
    return (ssize_t)n;
}

/* The HTTP2-Settings payload of a valid h2c upgrade request into out, or
 * -1 when r is not one (it is then answered in HTTP/1.1). */
static ssize_t h2c_settings(const struct mock_conn *c, const struct mock_req *r,
                            uint8_t *out, size_t max)
{
    const char *up = mock_req_header(r, "upgrade");
    const char *conn = mock_req_header(r, "connection");
    const char *set = mock_req_header(r, "http2-settings");
    const char *cl = mock_req_header(r, "content-length");
    /* --http1-only: a server without HTTP/2 ignores Upgrade (M14) */
    if (c->io.srv->http1_only || c->io.tls || r->minor != 1 || !up ||
        !mock_has_token(up, "h2c") || !conn ||
        !mock_has_token(conn, "upgrade") ||
        !mock_has_token(conn, "http2-settings") || !set ||
        (cl && strcmp(cl, "0") != 0) ||
        mock_req_header(r, "transfer-encoding")) {
        return -1;
    }
    ssize_t sl = b64url_decode(set, out, max);
    if (sl < 0 || sl % 6 != 0) {
        return -1; /* RFC 9113 drops h2c; answer with HTTP/1.1 */
    }
    return sl;
}

/* h1.c asks whether a request with Upgrade switches: "h2c" when it is a
 * valid h2c upgrade.  The switch itself happens in switch_to_h2, which
 * decodes the settings again rather than keep 512 bytes per connection
 * for them. */
static const char *on_upgrade(void *ctx, const struct mock_req *r)
{
    const struct mock_conn *c = ctx;
    uint8_t settings[512];
    return h2c_settings(c, r, settings, sizeof(settings)) < 0 ? NULL : "h2c";
}

static const struct mock_h1_ops h1_ops = {.upgrade = on_upgrade};

void mock_conn_init(struct mock_conn *c, struct mock_server *s, bool tls,
                    bool h2_alpn)
{
    memset(c, 0, sizeof(*c));
    c->io.srv = s;
    c->io.id = ++s->conns;
    c->io.tls = tls;
    c->h2_alpn = h2_alpn;
    c->io.high_water = MOCK_HIGH_WATER;
    /* --http1-only: no preface detection; the preface is then a request
     * line h1.c refuses with 505 (decision M14) */
    c->kind = tls ? (h2_alpn ? MOCK_C_H2 : MOCK_C_H1)
                  : (s->http1_only ? MOCK_C_H1 : MOCK_C_DETECT);
    mock_h1_init(&c->h1, &c->io, &h1_ops, c);
    /* TLS writes records from one buffer: copy file bytes there */
    c->io.zero_copy = !tls;
}

size_t mock_conn_out_pending(const struct mock_conn *c)
{
    return mock_io_out_pending(&c->io);
}

int mock_conn_out_iov(const struct mock_conn *c, struct iovec *iov, int max)
{
    return mock_io_out_iov(&c->io, iov, max);
}

void mock_conn_out_consume(struct mock_conn *c, size_t n)
{
    mock_io_out_consume(&c->io, n);
}

int mock_conn_out_take(struct mock_conn *c, struct mock_buf *dst, size_t max)
{
    return mock_io_out_take(&c->io, dst, max);
}

static int ensure_h2(struct mock_conn *c)
{
    if (c->kind == MOCK_C_H2 && !c->h2.s) {
        return mock_h2_start(&c->h2, &c->io,
                             c->h2_alpn ? MOCK_VIA_H2_ALPN : MOCK_VIA_H2_PRIOR,
                             NULL, NULL, 0);
    }
    return 0;
}

/* h1.c answered 101 to an h2c upgrade: its request becomes stream 1 of a
 * new HTTP/2 session, which gets the bytes that followed.  0 or -1. */
static int switch_to_h2(struct mock_conn *c, int64_t now)
{
    struct mock_xfer *x = mock_h1_take_switched(&c->h1);
    struct mock_req *r = &x->req;
    uint8_t settings[512];
    ssize_t sl = h2c_settings(c, r, settings, sizeof(settings));
    c->kind = MOCK_C_H2;
    r->proto = MOCK_PROTO_H2;
    r->via = MOCK_VIA_H2_UPGRADE;
    int rc = mock_h2_start(&c->h2, &c->io, MOCK_VIA_H2_UPGRADE, r, settings,
                           (size_t)sl);
    mock_xfer_free(x); /* the request moved to the stream-1 exchange */
    if (rc < 0) {
        return -1;
    }
    if (mock_buf_pending(&c->io.in)) {
        return mock_h2_feed(&c->h2, now);
    }
    return 0;
}

int mock_conn_feed(struct mock_conn *c, const uint8_t *p, size_t n, int64_t now)
{
    c->io.now = now;
    c->io.feed_epoch = ++c->io.srv->feed_epoch;
    c->io.last_active = now;
    if (c->io.dead) {
        return 0;
    }
    if (mock_buf_append(&c->io.in, p, n) < 0) {
        return -1;
    }
    if (c->kind == MOCK_C_DETECT) {
        size_t have = mock_buf_pending(&c->io.in);
        size_t cmp = have < sizeof(preface) - 1 ? have : sizeof(preface) - 1;
        if (memcmp(mock_buf_head(&c->io.in), preface, cmp) != 0) {
            c->kind = MOCK_C_H1;
        } else if (cmp == sizeof(preface) - 1) {
            c->kind = MOCK_C_H2;
        } else {
            /* a prefix of the preface: wait, until the head deadline */
            c->head_start = c->head_start ? c->head_start : now;
            return 0;
        }
    }
    if (ensure_h2(c) < 0) {
        return -1;
    }
    if (c->kind == MOCK_C_H1) {
        if (mock_h1_feed(&c->h1, now) == MOCK_H1_SWITCHED) {
            return switch_to_h2(c, now) < 0 ? -1 : 0;
        }
        return 0;
    }
    return mock_h2_feed(&c->h2, now);
}

/* Closing connections that hold a slot without using it (M15): a
 * partial preface past the head deadline, and a connection with nothing
 * in flight, nothing to send and nothing half-received for idle_ms
 * (HTTP/2 says GOAWAY NO_ERROR first).  Otherwise wake up for the next
 * deadline.  0 or -1. */
static int limits(struct mock_conn *c, int64_t now)
{
    struct mock_io *io = &c->io;
    const struct mock_limits *lim = &io->srv->limits;
    if (io->dead) {
        return 0;
    }
    if (c->kind == MOCK_C_DETECT && mock_buf_pending(&io->in)) {
        int64_t at = c->head_start + lim->head_ms;
        if (now >= at) {
            mock_io_end(io, MOCK_CLOSE_FIN);
        } else {
            mock_io_wake_at(io, at);
        }
        return 0;
    }
    bool busy = !mock_conn_idle(c) || mock_io_out_pending(io) > 0;
    if (busy || !io->idle_since) {
        io->idle_since = now;
    }
    if (busy || !io->last_active) {
        io->last_active = now;
    }
    if (busy || mock_buf_pending(&io->in)) {
        return 0; /* a partial head has a deadline of its own */
    }
    int64_t at = io->last_active + lim->idle_ms;
    if (now < at) {
        mock_io_wake_at(io, at);
        return 0;
    }
    if (c->kind == MOCK_C_H2 && c->h2.s) {
        mock_h2_shutdown(&c->h2);
        return mock_h2_produce(&c->h2, now);
    }
    mock_io_end(io, MOCK_CLOSE_FIN);
    return 0;
}

int mock_conn_produce(struct mock_conn *c, int64_t now)
{
    c->io.now = now;
    c->io.wake = 0;
    if (c->io.dead) {
        return 0;
    }
    if (ensure_h2(c) < 0) {
        return -1;
    }
    int rc = 0;
    if (c->kind == MOCK_C_H1) {
        rc = mock_h1_produce(&c->h1, now);
        if (rc == MOCK_H1_SWITCHED) {
            rc = switch_to_h2(c, now);
        }
    }
    if (rc == 0 && c->kind == MOCK_C_H2) {
        rc = mock_h2_produce(&c->h2, now);
    }
    if (c->kind == MOCK_C_DETECT && c->io.shutting_down) {
        mock_io_end(&c->io, MOCK_CLOSE_FIN);
    }
    return rc < 0 ? -1 : limits(c, now);
}

int64_t mock_conn_idle_since(const struct mock_conn *c)
{
    if (c->io.dead || !mock_conn_idle(c) || mock_io_out_pending(&c->io)) {
        return -1;
    }
    return c->io.idle_since;
}

void mock_conn_abort(struct mock_conn *c, const char *why)
{
    mock_h1_abort(&c->h1, why);
    mock_h2_abort(&c->h2, why);
}

bool mock_conn_idle(const struct mock_conn *c)
{
    if (c->kind == MOCK_C_H2) {
        return mock_h2_idle(&c->h2);
    }
    return mock_h1_idle(&c->h1);
}

bool mock_conn_told_goaway(const struct mock_conn *c)
{
    return c->kind != MOCK_C_H2 || c->h2.goaway_sent;
}

void mock_conn_shutdown(struct mock_conn *c)
{
    c->io.shutting_down = true;
    if (c->kind != MOCK_C_H2) {
        mock_h1_shutdown(&c->h1);
    } else if (c->h2.s) {
        mock_h2_shutdown(&c->h2);
    }
}

void mock_conn_free(struct mock_conn *c)
{
    mock_conn_abort(c, "server-closed");
    mock_h2_free(&c->h2);
    mock_io_free(&c->io);
}
