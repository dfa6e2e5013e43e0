/*
 * IBackgroundCopyFile4::GetPeerDownloadStats (R29): {transferred, 0}
 * before any transfer, NULL out-pointers, in both modes.
 */
#include "support.h"

#include <docom.h>

static void peer_download_stats(enum mode mode)
{
    struct fx fx;
    IBackgroundCopyFile4 *f4 = NULL;
    IBackgroundCopyFile *f = NULL;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *job = fx_job(&fx, 1);
    if (!job || !(f = job_file(job, 0)) ||
        !(f4 = qi(f, &IID_IBackgroundCopyFile4)))
        goto out;
    UINT64 origin = POISON_U64, peers = POISON_U64;
    ASSERT_HR(S_OK,
              IBackgroundCopyFile4_GetPeerDownloadStats(f4, &origin, &peers));
    ASSERT_U64(0, origin);
    ASSERT_U64(0, peers);
    ASSERT_HR(E_INVALIDARG,
              IBackgroundCopyFile4_GetPeerDownloadStats(f4, NULL, &peers));
    ASSERT_HR(E_INVALIDARG,
              IBackgroundCopyFile4_GetPeerDownloadStats(f4, &origin, NULL));
out:
    release(f4);
    release(f);
    fx_close(&fx);
}
BOTH_MODES(peer_download_stats)

CU_TestInfo tests_file4[] = {
    BOTH_INFO(peer_download_stats),
    CU_TEST_INFO_NULL,
};
