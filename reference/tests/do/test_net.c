/*
 * test_net.c - IDODownload against h2mock: sinks (file, stream), ranges,
 * each fault's documented DODownloadState and codes, the method x state
 * matrix for the states that need transfers, and the behaviour properties
 * (headers sent, auth headers, cost policy, blocking mode, Http*).
 * Timed rules run on IDoctsTestClock (speed factor) so retries and
 * no-progress timeouts take milliseconds.
 */
#include "do_test.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define BIG 300000
#define WAIT 8000 /* real ms */

static IDOManager *mgr;

static void speed(double f)
{
    IDoctsTestClock *c = dt_clock(mgr);
    DT_EQ_HR(IDoctsTestClock_SetSpeedFactor(c, f), S_OK);
    IDoctsTestClock_Release(c);
}

static IDODownload *fresh(const char *fixture, const char *local)
{
    return dt_fresh(&mgr, fixture, local);
}

static void done(IDODownload *d)
{
    IDODownload_Abort(d);
    IDODownload_Release(d);
    speed(1.0);
}

static HRESULT want_err;
static int error_is(const DO_DOWNLOAD_STATUS *s)
{
    return s->Error == want_err && s->State == DODownloadState_Paused;
}

static int file_exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

/* Count of staging files ".<name>.*.do" in dt_tmp. */
static int staging_files(const char *name)
{
    char cmd[512], out[64] = "";
    FILE *f;
    snprintf(cmd, sizeof cmd, "ls -a '%s' | grep -c '^\\.%s\\.' || true",
             dt_tmp, name);
    f = popen(cmd, "r");
    if (f) {
        if (!fgets(out, sizeof out, f))
            out[0] = 0;
        pclose(f);
    }
    return atoi(out);
}

static char *wget_str(IDODownload *d, DODownloadProperty id, HRESULT want)
{
    VARIANT v;
    char *s = NULL;
    DT_EQ_HR(IDODownload_GetProperty(d, id, &v), want);
    if (v.vt == VT_BSTR)
        s = docom_utf8_from_utf16(v.bstrVal);
    VariantClear(&v);
    return s;
}

static char *mock_log(void)
{
    char *lg = NULL;
    mockctl_control(&dt_srv, "GET", "log", NULL, &lg);
    return lg;
}

/* ---- sinks and ranges --------------------------------------------------- */

static void whole_file(void)
{
    IDODownload *d;
    DO_DOWNLOAD_STATUS s;
    char local[512], *str;
    unsigned char *buf;
    size_t n;
    VARIANT v;

    dt_put_payload("a.bin", BIG);
    dt_rules(NULL);
    d = fresh("a.bin", "whole.bin");
    DT_EQ_HR(dt_set_bool(d, DODownloadProperty_ForegroundPriority, TRUE), S_OK);
    DT_EQ_HR(IDODownload_Start(d, NULL), S_OK);
    s = dt_wait_state(d, DODownloadState_Transferred, WAIT); /* DL-03 */
    DT_EQ_STATE(s.State, DODownloadState_Transferred);
    DT_EQ_INT(s.BytesTotal, BIG);
    DT_EQ_INT(s.BytesTransferred, BIG);
    DT_EQ_HR(s.Error, S_OK);
    dt_path("whole.bin", local, sizeof local);
    CU_ASSERT_FALSE(file_exists(local)); /* DL-04: not before Finalize */
    DT_EQ_HR(IDODownload_GetProperty(d, DODownloadProperty_TotalSizeBytes, &v),
             S_OK);
    DT_EQ_INT(v.ullVal, BIG);
    DT_EQ_HR(IDODownload_GetProperty(d, DODownloadProperty_HttpStatusCode, &v),
             S_OK);
    DT_EQ_INT(v.vt, VT_UI4);
    DT_EQ_INT(v.ulVal, 200);
    str = wget_str(d, DODownloadProperty_HttpServerIPAddress, S_OK);
    CU_ASSERT(str && strcmp(str, "127.0.0.1") == 0);
    free(str);
    str = wget_str(d, DODownloadProperty_HttpResponseHeaders, S_OK);
    CU_ASSERT(str && strstr(str, "300000") != NULL);
    free(str);
    str = wget_str(d, DODownloadProperty_HttpRedirectionTarget, E_NOT_SET);
    free(str);
    DT_EQ_HR(IDODownload_Start(d, NULL), S_OK); /* Transferred: no-op */
    DT_EQ_HR(IDODownload_Pause(d), S_OK);
    DT_EQ_STATE(dt_status(d).State, DODownloadState_Transferred);
    DT_EQ_HR(IDODownload_Finalize(d), S_OK);
    buf = dt_read_file(local, &n);
    DT_EQ_INT(n, BIG);
    CU_ASSERT(buf && dt_payload_eq(buf, 0, BIG));
    free(buf);
    DT_EQ_INT(staging_files("whole.bin"), 0);
    DT_EQ_HR(IDODownload_Start(d, NULL), DO_E_INVALID_STATE); /* DL-05 */
    DT_EQ_HR(IDODownload_Abort(d), DO_E_INVALID_STATE);
    DT_EQ_HR(IDODownload_Pause(d), DO_E_INVALID_STATE);
    DT_EQ_HR(IDODownload_Finalize(d), S_OK); /* no-op */
    DT_EQ_STATE(dt_status(d).State, DODownloadState_Finalized);
    IDODownload_Release(d);
    CU_ASSERT_TRUE(file_exists(local)); /* Abort after Finalize refused */
}

static DO_DOWNLOAD_RANGES_INFO *ranges(unsigned n, const UINT64 *pairs)
{
    DO_DOWNLOAD_RANGES_INFO *ri =
        calloc(1, sizeof *ri + n * sizeof(DO_DOWNLOAD_RANGE));
    ri->RangeCount = n;
    for (unsigned i = 0; i < n; i++) {
        ri->Ranges[i].Offset = pairs[2 * i];
        ri->Ranges[i].Length = pairs[2 * i + 1];
    }
    return ri;
}

static void file_ranges(void)
{
    static const UINT64 r1[] = {100, 1000,   50000,
                                200, 299000, DO_LENGTH_TO_EOF};
    static const UINT64 r2[] = {0, 10};
    DO_DOWNLOAD_RANGES_INFO *a = ranges(3, r1), *b = ranges(1, r2);
    IDODownload *d;
    DO_DOWNLOAD_STATUS s;
    char local[512];
    unsigned char *buf;
    size_t n;

    dt_put_payload("a.bin", BIG);
    dt_rules(NULL);
    d = fresh("a.bin", "ranged.bin");
    DT_EQ_HR(IDODownload_Start(d, a), S_OK);
    s = dt_wait_state(d, DODownloadState_Transferred, WAIT);
    DT_EQ_STATE(s.State, DODownloadState_Transferred);
    DT_EQ_INT(s.BytesTotal, 2200);
    DT_EQ_INT(s.BytesTransferred, 2200);
    /* another portion from Transferred */
    DT_EQ_HR(IDODownload_Start(d, b), S_OK);
    s = dt_wait_state(d, DODownloadState_Transferred, WAIT);
    DT_EQ_STATE(s.State, DODownloadState_Transferred);
    DT_EQ_INT(s.BytesTotal, 10);
    DT_EQ_HR(IDODownload_Finalize(d), S_OK);
    buf = dt_read_file(dt_path("ranged.bin", local, sizeof local), &n);
    DT_EQ_INT(n, BIG); /* DO-5: pieces at their offsets */
    if (buf && n == BIG) {
        CU_ASSERT(dt_payload_eq(buf, 0, 10));
        CU_ASSERT(dt_payload_eq(buf + 100, 100, 1000));
        CU_ASSERT(dt_payload_eq(buf + 50000, 50000, 200));
        CU_ASSERT(dt_payload_eq(buf + 299000, 299000, 1000));
        CU_ASSERT_EQUAL(buf[20], 0);
        CU_ASSERT_EQUAL(buf[60000], 0);
    }
    free(buf);
    IDODownload_Release(d);
    free(a);
    free(b);
}

static void stream_whole(void)
{
    struct dt_stream *st = dt_stream_new();
    IDODownload *d;
    DO_DOWNLOAD_STATUS s;
    VARIANT v;

    dt_put_payload("a.bin", BIG);
    dt_rules("match path=/a.bin action=throttle rate=3000000\n");
    d = fresh("a.bin", NULL);
    DT_EQ_HR(dt_set_unk(d, DODownloadProperty_StreamInterface,
                        (IUnknown *)&st->IStream_iface),
             S_OK);
    DT_EQ_HR(IDODownload_Start(d, NULL), S_OK);
    s = dt_wait_state(d, DODownloadState_Transferred, WAIT); /* DL-18 */
    DT_EQ_STATE(s.State, DODownloadState_Transferred);
    DT_EQ_INT(st->len, BIG);
    CU_ASSERT(st->len == BIG && dt_payload_eq(st->data, 0, BIG));
    CU_ASSERT(st->writes >= 2);
    DT_EQ_HR(IDODownload_GetProperty(d, DODownloadProperty_TotalSizeBytes, &v),
             S_OK);
    DT_EQ_INT(v.ullVal, BIG);
    DT_EQ_HR(IDODownload_Finalize(d), S_OK);
    DT_EQ_INT(st->len, BIG);
    IDODownload_Release(d);
    dt_stream_release(st);
}

static void stream_ranges(void)
{
    static const UINT64 r[] = {1000, 50, 10, 100, 299990, DO_LENGTH_TO_EOF};
    DO_DOWNLOAD_RANGES_INFO *ri = ranges(3, r);
    struct dt_stream *st = dt_stream_new();
    IDODownload *d;
    DO_DOWNLOAD_STATUS s;

    dt_put_payload("a.bin", BIG);
    dt_rules(NULL);
    d = fresh("a.bin", NULL);
    DT_EQ_HR(dt_set_unk(d, DODownloadProperty_StreamInterface,
                        (IUnknown *)&st->IStream_iface),
             S_OK);
    DT_EQ_HR(IDODownload_Start(d, ri), S_OK);
    s = dt_wait_state(d, DODownloadState_Transferred, WAIT);
    DT_EQ_STATE(s.State, DODownloadState_Transferred);
    DT_EQ_INT(s.BytesTotal, 160);
    DT_EQ_INT(st->len, 160); /* the ranges, back to back, in the order given */
    if (st->len == 160) {
        CU_ASSERT(dt_payload_eq(st->data, 1000, 50));
        CU_ASSERT(dt_payload_eq(st->data + 50, 10, 100));
        CU_ASSERT(dt_payload_eq(st->data + 150, 299990, 10));
    }
    done(d);
    dt_stream_release(st);
    free(ri);
}

static void stream_write_fails(void)
{
    struct dt_stream *st = dt_stream_new();
    IDODownload *d;
    DO_DOWNLOAD_STATUS s;

    st->fail_after = 100000;
    st->fail_hr = STG_E_MEDIUMFULL;
    dt_put_payload("a.bin", BIG);
    dt_rules(NULL);
    d = fresh("a.bin", NULL);
    DT_EQ_HR(dt_set_unk(d, DODownloadProperty_StreamInterface,
                        (IUnknown *)&st->IStream_iface),
             S_OK);
    DT_EQ_HR(IDODownload_Start(d, NULL), S_OK);
    s = dt_wait_state(d, DODownloadState_Paused, WAIT);
    DT_EQ_STATE(s.State, DODownloadState_Paused);
    DT_EQ_HR(s.Error, STG_E_MEDIUMFULL);
    CU_ASSERT(st->len <= 100000 && dt_payload_eq(st->data, 0, st->len));
    done(d);
    dt_stream_release(st);
}

/* ---- faults ------------------------------------------------------------ */

struct fault_case {
    const char *name;
    const char *rule; /* for /f.bin */
    int ranged;       /* Start with one range {1000, 5000} */
    DODownloadState state;
    HRESULT error, ext;
};

static const struct fault_case faults[] = {
    {"404", "match path=/f.bin action=status code=404", 0,
     DODownloadState_Paused, (HRESULT)0x80190194, S_OK},
    {"403", "match path=/f.bin action=status code=403", 0,
     DODownloadState_Paused, (HRESULT)0x80190193, S_OK},
    {"410", "match path=/f.bin action=status code=410", 0,
     DODownloadState_Paused, (HRESULT)0x8019019A, S_OK},
    {"no-length", "match path=/f.bin action=no-length", 0,
     DODownloadState_Paused, DO_E_FILE_SIZE_UNKNOWN_HTTP_200, S_OK},
    {"ignore-range", "match path=/f.bin action=ignore-range", 1,
     DODownloadState_Paused, DO_E_INSUFFICIENT_RANGE_SUPPORT, S_OK},
    {"bad-content-range", "match path=/f.bin action=bad-content-range shift=7",
     1, DODownloadState_Paused, DO_E_HTTP_BLOCKSIZE_MISMATCH, S_OK},
    {"204 (transient: stays Transferring)",
     "match path=/f.bin action=status code=204", 0,
     DODownloadState_Transferring, DO_E_UNEXPECTED_HTTP_STATUS_2XX,
     DO_E_UNEXPECTED_HTTP_STATUS_2XX},
    {"503 (transient: stays Transferring)",
     "match path=/f.bin action=status code=503", 0,
     DODownloadState_Transferring, (HRESULT)0x801901F7, (HRESULT)0x801901F7},
};

static const struct fault_case *want_fault;
static int fault_reached(const DO_DOWNLOAD_STATUS *s)
{
    return s->State == want_fault->state && s->Error == want_fault->error;
}

static void each_fault(void)
{
    static const UINT64 r[] = {1000, 5000};
    DO_DOWNLOAD_RANGES_INFO *ri = ranges(1, r);
    dt_put_payload("f.bin", 20000);
    speed(20.0); /* retries of a passing transport error take ms */
    for (size_t i = 0; i < sizeof faults / sizeof faults[0]; i++) {
        const struct fault_case *f = &faults[i];
        IDODownload *d;
        DO_DOWNLOAD_STATUS s;
        dt_rules(f->rule);
        d = fresh("f.bin", "fault.bin");
        DT_EQ_HR(IDODownload_Start(d, f->ranged ? ri : NULL), S_OK);
        want_fault = f;
        s = dt_wait(d, fault_reached, WAIT); /* a transport hiccup retries */
        if (s.State != f->state || s.Error != f->error ||
            s.ExtendedError != f->ext)
            fprintf(stderr, "\n  fault %s:", f->name);
        DT_EQ_STATE(s.State, f->state);
        DT_EQ_HR(s.Error, f->error);
        DT_EQ_HR(s.ExtendedError, f->ext);
        DT_EQ_HR(IDODownload_Abort(d), S_OK); /* DL-09 */
        DT_EQ_STATE(dt_status(d).State, DODownloadState_Aborted);
        IDODownload_Release(d);
    }
    speed(1.0);
    free(ri);
}

static void range_past_end(void)
{
    static const UINT64 r[] = {50000, 10};
    DO_DOWNLOAD_RANGES_INFO *ri = ranges(1, r);
    IDODownload *d;
    DO_DOWNLOAD_STATUS s;
    dt_put_payload("f.bin", 20000);
    dt_rules(NULL);
    d = fresh("f.bin", "past.bin");
    speed(20.0);
    DT_EQ_HR(IDODownload_Start(d, ri), S_OK);
    want_err = DO_E_INVALID_RANGE;
    s = dt_wait(d, error_is, WAIT);
    DT_EQ_STATE(s.State, DODownloadState_Paused);
    DT_EQ_HR(s.Error, DO_E_INVALID_RANGE);
    done(d);
    free(ri);
}

static void transient_recovers(void)
{
    IDODownload *d;
    DO_DOWNLOAD_STATUS s;
    struct dt_cb *cb;
    int saw = 0;

    dt_put_payload("f.bin", 20000);
    dt_rules("match path=/f.bin nth=1 action=status code=503\n");
    d = fresh("f.bin", "retry.bin");
    cb = dt_cb_new(d);
    DT_EQ_HR(dt_set_u4(d, DODownloadProperty_CallbackFreqSeconds, 0), S_OK);
    DT_EQ_HR(dt_set_unk(d, DODownloadProperty_CallbackInterface,
                        (IUnknown *)&cb->IDODownloadStatusCallback_iface),
             S_OK);
    speed(20.0); /* the 1-s back-off takes 50 ms */
    DT_EQ_HR(IDODownload_Start(d, NULL), S_OK);
    s = dt_wait_state(d, DODownloadState_Transferred, WAIT);
    DT_EQ_STATE(s.State, DODownloadState_Transferred);
    DT_EQ_HR(s.Error, S_OK);
    DT_EQ_HR(s.ExtendedError, S_OK);
    dt_sleep_ms(50);
    pthread_mutex_lock(&cb->lock);
    for (unsigned i = 0; i < cb->calls && i < DT_CB_MAX; i++)
        saw |= cb->st[i].State == DODownloadState_Transferring &&
               cb->st[i].Error == (HRESULT)0x801901F7 &&
               cb->st[i].ExtendedError == (HRESULT)0x801901F7;
    pthread_mutex_unlock(&cb->lock);
    CU_ASSERT_TRUE(saw); /* DO-2: Transferring with Error while retrying */
    done(d);
    dt_cb_release(cb);
}

static int transient_pause(const DO_DOWNLOAD_STATUS *s)
{
    return s->State == DODownloadState_Paused && s->Error == S_OK &&
           s->ExtendedError != S_OK;
}

static void unreachable_then_back(void)
{
    struct mockctl late;
    int port = dt_free_port();
    char url[256];
    IDODownload *d;
    DO_DOWNLOAD_STATUS s;

    dt_put_payload("f.bin", 20000);
    d = fresh("f.bin", "late.bin");
    snprintf(url, sizeof url, "http://127.0.0.1:%d/f.bin", port);
    DT_EQ_HR(dt_set_str8(d, DODownloadProperty_Uri, url), S_OK);
    speed(20.0);
    DT_EQ_HR(IDODownload_Start(d, NULL), S_OK);
    s = dt_wait(d, transient_pause, WAIT); /* DL-21 */
    DT_EQ_STATE(s.State, DODownloadState_Paused);
    DT_EQ_HR(s.Error, S_OK);
    DT_EQ_HR(s.ExtendedError, BG_E_CONNECT_FAILURE);
    CU_ASSERT_EQUAL_FATAL(
        mockctl_start_opts(
            &late, &(struct mockctl_opts){.port = port, .root = dt_srv.root}),
        0);
    s = dt_wait_state(d, DODownloadState_Transferred, WAIT);
    DT_EQ_STATE(s.State, DODownloadState_Transferred);
    DT_EQ_HR(s.ExtendedError, S_OK);
    DT_EQ_INT(s.BytesTransferred, 20000);
    done(d);
    mockctl_stop(&late);
}

static void no_progress(void)
{
    IDODownload *d;
    DO_DOWNLOAD_STATUS s;

    dt_put_payload("f.bin", 20000);
    dt_rules("match path=/f.bin action=stall after=1000\n");
    d = fresh("f.bin", "stalled.bin");
    DT_EQ_HR(dt_set_u4(d, DODownloadProperty_NoProgressTimeoutSeconds, 60),
             S_OK);
    speed(200.0); /* 60 s = 300 ms */
    DT_EQ_HR(IDODownload_Start(d, NULL), S_OK);
    want_err = DO_E_DOWNLOAD_NO_PROGRESS;
    s = dt_wait(d, error_is, WAIT); /* DL-20 */
    DT_EQ_STATE(s.State, DODownloadState_Paused);
    DT_EQ_HR(s.Error, DO_E_DOWNLOAD_NO_PROGRESS);
    DT_EQ_HR(s.ExtendedError, S_OK);
    DT_EQ_INT(s.BytesTransferred, 1000);
    done(d);
}

static void close_then_resume(void)
{
    IDODownload *d;
    DO_DOWNLOAD_STATUS s;
    char local[512], *lg;
    unsigned char *buf;
    size_t n;

    dt_put_payload("a.bin", BIG);
    dt_rules("match path=/a.bin nth=1 action=close after=100000\n");
    d = fresh("a.bin", "closed.bin");
    speed(20.0);
    DT_EQ_HR(IDODownload_Start(d, NULL), S_OK);
    s = dt_wait_state(d, DODownloadState_Transferred, WAIT);
    DT_EQ_STATE(s.State, DODownloadState_Transferred);
    DT_EQ_HR(IDODownload_Finalize(d), S_OK);
    buf = dt_read_file(dt_path("closed.bin", local, sizeof local), &n);
    DT_EQ_INT(n, BIG);
    CU_ASSERT(buf && n == BIG && dt_payload_eq(buf, 0, BIG));
    free(buf);
    lg = mock_log();
    CU_ASSERT(lg && strstr(lg, "\"bytes=") != NULL); /* resumed */
    free(lg);
    IDODownload_Release(d);
    speed(1.0);
}

/* ---- the method x state matrix (states that need transfers) ---------- */

static IDODownload *to_state(DODownloadState st, const char *tag)
{
    IDODownload *d;
    if (st == DODownloadState_Transferring || st == DODownloadState_Paused) {
        d = fresh("stall.bin", tag);
        DT_EQ_HR(IDODownload_Start(d, NULL), S_OK);
        if (st == DODownloadState_Paused)
            DT_EQ_HR(IDODownload_Pause(d), S_OK);
    } else {
        d = fresh("small.bin", tag);
        DT_EQ_HR(IDODownload_Start(d, NULL), S_OK);
        dt_wait_state(d, DODownloadState_Transferred, WAIT);
        if (st == DODownloadState_Finalized)
            DT_EQ_HR(IDODownload_Finalize(d), S_OK);
    }
    DT_EQ_STATE(dt_status(d).State, st);
    return d;
}

static void api_matrix(void)
{
    static const struct {
        DODownloadState from;
        char method;
        HRESULT hr;
        DODownloadState to;
    } rows[] = {
        {DODownloadState_Transferring, 'S', S_OK, DODownloadState_Transferring},
        {DODownloadState_Transferring, 'P', S_OK, DODownloadState_Paused},
        {DODownloadState_Transferring, 'F', DO_E_INVALID_STATE,
         DODownloadState_Transferring},
        {DODownloadState_Transferring, 'A', S_OK, DODownloadState_Aborted},
        {DODownloadState_Paused, 'S', S_OK, DODownloadState_Transferring},
        {DODownloadState_Paused, 'P', S_OK, DODownloadState_Paused},
        {DODownloadState_Paused, 'F', DO_E_INVALID_STATE,
         DODownloadState_Paused},
        {DODownloadState_Paused, 'A', S_OK, DODownloadState_Aborted},
        {DODownloadState_Transferred, 'S', S_OK, DODownloadState_Transferred},
        {DODownloadState_Transferred, 'P', S_OK, DODownloadState_Transferred},
        {DODownloadState_Transferred, 'F', S_OK, DODownloadState_Finalized},
        {DODownloadState_Transferred, 'A', S_OK, DODownloadState_Aborted},
        {DODownloadState_Finalized, 'S', DO_E_INVALID_STATE,
         DODownloadState_Finalized},
        {DODownloadState_Finalized, 'P', DO_E_INVALID_STATE,
         DODownloadState_Finalized},
        {DODownloadState_Finalized, 'F', S_OK, DODownloadState_Finalized},
        {DODownloadState_Finalized, 'A', DO_E_INVALID_STATE,
         DODownloadState_Finalized},
    };
    dt_put_payload("small.bin", 4096);
    dt_put_payload("stall.bin", 65536);
    dt_rules("match path=/stall.bin action=stall after=1000\n");
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char tag[64];
        IDODownload *d;
        HRESULT hr = E_FAIL;
        snprintf(tag, sizeof tag, "api-%zu.bin", i);
        d = to_state(rows[i].from, tag);
        switch (rows[i].method) {
        case 'S':
            hr = IDODownload_Start(d, NULL);
            break;
        case 'P':
            hr = IDODownload_Pause(d);
            break;
        case 'F':
            hr = IDODownload_Finalize(d);
            break;
        default:
            hr = IDODownload_Abort(d);
        }
        if (hr != rows[i].hr || dt_status(d).State != rows[i].to)
            fprintf(stderr, "\n  %c in %s:", rows[i].method,
                    do_state_name(rows[i].from));
        DT_EQ_HR(hr, rows[i].hr);
        DT_EQ_STATE(dt_status(d).State, rows[i].to);
        IDODownload_Abort(d);
        IDODownload_Release(d);
    }
}

/* ---- pause, abort, same path -------------------------------------------- */

static int some_bytes(const DO_DOWNLOAD_STATUS *s)
{
    return s->BytesTransferred > 0;
}

static void pause_resume(void)
{
    IDODownload *d;
    DO_DOWNLOAD_STATUS s;
    char local[512], *lg;
    unsigned char *buf;
    size_t n;
    UINT64 kept;

    dt_put_payload("a.bin", BIG);
    dt_rules("match path=/a.bin action=throttle rate=600000\n");
    d = fresh("a.bin", "paused.bin");
    DT_EQ_HR(IDODownload_Start(d, NULL), S_OK);
    dt_wait(d, some_bytes, WAIT);
    DT_EQ_HR(IDODownload_Pause(d), S_OK); /* DL-06 */
    s = dt_status(d);
    DT_EQ_STATE(s.State, DODownloadState_Paused);
    DT_EQ_HR(s.Error, S_OK);
    kept = s.BytesTransferred;
    CU_ASSERT(kept > 0 && kept < BIG);
    dt_sleep_ms(100);
    DT_EQ_INT(dt_status(d).BytesTransferred, kept); /* nothing moves */
    dt_rules(NULL);
    DT_EQ_HR(IDODownload_Start(d, NULL), S_OK);
    s = dt_wait_state(d, DODownloadState_Transferred, WAIT);
    DT_EQ_STATE(s.State, DODownloadState_Transferred);
    lg = mock_log();
    CU_ASSERT(lg && strstr(lg, "\"bytes=") != NULL); /* a Range resume */
    free(lg);
    DT_EQ_HR(IDODownload_Finalize(d), S_OK);
    buf = dt_read_file(dt_path("paused.bin", local, sizeof local), &n);
    DT_EQ_INT(n, BIG);
    CU_ASSERT(buf && n == BIG && dt_payload_eq(buf, 0, BIG));
    free(buf);
    IDODownload_Release(d);
}

static void abort_removes_own_files(void)
{
    IDODownload *d;
    char local[512], other[512];
    FILE *f;

    dt_put_payload("a.bin", BIG);
    dt_rules("match path=/a.bin action=throttle rate=600000\n");
    dt_path("unrelated.txt", other, sizeof other);
    f = fopen(other, "w");
    fputs("keep me", f);
    fclose(f);
    d = fresh("a.bin", "aborted.bin");
    DT_EQ_HR(IDODownload_Start(d, NULL), S_OK);
    dt_wait(d, some_bytes, WAIT);
    DT_EQ_HR(IDODownload_Pause(d), S_OK);
    DT_EQ_INT(staging_files("aborted.bin"), 1);
    DT_EQ_HR(IDODownload_Abort(d), S_OK); /* DL-08 */
    DT_EQ_INT(staging_files("aborted.bin"), 0);
    CU_ASSERT_FALSE(file_exists(dt_path("aborted.bin", local, sizeof local)));
    CU_ASSERT_TRUE(file_exists(other));
    IDODownload_Release(d);
    /* a Transferred download aborted (D15): its data goes, nothing else */
    dt_rules(NULL);
    d = fresh("a.bin", "aborted2.bin");
    DT_EQ_HR(IDODownload_Start(d, NULL), S_OK);
    dt_wait_state(d, DODownloadState_Transferred, WAIT);
    DT_EQ_HR(IDODownload_Abort(d), S_OK);
    DT_EQ_STATE(dt_status(d).State, DODownloadState_Aborted);
    DT_EQ_INT(staging_files("aborted2.bin"), 0);
    CU_ASSERT_FALSE(file_exists(dt_path("aborted2.bin", local, sizeof local)));
    CU_ASSERT_TRUE(file_exists(other));
    IDODownload_Release(d);
}

static void same_path(void)
{
    IDODownload *a, *b;
    DO_DOWNLOAD_STATUS s;

    dt_put_payload("a.bin", BIG);
    dt_put_payload("stall.bin", 65536);
    dt_rules("match path=/stall.bin action=stall after=1000\n");
    a = fresh("stall.bin", "shared.bin");
    DT_EQ_HR(IDODownload_Start(a, NULL), S_OK);
    b = fresh("a.bin", "shared.bin");
    /* the first is Transferring: refused (DO-5) */
    DT_EQ_HR(IDODownload_Start(b, NULL),
             HRESULT_FROM_WIN32(ERROR_SHARING_VIOLATION));
    DT_EQ_STATE(dt_status(b).State, DODownloadState_Created);
    DT_EQ_HR(IDODownload_Pause(a), S_OK);
    /* the first is Paused: it is aborted, the second runs (DL-24) */
    DT_EQ_HR(IDODownload_Start(b, NULL), S_OK);
    DT_EQ_STATE(dt_status(a).State, DODownloadState_Aborted);
    s = dt_wait_state(b, DODownloadState_Transferred, WAIT);
    DT_EQ_STATE(s.State, DODownloadState_Transferred);
    DT_EQ_HR(IDODownload_Finalize(b), S_OK);
    IDODownload_Release(a);
    IDODownload_Release(b);
}

static void uri_change_while_paused(void)
{
    IDODownload *d;
    DO_DOWNLOAD_STATUS s;
    char url[256], local[512];
    unsigned char *buf;
    size_t n;

    dt_put_payload("a.bin", BIG);
    dt_put_payload("stall.bin", 65536);
    dt_rules("match path=/stall.bin action=stall after=1000\n");
    d = fresh("stall.bin", "switched.bin");
    DT_EQ_HR(IDODownload_Start(d, NULL), S_OK);
    dt_wait(d, some_bytes, WAIT);
    DT_EQ_HR(dt_set_str8(d, DODownloadProperty_Uri,
                         dt_url("a.bin", url, sizeof url)),
             DO_E_INVALID_STATE); /* DL-12 */
    DT_EQ_HR(dt_set_str8(d, DODownloadProperty_LocalPath, "/tmp/other.bin"),
             DO_E_INVALID_STATE);
    DT_EQ_HR(IDODownload_Pause(d), S_OK);
    DT_EQ_HR(dt_set_str8(d, DODownloadProperty_Uri,
                         dt_url("a.bin", url, sizeof url)),
             S_OK);
    DT_EQ_HR(IDODownload_Start(d, NULL), S_OK);
    s = dt_wait_state(d, DODownloadState_Transferred, WAIT);
    DT_EQ_STATE(s.State, DODownloadState_Transferred);
    DT_EQ_HR(IDODownload_Finalize(d), S_OK);
    buf = dt_read_file(dt_path("switched.bin", local, sizeof local), &n);
    DT_EQ_INT(n, BIG);
    CU_ASSERT(buf && n == BIG && dt_payload_eq(buf, 0, BIG));
    free(buf);
    IDODownload_Release(d);
}

static void local_directories(void)
{
    IDODownload *d;
    char local[512];

    dt_put_payload("small.bin", 4096);
    dt_rules(NULL);
    d = fresh("small.bin", "new/deeper/made.bin");
    DT_EQ_HR(IDODownload_Start(d, NULL), S_OK);
    dt_wait_state(d, DODownloadState_Transferred, WAIT);
    DT_EQ_HR(IDODownload_Finalize(d), S_OK);
    CU_ASSERT_TRUE(
        file_exists(dt_path("new/deeper/made.bin", local, sizeof local)));
    IDODownload_Release(d);
    /* a directory the caller may not write */
    ref_policy_set_deny_write_prefix(dt_tmp);
    d = fresh("small.bin", "denied/x.bin");
    DT_EQ_HR(IDODownload_Start(d, NULL), E_ACCESSDENIED);
    DT_EQ_STATE(dt_status(d).State, DODownloadState_Created);
    ref_policy_set_deny_write_prefix(NULL);
    done(d);
}

/* ---- behaviour properties ------------------------------------------------ */

static void headers_sent(void)
{
    IDODownload *d;
    char *lg;

    dt_put_payload("small.bin", 4096);
    dt_rules(NULL);
    d = fresh("small.bin", NULL);
    DT_EQ_HR(
        dt_set_str8(d, DODownloadProperty_LocalPath, "/tmp/do-hdr-unused.bin"),
        S_OK);
    DT_EQ_HR(dt_set_str(d, DODownloadProperty_HttpCustomHeaders,
                        u"X-Test-One: 1\r\nX-Test-Two: two"),
             S_OK);
    DT_EQ_HR(IDODownload_Start(d, NULL), S_OK);
    DT_EQ_STATE(dt_wait_state(d, DODownloadState_Transferred, WAIT).State,
                DODownloadState_Transferred);
    lg = mock_log();
    CU_ASSERT(lg && strstr(lg, "x-test-one\",\"1\"") != NULL);
    CU_ASSERT(lg && strstr(lg, "x-test-two\",\"two\"") != NULL);
    free(lg);
    done(d);
    /* the SDK's malformed lines are tolerated */
    dt_rules(NULL);
    d = fresh("small.bin", "sdk-headers.bin");
    DT_EQ_HR(dt_set_str(d, DODownloadProperty_HttpCustomHeaders,
                        u"XCustom1=someData\nXCustom2=moreData\n"),
             S_OK);
    DT_EQ_HR(IDODownload_Start(d, NULL), S_OK);
    DT_EQ_STATE(dt_wait_state(d, DODownloadState_Transferred, WAIT).State,
                DODownloadState_Transferred);
    done(d);
}

static void auth_headers_after_challenge(void)
{
    IDODownload *d;
    char *lg, *first, *second;

    dt_put_payload("small.bin", 4096);
    dt_rules("match path=/small.bin nth=1 action=status code=401 "
             "header=\"WWW-Authenticate: Bearer\"\n");
    d = fresh("small.bin", "auth.bin");
    DT_EQ_HR(dt_set_str(d, DODownloadProperty_HttpCustomAuthHeaders,
                        u"Authorization: Bearer tok-1"),
             S_OK);
    DT_EQ_HR(IDODownload_Start(d, NULL), S_OK);
    DT_EQ_STATE(dt_wait_state(d, DODownloadState_Transferred, WAIT).State,
                DODownloadState_Transferred);
    lg = mock_log();
    first = lg ? strstr(lg, "\"seq\":1,") : NULL;
    second = lg ? strstr(lg, "\"seq\":2,") : NULL;
    CU_ASSERT_PTR_NOT_NULL(first);
    CU_ASSERT_PTR_NOT_NULL(second);
    {
        const char *auth = lg ? strstr(lg, "Bearer tok-1") : NULL;
        int after = auth && second && auth > second;
        CU_ASSERT_TRUE(after); /* DO-11: only the request after the 401 */
    }
    free(lg);
    done(d);
}

static void cost_and_cellular(void)
{
    IDODownload *d;
    DO_DOWNLOAD_STATUS s;

    dt_put_payload("small.bin", 4096);
    dt_rules(NULL);
    ref_network_set(BITS_COST_STATE_USAGE_BASED, 0);
    d = fresh("small.bin", "cost.bin");
    DT_EQ_HR(dt_set_u4(d, DODownloadProperty_CostPolicy,
                       DODownloadCostPolicy_Unrestricted),
             S_OK);
    DT_EQ_HR(IDODownload_Start(d, NULL), S_OK);
    s = dt_status(d);
    DT_EQ_STATE(s.State, DODownloadState_Paused);
    DT_EQ_HR(s.Error, S_OK);
    DT_EQ_HR(s.ExtendedError, DO_E_BLOCKED_BY_COST_TRANSFER_POLICY);
    ref_network_set(BITS_COST_STATE_UNRESTRICTED, 0);
    s = dt_wait_state(d, DODownloadState_Transferred, WAIT);
    DT_EQ_STATE(s.State, DODownloadState_Transferred);
    done(d);
    /* Standard allows a network below its cap, not one near it */
    ref_network_set(BITS_COST_STATE_BELOW_CAP, 0);
    d = fresh("small.bin", "cost2.bin");
    DT_EQ_HR(dt_set_u4(d, DODownloadProperty_CostPolicy,
                       DODownloadCostPolicy_Standard),
             S_OK);
    DT_EQ_HR(IDODownload_Start(d, NULL), S_OK);
    DT_EQ_STATE(dt_wait_state(d, DODownloadState_Transferred, WAIT).State,
                DODownloadState_Transferred);
    done(d);
    ref_network_set(BITS_COST_STATE_NEAR_CAP, 0);
    d = fresh("small.bin", "cost3.bin");
    DT_EQ_HR(dt_set_u4(d, DODownloadProperty_CostPolicy,
                       DODownloadCostPolicy_Standard),
             S_OK);
    DT_EQ_HR(IDODownload_Start(d, NULL), S_OK);
    DT_EQ_HR(dt_status(d).ExtendedError, DO_E_BLOCKED_BY_COST_TRANSFER_POLICY);
    /* while Transferring: the policy changes and the download waits */
    DT_EQ_HR(dt_set_u4(d, DODownloadProperty_CostPolicy,
                       DODownloadCostPolicy_Always),
             S_OK);
    DT_EQ_STATE(dt_wait_state(d, DODownloadState_Transferred, WAIT).State,
                DODownloadState_Transferred);
    done(d);
    /* cellular */
    ref_network_set(BITS_COST_STATE_UNRESTRICTED, 1);
    d = fresh("small.bin", "cell.bin");
    DT_EQ_HR(dt_set_bool(d, DODownloadProperty_DisallowOnCellular, TRUE), S_OK);
    DT_EQ_HR(IDODownload_Start(d, NULL), S_OK);
    s = dt_status(d);
    DT_EQ_STATE(s.State, DODownloadState_Paused);
    DT_EQ_HR(s.ExtendedError, DO_E_BLOCKED_BY_CELLULAR_POLICY);
    DT_EQ_HR(dt_set_bool(d, DODownloadProperty_DisallowOnCellular, FALSE),
             S_OK);
    DT_EQ_STATE(dt_wait_state(d, DODownloadState_Transferred, WAIT).State,
                DODownloadState_Transferred);
    done(d);
    ref_network_reset();
}

static void blocking_mode(void)
{
    IDODownload *d;

    dt_put_payload("a.bin", BIG);
    dt_rules(NULL);
    d = fresh("a.bin", "blocking.bin");
    DT_EQ_HR(dt_set_bool(d, DODownloadProperty_BlockingMode, TRUE), S_OK);
    DT_EQ_HR(IDODownload_Start(d, NULL), S_OK); /* DL-19 */
    DT_EQ_STATE(dt_status(d).State, DODownloadState_Transferred);
    done(d);
    dt_rules("match path=/a.bin action=status code=404\n");
    d = fresh("a.bin", "blocking2.bin");
    DT_EQ_HR(dt_set_bool(d, DODownloadProperty_BlockingMode, TRUE), S_OK);
    DT_EQ_HR(IDODownload_Start(d, NULL), (HRESULT)0x80190194); /* DO-14 */
    DT_EQ_STATE(dt_status(d).State, DODownloadState_Paused);
    done(d);
}

static void redirect_target(void)
{
    IDODownload *d;
    char *t;
    dt_put_payload("small.bin", 4096);
    dt_rules(
        "match path=/old.bin action=redirect code=302 location=/small.bin\n");
    d = fresh("old.bin", "redirected.bin");
    DT_EQ_HR(IDODownload_Start(d, NULL), S_OK);
    DT_EQ_STATE(dt_wait_state(d, DODownloadState_Transferred, WAIT).State,
                DODownloadState_Transferred);
    t = wget_str(d, DODownloadProperty_HttpRedirectionTarget, S_OK);
    CU_ASSERT(t && strstr(t, "/small.bin") != NULL);
    free(t);
    done(d);
}

static void enum_after_finalize(void)
{
    DO_DOWNLOAD_ENUM_CATEGORY c;
    IEnumUnknown *e = NULL;
    IDODownload *d;
    VARIANT id;

    dt_put_payload("small.bin", 4096);
    dt_rules(NULL);
    d = fresh("small.bin", "enum.bin");
    DT_EQ_HR(IDODownload_GetProperty(d, DODownloadProperty_Id, &id), S_OK);
    c.Property = DODownloadProperty_Id;
    c.Value = id.bstrVal;
    DT_EQ_HR(IDODownload_Start(d, NULL), S_OK);
    dt_wait_state(d, DODownloadState_Transferred, WAIT);
    DT_EQ_HR(IDOManager_EnumDownloads(mgr, &c, &e), S_OK); /* DL-23 */
    if (e)
        IEnumUnknown_Release(e);
    e = NULL;
    DT_EQ_HR(IDODownload_Finalize(d), S_OK);
    DT_EQ_HR(IDOManager_EnumDownloads(mgr, &c, &e), DO_E_NO_DOWNLOADS);
    CU_ASSERT_PTR_NULL(e);
    VariantClear(&id);
    IDODownload_Release(d);
}

/* Start when an allocation fails: E_OUTOFMEMORY and still Created (R32),
 * or S_OK; a failure on another thread of the library is retried. */
static void start_out_of_memory(void)
{
    int n, fails = 0;
    dt_put_payload("small.bin", 4096);
    dt_rules(NULL);
    speed(20.0);
    for (n = 1; n < 40; n++) {
        IDODownload *d = fresh("small.bin", "oom.bin");
        HRESULT hr;
        ref_alloc_fail_nth(n);
        hr = IDODownload_Start(d, NULL);
        ref_alloc_fail_nth(0);
        if (hr == E_OUTOFMEMORY) {
            DT_EQ_STATE(dt_status(d).State, DODownloadState_Created);
            fails++;
        } else {
            DT_EQ_HR(hr, S_OK);
            DT_EQ_STATE(
                dt_wait_state(d, DODownloadState_Transferred, WAIT).State,
                DODownloadState_Transferred);
        }
        IDODownload_Abort(d);
        IDODownload_Release(d);
    }
    CU_ASSERT(fails >= 2);
    speed(1.0);
}

/* SecurityFlags and HttpAllowSecureToNonSecureRedirect against h2mock
 * with TLS (a self-signed certificate for 127.0.0.1). */
static void tls_flags_and_redirect(void)
{
    struct mockctl tls;
    IDODownload *d;
    DO_DOWNLOAD_STATUS s;
    char url[256], rule[300], *t;

    dt_put_payload("small.bin", 4096);
    dt_rules(NULL);
    CU_ASSERT_EQUAL_FATAL(
        mockctl_start_opts(
            &tls, &(struct mockctl_opts){.root = dt_srv.root, .tls = true}),
        0);
    snprintf(url, sizeof url, "https://127.0.0.1:%d/small.bin", tls.port);
    /* unknown CA: fatal */
    d = fresh("small.bin", "tls1.bin");
    DT_EQ_HR(dt_set_str8(d, DODownloadProperty_Uri, url), S_OK);
    DT_EQ_HR(IDODownload_Start(d, NULL), S_OK);
    want_err = DO_E_HTTP_CERT_VALIDATION;
    s = dt_wait(d, error_is, WAIT);
    DT_EQ_STATE(s.State, DODownloadState_Paused);
    DT_EQ_HR(s.Error, DO_E_HTTP_CERT_VALIDATION);
    done(d);
    /* SECURITY_FLAG_IGNORE_UNKNOWN_CA | _IGNORE_CERT_CN_INVALID */
    d = fresh("small.bin", "tls2.bin");
    DT_EQ_HR(dt_set_str8(d, DODownloadProperty_Uri, url), S_OK);
    DT_EQ_HR(dt_set_u4(d, DODownloadProperty_SecurityFlags, 0x1100), S_OK);
    DT_EQ_HR(IDODownload_Start(d, NULL), S_OK);
    s = dt_wait_state(d, DODownloadState_Transferred, WAIT);
    DT_EQ_STATE(s.State, DODownloadState_Transferred);
    done(d);
    /* https -> http redirect: refused, then allowed */
    snprintf(rule, sizeof rule,
             "match path=/down.bin action=redirect code=302 "
             "location=http://127.0.0.1:%d/small.bin\n",
             dt_srv.port);
    CU_ASSERT_EQUAL(mockctl_rules(&tls, rule), 200);
    snprintf(url, sizeof url, "https://127.0.0.1:%d/down.bin", tls.port);
    d = fresh("small.bin", "tls3.bin");
    DT_EQ_HR(dt_set_str8(d, DODownloadProperty_Uri, url), S_OK);
    DT_EQ_HR(dt_set_u4(d, DODownloadProperty_SecurityFlags, 0x1100), S_OK);
    DT_EQ_HR(IDODownload_Start(d, NULL), S_OK);
    want_err = BG_E_INSUFFICIENT_HTTP_SUPPORT;
    s = dt_wait(d, error_is, WAIT);
    DT_EQ_STATE(s.State, DODownloadState_Paused);
    DT_EQ_HR(s.Error, BG_E_INSUFFICIENT_HTTP_SUPPORT);
    done(d);
    d = fresh("small.bin", "tls4.bin");
    DT_EQ_HR(dt_set_str8(d, DODownloadProperty_Uri, url), S_OK);
    DT_EQ_HR(dt_set_u4(d, DODownloadProperty_SecurityFlags, 0x1100), S_OK);
    DT_EQ_HR(dt_set_bool(d,
                         DODownloadProperty_HttpAllowSecureToNonSecureRedirect,
                         TRUE),
             S_OK);
    DT_EQ_HR(IDODownload_Start(d, NULL), S_OK);
    s = dt_wait_state(d, DODownloadState_Transferred, WAIT);
    DT_EQ_STATE(s.State, DODownloadState_Transferred);
    t = wget_str(d, DODownloadProperty_HttpRedirectionTarget, S_OK);
    CU_ASSERT(t && strncmp(t, "http://", 7) == 0);
    free(t);
    done(d);
    mockctl_stop(&tls);
}

static void release_manager(void)
{
    if (mgr)
        IDOManager_Release(mgr);
    mgr = NULL;
}

CU_TestInfo dt_net_tests[] = {
    {"whole_file_then_finalize", whole_file},
    {"file_ranges_at_offsets", file_ranges},
    {"stream_sink_exact_bytes", stream_whole},
    {"stream_sink_ranges_in_order", stream_ranges},
    {"stream_write_failure", stream_write_fails},
    {"each_fault_state_and_codes", each_fault},
    {"range_past_end", range_past_end},
    {"transient_http_retries_in_transferring", transient_recovers},
    {"unreachable_server_pauses_then_recovers", unreachable_then_back},
    {"no_progress_timeout", no_progress},
    {"connection_closed_resumes", close_then_resume},
    {"method_state_matrix", api_matrix},
    {"pause_then_resume", pause_resume},
    {"abort_removes_only_own_files", abort_removes_own_files},
    {"same_local_path", same_path},
    {"uri_change_while_paused", uri_change_while_paused},
    {"local_directories", local_directories},
    {"custom_headers_sent", headers_sent},
    {"auth_headers_after_401", auth_headers_after_challenge},
    {"cost_policy_and_cellular", cost_and_cellular},
    {"blocking_mode", blocking_mode},
    {"http_redirection_target", redirect_target},
    {"enum_after_finalize", enum_after_finalize},
    {"start_out_of_memory", start_out_of_memory},
    {"tls_security_flags_and_redirect", tls_flags_and_redirect},
    {"release_manager", release_manager},
    CU_TEST_INFO_NULL,
};
