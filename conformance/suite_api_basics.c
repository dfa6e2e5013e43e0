/*
 * suite_api_basics.c - the network-free API contract: class factories for
 * every CLSID, IUnknown rules and identity, the manager (CreateJob, GetJob,
 * EnumJobs, GetErrorDescription), job defaults and setters with their
 * bounds, AddFile validation, the state rules that need no transfer
 * (Resume of an empty job, Suspend/Cancel/Complete and final states) and
 * the enumerators.
 *
 * Every case cites its rule: a spec/behavior.md §14 item ("§14.1 MGR-02"),
 * another spec section, or for informative cases the decision in
 * docs/decisions.md that it pins.  Remote names use port 9 on the loopback
 * address (discard; nothing listens), so even a Resume moves no bytes.
 * The case table is at the end of the file.
 */
#include "conf.h"
#include "netcase.h"
#include "platform.h"

#include <bits10_2.h>
#include <bits10_3.h>
#include <stdio.h>
#include <string.h>

#define REMOTE_BASE "http://127.0.0.1:9/docts/"

/* ---- small helpers ------------------------------------------------------- */

static WCHAR *remote(conf_ctx *ctx, const char *name)
{
    char buf[256];
    snprintf(buf, sizeof buf, REMOTE_BASE "%s", name);
    return conf_w(ctx, buf);
}

/* AddFile(remote NAME, tmpdir/NAME) expecting S_OK. */
static void add_file(conf_ctx *ctx, IBackgroundCopyJob *job, const char *name)
{
    CONF_EXPECT_HR(ctx,
                   IBackgroundCopyJob_AddFile(job, remote(ctx, name),
                                              conf_tmp_path(ctx, name)),
                   S_OK);
}

static IEnumBackgroundCopyFiles *enum_files(conf_ctx *ctx,
                                            IBackgroundCopyJob *job)
{
    IEnumBackgroundCopyFiles *e = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_EnumFiles(job, &e), S_OK);
    CONF_EXPECT_NONNULL(ctx, e);
    conf_defer_release(ctx, (IUnknown *)e);
    return e;
}

/* The first file of JOB (released at the end of the case). */
static IBackgroundCopyFile *first_file(conf_ctx *ctx, IBackgroundCopyJob *job)
{
    IEnumBackgroundCopyFiles *e = enum_files(ctx, job);
    IBackgroundCopyFile *f = CONF_POISON_PTR;
    ULONG got = CONF_POISON32;
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyFiles_Next(e, 1, &f, &got), S_OK);
    CONF_EXPECT_U(ctx, got, 1);
    CONF_EXPECT_NONNULL(ctx, f);
    conf_defer_release(ctx, (IUnknown *)f);
    return f;
}

static BG_JOB_STATE state_of(conf_ctx *ctx, IBackgroundCopyJob *job)
{
    BG_JOB_STATE st = (BG_JOB_STATE)CONF_POISON32;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetState(job, &st), S_OK);
    return st;
}

static ULONG job_count(conf_ctx *ctx)
{
    IEnumBackgroundCopyJobs *e = CONF_POISON_PTR;
    ULONG n = CONF_POISON32;
    CONF_EXPECT_HR(ctx, IBackgroundCopyManager_EnumJobs(ctx->mgr, 0, &e), S_OK);
    CONF_EXPECT_NONNULL(ctx, e);
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyJobs_GetCount(e, &n), S_OK);
    IEnumBackgroundCopyJobs_Release(e);
    return n;
}

/* True when the manager's job enumeration contains ID. */
static bool enumerates(conf_ctx *ctx, const GUID *id)
{
    IEnumBackgroundCopyJobs *e = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyManager_EnumJobs(ctx->mgr, 0, &e), S_OK);
    conf_defer_release(ctx, (IUnknown *)e);
    bool found = false;
    for (;;) {
        IBackgroundCopyJob *j = NULL;
        ULONG got = 0;
        HRESULT hr = IEnumBackgroundCopyJobs_Next(e, 1, &j, &got);
        if (hr != S_OK || got != 1 || !j)
            break;
        GUID g;
        if (IBackgroundCopyJob_GetId(j, &g) == S_OK &&
            !memcmp(&g, id, sizeof g))
            found = true;
        IBackgroundCopyJob_Release(j);
    }
    return found;
}

static void create_local_file(conf_ctx *ctx, const char *name)
{
    const char *path = nc_local8(ctx, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        conf_fail(ctx, "docts: cannot create %s", path);
    fputs("docts upload payload\n", f);
    fclose(f);
}

static bool local_exists(conf_ctx *ctx, const char *name)
{
    FILE *f = fopen(nc_local8(ctx, name), "rb");
    if (f)
        fclose(f);
    return f != NULL;
}

/* ---- a minimal client callback object ----------------------------------- */

typedef struct test_cb {
    IBackgroundCopyCallback iface;
    LONG refs;
} test_cb;

static HRESULT STDMETHODCALLTYPE cb_qi(IBackgroundCopyCallback *This,
                                       REFIID riid, void **ppv)
{
    if (!ppv)
        return E_POINTER;
    if (IsEqualGUID(riid, &IID_IUnknown) ||
        IsEqualGUID(riid, &IID_IBackgroundCopyCallback)) {
        *ppv = This;
        IBackgroundCopyCallback_AddRef(This);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE cb_addref(IBackgroundCopyCallback *This)
{
    test_cb *cb = (test_cb *)This;
    return (ULONG)__atomic_add_fetch(&cb->refs, 1, __ATOMIC_SEQ_CST);
}

static ULONG STDMETHODCALLTYPE cb_release(IBackgroundCopyCallback *This)
{
    test_cb *cb = (test_cb *)This;
    /* static storage: never freed, the count is observed only */
    return (ULONG)__atomic_sub_fetch(&cb->refs, 1, __ATOMIC_SEQ_CST);
}

static HRESULT STDMETHODCALLTYPE cb_transferred(IBackgroundCopyCallback *This,
                                                IBackgroundCopyJob *job)
{
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE cb_error(IBackgroundCopyCallback *This,
                                          IBackgroundCopyJob *job,
                                          IBackgroundCopyError *err)
{
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE cb_modification(IBackgroundCopyCallback *This,
                                                 IBackgroundCopyJob *job,
                                                 DWORD reserved)
{
    return S_OK;
}

static const IBackgroundCopyCallbackVtbl cb_vtbl = {
    cb_qi, cb_addref, cb_release, cb_transferred, cb_error, cb_modification,
};

static test_cb the_cb = {{&cb_vtbl}, 1};

/* ---- class factories ------------------------------------------------------
 */

static const struct {
    const CLSID *clsid;
    const char *name;
} bits_clsids[] = {
    {&CLSID_BackgroundCopyManager, "CLSID_BackgroundCopyManager"},
    {&CLSID_BackgroundCopyManager1_5, "CLSID_BackgroundCopyManager1_5"},
    {&CLSID_BackgroundCopyManager2_0, "CLSID_BackgroundCopyManager2_0"},
    {&CLSID_BackgroundCopyManager2_5, "CLSID_BackgroundCopyManager2_5"},
    {&CLSID_BackgroundCopyManager3_0, "CLSID_BackgroundCopyManager3_0"},
    {&CLSID_BackgroundCopyManager4_0, "CLSID_BackgroundCopyManager4_0"},
    {&CLSID_BackgroundCopyManager5_0, "CLSID_BackgroundCopyManager5_0"},
    {&CLSID_BackgroundCopyManager10_1, "CLSID_BackgroundCopyManager10_1"},
    {&CLSID_BackgroundCopyManager10_2, "CLSID_BackgroundCopyManager10_2"},
    {&CLSID_BackgroundCopyManager10_3, "CLSID_BackgroundCopyManager10_3"},
};

/* arg: index into bits_clsids.  Factory, then a manager through it. */
static void cf_bits_clsid(conf_ctx *ctx, const conf_case *c)
{
    const CLSID *clsid = bits_clsids[c->arg].clsid;
    IClassFactory *cf = CONF_POISON_PTR;
    CONF_EXPECT_HR(
        ctx, ctx->get_class_object(clsid, &IID_IClassFactory, (void **)&cf),
        S_OK);
    CONF_EXPECT_NONNULL(ctx, cf);
    conf_defer_release(ctx, (IUnknown *)cf);
    IBackgroundCopyManager *m = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx,
                   IClassFactory_CreateInstance(
                       cf, NULL, &IID_IBackgroundCopyManager, (void **)&m),
                   S_OK);
    CONF_EXPECT_NONNULL(ctx, m);
    conf_defer_release(ctx, (IUnknown *)m);
    /* the manager works: an enumeration succeeds */
    IEnumBackgroundCopyJobs *e = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyManager_EnumJobs(m, 0, &e), S_OK);
    CONF_EXPECT_NONNULL(ctx, e);
    IEnumBackgroundCopyJobs_Release(e);
}

/* CLSID_DeliveryOptimization -> IDOManager (the documented DO entry). */
static void cf_do_manager(conf_ctx *ctx, const conf_case *c)
{
    IDOManager *m = CONF_POISON_PTR;
    HRESULT hr = conf_create(ctx, &CLSID_DeliveryOptimization, &IID_IDOManager,
                             (void **)&m);
    if (hr == E_NOINTERFACE)
        conf_skip(ctx, "IDOManager not offered (E_NOINTERFACE)");
    CONF_EXPECT_HR(ctx, hr, S_OK);
    CONF_EXPECT_NONNULL(ctx, m);
    IDOManager_Release(m);
}

/* CLSID_DeliveryOptimization -> IBackgroundCopyManager (decision D5). */
static void cf_do_bits_manager(conf_ctx *ctx, const conf_case *c)
{
    IBackgroundCopyManager *m = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx,
                   conf_create(ctx, &CLSID_DeliveryOptimization,
                               &IID_IBackgroundCopyManager, (void **)&m),
                   S_OK);
    CONF_EXPECT_NONNULL(ctx, m);
    IBackgroundCopyManager_Release(m);
}

static void cf_unknown_clsid(conf_ctx *ctx, const conf_case *c)
{
    /* IID_IBackgroundCopyJob is not a class */
    void *p = CONF_POISON_PTR;
    CONF_EXPECT_HR(
        ctx,
        ctx->get_class_object(&IID_IBackgroundCopyJob, &IID_IClassFactory, &p),
        CLASS_E_CLASSNOTAVAILABLE);
    CONF_EXPECT_NULL(ctx, p);
}

static void need_class(conf_ctx *ctx);

static void cf_null_out(conf_ctx *ctx, const conf_case *c)
{
    need_class(ctx);
    CONF_EXPECT_HR2(ctx,
                    ctx->get_class_object(ctx->clsid, &IID_IClassFactory, NULL),
                    E_POINTER, E_INVALIDARG);
}

/* The DO coclass is optional for a BITS-only implementation: in the DO
 * profile a missing class is a skip, not a failure. */
static void need_class(conf_ctx *ctx)
{
    void *p = NULL;
    HRESULT hr = ctx->get_class_object(ctx->clsid, &IID_IClassFactory, &p);
    if (p && SUCCEEDED(hr))
        IUnknown_Release((IUnknown *)p);
    if (hr == CLASS_E_CLASSNOTAVAILABLE && ctx->profile == CONF_P_DO)
        conf_skip(ctx, "no CLSID_DeliveryOptimization class");
}

static IClassFactory *factory(conf_ctx *ctx)
{
    need_class(ctx);
    IClassFactory *cf = CONF_POISON_PTR;
    CONF_EXPECT_HR(
        ctx,
        ctx->get_class_object(ctx->clsid, &IID_IClassFactory, (void **)&cf),
        S_OK);
    CONF_EXPECT_NONNULL(ctx, cf);
    conf_defer_release(ctx, (IUnknown *)cf);
    return cf;
}

static void cf_aggregation(conf_ctx *ctx, const conf_case *c)
{
    IClassFactory *cf = factory(ctx);
    void *p = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx,
                   IClassFactory_CreateInstance(
                       cf, (IUnknown *)cf, &IID_IBackgroundCopyManager, &p),
                   CLASS_E_NOAGGREGATION);
    CONF_EXPECT_NULL(ctx, p);
}

static void cf_wrong_iid(conf_ctx *ctx, const conf_case *c)
{
    IClassFactory *cf = factory(ctx);
    void *p = CONF_POISON_PTR;
    CONF_EXPECT_HR(
        ctx,
        IClassFactory_CreateInstance(cf, NULL, &IID_IBackgroundCopyJob, &p),
        E_NOINTERFACE);
    CONF_EXPECT_NULL(ctx, p);
}

static void cf_lockserver(conf_ctx *ctx, const conf_case *c)
{
    IClassFactory *cf = factory(ctx);
    IUnknown *u1 = CONF_POISON_PTR, *u2 = CONF_POISON_PTR;
    CONF_EXPECT_HR(
        ctx, IClassFactory_QueryInterface(cf, &IID_IUnknown, (void **)&u1),
        S_OK);
    conf_defer_release(ctx, u1);
    CONF_EXPECT_HR(
        ctx, IClassFactory_QueryInterface(cf, &IID_IClassFactory, (void **)&u2),
        S_OK);
    conf_defer_release(ctx, u2);
    CONF_EXPECT_PTR(ctx, u2, cf);
    CONF_EXPECT_HR(ctx, IClassFactory_LockServer(cf, TRUE), S_OK);
    CONF_EXPECT_HR(ctx, IClassFactory_LockServer(cf, FALSE), S_OK);
}

static void cf_can_unload(conf_ctx *ctx, const conf_case *c)
{
    CONF_EXPECT_NONNULL(ctx, (void *)ctx->can_unload_now);
    /* a live manager keeps the library: S_FALSE (decision R9) */
    CONF_EXPECT_HR(ctx, ctx->can_unload_now(), S_FALSE);
}

/* ---- IUnknown ----------------------------------------------------------- */

static void qi_manager_identity(conf_ctx *ctx, const conf_case *c)
{
    IUnknown *a = CONF_POISON_PTR, *b = CONF_POISON_PTR;
    IBackgroundCopyManager *m = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx,
                   IBackgroundCopyManager_QueryInterface(
                       ctx->mgr, &IID_IUnknown, (void **)&a),
                   S_OK);
    conf_defer_release(ctx, a);
    CONF_EXPECT_HR(ctx,
                   IBackgroundCopyManager_QueryInterface(
                       ctx->mgr, &IID_IBackgroundCopyManager, (void **)&m),
                   S_OK);
    conf_defer_release(ctx, (IUnknown *)m);
    CONF_EXPECT_HR(
        ctx,
        IBackgroundCopyManager_QueryInterface(m, &IID_IUnknown, (void **)&b),
        S_OK);
    conf_defer_release(ctx, b);
    CONF_EXPECT_PTR(ctx, b, a);
}

static void qi_manager_miss(conf_ctx *ctx, const conf_case *c)
{
    void *p = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx,
                   IBackgroundCopyManager_QueryInterface(
                       ctx->mgr, &IID_IBackgroundCopyJob, &p),
                   E_NOINTERFACE);
    CONF_EXPECT_NULL(ctx, p);
}

static void qi_null_out(conf_ctx *ctx, const conf_case *c)
{
    CONF_EXPECT_HR2(ctx,
                    IBackgroundCopyManager_QueryInterface(
                        ctx->mgr, &IID_IBackgroundCopyManager, NULL),
                    E_POINTER, E_INVALIDARG);
}

static const IID *const job_iids[] = {
    &IID_IBackgroundCopyJob2,           &IID_IBackgroundCopyJob3,
    &IID_IBackgroundCopyJob4,           &IID_IBackgroundCopyJob5,
    &IID_IBackgroundCopyJobHttpOptions,
};

/* arg: index into job_iids; the interface answers and leads back to the
 * same identity. */
static void qi_job_version(conf_ctx *ctx, const conf_case *c)
{
    IUnknown *p = CONF_POISON_PTR, *u1 = CONF_POISON_PTR, *u2 = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx,
                   IBackgroundCopyJob_QueryInterface(ctx->job, job_iids[c->arg],
                                                     (void **)&p),
                   S_OK);
    CONF_EXPECT_NONNULL(ctx, p);
    conf_defer_release(ctx, p);
    CONF_EXPECT_HR(ctx, IUnknown_QueryInterface(p, &IID_IUnknown, (void **)&u1),
                   S_OK);
    conf_defer_release(ctx, u1);
    CONF_EXPECT_HR(ctx,
                   IBackgroundCopyJob_QueryInterface(ctx->job, &IID_IUnknown,
                                                     (void **)&u2),
                   S_OK);
    conf_defer_release(ctx, u2);
    CONF_EXPECT_PTR(ctx, u1, u2);
}

static void qi_job_miss(conf_ctx *ctx, const conf_case *c)
{
    void *p = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx,
                   IBackgroundCopyJob_QueryInterface(
                       ctx->job, &IID_IBackgroundCopyManager, &p),
                   E_NOINTERFACE);
    CONF_EXPECT_NULL(ctx, p);
}

/* arg 1: the DO job interface answers (DO); 0: it does not (BITS). */
static void qi_job_do_iface(conf_ctx *ctx, const conf_case *c)
{
    void *p = CONF_POISON_PTR;
    HRESULT hr = IBackgroundCopyJob_QueryInterface(
        ctx->job, &IID_IDeliveryOptimizationJob, &p);
    if (c->arg) {
        CONF_EXPECT_HR(ctx, hr, S_OK);
        CONF_EXPECT_NONNULL(ctx, p);
        IUnknown_Release((IUnknown *)p);
    } else {
        CONF_EXPECT_HR(ctx, hr, E_NOINTERFACE);
        CONF_EXPECT_NULL(ctx, p);
    }
}

static const IID *const file_iids[] = {
    &IID_IBackgroundCopyFile2, &IID_IBackgroundCopyFile3,
    &IID_IBackgroundCopyFile4, &IID_IBackgroundCopyFile5,
    &IID_IBackgroundCopyFile6,
};

static void qi_file_version(conf_ctx *ctx, const conf_case *c)
{
    add_file(ctx, ctx->job, "a.bin");
    IBackgroundCopyFile *f = first_file(ctx, ctx->job);
    IUnknown *p = CONF_POISON_PTR, *u1 = CONF_POISON_PTR, *u2 = CONF_POISON_PTR;
    CONF_EXPECT_HR(
        ctx,
        IBackgroundCopyFile_QueryInterface(f, file_iids[c->arg], (void **)&p),
        S_OK);
    CONF_EXPECT_NONNULL(ctx, p);
    conf_defer_release(ctx, p);
    CONF_EXPECT_HR(ctx, IUnknown_QueryInterface(p, &IID_IUnknown, (void **)&u1),
                   S_OK);
    conf_defer_release(ctx, u1);
    CONF_EXPECT_HR(
        ctx, IBackgroundCopyFile_QueryInterface(f, &IID_IUnknown, (void **)&u2),
        S_OK);
    conf_defer_release(ctx, u2);
    CONF_EXPECT_PTR(ctx, u1, u2);
}

static void qi_enum_identity(conf_ctx *ctx, const conf_case *c)
{
    IEnumBackgroundCopyJobs *e = CONF_POISON_PTR, *e2 = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyManager_EnumJobs(ctx->mgr, 0, &e), S_OK);
    conf_defer_release(ctx, (IUnknown *)e);
    IUnknown *u = CONF_POISON_PTR;
    CONF_EXPECT_HR(
        ctx,
        IEnumBackgroundCopyJobs_QueryInterface(e, &IID_IUnknown, (void **)&u),
        S_OK);
    conf_defer_release(ctx, u);
    CONF_EXPECT_HR(ctx,
                   IEnumBackgroundCopyJobs_QueryInterface(
                       e, &IID_IEnumBackgroundCopyJobs, (void **)&e2),
                   S_OK);
    conf_defer_release(ctx, (IUnknown *)e2);
    CONF_EXPECT_PTR(ctx, e2, e);
    void *p = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx,
                   IEnumBackgroundCopyJobs_QueryInterface(
                       e, &IID_IEnumBackgroundCopyFiles, &p),
                   E_NOINTERFACE);
    CONF_EXPECT_NULL(ctx, p);
}

/* ---- manager ------------------------------------------------------------ */

static void mgr_create(conf_ctx *ctx, const conf_case *c)
{
    GUID id, got;
    IBackgroundCopyJob *job =
        conf_new_job(ctx, u"docts create", BG_JOB_TYPE_DOWNLOAD, &id);
    memset(&got, 0xEE, sizeof got);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetId(job, &got), S_OK);
    CONF_EXPECT_GUID(ctx, &got, &id);
    IBackgroundCopyJob_Release(job);
}

static void mgr_create_distinct(conf_ctx *ctx, const conf_case *c)
{
    GUID a, b;
    IBackgroundCopyJob *j1 =
        conf_new_job(ctx, u"one", BG_JOB_TYPE_DOWNLOAD, &a);
    IBackgroundCopyJob *j2 =
        conf_new_job(ctx, u"two", BG_JOB_TYPE_DOWNLOAD, &b);
    CONF_EXPECT_TRUE(ctx, memcmp(&a, &b, sizeof a) != 0, "two different GUIDs",
                     "the same GUID twice");
    CONF_EXPECT_TRUE(ctx, j1 != j2, "two job objects", "the same pointer");
    IBackgroundCopyJob_Release(j1);
    IBackgroundCopyJob_Release(j2);
}

/* arg: 0 NULL name, 1 257 characters, 2 NULL pJobId, 3 NULL ppJob */
static void mgr_create_bad(conf_ctx *ctx, const conf_case *c)
{
    GUID id;
    IBackgroundCopyJob *job = CONF_POISON_PTR;
    const WCHAR *name = u"docts";
    GUID *pid = &id;
    IBackgroundCopyJob **pjob = &job;
    if (c->arg == 0)
        name = NULL;
    else if (c->arg == 1)
        name = conf_wrepeat(ctx, u'n', 257);
    else if (c->arg == 2)
        pid = NULL;
    else
        pjob = NULL;
    ULONG before = job_count(ctx);
    CONF_EXPECT_HR(ctx,
                   IBackgroundCopyManager_CreateJob(
                       ctx->mgr, name, BG_JOB_TYPE_DOWNLOAD, pid, pjob),
                   E_INVALIDARG);
    CONF_EXPECT_U(ctx, job_count(ctx), before);
}

/* arg: the name length that must be accepted (256, 0). */
static void mgr_create_name_ok(conf_ctx *ctx, const conf_case *c)
{
    WCHAR *name = conf_wrepeat(ctx, u'x', (size_t)c->arg);
    IBackgroundCopyJob *job =
        conf_new_job(ctx, name, BG_JOB_TYPE_DOWNLOAD, NULL);
    LPWSTR got = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetDisplayName(job, &got), S_OK);
    CONF_EXPECT_WSTR(ctx, got, name);
    CoTaskMemFree(got);
    IBackgroundCopyJob_Release(job);
}

/* arg: job type; expected S_OK in BITS mode, E_INVALIDARG otherwise (the
 * table row says which). */
static void mgr_create_type(conf_ctx *ctx, const conf_case *c)
{
    BG_JOB_TYPE type = (BG_JOB_TYPE)c->arg;
    if (ctx->profile == CONF_P_BITS && c->arg <= 2) {
        IBackgroundCopyJob *job = conf_new_job(ctx, u"t", type, NULL);
        BG_JOB_TYPE got = (BG_JOB_TYPE)CONF_POISON32;
        CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetType(job, &got), S_OK);
        CONF_EXPECT_U(ctx, got, type);
        IBackgroundCopyJob_Release(job);
        return;
    }
    GUID id;
    IBackgroundCopyJob *job = CONF_POISON_PTR;
    CONF_EXPECT_HR(
        ctx, IBackgroundCopyManager_CreateJob(ctx->mgr, u"t", type, &id, &job),
        E_INVALIDARG);
    CONF_EXPECT_NULL(ctx, job);
}

static void mgr_getjob(conf_ctx *ctx, const conf_case *c)
{
    IBackgroundCopyJob *j = CONF_POISON_PTR;
    CONF_EXPECT_HR(
        ctx, IBackgroundCopyManager_GetJob(ctx->mgr, &ctx->job_id, &j), S_OK);
    CONF_EXPECT_NONNULL(ctx, j);
    conf_defer_release(ctx, (IUnknown *)j);
    GUID got;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetId(j, &got), S_OK);
    CONF_EXPECT_GUID(ctx, &got, &ctx->job_id);
}

static void mgr_getjob_unknown(conf_ctx *ctx, const conf_case *c)
{
    static const GUID random = {
        0x1f2e3d4c,
        0x5b6a,
        0x4789,
        {0x9a, 0xbc, 0xde, 0xf0, 0x12, 0x34, 0x56, 0x78}};
    IBackgroundCopyJob *j = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyManager_GetJob(ctx->mgr, &random, &j),
                   conf_hr(ctx, BG_E_NOT_FOUND));
    if (c->arg) /* decision R1: the out-pointer is cleared */
        CONF_EXPECT_NULL(ctx, j);
}

/* arg 0: after Cancel; 1: after Complete (decision D7). */
static void mgr_getjob_final(conf_ctx *ctx, const conf_case *c)
{
    if (c->arg == 0)
        CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Cancel(ctx->job), S_OK);
    else
        CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Complete(ctx->job), S_OK);
    IBackgroundCopyJob *j = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx,
                   IBackgroundCopyManager_GetJob(ctx->mgr, &ctx->job_id, &j),
                   conf_hr(ctx, BG_E_NOT_FOUND));
}

static void mgr_getjob_released(conf_ctx *ctx, const conf_case *c)
{
    GUID id;
    IBackgroundCopyJob *job = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx,
                   IBackgroundCopyManager_CreateJob(
                       ctx->mgr, u"released", BG_JOB_TYPE_DOWNLOAD, &id, &job),
                   S_OK);
    CONF_EXPECT_NONNULL(ctx, job);
    IBackgroundCopyJob_Release(job); /* the last client reference */
    IBackgroundCopyJob *again = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyManager_GetJob(ctx->mgr, &id, &again),
                   S_OK);
    CONF_EXPECT_NONNULL(ctx, again);
    conf_track_job(ctx, again); /* cancelled at the end */
    CONF_EXPECT_STATE(ctx, state_of(ctx, again), BG_JOB_STATE_SUSPENDED);
    IBackgroundCopyJob_Release(again);
}

static void mgr_getjob_null(conf_ctx *ctx, const conf_case *c)
{
    CONF_EXPECT_HR(ctx,
                   IBackgroundCopyManager_GetJob(ctx->mgr, &ctx->job_id, NULL),
                   E_INVALIDARG);
}

static void mgr_enum_grows(conf_ctx *ctx, const conf_case *c)
{
    ULONG before = job_count(ctx);
    GUID id;
    IBackgroundCopyJob *job =
        conf_new_job(ctx, u"grow", BG_JOB_TYPE_DOWNLOAD, &id);
    CONF_EXPECT_U(ctx, job_count(ctx), before + 1);
    CONF_EXPECT_TRUE(ctx, enumerates(ctx, &id), "the new job enumerated",
                     "not in the enumeration");
    IBackgroundCopyJob_Release(job);
}

static void mgr_enum_snapshot(conf_ctx *ctx, const conf_case *c)
{
    IEnumBackgroundCopyJobs *e = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyManager_EnumJobs(ctx->mgr, 0, &e), S_OK);
    conf_defer_release(ctx, (IUnknown *)e);
    ULONG n1 = CONF_POISON32, n2 = CONF_POISON32;
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyJobs_GetCount(e, &n1), S_OK);
    IBackgroundCopyJob *job =
        conf_new_job(ctx, u"later", BG_JOB_TYPE_DOWNLOAD, NULL);
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyJobs_GetCount(e, &n2), S_OK);
    CONF_EXPECT_U(ctx, n2, n1);
    IBackgroundCopyJob_Release(job);
}

/* arg 0: cancelled, 1: acknowledged jobs are not enumerated. */
static void mgr_enum_final(conf_ctx *ctx, const conf_case *c)
{
    CONF_EXPECT_TRUE(ctx, enumerates(ctx, &ctx->job_id),
                     "the job enumerated before", "missing");
    ULONG before = job_count(ctx);
    if (c->arg == 0)
        CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Cancel(ctx->job), S_OK);
    else
        CONF_EXPECT_TRUE(ctx, SUCCEEDED(IBackgroundCopyJob_Complete(ctx->job)),
                         "Complete succeeds", "Complete failed");
    CONF_EXPECT_U(ctx, job_count(ctx), before - 1);
    CONF_EXPECT_TRUE(ctx, !enumerates(ctx, &ctx->job_id),
                     "the final job not enumerated", "still enumerated");
}

static void mgr_enum_all_users(conf_ctx *ctx, const conf_case *c)
{
    IEnumBackgroundCopyJobs *e = CONF_POISON_PTR;
    CONF_EXPECT_HR(
        ctx,
        IBackgroundCopyManager_EnumJobs(ctx->mgr, BG_JOB_ENUM_ALL_USERS, &e),
        E_ACCESSDENIED);
}

static void mgr_enum_bad_flags(conf_ctx *ctx, const conf_case *c)
{
    IEnumBackgroundCopyJobs *e = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyManager_EnumJobs(ctx->mgr, 0x2, &e),
                   E_INVALIDARG);
    CONF_EXPECT_NULL(ctx, e);
}

static void mgr_errdesc(conf_ctx *ctx, const conf_case *c)
{
    LPWSTR text = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx,
                   IBackgroundCopyManager_GetErrorDescription(
                       ctx->mgr, BG_E_NOT_FOUND, 0x0409, &text),
                   S_OK);
    CONF_EXPECT_NONNULL(ctx, text);
    CONF_EXPECT_TRUE(ctx, text[0] != 0, "a non-empty text", "an empty string");
    CoTaskMemFree(text);
}

static void mgr_errdesc_lang(conf_ctx *ctx, const conf_case *c)
{
    LPWSTR text = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx,
                   IBackgroundCopyManager_GetErrorDescription(
                       ctx->mgr, BG_E_NOT_FOUND, 0x0407, &text),
                   HRESULT_FROM_WIN32(ERROR_RESOURCE_LANG_NOT_FOUND));
    CONF_EXPECT_NULL(ctx, text);
}

/* ---- job defaults ------------------------------------------------------- */

static void job_default_state(conf_ctx *ctx, const conf_case *c)
{
    CONF_EXPECT_STATE(ctx, state_of(ctx, ctx->job), BG_JOB_STATE_SUSPENDED);
}

static void job_default_priority(conf_ctx *ctx, const conf_case *c)
{
    BG_JOB_PRIORITY p = (BG_JOB_PRIORITY)CONF_POISON32;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetPriority(ctx->job, &p), S_OK);
    CONF_EXPECT_U(ctx, p, BG_JOB_PRIORITY_NORMAL);
}

static void job_default_notify_flags(conf_ctx *ctx, const conf_case *c)
{
    ULONG f = CONF_POISON32;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetNotifyFlags(ctx->job, &f), S_OK);
    CONF_EXPECT_HEX(ctx, f, BG_NOTIFY_JOB_TRANSFERRED | BG_NOTIFY_JOB_ERROR);
}

static void job_default_notify_iface(conf_ctx *ctx, const conf_case *c)
{
    IUnknown *u = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetNotifyInterface(ctx->job, &u),
                   S_OK);
    CONF_EXPECT_NULL(ctx, u);
}

static void job_default_progress(conf_ctx *ctx, const conf_case *c)
{
    BG_JOB_PROGRESS p;
    memset(&p, 0xEF, sizeof p);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetProgress(ctx->job, &p), S_OK);
    CONF_EXPECT_U(ctx, p.BytesTotal, 0);
    CONF_EXPECT_U(ctx, p.BytesTransferred, 0);
    CONF_EXPECT_U(ctx, p.FilesTotal, 0);
    CONF_EXPECT_U(ctx, p.FilesTransferred, 0);
}

static void job_default_retry_delay(conf_ctx *ctx, const conf_case *c)
{
    ULONG s = CONF_POISON32;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetMinimumRetryDelay(ctx->job, &s),
                   S_OK);
    CONF_EXPECT_U(ctx, s, 600);
}

/* arg: the expected default (1209600 BITS, 86400 DO NORMAL priority). */
static void job_default_no_progress(conf_ctx *ctx, const conf_case *c)
{
    ULONG s = CONF_POISON32;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetNoProgressTimeout(ctx->job, &s),
                   S_OK);
    CONF_EXPECT_U(ctx, s, (ULONG)c->arg);
}

static void job_do_no_progress_high(conf_ctx *ctx, const conf_case *c)
{
    CONF_EXPECT_HR(
        ctx, IBackgroundCopyJob_SetPriority(ctx->job, BG_JOB_PRIORITY_HIGH),
        S_OK);
    ULONG s = CONF_POISON32;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetNoProgressTimeout(ctx->job, &s),
                   S_OK);
    CONF_EXPECT_U(ctx, s, 3600);
}

static void job_default_error_count(conf_ctx *ctx, const conf_case *c)
{
    ULONG n = CONF_POISON32;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetErrorCount(ctx->job, &n), S_OK);
    CONF_EXPECT_U(ctx, n, 0);
}

static void job_name_and_type(conf_ctx *ctx, const conf_case *c)
{
    LPWSTR name = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetDisplayName(ctx->job, &name),
                   S_OK);
    CONF_EXPECT_WSTR(ctx, name, u"docts");
    CoTaskMemFree(name);
    BG_JOB_TYPE t = (BG_JOB_TYPE)CONF_POISON32;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetType(ctx->job, &t), S_OK);
    CONF_EXPECT_U(ctx, t, BG_JOB_TYPE_DOWNLOAD);
}

static void job_default_description(conf_ctx *ctx, const conf_case *c)
{
    LPWSTR d = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetDescription(ctx->job, &d), S_OK);
    CONF_EXPECT_WSTR(ctx, d, u"");
    CoTaskMemFree(d);
}

static void job_default_error(conf_ctx *ctx, const conf_case *c)
{
    IBackgroundCopyError *e = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetError(ctx->job, &e),
                   conf_hr(ctx, BG_E_ERROR_INFORMATION_UNAVAILABLE));
}

static void job_owner(conf_ctx *ctx, const conf_case *c)
{
    LPWSTR o = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetOwner(ctx->job, &o), S_OK);
    CONF_EXPECT_NONNULL(ctx, o);
    const char *u = conf_u8(ctx, o);
    CoTaskMemFree(o);
    CONF_EXPECT_TRUE(ctx, strncmp(u, "S-1-", 4) == 0,
                     "a SID string starting with \"S-1-\"", u);
}

static uint64_t ft64(FILETIME t)
{
    return ((uint64_t)t.dwHighDateTime << 32) | t.dwLowDateTime;
}

static void job_times(conf_ctx *ctx, const conf_case *c)
{
    BG_JOB_TIMES t;
    memset(&t, 0xEF, sizeof t);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetTimes(ctx->job, &t), S_OK);
    CONF_EXPECT_TRUE(ctx,
                     ft64(t.CreationTime) != 0 &&
                         ft64(t.CreationTime) != 0xEFEFEFEFEFEFEFEFull,
                     "CreationTime set", "zero or not written");
    CONF_EXPECT_TRUE(ctx, ft64(t.ModificationTime) >= ft64(t.CreationTime),
                     "ModificationTime >= CreationTime", "earlier");
    if (c->arg) /* UNVERIFIED: zero before TRANSFERRED */
        CONF_EXPECT_U(ctx, ft64(t.TransferCompletionTime), 0);
}

/* arg 0: usage only (documented default); 1: also NULL lists. */
static void job_default_proxy(conf_ctx *ctx, const conf_case *c)
{
    BG_JOB_PROXY_USAGE u = (BG_JOB_PROXY_USAGE)CONF_POISON32;
    LPWSTR list = CONF_POISON_PTR, bypass = CONF_POISON_PTR;
    CONF_EXPECT_HR(
        ctx, IBackgroundCopyJob_GetProxySettings(ctx->job, &u, &list, &bypass),
        S_OK);
    CONF_EXPECT_U(ctx, u, BG_JOB_PROXY_USAGE_PRECONFIG);
    if (c->arg) {
        CONF_EXPECT_NULL(ctx, list);
        CONF_EXPECT_NULL(ctx, bypass);
    }
    if (list != CONF_POISON_PTR)
        CoTaskMemFree(list);
    if (bypass != CONF_POISON_PTR)
        CoTaskMemFree(bypass);
}

/* arg: which getter gets a NULL out-pointer (decision R1). */
static void job_null_out(conf_ctx *ctx, const conf_case *c)
{
    IBackgroundCopyJob *j = ctx->job;
    HRESULT hr;
    switch (c->arg) {
    case 0:
        hr = IBackgroundCopyJob_GetState(j, NULL);
        break;
    case 1:
        hr = IBackgroundCopyJob_GetProgress(j, NULL);
        break;
    case 2:
        hr = IBackgroundCopyJob_GetDisplayName(j, NULL);
        break;
    case 3:
        hr = IBackgroundCopyJob_GetId(j, NULL);
        break;
    default:
        hr = IBackgroundCopyJob_EnumFiles(j, NULL);
        break;
    }
    CONF_EXPECT_HR(ctx, hr, E_INVALIDARG);
}

/* ---- job setters ------------------------------------------------------- */

static void job_set_name(conf_ctx *ctx, const conf_case *c)
{
    CONF_EXPECT_HR(
        ctx, IBackgroundCopyJob_SetDisplayName(ctx->job, u"renamed \u00e9"),
        S_OK);
    LPWSTR n = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetDisplayName(ctx->job, &n), S_OK);
    CONF_EXPECT_WSTR(ctx, n, u"renamed \u00e9");
    CoTaskMemFree(n);
}

static void job_set_name_long(conf_ctx *ctx, const conf_case *c)
{
    CONF_EXPECT_HR2(ctx,
                    IBackgroundCopyJob_SetDisplayName(
                        ctx->job, conf_wrepeat(ctx, u'n', 257)),
                    BG_E_STRING_TOO_LONG, E_INVALIDARG);
    LPWSTR n = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetDisplayName(ctx->job, &n), S_OK);
    CONF_EXPECT_WSTR(ctx, n, u"docts");
    CoTaskMemFree(n);
}

/* The caller's own job: an administrator takes it (S_OK), a standard user
 * is refused (E_ACCESSDENIED, decision R25); the call is implemented. */
static void job_take_ownership(conf_ctx *ctx, const conf_case *c)
{
    CONF_EXPECT_HR2(ctx, IBackgroundCopyJob_TakeOwnership(ctx->job), S_OK,
                    E_ACCESSDENIED);
}

static void job_set_name_null(conf_ctx *ctx, const conf_case *c)
{
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_SetDisplayName(ctx->job, NULL),
                   E_INVALIDARG);
}

/* arg: description length; 1024 accepted, 1025 BG_E_STRING_TOO_LONG. */
static void job_set_description(conf_ctx *ctx, const conf_case *c)
{
    WCHAR *d = conf_wrepeat(ctx, u'd', (size_t)c->arg);
    if (c->arg <= 1024) {
        CONF_EXPECT_HR(ctx, IBackgroundCopyJob_SetDescription(ctx->job, d),
                       S_OK);
        LPWSTR got = CONF_POISON_PTR;
        CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetDescription(ctx->job, &got),
                       S_OK);
        CONF_EXPECT_WSTR(ctx, got, d);
        CoTaskMemFree(got);
    } else {
        CONF_EXPECT_HR(ctx, IBackgroundCopyJob_SetDescription(ctx->job, d),
                       BG_E_STRING_TOO_LONG);
    }
}

static void job_set_priority(conf_ctx *ctx, const conf_case *c)
{
    static const BG_JOB_PRIORITY order[] = {
        BG_JOB_PRIORITY_FOREGROUND,
        BG_JOB_PRIORITY_HIGH,
        BG_JOB_PRIORITY_LOW,
        BG_JOB_PRIORITY_NORMAL,
    };
    for (size_t i = 0; i < CONF_ARRAY_LEN(order); i++) {
        CONF_EXPECT_HR(ctx, IBackgroundCopyJob_SetPriority(ctx->job, order[i]),
                       S_OK);
        BG_JOB_PRIORITY p = (BG_JOB_PRIORITY)CONF_POISON32;
        CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetPriority(ctx->job, &p), S_OK);
        CONF_EXPECT_U(ctx, p, order[i]);
    }
}

static void job_set_priority_bad(conf_ctx *ctx, const conf_case *c)
{
    CONF_EXPECT_HR(ctx,
                   IBackgroundCopyJob_SetPriority(ctx->job, (BG_JOB_PRIORITY)4),
                   E_NOTIMPL);
    BG_JOB_PRIORITY p = (BG_JOB_PRIORITY)CONF_POISON32;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetPriority(ctx->job, &p), S_OK);
    CONF_EXPECT_U(ctx, p, BG_JOB_PRIORITY_NORMAL);
}

static void job_set_notify_flags(conf_ctx *ctx, const conf_case *c)
{
    ULONG want = BG_NOTIFY_JOB_TRANSFERRED | BG_NOTIFY_JOB_ERROR |
                 BG_NOTIFY_JOB_MODIFICATION;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_SetNotifyFlags(ctx->job, want),
                   S_OK);
    ULONG f = CONF_POISON32;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetNotifyFlags(ctx->job, &f), S_OK);
    CONF_EXPECT_HEX(ctx, f, want);
}

static void job_set_notify_flags_bad(conf_ctx *ctx, const conf_case *c)
{
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_SetNotifyFlags(ctx->job, 0x40),
                   E_NOTIMPL);
    ULONG f = CONF_POISON32;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetNotifyFlags(ctx->job, &f), S_OK);
    CONF_EXPECT_HEX(ctx, f, 0x3);
}

static void job_set_notify_iface(conf_ctx *ctx, const conf_case *c)
{
    IUnknown *cb = (IUnknown *)&the_cb.iface;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_SetNotifyInterface(ctx->job, cb),
                   S_OK);
    IUnknown *got = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetNotifyInterface(ctx->job, &got),
                   S_OK);
    CONF_EXPECT_NONNULL(ctx, got);
    /* the same object (identity through IUnknown) */
    IUnknown *ident = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx,
                   IUnknown_QueryInterface(got, &IID_IUnknown, (void **)&ident),
                   S_OK);
    CONF_EXPECT_PTR(ctx, ident, cb);
    IUnknown_Release(ident);
    IUnknown_Release(got);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_SetNotifyInterface(ctx->job, NULL),
                   S_OK);
    got = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetNotifyInterface(ctx->job, &got),
                   S_OK);
    CONF_EXPECT_NULL(ctx, got);
}

/* arg 0: Set(1) returns S_OK; 1: Get then reports 5 (decision R18). */
static void job_retry_clamp(conf_ctx *ctx, const conf_case *c)
{
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_SetMinimumRetryDelay(ctx->job, 1),
                   S_OK);
    if (c->arg) {
        ULONG s = CONF_POISON32;
        CONF_EXPECT_HR(
            ctx, IBackgroundCopyJob_GetMinimumRetryDelay(ctx->job, &s), S_OK);
        CONF_EXPECT_U(ctx, s, 5);
    }
}

static void job_retry_roundtrip(conf_ctx *ctx, const conf_case *c)
{
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_SetMinimumRetryDelay(ctx->job, 60),
                   S_OK);
    ULONG s = CONF_POISON32;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetMinimumRetryDelay(ctx->job, &s),
                   S_OK);
    CONF_EXPECT_U(ctx, s, 60);
}

static void job_no_progress_roundtrip(conf_ctx *ctx, const conf_case *c)
{
    static const ULONG values[] = {0, 12345, 1209600};
    for (size_t i = 0; i < CONF_ARRAY_LEN(values); i++) {
        CONF_EXPECT_HR(
            ctx, IBackgroundCopyJob_SetNoProgressTimeout(ctx->job, values[i]),
            S_OK);
        ULONG s = CONF_POISON32;
        CONF_EXPECT_HR(
            ctx, IBackgroundCopyJob_GetNoProgressTimeout(ctx->job, &s), S_OK);
        CONF_EXPECT_U(ctx, s, values[i]);
    }
}

/* arg: 0 usage 4 -> E_NOTIMPL; 1 OVERRIDE without list; 2 NO_PROXY with a
 * list -> E_INVALIDARG. */
static void job_proxy_bad(conf_ctx *ctx, const conf_case *c)
{
    HRESULT hr, want;
    if (c->arg == 0) {
        hr = IBackgroundCopyJob_SetProxySettings(
            ctx->job, (BG_JOB_PROXY_USAGE)4, NULL, NULL);
        want = E_NOTIMPL;
    } else if (c->arg == 1) {
        hr = IBackgroundCopyJob_SetProxySettings(
            ctx->job, BG_JOB_PROXY_USAGE_OVERRIDE, NULL, NULL);
        want = E_INVALIDARG;
    } else {
        hr = IBackgroundCopyJob_SetProxySettings(
            ctx->job, BG_JOB_PROXY_USAGE_NO_PROXY, u"x", NULL);
        want = E_INVALIDARG;
    }
    CONF_EXPECT_HR(ctx, hr, want);
}

static void job_proxy_roundtrip(conf_ctx *ctx, const conf_case *c)
{
    CONF_EXPECT_HR(ctx,
                   IBackgroundCopyJob_SetProxySettings(
                       ctx->job, BG_JOB_PROXY_USAGE_OVERRIDE,
                       u"proxy.example:8080", u"<local>"),
                   S_OK);
    BG_JOB_PROXY_USAGE u = (BG_JOB_PROXY_USAGE)CONF_POISON32;
    LPWSTR list = CONF_POISON_PTR, bypass = CONF_POISON_PTR;
    CONF_EXPECT_HR(
        ctx, IBackgroundCopyJob_GetProxySettings(ctx->job, &u, &list, &bypass),
        S_OK);
    CONF_EXPECT_U(ctx, u, BG_JOB_PROXY_USAGE_OVERRIDE);
    CONF_EXPECT_WSTR(ctx, list, u"proxy.example:8080");
    CONF_EXPECT_WSTR(ctx, bypass, u"<local>");
    CoTaskMemFree(list);
    CoTaskMemFree(bypass);
}

static void job_string_copies(conf_ctx *ctx, const conf_case *c)
{
    LPWSTR a = CONF_POISON_PTR, b = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetDisplayName(ctx->job, &a), S_OK);
    CONF_EXPECT_NONNULL(ctx, a);
    a[0] = u'X'; /* ours to modify */
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetDisplayName(ctx->job, &b), S_OK);
    CONF_EXPECT_TRUE(ctx, a != b, "a fresh copy per call",
                     "the same buffer twice");
    CoTaskMemFree(a);
    CONF_EXPECT_WSTR(ctx, b, u"docts");
    CoTaskMemFree(b);
}

/* ---- AddFile ----------------------------------------------------------- */

static void file_add_one(conf_ctx *ctx, const conf_case *c)
{
    add_file(ctx, ctx->job, "one.bin");
    IEnumBackgroundCopyFiles *e = enum_files(ctx, ctx->job);
    ULONG n = CONF_POISON32;
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyFiles_GetCount(e, &n), S_OK);
    CONF_EXPECT_U(ctx, n, 1);
}

/* arg: 0 relative local, 1 ftp://, 2 NULL remote, 3 missing directory,
 * 4 same local name twice (the first AddFile of 4 succeeds). */
static void file_add_bad(conf_ctx *ctx, const conf_case *c)
{
    const WCHAR *r = remote(ctx, "x.bin");
    const WCHAR *l = conf_tmp_path(ctx, "x.bin");
    switch (c->arg) {
    case 0:
        l = u"relative/x.bin";
        break;
    case 1:
        r = u"ftp://127.0.0.1/docts/x.bin";
        break;
    case 2:
        r = NULL;
        break;
    case 3:
        l = conf_tmp_path(ctx, "no-such-dir/x.bin");
        break;
    default:
        add_file(ctx, ctx->job, "x.bin");
        break;
    }
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_AddFile(ctx->job, r, l),
                   E_INVALIDARG);
    BG_JOB_PROGRESS p;
    memset(&p, 0xEF, sizeof p);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetProgress(ctx->job, &p), S_OK);
    CONF_EXPECT_U(ctx, p.FilesTotal, c->arg == 4 ? 1 : 0);
}

/* FILE-07: a local name in a directory the caller cannot write. */
static void file_add_unwritable(conf_ctx *ctx, const conf_case *c)
{
    char path[2048];
    snprintf(path, sizeof path, "%s%cx.bin", nc_unwritable_dir(ctx),
             CONF_PLAT_SEP);
    CONF_EXPECT_HR(ctx,
                   IBackgroundCopyJob_AddFile(ctx->job, remote(ctx, "x.bin"),
                                              conf_w(ctx, path)),
                   E_ACCESSDENIED);
    BG_JOB_PROGRESS p;
    memset(&p, 0xEF, sizeof p);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetProgress(ctx->job, &p), S_OK);
    CONF_EXPECT_U(ctx, p.FilesTotal, 0);
}

static void file_add_order(conf_ctx *ctx, const conf_case *c)
{
    add_file(ctx, ctx->job, "first.bin");
    add_file(ctx, ctx->job, "second.bin");
    IEnumBackgroundCopyFiles *e = enum_files(ctx, ctx->job);
    ULONG n = CONF_POISON32;
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyFiles_GetCount(e, &n), S_OK);
    CONF_EXPECT_U(ctx, n, 2);
    static const char *const names[] = {"first.bin", "second.bin"};
    for (int i = 0; i < 2; i++) {
        IBackgroundCopyFile *f = CONF_POISON_PTR;
        ULONG got = CONF_POISON32;
        CONF_EXPECT_HR(ctx, IEnumBackgroundCopyFiles_Next(e, 1, &f, &got),
                       S_OK);
        conf_defer_release(ctx, (IUnknown *)f);
        LPWSTR local = CONF_POISON_PTR;
        CONF_EXPECT_HR(ctx, IBackgroundCopyFile_GetLocalName(f, &local), S_OK);
        CONF_EXPECT_WSTR(ctx, local, conf_tmp_path(ctx, names[i]));
        CoTaskMemFree(local);
    }
}

static void file_names(conf_ctx *ctx, const conf_case *c)
{
    add_file(ctx, ctx->job, "names.bin");
    IBackgroundCopyFile *f = first_file(ctx, ctx->job);
    LPWSTR r = CONF_POISON_PTR, l = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyFile_GetRemoteName(f, &r), S_OK);
    CONF_EXPECT_WSTR(ctx, r, remote(ctx, "names.bin"));
    CoTaskMemFree(r);
    CONF_EXPECT_HR(ctx, IBackgroundCopyFile_GetLocalName(f, &l), S_OK);
    CONF_EXPECT_WSTR(ctx, l, conf_tmp_path(ctx, "names.bin"));
    CoTaskMemFree(l);
}

static void file_progress_fresh(conf_ctx *ctx, const conf_case *c)
{
    add_file(ctx, ctx->job, "fresh.bin");
    IBackgroundCopyFile *f = first_file(ctx, ctx->job);
    BG_FILE_PROGRESS p;
    memset(&p, 0xEF, sizeof p);
    CONF_EXPECT_HR(ctx, IBackgroundCopyFile_GetProgress(f, &p), S_OK);
    CONF_EXPECT_HEX(ctx, p.BytesTotal, BG_SIZE_UNKNOWN);
    CONF_EXPECT_U(ctx, p.BytesTransferred, 0);
    CONF_EXPECT_U(ctx, p.Completed, FALSE);
}

static void file_job_progress(conf_ctx *ctx, const conf_case *c)
{
    add_file(ctx, ctx->job, "p1.bin");
    add_file(ctx, ctx->job, "p2.bin");
    BG_JOB_PROGRESS p;
    memset(&p, 0xEF, sizeof p);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetProgress(ctx->job, &p), S_OK);
    CONF_EXPECT_U(ctx, p.FilesTotal, 2);
    CONF_EXPECT_U(ctx, p.FilesTransferred, 0);
    CONF_EXPECT_HEX(ctx, p.BytesTotal, BG_SIZE_UNKNOWN);
    CONF_EXPECT_U(ctx, p.BytesTransferred, 0);
}

/* arg 0: second AddFile; 1: AddFileSet of two on an empty upload job. */
static void file_upload_too_many(conf_ctx *ctx, const conf_case *c)
{
    create_local_file(ctx, "up1.txt");
    create_local_file(ctx, "up2.txt");
    IBackgroundCopyJob *job =
        conf_new_job(ctx, u"upload", BG_JOB_TYPE_UPLOAD, NULL);
    conf_defer_release(ctx, (IUnknown *)job);
    if (c->arg == 0) {
        CONF_EXPECT_HR(
            ctx,
            IBackgroundCopyJob_AddFile(job, remote(ctx, "up1.txt"),
                                       conf_tmp_path(ctx, "up1.txt")),
            S_OK);
        CONF_EXPECT_HR(
            ctx,
            IBackgroundCopyJob_AddFile(job, remote(ctx, "up2.txt"),
                                       conf_tmp_path(ctx, "up2.txt")),
            BG_E_TOO_MANY_FILES);
    } else {
        BG_FILE_INFO set[2] = {
            {remote(ctx, "up1.txt"), conf_tmp_path(ctx, "up1.txt")},
            {remote(ctx, "up2.txt"), conf_tmp_path(ctx, "up2.txt")},
        };
        CONF_EXPECT_HR(ctx, IBackgroundCopyJob_AddFileSet(job, 2, set),
                       BG_E_TOO_MANY_FILES);
    }
    BG_JOB_PROGRESS p;
    memset(&p, 0xEF, sizeof p);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetProgress(job, &p), S_OK);
    CONF_EXPECT_U(ctx, p.FilesTotal, c->arg == 0 ? 1 : 0);
}

static void file_addset(conf_ctx *ctx, const conf_case *c)
{
    BG_FILE_INFO set[3] = {
        {remote(ctx, "s1.bin"), conf_tmp_path(ctx, "s1.bin")},
        {remote(ctx, "s2.bin"), conf_tmp_path(ctx, "s2.bin")},
        {remote(ctx, "s3.bin"), conf_tmp_path(ctx, "s3.bin")},
    };
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_AddFileSet(ctx->job, 3, set), S_OK);
    IEnumBackgroundCopyFiles *e = enum_files(ctx, ctx->job);
    ULONG n = CONF_POISON32;
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyFiles_GetCount(e, &n), S_OK);
    CONF_EXPECT_U(ctx, n, 3);
}

static void file_addset_atomic(conf_ctx *ctx, const conf_case *c)
{
    BG_FILE_INFO set[2] = {
        {remote(ctx, "ok.bin"), conf_tmp_path(ctx, "ok.bin")},
        {remote(ctx, "bad.bin"), (LPWSTR)u"relative/bad.bin"},
    };
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_AddFileSet(ctx->job, 2, set),
                   E_INVALIDARG);
    BG_JOB_PROGRESS p;
    memset(&p, 0xEF, sizeof p);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetProgress(ctx->job, &p), S_OK);
    CONF_EXPECT_U(ctx, p.FilesTotal, 0);
}

static void file_addset_empty(conf_ctx *ctx, const conf_case *c)
{
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_AddFileSet(ctx->job, 0, NULL),
                   E_INVALIDARG);
}

/* ---- states without transfers ----------------------------------------- */

static void st_resume_empty(conf_ctx *ctx, const conf_case *c)
{
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Resume(ctx->job),
                   conf_hr(ctx, BG_E_EMPTY));
    CONF_EXPECT_STATE(ctx, state_of(ctx, ctx->job), BG_JOB_STATE_SUSPENDED);
}

static void st_suspend_suspended(conf_ctx *ctx, const conf_case *c)
{
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Suspend(ctx->job), S_OK);
    CONF_EXPECT_STATE(ctx, state_of(ctx, ctx->job), BG_JOB_STATE_SUSPENDED);
}

/* Resume with a file leaves SUSPENDED; arg 1: then Suspend returns it. */
static void st_resume_with_file(conf_ctx *ctx, const conf_case *c)
{
    add_file(ctx, ctx->job, "r.bin");
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Resume(ctx->job), S_OK);
    BG_JOB_STATE st = state_of(ctx, ctx->job);
    char buf[64];
    snprintf(buf, sizeof buf, "%d %s", (int)st, conf_state_name((int)st));
    CONF_EXPECT_TRUE(
        ctx,
        st == BG_JOB_STATE_QUEUED || st == BG_JOB_STATE_CONNECTING ||
            st == BG_JOB_STATE_TRANSFERRING ||
            st == BG_JOB_STATE_TRANSIENT_ERROR || st == BG_JOB_STATE_ERROR,
        "an action or error state (left SUSPENDED)", buf);
    if (c->arg) {
        CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Suspend(ctx->job), S_OK);
        CONF_EXPECT_STATE(ctx, state_of(ctx, ctx->job), BG_JOB_STATE_SUSPENDED);
    }
}

static void st_cancel(conf_ctx *ctx, const conf_case *c)
{
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Cancel(ctx->job), S_OK);
    CONF_EXPECT_STATE(ctx, state_of(ctx, ctx->job), BG_JOB_STATE_CANCELLED);
    if (c->arg)
        CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Cancel(ctx->job),
                       conf_hr(ctx, BG_E_INVALID_STATE));
}

/* arg 0: Complete of an empty job succeeds -> ACKNOWLEDGED; 1: exactly S_OK
 * (R10); 2: second Complete; 3: Cancel after Complete. */
static void st_complete(conf_ctx *ctx, const conf_case *c)
{
    HRESULT hr = IBackgroundCopyJob_Complete(ctx->job);
    if (c->arg == 1)
        CONF_EXPECT_HR(ctx, hr, S_OK);
    else
        CONF_EXPECT_TRUE(ctx, SUCCEEDED(hr), "a success code",
                         "a failure code");
    CONF_EXPECT_STATE(ctx, state_of(ctx, ctx->job), BG_JOB_STATE_ACKNOWLEDGED);
    if (c->arg == 2)
        CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Complete(ctx->job),
                       conf_hr(ctx, BG_E_INVALID_STATE));
    if (c->arg == 3)
        CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Cancel(ctx->job),
                       conf_hr(ctx, BG_E_INVALID_STATE));
}

static void st_complete_partial(conf_ctx *ctx, const conf_case *c)
{
    add_file(ctx, ctx->job, "partial.bin");
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Complete(ctx->job),
                   BG_S_PARTIAL_COMPLETE);
    CONF_EXPECT_STATE(ctx, state_of(ctx, ctx->job), BG_JOB_STATE_ACKNOWLEDGED);
    CONF_EXPECT_TRUE(ctx, !local_exists(ctx, "partial.bin"),
                     "the untransferred file absent", "it exists");
}

static void st_complete_upload(conf_ctx *ctx, const conf_case *c)
{
    create_local_file(ctx, "up.txt");
    IBackgroundCopyJob *job =
        conf_new_job(ctx, u"upload", BG_JOB_TYPE_UPLOAD, NULL);
    conf_defer_release(ctx, (IUnknown *)job);
    CONF_EXPECT_HR(ctx,
                   IBackgroundCopyJob_AddFile(job, remote(ctx, "up.txt"),
                                              conf_tmp_path(ctx, "up.txt")),
                   S_OK);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Complete(job), BG_E_INVALID_STATE);
    CONF_EXPECT_STATE(ctx, state_of(ctx, job), BG_JOB_STATE_SUSPENDED);
}

/* State-changing calls on a final job (arg: low byte = method; 0x100 =
 * the job was completed instead of cancelled). */
enum {
    FIN_SUSPEND,
    FIN_RESUME,
    FIN_SETNAME,
    FIN_SETPRIO,
    FIN_SETFLAGS,
    FIN_SETIFACE,
    FIN_SETRETRY,
    FIN_SETNOPROG,
    FIN_SETPROXY,
    FIN_ADDFILE,
    FIN_SETDESC,
};
#define FIN_ACK 0x100

static void st_final_calls(conf_ctx *ctx, const conf_case *c)
{
    IBackgroundCopyJob *j = ctx->job;
    if (c->arg & FIN_ACK)
        CONF_EXPECT_TRUE(ctx, SUCCEEDED(IBackgroundCopyJob_Complete(j)),
                         "Complete succeeds", "Complete failed");
    else
        CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Cancel(j), S_OK);
    HRESULT hr;
    switch (c->arg & 0xFF) {
    case FIN_SUSPEND:
        hr = IBackgroundCopyJob_Suspend(j);
        break;
    case FIN_RESUME:
        hr = IBackgroundCopyJob_Resume(j);
        break;
    case FIN_SETNAME:
        hr = IBackgroundCopyJob_SetDisplayName(j, u"x");
        break;
    case FIN_SETPRIO:
        hr = IBackgroundCopyJob_SetPriority(j, BG_JOB_PRIORITY_HIGH);
        break;
    case FIN_SETFLAGS:
        hr = IBackgroundCopyJob_SetNotifyFlags(j, 0x1);
        break;
    case FIN_SETIFACE:
        hr =
            IBackgroundCopyJob_SetNotifyInterface(j, (IUnknown *)&the_cb.iface);
        break;
    case FIN_SETRETRY:
        hr = IBackgroundCopyJob_SetMinimumRetryDelay(j, 60);
        break;
    case FIN_SETNOPROG:
        hr = IBackgroundCopyJob_SetNoProgressTimeout(j, 60);
        break;
    case FIN_SETPROXY:
        hr = IBackgroundCopyJob_SetProxySettings(j, BG_JOB_PROXY_USAGE_NO_PROXY,
                                                 NULL, NULL);
        break;
    case FIN_ADDFILE:
        hr = IBackgroundCopyJob_AddFile(j, remote(ctx, "late.bin"),
                                        conf_tmp_path(ctx, "late.bin"));
        break;
    default:
        hr = IBackgroundCopyJob_SetDescription(j, u"x");
        break;
    }
    CONF_EXPECT_HR(ctx, hr, conf_hr(ctx, BG_E_INVALID_STATE));
    CONF_EXPECT_STATE(ctx, state_of(ctx, j),
                      (c->arg & FIN_ACK) ? BG_JOB_STATE_ACKNOWLEDGED
                                         : BG_JOB_STATE_CANCELLED);
}

static void st_error_after_cancel(conf_ctx *ctx, const conf_case *c)
{
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Cancel(ctx->job), S_OK);
    IBackgroundCopyError *e = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetError(ctx->job, &e),
                   conf_hr(ctx, BG_E_ERROR_INFORMATION_UNAVAILABLE));
}

/* ---- enumerators ------------------------------------------------------ */

static IEnumBackgroundCopyFiles *three_files(conf_ctx *ctx)
{
    add_file(ctx, ctx->job, "e1.bin");
    add_file(ctx, ctx->job, "e2.bin");
    add_file(ctx, ctx->job, "e3.bin");
    return enum_files(ctx, ctx->job);
}

/* Expects the next file of E to have local name NAME. */
static void expect_next_is(conf_ctx *ctx, IEnumBackgroundCopyFiles *e,
                           const char *name)
{
    IBackgroundCopyFile *f = CONF_POISON_PTR;
    ULONG got = CONF_POISON32;
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyFiles_Next(e, 1, &f, &got), S_OK);
    CONF_EXPECT_U(ctx, got, 1);
    conf_defer_release(ctx, (IUnknown *)f);
    LPWSTR l = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyFile_GetLocalName(f, &l), S_OK);
    CONF_EXPECT_WSTR(ctx, l, conf_tmp_path(ctx, name));
    CoTaskMemFree(l);
}

static void enum_next_one(conf_ctx *ctx, const conf_case *c)
{
    IEnumBackgroundCopyFiles *e = three_files(ctx);
    expect_next_is(ctx, e, "e1.bin");
    expect_next_is(ctx, e, "e2.bin");
    expect_next_is(ctx, e, "e3.bin");
    IBackgroundCopyFile *f = CONF_POISON_PTR;
    ULONG got = CONF_POISON32;
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyFiles_Next(e, 1, &f, &got), S_FALSE);
    CONF_EXPECT_U(ctx, got, 0);
}

static void enum_next_many(conf_ctx *ctx, const conf_case *c)
{
    IEnumBackgroundCopyFiles *e = three_files(ctx);
    IBackgroundCopyFile *f[5] = {0};
    ULONG got = CONF_POISON32;
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyFiles_Next(e, 5, f, &got), S_FALSE);
    for (ULONG i = 0; i < got && i < 5; i++)
        conf_defer_release(ctx, (IUnknown *)f[i]);
    CONF_EXPECT_U(ctx, got, 3);
    for (int i = 0; i < 3; i++)
        CONF_EXPECT_NONNULL(ctx, f[i]);
}

/* arg 0: Next(2, NULL fetched) -> E_INVALIDARG; 1: Next(1, NULL) is
 * allowed. */
static void enum_next_null_fetched(conf_ctx *ctx, const conf_case *c)
{
    IEnumBackgroundCopyFiles *e = three_files(ctx);
    IBackgroundCopyFile *f[2] = {0};
    if (c->arg == 0) {
        CONF_EXPECT_HR(ctx, IEnumBackgroundCopyFiles_Next(e, 2, f, NULL),
                       E_INVALIDARG);
    } else {
        CONF_EXPECT_HR(ctx, IEnumBackgroundCopyFiles_Next(e, 1, f, NULL), S_OK);
        CONF_EXPECT_NONNULL(ctx, f[0]);
        IBackgroundCopyFile_Release(f[0]);
    }
}

static void enum_skip(conf_ctx *ctx, const conf_case *c)
{
    IEnumBackgroundCopyFiles *e = three_files(ctx);
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyFiles_Skip(e, 2), S_OK);
    expect_next_is(ctx, e, "e3.bin");
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyFiles_Reset(e), S_OK);
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyFiles_Skip(e, 5), S_FALSE);
    IBackgroundCopyFile *f = CONF_POISON_PTR;
    ULONG got = CONF_POISON32;
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyFiles_Next(e, 1, &f, &got), S_FALSE);
    CONF_EXPECT_U(ctx, got, 0);
}

static void enum_reset(conf_ctx *ctx, const conf_case *c)
{
    IEnumBackgroundCopyFiles *e = three_files(ctx);
    expect_next_is(ctx, e, "e1.bin");
    expect_next_is(ctx, e, "e2.bin");
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyFiles_Reset(e), S_OK);
    expect_next_is(ctx, e, "e1.bin");
}

static void enum_clone(conf_ctx *ctx, const conf_case *c)
{
    IEnumBackgroundCopyFiles *e = three_files(ctx);
    expect_next_is(ctx, e, "e1.bin");
    IEnumBackgroundCopyFiles *k = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyFiles_Clone(e, &k), S_OK);
    CONF_EXPECT_NONNULL(ctx, k);
    conf_defer_release(ctx, (IUnknown *)k);
    CONF_EXPECT_TRUE(ctx, k != e, "an independent enumerator",
                     "the same object");
    expect_next_is(ctx, k, "e2.bin"); /* same position */
    expect_next_is(ctx, k, "e3.bin");
    expect_next_is(ctx, e, "e2.bin"); /* the original did not move */
}

static void enum_count(conf_ctx *ctx, const conf_case *c)
{
    IEnumBackgroundCopyFiles *e = three_files(ctx);
    ULONG n = CONF_POISON32;
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyFiles_GetCount(e, &n), S_OK);
    CONF_EXPECT_U(ctx, n, 3);
    expect_next_is(ctx, e, "e1.bin");
    n = CONF_POISON32;
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyFiles_GetCount(e, &n), S_OK);
    CONF_EXPECT_U(ctx, n, 3); /* not the remaining count */
}

static void enum_files_snapshot(conf_ctx *ctx, const conf_case *c)
{
    IEnumBackgroundCopyFiles *e = three_files(ctx);
    add_file(ctx, ctx->job, "e4.bin");
    ULONG n = CONF_POISON32;
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyFiles_GetCount(e, &n), S_OK);
    CONF_EXPECT_U(ctx, n, 3);
}

static void enum_release_zero(conf_ctx *ctx, const conf_case *c)
{
    add_file(ctx, ctx->job, "z.bin");
    IEnumBackgroundCopyFiles *e = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_EnumFiles(ctx->job, &e), S_OK);
    CONF_EXPECT_NONNULL(ctx, e);
    CONF_EXPECT_U(ctx, IEnumBackgroundCopyFiles_Release(e), 0);
}

/* The queue may hold other jobs (an out-of-process service keeps every
 * client's): the count is relative to the one before the second job. */
static void enum_jobs_next(conf_ctx *ctx, const conf_case *c)
{
    ULONG before = job_count(ctx);
    GUID id2;
    IBackgroundCopyJob *j2 =
        conf_new_job(ctx, u"second", BG_JOB_TYPE_DOWNLOAD, &id2);
    IBackgroundCopyJob_Release(j2);
    IEnumBackgroundCopyJobs *e = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyManager_EnumJobs(ctx->mgr, 0, &e), S_OK);
    conf_defer_release(ctx, (IUnknown *)e);
    ULONG n = CONF_POISON32;
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyJobs_GetCount(e, &n), S_OK);
    CONF_EXPECT_U(ctx, n, before + 1);
    bool seen1 = false, seen2 = false;
    for (ULONG i = 0; i < n; i++) {
        IBackgroundCopyJob *j = CONF_POISON_PTR;
        ULONG got = CONF_POISON32;
        CONF_EXPECT_HR(ctx, IEnumBackgroundCopyJobs_Next(e, 1, &j, &got), S_OK);
        CONF_EXPECT_U(ctx, got, 1);
        conf_defer_release(ctx, (IUnknown *)j);
        GUID g;
        CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetId(j, &g), S_OK);
        seen1 |= !memcmp(&g, &ctx->job_id, sizeof g);
        seen2 |= !memcmp(&g, &id2, sizeof g);
    }
    CONF_EXPECT_TRUE(ctx, seen1 && seen2, "both jobs enumerated",
                     "a job missing");
    IBackgroundCopyJob *j = CONF_POISON_PTR;
    ULONG got = CONF_POISON32;
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyJobs_Next(e, 1, &j, &got), S_FALSE);
    CONF_EXPECT_U(ctx, got, 0);
}

static void enum_jobs_null_fetched(conf_ctx *ctx, const conf_case *c)
{
    IEnumBackgroundCopyJobs *e = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyManager_EnumJobs(ctx->mgr, 0, &e), S_OK);
    conf_defer_release(ctx, (IUnknown *)e);
    IBackgroundCopyJob *j[2] = {0};
    HRESULT hr = IEnumBackgroundCopyJobs_Next(e, 2, j, NULL);
    char buf[96];
    CONF_EXPECT_TRUE(ctx, hr != S_OK && hr != S_FALSE,
                     "a failure (pceltFetched NULL with celt 2)",
                     conf_hr_str(hr, buf, sizeof buf));
}

static void enum_jobs_skip_clone(conf_ctx *ctx, const conf_case *c)
{
    IEnumBackgroundCopyJobs *e = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyManager_EnumJobs(ctx->mgr, 0, &e), S_OK);
    conf_defer_release(ctx, (IUnknown *)e);
    IEnumBackgroundCopyJobs *k = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyJobs_Clone(e, &k), S_OK);
    CONF_EXPECT_NONNULL(ctx, k);
    conf_defer_release(ctx, (IUnknown *)k);
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyJobs_Skip(e, 5), S_FALSE);
    /* the clone still has the one job */
    IBackgroundCopyJob *j = CONF_POISON_PTR;
    ULONG got = CONF_POISON32;
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyJobs_Next(k, 1, &j, &got), S_OK);
    CONF_EXPECT_U(ctx, got, 1);
    conf_defer_release(ctx, (IUnknown *)j);
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyJobs_Reset(e), S_OK);
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyJobs_Skip(e, 1), S_OK);
}

/* ---- the table ----------------------------------------------------------- */

#define REQ CONF_REQUIRED
#define INF CONF_INFORMATIVE
#define B CONF_P_BITS
#define D CONF_P_DO
#define A CONF_P_ALL
#define S_LIB CONF_SETUP_LIB
#define S_MGR CONF_SETUP_MANAGER
#define S_JOB CONF_SETUP_JOB

/* T(id, interface, method, rule, profiles, evidence, informative_in,
 *   setup, body, arg, what it checks) */
#define T(id_, if_, m_, rule_, prof_, ev_, infoin_, setup_, run_, arg_, x_)    \
    {                                                                          \
        .id = id_, .iface = if_, .method = m_, .rule = rule_,                  \
        .profiles = prof_, .evidence = ev_, .informative_in = infoin_,         \
        .setup = setup_, .run = run_, .arg = arg_, .expect = x_                \
    }

/* TI: as T, for a case that applies to in-process servers only (the DLL's
 * exports, LockServer, a NULL pointer a proxy refuses before the call
 * leaves the client): not applicable with --impl com:local. */
#define TI(id_, if_, m_, rule_, prof_, ev_, infoin_, setup_, run_, arg_, x_)   \
    {                                                                          \
        .id = id_, .iface = if_, .method = m_, .rule = rule_,                  \
        .profiles = prof_, .evidence = ev_, .informative_in = infoin_,         \
        .setup = setup_, .run = run_, .arg = arg_, .expect = x_,               \
        .needs = CONF_NEEDS_INPROC                                             \
    }

#define CF_ROW(n, k, v)                                                        \
    T("CF-0" #n, "IClassFactory", "CreateInstance",                            \
      "interfaces.md §1.2 (versioned CLSIDs serve IBackgroundCopyManager)", B, \
      REQ, 0, S_LIB, cf_bits_clsid, k,                                         \
      "CLSID_BackgroundCopyManager" v                                          \
      " -> IClassFactory -> a working IBackgroundCopyManager")

#define IFM "IBackgroundCopyManager"
#define IFJ "IBackgroundCopyJob"
#define IFF "IBackgroundCopyFile"
#define IFEF "IEnumBackgroundCopyFiles"
#define IFEJ "IEnumBackgroundCopyJobs"

static const conf_case cases[] = {
    /* class factories */
    T("CF-001", "DLL exports", "DllGetClassObject", "§14.1 MGR-01", B, REQ, 0,
      S_LIB, cf_bits_clsid, 0,
      "CLSID_BackgroundCopyManager -> IClassFactory -> IBackgroundCopyManager"),
    CF_ROW(02, 1, "1_5"),
    CF_ROW(03, 2, "2_0"),
    CF_ROW(04, 3, "2_5"),
    CF_ROW(05, 4, "3_0"),
    CF_ROW(06, 5, "4_0"),
    CF_ROW(07, 6, "5_0"),
    CF_ROW(08, 7, "10_1"),
    CF_ROW(09, 8, "10_2"),
    CF_ROW(10, 9, "10_3"),
    {.id = "CF-011",
     .iface = "IClassFactory",
     .method = "CreateInstance",
     .rule = "interfaces.md §8 (CLSID_DeliveryOptimization -> IDOManager)",
     .profiles = D,
     .evidence = REQ,
     .setup = S_LIB,
     .run = cf_do_manager,
     .expect = "CLSID_DeliveryOptimization creates an IDOManager (skipped "
               "when the implementation has none)"},
    T("CF-012", "IClassFactory", "CreateInstance", "decisions.md D5", D, INF, 0,
      S_LIB, cf_do_bits_manager, 0,
      "CLSID_DeliveryOptimization also creates an IBackgroundCopyManager"),
    TI("CF-013", "DLL exports", "DllGetClassObject",
       "errors.md §1 (standard COM)", A, REQ, 0, S_LIB, cf_unknown_clsid, 0,
       "an unknown CLSID -> CLASS_E_CLASSNOTAVAILABLE, *ppv NULL"),
    TI("CF-014", "DLL exports", "DllGetClassObject",
       "interfaces.md §3 (NULL out-pointer)", A, REQ, 0, S_LIB, cf_null_out, 0,
       "NULL ppv -> E_POINTER (or E_INVALIDARG)"),
    T("CF-015", "IClassFactory", "CreateInstance",
      "errors.md §1 CLASS_E_NOAGGREGATION", A, REQ, 0, S_LIB, cf_aggregation, 0,
      "pUnkOuter non-NULL -> CLASS_E_NOAGGREGATION, *ppv NULL"),
    T("CF-016", "IClassFactory", "CreateInstance", "interfaces.md §3", A, REQ,
      0, S_LIB, cf_wrong_iid, 0,
      "an IID the manager lacks -> E_NOINTERFACE, *ppv NULL"),
    TI("CF-017", "IClassFactory", "LockServer", "interfaces.md §3", A, REQ, 0,
       S_LIB, cf_lockserver, 0,
       "factory QI IUnknown/IClassFactory; LockServer TRUE/FALSE -> S_OK"),
    TI("CF-018", "DLL exports", "DllCanUnloadNow", "decisions.md R9", A, INF, 0,
       S_MGR, cf_can_unload, 0,
       "DllCanUnloadNow exported; S_FALSE while a manager lives"),

    /* IUnknown */
    T("QI-001", IFM, "QueryInterface", "interfaces.md §3 (identity)", A, REQ, 0,
      S_MGR, qi_manager_identity, 0,
      "QI(IUnknown) is the same pointer from every interface"),
    T("QI-002", IFM, "QueryInterface", "interfaces.md §3", A, REQ, 0, S_MGR,
      qi_manager_miss, 0, "unsupported IID -> E_NOINTERFACE, *ppv NULL"),
    TI("QI-003", IFM, "QueryInterface", "interfaces.md §3", A, REQ, 0, S_MGR,
       qi_null_out, 0, "NULL ppv -> E_POINTER (or E_INVALIDARG)"),
    T("QI-004", IFJ, "QueryInterface", "§12 (QI for Job2..Job5)", B, REQ, 0,
      S_JOB, qi_job_version, 0,
      "job answers IBackgroundCopyJob2, same identity"),
    T("QI-005", IFJ, "QueryInterface", "§12 (QI for Job2..Job5)", B, REQ, 0,
      S_JOB, qi_job_version, 1,
      "job answers IBackgroundCopyJob3, same identity"),
    T("QI-006", IFJ, "QueryInterface", "§12 (QI for Job2..Job5)", B, REQ, 0,
      S_JOB, qi_job_version, 2,
      "job answers IBackgroundCopyJob4, same identity"),
    T("QI-007", IFJ, "QueryInterface", "§12; interfaces.md §4.7", A, REQ, 0,
      S_JOB, qi_job_version, 3,
      "job answers IBackgroundCopyJob5, same identity"),
    T("QI-008", IFJ, "QueryInterface", "§12 (HttpOptions)", B, REQ, 0, S_JOB,
      qi_job_version, 4,
      "job answers IBackgroundCopyJobHttpOptions, same identity"),
    T("QI-009", IFJ, "QueryInterface", "interfaces.md §3", A, REQ, 0, S_JOB,
      qi_job_miss, 0,
      "job QI(IBackgroundCopyManager) -> E_NOINTERFACE, *ppv NULL"),
    T("QI-010", IFJ, "QueryInterface", "decisions.md D5", D, INF, 0, S_JOB,
      qi_job_do_iface, 1, "a DO job answers IDeliveryOptimizationJob"),
    T("QI-011", IFJ, "QueryInterface", "decisions.md D5", B, INF, 0, S_JOB,
      qi_job_do_iface, 0,
      "a BITS job answers E_NOINTERFACE for IDeliveryOptimizationJob"),
    T("QI-012", IFF, "QueryInterface", "§12 (QI on a file for File2..File6)", A,
      REQ, 0, S_JOB, qi_file_version, 0,
      "file answers IBackgroundCopyFile2, same identity"),
    T("QI-013", IFF, "QueryInterface", "§12 (QI on a file for File2..File6)", B,
      REQ, 0, S_JOB, qi_file_version, 1,
      "file answers IBackgroundCopyFile3, same identity"),
    T("QI-014", IFF, "QueryInterface", "§12 (QI on a file for File2..File6)", B,
      REQ, 0, S_JOB, qi_file_version, 2,
      "file answers IBackgroundCopyFile4, same identity"),
    T("QI-015", IFF, "QueryInterface", "§12; interfaces.md §5.5", A, REQ, 0,
      S_JOB, qi_file_version, 3,
      "file answers IBackgroundCopyFile5, same identity"),
    T("QI-016", IFF, "QueryInterface", "§12 (QI on a file for File2..File6)", B,
      REQ, 0, S_JOB, qi_file_version, 4,
      "file answers IBackgroundCopyFile6, same identity"),
    T("QI-017", IFEJ, "QueryInterface", "interfaces.md §3", A, REQ, 0, S_MGR,
      qi_enum_identity, 0,
      "enumerator identity; QI(IEnumBackgroundCopyFiles) -> E_NOINTERFACE"),

    /* manager */
    T("MGR-001", IFM, "CreateJob", "§14.1 MGR-02", A, REQ, 0, S_MGR, mgr_create,
      0, "S_OK, a job, a non-zero GUID equal to GetId"),
    T("MGR-002", IFM, "CreateJob", "§1 (fresh GUID per job)", A, REQ, 0, S_MGR,
      mgr_create_distinct, 0, "two jobs get two different GUIDs"),
    TI("MGR-003", IFM, "CreateJob", "§14.1 MGR-06; decisions.md R4", A, INF, 0,
       S_MGR, mgr_create_bad, 0, "NULL display name -> E_INVALIDARG, no job"),
    T("MGR-004", IFM, "CreateJob", "§14.1 MGR-06", A, REQ, D, S_MGR,
      mgr_create_bad, 1, "257-character name -> E_INVALIDARG, no job"),
    TI("MGR-005", IFM, "CreateJob", "decisions.md R4", A, INF, 0, S_MGR,
       mgr_create_bad, 2, "NULL pJobId -> E_INVALIDARG, no job"),
    TI("MGR-006", IFM, "CreateJob", "decisions.md R4", A, INF, 0, S_MGR,
       mgr_create_bad, 3, "NULL ppJob -> E_INVALIDARG, no job"),
    T("MGR-007", IFM, "CreateJob", "§13 (display name <= 256)", A, REQ, D,
      S_MGR, mgr_create_name_ok, 256,
      "256-character name accepted and read back"),
    T("MGR-008", IFM, "CreateJob", "decisions.md R4", A, INF, 0, S_MGR,
      mgr_create_name_ok, 0, "empty name accepted"),
    T("MGR-009", IFM, "CreateJob", "§14.1 JOB-02; §1 job types", B, REQ, 0,
      S_MGR, mgr_create_type, BG_JOB_TYPE_UPLOAD,
      "UPLOAD job created; GetType UPLOAD"),
    T("MGR-010", IFM, "CreateJob", "§14.1 JOB-02; §1 job types", B, REQ, 0,
      S_MGR, mgr_create_type, BG_JOB_TYPE_UPLOAD_REPLY,
      "UPLOAD_REPLY job created; GetType UPLOAD_REPLY"),
    T("MGR-011", IFM, "CreateJob", "§11 (DO: DOWNLOAD only); decisions.md R3",
      D, INF, 0, S_MGR, mgr_create_type, BG_JOB_TYPE_UPLOAD,
      "DO: UPLOAD -> E_INVALIDARG, *ppJob NULL"),
    T("MGR-012", IFM, "CreateJob", "decisions.md R3", A, INF, 0, S_MGR,
      mgr_create_type, 3, "type 3 -> E_INVALIDARG, *ppJob NULL"),
    T("MGR-013", IFM, "GetJob", "§14.1 MGR-03", A, REQ, 0, S_JOB, mgr_getjob, 0,
      "GetJob(id) -> S_OK, same id"),
    T("MGR-014", IFM, "GetJob", "§14.1 MGR-04", A, REQ, 0, S_MGR,
      mgr_getjob_unknown, 0,
      "GetJob(random GUID) -> BG_E_NOT_FOUND / DO_E_JOB_NOT_FOUND"),
    T("MGR-015", IFM, "GetJob", "decisions.md R1", A, INF, 0, S_MGR,
      mgr_getjob_unknown, 1, "GetJob miss clears *ppJob to NULL"),
    T("MGR-016", IFM, "GetJob", "§1; decisions.md D7", A, INF, 0, S_JOB,
      mgr_getjob_final, 0, "GetJob after Cancel -> NOT_FOUND (mode code)"),
    T("MGR-017", IFM, "GetJob", "§1; decisions.md D7", A, INF, 0, S_JOB,
      mgr_getjob_final, 1, "GetJob after Complete -> NOT_FOUND (mode code)"),
    T("MGR-018", IFM, "GetJob", "§1 (releasing does not cancel)", A, REQ, 0,
      S_MGR, mgr_getjob_released, 0,
      "after the last Release GetJob still finds the job, SUSPENDED"),
    TI("MGR-019", IFM, "GetJob", "decisions.md R1", A, INF, 0, S_JOB,
       mgr_getjob_null, 0, "NULL ppJob -> E_INVALIDARG"),
    T("MGR-020", IFM, "EnumJobs", "§14.1 MGR-05", A, REQ, 0, S_MGR,
      mgr_enum_grows, 0, "GetCount grows by 1 after CreateJob; job listed"),
    T("MGR-021", IFM, "EnumJobs", "§12 (snapshot); decisions.md R22", A, INF, 0,
      S_MGR, mgr_enum_snapshot, 0,
      "an enumerator does not see a job created after it"),
    T("MGR-022", IFM, "EnumJobs", "§14.1 MGR-07", A, REQ, 0, S_JOB,
      mgr_enum_final, 0, "a CANCELLED job is no longer enumerated"),
    T("MGR-023", IFM, "EnumJobs", "§14.1 MGR-07", A, REQ, 0, S_JOB,
      mgr_enum_final, 1, "an ACKNOWLEDGED job is no longer enumerated"),
    T("MGR-024", IFM, "EnumJobs", "§14.1 MGR-08", B, REQ, 0, S_MGR,
      mgr_enum_all_users, 0,
      "BG_JOB_ENUM_ALL_USERS as a user -> "
      "E_ACCESSDENIED"),
    T("MGR-025", IFM, "EnumJobs", "decisions.md R22", A, INF, 0, S_MGR,
      mgr_enum_bad_flags, 0, "unknown flag 0x2 -> E_INVALIDARG, NULL"),
    T("MGR-026", IFM, "GetErrorDescription", "§14.1 MGR-09", B, REQ, 0, S_MGR,
      mgr_errdesc, 0,
      "BG_E_NOT_FOUND, 0x0409 -> S_OK, non-empty, CoTaskMemFree'd"),
    T("MGR-027", IFM, "GetErrorDescription", "errors.md §5; decisions.md R23",
      B, INF, 0, S_MGR, mgr_errdesc_lang, 0,
      "LANGID 0x0407 -> HRESULT_FROM_WIN32(ERROR_RESOURCE_LANG_NOT_FOUND)"),

    /* job defaults */
    T("JOB-001", IFJ, "GetState", "§14.1 JOB-01; §2.2 T1", A, REQ, 0, S_JOB,
      job_default_state, 0, "a new job is SUSPENDED"),
    T("JOB-002", IFJ, "GetPriority", "§14.1 JOB-01", A, REQ, 0, S_JOB,
      job_default_priority, 0, "default priority NORMAL"),
    T("JOB-003", IFJ, "GetNotifyFlags", "§14.1 JOB-01; §5.1", A, REQ, 0, S_JOB,
      job_default_notify_flags, 0,
      "default notify flags 0x3 (TRANSFERRED | ERROR)"),
    T("JOB-004", IFJ, "GetNotifyInterface", "§14.1 JOB-01; §5.1", A, REQ, 0,
      S_JOB, job_default_notify_iface, 0, "no callback: S_OK with NULL"),
    T("JOB-005", IFJ, "GetProgress", "§14.1 JOB-01; §4.5", A, REQ, 0, S_JOB,
      job_default_progress, 0, "progress of a new job: all four fields 0"),
    T("JOB-006", IFJ, "GetMinimumRetryDelay", "§14.1 JOB-01; §3.2", A, REQ, D,
      S_JOB, job_default_retry_delay, 0, "default retry delay 600 s"),
    T("JOB-007", IFJ, "GetNoProgressTimeout", "§14.1 JOB-01; §3.3", B, REQ, 0,
      S_JOB, job_default_no_progress, 1209600,
      "default no-progress timeout 1209600 s"),
    T("JOB-008", IFJ, "GetNoProgressTimeout", "§3.3 (DO); decisions.md R18", D,
      INF, 0, S_JOB, job_default_no_progress, 86400,
      "DO: NORMAL priority job defaults to 86400 s"),
    T("JOB-009", IFJ, "GetNoProgressTimeout", "§3.3 (DO); decisions.md R18", D,
      INF, 0, S_JOB, job_do_no_progress_high, 0,
      "DO: a HIGH priority job defaults to 3600 s"),
    T("JOB-010", IFJ, "GetErrorCount", "§14.1 JOB-01; §3.7", A, REQ, D, S_JOB,
      job_default_error_count, 0, "error count of a new job 0"),
    T("JOB-011", IFJ, "GetDisplayName", "§14.1 JOB-02", A, REQ, 0, S_JOB,
      job_name_and_type, 0, "name and type as given to CreateJob"),
    T("JOB-012", IFJ, "GetDescription", "decisions.md R16", A, INF, 0, S_JOB,
      job_default_description, 0, "description never set -> \"\""),
    T("JOB-013", IFJ, "GetError", "§14.2 ST-17; §3.6", A, REQ, 0, S_JOB,
      job_default_error, 0,
      "new job -> BG_E_ / DO_E_ERROR_INFORMATION_UNAVAILABLE"),
    T("JOB-014", IFJ, "GetOwner", "§14.1 JOB-10", B, REQ, 0, S_JOB, job_owner,
      0, "owner SID string starts with \"S-1-\""),
    T("JOB-015", IFJ, "GetTimes", "§4.5 (CreationTime set at CreateJob)", A,
      REQ, 0, S_JOB, job_times, 0,
      "CreationTime non-zero, ModificationTime >= CreationTime"),
    T("JOB-016", IFJ, "GetTimes", "§4.5 (UNVERIFIED)", A, INF, 0, S_JOB,
      job_times, 1, "TransferCompletionTime zero before TRANSFERRED"),
    T("JOB-017", IFJ, "GetProxySettings", "§7.6 (PRECONFIG default)", B, REQ, 0,
      S_JOB, job_default_proxy, 0, "default proxy usage PRECONFIG"),
    T("JOB-018", IFJ, "GetProxySettings", "decisions.md R17", B, INF, 0, S_JOB,
      job_default_proxy, 1, "no lists stored -> NULL, NULL"),
    TI("JOB-019", IFJ, "GetState", "decisions.md R1", A, INF, 0, S_JOB,
       job_null_out, 0, "GetState(NULL) -> E_INVALIDARG"),
    TI("JOB-020", IFJ, "GetProgress", "decisions.md R1", A, INF, 0, S_JOB,
       job_null_out, 1, "GetProgress(NULL) -> E_INVALIDARG"),
    TI("JOB-021", IFJ, "GetDisplayName", "errors.md §5 (NULL out pointer)", A,
       REQ, D, S_JOB, job_null_out, 2, "GetDisplayName(NULL) -> E_INVALIDARG"),
    TI("JOB-022", IFJ, "GetId", "decisions.md R1", A, INF, 0, S_JOB,
       job_null_out, 3, "GetId(NULL) -> E_INVALIDARG"),
    TI("JOB-023", IFJ, "EnumFiles", "decisions.md R1", A, INF, 0, S_JOB,
       job_null_out, 4, "EnumFiles(NULL) -> E_INVALIDARG"),

    /* job setters */
    T("JOB-030", IFJ, "SetDisplayName", "§14.1 JOB-02; §12", A, REQ, D, S_JOB,
      job_set_name, 0, "SetDisplayName round-trips (non-ASCII too)"),
    T("JOB-031", IFJ, "SetDisplayName", "§14.1 JOB-03", B, REQ, 0, S_JOB,
      job_set_name_long, 0,
      "257 chars -> BG_E_STRING_TOO_LONG or E_INVALIDARG; name unchanged"),
    TI("JOB-032", IFJ, "SetDisplayName", "§14.1 JOB-03", B, REQ, 0, S_JOB,
       job_set_name_null, 0, "NULL -> E_INVALIDARG"),
    T("JOB-033", IFJ, "SetDescription", "§14.1 JOB-04; §13", B, REQ, 0, S_JOB,
      job_set_description, 1024, "1024 characters accepted, read back"),
    T("JOB-034", IFJ, "SetDescription", "§14.1 JOB-04", B, REQ, 0, S_JOB,
      job_set_description, 1025, "1025 characters -> BG_E_STRING_TOO_LONG"),
    T("JOB-035", IFJ, "SetPriority", "interfaces.md §4.3 SetPriority", A, REQ,
      0, S_JOB, job_set_priority, 0,
      "FOREGROUND, HIGH, LOW, NORMAL each read back"),
    T("JOB-036", IFJ, "SetPriority", "§14.1 JOB-05", B, REQ, 0, S_JOB,
      job_set_priority_bad, 0, "priority 4 -> E_NOTIMPL; still NORMAL"),
    T("JOB-037", IFJ, "SetNotifyFlags", "interfaces.md §4.3 SetNotifyFlags", A,
      REQ, 0, S_JOB, job_set_notify_flags, 0, "flags 0x0B read back exactly"),
    T("JOB-038", IFJ, "SetNotifyFlags", "§14.1 JOB-06", B, REQ, 0, S_JOB,
      job_set_notify_flags_bad, 0, "flag 0x40 -> E_NOTIMPL; flags unchanged"),
    T("JOB-039", IFJ, "SetNotifyInterface", "§5.1; §14.5 NTF-09", A, REQ, 0,
      S_JOB, job_set_notify_iface, 0,
      "Set(cb) -> Get returns cb AddRef'd; Set(NULL) -> Get NULL"),
    T("JOB-040", IFJ, "SetMinimumRetryDelay", "§14.1 JOB-07", B, REQ, 0, S_JOB,
      job_retry_clamp, 0, "SetMinimumRetryDelay(1) -> S_OK"),
    T("JOB-041", IFJ, "GetMinimumRetryDelay",
      "§14.1 JOB-07; decisions.md "
      "R18",
      B, INF, 0, S_JOB, job_retry_clamp, 1,
      "after Set(1) Get reports the clamped 5"),
    T("JOB-042", IFJ, "SetMinimumRetryDelay", "§3.2", B, REQ, 0, S_JOB,
      job_retry_roundtrip, 0, "Set(60) read back 60"),
    T("JOB-043", IFJ, "SetNoProgressTimeout", "§3.3", A, REQ, 0, S_JOB,
      job_no_progress_roundtrip, 0, "0, 12345, 1209600 each read back"),
    T("JOB-044", IFJ, "SetProxySettings", "§14.1 JOB-05", B, REQ, 0, S_JOB,
      job_proxy_bad, 0, "usage 4 -> E_NOTIMPL"),
    T("JOB-045", IFJ, "SetProxySettings", "§14.1 JOB-08", B, REQ, 0, S_JOB,
      job_proxy_bad, 1, "OVERRIDE with NULL list -> E_INVALIDARG"),
    T("JOB-046", IFJ, "SetProxySettings", "§14.1 JOB-08", B, REQ, 0, S_JOB,
      job_proxy_bad, 2, "NO_PROXY with a list -> E_INVALIDARG"),
    T("JOB-047", IFJ, "GetProxySettings", "§7.6", B, REQ, 0, S_JOB,
      job_proxy_roundtrip, 0, "OVERRIDE + lists read back exactly"),
    T("JOB-048", IFJ, "GetDisplayName", "§14.1 JOB-09", A, REQ, 0, S_JOB,
      job_string_copies, 0, "each Get returns a fresh caller-owned copy"),
    T("JOB-049", IFJ, "TakeOwnership", "§2.3; decisions.md R25", B, REQ, 0,
      S_JOB, job_take_ownership, 0,
      "own job -> S_OK (administrator) or E_ACCESSDENIED (user), implemented"),

    /* files */
    T("FILE-001", IFJ, "AddFile", "§4.1", A, REQ, 0, S_JOB, file_add_one, 0,
      "http URL + absolute local path -> S_OK, 1 file"),
    T("FILE-002", IFJ, "AddFile", "§14.3 FILE-06", A, REQ, D, S_JOB,
      file_add_bad, 0, "relative local path -> E_INVALIDARG, no file"),
    T("FILE-003", IFJ, "AddFile", "§14.3 FILE-06", A, REQ, D, S_JOB,
      file_add_bad, 1, "ftp:// remote -> E_INVALIDARG, no file"),
    TI("FILE-004", IFJ, "AddFile", "§4.1 (invalid names)", A, REQ, D, S_JOB,
       file_add_bad, 2, "NULL remote -> E_INVALIDARG, no file"),
    T("FILE-005", IFJ, "AddFile", "§4.1; decisions.md R13", A, INF, 0, S_JOB,
      file_add_bad, 3, "missing local directory -> E_INVALIDARG"),
    T("FILE-006", IFJ, "AddFile", "§4.1; decisions.md R13", A, INF, 0, S_JOB,
      file_add_bad, 4, "same local name twice -> E_INVALIDARG, 1 file"),
    T("FILE-007", IFEF, "Next", "§14.3 FILE-01", A, REQ, 0, S_JOB,
      file_add_order, 0, "two AddFile: GetCount 2, Next in insertion order"),
    T("FILE-008", IFF, "GetRemoteName", "§14.3 FILE-02", A, REQ, 0, S_JOB,
      file_names, 0, "remote and local names exactly as given"),
    T("FILE-009", IFF, "GetProgress", "§14.3 FILE-03", A, REQ, 0, S_JOB,
      file_progress_fresh, 0,
      "fresh file: BytesTotal BG_SIZE_UNKNOWN, 0, Completed FALSE"),
    T("FILE-010", IFJ, "GetProgress", "§14.3 FILE-10", A, REQ, D, S_JOB,
      file_job_progress, 0,
      "2 files: FilesTotal 2, BytesTotal BG_SIZE_UNKNOWN"),
    T("FILE-011", IFJ, "AddFile", "§14.3 FILE-08", B, REQ, 0, S_MGR,
      file_upload_too_many, 0,
      "upload job: second AddFile -> "
      "BG_E_TOO_MANY_FILES"),
    T("FILE-012", IFJ, "AddFileSet", "§14.3 FILE-08", B, REQ, 0, S_MGR,
      file_upload_too_many, 1,
      "upload job: AddFileSet(2) -> BG_E_TOO_MANY_FILES, adds none"),
    T("FILE-013", IFJ, "AddFileSet", "interfaces.md §4.3 AddFileSet", A, REQ, D,
      S_JOB, file_addset, 0, "AddFileSet(3) -> S_OK, 3 files"),
    T("FILE-014", IFJ, "AddFileSet", "§4.1 (all-or-nothing); R14", A, INF, 0,
      S_JOB, file_addset_atomic, 0,
      "one bad entry -> E_INVALIDARG and no file added"),
    TI("FILE-015", IFJ, "AddFileSet", "decisions.md R14", A, INF, 0, S_JOB,
       file_addset_empty, 0, "AddFileSet(0, NULL) -> E_INVALIDARG"),
    T("FILE-016", IFJ, "AddFile", "§14.3 FILE-07", A, REQ, 0, S_JOB,
      file_add_unwritable, 0,
      "local name in a directory the caller cannot write -> "
      "E_ACCESSDENIED, no file added"),

    /* states */
    T("ST-001", IFJ, "Resume", "§14.2 ST-01", A, REQ, 0, S_JOB, st_resume_empty,
      0, "no files -> BG_E_EMPTY / DO_E_JOB_EMPTY; still SUSPENDED"),
    T("ST-002", IFJ, "Suspend", "§14.2 ST-03", A, REQ, 0, S_JOB,
      st_suspend_suspended, 0, "Suspend of SUSPENDED -> S_OK, SUSPENDED"),
    T("ST-003", IFJ, "Resume", "§14.2 ST-02; §2.2 T2", A, REQ, 0, S_JOB,
      st_resume_with_file, 0, "with a file: S_OK and SUSPENDED left"),
    T("ST-004", IFJ, "Suspend", "§2.2 T14", A, REQ, 0, S_JOB,
      st_resume_with_file, 1, "Resume then Suspend -> SUSPENDED"),
    T("ST-005", IFJ, "Cancel", "§14.2 ST-07", A, REQ, 0, S_JOB, st_cancel, 0,
      "Cancel -> S_OK, CANCELLED"),
    T("ST-006", IFJ, "Cancel", "§14.2 ST-07", A, REQ, 0, S_JOB, st_cancel, 1,
      "second Cancel -> INVALID_STATE (mode code)"),
    T("ST-007", IFJ, "Complete", "§2.2 T19; §4.3", A, REQ, 0, S_JOB,
      st_complete, 0, "Complete (download, no files) -> ACKNOWLEDGED"),
    T("ST-008", IFJ, "Complete", "decisions.md R10", A, INF, 0, S_JOB,
      st_complete, 1, "Complete of an empty job -> exactly S_OK"),
    T("ST-009", IFJ, "Complete", "§14.2 ST-06", A, REQ, 0, S_JOB, st_complete,
      2, "second Complete -> INVALID_STATE (mode code)"),
    T("ST-010", IFJ, "Cancel", "§14.2 ST-06", A, REQ, 0, S_JOB, st_complete, 3,
      "Cancel after Complete -> INVALID_STATE (mode code)"),
    T("ST-011", IFJ, "Complete", "§14.2 ST-09", A, REQ, D, S_JOB,
      st_complete_partial, 0,
      "untransferred file -> BG_S_PARTIAL_COMPLETE; file absent"),
    T("ST-012", IFJ, "Complete", "§14.2 ST-10", B, REQ, 0, S_MGR,
      st_complete_upload, 0,
      "upload job before TRANSFERRED -> "
      "BG_E_INVALID_STATE"),
    T("ST-013", IFJ, "Suspend", "§14.2 ST-08", A, REQ, 0, S_JOB, st_final_calls,
      FIN_SUSPEND, "CANCELLED: Suspend -> INVALID_STATE"),
    T("ST-014", IFJ, "Resume", "§14.2 ST-08", A, REQ, 0, S_JOB, st_final_calls,
      FIN_RESUME, "CANCELLED: Resume -> INVALID_STATE"),
    T("ST-015", IFJ, "SetDisplayName", "§14.2 ST-08", A, REQ, D, S_JOB,
      st_final_calls, FIN_SETNAME,
      "CANCELLED: SetDisplayName -> INVALID_STATE"),
    T("ST-016", IFJ, "SetPriority", "§14.2 ST-08", A, REQ, 0, S_JOB,
      st_final_calls, FIN_SETPRIO, "CANCELLED: SetPriority -> INVALID_STATE"),
    T("ST-017", IFJ, "SetNotifyFlags", "§14.2 ST-08", A, REQ, 0, S_JOB,
      st_final_calls, FIN_SETFLAGS,
      "CANCELLED: SetNotifyFlags -> INVALID_STATE"),
    T("ST-018", IFJ, "SetNotifyInterface", "§14.2 ST-08", A, REQ, 0, S_JOB,
      st_final_calls, FIN_SETIFACE,
      "CANCELLED: SetNotifyInterface -> INVALID_STATE"),
    T("ST-019", IFJ, "SetMinimumRetryDelay", "§14.2 ST-08", A, REQ, D, S_JOB,
      st_final_calls, FIN_SETRETRY,
      "CANCELLED: SetMinimumRetryDelay -> INVALID_STATE"),
    T("ST-020", IFJ, "SetNoProgressTimeout", "§14.2 ST-08", A, REQ, 0, S_JOB,
      st_final_calls, FIN_SETNOPROG,
      "CANCELLED: SetNoProgressTimeout -> INVALID_STATE"),
    T("ST-021", IFJ, "SetProxySettings", "§14.2 ST-08", A, REQ, D, S_JOB,
      st_final_calls, FIN_SETPROXY,
      "CANCELLED: SetProxySettings -> INVALID_STATE"),
    T("ST-022", IFJ, "AddFile", "§14.2 ST-08", A, REQ, D, S_JOB, st_final_calls,
      FIN_ADDFILE, "CANCELLED: AddFile -> INVALID_STATE"),
    T("ST-023", IFJ, "SetDescription", "§2.3 (Set* in final states)", A, REQ, D,
      S_JOB, st_final_calls, FIN_SETDESC,
      "CANCELLED: SetDescription -> INVALID_STATE"),
    T("ST-024", IFJ, "SetNotifyInterface", "§4.3 ([WIN] after Complete)", A,
      REQ, 0, S_JOB, st_final_calls, FIN_ACK | FIN_SETIFACE,
      "ACKNOWLEDGED: SetNotifyInterface -> INVALID_STATE"),
    T("ST-025", IFJ, "Resume", "§14.2 ST-08", A, REQ, 0, S_JOB, st_final_calls,
      FIN_ACK | FIN_RESUME, "ACKNOWLEDGED: Resume -> INVALID_STATE"),
    T("ST-026", IFJ, "GetError", "§2.3 (UNVERIFIED in final states)", A, INF, 0,
      S_JOB, st_error_after_cancel, 0,
      "CANCELLED: GetError -> ERROR_INFORMATION_UNAVAILABLE"),

    /* enumerators */
    T("ENUM-001", IFEF, "Next", "§12 (Next S_OK / S_FALSE)", A, REQ, 0, S_JOB,
      enum_next_one, 0, "3 files: Next(1) x3 S_OK in order, then S_FALSE/0"),
    T("ENUM-002", IFEF, "Next", "§12", A, REQ, 0, S_JOB, enum_next_many, 0,
      "Next(5) on 3 files -> S_FALSE, fetched 3"),
    T("ENUM-003", IFEF, "Next", "§12 ([WIN] E_INVALIDARG)", A, REQ, 0, S_JOB,
      enum_next_null_fetched, 0, "Next(2, NULL fetched) -> E_INVALIDARG"),
    T("ENUM-004", IFEF, "Next", "§12", A, REQ, 0, S_JOB, enum_next_null_fetched,
      1, "Next(1, NULL fetched) -> S_OK"),
    T("ENUM-005", IFEF, "Skip", "§12 (Skip past end S_FALSE)", A, REQ, 0, S_JOB,
      enum_skip, 0, "Skip(2) S_OK then e3; Skip(5) S_FALSE at end"),
    T("ENUM-006", IFEF, "Reset", "§12 (Reset)", A, REQ, 0, S_JOB, enum_reset, 0,
      "Reset -> S_OK, Next gives the first file again"),
    T("ENUM-007", IFEF, "Clone", "§12 (Clone same position)", A, REQ, D, S_JOB,
      enum_clone, 0, "Clone at position 1 is independent"),
    T("ENUM-008", IFEF, "GetCount", "§12 (GetCount)", A, REQ, 0, S_JOB,
      enum_count, 0, "GetCount 3, unchanged by Next"),
    T("ENUM-009", IFEF, "GetCount", "§12 (snapshot); decisions.md R22", A, INF,
      0, S_JOB, enum_files_snapshot, 0,
      "AddFile after EnumFiles not seen (snapshot)"),
    T("ENUM-010", IFEF, "Release", "§12 ([WIN] Release -> 0)", A, REQ, 0, S_JOB,
      enum_release_zero, 0, "releasing the only reference returns 0"),
    T("ENUM-011", IFEJ, "Next", "§12; §14.1 MGR-05", A, REQ, 0, S_JOB,
      enum_jobs_next, 0,
      "a second job: GetCount one more, both by Next, then S_FALSE"),
    T("ENUM-012", IFEJ, "Next", "interfaces.md §4.2", A, REQ, 0, S_JOB,
      enum_jobs_null_fetched, 0, "Next(2, NULL fetched) fails"),
    T("ENUM-013", IFEJ, "Clone", "§12 (Clone, Skip, Reset)", A, REQ, 0, S_JOB,
      enum_jobs_skip_clone, 0,
      "Clone independent of Skip past end; Reset; Skip(1) S_OK"),
};

const conf_suite conf_suite_api_basics = {
    .name = "api-basics",
    .title = "API contract without transfers: factories, IUnknown, manager, "
             "job properties, files, states, enumerators",
    .cases = cases,
    .ncases = CONF_ARRAY_LEN(cases),
};
