/*
 * ref_upsched.c - upload and upload-reply jobs on the engine.
 *
 * Owns an upload job's run: the scheduler hands it a started job
 * (ref_sched.c start_job) and this file carries the packets the client
 * core (ref_upload.c) asks for through the scheduler's submit, judges
 * each Ack, keeps the session id and the server's acknowledged offset in
 * the job (the file's `transferred`; both go to the job store, with the
 * server's BITS-Host-Id and its fallback timer), fetches
 * an upload-reply job's reply into a temporary file beside the reply
 * file, and ends the attempt through the job's owner: TRANSFERRED after
 * Close-Session (and the reply), or the error the core or the error
 * table gives.  The local file is checked before every Fragment: a
 * changed size or mtime fails the job with BG_E_LOCAL_FILE_CHANGED.  A
 * cancelled job's session gets its Cancel-Session here too, sent again
 * while the server is away for up to 24 hours (UP12).  Decisions UP1-UP18
 * (docs/decisions.md).
 */
#include "ref_job.h"
#include "ref_sched_int.h"
#include "ref_test_hooks.h"
#include "ref_upload.h"

#include <bitsmsg.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct ref_upjob {
    struct ref_up_session s;
    char *path;       /* the local file, UTF-8 */
    const char *name; /* its base name, inside path */
    char *url;        /* the remote name */
    char *reply_tmp;  /* the reply's download target */
};

static const struct ref_sched_for_uploads *sched_ops;

void ref_upsched_use_sched(const struct ref_sched_for_uploads *sched)
{
    __atomic_store_n(&sched_ops, sched, __ATOMIC_RELEASE);
}

static const struct ref_sched_for_uploads *sch(void)
{
    return __atomic_load_n(&sched_ops, __ATOMIC_ACQUIRE);
}

void ref_upsched_free(struct ref_upjob *up)
{
    if (!up)
        return;
    ref_free(up->path);
    ref_free(up->url);
    ref_free(up->reply_tmp);
    ref_free(up);
}

/* ---- helpers (job lock held) ------------------------------------------ */

/* The attempt ends with an error: x leaves the job (the caller frees). */
static bool end_fail(struct job *job, HRESULT hr, BG_ERROR_CONTEXT ctx,
                     bool transient)
{
    sch()->detach_locked(job);
    sch()->fail_locked(job, ctx, hr, 0, transient ? 1 : 0);
    return false;
}

static bool file_stat(const char *path, uint64_t *size, uint64_t *mtime)
{
    struct stat st;

    if (stat(path, &st) != 0)
        return false;
    *size = (uint64_t)st.st_size;
    *mtime = (uint64_t)st.st_mtim.tv_sec * 1000000000u +
             (uint64_t)st.st_mtim.tv_nsec;
    return true;
}

/* The local file is as it was when the upload began (UP10). */
static bool local_unchanged(struct job *job, const struct ref_upjob *up)
{
    uint64_t size, mtime;

    return file_stat(up->path, &size, &mtime) && size == job->files[0]->size &&
           mtime == job->up_mtime;
}

static bool fail_changed(struct job *job)
{
    return end_fail(job, BG_E_LOCAL_FILE_CHANGED, BG_ERROR_CONTEXT_LOCAL_FILE,
                    false);
}

/* *field (a job string, NULL = none) becomes value ("" = none) when it
 * differs; left as it was when out of memory. */
static void set_wstr(WCHAR **field, const char *value)
{
    char *old = *field ? ref_utf8(*field) : NULL;

    if (old ? strcmp(old, value) != 0 : value[0] != '\0') {
        WCHAR *w = value[0] ? ref_widen(value) : NULL;

        if (w || !value[0]) {
            ref_free(*field);
            *field = w;
        }
    }
    ref_free(old);
}

/* The session and offset of the core into the job (and so the store),
 * with the BITS-Host-Id and its fallback timer, for a restart (UP17). */
static void save_session(struct job *job, const struct ref_upjob *up)
{
    job->files[0]->transferred = up->s.acked;
    set_wstr(&job->up_session, up->s.id);
    set_wstr(&job->up_host_id, up->s.host_id);
    job->up_host_fallback = up->s.host_fallback;
    job->up_host_down = up->s.host_down_since;
}

/* The stored BITS-Host-Id and its timer into a restored session (UP17). */
static void restore_host(const struct job *job, struct ref_up_session *s)
{
    char *host = job->up_host_id ? ref_utf8(job->up_host_id) : NULL;

    if (host)
        ref_up_restore_host(s, host, job->up_host_fallback, job->up_host_down);
    ref_free(host);
}

/* "<reply file>.BIT<8 hex of the job id>.tmp" (UP11). */
static char *reply_temp(const struct job *job)
{
    char *reply = ref_utf8(job->reply_file), *out = NULL;
    size_t n;

    if (!reply)
        return NULL;
    n = strlen(reply) + 20;
    out = ref_alloc(n);
    if (out)
        snprintf(out, n, "%s.BIT%08X.tmp", reply, (unsigned)job->id.Data1);
    ref_free(reply);
    return out;
}

/* "<local file>.<8 hex of the job id>.reply" when none was set (UP11). */
static bool reply_name(struct job *job, const char *path)
{
    char buf[600];
    WCHAR *w;

    if (job->reply_file || job->type != BG_JOB_TYPE_UPLOAD_REPLY)
        return true;
    snprintf(buf, sizeof buf, "%s.%08X.reply", path, (unsigned)job->id.Data1);
    w = ref_widen(buf);
    if (!w)
        return false;
    job->reply_file = w;
    return true;
}

static const struct ref_xfer_ops packet_ops, reply_ops;

/* Every byte and the reply are there and the session is closed. */
static void finished(struct job *job)
{
    struct file_rec *rec = job->files[0];

    sch()->detach_locked(job);
    rec->transferred = rec->size;
    rec->done = TRUE;
    ref_free(job->up_session);
    job->up_session = NULL;
    job->run.np_since = 0;
    ref_job_file_changed_locked(job, 0);
    ref_job_stamp_locked(job);
    ref_notify_post(job, REF_NOTIFY_FILE, 0);
    ref_job_transfer_finished_locked(job); /* T8 */
}

/* Sends what the core asks for next.  True while x is in flight. */
static bool step(struct job *job, struct ref_xreq *x)
{
    struct ref_upjob *up = x->up;
    struct ref_up_packet_desc p;
    struct ref_sched_sub sub;
    char hdrs[1024], url[REF_UP_URL_MAX + REF_UP_HOST_MAX + 1];

    memset(&sub, 0, sizeof sub);
    switch (ref_up_next(&up->s, &p)) {
    case REF_UP_SEND:
        if (p.type == REF_UP_FRAGMENT && !local_unchanged(job, up))
            return fail_changed(job);
        if (ref_up_headers(&up->s, up->name, hdrs, sizeof hdrs) < 0)
            return end_fail(job, E_INVALIDARG, BG_ERROR_CONTEXT_LOCAL_FILE,
                            false);
        if (ref_up_url(&up->s, up->url, url, sizeof url) < 0)
            return end_fail(job, E_INVALIDARG, BG_ERROR_CONTEXT_REMOTE_FILE,
                            false);
        sub.url = url; /* the BITS-Host-Id server's (UP17) */
        sub.method = "BITS_POST";
        sub.bits_headers = hdrs;
        if (p.type == REF_UP_FRAGMENT) {
            sub.body_path = up->path;
            sub.body_offset = p.first;
            sub.body_length = p.length;
        }
        sub.ops = &packet_ops;
        break;
    case REF_UP_GET_REPLY:
        if (!up->reply_tmp && !(up->reply_tmp = reply_temp(job)))
            return end_fail(job, E_OUTOFMEMORY,
                            BG_ERROR_CONTEXT_GENERAL_QUEUE_MANAGER, true);
        unlink(up->reply_tmp); /* each fetch starts afresh */
        job->reply_started = TRUE;
        job->reply_total = BG_SIZE_UNKNOWN;
        job->reply_bytes = 0;
        sub.url = up->s.reply_url;
        sub.temp_path = up->reply_tmp;
        sub.ops = &reply_ops;
        break;
    case REF_UP_DONE:
        finished(job);
        return false;
    case REF_UP_FAIL:
        return end_fail(job, up->s.error.hr, up->s.error.context,
                        up->s.error.transient);
    }
    if (sch()->submit_locked(job, &sub, x, &x->id) != 0)
        return end_fail(job, E_OUTOFMEMORY,
                        BG_ERROR_CONTEXT_GENERAL_QUEUE_MANAGER, true);
    return true;
}

bool ref_upsched_begin_locked(struct job *job, struct ref_xreq *x)
{
    struct file_rec *rec = job->files[0];
    struct ref_upjob *up;
    uint64_t size, mtime;
    char *sid = NULL;
    const char *slash;

    x->file = 0;
    up = ref_calloc(1, sizeof *up);
    if (!up || !(up->path = ref_utf8(rec->local)) ||
        !(up->url = ref_utf8(rec->remote)) || !reply_name(job, up->path)) {
        ref_upsched_free(up);
        return end_fail(job, E_OUTOFMEMORY,
                        BG_ERROR_CONTEXT_GENERAL_QUEUE_MANAGER, true);
    }
    x->up = up;
    slash = strrchr(up->path, '/');
    up->name = slash ? slash + 1 : up->path;
    if (!file_stat(up->path, &size, &mtime))
        return fail_changed(job); /* removed or unreadable since AddFile */
    if (rec->size == BG_SIZE_UNKNOWN) { /* the upload begins */
        rec->size = size;
        job->up_mtime = mtime;
    } else if (size != rec->size || mtime != job->up_mtime) {
        return fail_changed(job);
    }
    if (job->up_session && !(sid = ref_utf8(job->up_session)))
        return end_fail(job, E_OUTOFMEMORY,
                        BG_ERROR_CONTEXT_GENERAL_QUEUE_MANAGER, true);
    ref_up_init(&up->s, size, job->type == BG_JOB_TYPE_UPLOAD_REPLY, sid,
                rec->transferred, job->up_reply_done ? true : false);
    ref_free(sid);
    restore_host(job, &up->s);
    return step(job, x);
}

/* ---- engine callbacks (engine thread, no engine lock) ------------------ */

/* The host could not be reached at all: its name or its port. */
static bool unreachable(const struct ref_xfer_result *res)
{
    struct ref_errmap_entry en;

    ref_errmap_lookup(res->kind, res->code, false, &en);
    return en.hr == BG_E_CONNECT_FAILURE ||
           en.hr == BG_E_NAME_RESOLUTION_FAILURE;
}

/* Seconds of the job clock (it survives a restart; never 0). */
static uint64_t now_s(void)
{
    uint64_t s = ref_clock_now_ticks() / 10000000u;

    return s ? s : 1;
}

/* A request ended without a usable answer: the download error table. */
static bool end_transport(struct job *job, const struct ref_xfer_result *res)
{
    struct ref_errmap_entry en;

    ref_errmap_lookup(res->kind, res->code, false, &en);
    return end_fail(job, en.hr, en.context, en.transient);
}

static void packet_done(void *ctx, const struct ref_xfer_result *res)
{
    struct ref_xreq *x = ctx;
    struct job *job = x->job;
    bool keep = false;

    pthread_mutex_lock(&job->lock);
    if (job->run.xreq != x) {
        pthread_mutex_unlock(&job->lock); /* taken away: its owner frees */
        return;
    }
    if (res->kind != REF_ERR_NONE) {
        /* no Ack: the session and offset stay for the next attempt; a
         * BITS-Host-Id server that cannot be reached runs its fallback
         * timer (UP17), whether the packet was the Ping or a later one
         * (UP18) */
        if (unreachable(res)) {
            ref_up_host_unreachable(&x->up->s, now_s());
            save_session(job, x->up);
        }
        keep = end_transport(job, res);
    } else {
        uint64_t before = job->files[0]->transferred;
        enum ref_up_action a =
            ref_up_judge(&x->up->s, res->http_status, res->headers);

        save_session(job, x->up);
        if (x->up->s.acked > before)
            job->run.np_since = 0; /* progress resets NoProgressTimeout */
        if (a == REF_UP_FAIL) {
            keep = end_fail(job, x->up->s.error.hr, x->up->s.error.context,
                            x->up->s.error.transient);
        } else {
            if (ref_job_state(job) == BG_JOB_STATE_CONNECTING)
                ref_job_connected_locked(job); /* T5: the first Ack */
            else
                ref_job_file_changed_locked(job, 0);
            if (x->up->s.acked != before)
                ref_job_touch_locked(job);
            keep = step(job, x);
        }
    }
    pthread_mutex_unlock(&job->lock);
    if (!keep)
        sch()->xreq_free(x);
}

static void reply_headers(void *ctx, long status, const char *headers,
                          uint64_t total)
{
    struct ref_xreq *x = ctx;
    struct job *job = x->job;

    (void)status;
    (void)headers;
    pthread_mutex_lock(&job->lock);
    if (job->run.xreq == x)
        job->reply_total = total;
    pthread_mutex_unlock(&job->lock);
}

static void reply_progress(void *ctx, uint64_t bytes, uint64_t total)
{
    struct ref_xreq *x = ctx;
    struct job *job = x->job;

    pthread_mutex_lock(&job->lock);
    if (job->run.xreq == x) {
        job->reply_bytes = bytes;
        job->reply_total = total;
        ref_job_touch_locked(job);
    }
    pthread_mutex_unlock(&job->lock);
}

static void reply_done(void *ctx, const struct ref_xfer_result *res)
{
    struct ref_xreq *x = ctx;
    struct job *job = x->job;
    bool keep;

    pthread_mutex_lock(&job->lock);
    if (job->run.xreq != x) {
        pthread_mutex_unlock(&job->lock);
        return;
    }
    if (res->kind != REF_ERR_NONE) {
        keep = end_transport(job, res);
    } else {
        job->reply_total = job->reply_bytes = res->bytes;
        job->up_reply_done = TRUE;
        ref_up_reply_done(&x->up->s);
        keep = step(job, x);
    }
    pthread_mutex_unlock(&job->lock);
    if (!keep)
        sch()->xreq_free(x);
}

static const struct ref_xfer_ops packet_ops = {NULL, NULL, packet_done};
static const struct ref_xfer_ops reply_ops = {reply_headers, reply_progress,
                                              reply_done};

/* ---- the scheduler's submit of an upload request ----------------------- */

bool ref_upsched_sub_headers(const struct ref_sched_sub *sub, char *custom,
                             char **out)
{
    size_t a = custom ? strlen(custom) : 0, b;
    char *s;

    if (!sub->bits_headers)
        return true;
    b = strlen(sub->bits_headers);
    s = ref_alloc(a + b + 3);
    if (!s)
        return false;
    memcpy(s, custom ? custom : "", a);
    memcpy(s + a, "\r\n", a ? 2 : 0);
    memcpy(s + a + (a ? 2 : 0), sub->bits_headers, b + 1);
    ref_free(custom);
    *out = s;
    return true;
}

void ref_upsched_sub_apply(const struct ref_sched_sub *sub,
                           struct ref_request *req)
{
    req->url = sub->url;
    req->temp_path = sub->temp_path;
    req->resume = sub->resume;
    req->known_size = REF_SIZE_UNKNOWN;
    req->max_size = REF_SIZE_UNKNOWN;
    req->ranges = NULL;
    req->nranges = 0;
    req->etag = req->last_modified = NULL;
    req->dynamic = false;
    req->method = sub->method;
    req->body_path = sub->body_path;
    req->body_offset = sub->body_offset;
    req->body_length = sub->body_length;
    /* Packets on HTTP/1.1, as MC-BUP §2.2.1 requires (UP1): over h2c a
     * 256 MiB upload took 2.2 times curl -T's time (flow-control windows),
     * over HTTP/1.1 1.04 times (bench/upload-vs-curl.sh). */
    if (sub->method)
        req->http = REF_HTTP_1_1;
    req->ops = sub->ops;
}

/* ---- Cancel-Session of a cancelled job (UP12) -------------------------- */

/*
 * A cancelled upload's session is ended in the background: Cancel-Session
 * goes out at once; while the server cannot be reached or answers 5xx
 * (after the core's REF_UP_END_TRIES immediate resends) it is sent again
 * every MinimumRetryDelay, for up to 24 hours after the Cancel or the
 * job's NoProgressTimeout if that is shorter (the Cancel page), then
 * given up.  A waiting resend sits in `cancels`; the scheduler's scan
 * sends the due ones (ref_upsched_cancels_due) and sleeps until the next.
 * Lock order: a job's lock before cancels.lock.
 */
#define CANCEL_FOR_S (24u * 3600u)

struct upcancel {
    struct job *job; /* one reference */
    struct ref_up_session s;
    char *url;
    uint64_t id;
    uint64_t give_up;  /* scaled mono ms: no send starts after it */
    uint64_t retry_ms; /* the job's MinimumRetryDelay */
    uint64_t due;      /* when the waiting resend goes out */
    unsigned gen;      /* cancels.gen when made (the tests' forget) */
    struct upcancel *next;
};

static struct {
    pthread_mutex_t lock;
    struct upcancel *waiting; /* resends not yet due */
    unsigned gen;
} cancels = {PTHREAD_MUTEX_INITIALIZER, NULL, 0};

static const struct ref_xfer_ops cancel_ops;

static void upcancel_free(struct upcancel *c)
{
    ref_job_release(c->job);
    ref_free(c->url);
    ref_free(c);
}

/* Job lock held: sends Cancel-Session while the core asks for it. */
static bool cancel_send(struct upcancel *c)
{
    struct ref_up_packet_desc p;
    struct ref_sched_sub sub;
    char hdrs[256], url[REF_UP_URL_MAX + REF_UP_HOST_MAX + 1];

    if (ref_up_next(&c->s, &p) != REF_UP_SEND ||
        ref_up_headers(&c->s, NULL, hdrs, sizeof hdrs) < 0 ||
        ref_up_url(&c->s, c->url, url, sizeof url) < 0)
        return false;
    memset(&sub, 0, sizeof sub);
    sub.url = url; /* the BITS-Host-Id server's too (UP17) */
    sub.method = "BITS_POST";
    sub.bits_headers = hdrs;
    sub.ops = &cancel_ops;
    return sch()->submit_locked(c->job, &sub, c, &c->id) == 0;
}

/* Job lock held: the server could not take the Cancel-Session now.  The
 * resend waits MinimumRetryDelay when that is still within the time the
 * job keeps trying; true when it waits (c is then the list's). */
static bool cancel_later(struct upcancel *c)
{
    uint64_t now = ref_clock_mono_ms();
    bool wait;

    pthread_mutex_lock(&cancels.lock);
    wait = c->gen == cancels.gen && now + c->retry_ms <= c->give_up;
    if (wait) {
        ref_up_retry(&c->s); /* a new round of REF_UP_END_TRIES */
        c->due = now + c->retry_ms;
        c->next = cancels.waiting;
        cancels.waiting = c;
    }
    pthread_mutex_unlock(&cancels.lock);
    if (wait)
        sch()->wake(); /* it sleeps until its next deadline */
    return wait;
}

static void cancel_done(void *ctx, const struct ref_xfer_result *res)
{
    struct upcancel *c = ctx;
    bool keep = false;

    pthread_mutex_lock(&c->job->lock);
    if (res->kind != REF_ERR_NONE) {
        /* no answer: the server is unavailable; a BITS-Host-Id server
         * out of reach runs its fallback timer as for any packet */
        if (unreachable(res))
            ref_up_host_unreachable(&c->s, now_s());
        keep = cancel_later(c);
    } else {
        switch (ref_up_judge(&c->s, res->http_status, res->headers)) {
        case REF_UP_SEND: /* a 5xx: sent again at once (UP4) */
            keep = cancel_send(c);
            break;
        case REF_UP_FAIL: /* 5xx REF_UP_END_TRIES times */
            keep = cancel_later(c);
            break;
        default: /* acknowledged, or a 1xx-4xx: never sent again */
            break;
        }
    }
    pthread_mutex_unlock(&c->job->lock);
    if (!keep)
        upcancel_free(c);
}

static const struct ref_xfer_ops cancel_ops = {NULL, NULL, cancel_done};

uint64_t ref_upsched_cancels_due(uint64_t now)
{
    struct upcancel *due = NULL, **pp, *c;
    uint64_t next = UINT64_MAX;

    pthread_mutex_lock(&cancels.lock);
    for (pp = &cancels.waiting; (c = *pp) != NULL;) {
        if (c->due <= now) {
            *pp = c->next;
            c->next = due;
            due = c;
        } else {
            if (c->due < next)
                next = c->due;
            pp = &c->next;
        }
    }
    pthread_mutex_unlock(&cancels.lock);
    while ((c = due) != NULL) {
        bool sent;

        due = c->next;
        c->next = NULL;
        pthread_mutex_lock(&c->job->lock);
        sent = cancel_send(c);
        pthread_mutex_unlock(&c->job->lock);
        if (!sent)
            upcancel_free(c);
    }
    return next;
}

void ref_upsched_cancel_session(struct job *job)
{
    struct upcancel *c;
    char *sid;
    uint64_t keep_s;

    pthread_mutex_lock(&job->lock);
    if (job->type == BG_JOB_TYPE_UPLOAD_REPLY && job->reply_file &&
        (sid = reply_temp(job))) {
        unlink(sid); /* Cancel deletes the reply's temporary file */
        ref_free(sid);
    }
    if (job->type == BG_JOB_TYPE_DOWNLOAD || !job->up_session || !job->nfiles ||
        !(sid = ref_utf8(job->up_session))) {
        pthread_mutex_unlock(&job->lock);
        return;
    }
    c = ref_calloc(1, sizeof *c);
    if (c && (c->url = ref_utf8(job->files[0]->remote))) {
        ref_up_init(&c->s, job->files[0]->size, false, sid,
                    job->files[0]->transferred, false);
        ref_up_cancel(&c->s);
        restore_host(job, &c->s);
        keep_s = job->no_progress_timeout < CANCEL_FOR_S
                     ? job->no_progress_timeout
                     : CANCEL_FOR_S;
        c->give_up = ref_clock_mono_ms() + keep_s * 1000u;
        c->retry_ms = (uint64_t)job->retry_delay * 1000u;
        pthread_mutex_lock(&cancels.lock);
        c->gen = cancels.gen;
        pthread_mutex_unlock(&cancels.lock);
        ref_job_addref(job);
        c->job = job;
        if (!cancel_send(c)) {
            pthread_mutex_unlock(&job->lock);
            upcancel_free(c);
            ref_free(sid);
            return;
        }
    } else if (c) {
        ref_free(c);
    }
    ref_free(job->up_session); /* the session is the server's to end now */
    job->up_session = NULL;
    pthread_mutex_unlock(&job->lock);
    ref_free(sid);
}

/* ---- the reply (upload-reply jobs; UP11, UP15) ------------------------- */

/* The file that holds the reply now: the temporary one until Complete
 * delivered it, the reply file after. */
static char *reply_now(const struct job *job)
{
    return ref_job_state(job) == BG_JOB_STATE_ACKNOWLEDGED
               ? ref_utf8(job->reply_file)
               : reply_temp(job);
}

int ref_upsched_deliver_reply_locked(struct job *job)
{
    char *tmp, *dst;
    int err = 0, fd;

    if (job->type != BG_JOB_TYPE_UPLOAD_REPLY || !job->reply_file)
        return 0;
    tmp = reply_temp(job);
    dst = ref_utf8(job->reply_file);
    if (!tmp || !dst) {
        err = ENOMEM;
    } else if (rename(tmp, dst) != 0) {
        err = errno;
        if (err == ENOENT) { /* no reply: the reply file is empty */
            fd = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
            err = fd < 0 ? errno : 0;
            if (fd >= 0)
                close(fd);
        }
    }
    ref_free(tmp);
    ref_free(dst);
    return err;
}

HRESULT ref_upsched_reply_data_locked(const struct job *job, BYTE **buf,
                                      UINT64 *len)
{
    char *path = reply_now(job);
    struct stat st;
    BYTE *b = NULL;
    ssize_t got = 0;
    int fd;

    if (!path)
        return E_OUTOFMEMORY;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    ref_free(path);
    if (fd < 0)
        return errno == ENOENT ? S_OK : E_ACCESSDENIED; /* no reply */
    if (fstat(fd, &st) != 0) {
        close(fd);
        return E_FAIL;
    }
    *len = (UINT64)st.st_size;
    if (*len > REF_REPLY_DATA_MAX) { /* spec §7.5: use the reply file */
        close(fd);
        return BG_E_TOO_LARGE;
    }
    if (*len && !(b = ref_task_alloc((size_t)*len))) {
        close(fd);
        return E_OUTOFMEMORY;
    }
    while ((UINT64)got < *len) {
        ssize_t r = pread(fd, b + got, (size_t)(*len - (UINT64)got), got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += r;
    }
    close(fd);
    if ((UINT64)got != *len) {
        CoTaskMemFree(b);
        *len = 0;
        return E_FAIL;
    }
    *buf = b;
    return S_OK;
}

/* ---- Test hooks -------------------------------------------------------- */

unsigned ref_upsched_test_cancels_waiting(void)
{
    unsigned n = 0;

    pthread_mutex_lock(&cancels.lock);
    for (const struct upcancel *c = cancels.waiting; c; c = c->next)
        n++;
    pthread_mutex_unlock(&cancels.lock);
    return n;
}

void ref_upsched_test_cancels_forget(void)
{
    struct upcancel *c;

    pthread_mutex_lock(&cancels.lock);
    c = cancels.waiting;
    cancels.waiting = NULL;
    cancels.gen++; /* those in flight are not rescheduled either */
    pthread_mutex_unlock(&cancels.lock);
    while (c) {
        struct upcancel *next = c->next;
        upcancel_free(c);
        c = next;
    }
}
