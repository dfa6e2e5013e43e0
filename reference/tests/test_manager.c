/*
 * IBackgroundCopyManager: CreateJob (names, types, NULL outs, the job's
 * identity), GetJob (found, not found, final jobs), EnumJobs (flags,
 * snapshot growth, final jobs hidden) and GetErrorDescription, in both
 * modes.  Job limits live in test_manager_limits() at the end.
 */
#include "support.h"

#include <docom.h>

#include "ref_owner.h"
#include "ref_policy.h"

static const GUID zero_guid;

static void create_job_valid(enum mode mode)
{
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    GUID id;
    POISON(id);
    IBackgroundCopyJob *job = POISON_PTR;
    ASSERT_HR(S_OK, IBackgroundCopyManager_CreateJob(
                        fx.mgr, u"docts job", BG_JOB_TYPE_DOWNLOAD, &id, &job));
    ASSERT_NONNULL(job);
    if (!job || job == POISON_PTR)
        goto out;
    fx_track(&fx, job);
    ASSERT_TRUE(memcmp(&id, &zero_guid, sizeof id) != 0);
    GUID got;
    POISON(got);
    ASSERT_HR(S_OK, IBackgroundCopyJob_GetId(job, &got));
    ASSERT_GUID(&id, &got);
    ASSERT_U64(BG_JOB_STATE_SUSPENDED, job_state(job));

    /* A second job gets a different id; names may repeat. */
    GUID id2;
    IBackgroundCopyJob *job2 = POISON_PTR;
    ASSERT_HR(S_OK, IBackgroundCopyManager_CreateJob(fx.mgr, u"docts job",
                                                     BG_JOB_TYPE_DOWNLOAD, &id2,
                                                     &job2));
    if (job2 && job2 != POISON_PTR) {
        fx_track(&fx, job2);
        ASSERT_TRUE(memcmp(&id, &id2, sizeof id) != 0);
        ASSERT_TRUE((void *)job2 != (void *)job);
    }
out:
    fx_close(&fx);
}
BOTH_MODES(create_job_valid)

/* One row per CreateJob argument combination (R3, R4). */
struct create_row {
    const char *name;
    size_t name_len; /* display name of this many 'n's ... */
    int null_name;   /* ... or NULL */
    BG_JOB_TYPE type;
    int null_id, null_job;
    HRESULT bits, dom; /* expected per mode */
};

static const struct create_row create_rows[] = {
    {"empty name", 0, 0, BG_JOB_TYPE_DOWNLOAD, 0, 0, S_OK, S_OK},
    {"name 256", 256, 0, BG_JOB_TYPE_DOWNLOAD, 0, 0, S_OK, S_OK},
    {"name 257", 257, 0, BG_JOB_TYPE_DOWNLOAD, 0, 0, E_INVALIDARG,
     E_INVALIDARG},
    {"name 4000", 4000, 0, BG_JOB_TYPE_DOWNLOAD, 0, 0, E_INVALIDARG,
     E_INVALIDARG},
    {"NULL name", 0, 1, BG_JOB_TYPE_DOWNLOAD, 0, 0, E_INVALIDARG, E_INVALIDARG},
    {"upload", 4, 0, BG_JOB_TYPE_UPLOAD, 0, 0, S_OK, E_INVALIDARG},
    {"upload-reply", 4, 0, BG_JOB_TYPE_UPLOAD_REPLY, 0, 0, S_OK, E_INVALIDARG},
    {"type 3", 4, 0, (BG_JOB_TYPE)3, 0, 0, E_INVALIDARG, E_INVALIDARG},
    {"type -1", 4, 0, (BG_JOB_TYPE)-1, 0, 0, E_INVALIDARG, E_INVALIDARG},
    {"NULL id", 4, 0, BG_JOB_TYPE_DOWNLOAD, 1, 0, E_INVALIDARG, E_INVALIDARG},
    {"NULL job", 4, 0, BG_JOB_TYPE_DOWNLOAD, 0, 1, E_INVALIDARG, E_INVALIDARG},
};

static void create_job_table(enum mode mode)
{
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    for (size_t i = 0; i < ARRAY_LEN(create_rows); i++) {
        const struct create_row *r = &create_rows[i];
        WCHAR *name = r->null_name ? NULL : wrepeat(NULL, u'n', r->name_len);
        GUID id;
        POISON(id);
        IBackgroundCopyJob *job = POISON_PTR;
        HRESULT exp = mode == MODE_BITS ? r->bits : r->dom;
        HRESULT hr = IBackgroundCopyManager_CreateJob(
            fx.mgr, name, r->type, r->null_id ? NULL : &id,
            r->null_job ? NULL : &job);
        ASSERT_HR_AT(r->name, exp, hr);
        if (!r->null_job) {
            if (hr == S_OK && job != POISON_PTR && job)
                fx_track(&fx, job);
            else
                ASSERT_PTR(NULL, job);
        }
        if (hr == S_OK && !r->null_job && job && job != POISON_PTR) {
            LPWSTR got = POISON_PTR;
            ASSERT_HR_AT(r->name, S_OK,
                         IBackgroundCopyJob_GetDisplayName(job, &got));
            ASSERT_WSTR(name, got);
            if (got != POISON_PTR)
                CoTaskMemFree(got);
            BG_JOB_TYPE t = (BG_JOB_TYPE)POISON_U32;
            ASSERT_HR_AT(r->name, S_OK, IBackgroundCopyJob_GetType(job, &t));
            ASSERT_U64_AT(r->name, r->type, t);
        }
        CoTaskMemFree(name);
    }
out:
    fx_close(&fx);
}
BOTH_MODES(create_job_table)

static void get_job(enum mode mode)
{
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *job = fx_job(&fx, 0);
    if (!job)
        goto out;
    GUID id;
    IBackgroundCopyJob_GetId(job, &id);

    IBackgroundCopyJob *found = POISON_PTR;
    ASSERT_HR(S_OK, IBackgroundCopyManager_GetJob(fx.mgr, &id, &found));
    ASSERT_NONNULL(found);
    if (found && found != POISON_PTR) {
        GUID got;
        POISON(got);
        ASSERT_HR(S_OK, IBackgroundCopyJob_GetId(found, &got));
        ASSERT_GUID(&id, &got);
        /* Same job object: one identity. */
        IUnknown *a = qi(job, &IID_IUnknown), *b = qi(found, &IID_IUnknown);
        ASSERT_PTR(a, b);
        release(a);
        release(b);
        release(found);
    }

    /* The manager finds a job the client no longer references. */
    IBackgroundCopyJob *again = POISON_PTR;
    ASSERT_HR(S_OK, IBackgroundCopyManager_GetJob(fx.mgr, &id, &again));
    if (again && again != POISON_PTR)
        release(again);

    static const GUID unknown = {
        0x12345678, 0x9abc, 0xdef0, {1, 2, 3, 4, 5, 6, 7, 8}};
    found = POISON_PTR;
    ASSERT_HR(hr_mode(mode, BG_E_NOT_FOUND),
              IBackgroundCopyManager_GetJob(fx.mgr, &unknown, &found));
    ASSERT_PTR(NULL, found);

    found = POISON_PTR;
    ASSERT_HR(hr_mode(mode, BG_E_NOT_FOUND),
              IBackgroundCopyManager_GetJob(fx.mgr, &GUID_NULL, &found));
    ASSERT_PTR(NULL, found);

    /* R1: NULL out-pointer. */
    ASSERT_HR(E_INVALIDARG, IBackgroundCopyManager_GetJob(fx.mgr, &id, NULL));
    found = POISON_PTR;
    ASSERT_HR(E_INVALIDARG,
              IBackgroundCopyManager_GetJob(fx.mgr, NULL, &found));
    ASSERT_PTR(NULL, found);
out:
    fx_close(&fx);
}
BOTH_MODES(get_job)

/* D7: a job in a final state is no longer found. */
static void get_job_final(enum mode mode)
{
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    for (enum pre p = PRE_CANCELLED; p <= PRE_ACKNOWLEDGED; p++) {
        IBackgroundCopyJob *job = fx_job_in(&fx, p);
        if (!job)
            continue;
        GUID id;
        IBackgroundCopyJob_GetId(job, &id);
        IBackgroundCopyJob *found = POISON_PTR;
        ASSERT_HR_AT(pre_names[p], hr_mode(mode, BG_E_NOT_FOUND),
                     IBackgroundCopyManager_GetJob(fx.mgr, &id, &found));
        ASSERT_PTR(NULL, found);
        /* The client's pointer still answers getters (behavior.md 1). */
        ASSERT_U64_AT(pre_names[p], pre_states[p], job_state(job));
    }
out:
    fx_close(&fx);
}
BOTH_MODES(get_job_final)

static ULONG enum_count(IBackgroundCopyManager *mgr)
{
    IEnumBackgroundCopyJobs *e = POISON_PTR;
    ULONG n = POISON_U32;
    HRESULT hr = IBackgroundCopyManager_EnumJobs(mgr, 0, &e);
    ASSERT_HR(S_OK, hr);
    if (hr != S_OK)
        return POISON_U32;
    ASSERT_HR(S_OK, IEnumBackgroundCopyJobs_GetCount(e, &n));
    ASSERT_U64(0, release(e));
    return n;
}

/* MGR-05 (Wine's test): count grows by exactly one per CreateJob. */
static void enum_jobs_grows(enum mode mode)
{
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    ULONG before = enum_count(fx.mgr);
    if (!fx_job(&fx, 0))
        goto out;
    ASSERT_U64(before + 1, enum_count(fx.mgr));
    if (!fx_job(&fx, 1))
        goto out;
    ASSERT_U64(before + 2, enum_count(fx.mgr));
out:
    fx_close(&fx);
}
BOTH_MODES(enum_jobs_grows)

/* MGR-07: jobs in a final state are not enumerated. */
static void enum_jobs_hides_final(enum mode mode)
{
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    ULONG before = enum_count(fx.mgr);
    IBackgroundCopyJob *a = fx_job(&fx, 1), *b = fx_job(&fx, 1);
    if (!a || !b)
        goto out;
    ASSERT_U64(before + 2, enum_count(fx.mgr));
    ASSERT_HR(S_OK, IBackgroundCopyJob_Cancel(a));
    ASSERT_U64(before + 1, enum_count(fx.mgr));
    ASSERT_TRUE(SUCCEEDED(IBackgroundCopyJob_Complete(b)));
    ASSERT_U64(before, enum_count(fx.mgr));
out:
    fx_close(&fx);
}
BOTH_MODES(enum_jobs_hides_final)

static void enum_jobs_args(enum mode mode)
{
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    /* R1, R22, R5 (standard user by default). */
    ASSERT_HR(E_INVALIDARG, IBackgroundCopyManager_EnumJobs(fx.mgr, 0, NULL));
    IEnumBackgroundCopyJobs *e = POISON_PTR;
    ASSERT_HR(E_ACCESSDENIED, IBackgroundCopyManager_EnumJobs(
                                  fx.mgr, BG_JOB_ENUM_ALL_USERS, &e));
    ASSERT_PTR(NULL, e);
    e = POISON_PTR;
    ASSERT_HR(E_INVALIDARG, IBackgroundCopyManager_EnumJobs(fx.mgr, 2, &e));
    ASSERT_PTR(NULL, e);
    e = POISON_PTR;
    ASSERT_HR(E_INVALIDARG,
              IBackgroundCopyManager_EnumJobs(fx.mgr, 0xffffffffu, &e));
    ASSERT_PTR(NULL, e);
out:
    fx_close(&fx);
}
BOTH_MODES(enum_jobs_args)

/* R23: languages; every code has a text. */
static void get_error_description(enum mode mode)
{
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    static const struct {
        const char *name;
        HRESULT code;
        DWORD lang;
        HRESULT hr;
    } rows[] = {
        {"BG_E_NOT_FOUND en-US", BG_E_NOT_FOUND, 0x0409, S_OK},
        {"BG_E_INVALID_STATE en-US", BG_E_INVALID_STATE, 0x0409, S_OK},
        {"HTTP 404 en-US", (HRESULT)0x80190194, 0x0409, S_OK},
        {"DO_E_JOB_EMPTY en-US", DO_E_JOB_EMPTY, 0x0409, S_OK},
        {"E_INVALIDARG en-US", E_INVALIDARG, 0x0409, S_OK},
        {"LanguageId 0", BG_E_NOT_FOUND, 0, S_OK},
        {"user default 0x0400", BG_E_NOT_FOUND, 0x0400, S_OK},
        {"system default 0x0800", BG_E_NOT_FOUND, 0x0800, S_OK},
        {"unknown code", (HRESULT)0x12345678, 0x0409, S_OK},
        {"HTTP 429", (HRESULT)0x801901AD, 0x0409, S_OK},
        {"HTTP 999", (HRESULT)0x801903E7, 0x0409, S_OK},
        {"BG_E_NOT_FOUND de-DE", BG_E_NOT_FOUND, 0x0407,
         HRESULT_FROM_WIN32(ERROR_RESOURCE_LANG_NOT_FOUND)},
        {"BG_E_NOT_FOUND ja-JP", BG_E_NOT_FOUND, 0x0411,
         HRESULT_FROM_WIN32(ERROR_RESOURCE_LANG_NOT_FOUND)},
    };
    for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
        LPWSTR text = POISON_PTR;
        HRESULT hr = IBackgroundCopyManager_GetErrorDescription(
            fx.mgr, rows[i].code, rows[i].lang, &text);
        ASSERT_HR_AT(rows[i].name, rows[i].hr, hr);
        if (rows[i].hr == S_OK) {
            ASSERT_NONNULL(text);
            if (text && text != POISON_PTR) {
                ASSERT_TRUE(wlen(text) > 0);
                CoTaskMemFree(text);
            }
        } else {
            ASSERT_PTR(NULL, text);
        }
    }
    ASSERT_HR(E_INVALIDARG, IBackgroundCopyManager_GetErrorDescription(
                                fx.mgr, BG_E_NOT_FOUND, 0x0409, NULL));

    /* R23: the texts of codes outside the message table. */
    static const struct {
        HRESULT code;
        const char *text;
    } fixed[] = {
        {(HRESULT)0x12345678, "Unknown error (0x12345678)."},
        {(HRESULT)0x801903E7, "The server returned HTTP status 999."},
    };
    for (size_t i = 0; i < ARRAY_LEN(fixed); i++) {
        LPWSTR text = POISON_PTR;
        ASSERT_HR(S_OK, IBackgroundCopyManager_GetErrorDescription(
                            fx.mgr, fixed[i].code, 0x0409, &text));
        WCHAR *exp = wfrom(fixed[i].text);
        ASSERT_WSTR(exp, text);
        CoTaskMemFree(exp);
        if (text != POISON_PTR)
            CoTaskMemFree(text);
    }
out:
    fx_close(&fx);
}
BOTH_MODES(get_error_description)

/* R8: releasing every client pointer neither cancels nor deletes a job. */
static void getjob_after_release(enum mode mode)
{
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *job = POISON_PTR;
    GUID id;
    ASSERT_HR(S_OK, IBackgroundCopyManager_CreateJob(
                        fx.mgr, u"released", BG_JOB_TYPE_DOWNLOAD, &id, &job));
    if (!job || job == POISON_PTR)
        goto out;
    ASSERT_HR(S_OK, fx_add(&fx, job, "kept"));
    /* The caller's only reference: 0, as on Windows (Wine's qmgr.c
     * test_CreateJob); the queue keeps the job without one. */
    ASSERT_U64(0, release(job));
    /* Even the manager that made it may go. */
    IBackgroundCopyManager_Release(fx.mgr);
    fx.mgr = make_manager(mode);
    if (!fx.mgr)
        goto out;
    job = POISON_PTR;
    ASSERT_HR(S_OK, IBackgroundCopyManager_GetJob(fx.mgr, &id, &job));
    if (job && job != POISON_PTR) {
        fx_track(&fx, job);
        ASSERT_U64(1, refcount(job)); /* GetJob's reference alone */
        ASSERT_U64(1, job_file_count(job));
        ASSERT_U64(BG_JOB_STATE_SUSPENDED, job_state(job));
    }
out:
    fx_close(&fx);
}
BOTH_MODES(getjob_after_release)

/* The job listed by a fresh EnumJobs whose id is `id`, or NULL. */
static IBackgroundCopyJob *listed(struct fx *fx, const GUID *id)
{
    IEnumBackgroundCopyJobs *e = POISON_PTR;
    IBackgroundCopyJob *j, *found = NULL;
    ASSERT_HR(S_OK, IBackgroundCopyManager_EnumJobs(fx->mgr, 0, &e));
    if (!e || e == POISON_PTR)
        return NULL;
    while (!found && IEnumBackgroundCopyJobs_Next(e, 1, &j, NULL) == S_OK) {
        GUID g;
        memset(&g, 0, sizeof g);
        IBackgroundCopyJob_GetId(j, &g);
        if (memcmp(&g, id, sizeof g) == 0)
            found = j;
        else
            release(j);
    }
    ASSERT_U64(0, release(e)); /* no internal holder of an enumerator */
    return found;
}

/* R8: AddRef and Release count the clients' references only (as
 * Windows' proxy does); each client reference (CreateJob, GetJob, Next of
 * EnumJobs, QueryInterface) adds one; after the last Release returns 0
 * GetJob and EnumJobs still find the job. */
static void release_counts(enum mode mode)
{
    struct fx fx;
    IBackgroundCopyJob *job = POISON_PTR, *again = POISON_PTR, *en;
    IBackgroundCopyJob2 *j2;
    GUID id;
    if (fx_open(&fx, mode))
        goto out;
    ASSERT_HR(S_OK, IBackgroundCopyManager_CreateJob(
                        fx.mgr, u"counted", BG_JOB_TYPE_DOWNLOAD, &id, &job));
    if (!job || job == POISON_PTR)
        goto out;
    ASSERT_U64(2, IBackgroundCopyJob_AddRef(job));
    ASSERT_U64(1, IBackgroundCopyJob_Release(job));
    j2 = qi(job, &IID_IBackgroundCopyJob2);
    ASSERT_U64(3, IBackgroundCopyJob_AddRef(job));
    ASSERT_U64(2, IBackgroundCopyJob_Release(job));
    if (j2)
        ASSERT_U64(1, IBackgroundCopyJob2_Release(j2));
    ASSERT_U64(0, IBackgroundCopyJob_Release(job));
    /* The queue kept it: GetJob gives one client reference again. */
    ASSERT_HR(S_OK, IBackgroundCopyManager_GetJob(fx.mgr, &id, &again));
    if (!again || again == POISON_PTR)
        goto out;
    ASSERT_PTR(job, again);
    ASSERT_U64(2, IBackgroundCopyJob_AddRef(again));
    ASSERT_U64(1, IBackgroundCopyJob_Release(again));
    ASSERT_U64(0, IBackgroundCopyJob_Release(again));
    /* EnumJobs lists it; Next's reference is the only one. */
    en = listed(&fx, &id);
    ASSERT_PTR(job, en);
    if (!en)
        goto out;
    ASSERT_U64(2, IBackgroundCopyJob_AddRef(en));
    ASSERT_U64(1, IBackgroundCopyJob_Release(en));
    ASSERT_U64(0, IBackgroundCopyJob_Release(en));
    en = listed(&fx, &id);
    ASSERT_PTR(job, en);
    if (en) {
        ASSERT_U64(BG_JOB_STATE_SUSPENDED, job_state(en));
        fx_track(&fx, en); /* fx_close cancels it */
    }
out:
    fx_close(&fx);
}
BOTH_MODES(release_counts)

static HRESULT create(struct fx *fx, IBackgroundCopyJob **out)
{
    GUID id;
    *out = POISON_PTR;
    HRESULT hr = IBackgroundCopyManager_CreateJob(
        fx->mgr, u"limit", BG_JOB_TYPE_DOWNLOAD, &id, out);
    if (hr == S_OK)
        fx_track(fx, *out);
    else
        ASSERT_PTR(NULL, *out);
    return hr;
}

/* R5: jobs per user (lowered through the policy setter so the test is
 * fast); final jobs do not count; administrators are exempt. */
static void jobs_per_user_limit(enum mode mode)
{
    struct fx fx;
    IBackgroundCopyJob *j;
    if (fx_open(&fx, mode))
        goto out;
    ref_policy_set(REF_POLICY_MAX_JOBS_PER_USER, 3);
    for (int i = 0; i < 3; i++)
        ASSERT_HR(S_OK, create(&fx, &j));
    ASSERT_HR(BG_E_TOO_MANY_JOBS_PER_USER, create(&fx, &j));
    /* Another user still may create. */
    ref_owner_set("S-1-5-21-7-7-7-7777");
    ASSERT_HR(S_OK, create(&fx, &j));
    ref_owner_set(NULL);
    ASSERT_HR(BG_E_TOO_MANY_JOBS_PER_USER, create(&fx, &j));
    /* A cancelled job frees its slot. */
    ASSERT_HR(S_OK, IBackgroundCopyJob_Cancel(fx.jobs[0]));
    ASSERT_HR(S_OK, create(&fx, &j));
    ASSERT_HR(BG_E_TOO_MANY_JOBS_PER_USER, create(&fx, &j));
    ref_policy_set(REF_POLICY_CALLER_IS_ADMIN, 1);
    ASSERT_HR(S_OK, create(&fx, &j));
out:
    ref_owner_set(NULL);
    fx_close(&fx);
}
BOTH_MODES(jobs_per_user_limit)

/* R5: jobs per machine count every user's jobs and are checked first. */
static void jobs_per_machine_limit(enum mode mode)
{
    struct fx fx;
    IBackgroundCopyJob *j;
    if (fx_open(&fx, mode))
        goto out;
    ref_policy_set(REF_POLICY_MAX_JOBS_PER_MACHINE, 2);
    ref_policy_set(REF_POLICY_MAX_JOBS_PER_USER, 1);
    ref_owner_set("S-1-5-21-7-7-7-7778");
    ASSERT_HR(S_OK, create(&fx, &j));
    ref_owner_set(NULL);
    ASSERT_HR(S_OK, create(&fx, &j));
    /* Both limits are reached: the machine's code. */
    ASSERT_HR(BG_E_TOO_MANY_JOBS_PER_MACHINE, create(&fx, &j));
    ref_policy_set(REF_POLICY_MAX_JOBS_PER_MACHINE, 3);
    ASSERT_HR(BG_E_TOO_MANY_JOBS_PER_USER, create(&fx, &j));
    /* R7: the other mode's queue is not counted. */
    IBackgroundCopyManager *other =
        make_manager(mode == MODE_BITS ? MODE_DO : MODE_BITS);
    if (other) {
        IBackgroundCopyJob *oj = POISON_PTR;
        GUID id;
        ref_policy_set(REF_POLICY_MAX_JOBS_PER_MACHINE, 2);
        ASSERT_HR(S_OK, IBackgroundCopyManager_CreateJob(
                            other, u"other", BG_JOB_TYPE_DOWNLOAD, &id, &oj));
        if (oj && oj != POISON_PTR)
            fx_track(&fx, oj);
        release(other);
    }
out:
    ref_owner_set(NULL);
    fx_close(&fx);
}
BOTH_MODES(jobs_per_machine_limit)

/* R23: every code the headers name has its own text: no BG_* or DO_*
 * code falls back to "Unknown error", and the named HTTP statuses carry
 * their reason phrase. */
static void every_code_has_text(void)
{
    IBackgroundCopyManager *m = make_manager(MODE_BITS);
    if (!m)
        return;
    static const struct {
        HRESULT first, last;
    } ranges[] = {
        {(HRESULT)0x00200001, (HRESULT)0x00200080},
        {(HRESULT)0x80200001, (HRESULT)0x80200080},
        {(HRESULT)0x80D01000, (HRESULT)0x80D01010},
        {(HRESULT)0x80D02000, (HRESULT)0x80D02210},
        {(HRESULT)0x80D03000, (HRESULT)0x80D03010},
        {(HRESULT)0x80D03800, (HRESULT)0x80D03810},
        {(HRESULT)0x80D05000, (HRESULT)0x80D05020},
        {(HRESULT)0x80D06800, (HRESULT)0x80D06830},
        {(HRESULT)0x80190190, (HRESULT)0x801901F9},
    };
    unsigned named = 0;
    for (size_t r = 0; r < ARRAY_LEN(ranges); r++) {
        for (uint32_t c = (uint32_t)ranges[r].first;
             c <= (uint32_t)ranges[r].last; c++) {
            const char *name = docom_hresult_name((HRESULT)c);
            if (!name)
                continue;
            named++;
            LPWSTR text = POISON_PTR;
            HRESULT hr = IBackgroundCopyManager_GetErrorDescription(
                m, (HRESULT)c, 0x0409, &text);
            ASSERT_HR_AT(name, S_OK, hr);
            if (hr != S_OK || !text || text == POISON_PTR)
                continue;
            char buf[160];
            wtext(text, buf, sizeof buf);
            int generic = strstr(buf, "Unknown error") != NULL ||
                          (c >> 16 == 0x8019 && !strstr(buf, "("));
            t_check(wlen(text) > 0 && !generic, __LINE__, __FILE__,
                    "%s (0x%08X) has only a generic text: %s", name,
                    (unsigned)c, buf);
            CoTaskMemFree(text);
        }
    }
    ASSERT_TRUE(named > 150);
    release(m);
}

CU_TestInfo tests_manager[] = {
    BOTH_INFO(create_job_valid),
    BOTH_INFO(create_job_table),
    BOTH_INFO(get_job),
    BOTH_INFO(get_job_final),
    BOTH_INFO(enum_jobs_grows),
    BOTH_INFO(enum_jobs_hides_final),
    BOTH_INFO(enum_jobs_args),
    BOTH_INFO(get_error_description),
    {"every_code_has_text", every_code_has_text},
    BOTH_INFO(getjob_after_release),
    BOTH_INFO(release_counts),
    BOTH_INFO(jobs_per_user_limit),
    BOTH_INFO(jobs_per_machine_limit),
    CU_TEST_INFO_NULL,
};
