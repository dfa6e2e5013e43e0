/*
 * IBackgroundCopyFile: names exactly as given (FILE-02), the progress of
 * a file before any transfer (FILE-03, D3), NULL out-pointers (R1), in
 * both modes.
 */
#include "support.h"

#include <docom.h>

static void names_and_progress(enum mode mode)
{
    struct fx fx;
    IBackgroundCopyFile *f = NULL;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *job = fx_job(&fx, 0);
    if (!job)
        goto out;
    /* Unusual but valid characters survive unchanged. */
    WCHAR *url = fx_url("dir/name.bin?x=1&y=%41"),
          *path = fx_path(&fx, "n\u00e9.bin");
    ASSERT_HR(S_OK, IBackgroundCopyJob_AddFile(job, url, path));
    if (!(f = job_file(job, 0)))
        goto done;
    LPWSTR r = POISON_PTR, l = POISON_PTR;
    ASSERT_HR(S_OK, IBackgroundCopyFile_GetRemoteName(f, &r));
    ASSERT_WSTR(url, r);
    ASSERT_HR(S_OK, IBackgroundCopyFile_GetLocalName(f, &l));
    ASSERT_WSTR(path, l);
    if (r != POISON_PTR && r) {
        ASSERT_TRUE(r != url);
        CoTaskMemFree(r);
    }
    if (l != POISON_PTR)
        CoTaskMemFree(l);
    BG_FILE_PROGRESS p;
    POISON(p);
    ASSERT_HR(S_OK, IBackgroundCopyFile_GetProgress(f, &p));
    ASSERT_U64(mode == MODE_BITS ? BG_SIZE_UNKNOWN : DO_UNKNOWN_FILE_SIZE,
               p.BytesTotal);
    ASSERT_U64(0, p.BytesTransferred);
    ASSERT_U64(FALSE, p.Completed);
done:
    CoTaskMemFree(url);
    CoTaskMemFree(path);
out:
    release(f);
    fx_close(&fx);
}
BOTH_MODES(names_and_progress)

static void null_out_pointers(enum mode mode)
{
    struct fx fx;
    IBackgroundCopyFile *f = NULL;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *job = fx_job(&fx, 1);
    if (!job || !(f = job_file(job, 0)))
        goto out;
    ASSERT_HR(E_INVALIDARG, IBackgroundCopyFile_GetRemoteName(f, NULL));
    ASSERT_HR(E_INVALIDARG, IBackgroundCopyFile_GetLocalName(f, NULL));
    ASSERT_HR(E_INVALIDARG, IBackgroundCopyFile_GetProgress(f, NULL));
out:
    release(f);
    fx_close(&fx);
}
BOTH_MODES(null_out_pointers)

/* A file object keeps working after its job was cancelled and every
 * other pointer released (R21: it holds the job). */
static void outlives_job(enum mode mode)
{
    struct fx fx;
    IBackgroundCopyFile *f = NULL;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *job = fx_job(&fx, 1);
    if (!job || !(f = job_file(job, 0)))
        goto out;
    ASSERT_HR(S_OK, IBackgroundCopyJob_Cancel(job));
    fx.jobs[--fx.njobs] = NULL;
    release(job);
    LPWSTR l = POISON_PTR;
    ASSERT_HR(S_OK, IBackgroundCopyFile_GetLocalName(f, &l));
    WCHAR *want = fx_path(&fx, "f0");
    ASSERT_WSTR(want, l);
    CoTaskMemFree(want);
    if (l != POISON_PTR)
        CoTaskMemFree(l);
out:
    if (f)
        ASSERT_U64(0, release(f));
    fx_close(&fx);
}
BOTH_MODES(outlives_job)

CU_TestInfo tests_file[] = {
    BOTH_INFO(names_and_progress),
    BOTH_INFO(null_out_pointers),
    BOTH_INFO(outlives_job),
    CU_TEST_INFO_NULL,
};
