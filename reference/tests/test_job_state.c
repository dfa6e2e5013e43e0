/*
 * The state rules of IBackgroundCopyJob and of the setters of its newer
 * interfaces (spec/behavior.md 2.3, checklist ST-01..ST-08): one table of
 * calls, each run on a fresh job in every reachable state (SUSPENDED,
 * QUEUED after Resume, ERROR and TRANSIENT_ERROR planted through the
 * reference's hook, CANCELLED, ACKNOWLEDGED), asserting the exact HRESULT
 * and the state afterwards, in both modes (D1: mode codes).
 */
#include "support.h"

#include <docom.h>
#include <stdlib.h>
#include <unistd.h>

#include "ref_policy.h"
#include "ref_private.h"
#include "ref_job.h"
#include "ref_test_hooks.h"

/* Each call gets the fixture and a job with one file (f0). */
typedef HRESULT (*call_fn)(struct fx *, IBackgroundCopyJob *);

static HRESULT c_addfile(struct fx *fx, IBackgroundCopyJob *j)
{
    return fx_add(fx, j, "added");
}
static HRESULT c_addfileset(struct fx *fx, IBackgroundCopyJob *j)
{
    WCHAR *u = fx_url("set"), *p = fx_path(fx, "set");
    BG_FILE_INFO fi = {u, p};
    HRESULT hr = IBackgroundCopyJob_AddFileSet(j, 1, &fi);
    CoTaskMemFree(u);
    CoTaskMemFree(p);
    return hr;
}
static HRESULT c_suspend(struct fx *fx, IBackgroundCopyJob *j)
{
    return IBackgroundCopyJob_Suspend(j);
}
static HRESULT c_resume(struct fx *fx, IBackgroundCopyJob *j)
{
    return IBackgroundCopyJob_Resume(j);
}
static HRESULT c_cancel(struct fx *fx, IBackgroundCopyJob *j)
{
    return IBackgroundCopyJob_Cancel(j);
}
static HRESULT c_complete(struct fx *fx, IBackgroundCopyJob *j)
{
    return IBackgroundCopyJob_Complete(j);
}
static HRESULT c_setdisplayname(struct fx *fx, IBackgroundCopyJob *j)
{
    return IBackgroundCopyJob_SetDisplayName(j, u"renamed");
}
static HRESULT c_setdescription(struct fx *fx, IBackgroundCopyJob *j)
{
    return IBackgroundCopyJob_SetDescription(j, u"described");
}
static HRESULT c_setpriority(struct fx *fx, IBackgroundCopyJob *j)
{
    return IBackgroundCopyJob_SetPriority(j, BG_JOB_PRIORITY_HIGH);
}
static HRESULT c_setnotifyflags(struct fx *fx, IBackgroundCopyJob *j)
{
    return IBackgroundCopyJob_SetNotifyFlags(j, BG_NOTIFY_JOB_MODIFICATION);
}
static HRESULT c_setnotifyinterface(struct fx *fx, IBackgroundCopyJob *j)
{
    struct fake f;
    fake_init(&f, 0);
    HRESULT hr = IBackgroundCopyJob_SetNotifyInterface(j, fake_unknown(&f));
    if (hr == S_OK)
        IBackgroundCopyJob_SetNotifyInterface(j, NULL);
    ASSERT_U64(1, fake_refs(&f));
    return hr;
}
static HRESULT c_setnotifyinterface_null(struct fx *fx, IBackgroundCopyJob *j)
{
    return IBackgroundCopyJob_SetNotifyInterface(j, NULL);
}
static HRESULT c_setminimumretrydelay(struct fx *fx, IBackgroundCopyJob *j)
{
    return IBackgroundCopyJob_SetMinimumRetryDelay(j, 60);
}
static HRESULT c_setnoprogresstimeout(struct fx *fx, IBackgroundCopyJob *j)
{
    return IBackgroundCopyJob_SetNoProgressTimeout(j, 60);
}
static HRESULT c_setproxysettings(struct fx *fx, IBackgroundCopyJob *j)
{
    return IBackgroundCopyJob_SetProxySettings(j, BG_JOB_PROXY_USAGE_NO_PROXY,
                                               NULL, NULL);
}

/* Getters: every out-value is freed / released. */
static HRESULT c_getid(struct fx *fx, IBackgroundCopyJob *j)
{
    GUID g;
    return IBackgroundCopyJob_GetId(j, &g);
}
static HRESULT c_gettype(struct fx *fx, IBackgroundCopyJob *j)
{
    BG_JOB_TYPE t;
    return IBackgroundCopyJob_GetType(j, &t);
}
static HRESULT c_getprogress(struct fx *fx, IBackgroundCopyJob *j)
{
    BG_JOB_PROGRESS p;
    POISON(p);
    HRESULT hr = IBackgroundCopyJob_GetProgress(j, &p);
    ASSERT_U64(1, p.FilesTotal);
    return hr;
}
static HRESULT c_gettimes(struct fx *fx, IBackgroundCopyJob *j)
{
    BG_JOB_TIMES t;
    return IBackgroundCopyJob_GetTimes(j, &t);
}
static HRESULT c_getstate(struct fx *fx, IBackgroundCopyJob *j)
{
    BG_JOB_STATE s;
    return IBackgroundCopyJob_GetState(j, &s);
}
static HRESULT c_getowner(struct fx *fx, IBackgroundCopyJob *j)
{
    LPWSTR s = NULL;
    HRESULT hr = IBackgroundCopyJob_GetOwner(j, &s);
    CoTaskMemFree(s);
    return hr;
}
static HRESULT c_getdisplayname(struct fx *fx, IBackgroundCopyJob *j)
{
    LPWSTR s = NULL;
    HRESULT hr = IBackgroundCopyJob_GetDisplayName(j, &s);
    CoTaskMemFree(s);
    return hr;
}
static HRESULT c_getdescription(struct fx *fx, IBackgroundCopyJob *j)
{
    LPWSTR s = NULL;
    HRESULT hr = IBackgroundCopyJob_GetDescription(j, &s);
    CoTaskMemFree(s);
    return hr;
}
static HRESULT c_getpriority(struct fx *fx, IBackgroundCopyJob *j)
{
    BG_JOB_PRIORITY p;
    return IBackgroundCopyJob_GetPriority(j, &p);
}
static HRESULT c_getnotifyflags(struct fx *fx, IBackgroundCopyJob *j)
{
    ULONG v;
    return IBackgroundCopyJob_GetNotifyFlags(j, &v);
}
static HRESULT c_getnotifyinterface(struct fx *fx, IBackgroundCopyJob *j)
{
    IUnknown *u = POISON_PTR;
    HRESULT hr = IBackgroundCopyJob_GetNotifyInterface(j, &u);
    ASSERT_PTR(NULL, u);
    return hr;
}
static HRESULT c_getminimumretrydelay(struct fx *fx, IBackgroundCopyJob *j)
{
    ULONG v;
    return IBackgroundCopyJob_GetMinimumRetryDelay(j, &v);
}
static HRESULT c_getnoprogresstimeout(struct fx *fx, IBackgroundCopyJob *j)
{
    ULONG v;
    return IBackgroundCopyJob_GetNoProgressTimeout(j, &v);
}
static HRESULT c_geterrorcount(struct fx *fx, IBackgroundCopyJob *j)
{
    ULONG v;
    return IBackgroundCopyJob_GetErrorCount(j, &v);
}
static HRESULT c_getproxysettings(struct fx *fx, IBackgroundCopyJob *j)
{
    BG_JOB_PROXY_USAGE u;
    LPWSTR a = NULL, b = NULL;
    HRESULT hr = IBackgroundCopyJob_GetProxySettings(j, &u, &a, &b);
    CoTaskMemFree(a);
    CoTaskMemFree(b);
    return hr;
}
static HRESULT c_enumfiles(struct fx *fx, IBackgroundCopyJob *j)
{
    IEnumBackgroundCopyFiles *e = NULL;
    HRESULT hr = IBackgroundCopyJob_EnumFiles(j, &e);
    release(e);
    return hr;
}
static HRESULT c_geterror(struct fx *fx, IBackgroundCopyJob *j)
{
    IBackgroundCopyError *e = POISON_PTR;
    HRESULT hr = IBackgroundCopyJob_GetError(j, &e);
    if (hr == S_OK)
        release(e);
    else
        ASSERT_PTR(NULL, e);
    return hr;
}

/* Setters of the newer interfaces (QueryInterface'd per call). */
#define WITH(iface, IID, expr)                                                 \
    iface *x = qi(j, &IID);                                                    \
    if (!x)                                                                    \
        return E_NOINTERFACE;                                                  \
    HRESULT hr = (expr);                                                       \
    release(x);                                                                \
    return hr

static HRESULT c_setnotifycmdline(struct fx *fx, IBackgroundCopyJob *j)
{
    WITH(IBackgroundCopyJob2, IID_IBackgroundCopyJob2,
         IBackgroundCopyJob2_SetNotifyCmdLine(x, u"/bin/true",
                                              u"/bin/true arg"));
}
static HRESULT c_setreplyfilename(struct fx *fx, IBackgroundCopyJob *j)
{
    WCHAR *p = fx_path(fx, "reply");
    IBackgroundCopyJob2 *x = qi(j, &IID_IBackgroundCopyJob2);
    HRESULT hr = x ? IBackgroundCopyJob2_SetReplyFileName(x, p) : E_NOINTERFACE;
    release(x);
    CoTaskMemFree(p);
    return hr;
}
static HRESULT c_setcredentials(struct fx *fx, IBackgroundCopyJob *j)
{
    BG_AUTH_CREDENTIALS c;
    memset(&c, 0, sizeof c);
    c.Target = BG_AUTH_TARGET_SERVER;
    c.Scheme = BG_AUTH_SCHEME_BASIC;
    c.Credentials.Basic.UserName = (LPWSTR)u"user";
    c.Credentials.Basic.Password = (LPWSTR)u"secret";
    WITH(IBackgroundCopyJob2, IID_IBackgroundCopyJob2,
         IBackgroundCopyJob2_SetCredentials(x, &c));
}
static HRESULT c_removecredentials(struct fx *fx, IBackgroundCopyJob *j)
{
    WITH(IBackgroundCopyJob2, IID_IBackgroundCopyJob2,
         IBackgroundCopyJob2_RemoveCredentials(x, BG_AUTH_TARGET_SERVER,
                                               BG_AUTH_SCHEME_BASIC));
}
static HRESULT c_replaceremoteprefix(struct fx *fx, IBackgroundCopyJob *j)
{
    WITH(IBackgroundCopyJob3, IID_IBackgroundCopyJob3,
         IBackgroundCopyJob3_ReplaceRemotePrefix(x, u"http://127.0.0.1:9/",
                                                 u"http://127.0.0.1:10/"));
}
static HRESULT c_addfilewithranges(struct fx *fx, IBackgroundCopyJob *j)
{
    WCHAR *u = fx_url("ranged"), *p = fx_path(fx, "ranged");
    BG_FILE_RANGE r = {0, 100};
    IBackgroundCopyJob3 *x = qi(j, &IID_IBackgroundCopyJob3);
    HRESULT hr = x ? IBackgroundCopyJob3_AddFileWithRanges(x, u, p, 1, &r)
                   : E_NOINTERFACE;
    release(x);
    CoTaskMemFree(u);
    CoTaskMemFree(p);
    return hr;
}
static HRESULT c_setfileaclflags(struct fx *fx, IBackgroundCopyJob *j)
{
    WITH(IBackgroundCopyJob3, IID_IBackgroundCopyJob3,
         IBackgroundCopyJob3_SetFileACLFlags(x, BG_COPY_FILE_OWNER));
}
static HRESULT c_setpeercachingflags(struct fx *fx, IBackgroundCopyJob *j)
{
    WITH(IBackgroundCopyJob4, IID_IBackgroundCopyJob4,
         IBackgroundCopyJob4_SetPeerCachingFlags(
             x, BG_JOB_ENABLE_PEERCACHING_CLIENT));
}
static HRESULT c_setmaximumdownloadtime(struct fx *fx, IBackgroundCopyJob *j)
{
    WITH(IBackgroundCopyJob4, IID_IBackgroundCopyJob4,
         IBackgroundCopyJob4_SetMaximumDownloadTime(x, 3600));
}
static HRESULT c_setproperty(struct fx *fx, IBackgroundCopyJob *j)
{
    BITS_JOB_PROPERTY_VALUE v;
    memset(&v, 0, sizeof v);
    v.Dword = BITS_COST_STATE_TRANSFER_ALWAYS;
    WITH(
        IBackgroundCopyJob5, IID_IBackgroundCopyJob5,
        IBackgroundCopyJob5_SetProperty(x, BITS_JOB_PROPERTY_ID_COST_FLAGS, v));
}
static HRESULT c_setcustomheaders(struct fx *fx, IBackgroundCopyJob *j)
{
    WITH(IBackgroundCopyJobHttpOptions, IID_IBackgroundCopyJobHttpOptions,
         IBackgroundCopyJobHttpOptions_SetCustomHeaders(x, u"X-Test: 1\r\n"));
}
static HRESULT c_setsecurityflags(struct fx *fx, IBackgroundCopyJob *j)
{
    WITH(IBackgroundCopyJobHttpOptions, IID_IBackgroundCopyJobHttpOptions,
         IBackgroundCopyJobHttpOptions_SetSecurityFlags(
             x, BG_SSL_ENABLE_CRL_CHECK));
}
static HRESULT c_setclientcertbyname(struct fx *fx, IBackgroundCopyJob *j)
{
    WITH(IBackgroundCopyJobHttpOptions, IID_IBackgroundCopyJobHttpOptions,
         IBackgroundCopyJobHttpOptions_SetClientCertificateByName(
             x, BG_CERT_STORE_LOCATION_CURRENT_USER, u"MY", u"CN=docts"));
}
static HRESULT c_setclientcertbyid(struct fx *fx, IBackgroundCopyJob *j)
{
    BYTE hash[20];
    memset(hash, 0xab, sizeof hash);
    WITH(IBackgroundCopyJobHttpOptions, IID_IBackgroundCopyJobHttpOptions,
         IBackgroundCopyJobHttpOptions_SetClientCertificateByID(
             x, BG_CERT_STORE_LOCATION_CURRENT_USER, u"MY", hash));
}
static HRESULT c_removeclientcert(struct fx *fx, IBackgroundCopyJob *j)
{
    WITH(IBackgroundCopyJobHttpOptions, IID_IBackgroundCopyJobHttpOptions,
         IBackgroundCopyJobHttpOptions_RemoveClientCertificate(x));
}
static HRESULT c_file_setremotename(struct fx *fx, IBackgroundCopyJob *j)
{
    IBackgroundCopyFile *f = job_file(j, 0);
    if (!f)
        return E_FAIL;
    IBackgroundCopyFile2 *f2 = qi(f, &IID_IBackgroundCopyFile2);
    HRESULT hr = f2 ? IBackgroundCopyFile2_SetRemoteName(
                          f2, u"http://127.0.0.1:11/moved")
                    : E_NOINTERFACE;
    release(f2);
    release(f);
    return hr;
}

/* Expected results per precondition, in the order of enum pre. */
#define INV BG_E_INVALID_STATE
#define NA BG_E_ERROR_INFORMATION_UNAVAILABLE
#define U (-1) /* state unchanged */
#define SU BG_JOB_STATE_SUSPENDED
#define QU BG_JOB_STATE_QUEUED
#define CA BG_JOB_STATE_CANCELLED
#define AC BG_JOB_STATE_ACKNOWLEDGED

struct state_row {
    const char *name;
    call_fn call;
    HRESULT hr[PRE_COUNT]; /* BITS codes; hr_mode maps them per mode */
    int post[PRE_COUNT];   /* state afterwards, U = unchanged */
};

/* A setter: S_OK unless final (ST-08). */
#define SETTER(name, fn, ok)                                                   \
    {                                                                          \
        name, fn, {ok, ok, ok, ok, INV, INV},                                  \
        {                                                                      \
            U, U, U, U, U, U                                                   \
        }                                                                      \
    }
/* A getter: S_OK everywhere, nothing changes. */
#define GETTER(name, fn)                                                       \
    {                                                                          \
        name, fn, {S_OK, S_OK, S_OK, S_OK, S_OK, S_OK},                        \
        {                                                                      \
            U, U, U, U, U, U                                                   \
        }                                                                      \
    }

static const struct state_row rows[] = {
    /*        SUSPENDED  QUEUED  ERROR  TRANSIENT  CANCELLED  ACKNOWLEDGED */
    {"Suspend",
     c_suspend,
     {S_OK, S_OK, S_OK, S_OK, INV, INV},
     {SU, SU, SU, SU, U, U}},
    /* R11: Resume re-arms errors and leaves QUEUED alone. */
    {"Resume",
     c_resume,
     {S_OK, S_OK, S_OK, S_OK, INV, INV},
     {QU, QU, QU, QU, U, U}},
    {"Cancel",
     c_cancel,
     {S_OK, S_OK, S_OK, S_OK, INV, INV},
     {CA, CA, CA, CA, U, U}},
    /* R10: nothing transferred -> BG_S_PARTIAL_COMPLETE. */
    {"Complete",
     c_complete,
     {BG_S_PARTIAL_COMPLETE, BG_S_PARTIAL_COMPLETE, BG_S_PARTIAL_COMPLETE,
      BG_S_PARTIAL_COMPLETE, INV, INV},
     {AC, AC, AC, AC, U, U}},
    /* R24: the error object exists only in ERROR / TRANSIENT_ERROR. */
    {"GetError", c_geterror, {NA, NA, S_OK, S_OK, NA, NA}, {U, U, U, U, U, U}},
    SETTER("AddFile", c_addfile, S_OK),
    SETTER("AddFileSet", c_addfileset, S_OK),
    SETTER("SetDisplayName", c_setdisplayname, S_OK),
    SETTER("SetDescription", c_setdescription, S_OK),
    SETTER("SetPriority", c_setpriority, S_OK),
    SETTER("SetNotifyFlags", c_setnotifyflags, S_OK),
    SETTER("SetNotifyInterface", c_setnotifyinterface, S_OK),
    SETTER("SetNotifyInterface(NULL)", c_setnotifyinterface_null, S_OK),
    SETTER("SetMinimumRetryDelay", c_setminimumretrydelay, S_OK),
    SETTER("SetNoProgressTimeout", c_setnoprogresstimeout, S_OK),
    SETTER("SetProxySettings", c_setproxysettings, S_OK),
    SETTER("Job2::SetNotifyCmdLine", c_setnotifycmdline, S_OK),
    SETTER("Job2::SetReplyFileName", c_setreplyfilename, S_OK),
    SETTER("Job2::SetCredentials", c_setcredentials, S_OK),
    SETTER("Job2::RemoveCredentials", c_removecredentials, S_FALSE),
    SETTER("Job3::ReplaceRemotePrefix", c_replaceremoteprefix, S_OK),
    SETTER("Job3::AddFileWithRanges", c_addfilewithranges, S_OK),
    SETTER("Job3::SetFileACLFlags", c_setfileaclflags, S_OK),
    SETTER("Job4::SetPeerCachingFlags", c_setpeercachingflags, S_OK),
    SETTER("Job4::SetMaximumDownloadTime", c_setmaximumdownloadtime, S_OK),
    SETTER("Job5::SetProperty(COST_FLAGS)", c_setproperty, S_OK),
    SETTER("HttpOptions::SetCustomHeaders", c_setcustomheaders, S_OK),
    SETTER("HttpOptions::SetSecurityFlags", c_setsecurityflags, S_OK),
    SETTER("HttpOptions::SetClientCertificateByName", c_setclientcertbyname,
           S_OK),
    SETTER("HttpOptions::SetClientCertificateByID", c_setclientcertbyid, S_OK),
    SETTER("HttpOptions::RemoveClientCertificate", c_removeclientcert, S_FALSE),
    SETTER("File2::SetRemoteName", c_file_setremotename, S_OK),
    GETTER("GetId", c_getid),
    GETTER("GetType", c_gettype),
    GETTER("GetProgress", c_getprogress),
    GETTER("GetTimes", c_gettimes),
    GETTER("GetState", c_getstate),
    GETTER("GetOwner", c_getowner),
    GETTER("GetDisplayName", c_getdisplayname),
    GETTER("GetDescription", c_getdescription),
    GETTER("GetPriority", c_getpriority),
    GETTER("GetNotifyFlags", c_getnotifyflags),
    GETTER("GetNotifyInterface", c_getnotifyinterface),
    GETTER("GetMinimumRetryDelay", c_getminimumretrydelay),
    GETTER("GetNoProgressTimeout", c_getnoprogresstimeout),
    GETTER("GetErrorCount", c_geterrorcount),
    GETTER("GetProxySettings", c_getproxysettings),
    GETTER("EnumFiles", c_enumfiles),
};

/* One CUnit case per precondition, each running every row. */
static void run_pre(enum mode mode, enum pre pre)
{
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
        const struct state_row *r = &rows[i];
        char ctx[96];
        snprintf(ctx, sizeof ctx, "%s in %s", r->name, pre_names[pre]);
        IBackgroundCopyJob *job = fx_job_in(&fx, pre);
        if (!job)
            continue;
        ASSERT_HR_AT(ctx, hr_mode(mode, r->hr[pre]), r->call(&fx, job));
        int want = r->post[pre] == U ? (int)pre_states[pre] : r->post[pre];
        ASSERT_U64_AT(ctx, want, job_state(job));
        /* Leave the queue now: the per-user job limit counts live jobs. */
        IBackgroundCopyJob_Cancel(job);
    }
out:
    fx_close(&fx);
}

#define PRE_CASE(p)                                                            \
    static void rules_in_##p(enum mode mode)                                   \
    {                                                                          \
        run_pre(mode, PRE_##p);                                                \
    }                                                                          \
    BOTH_MODES(rules_in_##p)
PRE_CASE(SUSPENDED)
PRE_CASE(QUEUED)
PRE_CASE(ERROR)
PRE_CASE(TRANSIENT_ERROR)
PRE_CASE(CANCELLED)
PRE_CASE(ACKNOWLEDGED)

/* ST-01, R11: Resume of a job without files. */
static void resume_empty(enum mode mode)
{
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *job = fx_job(&fx, 0);
    if (!job)
        goto out;
    ASSERT_HR(hr_mode(mode, BG_E_EMPTY), IBackgroundCopyJob_Resume(job));
    ASSERT_U64(BG_JOB_STATE_SUSPENDED, job_state(job));
out:
    fx_close(&fx);
}
BOTH_MODES(resume_empty)

/* R10: a job without files completes with S_OK. */
static void complete_empty_job(enum mode mode)
{
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *job = fx_job(&fx, 0);
    if (!job)
        goto out;
    ASSERT_HR(S_OK, IBackgroundCopyJob_Complete(job));
    ASSERT_U64(BG_JOB_STATE_ACKNOWLEDGED, job_state(job));
    ASSERT_HR(hr_mode(mode, BG_E_INVALID_STATE),
              IBackgroundCopyJob_Complete(job));
    ASSERT_HR(hr_mode(mode, BG_E_INVALID_STATE),
              IBackgroundCopyJob_Cancel(job));
out:
    fx_close(&fx);
}
BOTH_MODES(complete_empty_job)

/* R10: untransferred files stay not Completed after a partial Complete. */
static void complete_partial(enum mode mode)
{
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *job = fx_job(&fx, 2);
    if (!job)
        goto out;
    IBackgroundCopyFile *f = job_file(job, 1);
    ASSERT_HR(BG_S_PARTIAL_COMPLETE, IBackgroundCopyJob_Complete(job));
    ASSERT_U64(BG_JOB_STATE_ACKNOWLEDGED, job_state(job));
    if (f) {
        BG_FILE_PROGRESS p;
        POISON(p);
        ASSERT_HR(S_OK, IBackgroundCopyFile_GetProgress(f, &p));
        ASSERT_U64(FALSE, p.Completed);
        release(f);
    }
out:
    fx_close(&fx);
}
BOTH_MODES(complete_partial)

/* R20: entering a final state drops the notify registration. */
static void notify_interface_after_cancel(enum mode mode)
{
    struct fake cb;
    fake_init(&cb, 0);
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    for (enum pre p = PRE_CANCELLED; p <= PRE_ACKNOWLEDGED; p++) {
        IBackgroundCopyJob *job = fx_job(&fx, 1);
        if (!job)
            continue;
        ASSERT_HR(S_OK, IBackgroundCopyJob_SetNotifyInterface(
                            job, fake_unknown(&cb)));
        ASSERT_TRUE(fake_refs(&cb) > 1);
        HRESULT hr = p == PRE_CANCELLED ? IBackgroundCopyJob_Cancel(job)
                                        : IBackgroundCopyJob_Complete(job);
        ASSERT_TRUE(SUCCEEDED(hr));
        ASSERT_U64_AT(pre_names[p], 1, fake_refs(&cb));
        IUnknown *got = POISON_PTR;
        ASSERT_HR(S_OK, IBackgroundCopyJob_GetNotifyInterface(job, &got));
        ASSERT_PTR(NULL, got);
    }
out:
    fx_close(&fx);
    ASSERT_U64(1, fake_refs(&cb));
}
BOTH_MODES(notify_interface_after_cancel)

/* ST-03: Suspend of a suspended job is a no-op. */
static void suspend_twice(enum mode mode)
{
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *job = fx_job(&fx, 1);
    if (!job)
        goto out;
    ASSERT_HR(S_OK, IBackgroundCopyJob_Suspend(job));
    ASSERT_HR(S_OK, IBackgroundCopyJob_Suspend(job));
    ASSERT_U64(BG_JOB_STATE_SUSPENDED, job_state(job));
    ASSERT_HR(S_OK, IBackgroundCopyJob_Resume(job));
    ASSERT_HR(S_OK, IBackgroundCopyJob_Resume(job));
    ASSERT_U64(BG_JOB_STATE_QUEUED, job_state(job));
out:
    fx_close(&fx);
}
BOTH_MODES(suspend_twice)

/* ---- the transition table (STYLE.md 6: the tests iterate it) --------- */

/* Drives a fresh job (one file) from SUSPENDED to `target` along the
 * table with the reference's one state-changing function; never through
 * a final state.  Returns 0 when reached. */
static int drive(struct job *j, int target)
{
    int path[REF_STATE_COUNT], prev[REF_STATE_COUNT], seen[REF_STATE_COUNT];
    int queue[REF_STATE_COUNT], head = 0, tail = 0;
    memset(seen, 0, sizeof seen);
    queue[tail++] = BG_JOB_STATE_SUSPENDED;
    seen[BG_JOB_STATE_SUSPENDED] = 1;
    prev[BG_JOB_STATE_SUSPENDED] = -1;
    while (head < tail) {
        int s = queue[head++];
        for (unsigned i = 0; i < ref_transition_count; i++) {
            int to = (int)ref_transitions[i].to;
            if ((int)ref_transitions[i].from != s || seen[to] ||
                ref_state_is_final(to))
                continue;
            seen[to] = 1;
            prev[to] = s;
            queue[tail++] = to;
        }
    }
    if (target != BG_JOB_STATE_SUSPENDED && !seen[target])
        return -1;
    int n = 0;
    for (int s = target; s != -1; s = prev[s])
        path[n++] = s;
    for (int i = n - 1; i > 0; i--)
        if (!ref_job_test_transition(j, (BG_JOB_STATE)path[i],
                                     (BG_JOB_STATE)path[i - 1]))
            return -1;
    return 0;
}

static int listed(int from, int to)
{
    for (unsigned i = 0; i < ref_transition_count; i++)
        if ((int)ref_transitions[i].from == from &&
            (int)ref_transitions[i].to == to)
            return 1;
    return 0;
}

/* Every listed move into a non-final state is taken; every unlisted move
 * is refused and leaves the state alone (moves into final states go
 * through Cancel/Complete, whose table is above). */
static void transition_table(enum mode mode)
{
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    ASSERT_TRUE(ref_transition_count > 0);
    for (int from = 0; from < REF_STATE_COUNT; from++) {
        if (ref_state_is_final(from))
            continue;
        for (int to = 0; to < REF_STATE_COUNT; to++) {
            char ctx[64];
            snprintf(ctx, sizeof ctx, "%s -> %s", ref_state_name(from),
                     ref_state_name(to));
            int ok = listed(from, to);
            ASSERT_U64_AT(ctx, ok, ref_state_allowed(from, to) != 0);
            if (ok && ref_state_is_final(to))
                continue;
            IBackgroundCopyJob *job = fx_job(&fx, 1);
            struct job *j = job ? ref_job_from_iface(job) : NULL;
            if (!j || drive(j, from)) {
                t_check(0, __LINE__, __FILE__, "[%s] cannot reach %s", ctx,
                        ref_state_name(from));
                continue;
            }
            ASSERT_U64_AT(ctx, ok,
                          ref_job_test_transition(j, (BG_JOB_STATE)from,
                                                  (BG_JOB_STATE)to));
            ASSERT_U64_AT(ctx, ok ? to : from, job_state(job));
            /* A compare-and-set from a state the job is not in fails. */
            if (ok && from != to)
                ASSERT_U64_AT(ctx, 0,
                              ref_job_test_transition(j, (BG_JOB_STATE)from,
                                                      (BG_JOB_STATE)to));
            IBackgroundCopyJob_Cancel(job);
        }
    }
out:
    fx_close(&fx);
}
BOTH_MODES(transition_table)

/* The final states are absorbing: no listed move leaves them (T21). */
static void final_states_absorbing(void)
{
    for (unsigned i = 0; i < ref_transition_count; i++)
        t_check(!ref_state_is_final((int)ref_transitions[i].from), __LINE__,
                __FILE__, "transition out of final state %s (%s)",
                ref_state_name((int)ref_transitions[i].from),
                ref_transitions[i].trigger);
}

/* A job whose files are all transferred, in TRANSFERRED (the engine's
 * path, through the hooks). */
static IBackgroundCopyJob *transferred_job(struct fx *fx, UINT64 size)
{
    IBackgroundCopyJob *job = fx_job(fx, 1);
    struct job *j = job ? ref_job_from_iface(job) : NULL;
    if (!j || drive(j, BG_JOB_STATE_TRANSFERRING) ||
        ref_job_set_file_progress(j, 0, size, size) != S_OK ||
        !ref_job_test_transition(j, BG_JOB_STATE_TRANSFERRING,
                                 BG_JOB_STATE_TRANSFERRED)) {
        t_check(0, __LINE__, __FILE__, "cannot reach TRANSFERRED");
        return NULL;
    }
    return job;
}

/* D8, T17, ST-17, ST-19, R28: the TRANSFERRED state. */
static void transferred_rules(enum mode mode)
{
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *job = transferred_job(&fx, 100);
    if (!job)
        goto out;
    BG_JOB_PROGRESS p;
    POISON(p);
    ASSERT_HR(S_OK, IBackgroundCopyJob_GetProgress(job, &p));
    ASSERT_U64(100, p.BytesTotal);
    ASSERT_U64(100, p.BytesTransferred);
    ASSERT_U64(1, p.FilesTotal);
    ASSERT_U64(1, p.FilesTransferred);
    /* D8: nothing left to transfer. */
    ASSERT_HR(hr_mode(mode, BG_E_EMPTY), IBackgroundCopyJob_Resume(job));
    ASSERT_U64(BG_JOB_STATE_TRANSFERRED, job_state(job));
    IBackgroundCopyError *e = POISON_PTR;
    ASSERT_HR(hr_mode(mode, BG_E_ERROR_INFORMATION_UNAVAILABLE),
              IBackgroundCopyJob_GetError(job, &e));
    ASSERT_PTR(NULL, e);
    IBackgroundCopyJob3 *j3 = qi(job, &IID_IBackgroundCopyJob3);
    if (j3) {
        ASSERT_HR(hr_mode(mode, BG_E_INVALID_STATE),
                  IBackgroundCopyJob3_SetFileACLFlags(j3, BG_COPY_FILE_OWNER));
        release(j3);
    }
    ASSERT_HR(S_OK, IBackgroundCopyJob_SetDisplayName(job, u"still settable"));
    /* T17: a new file, then Resume queues the job again. */
    ASSERT_HR(S_OK, fx_add(&fx, job, "more"));
    ASSERT_HR(S_OK, IBackgroundCopyJob_Resume(job));
    ASSERT_U64(BG_JOB_STATE_QUEUED, job_state(job));
out:
    fx_close(&fx);
}
BOTH_MODES(transferred_rules)

/* Writes `text` to the file's temporary name (what the engine would have
 * downloaded); returns the name (malloc'd UTF-8) or NULL. */
static char *write_temp(IBackgroundCopyFile *f, const char *text)
{
    IBackgroundCopyFile3 *f3 = qi(f, &IID_IBackgroundCopyFile3);
    LPWSTR tmp = NULL;
    if (f3)
        IBackgroundCopyFile3_GetTemporaryName(f3, &tmp);
    release(f3);
    char *tmp8 = tmp ? docom_utf8_from_utf16(tmp) : NULL;
    CoTaskMemFree(tmp);
    FILE *fp = tmp8 ? fopen(tmp8, "w") : NULL;
    if (fp) {
        fputs(text, fp);
        fclose(fp);
    }
    t_check(fp != NULL, __LINE__, __FILE__, "cannot write temporary file %s",
            tmp8 ? tmp8 : "(none)");
    return tmp8;
}

/* ST-05, FILE-05, R10 (spec behavior.md 4.3 [DOC]): Complete of a fully
 * transferred job renames the temporary file to the local name and marks
 * the file Completed. */
static void complete_transferred(enum mode mode)
{
    struct fx fx;
    IBackgroundCopyFile *f = NULL;
    char *tmp8 = NULL;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *job = transferred_job(&fx, 5);
    if (!job || !(f = job_file(job, 0)))
        goto out;
    tmp8 = write_temp(f, "hello");
    ASSERT_HR(S_OK, IBackgroundCopyJob_Complete(job));
    ASSERT_U64(BG_JOB_STATE_ACKNOWLEDGED, job_state(job));
    BG_FILE_PROGRESS p;
    POISON(p);
    ASSERT_HR(S_OK, IBackgroundCopyFile_GetProgress(f, &p));
    ASSERT_U64(TRUE, p.Completed);
    char local[300], buf[16] = {0};
    snprintf(local, sizeof local, "%s/f0", fx.dir);
    FILE *fp = fopen(local, "r");
    if (fp) {
        if (!fgets(buf, sizeof buf, fp))
            buf[0] = 0;
        fclose(fp);
    }
    t_check(fp && !strcmp(buf, "hello"), __LINE__, __FILE__,
            "after Complete the local file %s should hold the temporary "
            "file's bytes \"hello\": %s",
            local, fp ? buf : "file absent");
    t_check(tmp8 && access(tmp8, F_OK) != 0, __LINE__, __FILE__,
            "after Complete the temporary file %s should be gone",
            tmp8 ? tmp8 : "(none)");
out:
    free(tmp8);
    release(f);
    fx_close(&fx);
}
BOTH_MODES(complete_transferred)

/* ST-07 (spec behavior.md 4.4 [DOC]): Cancel deletes the temporary files
 * and delivers nothing. */
static void cancel_deletes_temporary(enum mode mode)
{
    struct fx fx;
    IBackgroundCopyFile *f = NULL;
    char *tmp8 = NULL;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *job = transferred_job(&fx, 5);
    if (!job || !(f = job_file(job, 0)))
        goto out;
    tmp8 = write_temp(f, "hello");
    HRESULT hr = IBackgroundCopyJob_Cancel(job);
    ASSERT_HR(S_OK, hr);
    ASSERT_U64(BG_JOB_STATE_CANCELLED, job_state(job));
    char local[300];
    snprintf(local, sizeof local, "%s/f0", fx.dir);
    t_check(access(local, F_OK) != 0, __LINE__, __FILE__,
            "after Cancel the local file %s should not exist", local);
    t_check(tmp8 && access(tmp8, F_OK) != 0, __LINE__, __FILE__,
            "after Cancel the temporary file %s should be gone",
            tmp8 ? tmp8 : "(none)");
out:
    free(tmp8);
    release(f);
    fx_close(&fx);
}
BOTH_MODES(cancel_deletes_temporary)

/* R14: arguments are checked before the state, the state before the
 * limits. */
static void check_order(enum mode mode)
{
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    ref_policy_set(REF_POLICY_MAX_FILES_PER_JOB, 1);
    IBackgroundCopyJob *job = fx_job_in(&fx, PRE_CANCELLED);
    if (!job)
        goto out;
    WCHAR *u = fx_url("x");
    ASSERT_HR(E_INVALIDARG, IBackgroundCopyJob_AddFile(job, u, u"relative"));
    ASSERT_HR(E_INVALIDARG, IBackgroundCopyJob_AddFile(job, NULL, u"/tmp/x"));
    CoTaskMemFree(u);
    /* At the file limit and final: the state wins. */
    ASSERT_HR(hr_mode(mode, BG_E_INVALID_STATE), fx_add(&fx, job, "late"));
    ASSERT_HR(E_INVALIDARG, IBackgroundCopyJob_SetDisplayName(job, NULL));
    ASSERT_HR(E_NOTIMPL,
              IBackgroundCopyJob_SetPriority(job, (BG_JOB_PRIORITY)9));
    ASSERT_HR(hr_mode(mode, BG_E_INVALID_STATE),
              IBackgroundCopyJob_SetPriority(job, BG_JOB_PRIORITY_LOW));
out:
    fx_close(&fx);
}
BOTH_MODES(check_order)

CU_TestInfo tests_job_state[] = {
    BOTH_INFO(rules_in_SUSPENDED),
    BOTH_INFO(rules_in_QUEUED),
    BOTH_INFO(rules_in_ERROR),
    BOTH_INFO(rules_in_TRANSIENT_ERROR),
    BOTH_INFO(rules_in_CANCELLED),
    BOTH_INFO(rules_in_ACKNOWLEDGED),
    BOTH_INFO(resume_empty),
    BOTH_INFO(complete_empty_job),
    BOTH_INFO(complete_partial),
    BOTH_INFO(notify_interface_after_cancel),
    BOTH_INFO(suspend_twice),
    BOTH_INFO(transition_table),
    {"final_states_absorbing", final_states_absorbing},
    BOTH_INFO(transferred_rules),
    BOTH_INFO(complete_transferred),
    BOTH_INFO(cancel_deletes_temporary),
    BOTH_INFO(check_order),
    CU_TEST_INFO_NULL,
};
