/*
 * test_engine.c - the engine against h2mock: whole files (SHA-256 equal
 * to the fixture), resume proven from h2mock's request log, content
 * changes, ranges, HTTP errors and their mapping, cut-short and
 * inconsistent responses, servers that ignore Range, cancel during a
 * transfer, many concurrent requests over one HTTP/2 connection with a
 * bounded window, and priority order.  Each case table row or function
 * sets up fault rules through /_mock/rules and resets them afterwards.
 * Local sources (paths and file:// names, I19) go through the same
 * engine: whole files, escapes, resume, ranges, a source that changes
 * while it is read, cancel and resume, and each refusal of the source.
 */
#include "eng_test.h"
#include "ref_engine.h"
#include "ref_errmap.h"

#include <bitsmsg.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BIG_SIZE (1024 * 1024)
#define WAIT_MS 15000

static struct mockctl srv;
static ref_engine *eng;
static unsigned char *big; /* fixture big.bin */
static const char alpha[] = "0123456789abcdefghij";
static char tmpdir[128];
static int done_seq;

/* What the callbacks saw for one request. */
struct rec {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool done;
    bool cancel_returned; /* set by the test right after cancel */
    int late_calls;       /* callbacks after cancel returned */
    int headers_calls, progress_calls;
    long hdr_status;
    uint64_t last_progress;
    int order;
    /* copy of the result */
    enum ref_err_kind kind;
    int code, curl_code, sys_errno;
    long status, http_version, conns;
    uint64_t bytes, total;
    bool changed, restarted;
    char etag[256];
    /* local sources: what the callbacks do and saw */
    char hdr_etag[256]; /* ETag line of the last on_headers text */
    const char *mutate; /* append to this file on progress ... */
    int mutate_left;    /* ... this many times */
    uint64_t cancel_at; /* cancel itself at this many bytes (0: no) */
    uint64_t id, kept;  /* its id (set after submit), bytes kept */
    int cancel_rc;
};

static void rec_init(struct rec *r)
{
    memset(r, 0, sizeof *r);
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->cv, NULL);
}

static void rec_free(struct rec *r)
{
    pthread_mutex_destroy(&r->mu);
    pthread_cond_destroy(&r->cv);
}

static void cb_headers(void *ctx, long status, const char *h, uint64_t t)
{
    struct rec *r = ctx;

    const char *et = h ? strstr(h, "ETag: ") : NULL;

    pthread_mutex_lock(&r->mu);
    if (et)
        snprintf(r->hdr_etag, sizeof r->hdr_etag, "%.*s",
                 (int)strcspn(et + 6, "\r\n"), et + 6);
    r->headers_calls++;
    r->hdr_status = status;
    r->late_calls += r->cancel_returned;
    pthread_mutex_unlock(&r->mu);
}

static void cb_progress(void *ctx, uint64_t bytes, uint64_t total)
{
    struct rec *r = ctx;

    pthread_mutex_lock(&r->mu);
    r->progress_calls++;
    r->last_progress = bytes;
    r->late_calls += r->cancel_returned;
    if (r->mutate && r->mutate_left > 0 && bytes > 0) {
        /* another writer appends while the engine reads */
        int fd = open(r->mutate, O_WRONLY | O_APPEND);

        r->mutate_left--;
        CU_ASSERT_TRUE(fd >= 0 && write(fd, "+", 1) == 1);
        if (fd >= 0)
            close(fd);
    }
    if (r->cancel_at && bytes >= r->cancel_at) {
        r->cancel_at = 0;
        while (!r->id) /* the test stores it right after submit */
            pthread_cond_wait(&r->cv, &r->mu);
        r->cancel_rc = (int)ref_engine_cancel(eng, r->id, &r->kept);
    }
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
}

static void cb_done(void *ctx, const struct ref_xfer_result *res)
{
    struct rec *r = ctx;

    pthread_mutex_lock(&r->mu);
    r->late_calls += r->cancel_returned;
    r->kind = res->kind;
    r->code = res->code;
    r->curl_code = res->curl_code;
    r->sys_errno = res->sys_errno;
    r->status = res->http_status;
    r->http_version = res->http_version;
    r->conns = res->new_connections;
    r->bytes = res->bytes;
    r->total = res->total;
    r->changed = res->content_changed;
    r->restarted = res->restarted;
    snprintf(r->etag, sizeof r->etag, "%s", res->etag);
    r->order = __atomic_add_fetch(&done_seq, 1, __ATOMIC_SEQ_CST);
    r->done = true;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
}

static const struct ref_xfer_ops ops = {cb_headers, cb_progress, cb_done};

static bool rec_wait(struct rec *r)
{
    struct timespec ts;
    bool ok = true;

    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += WAIT_MS / 1000;
    pthread_mutex_lock(&r->mu);
    while (!r->done && ok)
        ok = pthread_cond_timedwait(&r->cv, &r->mu, &ts) == 0;
    ok = r->done;
    if (ok && getenv("ENG_DEBUG"))
        fprintf(stderr,
                "\n  [result kind=%d code=%d curl=%d status=%ld bytes=%" PRIu64
                " changed=%d restarted=%d h=%ld]",
                r->kind, r->code, r->curl_code, r->status, r->bytes, r->changed,
                r->restarted, r->http_version);
    pthread_mutex_unlock(&r->mu);
    if (!ok)
        fprintf(stderr, "\n  request did not finish in %d ms\n", WAIT_MS);
    return ok;
}

static void req_init(struct ref_request *q, const char *path, const char *tmp,
                     struct rec *r)
{
    static char url[256];

    memset(q, 0, sizeof *q);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/%s", srv.port, path);
    q->url = url;
    q->temp_path = tmp;
    q->known_size = REF_SIZE_UNKNOWN;
    q->max_size = REF_SIZE_UNKNOWN;
    q->prio = REF_PRIO_NORMAL;
    q->ops = &ops;
    q->ctx = r;
}

static void tmp_path(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", tmpdir, name);
    unlink(out);
}

static void reset_mock(void);

/* Submits, waits; the result is in r.  False (the case has failed) when
 * the request could not be submitted or did not finish in WAIT_MS: it is
 * then cancelled, so the engine holds no pointer to r (often on the
 * caller's stack) once this returns, and the mock's rules are reset. */
static bool run_try(struct ref_request *q, struct rec *r)
{
    uint64_t id = 0;
    bool ok;

    ENG_EQ_INT(ref_engine_submit(eng, q, &id), 0);
    CU_ASSERT_TRUE(id > 0);
    if (id == 0)
        return false;
    ok = rec_wait(r);
    CU_ASSERT_TRUE(ok);
    if (!ok) {
        /* No callback for id runs or follows once cancel returns. */
        enum ref_cancel_result c = ref_engine_cancel(eng, id, NULL);

        fprintf(stderr,
                "  cancelled the request (result %d) after %" PRIu64
                " bytes, %d headers call(s)\n",
                (int)c, r->last_progress, r->headers_calls);
        if (getenv("ENG_DEBUG")) {
            char *log = NULL;

            mockctl_control(&srv, "GET", "log", NULL, &log);
            fprintf(stderr, "  h2mock log:\n%s\n", log ? log : "");
            free(log);
        }
        reset_mock();
    }
    return ok;
}

/* run_try() for a case that cannot go on without the result: a timeout
 * ends the test function (after the cancel, so r may go). */
#define run(q, r)                                                              \
    do {                                                                       \
        if (!run_try(q, r))                                                    \
            CU_FAIL_FATAL("request did not finish");                           \
    } while (0)

static void sha256(const void *p, size_t n, unsigned char out[32])
{
    unsigned int len = 32;

    EVP_Digest(p, n, out, &len, EVP_sha256(), NULL);
}

/* The file at path has exactly n bytes whose SHA-256 equals data's.  The
 * open/read failures end the test function: call it only when no engine
 * request still points into the caller's frame (check_file otherwise). */
static void assert_file(const char *path, const void *data, size_t n)
{
    unsigned char a[32], b[32];
    struct stat st;
    unsigned char *buf;
    int fd = open(path, O_RDONLY);

    CU_ASSERT_TRUE_FATAL(fd >= 0);
    CU_ASSERT_TRUE_FATAL(fstat(fd, &st) == 0);
    ENG_EQ_U64(st.st_size, n);
    buf = malloc((size_t)st.st_size + 1);
    CU_ASSERT_TRUE_FATAL(buf != NULL);
    CU_ASSERT_TRUE(read(fd, buf, (size_t)st.st_size) == st.st_size);
    close(fd);
    sha256(buf, (size_t)st.st_size, a);
    sha256(data, n, b);
    CU_ASSERT_TRUE(memcmp(a, b, 32) == 0);
    free(buf);
}

/* assert_file() without the test-ending assertions. */
static void check_file(const char *path, const void *data, size_t n)
{
    unsigned char a[32], b[32];
    unsigned char *buf = malloc(n + 1);
    int fd = open(path, O_RDONLY);
    ssize_t got = -1;

    CU_ASSERT_TRUE(fd >= 0 && buf != NULL);
    if (fd >= 0 && buf) {
        got = read(fd, buf, n + 1);
        ENG_EQ_INT(got, (long long)n);
    }
    if (fd >= 0)
        close(fd);
    if (got == (ssize_t)n) {
        sha256(buf, n, a);
        sha256(data, n, b);
        CU_ASSERT_TRUE(memcmp(a, b, 32) == 0);
    }
    free(buf);
}

static void write_file(const char *path, const void *p, size_t n)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

    CU_ASSERT_TRUE_FATAL(fd >= 0);
    CU_ASSERT_TRUE(write(fd, p, n) == (ssize_t)n);
    close(fd);
}

static void rules(const char *text)
{
    /* a refused rule is printed by mockctl with h2mock's answer */
    ENG_EQ_INT(mockctl_rules(&srv, text), 200);
}

/* Drops every rule (DELETE /_mock/rules) and empties the log. */
static void reset_mock(void)
{
    ENG_EQ_INT(mockctl_clear(&srv), 200);
    ENG_EQ_INT(mockctl_control(&srv, "POST", "reset", "", NULL), 200);
}

/* Number of times needle occurs in the log lines whose path is path. */
static int log_count(const char *path, const char *needle)
{
    char *log = NULL, key[128];
    int n = 0;

    mockctl_control(&srv, "GET", "log", NULL, &log);
    snprintf(key, sizeof key, "\"path\":\"%s\"", path);
    for (char *line = strtok(log, "\n"); line; line = strtok(NULL, "\n")) {
        if (!strstr(line, key))
            continue;
        if (getenv("ENG_DEBUG"))
            fprintf(stderr, "\n  [log] %s", line);
        /* HTTP/2 sends header names in lower case: compare without case */
        for (char *p = line; (p = strcasestr(p, needle)); p += strlen(needle))
            n++;
    }
    free(log);
    return n;
}

/* ------------------------------------------------------------------ */

int eng_net_init(void)
{
    struct ref_engine_config cfg = {.max_active = 100,
                                    .verbose = getenv("ENG_VERBOSE") != NULL};
    uint32_t x = 12345;

    snprintf(tmpdir, sizeof tmpdir, "/tmp/eng-tmp-XXXXXX");
    if (!mkdtemp(tmpdir))
        return -1;
    if (mockctl_start(&srv, false) != 0)
        return -1;
    big = malloc(BIG_SIZE);
    if (!big)
        return -1;
    for (size_t i = 0; i < BIG_SIZE; i++) {
        x = x * 1103515245u + 12345u;
        big[i] = (unsigned char)(x >> 16);
    }
    if (mockctl_put(&srv, "big.bin", big, BIG_SIZE) != 0 ||
        mockctl_put(&srv, "alpha.txt", alpha, 20) != 0 ||
        mockctl_put(&srv, "small.bin", big, 16384) != 0)
        return -1;
    return ref_engine_create(&cfg, &eng) == 0 ? 0 : -1;
}

int eng_net_cleanup(void)
{
    char cmd[200];

    ref_engine_destroy(eng);
    eng = NULL;
    mockctl_stop(&srv);
    free(big);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_whole_file(void)
{
    struct ref_request q;
    struct rec r;
    char tmp[256];

    rec_init(&r);
    tmp_path(tmp, sizeof tmp, "whole");
    req_init(&q, "big.bin", tmp, &r);
    run(&q, &r);
    ENG_EQ_INT(r.kind, REF_ERR_NONE);
    ENG_EQ_INT(r.status, 200);
    ENG_EQ_U64(r.bytes, BIG_SIZE);
    ENG_EQ_U64(r.total, BIG_SIZE);
    ENG_EQ_INT(r.http_version, 2); /* h2c by Upgrade */
    ENG_EQ_INT(r.headers_calls, 1);
    CU_ASSERT_TRUE(r.progress_calls > 0);
    ENG_EQ_U64(r.last_progress, BIG_SIZE);
    CU_ASSERT_TRUE(r.etag[0] != '\0');
    assert_file(tmp, big, BIG_SIZE);
    rec_free(&r);
}

/* Resume from a partial file: exactly one Range header, bytes=N-. */
static void test_resume(void)
{
    struct ref_request q;
    struct rec r;
    char tmp[256], etag[256], needle[400];

    rec_init(&r);
    tmp_path(tmp, sizeof tmp, "resume");
    req_init(&q, "big.bin", tmp, &r);
    run(&q, &r); /* learn the validator */
    snprintf(etag, sizeof etag, "%s", r.etag);
    rec_free(&r);

    reset_mock();
    write_file(tmp, big, 300000);
    rec_init(&r);
    req_init(&q, "big.bin", tmp, &r);
    q.resume = 300000;
    q.etag = etag;
    q.known_size = BIG_SIZE;
    run(&q, &r);
    ENG_EQ_INT(r.kind, REF_ERR_NONE);
    ENG_EQ_INT(r.status, 206);
    ENG_EQ_INT(r.changed, false);
    ENG_EQ_INT(r.restarted, false);
    assert_file(tmp, big, BIG_SIZE);
    ENG_EQ_INT(log_count("/big.bin", "[\"Range\","), 1);
    ENG_EQ_INT(log_count("/big.bin", "[\"Range\",\"bytes=300000-\"]"), 1);
    snprintf(needle, sizeof needle, "[\"If-Range\",\"%s\"]", etag);
    /* The log escapes quotes inside the ETag. */
    {
        char esc[400], *o = esc;

        for (const char *p = needle; *p && o < esc + sizeof esc - 2; p++) {
            if (*p == '"' && p != needle + 1 && p[-1] != '[' && p[1] != ']' &&
                p[1] != ',' && p[-1] != ',')
                *o++ = '\\';
            *o++ = *p;
        }
        *o = '\0';
        ENG_EQ_INT(log_count("/big.bin", esc), 1);
    }
    rec_free(&r);
}

/* The file changed on the server: 200 to If-Range, restart from zero. */
static void test_content_changed(void)
{
    struct ref_request q;
    struct rec r;
    char tmp[256], etag[256];
    unsigned char *v1 = malloc(BIG_SIZE);

    CU_ASSERT_TRUE_FATAL(v1 != NULL);
    for (size_t i = 0; i < BIG_SIZE; i++)
        v1[i] = big[i] ^ 1;
    rec_init(&r);
    tmp_path(tmp, sizeof tmp, "changed");
    req_init(&q, "big.bin", tmp, &r);
    run(&q, &r);
    snprintf(etag, sizeof etag, "%s", r.etag);
    rec_free(&r);

    rules("match path=/big.bin action=change-content");
    write_file(tmp, big, 500000);
    rec_init(&r);
    req_init(&q, "big.bin", tmp, &r);
    q.resume = 500000;
    q.etag = etag;
    q.known_size = BIG_SIZE;
    if (!run_try(&q, &r)) {
        rec_free(&r);
        free(v1);
        return;
    }
    ENG_EQ_INT(r.kind, REF_ERR_NONE);
    ENG_EQ_INT(r.status, 200);
    ENG_EQ_INT(r.changed, true);
    ENG_EQ_INT(r.restarted, true);
    CU_ASSERT_TRUE(strcmp(r.etag, etag) != 0);
    assert_file(tmp, v1, BIG_SIZE);
    reset_mock();
    rec_free(&r);
    free(v1);
}

/* A server that ignores Range on a plain resume: restart from zero. */
static void test_ignore_range_resume(void)
{
    struct ref_request q;
    struct rec r;
    char tmp[256];

    rules("match path=/big.bin action=ignore-range");
    tmp_path(tmp, sizeof tmp, "ignored");
    write_file(tmp, big, 100000);
    rec_init(&r);
    req_init(&q, "big.bin", tmp, &r);
    q.resume = 100000;
    run(&q, &r);
    ENG_EQ_INT(r.kind, REF_ERR_NONE);
    ENG_EQ_INT(r.restarted, true);
    ENG_EQ_INT(r.changed, false);
    assert_file(tmp, big, BIG_SIZE);
    reset_mock();
    rec_free(&r);
}

/* Range cases on alpha.txt = "0123456789abcdefghij". */
static const struct {
    const char *name;
    struct ref_range r[3];
    size_t n;
    const char *rule;
    const char *want; /* expected file, or NULL on failure */
    enum ref_err_kind kind;
    int code;
    HRESULT hr;
} range_cases[] = {
    {"{2,4},{12,5}",
     {{2, 4}, {12, 5}},
     2,
     NULL,
     "2345cdefg",
     REF_ERR_NONE,
     0,
     S_OK},
    {"to EOF",
     {{15, REF_LENGTH_TO_EOF}},
     1,
     NULL,
     "fghij",
     REF_ERR_NONE,
     0,
     S_OK},
    {"unsorted with EOF first",
     {{15, REF_LENGTH_TO_EOF}, {0, 2}},
     2,
     NULL,
     "fghij01",
     REF_ERR_NONE,
     0,
     S_OK},
    {"starts past EOF (416)",
     {{25, 4}},
     1,
     NULL,
     NULL,
     REF_ERR_ENGINE,
     REF_XE_INVALID_RANGE,
     BG_E_INVALID_RANGE},
    {"ends past EOF",
     {{15, 10}},
     1,
     NULL,
     NULL,
     REF_ERR_ENGINE,
     REF_XE_INVALID_RANGE,
     BG_E_INVALID_RANGE},
    {"server ignores Range",
     {{2, 4}},
     1,
     "match path=/alpha.txt action=ignore-range",
     NULL,
     REF_ERR_ENGINE,
     REF_XE_NO_RANGE_SUPPORT,
     BG_E_INSUFFICIENT_RANGE_SUPPORT},
    {"wrong Content-Range",
     {{2, 4}},
     1,
     "match path=/alpha.txt action=bad-content-range shift=1",
     NULL,
     REF_ERR_ENGINE,
     REF_XE_BAD_CONTENT_RANGE,
     BG_E_INVALID_SERVER_RESPONSE},
};

static void test_ranges(void)
{
    for (size_t i = 0; i < sizeof range_cases / sizeof range_cases[0]; i++) {
        struct ref_request q;
        struct ref_errmap_entry m;
        struct rec r;
        char tmp[256];

        fprintf(stderr, "\n    case: %s", range_cases[i].name);
        if (range_cases[i].rule)
            rules(range_cases[i].rule);
        rec_init(&r);
        tmp_path(tmp, sizeof tmp, "ranges");
        req_init(&q, "alpha.txt", tmp, &r);
        q.ranges = range_cases[i].r;
        q.nranges = range_cases[i].n;
        run(&q, &r);
        ENG_EQ_INT(r.kind, range_cases[i].kind);
        ENG_EQ_INT(r.code, range_cases[i].code);
        ref_errmap_lookup(r.kind, r.code, false, &m);
        ENG_EQ_HR(m.hr, range_cases[i].hr);
        if (range_cases[i].want) {
            assert_file(tmp, range_cases[i].want, strlen(range_cases[i].want));
            ENG_EQ_U64(r.total, strlen(range_cases[i].want));
        } else {
            ENG_EQ_INT(m.context, BG_ERROR_CONTEXT_REMOTE_FILE);
            ENG_EQ_INT(m.transient, false);
        }
        reset_mock();
        rec_free(&r);
    }
    fprintf(stderr, "\n");
}

/* E7: explicit ranges against a server with new content on every request
 * (each If-Range fails, so every answer after the first is a 200 whole
 * body of another version, dropped unread).  The plan restarts at most 3
 * times in the attempt, then fails with BAD_CONTENT_RANGE
 * (BG_E_INVALID_SERVER_RESPONSE, fatal), never with a transport error a
 * retry would repeat; h2mock saw at most 2 ranges x (3 + 1) requests. */
static void changing_ranges(const char *path, const struct ref_range *rg,
                            size_t n)
{
    struct ref_request q;
    struct ref_errmap_entry m;
    struct rec r;
    char tmp[256], rule[128], key[160];
    int count;

    fprintf(stderr, "\n    case: %s", path);
    snprintf(rule, sizeof rule, "match path=/%s action=change-content", path);
    rules(rule);
    rec_init(&r);
    tmp_path(tmp, sizeof tmp, "ranges-changing");
    req_init(&q, path, tmp, &r);
    q.ranges = rg;
    q.nranges = n;
    run(&q, &r);
    if (r.kind != REF_ERR_ENGINE)
        fprintf(stderr, " (kind %d code %d curl %d)", r.kind, r.code,
                r.curl_code);
    ENG_EQ_INT(r.kind, REF_ERR_ENGINE);
    ENG_EQ_INT(r.code, REF_XE_BAD_CONTENT_RANGE);
    ENG_EQ_INT(r.changed, true);
    ref_errmap_lookup(r.kind, r.code, false, &m);
    ENG_EQ_HR(m.hr, BG_E_INVALID_SERVER_RESPONSE);
    ENG_EQ_INT(m.transient, false);
    snprintf(rule, sizeof rule, "/%s", path);
    snprintf(key, sizeof key, "\"path\":\"/%s\"", path);
    count = log_count(rule, key);
    CU_ASSERT_TRUE(count >= 2);
    CU_ASSERT_TRUE(count <= 2 * (3 + 1));
    if (count < 2 || count > 8)
        fprintf(stderr, " (requests: %d)", count);
    reset_mock();
    rec_free(&r);
}

static void test_ranges_content_always_changes(void)
{
    static const struct ref_range small[] = {{2, 4}, {12, 5}};
    static const struct ref_range large[] = {{0, 100000},
                                             {500000, REF_LENGTH_TO_EOF}};

    changing_ranges("alpha.txt", small, 2);
    changing_ranges("big.bin", large, 2);
    fprintf(stderr, "\n");
}

/* HTTP errors and broken bodies: the outcome and its BITS mapping. */
static const struct {
    const char *name;
    const char *path;
    const char *rule;
    enum ref_http_pref http;
    enum ref_err_kind kind; /* REF_ERR_NONE here = "any failure" */
    int code;               /* checked when kind is not NONE */
    HRESULT hr;             /* checked when not S_OK */
    BG_ERROR_CONTEXT ctx;
    bool transient;
} fail_cases[] = {
    {"404", "missing.bin", NULL, REF_HTTP_AUTO, REF_ERR_HTTP, 404,
     BG_E_HTTP_ERROR_404, BG_ERROR_CONTEXT_REMOTE_FILE, false},
    {"500", "big.bin", "match path=/big.bin action=status code=500",
     REF_HTTP_AUTO, REF_ERR_HTTP, 500, BG_E_HTTP_ERROR_500,
     BG_ERROR_CONTEXT_REMOTE_FILE, true},
    {"503", "big.bin", "match path=/big.bin action=status code=503",
     REF_HTTP_AUTO, REF_ERR_HTTP, 503, BG_E_HTTP_ERROR_503,
     BG_ERROR_CONTEXT_REMOTE_FILE, true},
    {"h2: close after 5000 bytes", "big.bin",
     "match path=/big.bin action=close after=5000", REF_HTTP_AUTO, REF_ERR_NONE,
     0, S_OK, BG_ERROR_CONTEXT_GENERAL_TRANSPORT, true},
    {"h1: close after 5000 bytes", "big.bin",
     "match path=/big.bin action=close after=5000", REF_HTTP_1_1, REF_ERR_CURL,
     CURLE_PARTIAL_FILE, BG_E_CONNECTION_CLOSED,
     BG_ERROR_CONTEXT_GENERAL_TRANSPORT, true},
    {"h2: RST_STREAM after 5000 bytes", "big.bin",
     "match path=/big.bin action=rst-stream code=CANCEL after=5000",
     REF_HTTP_AUTO, REF_ERR_NONE, 0, S_OK, BG_ERROR_CONTEXT_GENERAL_TRANSPORT,
     true},
    {"h2: Content-Length 100 too large", "big.bin",
     "match path=/big.bin action=bad-length delta=100", REF_HTTP_AUTO,
     REF_ERR_NONE, 0, S_OK, BG_ERROR_CONTEXT_GENERAL_TRANSPORT, true},
    {"h1: Content-Length 100 too large", "big.bin",
     "match path=/big.bin action=bad-length delta=100", REF_HTTP_1_1,
     REF_ERR_NONE, 0, S_OK, BG_ERROR_CONTEXT_GENERAL_TRANSPORT, true},
    {"no Content-Length", "big.bin", "match path=/big.bin action=no-length",
     REF_HTTP_1_1, REF_ERR_ENGINE, REF_XE_MISSING_SIZE, BG_E_MISSING_FILE_SIZE,
     BG_ERROR_CONTEXT_REMOTE_FILE, false},
    /* I19: FILE is for local remote names only; a server cannot send an
     * HTTP transfer to a local file */
    {"redirect to file://", "big.bin",
     "match path=/big.bin action=redirect code=302 location=file:///etc/passwd",
     REF_HTTP_AUTO, REF_ERR_CURL, CURLE_UNSUPPORTED_PROTOCOL,
     BG_E_INSUFFICIENT_HTTP_SUPPORT, BG_ERROR_CONTEXT_REMOTE_FILE, false},
};

static void test_failures(void)
{
    const char *only = getenv("ENG_CASE"); /* run one case by name */

    for (size_t i = 0; i < sizeof fail_cases / sizeof fail_cases[0]; i++) {
        struct ref_request q;
        struct ref_errmap_entry m;
        struct rec r;
        char tmp[256];
        struct stat st;

        if (only && strcmp(only, fail_cases[i].name) != 0)
            continue;
        fprintf(stderr, "\n    case: %s", fail_cases[i].name);
        if (fail_cases[i].rule)
            rules(fail_cases[i].rule);
        rec_init(&r);
        tmp_path(tmp, sizeof tmp, "fail");
        req_init(&q, fail_cases[i].path, tmp, &r);
        q.http = fail_cases[i].http;
        if (!run_try(&q, &r)) {
            rec_free(&r);
            continue; /* cancelled and reset: the next case is clean */
        }
        CU_ASSERT_NOT_EQUAL(r.kind, REF_ERR_NONE);
        if (fail_cases[i].kind != REF_ERR_NONE) {
            ENG_EQ_INT(r.kind, fail_cases[i].kind);
            ENG_EQ_INT(r.code, fail_cases[i].code);
        }
        ref_errmap_lookup(r.kind, r.code, false, &m);
        if (fail_cases[i].hr != S_OK)
            ENG_EQ_HR(m.hr, fail_cases[i].hr);
        ENG_EQ_INT(m.context, fail_cases[i].ctx);
        ENG_EQ_INT(m.transient, fail_cases[i].transient);
        /* What is kept is a valid prefix (a failure, never "complete"). */
        CU_ASSERT_TRUE(r.bytes <= BIG_SIZE);
        if (stat(tmp, &st) == 0) {
            ENG_EQ_U64(st.st_size, r.bytes);
            if (r.bytes && r.bytes <= BIG_SIZE)
                assert_file(tmp, big, r.bytes);
        }
        reset_mock();
        rec_free(&r);
    }
    fprintf(stderr, "\n");
}

/* A local failure: the temp file's directory does not exist. */
static void test_local_error(void)
{
    struct ref_request q;
    struct ref_errmap_entry m;
    struct rec r;

    rec_init(&r);
    req_init(&q, "alpha.txt", "/nonexistent-dir-eng/x.tmp", &r);
    run(&q, &r);
    ENG_EQ_INT(r.kind, REF_ERR_ERRNO);
    ENG_EQ_INT(r.code, ENOENT);
    ENG_EQ_INT(r.sys_errno, ENOENT);
    ref_errmap_lookup(r.kind, r.code, false, &m);
    ENG_EQ_INT(m.context, BG_ERROR_CONTEXT_LOCAL_FILE);
    ENG_EQ_HR(m.hr, 0x80070003u);
    rec_free(&r);
}

/* Custom headers and Basic credentials reach the server; a custom Range
 * line is dropped (one Range header only, from the engine). */
static void test_headers_and_credentials(void)
{
    struct ref_request q;
    struct rec r;
    char tmp[256];

    rec_init(&r);
    tmp_path(tmp, sizeof tmp, "hdrs");
    req_init(&q, "alpha.txt", tmp, &r);
    q.headers = "X-Eng-Test: yes\r\nRange: bytes=0-1\r\n\r\nX-Two: 2";
    q.user = "user";
    q.password = "pw";
    run(&q, &r);
    ENG_EQ_INT(r.kind, REF_ERR_NONE);
    assert_file(tmp, alpha, 20);
    ENG_EQ_INT(log_count("/alpha.txt", "[\"X-Eng-Test\",\"yes\"]"), 1);
    ENG_EQ_INT(log_count("/alpha.txt", "[\"X-Two\",\"2\"]"), 1);
    ENG_EQ_INT(log_count("/alpha.txt", "\"Basic dXNlcjpwdw==\""), 1);
    ENG_EQ_INT(log_count("/alpha.txt", "[\"Range\","), 0);
    reset_mock();
    rec_free(&r);
}

/* Resume at the very end: 416 with our size means already complete. */
static void test_resume_at_end(void)
{
    struct ref_request q;
    struct rec r;
    char tmp[256];

    rec_init(&r);
    tmp_path(tmp, sizeof tmp, "atend");
    write_file(tmp, alpha, 20);
    req_init(&q, "alpha.txt", tmp, &r);
    q.resume = 20;
    q.known_size = 20;
    run(&q, &r);
    ENG_EQ_INT(r.kind, REF_ERR_NONE);
    ENG_EQ_U64(r.bytes, 20);
    assert_file(tmp, alpha, 20);
    rec_free(&r);
}

/* Cancel during a throttled transfer: no callback after cancel returns;
 * the bytes kept resume to the right file (Suspend). */
static void test_cancel_mid_transfer(void)
{
    struct ref_request q;
    struct rec r;
    char tmp[256];
    uint64_t id = 0, kept = 0;
    struct timespec ts;
    struct stat st;

    rules("match path=/big.bin action=throttle rate=200000");
    rec_init(&r);
    tmp_path(tmp, sizeof tmp, "cancel");
    req_init(&q, "big.bin", tmp, &r);
    ENG_EQ_INT(ref_engine_submit(eng, &q, &id), 0);
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += 10;
    pthread_mutex_lock(&r.mu);
    while (r.last_progress < 50000 && !r.done)
        if (pthread_cond_timedwait(&r.cv, &r.mu, &ts) != 0)
            break;
    pthread_mutex_unlock(&r.mu);
    CU_ASSERT_TRUE(r.last_progress >= 50000);
    ENG_EQ_INT(ref_engine_cancel(eng, id, &kept), REF_CANCEL_DONE);
    pthread_mutex_lock(&r.mu);
    r.cancel_returned = true;
    pthread_mutex_unlock(&r.mu);
    CU_ASSERT_TRUE(kept >= 50000 && kept < BIG_SIZE);
    usleep(300000);
    ENG_EQ_INT(r.late_calls, 0);
    ENG_EQ_INT(r.done, false);
    ENG_EQ_INT(ref_engine_cancel(eng, id, NULL), REF_CANCEL_UNKNOWN);
    CU_ASSERT_TRUE(stat(tmp, &st) == 0);
    ENG_EQ_U64(st.st_size, kept);
    rec_free(&r);
    reset_mock();

    rec_init(&r);
    req_init(&q, "big.bin", tmp, &r);
    q.resume = kept;
    run(&q, &r);
    ENG_EQ_INT(r.kind, REF_ERR_NONE);
    assert_file(tmp, big, BIG_SIZE);
    rec_free(&r);
}

/* A request cancelled before it started never calls back. */
static void test_cancel_pending(void)
{
    struct ref_engine_config cfg = {.max_active = 1, .fg_reserve = 1};
    ref_engine *e2;
    struct ref_request q;
    struct rec a, b;
    char t1[256], t2[256];
    uint64_t ida, idb, kept = 1;

    rules("match path=/big.bin action=delay ms=300");
    ENG_EQ_INT(ref_engine_create(&cfg, &e2), 0);
    rec_init(&a);
    rec_init(&b);
    tmp_path(t1, sizeof t1, "pend1");
    tmp_path(t2, sizeof t2, "pend2");
    req_init(&q, "big.bin", t1, &a);
    ENG_EQ_INT(ref_engine_submit(e2, &q, &ida), 0);
    req_init(&q, "alpha.txt", t2, &b);
    q.resume = 7;
    ENG_EQ_INT(ref_engine_submit(e2, &q, &idb), 0);
    usleep(50000);
    ENG_EQ_INT(ref_engine_cancel(e2, idb, &kept), REF_CANCEL_DONE);
    ENG_EQ_U64(kept, 7);
    CU_ASSERT_TRUE(rec_wait(&a));
    ENG_EQ_INT(a.kind, REF_ERR_NONE);
    ENG_EQ_INT(b.done, false);
    ENG_EQ_INT(b.headers_calls + b.progress_calls, 0);
    ref_engine_destroy(e2);
    rec_free(&a);
    rec_free(&b);
    reset_mock();
}

static void test_bad_arguments(void)
{
    struct ref_request q;
    struct rec r;
    struct ref_range zero = {0, 0};
    uint64_t id = 99;

    rec_init(&r);
    req_init(&q, "alpha.txt", "/tmp/x", &r);
    ENG_EQ_INT(ref_engine_submit(NULL, &q, &id), -EINVAL);
    ENG_EQ_INT(ref_engine_submit(eng, NULL, &id), -EINVAL);
    q.nranges = 1;
    ENG_EQ_INT(ref_engine_submit(eng, &q, &id), -EINVAL);
    q.ranges = &zero;
    ENG_EQ_INT(ref_engine_submit(eng, &q, &id), -EINVAL);
    q.nranges = 0;
    q.prio = (enum ref_prio)4;
    ENG_EQ_INT(ref_engine_submit(eng, &q, &id), -EINVAL);
    q.prio = REF_PRIO_LOW;
    q.url = NULL;
    ENG_EQ_INT(ref_engine_submit(eng, &q, &id), -EINVAL);
    ENG_EQ_INT(ref_engine_cancel(eng, 0, NULL), REF_CANCEL_UNKNOWN);
    rec_free(&r);
}

/* 200 requests at once, a window of 50: all over one h2 connection. */
#define MANY 200
static void test_many_multiplexed(void)
{
    struct ref_engine_config cfg = {.max_active = 50};
    ref_engine *e2;
    static struct rec recs[MANY];
    struct ref_request q;
    size_t peak = 0, pending = 1, active = 1;
    long conns = 0;
    int ok = 0, h2 = 0;

    ENG_EQ_INT(ref_engine_create(&cfg, &e2), 0);
    for (int i = 0; i < MANY; i++) {
        char tmp[256], name[32];
        uint64_t id;

        snprintf(name, sizeof name, "many-%d", i);
        tmp_path(tmp, sizeof tmp, name);
        rec_init(&recs[i]);
        req_init(&q, "small.bin", tmp, &recs[i]);
        ENG_EQ_INT(ref_engine_submit(e2, &q, &id), 0);
    }
    for (int i = 0; i < MANY; i++) {
        char tmp[256];

        CU_ASSERT_TRUE(rec_wait(&recs[i]));
        ok += recs[i].kind == REF_ERR_NONE;
        h2 += recs[i].http_version == 2;
        conns += recs[i].conns;
        snprintf(tmp, sizeof tmp, "%s/many-%d", tmpdir, i);
        if (i % 50 == 0 && recs[i].done && recs[i].kind == REF_ERR_NONE)
            check_file(tmp, big, 16384);
        unlink(tmp);
    }
    ref_engine_counts(e2, &pending, &active, &peak);
    /* Stop the engine (and any request still running after a timeout)
     * before the records it calls back into go. */
    ref_engine_destroy(e2);
    for (int i = 0; i < MANY; i++)
        rec_free(&recs[i]);
    ENG_EQ_INT(ok, MANY);
    ENG_EQ_INT(h2, MANY);
    ENG_EQ_INT(conns, 1);
    ENG_EQ_INT(pending, 0);
    ENG_EQ_INT(active, 0);
    CU_ASSERT_TRUE(peak <= 50 && peak > 1);
}

/* One slot: queued requests start by priority; FOREGROUND has its own
 * reserve and is not held behind the running LOW transfer. */
static void test_priority_order(void)
{
    struct ref_engine_config cfg = {.max_active = 1, .fg_reserve = 1};
    static const enum ref_prio order[] = {REF_PRIO_LOW, REF_PRIO_NORMAL,
                                          REF_PRIO_HIGH, REF_PRIO_FOREGROUND};
    ref_engine *e2;
    struct rec slow, rs[4];
    struct ref_request q;
    char tmp[256], name[32];
    uint64_t id;
    size_t active = 0;

    rules("match path=/big.bin action=delay ms=400");
    ENG_EQ_INT(ref_engine_create(&cfg, &e2), 0);
    rec_init(&slow);
    tmp_path(tmp, sizeof tmp, "prio-slow");
    req_init(&q, "big.bin", tmp, &slow);
    q.prio = REF_PRIO_LOW;
    ENG_EQ_INT(ref_engine_submit(e2, &q, &id), 0);
    for (int i = 0; i < 100 && active == 0; i++) {
        usleep(10000);
        ref_engine_counts(e2, NULL, &active, NULL);
    }
    ENG_EQ_INT(active, 1);
    for (int i = 0; i < 4; i++) {
        snprintf(name, sizeof name, "prio-%d", i);
        tmp_path(tmp, sizeof tmp, name);
        rec_init(&rs[i]);
        req_init(&q, "alpha.txt", tmp, &rs[i]);
        q.prio = order[i];
        ENG_EQ_INT(ref_engine_submit(e2, &q, &id), 0);
    }
    CU_ASSERT_TRUE(rec_wait(&slow));
    for (int i = 0; i < 4; i++)
        CU_ASSERT_TRUE(rec_wait(&rs[i]));
    /* FOREGROUND first, then the running LOW, then HIGH, NORMAL, LOW. */
    CU_ASSERT_TRUE(rs[3].order < slow.order);
    CU_ASSERT_TRUE(slow.order < rs[2].order);
    CU_ASSERT_TRUE(rs[2].order < rs[1].order);
    CU_ASSERT_TRUE(rs[1].order < rs[0].order);
    ref_engine_destroy(e2);
    rec_free(&slow);
    for (int i = 0; i < 4; i++)
        rec_free(&rs[i]);
    reset_mock();
}

/* A chain: each request's done callback submits the next one from the
 * engine thread.  The engine takes it on its next round without waking
 * itself (E10), so the chain runs without a single wake-up and without
 * waiting for the loop's 1 s poll timeout. */
#define CHAIN 20
struct chain {
    ref_engine *e;
    struct rec recs[CHAIN];
    char tmp[CHAIN][256];
    int next;
};

static void chain_done(void *ctx, const struct ref_xfer_result *res);
static const struct ref_xfer_ops chain_ops = {cb_headers, cb_progress,
                                              chain_done};

static void chain_submit(struct chain *c)
{
    struct ref_request q;
    uint64_t id;
    int i = c->next++;

    req_init(&q, "alpha.txt", c->tmp[i], &c->recs[i]);
    q.ops = &chain_ops;
    if (ref_engine_submit(c->e, &q, &id) != 0)
        c->next = CHAIN + 1; /* seen by the test as a failed chain */
}

static struct chain the_chain;

static void chain_done(void *ctx, const struct ref_xfer_result *res)
{
    struct rec *r = ctx;
    int last = r == &the_chain.recs[CHAIN - 1];

    if (!last && res->kind == REF_ERR_NONE)
        chain_submit(&the_chain);
    cb_done(ctx, res);
}

static void test_submit_from_callback(void)
{
    struct ref_engine_config cfg = {.max_active = 4};
    struct chain *c = &the_chain;
    size_t self = 99, wake = 99;
    struct timespec t0, t1;
    long ms;

    memset(c, 0, sizeof *c);
    ENG_EQ_INT(ref_engine_create(&cfg, &c->e), 0);
    for (int i = 0; i < CHAIN; i++) {
        char name[32];

        snprintf(name, sizeof name, "chain-%d", i);
        tmp_path(c->tmp[i], sizeof c->tmp[i], name);
        rec_init(&c->recs[i]);
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    chain_submit(c); /* from this thread: the one wake-up */
    CU_ASSERT_TRUE(rec_wait(&c->recs[CHAIN - 1]));
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    ref_engine_kicks(c->e, &self, &wake);
    ref_engine_destroy(c->e);
    ENG_EQ_INT(c->next, CHAIN);
    for (int i = 0; i < CHAIN; i++) {
        ENG_EQ_INT(c->recs[i].kind, REF_ERR_NONE);
        if (c->recs[i].kind == REF_ERR_NONE)
            check_file(c->tmp[i], alpha, strlen(alpha));
        unlink(c->tmp[i]);
        rec_free(&c->recs[i]);
    }
    ENG_EQ_INT(self, CHAIN - 1);
    ENG_EQ_INT(wake, 1);
    /* 19 polls of 1 s each would take 19 s; the bound is far above a
     * slow machine's time and far below that */
    if (ms >= 9000)
        fprintf(stderr, "\n  chain of %d took %ld ms\n", CHAIN, ms);
    CU_ASSERT_TRUE(ms < 9000);
}

/* ------------------------------------------------------------------ */
/* Local sources                                                      */
/* ------------------------------------------------------------------ */

/* A request for the local source `name` (a path or a file:// URL). */
static void local_init(struct ref_request *q, const char *name, const char *tmp,
                       struct rec *r)
{
    req_init(q, "unused", tmp, r);
    q->url = name;
}

/* A resume of big.bin from `kept` bytes with validator `etag`. */
static void local_resume_init(struct ref_request *q, const char *name,
                              const char *tmp, struct rec *r, uint64_t kept,
                              const char *etag)
{
    rec_init(r);
    local_init(q, name, tmp, r);
    q->resume = kept;
    q->known_size = BIG_SIZE;
    q->etag = etag;
}

/* big.bin as a local file of tmpdir; its path in out. */
static void local_big(char *out, size_t n, const char *name)
{
    tmp_path(out, n, name);
    write_file(out, big, BIG_SIZE);
}

/* A path and a file:// URL read the whole file (the URL's path given
 * with a space and '#' as they are, then escaped); the owner sees one
 * on_headers with status 200, Content-Length and an ETag, and the result
 * has no HTTP status. */
static void test_local_whole(void)
{
    static const char *const forms[] = {"%s", "file://%s",
                                        "file://%s/a%%20b%%23.bin"};
    char src[256], spaced[256], name[600], tmp[256];

    local_big(src, sizeof src, "a b#.bin");
    snprintf(spaced, sizeof spaced, "%s", tmpdir);
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        struct ref_request q;
        struct rec r;

        fprintf(stderr, "\n    case: %s", forms[i]);
        snprintf(name, sizeof name, forms[i], i == 2 ? spaced : src);
        rec_init(&r);
        tmp_path(tmp, sizeof tmp, "local-whole");
        local_init(&q, name, tmp, &r);
        run(&q, &r);
        ENG_EQ_INT(r.kind, REF_ERR_NONE);
        ENG_EQ_INT(r.headers_calls, 1);
        ENG_EQ_INT(r.hdr_status, 200);
        ENG_EQ_INT(r.status, 0);
        ENG_EQ_U64(r.total, BIG_SIZE);
        ENG_EQ_U64(r.bytes, BIG_SIZE);
        CU_ASSERT_TRUE(r.hdr_etag[0] == '"');
        ENG_EQ_STR(r.etag, r.hdr_etag);
        assert_file(tmp, big, BIG_SIZE);
        rec_free(&r);
    }
    fprintf(stderr, "\n");
}

/* Resume reads from the offset only: the temp file's first bytes (not
 * the source's) survive; with a stale validator the file restarts. */
static void test_local_resume(void)
{
    enum { KEEP = 300000 };
    char src[256], tmp[256];
    unsigned char *x = malloc(KEEP);
    struct ref_request q;
    struct rec r;
    char etag[256];

    CU_ASSERT_TRUE_FATAL(x != NULL);
    memset(x, 'X', KEEP);
    local_big(src, sizeof src, "resume.bin");
    tmp_path(tmp, sizeof tmp, "local-resume");
    rec_init(&r);
    local_init(&q, src, tmp, &r);
    run(&q, &r);
    snprintf(etag, sizeof etag, "%s", r.etag);
    rec_free(&r);

    write_file(tmp, x, KEEP);
    local_resume_init(&q, src, tmp, &r, KEEP, etag);
    run(&q, &r);
    ENG_EQ_INT(r.kind, REF_ERR_NONE);
    ENG_EQ_INT(r.hdr_status, 206);
    ENG_EQ_INT(r.changed, false);
    {
        unsigned char *want = malloc(BIG_SIZE);

        CU_ASSERT_TRUE_FATAL(want != NULL);
        memcpy(want, big, BIG_SIZE);
        memset(want, 'X', KEEP);
        check_file(tmp, want, BIG_SIZE);
        free(want);
    }
    rec_free(&r);

    /* the same resume with another version's validator: from zero */
    write_file(tmp, x, KEEP);
    local_resume_init(&q, src, tmp, &r, KEEP, "\"another version\"");
    run(&q, &r);
    ENG_EQ_INT(r.kind, REF_ERR_NONE);
    ENG_EQ_INT(r.changed, true);
    ENG_EQ_INT(r.restarted, true);
    assert_file(tmp, big, BIG_SIZE);
    rec_free(&r);
    free(x);
}

/* The range table of the HTTP cases, against a local alpha file (the
 * rows without a server fault). */
static void test_local_ranges(void)
{
    char src[256];

    tmp_path(src, sizeof src, "alpha.txt");
    write_file(src, alpha, 20);
    for (size_t i = 0; i < sizeof range_cases / sizeof range_cases[0]; i++) {
        struct ref_request q;
        struct rec r;
        char tmp[256];

        if (range_cases[i].rule)
            continue;
        fprintf(stderr, "\n    case: %s", range_cases[i].name);
        rec_init(&r);
        tmp_path(tmp, sizeof tmp, "local-ranges");
        local_init(&q, src, tmp, &r);
        q.ranges = range_cases[i].r;
        q.nranges = range_cases[i].n;
        run(&q, &r);
        ENG_EQ_INT(r.kind, range_cases[i].kind);
        ENG_EQ_INT(r.code, range_cases[i].code);
        if (range_cases[i].want)
            assert_file(tmp, range_cases[i].want, strlen(range_cases[i].want));
        rec_free(&r);
    }
    fprintf(stderr, "\n");
}

/* Written to while it is read: once, the file restarts and ends equal to
 * the new version; on every read, the attempt ends with
 * SOURCE_CHANGED (a sharing violation, transient) after 3 restarts. */
static void test_local_changes(void)
{
    static const struct {
        const char *name;
        int writes;
        enum ref_err_kind kind;
        int code;
    } cases[] = {
        {"grows once", 1, REF_ERR_NONE, 0},
        {"grows on every read", 1000, REF_ERR_ENGINE, REF_XE_SOURCE_CHANGED},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char src[256], tmp[256];
        struct ref_request q;
        struct ref_errmap_entry m;
        struct rec r;

        fprintf(stderr, "\n    case: %s", cases[i].name);
        local_big(src, sizeof src, "changing.bin");
        tmp_path(tmp, sizeof tmp, "local-changing");
        rec_init(&r);
        r.mutate = src;
        r.mutate_left = cases[i].writes;
        local_init(&q, src, tmp, &r);
        run(&q, &r);
        ENG_EQ_INT(r.kind, cases[i].kind);
        ENG_EQ_INT(r.code, cases[i].code);
        ENG_EQ_INT(r.changed, true);
        if (cases[i].kind == REF_ERR_NONE) {
            unsigned char *want = malloc(BIG_SIZE + 1);

            CU_ASSERT_TRUE_FATAL(want != NULL);
            memcpy(want, big, BIG_SIZE);
            want[BIG_SIZE] = '+';
            check_file(tmp, want, BIG_SIZE + 1);
            free(want);
        } else {
            ref_errmap_lookup(r.kind, r.code, false, &m);
            ENG_EQ_HR(m.hr, 0x80070020u);
            ENG_EQ_INT(m.context, BG_ERROR_CONTEXT_REMOTE_FILE);
            ENG_EQ_INT(m.transient, true);
        }
        rec_free(&r);
    }
    fprintf(stderr, "\n");
}

/* Cancelled part-way (from its own progress callback), the temp file
 * keeps the bytes reported; resumed with them, the file completes. */
static void test_local_cancel_resume(void)
{
    char src[256], tmp[256], etag[256];
    struct ref_request q;
    struct rec r;
    uint64_t id = 0, kept;
    struct stat st;

    local_big(src, sizeof src, "cancel.bin");
    tmp_path(tmp, sizeof tmp, "local-cancel");
    rec_init(&r);
    r.cancel_at = 100000;
    local_init(&q, src, tmp, &r);
    ENG_EQ_INT(ref_engine_submit(eng, &q, &id), 0);
    pthread_mutex_lock(&r.mu);
    r.id = id;
    pthread_cond_broadcast(&r.cv);
    pthread_mutex_unlock(&r.mu);
    usleep(300000);
    pthread_mutex_lock(&r.mu);
    ENG_EQ_INT(r.cancel_rc, REF_CANCEL_DONE);
    ENG_EQ_INT(r.done, false);
    kept = r.kept;
    snprintf(etag, sizeof etag, "%s", r.hdr_etag);
    pthread_mutex_unlock(&r.mu);
    CU_ASSERT_TRUE(kept >= 100000 && kept < BIG_SIZE);
    CU_ASSERT_TRUE(stat(tmp, &st) == 0);
    ENG_EQ_U64(st.st_size, kept);
    rec_free(&r);

    local_resume_init(&q, src, tmp, &r, kept, etag);
    run(&q, &r);
    ENG_EQ_INT(r.kind, REF_ERR_NONE);
    ENG_EQ_INT(r.changed, false);
    ENG_EQ_INT(r.hdr_status, 206);
    assert_file(tmp, big, BIG_SIZE);
    rec_free(&r);
}

/* Each refusal of a local source: kind SOURCE, its errno, its row
 * (REMOTE_FILE, fatal).  "unreadable" runs on an engine whose
 * deny-read prefix covers the file (root reads any mode-0 file). */
static void test_local_refusals(void)
{
    static const struct {
        const char *name;
        int err;
        HRESULT hr;
    } cases[] = {
        {"missing", ENOENT, 0x80070002},
        {"under a file", ENOTDIR, 0x80070003},
        {"in a missing directory", ENOTDIR, 0x80070003},
        {"a directory", EISDIR, E_ACCESSDENIED},
        {"a FIFO", ENODEV, 0x8007007B},
        {"unreadable", EACCES, E_ACCESSDENIED},
    };
    char dir[256], fifo[256], plain[256], denied[300], absent[256];
    const char *names[6];

    tmp_path(dir, sizeof dir, "a-dir");
    mkdir(dir, 0755);
    tmp_path(fifo, sizeof fifo, "a-fifo");
    CU_ASSERT_TRUE_FATAL(mkfifo(fifo, 0644) == 0);
    tmp_path(plain, sizeof plain, "plain.bin");
    write_file(plain, alpha, 20);
    snprintf(denied, sizeof denied, "%s/x", plain);
    tmp_path(absent, sizeof absent, "absent.bin");
    names[0] = absent;
    names[1] = denied;
    names[2] = "/nonexistent-eng-dir/missing.bin";
    names[3] = dir;
    names[4] = fifo;
    names[5] = plain;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct ref_engine_config cfg = {.max_active = 4,
                                        .deny_read_prefix = tmpdir};
        ref_engine *saved = eng, *denying = NULL;
        struct ref_request q;
        struct ref_errmap_entry m;
        struct rec r;
        char tmp[256];

        fprintf(stderr, "\n    case: %s", cases[i].name);
        if (cases[i].err == EACCES) {
            ENG_EQ_INT(ref_engine_create(&cfg, &denying), 0);
            eng = denying;
        }
        rec_init(&r);
        tmp_path(tmp, sizeof tmp, "local-refused");
        local_init(&q, names[i], tmp, &r);
        if (run_try(&q, &r)) {
            ENG_EQ_INT(r.kind, REF_ERR_SOURCE);
            ENG_EQ_INT(r.code, cases[i].err);
            ENG_EQ_INT(r.headers_calls, 0);
            ENG_EQ_U64(r.bytes, 0);
            ref_errmap_lookup(r.kind, r.code, false, &m);
            ENG_EQ_HR(m.hr, cases[i].hr);
            ENG_EQ_INT(m.context, BG_ERROR_CONTEXT_REMOTE_FILE);
            ENG_EQ_INT(m.transient, false);
        }
        rec_free(&r);
        eng = saved;
        ref_engine_destroy(denying);
    }
    unlink(fifo);
    fprintf(stderr, "\n");
}

CU_TestInfo eng_net_tests[] = {
    {"whole file, SHA-256 equals the fixture", test_whole_file},
    {"resume: one Range bytes=N- with If-Range", test_resume},
    {"content changed: restart from zero", test_content_changed},
    {"server ignores Range on resume: restart", test_ignore_range_resume},
    {"ranges", test_ranges},
    {"ranges: content changes on every request",
     test_ranges_content_always_changes},
    {"failures and their mapping", test_failures},
    {"local file error", test_local_error},
    {"custom headers and Basic credentials", test_headers_and_credentials},
    {"resume at the end of the file", test_resume_at_end},
    {"cancel mid-transfer, then resume", test_cancel_mid_transfer},
    {"cancel a pending request", test_cancel_pending},
    {"bad arguments", test_bad_arguments},
    {"submit from a callback: no wake-up, no poll wait",
     test_submit_from_callback},
    {"200 requests over one h2 connection", test_many_multiplexed},
    {"priority order", test_priority_order},
    {"local source: path and file:// read whole", test_local_whole},
    {"local source: resume from the offset, or restart", test_local_resume},
    {"local source: ranges", test_local_ranges},
    {"local source: written to while read", test_local_changes},
    {"local source: cancel part-way, then resume", test_local_cancel_resume},
    {"local source: each refusal and its row", test_local_refusals},
    CU_TEST_INFO_NULL,
};
