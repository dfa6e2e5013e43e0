/*
 * IDeliveryOptimizationFile2 Get/SetProperty (decisions R31; types.md
 * 5.5): write-only, readable and not-set properties, VARIANT types, the
 * sink rules, unknown ids and state rules, in DO mode.
 */
#include "test_do.h"

#include <docom.h>

static IDeliveryOptimizationFile2 *file2_of(IBackgroundCopyJob *job, ULONG i)
{
    IBackgroundCopyFile *f = job_file(job, i);
    if (!f)
        return NULL;
    IDeliveryOptimizationFile2 *df = qi(f, &IID_IDeliveryOptimizationFile2);
    release(f);
    return df;
}

static HRESULT get(IDeliveryOptimizationFile2 *f, int id, VARIANT *v)
{
    memset(v, 0xCD, sizeof *v);
    return IDeliveryOptimizationFile2_GetProperty(f, (DOFilePropertyId)id, v);
}

static HRESULT set_bstr(IDeliveryOptimizationFile2 *f, int id, const WCHAR *s)
{
    VARIANT v;
    VariantInit(&v);
    V_VT(&v) = VT_BSTR;
    V_BSTR(&v) = SysAllocString(s);
    HRESULT hr =
        IDeliveryOptimizationFile2_SetProperty(f, (DOFilePropertyId)id, &v);
    VariantClear(&v);
    return hr;
}

static HRESULT set_bool(IDeliveryOptimizationFile2 *f, int id, VARIANT_BOOL b)
{
    VARIANT v;
    VariantInit(&v);
    V_VT(&v) = VT_BOOL;
    V_BOOL(&v) = b;
    return IDeliveryOptimizationFile2_SetProperty(f, (DOFilePropertyId)id, &v);
}

static void get_set(void)
{
    struct fx fx;
    IBackgroundCopyJob *job = NULL;
    IDeliveryOptimizationJob *j = NULL;
    IDeliveryOptimizationFile2 *f = NULL, *g = NULL;
    if (fx_open(&fx, MODE_DO) || !(j = do_job(&fx, &job)))
        goto out;
    ASSERT_HR(S_OK, do_add(&fx, j, u"a", "a", 777));
    ASSERT_HR(S_OK, do_add(&fx, j, u"b", "b", DO_UNKNOWN_FILE_SIZE));
    if (!(f = file2_of(job, 0)) || !(g = file2_of(job, 1)))
        goto out;
    VARIANT v;
    /* Write-only. */
    ASSERT_HR(DO_E_WRITE_ONLY_PROPERTY,
              get(f, DOFilePropertyId_DecryptionInfo, &v));
    ASSERT_U64(VT_EMPTY, V_VT(&v));
    ASSERT_HR(DO_E_WRITE_ONLY_PROPERTY,
              get(f, DOFilePropertyId_IntegrityCheckInfo, &v));
    ASSERT_U64(VT_EMPTY, V_VT(&v));
    ASSERT_HR(S_OK, set_bstr(f, DOFilePropertyId_DecryptionInfo, u"{}"));
    ASSERT_HR(S_OK, set_bstr(f, DOFilePropertyId_IntegrityCheckInfo,
                             u"{\"PiecesHashFileUrl\":\"http://h/phf\"}"));
    /* Not set until set. */
    ASSERT_HR(E_NOT_SET, get(f, DOFilePropertyId_IntegrityCheckMandatory, &v));
    ASSERT_U64(VT_EMPTY, V_VT(&v));
    ASSERT_HR(S_OK, set_bool(f, DOFilePropertyId_IntegrityCheckMandatory,
                             VARIANT_TRUE));
    ASSERT_HR(S_OK, get(f, DOFilePropertyId_IntegrityCheckMandatory, &v));
    ASSERT_U64(VT_BOOL, V_VT(&v));
    ASSERT_U64((uint16_t)VARIANT_TRUE, (uint16_t)V_BOOL(&v));
    VariantClear(&v);
    /* A file added with a local name has its sink path set. */
    ASSERT_HR(S_OK, get(f, DOFilePropertyId_DownloadSinkFilePath, &v));
    ASSERT_U64(VT_BSTR, V_VT(&v));
    if (V_VT(&v) == VT_BSTR) {
        WCHAR *want = fx_path(&fx, "a");
        ASSERT_WSTR(want, V_BSTR(&v));
        CoTaskMemFree(want);
    }
    VariantClear(&v);
    /* A known size counts as set. */
    ASSERT_HR(S_OK, get(f, DOFilePropertyId_TotalSizeBytes, &v));
    ASSERT_U64(VT_UI8, V_VT(&v));
    ASSERT_U64(777, V_UI8(&v));
    ASSERT_HR(E_NOT_SET, get(g, DOFilePropertyId_TotalSizeBytes, &v));
    ASSERT_U64(VT_EMPTY, V_VT(&v));
    /* No sink interface on a file with a path sink. */
    ASSERT_HR(E_NOT_SET, get(f, DOFilePropertyId_DownloadSinkInterface, &v));
    /* Memory streams are not supported. */
    ASSERT_HR(DO_E_MEMORYSTREAM_DOWNLOAD_NOT_SUPPORTED,
              get(f, DOFilePropertyId_DownloadSinkMemoryStream, &v));
    ASSERT_HR(
        DO_E_MEMORYSTREAM_DOWNLOAD_NOT_SUPPORTED,
        set_bool(f, DOFilePropertyId_DownloadSinkMemoryStream, VARIANT_TRUE));
    /* One kind of sink at a time. */
    struct fake sink;
    fake_init(&sink, 0);
    VARIANT u;
    VariantInit(&u);
    V_VT(&u) = VT_UNKNOWN;
    V_UNKNOWN(&u) = fake_unknown(&sink);
    ASSERT_HR(DO_E_FILE_DOWNLOADSINK_ALREADY_SET,
              IDeliveryOptimizationFile2_SetProperty(
                  f, DOFilePropertyId_DownloadSinkInterface, &u));
    ASSERT_U64(1, fake_refs(&sink));
    /* Unknown ids, wrong types, NULLs. */
    static const int unknown[] = {7, 100, -1};
    for (size_t i = 0; i < ARRAY_LEN(unknown); i++) {
        ASSERT_HR(DO_E_UNKNOWN_PROPERTY_ID, get(f, unknown[i], &v));
        ASSERT_HR(DO_E_UNKNOWN_PROPERTY_ID, set_bool(f, unknown[i], 0));
    }
    ASSERT_HR(E_INVALIDARG,
              set_bool(f, DOFilePropertyId_DownloadSinkFilePath, VARIANT_TRUE));
    ASSERT_HR(E_INVALIDARG,
              set_bstr(f, DOFilePropertyId_IntegrityCheckMandatory, u"yes"));
    ASSERT_HR(E_INVALIDARG, IDeliveryOptimizationFile2_SetProperty(
                                f, DOFilePropertyId_TotalSizeBytes, NULL));
    ASSERT_HR(E_INVALIDARG, IDeliveryOptimizationFile2_GetProperty(
                                f, DOFilePropertyId_TotalSizeBytes, NULL));
    /* Setting the path sink round-trips. */
    WCHAR *p2 = fx_path(&fx, "a2");
    ASSERT_HR(S_OK, set_bstr(f, DOFilePropertyId_DownloadSinkFilePath, p2));
    ASSERT_HR(S_OK, get(f, DOFilePropertyId_DownloadSinkFilePath, &v));
    if (V_VT(&v) == VT_BSTR)
        ASSERT_WSTR(p2, V_BSTR(&v));
    VariantClear(&v);
    /* While queued the sink cannot change; other properties can. */
    ASSERT_HR(S_OK, IBackgroundCopyJob_Resume(job));
    ASSERT_HR(DO_E_INVALID_STATE,
              set_bstr(f, DOFilePropertyId_DownloadSinkFilePath, p2));
    ASSERT_HR(S_OK, set_bool(f, DOFilePropertyId_IntegrityCheckMandatory,
                             VARIANT_FALSE));
    /* Final: nothing changes. */
    ASSERT_HR(S_OK, IBackgroundCopyJob_Cancel(job));
    ASSERT_HR(
        DO_E_INVALID_STATE,
        set_bool(f, DOFilePropertyId_IntegrityCheckMandatory, VARIANT_TRUE));
    ASSERT_HR(S_OK, get(f, DOFilePropertyId_IntegrityCheckMandatory, &v));
    ASSERT_U64((uint16_t)VARIANT_FALSE, (uint16_t)V_BOOL(&v));
    CoTaskMemFree(p2);
out:
    release(f);
    release(g);
    release(j);
    fx_close(&fx);
}

/* A Job2::AddFile file has no sink until one is set; an interface sink
 * is held (AddRef'd) and returned. */
static void interface_sink(void)
{
    struct fx fx;
    struct fake sink;
    fake_init(&sink, 0);
    IBackgroundCopyJob *job = fx_open(&fx, MODE_DO) ? NULL : fx_job(&fx, 0);
    IDeliveryOptimizationJob2 *j =
        job ? qi(job, &IID_IDeliveryOptimizationJob2) : NULL;
    IDeliveryOptimizationFile2 *f = NULL;
    if (!j)
        goto out;
    WCHAR *u = fx_url("s");
    ASSERT_HR(S_OK, IDeliveryOptimizationJob2_AddFile(
                        j, u"s", u, 0, NULL, &IID_IDeliveryOptimizationFile2,
                        (void **)&f));
    CoTaskMemFree(u);
    if (!f)
        goto out;
    VARIANT v;
    ASSERT_HR(E_NOT_SET, get(f, DOFilePropertyId_DownloadSinkFilePath, &v));
    ASSERT_HR(E_NOT_SET, get(f, DOFilePropertyId_DownloadSinkInterface, &v));
    VARIANT in;
    VariantInit(&in);
    V_VT(&in) = VT_UNKNOWN;
    V_UNKNOWN(&in) = fake_unknown(&sink);
    ASSERT_HR(S_OK, IDeliveryOptimizationFile2_SetProperty(
                        f, DOFilePropertyId_DownloadSinkInterface, &in));
    ASSERT_TRUE(fake_refs(&sink) >= 2);
    ASSERT_HR(S_OK, get(f, DOFilePropertyId_DownloadSinkInterface, &v));
    ASSERT_U64(VT_UNKNOWN, V_VT(&v));
    if (V_VT(&v) == VT_UNKNOWN)
        ASSERT_PTR(fake_unknown(&sink), V_UNKNOWN(&v));
    VariantClear(&v);
    WCHAR *p = fx_path(&fx, "s");
    ASSERT_HR(DO_E_FILE_DOWNLOADSINK_ALREADY_SET,
              set_bstr(f, DOFilePropertyId_DownloadSinkFilePath, p));
    CoTaskMemFree(p);
out:
    release(f);
    release(j);
    fx_close(&fx);
    ASSERT_U64(1, fake_refs(&sink));
}

CU_TestInfo tests_do_file2[] = {
    {"get_set [do]", get_set},
    {"interface_sink [do]", interface_sink},
    CU_TEST_INFO_NULL,
};
