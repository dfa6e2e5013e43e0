/*
 * ref_notify.c - the notification thread: IBackgroundCopyCallback /
 * IBackgroundCopyCallback2 calls (docs/decisions.md I-series).
 *
 * Owns one queue of events and one thread per process that delivers them
 * in order, with no lock of the library held during the client call, so a
 * callback may call Complete, Cancel, GetProgress or Release on the job.
 * Events of one job are delivered in the order they were posted; an event
 * that is not due yet (a redelivery after a failed JobTransferred /
 * JobError / FileTransferred, or a JobModification held back by
 * MINIMUM_NOTIFICATION_INTERVAL_MS) holds back the later events of the
 * same job only.  Flags, the registered interface and the job's state are
 * read at delivery time.  With no interface registered (or one whose
 * process is gone) and a Job5 NOTIFICATION_CLSID set, the event goes to a
 * fresh instance of that class, made through libdocom's CoCreateInstance
 * (spec §5.3 fallback, I25).  Cancel and Complete call
 * ref_notify_quiesce(): it drops the job's queued events and waits for a
 * callback of that job that is running (unless called from that
 * callback), so nothing is called after they return.  SetNotifyInterface
 * calls ref_notify_forget_locked() and ref_notify_wait_call(): the events
 * queued under the old registration are dropped, and a call to the old
 * interface that already started is waited for, so the replaced or
 * cleared interface gets no call after SetNotifyInterface returns (I27).
 * Every wait reads ref_clock, whose changes wake the thread.  Layer core:
 * the error and file objects handed to the client come from constructors
 * the COM layer registers (ref_notify_use_faces), not from com's files.
 */
#include "ref_private.h"
#include "ref_test_hooks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The COM layer's constructors of the objects a callback receives
 * (ref_notify_use_faces); set before the first job exists. */
static const struct ref_notify_faces *faces;

void ref_notify_use_faces(const struct ref_notify_faces *f)
{
    __atomic_store_n(&faces, f, __ATOMIC_RELEASE);
}

static const struct ref_notify_faces *faces_get(void)
{
    return __atomic_load_n(&faces, __ATOMIC_ACQUIRE);
}

/* Redelivery interval of a failed callback (clock milliseconds). */
#define REDELIVER_MS_DEFAULT 5000

struct event {
    struct event *next;
    struct job *job; /* one reference */
    enum ref_notify_kind kind;
    long file;
    uint64_t due;          /* mono ms */
    BG_FILE_RANGE *ranges; /* REF_NOTIFY_RANGES: its own copy */
    DWORD nranges;
    int inflight; /* being delivered now */
    int dead;     /* dropped while in flight: no call if not started, free
                   * after it (atomic: set under n_lock, read by deliver) */
    int started;  /* deliver read the registration (under the job lock) */
};

static pthread_mutex_t n_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t n_cond; /* new work / clock change */
static pthread_cond_t n_idle; /* a callback returned */
static pthread_once_t n_once = PTHREAD_ONCE_INIT;
static pthread_t n_thread;
static int n_ready;
static struct event *n_head, *n_tail;
static struct job *n_current;  /* job whose callback is running */
static uint64_t n_seq;         /* deliveries begun so far */
static uint64_t n_current_seq; /* the running delivery's number, or 0 */
static int n_waiters; /* threads in ref_notify_wait_call (atomic; test hook) */
static uint64_t n_redeliver_ms = REDELIVER_MS_DEFAULT;

static void *notify_main(void *arg);
static void test_stop_at(enum ref_notify_stop at);

static void notify_wake(void)
{
    pthread_mutex_lock(&n_lock);
    pthread_cond_broadcast(&n_cond);
    pthread_mutex_unlock(&n_lock);
}

static void notify_init(void)
{
    const char *env = getenv("DOREF_NOTIFY_RETRY_MS");
    ref_cond_init_mono(&n_cond);
    pthread_cond_init(&n_idle, NULL);
    if (env && *env)
        n_redeliver_ms = strtoull(env, NULL, 10);
    ref_clock_on_change(notify_wake);
    if (pthread_create(&n_thread, NULL, notify_main, NULL) == 0) {
        pthread_detach(n_thread);
        n_ready = 1;
    }
}

int ref_notify_on_thread(void)
{
    return n_ready && pthread_equal(pthread_self(), n_thread);
}

/* n_lock held: appends ev. */
static void queue_append(struct event *ev)
{
    ev->next = NULL;
    if (n_tail)
        n_tail->next = ev;
    else
        n_head = ev;
    n_tail = ev;
}

/* n_lock held: unlinks ev (prev is its predecessor or NULL). */
static void queue_unlink(struct event *prev, struct event *ev)
{
    if (prev)
        prev->next = ev->next;
    else
        n_head = ev->next;
    if (n_tail == ev)
        n_tail = prev;
}

static void post(struct job *job, enum ref_notify_kind kind, long file,
                 const BG_FILE_RANGE *ranges, DWORD n);

void ref_notify_post(struct job *job, enum ref_notify_kind kind, long file)
{
    post(job, kind, file, NULL, 0);
}

void ref_notify_post_ranges(struct job *job, long file,
                            const BG_FILE_RANGE *ranges, DWORD n)
{
    post(job, REF_NOTIFY_RANGES, file, ranges, n);
}

static void event_free(struct event *ev)
{
    free(ev->ranges);
    free(ev);
}

static void post(struct job *job, enum ref_notify_kind kind, long file,
                 const BG_FILE_RANGE *ranges, DWORD n)
{
    struct event *ev;
    ULONG flags = __atomic_load_n(&job->notify_flags, __ATOMIC_RELAXED);
    /* Nobody to call without an interface or a NOTIFICATION_CLSID;
     * SetNotifyInterface and SetProperty re-post (I16, I25).  The CLSID
     * changes only under the job's lock, which every poster holds. */
    if (!__atomic_load_n(&job->notify, __ATOMIC_ACQUIRE) &&
        IsEqualGUID(&job->notify_clsid, &GUID_NULL))
        return;
    if (kind == REF_NOTIFY_MODIFICATION &&
        (!(flags & BG_NOTIFY_JOB_MODIFICATION) || (flags & BG_NOTIFY_DISABLE)))
        return; /* cheap filter; the flags are read again at delivery */
    pthread_once(&n_once, notify_init);
    if (!n_ready)
        return;
    pthread_mutex_lock(&n_lock);
    if (kind == REF_NOTIFY_MODIFICATION && job->ntf.mod_pending) {
        pthread_mutex_unlock(&n_lock); /* coalesced into the queued one */
        return;
    }
    ev = calloc(1, sizeof *ev); /* bookkeeping: outside the seam (R32) */
    if (!ev) {
        pthread_mutex_unlock(&n_lock);
        return;
    }
    if (n) {
        ev->ranges = malloc(n * sizeof *ranges);
        if (!ev->ranges) {
            free(ev);
            pthread_mutex_unlock(&n_lock);
            return;
        }
        memcpy(ev->ranges, ranges, n * sizeof *ranges);
        ev->nranges = n;
    }
    ev->job = job;
    ev->kind = kind;
    ev->file = file;
    ev->due = ref_clock_mono_ms();
    if (kind == REF_NOTIFY_MODIFICATION) {
        uint64_t min = job->ntf.mod_last + job->min_notify_interval;
        job->ntf.mod_pending = TRUE;
        if (job->ntf.mod_last && min > ev->due)
            ev->due = min;
    }
    ref_job_addref(job);
    queue_append(ev);
    pthread_cond_broadcast(&n_cond);
    pthread_mutex_unlock(&n_lock);
}

void ref_notify_state(struct job *job, int from, int to)
{
    (void)from;
    if (to == BG_JOB_STATE_TRANSFERRED)
        ref_notify_post(job, REF_NOTIFY_TRANSFERRED, -1);
    else if (to == BG_JOB_STATE_ERROR)
        ref_notify_post(job, REF_NOTIFY_ERROR, -1);
    else if (!ref_state_is_final(to))
        ref_notify_post(job, REF_NOTIFY_MODIFICATION, -1);
}

/* n_lock held: unlinks the job's queued events (returned as a list)
 * and marks the one in flight dead; *running gets that one (or NULL). */
static struct event *unlink_job(struct job *job, struct event **running)
{
    struct event *prev = NULL, *ev, *next, *drop = NULL;
    *running = NULL;
    for (ev = n_head; ev; ev = next) {
        next = ev->next;
        if (ev->job != job) {
            prev = ev;
            continue;
        }
        if (ev->inflight) {
            __atomic_store_n(&ev->dead, 1, __ATOMIC_RELEASE);
            *running = ev;
            prev = ev;
            continue;
        }
        queue_unlink(prev, ev);
        if (ev->kind == REF_NOTIFY_MODIFICATION)
            job->ntf.mod_pending = FALSE;
        ev->next = drop;
        drop = ev;
    }
    return drop;
}

static void free_list(struct event *drop)
{
    while (drop) {
        struct event *next = drop->next;
        ref_job_release(drop->job);
        event_free(drop);
        drop = next;
    }
}

void ref_notify_quiesce(struct job *job)
{
    struct event *drop, *running;
    if (!n_ready)
        return;
    pthread_mutex_lock(&n_lock);
    drop = unlink_job(job, &running);
    if (!ref_notify_on_thread())
        while (n_current == job)
            pthread_cond_wait(&n_idle, &n_lock);
    pthread_mutex_unlock(&n_lock);
    free_list(drop);
}

uint64_t ref_notify_forget_locked(struct job *job)
{
    struct event *drop, *running;
    uint64_t ticket = 0;
    if (!n_ready)
        return 0;
    pthread_mutex_lock(&n_lock);
    drop = unlink_job(job, &running);
    /* `started` is written under the job lock, which the caller holds:
     * a delivery that has not read the registration yet sees `dead` and
     * calls nobody; one that has is waited for (not from inside it). */
    if (running && running->started && !ref_notify_on_thread())
        ticket = n_current_seq;
    pthread_mutex_unlock(&n_lock);
    /* The caller holds a reference to the job (it is inside one of its
     * methods), so these releases never destroy it under its lock. */
    free_list(drop);
    return ticket;
}

void ref_notify_wait_call(uint64_t ticket)
{
    if (!ticket)
        return;
    pthread_mutex_lock(&n_lock);
    __atomic_add_fetch(&n_waiters, 1, __ATOMIC_RELEASE);
    while (n_current_seq == ticket)
        pthread_cond_wait(&n_idle, &n_lock);
    __atomic_sub_fetch(&n_waiters, 1, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&n_lock);
}

/* n_lock held: the first due event whose job has no earlier event in the
 * queue; *wait_ms gets the clock time until the next one is due. */
static struct event *pick(uint64_t now, uint64_t *due_min)
{
    *due_min = UINT64_MAX;
    for (struct event *ev = n_head; ev; ev = ev->next) {
        int blocked = 0;
        if (ev->inflight)
            continue;
        for (struct event *e = n_head; e != ev; e = e->next)
            if (e->job == ev->job) {
                blocked = 1;
                break;
            }
        if (blocked)
            continue;
        if (ev->due <= now)
            return ev;
        if (ev->due < *due_min)
            *due_min = ev->due;
    }
    return NULL;
}

/* What one delivery needs from the job, read under its lock. */
struct snap {
    IBackgroundCopyJob *ji;
    ULONG flags;
    int state;
    BG_ERROR_CONTEXT ctx;
    HRESULT code;
    long efile;
    struct file_rec *rec;
};

/* Whether ev is due to anyone at all under the flags and state read. */
static int wanted(const struct event *ev, const struct snap *sn)
{
    if (ref_state_is_final(sn->state) || (sn->flags & BG_NOTIFY_DISABLE))
        return 0;
    switch (ev->kind) {
    case REF_NOTIFY_TRANSFERRED:
        return (sn->flags & BG_NOTIFY_JOB_TRANSFERRED) &&
               sn->state == BG_JOB_STATE_TRANSFERRED;
    case REF_NOTIFY_ERROR:
        return (sn->flags & BG_NOTIFY_JOB_ERROR) &&
               sn->state == BG_JOB_STATE_ERROR;
    case REF_NOTIFY_MODIFICATION:
        return (sn->flags & BG_NOTIFY_JOB_MODIFICATION) != 0;
    case REF_NOTIFY_RANGES:
        return (sn->flags & BG_NOTIFY_FILE_RANGES_TRANSFERRED) && sn->rec;
    case REF_NOTIFY_FILE:
        return (sn->flags & BG_NOTIFY_FILE_TRANSFERRED) && sn->rec;
    }
    return 0;
}

/* Calls ev's method on punk (the interface it needs through
 * QueryInterface; nothing when punk lacks it).  Returns the method's
 * HRESULT, S_OK when nothing was called. */
static HRESULT call(const struct event *ev, struct job *job,
                    const struct snap *sn, IUnknown *punk)
{
    HRESULT hr = S_OK;

    switch (ev->kind) {
    case REF_NOTIFY_TRANSFERRED:
    case REF_NOTIFY_ERROR:
    case REF_NOTIFY_MODIFICATION: {
        IBackgroundCopyCallback *cb = NULL;
        IBackgroundCopyError *err = NULL;
        if (FAILED(punk->lpVtbl->QueryInterface(
                punk, &IID_IBackgroundCopyCallback, (void **)&cb)) ||
            !cb)
            break;
        if (ev->kind == REF_NOTIFY_TRANSFERRED)
            hr = cb->lpVtbl->JobTransferred(cb, sn->ji);
        else if (ev->kind == REF_NOTIFY_MODIFICATION)
            hr = cb->lpVtbl->JobModification(cb, sn->ji, 0);
        else if (SUCCEEDED(faces_get()->error(job, sn->ctx, sn->code, sn->efile,
                                              &err))) {
            hr = cb->lpVtbl->JobError(cb, sn->ji, err);
            err->lpVtbl->Release(err);
        }
        cb->lpVtbl->Release(cb);
        break;
    }
    case REF_NOTIFY_RANGES: {
        IBackgroundCopyCallback3 *cb = NULL;
        IBackgroundCopyFile *file = NULL;
        if (FAILED(punk->lpVtbl->QueryInterface(
                punk, &IID_IBackgroundCopyCallback3, (void **)&cb)) ||
            !cb)
            break;
        if (SUCCEEDED(faces_get()->file(job, sn->rec, &file))) {
            hr = cb->lpVtbl->FileRangesTransferred(cb, sn->ji, file,
                                                   ev->nranges, ev->ranges);
            file->lpVtbl->Release(file);
        }
        cb->lpVtbl->Release(cb);
        break;
    }
    case REF_NOTIFY_FILE: {
        IBackgroundCopyCallback2 *cb = NULL;
        IBackgroundCopyFile *file = NULL;
        if (FAILED(punk->lpVtbl->QueryInterface(
                punk, &IID_IBackgroundCopyCallback2, (void **)&cb)) ||
            !cb)
            break;
        if (SUCCEEDED(faces_get()->file(job, sn->rec, &file))) {
            hr = cb->lpVtbl->FileTransferred(cb, sn->ji, file);
            file->lpVtbl->Release(file);
        }
        cb->lpVtbl->Release(cb);
        break;
    }
    }
    return hr;
}

/* The answers of a callback object whose process is gone (COM's codes
 * for a disconnected proxy): the registration is dead (I25). */
static int gone(HRESULT hr)
{
    return hr == RPC_E_DISCONNECTED || hr == RPC_E_SERVER_DIED ||
           hr == RPC_E_SERVER_DIED_DNE ||
           hr == HRESULT_FROM_WIN32(1722); /* RPC_S_SERVER_UNAVAILABLE */
}

/* Spec §5.3 fallback by CLSID (I25): one instance of the class per
 * delivery, created as a BITS service would (CLSCTX_LOCAL_SERVER,
 * IBackgroundCopyCallback) through libdocom, called, released.  Returns
 * the call's HRESULT, or the activation's failure. */
static HRESULT activate_and_call(const struct event *ev, struct job *job,
                                 const struct snap *sn, const GUID *clsid)
{
    IBackgroundCopyCallback *cb = NULL;
    HRESULT hr;

    CoInitializeEx(NULL, COINIT_MULTITHREADED); /* our thread's COM use */
    hr = CoCreateInstance(clsid, NULL, CLSCTX_LOCAL_SERVER,
                          &IID_IBackgroundCopyCallback, (void **)&cb);
    if (SUCCEEDED(hr) && !cb)
        hr = E_NOINTERFACE;
    if (SUCCEEDED(hr)) {
        hr = call(ev, job, sn, (IUnknown *)cb);
        cb->lpVtbl->Release(cb);
    } else if (ref_log_on()) {
        fprintf(stderr,
                "doref: job %08X: NOTIFICATION_CLSID activation failed "
                "0x%08X\n",
                (unsigned)job->id.Data1, (unsigned)hr);
    }
    CoUninitialize();
    return hr;
}

/* Calls the client: the registered interface, else (or when it is gone)
 * an instance of the job's NOTIFICATION_CLSID (I25).  Returns the
 * HRESULT that decides a redelivery: the callback's for JobTransferred,
 * JobError and FileTransferred (or the activation's failure), S_OK for
 * the others and when nothing was called. */
static HRESULT deliver(struct event *ev)
{
    struct job *job = ev->job;
    struct ref_unk_box *box, *dead = NULL;
    struct snap sn = {.ji = ref_job_iface(job),
                      .ctx = BG_ERROR_CONTEXT_NONE,
                      .code = S_OK,
                      .efile = -1};
    GUID clsid;
    HRESULT hr = S_OK;
    int dropped;

    pthread_mutex_lock(&job->lock);
    sn.state = ref_job_state(job);
    sn.flags = job->notify_flags;
    box = job->notify;
    ref_unk_box_addref(box);
    clsid = job->notify_clsid;
    if (job->error.set) {
        sn.ctx = job->error.context;
        sn.code = job->error.code;
        sn.efile = job->error.file;
    }
    if ((ev->kind == REF_NOTIFY_FILE || ev->kind == REF_NOTIFY_RANGES) &&
        ev->file >= 0 && (ULONG)ev->file < job->nfiles)
        sn.rec = job->files[ev->file];
    /* I27: dropped by SetNotifyInterface (or Cancel / Complete) before we
     * read the registration: nobody is called; otherwise a replacement
     * from now on waits for this call. */
    dropped = __atomic_load_n(&ev->dead, __ATOMIC_ACQUIRE);
    if (!dropped)
        ev->started = 1;
    pthread_mutex_unlock(&job->lock);

    if (dropped || !wanted(ev, &sn))
        goto out;
    test_stop_at(REF_NOTIFY_STOP_CALLING);
    if (box) {
        hr = call(ev, job, &sn, box->punk);
        if (!gone(hr) || IsEqualGUID(&clsid, &GUID_NULL))
            goto out;
        /* the registered object is gone: forget it, call the class */
        pthread_mutex_lock(&job->lock);
        if (job->notify == box) {
            __atomic_store_n(&job->notify, NULL, __ATOMIC_RELEASE);
            dead = box;
        }
        pthread_mutex_unlock(&job->lock);
    } else if (IsEqualGUID(&clsid, &GUID_NULL)) {
        goto out;
    }
    hr = activate_and_call(ev, job, &sn, &clsid);
out:
    ref_unk_box_release(dead); /* the job's reference */
    ref_unk_box_release(box);
    if (ev->kind == REF_NOTIFY_MODIFICATION || ev->kind == REF_NOTIFY_RANGES)
        hr = S_OK; /* results ignored (spec §5.3) */
    return hr;
}

static void *notify_main(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&n_lock);
    for (;;) {
        uint64_t now = ref_clock_mono_ms(), due_min;
        struct event *ev = pick(now, &due_min), *prev;
        HRESULT hr;
        if (!ev) {
            ref_cond_wait_ms(&n_cond, &n_lock,
                             due_min == UINT64_MAX
                                 ? UINT64_MAX
                                 : ref_clock_real_ms_until(due_min));
            continue;
        }
        ev->inflight = 1;
        n_current = ev->job;
        n_current_seq = ++n_seq;
        if (ev->kind == REF_NOTIFY_MODIFICATION) {
            ev->job->ntf.mod_pending = FALSE;
            ev->job->ntf.mod_last = now ? now : 1;
        }
        pthread_mutex_unlock(&n_lock);
        test_stop_at(REF_NOTIFY_STOP_PICKED);
        hr = deliver(ev);
        pthread_mutex_lock(&n_lock);
        ev->inflight = 0;
        n_current = NULL;
        n_current_seq = 0;
        pthread_cond_broadcast(&n_idle);
        if (FAILED(hr) && !__atomic_load_n(&ev->dead, __ATOMIC_ACQUIRE) &&
            ev->kind != REF_NOTIFY_MODIFICATION) {
            ev->due = ref_clock_mono_ms() + n_redeliver_ms; /* spec §5.3 */
            continue;
        }
        prev = NULL;
        for (struct event *e = n_head; e && e != ev; e = e->next)
            prev = e;
        queue_unlink(prev, ev);
        pthread_mutex_unlock(&n_lock);
        ref_job_release(ev->job);
        event_free(ev);
        pthread_mutex_lock(&n_lock);
    }
    return NULL;
}

/* ---- Test hooks (ref_test_hooks.h) ------------------------------------ */

static pthread_mutex_t t_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t t_cond = PTHREAD_COND_INITIALIZER;
static enum ref_notify_stop t_armed; /* where the next delivery stops */
static int t_held;                   /* the thread waits at t_armed */

/* On the notification thread, no lock held: waits at `at` while armed
 * there.  One atomic load when no test armed it. */
static void test_stop_at(enum ref_notify_stop at)
{
    if (__atomic_load_n(&t_armed, __ATOMIC_ACQUIRE) != at)
        return;
    pthread_mutex_lock(&t_lock);
    if (t_armed == at) {
        t_held = 1;
        pthread_cond_broadcast(&t_cond);
        while (t_armed == at)
            pthread_cond_wait(&t_cond, &t_lock);
        t_held = 0;
    }
    pthread_mutex_unlock(&t_lock);
}

void ref_notify_test_stop(enum ref_notify_stop at)
{
    pthread_mutex_lock(&t_lock);
    __atomic_store_n(&t_armed, at, __ATOMIC_RELEASE);
    pthread_cond_broadcast(&t_cond);
    pthread_mutex_unlock(&t_lock);
}

int ref_notify_test_held(unsigned timeout_ms)
{
    int held;
    pthread_mutex_lock(&t_lock);
    for (unsigned waited = 0; !t_held && waited < timeout_ms; waited += 5) {
        pthread_mutex_unlock(&t_lock);
        nanosleep(&(struct timespec){0, 5000000}, NULL);
        pthread_mutex_lock(&t_lock);
    }
    held = t_held;
    pthread_mutex_unlock(&t_lock);
    return held;
}

void ref_notify_test_go(void)
{
    ref_notify_test_stop(REF_NOTIFY_STOP_NONE);
}

int ref_notify_test_waiters(void)
{
    return __atomic_load_n(&n_waiters, __ATOMIC_ACQUIRE);
}
