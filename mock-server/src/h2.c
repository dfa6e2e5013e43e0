/*
 * h2.c - HTTP/2 on a connection's byte side (struct mock_io), on
 * libnghttp2.
 *
 * Bytes go in through nghttp2_session_mem_recv and out through
 * nghttp2_session_mem_send into io->out; nothing here touches a socket,
 * so tests script whole conversations in memory.  (libnghttp2 1.52 has no
 * mem_recv2/mem_send2 - those arrived in 1.60 - so the ssize_t variants
 * are used.)  Owns the stream <-> exchange mapping, the data provider that
 * paces bodies (DEFERRED + resume_data for delay / throttle / chunk-delay,
 * never resumed for a stall; NGHTTP2_DATA_FLAG_NO_COPY so send_data_cb
 * writes each DATA frame's header into io->out and queues its payload,
 * read ahead from the file, after it without a copy) and the frame-level
 * faults: RST_STREAM with a chosen code, GOAWAY graceful or with an
 * error, garbage instead of a frame, and closing or resetting the
 * connection mid-body.  Also the HTTP/2 side of the limits (M15): the
 * concurrent streams advertised and enforced with REFUSED_STREAM, 431
 * for a header list over the size or count, and the deadline of a header
 * block.
 */
#include "mock.h"

#include <stdlib.h>
#include <string.h>

static void clink(struct mock_h2 *h, struct mock_xfer *x)
{
    x->cnext = h->xfers;
    x->cprev = NULL;
    if (h->xfers) {
        h->xfers->cprev = x;
    }
    h->xfers = x;
}

static void cunlink(struct mock_h2 *h, struct mock_xfer *x)
{
    if (x->cprev) {
        x->cprev->cnext = x->cnext;
    } else if (h->xfers == x) {
        h->xfers = x->cnext;
    }
    if (x->cnext) {
        x->cnext->cprev = x->cprev;
    }
    x->cnext = x->cprev = NULL;
}

/* nghttp2 1.52 holds a client to the SETTINGS_MAX_CONCURRENT_STREAMS it
 * sent, and once the client acknowledged it answers one stream more with
 * a connection error (GOAWAY PROTOCOL_ERROR), which ends every other
 * stream too.  So the session is told MCS_UNLIMITED, the copy of that
 * SETTINGS frame on the wire says the configured limit, and
 * on_begin_headers refuses a stream over it with REFUSED_STREAM, the
 * stream error RFC 9113 §5.1.2 allows (decision M15). */
#define MCS_UNLIMITED 0x7fffffffu

/* Append frames from nghttp2_session_mem_send to the output; the first
 * ones carry our SETTINGS, whose MAX_CONCURRENT_STREAMS is set to the
 * limit on the way.  0 or -1 (out of memory). */
static int put_frames(struct mock_h2 *h, const uint8_t *d, size_t k)
{
    uint8_t *p = mock_buf_space(&h->io->out, k);
    if (!p) {
        return -1;
    }
    memcpy(p, d, k);
    if (h->settings_unsent && k >= 9 && p[3] == NGHTTP2_SETTINGS &&
        !(p[4] & NGHTTP2_FLAG_ACK)) {
        size_t len = (size_t)p[0] << 16 | (size_t)p[1] << 8 | p[2];
        uint32_t lim = h->io->srv->limits.max_streams;
        for (size_t i = 9; i + 6 <= 9 + len && i + 6 <= k; i += 6) {
            uint32_t v = (uint32_t)p[i + 2] << 24 | (uint32_t)p[i + 3] << 16 |
                         (uint32_t)p[i + 4] << 8 | p[i + 5];
            if (p[i] == 0 &&
                p[i + 1] == NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS &&
                v == MCS_UNLIMITED) {
                p[i + 2] = (uint8_t)(lim >> 24);
                p[i + 3] = (uint8_t)(lim >> 16);
                p[i + 4] = (uint8_t)(lim >> 8);
                p[i + 5] = (uint8_t)lim;
            }
        }
    }
    h->settings_unsent = false;
    mock_buf_commit(&h->io->out, k);
    return 0;
}

static uint32_t open_streams(const struct mock_h2 *h)
{
    uint32_t n = 0;
    for (const struct mock_xfer *x = h->xfers; x; x = x->cnext) {
        n++;
    }
    return n;
}

static int32_t last_id(const struct mock_xfer *x)
{
    return x->plan.goaway_last < 0 ? x->stream_id : x->plan.goaway_last;
}

/* Carry out a trigger.  Returns the value for the data provider. */
static ssize_t trigger(struct mock_h2 *h, struct mock_xfer *x, int t)
{
    nghttp2_session *s = h->s;
    switch (t) {
    case MOCK_TRIG_STALL:
        x->stalled = true;
        x->outcome = "stalled";
        return NGHTTP2_ERR_DEFERRED;
    case MOCK_TRIG_CLOSE:
        mock_xfer_finish(x, "closed");
        mock_io_end(h->io, MOCK_CLOSE_FIN);
        return NGHTTP2_ERR_DEFERRED;
    case MOCK_TRIG_RESET:
        mock_xfer_finish(x, "reset");
        mock_io_end(h->io, MOCK_CLOSE_RST);
        return NGHTTP2_ERR_DEFERRED;
    case MOCK_TRIG_RST:
        x->outcome = "rst-stream";
        nghttp2_submit_rst_stream(s, NGHTTP2_FLAG_NONE, x->stream_id,
                                  x->plan.rst_code);
        return NGHTTP2_ERR_DEFERRED;
    case MOCK_TRIG_GOAWAY:
        if (x->plan.goaway_code == 0) {
            x->goaway_done = true;
            h->goaway_sent = true;
            nghttp2_submit_goaway(s, NGHTTP2_FLAG_NONE, last_id(x),
                                  NGHTTP2_NO_ERROR, NULL, 0);
            return 0; /* go on */
        }
        x->outcome = "goaway";
        mock_xfer_finish(x, "goaway");
        h->goaway_sent = true;
        nghttp2_session_terminate_session2(s, last_id(x), x->plan.goaway_code);
        return NGHTTP2_ERR_DEFERRED;
    }
    return NGHTTP2_ERR_DEFERRED;
}

static ssize_t read_cb(nghttp2_session *s, int32_t id, uint8_t *buf,
                       size_t length, uint32_t *flags, nghttp2_data_source *src,
                       void *ud)
{
    struct mock_h2 *h = ud;
    struct mock_xfer *x = src->ptr;
    if (x->stalled || x->finished || h->io->dead) {
        return NGHTTP2_ERR_DEFERRED;
    }
    for (;;) {
        struct mock_allow a = mock_xfer_allow(x, h->io->now);
        if (a.trigger) {
            ssize_t r = trigger(h, x, a.trigger);
            if (r == 0) {
                continue;
            }
            return r;
        }
        if (a.n == 0 && x->sent < x->resp.body.total) {
            x->deferred = true;
            x->wake = a.wake;
            mock_io_wake_at(h->io, a.wake);
            return NGHTTP2_ERR_DEFERRED;
        }
        size_t want = a.n < length ? (size_t)a.n : length;
        /* The bytes are read by send_data_cb, straight into conn->out;
         * the pacing above counts them as sent from here on. */
        x->sent += want;
        if (x->sent >= x->resp.body.total && mock_xfer_eof_ok(x)) {
            *flags |= NGHTTP2_DATA_FLAG_EOF;
        } else if (want == 0) {
            continue; /* a trigger sits exactly at the end */
        }
        *flags |= NGHTTP2_DATA_FLAG_NO_COPY;
        return (ssize_t)want;
    }
}

/* The DATA frame read_cb sized: its 9-byte header goes into conn->out,
 * the body bytes follow without a copy on cleartext connections (file
 * bytes read ahead are queued as chunks, sent with one writev) or are
 * read straight into conn->out (one copy).  Pauses mem_send once the
 * output reaches the high-water mark so the caller writes it out before
 * more is produced. */
static int send_data_cb(nghttp2_session *s, nghttp2_frame *f, const uint8_t *fh,
                        size_t length, nghttp2_data_source *src, void *ud)
{
    struct mock_h2 *h = ud;
    struct mock_xfer *x = src->ptr;
    size_t pad = f->data.padlen; /* includes the Pad Length byte */
    struct mock_out_mark m;
    mock_io_out_mark(h->io, &m);
    if (mock_buf_append(&h->io->out, fh, 9) < 0) {
        return NGHTTP2_ERR_CALLBACK_FAILURE;
    }
    if (pad) {
        uint8_t pl = (uint8_t)(pad - 1);
        if (mock_buf_append(&h->io->out, &pl, 1) < 0) {
            mock_io_out_rollback(h->io, &m);
            return NGHTTP2_ERR_CALLBACK_FAILURE;
        }
    }
    size_t left = length;
    while (left) {
        const uint8_t *bp;
        struct mock_block *blk;
        ssize_t r = 0;
        if (h->io->zero_copy) {
            r = mock_body_borrow(&x->resp.body, left, &bp, &blk);
            if (r > 0 && mock_io_out_chunk(h->io, bp, (size_t)r, blk) < 0) {
                mock_io_out_rollback(h->io, &m);
                return NGHTTP2_ERR_CALLBACK_FAILURE;
            }
        }
        if (r == 0) {
            uint8_t *p = mock_buf_space(&h->io->out, left);
            if (!p) {
                mock_io_out_rollback(h->io, &m);
                return NGHTTP2_ERR_CALLBACK_FAILURE;
            }
            r = mock_body_read(&x->resp.body, p, left);
            if (r > 0) {
                mock_buf_commit(&h->io->out, (size_t)r);
            }
        }
        if (r <= 0) {
            /* the file shrank or failed: reset the stream, and take
             * back the part of the frame already queued */
            mock_io_out_rollback(h->io, &m);
            x->sent -= length;
            x->outcome = "read-error";
            return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
        }
        left -= (size_t)r;
    }
    if (pad > 1) {
        uint8_t *p = mock_buf_space(&h->io->out, pad - 1);
        if (!p) {
            mock_io_out_rollback(h->io, &m);
            return NGHTTP2_ERR_CALLBACK_FAILURE;
        }
        memset(p, 0, pad - 1);
        mock_buf_commit(&h->io->out, pad - 1);
    }
    if (h->io->dead || mock_io_out_pending(h->io) >= h->io->high_water) {
        return NGHTTP2_ERR_PAUSE;
    }
    return 0;
}

static int on_begin_headers(nghttp2_session *s, const nghttp2_frame *f,
                            void *ud)
{
    struct mock_h2 *h = ud;
    if (f->hd.type != NGHTTP2_HEADERS ||
        f->headers.cat != NGHTTP2_HCAT_REQUEST) {
        return 0;
    }
    if (open_streams(h) >= h->io->srv->limits.max_streams) {
        /* over the advertised SETTINGS_MAX_CONCURRENT_STREAMS: refused,
         * the client may retry it; the connection goes on (M15) */
        nghttp2_submit_rst_stream(s, NGHTTP2_FLAG_NONE, f->hd.stream_id,
                                  NGHTTP2_REFUSED_STREAM);
        return 0;
    }
    struct mock_xfer *x = mock_xfer_new(h->io, f->hd.stream_id);
    if (!x) {
        return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
    }
    x->req.proto = MOCK_PROTO_H2;
    x->req.via = h->via;
    x->req.tls = h->io->tls;
    x->req.minor = 0;
    x->t_head = h->io->now;
    clink(h, x);
    nghttp2_session_set_stream_user_data(s, f->hd.stream_id, x);
    return 0;
}

static int on_header(nghttp2_session *s, const nghttp2_frame *f,
                     const uint8_t *name, size_t nl, const uint8_t *val,
                     size_t vl, uint8_t flags, void *ud)
{
    struct mock_h2 *h = ud;
    if (f->hd.type != NGHTTP2_HEADERS) {
        return 0;
    }
    struct mock_xfer *x =
        nghttp2_session_get_stream_user_data(s, f->hd.stream_id);
    if (!x) {
        return 0;
    }
    struct mock_req *r = &x->req;
    const struct mock_limits *lim = &h->io->srv->limits;
    /* the header list size of RFC 9113 §6.5.2; over a limit the rest is
     * not kept and the request is answered 431 at its end (M15) */
    x->head_bytes += nl + vl + 32;
    if (x->refuse || x->head_bytes > lim->max_head ||
        r->nhdrs >= lim->max_headers) {
        x->refuse = 431;
        return 0;
    }
    if (mock_req_add_header(r, (const char *)name, nl, (const char *)val, vl) <
        0) {
        return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
    }
    /* :method and :path share the header's copy */
    if (nl == 7 && !memcmp(name, ":method", 7) && !r->method) {
        r->method = r->hdrs[r->nhdrs - 1].value;
    } else if (nl == 5 && !memcmp(name, ":path", 5) && !r->target) {
        r->target = r->hdrs[r->nhdrs - 1].value;
    }
    return 0;
}

static int on_data(nghttp2_session *s, uint8_t flags, int32_t id,
                   const uint8_t *data, size_t len, void *ud)
{
    struct mock_xfer *x = nghttp2_session_get_stream_user_data(s, id);
    if (!x) {
        return 0;
    }
    if (mock_xfer_body(x, data, len) < 0) {
        nghttp2_submit_rst_stream(s, NGHTTP2_FLAG_NONE, id,
                                  NGHTTP2_REFUSED_STREAM);
    }
    return 0;
}

static int submit(struct mock_h2 *h, struct mock_xfer *x);

static int on_frame_recv(nghttp2_session *s, const nghttp2_frame *f, void *ud)
{
    struct mock_h2 *h = ud;
    if (f->hd.type == NGHTTP2_SETTINGS && !(f->hd.flags & NGHTTP2_FLAG_ACK)) {
        h->wait_preface = false;
        return 0;
    }
    struct mock_xfer *x =
        nghttp2_session_get_stream_user_data(s, f->hd.stream_id);
    if (!x || x->st != MOCK_X_RECV) {
        return 0;
    }
    if (f->hd.type == NGHTTP2_HEADERS) {
        /* the request head, not trailers: decide where its body goes */
        bool first = !x->head_done;
        x->head_done = true;
        if (first && !x->refuse && mock_xfer_head(x) < 0) {
            return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
        }
        if (x->refuse) {
            if (mock_xfer_refuse(x, x->refuse,
                                 "request header fields too large\n") < 0) {
                return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
            }
            return submit(h, x) < 0 ? NGHTTP2_ERR_CALLBACK_FAILURE : 0;
        }
    }
    if ((f->hd.type != NGHTTP2_HEADERS && f->hd.type != NGHTTP2_DATA) ||
        !(f->hd.flags & NGHTTP2_FLAG_END_STREAM)) {
        return 0;
    }
    if (!x->req.method || !x->req.target) {
        nghttp2_submit_rst_stream(s, NGHTTP2_FLAG_NONE, f->hd.stream_id,
                                  NGHTTP2_PROTOCOL_ERROR);
        return 0;
    }
    if (mock_xfer_dispatch(x, h->io->now) < 0) {
        return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
    }
    return submit(h, x) < 0 ? NGHTTP2_ERR_CALLBACK_FAILURE : 0;
}

static int on_stream_close(nghttp2_session *s, int32_t id, uint32_t code,
                           void *ud)
{
    struct mock_h2 *h = ud;
    struct mock_xfer *x = nghttp2_session_get_stream_user_data(s, id);
    if (!x) {
        return 0;
    }
    nghttp2_session_set_stream_user_data(s, id, NULL);
    const char *why = "complete";
    if (x->outcome) {
        why = x->outcome;
    } else if (code != NGHTTP2_NO_ERROR) {
        why = "client-reset";
    } else if (!x->headers_sent) {
        why = "refused";
    } else if (x->sent < x->resp.body.total) {
        why = "incomplete";
    }
    mock_xfer_finish(x, why);
    cunlink(h, x);
    mock_xfer_free(x);
    return 0;
}

static void garbage_out(struct mock_h2 *h, uint64_t n)
{
    uint8_t g[256];
    bool first = true;
    while (n > 0) {
        size_t k = n > sizeof(g) ? sizeof(g) : (size_t)n;
        for (size_t i = 0; i < k; i++) {
            g[i] = (uint8_t)mock_rand(&h->io->srv->garbage_rng);
        }
        /* A random frame header of an unknown type would just be skipped
         * by the peer; a length field beyond any max frame size makes
         * the client fail the connection (FRAME_SIZE_ERROR). */
        for (size_t i = 0; first && i < k && i < 3; i++) {
            g[i] = 0xff;
        }
        first = false;
        mock_buf_append(&h->io->out, g, k);
        n -= k;
    }
}

/* v in decimal, NUL-terminated, at the end of buf; returns its start. */
static const char *utoa(char *buf, size_t len, uint64_t v)
{
    char *p = buf + len;
    *--p = 0;
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return p;
}

/* Start (or keep waiting to start) the response of x. 0 or -1. */
static int submit(struct mock_h2 *h, struct mock_xfer *x)
{
    nghttp2_session *s = h->s;
    if (x->st != MOCK_X_WAIT || h->wait_preface) {
        return 0;
    }
    if (x->wake && h->io->now < x->wake) {
        mock_io_wake_at(h->io, x->wake);
        return 0;
    }
    x->wake = 0;
    int t = mock_xfer_pre_trigger(x);
    if (t) {
        ssize_t r = trigger(h, x, t);
        if (r != 0) {
            x->st = MOCK_X_BODY;
            return 0;
        }
    }
    if (x->plan.garbage && !x->plan.garbage_after_headers) {
        mock_xfer_finish(x, "garbage");
        h->garbage_pending = (uint64_t)x->plan.garbage;
        x->st = MOCK_X_BODY;
        return 0;
    }
    struct mock_resp *rs = &x->resp;
    size_t nv = rs->nhdrs + 3;
    nghttp2_nv stack_nva[24];
    nghttp2_nv *nva = stack_nva;
    if (nv > sizeof(stack_nva) / sizeof(stack_nva[0])) {
        nva = calloc(nv, sizeof(*nva));
        if (!nva) {
            return -1;
        }
    }
    char st[8], cl[24];
    const char *clp = utoa(cl, sizeof(cl), (uint64_t)rs->content_length);
    st[0] = (char)('0' + rs->status / 100 % 10);
    st[1] = (char)('0' + rs->status / 10 % 10);
    st[2] = (char)('0' + rs->status % 10);
    st[3] = 0;
    size_t n = 0;
#define NV(N, V)                                                               \
    do {                                                                       \
        nva[n].name = (uint8_t *)(N);                                          \
        nva[n].namelen = strlen(N);                                            \
        nva[n].value = (uint8_t *)(V);                                         \
        nva[n].valuelen = strlen(V);                                           \
        nva[n].flags = NGHTTP2_NV_FLAG_NONE;                                   \
        n++;                                                                   \
    } while (0)
    NV(":status", st);
    for (size_t i = 0; i < rs->nhdrs; i++) {
        NV(rs->hdrs[i].name, rs->hdrs[i].value);
    }
    if (rs->content_length >= 0) {
        NV("content-length", clp);
    }
    NV("server", "h2mock");
#undef NV
    int rc;
    x->headers_sent = true;
    x->st = MOCK_X_BODY;
    x->t_body = h->io->now;
    if (x->plan.garbage) {
        rc = nghttp2_submit_headers(s, NGHTTP2_FLAG_NONE, x->stream_id, NULL,
                                    nva, n, NULL);
        mock_xfer_finish(x, "garbage");
        h->garbage_pending = (uint64_t)x->plan.garbage;
    } else if (rs->body.total == 0 && mock_xfer_eof_ok(x) &&
               x->plan.stall_after == MOCK_AFTER_NONE) {
        rc = nghttp2_submit_response(s, x->stream_id, nva, n, NULL);
    } else {
        nghttp2_data_provider prd;
        prd.source.ptr = x;
        prd.read_callback = read_cb;
        rc = nghttp2_submit_response(s, x->stream_id, nva, n, &prd);
    }
    if (nva != stack_nva) {
        free(nva);
    }
    return rc == 0 ? 0 : -1;
}

int mock_h2_start(struct mock_h2 *h, struct mock_io *io, enum mock_via via,
                  struct mock_req *upgraded, const uint8_t *settings,
                  size_t slen)
{
    memset(h, 0, sizeof(*h));
    h->io = io;
    h->via = via;
    nghttp2_session_callbacks *cb;
    if (nghttp2_session_callbacks_new(&cb) != 0) {
        return -1;
    }
    nghttp2_session_callbacks_set_on_begin_headers_callback(cb,
                                                            on_begin_headers);
    nghttp2_session_callbacks_set_on_header_callback(cb, on_header);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cb, on_data);
    nghttp2_session_callbacks_set_on_frame_recv_callback(cb, on_frame_recv);
    nghttp2_session_callbacks_set_on_stream_close_callback(cb, on_stream_close);
    nghttp2_session_callbacks_set_send_data_callback(cb, send_data_cb);
    nghttp2_option *opt;
    if (nghttp2_option_new(&opt) != 0) {
        nghttp2_session_callbacks_del(cb);
        return -1;
    }
    int rc = nghttp2_session_server_new2(&h->s, cb, h, opt);
    nghttp2_option_del(opt);
    nghttp2_session_callbacks_del(cb);
    if (rc != 0) {
        h->s = NULL;
        return -1;
    }
    nghttp2_settings_entry iv[] = {
        {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, MCS_UNLIMITED},
        {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 1 << 20},
        {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE,
         (uint32_t)io->srv->limits.max_head},
    };
    if (nghttp2_submit_settings(h->s, NGHTTP2_FLAG_NONE, iv, 3) != 0) {
        return -1;
    }
    h->settings_unsent = true;
    if (!upgraded) {
        return 0;
    }
    bool head = upgraded->method && !strcmp(upgraded->method, "HEAD");
    if (nghttp2_session_upgrade2(h->s, settings, slen, head, NULL) != 0) {
        return -1;
    }
    struct mock_xfer *x = mock_xfer_new(h->io, 1);
    if (!x) {
        return -1;
    }
    h->wait_preface = true;
    x->req = *upgraded; /* take the request over */
    memset(upgraded, 0, sizeof(*upgraded));
    x->req.proto = MOCK_PROTO_H2;
    x->req.via = MOCK_VIA_H2_UPGRADE;
    clink(h, x);
    nghttp2_session_set_stream_user_data(h->s, 1, x);
    if (mock_xfer_dispatch(x, h->io->now) < 0) {
        return -1;
    }
    return submit(h, x);
}

int mock_h2_feed(struct mock_h2 *h, int64_t now)
{
    h->io->now = now;
    if (h->io->dead || !h->s) {
        return 0;
    }
    size_t n = mock_buf_pending(&h->io->in);
    if (!n) {
        return 0;
    }
    ssize_t r = nghttp2_session_mem_recv(h->s, mock_buf_head(&h->io->in), n);
    if (r < 0) {
        /* fatal (bad preface, flood, callback failure): say GOAWAY if
         * the session still can, then close */
        nghttp2_session_terminate_session(h->s, NGHTTP2_PROTOCOL_ERROR);
        const uint8_t *d;
        ssize_t k;
        while ((k = nghttp2_session_mem_send(h->s, &d)) > 0) {
            put_frames(h, d, (size_t)k);
        }
        mock_io_end(h->io, MOCK_CLOSE_FIN);
        return 0;
    }
    mock_buf_consume(&h->io->in, (size_t)r);
    return 0;
}

int mock_h2_produce(struct mock_h2 *h, int64_t now)
{
    h->io->now = now;
    if (h->io->dead || !h->s) {
        return 0;
    }
    h->io->wake = 0;
    /* timers: delayed responses and paced bodies */
    for (struct mock_xfer *x = h->xfers, *nx; x; x = nx) {
        nx = x->cnext;
        if (x->st == MOCK_X_RECV && !x->head_done) {
            /* a header block arriving too slowly holds the whole
             * connection (no other frame may come between its parts):
             * GOAWAY and close (M15) */
            int64_t at = x->t_head + h->io->srv->limits.head_ms;
            if (now >= at) {
                nghttp2_session_terminate_session(h->s, NGHTTP2_NO_ERROR);
                break;
            }
            mock_io_wake_at(h->io, at);
        } else if (x->st == MOCK_X_WAIT) {
            if (submit(h, x) < 0) {
                return -1;
            }
        } else if (x->st == MOCK_X_BODY && x->deferred && !x->stalled &&
                   !x->finished) {
            if (!x->wake || now >= x->wake) {
                x->deferred = false;
                x->wake = 0;
                nghttp2_session_resume_data(h->s, x->stream_id);
            } else {
                mock_io_wake_at(h->io, x->wake);
            }
        }
        if (h->io->dead) {
            break;
        }
    }
    while (!h->garbage_pending &&
           mock_io_out_pending(h->io) < h->io->high_water) {
        const uint8_t *d;
        ssize_t k = nghttp2_session_mem_send(h->s, &d);
        if (k < 0) {
            mock_io_end(h->io, MOCK_CLOSE_FIN);
            return 0;
        }
        if (k == 0) {
            break;
        }
        if (put_frames(h, d, (size_t)k) < 0) {
            return -1;
        }
        if (h->io->dead) {
            return 0;
        }
    }
    if (h->io->dead) {
        return 0; /* a trigger inside mem_send (no frame returned) */
    }
    if (h->garbage_pending) {
        garbage_out(h, h->garbage_pending);
        h->garbage_pending = 0;
        mock_io_end(h->io, MOCK_CLOSE_FIN);
        return 0;
    }
    if (!nghttp2_session_want_read(h->s) && !nghttp2_session_want_write(h->s)) {
        mock_io_end(h->io, MOCK_CLOSE_FIN);
        return 0;
    }
    if (h->goaway_sent && !h->xfers && !nghttp2_session_want_write(h->s)) {
        mock_io_end(h->io, MOCK_CLOSE_FIN);
    }
    return 0;
}

bool mock_h2_idle(const struct mock_h2 *h)
{
    return h->xfers == NULL;
}

void mock_h2_shutdown(struct mock_h2 *h)
{
    if (h->s && !h->goaway_sent) {
        h->goaway_sent = true;
        nghttp2_submit_goaway(h->s, NGHTTP2_FLAG_NONE,
                              nghttp2_session_get_last_proc_stream_id(h->s),
                              NGHTTP2_NO_ERROR, NULL, 0);
    }
}

void mock_h2_abort(struct mock_h2 *h, const char *why)
{
    while (h->xfers) {
        struct mock_xfer *x = h->xfers;
        h->xfers = x->cnext;
        if (h->s) {
            nghttp2_session_set_stream_user_data(h->s, x->stream_id, NULL);
        }
        mock_xfer_finish(
            x, x->outcome && !strcmp(x->outcome, "stalled") ? "stalled" : why);
        mock_xfer_free(x);
    }
}

void mock_h2_free(struct mock_h2 *h)
{
    mock_h2_abort(h, "server-closed");
    if (h->s) {
        nghttp2_session_del(h->s);
        h->s = NULL;
    }
}
