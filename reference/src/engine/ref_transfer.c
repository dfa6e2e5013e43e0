/*
 * ref_transfer.c - the I/O-free protocol core of one file transfer.
 *
 * Owns the integrity rules of docs/engine.md: which Range to ask for, what
 * a response must declare to be used (206 with the Content-Range asked
 * for, Content-Length equal to the range, the same complete length as
 * before), when the file restarts from zero (the validator or the size
 * changed; a plain resume answered with 200) and when the transfer fails.
 * A file is complete only when every response delivered exactly the bytes
 * it declared; libcurl's CURLE_OK alone never completes anything (7.88.1
 * can report a cut-short HTTP/2 body as success, notes §0 #2).  The engine
 * (ref_engine.c) does the I/O and calls in here.
 */
#include "ref_transfer.h"
#include "ref_alloc.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* More restarts than this within one attempt mean the server keeps
 * changing; the attempt fails (REF_XE_BAD_CONTENT_RANGE). */
#define MAX_REISSUES 3

const char *ref_xfer_err_name(int code)
{
    switch (code) {
    case REF_XE_TRUNCATED:
        return "TRUNCATED";
    case REF_XE_LENGTH_MISMATCH:
        return "LENGTH_MISMATCH";
    case REF_XE_BAD_CONTENT_RANGE:
        return "BAD_CONTENT_RANGE";
    case REF_XE_NO_RANGE_SUPPORT:
        return "NO_RANGE_SUPPORT";
    case REF_XE_INVALID_RANGE:
        return "INVALID_RANGE";
    case REF_XE_MISSING_SIZE:
        return "MISSING_SIZE";
    case REF_XE_TOO_LARGE:
        return "TOO_LARGE";
    case REF_XE_NO_MEMORY:
        return "NO_MEMORY";
    case REF_XE_SOURCE_CHANGED:
        return "SOURCE_CHANGED";
    }
    return "?";
}

/* ------------------------------------------------------------------ */
/* Header parsing                                                     */
/* ------------------------------------------------------------------ */

void ref_resp_init(struct ref_resp *r)
{
    memset(r, 0, sizeof *r);
}

/* Parses a decimal uint64 from [*s, end); skips leading blanks.  Returns
 * false on no digits or overflow. */
static bool parse_u64(const char **s, const char *end, uint64_t *out)
{
    const char *p = *s;
    uint64_t v = 0;

    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    if (p == end || !isdigit((unsigned char)*p))
        return false;
    while (p < end && isdigit((unsigned char)*p)) {
        unsigned d = (unsigned)(*p - '0');
        if (v > (UINT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
        p++;
    }
    *s = p;
    *out = v;
    return true;
}

static const char *skip_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    return p;
}

/* "bytes a-b/N", "bytes a-b/(star)", "bytes (star)/N" (RFC 9110 §14.4). */
static void parse_content_range(struct ref_resp *r, const char *p,
                                const char *end)
{
    r->range_invalid = true;
    p = skip_ws(p, end);
    if (end - p < 6 || strncasecmp(p, "bytes", 5) != 0 || p[5] != ' ')
        return;
    p = skip_ws(p + 6, end);
    if (p < end && *p == '*') {
        p = skip_ws(p + 1, end);
        if (p == end || *p != '/')
            return;
        p++;
        if (!parse_u64(&p, end, &r->complete))
            return;
        if (skip_ws(p, end) != end)
            return;
        r->complete_known = true;
        r->range_unsat = true;
        r->has_range = true;
        r->range_invalid = false;
        return;
    }
    if (!parse_u64(&p, end, &r->first))
        return;
    if (p == end || *p != '-')
        return;
    p++;
    if (!parse_u64(&p, end, &r->last) || r->last < r->first)
        return;
    p = skip_ws(p, end);
    if (p == end || *p != '/')
        return;
    p = skip_ws(p + 1, end);
    if (p < end && *p == '*') {
        p++;
        r->complete_known = false;
    } else {
        if (!parse_u64(&p, end, &r->complete) || r->last >= r->complete)
            return;
        r->complete_known = true;
    }
    if (skip_ws(p, end) != end)
        return;
    r->has_range = true;
    r->range_invalid = false;
}

static void copy_value(char *dst, const char *p, const char *end)
{
    size_t n;

    p = skip_ws(p, end);
    while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    n = (size_t)(end - p);
    if (n >= REF_VALIDATOR_MAX)
        n = 0; /* an oversized validator is not usable */
    memcpy(dst, p, n);
    dst[n] = '\0';
}

static bool header_is(const char *line, size_t nlen, const char *name)
{
    return strlen(name) == nlen && strncasecmp(line, name, nlen) == 0;
}

bool ref_resp_line(struct ref_resp *r, const char *line, size_t len)
{
    const char *end = line + len;
    const char *colon;
    size_t nlen;

    while (end > line && (end[-1] == '\n' || end[-1] == '\r'))
        end--;
    if (end == line)
        return true;
    if (end - line >= 5 && strncmp(line, "HTTP/", 5) == 0) {
        const char *p = memchr(line, ' ', (size_t)(end - line));
        uint64_t st = 0;

        ref_resp_init(r);
        if (p && parse_u64(&p, end, &st) && st < 1000)
            r->status = (long)st;
        return false;
    }
    colon = memchr(line, ':', (size_t)(end - line));
    if (!colon)
        return false;
    nlen = (size_t)(colon - line);
    if (header_is(line, nlen, "content-length")) {
        const char *p = colon + 1;
        uint64_t v;

        if (parse_u64(&p, end, &v) && skip_ws(p, end) == end) {
            if (r->has_length && r->length != v) {
                r->has_length = false; /* conflicting: unusable */
                r->length_conflict = true;
            } else if (!r->length_conflict) {
                r->has_length = true;
                r->length = v;
            }
        }
    } else if (header_is(line, nlen, "content-range")) {
        parse_content_range(r, colon + 1, end);
    } else if (header_is(line, nlen, "etag")) {
        copy_value(r->etag, colon + 1, end);
    } else if (header_is(line, nlen, "location")) {
        r->has_location = true;
    } else if (header_is(line, nlen, "last-modified")) {
        copy_value(r->last_modified, colon + 1, end);
    }
    return false;
}

/* ------------------------------------------------------------------ */
/* Plan                                                               */
/* ------------------------------------------------------------------ */

static void set_str(char *dst, const char *src)
{
    size_t n = src ? strlen(src) : 0;

    if (n >= REF_VALIDATOR_MAX)
        n = 0;
    if (n)
        memcpy(dst, src, n);
    dst[n] = '\0';
}

/* Resolved length of range i, or REF_LENGTH_TO_EOF while unknown. */
static uint64_t range_len(const struct ref_plan *p, size_t i)
{
    const struct ref_range *r = &p->ranges[i];

    if (r->length != REF_LENGTH_TO_EOF)
        return r->length;
    if (p->size == REF_SIZE_UNKNOWN || r->offset >= p->size)
        return REF_LENGTH_TO_EOF;
    return p->size - r->offset;
}

static void resolve_all(struct ref_plan *p)
{
    for (size_t i = 0; i < p->nranges; i++)
        p->len[i] = range_len(p, i);
}

/* Places p->local on (idx, pos).  False when it lies beyond the total. */
static bool place(struct ref_plan *p)
{
    uint64_t cum = 0;

    p->idx = 0;
    p->pos = 0;
    if (!p->ranges)
        return p->size == REF_SIZE_UNKNOWN || p->local <= p->size;
    for (size_t i = 0; i < p->nranges; i++) {
        uint64_t len = p->len[i];

        if (len == REF_LENGTH_TO_EOF || p->local - cum < len) {
            p->idx = i;
            p->pos = p->local - cum;
            return true;
        }
        cum += len;
    }
    p->idx = p->nranges;
    return p->local == cum;
}

int ref_plan_init(struct ref_plan *p, const struct ref_range *ranges,
                  size_t nranges, uint64_t resume, uint64_t known_size,
                  const char *etag, const char *last_modified, bool dynamic,
                  uint64_t max_size)
{
    memset(p, 0, sizeof *p);
    if (ranges && nranges) {
        p->ranges = ref_calloc(nranges, sizeof *p->ranges);
        p->len = ref_calloc(nranges, sizeof *p->len);
        if (!p->ranges || !p->len) {
            ref_plan_free(p);
            return -1;
        }
        memcpy(p->ranges, ranges, nranges * sizeof *ranges);
        p->nranges = nranges;
    }
    p->dynamic = dynamic;
    p->max_size = max_size;
    p->size = known_size;
    /* Dynamic content is not resumable (spec §7.3). */
    p->local = dynamic ? 0 : resume;
    set_str(p->etag, etag);
    set_str(p->last_modified, last_modified);
    p->expect = REF_SIZE_UNKNOWN;
    resolve_all(p);
    if (!place(p)) {
        p->local = 0;
        p->restarted = true;
        place(p);
    }
    return 0;
}

void ref_plan_free(struct ref_plan *p)
{
    ref_free(p->ranges);
    ref_free(p->len);
    p->ranges = NULL;
    p->len = NULL;
    p->nranges = 0;
}

uint64_t ref_plan_total(const struct ref_plan *p)
{
    uint64_t sum = 0;

    if (!p->ranges)
        return p->size;
    for (size_t i = 0; i < p->nranges; i++) {
        if (p->len[i] == REF_LENGTH_TO_EOF)
            return REF_SIZE_UNKNOWN;
        sum += p->len[i];
    }
    return sum;
}

static void fail(struct ref_verdict *v, enum ref_err_kind kind, int code)
{
    memset(v, 0, sizeof *v);
    v->kind = REF_V_FAIL;
    v->err_kind = kind;
    v->err_code = code;
}

static void verdict(struct ref_verdict *v, enum ref_verdict_kind kind)
{
    memset(v, 0, sizeof *v);
    v->kind = kind;
}

/* The If-Range value: a strong ETag, else Last-Modified (RFC 9110 §13.1.5
 * forbids weak ETags there). */
static const char *validator(const struct ref_plan *p)
{
    if (p->etag[0] && strncmp(p->etag, "W/", 2) != 0)
        return p->etag;
    if (p->last_modified[0])
        return p->last_modified;
    return "";
}

enum ref_verdict_kind ref_plan_request(struct ref_plan *p, char *range,
                                       size_t range_len_, char *if_range,
                                       size_t if_range_len,
                                       struct ref_verdict *v)
{
    uint64_t first = 0, last = REF_LENGTH_TO_EOF;

    range[0] = '\0';
    if_range[0] = '\0';
    p->expect = REF_SIZE_UNKNOWN;
    p->got = 0;
    p->req_ranged = false;
    p->sent_validator = false;
    verdict(v, REF_V_ACCEPT);
    if (!p->ranges) {
        if (p->local == 0)
            return REF_V_ACCEPT;
        first = p->local;
    } else {
        const struct ref_range *r;
        uint64_t len;

        while (p->idx < p->nranges && p->len[p->idx] != REF_LENGTH_TO_EOF &&
               p->pos >= p->len[p->idx]) {
            p->idx++;
            p->pos = 0;
        }
        if (p->idx == p->nranges) {
            verdict(v, REF_V_DONE);
            return REF_V_DONE;
        }
        r = &p->ranges[p->idx];
        len = p->len[p->idx];
        if (p->size != REF_SIZE_UNKNOWN &&
            (r->offset >= p->size || (r->length != REF_LENGTH_TO_EOF &&
                                      r->length > p->size - r->offset))) {
            fail(v, REF_ERR_ENGINE, REF_XE_INVALID_RANGE);
            return REF_V_FAIL;
        }
        first = r->offset + p->pos;
        /* A to-EOF range is always asked as "a-" (docs/engine.md), even
         * once the size is known; the answer is still checked against it. */
        if (len != REF_LENGTH_TO_EOF && r->length != REF_LENGTH_TO_EOF)
            last = r->offset + len - 1;
    }
    p->req_ranged = true;
    p->req_first = first;
    p->req_last = last;
    if (last == REF_LENGTH_TO_EOF)
        snprintf(range, range_len_, "%" PRIu64 "-", first);
    else
        snprintf(range, range_len_, "%" PRIu64 "-%" PRIu64, first, last);
    if (validator(p)[0]) {
        snprintf(if_range, if_range_len, "%s", validator(p));
        p->sent_validator = true;
    }
    return REF_V_ACCEPT;
}

/* True when the response names another version than the one we hold. */
static bool validator_changed(const struct ref_plan *p,
                              const struct ref_resp *r)
{
    if (p->etag[0] && r->etag[0])
        return strcmp(p->etag, r->etag) != 0;
    if (p->last_modified[0] && r->last_modified[0])
        return strcmp(p->last_modified, r->last_modified) != 0;
    return false;
}

static void adopt_validators(struct ref_plan *p, const struct ref_resp *r)
{
    if (r->etag[0] || r->last_modified[0]) {
        set_str(p->etag, r->etag);
        set_str(p->last_modified, r->last_modified);
    }
}

/* The source has other content: everything restarts at zero.  cap_code:
 * the verdict once the restarts are used up. */
static void reissue_or(struct ref_plan *p, const struct ref_resp *r,
                       uint64_t new_size, struct ref_verdict *v, int cap_code)
{
    if (++p->reissues > MAX_REISSUES) {
        fail(v, REF_ERR_ENGINE, cap_code);
        return;
    }
    adopt_validators(p, r);
    p->size = new_size;
    p->local = 0;
    p->content_changed = true;
    p->restarted = true;
    resolve_all(p);
    place(p);
    verdict(v, REF_V_REISSUE);
    v->truncate = true;
}

static void reissue(struct ref_plan *p, const struct ref_resp *r,
                    uint64_t new_size, struct ref_verdict *v)
{
    reissue_or(p, r, new_size, v, REF_XE_BAD_CONTENT_RANGE);
}

static bool size_allowed(const struct ref_plan *p, uint64_t size)
{
    return p->max_size == REF_SIZE_UNKNOWN || size == REF_SIZE_UNKNOWN ||
           size <= p->max_size;
}

/* A 200 whole body for the whole file (fresh, or a resume restarted). */
static void accept_full_body(struct ref_plan *p, const struct ref_resp *r,
                             struct ref_verdict *v)
{
    verdict(v, REF_V_ACCEPT);
    if (p->local > 0) {
        /* Resume answered with the whole body: restart at 0 (spec §7.4).
         * New content if the validator or the size differs. */
        if (validator_changed(p, r) ||
            (r->has_length && p->size != REF_SIZE_UNKNOWN &&
             r->length != p->size))
            p->content_changed = true;
        p->restarted = true;
        p->local = 0;
        v->truncate = true;
    }
    adopt_validators(p, r);
    if (r->has_length) {
        p->size = r->length;
        p->expect = r->length;
    } else if (!p->dynamic) {
        fail(v, REF_ERR_ENGINE, REF_XE_MISSING_SIZE);
        return;
    } else {
        p->size = REF_SIZE_UNKNOWN;
    }
    if (!size_allowed(p, p->size))
        fail(v, REF_ERR_ENGINE, REF_XE_TOO_LARGE);
}

static void whole_headers(struct ref_plan *p, const struct ref_resp *r,
                          struct ref_verdict *v)
{
    uint64_t size;

    if (r->status == 200) {
        accept_full_body(p, r, v);
        return;
    }
    if (r->status == 416 && p->req_ranged) {
        /* Asked for bytes from the end: complete if the size is ours. */
        if (r->has_range && r->range_unsat && r->complete == p->local &&
            !validator_changed(p, r) &&
            (p->size == REF_SIZE_UNKNOWN || p->size == r->complete)) {
            p->size = r->complete;
            adopt_validators(p, r);
            verdict(v, REF_V_DONE);
            return;
        }
        reissue(p, r,
                r->has_range && r->complete_known ? r->complete
                                                  : REF_SIZE_UNKNOWN,
                v);
        return;
    }
    if (r->status != 206) {
        fail(v, REF_ERR_HTTP, (int)r->status);
        return;
    }
    if (!p->req_ranged || !r->has_range || r->range_unsat ||
        r->first != p->req_first) {
        fail(v, REF_ERR_ENGINE, REF_XE_BAD_CONTENT_RANGE);
        return;
    }
    size = r->complete_known ? r->complete : r->last + 1;
    if (validator_changed(p, r) ||
        (p->size != REF_SIZE_UNKNOWN && size != p->size)) {
        /* A 206 of another version: its bytes do not fit ours. */
        reissue(p, r, size, v);
        return;
    }
    if (r->last != size - 1) {
        fail(v, REF_ERR_ENGINE, REF_XE_BAD_CONTENT_RANGE);
        return;
    }
    if (r->has_length && r->length != r->last - r->first + 1) {
        fail(v, REF_ERR_ENGINE, REF_XE_LENGTH_MISMATCH);
        return;
    }
    adopt_validators(p, r);
    p->size = size;
    p->expect = r->last - r->first + 1;
    if (!size_allowed(p, p->size)) {
        fail(v, REF_ERR_ENGINE, REF_XE_TOO_LARGE);
        return;
    }
    verdict(v, REF_V_ACCEPT);
}

static void ranged_headers(struct ref_plan *p, const struct ref_resp *r,
                           struct ref_verdict *v)
{
    const struct ref_range *rg = &p->ranges[p->idx];
    uint64_t size, len, want_last;

    if (r->status == 200) {
        if (p->sent_validator && validator_changed(p, r)) {
            /* If-Range failed: new content; all ranges restart. */
            reissue(p, r, r->has_length ? r->length : REF_SIZE_UNKNOWN, v);
            return;
        }
        fail(v, REF_ERR_ENGINE, REF_XE_NO_RANGE_SUPPORT);
        return;
    }
    if (r->status == 416) {
        fail(v, REF_ERR_ENGINE, REF_XE_INVALID_RANGE);
        return;
    }
    if (r->status != 206) {
        fail(v, REF_ERR_HTTP, (int)r->status);
        return;
    }
    if (!r->has_range || r->range_unsat || r->first != p->req_first) {
        fail(v, REF_ERR_ENGINE, REF_XE_BAD_CONTENT_RANGE);
        return;
    }
    size = r->complete_known ? r->complete : REF_SIZE_UNKNOWN;
    if (validator_changed(p, r) ||
        (size != REF_SIZE_UNKNOWN && p->size != REF_SIZE_UNKNOWN &&
         size != p->size)) {
        reissue(p, r, size, v);
        return;
    }
    if (size != REF_SIZE_UNKNOWN) {
        p->size = size;
        resolve_all(p);
    }
    len = p->len[p->idx];
    if (len == REF_LENGTH_TO_EOF) {
        /* To EOF with an unknown complete length: trust the last byte. */
        len = r->last - rg->offset + 1;
        p->len[p->idx] = len;
    } else if (p->size != REF_SIZE_UNKNOWN &&
               (rg->offset >= p->size || len > p->size - rg->offset)) {
        fail(v, REF_ERR_ENGINE, REF_XE_INVALID_RANGE);
        return;
    }
    want_last = rg->offset + len - 1;
    if (r->last != want_last) {
        fail(v, REF_ERR_ENGINE,
             r->complete_known && r->last == size - 1
                 ? REF_XE_INVALID_RANGE
                 : REF_XE_BAD_CONTENT_RANGE);
        return;
    }
    if (r->has_length && r->length != r->last - r->first + 1) {
        fail(v, REF_ERR_ENGINE, REF_XE_LENGTH_MISMATCH);
        return;
    }
    adopt_validators(p, r);
    p->expect = r->last - r->first + 1;
    if (!size_allowed(p, ref_plan_total(p))) {
        fail(v, REF_ERR_ENGINE, REF_XE_TOO_LARGE);
        return;
    }
    verdict(v, REF_V_ACCEPT);
}

void ref_plan_headers(struct ref_plan *p, const struct ref_resp *r,
                      struct ref_verdict *v)
{
    if (r->length_conflict && r->status >= 200 && r->status < 300) {
        fail(v, REF_ERR_ENGINE, REF_XE_LENGTH_MISMATCH);
        return;
    }
    if (p->ranges)
        ranged_headers(p, r, v);
    else
        whole_headers(p, r, v);
}

void ref_plan_body(struct ref_plan *p, size_t n, struct ref_verdict *v)
{
    if (p->expect != REF_SIZE_UNKNOWN && (uint64_t)n > p->expect - p->got) {
        fail(v, REF_ERR_ENGINE, REF_XE_LENGTH_MISMATCH);
        return;
    }
    if (p->max_size != REF_SIZE_UNKNOWN &&
        (uint64_t)n > p->max_size - p->local) {
        fail(v, REF_ERR_ENGINE, REF_XE_TOO_LARGE);
        return;
    }
    p->got += n;
    p->local += n;
    p->pos += n;
    verdict(v, REF_V_ACCEPT);
}

void ref_plan_end(struct ref_plan *p, struct ref_verdict *v)
{
    if (p->expect != REF_SIZE_UNKNOWN && p->got != p->expect) {
        fail(v, REF_ERR_ENGINE, REF_XE_TRUNCATED);
        return;
    }
    if (!p->ranges) {
        if (p->expect == REF_SIZE_UNKNOWN)
            p->size = p->local; /* dynamic content: the end is the size */
        verdict(v, REF_V_DONE);
        return;
    }
    p->idx++;
    p->pos = 0;
    verdict(v, p->idx == p->nranges ? REF_V_DONE : REF_V_MORE);
}

/* ------------------------------------------------------------------ */
/* Local sources                                                      */
/* ------------------------------------------------------------------ */

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int ref_source_path(const char *name, char **path)
{
    const char *s;
    char *out, *o;
    bool url = name && name[0] != '/';

    *path = NULL;
    if (!name)
        return 0;
    if (!url)
        s = name;
    else if (strncasecmp(name, "file://", 7) == 0 && name[7] == '/')
        s = name + 7;
    else
        return 0;
    out = ref_alloc(strlen(s) + 1);
    if (!out)
        return -1;
    for (o = out; *s; s++) {
        int hi, lo;

        /* A plain path is taken as it is; only a URL has escapes. */
        if (url && *s == '%' && (hi = hexval(s[1])) >= 0 &&
            (lo = hexval(s[2])) >= 0 && (hi || lo)) {
            *o++ = (char)(hi * 16 + lo);
            s += 2;
        } else {
            *o++ = *s;
        }
    }
    *o = '\0';
    *path = out;
    return 1;
}

char *ref_file_url(const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(path);
    char *url = ref_alloc(7 + 3 * n + 1), *o;

    if (!url)
        return NULL;
    memcpy(url, "file://", 7);
    o = url + 7;
    for (const unsigned char *s = (const unsigned char *)path; *s; s++) {
        if (isalnum(*s) || strchr("/._~-", *s)) {
            *o++ = (char)*s;
        } else {
            *o++ = '%';
            *o++ = hex[*s >> 4];
            *o++ = hex[*s & 15];
        }
    }
    *o = '\0';
    return url;
}

void ref_plan_source_check(struct ref_plan *p, uint64_t size, const char *etag,
                           struct ref_verdict *v)
{
    struct ref_resp r;

    ref_resp_init(&r);
    set_str(r.etag, etag);
    if ((p->etag[0] && strcmp(p->etag, r.etag) != 0) ||
        (p->size != REF_SIZE_UNKNOWN && p->size != size)) {
        /* Written to since we looked: our bytes may be of another
         * version, so the file starts again, as for a server whose
         * validator changed (FILE-09). */
        reissue_or(p, &r, size, v, REF_XE_SOURCE_CHANGED);
        return;
    }
    verdict(v, REF_V_ACCEPT);
}

void ref_plan_local(struct ref_plan *p, uint64_t size, const char *etag,
                    struct ref_resp *r, struct ref_verdict *v)
{
    ref_resp_init(r);
    set_str(r->etag, etag);
    if (!p->req_ranged) {
        r->status = 200;
        r->has_length = true;
        r->length = size;
    } else if (p->req_first >= size) {
        r->status = 416;
        r->has_range = true;
        r->range_unsat = true;
        r->complete_known = true;
        r->complete = size;
    } else {
        r->status = 206;
        r->has_range = true;
        r->first = p->req_first;
        r->last = p->req_last == REF_LENGTH_TO_EOF || p->req_last >= size
                      ? size - 1
                      : p->req_last;
        r->complete_known = true;
        r->complete = size;
        r->has_length = true;
        r->length = r->last - r->first + 1;
    }
    ref_plan_headers(p, r, v);
}

size_t ref_resp_render(const struct ref_resp *r, char *buf, size_t size)
{
    int n = 0, k;

    if (!size)
        return 0;
    buf[0] = '\0';
    if (r->has_length) {
        k = snprintf(buf + n, size - (size_t)n,
                     "Content-Length: %" PRIu64 "\r\n", r->length);
        n = k < 0 || (size_t)k >= size - (size_t)n ? (int)size - 1 : n + k;
    }
    if (r->has_range && (size_t)n < size - 1) {
        if (r->range_unsat)
            k = snprintf(buf + n, size - (size_t)n,
                         "Content-Range: bytes */%" PRIu64 "\r\n", r->complete);
        else
            k = snprintf(buf + n, size - (size_t)n,
                         "Content-Range: bytes %" PRIu64 "-%" PRIu64 "/%" PRIu64
                         "\r\n",
                         r->first, r->last, r->complete);
        n = k < 0 || (size_t)k >= size - (size_t)n ? (int)size - 1 : n + k;
    }
    if (r->etag[0] && (size_t)n < size - 1) {
        k = snprintf(buf + n, size - (size_t)n, "ETag: %s\r\n", r->etag);
        n = k < 0 || (size_t)k >= size - (size_t)n ? (int)size - 1 : n + k;
    }
    return (size_t)n;
}
