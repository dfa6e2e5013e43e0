/*
 * IBackgroundCopyFile5 Get/SetProperty (spec behavior.md 8.2, D10, R29):
 * HTTP_RESPONSE_HEADERS is S_OK with NULL before any response and read-
 * only; unknown ids; NULL out-pointer; in both modes.
 */
#include "support.h"

#include <docom.h>

static void properties(enum mode mode)
{
    struct fx fx;
    IBackgroundCopyFile5 *f5 = NULL;
    IBackgroundCopyFile *f = NULL;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *job = fx_job(&fx, 1);
    if (!job || !(f = job_file(job, 0)) ||
        !(f5 = qi(f, &IID_IBackgroundCopyFile5)))
        goto out;
    BITS_FILE_PROPERTY_VALUE v;
    v.String = POISON_PTR;
    ASSERT_HR(S_OK, IBackgroundCopyFile5_GetProperty(
                        f5, BITS_FILE_PROPERTY_ID_HTTP_RESPONSE_HEADERS, &v));
    ASSERT_PTR(NULL, v.String);
    BITS_FILE_PROPERTY_VALUE in = {.String = (LPWSTR)u"X: y\r\n"};
    ASSERT_HR(hr_mode(mode, BG_E_READ_ONLY_PROPERTY),
              IBackgroundCopyFile5_SetProperty(
                  f5, BITS_FILE_PROPERTY_ID_HTTP_RESPONSE_HEADERS, in));
    static const int unknown[] = {0, 2, 100, -1};
    for (size_t i = 0; i < ARRAY_LEN(unknown); i++) {
        v.String = POISON_PTR;
        ASSERT_HR(hr_mode(mode, BG_E_UNKNOWN_PROPERTY_ID),
                  IBackgroundCopyFile5_GetProperty(
                      f5, (BITS_FILE_PROPERTY_ID)unknown[i], &v));
        ASSERT_PTR(NULL, v.String);
        ASSERT_HR(hr_mode(mode, BG_E_UNKNOWN_PROPERTY_ID),
                  IBackgroundCopyFile5_SetProperty(
                      f5, (BITS_FILE_PROPERTY_ID)unknown[i], in));
    }
    ASSERT_HR(E_INVALIDARG,
              IBackgroundCopyFile5_GetProperty(
                  f5, BITS_FILE_PROPERTY_ID_HTTP_RESPONSE_HEADERS, NULL));
out:
    release(f5);
    release(f);
    fx_close(&fx);
}
BOTH_MODES(properties)

/* R29: IBackgroundCopyFile6 refuses every call on a job without
 * ON_DEMAND_MODE; on an on-demand job (BITS mode) nothing is filled yet
 * and ranges are validated as by AddFileWithRanges (R15). */
static void file6(enum mode mode)
{
    struct fx fx;
    IBackgroundCopyFile6 *f6 = NULL;
    IBackgroundCopyFile *f = NULL;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *job = fx_job(&fx, 1);
    if (!job || !(f = job_file(job, 0)) ||
        !(f6 = qi(f, &IID_IBackgroundCopyFile6)))
        goto out;
    BG_FILE_RANGE r = {0, 10};
    ASSERT_HR(BG_E_UNSUPPORTED_JOB_CONFIGURATION,
              IBackgroundCopyFile6_UpdateDownloadPosition(f6, 0));
    ASSERT_HR(BG_E_UNSUPPORTED_JOB_CONFIGURATION,
              IBackgroundCopyFile6_RequestFileRanges(f6, 1, &r));
    DWORD n = POISON_U32;
    BG_FILE_RANGE *got = POISON_PTR;
    ASSERT_HR(BG_E_UNSUPPORTED_JOB_CONFIGURATION,
              IBackgroundCopyFile6_GetFilledFileRanges(f6, &n, &got));
    ASSERT_U64(0, n);
    ASSERT_PTR(NULL, got);
    if (mode != MODE_BITS)
        goto out;
    /* An on-demand job. */
    IBackgroundCopyJob *od = fx_job(&fx, 0);
    IBackgroundCopyJob5 *od5 = od ? qi(od, &IID_IBackgroundCopyJob5) : NULL;
    if (!od5)
        goto out;
    BITS_JOB_PROPERTY_VALUE v;
    memset(&v, 0, sizeof v);
    v.Enable = TRUE;
    ASSERT_HR(S_OK, IBackgroundCopyJob5_SetProperty(
                        od5, BITS_JOB_PROPERTY_ON_DEMAND_MODE, v));
    release(od5);
    ASSERT_HR(S_OK, fx_add(&fx, od, "od"));
    release(f6);
    release(f);
    f6 = NULL;
    if (!(f = job_file(od, 0)) || !(f6 = qi(f, &IID_IBackgroundCopyFile6)))
        goto out;
    n = POISON_U32;
    got = POISON_PTR;
    ASSERT_HR(S_OK, IBackgroundCopyFile6_GetFilledFileRanges(f6, &n, &got));
    ASSERT_U64(0, n);
    ASSERT_PTR(NULL, got);
    ASSERT_HR(S_OK, IBackgroundCopyFile6_UpdateDownloadPosition(f6, 100));
    ASSERT_HR(S_OK, IBackgroundCopyFile6_RequestFileRanges(f6, 1, &r));
    BG_FILE_RANGE bad[2] = {{BG_LENGTH_TO_EOF, 1}, {0, 0}};
    ASSERT_HR(BG_E_INVALID_RANGE,
              IBackgroundCopyFile6_RequestFileRanges(f6, 1, &bad[0]));
    ASSERT_HR(BG_E_INVALID_RANGE,
              IBackgroundCopyFile6_RequestFileRanges(f6, 1, &bad[1]));
    BG_FILE_RANGE ovl[2] = {{0, 10}, {5, 10}};
    ASSERT_HR(BG_E_OVERLAPPING_RANGES,
              IBackgroundCopyFile6_RequestFileRanges(f6, 2, ovl));
    ASSERT_HR(E_INVALIDARG,
              IBackgroundCopyFile6_GetFilledFileRanges(f6, NULL, &got));
out:
    release(f6);
    release(f);
    fx_close(&fx);
}
BOTH_MODES(file6)

CU_TestInfo tests_file5[] = {
    BOTH_INFO(properties),
    BOTH_INFO(file6),
    CU_TEST_INFO_NULL,
};
