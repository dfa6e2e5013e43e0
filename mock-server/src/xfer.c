/*
 * xfer.c - one exchange (request + response), protocol-independent.
 *
 * Owns dispatch (decode the target, route /_mock/ to control.c, match
 * the fault rules, build the response with http.c), the body pacing every
 * protocol asks before sending bytes (throttle, chunk-delay and the
 * after=N triggers of stall / close / reset / rst-stream / goaway), and
 * the end of an exchange (logging it once).  How a trigger is carried out
 * on the wire is h1.c's and h2.c's business.
 */
#include "mock.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct mock_xfer *mock_xfer_new(struct mock_io *io, int32_t stream_id)
{
    struct mock_xfer *x = calloc(1, sizeof(*x));
    if (!x) {
        return NULL;
    }
    x->io = io;
    x->stream_id = stream_id;
    x->resp.body.fd = -1;
    x->sink = -1;
    x->body_max = MOCK_MAX_BODY;
    x->st = MOCK_X_RECV;
    mock_plan_init(&x->plan);
    return x;
}

static void link_live(struct mock_server *s, struct mock_xfer *x)
{
    x->next_live = s->live;
    x->prev_live = NULL;
    if (s->live) {
        s->live->prev_live = x;
    }
    s->live = x;
    x->linked = true;
}

static void unlink_live(struct mock_server *s, struct mock_xfer *x)
{
    if (!x->linked) {
        return;
    }
    if (x->prev_live) {
        x->prev_live->next_live = x->next_live;
    } else {
        s->live = x->next_live;
    }
    if (x->next_live) {
        x->next_live->prev_live = x->prev_live;
    }
    x->linked = false;
}

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int mock_xfer_head(struct mock_xfer *x)
{
    struct mock_server *s = x->io->srv;
    x->body_max = MOCK_MAX_BODY;
    if (!s->up || x->sink >= 0 || !x->req.method || !x->req.target ||
        mock_path_decode(x->req.target, x->path, sizeof(x->path)) != 0 ||
        !strncmp(x->path, "/_mock/", 7) ||
        !mock_upload_wants(&x->req, x->path)) {
        return 0;
    }
    bool err;
    x->sink = mock_upload_sink(s->up, &x->req, &err, &x->sink_base);
    x->sink_failed = err;
    if (x->sink >= 0) {
        /* on disk as it arrives: any size the protocol can carry */
        x->body_max = UINT64_MAX;
    }
    return 0;
}

int mock_xfer_body(struct mock_xfer *x, const uint8_t *p, size_t n)
{
    if (x->sink >= 0) {
        /* the body's bytes go to disk in arrival order */
        while (n > 0) {
            ssize_t w =
                pwrite(x->sink, p, n, (off_t)(x->sink_base + x->sink_len));
            if (w <= 0) {
                x->sink_failed = true;
                return -1;
            }
            x->sink_len += (uint64_t)w;
            p += w;
            n -= (size_t)w;
        }
        return 0;
    }
    if (mock_buf_pending(&x->req.body) + n > x->body_max) {
        return -1;
    }
    return mock_buf_append(&x->req.body, p, n);
}

int mock_xfer_dispatch(struct mock_xfer *x, int64_t now)
{
    struct mock_server *s = x->io->srv;
    x->t_req = now;
    x->wall_ms = wall_ms();
    x->st = MOCK_X_WAIT;
    x->wake = 0;
    int rc = mock_path_decode(x->req.target, x->path, sizeof(x->path));
    if (rc) {
        static const char m[] = "bad request target\n";
        snprintf(x->path, sizeof(x->path), "%s", "(invalid)");
        if (mock_http_text(&x->resp, 400, "text/plain", m, sizeof(m) - 1) < 0) {
            return -1;
        }
    } else if (!strcmp(x->path, "/_mock") || !strncmp(x->path, "/_mock/", 7)) {
        x->control = true;
        if (mock_control(s, &x->req, x->path, &x->resp) < 0) {
            return -1;
        }
        if (x->resp.head) {
            mock_body_free(&x->resp.body);
        }
        return 0;
    } else {
        const char *rh = mock_req_header(&x->req, "range");
        int64_t start = -1;
        if (rh) {
            struct mock_range one;
            if (mock_range_parse(rh, UINT64_MAX, &one, 1, &start) < 0 &&
                start == -1) {
                start = -3;
            }
        }
        bool up = s->up && mock_upload_wants(&x->req, x->path);
        struct mock_bits_key key;
        if (up) {
            mock_upload_key(s->up, &x->req, x->path, &key);
        }
        const struct mock_rule *rule =
            mock_rules_match(&s->rules, &x->req, x->path, start,
                             up && key.packet ? &key : NULL, &x->plan);
        if (rule) {
            struct mock_buf a = {0};
            for (size_t i = 0; i < rule->nacts; i++) {
                mock_buf_printf(&a, "%s%s", i ? "," : "",
                                rule->acts[i].desc->name);
            }
            mock_buf_append(&a, "", 1);
            x->actions = (char *)a.data;
            x->rule = strdup(rule->name);
        }
        if (up && x->sink_failed) {
            static const char m[] = "cannot keep the upload body\n";
            if (mock_http_text(&x->resp, 500, "text/plain", m, sizeof(m) - 1) <
                0) {
                return -1;
            }
        } else if (up && !x->plan.status) {
            if (mock_upload_respond(s, s->up, &x->req, x->path, x->sink,
                                    x->sink_base, x->sink_len, &x->plan, now,
                                    &x->resp, &x->bits) < 0) {
                return -1;
            }
        } else if (mock_http_respond(s, &x->req, x->path, x->io->feed_epoch,
                                     &x->plan, &x->resp) < 0) {
            return -1;
        }
        if (x->plan.delay_ms > 0) {
            x->wake = now + x->plan.delay_ms;
        }
    }
    if (x->resp.head) {
        mock_body_free(&x->resp.body); /* headers only */
    }
    x->seq = ++s->log.seq;
    x->log_gen = s->log.gen;
    link_live(s, x);
    return 0;
}

int mock_xfer_refuse(struct mock_xfer *x, int status, const char *msg)
{
    x->st = MOCK_X_WAIT;
    x->wake = 0;
    snprintf(x->path, sizeof(x->path), "%s", "(invalid)");
    return mock_http_text(&x->resp, status, "text/plain", msg, strlen(msg));
}

int mock_xfer_pre_trigger(const struct mock_xfer *x)
{
    const struct mock_plan *p = &x->plan;
    if (p->close_after == MOCK_AFTER_BEFORE) {
        return MOCK_TRIG_CLOSE;
    }
    if (p->reset_after == MOCK_AFTER_BEFORE) {
        return MOCK_TRIG_RESET;
    }
    if (p->rst_after == MOCK_AFTER_BEFORE) {
        return MOCK_TRIG_RST;
    }
    if (p->goaway_after == MOCK_AFTER_BEFORE) {
        return MOCK_TRIG_GOAWAY;
    }
    return 0;
}

static int armed(const struct mock_xfer *x, int64_t at[5], int kind[5])
{
    const struct mock_plan *p = &x->plan;
    int n = 0;
    at[n] = p->stall_after;
    kind[n++] = MOCK_TRIG_STALL;
    at[n] = p->close_after;
    kind[n++] = MOCK_TRIG_CLOSE;
    at[n] = p->reset_after;
    kind[n++] = MOCK_TRIG_RESET;
    at[n] = p->rst_after;
    kind[n++] = MOCK_TRIG_RST;
    at[n] = x->goaway_done ? MOCK_AFTER_NONE : p->goaway_after;
    kind[n++] = MOCK_TRIG_GOAWAY;
    return n;
}

bool mock_xfer_eof_ok(const struct mock_xfer *x)
{
    int64_t at[5];
    int kind[5];
    int n = armed(x, at, kind);
    for (int i = 0; i < n; i++) {
        if (at[i] >= 0 && (uint64_t)at[i] <= x->resp.body.total) {
            return false;
        }
    }
    return true;
}

struct mock_allow mock_xfer_allow(struct mock_xfer *x, int64_t now)
{
    struct mock_allow a = {0, 0, 0};
    const struct mock_plan *p = &x->plan;
    uint64_t total = x->resp.body.total;
    uint64_t left = total > x->sent ? total - x->sent : 0;
    a.n = left;
    int64_t at[5];
    int kind[5];
    int n = armed(x, at, kind);
    for (int i = 0; i < n; i++) {
        if (at[i] < 0) {
            continue;
        }
        if ((uint64_t)at[i] <= x->sent) {
            a.n = 0;
            a.trigger = kind[i];
            return a;
        }
        if ((uint64_t)at[i] - x->sent < a.n) {
            a.n = (uint64_t)at[i] - x->sent;
        }
    }
    if (a.n == 0) {
        return a;
    }
    if (p->rate > 0) {
        uint64_t rate = (uint64_t)p->rate;
        uint64_t burst = rate / 20 ? rate / 20 : 1;
        if (burst > 65536) {
            burst = 65536;
        }
        int64_t el = now - x->t_body;
        if (el < 0) {
            el = 0;
        }
        uint64_t allowed =
            (uint64_t)((double)rate * (double)el / 1000.0) + burst;
        if (allowed <= x->sent) {
            uint64_t need = x->sent + 1 - burst;
            int64_t w = x->t_body + (int64_t)((need * 1000 + rate - 1) / rate);
            a.n = 0;
            a.wake = w > now ? w : now + 1;
            return a;
        }
        if (allowed - x->sent < a.n) {
            a.n = allowed - x->sent;
        }
    }
    if (p->chunk_delay_ms > 0) {
        uint64_t size = (uint64_t)p->chunk_size;
        uint64_t in = x->sent - x->chunk_mark;
        if (in >= size) {
            if (!x->chunk_until) {
                x->chunk_until = now + p->chunk_delay_ms;
            }
            if (now < x->chunk_until) {
                a.n = 0;
                a.wake = x->chunk_until;
                return a;
            }
            x->chunk_mark = x->sent;
            x->chunk_until = 0;
            in = 0;
        }
        if (size - in < a.n) {
            a.n = size - in;
        }
    }
    return a;
}

void mock_xfer_finish(struct mock_xfer *x, const char *outcome)
{
    if (x->finished) {
        return;
    }
    x->finished = true;
    x->outcome = outcome;
    x->st = MOCK_X_DONE;
    struct mock_server *s = x->io->srv;
    if (x->seq && !x->control && x->log_gen == s->log.gen) {
        mock_log_add(&s->log, x);
    }
    unlink_live(s, x);
}

void mock_xfer_free(struct mock_xfer *x)
{
    if (!x) {
        return;
    }
    if (!x->finished) {
        mock_xfer_finish(x, x->st == MOCK_X_RECV ? "incomplete-request"
                                                 : "aborted");
    }
    if (x->sink >= 0) {
        close(x->sink);
    }
    mock_req_free(&x->req);
    mock_plan_free(&x->plan);
    mock_resp_free(&x->resp);
    free(x->rule);
    free(x->actions);
    free(x);
}
