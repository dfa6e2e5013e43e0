/*
 * conn.c - the I/O-free connection: protocol detection and dispatch.
 *
 * A cleartext connection starts in DETECT: the HTTP/2 client preface
 * ("PRI * HTTP/2.0...") selects h2c by prior knowledge, anything else is
 * HTTP/1.1 (which may still upgrade to h2c).  After TLS, ALPN decides.
 * main.c moves bytes between the socket and c->in / c->out and honours
 * c->close_after_flush; everything else happens here and below.
 */
#include "mock.h"

#include <string.h>

/* How much output a produce call prepares before it is written.  64 KiB
 * measured best with h2load (bench/mock-vs-nghttpd.sh): 256 KiB let the
 * file bytes fall out of the cache between pread and send (+50 % server
 * CPU per request), 16 KiB costs a send per frame. */
#ifndef MOCK_HIGH_WATER
#define MOCK_HIGH_WATER (64 * 1024)
#endif

static const char preface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

void mock_conn_init(struct mock_conn *c, struct mock_server *s, bool tls,
                    bool h2_alpn)
{
    memset(c, 0, sizeof(*c));
    c->srv = s;
    c->tls = tls;
    c->h2_alpn = h2_alpn;
    c->high_water = MOCK_HIGH_WATER;
    c->kind = tls ? (h2_alpn ? MOCK_C_H2 : MOCK_C_H1) : MOCK_C_DETECT;
    c->h2via = h2_alpn ? MOCK_VIA_H2_ALPN : MOCK_VIA_H2_PRIOR;
    c->h1_keepalive = true;
}

static int ensure_h2(struct mock_conn *c)
{
    if (c->kind == MOCK_C_H2 && !c->h2) {
        return mock_h2_start(c, NULL, NULL, 0);
    }
    return 0;
}

int mock_conn_feed(struct mock_conn *c, const uint8_t *p, size_t n,
                   int64_t now)
{
    c->now = now;
    if (c->dead) {
        return 0;
    }
    if (mock_buf_append(&c->in, p, n) < 0) {
        return -1;
    }
    if (c->kind == MOCK_C_DETECT) {
        size_t have = mock_buf_pending(&c->in);
        size_t cmp = have < sizeof(preface) - 1 ? have : sizeof(preface) - 1;
        if (memcmp(mock_buf_head(&c->in), preface, cmp) != 0) {
            c->kind = MOCK_C_H1;
        } else if (cmp == sizeof(preface) - 1) {
            c->kind = MOCK_C_H2;
            c->h2via = MOCK_VIA_H2_PRIOR;
        } else {
            return 0; /* a prefix of the preface: wait */
        }
    }
    if (ensure_h2(c) < 0) {
        return -1;
    }
    if (c->kind == MOCK_C_H1) {
        return mock_h1_feed(c, now);
    }
    return mock_h2_feed(c, now);
}

int mock_conn_produce(struct mock_conn *c, int64_t now)
{
    c->now = now;
    c->wake = 0;
    if (c->dead) {
        return 0;
    }
    if (ensure_h2(c) < 0) {
        return -1;
    }
    if (c->kind == MOCK_C_H1) {
        return mock_h1_produce(c, now);
    }
    if (c->kind == MOCK_C_H2) {
        return mock_h2_produce(c, now);
    }
    if (c->shutting_down) {
        c->close_after_flush = MOCK_CLOSE_FIN;
        c->dead = true;
    }
    return 0;
}

void mock_conn_abort(struct mock_conn *c, const char *why)
{
    if (c->h1x) {
        mock_xfer_finish(c->h1x, c->h1x->stalled ? "stalled" : why);
        mock_xfer_free(c->h1x);
        c->h1x = NULL;
    }
    while (c->xfers) {
        struct mock_xfer *x = c->xfers;
        c->xfers = x->cnext;
        if (c->h2) {
            nghttp2_session_set_stream_user_data(c->h2, x->stream_id, NULL);
        }
        mock_xfer_finish(x, x->outcome && !strcmp(x->outcome, "stalled")
                                ? "stalled"
                                : why);
        mock_xfer_free(x);
    }
}

bool mock_conn_idle(const struct mock_conn *c)
{
    if (c->kind == MOCK_C_H2) {
        return mock_h2_idle(c);
    }
    return c->h1x == NULL;
}

void mock_conn_shutdown(struct mock_conn *c)
{
    c->shutting_down = true;
    c->h1_keepalive = false;
    if (c->kind == MOCK_C_H2 && c->h2 && !c->h2_goaway_sent) {
        c->h2_goaway_sent = true;
        nghttp2_submit_goaway(c->h2, NGHTTP2_FLAG_NONE,
                              nghttp2_session_get_last_proc_stream_id(c->h2),
                              NGHTTP2_NO_ERROR, NULL, 0);
    } else if (c->kind != MOCK_C_H2 && !c->h1x) {
        c->close_after_flush = MOCK_CLOSE_FIN;
        c->dead = true;
    }
}

void mock_conn_free(struct mock_conn *c)
{
    mock_conn_abort(c, "server-closed");
    if (c->h2) {
        nghttp2_session_del(c->h2);
        c->h2 = NULL;
    }
    mock_buf_free(&c->in);
    mock_buf_free(&c->out);
}
