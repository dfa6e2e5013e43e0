/*
 * do_support.c - helpers of the DO-native API tests: the suite's h2mock
 * (its fixtures and rules; ../mockctl.c runs it), COM helpers, and the
 * test's own IStream and IDODownloadStatusCallback objects (see
 * do_test.h).
 */
#include "do_test.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct mockctl dt_srv;
char dt_tmp[256];

const char *dt_hr_name(uint32_t hr)
{
    const char *n = docom_hresult_name((HRESULT)hr);
    return n ? n : (hr == 0 ? "S_OK" : "?");
}

/* ---- fixtures and rules of the suite's h2mock --------------------------- */

int dt_put_payload(const char *name, size_t n)
{
    unsigned char *b = malloc(n ? n : 1);
    int rc;
    for (size_t i = 0; i < n; i++)
        b[i] = dt_byte(i);
    rc = mockctl_put(&dt_srv, name, b, n);
    free(b);
    return rc;
}

unsigned char *dt_read_file(const char *path, size_t *n)
{
    struct stat st;
    unsigned char *b;
    int fd = open(path, O_RDONLY);
    *n = 0;
    if (fd < 0)
        return NULL;
    fstat(fd, &st);
    b = malloc((size_t)st.st_size + 1);
    *n = (size_t)read(fd, b, (size_t)st.st_size);
    close(fd);
    return b;
}

int dt_payload_eq(const unsigned char *buf, size_t off, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (buf[i] != dt_byte(off + i))
            return 0;
    return 1;
}

void dt_rules(const char *rules)
{
    mockctl_clear(&dt_srv);
    mockctl_control(&dt_srv, "POST", "reset", "", NULL);
    if (rules)
        CU_ASSERT_EQUAL(mockctl_rules(&dt_srv, rules), 200);
}

int dt_free_port(void)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM, 0), port = 0;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

/* ---- suites' setup ---------------------------------------------------- */

static int make_tmp(void)
{
    snprintf(dt_tmp, sizeof dt_tmp, "/tmp/do-local-XXXXXX");
    return mkdtemp(dt_tmp) ? 0 : -1;
}

static void rm_rf(const char *dir)
{
    char cmd[400];
    if (!dir[0])
        return;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "do-tests: could not remove %s\n", dir);
}

int dt_local_init(void)
{
    return make_tmp();
}

int dt_local_cleanup(void)
{
    do_service_reset();
    ref_clock_set_speed(1.0);
    ref_network_reset();
    rm_rf(dt_tmp);
    return 0;
}

int dt_net_init(void)
{
    if (make_tmp() != 0 || mockctl_start(&dt_srv, false) != 0)
        return -1;
    return 0;
}

int dt_net_cleanup(void)
{
    dt_local_cleanup();
    mockctl_stop(&dt_srv);
    return 0;
}

/* ---- COM helpers -------------------------------------------------------- */

IDOManager *dt_manager(void)
{
    IClassFactory *cf = NULL;
    IDOManager *m = NULL;
    CU_ASSERT_EQUAL_FATAL(DllGetClassObject(&CLSID_DeliveryOptimization,
                                            &IID_IClassFactory, (void **)&cf),
                          S_OK);
    DT_EQ_HR(
        IClassFactory_CreateInstance(cf, NULL, &IID_IDOManager, (void **)&m),
        S_OK);
    IClassFactory_Release(cf);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    return m;
}

IDODownload *dt_create(IDOManager *m)
{
    IDODownload *d = NULL;
    DT_EQ_HR(IDOManager_CreateDownload(m, &d), S_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    return d;
}

IDoctsTestClock *dt_clock(IDOManager *m)
{
    IDoctsTestClock *c = NULL;
    DT_EQ_HR(IDOManager_QueryInterface(m, &IID_IDoctsTestClock, (void **)&c),
             S_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    return c;
}

HRESULT dt_set_str(IDODownload *d, DODownloadProperty id, const WCHAR *s)
{
    VARIANT v;
    HRESULT hr;
    VariantInit(&v);
    v.vt = VT_BSTR;
    v.bstrVal = SysAllocString(s);
    hr = IDODownload_SetProperty(d, id, &v);
    VariantClear(&v);
    return hr;
}

HRESULT dt_set_str8(IDODownload *d, DODownloadProperty id, const char *s)
{
    WCHAR *w = docom_utf16_from_utf8(s);
    HRESULT hr = dt_set_str(d, id, w);
    free(w);
    return hr;
}

HRESULT dt_set_u4(IDODownload *d, DODownloadProperty id, ULONG val)
{
    VARIANT v;
    VariantInit(&v);
    v.vt = VT_UI4;
    v.ulVal = val;
    return IDODownload_SetProperty(d, id, &v);
}

HRESULT dt_set_u8(IDODownload *d, DODownloadProperty id, UINT64 val)
{
    VARIANT v;
    VariantInit(&v);
    v.vt = VT_UI8;
    v.ullVal = val;
    return IDODownload_SetProperty(d, id, &v);
}

HRESULT dt_set_bool(IDODownload *d, DODownloadProperty id, BOOL val)
{
    VARIANT v;
    VariantInit(&v);
    v.vt = VT_BOOL;
    v.boolVal = val ? VARIANT_TRUE : VARIANT_FALSE;
    return IDODownload_SetProperty(d, id, &v);
}

HRESULT dt_set_unk(IDODownload *d, DODownloadProperty id, IUnknown *p)
{
    VARIANT v;
    VariantInit(&v);
    v.vt = VT_UNKNOWN;
    v.punkVal = p;
    return IDODownload_SetProperty(d, id, &v);
}

const char *dt_url(const char *name, char *buf, size_t size)
{
    snprintf(buf, size, "http://127.0.0.1:%d/%s", dt_srv.port, name);
    return buf;
}

const char *dt_path(const char *name, char *buf, size_t size)
{
    snprintf(buf, size, "%s/%s", dt_tmp, name);
    return buf;
}

void dt_setup(IDODownload *d, const char *fixture, const char *local)
{
    char b[512];
    DT_EQ_HR(
        dt_set_str8(d, DODownloadProperty_Uri, dt_url(fixture, b, sizeof b)),
        S_OK);
    if (local)
        DT_EQ_HR(dt_set_str8(d, DODownloadProperty_LocalPath,
                             dt_path(local, b, sizeof b)),
                 S_OK);
}

DO_DOWNLOAD_STATUS dt_status(IDODownload *d)
{
    DO_DOWNLOAD_STATUS s;
    memset(&s, 0xEE, sizeof s); /* poison: GetStatus must write it */
    DT_EQ_HR(IDODownload_GetStatus(d, &s), S_OK);
    return s;
}

void dt_sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static DODownloadState want_state;
static int is_want(const DO_DOWNLOAD_STATUS *s)
{
    return (int)s->State == (int)want_state;
}

DO_DOWNLOAD_STATUS dt_wait(IDODownload *d,
                           int (*fn)(const DO_DOWNLOAD_STATUS *), int ms)
{
    DO_DOWNLOAD_STATUS s;
    for (int t = 0;; t += 5) {
        s = dt_status(d);
        if (fn(&s) || t >= ms)
            return s;
        dt_sleep_ms(5);
    }
}

DO_DOWNLOAD_STATUS dt_wait_state(IDODownload *d, DODownloadState st, int ms)
{
    want_state = st; /* the tests run on one thread */
    return dt_wait(d, is_want, ms);
}

static HRESULT want_error;
static int is_paused_with_error(const DO_DOWNLOAD_STATUS *s)
{
    return s->State == DODownloadState_Paused && s->Error == want_error;
}

DO_DOWNLOAD_STATUS dt_wait_error(IDODownload *d, HRESULT err, int ms)
{
    want_error = err; /* the tests run on one thread */
    return dt_wait(d, is_paused_with_error, ms);
}

IDODownload *dt_fresh(IDOManager **m, const char *fixture, const char *local)
{
    IDODownload *d;
    if (!*m)
        *m = dt_manager();
    d = dt_create(*m);
    dt_setup(d, fixture, local);
    return d;
}

/* ---- the test's IStream ------------------------------------------------- */

static struct dt_stream *stream_impl(IStream *i)
{
    return REF_CONTAINER(i, struct dt_stream, IStream_iface);
}

static HRESULT STDMETHODCALLTYPE st_QueryInterface(IStream *i, REFIID riid,
                                                   void **ppv)
{
    struct dt_stream *s = stream_impl(i);
    *ppv = NULL;
    if (IsEqualGUID(riid, &IID_IUnknown) ||
        IsEqualGUID(riid, &IID_ISequentialStream) ||
        (!s->sequential_only && IsEqualGUID(riid, &IID_IStream))) {
        *ppv = i;
        __atomic_add_fetch(&s->ref, 1, __ATOMIC_ACQ_REL);
        return S_OK;
    }
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE st_AddRef(IStream *i)
{
    return (ULONG)__atomic_add_fetch(&stream_impl(i)->ref, 1, __ATOMIC_ACQ_REL);
}

static ULONG STDMETHODCALLTYPE st_Release(IStream *i)
{
    struct dt_stream *s = stream_impl(i);
    LONG r = __atomic_sub_fetch(&s->ref, 1, __ATOMIC_ACQ_REL);
    if (r == 0) {
        pthread_mutex_destroy(&s->lock);
        free(s->data);
        free(s);
    }
    return (ULONG)r;
}

static HRESULT STDMETHODCALLTYPE st_Read(IStream *i, void *pv, ULONG cb,
                                         ULONG *rd)
{
    return E_NOTIMPL; /* DO only writes */
}

static HRESULT STDMETHODCALLTYPE st_Write(IStream *i, const void *pv, ULONG cb,
                                          ULONG *wr)
{
    struct dt_stream *s = stream_impl(i);
    HRESULT hr = S_OK;
    pthread_mutex_lock(&s->lock);
    if (s->fail_after && s->len + cb > s->fail_after) {
        hr = s->fail_hr;
    } else {
        if (s->len + cb > s->cap) {
            s->cap = (s->len + cb) * 2;
            s->data = realloc(s->data, s->cap);
        }
        memcpy(s->data + s->len, pv, cb);
        s->len += cb;
        s->writes++;
        if (wr)
            *wr = cb;
    }
    pthread_mutex_unlock(&s->lock);
    return hr;
}

static HRESULT STDMETHODCALLTYPE st_Seek(IStream *i, LARGE_INTEGER m, DWORD o,
                                         ULARGE_INTEGER *p)
{
    return E_NOTIMPL;
}
static HRESULT STDMETHODCALLTYPE st_SetSize(IStream *i, ULARGE_INTEGER n)
{
    return E_NOTIMPL;
}
static HRESULT STDMETHODCALLTYPE st_CopyTo(IStream *i, IStream *t,
                                           ULARGE_INTEGER cb, ULARGE_INTEGER *r,
                                           ULARGE_INTEGER *w)
{
    return E_NOTIMPL;
}
static HRESULT STDMETHODCALLTYPE st_Commit(IStream *i, DWORD f)
{
    return S_OK;
}
static HRESULT STDMETHODCALLTYPE st_Revert(IStream *i)
{
    return E_NOTIMPL;
}
static HRESULT STDMETHODCALLTYPE st_Lock(IStream *i, ULARGE_INTEGER o,
                                         ULARGE_INTEGER cb, DWORD t)
{
    return E_NOTIMPL;
}
static HRESULT STDMETHODCALLTYPE st_Stat(IStream *i, STATSTG *s, DWORD f)
{
    return E_NOTIMPL;
}
static HRESULT STDMETHODCALLTYPE st_Clone(IStream *i, IStream **o)
{
    return E_NOTIMPL;
}

static const IStreamVtbl stream_vtbl = {
    st_QueryInterface, st_AddRef,  st_Release, st_Read,   st_Write,
    st_Seek,           st_SetSize, st_CopyTo,  st_Commit, st_Revert,
    st_Lock,           st_Lock,    st_Stat,    st_Clone,
};

struct dt_stream *dt_stream_new(void)
{
    struct dt_stream *s = calloc(1, sizeof *s);
    s->IStream_iface.lpVtbl = &stream_vtbl;
    s->ref = 1;
    pthread_mutex_init(&s->lock, NULL);
    return s;
}

void dt_stream_release(struct dt_stream *s)
{
    st_Release(&s->IStream_iface);
}

/* ---- the test's IDODownloadStatusCallback ------------------------------ */

static struct dt_cb *cb_impl(IDODownloadStatusCallback *i)
{
    return REF_CONTAINER(i, struct dt_cb, IDODownloadStatusCallback_iface);
}

static HRESULT STDMETHODCALLTYPE cb_QueryInterface(IDODownloadStatusCallback *i,
                                                   REFIID riid, void **ppv)
{
    *ppv = NULL;
    if (IsEqualGUID(riid, &IID_IUnknown) ||
        IsEqualGUID(riid, &IID_IDODownloadStatusCallback)) {
        *ppv = i;
        __atomic_add_fetch(&cb_impl(i)->ref, 1, __ATOMIC_ACQ_REL);
        return S_OK;
    }
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE cb_AddRef(IDODownloadStatusCallback *i)
{
    return (ULONG)__atomic_add_fetch(&cb_impl(i)->ref, 1, __ATOMIC_ACQ_REL);
}

static ULONG STDMETHODCALLTYPE cb_Release(IDODownloadStatusCallback *i)
{
    struct dt_cb *c = cb_impl(i);
    LONG r = __atomic_sub_fetch(&c->ref, 1, __ATOMIC_ACQ_REL);
    if (r == 0) {
        pthread_mutex_destroy(&c->lock);
        free(c);
    }
    return (ULONG)r;
}

static HRESULT STDMETHODCALLTYPE cb_OnStatusChange(IDODownloadStatusCallback *i,
                                                   IDODownload *dl,
                                                   const DO_DOWNLOAD_STATUS *st)
{
    struct dt_cb *c = cb_impl(i);
    int act = 0;
    pthread_mutex_lock(&c->lock);
    c->in_call = 1;
    if (c->calls < DT_CB_MAX) {
        c->st[c->calls] = *st;
        c->ms[c->calls] = ref_clock_mono_ms();
    }
    c->calls++;
    if (c->expect && dl != c->expect)
        c->bad_download = 1;
    if (c->action && !c->action_done && (int)st->State == c->on_state) {
        c->action_done = 1;
        act = c->action;
    }
    pthread_mutex_unlock(&c->lock);
    if (act) {
        HRESULT hr = E_FAIL;
        DO_DOWNLOAD_STATUS s2;
        memset(&s2, 0, sizeof s2);
        if (act == 'S')
            hr = IDODownload_GetStatus(dl, &s2);
        else if (act == 'P')
            hr = IDODownload_Pause(dl);
        else if (act == 'A')
            hr = IDODownload_Abort(dl);
        else if (act == 'F')
            hr = IDODownload_Finalize(dl);
        IDODownload_GetStatus(dl, &s2);
        pthread_mutex_lock(&c->lock);
        c->action_hr = hr;
        c->action_status = s2;
        pthread_mutex_unlock(&c->lock);
    }
    if (c->sleep_ms)
        dt_sleep_ms(c->sleep_ms);
    pthread_mutex_lock(&c->lock);
    c->in_call = 0;
    pthread_mutex_unlock(&c->lock);
    return S_OK;
}

static const IDODownloadStatusCallbackVtbl cb_vtbl = {
    cb_QueryInterface, cb_AddRef, cb_Release, cb_OnStatusChange};

struct dt_cb *dt_cb_new(IDODownload *expect)
{
    struct dt_cb *c = calloc(1, sizeof *c);
    c->IDODownloadStatusCallback_iface.lpVtbl = &cb_vtbl;
    c->ref = 1;
    c->expect = expect;
    c->on_state = -1;
    pthread_mutex_init(&c->lock, NULL);
    return c;
}

void dt_cb_release(struct dt_cb *c)
{
    cb_Release(&c->IDODownloadStatusCallback_iface);
}

unsigned dt_cb_calls(struct dt_cb *c)
{
    unsigned n;
    pthread_mutex_lock(&c->lock);
    n = c->calls;
    pthread_mutex_unlock(&c->lock);
    return n;
}
