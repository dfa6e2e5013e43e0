/*
 * suite_uploads.c - upload and upload-reply jobs over the BITS Upload
 * Protocol (issue 14 item 4): one table, one row per behaviour or fault of
 * docs/faults.md "Upload faults".  Each case starts its own h2mock with
 * --upload-dir (nc_mock_start_uploads) and its row's rules, uploads a
 * 3 MiB pattern file (BITS profile: upload types are not DO's), and
 * checks where the job ends: TRANSFERRED with the server's copy equal to
 * the source byte for byte (and, for upload-reply, GetReplyData equal to
 * the SHA-256 the built-in back end answers), or the error's state,
 * context and exact code; with a BITS-Host-Id (UPL-016), the packets the
 * server logged after Create-Session.  Where the sources leave a point open
 * the row pins the reference's decision (docs/decisions.md UP-series) and
 * is informative.  UPL-017, UPL-024 and UPL-025, apart from the table,
 * follow a cancelled job's Cancel-Session to a server that was away or
 * answers 5xx or 4xx.
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
    U_RETRIED,   /* TRANSIENT_ERROR with context / code, then after the
                    retry delay TRANSFERRED as U_OK */
    U_HOST_ID,   /* as U_OK, the server naming HOST_ID as BITS-Host-Id:
                    after Create-Session a Ping, then every packet there */
};

/* The BITS-Host-Id of U_HOST_ID rows: the server itself by another name
 * (the port is kept), so its log shows where each packet went. */
#define HOST_ID "localhost"

/* How the job is made: an upload or upload-reply job, with or without
 * the Basic credentials u:p for the server. */
enum { J_UP, J_REPLY, J_CREDS };

typedef struct urow {
    const char *rules; /* h2mock rules, NULL for none */
    int reply;         /* upload-reply job to /reply/u.bin */
    int creds;         /* Basic u:p on the job (IBackgroundCopyJob2) */
    enum ukind kind;
    BG_ERROR_CONTEXT ctxv;
    HRESULT hr;
    const char *packet; /* with count: how many of these packets the */
    unsigned count;     /* server saw, exactly (NULL: not counted) */
} urow;

#define REQ CONF_REQUIRED
#define INF CONF_INFORMATIVE
#define CTX(x) BG_ERROR_CONTEXT_##x

/* ROWS(X): X(sym, id, method, spec rule, evidence, rules, job (J_*), kind,
 * context, code, packet counted, its count, expectation) */
#define ROWS(X)                                                                \
    X(WHOLE, "UPL-001", "Resume", "upload-protocol §2, §7.2", REQ, NULL, J_UP, \
      U_OK, 0, S_OK, NULL, 0,                                                  \
      "upload job of 3 MiB -> TRANSFERRED; the server holds the same bytes")   \
    X(REPLY, "UPL-002", "GetReplyData", "upload-protocol §6.2, §7.5", REQ,     \
      NULL, J_REPLY, U_OK, 0, S_OK, NULL, 0,                                   \
      "upload-reply job -> TRANSFERRED; GetReplyData = the back end's reply")  \
    X(NOSESS, "UPL-003", "Resume", "upload-protocol §11.1", REQ,               \
      "match packet=Fragment fragment=1 times=1 "                              \
      "action=bits-session-not-found",                                         \
      J_UP, U_OK, 0, S_OK, NULL, 0,                                            \
      "session not found on a Fragment -> new session -> TRANSFERRED")         \
    X(GAP, "UPL-004", "Resume", "upload-protocol §11.2", REQ,                  \
      "match packet=Fragment fragment=1 times=1 action=bits-416 "              \
      "received=1000",                                                         \
      J_UP, U_OK, 0, S_OK, NULL, 0,                                            \
      "416 naming offset 1000 -> the client goes on from 1000 -> "             \
      "TRANSFERRED")                                                           \
    X(SHORTACK, "UPL-005", "Resume", "upload-protocol §11.3", REQ,             \
      "match packet=Fragment fragment=1 action=bits-short bytes=100", J_UP,    \
      U_OK, 0, S_OK, NULL, 0, "200 with a short offset -> resent from it")     \
    X(SHRINK, "UPL-006", "Resume", "upload-protocol §11.5", REQ,               \
      "match packet=Fragment action=bits-fragment-limit max=65536", J_UP,      \
      U_OK, 0, S_OK, NULL, 0,                                                  \
      "413 over 64 KiB -> smaller fragments -> TRANSFERRED")                   \
    X(C403, "UPL-007", "Resume", "upload-protocol §11.7", INF,                 \
      "match packet=Create-Session action=bits-error code=403", J_UP, U_FATAL, \
      CTX(REMOTE_FILE), E_ACCESSDENIED, NULL, 0,                               \
      "403 + 0x80070005 on Create-Session -> ERROR, REMOTE_FILE")              \
    X(C409, "UPL-008", "Resume", "upload-protocol §11.7", INF,                 \
      "match packet=Create-Session action=bits-error code=409", J_UP, U_FATAL, \
      CTX(REMOTE_FILE), 0x80190199, NULL, 0,                                   \
      "409 on Create-Session -> ERROR, BG_E_HTTP_ERROR_409")                   \
    X(NOPROTO, "UPL-009", "Resume", "upload-protocol §11.8", INF,              \
      "match packet=Create-Session action=bits-no-protocol", J_UP, U_FATAL,    \
      CTX(REMOTE_FILE), E_INVALIDARG, NULL, 0,                                 \
      "no common protocol -> ERROR, E_INVALIDARG")                             \
    X(DISABLED, "UPL-010", "Resume", "upload-protocol §11.9", INF,             \
      "match packet=Create-Session action=bits-disabled", J_UP, U_FATAL,       \
      CTX(REMOTE_FILE), E_ACCESSDENIED, NULL, 0,                               \
      "uploads disabled (501) -> ERROR, E_ACCESSDENIED")                       \
    X(TOOBIG, "UPL-011", "Resume", "upload-protocol §11.10", REQ,              \
      "match packet=Fragment fragment=1 action=bits-too-large", J_UP, U_FATAL, \
      CTX(REMOTE_FILE), BG_E_TOO_LARGE, NULL, 0, "BG_E_TOO_LARGE -> ERROR")    \
    X(CLOSE5XX, "UPL-012", "Resume", "upload-protocol §11.11", REQ,            \
      "match packet=Close-Session nth=1 action=bits-error code=503", J_UP,     \
      U_OK, 0, S_OK, "Close-Session", 2,                                       \
      "503 on Close-Session -> Close-Session again -> TRANSFERRED")            \
    X(NOURL, "UPL-013", "Resume", "upload-protocol §11.13", INF,               \
      "match packet=Fragment fragment=last action=bits-no-reply-url", J_REPLY, \
      U_TRANSIENT, CTX(REMOTE_FILE), BG_E_INVALID_SERVER_RESPONSE, NULL, 0,    \
      "upload-reply final Ack without BITS-Reply-URL -> an error")             \
    X(BACK503, "UPL-014", "Resume", "upload-protocol §6.1, §11.14", REQ,       \
      "match packet=Fragment fragment=last action=bits-backend status=503",    \
      J_REPLY, U_TRANSIENT, CTX(REMOTE_APPLICATION), 0x801901F7, NULL, 0,      \
      "back end 503 -> TRANSIENT_ERROR, REMOTE_APPLICATION")                   \
    X(BACK501, "UPL-015", "Resume", "upload-protocol §6.1, §11.14", REQ,       \
      "match packet=Fragment fragment=last action=bits-backend status=501",    \
      J_REPLY, U_FATAL, CTX(REMOTE_APPLICATION), 0x801901F5, NULL, 0,          \
      "back end 501 -> ERROR, REMOTE_APPLICATION")                             \
    X(HOSTID, "UPL-016", "Resume", "upload-protocol §2.1, §3.2, §11.16", REQ,  \
      NULL, J_UP, U_HOST_ID, 0, S_OK, NULL, 0,                                 \
      "BITS-Host-Id: Ping then Fragments to the named host")                   \
    X(AUTH401, "UPL-018", "Resume", "upload-protocol §11.6", REQ,              \
      "match packet=Create-Session action=bits-challenge code=401 "            \
      "credentials=u:p",                                                       \
      J_CREDS, U_OK, 0, S_OK, NULL, 0,                                         \
      "401 challenge, the job has Basic credentials u:p -> answered -> "       \
      "TRANSFERRED")                                                           \
    X(NOAUTH401, "UPL-019", "Resume", "upload-protocol §11.6", INF,            \
      "match packet=Create-Session action=bits-challenge code=401", J_UP,      \
      U_FATAL, CTX(REMOTE_FILE), 0x80190191, NULL, 0,                          \
      "401 challenge, no credentials -> ERROR, BG_E_HTTP_ERROR_401")           \
    X(C404, "UPL-020", "Resume", "upload-protocol §11.7", INF,                 \
      "match packet=Create-Session action=bits-error code=404", J_UP, U_FATAL, \
      CTX(REMOTE_FILE), 0x80190194, NULL, 0,                                   \
      "404 on Create-Session -> ERROR, BG_E_HTTP_ERROR_404")                   \
    X(CLOSE4XX, "UPL-021", "Resume", "upload-protocol §11.11", REQ,            \
      "match packet=Close-Session action=bits-error code=404", J_UP, U_OK, 0,  \
      S_OK, "Close-Session", 1,                                                \
      "404 on Close-Session -> not sent again; the upload is in place")        \
    X(SLOWACK, "UPL-022", "Resume", "upload-protocol §11.12", REQ,             \
      "match packet=Fragment fragment=last action=delay ms=2s", J_UP, U_OK, 0, \
      S_OK, NULL, 0, "final Ack 2 s late -> TRANSFERRED")                      \
    X(LOSTACK, "UPL-023", "Resume", "upload-protocol §11.15", REQ,             \
      "match packet=Fragment fragment=last nth=1 action=close after=headers",  \
      J_UP, U_RETRIED, 0, S_OK, NULL, 0,                                       \
      "final Ack lost (connection closed) -> the final fragment sent again "   \
      "(after the retry delay) -> TRANSFERRED")

enum {
#define ENUM_ROW(sym, ...) sym,
    ROWS(ENUM_ROW)
#undef ENUM_ROW
        NROWS
};

static const urow rows[] = {
#define UROW(sym, id, m, rule, ev, rules_, job_, kind_, ctx_, hr_, pkt_, n_,   \
             x)                                                                \
    [sym] = {.rules = rules_,                                                  \
             .reply = (job_) == J_REPLY,                                       \
             .creds = (job_) == J_CREDS,                                       \
             .kind = kind_,                                                    \
             .ctxv = ctx_,                                                     \
             .hr = (HRESULT)(hr_),                                             \
             .packet = pkt_,                                                   \
             .count = n_},
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

/* "Type@host" of every upload packet in R[0..N) for messages. */
static const char *trail_text(conf_ctx *ctx, const nc_req *r, size_t n)
{
    size_t cap = 64 + n * 160, o = 0;
    char *t = conf_alloc(ctx, cap);
    t[0] = '\0';
    for (size_t i = 0; i < n; i++)
        if (r[i].packet[0] && o < cap)
            o += (size_t)snprintf(t + o, cap - o, "%s%s@%s", o ? " " : "",
                                  r[i].packet, r[i].host);
    return t;
}

/* HOST ("name:port") names HOST_ID. */
static bool at_host_id(const char *host)
{
    size_t n = strlen(HOST_ID);
    return !strncmp(host, HOST_ID, n) && (host[n] == ':' || !host[n]);
}

/* The packets of the last session: the one right after Create-Session is
 * a Ping, and it and every later packet (Fragments, Close-Session) went to
 * the BITS-Host-Id host (MC-BUP §3.1.5.1.2, §3.1.5.2.2; W:ack-for-create-
 * session).  Packets before Create-Session are not looked at. */
static void expect_host_id_trail(conf_ctx *ctx, nc_mock *m)
{
    size_t n = 0, create = (size_t)-1, frags = 0;
    nc_req *r = NULL;
    /* the last line is written once its exchange ended */
    for (int i = 0; i < 150; i++) {
        r = nc_log(ctx, m, &n);
        if (n && !strcmp(r[n - 1].packet, "Close-Session"))
            break;
        nc_nap(20);
    }
    for (size_t i = 0; i < n; i++)
        if (!strcmp(r[i].packet, "Create-Session"))
            create = i;
    bool ok = create != (size_t)-1 && create + 1 < n &&
              !strcmp(r[create + 1].packet, "Ping") &&
              !strcmp(r[n - 1].packet, "Close-Session");
    for (size_t i = create + 1; ok && i < n; i++) {
        if (!r[i].packet[0])
            continue; /* a reply GET, none here */
        ok = at_host_id(r[i].host);
        frags += !strcmp(r[i].packet, "Fragment");
    }
    CONF_EXPECT_TRUE(ctx, ok && frags > 0,
                     "Create-Session, then Ping, Fragments and Close-Session "
                     "at " HOST_ID,
                     trail_text(ctx, r, n));
}

/* Basic credentials u:p for the server on JOB (IBackgroundCopyJob2). */
static void set_basic_creds(conf_ctx *ctx, IBackgroundCopyJob *job)
{
    IBackgroundCopyJob2 *j2 = NULL;
    BG_AUTH_CREDENTIALS cred;

    CONF_EXPECT_HR(ctx,
                   IBackgroundCopyJob_QueryInterface(
                       job, &IID_IBackgroundCopyJob2, (void **)&j2),
                   S_OK);
    conf_defer_release(ctx, (IUnknown *)j2);
    cred = nc_basic_cred(ctx, "u", "p");
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob2_SetCredentials(j2, &cred), S_OK);
}

static void upload_case(conf_ctx *ctx, const conf_case *c)
{
    const urow *row = &rows[c->arg];
    char hex[65];
    nc_mock *m = row->kind == U_HOST_ID
                     ? nc_mock_start_uploads_host(ctx, row->rules, HOST_ID)
                     : nc_mock_start_uploads(ctx, row->rules);
    uint8_t *data = make_source(ctx, 300u + (uint32_t)c->arg);
    const char *path = row->reply ? "/reply/u.bin" : "/u.bin";

    IBackgroundCopyJob *job = upload_job(
        ctx, m, row->reply ? BG_JOB_TYPE_UPLOAD_REPLY : BG_JOB_TYPE_UPLOAD,
        path, 5);
    if (row->creds)
        set_basic_creds(ctx, job);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Resume(job), S_OK);
    unsigned done = (1u << BG_JOB_STATE_TRANSFERRED) |
                    (1u << BG_JOB_STATE_ERROR) |
                    (1u << BG_JOB_STATE_TRANSIENT_ERROR);
    /* U_RETRIED: through any TRANSIENT_ERROR, the test clock moved on so
     * the retry delay passes (real time without one: 5 s) */
    BG_JOB_STATE st =
        row->kind == U_RETRIED
            ? nc_wait(ctx, job, done & ~(1u << BG_JOB_STATE_TRANSIENT_ERROR),
                      30000, 1000, NULL)
            : nc_wait(ctx, job, done, 30000, 0, NULL);
    /* an error row must fail on the upload protocol's answer, not on
     * another request that happens to meet the same status */
    size_t nlog = 0;
    nc_req *log = nc_log(ctx, m, &nlog);
    CONF_EXPECT_TRUE(ctx, nc_log_packets(log, nlog, "Create-Session") >= 1,
                     "a Create-Session reached the server",
                     nc_log_text(ctx, log, nlog));
    if (row->kind == U_FATAL || row->kind == U_TRANSIENT) {
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
    if (row->packet) {
        size_t n = 0;
        nc_req *r = nc_log(ctx, m, &n);
        CONF_EXPECT_U(ctx, nc_log_packets(r, n, row->packet), row->count);
    }
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
    if (row->kind == U_HOST_ID)
        expect_host_id_trail(ctx, m);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Complete(job), S_OK);
}

/* ---- Cancel-Session (UPL-017, UPL-024, UPL-025) ------------------------- */

/* How the server meets a cancelled job's Cancel-Session. */
enum cancel_kind {
    CANCEL_AWAY, /* stopped before the Cancel, back on its port after */
    CANCEL_5XX,  /* the first one answered 503 */
    CANCEL_4XX,  /* every one answered 404 */
};

/* Moves the test clock on (real time with --slow) until the server has
 * logged `want` Cancel-Session packets or 24 hours of the clock went by
 * (a minute a step for half an hour, then an hour a step); their count. */
static size_t cancel_wait(conf_ctx *ctx, nc_mock *m, size_t want)
{
    uint64_t until = conf_plat_now_ms() + 90000, moved_s = 0;
    size_t n = 0, got;

    do {
        unsigned step_s = moved_s < 1800 ? 60 : 3600;
        nc_advance(ctx, step_s * 1000u);
        moved_s += step_s;
        nc_nap(ctx->clock ? 5 : 20);
        got = nc_log_packets(nc_log(ctx, m, &n), n, "Cancel-Session");
    } while (got < want &&
             (ctx->clock ? moved_s < 24u * 3600u : conf_plat_now_ms() < until));
    return got;
}

/* An upload job whose session is open (Create-Session acknowledged, the
 * Fragment held by the server) is cancelled; then, by c->arg: a server
 * that was away gets a Cancel-Session once it is back within the 24 hours
 * the Cancel page gives; a 503 is answered by one more Cancel-Session; a
 * 404 by none (W:ack-for-cancel-session). */
static void cancel_case(conf_ctx *ctx, const conf_case *c)
{
    static const char *const rules[] = {
        [CANCEL_AWAY] = "match packet=Fragment action=delay ms=30000",
        [CANCEL_5XX] = "match packet=Fragment action=delay ms=30000\n"
                       "match packet=Cancel-Session times=1 action=bits-error "
                       "code=503",
        [CANCEL_4XX] = "match packet=Fragment action=delay ms=30000\n"
                       "match packet=Cancel-Session action=bits-error "
                       "code=404",
    };
    IBackgroundCopyJob *job;
    BG_JOB_STATE st;
    nc_mock *m = nc_mock_start_uploads(ctx, rules[c->arg]);
    nc_req *r;
    size_t n = 0;
    uint64_t until;

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
    if (c->arg == CANCEL_AWAY)
        nc_mock_stop(m); /* the session is open; the server goes away */
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Cancel(job), S_OK);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetState(job, &st), S_OK);
    CONF_EXPECT_STATE(ctx, st, BG_JOB_STATE_CANCELLED);
    switch (c->arg) {
    case CANCEL_AWAY:
        nc_mock_restart(ctx, m, NULL);
        CONF_EXPECT_TRUE(ctx, cancel_wait(ctx, m, 1) >= 1,
                         "Cancel-Session reached the server when it came back",
                         nc_log_text(ctx, nc_log(ctx, m, &n), n));
        break;
    case CANCEL_5XX: /* the second is answered; no third */
        CONF_EXPECT_U(ctx, cancel_wait(ctx, m, 3), 2);
        break;
    default: /* never sent again */
        CONF_EXPECT_U(ctx, cancel_wait(ctx, m, 2), 1);
        break;
    }
}

/* ---- the case table ----------------------------------------------------- */

static const conf_case cases[] = {
#define CASE_ROW(sym, id_, m_, rule_, ev_, rules_, job_, kind_, ctx_, hr_,     \
                 pkt_, n_, x_)                                                 \
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
     .timeout_s = 45,                                                          \
     .needs = (kind_) == U_RETRIED ? CONF_NEEDS_CLOCK : 0u},
    ROWS(CASE_ROW)
#undef CASE_ROW
#define CANCEL_ROW(id_, arg_, x_)                                              \
    {                                                                          \
        .id = id_, .iface = "IBackgroundCopyJob", .method = "Cancel",          \
        .rule = "upload-protocol §2.5, §11.11", .profiles = CONF_P_BITS,       \
        .evidence = REQ, .setup = CONF_SETUP_MANAGER, .expect = x_,            \
        .run = cancel_case, .arg = arg_, .timeout_s = 150,                     \
        .needs = CONF_NEEDS_CLOCK                                              \
    }
        CANCEL_ROW(
            "UPL-017", CANCEL_AWAY,
            "Cancel while the server is away -> CANCELLED; Cancel-Session "
            "sent again until the server is back (up to 24 h)"),
    CANCEL_ROW("UPL-024", CANCEL_5XX,
               "Cancel; 503 on Cancel-Session -> sent again, once"),
    CANCEL_ROW("UPL-025", CANCEL_4XX,
               "Cancel; 404 on Cancel-Session -> not sent again (24 h of "
               "clock)"),
#undef CANCEL_ROW
};

const conf_suite conf_suite_uploads = {
    .name = "uploads",
    .title = "upload and upload-reply jobs over the BITS Upload Protocol: "
             "fragments, resume, 413, lost sessions, errors and their "
             "contexts, replies",
    .cases = cases,
    .ncases = CONF_ARRAY_LEN(cases),
};
