/*
 * do_test.h - shared pieces of the DO-native API tests (do-tests).
 *
 * Assertion macros that print both values (HRESULTs as hex and name), the
 * suite list (one X-macro; each test file owns its CU_TestInfo table),
 * the suite's h2mock (../mockctl.h starts it and talks to its /_mock/
 * endpoint; do_support.c owns the fixtures and rules), COM helpers (manager,
 * downloads, VARIANT setters, waiting for a state) and two client objects
 * written for the tests: an IStream that records what it is given and an
 * IDODownloadStatusCallback that records every call.
 */
#ifndef DO_TEST_H
#define DO_TEST_H

#define COBJMACROS
#include "../mockctl.h"
#include "do_private.h"
#include "ref_network.h"
#include "ref_shared_engine.h"

#include <CUnit/CUnit.h>
#include <docts_ext.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define DT_EQ_HR(a, b)                                                         \
    do {                                                                       \
        uint32_t a_ = (uint32_t)(a), b_ = (uint32_t)(b);                       \
        if (a_ != b_)                                                          \
            fprintf(stderr,                                                    \
                    "\n  %s:%d: %s = 0x%08X (%s), expected 0x%08X (%s)\n",     \
                    __FILE__, __LINE__, #a, a_, dt_hr_name(a_), b_,            \
                    dt_hr_name(b_));                                           \
        CU_ASSERT_EQUAL(a_, b_);                                               \
    } while (0)

#define DT_EQ_INT(a, b)                                                        \
    do {                                                                       \
        long long a_ = (long long)(a), b_ = (long long)(b);                    \
        if (a_ != b_)                                                          \
            fprintf(stderr, "\n  %s:%d: %s = %lld, expected %s = %lld\n",      \
                    __FILE__, __LINE__, #a, a_, #b, b_);                       \
        CU_ASSERT_EQUAL(a_, b_);                                               \
    } while (0)

#define DT_EQ_STATE(a, b)                                                      \
    do {                                                                       \
        int a_ = (int)(a), b_ = (int)(b);                                      \
        if (a_ != b_)                                                          \
            fprintf(stderr, "\n  %s:%d: %s = %s, expected %s\n", __FILE__,     \
                    __LINE__, #a, do_state_name(a_), do_state_name(b_));       \
        CU_ASSERT_EQUAL(a_, b_);                                               \
    } while (0)

/* The in-process server's entry point (factory.c, linked statically). */
HRESULT DllGetClassObject(REFCLSID rclsid, REFIID riid, void **ppv);

/* "NAME" of an HRESULT, or "?". */
const char *dt_hr_name(uint32_t hr);

/* Suites: X(name, init, cleanup, tests). */
#define DT_SUITES(X)                                                           \
    X("do_props", dt_local_init, dt_local_cleanup, dt_props_tests)             \
    X("do_state", dt_local_init, dt_local_cleanup, dt_state_tests)             \
    X("do_manager", dt_local_init, dt_local_cleanup, dt_manager_tests)         \
    X("do_iunknown", dt_local_init, dt_local_cleanup, dt_iunknown_tests)       \
    X("do_matrix", dt_net_init, dt_net_cleanup, dt_matrix_tests)               \
    X("do_net", dt_net_init, dt_net_cleanup, dt_net_tests)                     \
    X("do_callbacks", dt_net_init, dt_net_cleanup, dt_cb_tests)                \
    X("do_service", dt_net_init, dt_net_cleanup, dt_service_tests)

extern CU_TestInfo dt_props_tests[], dt_state_tests[], dt_manager_tests[],
    dt_iunknown_tests[], dt_matrix_tests[], dt_net_tests[], dt_cb_tests[],
    dt_service_tests[];
int dt_local_init(void);
int dt_local_cleanup(void);
int dt_net_init(void);
int dt_net_cleanup(void);
/* test_props.c: prints the property x state table (markdown). */
void dt_print_matrix(void);

/* ---- h2mock (started and steered through ../mockctl.h) ---- */
extern struct mockctl dt_srv; /* the suite's server (dt_net_init) */
extern char dt_tmp[256];      /* a fresh directory for local files */

/* Clears the rules and the log, then adds `rules` (may be NULL). */
void dt_rules(const char *rules);
/* A free loopback port (nothing listens on it when this returns). */
int dt_free_port(void);

/* The deterministic payload byte i of a fixture. */
static inline unsigned char dt_byte(size_t i)
{
    return (unsigned char)((i * 131u + (i >> 8) * 7u + 13u) & 0xFF);
}
/* Writes fixture `name` with n payload bytes. */
int dt_put_payload(const char *name, size_t n);
/* Reads a local file; malloc'd, length in *n; NULL when missing. */
unsigned char *dt_read_file(const char *path, size_t *n);
/* Whether buf equals payload bytes [off, off + n). */
int dt_payload_eq(const unsigned char *buf, size_t off, size_t n);

/* ---- COM helpers ---- */
IDOManager *dt_manager(void);             /* through DllGetClassObject */
IDODownload *dt_create(IDOManager *m);    /* asserts S_OK */
IDoctsTestClock *dt_clock(IDOManager *m); /* QI'd; Release it */
HRESULT dt_set_str(IDODownload *d, DODownloadProperty id, const WCHAR *s);
HRESULT dt_set_str8(IDODownload *d, DODownloadProperty id, const char *s);
HRESULT dt_set_u4(IDODownload *d, DODownloadProperty id, ULONG v);
HRESULT dt_set_u8(IDODownload *d, DODownloadProperty id, UINT64 v);
HRESULT dt_set_bool(IDODownload *d, DODownloadProperty id, BOOL v);
HRESULT dt_set_unk(IDODownload *d, DODownloadProperty id, IUnknown *p);
/* URL of a fixture on dt_srv (static buffer per call site: copy it). */
const char *dt_url(const char *name, char *buf, size_t size);
/* Sets Uri to the fixture and LocalPath to dt_tmp/<local>. */
void dt_setup(IDODownload *d, const char *fixture, const char *local);
DO_DOWNLOAD_STATUS dt_status(IDODownload *d);
/* Polls GetStatus until State == st (and, when err_pred, Error != S_OK
 * or ExtendedError != S_OK) or `ms` real milliseconds passed.  Returns
 * the last status. */
DO_DOWNLOAD_STATUS dt_wait_state(IDODownload *d, DODownloadState st, int ms);
/* Polls until fn(status) is true or ms passed. */
DO_DOWNLOAD_STATUS dt_wait(IDODownload *d,
                           int (*fn)(const DO_DOWNLOAD_STATUS *), int ms);
/* Polls until the download is Paused with Error == err, or ms passed. */
DO_DOWNLOAD_STATUS dt_wait_error(IDODownload *d, HRESULT err, int ms);
/* A new download on *m (made on first use; the suite releases it) with
 * dt_setup(fixture, local) applied. */
IDODownload *dt_fresh(IDOManager **m, const char *fixture, const char *local);
void dt_sleep_ms(int ms);
/* Path of dt_tmp/<name> in buf. */
const char *dt_path(const char *name, char *buf, size_t size);

/* ---- test client objects ---- */
struct dt_stream {
    IStream IStream_iface;
    LONG ref;
    pthread_mutex_t lock;
    unsigned char *data;
    size_t len, cap;
    unsigned writes;
    size_t fail_after; /* Write fails once len would pass it (0 = never) */
    HRESULT fail_hr;
    int sequential_only; /* answer ISequentialStream, not IStream */
};
struct dt_stream *dt_stream_new(void);
void dt_stream_release(struct dt_stream *s);

#define DT_CB_MAX 512
struct dt_cb {
    IDODownloadStatusCallback IDODownloadStatusCallback_iface;
    LONG ref;
    pthread_mutex_t lock;
    unsigned calls;
    DO_DOWNLOAD_STATUS st[DT_CB_MAX];
    uint64_t ms[DT_CB_MAX]; /* ref_clock mono ms of each call */
    int bad_download;       /* a call came with another download pointer */
    IDODownload *expect;
    /* re-entrancy: on the first call whose State == on_state, do `action`
     * ('S' GetStatus, 'P' Pause, 'A' Abort, 'F' Finalize) and keep the
     * HRESULT. */
    int on_state;
    char action;
    HRESULT action_hr;
    int action_done;
    DO_DOWNLOAD_STATUS action_status;
    int sleep_ms; /* sleep in each call (abort-while-calling test) */
    int in_call;  /* a call is running */
};
struct dt_cb *dt_cb_new(IDODownload *expect);
void dt_cb_release(struct dt_cb *c);
unsigned dt_cb_calls(struct dt_cb *c);

#endif
