/*
 * test_callbacks.c - IBackgroundCopyCallback/2/3 per NotifyFlags (spec 5,
 * NTF-01..11): a recording callback object counts every call in order;
 * JobTransferred once, FileTransferred once per file and before
 * JobTransferred, JobError only on ERROR, JobModification on changes,
 * BG_NOTIFY_DISABLE silences everything, an object without Callback2 gets
 * no FileTransferred, FileRangesTransferred for the requested ranges of
 * an on-demand file (the only case spec 5.2 defines it for); calls come
 * from a thread other than the caller's; re-entrancy (Complete, Cancel,
 * GetProgress, Release from inside a callback, no deadlock); a failed
 * JobTransferred / JobError is delivered again (5 s on the test clock,
 * docs/decisions.md I-series); late registration; SetNotifyInterface(NULL)
 * unregisters; nothing is called after Cancel or Complete returns.
 * NTF-12 (spec 5.3 fallback by CLSID, I25): a class object registered
 * with libdocom's CoRegisterClassObject is activated for each
 * notification of a job without a live callback; GUID_NULL, a live
 * callback, a failing activation, a callback whose process is gone and a
 * CLSID named after TRANSFERRED.
 */
#include "xfer.h"

#include <string.h>

#define WAIT_MS xwait_default()

struct cbfx {
    struct xfx fx;
    struct xcb cb;
    IBackgroundCopyJob *job;
    char hex[3][65];
};

/* A job with `nfiles` files (f0.bin.., 30000 bytes each), the callback
 * registered (unless !reg) with `flags`; rule (may be NULL) for the
 * server.  Returns 0 or -1. */
static int cb_open(struct cbfx *c, int level, DWORD flags, int nfiles,
                   const char *rules, int reg)
{
    char name[32];

    memset(c, 0, sizeof *c);
    xcb_init(&c->cb, level);
    if (xfx_open(&c->fx, XM_BITS, 0) != 0)
        return -1;
    c->job = xfx_job(&c->fx);
    if (!c->job)
        return -1;
    for (int i = 0; i < nfiles; i++) {
        snprintf(name, sizeof name, "f%d.bin", i);
        xsrv_file(&c->fx.srv, name, 30000, 80 + (unsigned)i, c->hex[i]);
        X_HR("AddFile", S_OK, xfx_add(&c->fx, c->job, name, NULL));
    }
    if (rules)
        X_U64("rules", 200, mockctl_rules(&c->fx.srv, rules));
    X_HR("SetNotifyFlags", S_OK,
         IBackgroundCopyJob_SetNotifyFlags(c->job, flags));
    if (reg)
        X_HR(
            "SetNotifyInterface", S_OK,
            IBackgroundCopyJob_SetNotifyInterface(c->job, xcb_unknown(&c->cb)));
    return 0;
}

static void cb_close(struct cbfx *c)
{
    xfx_close(&c->fx);
    X_U64("callback references all returned", 1, atomic_load(&c->cb.refs));
    xcb_fini(&c->cb);
}

/* Lets pending notifications arrive: real time and 10 s of test clock
 * (past any redelivery or notification interval). */
static void settle(struct cbfx *c)
{
    xsleep_ms(150);
    xfx_advance(&c->fx, 10000);
    xsleep_ms(150);
}

/* NTF-01 and the thread rule: default flags → JobTransferred once, from
 * a thread that is not the caller's; nothing else. */
static void transferred_once(void)
{
    struct cbfx c;

    if (cb_open(&c, 3, BG_NOTIFY_JOB_TRANSFERRED | BG_NOTIFY_JOB_ERROR, 3, NULL,
                1) != 0)
        goto out;
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(c.job));
    X_STATE("state", BG_JOB_STATE_TRANSFERRED,
            xwait_mask(c.job, XS_FINAL_ISH, WAIT_MS, NULL));
    X_U64("JobTransferred", 1, xcb_wait(&c.cb, XEV_TRANSFERRED, 1, WAIT_MS));
    settle(&c);
    X_U64("JobTransferred once", 1, xcb_count(&c.cb, XEV_TRANSFERRED));
    X_U64("JobError", 0, xcb_count(&c.cb, XEV_ERROR));
    X_U64("FileTransferred (flag not set)", 0, xcb_count(&c.cb, XEV_FILE));
    X_U64("JobModification (flag not set)", 0,
          xcb_count(&c.cb, XEV_MODIFICATION));
    X_U64("calls on the caller's thread", 0, c.cb.on_test_thread);
    X_HR("Complete", S_OK, IBackgroundCopyJob_Complete(c.job));
out:
    cb_close(&c);
}

/* NTF-05: FileTransferred once per file, all before JobTransferred. */
static void file_transferred_order(void)
{
    struct cbfx c;
    int seen[3] = {0}, after = 0, tpos = -1;

    if (cb_open(&c, 2, BG_NOTIFY_JOB_TRANSFERRED | BG_NOTIFY_FILE_TRANSFERRED,
                3, NULL, 1) != 0)
        goto out;
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(c.job));
    X_U64("JobTransferred", 1, xcb_wait(&c.cb, XEV_TRANSFERRED, 1, WAIT_MS));
    settle(&c);
    X_U64("FileTransferred per file", 3, xcb_count(&c.cb, XEV_FILE));
    pthread_mutex_lock(&c.cb.mu);
    for (int i = 0; i < c.cb.nev; i++) {
        if (c.cb.ev[i].kind == XEV_TRANSFERRED && tpos < 0)
            tpos = i;
        if (c.cb.ev[i].kind == XEV_FILE) {
            int k = -1;
            sscanf(c.cb.ev[i].name, "f%d.bin", &k);
            if (k >= 0 && k < 3)
                seen[k]++;
            if (tpos >= 0)
                after++;
        }
    }
    pthread_mutex_unlock(&c.cb.mu);
    for (int k = 0; k < 3; k++)
        X_U64("FileTransferred for this file", 1, seen[k]);
    X_U64("FileTransferred after JobTransferred", 0, after);
    X_U64("JobTransferred once", 1, xcb_count(&c.cb, XEV_TRANSFERRED));
out:
    cb_close(&c);
}

/* NTF-11: an object without IBackgroundCopyCallback2 gets JobTransferred
 * but no FileTransferred. */
static void level1_no_file_calls(void)
{
    struct cbfx c;

    if (cb_open(&c, 1, BG_NOTIFY_JOB_TRANSFERRED | BG_NOTIFY_FILE_TRANSFERRED,
                2, NULL, 1) != 0)
        goto out;
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(c.job));
    X_U64("JobTransferred", 1, xcb_wait(&c.cb, XEV_TRANSFERRED, 1, WAIT_MS));
    settle(&c);
    X_U64("FileTransferred", 0, xcb_count(&c.cb, XEV_FILE));
out:
    cb_close(&c);
}

/* NTF-06: JobModification on a property change and during a transfer. */
static void modification(void)
{
    struct cbfx c;

    if (cb_open(&c, 3, BG_NOTIFY_JOB_MODIFICATION | BG_NOTIFY_JOB_TRANSFERRED,
                1, "match path=/f0.bin action=chunk-delay ms=20 size=4096\n",
                1) != 0)
        goto out;
    X_HR("SetDescription", S_OK,
         IBackgroundCopyJob_SetDescription(c.job, u"changed"));
    xfx_advance(&c.fx, 1000);
    X_TRUE("JobModification after SetDescription",
           xcb_wait(&c.cb, XEV_MODIFICATION, 1, WAIT_MS) >= 1);
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(c.job));
    {
        int before = xcb_count(&c.cb, XEV_MODIFICATION);
        for (int i = 0; i < 40 && xcb_count(&c.cb, XEV_MODIFICATION) <= before;
             i++) {
            xsleep_ms(25);
            xfx_advance(&c.fx, 600);
        }
        X_TRUE("JobModification during the transfer",
               xcb_count(&c.cb, XEV_MODIFICATION) > before);
    }
    X_U64("JobTransferred", 1, xcb_wait(&c.cb, XEV_TRANSFERRED, 1, WAIT_MS));
out:
    cb_close(&c);
}

/* NTF-03: JobError on ERROR (404) with the error object's values; never
 * for TRANSIENT_ERROR (503 once, then the retry succeeds). */
static void job_error(void)
{
    struct cbfx c;

    if (cb_open(&c, 2, BG_NOTIFY_JOB_TRANSFERRED | BG_NOTIFY_JOB_ERROR, 1,
                "match path=/f0.bin action=status code=404\n", 1) != 0)
        goto out;
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(c.job));
    X_U64("JobError", 1, xcb_wait(&c.cb, XEV_ERROR, 1, WAIT_MS));
    settle(&c);
    X_U64("JobError once", 1, xcb_count(&c.cb, XEV_ERROR));
    X_U64("JobTransferred", 0, xcb_count(&c.cb, XEV_TRANSFERRED));
    if (c.cb.nev > 0 && c.cb.ev[0].kind == XEV_ERROR) {
        X_HR("JobError code", BG_E_HTTP_ERROR_404, c.cb.ev[0].code);
        X_U64("JobError context", BG_ERROR_CONTEXT_REMOTE_FILE, c.cb.ev[0].ctx);
    }
out:
    cb_close(&c);
}

static void no_job_error_when_transient(void)
{
    struct cbfx c;

    if (cb_open(&c, 2, BG_NOTIFY_JOB_TRANSFERRED | BG_NOTIFY_JOB_ERROR, 1,
                "match path=/f0.bin nth=1 action=status code=503\n", 1) != 0)
        goto out;
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(c.job));
    X_STATE("503", BG_JOB_STATE_TRANSIENT_ERROR,
            xwait_mask(c.job, XS_FINAL_ISH, WAIT_MS, NULL));
    xsleep_ms(150);
    X_U64("no JobError for TRANSIENT_ERROR", 0, xcb_count(&c.cb, XEV_ERROR));
    xfx_advance(&c.fx, 601000);
    X_U64("JobTransferred after the retry", 1,
          xcb_wait(&c.cb, XEV_TRANSFERRED, 1, WAIT_MS));
    X_U64("still no JobError", 0, xcb_count(&c.cb, XEV_ERROR));
out:
    cb_close(&c);
}

/* NTF-07: BG_NOTIFY_DISABLE suppresses every callback. */
static void disable(void)
{
    struct cbfx c;

    if (cb_open(&c, 3,
                BG_NOTIFY_DISABLE | BG_NOTIFY_JOB_TRANSFERRED |
                    BG_NOTIFY_JOB_ERROR | BG_NOTIFY_JOB_MODIFICATION |
                    BG_NOTIFY_FILE_TRANSFERRED,
                2, NULL, 1) != 0)
        goto out;
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(c.job));
    X_STATE("state", BG_JOB_STATE_TRANSFERRED,
            xwait_mask(c.job, XS_FINAL_ISH, WAIT_MS, NULL));
    settle(&c);
    X_U64("no call at all", 0, c.cb.nev);
out:
    cb_close(&c);
}

/* Re-entrancy rows: the callback acts on the job from inside. */
static void reentrant(enum xcb_action a, int error)
{
    struct cbfx c;
    char got[65];

    if (cb_open(&c, 2, BG_NOTIFY_JOB_TRANSFERRED | BG_NOTIFY_JOB_ERROR, 1,
                error ? "match path=/f0.bin action=status code=404\n" : NULL,
                1) != 0)
        goto out;
    if (error)
        c.cb.on_error = a;
    else
        c.cb.on_transferred = a;
    if (a == XCB_COMPLETE_RELEASE) {
        IBackgroundCopyJob_AddRef(c.job);
        c.cb.held = c.job;
    }
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(c.job));
    for (int i = 0; i < WAIT_MS && !c.cb.action_done; i++)
        xsleep_ms(1);
    pthread_mutex_lock(&c.cb.mu);
    X_U64("action ran", 1, c.cb.action_done);
    X_HR("action result", S_OK, c.cb.action_hr);
    pthread_mutex_unlock(&c.cb.mu);
    switch (a) {
    case XCB_COMPLETE:
    case XCB_COMPLETE_RELEASE:
        X_STATE("after Complete inside", BG_JOB_STATE_ACKNOWLEDGED,
                xjob_state(c.job));
        xfx_hash(&c.fx, "f0.bin", got);
        X_STR("delivered", c.hex[0], got);
        X_TRUE("held reference released", c.cb.held == NULL);
        break;
    case XCB_CANCEL:
        X_STATE("after Cancel inside", BG_JOB_STATE_CANCELLED,
                xjob_state(c.job));
        X_U64("temporary files left", 0, xfx_temp_count(&c.fx));
        break;
    case XCB_PROGRESS:
        X_U64("GetProgress inside: bytes", 30000,
              c.cb.action_progress.BytesTransferred);
        X_U64("GetProgress inside: files", 1,
              c.cb.action_progress.FilesTransferred);
        break;
    case XCB_NONE:
        break;
    }
out:
    cb_close(&c);
}
static void complete_inside(void)
{
    reentrant(XCB_COMPLETE, 0);
}
static void cancel_inside_error(void)
{
    reentrant(XCB_CANCEL, 1);
}
static void progress_inside(void)
{
    reentrant(XCB_PROGRESS, 0);
}
static void complete_release_inside(void)
{
    reentrant(XCB_COMPLETE_RELEASE, 0);
}

/* NTF-02 / NTF-04: a failed JobTransferred / JobError is delivered again
 * (on the test clock), once it succeeds no more. */
static void redelivery(int error)
{
    struct cbfx c;
    enum xev_kind k = error ? XEV_ERROR : XEV_TRANSFERRED;

    if (cb_open(&c, 2, BG_NOTIFY_JOB_TRANSFERRED | BG_NOTIFY_JOB_ERROR, 1,
                error ? "match path=/f0.bin action=status code=404\n" : NULL,
                1) != 0)
        goto out;
    if (error)
        c.cb.fail_error = 1;
    else
        c.cb.fail_transferred = 1;
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(c.job));
    X_U64("first call", 1, xcb_wait(&c.cb, k, 1, WAIT_MS));
    for (int i = 0; i < 50 && xcb_count(&c.cb, k) < 2; i++) {
        xfx_advance(&c.fx, 6000);
        xsleep_ms(20);
    }
    X_U64("delivered again after E_FAIL", 2, xcb_count(&c.cb, k));
    settle(&c);
    settle(&c);
    X_U64("not again after S_OK", 2, xcb_count(&c.cb, k));
out:
    cb_close(&c);
}
static void transferred_redelivered(void)
{
    redelivery(0);
}
static void error_redelivered(void)
{
    redelivery(1);
}

/* NTF-08: registering after TRANSFERRED still yields JobTransferred. */
static void late_registration(void)
{
    struct cbfx c;

    if (cb_open(&c, 2, BG_NOTIFY_JOB_TRANSFERRED | BG_NOTIFY_JOB_ERROR, 1, NULL,
                0) != 0)
        goto out;
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(c.job));
    X_STATE("state", BG_JOB_STATE_TRANSFERRED,
            xwait_mask(c.job, XS_FINAL_ISH, WAIT_MS, NULL));
    X_HR("SetNotifyInterface", S_OK,
         IBackgroundCopyJob_SetNotifyInterface(c.job, xcb_unknown(&c.cb)));
    X_U64("JobTransferred after late registration", 1,
          xcb_wait(&c.cb, XEV_TRANSFERRED, 1, WAIT_MS));
out:
    cb_close(&c);
}

/* NTF-09: SetNotifyInterface(NULL) unregisters. */
static void unregistered(void)
{
    struct cbfx c;

    if (cb_open(&c, 2, BG_NOTIFY_JOB_TRANSFERRED | BG_NOTIFY_JOB_ERROR, 1, NULL,
                1) != 0)
        goto out;
    X_HR("SetNotifyInterface(NULL)", S_OK,
         IBackgroundCopyJob_SetNotifyInterface(c.job, NULL));
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(c.job));
    X_STATE("state", BG_JOB_STATE_TRANSFERRED,
            xwait_mask(c.job, XS_FINAL_ISH, WAIT_MS, NULL));
    settle(&c);
    X_U64("no call", 0, c.cb.nev);
out:
    cb_close(&c);
}

/* Nothing is called after Cancel / Complete returns, even with a
 * transfer and modifications in flight. */
static void nothing_after(int complete)
{
    struct cbfx c;

    if (cb_open(&c, 3,
                BG_NOTIFY_JOB_TRANSFERRED | BG_NOTIFY_JOB_ERROR |
                    BG_NOTIFY_JOB_MODIFICATION | BG_NOTIFY_FILE_TRANSFERRED,
                2, "match path=/f1.bin action=chunk-delay ms=50 size=1024\n",
                1) != 0)
        goto out;
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(c.job));
    xwait_mask(c.job, XS(BG_JOB_STATE_TRANSFERRING) | XS_FINAL_ISH, WAIT_MS,
               NULL);
    xwait_bytes(c.job, 30000 + 4096, WAIT_MS);
    if (complete)
        X_HR("Complete mid-transfer", BG_S_PARTIAL_COMPLETE,
             IBackgroundCopyJob_Complete(c.job));
    else
        X_HR("Cancel mid-transfer", S_OK, IBackgroundCopyJob_Cancel(c.job));
    xcb_close(&c.cb);
    settle(&c);
    X_U64("calls after it returned", 0, xcb_late(&c.cb));
    X_U64("temporary files left", 0, xfx_temp_count(&c.fx));
out:
    cb_close(&c);
}
static void nothing_after_cancel(void)
{
    nothing_after(0);
}
static void nothing_after_complete(void)
{
    nothing_after(1);
}

/* Spec 5.2 / 8.1 / I20: an ON_DEMAND_MODE job's file, range {2,4}
 * requested with File6::RequestFileRanges → FileRangesTransferred for that
 * file with exactly that range; the file is still fetched whole, and
 * GetFilledFileRanges then answers {0, 20}. */
static void on_demand_ranges(void)
{
    static const BG_FILE_RANGE r[] = {{2, 4}};
    struct cbfx c;
    IBackgroundCopyJob5 *j5 = NULL;
    IBackgroundCopyFile *f = NULL;
    IBackgroundCopyFile6 *f6 = NULL;
    BITS_JOB_PROPERTY_VALUE v;
    DWORD n = 0xdeadbeef;
    BG_FILE_RANGE *filled = NULL;
    int got = 0;

    if (cb_open(&c, 3,
                BG_NOTIFY_JOB_TRANSFERRED | BG_NOTIFY_FILE_RANGES_TRANSFERRED,
                0, NULL, 1) != 0)
        goto out;
    mockctl_put(&c.fx.srv, "t.txt", "0123456789abcdefghij", 20);
    j5 = xqi(c.job, &IID_IBackgroundCopyJob5);
    memset(&v, 0, sizeof v);
    v.Enable = TRUE;
    if (j5)
        X_HR("ON_DEMAND_MODE", S_OK,
             IBackgroundCopyJob5_SetProperty(
                 j5, BITS_JOB_PROPERTY_ON_DEMAND_MODE, v));
    X_HR("AddFile", S_OK, xfx_add(&c.fx, c.job, "t.txt", NULL));
    f = xjob_file(c.job, 0);
    f6 = f ? xqi(f, &IID_IBackgroundCopyFile6) : NULL;
    if (!f6)
        goto out;
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(c.job));
    X_HR("RequestFileRanges", S_OK,
         IBackgroundCopyFile6_RequestFileRanges(f6, 1, r));
    X_TRUE("FileRangesTransferred called",
           xcb_wait(&c.cb, XEV_RANGES, 1, WAIT_MS) >= 1);
    pthread_mutex_lock(&c.cb.mu);
    for (int i = 0; i < c.cb.nev; i++)
        if (c.cb.ev[i].kind == XEV_RANGES && c.cb.ev[i].nranges == 1 &&
            c.cb.ev[i].range0_off == 2 && c.cb.ev[i].range0_len == 4 &&
            strcmp(c.cb.ev[i].name, "t.txt") == 0)
            got++;
    pthread_mutex_unlock(&c.cb.mu);
    X_U64("FileRangesTransferred(t.txt, {2,4})", 1, got);
    X_STATE("fetched whole (I20)", BG_JOB_STATE_TRANSFERRED,
            xwait_mask(c.job, XS_FINAL_ISH, WAIT_MS, NULL));
    X_HR("GetFilledFileRanges", S_OK,
         IBackgroundCopyFile6_GetFilledFileRanges(f6, &n, &filled));
    X_U64("filled ranges", 1, n);
    if (filled && n == 1) {
        X_U64("filled offset (I20: {0, bytes on disk})", 0,
              filled[0].InitialOffset);
        X_U64("filled length", 20, filled[0].Length);
    }
    CoTaskMemFree(filled);
out:
    xrelease(f6);
    xrelease(f);
    xrelease(j5);
    cb_close(&c);
}

/* ---- NTF-12: fallback by CLSID (I25) ----------------------------------- */

/* A class no one else serves. */
static const CLSID clsid_fallback = {
    0x9e27c4a1,
    0x51d3,
    0x4f60,
    {0xb8, 0x0e, 0x27, 0x5c, 0x91, 0x4a, 0x3d, 0x66}};

/* The class object the tests register: every CreateInstance hands out
 * the recording callback `target` (so one object records the calls of
 * every instance) and counts the activations; the first `fail_first`
 * activations fail with E_OUTOFMEMORY. */
struct xcls {
    IClassFactory iface;
    atomic_int refs;
    atomic_int attempts;    /* CreateInstance calls */
    atomic_int activations; /* ... that handed out an object */
    atomic_int fail_first;
    IUnknown *target;
    DWORD cookie;
};

static struct xcls *xcls_from(IClassFactory *iface)
{
    return (struct xcls *)(void *)iface;
}

static HRESULT STDMETHODCALLTYPE xcls_QueryInterface(IClassFactory *This,
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

static ULONG STDMETHODCALLTYPE xcls_AddRef(IClassFactory *This)
{
    return (ULONG)atomic_fetch_add(&xcls_from(This)->refs, 1) + 1;
}

static ULONG STDMETHODCALLTYPE xcls_Release(IClassFactory *This)
{
    return (ULONG)atomic_fetch_sub(&xcls_from(This)->refs, 1) - 1;
}

static HRESULT STDMETHODCALLTYPE xcls_CreateInstance(IClassFactory *This,
                                                     IUnknown *outer,
                                                     REFIID riid, void **ppv)
{
    struct xcls *k = xcls_from(This);
    HRESULT hr;

    if (!ppv)
        return E_POINTER;
    *ppv = NULL;
    atomic_fetch_add(&k->attempts, 1);
    if (outer)
        return CLASS_E_NOAGGREGATION;
    if (atomic_load(&k->fail_first) > 0) {
        atomic_fetch_sub(&k->fail_first, 1);
        return E_OUTOFMEMORY;
    }
    hr = k->target->lpVtbl->QueryInterface(k->target, riid, ppv);
    if (SUCCEEDED(hr))
        atomic_fetch_add(&k->activations, 1);
    return hr;
}

static HRESULT STDMETHODCALLTYPE xcls_LockServer(IClassFactory *This,
                                                 BOOL fLock)
{
    (void)This;
    (void)fLock;
    return S_OK;
}

static const IClassFactoryVtbl xcls_vtbl = {xcls_QueryInterface, xcls_AddRef,
                                            xcls_Release, xcls_CreateInstance,
                                            xcls_LockServer};

/* Registers a class object for clsid_fallback (CLSCTX_LOCAL_SERVER, as
 * the service asks) handing out `target`. */
static void xcls_register(struct xcls *k, IUnknown *target)
{
    memset(k, 0, sizeof *k);
    k->iface.lpVtbl = &xcls_vtbl;
    atomic_store(&k->refs, 1);
    k->target = target;
    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    X_HR("CoRegisterClassObject", S_OK,
         CoRegisterClassObject(&clsid_fallback, (IUnknown *)(void *)&k->iface,
                               CLSCTX_LOCAL_SERVER, REGCLS_MULTIPLEUSE,
                               &k->cookie));
}

/* Revokes it; every reference libdocom and the service took is back. */
static void xcls_revoke(struct xcls *k)
{
    X_HR("CoRevokeClassObject", S_OK, CoRevokeClassObject(k->cookie));
    X_U64("class object references all returned", 1, atomic_load(&k->refs));
    CoUninitialize();
}

/* Job5 SetProperty(NOTIFICATION_CLSID) and the value read back. */
static void set_clsid(IBackgroundCopyJob *job, const GUID *clsid)
{
    IBackgroundCopyJob5 *j5 = xqi(job, &IID_IBackgroundCopyJob5);
    BITS_JOB_PROPERTY_VALUE v;

    if (!j5)
        return;
    memset(&v, 0, sizeof v);
    v.ClsID = *clsid;
    X_HR("SetProperty(NOTIFICATION_CLSID)", S_OK,
         IBackgroundCopyJob5_SetProperty(
             j5, BITS_JOB_PROPERTY_NOTIFICATION_CLSID, v));
    memset(&v, 0xee, sizeof v);
    X_HR("GetProperty(NOTIFICATION_CLSID)", S_OK,
         IBackgroundCopyJob5_GetProperty(
             j5, BITS_JOB_PROPERTY_NOTIFICATION_CLSID, &v));
    X_TRUE("NOTIFICATION_CLSID read back", IsEqualGUID(&v.ClsID, clsid));
    xrelease(j5);
}

/* The recorded kinds in order, one letter each (T E M F R). */
static void cb_kinds(struct xcb *cb, char *out, size_t len)
{
    static const char letters[XEV_KINDS] = {'T', 'E', 'M', 'F', 'R'};
    size_t n = 0;

    pthread_mutex_lock(&cb->mu);
    for (int i = 0; i < cb->nev && n + 1 < len; i++)
        out[n++] = letters[cb->ev[i].kind];
    pthread_mutex_unlock(&cb->mu);
    out[n] = '\0';
}

/* No interface registered: each notification (flags 0x13: FileTransferred
 * for both files, then JobTransferred) goes to a new instance of the
 * class: F F T on the activated object, three activations. */
static void clsid_activated(void)
{
    struct cbfx c;
    struct xcls k;
    char seq[16];

    if (cb_open(&c, 2, BG_NOTIFY_JOB_TRANSFERRED | BG_NOTIFY_FILE_TRANSFERRED,
                2, NULL, 0) != 0)
        goto out;
    xcls_register(&k, xcb_unknown(&c.cb));
    set_clsid(c.job, &clsid_fallback);
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(c.job));
    X_U64("JobTransferred on the activated object", 1,
          xcb_wait(&c.cb, XEV_TRANSFERRED, 1, WAIT_MS));
    settle(&c);
    cb_kinds(&c.cb, seq, sizeof seq);
    X_STR("calls in order", "FFT", seq);
    pthread_mutex_lock(&c.cb.mu);
    if (c.cb.nev == 3) {
        X_STR("first file", "f0.bin", c.cb.ev[0].name);
        X_STR("second file", "f1.bin", c.cb.ev[1].name);
    }
    pthread_mutex_unlock(&c.cb.mu);
    X_U64("activations (one per call)", 3, atomic_load(&k.activations));
    X_U64("activation attempts", 3, atomic_load(&k.attempts));
    X_U64("calls on the caller's thread", 0, c.cb.on_test_thread);
    X_HR("Complete", S_OK, IBackgroundCopyJob_Complete(c.job));
    xcls_revoke(&k);
out:
    cb_close(&c);
}

/* JobError (404) reaches the activated object with the error's values. */
static void clsid_job_error(void)
{
    struct cbfx c;
    struct xcls k;
    char seq[16];

    if (cb_open(&c, 2, BG_NOTIFY_JOB_TRANSFERRED | BG_NOTIFY_JOB_ERROR, 1,
                "match path=/f0.bin action=status code=404\n", 0) != 0)
        goto out;
    xcls_register(&k, xcb_unknown(&c.cb));
    set_clsid(c.job, &clsid_fallback);
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(c.job));
    X_U64("JobError on the activated object", 1,
          xcb_wait(&c.cb, XEV_ERROR, 1, WAIT_MS));
    settle(&c);
    cb_kinds(&c.cb, seq, sizeof seq);
    X_STR("calls", "E", seq);
    if (c.cb.nev == 1) {
        X_HR("JobError code", BG_E_HTTP_ERROR_404, c.cb.ev[0].code);
        X_U64("JobError context", BG_ERROR_CONTEXT_REMOTE_FILE, c.cb.ev[0].ctx);
    }
    X_U64("activations", 1, atomic_load(&k.activations));
    X_STATE("state", BG_JOB_STATE_ERROR, xjob_state(c.job));
    X_HR("Cancel", S_OK, IBackgroundCopyJob_Cancel(c.job));
    xcls_revoke(&k);
out:
    cb_close(&c);
}

/* GUID_NULL removes the class: nothing is activated. */
static void clsid_null_removes(void)
{
    struct cbfx c;
    struct xcls k;

    if (cb_open(&c, 2, BG_NOTIFY_JOB_TRANSFERRED | BG_NOTIFY_JOB_ERROR, 1, NULL,
                0) != 0)
        goto out;
    xcls_register(&k, xcb_unknown(&c.cb));
    set_clsid(c.job, &clsid_fallback);
    set_clsid(c.job, &GUID_NULL);
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(c.job));
    X_STATE("state", BG_JOB_STATE_TRANSFERRED,
            xwait_mask(c.job, XS_FINAL_ISH, WAIT_MS, NULL));
    settle(&c);
    X_U64("activation attempts", 0, atomic_load(&k.attempts));
    X_U64("calls", 0, c.cb.nev);
    xcls_revoke(&k);
out:
    cb_close(&c);
}

/* A live callback takes precedence: it gets JobTransferred once, the
 * class is never activated. */
static void clsid_live_first(void)
{
    struct cbfx c;
    struct xcb other;
    struct xcls k;

    xcb_init(&other, 3);
    if (cb_open(&c, 2, BG_NOTIFY_JOB_TRANSFERRED | BG_NOTIFY_JOB_ERROR, 1, NULL,
                1) != 0)
        goto out;
    xcls_register(&k, xcb_unknown(&other));
    set_clsid(c.job, &clsid_fallback);
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(c.job));
    X_U64("JobTransferred on the live callback", 1,
          xcb_wait(&c.cb, XEV_TRANSFERRED, 1, WAIT_MS));
    settle(&c);
    X_U64("live callback: calls", 1, c.cb.nev);
    X_U64("activation attempts", 0, atomic_load(&k.attempts));
    X_U64("class instance: calls", 0, other.nev);
    xcls_revoke(&k);
out:
    cb_close(&c);
    X_U64("other callback references", 1, atomic_load(&other.refs));
    xcb_fini(&other);
}

/* A failing activation is a failed JobTransferred: activated again 5 s
 * later on the clock (I13, I25), then delivered once. */
static void clsid_activation_fails(void)
{
    struct cbfx c;
    struct xcls k;

    if (cb_open(&c, 2, BG_NOTIFY_JOB_TRANSFERRED | BG_NOTIFY_JOB_ERROR, 1, NULL,
                0) != 0)
        goto out;
    xcls_register(&k, xcb_unknown(&c.cb));
    atomic_store(&k.fail_first, 1);
    set_clsid(c.job, &clsid_fallback);
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(c.job));
    X_STATE("state", BG_JOB_STATE_TRANSFERRED,
            xwait_mask(c.job, XS_FINAL_ISH, WAIT_MS, NULL));
    for (int i = 0; i < WAIT_MS / 10 && atomic_load(&k.attempts) < 1; i++)
        xsleep_ms(10);
    xsleep_ms(100);
    X_U64("first attempt failed, no call yet", 0, c.cb.nev);
    X_U64("attempts before the redelivery delay", 1, atomic_load(&k.attempts));
    for (int i = 0; i < 50 && xcb_count(&c.cb, XEV_TRANSFERRED) < 1; i++) {
        xfx_advance(&c.fx, 6000);
        xsleep_ms(20);
    }
    X_U64("JobTransferred after the redelivery", 1,
          xcb_count(&c.cb, XEV_TRANSFERRED));
    settle(&c);
    X_U64("JobTransferred once", 1, xcb_count(&c.cb, XEV_TRANSFERRED));
    X_U64("activation attempts", 2, atomic_load(&k.attempts));
    X_U64("activations", 1, atomic_load(&k.activations));
    xcls_revoke(&k);
out:
    cb_close(&c);
}

/* A registered callback whose process is gone answers RPC_E_DISCONNECTED:
 * the registration is dropped and the same JobTransferred goes to the
 * class at once (spec 5.3 "callback object is gone", I25). */
struct xdead {
    IBackgroundCopyCallback iface;
    atomic_int refs;
    atomic_int calls;
};

static HRESULT STDMETHODCALLTYPE
dead_QueryInterface(IBackgroundCopyCallback *This, REFIID riid, void **ppv)
{
    if (!ppv)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) ||
        IsEqualIID(riid, &IID_IBackgroundCopyCallback)) {
        *ppv = This;
        This->lpVtbl->AddRef(This);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE dead_AddRef(IBackgroundCopyCallback *This)
{
    return (ULONG)atomic_fetch_add(&((struct xdead *)(void *)This)->refs, 1) +
           1;
}

static ULONG STDMETHODCALLTYPE dead_Release(IBackgroundCopyCallback *This)
{
    return (ULONG)atomic_fetch_sub(&((struct xdead *)(void *)This)->refs, 1) -
           1;
}

static HRESULT STDMETHODCALLTYPE
dead_JobTransferred(IBackgroundCopyCallback *This, IBackgroundCopyJob *job)
{
    (void)job;
    atomic_fetch_add(&((struct xdead *)(void *)This)->calls, 1);
    return RPC_E_DISCONNECTED;
}

static HRESULT STDMETHODCALLTYPE dead_JobError(IBackgroundCopyCallback *This,
                                               IBackgroundCopyJob *job,
                                               IBackgroundCopyError *err)
{
    (void)job;
    (void)err;
    atomic_fetch_add(&((struct xdead *)(void *)This)->calls, 1);
    return RPC_E_DISCONNECTED;
}

static HRESULT STDMETHODCALLTYPE dead_JobModification(
    IBackgroundCopyCallback *This, IBackgroundCopyJob *job, DWORD reserved)
{
    (void)job;
    (void)reserved;
    atomic_fetch_add(&((struct xdead *)(void *)This)->calls, 1);
    return RPC_E_DISCONNECTED;
}

static const IBackgroundCopyCallbackVtbl dead_vtbl = {
    dead_QueryInterface, dead_AddRef,   dead_Release,
    dead_JobTransferred, dead_JobError, dead_JobModification};

static void clsid_callback_gone(void)
{
    struct cbfx c;
    struct xcls k;
    struct xdead d = {.iface = {.lpVtbl = &dead_vtbl}};
    IUnknown *now = (IUnknown *)(uintptr_t)0xdeadbeefu;

    atomic_store(&d.refs, 1);
    if (cb_open(&c, 2, BG_NOTIFY_JOB_TRANSFERRED | BG_NOTIFY_JOB_ERROR, 1, NULL,
                0) != 0)
        goto out;
    X_HR("SetNotifyInterface(dead)", S_OK,
         IBackgroundCopyJob_SetNotifyInterface(c.job,
                                               (IUnknown *)(void *)&d.iface));
    xcls_register(&k, xcb_unknown(&c.cb));
    set_clsid(c.job, &clsid_fallback);
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(c.job));
    X_U64("JobTransferred on the activated object", 1,
          xcb_wait(&c.cb, XEV_TRANSFERRED, 1, WAIT_MS));
    settle(&c);
    X_U64("the dead callback was tried once", 1, atomic_load(&d.calls));
    X_U64("activated object: calls", 1, c.cb.nev);
    X_U64("activations", 1, atomic_load(&k.activations));
    X_HR("GetNotifyInterface", S_OK,
         IBackgroundCopyJob_GetNotifyInterface(c.job, &now));
    X_TRUE("the dead registration is dropped", now == NULL);
    X_U64("dead callback references all returned", 1, atomic_load(&d.refs));
    xcls_revoke(&k);
out:
    cb_close(&c);
}

/* A CLSID named after TRANSFERRED gets JobTransferred, as a late
 * SetNotifyInterface does (I16, I25). */
static void clsid_late(void)
{
    struct cbfx c;
    struct xcls k;

    if (cb_open(&c, 2, BG_NOTIFY_JOB_TRANSFERRED | BG_NOTIFY_JOB_ERROR, 1, NULL,
                0) != 0)
        goto out;
    xcls_register(&k, xcb_unknown(&c.cb));
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(c.job));
    X_STATE("state", BG_JOB_STATE_TRANSFERRED,
            xwait_mask(c.job, XS_FINAL_ISH, WAIT_MS, NULL));
    settle(&c);
    X_U64("nothing before the CLSID", 0, atomic_load(&k.attempts));
    set_clsid(c.job, &clsid_fallback);
    X_U64("JobTransferred after the CLSID was set", 1,
          xcb_wait(&c.cb, XEV_TRANSFERRED, 1, WAIT_MS));
    settle(&c);
    X_U64("activations", 1, atomic_load(&k.activations));
    X_U64("calls", 1, c.cb.nev);
    xcls_revoke(&k);
out:
    cb_close(&c);
}

CU_TestInfo xfer_tests_callbacks[] = {
    {"JobTransferred once, notification thread", transferred_once},
    {"FileTransferred per file before JobTransferred", file_transferred_order},
    {"no FileTransferred without Callback2", level1_no_file_calls},
    {"JobModification on changes", modification},
    {"JobError on a fatal error", job_error},
    {"no JobError on a transient error", no_job_error_when_transient},
    {"BG_NOTIFY_DISABLE silences all", disable},
    {"Complete from JobTransferred", complete_inside},
    {"Cancel from JobError", cancel_inside_error},
    {"GetProgress from JobTransferred", progress_inside},
    {"Complete and Release from JobTransferred", complete_release_inside},
    {"failed JobTransferred delivered again", transferred_redelivered},
    {"failed JobError delivered again", error_redelivered},
    {"registration after TRANSFERRED", late_registration},
    {"SetNotifyInterface(NULL) unregisters", unregistered},
    {"nothing after Cancel returns", nothing_after_cancel},
    {"nothing after Complete returns", nothing_after_complete},
    {"FileRangesTransferred for on-demand ranges", on_demand_ranges},
    {"NOTIFICATION_CLSID: class activated per call", clsid_activated},
    {"NOTIFICATION_CLSID: JobError to the class", clsid_job_error},
    {"NOTIFICATION_CLSID: GUID_NULL removes it", clsid_null_removes},
    {"NOTIFICATION_CLSID: live callback first", clsid_live_first},
    {"NOTIFICATION_CLSID: failed activation retried", clsid_activation_fails},
    {"NOTIFICATION_CLSID: callback gone -> class", clsid_callback_gone},
    {"NOTIFICATION_CLSID: set after TRANSFERRED", clsid_late},
    CU_TEST_INFO_NULL,
};
