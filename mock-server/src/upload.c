/*
 * upload.c - uploads on disk: the I/O side of the BITS Upload Protocol
 * (upcore.c decides, this file carries it out), plain PUT, the built-in
 * upload-reply back end, reply downloads and the control listing.
 *
 * --upload-dir DIR keeps its state in DIR/.h2mock (made afresh, removed
 * at exit): part/ a session's partial file, reply/ the replies, tmp/ the
 * request bodies streamed to disk while they arrive (never whole in
 * memory).  A finished upload to /P is renamed to DIR/P: the parent
 * directory must exist and is opened beneath DIR (openat2
 * RESOLVE_BENEATH), so neither ".." nor a symlink leads out; nothing
 * under /.h2mock is writable.  Replies are served at /_bits/reply/ID.
 */
#include "mock.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#define REPLY_PATH "/_bits/reply/"
#define STATE ".h2mock"

struct done {
    char *path;
    uint64_t size;
    char sha256[65];
    char session[40]; /* "" for a PUT */
};

struct mock_upload {
    int dirfd, statefd, partfd, replyfd, tmpfd;
    struct mock_bits core;
    char *reply_prefix; /* --upload-reply: upload-reply by default */
    struct done *done;
    size_t ndone, capdone;
};

static void empty_dir(int fd)
{
    int d = dup(fd);
    DIR *dir = d >= 0 ? fdopendir(d) : NULL;
    if (!dir) {
        if (d >= 0) {
            close(d);
        }
        return;
    }
    struct dirent *e;
    while ((e = readdir(dir))) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            unlinkat(fd, e->d_name, 0);
        }
    }
    closedir(dir);
}

static int subdir(int parent, const char *name)
{
    if (mkdirat(parent, name, 0700) < 0 && errno != EEXIST) {
        return -1;
    }
    int fd =
        openat(parent, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
    if (fd >= 0) {
        empty_dir(fd);
    }
    return fd;
}

int mock_upload_open(struct mock_upload **out, const char *dir,
                     const struct mock_bits_cfg *cfg, const char *reply_prefix,
                     uint64_t seed, char *err, size_t errlen)
{
    struct mock_upload *u = calloc(1, sizeof(*u));
    if (!u) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    u->statefd = u->partfd = u->replyfd = u->tmpfd = -1;
    u->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (u->dirfd < 0 || (u->statefd = subdir(u->dirfd, STATE)) < 0 ||
        (u->partfd = subdir(u->statefd, "part")) < 0 ||
        (u->replyfd = subdir(u->statefd, "reply")) < 0 ||
        (u->tmpfd = subdir(u->statefd, "tmp")) < 0) {
        snprintf(err, errlen, "--upload-dir %s: %s", dir, strerror(errno));
        mock_upload_close(u);
        return -1;
    }
    u->reply_prefix = reply_prefix ? strdup(reply_prefix) : NULL;
    mock_bits_init(&u->core, cfg, seed);
    *out = u;
    return 0;
}

void mock_upload_close(struct mock_upload *u)
{
    if (!u) {
        return;
    }
    int fds[] = {u->partfd, u->replyfd, u->tmpfd};
    const char *names[] = {"part", "reply", "tmp"};
    for (size_t i = 0; i < 3; i++) {
        if (fds[i] >= 0) {
            empty_dir(fds[i]);
            close(fds[i]);
            unlinkat(u->statefd, names[i], AT_REMOVEDIR);
        }
    }
    if (u->statefd >= 0) {
        close(u->statefd);
        unlinkat(u->dirfd, STATE, AT_REMOVEDIR);
    }
    if (u->dirfd >= 0) {
        close(u->dirfd);
    }
    mock_bits_free(&u->core);
    for (size_t i = 0; i < u->ndone; i++) {
        free(u->done[i].path);
    }
    free(u->done);
    free(u->reply_prefix);
    free(u);
}

static enum mock_bits_pt packet_of(const struct mock_req *r)
{
    const char *t = mock_req_header(r, "bits-packet-type");
    enum mock_bits_pt pt = t ? mock_bits_pt_parse(t) : MOCK_BP_NONE;
    return pt ? pt : MOCK_BP_UNKNOWN;
}

bool mock_upload_wants(const struct mock_req *r, const char *path)
{
    if (!strcmp(r->method, "BITS_POST") || !strcmp(r->method, "PUT")) {
        return true;
    }
    return (!strcmp(r->method, "GET") || !strcmp(r->method, "HEAD")) &&
           !strncmp(path, REPLY_PATH, strlen(REPLY_PATH));
}

/* An unnamed file for a request body (O_TMPFILE; else made and
 * unlinked at once). */
static int temp_file(struct mock_upload *u)
{
    int fd = openat(u->tmpfd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0644);
    if (fd >= 0 ||
        (errno != EOPNOTSUPP && errno != EISDIR && errno != ENOENT)) {
        return fd;
    }
    for (int i = 0; i < 100; i++) {
        char nm[32];
        snprintf(nm, sizeof(nm), "b%d-%d", (int)getpid(), i);
        fd = openat(u->tmpfd, nm, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0644);
        if (fd >= 0) {
            unlinkat(u->tmpfd, nm, 0);
            return fd;
        }
        if (errno != EEXIST) {
            break;
        }
    }
    return -1;
}

static void session_file(const struct mock_bits_session *s, char out[40]);

/* The partial file of the session a Fragment goes on, opened for its
 * body at *base, when the Fragment starts exactly at the session's next
 * byte and its Content-Range and Content-Length agree with each other and
 * with the session (so the body cannot reach past the file's end); -1
 * otherwise.  What the core later makes of the Fragment is already in
 * place then: it keeps [received, end) at the same offsets (a fault that
 * keeps less leaves bytes past `received` that the resent ones replace). */
static int direct_sink(struct mock_upload *u, const struct mock_req *r,
                       uint64_t *base)
{
    const char *cl = mock_req_header(r, "content-length");
    const char *range = mock_req_header(r, "content-range");
    struct mock_bits_session *s =
        mock_bits_find(&u->core, mock_req_header(r, "bits-session-id"));
    uint64_t first, last, total, max = u->core.cfg.max_upload;
    char *end = NULL;
    if (!s || s->complete || !cl || !range ||
        mock_bits_range(range, &first, &last, &total) < 0 ||
        first != s->received || (s->total_known && total != s->total) ||
        (max && total > max)) {
        return -1;
    }
    errno = 0;
    unsigned long long n = strtoull(cl, &end, 10);
    if (errno || end == cl || *end || n != last - first + 1) {
        return -1;
    }
    char nm[40];
    session_file(s, nm);
    *base = first;
    return openat(u->partfd, nm, O_WRONLY | O_CLOEXEC);
}

int mock_upload_sink(struct mock_upload *u, const struct mock_req *r, bool *err,
                     uint64_t *base)
{
    *err = false;
    *base = 0;
    bool put = !strcmp(r->method, "PUT");
    if (!put && !(!strcmp(r->method, "BITS_POST") &&
                  packet_of(r) == MOCK_BP_FRAGMENT)) {
        return -1;
    }
    int fd = put ? -1 : direct_sink(u, r, base);
    if (fd >= 0) {
        return fd;
    }
    *base = 0;
    fd = temp_file(u);
    *err = fd < 0;
    return fd;
}

static void fill_pkt(struct mock_upload *u, const struct mock_req *r,
                     const char *path, struct mock_bits_pkt *p)
{
    (void)u;
    memset(p, 0, sizeof(*p));
    p->type = packet_of(r);
    p->session = mock_req_header(r, "bits-session-id");
    p->protocols = mock_req_header(r, "bits-supported-protocols");
    p->range = mock_req_header(r, "content-range");
    p->need_length = r->proto == MOCK_PROTO_H1;
    p->has_length = mock_req_header(r, "content-length") != NULL;
    p->path = path;
}

void mock_upload_key(struct mock_upload *u, const struct mock_req *r,
                     const char *path, struct mock_bits_key *k)
{
    struct mock_bits_pkt p;
    memset(k, 0, sizeof(*k));
    if (strcmp(r->method, "BITS_POST") != 0) {
        return;
    }
    fill_pkt(u, r, path, &p);
    mock_bits_key(&u->core, &p, k);
}

/* ---- files ------------------------------------------------------- */

/* Parent directory of path (opened beneath DIR) and the last name.
 * Returns the fd, or -1: errno ENOENT (no such directory), EINVAL (not
 * a file name), EACCES (the state directory). */
static int parent_of(struct mock_upload *u, const char *path, const char **base)
{
    const char *slash = strrchr(path, '/');
    *base = slash + 1;
    if (!**base || !strcmp(*base, ".") || !strcmp(*base, "..")) {
        errno = EINVAL;
        return -1;
    }
    if (!strncmp(path, "/" STATE, strlen(STATE) + 1) &&
        (path[strlen(STATE) + 1] == '/' || !path[strlen(STATE) + 1])) {
        errno = EACCES;
        return -1;
    }
    char dir[1024];
    size_t n = (size_t)(slash - path);
    if (n + 2 > sizeof(dir)) {
        errno = EINVAL;
        return -1;
    }
    memcpy(dir, path, n);
    dir[n ? n : 1] = 0;
    if (!n) {
        dir[0] = '/';
    }
    return mock_open_beneath(u->dirfd, dir, O_RDONLY | O_DIRECTORY);
}

static bool exists_at(int dfd, const char *base)
{
    struct stat st;
    return fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

/* Copy len bytes of in at ioff to out at ooff.  0 or -1. */
static int copy_range(int in, uint64_t ioff, int out, uint64_t ooff,
                      uint64_t len)
{
    loff_t a = (loff_t)ioff, b = (loff_t)ooff;
    while (len > 0) {
        ssize_t n = copy_file_range(in, &a, out, &b, len, 0);
        if (n < 0 && (errno == EXDEV || errno == ENOSYS ||
                      errno == EOPNOTSUPP || errno == EINVAL)) {
            uint8_t buf[65536];
            size_t k = len < sizeof(buf) ? (size_t)len : sizeof(buf);
            n = pread(in, buf, k, a);
            if (n > 0 && pwrite(out, buf, (size_t)n, b) != n) {
                return -1;
            }
            a += n > 0 ? n : 0;
            b += n > 0 ? n : 0;
        }
        if (n <= 0) {
            return -1;
        }
        len -= (uint64_t)n;
    }
    return 0;
}

static int sha256_fd(int fd, char hex[65], uint64_t *size)
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    if (!c || !EVP_DigestInit_ex(c, EVP_sha256(), NULL)) {
        EVP_MD_CTX_free(c);
        return -1;
    }
    uint8_t buf[65536];
    uint64_t off = 0;
    ssize_t n;
    while ((n = pread(fd, buf, sizeof(buf), (off_t)off)) > 0) {
        EVP_DigestUpdate(c, buf, (size_t)n);
        off += (uint64_t)n;
    }
    unsigned char md[32];
    unsigned ml = 0;
    EVP_DigestFinal_ex(c, md, &ml);
    EVP_MD_CTX_free(c);
    for (int i = 0; i < 32; i++) {
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    }
    *size = off;
    return n < 0 ? -1 : 0;
}

static void session_file(const struct mock_bits_session *s, char out[40])
{
    /* the id without braces: a plain file and URL name */
    snprintf(out, 40, "%.36s", s->id + 1);
}

static int add_done(struct mock_upload *u, const char *path, uint64_t size,
                    const char *sha, const char *session)
{
    for (size_t i = 0; i < u->ndone; i++) {
        if (!strcmp(u->done[i].path, path)) { /* replaced: newest wins */
            free(u->done[i].path);
            memmove(&u->done[i], &u->done[i + 1],
                    (u->ndone - i - 1) * sizeof(*u->done));
            u->ndone--;
            break;
        }
    }
    if (u->ndone == u->capdone) {
        size_t cap = u->capdone ? u->capdone * 2 : 16;
        struct done *v = realloc(u->done, cap * sizeof(*v));
        if (!v) {
            return -1;
        }
        u->done = v;
        u->capdone = cap;
    }
    struct done *d = &u->done[u->ndone];
    d->path = strdup(path);
    if (!d->path) {
        return -1;
    }
    d->size = size;
    snprintf(d->sha256, sizeof(d->sha256), "%s", sha);
    snprintf(d->session, sizeof(d->session), "%s", session);
    u->ndone++;
    return 0;
}

static void drop_files(struct mock_upload *u, struct mock_bits_session *s)
{
    char nm[40];
    session_file(s, nm);
    unlinkat(u->partfd, nm, 0);
    unlinkat(u->replyfd, nm, 0);
}

/* Move the complete partial file to its destination.  0, or -1 with
 * errno. */
static int commit(struct mock_upload *u, struct mock_bits_session *s)
{
    char nm[40];
    session_file(s, nm);
    int fd = openat(u->partfd, nm, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    uint64_t size;
    int rc = sha256_fd(fd, s->sha256, &size);
    close(fd);
    const char *base;
    int pfd = rc < 0 ? -1 : parent_of(u, s->path, &base);
    if (pfd >= 0) {
        rc = renameat(u->partfd, nm, pfd, base);
        close(pfd);
    }
    if (pfd < 0 || rc < 0) {
        s->sha256[0] = 0; /* not committed: a retry tries again */
        return -1;
    }
    return add_done(u, s->path, size, s->sha256, s->id);
}

/* ---- the built-in back end --------------------------------------- */

static int write_all(int fd, const void *p, size_t n, uint64_t off)
{
    return pwrite(fd, p, n, (off_t)off) == (ssize_t)n ? 0 : -1;
}

/* Make s's reply (by value or by reference it is the same file; the
 * mode is what the listing reports).  0, or -1: the back end failed. */
static int backend(struct mock_server *srv, struct mock_upload *u,
                   struct mock_bits_session *s)
{
    char nm[40];
    session_file(s, nm);
    const struct mock_bits_reply *rp = &s->reply;
    if (rp->kind == MOCK_BR_STATIC) {
        s->has_reply = true;
        return 0;
    }
    int fd =
        openat(u->replyfd, nm, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0644);
    if (fd < 0) {
        return -1;
    }
    int rc = 0;
    if (rp->kind == MOCK_BR_SHA256) {
        rc = write_all(fd, s->sha256, 64, 0);
    } else if (rp->kind == MOCK_BR_BYTES) {
        uint8_t buf[251 * 64];
        for (size_t i = 0; i < sizeof(buf); i++) {
            buf[i] = (uint8_t)(i % 251);
        }
        for (uint64_t off = 0; rc == 0 && off < rp->size; off += sizeof(buf)) {
            uint64_t k = rp->size - off;
            rc = write_all(fd, buf, k < sizeof(buf) ? (size_t)k : sizeof(buf),
                           off);
        }
    } else if (rp->kind == MOCK_BR_FILE) {
        int in = mock_open_beneath(srv->rootfd, rp->arg, O_RDONLY);
        struct stat st;
        rc = in < 0 || fstat(in, &st) < 0 || !S_ISREG(st.st_mode)
                 ? -1
                 : copy_range(in, 0, fd, 0, (uint64_t)st.st_size);
        if (in >= 0) {
            close(in);
        }
    }
    close(fd);
    s->has_reply = rc == 0;
    return rc;
}

/* ---- answers ----------------------------------------------------- */

static int ack(struct mock_resp *resp, int status)
{
    resp->status = status;
    mock_body_free(&resp->body);
    resp->content_length = 0;
    return mock_resp_add_header(resp, "bits-packet-type", "Ack");
}

static int text(struct mock_resp *resp, int status, const char *msg)
{
    return mock_http_text(resp, status, "text/plain", msg, strlen(msg));
}

static bool credentials_ok(const struct mock_req *r,
                           const struct mock_bits_fault *f)
{
    const char *h = mock_req_header(r, f->status == 407 ? "proxy-authorization"
                                                        : "authorization");
    if (!h) {
        return false;
    }
    if (!f->cred[0]) {
        return true;
    }
    unsigned char enc[400];
    int n = EVP_EncodeBlock(enc, (const unsigned char *)f->cred,
                            (int)strlen(f->cred));
    return !strncasecmp(h, "Basic ", 6) && (int)strlen(h + 6) == n &&
           !memcmp(h + 6, enc, (size_t)n);
}

/* scheme://authority of the request, for absolute URLs */
static void origin(const struct mock_req *r, char *out, size_t n)
{
    const char *host = mock_req_header(r, ":authority");
    if (!host) {
        host = mock_req_header(r, "host");
    }
    snprintf(out, n, "%s://%s", r->tls ? "https" : "http",
             host ? host : "127.0.0.1");
}

static int put(struct mock_upload *u, const struct mock_req *r,
               const char *path, int sink, uint64_t len, struct mock_resp *resp)
{
    uint64_t max = u->core.cfg.max_upload;
    if (max && len > max) {
        return text(resp, 413, "upload larger than --upload-max\n");
    }
    const char *base;
    int pfd = parent_of(u, path, &base);
    if (pfd < 0) {
        return errno == EACCES   ? text(resp, 403, "forbidden\n")
               : errno == EINVAL ? text(resp, 400, "not a file name\n")
                                 : text(resp, 404, "no such directory\n");
    }
    int fd = sink;
    if (fd < 0) {
        /* a body that arrived before the request became an upload (the
         * h2c Upgrade request, no body) */
        fd = temp_file(u);
        if (fd < 0 || write_all(fd, mock_buf_head(&r->body),
                                mock_buf_pending(&r->body), 0) < 0) {
            if (fd >= 0) {
                close(fd);
            }
            close(pfd);
            return text(resp, 500, "cannot keep the upload body\n");
        }
    }
    char hex[65];
    uint64_t size;
    bool existed = exists_at(pfd, base);
    char tmpname[64], proc[64];
    snprintf(tmpname, sizeof(tmpname), ".h2mock-put-%d-%d", (int)getpid(), fd);
    snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
    int rc = sha256_fd(fd, hex, &size);
    if (rc == 0 &&
        linkat(AT_FDCWD, proc, pfd, tmpname, AT_SYMLINK_FOLLOW) < 0) {
        /* not an O_TMPFILE: copy it beside its destination */
        int out = openat(pfd, tmpname, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC,
                         0644);
        rc = out < 0 ? -1 : copy_range(fd, 0, out, 0, size);
        if (out >= 0) {
            close(out);
        }
    }
    if (rc == 0 && renameat(pfd, tmpname, pfd, base) < 0) {
        rc = -1;
    }
    if (fd != sink) {
        close(fd);
    }
    if (rc < 0) {
        unlinkat(pfd, tmpname, 0);
        close(pfd);
        return text(resp, 500, "cannot store the upload\n");
    }
    close(pfd);
    if (add_done(u, path, size, hex, "") < 0) {
        return -1;
    }
    if (existed) {
        resp->status = 204;
        resp->content_length = -1;
        return 0;
    }
    return text(resp, 201, "created\n");
}

/* Are a and b the same open file? */
static bool same_file(int a, int b)
{
    struct stat sa, sb;
    return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

int mock_upload_respond(struct mock_server *srv, struct mock_upload *u,
                        const struct mock_req *r, const char *path, int sink,
                        uint64_t sink_base, uint64_t body_len,
                        struct mock_plan *plan, int64_t now,
                        struct mock_resp *resp, struct mock_bits_log *info)
{
    struct mock_bits_session *old;
    while ((old = mock_bits_expire(&u->core, now))) {
        drop_files(u, old);
        mock_bits_session_free(old);
    }
    if (strcmp(r->method, "BITS_POST") != 0) {
        if (!strcmp(r->method, "PUT")) {
            return put(u, r, path, sink, body_len, resp);
        }
        /* a reply download: GET/HEAD /_bits/reply/ID */
        const char *id = path + strlen(REPLY_PATH);
        if (!*id || strchr(id, '/')) {
            return text(resp, 404, "not found\n");
        }
        char rel[64];
        snprintf(rel, sizeof(rel), "/%.40s", id);
        return mock_http_respond_dir(srv, u->replyfd, r, rel, plan, resp);
    }
    struct mock_bits_pkt p;
    fill_pkt(u, r, path, &p);
    p.body_len = sink >= 0 ? body_len : mock_buf_pending(&r->body);
    p.now = now;
    const struct mock_bits_fault *f = &plan->bits;
    if (f->kind == MOCK_BF_CHALLENGE) {
        p.credentials = credentials_ok(r, f);
    }
    const char *base = NULL;
    int pfd = -1;
    info->packet = mock_bits_pt_name(p.type);
    snprintf(info->session, sizeof(info->session), "%s",
             p.session ? p.session : "");
    snprintf(info->range, sizeof(info->range), "%s", p.range ? p.range : "");
    if (p.type == MOCK_BP_CREATE) {
        pfd = parent_of(u, path, &base);
        if (pfd < 0) {
            int st = errno == EACCES ? 403 : errno == EINVAL ? 400 : 404;
            if (ack(resp, st) < 0 ||
                mock_resp_add_headerf(resp, "bits-error-code", "0x%08X",
                                      st == 403
                                          ? MOCK_E_ACCESSDENIED
                                          : 0x80190000u + (unsigned)st) < 0 ||
                mock_resp_add_header(resp, "bits-error-context", "0x5") < 0) {
                return -1;
            }
            return 0;
        }
        p.dest_exists = exists_at(pfd, base);
        close(pfd);
    }
    struct mock_bits_ans a;
    if (mock_bits_step(&u->core, &p, f, &a) < 0) {
        return -1;
    }
    struct mock_bits_session *s = a.s;
    int st = a.status;
    if (s) {
        char nm[40];
        session_file(s, nm);
        snprintf(info->session, sizeof(info->session), "%s", s->id);
        if (a.create) {
            /* upload-reply by --upload-reply PREFIX unless a rule said */
            if (!s->reply.on && u->reply_prefix &&
                !strncmp(path, u->reply_prefix, strlen(u->reply_prefix))) {
                s->reply.on = true;
            }
            int fd = openat(u->partfd, nm,
                            O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0644);
            if (fd < 0) {
                st = 500;
            } else {
                close(fd);
            }
        }
        if (a.truncate) {
            int fd = openat(u->partfd, nm, O_WRONLY | O_CLOEXEC);
            if (fd < 0 || ftruncate(fd, (off_t)s->received) < 0) {
                st = 500;
            }
            if (fd >= 0) {
                close(fd);
            }
        }
        if (a.write_len) {
            int fd = openat(u->partfd, nm, O_WRONLY | O_CLOEXEC);
            int in = sink >= 0 ? sink : -1;
            int rc = -1;
            if (fd >= 0 && in >= 0 && same_file(in, fd)) {
                /* written in place as it arrived (direct_sink) */
                rc = a.write_off == sink_base + a.skip ? 0 : -1;
            } else if (fd >= 0 && in >= 0) {
                rc = copy_range(in, sink_base + a.skip, fd, a.write_off,
                                a.write_len);
            } else if (fd >= 0) {
                rc = write_all(fd, mock_buf_head(&r->body) + a.skip,
                               (size_t)a.write_len, a.write_off);
            }
            if (fd >= 0) {
                close(fd);
            }
            if (rc < 0) {
                st = 500;
            }
        }
        if (a.finish && !s->sha256[0] && commit(u, s) < 0) {
            st = 500;
        }
        if (a.finish && s->reply.on && !a.backend_fail && st == 200) {
            if (backend(srv, u, s) < 0) {
                /* a fixture that cannot be read: the back end's 500 */
                a.backend_fail = true;
                a.reply_url = false;
                st = 500;
                a.error = 0x801901F4;
                a.context = 7;
            }
            if (s->reply.kind == MOCK_BR_STATIC) {
                if (s->reply.arg[0] == '/') {
                    char o[300];
                    origin(r, o, sizeof(o));
                    snprintf(s->reply_url, sizeof(s->reply_url), "%s%s", o,
                             s->reply.arg);
                } else {
                    snprintf(s->reply_url, sizeof(s->reply_url), "%s",
                             s->reply.arg);
                }
            }
        }
    }
    if (st == 500 && a.status != 500) {
        a.error = 0x80004005; /* E_FAIL: the mock's own disk failed */
        a.context = 5;
        a.reply_url = false;
    }
    int rc = ack(resp, st);
    if (a.error >= 0) {
        rc |= mock_resp_add_headerf(resp, "bits-error-code", "0x%08X",
                                    (unsigned)a.error);
        rc |= mock_resp_add_headerf(resp, "bits-error-context", "0x%X",
                                    (unsigned)a.context);
    }
    if (a.session) {
        rc |= mock_resp_add_header(resp, "bits-session-id", a.session);
    }
    if (a.protocol) {
        rc |= mock_resp_add_header(resp, "bits-protocol", MOCK_BITS_PROTOCOL);
        rc |= mock_resp_add_header(resp, "accept-encoding", "Identity");
    }
    if (a.host_id && st == 200) {
        rc |= mock_resp_add_header(resp, "bits-host-id", u->core.cfg.host_id);
        if (u->core.cfg.host_fallback >= 0) {
            rc |= mock_resp_add_headerf(resp, "bits-host-id-fallback-timeout",
                                        "%lld",
                                        (long long)u->core.cfg.host_fallback);
        }
    }
    if (a.received >= 0) {
        rc |= mock_resp_add_headerf(resp, "bits-received-content-range", "%lld",
                                    (long long)a.received);
    }
    if (a.reply_url && s && s->has_reply) {
        if (s->reply.kind == MOCK_BR_STATIC) {
            rc |= mock_resp_add_header(resp, "bits-reply-url", s->reply_url);
        } else {
            char o[300], nm[40];
            origin(r, o, sizeof(o));
            session_file(s, nm);
            rc |= mock_resp_add_headerf(resp, "bits-reply-url", "%s%s%s", o,
                                        REPLY_PATH, nm);
        }
    }
    if (a.challenge) {
        rc |= mock_resp_add_headerf(resp, a.challenge, "Basic realm=\"%s\"",
                                    f->realm);
    }
    if (a.gone) {
        if (!a.gone->complete || p.type != MOCK_BP_CANCEL) {
            drop_files(u, a.gone);
        } else {
            char nm[40];
            session_file(a.gone, nm);
            unlinkat(u->replyfd, nm, 0); /* the reply is cancelled */
        }
        mock_bits_session_free(a.gone);
    }
    return rc ? -1 : 0;
}

int mock_upload_list(struct mock_upload *u, int64_t now, struct mock_buf *o)
{
    struct mock_bits_session *old;
    while ((old = mock_bits_expire(&u->core, now))) {
        drop_files(u, old);
        mock_bits_session_free(old);
    }
    int rc = mock_buf_printf(o, "{\"sessions\":[");
    for (size_t i = 0; i < u->core.n; i++) {
        const struct mock_bits_session *s = u->core.v[i];
        rc |= mock_buf_printf(
            o, "%s{\"id\":\"%s\",\"ordinal\":%llu,\"path\":", i ? "," : "",
            s->id, (unsigned long long)s->ordinal);
        rc |= mock_buf_json_str(o, s->path, strlen(s->path));
        rc |= mock_buf_printf(
            o,
            ",\"received\":%llu,\"total\":%lld,\"fragments\":%llu,"
            "\"complete\":%s,\"reply\":%s,\"idle_ms\":%lld}",
            (unsigned long long)s->received,
            s->total_known ? (long long)s->total : -1LL,
            (unsigned long long)s->fragments, s->complete ? "true" : "false",
            !s->reply.on      ? "null"
            : s->reply.by_ref ? "\"reference\""
                              : "\"value\"",
            (long long)(now - s->last_ms));
    }
    rc |= mock_buf_printf(o, "],\"uploads\":[");
    for (size_t i = 0; i < u->ndone; i++) {
        const struct done *d = &u->done[i];
        rc |= mock_buf_printf(o, "%s{\"path\":", i ? "," : "");
        rc |= mock_buf_json_str(o, d->path, strlen(d->path));
        rc |= mock_buf_printf(o,
                              ",\"size\":%llu,\"sha256\":\"%s\","
                              "\"via\":\"%s\",\"session\":",
                              (unsigned long long)d->size, d->sha256,
                              d->session[0] ? "bits" : "put");
        rc |= d->session[0] ? mock_buf_printf(o, "\"%s\"}", d->session)
                            : mock_buf_printf(o, "null}");
    }
    rc |= mock_buf_printf(o, "]}\n");
    return rc ? -1 : 0;
}
