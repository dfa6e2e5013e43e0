/*
 * test_faults.c - every h2mock fault action of docs/faults.md against a
 * real job, one table row per action and variant: the state the job
 * reaches (TRANSFERRED, TRANSIENT_ERROR or ERROR), GetError's context and
 * code as the engine's error table decides (docs/engine.md, decisions
 * E1-E9), and, for transient rows, that the retry after MinimumRetryDelay
 * (the test clock advanced by 600 s) delivers the file with the fixture's
 * hash.  A stalled body has no error of its own: MaximumDownloadTime ends
 * it (decision I6).  Fatal rows also prove there is no automatic retry.
 *
 * Where docs/faults.md says the client may see one of several transport
 * failures (HTTP/2 close and reset timing), the row lists each code the
 * error table maps those libcurl results to; every other row has exactly
 * one code.
 */
#include "xfer.h"

#include <stdlib.h>
#include <string.h>

#define WAIT_MS xwait_default()
#define FSIZE 100000
#define FSEED 51
#define GSEED 52

/* EX_CUT_OR_FATAL: decision I22 — an HTTP/2 body longer than declared is
 * fatal BG_E_INVALID_SERVER_RESPONSE / REMOTE_FILE when every declared
 * byte arrived before the reset, else a transient cut (then retried). */
enum expect { EX_OK, EX_TRANSIENT, EX_FATAL, EX_MAXTIME, EX_CUT_OR_FATAL };
enum content { C_FIXTURE, C_VERSION1, C_REDIRECT, C_RANGES };

/* Any of these (the libcurl results of a cut connection, E2/E3). */
#define CUT_CODES                                                              \
    {                                                                          \
        BG_E_CONNECTION_CLOSED, BG_E_PROTOCOL_ERROR, BG_E_RECEIVE_FAILURE,     \
            BG_E_SEND_FAILURE                                                  \
    }

struct row {
    const char *name; /* case name: action and variant */
    enum xmode mode;
    const char *rule; /* rule text for /f.bin */
    int ranged;       /* AddFileWithRanges {100,1000},{5000,2000} */
    int dynamic;      /* Job5 DYNAMIC_CONTENT */
    DWORD security;   /* HttpOptions security flags (0: untouched) */
    enum expect expect;
    int ctx;          /* expected context (errors) */
    HRESULT codes[4]; /* accepted codes; the first is the documented one */
    enum content content;
};

#define GT BG_ERROR_CONTEXT_GENERAL_TRANSPORT
#define RF BG_ERROR_CONTEXT_REMOTE_FILE
#define NO BG_ERROR_CONTEXT_NONE

static const struct row rows[] = {
    /* status */
    {"status 404 fatal",
     XM_BITS,
     "action=status code=404",
     0,
     0,
     0,
     EX_FATAL,
     RF,
     {BG_E_HTTP_ERROR_404},
     C_FIXTURE},
    {"status 403 fatal",
     XM_BITS,
     "action=status code=403",
     0,
     0,
     0,
     EX_FATAL,
     RF,
     {BG_E_HTTP_ERROR_403},
     C_FIXTURE},
    {"status 401 fatal",
     XM_BITS,
     "action=status code=401",
     0,
     0,
     0,
     EX_FATAL,
     RF,
     {BG_E_HTTP_ERROR_401},
     C_FIXTURE},
    {"status 407 fatal",
     XM_BITS,
     "action=status code=407",
     0,
     0,
     0,
     EX_FATAL,
     RF,
     {BG_E_HTTP_ERROR_407},
     C_FIXTURE},
    {"status 500 transient",
     XM_BITS,
     "nth=1 action=status code=500",
     0,
     0,
     0,
     EX_TRANSIENT,
     RF,
     {BG_E_HTTP_ERROR_500},
     C_FIXTURE},
    {"status 503 Retry-After transient",
     XM_BITS,
     "nth=1 action=status code=503 header=\"Retry-After: 2\"",
     0,
     0,
     0,
     EX_TRANSIENT,
     RF,
     {BG_E_HTTP_ERROR_503},
     C_FIXTURE},
    {"status 408 transient",
     XM_BITS,
     "nth=1 action=status code=408",
     0,
     0,
     0,
     EX_TRANSIENT,
     RF,
     {BG_E_HTTP_ERROR_408},
     C_FIXTURE},
    {"status 429 transient",
     XM_BITS,
     "nth=1 action=status code=429",
     0,
     0,
     0,
     EX_TRANSIENT,
     RF,
     {(HRESULT)0x801901AD},
     C_FIXTURE},
    {"status 204 transient",
     XM_BITS,
     "nth=1 action=status code=204",
     0,
     0,
     0,
     EX_TRANSIENT,
     RF,
     {BG_E_HTTP_ERROR_204},
     C_FIXTURE},
    {"status 404 fatal [do]",
     XM_DO,
     "action=status code=404",
     0,
     0,
     0,
     EX_FATAL,
     NO,
     {BG_E_HTTP_ERROR_404},
     C_FIXTURE},
    {"status 403 fatal [do]",
     XM_DO,
     "action=status code=403",
     0,
     0,
     0,
     EX_FATAL,
     RF,
     {BG_E_HTTP_ERROR_403},
     C_FIXTURE},
    {"status 503 transient [do]",
     XM_DO,
     "nth=1 action=status code=503",
     0,
     0,
     0,
     EX_TRANSIENT,
     NO,
     {BG_E_HTTP_ERROR_503},
     C_FIXTURE},
    {"status 204 transient [do]",
     XM_DO,
     "nth=1 action=status code=204",
     0,
     0,
     0,
     EX_TRANSIENT,
     NO,
     {DO_E_UNEXPECTED_HTTP_STATUS_2XX},
     C_FIXTURE},
    /* redirect */
    {"redirect 302 followed",
     XM_BITS,
     "action=redirect code=302 location=/g.bin",
     0,
     0,
     0,
     EX_OK,
     0,
     {0},
     C_REDIRECT},
    {"redirect 307 disallowed",
     XM_BITS,
     "action=redirect code=307 location=/g.bin",
     0,
     0,
     BG_HTTP_REDIRECT_POLICY_DISALLOW,
     EX_FATAL,
     RF,
     {HRESULT_FROM_WIN32(307)},
     C_FIXTURE},
    {"redirect loop",
     XM_BITS,
     "action=redirect code=302 location=/f.bin",
     0,
     0,
     0,
     EX_FATAL,
     RF,
     {BG_E_PROTOCOL_ERROR},
     C_FIXTURE},
    /* slow but complete */
    {"delay",
     XM_BITS,
     "action=delay ms=300",
     0,
     0,
     0,
     EX_OK,
     0,
     {0},
     C_FIXTURE},
    {"chunk-delay",
     XM_BITS,
     "action=chunk-delay ms=2 size=8192",
     0,
     0,
     0,
     EX_OK,
     0,
     {0},
     C_FIXTURE},
    {"throttle",
     XM_BITS,
     "action=throttle rate=1000000",
     0,
     0,
     0,
     EX_OK,
     0,
     {0},
     C_FIXTURE},
    /* no progress: only MaximumDownloadTime ends it (spec 3.4) */
    {"stall then MaximumDownloadTime",
     XM_BITS,
     "action=stall after=1024",
     0,
     0,
     0,
     EX_MAXTIME,
     GT,
     {BG_E_MAXDOWNLOAD_TIMEOUT},
     C_FIXTURE},
    /* cut connections: transient, resumed */
    {"close before headers", XM_BITS, "nth=1 action=close after=headers", 0, 0,
     0, EX_TRANSIENT, GT, CUT_CODES, C_FIXTURE},
    {"close after 65536", XM_BITS, "nth=1 action=close after=65536", 0, 0, 0,
     EX_TRANSIENT, GT, CUT_CODES, C_FIXTURE},
    {"reset after 4096", XM_BITS, "nth=1 action=reset after=4096", 0, 0, 0,
     EX_TRANSIENT, GT, CUT_CODES, C_FIXTURE},
    {"rst-stream CANCEL", XM_BITS,
     "nth=1 action=rst-stream code=CANCEL after=16384", 0, 0, 0, EX_TRANSIENT,
     GT, CUT_CODES, C_FIXTURE},
    {"rst-stream REFUSED_STREAM", XM_BITS,
     "nth=1 action=rst-stream code=REFUSED_STREAM after=headers", 0, 0, 0,
     EX_TRANSIENT, GT, CUT_CODES, C_FIXTURE},
    {"goaway NO_ERROR",
     XM_BITS,
     "nth=1 action=goaway code=NO_ERROR",
     0,
     0,
     0,
     EX_OK,
     0,
     {0},
     C_FIXTURE},
    {"goaway PROTOCOL_ERROR", XM_BITS,
     "nth=1 action=goaway code=PROTOCOL_ERROR after=0", 0, 0, 0, EX_TRANSIENT,
     GT, CUT_CODES, C_FIXTURE},
    {"close after 65536 [do]", XM_DO, "nth=1 action=close after=65536", 0, 0, 0,
     EX_TRANSIENT, NO, CUT_CODES, C_FIXTURE},
    /* lengths */
    {"bad-length +100", XM_BITS, "nth=1 action=bad-length delta=100", 0, 0, 0,
     EX_TRANSIENT, GT, CUT_CODES, C_FIXTURE},
    {"bad-length -100", XM_BITS, "nth=1 action=bad-length delta=-100", 0, 0, 0,
     EX_TRANSIENT, GT, CUT_CODES, C_FIXTURE},
    {"no-length",
     XM_BITS,
     "action=no-length",
     0,
     0,
     0,
     EX_FATAL,
     RF,
     {BG_E_MISSING_FILE_SIZE},
     C_FIXTURE},
    {"no-length [do]",
     XM_DO,
     "action=no-length",
     0,
     0,
     0,
     EX_FATAL,
     NO,
     {DO_E_FILE_SIZE_UNKNOWN_HTTP_200},
     C_FIXTURE},
    {"no-length DYNAMIC_CONTENT",
     XM_BITS,
     "action=no-length",
     0,
     1,
     0,
     EX_OK,
     0,
     {0},
     C_FIXTURE},
    /* ranges and validators */
    {"ignore-range whole file",
     XM_BITS,
     "action=ignore-range",
     0,
     0,
     0,
     EX_OK,
     0,
     {0},
     C_FIXTURE},
    {"ignore-range ranged file",
     XM_BITS,
     "action=ignore-range",
     1,
     0,
     0,
     EX_FATAL,
     RF,
     {BG_E_INSUFFICIENT_RANGE_SUPPORT},
     C_RANGES},
    {"ignore-range ranged file [do]",
     XM_DO,
     "action=ignore-range",
     1,
     0,
     0,
     EX_FATAL,
     NO,
     {DO_E_INSUFFICIENT_RANGE_SUPPORT},
     C_RANGES},
    {"bad-content-range ranged file",
     XM_BITS,
     "action=bad-content-range shift=1",
     1,
     0,
     0,
     EX_FATAL,
     RF,
     {BG_E_INVALID_SERVER_RESPONSE},
     C_RANGES},
    {"bad-content-range ranged file [do]",
     XM_DO,
     "action=bad-content-range shift=1",
     1,
     0,
     0,
     EX_FATAL,
     NO,
     {DO_E_HTTP_BLOCKSIZE_MISMATCH},
     C_RANGES},
    {"change-content",
     XM_BITS,
     "action=change-content",
     0,
     0,
     0,
     EX_OK,
     0,
     {0},
     C_VERSION1},
    {"no-validators",
     XM_BITS,
     "action=no-validators",
     0,
     0,
     0,
     EX_OK,
     0,
     {0},
     C_FIXTURE},
    {"part-header ranged file",
     XM_BITS,
     "action=part-header header=\"X-Pad: abc\"",
     1,
     0,
     0,
     EX_OK,
     0,
     {0},
     C_RANGES},
    /* garbage and old protocols */
    {"garbage at body", XM_BITS, "nth=1 action=garbage size=64 at=body", 0, 0,
     0, EX_TRANSIENT, GT, CUT_CODES, C_FIXTURE},
    {"garbage at headers",
     XM_BITS,
     "nth=1 action=garbage size=64 at=headers",
     0,
     0,
     0,
     EX_TRANSIENT,
     GT,
     {BG_E_SERVER_PROTOCOL_VIOLATION, BG_E_PROTOCOL_ERROR,
      BG_E_CONNECTION_CLOSED},
     C_FIXTURE},
    {"http10", XM_BITS, "action=http10", 0, 0, 0, EX_OK, 0, {0}, C_FIXTURE},
};

static const BG_FILE_RANGE row_ranges[] = {{100, 1000}, {5000, 2000}};

static int code_ok(const struct row *r, HRESULT code)
{
    for (size_t i = 0; i < ARRAY_LEN(r->codes); i++)
        if (r->codes[i] && r->codes[i] == code)
            return 1;
    return 0;
}

/* SHA-256 of what the local file must hold for this row. */
static void expected_hash(const struct row *r, char *hex)
{
    unsigned char *buf = malloc(FSIZE);
    size_t n = 0;

    if (!buf)
        abort();
    switch (r->content) {
    case C_FIXTURE:
    case C_VERSION1:
        for (size_t i = 0; i < FSIZE; i++)
            buf[n++] = (unsigned char)(xbyte(FSEED, i) ^
                                       (r->content == C_VERSION1 ? 1 : 0));
        break;
    case C_REDIRECT:
        for (size_t i = 0; i < FSIZE; i++)
            buf[n++] = xbyte(GSEED, i);
        break;
    case C_RANGES:
        for (size_t k = 0; k < ARRAY_LEN(row_ranges); k++)
            for (UINT64 i = 0; i < row_ranges[k].Length; i++)
                buf[n++] = xbyte(FSEED, row_ranges[k].InitialOffset + i);
        break;
    }
    xsha_buf(buf, n, hex);
    free(buf);
}

static void check_error(const struct row *r, IBackgroundCopyJob *job)
{
    char a[96], ctxmsg[160];
    int ctx;
    HRESULT code;

    X_HR(r->name, S_OK, xjob_error(job, &ctx, &code));
    xhr(code, a, sizeof a);
    printf("    -> %s %s %s ", xstate_name(xjob_state(job)), xctx_name(ctx), a);
    xt_check(code_ok(r, code), __LINE__, __FILE__,
             "[%s] GetError code: expected %s%s, got %s", r->name,
             xhr(r->codes[0], ctxmsg, sizeof ctxmsg),
             r->codes[1] ? " (or another of the row's list)" : "", a);
    if (r->ctx >= 0)
        xt_check(ctx == r->ctx, __LINE__, __FILE__,
                 "[%s] GetError context: expected %s, got %s", r->name,
                 xctx_name(r->ctx), xctx_name(ctx));
}

static void run_row(const struct row *r)
{
    struct xfx fx;
    IBackgroundCopyJob *job;
    char want[65], got[65], rule[512];
    int st;

    if (xfx_open(&fx, r->mode, 0) != 0)
        goto out;
    job = xfx_job(&fx);
    if (!job)
        goto out;
    xsrv_file(&fx.srv, "f.bin", FSIZE, FSEED, NULL);
    xsrv_file(&fx.srv, "g.bin", FSIZE, GSEED, NULL);
    expected_hash(r, want);
    snprintf(rule, sizeof rule, "match path=/f.bin %s\n", r->rule);
    X_U64(r->name, 200, mockctl_rules(&fx.srv, rule));

    if (r->dynamic) {
        IBackgroundCopyJob5 *j5 = xqi(job, &IID_IBackgroundCopyJob5);
        BITS_JOB_PROPERTY_VALUE v;
        memset(&v, 0, sizeof v);
        v.Enable = TRUE;
        if (j5) {
            X_HR("DYNAMIC_CONTENT", S_OK,
                 IBackgroundCopyJob5_SetProperty(
                     j5, BITS_JOB_PROPERTY_DYNAMIC_CONTENT, v));
            xrelease(j5);
        }
    }
    if (r->security) {
        IBackgroundCopyJobHttpOptions *ho =
            xqi(job, &IID_IBackgroundCopyJobHttpOptions);
        if (ho) {
            X_HR("SetSecurityFlags", S_OK,
                 IBackgroundCopyJobHttpOptions_SetSecurityFlags(ho,
                                                                r->security));
            xrelease(ho);
        }
    }
    if (r->expect == EX_MAXTIME) {
        IBackgroundCopyJob4 *j4 = xqi(job, &IID_IBackgroundCopyJob4);
        if (j4) {
            X_HR("SetMaximumDownloadTime", S_OK,
                 IBackgroundCopyJob4_SetMaximumDownloadTime(j4, 60));
            xrelease(j4);
        }
    }
    if (r->ranged) {
        WCHAR *u = xfx_url(&fx, "f.bin"), *l = xfx_local(&fx, "f.bin");
        if (r->mode == XM_DO) {
            IDeliveryOptimizationJob *dj =
                xqi(job, &IID_IDeliveryOptimizationJob);
            if (dj) {
                X_HR("DO AddFileWithRanges", S_OK,
                     IDeliveryOptimizationJob_AddFileWithRanges(
                         dj, u"f1", u, l, ARRAY_LEN(row_ranges),
                         (BG_FILE_RANGE *)row_ranges, DO_UNKNOWN_FILE_SIZE));
                xrelease(dj);
            }
        } else {
            IBackgroundCopyJob3 *j3 = xqi(job, &IID_IBackgroundCopyJob3);
            if (j3) {
                X_HR("AddFileWithRanges", S_OK,
                     IBackgroundCopyJob3_AddFileWithRanges(
                         j3, u, l, ARRAY_LEN(row_ranges),
                         (BG_FILE_RANGE *)row_ranges));
                xrelease(j3);
            }
        }
        CoTaskMemFree(u);
        CoTaskMemFree(l);
    } else {
        X_HR("AddFile", S_OK, xfx_add(&fx, job, "f.bin", NULL));
    }
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));

    switch (r->expect) {
    case EX_OK:
        X_STATE(r->name, BG_JOB_STATE_TRANSFERRED,
                xwait_mask(job, XS_FINAL_ISH, WAIT_MS, NULL));
        printf("    -> %s ", xstate_name(xjob_state(job)));
        break;
    case EX_FATAL:
        X_STATE(r->name, BG_JOB_STATE_ERROR,
                xwait_mask(job, XS_FINAL_ISH, WAIT_MS, NULL));
        check_error(r, job);
        {
            /* no automatic retry: the retry delay passes, nothing moves */
            int before = xsrv_count(&fx.srv, "/f.bin");
            xfx_advance(&fx, 601000);
            xsleep_ms(150);
            X_STATE(r->name, BG_JOB_STATE_ERROR, xjob_state(job));
            X_U64("no request after a fatal error", before,
                  xsrv_count(&fx.srv, "/f.bin"));
        }
        break;
    case EX_CUT_OR_FATAL:
    case EX_TRANSIENT:
        st = xwait_mask(job, XS_FINAL_ISH, WAIT_MS, NULL);
        if (r->expect == EX_CUT_OR_FATAL && st == BG_JOB_STATE_ERROR) {
            struct row fatal = *r;
            memset(fatal.codes, 0, sizeof fatal.codes);
            fatal.codes[0] = BG_E_INVALID_SERVER_RESPONSE;
            fatal.ctx = BG_ERROR_CONTEXT_REMOTE_FILE;
            check_error(&fatal, job);
            break;
        }
        X_STATE(r->name, BG_JOB_STATE_TRANSIENT_ERROR, st);
        if (st == BG_JOB_STATE_ERROR)
            check_error(r, job); /* shows what the job reported */
        if (st != BG_JOB_STATE_TRANSIENT_ERROR)
            break;
        check_error(r, job);
        xfx_advance(&fx, 601000);
        X_STATE("retry after MinimumRetryDelay", BG_JOB_STATE_TRANSFERRED,
                xwait_mask(job,
                           XS_FINAL_ISH & ~XS(BG_JOB_STATE_TRANSIENT_ERROR),
                           WAIT_MS, NULL));
        break;
    case EX_MAXTIME:
        X_STATE("stalled transfer", BG_JOB_STATE_TRANSFERRING,
                xwait_mask(job, XS(BG_JOB_STATE_TRANSFERRING), WAIT_MS, NULL));
        X_U64("bytes before the stall", 1024, xwait_bytes(job, 1024, WAIT_MS));
        xsleep_ms(100);
        X_STATE("still transferring", BG_JOB_STATE_TRANSFERRING,
                xjob_state(job));
        xfx_advance(&fx, 61000);
        X_STATE(r->name, BG_JOB_STATE_ERROR,
                xwait_mask(job, XS_FINAL_ISH, WAIT_MS, NULL));
        check_error(r, job);
        break;
    }
    if (xjob_state(job) == BG_JOB_STATE_TRANSFERRED) {
        X_HR("Complete", S_OK, IBackgroundCopyJob_Complete(job));
        xfx_hash(&fx, "f.bin", got);
        X_STR(r->name, want, got);
        X_U64("temporary files left", 0, xfx_temp_count(&fx));
    }
out:
    xfx_close(&fx);
}

/* One CUnit function per row. */
#define ROWFN(i)                                                               \
    static void row_##i(void)                                                  \
    {                                                                          \
        if (i < ARRAY_LEN(rows))                                               \
            run_row(&rows[i]);                                                 \
    }                                                                          \
    extern int xfer_row_decl_##i
ROWFN(0);
ROWFN(1);
ROWFN(2);
ROWFN(3);
ROWFN(4);
ROWFN(5);
ROWFN(6);
ROWFN(7);
ROWFN(8);
ROWFN(9);
ROWFN(10);
ROWFN(11);
ROWFN(12);
ROWFN(13);
ROWFN(14);
ROWFN(15);
ROWFN(16);
ROWFN(17);
ROWFN(18);
ROWFN(19);
ROWFN(20);
ROWFN(21);
ROWFN(22);
ROWFN(23);
ROWFN(24);
ROWFN(25);
ROWFN(26);
ROWFN(27);
ROWFN(28);
ROWFN(29);
ROWFN(30);
ROWFN(31);
ROWFN(32);
ROWFN(33);
ROWFN(34);
ROWFN(35);
ROWFN(36);
ROWFN(37);
ROWFN(38);
ROWFN(39);
ROWFN(40);
ROWFN(41);
ROWFN(42);
ROWFN(43);
ROWFN(44);
ROWFN(45);
ROWFN(46);
ROWFN(47);

static void (*const row_fns[])(void) = {
    row_0,  row_1,  row_2,  row_3,  row_4,  row_5,  row_6,  row_7,
    row_8,  row_9,  row_10, row_11, row_12, row_13, row_14, row_15,
    row_16, row_17, row_18, row_19, row_20, row_21, row_22, row_23,
    row_24, row_25, row_26, row_27, row_28, row_29, row_30, row_31,
    row_32, row_33, row_34, row_35, row_36, row_37, row_38, row_39,
    row_40, row_41, row_42, row_43, row_44, row_45, row_46, row_47,
};
_Static_assert(ARRAY_LEN(rows) <= ARRAY_LEN(row_fns),
               "one row function per table row");

CU_TestInfo xfer_tests_faults[ARRAY_LEN(rows) + 1];

/* Fills the CUnit table from rows[] before main registers it. */
__attribute__((constructor)) static void faults_table(void)
{
    for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
        xfer_tests_faults[i].pName = rows[i].name;
        xfer_tests_faults[i].pTestFunc = row_fns[i];
    }
}
