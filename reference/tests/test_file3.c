/*
 * IBackgroundCopyFile3 before any transfer (decisions R29): the temporary
 * name the engine will use, SetValidationState -> E_PENDING, validation
 * state and peer origin FALSE, NULL out-pointers, in both modes.
 */
#include "support.h"

#include <ctype.h>
#include <docom.h>

static void temporary_name(enum mode mode)
{
    struct fx fx;
    IBackgroundCopyFile3 *f3 = NULL;
    IBackgroundCopyFile *f = NULL;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *job = fx_job(&fx, 2);
    if (!job || !(f = job_file(job, 1)) ||
        !(f3 = qi(f, &IID_IBackgroundCopyFile3)))
        goto out;
    GUID id;
    IBackgroundCopyJob_GetId(job, &id);
    LPWSTR t = POISON_PTR;
    ASSERT_HR(S_OK, IBackgroundCopyFile3_GetTemporaryName(f3, &t));
    if (t && t != POISON_PTR) {
        char want[400], got[400];
        snprintf(want, sizeof want, "%s/BIT%08X%04X.TMP", fx.dir,
                 (unsigned)id.Data1, 1u);
        wtext(t, got, sizeof got);
        /* Compare without the quotes wtext adds, case-insensitively for
         * the hex digits and extension. */
        size_t n = strlen(got);
        int same = n >= 2 && n - 2 == strlen(want) &&
                   !strncasecmp(got + 1, want, n - 2) &&
                   !strncmp(got + 1, want, strlen(fx.dir) + 4);
        t_check(same, __LINE__, __FILE__,
                "GetTemporaryName: expected %s, got %s", want, got);
        CoTaskMemFree(t);
    }
    ASSERT_HR(E_INVALIDARG, IBackgroundCopyFile3_GetTemporaryName(f3, NULL));
out:
    release(f3);
    release(f);
    fx_close(&fx);
}
BOTH_MODES(temporary_name)

static void validation_and_peer(enum mode mode)
{
    struct fx fx;
    IBackgroundCopyFile3 *f3 = NULL;
    IBackgroundCopyFile *f = NULL;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *job = fx_job(&fx, 1);
    if (!job || !(f = job_file(job, 0)) ||
        !(f3 = qi(f, &IID_IBackgroundCopyFile3)))
        goto out;
    BOOL b = (BOOL)POISON_U32;
    ASSERT_HR(S_OK, IBackgroundCopyFile3_GetValidationState(f3, &b));
    ASSERT_U64(FALSE, b);
    ASSERT_HR(E_PENDING, IBackgroundCopyFile3_SetValidationState(f3, TRUE));
    ASSERT_HR(E_PENDING, IBackgroundCopyFile3_SetValidationState(f3, FALSE));
    b = (BOOL)POISON_U32;
    ASSERT_HR(S_OK, IBackgroundCopyFile3_GetValidationState(f3, &b));
    ASSERT_U64(FALSE, b);
    b = (BOOL)POISON_U32;
    ASSERT_HR(S_OK, IBackgroundCopyFile3_IsDownloadedFromPeer(f3, &b));
    ASSERT_U64(FALSE, b);
    ASSERT_HR(E_INVALIDARG, IBackgroundCopyFile3_GetValidationState(f3, NULL));
    ASSERT_HR(E_INVALIDARG,
              IBackgroundCopyFile3_IsDownloadedFromPeer(f3, NULL));
    ASSERT_U64(BG_JOB_STATE_SUSPENDED, job_state(job));
out:
    release(f3);
    release(f);
    fx_close(&fx);
}
BOTH_MODES(validation_and_peer)

CU_TestInfo tests_file3[] = {
    BOTH_INFO(temporary_name),
    BOTH_INFO(validation_and_peer),
    CU_TEST_INFO_NULL,
};
