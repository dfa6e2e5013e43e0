/*
 * fuzz_mock_faults.c - h2mock's fault-rule parser: mock_rules_parse on the
 * input (what --faults FILE and POST /_mock/rules read), then the round
 * trip the control endpoint promises: mock_rules_format's text must parse
 * again to rules that format to the same text.  The rules are matched
 * against a few requests (mock_rules_match) so the parsed fields are used.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mock.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static void match_one(struct mock_rules *rs, const char *method,
                      const char *path, enum mock_proto proto,
                      int64_t range_start)
{
    struct mock_req r;
    memset(&r, 0, sizeof r);
    r.method = mock_req_dup(&r, method, strlen(method));
    r.target = mock_req_dup(&r, path, strlen(path));
    r.proto = proto;
    struct mock_plan plan;
    mock_plan_init(&plan);
    if (r.method && r.target) {
        mock_rules_match(rs, &r, path, range_start, NULL, &plan);
    }
    mock_plan_free(&plan);
    mock_req_free(&r);
}

/* The formatted text of rs, NUL-terminated (malloc'd by the buffer). */
static struct mock_buf format(const struct mock_rules *rs)
{
    struct mock_buf b = {0};
    if (mock_rules_format(rs, &b) < 0 || mock_buf_append(&b, "", 1) < 0) {
        abort(); /* no allocation fails here but under a leak of memory */
    }
    return b;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    struct mock_rules rs;
    char err[256];
    size_t added = 0;
    mock_rules_init(&rs, 7);
    if (mock_rules_parse(&rs, (const char *)d, n, "fuzz", &added, err,
                         sizeof err) < 0) {
        if (rs.n != 0 || !memchr(err, '\0', sizeof err)) {
            abort(); /* all or none, and a terminated message */
        }
        mock_rules_clear(&rs);
        return 0;
    }
    if (added != rs.n) {
        abort();
    }
    match_one(&rs, "GET", "/data.bin", MOCK_PROTO_H1, -1);
    match_one(&rs, "GET", "/a/b.bin", MOCK_PROTO_H2, 100);
    match_one(&rs, "HEAD", "/hello.txt", MOCK_PROTO_H1, 0);

    struct mock_buf one = format(&rs);
    struct mock_rules again;
    mock_rules_init(&again, 7);
    const char *text = (const char *)mock_buf_head(&one);
    if (mock_rules_parse(&again, text, mock_buf_pending(&one) - 1, "format",
                         NULL, err, sizeof err) < 0) {
        fprintf(stderr, "formatted rules do not parse: %s\n%s", err, text);
        abort();
    }
    /* Counters differ (the first set matched requests): zero both. */
    mock_rules_reset(&rs);
    struct mock_buf a = format(&rs), b = format(&again);
    if (mock_buf_pending(&a) != mock_buf_pending(&b) ||
        memcmp(mock_buf_head(&a), mock_buf_head(&b), mock_buf_pending(&a))) {
        fprintf(stderr, "round trip differs:\n%s---\n%s",
                (const char *)mock_buf_head(&a),
                (const char *)mock_buf_head(&b));
        abort();
    }
    mock_buf_free(&one);
    mock_buf_free(&a);
    mock_buf_free(&b);
    mock_rules_clear(&again);
    mock_rules_clear(&rs);

    char name[32];
    snprintf(name, sizeof name, "%.*s", (int)(n < 31 ? n : 31),
             (const char *)d);
    mock_h2code(name);
    return 0;
}
