/*
 * IBackgroundCopyJob3: ReplaceRemotePrefix (R28), AddFileWithRanges with
 * the range rules (spec behavior.md 6.1, R15, checklist RNG-01..04, 09,
 * 10) and Set/GetFileACLFlags, in both modes.
 */
#include "support.h"

#include <docom.h>

#include "ref_policy.h"

static IBackgroundCopyJob3 *job3(struct fx *fx, BG_JOB_TYPE type,
                                 unsigned nfiles)
{
    IBackgroundCopyJob *job = fx_job_typed(fx, type, nfiles);
    return job ? qi(job, &IID_IBackgroundCopyJob3) : NULL;
}

static void check_remote(IBackgroundCopyJob3 *j, ULONG i, const WCHAR *want)
{
    IBackgroundCopyFile *f = job_file((IBackgroundCopyJob *)j, i);
    if (!f)
        return;
    LPWSTR r = POISON_PTR;
    ASSERT_HR(S_OK, IBackgroundCopyFile_GetRemoteName(f, &r));
    ASSERT_WSTR(want, r);
    if (r != POISON_PTR)
        CoTaskMemFree(r);
    release(f);
}

static void replace_remote_prefix(enum mode mode)
{
    struct fx fx;
    IBackgroundCopyJob3 *j = NULL;
    if (fx_open(&fx, mode) || !(j = job3(&fx, BG_JOB_TYPE_DOWNLOAD, 2)))
        goto out;
    static const struct {
        const char *name;
        const WCHAR *old, *new_;
        HRESULT hr;
    } rows[] = {
        {"no match", u"http://other/", u"http://x/", S_FALSE},
        {"case-sensitive", u"HTTP://127.0.0.1:9/", u"http://x/", S_FALSE},
        {"NULL old", NULL, u"http://x/", E_INVALIDARG},
        {"empty old", u"", u"http://x/", E_INVALIDARG},
        {"NULL new", u"http://127.0.0.1:9/", NULL, E_INVALIDARG},
        {"result unsupported scheme", u"http://", u"ftp://", E_INVALIDARG},
        {"result switches to file", u"http://127.0.0.1:9/", u"file:///tmp/",
         E_INVALIDARG},
    };
    for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
        ASSERT_HR_AT(rows[i].name, rows[i].hr,
                     IBackgroundCopyJob3_ReplaceRemotePrefix(j, rows[i].old,
                                                             rows[i].new_));
        check_remote(j, 0, u"http://127.0.0.1:9/f0");
    }
    /* Too long a result: > 2200 units. */
    WCHAR *longp = wrepeat(u"http://h/", u'a', 2200);
    for (size_t k = 9; k < 2209; k += 200)
        longp[k] = u'/';
    ASSERT_HR(E_INVALIDARG, IBackgroundCopyJob3_ReplaceRemotePrefix(
                                j, u"http://127.0.0.1:9/", longp));
    CoTaskMemFree(longp);
    ASSERT_HR(S_OK, IBackgroundCopyJob3_ReplaceRemotePrefix(
                        j, u"http://127.0.0.1:9/", u"https://mirror.example/"));
    check_remote(j, 0, u"https://mirror.example/f0");
    check_remote(j, 1, u"https://mirror.example/f1");
out:
    release(j);
    fx_close(&fx);
}
BOTH_MODES(replace_remote_prefix)

/* R2: the range and prefix methods refuse upload jobs (documented). */
static void upload_notimpl(void)
{
    struct fx fx;
    IBackgroundCopyJob3 *j = NULL;
    if (fx_open(&fx, MODE_BITS) || !(j = job3(&fx, BG_JOB_TYPE_UPLOAD, 0)))
        goto out;
    WCHAR *u = fx_url("r"), *p = fx_path(&fx, "r");
    BG_FILE_RANGE r = {0, 10};
    ASSERT_HR(E_NOTIMPL, IBackgroundCopyJob3_AddFileWithRanges(j, u, p, 1, &r));
    ASSERT_HR(E_NOTIMPL, IBackgroundCopyJob3_ReplaceRemotePrefix(j, u"http://",
                                                                 u"https://"));
    CoTaskMemFree(u);
    CoTaskMemFree(p);
out:
    release(j);
    fx_close(&fx);
}

#define EOF64 BG_LENGTH_TO_EOF
struct range_row {
    const char *name;
    DWORD count;
    BG_FILE_RANGE r[3];
    int null_ranges;
    const char *remote; /* NULL: the fixture's http URL */
    HRESULT hr;         /* BITS code; hr_mode maps it */
};

static const struct range_row range_rows[] = {
    {"one", 1, {{0, 100}}, 0, NULL, S_OK},
    {"unsorted kept", 3, {{900, 100}, {100, 100}, {400, 100}}, 0, NULL, S_OK},
    {"to EOF", 1, {{10, EOF64}}, 0, NULL, S_OK},
    {"adjacent", 2, {{0, 100}, {100, 100}}, 0, NULL, S_OK},
    {"count 0", 0, {{0, 1}}, 0, NULL, E_INVALIDARG},
    {"NULL ranges", 1, {{0, 1}}, 1, NULL, E_INVALIDARG},
    {"offset EOF", 1, {{EOF64, 10}}, 0, NULL, BG_E_INVALID_RANGE},
    {"length 0", 1, {{5, 0}}, 0, NULL, BG_E_INVALID_RANGE},
    {"overflow", 1, {{EOF64 - 5, 10}}, 0, NULL, BG_E_INVALID_RANGE},
    {"overlap", 2, {{0, 100}, {50, 100}}, 0, NULL, BG_E_OVERLAPPING_RANGES},
    {"same offset", 2, {{100, 5}, {100, 10}}, 0, NULL, BG_E_OVERLAPPING_RANGES},
    /* spec §6.1 / RNG-04: same offset wins over the zero length (R15) */
    {"same offset, length 0",
     2,
     {{100, 5}, {100, 0}},
     0,
     NULL,
     BG_E_OVERLAPPING_RANGES},
    {"overlap unsorted",
     2,
     {{500, 10}, {0, 501}},
     0,
     NULL,
     BG_E_OVERLAPPING_RANGES},
    {"duplicate", 2, {{7, 7}, {7, 7}}, 0, NULL, BG_E_OVERLAPPING_RANGES},
    {"EOF then later",
     2,
     {{0, EOF64}, {100, 1}},
     0,
     NULL,
     BG_E_OVERLAPPING_RANGES},
    {"file URL", 1, {{0, 1}}, 0, "file:///tmp/x", E_INVALIDARG},
};

static void addfilewithranges(enum mode mode)
{
    struct fx fx;
    IBackgroundCopyJob3 *j = NULL;
    if (fx_open(&fx, mode) || !(j = job3(&fx, BG_JOB_TYPE_DOWNLOAD, 0)))
        goto out;
    ULONG added = 0;
    for (size_t i = 0; i < ARRAY_LEN(range_rows); i++) {
        const struct range_row *r = &range_rows[i];
        char name[16];
        snprintf(name, sizeof name, "rg%zu", i);
        WCHAR *u = r->remote ? wfrom(r->remote) : fx_url(name);
        WCHAR *p = fx_path(&fx, name);
        BG_FILE_RANGE copy[3];
        memcpy(copy, r->r, sizeof copy);
        HRESULT exp = hr_mode(mode, r->hr);
        ASSERT_HR_AT(r->name, exp,
                     IBackgroundCopyJob3_AddFileWithRanges(
                         j, u, p, r->count, r->null_ranges ? NULL : copy));
        added += exp == S_OK;
        CoTaskMemFree(u);
        CoTaskMemFree(p);
    }
    ASSERT_U64(added, job_file_count((IBackgroundCopyJob *)j));
    /* Bad names are refused as by AddFile. */
    WCHAR *u = fx_url("x");
    BG_FILE_RANGE one = {0, 1};
    ASSERT_HR(E_INVALIDARG,
              IBackgroundCopyJob3_AddFileWithRanges(j, u, u"rel", 1, &one));
    ASSERT_HR(E_INVALIDARG, IBackgroundCopyJob3_AddFileWithRanges(
                                j, NULL, u"/tmp/x", 1, &one));
    CoTaskMemFree(u);
out:
    release(j);
    fx_close(&fx);
}
BOTH_MODES(addfilewithranges)

/* RNG-10, R5: MaxRangesPerFile (default 500; also lowered). */
static void ranges_per_file_limit(enum mode mode)
{
    struct fx fx;
    IBackgroundCopyJob3 *j = NULL;
    BG_FILE_RANGE *r = NULL;
    if (fx_open(&fx, mode) || !(r = calloc(501, sizeof *r)) ||
        !(j = job3(&fx, BG_JOB_TYPE_DOWNLOAD, 0)))
        goto out;
    for (int i = 0; i < 501; i++) {
        r[i].InitialOffset = (UINT64)i * 10;
        r[i].Length = 5;
    }
    WCHAR *u = fx_url("a"), *p = fx_path(&fx, "a"), *p2 = fx_path(&fx, "b");
    ASSERT_HR(BG_E_TOO_MANY_RANGES_IN_FILE,
              IBackgroundCopyJob3_AddFileWithRanges(j, u, p, 501, r));
    ASSERT_HR(S_OK, IBackgroundCopyJob3_AddFileWithRanges(j, u, p, 500, r));
    ref_policy_set(REF_POLICY_MAX_RANGES_PER_FILE, 2);
    ASSERT_HR(BG_E_TOO_MANY_RANGES_IN_FILE,
              IBackgroundCopyJob3_AddFileWithRanges(j, u, p2, 3, r));
    ASSERT_HR(S_OK, IBackgroundCopyJob3_AddFileWithRanges(j, u, p2, 2, r));
    ASSERT_U64(2, job_file_count((IBackgroundCopyJob *)j));
    CoTaskMemFree(u);
    CoTaskMemFree(p);
    CoTaskMemFree(p2);
out:
    free(r);
    release(j);
    fx_close(&fx);
}
BOTH_MODES(ranges_per_file_limit)

static void file_acl_flags(enum mode mode)
{
    struct fx fx;
    IBackgroundCopyJob3 *j = NULL;
    if (fx_open(&fx, mode) || !(j = job3(&fx, BG_JOB_TYPE_DOWNLOAD, 0)))
        goto out;
    DWORD f = POISON_U32;
    ASSERT_HR(S_OK, IBackgroundCopyJob3_GetFileACLFlags(j, &f));
    ASSERT_U64(0, f);
    static const struct {
        DWORD flags;
        HRESULT hr;
    } rows[] = {{BG_COPY_FILE_OWNER, S_OK},
                {BG_COPY_FILE_ALL, S_OK},
                {0, S_OK},
                {0x10, E_INVALIDARG},
                {0x8000000F, E_INVALIDARG}};
    for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
        char ctx[32];
        snprintf(ctx, sizeof ctx, "acl 0x%x", (unsigned)rows[i].flags);
        ASSERT_HR(S_OK,
                  IBackgroundCopyJob3_SetFileACLFlags(j, BG_COPY_FILE_DACL));
        ASSERT_HR_AT(ctx, rows[i].hr,
                     IBackgroundCopyJob3_SetFileACLFlags(j, rows[i].flags));
        f = POISON_U32;
        ASSERT_HR(S_OK, IBackgroundCopyJob3_GetFileACLFlags(j, &f));
        ASSERT_U64_AT(
            ctx, rows[i].hr == S_OK ? rows[i].flags : BG_COPY_FILE_DACL, f);
    }
    ASSERT_HR(E_INVALIDARG, IBackgroundCopyJob3_GetFileACLFlags(j, NULL));
out:
    release(j);
    fx_close(&fx);
}
BOTH_MODES(file_acl_flags)

CU_TestInfo tests_job3[] = {
    BOTH_INFO(replace_remote_prefix), {"upload_notimpl [bits]", upload_notimpl},
    BOTH_INFO(addfilewithranges),     BOTH_INFO(ranges_per_file_limit),
    BOTH_INFO(file_acl_flags),        CU_TEST_INFO_NULL,
};
