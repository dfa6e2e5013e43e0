/*
 * xfer.h - support for the end-to-end transfer tests (issue 4, item 10).
 *
 * The tests reach the reference only through its COM interfaces (made with
 * DllGetClassObject) and IDoctsTestClock; the network side is a real h2mock
 * child process on a free loopback port with a fixture directory generated
 * per case.  This header owns the tools: assertion macros that print both
 * values (HRESULTs as hex and name), seeded fixtures for h2mock (started
 * and steered through ../mockctl.h) and the reading of its request log,
 * SHA-256, the per-case fixture (manager, clock, temporary directory,
 * tracked jobs), waits with deadlines and a recording
 * IBackgroundCopyCallback3.  The test files own the cases.
 */
#ifndef DOCTS_XFER_H
#define DOCTS_XFER_H

#define COBJMACROS
#include <bits.h>
#include <bits1_5.h>
#include <bits2_0.h>
#include <bits2_5.h>
#include <bits3_0.h>
#include <bits4_0.h>
#include <bits5_0.h>
#include <bits10_1.h>
#include <bitsmsg.h>
#include <deliveryoptimization.h>
#include <deliveryoptimizationerrors.h>
#include <docts_ext.h>

#include <CUnit/CUnit.h>

#include "../mockctl.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

STDAPI DllGetClassObject(REFCLSID rclsid, REFIID riid, LPVOID *ppv);

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- assertions ------------------------------------------------------- */

/* Records one CUnit assertion with a formatted message. */
void xt_check(int ok, int line, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* "0x80190194 (BG_E_HTTP_ERROR_404)" into buf; returns buf. */
const char *xhr(HRESULT hr, char *buf, size_t len);

#define X_HR(ctx, expected, actual)                                            \
    do {                                                                       \
        HRESULT e_ = (expected), a_ = (actual);                                \
        char eb_[96], ab_[96];                                                 \
        xt_check(e_ == a_, __LINE__, __FILE__, "[%s] %s: expected %s, got %s", \
                 (ctx), #actual, xhr(e_, eb_, sizeof eb_),                     \
                 xhr(a_, ab_, sizeof ab_));                                    \
    } while (0)

#define X_U64(ctx, expected, actual)                                           \
    do {                                                                       \
        unsigned long long e_ = (unsigned long long)(expected);                \
        unsigned long long a_ = (unsigned long long)(actual);                  \
        xt_check(e_ == a_, __LINE__, __FILE__,                                 \
                 "[%s] %s: expected %llu (0x%llx), got %llu (0x%llx)", (ctx),  \
                 #actual, e_, e_, a_, a_);                                     \
    } while (0)

#define X_TRUE(ctx, cond)                                                      \
    xt_check(!!(cond), __LINE__, __FILE__, "[%s] expected: %s", (ctx), #cond)

/* State equality, printed by name. */
#define X_STATE(ctx, expected, actual)                                         \
    do {                                                                       \
        int e_ = (int)(expected), a_ = (int)(actual);                          \
        xt_check(e_ == a_, __LINE__, __FILE__, "[%s] %s: expected %s, got %s", \
                 (ctx), #actual, xstate_name(e_), xstate_name(a_));            \
    } while (0)

#define X_STR(ctx, expected, actual)                                           \
    do {                                                                       \
        const char *e_ = (expected), *a_ = (actual);                           \
        xt_check(e_ &&a_ &&strcmp(e_, a_) == 0, __LINE__, __FILE__,            \
                 "[%s] %s: expected \"%s\", got \"%s\"", (ctx), #actual,       \
                 e_ ? e_ : "(null)", a_ ? a_ : "(null)");                      \
    } while (0)

/* "QUEUED" ... "CANCELLED", "(none)" for -1, "?" otherwise. */
const char *xstate_name(int state);
/* BG_ERROR_CONTEXT name. */
const char *xctx_name(int ctx);

/* A poisoned out-string: proves the callee wrote the out-parameter. */
#define POISON_STR ((LPWSTR)(uintptr_t)0xdeadbeef)

/* ---- h2mock (../mockctl.h: start, stop, rules, log, fixture files) ---- */

/*
 * Writes a fixture file <root>/<name> of `size` deterministic bytes
 * (a function of `seed` and the offset) and stores its SHA-256 in hex
 * (65 bytes) when `hex` is not NULL.  Returns 0 or -1.
 */
int xsrv_file(struct mockctl *s, const char *name, size_t size, unsigned seed,
              char *hex);
/* The deterministic byte at `off` for `seed` (what xsrv_file wrote). */
unsigned char xbyte(unsigned seed, size_t off);

/* SHA-256 of a buffer / of a file, in hex (65 bytes). File: 0 or -1. */
void xsha_buf(const void *data, size_t len, char *hex);
int xsha_file(const char *path, char *hex);

/* ---- request log ------------------------------------------------------ */

/* One finished (or in-flight) request of the log, fields copied out. */
struct xreq {
    int seq;
    int conn; /* h2mock's connection id, 0 if absent */
    int status;
    long long bytes;
    char proto[16];
    char path[128];
    char outcome[24];
    char range[64];    /* value of the Range header, "" if none */
    char if_range[96]; /* value of If-Range, "" if none */
    const char *line;  /* the raw JSON line (inside the log text) */
};

/*
 * Parses the requests of `log` whose path equals `path` (all when NULL)
 * into out[0..max); returns how many matched (may exceed max).
 */
int xlog_requests(const char *log, const char *path, struct xreq *out, int max);
/* Value of request header `name` (case-insensitive) on one log line into
 * buf; 1 when found, 0 otherwise. */
int xlog_header(const char *line, const char *name, char *buf, size_t len);
/* Requests for `path` in the current log (fetches it). -1 on failure. */
int xsrv_count(struct mockctl *s, const char *path);

/* ---- per-case fixture ------------------------------------------------- */

enum xmode { XM_BITS = 0, XM_DO = 1 };

#define XFX_MAX_JOBS 64
struct xfx {
    enum xmode mode;
    IBackgroundCopyManager *mgr;
    IDoctsTestClock *clock;
    struct mockctl srv;
    char dir[256]; /* local download directory (mkdtemp) */
    IBackgroundCopyJob *jobs[XFX_MAX_JOBS];
    int njobs;
};

/* Manager of `mode`, its clock (speed 1), a started h2mock (tls or not)
 * and a download directory.  0, or -1 with a recorded failure. */
int xfx_open(struct xfx *fx, enum xmode mode, int tls);
/* Cancels and releases tracked jobs, stops h2mock, resets the clock speed
 * to 1, removes the download directory. */
void xfx_close(struct xfx *fx);
/* A new tracked download job (named "xfer"), or NULL (recorded). */
IBackgroundCopyJob *xfx_job(struct xfx *fx);
/* A CoTaskMemAlloc'd URL <base>/<name> and local path <dir>/<name>. */
WCHAR *xfx_url(struct xfx *fx, const char *name);
WCHAR *xfx_local(struct xfx *fx, const char *name);
/* <dir>/<name> as UTF-8 into buf. */
const char *xfx_path(struct xfx *fx, const char *name, char *buf, size_t len);
/* AddFile(<base>/<name>, <dir>/<local ? local : name>). */
HRESULT xfx_add(struct xfx *fx, IBackgroundCopyJob *job, const char *name,
                const char *local);
/* Number of temporary files (BIT*.tmp) left in the download directory. */
int xfx_temp_count(struct xfx *fx);
/* 1 when <dir>/<name> exists. */
int xfx_exists(struct xfx *fx, const char *name);
/* SHA-256 hex of <dir>/<name>; "" when it cannot be read. */
void xfx_hash(struct xfx *fx, const char *name, char *hex);

/* Advance the test clock by `ms` (records a failure if it fails). */
void xfx_advance(struct xfx *fx, UINT64 ms);

/* ---- job helpers ------------------------------------------------------ */

int xjob_state(IBackgroundCopyJob *job);

/* Distinct states seen by a wait, in order. */
struct xseq {
    int n;
    int s[64];
};

/*
 * Polls GetState every millisecond until the state is one of `mask`
 * (bits 1 << BG_JOB_STATE_x) or `timeout_ms` passed; returns the last
 * state read.  Appends each change to `seq` when not NULL.
 */
int xwait_mask(IBackgroundCopyJob *job, unsigned mask, int timeout_ms,
               struct xseq *seq);
#define XS(st) (1u << (st))
#define XS_FINAL_ISH                                                           \
    (XS(BG_JOB_STATE_ERROR) | XS(BG_JOB_STATE_TRANSIENT_ERROR) |               \
     XS(BG_JOB_STATE_TRANSFERRED) | XS(BG_JOB_STATE_ACKNOWLEDGED) |            \
     XS(BG_JOB_STATE_CANCELLED))

/* Asserts that `seq` is a subsequence of QUEUED, CONNECTING,
 * TRANSFERRING, TRANSFERRED (spec behavior.md 2.4), without CONNECTING in
 * DO mode (D14). */
void xcheck_seq(const char *ctx, const struct xseq *seq, int do_mode);
/* "QUEUED>CONNECTING>..." into buf. */
const char *xseq_text(const struct xseq *seq, char *buf, size_t len);

/* Waits until the job's BytesTransferred is at least `bytes`; returns the
 * value last read (BG_SIZE_UNKNOWN on failure). */
UINT64 xwait_bytes(IBackgroundCopyJob *job, UINT64 bytes, int timeout_ms);

/* GetError then IBackgroundCopyError::GetError: ctx/code, or -1/0 with
 * the failing HRESULT returned. */
HRESULT xjob_error(IBackgroundCopyJob *job, int *ctx, HRESULT *code);
/* Prints the job's state, progress and stored error to stderr (for
 * diagnosing a failed expectation). */
void xjob_dump(const char *label, IBackgroundCopyJob *job);
/* BG_JOB_PROGRESS of the job (poisoned on failure). */
BG_JOB_PROGRESS xjob_progress(IBackgroundCopyJob *job);
/* IBackgroundCopyJob5::SetProperty(id, v) expecting S_OK (`what` names
 * it in a failure). */
void xjob5_set(IBackgroundCopyJob *job, BITS_JOB_PROPERTY_ID id,
               BITS_JOB_PROPERTY_VALUE v, const char *what);
/* The n-th file (0-based) through EnumFiles, or NULL; caller releases. */
IBackgroundCopyFile *xjob_file(IBackgroundCopyJob *job, ULONG n);
/* Interface of a job (QueryInterface), NULL with a recorded failure. */
void *xqi(void *iface, const IID *iid);
ULONG xrelease(void *iface);
/* UTF-16 copy (CoTaskMemAlloc) of UTF-8 text. */
WCHAR *xw(const char *s);
/* UTF-8 copy of UTF-16 into buf; returns buf. */
const char *xu8(const WCHAR *s, char *buf, size_t len);

/* The deadline of one wait, ms: 10000, or $XFER_WAIT_MS when set (to
 * shorten runs against an unfinished implementation). */
int xwait_default(void);

/* Sleep for `ms` milliseconds (real time). */
void xsleep_ms(int ms);

/* ---- recording callback ----------------------------------------------- */

enum xev_kind {
    XEV_TRANSFERRED,
    XEV_ERROR,
    XEV_MODIFICATION,
    XEV_FILE,
    XEV_RANGES,
    XEV_KINDS
};

/* What the callback does from inside JobTransferred / JobError. */
enum xcb_action {
    XCB_NONE,
    XCB_COMPLETE,        /* Complete on the job it was given */
    XCB_CANCEL,          /* Cancel */
    XCB_PROGRESS,        /* GetProgress */
    XCB_COMPLETE_RELEASE /* Complete, then Release the `held` reference */
};

struct xev {
    enum xev_kind kind;
    int late;      /* arrived after xcb_close() */
    int ctx;       /* XEV_ERROR: context */
    HRESULT code;  /* XEV_ERROR: error code */
    char name[64]; /* XEV_FILE / XEV_RANGES: local file base name */
    DWORD nranges; /* XEV_RANGES */
    UINT64 range0_off, range0_len;
};

#define XCB_MAX_EV 2048
struct xcb {
    IBackgroundCopyCallback3 iface;
    atomic_int refs;
    int level; /* 1, 2 or 3: highest callback interface answered */
    pthread_mutex_t mu;
    pthread_t test_thread;
    struct xev ev[XCB_MAX_EV];
    int nev;
    int counts[XEV_KINDS];
    int on_test_thread;   /* calls made on the thread that created it */
    int fail_transferred; /* return E_FAIL this many times first */
    int fail_error;
    enum xcb_action on_transferred, on_error;
    HRESULT action_hr; /* result of the action */
    BG_JOB_PROGRESS action_progress;
    int action_done;
    IBackgroundCopyJob *held; /* extra reference for XCB_COMPLETE_RELEASE */
    atomic_int closed;
};

/* Initialises a callback object with one reference (the test's). */
void xcb_init(struct xcb *cb, int level);
/* From now on, calls are recorded as late. */
void xcb_close(struct xcb *cb);
/* Destroys the mutex; the object must have no other references left. */
void xcb_fini(struct xcb *cb);
/* Number of events of `kind` (locked read). */
int xcb_count(struct xcb *cb, enum xev_kind kind);
/* Number of late events. */
int xcb_late(struct xcb *cb);
/* Waits until count(kind) >= n or timeout; returns the count. */
int xcb_wait(struct xcb *cb, enum xev_kind kind, int n, int timeout_ms);
IUnknown *xcb_unknown(struct xcb *cb);

#endif
