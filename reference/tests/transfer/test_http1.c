/*
 * test_http1.c - the reference against a server that does not speak
 * HTTP/2: h2mock --http1-only ignores `Upgrade: h2c` and offers only
 * http/1.1 by ALPN (decision M14), so the engine's h2 request falls back
 * to HTTP/1.1 as DESIGN.md asks ("HTTP/2 where the server offers it,
 * HTTP/1.1 otherwise"; decision X4).  Proven from h2mock's request log:
 * every request is `http/1.1`, one request per file or range, the files
 * of one job on one keep-alive connection, and a Suspend / Resume asks for
 * the rest with exactly one `Range: bytes=N-`.  Bytes are compared with
 * the fixtures' SHA-256.
 */
#include "xfer.h"

#include <stdlib.h>
#include <string.h>

#define WAIT_MS xwait_default()

/* xfx_open, then the same fixture served by an --http1-only h2mock. */
static int open_h1(struct xfx *fx)
{
    if (xfx_open(fx, XM_BITS, 0) != 0)
        return -1;
    static const char *const http1_only[] = {"--http1-only", NULL};
    mockctl_stop(&fx->srv);
    if (mockctl_start_opts(&fx->srv,
                           &(struct mockctl_opts){.args = http1_only}) != 0) {
        X_TRUE("h2mock --http1-only started", 0);
        return -1;
    }
    return 0;
}

static const struct {
    const char *name;
    size_t size;
    unsigned seed;
} files[] = {
    {"h1-a.bin", 300000, 71},
    {"h1-b.bin", 65537, 72},
    {"h1-c.bin", 1, 73},
    {"h1-d.bin", 131072, 74},
};

/* A BITS job of four files and an AddFileWithRanges job, both over
 * HTTP/1.1: TRANSFERRED, the fixtures' bytes, and a log with only
 * http/1.1 requests; each job's requests share one connection. */
static void files_and_ranges(void)
{
    static const BG_FILE_RANGE ranges[] = {
        {2, 4}, {1000, 5000}, {90000, BG_LENGTH_TO_EOF}};
    static const char *const want_ranges[] = {"bytes=2-5", "bytes=1000-5999",
                                              "bytes=90000-"};
    struct xfx fx;
    char hex[ARRAY_LEN(files)][65], got[65], want[65], ctx[96];
    IBackgroundCopyJob *job, *rjob;
    IBackgroundCopyJob3 *j3 = NULL;
    WCHAR *u = NULL, *l = NULL;
    unsigned char *expect = NULL;
    size_t elen = 0;
    struct xreq r[16];
    char *log = NULL;
    int n;

    if (open_h1(&fx) != 0)
        goto out;
    job = xfx_job(&fx);
    rjob = xfx_job(&fx);
    if (!job || !rjob)
        goto out;
    for (size_t i = 0; i < ARRAY_LEN(files); i++) {
        X_TRUE("fixture", xsrv_file(&fx.srv, files[i].name, files[i].size,
                                    files[i].seed, hex[i]) == 0);
        X_HR(files[i].name, S_OK, xfx_add(&fx, job, files[i].name, NULL));
    }
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    X_STATE("files job", BG_JOB_STATE_TRANSFERRED,
            xwait_mask(job, XS_FINAL_ISH, WAIT_MS, NULL));
    X_HR("Complete", S_OK, IBackgroundCopyJob_Complete(job));
    for (size_t i = 0; i < ARRAY_LEN(files); i++) {
        xfx_hash(&fx, files[i].name, got);
        X_STR(files[i].name, hex[i], got);
    }

    /* the ranged job: 100000-byte file, three ranges */
    X_TRUE("fixture", xsrv_file(&fx.srv, "h1-r.bin", 100000, 75, NULL) == 0);
    expect = malloc(100000);
    for (size_t i = 0; expect && i < ARRAY_LEN(ranges); i++) {
        UINT64 end = ranges[i].Length == BG_LENGTH_TO_EOF
                         ? 100000
                         : ranges[i].InitialOffset + ranges[i].Length;
        for (UINT64 o = ranges[i].InitialOffset; o < end; o++)
            expect[elen++] = xbyte(75, (size_t)o);
    }
    X_U64("expected ranged size", 4 + 5000 + 10000, elen);
    xsha_buf(expect, elen, want);
    j3 = xqi(rjob, &IID_IBackgroundCopyJob3);
    u = xfx_url(&fx, "h1-r.bin");
    l = xfx_local(&fx, "h1-ranged.bin");
    if (j3)
        X_HR("AddFileWithRanges", S_OK,
             IBackgroundCopyJob3_AddFileWithRanges(j3, u, l, ARRAY_LEN(ranges),
                                                   (BG_FILE_RANGE *)ranges));
    X_HR("Resume ranged", S_OK, IBackgroundCopyJob_Resume(rjob));
    X_STATE("ranged job", BG_JOB_STATE_TRANSFERRED,
            xwait_mask(rjob, XS_FINAL_ISH, WAIT_MS, NULL));
    X_HR("Complete ranged", S_OK, IBackgroundCopyJob_Complete(rjob));
    xfx_hash(&fx, "h1-ranged.bin", got);
    X_STR("h1-ranged.bin", want, got);

    log = mockctl_log(&fx.srv);
    X_TRUE("log read", log != NULL);
    if (!log)
        goto out;
    /* every request of the run, both jobs: HTTP/1.1 and complete */
    n = xlog_requests(log, NULL, r, 16);
    X_U64("requests in the log", ARRAY_LEN(files) + ARRAY_LEN(ranges), n);
    for (int i = 0; i < n && i < 16; i++) {
        snprintf(ctx, sizeof ctx, "request %d (%.60s)", r[i].seq, r[i].path);
        X_STR(ctx, "http/1.1", r[i].proto);
        X_STR(ctx, "complete", r[i].outcome);
        X_TRUE(ctx, r[i].conn > 0);
    }
    /* the files job: one 200 per file, in order, on one connection */
    for (size_t i = 0; i < ARRAY_LEN(files) && i < (size_t)n; i++) {
        snprintf(ctx, sizeof ctx, "files job request %zu", i + 1);
        X_STR(ctx, files[i].name, r[i].path + 1);
        X_U64(ctx, 200, r[i].status);
        X_U64(ctx, files[i].size, r[i].bytes);
        X_STR(ctx, "", r[i].range);
        X_U64("files job: keep-alive connection", r[0].conn, r[i].conn);
    }
    /* the ranged job: one 206 per range, in order, on one connection */
    n = xlog_requests(log, "/h1-r.bin", r, 16);
    X_U64("ranged requests", ARRAY_LEN(ranges), n);
    for (size_t i = 0; i < ARRAY_LEN(ranges) && i < (size_t)n; i++) {
        snprintf(ctx, sizeof ctx, "range request %zu", i + 1);
        X_STR(ctx, want_ranges[i], r[i].range);
        X_U64(ctx, 206, r[i].status);
        X_U64("ranged job: keep-alive connection", r[0].conn, r[i].conn);
    }
out:
    free(log);
    free(expect);
    if (u)
        CoTaskMemFree(u);
    if (l)
        CoTaskMemFree(l);
    xrelease(j3);
    xfx_close(&fx);
}

/* ST-04 over HTTP/1.1: Suspend mid-transfer (the first request trickles,
 * chunk-delay), Resume asks for the rest with exactly one
 * `Range: bytes=N-` and If-Range, N = the bytes held; the result is the
 * fixture. */
static void suspend_resume(void)
{
    enum { SIZE = 262144, SEED = 76 };
    struct xfx fx;
    IBackgroundCopyJob *job;
    char hex[65], got[65], want[64];
    BG_JOB_PROGRESS p;
    struct xreq r[8];
    char *log = NULL;
    int n;

    if (open_h1(&fx) != 0)
        goto out;
    job = xfx_job(&fx);
    if (!job)
        goto out;
    xsrv_file(&fx.srv, "h1-s.bin", SIZE, SEED, hex);
    X_U64("rules", 200,
          mockctl_rules(&fx.srv,
                        "match path=/h1-s.bin nth=1 action=chunk-delay "
                        "ms=40 size=4096\n"));
    X_HR("AddFile", S_OK, xfx_add(&fx, job, "h1-s.bin", NULL));
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    X_STATE("transferring", BG_JOB_STATE_TRANSFERRING,
            xwait_mask(job, XS(BG_JOB_STATE_TRANSFERRING) | XS_FINAL_ISH,
                       WAIT_MS, NULL));
    xwait_bytes(job, 16384, WAIT_MS);
    X_HR("Suspend", S_OK, IBackgroundCopyJob_Suspend(job));
    X_STATE("suspended", BG_JOB_STATE_SUSPENDED, xjob_state(job));
    p = xjob_progress(job);
    X_TRUE("some but not all bytes held",
           p.BytesTransferred >= 16384 && p.BytesTransferred < SIZE);
    X_HR("Resume again", S_OK, IBackgroundCopyJob_Resume(job));
    X_STATE("resumed", BG_JOB_STATE_TRANSFERRED,
            xwait_mask(job, XS_FINAL_ISH, WAIT_MS, NULL));
    X_HR("Complete", S_OK, IBackgroundCopyJob_Complete(job));
    xfx_hash(&fx, "h1-s.bin", got);
    X_STR("h1-s.bin", hex, got);

    log = mockctl_log(&fx.srv);
    n = log ? xlog_requests(log, "/h1-s.bin", r, 8) : -1;
    X_U64("requests", 2, n);
    snprintf(want, sizeof want, "bytes=%llu-",
             (unsigned long long)p.BytesTransferred);
    if (n == 2) {
        X_STR("first request", "http/1.1", r[0].proto);
        X_STR("first request: no Range", "", r[0].range);
        X_STR("resume request", "http/1.1", r[1].proto);
        X_STR("resume request", want, r[1].range);
        X_TRUE("If-Range sent with the Range", r[1].if_range[0] != '\0');
        X_U64("206 to the resume", 206, r[1].status);
        X_U64("bytes of the resume", SIZE - p.BytesTransferred, r[1].bytes);
        X_STR("resume outcome", "complete", r[1].outcome);
    }
out:
    free(log);
    xfx_close(&fx);
}

CU_TestInfo xfer_tests_http1[] = {
    {"files job and ranged job over HTTP/1.1 only", files_and_ranges},
    {"suspend and resume over HTTP/1.1 only", suspend_resume},
    CU_TEST_INFO_NULL,
};
