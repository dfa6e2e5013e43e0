/*
 * http.c - what to answer, independent of the wire protocol.
 *
 * Owns request-target decoding and confinement to the root (percent
 * decoding, no ".." segments, files opened with openat2 RESOLVE_BENEATH so
 * symlinks cannot lead out; open files are cached per path and checked
 * against the path on every request), Range / If-Range (RFC 9110 §14), and
 * building the response: status, headers and a body made of memory parts
 * and file slices (never the whole file in memory).  Faults that change
 * the response itself (ignore-range, bad-content-range, bad-length,
 * no-length, no-validators, change-content, part-header, status, redirect)
 * are applied here from the plan; faults that change how the bytes travel
 * belong to h1.c / h2.c.
 */
#include "mock.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static int hexval(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

int mock_path_decode(const char *target, char *out, size_t outlen)
{
    const char *p = target;
    if (!strncmp(p, "http://", 7) || !strncmp(p, "https://", 8)) {
        p = strchr(p + 7 + (p[4] == 's'), '/');
        if (!p) {
            p = "/";
        }
    }
    if (*p != '/' || outlen < 2) {
        return 400;
    }
    /* decode into a scratch copy, then normalise segment by segment */
    size_t tl = strcspn(p, "?#");
    char *dec = malloc(tl + 1);
    if (!dec) {
        return 400;
    }
    size_t dl = 0;
    for (size_t i = 0; i < tl; i++) {
        char c = p[i];
        if (c == '%') {
            int h = i + 2 < tl ? hexval(p[i + 1]) : -1;
            int l = i + 2 < tl ? hexval(p[i + 2]) : -1;
            if (h < 0 || l < 0 || (h == 0 && l == 0)) {
                free(dec);
                return 400;
            }
            c = (char)(h * 16 + l);
            i += 2;
        }
        dec[dl++] = c;
    }
    dec[dl] = 0;
    bool trailing = dl > 0 && dec[dl - 1] == '/';
    size_t o = 0;
    size_t i = 0;
    int rc = 0;
    while (i < dl) {
        while (i < dl && dec[i] == '/') {
            i++;
        }
        size_t s = i;
        while (i < dl && dec[i] != '/') {
            i++;
        }
        size_t sl = i - s;
        if (sl == 0 || (sl == 1 && dec[s] == '.')) {
            continue;
        }
        if (sl == 2 && dec[s] == '.' && dec[s + 1] == '.') {
            rc = 400; /* any attempt to climb is refused */
            break;
        }
        if (o + 1 + sl + 1 > outlen) {
            rc = 400;
            break;
        }
        out[o++] = '/';
        memcpy(out + o, dec + s, sl);
        o += sl;
    }
    free(dec);
    if (rc) {
        return rc;
    }
    if (o == 0) {
        out[o++] = '/';
    } else if (trailing) {
        /* keep a trailing slash: "/dir/" is not the file "/dir" */
        if (o + 2 > outlen) {
            return 400;
        }
        out[o++] = '/';
    }
    out[o] = 0;
    return 0;
}

static bool parse_u64(const char **pp, uint64_t *v)
{
    const char *p = *pp;
    if (*p < '0' || *p > '9') {
        return false;
    }
    uint64_t x = 0;
    while (*p >= '0' && *p <= '9') {
        if (x > (UINT64_MAX - 9) / 10) {
            return false;
        }
        x = x * 10 + (uint64_t)(*p - '0');
        p++;
    }
    *pp = p;
    *v = x;
    return true;
}

int mock_range_parse(const char *h, uint64_t size, struct mock_range *out,
                     int max, int64_t *first_start)
{
    const char *p = h;
    while (*p == ' ' || *p == '\t') {
        p++;
    }
    if (strncasecmp(p, "bytes=", 6) != 0) {
        return -1;
    }
    p += 6;
    int n = 0;
    bool any = false;
    if (first_start) {
        *first_start = -1;
    }
    for (;;) {
        while (*p == ' ' || *p == '\t') {
            p++;
        }
        uint64_t a, b;
        bool suffix = false;
        if (*p == '-') {
            p++;
            if (!parse_u64(&p, &b)) {
                return -1;
            }
            suffix = true;
        } else {
            if (!parse_u64(&p, &a) || *p != '-') {
                return -1;
            }
            p++;
            if (*p >= '0' && *p <= '9') {
                if (!parse_u64(&p, &b) || b < a) {
                    return -1;
                }
            } else {
                b = UINT64_MAX;
            }
        }
        if (!any && first_start) {
            *first_start = suffix ? -3 : (a > INT64_MAX ? -3 : (int64_t)a);
        }
        any = true;
        /* resolve against the size */
        if (suffix) {
            if (b > 0 && size > 0) {
                a = b >= size ? 0 : size - b;
                b = size - 1;
                if (n < max) {
                    out[n].first = a;
                    out[n].last = b;
                }
                n++;
            }
        } else if (a < size) {
            if (b >= size) {
                b = size - 1;
            }
            if (n < max) {
                out[n].first = a;
                out[n].last = b;
            }
            n++;
        }
        while (*p == ' ' || *p == '\t') {
            p++;
        }
        if (*p == 0) {
            break;
        }
        if (*p != ',') {
            return -1;
        }
        p++;
    }
    if (n > max) {
        return -1; /* too many ranges: treated as no Range (200) */
    }
    return n;
}

int mock_http_text(struct mock_resp *resp, int status, const char *ctype,
                   const void *body, size_t len)
{
    resp->status = status;
    mock_body_free(&resp->body);
    if (mock_resp_add_header(resp, "content-type", ctype) < 0 ||
        mock_buf_append(&resp->body.arena, body, len) < 0) {
        return -1;
    }
    if (len) {
        resp->body.segs = calloc(1, sizeof(struct mock_seg));
        if (!resp->body.segs) {
            return -1;
        }
        resp->body.segs[0].is_mem = true;
        resp->body.segs[0].len = len;
        resp->body.nsegs = 1;
    }
    resp->body.total = len;
    resp->content_length = (int64_t)len;
    return 0;
}

int mock_open_beneath(int rootfd, const char *path, int flags)
{
    const char *rel = path[1] ? path + 1 : ".";
    struct open_how how;
    memset(&how, 0, sizeof(how));
    how.flags = (uint64_t)flags | O_CLOEXEC | O_NOCTTY;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
    long fd = syscall(SYS_openat2, rootfd, rel, &how, sizeof(how));
    if (fd >= 0 || errno != ENOSYS) {
        return (int)fd;
    }
    /* Kernel without openat2: refuse every symlink on the way. */
    int f = openat(rootfd, rel, flags | O_CLOEXEC | O_NOFOLLOW);
    if (f >= 0) {
        char proc[64], real[4096], rroot[4096];
        snprintf(proc, sizeof(proc), "/proc/self/fd/%d", f);
        ssize_t n = readlink(proc, real, sizeof(real) - 1);
        snprintf(proc, sizeof(proc), "/proc/self/fd/%d", rootfd);
        ssize_t m = readlink(proc, rroot, sizeof(rroot) - 1);
        if (n < 0 || m < 0 || strncmp(real, rroot, (size_t)m) != 0) {
            close(f);
            errno = EXDEV;
            return -1;
        }
    }
    return f;
}

static int open_beneath(int rootfd, const char *path)
{
    return mock_open_beneath(rootfd, path, O_RDONLY | O_NONBLOCK);
}

/* ---- the file cache ---------------------------------------------- *
 * Opening with openat2 costs a path walk, an fstat and a close per
 * request.  A cached entry keeps the file open with what its identity
 * was (device, inode, size, mtime, ctime); a request re-checks the path
 * with one fstatat and uses the entry only when all of these still
 * match.  Otherwise (file replaced, changed, removed, chmod'ed, a
 * symlink retargeted) the entry is dropped and the file is opened
 * beneath the root again.  An identical identity means the very inode
 * the confined open reached, so confinement is unchanged.  Bodies hold
 * a reference, so an entry dropped while in use stays open until then.
 *
 * The check is skipped when it was made after the last read from the
 * request's connection (feed epochs, decision M12): the request's bytes
 * had arrived by then, so any change its client made before sending it
 * had happened too and was seen.  A burst of requests read at once costs
 * one fstatat, and a test that rewrites a fixture still sees it at once.
 */
struct mock_file {
    int refs;
    int fd;
    uint64_t checked; /* srv->feed_epoch when last checked */
    struct stat st;   /* as opened, or at the last check */
    char etag[48];    /* for responses without change-content */
    char lm[30];
    char path[];
};

static void file_release(struct mock_file *f)
{
    if (f && --f->refs == 0) {
        close(f->fd);
        free(f);
    }
}

/* A body's reference given back (mock_body.fd_put). */
static void file_put(void *f)
{
    file_release(f);
}

void mock_fcache_clear(struct mock_server *srv)
{
    for (size_t i = 0; i < MOCK_FCACHE; i++) {
        file_release(srv->fcache[i]);
        srv->fcache[i] = NULL;
    }
}

static size_t path_slot(const char *p)
{
    uint32_t h = 2166136261u;
    for (; *p; p++) {
        h = (h ^ (uint8_t)*p) * 16777619u;
    }
    return h % MOCK_FCACHE;
}

static bool same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
           a->st_size == b->st_size && a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
           a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
           a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
           a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

static void file_tags(const struct stat *st, uint32_t ver, char *etag,
                      size_t elen, char lm[30])
{
    uint64_t mns = (uint64_t)st->st_mtim.tv_sec * 1000000000ULL +
                   (uint64_t)st->st_mtim.tv_nsec;
    if (ver) {
        snprintf(etag, elen, "\"%llx-%llx-v%u\"",
                 (unsigned long long)st->st_size, (unsigned long long)mns, ver);
    } else {
        snprintf(etag, elen, "\"%llx-%llx\"", (unsigned long long)st->st_size,
                 (unsigned long long)mns);
    }
    mock_http_date((int64_t)st->st_mtim.tv_sec + ver, lm);
}

/* A cached file still valid for path, with a reference for the caller
 * and its stat in *st; or NULL (the stale entry, if any, dropped).  A
 * check made at feed epoch `epoch` or later is still good (0: check). */
static struct mock_file *fcache_get(struct mock_server *srv, const char *path,
                                    uint64_t epoch, struct stat *st)
{
    size_t i = path_slot(path);
    struct mock_file *f = srv->fcache[i];
    if (!f || strcmp(f->path, path) != 0) {
        return NULL;
    }
    if (epoch && f->checked >= epoch) {
        *st = f->st;
        f->refs++;
        return f;
    }
    const char *rel = path[1] ? path + 1 : ".";
    srv->fcache_checks++;
    if (fstatat(srv->rootfd, rel, st, AT_NO_AUTOMOUNT) == 0 &&
        same_file(&f->st, st)) {
        f->checked = srv->feed_epoch;
        f->refs++;
        return f;
    }
    srv->fcache[i] = NULL;
    file_release(f);
    return NULL;
}

/* Cache the regular file fd (opened beneath the root) for path and take
 * it over; a reference for the caller.  NULL when out of memory (fd is
 * left to the caller). */
static struct mock_file *fcache_put(struct mock_server *srv, const char *path,
                                    int fd, const struct stat *st)
{
    size_t pl = strlen(path);
    struct mock_file *f = malloc(sizeof(*f) + pl + 1);
    if (!f) {
        return NULL;
    }
    f->refs = 2; /* the cache's and the caller's */
    f->fd = fd;
    f->checked = srv->feed_epoch;
    f->st = *st;
    file_tags(st, 0, f->etag, sizeof(f->etag), f->lm);
    memcpy(f->path, path, pl + 1);
    size_t i = path_slot(path);
    file_release(srv->fcache[i]);
    srv->fcache[i] = f;
    return f;
}

static const char *ctype_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot || strchr(dot, '/')) {
        return "application/octet-stream";
    }
    if (!strcmp(dot, ".txt")) {
        return "text/plain";
    }
    if (!strcmp(dot, ".html")) {
        return "text/html";
    }
    if (!strcmp(dot, ".json")) {
        return "application/json";
    }
    return "application/octet-stream";
}

static int add_seg(struct mock_body *b, bool mem, uint64_t off, uint64_t len)
{
    struct mock_seg *s = realloc(b->segs, (b->nsegs + 1) * sizeof(*s));
    if (!s) {
        return -1;
    }
    b->segs = s;
    memset(&s[b->nsegs], 0, sizeof(*s));
    s[b->nsegs].is_mem = mem;
    s[b->nsegs].off = off;
    s[b->nsegs].memoff = (size_t)off;
    s[b->nsegs].len = len;
    b->nsegs++;
    b->total += len;
    return 0;
}

static int add_mem(struct mock_body *b, const char *s, size_t n)
{
    size_t at = b->arena.len;
    if (mock_buf_append(&b->arena, s, n) < 0) {
        return -1;
    }
    return add_seg(b, true, at, n);
}

static int status_response(const struct mock_req *r, struct mock_plan *plan,
                           struct mock_resp *resp)
{
    char text[64];
    const char *body = plan->body;
    int st = plan->status;
    if (!body) {
        snprintf(text, sizeof(text), "mock: status %d\n", st);
        body = text;
    }
    bool nobody = st < 200 || st == 204 || st == 304;
    if (mock_http_text(resp, st, "text/plain", body,
                       nobody ? 0 : strlen(body)) < 0) {
        return -1;
    }
    if (nobody) {
        resp->content_length = -1; /* 1xx, 204, 304: no Content-Length */
    }
    for (size_t i = 0; i < plan->nhdrs; i++) {
        const char *h = plan->hdrs[i];
        const char *c = strchr(h, ':');
        char name[128];
        size_t nl = (size_t)(c - h);
        if (nl >= sizeof(name)) {
            continue;
        }
        memcpy(name, h, nl);
        name[nl] = 0;
        c++;
        while (*c == ' ' || *c == '\t') {
            c++;
        }
        if (mock_resp_add_header(resp, name, c) < 0) {
            return -1;
        }
    }
    return 0;
}

static int respond_in(struct mock_server *srv, int rootfd, bool cache,
                      const struct mock_req *r, const char *path,
                      uint64_t epoch, struct mock_plan *plan,
                      struct mock_resp *resp);

int mock_http_respond(struct mock_server *srv, const struct mock_req *r,
                      const char *path, uint64_t epoch, struct mock_plan *plan,
                      struct mock_resp *resp)
{
    return respond_in(srv, srv->rootfd, true, r, path, epoch, plan, resp);
}

int mock_http_respond_dir(struct mock_server *srv, int dirfd,
                          const struct mock_req *r, const char *rel,
                          struct mock_plan *plan, struct mock_resp *resp)
{
    return respond_in(srv, dirfd, false, r, rel, 0, plan, resp);
}

static int respond_in(struct mock_server *srv, int rootfd, bool cache,
                      const struct mock_req *r, const char *path,
                      uint64_t epoch, struct mock_plan *plan,
                      struct mock_resp *resp)
{
    bool head = !strcmp(r->method, "HEAD");
    resp->head = head;
    resp->http10 = plan->http10;
    if (plan->status) {
        if (status_response(r, plan, resp) < 0) {
            return -1;
        }
        goto finish;
    }
    if (strcmp(r->method, "GET") != 0 && !head) {
        static const char m[] = "method not allowed: GET and HEAD only\n";
        if (mock_http_text(resp, 405, "text/plain", m, sizeof(m) - 1) < 0 ||
            mock_resp_add_header(resp, "allow", "GET, HEAD") < 0) {
            return -1;
        }
        goto finish;
    }
    struct stat st;
    struct mock_file *file = cache ? fcache_get(srv, path, epoch, &st) : NULL;
    int fd = file ? file->fd : open_beneath(rootfd, path);
    if (!file && (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))) {
        int e = errno;
        if (fd >= 0) {
            close(fd);
        }
        static const char nf[] = "not found\n";
        static const char fb[] = "forbidden\n";
        bool forbid = fd < 0 && e == EACCES;
        if (mock_http_text(resp, forbid ? 403 : 404, "text/plain",
                           forbid ? fb : nf,
                           forbid ? sizeof(fb) - 1 : sizeof(nf) - 1) < 0) {
            return -1;
        }
        goto finish;
    }
    if (!file && cache) {
        file = fcache_put(srv, path, fd, &st);
    }
    resp->body.fd = fd;
    if (file) { /* else the body owns fd */
        resp->body.fd_put = file_put;
        resp->body.fd_owner = file;
    }
    uint64_t size = (uint64_t)st.st_size;
    uint32_t ver = plan->change_version;
    if (ver) {
        resp->body.xor_key = (uint8_t)((ver - 1) % 255 + 1);
    }
    char etagbuf[96], lmbuf[30];
    const char *etag = etagbuf, *lm = lmbuf;
    if (file && !ver) {
        etag = file->etag;
        lm = file->lm;
    } else {
        file_tags(&st, ver, etagbuf, sizeof(etagbuf), lmbuf);
    }
    const char *ctype = ctype_of(path);
    if (mock_resp_add_header(resp, "content-type", ctype) < 0 ||
        mock_resp_add_header(resp, "accept-ranges", "bytes") < 0) {
        return -1;
    }
    if (!plan->no_validators) {
        if (mock_resp_add_header(resp, "etag", etag) < 0 ||
            mock_resp_add_header(resp, "last-modified", lm) < 0) {
            return -1;
        }
    }
    const char *rh = head ? NULL : mock_req_header(r, "range");
    const char *ifr = mock_req_header(r, "if-range");
    if (rh && ifr) {
        bool ok;
        if (plan->no_validators) {
            ok = false;
        } else if (ifr[0] == '"') {
            ok = !strcmp(ifr, etag); /* strong comparison */
        } else if (ifr[0] == 'W' && ifr[1] == '/') {
            ok = false;
        } else {
            ok = !strcmp(ifr, lm);
        }
        if (!ok) {
            rh = NULL;
        }
    }
    if (plan->ignore_range) {
        rh = NULL;
    }
    enum { MAXR = 1000 };
    struct mock_range *rg = NULL;
    int nr = -1;
    if (rh) {
        rg = malloc(MAXR * sizeof(*rg));
        if (!rg) {
            return -1;
        }
        nr = mock_range_parse(rh, size, rg, MAXR, NULL);
    }
    int64_t shift = plan->range_shift;
    if (nr == 0) {
        free(rg);
        resp->status = 416;
        mock_body_free(&resp->body);
        resp->content_length = 0;
        if (mock_resp_add_headerf(resp, "content-range", "bytes */%llu",
                                  (unsigned long long)size) < 0) {
            return -1;
        }
        goto finish;
    }
    if (nr == 1) {
        resp->status = 206;
        if (mock_resp_add_headerf(resp, "content-range", "bytes %lld-%lld/%llu",
                                  (long long)(rg[0].first + (uint64_t)shift),
                                  (long long)(rg[0].last + (uint64_t)shift),
                                  (unsigned long long)size) < 0 ||
            add_seg(&resp->body, false, rg[0].first,
                    rg[0].last - rg[0].first + 1) < 0) {
            free(rg);
            return -1;
        }
    } else if (nr > 1) {
        char bnd[40];
        snprintf(bnd, sizeof(bnd), "h2mock-%016llx",
                 (unsigned long long)mock_rand(&srv->garbage_rng));
        resp->status = 206;
        mock_resp_del_header(resp, "content-type");
        if (mock_resp_add_headerf(resp, "content-type",
                                  "multipart/byteranges; boundary=%s",
                                  bnd) < 0) {
            free(rg);
            return -1;
        }
        for (int i = 0; i < nr; i++) {
            char ph[512];
            int pl = snprintf(ph, sizeof(ph),
                              "%s--%s\r\nContent-Type: %s\r\n"
                              "Content-Range: bytes %lld-%lld/%llu\r\n%s%s\r\n",
                              i ? "\r\n" : "", bnd, ctype,
                              (long long)(rg[i].first + (uint64_t)shift),
                              (long long)(rg[i].last + (uint64_t)shift),
                              (unsigned long long)size,
                              plan->part_header ? plan->part_header : "",
                              plan->part_header ? "\r\n" : "");
            if (pl < 0 || pl >= (int)sizeof(ph) ||
                add_mem(&resp->body, ph, (size_t)pl) < 0 ||
                add_seg(&resp->body, false, rg[i].first,
                        rg[i].last - rg[i].first + 1) < 0) {
                free(rg);
                return -1;
            }
        }
        char tail[64];
        int tl = snprintf(tail, sizeof(tail), "\r\n--%s--\r\n", bnd);
        if (add_mem(&resp->body, tail, (size_t)tl) < 0) {
            free(rg);
            return -1;
        }
    } else {
        resp->status = 200;
        if (size > 0 && add_seg(&resp->body, false, 0, size) < 0) {
            free(rg);
            return -1;
        }
    }
    free(rg);
    resp->content_length = (int64_t)resp->body.total;
    if (head) {
        /* HEAD: same headers as GET, no body */
        resp->content_length = (int64_t)size;
        mock_body_free(&resp->body);
    }
finish:
    if (plan->length_delta_set && resp->content_length >= 0) {
        int64_t cl = resp->content_length + plan->length_delta;
        resp->content_length = cl < 0 ? 0 : cl;
    }
    if (plan->no_length) {
        resp->content_length = -1;
    }
    if (head && resp->body.total) {
        mock_body_free(&resp->body);
    }
    return 0;
}
