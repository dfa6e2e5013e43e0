/*
 * manager.c - the manager object: IBackgroundCopyManager, plus docts's own
 * IDoctsTestClock (docts_ext.h) so a runner can speed up the one clock.
 *
 * Owns nothing but its mode and reference count: every manager of a mode
 * works on that mode's queue (ref_queue.c, docs/decisions.md R7).  Job
 * limits are enforced by the queue; the message texts live in ref_msg.c.
 * Layer com: the job store and the DO tear-off are reached through the
 * hooks the entry layer registers (ref_manager_use_hooks), so this file
 * imports only core (docs/architecture.md "Layers").
 */
#include "ref_private.h"

#include <docts_ext.h>
#include <math.h>
#include <string.h>

/* The entry layer's wiring (factory.c). */
static const struct ref_manager_hooks *hooks;

void ref_manager_use_hooks(const struct ref_manager_hooks *h)
{
    __atomic_store_n(&hooks, h, __ATOMIC_RELEASE);
}

static const struct ref_manager_hooks *hk(void)
{
    return __atomic_load_n(&hooks, __ATOMIC_ACQUIRE);
}

struct manager {
    IBackgroundCopyManager IBackgroundCopyManager_iface;
    IDoctsTestClock IDoctsTestClock_iface;
    LONG ref;
    enum ref_mode mode;
};

static const IBackgroundCopyManagerVtbl manager_vtbl;
static const IDoctsTestClockVtbl clock_vtbl;

static struct manager *
impl_from_IBackgroundCopyManager(IBackgroundCopyManager *iface)
{
    return REF_CONTAINER(iface, struct manager, IBackgroundCopyManager_iface);
}

static struct manager *impl_from_IDoctsTestClock(IDoctsTestClock *iface)
{
    return REF_CONTAINER(iface, struct manager, IDoctsTestClock_iface);
}

static HRESULT manager_query(struct manager *m, REFIID riid, void **ppv)
{
    if (!ppv)
        return E_POINTER;
    *ppv = NULL;
    if (!riid)
        return E_INVALIDARG;
    if (IsEqualGUID(riid, &IID_IUnknown) ||
        IsEqualGUID(riid, &IID_IBackgroundCopyManager))
        *ppv = &m->IBackgroundCopyManager_iface;
    else if (IsEqualGUID(riid, &IID_IDoctsTestClock))
        *ppv = &m->IDoctsTestClock_iface;
    else if (m->mode == REF_MODE_DO && IsEqualGUID(riid, &IID_IDOManager))
        return hk()->do_tearoff((IUnknown *)&m->IBackgroundCopyManager_iface,
                                ppv); /* do_manager.c */
    else
        return E_NOINTERFACE;
    __atomic_add_fetch(&m->ref, 1, __ATOMIC_ACQ_REL);
    return S_OK;
}

HRESULT ref_manager_create(enum ref_mode mode, REFIID riid, void **ppv)
{
    struct manager *m;
    HRESULT hr;
    *ppv = NULL;
    m = ref_calloc(1, sizeof *m);
    if (!m)
        return E_OUTOFMEMORY;
    m->IBackgroundCopyManager_iface.lpVtbl = &manager_vtbl;
    m->IDoctsTestClock_iface.lpVtbl = &clock_vtbl;
    m->ref = 1;
    m->mode = mode;
    ref_object_created();
    hk()->start(); /* once: the job store and its jobs (issue 7) */
    hr = manager_query(m, riid, ppv);
    m->IBackgroundCopyManager_iface.lpVtbl->Release(
        &m->IBackgroundCopyManager_iface);
    return hr;
}

static HRESULT STDMETHODCALLTYPE
manager_QueryInterface(IBackgroundCopyManager *iface, REFIID riid, void **ppv)
{
    return manager_query(impl_from_IBackgroundCopyManager(iface), riid, ppv);
}

static ULONG STDMETHODCALLTYPE manager_AddRef(IBackgroundCopyManager *iface)
{
    struct manager *m = impl_from_IBackgroundCopyManager(iface);
    return (ULONG)__atomic_add_fetch(&m->ref, 1, __ATOMIC_ACQ_REL);
}

static ULONG STDMETHODCALLTYPE manager_Release(IBackgroundCopyManager *iface)
{
    struct manager *m = impl_from_IBackgroundCopyManager(iface);
    LONG ref = __atomic_sub_fetch(&m->ref, 1, __ATOMIC_ACQ_REL);
    if (ref == 0) {
        ref_free(m);
        ref_object_destroyed();
    }
    return (ULONG)ref;
}

static HRESULT STDMETHODCALLTYPE
manager_CreateJob(IBackgroundCopyManager *iface, LPCWSTR DisplayName,
                  BG_JOB_TYPE Type, GUID *pJobId, IBackgroundCopyJob **ppJob)
{
    struct manager *m = impl_from_IBackgroundCopyManager(iface);
    WCHAR owner[REF_SID_MAX];
    struct job *job;
    HRESULT hr;
    if (ppJob)
        *ppJob = NULL;
    if (pJobId)
        memset(pJobId, 0, sizeof *pJobId);
    if (!DisplayName || !pJobId || !ppJob)
        return E_INVALIDARG; /* R4 */
    if (ref_wcslen(DisplayName) > ref_policy(REF_POLICY_MAX_DISPLAY_NAME))
        return E_INVALIDARG;
    if ((unsigned)Type > BG_JOB_TYPE_UPLOAD_REPLY ||
        (m->mode == REF_MODE_DO && Type != BG_JOB_TYPE_DOWNLOAD))
        return E_INVALIDARG; /* R2, R3 */
    ref_owner_current(owner);
    if (FAILED(hr = ref_job_create(m->mode, DisplayName, Type, owner, &job)))
        return hr;
    if (FAILED(hr = ref_queue_add(job))) {
        ref_job_release(job);
        return hr;
    }
    if (FAILED(hr = hk()->new_job(job))) { /* S14: nothing kept */
        ref_queue_remove(job);
        ref_job_release(job);
        return hr;
    }
    *pJobId = job->id;
    *ppJob = ref_job_iface(job); /* the creation reference */
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE manager_GetJob(IBackgroundCopyManager *iface,
                                                REFGUID jobID,
                                                IBackgroundCopyJob **ppJob)
{
    struct manager *m = impl_from_IBackgroundCopyManager(iface);
    struct job *job;
    HRESULT hr;
    if (!ppJob)
        return E_INVALIDARG;
    *ppJob = NULL;
    if (!jobID)
        return E_INVALIDARG;
    hk()->sync(); /* jobs other processes made or changed */
    if (FAILED(hr = ref_queue_find(m->mode, jobID, &job)))
        return hr; /* D7, R6 */
    *ppJob = ref_job_iface(job);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE
manager_EnumJobs(IBackgroundCopyManager *iface, DWORD dwFlags,
                 IEnumBackgroundCopyJobs **ppEnum)
{
    struct manager *m = impl_from_IBackgroundCopyManager(iface);
    struct job **jobs;
    ULONG n;
    HRESULT hr;
    if (!ppEnum)
        return E_INVALIDARG;
    *ppEnum = NULL;
    if (dwFlags & ~(DWORD)BG_JOB_ENUM_ALL_USERS)
        return E_INVALIDARG; /* R22 */
    if ((dwFlags & BG_JOB_ENUM_ALL_USERS) && !ref_owner_is_admin())
        return E_ACCESSDENIED; /* R5 */
    hk()->sync();
    if (FAILED(hr = ref_queue_snapshot(
                   m->mode, (dwFlags & BG_JOB_ENUM_ALL_USERS) != 0, &jobs, &n)))
        return hr;
    return ref_enum_jobs_create(jobs, n, ppEnum);
}

static HRESULT STDMETHODCALLTYPE
manager_GetErrorDescription(IBackgroundCopyManager *iface, HRESULT hResult,
                            DWORD LanguageId, LPWSTR *pErrorDescription)
{
    if (!pErrorDescription)
        return E_INVALIDARG;
    return ref_msg_describe(hResult, LanguageId, 1, pErrorDescription);
}

static const IBackgroundCopyManagerVtbl manager_vtbl = {
    /* IUnknown */
    manager_QueryInterface,
    manager_AddRef,
    manager_Release,
    /* IBackgroundCopyManager */
    manager_CreateJob,
    manager_GetJob,
    manager_EnumJobs,
    manager_GetErrorDescription,
};
_Static_assert(sizeof manager_vtbl == 7 * sizeof(void *),
               "IBackgroundCopyManager vtable has 7 slots");

/* ---- IDoctsTestClock (docts_ext.h) ------------------------------------- */

static HRESULT STDMETHODCALLTYPE clock_QueryInterface(IDoctsTestClock *iface,
                                                      REFIID riid, void **ppv)
{
    return manager_query(impl_from_IDoctsTestClock(iface), riid, ppv);
}

static ULONG STDMETHODCALLTYPE clock_AddRef(IDoctsTestClock *iface)
{
    struct manager *m = impl_from_IDoctsTestClock(iface);
    return manager_AddRef(&m->IBackgroundCopyManager_iface);
}

static ULONG STDMETHODCALLTYPE clock_Release(IDoctsTestClock *iface)
{
    struct manager *m = impl_from_IDoctsTestClock(iface);
    return manager_Release(&m->IBackgroundCopyManager_iface);
}

static HRESULT STDMETHODCALLTYPE clock_GetSpeedFactor(IDoctsTestClock *iface,
                                                      double *factor)
{
    if (!factor)
        return E_POINTER;
    *factor = ref_clock_speed();
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE clock_SetSpeedFactor(IDoctsTestClock *iface,
                                                      double factor)
{
    if (!isfinite(factor) || factor < 1.0)
        return E_INVALIDARG;
    ref_clock_set_speed(factor);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE clock_Advance(IDoctsTestClock *iface,
                                               UINT64 milliseconds)
{
    ref_clock_advance(milliseconds);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE clock_GetNow(IDoctsTestClock *iface,
                                              FILETIME *now)
{
    if (!now)
        return E_POINTER;
    *now = ref_clock_now_filetime();
    return S_OK;
}

static const IDoctsTestClockVtbl clock_vtbl = {
    /* IUnknown */
    clock_QueryInterface,
    clock_AddRef,
    clock_Release,
    /* IDoctsTestClock */
    clock_GetSpeedFactor,
    clock_SetSpeedFactor,
    clock_Advance,
    clock_GetNow,
};
_Static_assert(sizeof clock_vtbl == 7 * sizeof(void *),
               "IDoctsTestClock vtable has 7 slots");
