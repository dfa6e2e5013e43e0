/*
 * IDeliveryOptimizationJob2 (decisions R30, R11; checklist DOJ-05):
 * AddFile returning the file object for a requested IID, files without a
 * sink or URL blocking Resume, GetProperty(ExtendedErrorInfo) and the
 * read-only / unknown ids of SetProperty.
 */
#include "test_do.h"

#include <docom.h>

static IDeliveryOptimizationJob2 *do_job2(struct fx *fx,
                                          IBackgroundCopyJob **job)
{
    *job = fx_job(fx, 0);
    return *job ? qi(*job, &IID_IDeliveryOptimizationJob2) : NULL;
}

static void add_file(void)
{
    struct fx fx;
    IBackgroundCopyJob *job = NULL;
    IDeliveryOptimizationJob2 *j = NULL;
    if (fx_open(&fx, MODE_DO) || !(j = do_job2(&fx, &job)))
        goto out;
    void *obj = POISON_PTR;
    WCHAR *u = fx_url("a");
    ASSERT_HR(S_OK,
              IDeliveryOptimizationJob2_AddFile(
                  j, u"a", u, 0, NULL, &IID_IDeliveryOptimizationFile, &obj));
    ASSERT_NONNULL(obj);
    if (obj && obj != POISON_PTR) {
        /* The object is the job's file: same record as EnumFiles gives. */
        IBackgroundCopyFile *bf = qi(obj, &IID_IBackgroundCopyFile);
        if (bf) {
            LPWSTR r = POISON_PTR;
            ASSERT_HR(S_OK, IBackgroundCopyFile_GetRemoteName(bf, &r));
            ASSERT_WSTR(u, r);
            if (r != POISON_PTR)
                CoTaskMemFree(r);
            release(bf);
        }
        release(obj);
    }
    ASSERT_U64(1, job_file_count(job));
    /* Another interface of the file object is fine too. */
    obj = POISON_PTR;
    ASSERT_HR(S_OK, IDeliveryOptimizationJob2_AddFile(
                        j, u"b", NULL, 0, NULL, &IID_IDeliveryOptimizationFile2,
                        &obj));
    if (obj && obj != POISON_PTR)
        release(obj);
    /* Refused: nothing added, out NULL. */
    static const struct {
        const char *name;
        const WCHAR *id;
        int url_kind; /* 0 NULL, 1 good, 2 bad */
        DWORD count;
        int null_ranges;
        const IID *iid;
        int null_out;
        HRESULT hr;
    } rows[] = {
        {"job IID", u"c", 1, 0, 0, &IID_IBackgroundCopyJob, 0, E_NOINTERFACE},
        {"NULL object", u"c", 1, 0, 0, &IID_IDeliveryOptimizationFile, 1,
         E_INVALIDARG},
        {"NULL id", NULL, 1, 0, 0, &IID_IDeliveryOptimizationFile, 0,
         E_INVALIDARG},
        {"empty id", u"", 1, 0, 0, &IID_IDeliveryOptimizationFile, 0,
         E_INVALIDARG},
        {"duplicate id", u"a", 1, 0, 0, &IID_IDeliveryOptimizationFile, 0,
         E_INVALIDARG},
        {"ftp URL", u"c", 2, 0, 0, &IID_IDeliveryOptimizationFile, 0,
         E_INVALIDARG},
        {"count without ranges", u"c", 1, 1, 1, &IID_IDeliveryOptimizationFile,
         0, E_INVALIDARG},
    };
    for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
        obj = POISON_PTR;
        const WCHAR *url = rows[i].url_kind == 0   ? NULL
                           : rows[i].url_kind == 1 ? u
                                                   : u"ftp://h/x";
        BG_FILE_RANGE r = {0, 1};
        ASSERT_HR_AT(rows[i].name, rows[i].hr,
                     IDeliveryOptimizationJob2_AddFile(
                         j, rows[i].id, url, rows[i].count,
                         rows[i].null_ranges ? NULL : &r, rows[i].iid,
                         rows[i].null_out ? NULL : &obj));
        if (!rows[i].null_out)
            ASSERT_PTR(NULL, obj);
    }
    ASSERT_U64(2, job_file_count(job));
    CoTaskMemFree(u);
out:
    release(j);
    fx_close(&fx);
}

/* R11: a file without a local sink, or without a URL, blocks Resume. */
static void resume_needs_sink_and_uri(void)
{
    struct fx fx;
    IBackgroundCopyJob *job = NULL;
    IDeliveryOptimizationJob2 *j = NULL;
    if (fx_open(&fx, MODE_DO) || !(j = do_job2(&fx, &job)))
        goto out;
    IDeliveryOptimizationFile2 *f = NULL;
    WCHAR *u = fx_url("a");
    ASSERT_HR(S_OK, IDeliveryOptimizationJob2_AddFile(
                        j, u"a", u, 0, NULL, &IID_IDeliveryOptimizationFile2,
                        (void **)&f));
    ASSERT_HR(DO_E_FILE_DOWNLOADSINK_UNSPECIFIED,
              IBackgroundCopyJob_Resume(job));
    ASSERT_U64(BG_JOB_STATE_SUSPENDED, job_state(job));
    if (f) {
        VARIANT v;
        VariantInit(&v);
        V_VT(&v) = VT_BSTR;
        WCHAR *p = fx_path(&fx, "a");
        V_BSTR(&v) = SysAllocString(p);
        ASSERT_HR(S_OK, IDeliveryOptimizationFile2_SetProperty(
                            f, DOFilePropertyId_DownloadSinkFilePath, &v));
        VariantClear(&v);
        CoTaskMemFree(p);
        release(f);
    }
    /* A second file without a URL. */
    void *obj = NULL;
    ASSERT_HR(S_OK, IDeliveryOptimizationJob2_AddFile(
                        j, u"b", NULL, 0, NULL, &IID_IDeliveryOptimizationFile2,
                        &obj));
    if (obj) {
        VARIANT v;
        VariantInit(&v);
        V_VT(&v) = VT_BSTR;
        WCHAR *p = fx_path(&fx, "b");
        V_BSTR(&v) = SysAllocString(p);
        ASSERT_HR(S_OK, IDeliveryOptimizationFile2_SetProperty(
                            (IDeliveryOptimizationFile2 *)obj,
                            DOFilePropertyId_DownloadSinkFilePath, &v));
        VariantClear(&v);
        CoTaskMemFree(p);
        release(obj);
    }
    ASSERT_HR(DO_E_DOWNLOAD_NO_URI, IBackgroundCopyJob_Resume(job));
    ASSERT_U64(BG_JOB_STATE_SUSPENDED, job_state(job));
    CoTaskMemFree(u);
out:
    release(j);
    fx_close(&fx);
}

static void properties(void)
{
    struct fx fx;
    IBackgroundCopyJob *job = NULL;
    IDeliveryOptimizationJob2 *j = NULL;
    if (fx_open(&fx, MODE_DO) || !(j = do_job2(&fx, &job)))
        goto out;
    VARIANT v;
    memset(&v, 0xCD, sizeof v);
    ASSERT_HR(S_OK, IDeliveryOptimizationJob2_GetProperty(
                        j, DOJobPropertyId_ExtendedErrorInfo, &v));
    ASSERT_U64(VT_BSTR, V_VT(&v));
    if (V_VT(&v) == VT_BSTR)
        ASSERT_WSTR(u"", V_BSTR(&v));
    VariantClear(&v);

    memset(&v, 0xCD, sizeof v);
    ASSERT_HR(DO_E_UNKNOWN_PROPERTY_ID,
              IDeliveryOptimizationJob2_GetProperty(j, (DOJobPropertyId)1, &v));
    ASSERT_U64(VT_EMPTY, V_VT(&v));
    ASSERT_HR(E_INVALIDARG, IDeliveryOptimizationJob2_GetProperty(
                                j, DOJobPropertyId_ExtendedErrorInfo, NULL));

    VariantInit(&v);
    V_VT(&v) = VT_BSTR;
    V_BSTR(&v) = SysAllocString(u"x");
    ASSERT_HR(DO_E_READ_ONLY_PROPERTY,
              IDeliveryOptimizationJob2_SetProperty(
                  j, DOJobPropertyId_ExtendedErrorInfo, &v));
    ASSERT_HR(DO_E_UNKNOWN_PROPERTY_ID,
              IDeliveryOptimizationJob2_SetProperty(j, (DOJobPropertyId)7, &v));
    VariantClear(&v);

    /* With a stored error: its English text. */
    ASSERT_HR(S_OK, fx_add(&fx, job, "e"));
    if (!plant_error(job, 0, BG_ERROR_CONTEXT_REMOTE_FILE, BG_E_HTTP_ERROR_404,
                     0)) {
        memset(&v, 0xCD, sizeof v);
        ASSERT_HR(S_OK, IDeliveryOptimizationJob2_GetProperty(
                            j, DOJobPropertyId_ExtendedErrorInfo, &v));
        ASSERT_U64(VT_BSTR, V_VT(&v));
        if (V_VT(&v) == VT_BSTR) {
            LPWSTR text = NULL;
            ASSERT_HR(S_OK, IBackgroundCopyManager_GetErrorDescription(
                                fx.mgr, BG_E_HTTP_ERROR_404, 0x0409, &text));
            ASSERT_WSTR(text, V_BSTR(&v));
            CoTaskMemFree(text);
        }
        VariantClear(&v);
    } else {
        t_check(0, __LINE__, __FILE__, "could not plant an error");
    }
out:
    release(j);
    fx_close(&fx);
}

CU_TestInfo tests_do_job2[] = {
    {"add_file [do]", add_file},
    {"resume_needs_sink_and_uri [do]", resume_needs_sink_and_uri},
    {"properties [do]", properties},
    CU_TEST_INFO_NULL,
};
