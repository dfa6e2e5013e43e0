/*
 * test_manager.c - IDOManager (CreateDownload, EnumDownloads) and the
 * IEnumUnknown it returns (spec interfaces.md §8, §14; behavior.md §9.6;
 * decisions DO-16).
 */
#include "do_test.h"

#include <bits.h>

static void identity_and_modes(void)
{
    IDOManager *m = dt_manager(), *m2 = NULL;
    IUnknown *u1 = NULL, *u2 = NULL;
    IBackgroundCopyManager *bm = NULL;
    IClassFactory *cf = NULL;
    IDoctsTestClock *c = dt_clock(m);

    DT_EQ_HR(IDOManager_CreateDownload(m, NULL), E_INVALIDARG);
    DT_EQ_HR(IDOManager_QueryInterface(m, &IID_IUnknown, (void **)&u1), S_OK);
    DT_EQ_HR(
        IDOManager_QueryInterface(m, &IID_IBackgroundCopyManager, (void **)&bm),
        S_OK);
    DT_EQ_HR(
        IBackgroundCopyManager_QueryInterface(bm, &IID_IUnknown, (void **)&u2),
        S_OK);
    CU_ASSERT_PTR_EQUAL(u1, u2); /* one COM identity */
    DT_EQ_HR(IBackgroundCopyManager_QueryInterface(bm, &IID_IDOManager,
                                                   (void **)&m2),
             S_OK);
    IDOManager_Release(m2);
    IUnknown_Release(u1);
    IUnknown_Release(u2);
    IBackgroundCopyManager_Release(bm);
    IDoctsTestClock_Release(c);
    /* BITS mode has no IDOManager */
    DT_EQ_HR(DllGetClassObject(&CLSID_BackgroundCopyManager, &IID_IClassFactory,
                               (void **)&cf),
             S_OK);
    m2 = (IDOManager *)0x1;
    DT_EQ_HR(
        IClassFactory_CreateInstance(cf, NULL, &IID_IDOManager, (void **)&m2),
        E_NOINTERFACE);
    CU_ASSERT_PTR_NULL(m2);
    IClassFactory_Release(cf);
    IDOManager_Release(m);
}

static void enum_all(void)
{
    IDOManager *m = dt_manager();
    IEnumUnknown *e = (IEnumUnknown *)0x1, *e2 = NULL;
    IDODownload *d[3];
    IUnknown *u[5];
    ULONG got = 77;

    DT_EQ_HR(IDOManager_EnumDownloads(m, NULL, &e), DO_E_NO_DOWNLOADS);
    CU_ASSERT_PTR_NULL(e);
    DT_EQ_HR(IDOManager_EnumDownloads(m, NULL, NULL), E_INVALIDARG);
    for (int i = 0; i < 3; i++)
        d[i] = dt_create(m);
    DT_EQ_HR(IDOManager_EnumDownloads(m, NULL, &e), S_OK); /* DL-22 */
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    DT_EQ_HR(IEnumUnknown_Next(e, 2, u, NULL), E_INVALIDARG);
    DT_EQ_HR(IEnumUnknown_Next(e, 1, NULL, &got), E_INVALIDARG);
    DT_EQ_HR(IEnumUnknown_Next(e, 5, u, &got), S_FALSE);
    DT_EQ_INT(got, 3);
    for (int i = 0; i < 3; i++) {
        IDODownload *q = NULL;
        DT_EQ_HR(IUnknown_QueryInterface(u[i], &IID_IDODownload, (void **)&q),
                 S_OK);
        CU_ASSERT_PTR_EQUAL(q, d[i]); /* creation order */
        IDODownload_Release(q);
        IUnknown_Release(u[i]);
    }
    DT_EQ_HR(IEnumUnknown_Next(e, 1, u, &got), S_FALSE);
    DT_EQ_INT(got, 0);
    DT_EQ_HR(IEnumUnknown_Reset(e), S_OK);
    DT_EQ_HR(IEnumUnknown_Skip(e, 2), S_OK);
    DT_EQ_HR(IEnumUnknown_Clone(e, &e2), S_OK);
    DT_EQ_HR(IEnumUnknown_Next(e2, 1, u, NULL), S_OK);
    CU_ASSERT_PTR_EQUAL(u[0], d[2]);
    IUnknown_Release(u[0]);
    DT_EQ_HR(IEnumUnknown_Skip(e, 5), S_FALSE);
    DT_EQ_HR(IEnumUnknown_Next(e, 1, u, &got), S_FALSE);
    DT_EQ_HR(IEnumUnknown_Clone(e, NULL), E_INVALIDARG);
    IEnumUnknown_Release(e2);
    IEnumUnknown_Release(e);
    for (int i = 0; i < 3; i++) {
        IDODownload_Abort(d[i]);
        IDODownload_Release(d[i]);
    }
    DT_EQ_HR(IDOManager_EnumDownloads(m, NULL, &e), DO_E_NO_DOWNLOADS);
    IDOManager_Release(m);
}

static ULONG count_for(IDOManager *m, DODownloadProperty p, const WCHAR *v,
                       HRESULT want)
{
    DO_DOWNLOAD_ENUM_CATEGORY c;
    IEnumUnknown *e = NULL;
    IUnknown *u[8];
    ULONG got = 0;
    c.Property = p;
    c.Value = v;
    DT_EQ_HR(IDOManager_EnumDownloads(m, &c, &e), want);
    if (!e)
        return 0;
    IEnumUnknown_Next(e, 8, u, &got);
    for (ULONG i = 0; i < got; i++)
        IUnknown_Release(u[i]);
    IEnumUnknown_Release(e);
    return got;
}

static void enum_category(void)
{
    IDOManager *m = dt_manager();
    IDODownload *a = dt_create(m), *b = dt_create(m);
    VARIANT id;

    DT_EQ_HR(dt_set_str(a, DODownloadProperty_Uri, u"http://h.example/a.bin"),
             S_OK);
    DT_EQ_HR(dt_set_str(b, DODownloadProperty_Uri, u"http://h.example/a.bin"),
             S_OK);
    DT_EQ_HR(dt_set_str(a, DODownloadProperty_DisplayName, u"first"), S_OK);
    DT_EQ_HR(dt_set_str(a, DODownloadProperty_LocalPath, u"/tmp/Dir/A.bin"),
             S_OK);
    DT_EQ_HR(dt_set_str(b, DODownloadProperty_ContentId, u"cid-b"), S_OK);
    DT_EQ_HR(IDODownload_GetProperty(a, DODownloadProperty_Id, &id), S_OK);
    DT_EQ_INT(count_for(m, DODownloadProperty_Id, id.bstrVal, S_OK), 1);
    DT_EQ_INT(
        count_for(m, DODownloadProperty_Uri, u"http://h.example/a.bin", S_OK),
        2);
    DT_EQ_INT(count_for(m, DODownloadProperty_Uri, u"HTTP://h.example/a.bin",
                        DO_E_NO_DOWNLOADS),
              0);
    DT_EQ_INT(count_for(m, DODownloadProperty_DisplayName, u"first", S_OK), 1);
    DT_EQ_INT(count_for(m, DODownloadProperty_ContentId, u"cid-b", S_OK), 1);
    DT_EQ_INT(
        count_for(m, DODownloadProperty_LocalPath, u"/TMP/dir/a.BIN", S_OK), 1);
    DT_EQ_INT(count_for(m, DODownloadProperty_DisplayName, u"none",
                        DO_E_NO_DOWNLOADS),
              0);
    DT_EQ_INT(count_for(m, DODownloadProperty_CostPolicy, u"0", E_INVALIDARG),
              0);
    DT_EQ_INT(count_for(m, (DODownloadProperty)99, u"0", E_INVALIDARG), 0);
    DT_EQ_INT(count_for(m, DODownloadProperty_Uri, NULL, E_INVALIDARG), 0);
    /* another user sees nothing */
    ref_owner_set("S-1-5-21-9-9-9-4242");
    DT_EQ_INT(
        count_for(m, DODownloadProperty_Id, id.bstrVal, DO_E_NO_DOWNLOADS), 0);
    ref_owner_set(NULL);
    /* aborted downloads leave the enumeration */
    DT_EQ_HR(IDODownload_Abort(a), S_OK);
    DT_EQ_INT(
        count_for(m, DODownloadProperty_Id, id.bstrVal, DO_E_NO_DOWNLOADS), 0);
    VariantClear(&id);
    IDODownload_Abort(b);
    IDODownload_Release(a);
    IDODownload_Release(b);
    IDOManager_Release(m);
}

CU_TestInfo dt_manager_tests[] = {
    {"identity_and_modes", identity_and_modes},
    {"enum_all", enum_all},
    {"enum_category", enum_category},
    CU_TEST_INFO_NULL,
};
