/*
 * util.c - small pieces every other file of h2mock uses: the byte buffer,
 * JSON string escaping, the seeded generator, clocks and HTTP dates, the
 * header lists of requests and responses, and reading a response body
 * (memory parts and file slices, read with pread in chunks so no file is
 * ever held whole in memory).
 */
#include "mock.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

static int buf_reserve(struct mock_buf *b, size_t extra)
{
    if (b->off > 0 && b->off == b->len) {
        b->off = b->len = 0;
    }
    if (b->len + extra <= b->cap) {
        return 0;
    }
    if (b->off > 0 && b->off >= b->cap / 2) {
        memmove(b->data, b->data + b->off, b->len - b->off);
        b->len -= b->off;
        b->off = 0;
        if (b->len + extra <= b->cap) {
            return 0;
        }
    }
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra) {
        cap *= 2;
    }
    uint8_t *d = realloc(b->data, cap);
    if (!d) {
        return -1;
    }
    b->data = d;
    b->cap = cap;
    return 0;
}

uint8_t *mock_buf_space(struct mock_buf *b, size_t n)
{
    if (buf_reserve(b, n) < 0) {
        return NULL;
    }
    return b->data + b->len;
}

void mock_buf_commit(struct mock_buf *b, size_t n)
{
    b->len += n;
}

int mock_buf_append(struct mock_buf *b, const void *p, size_t n)
{
    if (n == 0) {
        return 0;
    }
    if (buf_reserve(b, n) < 0) {
        return -1;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
    return 0;
}

int mock_buf_printf(struct mock_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || buf_reserve(b, (size_t)n + 1) < 0) {
        return -1;
    }
    va_start(ap, fmt);
    vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

size_t mock_buf_pending(const struct mock_buf *b)
{
    return b->len - b->off;
}

const uint8_t *mock_buf_head(const struct mock_buf *b)
{
    /* An empty buffer may have no storage: NULL + 0 is undefined in C
     * (clang's UBSan, fuzz target mock_control: GET /_mock/log with an
     * empty log). */
    return b->data ? b->data + b->off : NULL;
}

void mock_buf_consume(struct mock_buf *b, size_t n)
{
    b->off += n;
    if (b->off >= b->len) {
        b->off = b->len = 0;
    }
}

void mock_buf_free(struct mock_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof(*b));
}

int mock_buf_json_str(struct mock_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    if (mock_buf_append(b, "\"", 1) < 0) {
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[7];
        size_t el = 0;
        if (c == '"' || c == '\\') {
            esc[0] = '\\';
            esc[1] = (char)c;
            el = 2;
        } else if (c < 0x20 || c >= 0x7f) {
            /* Non-ASCII bytes are escaped one by one so the line stays
             * valid JSON whatever the client sent. */
            memcpy(esc, "\\u00", 4);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            el = 6;
        } else {
            esc[0] = (char)c;
            el = 1;
        }
        if (mock_buf_append(b, esc, el) < 0) {
            return -1;
        }
    }
    return mock_buf_append(b, "\"", 1);
}

uint64_t mock_rand(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

int64_t mock_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void mock_http_date(int64_t t, char out[30])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 30, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

char *mock_strndup(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = 0;
    }
    return d;
}

bool mock_ieq(const char *a, const char *b)
{
    return strcasecmp(a, b) == 0;
}

bool mock_has_token(const char *v, const char *tok)
{
    size_t tl = strlen(tok);
    while (v && *v) {
        while (*v == ' ' || *v == '\t' || *v == ',') {
            v++;
        }
        size_t n = strcspn(v, ",");
        size_t e = n;
        while (e > 0 && (v[e - 1] == ' ' || v[e - 1] == '\t')) {
            e--;
        }
        if (e == tl && !strncasecmp(v, tok, tl)) {
            return true;
        }
        v += n;
    }
    return false;
}

/* ---- string arenas ------------------------------------------------ */

char *mock_arena_dup(struct mock_chunk **a, const void *s, size_t n)
{
    struct mock_chunk *c = *a;
    if (!c || c->cap - c->used < n + 1) {
        size_t cap = n + 1 > 960 ? n + 1 : 960;
        c = malloc(sizeof(*c) + cap);
        if (!c) {
            return NULL;
        }
        c->used = 0;
        c->cap = cap;
        c->next = *a;
        *a = c;
    }
    char *d = c->data + c->used;
    memcpy(d, s, n);
    d[n] = 0;
    c->used += n + 1;
    return d;
}

void mock_arena_free(struct mock_chunk **a)
{
    struct mock_chunk *c = *a;
    while (c) {
        struct mock_chunk *n = c->next;
        free(c);
        c = n;
    }
    *a = NULL;
}

/* ---- requests ---------------------------------------------------- */

char *mock_req_dup(struct mock_req *r, const char *s, size_t n)
{
    return mock_arena_dup(&r->arena, s, n);
}

int mock_req_add_header(struct mock_req *r, const char *n, size_t nl,
                        const char *v, size_t vl)
{
    if (r->nhdrs == r->caphdrs) {
        size_t cap = r->caphdrs ? r->caphdrs * 2 : 16;
        struct mock_header *h = realloc(r->hdrs, cap * sizeof(*h));
        if (!h) {
            return -1;
        }
        r->hdrs = h;
        r->caphdrs = cap;
    }
    char *nn = mock_arena_dup(&r->arena, n, nl);
    char *vv = nn ? mock_arena_dup(&r->arena, v, vl) : NULL;
    if (!vv) {
        return -1;
    }
    r->hdrs[r->nhdrs].name = nn;
    r->hdrs[r->nhdrs].value = vv;
    r->nhdrs++;
    return 0;
}

const char *mock_req_header(const struct mock_req *r, const char *name)
{
    for (size_t i = 0; i < r->nhdrs; i++) {
        if (mock_ieq(r->hdrs[i].name, name)) {
            return r->hdrs[i].value;
        }
    }
    return NULL;
}

void mock_req_free(struct mock_req *r)
{
    free(r->hdrs);
    mock_arena_free(&r->arena);
    mock_buf_free(&r->body);
    memset(r, 0, sizeof(*r));
}

const char *mock_req_proto_name(const struct mock_req *r)
{
    if (r->proto == MOCK_PROTO_H1) {
        if (r->minor == 0) {
            return r->tls ? "https/1.0" : "http/1.0";
        }
        return r->tls ? "https/1.1" : "http/1.1";
    }
    switch (r->via) {
    case MOCK_VIA_H2_UPGRADE:
        return "h2c-upgrade";
    case MOCK_VIA_H2_ALPN:
        return "h2";
    default:
        return "h2c";
    }
}

/* ---- responses --------------------------------------------------- */

int mock_resp_add_header(struct mock_resp *r, const char *n, const char *v)
{
    if (r->nhdrs == r->caphdrs) {
        size_t cap = r->caphdrs ? r->caphdrs * 2 : 16;
        struct mock_header *h = realloc(r->hdrs, cap * sizeof(*h));
        if (!h) {
            return -1;
        }
        r->hdrs = h;
        r->caphdrs = cap;
    }
    size_t nl = strlen(n);
    char *nn = mock_arena_dup(&r->arena, n, nl);
    char *vv = nn ? mock_arena_dup(&r->arena, v, strlen(v)) : NULL;
    if (!vv) {
        return -1;
    }
    for (size_t i = 0; i < nl; i++) {
        if (nn[i] >= 'A' && nn[i] <= 'Z') {
            nn[i] = (char)(nn[i] - 'A' + 'a');
        }
    }
    r->hdrs[r->nhdrs].name = nn;
    r->hdrs[r->nhdrs].value = vv;
    r->nhdrs++;
    return 0;
}

int mock_resp_add_headerf(struct mock_resp *r, const char *n, const char *fmt,
                          ...)
{
    char v[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v, sizeof(v), fmt, ap);
    va_end(ap);
    return mock_resp_add_header(r, n, v);
}

const char *mock_resp_header(const struct mock_resp *r, const char *name)
{
    for (size_t i = 0; i < r->nhdrs; i++) {
        if (mock_ieq(r->hdrs[i].name, name)) {
            return r->hdrs[i].value;
        }
    }
    return NULL;
}

void mock_resp_del_header(struct mock_resp *r, const char *name)
{
    size_t j = 0;
    for (size_t i = 0; i < r->nhdrs; i++) {
        if (!mock_ieq(r->hdrs[i].name, name)) {
            r->hdrs[j++] = r->hdrs[i];
        }
    }
    r->nhdrs = j;
}

void mock_resp_free(struct mock_resp *r)
{
    free(r->hdrs);
    mock_arena_free(&r->arena);
    mock_body_free(&r->body);
    memset(r, 0, sizeof(*r));
    r->body.fd = -1;
}

/* ---- bodies ------------------------------------------------------ */

/* Read-ahead blocks are recycled: a malloc'ed 64 KiB block freed at the
 * end of every response came back as fresh pages, a page fault per
 * 4 KiB.  The process is single-threaded. */
struct mock_block {
    unsigned refs;
    uint8_t data[MOCK_READAHEAD];
};

#define BLOCK_POOL 32
static struct mock_block *block_pool[BLOCK_POOL];
static size_t block_npool;

static struct mock_block *block_get(void)
{
    struct mock_block *blk =
        block_npool ? block_pool[--block_npool] : malloc(sizeof(*blk));
    if (blk) {
        blk->refs = 1;
    }
    return blk;
}

void mock_block_put(struct mock_block *blk)
{
    if (!blk || --blk->refs > 0) {
        return;
    }
    if (block_npool < BLOCK_POOL) {
        block_pool[block_npool++] = blk;
    } else {
        free(blk);
    }
}

void mock_body_pool_free(void)
{
    while (block_npool) {
        free(block_pool[--block_npool]);
    }
}

/* Read n bytes of the current file segment at offset off into buf.
 * Returns bytes read (> 0) or -1 (a file shrank: EIO). */
static ssize_t file_read(struct mock_body *b, uint8_t *buf, size_t n,
                         uint64_t off)
{
    ssize_t r;
    do {
        r = pread(b->fd, buf, n, (off_t)off);
    } while (r < 0 && errno == EINTR);
    if (r == 0) {
        errno = EIO; /* the file shrank under us */
        return -1;
    }
    if (r > 0 && b->xor_key) {
        for (ssize_t i = 0; i < r; i++) {
            buf[i] ^= b->xor_key;
        }
    }
    return r;
}

/* Make the read-ahead hold the body's next bytes when they are a small
 * piece (want) of a longer file segment.  Returns 1 when it holds some,
 * 0 when read-ahead does not apply, -1 on a read error. */
static int readahead(struct mock_body *b, size_t want)
{
    if (b->ra_off < b->ra_len) {
        return 1;
    }
    while (b->cur < b->nsegs && b->curoff == b->segs[b->cur].len) {
        b->cur++;
        b->curoff = 0;
    }
    if (b->cur == b->nsegs || b->segs[b->cur].is_mem) {
        return 0;
    }
    const struct mock_seg *s = &b->segs[b->cur];
    uint64_t left = s->len - b->curoff;
    if (want >= left || want >= MOCK_READAHEAD) {
        return 0; /* one read of its own is as good */
    }
    if (b->ra && b->ra->refs > 1) {
        /* its bytes still wait to be sent: read into a fresh block */
        mock_block_put(b->ra);
        b->ra = NULL;
    }
    if (!b->ra && !(b->ra = block_get())) {
        return 0;
    }
    size_t n = left < MOCK_READAHEAD ? (size_t)left : MOCK_READAHEAD;
    ssize_t r = file_read(b, b->ra->data, n, s->off + b->curoff);
    if (r < 0) {
        return -1;
    }
    b->ra_off = 0;
    b->ra_len = (size_t)r;
    return 1;
}

ssize_t mock_body_borrow(struct mock_body *b, size_t max, const uint8_t **p,
                         struct mock_block **blk)
{
    int ra = readahead(b, max);
    if (ra <= 0) {
        return ra;
    }
    size_t n = b->ra_len - b->ra_off;
    if (n > max) {
        n = max;
    }
    *p = b->ra->data + b->ra_off;
    *blk = b->ra;
    b->ra->refs++;
    b->ra_off += n;
    b->curoff += n;
    return (ssize_t)n;
}

ssize_t mock_body_read(struct mock_body *b, uint8_t *buf, size_t max)
{
    size_t got = 0;
    while (got < max && b->cur < b->nsegs) {
        struct mock_seg *s = &b->segs[b->cur];
        uint64_t left = s->len - b->curoff;
        if (left == 0) {
            b->cur++;
            b->curoff = 0;
            continue;
        }
        size_t want = max - got;
        if (want > left) {
            want = (size_t)left;
        }
        if (s->is_mem) {
            memcpy(buf + got, b->arena.data + s->memoff + b->curoff, want);
        } else {
            int ra = readahead(b, want);
            if (ra < 0) {
                return -1;
            }
            if (ra > 0) {
                size_t have = b->ra_len - b->ra_off;
                if (want > have) {
                    want = have;
                }
                memcpy(buf + got, b->ra->data + b->ra_off, want);
                b->ra_off += want;
            } else {
                ssize_t r = file_read(b, buf + got, want, s->off + b->curoff);
                if (r < 0) {
                    return -1;
                }
                want = (size_t)r;
            }
        }
        got += want;
        b->curoff += want;
    }
    return (ssize_t)got;
}

void mock_body_free(struct mock_body *b)
{
    if (b->fd_put) {
        b->fd_put(b->fd_owner);
    } else if (b->fd >= 0) {
        close(b->fd);
    }
    free(b->segs);
    mock_block_put(b->ra);
    mock_buf_free(&b->arena);
    memset(b, 0, sizeof(*b));
    b->fd = -1;
}
