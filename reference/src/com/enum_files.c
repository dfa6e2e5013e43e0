/*
 * enum_files.c - IEnumBackgroundCopyFiles: the files of a job, in insertion
 * order, as they were when IBackgroundCopyJob::EnumFiles ran
 * (docs/decisions.md R21, R22).  Holds one file object per file of the
 * snapshot (an internal hold, not a client reference: R8, so a client's
 * last Release of a file it got from Next returns 0) and its own
 * position, guarded by its own mutex.
 */
#include "ref_private.h"

struct enum_files {
    IEnumBackgroundCopyFiles IEnumBackgroundCopyFiles_iface;
    LONG ref;
    pthread_mutex_t lock;
    IBackgroundCopyFile **files;
    ULONG n;
    ULONG pos;
};

static const IEnumBackgroundCopyFilesVtbl enum_files_vtbl;

static struct enum_files *
impl_from_IEnumBackgroundCopyFiles(IEnumBackgroundCopyFiles *iface)
{
    return REF_CONTAINER(iface, struct enum_files,
                         IEnumBackgroundCopyFiles_iface);
}

static void release_files(IBackgroundCopyFile **files, ULONG n)
{
    for (ULONG i = 0; i < n; i++)
        ref_file_unhold(files[i]);
    ref_free(files);
}

/* An enumerator over `files` (takes over the array and its holds). */
static HRESULT enum_files_wrap(IBackgroundCopyFile **files, ULONG n, ULONG pos,
                               IEnumBackgroundCopyFiles **out)
{
    struct enum_files *e = ref_calloc(1, sizeof *e);
    *out = NULL;
    if (!e) {
        release_files(files, n);
        return E_OUTOFMEMORY;
    }
    e->IEnumBackgroundCopyFiles_iface.lpVtbl = &enum_files_vtbl;
    e->ref = 1;
    pthread_mutex_init(&e->lock, NULL);
    e->files = files;
    e->n = n;
    e->pos = pos;
    ref_object_created();
    *out = &e->IEnumBackgroundCopyFiles_iface;
    return S_OK;
}

HRESULT ref_enum_files_create(struct job *job, IEnumBackgroundCopyFiles **out)
{
    IBackgroundCopyFile **files;
    struct file_rec **recs;
    ULONG n, made = 0;
    HRESULT hr = S_OK;
    *out = NULL;
    /* Copy the record list under the lock, make objects outside it. */
    pthread_mutex_lock(&job->lock);
    n = job->nfiles;
    recs = ref_calloc(n ? n : 1, sizeof *recs);
    if (recs)
        for (ULONG i = 0; i < n; i++)
            recs[i] = job->files[i];
    pthread_mutex_unlock(&job->lock);
    if (!recs)
        return E_OUTOFMEMORY;
    files = ref_calloc(n ? n : 1, sizeof *files);
    if (!files) {
        ref_free(recs);
        return E_OUTOFMEMORY;
    }
    for (; made < n; made++) {
        if (FAILED(hr = ref_file_create(job, recs[made], &files[made])))
            break;
        ref_file_keep(files[made]); /* a hold, not a client reference */
    }
    ref_free(recs);
    if (FAILED(hr)) {
        release_files(files, made);
        return hr;
    }
    return enum_files_wrap(files, n, 0, out);
}

static HRESULT STDMETHODCALLTYPE enum_files_QueryInterface(
    IEnumBackgroundCopyFiles *iface, REFIID riid, void **ppv)
{
    struct enum_files *e = impl_from_IEnumBackgroundCopyFiles(iface);
    if (!ppv)
        return E_POINTER;
    *ppv = NULL;
    if (!riid)
        return E_INVALIDARG;
    if (!IsEqualGUID(riid, &IID_IUnknown) &&
        !IsEqualGUID(riid, &IID_IEnumBackgroundCopyFiles))
        return E_NOINTERFACE;
    *ppv = &e->IEnumBackgroundCopyFiles_iface;
    __atomic_add_fetch(&e->ref, 1, __ATOMIC_ACQ_REL);
    return S_OK;
}

static ULONG STDMETHODCALLTYPE
enum_files_AddRef(IEnumBackgroundCopyFiles *iface)
{
    struct enum_files *e = impl_from_IEnumBackgroundCopyFiles(iface);
    return (ULONG)__atomic_add_fetch(&e->ref, 1, __ATOMIC_ACQ_REL);
}

static ULONG STDMETHODCALLTYPE
enum_files_Release(IEnumBackgroundCopyFiles *iface)
{
    struct enum_files *e = impl_from_IEnumBackgroundCopyFiles(iface);
    LONG ref = __atomic_sub_fetch(&e->ref, 1, __ATOMIC_ACQ_REL);
    if (ref == 0) {
        release_files(e->files, e->n);
        pthread_mutex_destroy(&e->lock);
        ref_free(e);
        ref_object_destroyed();
    }
    return (ULONG)ref;
}

static HRESULT STDMETHODCALLTYPE
enum_files_Next(IEnumBackgroundCopyFiles *iface, ULONG celt,
                IBackgroundCopyFile **rgelt, ULONG *pceltFetched)
{
    struct enum_files *e = impl_from_IEnumBackgroundCopyFiles(iface);
    ULONG k = 0;
    if (pceltFetched)
        *pceltFetched = 0;
    if (!rgelt || (!pceltFetched && celt != 1))
        return E_INVALIDARG;
    pthread_mutex_lock(&e->lock);
    while (k < celt && e->pos < e->n) {
        IBackgroundCopyFile *f = e->files[e->pos++];
        f->lpVtbl->AddRef(f); /* a client reference (R8); no client code */
        rgelt[k++] = f;
    }
    pthread_mutex_unlock(&e->lock);
    if (pceltFetched)
        *pceltFetched = k;
    return k == celt ? S_OK : S_FALSE;
}

static HRESULT STDMETHODCALLTYPE
enum_files_Skip(IEnumBackgroundCopyFiles *iface, ULONG celt)
{
    struct enum_files *e = impl_from_IEnumBackgroundCopyFiles(iface);
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

static HRESULT STDMETHODCALLTYPE
enum_files_Reset(IEnumBackgroundCopyFiles *iface)
{
    struct enum_files *e = impl_from_IEnumBackgroundCopyFiles(iface);
    pthread_mutex_lock(&e->lock);
    e->pos = 0;
    pthread_mutex_unlock(&e->lock);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE enum_files_Clone(
    IEnumBackgroundCopyFiles *iface, IEnumBackgroundCopyFiles **ppenum)
{
    struct enum_files *e = impl_from_IEnumBackgroundCopyFiles(iface);
    IBackgroundCopyFile **copy;
    ULONG pos;
    if (!ppenum)
        return E_INVALIDARG;
    *ppenum = NULL;
    copy = ref_calloc(e->n ? e->n : 1, sizeof *copy);
    if (!copy)
        return E_OUTOFMEMORY;
    for (ULONG i = 0; i < e->n; i++) {
        copy[i] = e->files[i];
        ref_file_hold(copy[i]);
    }
    pthread_mutex_lock(&e->lock);
    pos = e->pos;
    pthread_mutex_unlock(&e->lock);
    return enum_files_wrap(copy, e->n, pos, ppenum);
}

static HRESULT STDMETHODCALLTYPE
enum_files_GetCount(IEnumBackgroundCopyFiles *iface, ULONG *puCount)
{
    struct enum_files *e = impl_from_IEnumBackgroundCopyFiles(iface);
    if (!puCount)
        return E_INVALIDARG;
    *puCount = e->n;
    return S_OK;
}

static const IEnumBackgroundCopyFilesVtbl enum_files_vtbl = {
    /* IUnknown */
    enum_files_QueryInterface,
    enum_files_AddRef,
    enum_files_Release,
    /* IEnumBackgroundCopyFiles */
    enum_files_Next,
    enum_files_Skip,
    enum_files_Reset,
    enum_files_Clone,
    enum_files_GetCount,
};
_Static_assert(sizeof enum_files_vtbl == 8 * sizeof(void *),
               "IEnumBackgroundCopyFiles vtable has 8 slots");
