/*
 * do_service.c - the DO service of the reference: the list of live
 * downloads, their reference on the process's engine (ref_shared_engine.h,
 * shared with the BITS jobs) and the one worker thread (docs/do-api.md
 * "Threads").
 *
 * The list holds one reference on every download that is not Finalized
 * or Aborted, so releasing every client pointer neither aborts nor frees
 * a download (EnumDownloads still finds it).  The worker sleeps on a
 * condition variable until an event or its next deadline: events are
 * do_service_kick() (engine callbacks, state and property changes, API
 * calls) and every ref_clock or ref_network change (IDoctsTestClock
 * Advance / speed, ref_network_set); the deadline is the earliest one
 * do_download_pump() reports (retry, no-progress timeout, progress
 * callback), or REF_NETWORK_POLL_MS while a download waits on the
 * simulated network, whose environment has no wake-up.  With nothing due
 * it does not wake at all.  Each wake runs do_download_pump() on every
 * download: stream writes, results, retries, timeouts and the
 * OnStatusChange callbacks, which it makes with no lock held.  One thread
 * for every download keeps each download's callbacks in order; a client
 * callback that blocks holds up the others (documented).  The thread and
 * the engine reference are taken on first use and dropped in
 * do_service_reset() or when the library is unloaded.  Layer do: the
 * service reaches a download's reference and pass through the table the
 * download registers (do_service_use), so it imports none of
 * do_download.c (docs/architecture.md "Layers").
 */
#include "do_private.h"

#include "ref_network.h"
#include "ref_shared_engine.h"

#include <errno.h>

static pthread_mutex_t s_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t s_cond;
static pthread_once_t s_once = PTHREAD_ONCE_INIT;
static struct do_download *s_head;
static ref_engine *s_engine; /* our reference on the shared engine */
static pthread_t s_thread;
static int s_running, s_stop, s_kicked;
static void (*s_wake_hook)(void); /* do_service_set_wake_hook */
/* The download's own table (do_service_use): its reference and its pass. */
static const struct do_service_items *s_items;

void do_service_use(const struct do_service_items *items)
{
    __atomic_store_n(&s_items, items, __ATOMIC_RELEASE);
}

static const struct do_service_items *items(void)
{
    return __atomic_load_n(&s_items, __ATOMIC_ACQUIRE);
}

static void *worker_main(void *arg);

static void service_wake(void)
{
    do_service_kick();
}

static void service_init(void)
{
    ref_cond_init_mono(&s_cond);
    ref_clock_on_change(service_wake); /* ref_network_set wakes us too */
}

/* s_lock held: starts the worker if needed. */
static void start_worker_locked(void)
{
    if (s_running)
        return;
    s_stop = 0;
    if (pthread_create(&s_thread, NULL, worker_main, NULL) == 0)
        s_running = 1;
}

void do_service_kick(void)
{
    pthread_once(&s_once, service_init);
    pthread_mutex_lock(&s_lock);
    s_kicked = 1;
    pthread_cond_broadcast(&s_cond);
    pthread_mutex_unlock(&s_lock);
}

int do_service_on_worker(void)
{
    int on;
    pthread_mutex_lock(&s_lock);
    on = s_running && pthread_equal(pthread_self(), s_thread);
    pthread_mutex_unlock(&s_lock);
    return on;
}

void do_service_add(struct do_download *d)
{
    pthread_once(&s_once, service_init);
    items()->addref(d);
    pthread_mutex_lock(&s_lock);
    d->listed = true;
    d->next = s_head;
    s_head = d;
    start_worker_locked();
    pthread_mutex_unlock(&s_lock);
}

void do_service_remove(struct do_download *d)
{
    struct do_download **pp;
    bool was = false;
    pthread_mutex_lock(&s_lock);
    for (pp = &s_head; *pp; pp = &(*pp)->next)
        if (*pp == d) {
            *pp = d->next;
            d->next = NULL;
            d->listed = false;
            was = true;
            break;
        }
    pthread_mutex_unlock(&s_lock);
    if (was)
        items()->release(d);
}

HRESULT do_service_snapshot(const WCHAR *owner, struct do_download ***out,
                            ULONG *n)
{
    struct do_download *d, **arr;
    ULONG k = 0, count = 0;
    *out = NULL;
    *n = 0;
    pthread_mutex_lock(&s_lock);
    for (d = s_head; d; d = d->next)
        if (!owner || ref_wcscmp(owner, d->owner) == 0)
            count++;
    arr = ref_calloc(count ? count : 1, sizeof *arr);
    if (!arr) {
        pthread_mutex_unlock(&s_lock);
        return E_OUTOFMEMORY;
    }
    /* oldest first: the list is newest first */
    for (d = s_head; d; d = d->next)
        if (!owner || ref_wcscmp(owner, d->owner) == 0) {
            items()->addref(d);
            arr[count - 1 - k++] = d;
        }
    pthread_mutex_unlock(&s_lock);
    *out = arr;
    *n = count;
    return S_OK;
}

HRESULT do_service_engine(ref_engine **out)
{
    int rc = 0;
    pthread_mutex_lock(&s_lock);
    if (!s_engine)
        rc = ref_shared_engine_acquire(&s_engine, NULL);
    *out = s_engine;
    pthread_mutex_unlock(&s_lock);
    if (rc == -ENOMEM)
        return E_OUTOFMEMORY;
    return *out ? S_OK : E_FAIL;
}

void do_service_set_wake_hook(void (*fn)(void))
{
    pthread_mutex_lock(&s_lock);
    s_wake_hook = fn;
    pthread_mutex_unlock(&s_lock);
}

/* One pass over every listed download; returns the earliest deadline
 * they reported (ref_clock ms, UINT64_MAX none). */
static uint64_t pump_all(bool *poll)
{
    struct do_download **all;
    uint64_t next = UINT64_MAX;
    ULONG n;
    if (FAILED(do_service_snapshot(NULL, &all, &n)))
        return ref_clock_mono_ms() + REF_NETWORK_POLL_MS; /* no memory */
    for (ULONG i = 0; i < n; i++) {
        uint64_t d = items()->pump(all[i], poll);
        if (d < next)
            next = d;
        items()->release(all[i]);
    }
    ref_free(all);
    return next;
}

static void *worker_main(void *arg)
{
    uint64_t ms = UINT64_MAX; /* real ms until the next deadline */
    pthread_mutex_lock(&s_lock);
    while (!s_stop) {
        bool poll = false;
        uint64_t next;
        if (!s_kicked)
            ref_cond_wait_ms(&s_cond, &s_lock, ms);
        s_kicked = 0;
        if (s_stop)
            break;
        if (s_wake_hook)
            s_wake_hook();
        pthread_mutex_unlock(&s_lock);
        next = pump_all(&poll);
        ms = next == UINT64_MAX ? UINT64_MAX : ref_clock_real_ms_until(next);
        if (poll && ms > REF_NETWORK_POLL_MS)
            ms = REF_NETWORK_POLL_MS;
        pthread_mutex_lock(&s_lock);
    }
    pthread_mutex_unlock(&s_lock);
    return arg;
}

/* Stops the worker and drops the engine reference (no download may have
 * a request in flight: the last reference drops it with the engine). */
static void stop_threads(void)
{
    ref_engine *e;
    pthread_t t;
    int running;
    pthread_mutex_lock(&s_lock);
    running = s_running;
    t = s_thread;
    s_stop = 1;
    pthread_cond_broadcast(&s_cond);
    pthread_mutex_unlock(&s_lock);
    if (running && !pthread_equal(t, pthread_self()))
        pthread_join(t, NULL);
    pthread_mutex_lock(&s_lock);
    s_running = 0;
    s_stop = 0;
    e = s_engine;
    s_engine = NULL;
    pthread_mutex_unlock(&s_lock);
    if (e)
        ref_shared_engine_release();
}

void do_service_reset(void)
{
    struct do_download **all;
    ULONG n;
    if (SUCCEEDED(do_service_snapshot(NULL, &all, &n))) {
        for (ULONG i = 0; i < n; i++) {
            IDODownload *itf = &all[i]->IDODownload_iface;
            if (itf->lpVtbl->Abort(itf) != S_OK) /* Finalized: just drop */
                do_service_remove(all[i]);
            items()->release(all[i]);
        }
        ref_free(all);
    }
    stop_threads();
    pthread_mutex_lock(&s_lock);
    if (s_head)
        start_worker_locked(); /* a download was added meanwhile */
    pthread_mutex_unlock(&s_lock);
}

/* Unload: nothing of the library may run after its code is gone. */
__attribute__((destructor)) static void service_fini(void)
{
    stop_threads();
}
