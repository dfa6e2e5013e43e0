/*
 * cocreate.c - COM start-up and instance creation for SDK-shaped clients:
 * CoInitialize(Ex), CoUninitialize, CoGetClassObject, CoCreateInstance.
 *
 * docts has no registry.  Every class is served by ONE in-process server:
 * the shared object named by the environment variable DOCOM_SERVER (a
 * path, or a bare name looked up first beside libdocom.so, then by the
 * dynamic loader), "libdoref.so" when unset.  Whatever CLSCTX the caller
 * asks for (BITS clients ask for CLSCTX_LOCAL_SERVER), the class comes from
 * that server's DllGetClassObject.  Loaded servers stay loaded for the
 * life of the process.  Initialisation is counted process-wide (Windows
 * counts per thread); creation before any CoInitialize(Ex) fails with
 * CO_E_NOTINITIALIZED, as on Windows.
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

/* Asks the in-process server (see the file comment) for rclsid's class
 * object as riid.  S_OK; E_INVALIDARG for NULL arguments;
 * CO_E_NOTINITIALIZED before CoInitialize(Ex); CO_E_DLLNOTFOUND when the
 * server cannot be loaded; CO_E_ERRORINDLL when it lacks
 * DllGetClassObject; E_OUTOFMEMORY; otherwise what DllGetClassObject
 * returns (CLASS_E_CLASSNOTAVAILABLE for a class it does not serve).
 * *ppv is NULL on failure. */
HRESULT CoGetClassObject(REFCLSID rclsid, DWORD dwClsContext, LPVOID pvReserved,
                         REFIID riid, LPVOID *ppv)
{
    LPFNGETCLASSOBJECT get;
    HRESULT hr;

    if (!ppv)
        return E_INVALIDARG;
    *ppv = NULL;
    if (!rclsid || !riid)
        return E_INVALIDARG;
    if (atomic_load(&init_count) == 0)
        return CO_E_NOTINITIALIZED;
    hr = server_entry(&get);
    if (FAILED(hr))
        return hr;
    hr = get(rclsid, riid, ppv);
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
