/*
 * IDeliveryOptimizationJob::AddFileWithRanges on DO-mode jobs (spec
 * behavior.md 6.2, decisions R15, D3; checklist DOJ-01..DOJ-03): file ids,
 * names, ranges, the known-size rule, access and state errors.
 */
#include "test_do.h"

#include <docom.h>
#include <sys/stat.h>

#include "ref_policy.h"

#define EOF64 BG_LENGTH_TO_EOF

struct dorow {
    const char *name;
    const WCHAR *id;
    int null_local, empty_local, null_ranges;
    DWORD count;
    BG_FILE_RANGE r[2];
    UINT64 size;
    HRESULT hr;
};

static const struct dorow rows[] = {
    {"whole file, unknown size",
     u"id0",
     0,
     0,
     0,
     0,
     {{0, 0}},
     DO_UNKNOWN_FILE_SIZE,
     S_OK},
    {"whole file, known size", u"id1", 0, 0, 0, 0, {{0, 0}}, 1000, S_OK},
    {"ranges",
     u"id2",
     0,
     0,
     0,
     2,
     {{500, 10}, {0, 100}},
     DO_UNKNOWN_FILE_SIZE,
     S_OK},
    {"range to EOF", u"id3", 0, 0, 0, 1, {{10, EOF64}}, 1000, S_OK},
    {"last byte of known size", u"id4", 0, 0, 0, 1, {{999, 1}}, 1000, S_OK},
    {"NULL local", u"id5", 1, 0, 0, 0, {{0, 0}}, 1, E_INVALIDARG},
    {"empty local", u"id6", 0, 1, 0, 0, {{0, 0}}, 1, E_INVALIDARG},
    {"NULL id", NULL, 0, 0, 0, 0, {{0, 0}}, 1, E_INVALIDARG},
    {"empty id", u"", 0, 0, 0, 0, {{0, 0}}, 1, E_INVALIDARG},
    {"duplicate id", u"id0", 0, 0, 0, 0, {{0, 0}}, 1, E_INVALIDARG},
    {"count without ranges", u"id7", 0, 0, 1, 1, {{0, 0}}, 1, E_INVALIDARG},
    {"offset EOF",
     u"id8",
     0,
     0,
     0,
     1,
     {{EOF64, 1}},
     DO_UNKNOWN_FILE_SIZE,
     DO_E_INVALID_RANGE},
    {"length 0",
     u"id9",
     0,
     0,
     0,
     1,
     {{1, 0}},
     DO_UNKNOWN_FILE_SIZE,
     DO_E_INVALID_RANGE},
    {"at known size",
     u"id10",
     0,
     0,
     0,
     1,
     {{1000, 1}},
     1000,
     DO_E_INVALID_RANGE},
    {"overlap",
     u"id11",
     0,
     0,
     0,
     2,
     {{0, 100}, {99, 1}},
     DO_UNKNOWN_FILE_SIZE,
     DO_E_OVERLAPPING_RANGES},
    {"same offset",
     u"id12",
     0,
     0,
     0,
     2,
     {{100, 5}, {100, 1}},
     DO_UNKNOWN_FILE_SIZE,
     DO_E_OVERLAPPING_RANGES},
};

static void add_file_with_ranges(void)
{
    struct fx fx;
    IBackgroundCopyJob *job = NULL;
    IDeliveryOptimizationJob *j = NULL;
    if (fx_open(&fx, MODE_DO) || !(j = do_job(&fx, &job)))
        goto out;
    ULONG added = 0;
    for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
        const struct dorow *r = &rows[i];
        char name[16];
        snprintf(name, sizeof name, "d%zu", i);
        WCHAR *u = fx_url(name), *p = fx_path(&fx, name);
        BG_FILE_RANGE copy[2];
        memcpy(copy, r->r, sizeof copy);
        ASSERT_HR_AT(r->name, r->hr,
                     IDeliveryOptimizationJob_AddFileWithRanges(
                         j, r->id, u,
                         r->null_local    ? NULL
                         : r->empty_local ? u""
                                          : p,
                         r->count, r->null_ranges ? NULL : copy, r->size));
        added += r->hr == S_OK;
        CoTaskMemFree(u);
        CoTaskMemFree(p);
    }
    ASSERT_U64(added, job_file_count(job));
    /* Files carry their size (D3): known size, or DO_UNKNOWN_FILE_SIZE. */
    IBackgroundCopyFile *f = job_file(job, 1);
    if (f) {
        BG_FILE_PROGRESS p;
        POISON(p);
        ASSERT_HR(S_OK, IBackgroundCopyFile_GetProgress(f, &p));
        ASSERT_U64(1000, p.BytesTotal);
        release(f);
    }
    f = job_file(job, 0);
    if (f) {
        BG_FILE_PROGRESS p;
        POISON(p);
        ASSERT_HR(S_OK, IBackgroundCopyFile_GetProgress(f, &p));
        ASSERT_U64(DO_UNKNOWN_FILE_SIZE, p.BytesTotal);
        release(f);
    }
    /* With a known size, a range to EOF resolves (spec behavior.md 4.5:
     * ranges count only the requested bytes). */
    f = job_file(job, 3);
    if (f) {
        BG_FILE_PROGRESS p;
        POISON(p);
        ASSERT_HR(S_OK, IBackgroundCopyFile_GetProgress(f, &p));
        ASSERT_U64(990, p.BytesTotal);
        ASSERT_U64(0, p.BytesTransferred);
        release(f);
    }
    f = job_file(job, 4);
    if (f) {
        BG_FILE_PROGRESS p;
        POISON(p);
        ASSERT_HR(S_OK, IBackgroundCopyFile_GetProgress(f, &p));
        ASSERT_U64(1, p.BytesTotal);
        release(f);
    }
    /* Ranges are kept as given. */
    f = job_file(job, 2);
    IBackgroundCopyFile2 *f2 = f ? qi(f, &IID_IBackgroundCopyFile2) : NULL;
    if (f2) {
        DWORD n = POISON_U32;
        BG_FILE_RANGE *rr = POISON_PTR;
        ASSERT_HR(S_OK, IBackgroundCopyFile2_GetFileRanges(f2, &n, &rr));
        ASSERT_U64(2, n);
        if (rr && rr != POISON_PTR) {
            ASSERT_U64(500, rr[0].InitialOffset);
            ASSERT_U64(0, rr[1].InitialOffset);
            CoTaskMemFree(rr);
        }
    }
    release(f2);
    release(f);
out:
    release(j);
    fx_close(&fx);
}

/* FILE-07 for DO: an unwritable directory -> E_ACCESSDENIED; the
 * remote URL rules are DO's (http/https only, R12). */
static void access_and_url(void)
{
    struct fx fx;
    IBackgroundCopyJob *job = NULL;
    IDeliveryOptimizationJob *j = NULL;
    if (fx_open(&fx, MODE_DO) || !(j = do_job(&fx, &job)))
        goto out;
    char ro[300];
    snprintf(ro, sizeof ro, "%s/ro", fx.dir);
    mkdir(ro, 0700);
    ref_policy_set_deny_write_prefix(ro);
    ASSERT_HR(E_ACCESSDENIED, do_add(&fx, j, u"a", "ro/a", 1));
    ref_policy_set_deny_write_prefix(NULL);
    WCHAR *p = fx_path(&fx, "b");
    ASSERT_HR(E_INVALIDARG, IDeliveryOptimizationJob_AddFileWithRanges(
                                j, u"b", u"file:///tmp/b", p, 0, NULL, 1));
    ASSERT_HR(E_INVALIDARG, IDeliveryOptimizationJob_AddFileWithRanges(
                                j, u"b", u"ftp://h/b", p, 0, NULL, 1));
    ASSERT_HR(E_INVALIDARG,
              IDeliveryOptimizationJob_AddFileWithRanges(
                  j, u"b", u"http://h/b", u"relative", 0, NULL, 1));
    CoTaskMemFree(p);
    ASSERT_U64(0, job_file_count(job));
out:
    release(j);
    fx_close(&fx);
}

/* DOJ-03: final jobs refuse new files with DO_E_INVALID_STATE. */
static void final_states(void)
{
    struct fx fx;
    if (fx_open(&fx, MODE_DO))
        goto out;
    for (enum pre p = PRE_CANCELLED; p <= PRE_ACKNOWLEDGED; p++) {
        IBackgroundCopyJob *job = fx_job_in(&fx, p);
        IDeliveryOptimizationJob *j =
            job ? qi(job, &IID_IDeliveryOptimizationJob) : NULL;
        if (!j)
            continue;
        ASSERT_HR_AT(pre_names[p], DO_E_INVALID_STATE,
                     do_add(&fx, j, u"late", "late", 10));
        release(j);
    }
out:
    fx_close(&fx);
}

/* R5: the file limit applies to AddFileWithRanges too. */
static void files_per_job_limit(void)
{
    struct fx fx;
    IBackgroundCopyJob *job = NULL;
    IDeliveryOptimizationJob *j = NULL;
    if (fx_open(&fx, MODE_DO) || !(j = do_job(&fx, &job)))
        goto out;
    ref_policy_set(REF_POLICY_MAX_FILES_PER_JOB, 1);
    ASSERT_HR(S_OK, do_add(&fx, j, u"a", "a", 1));
    ASSERT_HR(BG_E_TOO_MANY_FILES_IN_JOB, do_add(&fx, j, u"b", "b", 1));
out:
    release(j);
    fx_close(&fx);
}

CU_TestInfo tests_do_job[] = {
    {"add_file_with_ranges [do]", add_file_with_ranges},
    {"access_and_url [do]", access_and_url},
    {"final_states [do]", final_states},
    {"files_per_job_limit [do]", files_per_job_limit},
    CU_TEST_INFO_NULL,
};
