/*
 * control.c - the /_mock/ control endpoint.
 *
 *   GET    /_mock/rules   the rules, as loadable text with counters
 *   POST   /_mock/rules   add the rules in the body (all or none; 400 +
 *                         "control:LINE: message" on a bad rule)
 *   DELETE /_mock/rules   remove every rule
 *   GET    /_mock/log     the request log, JSON lines (?since=SEQ)
 *   POST   /_mock/reset   rule counters to 0, generator to --seed, log
 *                         emptied
 *   GET    /_mock/uploads upload sessions and finished uploads with their
 *                         SHA-256 (JSON; --upload-dir)
 * Control requests are never matched against rules nor logged.
 */
#include "mock.h"

#include <stdlib.h>
#include <string.h>

static int text(struct mock_resp *resp, int st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#include <stdarg.h>
static int text(struct mock_resp *resp, int st, const char *fmt, ...)
{
    char m[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m, sizeof(m), fmt, ap);
    va_end(ap);
    return mock_http_text(resp, st, "text/plain", m, strlen(m));
}

static int bad_method(struct mock_resp *resp, const char *allow)
{
    if (text(resp, 405, "method not allowed here; allowed: %s\n", allow) < 0) {
        return -1;
    }
    return mock_resp_add_header(resp, "allow", allow);
}

static int with_buf(struct mock_resp *resp, const char *ctype,
                    struct mock_buf *b)
{
    int rc =
        mock_http_text(resp, 200, ctype, mock_buf_head(b), mock_buf_pending(b));
    mock_buf_free(b);
    return rc;
}

static int send_log(struct mock_server *s, const struct mock_req *r,
                    struct mock_resp *resp)
{
    uint64_t since = 0;
    const char *q = strchr(r->target, '?');
    if (q && !strncmp(q + 1, "since=", 6)) {
        since = strtoull(q + 7, NULL, 10);
    }
    struct mock_buf b = {0};
    const struct mock_log *l = &s->log;
    for (size_t i = 0; i < l->n; i++) {
        if (mock_log_seq(l, i) <= since) {
            continue;
        }
        if (mock_log_line(l, i, &b) < 0 || mock_buf_append(&b, "\n", 1) < 0) {
            mock_buf_free(&b);
            return -1;
        }
    }
    /* exchanges still in flight, oldest first */
    const struct mock_xfer *x = s->live;
    while (x && x->next_live) {
        x = x->next_live;
    }
    for (; x; x = x->prev_live) {
        if (x->seq <= since || x->log_gen != l->gen) {
            continue;
        }
        if (mock_log_format(x, false, x->seq, &b) < 0 ||
            mock_buf_append(&b, "\n", 1) < 0) {
            mock_buf_free(&b);
            return -1;
        }
    }
    return with_buf(resp, "application/x-ndjson", &b);
}

int mock_control(struct mock_server *s, const struct mock_req *r,
                 const char *path, struct mock_resp *resp)
{
    const char *m = r->method;
    resp->head = !strcmp(m, "HEAD");
    if (mock_resp_add_header(resp, "cache-control", "no-store") < 0) {
        return -1;
    }
    if (!strcmp(path, "/_mock/rules")) {
        if (!strcmp(m, "GET") || !strcmp(m, "HEAD")) {
            struct mock_buf b = {0};
            if (mock_rules_format(&s->rules, &b) < 0) {
                mock_buf_free(&b);
                return -1;
            }
            return with_buf(resp, "text/plain", &b);
        }
        if (!strcmp(m, "POST")) {
            char err[1024];
            size_t added = 0;
            if (mock_rules_parse(&s->rules,
                                 (const char *)mock_buf_head(&r->body),
                                 mock_buf_pending(&r->body), "control", &added,
                                 err, sizeof(err)) < 0) {
                return text(resp, 400, "%s\n", err);
            }
            return text(resp, 200, "added %zu rules\n", added);
        }
        if (!strcmp(m, "DELETE")) {
            size_t n = s->rules.n;
            mock_rules_clear(&s->rules);
            return text(resp, 200, "cleared %zu rules\n", n);
        }
        return bad_method(resp, "GET, POST, DELETE");
    }
    if (!strcmp(path, "/_mock/log")) {
        if (!strcmp(m, "GET") || !strcmp(m, "HEAD")) {
            return send_log(s, r, resp);
        }
        return bad_method(resp, "GET");
    }
    if (!strcmp(path, "/_mock/reset")) {
        if (!strcmp(m, "POST")) {
            mock_rules_reset(&s->rules);
            mock_log_reset(&s->log);
            s->log.seq = 0;
            return text(resp, 200, "reset\n");
        }
        return bad_method(resp, "POST");
    }
    if (!strcmp(path, "/_mock/uploads")) {
        if (strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0) {
            return bad_method(resp, "GET");
        }
        if (!s->up) {
            return text(resp, 404, "no --upload-dir\n");
        }
        struct mock_buf b = {0};
        if (mock_upload_list(s->up, mock_now_ms(), &b) < 0) {
            mock_buf_free(&b);
            return -1;
        }
        return with_buf(resp, "application/json", &b);
    }
    return text(resp, 404,
                "unknown control path %s; known: /_mock/rules, "
                "/_mock/log, /_mock/reset, /_mock/uploads\n",
                path);
}
