/*
 * do_download.c - the download object: IDODownload and IDODownloadInternal
 * (spec/behavior.md §9-§10, docs/do-api.md, decisions DO-series).
 *
 * Owns the state machine of a download (one static const transition table
 * and one function, transition(), that makes every state change), its
 * engine requests (a small glue of its own on ref_engine: submit, cancel,
 * the three callbacks), its files (the staging file that becomes LocalPath
 * at Finalize, the temporary file of a stream or ranged request) and the
 * worker's per-download pass (do_download_pump): stream writes in order,
 * the engine's result mapped through ref_errmap (DO mode), retries with
 * back-off, the no-progress timeout, the cost/cellular policy and the
 * OnStatusChange cadence, and the deadline by which the worker must look
 * at the download again.  Property storage and checks live in
 * do_props.c; the list of downloads, the worker thread and the engine
 * reference in do_service.c.  Layer do (docs/architecture.md "Layers"):
 * the service's worker and the writer of NonVolatile downloads
 * (do_persist.c) reach a download through static const tables, so
 * neither is in an import circle with this file.
 */
#include "do_private.h"
#include "ref_network.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RETRY_MIN_MS 1000u   /* first retry after a transient failure */
#define RETRY_MAX_MS 30000u  /* back-off cap (the Linux agent's values) */
#define NPT_FOREGROUND 3600u /* no-progress default, seconds (DO-4) */
#define NPT_BACKGROUND 86400u
#define STREAM_CHUNK 65536u
/* A result held back until the stream sink has caught up is looked at
 * again this soon (normally the next pass, which a kick brings). */
#define RESULT_RECHECK_MS 10u
#define DO_ERROR_WRITE_FAULT 29L /* winerror.h: a short stream Write */

struct do_attempt {
    struct do_download *d; /* one reference */
    uint64_t gen;
    uint64_t id; /* engine request id */
};

static const IDODownloadVtbl download_vtbl;
static const IDODownloadInternalVtbl internal_vtbl;

static struct do_download *impl_from_IDODownload(IDODownload *iface)
{
    return REF_CONTAINER(iface, struct do_download, IDODownload_iface);
}

static struct do_download *
impl_from_IDODownloadInternal(IDODownloadInternal *iface)
{
    return REF_CONTAINER(iface, struct do_download, IDODownloadInternal_iface);
}

struct do_download *do_download_from_iface(IUnknown *unk)
{
    if (!unk || unk->lpVtbl != (const void *)&download_vtbl)
        return NULL;
    return impl_from_IDODownload((IDODownload *)unk);
}

/* ---- who hears of a download ------------------------------------------- */

/* The writer of NonVolatile downloads (do_persist.c), if registered. */
static const struct do_download_observer *observer;

void do_download_observe(const struct do_download_observer *ops)
{
    __atomic_store_n(&observer, ops, __ATOMIC_RELEASE);
}

static const struct do_download_observer *observer_get(void)
{
    return __atomic_load_n(&observer, __ATOMIC_ACQUIRE);
}

/* What the service's worker does with a listed download. */
static const struct do_service_items service_items = {
    .addref = do_download_addref,
    .release = do_download_release,
    .pump = do_download_pump,
};

/* ---- the state machine -------------------------------------------------- */

/* Every legal change (spec/behavior.md §9.2); docs/do-api.md renders it
 * and test_state.c iterates it. */
static const struct do_transition transitions[] = {
    {DODownloadState_Created, DODownloadState_Transferring, "Start"},
    {DODownloadState_Created, DODownloadState_Aborted, "Abort"},
    {DODownloadState_Transferring, DODownloadState_Transferred,
     "all requested bytes written (stream: and written to the stream)"},
    {DODownloadState_Transferring, DODownloadState_Paused,
     "Pause; fatal error; no progress; network-level transient error or "
     "cost/cellular policy (service retries)"},
    {DODownloadState_Transferring, DODownloadState_Aborted, "Abort"},
    {DODownloadState_Paused, DODownloadState_Transferring,
     "Start; the service's retry; policy no longer blocking"},
    {DODownloadState_Paused, DODownloadState_Aborted,
     "Abort; another download started to the same LocalPath"},
    {DODownloadState_Transferred, DODownloadState_Transferring,
     "Start with ranges (another portion)"},
    {DODownloadState_Transferred, DODownloadState_Finalized, "Finalize"},
    {DODownloadState_Transferred, DODownloadState_Aborted, "Abort (D15)"},
};

const struct do_transition *do_transitions(size_t *count)
{
    *count = sizeof transitions / sizeof transitions[0];
    return transitions;
}

static bool is_final(DODownloadState s)
{
    return s == DODownloadState_Finalized || s == DODownloadState_Aborted;
}

/* d->lock held: the one place a state changes.  Returns false (nothing
 * changed) when d is not in `from` or the table has no such row. */
static bool transition(struct do_download *d, DODownloadState from,
                       DODownloadState to)
{
    size_t i, n = sizeof transitions / sizeof transitions[0];
    if (d->state != from)
        return false;
    for (i = 0; i < n; i++)
        if (transitions[i].from == from && transitions[i].to == to)
            break;
    if (i == n)
        return false;
    d->state = to;
    if (to != DODownloadState_Paused)
        d->transient_pause = false;
    if (ref_log_on())
        fprintf(stderr, "doref: download %p %s -> %s\n", (void *)d,
                do_state_name(from), do_state_name(to));
    if (!is_final(to))
        do_note_push(d);
    if (observer_get())
        observer_get()->changed_locked(d); /* NonVolatile: the job store */
    pthread_cond_broadcast(&d->cond);
    return true;
}

/* ---- lifetime ------------------------------------------------------------ */

void do_download_addref(struct do_download *d)
{
    __atomic_add_fetch(&d->ref, 1, __ATOMIC_ACQ_REL);
}

static void remove_files(struct do_download *d)
{
    if (d->temp_path)
        unlink(d->temp_path);
    if (d->stage_path) {
        char *r;
        unlink(d->stage_path);
        if ((r = ref_alloc(strlen(d->stage_path) + 3))) {
            sprintf(r, "%s.r", d->stage_path);
            unlink(r);
            ref_free(r);
        }
    }
}

void do_download_release(struct do_download *d)
{
    struct ref_unk_box *box;
    if (__atomic_sub_fetch(&d->ref, 1, __ATOMIC_ACQ_REL) != 0)
        return;
    if (d->state != DODownloadState_Finalized)
        remove_files(d); /* never LocalPath itself */
    for (int i = 0; i < DO_PROP_COUNT; i++) {
        do_val_clear(&d->props[i], &box);
        ref_unk_box_release(box);
    }
    ref_free(d->ranges);
    ref_free(d->temp_path);
    ref_free(d->stage_path);
    ref_free(d->etag);
    ref_free(d->last_modified);
    pthread_mutex_destroy(&d->op);
    pthread_mutex_destroy(&d->lock);
    pthread_cond_destroy(&d->cond);
    ref_free(d);
    ref_object_destroyed();
}

HRESULT do_download_create(const WCHAR *owner, IDODownload **out)
{
    struct do_download *d = ref_calloc(1, sizeof *d);
    *out = NULL;
    if (!d)
        return E_OUTOFMEMORY;
    d->IDODownload_iface.lpVtbl = &download_vtbl;
    d->IDODownloadInternal_iface.lpVtbl = &internal_vtbl;
    d->ref = 1;
    pthread_mutex_init(&d->op, NULL);
    pthread_mutex_init(&d->lock, NULL);
    pthread_cond_init(&d->cond, NULL);
    ref_guid_new(&d->guid);
    StringFromGUID2(&d->guid, d->id, DO_ID_CHARS);
    memcpy(d->owner, owner, sizeof d->owner);
    d->state = DODownloadState_Created;
    d->remote_size = REF_SIZE_UNKNOWN;
    ref_object_created();
    do_service_use(&service_items);
    do_service_add(d);
    *out = &d->IDODownload_iface;
    return S_OK;
}

/* ---- small helpers --------------------------------------------------------
 */

static void set_ro_str(struct do_download *d, int id, const char *s)
{
    WCHAR *w;
    if (!s || !(w = ref_widen(s)))
        return;
    ref_free(d->props[id].s);
    d->props[id].s = w;
    d->props[id].set = true;
}

static char *dup_cstr(const char *s)
{
    char *c;
    if (!s || !*s || !(c = ref_alloc(strlen(s) + 1)))
        return NULL;
    return strcpy(c, s);
}

static uint64_t now_ms(void)
{
    return ref_clock_mono_ms();
}

/* d->lock held: the effective no-progress timeout in ms (DO-4). */
static uint64_t npt_ms(struct do_download *d)
{
    bool fg = do_prop_num(d, DODownloadProperty_ForegroundPriority, 0);
    return 1000ull * do_prop_num(d, DODownloadProperty_NoProgressTimeoutSeconds,
                                 fg ? NPT_FOREGROUND : NPT_BACKGROUND);
}

DWORD do_cost_policy_mask(ULONG policy)
{
    switch (policy) {
    case DODownloadCostPolicy_Always:
    case DODownloadCostPolicy_NoCellular: /* cellular checked apart */
        return BITS_COST_STATE_TRANSFER_ALWAYS;
    case DODownloadCostPolicy_Unrestricted:
        return BITS_COST_STATE_TRANSFER_UNRESTRICTED;
    case DODownloadCostPolicy_Standard:
        return BITS_COST_STATE_TRANSFER_STANDARD;
    case DODownloadCostPolicy_NoRoaming:
        return BITS_COST_STATE_TRANSFER_NOT_ROAMING;
    case DODownloadCostPolicy_NoSurcharge:
        return BITS_COST_STATE_TRANSFER_NO_SURCHARGE;
    default:
        return 0;
    }
}

/* d->lock held: the DO_E_BLOCKED_* code that holds the download on the
 * simulated network (ref_network.h) now, or 0 (DO-9). */
static HRESULT blocked_by(struct do_download *d)
{
    ULONG policy = (ULONG)do_prop_num(d, DODownloadProperty_CostPolicy,
                                      DODownloadCostPolicy_Always);
    int cell = ref_network_cellular();
    if (cell && do_prop_num(d, DODownloadProperty_DisallowOnCellular, 0))
        return DO_E_BLOCKED_BY_CELLULAR_POLICY;
    if (policy == DODownloadCostPolicy_NoCellular && cell)
        return DO_E_BLOCKED_BY_COST_TRANSFER_POLICY;
    if (!(do_cost_policy_mask(policy) & ref_network_cost()))
        return DO_E_BLOCKED_BY_COST_TRANSFER_POLICY;
    return 0;
}

/* SecurityFlags (WinHTTP values) → REF_SEC_* (DO-13). */
static unsigned security_of(struct do_download *d)
{
    ULONG f = (ULONG)do_prop_num(d, DODownloadProperty_SecurityFlags, 0);
    unsigned s = 0;
    if (f & 0x0001)
        s = REF_SEC_CRL_CHECK; /* revocation on: ignore-flags disregarded */
    else {
        if (f & 0x1000)
            s |= REF_SEC_IGNORE_CN;
        if (f & 0x2000)
            s |= REF_SEC_IGNORE_DATE;
        if (f & 0x0100)
            s |= REF_SEC_IGNORE_UNKNOWN_CA;
        if (f & 0x0200)
            s |= REF_SEC_IGNORE_WRONG_USAGE;
    }
    if (do_prop_num(d, DODownloadProperty_HttpAllowSecureToNonSecureRedirect,
                    0))
        s |= REF_SEC_REDIRECT_HTTPS_TO_HTTP;
    return s;
}

/* ---- engine glue ------------------------------------------------------- */

static void attempt_free(struct do_attempt *a)
{
    struct do_download *d = a->d;
    ref_free(a);
    do_download_release(d);
}

static void on_headers(void *ctx, long status, const char *headers,
                       uint64_t total)
{
    struct do_attempt *a = ctx;
    struct do_download *d = a->d;
    pthread_mutex_lock(&d->lock);
    if (a->gen == d->gen) {
        d->props[DODownloadProperty_HttpStatusCode].n = (UINT64)status;
        d->props[DODownloadProperty_HttpStatusCode].set = true;
        set_ro_str(d, DODownloadProperty_HttpResponseHeaders, headers);
        if (total != REF_SIZE_UNKNOWN)
            d->bytes_total = total;
    }
    pthread_mutex_unlock(&d->lock);
}

static void on_progress(void *ctx, uint64_t bytes, uint64_t total)
{
    struct do_attempt *a = ctx;
    struct do_download *d = a->d;
    pthread_mutex_lock(&d->lock);
    if (a->gen == d->gen) {
        d->resume = bytes;
        if (bytes > d->bytes_done) {
            d->progress_ms = now_ms();
            if (d->retries) { /* bytes flow again: the retry worked */
                d->error = d->ext_error = S_OK;
                d->retries = 0;
            }
        }
        d->bytes_done = bytes;
        if (total != REF_SIZE_UNKNOWN)
            d->bytes_total = total;
        do_service_kick();
    }
    pthread_mutex_unlock(&d->lock);
}

static void on_done(void *ctx, const struct ref_xfer_result *res)
{
    struct do_attempt *a = ctx;
    struct do_download *d = a->d;
    pthread_mutex_lock(&d->lock);
    if (d->att == a)
        d->att = NULL;
    if (a->gen == d->gen) {
        d->resume = res->bytes;
        if (res->remote_size != REF_SIZE_UNKNOWN)
            d->remote_size = res->remote_size;
        ref_free(d->etag);
        ref_free(d->last_modified);
        d->etag = dup_cstr(res->etag);
        d->last_modified = dup_cstr(res->last_modified);
        d->result.kind = res->kind;
        d->result.code = res->code;
        d->result.bytes = res->bytes;
        d->result.total = res->total;
        d->result.remote_size = res->remote_size;
        d->result.content_changed = res->content_changed;
        d->result.http_status = res->http_status;
        if (res->http_status) {
            d->props[DODownloadProperty_HttpStatusCode].n =
                (UINT64)res->http_status;
            d->props[DODownloadProperty_HttpStatusCode].set = true;
        }
        if (res->headers && *res->headers)
            set_ro_str(d, DODownloadProperty_HttpResponseHeaders, res->headers);
        if (res->server_ip && *res->server_ip)
            set_ro_str(d, DODownloadProperty_HttpServerIPAddress,
                       res->server_ip);
        if (res->effective_url) {
            char *u = do_prop_utf8(d, DODownloadProperty_Uri);
            if (!u || strcmp(u, res->effective_url) != 0)
                set_ro_str(d, DODownloadProperty_HttpRedirectionTarget,
                           res->effective_url);
            ref_free(u);
        }
        d->have_result = true;
        do_service_kick();
    }
    pthread_mutex_unlock(&d->lock);
    attempt_free(a);
}

static const struct ref_xfer_ops xfer_ops = {on_headers, on_progress, on_done};

/* Joins two optional header blocks with CRLF; ref_alloc'd or NULL. */
static char *join_headers(char *a, char *b)
{
    char *r;
    if (!a)
        return b;
    if (!b)
        return a;
    if ((r = ref_alloc(strlen(a) + strlen(b) + 3)))
        sprintf(r, "%s\r\n%s", a, b);
    ref_free(a);
    ref_free(b);
    return r;
}

/* d->op and d->lock held, no request in flight: submits the current
 * request.  S_OK or E_OUTOFMEMORY / E_FAIL (engine cannot start). */
static HRESULT submit(struct do_download *d)
{
    struct ref_request req;
    struct do_attempt *a;
    ref_engine *e;
    char *url, *hdr;
    uint64_t known;
    HRESULT hr;
    bool oom;
    int rc;

    if (FAILED(hr = do_service_engine(&e)))
        return hr;
    memset(&req, 0, sizeof req);
    if (!(a = ref_calloc(1, sizeof *a)))
        return E_OUTOFMEMORY;
    url = do_prop_utf8(d, DODownloadProperty_Uri);
    hdr = do_prop_utf8(d, DODownloadProperty_HttpCustomHeaders);
    oom = !url || (!hdr && d->props[DODownloadProperty_HttpCustomHeaders].set);
    if (d->auth_sent && !oom) { /* the auth headers are set: auth_sent */
        char *auth = do_prop_utf8(d, DODownloadProperty_HttpCustomAuthHeaders);
        if (!auth)
            oom = true;
        else if (!(hdr = join_headers(hdr, auth)))
            oom = true;
    }
    known = d->remote_size;
    if (known == REF_SIZE_UNKNOWN &&
        d->props[DODownloadProperty_TotalSizeBytes].set)
        known = d->props[DODownloadProperty_TotalSizeBytes].n;
    req.url = url;
    req.temp_path = d->temp_path;
    req.resume = d->resume;
    req.known_size = known;
    req.ranges = d->ranges;
    req.nranges = d->nranges;
    req.etag = d->etag;
    req.last_modified = d->last_modified;
    req.headers = hdr;
    req.proxy_usage = REF_PROXY_PRECONFIG;
    req.security = security_of(d);
    req.max_size = REF_SIZE_UNKNOWN;
    req.prio = do_prop_num(d, DODownloadProperty_ForegroundPriority, 0)
                   ? REF_PRIO_FOREGROUND
                   : REF_PRIO_NORMAL;
    req.http = REF_HTTP_AUTO;
    req.ops = &xfer_ops;
    req.ctx = a;
    a->d = d;
    a->gen = ++d->gen;
    do_download_addref(d);
    rc = oom ? -ENOMEM : ref_engine_submit(e, &req, &a->id);
    ref_free(url);
    ref_free(hdr);
    if (rc != 0) {
        d->gen++;
        ref_free(a);
        do_download_release(d); /* never the last: the caller holds one */
        return rc == -ENOMEM ? E_OUTOFMEMORY : E_FAIL;
    }
    d->att = a;
    return S_OK;
}

/* d->op held, d->lock NOT held: stops the request in flight (if any);
 * afterwards no engine callback of it runs. */
static void cancel_active(struct do_download *d)
{
    struct do_attempt *a;
    ref_engine *e;
    uint64_t id, bytes = 0;
    pthread_mutex_lock(&d->lock);
    a = d->att;
    d->att = NULL;
    d->gen++; /* late events of the request are ignored */
    id = a ? a->id : 0;
    pthread_mutex_unlock(&d->lock);
    if (!a)
        return;
    do_service_engine(&e); /* exists: a request was submitted to it */
    if (ref_engine_cancel(e, id, &bytes) == REF_CANCEL_DONE) {
        pthread_mutex_lock(&d->lock);
        d->resume = bytes; /* Pause keeps the partial data */
        pthread_mutex_unlock(&d->lock);
        attempt_free(a);
    }
}

/* d->lock held: a failure stops the download in Paused (DO-2). */
static void stop_fatal(struct do_download *d, HRESULT error, HRESULT ext)
{
    d->retry_at = 0;
    d->error = error;
    d->ext_error = ext;
    if (!transition(d, DODownloadState_Transferring, DODownloadState_Paused)) {
        d->transient_pause = false;
        do_note_push(d); /* already Paused: Error changed */
    }
    d->transient_pause = false;
}

/* A transport failure that means "no network / server unreachable": the
 * download waits in Paused with Error S_OK (DO-2). */
static bool network_level(enum ref_err_kind kind, int code)
{
    return kind == REF_ERR_CURL && (code == CURLE_COULDNT_CONNECT ||
                                    code == CURLE_COULDNT_RESOLVE_HOST ||
                                    code == CURLE_COULDNT_RESOLVE_PROXY);
}

/* d->op and d->lock held, state Transferring, no request in flight: the
 * engine reported a failure. */
static void handle_failure(struct do_download *d)
{
    struct ref_errmap_entry e;
    uint64_t delay;

    if (d->result.kind == REF_ERR_HTTP && d->result.code == 401 &&
        d->props[DODownloadProperty_HttpCustomAuthHeaders].set &&
        !d->auth_sent) {
        d->auth_sent = true; /* the challenge: send the auth headers (DO-11) */
        if (SUCCEEDED(submit(d)))
            return;
    }
    ref_errmap_lookup(d->result.kind, d->result.code, true, &e);
    if (!e.transient) {
        stop_fatal(d, e.hr, S_OK);
        return;
    }
    delay =
        d->retries >= 5 ? RETRY_MAX_MS : (uint64_t)RETRY_MIN_MS << d->retries;
    if (delay > RETRY_MAX_MS)
        delay = RETRY_MAX_MS;
    d->retries++;
    d->retry_at = now_ms() + delay;
    if (network_level(d->result.kind, d->result.code)) {
        d->error = S_OK;
        d->ext_error = e.hr;
        transition(d, DODownloadState_Transferring, DODownloadState_Paused);
        d->transient_pause = true;
    } else {
        d->error = e.hr;
        d->ext_error = e.hr;
        do_note_push(d); /* stays Transferring; Error changed */
    }
}

/* ---- files -----------------------------------------------------------------
 */

static HRESULT hr_from_mkdir_errno(int err)
{
    if (err == EACCES || err == EPERM || err == EROFS)
        return E_ACCESSDENIED;
    return HRESULT_FROM_WIN32(ERROR_INVALID_NAME);
}

/* Creates the directories of path (each missing level, mode 0777 minus
 * umask: the caller's rights).  S_OK, E_ACCESSDENIED or
 * HRESULT_FROM_WIN32(ERROR_INVALID_NAME). */
static HRESULT make_dirs(char *path)
{
    char deny[512];
    char *slash = strrchr(path, '/');
    struct stat st;
    HRESULT hr = S_OK;

    if (!slash || slash == path)
        return S_OK;
    *slash = '\0';
    if (ref_policy_deny_write_prefix(deny, sizeof deny) &&
        strncmp(path, deny, strlen(deny)) == 0) {
        hr = E_ACCESSDENIED;
    } else if (stat(path, &st) != 0) {
        if (errno != ENOENT)
            hr = hr_from_mkdir_errno(errno);
        else if (SUCCEEDED(hr = make_dirs(path)) && mkdir(path, 0777) != 0 &&
                 errno != EEXIST)
            hr = hr_from_mkdir_errno(errno);
    } else if (!S_ISDIR(st.st_mode)) {
        hr = HRESULT_FROM_WIN32(ERROR_INVALID_NAME);
    } else if (access(path, W_OK) != 0) {
        hr = E_ACCESSDENIED;
    }
    *slash = '/';
    return hr;
}

/* d->lock held: sets up the sink's files for a request (ranged or not).
 * LocalPath: the staging file "<dir>/.<name>.<id>.do" (whole file) and
 * "<staging>.r" (a ranged request).  Stream: "$TMPDIR/doref-<id>.tmp". */
static HRESULT prepare_files(struct do_download *d, bool ranged)
{
    char *local = do_prop_utf8(d, DODownloadProperty_LocalPath), *p;
    char hex[9];
    HRESULT hr;

    snprintf(hex, sizeof hex, "%08X", (unsigned)d->guid.Data1);
    if (local) {
        if (!d->stage_path) {
            char *slash;
            if (FAILED(hr = make_dirs(local))) {
                ref_free(local);
                return hr;
            }
            slash = strrchr(local, '/');
            if (!(p = ref_alloc(strlen(local) + 32))) {
                ref_free(local);
                return E_OUTOFMEMORY;
            }
            *slash = '\0';
            sprintf(p, "%s/.%s.%s.do", local, slash + 1, hex);
            d->stage_path = p;
        }
        ref_free(local);
        if (!(p = ref_alloc(strlen(d->stage_path) + 3)))
            return E_OUTOFMEMORY;
        sprintf(p, ranged ? "%s.r" : "%s", d->stage_path);
    } else {
        const char *tmp = getenv("TMPDIR");
        if (!tmp || !*tmp)
            tmp = "/tmp";
        if (!(p = ref_alloc(strlen(tmp) + 64)))
            return E_OUTOFMEMORY;
        sprintf(p, "%s/doref-%d-%s%04X.tmp", tmp, (int)getpid(), hex,
                (unsigned)d->guid.Data2);
    }
    ref_free(d->temp_path);
    d->temp_path = p;
    return S_OK;
}

static HRESULT hr_from_errno(int err)
{
    switch (err) {
    case EACCES:
    case EPERM:
    case EROFS:
        return E_ACCESSDENIED;
    case ENOSPC:
    case EDQUOT:
        return HRESULT_FROM_WIN32(ERROR_DISK_FULL);
    case ENOENT:
    case ENOTDIR:
        return HRESULT_FROM_WIN32(ERROR_PATH_NOT_FOUND);
    default:
        return E_FAIL;
    }
}

/* No lock held (d->op held): copies each range of the ranged request's
 * file (ranges back to back) to its offset in the staging file (DO-5).
 * The staging file gets the remote size when known. */
static HRESULT place_ranges(const char *from, const char *to,
                            const struct ref_range *r, size_t n,
                            uint64_t remote)
{
    int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT, 0666);
    uint64_t src = 0;
    HRESULT hr = S_OK;
    char *buf = ref_alloc(STREAM_CHUNK);

    if (in < 0 || out < 0 || !buf) {
        hr = buf ? hr_from_errno(errno) : E_OUTOFMEMORY;
        goto out;
    }
    for (size_t i = 0; i < n && SUCCEEDED(hr); i++) {
        uint64_t len = r[i].length, done = 0;
        if (len == REF_LENGTH_TO_EOF)
            len = remote == REF_SIZE_UNKNOWN ? 0 : remote - r[i].offset;
        while (done < len) {
            size_t k = len - done < STREAM_CHUNK ? len - done : STREAM_CHUNK;
            ssize_t got = pread(in, buf, k, (off_t)(src + done));
            if (got <= 0 ||
                pwrite(out, buf, got, (off_t)(r[i].offset + done)) != got) {
                hr = got < 0 ? hr_from_errno(errno) : E_FAIL;
                break;
            }
            done += (uint64_t)got;
        }
        src += len;
    }
    if (SUCCEEDED(hr) && remote != REF_SIZE_UNKNOWN) {
        struct stat st;
        if (fstat(out, &st) == 0 && (uint64_t)st.st_size < remote &&
            ftruncate(out, (off_t)remote) != 0)
            hr = hr_from_errno(errno);
    }
out:
    if (in >= 0)
        close(in);
    if (out >= 0)
        close(out);
    ref_free(buf);
    if (SUCCEEDED(hr))
        unlink(from);
    return hr;
}

/* ---- IUnknown ----------------------------------------------------------- */

static HRESULT download_query(struct do_download *d, REFIID riid, void **ppv)
{
    if (!ppv)
        return E_POINTER;
    *ppv = NULL;
    if (!riid)
        return E_INVALIDARG; /* R36 */
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IDODownload))
        *ppv = &d->IDODownload_iface;
    else if (IsEqualGUID(riid, &IID_IDODownloadInternal))
        *ppv = &d->IDODownloadInternal_iface;
    else
        return E_NOINTERFACE;
    do_download_addref(d);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE dl_QueryInterface(IDODownload *iface,
                                                   REFIID riid, void **ppv)
{
    return download_query(impl_from_IDODownload(iface), riid, ppv);
}

static ULONG STDMETHODCALLTYPE dl_AddRef(IDODownload *iface)
{
    struct do_download *d = impl_from_IDODownload(iface);
    return (ULONG)__atomic_add_fetch(&d->ref, 1, __ATOMIC_ACQ_REL);
}

static ULONG STDMETHODCALLTYPE dl_Release(IDODownload *iface)
{
    struct do_download *d = impl_from_IDODownload(iface);
    LONG ref = __atomic_load_n(&d->ref, __ATOMIC_ACQUIRE) - 1;
    do_download_release(d);
    return (ULONG)ref;
}

/* ---- Start ----------------------------------------------------------------
 */

/* Same LocalPath as a live download (spec §9.8, decisions DO-5): a Paused
 * one is aborted; a Transferring or Transferred one refuses the Start. */
static HRESULT claim_path(struct do_download *d)
{
    struct do_download **all;
    WCHAR *mine;
    ULONG n;
    HRESULT hr = S_OK;

    pthread_mutex_lock(&d->lock);
    mine = d->state == DODownloadState_Created &&
                   d->props[DODownloadProperty_LocalPath].set
               ? ref_wcsdup(d->props[DODownloadProperty_LocalPath].s)
               : NULL;
    pthread_mutex_unlock(&d->lock);
    if (!mine)
        return S_OK;
    if (FAILED(do_service_snapshot(NULL, &all, &n))) {
        ref_free(mine);
        return E_OUTOFMEMORY;
    }
    for (ULONG i = 0; i < n; i++) {
        struct do_download *o = all[i];
        DODownloadState st;
        bool same;
        if (o == d)
            continue;
        pthread_mutex_lock(&o->lock);
        st = o->state;
        same = o->props[DODownloadProperty_LocalPath].set &&
               ref_wcscmp(o->props[DODownloadProperty_LocalPath].s, mine) == 0;
        pthread_mutex_unlock(&o->lock);
        if (!same || st == DODownloadState_Created)
            continue;
        if (st == DODownloadState_Paused)
            o->IDODownload_iface.lpVtbl->Abort(&o->IDODownload_iface);
        else if (st == DODownloadState_Transferring ||
                 st == DODownloadState_Transferred)
            hr = HRESULT_FROM_WIN32(ERROR_SHARING_VIOLATION);
    }
    for (ULONG i = 0; i < n; i++)
        do_download_release(all[i]);
    ref_free(all);
    ref_free(mine);
    return hr;
}

/* d->lock held: the Start pre-conditions (spec §9.4). */
static HRESULT start_checks(struct do_download *d)
{
    if (!d->props[DODownloadProperty_Uri].set)
        return DO_E_DOWNLOAD_NO_URI; /* also with only a ContentId: DO-3 */
    if (!d->props[DODownloadProperty_LocalPath].set &&
        !d->props[DODownloadProperty_StreamInterface].set)
        return DO_E_FILE_DOWNLOADSINK_UNSPECIFIED;
    if (do_prop_num(d, DODownloadProperty_IntegrityCheckMandatory, 0) &&
        !d->props[DODownloadProperty_IntegrityCheckInfo].set)
        return DO_E_INTEGRITYCHECKINFO_UNSPECIFIED; /* DO-10 */
    return S_OK;
}

/* d->lock held: a range list checked against the known size. */
static HRESULT ranges_fit(struct do_download *d, const struct ref_range *r,
                          size_t n)
{
    uint64_t size = d->remote_size;
    if (size == REF_SIZE_UNKNOWN &&
        d->props[DODownloadProperty_TotalSizeBytes].set)
        size = d->props[DODownloadProperty_TotalSizeBytes].n;
    if (size == REF_SIZE_UNKNOWN)
        return S_OK;
    for (size_t i = 0; i < n; i++)
        if (r[i].offset >= size || (r[i].length != REF_LENGTH_TO_EOF &&
                                    r[i].length > size - r[i].offset))
            return DO_E_INVALID_RANGE;
    return S_OK;
}

/* Waits (BlockingMode) until the download stopped moving. */
static HRESULT wait_blocking(struct do_download *d)
{
    HRESULT hr = S_OK;
    pthread_mutex_lock(&d->lock);
    while (d->state == DODownloadState_Transferring ||
           (d->state == DODownloadState_Paused && d->transient_pause))
        pthread_cond_wait(&d->cond, &d->lock);
    if (d->state == DODownloadState_Paused && FAILED(d->error))
        hr = d->error;
    pthread_mutex_unlock(&d->lock);
    return hr;
}

static HRESULT STDMETHODCALLTYPE dl_Start(IDODownload *iface,
                                          const DO_DOWNLOAD_RANGES_INFO *ri)
{
    struct do_download *d = impl_from_IDODownload(iface);
    struct ref_range *rr = NULL;
    size_t nr = 0;
    bool blocking;
    HRESULT hr;

    if (ri && ri->RangeCount) {
        hr = ref_check_ranges(REF_MODE_DO, (const BG_FILE_RANGE *)ri->Ranges,
                              ri->RangeCount, BG_SIZE_UNKNOWN);
        if (FAILED(hr))
            return hr;
        nr = ri->RangeCount;
        if (!(rr = ref_calloc(nr, sizeof *rr)))
            return E_OUTOFMEMORY;
        for (size_t i = 0; i < nr; i++) {
            rr[i].offset = ri->Ranges[i].Offset;
            rr[i].length = ri->Ranges[i].Length;
        }
    }
    if (FAILED(hr = claim_path(d))) {
        ref_free(rr);
        return hr;
    }
    pthread_mutex_lock(&d->op);
    pthread_mutex_lock(&d->lock);
    switch (d->state) {
    case DODownloadState_Finalized:
    case DODownloadState_Aborted:
        hr = DO_E_INVALID_STATE;
        goto out;
    case DODownloadState_Transferring:
        goto out; /* no-op */
    case DODownloadState_Transferred:
        if (!rr)
            goto out; /* no-op without new ranges */
        break;
    default:
        break;
    }
    if (FAILED(hr = start_checks(d)) ||
        (rr && FAILED(hr = ranges_fit(d, rr, nr))))
        goto out;
    if (rr || d->state != DODownloadState_Paused) {
        /* a new request: the whole file (Created) or these ranges */
        if (FAILED(hr = prepare_files(d, rr != NULL)))
            goto out;
        unlink(d->temp_path); /* a new request starts empty */
        ref_free(d->ranges);
        d->ranges = rr;
        d->nranges = nr;
        rr = NULL;
        d->resume = 0;
        d->streamed = 0;
        d->bytes_done = 0;
        d->bytes_total = 0;
        if (!d->ranges) {
            if (d->remote_size != REF_SIZE_UNKNOWN)
                d->bytes_total = d->remote_size;
            else if (d->props[DODownloadProperty_TotalSizeBytes].set)
                d->bytes_total = d->props[DODownloadProperty_TotalSizeBytes].n;
        } else {
            UINT64 sum = 0;
            for (size_t i = 0; i < d->nranges && sum != REF_SIZE_UNKNOWN; i++)
                sum = d->ranges[i].length == REF_LENGTH_TO_EOF
                          ? REF_SIZE_UNKNOWN
                          : sum + d->ranges[i].length;
            d->bytes_total = sum == REF_SIZE_UNKNOWN ? 0 : sum;
        }
    }
    /* submit first: out of memory leaves the state as it was (R32); the
     * engine's callbacks wait for d->lock, so they see Transferring */
    d->blocked = blocked_by(d);
    if (!d->blocked && FAILED(hr = submit(d)))
        goto out;
    d->error = d->ext_error = S_OK;
    d->retries = 0;
    d->retry_at = 0;
    d->have_result = false;
    d->progress_ms = d->cb_last_ms = now_ms();
    d->cb_last_bytes = d->bytes_done;
    transition(d, d->state, DODownloadState_Transferring);
    if (d->blocked) {
        d->ext_error = d->blocked;
        transition(d, DODownloadState_Transferring, DODownloadState_Paused);
        d->transient_pause = true;
    }
out:
    blocking = SUCCEEDED(hr) && !do_service_on_worker() &&
               do_prop_num(d, DODownloadProperty_BlockingMode, 0);
    pthread_mutex_unlock(&d->lock);
    pthread_mutex_unlock(&d->op);
    ref_free(rr);
    if (blocking)
        hr = wait_blocking(d); /* DO-14 */
    return hr;
}

/* ---- Pause / Abort / Finalize -------------------------------------------- */

static HRESULT STDMETHODCALLTYPE dl_Pause(IDODownload *iface)
{
    struct do_download *d = impl_from_IDODownload(iface);
    HRESULT hr = S_OK;
    bool cancel = false;

    pthread_mutex_lock(&d->op);
    pthread_mutex_lock(&d->lock);
    switch (d->state) {
    case DODownloadState_Finalized:
    case DODownloadState_Aborted:
        hr = DO_E_INVALID_STATE;
        break;
    case DODownloadState_Transferring:
        d->error = d->ext_error = S_OK;
        d->retry_at = 0;
        d->have_result = false;
        transition(d, DODownloadState_Transferring, DODownloadState_Paused);
        cancel = true;
        break;
    case DODownloadState_Paused:
        if (d->transient_pause) { /* the caller takes over: no more retries */
            d->transient_pause = false;
            d->retry_at = 0;
            d->blocked = 0;
            d->ext_error = S_OK;
            do_note_push(d);
        }
        break;
    default:
        break; /* Created, Transferred: no-op */
    }
    pthread_mutex_unlock(&d->lock);
    if (cancel)
        cancel_active(d);
    pthread_mutex_unlock(&d->op);
    return hr;
}

/* After a final transition: no callback of d runs when this returns
 * (unless called from that callback), and d leaves the service list. */
static void quiesce(struct do_download *d)
{
    pthread_mutex_lock(&d->lock);
    d->nnotes = 0;
    if (!do_service_on_worker())
        while (d->in_callback)
            pthread_cond_wait(&d->cond, &d->lock);
    pthread_mutex_unlock(&d->lock);
    do_service_remove(d);
}

static HRESULT STDMETHODCALLTYPE dl_Abort(IDODownload *iface)
{
    struct do_download *d = impl_from_IDODownload(iface);
    HRESULT hr = S_OK;
    bool done = false;

    pthread_mutex_lock(&d->op);
    pthread_mutex_lock(&d->lock);
    if (d->state == DODownloadState_Finalized)
        hr = DO_E_INVALID_STATE;
    else if (d->state != DODownloadState_Aborted) {
        d->retry_at = 0;
        d->have_result = false;
        transition(d, d->state, DODownloadState_Aborted);
        done = true;
    }
    pthread_mutex_unlock(&d->lock);
    if (done) {
        cancel_active(d);
        remove_files(d); /* only the files the download made (DO-5) */
    }
    pthread_mutex_unlock(&d->op);
    if (done)
        quiesce(d);
    return hr;
}

static HRESULT STDMETHODCALLTYPE dl_Finalize(IDODownload *iface)
{
    struct do_download *d = impl_from_IDODownload(iface);
    HRESULT hr = S_OK;
    bool done = false;
    char *local = NULL;

    pthread_mutex_lock(&d->op);
    pthread_mutex_lock(&d->lock);
    if (d->state == DODownloadState_Finalized)
        goto out; /* no-op */
    if (d->state != DODownloadState_Transferred) {
        hr = DO_E_INVALID_STATE;
        goto out;
    }
    local = do_prop_utf8(d, DODownloadProperty_LocalPath);
    if (local) {
        if (rename(d->stage_path, local) != 0) {
            hr = hr_from_errno(errno); /* state unchanged */
            goto out;
        }
    } else if (d->temp_path) {
        unlink(d->temp_path);
    }
    transition(d, DODownloadState_Transferred, DODownloadState_Finalized);
    done = true;
out:
    pthread_mutex_unlock(&d->lock);
    pthread_mutex_unlock(&d->op);
    ref_free(local);
    if (done)
        quiesce(d);
    return hr;
}

static HRESULT STDMETHODCALLTYPE dl_GetStatus(IDODownload *iface,
                                              DO_DOWNLOAD_STATUS *status)
{
    struct do_download *d = impl_from_IDODownload(iface);
    if (!status)
        return E_INVALIDARG; /* R1 */
    memset(status, 0, sizeof *status);
    pthread_mutex_lock(&d->lock);
    status->BytesTotal = d->bytes_total;
    status->BytesTransferred = d->bytes_done;
    status->State = d->state;
    status->Error = d->error;
    status->ExtendedError = d->ext_error;
    pthread_mutex_unlock(&d->lock);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE dl_GetProperty(IDODownload *iface,
                                                DODownloadProperty propId,
                                                VARIANT *propVal)
{
    return do_props_get(impl_from_IDODownload(iface), (int)propId, propVal);
}

static HRESULT STDMETHODCALLTYPE dl_SetProperty(IDODownload *iface,
                                                DODownloadProperty propId,
                                                const VARIANT *propVal)
{
    struct do_download *d = impl_from_IDODownload(iface);
    HRESULT hr = do_props_set(d, (int)propId, propVal);
    if (SUCCEEDED(hr)) { /* NonVolatile: the job store (S20) */
        pthread_mutex_lock(&d->lock);
        hr = observer_get() ? observer_get()->changed_locked(d) : S_OK;
        pthread_mutex_unlock(&d->lock);
    }
    return hr;
}

static const IDODownloadVtbl download_vtbl = {
    /* IUnknown */
    dl_QueryInterface,
    dl_AddRef,
    dl_Release,
    /* IDODownload */
    dl_Start,
    dl_Pause,
    dl_Abort,
    dl_Finalize,
    dl_GetStatus,
    dl_GetProperty,
    dl_SetProperty,
};
_Static_assert(sizeof download_vtbl == 10 * sizeof(void *),
               "IDODownload vtable has 10 slots");

/* ---- IDODownloadInternal (decisions C1, DO-15) --------------------------- */

/* DODownloadPropertyEx → DODownloadProperty, or -1 (reserved/unknown). */
static int prop_from_ex(DODownloadPropertyEx id)
{
    switch (id) {
    case DODownloadPropertyEx_CorrelationVector:
        return DODownloadProperty_CorrelationVector;
    case DODownloadPropertyEx_IntegrityCheckInfo:
        return DODownloadProperty_IntegrityCheckInfo;
    case DODownloadPropertyEx_IntegrityCheckMandatory:
        return DODownloadProperty_IntegrityCheckMandatory;
    default:
        return -1;
    }
}

static HRESULT STDMETHODCALLTYPE in_QueryInterface(IDODownloadInternal *iface,
                                                   REFIID riid, void **ppv)
{
    return download_query(impl_from_IDODownloadInternal(iface), riid, ppv);
}

static ULONG STDMETHODCALLTYPE in_AddRef(IDODownloadInternal *iface)
{
    return dl_AddRef(&impl_from_IDODownloadInternal(iface)->IDODownload_iface);
}

static ULONG STDMETHODCALLTYPE in_Release(IDODownloadInternal *iface)
{
    return dl_Release(&impl_from_IDODownloadInternal(iface)->IDODownload_iface);
}

static HRESULT STDMETHODCALLTYPE in_GetPropertyEx(IDODownloadInternal *iface,
                                                  DODownloadPropertyEx propId,
                                                  VARIANT *propVal)
{
    int id = prop_from_ex(propId);
    if (id < 0) {
        if (propVal)
            VariantInit(propVal);
        return DO_E_UNKNOWN_PROPERTY_ID;
    }
    return do_props_get(impl_from_IDODownloadInternal(iface), id, propVal);
}

static HRESULT STDMETHODCALLTYPE in_SetPropertyEx(IDODownloadInternal *iface,
                                                  DODownloadPropertyEx propId,
                                                  VARIANT *propVal)
{
    int id = prop_from_ex(propId);
    if (id < 0)
        return DO_E_UNKNOWN_PROPERTY_ID;
    return do_props_set(impl_from_IDODownloadInternal(iface), id, propVal);
}

static const IDODownloadInternalVtbl internal_vtbl = {
    /* IUnknown */
    in_QueryInterface,
    in_AddRef,
    in_Release,
    /* IDODownloadInternal */
    in_GetPropertyEx,
    in_SetPropertyEx,
};
_Static_assert(sizeof internal_vtbl == 5 * sizeof(void *),
               "IDODownloadInternal vtable has 5 slots");

/* ---- the worker's pass ----------------------------------------------------
 */

/* No lock held (worker only): writes the bytes the engine has made valid
 * since the last pass to the stream sink, in order.  A failing Write is
 * recorded as the download's sink error. */
static HRESULT flush_stream(struct do_download *d)
{
    char *buf = NULL;
    HRESULT hr = S_OK;
    for (;;) {
        struct ref_unk_box *box;
        uint64_t from, valid;
        char *path;
        int fd;
        ssize_t got = -1;
        ULONG written = 0;
        ISequentialStream *s;

        pthread_mutex_lock(&d->lock);
        box = d->props[DODownloadProperty_StreamInterface].box;
        from = d->streamed;
        valid = d->resume;
        path = d->temp_path ? dup_cstr(d->temp_path) : NULL;
        if (!box || from >= valid || d->state != DODownloadState_Transferring ||
            !path) {
            pthread_mutex_unlock(&d->lock);
            ref_free(path);
            break;
        }
        ref_unk_box_addref(box);
        pthread_mutex_unlock(&d->lock);
        if (!buf && !(buf = ref_alloc(STREAM_CHUNK))) {
            hr = E_OUTOFMEMORY;
        } else if ((fd = open(path, O_RDONLY)) < 0) {
            hr = hr_from_errno(errno);
        } else {
            size_t k =
                valid - from < STREAM_CHUNK ? valid - from : STREAM_CHUNK;
            got = pread(fd, buf, k, (off_t)from);
            close(fd);
            if (got <= 0) {
                hr = got < 0 ? hr_from_errno(errno) : S_OK;
            } else {
                /* IStream and ISequentialStream share slot 4 (Write) */
                s = (ISequentialStream *)box->punk;
                hr = s->lpVtbl->Write(s, buf, (ULONG)got, &written);
                if (SUCCEEDED(hr) && written != (ULONG)got)
                    hr = HRESULT_FROM_WIN32(DO_ERROR_WRITE_FAULT);
                if (SUCCEEDED(hr)) {
                    pthread_mutex_lock(&d->lock);
                    if (d->streamed == from)
                        d->streamed = from + (uint64_t)got;
                    pthread_mutex_unlock(&d->lock);
                }
            }
        }
        ref_free(path);
        ref_unk_box_release(box);
        if (FAILED(hr) || got == 0)
            break;
    }
    ref_free(buf);
    return hr;
}

/* No lock held: OnStatusChange for each queued snapshot, in order, with
 * no lock held during the call; nothing once the download is final. */
static void deliver(struct do_download *d)
{
    for (;;) {
        struct ref_unk_box *box;
        DO_DOWNLOAD_STATUS st;
        IDODownloadStatusCallback *cb;

        pthread_mutex_lock(&d->lock);
        box = d->props[DODownloadProperty_CallbackInterface].box;
        if (!d->nnotes || is_final(d->state) || !box) {
            d->nnotes = 0;
            pthread_mutex_unlock(&d->lock);
            return;
        }
        st = d->notes[0];
        memmove(d->notes, d->notes + 1, --d->nnotes * sizeof d->notes[0]);
        d->in_callback = true;
        d->calling = box;
        ref_unk_box_addref(box);
        pthread_mutex_unlock(&d->lock);

        cb = (IDODownloadStatusCallback *)box->punk;
        cb->lpVtbl->OnStatusChange(cb, &d->IDODownload_iface, &st);

        pthread_mutex_lock(&d->lock);
        d->in_callback = false;
        d->calling = NULL;
        pthread_cond_broadcast(&d->cond);
        pthread_mutex_unlock(&d->lock);
        ref_unk_box_release(box);
    }
}

/* d->op and d->lock held: the engine's result of the request. */
static void handle_result(struct do_download *d)
{
    char *from, *to;
    struct ref_range *r;
    size_t n;
    uint64_t remote;
    HRESULT hr;

    if (d->result.kind != REF_ERR_NONE) {
        handle_failure(d);
        return;
    }
    if (d->props[DODownloadProperty_StreamInterface].set &&
        d->streamed < d->result.bytes) {
        d->have_result = true; /* finish writing the stream first */
        return;
    }
    if (d->ranges && d->stage_path) {
        /* pieces to their offsets: file I/O without the lock */
        from = dup_cstr(d->temp_path);
        to = dup_cstr(d->stage_path);
        n = d->nranges;
        r = ref_calloc(n, sizeof *r);
        remote = d->remote_size;
        if (r)
            memcpy(r, d->ranges, n * sizeof *r);
        pthread_mutex_unlock(&d->lock);
        hr = from && to && r ? place_ranges(from, to, r, n, remote)
                             : E_OUTOFMEMORY;
        pthread_mutex_lock(&d->lock);
        ref_free(from);
        ref_free(to);
        ref_free(r);
        if (d->state != DODownloadState_Transferring)
            return;
        if (FAILED(hr)) {
            stop_fatal(d, hr, S_OK);
            return;
        }
    }
    d->bytes_done = d->result.bytes;
    d->bytes_total = d->result.bytes;
    d->error = d->ext_error = S_OK;
    d->retries = 0;
    transition(d, DODownloadState_Transferring, DODownloadState_Transferred);
}

/* Percent bucket of bytes (CallbackFreqPercent mode). */
static UINT64 bucket(UINT64 bytes, UINT64 total, UINT64 pct)
{
    if (!total || !pct)
        return 0;
    return (bytes * 100 / total) / pct;
}

/* The CallbackFreqSeconds period in ms (DO-7). */
static uint64_t cb_period_ms(struct do_download *d)
{
    return 1000ull * do_prop_num(d, DODownloadProperty_CallbackFreqSeconds, 1);
}

/* d->lock held: whether d's policies can block it on the simulated
 * network (a CostPolicy other than Always, or DisallowOnCellular). */
static bool network_bound(struct do_download *d)
{
    return do_prop_num(d, DODownloadProperty_CostPolicy,
                       DODownloadCostPolicy_Always) !=
               DODownloadCostPolicy_Always ||
           do_prop_num(d, DODownloadProperty_DisallowOnCellular, 0);
}

static void earliest(uint64_t *next, uint64_t t)
{
    if (t < *next)
        *next = t;
}

/* d->lock held, after a pass: when the worker must look at d again with
 * no event (ref_clock ms; UINT64_MAX = only on an event).  The retry, the
 * no-progress timeout and the next progress callback are deadlines;
 * everything else arrives as a kick.  *poll is set while d waits on, or
 * could be stopped by, the simulated network (no wake-up from the
 * environment). */
static uint64_t next_deadline(struct do_download *d, bool *poll)
{
    uint64_t next = UINT64_MAX;
    bool transferring = d->state == DODownloadState_Transferring;
    if (is_final(d->state))
        return next;
    if (d->retry_at && !d->blocked && !d->att)
        earliest(&next, d->retry_at);
    if (transferring || (d->state == DODownloadState_Paused &&
                         d->transient_pause && !d->blocked))
        earliest(&next, d->progress_ms + npt_ms(d));
    if (transferring && d->bytes_done != d->cb_last_bytes &&
        !do_prop_num(d, DODownloadProperty_CallbackFreqPercent, 0))
        earliest(&next, d->cb_last_ms + cb_period_ms(d));
    if (transferring && d->have_result && !d->att)
        earliest(&next, now_ms() + RESULT_RECHECK_MS); /* waits on the stream */
    if (d->blocked || (transferring && network_bound(d)))
        *poll = true;
    return next;
}

uint64_t do_download_pump(struct do_download *d, bool *poll)
{
    HRESULT sink_hr = flush_stream(d), block;
    uint64_t now, next;
    bool stop = false;

    pthread_mutex_lock(&d->op);
    pthread_mutex_lock(&d->lock);
    if (is_final(d->state))
        goto out;
    now = now_ms();
    if (FAILED(sink_hr) && d->state == DODownloadState_Transferring) {
        stop_fatal(d, sink_hr, S_OK); /* a failing Write stops it */
        stop = true;
        goto out;
    }
    if (d->have_result && d->state == DODownloadState_Transferring && !d->att) {
        d->have_result = false;
        handle_result(d);
        if (is_final(d->state))
            goto out;
    }
    /* cost / cellular policy (DO-9) */
    block = blocked_by(d);
    if (block && d->state == DODownloadState_Transferring) {
        d->blocked = block;
        d->retry_at = 0;
        d->error = S_OK;
        d->ext_error = block;
        transition(d, DODownloadState_Transferring, DODownloadState_Paused);
        d->transient_pause = true;
        stop = true;
        goto out;
    }
    if (d->state == DODownloadState_Paused && d->transient_pause &&
        d->blocked && !block) {
        d->blocked = 0;
        d->ext_error = S_OK;
        d->progress_ms = now;
        transition(d, DODownloadState_Paused, DODownloadState_Transferring);
        if (FAILED(submit(d)))
            stop_fatal(d, E_OUTOFMEMORY, S_OK);
        goto out;
    }
    /* retry */
    if (d->retry_at && now >= d->retry_at && !d->blocked && !d->att) {
        d->retry_at = 0;
        if (d->state == DODownloadState_Paused && d->transient_pause)
            transition(d, DODownloadState_Paused, DODownloadState_Transferring);
        if (d->state == DODownloadState_Transferring && FAILED(submit(d)))
            stop_fatal(d, E_OUTOFMEMORY, S_OK);
    }
    /* no progress (spec §9.7) */
    if ((d->state == DODownloadState_Transferring ||
         (d->state == DODownloadState_Paused && d->transient_pause &&
          !d->blocked)) &&
        now - d->progress_ms >= npt_ms(d)) {
        HRESULT last = d->ext_error;
        d->have_result = false;
        if (d->state == DODownloadState_Paused) {
            d->transient_pause = false;
            d->retry_at = 0;
            d->error = DO_E_DOWNLOAD_NO_PROGRESS;
            d->ext_error = last;
            do_note_push(d);
        } else {
            stop_fatal(d, DO_E_DOWNLOAD_NO_PROGRESS, last);
            stop = true;
        }
        goto out;
    }
    /* progress callbacks (DO-7) */
    if (d->state == DODownloadState_Transferring &&
        d->bytes_done != d->cb_last_bytes) {
        UINT64 pct = do_prop_num(d, DODownloadProperty_CallbackFreqPercent, 0);
        bool due;
        if (pct)
            due = bucket(d->bytes_done, d->bytes_total, pct) >
                  bucket(d->cb_last_bytes, d->bytes_total, pct);
        else
            due = now - d->cb_last_ms >= cb_period_ms(d);
        if (due) {
            d->cb_last_bytes = d->bytes_done;
            d->cb_last_ms = now;
            do_note_push(d);
        }
    }
out:
    next = next_deadline(d, poll);
    pthread_mutex_unlock(&d->lock);
    if (stop)
        cancel_active(d);
    pthread_mutex_unlock(&d->op);
    deliver(d);
    return next;
}
