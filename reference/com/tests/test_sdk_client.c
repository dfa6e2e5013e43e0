/*
 * test_sdk_client.c - runs sdk_client.c against fake objects whose
 * vtables record every call, to prove the COBJMACROS call macros reach the
 * right slots with the right arguments (including the by-value union of
 * IBackgroundCopyJob5::SetProperty and a VARIANT through IDODownload).
 */
#include <string.h>

#define COBJMACROS
#include "com_test.h"
#include "sdk_client.h"

static char trace[512];

static void note(const char *what)
{
    if (trace[0])
        strcat(trace, " ");
    strcat(trace, what);
}

/* ---- a fake job (one object answering Job and Job5) ---------------- */

static IBackgroundCopyJob5 fake_job;
static int job_refs;

static HRESULT STDMETHODCALLTYPE job_QueryInterface(IBackgroundCopyJob5 *This,
                                                    REFIID riid, void **ppv)
{
    note(IsEqualIID(riid, &IID_IBackgroundCopyJob5) ? "QI(Job5)" : "QI(?)");
    *ppv = This;
    job_refs++;
    return S_OK;
}

static ULONG STDMETHODCALLTYPE job_AddRef(IBackgroundCopyJob5 *This)
{
    return (ULONG)++job_refs;
}

static ULONG STDMETHODCALLTYPE job_Release(IBackgroundCopyJob5 *This)
{
    note("Release");
    return (ULONG)--job_refs;
}

static HRESULT STDMETHODCALLTYPE job_AddFile(IBackgroundCopyJob5 *This,
                                             LPCWSTR remote, LPCWSTR local)
{
    note(!docom_wcscmp(remote, u"http://127.0.0.1/a.bin") &&
                 !docom_wcscmp(local, u"/tmp/a.bin")
             ? "AddFile"
             : "AddFile(bad args)");
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE job_Resume(IBackgroundCopyJob5 *This)
{
    note("Resume");
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE job_SetProperty(IBackgroundCopyJob5 *This,
                                                 BITS_JOB_PROPERTY_ID id,
                                                 BITS_JOB_PROPERTY_VALUE v)
{
    char buf[64];

    snprintf(buf, sizeof(buf), "SetProperty(%d,0x%X)", (int)id, v.Dword);
    note(buf);
    return S_OK;
}

/* Only the slots the client uses; the others stay NULL. */
static const IBackgroundCopyJob5Vtbl job_vtbl = {
    .QueryInterface = job_QueryInterface,
    .AddRef = job_AddRef,
    .Release = job_Release,
    .AddFile = job_AddFile,
    .Resume = job_Resume,
    .SetProperty = job_SetProperty,
};
static IBackgroundCopyJob5 fake_job = {&job_vtbl};

static HRESULT STDMETHODCALLTYPE mgr_CreateJob(IBackgroundCopyManager *This,
                                               LPCWSTR name, BG_JOB_TYPE type,
                                               GUID *id,
                                               IBackgroundCopyJob **job)
{
    note(!docom_wcscmp(name, u"sdk client") && type == BG_JOB_TYPE_DOWNLOAD
             ? "CreateJob"
             : "CreateJob(bad args)");
    memset(id, 0x11, sizeof(*id));
    *job = (IBackgroundCopyJob *)&fake_job;
    job_refs++;
    return S_OK;
}

static const IBackgroundCopyManagerVtbl mgr_vtbl = {
    .CreateJob = mgr_CreateJob,
};

/* ---- a fake DO manager and download --------------------------------- */

static int dl_refs;

static ULONG STDMETHODCALLTYPE dl_Release(IDODownload *This)
{
    note("Release");
    return (ULONG)--dl_refs;
}

static HRESULT STDMETHODCALLTYPE dl_SetProperty(IDODownload *This,
                                                DODownloadProperty id,
                                                const VARIANT *v)
{
    char buf[96];

    if (V_VT(v) == VT_BSTR)
        snprintf(buf, sizeof(buf), "SetProperty(%d,BSTR:%u)", (int)id,
                 SysStringLen(V_BSTR(v)));
    else
        snprintf(buf, sizeof(buf), "SetProperty(%d,vt=%u,%d)", (int)id, V_VT(v),
                 V_BOOL(v));
    note(buf);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE dl_Start(IDODownload *This,
                                          const DO_DOWNLOAD_RANGES_INFO *r)
{
    note(r ? "Start(ranges)" : "Start(NULL)");
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE dl_GetStatus(IDODownload *This,
                                              DO_DOWNLOAD_STATUS *s)
{
    note("GetStatus");
    s->BytesTotal = 100;
    s->BytesTransferred = 0;
    s->State = DODownloadState_Transferring;
    s->Error = S_OK;
    s->ExtendedError = S_OK;
    return S_OK;
}

static const IDODownloadVtbl dl_vtbl = {
    .Release = dl_Release,
    .Start = dl_Start,
    .GetStatus = dl_GetStatus,
    .SetProperty = dl_SetProperty,
};
static IDODownload fake_dl = {&dl_vtbl};

static HRESULT STDMETHODCALLTYPE dom_CreateDownload(IDOManager *This,
                                                    IDODownload **out)
{
    note("CreateDownload");
    dl_refs++;
    *out = &fake_dl;
    return S_OK;
}

static const IDOManagerVtbl dom_vtbl = {
    .CreateDownload = dom_CreateDownload,
};

static void test_bits_client(void)
{
    IBackgroundCopyManager mgr = {&mgr_vtbl};

    trace[0] = 0;
    job_refs = 0;
    ASSERT_HR(S_OK, sdk_client_bits(&mgr));
    CU_ASSERT_STRING_EQUAL(trace, "CreateJob AddFile QI(Job5) "
                                  "SetProperty(1,0x800000FF) Release "
                                  "Resume Release");
    ASSERT_EQ(0, job_refs);
}

static void test_do_client(void)
{
    IDOManager mgr = {&dom_vtbl};
    DO_DOWNLOAD_STATUS st;

    trace[0] = 0;
    dl_refs = 0;
    memset(&st, 0xCC, sizeof(st));
    ASSERT_HR(S_OK, sdk_client_do(&mgr, &st));
    CU_ASSERT_STRING_EQUAL(trace, "CreateDownload SetProperty(1,BSTR:22) "
                                  "SetProperty(11,vt=11,-1) Start(NULL) "
                                  "GetStatus Release");
    ASSERT_EQ(0, dl_refs);
    ASSERT_EQ(100, st.BytesTotal);
    ASSERT_EQ(DODownloadState_Transferring, st.State);
}

CU_TestInfo sdk_client_tests[] = {
    {"SDK-style BITS client through the macros", test_bits_client},
    {"SDK-style DO client through the macros", test_do_client},
    CU_TEST_INFO_NULL,
};
