/*
 * suite_concurrency.c - many jobs and many threads (spec §2, §12, DESIGN.md
 * "every interface is free-threaded"): dozens of jobs transferring at once
 * (through the runner's shared h2mock and fixtures/conf/ as well as a
 * private one), one job with many files, threads creating and running jobs
 * side by side, threads hammering getters while bytes move, and races of
 * Suspend/Resume, Cancel and Complete on one job where exactly one caller
 * may win.  Every delivered file is checked by SHA-256.
 *
 * Worker threads never use the CONF_EXPECT_* macros: they record HRESULTs
 * and the case body checks them after nc_threads returned.  The case table
 * is at the end of the file.
 */
#include "netcase.h"
#include "platform.h"

#include <stdio.h>
#include <string.h>

#define WAIT 30000u
#define ST_DONE (NC_ST(BG_JOB_STATE_TRANSFERRED) | NC_ST(BG_JOB_STATE_ERROR))
#define NJ 64

typedef struct shared {
    conf_ctx *ctx;
    nc_mock *m;
    IBackgroundCopyManager *mgr;
    IBackgroundCopyJob *job;
    IBackgroundCopyJob *jobs[NJ];
    HRESULT hr[NJ];
    HRESULT hr2[NJ];
    long bad[NJ];
    char hex[65];
    size_t size;
    const char *url8;
} shared;

static WCHAR *wurl(conf_ctx *ctx, const char *base, const char *path)
{
    char b[512];
    snprintf(b, sizeof b, "%s%s", base, path);
    return conf_w(ctx, b);
}

/* worker: create a job with 2 files, resume, wait, complete */
static void w_create_run(void *p, unsigned i)
{
    shared *s = p;
    conf_ctx *ctx = s->ctx;
    IBackgroundCopyJob *job = NULL;
    GUID id;
    HRESULT hr = IBackgroundCopyManager_CreateJob(
        s->mgr, u"docts-thr", BG_JOB_TYPE_DOWNLOAD, &id, &job);
    s->hr[i] = hr;
    if (FAILED(hr))
        return;
    s->jobs[i] = job;
    char l0[512], l1[512];
    snprintf(l0, sizeof l0, "%s%ct%u-a", ctx->tmpdir, CONF_PLAT_SEP, i);
    snprintf(l1, sizeof l1, "%s%ct%u-b", ctx->tmpdir, CONF_PLAT_SEP, i);
    /* conf_w is not thread-safe (case allocations): convert by hand */
    WCHAR w0[128], w1[128], u[256];
    size_t k;
    for (k = 0; l0[k]; k++)
        w0[k] = (WCHAR)l0[k];
    w0[k] = 0;
    for (k = 0; l1[k]; k++)
        w1[k] = (WCHAR)l1[k];
    w1[k] = 0;
    for (k = 0; s->url8[k]; k++)
        u[k] = (WCHAR)s->url8[k];
    u[k] = 0;
    if (FAILED(s->hr[i] = IBackgroundCopyJob_AddFile(job, u, w0)) ||
        FAILED(s->hr[i] = IBackgroundCopyJob_AddFile(job, u, w1)) ||
        FAILED(s->hr[i] = IBackgroundCopyJob_Resume(job)))
        return;
    for (int n = 0; n < 3000; n++) {
        BG_JOB_STATE st;
        if (IBackgroundCopyJob_GetState(job, &st) != S_OK) {
            s->bad[i]++;
            break;
        }
        if (st == BG_JOB_STATE_TRANSFERRED || st == BG_JOB_STATE_ERROR)
            break;
        conf_sleep_ms(ctx, 10);
    }
    s->hr2[i] = IBackgroundCopyJob_Complete(job);
}

/* worker: getters in a loop while the job transfers */
static void w_getters(void *p, unsigned i)
{
    shared *s = p;
    (void)i;
    for (int n = 0; n < 300; n++) {
        BG_JOB_STATE st;
        BG_JOB_PROGRESS pr;
        LPWSTR name = NULL;
        IEnumBackgroundCopyFiles *e = NULL;
        if (IBackgroundCopyJob_GetState(s->job, &st) != S_OK)
            s->bad[i]++;
        if (IBackgroundCopyJob_GetProgress(s->job, &pr) != S_OK)
            s->bad[i]++;
        if (IBackgroundCopyJob_GetDisplayName(s->job, &name) != S_OK)
            s->bad[i]++;
        CoTaskMemFree(name);
        if (IBackgroundCopyJob_EnumFiles(s->job, &e) != S_OK)
            s->bad[i]++;
        else
            IEnumBackgroundCopyFiles_Release(e);
        if (st == BG_JOB_STATE_TRANSFERRED)
            break;
    }
}

static void w_suspend_resume(void *p, unsigned i)
{
    shared *s = p;
    for (int n = 0; n < 20; n++) {
        HRESULT hr = (n + (int)i) % 2 ? IBackgroundCopyJob_Suspend(s->job)
                                      : IBackgroundCopyJob_Resume(s->job);
        if (hr != S_OK)
            s->bad[i]++;
    }
}

static void w_resume(void *p, unsigned i)
{
    shared *s = p;
    s->hr[i] = IBackgroundCopyJob_Resume(s->job);
}

static void w_cancel(void *p, unsigned i)
{
    shared *s = p;
    s->hr[i] = IBackgroundCopyJob_Cancel(s->job);
}

static void w_complete(void *p, unsigned i)
{
    shared *s = p;
    s->hr[i] = IBackgroundCopyJob_Complete(s->job);
}

static void w_create_only(void *p, unsigned i)
{
    shared *s = p;
    IBackgroundCopyJob *job = NULL;
    GUID id;
    s->hr[i] = IBackgroundCopyManager_CreateJob(
        s->mgr, u"docts-enum", BG_JOB_TYPE_DOWNLOAD, &id, &job);
    s->jobs[i] = job;
}

static void w_enum(void *p, unsigned i)
{
    shared *s = p;
    for (int n = 0; n < 50; n++) {
        IEnumBackgroundCopyJobs *e = NULL;
        ULONG cnt = 0;
        if (IBackgroundCopyManager_EnumJobs(s->mgr, 0, &e) != S_OK) {
            s->bad[i]++;
            continue;
        }
        if (IEnumBackgroundCopyJobs_GetCount(e, &cnt) != S_OK)
            s->bad[i]++;
        for (;;) {
            IBackgroundCopyJob *j = NULL;
            ULONG got = 0;
            if (IEnumBackgroundCopyJobs_Next(e, 1, &j, &got) != S_OK)
                break;
            IBackgroundCopyJob_Release(j);
        }
        IEnumBackgroundCopyJobs_Release(e);
    }
}

static void w_cancel_job(void *p, unsigned i)
{
    shared *s = p;
    s->hr[i] = IBackgroundCopyJob_Cancel(s->jobs[i]);
}

static void check_all(conf_ctx *ctx, const shared *s, unsigned n,
                      const char *what)
{
    for (unsigned i = 0; i < n; i++) {
        char e[96], a[96];
        snprintf(e, sizeof e, "thread %u: %s", i, what);
        snprintf(a, sizeof a, "thread %u: hr 0x%08X, %ld failed calls", i,
                 (unsigned)s->hr[i], s->bad[i]);
        CONF_EXPECT_TRUE(ctx, SUCCEEDED(s->hr[i]) && s->bad[i] == 0, e, a);
    }
}

static ULONG count_jobs(conf_ctx *ctx)
{
    IEnumBackgroundCopyJobs *e = CONF_POISON_PTR;
    ULONG n = CONF_POISON32;
    CONF_EXPECT_HR(ctx, IBackgroundCopyManager_EnumJobs(ctx->mgr, 0, &e), S_OK);
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyJobs_GetCount(e, &n), S_OK);
    IEnumBackgroundCopyJobs_Release(e);
    return n;
}

/* Exactly one of N results is S_OK, the others the mode's INVALID_STATE. */
static void one_winner(conf_ctx *ctx, const shared *s, unsigned n)
{
    unsigned ok = 0, inv = 0;
    for (unsigned i = 0; i < n; i++) {
        if (s->hr[i] == S_OK)
            ok++;
        else if (s->hr[i] == conf_hr(ctx, BG_E_INVALID_STATE))
            inv++;
    }
    char a[64];
    snprintf(a, sizeof a, "%u S_OK, %u INVALID_STATE of %u", ok, inv, n);
    CONF_EXPECT_TRUE(ctx, ok == 1 && inv == n - 1,
                     "exactly one S_OK, the rest INVALID_STATE", a);
}

/* The state a case shares with its worker threads. */
static shared *new_shared(conf_ctx *ctx)
{
    shared *s = conf_alloc(ctx, sizeof *s);
    s->ctx = ctx;
    s->mgr = ctx->mgr;
    return s;
}

/* CON-001; CON-012 (ARG 1): throttled, cancelled from one thread each.
 * Counts are relative to the queue before the case (an out-of-process
 * service keeps other clients' jobs). */
static void many_jobs(conf_ctx *ctx, const conf_case *c)
{
    shared *s = new_shared(ctx);
    ULONG base = count_jobs(ctx);
    const char *paths[NJ];
    char pbuf[NJ][32];
    nc_mock *m = nc_mock_start(ctx, c->arg ? "match prefix=/j action=throttle "
                                             "rate=20000"
                                           : NULL);
    unsigned n = 30;
    IBackgroundCopyJob *jobs[NJ];
    char hex[NJ][65];
    for (unsigned i = 0; i < n; i++) {
        snprintf(pbuf[i], sizeof pbuf[i], "/j%u.bin", i);
        paths[0] = pbuf[i];
        nc_put_file(ctx, m, pbuf[i], 2000 + i * 37, 500 + i, hex[i]);
        char loc[32];
        snprintf(loc, sizeof loc, "j%u", i);
        const char *locs[] = {loc};
        jobs[i] = nc_job(ctx, m, paths, 1, locs);
        s->jobs[i] = jobs[i];
    }
    CONF_EXPECT_U(ctx, count_jobs(ctx), base + n);
    for (unsigned i = 0; i < n; i++)
        CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Resume(jobs[i]), S_OK);
    if (c->arg) {
        nc_wait(ctx, jobs[0], NC_ST(BG_JOB_STATE_TRANSFERRING) | ST_DONE, WAIT,
                0, NULL);
        nc_threads(ctx, n, w_cancel_job, s);
        for (unsigned i = 0; i < n; i++) {
            CONF_EXPECT_HR(ctx, s->hr[i], S_OK);
            CONF_EXPECT_STATE(ctx, nc_state(ctx, jobs[i]),
                              BG_JOB_STATE_CANCELLED);
            char loc[32];
            snprintf(loc, sizeof loc, "j%u", i);
            nc_expect_no_file(ctx, loc);
        }
        CONF_EXPECT_U(ctx, count_jobs(ctx), base);
        return;
    }
    for (unsigned i = 0; i < n; i++) {
        CONF_EXPECT_STATE(ctx, nc_wait(ctx, jobs[i], ST_DONE, WAIT, 0, NULL),
                          BG_JOB_STATE_TRANSFERRED);
        CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Complete(jobs[i]), S_OK);
        char loc[32];
        snprintf(loc, sizeof loc, "j%u", i);
        nc_expect_file(ctx, loc, 2000 + i * 37, hex[i]);
    }
    CONF_EXPECT_U(ctx, count_jobs(ctx), base);
}

/* CON-002; CON-003 (ARG 1) also checks the order of the requests */
static void many_files(conf_ctx *ctx, const conf_case *c)
{
    const char *paths[NJ];
    char pbuf[NJ][32];
    nc_mock *m = nc_mock_start(ctx, NULL);
    unsigned n = 25;
    char hex[NJ][65];
    for (unsigned i = 0; i < n; i++) {
        snprintf(pbuf[i], sizeof pbuf[i], "/m%02u.bin", i);
        paths[i] = pbuf[i];
        nc_put_file(ctx, m, pbuf[i], 1500 + i * 11, 900 + i, hex[i]);
    }
    IBackgroundCopyJob *job = nc_job(ctx, m, paths, n, NULL);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Resume(job), S_OK);
    CONF_EXPECT_STATE(ctx, nc_wait(ctx, job, ST_DONE, WAIT, 0, NULL),
                      BG_JOB_STATE_TRANSFERRED);
    BG_JOB_PROGRESS p = nc_progress(ctx, job);
    CONF_EXPECT_U(ctx, p.FilesTotal, n);
    CONF_EXPECT_U(ctx, p.FilesTransferred, n);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Complete(job), S_OK);
    for (unsigned i = 0; i < n; i++) {
        char loc[16];
        snprintf(loc, sizeof loc, "f%u", i);
        nc_expect_file(ctx, loc, 1500 + i * 11, hex[i]);
    }
    if (c->arg) {
        size_t ln;
        nc_req *r = nc_log_wait(ctx, m, NULL, n, 3000, &ln);
        unsigned next = 0;
        bool ok = true;
        for (size_t k = 0; k < ln; k++) {
            if (strcmp(r[k].method, "GET"))
                continue;
            if (next < n && !strcmp(r[k].path, paths[next]))
                next++;
            else if (!(next > 0 && !strcmp(r[k].path, paths[next - 1])))
                ok = false;
        }
        CONF_EXPECT_TRUE(ctx, ok && next == n,
                         "files requested in the order added",
                         nc_log_text(ctx, r, ln));
    }
}

/* CON-004 */
static void threads_create_run(conf_ctx *ctx, const conf_case *c)
{
    shared *s = new_shared(ctx);
    nc_mock *m = nc_mock_start(ctx, NULL);
    nc_put_file(ctx, m, "/t.bin", 7000, 77, s->hex);
    {
        char u8[256];
        snprintf(u8, sizeof u8, "%s/t.bin", nc_mock_base(m));
        char *cp = conf_alloc(ctx, strlen(u8) + 1);
        memcpy(cp, u8, strlen(u8) + 1);
        s->url8 = cp;
    }
    unsigned n = 8;
    nc_threads(ctx, n, w_create_run, s);
    for (unsigned i = 0; i < n; i++) {
        if (s->jobs[i])
            conf_track_job(ctx, s->jobs[i]);
    }
    check_all(ctx, s, n, "CreateJob/AddFile/Resume succeed");
    for (unsigned i = 0; i < n; i++) {
        CONF_EXPECT_HR(ctx, s->hr2[i], S_OK);
        char loc[32];
        snprintf(loc, sizeof loc, "t%u-a", i);
        nc_expect_file(ctx, loc, 7000, s->hex);
        snprintf(loc, sizeof loc, "t%u-b", i);
        nc_expect_file(ctx, loc, 7000, s->hex);
        IBackgroundCopyJob_Release(s->jobs[i]);
    }
}

/* 8 threads run WORKER on one throttled job while it transfers: every
 * call S_OK, then the job ends TRANSFERRED with the exact bytes. */
static void threads_on_one_job(conf_ctx *ctx, void (*worker)(void *, unsigned))
{
    shared *s = new_shared(ctx);
    const char *paths[] = {"/g.bin"};
    nc_mock *m =
        nc_mock_start(ctx, "match prefix=/g action=throttle rate=300000");
    nc_put_file(ctx, m, "/g.bin", 300000, 31, s->hex);
    s->job = nc_job(ctx, m, paths, 1, NULL);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Resume(s->job), S_OK);
    unsigned n = 8;
    nc_threads(ctx, n, worker, s);
    check_all(ctx, s, n, "every call S_OK");
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Resume(s->job), S_OK);
    CONF_EXPECT_STATE(ctx, nc_wait(ctx, s->job, ST_DONE, WAIT, 0, NULL),
                      BG_JOB_STATE_TRANSFERRED);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Complete(s->job), S_OK);
    nc_expect_file(ctx, "f0", 300000, s->hex);
}

/* CON-005 */
static void threads_getters(conf_ctx *ctx, const conf_case *c)
{
    threads_on_one_job(ctx, w_getters);
}

/* CON-006 */
static void suspend_resume_race(conf_ctx *ctx, const conf_case *c)
{
    threads_on_one_job(ctx, w_suspend_resume);
}

/* CON-013 */
static void resume_race(conf_ctx *ctx, const conf_case *c)
{
    threads_on_one_job(ctx, w_resume);
}

/* 16 threads call WORKER (Cancel or Complete) on one TRANSFERRED job:
 * exactly one wins. */
static void race_one_winner(conf_ctx *ctx, void (*worker)(void *, unsigned))
{
    shared *s = new_shared(ctx);
    const char *paths[] = {"/k.bin"};
    nc_mock *m = nc_mock_start(ctx, NULL);
    nc_put_file(ctx, m, "/k.bin", 5000, 9, s->hex);
    s->job = nc_job(ctx, m, paths, 1, NULL);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Resume(s->job), S_OK);
    CONF_EXPECT_STATE(ctx, nc_wait(ctx, s->job, ST_DONE, WAIT, 0, NULL),
                      BG_JOB_STATE_TRANSFERRED);
    unsigned n = 16;
    nc_threads(ctx, n, worker, s);
    one_winner(ctx, s, n);
    if (worker == w_complete) {
        CONF_EXPECT_STATE(ctx, nc_state(ctx, s->job),
                          BG_JOB_STATE_ACKNOWLEDGED);
        nc_expect_file(ctx, "f0", 5000, s->hex);
    } else {
        CONF_EXPECT_STATE(ctx, nc_state(ctx, s->job), BG_JOB_STATE_CANCELLED);
        nc_expect_no_file(ctx, "f0");
    }
}

/* CON-007 */
static void cancel_race(conf_ctx *ctx, const conf_case *c)
{
    race_one_winner(ctx, w_cancel);
}

/* CON-008 */
static void complete_race(conf_ctx *ctx, const conf_case *c)
{
    race_one_winner(ctx, w_complete);
}

/* CON-009 (the count relative to the queue before the case) */
static void enum_while_creating(conf_ctx *ctx, const conf_case *c)
{
    shared *s = new_shared(ctx);
    ULONG base = count_jobs(ctx);
    unsigned n = 16;
    /* half the threads create jobs, half enumerate */
    nc_threads(ctx, n / 2, w_create_only, s);
    nc_threads(ctx, n / 2, w_enum, s);
    for (unsigned i = 0; i < n / 2; i++) {
        if (s->jobs[i]) {
            conf_track_job(ctx, s->jobs[i]);
            IBackgroundCopyJob_Release(s->jobs[i]);
        }
    }
    check_all(ctx, s, n / 2, "CreateJob / EnumJobs succeed");
    CONF_EXPECT_U(ctx, count_jobs(ctx), base + n / 2);
}

/* CON-010, CON-014: ARG jobs fetch the fixture from the runner's h2mock */
static void shared_mock_jobs(conf_ctx *ctx, const conf_case *c)
{
    shared *s = new_shared(ctx);
    unsigned n;
    if (!ctx->mock_url)
        conf_fail(ctx, "the runner's shared mock server is not running");
    size_t flen = 0;
    const char *fp = nc_fixture_path(ctx, "conf/lines.txt");
    FILE *f = fopen(fp, "rb");
    if (!f)
        conf_fail(ctx, "docts: fixture %s missing", fp);
    static uint8_t buf[65536];
    flen = fread(buf, 1, sizeof buf, f);
    fclose(f);
    nc_sha256_hex(buf, flen, s->hex);
    n = (unsigned)c->arg;
    IBackgroundCopyJob *jobs[NJ];
    for (unsigned i = 0; i < n; i++) {
        jobs[i] =
            conf_new_job(ctx, u"docts-shared", BG_JOB_TYPE_DOWNLOAD, NULL);
        conf_defer_release(ctx, (IUnknown *)jobs[i]);
        char loc[32];
        snprintf(loc, sizeof loc, "s%u", i);
        CONF_EXPECT_HR(ctx,
                       IBackgroundCopyJob_AddFile(
                           jobs[i], wurl(ctx, ctx->mock_url, "/conf/lines.txt"),
                           conf_tmp_path(ctx, loc)),
                       S_OK);
        CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Resume(jobs[i]), S_OK);
    }
    for (unsigned i = 0; i < n; i++) {
        CONF_EXPECT_STATE(ctx, nc_wait(ctx, jobs[i], ST_DONE, WAIT, 0, NULL),
                          BG_JOB_STATE_TRANSFERRED);
        CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Complete(jobs[i]), S_OK);
        char loc[32];
        snprintf(loc, sizeof loc, "s%u", i);
        nc_expect_file(ctx, loc, flen, s->hex);
    }
}

/* CON-011 */
static void same_url_two_jobs(conf_ctx *ctx, const conf_case *c)
{
    shared *s = new_shared(ctx);
    const char *paths[] = {"/same.bin"};
    nc_mock *m = nc_mock_start(ctx, NULL);
    nc_put_file(ctx, m, "/same.bin", 40000, 3, s->hex);
    const char *la[] = {"a"}, *lb[] = {"b"};
    IBackgroundCopyJob *ja = nc_job(ctx, m, paths, 1, la);
    IBackgroundCopyJob *jb = nc_job(ctx, m, paths, 1, lb);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Resume(ja), S_OK);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Resume(jb), S_OK);
    CONF_EXPECT_STATE(ctx, nc_wait(ctx, ja, ST_DONE, WAIT, 0, NULL),
                      BG_JOB_STATE_TRANSFERRED);
    CONF_EXPECT_STATE(ctx, nc_wait(ctx, jb, ST_DONE, WAIT, 0, NULL),
                      BG_JOB_STATE_TRANSFERRED);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Complete(ja), S_OK);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Complete(jb), S_OK);
    nc_expect_file(ctx, "a", 40000, s->hex);
    nc_expect_file(ctx, "b", 40000, s->hex);
    size_t ln;
    nc_req *r = nc_log_wait(ctx, m, "/same.bin", 2, 3000, &ln);
    CONF_EXPECT_TRUE(ctx, nc_log_count(r, ln, "GET", "/same.bin") >= 2,
                     "each job fetched the file itself",
                     nc_log_text(ctx, r, ln));
}

/* ---- the case table ----------------------------------------------------- */

#define REQ CONF_REQUIRED
#define INF CONF_INFORMATIVE
#define A CONF_P_ALL
#define IFM "IBackgroundCopyManager"
#define IFJ "IBackgroundCopyJob"
#define T(id_, if_, m_, rule_, ev_, run_, arg_, needs_, x_)                    \
    {                                                                          \
        .id = id_, .iface = if_, .method = m_, .rule = rule_, .profiles = A,   \
        .evidence = ev_, .setup = CONF_SETUP_MANAGER, .run = run_,             \
        .arg = arg_, .needs = needs_, .expect = x_, .timeout_s = 60            \
    }

static const conf_case cases[] = {
    T("CON-001", IFM, "EnumJobs", "§14.1 MGR-05, MGR-07; §14.2 ST-05", REQ,
      many_jobs, 0, 0,
      "30 jobs at once: all TRANSFERRED, bytes exact; EnumJobs 30 -> 0"),
    T("CON-002", IFJ, "Resume", "§14.2 ST-05; §14.3 FILE-01", REQ, many_files,
      0, 0, "one job, 25 files: FilesTransferred 25, every file exact"),
    T("CON-003", IFJ, "Resume", "§1 (files in the order added); I2", REQ,
      many_files, 1, 0, "25 files requested in the order they were added"),
    T("CON-004", IFM, "CreateJob", "DESIGN.md (free-threaded); §14.2 ST-05",
      REQ, threads_create_run, 0, 0,
      "8 threads create, fill, run and complete jobs at once"),
    T("CON-005", IFJ, "GetState", "DESIGN.md (free-threaded)", REQ,
      threads_getters, 0, 0,
      "8 threads call getters while bytes move: all S_OK, file exact"),
    T("CON-006", IFJ, "Suspend", "§2.2 T14, T16; DESIGN.md", REQ,
      suspend_resume_race, 0, 0,
      "8 threads race Suspend/Resume: all S_OK; final Resume -> exact file"),
    T("CON-007", IFJ, "Cancel", "§14.2 ST-07 (second Cancel INVALID_STATE)",
      REQ, cancel_race, 0, 0,
      "16 threads Cancel at once: one S_OK, 15 INVALID_STATE"),
    T("CON-008", IFJ, "Complete", "§14.2 ST-06 (second Complete)", REQ,
      complete_race, 0, 0,
      "16 threads Complete at once: one S_OK, 15 INVALID_STATE; file exact"),
    T("CON-009", IFM, "EnumJobs", "§12; DESIGN.md (free-threaded)", REQ,
      enum_while_creating, 0, 0,
      "threads create jobs, others enumerate: all succeed, count 8"),
    T("CON-010", IFJ, "Resume", "§14.2 ST-05 (shared h2mock, fixtures/conf)",
      REQ, shared_mock_jobs, 12, CONF_NEEDS_MOCK,
      "12 jobs fetch fixtures/conf/lines.txt from the runner's h2mock"),
    T("CON-011", IFJ, "Resume", "§7.4 (same URL, jobs independent)", REQ,
      same_url_two_jobs, 0, 0, "two jobs, same URL, two paths: both exact"),
    T("CON-012", IFJ, "Cancel", "§2.2 T18; §4.4", REQ, many_jobs, 1, 0,
      "30 throttled jobs cancelled from 30 threads: all CANCELLED, no "
      "files"),
    T("CON-013", IFJ, "Resume", "§2.2 T16", REQ, resume_race, 0, 0,
      "8 threads Resume a transferring job: all S_OK, file exact"),
    T("CON-014", IFJ, "Resume", "§14.9 HTTP-01 (shared h2mock)", REQ,
      shared_mock_jobs, 1, CONF_NEEDS_MOCK,
      "one job from the shared h2mock: bytes equal fixtures/conf/lines.txt"),
};

const conf_suite conf_suite_concurrency = {
    .name = "concurrency",
    .title = "many jobs, many files, many threads: free-threaded calls, "
             "races with one winner, shared mock server",
    .cases = cases,
    .ncases = CONF_ARRAY_LEN(cases),
};
