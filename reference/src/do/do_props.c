/*
 * do_props.c - the DODownloadProperty table and the property storage of
 * an IDODownload (docs/do-api.md "Properties", decisions DO-series).
 *
 * Owns ONE static const table: for every property its VARIANT type, its
 * access (read/write, read-only, write-only), the download states in which
 * SetProperty may change it and what GetProperty returns before it was
 * set.  GetProperty/SetProperty, docs/do-api.md and the table-driven tests
 * (reference/tests/do/test_props.c) all iterate it.  The values' effects
 * (headers sent, cost policy, callbacks, timeouts) are applied by
 * do_download.c, which reads the storage under the download's lock.
 *
 * Check order of SetProperty: unknown id (DO_E_UNKNOWN_PROPERTY_ID), NULL
 * value (E_INVALIDARG), read-only (DO_E_READ_ONLY_PROPERTY), VARIANT type
 * (E_INVALIDARG), the value itself (E_INVALIDARG, INET_E_INVALID_URL,
 * CRYPT_E_FILE_ERROR, E_NOINTERFACE), then the state
 * (DO_E_INVALID_STATE) and the sink rule
 * (DO_E_FILE_DOWNLOADSINK_ALREADY_SET).  GetProperty: unknown id, NULL
 * out (E_INVALIDARG), write-only (DO_E_WRITE_ONLY_PROPERTY), never set
 * (E_NOT_SET).
 */
#include "do_private.h"

#include <string.h>
#include <unistd.h>

#define LIVE DO_S_LIVE
#define CRE DO_S_CREATED
#define CRE_PAUSED (DO_S_CREATED | DO_S(DODownloadState_Paused))
#define VT_BYTES (VT_ARRAY | VT_UI1)

#define ROW(id_, vt_, acc_, states_, def_, defv_, cat_, eff_)                  \
    [DODownloadProperty_##id_] = {DODownloadProperty_##id_,                    \
                                  #id_,                                        \
                                  vt_,                                         \
                                  acc_,                                        \
                                  states_,                                     \
                                  def_,                                        \
                                  defv_,                                       \
                                  cat_,                                        \
                                  eff_}

static const struct do_prop_info props[DO_PROP_COUNT] = {
    ROW(Id, VT_BSTR, DO_RO, 0, DO_DEF_LIVE, 0, true,
        "generated GUID string; never changes"),
    ROW(Uri, VT_BSTR, DO_RW, CRE_PAUSED, DO_DEF_NOT_SET, 0, true,
        "URL fetched; a change while Paused restarts from the new URL"),
    ROW(ContentId, VT_BSTR, DO_RW, CRE, DO_DEF_NOT_SET, 0, true,
        "stored; no content service, so Start still needs a Uri (DO-3)"),
    ROW(DisplayName, VT_BSTR, DO_RW, LIVE, DO_DEF_NOT_SET, 0, true, "stored"),
    ROW(LocalPath, VT_BSTR, DO_RW, CRE, DO_DEF_NOT_SET, 0, true,
        "file sink; the file appears there at Finalize (DO-5)"),
    ROW(HttpCustomHeaders, VT_BSTR, DO_RW, LIVE, DO_DEF_NOT_SET, 0, false,
        "header lines sent with every later request"),
    ROW(CostPolicy, VT_UI4, DO_RW, LIVE, DO_DEF_NOT_SET, 0, false,
        "checked against the simulated network cost; unset = Always (DO-9)"),
    ROW(SecurityFlags, VT_UI4, DO_WO, LIVE, DO_DEF_NOT_SET, 0, false,
        "WinHTTP flags mapped to the TLS checks of later requests"),
    ROW(CallbackFreqPercent, VT_UI4, DO_RW, LIVE, DO_DEF_NOT_SET, 0, false,
        "when set: a progress callback per N percent of BytesTotal (DO-7)"),
    ROW(CallbackFreqSeconds, VT_UI4, DO_RW, LIVE, DO_DEF_VALUE, 1, false,
        "progress callbacks at most every N seconds (ref_clock)"),
    ROW(NoProgressTimeoutSeconds, VT_UI4, DO_RW, LIVE, DO_DEF_NOT_SET, 0, false,
        ">= 60 (D11); unset = 3600 s foreground, 86400 s background"),
    ROW(ForegroundPriority, VT_BOOL, DO_RW, LIVE, DO_DEF_VALUE, 0, false,
        "engine class FOREGROUND instead of NORMAL for later requests"),
    ROW(BlockingMode, VT_BOOL, DO_RW, LIVE, DO_DEF_VALUE, 0, false,
        "Start returns when the download is Transferred or stopped"),
    ROW(CallbackInterface, VT_UNKNOWN, DO_RW, LIVE, DO_DEF_NOT_SET, 0, false,
        "IDODownloadStatusCallback; a new one replaces the old"),
    ROW(StreamInterface, VT_UNKNOWN, DO_RW, CRE, DO_DEF_NOT_SET, 0, false,
        "IStream (or ISequentialStream) sink, written in order"),
    ROW(SecurityContext, VT_BYTES, DO_WO, LIVE, DO_DEF_NOT_SET, 0, false,
        "must be DER certificate bytes (else CRYPT_E_FILE_ERROR); stored"),
    ROW(NetworkToken, VT_BOOL, DO_WO, LIVE, DO_DEF_NOT_SET, 0, false,
        "stored (the simulator has one user)"),
    ROW(CorrelationVector, VT_BSTR, DO_RW, LIVE, DO_DEF_NOT_SET, 0, false,
        "stored"),
    ROW(DecryptionInfo, VT_BSTR, DO_WO, CRE, DO_DEF_NOT_SET, 0, false,
        "stored; content is never decrypted"),
    ROW(IntegrityCheckInfo, VT_BSTR, DO_WO, CRE, DO_DEF_NOT_SET, 0, false,
        "stored, not verified (DO-10)"),
    ROW(IntegrityCheckMandatory, VT_BOOL, DO_RW, CRE, DO_DEF_NOT_SET, 0, false,
        "TRUE without IntegrityCheckInfo: Start fails (DO-10)"),
    ROW(TotalSizeBytes, VT_UI8, DO_RW, CRE, DO_DEF_LIVE, 0, false,
        "known size of the content; reads BytesTotal once known"),
    ROW(DisallowOnCellular, VT_BOOL, DO_RW, LIVE, DO_DEF_NOT_SET, 0, false,
        "TRUE: no transfer while the simulated network is cellular"),
    ROW(HttpCustomAuthHeaders, VT_BSTR, DO_RW, LIVE, DO_DEF_NOT_SET, 0, false,
        "header lines added after a 401 challenge (DO-11)"),
    ROW(HttpAllowSecureToNonSecureRedirect, VT_BOOL, DO_RW, LIVE, DO_DEF_VALUE,
        0, false, "allows an https -> http redirect"),
    ROW(NonVolatile, VT_BOOL, DO_RW, CRE, DO_DEF_VALUE, 0, false,
        "stored; downloads are not persisted (DO-12)"),
    ROW(HttpRedirectionTarget, VT_BSTR, DO_RO, 0, DO_DEF_LIVE, 0, false,
        "final URL after redirects of the last request (E_NOT_SET if none)"),
    ROW(HttpResponseHeaders, VT_BSTR, DO_RO, 0, DO_DEF_LIVE, 0, false,
        "raw header block of the last response"),
    ROW(HttpServerIPAddress, VT_BSTR, DO_RO, 0, DO_DEF_LIVE, 0, false,
        "server address of the last request"),
    ROW(HttpStatusCode, VT_UI4, DO_RO, 0, DO_DEF_LIVE, 0, false,
        "status of the last response"),
};

const struct do_prop_info *do_prop_table(size_t *count)
{
    if (count)
        *count = DO_PROP_COUNT;
    return props;
}

const struct do_prop_info *do_prop_find(int id)
{
    if (id < 0 || id >= DO_PROP_COUNT)
        return NULL;
    return &props[id];
}

const char *do_state_name(int state)
{
    static const char *const names[DO_STATE_COUNT] = {
        "Created",   "Transferring", "Transferred",
        "Finalized", "Aborted",      "Paused"};
    if (state < 0 || state >= DO_STATE_COUNT)
        return "?";
    return names[state];
}

/* ---- storage ----------------------------------------------------------- */

void do_val_clear(struct do_val *v, struct ref_unk_box **box_out)
{
    ref_free(v->s);
    ref_free(v->bytes);
    if (box_out)
        *box_out = v->box;
    memset(v, 0, sizeof *v);
}

HRESULT do_val_set_str(struct do_val *v, const WCHAR *s)
{
    WCHAR *copy = ref_wcsdup(s ? s : u"");
    if (!copy)
        return E_OUTOFMEMORY;
    ref_free(v->s);
    v->s = copy;
    v->set = true;
    return S_OK;
}

char *do_prop_utf8(struct do_download *d, int id)
{
    if (!d->props[id].set || !d->props[id].s)
        return NULL;
    return ref_utf8(d->props[id].s);
}

UINT64 do_prop_num(struct do_download *d, int id, UINT64 def)
{
    if (!d->props[id].set) {
        const struct do_prop_info *pi = do_prop_find(id);
        return pi && pi->def == DO_DEF_VALUE ? pi->def_value : def;
    }
    return d->props[id].n;
}

void do_note_push(struct do_download *d)
{
    DO_DOWNLOAD_STATUS s;
    memset(&s, 0, sizeof s);
    s.BytesTotal = d->bytes_total;
    s.BytesTransferred = d->bytes_done;
    s.State = d->state;
    s.Error = d->error;
    s.ExtendedError = d->ext_error;
    if (d->nnotes == DO_NOTES_MAX)
        d->nnotes--; /* keep the newest: the last slot is overwritten */
    d->notes[d->nnotes++] = s;
    do_service_kick();
}

/* ---- value checks (no lock) -------------------------------------------- */

/* DER length at p[*i]; false when malformed or past n. */
static bool der_len(const BYTE *p, ULONG n, ULONG *i, ULONG *len)
{
    ULONG k, v = 0;
    if (*i >= n)
        return false;
    if (p[*i] < 0x80) {
        *len = p[(*i)++];
        return true;
    }
    k = p[(*i)++] & 0x7F;
    if (k == 0 || k > 4 || *i + k > n)
        return false;
    while (k--)
        v = (v << 8) | p[(*i)++];
    *len = v;
    return true;
}

/* The shape of an X.509 certificate: one DER SEQUENCE spanning the whole
 * array whose first element is a SEQUENCE too (decisions DO-13). */
static bool looks_like_cert(const BYTE *p, ULONG n)
{
    ULONG i = 0, len, inner;
    if (n < 4 || p[i++] != 0x30 || !der_len(p, n, &i, &len) || i + len != n)
        return false;
    if (p[i++] != 0x30 || !der_len(p, n, &i, &inner))
        return false;
    return i + inner <= n;
}

static HRESULT check_local_path(const WCHAR *s)
{
    size_t len = ref_wcslen(s);
    char *u;
    if (len == 0 || s[0] != u'/' || s[len - 1] == u'/' ||
        len > ref_policy(REF_POLICY_MAX_LOCAL_PATH))
        return E_INVALIDARG;
    for (size_t i = 0; i < len; i++)
        if (s[i] == u'*' || s[i] == u'?' || s[i] < 0x20)
            return E_INVALIDARG;
    if (!(u = ref_utf8(s)))
        return E_INVALIDARG; /* bad UTF-16 (or out of memory) */
    ref_free(u);
    return S_OK;
}

static HRESULT check_value(const struct do_prop_info *pi, const VARIANT *v)
{
    enum ref_proto proto;
    switch (pi->id) {
    case DODownloadProperty_Uri:
        if (!v->bstrVal || !v->bstrVal[0])
            return E_INVALIDARG;
        if (FAILED(ref_check_remote(REF_MODE_DO, v->bstrVal, &proto)))
            return INET_E_INVALID_URL;
        return S_OK;
    case DODownloadProperty_ContentId:
        return v->bstrVal && v->bstrVal[0] ? S_OK : E_INVALIDARG;
    case DODownloadProperty_LocalPath:
        return check_local_path(v->bstrVal);
    case DODownloadProperty_CostPolicy:
        return v->ulVal <= DODownloadCostPolicy_NoCellular ? S_OK
                                                           : E_INVALIDARG;
    case DODownloadProperty_SecurityFlags:
        return (v->ulVal & ~0x3301u) ? E_INVALIDARG : S_OK;
    case DODownloadProperty_CallbackFreqPercent:
        return v->ulVal <= 100 ? S_OK : E_INVALIDARG;
    case DODownloadProperty_NoProgressTimeoutSeconds:
        return v->ulVal >= 60 ? S_OK : E_INVALIDARG; /* D11 */
    case DODownloadProperty_SecurityContext: {
        SAFEARRAY *sa = v->parray;
        if (!sa || sa->cDims != 1 || sa->cbElements != 1 || !sa->pvData)
            return E_INVALIDARG;
        return looks_like_cert(sa->pvData, sa->rgsabound[0].cElements)
                   ? S_OK
                   : CRYPT_E_FILE_ERROR;
    }
    default:
        return S_OK;
    }
}

/* ---- GetProperty -------------------------------------------------------- */

static HRESULT get_live(struct do_download *d, const struct do_prop_info *pi,
                        VARIANT *out)
{
    switch (pi->id) {
    case DODownloadProperty_Id:
        out->bstrVal = ref_bstr_alloc(d->id);
        return out->bstrVal ? S_OK : E_OUTOFMEMORY;
    case DODownloadProperty_TotalSizeBytes:
        if (d->props[pi->id].set)
            out->ullVal = d->props[pi->id].n;
        else if (d->bytes_total)
            out->ullVal = d->bytes_total;
        else
            return E_NOT_SET;
        return S_OK;
    default: /* Http*: stored by the worker from the last response */
        if (!d->props[pi->id].set)
            return E_NOT_SET;
        if (pi->vt == VT_UI4) {
            out->ulVal = (ULONG)d->props[pi->id].n;
            return S_OK;
        }
        out->bstrVal = ref_bstr_alloc(d->props[pi->id].s);
        return out->bstrVal ? S_OK : E_OUTOFMEMORY;
    }
}

HRESULT do_props_get(struct do_download *d, int id, VARIANT *out)
{
    const struct do_prop_info *pi = do_prop_find(id);
    struct ref_unk_box *box = NULL;
    struct do_val *v;
    HRESULT hr = S_OK;

    if (out)
        VariantInit(out); /* VT_EMPTY on every failure (docs/do-api.md) */
    if (!pi)
        return DO_E_UNKNOWN_PROPERTY_ID;
    if (!out)
        return E_INVALIDARG;
    if (pi->access == DO_WO)
        return DO_E_WRITE_ONLY_PROPERTY;
    v = &d->props[id];
    pthread_mutex_lock(&d->lock);
    if (pi->def == DO_DEF_LIVE) {
        hr = get_live(d, pi, out);
    } else if (!v->set && pi->def == DO_DEF_NOT_SET) {
        hr = E_NOT_SET;
    } else if (pi->vt == VT_BSTR) {
        out->bstrVal = ref_bstr_alloc(v->s);
        hr = out->bstrVal ? S_OK : E_OUTOFMEMORY;
    } else if (pi->vt == VT_UNKNOWN) {
        box = v->box;
        ref_unk_box_addref(box);
    } else {
        UINT64 n = do_prop_num(d, id, 0);
        if (pi->vt == VT_BOOL)
            out->boolVal = n ? VARIANT_TRUE : VARIANT_FALSE;
        else if (pi->vt == VT_UI4)
            out->ulVal = (ULONG)n;
        else
            out->ullVal = n;
    }
    pthread_mutex_unlock(&d->lock);
    if (pi->vt == VT_UNKNOWN && SUCCEEDED(hr)) {
        if (!box)
            return E_NOT_SET; /* set to NULL: cleared */
        out->punkVal = box->punk;
        out->punkVal->lpVtbl->AddRef(out->punkVal); /* client code */
        ref_unk_box_release(box);
    }
    if (SUCCEEDED(hr))
        out->vt = pi->vt;
    return hr;
}

/* ---- SetProperty -------------------------------------------------------- */

/* A client interface for VT_UNKNOWN properties: the callback interface or
 * the stream, QueryInterface'd (client code: no lock). */
static HRESULT box_for(const struct do_prop_info *pi, IUnknown *punk,
                       struct ref_unk_box **out)
{
    IUnknown *itf = NULL;
    HRESULT hr;
    *out = NULL;
    if (!punk)
        return S_OK; /* NULL clears */
    if (pi->id == DODownloadProperty_CallbackInterface) {
        hr = punk->lpVtbl->QueryInterface(punk, &IID_IDODownloadStatusCallback,
                                          (void **)&itf);
    } else {
        hr = punk->lpVtbl->QueryInterface(punk, &IID_IStream, (void **)&itf);
        if (FAILED(hr))
            hr = punk->lpVtbl->QueryInterface(punk, &IID_ISequentialStream,
                                              (void **)&itf);
    }
    if (FAILED(hr) || !itf)
        return E_NOINTERFACE;
    *out = ref_unk_box_new(itf);
    itf->lpVtbl->Release(itf); /* the box holds its own reference */
    return *out ? S_OK : E_OUTOFMEMORY;
}

/* d->op and d->lock held: a new Uri while Paused restarts from zero. */
static void restart_from_zero(struct do_download *d)
{
    if (d->temp_path)
        unlink(d->temp_path);
    d->resume = 0;
    d->streamed = 0;
    d->remote_size = REF_SIZE_UNKNOWN;
    ref_free(d->etag);
    ref_free(d->last_modified);
    d->etag = d->last_modified = NULL;
    d->bytes_done = 0;
    d->auth_sent = false;
}

/* No lock held: SetProperty(CallbackInterface) replaced `old`; returns
 * once no OnStatusChange to it is running (at once on the worker, whose
 * call in progress is then the caller).  The worker reads the box and
 * marks the call under d->lock (do_download.c). */
static void wait_callback(struct do_download *d, const struct ref_unk_box *old)
{
    if (!old || do_service_on_worker())
        return;
    pthread_mutex_lock(&d->lock);
    while (d->in_callback && d->calling == old) /* old: still referenced */
        pthread_cond_wait(&d->cond, &d->lock);
    pthread_mutex_unlock(&d->lock);
}

HRESULT do_props_set(struct do_download *d, int id, const VARIANT *val)
{
    const struct do_prop_info *pi = do_prop_find(id);
    struct ref_unk_box *box = NULL, *old = NULL;
    struct do_val nv, *v;
    HRESULT hr;

    if (!pi)
        return DO_E_UNKNOWN_PROPERTY_ID;
    if (!val)
        return E_INVALIDARG;
    if (pi->access == DO_RO)
        return DO_E_READ_ONLY_PROPERTY;
    if (val->vt != pi->vt)
        return E_INVALIDARG; /* DO-8 */
    if (FAILED(hr = check_value(pi, val)))
        return hr;
    memset(&nv, 0, sizeof nv);
    nv.set = true;
    switch (pi->vt) {
    case VT_BSTR:
        if (!(nv.s = ref_wcsdup(val->bstrVal ? val->bstrVal : u"")))
            return E_OUTOFMEMORY;
        break;
    case VT_UI4:
        nv.n = val->ulVal;
        break;
    case VT_UI8:
        nv.n = val->ullVal;
        break;
    case VT_BOOL:
        nv.n = val->boolVal != VARIANT_FALSE;
        break;
    case VT_UNKNOWN:
        if (FAILED(hr = box_for(pi, val->punkVal, &nv.box)))
            return hr;
        nv.set = nv.box != NULL;
        break;
    default: /* VT_ARRAY | VT_UI1 */
        nv.nbytes = val->parray->rgsabound[0].cElements;
        if (!(nv.bytes = ref_alloc(nv.nbytes ? nv.nbytes : 1)))
            return E_OUTOFMEMORY;
        memcpy(nv.bytes, val->parray->pvData, nv.nbytes);
        break;
    }

    pthread_mutex_lock(&d->op);
    pthread_mutex_lock(&d->lock);
    v = &d->props[id];
    if (!(pi->set_states & DO_S(d->state))) {
        hr = DO_E_INVALID_STATE;
        goto out;
    }
    if ((id == DODownloadProperty_LocalPath &&
         d->props[DODownloadProperty_StreamInterface].set) ||
        (id == DODownloadProperty_StreamInterface && nv.set &&
         d->props[DODownloadProperty_LocalPath].set)) {
        hr = DO_E_FILE_DOWNLOADSINK_ALREADY_SET; /* DO-6 */
        goto out;
    }
    if (id == DODownloadProperty_Uri && d->state == DODownloadState_Paused &&
        ref_wcscmp(v->s, nv.s) != 0)
        restart_from_zero(d);
    do_val_clear(v, &old);
    *v = nv;
    memset(&nv, 0, sizeof nv);
    if (id == DODownloadProperty_CostPolicy ||
        id == DODownloadProperty_DisallowOnCellular ||
        id == DODownloadProperty_NoProgressTimeoutSeconds)
        do_service_kick();
out:
    pthread_mutex_unlock(&d->lock);
    pthread_mutex_unlock(&d->op);
    /* I27's rule for DO: the replaced callback hears nothing once this
     * returns (the worker reads the box and marks the call under d->lock,
     * so a call either started before the change or goes to the new one) */
    if (id == DODownloadProperty_CallbackInterface)
        wait_callback(d, old);
    do_val_clear(&nv, &box);
    ref_unk_box_release(box);
    ref_unk_box_release(old);
    return hr;
}
