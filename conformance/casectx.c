/*
 * casectx.c - the child side of one case instance: setup through
 * DllGetClassObject, the assertion helpers of conf.h, teardown (cancel the
 * jobs the case created) and the result record sent back to the runner.
 *
 * Runs inside the forked child only; the first failing assertion longjmps
 * back to conf_case_execute, which still tears down and reports.  The
 * implementation is reached only through DllGetClassObject /
 * DllCanUnloadNow and the SDK interfaces; no reference internals.
 */
#include "runner.h"

#include "platform.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_JOBS 256
#define MAX_RELEASE 1024

struct conf_ctx_priv {
    jmp_buf jb;
    bool in_body; /* assertions may longjmp */
    conf_outcome outcome;
    unsigned checks;
    char expected[1024], actual[1024], message[2048], where[256];
    char check[512];
    IBackgroundCopyJob *jobs[MAX_JOBS];
    size_t njobs;
    IUnknown *rel[MAX_RELEASE];
    size_t nrel;
    void **allocs;
    size_t nallocs, capallocs;
    const char *impl; /* --impl, for a helper process (conf_job_from_helper) */
};

/* ---- small string helpers (portable; no libdocom helpers) --------------- */

static size_t wlen(const WCHAR *s)
{
    size_t n = 0;
    while (s && s[n])
        n++;
    return n;
}

/* UTF-16 -> UTF-8 into a malloc'd buffer; unpaired surrogates become
 * U+FFFD.  Never NULL for non-NULL input unless out of memory. */
static char *utf8_of(const WCHAR *s)
{
    size_t n = wlen(s);
    char *out = malloc(n * 3 + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t cp = s[i];
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < n && s[i + 1] >= 0xDC00 &&
            s[i + 1] <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (s[i + 1] - 0xDC00);
            i++;
        } else if (cp >= 0xD800 && cp <= 0xDFFF) {
            cp = 0xFFFD;
        }
        if (cp < 0x80) {
            out[o++] = (char)cp;
        } else if (cp < 0x800) {
            out[o++] = (char)(0xC0 | (cp >> 6));
            out[o++] = (char)(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out[o++] = (char)(0xE0 | (cp >> 12));
            out[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            out[o++] = (char)(0x80 | (cp & 0x3F));
        } else {
            /* 4 bytes from 2 code units: fits the 3-per-unit budget */
            out[o++] = (char)(0xF0 | (cp >> 18));
            out[o++] = (char)(0x80 | ((cp >> 12) & 0x3F));
            out[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            out[o++] = (char)(0x80 | (cp & 0x3F));
        }
    }
    out[o] = '\0';
    return out;
}

/* UTF-8 -> UTF-16 (malloc'd); invalid bytes become U+FFFD. */
static WCHAR *utf16_of(const char *s)
{
    size_t n = strlen(s);
    WCHAR *out = malloc((n + 1) * sizeof *out);
    if (!out)
        return NULL;
    size_t o = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        uint32_t cp;
        int extra;
        if (*p < 0x80) {
            cp = *p;
            extra = 0;
        } else if ((*p & 0xE0) == 0xC0) {
            cp = *p & 0x1F;
            extra = 1;
        } else if ((*p & 0xF0) == 0xE0) {
            cp = *p & 0x0F;
            extra = 2;
        } else if ((*p & 0xF8) == 0xF0) {
            cp = *p & 0x07;
            extra = 3;
        } else {
            cp = 0xFFFD;
            extra = 0;
        }
        p++;
        for (int k = 0; k < extra; k++) {
            if ((*p & 0xC0) != 0x80) {
                cp = 0xFFFD;
                break;
            }
            cp = (cp << 6) | (*p++ & 0x3F);
        }
        if (cp >= 0x10000) {
            cp -= 0x10000;
            out[o++] = (WCHAR)(0xD800 + (cp >> 10));
            out[o++] = (WCHAR)(0xDC00 + (cp & 0x3FF));
        } else {
            out[o++] = (WCHAR)cp;
        }
    }
    out[o] = 0;
    return out;
}

/* ---- recording ---------------------------------------------------------- */

static void put(char *dst, size_t len, const char *fmt, va_list ap)
{
    vsnprintf(dst, len, fmt, ap);
}

static void setf(char *dst, size_t len, const char *fmt, ...) CONF_PRINTF(3, 4);
static void setf(char *dst, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    put(dst, len, fmt, ap);
    va_end(ap);
}

static CONF_NORETURN void end_case(conf_ctx *ctx, conf_outcome o)
{
    ctx->priv->outcome = o;
    if (ctx->priv->in_body)
        longjmp(ctx->priv->jb, 1);
    /* an assertion outside a body (setup) also ends here */
    longjmp(ctx->priv->jb, 1);
}

/* Records one check; on mismatch ends the case. */
static void record(conf_ctx *ctx, const char *file, int line, const char *expr,
                   bool ok, const char *expected, const char *actual)
{
    struct conf_ctx_priv *p = ctx->priv;
    p->checks++;
    setf(p->expected, sizeof p->expected, "%s", expected);
    setf(p->actual, sizeof p->actual, "%s", actual);
    if (ok)
        return;
    const char *base = strrchr(file, '/');
    setf(p->where, sizeof p->where, "%s:%d", base ? base + 1 : file, line);
    setf(p->check, sizeof p->check, "%s", expr);
    setf(p->message, sizeof p->message, "%s: expected %s, actual %s", expr,
         expected, actual);
    end_case(ctx, CONF_O_FAIL);
}

HRESULT conf_hr(const conf_ctx *ctx, HRESULT bits_code)
{
    if (ctx->profile != CONF_P_DO)
        return bits_code;
    switch (bits_code) {
    case BG_E_INVALID_STATE:
        return DO_E_INVALID_STATE;
    case BG_E_EMPTY:
        return DO_E_JOB_EMPTY;
    case BG_E_NOT_FOUND:
        return DO_E_JOB_NOT_FOUND;
    case BG_E_ERROR_INFORMATION_UNAVAILABLE:
        return DO_E_ERROR_INFORMATION_UNAVAILABLE;
    case BG_E_INVALID_RANGE:
        return DO_E_INVALID_RANGE;
    case BG_E_OVERLAPPING_RANGES:
        return DO_E_OVERLAPPING_RANGES;
    case BG_E_INSUFFICIENT_RANGE_SUPPORT:
        return DO_E_INSUFFICIENT_RANGE_SUPPORT;
    case BG_E_FILE_NOT_AVAILABLE:
        return DO_E_FILE_NOT_AVAILABLE;
    case BG_E_BLOCKED_BY_COST_TRANSFER_POLICY:
        return DO_E_BLOCKED_BY_COST_TRANSFER_POLICY;
    case BG_E_UNKNOWN_PROPERTY_ID:
        return DO_E_UNKNOWN_PROPERTY_ID;
    case BG_E_READ_ONLY_PROPERTY:
        return DO_E_READ_ONLY_PROPERTY;
    default:
        return bits_code;
    }
}

const char *conf_hr_str(HRESULT hr, char *buf, size_t len)
{
#ifdef DOCOM_H
    const char *name = docom_hresult_name(hr);
#else
    const char *name = NULL;
#endif
    if (name)
        snprintf(buf, len, "0x%08X %s", (unsigned)hr, name);
    else
        snprintf(buf, len, "0x%08X", (unsigned)hr);
    return buf;
}

void conf_check_hr_(conf_ctx *ctx, const char *file, int line, const char *expr,
                    HRESULT actual, HRESULT expected)
{
    char e[96], a[96];
    record(ctx, file, line, expr, actual == expected,
           conf_hr_str(expected, e, sizeof e),
           conf_hr_str(actual, a, sizeof a));
}

void conf_check_hr2_(conf_ctx *ctx, const char *file, int line,
                     const char *expr, HRESULT actual, HRESULT e1, HRESULT e2)
{
    char e[200], a[96], b1[96], b2[96];
    snprintf(e, sizeof e, "%s or %s", conf_hr_str(e1, b1, sizeof b1),
             conf_hr_str(e2, b2, sizeof b2));
    record(ctx, file, line, expr, actual == e1 || actual == e2, e,
           conf_hr_str(actual, a, sizeof a));
}

void conf_check_u64_(conf_ctx *ctx, const char *file, int line,
                     const char *expr, uint64_t actual, uint64_t expected,
                     bool hex)
{
    char e[64], a[64];
    if (hex) {
        snprintf(e, sizeof e, "0x%llX", (unsigned long long)expected);
        snprintf(a, sizeof a, "0x%llX", (unsigned long long)actual);
    } else {
        snprintf(e, sizeof e, "%llu", (unsigned long long)expected);
        snprintf(a, sizeof a, "%llu", (unsigned long long)actual);
    }
    record(ctx, file, line, expr, actual == expected, e, a);
}

const char *conf_state_name(int state)
{
    static const char *const names[] = {
        "QUEUED",          "CONNECTING",  "TRANSFERRING", "SUSPENDED", "ERROR",
        "TRANSIENT_ERROR", "TRANSFERRED", "ACKNOWLEDGED", "CANCELLED",
    };
    if (state >= 0 && state < (int)CONF_ARRAY_LEN(names))
        return names[state];
    return "?";
}

void conf_check_state_(conf_ctx *ctx, const char *file, int line,
                       const char *expr, int actual, int expected)
{
    char e[64], a[64];
    snprintf(e, sizeof e, "%d %s", expected, conf_state_name(expected));
    snprintf(a, sizeof a, "%d %s", actual, conf_state_name(actual));
    record(ctx, file, line, expr, actual == expected, e, a);
}

static void quote_w(char *dst, size_t len, const WCHAR *s)
{
    if (!s) {
        snprintf(dst, len, "NULL");
        return;
    }
    char *u = utf8_of(s);
    size_t n = wlen(s);
    if (n > 80 && u) {
        /* long strings: length and head only */
        snprintf(dst, len, "\"%.40s...\" (%zu chars)", u, n);
    } else {
        snprintf(dst, len, "\"%s\"", u ? u : "?");
    }
    free(u);
}

void conf_check_wstr_(conf_ctx *ctx, const char *file, int line,
                      const char *expr, const WCHAR *actual,
                      const WCHAR *expected)
{
    bool ok;
    if (!actual || !expected) {
        ok = actual == expected;
    } else {
        size_t i = 0;
        while (actual[i] && actual[i] == expected[i])
            i++;
        ok = actual[i] == expected[i];
    }
    char e[256], a[256];
    quote_w(e, sizeof e, expected);
    quote_w(a, sizeof a, actual);
    record(ctx, file, line, expr, ok, e, a);
}

static void guid_str(char *dst, size_t len, const GUID *g)
{
    snprintf(dst, len, "{%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}",
             (unsigned)g->Data1, g->Data2, g->Data3, g->Data4[0], g->Data4[1],
             g->Data4[2], g->Data4[3], g->Data4[4], g->Data4[5], g->Data4[6],
             g->Data4[7]);
}

void conf_check_guid_(conf_ctx *ctx, const char *file, int line,
                      const char *expr, const GUID *actual,
                      const GUID *expected)
{
    char e[64], a[64];
    guid_str(e, sizeof e, expected);
    guid_str(a, sizeof a, actual);
    record(ctx, file, line, expr, !memcmp(actual, expected, sizeof(GUID)), e,
           a);
}

void conf_check_ptr_(conf_ctx *ctx, const char *file, int line,
                     const char *expr, const void *actual, const void *expected)
{
    char e[64], a[64];
    if (expected)
        snprintf(e, sizeof e, "%p", expected);
    else
        snprintf(e, sizeof e, "NULL");
    if (actual)
        snprintf(a, sizeof a, "%p", actual);
    else
        snprintf(a, sizeof a, "NULL");
    record(ctx, file, line, expr, actual == expected, e, a);
}

void conf_check_nonnull_(conf_ctx *ctx, const char *file, int line,
                         const char *expr, const void *actual)
{
    char a[64];
    if (actual == CONF_POISON_PTR)
        snprintf(a, sizeof a, "%p (poison: not written)", actual);
    else if (actual)
        snprintf(a, sizeof a, "%p", actual);
    else
        snprintf(a, sizeof a, "NULL");
    record(ctx, file, line, expr, actual && actual != CONF_POISON_PTR,
           "a valid pointer", a);
}

void conf_check_true_(conf_ctx *ctx, const char *file, int line,
                      const char *expr, bool cond, const char *expected,
                      const char *actual)
{
    record(ctx, file, line, expr, cond, expected, actual);
}

void conf_fail(conf_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    put(ctx->priv->message, sizeof ctx->priv->message, fmt, ap);
    va_end(ap);
    end_case(ctx, CONF_O_FAIL);
}

void conf_skip(conf_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    put(ctx->priv->message, sizeof ctx->priv->message, fmt, ap);
    va_end(ap);
    end_case(ctx, CONF_O_SKIP);
}

/* ---- helpers ------------------------------------------------------------ */

void *conf_alloc(conf_ctx *ctx, size_t n)
{
    struct conf_ctx_priv *p = ctx->priv;
    if (p->nallocs == p->capallocs) {
        size_t ncap = p->capallocs ? p->capallocs * 2 : 32;
        void **na = realloc(p->allocs, ncap * sizeof *na);
        if (!na)
            conf_fail(ctx, "docts: out of memory");
        p->allocs = na;
        p->capallocs = ncap;
    }
    void *m = calloc(1, n ? n : 1);
    if (!m)
        conf_fail(ctx, "docts: out of memory");
    p->allocs[p->nallocs++] = m;
    return m;
}

WCHAR *conf_w(conf_ctx *ctx, const char *utf8)
{
    WCHAR *w = utf16_of(utf8);
    if (!w)
        conf_fail(ctx, "docts: out of memory");
    size_t n = (wlen(w) + 1) * sizeof *w;
    WCHAR *copy = conf_alloc(ctx, n);
    memcpy(copy, w, n);
    free(w);
    return copy;
}

const char *conf_u8(conf_ctx *ctx, const WCHAR *s)
{
    if (!s)
        return "(null)";
    char *u = utf8_of(s);
    if (!u)
        conf_fail(ctx, "docts: out of memory");
    char *copy = conf_alloc(ctx, strlen(u) + 1);
    memcpy(copy, u, strlen(u) + 1);
    free(u);
    return copy;
}

WCHAR *conf_wrepeat(conf_ctx *ctx, WCHAR ch, size_t n)
{
    WCHAR *w = conf_alloc(ctx, (n + 1) * sizeof *w);
    for (size_t i = 0; i < n; i++)
        w[i] = ch;
    w[n] = 0;
    return w;
}

WCHAR *conf_tmp_path(conf_ctx *ctx, const char *name)
{
    size_t n = strlen(ctx->tmpdir) + strlen(name) + 2;
    char *u = conf_alloc(ctx, n);
    snprintf(u, n, "%s%c%s", ctx->tmpdir, CONF_PLAT_SEP, name);
    return conf_w(ctx, u);
}

void conf_track_job(conf_ctx *ctx, IBackgroundCopyJob *job)
{
    struct conf_ctx_priv *p = ctx->priv;
    if (p->njobs == MAX_JOBS)
        conf_fail(ctx, "docts: more than %d jobs in one case", MAX_JOBS);
    IBackgroundCopyJob_AddRef(job);
    p->jobs[p->njobs++] = job;
}

void conf_defer_release(conf_ctx *ctx, IUnknown *unk)
{
    struct conf_ctx_priv *p = ctx->priv;
    if (!unk)
        return;
    if (p->nrel == MAX_RELEASE)
        conf_fail(ctx, "docts: too many deferred releases");
    p->rel[p->nrel++] = unk;
}

/* An instance of CLSID through the class object GCO finds. */
static HRESULT create_with(LPFNGETCLASSOBJECT gco, const CLSID *clsid,
                           REFIID riid, void **out)
{
    IClassFactory *cf = NULL;
    *out = NULL;
    HRESULT hr = gco(clsid, &IID_IClassFactory, (void **)&cf);
    if (FAILED(hr))
        return hr;
    if (!cf)
        return E_POINTER;
    hr = IClassFactory_CreateInstance(cf, NULL, riid, out);
    IClassFactory_Release(cf);
    return hr;
}

HRESULT conf_create(conf_ctx *ctx, const CLSID *clsid, REFIID riid, void **out)
{
    return create_with(ctx->get_class_object, clsid, riid, out);
}

IBackgroundCopyJob *conf_new_job(conf_ctx *ctx, const WCHAR *name,
                                 BG_JOB_TYPE type, GUID *id)
{
    IBackgroundCopyJob *job = CONF_POISON_PTR;
    GUID gid;
    memset(&gid, 0, sizeof gid);
    if (!ctx->mgr)
        conf_fail(ctx, "docts: conf_new_job needs SETUP_MANAGER");
    CONF_EXPECT_HR(
        ctx, IBackgroundCopyManager_CreateJob(ctx->mgr, name, type, &gid, &job),
        S_OK);
    CONF_EXPECT_NONNULL(ctx, job);
    conf_track_job(ctx, job);
    static const GUID zero;
    CONF_EXPECT_TRUE(ctx, memcmp(&gid, &zero, sizeof gid) != 0,
                     "a non-zero job GUID", "GUID_NULL");
    if (id)
        *id = gid;
    return job;
}

void conf_sleep_ms(conf_ctx *ctx, unsigned ms)
{
#ifdef DOCTS_HAVE_TEST_CLOCK
    if (ctx->clock) {
        CONF_EXPECT_HR(ctx, IDoctsTestClock_Advance(ctx->clock, ms), S_OK);
        conf_plat_sleep_ms(ms < 20 ? ms : 20); /* let its threads run */
        return;
    }
#endif
    conf_plat_sleep_ms(ms);
}

/* ---- one instance, in the child ----------------------------------------- */

static void emit(conf_chan *chan, char key, const char *val)
{
    char buf[8192];
    size_t o = 0;
    buf[o++] = key;
    buf[o++] = ' ';
    for (const char *s = val; s && *s && o < sizeof buf - 4; s++) {
        if (*s == '\\') {
            buf[o++] = '\\';
            buf[o++] = '\\';
        } else if (*s == '\n') {
            buf[o++] = '\\';
            buf[o++] = 'n';
        } else {
            buf[o++] = *s;
        }
    }
    buf[o++] = '\n';
    conf_plat_chan_write(chan, buf, o);
}

static const CLSID *profile_clsid(unsigned profile)
{
    return profile == CONF_P_DO ? &CLSID_DeliveryOptimization
                                : &CLSID_BackgroundCopyManager;
}

/* DllGetClassObject of IMPL (a library path, or the system's COM runtime
 * for CONF_IMPL_SYSTEM); its DllCanUnloadNow into *UNLOAD when it has one.
 * NULL with the reason in ERR.  The library stays loaded: the
 * implementation's threads may run until the process ends. */
static LPFNGETCLASSOBJECT impl_class_object(const char *impl,
                                            LPFNCANUNLOADNOW *unload, char *err,
                                            size_t errlen)
{
    LPFNGETCLASSOBJECT gco = NULL;
    *unload = NULL;
    if (!strcmp(impl, CONF_IMPL_SYSTEM)) {
        conf_plat_fn fn = conf_plat_system_com(err, errlen);
        memcpy(&gco, &fn, sizeof fn);
        return gco;
    }
    char why[400];
    conf_lib *lib = conf_plat_lib_open(impl, why, sizeof why);
    if (!lib) {
        snprintf(err, errlen, "cannot load %s: %s", impl, why);
        return NULL;
    }
    gco = (LPFNGETCLASSOBJECT)conf_plat_lib_sym(lib, "DllGetClassObject");
    *unload = (LPFNCANUNLOADNOW)conf_plat_lib_sym(lib, "DllCanUnloadNow");
    if (!gco)
        snprintf(err, errlen, "%s does not export DllGetClassObject", impl);
    return gco;
}

/* The setup a case asked for; failures end the case through longjmp. */
static void do_setup(conf_ctx *ctx, const conf_exec *e)
{
    const conf_case *c = e->c;
    if ((c->needs & CONF_NEEDS_INPROC) && ctx->out_of_process)
        conf_skip(ctx, CONF_NOT_APPLICABLE
                  "the case checks what only an in-process server answers "
                  "(its DLL exports, LockServer, or a NULL [out] pointer a "
                  "proxy refuses before the call leaves the client)");
    if (c->setup == CONF_SETUP_NONE)
        return;
    char err[512];
    ctx->get_class_object =
        impl_class_object(e->impl, &ctx->can_unload_now, err, sizeof err);
    if (!ctx->get_class_object)
        conf_fail(ctx, "setup: %s", err);
    if (c->setup == CONF_SETUP_LIB)
        return;
    IBackgroundCopyManager *mgr = NULL;
    HRESULT hr = conf_create(ctx, ctx->clsid, &IID_IBackgroundCopyManager,
                             (void **)&mgr);
    char b[96];
    if (hr == E_NOINTERFACE || hr == CLASS_E_CLASSNOTAVAILABLE)
        conf_skip(ctx, "the %s coclass offers no IBackgroundCopyManager (%s)",
                  ctx->profile_name, conf_hr_str(hr, b, sizeof b));
    if (FAILED(hr) || !mgr)
        conf_fail(ctx, "setup: creating the %s manager failed: %s",
                  ctx->profile_name, conf_hr_str(hr, b, sizeof b));
    ctx->mgr = mgr;
    if (c->setup == CONF_SETUP_JOB)
        ctx->job =
            conf_new_job(ctx, u"docts", BG_JOB_TYPE_DOWNLOAD, &ctx->job_id);
    /* interfaces the suite / case needs on its setup object */
    const IID *need[2] = {e->suite->iid, c->iid};
    for (int i = 0; i < 2; i++) {
        if (!need[i])
            continue;
        IUnknown *target =
            ctx->job ? (IUnknown *)ctx->job : (IUnknown *)ctx->mgr;
        void *p = NULL;
        hr = IUnknown_QueryInterface(target, need[i], &p);
        if (hr == E_NOINTERFACE)
            conf_skip(ctx, "interface not supported by the implementation "
                           "(QueryInterface: E_NOINTERFACE)");
        if (FAILED(hr) || !p)
            conf_fail(ctx,
                      "setup: QueryInterface for the case's interface "
                      "failed: %s",
                      conf_hr_str(hr, b, sizeof b));
        IUnknown_Release((IUnknown *)p);
    }
    if (c->needs & CONF_NEEDS_CLOCK) {
#ifdef DOCTS_HAVE_TEST_CLOCK
        void *clk = NULL;
        hr = IUnknown_QueryInterface((IUnknown *)ctx->mgr, &IID_IDoctsTestClock,
                                     &clk);
        if (SUCCEEDED(hr) && clk) {
            ctx->clock = clk;
            conf_defer_release(ctx, (IUnknown *)clk);
        } else if (!e->slow) {
            conf_skip(ctx, "timed case: no IDoctsTestClock and no --slow");
        }
#else
        if (!e->slow)
            conf_skip(ctx, "timed case: no IDoctsTestClock and no --slow");
#endif
    }
}

static void teardown(conf_ctx *ctx)
{
    struct conf_ctx_priv *p = ctx->priv;
    for (size_t i = 0; i < p->njobs; i++) {
        (void)IBackgroundCopyJob_Cancel(p->jobs[i]);
        IBackgroundCopyJob_Release(p->jobs[i]);
    }
    p->njobs = 0;
    if (ctx->job)
        IBackgroundCopyJob_Release(ctx->job);
    ctx->job = NULL;
    for (size_t i = p->nrel; i > 0; i--)
        IUnknown_Release(p->rel[i - 1]);
    p->nrel = 0;
    if (ctx->mgr)
        IBackgroundCopyManager_Release(ctx->mgr);
    ctx->mgr = NULL;
    for (size_t i = 0; i < p->nallocs; i++)
        free(p->allocs[i]);
    free(p->allocs);
    p->allocs = NULL;
    p->nallocs = p->capallocs = 0;
}

static void set_env_dirs(const char *tmpdir)
{
    /* every per-user location an implementation may keep jobs in points
     * into the case's private directory */
    static const char *const vars[][2] = {
        {"HOME", "home"},
        {"XDG_STATE_HOME", "state"},
        {"XDG_DATA_HOME", "data"},
        {"XDG_CONFIG_HOME", "config"},
        {"XDG_CACHE_HOME", "cache"},
        {"XDG_RUNTIME_DIR", "run"},
        {"APPDATA", "data"},
        {"LOCALAPPDATA", "state"},
    };
    char path[4096];
    for (size_t i = 0; i < CONF_ARRAY_LEN(vars); i++) {
        snprintf(path, sizeof path, "%s%c%s", tmpdir, CONF_PLAT_SEP,
                 vars[i][1]);
        conf_plat_mkdirs(path);
        conf_plat_setenv(vars[i][0], path);
    }
    snprintf(path, sizeof path, "%s%ctmp", tmpdir, CONF_PLAT_SEP);
    conf_plat_mkdirs(path);
    conf_plat_setenv("TMPDIR", path);
    /* Windows' temporary directory; also where the case's helper
     * processes keep their files, removed with the case */
    conf_plat_setenv("TMP", path);
    conf_plat_setenv("TEMP", path);
}

/* One instance per child. */
static struct conf_ctx_priv cur_priv;
static conf_ctx cur_ctx;
static conf_chan *result_chan;

/* Tears down and sends the result record. */
static void finish(void)
{
    cur_priv.in_body = false;
    /* teardown must not assert; a crash in it is reported as CRASH */
    teardown(&cur_ctx);

    char num[32];
    emit(result_chan, 'O', conf_outcome_name(cur_priv.outcome));
    snprintf(num, sizeof num, "%u", cur_priv.checks);
    emit(result_chan, 'C', num);
    emit(result_chan, 'E', cur_priv.expected);
    emit(result_chan, 'A', cur_priv.actual);
    emit(result_chan, 'M', cur_priv.message);
    emit(result_chan, 'W', cur_priv.where);
    emit(result_chan, 'X', cur_priv.check);
    emit(result_chan, 'Z', "end");
}

/* A proxy refused a call of the case body (NULL [ref] pointer): the case
 * does not apply out of process.  Runs inside the exception filter, on the
 * thread of the refused call, which is intact: the jobs are still
 * cancelled before the child ends. */
static void refused_by_proxy(unsigned code)
{
    cur_priv.outcome = CONF_O_SKIP;
    setf(cur_priv.message, sizeof cur_priv.message,
         CONF_NOT_APPLICABLE "the proxy refused the call with exception "
                             "0x%X (RPC_X_NULL_REF_POINTER: a NULL [ref] or "
                             "[out] pointer never reaches the server)%s%s",
         code, cur_priv.where[0] ? "; last check at " : "", cur_priv.where);
    finish();
    conf_plat_child_exit(0);
}

void conf_case_execute(void *arg, conf_chan *chan)
{
    const conf_exec *e = arg;
    result_chan = chan;
    memset(&cur_priv, 0, sizeof cur_priv);
    memset(&cur_ctx, 0, sizeof cur_ctx);
    cur_ctx.priv = &cur_priv;
    cur_ctx.profile = e->profile;
    cur_ctx.profile_name = conf_profile_name(e->profile);
    cur_ctx.clsid = profile_clsid(e->profile);
    cur_ctx.tmpdir = e->tmpdir;
    cur_ctx.mock_url = e->mock_url;
    cur_ctx.slow = e->slow;
    cur_ctx.out_of_process = !strcmp(e->impl, CONF_IMPL_SYSTEM);
    cur_priv.outcome = CONF_O_PASS;
    cur_priv.impl = e->impl;
    set_env_dirs(e->tmpdir);

    if (cur_ctx.out_of_process)
        conf_plat_on_proxy_refusal(refused_by_proxy);
    if (setjmp(cur_priv.jb) == 0) {
        cur_priv.in_body = true;
        do_setup(&cur_ctx, e);
        e->c->run(&cur_ctx, e->c);
        cur_priv.outcome = CONF_O_PASS;
    }
    finish();
}

/* ---- a helper process that loads the implementation itself -------------- */

#define HELPER_PREFIX "docts-helper: "

/* docts --helper create-job IMPL PROFILE NAME: what Wine's qmgr.c do_child
 * does in its second process.  Prints "docts-helper: <HRESULT> <GUID>"
 * and ends with 0 on success, 1 with the failing HRESULT otherwise; 2 for
 * arguments it does not know. */
int conf_helper_main(int argc, char **argv)
{
    if (argc != 4 || strcmp(argv[0], "create-job") != 0) {
        fprintf(stderr, "docts: --helper is for docts's own cases\n");
        return 2;
    }
    char err[512], g[64] = "{}";
    LPFNCANUNLOADNOW unload;
    LPFNGETCLASSOBJECT gco =
        impl_class_object(argv[1], &unload, err, sizeof err);
    if (!gco) {
        printf(HELPER_PREFIX "0x%08X %s\n", (unsigned)E_FAIL, err);
        fflush(stdout);
        return 1;
    }
    IBackgroundCopyManager *mgr = NULL;
    IBackgroundCopyJob *job = NULL;
    GUID id;
    memset(&id, 0, sizeof id);
    HRESULT hr = create_with(gco, profile_clsid(conf_parse_profile(argv[2])),
                             &IID_IBackgroundCopyManager, (void **)&mgr);
    WCHAR *name = SUCCEEDED(hr) ? utf16_of(argv[3]) : NULL;
    if (SUCCEEDED(hr) && !name)
        hr = E_OUTOFMEMORY;
    if (SUCCEEDED(hr))
        hr = IBackgroundCopyManager_CreateJob(mgr, name, BG_JOB_TYPE_DOWNLOAD,
                                              &id, &job);
    if (SUCCEEDED(hr))
        guid_str(g, sizeof g, &id);
    if (job)
        IBackgroundCopyJob_Release(job);
    if (mgr)
        IBackgroundCopyManager_Release(mgr);
    free(name);
    printf(HELPER_PREFIX "0x%08X %s\n", (unsigned)hr, g);
    /* as a case's child: no exit handlers, the implementation stays
     * loaded and its threads may still run */
    conf_plat_child_exit(hr == S_OK ? 0 : 1);
}

HRESULT conf_job_from_helper(conf_ctx *ctx, const char *name, GUID *id)
{
    const char *argv[] = {"--helper",        "create-job", ctx->priv->impl,
                          ctx->profile_name, name,         NULL};
    char line[600];
    int status = -1;
    memset(id, 0, sizeof *id);
    if (conf_plat_self_run(argv, HELPER_PREFIX, 60000, line, sizeof line,
                           &status) != 0)
        conf_fail(ctx, "the helper process: %s", line);
    unsigned hr = 0, d1 = 0, d2 = 0, d3 = 0, d4[8] = {0};
    int n = sscanf(line, "0x%8X {%8X-%4X-%4X-%2X%2X-%2X%2X%2X%2X%2X%2X}", &hr,
                   &d1, &d2, &d3, &d4[0], &d4[1], &d4[2], &d4[3], &d4[4],
                   &d4[5], &d4[6], &d4[7]);
    if (n < 1)
        conf_fail(ctx, "the helper process printed \"%s\"", line);
    if (n == 12) {
        id->Data1 = d1;
        id->Data2 = (unsigned short)d2;
        id->Data3 = (unsigned short)d3;
        for (int i = 0; i < 8; i++)
            id->Data4[i] = (unsigned char)d4[i];
    }
    if ((hr == S_OK) != (status == 0) || (hr == S_OK && n != 12))
        conf_fail(ctx, "the helper process printed \"%s\" and exited %d", line,
                  status);
    return (HRESULT)hr;
}
