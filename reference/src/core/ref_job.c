/*
 * ref_job.c - the owner of a BITS job's life (ref_job.h).
 *
 * Owns the job object's memory (creation with the documented defaults,
 * destruction, the internal hold count and the clients' COM count (R8),
 * the file records' release), the one
 * transition function (static: transition() below, table-checked against
 * ref_state.h, entry effects in one place), the modification time, the
 * stored error and the final-state sequence, written once
 * (ref_job_release_effects).  Everything else asks through the named
 * requests of ref_job.h: the COM face (job.c) for Suspend, Resume,
 * Cancel and Complete, the scheduler for what the engine reports,
 * persistence for what another process committed.
 *
 * Persistence is an observer registered through ref_job_observe: the
 * transition function tells it of every state change, and a method asks
 * it to commit before the method's effects are released.  This file
 * includes no persistence header.  Layer core, at its bottom: the
 * scheduler, the notifier and the queue it sets off are reached through
 * the table ref_core.c registers (ref_job_use_services), so they call
 * its requests without an import circle (docs/architecture.md "Layers").
 *
 * Locking: requests named *_locked run with the job's lock held; state,
 * modified and transfer_completed are also read without it (atomics).
 * Effects that call out of the job (the engine, the notification thread,
 * the queue, client objects) run from ref_job_release_effects with no
 * lock held.
 */
#include "ref_job.h"
#include "ref_job_props.h"
#include "ref_test_hooks.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The rest of core, as ref_core_start registered it. */
static const struct ref_job_services *services;

void ref_job_use_services(const struct ref_job_services *sv)
{
    __atomic_store_n(&services, sv, __ATOMIC_RELEASE);
}

static const struct ref_job_services *svc(void)
{
    return __atomic_load_n(&services, __ATOMIC_ACQUIRE);
}

/* The COM faces, as com registered them (ref_com_start). */
static const struct ref_job_faces *faces;

void ref_job_use_faces(const struct ref_job_faces *f)
{
    __atomic_store_n(&faces, f, __ATOMIC_RELEASE);
}

static const struct ref_job_observer *observer;

void ref_job_observe(const struct ref_job_observer *ops)
{
    __atomic_store_n(&observer, ops, __ATOMIC_RELEASE);
}

static const struct ref_job_observer *observer_get(void)
{
    return __atomic_load_n(&observer, __ATOMIC_ACQUIRE);
}

/* The observer commits the job as the change leaves it (S_OK without
 * one). */
static HRESULT commit(struct job *job, int state, uint64_t modified)
{
    const struct ref_job_observer *o = observer_get();
    return o && o->commit ? o->commit(job, state, modified) : S_OK;
}

/* ---- the property table (ref_job_props.h) ------------------------------ */

/* One row as the owner sees it: the field, its default, its merge rule. */
struct prop {
    enum ref_prop_kind kind;
    size_t off, size;
    int64_t def;
    enum ref_prop_merge merge;
};

#define PROP_ROW(col, jf, rf, kind, d, l, h, m)                                \
    {REF_PK_##kind, offsetof(struct job, jf), sizeof(((struct job *)0)->jf),   \
     (int64_t)(d), REF_PM_##m},
static const struct prop props[] = {REF_JOB_PROPS(PROP_ROW)};
#undef PROP_ROW
#define NPROPS (sizeof props / sizeof props[0])

/* A new job's numbers take their defaults (strings and bytes are zero). */
static void props_default(struct job *job)
{
    for (size_t i = 0; i < NPROPS; i++)
        if (props[i].kind == REF_PK_I32 || props[i].kind == REF_PK_U32 ||
            props[i].kind == REF_PK_U64)
            ref_prop_put((char *)job + props[i].off, props[i].size,
                         props[i].def);
}

/* ---- memory ------------------------------------------------------------ */

int ref_job_state(const struct job *job)
{
    return __atomic_load_n(&job->state, __ATOMIC_ACQUIRE);
}

void ref_job_rec_free(struct file_rec *rec)
{
    if (!rec)
        return;
    ref_free(rec->remote);
    ref_free(rec->local);
    ref_free(rec->file_id);
    ref_free(rec->ranges);
    ref_free(rec->response_headers);
    ref_free(rec->decryption_info);
    ref_free(rec->integrity_info);
    ref_unk_box_release(rec->sink);
    ref_free(rec->requested);
    svc()->rec_free(rec);
    ref_free(rec);
}

UINT64 ref_file_total(const struct file_rec *rec)
{
    UINT64 sum = 0;
    if (!rec->nranges)
        return rec->size;
    for (DWORD i = 0; i < rec->nranges; i++) {
        const BG_FILE_RANGE *r = &rec->ranges[i];
        if (r->Length != BG_LENGTH_TO_EOF) {
            sum += r->Length;
        } else if (rec->size == BG_SIZE_UNKNOWN) {
            return BG_SIZE_UNKNOWN;
        } else if (r->InitialOffset < rec->size) {
            sum += rec->size - r->InitialOffset;
        }
    }
    return sum;
}

HRESULT ref_job_new(enum ref_mode mode, const WCHAR *display_name,
                    BG_JOB_TYPE type, const WCHAR *owner, struct job **out)
{
    struct job *job = ref_calloc(1, sizeof *job);
    *out = NULL;
    if (!job)
        return E_OUTOFMEMORY;
    job->display_name = ref_wcsdup(display_name);
    if (!job->display_name) {
        ref_free(job);
        return E_OUTOFMEMORY;
    }
    job->ref = 1;
    pthread_mutex_init(&job->lock, NULL);
    job->mode = mode;
    job->state = BG_JOB_STATE_SUSPENDED; /* T1 */
    job->created = job->modified = ref_clock_now_ticks();
    ref_guid_new(&job->id);
    job->type = type;
    memcpy(job->owner, owner, sizeof job->owner);
    job->owner[REF_SID_MAX - 1] = 0;
    props_default(job);                                    /* ref_job_props.h */
    __atomic_load_n(&faces, __ATOMIC_ACQUIRE)->dress(job); /* vtables */
    ref_object_created();
    *out = job;
    return S_OK;
}

void ref_job_destroy(struct job *job)
{
    ref_unk_box_release(job->notify);
    for (ULONG i = 0; i < job->nfiles; i++)
        ref_job_rec_free(job->files[i]);
    ref_free(job->files);
    for (size_t i = 0; i < NPROPS; i++) /* the string rows of the table */
        if (props[i].kind == REF_PK_WSTR)
            ref_free(*(WCHAR **)((char *)job + props[i].off));
    for (int t = 0; t < 2; t++)
        for (int s = 0; s < 5; s++)
            ref_job_drop_cred(&job->creds[t][s]);
    pthread_mutex_destroy(&job->lock);
    ref_free(job);
    ref_object_destroyed();
}

void ref_job_addref(struct job *job)
{
    __atomic_add_fetch(&job->ref, 1, __ATOMIC_ACQ_REL);
}

void ref_job_release(struct job *job)
{
    if (__atomic_sub_fetch(&job->ref, 1, __ATOMIC_ACQ_REL) == 0)
        ref_job_destroy(job);
}

/* The clients' count moves on its own; its 0 -> 1 step takes the
 * clients' one hold and its 1 -> 0 step drops it, so a client's last
 * Release returns 0 while the queue keeps the job (R8).  The steps pair
 * up in the order of the atomic count, and whoever makes a 0 -> 1 step
 * already holds the job some other way (a hold of its own, the notifier's
 * during a callback), so the memory cannot go in between. */
ULONG ref_job_com_addref(struct job *job)
{
    LONG n = __atomic_add_fetch(&job->com_ref, 1, __ATOMIC_ACQ_REL);
    if (n == 1)
        ref_job_addref(job);
    return (ULONG)n;
}

ULONG ref_job_com_release(struct job *job)
{
    LONG n = __atomic_sub_fetch(&job->com_ref, 1, __ATOMIC_ACQ_REL);
    if (n == 0)
        ref_job_release(job);
    return (ULONG)n;
}

IBackgroundCopyJob *ref_job_hand_out(struct job *job)
{
    /* The caller's hold becomes the clients' one, or goes when the
     * clients hold one already. */
    if (__atomic_add_fetch(&job->com_ref, 1, __ATOMIC_ACQ_REL) != 1)
        ref_job_release(job);
    return ref_job_iface(job);
}

void ref_job_restore(struct job *job, int state, uint64_t created,
                     uint64_t modified, uint64_t transfer_completed)
{
    job->state = state;
    job->created = created;
    job->modified = modified;
    job->transfer_completed = transfer_completed;
}

/* ---- the transition function ------------------------------------------ */

static void stamp(struct job *job)
{
    __atomic_store_n(&job->modified, ref_clock_now_ticks(), __ATOMIC_RELEASE);
}

/*
 * The one function that changes a job's state (job lock held):
 * compare-and-set from `from` to `to` when the table allows it.  Entry
 * effects, in one place: the modification time, the transfer time on
 * TRANSFERRED, the observer (the job store), the notification implied
 * (ref_notify.c delivers it later, on its own thread), the log line; on
 * a final state the transfer is taken from the engine and fx carries the
 * final-state sequence.  `external`: the change was made and committed by
 * another process (the watch thread's merge), so neither the store nor
 * the notifications hear of it again.  Returns 1 when the job moved.
 */
static int transition(struct job *job, int from, int to,
                      struct ref_job_effects *fx, int external)
{
    const struct ref_job_observer *o = observer_get();
    int expected = from;
    if (!ref_state_allowed(from, to))
        return 0;
    if (!__atomic_compare_exchange_n(&job->state, &expected, to, 0,
                                     __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        return 0;
    stamp(job);
    if (to == BG_JOB_STATE_TRANSFERRED)
        __atomic_store_n(&job->transfer_completed,
                         __atomic_load_n(&job->modified, __ATOMIC_ACQUIRE),
                         __ATOMIC_RELEASE);
    /* Requests that may leave a running transfer pass fx (the scheduler's
     * own requests never do: it took its transfer back already). */
    if (fx && (ref_state_is_final(to) || to == BG_JOB_STATE_SUSPENDED) &&
        !fx->stop)
        fx->stop = svc()->detach_locked(job);
    if (fx && ref_state_is_final(to))
        fx->final = 1;
    /* A change another process made was stored and notified there. */
    if (o && o->state && !external)
        o->state(job, from, to); /* the job store */
    if (!external)
        svc()->state(job, from, to); /* callbacks, later */
    if (ref_log_on()) {
        char id[40];
        snprintf(id, sizeof id, "%08X", (unsigned)job->id.Data1);
        fprintf(stderr, "doref: job %s %s -> %s\n", id, ref_state_name(from),
                ref_state_name(to));
    }
    return 1;
}

/* Moves to `to` from the current state through the legal path: from
 * QUEUED via CONNECTING (BITS) or TRANSFERRING (DO), and to TRANSFERRED
 * from CONNECTING via TRANSFERRING.  Job lock held. */
static int move_to(struct job *job, int to)
{
    int s = ref_job_state(job);
    if (s == BG_JOB_STATE_QUEUED && to != BG_JOB_STATE_SUSPENDED &&
        !ref_state_is_final(to)) {
        int mid = job->mode == REF_MODE_DO ? BG_JOB_STATE_TRANSFERRING
                                           : BG_JOB_STATE_CONNECTING;
        if (!transition(job, BG_JOB_STATE_QUEUED, mid, NULL, 0))
            return 0;
        s = mid;
        if (s == to)
            return 1;
    }
    if (to == BG_JOB_STATE_TRANSFERRED && s == BG_JOB_STATE_CONNECTING) {
        if (!transition(job, BG_JOB_STATE_CONNECTING, BG_JOB_STATE_TRANSFERRING,
                        NULL, 0))
            return 0;
        s = BG_JOB_STATE_TRANSFERRING;
    }
    return transition(job, s, to, NULL, 0);
}

/* ---- effects ----------------------------------------------------------- */

static void drop_notify(struct job *job)
{
    struct ref_unk_box *box;
    pthread_mutex_lock(&job->lock);
    box = job->notify;
    job->notify = NULL;
    pthread_mutex_unlock(&job->lock);
    ref_unk_box_release(box); /* R20; client code: no lock held */
}

void ref_job_release_effects(struct job *job, struct ref_job_effects *fx)
{
    svc()->cancel(job, fx->stop); /* the engine stops writing first */
    fx->stop = NULL;
    for (ULONG i = 0; i < fx->nunlink; i++) {
        if (fx->unlink[i] && unlink(fx->unlink[i]) != 0 && errno != ENOENT)
            fx->unlink_failed = 1; /* spec §4.4 */
        ref_free(fx->unlink[i]);
    }
    ref_free(fx->unlink);
    fx->unlink = NULL;
    fx->nunlink = 0;
    if (fx->final) {
        if (ref_job_state(job) == BG_JOB_STATE_CANCELLED)
            svc()->cancelled(job); /* the server's side too */
        svc()->quiesce(job);       /* I5: no callback after this */
        drop_notify(job);          /* R20 */
        svc()->leave_queue(job);   /* D7 */
        fx->final = 0;
    }
    if (fx->kick)
        svc()->kick();
    fx->kick = 0;
}

/* ---- the COM face's requests ------------------------------------------ */

void ref_job_touch_locked(struct job *job)
{
    stamp(job);
    svc()->post(job, REF_NOTIFY_MODIFICATION, -1); /* I14 */
}

void ref_job_stamp_locked(struct job *job)
{
    stamp(job);
}

void ref_job_drop_str(void *value)
{
    ref_free(*(WCHAR **)value);
}

void ref_job_drop_cred(void *value)
{
    struct ref_cred *c = value;
    ref_free(c->user);
    ref_free(c->password);
}

static void swap_bytes(void *a, void *b, size_t n);

static void swap_edits(struct ref_job_edit *e, size_t n)
{
    for (size_t i = 0; i < n; i++)
        swap_bytes(e[i].field, e[i].value, e[i].size);
}

/* The job's fields hold the edits' values only while the lock is held
 * and the record of the change is written: nobody reads the job then
 * (state and modified, read without the lock, are passed to the commit
 * instead of being set).  A refused commit gives the values back, so the
 * job never showed them. */
static HRESULT change(struct job *job, struct ref_job_edit *e, size_t n,
                      int state, uint64_t now)
{
    HRESULT hr;
    swap_edits(e, n);
    hr = commit(job, state, now);
    if (FAILED(hr))
        swap_edits(e, n);
    for (size_t i = 0; i < n; i++)
        if (e[i].drop)
            e[i].drop(e[i].value);
    return hr;
}

HRESULT ref_job_commit_locked(struct job *job)
{
    return commit(job, -1, 0);
}

HRESULT ref_job_change_locked(struct job *job, struct ref_job_edit *e, size_t n)
{
    uint64_t now = ref_clock_now_ticks();
    HRESULT hr = change(job, e, n, -1, now);
    if (FAILED(hr))
        return hr;
    __atomic_store_n(&job->modified, now, __ATOMIC_RELEASE);
    svc()->post(job, REF_NOTIFY_MODIFICATION, -1); /* I14 */
    return S_OK;
}

HRESULT ref_job_suspend_locked(struct job *job, struct ref_job_effects *fx)
{
    int s = ref_job_state(job);
    HRESULT hr;
    if (ref_state_is_final(s))
        return S_OK;
    if (s == BG_JOB_STATE_SUSPENDED)
        return commit(job, -1, 0); /* the call is written as made */
    if (FAILED(hr = commit(job, BG_JOB_STATE_SUSPENDED, ref_clock_now_ticks())))
        return hr;
    transition(job, s, BG_JOB_STATE_SUSPENDED, fx, 0); /* T14: bytes stay */
    return S_OK;
}

HRESULT ref_job_resume_locked(struct job *job, struct ref_job_effects *fx)
{
    int s = ref_job_state(job), on_way = s == BG_JOB_STATE_QUEUED ||
                                         s == BG_JOB_STATE_CONNECTING ||
                                         s == BG_JOB_STATE_TRANSFERRING;
    BOOL resumed = TRUE;
    struct ref_job_edit e[] = {REF_EDIT(&job->resumed_once, &resumed, NULL)};
    HRESULT hr;
    if (on_way || !ref_state_allowed(s, BG_JOB_STATE_QUEUED)) {
        /* T16: already on its way; only the flag changes */
        if (FAILED(hr = change(job, e, 1, -1, 0)))
            return hr;
        fx->kick = 1;
        return S_OK;
    }
    if (FAILED(
            hr = change(job, e, 1, BG_JOB_STATE_QUEUED, ref_clock_now_ticks())))
        return hr;
    transition(job, s, BG_JOB_STATE_QUEUED, fx, 0);
    svc()->resumed_locked(job); /* MaxDownloadTime restarts, FIFO */
    fx->kick = 1;
    return S_OK;
}

int ref_job_finish_locked(struct job *job, BG_JOB_STATE to,
                          struct ref_job_effects *fx)
{
    for (;;) {
        int s = ref_job_state(job);
        if (ref_state_is_final(s))
            return 0;
        if (transition(job, s, (int)to, fx, 0))
            return 1;
    }
}

/* ---- the scheduler's requests ------------------------------------------ */

int ref_job_started_locked(struct job *job)
{
    return move_to(job, job->mode == REF_MODE_DO ? BG_JOB_STATE_TRANSFERRING
                                                 : BG_JOB_STATE_CONNECTING);
}

int ref_job_connected_locked(struct job *job)
{
    return transition(job, BG_JOB_STATE_CONNECTING, BG_JOB_STATE_TRANSFERRING,
                      NULL, 0);
}

int ref_job_transfer_finished_locked(struct job *job)
{
    return move_to(job, BG_JOB_STATE_TRANSFERRED);
}

int ref_job_error_locked(struct job *job, BG_ERROR_CONTEXT ctx, HRESULT code,
                         long file, int count, BG_JOB_STATE to)
{
    job->error.set = TRUE;
    job->error.context = ctx;
    job->error.code = code;
    job->error.file = file;
    if (count)
        job->error_count++;
    return move_to(job, (int)to);
}

int ref_job_retry_locked(struct job *job)
{
    return transition(job, BG_JOB_STATE_TRANSIENT_ERROR, BG_JOB_STATE_QUEUED,
                      NULL, 0);
}

int ref_job_gave_up_locked(struct job *job)
{
    return transition(job, BG_JOB_STATE_TRANSIENT_ERROR, BG_JOB_STATE_ERROR,
                      NULL, 0);
}

void ref_job_file_changed_locked(struct job *job, ULONG index)
{
    const struct ref_job_observer *o = observer_get();
    if (o && o->file)
        o->file(job, index);
}

/* ---- persistence's requests -------------------------------------------- */

static void swap_bytes(void *a, void *b, size_t n)
{
    unsigned char *x = a, *y = b;
    for (size_t i = 0; i < n; i++) {
        unsigned char t = x[i];
        x[i] = y[i];
        y[i] = t;
    }
}

void ref_job_adopt_locked(struct job *dst, struct job *src, int engine)
{
    memcpy(dst->owner, src->owner, sizeof dst->owner);
    /* Every row of the property table: strings are swapped (src frees
     * the old ones with itself), numbers and bytes copied. */
    for (size_t i = 0; i < NPROPS; i++) {
        const struct prop *p = &props[i];
        if (p->merge == REF_PM_ENGINE && !engine)
            continue;
        if (p->kind == REF_PK_WSTR)
            swap_bytes((char *)dst + p->off, (char *)src + p->off, p->size);
        else
            memcpy((char *)dst + p->off, (char *)src + p->off, p->size);
    }
    swap_bytes(dst->creds, src->creds, sizeof dst->creds);
    if (engine)
        __atomic_store_n(
            &dst->transfer_completed,
            __atomic_load_n(&src->transfer_completed, __ATOMIC_ACQUIRE),
            __ATOMIC_RELEASE);
    /* Files: the stored list wins (added or removed elsewhere). */
    while (dst->nfiles > src->nfiles)
        ref_job_rec_free(dst->files[--dst->nfiles]);
    if (src->nfiles > dst->nfiles) {
        struct file_rec **g = ref_realloc(dst->files, src->nfiles * sizeof *g);
        if (g) {
            dst->files = g;
            while (dst->nfiles < src->nfiles) {
                dst->files[dst->nfiles] = src->files[dst->nfiles];
                src->files[dst->nfiles] = NULL;
                dst->nfiles++;
            }
        }
    }
    for (ULONG i = 0; i < dst->nfiles && i < src->nfiles; i++) {
        struct file_rec *d = dst->files[i], *s = src->files[i];
        if (!s)
            continue;
        swap_bytes(&d->remote, &s->remote, sizeof d->remote);
        d->validation = s->validation;
        d->position = s->position;
        if (engine) {
            d->size = s->size;
            d->transferred = s->transferred;
            d->done = s->done;
            d->completed = s->completed;
            swap_bytes(&d->etag, &s->etag, sizeof d->etag);
            swap_bytes(&d->last_modified, &s->last_modified,
                       sizeof d->last_modified);
        }
    }
    /* src's array may now hold NULLs: it frees only its first nfiles. */
    for (ULONG i = 0; i < src->nfiles; i++)
        if (!src->files[i]) {
            src->nfiles = i;
            break;
        }
}

static int is_active(int s)
{
    return s == BG_JOB_STATE_QUEUED || s == BG_JOB_STATE_CONNECTING ||
           s == BG_JOB_STATE_TRANSFERRING;
}

/* The shortest legal path from `from` to `to` through non-final states
 * into path[] (path[0] = to, walking back); its length, 0 when none. */
static int path_to(int from, int to, int path[REF_STATE_COUNT])
{
    int prev[REF_STATE_COUNT], queue[REF_STATE_COUNT], head = 0, tail = 0;
    int n = 0;
    for (int i = 0; i < REF_STATE_COUNT; i++)
        prev[i] = -2;
    prev[from] = -1;
    queue[tail++] = from;
    while (head < tail) {
        int s = queue[head++];
        for (unsigned i = 0; i < ref_transition_count; i++) {
            int t = (int)ref_transitions[i].to;
            if ((int)ref_transitions[i].from != s || prev[t] != -2 ||
                ref_state_is_final(t))
                continue;
            prev[t] = s;
            queue[tail++] = t;
        }
    }
    if (prev[to] == -2)
        return 0;
    for (int s = to; s != from; s = prev[s])
        path[n++] = s;
    return n;
}

void ref_job_external_state(struct job *job, int target)
{
    struct ref_job_effects fx = {0};
    int path[REF_STATE_COUNT], n, s;
    pthread_mutex_lock(&job->lock);
    s = ref_job_state(job);
    if (s == target || ref_state_is_final(s) || ref_state_is_final(target) ||
        (is_active(s) && target == BG_JOB_STATE_QUEUED)) {
        pthread_mutex_unlock(&job->lock);
        return;
    }
    /* The other process moved the job through its own transitions; here
     * it follows the table's shortest path to the committed state. */
    if (is_active(s) && !is_active(target))
        fx.stop = svc()->detach_locked(job);
    n = path_to(s, target, path);
    while (n > 0 && transition(job, s, path[n - 1], &fx, 1))
        s = path[--n];
    if (s == BG_JOB_STATE_QUEUED) {
        svc()->resumed_locked(job);
        fx.kick = 1;
    }
    pthread_mutex_unlock(&job->lock);
    ref_job_release_effects(job, &fx);
}

void ref_job_external_removal(struct job *job)
{
    struct ref_job_effects fx = {0};
    pthread_mutex_lock(&job->lock);
    ref_job_finish_locked(job, BG_JOB_STATE_CANCELLED, &fx);
    fx.final = 1; /* also when it already was final: leave the queue */
    pthread_mutex_unlock(&job->lock);
    ref_job_release_effects(job, &fx);
}

/* ---- names the job's faces and the engine share ------------------------ */

/* The job's IBackgroundCopyJob: the struct embeds it (ref_private.h), so
 * the notifier and persistence reach it without the COM layer. */
IBackgroundCopyJob *ref_job_iface(struct job *job)
{
    return (IBackgroundCopyJob *)&job->IBackgroundCopyJob5_iface;
}

/* The engine's temporary file of a record (R29): one rule for
 * GetTemporaryName, the scheduler and the job store. */
WCHAR *ref_file_temp_name(const struct job *job, const struct file_rec *rec)
{
    return ref_file_temp_name_with(job, rec, ref_alloc);
}

WCHAR *ref_file_temp_name_with(const struct job *job,
                               const struct file_rec *rec,
                               void *(*alloc)(size_t))
{
    const WCHAR *local = rec->local;
    size_t dirlen = 0, taillen;
    char tail[32];
    WCHAR *name;
    if (!local)
        return NULL;
    for (size_t i = 0; local[i]; i++)
        if (local[i] == '/')
            dirlen = i + 1;
    taillen = (size_t)snprintf(tail, sizeof tail, "BIT%08X%04X.tmp",
                               (unsigned)job->id.Data1,
                               (unsigned)(rec->index & 0xFFFF));
    name = alloc((dirlen + taillen + 1) * sizeof(WCHAR));
    if (!name)
        return NULL;
    memcpy(name, local, dirlen * sizeof(WCHAR));
    for (size_t i = 0; i <= taillen; i++)
        name[dirlen + i] = (WCHAR)(unsigned char)tail[i];
    return name;
}

/* ---- Test hooks (ref_test_hooks.h) ------------------------------------ */

int ref_job_test_transition(struct job *job, BG_JOB_STATE from, BG_JOB_STATE to)
{
    struct ref_job_effects fx = {0};
    int moved;
    pthread_mutex_lock(&job->lock);
    moved = transition(job, (int)from, (int)to, &fx, 0);
    pthread_mutex_unlock(&job->lock);
    ref_job_release_effects(job, &fx);
    return moved;
}

HRESULT ref_job_set_file_progress(struct job *job, ULONG index, UINT64 size,
                                  UINT64 transferred)
{
    HRESULT hr = S_OK;
    struct file_rec *rec;
    UINT64 total;
    pthread_mutex_lock(&job->lock);
    if (index >= job->nfiles) {
        hr = E_INVALIDARG;
        goto out;
    }
    rec = job->files[index];
    rec->size = size;
    rec->transferred = transferred;
    total = ref_file_total(rec);
    rec->done = total != BG_SIZE_UNKNOWN && transferred >= total;
    ref_job_touch_locked(job);
out:
    pthread_mutex_unlock(&job->lock);
    return hr;
}
