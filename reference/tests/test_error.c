/*
 * IBackgroundCopyError, reached through a planted stored error (the
 * reference's ref_job_set_error hook; decisions R23, R24; spec behavior.md
 * 3.6): GetError, GetFile per context, GetProtocol, the two description
 * methods and their language rules, NULL out-pointers, in both modes.
 */
#include "support.h"

#include <docom.h>

static IBackgroundCopyError *planted(struct fx *fx, IBackgroundCopyJob **job,
                                     const char *remote, int transient,
                                     BG_ERROR_CONTEXT ctx, HRESULT code,
                                     int file)
{
    *job = fx_job(fx, 0);
    if (!*job)
        return NULL;
    WCHAR *u = remote ? wfrom(remote) : fx_url("e0");
    WCHAR *p = fx_path(fx, "e0");
    HRESULT hr = IBackgroundCopyJob_AddFile(*job, u, p);
    CoTaskMemFree(u);
    CoTaskMemFree(p);
    ASSERT_HR(S_OK, hr);
    if (hr != S_OK || plant_error(*job, transient, ctx, code, file)) {
        t_check(0, __LINE__, __FILE__, "could not plant an error");
        return NULL;
    }
    IBackgroundCopyError *e = POISON_PTR;
    ASSERT_HR(S_OK, IBackgroundCopyJob_GetError(*job, &e));
    return e && e != POISON_PTR ? e : NULL;
}

static void get_error(enum mode mode)
{
    struct fx fx;
    IBackgroundCopyJob *job;
    IBackgroundCopyError *e = NULL;
    if (fx_open(&fx, mode))
        goto out;
    for (int transient = 0; transient < 2; transient++) {
        e = planted(&fx, &job, NULL, transient, BG_ERROR_CONTEXT_REMOTE_FILE,
                    BG_E_HTTP_ERROR_404, 0);
        if (!e)
            goto out;
        ASSERT_U64(transient ? BG_JOB_STATE_TRANSIENT_ERROR
                             : BG_JOB_STATE_ERROR,
                   job_state(job));
        BG_ERROR_CONTEXT ctx = (BG_ERROR_CONTEXT)POISON_U32;
        HRESULT code = (HRESULT)POISON_U32;
        ASSERT_HR(S_OK, IBackgroundCopyError_GetError(e, &ctx, &code));
        ASSERT_U64(BG_ERROR_CONTEXT_REMOTE_FILE, ctx);
        ASSERT_HR(BG_E_HTTP_ERROR_404, code);
        ASSERT_HR(E_INVALIDARG, IBackgroundCopyError_GetError(e, NULL, &code));
        ASSERT_HR(E_INVALIDARG, IBackgroundCopyError_GetError(e, &ctx, NULL));
        ULONG n = POISON_U32;
        ASSERT_HR(S_OK, IBackgroundCopyJob_GetErrorCount(job, &n));
        ASSERT_U64(1, n);
        /* Each GetError builds a fresh object from the stored error. */
        IBackgroundCopyError *e2 = POISON_PTR;
        ASSERT_HR(S_OK, IBackgroundCopyJob_GetError(job, &e2));
        if (e2 && e2 != POISON_PTR) {
            ASSERT_TRUE((void *)e2 != (void *)e);
            ASSERT_U64(0, release(e2));
        }
        ASSERT_U64(0, release(e));
        e = NULL;
        /* Resume re-arms the job; the error is no longer available. */
        ASSERT_HR(S_OK, IBackgroundCopyJob_Resume(job));
        e2 = POISON_PTR;
        ASSERT_HR(hr_mode(mode, BG_E_ERROR_INFORMATION_UNAVAILABLE),
                  IBackgroundCopyJob_GetError(job, &e2));
        ASSERT_PTR(NULL, e2);
        n = POISON_U32;
        ASSERT_HR(S_OK, IBackgroundCopyJob_GetErrorCount(job, &n));
        ASSERT_U64(1, n);
    }
out:
    release(e);
    fx_close(&fx);
}
BOTH_MODES(get_error)

/* R24: which contexts tie the error to a file and to a protocol. */
static void file_and_protocol_per_context(enum mode mode)
{
    static const struct {
        BG_ERROR_CONTEXT ctx;
        int file;     /* stored file index */
        int has_file; /* GetFile gives it */
        int has_proto;
    } rows[] = {
        {BG_ERROR_CONTEXT_NONE, 0, 0, 0},
        {BG_ERROR_CONTEXT_UNKNOWN, 0, 0, 0},
        {BG_ERROR_CONTEXT_GENERAL_QUEUE_MANAGER, 0, 0, 0},
        {BG_ERROR_CONTEXT_QUEUE_MANAGER_NOTIFICATION, 0, 0, 0},
        {BG_ERROR_CONTEXT_LOCAL_FILE, 0, 1, 0},
        {BG_ERROR_CONTEXT_REMOTE_FILE, 0, 1, 1},
        {BG_ERROR_CONTEXT_GENERAL_TRANSPORT, 0, 1, 1},
        {BG_ERROR_CONTEXT_REMOTE_APPLICATION, 0, 1, 1},
        {BG_ERROR_CONTEXT_REMOTE_FILE, -1, 0, 0},
        {BG_ERROR_CONTEXT_LOCAL_FILE, -1, 0, 0},
    };
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
        char ctxname[48];
        snprintf(ctxname, sizeof ctxname, "context %d file %d", rows[i].ctx,
                 rows[i].file);
        IBackgroundCopyJob *job;
        IBackgroundCopyError *e = planted(&fx, &job, NULL, 0, rows[i].ctx,
                                          E_ACCESSDENIED, rows[i].file);
        if (!e)
            continue;
        IBackgroundCopyFile *f = POISON_PTR;
        HRESULT hr = IBackgroundCopyError_GetFile(e, &f);
        if (rows[i].has_file) {
            ASSERT_HR_AT(ctxname, S_OK, hr);
            if (f && f != POISON_PTR) {
                LPWSTR l = POISON_PTR;
                WCHAR *want = fx_path(&fx, "e0");
                ASSERT_HR(S_OK, IBackgroundCopyFile_GetLocalName(f, &l));
                ASSERT_WSTR(want, l);
                CoTaskMemFree(want);
                if (l != POISON_PTR)
                    CoTaskMemFree(l);
                release(f);
            }
        } else {
            ASSERT_HR_AT(ctxname, hr_mode(mode, BG_E_FILE_NOT_AVAILABLE), hr);
            ASSERT_PTR(NULL, f);
        }
        LPWSTR proto = POISON_PTR;
        hr = IBackgroundCopyError_GetProtocol(e, &proto);
        if (rows[i].has_proto) {
            ASSERT_HR_AT(ctxname, S_OK, hr);
            ASSERT_WSTR(u"http", proto);
            if (proto != POISON_PTR)
                CoTaskMemFree(proto);
        } else {
            ASSERT_HR_AT(ctxname, BG_E_PROTOCOL_NOT_AVAILABLE, hr);
            ASSERT_PTR(NULL, proto);
        }
        release(e);
        IBackgroundCopyJob_Cancel(job);
    }
out:
    fx_close(&fx);
}
BOTH_MODES(file_and_protocol_per_context)

/* R24: a file:// (BITS) remote name gives the protocol "file". */
static void protocol_file(void)
{
    struct fx fx;
    IBackgroundCopyJob *job;
    IBackgroundCopyError *e = NULL;
    if (fx_open(&fx, MODE_BITS))
        goto out;
    e = planted(&fx, &job, "file:///tmp/source.bin", 0,
                BG_ERROR_CONTEXT_REMOTE_FILE, HRESULT_FROM_WIN32(2), 0);
    if (!e)
        goto out;
    LPWSTR proto = POISON_PTR;
    ASSERT_HR(S_OK, IBackgroundCopyError_GetProtocol(e, &proto));
    ASSERT_WSTR(u"file", proto);
    if (proto != POISON_PTR)
        CoTaskMemFree(proto);
    ASSERT_HR(E_INVALIDARG, IBackgroundCopyError_GetProtocol(e, NULL));
    ASSERT_HR(E_INVALIDARG, IBackgroundCopyError_GetFile(e, NULL));
out:
    release(e);
    fx_close(&fx);
}

/* R23: descriptions of the error and of its context. */
static void descriptions(enum mode mode)
{
    struct fx fx;
    IBackgroundCopyJob *job;
    IBackgroundCopyError *e = NULL;
    if (fx_open(&fx, mode))
        goto out;
    e = planted(&fx, &job, NULL, 0, BG_ERROR_CONTEXT_REMOTE_FILE,
                BG_E_HTTP_ERROR_404, 0);
    if (!e)
        goto out;
    static const struct {
        DWORD lang;
        HRESULT hr;
    } rows[] = {
        {0x0409, S_OK},
        {0x0400, S_OK},
        {0x0800, S_OK},
        {0, E_INVALIDARG},
        {0x0407, HRESULT_FROM_WIN32(ERROR_RESOURCE_LANG_NOT_FOUND)},
        {0x040C, HRESULT_FROM_WIN32(ERROR_RESOURCE_LANG_NOT_FOUND)},
    };
    for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
        char ctx[32];
        snprintf(ctx, sizeof ctx, "lang 0x%04x", (unsigned)rows[i].lang);
        for (int which = 0; which < 2; which++) {
            LPWSTR s = POISON_PTR;
            HRESULT hr = which
                             ? IBackgroundCopyError_GetErrorContextDescription(
                                   e, rows[i].lang, &s)
                             : IBackgroundCopyError_GetErrorDescription(
                                   e, rows[i].lang, &s);
            ASSERT_HR_AT(ctx, rows[i].hr, hr);
            if (rows[i].hr == S_OK) {
                ASSERT_NONNULL(s);
                if (s && s != POISON_PTR) {
                    ASSERT_TRUE(wlen(s) > 0);
                    CoTaskMemFree(s);
                }
            } else {
                ASSERT_PTR(NULL, s);
            }
        }
    }
    /* The error's text is the manager's text for the same code. */
    LPWSTR a = NULL, b = NULL;
    ASSERT_HR(S_OK, IBackgroundCopyError_GetErrorDescription(e, 0x0409, &a));
    ASSERT_HR(S_OK, IBackgroundCopyManager_GetErrorDescription(
                        fx.mgr, BG_E_HTTP_ERROR_404, 0x0409, &b));
    ASSERT_WSTR(b, a);
    CoTaskMemFree(a);
    CoTaskMemFree(b);
    ASSERT_HR(E_INVALIDARG,
              IBackgroundCopyError_GetErrorDescription(e, 0x0409, NULL));
    ASSERT_HR(E_INVALIDARG,
              IBackgroundCopyError_GetErrorContextDescription(e, 0x0409, NULL));
out:
    release(e);
    fx_close(&fx);
}
BOTH_MODES(descriptions)

/* An error object keeps answering after its job was cancelled. */
static void outlives_job(enum mode mode)
{
    struct fx fx;
    IBackgroundCopyJob *job;
    IBackgroundCopyError *e = NULL;
    if (fx_open(&fx, mode))
        goto out;
    e = planted(&fx, &job, NULL, 0, BG_ERROR_CONTEXT_LOCAL_FILE, E_ACCESSDENIED,
                0);
    if (!e)
        goto out;
    ASSERT_HR(S_OK, IBackgroundCopyJob_Cancel(job));
    BG_ERROR_CONTEXT ctx = (BG_ERROR_CONTEXT)POISON_U32;
    HRESULT code = (HRESULT)POISON_U32;
    ASSERT_HR(S_OK, IBackgroundCopyError_GetError(e, &ctx, &code));
    ASSERT_U64(BG_ERROR_CONTEXT_LOCAL_FILE, ctx);
    ASSERT_HR(E_ACCESSDENIED, code);
out:
    if (e)
        ASSERT_U64(0, release(e));
    fx_close(&fx);
}
BOTH_MODES(outlives_job)

/* R8: nothing inside the reference holds an error object or the file it
 * gives, so their last client Release returns 0 (as Windows' proxies);
 * the job lives on and GetError makes a fresh object. */
static void release_counts(enum mode mode)
{
    struct fx fx;
    IBackgroundCopyJob *job;
    IBackgroundCopyError *e = NULL;
    IBackgroundCopyFile *f = POISON_PTR;
    if (fx_open(&fx, mode))
        goto out;
    e = planted(&fx, &job, NULL, 0, BG_ERROR_CONTEXT_REMOTE_FILE,
                BG_E_HTTP_ERROR_404, 0);
    if (!e)
        goto out;
    ASSERT_U64(2, IBackgroundCopyError_AddRef(e));
    ASSERT_U64(1, IBackgroundCopyError_Release(e));
    ASSERT_HR(S_OK, IBackgroundCopyError_GetFile(e, &f));
    if (f && f != POISON_PTR) {
        ASSERT_U64(2, IBackgroundCopyFile_AddRef(f));
        ASSERT_U64(1, IBackgroundCopyFile_Release(f));
        ASSERT_U64(0, IBackgroundCopyFile_Release(f));
    }
    ASSERT_U64(0, IBackgroundCopyError_Release(e));
    e = NULL;
    ASSERT_U64(BG_JOB_STATE_ERROR, job_state(job));
    ASSERT_HR(S_OK, IBackgroundCopyJob_GetError(job, &e));
    if (e)
        ASSERT_U64(1, refcount(e));
out:
    if (e)
        ASSERT_U64(0, release(e));
    fx_close(&fx);
}
BOTH_MODES(release_counts)

CU_TestInfo tests_error[] = {
    BOTH_INFO(get_error),
    BOTH_INFO(file_and_protocol_per_context),
    {"protocol_file [bits]", protocol_file},
    BOTH_INFO(descriptions),
    BOTH_INFO(outlives_job),
    BOTH_INFO(release_counts),
    CU_TEST_INFO_NULL,
};
