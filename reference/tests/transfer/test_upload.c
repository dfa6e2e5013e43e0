/*
 * test_upload.c - upload and upload-reply jobs end to end, against
 * h2mock --upload-dir (issue 14 item 3).  Each case makes a BITS upload
 * job through the COM interfaces, runs it on the real engine and checks
 * the job (state, progress, error context and code) and the server: the
 * committed file's SHA-256 from /_mock/uploads, the packets from the
 * request log.  Fault rows are the rules of docs/faults.md "Upload
 * faults".
 */
#include "xfer.h"

#include "ref_test_hooks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define UP_SIZE (9u << 20) /* three fragments of 4, 4 and 1 MiB */

/* xfx_open with a server that also takes uploads into <dir>/srv (and
 * upload-reply sessions under /reply/); host_id: its BITS-Host-Id, or
 * NULL. */
static int up_open_host_fb(struct xfx *fx, const char *host_id,
                           const char *fallback)
{
    static char updir[300];
    const char *args[] = {"--upload-dir", updir, "--upload-reply",
                          "/reply/",      NULL,  NULL,
                          NULL,           NULL,  NULL};
    struct mockctl_opts o = {.args = args};
    char sub[320];

    if (xfx_open(fx, XM_BITS, 0) != 0)
        return -1;
    mockctl_stop(&fx->srv);
    if (host_id) {
        args[4] = "--upload-host-id";
        args[5] = host_id;
    }
    if (host_id && fallback) {
        args[6] = "--upload-host-fallback";
        args[7] = fallback;
    }
    snprintf(updir, sizeof updir, "%s/srv", fx->dir);
    snprintf(sub, sizeof sub, "%s/reply", updir);
    if (mkdir(updir, 0755) != 0 || mkdir(sub, 0755) != 0 ||
        mockctl_start_opts(&fx->srv, &o) != 0) {
        X_TRUE("h2mock --upload-dir started", 0);
        return -1;
    }
    return 0;
}

static int up_open_host(struct xfx *fx, const char *host_id)
{
    return up_open_host_fb(fx, host_id, NULL);
}

static int up_open(struct xfx *fx)
{
    return up_open_host(fx, NULL);
}

/* A local source file <dir>/src.bin of `size` bytes; its SHA-256. */
static void up_source(struct xfx *fx, size_t size, char *hex)
{
    char path[300];
    FILE *f = fopen(xfx_path(fx, "src.bin", path, sizeof path), "wb");

    X_TRUE("source created", f != NULL);
    if (!f)
        return;
    for (size_t i = 0; i < size; i++)
        fputc(xbyte(7, i), f);
    fclose(f);
    X_TRUE("source hashed", xsha_file(path, hex) == 0);
}

/* A tracked job of `type` uploading <dir>/src.bin to <base>/<remote>. */
static IBackgroundCopyJob *up_job(struct xfx *fx, BG_JOB_TYPE type,
                                  const char *remote)
{
    IBackgroundCopyJob *job = NULL;
    GUID id;
    WCHAR name[] = u"up";
    WCHAR *url, *local;
    HRESULT hr;

    hr = IBackgroundCopyManager_CreateJob(fx->mgr, name, type, &id, &job);
    X_HR("CreateJob", S_OK, hr);
    if (FAILED(hr))
        return NULL;
    fx->jobs[fx->njobs++] = job;
    url = xfx_url(fx, remote);
    local = xfx_local(fx, "src.bin");
    X_HR("AddFile", S_OK, IBackgroundCopyJob_AddFile(job, url, local));
    CoTaskMemFree(url);
    CoTaskMemFree(local);
    return job;
}

/* /_mock/uploads lists `path` committed with `hex`. */
static void check_committed(struct xfx *fx, const char *path, const char *hex)
{
    char *json = NULL, want[200];

    snprintf(want, sizeof want,
             "{\"path\":\"%s\",\"size\":%u,\"sha256\":\"%s\"", path, UP_SIZE,
             hex);
    X_TRUE("GET /_mock/uploads",
           mockctl_control(&fx->srv, "GET", "uploads", NULL, &json) == 200);
    if (!json || !strstr(json, want))
        fprintf(stderr, "\n  uploads: %s\n  wanted: %s\n",
                json ? json : "(none)", want);
    X_TRUE(path, json && strstr(json, want));
    free(json);
}

/* How many logged requests carry BITS-Packet-Type `type`. */
static int packets(struct xfx *fx, const char *type)
{
    char *log = mockctl_log(&fx->srv), key[64];
    int n = 0;

    snprintf(key, sizeof key, "\"packet\":\"%s\"", type);
    for (char *p = log; p && (p = strstr(p, key)); p += strlen(key))
        n++;
    free(log);
    return n;
}

/* The upload packets of the request log in order, as "Type@host" (the
 * Host header without its port) separated by blanks, into out. */
static void packet_trail(struct xfx *fx, char *out, size_t n)
{
    char *log = mockctl_log(&fx->srv), *line, *next;
    size_t used = 0;

    out[0] = '\0';
    for (line = log; line && *line; line = next) {
        char *pkt, *host, *end = strchr(line, '\n');
        int plen, hlen;

        next = end ? end + 1 : line + strlen(line);
        if (end)
            *end = '\0';
        pkt = strstr(line, "\"packet\":\"");
        host = strstr(line, "[\"Host\",\"");
        if (!pkt || !host)
            continue;
        pkt += strlen("\"packet\":\"");
        host += strlen("[\"Host\",\"");
        plen = (int)strcspn(pkt, "\"");
        hlen = (int)strcspn(host, ":\"");
        used +=
            (size_t)snprintf(out + used, used < n ? n - used : 0, "%s%.*s@%.*s",
                             used ? " " : "", plen, pkt, hlen, host);
        if (used >= n)
            break;
    }
    free(log);
}

/* The Ping's logged request line: its only BITS header is its type and
 * it has no body (W:ping; decision UP18). */
static void check_ping_headers(struct xfx *fx)
{
    char *log = mockctl_log(&fx->srv), *ping, *line, *end;
    int bits = 0;

    ping = log ? strstr(log, "\"packet\":\"Ping\"") : NULL;
    X_TRUE("Ping logged", ping != NULL);
    if (ping) {
        *ping = '\0';
        line = strrchr(log, '\n');
        line = line ? line + 1 : log;
        end = strchr(line, '\0');
        for (char *p = line; p < end && (p = strstr(p, "[\"BITS-")); p++)
            bits++;
        X_U64("BITS headers on the Ping", 1, bits);
        X_TRUE("BITS-Packet-Type: Ping",
               strstr(line, "[\"BITS-Packet-Type\",\"Ping\"]") != NULL);
        X_TRUE("Content-Length: 0",
               strstr(line, "[\"Content-Length\",\"0\"]") != NULL);
        X_TRUE("BITS_POST", strstr(line, "\"method\":\"BITS_POST\"") != NULL);
    }
    free(log);
}

static void expect_error(const char *ctx, IBackgroundCopyJob *job, int state,
                         int ectx, HRESULT code)
{
    int c = -1;
    HRESULT h = 0;

    X_STATE(ctx, state, xwait_mask(job, XS_FINAL_ISH, xwait_default(), NULL));
    X_HR(ctx, S_OK, xjob_error(job, &c, &h));
    X_U64(ctx, ectx, c);
    X_HR(ctx, code, h);
}

/* Three fragments, Close-Session, TRANSFERRED with the whole file
 * counted; the server holds the same bytes; Complete acknowledges. */
static void upload_whole(void)
{
    struct xfx fx;
    char hex[65];
    IBackgroundCopyJob *job;
    BG_JOB_PROGRESS p;
    struct xseq seq = {0};

    if (up_open(&fx) != 0)
        goto out;
    up_source(&fx, UP_SIZE, hex);
    job = up_job(&fx, BG_JOB_TYPE_UPLOAD, "f.bin");
    if (!job)
        goto out;
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    X_STATE("upload", BG_JOB_STATE_TRANSFERRED,
            xwait_mask(job, XS_FINAL_ISH, xwait_default(), &seq));
    xcheck_seq("upload", &seq, 0);
    p = xjob_progress(job);
    X_U64("BytesTotal", UP_SIZE, p.BytesTotal);
    X_U64("BytesTransferred", UP_SIZE, p.BytesTransferred);
    X_U64("FilesTransferred", 1, p.FilesTransferred);
    check_committed(&fx, "/f.bin", hex);
    X_U64("Create-Session", 1, packets(&fx, "Create-Session"));
    X_U64("Fragment", 3, packets(&fx, "Fragment"));
    X_U64("Close-Session", 1, packets(&fx, "Close-Session"));
    X_HR("Complete", S_OK, IBackgroundCopyJob_Complete(job));
out:
    xfx_close(&fx);
}

/* The source grows while the second fragment's Ack is held back: ERROR
 * with BG_E_LOCAL_FILE_CHANGED, LOCAL_FILE (UP10). */
static void upload_local_file_changed(void)
{
    struct xfx fx;
    char hex[65], path[300];
    IBackgroundCopyJob *job;
    FILE *f;

    if (up_open(&fx) != 0)
        goto out;
    up_source(&fx, UP_SIZE, hex);
    X_U64("rule", 200,
          mockctl_rules(&fx.srv, "match packet=Fragment fragment=1 "
                                 "action=delay ms=800"));
    job = up_job(&fx, BG_JOB_TYPE_UPLOAD, "f.bin");
    if (!job)
        goto out;
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    xsleep_ms(300);
    f = fopen(xfx_path(&fx, "src.bin", path, sizeof path), "ab");
    X_TRUE("append", f && fputc('x', f) != EOF);
    if (f)
        fclose(f);
    expect_error("changed", job, BG_JOB_STATE_ERROR,
                 BG_ERROR_CONTEXT_LOCAL_FILE, BG_E_LOCAL_FILE_CHANGED);
    X_U64("Fragment", 1, packets(&fx, "Fragment"));
out:
    xfx_close(&fx);
}

/* An upload job with its session open (the first of three fragments
 * acknowledged, the second held by the server), resumed with its default
 * MinimumRetryDelay and NoProgressTimeout or, when `timers` is not NULL,
 * with timers[0] and timers[1] seconds.  NULL on failure. */
static IBackgroundCopyJob *cancel_open_session(struct xfx *fx,
                                               const ULONG *timers)
{
    char hex[65];
    IBackgroundCopyJob *job;

    up_source(fx, UP_SIZE, hex);
    X_U64("hold fragment 2", 200,
          mockctl_rules(&fx->srv, "match packet=Fragment fragment=2 "
                                  "action=delay ms=3000"));
    job = up_job(fx, BG_JOB_TYPE_UPLOAD, "f.bin");
    if (!job)
        return NULL;
    if (timers) {
        X_HR("SetMinimumRetryDelay", S_OK,
             IBackgroundCopyJob_SetMinimumRetryDelay(job, timers[0]));
        X_HR("SetNoProgressTimeout", S_OK,
             IBackgroundCopyJob_SetNoProgressTimeout(job, timers[1]));
    }
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    X_TRUE("first fragment acknowledged",
           xwait_bytes(job, 4u << 20, xwait_default()) == 4u << 20);
    return job;
}

/* Cancel during the upload sends Cancel-Session for the session. */
static void cancel_run(const char *host_id)
{
    struct xfx fx;
    char *log, *pkt, *line;
    IBackgroundCopyJob *job;
    int n = 0;

    if (up_open_host(&fx, host_id) != 0 ||
        !(job = cancel_open_session(&fx, NULL)))
        goto out;
    X_HR("Cancel", S_OK, IBackgroundCopyJob_Cancel(job));
    for (int i = 0; i < 100 && (n = packets(&fx, "Cancel-Session")) == 0; i++)
        xsleep_ms(50);
    X_U64("Cancel-Session", 1, n);
    if (host_id && (log = mockctl_log(&fx.srv)) != NULL) {
        pkt = strstr(log, "\"packet\":\"Cancel-Session\"");
        X_TRUE("Cancel-Session logged", pkt != NULL);
        if (pkt) {
            *pkt = '\0';
            line = strrchr(log, '\n');
            X_TRUE("Cancel-Session to the BITS-Host-Id",
                   strstr(line ? line : log, "[\"Host\",\"localhost:") != NULL);
        }
        free(log);
    }
out:
    xfx_close(&fx);
}

static void upload_cancel_session(void)
{
    cancel_run(NULL);
}

/* Cancel-Session goes to the session's BITS-Host-Id like every packet
 * after Create-Session (UP17). */
static void upload_cancel_session_host_id(void)
{
    cancel_run("localhost");
}

/* ---- Cancel-Session resent while the server is unavailable (UP12) ---- */

/* Waits up to 5 s (real) until `n` Cancel-Session packets are logged and
 * `waiting` resends wait for their time; the count logged then. */
static int cancel_settle(struct xfx *fx, int n, unsigned waiting)
{
    int got = 0;

    for (int i = 0; i < 250; i++) {
        got = fx->srv.pid ? packets(fx, "Cancel-Session") : 0;
        if (got >= n && ref_upsched_test_cancels_waiting() == waiting)
            break;
        xsleep_ms(20);
    }
    return got;
}

/* How a cancelled job's Cancel-Session meets a server that cannot take
 * it: `rule` answers it (NULL: the server is stopped before the Cancel
 * and started again on its port after the first wait), the job waits
 * `retry_s` between rounds and gives up after min(24 h, `npt_s`); the
 * clock is moved `rounds` times by `retry_s`, and `sent` Cancel-Session
 * packets in all are expected, none waiting at the end. */
struct cancel_row {
    const char *rule;
    ULONG retry_s, npt_s;
    int rounds;
    int first, sent; /* after the Cancel; in all */
};

static void cancel_resend_run(const struct cancel_row *r)
{
    struct xfx fx;
    struct mockctl_opts o;
    char updir[300];
    const char *args[] = {"--upload-dir", updir, NULL};
    IBackgroundCopyJob *job;
    int port;

    if (up_open(&fx) != 0)
        goto out;
    job = cancel_open_session(&fx, (const ULONG[]){r->retry_s, r->npt_s});
    if (!job)
        goto out;
    port = fx.srv.port;
    if (r->rule)
        X_U64("Cancel-Session rule", 200, mockctl_rules(&fx.srv, r->rule));
    else
        mockctl_stop(&fx.srv); /* the server goes away */
    X_HR("Cancel", S_OK, IBackgroundCopyJob_Cancel(job));
    X_U64("Cancel-Session at once", r->first,
          cancel_settle(&fx, r->first, r->rounds > 0 ? 1 : 0));
    X_U64("resends waiting", r->rounds > 0 ? 1 : 0,
          ref_upsched_test_cancels_waiting());
    if (!r->rule) { /* it comes back on the same port */
        memset(&o, 0, sizeof o);
        o.port = port;
        o.args = args;
        snprintf(updir, sizeof updir, "%s/srv", fx.dir);
        X_TRUE("h2mock back", mockctl_start_opts(&fx.srv, &o) == 0);
    }
    for (int i = 0, seen = r->rule ? r->first : 0; i < r->rounds; i++) {
        /* a round has begun once a packet more is logged, and ended when
         * its resend waits again (or, the last one, when none does) */
        xfx_advance(&fx, (UINT64)r->retry_s * 1000u);
        seen = cancel_settle(&fx, seen + 1, i + 1 < r->rounds ? 1 : 0);
    }
    X_U64("Cancel-Session in all", r->sent, cancel_settle(&fx, r->sent, 0));
    X_U64("none waiting", 0, ref_upsched_test_cancels_waiting());
    xfx_advance(&fx, 48u * 3600u * 1000u); /* and none comes later */
    xsleep_ms(100);
    X_U64("none after giving up", r->sent, packets(&fx, "Cancel-Session"));
out:
    xfx_close(&fx);
}

/* 503 five times: three at once (UP4), then MinimumRetryDelay later two
 * more and the Ack; nothing after the Ack. */
static void cancel_resend_5xx(void)
{
    static const struct cancel_row r = {
        "match packet=Cancel-Session times=5 action=bits-error code=503",
        60,
        1209600,
        1,
        3,
        6};
    cancel_resend_run(&r);
}

/* The server is down at the Cancel (connection refused: one try), back
 * MinimumRetryDelay later: the resend reaches it (it has forgotten the
 * session after its restart and says so, which ends it). */
static void cancel_resend_unreachable(void)
{
    static const struct cancel_row r = {NULL, 60, 1209600, 1, 0, 1};
    cancel_resend_run(&r);
}

/* Always 503, NoProgressTimeout 1500 s, MinimumRetryDelay 600 s: rounds
 * at 0, 600 and 1200 s, three packets each; the next would start past
 * NoProgressTimeout: given up. */
static void cancel_resend_no_progress(void)
{
    static const struct cancel_row r = {
        "match packet=Cancel-Session action=bits-error code=503",
        600,
        1500,
        2,
        3,
        9};
    cancel_resend_run(&r);
}

/* Always 503, the default NoProgressTimeout (14 days), MinimumRetryDelay
 * 7 h: rounds at 0, 7, 14 and 21 h; the next would start past 24 hours:
 * given up although NoProgressTimeout is far away. */
static void cancel_resend_24h(void)
{
    static const struct cancel_row r = {
        "match packet=Cancel-Session action=bits-error code=503",
        7u * 3600u,
        1209600,
        3,
        3,
        12};
    cancel_resend_run(&r);
}

/* NoProgressTimeout 0: the three resends at once and nothing later. */
static void cancel_resend_npt_zero(void)
{
    static const struct cancel_row r = {
        "match packet=Cancel-Session action=bits-error code=503",
        60,
        0,
        0,
        3,
        3};
    cancel_resend_run(&r);
}

/* A job in TRANSIENT_ERROR: past MinimumRetryDelay it finishes in the
 * session it had (one Create-Session in all) with the source's bytes. */
static void retried_in_session(struct xfx *fx, IBackgroundCopyJob *job,
                               const char *label, const char *hex)
{
    xfx_advance(fx, 601000); /* MinimumRetryDelay */
    X_STATE(label, BG_JOB_STATE_TRANSFERRED,
            xwait_mask(job,
                       XS(BG_JOB_STATE_TRANSFERRED) | XS(BG_JOB_STATE_ERROR),
                       xwait_default(), NULL));
    check_committed(fx, "/f.bin", hex);
    X_U64("Create-Session", 1, packets(fx, "Create-Session"));
}

/* The final Ack is lost (the connection closes after its headers): a
 * transport error, TRANSIENT_ERROR; the retry sends the final fragment
 * again in the same session, the server acks it again, TRANSFERRED
 * (UP14). */
static void upload_lost_final_ack(void)
{
    struct xfx fx;
    char hex[65];
    IBackgroundCopyJob *job;

    if (up_open(&fx) != 0)
        goto out;
    up_source(&fx, UP_SIZE, hex);
    X_U64("rule", 200,
          mockctl_rules(&fx.srv, "match packet=Fragment fragment=last nth=1 "
                                 "action=close after=headers"));
    job = up_job(&fx, BG_JOB_TYPE_UPLOAD, "f.bin");
    if (!job)
        goto out;
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    X_STATE("lost Ack", BG_JOB_STATE_TRANSIENT_ERROR,
            xwait_mask(job, XS_FINAL_ISH, xwait_default(), NULL));
    X_U64("offset kept", 8u << 20, xjob_progress(job).BytesTransferred);
    retried_in_session(&fx, job, "retried", hex);
    X_U64("Fragment", 4, packets(&fx, "Fragment"));
out:
    xfx_close(&fx);
}

/* An upload-reply job to /reply/<name>; `rule` chooses the reply.  Runs
 * it to TRANSFERRED and returns the job (NULL on failure). */
static IBackgroundCopyJob2 *reply_run(struct xfx *fx, const char *rule,
                                      size_t size, char *hex)
{
    IBackgroundCopyJob *job;
    IBackgroundCopyJob2 *j2;
    BG_JOB_REPLY_PROGRESS rp;

    up_source(fx, size, hex);
    if (rule)
        X_U64("rule", 200, mockctl_rules(&fx->srv, rule));
    job = up_job(fx, BG_JOB_TYPE_UPLOAD_REPLY, "reply/f.bin");
    if (!job)
        return NULL;
    j2 = xqi(job, &IID_IBackgroundCopyJob2);
    if (!j2)
        return NULL;
    X_HR("GetReplyProgress", S_OK,
         IBackgroundCopyJob2_GetReplyProgress(j2, &rp));
    X_U64("reply total before", BG_SIZE_UNKNOWN, rp.BytesTotal);
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    X_STATE("upload-reply", BG_JOB_STATE_TRANSFERRED,
            xwait_mask(job, XS_FINAL_ISH, xwait_default(), NULL));
    return j2;
}

/* The default reply is the upload's SHA-256 in hex: GetReplyData gives
 * it, GetReplyProgress counts it, the reply was fetched before
 * Close-Session, Complete writes it to the generated reply file beside
 * the local file (UP9, UP11, UP15). */
static void reply_default(void)
{
    struct xfx fx;
    char hex[65], path[300], want[320], name[320], *log;
    IBackgroundCopyJob2 *j2;
    BG_JOB_REPLY_PROGRESS rp;
    BYTE *buf = NULL;
    UINT64 len = 0;
    LPWSTR rname = NULL;
    GUID id;

    if (up_open(&fx) != 0)
        goto out;
    j2 = reply_run(&fx, NULL, 300000, hex);
    if (!j2)
        goto out;
    X_HR("GetReplyProgress", S_OK,
         IBackgroundCopyJob2_GetReplyProgress(j2, &rp));
    X_U64("reply total", 64, rp.BytesTotal);
    X_U64("reply bytes", 64, rp.BytesTransferred);
    X_HR("GetReplyData", S_OK,
         IBackgroundCopyJob2_GetReplyData(j2, &buf, &len));
    X_U64("reply length", 64, len);
    X_TRUE("reply is the SHA-256", buf && memcmp(buf, hex, 64) == 0);
    CoTaskMemFree(buf);
    X_HR("GetId", S_OK, IBackgroundCopyJob2_GetId(j2, &id));
    snprintf(want, sizeof want, "%s.%08X.reply",
             xfx_path(&fx, "src.bin", path, sizeof path), (unsigned)id.Data1);
    X_HR("GetReplyFileName", S_OK,
         IBackgroundCopyJob2_GetReplyFileName(j2, &rname));
    X_STR("reply file", want, rname ? xu8(rname, name, sizeof name) : NULL);
    CoTaskMemFree(rname);
    X_TRUE("no reply file before Complete", access(want, F_OK) != 0);
    X_HR("SetReplyFileName after the reply", BG_E_INVALID_STATE,
         IBackgroundCopyJob2_SetReplyFileName(j2, NULL));
    log = mockctl_log(&fx.srv);
    X_TRUE("reply fetched before Close-Session",
           log && strstr(log, "/_bits/reply/") &&
               strstr(log, "\"packet\":\"Close-Session\"") &&
               strstr(log, "/_bits/reply/") <
                   strstr(log, "\"packet\":\"Close-Session\""));
    free(log);
    X_HR("Complete", S_OK, IBackgroundCopyJob2_Complete(j2));
    X_TRUE("reply file hashed", xsha_file(want, path) == 0);
    {
        char rh[65];
        xsha_buf(hex, 64, rh);
        X_STR("reply file content", rh, path);
    }
    X_HR("GetReplyData after Complete", S_OK,
         IBackgroundCopyJob2_GetReplyData(j2, &buf, &len));
    X_U64("reply length after Complete", 64, len);
    CoTaskMemFree(buf);
    unlink(want);
    xrelease(j2);
out:
    xfx_close(&fx);
}

/* A reply chosen by `body`: GetReplyData answers `hr` with a NULL buffer
 * and `len`; after Complete the reply file holds `len` bytes. */
static void reply_sized(const char *body, HRESULT hr, UINT64 size)
{
    struct xfx fx;
    char hex[65], path[320], rule[160];
    IBackgroundCopyJob2 *j2;
    BYTE *buf = (BYTE *)1;
    UINT64 len = 7;
    LPWSTR rname = NULL;
    struct stat st;

    if (up_open(&fx) != 0)
        goto out;
    snprintf(rule, sizeof rule,
             "match packet=Create-Session action=bits-reply body=%s", body);
    j2 = reply_run(&fx, rule, 1000, hex);
    if (!j2)
        goto out;
    X_HR(body, hr, IBackgroundCopyJob2_GetReplyData(j2, &buf, &len));
    X_TRUE("NULL buffer", buf == NULL);
    X_U64("length", size, len);
    X_HR("Complete", S_OK, IBackgroundCopyJob2_Complete(j2));
    X_HR("GetReplyFileName", S_OK,
         IBackgroundCopyJob2_GetReplyFileName(j2, &rname));
    X_TRUE("reply file size",
           rname && stat(xu8(rname, path, sizeof path), &st) == 0 &&
               (UINT64)st.st_size == size);
    if (rname)
        unlink(path);
    CoTaskMemFree(rname);
    xrelease(j2);
out:
    xfx_close(&fx);
}

/* A reply over 1 MB: BG_E_TOO_LARGE, NULL buffer, the real size (UP15). */
static void reply_too_large(void)
{
    reply_sized("bytes:1500000", BG_E_TOO_LARGE, 1500000);
}

/* A reply of exactly 1 MiB is still returned, byte for byte (UP15). */
static void reply_at_limit(void)
{
    struct xfx fx;
    char hex[65];
    IBackgroundCopyJob2 *j2;
    BYTE *buf = NULL;
    UINT64 len = 0;

    if (up_open(&fx) != 0)
        goto out;
    j2 = reply_run(&fx,
                   "match packet=Create-Session action=bits-reply "
                   "body=bytes:1048576",
                   1000, hex);
    if (!j2)
        goto out;
    X_HR("GetReplyData", S_OK,
         IBackgroundCopyJob2_GetReplyData(j2, &buf, &len));
    X_U64("length", 1048576, len);
    X_TRUE("byte i = i mod 251", buf && buf[0] == 0 && buf[250] == 250 &&
                                     buf[251] == 0 &&
                                     buf[1048575] == 1048575 % 251);
    CoTaskMemFree(buf);
    xrelease(j2);
out:
    xfx_close(&fx);
}

/* An empty reply: S_OK with a NULL buffer; an empty reply file. */
static void reply_empty(void)
{
    reply_sized("empty", S_OK, 0);
}

/* A BITS-Host-Id that does not answer (127.0.0.2: h2mock listens on
 * 127.0.0.1 only) with BITS-Host-Id-Fallback-Timeout 0: the Ping, the
 * first packet after Create-Session, cannot connect: TRANSIENT_ERROR with
 * nothing but Create-Session at the server and no byte sent; the fallback
 * dropped the Host-Id and with it the Ping, so the retry goes on with the
 * Fragments at the job's own host in the same session (UP17, UP18). */
static void upload_host_id_fallback(void)
{
    struct xfx fx;
    char hex[65], trail[512];
    IBackgroundCopyJob *job;
    int ctx = 0;
    HRESULT code = S_OK;

    if (up_open_host_fb(&fx, "127.0.0.2", "0") != 0)
        goto out;
    up_source(&fx, UP_SIZE, hex);
    job = up_job(&fx, BG_JOB_TYPE_UPLOAD, "f.bin");
    if (!job)
        goto out;
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    X_STATE("Host-Id unreachable", BG_JOB_STATE_TRANSIENT_ERROR,
            xwait_mask(job, XS_FINAL_ISH, xwait_default(), NULL));
    X_HR("GetError", S_OK, xjob_error(job, &ctx, &code));
    X_HR("cannot connect", BG_E_CONNECT_FAILURE, code);
    X_U64("no byte acknowledged", 0, xjob_progress(job).BytesTransferred);
    packet_trail(&fx, trail, sizeof trail);
    X_STR("at the server before the failure", "Create-Session@127.0.0.1",
          trail);
    retried_in_session(&fx, job, "fell back", hex);
    packet_trail(&fx, trail, sizeof trail);
    X_STR("after the fallback",
          "Create-Session@127.0.0.1 Fragment@127.0.0.1 Fragment@127.0.0.1 "
          "Fragment@127.0.0.1 Close-Session@127.0.0.1",
          trail);
out:
    xfx_close(&fx);
}

/* ---- every row of docs/faults.md "Upload faults" ---------------------- */

struct fault_row {
    const char *rule;
    int reply; /* an upload-reply job */
    int creds; /* Basic credentials u:p on the job */
    int state; /* where the job ends */
    int ctx;   /* error rows: context and code */
    HRESULT hr;
    const char *packet; /* and how many of these packets were sent */
    int count;
};

static void fault_run(const struct fault_row *r)
{
    struct xfx fx;
    char hex[65];
    IBackgroundCopyJob *job;
    int st;

    if (up_open(&fx) != 0)
        goto out;
    up_source(&fx, UP_SIZE, hex);
    X_U64(r->rule, 200, mockctl_rules(&fx.srv, r->rule));
    job = up_job(&fx, r->reply ? BG_JOB_TYPE_UPLOAD_REPLY : BG_JOB_TYPE_UPLOAD,
                 r->reply ? "reply/f.bin" : "f.bin");
    if (!job)
        goto out;
    if (r->creds) {
        IBackgroundCopyJob2 *j2 = xqi(job, &IID_IBackgroundCopyJob2);
        WCHAR u[] = u"u", pw[] = u"p";
        BG_AUTH_CREDENTIALS c = {
            BG_AUTH_TARGET_SERVER, BG_AUTH_SCHEME_BASIC, {{u, pw}}};
        if (j2) {
            X_HR("SetCredentials", S_OK,
                 IBackgroundCopyJob2_SetCredentials(j2, &c));
            xrelease(j2);
        }
    }
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    if (r->state == BG_JOB_STATE_TRANSFERRED) {
        st = xwait_mask(job, XS_FINAL_ISH, xwait_default(), NULL);
        X_STATE(r->rule, BG_JOB_STATE_TRANSFERRED, st);
        if (st != BG_JOB_STATE_TRANSFERRED)
            xjob_dump(r->rule, job);
        if (!r->reply)
            check_committed(&fx, "/f.bin", hex);
    } else {
        expect_error(r->rule, job, r->state, r->ctx, r->hr);
    }
    if (r->packet)
        X_U64(r->packet, r->count, packets(&fx, r->packet));
out:
    xfx_close(&fx);
}

#define T_OK BG_JOB_STATE_TRANSFERRED, 0, S_OK
#define FATAL(ctx, hr) BG_JOB_STATE_ERROR, BG_ERROR_CONTEXT_##ctx, (HRESULT)(hr)
#define TRANSIENT(ctx, hr)                                                     \
    BG_JOB_STATE_TRANSIENT_ERROR, BG_ERROR_CONTEXT_##ctx, (HRESULT)(hr)
#define FAULT(id, ...)                                                         \
    static const struct fault_row id##_r = {__VA_ARGS__};                      \
    static void id(void)                                                       \
    {                                                                          \
        fault_run(&id##_r);                                                    \
    }

/* Session not found at the second fragment: a new session from byte 0,
 * the job still ends TRANSFERRED with the right bytes (UP3). */
FAULT(fault_session_lost,
      "match packet=Fragment fragment=2 times=1 "
      "action=bits-session-not-found",
      0, 0, T_OK, "Create-Session", 2)
/* The server lost bytes (416 naming offset 1000): the client goes on from
 * exactly there: 0, 4 MiB (416), 1000, 1000 + 4 MiB, 1000 + 8 MiB. */
FAULT(fault_416,
      "match packet=Fragment fragment=2 times=1 action=bits-416 "
      "received=1000",
      0, 0, T_OK, "Fragment", 5)
/* 409 on Create-Session: ERROR, REMOTE_FILE, BG_E_HTTP_ERROR_409 (UP5). */
FAULT(fault_create_409,
      "match packet=Create-Session action=bits-error "
      "code=409",
      0, 0, FATAL(REMOTE_FILE, 0x80190199), NULL, 0)
/* A back end failing with 503 (context 0x7): TRANSIENT_ERROR with
 * REMOTE_APPLICATION (UP5, the back-end table). */
FAULT(fault_backend_503,
      "match packet=Fragment fragment=last "
      "action=bits-backend status=503",
      1, 0, TRANSIENT(REMOTE_APPLICATION, 0x801901F7), NULL, 0)
/* 200 with an offset 100 bytes short of the first fragment's end: the
 * second fragment starts there, the third carries the rest. */
FAULT(fault_short_200,
      "match packet=Fragment fragment=1 action=bits-short "
      "bytes=100",
      0, 0, T_OK, "Fragment", 3)
/* 413 above 1 MiB: 4 MiB and 2 MiB refused, then nine of 1 MiB. */
FAULT(fault_413,
      "match packet=Fragment action=bits-fragment-limit "
      "max=1048576",
      0, 0, T_OK, "Fragment", 11)
/* A 401 challenge the job's Basic credentials answer. */
FAULT(fault_401_answered,
      "match packet=Create-Session action=bits-challenge "
      "code=401 credentials=u:p",
      0, 1, T_OK, "Create-Session", 1)
/* No credentials: the 401 is the job's error. */
FAULT(fault_401_unanswered,
      "match packet=Create-Session "
      "action=bits-challenge code=401",
      0, 0, FATAL(REMOTE_FILE, 0x80190191), NULL, 0)
FAULT(fault_create_403,
      "match packet=Create-Session action=bits-error "
      "code=403",
      0, 0, FATAL(REMOTE_FILE, E_ACCESSDENIED), NULL, 0)
FAULT(fault_create_404,
      "match packet=Create-Session action=bits-error "
      "code=404",
      0, 0, FATAL(REMOTE_FILE, 0x80190194), NULL, 0)
FAULT(fault_no_protocol,
      "match packet=Create-Session "
      "action=bits-no-protocol",
      0, 0, FATAL(REMOTE_FILE, E_INVALIDARG), NULL, 0)
FAULT(fault_disabled, "match packet=Create-Session action=bits-disabled", 0, 0,
      FATAL(REMOTE_FILE, E_ACCESSDENIED), NULL, 0)
FAULT(fault_too_large,
      "match packet=Fragment fragment=1 "
      "action=bits-too-large",
      0, 0, FATAL(REMOTE_FILE, BG_E_TOO_LARGE), NULL, 0)
/* 5xx on Close-Session: sent again (UP4). */
FAULT(fault_close_503,
      "match packet=Close-Session nth=1 action=bits-error "
      "code=503",
      0, 0, T_OK, "Close-Session", 2)
/* 4xx on Close-Session: not sent again; the upload is in place. */
FAULT(fault_close_404,
      "match packet=Close-Session action=bits-error "
      "code=404",
      0, 0, T_OK, "Close-Session", 1)
/* The final Ack held back a second: still one final fragment. */
FAULT(fault_delayed_final,
      "match packet=Fragment fragment=last "
      "action=delay ms=1s",
      0, 0, T_OK, "Fragment", 3)
FAULT(fault_no_reply_url,
      "match packet=Fragment fragment=last "
      "action=bits-no-reply-url",
      1, 0, TRANSIENT(REMOTE_FILE, BG_E_INVALID_SERVER_RESPONSE), NULL, 0)
FAULT(fault_backend_501,
      "match packet=Fragment fragment=last "
      "action=bits-backend status=501",
      1, 0, FATAL(REMOTE_APPLICATION, 0x801901F5), NULL, 0)

/* ---- the Ping to the BITS-Host-Id server (UP17, UP18) ----------------- */

struct ping_row {
    const char *rule; /* on the server naming "localhost", or NULL */
    int state;        /* where the job ends, as fault_row */
    int ctx;
    HRESULT hr;
    int retried;       /* then past MinimumRetryDelay: TRANSFERRED */
    const char *trail; /* the packets the server got, packet_trail */
};

/* The upload job at 127.0.0.1 whose server names "localhost" (the same
 * server by another name, the port kept) as BITS-Host-Id. */
static void ping_run(const struct ping_row *r)
{
    struct xfx fx;
    char hex[65], trail[512];
    IBackgroundCopyJob *job;
    const char *what = r->rule ? r->rule : "host id";

    if (up_open_host(&fx, "localhost") != 0)
        goto out;
    up_source(&fx, UP_SIZE, hex);
    if (r->rule)
        X_U64(r->rule, 200, mockctl_rules(&fx.srv, r->rule));
    job = up_job(&fx, BG_JOB_TYPE_UPLOAD, "f.bin");
    if (!job)
        goto out;
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    if (r->state == BG_JOB_STATE_TRANSFERRED) {
        X_STATE(what, BG_JOB_STATE_TRANSFERRED,
                xwait_mask(job, XS_FINAL_ISH, xwait_default(), NULL));
        check_committed(&fx, "/f.bin", hex);
    } else {
        expect_error(what, job, r->state, r->ctx, r->hr);
    }
    if (r->retried)
        retried_in_session(&fx, job, "retried", hex);
    packet_trail(&fx, trail, sizeof trail);
    X_STR("packets", r->trail, trail);
    check_ping_headers(&fx);
out:
    xfx_close(&fx);
}

#define PING_CASE(id, ...)                                                     \
    static const struct ping_row id##_r = {__VA_ARGS__};                       \
    static void id(void)                                                       \
    {                                                                          \
        ping_run(&id##_r);                                                     \
    }
#define AT_HOST_ID                                                             \
    "Create-Session@127.0.0.1 Ping@localhost Fragment@localhost "              \
    "Fragment@localhost Fragment@localhost Close-Session@localhost"

/* Create-Session at the job's host, then the Ping to the named host, then
 * every later packet there; the server holds the source. */
PING_CASE(upload_host_id, NULL, T_OK, 0, AT_HOST_ID)
/* 403 with BITS-Error-Code 0x80070005 on the Ping: ERROR with that code,
 * REMOTE_FILE, as any packet's error Ack (UP5); no Fragment sent. */
PING_CASE(upload_ping_403, "match packet=Ping action=bits-error code=403",
          FATAL(REMOTE_FILE, E_ACCESSDENIED), 0,
          "Create-Session@127.0.0.1 Ping@localhost")
/* 503 on the Ping: TRANSIENT_ERROR; the retry does not ping again but
 * goes on with the Fragments to the BITS-Host-Id server (UP18). */
PING_CASE(upload_ping_503_retried,
          "match packet=Ping action=bits-error code=503",
          TRANSIENT(REMOTE_FILE, 0x801901F7), 1, AT_HOST_ID)
/* The connection closed before the Ping's answer: a transport failure as
 * any packet's (UP14: BG_E_CONNECTION_CLOSED, transient; the session
 * stays), not the fallback timer's (the host was reached). */
PING_CASE(upload_ping_cut, "match packet=Ping action=close",
          TRANSIENT(GENERAL_TRANSPORT, BG_E_CONNECTION_CLOSED), 0,
          "Create-Session@127.0.0.1 Ping@localhost")

/* An upload-reply job's callbacks: FileTransferred, then JobTransferred,
 * after the reply (UP13). */
static void reply_callbacks(void)
{
    struct xfx fx;
    char hex[65];
    IBackgroundCopyJob *job;
    struct xcb cb;
    BG_JOB_REPLY_PROGRESS rp = {0, 0};
    IBackgroundCopyJob2 *j2;

    xcb_init(&cb, 2);
    if (up_open(&fx) != 0)
        goto out;
    up_source(&fx, 1000, hex);
    job = up_job(&fx, BG_JOB_TYPE_UPLOAD_REPLY, "reply/f.bin");
    if (!job)
        goto out;
    X_HR("SetNotifyInterface", S_OK,
         IBackgroundCopyJob_SetNotifyInterface(job, xcb_unknown(&cb)));
    X_HR("SetNotifyFlags", S_OK,
         IBackgroundCopyJob_SetNotifyFlags(
             job, BG_NOTIFY_JOB_TRANSFERRED | BG_NOTIFY_FILE_TRANSFERRED));
    X_HR("Resume", S_OK, IBackgroundCopyJob_Resume(job));
    X_U64("JobTransferred", 1,
          xcb_wait(&cb, XEV_TRANSFERRED, 1, xwait_default()));
    j2 = xqi(job, &IID_IBackgroundCopyJob2);
    if (j2) {
        IBackgroundCopyJob2_GetReplyProgress(j2, &rp);
        xrelease(j2);
    }
    X_U64("reply fetched by JobTransferred", 64, rp.BytesTransferred);
    pthread_mutex_lock(&cb.mu);
    X_U64("events", 2, cb.nev);
    X_U64("FileTransferred first", XEV_FILE, cb.ev[0].kind);
    X_U64("JobTransferred then", XEV_TRANSFERRED, cb.ev[1].kind);
    pthread_mutex_unlock(&cb.mu);
    X_HR("Complete", S_OK, IBackgroundCopyJob_Complete(job));
out:
    xfx_close(&fx);
    xcb_close(&cb);
    xcb_fini(&cb);
}

CU_TestInfo xfer_tests_upload[] = {
    {"upload: BITS-Host-Id followed", upload_host_id},
    {"upload: BITS-Host-Id unreachable, fallback after the timeout",
     upload_host_id_fallback},
    {"upload fault: 403 on the Ping to the BITS-Host-Id", upload_ping_403},
    {"upload fault: 503 on the Ping, the retry goes on without one",
     upload_ping_503_retried},
    {"upload fault: connection closed on the Ping", upload_ping_cut},
    {"upload fault: session not found, new session", fault_session_lost},
    {"upload fault: 416 names an earlier offset", fault_416},
    {"upload fault: 409 on Create-Session", fault_create_409},
    {"upload fault: back end 503 is transient", fault_backend_503},
    {"upload fault: 200 with a short offset", fault_short_200},
    {"upload fault: 413 over 1 MiB", fault_413},
    {"upload fault: 401 answered", fault_401_answered},
    {"upload fault: 401 unanswered", fault_401_unanswered},
    {"upload fault: 403 on Create-Session", fault_create_403},
    {"upload fault: 404 on Create-Session", fault_create_404},
    {"upload fault: no common protocol", fault_no_protocol},
    {"upload fault: uploads disabled", fault_disabled},
    {"upload fault: too large", fault_too_large},
    {"upload fault: 503 on Close-Session", fault_close_503},
    {"upload fault: 404 on Close-Session", fault_close_404},
    {"upload fault: delayed final Ack", fault_delayed_final},
    {"upload fault: no BITS-Reply-URL", fault_no_reply_url},
    {"upload fault: back end 501", fault_backend_501},
    {"upload-reply: FileTransferred, JobTransferred after the reply",
     reply_callbacks},
    {"upload-reply: SHA-256 reply, data, progress, file", reply_default},
    {"upload-reply: reply over 1 MB", reply_too_large},
    {"upload-reply: reply of exactly 1 MiB", reply_at_limit},
    {"upload-reply: empty reply", reply_empty},
    {"upload: lost final Ack, the final fragment again", upload_lost_final_ack},
    {"upload: three fragments, Close-Session, SHA-256", upload_whole},
    {"upload: local file changed", upload_local_file_changed},
    {"upload: Cancel sends Cancel-Session", upload_cancel_session},
    {"upload: Cancel-Session to the BITS-Host-Id",
     upload_cancel_session_host_id},
    {"upload: Cancel-Session resent after 5xx", cancel_resend_5xx},
    {"upload: Cancel-Session resent when the server is back",
     cancel_resend_unreachable},
    {"upload: Cancel-Session given up after NoProgressTimeout",
     cancel_resend_no_progress},
    {"upload: Cancel-Session given up after 24 hours", cancel_resend_24h},
    {"upload: Cancel-Session, NoProgressTimeout 0", cancel_resend_npt_zero},
    CU_TEST_INFO_NULL,
};
