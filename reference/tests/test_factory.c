/*
 * IClassFactory and DllGetClassObject: every CLSID the reference serves
 * yields a factory (BITS CLSIDs and the DO coclass), unknown CLSIDs and
 * interfaces are refused with the standard codes, CreateInstance refuses
 * aggregation and unknown IIDs, LockServer answers S_OK.
 */
#include "support.h"

#include <bits10_2.h>
#include <bits10_3.h>

#include <docom.h>

static const struct {
    const char *name;
    const CLSID *clsid;
} served[] = {
    {"BackgroundCopyManager", &CLSID_BackgroundCopyManager},
    {"BackgroundCopyManager1_5", &CLSID_BackgroundCopyManager1_5},
    {"BackgroundCopyManager2_0", &CLSID_BackgroundCopyManager2_0},
    {"BackgroundCopyManager2_5", &CLSID_BackgroundCopyManager2_5},
    {"BackgroundCopyManager3_0", &CLSID_BackgroundCopyManager3_0},
    {"BackgroundCopyManager4_0", &CLSID_BackgroundCopyManager4_0},
    {"BackgroundCopyManager5_0", &CLSID_BackgroundCopyManager5_0},
    {"BackgroundCopyManager10_1", &CLSID_BackgroundCopyManager10_1},
    {"BackgroundCopyManager10_2", &CLSID_BackgroundCopyManager10_2},
    {"BackgroundCopyManager10_3", &CLSID_BackgroundCopyManager10_3},
    {"DeliveryOptimization", &CLSID_DeliveryOptimization},
};

/* A GUID no coclass or interface uses. */
static const GUID foreign = {
    0x0badf00d, 0x1234, 0x5678, {0x9a, 0xbc, 0xde, 0xf0, 1, 2, 3, 4}};

static void get_class_object_every_clsid(void)
{
    for (size_t i = 0; i < ARRAY_LEN(served); i++) {
        IClassFactory *cf = POISON_PTR;
        ASSERT_HR_AT(served[i].name, S_OK,
                     DllGetClassObject(served[i].clsid, &IID_IClassFactory,
                                       (void **)&cf));
        ASSERT_NONNULL(cf);
        if (cf == NULL || cf == POISON_PTR)
            continue;
        IBackgroundCopyManager *mgr = POISON_PTR;
        ASSERT_HR_AT(served[i].name, S_OK,
                     IClassFactory_CreateInstance(
                         cf, NULL, &IID_IBackgroundCopyManager, (void **)&mgr));
        ASSERT_NONNULL(mgr);
        if (mgr && mgr != POISON_PTR)
            ASSERT_U64_AT(served[i].name, 0, release(mgr));
        release(cf);
    }
}

static void get_class_object_unknown_iface(void)
{
    IUnknown *u = POISON_PTR;
    ASSERT_HR(S_OK, DllGetClassObject(&CLSID_BackgroundCopyManager,
                                      &IID_IUnknown, (void **)&u));
    ASSERT_NONNULL(u);
    if (u && u != POISON_PTR)
        release(u);
}

static void get_class_object_unknown_clsid(void)
{
    void *out = POISON_PTR;
    ASSERT_HR(CLASS_E_CLASSNOTAVAILABLE,
              DllGetClassObject(&foreign, &IID_IClassFactory, &out));
    ASSERT_PTR(NULL, out);
}

static void get_class_object_wrong_iid(void)
{
    void *out = POISON_PTR;
    ASSERT_HR(E_NOINTERFACE, DllGetClassObject(&CLSID_BackgroundCopyManager,
                                               &IID_IBackgroundCopyJob, &out));
    ASSERT_PTR(NULL, out);
}

static void get_class_object_null_out(void)
{
    ASSERT_HR(E_POINTER, DllGetClassObject(&CLSID_BackgroundCopyManager,
                                           &IID_IClassFactory, NULL));
}

static IClassFactory *factory(enum mode mode)
{
    IClassFactory *cf = POISON_PTR;
    HRESULT hr =
        DllGetClassObject(mode_clsid[mode], &IID_IClassFactory, (void **)&cf);
    ASSERT_HR(S_OK, hr);
    return hr == S_OK ? cf : NULL;
}

static void create_instance_iids(enum mode mode)
{
    IClassFactory *cf = factory(mode);
    if (!cf)
        return;
    static const struct {
        const char *name;
        const IID *iid;
        HRESULT hr;
    } rows[] = {
        {"IUnknown", &IID_IUnknown, S_OK},
        {"IBackgroundCopyManager", &IID_IBackgroundCopyManager, S_OK},
        {"IBackgroundCopyJob", &IID_IBackgroundCopyJob, E_NOINTERFACE},
        {"IClassFactory", &IID_IClassFactory, E_NOINTERFACE},
        {"foreign", &foreign, E_NOINTERFACE},
    };
    for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
        void *out = POISON_PTR;
        ASSERT_HR_AT(rows[i].name, rows[i].hr,
                     IClassFactory_CreateInstance(cf, NULL, rows[i].iid, &out));
        if (rows[i].hr == S_OK) {
            ASSERT_NONNULL(out);
            if (out && out != POISON_PTR)
                ASSERT_U64_AT(rows[i].name, 0, release(out));
        } else {
            ASSERT_PTR(NULL, out);
        }
    }
    release(cf);
}
BOTH_MODES(create_instance_iids)

static void create_instance_aggregation(enum mode mode)
{
    IClassFactory *cf = factory(mode);
    struct fake outer;
    fake_init(&outer, 0);
    if (!cf)
        return;
    void *out = POISON_PTR;
    ASSERT_HR(CLASS_E_NOAGGREGATION,
              IClassFactory_CreateInstance(cf, fake_unknown(&outer),
                                           &IID_IUnknown, &out));
    ASSERT_PTR(NULL, out);
    ASSERT_U64(1, fake_refs(&outer));
    release(cf);
}
BOTH_MODES(create_instance_aggregation)

static void create_instance_null_out(enum mode mode)
{
    IClassFactory *cf = factory(mode);
    if (!cf)
        return;
    ASSERT_HR(E_POINTER, IClassFactory_CreateInstance(
                             cf, NULL, &IID_IBackgroundCopyManager, NULL));
    release(cf);
}
BOTH_MODES(create_instance_null_out)

static void lock_server(enum mode mode)
{
    IClassFactory *cf = factory(mode);
    if (!cf)
        return;
    ASSERT_HR(S_OK, IClassFactory_LockServer(cf, TRUE));
    ASSERT_HR(S_FALSE, DllCanUnloadNow());
    ASSERT_HR(S_OK, IClassFactory_LockServer(cf, FALSE));
    release(cf);
}
BOTH_MODES(lock_server)

static void factory_query_interface(enum mode mode)
{
    IClassFactory *cf = factory(mode);
    if (!cf)
        return;
    void *out = POISON_PTR;
    ASSERT_HR(S_OK, IClassFactory_QueryInterface(cf, &IID_IUnknown, &out));
    ASSERT_PTR(cf, out);
    release(out);
    out = POISON_PTR;
    ASSERT_HR(S_OK, IClassFactory_QueryInterface(cf, &IID_IClassFactory, &out));
    ASSERT_PTR(cf, out);
    release(out);
    out = POISON_PTR;
    ASSERT_HR(E_NOINTERFACE, IClassFactory_QueryInterface(
                                 cf, &IID_IBackgroundCopyManager, &out));
    ASSERT_PTR(NULL, out);
    ASSERT_HR(E_POINTER,
              IClassFactory_QueryInterface(cf, &IID_IClassFactory, NULL));
    release(cf);
}
BOTH_MODES(factory_query_interface)

/* Two factories for the same CLSID are equivalent; both release fine. */
static void factory_addref_release(enum mode mode)
{
    IClassFactory *cf = factory(mode);
    if (!cf)
        return;
    ULONG a = IClassFactory_AddRef(cf);
    ULONG b = IClassFactory_AddRef(cf);
    ASSERT_U64(a + 1, b);
    ASSERT_U64(a, IClassFactory_Release(cf));
    ASSERT_U64(a - 1, IClassFactory_Release(cf));
    release(cf);
}
BOTH_MODES(factory_addref_release)

/* D1, R7: every versioned BITS CLSID gives a BITS-mode manager on the one
 * BITS queue: BG_E_* codes, no DO interfaces on its jobs, and its jobs
 * visible to the other BITS managers. */
static void versioned_clsids_are_bits_mode(void)
{
    static const GUID unknown = {
        0x11111111, 0x2222, 0x3333, {4, 4, 5, 5, 6, 6, 7, 7}};
    IBackgroundCopyManager *base = make_manager(MODE_BITS);
    if (!base)
        return;
    for (size_t i = 0; i < ARRAY_LEN(served); i++) {
        if (served[i].clsid == &CLSID_DeliveryOptimization)
            continue;
        IClassFactory *cf = NULL;
        IBackgroundCopyManager *m = NULL;
        ASSERT_HR_AT(served[i].name, S_OK,
                     DllGetClassObject(served[i].clsid, &IID_IClassFactory,
                                       (void **)&cf));
        if (!cf)
            continue;
        ASSERT_HR_AT(served[i].name, S_OK,
                     IClassFactory_CreateInstance(
                         cf, NULL, &IID_IBackgroundCopyManager, (void **)&m));
        release(cf);
        if (!m)
            continue;
        IBackgroundCopyJob *j = POISON_PTR;
        ASSERT_HR_AT(served[i].name, BG_E_NOT_FOUND,
                     IBackgroundCopyManager_GetJob(m, &unknown, &j));
        ASSERT_PTR(NULL, j);
        GUID id;
        j = NULL;
        ASSERT_HR_AT(served[i].name, S_OK,
                     IBackgroundCopyManager_CreateJob(
                         m, u"versioned", BG_JOB_TYPE_DOWNLOAD, &id, &j));
        if (j) {
            void *dj = POISON_PTR;
            ASSERT_HR_AT(served[i].name, E_NOINTERFACE,
                         IBackgroundCopyJob_QueryInterface(
                             j, &IID_IDeliveryOptimizationJob, &dj));
            ASSERT_PTR(NULL, dj);
            IBackgroundCopyJob *seen = NULL;
            ASSERT_HR_AT(served[i].name, S_OK,
                         IBackgroundCopyManager_GetJob(base, &id, &seen));
            release(seen);
            ASSERT_HR_AT(served[i].name, BG_E_EMPTY,
                         IBackgroundCopyJob_Resume(j));
            ASSERT_HR_AT(served[i].name, S_OK, IBackgroundCopyJob_Cancel(j));
            release(j);
        }
        release(m);
    }
    release(base);
}

CU_TestInfo tests_factory[] = {
    {"DllGetClassObject: every served CLSID", get_class_object_every_clsid},
    {"DllGetClassObject: IID_IUnknown", get_class_object_unknown_iface},
    {"DllGetClassObject: unknown CLSID", get_class_object_unknown_clsid},
    {"DllGetClassObject: wrong IID", get_class_object_wrong_iid},
    {"DllGetClassObject: NULL out", get_class_object_null_out},
    {"versioned CLSIDs are BITS mode", versioned_clsids_are_bits_mode},
    BOTH_INFO(create_instance_iids),
    BOTH_INFO(create_instance_aggregation),
    BOTH_INFO(create_instance_null_out),
    BOTH_INFO(lock_server),
    BOTH_INFO(factory_query_interface),
    BOTH_INFO(factory_addref_release),
    CU_TEST_INFO_NULL,
};
