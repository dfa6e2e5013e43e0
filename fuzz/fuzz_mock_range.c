/*
 * fuzz_mock_range.c - h2mock's Range and If-Range handling and its
 * request-target decoding: mock_range_parse on its own (with the
 * invariants its callers rely on), then mock_path_decode and
 * mock_http_respond with Range / If-Range headers, reading the whole
 * response body (single ranges, multipart/byteranges, 416).
 *
 * Input: byte 0 picks the file and the plan (bit 0: data.bin or
 * hello.txt, bit 1: HEAD, bit 2: no-validators, bit 3: bad-content-range,
 * bit 4: change-content), then '\n'-separated fields: Range value,
 * If-Range value, request-target (default the file's path).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_mock.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

/* The next '\n'-separated field of [*p, end) as a C string in out. */
static bool field(const uint8_t **p, const uint8_t *end, char *out,
                  size_t outlen)
{
    if (*p >= end) {
        return false;
    }
    const uint8_t *nl = memchr(*p, '\n', (size_t)(end - *p));
    size_t k = (size_t)((nl ? nl : end) - *p);
    if (k >= outlen) {
        k = outlen - 1;
    }
    memcpy(out, *p, k);
    out[k] = '\0';
    *p = nl ? nl + 1 : end;
    return true;
}

static void parse_alone(const char *h, uint64_t size)
{
    struct mock_range rg[8];
    int64_t first = -2;
    int nr = mock_range_parse(h, size, rg, 8, &first);
    if (nr < -1 || nr > 8) {
        abort();
    }
    for (int i = 0; i < nr; i++) {
        if (rg[i].first > rg[i].last || rg[i].last >= size) {
            fprintf(stderr, "range %d: %llu-%llu of %llu\n", i,
                    (unsigned long long)rg[i].first,
                    (unsigned long long)rg[i].last, (unsigned long long)size);
            abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    if (n < 1) {
        return 0;
    }
    uint8_t opt = d[0];
    const uint8_t *p = d + 1, *end = d + n;
    char range[2048], ifr[256], target[1024], path[1024];
    bool has_range = field(&p, end, range, sizeof range);
    bool has_ifr = field(&p, end, ifr, sizeof ifr);
    const char *file = opt & 1 ? "/hello.txt" : "/data.bin";
    if (!field(&p, end, target, sizeof target)) {
        snprintf(target, sizeof target, "%s", file);
    }
    if (has_range) {
        parse_alone(range, opt & 1 ? 6 : 20000);
        parse_alone(range, 0);
        parse_alone(range, UINT64_MAX);
    }
    int st = mock_path_decode(target, path, sizeof path);
    if (st != 0) {
        if (st != 400) {
            abort();
        }
        return 0;
    }
    if (path[0] != '/' || strstr(path, "/../") ||
        (strlen(path) >= 3 && !strcmp(path + strlen(path) - 3, "/.."))) {
        fprintf(stderr, "decoded path escapes: %s\n", path);
        abort();
    }

    struct mock_server srv;
    fuzz_mock_server(&srv, NULL);
    struct mock_req r;
    memset(&r, 0, sizeof r);
    r.proto = MOCK_PROTO_H1;
    r.minor = 1;
    const char *m = opt & 2 ? "HEAD" : "GET";
    r.method = mock_req_dup(&r, m, strlen(m));
    r.target = mock_req_dup(&r, target, strlen(target));
    struct mock_plan plan;
    mock_plan_init(&plan);
    plan.no_validators = opt & 4;
    plan.range_shift = opt & 8 ? 100 : 0;
    plan.change_version = opt & 16 ? 3 : 0;
    struct mock_resp resp;
    memset(&resp, 0, sizeof resp);
    resp.body.fd = -1;
    if (r.method && r.target &&
        (!has_range ||
         mock_req_add_header(&r, "Range", 5, range, strlen(range)) == 0) &&
        (!has_ifr ||
         mock_req_add_header(&r, "If-Range", 8, ifr, strlen(ifr)) == 0) &&
        mock_http_respond(&srv, &r, path, 0, &plan, &resp) == 0) {
        uint8_t buf[4096];
        uint64_t total = 0;
        ssize_t k;
        while ((k = mock_body_read(&resp.body, buf, sizeof buf)) > 0) {
            total += (uint64_t)k;
        }
        if (k < 0 ||
            (resp.content_length >= 0 && !resp.head && !plan.length_delta_set &&
             total != (uint64_t)resp.content_length)) {
            fprintf(stderr, "body %llu bytes, declared %lld\n",
                    (unsigned long long)total, (long long)resp.content_length);
            abort();
        }
    }
    mock_resp_free(&resp);
    mock_plan_free(&plan);
    mock_req_free(&r);
    mock_server_free(&srv);
    return 0;
}
