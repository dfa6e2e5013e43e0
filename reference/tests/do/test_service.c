/*
 * test_service.c - the DO service (do_service.c): the downloads run on
 * the process's one engine, configured from the environment as for BITS
 * jobs (DOREF_CA_FILE, DOREF_MAX_ACTIVE, DOREF_CURL_VERBOSE; decisions
 * E11), and the worker sleeps until an event or a deadline instead of
 * polling (E13).  Each case that changes the environment restores it and
 * drops the engine, so the next download starts a fresh one.
 */
#include "do_test.h"

#include <stdlib.h>

#define WAIT 8000 /* real ms */

static IDOManager *mgr;

static void done(IDODownload *d)
{
    IDODownload_Abort(d);
    IDODownload_Release(d);
}

/* Drops the service's engine reference; nothing else (no BITS
 * scheduler) holds the engine in this process, so the next download
 * starts a new one from the environment of that moment. */
static void restart_engine(void)
{
    do_service_reset();
    DT_EQ_INT(ref_shared_engine_refs(), 0);
}

/* Starts a download of `url` (on h2mock's TLS port) into dt_tmp/local. */
static IDODownload *start_url(const char *url, const char *local)
{
    IDODownload *d = dt_fresh(&mgr, "ca.bin", local);
    DT_EQ_HR(dt_set_str8(d, DODownloadProperty_Uri, url), S_OK);
    DT_EQ_HR(IDODownload_Start(d, NULL), S_OK);
    return d;
}

/* DOREF_CA_FILE: with h2mock's certificate as the CA a download over TLS
 * succeeds with no SecurityFlags; without it the same download fails on
 * the certificate (the CA file is the engine's, not the download's). */
static void ca_file_reaches_downloads(void)
{
    const char *dir = getenv("H2MOCK_TLS_DIR");
    struct mockctl tls;
    struct mockctl_opts o = {.root = dt_srv.root, .tls = true};
    char url[256], ca[512];
    IDODownload *d;
    DO_DOWNLOAD_STATUS s;

    CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
    snprintf(ca, sizeof ca, "%s/cert.pem", dir);
    dt_put_payload("ca.bin", 4096);
    dt_rules(NULL);
    CU_ASSERT_EQUAL_FATAL(mockctl_start_opts(&tls, &o), 0);
    snprintf(url, sizeof url, "https://127.0.0.1:%d/ca.bin", tls.port);

    setenv("DOREF_CA_FILE", ca, 1);
    restart_engine();
    d = start_url(url, "ca1.bin");
    s = dt_wait_state(d, DODownloadState_Transferred, WAIT);
    DT_EQ_STATE(s.State, DODownloadState_Transferred);
    DT_EQ_INT(s.BytesTransferred, 4096);
    DT_EQ_HR(s.Error, S_OK);
    done(d);

    unsetenv("DOREF_CA_FILE");
    restart_engine();
    d = start_url(url, "ca2.bin");
    s = dt_wait_error(d, DO_E_HTTP_CERT_VALIDATION, WAIT);
    DT_EQ_STATE(s.State, DODownloadState_Paused);
    DT_EQ_HR(s.Error, DO_E_HTTP_CERT_VALIDATION);
    done(d);
    restart_engine();
    mockctl_stop(&tls);
}

/* Lines of h2mock's log for `path` with "done" equal to `fin`. */
static int log_count(const char *path, int fin)
{
    char *lg = NULL, *line, *save = NULL, key[128];
    int n = 0;
    lg = mockctl_log(&dt_srv);
    snprintf(key, sizeof key, "\"path\":\"%s\"", path);
    for (line = lg ? strtok_r(lg, "\n", &save) : NULL; line;
         line = strtok_r(NULL, "\n", &save))
        if (strstr(line, key) &&
            strstr(line, fin ? "\"done\":true" : "\"done\":false"))
            n++;
    free(lg);
    return n;
}

/* DOREF_MAX_ACTIVE=2: five slow downloads never have more than two
 * requests in flight at h2mock, and the engine's peak says the same. */
static void max_active_bounds_transfers(void)
{
    enum { N = 5 };
    IDODownload *d[N];
    char name[32];
    int most = 0, left = WAIT * 2;
    size_t peak = 0;
    ref_engine *e = NULL;

    dt_put_payload("mx.bin", 65536);
    dt_rules("match path=/mx.bin action=chunk-delay ms=40 size=4096\n");
    setenv("DOREF_MAX_ACTIVE", "2", 1);
    restart_engine();
    for (int i = 0; i < N; i++) {
        snprintf(name, sizeof name, "mx%d.bin", i);
        d[i] = dt_fresh(&mgr, "mx.bin", name);
        DT_EQ_HR(IDODownload_Start(d[i], NULL), S_OK);
    }
    for (; left > 0 && log_count("/mx.bin", 1) < N; left -= 20) {
        int now = log_count("/mx.bin", 0);
        if (now > most)
            most = now;
        dt_sleep_ms(20);
    }
    DT_EQ_INT(most, 2);
    DT_EQ_INT(log_count("/mx.bin", 1), N);
    for (int i = 0; i < N; i++) {
        DT_EQ_STATE(
            dt_wait_state(d[i], DODownloadState_Transferred, WAIT).State,
            DODownloadState_Transferred);
        done(d[i]);
    }
    DT_EQ_HR(do_service_engine(&e), S_OK);
    ref_engine_counts(e, NULL, NULL, &peak);
    DT_EQ_INT(peak, 2);
    unsetenv("DOREF_MAX_ACTIVE");
    restart_engine();
}

/* The downloads and the BITS scheduler get the same engine (the
 * scheduler's sched_init calls ref_shared_engine_acquire), started with
 * the environment's configuration, DOREF_CURL_VERBOSE included. */
static void one_engine_for_bits_and_do(void)
{
    struct ref_engine_config cfg;
    ref_engine *mine = NULL, *shared = NULL;

    setenv("DOREF_MAX_ACTIVE", "12", 1);
    setenv("DOREF_CURL_VERBOSE", "1", 1);
    restart_engine();
    DT_EQ_HR(do_service_engine(&mine), S_OK);
    DT_EQ_INT(ref_shared_engine_acquire(&shared, &cfg), 0);
    CU_ASSERT_PTR_NOT_NULL(mine);
    CU_ASSERT_PTR_EQUAL(mine, shared);
    DT_EQ_INT(ref_shared_engine_refs(), 2);
    DT_EQ_INT(cfg.max_active, 12);
    DT_EQ_INT(cfg.fg_reserve, 4);
    DT_EQ_INT(cfg.verbose, 1);
    CU_ASSERT_PTR_NULL(cfg.ca_file);
    ref_shared_engine_release();
    DT_EQ_INT(ref_shared_engine_refs(), 1);
    unsetenv("DOREF_MAX_ACTIVE");
    unsetenv("DOREF_CURL_VERBOSE");
    restart_engine();
}

static unsigned wakes;

static void count_wake(void)
{
    __atomic_add_fetch(&wakes, 1, __ATOMIC_RELAXED);
}

/* Worker wake-ups during the next `ms` real milliseconds. */
static unsigned wakes_during(int ms)
{
    __atomic_store_n(&wakes, 0, __ATOMIC_RELAXED);
    dt_sleep_ms(ms);
    return __atomic_load_n(&wakes, __ATOMIC_RELAXED);
}

static int has_first_chunk(const DO_DOWNLOAD_STATUS *s)
{
    return s->BytesTransferred >= 4096;
}

/* A stalled transfer and a paused download give the worker nothing to
 * do: it wakes for the one progress callback that is due (DO-7), then
 * sleeps (the former loop woke every 10 ms, about 100 times a second);
 * an API call still wakes it at once. */
static void worker_sleeps_while_idle(void)
{
    IDODownload *d;
    DO_DOWNLOAD_STATUS s;
    unsigned n;

    dt_put_payload("idle.bin", 65536);
    dt_rules("match path=/idle.bin action=stall after=4096\n");
    do_service_set_wake_hook(count_wake);
    d = dt_fresh(&mgr, "idle.bin", "idle.bin");
    DT_EQ_HR(IDODownload_Start(d, NULL), S_OK);
    s = dt_wait(d, has_first_chunk, WAIT);
    CU_ASSERT(s.BytesTransferred >= 4096);
    n = wakes_during(1500);
    if (n > 3)
        fprintf(stderr, "\n  stalled transfer: %u wake-ups in 1.5 s\n", n);
    CU_ASSERT(n <= 3);
    DT_EQ_HR(IDODownload_Pause(d), S_OK);
    DT_EQ_STATE(dt_status(d).State, DODownloadState_Paused);
    dt_sleep_ms(50); /* the Pause's own kick */
    n = wakes_during(1000);
    if (n > 0)
        fprintf(stderr, "\n  paused download: %u wake-ups in 1 s\n", n);
    DT_EQ_INT(n, 0);
    dt_rules(NULL);
    DT_EQ_HR(IDODownload_Start(d, NULL), S_OK);
    DT_EQ_STATE(dt_wait_state(d, DODownloadState_Transferred, WAIT).State,
                DODownloadState_Transferred);
    do_service_set_wake_hook(NULL);
    done(d);
}

static void release_manager(void)
{
    if (mgr)
        IDOManager_Release(mgr);
    mgr = NULL;
}

CU_TestInfo dt_service_tests[] = {
    {"ca_file_reaches_downloads", ca_file_reaches_downloads},
    {"max_active_bounds_transfers", max_active_bounds_transfers},
    {"one_engine_for_bits_and_do", one_engine_for_bits_and_do},
    {"worker_sleeps_while_idle", worker_sleeps_while_idle},
    {"release_manager", release_manager},
    CU_TEST_INFO_NULL,
};
