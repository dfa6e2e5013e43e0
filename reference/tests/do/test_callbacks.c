/*
 * test_callbacks.c - IDODownloadStatusCallback::OnStatusChange: order of
 * state notifications, the CallbackFreqSeconds / CallbackFreqPercent
 * cadence (counted on the scaled clock), replacement, re-entrancy
 * (GetStatus, Pause, Abort, Finalize from inside the callback) and "never
 * after Abort returns" (spec behavior.md §9.5; decisions DO-7).
 */
#include "do_test.h"

#include <stdlib.h>

#define BIG 300000
#define WAIT 8000

static IDOManager *mgr;

static IDODownload *with_cb(const char *fixture, const char *local,
                            struct dt_cb **out)
{
    IDODownload *d;
    char b[512];
    if (!mgr)
        mgr = dt_manager();
    d = dt_create(mgr);
    DT_EQ_HR(
        dt_set_str8(d, DODownloadProperty_Uri, dt_url(fixture, b, sizeof b)),
        S_OK);
    DT_EQ_HR(dt_set_str8(d, DODownloadProperty_LocalPath,
                         dt_path(local, b, sizeof b)),
             S_OK);
    *out = dt_cb_new(d);
    DT_EQ_HR(dt_set_unk(d, DODownloadProperty_CallbackInterface,
                        (IUnknown *)&(*out)->IDODownloadStatusCallback_iface),
             S_OK);
    return d;
}

static void speed(double f)
{
    IDoctsTestClock *c = dt_clock(mgr);
    DT_EQ_HR(IDoctsTestClock_SetSpeedFactor(c, f), S_OK);
    IDoctsTestClock_Release(c);
}

/* Waits until the callback saw `st` (or ms pass). */
static int saw_state(struct dt_cb *c, DODownloadState st, int ms)
{
    for (int t = 0; t < ms; t += 5) {
        int found = 0;
        pthread_mutex_lock(&c->lock);
        for (unsigned i = 0; i < c->calls && i < DT_CB_MAX; i++)
            found |= c->st[i].State == st;
        pthread_mutex_unlock(&c->lock);
        if (found)
            return 1;
        dt_sleep_ms(5);
    }
    return 0;
}

static void sequence(void)
{
    struct dt_cb *c;
    IDODownload *d;
    dt_put_payload("small.bin", 4096);
    dt_rules(NULL);
    d = with_cb("small.bin", "seq.bin", &c);
    DT_EQ_HR(IDODownload_Start(d, NULL), S_OK);
    CU_ASSERT_TRUE(saw_state(c, DODownloadState_Transferred, WAIT));
    pthread_mutex_lock(&c->lock);
    CU_ASSERT(c->calls >= 2);
    DT_EQ_STATE(c->st[0].State, DODownloadState_Transferring);
    DT_EQ_STATE(c->st[c->calls - 1].State, DODownloadState_Transferred);
    DT_EQ_INT(c->st[c->calls - 1].BytesTransferred, 4096);
    DT_EQ_INT(c->st[c->calls - 1].BytesTotal, 4096);
    DT_EQ_INT(c->bad_download, 0);
    pthread_mutex_unlock(&c->lock);
    DT_EQ_HR(IDODownload_Finalize(d), S_OK);
    dt_sleep_ms(50);
    pthread_mutex_lock(&c->lock); /* Finalized is never notified */
    DT_EQ_STATE(c->st[c->calls - 1].State, DODownloadState_Transferred);
    pthread_mutex_unlock(&c->lock);
    IDODownload_Release(d);
    dt_cb_release(c);
}

/* Progress callbacks: State Transferring after the first one. */
static unsigned progress_calls(struct dt_cb *c, unsigned *first)
{
    unsigned n = 0;
    *first = 0;
    for (unsigned i = 1; i < c->calls && i < DT_CB_MAX; i++)
        if (c->st[i].State == DODownloadState_Transferring) {
            if (!n)
                *first = i;
            n++;
        }
    return n;
}

static void cadence_seconds(void)
{
    struct dt_cb *c;
    IDODownload *d;
    unsigned n, first, prev = 0;

    dt_put_payload("a.bin", BIG);
    dt_rules("match path=/a.bin action=throttle rate=300000\n"); /* ~1 s */
    d = with_cb("a.bin", "secs.bin", &c);
    speed(10.0); /* CallbackFreqSeconds default 1 s = 100 ms real */
    DT_EQ_HR(IDODownload_Start(d, NULL), S_OK);
    CU_ASSERT_TRUE(saw_state(c, DODownloadState_Transferred, WAIT));
    pthread_mutex_lock(&c->lock);
    n = progress_calls(c, &first);
    fprintf(stderr, "[seconds cadence: %u progress callbacks] ", n);
    CU_ASSERT(n >= 3 && n <= 14);
    for (unsigned i = 1; i < c->calls && i < DT_CB_MAX; i++) {
        if (c->st[i].State != DODownloadState_Transferring)
            continue;
        if (prev) /* at least ~1 clock second apart */
            CU_ASSERT(c->ms[i] - c->ms[prev] >= 900);
        CU_ASSERT(c->st[i].BytesTransferred >= c->st[prev].BytesTransferred);
        prev = i;
    }
    pthread_mutex_unlock(&c->lock);
    IDODownload_Abort(d);
    IDODownload_Release(d);
    dt_cb_release(c);
    speed(1.0);
}

static void cadence_percent(void)
{
    struct dt_cb *c;
    IDODownload *d;
    unsigned n, first;
    UINT64 last_bucket = 0;

    dt_put_payload("a.bin", BIG);
    dt_rules("match path=/a.bin action=throttle rate=600000\n");
    d = with_cb("a.bin", "pct.bin", &c);
    DT_EQ_HR(dt_set_u4(d, DODownloadProperty_CallbackFreqPercent, 25), S_OK);
    DT_EQ_HR(IDODownload_Start(d, NULL), S_OK);
    CU_ASSERT_TRUE(saw_state(c, DODownloadState_Transferred, WAIT));
    pthread_mutex_lock(&c->lock);
    n = progress_calls(c, &first);
    fprintf(stderr, "[percent cadence: %u progress callbacks] ", n);
    CU_ASSERT(n >= 2 && n <= 4); /* one per 25 % crossed */
    for (unsigned i = 1; i < c->calls && i < DT_CB_MAX; i++) {
        UINT64 b;
        if (c->st[i].State != DODownloadState_Transferring)
            continue;
        b = c->st[i].BytesTransferred * 100 / BIG / 25;
        CU_ASSERT(b > last_bucket); /* never twice in one bucket */
        last_bucket = b;
    }
    pthread_mutex_unlock(&c->lock);
    IDODownload_Abort(d);
    IDODownload_Release(d);
    dt_cb_release(c);
}

static void replaced(void)
{
    struct dt_cb *c1, *c2;
    IDODownload *d;
    dt_put_payload("small.bin", 4096);
    dt_rules(NULL);
    d = with_cb("small.bin", "replaced.bin", &c1);
    c2 = dt_cb_new(d);
    DT_EQ_HR(dt_set_unk(d, DODownloadProperty_CallbackInterface,
                        (IUnknown *)&c2->IDODownloadStatusCallback_iface),
             S_OK);
    DT_EQ_HR(IDODownload_Start(d, NULL), S_OK); /* DL-16 */
    CU_ASSERT_TRUE(saw_state(c2, DODownloadState_Transferred, WAIT));
    DT_EQ_INT(dt_cb_calls(c1), 0);
    IDODownload_Abort(d);
    IDODownload_Release(d);
    dt_cb_release(c1);
    dt_cb_release(c2);
}

static void reentrant(void)
{
    static const struct {
        char action;
        DODownloadState on;
        HRESULT hr;
        DODownloadState after;
    } rows[] = {
        {'S', DODownloadState_Transferring, S_OK, DODownloadState_Transferring},
        {'P', DODownloadState_Transferring, S_OK, DODownloadState_Paused},
        {'A', DODownloadState_Transferring, S_OK, DODownloadState_Aborted},
        {'F', DODownloadState_Transferred, S_OK, DODownloadState_Finalized},
    };
    dt_put_payload("a.bin", BIG);
    dt_rules("match path=/a.bin action=throttle rate=3000000\n");
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct dt_cb *c;
        IDODownload *d = with_cb("a.bin", "reent.bin", &c);
        int ok = 0;
        pthread_mutex_lock(&c->lock);
        c->action = rows[i].action;
        c->on_state = rows[i].on;
        pthread_mutex_unlock(&c->lock);
        DT_EQ_HR(IDODownload_Start(d, NULL), S_OK); /* DL-17 */
        for (int t = 0; t < WAIT && !ok; t += 5) {
            dt_sleep_ms(5);
            pthread_mutex_lock(&c->lock);
            ok = c->action_done && c->action_status.State != 0x7F;
            pthread_mutex_unlock(&c->lock);
        }
        dt_sleep_ms(20);
        pthread_mutex_lock(&c->lock);
        CU_ASSERT_TRUE(c->action_done);
        DT_EQ_HR(c->action_hr, rows[i].hr);
        if (rows[i].action != 'S')
            DT_EQ_STATE(c->action_status.State, rows[i].after);
        pthread_mutex_unlock(&c->lock);
        if (rows[i].action != 'S')
            DT_EQ_STATE(dt_status(d).State, rows[i].after);
        IDODownload_Abort(d);
        IDODownload_Release(d);
        dt_cb_release(c);
    }
}

/* Right after a call that must leave c silent has returned: no call of
 * c is running, and none comes in the next ms milliseconds. */
static void quiet_after(struct dt_cb *c, int ms)
{
    unsigned at_return;
    int busy;
    pthread_mutex_lock(&c->lock);
    at_return = c->calls;
    busy = c->in_call;
    pthread_mutex_unlock(&c->lock);
    DT_EQ_INT(busy, 0);
    dt_sleep_ms(ms);
    DT_EQ_INT(dt_cb_calls(c), at_return);
}

static void none_after_abort(void)
{
    struct dt_cb *c;
    IDODownload *d;

    dt_put_payload("a.bin", BIG);
    dt_rules("match path=/a.bin action=throttle rate=300000\n");
    d = with_cb("a.bin", "abortcb.bin", &c);
    DT_EQ_HR(dt_set_u4(d, DODownloadProperty_CallbackFreqSeconds, 0), S_OK);
    c->sleep_ms = 20;
    DT_EQ_HR(IDODownload_Start(d, NULL), S_OK);
    for (int t = 0; t < WAIT && dt_cb_calls(c) < 3; t += 5)
        dt_sleep_ms(5);
    DT_EQ_HR(IDODownload_Abort(d), S_OK);
    quiet_after(c, 150);
    IDODownload_Release(d);
    dt_cb_release(c);
}

static void release_manager(void)
{
    if (mgr)
        IDOManager_Release(mgr);
    mgr = NULL;
}

/* I27 for DO: SetProperty(CallbackInterface, NULL) while the first
 * callback is inside OnStatusChange (it sleeps 300 ms there) returns
 * only after that call, and the first callback hears nothing more. */
static void cleared_while_calling(void)
{
    struct dt_cb *c;
    IDODownload *d;
    int in_call = 0;

    dt_put_payload("a.bin", BIG);
    dt_rules("match path=/a.bin action=throttle rate=300000\n");
    d = with_cb("a.bin", "clearcb.bin", &c);
    DT_EQ_HR(dt_set_u4(d, DODownloadProperty_CallbackFreqSeconds, 0), S_OK);
    c->sleep_ms = 300;
    DT_EQ_HR(IDODownload_Start(d, NULL), S_OK);
    for (int t = 0; t < WAIT && !in_call; t += 2) {
        pthread_mutex_lock(&c->lock);
        in_call = c->in_call;
        pthread_mutex_unlock(&c->lock);
        if (!in_call)
            dt_sleep_ms(2);
    }
    CU_ASSERT_TRUE(in_call);
    DT_EQ_HR(dt_set_unk(d, DODownloadProperty_CallbackInterface, NULL), S_OK);
    quiet_after(c, 400);
    IDODownload_Abort(d);
    IDODownload_Release(d);
    dt_cb_release(c);
}

CU_TestInfo dt_cb_tests[] = {
    {"state_sequence", sequence},
    {"cadence_seconds", cadence_seconds},
    {"cadence_percent", cadence_percent},
    {"second_callback_replaces_first", replaced},
    {"reentrant_calls", reentrant},
    {"none_after_abort_returns", none_after_abort},
    {"cleared_while_calling_waits", cleared_while_calling},
    {"release_manager", release_manager},
    CU_TEST_INFO_NULL,
};
