/*
 * conf.h - what a conformance suite sees: the case table format, the
 * per-case context and the assertion helpers.
 *
 * A suite is a table of conf_case rows (one file per suite, the table at
 * its end) and a conf_suite that names it; conformance/suites.h lists the
 * suites once.  The runner (runner.c) runs every selected case, once per
 * profile it applies to, in a child process of its own with its own
 * temporary directory; inside the child the case body gets a conf_ctx whose
 * setup is already done (implementation loaded through DllGetClassObject,
 * manager created for the profile's coclass, optionally a fresh job).
 *
 * The assertion macros compare, record expected and actual (HRESULTs as
 * hex and symbolic name) for the reports, and end the case on the first
 * mismatch; the runner then cancels the jobs the case created.  Suites use
 * SDK names only (the bits*.h / deliveryoptimization.h headers) so the same
 * source compiles against the Windows SDK.
 */
#ifndef DOCTS_CONF_H
#define DOCTS_CONF_H

#ifndef COBJMACROS
#define COBJMACROS
#endif
#include <bits.h>
#include <bits10_1.h>
#include <bitsmsg.h>
#include <deliveryoptimization.h>
#include <deliveryoptimizationerrors.h>
/* docts's optional test clock (not an SDK header; the Windows build finds
 * it in the generated include directory, conformance/win/sdk_gaps.py) */
#include <docts_ext.h>
#define DOCTS_HAVE_TEST_CLOCK 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONF_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- case tables ------------------------------------------------------- */

/* Profiles: which coclass the case's objects come from (DESIGN.md). */
#define CONF_P_BITS 0x1u /* CLSID_BackgroundCopyManager: BG_E_* codes */
#define CONF_P_DO 0x2u   /* CLSID_DeliveryOptimization: DO_E_* codes */
#define CONF_P_ALL (CONF_P_BITS | CONF_P_DO)

/* Evidence level (DESIGN.md): required = documented or observed on Windows
 * (a failure fails the run); informative = pins one of our decisions
 * (reported, never fails a vendor's run). */
typedef enum { CONF_REQUIRED, CONF_INFORMATIVE } conf_evidence;

/* What the runner prepares before the case body runs. */
typedef enum {
    CONF_SETUP_NONE,    /* nothing: the implementation is not even loaded */
    CONF_SETUP_LIB,     /* implementation loaded; ctx->get_class_object */
    CONF_SETUP_MANAGER, /* + ctx->mgr from the profile's coclass */
    CONF_SETUP_JOB,     /* + ctx->job: a fresh download job "docts" */
} conf_setup;

/* Extra needs of a case (conf_case.needs). */
#define CONF_NEEDS_MOCK 0x1u  /* h2mock running; ctx->mock_url is set */
#define CONF_NEEDS_CLOCK 0x2u /* IDoctsTestClock, or --slow (real time) */
#define CONF_NEEDS_SLOW 0x4u  /* runs only with --slow */
/* applies to in-process servers only: the DLL's own exports, LockServer,
 * a NULL [out] pointer (a proxy refuses it before the call leaves the
 * client); reported as not applicable with --impl com:local
 * (docs/decisions.md "Out-of-process implementations") */
#define CONF_NEEDS_INPROC 0x8u

typedef struct conf_ctx conf_ctx;
typedef struct conf_case conf_case;

struct conf_case {
    const char *id;     /* stable, e.g. "MGR-001" */
    const char *iface;  /* interface under test, e.g. "IBackgroundCopyJob" */
    const char *method; /* method under test, e.g. "Resume" */
    const char *rule;   /* spec rule: a behavior.md §14 item or section */
    unsigned profiles;  /* CONF_P_* */
    conf_evidence evidence;
    unsigned informative_in; /* CONF_P_* profiles where a required case
                                only pins our decision (e.g. the DO pages
                                are silent); informative there */
    conf_setup setup;
    const char *expect; /* one line: setup -> action -> expectation */
    void (*run)(conf_ctx *ctx, const conf_case *c);
    intptr_t arg;       /* parameter for bodies shared by several rows */
    unsigned timeout_s; /* 0: the runner's default (30 s) */
    unsigned needs;     /* CONF_NEEDS_* */
    const IID *iid;     /* interface the case needs on its setup object
                           (job for SETUP_JOB, else manager); when QI
                           answers E_NOINTERFACE the case is skipped */
};

typedef struct conf_suite {
    const char *name;  /* "api-basics" */
    const char *title; /* one line for the reports */
    const conf_case *cases;
    size_t ncases;
    const IID *iid; /* interface the whole suite needs (or NULL);
                       checked like conf_case.iid */
} conf_suite;

/* ---- the context a case body gets -------------------------------------- */

struct conf_ctx {
    unsigned profile;         /* CONF_P_BITS or CONF_P_DO */
    const char *profile_name; /* "bits" / "do" */
    const CLSID *clsid;       /* the profile's coclass */
    LPFNGETCLASSOBJECT get_class_object;
    LPFNCANUNLOADNOW can_unload_now;
    IBackgroundCopyManager *mgr; /* SETUP_MANAGER and up */
    IBackgroundCopyJob *job;     /* SETUP_JOB */
    GUID job_id;
    const char *tmpdir;   /* private directory, removed afterwards */
    const char *mock_url; /* "http://127.0.0.1:PORT" with NEEDS_MOCK */
    bool slow;            /* --slow given */
    bool out_of_process;  /* --impl com:local: every call goes through a
                             proxy to the system's service, whose queue
                             all processes share */
#ifdef DOCTS_HAVE_TEST_CLOCK
    IDoctsTestClock *clock; /* NEEDS_CLOCK: the implementation's test clock,
                               or NULL when it has none (then --slow) */
#endif
    struct conf_ctx_priv *priv;
};

/* ---- assertions (each ends the case on mismatch) ------------------------ */

#if defined(__GNUC__)
#define CONF_NORETURN __attribute__((noreturn))
#define CONF_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define CONF_NORETURN
#define CONF_PRINTF(a, b)
#endif

/* The mode's code for a BITS code (errors.md §4.2): in the DO profile
 * BG_E_INVALID_STATE becomes DO_E_INVALID_STATE and so on; codes without a
 * DO counterpart are returned unchanged. */
HRESULT conf_hr(const conf_ctx *ctx, HRESULT bits_code);

/* "0x80200003 BG_E_EMPTY" into BUF (>= 64 bytes); returns BUF. */
const char *conf_hr_str(HRESULT hr, char *buf, size_t len);

void conf_check_hr_(conf_ctx *ctx, const char *file, int line, const char *expr,
                    HRESULT actual, HRESULT expected);
void conf_check_hr2_(conf_ctx *ctx, const char *file, int line,
                     const char *expr, HRESULT actual, HRESULT e1, HRESULT e2);
void conf_check_u64_(conf_ctx *ctx, const char *file, int line,
                     const char *expr, uint64_t actual, uint64_t expected,
                     bool hex);
void conf_check_wstr_(conf_ctx *ctx, const char *file, int line,
                      const char *expr, const WCHAR *actual,
                      const WCHAR *expected);
void conf_check_guid_(conf_ctx *ctx, const char *file, int line,
                      const char *expr, const GUID *actual,
                      const GUID *expected);
void conf_check_ptr_(conf_ctx *ctx, const char *file, int line,
                     const char *expr, const void *actual,
                     const void *expected);
void conf_check_nonnull_(conf_ctx *ctx, const char *file, int line,
                         const char *expr, const void *actual);
void conf_check_true_(conf_ctx *ctx, const char *file, int line,
                      const char *expr, bool cond, const char *expected,
                      const char *actual);
void conf_check_state_(conf_ctx *ctx, const char *file, int line,
                       const char *expr, int actual, int expected);

/* HRESULT of CALL equals EXPECTED. */
#define CONF_EXPECT_HR(ctx, call, expected)                                    \
    conf_check_hr_((ctx), __FILE__, __LINE__, #call, (call), (expected))
/* HRESULT of CALL is E1 or E2 (where the sources allow either). */
#define CONF_EXPECT_HR2(ctx, call, e1, e2)                                     \
    conf_check_hr2_((ctx), __FILE__, __LINE__, #call, (call), (e1), (e2))
/* Unsigned value (decimal; _HEX prints hex). */
#define CONF_EXPECT_U(ctx, actual, expected)                                   \
    conf_check_u64_((ctx), __FILE__, __LINE__, #actual, (uint64_t)(actual),    \
                    (uint64_t)(expected), false)
#define CONF_EXPECT_HEX(ctx, actual, expected)                                 \
    conf_check_u64_((ctx), __FILE__, __LINE__, #actual, (uint64_t)(actual),    \
                    (uint64_t)(expected), true)
/* BG_JOB_STATE value, printed by name. */
#define CONF_EXPECT_STATE(ctx, actual, expected)                               \
    conf_check_state_((ctx), __FILE__, __LINE__, #actual, (int)(actual),       \
                      (int)(expected))
/* UTF-16 strings (NULL allowed on either side). */
#define CONF_EXPECT_WSTR(ctx, actual, expected)                                \
    conf_check_wstr_((ctx), __FILE__, __LINE__, #actual, (actual), (expected))
#define CONF_EXPECT_GUID(ctx, actual, expected)                                \
    conf_check_guid_((ctx), __FILE__, __LINE__, #actual, (actual), (expected))
/* Pointer identity (NULL allowed). */
#define CONF_EXPECT_PTR(ctx, actual, expected)                                 \
    conf_check_ptr_((ctx), __FILE__, __LINE__, #actual,                        \
                    (const void *)(actual), (const void *)(expected))
#define CONF_EXPECT_NULL(ctx, actual) CONF_EXPECT_PTR(ctx, actual, NULL)
#define CONF_EXPECT_NONNULL(ctx, actual)                                       \
    conf_check_nonnull_((ctx), __FILE__, __LINE__, #actual,                    \
                        (const void *)(actual))
/* Any condition, with the expected and actual text to report. */
#define CONF_EXPECT_TRUE(ctx, cond, expected_text, actual_text)                \
    conf_check_true_((ctx), __FILE__, __LINE__, #cond, (cond),                 \
                     (expected_text), (actual_text))

/* Ends the case as failed with a free-form reason. */
CONF_NORETURN void conf_fail(conf_ctx *ctx, const char *fmt, ...)
    CONF_PRINTF(2, 3);
/* Ends the case as skipped (e.g. an optional feature is absent). */
CONF_NORETURN void conf_skip(conf_ctx *ctx, const char *fmt, ...)
    CONF_PRINTF(2, 3);

/* Prefix of the skip message of a case that does not apply to an
 * out-of-process implementation (the reports count these apart). */
#define CONF_NOT_APPLICABLE "not applicable out of process: "

/* ---- helpers for case bodies ------------------------------------------- */

/* Poison for out-parameters (STYLE.md 9): proves the callee wrote them. */
#define CONF_POISON32 0xdeadbeefu
#define CONF_POISON64 0xdeadbeefdeadbeefull
#define CONF_POISON_PTR ((void *)(uintptr_t)0xdeadbeefu)

/* Creates a job in the profile's manager (asserting S_OK, a non-NULL job and
 * a non-zero GUID) and registers it for Cancel at the end of the case.  The
 * returned reference belongs to the caller. */
IBackgroundCopyJob *conf_new_job(conf_ctx *ctx, const WCHAR *name,
                                 BG_JOB_TYPE type, GUID *id);

/* Registers JOB (AddRef'd here) for Cancel + Release at the end. */
void conf_track_job(conf_ctx *ctx, IBackgroundCopyJob *job);

/* Releases P at the end of the case (after the jobs were cancelled). */
void conf_defer_release(conf_ctx *ctx, IUnknown *p);

/* Memory freed at the end of the case. */
void *conf_alloc(conf_ctx *ctx, size_t n);

/* Absolute UTF-16 path of NAME inside the case's private directory. */
WCHAR *conf_tmp_path(conf_ctx *ctx, const char *name);

/* UTF-8 -> UTF-16 copy freed at the end of the case. */
WCHAR *conf_w(conf_ctx *ctx, const char *utf8);

/* N copies of CH followed by NUL, freed at the end of the case. */
WCHAR *conf_wrepeat(conf_ctx *ctx, WCHAR ch, size_t n);

/* UTF-8 copy of a UTF-16 string for messages, freed at the end. */
const char *conf_u8(conf_ctx *ctx, const WCHAR *s);

/* Lets MS milliseconds of the implementation's time pass: advances its
 * test clock when it has one, else sleeps in real time. */
void conf_sleep_ms(conf_ctx *ctx, unsigned ms);

/* Name of a BG_JOB_STATE value ("SUSPENDED"), or "?". */
const char *conf_state_name(int state);

/* Creates an instance of the profile's coclass through a fresh class
 * factory (DllGetClassObject -> IClassFactory::CreateInstance). */
HRESULT conf_create(conf_ctx *ctx, const CLSID *clsid, REFIID riid, void **out);

/* Starts docts again as a second process (platform.h conf_plat_self_run)
 * that loads the implementation as this run does (--impl), creates a
 * manager of the case's profile, CreateJob(NAME, DOWNLOAD), releases both
 * and exits; waits for it.  Returns the HRESULT of its calls (the first
 * that failed, else S_OK) and, on S_OK, the job's id in *ID.  Fails the
 * case when the helper could not run, crashed or printed nothing.  The
 * job belongs to the case: cancel it. */
HRESULT conf_job_from_helper(conf_ctx *ctx, const char *name, GUID *id);

#endif
