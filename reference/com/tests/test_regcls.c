/*
 * test_regcls.c - CoRegisterClassObject / CoRevokeClassObject and how
 * CoGetClassObject / CoCreateInstance find registered class objects before
 * the DOCOM_SERVER in-process server (docs/decisions.md C12): argument
 * errors, reference counts (registration AddRefs, revocation releases),
 * CLSCTX matching per REGCLS flag, SINGLEUSE, newest registration first,
 * REGDB_E_CLASSNOTREG when nothing serves a class, and registration from
 * several threads at once.  The class object is this file's own counting
 * IClassFactory; the fake server (fake/fake_server.c) stands in for
 * DOCOM_SERVER.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "com_test.h"
#include "bits.h"

/* A class nobody else serves. */
static const CLSID clsid_test = {
    0x3b1f6a52,
    0x0c7d,
    0x4e29,
    {0x8a, 0x41, 0x6d, 0x0f, 0x2e, 0x93, 0x57, 0xc4}};

/* ---- a counting class factory ------------------------------------------ */

struct tcf {
    IClassFactory iface;
    atomic_long refs;
    atomic_long created; /* CreateInstance calls that made an object */
    atomic_long live;    /* objects not yet destroyed */
};

struct tobj {
    IUnknown iface;
    atomic_long refs;
    struct tcf *cf;
};

static HRESULT STDMETHODCALLTYPE tobj_QueryInterface(IUnknown *This,
                                                     REFIID riid, void **ppv)
{
    if (!ppv)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown)) {
        *ppv = This;
        This->lpVtbl->AddRef(This);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE tobj_AddRef(IUnknown *This)
{
    struct tobj *o = (struct tobj *)(void *)This;
    return (ULONG)atomic_fetch_add(&o->refs, 1) + 1;
}

static ULONG STDMETHODCALLTYPE tobj_Release(IUnknown *This)
{
    struct tobj *o = (struct tobj *)(void *)This;
    long left = atomic_fetch_sub(&o->refs, 1) - 1;

    if (left == 0) {
        atomic_fetch_sub(&o->cf->live, 1);
        free(o);
    }
    return (ULONG)left;
}

static const IUnknownVtbl tobj_vtbl = {tobj_QueryInterface, tobj_AddRef,
                                       tobj_Release};

static struct tcf *tcf_from(IClassFactory *iface)
{
    return (struct tcf *)(void *)iface;
}

static HRESULT STDMETHODCALLTYPE tcf_QueryInterface(IClassFactory *This,
                                                    REFIID riid, void **ppv)
{
    if (!ppv)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) ||
        IsEqualIID(riid, &IID_IClassFactory)) {
        *ppv = This;
        This->lpVtbl->AddRef(This);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE tcf_AddRef(IClassFactory *This)
{
    return (ULONG)atomic_fetch_add(&tcf_from(This)->refs, 1) + 1;
}

static ULONG STDMETHODCALLTYPE tcf_Release(IClassFactory *This)
{
    /* the test owns the memory: no free at 0 */
    return (ULONG)atomic_fetch_sub(&tcf_from(This)->refs, 1) - 1;
}

static HRESULT STDMETHODCALLTYPE tcf_CreateInstance(IClassFactory *This,
                                                    IUnknown *outer,
                                                    REFIID riid, void **ppv)
{
    struct tcf *cf = tcf_from(This);
    struct tobj *o;
    HRESULT hr;

    if (!ppv)
        return E_POINTER;
    *ppv = NULL;
    if (outer)
        return CLASS_E_NOAGGREGATION;
    o = calloc(1, sizeof(*o));
    if (!o)
        return E_OUTOFMEMORY;
    o->iface.lpVtbl = &tobj_vtbl;
    atomic_store(&o->refs, 1);
    o->cf = cf;
    atomic_fetch_add(&cf->live, 1);
    hr = o->iface.lpVtbl->QueryInterface(&o->iface, riid, ppv);
    if (SUCCEEDED(hr))
        atomic_fetch_add(&cf->created, 1);
    o->iface.lpVtbl->Release(&o->iface);
    return hr;
}

static HRESULT STDMETHODCALLTYPE tcf_LockServer(IClassFactory *This, BOOL fLock)
{
    (void)This;
    (void)fLock;
    return S_OK;
}

static const IClassFactoryVtbl tcf_vtbl = {tcf_QueryInterface, tcf_AddRef,
                                           tcf_Release, tcf_CreateInstance,
                                           tcf_LockServer};

static void tcf_init(struct tcf *cf)
{
    cf->iface.lpVtbl = &tcf_vtbl;
    atomic_store(&cf->refs, 1);
    atomic_store(&cf->created, 0);
    atomic_store(&cf->live, 0);
}

static IUnknown *tcf_unk(struct tcf *cf)
{
    return (IUnknown *)(void *)&cf->iface;
}

/* CoCreateInstance(clsid, ctx) as IUnknown; releases what it got.  Returns
 * the HRESULT and checks *ppv against it. */
static HRESULT create(const CLSID *clsid, DWORD ctx)
{
    IUnknown *u = POISON_PTR;
    HRESULT hr = CoCreateInstance(clsid, NULL, ctx, &IID_IUnknown, (void **)&u);

    if (SUCCEEDED(hr)) {
        CU_ASSERT_PTR_NOT_NULL(u);
        if (u)
            u->lpVtbl->Release(u);
    } else {
        CU_ASSERT_PTR_NULL(u);
    }
    return hr;
}

/* ---- cases ------------------------------------------------------------- */

static void test_register_args(void)
{
    struct tcf cf;
    DWORD cookie = POISON_U32;

    tcf_init(&cf);
    ASSERT_HR(CO_E_NOTINITIALIZED,
              CoRegisterClassObject(&clsid_test, tcf_unk(&cf),
                                    CLSCTX_LOCAL_SERVER, REGCLS_MULTIPLEUSE,
                                    &cookie));
    ASSERT_EQ(0, cookie);
    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    ASSERT_HR(E_INVALIDARG, CoRegisterClassObject(&clsid_test, tcf_unk(&cf),
                                                  CLSCTX_LOCAL_SERVER,
                                                  REGCLS_MULTIPLEUSE, NULL));
#define BAD(clsid, unk, ctx, flags)                                            \
    do {                                                                       \
        cookie = POISON_U32;                                                   \
        ASSERT_HR(E_INVALIDARG,                                                \
                  CoRegisterClassObject(clsid, unk, ctx, flags, &cookie));     \
        ASSERT_EQ(0, cookie);                                                  \
    } while (0)
    BAD(NULL, tcf_unk(&cf), CLSCTX_LOCAL_SERVER, REGCLS_MULTIPLEUSE);
    BAD(&clsid_test, NULL, CLSCTX_LOCAL_SERVER, REGCLS_MULTIPLEUSE);
    BAD(&clsid_test, tcf_unk(&cf), 0, REGCLS_MULTIPLEUSE);
    BAD(&clsid_test, tcf_unk(&cf), 0x20, REGCLS_MULTIPLEUSE);
    BAD(&clsid_test, tcf_unk(&cf), CLSCTX_LOCAL_SERVER, 3);
    BAD(&clsid_test, tcf_unk(&cf), CLSCTX_LOCAL_SERVER,
        REGCLS_MULTIPLEUSE | REGCLS_SUSPENDED);
    BAD(&clsid_test, tcf_unk(&cf), CLSCTX_LOCAL_SERVER,
        REGCLS_MULTIPLEUSE | REGCLS_SURROGATE);
    BAD(&clsid_test, tcf_unk(&cf), CLSCTX_LOCAL_SERVER, 0x40);
#undef BAD
    ASSERT_EQ(1, atomic_load(&cf.refs)); /* untouched by every failure */
    ASSERT_HR(CO_E_OBJNOTREG, CoRevokeClassObject(0));
    ASSERT_HR(CO_E_OBJNOTREG, CoRevokeClassObject(0x7fffffffu));
    CoUninitialize();
}

/* Registration AddRefs, CoCreateInstance goes through the factory (and
 * returns it to its count), revocation releases once; a revoked cookie
 * is not registered any more. */
static void test_register_create_revoke(void)
{
    struct tcf cf;
    DWORD cookie = POISON_U32;
    IUnknown *u = POISON_PTR;

    setenv("DOCOM_SERVER", COM_FAKE_SERVER, 1);
    tcf_init(&cf);
    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    ASSERT_HR(REGDB_E_CLASSNOTREG, create(&clsid_test, CLSCTX_LOCAL_SERVER));
    ASSERT_HR(S_OK, CoRegisterClassObject(&clsid_test, tcf_unk(&cf),
                                          CLSCTX_LOCAL_SERVER,
                                          REGCLS_MULTIPLEUSE, &cookie));
    CU_ASSERT(cookie != 0 && cookie != POISON_U32);
    ASSERT_EQ(2, atomic_load(&cf.refs));
    ASSERT_HR(S_OK, CoCreateInstance(&clsid_test, NULL, CLSCTX_LOCAL_SERVER,
                                     &IID_IUnknown, (void **)&u));
    CU_ASSERT_PTR_NOT_NULL_FATAL(u);
    ASSERT_EQ(1, atomic_load(&cf.created));
    ASSERT_EQ(1, atomic_load(&cf.live));
    ASSERT_EQ(2, atomic_load(&cf.refs)); /* the factory was given back */
    ASSERT_EQ(0, u->lpVtbl->Release(u));
    ASSERT_EQ(0, atomic_load(&cf.live));
    ASSERT_HR(S_OK, create(&clsid_test, CLSCTX_ALL));
    ASSERT_EQ(2, atomic_load(&cf.created));
    ASSERT_HR(S_OK, CoRevokeClassObject(cookie));
    ASSERT_EQ(1, atomic_load(&cf.refs));
    ASSERT_HR(CO_E_OBJNOTREG, CoRevokeClassObject(cookie));
    ASSERT_EQ(1, atomic_load(&cf.refs));
    ASSERT_HR(REGDB_E_CLASSNOTREG, create(&clsid_test, CLSCTX_LOCAL_SERVER));
    ASSERT_EQ(2, atomic_load(&cf.created));
    ASSERT_EQ(0, atomic_load(&cf.live));
    CoUninitialize();
}

/* CoGetClassObject hands out the registered object itself through its
 * QueryInterface; a reference held by the caller outlives revocation;
 * an interface the object lacks is its E_NOINTERFACE. */
static void test_class_object_refs(void)
{
    struct tcf cf;
    DWORD cookie = 0;
    IClassFactory *got = POISON_PTR;
    void *p = POISON_PTR;

    tcf_init(&cf);
    CoInitialize(NULL);
    ASSERT_HR(S_OK, CoRegisterClassObject(&clsid_test, tcf_unk(&cf),
                                          CLSCTX_INPROC_SERVER,
                                          REGCLS_MULTIPLEUSE, &cookie));
    ASSERT_HR(S_OK, CoGetClassObject(&clsid_test, CLSCTX_INPROC_SERVER, NULL,
                                     &IID_IClassFactory, (void **)&got));
    CU_ASSERT_PTR_EQUAL(got, &cf.iface);
    ASSERT_EQ(3, atomic_load(&cf.refs));
    ASSERT_HR(E_NOINTERFACE,
              CoGetClassObject(&clsid_test, CLSCTX_INPROC_SERVER, NULL,
                               &IID_IBackgroundCopyManager, &p));
    CU_ASSERT_PTR_NULL(p);
    ASSERT_EQ(3, atomic_load(&cf.refs));
    ASSERT_HR(S_OK, CoRevokeClassObject(cookie));
    ASSERT_EQ(2, atomic_load(&cf.refs));
    ASSERT_EQ(1, got->lpVtbl->Release(got));
    CoUninitialize();
}

/* CLSCTX matching: MULTIPLEUSE + LOCAL_SERVER also answers INPROC_SERVER
 * (documented); MULTI_SEPARATE answers only what it registered; a
 * registration for another context leaves the request to DOCOM_SERVER. */
static void test_contexts(void)
{
    struct tcf cf;
    DWORD cookie = 0;

    setenv("DOCOM_SERVER", COM_FAKE_SERVER, 1);
    tcf_init(&cf);
    CoInitialize(NULL);
    ASSERT_HR(S_OK, CoRegisterClassObject(&clsid_test, tcf_unk(&cf),
                                          CLSCTX_LOCAL_SERVER,
                                          REGCLS_MULTIPLEUSE, &cookie));
    ASSERT_HR(S_OK, create(&clsid_test, CLSCTX_INPROC_SERVER));
    ASSERT_HR(REGDB_E_CLASSNOTREG, create(&clsid_test, CLSCTX_INPROC_HANDLER));
    ASSERT_HR(S_OK, CoRevokeClassObject(cookie));
    ASSERT_HR(S_OK, CoRegisterClassObject(&clsid_test, tcf_unk(&cf),
                                          CLSCTX_LOCAL_SERVER,
                                          REGCLS_MULTI_SEPARATE, &cookie));
    ASSERT_HR(REGDB_E_CLASSNOTREG, create(&clsid_test, CLSCTX_INPROC_SERVER));
    ASSERT_HR(S_OK, create(&clsid_test, CLSCTX_LOCAL_SERVER));
    ASSERT_HR(S_OK, CoRevokeClassObject(cookie));
    ASSERT_HR(S_OK, CoRegisterClassObject(
                        &clsid_test, tcf_unk(&cf), CLSCTX_INPROC_SERVER,
                        REGCLS_MULTIPLEUSE | REGCLS_AGILE, &cookie));
    ASSERT_HR(REGDB_E_CLASSNOTREG, create(&clsid_test, CLSCTX_LOCAL_SERVER));
    ASSERT_HR(S_OK, create(&clsid_test, CLSCTX_SERVER));
    ASSERT_HR(S_OK, CoRevokeClassObject(cookie));
    ASSERT_EQ(3, atomic_load(&cf.created));
    ASSERT_EQ(1, atomic_load(&cf.refs));
    CoUninitialize();
}

/* SINGLEUSE: found by one connection only, still to be revoked. */
static void test_single_use(void)
{
    struct tcf cf;
    DWORD cookie = 0;

    setenv("DOCOM_SERVER", COM_FAKE_SERVER, 1);
    tcf_init(&cf);
    CoInitialize(NULL);
    ASSERT_HR(S_OK, CoRegisterClassObject(&clsid_test, tcf_unk(&cf),
                                          CLSCTX_LOCAL_SERVER, REGCLS_SINGLEUSE,
                                          &cookie));
    ASSERT_HR(S_OK, create(&clsid_test, CLSCTX_LOCAL_SERVER));
    ASSERT_HR(REGDB_E_CLASSNOTREG, create(&clsid_test, CLSCTX_LOCAL_SERVER));
    ASSERT_EQ(1, atomic_load(&cf.created));
    ASSERT_EQ(2, atomic_load(&cf.refs));
    ASSERT_HR(S_OK, CoRevokeClassObject(cookie));
    ASSERT_EQ(1, atomic_load(&cf.refs));
    CoUninitialize();
}

/* Objects of the fake server alive now (-1 when it is not loaded). */
static long fake_live(void)
{
    void *h = dlopen(COM_FAKE_SERVER, RTLD_NOW | RTLD_NOLOAD);
    void *sym = h ? dlsym(h, "fake_server_live_objects") : NULL;
    long (*fn)(void);
    long n = -1;

    if (sym) {
        *(void **)&fn = sym;
        n = fn();
    }
    if (h)
        dlclose(h);
    return n;
}

/* A registration takes precedence over DOCOM_SERVER for the same CLSID;
 * the newest of two registrations answers; revoking it uncovers the
 * older one, revoking both gives the class back to the server.  A
 * registration outlives CoUninitialize until revoked. */
static void test_precedence(void)
{
    struct tcf a, b;
    DWORD ca = 0, cb = 0;
    IUnknown *u = NULL;

    setenv("DOCOM_SERVER", COM_FAKE_SERVER, 1);
    tcf_init(&a);
    tcf_init(&b);
    CoInitialize(NULL);
    ASSERT_HR(S_OK, CoRegisterClassObject(&CLSID_BackgroundCopyManager,
                                          tcf_unk(&a), CLSCTX_LOCAL_SERVER,
                                          REGCLS_MULTIPLEUSE, &ca));
    ASSERT_HR(S_OK, CoRegisterClassObject(&CLSID_BackgroundCopyManager,
                                          tcf_unk(&b), CLSCTX_LOCAL_SERVER,
                                          REGCLS_MULTIPLEUSE, &cb));
    CU_ASSERT(ca != cb);
    ASSERT_HR(S_OK, CoCreateInstance(&CLSID_BackgroundCopyManager, NULL,
                                     CLSCTX_LOCAL_SERVER, &IID_IUnknown,
                                     (void **)&u));
    CU_ASSERT_PTR_NOT_NULL_FATAL(u);
    ASSERT_EQ(0, fake_live()); /* not the server's object */
    ASSERT_EQ(1, atomic_load(&b.live));
    ASSERT_EQ(0, atomic_load(&a.created));
    u->lpVtbl->Release(u);
    ASSERT_HR(S_OK, CoRevokeClassObject(cb));
    ASSERT_HR(S_OK, create(&CLSID_BackgroundCopyManager, CLSCTX_LOCAL_SERVER));
    ASSERT_EQ(1, atomic_load(&a.created));
    CoUninitialize();
    ASSERT_HR(S_OK, CoRevokeClassObject(ca)); /* after CoUninitialize */
    CoInitialize(NULL);
    ASSERT_HR(S_OK, CoCreateInstance(&CLSID_BackgroundCopyManager, NULL,
                                     CLSCTX_LOCAL_SERVER, &IID_IUnknown,
                                     (void **)&u));
    ASSERT_EQ(1, fake_live()); /* the server's object again */
    u->lpVtbl->Release(u);
    ASSERT_EQ(1, atomic_load(&a.created));
    ASSERT_EQ(1, atomic_load(&a.refs));
    ASSERT_EQ(1, atomic_load(&b.refs));
    CoUninitialize();
}

/* Four threads register, create and revoke at once: every cookie is
 * distinct, every creation succeeds, every reference comes back. */
#define RACE_THREADS 4
#define RACE_ROUNDS 300

struct race {
    struct tcf cf;
    long failures;
};

static void *race_main(void *arg)
{
    struct race *r = arg;

    for (int i = 0; i < RACE_ROUNDS; i++) {
        DWORD cookie = 0;
        IUnknown *u = NULL;
        if (CoRegisterClassObject(&clsid_test, tcf_unk(&r->cf),
                                  CLSCTX_LOCAL_SERVER, REGCLS_MULTIPLEUSE,
                                  &cookie) != S_OK ||
            cookie == 0) {
            r->failures++;
            continue;
        }
        /* some registration of clsid_test exists while ours does */
        if (CoCreateInstance(&clsid_test, NULL, CLSCTX_LOCAL_SERVER,
                             &IID_IUnknown, (void **)&u) != S_OK)
            r->failures++;
        else
            u->lpVtbl->Release(u);
        if (CoRevokeClassObject(cookie) != S_OK)
            r->failures++;
    }
    return NULL;
}

static void test_threads(void)
{
    struct race r[RACE_THREADS];
    pthread_t t[RACE_THREADS];
    long created = 0;

    setenv("DOCOM_SERVER", COM_FAKE_SERVER, 1);
    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    for (int i = 0; i < RACE_THREADS; i++) {
        tcf_init(&r[i].cf);
        r[i].failures = 0;
        CU_ASSERT_FATAL(pthread_create(&t[i], NULL, race_main, &r[i]) == 0);
    }
    for (int i = 0; i < RACE_THREADS; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < RACE_THREADS; i++) {
        ASSERT_EQ(0, r[i].failures);
        ASSERT_EQ(1, atomic_load(&r[i].cf.refs));
        ASSERT_EQ(0, atomic_load(&r[i].cf.live));
        created += atomic_load(&r[i].cf.created);
    }
    ASSERT_EQ(RACE_THREADS * RACE_ROUNDS, created);
    ASSERT_HR(REGDB_E_CLASSNOTREG, create(&clsid_test, CLSCTX_LOCAL_SERVER));
    CoUninitialize();
}

CU_TestInfo regcls_tests[] = {
    {"CoRegisterClassObject argument errors", test_register_args},
    {"register, create, revoke: references", test_register_create_revoke},
    {"CoGetClassObject returns the registered object", test_class_object_refs},
    {"CLSCTX matching per REGCLS flag", test_contexts},
    {"REGCLS_SINGLEUSE", test_single_use},
    {"registrations before DOCOM_SERVER, newest first", test_precedence},
    {"register and revoke from four threads", test_threads},
    CU_TEST_INFO_NULL,
};
