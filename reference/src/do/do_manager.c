/*
 * do_manager.c - IDOManager: the DO-native face of the manager created
 * through CLSID_DeliveryOptimization (spec/interfaces.md §8,
 * docs/do-api.md).
 *
 * The manager object itself lives in manager.c; a DO-mode manager answers
 * QueryInterface(IID_IDOManager) with a tear-off made here.  The tear-off
 * forwards QueryInterface to the manager (so QueryInterface(IID_IUnknown)
 * gives the manager's identity and IDoctsTestClock stays reachable) and
 * holds a reference on it.  CreateDownload makes downloads owned by the
 * calling user (ref_owner); EnumDownloads snapshots that user's live
 * downloads, optionally filtered by one property (decisions DO-16).
 */
#include "do_private.h"

struct do_mgr {
    IDOManager IDOManager_iface;
    LONG ref;
    IUnknown *outer;
};

static const IDOManagerVtbl mgr_vtbl;

static struct do_mgr *impl_from_IDOManager(IDOManager *iface)
{
    return REF_CONTAINER(iface, struct do_mgr, IDOManager_iface);
}

HRESULT do_manager_tearoff(IUnknown *outer, void **ppv)
{
    struct do_mgr *m = ref_calloc(1, sizeof *m);
    *ppv = NULL;
    if (!m)
        return E_OUTOFMEMORY;
    m->IDOManager_iface.lpVtbl = &mgr_vtbl;
    m->ref = 1;
    m->outer = outer;
    outer->lpVtbl->AddRef(outer);
    ref_object_created();
    *ppv = &m->IDOManager_iface;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE mgr_QueryInterface(IDOManager *iface,
                                                    REFIID riid, void **ppv)
{
    struct do_mgr *m = impl_from_IDOManager(iface);
    if (!ppv)
        return E_POINTER;
    *ppv = NULL;
    if (!riid)
        return E_INVALIDARG;
    if (IsEqualGUID(riid, &IID_IDOManager)) {
        __atomic_add_fetch(&m->ref, 1, __ATOMIC_ACQ_REL);
        *ppv = iface;
        return S_OK;
    }
    return m->outer->lpVtbl->QueryInterface(m->outer, riid, ppv);
}

static ULONG STDMETHODCALLTYPE mgr_AddRef(IDOManager *iface)
{
    struct do_mgr *m = impl_from_IDOManager(iface);
    return (ULONG)__atomic_add_fetch(&m->ref, 1, __ATOMIC_ACQ_REL);
}

static ULONG STDMETHODCALLTYPE mgr_Release(IDOManager *iface)
{
    struct do_mgr *m = impl_from_IDOManager(iface);
    LONG ref = __atomic_sub_fetch(&m->ref, 1, __ATOMIC_ACQ_REL);
    if (ref == 0) {
        m->outer->lpVtbl->Release(m->outer);
        ref_free(m);
        ref_object_destroyed();
    }
    return (ULONG)ref;
}

static HRESULT STDMETHODCALLTYPE mgr_CreateDownload(IDOManager *iface,
                                                    IDODownload **download)
{
    WCHAR owner[REF_SID_MAX];
    if (!download)
        return E_INVALIDARG; /* R1 */
    *download = NULL;
    ref_owner_current(owner);
    return do_download_create(owner, download);
}

/* Whether d matches the category (DO-16): Uri, ContentId, Id exact;
 * DisplayName exact; LocalPath case-insensitive (ASCII folding). */
static bool matches(struct do_download *d, const DO_DOWNLOAD_ENUM_CATEGORY *c)
{
    const WCHAR *have;
    bool eq;
    pthread_mutex_lock(&d->lock);
    have = c->Property == DODownloadProperty_Id
               ? d->id
               : (d->props[c->Property].set ? d->props[c->Property].s : NULL);
    if (!have) {
        eq = false;
    } else if (c->Property == DODownloadProperty_LocalPath) {
        size_t i = 0;
        for (;; i++) {
            WCHAR a = have[i], b = c->Value[i];
            if (a >= u'A' && a <= u'Z')
                a = (WCHAR)(a + 32);
            if (b >= u'A' && b <= u'Z')
                b = (WCHAR)(b + 32);
            if (a != b || !a)
                break;
        }
        eq = have[i] == 0 && c->Value[i] == 0;
    } else {
        eq = ref_wcscmp(have, c->Value) == 0;
    }
    pthread_mutex_unlock(&d->lock);
    return eq;
}

static HRESULT STDMETHODCALLTYPE
mgr_EnumDownloads(IDOManager *iface, const DO_DOWNLOAD_ENUM_CATEGORY *category,
                  IEnumUnknown **ppEnum)
{
    WCHAR owner[REF_SID_MAX];
    struct do_download **all;
    IUnknown **items;
    ULONG n, k = 0;
    HRESULT hr;

    if (!ppEnum)
        return E_INVALIDARG;
    *ppEnum = NULL;
    if (category) {
        const struct do_prop_info *pi = do_prop_find((int)category->Property);
        if (!pi || !pi->enum_category || !category->Value)
            return E_INVALIDARG; /* DO-16 */
    }
    ref_owner_current(owner);
    if (FAILED(hr = do_service_snapshot(owner, &all, &n)))
        return hr;
    if (!(items = ref_calloc(n ? n : 1, sizeof *items))) {
        for (ULONG i = 0; i < n; i++)
            do_download_release(all[i]);
        ref_free(all);
        return E_OUTOFMEMORY;
    }
    for (ULONG i = 0; i < n; i++) {
        if (!category || matches(all[i], category))
            items[k++] = (IUnknown *)&all[i]->IDODownload_iface; /* its ref */
        else
            do_download_release(all[i]);
    }
    ref_free(all);
    if (k == 0) {
        ref_free(items);
        return DO_E_NO_DOWNLOADS; /* spec §9.6, DO-16 */
    }
    return do_enum_create(items, k, ppEnum);
}

static const IDOManagerVtbl mgr_vtbl = {
    /* IUnknown */
    mgr_QueryInterface,
    mgr_AddRef,
    mgr_Release,
    /* IDOManager */
    mgr_CreateDownload,
    mgr_EnumDownloads,
};
_Static_assert(sizeof mgr_vtbl == 5 * sizeof(void *),
               "IDOManager vtable has 5 slots");
