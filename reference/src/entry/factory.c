/*
 * factory.c - the in-process server's entry points: DllGetClassObject,
 * DllCanUnloadNow and the class factory (IClassFactory) for each coclass.
 *
 * Owns the CLSID -> mode table (BITS CLSIDs of spec/interfaces.md §1.2 ->
 * BITS mode, CLSID_DeliveryOptimization -> DO mode; docs/decisions.md D1)
 * and the LockServer count.  DllCanUnloadNow answers S_OK only when no
 * object of the library exists and no lock is held (R9).
 *
 * Layer entry, the top of reference/src (docs/architecture.md "Layers"):
 * the one file that sees every layer.  Before it makes a manager it
 * registers the manager's hooks, which wire the layers at the manager's
 * creation (com's faces and core's wiring, the DO downloads' records,
 * then the job store with its jobs) and reach persistence and the DO
 * tear-off for it.
 */
#include "ref_private.h"
#include "do_private.h"
#include "ref_persist.h"

#include <bits10_2.h>
#include <bits10_3.h>

struct factory {
    IClassFactory IClassFactory_iface;
    LONG ref;
    enum ref_mode mode;
};

static const IClassFactoryVtbl factory_vtbl;

/* The layers, wired in the order they need: com's faces (and core's
 * wiring) before a job is restored, the DO downloads' loader before the
 * store loads. */
static void start(void)
{
    ref_com_start();
    do_persist_attach();
    ref_persist_start();
}

static const struct ref_manager_hooks manager_hooks = {
    .start = start,
    .new_job = ref_persist_new_job,
    .sync = ref_persist_sync,
    .do_tearoff = do_manager_tearoff,
};
static long server_locks;

static const struct {
    const CLSID *clsid;
    enum ref_mode mode;
} classes[] = {
    {&CLSID_BackgroundCopyManager, REF_MODE_BITS},
    {&CLSID_BackgroundCopyManager1_5, REF_MODE_BITS},
    {&CLSID_BackgroundCopyManager2_0, REF_MODE_BITS},
    {&CLSID_BackgroundCopyManager2_5, REF_MODE_BITS},
    {&CLSID_BackgroundCopyManager3_0, REF_MODE_BITS},
    {&CLSID_BackgroundCopyManager4_0, REF_MODE_BITS},
    {&CLSID_BackgroundCopyManager5_0, REF_MODE_BITS},
    {&CLSID_BackgroundCopyManager10_1, REF_MODE_BITS},
    {&CLSID_BackgroundCopyManager10_2, REF_MODE_BITS},
    {&CLSID_BackgroundCopyManager10_3, REF_MODE_BITS},
    {&CLSID_DeliveryOptimization, REF_MODE_DO},
};

static struct factory *impl_from_IClassFactory(IClassFactory *iface)
{
    return REF_CONTAINER(iface, struct factory, IClassFactory_iface);
}

static HRESULT STDMETHODCALLTYPE factory_QueryInterface(IClassFactory *iface,
                                                        REFIID riid, void **ppv)
{
    struct factory *f = impl_from_IClassFactory(iface);
    if (!ppv)
        return E_POINTER;
    *ppv = NULL;
    if (!riid)
        return E_INVALIDARG;
    if (!IsEqualGUID(riid, &IID_IUnknown) &&
        !IsEqualGUID(riid, &IID_IClassFactory))
        return E_NOINTERFACE;
    *ppv = &f->IClassFactory_iface;
    __atomic_add_fetch(&f->ref, 1, __ATOMIC_ACQ_REL);
    return S_OK;
}

static ULONG STDMETHODCALLTYPE factory_AddRef(IClassFactory *iface)
{
    struct factory *f = impl_from_IClassFactory(iface);
    return (ULONG)__atomic_add_fetch(&f->ref, 1, __ATOMIC_ACQ_REL);
}

static ULONG STDMETHODCALLTYPE factory_Release(IClassFactory *iface)
{
    struct factory *f = impl_from_IClassFactory(iface);
    LONG ref = __atomic_sub_fetch(&f->ref, 1, __ATOMIC_ACQ_REL);
    if (ref == 0) {
        ref_free(f);
        ref_object_destroyed();
    }
    return (ULONG)ref;
}

static HRESULT STDMETHODCALLTYPE factory_CreateInstance(IClassFactory *iface,
                                                        IUnknown *pUnkOuter,
                                                        REFIID riid, void **ppv)
{
    struct factory *f = impl_from_IClassFactory(iface);
    if (!ppv)
        return E_POINTER;
    *ppv = NULL;
    if (pUnkOuter)
        return CLASS_E_NOAGGREGATION;
    if (!riid)
        return E_INVALIDARG;
    ref_manager_use_hooks(&manager_hooks);
    return ref_manager_create(f->mode, riid, ppv);
}

static HRESULT STDMETHODCALLTYPE factory_LockServer(IClassFactory *iface,
                                                    BOOL fLock)
{
    if (fLock) {
        __atomic_add_fetch(&server_locks, 1, __ATOMIC_ACQ_REL);
    } else {
        long cur = __atomic_load_n(&server_locks, __ATOMIC_ACQUIRE);
        while (cur > 0 &&
               !__atomic_compare_exchange_n(&server_locks, &cur, cur - 1, 0,
                                            __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
            ;
    }
    return S_OK;
}

static const IClassFactoryVtbl factory_vtbl = {
    /* IUnknown */
    factory_QueryInterface,
    factory_AddRef,
    factory_Release,
    /* IClassFactory */
    factory_CreateInstance,
    factory_LockServer,
};
_Static_assert(sizeof factory_vtbl == 5 * sizeof(void *),
               "IClassFactory vtable has 5 slots");

/*
 * The COM entry point: a class factory for rclsid, QueryInterface'd for
 * riid.  E_POINTER (ppv NULL), E_INVALIDARG (rclsid or riid NULL),
 * CLASS_E_CLASSNOTAVAILABLE (not one of our CLSIDs), E_NOINTERFACE (riid
 * neither IUnknown nor IClassFactory), E_OUTOFMEMORY.  *ppv is NULL on
 * failure; on success the caller owns one reference.
 */
DECLSPEC_EXPORT HRESULT DllGetClassObject(REFCLSID rclsid, REFIID riid,
                                          LPVOID *ppv);
HRESULT DllGetClassObject(REFCLSID rclsid, REFIID riid, LPVOID *ppv)
{
    struct factory *f;
    HRESULT hr;
    if (!ppv)
        return E_POINTER;
    *ppv = NULL;
    if (!rclsid || !riid)
        return E_INVALIDARG;
    for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++) {
        if (!IsEqualGUID(rclsid, classes[i].clsid))
            continue;
        f = ref_calloc(1, sizeof *f);
        if (!f)
            return E_OUTOFMEMORY;
        f->IClassFactory_iface.lpVtbl = &factory_vtbl;
        f->ref = 1;
        f->mode = classes[i].mode;
        ref_object_created();
        hr = factory_QueryInterface(&f->IClassFactory_iface, riid, ppv);
        factory_Release(&f->IClassFactory_iface);
        return hr;
    }
    return CLASS_E_CLASSNOTAVAILABLE;
}

/*
 * S_OK when no object of the library is alive (jobs held only by the queue
 * count) and the LockServer count is 0; S_FALSE otherwise.
 */
DECLSPEC_EXPORT HRESULT DllCanUnloadNow(void);
HRESULT DllCanUnloadNow(void)
{
    if (ref_objects_alive() == 0 &&
        __atomic_load_n(&server_locks, __ATOMIC_ACQUIRE) == 0)
        return S_OK;
    return S_FALSE;
}
