/*
 * Free-threaded calls (DESIGN.md "Threads"): several threads call setters,
 * getters, AddFile, AddRef/Release and CreateJob on shared objects at the
 * same time; every call returns its documented result and the counts add
 * up afterwards.  ThreadSanitizer is not in `make check`; ASan still sees
 * use-after-free and double frees that races would cause.
 */
#include "support.h"

#include <docom.h>
#include <pthread.h>
#include <unistd.h>

#define NTHREADS 4
#define NFILES 25
#define NITER 200

struct worker {
    struct fx *fx;
    IBackgroundCopyJob *job;
    int index;
    int bad; /* calls that did not return what they should */
};

static void *job_worker(void *arg)
{
    struct worker *w = arg;
    WCHAR *name = wfmt("thread %d", w->index);
    for (int i = 0; i < NITER; i++) {
        LPWSTR s = NULL;
        BG_JOB_PRIORITY p;
        ULONG flags;
        w->bad += IBackgroundCopyJob_SetDisplayName(w->job, name) != S_OK;
        w->bad += IBackgroundCopyJob_GetDisplayName(w->job, &s) != S_OK;
        /* Whatever a thread reads is one whole name some thread wrote. */
        w->bad += !s || wlen(s) != 8 || memcmp(s, u"thread ", 14) != 0;
        CoTaskMemFree(s);
        w->bad += IBackgroundCopyJob_SetPriority(
                      w->job, (BG_JOB_PRIORITY)(i % 4)) != S_OK;
        w->bad += IBackgroundCopyJob_GetPriority(w->job, &p) != S_OK;
        w->bad += p > BG_JOB_PRIORITY_LOW;
        w->bad += IBackgroundCopyJob_SetNotifyFlags(w->job, i & 0x3F) != S_OK;
        w->bad += IBackgroundCopyJob_GetNotifyFlags(w->job, &flags) != S_OK;
        w->bad += flags > 0x3F;
        IBackgroundCopyJob_AddRef(w->job);
        IBackgroundCopyJob_Release(w->job);
        if (i < NFILES) {
            char f[32];
            snprintf(f, sizeof f, "t%d-%d", w->index, i);
            w->bad += fx_add(w->fx, w->job, f) != S_OK;
        }
        if (i % 20 == 0) {
            IEnumBackgroundCopyFiles *e = NULL;
            w->bad += IBackgroundCopyJob_EnumFiles(w->job, &e) != S_OK;
            release(e);
        }
    }
    CoTaskMemFree(name);
    return NULL;
}

static void one_job_many_threads(enum mode mode)
{
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *job = fx_job(&fx, 0);
    if (!job)
        goto out;
    ULONG refs = refcount(job);
    pthread_t t[NTHREADS];
    struct worker w[NTHREADS];
    for (int i = 0; i < NTHREADS; i++) {
        w[i] = (struct worker){.fx = &fx, .job = job, .index = i};
        ASSERT_U64(0, pthread_create(&t[i], NULL, job_worker, &w[i]));
    }
    for (int i = 0; i < NTHREADS; i++) {
        pthread_join(t[i], NULL);
        ASSERT_U64(0, w[i].bad);
    }
    ASSERT_U64(NTHREADS * NFILES, job_file_count(job));
    BG_JOB_PROGRESS p;
    POISON(p);
    ASSERT_HR(S_OK, IBackgroundCopyJob_GetProgress(job, &p));
    ASSERT_U64(NTHREADS * NFILES, p.FilesTotal);
    ASSERT_U64(refs, refcount(job));
out:
    fx_close(&fx);
}
BOTH_MODES(one_job_many_threads)

struct creator {
    IBackgroundCopyManager *mgr;
    IBackgroundCopyJob *jobs[10];
    GUID ids[10];
    int bad;
};

static void *create_worker(void *arg)
{
    struct creator *c = arg;
    for (int i = 0; i < 10; i++) {
        c->jobs[i] = NULL;
        c->bad += IBackgroundCopyManager_CreateJob(
                      c->mgr, u"parallel", BG_JOB_TYPE_DOWNLOAD, &c->ids[i],
                      &c->jobs[i]) != S_OK;
        IEnumBackgroundCopyJobs *e = NULL;
        c->bad += IBackgroundCopyManager_EnumJobs(c->mgr, 0, &e) != S_OK;
        release(e);
    }
    return NULL;
}

/* Parallel CreateJob: every job created once, with distinct ids. */
static void parallel_create(enum mode mode)
{
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    pthread_t t[NTHREADS];
    struct creator c[NTHREADS];
    for (int i = 0; i < NTHREADS; i++) {
        memset(&c[i], 0, sizeof c[i]);
        c[i].mgr = fx.mgr;
        ASSERT_U64(0, pthread_create(&t[i], NULL, create_worker, &c[i]));
    }
    for (int i = 0; i < NTHREADS; i++) {
        pthread_join(t[i], NULL);
        ASSERT_U64(0, c[i].bad);
        for (int k = 0; k < 10; k++)
            if (c[i].jobs[k])
                fx_track(&fx, c[i].jobs[k]);
    }
    IEnumBackgroundCopyJobs *e = NULL;
    ULONG n = 0;
    ASSERT_HR(S_OK, IBackgroundCopyManager_EnumJobs(fx.mgr, 0, &e));
    if (e) {
        IEnumBackgroundCopyJobs_GetCount(e, &n);
        release(e);
    }
    ASSERT_U64(NTHREADS * 10, n);
    int dup = 0;
    for (int a = 0; a < NTHREADS * 10; a++)
        for (int b = a + 1; b < NTHREADS * 10; b++)
            dup += !memcmp(&c[a / 10].ids[a % 10], &c[b / 10].ids[b % 10],
                           sizeof(GUID));
    ASSERT_U64(0, dup);
out:
    fx_close(&fx);
}
BOTH_MODES(parallel_create)

struct racer {
    IBackgroundCopyJob *job;
    HRESULT hr;
};

static void *cancel_worker(void *arg)
{
    struct racer *r = arg;
    r->hr = IBackgroundCopyJob_Cancel(r->job);
    return NULL;
}

/* Two threads cancel one job: exactly one succeeds (compare-and-set). */
static void cancel_race(enum mode mode)
{
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    for (int round = 0; round < 20; round++) {
        IBackgroundCopyJob *job = fx_job(&fx, 1);
        if (!job)
            break;
        pthread_t t[2];
        struct racer r[2] = {{job, E_FAIL}, {job, E_FAIL}};
        for (int i = 0; i < 2; i++)
            pthread_create(&t[i], NULL, cancel_worker, &r[i]);
        for (int i = 0; i < 2; i++)
            pthread_join(t[i], NULL);
        int ok = (r[0].hr == S_OK) + (r[1].hr == S_OK);
        int inv = (r[0].hr == hr_mode(mode, BG_E_INVALID_STATE)) +
                  (r[1].hr == hr_mode(mode, BG_E_INVALID_STATE));
        t_check(ok == 1 && inv == 1, __LINE__, __FILE__,
                "cancel race: 0x%08X and 0x%08X", (unsigned)r[0].hr,
                (unsigned)r[1].hr);
        ASSERT_U64(BG_JOB_STATE_CANCELLED, job_state(job));
    }
out:
    fx_close(&fx);
}
BOTH_MODES(cancel_race)

struct adder {
    struct fx *fx;
    IBackgroundCopyJob *job;
    int index;
    int ok, refused, bad;
};

static void *add_worker(void *arg)
{
    struct adder *a = arg;
    for (int i = 0; i < 40; i++) {
        char f[32];
        snprintf(f, sizeof f, "c%d-%d", a->index, i);
        HRESULT hr = fx_add(a->fx, a->job, f);
        if (hr == S_OK)
            a->ok++;
        else if (hr == hr_mode(a->fx->mode, BG_E_INVALID_STATE))
            a->refused++;
        else
            a->bad++;
        BG_JOB_STATE st;
        a->bad += IBackgroundCopyJob_GetState(a->job, &st) != S_OK;
    }
    return NULL;
}

/* AddFile racing Cancel: each AddFile either succeeds or meets the final
 * state; the job ends with exactly the files whose AddFile succeeded. */
static void addfile_races_cancel(enum mode mode)
{
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *job = fx_job(&fx, 0);
    if (!job)
        goto out;
    pthread_t t[3];
    struct adder a[3];
    for (int i = 0; i < 3; i++) {
        a[i] = (struct adder){.fx = &fx, .job = job, .index = i};
        pthread_create(&t[i], NULL, add_worker, &a[i]);
    }
    usleep(500);
    ASSERT_HR(S_OK, IBackgroundCopyJob_Cancel(job));
    int ok = 0;
    for (int i = 0; i < 3; i++) {
        pthread_join(t[i], NULL);
        ASSERT_U64(0, a[i].bad);
        ok += a[i].ok;
    }
    ASSERT_U64(BG_JOB_STATE_CANCELLED, job_state(job));
    ASSERT_U64(ok, job_file_count(job));
out:
    fx_close(&fx);
}
BOTH_MODES(addfile_races_cancel)

struct notifier {
    IBackgroundCopyJob *job;
    struct fake *fake;
    int bad;
};

static void *notify_worker(void *arg)
{
    struct notifier *n = arg;
    for (int i = 0; i < 300; i++) {
        IUnknown *u = NULL;
        n->bad += IBackgroundCopyJob_SetNotifyInterface(
                      n->job, i % 3 ? fake_unknown(n->fake) : NULL) != S_OK;
        n->bad += IBackgroundCopyJob_GetNotifyInterface(n->job, &u) != S_OK;
        if (u)
            IUnknown_Release(u);
    }
    return NULL;
}

/* Set/GetNotifyInterface from several threads: the fake's count comes
 * back to 1 once the registration is cleared (no lost or extra
 * reference). */
static void notify_interface_races(enum mode mode)
{
    struct fake cb;
    fake_init(&cb, 0);
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *job = fx_job(&fx, 0);
    if (!job)
        goto out;
    pthread_t t[NTHREADS];
    struct notifier n[NTHREADS];
    for (int i = 0; i < NTHREADS; i++) {
        n[i] = (struct notifier){.job = job, .fake = &cb};
        pthread_create(&t[i], NULL, notify_worker, &n[i]);
    }
    for (int i = 0; i < NTHREADS; i++) {
        pthread_join(t[i], NULL);
        ASSERT_U64(0, n[i].bad);
    }
    ASSERT_HR(S_OK, IBackgroundCopyJob_SetNotifyInterface(job, NULL));
    ASSERT_U64(1, fake_refs(&cb));
out:
    fx_close(&fx);
    ASSERT_U64(1, fake_refs(&cb));
}
BOTH_MODES(notify_interface_races)

CU_TestInfo tests_threads[] = {
    BOTH_INFO(one_job_many_threads),
    BOTH_INFO(parallel_create),
    BOTH_INFO(cancel_race),
    BOTH_INFO(addfile_races_cancel),
    BOTH_INFO(notify_interface_races),
    CU_TEST_INFO_NULL,
};
