/*
 * The tools of support.h: message formatting for the assertion macros, the
 * fixture that makes managers, temporary directories and jobs in a chosen
 * state, UTF-16 helpers and the counting fake callback.  Everything here
 * reaches the reference only through DllGetClassObject and the COM
 * interfaces, except plant_error(), which uses the reference's test hook.
 */
#include "support.h"

#include <docom.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ref_policy.h"
#include "ref_private.h"
#include "ref_job.h"
#include "ref_test_hooks.h"

const char *const mode_names[2] = {"bits", "do"};
const CLSID *const mode_clsid[2] = {&CLSID_BackgroundCopyManager,
                                    &CLSID_DeliveryOptimization};

HRESULT hr_mode(enum mode mode, HRESULT bits)
{
    static const struct {
        HRESULT bits, dom;
    } map[] = {
        {BG_E_INVALID_STATE, DO_E_INVALID_STATE},
        {BG_E_EMPTY, DO_E_JOB_EMPTY},
        {BG_E_NOT_FOUND, DO_E_JOB_NOT_FOUND},
        {BG_E_ERROR_INFORMATION_UNAVAILABLE,
         DO_E_ERROR_INFORMATION_UNAVAILABLE},
        {BG_E_INVALID_RANGE, DO_E_INVALID_RANGE},
        {BG_E_OVERLAPPING_RANGES, DO_E_OVERLAPPING_RANGES},
        {BG_E_INSUFFICIENT_RANGE_SUPPORT, DO_E_INSUFFICIENT_RANGE_SUPPORT},
        {BG_E_FILE_NOT_AVAILABLE, DO_E_FILE_NOT_AVAILABLE},
        {BG_E_BLOCKED_BY_COST_TRANSFER_POLICY,
         DO_E_BLOCKED_BY_COST_TRANSFER_POLICY},
        {BG_E_UNKNOWN_PROPERTY_ID, DO_E_UNKNOWN_PROPERTY_ID},
        {BG_E_READ_ONLY_PROPERTY, DO_E_READ_ONLY_PROPERTY},
    };
    if (mode == MODE_DO)
        for (size_t i = 0; i < ARRAY_LEN(map); i++)
            if (map[i].bits == bits)
                return map[i].dom;
    return bits;
}

const char *hr_text(HRESULT hr, char *buf, size_t len)
{
    return docom_hresult_format(hr, buf, len);
}

void t_check(int ok, int line, const char *file, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* CUnit copies the condition text of a failure. */
    CU_assertImplementation(ok ? CU_TRUE : CU_FALSE, (unsigned)line, msg, file,
                            "", CU_FALSE);
}

size_t wlen(const WCHAR *s)
{
    return docom_wcslen(s);
}

int weq(const WCHAR *a, const WCHAR *b)
{
    if (!a || !b)
        return a == b;
    size_t n = wlen(a);
    return n == wlen(b) && memcmp(a, b, n * sizeof(WCHAR)) == 0;
}

const char *wtext(const WCHAR *s, char *buf, size_t len)
{
    if (!s) {
        snprintf(buf, len, "(null)");
        return buf;
    }
    if (s == POISON_PTR) {
        snprintf(buf, len, "(poison, not written)");
        return buf;
    }
    size_t o = 0, n = wlen(s);
    if (o + 1 < len)
        buf[o++] = '"';
    for (size_t i = 0; i < n && o + 8 < len; i++) {
        if (i == 48 && n > 64) {
            o += (size_t)snprintf(buf + o, len - o, "...(%zu units)", n);
            break;
        }
        if (s[i] >= 0x20 && s[i] < 0x7f)
            buf[o++] = (char)s[i];
        else
            o += (size_t)snprintf(buf + o, len - o, "\\u%04x", s[i]);
    }
    if (o + 2 < len)
        buf[o++] = '"';
    buf[o < len ? o : len - 1] = 0;
    return buf;
}

void t_wstr_check(const WCHAR *exp, const WCHAR *act, int line,
                  const char *file, const char *expr)
{
    char eb[160], ab[160];
    int ok = act != POISON_PTR && weq(exp, act);
    t_check(ok, line, file, "%s: expected %s, got %s", expr,
            wtext(exp, eb, sizeof eb),
            act == POISON_PTR ? "(poison, not written)"
                              : wtext(act, ab, sizeof ab));
}

static void guid_text(const GUID *g, char *buf, size_t len)
{
    snprintf(buf, len, "{%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}",
             (unsigned)g->Data1, g->Data2, g->Data3, g->Data4[0], g->Data4[1],
             g->Data4[2], g->Data4[3], g->Data4[4], g->Data4[5], g->Data4[6],
             g->Data4[7]);
}

void t_guid_check(const GUID *exp, const GUID *act, int line, const char *file,
                  const char *expr)
{
    char eb[48], ab[48];
    guid_text(exp, eb, sizeof eb);
    guid_text(act, ab, sizeof ab);
    t_check(memcmp(exp, act, sizeof *exp) == 0, line, file,
            "%s: expected %s, got %s", expr, eb, ab);
}

static void *must_alloc(size_t n)
{
    void *p = CoTaskMemAlloc(n);
    if (!p) {
        fprintf(stderr, "reference-tests: out of memory\n");
        abort();
    }
    return p;
}

WCHAR *wrepeat(const WCHAR *prefix, WCHAR ch, size_t n)
{
    size_t p = wlen(prefix);
    WCHAR *s = must_alloc((p + n + 1) * sizeof(WCHAR));
    if (p)
        memcpy(s, prefix, p * sizeof(WCHAR));
    for (size_t i = 0; i < n; i++)
        s[p + i] = ch;
    s[p + n] = 0;
    return s;
}

WCHAR *wfrom(const char *s)
{
    WCHAR *w = docom_task_utf16_from_utf8(s);
    if (!w) {
        fprintf(stderr, "reference-tests: cannot convert \"%s\"\n", s);
        abort();
    }
    return w;
}

WCHAR *wfmt(const char *fmt, ...)
{
    char buf[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return wfrom(buf);
}

ULONG release(void *iface)
{
    IUnknown *u = iface;
    return u ? IUnknown_Release(u) : 0;
}

ULONG refcount(void *iface)
{
    IUnknown *u = iface;
    IUnknown_AddRef(u);
    return IUnknown_Release(u);
}

void *qi(void *iface, const IID *iid)
{
    void *out = POISON_PTR;
    HRESULT hr = IUnknown_QueryInterface((IUnknown *)iface, iid, &out);
    ASSERT_HR(S_OK, hr);
    if (hr != S_OK)
        return NULL;
    return out;
}

IBackgroundCopyManager *make_manager(enum mode mode)
{
    IClassFactory *cf = POISON_PTR;
    IBackgroundCopyManager *mgr = POISON_PTR;
    HRESULT hr =
        DllGetClassObject(mode_clsid[mode], &IID_IClassFactory, (void **)&cf);
    ASSERT_HR(S_OK, hr);
    if (hr != S_OK)
        return NULL;
    hr = IClassFactory_CreateInstance(cf, NULL, &IID_IBackgroundCopyManager,
                                      (void **)&mgr);
    IClassFactory_Release(cf);
    ASSERT_HR(S_OK, hr);
    return hr == S_OK ? mgr : NULL;
}

int fx_open(struct fx *fx, enum mode mode)
{
    memset(fx, 0, sizeof *fx);
    fx->mode = mode;
    snprintf(fx->dir, sizeof fx->dir, "%s/docts-tests-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(fx->dir)) {
        t_check(0, __LINE__, __FILE__, "mkdtemp(%s) failed", fx->dir);
        fx->dir[0] = 0;
        return -1;
    }
    fx->wdir = wfrom(fx->dir);
    fx->mgr = make_manager(mode);
    return fx->mgr ? 0 : -1;
}

static int rm_entry(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

void fx_close(struct fx *fx)
{
    for (unsigned i = 0; i < fx->njobs; i++) {
        if (!fx->jobs[i])
            continue;
        IBackgroundCopyJob_Cancel(fx->jobs[i]);
        IBackgroundCopyJob_Release(fx->jobs[i]);
    }
    fx->njobs = 0;
    ref_policy_reset();
    if (fx->mgr)
        IBackgroundCopyManager_Release(fx->mgr);
    fx->mgr = NULL;
    if (fx->dir[0]) {
        chmod(fx->dir, 0700);
        nftw(fx->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    }
    CoTaskMemFree(fx->wdir);
    fx->wdir = NULL;
}

void fx_track(struct fx *fx, IBackgroundCopyJob *job)
{
    if (fx->njobs < FX_MAX_JOBS)
        fx->jobs[fx->njobs++] = job;
    else {
        t_check(0, __LINE__, __FILE__, "fixture: too many jobs");
        IBackgroundCopyJob_Cancel(job);
        IBackgroundCopyJob_Release(job);
    }
}

WCHAR *fx_path(struct fx *fx, const char *name)
{
    return wfmt("%s/%s", fx->dir, name);
}

WCHAR *fx_url(const char *name)
{
    return wfmt("http://127.0.0.1:9/%s", name);
}

HRESULT fx_add(struct fx *fx, IBackgroundCopyJob *job, const char *name)
{
    WCHAR *url = fx_url(name), *path = fx_path(fx, name);
    HRESULT hr = IBackgroundCopyJob_AddFile(job, url, path);
    CoTaskMemFree(url);
    CoTaskMemFree(path);
    return hr;
}

IBackgroundCopyJob *fx_job_typed(struct fx *fx, BG_JOB_TYPE type,
                                 unsigned nfiles)
{
    IBackgroundCopyJob *job = POISON_PTR;
    GUID id;
    POISON(id);
    HRESULT hr =
        IBackgroundCopyManager_CreateJob(fx->mgr, u"docts", type, &id, &job);
    ASSERT_HR(S_OK, hr);
    if (hr != S_OK)
        return NULL;
    fx_track(fx, job);
    for (unsigned i = 0; i < nfiles; i++) {
        char name[32];
        snprintf(name, sizeof name, "f%u", i);
        hr = fx_add(fx, job, name);
        ASSERT_HR(S_OK, hr);
        if (hr != S_OK)
            return NULL;
    }
    return job;
}

IBackgroundCopyJob *fx_job(struct fx *fx, unsigned nfiles)
{
    return fx_job_typed(fx, BG_JOB_TYPE_DOWNLOAD, nfiles);
}

ULONG job_file_count(IBackgroundCopyJob *job)
{
    IEnumBackgroundCopyFiles *e = POISON_PTR;
    ULONG n = POISON_U32;
    HRESULT hr = IBackgroundCopyJob_EnumFiles(job, &e);
    ASSERT_HR(S_OK, hr);
    if (hr != S_OK)
        return POISON_U32;
    ASSERT_HR(S_OK, IEnumBackgroundCopyFiles_GetCount(e, &n));
    release(e);
    return n;
}

IBackgroundCopyFile *job_file(IBackgroundCopyJob *job, ULONG n)
{
    IEnumBackgroundCopyFiles *e = POISON_PTR;
    IBackgroundCopyFile *f = POISON_PTR;
    HRESULT hr = IBackgroundCopyJob_EnumFiles(job, &e);
    ASSERT_HR(S_OK, hr);
    if (hr != S_OK)
        return NULL;
    if (n)
        ASSERT_HR(S_OK, IEnumBackgroundCopyFiles_Skip(e, n));
    hr = IEnumBackgroundCopyFiles_Next(e, 1, &f, NULL);
    ASSERT_HR(S_OK, hr);
    release(e);
    return hr == S_OK ? f : NULL;
}

int job_state(IBackgroundCopyJob *job)
{
    BG_JOB_STATE st = (BG_JOB_STATE)POISON_U32;
    if (IBackgroundCopyJob_GetState(job, &st) != S_OK)
        return -1;
    return (int)st;
}

const char *const pre_names[PRE_COUNT] = {
    "SUSPENDED",       "QUEUED",    "ERROR",
    "TRANSIENT_ERROR", "CANCELLED", "ACKNOWLEDGED",
};
const BG_JOB_STATE pre_states[PRE_COUNT] = {
    BG_JOB_STATE_SUSPENDED, BG_JOB_STATE_QUEUED,
    BG_JOB_STATE_ERROR,     BG_JOB_STATE_TRANSIENT_ERROR,
    BG_JOB_STATE_CANCELLED, BG_JOB_STATE_ACKNOWLEDGED,
};

IBackgroundCopyJob *fx_job_in(struct fx *fx, enum pre pre)
{
    IBackgroundCopyJob *job = fx_job(fx, 1);
    HRESULT hr = S_OK;
    if (!job)
        return NULL;
    switch (pre) {
    case PRE_SUSPENDED:
        break;
    case PRE_QUEUED:
        hr = IBackgroundCopyJob_Resume(job);
        break;
    case PRE_ERROR:
    case PRE_TRANSIENT_ERROR:
        hr = plant_error(job, pre == PRE_TRANSIENT_ERROR,
                         BG_ERROR_CONTEXT_REMOTE_FILE, (HRESULT)0x80190194, 0)
                 ? E_FAIL
                 : S_OK;
        break;
    case PRE_CANCELLED:
        hr = IBackgroundCopyJob_Cancel(job);
        break;
    case PRE_ACKNOWLEDGED:
        hr = IBackgroundCopyJob_Complete(job);
        break;
    default:
        return NULL;
    }
    int st = job_state(job);
    t_check(SUCCEEDED(hr) && st == (int)pre_states[pre], __LINE__, __FILE__,
            "fixture: could not reach %s (hr 0x%08X, state %d)", pre_names[pre],
            (unsigned)hr, st);
    return st == (int)pre_states[pre] ? job : NULL;
}

int plant_error(IBackgroundCopyJob *job, int transient, BG_ERROR_CONTEXT ctx,
                HRESULT code, int file_index)
{
    struct job *j = ref_job_from_iface(job);
    BG_JOB_STATE to =
        transient ? BG_JOB_STATE_TRANSIENT_ERROR : BG_JOB_STATE_ERROR;
    int ok;
    if (!j || file_index < -1)
        return -1;
    /* The engine's path, through the requests the scheduler makes of the
     * job's owner: queued, started (CONNECTING in BITS, TRANSFERRING in
     * DO, D14), connected, then the error. */
    if (job_state(job) == BG_JOB_STATE_SUSPENDED &&
        IBackgroundCopyJob_Resume(job) != S_OK)
        return -1;
    pthread_mutex_lock(&j->lock);
    ok = (file_index < 0 || (ULONG)file_index < j->nfiles) &&
         ref_job_state(j) == BG_JOB_STATE_QUEUED && ref_job_started_locked(j);
    if (ok && ref_job_state(j) == BG_JOB_STATE_CONNECTING)
        ok = ref_job_connected_locked(j);
    if (ok)
        ok = ref_job_error_locked(j, ctx, code, file_index, 1, to);
    pthread_mutex_unlock(&j->lock);
    return ok ? 0 : -1;
}

/* ---- fake callback ---------------------------------------------------- */

static struct fake *fake_from(IBackgroundCopyCallback2 *iface)
{
    return (struct fake *)iface;
}

static HRESULT STDMETHODCALLTYPE
fake_QueryInterface(IBackgroundCopyCallback2 *This, REFIID riid, void **out)
{
    struct fake *f = fake_from(This);
    __atomic_add_fetch(&f->qi_calls, 1, __ATOMIC_SEQ_CST);
    if (!out)
        return E_POINTER;
    if (!memcmp(riid, &IID_IUnknown, sizeof(GUID)) ||
        !memcmp(riid, &IID_IBackgroundCopyCallback, sizeof(GUID)) ||
        (f->cb2 &&
         !memcmp(riid, &IID_IBackgroundCopyCallback2, sizeof(GUID)))) {
        *out = This;
        __atomic_add_fetch(&f->refs, 1, __ATOMIC_SEQ_CST);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE fake_AddRef(IBackgroundCopyCallback2 *This)
{
    return (ULONG)__atomic_add_fetch(&fake_from(This)->refs, 1,
                                     __ATOMIC_SEQ_CST);
}

static ULONG STDMETHODCALLTYPE fake_Release(IBackgroundCopyCallback2 *This)
{
    return (ULONG)__atomic_sub_fetch(&fake_from(This)->refs, 1,
                                     __ATOMIC_SEQ_CST);
}

static HRESULT STDMETHODCALLTYPE
fake_JobTransferred(IBackgroundCopyCallback2 *This, IBackgroundCopyJob *job)
{
    __atomic_add_fetch(&fake_from(This)->transferred, 1, __ATOMIC_SEQ_CST);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE fake_JobError(IBackgroundCopyCallback2 *This,
                                               IBackgroundCopyJob *job,
                                               IBackgroundCopyError *err)
{
    __atomic_add_fetch(&fake_from(This)->errors, 1, __ATOMIC_SEQ_CST);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE fake_JobModification(
    IBackgroundCopyCallback2 *This, IBackgroundCopyJob *job, DWORD reserved)
{
    __atomic_add_fetch(&fake_from(This)->modifications, 1, __ATOMIC_SEQ_CST);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE
fake_FileTransferred(IBackgroundCopyCallback2 *This, IBackgroundCopyJob *job,
                     IBackgroundCopyFile *file)
{
    __atomic_add_fetch(&fake_from(This)->file_transferred, 1, __ATOMIC_SEQ_CST);
    return S_OK;
}

static const IBackgroundCopyCallback2Vtbl fake_vtbl = {
    fake_QueryInterface,  fake_AddRef,   fake_Release,
    fake_JobTransferred,  fake_JobError, fake_JobModification,
    fake_FileTransferred,
};

void fake_init(struct fake *f, int cb2)
{
    memset(f, 0, sizeof *f);
    f->iface.lpVtbl = &fake_vtbl;
    f->refs = 1;
    f->cb2 = cb2;
}

IUnknown *fake_unknown(struct fake *f)
{
    return (IUnknown *)&f->iface;
}

int fake_refs(struct fake *f)
{
    return __atomic_load_n(&f->refs, __ATOMIC_SEQ_CST);
}
