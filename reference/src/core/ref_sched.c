/*
 * ref_sched.c - the scheduler: jobs become engine requests
 * (docs/decisions.md I-series, docs/engine.md "What the job code does").
 *
 * Owns a scheduler thread, started on the first Resume with its reference
 * on the process's engine (ref_shared_engine.h).  The thread starts
 * QUEUED jobs in priority order (FOREGROUND first, FIFO within a priority
 * by the time they were queued) while the engine window has room
 * (FOREGROUND has slots of its own), and
 * runs every timer of a job from ref_clock: the retry after
 * MinimumRetryDelay (TRANSIENT_ERROR -> QUEUED), NoProgressTimeout
 * (TRANSIENT_ERROR -> ERROR), Job4 MaximumDownloadTime (-> ERROR with
 * BG_E_MAXDOWNLOAD_TIMEOUT) and the network-cost policy of Job5
 * COST_FLAGS.  The engine callbacks here move a job CONNECTING ->
 * TRANSFERRING -> TRANSFERRED, record progress, validators and response
 * headers, submit a job's files one after the other in FIFO order and turn
 * a failed attempt into {context, code, file} and TRANSIENT_ERROR or
 * ERROR through ref_errmap.  Every state change is a named request to
 * the job's owner (ref_job.h: started, connected, transfer finished,
 * error, retry, gave up); the scheduler writes no state, time or error.
 *
 * Locking: a job's request in flight (struct ref_xreq) belongs to the job
 * while job->run.xreq points at it; whoever takes it away under the job's
 * lock owns it.  Engine callbacks check ownership under the job's lock and
 * ignore a request that was taken away; ref_engine_cancel is only called
 * with no lock held (ref_engine.h).  Lock order: queue, job, scheduler.
 */
#include "ref_job.h"

#include "ref_engine.h"
#include "ref_network.h"
#include "ref_sched_int.h"
#include "ref_shared_engine.h"
#include "ref_test_hooks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    pthread_once_t once;
    int ready;
    int kicked;
    ref_engine *engine;
    unsigned max_active, fg_reserve;
    unsigned active_bg, active_fg; /* requests in flight (lock) */
    uint64_t seq;                  /* atomic */
} S = {PTHREAD_MUTEX_INITIALIZER,
       PTHREAD_COND_INITIALIZER,
       PTHREAD_ONCE_INIT,
       0,
       0,
       NULL,
       0,
       0,
       0,
       0,
       0};

static const struct ref_xfer_ops xfer_ops;
static void *sched_main(void *arg);

/* ---- start-up ---------------------------------------------------------- */

static void sched_wake(void)
{
    pthread_mutex_lock(&S.lock);
    S.kicked = 1;
    pthread_cond_broadcast(&S.cond);
    pthread_mutex_unlock(&S.lock);
}

static void sched_init(void)
{
    struct ref_engine_config cfg;
    pthread_t t;
    pthread_cond_destroy(&S.cond);
    ref_cond_init_mono(&S.cond);
    /* the process's engine, shared with the DO downloads; the scheduler
     * keeps its reference for the life of the process */
    if (ref_shared_engine_acquire(&S.engine, &cfg) != 0)
        return;
    S.max_active = cfg.max_active;
    S.fg_reserve = cfg.fg_reserve;
    ref_clock_on_change(sched_wake);
    if (pthread_create(&t, NULL, sched_main, NULL) != 0)
        return;
    pthread_detach(t);
    S.ready = 1;
}

void ref_sched_poke(void)
{
    if (__atomic_load_n(&S.ready, __ATOMIC_ACQUIRE))
        sched_wake();
}

void ref_sched_kick(void)
{
    pthread_once(&S.once, sched_init);
    if (S.ready)
        sched_wake();
}

/* ---- small helpers ----------------------------------------------------- */

static uint64_t now_ms(void)
{
    return ref_clock_mono_ms();
}

/* The simulated network's cost (ref_network.h), read at every decision. */
static int cost_allowed(const struct job *job)
{
    return (job->cost_flags & ref_network_cost()) != 0;
}

/* An active state of a transfer in progress. */
static int is_active(int s)
{
    return s == BG_JOB_STATE_CONNECTING || s == BG_JOB_STATE_TRANSFERRING;
}

/* The context of a condition of the job itself in this mode (DO reports
 * NONE except for HTTP 403, decisions E5). */
static BG_ERROR_CONTEXT job_ctx(const struct job *job, BG_ERROR_CONTEXT c)
{
    return job->mode == REF_MODE_DO ? BG_ERROR_CONTEXT_NONE : c;
}

/* Job lock held: stops the MaximumDownloadTime clock. */
static void stop_active_clock(struct job *job)
{
    if (job->run.active_since) {
        uint64_t now = now_ms() + 1;
        if (now > job->run.active_since)
            job->run.active_ms += now - job->run.active_since;
        job->run.active_since = 0;
    }
}

static void replace_str(char **slot, const char *v)
{
    char *c = NULL;
    if (v && *v) {
        size_t n = strlen(v) + 1;
        c = ref_alloc(n);
        if (!c)
            return; /* keeps the old validator: If-Range then fails safe */
        memcpy(c, v, n);
    }
    ref_free(*slot);
    *slot = c;
}

static void store_headers(struct file_rec *rec, const char *headers)
{
    if (headers && *headers)
        replace_str(&rec->response_headers, headers); /* I10: as received */
}

void ref_sched_rec_free(struct file_rec *rec)
{
    ref_free(rec->etag);
    ref_free(rec->last_modified);
    rec->etag = rec->last_modified = NULL;
}

void ref_sched_ranges_check_locked(struct job *job, struct file_rec *rec)
{
    if (!job->on_demand || !rec->nrequested)
        return;
    for (DWORD i = 0; i < rec->nrequested; i++) {
        const BG_FILE_RANGE *r = &rec->requested[i];
        UINT64 end = r->Length == BG_LENGTH_TO_EOF
                         ? rec->size
                         : r->InitialOffset + r->Length;
        if (rec->nranges || end == BG_SIZE_UNKNOWN ||
            (end > rec->transferred && !rec->done))
            return;
    }
    ref_notify_post_ranges(job, (long)rec->index, rec->requested,
                           rec->nrequested);
    ref_free(rec->requested);
    rec->requested = NULL;
    rec->nrequested = 0;
    rec->pst_dirty = TRUE; /* the job store: with the job's next write */
}

/* First file not transferred yet, or -1. */
static long next_file(const struct job *job)
{
    for (ULONG i = 0; i < job->nfiles; i++)
        if (!job->files[i]->done)
            return (long)i;
    return -1;
}

/* ---- slots ------------------------------------------------------------- */

/* Takes a slot for priority `prio`: 1, or 0 when the window is full. */
static int slot_take(BG_JOB_PRIORITY prio, int *fg)
{
    int ok = 0;
    pthread_mutex_lock(&S.lock);
    if (S.active_bg < S.max_active) {
        S.active_bg++;
        *fg = 0;
        ok = 1;
    } else if (prio == BG_JOB_PRIORITY_FOREGROUND &&
               S.active_fg < S.fg_reserve) {
        S.active_fg++;
        *fg = 1;
        ok = 1;
    }
    pthread_mutex_unlock(&S.lock);
    return ok;
}

static void slot_give(int fg)
{
    pthread_mutex_lock(&S.lock);
    if (fg)
        S.active_fg--;
    else
        S.active_bg--;
    S.kicked = 1;
    pthread_cond_broadcast(&S.cond);
    pthread_mutex_unlock(&S.lock);
}

static void xreq_free(struct ref_xreq *x)
{
    ref_upsched_free(x->up);
    slot_give(x->fg);
    ref_job_release(x->job);
    free(x);
}

/* ---- submitting -------------------------------------------------------- */

/* Job lock held: submits file x->file, or the packet or reply download
 * `sub` describes (uploads: ref_upsched.c) with the job's credentials,
 * proxy, headers and TLS flags.  0, or -1 out of memory. */
static int submit_req(struct job *job, struct file_rec *rec,
                      const struct ref_sched_sub *sub, void *ctx, uint64_t *id)
{
    struct ref_request req;
    struct ref_range *ranges = NULL;
    WCHAR *tmpw = NULL;
    char *url = NULL, *tmp = NULL, *hdrs = NULL, *user = NULL, *pass = NULL,
         *plist = NULL, *pbypass = NULL;
    const struct ref_cred *cred =
        &job->creds[BG_AUTH_TARGET_SERVER - 1][BG_AUTH_SCHEME_BASIC - 1];
    int rc = -1;

    memset(&req, 0, sizeof req);
    if (!sub) {
        url = ref_utf8(rec->remote);
        tmpw = job->high_performance ? ref_wcsdup(rec->local)
                                     : ref_file_temp_name(job, rec);
        tmp = tmpw ? ref_utf8(tmpw) : NULL;
        if (!url || !tmp)
            goto out;
    }
    if ((job->custom_headers && !(hdrs = ref_utf8(job->custom_headers))) ||
        (job->proxy_list && !(plist = ref_utf8(job->proxy_list))) ||
        (job->proxy_bypass && !(pbypass = ref_utf8(job->proxy_bypass))))
        goto out;
    if (cred->set && ((cred->user && !(user = ref_utf8(cred->user))) ||
                      (cred->password && !(pass = ref_utf8(cred->password)))))
        goto out;
    if (sub && !ref_upsched_sub_headers(sub, hdrs, &hdrs))
        goto out;
    if (!sub && rec->nranges) {
        ranges = ref_calloc(rec->nranges, sizeof *ranges);
        if (!ranges)
            goto out;
        for (DWORD i = 0; i < rec->nranges; i++) {
            ranges[i].offset = rec->ranges[i].InitialOffset;
            ranges[i].length = rec->ranges[i].Length;
        }
    }
    if (!sub) {
        req.url = url;
        req.temp_path = tmp;
        req.resume = job->dynamic_content ? 0 : rec->transferred;
        req.known_size = job->dynamic_content ? REF_SIZE_UNKNOWN : rec->size;
        req.ranges = ranges;
        req.nranges = rec->nranges;
        req.etag = job->dynamic_content ? NULL : rec->etag;
        req.last_modified = job->dynamic_content ? NULL : rec->last_modified;
    }
    req.headers = hdrs;
    req.user = cred->set ? (user ? user : "") : NULL;
    req.password = cred->set ? (pass ? pass : "") : NULL;
    req.proxy_usage = (enum ref_proxy_usage)job->proxy_usage;
    req.proxy_list = plist;
    req.proxy_bypass = pbypass;
    req.security = job->security_flags;
    req.max_size =
        (job->max_download_size == 0 || job->max_download_size == UINT64_MAX)
            ? REF_SIZE_UNKNOWN
            : job->max_download_size;
    req.dynamic = job->dynamic_content ? true : false;
    req.prio = (enum ref_prio)job->priority;
    if (job->high_performance && req.prio > REF_PRIO_HIGH)
        req.prio = REF_PRIO_HIGH; /* I8: raises the class */
    req.http = REF_HTTP_AUTO;
    req.ops = &xfer_ops;
    req.ctx = ctx;
    if (sub) {
        ref_upsched_sub_apply(sub, &req);
        req.headers = hdrs;
    } else if (job->dynamic_content) {
        rec->transferred = 0; /* spec §7.3: restarts from byte 0 */
    }
    rc = ref_engine_submit(S.engine, &req, id) == 0 ? 0 : -1;
out:
    ref_free(url);
    ref_free(tmpw);
    ref_free(tmp);
    ref_free(hdrs);
    ref_free(user);
    ref_free(pass);
    ref_free(plist);
    ref_free(pbypass);
    ref_free(ranges);
    return rc;
}

static int submit(struct job *job, struct ref_xreq *x)
{
    return submit_req(job, job->files[x->file], NULL, x, &x->id);
}

int ref_sched_submit_locked(struct job *job, const struct ref_sched_sub *sub,
                            void *ctx, uint64_t *id)
{
    return submit_req(job, NULL, sub, ctx, id);
}

void ref_sched_xreq_free(struct ref_xreq *x)
{
    xreq_free(x);
}

/* Job lock held, x detached or never attached: the attempt failed with
 * {ctx, code} on file `file`: TRANSIENT_ERROR with a retry after
 * MinimumRetryDelay, or ERROR when the error is fatal, retries are off
 * (NoProgressTimeout 0, or MinimumRetryDelay > NoProgressTimeout, spec
 * §3.2) or NoProgressTimeout ran out. */
static void fail_attempt(struct job *job, BG_ERROR_CONTEXT ctx, HRESULT code,
                         long file, int transient)
{
    uint64_t now = now_ms();
    uint64_t npt = (uint64_t)job->no_progress_timeout * 1000;
    int fatal = !transient || job->no_progress_timeout == 0 ||
                job->retry_delay > job->no_progress_timeout;
    stop_active_clock(job);
    if (!fatal) {
        if (!job->run.np_since)
            job->run.np_since = now + 1;
        if (now - (job->run.np_since - 1) >= npt)
            fatal = 1;
    }
    if (!fatal)
        job->run.retry_at = now + (uint64_t)job->retry_delay * 1000;
    ref_job_error_locked(job, ctx, code, file, 1,
                         fatal ? BG_JOB_STATE_ERROR
                               : BG_JOB_STATE_TRANSIENT_ERROR);
}

void ref_sched_fail_locked(struct job *job, BG_ERROR_CONTEXT ctx, HRESULT code,
                           long file, int transient)
{
    fail_attempt(job, ctx, code, file, transient);
}

/* Job lock held, job QUEUED with nothing in flight: starts its next file
 * or finds it has nothing left.  Takes a slot; 0 when none was free. */
static int start_job(struct job *job, int *poll)
{
    struct ref_xreq *x;
    long idx;
    int fg;
    if (!cost_allowed(job)) {
        if (ref_job_error_locked(
                job, job_ctx(job, BG_ERROR_CONTEXT_GENERAL_TRANSPORT),
                ref_hr(job->mode, BG_E_BLOCKED_BY_COST_TRANSFER_POLICY), -1, 0,
                BG_JOB_STATE_TRANSIENT_ERROR)) {
            job->run.cost_blocked = TRUE;
            *poll = 1; /* DOREF_NETWORK_COST has no wake-up */
        }
        return 1;
    }
    idx = next_file(job);
    if (idx < 0) {
        ref_job_transfer_finished_locked(job);
        return 1;
    }
    if (!job->files[idx]->local || job->files[idx]->proto == REF_PROTO_NONE) {
        /* I19: a DO file with only a stream sink, or without a URL. */
        ref_job_started_locked(job);
        fail_attempt(job, job_ctx(job, BG_ERROR_CONTEXT_REMOTE_FILE),
                     HRESULT_FROM_WIN32(ERROR_NOT_SUPPORTED), idx, 0);
        return 1;
    }
    if (!slot_take(job->priority, &fg))
        return 0;
    x = calloc(1, sizeof *x);
    if (!x) {
        slot_give(fg);
        return 0;
    }
    x->job = job;
    x->file = (ULONG)idx;
    x->fg = fg;
    ref_job_addref(job);
    if (!ref_job_started_locked(job)) {
        xreq_free(x);
        return 1;
    }
    job->run.active_since = now_ms() + 1; /* +1: 0 means idle */
    if (job->type != BG_JOB_TYPE_DOWNLOAD) {
        job->run.xreq = x; /* the upload runner detaches it when done */
        if (!ref_upsched_begin_locked(job, x))
            xreq_free(x);
        return 1;
    }
    if (submit(job, x) != 0) {
        xreq_free(x);
        fail_attempt(job, job_ctx(job, BG_ERROR_CONTEXT_GENERAL_QUEUE_MANAGER),
                     E_OUTOFMEMORY, idx, 1);
        return 1;
    }
    job->run.xreq = x;
    return 1;
}

/* ---- engine callbacks (engine thread, no engine lock) ------------------ */

static void on_headers(void *ctx, long status, const char *headers,
                       uint64_t total)
{
    struct ref_xreq *x = ctx;
    struct job *job = x->job;
    struct file_rec *rec;
    struct ref_resp r;
    (void)total;
    pthread_mutex_lock(&job->lock);
    if (job->run.xreq != x)
        goto out;
    rec = job->files[x->file];
    ref_resp_init(&r);
    for (const char *p = headers; p && *p;) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p + 1) : strlen(p);
        ref_resp_line(&r, p, n);
        p += n;
    }
    if (status == 200 && r.has_length && !job->dynamic_content)
        rec->size = r.length;
    else if (status == 206 && r.has_range && r.complete_known)
        rec->size = r.complete;
    store_headers(rec, headers);
    if (!job->dynamic_content && (r.etag[0] || r.last_modified[0])) {
        /* The validators of the bytes now written: a Suspend before the
         * end resumes with If-Range (I4). */
        replace_str(&rec->etag, r.etag);
        replace_str(&rec->last_modified, r.last_modified);
    }
    rec->pst_dirty = TRUE; /* size and validators: the job store (S9) */
    if (ref_job_state(job) == BG_JOB_STATE_CONNECTING) /* T5 (writes it) */
        ref_job_connected_locked(job);
    else /* size and validators of this file: the job store (issue 7) */
        ref_job_file_changed_locked(job, x->file);
out:
    pthread_mutex_unlock(&job->lock);
}

static void on_progress(void *ctx, uint64_t bytes, uint64_t total)
{
    struct ref_xreq *x = ctx;
    struct job *job = x->job;
    struct file_rec *rec;
    (void)total;
    pthread_mutex_lock(&job->lock);
    if (job->run.xreq != x)
        goto out;
    rec = job->files[x->file];
    if (bytes > rec->transferred)
        job->run.np_since = 0; /* progress resets NoProgressTimeout */
    rec->transferred = bytes;
    ref_job_touch_locked(job);
    ref_sched_ranges_check_locked(job, rec);
out:
    pthread_mutex_unlock(&job->lock);
}

static void on_done(void *ctx, const struct ref_xfer_result *res)
{
    struct ref_xreq *x = ctx;
    struct job *job = x->job;
    struct file_rec *rec;
    int keep = 0;
    long next;
    pthread_mutex_lock(&job->lock);
    if (job->run.xreq != x) {
        pthread_mutex_unlock(&job->lock); /* taken away: its owner frees */
        return;
    }
    rec = job->files[x->file];
    rec->pst_dirty = TRUE; /* written with the job's next write (S9) */
    store_headers(rec, res->headers);
    if (!job->dynamic_content) {
        replace_str(&rec->etag, res->etag);
        replace_str(&rec->last_modified, res->last_modified);
    }
    if (res->kind != REF_ERR_NONE) {
        struct ref_errmap_entry en;
        ref_errmap_lookup(res->kind, res->code, job->mode == REF_MODE_DO, &en);
        if (res->bytes > rec->transferred)
            job->run.np_since = 0;
        rec->transferred = res->bytes;
        if (res->remote_size != REF_SIZE_UNKNOWN)
            rec->size = res->remote_size;
        job->run.xreq = NULL;
        fail_attempt(job, en.context, en.hr, (long)x->file, en.transient);
        goto out;
    }
    /* The file is complete (every declared length was met). */
    if (res->remote_size != REF_SIZE_UNKNOWN)
        rec->size = res->remote_size;
    else if (!rec->nranges)
        rec->size = res->bytes;
    rec->transferred = res->bytes;
    rec->done = TRUE;
    job->run.np_since = 0;
    ref_job_file_changed_locked(job, x->file); /* the job store (issue 7) */
    if (res->effective_url && (job->security_flags & REF_SEC_REDIRECT_MASK) ==
                                  REF_SEC_REDIRECT_REPORT) {
        WCHAR *w = ref_widen(res->effective_url);
        if (w) {
            ref_free(rec->remote);
            rec->remote = w;
        }
    }
    ref_job_stamp_locked(job);
    ref_notify_post(job, REF_NOTIFY_FILE, (long)x->file);
    ref_sched_ranges_check_locked(job, rec);
    next = next_file(job);
    if (next >= 0 && is_active(ref_job_state(job))) {
        x->file = (ULONG)next; /* FIFO: the next file of the same job */
        if (submit(job, x) == 0) {
            keep = 1;
            goto out;
        }
        job->run.xreq = NULL;
        fail_attempt(job, job_ctx(job, BG_ERROR_CONTEXT_GENERAL_QUEUE_MANAGER),
                     E_OUTOFMEMORY, next, 1);
        goto out;
    }
    job->run.xreq = NULL;
    stop_active_clock(job);
    if (next < 0)
        ref_job_transfer_finished_locked(job); /* T8 */
out:
    pthread_mutex_unlock(&job->lock);
    if (!keep)
        xreq_free(x);
}

static const struct ref_xfer_ops xfer_ops = {on_headers, on_progress, on_done};

/* ---- detaching (Suspend, Cancel, Complete, timers) --------------------- */

struct ref_xreq *ref_sched_detach_locked(struct job *job)
{
    struct ref_xreq *x = job->run.xreq;
    job->run.xreq = NULL;
    stop_active_clock(job);
    return x;
}

void ref_sched_cancel(struct job *job, struct ref_xreq *x)
{
    uint64_t bytes = 0;
    if (!x)
        return;
    if (ref_engine_cancel(S.engine, x->id, &bytes) == REF_CANCEL_DONE &&
        !x->up) { /* an upload's progress is the server's offset */
        pthread_mutex_lock(&job->lock);
        if (x->file < job->nfiles && !job->files[x->file]->done)
            job->files[x->file]->transferred = bytes;
        pthread_mutex_unlock(&job->lock);
    }
    xreq_free(x);
}

void ref_sched_resumed_locked(struct job *job)
{
    job->run.active_ms = 0;
    job->run.np_since = 0;
    job->run.cost_blocked = FALSE;
    job->run.seq = __atomic_add_fetch(&S.seq, 1, __ATOMIC_RELAXED);
}

/* ---- the scheduler thread ---------------------------------------------- */

struct cand {
    struct job *job;
    BG_JOB_PRIORITY prio;
    uint64_t seq;
};

static int cand_cmp(const void *a, const void *b)
{
    const struct cand *x = a, *y = b;
    if (x->prio != y->prio)
        return x->prio < y->prio ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Job lock held: the timers of one job.  Returns its next deadline (mono
 * ms, UINT64_MAX none); *cand set when it should start; *stop receives a
 * request to cancel; *poll set while it waits for the network cost. */
static uint64_t job_timers(struct job *job, uint64_t now, int *cand,
                           struct ref_xreq **stop, int *poll)
{
    int s = ref_job_state(job);
    uint64_t next = UINT64_MAX;
    *cand = 0;
    *stop = NULL;
    if (s == BG_JOB_STATE_QUEUED && !job->run.xreq) {
        *cand = 1;
    } else if (s == BG_JOB_STATE_TRANSIENT_ERROR) {
        uint64_t npd = UINT64_MAX;
        if (job->run.cost_blocked) {
            if (cost_allowed(job) && ref_job_retry_locked(job)) {
                job->run.cost_blocked = FALSE;
                job->run.seq = __atomic_add_fetch(&S.seq, 1, __ATOMIC_RELAXED);
                *cand = 1;
            } else {
                *poll = 1;
            }
            return next;
        }
        if (job->run.np_since)
            npd = job->run.np_since - 1 +
                  (uint64_t)job->no_progress_timeout * 1000;
        if (now >= npd) {
            ref_job_gave_up_locked(job); /* T12 */
        } else if (now >= job->run.retry_at) {
            if (ref_job_retry_locked(job)) { /* T11 */
                job->run.seq = __atomic_add_fetch(&S.seq, 1, __ATOMIC_RELAXED);
                *cand = 1;
            }
        } else {
            next = job->run.retry_at < npd ? job->run.retry_at : npd;
        }
    } else if (is_active(s) && job->run.xreq) {
        uint64_t limit = (uint64_t)job->max_download_time * 1000;
        uint64_t el = job->run.active_ms;
        if (job->run.active_since && now + 1 > job->run.active_since)
            el += now + 1 - job->run.active_since;
        if (el >= limit) { /* T13 */
            long f = (long)job->run.xreq->file;
            *stop = ref_sched_detach_locked(job);
            ref_job_error_locked(
                job, job_ctx(job, BG_ERROR_CONTEXT_GENERAL_TRANSPORT),
                ref_hr(job->mode, BG_E_MAXDOWNLOAD_TIMEOUT), f, 1,
                BG_JOB_STATE_ERROR);
        } else if (!cost_allowed(job)) {
            *stop = ref_sched_detach_locked(job);
            job->run.cost_blocked = TRUE;
            ref_job_error_locked(
                job, job_ctx(job, BG_ERROR_CONTEXT_GENERAL_TRANSPORT),
                ref_hr(job->mode, BG_E_BLOCKED_BY_COST_TRANSFER_POLICY), -1, 0,
                BG_JOB_STATE_TRANSIENT_ERROR);
        } else {
            next = now + (limit - el);
            *poll = 1; /* the cost may change at any time */
        }
    }
    return next;
}

/* One pass over every job.  Returns the next deadline; *poll set when a
 * condition outside the clock (the network cost) must be polled. */
static int hold_flag; /* ref_sched_hold */

void ref_sched_hold(int on)
{
    __atomic_store_n(&hold_flag, on ? 1 : 0, __ATOMIC_RELEASE);
    if (!on && S.ready)
        sched_wake();
}

static int runner_flag = 1; /* ref_sched_set_runner */

void ref_sched_set_runner(int on)
{
    __atomic_store_n(&runner_flag, on ? 1 : 0, __ATOMIC_RELEASE);
    if (on && S.ready)
        sched_wake();
}

/* DOREF_SCHED_HOLD=1, read once: the scheduler thread asks at every
 * scan, and a getenv there would race a test's setenv. */
static pthread_once_t env_hold_once = PTHREAD_ONCE_INIT;
static int env_hold;

static void env_hold_read(void)
{
    const char *v = getenv("DOREF_SCHED_HOLD");
    env_hold = v && *v == '1';
}

static int held(void)
{
    pthread_once(&env_hold_once, env_hold_read);
    return __atomic_load_n(&hold_flag, __ATOMIC_ACQUIRE) || env_hold ||
           !__atomic_load_n(&runner_flag, __ATOMIC_ACQUIRE);
}

static uint64_t scan(int *poll)
{
    uint64_t next = UINT64_MAX, now = now_ms();
    struct job **all[REF_MODE_COUNT] = {NULL, NULL};
    ULONG n[REF_MODE_COUNT] = {0, 0}, total = 0, nc = 0;
    struct cand *cands = NULL;
    struct ref_xreq **stops = NULL;
    ULONG ns = 0;

    if (held())
        return UINT64_MAX; /* tests of the object model: nothing moves */
    next = ref_upsched_cancels_due(now); /* cancelled uploads (UP12) */
    for (int m = 0; m < REF_MODE_COUNT; m++) {
        if (FAILED(ref_queue_snapshot((enum ref_mode)m, 1, &all[m], &n[m]))) {
            all[m] = NULL;
            n[m] = 0;
            next = now + 100; /* out of memory: try again soon */
        }
        total += n[m];
    }
    cands = calloc(total ? total : 1, sizeof *cands);
    stops = calloc(total ? total : 1, sizeof *stops);
    if (!cands || !stops) {
        next = now + 100;
        goto out;
    }
    for (int m = 0; m < REF_MODE_COUNT; m++)
        for (ULONG i = 0; i < n[m]; i++) {
            struct job *job = all[m][i];
            struct ref_xreq *stop;
            int cand;
            uint64_t d;
            pthread_mutex_lock(&job->lock);
            d = job_timers(job, now, &cand, &stop, poll);
            if (cand) {
                cands[nc].job = job;
                cands[nc].prio = job->priority;
                cands[nc].seq = job->run.seq;
                nc++;
            }
            pthread_mutex_unlock(&job->lock);
            if (stop) {
                ref_job_addref(job);
                stops[ns++] = stop;
            }
            if (d < next)
                next = d;
        }
    qsort(cands, nc, sizeof *cands, cand_cmp);
    for (ULONG i = 0; i < nc; i++) {
        struct job *job = cands[i].job;
        int started = 1;
        pthread_mutex_lock(&job->lock);
        if (ref_job_state(job) == BG_JOB_STATE_QUEUED && !job->run.xreq)
            started = start_job(job, poll);
        pthread_mutex_unlock(&job->lock);
        if (!started && cands[i].prio != BG_JOB_PRIORITY_FOREGROUND)
            break; /* window full: the rest waits for a slot */
    }
    for (ULONG i = 0; i < ns; i++) {
        struct job *job = stops[i]->job;
        ref_sched_cancel(job, stops[i]);
        ref_job_release(job);
    }
out:
    free(cands);
    free(stops);
    for (int m = 0; m < REF_MODE_COUNT; m++) {
        for (ULONG i = 0; i < n[m]; i++)
            ref_job_release(all[m][i]);
        ref_free(all[m]);
    }
    return next;
}

static void *sched_main(void *arg)
{
    (void)arg;
    for (;;) {
        int poll = 0;
        uint64_t next, ms;
        pthread_mutex_lock(&S.lock);
        S.kicked = 0;
        pthread_mutex_unlock(&S.lock);
        next = scan(&poll);
        ms = next == UINT64_MAX ? UINT64_MAX : ref_clock_real_ms_until(next);
        if (poll && ms > REF_NETWORK_POLL_MS)
            ms = REF_NETWORK_POLL_MS; /* the environment has no wake-up */
        pthread_mutex_lock(&S.lock);
        if (!S.kicked)
            ref_cond_wait_ms(&S.cond, &S.lock, ms);
        pthread_mutex_unlock(&S.lock);
    }
    return NULL;
}
