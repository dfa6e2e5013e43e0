/*
 * xfer_support.c - the COM side of the transfer tests' tools: assertion
 * messages, the per-case fixture (a manager made through DllGetClassObject,
 * its IDoctsTestClock, an h2mock, a download directory, tracked jobs),
 * waits with deadlines and the recording IBackgroundCopyCallback3.  The
 * reference is reached only through its public COM interfaces.
 */
#include "xfer.h"

#include "ref_test_hooks.h"

#include <dirent.h>
#include <docom.h>
#include <fnmatch.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <uchar.h>
#include <unistd.h>

/* ---- assertions ------------------------------------------------------- */

void xt_check(int ok, int line, const char *file, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!ok)
        fprintf(stderr, "  FAIL %s:%d: %s\n", file, line, msg);
    CU_assertImplementation(ok ? CU_TRUE : CU_FALSE, (unsigned)line, msg, file,
                            "", CU_FALSE);
}

const char *xhr(HRESULT hr, char *buf, size_t len)
{
    return docom_hresult_format(hr, buf, len);
}

const char *xstate_name(int state)
{
    static const char *const names[] = {
        "QUEUED",          "CONNECTING",  "TRANSFERRING", "SUSPENDED", "ERROR",
        "TRANSIENT_ERROR", "TRANSFERRED", "ACKNOWLEDGED", "CANCELLED"};
    if (state == -1)
        return "(none)";
    if (state >= 0 && state < (int)ARRAY_LEN(names))
        return names[state];
    return "?";
}

const char *xctx_name(int ctx)
{
    static const char *const names[] = {"NONE",
                                        "UNKNOWN",
                                        "GENERAL_QUEUE_MANAGER",
                                        "QUEUE_MANAGER_NOTIFICATION",
                                        "LOCAL_FILE",
                                        "REMOTE_FILE",
                                        "GENERAL_TRANSPORT",
                                        "REMOTE_APPLICATION",
                                        "SERVER_CERTIFICATE_CALLBACK"};
    if (ctx >= 0 && ctx < (int)ARRAY_LEN(names))
        return names[ctx];
    return "?";
}

/* ---- strings ---------------------------------------------------------- */

WCHAR *xw(const char *s)
{
    size_t n = strlen(s);
    WCHAR *w = CoTaskMemAlloc((n + 1) * sizeof(WCHAR));

    if (!w)
        abort();
    for (size_t i = 0; i <= n; i++)
        w[i] = (WCHAR)(unsigned char)s[i];
    return w;
}

const char *xu8(const WCHAR *s, char *buf, size_t len)
{
    size_t n = 0;

    if (!s) {
        snprintf(buf, len, "(null)");
        return buf;
    }
    while (s[n] && n + 1 < len) {
        buf[n] = s[n] < 128 ? (char)s[n] : '?';
        n++;
    }
    buf[n] = '\0';
    return buf;
}

void xsleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- fixture ---------------------------------------------------------- */

static int rm_entry(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

int xfx_open(struct xfx *fx, enum xmode mode, int tls)
{
    IClassFactory *cf = NULL;
    HRESULT hr;

    memset(fx, 0, sizeof *fx);
    fx->mode = mode;
    hr = DllGetClassObject(mode == XM_DO ? &CLSID_DeliveryOptimization
                                         : &CLSID_BackgroundCopyManager,
                           &IID_IClassFactory, (void **)&cf);
    X_HR("DllGetClassObject", S_OK, hr);
    if (FAILED(hr))
        return -1;
    hr = IClassFactory_CreateInstance(cf, NULL, &IID_IBackgroundCopyManager,
                                      (void **)&fx->mgr);
    IClassFactory_Release(cf);
    X_HR("CreateInstance", S_OK, hr);
    if (FAILED(hr))
        return -1;
    hr = IBackgroundCopyManager_QueryInterface(fx->mgr, &IID_IDoctsTestClock,
                                               (void **)&fx->clock);
    X_HR("QI IDoctsTestClock", S_OK, hr);
    if (FAILED(hr))
        return -1;
    IDoctsTestClock_SetSpeedFactor(fx->clock, 1.0);
    snprintf(fx->dir, sizeof fx->dir, "%s/xfer-dl-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(fx->dir)) {
        X_TRUE("mkdtemp", 0);
        fx->dir[0] = '\0';
        return -1;
    }
    if (mockctl_start(&fx->srv, tls) != 0) {
        X_TRUE("h2mock started", 0);
        return -1;
    }
    return 0;
}

void xfx_close(struct xfx *fx)
{
    for (int i = 0; i < fx->njobs; i++) {
        IBackgroundCopyJob_Cancel(fx->jobs[i]);
        IBackgroundCopyJob_Release(fx->jobs[i]);
    }
    fx->njobs = 0;
    mockctl_stop(&fx->srv);
    ref_upsched_test_cancels_forget(); /* none reaches a later server */
    if (fx->clock) {
        IDoctsTestClock_SetSpeedFactor(fx->clock, 1.0);
        IDoctsTestClock_Release(fx->clock);
        fx->clock = NULL;
    }
    if (fx->mgr) {
        IBackgroundCopyManager_Release(fx->mgr);
        fx->mgr = NULL;
    }
    if (fx->dir[0]) {
        nftw(fx->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
        fx->dir[0] = '\0';
    }
}

IBackgroundCopyJob *xfx_job(struct xfx *fx)
{
    IBackgroundCopyJob *job = NULL;
    GUID id;
    WCHAR name[] = u"xfer";
    HRESULT hr;

    if (!fx->mgr || fx->njobs >= XFX_MAX_JOBS) {
        X_TRUE("fixture has room for a job", 0);
        return NULL;
    }
    hr = IBackgroundCopyManager_CreateJob(fx->mgr, name, BG_JOB_TYPE_DOWNLOAD,
                                          &id, &job);
    X_HR("CreateJob", S_OK, hr);
    if (FAILED(hr))
        return NULL;
    fx->jobs[fx->njobs++] = job;
    return job;
}

WCHAR *xfx_url(struct xfx *fx, const char *name)
{
    char u[512];
    snprintf(u, sizeof u, "%s/%s", fx->srv.base, name);
    return xw(u);
}

const char *xfx_path(struct xfx *fx, const char *name, char *buf, size_t len)
{
    snprintf(buf, len, "%s/%s", fx->dir, name);
    return buf;
}

WCHAR *xfx_local(struct xfx *fx, const char *name)
{
    char p[512];
    return xw(xfx_path(fx, name, p, sizeof p));
}

HRESULT xfx_add(struct xfx *fx, IBackgroundCopyJob *job, const char *name,
                const char *local)
{
    WCHAR *u = xfx_url(fx, name), *l = xfx_local(fx, local ? local : name);
    HRESULT hr = IBackgroundCopyJob_AddFile(job, u, l);

    CoTaskMemFree(u);
    CoTaskMemFree(l);
    return hr;
}

int xfx_temp_count(struct xfx *fx)
{
    DIR *d = opendir(fx->dir);
    struct dirent *e;
    int n = 0;

    if (!d)
        return -1;
    while ((e = readdir(d)) != NULL)
        if (fnmatch("BIT*.tmp", e->d_name, 0) == 0)
            n++;
    closedir(d);
    return n;
}

int xfx_exists(struct xfx *fx, const char *name)
{
    char p[512];
    struct stat st;
    return stat(xfx_path(fx, name, p, sizeof p), &st) == 0;
}

void xfx_hash(struct xfx *fx, const char *name, char *hex)
{
    char p[512];
    xsha_file(xfx_path(fx, name, p, sizeof p), hex);
}

void xfx_advance(struct xfx *fx, UINT64 ms)
{
    HRESULT hr = fx->clock ? IDoctsTestClock_Advance(fx->clock, ms) : E_FAIL;
    X_HR("IDoctsTestClock::Advance", S_OK, hr);
}

/* ---- jobs ------------------------------------------------------------- */

int xjob_state(IBackgroundCopyJob *job)
{
    BG_JOB_STATE st = (BG_JOB_STATE)0xdeadbeef;
    if (FAILED(IBackgroundCopyJob_GetState(job, &st)))
        return -1;
    return (int)st;
}

int xwait_mask(IBackgroundCopyJob *job, unsigned mask, int timeout_ms,
               struct xseq *seq)
{
    long long end = now_ms() + timeout_ms;
    int st = -1;

    for (;;) {
        st = xjob_state(job);
        if (seq && st >= 0 && (seq->n == 0 || seq->s[seq->n - 1] != st) &&
            seq->n < (int)ARRAY_LEN(seq->s))
            seq->s[seq->n++] = st;
        if (st >= 0 && (mask & XS(st)))
            return st;
        if (now_ms() >= end)
            return st;
        xsleep_ms(1);
    }
}

BG_JOB_PROGRESS xjob_progress(IBackgroundCopyJob *job)
{
    BG_JOB_PROGRESS p;
    memset(&p, 0xCD, sizeof p);
    IBackgroundCopyJob_GetProgress(job, &p);
    return p;
}

UINT64 xwait_bytes(IBackgroundCopyJob *job, UINT64 bytes, int timeout_ms)
{
    long long end = now_ms() + timeout_ms;
    BG_JOB_PROGRESS p;

    for (;;) {
        memset(&p, 0, sizeof p);
        if (FAILED(IBackgroundCopyJob_GetProgress(job, &p)))
            return BG_SIZE_UNKNOWN;
        if (p.BytesTransferred >= bytes || now_ms() >= end)
            return p.BytesTransferred;
        xsleep_ms(1);
    }
}

HRESULT xjob_error(IBackgroundCopyJob *job, int *ctx, HRESULT *code)
{
    IBackgroundCopyError *err = NULL;
    BG_ERROR_CONTEXT c = (BG_ERROR_CONTEXT)-1;
    HRESULT hr;

    *ctx = -1;
    *code = 0;
    hr = IBackgroundCopyJob_GetError(job, &err);
    if (FAILED(hr))
        return hr;
    hr = IBackgroundCopyError_GetError(err, &c, code);
    *ctx = (int)c;
    IBackgroundCopyError_Release(err);
    return hr;
}

void xjob5_set(IBackgroundCopyJob *job, BITS_JOB_PROPERTY_ID id,
               BITS_JOB_PROPERTY_VALUE v, const char *what)
{
    IBackgroundCopyJob5 *j5 = xqi(job, &IID_IBackgroundCopyJob5);

    if (j5) {
        X_HR(what, S_OK, IBackgroundCopyJob5_SetProperty(j5, id, v));
        xrelease(j5);
    }
}

IBackgroundCopyFile *xjob_file(IBackgroundCopyJob *job, ULONG n)
{
    IEnumBackgroundCopyFiles *en = NULL;
    IBackgroundCopyFile *f = NULL;
    ULONG got = 0;

    if (FAILED(IBackgroundCopyJob_EnumFiles(job, &en)))
        return NULL;
    if (n)
        IEnumBackgroundCopyFiles_Skip(en, n);
    if (IEnumBackgroundCopyFiles_Next(en, 1, &f, &got) != S_OK || got != 1)
        f = NULL;
    IEnumBackgroundCopyFiles_Release(en);
    return f;
}

void *xqi(void *iface, const IID *iid)
{
    void *out = NULL;
    HRESULT hr = ((IUnknown *)iface)
                     ->lpVtbl->QueryInterface((IUnknown *)iface, iid, &out);
    X_HR("QueryInterface", S_OK, hr);
    return SUCCEEDED(hr) ? out : NULL;
}

ULONG xrelease(void *iface)
{
    return iface ? ((IUnknown *)iface)->lpVtbl->Release((IUnknown *)iface) : 0;
}

/* ---- recording callback ----------------------------------------------- */

static struct xcb *cb_from(IBackgroundCopyCallback3 *iface)
{
    return (struct xcb *)((char *)iface - offsetof(struct xcb, iface));
}

static HRESULT STDMETHODCALLTYPE cb_qi(IBackgroundCopyCallback3 *iface,
                                       REFIID riid, void **ppv)
{
    struct xcb *cb = cb_from(iface);

    if (!ppv)
        return E_POINTER;
    *ppv = NULL;
    if (IsEqualGUID(riid, &IID_IUnknown) ||
        IsEqualGUID(riid, &IID_IBackgroundCopyCallback) ||
        (cb->level >= 2 && IsEqualGUID(riid, &IID_IBackgroundCopyCallback2)) ||
        (cb->level >= 3 && IsEqualGUID(riid, &IID_IBackgroundCopyCallback3))) {
        *ppv = iface;
        atomic_fetch_add(&cb->refs, 1);
        return S_OK;
    }
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE cb_addref(IBackgroundCopyCallback3 *iface)
{
    return (ULONG)atomic_fetch_add(&cb_from(iface)->refs, 1) + 1;
}

static ULONG STDMETHODCALLTYPE cb_release(IBackgroundCopyCallback3 *iface)
{
    return (ULONG)atomic_fetch_sub(&cb_from(iface)->refs, 1) - 1;
}

/* Appends an event (locked); returns its index or -1. */
static int record(struct xcb *cb, enum xev_kind kind)
{
    int i = -1;

    pthread_mutex_lock(&cb->mu);
    if (cb->nev < XCB_MAX_EV) {
        i = cb->nev++;
        memset(&cb->ev[i], 0, sizeof cb->ev[i]);
        cb->ev[i].kind = kind;
        cb->ev[i].late = atomic_load(&cb->closed);
    }
    cb->counts[kind]++;
    if (pthread_equal(pthread_self(), cb->test_thread))
        cb->on_test_thread++;
    pthread_mutex_unlock(&cb->mu);
    return i;
}

static void file_name(IBackgroundCopyFile *f, char *out, size_t len)
{
    LPWSTR w = NULL;
    char buf[512];

    out[0] = '\0';
    if (f && SUCCEEDED(IBackgroundCopyFile_GetLocalName(f, &w)) && w) {
        const char *base = strrchr(xu8(w, buf, sizeof buf), '/');
        const char *src = base ? base + 1 : buf;
        size_t n = strlen(src);
        if (n >= len)
            n = len - 1;
        memcpy(out, src, n);
        out[n] = '\0';
        CoTaskMemFree(w);
    }
}

static void act(struct xcb *cb, enum xcb_action a, IBackgroundCopyJob *job)
{
    HRESULT hr = S_OK;
    BG_JOB_PROGRESS p;

    switch (a) {
    case XCB_NONE:
        return;
    case XCB_COMPLETE:
        hr = IBackgroundCopyJob_Complete(job);
        break;
    case XCB_CANCEL:
        hr = IBackgroundCopyJob_Cancel(job);
        break;
    case XCB_PROGRESS:
        memset(&p, 0xCD, sizeof p);
        hr = IBackgroundCopyJob_GetProgress(job, &p);
        cb->action_progress = p;
        break;
    case XCB_COMPLETE_RELEASE:
        hr = IBackgroundCopyJob_Complete(job);
        if (cb->held) {
            IBackgroundCopyJob_Release(cb->held);
            cb->held = NULL;
        }
        break;
    }
    pthread_mutex_lock(&cb->mu);
    cb->action_hr = hr;
    cb->action_done++;
    pthread_mutex_unlock(&cb->mu);
}

static HRESULT STDMETHODCALLTYPE cb_transferred(IBackgroundCopyCallback3 *iface,
                                                IBackgroundCopyJob *job)
{
    struct xcb *cb = cb_from(iface);
    int fail;

    record(cb, XEV_TRANSFERRED);
    pthread_mutex_lock(&cb->mu);
    fail = cb->fail_transferred > 0;
    if (fail)
        cb->fail_transferred--;
    pthread_mutex_unlock(&cb->mu);
    if (fail)
        return E_FAIL;
    act(cb, cb->on_transferred, job);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE cb_error(IBackgroundCopyCallback3 *iface,
                                          IBackgroundCopyJob *job,
                                          IBackgroundCopyError *err)
{
    struct xcb *cb = cb_from(iface);
    BG_ERROR_CONTEXT ctx = (BG_ERROR_CONTEXT)-1;
    HRESULT code = 0;
    int i, fail;

    if (err)
        IBackgroundCopyError_GetError(err, &ctx, &code);
    i = record(cb, XEV_ERROR);
    pthread_mutex_lock(&cb->mu);
    if (i >= 0) {
        cb->ev[i].ctx = (int)ctx;
        cb->ev[i].code = code;
    }
    fail = cb->fail_error > 0;
    if (fail)
        cb->fail_error--;
    pthread_mutex_unlock(&cb->mu);
    if (fail)
        return E_FAIL;
    act(cb, cb->on_error, job);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE cb_modification(
    IBackgroundCopyCallback3 *iface, IBackgroundCopyJob *job, DWORD reserved)
{
    (void)job, (void)reserved;
    record(cb_from(iface), XEV_MODIFICATION);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE cb_file(IBackgroundCopyCallback3 *iface,
                                         IBackgroundCopyJob *job,
                                         IBackgroundCopyFile *file)
{
    struct xcb *cb = cb_from(iface);
    char name[64];
    int i;

    (void)job;
    file_name(file, name, sizeof name);
    i = record(cb, XEV_FILE);
    pthread_mutex_lock(&cb->mu);
    if (i >= 0)
        snprintf(cb->ev[i].name, sizeof cb->ev[i].name, "%s", name);
    pthread_mutex_unlock(&cb->mu);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE cb_ranges(IBackgroundCopyCallback3 *iface,
                                           IBackgroundCopyJob *job,
                                           IBackgroundCopyFile *file,
                                           DWORD count,
                                           const BG_FILE_RANGE *ranges)
{
    struct xcb *cb = cb_from(iface);
    char name[64];
    int i;

    (void)job;
    file_name(file, name, sizeof name);
    i = record(cb, XEV_RANGES);
    pthread_mutex_lock(&cb->mu);
    if (i >= 0) {
        snprintf(cb->ev[i].name, sizeof cb->ev[i].name, "%s", name);
        cb->ev[i].nranges = count;
        if (count && ranges) {
            cb->ev[i].range0_off = ranges[0].InitialOffset;
            cb->ev[i].range0_len = ranges[0].Length;
        }
    }
    pthread_mutex_unlock(&cb->mu);
    return S_OK;
}

static const IBackgroundCopyCallback3Vtbl cb_vtbl = {
    cb_qi,    cb_addref,       cb_release, cb_transferred,
    cb_error, cb_modification, cb_file,    cb_ranges,
};

void xcb_init(struct xcb *cb, int level)
{
    memset(cb, 0, sizeof *cb);
    cb->iface.lpVtbl = &cb_vtbl;
    atomic_init(&cb->refs, 1);
    atomic_init(&cb->closed, 0);
    cb->level = level;
    cb->test_thread = pthread_self();
    pthread_mutex_init(&cb->mu, NULL);
}

void xcb_close(struct xcb *cb)
{
    atomic_store(&cb->closed, 1);
}

void xcb_fini(struct xcb *cb)
{
    pthread_mutex_destroy(&cb->mu);
}

int xcb_count(struct xcb *cb, enum xev_kind kind)
{
    int n;
    pthread_mutex_lock(&cb->mu);
    n = cb->counts[kind];
    pthread_mutex_unlock(&cb->mu);
    return n;
}

int xcb_late(struct xcb *cb)
{
    int n = 0;
    pthread_mutex_lock(&cb->mu);
    for (int i = 0; i < cb->nev; i++)
        n += cb->ev[i].late;
    pthread_mutex_unlock(&cb->mu);
    return n;
}

int xcb_wait(struct xcb *cb, enum xev_kind kind, int n, int timeout_ms)
{
    long long end = now_ms() + timeout_ms;
    int c;

    while ((c = xcb_count(cb, kind)) < n && now_ms() < end)
        xsleep_ms(1);
    return c;
}

IUnknown *xcb_unknown(struct xcb *cb)
{
    return (IUnknown *)&cb->iface;
}

/* ---- state sequences -------------------------------------------------- */

const char *xseq_text(const struct xseq *seq, char *buf, size_t len)
{
    size_t n = 0;

    buf[0] = '\0';
    for (int i = 0; i < seq->n && n < len; i++)
        n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? ">" : "",
                              xstate_name(seq->s[i]));
    return buf;
}

void xcheck_seq(const char *ctx, const struct xseq *seq, int do_mode)
{
    static const int order[] = {BG_JOB_STATE_QUEUED, BG_JOB_STATE_CONNECTING,
                                BG_JOB_STATE_TRANSFERRING,
                                BG_JOB_STATE_TRANSFERRED};
    char text[512];
    int pos = 0, ok = seq->n > 0;

    for (int i = 0; i < seq->n && ok; i++) {
        while (pos < 4 && order[pos] != seq->s[i])
            pos++;
        if (pos == 4)
            ok = 0;
        if (do_mode && seq->s[i] == BG_JOB_STATE_CONNECTING)
            ok = 0;
    }
    xt_check(ok, __LINE__, __FILE__,
             "[%s] observed states %s: expected a subsequence of "
             "QUEUED>%sTRANSFERRING>TRANSFERRED",
             ctx, xseq_text(seq, text, sizeof text),
             do_mode ? "" : "CONNECTING>");
}

int xwait_default(void)
{
    static int ms;

    if (!ms) {
        const char *v = getenv("XFER_WAIT_MS");
        ms = v && atoi(v) > 0 ? atoi(v) : 10000;
    }
    return ms;
}

void xjob_dump(const char *label, IBackgroundCopyJob *job)
{
    BG_JOB_PROGRESS p = xjob_progress(job);
    char b[96];
    int ctx;
    HRESULT code;
    HRESULT hr = xjob_error(job, &ctx, &code);

    fprintf(stderr,
            "  [%s] state %s, files %lu/%lu, bytes %llu/%llu, error %s%s%s\n",
            label, xstate_name(xjob_state(job)),
            (unsigned long)p.FilesTransferred, (unsigned long)p.FilesTotal,
            (unsigned long long)p.BytesTransferred,
            (unsigned long long)p.BytesTotal,
            SUCCEEDED(hr) ? xhr(code, b, sizeof b) : "none",
            SUCCEEDED(hr) ? " in " : "", SUCCEEDED(hr) ? xctx_name(ctx) : "");
}
