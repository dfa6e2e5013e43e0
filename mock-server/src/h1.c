/*
 * h1.c - HTTP/1.1 on a connection's byte side (struct mock_io).
 *
 * Owns request parsing (request line, headers, Content-Length bodies for
 * the control endpoint), keep-alive and pipelining (one exchange at a
 * time, later requests wait in io->in), the HTTP/1.1 side of a protocol
 * switch (its owner decides through mock_h1_ops whether a request with
 * Upgrade switches; h1.c then answers 101 and stops), 505 for a major
 * version other than 1, the limits of a request head (414 for the line,
 * 431 for the fields, 408 when it comes too slowly; M15), and writing
 * responses while honouring the plan: delay, pacing, triggers (close /
 * reset / stall), garbage instead of a status line, HTTP/1.0 answers.
 * Streams do not exist here, so rst-stream and an error goaway close
 * the connection.
 */
#include "mock.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *reason(int st)
{
    switch (st) {
    case 101:
        return "Switching Protocols";
    case 200:
        return "OK";
    case 204:
        return "No Content";
    case 206:
        return "Partial Content";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 303:
        return "See Other";
    case 304:
        return "Not Modified";
    case 307:
        return "Temporary Redirect";
    case 308:
        return "Permanent Redirect";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 407:
        return "Proxy Authentication Required";
    case 411:
        return "Length Required";
    case 413:
        return "Content Too Large";
    case 414:
        return "URI Too Long";
    case 416:
        return "Range Not Satisfiable";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Status";
    }
}

/* A bare error answer when no exchange could be built; closes after. */
static void h1_fail(struct mock_h1 *h, int st, const char *msg)
{
    mock_buf_printf(&h->io->out,
                    "HTTP/1.1 %d %s\r\ncontent-type: text/plain\r\n"
                    "content-length: %zu\r\nconnection: close\r\n\r\n%s",
                    st, reason(st), strlen(msg), msg);
    mock_io_end(h->io, MOCK_CLOSE_FIN);
}

void mock_h1_init(struct mock_h1 *h, struct mock_io *io,
                  const struct mock_h1_ops *ops, void *ctx)
{
    memset(h, 0, sizeof(*h));
    h->io = io;
    h->ops = ops;
    h->ctx = ctx;
    h->keepalive = true;
}

/* The owner switches protocols for x: answer 101 and hand x over.  1, or
 * -1 when out of memory. */
static int switch_proto(struct mock_h1 *h, struct mock_xfer *x, size_t headlen,
                        const char *proto)
{
    mock_buf_consume(&h->io->in, headlen);
    if (mock_buf_printf(&h->io->out,
                        "HTTP/1.1 101 Switching Protocols\r\n"
                        "Connection: Upgrade\r\nUpgrade: %s\r\n\r\n",
                        proto) < 0) {
        mock_xfer_free(x);
        return -1;
    }
    h->switched = x;
    return 1;
}

/* Parse one request head from io->in.  1 when an exchange started or
 * the protocol switched (h->switched), 0 when more bytes are needed, -1
 * on failure (answered; connection closing). */
static int parse_head(struct mock_h1 *h)
{
    const char *p = (const char *)mock_buf_head(&h->io->in);
    size_t n = mock_buf_pending(&h->io->in);
    /* tolerate empty lines between requests (RFC 9112 §2.2) */
    while (n >= 2 && p[0] == '\r' && p[1] == '\n') {
        mock_buf_consume(&h->io->in, 2);
        p += 2;
        n -= 2;
    }
    const struct mock_limits *lim = &h->io->srv->limits;
    const char *le = memmem(p, n, "\r\n", 2);
    if ((le ? (size_t)(le - p) : n) > lim->max_line) {
        h1_fail(h, 414, "request line too long\n");
        return -1;
    }
    if (!le) {
        return 0;
    }
    /* the field lines start after the request line and end before the
     * empty line; a partial head is refused as soon as it cannot fit */
    const char *fields = le + 2;
    const char *end = memmem(p, n, "\r\n\r\n", 4);
    const char *upto = end ? end + 2 : p + n;
    size_t lines = 0;
    for (const char *q = fields; q < upto;) {
        const char *e = memmem(q, (size_t)(upto - q), "\r\n", 2);
        if (!e) {
            break;
        }
        lines++;
        q = e + 2;
    }
    if ((size_t)(upto - fields) > lim->max_head + (end ? 0 : 2) ||
        lines > lim->max_headers) {
        h1_fail(h, 431, "request header fields too large\n");
        return -1;
    }
    if (!end) {
        return 0;
    }
    size_t headlen = (size_t)(end - p) + 4;
    struct mock_xfer *x = mock_xfer_new(h->io, 0);
    if (!x) {
        h1_fail(h, 500, "out of memory\n");
        return -1;
    }
    struct mock_req *r = &x->req;
    r->proto = MOCK_PROTO_H1;
    r->via = MOCK_VIA_H1;
    r->tls = h->io->tls;
    /* request line */
    const char *sp1 = memchr(p, ' ', (size_t)(le - p));
    const char *sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(le - sp1 - 1)) : NULL;
    if (!sp1 || !sp2 || sp1 == p || sp2 == sp1 + 1 || le - sp2 - 1 != 8 ||
        strncmp(sp2 + 1, "HTTP/", 5) != 0 || sp2[6] < '0' || sp2[6] > '9' ||
        sp2[7] != '.' || sp2[8] < '0' || sp2[8] > '9' ||
        (sp2[6] == '1' && sp2[8] > '1')) {
        mock_xfer_free(x);
        h1_fail(h, 400, "malformed request line\n");
        return -1;
    }
    if (sp2[6] != '1') {
        /* another version, e.g. the HTTP/2 preface's "PRI * HTTP/2.0"
         * on an --http1-only server: 505, as RFC 9110 §15.6.6 (M14) */
        mock_xfer_free(x);
        h1_fail(h, 505, "HTTP version not supported\n");
        return -1;
    }
    r->minor = sp2[8] - '0';
    r->method = mock_req_dup(r, p, (size_t)(sp1 - p));
    r->target = mock_req_dup(r, sp1 + 1, (size_t)(sp2 - sp1 - 1));
    if (!r->method || !r->target) {
        mock_xfer_free(x);
        h1_fail(h, 500, "out of memory\n");
        return -1;
    }
    const char *q = le + 2;
    while (q < end + 2) {
        const char *e = memmem(q, (size_t)(end + 2 - q), "\r\n", 2);
        const char *colon = memchr(q, ':', (size_t)(e - q));
        if (!colon || colon == q || *q == ' ' || *q == '\t' ||
            memchr(q, ' ', (size_t)(colon - q))) {
            mock_xfer_free(x);
            h1_fail(h, 400, "malformed header line\n");
            return -1;
        }
        const char *v = colon + 1;
        while (v < e && (*v == ' ' || *v == '\t')) {
            v++;
        }
        const char *ve = e;
        while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t')) {
            ve--;
        }
        if (mock_req_add_header(r, q, (size_t)(colon - q), v,
                                (size_t)(ve - v)) < 0) {
            mock_xfer_free(x);
            h1_fail(h, 500, "out of memory\n");
            return -1;
        }
        q = e + 2;
    }
    const char *connh = mock_req_header(r, "connection");
    h->keepalive = r->minor == 1
                       ? !(connh && mock_has_token(connh, "close"))
                       : (connh && mock_has_token(connh, "keep-alive"));
    const char *proto = h->ops && mock_req_header(r, "upgrade")
                            ? h->ops->upgrade(h->ctx, r)
                            : NULL;
    if (proto) {
        return switch_proto(h, x, headlen, proto);
    }
    if (mock_req_header(r, "transfer-encoding")) {
        mock_xfer_free(x);
        h1_fail(h, 501,
                "chunked request bodies are not supported; "
                "send Content-Length\n");
        return -1;
    }
    mock_buf_consume(&h->io->in, headlen);
    h->x = x;
    if (mock_xfer_head(x) < 0) {
        h->x = NULL;
        mock_xfer_free(x);
        h1_fail(h, 500, "out of memory\n");
        return -1;
    }
    const char *cl = mock_req_header(r, "content-length");
    if (cl) {
        char *ce;
        unsigned long long v = strtoull(cl, &ce, 10);
        if (*cl < '0' || *cl > '9' || *ce) {
            h->x = NULL;
            mock_xfer_free(x);
            h1_fail(h, 400, "bad Content-Length\n");
            return -1;
        }
        if (v > x->body_max) {
            h->x = NULL;
            mock_xfer_free(x);
            h1_fail(h, 413, "request body too large\n");
            return -1;
        }
        x->chunk_mark = v; /* bytes of body still to read (RECV only) */
    }
    const char *ex = mock_req_header(r, "expect");
    if (x->chunk_mark > 0 && r->minor == 1 && ex &&
        !strcasecmp(ex, "100-continue")) {
        /* the client holds the body back until this (RFC 9110 §10.1.1);
         * curl waits 1 s for it before uploads over 1 MiB (decision M25) */
        static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
        if (mock_buf_append(&h->io->out, cont, sizeof(cont) - 1) < 0) {
            h->x = NULL;
            mock_xfer_free(x);
            h1_fail(h, 500, "out of memory\n");
            return -1;
        }
    }
    return 1;
}

/* Move request body bytes; dispatch once complete. 0 or -1. */
static int read_body(struct mock_h1 *h, struct mock_xfer *x, int64_t now)
{
    if (x->st != MOCK_X_RECV) {
        return 0;
    }
    uint64_t got = x->sink >= 0 ? x->sink_len : mock_buf_pending(&x->req.body);
    uint64_t want = x->chunk_mark - got;
    size_t have = mock_buf_pending(&h->io->in);
    size_t take = have < want ? have : (size_t)want;
    if (take) {
        if (mock_xfer_body(x, mock_buf_head(&h->io->in), take) < 0) {
            return -1;
        }
        mock_buf_consume(&h->io->in, take);
        got += take;
    }
    if (got < x->chunk_mark) {
        return 0;
    }
    x->chunk_mark = 0;
    if (mock_xfer_dispatch(x, now) < 0) {
        return -1;
    }
    return 0;
}

int mock_h1_feed(struct mock_h1 *h, int64_t now)
{
    if (h->io->dead) {
        return 0;
    }
    if (!h->x) {
        int rc = parse_head(h);
        if (h->switched) {
            return MOCK_H1_SWITCHED;
        }
        /* the head deadline runs from its first byte (M15) */
        h->head_start = rc == 0 && mock_buf_pending(&h->io->in)
                            ? (h->head_start ? h->head_start : now)
                            : 0;
        if (rc <= 0) {
            return 0; /* failures answered in out */
        }
    }
    if (h->x && read_body(h, h->x, now) < 0) {
        h1_fail(h, 500, "out of memory\n");
    }
    return 0;
}

static void garbage(struct mock_h1 *h, int64_t n)
{
    uint8_t g[256];
    while (n > 0) {
        size_t k = n > (int64_t)sizeof(g) ? sizeof(g) : (size_t)n;
        for (size_t i = 0; i < k; i++) {
            g[i] = (uint8_t)mock_rand(&h->io->srv->garbage_rng);
        }
        if (g[0] == 'H') {
            g[0] = 0xff; /* never a plausible "HTTP/" */
        }
        mock_buf_append(&h->io->out, g, k);
        n -= (int64_t)k;
    }
}

static void done(struct mock_h1 *h, struct mock_xfer *x, const char *why)
{
    mock_xfer_finish(x, why);
    mock_xfer_free(x);
    h->x = NULL;
}

/* Handle a trigger; true when the exchange ended. */
static bool trigger(struct mock_h1 *h, struct mock_xfer *x, int t)
{
    switch (t) {
    case MOCK_TRIG_STALL:
        x->stalled = true;
        x->outcome = "stalled";
        return false;
    case MOCK_TRIG_RESET:
        done(h, x, "reset");
        mock_io_end(h->io, MOCK_CLOSE_RST);
        return true;
    case MOCK_TRIG_GOAWAY:
        if (x->plan.goaway_code == 0) {
            x->goaway_done = true;
            h->keepalive = false;
            return false;
        }
        done(h, x, "closed");
        mock_io_end(h->io, MOCK_CLOSE_FIN);
        return true;
    default: /* close, rst-stream: no streams in HTTP/1.1 */
        done(h, x, "closed");
        mock_io_end(h->io, MOCK_CLOSE_FIN);
        return true;
    }
}

static int send_head(struct mock_h1 *h, struct mock_xfer *x)
{
    struct mock_resp *rs = &x->resp;
    const struct mock_plan *p = &x->plan;
    if (p->goaway_after != MOCK_AFTER_NONE && p->goaway_code == 0) {
        h->keepalive = false; /* graceful: this is the last response */
    }
    bool body_delim = !rs->head && rs->content_length < 0 &&
                      rs->status >= 200 && rs->status != 204 &&
                      rs->status != 304;
    if (rs->http10 || body_delim || p->length_delta_set ||
        (p->garbage && p->garbage_after_headers) || h->io->shutting_down ||
        x->req.minor == 0) {
        h->keepalive = false;
    }
    struct mock_buf *o = &h->io->out;
    int rc = mock_buf_printf(o, "HTTP/1.%d %d %s\r\n", rs->http10 ? 0 : 1,
                             rs->status, reason(rs->status));
    for (size_t i = 0; i < rs->nhdrs; i++) {
        rc |= mock_buf_printf(o, "%s: %s\r\n", rs->hdrs[i].name,
                              rs->hdrs[i].value);
    }
    if (rs->content_length >= 0) {
        rc |= mock_buf_printf(o, "content-length: %lld\r\n",
                              (long long)rs->content_length);
    }
    rc |= mock_buf_printf(o, "server: h2mock\r\nconnection: %s\r\n\r\n",
                          h->keepalive ? "keep-alive" : "close");
    return rc ? -1 : 0;
}

/* A partial head past its deadline gets 408 and the connection closes
 * (slow clients, M15); otherwise wake up at the deadline. */
static void head_deadline(struct mock_h1 *h, int64_t now)
{
    if (!h->head_start || h->io->dead) {
        return;
    }
    int64_t at = h->head_start + h->io->srv->limits.head_ms;
    if (now >= at) {
        h1_fail(h, 408, "request head not received in time\n");
        return;
    }
    mock_io_wake_at(h->io, at);
}

int mock_h1_produce(struct mock_h1 *h, int64_t now)
{
    struct mock_io *io = h->io;
    while (!io->dead && mock_io_out_pending(io) < io->high_water) {
        struct mock_xfer *x = h->x;
        if (!x) {
            if (h->io->shutting_down) {
                mock_io_end(h->io, MOCK_CLOSE_FIN);
                return 0;
            }
            if (!mock_buf_pending(&h->io->in)) {
                return 0;
            }
            if (mock_h1_feed(h, now) == MOCK_H1_SWITCHED) {
                return MOCK_H1_SWITCHED;
            }
            if (!h->x) {
                head_deadline(h, now);
                return 0;
            }
            continue;
        }
        if (x->st == MOCK_X_RECV) {
            return 0;
        }
        if (x->st == MOCK_X_WAIT) {
            if (x->wake && now < x->wake) {
                mock_io_wake_at(h->io, x->wake);
                return 0;
            }
            int t = mock_xfer_pre_trigger(x);
            if (t && !(t == MOCK_TRIG_GOAWAY && x->plan.goaway_code == 0)) {
                trigger(h, x, t);
                return 0;
            }
            if (x->plan.garbage && !x->plan.garbage_after_headers) {
                garbage(h, x->plan.garbage);
                done(h, x, "garbage");
                mock_io_end(h->io, MOCK_CLOSE_FIN);
                return 0;
            }
            if (send_head(h, x) < 0) {
                return -1;
            }
            x->headers_sent = true;
            x->st = MOCK_X_BODY;
            x->t_body = now;
            if (x->plan.garbage) {
                garbage(h, x->plan.garbage);
                done(h, x, "garbage");
                mock_io_end(h->io, MOCK_CLOSE_FIN);
                return 0;
            }
            continue;
        }
        if (x->stalled) {
            return 0;
        }
        struct mock_allow a = mock_xfer_allow(x, now);
        if (a.trigger) {
            if (trigger(h, x, a.trigger)) {
                return 0;
            }
            continue;
        }
        if (x->sent >= x->resp.body.total) {
            bool keep = h->keepalive;
            done(h, x, "complete");
            if (!keep) {
                mock_io_end(h->io, MOCK_CLOSE_FIN);
                return 0;
            }
            continue;
        }
        if (a.n == 0) {
            mock_io_wake_at(h->io, a.wake);
            return 0;
        }
        /* read straight into the output, up to the high-water mark */
        size_t room = h->io->high_water - mock_io_out_pending(h->io);
        size_t want = a.n < room ? (size_t)a.n : room;
        uint8_t *p = mock_buf_space(&h->io->out, want);
        if (!p) {
            return -1;
        }
        ssize_t r = mock_body_read(&x->resp.body, p, want);
        if (r <= 0) {
            done(h, x, "read-error");
            mock_io_end(h->io, MOCK_CLOSE_FIN);
            return 0;
        }
        mock_buf_commit(&h->io->out, (size_t)r);
        x->sent += (uint64_t)r;
    }
    return 0;
}

struct mock_xfer *mock_h1_take_switched(struct mock_h1 *h)
{
    struct mock_xfer *x = h->switched;
    h->switched = NULL;
    return x;
}

bool mock_h1_idle(const struct mock_h1 *h)
{
    return h->x == NULL;
}

void mock_h1_shutdown(struct mock_h1 *h)
{
    h->keepalive = false;
    if (!h->x) {
        mock_io_end(h->io, MOCK_CLOSE_FIN);
    }
}

void mock_h1_abort(struct mock_h1 *h, const char *why)
{
    if (h->x) {
        mock_xfer_finish(h->x, h->x->stalled ? "stalled" : why);
        mock_xfer_free(h->x);
        h->x = NULL;
    }
    if (h->switched) {
        mock_xfer_free(h->switched);
        h->switched = NULL;
    }
}
