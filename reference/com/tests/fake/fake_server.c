/*
 * fake_server.c - a minimal in-process COM server for the cocreate tests
 * of libdocom (built as libdocom-fake-server.so beside com-tests).  It
 * serves CLSID_BackgroundCopyManager through a real IClassFactory; the
 * object only answers IUnknown, which is all CoCreateInstance needs to be
 * tested.  fake_server_live_objects() lets the test prove every object was
 * released.
 */
#include <stdatomic.h>
#include <stdlib.h>

#include "bits.h"

struct obj {
    IUnknown IUnknown_iface;
    atomic_long refs;
};

static atomic_long live_objects;

long fake_server_live_objects(void);
HRESULT DllGetClassObject(REFCLSID rclsid, REFIID riid, void **ppv);
HRESULT DllCanUnloadNow(void);

/* Number of objects created and not yet destroyed. */
long fake_server_live_objects(void)
{
    return atomic_load(&live_objects);
}

static HRESULT STDMETHODCALLTYPE obj_QueryInterface(IUnknown *This, REFIID riid,
                                                    void **ppv)
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

static ULONG STDMETHODCALLTYPE obj_AddRef(IUnknown *This)
{
    return (ULONG)atomic_fetch_add(&((struct obj *)(void *)This)->refs, 1) + 1;
}

static ULONG STDMETHODCALLTYPE obj_Release(IUnknown *This)
{
    struct obj *o = (struct obj *)(void *)This;
    long left = atomic_fetch_sub(&o->refs, 1) - 1;

    if (left == 0) {
        free(o);
        atomic_fetch_sub(&live_objects, 1);
    }
    return (ULONG)left;
}

static const IUnknownVtbl obj_vtbl = {obj_QueryInterface, obj_AddRef,
                                      obj_Release};

static HRESULT STDMETHODCALLTYPE cf_QueryInterface(IClassFactory *This,
                                                   REFIID riid, void **ppv)
{
    if (!ppv)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) ||
        IsEqualIID(riid, &IID_IClassFactory)) {
        *ppv = This;
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

/* The factory is static: its count is informational. */
static ULONG STDMETHODCALLTYPE cf_AddRef(IClassFactory *This)
{
    return 2;
}

static ULONG STDMETHODCALLTYPE cf_Release(IClassFactory *This)
{
    return 1;
}

static HRESULT STDMETHODCALLTYPE cf_CreateInstance(IClassFactory *This,
                                                   IUnknown *outer, REFIID riid,
                                                   void **ppv)
{
    struct obj *o;
    HRESULT hr;

    if (!ppv)
        return E_POINTER;
    *ppv = NULL;
    if (outer)
        return CLASS_E_NOAGGREGATION;
    o = malloc(sizeof(*o));
    if (!o)
        return E_OUTOFMEMORY;
    o->IUnknown_iface.lpVtbl = &obj_vtbl;
    atomic_init(&o->refs, 1);
    atomic_fetch_add(&live_objects, 1);
    hr = obj_QueryInterface(&o->IUnknown_iface, riid, ppv);
    obj_Release(&o->IUnknown_iface);
    return hr;
}

static HRESULT STDMETHODCALLTYPE cf_LockServer(IClassFactory *This, BOOL lock)
{
    return S_OK;
}

static const IClassFactoryVtbl cf_vtbl = {
    cf_QueryInterface, cf_AddRef, cf_Release, cf_CreateInstance, cf_LockServer,
};
static IClassFactory factory = {&cf_vtbl};

/* Serves CLSID_BackgroundCopyManager only. */
HRESULT DllGetClassObject(REFCLSID rclsid, REFIID riid, void **ppv)
{
    if (!ppv)
        return E_POINTER;
    *ppv = NULL;
    if (!IsEqualCLSID(rclsid, &CLSID_BackgroundCopyManager))
        return CLASS_E_CLASSNOTAVAILABLE;
    return cf_QueryInterface(&factory, riid, ppv);
}

/* Never unloads while objects live. */
HRESULT DllCanUnloadNow(void)
{
    return atomic_load(&live_objects) ? S_FALSE : S_OK;
}
