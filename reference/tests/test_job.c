/*
 * IBackgroundCopyJob, every method outside the state rules (those are in
 * test_job_state.c): defaults of a new job, NULL out-pointers, each
 * setter's bounds and clamping, string limits, AddFile/AddFileSet
 * validation and atomicity, upload jobs, owner and TakeOwnership, in
 * both modes.  Decisions cited by ID are in docs/decisions.md.
 */
#include "support.h"

#include <docom.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ref_owner.h"
#include "ref_policy.h"

/* Reads a CoTaskMemAlloc'd string property and compares it. */
typedef HRESULT (*wgetter)(IBackgroundCopyJob *, LPWSTR *);

static HRESULT get_display_name(IBackgroundCopyJob *j, LPWSTR *s)
{
    return IBackgroundCopyJob_GetDisplayName(j, s);
}

static HRESULT get_description(IBackgroundCopyJob *j, LPWSTR *s)
{
    return IBackgroundCopyJob_GetDescription(j, s);
}

static void check_wgetter(const char *ctx, IBackgroundCopyJob *job, wgetter get,
                          const WCHAR *expected)
{
    LPWSTR got = POISON_PTR;
    ASSERT_HR_AT(ctx, S_OK, get(job, &got));
    ASSERT_WSTR(expected, got);
    if (got != POISON_PTR)
        CoTaskMemFree(got);
}

static int64_t ft64(FILETIME ft)
{
    return (int64_t)(((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime);
}

/* JOB-01, D6, D9, R6, R16, R17, R18: a new job's every property. */
static void defaults(enum mode mode)
{
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *job = fx_job(&fx, 0);
    if (!job)
        goto out;

    ASSERT_U64(BG_JOB_STATE_SUSPENDED, job_state(job));
    BG_JOB_TYPE type = (BG_JOB_TYPE)POISON_U32;
    ASSERT_HR(S_OK, IBackgroundCopyJob_GetType(job, &type));
    ASSERT_U64(BG_JOB_TYPE_DOWNLOAD, type);
    BG_JOB_PRIORITY prio = (BG_JOB_PRIORITY)POISON_U32;
    ASSERT_HR(S_OK, IBackgroundCopyJob_GetPriority(job, &prio));
    ASSERT_U64(BG_JOB_PRIORITY_NORMAL, prio);
    ULONG v = POISON_U32;
    ASSERT_HR(S_OK, IBackgroundCopyJob_GetNotifyFlags(job, &v));
    ASSERT_U64(BG_NOTIFY_JOB_TRANSFERRED | BG_NOTIFY_JOB_ERROR, v);
    IUnknown *cb = POISON_PTR;
    ASSERT_HR(S_OK, IBackgroundCopyJob_GetNotifyInterface(job, &cb));
    ASSERT_PTR(NULL, cb);
    BG_JOB_PROGRESS prog;
    POISON(prog);
    ASSERT_HR(S_OK, IBackgroundCopyJob_GetProgress(job, &prog));
    ASSERT_U64(0, prog.BytesTotal);
    ASSERT_U64(0, prog.BytesTransferred);
    ASSERT_U64(0, prog.FilesTotal);
    ASSERT_U64(0, prog.FilesTransferred);
    v = POISON_U32;
    ASSERT_HR(S_OK, IBackgroundCopyJob_GetMinimumRetryDelay(job, &v));
    ASSERT_U64(600, v);
    v = POISON_U32;
    ASSERT_HR(S_OK, IBackgroundCopyJob_GetNoProgressTimeout(job, &v));
    /* R18: DO mode's default follows priority (NORMAL -> 86400). */
    ASSERT_U64(mode == MODE_BITS ? 1209600 : 86400, v);
    v = POISON_U32;
    ASSERT_HR(S_OK, IBackgroundCopyJob_GetErrorCount(job, &v));
    ASSERT_U64(0, v);
    check_wgetter("display name", job, get_display_name, u"docts");
    check_wgetter("description", job, get_description, u"");

    BG_JOB_PROXY_USAGE usage = (BG_JOB_PROXY_USAGE)POISON_U32;
    LPWSTR list = POISON_PTR, bypass = POISON_PTR;
    ASSERT_HR(S_OK,
              IBackgroundCopyJob_GetProxySettings(job, &usage, &list, &bypass));
    ASSERT_U64(BG_JOB_PROXY_USAGE_PRECONFIG, usage);
    ASSERT_PTR(NULL, list);
    ASSERT_PTR(NULL, bypass);

    BG_JOB_TIMES times;
    POISON(times);
    ASSERT_HR(S_OK, IBackgroundCopyJob_GetTimes(job, &times));
    ASSERT_TRUE(ft64(times.CreationTime) > 0);
    ASSERT_TRUE(ft64(times.ModificationTime) >= ft64(times.CreationTime));
    ASSERT_U64(0, ft64(times.TransferCompletionTime));

    IBackgroundCopyError *err = POISON_PTR;
    ASSERT_HR(hr_mode(mode, BG_E_ERROR_INFORMATION_UNAVAILABLE),
              IBackgroundCopyJob_GetError(job, &err));
    ASSERT_PTR(NULL, err);
out:
    fx_close(&fx);
}
BOTH_MODES(defaults)

/* R6: the owner is S-1-5-21-0-0-0-<1000+uid> unless overridden. */
static void getowner_sid(enum mode mode)
{
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *job = fx_job(&fx, 0);
    if (!job)
        goto out;
    LPWSTR owner = POISON_PTR;
    ASSERT_HR(S_OK, IBackgroundCopyJob_GetOwner(job, &owner));
    if (owner == POISON_PTR || !owner)
        goto out;
    /* main() clears DOREF_OWNER_SID, so the default applies. */
    WCHAR *exp = wfmt("S-1-5-21-0-0-0-%lu", 1000ul + getuid());
    ASSERT_WSTR(exp, owner);
    ASSERT_TRUE(wlen(owner) > 4 && !memcmp(owner, u"S-1-", 8));
    CoTaskMemFree(exp);
    CoTaskMemFree(owner);
out:
    fx_close(&fx);
}
BOTH_MODES(getowner_sid)

/* R1: every getter answers E_INVALIDARG to a NULL out-pointer. */
static HRESULT n_getid(IBackgroundCopyJob *j)
{
    return IBackgroundCopyJob_GetId(j, NULL);
}
static HRESULT n_gettype(IBackgroundCopyJob *j)
{
    return IBackgroundCopyJob_GetType(j, NULL);
}
static HRESULT n_getprogress(IBackgroundCopyJob *j)
{
    return IBackgroundCopyJob_GetProgress(j, NULL);
}
static HRESULT n_gettimes(IBackgroundCopyJob *j)
{
    return IBackgroundCopyJob_GetTimes(j, NULL);
}
static HRESULT n_getstate(IBackgroundCopyJob *j)
{
    return IBackgroundCopyJob_GetState(j, NULL);
}
static HRESULT n_geterror(IBackgroundCopyJob *j)
{
    return IBackgroundCopyJob_GetError(j, NULL);
}
static HRESULT n_getowner(IBackgroundCopyJob *j)
{
    return IBackgroundCopyJob_GetOwner(j, NULL);
}
static HRESULT n_getdisplayname(IBackgroundCopyJob *j)
{
    return IBackgroundCopyJob_GetDisplayName(j, NULL);
}
static HRESULT n_getdescription(IBackgroundCopyJob *j)
{
    return IBackgroundCopyJob_GetDescription(j, NULL);
}
static HRESULT n_getpriority(IBackgroundCopyJob *j)
{
    return IBackgroundCopyJob_GetPriority(j, NULL);
}
static HRESULT n_getnotifyflags(IBackgroundCopyJob *j)
{
    return IBackgroundCopyJob_GetNotifyFlags(j, NULL);
}
static HRESULT n_getnotifyinterface(IBackgroundCopyJob *j)
{
    return IBackgroundCopyJob_GetNotifyInterface(j, NULL);
}
static HRESULT n_getminimumretrydelay(IBackgroundCopyJob *j)
{
    return IBackgroundCopyJob_GetMinimumRetryDelay(j, NULL);
}
static HRESULT n_getnoprogresstimeout(IBackgroundCopyJob *j)
{
    return IBackgroundCopyJob_GetNoProgressTimeout(j, NULL);
}
static HRESULT n_geterrorcount(IBackgroundCopyJob *j)
{
    return IBackgroundCopyJob_GetErrorCount(j, NULL);
}
static HRESULT n_enumfiles(IBackgroundCopyJob *j)
{
    return IBackgroundCopyJob_EnumFiles(j, NULL);
}
static HRESULT n_proxy_usage(IBackgroundCopyJob *j)
{
    LPWSTR a = POISON_PTR, b = POISON_PTR;
    HRESULT hr = IBackgroundCopyJob_GetProxySettings(j, NULL, &a, &b);
    ASSERT_PTR(NULL, a);
    ASSERT_PTR(NULL, b);
    return hr;
}
static HRESULT n_proxy_list(IBackgroundCopyJob *j)
{
    BG_JOB_PROXY_USAGE u;
    LPWSTR b = POISON_PTR;
    HRESULT hr = IBackgroundCopyJob_GetProxySettings(j, &u, NULL, &b);
    ASSERT_PTR(NULL, b);
    return hr;
}
static HRESULT n_proxy_bypass(IBackgroundCopyJob *j)
{
    BG_JOB_PROXY_USAGE u;
    LPWSTR a = POISON_PTR;
    HRESULT hr = IBackgroundCopyJob_GetProxySettings(j, &u, &a, NULL);
    ASSERT_PTR(NULL, a);
    return hr;
}

static const struct {
    const char *name;
    HRESULT (*call)(IBackgroundCopyJob *);
} null_rows[] = {
    {"GetId", n_getid},
    {"GetType", n_gettype},
    {"GetProgress", n_getprogress},
    {"GetTimes", n_gettimes},
    {"GetState", n_getstate},
    {"GetError", n_geterror},
    {"GetOwner", n_getowner},
    {"GetDisplayName", n_getdisplayname},
    {"GetDescription", n_getdescription},
    {"GetPriority", n_getpriority},
    {"GetNotifyFlags", n_getnotifyflags},
    {"GetNotifyInterface", n_getnotifyinterface},
    {"GetMinimumRetryDelay", n_getminimumretrydelay},
    {"GetNoProgressTimeout", n_getnoprogresstimeout},
    {"GetErrorCount", n_geterrorcount},
    {"EnumFiles", n_enumfiles},
    {"GetProxySettings(NULL usage)", n_proxy_usage},
    {"GetProxySettings(NULL list)", n_proxy_list},
    {"GetProxySettings(NULL bypass)", n_proxy_bypass},
};

static void null_out_pointers(enum mode mode)
{
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *job = fx_job(&fx, 1);
    if (!job)
        goto out;
    for (size_t i = 0; i < ARRAY_LEN(null_rows); i++)
        ASSERT_HR_AT(null_rows[i].name, E_INVALIDARG, null_rows[i].call(job));
out:
    fx_close(&fx);
}
BOTH_MODES(null_out_pointers)

/* A string setter row: a string of `len` 'x's (or NULL / a literal). */
struct str_row {
    const char *name;
    int kind; /* 0 = literal, 1 = repeat, 2 = NULL */
    const WCHAR *lit;
    size_t len;
    HRESULT hr;
};

static WCHAR *row_string(const struct str_row *r)
{
    if (r->kind == 2)
        return NULL;
    if (r->kind == 1)
        return wrepeat(NULL, u'x', r->len);
    return wrepeat(r->lit, u'x', 0);
}

typedef HRESULT (*wsetter)(IBackgroundCopyJob *, LPCWSTR);

static HRESULT set_display_name(IBackgroundCopyJob *j, LPCWSTR s)
{
    return IBackgroundCopyJob_SetDisplayName(j, s);
}

static HRESULT set_description(IBackgroundCopyJob *j, LPCWSTR s)
{
    return IBackgroundCopyJob_SetDescription(j, s);
}

static void run_string_rows(enum mode mode, const struct str_row *rows,
                            size_t n, wsetter set, wgetter get)
{
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *job = fx_job(&fx, 0);
    if (!job)
        goto out;
    for (size_t i = 0; i < n; i++) {
        ASSERT_HR(S_OK, set(job, u"before"));
        WCHAR *s = row_string(&rows[i]);
        ASSERT_HR_AT(rows[i].name, rows[i].hr, set(job, s));
        check_wgetter(rows[i].name, job, get,
                      rows[i].hr == S_OK ? s : u"before");
        CoTaskMemFree(s);
    }
out:
    fx_close(&fx);
}

/* R16: display name <= 256, description <= 1024; failures change
 * nothing. */
static const struct str_row display_rows[] = {
    {"short", 0, u"new name", 0, S_OK},
    {"empty", 0, u"", 0, S_OK},
    {"non-ASCII", 0, u"caf\u00e9 \u6587\U0001F600", 0, S_OK},
    {"256", 1, NULL, 256, S_OK},
    {"257", 1, NULL, 257, BG_E_STRING_TOO_LONG},
    {"5000", 1, NULL, 5000, BG_E_STRING_TOO_LONG},
    {"NULL", 2, NULL, 0, E_INVALIDARG},
};

static void set_display_name_limits(enum mode mode)
{
    run_string_rows(mode, display_rows, ARRAY_LEN(display_rows),
                    set_display_name, get_display_name);
}
BOTH_MODES(set_display_name_limits)

static const struct str_row description_rows[] = {
    {"short", 0, u"a description", 0, S_OK},
    {"empty", 0, u"", 0, S_OK},
    {"1024", 1, NULL, 1024, S_OK},
    {"1025", 1, NULL, 1025, BG_E_STRING_TOO_LONG},
    {"NULL", 2, NULL, 0, E_INVALIDARG},
};

static void set_description_limits(enum mode mode)
{
    run_string_rows(mode, description_rows, ARRAY_LEN(description_rows),
                    set_description, get_description);
}
BOTH_MODES(set_description_limits)

/* JOB-09: string getters hand out independent copies. */
static void string_getters_copy(enum mode mode)
{
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *job = fx_job(&fx, 0);
    if (!job)
        goto out;
    LPWSTR a = POISON_PTR, b = POISON_PTR;
    ASSERT_HR(S_OK, IBackgroundCopyJob_GetDisplayName(job, &a));
    ASSERT_HR(S_OK, IBackgroundCopyJob_GetDisplayName(job, &b));
    if (a != POISON_PTR && b != POISON_PTR && a && b) {
        ASSERT_TRUE(a != b);
        a[0] = u'X';
        CoTaskMemFree(a);
        check_wgetter("after modify", job, get_display_name, u"docts");
        CoTaskMemFree(b);
    }
out:
    fx_close(&fx);
}
BOTH_MODES(string_getters_copy)

/* SetPriority: the four enum values round-trip, others -> E_NOTIMPL. */
static void priority(enum mode mode)
{
    static const struct {
        int value;
        HRESULT hr;
    } rows[] = {
        {BG_JOB_PRIORITY_FOREGROUND, S_OK},
        {BG_JOB_PRIORITY_HIGH, S_OK},
        {BG_JOB_PRIORITY_NORMAL, S_OK},
        {BG_JOB_PRIORITY_LOW, S_OK},
        {4, E_NOTIMPL},
        {-1, E_NOTIMPL},
        {0x7fffffff, E_NOTIMPL},
    };
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *job = fx_job(&fx, 0);
    if (!job)
        goto out;
    for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
        char ctx[32];
        snprintf(ctx, sizeof ctx, "priority %d", rows[i].value);
        ASSERT_HR(S_OK,
                  IBackgroundCopyJob_SetPriority(job, BG_JOB_PRIORITY_LOW));
        ASSERT_HR_AT(ctx, rows[i].hr,
                     IBackgroundCopyJob_SetPriority(
                         job, (BG_JOB_PRIORITY)rows[i].value));
        BG_JOB_PRIORITY p = (BG_JOB_PRIORITY)POISON_U32;
        ASSERT_HR(S_OK, IBackgroundCopyJob_GetPriority(job, &p));
        ASSERT_U64_AT(
            ctx, rows[i].hr == S_OK ? rows[i].value : BG_JOB_PRIORITY_LOW, p);
    }
out:
    fx_close(&fx);
}
BOTH_MODES(priority)

/* R18: DO mode's no-progress default follows the priority until set. */
static void no_progress_default_by_priority(enum mode mode)
{
    static const struct {
        BG_JOB_PRIORITY prio;
        ULONG bits, dom;
    } rows[] = {
        {BG_JOB_PRIORITY_FOREGROUND, 1209600, 3600},
        {BG_JOB_PRIORITY_HIGH, 1209600, 3600},
        {BG_JOB_PRIORITY_NORMAL, 1209600, 86400},
        {BG_JOB_PRIORITY_LOW, 1209600, 86400},
    };
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *job = fx_job(&fx, 0);
    if (!job)
        goto out;
    for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
        ASSERT_HR(S_OK, IBackgroundCopyJob_SetPriority(job, rows[i].prio));
        ULONG v = POISON_U32;
        ASSERT_HR(S_OK, IBackgroundCopyJob_GetNoProgressTimeout(job, &v));
        ASSERT_U64(mode == MODE_BITS ? rows[i].bits : rows[i].dom, v);
    }
    /* Once set explicitly, the value no longer follows the priority. */
    ASSERT_HR(S_OK, IBackgroundCopyJob_SetNoProgressTimeout(job, 77));
    ASSERT_HR(S_OK, IBackgroundCopyJob_SetPriority(job, BG_JOB_PRIORITY_HIGH));
    ULONG v = POISON_U32;
    ASSERT_HR(S_OK, IBackgroundCopyJob_GetNoProgressTimeout(job, &v));
    ASSERT_U64(77, v);
out:
    fx_close(&fx);
}
BOTH_MODES(no_progress_default_by_priority)

/* JOB-06, R19: bits inside 0x3F are stored (both modes), others
 * E_NOTIMPL and nothing changes. */
static void notify_flags(enum mode mode)
{
    static const struct {
        ULONG flags;
        HRESULT hr;
    } rows[] = {
        {0, S_OK},
        {BG_NOTIFY_JOB_TRANSFERRED, S_OK},
        {BG_NOTIFY_DISABLE, S_OK},
        {BG_NOTIFY_JOB_MODIFICATION | BG_NOTIFY_FILE_TRANSFERRED, S_OK},
        {BG_NOTIFY_FILE_RANGES_TRANSFERRED, S_OK},
        {0x3F, S_OK},
        {0x40, E_NOTIMPL},
        {0x41, E_NOTIMPL},
        {0x80000000u, E_NOTIMPL},
        {0xFFFFFFFFu, E_NOTIMPL},
    };
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *job = fx_job(&fx, 0);
    if (!job)
        goto out;
    for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
        char ctx[32];
        snprintf(ctx, sizeof ctx, "flags 0x%x", (unsigned)rows[i].flags);
        ASSERT_HR(S_OK, IBackgroundCopyJob_SetNotifyFlags(job, 0x3));
        ASSERT_HR_AT(ctx, rows[i].hr,
                     IBackgroundCopyJob_SetNotifyFlags(job, rows[i].flags));
        ULONG got = POISON_U32;
        ASSERT_HR(S_OK, IBackgroundCopyJob_GetNotifyFlags(job, &got));
        ASSERT_U64_AT(ctx, rows[i].hr == S_OK ? rows[i].flags : 0x3, got);
    }
out:
    fx_close(&fx);
}
BOTH_MODES(notify_flags)

/* SetNotifyInterface holds one reference; Get AddRefs; NULL clears;
 * a replacement releases the previous object. */
static void notify_interface(enum mode mode)
{
    struct fake a, b;
    fake_init(&a, 0);
    fake_init(&b, 1);
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *job = fx_job(&fx, 0);
    if (!job)
        goto out;
    ASSERT_HR(S_OK,
              IBackgroundCopyJob_SetNotifyInterface(job, fake_unknown(&a)));
    ASSERT_TRUE(fake_refs(&a) >= 2);
    IUnknown *got = POISON_PTR;
    int held = fake_refs(&a);
    ASSERT_HR(S_OK, IBackgroundCopyJob_GetNotifyInterface(job, &got));
    ASSERT_PTR(fake_unknown(&a), got);
    ASSERT_U64(held + 1, fake_refs(&a));
    if (got && got != POISON_PTR)
        release(got);

    ASSERT_HR(S_OK,
              IBackgroundCopyJob_SetNotifyInterface(job, fake_unknown(&b)));
    ASSERT_U64(1, fake_refs(&a));
    ASSERT_TRUE(fake_refs(&b) >= 2);
    got = POISON_PTR;
    ASSERT_HR(S_OK, IBackgroundCopyJob_GetNotifyInterface(job, &got));
    ASSERT_PTR(fake_unknown(&b), got);
    if (got && got != POISON_PTR)
        release(got);

    ASSERT_HR(S_OK, IBackgroundCopyJob_SetNotifyInterface(job, NULL));
    ASSERT_U64(1, fake_refs(&b));
    got = POISON_PTR;
    ASSERT_HR(S_OK, IBackgroundCopyJob_GetNotifyInterface(job, &got));
    ASSERT_PTR(NULL, got);
out:
    fx_close(&fx);
    ASSERT_U64(1, fake_refs(&a));
    ASSERT_U64(1, fake_refs(&b));
}
BOTH_MODES(notify_interface)

/* JOB-07, R18: retry delay clamps to 5; no-progress timeout stores
 * anything. */
static void retry_delay_clamp(enum mode mode)
{
    static const struct {
        ULONG set, get;
    } delay[] = {
        {0, 5}, {1, 5},     {4, 5},         {5, 5},
        {6, 6}, {600, 600}, {86400, 86400}, {0xFFFFFFFFu, 0xFFFFFFFFu}};
    static const ULONG timeouts[] = {0, 1, 5, 1209600, 0xFFFFFFFFu};
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *job = fx_job(&fx, 0);
    if (!job)
        goto out;
    for (size_t i = 0; i < ARRAY_LEN(delay); i++) {
        char ctx[32];
        snprintf(ctx, sizeof ctx, "delay %u", (unsigned)delay[i].set);
        ASSERT_HR_AT(
            ctx, S_OK,
            IBackgroundCopyJob_SetMinimumRetryDelay(job, delay[i].set));
        ULONG v = POISON_U32;
        ASSERT_HR(S_OK, IBackgroundCopyJob_GetMinimumRetryDelay(job, &v));
        ASSERT_U64_AT(ctx, delay[i].get, v);
    }
    for (size_t i = 0; i < ARRAY_LEN(timeouts); i++) {
        char ctx[32];
        snprintf(ctx, sizeof ctx, "timeout %u", (unsigned)timeouts[i]);
        ASSERT_HR_AT(ctx, S_OK,
                     IBackgroundCopyJob_SetNoProgressTimeout(job, timeouts[i]));
        ULONG v = POISON_U32;
        ASSERT_HR(S_OK, IBackgroundCopyJob_GetNoProgressTimeout(job, &v));
        ASSERT_U64_AT(ctx, timeouts[i], v);
    }
out:
    fx_close(&fx);
}
BOTH_MODES(retry_delay_clamp)

/* JOB-05, JOB-08, R17: proxy settings. */
struct proxy_row {
    const char *name;
    int usage;
    int list_kind, bypass_kind; /* 0 NULL, 1 literal, 2 repeat(len) */
    const WCHAR *list, *bypass;
    size_t list_len, bypass_len;
    HRESULT hr;
};

static WCHAR *proxy_string(int kind, const WCHAR *lit, size_t len)
{
    if (kind == 0)
        return NULL;
    if (kind == 1)
        return wrepeat(lit, u'x', 0);
    return wrepeat(NULL, u'p', len);
}

static const struct proxy_row proxy_rows[] = {
    {"preconfig", BG_JOB_PROXY_USAGE_PRECONFIG, 0, 0, NULL, NULL, 0, 0, S_OK},
    {"no proxy", BG_JOB_PROXY_USAGE_NO_PROXY, 0, 0, NULL, NULL, 0, 0, S_OK},
    {"autodetect", BG_JOB_PROXY_USAGE_AUTODETECT, 0, 0, NULL, NULL, 0, 0, S_OK},
    {"override list", BG_JOB_PROXY_USAGE_OVERRIDE, 1, 0, u"proxy:8080", NULL, 0,
     0, S_OK},
    {"override both", BG_JOB_PROXY_USAGE_OVERRIDE, 1, 1, u"a:1 b:2",
     u"<local> *.example", 0, 0, S_OK},
    {"override 4000", BG_JOB_PROXY_USAGE_OVERRIDE, 2, 2, NULL, NULL, 4000, 4000,
     S_OK},
    {"override NULL list", BG_JOB_PROXY_USAGE_OVERRIDE, 0, 0, NULL, NULL, 0, 0,
     E_INVALIDARG},
    {"override empty list", BG_JOB_PROXY_USAGE_OVERRIDE, 1, 0, u"", NULL, 0, 0,
     E_INVALIDARG},
    {"no proxy with list", BG_JOB_PROXY_USAGE_NO_PROXY, 1, 0, u"x", NULL, 0, 0,
     E_INVALIDARG},
    {"preconfig with bypass", BG_JOB_PROXY_USAGE_PRECONFIG, 0, 1, NULL, u"y", 0,
     0, E_INVALIDARG},
    {"usage 4", 4, 0, 0, NULL, NULL, 0, 0, E_NOTIMPL},
    {"usage -1", -1, 0, 0, NULL, NULL, 0, 0, E_NOTIMPL},
    {"list 4001", BG_JOB_PROXY_USAGE_OVERRIDE, 2, 0, NULL, NULL, 4001, 0,
     BG_E_PROXY_LIST_TOO_LARGE},
    {"bypass 4001", BG_JOB_PROXY_USAGE_OVERRIDE, 1, 2, u"p:1", NULL, 0, 4001,
     BG_E_PROXY_BYPASS_LIST_TOO_LARGE},
};

static void proxy_settings(enum mode mode)
{
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *job = fx_job(&fx, 0);
    if (!job)
        goto out;
    for (size_t i = 0; i < ARRAY_LEN(proxy_rows); i++) {
        const struct proxy_row *r = &proxy_rows[i];
        WCHAR *list = proxy_string(r->list_kind, r->list, r->list_len);
        WCHAR *bypass = proxy_string(r->bypass_kind, r->bypass, r->bypass_len);
        ASSERT_HR(S_OK, IBackgroundCopyJob_SetProxySettings(
                            job, BG_JOB_PROXY_USAGE_OVERRIDE, u"base:1",
                            u"basebypass"));
        ASSERT_HR_AT(r->name, r->hr,
                     IBackgroundCopyJob_SetProxySettings(
                         job, (BG_JOB_PROXY_USAGE)r->usage, list, bypass));
        BG_JOB_PROXY_USAGE u = (BG_JOB_PROXY_USAGE)POISON_U32;
        LPWSTR gl = POISON_PTR, gb = POISON_PTR;
        ASSERT_HR(S_OK, IBackgroundCopyJob_GetProxySettings(job, &u, &gl, &gb));
        if (r->hr == S_OK) {
            ASSERT_U64_AT(r->name, r->usage, u);
            ASSERT_WSTR(list, gl);
            ASSERT_WSTR(bypass, gb);
        } else {
            ASSERT_U64_AT(r->name, BG_JOB_PROXY_USAGE_OVERRIDE, u);
            ASSERT_WSTR(u"base:1", gl);
            ASSERT_WSTR(u"basebypass", gb);
        }
        if (gl != POISON_PTR)
            CoTaskMemFree(gl);
        if (gb != POISON_PTR)
            CoTaskMemFree(gb);
        CoTaskMemFree(list);
        CoTaskMemFree(bypass);
    }
out:
    fx_close(&fx);
}
BOTH_MODES(proxy_settings)

/* R25: a standard user may not take ownership; an administrator may. */
static void takeownership(enum mode mode)
{
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *job = fx_job(&fx, 1);
    if (!job)
        goto out;
    ASSERT_HR(E_ACCESSDENIED, IBackgroundCopyJob_TakeOwnership(job));
    ref_policy_set(REF_POLICY_CALLER_IS_ADMIN, 1);
    ASSERT_HR(S_OK, IBackgroundCopyJob_TakeOwnership(job));
    ASSERT_HR(S_OK, IBackgroundCopyJob_Cancel(job));
    ASSERT_HR(hr_mode(mode, BG_E_INVALID_STATE),
              IBackgroundCopyJob_TakeOwnership(job));
out:
    fx_close(&fx);
}
BOTH_MODES(takeownership)

/* Job times (spec behavior.md 4.5 [DOC]): ModificationTime moves on every
 * change (file added, any Set*, state change) and on nothing else;
 * CreationTime never moves. */
typedef HRESULT (*job_call)(struct fx *, IBackgroundCopyJob *);

static HRESULT t_setdescription(struct fx *fx, IBackgroundCopyJob *j)
{
    return IBackgroundCopyJob_SetDescription(j, u"changed");
}
static HRESULT t_setdisplayname(struct fx *fx, IBackgroundCopyJob *j)
{
    return IBackgroundCopyJob_SetDisplayName(j, u"renamed");
}
static HRESULT t_setpriority(struct fx *fx, IBackgroundCopyJob *j)
{
    return IBackgroundCopyJob_SetPriority(j, BG_JOB_PRIORITY_LOW);
}
static HRESULT t_setnotifyflags(struct fx *fx, IBackgroundCopyJob *j)
{
    return IBackgroundCopyJob_SetNotifyFlags(j, 0);
}
static HRESULT t_setretry(struct fx *fx, IBackgroundCopyJob *j)
{
    return IBackgroundCopyJob_SetMinimumRetryDelay(j, 77);
}
static HRESULT t_setproxy(struct fx *fx, IBackgroundCopyJob *j)
{
    return IBackgroundCopyJob_SetProxySettings(j, BG_JOB_PROXY_USAGE_AUTODETECT,
                                               NULL, NULL);
}
static HRESULT t_addfile(struct fx *fx, IBackgroundCopyJob *j)
{
    return fx_add(fx, j, "timed");
}
static HRESULT t_resume(struct fx *fx, IBackgroundCopyJob *j)
{
    return IBackgroundCopyJob_Resume(j);
}
static HRESULT t_suspend(struct fx *fx, IBackgroundCopyJob *j)
{
    return IBackgroundCopyJob_Suspend(j);
}
static HRESULT t_getters(struct fx *fx, IBackgroundCopyJob *j)
{
    LPWSTR s = NULL;
    BG_JOB_PROGRESS p;
    HRESULT hr = IBackgroundCopyJob_GetDisplayName(j, &s);
    CoTaskMemFree(s);
    if (hr == S_OK)
        hr = IBackgroundCopyJob_GetProgress(j, &p);
    return hr;
}
static HRESULT t_failing_set(struct fx *fx, IBackgroundCopyJob *j)
{
    return IBackgroundCopyJob_SetDisplayName(j, NULL);
}

static void times_modified(enum mode mode)
{
    static const struct {
        const char *name;
        job_call call;
        HRESULT hr;
        int moves;
    } rows[] = {
        {"SetDescription", t_setdescription, S_OK, 1},
        {"SetDisplayName", t_setdisplayname, S_OK, 1},
        {"SetPriority", t_setpriority, S_OK, 1},
        {"SetNotifyFlags", t_setnotifyflags, S_OK, 1},
        {"SetMinimumRetryDelay", t_setretry, S_OK, 1},
        {"SetProxySettings", t_setproxy, S_OK, 1},
        {"AddFile", t_addfile, S_OK, 1},
        {"Resume", t_resume, S_OK, 1},
        {"Suspend", t_suspend, S_OK, 1},
        {"getters", t_getters, S_OK, 0},
        {"failing SetDisplayName", t_failing_set, E_INVALIDARG, 0},
    };
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *job = fx_job(&fx, 0);
    if (!job)
        goto out;
    for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
        BG_JOB_TIMES t0, t1;
        POISON(t0);
        POISON(t1);
        ASSERT_HR(S_OK, IBackgroundCopyJob_GetTimes(job, &t0));
        usleep(1500);
        ASSERT_HR_AT(rows[i].name, rows[i].hr, rows[i].call(&fx, job));
        ASSERT_HR(S_OK, IBackgroundCopyJob_GetTimes(job, &t1));
        ASSERT_U64_AT(rows[i].name, ft64(t0.CreationTime),
                      ft64(t1.CreationTime));
        if (rows[i].moves)
            t_check(ft64(t1.ModificationTime) > ft64(t0.ModificationTime),
                    __LINE__, __FILE__,
                    "[%s] ModificationTime did not move (%lld -> %lld)",
                    rows[i].name, (long long)ft64(t0.ModificationTime),
                    (long long)ft64(t1.ModificationTime));
        else
            ASSERT_U64_AT(rows[i].name, ft64(t0.ModificationTime),
                          ft64(t1.ModificationTime));
        ASSERT_U64_AT(rows[i].name, 0, ft64(t1.TransferCompletionTime));
    }
out:
    fx_close(&fx);
}
BOTH_MODES(times_modified)

/* ---- AddFile -------------------------------------------------------- */

/* R12: remote names; each row gets its own local name. */
struct name_row {
    const char *name;
    const char *text; /* printf format; %s = the fixture directory */
    size_t pad;       /* then this many 'a's appended */
    const char *tail; /* then this */
    HRESULT bits, dom;
};

static WCHAR *row_name(struct fx *fx, const struct name_row *r)
{
    if (!r->text)
        return NULL;
    char head[512];
    snprintf(head, sizeof head, r->text, fx->dir);
    WCHAR *h = wfrom(head);
    WCHAR *p = wrepeat(h, u'a', r->pad);
    CoTaskMemFree(h);
    if (r->tail) {
        WCHAR *t = wfrom(r->tail);
        size_t a = wlen(p), b = wlen(t);
        WCHAR *all = wrepeat(p, u'x', b);
        memcpy(all + a, t, b * sizeof(WCHAR));
        CoTaskMemFree(t);
        CoTaskMemFree(p);
        p = all;
    }
    return p;
}

static const struct name_row remote_rows[] = {
    {"http", "http://127.0.0.1:9/a", 0, NULL, S_OK, S_OK},
    {"https", "https://example.com/dir/file.bin", 0, NULL, S_OK, S_OK},
    {"scheme upper case", "HTTP://example.com/x", 0, NULL, S_OK, S_OK},
    {"query string", "http://h/x?a=1&b=2", 0, NULL, S_OK, S_OK},
    {"file URL", "file:///tmp/x", 0, NULL, S_OK, E_INVALIDARG},
    {"absolute path", "/tmp/source.bin", 0, NULL, S_OK, E_INVALIDARG},
    /* I19: after file:// the local-path rules, as Windows (Wine's
     * file.c passes unescaped names; file://C:\... works there) */
    {"file URL with space", "file:///tmp/a b", 0, NULL, S_OK, E_INVALIDARG},
    {"file URL with backslash", "file:///tmp/a\\b", 0, NULL, S_OK,
     E_INVALIDARG},
    {"file URL non-ASCII", "file:///tmp/caf\xc3\xa9", 0, NULL, S_OK,
     E_INVALIDARG},
    {"file URL escape", "file:///tmp/a%%20b", 0, NULL, S_OK, E_INVALIDARG},
    {"file URL escaped NUL", "file:///tmp/a%%00b", 0, NULL, E_INVALIDARG,
     E_INVALIDARG},
    {"file URL wildcard", "file:///tmp/a*", 0, NULL, E_INVALIDARG,
     E_INVALIDARG},
    {"file URL with host (UNC)", "file://server/share/x", 0, NULL, E_INVALIDARG,
     E_INVALIDARG},
    {"UNC name", "\\\\server\\share\\x", 0, NULL, E_INVALIDARG, E_INVALIDARG},
    {"NULL", NULL, 0, NULL, E_INVALIDARG, E_INVALIDARG},
    {"empty", "", 0, NULL, E_INVALIDARG, E_INVALIDARG},
    {"ftp", "ftp://example.com/x", 0, NULL, E_INVALIDARG, E_INVALIDARG},
    {"relative", "dir/file", 0, NULL, E_INVALIDARG, E_INVALIDARG},
    {"empty host", "http:///x", 0, NULL, E_INVALIDARG, E_INVALIDARG},
    {"no host", "http://", 0, NULL, E_INVALIDARG, E_INVALIDARG},
    {"space", "http://h/a b", 0, NULL, E_INVALIDARG, E_INVALIDARG},
    {"wildcard", "http://h/a*", 0, NULL, E_INVALIDARG, E_INVALIDARG},
    {"backslash", "http://h/a\\b", 0, NULL, E_INVALIDARG, E_INVALIDARG},
    {"non-ASCII", "http://h/caf\xc3\xa9", 0, NULL, E_INVALIDARG, E_INVALIDARG},
    /* "http://h/" is 9 units; 8 segments of 260 + '/' fill to 2200. */
    {"segment 260", "http://h/", 260, NULL, S_OK, S_OK},
    {"segment 261", "http://h/", 261, NULL, E_INVALIDARG, E_INVALIDARG},
};

static void addfile_remote_names(enum mode mode)
{
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *job = fx_job(&fx, 0);
    if (!job)
        goto out;
    ULONG added = 0;
    for (size_t i = 0; i < ARRAY_LEN(remote_rows); i++) {
        const struct name_row *r = &remote_rows[i];
        WCHAR *url = row_name(&fx, r);
        char local[32];
        snprintf(local, sizeof local, "r%zu", i);
        WCHAR *path = fx_path(&fx, local);
        HRESULT exp = mode == MODE_BITS ? r->bits : r->dom;
        ASSERT_HR_AT(r->name, exp, IBackgroundCopyJob_AddFile(job, url, path));
        added += exp == S_OK;
        CoTaskMemFree(url);
        CoTaskMemFree(path);
    }
    ASSERT_U64(added, job_file_count(job));
out:
    fx_close(&fx);
}
BOTH_MODES(addfile_remote_names)

/* R12: URL length 2200 accepted, 2201 refused (segments <= 260). */
static void addfile_url_length(enum mode mode)
{
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *job = fx_job(&fx, 0);
    if (!job)
        goto out;
    static const struct {
        size_t len;
        HRESULT hr;
    } rows[] = {{2200, S_OK}, {2201, E_INVALIDARG}, {5000, E_INVALIDARG}};
    for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
        /* http://h then "/" + 199 'a' segments, cut to the length. */
        WCHAR *url = wrepeat(u"http://h", u'a', rows[i].len - 8);
        for (size_t k = 8; k < rows[i].len; k += 200)
            url[k] = u'/';
        char local[32];
        snprintf(local, sizeof local, "u%zu", i);
        WCHAR *path = fx_path(&fx, local);
        char ctx[32];
        snprintf(ctx, sizeof ctx, "url length %zu", rows[i].len);
        ASSERT_HR_AT(ctx, rows[i].hr,
                     IBackgroundCopyJob_AddFile(job, url, path));
        CoTaskMemFree(url);
        CoTaskMemFree(path);
    }
out:
    fx_close(&fx);
}
BOTH_MODES(addfile_url_length)

/* R13: local names. */
static void addfile_local_names(enum mode mode)
{
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *job = fx_job(&fx, 0);
    if (!job)
        goto out;
    /* A plain file where a directory is expected. */
    char plain[300];
    snprintf(plain, sizeof plain, "%s/plainfile", fx.dir);
    FILE *f = fopen(plain, "w");
    if (f)
        fclose(f);
    size_t dirlen = strlen(fx.dir);
    /* Path lengths 259 and 260 units: dir + '/' + name. */
    size_t pad259 = 259 - dirlen - 1 - 1; /* "%s/" + 'L' + pad */
    const struct name_row rows[] = {
        {"absolute", "%s/ok", 0, NULL, S_OK, S_OK},
        {"259 units", "%s/L", pad259, NULL, S_OK, S_OK},
        {"260 units", "%s/M", pad259 + 1, NULL, E_INVALIDARG, E_INVALIDARG},
        {"NULL", NULL, 0, NULL, E_INVALIDARG, E_INVALIDARG},
        {"empty", "", 0, NULL, E_INVALIDARG, E_INVALIDARG},
        {"relative", "relative/name", 0, NULL, E_INVALIDARG, E_INVALIDARG},
        {"bare name", "name", 0, NULL, E_INVALIDARG, E_INVALIDARG},
        {"trailing slash", "%s/dir/", 0, NULL, E_INVALIDARG, E_INVALIDARG},
        {"the directory itself", "%s/", 0, NULL, E_INVALIDARG, E_INVALIDARG},
        {"star", "%s/a*", 0, NULL, E_INVALIDARG, E_INVALIDARG},
        {"question mark", "%s/a?", 0, NULL, E_INVALIDARG, E_INVALIDARG},
        {"missing directory", "%s/missing/a", 0, NULL, E_INVALIDARG,
         E_INVALIDARG},
        {"file as directory", "%s/plainfile/a", 0, NULL, E_INVALIDARG,
         E_INVALIDARG},
        {"duplicate", "%s/ok", 0, NULL, E_INVALIDARG, E_INVALIDARG},
    };
    ULONG added = 0;
    for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
        WCHAR *path = row_name(&fx, &rows[i]);
        char remote[32];
        snprintf(remote, sizeof remote, "l%zu", i);
        WCHAR *url = fx_url(remote);
        HRESULT exp = mode == MODE_BITS ? rows[i].bits : rows[i].dom;
        ASSERT_HR_AT(rows[i].name, exp,
                     IBackgroundCopyJob_AddFile(job, url, path));
        added += exp == S_OK;
        CoTaskMemFree(url);
        CoTaskMemFree(path);
    }
    ASSERT_U64(added, job_file_count(job));
out:
    fx_close(&fx);
}
BOTH_MODES(addfile_local_names)

/* FILE-07, R13: a directory the caller may not write -> E_ACCESSDENIED.
 * As root chmod does not block writes, so the reference's deny-write
 * prefix stands in; as another user a 0555 directory is used too. */
static void addfile_access_denied(enum mode mode)
{
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *job = fx_job(&fx, 0);
    if (!job)
        goto out;
    char ro[300];
    snprintf(ro, sizeof ro, "%s/ro", fx.dir);
    mkdir(ro, 0700);
    ref_policy_set_deny_write_prefix(ro);
    WCHAR *url = fx_url("x"), *path = fx_path(&fx, "ro/x");
    ASSERT_HR(E_ACCESSDENIED, IBackgroundCopyJob_AddFile(job, url, path));
    ref_policy_set_deny_write_prefix(NULL);
    ASSERT_U64(0, job_file_count(job));
    if (geteuid() != 0) {
        chmod(ro, 0555);
        ASSERT_HR(E_ACCESSDENIED, IBackgroundCopyJob_AddFile(job, url, path));
        chmod(ro, 0700);
    }
    ASSERT_HR(S_OK, IBackgroundCopyJob_AddFile(job, url, path));
    CoTaskMemFree(url);
    CoTaskMemFree(path);
out:
    fx_close(&fx);
}
BOTH_MODES(addfile_access_denied)

/* FILE-01: files come back in insertion order with their names. */
static void addfile_order(enum mode mode)
{
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *job = fx_job(&fx, 5);
    if (!job)
        goto out;
    ASSERT_U64(5, job_file_count(job));
    for (ULONG i = 0; i < 5; i++) {
        IBackgroundCopyFile *f = job_file(job, i);
        if (!f)
            continue;
        char name[16];
        snprintf(name, sizeof name, "f%u", (unsigned)i);
        WCHAR *url = fx_url(name), *path = fx_path(&fx, name);
        LPWSTR r = POISON_PTR, l = POISON_PTR;
        ASSERT_HR(S_OK, IBackgroundCopyFile_GetRemoteName(f, &r));
        ASSERT_HR(S_OK, IBackgroundCopyFile_GetLocalName(f, &l));
        ASSERT_WSTR(url, r);
        ASSERT_WSTR(path, l);
        if (r != POISON_PTR)
            CoTaskMemFree(r);
        if (l != POISON_PTR)
            CoTaskMemFree(l);
        CoTaskMemFree(url);
        CoTaskMemFree(path);
        release(f);
    }
    BG_JOB_PROGRESS p;
    POISON(p);
    ASSERT_HR(S_OK, IBackgroundCopyJob_GetProgress(job, &p));
    ASSERT_U64(5, p.FilesTotal);
    ASSERT_U64(0, p.FilesTransferred);
    ASSERT_U64(BG_SIZE_UNKNOWN, p.BytesTotal);
    ASSERT_U64(0, p.BytesTransferred);
out:
    fx_close(&fx);
}
BOTH_MODES(addfile_order)

/* I26: a set's directories are checked once each while consecutive
 * files share one; a file in another directory is checked on its own, so
 * a denied or missing directory anywhere in the set fails it whole. */
static void addfileset_directories(enum mode mode)
{
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *job = fx_job(&fx, 0);
    if (!job)
        goto out;
    char ro[300];
    snprintf(ro, sizeof ro, "%s/ro", fx.dir);
    mkdir(ro, 0700);
    static const char *const names[] = {"a", "b", "ro/c", "d", "gone/e", "f"};
    WCHAR *u[6], *p[6];
    for (int i = 0; i < 6; i++) {
        u[i] = fx_url("x");
        p[i] = fx_path(&fx, names[i]);
    }
    /* same dir, same dir, denied dir, back to the first */
    BG_FILE_INFO denied[4] = {
        {u[0], p[0]}, {u[1], p[1]}, {u[2], p[2]}, {u[3], p[3]}};
    /* the missing directory after two good files of another one */
    BG_FILE_INFO missing[3] = {{u[0], p[0]}, {u[2], p[2]}, {u[4], p[4]}};
    BG_FILE_INFO good[4] = {
        {u[0], p[0]}, {u[2], p[2]}, {u[1], p[1]}, {u[5], p[5]}};
    ref_policy_set_deny_write_prefix(ro);
    ASSERT_HR(E_ACCESSDENIED, IBackgroundCopyJob_AddFileSet(job, 4, denied));
    ASSERT_U64(0, job_file_count(job));
    ref_policy_set_deny_write_prefix(NULL);
    ASSERT_HR(E_INVALIDARG, IBackgroundCopyJob_AddFileSet(job, 3, missing));
    ASSERT_U64(0, job_file_count(job));
    ASSERT_HR(S_OK, IBackgroundCopyJob_AddFileSet(job, 4, good));
    ASSERT_U64(4, job_file_count(job));
    for (int i = 0; i < 6; i++) {
        CoTaskMemFree(u[i]);
        CoTaskMemFree(p[i]);
    }
out:
    fx_close(&fx);
}
BOTH_MODES(addfileset_directories)

/* R14: AddFileSet validates everything first and adds all or nothing. */
static void addfileset_atomic(enum mode mode)
{
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *job = fx_job(&fx, 0);
    if (!job)
        goto out;
    WCHAR *u[4], *p[4];
    for (int i = 0; i < 4; i++) {
        char n[16];
        snprintf(n, sizeof n, "s%d", i);
        u[i] = fx_url(n);
        p[i] = fx_path(&fx, n);
    }
    BG_FILE_INFO three[3] = {{u[0], p[0]}, {u[1], p[1]}, {u[2], p[2]}};
    BG_FILE_INFO bad_relative[2] = {{u[3], p[3]}, {u[3], (LPWSTR)u"rel"}};
    BG_FILE_INFO bad_scheme[2] = {{u[3], p[3]}, {(LPWSTR)u"ftp://h/x", p[3]}};
    BG_FILE_INFO dup_inside[2] = {{u[3], p[3]}, {u[3], p[3]}};
    BG_FILE_INFO dup_existing[2] = {{u[3], p[3]}, {u[0], p[0]}};
    BG_FILE_INFO null_local[2] = {{u[3], p[3]}, {u[3], NULL}};

    ASSERT_HR(E_INVALIDARG, IBackgroundCopyJob_AddFileSet(job, 0, three));
    ASSERT_HR(E_INVALIDARG, IBackgroundCopyJob_AddFileSet(job, 2, NULL));
    ASSERT_HR(S_OK, IBackgroundCopyJob_AddFileSet(job, 3, three));
    ASSERT_U64(3, job_file_count(job));
    static const char *const names[] = {"relative", "scheme", "dup inside",
                                        "dup existing", "NULL local"};
    BG_FILE_INFO *sets[] = {bad_relative, bad_scheme, dup_inside, dup_existing,
                            null_local};
    for (size_t i = 0; i < ARRAY_LEN(sets); i++) {
        ASSERT_HR_AT(names[i], E_INVALIDARG,
                     IBackgroundCopyJob_AddFileSet(job, 2, sets[i]));
        ASSERT_U64_AT(names[i], 3, job_file_count(job));
    }
    /* Order is the array's. */
    for (ULONG i = 0; i < 3; i++) {
        IBackgroundCopyFile *f = job_file(job, i);
        if (!f)
            continue;
        LPWSTR l = POISON_PTR;
        ASSERT_HR(S_OK, IBackgroundCopyFile_GetLocalName(f, &l));
        ASSERT_WSTR(p[i], l);
        if (l != POISON_PTR)
            CoTaskMemFree(l);
        release(f);
    }
    for (int i = 0; i < 4; i++) {
        CoTaskMemFree(u[i]);
        CoTaskMemFree(p[i]);
    }
out:
    fx_close(&fx);
}
BOTH_MODES(addfileset_atomic)

/* R5: MaxFilesPerJob (lowered through the policy setter). */
static void files_per_job_limit(enum mode mode)
{
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    ref_policy_set(REF_POLICY_MAX_FILES_PER_JOB, 3);
    IBackgroundCopyJob *job = fx_job(&fx, 2);
    if (!job)
        goto out;
    ASSERT_HR(S_OK, fx_add(&fx, job, "third"));
    ASSERT_HR(BG_E_TOO_MANY_FILES_IN_JOB, fx_add(&fx, job, "fourth"));
    ASSERT_U64(3, job_file_count(job));
    /* AddFileSet that would cross the limit adds none. */
    IBackgroundCopyJob *job2 = fx_job(&fx, 2);
    if (!job2)
        goto out;
    WCHAR *u1 = fx_url("s1"), *p1 = fx_path(&fx, "s1");
    WCHAR *u2 = fx_url("s2"), *p2 = fx_path(&fx, "s2");
    BG_FILE_INFO two[2] = {{u1, p1}, {u2, p2}};
    ASSERT_HR(BG_E_TOO_MANY_FILES_IN_JOB,
              IBackgroundCopyJob_AddFileSet(job2, 2, two));
    ASSERT_U64(2, job_file_count(job2));
    /* An administrator is exempt. */
    ref_policy_set(REF_POLICY_CALLER_IS_ADMIN, 1);
    ASSERT_HR(S_OK, IBackgroundCopyJob_AddFileSet(job2, 2, two));
    ASSERT_U64(4, job_file_count(job2));
    CoTaskMemFree(u1);
    CoTaskMemFree(p1);
    CoTaskMemFree(u2);
    CoTaskMemFree(p2);
out:
    fx_close(&fx);
}
BOTH_MODES(files_per_job_limit)

/* FILE-08, R2: upload jobs hold one existing, readable file. */
static void upload_one_file(void)
{
    struct fx fx;
    if (fx_open(&fx, MODE_BITS))
        goto out;
    IBackgroundCopyJob *job = fx_job_typed(&fx, BG_JOB_TYPE_UPLOAD, 0);
    if (!job)
        goto out;
    /* The local file of an upload must exist. */
    ASSERT_HR(E_INVALIDARG, fx_add(&fx, job, "up0"));
    for (int i = 0; i < 3; i++) {
        char p[300];
        snprintf(p, sizeof p, "%s/up%d", fx.dir, i);
        FILE *f = fopen(p, "w");
        if (f) {
            fputs("payload", f);
            fclose(f);
        }
    }
    WCHAR *u1 = fx_url("up1"), *p1 = fx_path(&fx, "up1");
    WCHAR *u2 = fx_url("up2"), *p2 = fx_path(&fx, "up2");
    BG_FILE_INFO two[2] = {{u1, p1}, {u2, p2}};
    ASSERT_HR(BG_E_TOO_MANY_FILES, IBackgroundCopyJob_AddFileSet(job, 2, two));
    ASSERT_U64(0, job_file_count(job));
    ASSERT_HR(S_OK, fx_add(&fx, job, "up0"));
    ASSERT_HR(BG_E_TOO_MANY_FILES, fx_add(&fx, job, "up1"));
    ASSERT_HR(BG_E_TOO_MANY_FILES, IBackgroundCopyJob_AddFileSet(job, 1, two));
    ASSERT_U64(1, job_file_count(job));
    /* ST-10, R10: Complete of an upload before TRANSFERRED. */
    ASSERT_HR(BG_E_INVALID_STATE, IBackgroundCopyJob_Complete(job));
    ASSERT_U64(BG_JOB_STATE_SUSPENDED, job_state(job));
    CoTaskMemFree(u1);
    CoTaskMemFree(p1);
    CoTaskMemFree(u2);
    CoTaskMemFree(p2);
out:
    fx_close(&fx);
}

/* R25: TakeOwnership by an administrator makes the caller the owner and
 * removes credentials, client certificate, custom headers and the notify
 * command line. */
static void takeownership_effects(enum mode mode)
{
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    ref_owner_set("S-1-5-21-9-9-9-9999");
    IBackgroundCopyJob *job = fx_job(&fx, 1);
    ref_owner_set(NULL);
    if (!job)
        goto out;
    IBackgroundCopyJob2 *j2 = qi(job, &IID_IBackgroundCopyJob2);
    IBackgroundCopyJobHttpOptions *o =
        qi(job, &IID_IBackgroundCopyJobHttpOptions);
    if (!j2 || !o)
        goto done;
    BG_AUTH_CREDENTIALS c;
    memset(&c, 0, sizeof c);
    c.Target = BG_AUTH_TARGET_SERVER;
    c.Scheme = BG_AUTH_SCHEME_BASIC;
    c.Credentials.Basic.UserName = (LPWSTR)u"u";
    c.Credentials.Basic.Password = (LPWSTR)u"p";
    ASSERT_HR(S_OK, IBackgroundCopyJob2_SetCredentials(j2, &c));
    ASSERT_HR(S_OK, IBackgroundCopyJob2_SetNotifyCmdLine(j2, u"/bin/true",
                                                         u"/bin/true x"));
    ASSERT_HR(S_OK,
              IBackgroundCopyJobHttpOptions_SetCustomHeaders(o, u"X-A: 1\r\n"));
    ASSERT_HR(S_OK,
              IBackgroundCopyJobHttpOptions_SetClientCertificateByName(
                  o, BG_CERT_STORE_LOCATION_CURRENT_USER, u"MY", u"CN=a"));
    ref_policy_set(REF_POLICY_CALLER_IS_ADMIN, 1);
    ASSERT_HR(S_OK, IBackgroundCopyJob_TakeOwnership(job));
    LPWSTR owner = NULL, want = NULL;
    WCHAR buf[REF_SID_MAX];
    ref_owner_current(buf);
    want = buf;
    ASSERT_HR(S_OK, IBackgroundCopyJob_GetOwner(job, &owner));
    ASSERT_WSTR(want, owner);
    CoTaskMemFree(owner);
    LPWSTR h = POISON_PTR;
    ASSERT_HR(S_FALSE, IBackgroundCopyJobHttpOptions_GetCustomHeaders(o, &h));
    ASSERT_PTR(NULL, h);
    ASSERT_HR(S_FALSE,
              IBackgroundCopyJobHttpOptions_RemoveClientCertificate(o));
    ASSERT_HR(S_FALSE, IBackgroundCopyJob2_RemoveCredentials(
                           j2, BG_AUTH_TARGET_SERVER, BG_AUTH_SCHEME_BASIC));
    LPWSTR prog = NULL, params = NULL;
    ASSERT_HR(S_OK, IBackgroundCopyJob2_GetNotifyCmdLine(j2, &prog, &params));
    ASSERT_WSTR(u"", prog);
    ASSERT_WSTR(u"", params);
    CoTaskMemFree(prog);
    CoTaskMemFree(params);
done:
    release(j2);
    release(o);
out:
    fx_close(&fx);
}
BOTH_MODES(takeownership_effects)

/* R35: upload jobs take http/https remote names only. */
static void upload_remote_http_only(void)
{
    struct fx fx;
    if (fx_open(&fx, MODE_BITS))
        goto out;
    IBackgroundCopyJob *job = fx_job_typed(&fx, BG_JOB_TYPE_UPLOAD_REPLY, 0);
    if (!job)
        goto out;
    char src[300];
    snprintf(src, sizeof src, "%s/src", fx.dir);
    FILE *fp = fopen(src, "w");
    if (fp)
        fclose(fp);
    WCHAR *p = fx_path(&fx, "src");
    ASSERT_HR(E_INVALIDARG,
              IBackgroundCopyJob_AddFile(job, u"file:///tmp/up", p));
    ASSERT_HR(E_INVALIDARG, IBackgroundCopyJob_AddFile(job, u"/tmp/up", p));
    ASSERT_HR(S_OK, IBackgroundCopyJob_AddFile(job, u"https://h/up", p));
    CoTaskMemFree(p);
out:
    fx_close(&fx);
}

CU_TestInfo tests_job[] = {
    BOTH_INFO(defaults),
    BOTH_INFO(getowner_sid),
    BOTH_INFO(null_out_pointers),
    BOTH_INFO(set_display_name_limits),
    BOTH_INFO(set_description_limits),
    BOTH_INFO(string_getters_copy),
    BOTH_INFO(priority),
    BOTH_INFO(no_progress_default_by_priority),
    BOTH_INFO(notify_flags),
    BOTH_INFO(notify_interface),
    BOTH_INFO(retry_delay_clamp),
    BOTH_INFO(proxy_settings),
    BOTH_INFO(takeownership),
    BOTH_INFO(times_modified),
    BOTH_INFO(addfile_remote_names),
    BOTH_INFO(addfile_url_length),
    BOTH_INFO(addfile_local_names),
    BOTH_INFO(addfile_access_denied),
    BOTH_INFO(addfileset_directories),
    BOTH_INFO(addfile_order),
    BOTH_INFO(addfileset_atomic),
    BOTH_INFO(files_per_job_limit),
    {"upload_one_file [bits]", upload_one_file},
    BOTH_INFO(takeownership_effects),
    {"upload_remote_http_only [bits]", upload_remote_http_only},
    CU_TEST_INFO_NULL,
};
