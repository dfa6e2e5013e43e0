/*
 * fuzz_ref_judge.c - the reference's I/O-free response judge
 * (ref_transfer.c): header lines into ref_resp_line (status line,
 * Content-Length, Content-Range, ETag / Last-Modified), the block into
 * ref_plan_headers, body byte counts into ref_plan_body and the end into
 * ref_plan_end, request after request as ref_engine.c's callbacks drive
 * them (ref_plan_request says what the next request is).  A
 * multipart/byteranges answer is a 206 without a usable Content-Range to
 * the judge (the engine asks one range per request); its body is text the
 * judge only counts.
 *
 * Input: a binary header (flags, resume point, known size, max size, up
 * to three ranges; short input leaves defaults), then text: header lines
 * separated by '\n', each block ended by an empty line and followed by a
 * line with the body's length in decimal (bytes counted, never stored).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ref_transfer.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

struct rd {
    const uint8_t *p, *end;
};

static uint64_t take(struct rd *r, int bytes, uint64_t dflt)
{
    if (r->end - r->p < bytes) {
        r->p = r->end;
        return dflt;
    }
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++) {
        v = v << 8 | *r->p++;
    }
    return v;
}

/* The next line (without '\n') or NULL at the end of the input. */
static const char *line(struct rd *r, size_t *len)
{
    if (r->p >= r->end) {
        return NULL;
    }
    const char *s = (const char *)r->p;
    const uint8_t *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
    *len = (size_t)((nl ? nl : r->end) - r->p);
    r->p = nl ? nl + 1 : r->end;
    return s;
}

static void check(const struct ref_plan *p, const struct ref_verdict *v)
{
    if (v->kind > REF_V_FAIL ||
        (v->kind == REF_V_FAIL && v->err_kind == REF_ERR_NONE) ||
        (p->expect != REF_SIZE_UNKNOWN && v->kind == REF_V_ACCEPT &&
         p->got > p->expect)) {
        fprintf(stderr, "verdict %d (%d/%d), got %llu of %llu\n", v->kind,
                v->err_kind, v->err_code, (unsigned long long)p->got,
                (unsigned long long)p->expect);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    struct rd r = {d, d + n};
    unsigned flags = (unsigned)take(&r, 1, 0);
    uint64_t resume = take(&r, 2, 0);
    uint64_t known = take(&r, 2, 0xffff);
    uint64_t max = take(&r, 2, 0xffff);
    struct ref_range ranges[3];
    size_t nr = (flags >> 4) & 3;
    for (size_t i = 0; i < nr; i++) {
        ranges[i].offset = take(&r, 2, 0);
        uint64_t l = take(&r, 2, 0xffff);
        ranges[i].length = l == 0xffff ? REF_LENGTH_TO_EOF : l;
    }
    const char *etag = flags & 4 ? "\"v1\"" : NULL;
    const char *lm = flags & 8 ? "Wed, 01 Jan 2025 00:00:00 GMT" : NULL;
    struct ref_plan plan;
    if (ref_plan_init(&plan, nr ? ranges : NULL, nr, resume,
                      known == 0xffff ? REF_SIZE_UNKNOWN : known, etag, lm,
                      flags & 1, max == 0xffff ? REF_SIZE_UNKNOWN : max) < 0) {
        return 0;
    }
    for (int round = 0; round < 32; round++) {
        char range[64], if_range[REF_VALIDATOR_MAX];
        struct ref_verdict v = {0};
        if (ref_plan_request(&plan, range, sizeof range, if_range,
                             sizeof if_range, &v) != REF_V_ACCEPT) {
            break;
        }
        struct ref_resp resp;
        ref_resp_init(&resp);
        const char *s;
        size_t len;
        bool ended = false;
        while ((s = line(&r, &len))) {
            if (ref_resp_line(&resp, s, len) && resp.status >= 200) {
                ended = true;
                break; /* a final block; 1xx blocks are skipped */
            }
        }
        if (!ended) {
            break;
        }
        ref_plan_headers(&plan, &resp, &v);
        check(&plan, &v);
        if (v.kind == REF_V_FAIL || v.kind == REF_V_DONE) {
            break;
        }
        if (v.kind == REF_V_REISSUE) {
            continue;
        }
        s = line(&r, &len);
        char num[24];
        snprintf(num, sizeof num, "%.*s", s ? (int)(len < 23 ? len : 23) : 0,
                 s ? s : "");
        uint64_t body = strtoull(num, NULL, 10) % (1u << 20);
        while (body && v.kind == REF_V_ACCEPT) {
            size_t k = body < 16384 ? (size_t)body : 16384;
            ref_plan_body(&plan, k, &v);
            check(&plan, &v);
            body -= k;
        }
        if (v.kind == REF_V_FAIL) {
            break;
        }
        ref_plan_end(&plan, &v);
        check(&plan, &v);
        if (v.kind != REF_V_MORE) {
            break;
        }
    }
    ref_plan_total(&plan);
    ref_plan_free(&plan);
    return 0;
}
