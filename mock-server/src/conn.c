/*
 * conn.c - the I/O-free connection: protocol detection and dispatch.
 *
 * A cleartext connection starts in DETECT: the HTTP/2 client preface
 * ("PRI * HTTP/2.0...") selects h2c by prior knowledge, anything else is
 * HTTP/1.1 (which may still upgrade to h2c).  After TLS, ALPN decides.
 * With --http1-only (srv->http1_only) every cleartext connection is
 * HTTP/1.1 from its first byte.
 * main.c moves bytes between the socket and c->in / the output and
 * honours c->close_after_flush; everything else happens here and below.
 * Also owns the output queue: c->out's bytes with chunks of file bytes
 * (read-ahead blocks, no copy) queued between them, read as iovecs
 * (decision M13).
 */
#include "mock.h"

#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

/* How much output a produce call prepares before it is written (M10).
 * 128 KiB measured best with h2load (bench/mock-vs-nghttpd.sh) once file
 * bytes were queued without a copy: 64 KiB needed about 10 % more server
 * CPU per request (twice the sends), 256 KiB about 5 % more. */
#ifndef MOCK_HIGH_WATER
#define MOCK_HIGH_WATER (128 * 1024)
#endif

static const char preface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

void mock_conn_init(struct mock_conn *c, struct mock_server *s, bool tls,
                    bool h2_alpn)
{
    memset(c, 0, sizeof(*c));
    c->srv = s;
    c->id = ++s->conns;
    c->tls = tls;
    c->h2_alpn = h2_alpn;
    c->high_water = MOCK_HIGH_WATER;
    /* --http1-only: no preface detection; the preface is then a request
     * line h1.c refuses with 505 (decision M14) */
    c->kind = tls ? (h2_alpn ? MOCK_C_H2 : MOCK_C_H1)
                  : (s->http1_only ? MOCK_C_H1 : MOCK_C_DETECT);
    c->h2via = h2_alpn ? MOCK_VIA_H2_ALPN : MOCK_VIA_H2_PRIOR;
    c->h1_keepalive = true;
    /* TLS writes records from one buffer: copy file bytes there */
    c->zero_copy = !tls;
}

size_t mock_conn_out_pending(const struct mock_conn *c)
{
    return mock_buf_pending(&c->out) + c->oc_bytes;
}

int mock_conn_out_iov(const struct mock_conn *c, struct iovec *iov,
                      int max)
{
    const uint8_t *mem = mock_buf_head(&c->out);
    int n = 0;
    for (size_t i = c->oc_head; i < c->oc_n && n < max; i++) {
        const struct mock_ochunk *k = &c->oc[i];
        if (k->before) {
            iov[n].iov_base = (void *)mem;
            iov[n++].iov_len = k->before;
            mem += k->before;
            if (n == max) {
                return n;
            }
        }
        iov[n].iov_base = (void *)k->p;
        iov[n++].iov_len = k->len;
    }
    size_t rest = mock_buf_pending(&c->out) - c->oc_mem;
    if (rest && n < max) {
        iov[n].iov_base = (void *)mem;
        iov[n++].iov_len = rest;
    }
    return n;
}

void mock_conn_out_consume(struct mock_conn *c, size_t n)
{
    while (n && c->oc_head < c->oc_n) {
        struct mock_ochunk *k = &c->oc[c->oc_head];
        size_t m = n < k->before ? n : k->before;
        mock_buf_consume(&c->out, m);
        k->before -= m;
        c->oc_mem -= m;
        n -= m;
        m = n < k->len ? n : k->len;
        k->p += m;
        k->len -= m;
        c->oc_bytes -= m;
        n -= m;
        if (k->before || k->len) {
            return; /* n is 0 */
        }
        mock_block_put(k->blk);
        if (++c->oc_head == c->oc_n) {
            c->oc_head = c->oc_n = 0;
        }
    }
    mock_buf_consume(&c->out, n);
}

int mock_conn_out_take(struct mock_conn *c, struct mock_buf *dst,
                       size_t max)
{
    struct iovec iov[16];
    size_t moved = 0;
    while (moved < max && mock_conn_out_pending(c)) {
        int n = mock_conn_out_iov(c, iov, 16);
        size_t got = 0;
        for (int i = 0; i < n && moved + got < max; i++) {
            size_t k = iov[i].iov_len;
            if (k > max - moved - got) {
                k = max - moved - got;
            }
            if (mock_buf_append(dst, iov[i].iov_base, k) < 0) {
                mock_conn_out_consume(c, got);
                return -1;
            }
            got += k;
        }
        mock_conn_out_consume(c, got);
        moved += got;
    }
    return 0;
}

int mock_conn_out_chunk(struct mock_conn *c, const uint8_t *p, size_t n,
                        struct mock_block *blk)
{
    if (c->oc_n == c->oc_cap) {
        size_t cap = c->oc_cap ? c->oc_cap * 2 : 16;
        struct mock_ochunk *v = realloc(c->oc, cap * sizeof(*v));
        if (!v) {
            mock_block_put(blk);
            return -1;
        }
        c->oc = v;
        c->oc_cap = cap;
    }
    size_t before = mock_buf_pending(&c->out) - c->oc_mem;
    c->oc[c->oc_n++] = (struct mock_ochunk){before, p, n, blk};
    c->oc_mem += before;
    c->oc_bytes += n;
    return 0;
}

void mock_conn_out_mark(const struct mock_conn *c, struct mock_out_mark *m)
{
    m->len = mock_buf_pending(&c->out);
    m->oc_n = c->oc_n;
    m->oc_mem = c->oc_mem;
    m->oc_bytes = c->oc_bytes;
}

void mock_conn_out_rollback(struct mock_conn *c,
                            const struct mock_out_mark *m)
{
    while (c->oc_n > m->oc_n) {
        mock_block_put(c->oc[--c->oc_n].blk);
    }
    c->out.len = c->out.off + m->len;
    c->oc_mem = m->oc_mem;
    c->oc_bytes = m->oc_bytes;
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
    c->feed_epoch = ++c->srv->feed_epoch;
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
    mock_conn_out_consume(c, mock_conn_out_pending(c));
    free(c->oc);
    c->oc = NULL;
    c->oc_cap = 0;
    mock_buf_free(&c->in);
    mock_buf_free(&c->out);
}
