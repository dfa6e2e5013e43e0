/*
 * test_variant.c - VariantInit / VariantClear / VariantCopy over every
 * supported type, ownership (BSTR deep copy, AddRef/Release of
 * VT_UNKNOWN through a counting fake object), and DISP_E_BADVARTYPE for
 * what is not supported.
 */
#include <stdlib.h>
#include <string.h>

#include "com_test.h"

/* A fake object that only counts references. */
struct counted {
    IUnknown IUnknown_iface;
    long refs;
};

static HRESULT STDMETHODCALLTYPE cnt_QueryInterface(IUnknown *This, REFIID riid,
                                                    void **ppv)
{
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE cnt_AddRef(IUnknown *This)
{
    return (ULONG)++((struct counted *)(void *)This)->refs;
}

static ULONG STDMETHODCALLTYPE cnt_Release(IUnknown *This)
{
    return (ULONG)--((struct counted *)(void *)This)->refs;
}

static const IUnknownVtbl cnt_vtbl = {cnt_QueryInterface, cnt_AddRef,
                                      cnt_Release};

static void test_init(void)
{
    VARIANT v;

    memset(&v, 0xCC, sizeof(v));
    VariantInit(&v);
    ASSERT_EQ(VT_EMPTY, V_VT(&v));
    VariantInit(NULL); /* ignored */
}

static void test_clear_scalars(void)
{
    static const VARTYPE types[] = {VT_EMPTY, VT_NULL, VT_I1,   VT_I2,  VT_I4,
                                    VT_I8,    VT_UI1,  VT_UI2,  VT_UI4, VT_UI8,
                                    VT_INT,   VT_UINT, VT_R4,   VT_R8,  VT_CY,
                                    VT_DATE,  VT_BOOL, VT_ERROR};
    size_t i;

    for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        VARIANT v;
        VariantInit(&v);
        V_VT(&v) = types[i];
        V_UI8(&v) = 42;
        ASSERT_HR(S_OK, VariantClear(&v));
        ASSERT_EQ(VT_EMPTY, V_VT(&v));
    }
}

static void test_clear_bstr_frees(void)
{
    VARIANT v;

    VariantInit(&v);
    V_VT(&v) = VT_BSTR;
    V_BSTR(&v) = SysAllocString(u"owned"); /* ASan would flag a leak */
    ASSERT_HR(S_OK, VariantClear(&v));
    ASSERT_EQ(VT_EMPTY, V_VT(&v));
    V_VT(&v) = VT_BSTR;
    V_BSTR(&v) = NULL; /* NULL BSTR is valid */
    ASSERT_HR(S_OK, VariantClear(&v));
}

static void test_clear_unknown_releases(void)
{
    struct counted obj = {{&cnt_vtbl}, 1};
    VARIANT v;

    VariantInit(&v);
    V_VT(&v) = VT_UNKNOWN;
    V_UNKNOWN(&v) = &obj.IUnknown_iface;
    ASSERT_HR(S_OK, VariantClear(&v));
    ASSERT_EQ(0, obj.refs);
    V_VT(&v) = VT_UNKNOWN;
    V_UNKNOWN(&v) = NULL;
    ASSERT_HR(S_OK, VariantClear(&v));
}

static void test_clear_byref_does_not_free(void)
{
    BSTR s = SysAllocString(u"borrowed");
    VARIANT v;

    VariantInit(&v);
    V_VT(&v) = VT_BSTR | VT_BYREF;
    V_BSTRREF(&v) = &s;
    ASSERT_HR(S_OK, VariantClear(&v));
    ASSERT_EQ(VT_EMPTY, V_VT(&v));
    ASSERT_WSTR(u"borrowed", s);
    SysFreeString(s);
}

static void test_bad_types(void)
{
    static const VARTYPE bad[] = {15,
                                  VT_VOID,
                                  VT_HRESULT,
                                  VT_PTR,
                                  VT_LPWSTR,
                                  VT_RECORD,
                                  VT_CLSID,
                                  0x7FF,
                                  VT_VECTOR | VT_UI1,
                                  VT_ARRAY | VT_BSTR,
                                  VT_BYREF | VT_EMPTY,
                                  VT_RESERVED | VT_I4,
                                  VT_VARIANT};
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        VARIANT v, d;
        VariantInit(&v);
        VariantInit(&d);
        V_VT(&v) = bad[i];
        ASSERT_HR(DISP_E_BADVARTYPE, VariantClear(&v));
        ASSERT_EQ(bad[i], V_VT(&v)); /* untouched */
        ASSERT_HR(DISP_E_BADVARTYPE, VariantCopy(&d, &v));
        ASSERT_EQ(VT_EMPTY, V_VT(&d));
    }
}

static void test_null_args(void)
{
    VARIANT v;

    VariantInit(&v);
    ASSERT_HR(E_INVALIDARG, VariantClear(NULL));
    ASSERT_HR(E_INVALIDARG, VariantCopy(NULL, &v));
    ASSERT_HR(E_INVALIDARG, VariantCopy(&v, NULL));
}

static void test_copy_scalars(void)
{
    VARIANT s, d;

    VariantInit(&s);
    VariantInit(&d);
    V_VT(&s) = VT_UI8;
    V_UI8(&s) = 0x123456789ABCDEF0ull;
    ASSERT_HR(S_OK, VariantCopy(&d, &s));
    ASSERT_EQ(VT_UI8, V_VT(&d));
    ASSERT_EQ(0x123456789ABCDEF0ull, V_UI8(&d));
    V_VT(&s) = VT_BOOL;
    V_BOOL(&s) = VARIANT_TRUE;
    ASSERT_HR(S_OK, VariantCopy(&d, &s));
    ASSERT_EQ(VT_BOOL, V_VT(&d));
    ASSERT_EQ(VARIANT_TRUE, V_BOOL(&d));
    V_VT(&s) = VT_I4;
    V_I4(&s) = -7;
    ASSERT_HR(S_OK, VariantCopy(&d, &s));
    ASSERT_EQ(-7, V_I4(&d));
    V_VT(&s) = VT_UI4;
    V_UI4(&s) = 0xFFFFFFFFu;
    ASSERT_HR(S_OK, VariantCopy(&d, &s));
    ASSERT_EQ(0xFFFFFFFFu, V_UI4(&d));
}

static void test_copy_bstr_is_deep(void)
{
    static const WCHAR raw[] = {u'x', 0, u'y'};
    VARIANT s, d;

    VariantInit(&s);
    VariantInit(&d);
    V_VT(&s) = VT_BSTR;
    V_BSTR(&s) = SysAllocStringLen(raw, 3);
    ASSERT_HR(S_OK, VariantCopy(&d, &s));
    ASSERT_EQ(VT_BSTR, V_VT(&d));
    CU_ASSERT_PTR_NOT_EQUAL(V_BSTR(&d), V_BSTR(&s));
    ASSERT_EQ(3, SysStringLen(V_BSTR(&d))); /* embedded NUL kept */
    CU_ASSERT(memcmp(V_BSTR(&d), raw, sizeof(raw)) == 0);
    ASSERT_HR(S_OK, VariantClear(&s));
    ASSERT_HR(S_OK, VariantClear(&d));
}

static void test_copy_bstr_odd_bytes(void)
{
    VARIANT s, d;

    VariantInit(&s);
    VariantInit(&d);
    V_VT(&s) = VT_BSTR;
    V_BSTR(&s) = SysAllocStringByteLen("abc", 3);
    ASSERT_HR(S_OK, VariantCopy(&d, &s));
    ASSERT_EQ(3, SysStringByteLen(V_BSTR(&d)));
    VariantClear(&s);
    VariantClear(&d);
}

static void test_copy_unknown_addrefs(void)
{
    struct counted obj = {{&cnt_vtbl}, 1};
    VARIANT s, d;

    VariantInit(&s);
    VariantInit(&d);
    V_VT(&s) = VT_UNKNOWN;
    V_UNKNOWN(&s) = &obj.IUnknown_iface;
    ASSERT_HR(S_OK, VariantCopy(&d, &s));
    ASSERT_EQ(2, obj.refs);
    CU_ASSERT_PTR_EQUAL(V_UNKNOWN(&d), &obj.IUnknown_iface);
    ASSERT_HR(S_OK, VariantClear(&d));
    ASSERT_EQ(1, obj.refs);
    /* copying over a dest that holds it releases the old reference */
    ASSERT_HR(S_OK, VariantCopy(&d, &s));
    ASSERT_HR(S_OK, VariantCopy(&d, &s));
    ASSERT_EQ(2, obj.refs);
    ASSERT_HR(S_OK, VariantClear(&d));
    ASSERT_EQ(1, obj.refs);
}

static void test_copy_clears_dest(void)
{
    VARIANT s, d;

    VariantInit(&s);
    VariantInit(&d);
    V_VT(&d) = VT_BSTR;
    V_BSTR(&d) = SysAllocString(u"old"); /* must be freed by the copy */
    V_VT(&s) = VT_I4;
    V_I4(&s) = 5;
    ASSERT_HR(S_OK, VariantCopy(&d, &s));
    ASSERT_EQ(VT_I4, V_VT(&d));
    ASSERT_EQ(5, V_I4(&d));
}

static void test_copy_self(void)
{
    VARIANT v;

    VariantInit(&v);
    V_VT(&v) = VT_BSTR;
    V_BSTR(&v) = SysAllocString(u"same");
    ASSERT_HR(S_OK, VariantCopy(&v, &v));
    ASSERT_WSTR(u"same", V_BSTR(&v));
    VariantClear(&v);
}

static void test_copy_bad_dest(void)
{
    VARIANT s, d;

    VariantInit(&s);
    VariantInit(&d);
    V_VT(&d) = VT_VOID;
    ASSERT_HR(DISP_E_BADVARTYPE, VariantCopy(&d, &s));
    ASSERT_EQ(VT_VOID, V_VT(&d));
}

static void test_copy_out_of_memory(void)
{
    VARIANT s, d;

    VariantInit(&s);
    VariantInit(&d);
    V_VT(&s) = VT_BSTR;
    V_BSTR(&s) = SysAllocString(u"copy me");
    docom_test_fail_alloc(1);
    ASSERT_HR(E_OUTOFMEMORY, VariantCopy(&d, &s));
    ASSERT_EQ(VT_EMPTY, V_VT(&d));
    VariantClear(&s);
}

static void test_copy_array(void)
{
    VARIANT s, d;
    BYTE *data;

    VariantInit(&s);
    VariantInit(&d);
    V_VT(&s) = VT_ARRAY | VT_UI1;
    V_ARRAY(&s) = SafeArrayCreateVector(VT_UI1, 0, 3);
    CU_ASSERT_PTR_NOT_NULL_FATAL(V_ARRAY(&s));
    ASSERT_HR(S_OK, SafeArrayAccessData(V_ARRAY(&s), (void **)&data));
    memcpy(data, "\x01\x02\x03", 3);
    ASSERT_HR(S_OK, SafeArrayUnaccessData(V_ARRAY(&s)));
    ASSERT_HR(S_OK, VariantCopy(&d, &s));
    CU_ASSERT_PTR_NOT_EQUAL(V_ARRAY(&d), V_ARRAY(&s));
    ASSERT_HR(S_OK, SafeArrayAccessData(V_ARRAY(&d), (void **)&data));
    CU_ASSERT(memcmp(data, "\x01\x02\x03", 3) == 0);
    /* a locked array cannot be cleared */
    ASSERT_HR(DISP_E_ARRAYISLOCKED, VariantClear(&d));
    ASSERT_HR(S_OK, SafeArrayUnaccessData(V_ARRAY(&d)));
    ASSERT_HR(S_OK, VariantClear(&d));
    ASSERT_HR(S_OK, VariantClear(&s));
}

static void test_layout(void)
{
    ASSERT_EQ(sizeof(void *) == 8 ? 24 : 16, sizeof(VARIANT));
    ASSERT_EQ(0, offsetof(VARIANT, vt));
    ASSERT_EQ(8, offsetof(VARIANT, bstrVal));
    ASSERT_EQ(8, offsetof(VARIANT, ullVal));
    ASSERT_EQ(8, offsetof(VARIANT, punkVal));
    ASSERT_EQ(0, VARIANT_FALSE);
    ASSERT_EQ(-1, VARIANT_TRUE);
    ASSERT_EQ(0x2011, VT_ARRAY | VT_UI1);
}

CU_TestInfo variant_tests[] = {
    {"VariantInit", test_init},
    {"VariantClear of scalars", test_clear_scalars},
    {"VariantClear frees a BSTR", test_clear_bstr_frees},
    {"VariantClear releases VT_UNKNOWN", test_clear_unknown_releases},
    {"VariantClear leaves VT_BYREF data", test_clear_byref_does_not_free},
    {"unsupported types give DISP_E_BADVARTYPE", test_bad_types},
    {"NULL arguments give E_INVALIDARG", test_null_args},
    {"VariantCopy of scalars", test_copy_scalars},
    {"VariantCopy of BSTR is deep", test_copy_bstr_is_deep},
    {"VariantCopy of odd-length BSTR", test_copy_bstr_odd_bytes},
    {"VariantCopy of VT_UNKNOWN AddRefs", test_copy_unknown_addrefs},
    {"VariantCopy clears the destination", test_copy_clears_dest},
    {"VariantCopy onto itself", test_copy_self},
    {"VariantCopy onto a bad destination", test_copy_bad_dest},
    {"VariantCopy out of memory", test_copy_out_of_memory},
    {"VariantCopy of VT_ARRAY|VT_UI1", test_copy_array},
    {"VARIANT layout and constants", test_layout},
    CU_TEST_INFO_NULL,
};
