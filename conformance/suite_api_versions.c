/*
 * suite_api_versions.c - the network-free contract of the interfaces a
 * client reaches by QueryInterface: IBackgroundCopyJob2..5,
 * IBackgroundCopyJobHttpOptions, IBackgroundCopyFile2/3/5 and the DO job
 * and file extensions (IDeliveryOptimizationJob/Job2/File).  Defaults,
 * argument validation, ranges (§14.4 RNG-01..05, 09, 10), Job5 properties
 * (§14.6) and §14.8 DOJ-01..05.  Each case names the interface it needs in
 * its row (.iid); an implementation without it gets SKIP, not FAIL.
 * The case table is at the end of the file.
 */
#include "conf.h"
#include "netcase.h"
#include "platform.h"

#include <stdio.h>
#include <string.h>

#define REMOTE_BASE "http://127.0.0.1:9/docts/"

static WCHAR *remote(conf_ctx *ctx, const char *name)
{
    char buf[256];
    snprintf(buf, sizeof buf, REMOTE_BASE "%s", name);
    return conf_w(ctx, buf);
}

/* QueryInterface on the case's job; released at the end of the case. */
static void *job_as(conf_ctx *ctx, REFIID iid)
{
    void *p = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_QueryInterface(ctx->job, iid, &p),
                   S_OK);
    CONF_EXPECT_NONNULL(ctx, p);
    conf_defer_release(ctx, (IUnknown *)p);
    return p;
}

static void add_file(conf_ctx *ctx, const char *name)
{
    CONF_EXPECT_HR(ctx,
                   IBackgroundCopyJob_AddFile(ctx->job, remote(ctx, name),
                                              conf_tmp_path(ctx, name)),
                   S_OK);
}

/* The first file of the job as interface IID (released at the end). */
static void *file_as(conf_ctx *ctx, REFIID iid)
{
    IEnumBackgroundCopyFiles *e = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_EnumFiles(ctx->job, &e), S_OK);
    conf_defer_release(ctx, (IUnknown *)e);
    IBackgroundCopyFile *f = CONF_POISON_PTR;
    ULONG got = CONF_POISON32;
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyFiles_Next(e, 1, &f, &got), S_OK);
    CONF_EXPECT_NONNULL(ctx, f);
    conf_defer_release(ctx, (IUnknown *)f);
    void *p = CONF_POISON_PTR;
    HRESULT hr = IBackgroundCopyFile_QueryInterface(f, iid, &p);
    if (hr == E_NOINTERFACE)
        conf_skip(ctx, "the file object lacks the interface (E_NOINTERFACE)");
    CONF_EXPECT_HR(ctx, hr, S_OK);
    conf_defer_release(ctx, (IUnknown *)p);
    return p;
}

static ULONG file_count(conf_ctx *ctx)
{
    BG_JOB_PROGRESS p;
    memset(&p, 0xEF, sizeof p);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetProgress(ctx->job, &p), S_OK);
    return p.FilesTotal;
}

/* ---- IBackgroundCopyJob2 ----------------------------------------------- */

static void j2_cmdline_default(conf_ctx *ctx, const conf_case *c)
{
    IBackgroundCopyJob2 *j = job_as(ctx, &IID_IBackgroundCopyJob2);
    LPWSTR prog = CONF_POISON_PTR, params = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob2_GetNotifyCmdLine(j, &prog, &params),
                   S_OK);
    CONF_EXPECT_WSTR(ctx, prog, u"");
    CONF_EXPECT_WSTR(ctx, params, u"");
    CoTaskMemFree(prog);
    CoTaskMemFree(params);
}

static void j2_cmdline_roundtrip(conf_ctx *ctx, const conf_case *c)
{
    IBackgroundCopyJob2 *j = job_as(ctx, &IID_IBackgroundCopyJob2);
    /* the parameters start with the program, as the documentation asks */
    const char *p8 = conf_plat_notify_program();
    char args[4200];
    snprintf(args, sizeof args, "%s --done", p8);
    const WCHAR *program = conf_w(ctx, p8), *params_in = conf_w(ctx, args);
    CONF_EXPECT_HR(
        ctx, IBackgroundCopyJob2_SetNotifyCmdLine(j, program, params_in), S_OK);
    LPWSTR prog = CONF_POISON_PTR, params = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob2_GetNotifyCmdLine(j, &prog, &params),
                   S_OK);
    CONF_EXPECT_WSTR(ctx, prog, program);
    CONF_EXPECT_WSTR(ctx, params, params_in);
    CoTaskMemFree(prog);
    CoTaskMemFree(params);
}

static void j2_cmdline_bad(conf_ctx *ctx, const conf_case *c)
{
    IBackgroundCopyJob2 *j = job_as(ctx, &IID_IBackgroundCopyJob2);
    HRESULT hr = IBackgroundCopyJob2_SetNotifyCmdLine(j, NULL, u"x y");
    char b[96];
    if (c->arg) /* decision R27: the exact code */
        CONF_EXPECT_HR(ctx, hr, E_INVALIDARG);
    else
        CONF_EXPECT_TRUE(ctx, FAILED(hr), "a failure code",
                         conf_hr_str(hr, b, sizeof b));
}

static void j2_reply_progress(conf_ctx *ctx, const conf_case *c)
{
    IBackgroundCopyJob2 *j = job_as(ctx, &IID_IBackgroundCopyJob2);
    BG_JOB_REPLY_PROGRESS p;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob2_GetReplyProgress(j, &p), E_NOTIMPL);
}

static void j2_remove_credentials(conf_ctx *ctx, const conf_case *c)
{
    IBackgroundCopyJob2 *j = job_as(ctx, &IID_IBackgroundCopyJob2);
    CONF_EXPECT_HR(ctx,
                   IBackgroundCopyJob2_RemoveCredentials(
                       j, BG_AUTH_TARGET_SERVER, BG_AUTH_SCHEME_BASIC),
                   S_FALSE);
}

/* Credentials set, then removed: the pair was there. */
static void j2_set_credentials(conf_ctx *ctx, const conf_case *c)
{
    IBackgroundCopyJob2 *j = job_as(ctx, &IID_IBackgroundCopyJob2);
    BG_AUTH_CREDENTIALS cred = nc_basic_cred(ctx, "docts", "secret");
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob2_SetCredentials(j, &cred), S_OK);
    CONF_EXPECT_HR(ctx,
                   IBackgroundCopyJob2_RemoveCredentials(
                       j, BG_AUTH_TARGET_SERVER, BG_AUTH_SCHEME_BASIC),
                   S_OK);
}

/* ---- IBackgroundCopyJob3 and ranges ---------------------------------- */

/* arg selects the range set; the row's text says what is expected. */
static void j3_ranges_bad(conf_ctx *ctx, const conf_case *c)
{
    IBackgroundCopyJob3 *j = job_as(ctx, &IID_IBackgroundCopyJob3);
    BG_FILE_RANGE r[2];
    DWORD n = 2;
    HRESULT want;
    switch (c->arg) {
    case 0: /* RangeCount 0 */
        r[0] = (BG_FILE_RANGE){0, 10};
        n = 0;
        want = E_INVALIDARG;
        break;
    case 1: /* InitialOffset = BG_LENGTH_TO_EOF */
        r[0] = (BG_FILE_RANGE){BG_LENGTH_TO_EOF, 10};
        n = 1;
        want = conf_hr(ctx, BG_E_INVALID_RANGE);
        break;
    case 2: /* overlapping */
        r[0] = (BG_FILE_RANGE){0, 100};
        r[1] = (BG_FILE_RANGE){50, 100};
        want = conf_hr(ctx, BG_E_OVERLAPPING_RANGES);
        break;
    default: /* same offset twice, the second of length 0 */
        r[0] = (BG_FILE_RANGE){100, 5};
        r[1] = (BG_FILE_RANGE){100, 0};
        want = conf_hr(ctx, BG_E_OVERLAPPING_RANGES);
        break;
    }
    CONF_EXPECT_HR(
        ctx,
        IBackgroundCopyJob3_AddFileWithRanges(
            j, remote(ctx, "r.bin"), conf_tmp_path(ctx, "r.bin"), n, r),
        want);
    CONF_EXPECT_U(ctx, file_count(ctx), 0);
}

static void j3_ranges_unsorted(conf_ctx *ctx, const conf_case *c)
{
    IBackgroundCopyJob3 *j = job_as(ctx, &IID_IBackgroundCopyJob3);
    BG_FILE_RANGE r[3] = {{100, 100}, {900, 100}, {400, 100}};
    CONF_EXPECT_HR(
        ctx,
        IBackgroundCopyJob3_AddFileWithRanges(
            j, remote(ctx, "u.bin"), conf_tmp_path(ctx, "u.bin"), 3, r),
        S_OK);
    IBackgroundCopyFile2 *f = file_as(ctx, &IID_IBackgroundCopyFile2);
    DWORD n = CONF_POISON32;
    BG_FILE_RANGE *got = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyFile2_GetFileRanges(f, &n, &got), S_OK);
    CONF_EXPECT_U(ctx, n, 3);
    CONF_EXPECT_NONNULL(ctx, got);
    for (DWORD i = 0; i < 3 && i < n; i++) {
        CONF_EXPECT_U(ctx, got[i].InitialOffset, r[i].InitialOffset);
        CONF_EXPECT_U(ctx, got[i].Length, r[i].Length);
    }
    CoTaskMemFree(got);
    /* progress counts only the requested bytes */
    BG_FILE_PROGRESS p;
    memset(&p, 0xEF, sizeof p);
    IBackgroundCopyFile *f1 = (IBackgroundCopyFile *)f;
    CONF_EXPECT_HR(ctx, IBackgroundCopyFile_GetProgress(f1, &p), S_OK);
    CONF_EXPECT_U(ctx, p.BytesTotal, 300);
}

static void j3_ranges_none(conf_ctx *ctx, const conf_case *c)
{
    add_file(ctx, "whole.bin");
    IBackgroundCopyFile2 *f = file_as(ctx, &IID_IBackgroundCopyFile2);
    DWORD n = CONF_POISON32;
    BG_FILE_RANGE *got = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyFile2_GetFileRanges(f, &n, &got),
                   S_FALSE);
    CONF_EXPECT_U(ctx, n, 0);
    CONF_EXPECT_NULL(ctx, got);
}

static void j3_ranges_too_many(conf_ctx *ctx, const conf_case *c)
{
    IBackgroundCopyJob3 *j = job_as(ctx, &IID_IBackgroundCopyJob3);
    BG_FILE_RANGE *r = conf_alloc(ctx, 501 * sizeof *r);
    for (int i = 0; i < 501; i++)
        r[i] = (BG_FILE_RANGE){(UINT64)i * 10, 5};
    CONF_EXPECT_HR(
        ctx,
        IBackgroundCopyJob3_AddFileWithRanges(
            j, remote(ctx, "m.bin"), conf_tmp_path(ctx, "m.bin"), 501, r),
        BG_E_TOO_MANY_RANGES_IN_FILE);
    CONF_EXPECT_HR(
        ctx,
        IBackgroundCopyJob3_AddFileWithRanges(
            j, remote(ctx, "m.bin"), conf_tmp_path(ctx, "m.bin"), 500, r),
        S_OK);
}

static void j3_ranges_upload(conf_ctx *ctx, const conf_case *c)
{
    IBackgroundCopyJob *up = conf_new_job(ctx, u"up", BG_JOB_TYPE_UPLOAD, NULL);
    conf_defer_release(ctx, (IUnknown *)up);
    IBackgroundCopyJob3 *j = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx,
                   IBackgroundCopyJob_QueryInterface(
                       up, &IID_IBackgroundCopyJob3, (void **)&j),
                   S_OK);
    conf_defer_release(ctx, (IUnknown *)j);
    BG_FILE_RANGE r = {0, 10};
    CONF_EXPECT_HR(
        ctx,
        IBackgroundCopyJob3_AddFileWithRanges(
            j, remote(ctx, "u.bin"), conf_tmp_path(ctx, "u.bin"), 1, &r),
        E_NOTIMPL);
}

/* arg 0: no match -> S_FALSE; 1: match -> S_OK and the name changes. */
static void j3_replace_prefix(conf_ctx *ctx, const conf_case *c)
{
    add_file(ctx, "p.bin");
    IBackgroundCopyJob3 *j = job_as(ctx, &IID_IBackgroundCopyJob3);
    if (c->arg == 0) {
        CONF_EXPECT_HR(
            ctx,
            IBackgroundCopyJob3_ReplaceRemotePrefix(
                j, u"http://elsewhere.invalid/", u"http://127.0.0.1:9/other/"),
            S_FALSE);
        return;
    }
    CONF_EXPECT_HR(
        ctx,
        IBackgroundCopyJob3_ReplaceRemotePrefix(j, u"http://127.0.0.1:9/docts/",
                                                u"http://127.0.0.1:9/moved/"),
        S_OK);
    IBackgroundCopyFile *f = file_as(ctx, &IID_IBackgroundCopyFile);
    LPWSTR name = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyFile_GetRemoteName(f, &name), S_OK);
    CONF_EXPECT_WSTR(ctx, name, u"http://127.0.0.1:9/moved/p.bin");
    CoTaskMemFree(name);
}

static void j3_acl_flags(conf_ctx *ctx, const conf_case *c)
{
    IBackgroundCopyJob3 *j = job_as(ctx, &IID_IBackgroundCopyJob3);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob3_SetFileACLFlags(j, 0x10),
                   E_INVALIDARG);
    CONF_EXPECT_HR(ctx,
                   IBackgroundCopyJob3_SetFileACLFlags(
                       j, BG_COPY_FILE_OWNER | BG_COPY_FILE_DACL),
                   S_OK);
    DWORD f = CONF_POISON32;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob3_GetFileACLFlags(j, &f), S_OK);
    CONF_EXPECT_HEX(ctx, f, BG_COPY_FILE_OWNER | BG_COPY_FILE_DACL);
}

/* ---- IBackgroundCopyJob4 ----------------------------------------------- */

static void j4_max_download_time(conf_ctx *ctx, const conf_case *c)
{
    IBackgroundCopyJob4 *j = job_as(ctx, &IID_IBackgroundCopyJob4);
    ULONG t = CONF_POISON32;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob4_GetMaximumDownloadTime(j, &t),
                   S_OK);
    CONF_EXPECT_U(ctx, t, 7776000);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob4_SetMaximumDownloadTime(j, 3600),
                   S_OK);
    t = CONF_POISON32;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob4_GetMaximumDownloadTime(j, &t),
                   S_OK);
    CONF_EXPECT_U(ctx, t, 3600);
}

static void j4_owner_state(conf_ctx *ctx, const conf_case *c)
{
    IBackgroundCopyJob4 *j = job_as(ctx, &IID_IBackgroundCopyJob4);
    BOOL elevated = (BOOL)CONF_POISON32;
    ULONG level = CONF_POISON32;
    CONF_EXPECT_HR(
        ctx, IBackgroundCopyJob4_GetOwnerElevationState(j, &elevated), S_OK);
    CONF_EXPECT_U(ctx, elevated, FALSE);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob4_GetOwnerIntegrityLevel(j, &level),
                   S_OK);
    CONF_EXPECT_HEX(ctx, level, 0x2000);
}

/* ---- IBackgroundCopyJob5 ---------------------------------------------- */

static BITS_JOB_PROPERTY_VALUE get_prop(conf_ctx *ctx, IBackgroundCopyJob5 *j,
                                        BITS_JOB_PROPERTY_ID id)
{
    BITS_JOB_PROPERTY_VALUE v;
    memset(&v, 0xEF, sizeof v);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob5_GetProperty(j, id, &v), S_OK);
    return v;
}

static void j5_cost_flags(conf_ctx *ctx, const conf_case *c)
{
    IBackgroundCopyJob5 *j = job_as(ctx, &IID_IBackgroundCopyJob5);
    if (c->arg) { /* decision D9: the default */
        CONF_EXPECT_HEX(ctx,
                        get_prop(ctx, j, BITS_JOB_PROPERTY_ID_COST_FLAGS).Dword,
                        BITS_COST_STATE_TRANSFER_NOT_ROAMING);
        return;
    }
    BITS_JOB_PROPERTY_VALUE v;
    memset(&v, 0, sizeof v);
    v.Dword = BITS_COST_STATE_TRANSFER_ALWAYS;
    CONF_EXPECT_HR(
        ctx,
        IBackgroundCopyJob5_SetProperty(j, BITS_JOB_PROPERTY_ID_COST_FLAGS, v),
        S_OK);
    CONF_EXPECT_HEX(ctx,
                    get_prop(ctx, j, BITS_JOB_PROPERTY_ID_COST_FLAGS).Dword,
                    BITS_COST_STATE_TRANSFER_ALWAYS);
}

static void j5_notification_clsid(conf_ctx *ctx, const conf_case *c)
{
    IBackgroundCopyJob5 *j = job_as(ctx, &IID_IBackgroundCopyJob5);
    BITS_JOB_PROPERTY_VALUE v =
        get_prop(ctx, j, BITS_JOB_PROPERTY_NOTIFICATION_CLSID);
    CONF_EXPECT_GUID(ctx, &v.ClsID, &GUID_NULL);
    memset(&v, 0, sizeof v);
    v.ClsID = CLSID_BackgroundCopyManager; /* any CLSID will do */
    CONF_EXPECT_HR(ctx,
                   IBackgroundCopyJob5_SetProperty(
                       j, BITS_JOB_PROPERTY_NOTIFICATION_CLSID, v),
                   S_OK);
    v = get_prop(ctx, j, BITS_JOB_PROPERTY_NOTIFICATION_CLSID);
    CONF_EXPECT_GUID(ctx, &v.ClsID, &CLSID_BackgroundCopyManager);
    memset(&v, 0, sizeof v);
    v.ClsID = GUID_NULL;
    CONF_EXPECT_HR(ctx,
                   IBackgroundCopyJob5_SetProperty(
                       j, BITS_JOB_PROPERTY_NOTIFICATION_CLSID, v),
                   S_OK);
    v = get_prop(ctx, j, BITS_JOB_PROPERTY_NOTIFICATION_CLSID);
    CONF_EXPECT_GUID(ctx, &v.ClsID, &GUID_NULL);
}

static void j5_defaults(conf_ctx *ctx, const conf_case *c)
{
    IBackgroundCopyJob5 *j = job_as(ctx, &IID_IBackgroundCopyJob5);
    if (c->arg == 0)
        CONF_EXPECT_U(
            ctx,
            get_prop(ctx, j, BITS_JOB_PROPERTY_MINIMUM_NOTIFICATION_INTERVAL_MS)
                .Dword,
            500);
    else
        CONF_EXPECT_U(ctx,
                      get_prop(ctx, j, BITS_JOB_PROPERTY_ON_DEMAND_MODE).Enable,
                      FALSE);
}

/* arg 0: HIGH_PERFORMANCE after AddFile fails; 1: with the exact code
 * (decision D10). */
static void j5_high_perf_after_add(conf_ctx *ctx, const conf_case *c)
{
    IBackgroundCopyJob5 *j = job_as(ctx, &IID_IBackgroundCopyJob5);
    add_file(ctx, "hp.bin");
    BITS_JOB_PROPERTY_VALUE v;
    memset(&v, 0, sizeof v);
    v.Enable = TRUE;
    HRESULT hr = IBackgroundCopyJob5_SetProperty(
        j, BITS_JOB_PROPERTY_HIGH_PERFORMANCE, v);
    char b[96];
    if (c->arg)
        CONF_EXPECT_HR(ctx, hr, BG_E_READ_ONLY_PROPERTY_AFTER_ADDFILE);
    else
        CONF_EXPECT_TRUE(ctx, FAILED(hr), "a failure code",
                         conf_hr_str(hr, b, sizeof b));
}

/* MAX_DOWNLOAD_SIZE: accepted before the first Resume, refused after it
 * (arg 1: with BG_E_READ_ONLY_PROPERTY_AFTER_RESUME). */
static void j5_max_size_after_resume(conf_ctx *ctx, const conf_case *c)
{
    IBackgroundCopyJob5 *j = job_as(ctx, &IID_IBackgroundCopyJob5);
    add_file(ctx, "ms.bin");
    BITS_JOB_PROPERTY_VALUE v;
    memset(&v, 0, sizeof v);
    v.Uint64 = 1000000;
    CONF_EXPECT_HR(ctx,
                   IBackgroundCopyJob5_SetProperty(
                       j, BITS_JOB_PROPERTY_MAX_DOWNLOAD_SIZE, v),
                   S_OK);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Resume(ctx->job), S_OK);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Suspend(ctx->job), S_OK);
    v.Uint64 = 2000000;
    HRESULT hr = IBackgroundCopyJob5_SetProperty(
        j, BITS_JOB_PROPERTY_MAX_DOWNLOAD_SIZE, v);
    char b[96];
    if (c->arg)
        CONF_EXPECT_HR(ctx, hr, BG_E_READ_ONLY_PROPERTY_AFTER_RESUME);
    else
        CONF_EXPECT_TRUE(ctx, FAILED(hr), "a failure code",
                         conf_hr_str(hr, b, sizeof b));
    memset(&v, 0xEE, sizeof v);
    CONF_EXPECT_HR(ctx,
                   IBackgroundCopyJob5_GetProperty(
                       j, BITS_JOB_PROPERTY_MAX_DOWNLOAD_SIZE, &v),
                   S_OK);
    CONF_EXPECT_U(ctx, v.Uint64, 1000000);
}

static void j5_stored_credentials(conf_ctx *ctx, const conf_case *c)
{
    IBackgroundCopyJob5 *j = job_as(ctx, &IID_IBackgroundCopyJob5);
    BITS_JOB_PROPERTY_VALUE v;
    memset(&v, 0, sizeof v);
    v.Target = BG_AUTH_TARGET_SERVER;
    HRESULT hr = IBackgroundCopyJob5_SetProperty(
        j, BITS_JOB_PROPERTY_USE_STORED_CREDENTIALS, v);
    char b[96];
    CONF_EXPECT_TRUE(ctx, FAILED(hr), "a failure code",
                     conf_hr_str(hr, b, sizeof b));
}

static void j5_dynamic_upload(conf_ctx *ctx, const conf_case *c)
{
    IBackgroundCopyJob *up = conf_new_job(ctx, u"up", BG_JOB_TYPE_UPLOAD, NULL);
    conf_defer_release(ctx, (IUnknown *)up);
    IBackgroundCopyJob5 *j = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx,
                   IBackgroundCopyJob_QueryInterface(
                       up, &IID_IBackgroundCopyJob5, (void **)&j),
                   S_OK);
    conf_defer_release(ctx, (IUnknown *)j);
    BITS_JOB_PROPERTY_VALUE v;
    memset(&v, 0, sizeof v);
    v.Enable = TRUE;
    HRESULT hr = IBackgroundCopyJob5_SetProperty(
        j, BITS_JOB_PROPERTY_DYNAMIC_CONTENT, v);
    char b[96];
    CONF_EXPECT_TRUE(ctx, FAILED(hr), "a failure code",
                     conf_hr_str(hr, b, sizeof b));
}

/* arg: property id that must be unknown in this mode. */
static void j5_unknown(conf_ctx *ctx, const conf_case *c)
{
    IBackgroundCopyJob5 *j = job_as(ctx, &IID_IBackgroundCopyJob5);
    BITS_JOB_PROPERTY_VALUE v;
    memset(&v, 0, sizeof v);
    CONF_EXPECT_HR(
        ctx,
        IBackgroundCopyJob5_GetProperty(j, (BITS_JOB_PROPERTY_ID)c->arg, &v),
        conf_hr(ctx, BG_E_UNKNOWN_PROPERTY_ID));
}

/* ---- IBackgroundCopyJobHttpOptions ------------------------------------ */

static void http_defaults(conf_ctx *ctx, const conf_case *c)
{
    IBackgroundCopyJobHttpOptions *h =
        job_as(ctx, &IID_IBackgroundCopyJobHttpOptions);
    ULONG flags = CONF_POISON32;
    CONF_EXPECT_HR(
        ctx, IBackgroundCopyJobHttpOptions_GetSecurityFlags(h, &flags), S_OK);
    CONF_EXPECT_HEX(ctx, flags, 0);
    LPWSTR hdr = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJobHttpOptions_GetCustomHeaders(h, &hdr),
                   S_FALSE);
    CONF_EXPECT_NULL(ctx, hdr);
}

static void http_custom_headers(conf_ctx *ctx, const conf_case *c)
{
    IBackgroundCopyJobHttpOptions *h =
        job_as(ctx, &IID_IBackgroundCopyJobHttpOptions);
    CONF_EXPECT_HR(
        ctx,
        IBackgroundCopyJobHttpOptions_SetCustomHeaders(h, u"Wine: test\r\n"),
        S_OK);
    LPWSTR hdr = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJobHttpOptions_GetCustomHeaders(h, &hdr),
                   S_OK);
    CONF_EXPECT_WSTR(ctx, hdr, u"Wine: test\r\n");
    CoTaskMemFree(hdr);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJobHttpOptions_SetCustomHeaders(h, NULL),
                   S_OK);
    hdr = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJobHttpOptions_GetCustomHeaders(h, &hdr),
                   S_FALSE);
    CONF_EXPECT_NULL(ctx, hdr);
}

static void http_bad_flags(conf_ctx *ctx, const conf_case *c)
{
    IBackgroundCopyJobHttpOptions *h =
        job_as(ctx, &IID_IBackgroundCopyJobHttpOptions);
    CONF_EXPECT_HR(ctx,
                   IBackgroundCopyJobHttpOptions_SetSecurityFlags(h, 0x1000),
                   E_NOTIMPL);
}

/* ---- files ------------------------------------------------------------- */

/* arg 0: a new http URL is accepted; 1: ftp:// is refused. */
static void f2_set_remote(conf_ctx *ctx, const conf_case *c)
{
    add_file(ctx, "sr.bin");
    IBackgroundCopyFile2 *f = file_as(ctx, &IID_IBackgroundCopyFile2);
    if (c->arg) {
        CONF_EXPECT_HR(
            ctx,
            IBackgroundCopyFile2_SetRemoteName(f, u"ftp://127.0.0.1/sr.bin"),
            E_INVALIDARG);
        return;
    }
    CONF_EXPECT_HR(
        ctx,
        IBackgroundCopyFile2_SetRemoteName(f, u"http://127.0.0.1:9/new/sr.bin"),
        S_OK);
    LPWSTR n = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyFile2_GetRemoteName(f, &n), S_OK);
    CONF_EXPECT_WSTR(ctx, n, u"http://127.0.0.1:9/new/sr.bin");
    CoTaskMemFree(n);
}

static void f3_temp_name(conf_ctx *ctx, const conf_case *c)
{
    add_file(ctx, "t.bin");
    IBackgroundCopyFile3 *f = file_as(ctx, &IID_IBackgroundCopyFile3);
    LPWSTR t = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyFile3_GetTemporaryName(f, &t), S_OK);
    CONF_EXPECT_NONNULL(ctx, t);
    const char *u = conf_u8(ctx, t);
    CoTaskMemFree(t);
    size_t n = strlen(ctx->tmpdir);
    CONF_EXPECT_TRUE(ctx,
                     !strncmp(u, ctx->tmpdir, n) && u[n] == '/' &&
                         !strchr(u + n + 1, '/') &&
                         strcmp(u + n + 1, "t.bin") != 0,
                     "a different name in the local file's directory", u);
}

static void f3_validation_pending(conf_ctx *ctx, const conf_case *c)
{
    add_file(ctx, "v.bin");
    IBackgroundCopyFile3 *f = file_as(ctx, &IID_IBackgroundCopyFile3);
    CONF_EXPECT_HR(ctx, IBackgroundCopyFile3_SetValidationState(f, TRUE),
                   E_PENDING);
}

/* arg 0: Get before any response -> S_OK, NULL; 1: Set -> read-only. */
static void f5_headers(conf_ctx *ctx, const conf_case *c)
{
    add_file(ctx, "h.bin");
    IBackgroundCopyFile5 *f = file_as(ctx, &IID_IBackgroundCopyFile5);
    BITS_FILE_PROPERTY_VALUE v;
    if (c->arg == 0) {
        v.String = CONF_POISON_PTR;
        CONF_EXPECT_HR(ctx,
                       IBackgroundCopyFile5_GetProperty(
                           f, BITS_FILE_PROPERTY_ID_HTTP_RESPONSE_HEADERS, &v),
                       S_OK);
        CONF_EXPECT_NULL(ctx, v.String);
    } else {
        v.String = (LPWSTR)u"X: y\r\n";
        CONF_EXPECT_HR(ctx,
                       IBackgroundCopyFile5_SetProperty(
                           f, BITS_FILE_PROPERTY_ID_HTTP_RESPONSE_HEADERS, v),
                       conf_hr(ctx, BG_E_READ_ONLY_PROPERTY));
    }
}

/* ---- DO job and file extensions ------------------------------------- */

/* arg 0 NULL localName; 1 overlapping; 2 InitialOffset EOF; 3 on a
 * cancelled job; 4 rangeCount 0 accepted (whole file). */
static void doj_add(conf_ctx *ctx, const conf_case *c)
{
    IDeliveryOptimizationJob *j = job_as(ctx, &IID_IDeliveryOptimizationJob);
    BG_FILE_RANGE r[2] = {{0, 100}, {50, 100}};
    const WCHAR *local = conf_tmp_path(ctx, "do.bin");
    DWORD n = 2;
    HRESULT want = S_OK;
    switch (c->arg) {
    case 0:
        local = NULL;
        n = 0;
        want = E_INVALIDARG;
        break;
    case 1:
        want = DO_E_OVERLAPPING_RANGES;
        break;
    case 2:
        r[0].InitialOffset = BG_LENGTH_TO_EOF;
        n = 1;
        want = DO_E_INVALID_RANGE;
        break;
    case 3:
        CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Cancel(ctx->job), S_OK);
        n = 0;
        want = DO_E_INVALID_STATE;
        break;
    default:
        n = 0;
        break;
    }
    CONF_EXPECT_HR(ctx,
                   IDeliveryOptimizationJob_AddFileWithRanges(
                       j, u"file-1", remote(ctx, "do.bin"), local, n,
                       n ? r : NULL, DO_UNKNOWN_FILE_SIZE),
                   want);
    if (c->arg != 3)
        CONF_EXPECT_U(ctx, file_count(ctx), want == S_OK ? 1 : 0);
}

static void doj_stats(conf_ctx *ctx, const conf_case *c)
{
    add_file(ctx, "st.bin");
    IDeliveryOptimizationFile *f = file_as(ctx, &IID_IDeliveryOptimizationFile);
    DOSwarmStats s;
    memset(&s, 0, sizeof s);
    CONF_EXPECT_HR(ctx, IDeliveryOptimizationFile_GetStats(f, &s), S_OK);
    CoTaskMemFree(s.fileId);
    CoTaskMemFree(s.sourceURL);
}

static void doj2_property(conf_ctx *ctx, const conf_case *c)
{
    IDeliveryOptimizationJob2 *j = job_as(ctx, &IID_IDeliveryOptimizationJob2);
    VARIANT v;
    VariantInit(&v);
    CONF_EXPECT_HR(ctx,
                   IDeliveryOptimizationJob2_GetProperty(
                       j, DOJobPropertyId_ExtendedErrorInfo, &v),
                   S_OK);
    CONF_EXPECT_U(ctx, v.vt, VT_BSTR);
    VariantClear(&v);
    VARIANT in;
    VariantInit(&in);
    in.vt = VT_BSTR;
    in.bstrVal = NULL;
    CONF_EXPECT_HR(ctx,
                   IDeliveryOptimizationJob2_SetProperty(
                       j, DOJobPropertyId_ExtendedErrorInfo, &in),
                   DO_E_READ_ONLY_PROPERTY);
    VariantInit(&v);
    CONF_EXPECT_HR(
        ctx, IDeliveryOptimizationJob2_GetProperty(j, (DOJobPropertyId)5, &v),
        DO_E_UNKNOWN_PROPERTY_ID);
    VariantClear(&v);
}

/* ---- docts's test clock (optional, our own interface) ------------------ */

static uint64_t ft(FILETIME t)
{
    return ((uint64_t)t.dwHighDateTime << 32) | t.dwLowDateTime;
}

static void clock_advance(conf_ctx *ctx, const conf_case *c)
{
#ifdef DOCTS_HAVE_TEST_CLOCK
    if (!ctx->clock)
        conf_skip(ctx, "no IDoctsTestClock (the case only checks the clock)");
    FILETIME a, b;
    CONF_EXPECT_HR(ctx, IDoctsTestClock_GetNow(ctx->clock, &a), S_OK);
    CONF_EXPECT_HR(ctx, IDoctsTestClock_Advance(ctx->clock, 60000), S_OK);
    CONF_EXPECT_HR(ctx, IDoctsTestClock_GetNow(ctx->clock, &b), S_OK);
    /* 60 s = 600,000,000 ticks of 100 ns */
    CONF_EXPECT_TRUE(ctx, ft(b) >= ft(a) + 600000000ull,
                     "GetNow advanced by at least 60 s", "less");
    CONF_EXPECT_HR(ctx, IDoctsTestClock_SetSpeedFactor(ctx->clock, 0.5),
                   E_INVALIDARG);
    CONF_EXPECT_HR(ctx, IDoctsTestClock_GetNow(ctx->clock, NULL), E_POINTER);
#else
    conf_skip(ctx, "built without docts_ext.h");
#endif
}

/* ---- the table ----------------------------------------------------------- */

#define REQ CONF_REQUIRED
#define INF CONF_INFORMATIVE
#define B CONF_P_BITS
#define D CONF_P_DO
#define A CONF_P_ALL

/* R(id, interface, method, rule, profiles, evidence, informative_in,
 *   needed IID, body, arg, what it checks); setup is a fresh job. */
#define R(id_, if_, m_, rule_, prof_, ev_, infoin_, iid_, run_, arg_, x_)      \
    {                                                                          \
        .id = id_, .iface = if_, .method = m_, .rule = rule_,                  \
        .profiles = prof_, .evidence = ev_, .informative_in = infoin_,         \
        .setup = CONF_SETUP_JOB, .iid = iid_, .run = run_, .arg = arg_,        \
        .expect = x_                                                           \
    }

#define J2 "IBackgroundCopyJob2"
#define J3 "IBackgroundCopyJob3"
#define J4 "IBackgroundCopyJob4"
#define J5 "IBackgroundCopyJob5"
#define HO "IBackgroundCopyJobHttpOptions"
#define DOJ "IDeliveryOptimizationJob"

static const conf_case cases[] = {
    R("J2-001", J2, "GetNotifyCmdLine", "interfaces.md §4.4", B, REQ, 0,
      &IID_IBackgroundCopyJob2, j2_cmdline_default, 0,
      "never set -> S_OK with empty program and parameters"),
    R("J2-002", J2, "SetNotifyCmdLine", "interfaces.md §4.4", B, REQ, 0,
      &IID_IBackgroundCopyJob2, j2_cmdline_roundtrip, 0,
      "program and parameters read back exactly"),
    R("J2-003", J2, "SetNotifyCmdLine", "interfaces.md §4.4", B, REQ, 0,
      &IID_IBackgroundCopyJob2, j2_cmdline_bad, 0,
      "NULL program with parameters fails"),
    R("J2-004", J2, "SetNotifyCmdLine", "decisions.md R27", B, INF, 0,
      &IID_IBackgroundCopyJob2, j2_cmdline_bad, 1,
      "NULL program with parameters -> E_INVALIDARG"),
    R("J2-005", J2, "GetReplyProgress", "interfaces.md §4.4", B, REQ, 0,
      &IID_IBackgroundCopyJob2, j2_reply_progress, 0,
      "download job -> E_NOTIMPL"),
    R("J2-006", J2, "RemoveCredentials", "errors.md §1 (S_FALSE)", B, REQ, 0,
      &IID_IBackgroundCopyJob2, j2_remove_credentials, 0,
      "a pair never set -> S_FALSE"),
    R("J2-007", J2, "SetCredentials", "§7.6; interfaces.md §4.4", B, REQ, 0,
      &IID_IBackgroundCopyJob2, j2_set_credentials, 0,
      "Basic server credentials -> S_OK; RemoveCredentials of them -> S_OK"),
    R("RNG-001", J3, "AddFileWithRanges", "§14.4 RNG-01", B, REQ, 0,
      &IID_IBackgroundCopyJob3, j3_ranges_bad, 0,
      "RangeCount 0 -> E_INVALIDARG, no file"),
    R("RNG-002", J3, "AddFileWithRanges", "§14.4 RNG-02", A, REQ, D,
      &IID_IBackgroundCopyJob3, j3_ranges_bad, 1,
      "InitialOffset BG_LENGTH_TO_EOF -> INVALID_RANGE (mode code)"),
    R("RNG-003", J3, "AddFileWithRanges", "§14.4 RNG-03", A, REQ, D,
      &IID_IBackgroundCopyJob3, j3_ranges_bad, 2,
      "overlapping ranges -> OVERLAPPING_RANGES (mode code)"),
    R("RNG-004", J3, "AddFileWithRanges", "§14.4 RNG-04", A, REQ, D,
      &IID_IBackgroundCopyJob3, j3_ranges_bad, 3,
      "{100,5},{100,0} -> OVERLAPPING_RANGES (mode code)"),
    R("RNG-005", J3, "AddFileWithRanges", "§14.4 RNG-05, RNG-09; §6.1", B, REQ,
      0, &IID_IBackgroundCopyJob3, j3_ranges_unsorted, 0,
      "unsorted ranges accepted; GetFileRanges returns them in order; "
      "BytesTotal 300"),
    R("RNG-006", "IBackgroundCopyFile2", "GetFileRanges", "§14.4 RNG-09", A,
      REQ, D, NULL, j3_ranges_none, 0,
      "file without ranges -> S_FALSE, 0, NULL"),
    R("RNG-007", J3, "AddFileWithRanges", "§14.4 RNG-10", B, REQ, 0,
      &IID_IBackgroundCopyJob3, j3_ranges_too_many, 0,
      "501 ranges -> BG_E_TOO_MANY_RANGES_IN_FILE; 500 accepted"),
    R("RNG-008", J3, "AddFileWithRanges", "§6.1 (upload -> E_NOTIMPL)", B, REQ,
      0, &IID_IBackgroundCopyJob3, j3_ranges_upload, 0,
      "upload job -> E_NOTIMPL"),
    R("J3-001", J3, "ReplaceRemotePrefix", "interfaces.md §4.5", B, REQ, 0,
      &IID_IBackgroundCopyJob3, j3_replace_prefix, 0, "no match -> S_FALSE"),
    R("J3-002", J3, "ReplaceRemotePrefix", "interfaces.md §4.5; §7.5", B, REQ,
      0, &IID_IBackgroundCopyJob3, j3_replace_prefix, 1,
      "match -> S_OK; GetRemoteName shows the new prefix"),
    R("J3-003", J3, "SetFileACLFlags", "interfaces.md §4.5", B, REQ, 0,
      &IID_IBackgroundCopyJob3, j3_acl_flags, 0,
      "unknown bit -> E_INVALIDARG; OWNER|DACL read back"),
    R("J4-001", J4, "GetMaximumDownloadTime", "§3.4", B, REQ, 0,
      &IID_IBackgroundCopyJob4, j4_max_download_time, 0,
      "default 7776000 s; Set(3600) read back"),
    R("J4-002", J4, "GetOwnerElevationState", "decisions.md R26", B, INF, 0,
      &IID_IBackgroundCopyJob4, j4_owner_state, 0,
      "standard user: not elevated, integrity 0x2000"),
    R("J5-001", J5, "SetProperty", "§14.6 J5-01", A, REQ, 0,
      &IID_IBackgroundCopyJob5, j5_cost_flags, 0,
      "COST_FLAGS TRANSFER_ALWAYS read back"),
    R("J5-002", J5, "GetProperty", "decisions.md D9", A, INF, 0,
      &IID_IBackgroundCopyJob5, j5_cost_flags, 1,
      "COST_FLAGS default 0x8000007F"),
    R("J5-003", J5, "SetProperty", "§14.6 J5-02", A, REQ, 0,
      &IID_IBackgroundCopyJob5, j5_notification_clsid, 0,
      "NOTIFICATION_CLSID GUID_NULL, set, read back, GUID_NULL clears"),
    R("J5-004", J5, "GetProperty", "§14.6 J5-07", B, REQ, 0,
      &IID_IBackgroundCopyJob5, j5_defaults, 0,
      "MINIMUM_NOTIFICATION_INTERVAL_MS default 500"),
    R("J5-005", J5, "GetProperty", "§14.6 J5-08", B, REQ, 0,
      &IID_IBackgroundCopyJob5, j5_defaults, 1, "ON_DEMAND_MODE default FALSE"),
    R("J5-006", J5, "SetProperty", "§14.6 J5-04", B, REQ, 0,
      &IID_IBackgroundCopyJob5, j5_high_perf_after_add, 0,
      "HIGH_PERFORMANCE after AddFile fails"),
    R("J5-007", J5, "SetProperty", "decisions.md D10", B, INF, 0,
      &IID_IBackgroundCopyJob5, j5_high_perf_after_add, 1,
      "... with BG_E_READ_ONLY_PROPERTY_AFTER_ADDFILE"),
    R("J5-008", J5, "SetProperty", "§14.6 J5-06", B, REQ, 0,
      &IID_IBackgroundCopyJob5, j5_stored_credentials, 0,
      "USE_STORED_CREDENTIALS with target SERVER fails"),
    R("J5-009", J5, "SetProperty", "§14.6 J5-03", B, REQ, 0,
      &IID_IBackgroundCopyJob5, j5_dynamic_upload, 0,
      "DYNAMIC_CONTENT on an upload job fails"),
    R("J5-012", J5, "SetProperty", "§14.6 J5-05", B, REQ, 0,
      &IID_IBackgroundCopyJob5, j5_max_size_after_resume, 0,
      "MAX_DOWNLOAD_SIZE set before Resume; after Resume Set fails and the "
      "stored value stays"),
    R("J5-013", J5, "SetProperty", "decisions.md D10", B, INF, 0,
      &IID_IBackgroundCopyJob5, j5_max_size_after_resume, 1,
      "... with BG_E_READ_ONLY_PROPERTY_AFTER_RESUME"),
    R("J5-010", J5, "GetProperty", "§14.6 J5-09; decisions.md D10", D, INF, 0,
      &IID_IBackgroundCopyJob5, j5_unknown, BITS_JOB_PROPERTY_DYNAMIC_CONTENT,
      "DO: DYNAMIC_CONTENT -> DO_E_UNKNOWN_PROPERTY_ID"),
    R("J5-011", J5, "GetProperty", "decisions.md D10", A, INF, 0,
      &IID_IBackgroundCopyJob5, j5_unknown, 99,
      "unknown id 99 -> UNKNOWN_PROPERTY_ID (mode code)"),
    R("HTTP-001", HO, "GetSecurityFlags", "§12 ([WIN] defaults)", B, REQ, 0,
      &IID_IBackgroundCopyJobHttpOptions, http_defaults, 0,
      "security flags 0; GetCustomHeaders -> S_FALSE, NULL"),
    R("HTTP-002", HO, "SetCustomHeaders", "§12; §7.6 ([WIN])", B, REQ, 0,
      &IID_IBackgroundCopyJobHttpOptions, http_custom_headers, 0,
      "\"Wine: test\\r\\n\" read back; Set(NULL) clears"),
    R("HTTP-003", HO, "SetSecurityFlags", "errors.md §1 (E_NOTIMPL)", B, REQ, 0,
      &IID_IBackgroundCopyJobHttpOptions, http_bad_flags, 0,
      "unsupported flag 0x1000 -> E_NOTIMPL"),
    R("F2-001", "IBackgroundCopyFile2", "SetRemoteName", "interfaces.md §5.2",
      A, REQ, 0, NULL, f2_set_remote, 0,
      "new http URL -> S_OK; GetRemoteName returns it"),
    R("F2-002", "IBackgroundCopyFile2", "SetRemoteName",
      "interfaces.md §5.2; §14.3 FILE-11", A, REQ, 0, NULL, f2_set_remote, 1,
      "ftp:// -> E_INVALIDARG"),
    R("F3-001", "IBackgroundCopyFile3", "GetTemporaryName", "§4.2", B, REQ, 0,
      NULL, f3_temp_name, 0, "a temporary name in the destination directory"),
    R("F3-002", "IBackgroundCopyFile3", "SetValidationState",
      "interfaces.md §5.3", B, REQ, 0, NULL, f3_validation_pending, 0,
      "before the file transferred -> E_PENDING"),
    R("F5-001", "IBackgroundCopyFile5", "GetProperty", "§8.2; decisions.md R29",
      A, INF, 0, NULL, f5_headers, 0,
      "HTTP_RESPONSE_HEADERS before any response -> S_OK, NULL"),
    R("F5-002", "IBackgroundCopyFile5", "SetProperty", "§8.2; decisions.md D10",
      A, INF, 0, NULL, f5_headers, 1,
      "SetProperty(HTTP_RESPONSE_HEADERS) -> READ_ONLY_PROPERTY (mode)"),
    R("DOJ-001", DOJ, "AddFileWithRanges", "§14.8 DOJ-01", D, REQ, 0,
      &IID_IDeliveryOptimizationJob, doj_add, 0,
      "NULL localName -> E_INVALIDARG"),
    R("DOJ-002", DOJ, "AddFileWithRanges", "§14.8 DOJ-02", D, REQ, 0,
      &IID_IDeliveryOptimizationJob, doj_add, 1,
      "overlapping ranges -> DO_E_OVERLAPPING_RANGES"),
    R("DOJ-003", DOJ, "AddFileWithRanges", "§14.8 DOJ-02", D, REQ, 0,
      &IID_IDeliveryOptimizationJob, doj_add, 2,
      "InitialOffset BG_LENGTH_TO_EOF -> DO_E_INVALID_RANGE"),
    R("DOJ-004", DOJ, "AddFileWithRanges", "§14.8 DOJ-03", D, REQ, 0,
      &IID_IDeliveryOptimizationJob, doj_add, 3,
      "CANCELLED job -> DO_E_INVALID_STATE"),
    R("DOJ-005", DOJ, "AddFileWithRanges", "§6.2; decisions.md R15", D, INF, 0,
      &IID_IDeliveryOptimizationJob, doj_add, 4,
      "rangeCount 0 = whole file: S_OK, 1 file"),
    R("DOJ-006", "IDeliveryOptimizationFile", "GetStats", "§14.8 DOJ-04", D,
      REQ, 0, NULL, doj_stats, 0, "GetStats -> S_OK"),
    R("DOJ-007", "IDeliveryOptimizationJob2", "GetProperty", "§14.8 DOJ-05", D,
      REQ, 0, &IID_IDeliveryOptimizationJob2, doj2_property, 0,
      "ExtendedErrorInfo VT_BSTR; Set -> DO_E_READ_ONLY_PROPERTY; id 5 -> "
      "DO_E_UNKNOWN_PROPERTY_ID"),
    {.id = "CLK-001",
     .iface = "IDoctsTestClock",
     .method = "Advance",
     .rule = "docts_ext.h (DESIGN.md: threads, time and state)",
     .profiles = A,
     .evidence = INF,
     .setup = CONF_SETUP_MANAGER,
     .needs = CONF_NEEDS_CLOCK,
     .run = clock_advance,
     .expect = "Advance(60 s) moves GetNow >= 60 s; speed 0.5 -> "
               "E_INVALIDARG; GetNow(NULL) -> E_POINTER"},
};

const conf_suite conf_suite_api_versions = {
    .name = "api-versions",
    .title = "interfaces reached by QueryInterface: Job2..Job5, HttpOptions, "
             "File2..File5, DO job and file extensions",
    .cases = cases,
    .ncases = CONF_ARRAY_LEN(cases),
};
