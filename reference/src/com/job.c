/*
 * job.c - the job object: IBackgroundCopyJob through IBackgroundCopyJob5,
 * IBackgroundCopyJobHttpOptions and (DO mode) IDeliveryOptimizationJob and
 * IDeliveryOptimizationJob2, all on one object with one reference count.
 *
 * The COM face of a job: argument validation, bounds, string limits, the
 * state rules of spec/behavior.md §2.3 and file addition (validation,
 * limits, all-or-nothing).  It imports only the job's owner (ref_job.h):
 * a property change is a staged edit the owner commits to the store
 * before it takes effect (ref_job_change_locked), and Suspend, Resume,
 * Cancel and Complete are requests to the owner (ref_job_suspend_locked,
 * ref_job_resume_locked, ref_job_finish_locked) whose effects (the
 * transfer stopped, temporary files deleted, the final-state sequence, a
 * scheduler wake-up) it releases after unlocking
 * (ref_job_release_effects).  Defaults, the state, the modification time
 * and the error belong to the owner (ref_job.c).
 *
 * Every method follows one skeleton: recover the job, validate arguments
 * (before any lock), lock, check the state through job_check_state(), act,
 * leave through the `out:` label that unlocks.  Client objects are
 * AddRef'd and released only with no lock held (struct ref_unk_box).
 * Layer com (docs/architecture.md "Layers"): imports only core; it
 * registers the job's and the notifier's faces with core (ref_com_start).
 */
#include "ref_job.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const IBackgroundCopyJob5Vtbl job_vtbl;
static const IBackgroundCopyJobHttpOptionsVtbl http_vtbl;
static const IDeliveryOptimizationJobVtbl dojob_vtbl;
static const IDeliveryOptimizationJob2Vtbl dojob2_vtbl;

static struct job *impl_from_IBackgroundCopyJob5(IBackgroundCopyJob5 *iface)
{
    return REF_CONTAINER(iface, struct job, IBackgroundCopyJob5_iface);
}

static struct job *
impl_from_IBackgroundCopyJobHttpOptions(IBackgroundCopyJobHttpOptions *iface)
{
    return REF_CONTAINER(iface, struct job,
                         IBackgroundCopyJobHttpOptions_iface);
}

static struct job *
impl_from_IDeliveryOptimizationJob(IDeliveryOptimizationJob *iface)
{
    return REF_CONTAINER(iface, struct job, IDeliveryOptimizationJob_iface);
}

static struct job *
impl_from_IDeliveryOptimizationJob2(IDeliveryOptimizationJob2 *iface)
{
    return REF_CONTAINER(iface, struct job, IDeliveryOptimizationJob2_iface);
}

/* ---- helpers ----------------------------------------------------------- */

static void job_lock(struct job *job)
{
    pthread_mutex_lock(&job->lock);
}

static void job_unlock(struct job *job)
{
    pthread_mutex_unlock(&job->lock);
}

/* The one state predicate of the method skeleton: mode(BG_E_INVALID_STATE)
 * when the job is final, S_OK otherwise. */
static HRESULT job_check_state(struct job *job)
{
    if (ref_state_is_final(ref_job_state(job)))
        return ref_hr(job->mode, BG_E_INVALID_STATE);
    return S_OK;
}

/* A new file record with copies of the arguments; NULL out of memory. */
static struct file_rec *rec_new(const WCHAR *remote, enum ref_proto proto,
                                const WCHAR *local, const WCHAR *file_id,
                                const BG_FILE_RANGE *ranges, DWORD nranges,
                                UINT64 size)
{
    struct file_rec *rec = ref_calloc(1, sizeof *rec);
    if (!rec)
        return NULL;
    rec->proto = proto;
    rec->size = size;
    rec->integrity_mandatory = -1;
    if ((remote && !(rec->remote = ref_wcsdup(remote))) ||
        (local && !(rec->local = ref_wcsdup(local))) ||
        (file_id && !(rec->file_id = ref_wcsdup(file_id))))
        goto fail;
    if (nranges) {
        rec->ranges = ref_calloc(nranges, sizeof *ranges);
        if (!rec->ranges)
            goto fail;
        memcpy(rec->ranges, ranges, nranges * sizeof *ranges);
        rec->nranges = nranges;
    }
    return rec;
fail:
    ref_job_rec_free(rec);
    return NULL;
}

struct job *ref_job_from_iface(IBackgroundCopyJob *iface)
{
    if (!iface || (const void *)iface->lpVtbl != (const void *)&job_vtbl)
        return NULL;
    return impl_from_IBackgroundCopyJob5((IBackgroundCopyJob5 *)iface);
}

/* What the notifier hands a callback; registered before the first job
 * exists, so every event finds it. */
static const struct ref_notify_faces notify_faces = {
    .error = ref_error_create,
    .file = ref_file_create,
};

/* A new or restored job's interface tables (ref_job_new calls it). */
static void dress(struct job *job)
{
    job->IBackgroundCopyJob5_iface.lpVtbl = &job_vtbl;
    job->IBackgroundCopyJobHttpOptions_iface.lpVtbl = &http_vtbl;
    job->IDeliveryOptimizationJob_iface.lpVtbl = &dojob_vtbl;
    job->IDeliveryOptimizationJob2_iface.lpVtbl = &dojob2_vtbl;
}

static const struct ref_job_faces job_faces = {
    .dress = dress,
};

void ref_com_start(void)
{
    ref_core_start();
    ref_notify_use_faces(&notify_faces);
    ref_job_use_faces(&job_faces);
}

HRESULT ref_job_create(enum ref_mode mode, const WCHAR *display_name,
                       BG_JOB_TYPE type, const WCHAR *owner, struct job **out)
{
    ref_com_start();
    return ref_job_new(mode, display_name, type, owner, out);
}

/* `drop` of the file array an addition replaced (or the new one the
 * store refused): the array only, its records live on (or the caller
 * frees them). */
static void job_drop_array(void *value)
{
    ref_free(*(struct file_rec ***)value);
}

/* Adds `n` validated records, all or none (R14): state, upload file
 * count, files-per-job limit, duplicate local names and file ids, ranges
 * on a dynamic-content job.  On success the job owns the records. */
static HRESULT job_commit_files(struct job *job, struct file_rec **recs,
                                ULONG n)
{
    HRESULT hr;
    struct file_rec **grown;
    job_lock(job);
    if (FAILED(hr = job_check_state(job)))
        goto out;
    if (job->type != BG_JOB_TYPE_DOWNLOAD && job->nfiles + n > 1) {
        hr = BG_E_TOO_MANY_FILES;
        goto out;
    }
    if (!ref_owner_is_admin() &&
        job->nfiles + n > ref_policy(REF_POLICY_MAX_FILES_PER_JOB)) {
        hr = BG_E_TOO_MANY_FILES_IN_JOB;
        goto out;
    }
    for (ULONG i = 0; i < n; i++) {
        if (recs[i]->nranges && job->dynamic_content) {
            hr = BG_E_UNSUPPORTED_JOB_CONFIGURATION; /* D10 */
            goto out;
        }
        for (ULONG j = 0; j < job->nfiles + i; j++) {
            const struct file_rec *o =
                j < job->nfiles ? job->files[j] : recs[j - job->nfiles];
            if ((recs[i]->local && o->local &&
                 !ref_wcscmp(recs[i]->local, o->local)) ||
                (recs[i]->file_id && o->file_id &&
                 !ref_wcscmp(recs[i]->file_id, o->file_id))) {
                hr = E_INVALIDARG; /* R13, R15 */
                goto out;
            }
        }
    }
    grown = ref_alloc((job->nfiles + n) * sizeof *grown);
    if (!grown) {
        hr = E_OUTOFMEMORY;
        goto out;
    }
    if (job->nfiles)
        memcpy(grown, job->files, job->nfiles * sizeof *grown);
    for (ULONG i = 0; i < n; i++) {
        recs[i]->index = job->nfiles + i;
        grown[job->nfiles + i] = recs[i];
    }
    {
        ULONG count = job->nfiles + n;
        struct ref_job_edit e[] = {
            REF_EDIT(&job->files, &grown, job_drop_array),
            REF_EDIT(&job->nfiles, &count, NULL)};
        hr = ref_job_change_locked(job, e, 2);
    }
out:
    job_unlock(job);
    return hr;
}

/* Validates and adds files given as parallel arrays (AddFile, AddFileSet,
 * AddFileWithRanges, IDeliveryOptimizationJob::AddFileWithRanges). */
static HRESULT job_add_files(struct job *job, ULONG n,
                             const WCHAR *const *remote,
                             const WCHAR *const *local, const WCHAR *file_id,
                             const BG_FILE_RANGE *ranges, DWORD nranges,
                             UINT64 size)
{
    struct file_rec **recs;
    HRESULT hr = S_OK;
    int upload = job->type != BG_JOB_TYPE_DOWNLOAD;
    ULONG made = 0;
    recs = ref_calloc(n, sizeof *recs);
    if (!recs)
        return E_OUTOFMEMORY;
    for (ULONG i = 0; i < n; i++) {
        enum ref_proto proto;
        if (!remote[i] || !local[i]) {
            hr = E_INVALIDARG;
            goto out;
        }
        if (FAILED(hr = ref_check_remote(job->mode, remote[i], &proto)))
            goto out;
        if ((upload || nranges) && proto != REF_PROTO_HTTP) {
            hr = E_INVALIDARG; /* uploads and ranges need HTTP (R12, R15) */
            goto out;
        }
    }
    {
        struct ref_local_memo memo = {NULL, S_OK};
        for (ULONG i = 0; i < n && SUCCEEDED(hr); i++)
            hr = ref_check_local_memo(local[i], upload, &memo);
        ref_local_memo_free(&memo);
        if (FAILED(hr))
            goto out;
    }
    for (ULONG i = 0; i < n; i++) {
        enum ref_proto proto = REF_PROTO_HTTP;
        ref_check_remote(job->mode, remote[i], &proto); /* valid: above */
        recs[i] =
            rec_new(remote[i], proto, local[i], file_id, ranges, nranges, size);
        if (!recs[i]) {
            hr = E_OUTOFMEMORY;
            goto out;
        }
        made++;
    }
    hr = job_commit_files(job, recs, n);
out:
    if (FAILED(hr))
        for (ULONG i = 0; i < made; i++)
            ref_job_rec_free(recs[i]);
    ref_free(recs);
    return hr;
}

/* ---- IUnknown ---------------------------------------------------------- */

static HRESULT job_query(struct job *job, REFIID riid, void **ppv)
{
    if (!ppv)
        return E_POINTER;
    *ppv = NULL;
    if (!riid)
        return E_INVALIDARG;
    if (IsEqualGUID(riid, &IID_IUnknown) ||
        IsEqualGUID(riid, &IID_IBackgroundCopyJob) ||
        IsEqualGUID(riid, &IID_IBackgroundCopyJob2) ||
        IsEqualGUID(riid, &IID_IBackgroundCopyJob3) ||
        IsEqualGUID(riid, &IID_IBackgroundCopyJob4) ||
        IsEqualGUID(riid, &IID_IBackgroundCopyJob5))
        *ppv = &job->IBackgroundCopyJob5_iface;
    else if (IsEqualGUID(riid, &IID_IBackgroundCopyJobHttpOptions))
        *ppv = &job->IBackgroundCopyJobHttpOptions_iface;
    else if (job->mode == REF_MODE_DO &&
             IsEqualGUID(riid, &IID_IDeliveryOptimizationJob))
        *ppv = &job->IDeliveryOptimizationJob_iface; /* D5 */
    else if (job->mode == REF_MODE_DO &&
             IsEqualGUID(riid, &IID_IDeliveryOptimizationJob2))
        *ppv = &job->IDeliveryOptimizationJob2_iface;
    else
        return E_NOINTERFACE;
    ref_job_addref(job);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE job_QueryInterface(IBackgroundCopyJob5 *iface,
                                                    REFIID riid, void **ppv)
{
    return job_query(impl_from_IBackgroundCopyJob5(iface), riid, ppv);
}

static ULONG STDMETHODCALLTYPE job_AddRef(IBackgroundCopyJob5 *iface)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    return (ULONG)__atomic_add_fetch(&job->ref, 1, __ATOMIC_ACQ_REL);
}

static ULONG STDMETHODCALLTYPE job_Release(IBackgroundCopyJob5 *iface)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    LONG ref = __atomic_sub_fetch(&job->ref, 1, __ATOMIC_ACQ_REL);
    if (ref == 0)
        ref_job_destroy(job);
    return (ULONG)ref;
}

/* ---- IBackgroundCopyJob: files ----------------------------------------- */

static HRESULT STDMETHODCALLTYPE job_AddFileSet(IBackgroundCopyJob5 *iface,
                                                ULONG cFileCount,
                                                BG_FILE_INFO *pFileSet)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    const WCHAR **remote, **local;
    HRESULT hr;
    if (!pFileSet || cFileCount == 0)
        return E_INVALIDARG; /* R14 */
    remote = ref_calloc(cFileCount, sizeof *remote);
    local = ref_calloc(cFileCount, sizeof *local);
    if (!remote || !local) {
        ref_free(remote);
        ref_free(local);
        return E_OUTOFMEMORY;
    }
    for (ULONG i = 0; i < cFileCount; i++) {
        remote[i] = pFileSet[i].RemoteName;
        local[i] = pFileSet[i].LocalName;
    }
    hr = job_add_files(job, cFileCount, remote, local, NULL, NULL, 0,
                       BG_SIZE_UNKNOWN);
    ref_free(remote);
    ref_free(local);
    return hr;
}

static HRESULT STDMETHODCALLTYPE job_AddFile(IBackgroundCopyJob5 *iface,
                                             LPCWSTR RemoteUrl,
                                             LPCWSTR LocalName)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    return job_add_files(job, 1, &RemoteUrl, &LocalName, NULL, NULL, 0,
                         BG_SIZE_UNKNOWN);
}

static HRESULT STDMETHODCALLTYPE job_EnumFiles(IBackgroundCopyJob5 *iface,
                                               IEnumBackgroundCopyFiles **pEnum)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    if (!pEnum)
        return E_INVALIDARG;
    return ref_enum_files_create(job, pEnum);
}

/* ---- IBackgroundCopyJob: state changes --------------------------------- */

static HRESULT STDMETHODCALLTYPE job_Suspend(IBackgroundCopyJob5 *iface)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    struct ref_job_effects fx = {0};
    HRESULT hr;
    job_lock(job);
    if (SUCCEEDED(hr = job_check_state(job)))
        hr = ref_job_suspend_locked(job, &fx); /* T14 */
    job_unlock(job);
    ref_job_release_effects(job, &fx);
    return hr;
}

/* DO mode: every file needs a sink and a URL before it can start (R11). */
static HRESULT job_check_do_files(struct job *job)
{
    for (ULONG i = 0; i < job->nfiles; i++) {
        if (!job->files[i]->local && !job->files[i]->sink)
            return DO_E_FILE_DOWNLOADSINK_UNSPECIFIED;
        if (!job->files[i]->remote)
            return DO_E_DOWNLOAD_NO_URI;
    }
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE job_Resume(IBackgroundCopyJob5 *iface)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    struct ref_job_effects fx = {0};
    HRESULT hr;
    int s, all_done = 1;
    job_lock(job);
    s = ref_job_state(job);
    if (FAILED(hr = job_check_state(job)))
        goto out;
    if (job->nfiles == 0) {
        hr = ref_hr(job->mode, BG_E_EMPTY); /* T3 */
        goto out;
    }
    if (job->mode == REF_MODE_DO && FAILED(hr = job_check_do_files(job)))
        goto out;
    for (ULONG i = 0; i < job->nfiles; i++)
        all_done &= job->files[i]->done;
    if (s == BG_JOB_STATE_TRANSFERRED && all_done) {
        hr = ref_hr(job->mode, BG_E_EMPTY); /* D8 */
        goto out;
    }
    hr = ref_job_resume_locked(job, &fx); /* T2, T15, T16, T17 */
out:
    job_unlock(job);
    ref_job_release_effects(job, &fx);
    return hr;
}

/* UTF-8 temporary and local paths of every file of a download job (NULL
 * entries for files without a local name), made before anything changes so
 * running out of memory leaves the job untouched. */
struct job_paths {
    char **tmp;
    char **local;
    ULONG n;
};

static void job_paths_free(struct job_paths *p)
{
    for (ULONG i = 0; i < p->n; i++) {
        if (p->tmp)
            ref_free(p->tmp[i]);
        if (p->local)
            ref_free(p->local[i]);
    }
    ref_free(p->tmp);
    ref_free(p->local);
    p->tmp = p->local = NULL;
    p->n = 0;
}

/* Job lock held.  S_OK or E_OUTOFMEMORY (nothing allocated then). */
static HRESULT job_paths_make(struct job *job, struct job_paths *p)
{
    p->n = job->nfiles;
    p->tmp = ref_calloc(p->n ? p->n : 1, sizeof *p->tmp);
    p->local = ref_calloc(p->n ? p->n : 1, sizeof *p->local);
    if (!p->tmp || !p->local)
        goto oom;
    for (ULONG i = 0; i < p->n; i++) {
        struct file_rec *rec = job->files[i];
        WCHAR *t;
        if (!rec->local)
            continue;
        if (!(t = ref_file_temp_name(job, rec)))
            goto oom;
        p->tmp[i] = ref_utf8(t);
        ref_free(t);
        p->local[i] = ref_utf8(rec->local);
        if (!p->tmp[i] || !p->local[i])
            goto oom;
    }
    return S_OK;
oom:
    job_paths_free(p);
    return E_OUTOFMEMORY;
}

/* The HRESULT for a failed rename of a delivered file (spec §4.3). */
static HRESULT hr_from_errno(int e)
{
    switch (e) {
    case EACCES:
    case EPERM:
    case EROFS:
        return E_ACCESSDENIED;
    case ENOSPC:
        return HRESULT_FROM_WIN32(ERROR_DISK_FULL);
    case EBUSY:
    case ETXTBSY:
        return HRESULT_FROM_WIN32(ERROR_SHARING_VIOLATION);
    case ENOENT:
    case ENOTDIR:
        return HRESULT_FROM_WIN32(ERROR_PATH_NOT_FOUND);
    default:
        return E_FAIL;
    }
}

/* Job lock held: hands the temporary names of the files to delete (all,
 * or those not transferred) to the effects of the change; the paths are
 * deleted after the transfer stopped (ref_job_release_effects). */
static void job_hand_temps(struct job *job, struct job_paths *p,
                           int only_unfinished, struct ref_job_effects *fx)
{
    for (ULONG i = 0; i < p->n; i++)
        if (only_unfinished && job->files[i]->done) {
            ref_free(p->tmp[i]);
            p->tmp[i] = NULL;
        }
    fx->unlink = p->tmp;
    fx->nunlink = p->n;
    p->tmp = NULL;
}

static HRESULT STDMETHODCALLTYPE job_Cancel(IBackgroundCopyJob5 *iface)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    struct job_paths paths = {NULL, NULL, 0};
    struct ref_job_effects fx = {0};
    HRESULT hr = S_OK;
    job_lock(job);
    if (FAILED(hr = job_check_state(job)))
        goto out;
    if (job->type == BG_JOB_TYPE_DOWNLOAD && !job->high_performance &&
        FAILED(hr = job_paths_make(job, &paths)))
        goto out;
    if (!ref_job_finish_locked(job, BG_JOB_STATE_CANCELLED, &fx)) { /* T18 */
        hr = ref_hr(job->mode, BG_E_INVALID_STATE);
        goto out;
    }
    job_hand_temps(job, &paths, 0, &fx); /* spec §4.4: every one goes */
out:
    job_unlock(job);
    ref_job_release_effects(job, &fx);
    if (fx.unlink_failed)
        hr = BG_S_UNABLE_TO_DELETE_FILES;
    job_paths_free(&paths);
    return hr;
}

static HRESULT STDMETHODCALLTYPE job_Complete(IBackgroundCopyJob5 *iface)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    struct job_paths paths = {NULL, NULL, 0};
    struct ref_job_effects fx = {0};
    HRESULT hr;
    int all_done = 1;
    job_lock(job);
    if (FAILED(hr = job_check_state(job)))
        goto out;
    if (job->type != BG_JOB_TYPE_DOWNLOAD) {
        if (ref_job_state(job) != BG_JOB_STATE_TRANSFERRED ||
            !ref_job_finish_locked(job, BG_JOB_STATE_ACKNOWLEDGED, &fx))
            hr = ref_hr(job->mode, BG_E_INVALID_STATE);
        goto out;
    }
    if (FAILED(hr = job_paths_make(job, &paths)))
        goto out;
    /* spec §4.3: deliver every transferred file; a failed rename stops
     * here, the job keeps its state and the files delivered so far. */
    for (ULONG i = 0; i < job->nfiles; i++) {
        struct file_rec *rec = job->files[i];
        if (!rec->done) {
            all_done = 0;
            continue;
        }
        if (rec->completed)
            continue;
        if (paths.tmp[i] && !job->high_performance &&
            rename(paths.tmp[i], paths.local[i]) != 0 && errno != ENOENT) {
            hr = hr_from_errno(errno);
            goto out;
        }
        rec->completed = TRUE;
    }
    if (!ref_job_finish_locked(job, BG_JOB_STATE_ACKNOWLEDGED, &fx)) { /* T19 */
        hr = ref_hr(job->mode, BG_E_INVALID_STATE);
        goto out;
    }
    /* The unfinished files' transfer stops before their temporary files
     * are deleted. */
    job_hand_temps(job, &paths, 1, &fx);
    hr = all_done ? S_OK : BG_S_PARTIAL_COMPLETE; /* R10 */
out:
    job_unlock(job);
    ref_job_release_effects(job, &fx);
    if (fx.unlink_failed)
        hr = BG_S_UNABLE_TO_DELETE_FILES;
    job_paths_free(&paths);
    return hr;
}

/* ---- IBackgroundCopyJob: getters --------------------------------------- */

static HRESULT STDMETHODCALLTYPE job_GetId(IBackgroundCopyJob5 *iface,
                                           GUID *pVal)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    if (!pVal)
        return E_INVALIDARG;
    *pVal = job->id;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE job_GetType(IBackgroundCopyJob5 *iface,
                                             BG_JOB_TYPE *pVal)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    if (!pVal)
        return E_INVALIDARG;
    *pVal = job->type;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE job_GetProgress(IBackgroundCopyJob5 *iface,
                                                 BG_JOB_PROGRESS *pVal)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    BG_JOB_PROGRESS p = {0, 0, 0, 0};
    if (!pVal)
        return E_INVALIDARG;
    job_lock(job);
    p.FilesTotal = job->nfiles;
    for (ULONG i = 0; i < job->nfiles; i++) {
        const struct file_rec *rec = job->files[i];
        UINT64 total = ref_file_total(rec);
        if (total == BG_SIZE_UNKNOWN || p.BytesTotal == BG_SIZE_UNKNOWN)
            p.BytesTotal = BG_SIZE_UNKNOWN;
        else
            p.BytesTotal += total;
        p.BytesTransferred += rec->transferred;
        if (rec->done)
            p.FilesTransferred++;
    }
    job_unlock(job);
    *pVal = p;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE job_GetTimes(IBackgroundCopyJob5 *iface,
                                              BG_JOB_TIMES *pVal)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    if (!pVal)
        return E_INVALIDARG;
    job_lock(job);
    pVal->CreationTime = ref_filetime_from_ticks(job->created);
    pVal->ModificationTime = ref_filetime_from_ticks(
        __atomic_load_n(&job->modified, __ATOMIC_ACQUIRE));
    pVal->TransferCompletionTime = ref_filetime_from_ticks(
        __atomic_load_n(&job->transfer_completed, __ATOMIC_ACQUIRE));
    job_unlock(job);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE job_GetState(IBackgroundCopyJob5 *iface,
                                              BG_JOB_STATE *pVal)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    if (!pVal)
        return E_INVALIDARG;
    *pVal = (BG_JOB_STATE)ref_job_state(job);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE job_GetError(IBackgroundCopyJob5 *iface,
                                              IBackgroundCopyError **ppError)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    BG_ERROR_CONTEXT ctx = BG_ERROR_CONTEXT_NONE;
    HRESULT code = S_OK;
    long file = -1;
    int have;
    int s;
    if (!ppError)
        return E_INVALIDARG;
    *ppError = NULL;
    job_lock(job);
    s = ref_job_state(job);
    have = job->error.set &&
           (s == BG_JOB_STATE_ERROR || s == BG_JOB_STATE_TRANSIENT_ERROR);
    if (have) {
        ctx = job->error.context;
        code = job->error.code;
        file = job->error.file;
    }
    job_unlock(job);
    if (!have)
        return ref_hr(job->mode, BG_E_ERROR_INFORMATION_UNAVAILABLE); /* R24 */
    return ref_error_create(job, ctx, code, file, ppError);
}

/* Copies a job string out under the lock ("" for NULL when empty_ok). */
static HRESULT job_get_string(struct job *job, WCHAR *const *field,
                              int empty_ok, LPWSTR *out)
{
    HRESULT hr;
    if (!out)
        return E_INVALIDARG;
    job_lock(job);
    hr = ref_task_wcsdup(*field ? *field : (empty_ok ? u"" : NULL), out);
    job_unlock(job);
    return hr;
}

static HRESULT STDMETHODCALLTYPE job_GetOwner(IBackgroundCopyJob5 *iface,
                                              LPWSTR *pVal)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    HRESULT hr;
    if (!pVal)
        return E_INVALIDARG;
    job_lock(job);
    hr = ref_task_wcsdup(job->owner, pVal);
    job_unlock(job);
    return hr;
}

/* Replaces a string property of a non-final job; the copy is made before
 * the lock is taken. */
static HRESULT job_set_string(struct job *job, WCHAR **field, const WCHAR *v)
{
    WCHAR *copy = NULL, *old;
    HRESULT hr;
    if (v && !(copy = ref_wcsdup(v)))
        return E_OUTOFMEMORY;
    job_lock(job);
    if (FAILED(hr = job_check_state(job))) {
        old = copy;
        goto out;
    }
    {
        struct ref_job_edit e[] = {REF_EDIT(field, &copy, ref_job_drop_str)};
        hr = ref_job_change_locked(job, e, 1);
        old = NULL;
    }
out:
    job_unlock(job);
    ref_free(old);
    return hr;
}

static HRESULT STDMETHODCALLTYPE job_SetDisplayName(IBackgroundCopyJob5 *iface,
                                                    LPCWSTR Val)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    if (!Val)
        return E_INVALIDARG;
    if (ref_wcslen(Val) > ref_policy(REF_POLICY_MAX_DISPLAY_NAME))
        return BG_E_STRING_TOO_LONG; /* R16 */
    return job_set_string(job, &job->display_name, Val);
}

static HRESULT STDMETHODCALLTYPE job_GetDisplayName(IBackgroundCopyJob5 *iface,
                                                    LPWSTR *pVal)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    return job_get_string(job, &job->display_name, 1, pVal);
}

static HRESULT STDMETHODCALLTYPE job_SetDescription(IBackgroundCopyJob5 *iface,
                                                    LPCWSTR Val)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    if (!Val)
        return E_INVALIDARG;
    if (ref_wcslen(Val) > ref_policy(REF_POLICY_MAX_DESCRIPTION))
        return BG_E_STRING_TOO_LONG;
    return job_set_string(job, &job->description, Val);
}

static HRESULT STDMETHODCALLTYPE job_GetDescription(IBackgroundCopyJob5 *iface,
                                                    LPWSTR *pVal)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    return job_get_string(job, &job->description, 1, pVal);
}

/* Stores one ULONG-sized property of a non-final job. */
static HRESULT job_set_ulong(struct job *job, ULONG *field, ULONG v)
{
    HRESULT hr;
    job_lock(job);
    if (SUCCEEDED(hr = job_check_state(job))) {
        struct ref_job_edit e[] = {REF_EDIT(field, &v, NULL)};
        hr = ref_job_change_locked(job, e, 1);
    }
    job_unlock(job);
    return hr;
}

static HRESULT job_get_ulong(struct job *job, const ULONG *field, ULONG *out)
{
    if (!out)
        return E_INVALIDARG;
    job_lock(job);
    *out = *field;
    job_unlock(job);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE job_SetPriority(IBackgroundCopyJob5 *iface,
                                                 BG_JOB_PRIORITY Val)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    HRESULT hr;
    if ((unsigned)Val > BG_JOB_PRIORITY_LOW)
        return E_NOTIMPL; /* documented: value not in the enum */
    job_lock(job);
    if (SUCCEEDED(hr = job_check_state(job))) {
        struct ref_job_edit e[] = {REF_EDIT(&job->priority, &Val, NULL)};
        hr = ref_job_change_locked(job, e, 1);
    }
    job_unlock(job);
    return hr;
}

static HRESULT STDMETHODCALLTYPE job_GetPriority(IBackgroundCopyJob5 *iface,
                                                 BG_JOB_PRIORITY *pVal)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    if (!pVal)
        return E_INVALIDARG;
    job_lock(job);
    *pVal = job->priority;
    job_unlock(job);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE job_SetNotifyFlags(IBackgroundCopyJob5 *iface,
                                                    ULONG Val)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    if (Val & ~0x3Fu)
        return E_NOTIMPL; /* documented: flags not valid (R19) */
    return job_set_ulong(job, &job->notify_flags, Val);
}

static HRESULT STDMETHODCALLTYPE job_GetNotifyFlags(IBackgroundCopyJob5 *iface,
                                                    ULONG *pVal)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    return job_get_ulong(job, &job->notify_flags, pVal);
}

static HRESULT STDMETHODCALLTYPE
job_SetNotifyInterface(IBackgroundCopyJob5 *iface, IUnknown *Val)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    struct ref_unk_box *box = NULL, *old;
    uint64_t running = 0;
    int receiver;
    HRESULT hr;
    if (FAILED(hr = job_check_state(job)))
        return hr; /* early answer without touching the client object */
    if (Val && !(box = ref_unk_box_new(Val)))
        return E_OUTOFMEMORY;
    job_lock(job);
    if (FAILED(hr = job_check_state(job))) {
        old = box;
        goto out;
    }
    old = job->notify;
    __atomic_store_n(&job->notify, box, __ATOMIC_RELEASE);
    /* I27: what was queued under the old registration is dropped, and a
     * call to it already under way is waited for below, so the old
     * interface hears nothing once this returns. */
    running = ref_notify_forget_locked(job);
    ref_job_touch_locked(job);
    /* spec §5.3 late registration: an event that already happened is
     * delivered to the new receiver (the interface, else the
     * NOTIFICATION_CLSID of I25); it replaces the one just dropped. */
    receiver = box || !IsEqualGUID(&job->notify_clsid, &GUID_NULL);
    if (receiver && ref_job_state(job) == BG_JOB_STATE_TRANSFERRED)
        ref_notify_post(job, REF_NOTIFY_TRANSFERRED, -1);
    else if (receiver && ref_job_state(job) == BG_JOB_STATE_ERROR)
        ref_notify_post(job, REF_NOTIFY_ERROR, -1);
out:
    job_unlock(job);
    ref_notify_wait_call(running); /* no lock: the call may use the job */
    ref_unk_box_release(old);      /* client Release, no lock held */
    return hr;
}

static HRESULT STDMETHODCALLTYPE
job_GetNotifyInterface(IBackgroundCopyJob5 *iface, IUnknown **pVal)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    struct ref_unk_box *box;
    if (!pVal)
        return E_INVALIDARG;
    job_lock(job);
    box = job->notify;
    ref_unk_box_addref(box);
    job_unlock(job);
    *pVal = NULL;
    if (box) {
        *pVal = box->punk;
        box->punk->lpVtbl->AddRef(box->punk);
        ref_unk_box_release(box);
    }
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE
job_SetMinimumRetryDelay(IBackgroundCopyJob5 *iface, ULONG Seconds)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    return job_set_ulong(job, &job->retry_delay, Seconds < 5 ? 5 : Seconds);
}

static HRESULT STDMETHODCALLTYPE
job_GetMinimumRetryDelay(IBackgroundCopyJob5 *iface, ULONG *Seconds)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    return job_get_ulong(job, &job->retry_delay, Seconds);
}

static HRESULT STDMETHODCALLTYPE
job_SetNoProgressTimeout(IBackgroundCopyJob5 *iface, ULONG Seconds)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    HRESULT hr;
    job_lock(job);
    if (SUCCEEDED(hr = job_check_state(job))) {
        BOOL set = TRUE;
        struct ref_job_edit e[] = {
            REF_EDIT(&job->no_progress_timeout, &Seconds, NULL),
            REF_EDIT(&job->no_progress_set, &set, NULL)};
        hr = ref_job_change_locked(job, e, 2);
    }
    job_unlock(job);
    return hr;
}

static HRESULT STDMETHODCALLTYPE
job_GetNoProgressTimeout(IBackgroundCopyJob5 *iface, ULONG *Seconds)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    if (!Seconds)
        return E_INVALIDARG;
    job_lock(job);
    if (job->mode == REF_MODE_DO && !job->no_progress_set)
        *Seconds = job->priority <= BG_JOB_PRIORITY_HIGH ? 3600 : 86400;
    else
        *Seconds = job->no_progress_timeout; /* R18 */
    job_unlock(job);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE job_GetErrorCount(IBackgroundCopyJob5 *iface,
                                                   ULONG *Errors)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    return job_get_ulong(job, &job->error_count, Errors);
}

static HRESULT STDMETHODCALLTYPE
job_SetProxySettings(IBackgroundCopyJob5 *iface, BG_JOB_PROXY_USAGE ProxyUsage,
                     const WCHAR *ProxyList, const WCHAR *ProxyBypassList)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    WCHAR *list = NULL, *bypass = NULL;
    HRESULT hr;
    uint64_t max = ref_policy(REF_POLICY_MAX_PROXY_LIST);
    if ((unsigned)ProxyUsage > BG_JOB_PROXY_USAGE_AUTODETECT)
        return E_NOTIMPL; /* documented: usage not in the enum (R17) */
    if (ProxyUsage == BG_JOB_PROXY_USAGE_OVERRIDE) {
        if (!ProxyList || !ProxyList[0])
            return E_INVALIDARG;
    } else if (ProxyList || ProxyBypassList) {
        return E_INVALIDARG;
    }
    if (ref_wcslen(ProxyList) > max)
        return BG_E_PROXY_LIST_TOO_LARGE;
    if (ref_wcslen(ProxyBypassList) > max)
        return BG_E_PROXY_BYPASS_LIST_TOO_LARGE;
    if ((ProxyList && !(list = ref_wcsdup(ProxyList))) ||
        (ProxyBypassList && !(bypass = ref_wcsdup(ProxyBypassList)))) {
        ref_free(list);
        return E_OUTOFMEMORY;
    }
    job_lock(job);
    if (SUCCEEDED(hr = job_check_state(job))) {
        /* list and bypass end up holding the values that lost */
        struct ref_job_edit e[] = {
            REF_EDIT(&job->proxy_usage, &ProxyUsage, NULL),
            REF_EDIT(&job->proxy_list, &list, NULL),
            REF_EDIT(&job->proxy_bypass, &bypass, NULL)};
        hr = ref_job_change_locked(job, e, 3);
    }
    job_unlock(job);
    ref_free(list);
    ref_free(bypass);
    return hr;
}

static HRESULT STDMETHODCALLTYPE job_GetProxySettings(
    IBackgroundCopyJob5 *iface, BG_JOB_PROXY_USAGE *pProxyUsage,
    LPWSTR *pProxyList, LPWSTR *pProxyBypassList)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    HRESULT hr;
    if (pProxyList)
        *pProxyList = NULL;
    if (pProxyBypassList)
        *pProxyBypassList = NULL;
    if (!pProxyUsage || !pProxyList || !pProxyBypassList)
        return E_INVALIDARG; /* R1: every given out-pointer cleared */
    job_lock(job);
    hr = ref_task_wcsdup(job->proxy_list, pProxyList);
    if (SUCCEEDED(hr))
        hr = ref_task_wcsdup(job->proxy_bypass, pProxyBypassList);
    if (SUCCEEDED(hr))
        *pProxyUsage = job->proxy_usage;
    job_unlock(job);
    if (FAILED(hr)) {
        CoTaskMemFree(*pProxyList);
        *pProxyList = NULL;
    }
    return hr;
}

/* `drop` of a whole credential table (TakeOwnership). */
static void job_drop_creds(void *value)
{
    struct ref_cred(*c)[5] = value;
    for (int t = 0; t < 2; t++)
        for (int k = 0; k < 5; k++)
            ref_job_drop_cred(&c[t][k]);
}

/* `drop` of a client certificate's strings. */
static void job_drop_cert(void *value)
{
    struct ref_cert *c = value;
    ref_free(c->store);
    ref_free(c->subject);
}

static HRESULT STDMETHODCALLTYPE job_TakeOwnership(IBackgroundCopyJob5 *iface)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    HRESULT hr;
    if (!ref_owner_is_admin())
        return E_ACCESSDENIED; /* R25 */
    job_lock(job);
    if (SUCCEEDED(hr = job_check_state(job))) {
        /* The new owner; what TakeOwnership removes (R25) goes. */
        WCHAR owner[REF_SID_MAX];
        struct ref_cred creds[2][5];
        struct ref_cert cert;
        WCHAR *headers = NULL, *program = NULL, *parameters = NULL;
        memset(owner, 0, sizeof owner);
        memset(creds, 0, sizeof creds);
        memset(&cert, 0, sizeof cert);
        ref_owner_current(owner);
        struct ref_job_edit e[] = {
            REF_EDIT(&job->owner, &owner, NULL),
            REF_EDIT(&job->creds, &creds, job_drop_creds),
            REF_EDIT(&job->cert, &cert, job_drop_cert),
            REF_EDIT(&job->custom_headers, &headers, ref_job_drop_str),
            REF_EDIT(&job->cmd_program, &program, ref_job_drop_str),
            REF_EDIT(&job->cmd_parameters, &parameters, ref_job_drop_str)};
        hr = ref_job_change_locked(job, e, sizeof e / sizeof e[0]);
    }
    job_unlock(job);
    return hr;
}

/* ---- IBackgroundCopyJob2 ----------------------------------------------- */

static HRESULT STDMETHODCALLTYPE job_SetNotifyCmdLine(
    IBackgroundCopyJob5 *iface, LPCWSTR Program, LPCWSTR Parameters)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    WCHAR *prog = NULL, *params = NULL;
    HRESULT hr;
    if (!Program && Parameters)
        return E_INVALIDARG;
    if (Program) {
        if (Program[0] != '/')
            return E_INVALIDARG; /* R27: full path */
        if (ref_wcslen(Program) > ref_policy(REF_POLICY_MAX_CMD_PROGRAM) ||
            ref_wcslen(Parameters) > ref_policy(REF_POLICY_MAX_CMD_PARAMETERS))
            return BG_E_STRING_TOO_LONG;
        if (!(prog = ref_wcsdup(Program)) ||
            (Parameters && !(params = ref_wcsdup(Parameters)))) {
            ref_free(prog);
            return E_OUTOFMEMORY;
        }
    }
    job_lock(job);
    if (SUCCEEDED(hr = job_check_state(job))) {
        /* prog and params end up holding the values that lost */
        struct ref_job_edit e[] = {
            REF_EDIT(&job->cmd_program, &prog, NULL),
            REF_EDIT(&job->cmd_parameters, &params, NULL)};
        hr = ref_job_change_locked(job, e, 2);
    }
    job_unlock(job);
    ref_free(prog);
    ref_free(params);
    return hr;
}

static HRESULT STDMETHODCALLTYPE job_GetNotifyCmdLine(
    IBackgroundCopyJob5 *iface, LPWSTR *pProgram, LPWSTR *pParameters)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    HRESULT hr;
    if (pProgram)
        *pProgram = NULL;
    if (pParameters)
        *pParameters = NULL;
    if (!pProgram || !pParameters)
        return E_INVALIDARG;
    job_lock(job);
    hr = ref_task_wcsdup(job->cmd_program ? job->cmd_program : u"", pProgram);
    if (SUCCEEDED(hr))
        hr = ref_task_wcsdup(job->cmd_parameters ? job->cmd_parameters : u"",
                             pParameters);
    job_unlock(job);
    if (FAILED(hr)) {
        CoTaskMemFree(*pProgram);
        *pProgram = NULL;
    }
    return hr;
}

static HRESULT STDMETHODCALLTYPE job_GetReplyProgress(
    IBackgroundCopyJob5 *iface, BG_JOB_REPLY_PROGRESS *pProgress)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    if (!pProgress)
        return E_INVALIDARG;
    pProgress->BytesTotal = 0; /* R1 */
    pProgress->BytesTransferred = 0;
    if (job->type != BG_JOB_TYPE_UPLOAD_REPLY)
        return E_NOTIMPL; /* documented for download and upload jobs */
    pProgress->BytesTotal = BG_SIZE_UNKNOWN; /* no reply yet (R27) */
    pProgress->BytesTransferred = 0;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE job_GetReplyData(IBackgroundCopyJob5 *iface,
                                                  BYTE **ppBuffer,
                                                  UINT64 *pLength)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    if (ppBuffer)
        *ppBuffer = NULL;
    if (!ppBuffer || !pLength)
        return E_INVALIDARG;
    *pLength = 0;
    if (job->type != BG_JOB_TYPE_UPLOAD_REPLY)
        return E_NOTIMPL; /* documented for other job types */
    if (ref_job_state(job) != BG_JOB_STATE_TRANSFERRED)
        return ref_hr(job->mode, BG_E_INVALID_STATE);
    return S_OK; /* the reply is empty until uploads exist */
}

static HRESULT STDMETHODCALLTYPE
job_SetReplyFileName(IBackgroundCopyJob5 *iface, LPCWSTR ReplyFileName)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    HRESULT hr;
    if (ReplyFileName && FAILED(hr = ref_check_local(ReplyFileName, 0)))
        return hr;
    return job_set_string(job, &job->reply_file, ReplyFileName);
}

static HRESULT STDMETHODCALLTYPE
job_GetReplyFileName(IBackgroundCopyJob5 *iface, LPWSTR *pReplyFileName)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    return job_get_string(job, &job->reply_file, 0, pReplyFileName);
}

/* Target and scheme of a credential pair (R27). */
static HRESULT check_auth(BG_AUTH_TARGET target, BG_AUTH_SCHEME scheme)
{
    if (target != BG_AUTH_TARGET_SERVER && target != BG_AUTH_TARGET_PROXY)
        return BG_E_INVALID_AUTH_TARGET;
    if ((unsigned)scheme < BG_AUTH_SCHEME_BASIC ||
        (unsigned)scheme > BG_AUTH_SCHEME_PASSPORT)
        return BG_E_INVALID_AUTH_SCHEME;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE job_SetCredentials(IBackgroundCopyJob5 *iface,
                                                    BG_AUTH_CREDENTIALS *cred)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    const WCHAR *user, *pass;
    WCHAR *u = NULL, *p = NULL;
    HRESULT hr;
    if (!cred)
        return E_INVALIDARG;
    if (FAILED(hr = check_auth(cred->Target, cred->Scheme)))
        return hr;
    user = cred->Credentials.Basic.UserName;
    pass = cred->Credentials.Basic.Password;
    if (ref_wcslen(user) > ref_policy(REF_POLICY_MAX_USERNAME))
        return BG_E_USERNAME_TOO_LARGE;
    if (ref_wcslen(pass) > ref_policy(REF_POLICY_MAX_PASSWORD))
        return BG_E_PASSWORD_TOO_LARGE;
    if ((cred->Scheme == BG_AUTH_SCHEME_BASIC ||
         cred->Scheme == BG_AUTH_SCHEME_DIGEST) &&
        (!user || !pass))
        return E_INVALIDARG;
    if ((user && !(u = ref_wcsdup(user))) ||
        (pass && !(p = ref_wcsdup(pass)))) {
        ref_free(u);
        return E_OUTOFMEMORY;
    }
    job_lock(job);
    if (SUCCEEDED(hr = job_check_state(job))) {
        struct ref_cred c = {TRUE, u, p};
        struct ref_job_edit e[] = {REF_EDIT(
            &job->creds[cred->Target - 1][cred->Scheme - 1], &c, NULL)};
        hr = ref_job_change_locked(job, e, 1);
        u = c.user; /* the values that lost */
        p = c.password;
    }
    job_unlock(job);
    ref_free(u);
    ref_free(p);
    return hr;
}

static HRESULT STDMETHODCALLTYPE job_RemoveCredentials(
    IBackgroundCopyJob5 *iface, BG_AUTH_TARGET Target, BG_AUTH_SCHEME Scheme)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    struct ref_cred *slot;
    HRESULT hr;
    if (FAILED(hr = check_auth(Target, Scheme)))
        return hr;
    job_lock(job);
    if (FAILED(hr = job_check_state(job)))
        goto out;
    slot = &job->creds[Target - 1][Scheme - 1];
    if (!slot->set) {
        hr = ref_job_commit_locked(job); /* the call is written as made */
        if (SUCCEEDED(hr))
            hr = S_FALSE;
        goto out;
    }
    {
        struct ref_cred none = {FALSE, NULL, NULL};
        struct ref_job_edit e[] = {REF_EDIT(slot, &none, ref_job_drop_cred)};
        hr = ref_job_change_locked(job, e, 1);
    }
out:
    job_unlock(job);
    return hr;
}

/* ---- IBackgroundCopyJob3 ----------------------------------------------- */

static int has_prefix(const WCHAR *s, const WCHAR *p, size_t plen)
{
    return s && ref_wcslen(s) >= plen && !memcmp(s, p, plen * sizeof(WCHAR));
}

static HRESULT STDMETHODCALLTYPE job_ReplaceRemotePrefix(
    IBackgroundCopyJob5 *iface, LPCWSTR OldPrefix, LPCWSTR NewPrefix)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    size_t olen = ref_wcslen(OldPrefix);
    WCHAR **names = NULL;
    struct ref_job_edit *edits = NULL;
    BOOL *dirty = NULL;
    HRESULT hr;
    ULONG matched = 0;
    if (!OldPrefix || !NewPrefix || !OldPrefix[0] || !NewPrefix[0])
        return E_INVALIDARG;
    if (job->type != BG_JOB_TYPE_DOWNLOAD)
        return E_NOTIMPL; /* documented for upload jobs */
    job_lock(job);
    if (FAILED(hr = job_check_state(job)))
        goto out;
    names = ref_calloc(job->nfiles ? job->nfiles : 1, sizeof *names);
    if (!names) {
        hr = E_OUTOFMEMORY;
        goto out;
    }
    for (ULONG i = 0; i < job->nfiles; i++) {
        struct file_rec *rec = job->files[i];
        enum ref_proto proto;
        if (!has_prefix(rec->remote, OldPrefix, olen))
            continue;
        names[i] =
            ref_wcscat2(NewPrefix, ref_wcslen(NewPrefix), rec->remote + olen);
        if (!names[i]) {
            hr = E_OUTOFMEMORY;
            goto out;
        }
        if (FAILED(ref_check_remote(job->mode, names[i], &proto)) ||
            proto != rec->proto) {
            hr = E_INVALIDARG; /* R28: nothing changes */
            goto out;
        }
        matched++;
    }
    if (!matched) {
        hr = ref_job_commit_locked(job); /* the call is written as made */
        if (SUCCEEDED(hr))
            hr = S_FALSE;
        goto out;
    }
    /* The edits live outside the allocation seam, like the store's
     * buffers: out-of-memory tests count the same allocations. */
    edits = malloc(2 * matched * sizeof *edits);
    dirty = malloc(matched * sizeof *dirty);
    if (!edits || !dirty) {
        hr = E_OUTOFMEMORY;
        goto out;
    }
    for (ULONG i = 0, k = 0; i < job->nfiles; i++)
        if (names[i]) {
            struct ref_job_edit r =
                REF_EDIT(&job->files[i]->remote, &names[i], NULL);
            /* the row of the file goes with the next write (S23) */
            struct ref_job_edit d =
                REF_EDIT(&job->files[i]->pst_dirty, &dirty[k], NULL);
            dirty[k] = TRUE;
            edits[2 * k] = r;
            edits[2 * k + 1] = d;
            k++;
        }
    /* names[] ends up holding the names that lost */
    hr = ref_job_change_locked(job, edits, 2 * matched);
out:
    free(edits);
    free(dirty);
    if (names)
        for (ULONG i = 0; i < job->nfiles; i++)
            ref_free(names[i]);
    job_unlock(job);
    ref_free(names);
    return hr;
}

static HRESULT STDMETHODCALLTYPE job_AddFileWithRanges(
    IBackgroundCopyJob5 *iface, LPCWSTR RemoteUrl, LPCWSTR LocalName,
    DWORD RangeCount, BG_FILE_RANGE Ranges[])
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    HRESULT hr;
    if (job->type != BG_JOB_TYPE_DOWNLOAD)
        return E_NOTIMPL; /* documented for upload jobs */
    if (RangeCount == 0 || !Ranges)
        return E_INVALIDARG;
    if (!RemoteUrl || !LocalName)
        return E_INVALIDARG;
    if (FAILED(hr = ref_check_ranges(job->mode, Ranges, RangeCount,
                                     BG_SIZE_UNKNOWN)))
        return hr;
    return job_add_files(job, 1, &RemoteUrl, &LocalName, NULL, Ranges,
                         RangeCount, BG_SIZE_UNKNOWN);
}

static HRESULT STDMETHODCALLTYPE job_SetFileACLFlags(IBackgroundCopyJob5 *iface,
                                                     DWORD Flags)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    HRESULT hr;
    if (Flags & ~(DWORD)BG_COPY_FILE_ALL)
        return E_INVALIDARG;
    job_lock(job);
    if (SUCCEEDED(hr = job_check_state(job)) &&
        ref_job_state(job) == BG_JOB_STATE_TRANSFERRED)
        hr = ref_hr(job->mode, BG_E_INVALID_STATE);
    if (SUCCEEDED(hr)) {
        struct ref_job_edit e[] = {REF_EDIT(&job->acl_flags, &Flags, NULL)};
        hr = ref_job_change_locked(job, e, 1);
    }
    job_unlock(job);
    return hr;
}

static HRESULT STDMETHODCALLTYPE job_GetFileACLFlags(IBackgroundCopyJob5 *iface,
                                                     DWORD *Flags)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    return job_get_ulong(job, &job->acl_flags, Flags);
}

/* ---- IBackgroundCopyJob4 ----------------------------------------------- */

static HRESULT STDMETHODCALLTYPE
job_SetPeerCachingFlags(IBackgroundCopyJob5 *iface, DWORD Flags)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    if (Flags & ~(DWORD)(BG_JOB_ENABLE_PEERCACHING_CLIENT |
                         BG_JOB_ENABLE_PEERCACHING_SERVER |
                         BG_JOB_DISABLE_BRANCH_CACHE))
        return E_INVALIDARG; /* R26 */
    return job_set_ulong(job, &job->peer_flags, Flags);
}

static HRESULT STDMETHODCALLTYPE
job_GetPeerCachingFlags(IBackgroundCopyJob5 *iface, DWORD *pFlags)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    return job_get_ulong(job, &job->peer_flags, pFlags);
}

static HRESULT STDMETHODCALLTYPE
job_GetOwnerIntegrityLevel(IBackgroundCopyJob5 *iface, ULONG *pLevel)
{
    if (!pLevel)
        return E_INVALIDARG;
    *pLevel = ref_owner_is_admin() ? 0x3000 : 0x2000; /* R26 */
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE
job_GetOwnerElevationState(IBackgroundCopyJob5 *iface, BOOL *pElevated)
{
    if (!pElevated)
        return E_INVALIDARG;
    *pElevated = ref_owner_is_admin() ? TRUE : FALSE;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE
job_SetMaximumDownloadTime(IBackgroundCopyJob5 *iface, ULONG Timeout)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    return job_set_ulong(job, &job->max_download_time, Timeout);
}

static HRESULT STDMETHODCALLTYPE
job_GetMaximumDownloadTime(IBackgroundCopyJob5 *iface, ULONG *pTimeout)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    return job_get_ulong(job, &job->max_download_time, pTimeout);
}

/* ---- IBackgroundCopyJob5 (D9, D10) ------------------------------------- */

static int job_property_known(enum ref_mode mode, BITS_JOB_PROPERTY_ID id)
{
    switch (id) {
    case BITS_JOB_PROPERTY_ID_COST_FLAGS:
    case BITS_JOB_PROPERTY_NOTIFICATION_CLSID:
        return 1;
    case BITS_JOB_PROPERTY_DYNAMIC_CONTENT:
    case BITS_JOB_PROPERTY_HIGH_PERFORMANCE:
    case BITS_JOB_PROPERTY_MAX_DOWNLOAD_SIZE:
    case BITS_JOB_PROPERTY_USE_STORED_CREDENTIALS:
    case BITS_JOB_PROPERTY_MINIMUM_NOTIFICATION_INTERVAL_MS:
    case BITS_JOB_PROPERTY_ON_DEMAND_MODE:
        return mode == REF_MODE_BITS;
    default:
        return 0;
    }
}

static int job_has_ranges(struct job *job)
{
    for (ULONG i = 0; i < job->nfiles; i++)
        if (job->files[i]->nranges)
            return 1;
    return 0;
}

static HRESULT STDMETHODCALLTYPE
job_SetProperty(IBackgroundCopyJob5 *iface, BITS_JOB_PROPERTY_ID PropertyId,
                BITS_JOB_PROPERTY_VALUE PropertyValue)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    int download = job->type == BG_JOB_TYPE_DOWNLOAD;
    BITS_JOB_PROPERTY_VALUE v = PropertyValue;
    BOOL enable = PropertyValue.Enable ? TRUE : FALSE;
    struct ref_job_edit e = {NULL, NULL, 0, NULL};
    HRESULT hr;
    if (!job_property_known(job->mode, PropertyId))
        return ref_hr(job->mode, BG_E_UNKNOWN_PROPERTY_ID);
    job_lock(job);
    if (FAILED(hr = job_check_state(job)))
        goto out;
    switch (PropertyId) {
    case BITS_JOB_PROPERTY_ID_COST_FLAGS:
        e = (struct ref_job_edit)REF_EDIT(&job->cost_flags, &v.Dword, NULL);
        break;
    case BITS_JOB_PROPERTY_NOTIFICATION_CLSID:
        e = (struct ref_job_edit)REF_EDIT(&job->notify_clsid, &v.ClsID, NULL);
        break;
    case BITS_JOB_PROPERTY_DYNAMIC_CONTENT:
        if (!download)
            hr = BG_E_PROPERTY_SUPPORTED_FOR_DOWNLOAD_JOBS_ONLY;
        else if (job->resumed_once)
            hr = BG_E_READ_ONLY_PROPERTY_AFTER_RESUME;
        else if (v.Enable && (job_has_ranges(job) || job->on_demand))
            hr = BG_E_UNSUPPORTED_JOB_CONFIGURATION;
        else
            e = (struct ref_job_edit)REF_EDIT(&job->dynamic_content, &enable,
                                              NULL);
        break;
    case BITS_JOB_PROPERTY_HIGH_PERFORMANCE:
        if (!download)
            hr = BG_E_PROPERTY_SUPPORTED_FOR_DOWNLOAD_JOBS_ONLY;
        else if (job->nfiles)
            hr = BG_E_READ_ONLY_PROPERTY_AFTER_ADDFILE;
        else
            e = (struct ref_job_edit)REF_EDIT(&job->high_performance, &enable,
                                              NULL);
        break;
    case BITS_JOB_PROPERTY_MAX_DOWNLOAD_SIZE:
        if (!download)
            hr = BG_E_PROPERTY_SUPPORTED_FOR_DOWNLOAD_JOBS_ONLY;
        else if (job->resumed_once)
            hr = BG_E_READ_ONLY_PROPERTY_AFTER_RESUME;
        else
            e = (struct ref_job_edit)REF_EDIT(&job->max_download_size,
                                              &v.Uint64, NULL);
        break;
    case BITS_JOB_PROPERTY_USE_STORED_CREDENTIALS:
        if (v.Target != BG_AUTH_TARGET_PROXY)
            hr = BG_E_USE_STORED_CREDENTIALS_NOT_SUPPORTED;
        else
            e = (struct ref_job_edit)REF_EDIT(&job->stored_cred_target,
                                              &v.Target, NULL);
        break;
    case BITS_JOB_PROPERTY_MINIMUM_NOTIFICATION_INTERVAL_MS:
        e = (struct ref_job_edit)REF_EDIT(&job->min_notify_interval, &v.Dword,
                                          NULL);
        break;
    case BITS_JOB_PROPERTY_ON_DEMAND_MODE:
        if (!download)
            hr = BG_E_PROPERTY_SUPPORTED_FOR_DOWNLOAD_JOBS_ONLY;
        else if (v.Enable && job->dynamic_content)
            hr = BG_E_UNSUPPORTED_JOB_CONFIGURATION;
        else
            e = (struct ref_job_edit)REF_EDIT(&job->on_demand, &enable, NULL);
        break;
    default:
        hr = ref_hr(job->mode, BG_E_UNKNOWN_PROPERTY_ID);
        break;
    }
    if (SUCCEEDED(hr))
        hr = ref_job_change_locked(job, &e, 1);
    /* I25: like a late SetNotifyInterface (I16), a class named while no
     * interface is registered gets the event that already happened;
     * GUID_NULL removes the class. */
    if (SUCCEEDED(hr) && PropertyId == BITS_JOB_PROPERTY_NOTIFICATION_CLSID &&
        !job->notify && !IsEqualGUID(&job->notify_clsid, &GUID_NULL)) {
        if (ref_job_state(job) == BG_JOB_STATE_TRANSFERRED)
            ref_notify_post(job, REF_NOTIFY_TRANSFERRED, -1);
        else if (ref_job_state(job) == BG_JOB_STATE_ERROR)
            ref_notify_post(job, REF_NOTIFY_ERROR, -1);
    }
out:
    job_unlock(job);
    if (SUCCEEDED(hr))
        ref_sched_poke(); /* COST_FLAGS takes effect at once (spec §8.1) */
    return hr;
}

static HRESULT STDMETHODCALLTYPE
job_GetProperty(IBackgroundCopyJob5 *iface, BITS_JOB_PROPERTY_ID PropertyId,
                BITS_JOB_PROPERTY_VALUE *PropertyValue)
{
    struct job *job = impl_from_IBackgroundCopyJob5(iface);
    BITS_JOB_PROPERTY_VALUE v;
    if (!PropertyValue)
        return E_INVALIDARG;
    memset(&v, 0, sizeof v);
    *PropertyValue = v; /* R1 */
    if (!job_property_known(job->mode, PropertyId))
        return ref_hr(job->mode, BG_E_UNKNOWN_PROPERTY_ID);
    job_lock(job);
    switch (PropertyId) {
    case BITS_JOB_PROPERTY_ID_COST_FLAGS:
        v.Dword = job->cost_flags;
        break;
    case BITS_JOB_PROPERTY_NOTIFICATION_CLSID:
        v.ClsID = job->notify_clsid;
        break;
    case BITS_JOB_PROPERTY_DYNAMIC_CONTENT:
        v.Enable = job->dynamic_content;
        break;
    case BITS_JOB_PROPERTY_HIGH_PERFORMANCE:
        v.Enable = job->high_performance;
        break;
    case BITS_JOB_PROPERTY_MAX_DOWNLOAD_SIZE:
        v.Uint64 = job->max_download_size;
        break;
    case BITS_JOB_PROPERTY_USE_STORED_CREDENTIALS:
        v.Target = job->stored_cred_target;
        break;
    case BITS_JOB_PROPERTY_MINIMUM_NOTIFICATION_INTERVAL_MS:
        v.Dword = job->min_notify_interval;
        break;
    case BITS_JOB_PROPERTY_ON_DEMAND_MODE:
        v.Enable = job->on_demand;
        break;
    default:
        break;
    }
    job_unlock(job);
    *PropertyValue = v;
    return S_OK;
}

static const IBackgroundCopyJob5Vtbl job_vtbl = {
    /* IUnknown */
    job_QueryInterface,
    job_AddRef,
    job_Release,
    /* IBackgroundCopyJob */
    job_AddFileSet,
    job_AddFile,
    job_EnumFiles,
    job_Suspend,
    job_Resume,
    job_Cancel,
    job_Complete,
    job_GetId,
    job_GetType,
    job_GetProgress,
    job_GetTimes,
    job_GetState,
    job_GetError,
    job_GetOwner,
    job_SetDisplayName,
    job_GetDisplayName,
    job_SetDescription,
    job_GetDescription,
    job_SetPriority,
    job_GetPriority,
    job_SetNotifyFlags,
    job_GetNotifyFlags,
    job_SetNotifyInterface,
    job_GetNotifyInterface,
    job_SetMinimumRetryDelay,
    job_GetMinimumRetryDelay,
    job_SetNoProgressTimeout,
    job_GetNoProgressTimeout,
    job_GetErrorCount,
    job_SetProxySettings,
    job_GetProxySettings,
    job_TakeOwnership,
    /* IBackgroundCopyJob2 */
    job_SetNotifyCmdLine,
    job_GetNotifyCmdLine,
    job_GetReplyProgress,
    job_GetReplyData,
    job_SetReplyFileName,
    job_GetReplyFileName,
    job_SetCredentials,
    job_RemoveCredentials,
    /* IBackgroundCopyJob3 */
    job_ReplaceRemotePrefix,
    job_AddFileWithRanges,
    job_SetFileACLFlags,
    job_GetFileACLFlags,
    /* IBackgroundCopyJob4 */
    job_SetPeerCachingFlags,
    job_GetPeerCachingFlags,
    job_GetOwnerIntegrityLevel,
    job_GetOwnerElevationState,
    job_SetMaximumDownloadTime,
    job_GetMaximumDownloadTime,
    /* IBackgroundCopyJob5 */
    job_SetProperty,
    job_GetProperty,
};
_Static_assert(sizeof job_vtbl == 55 * sizeof(void *),
               "IBackgroundCopyJob5 vtable has 55 slots");

/* ---- IBackgroundCopyJobHttpOptions (R33) ------------------------------- */

static HRESULT STDMETHODCALLTYPE http_QueryInterface(
    IBackgroundCopyJobHttpOptions *iface, REFIID riid, void **ppv)
{
    return job_query(impl_from_IBackgroundCopyJobHttpOptions(iface), riid, ppv);
}

static ULONG STDMETHODCALLTYPE http_AddRef(IBackgroundCopyJobHttpOptions *iface)
{
    struct job *job = impl_from_IBackgroundCopyJobHttpOptions(iface);
    return job_AddRef(&job->IBackgroundCopyJob5_iface);
}

static ULONG STDMETHODCALLTYPE
http_Release(IBackgroundCopyJobHttpOptions *iface)
{
    struct job *job = impl_from_IBackgroundCopyJobHttpOptions(iface);
    return job_Release(&job->IBackgroundCopyJob5_iface);
}

/* Stores a client certificate reference (by hash or by subject). */
static HRESULT http_set_cert(struct job *job, BG_CERT_STORE_LOCATION loc,
                             LPCWSTR store, const BYTE *hash, LPCWSTR subject)
{
    WCHAR *st, *sub = NULL;
    HRESULT hr;
    if ((unsigned)loc > BG_CERT_STORE_LOCATION_LOCAL_MACHINE_ENTERPRISE ||
        !store || !store[0])
        return E_INVALIDARG;
    if (!hash && (!subject || !subject[0]))
        return E_INVALIDARG;
    if (!(st = ref_wcsdup(store)) ||
        (subject && !(sub = ref_wcsdup(subject)))) {
        ref_free(st);
        return E_OUTOFMEMORY;
    }
    job_lock(job);
    if (SUCCEEDED(hr = job_check_state(job))) {
        struct ref_cert c;
        memset(&c, 0, sizeof c);
        c.set = TRUE;
        c.location = loc;
        c.store = st;
        c.by_id = hash != NULL;
        if (hash)
            memcpy(c.hash, hash, sizeof c.hash);
        c.subject = sub;
        struct ref_job_edit e[] = {REF_EDIT(&job->cert, &c, NULL)};
        hr = ref_job_change_locked(job, e, 1);
        st = c.store; /* the values that lost */
        sub = c.subject;
    }
    job_unlock(job);
    ref_free(st);
    ref_free(sub);
    return hr;
}

static HRESULT STDMETHODCALLTYPE http_SetClientCertificateByID(
    IBackgroundCopyJobHttpOptions *iface, BG_CERT_STORE_LOCATION StoreLocation,
    LPCWSTR StoreName, BYTE *pCertHashBlob)
{
    struct job *job = impl_from_IBackgroundCopyJobHttpOptions(iface);
    if (!pCertHashBlob)
        return E_INVALIDARG;
    return http_set_cert(job, StoreLocation, StoreName, pCertHashBlob, NULL);
}

static HRESULT STDMETHODCALLTYPE http_SetClientCertificateByName(
    IBackgroundCopyJobHttpOptions *iface, BG_CERT_STORE_LOCATION StoreLocation,
    LPCWSTR StoreName, LPCWSTR SubjectName)
{
    struct job *job = impl_from_IBackgroundCopyJobHttpOptions(iface);
    if (!SubjectName || !SubjectName[0])
        return E_INVALIDARG;
    return http_set_cert(job, StoreLocation, StoreName, NULL, SubjectName);
}

static HRESULT STDMETHODCALLTYPE
http_RemoveClientCertificate(IBackgroundCopyJobHttpOptions *iface)
{
    struct job *job = impl_from_IBackgroundCopyJobHttpOptions(iface);
    HRESULT hr;
    job_lock(job);
    if (FAILED(hr = job_check_state(job)))
        goto out;
    if (!job->cert.set) {
        hr = ref_job_commit_locked(job); /* the call is written as made */
        if (SUCCEEDED(hr))
            hr = S_FALSE;
        goto out;
    }
    {
        struct ref_cert none;
        memset(&none, 0, sizeof none);
        struct ref_job_edit e[] = {REF_EDIT(&job->cert, &none, job_drop_cert)};
        hr = ref_job_change_locked(job, e, 1);
    }
out:
    job_unlock(job);
    return hr;
}

static HRESULT STDMETHODCALLTYPE http_GetClientCertificate(
    IBackgroundCopyJobHttpOptions *iface,
    BG_CERT_STORE_LOCATION *pStoreLocation, LPWSTR *pStoreName,
    BYTE **ppCertHashBlob, LPWSTR *pSubjectName)
{
    struct job *job = impl_from_IBackgroundCopyJobHttpOptions(iface);
    HRESULT hr = S_OK;
    if (pStoreName)
        *pStoreName = NULL;
    if (pSubjectName)
        *pSubjectName = NULL;
    if (ppCertHashBlob)
        *ppCertHashBlob = NULL;
    if (pStoreLocation)
        *pStoreLocation = BG_CERT_STORE_LOCATION_CURRENT_USER;
    if (!pStoreLocation || !pStoreName || !ppCertHashBlob || !pSubjectName)
        return E_INVALIDARG;
    job_lock(job);
    if (!job->cert.set) {
        hr = E_NOT_SET; /* R33 */
        goto out;
    }
    if (FAILED(hr = ref_task_wcsdup(job->cert.store, pStoreName)) ||
        FAILED(hr = ref_task_wcsdup(job->cert.subject, pSubjectName)))
        goto out;
    if (job->cert.by_id) {
        *ppCertHashBlob = ref_task_alloc(sizeof job->cert.hash);
        if (!*ppCertHashBlob) {
            hr = E_OUTOFMEMORY;
            goto out;
        }
        memcpy(*ppCertHashBlob, job->cert.hash, sizeof job->cert.hash);
    }
    *pStoreLocation = job->cert.location;
out:
    job_unlock(job);
    if (FAILED(hr)) {
        CoTaskMemFree(*pStoreName);
        CoTaskMemFree(*pSubjectName);
        *pStoreName = *pSubjectName = NULL;
    }
    return hr;
}

static HRESULT STDMETHODCALLTYPE http_SetCustomHeaders(
    IBackgroundCopyJobHttpOptions *iface, LPCWSTR RequestHeaders)
{
    struct job *job = impl_from_IBackgroundCopyJobHttpOptions(iface);
    if (ref_wcslen(RequestHeaders) > ref_policy(REF_POLICY_MAX_CUSTOM_HEADERS))
        return BG_E_STRING_TOO_LONG;
    return job_set_string(job, &job->custom_headers, RequestHeaders);
}

static HRESULT STDMETHODCALLTYPE http_GetCustomHeaders(
    IBackgroundCopyJobHttpOptions *iface, LPWSTR *pRequestHeaders)
{
    struct job *job = impl_from_IBackgroundCopyJobHttpOptions(iface);
    HRESULT hr;
    if (!pRequestHeaders)
        return E_INVALIDARG;
    job_lock(job);
    hr = ref_task_wcsdup(job->custom_headers, pRequestHeaders);
    if (SUCCEEDED(hr) && !job->custom_headers)
        hr = S_FALSE; /* none set (Wine, observed on Windows) */
    job_unlock(job);
    return hr;
}

static HRESULT STDMETHODCALLTYPE
http_SetSecurityFlags(IBackgroundCopyJobHttpOptions *iface, ULONG Flags)
{
    struct job *job = impl_from_IBackgroundCopyJobHttpOptions(iface);
    ULONG policy = Flags & BG_HTTP_REDIRECT_POLICY_MASK;
    const ULONG known = 0x1F | BG_HTTP_REDIRECT_POLICY_MASK |
                        BG_HTTP_REDIRECT_POLICY_ALLOW_HTTPS_TO_HTTP;
    if ((Flags & ~known) || (policy != BG_HTTP_REDIRECT_POLICY_ALLOW_SILENT &&
                             policy != BG_HTTP_REDIRECT_POLICY_ALLOW_REPORT &&
                             policy != BG_HTTP_REDIRECT_POLICY_DISALLOW))
        return E_NOTIMPL; /* documented: unsupported flag */
    return job_set_ulong(job, &job->security_flags, Flags);
}

static HRESULT STDMETHODCALLTYPE
http_GetSecurityFlags(IBackgroundCopyJobHttpOptions *iface, ULONG *pFlags)
{
    struct job *job = impl_from_IBackgroundCopyJobHttpOptions(iface);
    return job_get_ulong(job, &job->security_flags, pFlags);
}

static const IBackgroundCopyJobHttpOptionsVtbl http_vtbl = {
    /* IUnknown */
    http_QueryInterface,
    http_AddRef,
    http_Release,
    /* IBackgroundCopyJobHttpOptions */
    http_SetClientCertificateByID,
    http_SetClientCertificateByName,
    http_RemoveClientCertificate,
    http_GetClientCertificate,
    http_SetCustomHeaders,
    http_GetCustomHeaders,
    http_SetSecurityFlags,
    http_GetSecurityFlags,
};
_Static_assert(sizeof http_vtbl == 11 * sizeof(void *),
               "IBackgroundCopyJobHttpOptions vtable has 11 slots");

/* ---- IDeliveryOptimizationJob (R15) ------------------------------------ */

static HRESULT STDMETHODCALLTYPE
dojob_QueryInterface(IDeliveryOptimizationJob *iface, REFIID riid, void **ppv)
{
    return job_query(impl_from_IDeliveryOptimizationJob(iface), riid, ppv);
}

static ULONG STDMETHODCALLTYPE dojob_AddRef(IDeliveryOptimizationJob *iface)
{
    struct job *job = impl_from_IDeliveryOptimizationJob(iface);
    return job_AddRef(&job->IBackgroundCopyJob5_iface);
}

static ULONG STDMETHODCALLTYPE dojob_Release(IDeliveryOptimizationJob *iface)
{
    struct job *job = impl_from_IDeliveryOptimizationJob(iface);
    return job_Release(&job->IBackgroundCopyJob5_iface);
}

static HRESULT STDMETHODCALLTYPE
dojob_AddFileWithRanges(IDeliveryOptimizationJob *iface, LPCWSTR fileId,
                        LPCWSTR remoteUrl, LPCWSTR localName, DWORD rangeCount,
                        BG_FILE_RANGE ranges[], UINT64 fileSize)
{
    struct job *job = impl_from_IDeliveryOptimizationJob(iface);
    HRESULT hr;
    if (!localName || !localName[0] || !fileId || !fileId[0] || !remoteUrl)
        return E_INVALIDARG;
    if (rangeCount && !ranges)
        return E_INVALIDARG;
    if (FAILED(hr = ref_check_ranges(job->mode, ranges, rangeCount, fileSize)))
        return hr;
    return job_add_files(job, 1, &remoteUrl, &localName, fileId, ranges,
                         rangeCount, fileSize);
}

static const IDeliveryOptimizationJobVtbl dojob_vtbl = {
    /* IUnknown */
    dojob_QueryInterface,
    dojob_AddRef,
    dojob_Release,
    /* IDeliveryOptimizationJob */
    dojob_AddFileWithRanges,
};
_Static_assert(sizeof dojob_vtbl == 4 * sizeof(void *),
               "IDeliveryOptimizationJob vtable has 4 slots");

/* ---- IDeliveryOptimizationJob2 (R30) ----------------------------------- */

static HRESULT STDMETHODCALLTYPE
dojob2_QueryInterface(IDeliveryOptimizationJob2 *iface, REFIID riid, void **ppv)
{
    return job_query(impl_from_IDeliveryOptimizationJob2(iface), riid, ppv);
}

static ULONG STDMETHODCALLTYPE dojob2_AddRef(IDeliveryOptimizationJob2 *iface)
{
    struct job *job = impl_from_IDeliveryOptimizationJob2(iface);
    return job_AddRef(&job->IBackgroundCopyJob5_iface);
}

static ULONG STDMETHODCALLTYPE dojob2_Release(IDeliveryOptimizationJob2 *iface)
{
    struct job *job = impl_from_IDeliveryOptimizationJob2(iface);
    return job_Release(&job->IBackgroundCopyJob5_iface);
}

/* Interfaces a DO-mode file object answers. */
static int do_file_iid(REFIID riid)
{
    return IsEqualGUID(riid, &IID_IUnknown) ||
           IsEqualGUID(riid, &IID_IBackgroundCopyFile) ||
           IsEqualGUID(riid, &IID_IBackgroundCopyFile2) ||
           IsEqualGUID(riid, &IID_IBackgroundCopyFile3) ||
           IsEqualGUID(riid, &IID_IBackgroundCopyFile4) ||
           IsEqualGUID(riid, &IID_IBackgroundCopyFile5) ||
           IsEqualGUID(riid, &IID_IBackgroundCopyFile6) ||
           IsEqualGUID(riid, &IID_IDeliveryOptimizationFile) ||
           IsEqualGUID(riid, &IID_IDeliveryOptimizationFile2);
}

static HRESULT STDMETHODCALLTYPE dojob2_AddFile(
    IDeliveryOptimizationJob2 *iface, LPCWSTR fileId, LPCWSTR remoteUrl,
    DWORD rangeCount, BG_FILE_RANGE ranges[], REFIID riid, void **object)
{
    struct job *job = impl_from_IDeliveryOptimizationJob2(iface);
    enum ref_proto proto = REF_PROTO_NONE;
    struct file_rec *rec;
    IBackgroundCopyFile *file;
    HRESULT hr;
    if (!object)
        return E_INVALIDARG;
    *object = NULL;
    if (!fileId || !fileId[0] || !riid || (rangeCount && !ranges))
        return E_INVALIDARG;
    if (remoteUrl &&
        FAILED(hr = ref_check_remote(job->mode, remoteUrl, &proto)))
        return hr;
    if (FAILED(hr = ref_check_ranges(job->mode, ranges, rangeCount,
                                     BG_SIZE_UNKNOWN)))
        return hr;
    if (!do_file_iid(riid))
        return E_NOINTERFACE;
    rec = rec_new(remoteUrl, proto, NULL, fileId, ranges, rangeCount,
                  BG_SIZE_UNKNOWN);
    if (!rec)
        return E_OUTOFMEMORY;
    if (FAILED(hr = ref_file_create(job, rec, &file))) {
        ref_job_rec_free(rec);
        return hr;
    }
    if (FAILED(hr = job_commit_files(job, &rec, 1))) {
        file->lpVtbl->Release(file);
        ref_job_rec_free(rec);
        return hr;
    }
    hr = file->lpVtbl->QueryInterface(file, riid, object);
    file->lpVtbl->Release(file);
    return hr;
}

static HRESULT STDMETHODCALLTYPE
dojob2_GetProperty(IDeliveryOptimizationJob2 *iface, DOJobPropertyId propId,
                   VARIANT *propValue)
{
    struct job *job = impl_from_IDeliveryOptimizationJob2(iface);
    LPWSTR text = NULL;
    HRESULT hr = S_OK, code = S_OK;
    BSTR b;
    int have;
    if (!propValue)
        return E_INVALIDARG;
    VariantInit(propValue);
    if (propId != DOJobPropertyId_ExtendedErrorInfo)
        return DO_E_UNKNOWN_PROPERTY_ID;
    job_lock(job);
    have = job->error.set;
    code = job->error.code;
    job_unlock(job);
    if (have && FAILED(hr = ref_msg_describe(code, 0, 1, &text)))
        return hr;
    b = ref_bstr_alloc(text ? text : u"");
    CoTaskMemFree(text);
    if (!b)
        return E_OUTOFMEMORY;
    V_VT(propValue) = VT_BSTR;
    V_BSTR(propValue) = b;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE
dojob2_SetProperty(IDeliveryOptimizationJob2 *iface, DOJobPropertyId propId,
                   const VARIANT *propValue)
{
    if (propId == DOJobPropertyId_ExtendedErrorInfo)
        return DO_E_READ_ONLY_PROPERTY;
    return DO_E_UNKNOWN_PROPERTY_ID;
}

static const IDeliveryOptimizationJob2Vtbl dojob2_vtbl = {
    /* IUnknown */
    dojob2_QueryInterface,
    dojob2_AddRef,
    dojob2_Release,
    /* IDeliveryOptimizationJob2 */
    dojob2_AddFile,
    dojob2_GetProperty,
    dojob2_SetProperty,
};
_Static_assert(sizeof dojob2_vtbl == 6 * sizeof(void *),
               "IDeliveryOptimizationJob2 vtable has 6 slots");
