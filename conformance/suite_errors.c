/*
 * suite_errors.c - errors and the job state machine over the wire: every
 * h2mock fault action (docs/faults.md) against a download job, with the
 * documented state, error context and code, what h2mock logged (one
 * `Range: bytes=N-` on resume) and the delivered bytes by SHA-256; then the
 * state-machine items of spec §14.2 and the file/progress items of §14.3
 * that need a transfer (retry delay, NoProgressTimeout, MaxDownloadTime,
 * GetErrorCount, SetRemoteName after ERROR, Suspend mid-transfer, Complete
 * and Cancel with data) and the https -> http redirect rows of HTTP-09,
 * which fetch from a TLS h2mock (nc_mock_start_tls).
 *
 * Every case starts its own h2mock (netcase.c) with the rules of its row,
 * so rule counters and the request log belong to the case.  Which faults
 * are transient and which fatal is documented only for a few (404, 403,
 * 503, no size, ranges); the rows for the others pin docs/engine.md's
 * table and are informative.  The case table is at the end of the file.
 */
#include "netcase.h"

#include <stdio.h>
#include <string.h>

#define PATH "/e.bin"

/* expected end of a fault row */
enum {
    K_OK,      /* TRANSFERRED with the exact bytes, no error seen */
    K_FATAL,   /* ERROR with the row's context / code, file 0 */
    K_TRANS,   /* TRANSIENT_ERROR with context / code, then (the rule having
                  stopped firing) TRANSFERRED with the exact bytes */
    K_RECOVER, /* TRANSFERRED with the exact bytes; errors in between are
                  allowed (code not pinned) */
    K_STUCK,   /* TRANSIENT_ERROR with context / code, stays there */
    K_LATER,   /* ERROR with context / code after transient attempts */
    K_EXCESS,  /* more body than declared (decisions.md E3, I22): never
                  TRANSFERRED; either ERROR with the row's code / context
                  at once, or TRANSIENT_ERROR with hr_alt (a stream reset
                  that cannot be told from a cut), GENERAL_TRANSPORT (DO:
                  NONE), then ERROR keeping it once NoProgressTimeout
                  (60 s here) has run out */
};

#define RF BG_ERROR_CONTEXT_REMOTE_FILE
#define GT BG_ERROR_CONTEXT_GENERAL_TRANSPORT
#define NO BG_ERROR_CONTEXT_NONE
#define NOCHECK (-2) /* range_at: do not look at Range headers */
#define NORANGE (-1) /* range_at: no request carried Range */

typedef struct fault {
    const char *rules; /* "%P" stands for the path */
    unsigned size;
    int kind;
    HRESULT hr_bits, hr_do; /* hr_do 0: conf_hr(hr_bits) */
    HRESULT hr_alt;         /* another accepted code, or 0 */
    int ctx_bits, ctx_do;
    long range_at;
    int version; /* final content: file XOR version (change-content) */
} fault;

/* FAULTS(X): X(sym, id, spec rule, evidence, informative_in, rules, size,
 *              kind, hr_bits, hr_do, hr_alt, ctx_bits, ctx_do, range_at,
 *              version, what it checks) */
#define REQ CONF_REQUIRED
#define INF CONF_INFORMATIVE
#define B CONF_P_BITS
#define D CONF_P_DO
#define A CONF_P_ALL
/* 0x80190000 | status (spec §7.2); also for codes without a BG_E_ name */
#define S(code) ((HRESULT)(0x80190000u | (code)))
#define FATAL_STATUS(X, sym, id, code, ev, why)                                \
    X(sym, id, why, ev, 0, "match path=%P action=status code=" #code, 3000,    \
      K_FATAL, S(code), S(code), 0, RF, NO, NOCHECK, 0,                        \
      "status " #code " -> ERROR 0x80190000|" #code                            \
      ", REMOTE_FILE (DO: NONE), file 0")
#define TRANS_STATUS(X, sym, id, code, ev, why)                                \
    X(sym, id, why, ev, 0, "match path=%P nth=1 action=status code=" #code,    \
      3000, K_TRANS, S(code), S(code), 0, RF, NO, NORANGE, 0,                  \
      "first GET " #code " -> TRANSIENT_ERROR 0x80190000|" #code               \
      ", REMOTE_FILE (DO: NONE); retry -> TRANSFERRED, bytes exact")

#define FAULTS(X)                                                              \
    FATAL_STATUS(X, F404, "ERR-001", 404, REQ, "§14.9 HTTP-05; §14.2 ST-11")   \
    X(F403, "ERR-002", "§14.9 HTTP-06; §14.5 NTF-13", REQ, 0,                  \
      "match path=%P action=status code=403", 3000, K_FATAL, S(403), S(403),   \
      0, RF, RF, NOCHECK, 0,                                                   \
      "status 403 -> ERROR 0x80190193, REMOTE_FILE in both modes")             \
    FATAL_STATUS(X, F400, "ERR-003", 400, INF, "§7.2; decisions.md E1")        \
    FATAL_STATUS(X, F401, "ERR-004", 401, INF, "§7.2; decisions.md E1")        \
    FATAL_STATUS(X, F405, "ERR-005", 405, INF, "§7.2; decisions.md E1")        \
    FATAL_STATUS(X, F407, "ERR-006", 407, INF, "§7.2; decisions.md E1")        \
    FATAL_STATUS(X, F410, "ERR-007", 410, INF, "§7.2; decisions.md E1")        \
    FATAL_STATUS(X, F416, "ERR-008", 416, INF, "§7.2; decisions.md E1")        \
    TRANS_STATUS(X, T503, "ERR-009", 503, REQ, "§14.9 HTTP-07; §14.2 ST-13")   \
    TRANS_STATUS(X, T500, "ERR-010", 500, INF, "§3.1 (5xx); decisions.md E1")  \
    TRANS_STATUS(X, T502, "ERR-011", 502, INF, "§3.1 (5xx); decisions.md E1")  \
    TRANS_STATUS(X, T504, "ERR-012", 504, INF, "§3.1 (5xx); decisions.md E1")  \
    TRANS_STATUS(X, T408, "ERR-013", 408, INF,                                 \
                 "§3.1 (timeouts); decisions.md E1")                           \
    TRANS_STATUS(X, T429, "ERR-014", 429, INF, "decisions.md E1")              \
    X(T503RA, "ERR-015", "§14.9 HTTP-07", REQ, 0,                              \
      "match path=%P nth=1 action=status code=503 header=\"Retry-After: 1\"",  \
      3000, K_TRANS, S(503), S(503), 0, RF, NO, NORANGE, 0,                    \
      "503 with Retry-After -> TRANSIENT_ERROR, then TRANSFERRED")             \
    X(T204, "ERR-016", "§14.9 HTTP-14; decisions.md E1", INF, 0,               \
      "match path=%P nth=1 action=status code=204", 3000, K_TRANS, S(204),     \
      DO_E_UNEXPECTED_HTTP_STATUS_2XX, 0, RF, NO, NORANGE, 0,                  \
      "204 -> TRANSIENT_ERROR BG_E_HTTP_ERROR_204 / "                          \
      "DO_E_UNEXPECTED_HTTP_STATUS_2XX, then TRANSFERRED")                     \
    X(T202, "ERR-017", "§7.1; decisions.md E1", INF, 0,                        \
      "match path=%P nth=1 action=status code=202", 3000, K_TRANS, S(202),     \
      DO_E_UNEXPECTED_HTTP_STATUS_2XX, 0, RF, NO, NORANGE, 0,                  \
      "202 -> TRANSIENT_ERROR, then TRANSFERRED")                              \
    X(REDIR, "ERR-018", "§14.9 HTTP-08 (ALLOW_SILENT)", REQ, 0,                \
      "match path=%P action=redirect code=302 location=/real.bin", 5000, K_OK, \
      0, 0, 0, 0, 0, NOCHECK, 0,                                               \
      "302 to /real.bin (default policy) -> TRANSFERRED, bytes of the target") \
    X(REDIR307, "ERR-019", "§14.9 HTTP-08 (ALLOW_SILENT)", REQ, 0,             \
      "match path=%P action=redirect code=307 location=/real.bin", 5000, K_OK, \
      0, 0, 0, 0, 0, NOCHECK, 0, "307 to /real.bin -> TRANSFERRED")            \
    X(REDIR301, "ERR-020", "§14.9 HTTP-08 (ALLOW_SILENT)", REQ, 0,             \
      "match path=%P action=redirect code=301 location=/real.bin", 5000, K_OK, \
      0, 0, 0, 0, 0, NOCHECK, 0, "301 to /real.bin -> TRANSFERRED")            \
    X(LOOP, "ERR-021", "§7.5; decisions.md E2 (redirect loop)", INF, 0,        \
      "match path=%P action=redirect code=302 location=%P", 3000, K_FATAL,     \
      BG_E_PROTOCOL_ERROR, BG_E_PROTOCOL_ERROR, 0, RF, NO, NOCHECK, 0,         \
      "redirect loop -> ERROR BG_E_PROTOCOL_ERROR")                            \
    X(DELAY, "ERR-022", "§14.2 ST-02 (slow server)", REQ, 0,                   \
      "match path=%P action=delay ms=300", 20000, K_OK, 0, 0, 0, 0, 0,         \
      NORANGE, 0, "300 ms before headers -> TRANSFERRED, no Range")            \
    X(CHUNKD, "ERR-023", "§14.2 ST-02 (slow server)", REQ, 0,                  \
      "match path=%P action=chunk-delay ms=20 size=4096", 20000, K_OK, 0, 0,   \
      0, 0, 0, NORANGE, 0, "chunks with pauses -> TRANSFERRED, bytes exact")   \
    X(THROT, "ERR-024", "§14.2 ST-02 (slow server)", REQ, 0,                   \
      "match path=%P action=throttle rate=200000", 60000, K_OK, 0, 0, 0, 0, 0, \
      NORANGE, 0, "200 kB/s -> TRANSFERRED, bytes exact")                      \
    X(CLOSE, "ERR-025", "§3.1; decisions.md E3, I4", INF, 0,                   \
      "match path=%P nth=1 action=close after=8192", 40000, K_TRANS,           \
      BG_E_CONNECTION_CLOSED, BG_E_CONNECTION_CLOSED, BG_E_PROTOCOL_ERROR, GT, \
      NO, 8192, 0,                                                             \
      "close after 8192 -> TRANSIENT_ERROR CONNECTION_CLOSED, "                \
      "GENERAL_TRANSPORT; retry sends Range: bytes=8192-")                     \
    X(CLOSEH, "ERR-026", "§3.1; decisions.md E2", INF, 0,                      \
      "match path=%P nth=1 action=close after=headers", 3000, K_TRANS,         \
      BG_E_CONNECTION_CLOSED, BG_E_CONNECTION_CLOSED, BG_E_PROTOCOL_ERROR, GT, \
      NO, NORANGE, 0,                                                          \
      "close before headers -> TRANSIENT_ERROR, retry without Range")          \
    X(CLOSER, "ERR-027", "§14.2 ST-05; §3.1 (network errors retried)", REQ, 0, \
      "match path=%P nth=1 action=close after=8192", 40000, K_RECOVER, 0, 0,   \
      0, 0, 0, NOCHECK, 0,                                                     \
      "connection closed mid-body -> retried, TRANSFERRED, bytes exact")       \
    X(RESET, "ERR-028", "§3.1; decisions.md E2", INF, 0,                       \
      "match path=%P nth=1 action=reset after=8192", 40000, K_TRANS,           \
      BG_E_RECEIVE_FAILURE, BG_E_RECEIVE_FAILURE, BG_E_CONNECTION_CLOSED, GT,  \
      NO, NOCHECK, 0,                                                          \
      "TCP reset -> TRANSIENT_ERROR RECEIVE_FAILURE (or CONNECTION_CLOSED)")   \
    X(RESETR, "ERR-029", "§14.2 ST-05; §3.1 (network errors retried)", REQ, 0, \
      "match path=%P nth=1 action=reset after=8192", 40000, K_RECOVER, 0, 0,   \
      0, 0, 0, NOCHECK, 0, "TCP reset -> retried, bytes exact")                \
    X(RSTS, "ERR-030", "§3.1; decisions.md E2", INF, 0,                        \
      "match path=%P nth=1 action=rst-stream code=CANCEL after=8192", 40000,   \
      K_TRANS, BG_E_PROTOCOL_ERROR, BG_E_PROTOCOL_ERROR,                       \
      BG_E_CONNECTION_CLOSED, GT, NO, NOCHECK, 0,                              \
      "RST_STREAM(CANCEL) -> TRANSIENT_ERROR BG_E_PROTOCOL_ERROR")             \
    X(RSTSR, "ERR-031", "§14.2 ST-05; §3.1", REQ, 0,                           \
      "match path=%P nth=1 action=rst-stream code=INTERNAL_ERROR after=4096",  \
      40000, K_RECOVER, 0, 0, 0, 0, 0, NOCHECK, 0,                             \
      "RST_STREAM(INTERNAL_ERROR) -> retried, bytes exact")                    \
    X(RSTREF, "ERR-032", "§14.2 ST-05; §3.1", REQ, 0,                          \
      "match path=%P nth=1 action=rst-stream code=REFUSED_STREAM", 20000,      \
      K_RECOVER, 0, 0, 0, 0, 0, NOCHECK, 0,                                    \
      "RST_STREAM(REFUSED_STREAM) -> retried, bytes exact")                    \
    X(GOAWAYE, "ERR-033", "§3.1; decisions.md E2", INF, 0,                     \
      "match path=%P nth=1 action=goaway code=PROTOCOL_ERROR after=0", 20000,  \
      K_TRANS, BG_E_PROTOCOL_ERROR, BG_E_PROTOCOL_ERROR,                       \
      BG_E_CONNECTION_CLOSED, GT, NO, NOCHECK, 0,                              \
      "GOAWAY(PROTOCOL_ERROR) -> TRANSIENT_ERROR BG_E_PROTOCOL_ERROR")         \
    X(GOAWAYR, "ERR-034", "§14.2 ST-05; §3.1", REQ, 0,                         \
      "match path=%P nth=1 action=goaway code=PROTOCOL_ERROR after=4096",      \
      20000, K_RECOVER, 0, 0, 0, 0, 0, NOCHECK, 0,                             \
      "GOAWAY with an error mid-body -> retried, bytes exact")                 \
    X(GOAWAYOK, "ERR-035", "§14.9 HTTP-01", REQ, 0,                            \
      "match path=%P action=goaway code=NO_ERROR", 20000, K_OK, 0, 0, 0, 0, 0, \
      NOCHECK, 0, "graceful GOAWAY -> TRANSFERRED, bytes exact")               \
    X(LONGER, "ERR-036", "§14.9 HTTP-12; decisions.md E3", INF, 0,             \
      "match path=%P nth=1 action=bad-length delta=100", 20000, K_TRANS,       \
      BG_E_CONNECTION_CLOSED, BG_E_CONNECTION_CLOSED, BG_E_PROTOCOL_ERROR, GT, \
      NO, NOCHECK, 0,                                                          \
      "declared length +100 (body short) -> TRANSIENT_ERROR "                  \
      "CONNECTION_CLOSED")                                                     \
    X(LONGERR, "ERR-037", "§14.9 HTTP-12; §14.2 ST-05", REQ, 0,                \
      "match path=%P nth=1 action=bad-length delta=100", 20000, K_RECOVER, 0,  \
      0, 0, 0, 0, NOCHECK, 0,                                                  \
      "short body once -> never TRANSFERRED with wrong bytes; exact in the "   \
      "end")                                                                   \
    X(SHORTER, "ERR-038", "§14.9 HTTP-12; decisions.md E3, I22", INF, 0,       \
      "match path=%P action=bad-length delta=-100", 20000, K_EXCESS,           \
      BG_E_INVALID_SERVER_RESPONSE, DO_E_HTTP_BLOCKSIZE_MISMATCH,              \
      BG_E_PROTOCOL_ERROR, RF, NO, NOCHECK, 0,                                 \
      "declared length -100 on every answer -> never TRANSFERRED: ERROR "      \
      "INVALID_SERVER_RESPONSE / DO_E_HTTP_BLOCKSIZE_MISMATCH, or (excess in " \
      "a DATA frame with declared bytes) TRANSIENT_ERROR "                     \
      "BG_E_PROTOCOL_ERROR until NoProgressTimeout -> ERROR")                  \
    X(NOLEN, "ERR-039", "§14.9 HTTP-02; §7.1", REQ, D,                         \
      "match path=%P action=no-length", 3000, K_FATAL, BG_E_MISSING_FILE_SIZE, \
      DO_E_FILE_SIZE_UNKNOWN_HTTP_200, 0, RF, NO, NOCHECK, 0,                  \
      "no Content-Length -> ERROR BG_E_MISSING_FILE_SIZE / "                   \
      "DO_E_FILE_SIZE_UNKNOWN_HTTP_200")                                       \
    X(IGNR, "ERR-040", "§14.9 HTTP-04 (whole file from 0)", REQ, 0,            \
      "match path=%P action=ignore-range", 20000, K_OK, 0, 0, 0, 0, 0,         \
      NORANGE, 0,                                                              \
      "server ignores Range; fresh whole-file transfer -> TRANSFERRED")        \
    X(IGNRES, "ERR-041", "§14.9 HTTP-04; decisions.md E7", INF, 0,             \
      "match path=%P nth=1 action=close after=8192\n"                          \
      "match path=%P action=ignore-range",                                     \
      40000, K_RECOVER, 0, 0, 0, 0, 0, 8192, 0,                                \
      "resume answered 200 (Range ignored) -> file restarts, bytes exact")     \
    X(BADCR, "ERR-042", "§6.1 (INVALID_SERVER_RESPONSE); decisions.md E7",     \
      INF, 0,                                                                  \
      "match path=%P nth=1 action=close after=8192\n"                          \
      "match path=%P offset=8192 action=bad-content-range shift=100",          \
      40000, K_LATER, BG_E_INVALID_SERVER_RESPONSE,                            \
      DO_E_HTTP_BLOCKSIZE_MISMATCH, 0, RF, NO, NOCHECK, 0,                     \
      "resume answered with a shifted Content-Range -> ERROR "                 \
      "INVALID_SERVER_RESPONSE / DO_E_HTTP_BLOCKSIZE_MISMATCH")                \
    X(CHANGE, "ERR-043", "§14.3 FILE-09; §14.9 HTTP-10; §7.4", REQ, 0,         \
      "match path=%P nth=1 action=close after=8192\n"                          \
      "match path=%P action=change-content",                                   \
      40000, K_RECOVER, 0, 0, 0, 0, 0, NOCHECK, 1,                             \
      "content changes between attempts -> file restarts; final bytes = the "  \
      "new version")                                                           \
    X(NOVAL, "ERR-044", "§7.4; decisions.md E8", INF, 0,                       \
      "match path=%P nth=1 action=close after=8192\n"                          \
      "match path=%P action=no-validators",                                    \
      40000, K_RECOVER, 0, 0, 0, 0, 0, NOCHECK, 0,                             \
      "no ETag / Last-Modified -> resume still exact")                         \
    X(GARBH, "ERR-045", "§3.1; decisions.md E2", INF, 0,                       \
      "match path=%P nth=1 action=garbage size=32 at=headers", 3000, K_TRANS,  \
      BG_E_SERVER_PROTOCOL_VIOLATION, BG_E_SERVER_PROTOCOL_VIOLATION,          \
      BG_E_CONNECTION_CLOSED, GT, NO, NOCHECK, 0,                              \
      "garbage instead of headers -> TRANSIENT_ERROR")                         \
    X(GARBB, "ERR-046", "§14.2 ST-05; §3.1", REQ, 0,                           \
      "match path=%P nth=1 action=garbage size=64 at=body", 20000, K_RECOVER,  \
      0, 0, 0, 0, 0, NOCHECK, 0,                                               \
      "garbage after valid headers -> retried, bytes exact")                   \
    X(HTTP10, "ERR-047", "§14.9 HTTP-03", REQ, 0,                              \
      "match path=%P action=http10", 20000, K_OK, 0, 0, 0, 0, 0, NOCHECK, 0,   \
      "HTTP/1.0 answers (where HTTP/1.1 is spoken) -> TRANSFERRED")            \
    X(NOVALOK, "ERR-048", "§14.9 HTTP-01", REQ, 0,                             \
      "match path=%P action=no-validators", 20000, K_OK, 0, 0, 0, 0, 0,        \
      NORANGE, 0, "no validators, whole file -> TRANSFERRED")                  \
    X(S503E, "ERR-049", "§3.1; §3.7; decisions.md E1", INF, 0,                 \
      "match path=%P action=status code=503", 3000, K_STUCK, S(503), S(503),   \
      0, RF, NO, NOCHECK, 0,                                                   \
      "503 on every request -> stays TRANSIENT_ERROR, GetErrorCount grows")    \
    X(STALLX, "ERR-050", "§14.9 HTTP-13; §2.2 T14", REQ, 0,                    \
      "match path=%P action=stall after=4096", 40000, K_STUCK, 0, 0, 0, 0, 0,  \
      NOCHECK, 0,                                                              \
      "server stalls after 4096 bytes -> TRANSFERRING with 4096 bytes; "       \
      "Suspend and Cancel still answer at once")

/* the fault table, indexed by the row's symbol */
enum {
#define ENUM_ROW(sym, ...) sym,
    FAULTS(ENUM_ROW)
#undef ENUM_ROW
        NFAULTS
};

static const fault faults[] = {
#define FAULT_ROW(sym, id, rule, ev, infoin, rules_, size_, kind_, hb, hd, ha, \
                  cb, cd, ra, ver, x)                                          \
    [sym] = {.rules = rules_,                                                  \
             .size = size_,                                                    \
             .kind = kind_,                                                    \
             .hr_bits = hb,                                                    \
             .hr_do = hd,                                                      \
             .hr_alt = ha,                                                     \
             .ctx_bits = cb,                                                   \
             .ctx_do = cd,                                                     \
             .range_at = ra,                                                   \
             .version = ver},
    FAULTS(FAULT_ROW)
#undef FAULT_ROW
};

/* ---- helpers ---------------------------------------------------------------
 */

/* RULES with every "%P" replaced by PATH (freed with the case). */
static char *subst(conf_ctx *ctx, const char *rules, const char *path)
{
    if (!rules)
        return NULL;
    size_t n = strlen(rules) * (strlen(path) + 1) + 64;
    char *out = conf_alloc(ctx, n);
    size_t o = 0;
    for (const char *p = rules; *p; p++) {
        if (p[0] == '%' && p[1] == 'P') {
            o += (size_t)snprintf(out + o, n - o, "%s", path);
            p++;
        } else {
            out[o++] = *p;
        }
    }
    out[o] = '\0';
    return out;
}

static HRESULT mode_hr(conf_ctx *ctx, HRESULT bits, HRESULT dohr)
{
    if (ctx->profile == CONF_P_DO)
        return dohr ? dohr : conf_hr(ctx, bits);
    return bits;
}

/* The error's context and code (GetError must answer). */
static void read_error(conf_ctx *ctx, IBackgroundCopyJob *job,
                       BG_ERROR_CONTEXT *ec, HRESULT *code)
{
    IBackgroundCopyError *err = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetError(job, &err), S_OK);
    CONF_EXPECT_NONNULL(ctx, err);
    conf_defer_release(ctx, (IUnknown *)err);
    CONF_EXPECT_HR(ctx, IBackgroundCopyError_GetError(err, ec, code), S_OK);
}

static ULONG error_count(conf_ctx *ctx, IBackgroundCopyJob *job)
{
    ULONG n = CONF_POISON32;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetErrorCount(job, &n), S_OK);
    return n;
}

/* Checks the row's code (or its alternative) and context. */
static void check_row_error(conf_ctx *ctx, IBackgroundCopyJob *job,
                            const fault *f)
{
    BG_ERROR_CONTEXT ec = (BG_ERROR_CONTEXT)CONF_POISON32;
    HRESULT code = (HRESULT)CONF_POISON32;
    read_error(ctx, job, &ec, &code);
    HRESULT want = mode_hr(ctx, f->hr_bits, f->hr_do);
    if (f->hr_alt) {
        char e[200], a[96], b1[96], b2[96];
        snprintf(e, sizeof e, "%s or %s", conf_hr_str(want, b1, sizeof b1),
                 conf_hr_str(f->hr_alt, b2, sizeof b2));
        CONF_EXPECT_TRUE(ctx, code == want || code == f->hr_alt, e,
                         conf_hr_str(code, a, sizeof a));
    } else {
        CONF_EXPECT_HEX(ctx, (unsigned)code, (unsigned)want);
    }
    int wctx = ctx->profile == CONF_P_DO ? f->ctx_do : f->ctx_bits;
    CONF_EXPECT_U(ctx, ec, wctx);
}

/* Expected final bytes of a payload (XOR version for change-content). */
static void expect_payload(conf_ctx *ctx, const char *local,
                           const uint8_t *data, size_t len, int version)
{
    uint8_t *want = conf_alloc(ctx, len ? len : 1);
    memcpy(want, data, len);
    if (version)
        for (size_t i = 0; i < len; i++)
            want[i] ^= (uint8_t)(((version - 1) % 255) + 1);
    char hex[65];
    nc_sha256_hex(want, len, hex);
    nc_expect_file(ctx, local, len, hex);
}

static void resume(conf_ctx *ctx, IBackgroundCopyJob *job)
{
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Resume(job), S_OK);
}

static void complete_ok(conf_ctx *ctx, IBackgroundCopyJob *job)
{
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Complete(job), S_OK);
    CONF_EXPECT_STATE(ctx, nc_state(ctx, job), BG_JOB_STATE_ACKNOWLEDGED);
}

#define WAIT_MS 15000u
#define END_MASK                                                               \
    (NC_ST(BG_JOB_STATE_TRANSFERRED) | NC_ST(BG_JOB_STATE_ERROR) |             \
     NC_ST(BG_JOB_STATE_TRANSIENT_ERROR))
#define DONE_MASK (NC_ST(BG_JOB_STATE_TRANSFERRED) | NC_ST(BG_JOB_STATE_ERROR))

/* Checks the Range headers the log shows against F->range_at. */
static void check_ranges(conf_ctx *ctx, nc_mock *m, const char *path,
                         long range_at)
{
    if (range_at == NOCHECK)
        return;
    size_t n;
    nc_req *r = nc_log_wait(ctx, m, path, range_at >= 0 ? 2 : 1, 3000, &n);
    size_t with = 0, exact = 0;
    char want[64];
    snprintf(want, sizeof want, "bytes=%ld-", range_at);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(r[i].path, path) || strcmp(r[i].method, "GET"))
            continue;
        if (r[i].range[0])
            with++;
        if (!strcmp(r[i].range, want))
            exact++;
    }
    if (range_at == NORANGE)
        CONF_EXPECT_TRUE(ctx, with == 0, "no request with Range",
                         nc_log_text(ctx, r, n));
    else
        CONF_EXPECT_TRUE(ctx, with == 1 && exact == 1,
                         "exactly one GET with the Range header given",
                         nc_log_text(ctx, r, n));
}

/* State ST must be WANT; otherwise the case fails showing the states seen
 * and what h2mock logged. */
static void expect_state(conf_ctx *ctx, nc_mock *m, BG_JOB_STATE st,
                         BG_JOB_STATE want, const nc_trace *tr)
{
    if (st == want)
        return;
    size_t n;
    nc_req *r = nc_log(ctx, m, &n);
    char e[64], a[4096];
    snprintf(e, sizeof e, "%s", conf_state_name(want));
    snprintf(a, sizeof a, "%s (seen: %s; mock: %s)", conf_state_name(st),
             nc_trace_text(ctx, tr), nc_log_text(ctx, r, n));
    CONF_EXPECT_TRUE(ctx, false, e, a);
}

/* ---- the fault rows --------------------------------------------------------
 */

static void fault_case(conf_ctx *ctx, const conf_case *c)
{
    const fault *f = &faults[c->arg];
    nc_need_time(ctx);
    nc_mock *m = nc_mock_start(ctx, subst(ctx, f->rules, PATH));
    uint8_t *data = nc_put_file(ctx, m, PATH, f->size, (uint32_t)c->arg, NULL);
    /* redirect rows point at /real.bin with the same bytes */
    nc_put_file(ctx, m, "/real.bin", f->size, (uint32_t)c->arg, NULL);
    const char *paths[] = {PATH};
    IBackgroundCopyJob *job = nc_job(ctx, m, paths, 1, NULL);
    nc_retry(ctx, job, 5, f->kind == K_EXCESS ? 60 : 3600);
    resume(ctx, job);
    nc_trace tr;
    BG_JOB_STATE st;
    switch (f->kind) {
    case K_OK:
        st = nc_wait(ctx, job, END_MASK, WAIT_MS, 0, &tr);
        expect_state(ctx, m, st, BG_JOB_STATE_TRANSFERRED, &tr);
        CONF_EXPECT_U(ctx, error_count(ctx, job), 0);
        nc_expect_no_file(ctx, "f0"); /* not before Complete */
        complete_ok(ctx, job);
        expect_payload(ctx, "f0", data, f->size, 0);
        check_ranges(ctx, m, PATH, f->range_at);
        break;
    case K_FATAL:
    case K_LATER:
        st = nc_wait(ctx, job, f->kind == K_LATER ? DONE_MASK : END_MASK,
                     WAIT_MS, f->kind == K_LATER ? 1000 : 0, &tr);
        expect_state(ctx, m, st, BG_JOB_STATE_ERROR, &tr);
        check_row_error(ctx, job, f);
        /* the failing file; a DO-mode error with context NONE is not tied
         * to a file (§3.6, decisions.md R24), so GetFile is not checked */
        if (ctx->profile != CONF_P_DO || f->ctx_do != NO)
            nc_expect_error_file(ctx, job, 0);
        nc_expect_no_file(ctx, "f0");
        break;
    case K_TRANS:
        st = nc_wait(ctx, job, END_MASK, WAIT_MS, 0, &tr);
        expect_state(ctx, m, st, BG_JOB_STATE_TRANSIENT_ERROR, &tr);
        check_row_error(ctx, job, f);
        CONF_EXPECT_TRUE(ctx, error_count(ctx, job) >= 1, "GetErrorCount >= 1",
                         "0");
        st = nc_wait(ctx, job, DONE_MASK, WAIT_MS, 1000, &tr);
        expect_state(ctx, m, st, BG_JOB_STATE_TRANSFERRED, &tr);
        nc_expect_no_error(ctx, job);
        complete_ok(ctx, job);
        expect_payload(ctx, "f0", data, f->size, f->version);
        check_ranges(ctx, m, PATH, f->range_at);
        break;
    case K_EXCESS:
        st = nc_wait(ctx, job, END_MASK, WAIT_MS, 0, &tr);
        if (st == BG_JOB_STATE_TRANSIENT_ERROR) {
            BG_ERROR_CONTEXT ec = (BG_ERROR_CONTEXT)CONF_POISON32;
            HRESULT code = (HRESULT)CONF_POISON32;
            read_error(ctx, job, &ec, &code);
            CONF_EXPECT_HEX(ctx, (unsigned)code, (unsigned)f->hr_alt);
            CONF_EXPECT_U(ctx, ec, ctx->profile == CONF_P_DO ? NO : GT);
            /* retried without end; no progress -> ERROR, code kept */
            st = nc_wait(ctx, job, DONE_MASK, WAIT_MS, 1000, &tr);
            expect_state(ctx, m, st, BG_JOB_STATE_ERROR, &tr);
            read_error(ctx, job, &ec, &code);
            CONF_EXPECT_HEX(ctx, (unsigned)code, (unsigned)f->hr_alt);
        } else {
            expect_state(ctx, m, st, BG_JOB_STATE_ERROR, &tr);
            fault nalt = *f;
            nalt.hr_alt = 0;
            check_row_error(ctx, job, &nalt);
        }
        nc_expect_no_file(ctx, "f0");
        break;
    case K_RECOVER:
        st = nc_wait(ctx, job, DONE_MASK, WAIT_MS, 1000, &tr);
        expect_state(ctx, m, st, BG_JOB_STATE_TRANSFERRED, &tr);
        complete_ok(ctx, job);
        expect_payload(ctx, "f0", data, f->size, f->version);
        check_ranges(ctx, m, PATH, f->range_at);
        break;
    case K_STUCK:
        if (f->hr_bits) {
            st = nc_wait(ctx, job, END_MASK, WAIT_MS, 0, &tr);
            expect_state(ctx, m, st, BG_JOB_STATE_TRANSIENT_ERROR, &tr);
            check_row_error(ctx, job, f);
            ULONG n1 = error_count(ctx, job), n2 = n1;
            /* the retry fails again: the count grows, state stays.  The
             * retry passes QUEUED and CONNECTING in a millisecond or two,
             * so the evidence is the count, not a state seen by a poll. */
            for (unsigned i = 0; i < WAIT_MS / 10 && n2 <= n1; i++) {
                nc_advance(ctx, 1000);
                conf_sleep_ms(ctx, 10);
                n2 = error_count(ctx, job);
            }
            st = nc_wait(ctx, job, END_MASK, WAIT_MS, 0, &tr);
            expect_state(ctx, m, st, BG_JOB_STATE_TRANSIENT_ERROR, &tr);
            n2 = error_count(ctx, job);
            char e[64], a[64];
            snprintf(e, sizeof e, "> %lu", (unsigned long)n1);
            snprintf(a, sizeof a, "%lu", (unsigned long)n2);
            CONF_EXPECT_TRUE(ctx, n2 > n1, e, a);
        } else {
            /* stall: bytes arrive, then nothing */
            for (int i = 0;; i++) {
                BG_JOB_PROGRESS p = nc_progress(ctx, job);
                if (p.BytesTransferred == 4096)
                    break;
                if (i > 1000)
                    CONF_EXPECT_U(ctx, p.BytesTransferred, 4096);
                conf_sleep_ms(ctx, 10);
            }
            CONF_EXPECT_STATE(ctx, nc_state(ctx, job),
                              BG_JOB_STATE_TRANSFERRING);
            CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Suspend(job), S_OK);
            CONF_EXPECT_STATE(ctx, nc_state(ctx, job), BG_JOB_STATE_SUSPENDED);
            BG_JOB_PROGRESS p = nc_progress(ctx, job);
            CONF_EXPECT_U(ctx, p.BytesTransferred, 4096);
            CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Cancel(job), S_OK);
            CONF_EXPECT_STATE(ctx, nc_state(ctx, job), BG_JOB_STATE_CANCELLED);
            nc_expect_no_file(ctx, "f0");
        }
        break;
    }
}

/* ---- the state machine and progress over the wire (§14.2, §14.3) -------- */

/* Polls GetProgress until BytesTransferred >= MIN (real-time deadline). */
static BG_JOB_PROGRESS wait_bytes(conf_ctx *ctx, IBackgroundCopyJob *job,
                                  uint64_t min)
{
    for (unsigned i = 0;; i++) {
        BG_JOB_PROGRESS p = nc_progress(ctx, job);
        if (p.BytesTransferred >= min && p.BytesTransferred != BG_SIZE_UNKNOWN)
            return p;
        if (i > WAIT_MS / 5) {
            char e[64], a[64];
            snprintf(e, sizeof e, "BytesTransferred >= %llu",
                     (unsigned long long)min);
            snprintf(a, sizeof a, "%llu (state %s)",
                     (unsigned long long)p.BytesTransferred,
                     conf_state_name(nc_state(ctx, job)));
            CONF_EXPECT_TRUE(ctx, false, e, a);
        }
        nc_nap(5);
    }
}

/* Polls GetProgress until FilesTransferred >= N. */
static BG_JOB_PROGRESS wait_files(conf_ctx *ctx, IBackgroundCopyJob *job,
                                  ULONG n)
{
    for (unsigned i = 0;; i++) {
        BG_JOB_PROGRESS p = nc_progress(ctx, job);
        if (p.FilesTransferred >= n)
            return p;
        if (i > WAIT_MS / 5)
            CONF_EXPECT_U(ctx, p.FilesTransferred, n);
        nc_nap(5);
    }
}

/* True when the trace passed through state S. */
static bool trace_has(const nc_trace *t, BG_JOB_STATE s)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->states[i] == (int)s)
            return true;
    return false;
}

/* Number of GETs for PATH carrying Range: RANGE ("" none, NULL any). */
static size_t count_gets(const nc_req *r, size_t n, const char *path,
                         const char *range)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(r[i].method, "GET") && !strcmp(r[i].path, path) &&
            (!range || !strcmp(r[i].range, range)))
            c++;
    return c;
}

static void *qi(conf_ctx *ctx, void *obj, REFIID iid)
{
    void *p = NULL;
    CONF_EXPECT_HR(ctx, IUnknown_QueryInterface((IUnknown *)obj, iid, &p),
                   S_OK);
    CONF_EXPECT_NONNULL(ctx, p);
    conf_defer_release(ctx, (IUnknown *)p);
    return p;
}

/* Case-insensitive substring test of ASCII NEEDLE in UTF-16 HAY. */
static bool wcontains_ci(const WCHAR *hay, const char *needle)
{
    size_t nl = strlen(needle);
    for (; hay && *hay; hay++) {
        size_t k = 0;
        for (; k < nl && hay[k]; k++) {
            WCHAR a = hay[k];
            char b = needle[k];
            if (a >= 'A' && a <= 'Z')
                a = (WCHAR)(a - 'A' + 'a');
            if (b >= 'A' && b <= 'Z')
                b = (char)(b - 'A' + 'a');
            if (a != (WCHAR)(unsigned char)b)
                break;
        }
        if (k == nl)
            return true;
    }
    return false;
}

/* The https -> http redirect cases: a plain server holding /real.bin and
 * a TLS server whose /s.bin redirects there; the job fetches /s.bin over
 * https with certificate checks relaxed (the test certificate is
 * self-signed) and redirect POLICY.  *PLAIN receives the plain server. */
static IBackgroundCopyJob *tls_job(conf_ctx *ctx, nc_mock **tls,
                                   nc_mock **plain, ULONG policy,
                                   const char *redirect_to, char hex[65])
{
    *plain = nc_mock_start(ctx, NULL);
    nc_put_file(ctx, *plain, "/real.bin", 7000, 91, hex);
    char rules[512];
    snprintf(rules, sizeof rules,
             "match path=/s.bin action=redirect code=302 location=%s%s",
             redirect_to ? nc_mock_base(*plain) : "",
             redirect_to ? redirect_to : "/real.bin");
    *tls = nc_mock_start_tls(ctx, rules);
    nc_put_file(ctx, *tls, "/real.bin", 7000, 91, NULL);
    const char *paths[] = {"/s.bin"};
    IBackgroundCopyJob *job = nc_job(ctx, *tls, paths, 1, NULL);
    IBackgroundCopyJobHttpOptions *ho =
        qi(ctx, job, &IID_IBackgroundCopyJobHttpOptions);
    CONF_EXPECT_HR(ctx,
                   IBackgroundCopyJobHttpOptions_SetSecurityFlags(
                       ho, BG_SSL_IGNORE_UNKNOWN_CA |
                               BG_SSL_IGNORE_CERT_CN_INVALID | policy),
                   S_OK);
    nc_retry(ctx, job, 5, 3600);
    return job;
}

/* ERR-051 (ST-04) */
static void suspend_resume(conf_ctx *ctx, const conf_case *c)
{
    nc_need_time(ctx);
    nc_mock *m = NULL;
    IBackgroundCopyJob *job;
    BG_JOB_PROGRESS p;
    BG_JOB_PROGRESS p2;
    BG_JOB_STATE st;
    nc_trace tr;
    nc_req *r;
    size_t n;
    char hex[65];
    char want[128];
    const char *paths2[] = {"/a.bin", "/b.bin"};
    m = nc_mock_start(ctx, "match path=/a.bin action=throttle "
                           "rate=200000");
    nc_put_file(ctx, m, "/a.bin", 150000, 7, hex);
    job = nc_job(ctx, m, paths2, 1, NULL);
    resume(ctx, job);
    wait_bytes(ctx, job, 16384);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Suspend(job), S_OK);
    CONF_EXPECT_STATE(ctx, nc_state(ctx, job), BG_JOB_STATE_SUSPENDED);
    nc_nap(150);
    p = nc_progress(ctx, job);
    nc_nap(400); /* 80 kB would arrive at this rate */
    p2 = nc_progress(ctx, job);
    CONF_EXPECT_U(ctx, p2.BytesTransferred, p.BytesTransferred);
    CONF_EXPECT_STATE(ctx, nc_state(ctx, job), BG_JOB_STATE_SUSPENDED);
    CONF_EXPECT_TRUE(ctx, p.BytesTransferred < 150000, "Suspend before the end",
                     "already complete");
    resume(ctx, job);
    p2 = nc_progress(ctx, job);
    CONF_EXPECT_TRUE(ctx, p2.BytesTransferred >= p.BytesTransferred,
                     "BytesTransferred not reset by Resume", "it went back");
    st = nc_wait(ctx, job, DONE_MASK, WAIT_MS, 0, &tr);
    expect_state(ctx, m, st, BG_JOB_STATE_TRANSFERRED, &tr);
    complete_ok(ctx, job);
    nc_expect_file(ctx, "f0", 150000, hex);
    /* the second request continues at the checkpoint */
    snprintf(want, sizeof want, "bytes=%llu-",
             (unsigned long long)p.BytesTransferred);
    r = nc_log_wait(ctx, m, "/a.bin", 2, 3000, &n);
    CONF_EXPECT_TRUE(ctx,
                     count_gets(r, n, "/a.bin", "") == 1 &&
                         count_gets(r, n, "/a.bin", want) == 1 &&
                         count_gets(r, n, "/a.bin", NULL) == 2,
                     want, nc_log_text(ctx, r, n));
}

/* ERR-052 (ST-09 with data) */
static void partial(conf_ctx *ctx, const conf_case *c)
{
    nc_need_time(ctx);
    nc_mock *m = NULL;
    IBackgroundCopyJob *job;
    char hex[65];
    const char *paths2[] = {"/a.bin", "/b.bin"};
    m = nc_mock_start(ctx, "match path=/b.bin action=stall after=1000");
    nc_put_file(ctx, m, "/a.bin", 3000, 8, hex);
    nc_put_file(ctx, m, "/b.bin", 5000, 9, NULL);
    job = nc_job(ctx, m, paths2, 2, NULL);
    resume(ctx, job);
    wait_files(ctx, job, 1);
    wait_bytes(ctx, job, 3000 + 1000);
    CONF_EXPECT_STATE(ctx, nc_state(ctx, job), BG_JOB_STATE_TRANSFERRING);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Complete(job),
                   BG_S_PARTIAL_COMPLETE);
    CONF_EXPECT_STATE(ctx, nc_state(ctx, job), BG_JOB_STATE_ACKNOWLEDGED);
    nc_expect_file(ctx, "f0", 3000, hex);
    nc_expect_no_file(ctx, "f1");
}

/* ERR-053 (ST-12) */
static void set_remote_name(conf_ctx *ctx, const conf_case *c)
{
    nc_need_time(ctx);
    nc_mock *m = NULL;
    IBackgroundCopyJob *job;
    BG_JOB_STATE st;
    nc_trace tr;
    char hex[65];
    m = nc_mock_start(ctx, "match path=/gone.bin action=status code=404");
    nc_put_file(ctx, m, "/a.bin", 4000, 10, hex);
    const char *gone[] = {"/gone.bin"};
    job = nc_job(ctx, m, gone, 1, NULL);
    resume(ctx, job);
    st = nc_wait(ctx, job, END_MASK, WAIT_MS, 0, &tr);
    expect_state(ctx, m, st, BG_JOB_STATE_ERROR, &tr);
    IBackgroundCopyFile2 *f2 =
        qi(ctx, nc_file(ctx, job, 0), &IID_IBackgroundCopyFile2);
    CONF_EXPECT_HR(
        ctx, IBackgroundCopyFile2_SetRemoteName(f2, nc_url(ctx, m, "/a.bin")),
        S_OK);
    resume(ctx, job);
    st = nc_wait(ctx, job, DONE_MASK, WAIT_MS, 0, &tr);
    expect_state(ctx, m, st, BG_JOB_STATE_TRANSFERRED, &tr);
    complete_ok(ctx, job);
    nc_expect_file(ctx, "f0", 4000, hex);
}

/* ERR-054 (ST-14: NoProgressTimeout 0); ERR-055 (ARG 1, ST-15:
 * NoProgressTimeout below the retry delay) */
static void noprogress_error(conf_ctx *ctx, const conf_case *c)
{
    nc_need_time(ctx);
    nc_mock *m = NULL;
    IBackgroundCopyJob *job;
    BG_JOB_STATE st;
    nc_trace tr;
    nc_req *r;
    size_t n;
    const char *paths2[] = {"/a.bin", "/b.bin"};
    m = nc_mock_start(ctx, "match path=/a.bin nth=1 action=status "
                           "code=503");
    nc_put_file(ctx, m, "/a.bin", 3000, 11, NULL);
    job = nc_job(ctx, m, paths2, 1, NULL);
    if (!c->arg)
        nc_retry(ctx, job, 5, 0);
    else
        nc_retry(ctx, job, 120, 30);
    resume(ctx, job);
    st = nc_wait(ctx, job, DONE_MASK, WAIT_MS, 0, &tr);
    expect_state(ctx, m, st, BG_JOB_STATE_ERROR, &tr);
    CONF_EXPECT_TRUE(ctx, !trace_has(&tr, BG_JOB_STATE_TRANSIENT_ERROR),
                     "ERROR without TRANSIENT_ERROR first",
                     nc_trace_text(ctx, &tr));
    {
        BG_ERROR_CONTEXT ec = (BG_ERROR_CONTEXT)CONF_POISON32;
        HRESULT code = (HRESULT)CONF_POISON32;
        read_error(ctx, job, &ec, &code);
        CONF_EXPECT_HEX(ctx, (unsigned)code, (unsigned)S(503));
    }
    r = nc_log(ctx, m, &n);
    CONF_EXPECT_TRUE(ctx, count_gets(r, n, "/a.bin", NULL) == 1,
                     "one GET, no retry", nc_log_text(ctx, r, n));
}

/* ERR-056 (ST-19) */
static void add_after(conf_ctx *ctx, const conf_case *c)
{
    nc_need_time(ctx);
    nc_mock *m = NULL;
    IBackgroundCopyJob *job;
    BG_JOB_PROGRESS p;
    BG_JOB_STATE st;
    nc_trace tr;
    nc_req *r;
    size_t n;
    char hex[65];
    char hex1[65];
    const char *paths2[] = {"/a.bin", "/b.bin"};
    m = nc_mock_start(ctx, NULL);
    nc_put_file(ctx, m, "/a.bin", 3000, 12, hex);
    nc_put_file(ctx, m, "/b.bin", 6000, 13, hex1);
    job = nc_job(ctx, m, paths2, 1, NULL);
    resume(ctx, job);
    st = nc_wait(ctx, job, DONE_MASK, WAIT_MS, 0, &tr);
    expect_state(ctx, m, st, BG_JOB_STATE_TRANSFERRED, &tr);
    CONF_EXPECT_HR(ctx,
                   IBackgroundCopyJob_AddFile(job, nc_url(ctx, m, "/b.bin"),
                                              conf_tmp_path(ctx, "f1")),
                   S_OK);
    resume(ctx, job);
    st = nc_wait(ctx, job, DONE_MASK, WAIT_MS, 0, &tr);
    expect_state(ctx, m, st, BG_JOB_STATE_TRANSFERRED, &tr);
    p = nc_progress(ctx, job);
    CONF_EXPECT_U(ctx, p.FilesTotal, 2);
    CONF_EXPECT_U(ctx, p.FilesTransferred, 2);
    CONF_EXPECT_U(ctx, p.BytesTotal, 9000);
    CONF_EXPECT_U(ctx, p.BytesTransferred, 9000);
    complete_ok(ctx, job);
    nc_expect_file(ctx, "f0", 3000, hex);
    nc_expect_file(ctx, "f1", 6000, hex1);
    /* T17: only the new file transfers */
    r = nc_log(ctx, m, &n);
    CONF_EXPECT_TRUE(ctx,
                     count_gets(r, n, "/a.bin", NULL) == 1 &&
                         count_gets(r, n, "/b.bin", NULL) == 1,
                     "one GET of each file", nc_log_text(ctx, r, n));
}

/* ERR-057 (ST-20) */
static void max_download_time(conf_ctx *ctx, const conf_case *c)
{
    nc_need_time(ctx);
    nc_mock *m = NULL;
    IBackgroundCopyJob *job;
    BG_JOB_STATE st;
    nc_trace tr;
    const char *paths2[] = {"/a.bin", "/b.bin"};
    m = nc_mock_start(ctx, "match path=/a.bin action=stall after=4096");
    nc_put_file(ctx, m, "/a.bin", 40000, 14, NULL);
    job = nc_job(ctx, m, paths2, 1, NULL);
    IBackgroundCopyJob4 *j4 = qi(ctx, job, &IID_IBackgroundCopyJob4);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob4_SetMaximumDownloadTime(j4, 60),
                   S_OK);
    resume(ctx, job);
    wait_bytes(ctx, job, 4096);
    st = nc_wait(ctx, job, DONE_MASK, WAIT_MS, 1000, &tr);
    expect_state(ctx, m, st, BG_JOB_STATE_ERROR, &tr);
    BG_ERROR_CONTEXT ec = (BG_ERROR_CONTEXT)CONF_POISON32;
    HRESULT code = (HRESULT)CONF_POISON32;
    read_error(ctx, job, &ec, &code);
    CONF_EXPECT_HEX(ctx, (unsigned)code, (unsigned)BG_E_MAXDOWNLOAD_TIMEOUT);
    /* Resume restarts the count: 30 s later it is still running */
    resume(ctx, job);
    wait_bytes(ctx, job, 4096);
    st = nc_wait(ctx, job, NC_ST(BG_JOB_STATE_TRANSFERRING) | DONE_MASK,
                 WAIT_MS, 0, &tr);
    CONF_EXPECT_STATE(ctx, st, BG_JOB_STATE_TRANSFERRING);
    conf_sleep_ms(ctx, 30000);
    nc_nap(200);
    CONF_EXPECT_STATE(ctx, nc_state(ctx, job), BG_JOB_STATE_TRANSFERRING);
    st = nc_wait(ctx, job, DONE_MASK, WAIT_MS, 1000, &tr);
    expect_state(ctx, m, st, BG_JOB_STATE_ERROR, &tr);
    read_error(ctx, job, &ec, &code);
    CONF_EXPECT_HEX(ctx, (unsigned)code, (unsigned)BG_E_MAXDOWNLOAD_TIMEOUT);
}

/* ERR-058 (ST-21: DO never reports CONNECTING); ERR-059 (ARG 1,
 * decisions.md D14: BITS does) */
static void connecting_state(conf_ctx *ctx, const conf_case *c)
{
    nc_need_time(ctx);
    nc_mock *m = NULL;
    IBackgroundCopyJob *job;
    BG_JOB_STATE st;
    nc_trace tr;
    const char *paths2[] = {"/a.bin", "/b.bin"};
    /* a 300 ms wait for the headers: CONNECTING, if it is ever
     * reported, is seen by a 5 ms poll */
    m = nc_mock_start(ctx, "match path=/a.bin action=delay ms=300\n"
                           "match path=/b.bin action=delay ms=300");
    nc_put_file(ctx, m, "/a.bin", 3000, 15, NULL);
    nc_put_file(ctx, m, "/b.bin", 3000, 16, NULL);
    nc_cb *cb = nc_cb_new(ctx, 3);
    cb->action = NC_ACT_GETSTATE;
    job = nc_job(ctx, m, paths2, 2, NULL);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_SetNotifyFlags(job, 0x0B), S_OK);
    CONF_EXPECT_HR(
        ctx, IBackgroundCopyJob_SetNotifyInterface(job, (IUnknown *)&cb->iface),
        S_OK);
    resume(ctx, job);
    st = nc_wait(ctx, job, DONE_MASK, WAIT_MS, 0, &tr);
    expect_state(ctx, m, st, BG_JOB_STATE_TRANSFERRED, &tr);
    bool seen = trace_has(&tr, BG_JOB_STATE_CONNECTING);
    for (long i = 0; i < atomic_load(&cb->nev); i++)
        if (cb->ev[i].state == BG_JOB_STATE_CONNECTING)
            seen = true;
    if (!c->arg)
        CONF_EXPECT_TRUE(ctx, !seen, "never CONNECTING",
                         nc_trace_text(ctx, &tr));
    else
        CONF_EXPECT_TRUE(ctx, seen, "CONNECTING seen while waiting",
                         nc_trace_text(ctx, &tr));
}

/* ERR-060 (FILE-10 with data) */
static void total_unknown(conf_ctx *ctx, const conf_case *c)
{
    nc_need_time(ctx);
    nc_mock *m = NULL;
    IBackgroundCopyJob *job;
    BG_JOB_PROGRESS p;
    BG_JOB_STATE st;
    nc_trace tr;
    const char *paths2[] = {"/a.bin", "/b.bin"};
    m = nc_mock_start(ctx, "match path=/b.bin nth=1 action=delay ms=1500");
    nc_put_file(ctx, m, "/a.bin", 3000, 17, NULL);
    nc_put_file(ctx, m, "/b.bin", 5000, 18, NULL);
    job = nc_job(ctx, m, paths2, 2, NULL);
    resume(ctx, job);
    p = wait_files(ctx, job, 1);
    /* f0 done, f1's size not yet known (its answer is delayed) */
    CONF_EXPECT_U(ctx, p.FilesTotal, 2);
    CONF_EXPECT_U(ctx, p.FilesTransferred, 1);
    CONF_EXPECT_HEX(ctx, p.BytesTotal, BG_SIZE_UNKNOWN);
    CONF_EXPECT_U(ctx, p.BytesTransferred, 3000);
    st = nc_wait(ctx, job, DONE_MASK, WAIT_MS, 0, &tr);
    expect_state(ctx, m, st, BG_JOB_STATE_TRANSFERRED, &tr);
    p = nc_progress(ctx, job);
    CONF_EXPECT_U(ctx, p.BytesTotal, 8000);
    CONF_EXPECT_U(ctx, p.FilesTotal, 2);
}

/* ERR-061 (FILE-12) */
static void response_headers(conf_ctx *ctx, const conf_case *c)
{
    nc_need_time(ctx);
    nc_mock *m = NULL;
    IBackgroundCopyJob *job;
    BG_JOB_STATE st;
    nc_trace tr;
    const char *paths2[] = {"/a.bin", "/b.bin"};
    m = nc_mock_start(ctx, NULL);
    nc_put_file(ctx, m, "/a.bin", 3210, 19, NULL);
    job = nc_job(ctx, m, paths2, 1, NULL);
    IBackgroundCopyFile5 *f5 =
        qi(ctx, nc_file(ctx, job, 0), &IID_IBackgroundCopyFile5);
    resume(ctx, job);
    st = nc_wait(ctx, job, DONE_MASK, WAIT_MS, 0, &tr);
    expect_state(ctx, m, st, BG_JOB_STATE_TRANSFERRED, &tr);
    BITS_FILE_PROPERTY_VALUE v;
    v.String = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx,
                   IBackgroundCopyFile5_GetProperty(
                       f5, BITS_FILE_PROPERTY_ID_HTTP_RESPONSE_HEADERS, &v),
                   S_OK);
    CONF_EXPECT_NONNULL(ctx, v.String);
    const char *text = conf_u8(ctx, v.String);
    bool ok = wcontains_ci(v.String, "content-length: 3210");
    CoTaskMemFree(v.String);
    CONF_EXPECT_TRUE(ctx, ok, "headers with Content-Length: 3210", text);
}

/* ERR-062 (FILE-04, FILE-05) */
static void file_done(conf_ctx *ctx, const conf_case *c)
{
    nc_need_time(ctx);
    nc_mock *m = NULL;
    IBackgroundCopyJob *job;
    BG_JOB_STATE st;
    nc_trace tr;
    char hex[65];
    const char *paths2[] = {"/a.bin", "/b.bin"};
    m = nc_mock_start(ctx, NULL);
    nc_put_file(ctx, m, "/a.bin", 4321, 20, hex);
    job = nc_job(ctx, m, paths2, 1, NULL);
    IBackgroundCopyFile *f = nc_file(ctx, job, 0);
    resume(ctx, job);
    st = nc_wait(ctx, job, DONE_MASK, WAIT_MS, 0, &tr);
    expect_state(ctx, m, st, BG_JOB_STATE_TRANSFERRED, &tr);
    BG_FILE_PROGRESS fp;
    memset(&fp, 0xEE, sizeof fp);
    CONF_EXPECT_HR(ctx, IBackgroundCopyFile_GetProgress(f, &fp), S_OK);
    CONF_EXPECT_U(ctx, fp.BytesTotal, 4321);
    CONF_EXPECT_U(ctx, fp.BytesTransferred, 4321);
    CONF_EXPECT_U(ctx, fp.Completed, FALSE);
    nc_expect_no_file(ctx, "f0");
    complete_ok(ctx, job);
    memset(&fp, 0xEE, sizeof fp);
    CONF_EXPECT_HR(ctx, IBackgroundCopyFile_GetProgress(f, &fp), S_OK);
    CONF_EXPECT_U(ctx, fp.Completed, TRUE);
    CONF_EXPECT_U(ctx, fp.BytesTransferred, 4321);
    nc_expect_file(ctx, "f0", 4321, hex);
}

/* ERR-063 (ST-18) */
static void error_count_kept(conf_ctx *ctx, const conf_case *c)
{
    nc_need_time(ctx);
    nc_mock *m = NULL;
    IBackgroundCopyJob *job;
    BG_JOB_STATE st;
    nc_trace tr;
    const char *paths2[] = {"/a.bin", "/b.bin"};
    m = nc_mock_start(ctx, "match path=/a.bin action=status code=503");
    nc_put_file(ctx, m, "/a.bin", 3000, 21, NULL);
    job = nc_job(ctx, m, paths2, 1, NULL);
    nc_retry(ctx, job, 5, 3600);
    CONF_EXPECT_U(ctx, error_count(ctx, job), 0);
    resume(ctx, job);
    st = nc_wait(ctx, job, END_MASK, WAIT_MS, 0, &tr);
    expect_state(ctx, m, st, BG_JOB_STATE_TRANSIENT_ERROR, &tr);
    ULONG n1 = error_count(ctx, job);
    CONF_EXPECT_U(ctx, n1, 1);
    /* one retry delay (5 s) passes: exactly one retry, which fails */
    conf_sleep_ms(ctx, 6000);
    ULONG n2 = n1;
    for (unsigned i = 0; n2 == n1 && i < WAIT_MS / 5; i++) {
        nc_nap(5);
        n2 = error_count(ctx, job);
    }
    CONF_EXPECT_U(ctx, n2, n1 + 1);
    st = nc_wait(ctx, job, END_MASK, WAIT_MS, 0, &tr);
    expect_state(ctx, m, st, BG_JOB_STATE_TRANSIENT_ERROR, &tr);
    /* Suspend + Resume do not reset it */
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Suspend(job), S_OK);
    CONF_EXPECT_U(ctx, error_count(ctx, job), n2);
    resume(ctx, job);
    CONF_EXPECT_TRUE(ctx, error_count(ctx, job) >= n2,
                     "GetErrorCount not reset by Resume", "smaller");
}

/* ERR-064 (HTTP-09: https -> http refused); ERR-065 (ARG 1: its
 * code, engine.md) */
static void tls_to_plain_refused(conf_ctx *ctx, const conf_case *c)
{
    nc_need_time(ctx);
    nc_mock *m = NULL, *plain = NULL;
    IBackgroundCopyJob *job;
    BG_JOB_STATE st;
    nc_trace tr;
    nc_req *r;
    size_t n;
    char hex[65];
    job = tls_job(ctx, &m, &plain, 0, "/real.bin", hex);
    resume(ctx, job);
    st = nc_wait(ctx, job, END_MASK, WAIT_MS, 0, &tr);
    expect_state(ctx, m, st, BG_JOB_STATE_ERROR, &tr);
    if (c->arg) {
        nc_expect_error(ctx, job, BG_ERROR_CONTEXT_REMOTE_FILE,
                        BG_E_INSUFFICIENT_HTTP_SUPPORT, 0);
        return;
    }
    /* the https request was answered with the redirect (TLS worked),
     * and the http target was never asked for */
    r = nc_log_wait(ctx, m, "/s.bin", 1, 3000, &n);
    CONF_EXPECT_TRUE(ctx, n >= 1 && r[0].status == 302,
                     "GET /s.bin over TLS -> 302", nc_log_text(ctx, r, n));
    r = nc_log(ctx, plain, &n);
    CONF_EXPECT_TRUE(ctx, n == 0, "no request to the http:// target",
                     nc_log_text(ctx, r, n));
    nc_expect_no_file(ctx, "f0");
}

/* ERR-066 (HTTP-09: ALLOW_HTTPS_TO_HTTP) */
static void tls_allowed(conf_ctx *ctx, const conf_case *c)
{
    nc_need_time(ctx);
    nc_mock *m = NULL, *plain = NULL;
    IBackgroundCopyJob *job;
    BG_JOB_STATE st;
    nc_trace tr;
    nc_req *r;
    size_t n;
    char hex[65];
    job = tls_job(ctx, &m, &plain, BG_HTTP_REDIRECT_POLICY_ALLOW_HTTPS_TO_HTTP,
                  "/real.bin", hex);
    resume(ctx, job);
    st = nc_wait(ctx, job, END_MASK, WAIT_MS, 0, &tr);
    expect_state(ctx, m, st, BG_JOB_STATE_TRANSFERRED, &tr);
    complete_ok(ctx, job);
    nc_expect_file(ctx, "f0", 7000, hex);
    r = nc_log_wait(ctx, plain, "/real.bin", 1, 3000, &n);
    CONF_EXPECT_TRUE(ctx, count_gets(r, n, "/real.bin", NULL) >= 1,
                     "GET /real.bin on the http:// server",
                     nc_log_text(ctx, r, n));
}

/* ERR-067 (HTTPS itself works: the control for HTTP-09) */
static void tls_plain(conf_ctx *ctx, const conf_case *c)
{
    nc_need_time(ctx);
    nc_mock *m = NULL, *plain = NULL;
    IBackgroundCopyJob *job;
    BG_JOB_STATE st;
    nc_trace tr;
    char hex[65];
    /* same-scheme redirect on the TLS server: https works at all */
    job = tls_job(ctx, &m, &plain, 0, NULL, hex);
    resume(ctx, job);
    st = nc_wait(ctx, job, END_MASK, WAIT_MS, 0, &tr);
    expect_state(ctx, m, st, BG_JOB_STATE_TRANSFERRED, &tr);
    complete_ok(ctx, job);
    nc_expect_file(ctx, "f0", 7000, hex);
}

/* ---- the case table ----------------------------------------------------- */

#define S_MGR CONF_SETUP_MANAGER
#define IFJ "IBackgroundCopyJob"
#define NET (CONF_NEEDS_MOCK)
#define T(id_, if_, m_, rule_, prof_, ev_, infoin_, run_, arg_, x_)            \
    {                                                                          \
        .id = id_, .iface = if_, .method = m_, .rule = rule_,                  \
        .profiles = prof_, .evidence = ev_, .informative_in = infoin_,         \
        .setup = S_MGR, .run = run_, .arg = arg_, .expect = x_,                \
        .timeout_s = 40                                                        \
    }

static const conf_case cases[] = {
#define CASE_ROW(sym, id, rule, ev, infoin, rules_, size_, kind_, hb, hd, ha,  \
                 cb, cd, ra, ver, x)                                           \
    T(id, IFJ, "Resume", rule, A, ev, infoin, fault_case, sym, x),
    FAULTS(CASE_ROW)
#undef CASE_ROW
        T("ERR-051", IFJ, "Suspend", "§14.2 ST-04; decisions.md I7", A, REQ, 0,
          suspend_resume, 0,
          "Suspend mid-transfer -> SUSPENDED, bytes stop; Resume keeps "
          "BytesTransferred and asks Range: bytes=<checkpoint>-; bytes exact"),
    T("ERR-052", IFJ, "Complete", "§14.2 ST-09 (with data)", A, REQ, D, partial,
      0,
      "f0 transferred, f1 stalled -> Complete BG_S_PARTIAL_COMPLETE, "
      "ACKNOWLEDGED, f0 exact, f1 absent"),
    T("ERR-053", "IBackgroundCopyFile2", "SetRemoteName", "§14.2 ST-12", B, REQ,
      0, set_remote_name, 0,
      "404 -> ERROR; SetRemoteName(good URL), Resume -> TRANSFERRED, bytes "
      "exact"),
    T("ERR-054", IFJ, "SetNoProgressTimeout", "§14.2 ST-14; §3.2", A, REQ, 0,
      noprogress_error, 0,
      "NoProgressTimeout 0, one 503 -> ERROR at once (no TRANSIENT_ERROR, "
      "no retry), code 0x801901F7"),
    T("ERR-055", IFJ, "SetNoProgressTimeout", "§14.2 ST-15; §3.2", B, REQ, 0,
      noprogress_error, 1,
      "NoProgressTimeout 30 < MinimumRetryDelay 120, one 503 -> ERROR at "
      "the first fault, no retry"),
    T("ERR-056", IFJ, "AddFile", "§14.2 ST-19; §2.2 T17", B, REQ, 0, add_after,
      0,
      "AddFile to a TRANSFERRED job, Resume -> only the new file is fetched; "
      "TRANSFERRED, 2 files, both exact"),
    {.id = "ERR-057",
     .iface = "IBackgroundCopyJob4",
     .method = "SetMaximumDownloadTime",
     .rule = "§14.2 ST-20; §3.4",
     .profiles = B,
     .evidence = REQ,
     .setup = S_MGR,
     .run = max_download_time,
     .timeout_s = 60,
     .needs = CONF_NEEDS_CLOCK,
     .expect = "stalled server, MaximumDownloadTime 60 s -> ERROR "
               "BG_E_MAXDOWNLOAD_TIMEOUT; Resume restarts the count (30 s "
               "later still TRANSFERRING), then ERROR again"},
    T("ERR-058", IFJ, "GetState", "§14.2 ST-21; decisions.md D14", D, REQ, 0,
      connecting_state, 0,
      "DO: headers delayed 300 ms, 2 files -> CONNECTING never seen by "
      "GetState nor inside callbacks"),
    T("ERR-059", IFJ, "GetState", "decisions.md D14, I3", B, INF, 0,
      connecting_state, 1,
      "BITS: headers delayed 300 ms -> CONNECTING seen before TRANSFERRING"),
    T("ERR-060", IFJ, "GetProgress", "§14.3 FILE-10 (with data)", A, REQ, D,
      total_unknown, 0,
      "f0 done, f1's answer delayed -> BytesTotal BG_SIZE_UNKNOWN, "
      "FilesTotal 2; then BytesTotal 8000"),
    T("ERR-061", "IBackgroundCopyFile5", "GetProperty",
      "§14.3 FILE-12; decisions.md I10", A, REQ, 0, response_headers, 0,
      "after TRANSFERRED HTTP_RESPONSE_HEADERS holds Content-Length: 3210 "
      "(name compared without case: HTTP/2 sends it lower-case)"),
    T("ERR-062", "IBackgroundCopyFile", "GetProgress", "§14.3 FILE-04, FILE-05",
      A, REQ, 0, file_done, 0,
      "TRANSFERRED: BytesTransferred = BytesTotal = 4321, Completed FALSE, no "
      "local file; after Complete Completed TRUE, file exact"),
    T("ERR-063", IFJ, "GetErrorCount", "§14.2 ST-18", B, REQ, 0,
      error_count_kept, 0,
      "503 forever: 0, then 1 at TRANSIENT_ERROR, 2 after the failed retry; "
      "Suspend / Resume do not reset it"),
    T("ERR-064", "IBackgroundCopyJobHttpOptions", "SetSecurityFlags",
      "§14.9 HTTP-09; §7.5", B, REQ, 0, tls_to_plain_refused, 0,
      "https 302 -> http://, default policy -> ERROR; the http:// server "
      "gets no request, no local file"),
    T("ERR-065", "IBackgroundCopyJobHttpOptions", "SetSecurityFlags",
      "§14.9 HTTP-09; docs/engine.md (CURLE_UNSUPPORTED_PROTOCOL)", B, INF, 0,
      tls_to_plain_refused, 1,
      "refused https -> http redirect: BG_E_INSUFFICIENT_HTTP_SUPPORT, "
      "REMOTE_FILE, file 0"),
    T("ERR-066", "IBackgroundCopyJobHttpOptions", "SetSecurityFlags",
      "§14.9 HTTP-09; §7.5", B, REQ, 0, tls_allowed, 0,
      "ALLOW_HTTPS_TO_HTTP: https 302 -> http:// -> TRANSFERRED, bytes of "
      "the http:// server"),
    T("ERR-067", "IBackgroundCopyJobHttpOptions", "SetSecurityFlags",
      "§14.9 HTTP-01, HTTP-08 over TLS (control for HTTP-09)", B, REQ, 0,
      tls_plain, 0,
      "https 302 -> https (same server), IGNORE_UNKNOWN_CA -> TRANSFERRED, "
      "bytes exact"),
};

const conf_suite conf_suite_errors = {
    .name = "errors",
    .title = "errors and the state machine over the wire: every h2mock fault "
             "action -> state, error context and code; retries, timeouts, "
             "Complete/Cancel/Suspend with data",
    .cases = cases,
    .ncases = CONF_ARRAY_LEN(cases),
};
