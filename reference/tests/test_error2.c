/*
 * IBackgroundCopyError::GetErrorContextDescription for every
 * BG_ERROR_CONTEXT value (decisions R23; spec behavior.md 3.6): the text is
 * the message of the context's BG_E_ERROR_CONTEXT_* code, the same text
 * the manager's GetErrorDescription gives for that code, and an unknown
 * context reads as BG_E_ERROR_CONTEXT_UNKNOWN.  Also the manager's texts
 * for the codes the message table does not hold: a redirect refused by
 * the job's redirect policy (HRESULT_FROM_WIN32 of the 3xx status, E1)
 * and an unknown code.  Both modes.
 */
#include "support.h"

#include <docom.h>

static const struct {
    const char *name;
    BG_ERROR_CONTEXT ctx;
    HRESULT code; /* the context's message id */
    const WCHAR *text;
} ctx_rows[] = {
    {"NONE", BG_ERROR_CONTEXT_NONE, BG_S_ERROR_CONTEXT_NONE,
     u"An error has not occurred."},
    {"UNKNOWN", BG_ERROR_CONTEXT_UNKNOWN, BG_E_ERROR_CONTEXT_UNKNOWN,
     u"The error occurred in an unknown location."},
    {"GENERAL_QUEUE_MANAGER", BG_ERROR_CONTEXT_GENERAL_QUEUE_MANAGER,
     BG_E_ERROR_CONTEXT_GENERAL_QUEUE_MANAGER,
     u"The error occurred in the transfer queue manager."},
    {"QUEUE_MANAGER_NOTIFICATION", BG_ERROR_CONTEXT_QUEUE_MANAGER_NOTIFICATION,
     BG_E_ERROR_CONTEXT_QUEUE_MANAGER_NOTIFICATION,
     u"The error occurred while the notification callback was being "
     u"processed."},
    {"LOCAL_FILE", BG_ERROR_CONTEXT_LOCAL_FILE, BG_E_ERROR_CONTEXT_LOCAL_FILE,
     u"The error occurred while the local file was being processed. Verify "
     u"that the file is not in use, and then try again."},
    {"REMOTE_FILE", BG_ERROR_CONTEXT_REMOTE_FILE,
     BG_E_ERROR_CONTEXT_REMOTE_FILE,
     u"The error occurred while the remote file was being processed."},
    {"GENERAL_TRANSPORT", BG_ERROR_CONTEXT_GENERAL_TRANSPORT,
     BG_E_ERROR_CONTEXT_GENERAL_TRANSPORT,
     u"The error occurred in the transport layer. The client could not "
     u"connect to the server."},
    {"REMOTE_APPLICATION", BG_ERROR_CONTEXT_REMOTE_APPLICATION,
     BG_E_ERROR_CONTEXT_REMOTE_APPLICATION,
     u"The error was reported by the server application."},
    {"SERVER_CERTIFICATE_CALLBACK",
     BG_ERROR_CONTEXT_SERVER_CERTIFICATE_CALLBACK,
     BG_E_ERROR_CONTEXT_SERVER_CERTIFICATE_CALLBACK,
     u"The error occurred in the server certificate validation callback."},
    {"out of range (42)", (BG_ERROR_CONTEXT)42, BG_E_ERROR_CONTEXT_UNKNOWN,
     u"The error occurred in an unknown location."},
};

static void context_texts(enum mode mode)
{
    struct fx fx;
    if (fx_open(&fx, mode))
        return;
    for (size_t i = 0; i < ARRAY_LEN(ctx_rows); i++) {
        const char *name = ctx_rows[i].name;
        IBackgroundCopyJob *job = fx_job(&fx, 1);
        if (!job)
            break;
        if (plant_error(job, 0, ctx_rows[i].ctx, E_FAIL, -1)) {
            t_check(0, __LINE__, __FILE__, "[%s] could not plant", name);
            continue;
        }
        IBackgroundCopyError *e = POISON_PTR;
        ASSERT_HR_AT(name, S_OK, IBackgroundCopyJob_GetError(job, &e));
        if (!e || e == POISON_PTR)
            continue;
        BG_ERROR_CONTEXT got = (BG_ERROR_CONTEXT)POISON_U32;
        HRESULT code = (HRESULT)POISON_U32;
        ASSERT_HR_AT(name, S_OK, IBackgroundCopyError_GetError(e, &got, &code));
        ASSERT_U64_AT(name, ctx_rows[i].ctx, got);
        ASSERT_HR_AT(name, E_FAIL, code);
        LPWSTR s = POISON_PTR, m = POISON_PTR;
        ASSERT_HR_AT(name, S_OK,
                     IBackgroundCopyError_GetErrorContextDescription(
                         e, MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US), &s));
        ASSERT_HR_AT(name, S_OK,
                     IBackgroundCopyManager_GetErrorDescription(
                         fx.mgr, ctx_rows[i].code,
                         MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US), &m));
        if (s != POISON_PTR)
            ASSERT_WSTR(ctx_rows[i].text, s);
        if (m != POISON_PTR)
            ASSERT_WSTR(ctx_rows[i].text, m);
        /* LanguageId 0 is refused here (R23), unlike the manager. */
        LPWSTR z = POISON_PTR;
        ASSERT_HR_AT(name, E_INVALIDARG,
                     IBackgroundCopyError_GetErrorContextDescription(e, 0, &z));
        ASSERT_PTR(NULL, z);
        if (s != POISON_PTR)
            CoTaskMemFree(s);
        if (m != POISON_PTR)
            CoTaskMemFree(m);
        release(e);
    }
    fx_close(&fx);
}
BOTH_MODES(context_texts)

static const struct {
    HRESULT hr;
    const WCHAR *text;
} fallback_rows[] = {
    {HRESULT_FROM_WIN32(301),
     u"The server redirected the request (HTTP status 301) and the job's "
     u"redirect policy does not allow it."},
    {HRESULT_FROM_WIN32(307),
     u"The server redirected the request (HTTP status 307) and the job's "
     u"redirect policy does not allow it."},
    {(HRESULT)0x80190259, u"The server returned HTTP status 601."},
    {(HRESULT)0x8badf00d, u"Unknown error (0x8BADF00D)."},
    {HRESULT_FROM_WIN32(400), u"Unknown error (0x80070190)."},
};

static void fallback_texts(enum mode mode)
{
    struct fx fx;
    if (fx_open(&fx, mode))
        return;
    for (size_t i = 0; i < ARRAY_LEN(fallback_rows); i++) {
        char ctx[32];
        LPWSTR s = POISON_PTR;
        snprintf(ctx, sizeof ctx, "0x%08X", (unsigned)fallback_rows[i].hr);
        ASSERT_HR_AT(ctx, S_OK,
                     IBackgroundCopyManager_GetErrorDescription(
                         fx.mgr, fallback_rows[i].hr, 0, &s));
        if (s != POISON_PTR) {
            ASSERT_WSTR(fallback_rows[i].text, s);
            CoTaskMemFree(s);
        }
    }
    fx_close(&fx);
}
BOTH_MODES(fallback_texts)

CU_TestInfo tests_error2[] = {
    BOTH_INFO(context_texts),
    BOTH_INFO(fallback_texts),
    CU_TEST_INFO_NULL,
};
