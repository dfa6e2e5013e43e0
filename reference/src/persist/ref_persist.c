/*
 * ref_persist.c - jobs survive the process: the wiring between the live
 * job objects (job.c, ref_queue.c, ref_sched.c) and the job store
 * (ref_store.c).  docs/store.md "Wiring" and decisions S11-S20.
 *
 * Owns the process's one store connection, the runner role, the table of
 * what this process last wrote or read for each job ("seen": id and
 * modified time, to tell another process's changes from ours), the job
 * <-> record conversion (driven by the property table, ref_job_props.h),
 * the reload at start-up and the 200 ms watch thread that picks up other
 * processes' commits.
 *
 * Persistence observes the job's owner (ref_job.h, ref_job_observe): it is
 * told of each state change (written by the watch thread, or the record
 * deleted when the job became final) and commits a method's change when
 * the owner asks, before the change takes effect; it never changes a
 * job's properties or state itself.  Another process's change is handed
 * to the owner (ref_job_adopt_locked, ref_job_external_state,
 * ref_job_external_removal).
 *
 * Layer persist (docs/architecture.md "Layers"): it imports the core and
 * the store, not the COM or DO classes.  NonVolatile DO downloads are the
 * do layer's records (do_persist.c): it writes them through the store
 * this file opens and registers the loader run at start-up
 * (ref_persist_use_downloads).
 *
 * Locking: a job is written with its lock held (lock order job, then the
 * store's own mutex, then P.lock); the watch thread's batch holds the
 * store's mutex and only tries job locks (S29).  The store calls load
 * callbacks under its mutex, so a callback only builds private job
 * objects; they are merged into live jobs after the walk.  Allocations of
 * the conversion buffers use malloc (not ref_alloc) so the object model's
 * out-of-memory tests count the same allocations as without a store.
 */
#include "ref_persist.h"

#include "ref_job_props.h"
#include "ref_store.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct seen {
    GUID id;
    uint64_t modified; /* the record's modified time we last wrote/read */
};

static struct {
    pthread_mutex_t lock;      /* open state, seen table */
    pthread_mutex_t sync_lock; /* one ref_persist_sync at a time */
    struct ref_store *store;
    int tried;
    HRESULT open_hr;
    char msg[768];
    int runner;
    int watching;
    struct seen *seen;
    size_t nseen, capseen;
    GUID *pending; /* jobs with rows for the watch thread to write */
    size_t npending, cappending;
} P = {PTHREAD_MUTEX_INITIALIZER,
       PTHREAD_MUTEX_INITIALIZER,
       NULL,
       0,
       S_FALSE,
       "",
       1,
       0,
       NULL,
       0,
       0,
       NULL,
       0,
       0};

#define TICKS_PER_SEC 10000000ULL
#define EPOCH_DIFF 11644473600ULL /* 1601 -> 1970, seconds */

static struct ref_store *store_get(void)
{
    return __atomic_load_n(&P.store, __ATOMIC_ACQUIRE);
}

/* ---- the seen table ----------------------------------------------------- */

static struct seen *seen_find_locked(const GUID *id)
{
    for (size_t i = 0; i < P.nseen; i++)
        if (IsEqualGUID(&P.seen[i].id, id))
            return &P.seen[i];
    return NULL;
}

static void seen_set(const GUID *id, uint64_t modified)
{
    struct seen *s;
    pthread_mutex_lock(&P.lock);
    s = seen_find_locked(id);
    if (!s && P.nseen == P.capseen) {
        size_t cap = P.capseen ? P.capseen * 2 : 64;
        struct seen *g = realloc(P.seen, cap * sizeof *g);
        if (g) {
            P.seen = g;
            P.capseen = cap;
        }
    }
    if (!s && P.nseen < P.capseen) {
        s = &P.seen[P.nseen++];
        s->id = *id;
    }
    if (s)
        s->modified = modified;
    pthread_mutex_unlock(&P.lock);
}

static void seen_drop(const GUID *id)
{
    struct seen *s;
    pthread_mutex_lock(&P.lock);
    s = seen_find_locked(id);
    if (s)
        *s = P.seen[--P.nseen];
    pthread_mutex_unlock(&P.lock);
}

/* 1 and *modified when known. */
static int seen_get(const GUID *id, uint64_t *modified)
{
    struct seen *s;
    int r = 0;
    pthread_mutex_lock(&P.lock);
    if ((s = seen_find_locked(id))) {
        *modified = s->modified;
        r = 1;
    }
    pthread_mutex_unlock(&P.lock);
    return r;
}

/* ---- conversions -------------------------------------------------------- */

/* The validators are kept by the engine as the header text; the store
 * keeps an ETag as text and Last-Modified as ticks. */
static uint64_t http_date_ticks(const char *s)
{
    time_t t;
    if (!s || !*s)
        return 0;
    t = curl_getdate(s, NULL);
    if (t < 0)
        return 0;
    return ((uint64_t)t + EPOCH_DIFF) * TICKS_PER_SEC;
}

static char *ticks_http_date(uint64_t ticks)
{
    char buf[64];
    struct tm tm;
    time_t t;
    if (!ticks)
        return NULL;
    t = (time_t)(ticks / TICKS_PER_SEC - EPOCH_DIFF);
    if (!gmtime_r(&t, &tm) ||
        !strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm))
        return NULL;
    return strdup(buf);
}

/* malloc'd UTF-16 copy of an ASCII header value (NULL for NULL/""). */
static WCHAR *widen_ascii(const char *s)
{
    size_t n;
    WCHAR *w;
    if (!s || !*s)
        return NULL;
    n = strlen(s);
    w = malloc((n + 1) * sizeof *w);
    if (w)
        for (size_t i = 0; i <= n; i++)
            w[i] = (WCHAR)(unsigned char)s[i];
    return w;
}

/* ref_alloc'd bytes of a widened string, each UTF-16 unit below `limit`
 * kept and any other one '?'; NULL for NULL. */
static char *narrow_below(const WCHAR *w, WCHAR limit)
{
    size_t n = ref_wcslen(w);
    char *s;
    if (!w)
        return NULL;
    s = ref_alloc(n + 1);
    if (s)
        for (size_t i = 0; i <= n; i++)
            s[i] = (char)(w[i] < limit ? w[i] : '?');
    return s;
}

/* A header value (ASCII). */
static char *narrow_ascii(const WCHAR *w)
{
    return narrow_below(w, 0x80);
}

/* The ISO-8859-1 bytes of a widened header block (I10). */
static char *narrow_latin1(const WCHAR *w)
{
    return narrow_below(w, 0x100);
}

/* malloc'd UTF-8 path (ASCII-safe widening back; paths are UTF-16). */
static char *path_utf8(const WCHAR *w)
{
    char *r = ref_utf8(w), *c;
    if (!r)
        return NULL;
    c = strdup(r);
    ref_free(r);
    return c;
}

/* The temporary name the engine writes for a file (as
 * ref_file_temp_name), malloc'd; NULL when none. */
static WCHAR *temp_name(const struct job *job, const struct file_rec *rec)
{
    if (!rec->local || job->high_performance ||
        job->type != BG_JOB_TYPE_DOWNLOAD)
        return NULL;
    return ref_file_temp_name_with(job, rec, malloc);
}

/* A job record pointing into the job (valid while its lock is held) plus
 * the buffers it needed. */
struct recbuf {
    struct ref_store_job j;
    struct ref_store_file *files;
    struct ref_store_range **ranges, **req;
    WCHAR **temps, **etags, **heads;
    struct ref_store_cred creds[10];
    ULONG n;
};

static void recbuf_free(struct recbuf *b)
{
    for (ULONG i = 0; i < b->n; i++) {
        if (b->ranges)
            free(b->ranges[i]);
        if (b->req)
            free(b->req[i]);
        if (b->temps)
            free(b->temps[i]);
        if (b->etags)
            free(b->etags[i]);
        if (b->heads)
            free(b->heads[i]);
    }
    free(b->files);
    free(b->ranges);
    free(b->req);
    free(b->temps);
    free(b->etags);
    free(b->heads);
    memset(b, 0, sizeof *b);
}

static struct ref_store_range *ranges_dup(const BG_FILE_RANGE *r, DWORD n)
{
    struct ref_store_range *o;
    if (!n)
        return NULL;
    o = calloc(n, sizeof *o);
    if (o)
        for (DWORD i = 0; i < n; i++) {
            o[i].offset = r[i].InitialOffset;
            o[i].length = r[i].Length;
        }
    return o;
}

static void file_record(const struct job *job, const struct file_rec *rec,
                        struct ref_store_file *f, const WCHAR *temp,
                        const WCHAR *etag, const WCHAR *heads,
                        const struct ref_store_range *ranges,
                        const struct ref_store_range *req)
{
    f->index = rec->index;
    f->remote = rec->remote;
    f->local = rec->local;
    f->file_id = rec->file_id;
    f->temp = temp;
    f->proto = (int32_t)rec->proto;
    f->ranges = ranges;
    f->nranges = rec->nranges;
    f->requested = req;
    f->nrequested = rec->nrequested;
    f->size = rec->size;
    f->transferred = rec->transferred;
    f->position = rec->position;
    f->done = rec->done;
    f->completed = rec->completed;
    f->validation = rec->validation;
    f->response_headers = heads;
    f->decryption_info = rec->decryption_info;
    f->integrity_info = rec->integrity_info;
    f->integrity_mandatory = rec->integrity_mandatory;
    f->etag = etag;
    f->last_modified = http_date_ticks(rec->last_modified);
    (void)job;
}

/* The states in which the scheduler may still fetch files of the job:
 * only then may a done file's row wait (part_carries). */
static int is_active(int s);

static int job_running(int s)
{
    return is_active(s) || s == BG_JOB_STATE_TRANSIENT_ERROR;
}

/* Does a part write carry file i (S23)?  New since the last write, or
 * changed since (progress, a file-level setter).  `part` 2 (the watch
 * thread, S9) leaves out files already done while the job still runs: the
 * write after it stops (TRANSFERRED, ERROR, SUSPENDED) carries them, so a
 * job of many small files does not rewrite a row per file every 200 ms,
 * and a stored TRANSFERRED job always has its files' rows. */
static int part_carries(const struct job *job, ULONG i, int part)
{
    const struct file_rec *rec = job->files[i];
    if (i >= job->pst.nfiles)
        return 1;
    return rec->pst_dirty &&
           !(part == 2 && rec->done && job_running(ref_job_state(job)));
}

/* ---- the property table (ref_job_props.h) ------------------------------ */

static int wdup(WCHAR **slot, const WCHAR *s);

/* One row: where the property lives in the job and in the record. */
struct prop {
    const char *column;
    enum ref_prop_kind kind;
    size_t joff, jsize, roff, rsize;
    int64_t def, lo;
    uint64_t hi;
};

#define JSIZE(f) sizeof(((struct job *)0)->f)
#define RSIZE(f) sizeof(((struct ref_store_job *)0)->f)
#define PROP_ROW(col, jf, rf, kind, d, l, h, m)                                \
    {col,                                                                      \
     REF_PK_##kind,                                                            \
     offsetof(struct job, jf),                                                 \
     JSIZE(jf),                                                                \
     offsetof(struct ref_store_job, rf),                                       \
     RSIZE(rf),                                                                \
     (int64_t)(d),                                                             \
     (int64_t)(l),                                                             \
     (uint64_t)(h)},
static const struct prop props[] = {REF_JOB_PROPS(PROP_ROW)};
#undef PROP_ROW
#undef RSIZE
#undef JSIZE
#define NPROPS (sizeof props / sizeof props[0])

/* Job lock held: every property of the job into the record (strings
 * point into the job). */
static void props_to_record(const struct job *job, struct ref_store_job *r)
{
    for (size_t i = 0; i < NPROPS; i++) {
        const struct prop *p = &props[i];
        const char *src = (const char *)job + p->joff;
        char *dst = (char *)r + p->roff;
        switch (p->kind) {
        case REF_PK_WSTR:
            memcpy(dst, src, sizeof(WCHAR *));
            break;
        case REF_PK_GUID:
        case REF_PK_HASH20:
            memcpy(dst, src, p->rsize);
            break;
        default:
            ref_prop_put(dst, p->rsize,
                         ref_prop_get(src, p->jsize, p->kind == REF_PK_I32));
        }
    }
}

/* A number read back that lies outside its row's bounds (a damaged or
 * foreign record) takes the row's default. */
static int64_t in_bounds(const struct prop *p, int64_t v)
{
    if (p->kind == REF_PK_I32
            ? v < p->lo || v > (int64_t)p->hi
            : (uint64_t)v < (uint64_t)p->lo || (uint64_t)v > p->hi) {
        if (ref_log_on())
            fprintf(stderr, "doref: stored %s out of bounds, default used\n",
                    p->column);
        return p->def;
    }
    return v;
}

/* An unpublished job: every property from the record (strings copied).
 * 0, or -1 out of memory. */
static int props_from_record(const struct ref_store_job *r, struct job *job)
{
    for (size_t i = 0; i < NPROPS; i++) {
        const struct prop *p = &props[i];
        const char *src = (const char *)r + p->roff;
        char *dst = (char *)job + p->joff;
        switch (p->kind) {
        case REF_PK_WSTR: {
            const WCHAR *v;
            memcpy(&v, src, sizeof v);
            ref_free(*(WCHAR **)dst);
            if (wdup((WCHAR **)dst, v))
                return -1;
            break;
        }
        case REF_PK_GUID:
        case REF_PK_HASH20:
            memcpy(dst, src, p->jsize);
            break;
        default:
            ref_prop_put(dst, p->jsize,
                         in_bounds(p, ref_prop_get(src, p->rsize,
                                                   p->kind == REF_PK_I32)));
        }
    }
    return 0;
}

/* What a method's commit says the change will make of the job's state
 * and modification time, which the job itself shows only afterwards
 * (ref_job.h, the observer's commit); -1 and 0: the job's own. */
struct over {
    int state;
    uint64_t modified;
};

/* Job lock held: the record of the job with every file (`part` 0) or
 * with the files a part write carries (`part` 1, 2).  0, or -1 out of
 * memory. */
static int recbuf_make(struct job *job, struct recbuf *b, int part,
                       const struct over *o)
{
    struct ref_store_job *j = &b->j;
    ULONG n = 0;
    memset(b, 0, sizeof *b);
    for (ULONG i = 0; i < job->nfiles; i++)
        n += !part || part_carries(job, i, part);
    b->n = n;
    if (n) {
        b->files = calloc(n, sizeof *b->files);
        b->ranges = calloc(n, sizeof *b->ranges);
        b->req = calloc(n, sizeof *b->req);
        b->temps = calloc(n, sizeof *b->temps);
        b->etags = calloc(n, sizeof *b->etags);
        b->heads = calloc(n, sizeof *b->heads);
        if (!b->files || !b->ranges || !b->req || !b->temps || !b->etags ||
            !b->heads)
            goto oom;
    }
    for (ULONG i = 0, k = 0; k < n; k++, i++) {
        const struct file_rec *rec;
        while (part && !part_carries(job, i, part))
            i++;
        rec = job->files[i];
        if ((rec->nranges &&
             !(b->ranges[k] = ranges_dup(rec->ranges, rec->nranges))) ||
            (rec->nrequested &&
             !(b->req[k] = ranges_dup(rec->requested, rec->nrequested))))
            goto oom;
        b->temps[k] = temp_name(job, rec);
        b->etags[k] = widen_ascii(rec->etag);
        b->heads[k] = widen_ascii(rec->response_headers);
        if ((!b->temps[k] && rec->local && !job->high_performance &&
             job->type == BG_JOB_TYPE_DOWNLOAD) ||
            (!b->etags[k] && rec->etag && *rec->etag) ||
            (!b->heads[k] && rec->response_headers && *rec->response_headers))
            goto oom;
        file_record(job, rec, &b->files[k], b->temps[k], b->etags[k],
                    b->heads[k], b->ranges[k], b->req[k]);
    }
    j->id = job->id;
    j->mode = (int32_t)job->mode;
    j->type = (int32_t)job->type;
    j->owner = job->owner;
    props_to_record(job, j);
    j->state = o && o->state >= 0 ? o->state : ref_job_state(job);
    j->created = job->created;
    j->modified = o && o->modified
                      ? o->modified
                      : __atomic_load_n(&job->modified, __ATOMIC_ACQUIRE);
    j->transfer_completed =
        __atomic_load_n(&job->transfer_completed, __ATOMIC_ACQUIRE);
    for (int t = 0; t < 2; t++)
        for (int s = 0; s < 5; s++)
            if (job->creds[t][s].set) {
                struct ref_store_cred *c = &b->creds[j->ncreds++];
                c->target = (uint32_t)t + 1;
                c->scheme = (uint32_t)s + 1;
                c->user = job->creds[t][s].user;
                c->password = job->creds[t][s].password;
            }
    j->creds = b->creds;
    j->files = b->files;
    j->nfiles = n;
    return 0;
oom:
    recbuf_free(b);
    return -1;
}

/* ref_alloc'd copy of a record string; 0 on success (NULL stays NULL). */
static int wdup(WCHAR **slot, const WCHAR *s)
{
    *slot = NULL;
    if (!s)
        return 0;
    *slot = ref_wcsdup(s);
    return *slot ? 0 : -1;
}

static BG_FILE_RANGE *bg_ranges(const struct ref_store_range *r, uint32_t n)
{
    BG_FILE_RANGE *o;
    if (!n)
        return NULL;
    o = ref_calloc(n, sizeof *o);
    if (o)
        for (uint32_t i = 0; i < n; i++) {
            o[i].InitialOffset = r[i].offset;
            o[i].Length = r[i].length;
        }
    return o;
}

static struct file_rec *rec_from_record(const struct ref_store_file *f)
{
    struct file_rec *rec = ref_calloc(1, sizeof *rec);
    char *lm;
    if (!rec)
        return NULL;
    rec->index = f->index;
    rec->proto = (enum ref_proto)f->proto;
    rec->size = f->size;
    rec->transferred = f->transferred;
    rec->position = f->position;
    rec->done = f->done;
    rec->completed = f->completed;
    rec->validation = f->validation;
    rec->integrity_mandatory = f->integrity_mandatory;
    if (wdup(&rec->remote, f->remote) || wdup(&rec->local, f->local) ||
        wdup(&rec->file_id, f->file_id) ||
        wdup(&rec->decryption_info, f->decryption_info) ||
        wdup(&rec->integrity_info, f->integrity_info))
        goto fail;
    if ((f->nranges && !(rec->ranges = bg_ranges(f->ranges, f->nranges))) ||
        (f->nrequested &&
         !(rec->requested = bg_ranges(f->requested, f->nrequested))))
        goto fail;
    rec->nranges = f->nranges;
    rec->nrequested = f->nrequested;
    if (f->response_headers &&
        !(rec->response_headers = narrow_latin1(f->response_headers)))
        goto fail;
    if (f->etag && !(rec->etag = narrow_ascii(f->etag)))
        goto fail;
    if ((lm = ticks_http_date(f->last_modified))) {
        rec->last_modified = ref_alloc(strlen(lm) + 1);
        if (rec->last_modified)
            strcpy(rec->last_modified, lm);
        free(lm);
        if (!rec->last_modified)
            goto fail;
    }
    return rec;
fail:
    ref_job_rec_free(rec);
    return NULL;
}

/* The store keeps the state the job had; a job that was on its way
 * (QUEUED, CONNECTING, TRANSFERRING) or waiting for a retry comes back
 * QUEUED (S12). */
static int loaded_state(int s)
{
    switch (s) {
    case BG_JOB_STATE_CONNECTING:
    case BG_JOB_STATE_TRANSFERRING:
    case BG_JOB_STATE_TRANSIENT_ERROR:
        return BG_JOB_STATE_QUEUED;
    default:
        return s;
    }
}

/* A new, unpublished job object for a record.  S_OK or E_OUTOFMEMORY. */
static HRESULT job_from_record(const struct ref_store_job *r, struct job **out)
{
    WCHAR owner[REF_SID_MAX];
    struct job *job;
    HRESULT hr;
    *out = NULL;
    if (!r->display_name || !r->owner)
        return E_INVALIDARG;
    /* ref_job_new copies a whole REF_SID_MAX buffer */
    memset(owner, 0, sizeof owner);
    memcpy(owner, r->owner,
           (ref_wcslen(r->owner) < REF_SID_MAX ? ref_wcslen(r->owner)
                                               : REF_SID_MAX - 1) *
               sizeof(WCHAR));
    hr = ref_job_new((enum ref_mode)(r->mode ? REF_MODE_DO : REF_MODE_BITS),
                     r->display_name, (BG_JOB_TYPE)r->type, owner, &job);
    if (FAILED(hr))
        return hr;
    job->id = r->id;
    ref_job_restore(job, loaded_state(r->state), r->created, r->modified,
                    r->transfer_completed);
    if (props_from_record(r, job))
        goto oom;
    for (uint32_t i = 0; i < r->ncreds; i++) {
        const struct ref_store_cred *c = &r->creds[i];
        struct ref_cred *d;
        if (c->target < 1 || c->target > 2 || c->scheme < 1 || c->scheme > 5)
            continue;
        d = &job->creds[c->target - 1][c->scheme - 1];
        d->set = TRUE;
        if (wdup(&d->user, c->user) || wdup(&d->password, c->password))
            goto oom;
    }
    if (r->nfiles) {
        job->files = ref_calloc(r->nfiles, sizeof *job->files);
        if (!job->files)
            goto oom;
        for (uint32_t i = 0; i < r->nfiles; i++) {
            if (!(job->files[i] = rec_from_record(&r->files[i])))
                goto oom;
            job->files[i]->index = i;
            job->nfiles = i + 1;
        }
    }
    job->pst.full = TRUE; /* S13 may change the progress read back */
    *out = job;
    return S_OK;
oom:
    ref_job_release(job);
    return E_OUTOFMEMORY;
}

/* ---- the bytes on disk are the truth (S13) ----------------------------- */

/* Unpublished job or job lock held, no request in flight: each file's
 * progress from its temporary (or, high performance, local) file. */
static void fix_from_disk(struct job *job)
{
    for (ULONG i = 0; i < job->nfiles; i++) {
        struct file_rec *rec = job->files[i];
        WCHAR *tw;
        char *tmp = NULL, *local = NULL;
        struct stat st;
        uint64_t total;
        if (rec->completed || !rec->local || job->type != BG_JOB_TYPE_DOWNLOAD)
            continue;
        tw = job->high_performance ? NULL : temp_name(job, rec);
        tmp = tw ? path_utf8(tw) : path_utf8(rec->local);
        free(tw);
        local = path_utf8(rec->local);
        if (!tmp || !local) {
            free(tmp);
            free(local);
            continue;
        }
        total = rec->nranges ? BG_SIZE_UNKNOWN : rec->size;
        if (stat(tmp, &st) == 0 && S_ISREG(st.st_mode)) {
            uint64_t have = (uint64_t)st.st_size;
            if (rec->nranges || job->dynamic_content ||
                (rec->size == BG_SIZE_UNKNOWN && !(rec->etag && *rec->etag) &&
                 !(rec->last_modified && *rec->last_modified))) {
                /* Ranges and dynamic content restart from byte 0, and so
                 * do bytes the record says nothing of: no size and no
                 * validator (S9: the process died before the watch
                 * thread wrote the first response's row). */
                rec->transferred = 0;
                rec->done = FALSE;
            } else {
                if (total != BG_SIZE_UNKNOWN && have > total)
                    have = 0; /* not ours: start again */
                rec->transferred = have;
                rec->done = total != BG_SIZE_UNKNOWN && have == total;
            }
        } else if (!job->high_performance && rec->done &&
                   stat(local, &st) == 0) {
            /* Complete renamed it, then the process died. */
            rec->completed = TRUE;
        } else {
            rec->transferred = 0;
            rec->done = FALSE;
        }
        free(tmp);
        free(local);
    }
}

/* ---- writing ------------------------------------------------------------ */

static HRESULT store_hr(int err)
{
    if (err == REF_STORE_E_CORRUPT)
        return HRESULT_FROM_WIN32(1392L); /* ERROR_FILE_CORRUPT */
    return ref_store_hresult(err);
}

static void complain(const char *what)
{
    if (ref_log_on())
        fprintf(stderr, "doref: %s: %s\n", what, ref_store_last_error());
}

/* One write of the job (lock held): a part write (S23) when the store
 * holds a record this process wrote and no whole rewrite is due, else
 * the whole record; a part write that finds no record falls back to the
 * whole one.  Afterwards every file row is current. */
static int write_job_locked(struct ref_store *s, struct job *job, int durable,
                            int watch, const struct over *o)
{
    int part =
        job->pst.stored && !job->pst.full && job->pst.nfiles <= job->nfiles
            ? (watch ? 2 : 1)
            : 0;
    for (;;) {
        struct recbuf b;
        int err;
        if (recbuf_make(job, &b, part, o))
            return REF_STORE_E_NOMEM;
        if (!durable)
            err = ref_store_put_job_lazy(s, &b.j, part);
        else
            err = part ? ref_store_put_job_part(s, &b.j)
                       : ref_store_put_job(s, &b.j);
        if (!err)
            seen_set(&job->id, b.j.modified);
        recbuf_free(&b);
        if (part && err == REF_STORE_E_NOT_FOUND) {
            part = 0;
            continue;
        }
        if (!err) {
            /* the rows written are current; before pst.nfiles moves */
            for (ULONG i = 0; i < job->nfiles; i++)
                if (!part || part_carries(job, i, part))
                    job->files[i]->pst_dirty = FALSE;
            job->pst.stored = TRUE;
            job->pst.full = FALSE;
            job->pst.stale = FALSE;
            job->pst.nfiles = job->nfiles;
        }
        return err;
    }
}

/* ref_persist_job_locked, synced (`durable`) or not (S25); `watch`: the
 * watch thread's write (files already done wait, part_carries); `o`: a
 * method's commit (NULL otherwise). */
static HRESULT persist_job_over(struct job *job, int durable, int watch,
                                const struct over *o)
{
    struct ref_store *s = store_get();
    int err;
    if (!s || ref_state_is_final(ref_job_state(job)))
        return S_OK;
    err = write_job_locked(s, job, durable, watch, o);
    if (err == REF_STORE_E_NOMEM)
        return E_OUTOFMEMORY;
    if (err) {
        complain("writing a job");
        return store_hr(err);
    }
    return S_OK;
}

static HRESULT persist_job_locked(struct job *job, int durable, int watch)
{
    return persist_job_over(job, durable, watch, NULL);
}

HRESULT ref_persist_job_locked(struct job *job)
{
    return persist_job_locked(job, 1, 0);
}

/* The observer's commit: a method's change, synced, before its effects
 * leave the job (job lock held); `state` and `modified` are the values
 * the change will give the job (-1, 0: the job's own). */
static HRESULT observe_commit(struct job *job, int state, uint64_t modified)
{
    struct over o = {state, modified};
    return store_get() ? persist_job_over(job, 1, 0, &o) : S_OK;
}

HRESULT ref_persist_new_job(struct job *job)
{
    HRESULT hr;
    if (!store_get()) {
        const char *v = getenv("DOREF_PERSIST");
        if (v && *v == '0')
            return S_OK;
        ref_persist_start(); /* the store may be writable again */
        if (!store_get())
            return P.open_hr;
    }
    pthread_mutex_lock(&job->lock);
    hr = ref_persist_job_locked(job);
    pthread_mutex_unlock(&job->lock);
    return hr;
}

static int queue_locked(struct job *job);

/* Job lock held, the job final: its record goes.  Complete renamed every
 * file it marked completed; the other files' temporary names are about
 * to be deleted (Cancel, a partial Complete) and are recorded in case
 * that fails (S30).  Out of memory: the store looks at the disk itself. */
static void delete_record_locked(struct ref_store *s, struct job *job)
{
    WCHAR **left = calloc(job->nfiles ? job->nfiles : 1, sizeof *left);
    size_t n = 0;
    int err;
    for (ULONG i = 0; left && i < job->nfiles; i++)
        if (!job->files[i]->completed &&
            !(left[n++] = temp_name(job, job->files[i])) &&
            job->files[i]->local && !job->high_performance &&
            job->type == BG_JOB_TYPE_DOWNLOAD) {
            while (n)
                free(left[--n]);
            free(left);
            left = NULL;
        }
    err = left ? ref_store_delete_job_leaving(s, &job->id,
                                              (const WCHAR *const *)left, n)
               : ref_store_delete_job(s, &job->id);
    if (err && err != REF_STORE_E_NOT_FOUND)
        complain("deleting a job");
    while (left && n)
        free(left[--n]);
    free(left);
}

void ref_persist_transition(struct job *job, int from, int to)
{
    struct ref_store *s = store_get();
    (void)from;
    if (!s)
        return;
    if (ref_state_is_final(to)) {
        delete_record_locked(s, job);
        seen_drop(&job->id);
        return;
    }
    /* Written by the watch thread, unsynced (S25): the engine's states
     * come back from the disk (S12, S13), and the write of the method
     * that changed the state (Suspend, Resume: the owner's commit before
     * the transition) is synced and carried it already.  The engine
     * thread never waits on the store. */
    if (queue_locked(job))
        persist_job_locked(job, 0, 0);
}

/* Job lock held: the watch thread will write the job within 200 ms,
 * unless a write of the job (a method) carries it sooner (S9, S25).
 * 0, or -1 when the queue cannot grow (out of memory). */
static int queue_locked(struct job *job)
{
    job->pst.stale = TRUE;
    if (job->pst.queued)
        return 0;
    pthread_mutex_lock(&P.lock);
    if (P.npending == P.cappending) {
        size_t cap = P.cappending ? 2 * P.cappending : 16;
        GUID *g = realloc(P.pending, cap * sizeof *g);
        if (!g) {
            pthread_mutex_unlock(&P.lock);
            return -1;
        }
        P.pending = g;
        P.cappending = cap;
    }
    P.pending[P.npending++] = job->id;
    job->pst.queued = TRUE;
    pthread_mutex_unlock(&P.lock);
    return 0;
}

void ref_persist_file_locked(struct job *job, ULONG index)
{
    if (!store_get() || index >= job->nfiles ||
        ref_state_is_final(ref_job_state(job)))
        return;
    job->files[index]->pst_dirty = TRUE;
    queue_locked(job); /* on failure the job's next write carries it */
}

/* Ids the watch thread could not put back on the queue (out of memory):
 * its next round takes them first.  Only the watch thread uses it. */
static GUID *carry;
static size_t ncarry;

/* Puts ids (malloc'd, taken) back on the queue; their jobs' pst.queued
 * is still TRUE, so no one else queues them meanwhile. */
static void requeue(GUID *ids, size_t n)
{
    pthread_mutex_lock(&P.lock);
    if (P.npending + n > P.cappending) {
        size_t cap = P.npending + n + 16;
        GUID *g = realloc(P.pending, cap * sizeof *g);
        if (g) {
            P.pending = g;
            P.cappending = cap;
        }
    }
    if (P.npending + n <= P.cappending) {
        memcpy(P.pending + P.npending, ids, n * sizeof *ids);
        P.npending += n;
        n = 0;
    }
    pthread_mutex_unlock(&P.lock);
    if (n && !carry) {
        carry = ids;
        ncarry = n;
    } else {
        free(ids);
    }
}

/* The live jobs of ids[0..n) into found[] (zeroed by the caller; a
 * reference each, NULL for one gone), from one snapshot of each queue. */
static void find_jobs(const GUID *ids, size_t n, struct job **found)
{
    size_t left = n;
    for (int m = 0; m < REF_MODE_COUNT && left; m++) {
        struct job **all;
        ULONG na;
        if (FAILED(ref_queue_snapshot((enum ref_mode)m, 1, &all, &na)))
            continue;
        for (ULONG k = 0; k < na; k++) {
            size_t i = 0;
            while (i < n && (found[i] || !IsEqualGUID(&ids[i], &all[k]->id)))
                i++;
            if (i < n) {
                found[i] = all[k];
                left--;
            } else {
                ref_job_release(all[k]);
            }
        }
        ref_free(all);
    }
}

/* The live job with this id (a reference), or NULL. */
static struct job *queue_find_any(const GUID *id)
{
    struct job *found = NULL;
    find_jobs(id, 1, &found);
    return found;
}

/* The watch thread: writes the rows the scheduler marked (S9), all
 * queued jobs in one unsynced batch (S29).  The batch holds the store's
 * mutex, so a job is only tried (trylock): one whose lock is held (a
 * method may be waiting for the store with it) waits for the next round,
 * and the engine thread never waits for a job lock held across a thread
 * that waits for the store. */
static void flush_ids(GUID *ids, size_t n)
{
    struct ref_store *s = store_get();
    struct job **jobs;
    GUID *later;
    size_t nlater = 0;
    int batch, *written;
    if (!n || !s) {
        free(ids);
        return;
    }
    if ((jobs = calloc(n, sizeof *jobs)))
        find_jobs(ids, n, jobs);
    later = malloc(n * sizeof *later);
    written = calloc(n, sizeof *written);
    if (!jobs || !later || !written) {
        free(jobs); /* out of memory: try again next round */
        free(later);
        free(written);
        requeue(ids, n);
        return;
    }
    batch = ref_store_batch_begin(s) == 0;
    for (size_t i = 0; i < n; i++) {
        struct job *job = jobs[i];
        if (!job)
            continue;
        if (!batch)
            pthread_mutex_lock(&job->lock);
        else if (pthread_mutex_trylock(&job->lock) != 0) {
            later[nlater++] = ids[i];
            continue;
        }
        job->pst.queued = FALSE;
        /* a method's write since it was queued may have carried it all */
        if (job->pst.stale) {
            if (persist_job_locked(job, 0, 1) != S_OK)
                complain("writing file progress");
            else
                written[i] = 1;
        }
        pthread_mutex_unlock(&job->lock);
    }
    if (batch && ref_store_batch_end(s)) {
        /* nothing of the batch reached the store: those jobs are
         * written whole next round */
        complain("committing the watch thread's writes");
        for (size_t i = 0; i < n; i++) {
            if (!written[i])
                continue;
            pthread_mutex_lock(&jobs[i]->lock);
            jobs[i]->pst.full = TRUE;
            queue_locked(jobs[i]);
            pthread_mutex_unlock(&jobs[i]->lock);
        }
    }
    if (nlater)
        requeue(later, nlater);
    else
        free(later);
    for (size_t i = 0; i < n; i++)
        if (jobs[i])
            ref_job_release(jobs[i]);
    free(jobs);
    free(written);
    free(ids);
}

static void flush_pending(void)
{
    GUID *ids = carry;
    size_t n = ncarry;
    carry = NULL;
    ncarry = 0;
    if (ids)
        flush_ids(ids, n);
    pthread_mutex_lock(&P.lock);
    ids = P.pending;
    n = P.npending;
    P.pending = NULL;
    P.npending = P.cappending = 0;
    pthread_mutex_unlock(&P.lock);
    flush_ids(ids, n);
}

/* ---- reading back ------------------------------------------------------- */

struct loaded {
    struct job **jobs;
    int *raw; /* the stored state of each */
    size_t n, cap;
    const GUID *only; /* one id, or NULL for all */
    int failed;
};

static int load_cb(const struct ref_store_job *r, void *ctx)
{
    struct loaded *l = ctx;
    struct job *job;
    if (l->only && !IsEqualGUID(l->only, &r->id))
        return 0;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 32;
        struct job **g = realloc(l->jobs, cap * sizeof *g);
        int *rg;
        if (g)
            l->jobs = g;
        rg = g ? realloc(l->raw, cap * sizeof *rg) : NULL;
        if (!g || !rg) {
            l->failed = 1;
            return 1;
        }
        l->raw = rg;
        l->cap = cap;
    }
    if (FAILED(job_from_record(r, &job))) {
        l->failed = 1;
        return 0; /* skip it, load the others */
    }
    l->raw[l->n] = r->state;
    l->jobs[l->n++] = job;
    return l->only ? 1 : 0;
}

static void loaded_free(struct loaded *l)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->jobs[i])
            ref_job_release(l->jobs[i]);
    free(l->jobs);
    free(l->raw);
    memset(l, 0, sizeof *l);
}

static int load(struct ref_store *s, const GUID *only, struct loaded *l)
{
    int err;
    memset(l, 0, sizeof *l);
    l->only = only;
    err = ref_store_load_jobs(s, NULL, load_cb, l);
    if (err && err != 1) {
        complain("loading jobs");
        loaded_free(l);
        return err;
    }
    return 0;
}

static int is_active(int s)
{
    return s == BG_JOB_STATE_QUEUED || s == BG_JOB_STATE_CONNECTING ||
           s == BG_JOB_STATE_TRANSFERRING;
}

/* ---- what the do layer's records share (ref_persist.h) --------------- */

struct ref_store *ref_persist_store(void)
{
    return store_get();
}

HRESULT ref_persist_store_hr(int err)
{
    return store_hr(err);
}

void ref_persist_complain(const char *what)
{
    complain(what);
}

uint64_t ref_persist_date_ticks(const char *http_date)
{
    return http_date_ticks(http_date);
}

char *ref_persist_ticks_date(uint64_t ticks)
{
    return ticks_http_date(ticks);
}

WCHAR *ref_persist_widen_ascii(const char *s)
{
    return widen_ascii(s);
}

char *ref_persist_narrow_ascii(const WCHAR *w)
{
    return narrow_ascii(w);
}

char *ref_persist_path_utf8(const WCHAR *w)
{
    return path_utf8(w);
}

/* The do layer's loader of stored downloads (do_persist.c), registered
 * before the start. */
static const struct ref_persist_downloads *downloads;

void ref_persist_use_downloads(const struct ref_persist_downloads *ops)
{
    __atomic_store_n(&downloads, ops, __ATOMIC_RELEASE);
}

/* ---- start-up, runner, other processes ---------------------------------- */

/* Publishes a loaded job (takes the caller's reference).  1 if queued. */
static int publish(struct job *job)
{
    HRESULT hr;
    int queued;
    if (P.runner)
        fix_from_disk(job);
    queued = ref_job_state(job) == BG_JOB_STATE_QUEUED;
    if (queued)
        ref_sched_resumed_locked(job); /* FIFO among the reloaded */
    seen_set(&job->id, job->modified);
    hr = ref_queue_add(job);
    if (FAILED(hr) && ref_log_on())
        fprintf(stderr, "doref: a stored job could not be queued: 0x%08X\n",
                (unsigned)hr);
    ref_job_release(job);
    return SUCCEEDED(hr) && queued;
}

/* Every live job: progress from the disk (this process became the
 * runner; the previous one may have written more). */
static void fix_all(void)
{
    for (int m = 0; m < REF_MODE_COUNT; m++) {
        struct job **all;
        ULONG n;
        if (FAILED(ref_queue_snapshot((enum ref_mode)m, 1, &all, &n)))
            continue;
        for (ULONG i = 0; i < n; i++) {
            pthread_mutex_lock(&all[i]->lock);
            if (!all[i]->run.xreq)
                fix_from_disk(all[i]);
            pthread_mutex_unlock(&all[i]->lock);
            ref_job_release(all[i]);
        }
        ref_free(all);
    }
}

/* The runner only: recorded temporary files of jobs that are gone. */
static void cleanup(struct ref_store *s)
{
    struct ref_store_cleanup r;
    if (ref_store_cleanup_temps(s, NULL, 0, &r))
        complain("cleaning up temporary files");
    else if (ref_log_on() && (r.removed || r.failed))
        fprintf(stderr, "doref: removed %u orphan temporary files\n",
                r.removed);
}

/* S31: a process that ends normally syncs what the watch thread has not
 * synced yet (an exit within 200 ms of a call would otherwise leave it to
 * the kernel's write-back). */
__attribute__((destructor)) static void persist_fini(void)
{
    struct ref_store *s = store_get();
    if (s && ref_store_flush(s))
        complain("syncing the store at exit");
}

static void *watch_main(void *arg)
{
    (void)arg;
    for (;;) {
        struct timespec ts = {0, 200 * 1000000L};
        nanosleep(&ts, NULL);
        flush_pending();
        if (store_get() && ref_store_flush(store_get()))
            complain("syncing the store");
        ref_persist_sync();
    }
    return NULL;
}

static HRESULT observe_commit(struct job *job, int state, uint64_t modified);

/* Persistence observes the job's owner (ref_job.h). */
static const struct ref_job_observer persist_observer = {
    ref_persist_transition,
    observe_commit,
    ref_persist_file_locked,
};

void ref_persist_start(void)
{
    struct ref_store *s = NULL;
    struct loaded l;
    const char *v = getenv("DOREF_PERSIST");
    int err, runner = 0, kick = 0;
    pthread_t t;

    ref_core_start(); /* before the first job is restored */
    if (store_get() || (v && *v == '0'))
        return;
    ref_job_observe(&persist_observer);
    pthread_mutex_lock(&P.sync_lock);
    if (store_get()) {
        pthread_mutex_unlock(&P.sync_lock);
        return;
    }
    err = ref_store_open(NULL, &s);
    if (err) {
        int first = !P.tried;
        pthread_mutex_lock(&P.lock);
        P.tried = 1;
        P.open_hr = store_hr(err);
        snprintf(P.msg, sizeof P.msg, "%s", ref_store_last_error());
        pthread_mutex_unlock(&P.lock);
        if (first)
            fprintf(stderr,
                    "doref: the job store cannot be used; creating jobs "
                    "fails with 0x%08X until it can: %s\n",
                    (unsigned)P.open_hr, P.msg);
        pthread_mutex_unlock(&P.sync_lock);
        return;
    }
    if ((v = getenv("DOREF_STORE_BUSY_MS")) && *v)
        ref_store_set_busy_timeout(s, atoi(v));
    /* S31: commits reach the disk within a watch round; DOREF_SYNC=full
     * syncs each as it is made */
    v = getenv("DOREF_SYNC");
    if (ref_store_set_group_sync(s, !(v && !strcmp(v, "full"))))
        complain("choosing the sync mode");
    if (ref_store_acquire_runner(s, &runner))
        runner = 0;
    P.runner = runner;
    ref_sched_set_runner(runner);
    {
        uint64_t now = ref_clock_now_ticks(), day = 86400 * TICKS_PER_SEC;
        ref_store_purge(s, REF_MODE_BITS, 0, now - 90 * day, NULL);
        ref_store_purge(s, REF_MODE_DO, 1, now - 30 * day, NULL);
    }
    if (!load(s, NULL, &l)) {
        for (size_t i = 0; i < l.n; i++) {
            kick |= publish(l.jobs[i]);
            l.jobs[i] = NULL;
        }
        loaded_free(&l);
    }
    {
        const struct ref_persist_downloads *dl =
            __atomic_load_n(&downloads, __ATOMIC_ACQUIRE);
        if (dl && dl->load(s))
            complain("loading downloads");
    }
    {
        int changed;
        ref_store_changed(s, &changed); /* the first call sets the mark */
    }
    if (runner)
        cleanup(s);
    pthread_mutex_lock(&P.lock);
    P.open_hr = S_OK;
    P.msg[0] = 0;
    pthread_mutex_unlock(&P.lock);
    __atomic_store_n(&P.store, s, __ATOMIC_RELEASE);
    if (!P.watching && pthread_create(&t, NULL, watch_main, NULL) == 0) {
        pthread_detach(t);
        P.watching = 1;
    }
    pthread_mutex_unlock(&P.sync_lock);
    if (kick)
        ref_sched_kick();
}

HRESULT ref_persist_status(const char **msg)
{
    HRESULT hr;
    pthread_mutex_lock(&P.lock);
    hr = P.open_hr;
    if (msg)
        *msg = P.msg;
    pthread_mutex_unlock(&P.lock);
    return hr;
}

int ref_persist_is_runner(void)
{
    return __atomic_load_n(&P.runner, __ATOMIC_ACQUIRE);
}

void ref_persist_sync(void)
{
    struct ref_store *s = store_get();
    struct loaded l;
    GUID *before = NULL, *ids = NULL;
    size_t nbefore = 0;
    int changed = 0, kick = 0, became = 0;

    if (!s)
        return;
    pthread_mutex_lock(&P.sync_lock);
    if (!P.runner) {
        int r = 0;
        if (!ref_store_acquire_runner(s, &r) && r) {
            __atomic_store_n(&P.runner, 1, __ATOMIC_RELEASE);
            became = 1;
        }
    }
    if (ref_store_changed(s, &changed) || (!changed && !became))
        goto out;
    /* The ids known before the walk: one of them missing from the store
     * was cancelled or completed by another process (a job created here
     * after this copy is not a candidate). */
    pthread_mutex_lock(&P.lock);
    before = malloc((P.nseen ? P.nseen : 1) * sizeof *before);
    if (before)
        for (; nbefore < P.nseen; nbefore++)
            before[nbefore] = P.seen[nbefore].id;
    pthread_mutex_unlock(&P.lock);
    if (!before || load(s, NULL, &l))
        goto out;
    ids = malloc((l.n ? l.n : 1) * sizeof *ids);
    if (!ids) {
        loaded_free(&l);
        goto out;
    }
    for (size_t i = 0; i < l.n; i++)
        ids[i] = l.jobs[i]->id;
    for (size_t i = 0; i < l.n; i++) {
        struct job *src = l.jobs[i], *live = queue_find_any(&src->id);
        uint64_t mod;
        if (!live) {
            if (seen_get(&src->id, &mod))
                continue; /* finished here a moment ago */
            kick |= publish(src);
            l.jobs[i] = NULL;
            continue;
        }
        if (!seen_get(&src->id, &mod) || mod != src->modified) {
            /* The runner runs it; elsewhere it shows the stored state. */
            int target = P.runner ? ref_job_state(src) : l.raw[i];
            pthread_mutex_lock(&live->lock);
            ref_job_adopt_locked(live, src, !live->run.xreq);
            live->pst.full = TRUE; /* the rows no longer match the record */
            pthread_mutex_unlock(&live->lock);
            seen_set(&src->id, src->modified);
            ref_job_external_state(live, target);
        }
        ref_job_release(live);
    }
    for (size_t i = 0; i < nbefore; i++) {
        int found = 0;
        struct job *live;
        for (size_t k = 0; k < l.n && !found; k++)
            found = IsEqualGUID(&ids[k], &before[i]);
        if (found || !(live = queue_find_any(&before[i])))
            continue;
        ref_job_external_removal(live);
        ref_job_release(live);
        seen_drop(&before[i]);
        if (P.runner)
            cleanup(s);
    }
    loaded_free(&l);
out:
    free(before);
    free(ids);
    if (became) {
        fix_all();
        ref_sched_set_runner(1);
        cleanup(s);
        kick = 1;
    }
    pthread_mutex_unlock(&P.sync_lock);
    if (kick)
        ref_sched_kick();
}
