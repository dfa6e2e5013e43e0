/*
 * enum_jobs.c - IEnumBackgroundCopyJobs: a snapshot of jobs taken when
 * IBackgroundCopyManager::EnumJobs ran (docs/decisions.md R22).  Owns one
 * internal hold on each job of the snapshot (no client reference: R8)
 * and its own position, guarded by its own mutex so the enumerator is
 * free-threaded.
 */
#include "ref_private.h"

#include <string.h>

struct enum_jobs {
    IEnumBackgroundCopyJobs IEnumBackgroundCopyJobs_iface;
    LONG ref;
    pthread_mutex_t lock;
    struct job **jobs;
    ULONG n;
    ULONG pos;
};

static const IEnumBackgroundCopyJobsVtbl enum_jobs_vtbl;

static struct enum_jobs *
impl_from_IEnumBackgroundCopyJobs(IEnumBackgroundCopyJobs *iface)
{
    return REF_CONTAINER(iface, struct enum_jobs,
                         IEnumBackgroundCopyJobs_iface);
}

HRESULT ref_enum_jobs_create(struct job **jobs, ULONG n,
                             IEnumBackgroundCopyJobs **out)
{
    struct enum_jobs *e = ref_calloc(1, sizeof *e);
    *out = NULL;
    if (!e) {
        for (ULONG i = 0; i < n; i++)
            ref_job_release(jobs[i]);
        ref_free(jobs);
        return E_OUTOFMEMORY;
    }
    e->IEnumBackgroundCopyJobs_iface.lpVtbl = &enum_jobs_vtbl;
    e->ref = 1;
    pthread_mutex_init(&e->lock, NULL);
    e->jobs = jobs;
    e->n = n;
    ref_object_created();
    *out = &e->IEnumBackgroundCopyJobs_iface;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE enum_jobs_QueryInterface(
    IEnumBackgroundCopyJobs *iface, REFIID riid, void **ppv)
{
    struct enum_jobs *e = impl_from_IEnumBackgroundCopyJobs(iface);
    if (!ppv)
        return E_POINTER;
    *ppv = NULL;
    if (!riid)
        return E_INVALIDARG;
    if (!IsEqualGUID(riid, &IID_IUnknown) &&
        !IsEqualGUID(riid, &IID_IEnumBackgroundCopyJobs))
        return E_NOINTERFACE;
    *ppv = &e->IEnumBackgroundCopyJobs_iface;
    __atomic_add_fetch(&e->ref, 1, __ATOMIC_ACQ_REL);
    return S_OK;
}

static ULONG STDMETHODCALLTYPE enum_jobs_AddRef(IEnumBackgroundCopyJobs *iface)
{
    struct enum_jobs *e = impl_from_IEnumBackgroundCopyJobs(iface);
    return (ULONG)__atomic_add_fetch(&e->ref, 1, __ATOMIC_ACQ_REL);
}

static ULONG STDMETHODCALLTYPE enum_jobs_Release(IEnumBackgroundCopyJobs *iface)
{
    struct enum_jobs *e = impl_from_IEnumBackgroundCopyJobs(iface);
    LONG ref = __atomic_sub_fetch(&e->ref, 1, __ATOMIC_ACQ_REL);
    if (ref == 0) {
        for (ULONG i = 0; i < e->n; i++)
            ref_job_release(e->jobs[i]);
        ref_free(e->jobs);
        pthread_mutex_destroy(&e->lock);
        ref_free(e);
        ref_object_destroyed();
    }
    return (ULONG)ref;
}

static HRESULT STDMETHODCALLTYPE enum_jobs_Next(IEnumBackgroundCopyJobs *iface,
                                                ULONG celt,
                                                IBackgroundCopyJob **rgelt,
                                                ULONG *pceltFetched)
{
    struct enum_jobs *e = impl_from_IEnumBackgroundCopyJobs(iface);
    ULONG k = 0;
    if (pceltFetched)
        *pceltFetched = 0;
    if (!rgelt || (!pceltFetched && celt != 1))
        return E_INVALIDARG;
    pthread_mutex_lock(&e->lock);
    while (k < celt && e->pos < e->n) {
        struct job *job = e->jobs[e->pos++];
        ref_job_com_addref(job); /* a client reference (R8) */
        rgelt[k++] = ref_job_iface(job);
    }
    pthread_mutex_unlock(&e->lock);
    if (pceltFetched)
        *pceltFetched = k;
    return k == celt ? S_OK : S_FALSE;
}

static HRESULT STDMETHODCALLTYPE enum_jobs_Skip(IEnumBackgroundCopyJobs *iface,
                                                ULONG celt)
{
    struct enum_jobs *e = impl_from_IEnumBackgroundCopyJobs(iface);
    HRESULT hr = S_OK;
    pthread_mutex_lock(&e->lock);
    if (celt > e->n - e->pos) {
        e->pos = e->n;
        hr = S_FALSE;
    } else {
        e->pos += celt;
    }
    pthread_mutex_unlock(&e->lock);
    return hr;
}

static HRESULT STDMETHODCALLTYPE enum_jobs_Reset(IEnumBackgroundCopyJobs *iface)
{
    struct enum_jobs *e = impl_from_IEnumBackgroundCopyJobs(iface);
    pthread_mutex_lock(&e->lock);
    e->pos = 0;
    pthread_mutex_unlock(&e->lock);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE enum_jobs_Clone(
    IEnumBackgroundCopyJobs *iface, IEnumBackgroundCopyJobs **ppenum)
{
    struct enum_jobs *e = impl_from_IEnumBackgroundCopyJobs(iface);
    struct job **copy;
    ULONG pos;
    HRESULT hr;
    if (!ppenum)
        return E_INVALIDARG;
    *ppenum = NULL;
    copy = ref_calloc(e->n ? e->n : 1, sizeof *copy);
    if (!copy)
        return E_OUTOFMEMORY;
    pthread_mutex_lock(&e->lock);
    pos = e->pos;
    pthread_mutex_unlock(&e->lock);
    for (ULONG i = 0; i < e->n; i++) {
        copy[i] = e->jobs[i];
        ref_job_addref(copy[i]);
    }
    hr = ref_enum_jobs_create(copy, e->n, ppenum);
    if (SUCCEEDED(hr))
        impl_from_IEnumBackgroundCopyJobs(*ppenum)->pos = pos;
    return hr;
}

static HRESULT STDMETHODCALLTYPE
enum_jobs_GetCount(IEnumBackgroundCopyJobs *iface, ULONG *puCount)
{
    struct enum_jobs *e = impl_from_IEnumBackgroundCopyJobs(iface);
    if (!puCount)
        return E_INVALIDARG;
    *puCount = e->n;
    return S_OK;
}

static const IEnumBackgroundCopyJobsVtbl enum_jobs_vtbl = {
    /* IUnknown */
    enum_jobs_QueryInterface,
    enum_jobs_AddRef,
    enum_jobs_Release,
    /* IEnumBackgroundCopyJobs */
    enum_jobs_Next,
    enum_jobs_Skip,
    enum_jobs_Reset,
    enum_jobs_Clone,
    enum_jobs_GetCount,
};
_Static_assert(sizeof enum_jobs_vtbl == 8 * sizeof(void *),
               "IEnumBackgroundCopyJobs vtable has 8 slots");
