/*
 * error.c - the error object (IBackgroundCopyError).
 *
 * Each IBackgroundCopyJob::GetError builds a fresh object from the job's
 * stored {context, code, file} (Wine's model); the object keeps a job
 * reference so GetFile can still reach the file record.  Which contexts
 * have a file and a protocol: docs/decisions.md R24.
 */
#include "ref_private.h"

struct error {
    IBackgroundCopyError IBackgroundCopyError_iface;
    LONG ref;
    struct job *job; /* strong reference */
    BG_ERROR_CONTEXT context;
    HRESULT code;
    long file; /* index, or -1 */
};

static const IBackgroundCopyErrorVtbl error_vtbl;

static struct error *impl_from_IBackgroundCopyError(IBackgroundCopyError *iface)
{
    return REF_CONTAINER(iface, struct error, IBackgroundCopyError_iface);
}

HRESULT ref_error_create(struct job *job, BG_ERROR_CONTEXT context,
                         HRESULT code, long file, IBackgroundCopyError **out)
{
    struct error *e = ref_calloc(1, sizeof *e);
    *out = NULL;
    if (!e)
        return E_OUTOFMEMORY;
    e->IBackgroundCopyError_iface.lpVtbl = &error_vtbl;
    e->ref = 1;
    e->job = job;
    e->context = context;
    e->code = code;
    e->file = file;
    ref_job_addref(job);
    ref_object_created();
    *out = &e->IBackgroundCopyError_iface;
    return S_OK;
}

/* Contexts tied to a file (R24). */
static int context_has_file(BG_ERROR_CONTEXT ctx)
{
    return ctx == BG_ERROR_CONTEXT_LOCAL_FILE ||
           ctx == BG_ERROR_CONTEXT_REMOTE_FILE ||
           ctx == BG_ERROR_CONTEXT_GENERAL_TRANSPORT ||
           ctx == BG_ERROR_CONTEXT_REMOTE_APPLICATION;
}

/* Contexts tied to a protocol (R24). */
static int context_has_protocol(BG_ERROR_CONTEXT ctx)
{
    return ctx == BG_ERROR_CONTEXT_REMOTE_FILE ||
           ctx == BG_ERROR_CONTEXT_GENERAL_TRANSPORT ||
           ctx == BG_ERROR_CONTEXT_REMOTE_APPLICATION;
}

static HRESULT STDMETHODCALLTYPE
error_QueryInterface(IBackgroundCopyError *iface, REFIID riid, void **ppv)
{
    struct error *e = impl_from_IBackgroundCopyError(iface);
    if (!ppv)
        return E_POINTER;
    *ppv = NULL;
    if (!riid)
        return E_INVALIDARG;
    if (!IsEqualGUID(riid, &IID_IUnknown) &&
        !IsEqualGUID(riid, &IID_IBackgroundCopyError))
        return E_NOINTERFACE;
    *ppv = &e->IBackgroundCopyError_iface;
    __atomic_add_fetch(&e->ref, 1, __ATOMIC_ACQ_REL);
    return S_OK;
}

static ULONG STDMETHODCALLTYPE error_AddRef(IBackgroundCopyError *iface)
{
    struct error *e = impl_from_IBackgroundCopyError(iface);
    return (ULONG)__atomic_add_fetch(&e->ref, 1, __ATOMIC_ACQ_REL);
}

static ULONG STDMETHODCALLTYPE error_Release(IBackgroundCopyError *iface)
{
    struct error *e = impl_from_IBackgroundCopyError(iface);
    LONG ref = __atomic_sub_fetch(&e->ref, 1, __ATOMIC_ACQ_REL);
    if (ref == 0) {
        ref_job_release(e->job);
        ref_free(e);
        ref_object_destroyed();
    }
    return (ULONG)ref;
}

static HRESULT STDMETHODCALLTYPE error_GetError(IBackgroundCopyError *iface,
                                                BG_ERROR_CONTEXT *pContext,
                                                HRESULT *pCode)
{
    struct error *e = impl_from_IBackgroundCopyError(iface);
    if (pContext)
        *pContext = BG_ERROR_CONTEXT_NONE;
    if (pCode)
        *pCode = S_OK;
    if (!pContext || !pCode)
        return E_INVALIDARG;
    *pContext = e->context;
    *pCode = e->code;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE error_GetFile(IBackgroundCopyError *iface,
                                               IBackgroundCopyFile **pVal)
{
    struct error *e = impl_from_IBackgroundCopyError(iface);
    struct file_rec *rec = NULL;
    if (!pVal)
        return E_INVALIDARG;
    *pVal = NULL;
    if (context_has_file(e->context) && e->file >= 0) {
        pthread_mutex_lock(&e->job->lock);
        if ((ULONG)e->file < e->job->nfiles)
            rec = e->job->files[e->file];
        pthread_mutex_unlock(&e->job->lock);
    }
    if (!rec)
        return ref_hr(e->job->mode, BG_E_FILE_NOT_AVAILABLE);
    return ref_file_create(e->job, rec, pVal);
}

static HRESULT STDMETHODCALLTYPE error_GetErrorDescription(
    IBackgroundCopyError *iface, DWORD LanguageId, LPWSTR *pErrorDescription)
{
    struct error *e = impl_from_IBackgroundCopyError(iface);
    if (!pErrorDescription)
        return E_INVALIDARG;
    return ref_msg_describe(e->code, LanguageId, 0, pErrorDescription);
}

static HRESULT STDMETHODCALLTYPE error_GetErrorContextDescription(
    IBackgroundCopyError *iface, DWORD LanguageId, LPWSTR *pContextDescription)
{
    struct error *e = impl_from_IBackgroundCopyError(iface);
    if (!pContextDescription)
        return E_INVALIDARG;
    return ref_msg_describe_context(e->context, LanguageId,
                                    pContextDescription);
}

static HRESULT STDMETHODCALLTYPE error_GetProtocol(IBackgroundCopyError *iface,
                                                   LPWSTR *pProtocol)
{
    struct error *e = impl_from_IBackgroundCopyError(iface);
    enum ref_proto proto = REF_PROTO_NONE;
    if (!pProtocol)
        return E_INVALIDARG;
    *pProtocol = NULL;
    if (context_has_protocol(e->context) && e->file >= 0) {
        pthread_mutex_lock(&e->job->lock);
        if ((ULONG)e->file < e->job->nfiles)
            proto = e->job->files[e->file]->proto;
        pthread_mutex_unlock(&e->job->lock);
    }
    if (proto == REF_PROTO_NONE)
        return BG_E_PROTOCOL_NOT_AVAILABLE;
    return ref_task_wcsdup(proto == REF_PROTO_HTTP ? u"http" : u"file",
                           pProtocol);
}

static const IBackgroundCopyErrorVtbl error_vtbl = {
    /* IUnknown */
    error_QueryInterface,
    error_AddRef,
    error_Release,
    /* IBackgroundCopyError */
    error_GetError,
    error_GetFile,
    error_GetErrorDescription,
    error_GetErrorContextDescription,
    error_GetProtocol,
};
_Static_assert(sizeof error_vtbl == 8 * sizeof(void *),
               "IBackgroundCopyError vtable has 8 slots");
