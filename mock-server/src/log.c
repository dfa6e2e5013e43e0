/*
 * log.c - the request log.
 *
 * Owns the JSON-lines form of an exchange (one object per request: seq,
 * time, protocol, connection id, method, path, every request header,
 * status, body bytes sent, declared length, the rule and actions that
 * fired, the outcome; for an upload packet its type, session id and
 * Content-Range) and the ring of finished exchanges that
 * GET /_mock/log returns; each finished line is also appended to the
 * --log file.  Control requests
 * (/_mock/) never reach the log.  The ring keeps compact records (one
 * allocation each) and turns them into JSON only when the log is read,
 * so serving a request does not pay for formatting nobody asks for.
 */
#include "mock.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* What one log line says; for a finished exchange the strings live in
 * the same allocation as the record. */
struct mock_logrec {
    uint64_t seq;
    int64_t wall_ms;
    const char *proto; /* static */
    bool tls;
    bool done;
    uint64_t conn; /* connection id, 0 when unknown */
    int32_t stream_id;
    const char *method, *target, *path;
    const struct mock_header *hdrs;
    size_t nhdrs;
    int status;
    uint64_t bytes;
    int64_t length;
    const char *rule, *actions; /* NULL when no rule fired */
    const char *outcome;        /* static */
    const char *packet;         /* static; NULL: not an upload packet */
    const char *session, *range;
};

void mock_log_init(struct mock_log *l, size_t keep)
{
    memset(l, 0, sizeof(*l));
    l->cap = keep ? keep : 1;
}

static int lit(struct mock_buf *o, const char *s)
{
    return mock_buf_append(o, s, strlen(s));
}

static int u64(struct mock_buf *o, uint64_t v)
{
    char d[24];
    size_t i = sizeof(d);
    do {
        d[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return mock_buf_append(o, d + i, sizeof(d) - i);
}

static int i64(struct mock_buf *o, int64_t v)
{
    if (v < 0) {
        return mock_buf_append(o, "-", 1) | u64(o, (uint64_t)0 - (uint64_t)v);
    }
    return u64(o, (uint64_t)v);
}

/* ,"k":"v" or ,"k":null */
static int kv_str(struct mock_buf *o, const char *k, const char *v)
{
    int rc =
        mock_buf_append(o, ",\"", 2) | lit(o, k) | mock_buf_append(o, "\":", 2);
    if (!v) {
        return rc | mock_buf_append(o, "null", 4);
    }
    return rc | mock_buf_json_str(o, v, strlen(v));
}

static int format_rec(const struct mock_logrec *e, struct mock_buf *o)
{
    char ts[40];
    time_t t = (time_t)(e->wall_ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    size_t n = strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
    int ms = (int)(e->wall_ms % 1000);
    ts[n++] = '.';
    ts[n++] = (char)('0' + ms / 100);
    ts[n++] = (char)('0' + ms / 10 % 10);
    ts[n++] = (char)('0' + ms % 10);
    ts[n++] = 'Z';
    int rc = lit(o, "{\"seq\":") | u64(o, e->seq) | lit(o, ",\"time\":\"") |
             mock_buf_append(o, ts, n) | mock_buf_append(o, "\"", 1);
    rc |= kv_str(o, "proto", e->proto);
    rc |= lit(o, e->tls ? ",\"tls\":true" : ",\"tls\":false");
    rc |= lit(o, ",\"conn\":") | u64(o, e->conn);
    if (e->stream_id) {
        rc |= lit(o, ",\"stream\":") | i64(o, e->stream_id);
    }
    rc |= kv_str(o, "method", e->method);
    rc |= kv_str(o, "target", e->target);
    rc |= kv_str(o, "path", e->path);
    rc |= lit(o, ",\"headers\":[");
    for (size_t i = 0; i < e->nhdrs; i++) {
        rc |= mock_buf_append(o, i ? ",[" : "[", i ? 2 : 1);
        rc |= mock_buf_json_str(o, e->hdrs[i].name, strlen(e->hdrs[i].name));
        rc |= mock_buf_append(o, ",", 1);
        rc |= mock_buf_json_str(o, e->hdrs[i].value, strlen(e->hdrs[i].value));
        rc |= mock_buf_append(o, "]", 1);
    }
    rc |= lit(o, "],\"status\":") | i64(o, e->status);
    rc |= lit(o, ",\"bytes\":") | u64(o, e->bytes);
    rc |= lit(o, ",\"length\":") | i64(o, e->length);
    rc |= kv_str(o, "rule", e->rule);
    rc |= kv_str(o, "actions", e->actions);
    rc |= kv_str(o, "outcome", e->outcome);
    if (e->packet) {
        rc |= kv_str(o, "packet", e->packet);
        rc |= kv_str(o, "session", e->session);
        rc |= kv_str(o, "range", e->range);
    }
    rc |= lit(o, e->done ? ",\"done\":true}" : ",\"done\":false}");
    return rc ? -1 : 0;
}

/* The record of x as it stands, pointing into x. */
static void view(const struct mock_xfer *x, bool done, uint64_t seq,
                 struct mock_logrec *e)
{
    const struct mock_req *r = &x->req;
    e->seq = seq;
    e->wall_ms = x->wall_ms;
    e->proto = mock_req_proto_name(r);
    e->tls = r->tls;
    e->done = done;
    e->conn = x->io ? x->io->id : 0;
    e->stream_id = x->stream_id;
    e->method = r->method;
    e->target = r->target;
    e->path = x->path;
    e->hdrs = r->hdrs;
    e->nhdrs = r->nhdrs;
    e->status = x->headers_sent ? x->resp.status : 0;
    e->bytes = x->sent;
    e->length = x->resp.content_length;
    e->rule = x->rule;
    e->actions = x->actions;
    e->outcome = done ? x->outcome : "in-flight";
    e->packet = x->bits.packet;
    e->session = x->bits.packet && x->bits.session[0] ? x->bits.session : NULL;
    e->range = x->bits.packet && x->bits.range[0] ? x->bits.range : NULL;
}

int mock_log_format(const struct mock_xfer *x, bool done, uint64_t seq,
                    struct mock_buf *o)
{
    struct mock_logrec e;
    view(x, done, seq, &e);
    return format_rec(&e, o);
}

/* Copy the record e into one allocation (header array and strings
 * after it).  NULL when out of memory. */
static struct mock_logrec *pack(const struct mock_logrec *e)
{
    const char *strs[4] = {e->method, e->target, e->path, e->rule};
    size_t len = sizeof(*e) + e->nhdrs * sizeof(struct mock_header);
    for (size_t i = 0; i < 4; i++) {
        len += strs[i] ? strlen(strs[i]) + 1 : 0;
    }
    len += e->actions ? strlen(e->actions) + 1 : 0;
    len += e->session ? strlen(e->session) + 1 : 0;
    len += e->range ? strlen(e->range) + 1 : 0;
    for (size_t i = 0; i < e->nhdrs; i++) {
        len += strlen(e->hdrs[i].name) + strlen(e->hdrs[i].value) + 2;
    }
    struct mock_logrec *p = malloc(len);
    if (!p) {
        return NULL;
    }
    *p = *e;
    struct mock_header *h = (struct mock_header *)(p + 1);
    char *s = (char *)(h + e->nhdrs);
#define COPY(dst, src)                                                         \
    do {                                                                       \
        if (src) {                                                             \
            size_t n_ = strlen(src) + 1;                                       \
            memcpy(s, src, n_);                                                \
            dst = s;                                                           \
            s += n_;                                                           \
        }                                                                      \
    } while (0)
    COPY(p->method, e->method);
    COPY(p->target, e->target);
    COPY(p->path, e->path);
    COPY(p->rule, e->rule);
    COPY(p->actions, e->actions);
    COPY(p->session, e->session);
    COPY(p->range, e->range);
    for (size_t i = 0; i < e->nhdrs; i++) {
        COPY(h[i].name, e->hdrs[i].name);
        COPY(h[i].value, e->hdrs[i].value);
    }
#undef COPY
    p->hdrs = h;
    return p;
}

void mock_log_add(struct mock_log *l, const struct mock_xfer *x)
{
    struct mock_logrec e;
    view(x, true, x->seq, &e);
    if (l->file) {
        struct mock_buf b = {0};
        if (format_rec(&e, &b) == 0 && mock_buf_append(&b, "\n", 1) == 0) {
            fwrite(b.data, 1, b.len, l->file);
            fflush(l->file);
        }
        mock_buf_free(&b);
    }
    if (!l->recs) {
        l->recs = calloc(l->cap, sizeof(*l->recs));
        if (!l->recs) {
            return;
        }
    }
    struct mock_logrec *p = pack(&e);
    if (!p) {
        return;
    }
    size_t slot = (l->head + l->n) % l->cap;
    if (l->n == l->cap) {
        free(l->recs[l->head]); /* oldest out */
        l->head = (l->head + 1) % l->cap;
        l->n--;
    }
    l->recs[slot] = p;
    l->n++;
}

uint64_t mock_log_seq(const struct mock_log *l, size_t i)
{
    return l->recs[(l->head + i) % l->cap]->seq;
}

int mock_log_line(const struct mock_log *l, size_t i, struct mock_buf *out)
{
    return format_rec(l->recs[(l->head + i) % l->cap], out);
}

void mock_log_reset(struct mock_log *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->recs[(l->head + i) % l->cap]);
    }
    l->n = l->head = 0;
    l->gen++;
}

void mock_log_free(struct mock_log *l)
{
    mock_log_reset(l);
    free(l->recs);
    l->recs = NULL;
    if (l->file) {
        fclose(l->file);
        l->file = NULL;
    }
}
