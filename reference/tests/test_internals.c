/*
 * The reference's internal helpers whose every path the COM-level suites
 * cannot reach on their own: the UTF-16 -> UTF-8 conversion behind every
 * local path and URL the engine opens (surrogate pairs, lone
 * surrogates), the UTF-16 string helpers, the state-name tables, the
 * policy table's bounds, the DO cost-policy masks (BITS 5.0 values) and
 * the error recording the scheduler asks of the job's owner.  Exact
 * values only; every object made here is released, so
 * DllCanUnloadNow (the last suite) still sees an empty library.
 */
#include "support.h"

#include <docom.h>

#include "do_private.h"
#include "ref_policy.h"
#include "ref_job.h"
#include "ref_private.h"
#include "ref_state.h"

/* ---- ref_utf8 ------------------------------------------------------------ */

static const struct {
    const char *name;
    WCHAR in[8];
    const char *out; /* NULL: refused */
} utf8_rows[] = {
    {"ASCII", u"a/b", "a/b"},
    {"two bytes (U+00E9)", u"\u00e9", "\xc3\xa9"},
    {"three bytes (U+20AC)", u"\u20ac", "\xe2\x82\xac"},
    {"last BMP unit (U+FFFD)", u"\ufffd", "\xef\xbf\xbd"},
    {"surrogate pair (U+1F600)", {0xD83D, 0xDE00, 0}, "\xf0\x9f\x98\x80"},
    {"pair between ASCII",
     {u'x', 0xD800, 0xDC00, u'y', 0},
     "x\xf0\x90\x80\x80y"},
    {"lone high surrogate", {0xD83D, u'a', 0}, NULL},
    {"high surrogate at the end", {u'a', 0xDBFF, 0}, NULL},
    {"lone low surrogate", {0xDE00, 0}, NULL},
};

static void utf8(void)
{
    for (size_t i = 0; i < ARRAY_LEN(utf8_rows); i++) {
        char *s = ref_utf8(utf8_rows[i].in);
        if (!utf8_rows[i].out) {
            t_check(s == NULL, __LINE__, __FILE__, "[%s] expected NULL",
                    utf8_rows[i].name);
        } else {
            t_check(s && strcmp(s, utf8_rows[i].out) == 0, __LINE__, __FILE__,
                    "[%s] expected the UTF-8 bytes of the row",
                    utf8_rows[i].name);
        }
        ref_free(s);
    }
    ASSERT_PTR(NULL, ref_utf8(NULL));
}

/* ---- UTF-16 helpers ------------------------------------------------------ */

static void wide_strings(void)
{
    ASSERT_U64(0, ref_wcscmp(NULL, NULL));
    ASSERT_TRUE(ref_wcscmp(NULL, u"") < 0); /* NULL sorts first */
    ASSERT_TRUE(ref_wcscmp(u"", NULL) > 0);
    ASSERT_U64(0, ref_wcscmp(u"ab", u"ab"));
    ASSERT_TRUE(ref_wcscmp(u"ab", u"ac") < 0);
    ASSERT_PTR(NULL, ref_wcsdup(NULL));
    ASSERT_U64(0, ref_wcslen(NULL));
}

/* ---- name tables and bounds ---------------------------------------------- */

static void names_and_bounds(void)
{
    t_check(strcmp(ref_state_name(-1), "?") == 0, __LINE__, __FILE__,
            "ref_state_name(-1) is \"?\"");
    t_check(strcmp(ref_state_name(REF_STATE_COUNT), "?") == 0, __LINE__,
            __FILE__, "ref_state_name(REF_STATE_COUNT) is \"?\"");
    t_check(strcmp(do_state_name(DODownloadState_Paused), "Paused") == 0,
            __LINE__, __FILE__, "do_state_name(Paused) is \"Paused\"");
    t_check(strcmp(do_state_name(-1), "?") == 0, __LINE__, __FILE__,
            "do_state_name(-1) is \"?\"");
    t_check(strcmp(do_state_name(DO_STATE_COUNT), "?") == 0, __LINE__, __FILE__,
            "do_state_name(DO_STATE_COUNT) is \"?\"");

    /* An id outside the table reads 0 and is not stored. */
    uint64_t before = ref_policy(REF_POLICY_MAX_JOBS_PER_USER);
    ASSERT_U64(0, ref_policy((enum ref_policy_id) - 1));
    ASSERT_U64(0, ref_policy(REF_POLICY_COUNT));
    ref_policy_set(REF_POLICY_COUNT, 7);
    ref_policy_set((enum ref_policy_id) - 1, 7);
    ASSERT_U64(0, ref_policy(REF_POLICY_COUNT));
    ASSERT_U64(before, ref_policy(REF_POLICY_MAX_JOBS_PER_USER));

    /* A BITS code without a DO substitute is the same in both modes. */
    ASSERT_HR(E_ACCESSDENIED, ref_hr(REF_MODE_DO, E_ACCESSDENIED));
    ASSERT_HR(DO_E_INVALID_STATE, ref_hr(REF_MODE_DO, BG_E_INVALID_STATE));
}

/* DODownloadCostPolicy -> the BITS_COST_STATE mask it allows. */
static void cost_masks(void)
{
    static const struct {
        ULONG policy;
        DWORD mask;
    } rows[] = {
        {DODownloadCostPolicy_Always, 0x800000FF},
        {DODownloadCostPolicy_Unrestricted, 0x80000021},
        {DODownloadCostPolicy_Standard, 0x80000067},
        {DODownloadCostPolicy_NoRoaming, 0x8000007F},
        {DODownloadCostPolicy_NoSurcharge, 0x8000006F},
        {DODownloadCostPolicy_NoCellular, 0x800000FF},
        {6, 0},
    };
    for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
        char ctx[32];
        snprintf(ctx, sizeof ctx, "policy %lu", (unsigned long)rows[i].policy);
        ASSERT_U64_AT(ctx, rows[i].mask, do_cost_policy_mask(rows[i].policy));
    }
}

/* ---- the scheduler's error recording ---------------------------------- */

/* The error a job shows is the one the scheduler records through the
 * owner (ref_job_error_locked): {context, code, file}; counted unless the
 * scheduler says not (a cost block, spec §3.7); the state it names is
 * entered through the legal path. */
static void error_recording(void)
{
    struct fx fx;
    if (fx_open(&fx, MODE_BITS))
        return;
    IBackgroundCopyJob *job = fx_job(&fx, 2);
    if (!job)
        goto out;
    struct job *j = ref_job_from_iface(job);
    ASSERT_NONNULL(j);
    /* Nothing recorded yet: the job has no error. */
    IBackgroundCopyError *e = POISON_PTR;
    ASSERT_HR(BG_E_ERROR_INFORMATION_UNAVAILABLE,
              IBackgroundCopyJob_GetError(job, &e));
    ASSERT_PTR(NULL, e);
    ASSERT_HR(S_OK, IBackgroundCopyJob_Resume(job));
    pthread_mutex_lock(&j->lock);
    ASSERT_U64(1, ref_job_error_locked(j, BG_ERROR_CONTEXT_GENERAL_TRANSPORT,
                                       BG_E_BLOCKED_BY_COST_TRANSFER_POLICY, -1,
                                       0, BG_JOB_STATE_TRANSIENT_ERROR));
    pthread_mutex_unlock(&j->lock);
    ULONG n = POISON_U32;
    ASSERT_HR(S_OK, IBackgroundCopyJob_GetErrorCount(job, &n));
    ASSERT_U64(0, n); /* not counted */
    ASSERT_U64(BG_JOB_STATE_TRANSIENT_ERROR, job_state(job));
    pthread_mutex_lock(&j->lock);
    ASSERT_U64(1, ref_job_retry_locked(j));
    ASSERT_U64(1,
               ref_job_error_locked(j, BG_ERROR_CONTEXT_LOCAL_FILE,
                                    E_ACCESSDENIED, 1, 1, BG_JOB_STATE_ERROR));
    pthread_mutex_unlock(&j->lock);
    ASSERT_U64(BG_JOB_STATE_ERROR, job_state(job));
    ASSERT_HR(S_OK, IBackgroundCopyJob_GetErrorCount(job, &n));
    ASSERT_U64(1, n);
    e = POISON_PTR;
    ASSERT_HR(S_OK, IBackgroundCopyJob_GetError(job, &e));
    if (e && e != POISON_PTR) {
        BG_ERROR_CONTEXT ctx = POISON_U32;
        HRESULT code = (HRESULT)POISON_U32;
        ASSERT_HR(S_OK, IBackgroundCopyError_GetError(e, &ctx, &code));
        ASSERT_U64(BG_ERROR_CONTEXT_LOCAL_FILE, ctx);
        ASSERT_HR(E_ACCESSDENIED, code);
        IBackgroundCopyFile *f = POISON_PTR;
        ASSERT_HR(S_OK, IBackgroundCopyError_GetFile(e, &f));
        if (f && f != POISON_PTR)
            release(f);
        release(e);
    }
out:
    fx_close(&fx);
}

CU_TestInfo tests_internals[] = {
    {"ref_utf8", utf8},
    {"UTF-16 helpers", wide_strings},
    {"name tables and bounds", names_and_bounds},
    {"DO cost policy masks", cost_masks},
    {"the scheduler's error recording", error_recording},
    CU_TEST_INFO_NULL,
};
