/*
 * do_persist.c - NonVolatile DO downloads survive the process: the
 * download <-> record conversion, the write after every state change and
 * successful SetProperty (the download's observer), and the reload at
 * start-up (the loader registered with persistence); do_persist_attach
 * registers both.
 * docs/store.md "Wiring".
 *
 * Layer do (docs/architecture.md "Layers"): the records are the do
 * layer's, written through the store persistence opens (ref_persist.h)
 * with its conversions; persistence imports nothing of this layer, it
 * calls the loader through the static const table registered here.
 */
#include "do_private.h"
#include "ref_persist.h"
#include "ref_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- writing a download ------------------------------------------ */

/* Properties kept as text / as numbers, by DODownloadProperty id. */
static const int do_str_props[] = {
    DODownloadProperty_Uri,
    DODownloadProperty_ContentId,
    DODownloadProperty_DisplayName,
    DODownloadProperty_LocalPath,
    DODownloadProperty_HttpCustomHeaders,
    DODownloadProperty_CorrelationVector,
    DODownloadProperty_DecryptionInfo,
    DODownloadProperty_IntegrityCheckInfo,
    DODownloadProperty_HttpCustomAuthHeaders,
};

static int do_nonvolatile(const struct do_download *d)
{
    const struct do_val *v = &d->props[DODownloadProperty_NonVolatile];
    return v->set && v->n;
}

static uint64_t num(const struct do_download *d, int id)
{
    return d->props[id].set ? d->props[id].n : 0;
}

static HRESULT do_persist_download_locked(struct do_download *d)
{
    struct ref_store *s = ref_persist_store();
    struct ref_store_download r;
    struct ref_store_range *ranges = NULL;
    WCHAR *temp = NULL, *etag = NULL;
    int err;
    if (!s)
        return S_OK;
    if (!do_nonvolatile(d) || d->state == DODownloadState_Finalized ||
        d->state == DODownloadState_Aborted) {
        if (d->stored) {
            err = ref_store_delete_download(s, &d->guid);
            if (err && err != REF_STORE_E_NOT_FOUND) {
                ref_persist_complain("deleting a download");
                return ref_persist_store_hr(err);
            }
            d->stored = false;
        }
        return S_OK;
    }
    memset(&r, 0, sizeof r);
    if (!d->created)
        d->created = ref_clock_now_ticks();
    r.id = d->guid;
    r.owner = d->owner;
    r.state = (int32_t)d->state;
    for (int i = 0; i < DO_PROP_COUNT && i < 64; i++)
        if (d->props[i].set)
            r.set_mask |= 1ULL << i;
    r.uri = d->props[DODownloadProperty_Uri].s;
    r.content_id = d->props[DODownloadProperty_ContentId].s;
    r.display_name = d->props[DODownloadProperty_DisplayName].s;
    r.local_path = d->props[DODownloadProperty_LocalPath].s;
    r.http_custom_headers = d->props[DODownloadProperty_HttpCustomHeaders].s;
    r.correlation_vector = d->props[DODownloadProperty_CorrelationVector].s;
    r.decryption_info = d->props[DODownloadProperty_DecryptionInfo].s;
    r.integrity_check_info = d->props[DODownloadProperty_IntegrityCheckInfo].s;
    r.http_custom_auth_headers =
        d->props[DODownloadProperty_HttpCustomAuthHeaders].s;
    r.cost_policy = (uint32_t)num(d, DODownloadProperty_CostPolicy);
    r.security_flags = (uint32_t)num(d, DODownloadProperty_SecurityFlags);
    r.callback_freq_percent =
        (uint32_t)num(d, DODownloadProperty_CallbackFreqPercent);
    r.callback_freq_seconds =
        (uint32_t)num(d, DODownloadProperty_CallbackFreqSeconds);
    r.no_progress_timeout =
        (uint32_t)num(d, DODownloadProperty_NoProgressTimeoutSeconds);
    r.foreground = (int32_t)num(d, DODownloadProperty_ForegroundPriority);
    r.blocking_mode = (int32_t)num(d, DODownloadProperty_BlockingMode);
    r.integrity_check_mandatory =
        (int32_t)num(d, DODownloadProperty_IntegrityCheckMandatory);
    r.disallow_on_cellular =
        (int32_t)num(d, DODownloadProperty_DisallowOnCellular);
    r.allow_https_to_http =
        (int32_t)num(d, DODownloadProperty_HttpAllowSecureToNonSecureRedirect);
    r.non_volatile = 1;
    r.total_size_bytes = num(d, DODownloadProperty_TotalSizeBytes);
    r.error_code = (uint32_t)d->error;
    r.extended_error = (uint32_t)d->ext_error;
    r.bytes_total = d->bytes_total;
    r.bytes_transferred = d->bytes_done;
    r.last_modified = ref_persist_date_ticks(d->last_modified);
    r.created = d->created;
    r.modified = ref_clock_now_ticks();
    if ((d->temp_path && !(temp = ref_persist_widen_ascii(d->temp_path))) ||
        (d->etag && *d->etag && !(etag = ref_persist_widen_ascii(d->etag))))
        goto oom;
    r.temp = temp;
    r.etag = etag;
    if (d->nranges) {
        if (!(ranges = calloc(d->nranges, sizeof *ranges)))
            goto oom;
        for (size_t i = 0; i < d->nranges; i++) {
            ranges[i].offset = d->ranges[i].offset;
            ranges[i].length = d->ranges[i].length;
        }
        r.ranges = ranges;
        r.nranges = (uint32_t)d->nranges;
    }
    err = ref_store_put_download(s, &r);
    free(temp);
    free(etag);
    free(ranges);
    if (err) {
        ref_persist_complain("writing a download");
        return ref_persist_store_hr(err);
    }
    d->stored = true;
    return S_OK;
oom:
    free(temp);
    free(etag);
    free(ranges);
    return E_OUTOFMEMORY;
}

/* The staging names of do_download.c's prepare_files (DO-5):
 * "<dir>/.<name>.<Data1>.do", "<staging>.r" for a ranged request. */
static char *stage_name(const struct do_download *d, const char *local)
{
    const char *slash = strrchr(local, '/');
    char *p;
    if (!slash)
        return NULL;
    p = ref_alloc(strlen(local) + 32);
    if (p)
        sprintf(p, "%.*s/.%s.%08X.do", (int)(slash - local), local, slash + 1,
                (unsigned)d->guid.Data1);
    return p;
}

/* A stored download back into the service (load_downloads callback:
 * only the new, unpublished object is touched). */
static int do_load_cb(const struct ref_store_download *r, void *ctx)
{
    IDODownload *iface = NULL;
    struct do_download *d;
    char *local = NULL;
    struct stat st;
    WCHAR owner[REF_SID_MAX];
    size_t on;
    (void)ctx;
    if (!r->owner)
        return 0;
    /* do_download_create copies a whole REF_SID_MAX buffer */
    on = ref_wcslen(r->owner);
    memset(owner, 0, sizeof owner);
    memcpy(owner, r->owner,
           (on < REF_SID_MAX ? on : REF_SID_MAX - 1) * sizeof(WCHAR));
    /* The new download joins the service list at once; the worker has
     * nothing to do for it until it is started, so it never takes its
     * lock (and then the store's) while this walk holds the store. */
    if (FAILED(do_download_create(owner, &iface)))
        return 0;
    d = do_download_from_iface((IUnknown *)iface);
    pthread_mutex_lock(&d->lock);
    d->guid = r->id;
    StringFromGUID2(&d->guid, d->id, DO_ID_CHARS);
    for (size_t i = 0; i < sizeof do_str_props / sizeof do_str_props[0]; i++) {
        int id = do_str_props[i];
        const WCHAR *v =
            id == DODownloadProperty_Uri           ? r->uri
            : id == DODownloadProperty_ContentId   ? r->content_id
            : id == DODownloadProperty_DisplayName ? r->display_name
            : id == DODownloadProperty_LocalPath   ? r->local_path
            : id == DODownloadProperty_HttpCustomHeaders
                ? r->http_custom_headers
            : id == DODownloadProperty_CorrelationVector ? r->correlation_vector
            : id == DODownloadProperty_DecryptionInfo    ? r->decryption_info
            : id == DODownloadProperty_IntegrityCheckInfo
                ? r->integrity_check_info
                : r->http_custom_auth_headers;
        if ((r->set_mask >> id) & 1)
            do_val_set_str(&d->props[id], v);
    }
#define NUM(id, val)                                                           \
    do {                                                                       \
        if ((r->set_mask >> (id)) & 1) {                                       \
            d->props[id].set = true;                                           \
            d->props[id].n = (UINT64)(val);                                    \
        }                                                                      \
    } while (0)
    NUM(DODownloadProperty_CostPolicy, r->cost_policy);
    NUM(DODownloadProperty_SecurityFlags, r->security_flags);
    NUM(DODownloadProperty_CallbackFreqPercent, r->callback_freq_percent);
    NUM(DODownloadProperty_CallbackFreqSeconds, r->callback_freq_seconds);
    NUM(DODownloadProperty_NoProgressTimeoutSeconds, r->no_progress_timeout);
    NUM(DODownloadProperty_ForegroundPriority, r->foreground);
    NUM(DODownloadProperty_BlockingMode, r->blocking_mode);
    NUM(DODownloadProperty_IntegrityCheckMandatory,
        r->integrity_check_mandatory);
    NUM(DODownloadProperty_TotalSizeBytes, r->total_size_bytes);
    NUM(DODownloadProperty_DisallowOnCellular, r->disallow_on_cellular);
    NUM(DODownloadProperty_HttpAllowSecureToNonSecureRedirect,
        r->allow_https_to_http);
    NUM(DODownloadProperty_NonVolatile, r->non_volatile);
#undef NUM
    /* Transferring comes back Paused: Start resumes from the bytes in the
     * staging file (S20). */
    d->state = r->state == DODownloadState_Transferring
                   ? DODownloadState_Paused
                   : (DODownloadState)r->state;
    d->error = (HRESULT)r->error_code;
    d->ext_error = (HRESULT)r->extended_error;
    d->bytes_total = r->bytes_total;
    d->created = r->created;
    d->stored = true;
    if (r->etag)
        d->etag = ref_persist_narrow_ascii(r->etag);
    {
        char *lm = ref_persist_ticks_date(r->last_modified);
        if (lm && (d->last_modified = ref_alloc(strlen(lm) + 1)))
            strcpy(d->last_modified, lm);
        free(lm);
    }
    if (r->nranges && (d->ranges = ref_calloc(r->nranges, sizeof *d->ranges))) {
        for (uint32_t i = 0; i < r->nranges; i++) {
            d->ranges[i].offset = r->ranges[i].offset;
            d->ranges[i].length = r->ranges[i].length;
        }
        d->nranges = r->nranges;
    }
    local = r->local_path ? ref_persist_path_utf8(r->local_path) : NULL;
    if (local && (d->stage_path = stage_name(d, local))) {
        d->temp_path = ref_alloc(strlen(d->stage_path) + 3);
        if (d->temp_path)
            sprintf(d->temp_path, d->nranges ? "%s.r" : "%s", d->stage_path);
    }
    free(local);
    if (d->temp_path && stat(d->temp_path, &st) == 0 && !d->nranges) {
        uint64_t have = (uint64_t)st.st_size;
        if (d->bytes_total && have > d->bytes_total)
            have = 0;
        d->resume = d->bytes_done = have;
        if (d->state == DODownloadState_Transferred)
            d->remote_size = have;
    } else if (d->state != DODownloadState_Transferred) {
        d->resume = d->bytes_done = 0; /* ranges start again */
    }
    if (d->state == DODownloadState_Transferred && d->nranges)
        d->bytes_done = d->bytes_total;
    pthread_mutex_unlock(&d->lock);
    iface->lpVtbl->Release(iface); /* the service keeps it (DO-16) */
    return 0;
}

/* ---- the reload at start-up -------------------------------------------- */

static int load_downloads(struct ref_store *s)
{
    return ref_store_load_downloads(s, NULL, do_load_cb, NULL);
}

static const struct ref_persist_downloads downloads = {
    .load = load_downloads,
};

static const struct do_download_observer writer = {
    .changed_locked = do_persist_download_locked,
};

void do_persist_attach(void)
{
    do_download_observe(&writer);
    ref_persist_use_downloads(&downloads);
}
