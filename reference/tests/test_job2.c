/*
 * IBackgroundCopyJob2 (decisions R27): notify command line, reply file
 * name, reply progress and data, credentials; NULL out-pointers (R1).
 * Its state rules are rows of test_job_state.c.
 */
#include "support.h"

#include <docom.h>
#include <sys/stat.h>

#include "ref_policy.h"

static IBackgroundCopyJob2 *job2(struct fx *fx, BG_JOB_TYPE type)
{
    IBackgroundCopyJob *job = fx_job_typed(fx, type, 0);
    return job ? qi(job, &IID_IBackgroundCopyJob2) : NULL;
}

static void check_cmdline(IBackgroundCopyJob2 *j, const WCHAR *prog,
                          const WCHAR *params)
{
    LPWSTR p = POISON_PTR, a = POISON_PTR;
    ASSERT_HR(S_OK, IBackgroundCopyJob2_GetNotifyCmdLine(j, &p, &a));
    ASSERT_WSTR(prog, p);
    ASSERT_WSTR(params, a);
    if (p != POISON_PTR)
        CoTaskMemFree(p);
    if (a != POISON_PTR)
        CoTaskMemFree(a);
}

static void notify_cmdline(enum mode mode)
{
    struct fx fx;
    IBackgroundCopyJob2 *j = NULL;
    if (fx_open(&fx, mode) || !(j = job2(&fx, BG_JOB_TYPE_DOWNLOAD)))
        goto out;
    check_cmdline(j, u"", u"");
    ASSERT_HR(S_OK, IBackgroundCopyJob2_SetNotifyCmdLine(j, u"/bin/true",
                                                         u"/bin/true --flag"));
    check_cmdline(j, u"/bin/true", u"/bin/true --flag");
    ASSERT_HR(S_OK, IBackgroundCopyJob2_SetNotifyCmdLine(j, NULL, NULL));
    check_cmdline(j, u"", u"");

    WCHAR *p259 = wrepeat(u"/", u'p', 258), *p260 = wrepeat(u"/", u'p', 259);
    WCHAR *a4000 = wrepeat(NULL, u'a', 4000),
          *a4001 = wrepeat(NULL, u'a', 4001);
    const struct {
        const char *name;
        const WCHAR *prog, *params;
        HRESULT hr;
    } rows[] = {
        {"program 259", p259, NULL, S_OK},
        {"program 260", p260, NULL, BG_E_STRING_TOO_LONG},
        {"parameters 4000", u"/bin/true", a4000, S_OK},
        {"parameters 4001", u"/bin/true", a4001, BG_E_STRING_TOO_LONG},
        {"NULL program with parameters", NULL, u"x", E_INVALIDARG},
        {"relative program", u"bin/true", NULL, E_INVALIDARG},
        {"empty program", u"", NULL, E_INVALIDARG},
    };
    for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
        ASSERT_HR(S_OK, IBackgroundCopyJob2_SetNotifyCmdLine(j, u"/bin/a",
                                                             u"/bin/a b"));
        ASSERT_HR_AT(rows[i].name, rows[i].hr,
                     IBackgroundCopyJob2_SetNotifyCmdLine(j, rows[i].prog,
                                                          rows[i].params));
        if (rows[i].hr != S_OK)
            check_cmdline(j, u"/bin/a", u"/bin/a b");
    }
    CoTaskMemFree(p259);
    CoTaskMemFree(p260);
    CoTaskMemFree(a4000);
    CoTaskMemFree(a4001);
    LPWSTR p = POISON_PTR;
    ASSERT_HR(E_INVALIDARG, IBackgroundCopyJob2_GetNotifyCmdLine(j, NULL, &p));
    ASSERT_PTR(NULL, p);
    p = POISON_PTR;
    ASSERT_HR(E_INVALIDARG, IBackgroundCopyJob2_GetNotifyCmdLine(j, &p, NULL));
    ASSERT_PTR(NULL, p);
out:
    release(j);
    fx_close(&fx);
}
BOTH_MODES(notify_cmdline)

static void check_reply_name(IBackgroundCopyJob2 *j, const WCHAR *want)
{
    LPWSTR s = POISON_PTR;
    ASSERT_HR(S_OK, IBackgroundCopyJob2_GetReplyFileName(j, &s));
    ASSERT_WSTR(want, s);
    if (s != POISON_PTR)
        CoTaskMemFree(s);
}

static void reply_file_name(enum mode mode)
{
    struct fx fx;
    IBackgroundCopyJob2 *j = NULL;
    if (fx_open(&fx, mode) || !(j = job2(&fx, BG_JOB_TYPE_DOWNLOAD)))
        goto out;
    check_reply_name(j, NULL);
    WCHAR *p = fx_path(&fx, "reply.bin");
    ASSERT_HR(S_OK, IBackgroundCopyJob2_SetReplyFileName(j, p));
    check_reply_name(j, p);
    ASSERT_HR(E_INVALIDARG,
              IBackgroundCopyJob2_SetReplyFileName(j, u"relative.bin"));
    check_reply_name(j, p);
    char ro[300];
    snprintf(ro, sizeof ro, "%s/ro", fx.dir);
    mkdir(ro, 0700);
    ref_policy_set_deny_write_prefix(ro);
    WCHAR *denied = fx_path(&fx, "ro/reply.bin");
    ASSERT_HR(E_ACCESSDENIED, IBackgroundCopyJob2_SetReplyFileName(j, denied));
    check_reply_name(j, p);
    ASSERT_HR(S_OK, IBackgroundCopyJob2_SetReplyFileName(j, NULL));
    check_reply_name(j, NULL);
    ASSERT_HR(E_INVALIDARG, IBackgroundCopyJob2_GetReplyFileName(j, NULL));
    CoTaskMemFree(p);
    CoTaskMemFree(denied);
out:
    release(j);
    fx_close(&fx);
}
BOTH_MODES(reply_file_name)

/* GetReplyProgress / GetReplyData: E_NOTIMPL for non upload-reply jobs
 * (documented); upload-reply before a reply: {BG_SIZE_UNKNOWN, 0} and
 * INVALID_STATE for the data. */
static void reply_progress_and_data(enum mode mode)
{
    struct fx fx;
    IBackgroundCopyJob2 *d = NULL, *r = NULL;
    if (fx_open(&fx, mode) || !(d = job2(&fx, BG_JOB_TYPE_DOWNLOAD)))
        goto out;
    BG_JOB_REPLY_PROGRESS p;
    POISON(p);
    ASSERT_HR(E_NOTIMPL, IBackgroundCopyJob2_GetReplyProgress(d, &p));
    BYTE *buf = POISON_PTR;
    UINT64 len = POISON_U64;
    ASSERT_HR(E_NOTIMPL, IBackgroundCopyJob2_GetReplyData(d, &buf, &len));
    ASSERT_PTR(NULL, buf);
    ASSERT_HR(E_INVALIDARG, IBackgroundCopyJob2_GetReplyProgress(d, NULL));
    if (mode == MODE_DO)
        goto out;
    if (!(r = job2(&fx, BG_JOB_TYPE_UPLOAD_REPLY)))
        goto out;
    POISON(p);
    ASSERT_HR(S_OK, IBackgroundCopyJob2_GetReplyProgress(r, &p));
    ASSERT_U64(BG_SIZE_UNKNOWN, p.BytesTotal);
    ASSERT_U64(0, p.BytesTransferred);
    buf = POISON_PTR;
    len = POISON_U64;
    ASSERT_HR(BG_E_INVALID_STATE,
              IBackgroundCopyJob2_GetReplyData(r, &buf, &len));
    ASSERT_PTR(NULL, buf);
    ASSERT_HR(E_INVALIDARG, IBackgroundCopyJob2_GetReplyData(r, NULL, &len));
    buf = POISON_PTR;
    ASSERT_HR(E_INVALIDARG, IBackgroundCopyJob2_GetReplyData(r, &buf, NULL));
    ASSERT_PTR(NULL, buf);
out:
    release(d);
    release(r);
    fx_close(&fx);
}
BOTH_MODES(reply_progress_and_data)

struct cred_row {
    const char *name;
    int target, scheme;
    const WCHAR *user, *pass;
    size_t user_len, pass_len; /* when non-zero, repeat 'u' / 'p' */
    HRESULT hr;
};

static const struct cred_row cred_rows[] = {
    {"server basic", BG_AUTH_TARGET_SERVER, BG_AUTH_SCHEME_BASIC, u"u", u"p", 0,
     0, S_OK},
    {"proxy digest", BG_AUTH_TARGET_PROXY, BG_AUTH_SCHEME_DIGEST, u"u", u"p", 0,
     0, S_OK},
    {"ntlm implicit", BG_AUTH_TARGET_SERVER, BG_AUTH_SCHEME_NTLM, NULL, NULL, 0,
     0, S_OK},
    {"negotiate", BG_AUTH_TARGET_SERVER, BG_AUTH_SCHEME_NEGOTIATE, u"u", u"p",
     0, 0, S_OK},
    {"passport", BG_AUTH_TARGET_PROXY, BG_AUTH_SCHEME_PASSPORT, u"u", u"p", 0,
     0, S_OK},
    {"user 300", BG_AUTH_TARGET_SERVER, BG_AUTH_SCHEME_BASIC, NULL, u"p", 300,
     0, S_OK},
    {"user 301", BG_AUTH_TARGET_SERVER, BG_AUTH_SCHEME_BASIC, NULL, u"p", 301,
     0, BG_E_USERNAME_TOO_LARGE},
    {"password 65535", BG_AUTH_TARGET_SERVER, BG_AUTH_SCHEME_BASIC, u"u", NULL,
     0, 65535, S_OK},
    {"password 65536", BG_AUTH_TARGET_SERVER, BG_AUTH_SCHEME_BASIC, u"u", NULL,
     0, 65536, BG_E_PASSWORD_TOO_LARGE},
    {"target 0", 0, BG_AUTH_SCHEME_BASIC, u"u", u"p", 0, 0,
     BG_E_INVALID_AUTH_TARGET},
    {"target 3", 3, BG_AUTH_SCHEME_BASIC, u"u", u"p", 0, 0,
     BG_E_INVALID_AUTH_TARGET},
    {"scheme 0", BG_AUTH_TARGET_SERVER, 0, u"u", u"p", 0, 0,
     BG_E_INVALID_AUTH_SCHEME},
    {"scheme 6", BG_AUTH_TARGET_SERVER, 6, u"u", u"p", 0, 0,
     BG_E_INVALID_AUTH_SCHEME},
    {"basic NULL user", BG_AUTH_TARGET_SERVER, BG_AUTH_SCHEME_BASIC, NULL, u"p",
     0, 0, E_INVALIDARG},
    {"digest NULL password", BG_AUTH_TARGET_SERVER, BG_AUTH_SCHEME_DIGEST, u"u",
     NULL, 0, 0, E_INVALIDARG},
};

static void credentials(enum mode mode)
{
    struct fx fx;
    IBackgroundCopyJob2 *j = NULL;
    if (fx_open(&fx, mode) || !(j = job2(&fx, BG_JOB_TYPE_DOWNLOAD)))
        goto out;
    for (size_t i = 0; i < ARRAY_LEN(cred_rows); i++) {
        const struct cred_row *r = &cred_rows[i];
        WCHAR *u = r->user_len ? wrepeat(NULL, u'u', r->user_len) : NULL;
        WCHAR *p = r->pass_len ? wrepeat(NULL, u'p', r->pass_len) : NULL;
        BG_AUTH_CREDENTIALS c;
        memset(&c, 0, sizeof c);
        c.Target = (BG_AUTH_TARGET)r->target;
        c.Scheme = (BG_AUTH_SCHEME)r->scheme;
        c.Credentials.Basic.UserName = u ? u : (LPWSTR)r->user;
        c.Credentials.Basic.Password = p ? p : (LPWSTR)r->pass;
        ASSERT_HR_AT(r->name, r->hr, IBackgroundCopyJob2_SetCredentials(j, &c));
        CoTaskMemFree(u);
        CoTaskMemFree(p);
    }
    ASSERT_HR(E_INVALIDARG, IBackgroundCopyJob2_SetCredentials(j, NULL));
    /* The server/basic pair is set (first row): removed once. */
    ASSERT_HR(S_OK, IBackgroundCopyJob2_RemoveCredentials(
                        j, BG_AUTH_TARGET_SERVER, BG_AUTH_SCHEME_BASIC));
    ASSERT_HR(S_FALSE, IBackgroundCopyJob2_RemoveCredentials(
                           j, BG_AUTH_TARGET_SERVER, BG_AUTH_SCHEME_BASIC));
    ASSERT_HR(S_FALSE, IBackgroundCopyJob2_RemoveCredentials(
                           j, BG_AUTH_TARGET_PROXY, BG_AUTH_SCHEME_NTLM));
    ASSERT_HR(BG_E_INVALID_AUTH_TARGET,
              IBackgroundCopyJob2_RemoveCredentials(j, (BG_AUTH_TARGET)9,
                                                    BG_AUTH_SCHEME_BASIC));
    ASSERT_HR(BG_E_INVALID_AUTH_SCHEME,
              IBackgroundCopyJob2_RemoveCredentials(j, BG_AUTH_TARGET_SERVER,
                                                    (BG_AUTH_SCHEME)9));
out:
    release(j);
    fx_close(&fx);
}
BOTH_MODES(credentials)

CU_TestInfo tests_job2[] = {
    BOTH_INFO(notify_cmdline),
    BOTH_INFO(reply_file_name),
    BOTH_INFO(reply_progress_and_data),
    BOTH_INFO(credentials),
    CU_TEST_INFO_NULL,
};
