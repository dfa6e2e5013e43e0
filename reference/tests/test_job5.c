/*
 * IBackgroundCopyJob5 Get/SetProperty (spec behavior.md 8.1, decisions
 * D9, D10; checklist J5-01..J5-09): defaults, round trips, unknown ids,
 * the per-property rules (download only, before AddFile, before Resume,
 * stored-credential targets, incompatible configurations), DO mode's two
 * properties, NULL out-pointer.
 */
#include "support.h"

#include <docom.h>

static IBackgroundCopyJob5 *job5(struct fx *fx, BG_JOB_TYPE type,
                                 unsigned nfiles)
{
    IBackgroundCopyJob *job = fx_job_typed(fx, type, nfiles);
    return job ? qi(job, &IID_IBackgroundCopyJob5) : NULL;
}

static HRESULT set_dword(IBackgroundCopyJob5 *j, BITS_JOB_PROPERTY_ID id,
                         DWORD v)
{
    BITS_JOB_PROPERTY_VALUE pv;
    memset(&pv, 0, sizeof pv);
    pv.Dword = v;
    return IBackgroundCopyJob5_SetProperty(j, id, pv);
}

static HRESULT set_enable(IBackgroundCopyJob5 *j, BITS_JOB_PROPERTY_ID id,
                          BOOL v)
{
    BITS_JOB_PROPERTY_VALUE pv;
    memset(&pv, 0, sizeof pv);
    pv.Enable = v;
    return IBackgroundCopyJob5_SetProperty(j, id, pv);
}

static HRESULT set_u64(IBackgroundCopyJob5 *j, BITS_JOB_PROPERTY_ID id,
                       UINT64 v)
{
    BITS_JOB_PROPERTY_VALUE pv;
    memset(&pv, 0, sizeof pv);
    pv.Uint64 = v;
    return IBackgroundCopyJob5_SetProperty(j, id, pv);
}

static HRESULT set_target(IBackgroundCopyJob5 *j, BG_AUTH_TARGET t)
{
    BITS_JOB_PROPERTY_VALUE pv;
    memset(&pv, 0, sizeof pv);
    pv.Target = t;
    return IBackgroundCopyJob5_SetProperty(
        j, BITS_JOB_PROPERTY_USE_STORED_CREDENTIALS, pv);
}

static BITS_JOB_PROPERTY_VALUE get(IBackgroundCopyJob5 *j,
                                   BITS_JOB_PROPERTY_ID id, HRESULT want)
{
    BITS_JOB_PROPERTY_VALUE pv;
    POISON(pv);
    char ctx[32];
    snprintf(ctx, sizeof ctx, "GetProperty(%d)", (int)id);
    ASSERT_HR_AT(ctx, want, IBackgroundCopyJob5_GetProperty(j, id, &pv));
    return pv;
}

/* D9, J5-07, J5-08: defaults of a new job. */
static void defaults(enum mode mode)
{
    struct fx fx;
    IBackgroundCopyJob5 *j = NULL;
    if (fx_open(&fx, mode) || !(j = job5(&fx, BG_JOB_TYPE_DOWNLOAD, 0)))
        goto out;
    ASSERT_U64(BITS_COST_STATE_TRANSFER_NOT_ROAMING,
               get(j, BITS_JOB_PROPERTY_ID_COST_FLAGS, S_OK).Dword);
    BITS_JOB_PROPERTY_VALUE v =
        get(j, BITS_JOB_PROPERTY_NOTIFICATION_CLSID, S_OK);
    ASSERT_GUID(&GUID_NULL, &v.ClsID);
    if (mode == MODE_BITS) {
        ASSERT_U64(FALSE,
                   get(j, BITS_JOB_PROPERTY_DYNAMIC_CONTENT, S_OK).Enable);
        ASSERT_U64(FALSE,
                   get(j, BITS_JOB_PROPERTY_HIGH_PERFORMANCE, S_OK).Enable);
        ASSERT_U64(
            500,
            get(j, BITS_JOB_PROPERTY_MINIMUM_NOTIFICATION_INTERVAL_MS, S_OK)
                .Dword);
        ASSERT_U64(FALSE,
                   get(j, BITS_JOB_PROPERTY_ON_DEMAND_MODE, S_OK).Enable);
    }
    ASSERT_HR(E_INVALIDARG, IBackgroundCopyJob5_GetProperty(
                                j, BITS_JOB_PROPERTY_ID_COST_FLAGS, NULL));
out:
    release(j);
    fx_close(&fx);
}
BOTH_MODES(defaults)

/* J5-01, J5-02, D9: round trips of the two properties of both modes. */
static void cost_flags_and_clsid(enum mode mode)
{
    struct fx fx;
    IBackgroundCopyJob5 *j = NULL;
    if (fx_open(&fx, mode) || !(j = job5(&fx, BG_JOB_TYPE_DOWNLOAD, 0)))
        goto out;
    static const DWORD costs[] = {0, BITS_COST_STATE_TRANSFER_ALWAYS,
                                  BITS_COST_STATE_TRANSFER_STANDARD, 1,
                                  0xFFFFFFFF};
    for (size_t i = 0; i < ARRAY_LEN(costs); i++) {
        ASSERT_HR(S_OK,
                  set_dword(j, BITS_JOB_PROPERTY_ID_COST_FLAGS, costs[i]));
        ASSERT_U64(costs[i],
                   get(j, BITS_JOB_PROPERTY_ID_COST_FLAGS, S_OK).Dword);
    }
    BITS_JOB_PROPERTY_VALUE pv;
    memset(&pv, 0, sizeof pv);
    pv.ClsID = CLSID_BackgroundCopyManager;
    ASSERT_HR(S_OK, IBackgroundCopyJob5_SetProperty(
                        j, BITS_JOB_PROPERTY_NOTIFICATION_CLSID, pv));
    BITS_JOB_PROPERTY_VALUE v =
        get(j, BITS_JOB_PROPERTY_NOTIFICATION_CLSID, S_OK);
    ASSERT_GUID(&CLSID_BackgroundCopyManager, &v.ClsID);
    memset(&pv, 0, sizeof pv);
    ASSERT_HR(S_OK, IBackgroundCopyJob5_SetProperty(
                        j, BITS_JOB_PROPERTY_NOTIFICATION_CLSID, pv));
    v = get(j, BITS_JOB_PROPERTY_NOTIFICATION_CLSID, S_OK);
    ASSERT_GUID(&GUID_NULL, &v.ClsID);
out:
    release(j);
    fx_close(&fx);
}
BOTH_MODES(cost_flags_and_clsid)

/* D10: unknown ids on Get and Set; DO mode knows only two ids (J5-09). */
static void unknown_ids(enum mode mode)
{
    struct fx fx;
    IBackgroundCopyJob5 *j = NULL;
    if (fx_open(&fx, mode) || !(j = job5(&fx, BG_JOB_TYPE_DOWNLOAD, 0)))
        goto out;
    static const int always[] = {0, 6, 8, 11, 100, -1};
    static const int bits_only[] = {
        BITS_JOB_PROPERTY_DYNAMIC_CONTENT,
        BITS_JOB_PROPERTY_HIGH_PERFORMANCE,
        BITS_JOB_PROPERTY_MAX_DOWNLOAD_SIZE,
        BITS_JOB_PROPERTY_USE_STORED_CREDENTIALS,
        BITS_JOB_PROPERTY_MINIMUM_NOTIFICATION_INTERVAL_MS,
        BITS_JOB_PROPERTY_ON_DEMAND_MODE};
    for (size_t i = 0; i < ARRAY_LEN(always); i++) {
        BITS_JOB_PROPERTY_ID id = (BITS_JOB_PROPERTY_ID)always[i];
        get(j, id, hr_mode(mode, BG_E_UNKNOWN_PROPERTY_ID));
        ASSERT_HR(hr_mode(mode, BG_E_UNKNOWN_PROPERTY_ID), set_dword(j, id, 0));
    }
    for (size_t i = 0; i < ARRAY_LEN(bits_only); i++) {
        BITS_JOB_PROPERTY_ID id = (BITS_JOB_PROPERTY_ID)bits_only[i];
        HRESULT want = mode == MODE_DO ? DO_E_UNKNOWN_PROPERTY_ID : S_OK;
        get(j, id, want);
        if (mode == MODE_DO)
            ASSERT_HR(DO_E_UNKNOWN_PROPERTY_ID, set_dword(j, id, 0));
    }
out:
    release(j);
    fx_close(&fx);
}
BOTH_MODES(unknown_ids)

/* J5-03..J5-06, D10: the BITS properties' own rules. */
static void bits_property_rules(void)
{
    struct fx fx;
    IBackgroundCopyJob5 *d = NULL, *up = NULL, *withfile = NULL;
    if (fx_open(&fx, MODE_BITS) || !(d = job5(&fx, BG_JOB_TYPE_DOWNLOAD, 0)) ||
        !(up = job5(&fx, BG_JOB_TYPE_UPLOAD, 0)) ||
        !(withfile = job5(&fx, BG_JOB_TYPE_DOWNLOAD, 1)))
        goto out;
    /* Download jobs only. */
    ASSERT_HR(BG_E_PROPERTY_SUPPORTED_FOR_DOWNLOAD_JOBS_ONLY,
              set_enable(up, BITS_JOB_PROPERTY_DYNAMIC_CONTENT, TRUE));
    ASSERT_HR(BG_E_PROPERTY_SUPPORTED_FOR_DOWNLOAD_JOBS_ONLY,
              set_enable(up, BITS_JOB_PROPERTY_HIGH_PERFORMANCE, TRUE));
    ASSERT_HR(BG_E_PROPERTY_SUPPORTED_FOR_DOWNLOAD_JOBS_ONLY,
              set_u64(up, BITS_JOB_PROPERTY_MAX_DOWNLOAD_SIZE, 1000));
    ASSERT_HR(BG_E_PROPERTY_SUPPORTED_FOR_DOWNLOAD_JOBS_ONLY,
              set_enable(up, BITS_JOB_PROPERTY_ON_DEMAND_MODE, TRUE));
    /* Round trips on a fresh download job. */
    ASSERT_HR(S_OK, set_enable(d, BITS_JOB_PROPERTY_HIGH_PERFORMANCE, TRUE));
    ASSERT_U64(TRUE, get(d, BITS_JOB_PROPERTY_HIGH_PERFORMANCE, S_OK).Enable);
    ASSERT_HR(S_OK, set_u64(d, BITS_JOB_PROPERTY_MAX_DOWNLOAD_SIZE, 123456789));
    ASSERT_U64(123456789,
               get(d, BITS_JOB_PROPERTY_MAX_DOWNLOAD_SIZE, S_OK).Uint64);
    ASSERT_HR(
        S_OK,
        set_dword(d, BITS_JOB_PROPERTY_MINIMUM_NOTIFICATION_INTERVAL_MS, 1000));
    ASSERT_U64(
        1000,
        get(d, BITS_JOB_PROPERTY_MINIMUM_NOTIFICATION_INTERVAL_MS, S_OK).Dword);
    ASSERT_HR(S_OK, set_target(d, BG_AUTH_TARGET_PROXY));
    ASSERT_U64(BG_AUTH_TARGET_PROXY,
               get(d, BITS_JOB_PROPERTY_USE_STORED_CREDENTIALS, S_OK).Target);
    ASSERT_HR(BG_E_USE_STORED_CREDENTIALS_NOT_SUPPORTED,
              set_target(d, BG_AUTH_TARGET_SERVER));
    ASSERT_U64(BG_AUTH_TARGET_PROXY,
               get(d, BITS_JOB_PROPERTY_USE_STORED_CREDENTIALS, S_OK).Target);
    /* Dynamic content excludes on-demand mode and ranges. */
    ASSERT_HR(S_OK, set_enable(d, BITS_JOB_PROPERTY_DYNAMIC_CONTENT, TRUE));
    ASSERT_HR(BG_E_UNSUPPORTED_JOB_CONFIGURATION,
              set_enable(d, BITS_JOB_PROPERTY_ON_DEMAND_MODE, TRUE));
    IBackgroundCopyJob3 *d3 = qi(d, &IID_IBackgroundCopyJob3);
    if (d3) {
        WCHAR *u = fx_url("dyn"), *p = fx_path(&fx, "dyn");
        BG_FILE_RANGE r = {0, 10};
        ASSERT_HR(BG_E_UNSUPPORTED_JOB_CONFIGURATION,
                  IBackgroundCopyJob3_AddFileWithRanges(d3, u, p, 1, &r));
        CoTaskMemFree(u);
        CoTaskMemFree(p);
        release(d3);
    }
    /* High performance only before the first file. */
    ASSERT_HR(BG_E_READ_ONLY_PROPERTY_AFTER_ADDFILE,
              set_enable(withfile, BITS_JOB_PROPERTY_HIGH_PERFORMANCE, TRUE));
    /* A ranged file excludes dynamic content. */
    IBackgroundCopyJob3 *w3 = qi(withfile, &IID_IBackgroundCopyJob3);
    if (w3) {
        WCHAR *u = fx_url("rg"), *p = fx_path(&fx, "rg");
        BG_FILE_RANGE r = {0, 10};
        ASSERT_HR(S_OK, IBackgroundCopyJob3_AddFileWithRanges(w3, u, p, 1, &r));
        ASSERT_HR(
            BG_E_UNSUPPORTED_JOB_CONFIGURATION,
            set_enable(withfile, BITS_JOB_PROPERTY_DYNAMIC_CONTENT, TRUE));
        CoTaskMemFree(u);
        CoTaskMemFree(p);
        release(w3);
    }
    /* Dynamic content and max size only before the first Resume. */
    ASSERT_HR(S_OK, IBackgroundCopyJob5_Resume(withfile));
    ASSERT_HR(BG_E_READ_ONLY_PROPERTY_AFTER_RESUME,
              set_u64(withfile, BITS_JOB_PROPERTY_MAX_DOWNLOAD_SIZE, 10));
    ASSERT_HR(BG_E_READ_ONLY_PROPERTY_AFTER_RESUME,
              set_enable(withfile, BITS_JOB_PROPERTY_DYNAMIC_CONTENT, FALSE));
    ASSERT_HR(S_OK, IBackgroundCopyJob5_Suspend(withfile));
    ASSERT_HR(BG_E_READ_ONLY_PROPERTY_AFTER_RESUME,
              set_u64(withfile, BITS_JOB_PROPERTY_MAX_DOWNLOAD_SIZE, 10));
    /* Cost flags change any time. */
    ASSERT_HR(S_OK, set_dword(withfile, BITS_JOB_PROPERTY_ID_COST_FLAGS, 1));
    /* Final: the state check comes after the id check. */
    ASSERT_HR(S_OK, IBackgroundCopyJob5_Cancel(withfile));
    ASSERT_HR(BG_E_INVALID_STATE,
              set_dword(withfile, BITS_JOB_PROPERTY_ID_COST_FLAGS, 1));
    ASSERT_HR(BG_E_UNKNOWN_PROPERTY_ID,
              set_dword(withfile, (BITS_JOB_PROPERTY_ID)6, 1));
    ASSERT_U64(1, get(withfile, BITS_JOB_PROPERTY_ID_COST_FLAGS, S_OK).Dword);
out:
    release(d);
    release(up);
    release(withfile);
    fx_close(&fx);
}

CU_TestInfo tests_job5[] = {
    BOTH_INFO(defaults),    BOTH_INFO(cost_flags_and_clsid),
    BOTH_INFO(unknown_ids), {"bits_property_rules [bits]", bits_property_rules},
    CU_TEST_INFO_NULL,
};
