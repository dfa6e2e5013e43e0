/*
 * suite_uploads.c - upload and upload-reply jobs over the BITS Upload
 * Protocol (issue 14 item 4): one table, one row per behaviour or fault of
 * docs/faults.md "Upload faults".  Each case starts its own h2mock with
 * --upload-dir (nc_mock_start_uploads) and its row's rules, uploads a
 * 3 MiB pattern file (BITS profile: upload types are not DO's), and
 * checks where the job ends: TRANSFERRED with the server's copy equal to
 * the source byte for byte (and, for upload-reply, GetReplyData equal to
 * the SHA-256 the built-in back end answers), or the error's state,
 * context and exact code.  Where the sources leave a point open the row
 * pins the reference's decision (docs/decisions.md UP-series) and is
 * informative.  UPL-017, apart from the table, follows a cancelled job's
 * Cancel-Session to a server that was away.
 */
#include "netcase.h"
#include "platform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UPSIZE (3u << 20)

enum ukind {
    U_OK,        /* TRANSFERRED; the server holds the source */
    U_FATAL,     /* ERROR with context / code */
    U_TRANSIENT, /* TRANSIENT_ERROR with context / code */
};

typedef struct urow {
    const char *rules; /* h2mock rules, NULL for none */
    int reply;         /* upload-reply job to /reply/u.bin */
    enum ukind kind;
    BG_ERROR_CONTEXT ctxv;
    HRESULT hr;
} urow;

#define REQ CONF_REQUIRED
#define INF CONF_INFORMATIVE
#define CTX(x) BG_ERROR_CONTEXT_##x

/* ROWS(X): X(sym, id, method, spec rule, evidence, rules, reply, kind,
 * context, code, expectation) */
#define ROWS(X)                                                                \
    X(WHOLE, "UPL-001", "Resume", "upload-protocol §2, §7.2", REQ, NULL, 0,    \
      U_OK, 0, S_OK,                                                           \
      "upload job of 3 MiB -> TRANSFERRED; the server holds the same bytes")   \
    X(REPLY, "UPL-002", "GetReplyData", "upload-protocol §6.2, §7.5", REQ,     \
      NULL, 1, U_OK, 0, S_OK,                                                  \
      "upload-reply job -> TRANSFERRED; GetReplyData = the back end's reply")  \
    X(NOSESS, "UPL-003", "Resume", "upload-protocol §11.1", REQ,               \
      "match packet=Fragment fragment=1 times=1 "                              \
      "action=bits-session-not-found",                                         \
      0, U_OK, 0, S_OK,                                                        \
      "session not found on a Fragment -> new session -> TRANSFERRED")         \
    X(GAP, "UPL-004", "Resume", "upload-protocol §11.2", REQ,                  \
      "match packet=Fragment fragment=1 times=1 action=bits-416 "              \
      "received=1000",                                                         \
      0, U_OK, 0, S_OK,                                                        \
      "416 naming offset 1000 -> the client goes on from 1000 -> "             \
      "TRANSFERRED")                                                           \
    X(SHORTACK, "UPL-005", "Resume", "upload-protocol §11.3", REQ,             \
      "match packet=Fragment fragment=1 action=bits-short bytes=100", 0, U_OK, \
      0, S_OK, "200 with a short offset -> resent from it")                    \
    X(SHRINK, "UPL-006", "Resume", "upload-protocol §11.5", REQ,               \
      "match packet=Fragment action=bits-fragment-limit max=65536", 0, U_OK,   \
      0, S_OK, "413 over 64 KiB -> smaller fragments -> TRANSFERRED")          \
    X(C403, "UPL-007", "Resume", "upload-protocol §11.7", INF,                 \
      "match packet=Create-Session action=bits-error code=403", 0, U_FATAL,    \
      CTX(REMOTE_FILE), E_ACCESSDENIED,                                        \
      "403 + 0x80070005 on Create-Session -> ERROR, REMOTE_FILE")              \
    X(C409, "UPL-008", "Resume", "upload-protocol §11.7", INF,                 \
      "match packet=Create-Session action=bits-error code=409", 0, U_FATAL,    \
      CTX(REMOTE_FILE), 0x80190199,                                            \
      "409 on Create-Session -> ERROR, BG_E_HTTP_ERROR_409")                   \
    X(NOPROTO, "UPL-009", "Resume", "upload-protocol §11.8", INF,              \
      "match packet=Create-Session action=bits-no-protocol", 0, U_FATAL,       \
      CTX(REMOTE_FILE), E_INVALIDARG,                                          \
      "no common protocol -> ERROR, E_INVALIDARG")                             \
    X(DISABLED, "UPL-010", "Resume", "upload-protocol §11.9", INF,             \
      "match packet=Create-Session action=bits-disabled", 0, U_FATAL,          \
      CTX(REMOTE_FILE), E_ACCESSDENIED,                                        \
      "uploads disabled (501) -> ERROR, E_ACCESSDENIED")                       \
    X(TOOBIG, "UPL-011", "Resume", "upload-protocol §11.10", REQ,              \
      "match packet=Fragment fragment=1 action=bits-too-large", 0, U_FATAL,    \
      CTX(REMOTE_FILE), BG_E_TOO_LARGE, "BG_E_TOO_LARGE -> ERROR")             \
    X(CLOSE5XX, "UPL-012", "Resume", "upload-protocol §11.11", REQ,            \
      "match packet=Close-Session nth=1 action=bits-error code=503", 0, U_OK,  \
      0, S_OK, "503 on Close-Session -> Close-Session again -> TRANSFERRED")   \
    X(NOURL, "UPL-013", "Resume", "upload-protocol §11.13", INF,               \
      "match packet=Fragment fragment=last action=bits-no-reply-url", 1,       \
      U_TRANSIENT, CTX(REMOTE_FILE), BG_E_INVALID_SERVER_RESPONSE,             \
      "upload-reply final Ack without BITS-Reply-URL -> an error")             \
    X(BACK503, "UPL-014", "Resume", "upload-protocol §6.1, §11.14", REQ,       \
      "match packet=Fragment fragment=last action=bits-backend status=503", 1, \
      U_TRANSIENT, CTX(REMOTE_APPLICATION), 0x801901F7,                        \
      "back end 503 -> TRANSIENT_ERROR, REMOTE_APPLICATION")                   \
    X(BACK501, "UPL-015", "Resume", "upload-protocol §6.1, §11.14", REQ,       \
      "match packet=Fragment fragment=last action=bits-backend status=501", 1, \
      U_FATAL, CTX(REMOTE_APPLICATION), 0x801901F5,                            \
      "back end 501 -> ERROR, REMOTE_APPLICATION")

enum {
#define ENUM_ROW(sym, ...) sym,
    ROWS(ENUM_ROW)
#undef ENUM_ROW
        NROWS
};

static const urow rows[] = {
#define UROW(sym, id, m, rule, ev, rules_, reply_, kind_, ctx_, hr_, x)        \
    [sym] = {.rules = rules_,                                                  \
             .reply = reply_,                                                  \
             .kind = kind_,                                                    \
             .ctxv = ctx_,                                                     \
             .hr = (HRESULT)(hr_)},
    ROWS(UROW)
#undef UROW
};

/* <tmpdir>/src.bin of UPSIZE pattern bytes; returns them. */
static uint8_t *make_source(conf_ctx *ctx, uint32_t seed)
{
    uint8_t *data = conf_alloc(ctx, UPSIZE);
    FILE *f = fopen(nc_local8(ctx, "src.bin"), "wb");
    nc_pattern(data, UPSIZE, seed);
    if (!f || fwrite(data, 1, UPSIZE, f) != UPSIZE)
        conf_fail(ctx, "docts: cannot write the upload's source");
    fclose(f);
    return data;
}

/* A tracked job of TYPE uploading src.bin to PATH on M, MinimumRetryDelay
 * RETRY_S. */
static IBackgroundCopyJob *upload_job(conf_ctx *ctx, nc_mock *m,
                                      BG_JOB_TYPE type, const char *path,
                                      ULONG retry_s)
{
    IBackgroundCopyJob *job = NULL;
    GUID id;

    CONF_EXPECT_HR(ctx,
                   IBackgroundCopyManager_CreateJob(ctx->mgr, u"docts-upload",
                                                    type, &id, &job),
                   S_OK);
    conf_track_job(ctx, job);
    CONF_EXPECT_HR(
        ctx,
        IBackgroundCopyJob_AddFile(job, nc_url(ctx, m, path),
                                   conf_w(ctx, nc_local8(ctx, "src.bin"))),
        S_OK);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_SetMinimumRetryDelay(job, retry_s),
                   S_OK);
    return job;
}

static void upload_case(conf_ctx *ctx, const conf_case *c)
{
    const urow *row = &rows[c->arg];
    char hex[65];
    nc_mock *m = nc_mock_start_uploads(ctx, row->rules);
    uint8_t *data = make_source(ctx, 300u + (uint32_t)c->arg);
    const char *path = row->reply ? "/reply/u.bin" : "/u.bin";

    IBackgroundCopyJob *job = upload_job(
        ctx, m, row->reply ? BG_JOB_TYPE_UPLOAD_REPLY : BG_JOB_TYPE_UPLOAD,
        path, 5);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Resume(job), S_OK);
    unsigned done = (1u << BG_JOB_STATE_TRANSFERRED) |
                    (1u << BG_JOB_STATE_ERROR) |
                    (1u << BG_JOB_STATE_TRANSIENT_ERROR);
    BG_JOB_STATE st = nc_wait(ctx, job, done, 30000, 0, NULL);
    if (row->kind != U_OK) {
        CONF_EXPECT_STATE(ctx, st,
                          row->kind == U_FATAL ? BG_JOB_STATE_ERROR
                                               : BG_JOB_STATE_TRANSIENT_ERROR);
        nc_expect_error(ctx, job, row->ctxv, row->hr, 0);
        return;
    }
    CONF_EXPECT_STATE(ctx, st, BG_JOB_STATE_TRANSFERRED);
    BG_JOB_PROGRESS p = nc_progress(ctx, job);
    CONF_EXPECT_U(ctx, p.BytesTotal, UPSIZE);
    CONF_EXPECT_U(ctx, p.BytesTransferred, UPSIZE);
    CONF_EXPECT_U(ctx, p.FilesTransferred, 1);
    size_t got = 0;
    uint8_t *server =
        nc_read_local(ctx, row->reply ? "up/reply/u.bin" : "up/u.bin", &got);
    CONF_EXPECT_U(ctx, got, UPSIZE);
    CONF_EXPECT_TRUE(ctx, server && memcmp(server, data, UPSIZE) == 0,
                     "the server's copy equals the source", "the bytes differ");
    if (row->reply) {
        IBackgroundCopyJob2 *j2 = NULL;
        BYTE *buf = NULL;
        UINT64 len = 0;
        CONF_EXPECT_HR(ctx,
                       IBackgroundCopyJob_QueryInterface(
                           job, &IID_IBackgroundCopyJob2, (void **)&j2),
                       S_OK);
        conf_defer_release(ctx, (IUnknown *)j2);
        CONF_EXPECT_HR(ctx, IBackgroundCopyJob2_GetReplyData(j2, &buf, &len),
                       S_OK);
        nc_sha256_hex(data, UPSIZE, hex);
        CONF_EXPECT_U(ctx, len, 64);
        CONF_EXPECT_TRUE(ctx, buf && memcmp(buf, hex, 64) == 0,
                         "the reply is the upload's SHA-256", "another reply");
        CoTaskMemFree(buf);
    }
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Complete(job), S_OK);
}

/* UPL-017: Cancel of an upload job while its server is away.  The job's
 * session is open (Create-Session acknowledged, the Fragment held by the
 * server), the server stops, the job is cancelled, the server comes back
 * on its port: within the 24 hours the Cancel page gives, with the test
 * clock moved a MinimumRetryDelay at a time, a Cancel-Session reaches it
 * (the restarted server has forgotten the session; that answer ends it). */
static void cancel_resend_case(conf_ctx *ctx, const conf_case *c)
{
    IBackgroundCopyJob *job;
    BG_JOB_STATE st;
    nc_mock *m = nc_mock_start_uploads(
        ctx, "match packet=Fragment action=delay ms=30000");
    nc_req *r;
    size_t n = 0;
    uint64_t until;
    unsigned moved = 0;

    (void)c;
    make_source(ctx, 317u);
    job = upload_job(ctx, m, BG_JOB_TYPE_UPLOAD, "/u.bin", 60);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Resume(job), S_OK);
    until = conf_plat_now_ms() + 20000;
    do { /* an implementation that fails the job will not open one */
        nc_nap(20);
        r = nc_log(ctx, m, &n);
    } while (nc_log_packets(r, n, "Create-Session") == 0 &&
             nc_state(ctx, job) != BG_JOB_STATE_ERROR &&
             conf_plat_now_ms() < until);
    CONF_EXPECT_U(ctx, nc_log_packets(r, n, "Create-Session"), 1);
    nc_mock_stop(m); /* the session is open; the server goes away */
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Cancel(job), S_OK);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetState(job, &st), S_OK);
    CONF_EXPECT_STATE(ctx, st, BG_JOB_STATE_CANCELLED);
    nc_mock_restart(ctx, m, NULL);
    /* with a test clock: up to 24 h of it, a retry delay at a time;
     * with --slow: a retry delay of real time and a margin */
    until = conf_plat_now_ms() + 90000;
    do {
        nc_advance(ctx, 60000);
        moved++;
        nc_nap(ctx->clock ? 5 : 20);
        r = nc_log(ctx, m, &n);
    } while (nc_log_packets(r, n, "Cancel-Session") == 0 &&
             (ctx->clock ? moved < 24u * 60u : conf_plat_now_ms() < until));
    CONF_EXPECT_TRUE(ctx, nc_log_packets(r, n, "Cancel-Session") >= 1,
                     "Cancel-Session reached the server when it came back",
                     nc_log_text(ctx, r, n));
}

/* ---- the case table ----------------------------------------------------- */

static const conf_case cases[] = {
#define CASE_ROW(sym, id_, m_, rule_, ev_, rules_, reply_, kind_, ctx_, hr_,   \
                 x_)                                                           \
    {.id = id_,                                                                \
     .iface = "IBackgroundCopyJob",                                            \
     .method = m_,                                                             \
     .rule = rule_,                                                            \
     .profiles = CONF_P_BITS,                                                  \
     .evidence = ev_,                                                          \
     .setup = CONF_SETUP_MANAGER,                                              \
     .expect = x_,                                                             \
     .run = upload_case,                                                       \
     .arg = sym,                                                               \
     .timeout_s = 45},
    ROWS(CASE_ROW)
#undef CASE_ROW
        {.id = "UPL-017",
         .iface = "IBackgroundCopyJob",
         .method = "Cancel",
         .rule = "upload-protocol §2.5",
         .profiles = CONF_P_BITS,
         .evidence = REQ,
         .setup = CONF_SETUP_MANAGER,
         .expect =
             "Cancel while the server is away -> CANCELLED; Cancel-Session "
             "sent again until the server is back (up to 24 h)",
         .run = cancel_resend_case,
         .timeout_s = 150,
         .needs = CONF_NEEDS_CLOCK},
};

const conf_suite conf_suite_uploads = {
    .name = "uploads",
    .title = "upload and upload-reply jobs over the BITS Upload Protocol: "
             "fragments, resume, 413, lost sessions, errors and their "
             "contexts, replies",
    .cases = cases,
    .ncases = CONF_ARRAY_LEN(cases),
};
