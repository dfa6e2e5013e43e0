/*
 * file.c - the file object: IBackgroundCopyFile through IBackgroundCopyFile6
 * and (DO mode) IDeliveryOptimizationFile and IDeliveryOptimizationFile2,
 * on one object with one reference count.
 *
 * A file object is a view of one record of a job (struct file_rec, owned by
 * the job): it holds a reference to the job, reads and writes the record
 * under the job's lock, and may be one of several objects for the same
 * record (docs/decisions.md R21).  Nothing here transfers data.  Layer
 * com: imports only core (the temporary-name rule is ref_job.c's).
 */
#include "ref_job.h"

#include <stdio.h>
#include <string.h>

struct file {
    IBackgroundCopyFile6 IBackgroundCopyFile6_iface;
    IDeliveryOptimizationFile IDeliveryOptimizationFile_iface;
    IDeliveryOptimizationFile2 IDeliveryOptimizationFile2_iface;
    LONG ref;
    struct job *job;      /* strong reference */
    struct file_rec *rec; /* owned by job */
};

static const IBackgroundCopyFile6Vtbl file_vtbl;
static const IDeliveryOptimizationFileVtbl dofile_vtbl;
static const IDeliveryOptimizationFile2Vtbl dofile2_vtbl;

static struct file *impl_from_IBackgroundCopyFile6(IBackgroundCopyFile6 *iface)
{
    return REF_CONTAINER(iface, struct file, IBackgroundCopyFile6_iface);
}

static struct file *
impl_from_IDeliveryOptimizationFile(IDeliveryOptimizationFile *iface)
{
    return REF_CONTAINER(iface, struct file, IDeliveryOptimizationFile_iface);
}

static struct file *
impl_from_IDeliveryOptimizationFile2(IDeliveryOptimizationFile2 *iface)
{
    return REF_CONTAINER(iface, struct file, IDeliveryOptimizationFile2_iface);
}

static void file_lock(struct file *f)
{
    pthread_mutex_lock(&f->job->lock);
}

static void file_unlock(struct file *f)
{
    pthread_mutex_unlock(&f->job->lock);
}

/* mode(BG_E_INVALID_STATE) when the file's job is final. */
static HRESULT file_check_state(struct file *f)
{
    if (ref_state_is_final(ref_job_state(f->job)))
        return ref_hr(f->job->mode, BG_E_INVALID_STATE);
    return S_OK;
}

/* Bytes the record will transfer (see job.c's rule): its size or the sum
 * of its ranges, BG_SIZE_UNKNOWN while unknown. */
static UINT64 file_total(const struct file_rec *rec)
{
    UINT64 sum = 0;
    if (!rec->nranges)
        return rec->size;
    for (DWORD i = 0; i < rec->nranges; i++) {
        const BG_FILE_RANGE *r = &rec->ranges[i];
        if (r->Length != BG_LENGTH_TO_EOF)
            sum += r->Length;
        else if (rec->size == BG_SIZE_UNKNOWN)
            return BG_SIZE_UNKNOWN;
        else if (r->InitialOffset < rec->size)
            sum += rec->size - r->InitialOffset;
    }
    return sum;
}

HRESULT ref_file_create(struct job *job, struct file_rec *rec,
                        IBackgroundCopyFile **out)
{
    struct file *f = ref_calloc(1, sizeof *f);
    *out = NULL;
    if (!f)
        return E_OUTOFMEMORY;
    f->IBackgroundCopyFile6_iface.lpVtbl = &file_vtbl;
    f->IDeliveryOptimizationFile_iface.lpVtbl = &dofile_vtbl;
    f->IDeliveryOptimizationFile2_iface.lpVtbl = &dofile2_vtbl;
    f->ref = 1;
    f->job = job;
    f->rec = rec;
    ref_job_addref(job);
    ref_object_created();
    *out = (IBackgroundCopyFile *)&f->IBackgroundCopyFile6_iface;
    return S_OK;
}

/* ---- IUnknown ---------------------------------------------------------- */

static HRESULT file_query(struct file *f, REFIID riid, void **ppv)
{
    if (!ppv)
        return E_POINTER;
    *ppv = NULL;
    if (!riid)
        return E_INVALIDARG;
    if (IsEqualGUID(riid, &IID_IUnknown) ||
        IsEqualGUID(riid, &IID_IBackgroundCopyFile) ||
        IsEqualGUID(riid, &IID_IBackgroundCopyFile2) ||
        IsEqualGUID(riid, &IID_IBackgroundCopyFile3) ||
        IsEqualGUID(riid, &IID_IBackgroundCopyFile4) ||
        IsEqualGUID(riid, &IID_IBackgroundCopyFile5) ||
        IsEqualGUID(riid, &IID_IBackgroundCopyFile6))
        *ppv = &f->IBackgroundCopyFile6_iface;
    else if (f->job->mode == REF_MODE_DO &&
             IsEqualGUID(riid, &IID_IDeliveryOptimizationFile))
        *ppv = &f->IDeliveryOptimizationFile_iface; /* D5 */
    else if (f->job->mode == REF_MODE_DO &&
             IsEqualGUID(riid, &IID_IDeliveryOptimizationFile2))
        *ppv = &f->IDeliveryOptimizationFile2_iface;
    else
        return E_NOINTERFACE;
    __atomic_add_fetch(&f->ref, 1, __ATOMIC_ACQ_REL);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE
file_QueryInterface(IBackgroundCopyFile6 *iface, REFIID riid, void **ppv)
{
    return file_query(impl_from_IBackgroundCopyFile6(iface), riid, ppv);
}

static ULONG STDMETHODCALLTYPE file_AddRef(IBackgroundCopyFile6 *iface)
{
    struct file *f = impl_from_IBackgroundCopyFile6(iface);
    return (ULONG)__atomic_add_fetch(&f->ref, 1, __ATOMIC_ACQ_REL);
}

static ULONG STDMETHODCALLTYPE file_Release(IBackgroundCopyFile6 *iface)
{
    struct file *f = impl_from_IBackgroundCopyFile6(iface);
    LONG ref = __atomic_sub_fetch(&f->ref, 1, __ATOMIC_ACQ_REL);
    if (ref == 0) {
        ref_job_release(f->job);
        ref_free(f);
        ref_object_destroyed();
    }
    return (ULONG)ref;
}

/* ---- IBackgroundCopyFile ----------------------------------------------- */

static HRESULT file_get_name(struct file *f, WCHAR *const *field, LPWSTR *out)
{
    HRESULT hr;
    if (!out)
        return E_INVALIDARG;
    file_lock(f);
    hr = ref_task_wcsdup(*field ? *field : u"", out);
    file_unlock(f);
    return hr;
}

static HRESULT STDMETHODCALLTYPE file_GetRemoteName(IBackgroundCopyFile6 *iface,
                                                    LPWSTR *pVal)
{
    struct file *f = impl_from_IBackgroundCopyFile6(iface);
    return file_get_name(f, &f->rec->remote, pVal);
}

static HRESULT STDMETHODCALLTYPE file_GetLocalName(IBackgroundCopyFile6 *iface,
                                                   LPWSTR *pVal)
{
    struct file *f = impl_from_IBackgroundCopyFile6(iface);
    return file_get_name(f, &f->rec->local, pVal);
}

static HRESULT STDMETHODCALLTYPE file_GetProgress(IBackgroundCopyFile6 *iface,
                                                  BG_FILE_PROGRESS *pVal)
{
    struct file *f = impl_from_IBackgroundCopyFile6(iface);
    BG_FILE_PROGRESS p;
    if (!pVal)
        return E_INVALIDARG;
    memset(&p, 0, sizeof p);
    file_lock(f);
    p.BytesTotal = file_total(f->rec);
    p.BytesTransferred = f->rec->transferred;
    p.Completed = f->rec->completed;
    file_unlock(f);
    *pVal = p;
    return S_OK;
}

/* ---- IBackgroundCopyFile2 ---------------------------------------------- */

static HRESULT STDMETHODCALLTYPE file_GetFileRanges(IBackgroundCopyFile6 *iface,
                                                    DWORD *RangeCount,
                                                    BG_FILE_RANGE **Ranges)
{
    struct file *f = impl_from_IBackgroundCopyFile6(iface);
    HRESULT hr = S_OK;
    if (RangeCount)
        *RangeCount = 0;
    if (Ranges)
        *Ranges = NULL;
    if (!RangeCount || !Ranges)
        return E_INVALIDARG;
    file_lock(f);
    if (!f->rec->nranges) {
        hr = S_FALSE; /* no ranges (documented) */
        goto out;
    }
    *Ranges = ref_task_alloc(f->rec->nranges * sizeof(BG_FILE_RANGE));
    if (!*Ranges) {
        hr = E_OUTOFMEMORY;
        goto out;
    }
    memcpy(*Ranges, f->rec->ranges, f->rec->nranges * sizeof(BG_FILE_RANGE));
    *RangeCount = f->rec->nranges;
out:
    file_unlock(f);
    return hr;
}

static HRESULT STDMETHODCALLTYPE file_SetRemoteName(IBackgroundCopyFile6 *iface,
                                                    LPCWSTR Val)
{
    struct file *f = impl_from_IBackgroundCopyFile6(iface);
    enum ref_proto proto;
    WCHAR *copy, *old;
    HRESULT hr;
    if (f->job->type != BG_JOB_TYPE_DOWNLOAD)
        return E_NOTIMPL; /* documented for upload jobs */
    if (!Val || FAILED(ref_check_remote(f->job->mode, Val, &proto)))
        return E_INVALIDARG;
    if (!(copy = ref_wcsdup(Val)))
        return E_OUTOFMEMORY;
    file_lock(f);
    if (FAILED(hr = file_check_state(f))) {
        old = copy;
        goto out;
    }
    if ((f->rec->proto != REF_PROTO_NONE && proto != f->rec->proto) ||
        (f->rec->nranges && proto != REF_PROTO_HTTP)) {
        hr = E_INVALIDARG; /* protocol switch (spec §7.5) */
        old = copy;
        goto out;
    }
    old = f->rec->remote;
    f->rec->remote = copy;
    f->rec->proto = proto;
    f->rec->pst_dirty = TRUE; /* the job store: with the job's next write */
    ref_job_stamp_locked(f->job);
out:
    file_unlock(f);
    ref_free(old);
    return hr;
}

/* ---- IBackgroundCopyFile3 (R29) ---------------------------------------- */

static HRESULT STDMETHODCALLTYPE
file_GetTemporaryName(IBackgroundCopyFile6 *iface, LPWSTR *pFilename)
{
    struct file *f = impl_from_IBackgroundCopyFile6(iface);
    WCHAR *name = NULL;
    HRESULT hr = S_OK;
    if (!pFilename)
        return E_INVALIDARG;
    *pFilename = NULL;
    file_lock(f);
    if (f->rec->local && !(name = ref_file_temp_name(f->job, f->rec)))
        hr = E_OUTOFMEMORY;
    file_unlock(f);
    if (name) /* no local name yet: S_OK with NULL (R29) */
        hr = ref_task_wcsdup(name, pFilename);
    ref_free(name);
    return hr;
}

static HRESULT STDMETHODCALLTYPE
file_SetValidationState(IBackgroundCopyFile6 *iface, BOOL state)
{
    struct file *f = impl_from_IBackgroundCopyFile6(iface);
    HRESULT hr = S_OK;
    file_lock(f);
    if (!f->rec->done)
        hr = E_PENDING; /* documented: file not yet transferred */
    else {
        f->rec->validation = state ? TRUE : FALSE;
        f->rec->pst_dirty = TRUE; /* the job store: with the next write */
    }
    file_unlock(f);
    return hr;
}

static HRESULT STDMETHODCALLTYPE
file_GetValidationState(IBackgroundCopyFile6 *iface, BOOL *pState)
{
    struct file *f = impl_from_IBackgroundCopyFile6(iface);
    if (!pState)
        return E_INVALIDARG;
    file_lock(f);
    *pState = f->rec->validation;
    file_unlock(f);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE
file_IsDownloadedFromPeer(IBackgroundCopyFile6 *iface, BOOL *pVal)
{
    if (!pVal)
        return E_INVALIDARG;
    *pVal = FALSE; /* the simulator has no peers */
    return S_OK;
}

/* ---- IBackgroundCopyFile4 ---------------------------------------------- */

static HRESULT STDMETHODCALLTYPE file_GetPeerDownloadStats(
    IBackgroundCopyFile6 *iface, UINT64 *pFromOrigin, UINT64 *pFromPeers)
{
    struct file *f = impl_from_IBackgroundCopyFile6(iface);
    if (pFromOrigin)
        *pFromOrigin = 0;
    if (pFromPeers)
        *pFromPeers = 0;
    if (!pFromOrigin || !pFromPeers)
        return E_INVALIDARG;
    file_lock(f);
    *pFromOrigin = f->rec->transferred;
    file_unlock(f);
    *pFromPeers = 0;
    return S_OK;
}

/* ---- IBackgroundCopyFile5 (D10) ---------------------------------------- */

static HRESULT STDMETHODCALLTYPE
file_SetProperty(IBackgroundCopyFile6 *iface, BITS_FILE_PROPERTY_ID PropertyId,
                 BITS_FILE_PROPERTY_VALUE PropertyValue)
{
    struct file *f = impl_from_IBackgroundCopyFile6(iface);
    if (PropertyId != BITS_FILE_PROPERTY_ID_HTTP_RESPONSE_HEADERS)
        return ref_hr(f->job->mode, BG_E_UNKNOWN_PROPERTY_ID);
    return ref_hr(f->job->mode, BG_E_READ_ONLY_PROPERTY);
}

static HRESULT STDMETHODCALLTYPE
file_GetProperty(IBackgroundCopyFile6 *iface, BITS_FILE_PROPERTY_ID PropertyId,
                 BITS_FILE_PROPERTY_VALUE *PropertyValue)
{
    struct file *f = impl_from_IBackgroundCopyFile6(iface);
    HRESULT hr;
    if (!PropertyValue)
        return E_INVALIDARG;
    PropertyValue->String = NULL;
    if (PropertyId != BITS_FILE_PROPERTY_ID_HTTP_RESPONSE_HEADERS)
        return ref_hr(f->job->mode, BG_E_UNKNOWN_PROPERTY_ID);
    file_lock(f);
    hr = ref_task_widen(f->rec->response_headers, &PropertyValue->String);
    file_unlock(f);
    return hr;
}

/* ---- IBackgroundCopyFile6 (R29) ---------------------------------------- */

/* S_OK when the job is not final and in on-demand mode. */
static HRESULT file_check_on_demand(struct file *f)
{
    HRESULT hr = file_check_state(f);
    if (SUCCEEDED(hr) && !f->job->on_demand)
        hr = BG_E_UNSUPPORTED_JOB_CONFIGURATION;
    return hr;
}

static HRESULT STDMETHODCALLTYPE
file_UpdateDownloadPosition(IBackgroundCopyFile6 *iface, UINT64 offset)
{
    struct file *f = impl_from_IBackgroundCopyFile6(iface);
    HRESULT hr;
    file_lock(f);
    if (SUCCEEDED(hr = file_check_on_demand(f))) {
        f->rec->position = offset;
        f->rec->pst_dirty = TRUE;
    }
    file_unlock(f);
    return hr;
}

static HRESULT STDMETHODCALLTYPE file_RequestFileRanges(
    IBackgroundCopyFile6 *iface, DWORD rangeCount, const BG_FILE_RANGE *ranges)
{
    struct file *f = impl_from_IBackgroundCopyFile6(iface);
    BG_FILE_RANGE *copy;
    HRESULT hr;
    if (!rangeCount || !ranges)
        return E_INVALIDARG;
    if (FAILED(hr = ref_check_ranges(f->job->mode, ranges, rangeCount,
                                     BG_SIZE_UNKNOWN)))
        return hr;
    copy = ref_calloc(rangeCount, sizeof *copy);
    if (!copy)
        return E_OUTOFMEMORY;
    memcpy(copy, ranges, rangeCount * sizeof *copy);
    file_lock(f);
    if (SUCCEEDED(hr = file_check_on_demand(f))) {
        BG_FILE_RANGE *t = f->rec->requested;
        f->rec->requested = copy;
        f->rec->nrequested = rangeCount;
        f->rec->pst_dirty = TRUE;
        copy = t;
        ref_sched_ranges_check_locked(f->job, f->rec); /* already there? */
    }
    file_unlock(f);
    ref_free(copy);
    return hr;
}

static HRESULT STDMETHODCALLTYPE file_GetFilledFileRanges(
    IBackgroundCopyFile6 *iface, DWORD *rangeCount, BG_FILE_RANGE **ranges)
{
    struct file *f = impl_from_IBackgroundCopyFile6(iface);
    HRESULT hr;
    if (rangeCount)
        *rangeCount = 0;
    if (ranges)
        *ranges = NULL;
    if (!rangeCount || !ranges)
        return E_INVALIDARG;
    file_lock(f);
    hr = file_check_on_demand(f);
    if (SUCCEEDED(hr) && !f->rec->nranges && f->rec->transferred) {
        /* I20: a whole file is written from byte 0 on, so the filled
         * part is one range at its head. */
        BG_FILE_RANGE *r = ref_task_alloc(sizeof *r);
        if (!r) {
            hr = E_OUTOFMEMORY;
        } else {
            r->InitialOffset = 0;
            r->Length = f->rec->transferred;
            *ranges = r;
            *rangeCount = 1;
        }
    }
    file_unlock(f);
    return hr;
}

static const IBackgroundCopyFile6Vtbl file_vtbl = {
    /* IUnknown */
    file_QueryInterface,
    file_AddRef,
    file_Release,
    /* IBackgroundCopyFile */
    file_GetRemoteName,
    file_GetLocalName,
    file_GetProgress,
    /* IBackgroundCopyFile2 */
    file_GetFileRanges,
    file_SetRemoteName,
    /* IBackgroundCopyFile3 */
    file_GetTemporaryName,
    file_SetValidationState,
    file_GetValidationState,
    file_IsDownloadedFromPeer,
    /* IBackgroundCopyFile4 */
    file_GetPeerDownloadStats,
    /* IBackgroundCopyFile5 */
    file_SetProperty,
    file_GetProperty,
    /* IBackgroundCopyFile6 */
    file_UpdateDownloadPosition,
    file_RequestFileRanges,
    file_GetFilledFileRanges,
};
_Static_assert(sizeof file_vtbl == 18 * sizeof(void *),
               "IBackgroundCopyFile6 vtable has 18 slots");

/* ---- IDeliveryOptimizationFile (R31) ----------------------------------- */

static HRESULT STDMETHODCALLTYPE
dofile_QueryInterface(IDeliveryOptimizationFile *iface, REFIID riid, void **ppv)
{
    return file_query(impl_from_IDeliveryOptimizationFile(iface), riid, ppv);
}

static ULONG STDMETHODCALLTYPE dofile_AddRef(IDeliveryOptimizationFile *iface)
{
    struct file *f = impl_from_IDeliveryOptimizationFile(iface);
    return file_AddRef(&f->IBackgroundCopyFile6_iface);
}

static ULONG STDMETHODCALLTYPE dofile_Release(IDeliveryOptimizationFile *iface)
{
    struct file *f = impl_from_IDeliveryOptimizationFile(iface);
    return file_Release(&f->IBackgroundCopyFile6_iface);
}

static HRESULT STDMETHODCALLTYPE
dofile_GetStats(IDeliveryOptimizationFile *iface, DOSwarmStats *swarmStats)
{
    struct file *f = impl_from_IDeliveryOptimizationFile(iface);
    DOSwarmStats s;
    HRESULT hr;
    if (!swarmStats)
        return E_INVALIDARG;
    memset(&s, 0, sizeof s);
    file_lock(f);
    hr = ref_task_wcsdup(f->rec->file_id, &s.fileId);
    if (SUCCEEDED(hr))
        hr = ref_task_wcsdup(f->rec->remote, &s.sourceURL);
    s.fileSize = f->rec->size; /* DO_UNKNOWN_FILE_SIZE while unknown */
    s.totalBytesDownloaded = f->rec->transferred;
    s.bytesFromHttp = f->rec->transferred;
    s.downloadMode = DownloadMode_Simple;
    s.status = f->rec->done ? SwarmStatus_Complete : SwarmStatus_Downloading;
    s.isBackground = f->job->priority != BG_JOB_PRIORITY_FOREGROUND;
    file_unlock(f);
    if (FAILED(hr)) {
        CoTaskMemFree(s.fileId);
        memset(swarmStats, 0, sizeof *swarmStats); /* R1 */
        return hr;
    }
    *swarmStats = s;
    return S_OK;
}

static const IDeliveryOptimizationFileVtbl dofile_vtbl = {
    /* IUnknown */
    dofile_QueryInterface,
    dofile_AddRef,
    dofile_Release,
    /* IDeliveryOptimizationFile */
    dofile_GetStats,
};
_Static_assert(sizeof dofile_vtbl == 4 * sizeof(void *),
               "IDeliveryOptimizationFile vtable has 4 slots");

/* ---- IDeliveryOptimizationFile2 (R31) ---------------------------------- */

static HRESULT STDMETHODCALLTYPE dofile2_QueryInterface(
    IDeliveryOptimizationFile2 *iface, REFIID riid, void **ppv)
{
    return file_query(impl_from_IDeliveryOptimizationFile2(iface), riid, ppv);
}

static ULONG STDMETHODCALLTYPE dofile2_AddRef(IDeliveryOptimizationFile2 *iface)
{
    struct file *f = impl_from_IDeliveryOptimizationFile2(iface);
    return file_AddRef(&f->IBackgroundCopyFile6_iface);
}

static ULONG STDMETHODCALLTYPE
dofile2_Release(IDeliveryOptimizationFile2 *iface)
{
    struct file *f = impl_from_IDeliveryOptimizationFile2(iface);
    return file_Release(&f->IBackgroundCopyFile6_iface);
}

/* A BSTR copy of s into v (VT_BSTR). */
static HRESULT variant_bstr(VARIANT *v, const WCHAR *s)
{
    BSTR b = ref_bstr_alloc(s);
    if (!b)
        return E_OUTOFMEMORY;
    V_VT(v) = VT_BSTR;
    V_BSTR(v) = b;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE
dofile2_GetProperty(IDeliveryOptimizationFile2 *iface, DOFilePropertyId propId,
                    VARIANT *propValue)
{
    struct file *f = impl_from_IDeliveryOptimizationFile2(iface);
    struct ref_unk_box *sink = NULL;
    HRESULT hr = S_OK;
    if (!propValue)
        return E_INVALIDARG;
    VariantInit(propValue);
    file_lock(f);
    switch (propId) {
    case DOFilePropertyId_DecryptionInfo:
    case DOFilePropertyId_IntegrityCheckInfo:
        hr = DO_E_WRITE_ONLY_PROPERTY;
        break;
    case DOFilePropertyId_IntegrityCheckMandatory:
        if (f->rec->integrity_mandatory < 0) {
            hr = E_NOT_SET;
        } else {
            V_VT(propValue) = VT_BOOL;
            V_BOOL(propValue) =
                f->rec->integrity_mandatory ? VARIANT_TRUE : VARIANT_FALSE;
        }
        break;
    case DOFilePropertyId_DownloadSinkInterface:
        sink = f->rec->sink;
        ref_unk_box_addref(sink);
        if (!sink)
            hr = E_NOT_SET;
        break;
    case DOFilePropertyId_DownloadSinkFilePath:
        if (!f->rec->local)
            hr = E_NOT_SET;
        else
            hr = variant_bstr(propValue, f->rec->local);
        break;
    case DOFilePropertyId_DownloadSinkMemoryStream:
        hr = DO_E_MEMORYSTREAM_DOWNLOAD_NOT_SUPPORTED;
        break;
    case DOFilePropertyId_TotalSizeBytes:
        if (f->rec->size == DO_UNKNOWN_FILE_SIZE) {
            hr = E_NOT_SET;
        } else {
            V_VT(propValue) = VT_UI8;
            V_UI8(propValue) = f->rec->size;
        }
        break;
    default:
        hr = DO_E_UNKNOWN_PROPERTY_ID;
        break;
    }
    file_unlock(f);
    if (sink) { /* AddRef the client object with no lock held */
        sink->punk->lpVtbl->AddRef(sink->punk);
        V_VT(propValue) = VT_UNKNOWN;
        V_UNKNOWN(propValue) = sink->punk;
        ref_unk_box_release(sink);
    }
    return hr;
}

static HRESULT STDMETHODCALLTYPE
dofile2_SetProperty(IDeliveryOptimizationFile2 *iface, DOFilePropertyId propId,
                    const VARIANT *propValue)
{
    struct file *f = impl_from_IDeliveryOptimizationFile2(iface);
    struct ref_unk_box *box = NULL, *old_box = NULL;
    WCHAR *str = NULL, *old_str = NULL;
    HRESULT hr = S_OK;
    int state;
    VARTYPE want;
    switch (propId) {
    case DOFilePropertyId_DecryptionInfo:
    case DOFilePropertyId_IntegrityCheckInfo:
    case DOFilePropertyId_DownloadSinkFilePath:
        want = VT_BSTR;
        break;
    case DOFilePropertyId_IntegrityCheckMandatory:
        want = VT_BOOL;
        break;
    case DOFilePropertyId_DownloadSinkInterface:
        want = VT_UNKNOWN;
        break;
    case DOFilePropertyId_TotalSizeBytes:
        want = VT_UI8;
        break;
    case DOFilePropertyId_DownloadSinkMemoryStream:
        return DO_E_MEMORYSTREAM_DOWNLOAD_NOT_SUPPORTED;
    default:
        return DO_E_UNKNOWN_PROPERTY_ID;
    }
    if (!propValue || V_VT(propValue) != want)
        return E_INVALIDARG;
    if (want == VT_BSTR) {
        if (!V_BSTR(propValue))
            return E_INVALIDARG;
        if (propId == DOFilePropertyId_DownloadSinkFilePath &&
            FAILED(hr = ref_check_local(V_BSTR(propValue), 0)))
            return hr;
        if (!(str = ref_wcsdup(V_BSTR(propValue))))
            return E_OUTOFMEMORY;
    } else if (want == VT_UNKNOWN) {
        if (!V_UNKNOWN(propValue))
            return E_INVALIDARG;
        if (!(box = ref_unk_box_new(V_UNKNOWN(propValue))))
            return E_OUTOFMEMORY;
    }
    file_lock(f);
    state = ref_job_state(f->job);
    if (ref_state_is_final(state) ||
        ((propId == DOFilePropertyId_DownloadSinkInterface ||
          propId == DOFilePropertyId_DownloadSinkFilePath) &&
         (state == BG_JOB_STATE_QUEUED || state == BG_JOB_STATE_CONNECTING ||
          state == BG_JOB_STATE_TRANSFERRING))) {
        hr = DO_E_INVALID_STATE;
        old_str = str;
        old_box = box;
        goto out;
    }
    switch (propId) {
    case DOFilePropertyId_DecryptionInfo:
        old_str = f->rec->decryption_info;
        f->rec->decryption_info = str;
        break;
    case DOFilePropertyId_IntegrityCheckInfo:
        old_str = f->rec->integrity_info;
        f->rec->integrity_info = str;
        break;
    case DOFilePropertyId_DownloadSinkFilePath:
        if (f->rec->sink) {
            hr = DO_E_FILE_DOWNLOADSINK_ALREADY_SET;
            old_str = str;
            break;
        }
        old_str = f->rec->local;
        f->rec->local = str;
        break;
    case DOFilePropertyId_DownloadSinkInterface:
        if (f->rec->local) {
            hr = DO_E_FILE_DOWNLOADSINK_ALREADY_SET;
            old_box = box;
            break;
        }
        old_box = f->rec->sink;
        f->rec->sink = box;
        break;
    case DOFilePropertyId_IntegrityCheckMandatory:
        f->rec->integrity_mandatory = V_BOOL(propValue) ? 1 : 0;
        break;
    case DOFilePropertyId_TotalSizeBytes:
        f->rec->size = V_UI8(propValue);
        break;
    default:
        break;
    }
    f->rec->pst_dirty = TRUE; /* the job store: with the job's next write */
out:
    file_unlock(f);
    ref_free(old_str);
    ref_unk_box_release(old_box); /* client Release, no lock held */
    return hr;
}

static const IDeliveryOptimizationFile2Vtbl dofile2_vtbl = {
    /* IUnknown */
    dofile2_QueryInterface,
    dofile2_AddRef,
    dofile2_Release,
    /* IDeliveryOptimizationFile2 */
    dofile2_GetProperty,
    dofile2_SetProperty,
};
_Static_assert(sizeof dofile2_vtbl == 5 * sizeof(void *),
               "IDeliveryOptimizationFile2 vtable has 5 slots");
