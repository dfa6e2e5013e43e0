/*
 * test_props.c - job and file properties that change what goes over the
 * wire or how a job ends (spec 7.3, 7.5, 7.6, 8; issue 4 item 7), proven
 * from h2mock's request log: HttpOptions custom headers and the redirect
 * report policy, Job2 Basic credentials as an Authorization header, proxy
 * settings (override, bypass), File5 HTTP_RESPONSE_HEADERS, Job5
 * MAX_DOWNLOAD_SIZE, DYNAMIC_CONTENT (no size needed, an interruption
 * restarts from 0), HIGH_PERFORMANCE (written in place), and COST_FLAGS
 * against the simulated network cost (ref_network_set, I8, E12).
 */
#include "xfer.h"

#include "ref_network.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define WAIT_MS xwait_default()
#define PSIZE 20000

static IBackgroundCopyJob *one_file(struct xfx *fx, enum xmode mode,
                                    const char *rules, char *hex)
{
    IBackgroundCopyJob *job;

    if (xfx_open(fx, mode, 0) != 0)
        return NULL;
    job = xfx_job(fx);
    if (!job)
        return NULL;
    xsrv_file(&fx->srv, "p.bin", PSIZE, 91, hex);
    xsrv_file(&fx->srv, "q.bin", PSIZE, 92, NULL);
    if (rules)
        X_U64("rules", 200, mockctl_rules(&fx->srv, rules));
    X_HR("AddFile", S_OK, xfx_add(fx, job, "p.bin", NULL));
    return job;
}

static void deliver(struct xfx *fx, IBackgroundCopyJob *job, const char *hex)
{
    char got[65];

    X_STATE("transferred", BG_JOB_STATE_TRANSFERRED,
            xwait_mask(job, XS_FINAL_ISH & ~XS(BG_JOB_STATE_TRANSIENT_ERROR),
                       WAIT_MS, NULL));
    X_HR("Complete", S_OK, IBackgroundCopyJob_Complete(job));
    xfx_hash(fx, "p.bin", got);
    X_STR("p.bin", hex, got);
}

/* Value of header `name` on the first logged request for /p.bin. */
static void first_header(struct xfx *fx, const char *name, char *buf,
                         size_t len)
{
    char *log = mockctl_log(&fx->srv);
    struct xreq r[4];
    int n = log ? xlog_requests(log, "/p.bin", r, 4) : 0;

    buf[0] = '\0';
    if (n > 0 && !xlog_header(r[0].line, name, buf, len))
        snprintf(buf, len, "(absent)");
    free(log);
}

/* Spec 7.6: custom headers go with every request. */
static void custom_headers(void)
{
    struct xfx fx;
    IBackgroundCopyJob *job;
    IBackgroundCopyJobHttpOptions *ho = NULL;
    char hex[65], v[128];

    job = one_file(&fx, XM_BITS, NULL, hex);
    if (!job)
        goto out;
    ho = xqi(job, &IID_IBackgroundCopyJobHttpOptions);
    if (ho)
        X_HR("SetCustomHeaders", S_OK,
             IBackgroundCopyJobHttpOptions_SetCustomHeaders(
                 ho, u"X-Docts-Test: 42\r\nX-Second: two words"));
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    deliver(&fx, job, hex);
    first_header(&fx, "x-docts-test", v, sizeof v);
    X_STR("X-Docts-Test sent", "42", v);
    first_header(&fx, "x-second", v, sizeof v);
    X_STR("X-Second sent", "two words", v);
out:
    xrelease(ho);
    xfx_close(&fx);
}

/* I9: custom Range / If-Range lines are dropped (the engine owns them):
 * the whole file is fetched without a Range and delivered right. */
static void custom_range_dropped(void)
{
    struct xfx fx;
    IBackgroundCopyJob *job;
    IBackgroundCopyJobHttpOptions *ho = NULL;
    char hex[65], v[128];

    job = one_file(&fx, XM_BITS, NULL, hex);
    if (!job)
        goto out;
    ho = xqi(job, &IID_IBackgroundCopyJobHttpOptions);
    if (ho)
        X_HR("SetCustomHeaders", S_OK,
             IBackgroundCopyJobHttpOptions_SetCustomHeaders(
                 ho, u"Range: bytes=0-9\r\nIf-Range: \"x\"\r\nX-Kept: yes"));
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    deliver(&fx, job, hex);
    first_header(&fx, "range", v, sizeof v);
    X_STR("custom Range dropped", "(absent)", v);
    first_header(&fx, "if-range", v, sizeof v);
    X_STR("custom If-Range dropped", "(absent)", v);
    first_header(&fx, "x-kept", v, sizeof v);
    X_STR("other custom header kept", "yes", v);
out:
    xrelease(ho);
    xfx_close(&fx);
}

/* Spec 7.6: Basic credentials for the server → Authorization header. */
static void basic_credentials(void)
{
    struct xfx fx;
    IBackgroundCopyJob *job;
    IBackgroundCopyJob2 *j2 = NULL;
    char hex[65], v[128];
    BG_AUTH_CREDENTIALS cred;

    job = one_file(&fx, XM_BITS, NULL, hex);
    if (!job)
        goto out;
    j2 = xqi(job, &IID_IBackgroundCopyJob2);
    memset(&cred, 0, sizeof cred);
    cred.Target = BG_AUTH_TARGET_SERVER;
    cred.Scheme = BG_AUTH_SCHEME_BASIC;
    cred.Credentials.Basic.UserName = u"alice";
    cred.Credentials.Basic.Password = u"s3cret";
    if (j2)
        X_HR("SetCredentials", S_OK,
             IBackgroundCopyJob2_SetCredentials(j2, &cred));
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    deliver(&fx, job, hex);
    first_header(&fx, "authorization", v, sizeof v);
    X_STR("Authorization", "Basic YWxpY2U6czNjcmV0", v);
out:
    xrelease(j2);
    xfx_close(&fx);
}

/* FILE-12: File5 HTTP_RESPONSE_HEADERS holds the last response's
 * headers after the transfer. */
static void response_headers(void)
{
    struct xfx fx;
    IBackgroundCopyJob *job;
    IBackgroundCopyFile *f = NULL;
    IBackgroundCopyFile5 *f5 = NULL;
    char hex[65], text[4096];
    BITS_FILE_PROPERTY_VALUE v = {.String = POISON_STR};

    job = one_file(&fx, XM_BITS, NULL, hex);
    if (!job)
        goto out;
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    X_STATE("transferred", BG_JOB_STATE_TRANSFERRED,
            xwait_mask(job, XS_FINAL_ISH, WAIT_MS, NULL));
    f = xjob_file(job, 0);
    f5 = f ? xqi(f, &IID_IBackgroundCopyFile5) : NULL;
    if (f5) {
        X_HR("GetProperty", S_OK,
             IBackgroundCopyFile5_GetProperty(
                 f5, BITS_FILE_PROPERTY_ID_HTTP_RESPONSE_HEADERS, &v));
        X_TRUE("headers returned", v.String && v.String != POISON_STR);
        if (v.String && v.String != POISON_STR) {
            xu8(v.String, text, sizeof text);
            xt_check(strcasestr(text, "content-length: 20000") != NULL,
                     __LINE__, __FILE__,
                     "[headers] expected Content-Length: 20000 in \"%s\"",
                     text);
            xt_check(strcasestr(text, "etag:") != NULL, __LINE__, __FILE__,
                     "[headers] expected an ETag in \"%s\"", text);
            CoTaskMemFree(v.String);
        }
    }
    X_HR("Complete", S_OK, IBackgroundCopyJob_Complete(job));
out:
    xrelease(f5);
    xrelease(f);
    xfx_close(&fx);
}

/* Job5 MAX_DOWNLOAD_SIZE (E9): a file larger than the limit →
 * ERROR BG_E_MAX_DOWNLOAD_SIZE_LIMIT_REACHED / REMOTE_FILE; a limit equal
 * to the size lets it through. */
static void max_download_size(UINT64 limit, int fails)
{
    struct xfx fx;
    IBackgroundCopyJob *job;
    char hex[65];
    BITS_JOB_PROPERTY_VALUE v;
    int ctx;
    HRESULT code;

    job = one_file(&fx, XM_BITS, NULL, hex);
    if (!job)
        goto out;
    memset(&v, 0, sizeof v);
    v.Uint64 = limit;
    xjob5_set(job, BITS_JOB_PROPERTY_MAX_DOWNLOAD_SIZE, v, "MAX_DOWNLOAD_SIZE");
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    if (!fails) {
        deliver(&fx, job, hex);
        goto out;
    }
    X_STATE("too large", BG_JOB_STATE_ERROR,
            xwait_mask(job, XS_FINAL_ISH, WAIT_MS, NULL));
    X_HR("GetError", S_OK, xjob_error(job, &ctx, &code));
    X_HR("code", BG_E_MAX_DOWNLOAD_SIZE_LIMIT_REACHED, code);
    X_U64("context", BG_ERROR_CONTEXT_REMOTE_FILE, ctx);
    X_TRUE("nothing delivered", !xfx_exists(&fx, "p.bin"));
out:
    xfx_close(&fx);
}
static void max_size_exceeded(void)
{
    max_download_size(1000, 1);
}
static void max_size_equal(void)
{
    max_download_size(PSIZE, 0);
}

/* Spec 7.3: DYNAMIC_CONTENT is not resumable: after a cut the retry
 * starts again at byte 0 (no Range), and the file is right. */
static void dynamic_restart(void)
{
    struct xfx fx;
    IBackgroundCopyJob *job;
    char hex[65];
    BITS_JOB_PROPERTY_VALUE v;

    job = one_file(&fx, XM_BITS,
                   "match path=/p.bin nth=1 action=close after=8192\n", hex);
    if (!job)
        goto out;
    memset(&v, 0, sizeof v);
    v.Enable = TRUE;
    xjob5_set(job, BITS_JOB_PROPERTY_DYNAMIC_CONTENT, v, "DYNAMIC_CONTENT");
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    X_STATE("cut", BG_JOB_STATE_TRANSIENT_ERROR,
            xwait_mask(job, XS_FINAL_ISH, WAIT_MS, NULL));
    xfx_advance(&fx, 601000);
    deliver(&fx, job, hex);
    {
        char *log = mockctl_log(&fx.srv);
        struct xreq r[4];
        int n = log ? xlog_requests(log, "/p.bin", r, 4) : -1;
        X_U64("requests", 2, n);
        for (int i = 0; i < n && i < 4; i++)
            X_STR("no Range for dynamic content", "", r[i].range);
        free(log);
    }
out:
    xfx_close(&fx);
}

/* Spec 8.1: HIGH_PERFORMANCE writes to the destination directly: the
 * local file exists with the right bytes before Complete, no temporary
 * file is used. */
static void high_performance(void)
{
    struct xfx fx;
    IBackgroundCopyJob *job;
    char hex[65], got[65];
    BITS_JOB_PROPERTY_VALUE v;

    if (xfx_open(&fx, XM_BITS, 0) != 0)
        goto out;
    job = xfx_job(&fx);
    if (!job)
        goto out;
    xsrv_file(&fx.srv, "p.bin", PSIZE, 91, hex);
    memset(&v, 0, sizeof v);
    v.Enable = TRUE;
    xjob5_set(job, BITS_JOB_PROPERTY_HIGH_PERFORMANCE, v, "HIGH_PERFORMANCE");
    X_HR("AddFile", S_OK, xfx_add(&fx, job, "p.bin", NULL));
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    X_STATE("transferred", BG_JOB_STATE_TRANSFERRED,
            xwait_mask(job, XS_FINAL_ISH, WAIT_MS, NULL));
    xfx_hash(&fx, "p.bin", got);
    X_STR("in place before Complete", hex, got);
    X_U64("temporary files", 0, xfx_temp_count(&fx));
    X_HR("Complete", S_OK, IBackgroundCopyJob_Complete(job));
    xfx_hash(&fx, "p.bin", got);
    X_STR("after Complete", hex, got);
out:
    xfx_close(&fx);
}

/* Spec 7.5: BG_HTTP_REDIRECT_POLICY_ALLOW_REPORT follows the redirect and
 * updates the file's remote name to the final URL. */
static void redirect_report(void)
{
    struct xfx fx;
    IBackgroundCopyJob *job;
    IBackgroundCopyJobHttpOptions *ho = NULL;
    IBackgroundCopyFile *f = NULL;
    char hex[65], want[256], buf[512];
    LPWSTR name = NULL;

    job = one_file(&fx, XM_BITS,
                   "match path=/p.bin action=redirect code=301 "
                   "location=/q.bin\n",
                   hex);
    if (!job)
        goto out;
    ho = xqi(job, &IID_IBackgroundCopyJobHttpOptions);
    if (ho)
        X_HR("SetSecurityFlags", S_OK,
             IBackgroundCopyJobHttpOptions_SetSecurityFlags(
                 ho, BG_HTTP_REDIRECT_POLICY_ALLOW_REPORT));
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    X_STATE("transferred", BG_JOB_STATE_TRANSFERRED,
            xwait_mask(job, XS_FINAL_ISH, WAIT_MS, NULL));
    f = xjob_file(job, 0);
    if (f && SUCCEEDED(IBackgroundCopyFile_GetRemoteName(f, &name))) {
        snprintf(want, sizeof want, "%s/q.bin", fx.srv.base);
        X_STR("remote name reported", want, xu8(name, buf, sizeof buf));
        CoTaskMemFree(name);
    }
out:
    xrelease(f);
    xrelease(ho);
    xfx_close(&fx);
}

/* Proxy settings applied (spec 7.6): an override proxy that refuses
 * connections → TRANSIENT_ERROR BG_E_CONNECT_FAILURE and nothing reaches
 * the server; the same proxy with the server in the bypass list, and
 * NO_PROXY, go direct. */
static void proxy(BG_JOB_PROXY_USAGE usage, const WCHAR *list,
                  const WCHAR *bypass, int direct)
{
    struct xfx fx;
    IBackgroundCopyJob *job;
    char hex[65];
    int ctx;
    HRESULT code;

    job = one_file(&fx, XM_BITS, NULL, hex);
    if (!job)
        goto out;
    X_HR("SetProxySettings", S_OK,
         IBackgroundCopyJob_SetProxySettings(job, usage, list, bypass));
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    if (direct) {
        deliver(&fx, job, hex);
        goto out;
    }
    X_STATE("proxy refused", BG_JOB_STATE_TRANSIENT_ERROR,
            xwait_mask(job, XS_FINAL_ISH, WAIT_MS, NULL));
    X_HR("GetError", S_OK, xjob_error(job, &ctx, &code));
    X_HR("code", BG_E_CONNECT_FAILURE, code);
    X_U64("context", BG_ERROR_CONTEXT_GENERAL_TRANSPORT, ctx);
    X_U64("nothing reached the server", 0, xsrv_count(&fx.srv, "/p.bin"));
out:
    xfx_close(&fx);
}
static void proxy_override_refused(void)
{
    proxy(BG_JOB_PROXY_USAGE_OVERRIDE, u"127.0.0.1:1", NULL, 0);
}
static void proxy_bypass(void)
{
    proxy(BG_JOB_PROXY_USAGE_OVERRIDE, u"127.0.0.1:1", u"127.0.0.1", 1);
}
static void proxy_none(void)
{
    proxy(BG_JOB_PROXY_USAGE_NO_PROXY, NULL, NULL, 1);
}

/* Spec 8.1 COST_FLAGS: when the simulated network cost (ROAMING) is not
 * in the job's flags, the job waits in TRANSIENT_ERROR with
 * BG_E_BLOCKED_BY_COST_TRANSFER_POLICY (DO: DO_E_…), sends nothing and
 * does not count an error (spec 3.7), context GENERAL_TRANSPORT (DO:
 * NONE) and no file (I8); allowing the cost in COST_FLAGS, or the network
 * cost changing to one the flags allow, lets it transfer ("takes effect
 * immediately"; I8: within 200 ms). */
static void cost_flags(enum xmode mode, int by_network)
{
    struct xfx fx;
    IBackgroundCopyJob *job;
    char hex[65];
    BITS_JOB_PROPERTY_VALUE v;
    ULONG errors = 0xdeadbeef;
    int ctx;
    HRESULT code;

    job = one_file(&fx, mode, NULL, hex);
    if (!job)
        goto out;
    ref_network_set(BITS_COST_STATE_ROAMING, 0);
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    X_STATE("blocked by cost", BG_JOB_STATE_TRANSIENT_ERROR,
            xwait_mask(job, XS_FINAL_ISH, WAIT_MS, NULL));
    X_HR("GetError", S_OK, xjob_error(job, &ctx, &code));
    X_HR("code",
         mode == XM_DO ? DO_E_BLOCKED_BY_COST_TRANSFER_POLICY
                       : BG_E_BLOCKED_BY_COST_TRANSFER_POLICY,
         code);
    X_U64("context (I8)",
          mode == XM_DO ? BG_ERROR_CONTEXT_NONE
                        : BG_ERROR_CONTEXT_GENERAL_TRANSPORT,
          ctx);
    {
        IBackgroundCopyError *err = NULL;
        IBackgroundCopyFile *ef = (void *)0xdeadbeef;
        if (SUCCEEDED(IBackgroundCopyJob_GetError(job, &err))) {
            X_HR("no file for a cost block (I8)",
                 mode == XM_DO ? DO_E_FILE_NOT_AVAILABLE
                               : BG_E_FILE_NOT_AVAILABLE,
                 IBackgroundCopyError_GetFile(err, &ef));
            X_TRUE("NULL file", ef == NULL);
            xrelease(err);
        }
    }
    X_U64("nothing sent", 0, xsrv_count(&fx.srv, "/p.bin"));
    X_HR("GetErrorCount", S_OK, IBackgroundCopyJob_GetErrorCount(job, &errors));
    X_U64("cost blocks are not counted", 0, errors);
    if (by_network) {
        ref_network_reset(); /* back to UNRESTRICTED (main.c) */
    } else {
        memset(&v, 0, sizeof v);
        v.Dword = BITS_COST_STATE_TRANSFER_ALWAYS;
        xjob5_set(job, BITS_JOB_PROPERTY_ID_COST_FLAGS, v, "COST_FLAGS");
    }
    deliver(&fx, job, hex);
out:
    ref_network_reset();
    xfx_close(&fx);
}
static void cost_flags_bits(void)
{
    cost_flags(XM_BITS, 0);
}
static void cost_flags_do(void)
{
    cost_flags(XM_DO, 0);
}
static void cost_network_bits(void)
{
    cost_flags(XM_BITS, 1);
}

CU_TestInfo xfer_tests_props[] = {
    {"HttpOptions custom headers sent", custom_headers},
    {"custom Range and If-Range dropped", custom_range_dropped},
    {"Job2 Basic credentials sent", basic_credentials},
    {"File5 HTTP_RESPONSE_HEADERS", response_headers},
    {"MAX_DOWNLOAD_SIZE exceeded", max_size_exceeded},
    {"MAX_DOWNLOAD_SIZE equal to the size", max_size_equal},
    {"DYNAMIC_CONTENT restarts from zero", dynamic_restart},
    {"HIGH_PERFORMANCE writes in place", high_performance},
    {"redirect ALLOW_REPORT updates the remote name", redirect_report},
    {"proxy override refused", proxy_override_refused},
    {"proxy bypass list", proxy_bypass},
    {"NO_PROXY", proxy_none},
    {"COST_FLAGS vs network cost [bits]", cost_flags_bits},
    {"COST_FLAGS vs network cost [do]", cost_flags_do},
    {"network cost becomes allowed [bits]", cost_network_bits},
    CU_TEST_INFO_NULL,
};
