/*
 * IDeliveryOptimizationFile::GetStats (decisions R31, D3; checklist
 * DOJ-04): the statistics of a file before any transfer, ownership of the
 * two strings, isBackground following the priority, NULL out-pointer.
 */
#include "test_do.h"

#include <docom.h>

static IDeliveryOptimizationFile *do_file(IBackgroundCopyJob *job, ULONG i)
{
    IBackgroundCopyFile *f = job_file(job, i);
    if (!f)
        return NULL;
    IDeliveryOptimizationFile *df = qi(f, &IID_IDeliveryOptimizationFile);
    release(f);
    return df;
}

static void check_stats(struct fx *fx, IDeliveryOptimizationFile *f,
                        const WCHAR *id, const char *name, UINT64 size,
                        BOOL background)
{
    DOSwarmStats s;
    POISON(s);
    ASSERT_HR(S_OK, IDeliveryOptimizationFile_GetStats(f, &s));
    ASSERT_WSTR(id, s.fileId);
    WCHAR *url = name ? fx_url(name) : NULL;
    ASSERT_WSTR(url, s.sourceURL);
    CoTaskMemFree(url);
    ASSERT_U64(size, s.fileSize);
    ASSERT_U64(0, s.totalBytesDownloaded);
    ASSERT_U64(0, s.bytesFromLanPeers);
    ASSERT_U64(0, s.bytesFromGroupPeers);
    ASSERT_U64(0, s.bytesFromInternetPeers);
    ASSERT_U64(0, s.bytesFromHttp);
    ASSERT_U64(0, s.bytesFromDoinc);
    ASSERT_U64(0, s.bytesToLanPeers);
    ASSERT_U64(0, s.bytesToGroupPeers);
    ASSERT_U64(0, s.bytesToInternetPeers);
    ASSERT_U64(0, s.lanConnectionCount);
    ASSERT_U64(0, s.groupConnectionCount);
    ASSERT_U64(0, s.internetConnectionCount);
    ASSERT_U64(DownloadMode_Simple, s.downloadMode);
    ASSERT_U64(SwarmStatus_Downloading, s.status);
    ASSERT_U64(background, s.isBackground);
    if (s.fileId != POISON_PTR)
        CoTaskMemFree(s.fileId);
    if (s.sourceURL != POISON_PTR)
        CoTaskMemFree(s.sourceURL);
}

static void get_stats(void)
{
    struct fx fx;
    IBackgroundCopyJob *job = NULL;
    IDeliveryOptimizationJob *j = NULL;
    IDeliveryOptimizationFile *f0 = NULL, *f1 = NULL;
    if (fx_open(&fx, MODE_DO) || !(j = do_job(&fx, &job)))
        goto out;
    ASSERT_HR(S_OK, do_add(&fx, j, u"content-1", "a", 4096));
    ASSERT_HR(S_OK, do_add(&fx, j, u"content-2", "b", DO_UNKNOWN_FILE_SIZE));
    if (!(f0 = do_file(job, 0)) || !(f1 = do_file(job, 1)))
        goto out;
    check_stats(&fx, f0, u"content-1", "a", 4096, TRUE);
    check_stats(&fx, f1, u"content-2", "b", DO_UNKNOWN_FILE_SIZE, TRUE);
    ASSERT_HR(S_OK,
              IBackgroundCopyJob_SetPriority(job, BG_JOB_PRIORITY_FOREGROUND));
    check_stats(&fx, f0, u"content-1", "a", 4096, FALSE);
    ASSERT_HR(E_INVALIDARG, IDeliveryOptimizationFile_GetStats(f0, NULL));
out:
    release(f0);
    release(f1);
    release(j);
    fx_close(&fx);
}

/* A file added through Job2::AddFile without URL: sourceURL NULL. */
static void get_stats_without_url(void)
{
    struct fx fx;
    IBackgroundCopyJob *job = fx_open(&fx, MODE_DO) ? NULL : fx_job(&fx, 0);
    IDeliveryOptimizationJob2 *j =
        job ? qi(job, &IID_IDeliveryOptimizationJob2) : NULL;
    IDeliveryOptimizationFile *f = NULL;
    if (!j)
        goto out;
    ASSERT_HR(S_OK, IDeliveryOptimizationJob2_AddFile(
                        j, u"nourl", NULL, 0, NULL,
                        &IID_IDeliveryOptimizationFile, (void **)&f));
    if (f)
        check_stats(&fx, f, u"nourl", NULL, DO_UNKNOWN_FILE_SIZE, TRUE);
out:
    release(f);
    release(j);
    fx_close(&fx);
}

CU_TestInfo tests_do_file[] = {
    {"get_stats [do]", get_stats},
    {"get_stats_without_url [do]", get_stats_without_url},
    CU_TEST_INFO_NULL,
};
