/*
 * suite_do_util.c - the DO-native suite's helpers (suite_do_util.h): the
 * case's private h2mock and its generated payloads, download life and
 * state waits, VARIANT setters, the recording callback and stream objects
 * and a small SHA-256 for byte checks.
 *
 * The private mock server and SHA-256 are netcase.h's: every case that
 * needs a server starts its own h2mock with its rules, so cases running in
 * parallel never see each other's rules.
 */
#include "suite_do_util.h"

#include "netcase.h"
#include "platform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- deferred calls at the end of the case ------------------------------ */

typedef struct dou_closer {
    IUnknown iface;
    void (*fn)(void *);
    void *arg;
} dou_closer;

static HRESULT STDMETHODCALLTYPE closer_qi(IUnknown *This, REFIID riid,
                                           void **ppv)
{
    if (ppv)
        *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE closer_addref(IUnknown *This)
{
    return 1;
}

static ULONG STDMETHODCALLTYPE closer_release(IUnknown *This)
{
    dou_closer *c = (dou_closer *)This;
    if (c->fn) {
        void (*fn)(void *) = c->fn;
        c->fn = NULL;
        fn(c->arg);
    }
    return 0;
}

static const IUnknownVtbl closer_vtbl = {closer_qi, closer_addref,
                                         closer_release};

/* Calls FN(ARG) in the case's teardown (deferred releases run in reverse
 * order of registration). */
static void defer_call(conf_ctx *ctx, void (*fn)(void *), void *arg)
{
    dou_closer *c = conf_alloc(ctx, sizeof *c);
    c->iface.lpVtbl = &closer_vtbl;
    c->fn = fn;
    c->arg = arg;
    conf_defer_release(ctx, &c->iface);
}

/* ---- payloads and the private mock (netcase.h) -------------------------- */

#define DOU_SEED 7u

static uint8_t *payload; /* DOU_PAYLOAD_SIZE pattern bytes, per case */
static nc_mock *last_mock;

unsigned char dou_pbyte(uint64_t i)
{
    if (!payload) {
        static uint8_t buf[DOU_PAYLOAD_SIZE];
        nc_pattern(buf, sizeof buf, DOU_SEED);
        payload = buf;
    }
    return payload[i];
}

const char *dou_mock(conf_ctx *ctx, const char *extra_rules)
{
    char text[8192];
    snprintf(text, sizeof text,
             "%s\n"
             "match name=slow path=/slow.bin action=throttle rate=65536\n"
             "match name=stall path=/stall.bin action=stall after=4096\n",
             extra_rules ? extra_rules : "");
    nc_mock *m = nc_mock_start(ctx, text);
    static const char *const names[] = {"/a.bin", "/slow.bin", "/stall.bin",
                                        "/b.bin"};
    for (size_t i = 0; i < CONF_ARRAY_LEN(names); i++)
        payload =
            nc_put_file(ctx, m, names[i], DOU_PAYLOAD_SIZE, DOU_SEED, NULL);
    last_mock = m;
    return nc_mock_base(m);
}

nc_mock *dou_last_mock(void)
{
    return last_mock;
}

WCHAR *dou_url(conf_ctx *ctx, const char *base, const char *path)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s%s", base, path);
    return conf_w(ctx, buf);
}

/* ---- manager and downloads ---------------------------------------------- */

IDOManager *dou_manager(conf_ctx *ctx)
{
    IDOManager *m = CONF_POISON_PTR;
    HRESULT hr = conf_create(ctx, &CLSID_DeliveryOptimization, &IID_IDOManager,
                             (void **)&m);
    char b[96];
    if (hr == E_NOINTERFACE || hr == CLASS_E_CLASSNOTAVAILABLE)
        conf_skip(ctx, "no IDOManager (%s)", conf_hr_str(hr, b, sizeof b));
    CONF_EXPECT_HR(ctx, hr, S_OK);
    CONF_EXPECT_NONNULL(ctx, m);
    conf_defer_release(ctx, (IUnknown *)m);
    return m;
}

static void abort_dl(void *arg)
{
    IDODownload *d = arg;
    (void)IDODownload_Abort(d);
    IDODownload_Release(d);
}

IDODownload *dou_create(conf_ctx *ctx, IDOManager *m)
{
    IDODownload *d = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IDOManager_CreateDownload(m, &d), S_OK);
    CONF_EXPECT_NONNULL(ctx, d);
    defer_call(ctx, abort_dl, d);
    return d;
}

static HRESULT set_var(IDODownload *d, DODownloadProperty id, VARIANT *v)
{
    HRESULT hr = IDODownload_SetProperty(d, id, v);
    VariantClear(v);
    return hr;
}

HRESULT dou_set_str(IDODownload *d, DODownloadProperty id, const WCHAR *s)
{
    VARIANT v;
    VariantInit(&v);
    V_VT(&v) = VT_BSTR;
    V_BSTR(&v) = SysAllocString(s);
    return set_var(d, id, &v);
}

HRESULT dou_set_u4(IDODownload *d, DODownloadProperty id, ULONG val)
{
    VARIANT v;
    VariantInit(&v);
    V_VT(&v) = VT_UI4;
    V_UI4(&v) = val;
    return set_var(d, id, &v);
}

HRESULT dou_set_u8(IDODownload *d, DODownloadProperty id, ULONGLONG val)
{
    VARIANT v;
    VariantInit(&v);
    V_VT(&v) = VT_UI8;
    V_UI8(&v) = val;
    return set_var(d, id, &v);
}

HRESULT dou_set_bool(IDODownload *d, DODownloadProperty id, BOOL val)
{
    VARIANT v;
    VariantInit(&v);
    V_VT(&v) = VT_BOOL;
    V_BOOL(&v) = val ? VARIANT_TRUE : VARIANT_FALSE;
    return set_var(d, id, &v);
}

HRESULT dou_set_unk(IDODownload *d, DODownloadProperty id, IUnknown *u)
{
    VARIANT v;
    VariantInit(&v);
    V_VT(&v) = VT_UNKNOWN;
    v.punkVal = u;
    /* not cleared: the caller keeps its reference */
    return IDODownload_SetProperty(d, id, &v);
}

void dou_setup(conf_ctx *ctx, IDODownload *d, const char *base,
               const char *path, const char *local)
{
    CONF_EXPECT_HR(
        ctx, dou_set_str(d, DODownloadProperty_Uri, dou_url(ctx, base, path)),
        S_OK);
    CONF_EXPECT_HR(
        ctx,
        dou_set_str(d, DODownloadProperty_LocalPath, conf_tmp_path(ctx, local)),
        S_OK);
}

const char *dou_state_name(int st)
{
    static const char *const n[] = {"Created",   "Transferring", "Transferred",
                                    "Finalized", "Aborted",      "Paused"};
    return st >= 0 && st < 6 ? n[st] : "?";
}

void dou_expect_state_(conf_ctx *ctx, const char *file, int line,
                       const char *expr, int actual, int expected)
{
    char e[64], a[64];
    snprintf(e, sizeof e, "%d %s", expected, dou_state_name(expected));
    snprintf(a, sizeof a, "%d %s", actual, dou_state_name(actual));
    conf_check_true_(ctx, file, line, expr, actual == expected, e, a);
}

DO_DOWNLOAD_STATUS dou_status(conf_ctx *ctx, IDODownload *d)
{
    DO_DOWNLOAD_STATUS s;
    memset(&s, 0xA5, sizeof s);
    CONF_EXPECT_HR(ctx, IDODownload_GetStatus(d, &s), S_OK);
    return s;
}

DO_DOWNLOAD_STATUS dou_wait(conf_ctx *ctx, IDODownload *d, int state,
                            unsigned ms)
{
    uint64_t end = conf_plat_now_ms() + ms;
    DO_DOWNLOAD_STATUS s;
    for (;;) {
        s = dou_status(ctx, d);
        if ((int)s.State == state)
            return s;
        if (conf_plat_now_ms() >= end)
            break;
        conf_plat_sleep_ms(5);
    }
    char e[64], a[200], b1[96], b2[96];
    snprintf(e, sizeof e, "state %s within %u ms", dou_state_name(state), ms);
    snprintf(a, sizeof a, "state %s, Error %s, ExtendedError %s, %llu/%llu",
             dou_state_name((int)s.State), conf_hr_str(s.Error, b1, sizeof b1),
             conf_hr_str(s.ExtendedError, b2, sizeof b2),
             (unsigned long long)s.BytesTransferred,
             (unsigned long long)s.BytesTotal);
    CONF_EXPECT_TRUE(ctx, (int)s.State == state, e, a);
    return s;
}

IDODownload *dou_reach(conf_ctx *ctx, IDOManager *m, const char *base,
                       int state, const char *local)
{
    IDODownload *d = dou_create(ctx, m);
    bool stall = state == DODownloadState_Transferring ||
                 state == DODownloadState_Paused;
    dou_setup(ctx, d, base, stall ? "/stall.bin" : "/a.bin", local);
    switch (state) {
    case DODownloadState_Created:
        break;
    case DODownloadState_Aborted:
        CONF_EXPECT_HR(ctx, IDODownload_Abort(d), S_OK);
        break;
    case DODownloadState_Transferring:
    case DODownloadState_Paused:
        CONF_EXPECT_HR(ctx, IDODownload_Start(d, NULL), S_OK);
        /* the stall delivers 4096 bytes, then nothing */
        {
            uint64_t end = conf_plat_now_ms() + DOU_WAIT_MS;
            DO_DOWNLOAD_STATUS s;
            do {
                s = dou_status(ctx, d);
                if (s.BytesTransferred >= 4096)
                    break;
                conf_plat_sleep_ms(5);
            } while (conf_plat_now_ms() < end);
            DOU_EXPECT_STATE(ctx, s.State, DODownloadState_Transferring);
        }
        if (state == DODownloadState_Paused) {
            CONF_EXPECT_HR(ctx, IDODownload_Pause(d), S_OK);
            DOU_EXPECT_STATE(ctx, dou_status(ctx, d).State,
                             DODownloadState_Paused);
        }
        break;
    case DODownloadState_Transferred:
    case DODownloadState_Finalized:
        CONF_EXPECT_HR(ctx, IDODownload_Start(d, NULL), S_OK);
        dou_wait(ctx, d, DODownloadState_Transferred, DOU_WAIT_MS);
        if (state == DODownloadState_Finalized)
            CONF_EXPECT_HR(ctx, IDODownload_Finalize(d), S_OK);
        break;
    default:
        conf_fail(ctx, "docts: dou_reach: bad state %d", state);
    }
    DOU_EXPECT_STATE(ctx, dou_status(ctx, d).State, state);
    return d;
}

/* ---- byte checks by SHA-256 --------------------------------------------- */

static void expected_hex(conf_ctx *ctx, const uint64_t *ranges, size_t nr,
                         char *hex, uint64_t *total)
{
    *total = 0;
    for (size_t r = 0; r < nr; r++)
        *total += ranges[2 * r + 1];
    uint8_t *buf = conf_alloc(ctx, (size_t)*total);
    size_t o = 0;
    for (size_t r = 0; r < nr; r++)
        for (uint64_t i = ranges[2 * r]; i < ranges[2 * r] + ranges[2 * r + 1];
             i++)
            buf[o++] = dou_pbyte(i);
    nc_sha256_hex(buf, o, hex);
}

void dou_expect_bytes(conf_ctx *ctx, const unsigned char *buf, size_t len,
                      const uint64_t *ranges, size_t nr)
{
    char e[160], a[160], eh[65], ah[65];
    uint64_t total;
    expected_hex(ctx, ranges, nr, eh, &total);
    nc_sha256_hex(buf, len, ah);
    snprintf(e, sizeof e, "%llu bytes, sha256 %s", (unsigned long long)total,
             eh);
    snprintf(a, sizeof a, "%zu bytes, sha256 %s", len, ah);
    CONF_EXPECT_TRUE(ctx, total == len && !strcmp(eh, ah), e, a);
}

void dou_expect_file(conf_ctx *ctx, const char *name, uint64_t off,
                     uint64_t len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s%c%s", ctx->tmpdir, CONF_PLAT_SEP, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        char e[64];
        snprintf(e, sizeof e, "%s exists", name);
        CONF_EXPECT_TRUE(ctx, f != NULL, e, "no such file");
        return;
    }
    size_t cap = (size_t)len + 65536, n = 0;
    unsigned char *buf = conf_alloc(ctx, cap);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n, f)) > 0 && n + got < cap)
        n += got;
    if (got)
        n += got;
    fclose(f);
    uint64_t r[2] = {off, len};
    dou_expect_bytes(ctx, buf, n, r, 1);
}

bool dou_exists(conf_ctx *ctx, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s%c%s", ctx->tmpdir, CONF_PLAT_SEP, name);
    return conf_plat_exists(path);
}

void dou_pass(conf_ctx *ctx, unsigned ms)
{
    conf_sleep_ms(ctx, ms);
}

uint64_t dou_now_ms(void)
{
    return conf_plat_now_ms();
}

void dou_nap(unsigned ms)
{
    conf_plat_sleep_ms(ms);
}

bool dou_path_exists(const char *path)
{
    return conf_plat_exists(path);
}

/* ---- the recording callback --------------------------------------------- */

static HRESULT STDMETHODCALLTYPE cb_qi(IDODownloadStatusCallback *This,
                                       REFIID riid, void **ppv)
{
    if (!ppv)
        return E_POINTER;
    if (IsEqualGUID(riid, &IID_IUnknown) ||
        IsEqualGUID(riid, &IID_IDODownloadStatusCallback)) {
        *ppv = This;
        IDODownloadStatusCallback_AddRef(This);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE cb_addref(IDODownloadStatusCallback *This)
{
    dou_cb *cb = (dou_cb *)This;
    return (ULONG)__atomic_add_fetch(&cb->refs, 1, __ATOMIC_SEQ_CST);
}

static ULONG STDMETHODCALLTYPE cb_release(IDODownloadStatusCallback *This)
{
    dou_cb *cb = (dou_cb *)This;
    /* static storage: the count is observed only */
    return (ULONG)__atomic_sub_fetch(&cb->refs, 1, __ATOMIC_SEQ_CST);
}

static HRESULT STDMETHODCALLTYPE cb_change(IDODownloadStatusCallback *This,
                                           IDODownload *download,
                                           const DO_DOWNLOAD_STATUS *status)
{
    dou_cb *cb = (dou_cb *)This;
    LONG i = __atomic_fetch_add(&cb->calls, 1, __ATOMIC_SEQ_CST);
    int st = status ? (int)status->State : -1;
    if (i < (LONG)CONF_ARRAY_LEN(cb->states))
        cb->states[i] = st;
    if (download != cb->expect_dl)
        cb->bad_download = 1;
    if (cb->inner_done || !download)
        return S_OK;
    DO_DOWNLOAD_STATUS s;
    switch (cb->mode) {
    case DOU_CB_RECORD:
        break;
    case DOU_CB_GETSTATUS:
        cb->inner_hr = IDODownload_GetStatus(download, &s);
        cb->inner_done = 1;
        break;
    case DOU_CB_PAUSE:
    case DOU_CB_ABORT:
        if (st == DODownloadState_Transferring) {
            cb->inner_hr = cb->mode == DOU_CB_PAUSE
                               ? IDODownload_Pause(download)
                               : IDODownload_Abort(download);
            __atomic_store_n(&cb->inner_done, 1, __ATOMIC_SEQ_CST);
        }
        break;
    case DOU_CB_FINALIZE:
        if (st == DODownloadState_Transferred) {
            cb->inner_hr = IDODownload_Finalize(download);
            __atomic_store_n(&cb->inner_done, 1, __ATOMIC_SEQ_CST);
        }
        break;
    }
    return S_OK;
}

static const IDODownloadStatusCallbackVtbl cb_vtbl = {cb_qi, cb_addref,
                                                      cb_release, cb_change};

dou_cb *dou_cb_new(conf_ctx *ctx, dou_cb_mode mode, IDODownload *d)
{
    static dou_cb pool[8];
    static unsigned used;
    if (used == CONF_ARRAY_LEN(pool))
        conf_fail(ctx, "docts: too many callback objects in one case");
    dou_cb *cb = &pool[used++];
    memset(cb, 0, sizeof *cb);
    cb->iface.lpVtbl = &cb_vtbl;
    cb->refs = 1;
    cb->mode = mode;
    cb->inner_hr = E_FAIL;
    cb->expect_dl = d;
    return cb;
}

/* ---- the recording stream ----------------------------------------------- */

static HRESULT STDMETHODCALLTYPE st_qi(IStream *This, REFIID riid, void **ppv)
{
    if (!ppv)
        return E_POINTER;
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IStream) ||
        IsEqualGUID(riid, &IID_ISequentialStream)) {
        *ppv = This;
        IStream_AddRef(This);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE st_addref(IStream *This)
{
    dou_stream *s = (dou_stream *)This;
    return (ULONG)__atomic_add_fetch(&s->refs, 1, __ATOMIC_SEQ_CST);
}

static ULONG STDMETHODCALLTYPE st_release(IStream *This)
{
    dou_stream *s = (dou_stream *)This;
    return (ULONG)__atomic_sub_fetch(&s->refs, 1, __ATOMIC_SEQ_CST);
}

static HRESULT STDMETHODCALLTYPE st_read(IStream *This, void *pv, ULONG cb,
                                         ULONG *got)
{
    if (got)
        *got = 0;
    return E_NOTIMPL; /* a sink only: DO never reads (spec §9.4) */
}

static HRESULT STDMETHODCALLTYPE st_write(IStream *This, const void *pv,
                                          ULONG cb, ULONG *written)
{
    dou_stream *s = (dou_stream *)This;
    __atomic_add_fetch(&s->writes, 1, __ATOMIC_SEQ_CST);
    if (s->delay_ms)
        conf_plat_sleep_ms(s->delay_ms);
    if (s->fail_with != S_OK) {
        if (written)
            *written = 0;
        return s->fail_with;
    }
    if (s->len + cb > s->cap) {
        size_t ncap = (s->len + cb) * 2;
        unsigned char *nb = realloc(s->buf, ncap);
        if (!nb)
            return E_OUTOFMEMORY;
        s->buf = nb;
        s->cap = ncap;
    }
    memcpy(s->buf + s->len, pv, cb);
    s->len += cb;
    if (written)
        *written = cb;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE st_seek(IStream *This, LARGE_INTEGER move,
                                         DWORD origin, ULARGE_INTEGER *pos)
{
    return E_NOTIMPL;
}

static HRESULT STDMETHODCALLTYPE st_setsize(IStream *This, ULARGE_INTEGER n)
{
    return E_NOTIMPL;
}

static HRESULT STDMETHODCALLTYPE st_copyto(IStream *This, IStream *to,
                                           ULARGE_INTEGER cb,
                                           ULARGE_INTEGER *rd,
                                           ULARGE_INTEGER *wr)
{
    return E_NOTIMPL;
}

static HRESULT STDMETHODCALLTYPE st_commit(IStream *This, DWORD flags)
{
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE st_revert(IStream *This)
{
    return E_NOTIMPL;
}

static HRESULT STDMETHODCALLTYPE st_lock(IStream *This, ULARGE_INTEGER off,
                                         ULARGE_INTEGER cb, DWORD type)
{
    return E_NOTIMPL;
}

static HRESULT STDMETHODCALLTYPE st_stat(IStream *This, STATSTG *st, DWORD flag)
{
    return E_NOTIMPL;
}

static HRESULT STDMETHODCALLTYPE st_clone(IStream *This, IStream **out)
{
    if (out)
        *out = NULL;
    return E_NOTIMPL;
}

static const IStreamVtbl st_vtbl = {
    st_qi,     st_addref, st_release, st_read, st_write, st_seek, st_setsize,
    st_copyto, st_commit, st_revert,  st_lock, st_lock,  st_stat, st_clone,
};

dou_stream *dou_stream_new(conf_ctx *ctx)
{
    static dou_stream pool[8];
    static unsigned used;
    if (used == CONF_ARRAY_LEN(pool))
        conf_fail(ctx, "docts: too many stream objects in one case");
    dou_stream *s = &pool[used++];
    memset(s, 0, sizeof *s);
    s->iface.lpVtbl = &st_vtbl;
    s->refs = 1;
    return s;
}
