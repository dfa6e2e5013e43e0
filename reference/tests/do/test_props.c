/*
 * test_props.c - DODownloadProperty rules, table-driven (spec types.md
 * §5.3, behavior.md §9.4; decisions DO-series).
 *
 * `expect[]` is this file's own statement of every property's VARIANT
 * type, access and the states where SetProperty may change it (written
 * from the spec, not copied from do_props.c); one case checks that the
 * reference's table agrees, the others exercise the rules through the
 * COM interface.  The "do_matrix" suite drives every property through
 * SetProperty/GetProperty in every state (downloads brought to each state
 * against h2mock); `do-tests --matrix` prints the table it pins.
 */
#include "do_test.h"

#include <stdlib.h>

/* Access: 'R' read/write, 'O' read-only, 'W' write-only.  States where
 * SetProperty is allowed: C Created, T Transferring, D Transferred,
 * P Paused (Finalized and Aborted: never).  def: 1 = readable default
 * (value in defv), 0 = E_NOT_SET until set, 2 = computed. */
static const struct {
    int id;
    VARTYPE vt;
    char acc;
    const char *states;
    int def;
    UINT64 defv;
} expect[DO_PROP_COUNT] = {
    {DODownloadProperty_Id, VT_BSTR, 'O', "", 2, 0},
    {DODownloadProperty_Uri, VT_BSTR, 'R', "CP", 0, 0},
    {DODownloadProperty_ContentId, VT_BSTR, 'R', "C", 0, 0},
    {DODownloadProperty_DisplayName, VT_BSTR, 'R', "CTDP", 0, 0},
    {DODownloadProperty_LocalPath, VT_BSTR, 'R', "C", 0, 0},
    {DODownloadProperty_HttpCustomHeaders, VT_BSTR, 'R', "CTDP", 0, 0},
    {DODownloadProperty_CostPolicy, VT_UI4, 'R', "CTDP", 0, 0},
    {DODownloadProperty_SecurityFlags, VT_UI4, 'W', "CTDP", 0, 0},
    {DODownloadProperty_CallbackFreqPercent, VT_UI4, 'R', "CTDP", 0, 0},
    {DODownloadProperty_CallbackFreqSeconds, VT_UI4, 'R', "CTDP", 1, 1},
    {DODownloadProperty_NoProgressTimeoutSeconds, VT_UI4, 'R', "CTDP", 0, 0},
    {DODownloadProperty_ForegroundPriority, VT_BOOL, 'R', "CTDP", 1, 0},
    {DODownloadProperty_BlockingMode, VT_BOOL, 'R', "CTDP", 1, 0},
    {DODownloadProperty_CallbackInterface, VT_UNKNOWN, 'R', "CTDP", 0, 0},
    {DODownloadProperty_StreamInterface, VT_UNKNOWN, 'R', "C", 0, 0},
    {DODownloadProperty_SecurityContext, VT_ARRAY | VT_UI1, 'W', "CTDP", 0, 0},
    {DODownloadProperty_NetworkToken, VT_BOOL, 'W', "CTDP", 0, 0},
    {DODownloadProperty_CorrelationVector, VT_BSTR, 'R', "CTDP", 0, 0},
    {DODownloadProperty_DecryptionInfo, VT_BSTR, 'W', "C", 0, 0},
    {DODownloadProperty_IntegrityCheckInfo, VT_BSTR, 'W', "C", 0, 0},
    {DODownloadProperty_IntegrityCheckMandatory, VT_BOOL, 'R', "C", 0, 0},
    {DODownloadProperty_TotalSizeBytes, VT_UI8, 'R', "C", 2, 0},
    {DODownloadProperty_DisallowOnCellular, VT_BOOL, 'R', "CTDP", 0, 0},
    {DODownloadProperty_HttpCustomAuthHeaders, VT_BSTR, 'R', "CTDP", 0, 0},
    {DODownloadProperty_HttpAllowSecureToNonSecureRedirect, VT_BOOL, 'R',
     "CTDP", 1, 0},
    {DODownloadProperty_NonVolatile, VT_BOOL, 'R', "C", 1, 0},
    {DODownloadProperty_HttpRedirectionTarget, VT_BSTR, 'O', "", 2, 0},
    {DODownloadProperty_HttpResponseHeaders, VT_BSTR, 'O', "", 2, 0},
    {DODownloadProperty_HttpServerIPAddress, VT_BSTR, 'O', "", 2, 0},
    {DODownloadProperty_HttpStatusCode, VT_UI4, 'O', "", 2, 0},
};

static const char state_letter[DO_STATE_COUNT] = {'C', 'T', 'D', 'F', 'A', 'P'};

static unsigned mask_of(const char *s)
{
    unsigned m = 0;
    for (; *s; s++)
        for (int i = 0; i < DO_STATE_COUNT; i++)
            if (state_letter[i] == *s)
                m |= DO_S(i);
    return m;
}

static const char *vt_name(VARTYPE vt)
{
    switch (vt) {
    case VT_BSTR:
        return "VT_BSTR";
    case VT_UI4:
        return "VT_UI4";
    case VT_UI8:
        return "VT_UI8";
    case VT_BOOL:
        return "VT_BOOL";
    case VT_UNKNOWN:
        return "VT_UNKNOWN";
    default:
        return "VT_ARRAY\\|VT_UI1";
    }
}

/* The expected SetProperty result for property row i in state st. */
static HRESULT expected_set(int i, int st)
{
    if (expect[i].acc == 'O')
        return DO_E_READ_ONLY_PROPERTY;
    return (mask_of(expect[i].states) & DO_S(st)) ? S_OK : DO_E_INVALID_STATE;
}

void dt_print_matrix(void)
{
    static const char *const sn[DO_STATE_COUNT] = {
        "Created",   "Transferring", "Transferred",
        "Finalized", "Aborted",      "Paused"};
    printf("| id | property | VARIANT | access | Get never set |");
    for (int s = 0; s < DO_STATE_COUNT; s++)
        printf(" Set in %s |", sn[s]);
    printf("\n|---|---|---|---|---|");
    for (int s = 0; s < DO_STATE_COUNT; s++)
        printf("---|");
    printf("\n");
    for (int i = 0; i < DO_PROP_COUNT; i++) {
        const char *get;
        char buf[32];
        if (expect[i].acc == 'W')
            get = "DO_E_WRITE_ONLY_PROPERTY";
        else if (expect[i].def == 1) {
            snprintf(buf, sizeof buf, "%s",
                     expect[i].vt == VT_BOOL ? "VARIANT_FALSE" : "1");
            get = buf;
        } else if (expect[i].def == 2)
            get = i == 0 ? "generated" : "E_NOT_SET until known";
        else
            get = "E_NOT_SET";
        printf("| %d | %s | %s | %s | %s |", i, do_prop_find(i)->name,
               vt_name(expect[i].vt),
               expect[i].acc == 'R'   ? "R/W"
               : expect[i].acc == 'O' ? "read-only"
                                      : "write-only",
               get);
        for (int s = 0; s < DO_STATE_COUNT; s++) {
            HRESULT hr = expected_set(i, s);
            printf(" %s |", hr == S_OK ? "S_OK" : dt_hr_name((uint32_t)hr));
        }
        printf("\n");
    }
}

/* A valid value of property i (the caller clears it). */
static struct dt_stream *val_stream;
static struct dt_cb *val_cb;
static SAFEARRAY *cert_array(const BYTE *b, ULONG n)
{
    SAFEARRAY *sa = SafeArrayCreateVector(VT_UI1, 0, n);
    memcpy(sa->pvData, b, n);
    return sa;
}

static void valid_value(int i, VARIANT *v, const char *tag)
{
    char b[512];
    WCHAR *w = NULL;
    static const BYTE cert[] = {0x30, 0x03, 0x30, 0x01, 0x00};
    VariantInit(v);
    v->vt = expect[i].vt;
    switch (i) {
    case DODownloadProperty_Uri:
        w = docom_utf16_from_utf8(dt_url("small.bin", b, sizeof b));
        break;
    case DODownloadProperty_LocalPath:
        w = docom_utf16_from_utf8(dt_path(tag, b, sizeof b));
        break;
    case DODownloadProperty_HttpCustomHeaders:
        w = docom_utf16_from_utf8("X-Matrix: 1");
        break;
    case DODownloadProperty_HttpCustomAuthHeaders:
        w = docom_utf16_from_utf8("Authorization: Basic eDp5");
        break;
    case DODownloadProperty_CallbackFreqPercent:
        v->ulVal = 10;
        return;
    case DODownloadProperty_CallbackFreqSeconds:
        v->ulVal = 2;
        return;
    case DODownloadProperty_NoProgressTimeoutSeconds:
        v->ulVal = 120;
        return;
    case DODownloadProperty_SecurityFlags:
        v->ulVal = 0x100;
        return;
    case DODownloadProperty_CostPolicy:
        v->ulVal = DODownloadCostPolicy_Always;
        return;
    case DODownloadProperty_HttpStatusCode:
        v->ulVal = 200;
        return;
    case DODownloadProperty_TotalSizeBytes:
        v->ullVal = 4096;
        return;
    case DODownloadProperty_ForegroundPriority:
    case DODownloadProperty_NetworkToken:
        v->boolVal = VARIANT_TRUE;
        return;
    case DODownloadProperty_CallbackInterface:
        v->punkVal = (IUnknown *)&val_cb->IDODownloadStatusCallback_iface;
        return;
    case DODownloadProperty_StreamInterface:
        v->punkVal = (IUnknown *)&val_stream->IStream_iface;
        return;
    case DODownloadProperty_SecurityContext:
        v->parray = cert_array(cert, sizeof cert);
        return;
    default:
        if (expect[i].vt == VT_BOOL) {
            v->boolVal = VARIANT_FALSE;
            return;
        }
        w = docom_utf16_from_utf8("value-1");
        break;
    }
    v->bstrVal = SysAllocString(w);
    free(w);
}

static void clear_value(VARIANT *v)
{
    if (v->vt == VT_UNKNOWN)
        v->vt = VT_EMPTY; /* borrowed */
    VariantClear(v);
}

/* Set(valid) in a state, then Get: the cell's rule. */
static void check_cell(IDODownload *d, int i, int st, const char *tag)
{
    VARIANT v, got;
    HRESULT want = expected_set(i, st), hr;
    valid_value(i, &v, tag);
    hr = IDODownload_SetProperty(d, (DODownloadProperty)i, &v);
    if (hr != want)
        fprintf(stderr, "\n  cell %s in %s:", do_prop_find(i)->name,
                do_state_name(st));
    DT_EQ_HR(hr, want);
    VariantInit(&got);
    got.vt = 0x7777; /* poison */
    hr = IDODownload_GetProperty(d, (DODownloadProperty)i, &got);
    if (expect[i].acc == 'W') {
        DT_EQ_HR(hr, DO_E_WRITE_ONLY_PROPERTY);
        DT_EQ_INT(got.vt, VT_EMPTY);
    } else if (want == S_OK) {
        DT_EQ_HR(hr, S_OK);
        DT_EQ_INT(got.vt, expect[i].vt);
        if (expect[i].vt == VT_BSTR) {
            CU_ASSERT_EQUAL(ref_wcscmp(got.bstrVal, v.bstrVal), 0);
        } else if (expect[i].vt == VT_UI4) {
            DT_EQ_INT(got.ulVal, v.ulVal);
        } else if (expect[i].vt == VT_UI8) {
            DT_EQ_INT(got.ullVal, v.ullVal);
        } else if (expect[i].vt == VT_BOOL) {
            DT_EQ_INT(got.boolVal, v.boolVal);
        } else if (expect[i].vt == VT_UNKNOWN) {
            CU_ASSERT_PTR_EQUAL(got.punkVal, v.punkVal);
        }
    } else if (i == DODownloadProperty_Id) {
        DT_EQ_HR(hr, S_OK);
    }
    VariantClear(&got);
    clear_value(&v);
}

/* A download brought to state st against h2mock. */
static IDODownload *in_state(IDOManager *m, int st, const char *tag)
{
    IDODownload *d = dt_create(m);
    DO_DOWNLOAD_STATUS s;
    switch (st) {
    case DODownloadState_Created:
        return d;
    case DODownloadState_Aborted:
        DT_EQ_HR(IDODownload_Abort(d), S_OK);
        return d;
    case DODownloadState_Transferring:
    case DODownloadState_Paused:
        dt_setup(d, "stall.bin", tag);
        DT_EQ_HR(IDODownload_Start(d, NULL), S_OK);
        if (st == DODownloadState_Paused)
            DT_EQ_HR(IDODownload_Pause(d), S_OK);
        break;
    default:
        dt_setup(d, "small.bin", tag);
        DT_EQ_HR(IDODownload_Start(d, NULL), S_OK);
        dt_wait_state(d, DODownloadState_Transferred, 5000);
        if (st == DODownloadState_Finalized)
            DT_EQ_HR(IDODownload_Finalize(d), S_OK);
    }
    s = dt_status(d);
    DT_EQ_STATE(s.State, st);
    return d;
}

static void matrix_every_cell(void)
{
    IDOManager *m = dt_manager();
    char tag[64];
    unsigned cells = 0;
    val_stream = dt_stream_new();
    val_cb = dt_cb_new(NULL);
    dt_put_payload("small.bin", 4096);
    dt_put_payload("stall.bin", 65536);
    dt_rules("match path=/stall.bin action=stall after=1000\n");
    for (int st = 0; st < DO_STATE_COUNT; st++)
        for (int i = 0; i < DO_PROP_COUNT; i++) {
            IDODownload *d;
            snprintf(tag, sizeof tag, "cell-%d-%d.bin", st, i);
            d = in_state(m, st, tag);
            check_cell(d, i, st, tag);
            IDODownload_Abort(d);
            IDODownload_Release(d);
            cells++;
        }
    DT_EQ_INT(cells, DO_PROP_COUNT * DO_STATE_COUNT);
    dt_stream_release(val_stream);
    dt_cb_release(val_cb);
    IDOManager_Release(m);
}

CU_TestInfo dt_matrix_tests[] = {
    {"every_property_in_every_state", matrix_every_cell},
    CU_TEST_INFO_NULL,
};

/* ---- local rules ------------------------------------------------------ */

static void table_agrees(void)
{
    size_t n;
    const struct do_prop_info *t = do_prop_table(&n);
    DT_EQ_INT(n, DO_PROP_COUNT);
    for (int i = 0; i < DO_PROP_COUNT; i++) {
        enum do_access acc = expect[i].acc == 'R'   ? DO_RW
                             : expect[i].acc == 'O' ? DO_RO
                                                    : DO_WO;
        DT_EQ_INT(t[i].id, i);
        DT_EQ_INT(t[i].vt, expect[i].vt);
        DT_EQ_INT(t[i].access, acc);
        DT_EQ_INT(t[i].set_states, mask_of(expect[i].states));
        DT_EQ_INT(t[i].enum_category, i <= DODownloadProperty_LocalPath);
    }
    CU_ASSERT_PTR_NULL(do_prop_find(DO_PROP_COUNT));
    CU_ASSERT_PTR_NULL(do_prop_find(-1));
}

static void get_defaults(void)
{
    IDOManager *m = dt_manager();
    IDODownload *d = dt_create(m);
    for (int i = 0; i < DO_PROP_COUNT; i++) {
        VARIANT v;
        HRESULT hr;
        memset(&v, 0x5A, sizeof v); /* poison */
        hr = IDODownload_GetProperty(d, (DODownloadProperty)i, &v);
        if (expect[i].acc == 'W') {
            DT_EQ_HR(hr, DO_E_WRITE_ONLY_PROPERTY);
            DT_EQ_INT(v.vt, VT_EMPTY);
        } else if (i == DODownloadProperty_Id) {
            DT_EQ_HR(hr, S_OK);
            DT_EQ_INT(v.vt, VT_BSTR);
            DT_EQ_INT(SysStringLen(v.bstrVal), 38);
            DT_EQ_INT(v.bstrVal[0], u'{');
        } else if (expect[i].def == 1) {
            DT_EQ_HR(hr, S_OK);
            DT_EQ_INT(v.vt, expect[i].vt);
            if (expect[i].vt == VT_BOOL)
                DT_EQ_INT(v.boolVal, VARIANT_FALSE);
            else
                DT_EQ_INT(v.ulVal, expect[i].defv);
        } else {
            DT_EQ_HR(hr, E_NOT_SET);
            DT_EQ_INT(v.vt, VT_EMPTY);
        }
        VariantClear(&v);
    }
    IDODownload_Abort(d);
    IDODownload_Release(d);
    IDOManager_Release(m);
}

static void unknown_and_read_only(void)
{
    IDOManager *m = dt_manager();
    IDODownload *d = dt_create(m);
    static const int bad[] = {DO_PROP_COUNT, 1000, -1};
    VARIANT v;
    VariantInit(&v);
    v.vt = VT_UI4;
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        DT_EQ_HR(IDODownload_GetProperty(d, (DODownloadProperty)bad[k], &v),
                 DO_E_UNKNOWN_PROPERTY_ID);
        DT_EQ_HR(IDODownload_SetProperty(d, (DODownloadProperty)bad[k], &v),
                 DO_E_UNKNOWN_PROPERTY_ID);
    }
    for (int i = 0; i < DO_PROP_COUNT; i++) {
        VARIANT w;
        if (expect[i].acc != 'O')
            continue;
        valid_value(i, &w, "ro");
        DT_EQ_HR(IDODownload_SetProperty(d, (DODownloadProperty)i, &w),
                 DO_E_READ_ONLY_PROPERTY);
        clear_value(&w);
    }
    DT_EQ_HR(IDODownload_GetProperty(d, DODownloadProperty_Uri, NULL),
             E_INVALIDARG);
    DT_EQ_HR(IDODownload_SetProperty(d, DODownloadProperty_Uri, NULL),
             E_INVALIDARG);
    DT_EQ_HR(IDODownload_GetStatus(d, NULL), E_INVALIDARG);
    IDODownload_Abort(d);
    IDODownload_Release(d);
    IDOManager_Release(m);
}

static void wrong_variant_type(void)
{
    IDOManager *m = dt_manager();
    IDODownload *d = dt_create(m);
    for (int i = 0; i < DO_PROP_COUNT; i++) {
        VARIANT v;
        if (expect[i].acc == 'O')
            continue;
        VariantInit(&v);
        v.vt = VT_I4;
        v.lVal = 1;
        DT_EQ_HR(IDODownload_SetProperty(d, (DODownloadProperty)i, &v),
                 E_INVALIDARG);
    }
    IDODownload_Abort(d);
    IDODownload_Release(d);
    IDOManager_Release(m);
}

static void value_rules(void)
{
    IDOManager *m = dt_manager();
    IDODownload *d = dt_create(m);
    struct dt_stream *s = dt_stream_new();
    static const BYTE junk[] = {1, 2, 3, 4, 5};
    VARIANT v;

    DT_EQ_HR(dt_set_str(d, DODownloadProperty_Uri, u""), E_INVALIDARG);
    DT_EQ_HR(dt_set_str(d, DODownloadProperty_Uri, u"ftp://h/x"),
             INET_E_INVALID_URL);
    DT_EQ_HR(dt_set_str(d, DODownloadProperty_Uri, u"not a url"),
             INET_E_INVALID_URL);
    DT_EQ_HR(dt_set_str(d, DODownloadProperty_LocalPath, u""), E_INVALIDARG);
    DT_EQ_HR(dt_set_str(d, DODownloadProperty_LocalPath, u"rel/x.bin"),
             E_INVALIDARG);
    DT_EQ_HR(dt_set_str(d, DODownloadProperty_ContentId, u""), E_INVALIDARG);
    DT_EQ_HR(dt_set_u4(d, DODownloadProperty_NoProgressTimeoutSeconds, 59),
             E_INVALIDARG); /* D11 */
    DT_EQ_HR(dt_set_u4(d, DODownloadProperty_NoProgressTimeoutSeconds, 60),
             S_OK);
    DT_EQ_HR(dt_set_u4(d, DODownloadProperty_CostPolicy, 6), E_INVALIDARG);
    DT_EQ_HR(dt_set_u4(d, DODownloadProperty_CallbackFreqPercent, 101),
             E_INVALIDARG);
    DT_EQ_HR(dt_set_u4(d, DODownloadProperty_SecurityFlags, 0x4), E_INVALIDARG);
    DT_EQ_HR(dt_set_u4(d, DODownloadProperty_SecurityFlags, 0x3301), S_OK);
    VariantInit(&v);
    v.vt = VT_ARRAY | VT_UI1;
    v.parray = cert_array(junk, sizeof junk);
    DT_EQ_HR(IDODownload_SetProperty(d, DODownloadProperty_SecurityContext, &v),
             CRYPT_E_FILE_ERROR); /* DL-26 */
    VariantClear(&v);
    /* an object that is no callback */
    DT_EQ_HR(dt_set_unk(d, DODownloadProperty_CallbackInterface,
                        (IUnknown *)&s->IStream_iface),
             E_NOINTERFACE);
    /* ISequentialStream only is accepted */
    s->sequential_only = 1;
    DT_EQ_HR(dt_set_unk(d, DODownloadProperty_StreamInterface,
                        (IUnknown *)&s->IStream_iface),
             S_OK);
    DT_EQ_HR(dt_set_str(d, DODownloadProperty_LocalPath, u"/tmp/x.bin"),
             DO_E_FILE_DOWNLOADSINK_ALREADY_SET);
    DT_EQ_HR(dt_set_unk(d, DODownloadProperty_StreamInterface, NULL), S_OK);
    DT_EQ_HR(IDODownload_GetProperty(d, DODownloadProperty_StreamInterface, &v),
             E_NOT_SET);
    DT_EQ_HR(dt_set_str(d, DODownloadProperty_LocalPath, u"/tmp/x.bin"), S_OK);
    DT_EQ_HR(dt_set_unk(d, DODownloadProperty_StreamInterface,
                        (IUnknown *)&s->IStream_iface),
             DO_E_FILE_DOWNLOADSINK_ALREADY_SET);
    IDODownload_Abort(d);
    IDODownload_Release(d);
    dt_stream_release(s);
    IDOManager_Release(m);
}

static void round_trips(void)
{
    IDOManager *m = dt_manager();
    IDODownload *d = dt_create(m);
    struct dt_cb *c1 = dt_cb_new(d), *c2 = dt_cb_new(d);
    VARIANT v;

    DT_EQ_HR(dt_set_str(d, DODownloadProperty_DisplayName, u"Name \u00e9"),
             S_OK);
    DT_EQ_HR(IDODownload_GetProperty(d, DODownloadProperty_DisplayName, &v),
             S_OK);
    CU_ASSERT_EQUAL(ref_wcscmp(v.bstrVal, u"Name \u00e9"), 0);
    VariantClear(&v);
    DT_EQ_HR(dt_set_bool(d, DODownloadProperty_ForegroundPriority, TRUE),
             S_OK); /* DL-25 */
    DT_EQ_HR(
        IDODownload_GetProperty(d, DODownloadProperty_ForegroundPriority, &v),
        S_OK);
    DT_EQ_INT(v.vt, VT_BOOL);
    DT_EQ_INT(v.boolVal, VARIANT_TRUE);
    DT_EQ_HR(dt_set_u8(d, DODownloadProperty_TotalSizeBytes, 1ull << 40), S_OK);
    DT_EQ_HR(IDODownload_GetProperty(d, DODownloadProperty_TotalSizeBytes, &v),
             S_OK);
    DT_EQ_INT(v.vt, VT_UI8);
    CU_ASSERT_EQUAL(v.ullVal, 1ull << 40);
    /* a second callback replaces the first */
    DT_EQ_HR(dt_set_unk(d, DODownloadProperty_CallbackInterface,
                        (IUnknown *)&c1->IDODownloadStatusCallback_iface),
             S_OK);
    DT_EQ_HR(dt_set_unk(d, DODownloadProperty_CallbackInterface,
                        (IUnknown *)&c2->IDODownloadStatusCallback_iface),
             S_OK);
    DT_EQ_HR(
        IDODownload_GetProperty(d, DODownloadProperty_CallbackInterface, &v),
        S_OK);
    CU_ASSERT_PTR_EQUAL(v.punkVal, &c2->IDODownloadStatusCallback_iface);
    VariantClear(&v);
    DT_EQ_INT(c1->ref, 1); /* the download dropped the first */
    IDODownload_Abort(d);
    IDODownload_Release(d);
    dt_cb_release(c1);
    dt_cb_release(c2);
    IDOManager_Release(m);
}

static void internal_interface(void)
{
    IDOManager *m = dt_manager();
    IDODownload *d = dt_create(m), *back = NULL;
    IDODownloadInternal *in = NULL;
    VARIANT v;
    static const int reserved[] = {0, 2, 5, 6, 7, -1};

    DT_EQ_HR(
        IDODownload_QueryInterface(d, &IID_IDODownloadInternal, (void **)&in),
        S_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(in);
    DT_EQ_HR(IDODownloadInternal_QueryInterface(in, &IID_IDODownload,
                                                (void **)&back),
             S_OK);
    CU_ASSERT_PTR_EQUAL(back, d);
    IDODownload_Release(back);
    DT_EQ_HR(IDODownloadInternal_GetPropertyEx(
                 in, DODownloadPropertyEx_CorrelationVector, &v),
             E_NOT_SET);
    v.vt = VT_BSTR;
    v.bstrVal = SysAllocString(u"cv-1");
    DT_EQ_HR(IDODownloadInternal_SetPropertyEx(
                 in, DODownloadPropertyEx_CorrelationVector, &v),
             S_OK);
    VariantClear(&v);
    DT_EQ_HR(
        IDODownload_GetProperty(d, DODownloadProperty_CorrelationVector, &v),
        S_OK);
    CU_ASSERT_EQUAL(ref_wcscmp(v.bstrVal, u"cv-1"), 0);
    VariantClear(&v);
    DT_EQ_HR(IDODownloadInternal_GetPropertyEx(
                 in, DODownloadPropertyEx_IntegrityCheckInfo, &v),
             DO_E_WRITE_ONLY_PROPERTY);
    v.vt = VT_BOOL;
    v.boolVal = VARIANT_TRUE;
    DT_EQ_HR(IDODownloadInternal_SetPropertyEx(
                 in, DODownloadPropertyEx_IntegrityCheckMandatory, &v),
             S_OK);
    DT_EQ_HR(IDODownloadInternal_GetPropertyEx(
                 in, DODownloadPropertyEx_IntegrityCheckMandatory, &v),
             S_OK);
    DT_EQ_INT(v.boolVal, VARIANT_TRUE);
    for (size_t k = 0; k < sizeof reserved / sizeof reserved[0]; k++) {
        DT_EQ_HR(IDODownloadInternal_GetPropertyEx(
                     in, (DODownloadPropertyEx)reserved[k], &v),
                 DO_E_UNKNOWN_PROPERTY_ID);
        DT_EQ_HR(IDODownloadInternal_SetPropertyEx(
                     in, (DODownloadPropertyEx)reserved[k], &v),
                 DO_E_UNKNOWN_PROPERTY_ID);
    }
    IDODownload_Abort(d);
    /* after Abort: the state rule (DO_E_INVALID_STATE) */
    v.vt = VT_BSTR;
    v.bstrVal = SysAllocString(u"cv-2");
    DT_EQ_HR(IDODownloadInternal_SetPropertyEx(
                 in, DODownloadPropertyEx_CorrelationVector, &v),
             DO_E_INVALID_STATE);
    VariantClear(&v);
    IDODownloadInternal_Release(in);
    IDODownload_Release(d);
    IDOManager_Release(m);
}

static void start_preconditions(void)
{
    IDOManager *m = dt_manager();
    IDODownload *d = dt_create(m);
    DO_DOWNLOAD_RANGES_INFO *ri = calloc(1, sizeof *ri + sizeof ri->Ranges[0]);

    DT_EQ_HR(IDODownload_Start(d, NULL), DO_E_DOWNLOAD_NO_URI); /* DL-10 */
    DT_EQ_HR(dt_set_str(d, DODownloadProperty_ContentId, u"c-1"), S_OK);
    DT_EQ_HR(IDODownload_Start(d, NULL), DO_E_DOWNLOAD_NO_URI); /* DO-3 */
    DT_EQ_HR(dt_set_str(d, DODownloadProperty_Uri, u"http://127.0.0.1:9/x"),
             S_OK);
    DT_EQ_HR(IDODownload_Start(d, NULL), DO_E_FILE_DOWNLOADSINK_UNSPECIFIED);
    DT_EQ_HR(dt_set_str(d, DODownloadProperty_LocalPath, u"/tmp/do-pre.bin"),
             S_OK);
    DT_EQ_HR(dt_set_bool(d, DODownloadProperty_IntegrityCheckMandatory, TRUE),
             S_OK);
    DT_EQ_HR(IDODownload_Start(d, NULL), DO_E_INTEGRITYCHECKINFO_UNSPECIFIED);
    /* ranges are checked before anything else */
    ri->RangeCount = 1;
    ri->Ranges[0].Offset = 0;
    ri->Ranges[0].Length = 0;
    DT_EQ_HR(IDODownload_Start(d, ri), DO_E_INVALID_RANGE);
    ri->Ranges[0].Offset = DO_LENGTH_TO_EOF;
    ri->Ranges[0].Length = 1;
    DT_EQ_HR(IDODownload_Start(d, ri), DO_E_INVALID_RANGE);
    ri = realloc(ri, sizeof *ri + 2 * sizeof ri->Ranges[0]);
    ri->RangeCount = 2;
    ri->Ranges[0].Offset = 0;
    ri->Ranges[0].Length = 10;
    ri->Ranges[1].Offset = 5;
    ri->Ranges[1].Length = 10;
    DT_EQ_HR(IDODownload_Start(d, ri), DO_E_OVERLAPPING_RANGES);
    DT_EQ_STATE(dt_status(d).State, DODownloadState_Created);
    IDODownload_Abort(d);
    IDODownload_Release(d);
    /* with a known size (TotalSizeBytes) a range past it fails at Start */
    d = dt_create(m);
    DT_EQ_HR(dt_set_str(d, DODownloadProperty_Uri, u"http://127.0.0.1:9/x"),
             S_OK);
    DT_EQ_HR(dt_set_str(d, DODownloadProperty_LocalPath, u"/tmp/do-pre2.bin"),
             S_OK);
    DT_EQ_HR(dt_set_u8(d, DODownloadProperty_TotalSizeBytes, 100), S_OK);
    ri->RangeCount = 1;
    ri->Ranges[0].Offset = 100;
    ri->Ranges[0].Length = 1;
    DT_EQ_HR(IDODownload_Start(d, ri), DO_E_INVALID_RANGE);
    free(ri);
    IDODownload_Abort(d);
    IDODownload_Release(d);
    IDOManager_Release(m);
}

/* The allocation seam (R32): every failing call returns E_OUTOFMEMORY
 * and leaves nothing behind (LeakSanitizer checks the leaks). */
static void out_of_memory(void)
{
    IDOManager *m = dt_manager();
    IDODownload *d = NULL;
    IEnumUnknown *e = NULL;
    IUnknown *u = NULL;
    VARIANT v;
    HRESULT hr;
    int fails, n;

    for (n = 1, fails = 0;; n++) {
        ref_alloc_fail_nth(n);
        d = (IDODownload *)0x1;
        hr = IDOManager_CreateDownload(m, &d);
        ref_alloc_fail_nth(0);
        if (hr == S_OK)
            break;
        DT_EQ_HR(hr, E_OUTOFMEMORY);
        CU_ASSERT_PTR_NULL(d);
        fails++;
    }
    CU_ASSERT(fails >= 1);
    for (n = 1, fails = 0;; n++) {
        ref_alloc_fail_nth(n);
        hr = dt_set_str(d, DODownloadProperty_DisplayName, u"oom-name");
        ref_alloc_fail_nth(0);
        if (hr == S_OK)
            break;
        DT_EQ_HR(hr, E_OUTOFMEMORY);
        DT_EQ_HR(IDODownload_GetProperty(d, DODownloadProperty_DisplayName, &v),
                 E_NOT_SET);
        fails++;
    }
    CU_ASSERT(fails >= 1);
    for (n = 1, fails = 0;; n++) {
        ref_alloc_fail_nth(n);
        hr = IDODownload_GetProperty(d, DODownloadProperty_Id, &v);
        ref_alloc_fail_nth(0);
        if (hr == S_OK)
            break;
        DT_EQ_HR(hr, E_OUTOFMEMORY);
        DT_EQ_INT(v.vt, VT_EMPTY);
        fails++;
    }
    VariantClear(&v);
    CU_ASSERT(fails >= 1);
    for (n = 1, fails = 0;; n++) {
        ref_alloc_fail_nth(n);
        hr = IDOManager_EnumDownloads(m, NULL, &e);
        ref_alloc_fail_nth(0);
        if (hr == S_OK)
            break;
        DT_EQ_HR(hr, E_OUTOFMEMORY);
        CU_ASSERT_PTR_NULL(e);
        fails++;
    }
    CU_ASSERT(fails >= 2);
    IEnumUnknown_Release(e);
    for (n = 1, fails = 0;; n++) {
        IDOManager *m2 = NULL;
        ref_alloc_fail_nth(n);
        hr = IDOManager_QueryInterface(m, &IID_IUnknown, (void **)&u);
        if (SUCCEEDED(hr)) {
            hr = IUnknown_QueryInterface(u, &IID_IDOManager, (void **)&m2);
            IUnknown_Release(u);
        }
        ref_alloc_fail_nth(0);
        if (hr == S_OK) {
            IDOManager_Release(m2);
            break;
        }
        DT_EQ_HR(hr, E_OUTOFMEMORY);
        fails++;
    }
    CU_ASSERT(fails >= 1);
    IDODownload_Abort(d);
    IDODownload_Release(d);
    IDOManager_Release(m);
}

CU_TestInfo dt_props_tests[] = {
    {"out_of_memory", out_of_memory},
    {"table_agrees_with_spec", table_agrees},
    {"get_before_set", get_defaults},
    {"unknown_and_read_only", unknown_and_read_only},
    {"wrong_variant_type", wrong_variant_type},
    {"value_rules", value_rules},
    {"round_trips", round_trips},
    {"idodownloadinternal", internal_interface},
    {"start_preconditions", start_preconditions},
    CU_TEST_INFO_NULL,
};
