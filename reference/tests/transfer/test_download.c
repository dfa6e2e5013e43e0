/*
 * test_download.c - whole-file downloads end to end: h2c by Upgrade and
 * https (ALPN h2) with the build's self-signed certificate, several files
 * per job, the observed state sequence (spec behavior.md 2.4), progress
 * before and after Complete (FILE-04/05), delivery with the fixture's
 * SHA-256 and no temporary file left, partial Complete (R10, ST-09), Resume
 * rules after TRANSFERRED (D8, T17/ST-19) and after ERROR with a new remote
 * name (T22/ST-12).  Each case owns its h2mock.
 */
#include "xfer.h"

#include <stdlib.h>
#include <string.h>

#define WAIT_MS xwait_default()

/* The files of the multi-file cases: name, size, seed. */
static const struct {
    const char *name;
    size_t size;
    unsigned seed;
} files[] = {
    {"one.bin", 1, 1},   {"small.bin", 65536, 2},     {"big.bin", 300000, 3},
    {"empty.bin", 0, 4}, {"dir/nested.txt", 4097, 5},
};

/* Downloads every row of files[] in one job and checks everything a
 * healthy transfer promises.  `tls`: https with BG_SSL_IGNORE_UNKNOWN_CA.
 * (Plain HTTP/1.x is not reachable through the public interfaces: the
 * engine always offers h2 (docs/engine.md "Scheduling") and h2mock always
 * accepts the Upgrade, even under its http10 action, which only applies
 * to requests that stay HTTP/1.x.) */
static void whole_files(enum xmode mode, int tls)
{
    struct xfx fx;
    char hex[ARRAY_LEN(files)][65], got[65], ctx[192];
    const char *locals[] = {"one.bin", "small.bin", "big.bin", "empty.bin",
                            "nested.txt"};
    IBackgroundCopyJob *job;
    struct xseq seq = {0};
    UINT64 total = 0;

    if (xfx_open(&fx, mode, tls) != 0)
        goto out;
    job = xfx_job(&fx);
    if (!job)
        goto out;
    for (size_t i = 0; i < ARRAY_LEN(files); i++) {
        X_TRUE("fixture", xsrv_file(&fx.srv, files[i].name, files[i].size,
                                    files[i].seed, hex[i]) == 0);
        X_HR(files[i].name, S_OK, xfx_add(&fx, job, files[i].name, locals[i]));
        total += files[i].size;
    }
    if (tls) {
        IBackgroundCopyJobHttpOptions *ho =
            xqi(job, &IID_IBackgroundCopyJobHttpOptions);
        if (ho) {
            X_HR("SetSecurityFlags", S_OK,
                 IBackgroundCopyJobHttpOptions_SetSecurityFlags(
                     ho, BG_SSL_IGNORE_UNKNOWN_CA));
            xrelease(ho);
        }
    }
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    X_STATE("final state", BG_JOB_STATE_TRANSFERRED,
            xwait_mask(job, XS_FINAL_ISH, WAIT_MS, &seq));
    xcheck_seq("state sequence", &seq, mode == XM_DO);

    {
        /* spec 4.5: TransferCompletionTime set on entering TRANSFERRED */
        BG_JOB_TIMES t;
        memset(&t, 0, sizeof t);
        X_HR("GetTimes", S_OK, IBackgroundCopyJob_GetTimes(job, &t));
        X_TRUE("TransferCompletionTime set",
               t.TransferCompletionTime.dwHighDateTime != 0 ||
                   t.TransferCompletionTime.dwLowDateTime != 0);
    }
    BG_JOB_PROGRESS p = xjob_progress(job);
    X_U64("FilesTotal", ARRAY_LEN(files), p.FilesTotal);
    X_U64("FilesTransferred", ARRAY_LEN(files), p.FilesTransferred);
    X_U64("BytesTotal", total, p.BytesTotal);
    X_U64("BytesTransferred", total, p.BytesTransferred);
    {
        IBackgroundCopyError *err = (void *)0xdeadbeef;
        X_HR("GetError in TRANSFERRED (ST-17)",
             mode == XM_DO ? DO_E_ERROR_INFORMATION_UNAVAILABLE
                           : BG_E_ERROR_INFORMATION_UNAVAILABLE,
             IBackgroundCopyJob_GetError(job, &err));
    }
    /* FILE-04: sizes known, not Completed, destination absent. */
    for (size_t i = 0; i < ARRAY_LEN(files); i++) {
        IBackgroundCopyFile *f = xjob_file(job, (ULONG)i);
        BG_FILE_PROGRESS fp;
        memset(&fp, 0xCD, sizeof fp);
        snprintf(ctx, sizeof ctx, "file %s before Complete", files[i].name);
        X_TRUE(ctx, f != NULL);
        if (!f)
            continue;
        X_HR(ctx, S_OK, IBackgroundCopyFile_GetProgress(f, &fp));
        X_U64(ctx, files[i].size, fp.BytesTotal);
        X_U64(ctx, files[i].size, fp.BytesTransferred);
        X_U64(ctx, FALSE, fp.Completed);
        X_TRUE(ctx, !xfx_exists(&fx, locals[i]));
        xrelease(f);
    }
    X_HR("Complete", S_OK, IBackgroundCopyJob_Complete(job));
    X_STATE("after Complete", BG_JOB_STATE_ACKNOWLEDGED, xjob_state(job));
    for (size_t i = 0; i < ARRAY_LEN(files); i++) {
        IBackgroundCopyFile *f = xjob_file(job, (ULONG)i);
        BG_FILE_PROGRESS fp;
        memset(&fp, 0xCD, sizeof fp);
        snprintf(ctx, sizeof ctx, "file %s delivered", files[i].name);
        if (f) {
            X_HR(ctx, S_OK, IBackgroundCopyFile_GetProgress(f, &fp));
            X_U64(ctx, TRUE, fp.Completed);
            xrelease(f);
        }
        xfx_hash(&fx, locals[i], got);
        X_STR(ctx, hex[i], got);
    }
    X_U64("temporary files left", 0, xfx_temp_count(&fx));

    /* What went over the wire: one GET per file, no Range, the protocol
     * asked for (h2c by Upgrade for http://, h2 by ALPN for https://). */
    {
        char *log = mockctl_log(&fx.srv);
        struct xreq r[32];
        int n = log ? xlog_requests(log, NULL, r, 32) : -1;
        X_U64("requests", ARRAY_LEN(files), n);
        for (int i = 0; i < n && i < 32; i++) {
            snprintf(ctx, sizeof ctx, "request %d %s", r[i].seq, r[i].path);
            X_STR(ctx, tls ? "h2" : "h2c-upgrade", r[i].proto);
            X_STR(ctx, "", r[i].range);
            X_U64(ctx, 200, r[i].status);
        }
        free(log);
    }
out:
    xfx_close(&fx);
}

static void whole_h2c_bits(void)
{
    whole_files(XM_BITS, 0);
}
static void whole_h2c_do(void)
{
    whole_files(XM_DO, 0);
}
static void whole_https_bits(void)
{
    whole_files(XM_BITS, 1);
}
static void whole_https_do(void)
{
    whole_files(XM_DO, 1);
}

/* https without relaxing the check: the self-signed certificate is
 * refused, a fatal error (E2): BG_E_TRUST_FAILURE / REMOTE_FILE in BITS
 * mode, DO_E_HTTP_CERT_VALIDATION / NONE in DO mode. */
static void https_untrusted(enum xmode mode)
{
    struct xfx fx;
    IBackgroundCopyJob *job;
    int ctx;
    HRESULT code;

    if (xfx_open(&fx, mode, 1) != 0)
        goto out;
    job = xfx_job(&fx);
    if (!job)
        goto out;
    xsrv_file(&fx.srv, "a.bin", 1000, 7, NULL);
    X_HR("AddFile", S_OK, xfx_add(&fx, job, "a.bin", NULL));
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    X_STATE("state", BG_JOB_STATE_ERROR,
            xwait_mask(job, XS_FINAL_ISH, WAIT_MS, NULL));
    X_HR("GetError", S_OK, xjob_error(job, &ctx, &code));
    X_HR("code", mode == XM_DO ? DO_E_HTTP_CERT_VALIDATION : BG_E_TRUST_FAILURE,
         code);
    X_U64("context",
          mode == XM_DO ? BG_ERROR_CONTEXT_NONE : BG_ERROR_CONTEXT_REMOTE_FILE,
          ctx);
out:
    xfx_close(&fx);
}
static void https_untrusted_bits(void)
{
    https_untrusted(XM_BITS);
}
static void https_untrusted_do(void)
{
    https_untrusted(XM_DO);
}

/* R10 / ST-09: a job in ERROR with one file transferred and one failed:
 * Complete → BG_S_PARTIAL_COMPLETE, the good file delivered, the other
 * absent, no temporary file left. */
static void partial_complete(void)
{
    struct xfx fx;
    IBackgroundCopyJob *job;
    char hex[65], got[65];

    if (xfx_open(&fx, XM_BITS, 0) != 0)
        goto out;
    job = xfx_job(&fx);
    if (!job)
        goto out;
    xsrv_file(&fx.srv, "good.bin", 5000, 11, hex);
    X_U64("rules", 200,
          mockctl_rules(&fx.srv, "match path=/missing.bin action=delay ms=400 "
                                 "action=status code=404\n"));
    X_HR("AddFile good", S_OK, xfx_add(&fx, job, "good.bin", NULL));
    X_HR("AddFile missing", S_OK, xfx_add(&fx, job, "missing.bin", NULL));
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    X_STATE("state", BG_JOB_STATE_ERROR,
            xwait_mask(job, XS_FINAL_ISH, WAIT_MS, NULL));
    BG_JOB_PROGRESS p = xjob_progress(job);
    X_U64("FilesTransferred", 1, p.FilesTransferred);
    X_HR("Complete", BG_S_PARTIAL_COMPLETE, IBackgroundCopyJob_Complete(job));
    X_STATE("after Complete", BG_JOB_STATE_ACKNOWLEDGED, xjob_state(job));
    xfx_hash(&fx, "good.bin", got);
    X_STR("good.bin delivered", hex, got);
    X_TRUE("missing.bin absent", !xfx_exists(&fx, "missing.bin"));
    X_U64("temporary files left", 0, xfx_temp_count(&fx));
out:
    xfx_close(&fx);
}

/* D8 and T17/ST-19: Resume of a TRANSFERRED job with nothing left →
 * BG_E_EMPTY, state kept; AddFile then Resume → only the new file is
 * fetched and the job is TRANSFERRED again. */
static void add_after_transferred(void)
{
    struct xfx fx;
    IBackgroundCopyJob *job;
    char h1[65], h2[65], got[65];

    if (xfx_open(&fx, XM_BITS, 0) != 0)
        goto out;
    job = xfx_job(&fx);
    if (!job)
        goto out;
    xsrv_file(&fx.srv, "first.bin", 3000, 21, h1);
    xsrv_file(&fx.srv, "second.bin", 7000, 22, h2);
    X_HR("AddFile", S_OK, xfx_add(&fx, job, "first.bin", NULL));
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    X_STATE("first", BG_JOB_STATE_TRANSFERRED,
            xwait_mask(job, XS_FINAL_ISH, WAIT_MS, NULL));
    X_HR("Resume with nothing left (D8)", BG_E_EMPTY,
         IBackgroundCopyJob_Resume(job));
    X_STATE("still", BG_JOB_STATE_TRANSFERRED, xjob_state(job));
    X_HR("AddFile second", S_OK, xfx_add(&fx, job, "second.bin", NULL));
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    X_STATE("second", BG_JOB_STATE_TRANSFERRED,
            xwait_mask(job, XS_FINAL_ISH, WAIT_MS, NULL));
    X_U64("GET first.bin once", 1, xsrv_count(&fx.srv, "/first.bin"));
    X_U64("GET second.bin once", 1, xsrv_count(&fx.srv, "/second.bin"));
    X_HR("Complete", S_OK, IBackgroundCopyJob_Complete(job));
    xfx_hash(&fx, "first.bin", got);
    X_STR("first.bin", h1, got);
    xfx_hash(&fx, "second.bin", got);
    X_STR("second.bin", h2, got);
out:
    xfx_close(&fx);
}

/* T22/ST-12 and ST-11: a 404 is fatal (ERROR, REMOTE_FILE, 0x80190194,
 * GetFile names the file); File2::SetRemoteName to a good URL and Resume
 * → TRANSFERRED with the new URL's content. */
static void error_then_new_remote_name(void)
{
    struct xfx fx;
    IBackgroundCopyJob *job;
    IBackgroundCopyFile *f = NULL;
    IBackgroundCopyFile2 *f2 = NULL;
    char hex[65], got[65], buf[512];
    int ctx;
    HRESULT code;

    if (xfx_open(&fx, XM_BITS, 0) != 0)
        goto out;
    job = xfx_job(&fx);
    if (!job)
        goto out;
    xsrv_file(&fx.srv, "there.bin", 9000, 31, hex);
    X_HR("AddFile", S_OK, xfx_add(&fx, job, "gone.bin", "target.bin"));
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    X_STATE("state", BG_JOB_STATE_ERROR,
            xwait_mask(job, XS_FINAL_ISH, WAIT_MS, NULL));
    X_HR("GetError", S_OK, xjob_error(job, &ctx, &code));
    X_HR("code", BG_E_HTTP_ERROR_404, code);
    X_U64("context", BG_ERROR_CONTEXT_REMOTE_FILE, ctx);
    {
        IBackgroundCopyError *err = NULL;
        IBackgroundCopyFile *ef = NULL;
        LPWSTR name = NULL;
        if (SUCCEEDED(IBackgroundCopyJob_GetError(job, &err))) {
            X_HR("Error::GetFile", S_OK,
                 IBackgroundCopyError_GetFile(err, &ef));
            if (ef && SUCCEEDED(IBackgroundCopyFile_GetLocalName(ef, &name))) {
                char want[512];
                X_STR("error file", xfx_path(&fx, "target.bin", want, 512),
                      xu8(name, buf, sizeof buf));
                CoTaskMemFree(name);
            }
            xrelease(ef);
            xrelease(err);
        }
    }
    f = xjob_file(job, 0);
    f2 = f ? xqi(f, &IID_IBackgroundCopyFile2) : NULL;
    if (f2) {
        WCHAR *u = xfx_url(&fx, "there.bin");
        X_HR("SetRemoteName", S_OK, IBackgroundCopyFile2_SetRemoteName(f2, u));
        CoTaskMemFree(u);
    }
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    X_STATE(
        "after new name", BG_JOB_STATE_TRANSFERRED,
        xwait_mask(job, XS_FINAL_ISH & ~XS(BG_JOB_STATE_ERROR), WAIT_MS, NULL));
    X_HR("Complete", S_OK, IBackgroundCopyJob_Complete(job));
    xfx_hash(&fx, "target.bin", got);
    X_STR("target.bin", hex, got);
    xrelease(f2);
    xrelease(f);
out:
    xfx_close(&fx);
}

/* T15: Resume of a job in ERROR retries; the fault was one-shot, so the
 * retry delivers the file. */
static void resume_after_error(void)
{
    struct xfx fx;
    IBackgroundCopyJob *job;
    char hex[65], got[65];

    if (xfx_open(&fx, XM_BITS, 0) != 0)
        goto out;
    job = xfx_job(&fx);
    if (!job)
        goto out;
    xsrv_file(&fx.srv, "a.bin", 20000, 41, hex);
    X_U64("rules", 200,
          mockctl_rules(&fx.srv,
                        "match path=/a.bin nth=1 action=status code=410\n"));
    X_HR("AddFile", S_OK, xfx_add(&fx, job, "a.bin", NULL));
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    X_STATE("410 is fatal", BG_JOB_STATE_ERROR,
            xwait_mask(job, XS_FINAL_ISH, WAIT_MS, NULL));
    X_HR("Resume from ERROR", S_OK, IBackgroundCopyJob_Resume(job));
    X_STATE(
        "retried", BG_JOB_STATE_TRANSFERRED,
        xwait_mask(job, XS_FINAL_ISH & ~XS(BG_JOB_STATE_ERROR), WAIT_MS, NULL));
    X_HR("Complete", S_OK, IBackgroundCopyJob_Complete(job));
    xfx_hash(&fx, "a.bin", got);
    X_STR("a.bin", hex, got);
    X_U64("requests", 2, xsrv_count(&fx.srv, "/a.bin"));
out:
    xfx_close(&fx);
}

/* Issue 4 item 5 / R23 / R24: the error object of a real 404 is
 * complete: GetError, GetFile, GetProtocol "http", an English
 * description naming the status (the manager's text for the code is the
 * same), a context description, and GetErrorCount counts the failure. */
static void error_object_complete(void)
{
    struct xfx fx;
    IBackgroundCopyJob *job;
    IBackgroundCopyError *err = NULL;
    LPWSTR desc = POISON_STR, cdesc = POISON_STR, proto = POISON_STR;
    LPWSTR mdesc = POISON_STR;
    char a[512], b[512];
    ULONG count = 0xdeadbeef;

    if (xfx_open(&fx, XM_BITS, 0) != 0)
        goto out;
    job = xfx_job(&fx);
    if (!job)
        goto out;
    X_HR("AddFile", S_OK, xfx_add(&fx, job, "absent.bin", NULL));
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    X_STATE("404", BG_JOB_STATE_ERROR,
            xwait_mask(job, XS_FINAL_ISH, WAIT_MS, NULL));
    X_HR("GetErrorCount", S_OK, IBackgroundCopyJob_GetErrorCount(job, &count));
    X_U64("error count", 1, count);
    X_HR("GetError", S_OK, IBackgroundCopyJob_GetError(job, &err));
    if (!err)
        goto out;
    X_HR("GetProtocol", S_OK, IBackgroundCopyError_GetProtocol(err, &proto));
    X_STR("protocol", "http",
          xu8(proto != POISON_STR ? proto : NULL, a, sizeof a));
    X_HR("GetErrorDescription", S_OK,
         IBackgroundCopyError_GetErrorDescription(err, 0x0409, &desc));
    xu8(desc != POISON_STR ? desc : NULL, a, sizeof a);
    xt_check(strncmp(a, "The server returned HTTP status 404", 35) == 0,
             __LINE__, __FILE__,
             "[description] expected \"The server returned HTTP status "
             "404...\", got \"%s\"",
             a);
    X_HR("manager GetErrorDescription", S_OK,
         IBackgroundCopyManager_GetErrorDescription(fx.mgr, BG_E_HTTP_ERROR_404,
                                                    0x0409, &mdesc));
    X_STR("same text from the manager", a,
          xu8(mdesc != POISON_STR ? mdesc : NULL, b, sizeof b));
    X_HR("GetErrorContextDescription", S_OK,
         IBackgroundCopyError_GetErrorContextDescription(err, 0x0409, &cdesc));
    xu8(cdesc != POISON_STR ? cdesc : NULL, b, sizeof b);
    X_TRUE("context description not empty",
           b[0] != '\0' && strcmp(b, "(null)") != 0);
out:
    if (proto != POISON_STR)
        CoTaskMemFree(proto);
    if (desc != POISON_STR)
        CoTaskMemFree(desc);
    if (cdesc != POISON_STR)
        CoTaskMemFree(cdesc);
    if (mdesc != POISON_STR)
        CoTaskMemFree(mdesc);
    xrelease(err);
    xfx_close(&fx);
}

CU_TestInfo xfer_tests_download[] = {
    {"whole files h2c [bits]", whole_h2c_bits},
    {"whole files h2c [do]", whole_h2c_do},
    {"whole files https ignore-unknown-CA [bits]", whole_https_bits},
    {"whole files https ignore-unknown-CA [do]", whole_https_do},
    {"https untrusted certificate [bits]", https_untrusted_bits},
    {"https untrusted certificate [do]", https_untrusted_do},
    {"partial complete", partial_complete},
    {"add file after transferred", add_after_transferred},
    {"error then new remote name", error_then_new_remote_name},
    {"resume after error", resume_after_error},
    {"error object of a 404 complete", error_object_complete},
    CU_TEST_INFO_NULL,
};
