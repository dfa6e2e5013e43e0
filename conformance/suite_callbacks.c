/*
 * suite_callbacks.c - notifications over real transfers (spec §5, §14.5):
 * which IBackgroundCopyCallback* methods are called for which flags and
 * events, in which order, how often (a failing JobTransferred / JobError /
 * FileTransferred is delivered again), re-entrancy (Complete, Cancel,
 * Suspend and getters called from inside a callback) and registration rules
 * (late registration, NULL, last registrant wins, QueryInterface level)
 * and the Job5 NOTIFICATION_CLSID fallback (NTF-12): the case registers a
 * class factory with CoRegisterClassObject (libdocom on Linux, ole32 on
 * Windows) and counts the instances the implementation creates.
 *
 * The callback object is netcase.c's recorder (nc_cb): it records every
 * call with the job state read inside it and can fail its first calls.
 * Each case downloads from its own h2mock.  Redelivery waits on the
 * implementation's clock (NEEDS_CLOCK): without IDoctsTestClock those cases
 * run only with --slow.  The case table is at the end of the file.
 */
#include "netcase.h"

#include <stdio.h>
#include <string.h>

/* A CLSID no COM server registers (NTF-12 cases). */
static const GUID clsid_nobody = {
    0x6f1c7d2e,
    0x5a43,
    0x4b8e,
    {0x9d, 0x21, 0x0c, 0x3e, 0x55, 0x7a, 0x12, 0x9b}};

/* Sets Job5 NOTIFICATION_CLSID and reads it back. */
static void set_notify_clsid(conf_ctx *ctx, IBackgroundCopyJob *job,
                             const GUID *clsid)
{
    IBackgroundCopyJob5 *j5 = NULL;
    CONF_EXPECT_HR(ctx,
                   IBackgroundCopyJob_QueryInterface(
                       job, &IID_IBackgroundCopyJob5, (void **)&j5),
                   S_OK);
    conf_defer_release(ctx, (IUnknown *)j5);
    BITS_JOB_PROPERTY_VALUE v;
    memset(&v, 0, sizeof v);
    v.ClsID = *clsid;
    CONF_EXPECT_HR(ctx,
                   IBackgroundCopyJob5_SetProperty(
                       j5, BITS_JOB_PROPERTY_NOTIFICATION_CLSID, v),
                   S_OK);
    memset(&v, 0xEE, sizeof v);
    CONF_EXPECT_HR(ctx,
                   IBackgroundCopyJob5_GetProperty(
                       j5, BITS_JOB_PROPERTY_NOTIFICATION_CLSID, &v),
                   S_OK);
    CONF_EXPECT_GUID(ctx, &v.ClsID, clsid);
}

/* A CLSID the NTF-12 cases register for the duration of the case. */
static const GUID clsid_case = {
    0x2d5e8b34,
    0x7f61,
    0x4c0a,
    {0x93, 0x1b, 0x48, 0xe2, 0x06, 0xad, 0x7c, 0x15}};

/* The class object of clsid_case: CreateInstance hands out the recorder
 * `target` (so one nc_cb records the calls of every instance) and counts
 * the instances.  Registered by cls_register, revoked at the end of the
 * case (after the jobs were cancelled) by the `revoker` object's
 * Release. */
typedef struct conf_cls {
    IClassFactory iface;
    atomic_long refs;
    atomic_long activations;
    IUnknown *target;
    DWORD cookie;
    IUnknown revoker;
} conf_cls;

static conf_cls *cls_of(IClassFactory *iface)
{
    return (conf_cls *)(void *)iface;
}

static HRESULT STDMETHODCALLTYPE cls_QueryInterface(IClassFactory *This,
                                                    REFIID riid, void **ppv)
{
    if (!ppv)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) ||
        IsEqualIID(riid, &IID_IClassFactory)) {
        *ppv = This;
        This->lpVtbl->AddRef(This);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE cls_AddRef(IClassFactory *This)
{
    return (ULONG)(atomic_fetch_add(&cls_of(This)->refs, 1) + 1);
}

static ULONG STDMETHODCALLTYPE cls_Release(IClassFactory *This)
{
    return (ULONG)(atomic_fetch_sub(&cls_of(This)->refs, 1) - 1);
}

static HRESULT STDMETHODCALLTYPE cls_CreateInstance(IClassFactory *This,
                                                    IUnknown *outer,
                                                    REFIID riid, void **ppv)
{
    conf_cls *k = cls_of(This);
    HRESULT hr;
    if (!ppv)
        return E_POINTER;
    *ppv = NULL;
    if (outer)
        return CLASS_E_NOAGGREGATION;
    hr = k->target->lpVtbl->QueryInterface(k->target, riid, ppv);
    if (SUCCEEDED(hr))
        atomic_fetch_add(&k->activations, 1);
    return hr;
}

static HRESULT STDMETHODCALLTYPE cls_LockServer(IClassFactory *This, BOOL fLock)
{
    (void)This;
    (void)fLock;
    return S_OK;
}

static const IClassFactoryVtbl cls_vtbl = {cls_QueryInterface, cls_AddRef,
                                           cls_Release, cls_CreateInstance,
                                           cls_LockServer};

static HRESULT STDMETHODCALLTYPE rv_QueryInterface(IUnknown *This, REFIID riid,
                                                   void **ppv)
{
    (void)This;
    (void)riid;
    if (ppv)
        *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE rv_AddRef(IUnknown *This)
{
    (void)This;
    return 2;
}

/* The end of the case: revoke the class, end our COM use. */
static ULONG STDMETHODCALLTYPE rv_Release(IUnknown *This)
{
    conf_cls *k =
        (conf_cls *)(void *)((char *)This - offsetof(conf_cls, revoker));
    if (k->cookie)
        (void)CoRevokeClassObject(k->cookie);
    k->cookie = 0;
    CoUninitialize();
    return 0;
}

static const IUnknownVtbl rv_vtbl = {rv_QueryInterface, rv_AddRef, rv_Release};

/* Registers clsid_case (CLSCTX_LOCAL_SERVER, REGCLS_MULTIPLEUSE: what a
 * client of the BITS service registers) handing out TARGET; revoked at
 * the end of the case. */
static conf_cls *cls_register(conf_ctx *ctx, nc_cb *target)
{
    conf_cls *k = conf_alloc(ctx, sizeof *k);
    k->iface.lpVtbl = (IClassFactoryVtbl *)&cls_vtbl;
    atomic_store(&k->refs, 1);
    atomic_store(&k->activations, 0);
    k->target = (IUnknown *)&target->iface;
    k->revoker.lpVtbl = (IUnknownVtbl *)&rv_vtbl;
    (void)CoInitializeEx(NULL, COINIT_MULTITHREADED);
    conf_defer_release(ctx, &k->revoker);
    CONF_EXPECT_HR(ctx,
                   CoRegisterClassObject(&clsid_case, (IUnknown *)&k->iface,
                                         CLSCTX_LOCAL_SERVER,
                                         REGCLS_MULTIPLEUSE, &k->cookie),
                   S_OK);
    return k;
}

static void expect_activations(conf_ctx *ctx, conf_cls *k, long n)
{
    char e[64], a[64];
    snprintf(e, sizeof e, "%ld instance(s) of the NOTIFICATION_CLSID", n);
    snprintf(a, sizeof a, "%ld", atomic_load(&k->activations));
    CONF_EXPECT_TRUE(ctx, atomic_load(&k->activations) == n, e, a);
}

#define WAIT 15000u
#define GRACE 400u /* real ms to wait for calls that must NOT come */

static IBackgroundCopyJob *setup_job(conf_ctx *ctx, nc_mock **mp,
                                     const char *rules, unsigned nfiles,
                                     size_t size, char hex[][65])
{
    nc_mock *m = nc_mock_start(ctx, rules);
    const char *paths[8];
    static const char *const names[] = {"/c0.bin", "/c1.bin", "/c2.bin",
                                        "/c3.bin"};
    for (unsigned i = 0; i < nfiles; i++) {
        paths[i] = names[i];
        nc_put_file(ctx, m, names[i], size + i * 1000, 40u + i,
                    hex ? hex[i] : NULL);
    }
    IBackgroundCopyJob *job = nc_job(ctx, m, paths, nfiles, NULL);
    nc_retry(ctx, job, 5, 3600);
    *mp = m;
    return job;
}

static void set_cb(conf_ctx *ctx, IBackgroundCopyJob *job, nc_cb *cb,
                   ULONG flags)
{
    if (flags)
        CONF_EXPECT_HR(ctx, IBackgroundCopyJob_SetNotifyFlags(job, flags),
                       S_OK);
    CONF_EXPECT_HR(ctx,
                   IBackgroundCopyJob_SetNotifyInterface(
                       job, cb ? (IUnknown *)&cb->iface : NULL),
                   S_OK);
}

static BG_JOB_STATE run_to(conf_ctx *ctx, IBackgroundCopyJob *job,
                           unsigned mask, unsigned adv)
{
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Resume(job), S_OK);
    return nc_wait(ctx, job, mask, WAIT, adv, NULL);
}

#define ST_T NC_ST(BG_JOB_STATE_TRANSFERRED)
#define ST_E NC_ST(BG_JOB_STATE_ERROR)
#define ST_TE NC_ST(BG_JOB_STATE_TRANSIENT_ERROR)

static void expect_calls(conf_ctx *ctx, nc_cb *cb, int kind, long n)
{
    char e[64];
    snprintf(e, sizeof e, "%ld call(s) of kind %d", n, kind);
    CONF_EXPECT_TRUE(ctx, nc_cb_count(cb, kind) == n, e, nc_cb_text(ctx, cb));
}

static void wait_calls(conf_ctx *ctx, nc_cb *cb, int kind, long n, unsigned adv)
{
    char e[64];
    snprintf(e, sizeof e, "at least %ld call(s) of kind %d", n, kind);
    CONF_EXPECT_TRUE(ctx, nc_cb_wait(ctx, cb, kind, n, WAIT, adv), e,
                     nc_cb_text(ctx, cb));
}

/* lets GRACE ms of real time pass (the clock is not advanced) */
static void grace(conf_ctx *ctx, nc_cb *cb)
{
    (void)nc_cb_wait(ctx, cb, 0, 1, GRACE, 0);
}

/* Every case runs on the implementation's clock (or with --slow) and
 * records through a callback object of LEVEL (1 to 3). */
static nc_cb *begin(conf_ctx *ctx, unsigned level)
{
    nc_need_time(ctx);
    return nc_cb_new(ctx, level);
}

/* NTF-001 */
static void transferred_once(conf_ctx *ctx, const conf_case *c)
{
    nc_cb *cb = begin(ctx, 3);
    nc_mock *m;
    BG_JOB_STATE st;
    char hex[4][65];
    IBackgroundCopyJob *job = setup_job(ctx, &m, NULL, 1, 5000, hex);
    cb->action = NC_ACT_GETSTATE;
    set_cb(ctx, job, cb, 0);
    st = run_to(ctx, job, ST_T | ST_E, 0);
    CONF_EXPECT_STATE(ctx, st, BG_JOB_STATE_TRANSFERRED);
    wait_calls(ctx, cb, NC_EV_TRANSFERRED, 1, 0);
    grace(ctx, cb);
    expect_calls(ctx, cb, NC_EV_TRANSFERRED, 1);
    expect_calls(ctx, cb, NC_EV_ERROR, 0);
    for (long i = 0; i < atomic_load(&cb->nev); i++)
        if (cb->ev[i].kind == NC_EV_TRANSFERRED)
            CONF_EXPECT_STATE(ctx, cb->ev[i].state, BG_JOB_STATE_TRANSFERRED);
}

/* NTF-002 */
static void transferred_redeliver(conf_ctx *ctx, const conf_case *c)
{
    nc_cb *cb = begin(ctx, 3);
    nc_mock *m;
    char hex[4][65];
    IBackgroundCopyJob *job = setup_job(ctx, &m, NULL, 1, 5000, hex);
    cb->fail_first = 1;
    set_cb(ctx, job, cb, 0);
    CONF_EXPECT_STATE(ctx, run_to(ctx, job, ST_T | ST_E, 0),
                      BG_JOB_STATE_TRANSFERRED);
    wait_calls(ctx, cb, NC_EV_TRANSFERRED, 2, 1000);
}

/* NTF-003; NTF-027 (ARG 1) also reads the error object's code */
static void error_once(conf_ctx *ctx, const conf_case *c)
{
    nc_cb *cb = begin(ctx, 3);
    nc_mock *m;
    char hex[4][65];
    IBackgroundCopyJob *job = setup_job(
        ctx, &m, "match prefix=/c action=status code=404", 1, 3000, hex);
    set_cb(ctx, job, cb, 0);
    CONF_EXPECT_STATE(ctx, run_to(ctx, job, ST_T | ST_E, 0),
                      BG_JOB_STATE_ERROR);
    wait_calls(ctx, cb, NC_EV_ERROR, 1, 0);
    grace(ctx, cb);
    expect_calls(ctx, cb, NC_EV_ERROR, 1);
    expect_calls(ctx, cb, NC_EV_TRANSFERRED, 0);
    if (c->arg)
        CONF_EXPECT_HEX(ctx, (unsigned)cb->ev[0].hr,
                        (unsigned)BG_E_HTTP_ERROR_404);
}

/* NTF-004 */
static void transient_no_error(conf_ctx *ctx, const conf_case *c)
{
    nc_cb *cb = begin(ctx, 3);
    nc_mock *m;
    BG_JOB_STATE st;
    char hex[4][65];
    IBackgroundCopyJob *job = setup_job(
        ctx, &m, "match prefix=/c nth=1 action=status code=503", 1, 3000, hex);
    set_cb(ctx, job, cb, 0);
    CONF_EXPECT_STATE(ctx, run_to(ctx, job, ST_T | ST_E | ST_TE, 0),
                      BG_JOB_STATE_TRANSIENT_ERROR);
    grace(ctx, cb);
    expect_calls(ctx, cb, NC_EV_ERROR, 0);
    st = nc_wait(ctx, job, ST_T | ST_E, WAIT, 1000, NULL);
    CONF_EXPECT_STATE(ctx, st, BG_JOB_STATE_TRANSFERRED);
    wait_calls(ctx, cb, NC_EV_TRANSFERRED, 1, 0);
    expect_calls(ctx, cb, NC_EV_ERROR, 0);
}

/* NTF-005 */
static void error_redeliver(conf_ctx *ctx, const conf_case *c)
{
    nc_cb *cb = begin(ctx, 3);
    nc_mock *m;
    char hex[4][65];
    IBackgroundCopyJob *job = setup_job(
        ctx, &m, "match prefix=/c action=status code=404", 1, 3000, hex);
    cb->fail_first = 2;
    set_cb(ctx, job, cb, 0);
    CONF_EXPECT_STATE(ctx, run_to(ctx, job, ST_T | ST_E, 0),
                      BG_JOB_STATE_ERROR);
    wait_calls(ctx, cb, NC_EV_ERROR, 3, 1000);
}

/* NTF-006; NTF-007 (ARG 1): a slow callback, never two calls at once */
static void files_in_order(conf_ctx *ctx, const conf_case *c)
{
    nc_cb *cb = begin(ctx, 3);
    nc_mock *m;
    char hex[4][65];
    IBackgroundCopyJob *job = setup_job(ctx, &m, NULL, 3, 3000, hex);
    if (c->arg)
        cb->action = NC_ACT_SLEEP;
    set_cb(ctx, job, cb,
           BG_NOTIFY_JOB_TRANSFERRED | BG_NOTIFY_JOB_ERROR |
               BG_NOTIFY_FILE_TRANSFERRED);
    CONF_EXPECT_STATE(ctx, run_to(ctx, job, ST_T | ST_E, 0),
                      BG_JOB_STATE_TRANSFERRED);
    wait_calls(ctx, cb, NC_EV_TRANSFERRED, 1, 0);
    grace(ctx, cb);
    expect_calls(ctx, cb, NC_EV_FILE, 3);
    expect_calls(ctx, cb, NC_EV_TRANSFERRED, 1);
    {
        /* F(f0) F(f1) F(f2) before T */
        const char *order[] = {"f0", "f1", "f2"};
        int nf = 0;
        bool t_seen = false, ok = true;
        for (long i = 0; i < atomic_load(&cb->nev); i++) {
            const nc_event *e = &cb->ev[i];
            if (e->kind == NC_EV_FILE) {
                if (t_seen || nf > 2 || strcmp(e->file, order[nf]))
                    ok = false;
                nf++;
            } else if (e->kind == NC_EV_TRANSFERRED) {
                t_seen = true;
            }
        }
        CONF_EXPECT_TRUE(ctx, ok, "F(f0) F(f1) F(f2) then T",
                         nc_cb_text(ctx, cb));
    }
    if (c->arg)
        CONF_EXPECT_U(ctx, atomic_load(&cb->max_inflight), 1);
}

/* NTF-008 */
static void job_modification(conf_ctx *ctx, const conf_case *c)
{
    nc_cb *cb = begin(ctx, 3);
    nc_mock *m;
    char hex[4][65];
    IBackgroundCopyJob *job = setup_job(
        ctx, &m, "match prefix=/c action=throttle rate=100000", 1, 60000, hex);
    set_cb(ctx, job, cb,
           BG_NOTIFY_JOB_TRANSFERRED | BG_NOTIFY_JOB_ERROR |
               BG_NOTIFY_JOB_MODIFICATION);
    CONF_EXPECT_STATE(ctx, run_to(ctx, job, ST_T | ST_E, 100),
                      BG_JOB_STATE_TRANSFERRED);
    wait_calls(ctx, cb, NC_EV_MODIFICATION, 1, 100);
}

/* NTF-009 */
static void disable_flag(conf_ctx *ctx, const conf_case *c)
{
    nc_cb *cb = begin(ctx, 3);
    nc_mock *m;
    char hex[4][65];
    IBackgroundCopyJob *job = setup_job(ctx, &m, NULL, 2, 3000, hex);
    set_cb(ctx, job, cb, 0x1F | BG_NOTIFY_DISABLE);
    CONF_EXPECT_STATE(ctx, run_to(ctx, job, ST_T | ST_E, 0),
                      BG_JOB_STATE_TRANSFERRED);
    grace(ctx, cb);
    CONF_EXPECT_TRUE(ctx, atomic_load(&cb->nev) == 0, "no call at all",
                     nc_cb_text(ctx, cb));
}

/* NTF-010 */
static void late_transferred(conf_ctx *ctx, const conf_case *c)
{
    nc_cb *cb = begin(ctx, 3);
    nc_mock *m;
    char hex[4][65];
    IBackgroundCopyJob *job = setup_job(ctx, &m, NULL, 1, 3000, hex);
    CONF_EXPECT_STATE(ctx, run_to(ctx, job, ST_T | ST_E, 0),
                      BG_JOB_STATE_TRANSFERRED);
    set_cb(ctx, job, cb, 0);
    wait_calls(ctx, cb, NC_EV_TRANSFERRED, 1, 0);
}

/* NTF-011 */
static void late_error(conf_ctx *ctx, const conf_case *c)
{
    nc_cb *cb = begin(ctx, 3);
    nc_mock *m;
    char hex[4][65];
    IBackgroundCopyJob *job = setup_job(
        ctx, &m, "match prefix=/c action=status code=404", 1, 3000, hex);
    CONF_EXPECT_STATE(ctx, run_to(ctx, job, ST_T | ST_E, 0),
                      BG_JOB_STATE_ERROR);
    set_cb(ctx, job, cb, 0);
    wait_calls(ctx, cb, NC_EV_ERROR, 1, 0);
}

/* NTF-012.  Registering is itself a Set* call, so with
 * BG_NOTIFY_JOB_MODIFICATION set it may bring one JobModification, which
 * can start before SetNotifyInterface(NULL) is made (docs/decisions.md
 * I27); after SetNotifyInterface(NULL) returns, nothing at all. */
static void unregister_null(conf_ctx *ctx, const conf_case *c)
{
    nc_cb *cb = begin(ctx, 3);
    nc_mock *m;
    char hex[4][65];
    long n0;
    IBackgroundCopyJob *job = setup_job(ctx, &m, NULL, 1, 3000, hex);
    set_cb(ctx, job, cb, 0x1B);
    set_cb(ctx, job, NULL, 0);
    n0 = atomic_load(&cb->nev);
    CONF_EXPECT_TRUE(ctx, n0 == nc_cb_count(cb, NC_EV_MODIFICATION) && n0 <= 1,
                     "at most one JobModification before it returned",
                     nc_cb_text(ctx, cb));
    CONF_EXPECT_STATE(ctx, run_to(ctx, job, ST_T | ST_E, 0),
                      BG_JOB_STATE_TRANSFERRED);
    grace(ctx, cb);
    CONF_EXPECT_TRUE(ctx, atomic_load(&cb->nev) == n0,
                     "no call after SetNotifyInterface(NULL) returned",
                     nc_cb_text(ctx, cb));
}

/* NTF-013 */
static void complete_inside(conf_ctx *ctx, const conf_case *c)
{
    nc_cb *cb = begin(ctx, 3);
    nc_mock *m;
    char hex[4][65];
    IBackgroundCopyJob *job = setup_job(ctx, &m, NULL, 1, 5000, hex);
    cb->action = NC_ACT_COMPLETE_IN_TRANSFERRED;
    set_cb(ctx, job, cb, 0);
    run_to(ctx, job, NC_ST(BG_JOB_STATE_ACKNOWLEDGED) | ST_E, 0);
    wait_calls(ctx, cb, NC_EV_TRANSFERRED, 1, 0);
    CONF_EXPECT_HR(ctx, cb->ev[0].hr, S_OK);
    nc_expect_file(ctx, "f0", 5000, hex[0]);
}

/* NTF-014 */
static void level1_no_file(conf_ctx *ctx, const conf_case *c)
{
    nc_cb *cb = begin(ctx, 1);
    nc_mock *m;
    char hex[4][65];
    IBackgroundCopyJob *job = setup_job(ctx, &m, NULL, 2, 3000, hex);
    set_cb(ctx, job, cb, 0x13);
    CONF_EXPECT_STATE(ctx, run_to(ctx, job, ST_T | ST_E, 0),
                      BG_JOB_STATE_TRANSFERRED);
    wait_calls(ctx, cb, NC_EV_TRANSFERRED, 1, 0);
    grace(ctx, cb);
    expect_calls(ctx, cb, NC_EV_FILE, 0);
}

/* NTF-015, NTF-016: ARG is the HTTP status (403 or 404) */
static void do_error_context(conf_ctx *ctx, const conf_case *c)
{
    nc_cb *cb = begin(ctx, 3);
    nc_mock *m;
    char hex[4][65];
    IBackgroundCopyJob *job =
        setup_job(ctx, &m,
                  c->arg == 403 ? "match prefix=/c action=status code=403"
                                : "match prefix=/c action=status code=404",
                  1, 3000, hex);
    set_cb(ctx, job, cb, 0);
    CONF_EXPECT_STATE(ctx, run_to(ctx, job, ST_T | ST_E, 0),
                      BG_JOB_STATE_ERROR);
    wait_calls(ctx, cb, NC_EV_ERROR, 1, 0);
    CONF_EXPECT_U(ctx, cb->ev[0].err_ctx,
                  c->arg == 403 ? BG_ERROR_CONTEXT_REMOTE_FILE
                                : BG_ERROR_CONTEXT_NONE);
}

/* NTF-017 */
static void cancel_inside(conf_ctx *ctx, const conf_case *c)
{
    nc_cb *cb = begin(ctx, 3);
    nc_mock *m;
    char hex[4][65];
    IBackgroundCopyJob *job = setup_job(
        ctx, &m, "match prefix=/c action=status code=404", 1, 3000, hex);
    cb->action = NC_ACT_CANCEL_IN_ERROR;
    set_cb(ctx, job, cb, 0);
    run_to(ctx, job, NC_ST(BG_JOB_STATE_CANCELLED), 0);
    wait_calls(ctx, cb, NC_EV_ERROR, 1, 0);
    nc_expect_no_file(ctx, "f0");
}

/* NTF-018 */
static void error_flag_only(conf_ctx *ctx, const conf_case *c)
{
    nc_cb *cb = begin(ctx, 3);
    nc_mock *m;
    char hex[4][65];
    IBackgroundCopyJob *job = setup_job(ctx, &m, NULL, 1, 3000, hex);
    set_cb(ctx, job, cb, BG_NOTIFY_JOB_ERROR);
    CONF_EXPECT_STATE(ctx, run_to(ctx, job, ST_T | ST_E, 0),
                      BG_JOB_STATE_TRANSFERRED);
    grace(ctx, cb);
    expect_calls(ctx, cb, NC_EV_TRANSFERRED, 0);
}

/* NTF-019 */
static void transferred_flag_only(conf_ctx *ctx, const conf_case *c)
{
    nc_cb *cb = begin(ctx, 3);
    nc_mock *m;
    char hex[4][65];
    IBackgroundCopyJob *job = setup_job(
        ctx, &m, "match prefix=/c action=status code=404", 1, 3000, hex);
    set_cb(ctx, job, cb, BG_NOTIFY_JOB_TRANSFERRED);
    CONF_EXPECT_STATE(ctx, run_to(ctx, job, ST_T | ST_E, 0),
                      BG_JOB_STATE_ERROR);
    grace(ctx, cb);
    expect_calls(ctx, cb, NC_EV_ERROR, 0);
}

/* NTF-020 */
static void last_wins(conf_ctx *ctx, const conf_case *c)
{
    nc_cb *cb = begin(ctx, 3);
    nc_cb *cb2;
    nc_mock *m;
    IBackgroundCopyJob *job;
    char hex[4][65];
    cb2 = nc_cb_new(ctx, 3);
    job = setup_job(ctx, &m, NULL, 1, 3000, hex);
    set_cb(ctx, job, cb, 0);
    set_cb(ctx, job, cb2, 0);
    CONF_EXPECT_STATE(ctx, run_to(ctx, job, ST_T | ST_E, 0),
                      BG_JOB_STATE_TRANSFERRED);
    wait_calls(ctx, cb2, NC_EV_TRANSFERRED, 1, 0);
    grace(ctx, cb);
    CONF_EXPECT_TRUE(ctx, atomic_load(&cb->nev) == 0,
                     "no call to the first registrant", nc_cb_text(ctx, cb));
}

/* NTF-021 */
static void getstate_inside(conf_ctx *ctx, const conf_case *c)
{
    nc_cb *cb = begin(ctx, 3);
    nc_mock *m;
    char hex[4][65];
    IBackgroundCopyJob *job = setup_job(ctx, &m, NULL, 2, 3000, hex);
    cb->action = NC_ACT_GETSTATE;
    set_cb(ctx, job, cb, 0x1B);
    CONF_EXPECT_STATE(ctx, run_to(ctx, job, ST_T | ST_E, 0),
                      BG_JOB_STATE_TRANSFERRED);
    wait_calls(ctx, cb, NC_EV_TRANSFERRED, 1, 0);
    for (long i = 0; i < atomic_load(&cb->nev); i++)
        CONF_EXPECT_TRUE(ctx, cb->ev[i].state >= 0,
                         "GetState answered inside every call",
                         nc_cb_text(ctx, cb));
}

/* NTF-022 */
static void nothing_after_cancel(conf_ctx *ctx, const conf_case *c)
{
    nc_cb *cb = begin(ctx, 3);
    nc_mock *m;
    char hex[4][65];
    IBackgroundCopyJob *job = setup_job(
        ctx, &m, "match prefix=/c action=throttle rate=50000", 1, 100000, hex);
    set_cb(ctx, job, cb, 0x1B);
    run_to(ctx, job, NC_ST(BG_JOB_STATE_TRANSFERRING), 0);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Cancel(job), S_OK);
    {
        long n0 = atomic_load(&cb->nev);
        grace(ctx, cb);
        char a[32];
        snprintf(a, sizeof a, "%ld more", atomic_load(&cb->nev) - n0);
        CONF_EXPECT_TRUE(ctx, atomic_load(&cb->nev) == n0,
                         "no call after Cancel returned", a);
    }
    expect_calls(ctx, cb, NC_EV_TRANSFERRED, 0);
}

/* NTF-023 */
static void noprogress_error(conf_ctx *ctx, const conf_case *c)
{
    nc_cb *cb = begin(ctx, 3);
    nc_mock *m;
    char hex[4][65];
    IBackgroundCopyJob *job = setup_job(
        ctx, &m, "match prefix=/c action=status code=503", 1, 3000, hex);
    nc_retry(ctx, job, 5, 60);
    set_cb(ctx, job, cb, 0);
    CONF_EXPECT_STATE(ctx, run_to(ctx, job, ST_T | ST_E, 1000),
                      BG_JOB_STATE_ERROR);
    wait_calls(ctx, cb, NC_EV_ERROR, 1, 0);
    CONF_EXPECT_HEX(ctx, (unsigned)cb->ev[0].hr, (unsigned)BG_E_HTTP_ERROR_503);
}

/* NTF-024 */
static void file_redeliver(conf_ctx *ctx, const conf_case *c)
{
    nc_cb *cb = begin(ctx, 3);
    nc_mock *m;
    char hex[4][65];
    IBackgroundCopyJob *job = setup_job(ctx, &m, NULL, 2, 3000, hex);
    cb->fail_first = 1;
    set_cb(ctx, job, cb, 0x13);
    CONF_EXPECT_STATE(ctx, run_to(ctx, job, ST_T | ST_E, 0),
                      BG_JOB_STATE_TRANSFERRED);
    wait_calls(ctx, cb, NC_EV_TRANSFERRED, 2, 1000);
    {
        /* f0 failed once, so F(f0) F(f0) F(f1) precede the first T */
        int fs = 0;
        for (long i = 0; i < atomic_load(&cb->nev); i++) {
            if (cb->ev[i].kind == NC_EV_TRANSFERRED)
                break;
            if (cb->ev[i].kind == NC_EV_FILE)
                fs++;
        }
        CONF_EXPECT_TRUE(ctx,
                         fs >= 3 && !strcmp(cb->ev[0].file, "f0") &&
                             !strcmp(cb->ev[1].file, "f0"),
                         "F(f0) F(f0) F(f1) ... before T", nc_cb_text(ctx, cb));
    }
}

/* NTF-025.  The callback suspends in the first JobModification that
 * finds the job on its way (QUEUED, CONNECTING or TRANSFERRING): the one
 * that registering brings (a Set* call) can run before Resume, while the
 * job is still SUSPENDED and Suspend changes nothing.  The throttle (4 s
 * for the file) leaves room for the JobModification of Resume. */
static void suspend_inside(conf_ctx *ctx, const conf_case *c)
{
    nc_cb *cb = begin(ctx, 3);
    nc_mock *m;
    char hex[4][65];
    long at;
    IBackgroundCopyJob *job = setup_job(
        ctx, &m, "match prefix=/c action=throttle rate=50000", 1, 200000, hex);
    cb->action = NC_ACT_SUSPEND_IN_MODIFICATION;
    set_cb(ctx, job, cb, 0x0B);
    run_to(ctx, job, NC_ST(BG_JOB_STATE_SUSPENDED) | ST_T | ST_E, 100);
    /* SUSPENDED shows before the callback's Suspend has returned */
    for (unsigned w = 0; !(at = atomic_load(&cb->acted)) && w < WAIT; w += 5)
        nc_nap(5);
    CONF_EXPECT_TRUE(ctx, at > 0, "Suspend called inside a JobModification",
                     nc_cb_text(ctx, cb));
    if (at > 0)
        CONF_EXPECT_HR(ctx, cb->ev[at - 1].hr, S_OK);
    CONF_EXPECT_STATE(ctx, nc_state(ctx, job), BG_JOB_STATE_SUSPENDED);
}

/* NTF-026 */
static void released_after_final(conf_ctx *ctx, const conf_case *c)
{
    nc_cb *cb = begin(ctx, 3);
    nc_mock *m;
    char hex[4][65];
    IBackgroundCopyJob *job = setup_job(ctx, &m, NULL, 1, 3000, hex);
    set_cb(ctx, job, cb, 0);
    CONF_EXPECT_STATE(ctx, run_to(ctx, job, ST_T | ST_E, 0),
                      BG_JOB_STATE_TRANSFERRED);
    wait_calls(ctx, cb, NC_EV_TRANSFERRED, 1, 0);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Complete(job), S_OK);
    grace(ctx, cb);
    CONF_EXPECT_U(ctx, atomic_load(&cb->refs), 1);
}

/* NTF-029 */
static void clsid_live_first(conf_ctx *ctx, const conf_case *c)
{
    nc_cb *cb = begin(ctx, 3);
    conf_cls *k;
    nc_cb *cb2;
    nc_mock *m;
    IBackgroundCopyJob *job;
    char hex[4][65];
    /* the CLSID is a fallback: a live callback is called, once, and
     * the (registered) class is not instantiated */
    cb2 = nc_cb_new(ctx, 3);
    k = cls_register(ctx, cb2);
    job = setup_job(ctx, &m, NULL, 1, 3000, hex);
    set_notify_clsid(ctx, job, &clsid_case);
    set_cb(ctx, job, cb, 0);
    CONF_EXPECT_STATE(ctx, run_to(ctx, job, ST_T | ST_E, 0),
                      BG_JOB_STATE_TRANSFERRED);
    wait_calls(ctx, cb, NC_EV_TRANSFERRED, 1, 0);
    grace(ctx, cb);
    expect_calls(ctx, cb, NC_EV_TRANSFERRED, 1);
    expect_calls(ctx, cb, NC_EV_ERROR, 0);
    expect_activations(ctx, k, 0);
}

/* NTF-031 */
static void clsid_activated(conf_ctx *ctx, const conf_case *c)
{
    nc_cb *cb = begin(ctx, 2);
    conf_cls *k;
    nc_mock *m;
    IBackgroundCopyJob *job;
    char hex[4][65];
    /* no callback registered: each call goes to a new instance of
     * the class; F(c0) F(c1) T with flags 0x13 */
    k = cls_register(ctx, cb);
    job = setup_job(ctx, &m, NULL, 2, 3000, hex);
    set_notify_clsid(ctx, job, &clsid_case);
    CONF_EXPECT_HR(
        ctx,
        IBackgroundCopyJob_SetNotifyFlags(
            job,
            BG_NOTIFY_JOB_TRANSFERRED | BG_NOTIFY_JOB_ERROR |
                (ctx->profile == CONF_P_BITS ? BG_NOTIFY_FILE_TRANSFERRED : 0)),
        S_OK);
    CONF_EXPECT_STATE(ctx, run_to(ctx, job, ST_T | ST_E, 0),
                      BG_JOB_STATE_TRANSFERRED);
    wait_calls(ctx, cb, NC_EV_TRANSFERRED, 1, 0);
    grace(ctx, cb);
    expect_calls(ctx, cb, NC_EV_TRANSFERRED, 1);
    expect_calls(ctx, cb, NC_EV_ERROR, 0);
    if (ctx->profile == CONF_P_BITS) {
        expect_calls(ctx, cb, NC_EV_FILE, 2);
        CONF_EXPECT_TRUE(ctx,
                         atomic_load(&cb->nev) == 3 &&
                             cb->ev[0].kind == NC_EV_FILE &&
                             cb->ev[1].kind == NC_EV_FILE &&
                             cb->ev[2].kind == NC_EV_TRANSFERRED,
                         "F F T", nc_cb_text(ctx, cb));
        expect_activations(ctx, k, 3);
    } else {
        expect_activations(ctx, k, 1);
    }
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Complete(job), S_OK);
    nc_expect_file(ctx, "f0", 3000, hex[0]);
}

/* NTF-032 */
static void clsid_activated_error(conf_ctx *ctx, const conf_case *c)
{
    nc_cb *cb = begin(ctx, 3);
    conf_cls *k;
    nc_mock *m;
    IBackgroundCopyJob *job;
    char hex[4][65];
    /* 404, no callback registered: JobError on an instance */
    k = cls_register(ctx, cb);
    job = setup_job(ctx, &m, "match prefix=/c action=status code=404", 1, 3000,
                    hex);
    set_notify_clsid(ctx, job, &clsid_case);
    CONF_EXPECT_STATE(ctx, run_to(ctx, job, ST_T | ST_E, 0),
                      BG_JOB_STATE_ERROR);
    wait_calls(ctx, cb, NC_EV_ERROR, 1, 0);
    grace(ctx, cb);
    expect_calls(ctx, cb, NC_EV_ERROR, 1);
    expect_calls(ctx, cb, NC_EV_TRANSFERRED, 0);
    CONF_EXPECT_HEX(ctx, (unsigned)cb->ev[0].hr, (unsigned)BG_E_HTTP_ERROR_404);
    expect_activations(ctx, k, 1);
}

/* NTF-033 */
static void clsid_null_removes(conf_ctx *ctx, const conf_case *c)
{
    nc_cb *cb = begin(ctx, 3);
    conf_cls *k;
    nc_mock *m;
    IBackgroundCopyJob *job;
    char hex[4][65];
    /* GUID_NULL removes the class: nothing is instantiated */
    k = cls_register(ctx, cb);
    job = setup_job(ctx, &m, NULL, 1, 3000, hex);
    set_notify_clsid(ctx, job, &clsid_case);
    set_notify_clsid(ctx, job, &GUID_NULL);
    CONF_EXPECT_STATE(ctx, run_to(ctx, job, ST_T | ST_E, 0),
                      BG_JOB_STATE_TRANSFERRED);
    grace(ctx, cb);
    CONF_EXPECT_TRUE(ctx, atomic_load(&cb->nev) == 0, "no call at all",
                     nc_cb_text(ctx, cb));
    expect_activations(ctx, k, 0);
}

/* NTF-034 */
static void clsid_callback_gone(conf_ctx *ctx, const conf_case *c)
{
    nc_cb *cb = begin(ctx, 3);
    conf_cls *k;
    nc_cb *cb2;
    nc_mock *m;
    IBackgroundCopyJob *job;
    char hex[4][65];
    /* the registered callback answers as a proxy whose process is
     * gone (RPC_E_DISCONNECTED): the class gets the call */
    cb2 = nc_cb_new(ctx, 3);
    cb2->fail_first = 1;
    cb2->fail_hr = RPC_E_DISCONNECTED;
    k = cls_register(ctx, cb);
    job = setup_job(ctx, &m, NULL, 1, 3000, hex);
    set_notify_clsid(ctx, job, &clsid_case);
    set_cb(ctx, job, cb2, 0);
    CONF_EXPECT_STATE(ctx, run_to(ctx, job, ST_T | ST_E, 0),
                      BG_JOB_STATE_TRANSFERRED);
    wait_calls(ctx, cb, NC_EV_TRANSFERRED, 1, 0);
    grace(ctx, cb);
    expect_calls(ctx, cb, NC_EV_TRANSFERRED, 1);
    expect_calls(ctx, cb2, NC_EV_TRANSFERRED, 1);
    expect_activations(ctx, k, 1);
}

/* NTF-030 */
static void clsid_no_class(conf_ctx *ctx, const conf_case *c)
{
    nc_cb *cb = begin(ctx, 3);
    nc_mock *m;
    IBackgroundCopyJob *job;
    char hex[4][65];
    /* no live callback and a class nobody serves: the job is not
     * disturbed (transfer, Complete, bytes), for success and error */
    job = setup_job(ctx, &m, "match path=/c1.bin action=status code=404", 1,
                    3000, hex);
    set_notify_clsid(ctx, job, &clsid_nobody);
    CONF_EXPECT_STATE(ctx, run_to(ctx, job, ST_T | ST_E, 0),
                      BG_JOB_STATE_TRANSFERRED);
    grace(ctx, cb);
    CONF_EXPECT_STATE(ctx, nc_state(ctx, job), BG_JOB_STATE_TRANSFERRED);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Complete(job), S_OK);
    nc_expect_file(ctx, "f0", 3000, hex[0]);
    {
        const char *bad[] = {"/c1.bin"};
        nc_put_file(ctx, m, "/c1.bin", 100, 3, NULL);
        IBackgroundCopyJob *j2 = nc_job(ctx, m, bad, 1, NULL);
        set_notify_clsid(ctx, j2, &clsid_nobody);
        CONF_EXPECT_STATE(ctx, run_to(ctx, j2, ST_T | ST_E, 0),
                          BG_JOB_STATE_ERROR);
        grace(ctx, cb);
        CONF_EXPECT_STATE(ctx, nc_state(ctx, j2), BG_JOB_STATE_ERROR);
        if (ctx->profile == CONF_P_BITS)
            nc_expect_error(ctx, j2, BG_ERROR_CONTEXT_REMOTE_FILE,
                            BG_E_HTTP_ERROR_404, 0);
    }
}

/* NTF-028 */
static void no_file_flag_no_call(conf_ctx *ctx, const conf_case *c)
{
    nc_cb *cb = begin(ctx, 3);
    nc_mock *m;
    char hex[4][65];
    IBackgroundCopyJob *job = setup_job(ctx, &m, NULL, 2, 3000, hex);
    set_cb(ctx, job, cb, BG_NOTIFY_JOB_TRANSFERRED);
    CONF_EXPECT_STATE(ctx, run_to(ctx, job, ST_T | ST_E, 0),
                      BG_JOB_STATE_TRANSFERRED);
    wait_calls(ctx, cb, NC_EV_TRANSFERRED, 1, 0);
    grace(ctx, cb);
    expect_calls(ctx, cb, NC_EV_FILE, 0);
    expect_calls(ctx, cb, NC_EV_MODIFICATION, 0);
}

/* ---- the case table ----------------------------------------------------- */

#define REQ CONF_REQUIRED
#define INF CONF_INFORMATIVE
#define B CONF_P_BITS
#define D CONF_P_DO
#define A CONF_P_ALL
#define CB "IBackgroundCopyCallback"
#define CB2 "IBackgroundCopyCallback2"
#define IFJ "IBackgroundCopyJob"
#define T(id_, if_, m_, rule_, prof_, ev_, ii_, run_, arg_, x_)                \
    {                                                                          \
        .id = id_, .iface = if_, .method = m_, .rule = rule_,                  \
        .profiles = prof_, .evidence = ev_, .informative_in = ii_,             \
        .setup = CONF_SETUP_MANAGER, .run = run_, .arg = arg_, .expect = x_,   \
        .timeout_s = 40                                                        \
    }

static const conf_case cases[] = {
    T("NTF-001", CB, "JobTransferred", "§14.5 NTF-01", A, REQ, 0,
      transferred_once, 0,
      "default flags: JobTransferred exactly once, job TRANSFERRED inside"),
    T("NTF-002", CB, "JobTransferred", "§14.5 NTF-02", A, REQ, 0,
      transferred_redeliver, 0,
      "JobTransferred returns E_FAIL -> called again"),
    T("NTF-003", CB, "JobError", "§14.5 NTF-03", A, REQ, 0, error_once, 0,
      "404 -> JobError once, no JobTransferred"),
    T("NTF-004", CB, "JobError", "§14.5 NTF-03", A, REQ, 0, transient_no_error,
      0, "503 once: TRANSIENT_ERROR calls nothing; then JobTransferred"),
    T("NTF-005", CB, "JobError", "§14.5 NTF-04", A, REQ, 0, error_redeliver, 0,
      "JobError fails twice -> delivered a third time"),
    T("NTF-006", CB2, "FileTransferred", "§14.5 NTF-05", B, REQ, 0,
      files_in_order, 0, "3 files: F(f0) F(f1) F(f2), then JobTransferred"),
    T("NTF-007", CB2, "FileTransferred", "§14.5 NTF-05", B, REQ, 0,
      files_in_order, 1,
      "slow FileTransferred: never two calls at once for one job"),
    T("NTF-008", CB, "JobModification", "§14.5 NTF-06", A, REQ, 0,
      job_modification, 0, "flag 0x08 and a slow transfer -> JobModification"),
    T("NTF-009", CB, "JobTransferred", "§14.5 NTF-07", B, REQ, 0, disable_flag,
      0, "flags 0x1F | BG_NOTIFY_DISABLE -> no call at all"),
    T("NTF-010", IFJ, "SetNotifyInterface", "§14.5 NTF-08", A, REQ, 0,
      late_transferred, 0, "registered after TRANSFERRED -> JobTransferred"),
    T("NTF-011", IFJ, "SetNotifyInterface", "§5.3 (late registration)", A, REQ,
      0, late_error, 0, "registered after ERROR -> JobError"),
    T("NTF-012", IFJ, "SetNotifyInterface", "§14.5 NTF-09", A, REQ, 0,
      unregister_null, 0,
      "SetNotifyInterface(NULL) -> no call after it returns"),
    T("NTF-013", CB, "JobTransferred", "§14.5 NTF-10", A, REQ, 0,
      complete_inside, 0,
      "Complete inside JobTransferred -> S_OK, ACKNOWLEDGED, "
      "file exact"),
    T("NTF-014", CB, "QueryInterface", "§14.5 NTF-11", B, REQ, 0,
      level1_no_file, 0,
      "object without Callback2 and flag 0x10 -> JobTransferred only"),
    T("NTF-015", CB, "JobError", "§14.5 NTF-13", D, REQ, 0, do_error_context,
      403, "DO: 403 -> JobError with context REMOTE_FILE"),
    T("NTF-016", CB, "JobError", "§14.5 NTF-13", D, REQ, 0, do_error_context,
      404, "DO: 404 -> JobError with context NONE"),
    T("NTF-017", CB, "JobError", "§5.3 (re-entrancy: Cancel in JobError)", A,
      REQ, 0, cancel_inside, 0, "Cancel inside JobError -> CANCELLED"),
    T("NTF-018", IFJ, "SetNotifyFlags", "§5.2 (flags select events)", A, REQ, 0,
      error_flag_only, 0, "flags JOB_ERROR only: success calls nothing"),
    T("NTF-019", IFJ, "SetNotifyFlags", "§5.2 (flags select events)", A, REQ, 0,
      transferred_flag_only, 0,
      "flags JOB_TRANSFERRED only: 404 calls "
      "nothing"),
    T("NTF-020", IFJ, "SetNotifyInterface", "§5.3 (several registrants)", A,
      REQ, 0, last_wins, 0, "two registrations: only the last is called"),
    T("NTF-021", CB, "JobModification", "§5.3 (re-entrancy)", A, REQ, 0,
      getstate_inside, 0, "GetState / GetProgress inside every call answer"),
    T("NTF-022", CB, "JobTransferred", "decisions.md I15", A, INF, 0,
      nothing_after_cancel, 0, "no call after Cancel returned"),
    T("NTF-023", CB, "JobError", "§14.2 ST-16; §5.2", A, REQ, 0,
      noprogress_error, 0,
      "503 forever, NoProgressTimeout 60 s -> ERROR and JobError(503)"),
    T("NTF-024", CB2, "FileTransferred", "§5.2 (serialized, redelivered)", B,
      REQ, 0, file_redeliver, 0,
      "FileTransferred fails once -> again before the next file and "
      "JobTransferred"),
    T("NTF-025", CB, "JobModification", "§5.3 (re-entrancy)", A, REQ, 0,
      suspend_inside, 0, "Suspend inside JobModification -> S_OK, SUSPENDED"),
    T("NTF-026", CB, "Release", "§5.3 (lifetime); decisions.md R20", A, INF, 0,
      released_after_final, 0,
      "after Complete the job holds no reference to the callback"),
    T("NTF-027", CB, "JobError", "§3.6; §5.2 (pError valid in the call)", A,
      REQ, 0, error_once, 1, "JobError's error object gives 0x80190194"),
    T("NTF-028", CB2, "FileTransferred", "§5.2 (flags select events)", B, REQ,
      0, no_file_flag_no_call, 0,
      "flag JOB_TRANSFERRED only: no FileTransferred / JobModification"),
    T("NTF-029", IFJ, "SetNotifyInterface", "§14.5 NTF-12; §5.3 (fallback)", A,
      REQ, 0, clsid_live_first, 0,
      "NOTIFICATION_CLSID of a registered class and a live callback -> the "
      "live callback gets JobTransferred exactly once, no instance"),
    T("NTF-030", "IBackgroundCopyJob5", "SetProperty",
      "§14.5 NTF-12 (class not registered); decisions.md I25", A, INF, 0,
      clsid_no_class, 0,
      "NOTIFICATION_CLSID of an unregistered class, no callback -> "
      "TRANSFERRED and Complete as usual; a 404 job -> ERROR 0x80190194"),
    T("NTF-031", CB, "JobTransferred", "§14.5 NTF-12; §5.3 (fallback)", A, REQ,
      0, clsid_activated, 0,
      "no callback, NOTIFICATION_CLSID of a class registered with "
      "CoRegisterClassObject -> instances get (BITS, flags 0x13) F F T, "
      "one instance per call; DO: T, one instance"),
    T("NTF-032", CB, "JobError", "§14.5 NTF-12; §5.3 (fallback)", A, REQ, 0,
      clsid_activated_error, 0,
      "no callback, registered NOTIFICATION_CLSID, 404 -> one instance gets "
      "JobError(0x80190194)"),
    T("NTF-033", "IBackgroundCopyJob5", "SetProperty",
      "§14.5 NTF-12; §5.3 (GUID_NULL removes it)", A, REQ, 0,
      clsid_null_removes, 0,
      "NOTIFICATION_CLSID set, then GUID_NULL -> no instance, no call"),
    T("NTF-034", CB, "JobTransferred",
      "§5.3 (callback object gone); decisions.md I25", A, INF, 0,
      clsid_callback_gone, 0,
      "the live callback returns RPC_E_DISCONNECTED -> one instance of the "
      "class gets JobTransferred"),
};

const conf_suite conf_suite_callbacks = {
    .name = "callbacks",
    .title = "notifications over real transfers: sequence, flags, "
             "redelivery of failing callbacks, re-entrancy, registration",
    .cases = cases,
    .ncases = CONF_ARRAY_LEN(cases),
};
