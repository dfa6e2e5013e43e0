/*
 * IBackgroundCopyJob4 (decisions R26): peer caching flags, the owner's
 * integrity level and elevation (standard user and administrator), the
 * maximum download time (default 90 days), NULL out-pointers.
 */
#include "support.h"

#include <docom.h>

#include "ref_policy.h"

static IBackgroundCopyJob4 *job4(struct fx *fx)
{
    IBackgroundCopyJob *job = fx_job(fx, 0);
    return job ? qi(job, &IID_IBackgroundCopyJob4) : NULL;
}

static void peer_caching_flags(enum mode mode)
{
    struct fx fx;
    IBackgroundCopyJob4 *j = NULL;
    if (fx_open(&fx, mode) || !(j = job4(&fx)))
        goto out;
    static const struct {
        DWORD flags;
        HRESULT hr;
    } rows[] = {{0, S_OK},
                {BG_JOB_ENABLE_PEERCACHING_CLIENT, S_OK},
                {BG_JOB_ENABLE_PEERCACHING_SERVER, S_OK},
                {BG_JOB_DISABLE_BRANCH_CACHE, S_OK},
                {0x7, S_OK},
                {0x8, E_INVALIDARG},
                {0xFFFFFFFF, E_INVALIDARG}};
    for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
        char ctx[32];
        snprintf(ctx, sizeof ctx, "peer 0x%x", (unsigned)rows[i].flags);
        ASSERT_HR(S_OK, IBackgroundCopyJob4_SetPeerCachingFlags(j, 0x1));
        ASSERT_HR_AT(ctx, rows[i].hr,
                     IBackgroundCopyJob4_SetPeerCachingFlags(j, rows[i].flags));
        DWORD f = POISON_U32;
        ASSERT_HR(S_OK, IBackgroundCopyJob4_GetPeerCachingFlags(j, &f));
        ASSERT_U64_AT(ctx, rows[i].hr == S_OK ? rows[i].flags : 0x1, f);
    }
    ASSERT_HR(E_INVALIDARG, IBackgroundCopyJob4_GetPeerCachingFlags(j, NULL));
out:
    release(j);
    fx_close(&fx);
}
BOTH_MODES(peer_caching_flags)

static void owner_integrity_and_elevation(enum mode mode)
{
    struct fx fx;
    IBackgroundCopyJob4 *j = NULL;
    if (fx_open(&fx, mode) || !(j = job4(&fx)))
        goto out;
    ULONG level = POISON_U32;
    BOOL elevated = (BOOL)POISON_U32;
    ASSERT_HR(S_OK, IBackgroundCopyJob4_GetOwnerIntegrityLevel(j, &level));
    ASSERT_U64(0x2000, level);
    ASSERT_HR(S_OK, IBackgroundCopyJob4_GetOwnerElevationState(j, &elevated));
    ASSERT_U64(FALSE, elevated);
    ASSERT_HR(E_INVALIDARG,
              IBackgroundCopyJob4_GetOwnerIntegrityLevel(j, NULL));
    ASSERT_HR(E_INVALIDARG,
              IBackgroundCopyJob4_GetOwnerElevationState(j, NULL));
    release(j);
    j = NULL;
    /* A job created by an administrator. */
    ref_policy_set(REF_POLICY_CALLER_IS_ADMIN, 1);
    if (!(j = job4(&fx)))
        goto out;
    level = POISON_U32;
    elevated = (BOOL)POISON_U32;
    ASSERT_HR(S_OK, IBackgroundCopyJob4_GetOwnerIntegrityLevel(j, &level));
    ASSERT_U64(0x3000, level);
    ASSERT_HR(S_OK, IBackgroundCopyJob4_GetOwnerElevationState(j, &elevated));
    ASSERT_U64(TRUE, elevated);
out:
    release(j);
    fx_close(&fx);
}
BOTH_MODES(owner_integrity_and_elevation)

static void maximum_download_time(enum mode mode)
{
    struct fx fx;
    IBackgroundCopyJob4 *j = NULL;
    if (fx_open(&fx, mode) || !(j = job4(&fx)))
        goto out;
    ULONG t = POISON_U32;
    ASSERT_HR(S_OK, IBackgroundCopyJob4_GetMaximumDownloadTime(j, &t));
    ASSERT_U64(7776000, t);
    static const ULONG values[] = {0, 1, 3600, 7776000, 0xFFFFFFFF};
    for (size_t i = 0; i < ARRAY_LEN(values); i++) {
        ASSERT_HR(S_OK,
                  IBackgroundCopyJob4_SetMaximumDownloadTime(j, values[i]));
        t = POISON_U32;
        ASSERT_HR(S_OK, IBackgroundCopyJob4_GetMaximumDownloadTime(j, &t));
        ASSERT_U64(values[i], t);
    }
    ASSERT_HR(E_INVALIDARG,
              IBackgroundCopyJob4_GetMaximumDownloadTime(j, NULL));
out:
    release(j);
    fx_close(&fx);
}
BOTH_MODES(maximum_download_time)

CU_TestInfo tests_job4[] = {
    BOTH_INFO(peer_caching_flags),
    BOTH_INFO(owner_integrity_and_elevation),
    BOTH_INFO(maximum_download_time),
    CU_TEST_INFO_NULL,
};
