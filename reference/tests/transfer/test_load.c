/*
 * test_load.c - Cancel and Suspend during a transfer (ST-04, ST-07), many
 * jobs at once (20 jobs x 10 files through the engine's window), and
 * priorities when the window is full (issue 4 item 1: FOREGROUND has slots
 * of its own; queued work starts in priority order).  main.c pins the
 * engine window to 8 (DOREF_MAX_ACTIVE, read once when the engine starts)
 * so the priority cases can fill it with few jobs.
 */
#include "xfer.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define WAIT_MS xwait_default()

/* Size of the job's first temporary file (File3::GetTemporaryName), or
 * -1 when it does not exist. */
static long long temp_size(IBackgroundCopyJob *job)
{
    IBackgroundCopyFile *f = xjob_file(job, 0);
    IBackgroundCopyFile3 *f3 = f ? xqi(f, &IID_IBackgroundCopyFile3) : NULL;
    LPWSTR w = NULL;
    char path[512];
    struct stat st;
    long long n = -1;

    if (f3 && SUCCEEDED(IBackgroundCopyFile3_GetTemporaryName(f3, &w)) && w) {
        if (stat(xu8(w, path, sizeof path), &st) == 0)
            n = (long long)st.st_size;
        CoTaskMemFree(w);
    }
    xrelease(f3);
    xrelease(f);
    return n;
}

static IBackgroundCopyJob *slow_job(struct xfx *fx, enum xmode mode)
{
    IBackgroundCopyJob *job;

    if (xfx_open(fx, mode, 0) != 0)
        return NULL;
    job = xfx_job(fx);
    if (!job)
        return NULL;
    xsrv_file(&fx->srv, "s.bin", 200000, 101, NULL);
    X_U64("rules", 200,
          mockctl_rules(
              &fx->srv,
              "match path=/s.bin action=chunk-delay ms=50 size=4096\n"));
    X_HR("AddFile", S_OK, xfx_add(fx, job, "s.bin", NULL));
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    X_STATE("transferring", BG_JOB_STATE_TRANSFERRING,
            xwait_mask(job, XS(BG_JOB_STATE_TRANSFERRING) | XS_FINAL_ISH,
                       WAIT_MS, NULL));
    xwait_bytes(job, 8192, WAIT_MS);
    return job;
}

/* ST-07: Cancel mid-transfer → CANCELLED, the request is abandoned, no
 * temporary or local file, a second Cancel → INVALID_STATE. */
static void cancel_during(enum xmode mode)
{
    struct xfx fx;
    IBackgroundCopyJob *job;

    job = slow_job(&fx, mode);
    if (!job)
        goto out;
    X_HR("Cancel", S_OK, IBackgroundCopyJob_Cancel(job));
    X_STATE("cancelled", BG_JOB_STATE_CANCELLED, xjob_state(job));
    X_U64("temporary files at once", 0, xfx_temp_count(&fx));
    X_TRUE("no local file", !xfx_exists(&fx, "s.bin"));
    X_HR("second Cancel",
         mode == XM_DO ? DO_E_INVALID_STATE : BG_E_INVALID_STATE,
         IBackgroundCopyJob_Cancel(job));
    xsleep_ms(200);
    X_U64("still no temporary file", 0, xfx_temp_count(&fx));
out:
    xfx_close(&fx);
}
static void cancel_during_bits(void)
{
    cancel_during(XM_BITS);
}
static void cancel_during_do(void)
{
    cancel_during(XM_DO);
}

/* ST-04: Suspend mid-transfer → SUSPENDED, the request is abandoned,
 * bytes stop, the temporary file keeps them; Cancel then removes it. */
static void suspend_during(void)
{
    struct xfx fx;
    IBackgroundCopyJob *job;
    BG_JOB_PROGRESS a, b;
    long long size1;

    job = slow_job(&fx, XM_BITS);
    if (!job)
        goto out;
    X_HR("Suspend", S_OK, IBackgroundCopyJob_Suspend(job));
    X_STATE("suspended", BG_JOB_STATE_SUSPENDED, xjob_state(job));
    a = xjob_progress(job);
    size1 = temp_size(job);
    xsleep_ms(300);
    b = xjob_progress(job);
    X_U64("temporary file stopped growing", size1, temp_size(job));
    X_U64("temporary file holds BytesTransferred", b.BytesTransferred, size1);
    X_U64("bytes stopped", a.BytesTransferred, b.BytesTransferred);
    X_TRUE("bytes kept", b.BytesTransferred >= 8192);
    X_STATE("still suspended", BG_JOB_STATE_SUSPENDED, xjob_state(job));
    X_U64("temporary file kept", 1, xfx_temp_count(&fx));
    X_HR("Suspend again", S_OK, IBackgroundCopyJob_Suspend(job));
    X_HR("Cancel", S_OK, IBackgroundCopyJob_Cancel(job));
    X_U64("temporary file removed", 0, xfx_temp_count(&fx));
out:
    xfx_close(&fx);
}

/* 20 jobs x 10 files of 16 KiB at once: every job TRANSFERRED, every
 * file delivered with its fixture's hash, one GET per file. */
static void many_jobs(void)
{
    enum { NJOBS = 20, NFILES = 10, FSIZE = 16384 };
    struct xfx fx;
    IBackgroundCopyJob *jobs[NJOBS];
    static char hex[NJOBS][NFILES][65];
    char name[64], got[65];
    int bad = 0, notdone = 0;

    memset(jobs, 0, sizeof jobs);
    if (xfx_open(&fx, XM_BITS, 0) != 0)
        goto out;
    for (int j = 0; j < NJOBS; j++) {
        jobs[j] = xfx_job(&fx);
        if (!jobs[j])
            goto out;
        for (int k = 0; k < NFILES; k++) {
            snprintf(name, sizeof name, "j%02d_f%02d.bin", j, k);
            xsrv_file(&fx.srv, name, FSIZE, (unsigned)(1000 + j * 100 + k),
                      hex[j][k]);
            if (xfx_add(&fx, jobs[j], name, NULL) != S_OK)
                bad++;
        }
    }
    X_U64("AddFile failures", 0, bad);
    for (int j = 0; j < NJOBS; j++)
        X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(jobs[j]));
    for (int j = 0; j < NJOBS; j++)
        if (xwait_mask(jobs[j], XS_FINAL_ISH, 30000, NULL) !=
            BG_JOB_STATE_TRANSFERRED) {
            notdone++;
            snprintf(name, sizeof name, "job %d", j);
            xjob_dump(name, jobs[j]);
        }
    X_U64("jobs not TRANSFERRED", 0, notdone);
    for (int j = 0; j < NJOBS; j++)
        X_HR("Complete", S_OK, IBackgroundCopyJob_Complete(jobs[j]));
    for (int j = 0; j < NJOBS; j++)
        for (int k = 0; k < NFILES; k++) {
            snprintf(name, sizeof name, "j%02d_f%02d.bin", j, k);
            xfx_hash(&fx, name, got);
            if (strcmp(got, hex[j][k]) != 0) {
                bad++;
                fprintf(stderr, "  %s: expected %s, got %s\n", name, hex[j][k],
                        got);
            }
        }
    X_U64("files with a wrong hash", 0, bad);
    X_U64("temporary files left", 0, xfx_temp_count(&fx));
    X_U64("one GET per file", NJOBS * NFILES, xsrv_count(&fx.srv, NULL));
out:
    xfx_close(&fx);
}

static IBackgroundCopyJob *prio_job(struct xfx *fx, const char *file,
                                    BG_JOB_PRIORITY prio)
{
    IBackgroundCopyJob *job = xfx_job(fx);

    if (!job)
        return NULL;
    X_HR("SetPriority", S_OK, IBackgroundCopyJob_SetPriority(job, prio));
    X_HR("AddFile", S_OK,
         xfx_add(fx, job, file,
                 strchr(file, '/') ? strrchr(file, '/') + 1 : NULL));
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    return job;
}

/* The seq of the first request for path in the log, or 0. */
static int first_seq(struct xfx *fx, const char *path)
{
    char *log = mockctl_log(&fx->srv);
    struct xreq r[4];
    int n = log ? xlog_requests(log, path, r, 4) : 0;
    int seq = n > 0 ? r[0].seq : 0;

    free(log);
    return seq;
}

/* With the background window (8) full of slow LOW transfers: a FOREGROUND
 * job starts at once on its reserved slots and finishes while they still
 * run; of a LOW and a HIGH job queued behind them (LOW first), the HIGH
 * one starts first when a slot frees. */
static void priorities(void)
{
    enum { NSLOW = 8 };
    struct xfx fx;
    IBackgroundCopyJob *slow[NSLOW], *low, *high, *fg;
    char name[64];
    int busy = 0;

    memset(slow, 0, sizeof slow);
    if (xfx_open(&fx, XM_BITS, 0) != 0)
        goto out;
    X_U64("rules", 200,
          mockctl_rules(&fx.srv,
                        "match prefix=/slow/ action=chunk-delay ms=100 "
                        "size=1024\n"));
    for (int i = 0; i < NSLOW; i++) {
        snprintf(name, sizeof name, "slow/s%d.bin", i);
        xsrv_file(&fx.srv, name, 16384, 200 + (unsigned)i, NULL);
        slow[i] = prio_job(&fx, name, BG_JOB_PRIORITY_LOW);
        if (!slow[i])
            goto out;
    }
    for (int i = 0; i < NSLOW; i++)
        if (xwait_mask(slow[i], XS(BG_JOB_STATE_TRANSFERRING) | XS_FINAL_ISH,
                       WAIT_MS, NULL) == BG_JOB_STATE_TRANSFERRING)
            busy++;
        else
            xjob_dump("slow LOW job", slow[i]);
    X_U64("window filled with LOW transfers", NSLOW, busy);
    xsrv_file(&fx.srv, "low.bin", 1000, 300, NULL);
    xsrv_file(&fx.srv, "high.bin", 1000, 301, NULL);
    xsrv_file(&fx.srv, "fg.bin", 1000, 302, NULL);
    low = prio_job(&fx, "low.bin", BG_JOB_PRIORITY_LOW);
    xsleep_ms(20);
    high = prio_job(&fx, "high.bin", BG_JOB_PRIORITY_HIGH);
    fg = prio_job(&fx, "fg.bin", BG_JOB_PRIORITY_FOREGROUND);
    if (!low || !high || !fg)
        goto out;
    X_STATE("FOREGROUND not starved", BG_JOB_STATE_TRANSFERRED,
            xwait_mask(fg, XS_FINAL_ISH, 3000, NULL));
    busy = 0;
    for (int i = 0; i < NSLOW; i++)
        busy += xjob_state(slow[i]) == BG_JOB_STATE_TRANSFERRING;
    X_TRUE("LOW transfers still running when FOREGROUND finished",
           busy >= NSLOW - 1);
    X_STATE("HIGH done", BG_JOB_STATE_TRANSFERRED,
            xwait_mask(high, XS_FINAL_ISH, WAIT_MS, NULL));
    X_STATE("LOW done", BG_JOB_STATE_TRANSFERRED,
            xwait_mask(low, XS_FINAL_ISH, WAIT_MS, NULL));
    {
        int sh = first_seq(&fx, "/high.bin"), sl = first_seq(&fx, "/low.bin");
        xt_check(sh > 0 && sl > 0 && sh < sl, __LINE__, __FILE__,
                 "[queued HIGH starts before queued LOW] request seq: "
                 "high %d, low %d",
                 sh, sl);
    }
out:
    xfx_close(&fx);
}

CU_TestInfo xfer_tests_load[] = {
    {"Cancel during a transfer [bits]", cancel_during_bits},
    {"Cancel during a transfer [do]", cancel_during_do},
    {"Suspend during a transfer", suspend_during},
    {"20 jobs x 10 files at once", many_jobs},
    {"priorities with a full window", priorities},
    CU_TEST_INFO_NULL,
};
