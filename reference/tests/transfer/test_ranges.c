/*
 * test_ranges.c - byte ranges end to end (spec 6.1/6.2, R15, RNG-05..09):
 * the local file is the ranges concatenated in the order given, one request
 * per range (docs/engine.md "Integrity rules"; a to-EOF range asked as
 * "a-", I22), BG_LENGTH_TO_EOF resolved from the file size, a range past
 * the end → ERROR BG_E_INVALID_RANGE (DO: DO_E_INVALID_RANGE, context
 * NONE), GetFileRanges, and the DO route
 * IDeliveryOptimizationJob::AddFileWithRanges, and a server with new content
 * on every request (E7: at most 3 restarts, then ERROR
 * BG_E_INVALID_SERVER_RESPONSE).  (A server without range
 * support and a wrong Content-Range are rows of test_faults.c.)
 */
#include "xfer.h"

#include <stdlib.h>
#include <string.h>

#define WAIT_MS xwait_default()

static const char text20[] = "0123456789abcdefghij";

struct rcase {
    const char *name;
    enum xmode mode;
    BG_FILE_RANGE ranges[4];
    DWORD n;
    const char *want;        /* expected local content (EX: TRANSFERRED) */
    HRESULT error;           /* expected error code, 0 for success */
    const char *requests[4]; /* expected Range headers, in order */
};

static const struct rcase cases[] = {
    {"two ranges [bits]",
     XM_BITS,
     {{2, 4}, {12, 5}},
     2,
     "2345cdefg",
     0,
     {"bytes=2-5", "bytes=12-16"}},
    {"two ranges [do]",
     XM_DO,
     {{2, 4}, {12, 5}},
     2,
     "2345cdefg",
     0,
     {"bytes=2-5", "bytes=12-16"}},
    {"to EOF [bits]",
     XM_BITS,
     {{15, BG_LENGTH_TO_EOF}},
     1,
     "fghij",
     0,
     {"bytes=15-"}},
    {"head and to EOF [bits]",
     XM_BITS,
     {{0, 2}, {15, BG_LENGTH_TO_EOF}},
     2,
     "01fghij",
     0,
     {"bytes=0-1", "bytes=15-"}},
    {"unsorted kept in order [bits]",
     XM_BITS,
     {{18, 2}, {0, 3}, {9, 2}},
     3,
     "ij0129a",
     0,
     {"bytes=18-19", "bytes=0-2", "bytes=9-10"}},
    {"to EOF [do]",
     XM_DO,
     {{15, BG_LENGTH_TO_EOF}},
     1,
     "fghij",
     0,
     {"bytes=15-"}},
    {"past the end [bits]",
     XM_BITS,
     {{25, 5}},
     1,
     NULL,
     BG_E_INVALID_RANGE,
     {NULL}},
    {"reaching past the end [bits]",
     XM_BITS,
     {{15, 10}},
     1,
     NULL,
     BG_E_INVALID_RANGE,
     {NULL}},
    {"past the end [do]",
     XM_DO,
     {{25, 5}},
     1,
     NULL,
     DO_E_INVALID_RANGE,
     {NULL}},
};

static void run_case(const struct rcase *c)
{
    struct xfx fx;
    IBackgroundCopyJob *job;
    WCHAR *u = NULL, *l = NULL;
    HRESULT hr = E_FAIL;

    if (xfx_open(&fx, c->mode, 0) != 0)
        goto out;
    job = xfx_job(&fx);
    if (!job)
        goto out;
    mockctl_put(&fx.srv, "t.txt", text20, 20);
    u = xfx_url(&fx, "t.txt");
    l = xfx_local(&fx, "t.txt");
    if (c->mode == XM_DO) {
        IDeliveryOptimizationJob *dj = xqi(job, &IID_IDeliveryOptimizationJob);
        if (dj)
            hr = IDeliveryOptimizationJob_AddFileWithRanges(
                dj, u"t", u, l, c->n, (BG_FILE_RANGE *)c->ranges,
                DO_UNKNOWN_FILE_SIZE);
        xrelease(dj);
    } else {
        IBackgroundCopyJob3 *j3 = xqi(job, &IID_IBackgroundCopyJob3);
        if (j3)
            hr = IBackgroundCopyJob3_AddFileWithRanges(
                j3, u, l, c->n, (BG_FILE_RANGE *)c->ranges);
        xrelease(j3);
    }
    X_HR(c->name, S_OK, hr);
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    if (c->error) {
        int ctx;
        HRESULT code;
        X_STATE(c->name, BG_JOB_STATE_ERROR,
                xwait_mask(job, XS_FINAL_ISH, WAIT_MS, NULL));
        X_HR(c->name, S_OK, xjob_error(job, &ctx, &code));
        X_HR(c->name, c->error, code);
        X_U64("context",
              c->mode == XM_DO ? BG_ERROR_CONTEXT_NONE
                               : BG_ERROR_CONTEXT_REMOTE_FILE,
              ctx);
        X_HR("Complete of the failed job", BG_S_PARTIAL_COMPLETE,
             IBackgroundCopyJob_Complete(job));
        X_TRUE("nothing delivered", !xfx_exists(&fx, "t.txt"));
        goto out;
    }
    X_STATE(c->name, BG_JOB_STATE_TRANSFERRED,
            xwait_mask(job, XS_FINAL_ISH, WAIT_MS, NULL));
    {
        IBackgroundCopyFile *f = xjob_file(job, 0);
        BG_FILE_PROGRESS fp;
        memset(&fp, 0xCD, sizeof fp);
        if (f) {
            X_HR("file GetProgress", S_OK,
                 IBackgroundCopyFile_GetProgress(f, &fp));
            X_U64("BytesTotal = sum of the ranges", strlen(c->want),
                  fp.BytesTotal);
            X_U64("BytesTransferred", strlen(c->want), fp.BytesTransferred);
            xrelease(f);
        }
    }
    {
        char *log = mockctl_log(&fx.srv);
        struct xreq r[8];
        int n = log ? xlog_requests(log, "/t.txt", r, 8) : -1, want_n = 0;
        while (want_n < 4 && c->requests[want_n])
            want_n++;
        X_U64("one request per range", want_n, n);
        for (int i = 0; i < n && i < want_n; i++) {
            /* a to-EOF range is always asked as "a-" (decision I22) */
            X_STR(c->name, c->requests[i], r[i].range);
            X_U64("206", 206, r[i].status);
        }
        free(log);
    }
    X_HR("Complete", S_OK, IBackgroundCopyJob_Complete(job));
    {
        char p[512], buf[64] = "";
        FILE *fp = fopen(xfx_path(&fx, "t.txt", p, sizeof p), "rb");
        size_t got = fp ? fread(buf, 1, sizeof buf - 1, fp) : 0;
        if (fp)
            fclose(fp);
        buf[got] = '\0';
        X_STR(c->name, c->want, buf);
    }
out:
    CoTaskMemFree(u);
    CoTaskMemFree(l);
    xfx_close(&fx);
}

#define CASEFN(i)                                                              \
    static void case_##i(void)                                                 \
    {                                                                          \
        run_case(&cases[i]);                                                   \
    }                                                                          \
    extern int xfer_case_decl_##i
CASEFN(0);
CASEFN(1);
CASEFN(2);
CASEFN(3);
CASEFN(4);
CASEFN(5);
CASEFN(6);
CASEFN(7);
CASEFN(8);
_Static_assert(ARRAY_LEN(cases) == 9, "one function per case");

/* RNG-09: GetFileRanges returns the ranges as added (S_OK) and S_FALSE,
 * 0, NULL for a file added without ranges; unchanged after a transfer. */
static void get_file_ranges(void)
{
    static const BG_FILE_RANGE want[] = {{12, 5}, {2, 4}};
    struct xfx fx;
    IBackgroundCopyJob *job;
    IBackgroundCopyJob3 *j3 = NULL;
    WCHAR *u = NULL, *l = NULL;

    if (xfx_open(&fx, XM_BITS, 0) != 0)
        goto out;
    job = xfx_job(&fx);
    if (!job)
        goto out;
    mockctl_put(&fx.srv, "t.txt", text20, 20);
    j3 = xqi(job, &IID_IBackgroundCopyJob3);
    u = xfx_url(&fx, "t.txt");
    l = xfx_local(&fx, "ranged.txt");
    if (j3)
        X_HR("AddFileWithRanges", S_OK,
             IBackgroundCopyJob3_AddFileWithRanges(j3, u, l, 2,
                                                   (BG_FILE_RANGE *)want));
    X_HR("AddFile whole", S_OK, xfx_add(&fx, job, "t.txt", "whole.txt"));
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    X_STATE("state", BG_JOB_STATE_TRANSFERRED,
            xwait_mask(job, XS_FINAL_ISH, WAIT_MS, NULL));
    for (ULONG k = 0; k < 2; k++) {
        IBackgroundCopyFile *f = xjob_file(job, k);
        IBackgroundCopyFile2 *f2 = f ? xqi(f, &IID_IBackgroundCopyFile2) : NULL;
        DWORD n = 0xdeadbeef;
        BG_FILE_RANGE *r = (BG_FILE_RANGE *)(uintptr_t)0xdeadbeef;
        if (f2) {
            HRESULT hr = IBackgroundCopyFile2_GetFileRanges(f2, &n, &r);
            if (k == 0) {
                X_HR("ranged file", S_OK, hr);
                X_U64("count", 2, n);
                if (hr == S_OK && n == 2) {
                    for (int i = 0; i < 2; i++) {
                        X_U64("offset", want[i].InitialOffset,
                              r[i].InitialOffset);
                        X_U64("length", want[i].Length, r[i].Length);
                    }
                }
                if (hr == S_OK)
                    CoTaskMemFree(r);
            } else {
                X_HR("whole file", S_FALSE, hr);
                X_U64("count", 0, n);
                X_TRUE("NULL array", r == NULL);
            }
        }
        xrelease(f2);
        xrelease(f);
    }
    X_HR("Complete", S_OK, IBackgroundCopyJob_Complete(job));
    {
        char p[512], buf[64] = "";
        FILE *fp = fopen(xfx_path(&fx, "ranged.txt", p, sizeof p), "rb");
        size_t got = fp ? fread(buf, 1, sizeof buf - 1, fp) : 0;
        if (fp)
            fclose(fp);
        buf[got] = '\0';
        X_STR("ranged.txt", "cdefg2345", buf);
    }
out:
    xrelease(j3);
    CoTaskMemFree(u);
    CoTaskMemFree(l);
    xfx_close(&fx);
}

/* R15: with a known fileSize a DO range at or beyond it is refused at
 * once with DO_E_INVALID_RANGE, nothing added. */
static void do_known_size_refused(void)
{
    static const BG_FILE_RANGE r[] = {{25, 1}};
    struct xfx fx;
    IBackgroundCopyJob *job;
    IDeliveryOptimizationJob *dj = NULL;
    WCHAR *u = NULL, *l = NULL;
    HRESULT hr = E_FAIL;

    if (xfx_open(&fx, XM_DO, 0) != 0)
        goto out;
    job = xfx_job(&fx);
    if (!job)
        goto out;
    dj = xqi(job, &IID_IDeliveryOptimizationJob);
    u = xfx_url(&fx, "t.txt");
    l = xfx_local(&fx, "t.txt");
    if (dj)
        hr = IDeliveryOptimizationJob_AddFileWithRanges(dj, u"t", u, l, 1,
                                                        (BG_FILE_RANGE *)r, 20);
    X_HR("range beyond the known size", DO_E_INVALID_RANGE, hr);
    X_HR("Resume of the empty job", DO_E_JOB_EMPTY,
         IBackgroundCopyJob_Resume(job));
out:
    xrelease(dj);
    CoTaskMemFree(u);
    CoTaskMemFree(l);
    xfx_close(&fx);
}

/* E7: a ranged file on a server with new content on every request (each
 * If-Range fails: a 200 whole body of another version, dropped unread).
 * The attempt restarts at most MAX_REISSUES (3) times, then the job goes
 * to ERROR with BG_E_INVALID_SERVER_RESPONSE (fatal: no retry), and
 * h2mock saw a bounded number of requests, at most 2 x ranges x (3 + 1),
 * also a while later.  With 1 MiB bodies the dropped responses cut their
 * HTTP/2 streams mid-body (what once ended in a transient
 * BG_E_PROTOCOL_ERROR and endless retries). */
static void changing_ranges(size_t size, const BG_FILE_RANGE *rg, DWORD n)
{
    struct xfx fx;
    IBackgroundCopyJob *job;
    IBackgroundCopyJob3 *j3 = NULL;
    WCHAR *u = NULL, *l = NULL;
    int ctx = -1, n1, n2;
    HRESULT code = 0;
    const int cap = 2 * (int)n * (3 + 1);

    if (xfx_open(&fx, XM_BITS, 0) != 0)
        goto out;
    job = xfx_job(&fx);
    if (!job)
        goto out;
    X_U64("fixture", 0, xsrv_file(&fx.srv, "x.bin", size, 11, NULL));
    X_U64("rules", 200,
          mockctl_rules(&fx.srv, "match path=/x.bin action=change-content\n"));
    j3 = xqi(job, &IID_IBackgroundCopyJob3);
    u = xfx_url(&fx, "x.bin");
    l = xfx_local(&fx, "x.bin");
    if (j3)
        X_HR("AddFileWithRanges", S_OK,
             IBackgroundCopyJob3_AddFileWithRanges(j3, u, l, n,
                                                   (BG_FILE_RANGE *)rg));
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    X_STATE("server keeps changing", BG_JOB_STATE_ERROR,
            xwait_mask(job, XS_FINAL_ISH, WAIT_MS, NULL));
    X_HR("GetError", S_OK, xjob_error(job, &ctx, &code));
    X_HR("error", BG_E_INVALID_SERVER_RESPONSE, code);
    X_U64("context", BG_ERROR_CONTEXT_REMOTE_FILE, ctx);
    n1 = xsrv_count(&fx.srv, "/x.bin");
    X_TRUE("at least one request per range", n1 >= (int)n);
    X_TRUE("requests bounded by the restart cap", n1 <= cap);
    if (n1 < (int)n || n1 > cap)
        fprintf(stderr, "\n    requests: %d (cap %d)", n1, cap);
    xsleep_ms(300);
    n2 = xsrv_count(&fx.srv, "/x.bin");
    X_U64("no request after ERROR", n1, n2);
    X_STATE("still ERROR", BG_JOB_STATE_ERROR, xjob_state(job));
out:
    xrelease(j3);
    CoTaskMemFree(u);
    CoTaskMemFree(l);
    xfx_close(&fx);
}

static void changing_small(void)
{
    static const BG_FILE_RANGE rg[] = {{2, 4}, {12, 5}};
    changing_ranges(20, rg, 2);
}

static void changing_large(void)
{
    static const BG_FILE_RANGE rg[] = {{0, 100000}, {500000, BG_LENGTH_TO_EOF}};
    changing_ranges(1048576, rg, 2);
}

CU_TestInfo xfer_tests_ranges[] = {
    {"two ranges {2,4},{12,5} [bits]", case_0},
    {"two ranges {2,4},{12,5} [do]", case_1},
    {"BG_LENGTH_TO_EOF [bits]", case_2},
    {"head and BG_LENGTH_TO_EOF [bits]", case_3},
    {"unsorted ranges kept in order [bits]", case_4},
    {"DO_LENGTH_TO_EOF [do]", case_5},
    {"range past the end [bits]", case_6},
    {"range reaching past the end [bits]", case_7},
    {"range past the end [do]", case_8},
    {"GetFileRanges", get_file_ranges},
    {"DO range beyond known size refused", do_known_size_refused},
    {"content changes on every request, 20 B [bits]", changing_small},
    {"content changes on every request, 1 MiB [bits]", changing_large},
    CU_TEST_INFO_NULL,
};
