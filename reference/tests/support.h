/*
 * Test support for the reference's unit tests: assertion macros that print
 * both values (HRESULTs as hex and symbolic name), out-parameter poisoning,
 * the two-mode fixture (a manager made through DllGetClassObject ->
 * IClassFactory -> CreateInstance, a temporary directory, jobs in a chosen
 * state), UTF-16 helpers and a counting fake IUnknown / callback object.
 * The test files own their cases; this file owns nothing but the tools.
 */
#ifndef DOCTS_REF_TESTS_SUPPORT_H
#define DOCTS_REF_TESTS_SUPPORT_H

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

#include <CUnit/CUnit.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The in-process server's exports (DESIGN.md). */
STDAPI DllGetClassObject(REFCLSID rclsid, REFIID riid, LPVOID *ppv);
STDAPI DllCanUnloadNow(void);

/* ---- modes ------------------------------------------------------------ */

/* The two coclasses: BITS codes (BG_E_*) or DO codes (errors.md 4.2). */
enum mode { MODE_BITS = 0, MODE_DO = 1 };

extern const char *const mode_names[2];

/*
 * The code a method returns in `mode` for a condition whose BITS code is
 * `bits`: the errors.md 4.2 substitution in DO mode, `bits` unchanged
 * otherwise (and for every code the table does not map).
 */
HRESULT hr_mode(enum mode mode, HRESULT bits);

/* ---- assertions ------------------------------------------------------- */

/* Formats "0x80200002 (BG_E_INVALID_STATE)" into buf; returns buf. */
const char *hr_text(HRESULT hr, char *buf, size_t len);

/* Records a pass or a failure with a printf-style message. */
void t_check(int ok, int line, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#define ASSERT_HR(expected, actual)                                            \
    do {                                                                       \
        HRESULT e_ = (expected), a_ = (actual);                                \
        char eb_[96], ab_[96];                                                 \
        t_check(e_ == a_, __LINE__, __FILE__, "%s: expected %s, got %s",       \
                #actual, hr_text(e_, eb_, sizeof eb_),                         \
                hr_text(a_, ab_, sizeof ab_));                                 \
    } while (0)

/* Like ASSERT_HR with a context string (a table row's name). */
#define ASSERT_HR_AT(ctx, expected, actual)                                    \
    do {                                                                       \
        HRESULT e_ = (expected), a_ = (actual);                                \
        char eb_[96], ab_[96];                                                 \
        t_check(e_ == a_, __LINE__, __FILE__, "[%s] %s: expected %s, got %s",  \
                (ctx), #actual, hr_text(e_, eb_, sizeof eb_),                  \
                hr_text(a_, ab_, sizeof ab_));                                 \
    } while (0)

#define ASSERT_U64(expected, actual)                                           \
    do {                                                                       \
        unsigned long long e_ = (unsigned long long)(expected);                \
        unsigned long long a_ = (unsigned long long)(actual);                  \
        t_check(e_ == a_, __LINE__, __FILE__,                                  \
                "%s: expected %llu (0x%llx), got %llu (0x%llx)", #actual, e_,  \
                e_, a_, a_);                                                   \
    } while (0)

#define ASSERT_U64_AT(ctx, expected, actual)                                   \
    do {                                                                       \
        unsigned long long e_ = (unsigned long long)(expected);                \
        unsigned long long a_ = (unsigned long long)(actual);                  \
        t_check(e_ == a_, __LINE__, __FILE__,                                  \
                "[%s] %s: expected %llu (0x%llx), got %llu (0x%llx)", (ctx),   \
                #actual, e_, e_, a_, a_);                                      \
    } while (0)

#define ASSERT_PTR(expected, actual)                                           \
    do {                                                                       \
        const void *e_ = (const void *)(expected);                             \
        const void *a_ = (const void *)(actual);                               \
        t_check(e_ == a_, __LINE__, __FILE__, "%s: expected %p, got %p",       \
                #actual, e_, a_);                                              \
    } while (0)

#define ASSERT_NONNULL(actual)                                                 \
    do {                                                                       \
        const void *a_ = (const void *)(actual);                               \
        t_check(a_ != NULL && a_ != POISON_PTR, __LINE__, __FILE__,            \
                "%s: expected a written non-NULL pointer, got %p", #actual,    \
                a_);                                                           \
    } while (0)

#define ASSERT_TRUE(cond)                                                      \
    t_check(!!(cond), __LINE__, __FILE__, "expected true: %s", #cond)

/* UTF-16 string equality; prints both strings (as UTF-8). */
#define ASSERT_WSTR(expected, actual)                                          \
    t_wstr_check((expected), (actual), __LINE__, __FILE__, #actual)
void t_wstr_check(const WCHAR *exp, const WCHAR *act, int line,
                  const char *file, const char *expr);

#define ASSERT_GUID(expected, actual)                                          \
    t_guid_check((expected), (actual), __LINE__, __FILE__, #actual)
void t_guid_check(const GUID *exp, const GUID *act, int line, const char *file,
                  const char *expr);

/* ---- poisoning -------------------------------------------------------- */

#define POISON_U32 0xdeadbeefu
#define POISON_U64 0xdeadbeefdeadbeefull
#define POISON_PTR ((void *)(uintptr_t)0xdeadbeef)
/* Fills an out-struct with 0xCD bytes. */
#define POISON(x) memset(&(x), 0xCD, sizeof(x))

/* ---- UTF-16 ----------------------------------------------------------- */

/* Length in code units; NULL counts as 0. */
size_t wlen(const WCHAR *s);
/* 1 when both strings are equal (two NULLs are equal). */
int weq(const WCHAR *a, const WCHAR *b);
/*
 * A CoTaskMemAlloc'd string of `n` copies of `ch` after `prefix` (may be
 * NULL).  Never NULL (aborts the test run when memory is exhausted).
 * The caller frees with CoTaskMemFree.
 */
WCHAR *wrepeat(const WCHAR *prefix, WCHAR ch, size_t n);
/* A CoTaskMemAlloc'd UTF-16 copy of a UTF-8 string (aborts on failure). */
WCHAR *wfrom(const char *s);
/* A CoTaskMemAlloc'd UTF-16 copy of printf-formatted text. */
WCHAR *wfmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* UTF-8 rendering into buf for messages; returns buf. */
const char *wtext(const WCHAR *s, char *buf, size_t len);

/* ---- objects ---------------------------------------------------------- */

extern const CLSID *const mode_clsid[2];

/*
 * A new manager in `mode` via DllGetClassObject -> IClassFactory ->
 * CreateInstance(IID_IBackgroundCopyManager).  NULL (with a recorded
 * failure) when any step fails.  The caller releases it.
 */
IBackgroundCopyManager *make_manager(enum mode mode);

/* Releases any COM interface pointer and returns the count it reports. */
ULONG release(void *iface);
/* AddRef then Release: the object's current count (after both). */
ULONG refcount(void *iface);

/*
 * Per-test fixture: one manager, a temporary directory, and every job the
 * test created through it (cancelled and released by fx_close).
 */
#define FX_MAX_JOBS 512
struct fx {
    enum mode mode;
    IBackgroundCopyManager *mgr;
    char dir[256]; /* mkdtemp directory, removed by fx_close */
    WCHAR *wdir;   /* the same, UTF-16 (CoTaskMemAlloc'd) */
    IBackgroundCopyJob *jobs[FX_MAX_JOBS];
    unsigned njobs;
};

/* Opens the fixture; returns 0 on success (failures are recorded). */
int fx_open(struct fx *fx, enum mode mode);
/* Cancels (ignoring the result) and releases every tracked job, releases
 * the manager, resets the reference's policy settings (ref_policy_reset)
 * and removes the temporary directory recursively. */
void fx_close(struct fx *fx);

/*
 * A fresh download job named u"docts" with `nfiles` files
 * (http://127.0.0.1:9/fK -> <dir>/fK, K = 0..).  Tracked by fx (do not
 * release it yourself).  NULL with a recorded failure when creation fails.
 */
IBackgroundCopyJob *fx_job(struct fx *fx, unsigned nfiles);
/* Same with a job type (BITS mode accepts every type, R2). */
IBackgroundCopyJob *fx_job_typed(struct fx *fx, BG_JOB_TYPE type,
                                 unsigned nfiles);
/* Tracks a job created elsewhere (takes over one reference). */
void fx_track(struct fx *fx, IBackgroundCopyJob *job);

/* A CoTaskMemAlloc'd local path <dir>/<name>. */
WCHAR *fx_path(struct fx *fx, const char *name);
/* A CoTaskMemAlloc'd remote URL http://127.0.0.1:9/<name>. */
WCHAR *fx_url(const char *name);

/* Adds one file named `name` (both URL and local path) to the job. */
HRESULT fx_add(struct fx *fx, IBackgroundCopyJob *job, const char *name);

/* The job states a precondition test can put a fresh job in. */
enum pre {
    PRE_SUSPENDED,       /* new job, one file */
    PRE_QUEUED,          /* one file, Resume */
    PRE_ERROR,           /* planted fatal error */
    PRE_TRANSIENT_ERROR, /* planted transient error */
    PRE_CANCELLED,       /* Cancel */
    PRE_ACKNOWLEDGED,    /* Complete */
    PRE_COUNT
};
extern const char *const pre_names[PRE_COUNT];
extern const BG_JOB_STATE pre_states[PRE_COUNT];
#define PRE_IS_FINAL(p) ((p) == PRE_CANCELLED || (p) == PRE_ACKNOWLEDGED)

/* A job with one file in state `pre`; NULL (recorded failure) if the
 * state could not be reached. */
IBackgroundCopyJob *fx_job_in(struct fx *fx, enum pre pre);

/* The number of files the job reports through EnumFiles/GetCount, or
 * POISON_U32 when that fails (recorded). */
ULONG job_file_count(IBackgroundCopyJob *job);
/* The n-th file (0-based) through EnumFiles; NULL (recorded) if absent.
 * The caller releases it. */
IBackgroundCopyFile *job_file(IBackgroundCopyJob *job, ULONG n);

/* Reads the job's state (BG_JOB_STATE) or -1 when GetState fails. */
int job_state(IBackgroundCopyJob *job);

/* Plants a stored error {ctx, code, file_index (-1: no file)} and moves
 * the job along the engine's path (QUEUED, CONNECTING/TRANSFERRING) to
 * ERROR (transient = 0) or TRANSIENT_ERROR (transient = 1) through the
 * requests the scheduler makes of the job's owner (ref_job.h:
 * ref_job_started_locked, ref_job_connected_locked, ref_job_error_locked).
 * Returns 0 on success, -1 when a step was refused or the file index is
 * not one of the job's. */
int plant_error(IBackgroundCopyJob *job, int transient, BG_ERROR_CONTEXT ctx,
                HRESULT code, int file_index);

/* QueryInterface that records a failure and returns NULL on error. */
void *qi(void *iface, const IID *iid);

/* ---- fakes ------------------------------------------------------------ */

/*
 * A counting fake object answering IUnknown, IBackgroundCopyCallback (and,
 * when `cb2` is set, IBackgroundCopyCallback2).  Counts are atomic.
 */
struct fake {
    IBackgroundCopyCallback2 iface;
    int refs;
    int qi_calls;
    int cb2;
    int transferred, errors, modifications, file_transferred;
};
/* Initialises a stack fake with one reference. */
void fake_init(struct fake *f, int cb2);
IUnknown *fake_unknown(struct fake *f);
int fake_refs(struct fake *f);

/* ---- test registration helpers ----------------------------------------- */

/*
 * BOTH_MODES(name) defines name_bits() and name_do() that call
 * name(MODE_BITS) / name(MODE_DO); BOTH_INFO(name) lists both in a
 * CU_TestInfo table.
 */
#define BOTH_MODES(name)                                                       \
    static void name##_bits(void)                                              \
    {                                                                          \
        name(MODE_BITS);                                                       \
    }                                                                          \
    static void name##_do(void)                                                \
    {                                                                          \
        name(MODE_DO);                                                         \
    }
#define BOTH_INFO(name)                                                        \
    {#name " [bits]", name##_bits},                                            \
    {                                                                          \
#name " [do]", name##_do                                               \
    }

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
