/*
 * suite_do_util.h - helpers shared by the DO-native suite's files
 * (suite_do.c, suite_do_net.c): the download object's life in a case, the
 * case's private h2mock with its generated payloads, VARIANT setters,
 * status waits, a recording IDODownloadStatusCallback, a recording IStream
 * sink and byte checks by SHA-256 (the mock and the hash are netcase.h's).
 * Everything here is reached through the SDK names; nothing of the reference is
 * linked.
 */
#ifndef DOCTS_SUITE_DO_UTIL_H
#define DOCTS_SUITE_DO_UTIL_H

#include "conf.h"

#include <bits10_3.h>
#include <DODownloadInternal.h>

#define DOU_PAYLOAD_SIZE 100000u /* /a.bin, /slow.bin, /stall.bin */
#define DOU_WAIT_MS 10000u       /* default wait for a state */

/* Byte I of the generated payload. */
unsigned char dou_pbyte(uint64_t i);

/* Starts the case's private h2mock serving the generated payloads
 * (/a.bin and /b.bin, /slow.bin throttled to 64 KiB/s, /stall.bin
 * stalling after 4096 bytes; /gone.bin is missing) plus EXTRA_RULES (may be
 * NULL) and returns its base URL "http://127.0.0.1:PORT" (freed at the
 * end of the case; the server stops then).  Fails the case when it cannot
 * start. */
const char *dou_mock(conf_ctx *ctx, const char *extra_rules);

/* The private mock the last dou_mock call started (for nc_mock_stop /
 * nc_mock_restart of netcase.h). */
struct nc_mock;
struct nc_mock *dou_last_mock(void);

/* Base URL + PATH as UTF-16, freed at the end of the case. */
WCHAR *dou_url(conf_ctx *ctx, const char *base, const char *path);

/* The IDOManager of CLSID_DeliveryOptimization (released at the end).
 * Skips the case when the implementation offers none. */
IDOManager *dou_manager(conf_ctx *ctx);

/* CreateDownload asserting S_OK; the download is aborted and released at
 * the end of the case. */
IDODownload *dou_create(conf_ctx *ctx, IDOManager *m);

/* SetProperty wrappers returning the HRESULT (values copied). */
HRESULT dou_set_str(IDODownload *d, DODownloadProperty id, const WCHAR *s);
HRESULT dou_set_u4(IDODownload *d, DODownloadProperty id, ULONG v);
HRESULT dou_set_u8(IDODownload *d, DODownloadProperty id, ULONGLONG v);
HRESULT dou_set_bool(IDODownload *d, DODownloadProperty id, BOOL v);
HRESULT dou_set_unk(IDODownload *d, DODownloadProperty id, IUnknown *u);

/* Sets Uri = BASE/PATH and LocalPath = tmpdir/LOCAL (asserting S_OK). */
void dou_setup(conf_ctx *ctx, IDODownload *d, const char *base,
               const char *path, const char *local);

/* GetStatus asserting S_OK. */
DO_DOWNLOAD_STATUS dou_status(conf_ctx *ctx, IDODownload *d);

/* Polls until the state is STATE (fails after MS with the last status). */
DO_DOWNLOAD_STATUS dou_wait(conf_ctx *ctx, IDODownload *d, int state,
                            unsigned ms);

/* Name of a DODownloadState. */
const char *dou_state_name(int st);

/* Asserts the state equals EXPECTED (printed by name). */
void dou_expect_state_(conf_ctx *ctx, const char *file, int line,
                       const char *expr, int actual, int expected);
#define DOU_EXPECT_STATE(ctx, actual, expected)                                \
    dou_expect_state_((ctx), __FILE__, __LINE__, #actual, (int)(actual),       \
                      (int)(expected))

/* Brings a new download with Uri BASE/PATH and LocalPath tmpdir/LOCAL to
 * STATE (Created, Transferring, Paused, Transferred, Finalized, Aborted).
 * Transferring and Paused need PATH to be a stalling one. */
IDODownload *dou_reach(conf_ctx *ctx, IDOManager *m, const char *base,
                       int state, const char *local);

/* Asserts that the file tmpdir/NAME holds exactly payload[OFF, OFF+LEN)
 * (compared by SHA-256). */
void dou_expect_file(conf_ctx *ctx, const char *name, uint64_t off,
                     uint64_t len);

/* Asserts BUF/LEN equals the concatenation of the payload ranges
 * (pairs OFFSET, LENGTH; NR of them) by SHA-256. */
void dou_expect_bytes(conf_ctx *ctx, const unsigned char *buf, size_t len,
                      const uint64_t *ranges, size_t nr);

/* True when tmpdir/NAME exists. */
bool dou_exists(conf_ctx *ctx, const char *name);

/* ---- the recording callback ------------------------------------------- */

typedef enum {
    DOU_CB_RECORD,    /* record only */
    DOU_CB_GETSTATUS, /* also calls GetStatus from inside */
    DOU_CB_PAUSE,     /* Pause at the first Transferring status */
    DOU_CB_ABORT,     /* Abort at the first Transferring status */
    DOU_CB_FINALIZE,  /* Finalize at the first Transferred status */
} dou_cb_mode;

typedef struct dou_cb {
    IDODownloadStatusCallback iface;
    LONG refs;
    dou_cb_mode mode;
    volatile LONG calls;
    int states[512];
    HRESULT inner_hr; /* of the call made from inside */
    volatile LONG inner_done;
    volatile LONG bad_download; /* the download argument was wrong */
    IDODownload *expect_dl;
} dou_cb;

/* A callback object with static storage (one of a few per case). */
dou_cb *dou_cb_new(conf_ctx *ctx, dou_cb_mode mode, IDODownload *d);

/* ---- the recording stream --------------------------------------------- */

typedef struct dou_stream {
    IStream iface;
    LONG refs;
    unsigned char *buf;
    size_t len, cap;
    volatile LONG writes;
    HRESULT fail_with; /* S_OK: accept; else every Write returns it */
    unsigned delay_ms; /* each Write first sleeps this long */
} dou_stream;

dou_stream *dou_stream_new(conf_ctx *ctx);

/* Monotonic milliseconds; sleeping MS of real time; whether PATH exists
 * (the platform layer's, for the suite's bodies). */
uint64_t dou_now_ms(void);
void dou_nap(unsigned ms);
bool dou_path_exists(const char *path);

/* Lets MS of implementation time pass (test clock when it has one). */
void dou_pass(conf_ctx *ctx, unsigned ms);

#endif
