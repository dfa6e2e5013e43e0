/*
 * IEnumBackgroundCopyJobs: the shared enumerator cases (enum_cases.h)
 * plus what only the job enumerator has: the snapshot taken at EnumJobs
 * (R22, Wine's count+1 test), each job exactly once, per-mode queues (R7)
 * and other users' jobs (R6).
 */
#include "support.h"

#include <docom.h>

#include "ref_owner.h"
#include "ref_policy.h"

#define ENUM_T IEnumBackgroundCopyJobs
#define ELEM_T IBackgroundCopyJob
#define ENUM_(m) IEnumBackgroundCopyJobs_##m

static int make_enum(struct fx *fx, unsigned n, IEnumBackgroundCopyJobs **e)
{
    for (unsigned i = 0; i < n; i++)
        if (!fx_job(fx, 0))
            return -1;
    *e = POISON_PTR;
    HRESULT hr = IBackgroundCopyManager_EnumJobs(fx->mgr, 0, e);
    ASSERT_HR(S_OK, hr);
    if (hr != S_OK) {
        *e = NULL;
        return -1;
    }
    return 0;
}

static void elem_key(IBackgroundCopyJob *job, char *buf)
{
    GUID g;
    memset(&g, 0, sizeof g);
    IBackgroundCopyJob_GetId(job, &g);
    snprintf(buf, 128, "%08x-%04x-%04x", (unsigned)g.Data1, g.Data2, g.Data3);
}

#include "enum_cases.h"

/* Every job of the caller appears exactly once; later jobs do not. */
static void snapshot(enum mode mode)
{
    struct fx fx;
    IEnumBackgroundCopyJobs *e = NULL;
    if (fx_open(&fx, mode) || make_enum(&fx, 3, &e))
        goto out;
    IBackgroundCopyJob *later = fx_job(&fx, 0);
    ULONG n = POISON_U32;
    ASSERT_HR(S_OK, IEnumBackgroundCopyJobs_GetCount(e, &n));
    ASSERT_U64(3, n);
    int seen[3] = {0, 0, 0};
    IBackgroundCopyJob *j;
    while (IEnumBackgroundCopyJobs_Next(e, 1, &j, NULL) == S_OK) {
        GUID g, want;
        IBackgroundCopyJob_GetId(j, &g);
        for (int i = 0; i < 3; i++) {
            IBackgroundCopyJob_GetId(fx.jobs[i], &want);
            seen[i] += !memcmp(&g, &want, sizeof g);
        }
        if (later) {
            IBackgroundCopyJob_GetId(later, &want);
            ASSERT_TRUE(memcmp(&g, &want, sizeof g) != 0);
        }
        release(j);
    }
    for (int i = 0; i < 3; i++)
        ASSERT_U64(1, seen[i]);
    /* A cancelled job stays in an existing snapshot (it is a snapshot),
     * and its pointer keeps answering getters. */
    ASSERT_HR(S_OK, IBackgroundCopyJob_Cancel(fx.jobs[0]));
    n = POISON_U32;
    ASSERT_HR(S_OK, IEnumBackgroundCopyJobs_GetCount(e, &n));
    ASSERT_U64(3, n);
out:
    if (e)
        release(e);
    fx_close(&fx);
}
BOTH_MODES(snapshot)

/* R7: one queue per mode. */
static void queues_are_per_mode(void)
{
    struct fx bits, dom;
    int ok = !fx_open(&bits, MODE_BITS) & !fx_open(&dom, MODE_DO);
    if (ok && fx_job(&bits, 0)) {
        IEnumBackgroundCopyJobs *e = POISON_PTR;
        ASSERT_HR(S_OK, IBackgroundCopyManager_EnumJobs(dom.mgr, 0, &e));
        ULONG n = POISON_U32;
        if (e && e != POISON_PTR) {
            ASSERT_HR(S_OK, IEnumBackgroundCopyJobs_GetCount(e, &n));
            ASSERT_U64(0, n);
            release(e);
        }
        GUID id;
        IBackgroundCopyJob_GetId(bits.jobs[0], &id);
        IBackgroundCopyJob *j = POISON_PTR;
        ASSERT_HR(DO_E_JOB_NOT_FOUND,
                  IBackgroundCopyManager_GetJob(dom.mgr, &id, &j));
        ASSERT_PTR(NULL, j);
    }
    fx_close(&bits);
    fx_close(&dom);
}

/* R5, R6: EnumJobs(0) lists only the caller's jobs; ALL_USERS needs an
 * administrator; GetJob of another user's job is denied. */
static void other_users(enum mode mode)
{
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    ref_owner_set("S-1-5-21-1-2-3-4242");
    IBackgroundCopyJob *theirs = fx_job(&fx, 0);
    ref_owner_set(NULL);
    if (!theirs)
        goto out;
    GUID id;
    IBackgroundCopyJob_GetId(theirs, &id);
    IEnumBackgroundCopyJobs *e = POISON_PTR;
    ULONG n = POISON_U32;
    ASSERT_HR(S_OK, IBackgroundCopyManager_EnumJobs(fx.mgr, 0, &e));
    if (e && e != POISON_PTR) {
        ASSERT_HR(S_OK, IEnumBackgroundCopyJobs_GetCount(e, &n));
        ASSERT_U64(0, n);
        release(e);
    }
    IBackgroundCopyJob *j = POISON_PTR;
    ASSERT_HR(E_ACCESSDENIED, IBackgroundCopyManager_GetJob(fx.mgr, &id, &j));
    ASSERT_PTR(NULL, j);
    e = POISON_PTR;
    ASSERT_HR(E_ACCESSDENIED, IBackgroundCopyManager_EnumJobs(
                                  fx.mgr, BG_JOB_ENUM_ALL_USERS, &e));
    ASSERT_PTR(NULL, e);

    ref_policy_set(REF_POLICY_CALLER_IS_ADMIN, 1);
    e = POISON_PTR;
    ASSERT_HR(S_OK, IBackgroundCopyManager_EnumJobs(fx.mgr,
                                                    BG_JOB_ENUM_ALL_USERS, &e));
    if (e && e != POISON_PTR) {
        n = POISON_U32;
        ASSERT_HR(S_OK, IEnumBackgroundCopyJobs_GetCount(e, &n));
        ASSERT_U64(1, n);
        release(e);
    }
    j = POISON_PTR;
    ASSERT_HR(S_OK, IBackgroundCopyManager_GetJob(fx.mgr, &id, &j));
    if (j && j != POISON_PTR)
        release(j);
out:
    ref_owner_set(NULL);
    fx_close(&fx);
}
BOTH_MODES(other_users)

/* R8: the job enumerator holds its jobs without client references: a
 * job from Next has the caller's references plus Next's, each Release
 * returns the clients' count, and the enumerator's last Release 0. */
static void release_counts(enum mode mode)
{
    struct fx fx;
    IEnumBackgroundCopyJobs *e = NULL;
    IBackgroundCopyJob *j = POISON_PTR;
    if (fx_open(&fx, mode) || make_enum(&fx, 1, &e))
        goto out;
    ASSERT_U64(2, IEnumBackgroundCopyJobs_AddRef(e));
    ASSERT_U64(1, IEnumBackgroundCopyJobs_Release(e));
    ASSERT_HR(S_OK, IEnumBackgroundCopyJobs_Next(e, 1, &j, NULL));
    ASSERT_PTR(fx.jobs[0], j);
    if (j && j != POISON_PTR) {
        ASSERT_U64(3, IBackgroundCopyJob_AddRef(j)); /* fx's, Next's */
        ASSERT_U64(2, IBackgroundCopyJob_Release(j));
        ASSERT_U64(1, IBackgroundCopyJob_Release(j));
    }
    ASSERT_U64(0, IEnumBackgroundCopyJobs_Release(e));
    e = NULL;
    ASSERT_U64(1, refcount(fx.jobs[0])); /* fx's alone */
out:
    if (e)
        release(e);
    fx_close(&fx);
}
BOTH_MODES(release_counts)

CU_TestInfo tests_enum_jobs[] = {
    ENUM_CASES,
    BOTH_INFO(snapshot),
    {"queues_are_per_mode", queues_are_per_mode},
    BOTH_INFO(other_users),
    BOTH_INFO(release_counts),
    CU_TEST_INFO_NULL,
};
