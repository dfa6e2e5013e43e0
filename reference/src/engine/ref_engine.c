/*
 * ref_engine.c - the engine thread: scheduling, libcurl and file I/O.
 *
 * Owns the one thread that runs libcurl's multi interface, the queues of
 * requests per priority, the bounded window of active easy handles, the
 * temporary files' descriptors and the callbacks to the owner.  What a
 * response must look like to be used is ref_transfer.c's business; what a
 * failure means for a job is ref_errmap.c's.  Locking: one mutex guards the
 * queues, the id table and each request's state fields; libcurl runs and
 * every owner callback is made with it released.  A local source (a path
 * or file:// name, decision I19) goes the same way through libcurl's FILE
 * protocol; since FILE sends no header block, the engine looks at the file
 * itself before each read (size, validator, refusals) and lets the plan
 * judge the answer a range-honouring server would give.  ref_engine_cancel()
 * waits on a condition variable until the engine thread has let go of the
 * request, which is how "no callback after cancel returns" holds.
 */
#include "ref_engine.h"
#include "ref_alloc.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NBUCKETS 1024
#define NPRIO 4

enum xstate {
    X_PENDING, /* queued, no handle, no file */
    X_ACTIVE,  /* on the multi handle (or between two of its requests) */
    X_DONE_CB, /* on_done running */
    X_ZOMBIE,  /* cancelled and cleaned up; the waiting canceller frees */
};

struct buf {
    char *p;
    size_t len, cap;
};

struct xfer {
    uint64_t id;
    enum xstate state;
    bool cancel_req;            /* atomic reads outside the lock */
    bool waiter;                /* a canceller on another thread frees it */
    struct xfer *qnext, *qprev; /* pending queue or active list */
    struct xfer *hnext;         /* id table */
    struct xfer *fnext;         /* engine loop: failed at start */
    struct xfer *lnext;         /* engine loop: local source to begin */

    /* The request, copied. */
    char *url, *temp_path, *headers, *user, *password, *proxy_list,
        *proxy_bypass, *etag, *last_modified;
    enum ref_proxy_usage proxy_usage;
    uint64_t resume, known_size, max_size;
    unsigned security;
    bool dynamic;
    enum ref_prio prio;
    enum ref_http_pref http;
    const struct ref_xfer_ops *ops;
    void *ctx;
    struct ref_range *ranges;
    size_t nranges;
    char *method, *body_path; /* a packet (ref_request.method) */
    uint64_t body_offset, body_length;
    char *src_path; /* a local source's file (decoded); NULL for HTTP */

    /* Running state (engine thread only). */
    struct ref_plan plan;
    CURL *easy;
    struct curl_slist *slist;
    int fd;
    struct ref_resp resp;
    struct buf hdr;      /* header block of the response being read */
    struct buf last_hdr; /* last final header block */
    char range[64];
    bool in_body;         /* headers accepted: body goes to the file */
    bool complete_nobody; /* 416 at the end of the file: already complete */
    bool reissue;         /* restart requested by the plan */
    bool failed;
    enum ref_err_kind fail_kind;
    int fail_code;
    int sys_errno;
    long connects;
    char errbuf[CURL_ERROR_SIZE]; /* libcurl's text of the last failure */
    bool conn_retried;  /* this request was sent again after the reused
                           connection it went on died (once per request) */
    uint64_t body_sent; /* packet: body bytes handed to libcurl */
};

struct ref_engine {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t thread;
    bool stop;
    bool cancels; /* some active request has cancel_req */
    CURLM *multi;
    struct xfer *qhead[NPRIO], *qtail[NPRIO];
    struct xfer *active; /* doubly linked via qnext/qprev */
    size_t npending, nactive, peak;
    unsigned max_active, fg_reserve;
    char *ca_file;
    char *deny_read; /* local sources under it are unreadable (tests) */
    bool verbose;
    uint64_t next_id;
    struct xfer *table[NBUCKETS];
    /* Engine thread only: a callback submitted a request, so the loop
     * goes round again before it polls (E10: no wake-up of itself). */
    bool self_kick;
    /* Submits from the engine's own callbacks, and wake-ups sent by
     * submits from other threads (atomic; ref_engine_kicks). */
    size_t self_kicks, wakeups;
};

/* ------------------------------------------------------------------ */
/* Small helpers                                                      */
/* ------------------------------------------------------------------ */

static char *dup_str(const char *s, bool *oom)
{
    char *d;
    size_t n;

    if (!s)
        return NULL;
    n = strlen(s) + 1;
    d = ref_alloc(n);
    if (!d) {
        *oom = true;
        return NULL;
    }
    memcpy(d, s, n);
    return d;
}

static bool buf_add(struct buf *b, const char *p, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 512;
        char *np;

        while (cap < b->len + n + 1)
            cap *= 2;
        np = ref_realloc(b->p, cap);
        if (!np)
            return false;
        b->p = np;
        b->cap = cap;
    }
    memcpy(b->p + b->len, p, n);
    b->len += n;
    b->p[b->len] = '\0';
    return true;
}

static bool cancelled(const struct xfer *x)
{
    return __atomic_load_n(&x->cancel_req, __ATOMIC_ACQUIRE);
}

static bool on_engine_thread(const ref_engine *e)
{
    return pthread_equal(pthread_self(), e->thread);
}

static void record_fail(struct xfer *x, enum ref_err_kind kind, int code)
{
    if (x->failed)
        return;
    x->failed = true;
    x->fail_kind = kind;
    x->fail_code = code;
}

static void record_errno(struct xfer *x, int err)
{
    if (x->failed)
        return;
    x->sys_errno = err;
    record_fail(x, REF_ERR_ERRNO, err);
}

/* ------------------------------------------------------------------ */
/* Queues and the id table (engine lock held)                          */
/* ------------------------------------------------------------------ */

static void table_add(ref_engine *e, struct xfer *x)
{
    struct xfer **b = &e->table[x->id % NBUCKETS];

    x->hnext = *b;
    *b = x;
}

static struct xfer *table_find(ref_engine *e, uint64_t id)
{
    struct xfer *x = e->table[id % NBUCKETS];

    while (x && x->id != id)
        x = x->hnext;
    return x;
}

static void table_remove(ref_engine *e, struct xfer *x)
{
    struct xfer **pp = &e->table[x->id % NBUCKETS];

    while (*pp && *pp != x)
        pp = &(*pp)->hnext;
    if (*pp)
        *pp = x->hnext;
}

static void queue_push(ref_engine *e, struct xfer *x)
{
    int p = x->prio;

    x->qnext = NULL;
    x->qprev = e->qtail[p];
    if (e->qtail[p])
        e->qtail[p]->qnext = x;
    else
        e->qhead[p] = x;
    e->qtail[p] = x;
    e->npending++;
}

static void queue_unlink(ref_engine *e, struct xfer *x)
{
    int p = x->prio;

    if (x->qprev)
        x->qprev->qnext = x->qnext;
    else
        e->qhead[p] = x->qnext;
    if (x->qnext)
        x->qnext->qprev = x->qprev;
    else
        e->qtail[p] = x->qprev;
    x->qnext = x->qprev = NULL;
    e->npending--;
}

static void active_push(ref_engine *e, struct xfer *x)
{
    x->qprev = NULL;
    x->qnext = e->active;
    if (e->active)
        e->active->qprev = x;
    e->active = x;
    e->nactive++;
    if (e->nactive > e->peak)
        e->peak = e->nactive;
}

static void active_unlink(ref_engine *e, struct xfer *x)
{
    if (x->qprev)
        x->qprev->qnext = x->qnext;
    else
        e->active = x->qnext;
    if (x->qnext)
        x->qnext->qprev = x->qprev;
    x->qnext = x->qprev = NULL;
    e->nactive--;
}

/* Releases libcurl and file resources (engine thread, or after the
 * thread stopped). */
static void release_io(ref_engine *e, struct xfer *x)
{
    if (x->easy) {
        curl_multi_remove_handle(e->multi, x->easy);
        curl_easy_cleanup(x->easy);
        x->easy = NULL;
    }
    curl_slist_free_all(x->slist);
    x->slist = NULL;
    if (x->fd >= 0) {
        close(x->fd);
        x->fd = -1;
    }
}

static void free_xfer(struct xfer *x)
{
    if (!x)
        return;
    ref_plan_free(&x->plan);
    ref_free(x->url);
    ref_free(x->temp_path);
    ref_free(x->headers);
    ref_free(x->user);
    ref_free(x->password);
    ref_free(x->proxy_list);
    ref_free(x->proxy_bypass);
    ref_free(x->etag);
    ref_free(x->last_modified);
    ref_free(x->ranges);
    ref_free(x->method);
    ref_free(x->body_path);
    ref_free(x->src_path);
    ref_free(x->hdr.p);
    ref_free(x->last_hdr.p);
    ref_free(x);
}

/* ------------------------------------------------------------------ */
/* libcurl callbacks (engine thread, no lock)                          */
/* ------------------------------------------------------------------ */

static void call_progress(struct xfer *x)
{
    if (x->ops->on_progress && !cancelled(x))
        x->ops->on_progress(x->ctx, x->plan.local, ref_plan_total(&x->plan));
}

/* A response the plan accepted (x->resp, x->last_hdr): the temp file is
 * cut when the plan restarted, the body goes to the file from now on and
 * the owner hears of the headers.  False when cutting failed (recorded). */
static bool accept_response(struct xfer *x, bool truncate)
{
    if (truncate && ftruncate(x->fd, 0) != 0) {
        record_errno(x, errno);
        return false;
    }
    x->in_body = true;
    if (x->ops->on_headers && !cancelled(x))
        x->ops->on_headers(x->ctx, x->resp.status, x->last_hdr.p,
                           ref_plan_total(&x->plan));
    if (truncate)
        call_progress(x);
    return true;
}

/* Is this header block a redirect that libcurl is about to follow? */
static bool followed_redirect(const struct xfer *x)
{
    long s = x->resp.status;

    if (x->security & REF_SEC_REDIRECT_DISALLOW)
        return false;
    return x->resp.has_location &&
           (s == 301 || s == 302 || s == 303 || s == 307 || s == 308);
}

static size_t header_cb(char *buf, size_t size, size_t n, void *ud)
{
    struct xfer *x = ud;
    size_t len = size * n;
    struct ref_verdict v;

    if (cancelled(x))
        return 0;
    if (len >= 5 && memcmp(buf, "HTTP/", 5) == 0) {
        x->hdr.len = 0;
        x->in_body = false;
    }
    if (!buf_add(&x->hdr, buf, len)) {
        record_fail(x, REF_ERR_ENGINE, REF_XE_NO_MEMORY);
        return 0;
    }
    if (!ref_resp_line(&x->resp, buf, len))
        return len;
    /* End of a header block. */
    if (x->resp.status < 200 || followed_redirect(x))
        return len;
    x->last_hdr.len = 0;
    if (!buf_add(&x->last_hdr, x->hdr.p, x->hdr.len)) {
        record_fail(x, REF_ERR_ENGINE, REF_XE_NO_MEMORY);
        return 0;
    }
    if (x->method) /* a packet: the caller judges the answer */
        return len;
    ref_plan_headers(&x->plan, &x->resp, &v);
    switch (v.kind) {
    case REF_V_ACCEPT:
        return accept_response(x, v.truncate) ? len : 0;
    case REF_V_DONE:
        x->complete_nobody = true;
        return len;
    case REF_V_REISSUE:
        if (ftruncate(x->fd, 0) != 0) {
            record_errno(x, errno);
            return 0;
        }
        x->reissue = true;
        call_progress(x);
        return 0; /* drop this response */
    case REF_V_FAIL:
    case REF_V_MORE:
        break;
    }
    record_fail(x, v.err_kind, v.err_code);
    return 0;
}

static size_t write_cb(char *buf, size_t size, size_t n, void *ud)
{
    struct xfer *x = ud;
    size_t len = size * n, done = 0;
    uint64_t off = x->plan.local;
    struct ref_verdict v;

    if (cancelled(x))
        return 0;
    if (!x->in_body)
        return len; /* body of a response we do not use */
    ref_plan_body(&x->plan, len, &v);
    if (v.kind == REF_V_FAIL) {
        record_fail(x, v.err_kind, v.err_code);
        return 0;
    }
    while (done < len) {
        ssize_t w = pwrite(x->fd, buf + done, len - done, (off_t)(off + done));
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            int err = w < 0 ? errno : EIO;

            /* Only what reached the file counts. */
            x->plan.got -= len - done;
            x->plan.local -= len - done;
            x->plan.pos -= len - done;
            record_errno(x, err);
            return 0;
        }
        done += (size_t)w;
    }
    call_progress(x);
    return len;
}

/* A packet's body: the next bytes of its file range. */
static size_t read_cb(char *buf, size_t size, size_t n, void *ud)
{
    struct xfer *x = ud;
    size_t want = size * n;
    uint64_t left = x->body_length - x->body_sent;
    ssize_t r;

    if (cancelled(x))
        return CURL_READFUNC_ABORT;
    if (want > left)
        want = (size_t)left;
    if (want == 0)
        return 0;
    do
        r = pread(x->fd, buf, want, (off_t)(x->body_offset + x->body_sent));
    while (r < 0 && errno == EINTR);
    if (r <= 0) {
        /* The file shrank under the packet: a local failure. */
        record_errno(x, r < 0 ? errno : EIO);
        return CURL_READFUNC_ABORT;
    }
    x->body_sent += (uint64_t)r;
    return (size_t)r;
}

/* libcurl rewinds a body it must send again (an auth round, a resend). */
static int seek_cb(void *ud, curl_off_t off, int origin)
{
    struct xfer *x = ud;

    if (origin != SEEK_SET || off < 0 || (uint64_t)off > x->body_length)
        return CURL_SEEKFUNC_CANTSEEK;
    x->body_sent = (uint64_t)off;
    return CURL_SEEKFUNC_OK;
}

/* ------------------------------------------------------------------ */
/* Setting up a request                                               */
/* ------------------------------------------------------------------ */

/* "a b;c" → "a,b,c" with <local> expanded; NULL on no memory. */
static char *noproxy_list(const char *s)
{
    struct buf b = {0};
    const char *p = s;
    bool first = true;

    while (*p) {
        size_t n;

        while (*p == ' ' || *p == ';' || *p == ',')
            p++;
        n = strcspn(p, " ;,");
        if (n) {
            const char *item = p;
            size_t ilen = n;

            if (n == 7 && strncasecmp(p, "<local>", 7) == 0) {
                item = "localhost,127.0.0.1,::1";
                ilen = strlen(item);
            }
            if ((!first && !buf_add(&b, ",", 1)) || !buf_add(&b, item, ilen)) {
                ref_free(b.p);
                return NULL;
            }
            first = false;
        }
        p += n;
    }
    if (!b.p && !buf_add(&b, "", 0))
        return NULL;
    return b.p;
}

static bool header_dropped(const char *line, size_t n)
{
    return (n >= 6 && strncasecmp(line, "range:", 6) == 0) ||
           (n >= 9 && strncasecmp(line, "if-range:", 9) == 0);
}

/* Custom header lines plus If-Range into x->slist. */
static bool build_headers(struct xfer *x, const char *if_range)
{
    struct curl_slist *l = NULL, *t;
    const char *p = x->headers;
    char line[REF_VALIDATOR_MAX + 16];

    curl_slist_free_all(x->slist);
    x->slist = NULL;
    while (p && *p) {
        size_t n = strcspn(p, "\r\n");

        if (n && !header_dropped(p, n)) {
            char *one = ref_alloc(n + 1);

            if (!one)
                goto oom;
            memcpy(one, p, n);
            one[n] = '\0';
            t = curl_slist_append(l, one);
            ref_free(one);
            if (!t)
                goto oom;
            l = t;
        }
        p += n;
        while (*p == '\r' || *p == '\n')
            p++;
    }
    if (if_range[0]) {
        snprintf(line, sizeof line, "If-Range: %s", if_range);
        t = curl_slist_append(l, line);
        if (!t)
            goto oom;
        l = t;
    }
    x->slist = l;
    return true;
oom:
    curl_slist_free_all(l);
    return false;
}

static long stream_weight(enum ref_prio p)
{
    static const long w[NPRIO] = {256, 128, 64, 16};

    return w[p];
}

/* Options that stay the same for every request of x. */
static bool setup_easy(ref_engine *e, struct xfer *x)
{
    CURL *h = curl_easy_init();
    bool ok = true;

    if (!h)
        return false;
    x->easy = h;
#define SET(opt, val) ok = ok && curl_easy_setopt(h, opt, val) == CURLE_OK
    if (x->src_path) {
        char *url = ref_file_url(x->src_path);

        SET(CURLOPT_URL, url);
        ref_free(url);
        /* FILE only, so nothing but this file is read; HTTP's options do
         * not apply. */
        SET(CURLOPT_PROTOCOLS_STR, "file");
        SET(CURLOPT_PRIVATE, x);
        SET(CURLOPT_ERRORBUFFER, x->errbuf);
        SET(CURLOPT_NOSIGNAL, 1L);
        SET(CURLOPT_WRITEFUNCTION, write_cb);
        SET(CURLOPT_WRITEDATA, x);
        SET(CURLOPT_BUFFERSIZE, 65536L);
        if (e->verbose)
            SET(CURLOPT_VERBOSE, 1L);
        return ok && url;
    }
    SET(CURLOPT_URL, x->url);
    SET(CURLOPT_PRIVATE, x);
    SET(CURLOPT_ERRORBUFFER, x->errbuf);
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_WRITEFUNCTION, write_cb);
    SET(CURLOPT_WRITEDATA, x);
    SET(CURLOPT_HEADERFUNCTION, header_cb);
    SET(CURLOPT_HEADERDATA, x);
    SET(CURLOPT_PIPEWAIT, 1L);
    /* Larger than what 7.88.1 hands nghttp2 per read (32 KB), so a DATA
     * frame always fits and nghttp2 is never paused mid-frame: resuming a
     * paused frame that carried END_STREAM needs more bytes from the
     * socket, and when none come (the server has finished) the stream
     * never closes and the transfer hangs (docs/engine.md). */
    SET(CURLOPT_BUFFERSIZE, 65536L);
    SET(CURLOPT_STREAM_WEIGHT, stream_weight(x->prio));
    /* h2c by Upgrade on http://, ALPN on https://; never prior knowledge
     * (broken on connection reuse in 7.88.1, notes §0 #1). */
    SET(CURLOPT_HTTP_VERSION, x->http == REF_HTTP_1_1
                                  ? (long)CURL_HTTP_VERSION_1_1
                                  : (long)CURL_HTTP_VERSION_2_0);
    if (e->verbose)
        SET(CURLOPT_VERBOSE, 1L);
    if (e->ca_file)
        SET(CURLOPT_CAINFO, e->ca_file);
    if (x->method) {
        /* UPLOAD sends Content-Length from INFILESIZE (also 0); the
         * custom method replaces its PUT. */
        SET(CURLOPT_UPLOAD, 1L);
        SET(CURLOPT_CUSTOMREQUEST, x->method);
        SET(CURLOPT_INFILESIZE_LARGE, (curl_off_t)x->body_length);
        SET(CURLOPT_READFUNCTION, read_cb);
        SET(CURLOPT_READDATA, x);
        SET(CURLOPT_SEEKFUNCTION, seek_cb);
        SET(CURLOPT_SEEKDATA, x);
        SET(CURLOPT_FOLLOWLOCATION, 0L);
    } else if (x->security & REF_SEC_REDIRECT_DISALLOW) {
        SET(CURLOPT_FOLLOWLOCATION, 0L);
    } else {
        bool https = strncasecmp(x->url, "https:", 6) == 0;

        SET(CURLOPT_FOLLOWLOCATION, 1L);
        SET(CURLOPT_MAXREDIRS, 10L);
        SET(CURLOPT_REDIR_PROTOCOLS_STR,
            https && !(x->security & REF_SEC_REDIRECT_HTTPS_TO_HTTP)
                ? "https"
                : "http,https");
    }
    SET(CURLOPT_PROTOCOLS_STR, "http,https");
    if (x->security & REF_SEC_IGNORE_CN)
        SET(CURLOPT_SSL_VERIFYHOST, 0L);
    /* libcurl cannot waive one certificate check alone: any of these
     * flags turns peer verification off (docs/engine.md). */
    if (x->security & (REF_SEC_IGNORE_DATE | REF_SEC_IGNORE_UNKNOWN_CA |
                       REF_SEC_IGNORE_WRONG_USAGE))
        SET(CURLOPT_SSL_VERIFYPEER, 0L);
    if (x->user) {
        SET(CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        SET(CURLOPT_USERNAME, x->user);
        SET(CURLOPT_PASSWORD, x->password ? x->password : "");
    }
    switch (x->proxy_usage) {
    case REF_PROXY_NO_PROXY:
        SET(CURLOPT_PROXY, "");
        break;
    case REF_PROXY_OVERRIDE:
        if (x->proxy_list) {
            char first[1024];
            size_t n = strcspn(x->proxy_list, " ;");

            if (n >= sizeof first)
                n = sizeof first - 1;
            memcpy(first, x->proxy_list, n);
            first[n] = '\0';
            SET(CURLOPT_PROXY, first);
        }
        if (x->proxy_bypass) {
            char *np = noproxy_list(x->proxy_bypass);

            if (!np)
                return false;
            SET(CURLOPT_NOPROXY, np);
            ref_free(np);
        }
        break;
    case REF_PROXY_PRECONFIG:
    case REF_PROXY_AUTODETECT:
        break;
    }
#undef SET
    return ok;
}

/* Prepares the next request of x (range, If-Range); REF_V_ACCEPT when it
 * is ready to be added, DONE, or FAIL (recorded). */
static enum ref_verdict_kind next_request(struct xfer *x)
{
    char if_range[REF_VALIDATOR_MAX] = "";
    struct ref_verdict v;
    enum ref_verdict_kind k = REF_V_ACCEPT;

    x->range[0] = '\0';
    x->body_sent = 0;
    if (!x->method)
        k = ref_plan_request(&x->plan, x->range, sizeof x->range, if_range,
                             sizeof if_range, &v);
    if (k == REF_V_FAIL) {
        record_fail(x, v.err_kind, v.err_code);
        return k;
    }
    if (k == REF_V_DONE)
        return k;
    if (!build_headers(x, if_range)) {
        record_fail(x, REF_ERR_ENGINE, REF_XE_NO_MEMORY);
        return REF_V_FAIL;
    }
    ref_resp_init(&x->resp);
    x->hdr.len = 0;
    x->in_body = false;
    x->complete_nobody = false;
    x->reissue = false;
    if (curl_easy_setopt(x->easy, CURLOPT_RANGE,
                         x->range[0] ? x->range : NULL) != CURLE_OK ||
        curl_easy_setopt(x->easy, CURLOPT_HTTPHEADER, x->slist) != CURLE_OK) {
        record_fail(x, REF_ERR_ENGINE, REF_XE_NO_MEMORY);
        return REF_V_FAIL;
    }
    return REF_V_ACCEPT;
}

/* Opens the temp file and places the plan on what it really holds. */
static bool open_file(struct xfer *x)
{
    struct stat st;
    uint64_t have;

    if (x->method) {
        if (x->body_length == 0)
            return true;
        x->fd = open(x->body_path, O_RDONLY | O_CLOEXEC);
        if (x->fd < 0) {
            record_errno(x, errno);
            return false;
        }
        return true;
    }
    x->fd = open(x->temp_path, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
    if (x->fd < 0 || fstat(x->fd, &st) != 0) {
        record_errno(x, errno);
        return false;
    }
    have = (uint64_t)st.st_size;
    if (ref_plan_init(&x->plan, x->ranges, x->nranges,
                      x->resume < have ? x->resume : have, x->known_size,
                      x->etag, x->last_modified, x->dynamic,
                      x->max_size) != 0) {
        record_fail(x, REF_ERR_ENGINE, REF_XE_NO_MEMORY);
        return false;
    }
    return true;
}

/* ------------------------------------------------------------------ */
/* Local sources                                                      */
/* ------------------------------------------------------------------ */

/* Is the directory part of path there?  (Linux says ENOENT for a
 * missing file and a missing directory alike.) */
static bool parent_exists(const char *path)
{
    const char *slash = strrchr(path, '/');
    char dir[4096];
    struct stat st;

    if (!slash || slash == path || (size_t)(slash - path) >= sizeof dir)
        return true;
    memcpy(dir, path, (size_t)(slash - path));
    dir[slash - path] = '\0';
    return stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Size and validator of x's source now; false with the failure recorded
 * (REF_ERR_SOURCE errno) when it cannot be read as a file.  Opened and
 * closed again: libcurl opens it for the read itself. */
static bool source_look(ref_engine *e, struct xfer *x, uint64_t *size,
                        char *etag, size_t etag_len)
{
    struct stat st;
    int fd, err;
    size_t n = e->deny_read ? strlen(e->deny_read) : 0;

    if (n && strncmp(x->src_path, e->deny_read, n) == 0 &&
        (x->src_path[n] == '/' || x->src_path[n] == '\0' ||
         e->deny_read[n - 1] == '/')) {
        record_fail(x, REF_ERR_SOURCE, EACCES);
        return false;
    }
    /* O_NONBLOCK: a FIFO must not hold the engine thread. */
    fd = open(x->src_path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0) {
        err = errno;
        if (fd >= 0)
            close(fd);
        if (err == ENXIO)
            err = ENODEV;
        else if (err == ENOENT && !parent_exists(x->src_path))
            err = ENOTDIR; /* Windows: ERROR_PATH_NOT_FOUND, not FILE_ */
        record_fail(x, REF_ERR_SOURCE, err);
        return false;
    }
    close(fd);
    if (!S_ISREG(st.st_mode)) {
        record_fail(x, REF_ERR_SOURCE, S_ISDIR(st.st_mode) ? EISDIR : ENODEV);
        return false;
    }
    *size = (uint64_t)st.st_size;
    /* Which file and which version of it: inode, size, change time.  A
     * write or a replacement changes it; a mere read does not. */
    snprintf(etag, etag_len, "\"%llx-%llx-%llx-%llx.%09ld\"",
             (unsigned long long)st.st_dev, (unsigned long long)st.st_ino,
             (unsigned long long)st.st_size,
             (unsigned long long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
    return true;
}

/* Looks at x's source again and compares it with the version the plan
 * holds: 0 the same (*size and etag set), 1 changed (the file restarts at
 * 0: temp file cut, progress told), -1 failed (recorded). */
static int source_recheck(ref_engine *e, struct xfer *x, uint64_t *size,
                          char *etag)
{
    struct ref_verdict v;

    if (!source_look(e, x, size, etag, REF_VALIDATOR_MAX))
        return -1;
    ref_plan_source_check(&x->plan, *size, etag, &v);
    if (v.kind == REF_V_FAIL) {
        record_fail(x, v.err_kind, v.err_code);
        return -1;
    }
    if (v.kind != REF_V_REISSUE)
        return 0;
    if (ftruncate(x->fd, 0) != 0) {
        record_errno(x, errno);
        return -1;
    }
    call_progress(x);
    return 1;
}

/* Before a read of a local source (engine thread, no lock): looks at the
 * file, restarts when it changed, and judges the read the plan wants.
 * REF_V_ACCEPT: the handle may be added (range set); DONE; FAIL
 * (recorded). */
static enum ref_verdict_kind local_begin(ref_engine *e, struct xfer *x)
{
    char etag[REF_VALIDATOR_MAX], text[512];
    uint64_t size;
    struct ref_verdict v;
    int c;

    while ((c = source_recheck(e, x, &size, etag)) != 0) {
        if (c < 0)
            return REF_V_FAIL;
        if (next_request(x) != REF_V_ACCEPT) /* the range from zero */
            return x->failed ? REF_V_FAIL : REF_V_DONE;
    }
    ref_plan_local(&x->plan, size, etag, &x->resp, &v);
    if (v.kind == REF_V_DONE) {
        x->complete_nobody = true;
        return REF_V_DONE;
    }
    if (v.kind != REF_V_ACCEPT) {
        record_fail(x, v.err_kind, v.err_code);
        return REF_V_FAIL;
    }
    ref_resp_render(&x->resp, text, sizeof text);
    x->last_hdr.len = 0;
    if (!buf_add(&x->last_hdr, text, strlen(text))) {
        record_fail(x, REF_ERR_ENGINE, REF_XE_NO_MEMORY);
        return REF_V_FAIL;
    }
    return accept_response(x, v.truncate) ? REF_V_ACCEPT : REF_V_FAIL;
}

/* After a read of a local source that libcurl ended with rc: the source
 * is looked at again.  True when the response was dealt with here: a
 * change while it was read (restart: *k = MORE) or a source that can no
 * longer be read (recorded).  A short read of an unchanged file is a
 * read failure of the source, not a cut connection. */
static bool local_end(ref_engine *e, struct xfer *x, CURLcode rc,
                      enum ref_verdict_kind *k)
{
    char etag[REF_VALIDATOR_MAX];
    uint64_t size;
    int c = source_recheck(e, x, &size, etag);

    if (c < 0)
        return true;
    if (c > 0) {
        *k = REF_V_MORE;
        return true;
    }
    if (rc != CURLE_OK ||
        (x->plan.expect != REF_SIZE_UNKNOWN && x->plan.got != x->plan.expect)) {
        record_fail(x, REF_ERR_SOURCE, EIO);
        return true;
    }
    return false;
}

/* Adds x's handle for its next request; for a local source, after looking
 * at the file (engine thread, no lock).  False when x ended (finish it). */
static bool begin_request(ref_engine *e, struct xfer *x)
{
    if (x->src_path && !cancelled(x)) {
        enum ref_verdict_kind k = local_begin(e, x);

        if (k != REF_V_ACCEPT)
            return false;
    }
    if (cancelled(x))
        return false;
    if (curl_multi_add_handle(e->multi, x->easy) != CURLM_OK) {
        record_fail(x, REF_ERR_ENGINE, REF_XE_NO_MEMORY);
        return false;
    }
    return true;
}

/* ------------------------------------------------------------------ */
/* Engine thread                                                      */
/* ------------------------------------------------------------------ */

/* Moves x from PENDING to ACTIVE and starts its first request.  False when
 * it finished at once (failure or nothing to do): the caller delivers.
 * A local source is only prepared (*later set): looking at its file
 * calls the owner back, which waits until the lock is released. */
static bool start_xfer(ref_engine *e, struct xfer *x, bool *later)
{
    enum ref_verdict_kind k;

    *later = false;
    x->state = X_ACTIVE;
    active_push(e, x);
    if (!open_file(x))
        return false;
    if (!setup_easy(e, x)) {
        record_fail(x, REF_ERR_ENGINE, REF_XE_NO_MEMORY);
        return false;
    }
    k = next_request(x);
    if (k != REF_V_ACCEPT)
        return false;
    if (x->src_path) {
        *later = true;
        return true;
    }
    if (curl_multi_add_handle(e->multi, x->easy) != CURLM_OK) {
        record_fail(x, REF_ERR_ENGINE, REF_XE_NO_MEMORY);
        return false;
    }
    return true;
}

static bool may_start(const ref_engine *e, int prio)
{
    if (prio == REF_PRIO_FOREGROUND)
        return e->nactive < (size_t)e->max_active + e->fg_reserve;
    return e->nactive < e->max_active;
}

static void fill_result(struct xfer *x, CURLcode rc,
                        struct ref_xfer_result *res)
{
    long status = 0, ver = 0;
    char *url = NULL, *ip = NULL;

    memset(res, 0, sizeof *res);
    if (x->failed) {
        res->kind = x->fail_kind;
        res->code = x->fail_code;
    }
    res->curl_code = (int)rc;
    res->sys_errno = x->sys_errno;
    res->bytes = x->plan.local;
    res->total = ref_plan_total(&x->plan);
    res->remote_size = x->plan.size;
    res->content_changed = x->plan.content_changed;
    res->restarted = x->plan.restarted;
    res->etag = x->plan.etag;
    res->last_modified = x->plan.last_modified;
    res->headers = x->last_hdr.p ? x->last_hdr.p : "";
    res->http_status = x->resp.status;
    res->new_connections = x->connects;
    if (x->easy) {
        if (curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status) ==
                CURLE_OK &&
            status)
            res->http_status = status;
        if (x->src_path) { /* no status, redirect or server for a file */
            res->http_status = 0;
            return;
        }
        if (curl_easy_getinfo(x->easy, CURLINFO_HTTP_VERSION, &ver) == CURLE_OK)
            res->http_version = ver == CURL_HTTP_VERSION_2_0 ? 2
                                : ver == CURL_HTTP_VERSION_3 ? 3
                                : ver != 0                   ? 1
                                                             : 0;
        if (curl_easy_getinfo(x->easy, CURLINFO_EFFECTIVE_URL, &url) ==
            CURLE_OK)
            res->effective_url = url;
        if (curl_easy_getinfo(x->easy, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK &&
            ip && ip[0])
            res->server_ip = ip;
    }
}

/* Cancel cleanup of an ACTIVE x (engine thread, lock held). */
static void drop_cancelled(ref_engine *e, struct xfer *x)
{
    active_unlink(e, x);
    release_io(e, x);
    if (x->waiter) {
        x->state = X_ZOMBIE;
        pthread_cond_broadcast(&e->cv);
    } else {
        table_remove(e, x);
        free_xfer(x);
    }
}

/* x ended for good: deliver on_done (no lock), then free. */
static void finish(ref_engine *e, struct xfer *x, CURLcode rc)
{
    struct ref_xfer_result res;

    pthread_mutex_lock(&e->mu);
    if (cancelled(x)) {
        drop_cancelled(e, x);
        pthread_mutex_unlock(&e->mu);
        return;
    }
    x->state = X_DONE_CB;
    active_unlink(e, x);
    pthread_mutex_unlock(&e->mu);

    if (x->fd >= 0) {
        close(x->fd);
        x->fd = -1;
    }
    fill_result(x, rc, &res);
    x->ops->on_done(x->ctx, &res);

    pthread_mutex_lock(&e->mu);
    table_remove(e, x);
    if (x->waiter)
        pthread_cond_broadcast(&e->cv);
    release_io(e, x);
    free_xfer(x);
    pthread_mutex_unlock(&e->mu);
}

/* One response of x ended with rc. */
/* A transport failure that says the connection went away. */
static bool conn_lost(CURLcode rc)
{
    return rc == CURLE_GOT_NOTHING || rc == CURLE_SEND_ERROR ||
           rc == CURLE_RECV_ERROR || rc == CURLE_HTTP2 ||
           rc == CURLE_HTTP2_STREAM;
}

static void response_done(ref_engine *e, struct xfer *x, CURLcode rc)
{
    long nc = 0;
    struct ref_verdict v;
    enum ref_verdict_kind k;
    bool resend = false;

    if (curl_easy_getinfo(x->easy, CURLINFO_NUM_CONNECTS, &nc) == CURLE_OK)
        x->connects += nc;
    curl_multi_remove_handle(e->multi, x->easy);
    if (cancelled(x) || x->failed) {
        finish(e, x, rc);
        return;
    }
    if (x->reissue) {
        k = REF_V_MORE;
    } else if (x->src_path && local_end(e, x, rc, &k)) {
        if (x->failed) {
            finish(e, x, rc);
            return;
        }
    } else if (rc != CURLE_OK && nc == 0 && !x->conn_retried &&
               x->resp.status == 0 && !x->in_body && conn_lost(rc)) {
        /* The request died with a connection it reused (a GOAWAY, a
         * peer that closed an idle connection) before any response: it
         * was never processed, so it is sent again once, at once, as
         * HTTP clients do for idempotent requests.  A response dropped
         * from our callbacks (a restart) can leave 7.88.1's HTTP/2
         * connection dead yet pooled, so this is met after restarts. */
        resend = true;
        k = REF_V_MORE; /* libcurl no longer offers the dead connection */
    } else if (rc != CURLE_OK) {
        /* An HTTP/2 stream reset with PROTOCOL_ERROR after every declared
         * byte arrived: the peer sent DATA beyond Content-Length and
         * nghttp2 refused it.  An inconsistent response, not a cut.  (When
         * the refused frame also held declared bytes the case cannot be
         * told from a cut and stays a transient protocol error.) */
        if (rc == CURLE_HTTP2_STREAM && x->in_body &&
            x->plan.expect != REF_SIZE_UNKNOWN &&
            x->plan.got >= x->plan.expect &&
            strstr(x->errbuf, "PROTOCOL_ERROR"))
            record_fail(x, REF_ERR_ENGINE, REF_XE_LENGTH_MISMATCH);
        else
            record_fail(x, REF_ERR_CURL, (int)rc);
        finish(e, x, rc);
        return;
    } else if (x->complete_nobody || x->method) {
        k = REF_V_DONE;
    } else {
        ref_plan_end(&x->plan, &v);
        k = v.kind;
        if (k == REF_V_FAIL)
            record_fail(x, v.err_kind, v.err_code);
    }
    if (k == REF_V_MORE) {
        /* Once per request: the next range or a restart may be re-sent
         * too, or the restart cap of the plan (E7) is never reached. */
        x->conn_retried = resend;
        k = next_request(x);
        if (k == REF_V_ACCEPT && begin_request(e, x))
            return;
    }
    finish(e, x, rc);
}

static void process_cancels(ref_engine *e)
{
    struct xfer *x = e->active, *next;

    e->cancels = false;
    while (x) {
        next = x->qnext;
        if (cancelled(x) && x->state == X_ACTIVE)
            drop_cancelled(e, x);
        x = next;
    }
}

static void *engine_main(void *arg)
{
    ref_engine *e = arg;

    pthread_mutex_lock(&e->mu);
    while (!e->stop) {
        struct xfer *failed = NULL, *local = NULL;
        int running = 0;
        CURLMsg *msg;
        int left;

        if (e->cancels)
            process_cancels(e);
        for (int p = 0; p < NPRIO; p++) {
            while (e->qhead[p] && may_start(e, p)) {
                struct xfer *x = e->qhead[p];

                bool later;

                queue_unlink(e, x);
                if (!start_xfer(e, x, &later)) {
                    /* Deliver after the lock is released. */
                    x->fnext = failed;
                    failed = x;
                } else if (later) {
                    x->lnext = local;
                    local = x;
                }
            }
        }
        pthread_mutex_unlock(&e->mu);

        while (failed) {
            struct xfer *x = failed;

            failed = x->fnext;
            finish(e, x, CURLE_OK);
        }
        while (local) {
            struct xfer *x = local;

            local = x->lnext;
            if (!begin_request(e, x))
                finish(e, x, CURLE_OK);
        }
        curl_multi_perform(e->multi, &running);
        while ((msg = curl_multi_info_read(e->multi, &left))) {
            struct xfer *x = NULL;

            if (msg->msg != CURLMSG_DONE)
                continue;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
            if (x)
                response_done(e, x, msg->data.result);
        }
        if (e->self_kick)
            e->self_kick = false;
        else
            curl_multi_poll(e->multi, NULL, 0, 1000, NULL);
        pthread_mutex_lock(&e->mu);
    }
    pthread_mutex_unlock(&e->mu);
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Public functions                                                   */
/* ------------------------------------------------------------------ */

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;

static void init_curl(void)
{
    curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

int ref_engine_create(const struct ref_engine_config *cfg, ref_engine **out)
{
    ref_engine *e;
    bool oom = false;
    int rc;

    if (!out)
        return -EINVAL;
    *out = NULL;
    pthread_once(&curl_once, init_curl);
    if (curl_init_rc != CURLE_OK)
        return -EIO;
    e = ref_calloc(1, sizeof *e);
    if (!e)
        return -ENOMEM;
    e->max_active = cfg && cfg->max_active ? cfg->max_active : 100;
    e->fg_reserve =
        cfg && cfg->fg_reserve ? cfg->fg_reserve : e->max_active / 4 + 1;
    e->verbose = cfg && cfg->verbose;
    e->ca_file = dup_str(cfg ? cfg->ca_file : NULL, &oom);
    if (cfg && cfg->deny_read_prefix && cfg->deny_read_prefix[0])
        e->deny_read = dup_str(cfg->deny_read_prefix, &oom);
    e->next_id = 1;
    if (oom) {
        ref_free(e->ca_file);
        ref_free(e->deny_read);
        ref_free(e);
        return -ENOMEM;
    }
    e->multi = curl_multi_init();
    if (!e->multi) {
        ref_free(e->deny_read);
        ref_free(e->ca_file);
        ref_free(e);
        return -ENOMEM;
    }
    curl_multi_setopt(e->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
    pthread_mutex_init(&e->mu, NULL);
    pthread_cond_init(&e->cv, NULL);
    rc = pthread_create(&e->thread, NULL, engine_main, e);
    if (rc != 0) {
        curl_multi_cleanup(e->multi);
        pthread_mutex_destroy(&e->mu);
        pthread_cond_destroy(&e->cv);
        ref_free(e->ca_file);
        ref_free(e->deny_read);
        ref_free(e);
        return -rc;
    }
    *out = e;
    return 0;
}

void ref_engine_destroy(ref_engine *e)
{
    if (!e)
        return;
    pthread_mutex_lock(&e->mu);
    e->stop = true;
    pthread_mutex_unlock(&e->mu);
    curl_multi_wakeup(e->multi);
    pthread_join(e->thread, NULL);

    for (int p = 0; p < NPRIO; p++) {
        while (e->qhead[p]) {
            struct xfer *x = e->qhead[p];

            queue_unlink(e, x);
            table_remove(e, x);
            free_xfer(x);
        }
    }
    while (e->active) {
        struct xfer *x = e->active;

        active_unlink(e, x);
        release_io(e, x);
        table_remove(e, x);
        free_xfer(x);
    }
    curl_multi_cleanup(e->multi);
    pthread_mutex_destroy(&e->mu);
    pthread_cond_destroy(&e->cv);
    ref_free(e->ca_file);
    ref_free(e->deny_read);
    ref_free(e);
}

static bool valid_request(const struct ref_request *r)
{
    if (!r || !r->ops || !r->ops->on_done || !r->url)
        return false;
    if (r->method) /* packets go to HTTP servers only */
        return (r->body_length == 0 || r->body_path) && !r->nranges &&
               strncasecmp(r->url, "http", 4) == 0 && (unsigned)r->prio < NPRIO;
    if (!r->temp_path)
        return false;
    if (r->nranges && !r->ranges)
        return false;
    for (size_t i = 0; i < r->nranges; i++)
        if (r->ranges[i].length == 0 ||
            r->ranges[i].offset == REF_LENGTH_TO_EOF)
            return false;
    return (unsigned)r->prio < NPRIO;
}

int ref_engine_submit(ref_engine *e, const struct ref_request *req,
                      uint64_t *id)
{
    struct xfer *x;
    bool oom = false;

    if (!e || !id || !valid_request(req))
        return -EINVAL;
    *id = 0;
    x = ref_calloc(1, sizeof *x);
    if (!x)
        return -ENOMEM;
    x->fd = -1;
    x->url = dup_str(req->url, &oom);
    x->temp_path = dup_str(req->temp_path, &oom);
    x->headers = dup_str(req->headers, &oom);
    x->user = dup_str(req->user, &oom);
    x->password = dup_str(req->password, &oom);
    x->proxy_list = dup_str(req->proxy_list, &oom);
    x->proxy_bypass = dup_str(req->proxy_bypass, &oom);
    x->etag = dup_str(req->etag, &oom);
    x->last_modified = dup_str(req->last_modified, &oom);
    x->method = dup_str(req->method, &oom);
    x->body_path = dup_str(req->body_path, &oom);
    x->body_offset = req->body_offset;
    x->body_length = req->body_length;
    if (req->nranges) {
        x->ranges = ref_calloc(req->nranges, sizeof *x->ranges);
        if (x->ranges)
            memcpy(x->ranges, req->ranges, req->nranges * sizeof *x->ranges);
        else
            oom = true;
        x->nranges = req->nranges;
    }
    if (ref_source_path(req->url, &x->src_path) < 0)
        oom = true;
    if (oom) {
        free_xfer(x);
        return -ENOMEM;
    }
    x->resume = req->resume;
    x->known_size = req->known_size;
    x->max_size = req->max_size;
    x->security = req->security;
    x->dynamic = req->dynamic;
    x->prio = req->prio;
    x->http = req->http;
    x->proxy_usage = req->proxy_usage;
    x->ops = req->ops;
    x->ctx = req->ctx;
    x->state = X_PENDING;

    pthread_mutex_lock(&e->mu);
    x->id = e->next_id++;
    table_add(e, x);
    queue_push(e, x);
    *id = x->id;
    pthread_mutex_unlock(&e->mu);
    if (on_engine_thread(e)) {
        e->self_kick = true;
        __atomic_add_fetch(&e->self_kicks, 1, __ATOMIC_RELAXED);
    } else {
        __atomic_add_fetch(&e->wakeups, 1, __ATOMIC_RELAXED);
        curl_multi_wakeup(e->multi);
    }
    return 0;
}

enum ref_cancel_result ref_engine_cancel(ref_engine *e, uint64_t id,
                                         uint64_t *bytes)
{
    struct xfer *x;
    enum ref_cancel_result r = REF_CANCEL_DONE;

    if (bytes)
        *bytes = 0;
    if (!e)
        return REF_CANCEL_UNKNOWN;
    pthread_mutex_lock(&e->mu);
    x = table_find(e, id);
    if (!x) {
        r = REF_CANCEL_UNKNOWN;
        goto out;
    }
    if (x->state == X_PENDING) {
        if (bytes)
            *bytes = x->resume;
        queue_unlink(e, x);
        table_remove(e, x);
        free_xfer(x);
        goto out;
    }
    if (x->state == X_DONE_CB) {
        if (on_engine_thread(e)) {
            r = REF_CANCEL_FINISHED;
            goto out;
        }
        x->waiter = true;
        while (table_find(e, id) == x)
            pthread_cond_wait(&e->cv, &e->mu);
        r = REF_CANCEL_FINISHED;
        goto out;
    }
    if (x->state == X_ZOMBIE) {
        r = REF_CANCEL_FINISHED;
        goto out;
    }
    __atomic_store_n(&x->cancel_req, true, __ATOMIC_RELEASE);
    e->cancels = true;
    if (on_engine_thread(e)) {
        /* From a callback: every later callback checks the flag. */
        if (bytes)
            *bytes = x->plan.local;
        goto out;
    }
    x->waiter = true;
    curl_multi_wakeup(e->multi);
    for (;;) {
        struct xfer *y = table_find(e, id);

        if (y != x) {
            r = REF_CANCEL_FINISHED;
            break;
        }
        if (x->state == X_ZOMBIE) {
            if (bytes)
                *bytes = x->plan.local;
            table_remove(e, x);
            free_xfer(x);
            break;
        }
        pthread_cond_wait(&e->cv, &e->mu);
    }
out:
    pthread_mutex_unlock(&e->mu);
    return r;
}

void ref_engine_counts(ref_engine *e, size_t *pending, size_t *active,
                       size_t *peak_active)
{
    pthread_mutex_lock(&e->mu);
    if (pending)
        *pending = e->npending;
    if (active)
        *active = e->nactive;
    if (peak_active)
        *peak_active = e->peak;
    pthread_mutex_unlock(&e->mu);
}

void ref_engine_kicks(ref_engine *e, size_t *self_kicks, size_t *wakeups)
{
    if (self_kicks)
        *self_kicks = __atomic_load_n(&e->self_kicks, __ATOMIC_RELAXED);
    if (wakeups)
        *wakeups = __atomic_load_n(&e->wakeups, __ATOMIC_RELAXED);
}
