/*
 * do_enum.c - IEnumUnknown over a snapshot of downloads (EnumDownloads).
 *
 * Owns an array of IUnknown pointers (one reference each) shared by the
 * enumerator and its clones (reference counted), and a cursor per
 * enumerator.  Rules of decisions R22: Next with NULL rgelt or with NULL
 * pceltFetched and celt != 1 → E_INVALIDARG; S_FALSE when fewer than celt
 * items remain; Skip past the end → S_FALSE at the end; Clone copies the
 * cursor.
 */
#include "do_private.h"

struct items {
    LONG ref;
    IUnknown **v;
    ULONG n;
};

struct do_enum {
    IEnumUnknown IEnumUnknown_iface;
    LONG ref;
    struct items *items;
    ULONG pos;
    pthread_mutex_t lock;
};

static const IEnumUnknownVtbl enum_vtbl;

static struct do_enum *impl_from_IEnumUnknown(IEnumUnknown *iface)
{
    return REF_CONTAINER(iface, struct do_enum, IEnumUnknown_iface);
}

static void items_release(struct items *it)
{
    if (__atomic_sub_fetch(&it->ref, 1, __ATOMIC_ACQ_REL) != 0)
        return;
    for (ULONG i = 0; i < it->n; i++)
        do_download_release(do_download_from_iface(it->v[i]));
    ref_free(it->v);
    ref_free(it);
}

static HRESULT make(struct items *it, ULONG pos, IEnumUnknown **out)
{
    struct do_enum *e = ref_calloc(1, sizeof *e);
    *out = NULL;
    if (!e)
        return E_OUTOFMEMORY;
    e->IEnumUnknown_iface.lpVtbl = &enum_vtbl;
    e->ref = 1;
    e->items = it;
    e->pos = pos;
    pthread_mutex_init(&e->lock, NULL);
    __atomic_add_fetch(&it->ref, 1, __ATOMIC_ACQ_REL);
    ref_object_created();
    *out = &e->IEnumUnknown_iface;
    return S_OK;
}

HRESULT do_enum_create(IUnknown **v, ULONG n, IEnumUnknown **out)
{
    struct items *it = ref_calloc(1, sizeof *it);
    HRESULT hr;
    *out = NULL;
    if (!it) {
        for (ULONG i = 0; i < n; i++)
            do_download_release(do_download_from_iface(v[i]));
        ref_free(v);
        return E_OUTOFMEMORY;
    }
    it->ref = 1;
    it->v = v;
    it->n = n;
    hr = make(it, 0, out);
    items_release(it);
    return hr;
}

static HRESULT STDMETHODCALLTYPE en_QueryInterface(IEnumUnknown *iface,
                                                   REFIID riid, void **ppv)
{
    if (!ppv)
        return E_POINTER;
    *ppv = NULL;
    if (!riid)
        return E_INVALIDARG;
    if (!IsEqualGUID(riid, &IID_IUnknown) &&
        !IsEqualGUID(riid, &IID_IEnumUnknown))
        return E_NOINTERFACE;
    iface->lpVtbl->AddRef(iface);
    *ppv = iface;
    return S_OK;
}

static ULONG STDMETHODCALLTYPE en_AddRef(IEnumUnknown *iface)
{
    struct do_enum *e = impl_from_IEnumUnknown(iface);
    return (ULONG)__atomic_add_fetch(&e->ref, 1, __ATOMIC_ACQ_REL);
}

static ULONG STDMETHODCALLTYPE en_Release(IEnumUnknown *iface)
{
    struct do_enum *e = impl_from_IEnumUnknown(iface);
    LONG ref = __atomic_sub_fetch(&e->ref, 1, __ATOMIC_ACQ_REL);
    if (ref == 0) {
        items_release(e->items);
        pthread_mutex_destroy(&e->lock);
        ref_free(e);
        ref_object_destroyed();
    }
    return (ULONG)ref;
}

static HRESULT STDMETHODCALLTYPE en_Next(IEnumUnknown *iface, ULONG celt,
                                         IUnknown **rgelt, ULONG *fetched)
{
    struct do_enum *e = impl_from_IEnumUnknown(iface);
    ULONG k = 0;
    if (fetched)
        *fetched = 0;
    if (!rgelt || (!fetched && celt != 1))
        return E_INVALIDARG;
    pthread_mutex_lock(&e->lock);
    while (k < celt && e->pos < e->items->n) {
        rgelt[k] = e->items->v[e->pos++];
        rgelt[k]->lpVtbl->AddRef(rgelt[k]); /* our own object */
        k++;
    }
    pthread_mutex_unlock(&e->lock);
    for (ULONG i = k; i < celt; i++)
        rgelt[i] = NULL;
    if (fetched)
        *fetched = k;
    return k == celt ? S_OK : S_FALSE;
}

static HRESULT STDMETHODCALLTYPE en_Skip(IEnumUnknown *iface, ULONG celt)
{
    struct do_enum *e = impl_from_IEnumUnknown(iface);
    HRESULT hr = S_OK;
    pthread_mutex_lock(&e->lock);
    if (celt > e->items->n - e->pos) {
        e->pos = e->items->n;
        hr = S_FALSE;
    } else {
        e->pos += celt;
    }
    pthread_mutex_unlock(&e->lock);
    return hr;
}

static HRESULT STDMETHODCALLTYPE en_Reset(IEnumUnknown *iface)
{
    struct do_enum *e = impl_from_IEnumUnknown(iface);
    pthread_mutex_lock(&e->lock);
    e->pos = 0;
    pthread_mutex_unlock(&e->lock);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE en_Clone(IEnumUnknown *iface,
                                          IEnumUnknown **out)
{
    struct do_enum *e = impl_from_IEnumUnknown(iface);
    ULONG pos;
    if (!out)
        return E_INVALIDARG;
    pthread_mutex_lock(&e->lock);
    pos = e->pos;
    pthread_mutex_unlock(&e->lock);
    return make(e->items, pos, out);
}

static const IEnumUnknownVtbl enum_vtbl = {
    /* IUnknown */
    en_QueryInterface,
    en_AddRef,
    en_Release,
    /* IEnumUnknown */
    en_Next,
    en_Skip,
    en_Reset,
    en_Clone,
};
_Static_assert(sizeof enum_vtbl == 7 * sizeof(void *),
               "IEnumUnknown vtable has 7 slots");
