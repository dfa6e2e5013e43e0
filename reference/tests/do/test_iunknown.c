/*
 * test_iunknown.c - the IUnknown contract (STYLE.md 3; decisions R36) on
 * the DO-native objects the other suites reach only through their main
 * interface: IDOManager asked for itself, the IEnumUnknown of
 * EnumDownloads, and IDODownloadInternal, whose AddRef and Release move
 * the download's one count.  NULL out-pointer: E_POINTER; NULL riid:
 * E_INVALIDARG with *ppv cleared; a miss: E_NOINTERFACE with NULL.  A
 * download's last client Release returns 0 while the service keeps it
 * (R8).
 */
#include "do_test.h"

static const GUID foreign = {
    0xfeedface, 0x1234, 0x4321, {0xa, 0xb, 0xc, 0xd, 0xe, 0xf, 1, 2}};

static void manager(void)
{
    IDOManager *m = dt_manager(), *m2 = NULL;
    void *out = (void *)0x1;

    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    DT_EQ_HR(IDOManager_QueryInterface(m, &IID_IDOManager, (void **)&m2), S_OK);
    CU_ASSERT_PTR_EQUAL(m2, m);
    DT_EQ_HR(IDOManager_QueryInterface(m, &IID_IDOManager, NULL), E_POINTER);
    DT_EQ_HR(IDOManager_QueryInterface(m, NULL, &out), E_INVALIDARG);
    CU_ASSERT_PTR_NULL(out);
    out = (void *)0x1;
    DT_EQ_HR(IDOManager_QueryInterface(m, &foreign, &out), E_NOINTERFACE);
    CU_ASSERT_PTR_NULL(out);
    /* two references now (dt_manager's and the QI's) */
    DT_EQ_INT(IDOManager_AddRef(m2), 3);
    DT_EQ_INT(IDOManager_Release(m2), 2);
    DT_EQ_INT(IDOManager_Release(m2), 1);
    DT_EQ_INT(IDOManager_Release(m), 0);
}

static void enumerator(void)
{
    IDOManager *m = dt_manager();
    IDODownload *d = dt_create(m);
    IEnumUnknown *e = NULL, *e2 = NULL;
    IUnknown *u = NULL;
    void *out = (void *)0x1;

    DT_EQ_HR(IDOManager_EnumDownloads(m, NULL, &e), S_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    DT_EQ_HR(IEnumUnknown_QueryInterface(e, &IID_IUnknown, (void **)&u), S_OK);
    CU_ASSERT_PTR_EQUAL(u, e);
    DT_EQ_HR(IEnumUnknown_QueryInterface(e, &IID_IEnumUnknown, (void **)&e2),
             S_OK);
    CU_ASSERT_PTR_EQUAL(e2, e);
    DT_EQ_HR(IEnumUnknown_QueryInterface(e, &IID_IDODownload, &out),
             E_NOINTERFACE);
    CU_ASSERT_PTR_NULL(out);
    out = (void *)0x1;
    DT_EQ_HR(IEnumUnknown_QueryInterface(e, NULL, &out), E_INVALIDARG);
    CU_ASSERT_PTR_NULL(out);
    DT_EQ_HR(IEnumUnknown_QueryInterface(e, &IID_IUnknown, NULL), E_POINTER);
    /* three references: EnumDownloads' and the two QIs' */
    DT_EQ_INT(IEnumUnknown_AddRef(e), 4);
    DT_EQ_INT(IEnumUnknown_Release(e), 3);
    DT_EQ_INT(IUnknown_Release(u), 2);
    DT_EQ_INT(IEnumUnknown_Release(e2), 1);
    DT_EQ_INT(IEnumUnknown_Release(e), 0);
    DT_EQ_HR(IDODownload_Abort(d), S_OK);
    IDODownload_Release(d);
    IDOManager_Release(m);
}

static void download_internal(void)
{
    IDOManager *m = dt_manager();
    IDODownload *d = dt_create(m);
    IDODownloadInternal *in = NULL;
    void *out = (void *)0x1;
    ULONG base;

    DT_EQ_HR(IDODownload_QueryInterface(d, NULL, &out), E_INVALIDARG);
    CU_ASSERT_PTR_NULL(out);
    DT_EQ_HR(
        IDODownload_QueryInterface(d, &IID_IDODownloadInternal, (void **)&in),
        S_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(in);
    /* one count for both interfaces */
    base = IDODownload_AddRef(d);
    DT_EQ_INT(IDODownloadInternal_AddRef(in), base + 1);
    DT_EQ_INT(IDODownload_Release(d), base);
    DT_EQ_INT(IDODownloadInternal_Release(in), base - 1);
    DT_EQ_INT(IDODownloadInternal_Release(in), base - 2);
    DT_EQ_HR(IDODownload_Abort(d), S_OK);
    IDODownload_Release(d);
    IDOManager_Release(m);
}

/* R8: the service list keeps a download without a client reference: the
 * client's last Release returns 0 (as the proxy of Windows' DoSvc
 * does) and EnumDownloads still lists it, with Next's reference alone. */
static void download_last_release(void)
{
    IDOManager *m = dt_manager();
    IDODownload *d = dt_create(m), *found = NULL;
    IEnumUnknown *e = NULL;
    IUnknown *u = NULL;

    DT_EQ_INT(IDODownload_AddRef(d), 2);
    DT_EQ_INT(IDODownload_Release(d), 1);
    DT_EQ_INT(IDODownload_Release(d), 0);
    DT_EQ_HR(IDOManager_EnumDownloads(m, NULL, &e), S_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    while (!found && IEnumUnknown_Next(e, 1, &u, NULL) == S_OK) {
        if ((void *)u == (void *)d)
            found = (IDODownload *)u; /* the primary interface */
        else
            IUnknown_Release(u);
    }
    DT_EQ_INT(IEnumUnknown_Release(e), 0);
    CU_ASSERT_PTR_EQUAL_FATAL(found, d);
    DT_EQ_INT(IDODownload_AddRef(found), 2);
    DT_EQ_INT(IDODownload_Release(found), 1);
    DT_EQ_HR(IDODownload_Abort(found), S_OK);
    DT_EQ_INT(IDODownload_Release(found), 0);
    IDOManager_Release(m);
}

CU_TestInfo dt_iunknown_tests[] = {
    {"IDOManager for itself", manager},
    {"IEnumUnknown of EnumDownloads", enumerator},
    {"IDODownloadInternal shares the count", download_internal},
    {"a download's last Release returns 0", download_last_release},
    CU_TEST_INFO_NULL,
};
