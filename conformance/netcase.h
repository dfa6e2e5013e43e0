/*
 * netcase.h - helpers for conformance cases that move bytes: a private
 * h2mock per case (rules, payload files, request log), deterministic
 * payloads with SHA-256, waiting for job states under deadlines, error
 * checks and a recording callback object.
 *
 * Isolation (docs/vendor-guide.md "Cases with a mock server"): a case that
 * needs fault rules or asserts what went over the wire starts its OWN
 * h2mock (nc_mock_start) rooted in its private directory; its rules, rule
 * counters and request log belong to that case alone, so cases run in
 * parallel without sharing state and nothing ever resets a shared server.
 * The runner's shared h2mock (ctx->mock_url, NEEDS_MOCK) serves fixtures/
 * read-only and is used only for static downloads without rules.
 *
 * Every function that can fail ends the case through conf_fail (as the
 * CONF_EXPECT_* macros do); none returns an error.  Memory and processes
 * are released at the end of the case.  Uses SDK names and conf.h only;
 * the OS surface is platform.h.
 */
#ifndef DOCTS_CONF_NETCASE_H
#define DOCTS_CONF_NETCASE_H

#include "conf.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- payloads ----------------------------------------------------------- */

/* Fills BUF with LEN bytes of the deterministic pattern SEED (xorshift32
 * over the seed; the same seed always gives the same bytes). */
void nc_pattern(uint8_t *buf, size_t len, uint32_t seed);

/* SHA-256 of LEN bytes as 64 lower-case hex digits + NUL into HEX[65]. */
void nc_sha256_hex(const void *data, size_t len, char hex[65]);

/* ---- the private mock server -------------------------------------------- */

typedef struct nc_mock nc_mock;

/* Starts a private h2mock for this case: root <tmpdir>/www (created),
 * request log <tmpdir>/h2mock-N.log, RULES (rule text, one rule a line, or
 * NULL for none) loaded with --faults.  The server is found through the
 * DOCTS_MOCK environment variable the runner sets (--mock), else h2mock
 * next to docts.  It is stopped at the end of the case (and dies with the
 * case if the case is killed).  A bad rule or a server that does not start
 * fails the case with h2mock's message. */
nc_mock *nc_mock_start(conf_ctx *ctx, const char *rules);

/* As nc_mock_start, but the server also speaks TLS (https://, ALPN h2 and
 * http/1.1) with the build's self-signed test certificate for 127.0.0.1:
 * DOCTS_TLS_DIR/{cert,key}.pem, else mock/tls/ beside the h2mock
 * executable.  Its root is <tmpdir>/www-tls, so it can run beside a plain
 * server of the same case.  Without a certificate the case is skipped.
 * nc_mock_base gives "https://127.0.0.1:PORT".  Clients must accept the
 * certificate (BITS: SetSecurityFlags with the BG_SSL_IGNORE_* flags). */
nc_mock *nc_mock_start_tls(conf_ctx *ctx, const char *rules);

/* As nc_mock_start, but the server also takes BITS uploads into
 * <tmpdir>/up (--upload-dir; read them with nc_read_local("up/NAME")),
 * paths under /reply/ being upload-reply sessions whose reply is the
 * upload's SHA-256 in hex (--upload-reply /reply/). */
nc_mock *nc_mock_start_uploads(conf_ctx *ctx, const char *rules);

/* As nc_mock_start_uploads, and every successful Create-Session Ack names
 * HOST_ID as BITS-Host-Id (--upload-host-id): the later packets of a
 * session come to "http://HOST_ID:PORT" (the server is one and the same). */
nc_mock *nc_mock_start_uploads_host(conf_ctx *ctx, const char *rules,
                                    const char *host_id);

/* Stops M and starts it again on the same port with new RULES (counters
 * and log restart; files stay).  Used to make a server "come back". */
void nc_mock_restart(conf_ctx *ctx, nc_mock *m, const char *rules);

/* Stops M now (a later restart is allowed); connections are refused
 * until then. */
void nc_mock_stop(nc_mock *m);

/* "http://127.0.0.1:PORT" of M ("https://..." for a TLS server). */
const char *nc_mock_base(const nc_mock *m);

/* Full URL of PATH ("/a.bin") on M as UTF-16 (freed with the case). */
WCHAR *nc_url(conf_ctx *ctx, const nc_mock *m, const char *path);

/* Writes a payload file PATH (e.g. "/a.bin", directories created) of LEN
 * pattern bytes SEED under M's root; returns the bytes (freed with the
 * case) and, when HEX is not NULL, their SHA-256. */
uint8_t *nc_put_file(conf_ctx *ctx, nc_mock *m, const char *path, size_t len,
                     uint32_t seed, char hex[65]);

/* ---- the request log ---------------------------------------------------- */

typedef struct nc_req {
    long seq;
    char method[16];
    char path[256];
    char proto[16];
    char range[256];    /* Range header value, "" when absent */
    char if_range[128]; /* If-Range header value, "" when absent */
    char packet[24];    /* BITS upload packet ("Fragment"), "" when none */
    int status;         /* 0 when no headers were sent */
    long long bytes;    /* body bytes handed to the connection */
    char rule[32];      /* rule that fired, "" when none */
    char outcome[24];   /* "complete", "closed", "reset", ... */
    char host[128];     /* Host header value, "" when absent */
    bool done;
} nc_req;

/* The finished requests M logged so far (log order = completion order),
 * freed with the case; *N receives their number. */
nc_req *nc_log(conf_ctx *ctx, nc_mock *m, size_t *n);

/* Waits up to MS real milliseconds until at least MIN requests for PATH
 * (NULL: any path) are logged; returns the whole log like nc_log. */
nc_req *nc_log_wait(conf_ctx *ctx, nc_mock *m, const char *path, size_t min,
                    unsigned ms, size_t *n);

/* Number of logged requests with METHOD (NULL any) for PATH (NULL any). */
size_t nc_log_count(const nc_req *r, size_t n, const char *method,
                    const char *path);

/* Number of logged BITS upload packets of type PACKET ("Cancel-Session"). */
size_t nc_log_packets(const nc_req *r, size_t n, const char *packet);

/* One line per request ("GET /a.bin Range=bytes=5- -> 206 100 B complete")
 * for failure messages, freed with the case. */
const char *nc_log_text(conf_ctx *ctx, const nc_req *r, size_t n);

/* ---- jobs --------------------------------------------------------------- */

/* UTF-8 absolute path of NAME in the case directory (freed with the case). */
const char *nc_local8(conf_ctx *ctx, const char *name);

/* Creates a download job (tracked for Cancel) with one file per URL PATHS[i]
 * on M, saved as <tmpdir>/<LOCALS[i]> (LOCALS NULL: "f0", "f1", ...). */
IBackgroundCopyJob *nc_job(conf_ctx *ctx, nc_mock *m, const char *const *paths,
                           size_t n, const char *const *locals);

/* GetState, asserting S_OK. */
BG_JOB_STATE nc_state(conf_ctx *ctx, IBackgroundCopyJob *job);

/* Bit of a state for the masks below. */
#define NC_ST(s) (1u << (s))
#define NC_FINAL_MASK                                                          \
    (NC_ST(BG_JOB_STATE_ERROR) | NC_ST(BG_JOB_STATE_TRANSFERRED) |             \
     NC_ST(BG_JOB_STATE_ACKNOWLEDGED) | NC_ST(BG_JOB_STATE_CANCELLED))

/* States seen while waiting, distinct consecutive values in order. */
typedef struct nc_trace {
    int states[64];
    size_t n;
} nc_trace;

/* Polls GetState every few ms until the state is in MASK; returns it.
 * ADVANCE_MS > 0: each poll also advances the implementation's test clock
 * by that much (when it has one) so retry delays and timeouts pass.  MS is
 * the real-time deadline; on expiry the case fails naming the states seen.
 * TRACE (may be NULL) receives the sequence observed. */
BG_JOB_STATE nc_wait(conf_ctx *ctx, IBackgroundCopyJob *job, unsigned mask,
                     unsigned ms, unsigned advance_ms, nc_trace *trace);

/* "SUSPENDED > QUEUED > TRANSFERRED" (freed with the case). */
const char *nc_trace_text(conf_ctx *ctx, const nc_trace *t);

/* Asserts the job's error object: GetError S_OK, context CTXV and code HR
 * (exact), and GetFile: when FILE_INDEX >= 0 the file with that index in
 * the job (compared by local name), else FILE_NOT_AVAILABLE (mode code). */
void nc_expect_error(conf_ctx *ctx, IBackgroundCopyJob *job,
                     BG_ERROR_CONTEXT ctxv, HRESULT hr, int file_index);

/* Asserts that the job's error object names the file with index
 * FILE_INDEX (>= 0), or answers FILE_NOT_AVAILABLE (mode code) with NULL
 * (FILE_INDEX < 0). */
void nc_expect_error_file(conf_ctx *ctx, IBackgroundCopyJob *job,
                          int file_index);

/* Asserts GetError -> ERROR_INFORMATION_UNAVAILABLE (mode code). */
void nc_expect_no_error(conf_ctx *ctx, IBackgroundCopyJob *job);

/* Asserts that local file NAME (in the case dir) exists with exactly LEN
 * bytes whose SHA-256 is HEX. */
void nc_expect_file(conf_ctx *ctx, const char *name, size_t len,
                    const char *hex);

/* Asserts that local file NAME does not exist. */
void nc_expect_no_file(conf_ctx *ctx, const char *name);

/* Reads local file NAME (freed with the case); *LEN its size; NULL when it
 * does not exist. */
uint8_t *nc_read_local(conf_ctx *ctx, const char *name, size_t *len);

/* Basic credentials USER / PASSWORD for the server (freed with the
 * case), for IBackgroundCopyJob2::SetCredentials. */
BG_AUTH_CREDENTIALS nc_basic_cred(conf_ctx *ctx, const char *user,
                                  const char *password);

/* Job progress, asserting S_OK. */
BG_JOB_PROGRESS nc_progress(conf_ctx *ctx, IBackgroundCopyJob *job);

/* File I of JOB (0-based, via EnumFiles; released with the case). */
IBackgroundCopyFile *nc_file(conf_ctx *ctx, IBackgroundCopyJob *job,
                             unsigned i);

/* Sets MinimumRetryDelay / NoProgressTimeout (asserting S_OK). */
void nc_retry(conf_ctx *ctx, IBackgroundCopyJob *job, ULONG retry_s,
              ULONG noprogress_s);

/* Skips the case unless the implementation has a test clock or --slow was
 * given (cases with NEEDS_CLOCK get this from the runner already). */
void nc_need_time(conf_ctx *ctx);

/* UTF-8 path of an existing directory this process cannot create files
 * in (FILE-07): DOCTS_UNWRITABLE_DIR when set, else /proc/1 (Linux: not
 * writable even for root, who ignores file modes).  The candidate must be
 * a directory and is proven unwritable by failing to create a file in
 * it; when none is, the case is skipped. */
const char *nc_unwritable_dir(conf_ctx *ctx);

/* Sleeps MS milliseconds of real time (the test clock is not advanced;
 * conf_sleep_ms lets implementation time pass instead). */
void nc_nap(unsigned ms);

/* ---- threads and the shared mock --------------------------------------- */

/* Runs FN(ARG, i) for i = 0..N-1 on N threads at once (N <= 64) and waits
 * for all of them.  FN must not use the CONF_EXPECT_* macros (they end the
 * case from the main thread only): record results and check them after. */
void nc_threads(conf_ctx *ctx, unsigned n, void (*fn)(void *arg, unsigned i),
                void *arg);

/* Path (UTF-8, freed with the case) of fixture file NAME ("conf/x.txt")
 * in the directory the runner's shared h2mock serves (DOCTS_FIXTURES). */
const char *nc_fixture_path(conf_ctx *ctx, const char *name);

/* ---- a recording callback object --------------------------------------- */

/* Event kinds recorded by nc_cb. */
enum {
    NC_EV_TRANSFERRED = 1,
    NC_EV_ERROR,
    NC_EV_MODIFICATION,
    NC_EV_FILE,   /* Callback2::FileTransferred */
    NC_EV_RANGES, /* Callback3::FileRangesTransferred */
};

/* What the callback does inside a call (nc_cb.action). */
enum {
    NC_ACT_NONE = 0,
    NC_ACT_COMPLETE_IN_TRANSFERRED, /* Complete() inside JobTransferred */
    NC_ACT_CANCEL_IN_ERROR,         /* Cancel() inside JobError */
    NC_ACT_GETSTATE,                /* GetState/GetProgress in every call */
    NC_ACT_SUSPEND_IN_MODIFICATION, /* Suspend() in the first JobModif.
                                       that finds the job on its way */
    NC_ACT_SLEEP,                   /* sleeps 200 ms in FileTransferred */
};

#define NC_CB_MAX_EVENTS 4096

typedef struct nc_event {
    int kind;
    int state;     /* job state read inside the call (ACT_GETSTATE) */
    HRESULT hr;    /* JobError: the error's code; else action result */
    int err_ctx;   /* JobError: the error's context */
    char file[64]; /* FileTransferred: local file name (basename) */
    uint64_t t_ms; /* when (monotonic) */
} nc_event;

typedef struct nc_cb {
    IBackgroundCopyCallback3 iface; /* also Callback / Callback2 */
    atomic_long refs;
    unsigned level;  /* highest interface answered: 1, 2 or 3 */
    int action;      /* NC_ACT_* */
    int fail_first;  /* the first N calls of each kind return E_FAIL */
    HRESULT fail_hr; /* what a failing call returns (default E_FAIL) */
    /* recorded, appended by the notification thread(s) */
    nc_event ev[NC_CB_MAX_EVENTS];
    atomic_long nev;
    atomic_long inflight, max_inflight; /* concurrent calls */
    atomic_long calls[6];               /* per kind */
    atomic_long acted; /* 1 + index of the event that ran the action, or 0 */
} nc_cb;

/* A new callback object answering IUnknown and IBackgroundCopyCallback up
 * to LEVEL (1: Callback only, 2: + Callback2, 3: + Callback3), released
 * at the end of the case (after the jobs were cancelled). */
nc_cb *nc_cb_new(conf_ctx *ctx, unsigned level);

/* Advances the implementation's test clock by MS (nothing without one). */
void nc_advance(conf_ctx *ctx, unsigned ms);

/* Number of recorded events of KIND. */
long nc_cb_count(const nc_cb *cb, int kind);

/* Waits up to MS real ms (advancing the test clock by ADVANCE_MS per poll
 * when > 0) until at least N events of KIND were recorded; true if so. */
bool nc_cb_wait(conf_ctx *ctx, nc_cb *cb, int kind, long n, unsigned ms,
                unsigned advance_ms);

/* "F(f0) F(f1) T M" (freed with the case). */
const char *nc_cb_text(conf_ctx *ctx, const nc_cb *cb);

#endif
