/*
 * IEnumBackgroundCopyFiles: the shared enumerator cases (enum_cases.h)
 * plus insertion order, the snapshot taken at EnumFiles, and file objects
 * that share their record (R21).
 */
#include "support.h"

#include <docom.h>

#define ENUM_T IEnumBackgroundCopyFiles
#define ELEM_T IBackgroundCopyFile
#define ENUM_(m) IEnumBackgroundCopyFiles_##m

static int make_enum(struct fx *fx, unsigned n, IEnumBackgroundCopyFiles **e)
{
    IBackgroundCopyJob *job = fx_job(fx, n);
    if (!job)
        return -1;
    *e = POISON_PTR;
    HRESULT hr = IBackgroundCopyJob_EnumFiles(job, e);
    ASSERT_HR(S_OK, hr);
    if (hr != S_OK) {
        *e = NULL;
        return -1;
    }
    return 0;
}

static void elem_key(IBackgroundCopyFile *f, char *buf)
{
    LPWSTR s = NULL;
    IBackgroundCopyFile_GetLocalName(f, &s);
    wtext(s, buf, 128);
    CoTaskMemFree(s);
}

#include "enum_cases.h"

/* FILE-01: Next returns the files in insertion order. */
static void insertion_order(enum mode mode)
{
    struct fx fx;
    IEnumBackgroundCopyFiles *e = NULL;
    if (fx_open(&fx, mode) || make_enum(&fx, 6, &e))
        goto out;
    IBackgroundCopyFile *f[6];
    ULONG got = POISON_U32;
    ASSERT_HR(S_OK, IEnumBackgroundCopyFiles_Next(e, 6, f, &got));
    for (ULONG i = 0; i < got && i < 6; i++) {
        char name[8];
        snprintf(name, sizeof name, "f%u", (unsigned)i);
        WCHAR *want = fx_path(&fx, name);
        LPWSTR l = POISON_PTR;
        ASSERT_HR(S_OK, IBackgroundCopyFile_GetLocalName(f[i], &l));
        ASSERT_WSTR(want, l);
        if (l != POISON_PTR)
            CoTaskMemFree(l);
        CoTaskMemFree(want);
        release(f[i]);
    }
out:
    if (e)
        release(e);
    fx_close(&fx);
}
BOTH_MODES(insertion_order)

/* R22: files added after EnumFiles are not in the enumerator. */
static void snapshot(enum mode mode)
{
    struct fx fx;
    IEnumBackgroundCopyFiles *e = NULL;
    if (fx_open(&fx, mode) || make_enum(&fx, 2, &e))
        goto out;
    ASSERT_HR(S_OK, fx_add(&fx, fx.jobs[0], "later"));
    ULONG n = POISON_U32;
    ASSERT_HR(S_OK, IEnumBackgroundCopyFiles_GetCount(e, &n));
    ASSERT_U64(2, n);
    ASSERT_U64(3, job_file_count(fx.jobs[0]));
out:
    if (e)
        release(e);
    fx_close(&fx);
}
BOTH_MODES(snapshot)

/* R21: two file objects for one file share its record; each keeps the
 * job alive after the client released the job. */
static void objects_share_record(enum mode mode)
{
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *job = fx_job(&fx, 1);
    if (!job)
        goto out;
    IBackgroundCopyFile *a = job_file(job, 0), *b = job_file(job, 0);
    if (a && b) {
        IBackgroundCopyFile2 *a2 = qi(a, &IID_IBackgroundCopyFile2);
        if (a2) {
            ASSERT_HR(S_OK, IBackgroundCopyFile2_SetRemoteName(
                                a2, u"http://127.0.0.1:9/renamed"));
            release(a2);
        }
        LPWSTR r = POISON_PTR;
        ASSERT_HR(S_OK, IBackgroundCopyFile_GetRemoteName(b, &r));
        ASSERT_WSTR(u"http://127.0.0.1:9/renamed", r);
        if (r != POISON_PTR)
            CoTaskMemFree(r);
    }
    release(a);
    release(b);
out:
    fx_close(&fx);
}
BOTH_MODES(objects_share_record)

/* R8: the enumerator holds its file objects without a client reference,
 * so a client's last Release of a file from Next returns 0 (Windows'
 * proxy count) while the enumerator lives; Reset and Next give the same
 * object again with one reference.  A clone holds them too, and the
 * enumerators' own last Release returns 0. */
static void release_counts(enum mode mode)
{
    struct fx fx;
    IEnumBackgroundCopyFiles *e = NULL, *c = NULL;
    IBackgroundCopyFile *f = POISON_PTR, *g = POISON_PTR;
    if (fx_open(&fx, mode) || make_enum(&fx, 2, &e))
        goto out;
    ASSERT_U64(2, IEnumBackgroundCopyFiles_AddRef(e));
    ASSERT_U64(1, IEnumBackgroundCopyFiles_Release(e));
    ASSERT_HR(S_OK, IEnumBackgroundCopyFiles_Next(e, 1, &f, NULL));
    if (!f || f == POISON_PTR)
        goto out;
    ASSERT_U64(2, IBackgroundCopyFile_AddRef(f));
    ASSERT_U64(1, IBackgroundCopyFile_Release(f));
    ASSERT_U64(0, IBackgroundCopyFile_Release(f));
    ASSERT_HR(S_OK, IEnumBackgroundCopyFiles_Reset(e));
    ASSERT_HR(S_OK, IEnumBackgroundCopyFiles_Next(e, 1, &g, NULL));
    ASSERT_PTR(f, g);
    if (!g || g == POISON_PTR)
        goto out;
    LPWSTR name = POISON_PTR;
    ASSERT_HR(S_OK, IBackgroundCopyFile_GetLocalName(g, &name));
    if (name != POISON_PTR)
        CoTaskMemFree(name);
    ASSERT_U64(0, IBackgroundCopyFile_Release(g));
    ASSERT_HR(S_OK, IEnumBackgroundCopyFiles_Reset(e));
    ASSERT_HR(S_OK, IEnumBackgroundCopyFiles_Clone(e, &c));
    ASSERT_U64(0, IEnumBackgroundCopyFiles_Release(e));
    e = NULL;
    if (!c)
        goto out;
    g = POISON_PTR;
    ASSERT_HR(S_OK, IEnumBackgroundCopyFiles_Next(c, 1, &g, NULL));
    ASSERT_PTR(f, g); /* the clone shares the objects */
    if (g && g != POISON_PTR)
        ASSERT_U64(0, IBackgroundCopyFile_Release(g));
    ASSERT_U64(0, IEnumBackgroundCopyFiles_Release(c));
out:
    if (e)
        release(e);
    fx_close(&fx);
}
BOTH_MODES(release_counts)

CU_TestInfo tests_enum_files[] = {
    ENUM_CASES,
    BOTH_INFO(insertion_order),
    BOTH_INFO(snapshot),
    BOTH_INFO(objects_share_record),
    BOTH_INFO(release_counts),
    CU_TEST_INFO_NULL,
};
