/*
 * test_timers.c - the job timers on the test clock (IDoctsTestClock,
 * decisions D6/R34): MinimumRetryDelay respected to the second and its
 * clamp to 5 s (spec 3.2, R18), NoProgressTimeout 0 and below the retry
 * delay (ST-14, ST-15), the 14-day default running out in TRANSIENT_ERROR
 * with JobError and GetErrorCount (ST-16, ST-18), MaximumDownloadTime
 * (ST-20: ERROR BG_E_MAXDOWNLOAD_TIMEOUT, Resume resets it, time in
 * TRANSIENT_ERROR does not count).  Requests are counted in h2mock's log,
 * so "no retry before the delay" is proven, not assumed.
 */
#include "xfer.h"

#include <string.h>

#define WAIT_MS xwait_default()
#define DAY_MS (86400ull * 1000)

/* A BITS job with one file a.bin (20000 bytes) and `rule` for it. */
static IBackgroundCopyJob *setup(struct xfx *fx, const char *rule, char *hex)
{
    IBackgroundCopyJob *job;
    char text[256];

    if (xfx_open(fx, XM_BITS, 0) != 0)
        return NULL;
    job = xfx_job(fx);
    if (!job)
        return NULL;
    xsrv_file(&fx->srv, "a.bin", 20000, 71, hex);
    if (rule) {
        snprintf(text, sizeof text, "match path=/a.bin %s\n", rule);
        X_U64("rules", 200, mockctl_rules(&fx->srv, text));
    }
    X_HR("AddFile", S_OK, xfx_add(fx, job, "a.bin", NULL));
    return job;
}

static void finish(struct xfx *fx, IBackgroundCopyJob *job, const char *hex)
{
    char got[65];

    X_HR("Complete", S_OK, IBackgroundCopyJob_Complete(job));
    xfx_hash(fx, "a.bin", got);
    X_STR("a.bin", hex, got);
}

/* Retry after exactly `delay_s` seconds (set with SetMinimumRetryDelay
 * to `set_s` unless 0): no request at delay-1 s, one more after. */
static void retry_delay(DWORD set_s, UINT64 delay_s)
{
    struct xfx fx;
    IBackgroundCopyJob *job;
    char hex[65];
    ULONG errors = 0xdeadbeef;

    job = setup(&fx, "nth=1 action=status code=503", hex);
    if (!job)
        goto out;
    if (set_s)
        X_HR("SetMinimumRetryDelay", S_OK,
             IBackgroundCopyJob_SetMinimumRetryDelay(job, set_s));
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    X_STATE("503", BG_JOB_STATE_TRANSIENT_ERROR,
            xwait_mask(job, XS_FINAL_ISH, WAIT_MS, NULL));
    X_U64("one request", 1, xsrv_count(&fx.srv, "/a.bin"));
    xfx_advance(&fx, (delay_s - 1) * 1000);
    xsleep_ms(300);
    X_STATE("before the delay", BG_JOB_STATE_TRANSIENT_ERROR, xjob_state(job));
    X_U64("no retry before the delay", 1, xsrv_count(&fx.srv, "/a.bin"));
    xfx_advance(&fx, 2000);
    X_STATE("after the delay", BG_JOB_STATE_TRANSFERRED,
            xwait_mask(job, XS_FINAL_ISH & ~XS(BG_JOB_STATE_TRANSIENT_ERROR),
                       WAIT_MS, NULL));
    X_U64("one retry", 2, xsrv_count(&fx.srv, "/a.bin"));
    X_HR("GetErrorCount", S_OK, IBackgroundCopyJob_GetErrorCount(job, &errors));
    X_U64("error count", 1, errors);
    finish(&fx, job, hex);
out:
    xfx_close(&fx);
}

static void retry_default_600(void)
{
    retry_delay(0, 600);
}
static void retry_custom_60(void)
{
    retry_delay(60, 60);
}
static void retry_clamped_to_5(void)
{
    retry_delay(1, 5);
}

/* ST-14 / ST-15: NoProgressTimeout 0, or below MinimumRetryDelay, turns
 * the first transient error into ERROR (with that error). */
static void no_progress_immediate(ULONG timeout)
{
    struct xfx fx;
    IBackgroundCopyJob *job;
    char hex[65];
    int ctx;
    HRESULT code;

    job = setup(&fx, "action=status code=503", hex);
    if (!job)
        goto out;
    X_HR("SetNoProgressTimeout", S_OK,
         IBackgroundCopyJob_SetNoProgressTimeout(job, timeout));
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    X_STATE("straight to ERROR", BG_JOB_STATE_ERROR,
            xwait_mask(job,
                       XS(BG_JOB_STATE_ERROR) | XS(BG_JOB_STATE_TRANSFERRED) |
                           XS(BG_JOB_STATE_CANCELLED),
                       WAIT_MS, NULL));
    X_HR("GetError", S_OK, xjob_error(job, &ctx, &code));
    X_HR("code", BG_E_HTTP_ERROR_503, code);
    X_U64("context", BG_ERROR_CONTEXT_REMOTE_FILE, ctx);
    X_U64("one request", 1, xsrv_count(&fx.srv, "/a.bin"));
out:
    xfx_close(&fx);
}
static void no_progress_zero(void)
{
    no_progress_immediate(0);
}
static void no_progress_below_delay(void)
{
    no_progress_immediate(300);
}

/* ST-16 / ST-18 / NTF-03: the default 14-day NoProgressTimeout runs out
 * while a 503 keeps coming back (retry delay 5 days): failed retries at
 * day 5 and day 10 stay TRANSIENT_ERROR without JobError; at day 14 the
 * job is ERROR, JobError is called once with the 503, GetErrorCount = 3. */
static void no_progress_14_days(void)
{
    struct xfx fx;
    IBackgroundCopyJob *job;
    struct xcb cb;
    char hex[65];
    ULONG errors = 0xdeadbeef, timeout = 0;
    int ctx;
    HRESULT code;

    xcb_init(&cb, 1);
    job = setup(&fx, "action=status code=503", hex);
    if (!job)
        goto out;
    X_HR("GetNoProgressTimeout", S_OK,
         IBackgroundCopyJob_GetNoProgressTimeout(job, &timeout));
    X_U64("default 14 days", 1209600, timeout);
    X_HR("SetMinimumRetryDelay", S_OK,
         IBackgroundCopyJob_SetMinimumRetryDelay(job, 5 * 86400));
    X_HR("SetNotifyInterface", S_OK,
         IBackgroundCopyJob_SetNotifyInterface(job, xcb_unknown(&cb)));
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    X_STATE("first 503", BG_JOB_STATE_TRANSIENT_ERROR,
            xwait_mask(job, XS_FINAL_ISH, WAIT_MS, NULL));
    for (int k = 2; k <= 3; k++) {
        xfx_advance(&fx, 5 * DAY_MS + 1000);
        for (int i = 0; i < 2000 && xsrv_count(&fx.srv, "/a.bin") < k; i++)
            xsleep_ms(5);
        X_U64("retry made", k, xsrv_count(&fx.srv, "/a.bin"));
        X_STATE(
            "failed retry", BG_JOB_STATE_TRANSIENT_ERROR,
            xwait_mask(job, XS(BG_JOB_STATE_TRANSIENT_ERROR), WAIT_MS, NULL));
    }
    X_U64("no JobError while transient", 0, xcb_count(&cb, XEV_ERROR));
    xfx_advance(&fx, 4 * DAY_MS);
    X_STATE("day 14", BG_JOB_STATE_ERROR,
            xwait_mask(job,
                       XS(BG_JOB_STATE_ERROR) | XS(BG_JOB_STATE_TRANSFERRED),
                       WAIT_MS, NULL));
    X_U64("no retry after the timeout", 3, xsrv_count(&fx.srv, "/a.bin"));
    X_HR("GetError", S_OK, xjob_error(job, &ctx, &code));
    X_HR("code", BG_E_HTTP_ERROR_503, code);
    X_U64("context", BG_ERROR_CONTEXT_REMOTE_FILE, ctx);
    X_HR("GetErrorCount", S_OK, IBackgroundCopyJob_GetErrorCount(job, &errors));
    X_U64("error count", 3, errors);
    X_U64("JobError once", 1, xcb_wait(&cb, XEV_ERROR, 1, WAIT_MS));
    if (cb.nev > 0 && xcb_count(&cb, XEV_ERROR) == 1) {
        for (int i = 0; i < cb.nev; i++)
            if (cb.ev[i].kind == XEV_ERROR) {
                X_HR("JobError code", BG_E_HTTP_ERROR_503, cb.ev[i].code);
                X_U64("JobError context", BG_ERROR_CONTEXT_REMOTE_FILE,
                      cb.ev[i].ctx);
            }
    }
    X_HR("Resume resets nothing of the count", S_OK,
         IBackgroundCopyJob_Resume(job));
    X_HR("GetErrorCount", S_OK, IBackgroundCopyJob_GetErrorCount(job, &errors));
    X_TRUE("error count not reset by Resume", errors >= 3);
    IBackgroundCopyJob_Cancel(job);
out:
    xfx_close(&fx);
    xcb_fini(&cb);
}

/* ST-20: MaximumDownloadTime counts CONNECTING + TRANSFERRING time: a slow
 * transfer past 60 s → ERROR BG_E_MAXDOWNLOAD_TIMEOUT; Resume resets the
 * elapsed time and the file then arrives. */
static void max_download_time(void)
{
    struct xfx fx;
    IBackgroundCopyJob *job;
    IBackgroundCopyJob4 *j4 = NULL;
    char hex[65];
    int ctx;
    HRESULT code;

    job = setup(&fx, "nth=1 action=chunk-delay ms=100 size=512", hex);
    if (!job)
        goto out;
    j4 = xqi(job, &IID_IBackgroundCopyJob4);
    if (j4)
        X_HR("SetMaximumDownloadTime", S_OK,
             IBackgroundCopyJob4_SetMaximumDownloadTime(j4, 60));
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    X_STATE("transferring", BG_JOB_STATE_TRANSFERRING,
            xwait_mask(job, XS(BG_JOB_STATE_TRANSFERRING) | XS_FINAL_ISH,
                       WAIT_MS, NULL));
    xfx_advance(&fx, 30000);
    xsleep_ms(100);
    X_STATE("30 s in", BG_JOB_STATE_TRANSFERRING, xjob_state(job));
    xfx_advance(&fx, 31000);
    X_STATE("61 s in", BG_JOB_STATE_ERROR,
            xwait_mask(job, XS_FINAL_ISH, WAIT_MS, NULL));
    X_HR("GetError", S_OK, xjob_error(job, &ctx, &code));
    X_HR("code", BG_E_MAXDOWNLOAD_TIMEOUT, code);
    X_U64("context (I6)", BG_ERROR_CONTEXT_GENERAL_TRANSPORT, ctx);
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    X_STATE(
        "Resume resets the time", BG_JOB_STATE_TRANSFERRED,
        xwait_mask(job, XS_FINAL_ISH & ~XS(BG_JOB_STATE_ERROR), WAIT_MS, NULL));
    finish(&fx, job, hex);
out:
    xrelease(j4);
    xfx_close(&fx);
}

/* Spec 3.4: time in TRANSIENT_ERROR does not count: a 600 s retry delay
 * with MaximumDownloadTime 60 s still ends TRANSFERRED. */
static void max_download_time_excludes_transient(void)
{
    struct xfx fx;
    IBackgroundCopyJob *job;
    IBackgroundCopyJob4 *j4 = NULL;
    char hex[65];

    job = setup(&fx, "nth=1 action=status code=503", hex);
    if (!job)
        goto out;
    j4 = xqi(job, &IID_IBackgroundCopyJob4);
    if (j4)
        X_HR("SetMaximumDownloadTime", S_OK,
             IBackgroundCopyJob4_SetMaximumDownloadTime(j4, 60));
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    X_STATE("503", BG_JOB_STATE_TRANSIENT_ERROR,
            xwait_mask(job, XS_FINAL_ISH, WAIT_MS, NULL));
    xfx_advance(&fx, 601000);
    X_STATE("retried, not timed out", BG_JOB_STATE_TRANSFERRED,
            xwait_mask(job, XS_FINAL_ISH & ~XS(BG_JOB_STATE_TRANSIENT_ERROR),
                       WAIT_MS, NULL));
    finish(&fx, job, hex);
out:
    xrelease(j4);
    xfx_close(&fx);
}

/* The speed factor drives the same timers: at 1000x a 5 s retry delay
 * passes in about 5 ms of real time, without Advance. */
static void speed_factor_retry(void)
{
    struct xfx fx;
    IBackgroundCopyJob *job;
    char hex[65];

    job = setup(&fx, "nth=1 action=status code=503", hex);
    if (!job)
        goto out;
    X_HR("SetMinimumRetryDelay", S_OK,
         IBackgroundCopyJob_SetMinimumRetryDelay(job, 5));
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    X_STATE("503", BG_JOB_STATE_TRANSIENT_ERROR,
            xwait_mask(job, XS_FINAL_ISH, WAIT_MS, NULL));
    X_HR("SetSpeedFactor", S_OK,
         IDoctsTestClock_SetSpeedFactor(fx.clock, 1000.0));
    X_STATE("retried by itself", BG_JOB_STATE_TRANSFERRED,
            xwait_mask(job, XS_FINAL_ISH & ~XS(BG_JOB_STATE_TRANSIENT_ERROR),
                       WAIT_MS, NULL));
    IDoctsTestClock_SetSpeedFactor(fx.clock, 1.0);
    finish(&fx, job, hex);
out:
    xfx_close(&fx);
}

CU_TestInfo xfer_tests_timers[] = {
    {"MinimumRetryDelay default 600 s respected", retry_default_600},
    {"MinimumRetryDelay 60 s respected", retry_custom_60},
    {"MinimumRetryDelay below 5 acts as 5 s", retry_clamped_to_5},
    {"NoProgressTimeout 0: first transient error is fatal", no_progress_zero},
    {"NoProgressTimeout below retry delay: fatal", no_progress_below_delay},
    {"NoProgressTimeout 14 days runs out", no_progress_14_days},
    {"MaximumDownloadTime exceeded, Resume resets", max_download_time},
    {"MaximumDownloadTime excludes TRANSIENT_ERROR",
     max_download_time_excludes_transient},
    {"speed factor drives the retry timer", speed_factor_retry},
    CU_TEST_INFO_NULL,
};
