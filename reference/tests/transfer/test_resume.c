/*
 * test_resume.c - resume and file consistency, proven from h2mock's request
 * log: Suspend mid-transfer then Resume sends exactly one
 * `Range: bytes=N-` with N = the bytes held (temporary file size and
 * BytesTransferred) and an If-Range validator (decisions E7/E8, ST-04); a
 * transient cut resumes the same way after the retry delay; content that
 * changed between requests restarts from zero and delivers the new version
 * (spec 7.4, T23, FILE-09); a server that ignores Range on a resume gets a
 * restart from zero (E7); File5 HTTP_RESPONSE_HEADERS holds the last
 * response (the 206) afterwards (FILE-12).
 */
#include "xfer.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <strings.h>

#define WAIT_MS xwait_default()
#define RSIZE 262144
#define RSEED 61

/* The temporary file of the job's first file (File3::GetTemporaryName)
 * and its size, or -1. */
static long long temp_size(IBackgroundCopyJob *job, char *path, size_t len)
{
    IBackgroundCopyFile *f = xjob_file(job, 0);
    IBackgroundCopyFile3 *f3 = f ? xqi(f, &IID_IBackgroundCopyFile3) : NULL;
    LPWSTR w = NULL;
    struct stat st;
    long long n = -1;

    path[0] = '\0';
    if (f3 && SUCCEEDED(IBackgroundCopyFile3_GetTemporaryName(f3, &w)) && w) {
        xu8(w, path, len);
        if (stat(path, &st) == 0)
            n = (long long)st.st_size;
        CoTaskMemFree(w);
    }
    xrelease(f3);
    xrelease(f);
    return n;
}

/* What the resumed request must look like: "bytes=N-". */
static void check_resume_request(struct xfx *fx, UINT64 held, const char *label)
{
    char *log = mockctl_log(&fx->srv);
    struct xreq r[16];
    char want[64];
    int n = log ? xlog_requests(log, "/r.bin", r, 16) : -1, ranged = 0;

    X_U64(label, 2, n);
    snprintf(want, sizeof want, "bytes=%llu-", (unsigned long long)held);
    for (int i = 0; i < n && i < 16; i++)
        if (r[i].range[0]) {
            ranged++;
            X_STR(label, want, r[i].range);
            X_TRUE("If-Range sent with the Range", r[i].if_range[0] != '\0');
            if (!r[i].if_range[0])
                fprintf(stderr, "  resume request: %.*s\n",
                        (int)strcspn(r[i].line, "\n"), r[i].line);
            X_U64("206 to the resume", 206, r[i].status);
            X_U64("bytes of the resume", RSIZE - held, r[i].bytes);
        }
    X_U64("exactly one request with Range", 1, ranged);
    free(log);
}

/* Starts a slow download of r.bin (first request only), waits for some
 * bytes; returns the job or NULL. */
static IBackgroundCopyJob *slow_start(struct xfx *fx, char *hex)
{
    IBackgroundCopyJob *job;

    if (xfx_open(fx, XM_BITS, 0) != 0)
        return NULL;
    job = xfx_job(fx);
    if (!job)
        return NULL;
    xsrv_file(&fx->srv, "r.bin", RSIZE, RSEED, hex);
    X_U64("rules", 200,
          mockctl_rules(&fx->srv, "match path=/r.bin nth=1 action=chunk-delay "
                                  "ms=40 size=4096\n"));
    X_HR("AddFile", S_OK, xfx_add(fx, job, "r.bin", NULL));
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    X_STATE("transferring", BG_JOB_STATE_TRANSFERRING,
            xwait_mask(job, XS(BG_JOB_STATE_TRANSFERRING) | XS_FINAL_ISH,
                       WAIT_MS, NULL));
    xwait_bytes(job, 16384, WAIT_MS);
    return job;
}

/* ST-04: Suspend mid-transfer keeps the bytes; Resume continues from
 * them with one Range request; the result is the whole file. */
static void suspend_resume_range(void)
{
    struct xfx fx;
    IBackgroundCopyJob *job;
    char hex[65], got[65], tmp[512];
    BG_JOB_PROGRESS p1, p2;
    long long held;

    job = slow_start(&fx, hex);
    if (!job)
        goto out;
    X_HR("Suspend", S_OK, IBackgroundCopyJob_Suspend(job));
    X_STATE("suspended", BG_JOB_STATE_SUSPENDED, xjob_state(job));
    p1 = xjob_progress(job);
    xsleep_ms(200);
    p2 = xjob_progress(job);
    X_U64("bytes stop while suspended", p1.BytesTransferred,
          p2.BytesTransferred);
    X_TRUE("some but not all bytes held",
           p1.BytesTransferred > 0 && p1.BytesTransferred < RSIZE);
    held = temp_size(job, tmp, sizeof tmp);
    X_U64("temporary file holds BytesTransferred", p1.BytesTransferred, held);
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    X_STATE("resumed", BG_JOB_STATE_TRANSFERRED,
            xwait_mask(job, XS_FINAL_ISH, WAIT_MS, NULL));
    check_resume_request(&fx, p1.BytesTransferred, "resume request");

    /* FILE-12: the last response was the 206 */
    {
        IBackgroundCopyFile *f = xjob_file(job, 0);
        IBackgroundCopyFile5 *f5 = f ? xqi(f, &IID_IBackgroundCopyFile5) : NULL;
        BITS_FILE_PROPERTY_VALUE v = {.String = POISON_STR};
        char headers[4096], want[128];
        if (f5) {
            X_HR("HTTP_RESPONSE_HEADERS", S_OK,
                 IBackgroundCopyFile5_GetProperty(
                     f5, BITS_FILE_PROPERTY_ID_HTTP_RESPONSE_HEADERS, &v));
            xu8(v.String != POISON_STR ? v.String : NULL, headers,
                sizeof headers);
            snprintf(want, sizeof want, "content-range: bytes %llu-%d/%d",
                     (unsigned long long)p1.BytesTransferred, RSIZE - 1, RSIZE);
            xt_check(strcasestr(headers, want) != NULL, __LINE__, __FILE__,
                     "[last response headers] expected to contain \"%s\", "
                     "got \"%s\"",
                     want, headers);
            if (v.String != POISON_STR)
                CoTaskMemFree(v.String);
        }
        xrelease(f5);
        xrelease(f);
    }
    X_HR("Complete", S_OK, IBackgroundCopyJob_Complete(job));
    xfx_hash(&fx, "r.bin", got);
    X_STR("r.bin", hex, got);
out:
    xfx_close(&fx);
}

/* A transient cut (close after 65536 bytes) keeps the bytes received; the
 * retry after MinimumRetryDelay asks for the rest with one Range. */
static void transient_cut_resumes(void)
{
    struct xfx fx;
    IBackgroundCopyJob *job;
    char hex[65], got[65], tmp[512];
    BG_JOB_PROGRESS p;
    int st;

    if (xfx_open(&fx, XM_BITS, 0) != 0)
        goto out;
    job = xfx_job(&fx);
    if (!job)
        goto out;
    xsrv_file(&fx.srv, "r.bin", RSIZE, RSEED, hex);
    X_U64("rules", 200,
          mockctl_rules(&fx.srv,
                        "match path=/r.bin nth=1 action=close after=65536\n"));
    X_HR("AddFile", S_OK, xfx_add(&fx, job, "r.bin", NULL));
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    st = xwait_mask(job, XS_FINAL_ISH, WAIT_MS, NULL);
    X_STATE("cut", BG_JOB_STATE_TRANSIENT_ERROR, st);
    p = xjob_progress(job);
    X_TRUE("bytes kept after the cut",
           p.BytesTransferred > 0 && p.BytesTransferred <= 65536);
    X_U64("temporary file holds BytesTransferred", p.BytesTransferred,
          temp_size(job, tmp, sizeof tmp));
    xfx_advance(&fx, 601000);
    X_STATE("retried", BG_JOB_STATE_TRANSFERRED,
            xwait_mask(job, XS_FINAL_ISH & ~XS(BG_JOB_STATE_TRANSIENT_ERROR),
                       WAIT_MS, NULL));
    check_resume_request(&fx, p.BytesTransferred, "retry request");
    X_HR("Complete", S_OK, IBackgroundCopyJob_Complete(job));
    xfx_hash(&fx, "r.bin", got);
    X_STR("r.bin", hex, got);
out:
    xfx_close(&fx);
}

/* Spec 7.4 / FILE-09: the remote file changes between the first request
 * and the resume; the If-Range fails, the file restarts from zero and the
 * delivered content is the new version (every byte XOR 1). */
static void content_changed_restarts(void)
{
    struct xfx fx;
    IBackgroundCopyJob *job;
    char hex[65], got[65], want[65];
    unsigned char *v1 = malloc(RSIZE);
    BG_JOB_PROGRESS p;

    if (!v1)
        abort();
    for (size_t i = 0; i < RSIZE; i++)
        v1[i] = xbyte(RSEED, i) ^ 1;
    xsha_buf(v1, RSIZE, want);
    free(v1);
    job = slow_start(&fx, hex);
    if (!job)
        goto out;
    X_HR("Suspend", S_OK, IBackgroundCopyJob_Suspend(job));
    p = xjob_progress(job);
    X_U64("rules", 200,
          mockctl_rules(&fx.srv, "match path=/r.bin action=change-content\n"));
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    X_STATE("after change", BG_JOB_STATE_TRANSFERRED,
            xwait_mask(job, XS_FINAL_ISH, WAIT_MS, NULL));
    {
        char *log = mockctl_log(&fx.srv);
        struct xreq r[16];
        char range[64];
        int n = log ? xlog_requests(log, "/r.bin", r, 16) : -1;
        snprintf(range, sizeof range, "bytes=%llu-",
                 (unsigned long long)p.BytesTransferred);
        X_U64("requests", 2, n);
        if (n == 2) {
            X_STR("resume asked for the rest", range, r[1].range);
            X_U64("If-Range failed: whole new body", 200, r[1].status);
            X_U64("new body length", RSIZE, r[1].bytes);
        }
        free(log);
    }
    X_HR("Complete", S_OK, IBackgroundCopyJob_Complete(job));
    xfx_hash(&fx, "r.bin", got);
    X_STR("new version delivered", want, got);
    (void)hex;
out:
    xfx_close(&fx);
}

/* E7: a server that ignores Range on a resume (200, whole body): the file
 * restarts from zero and is delivered whole and right. */
static void ignore_range_on_resume(void)
{
    struct xfx fx;
    IBackgroundCopyJob *job;
    char hex[65], got[65];
    BG_JOB_PROGRESS p;

    job = slow_start(&fx, hex);
    if (!job)
        goto out;
    X_HR("Suspend", S_OK, IBackgroundCopyJob_Suspend(job));
    p = xjob_progress(job);
    X_U64("rules", 200,
          mockctl_rules(&fx.srv, "match path=/r.bin action=ignore-range\n"));
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    X_STATE("after 200 to a resume", BG_JOB_STATE_TRANSFERRED,
            xwait_mask(job, XS_FINAL_ISH, WAIT_MS, NULL));
    {
        char *log = mockctl_log(&fx.srv);
        struct xreq r[16];
        char range[64];
        int n = log ? xlog_requests(log, "/r.bin", r, 16) : -1;
        snprintf(range, sizeof range, "bytes=%llu-",
                 (unsigned long long)p.BytesTransferred);
        X_U64("requests", 2, n);
        if (n == 2) {
            X_STR("resume asked for the rest", range, r[1].range);
            X_U64("server ignored it", 200, r[1].status);
        }
        free(log);
    }
    p = xjob_progress(job);
    X_U64("BytesTransferred", RSIZE, p.BytesTransferred);
    X_HR("Complete", S_OK, IBackgroundCopyJob_Complete(job));
    xfx_hash(&fx, "r.bin", got);
    X_STR("r.bin", hex, got);
out:
    xfx_close(&fx);
}

/* E8: without validators (no ETag, no Last-Modified) a resume cannot be
 * validated; whatever the engine does, the delivered file is right and
 * no request carries an If-Range without a validator to send. */
static void resume_without_validators(void)
{
    struct xfx fx;
    IBackgroundCopyJob *job;
    char hex[65], got[65];

    if (xfx_open(&fx, XM_BITS, 0) != 0)
        goto out;
    job = xfx_job(&fx);
    if (!job)
        goto out;
    xsrv_file(&fx.srv, "r.bin", RSIZE, RSEED, hex);
    X_U64("rules", 200,
          mockctl_rules(&fx.srv, "match path=/r.bin nth=1 action=no-validators "
                                 "action=close after=65536\n"
                                 "match path=/r.bin action=no-validators\n"));
    X_HR("AddFile", S_OK, xfx_add(&fx, job, "r.bin", NULL));
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    X_STATE("cut", BG_JOB_STATE_TRANSIENT_ERROR,
            xwait_mask(job, XS_FINAL_ISH, WAIT_MS, NULL));
    xfx_advance(&fx, 601000);
    X_STATE("retried", BG_JOB_STATE_TRANSFERRED,
            xwait_mask(job, XS_FINAL_ISH & ~XS(BG_JOB_STATE_TRANSIENT_ERROR),
                       WAIT_MS, NULL));
    {
        char *log = mockctl_log(&fx.srv);
        struct xreq r[16];
        int n = log ? xlog_requests(log, "/r.bin", r, 16) : -1;
        for (int i = 0; i < n && i < 16; i++)
            X_STR("no If-Range without a validator", "", r[i].if_range);
        free(log);
    }
    X_HR("Complete", S_OK, IBackgroundCopyJob_Complete(job));
    xfx_hash(&fx, "r.bin", got);
    X_STR("r.bin", hex, got);
out:
    xfx_close(&fx);
}

/* Issue 4 item 6 / I9 / spec 7.5: File2::SetRemoteName while suspended
 * mid-transfer takes effect at the next request: the resume goes to the
 * new URL; that file is another entity (its own validator), so the bytes
 * restart from zero and the delivered file is the new URL's content. */
static void set_remote_name_mid_job(void)
{
    struct xfx fx;
    IBackgroundCopyJob *job;
    IBackgroundCopyFile *f = NULL;
    IBackgroundCopyFile2 *f2 = NULL;
    char hex[65], hex2[65], got[65];

    job = slow_start(&fx, hex);
    if (!job)
        goto out;
    xsrv_file(&fx.srv, "other.bin", RSIZE / 2, RSEED + 1, hex2);
    X_HR("Suspend", S_OK, IBackgroundCopyJob_Suspend(job));
    f = xjob_file(job, 0);
    f2 = f ? xqi(f, &IID_IBackgroundCopyFile2) : NULL;
    if (f2) {
        WCHAR *u = xfx_url(&fx, "other.bin");
        X_HR("SetRemoteName", S_OK, IBackgroundCopyFile2_SetRemoteName(f2, u));
        CoTaskMemFree(u);
    }
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    X_STATE("resumed", BG_JOB_STATE_TRANSFERRED,
            xwait_mask(job, XS_FINAL_ISH, WAIT_MS, NULL));
    X_U64("old URL asked once", 1, xsrv_count(&fx.srv, "/r.bin"));
    X_TRUE("new URL asked", xsrv_count(&fx.srv, "/other.bin") >= 1);
    X_HR("Complete", S_OK, IBackgroundCopyJob_Complete(job));
    xfx_hash(&fx, "r.bin", got);
    X_STR("new URL's content delivered", hex2, got);
    (void)hex;
out:
    xrelease(f2);
    xrelease(f);
    xfx_close(&fx);
}

CU_TestInfo xfer_tests_resume[] = {
    {"suspend then resume sends one Range", suspend_resume_range},
    {"transient cut resumes with one Range", transient_cut_resumes},
    {"content changed restarts from zero", content_changed_restarts},
    {"server ignores Range on resume", ignore_range_on_resume},
    {"resume without validators", resume_without_validators},
    {"SetRemoteName mid-job", set_remote_name_mid_job},
    CU_TEST_INFO_NULL,
};
