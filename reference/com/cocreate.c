/*
 * cocreate.c - COM start-up and instance creation for SDK-shaped clients:
 * CoInitialize(Ex), CoUninitialize, CoRegisterClassObject,
 * CoRevokeClassObject, CoGetClassObject, CoCreateInstance.
 *
 * docts has no registry.  A class is found in two places, in this order
 * (docs/decisions.md C11, C12): the class objects the process registered
 * with CoRegisterClassObject (a table in this file, newest first, matched
 * by CLSID and CLSCTX), then ONE in-process server: the shared object
 * named by the environment variable DOCOM_SERVER (a path, or a bare name
 * looked up first beside libdocom.so, then by the dynamic loader),
 * "libdoref.so" when unset.  Whatever CLSCTX the caller asks for (BITS
 * clients ask for CLSCTX_LOCAL_SERVER), the server's DllGetClassObject is
 * asked; a class it does not serve is REGDB_E_CLASSNOTREG, as for a class
 * nothing registers on Windows.  Loaded servers stay loaded for the life
 * of the process.  Initialisation is counted process-wide (Windows counts
 * per thread); creation or registration before any CoInitialize(Ex) fails
 * with CO_E_NOTINITIALIZED, as on Windows.  A registered class object is
 * AddRef'd under the table's lock when found (so a concurrent revoke
 * cannot free it); every other call into it (QueryInterface, Release)
 * is made with no lock held.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docom.h"

static atomic_long init_count;

/* Loaded servers: a short list, searched and extended under the lock. */
struct server {
    struct server *next;
    LPFNGETCLASSOBJECT get_class_object;
    char name[];
};
static pthread_mutex_t servers_lock = PTHREAD_MUTEX_INITIALIZER;
static struct server *servers;

/* Registered class objects (CoRegisterClassObject): newest first. */
struct regcls {
    struct regcls *next;
    CLSID clsid;
    IUnknown *obj; /* one reference, released by CoRevokeClassObject */
    DWORD ctx;     /* CLSCTX_* it answers (C12) */
    DWORD cookie;
    int single_used; /* REGCLS_SINGLEUSE and already connected */
    int single;
};
static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static struct regcls *regs;
static DWORD reg_next_cookie = 1;

/* Initialises COM for the process (counted).  S_OK the first time, S_FALSE
 * when already initialised.  pvReserved is ignored. */
HRESULT CoInitialize(LPVOID pvReserved)
{
    return CoInitializeEx(pvReserved, COINIT_APARTMENTTHREADED);
}

/* As CoInitialize; the threading model is ignored (every docts object is
 * free-threaded).  S_OK first time, S_FALSE after. */
HRESULT CoInitializeEx(LPVOID pvReserved, DWORD dwCoInit)
{
    return atomic_fetch_add(&init_count, 1) == 0 ? S_OK : S_FALSE;
}

/* Undoes one CoInitialize(Ex); extra calls are ignored. */
void CoUninitialize(void)
{
    long cur = atomic_load(&init_count);

    while (cur > 0 && !atomic_compare_exchange_weak(&init_count, &cur, cur - 1))
        ;
}

/* dlopen name: beside libdocom.so first when it has no '/'. */
static void *open_server(const char *name)
{
    Dl_info info;
    void *h = NULL;

    if (!strchr(name, '/') && dladdr((void *)open_server, &info) &&
        info.dli_fname && strchr(info.dli_fname, '/')) {
        const char *slash = strrchr(info.dli_fname, '/');
        size_t dir = (size_t)(slash - info.dli_fname) + 1;
        char *path = malloc(dir + strlen(name) + 1);
        if (path) {
            memcpy(path, info.dli_fname, dir);
            strcpy(path + dir, name);
            h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
            free(path);
        }
    }
    if (!h)
        h = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    return h;
}

/* Finds or loads the server; its DllGetClassObject in *out. */
static HRESULT server_entry(LPFNGETCLASSOBJECT *out)
{
    const char *name = getenv("DOCOM_SERVER");
    struct server *s;
    HRESULT hr = S_OK;
    void *h, *sym;

    if (!name || !*name)
        name = "libdoref.so";
    pthread_mutex_lock(&servers_lock);
    for (s = servers; s; s = s->next)
        if (!strcmp(s->name, name))
            break;
    if (!s) {
        h = open_server(name);
        if (!h) {
            hr = CO_E_DLLNOTFOUND;
            goto out;
        }
        sym = dlsym(h, "DllGetClassObject");
        if (!sym) {
            hr = CO_E_ERRORINDLL;
            goto out;
        }
        s = malloc(sizeof(*s) + strlen(name) + 1);
        if (!s) {
            hr = E_OUTOFMEMORY;
            goto out;
        }
        /* POSIX allows this object-to-function pointer conversion. */
        memcpy(&s->get_class_object, &sym, sizeof(sym));
        strcpy(s->name, name);
        s->next = servers;
        servers = s;
    }
    *out = s->get_class_object;
out:
    pthread_mutex_unlock(&servers_lock);
    return hr;
}

#define CTX_KNOWN                                                              \
    (CLSCTX_INPROC_SERVER | CLSCTX_INPROC_HANDLER | CLSCTX_LOCAL_SERVER |      \
     CLSCTX_REMOTE_SERVER)

/* Registers pUnk as the class object of rclsid for the contexts in
 * dwClsContext (C12).  flags: REGCLS_SINGLEUSE (found by one
 * CoGetClassObject only), REGCLS_MULTIPLEUSE (a LOCAL_SERVER registration
 * also answers INPROC_SERVER requests) or REGCLS_MULTI_SEPARATE (each
 * context as given), optionally | REGCLS_AGILE (ignored: everything is
 * free-threaded).  pUnk is AddRef'd; CoRevokeClassObject(*lpdwRegister)
 * releases it.  S_OK with a non-zero cookie in *lpdwRegister;
 * E_INVALIDARG for a NULL argument, a dwClsContext that is 0 or has bits
 * outside CLSCTX_ALL, or flags with REGCLS_SUSPENDED, REGCLS_SURROGATE or
 * unknown bits (docts has no CoResumeClassObjects and no surrogates);
 * CO_E_NOTINITIALIZED before CoInitialize(Ex); E_OUTOFMEMORY.  On failure
 * *lpdwRegister (when not NULL) is 0 and pUnk is untouched.  The same CLSID
 * may be registered more than once; the newest registration is found
 * first. */
HRESULT CoRegisterClassObject(REFCLSID rclsid, LPUNKNOWN pUnk,
                              DWORD dwClsContext, DWORD flags,
                              LPDWORD lpdwRegister)
{
    struct regcls *r;
    DWORD base = flags & 3u;

    if (!lpdwRegister)
        return E_INVALIDARG;
    *lpdwRegister = 0;
    if (!rclsid || !pUnk || !dwClsContext || (dwClsContext & ~CTX_KNOWN) ||
        base == 3u || (flags & ~(3u | (DWORD)REGCLS_AGILE)))
        return E_INVALIDARG;
    if (atomic_load(&init_count) == 0)
        return CO_E_NOTINITIALIZED;
    r = calloc(1, sizeof(*r));
    if (!r)
        return E_OUTOFMEMORY;
    r->clsid = *rclsid;
    r->obj = pUnk;
    r->ctx = dwClsContext;
    if (base == REGCLS_MULTIPLEUSE && (dwClsContext & CLSCTX_LOCAL_SERVER))
        r->ctx |= CLSCTX_INPROC_SERVER; /* documented for MULTIPLEUSE */
    r->single = base == REGCLS_SINGLEUSE;
    pUnk->lpVtbl->AddRef(pUnk);
    pthread_mutex_lock(&reg_lock);
    r->cookie = reg_next_cookie++;
    if (reg_next_cookie == 0)
        reg_next_cookie = 1; /* 0 is never a cookie */
    r->next = regs;
    regs = r;
    *lpdwRegister = r->cookie;
    pthread_mutex_unlock(&reg_lock);
    return S_OK;
}

/* Removes the registration made with cookie dwRegister and releases its
 * class object once (copies handed out by CoGetClassObject keep their own
 * references).  S_OK; CO_E_OBJNOTREG for a cookie that is not (or no
 * longer) registered, 0 included.  Needs no CoInitialize: a registration
 * outlives CoUninitialize until revoked. */
HRESULT CoRevokeClassObject(DWORD dwRegister)
{
    struct regcls **pp, *r = NULL;

    pthread_mutex_lock(&reg_lock);
    for (pp = &regs; *pp; pp = &(*pp)->next)
        if ((*pp)->cookie == dwRegister) {
            r = *pp;
            *pp = r->next;
            break;
        }
    pthread_mutex_unlock(&reg_lock);
    if (!r)
        return CO_E_OBJNOTREG;
    r->obj->lpVtbl->Release(r->obj); /* client code: no lock held */
    free(r);
    return S_OK;
}

/* The newest visible registration of rclsid answering a context in ctx,
 * AddRef'd, or NULL.  A SINGLEUSE registration is hidden once found. */
static IUnknown *registered(REFCLSID rclsid, DWORD ctx)
{
    struct regcls *r;
    IUnknown *obj = NULL;

    pthread_mutex_lock(&reg_lock);
    for (r = regs; r; r = r->next) {
        if (r->single_used || !(r->ctx & ctx) ||
            memcmp(&r->clsid, rclsid, sizeof(r->clsid)) != 0)
            continue;
        obj = r->obj;
        obj->lpVtbl->AddRef(obj); /* the only client call under the lock */
        if (r->single)
            r->single_used = 1;
        break;
    }
    pthread_mutex_unlock(&reg_lock);
    return obj;
}

/* Returns rclsid's class object as riid: first a class object registered
 * with CoRegisterClassObject for a context in dwClsContext (its
 * QueryInterface answers), else the in-process server's (see the file
 * comment; the context is not checked there, C11).  S_OK; E_INVALIDARG
 * for NULL arguments; CO_E_NOTINITIALIZED before CoInitialize(Ex); the
 * registered object's QueryInterface failure (E_NOINTERFACE ...);
 * CO_E_DLLNOTFOUND when the server cannot be loaded; CO_E_ERRORINDLL when
 * it lacks DllGetClassObject; E_OUTOFMEMORY; REGDB_E_CLASSNOTREG when the
 * server does not serve rclsid (its CLASS_E_CLASSNOTAVAILABLE); otherwise
 * what DllGetClassObject returns.  *ppv is NULL on failure. */
HRESULT CoGetClassObject(REFCLSID rclsid, DWORD dwClsContext, LPVOID pvReserved,
                         REFIID riid, LPVOID *ppv)
{
    LPFNGETCLASSOBJECT get;
    IUnknown *obj;
    HRESULT hr;

    if (!ppv)
        return E_INVALIDARG;
    *ppv = NULL;
    if (!rclsid || !riid)
        return E_INVALIDARG;
    if (atomic_load(&init_count) == 0)
        return CO_E_NOTINITIALIZED;
    obj = registered(rclsid, dwClsContext);
    if (obj) {
        hr = obj->lpVtbl->QueryInterface(obj, riid, ppv);
        obj->lpVtbl->Release(obj);
        if (FAILED(hr))
            *ppv = NULL;
        return hr;
    }
    hr = server_entry(&get);
    if (FAILED(hr))
        return hr;
    hr = get(rclsid, riid, ppv);
    if (hr == CLASS_E_CLASSNOTAVAILABLE)
        hr = REGDB_E_CLASSNOTREG; /* C12: nothing serves the class */
    if (FAILED(hr))
        *ppv = NULL;
    return hr;
}

/* Creates one rclsid object and returns its riid interface in *ppv
 * (AddRef'd; the caller releases it).  Errors of CoGetClassObject, then
 * those of IClassFactory::CreateInstance (CLASS_E_NOAGGREGATION,
 * E_NOINTERFACE, ...).  *ppv is NULL on failure. */
HRESULT CoCreateInstance(REFCLSID rclsid, LPUNKNOWN pUnkOuter,
                         DWORD dwClsContext, REFIID riid, LPVOID *ppv)
{
    IClassFactory *cf = NULL;
    HRESULT hr;

    if (!ppv)
        return E_INVALIDARG;
    *ppv = NULL;
    if (!riid)
        return E_INVALIDARG;
    hr = CoGetClassObject(rclsid, dwClsContext, NULL, &IID_IClassFactory,
                          (void **)&cf);
    if (FAILED(hr))
        return hr;
    hr = cf->lpVtbl->CreateInstance(cf, pUnkOuter, riid, ppv);
    cf->lpVtbl->Release(cf);
    if (FAILED(hr))
        *ppv = NULL;
    return hr;
}
