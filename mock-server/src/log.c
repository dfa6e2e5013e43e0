/*
 * log.c - the request log.
 *
 * Owns the JSON-lines form of an exchange (one object per request: seq,
 * time, protocol, method, path, every request header, status, body bytes
 * sent, declared length, the rule and actions that fired, the outcome)
 * and the ring of finished exchanges that GET /_mock/log returns; each
 * finished line is also appended to the --log file.  Control requests
 * (/_mock/) never reach the log.
 */
#include "mock.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

void mock_log_init(struct mock_log *l, size_t keep)
{
    memset(l, 0, sizeof(*l));
    l->cap = keep ? keep : 1;
}

static int json_kv_str(struct mock_buf *o, const char *k, const char *v)
{
    if (mock_buf_printf(o, ",\"%s\":", k) < 0) {
        return -1;
    }
    if (!v) {
        return mock_buf_append(o, "null", 4);
    }
    return mock_buf_json_str(o, v, strlen(v));
}

int mock_log_format(const struct mock_xfer *x, bool done, uint64_t seq,
                    struct mock_buf *o)
{
    char ts[40];
    time_t t = (time_t)(x->wall_ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    size_t n = strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(ts + n, sizeof(ts) - n, ".%03dZ", (int)(x->wall_ms % 1000));
    const struct mock_req *r = &x->req;
    int rc = mock_buf_printf(o, "{\"seq\":%llu,\"time\":\"%s\"",
                             (unsigned long long)seq, ts);
    rc |= json_kv_str(o, "proto", mock_req_proto_name(r));
    rc |= mock_buf_printf(o, ",\"tls\":%s", r->tls ? "true" : "false");
    if (x->stream_id) {
        rc |= mock_buf_printf(o, ",\"stream\":%d", (int)x->stream_id);
    }
    rc |= json_kv_str(o, "method", r->method);
    rc |= json_kv_str(o, "target", r->target);
    rc |= json_kv_str(o, "path", x->path);
    rc |= mock_buf_printf(o, ",\"headers\":[");
    for (size_t i = 0; i < r->nhdrs; i++) {
        rc |= mock_buf_append(o, i ? ",[" : "[", i ? 2 : 1);
        rc |= mock_buf_json_str(o, r->hdrs[i].name, strlen(r->hdrs[i].name));
        rc |= mock_buf_append(o, ",", 1);
        rc |= mock_buf_json_str(o, r->hdrs[i].value,
                                strlen(r->hdrs[i].value));
        rc |= mock_buf_append(o, "]", 1);
    }
    rc |= mock_buf_printf(o, "],\"status\":%d", x->headers_sent
                                                   ? x->resp.status
                                                   : 0);
    rc |= mock_buf_printf(o, ",\"bytes\":%llu", (unsigned long long)x->sent);
    rc |= mock_buf_printf(o, ",\"length\":%lld",
                          (long long)x->resp.content_length);
    rc |= json_kv_str(o, "rule", x->rule);
    rc |= json_kv_str(o, "actions", x->actions);
    rc |= json_kv_str(o, "outcome", done ? x->outcome : "in-flight");
    rc |= mock_buf_printf(o, ",\"done\":%s}", done ? "true" : "false");
    return rc ? -1 : 0;
}

void mock_log_add(struct mock_log *l, const struct mock_xfer *x)
{
    struct mock_buf b = {0};
    if (mock_log_format(x, true, x->seq, &b) < 0 ||
        mock_buf_append(&b, "", 1) < 0) {
        mock_buf_free(&b);
        return;
    }
    char *line = (char *)b.data;
    if (l->file) {
        fputs(line, l->file);
        fputc('\n', l->file);
        fflush(l->file);
    }
    if (!l->lines) {
        l->lines = calloc(l->cap, sizeof(char *));
        if (!l->lines) {
            free(line);
            return;
        }
    }
    size_t slot = (l->head + l->n) % l->cap;
    if (l->n == l->cap) {
        free(l->lines[l->head]); /* oldest out */
        l->head = (l->head + 1) % l->cap;
        l->n--;
    }
    l->lines[slot] = line;
    l->n++;
}

void mock_log_reset(struct mock_log *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->lines[(l->head + i) % l->cap]);
    }
    l->n = l->head = 0;
    l->gen++;
}

void mock_log_free(struct mock_log *l)
{
    mock_log_reset(l);
    free(l->lines);
    l->lines = NULL;
    if (l->file) {
        fclose(l->file);
        l->file = NULL;
    }
}
