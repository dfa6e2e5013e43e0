/*
 * fuzz_com_bstr.c - libdocom's BSTR and VARIANT helpers (bstr.c,
 * variant.c): a script of operations on four BSTR slots and four VARIANTs
 * - SysAllocString / Len / ByteLen, SysReAllocString / Len (also from a
 * pointer into the string being replaced, which they allow), the length
 * queries, VariantInit / Clear / Copy (also onto itself and between
 * variants of every supported and many unsupported types: BSTR, an
 * interface that counts its references, SAFEARRAY vectors, by-reference
 * values, a locked array).  At the end every slot is freed and the
 * interface's count must be back to one.
 *
 * Input: operations of 4 bytes: opcode, two operands, a length.  The
 * strings are cut from the input itself.
 */
#include <stdlib.h>
#include <string.h>

#include "docom.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

/* An IUnknown that only counts. */
static ULONG refs;
static HRESULT STDMETHODCALLTYPE unk_qi(IUnknown *u, REFIID riid, void **pp)
{
    *pp = NULL;
    return E_NOINTERFACE;
}
static ULONG STDMETHODCALLTYPE unk_addref(IUnknown *u)
{
    return ++refs;
}
static ULONG STDMETHODCALLTYPE unk_release(IUnknown *u)
{
    if (refs == 0) {
        abort(); /* released more often than referenced */
    }
    return --refs;
}
static const IUnknownVtbl unk_vtbl = {unk_qi, unk_addref, unk_release};
static IUnknown unk = {&unk_vtbl};

static const VARTYPE types[] = {VT_EMPTY,
                                VT_NULL,
                                VT_I2,
                                VT_I4,
                                VT_R8,
                                VT_BSTR,
                                VT_UNKNOWN,
                                VT_DISPATCH,
                                VT_BOOL,
                                VT_DECIMAL,
                                VT_I8,
                                VT_UI1,
                                VT_VARIANT,
                                VT_RECORD,
                                0x7ff,
                                VT_ARRAY | VT_I4,
                                VT_ARRAY | VT_UI1,
                                VT_ARRAY | VT_BSTR,
                                VT_BYREF | VT_I4,
                                VT_BYREF | VT_BSTR,
                                VT_BYREF | VT_VARIANT,
                                VT_BYREF | VT_UNKNOWN,
                                VT_ARRAY | VT_BYREF | VT_I4,
                                VT_BYREF | VT_EMPTY,
                                VT_ARRAY | VT_DECIMAL,
                                VT_ARRAY | VT_ARRAY};
#define NTYPES (sizeof types / sizeof types[0])

struct st {
    BSTR b[4];
    VARIANT v[4];
    SAFEARRAY *locked; /* an array we hold locked (AccessData), or NULL */
    LONG i4;
    BSTR bref;
    SAFEARRAY *aref;
    VARIANT vref;
};

/* Builds v[i] as type t with a value it may own. */
static void make(struct st *s, int i, VARTYPE t, const uint8_t *p, size_t k)
{
    VARIANT *v = &s->v[i];
    if (VariantClear(v) != S_OK) {
        return; /* locked array or an unsupported type: leave it */
    }
    memset(v, 0, sizeof *v);
    v->vt = t;
    switch (t) {
    case VT_BSTR:
        v->bstrVal = SysAllocStringByteLen((LPCSTR)p, (UINT)k);
        break;
    case VT_UNKNOWN:
    case VT_DISPATCH:
        v->punkVal = k & 1 ? NULL : &unk;
        if (v->punkVal) {
            unk_addref(&unk);
        }
        break;
    case VT_ARRAY | VT_I4:
    case VT_ARRAY | VT_UI1:
        v->parray =
            SafeArrayCreateVector(t & VT_TYPEMASK, (LONG)k - 3, (ULONG)k);
        if (!v->parray) {
            v->vt = VT_EMPTY;
        }
        break;
    case VT_BYREF | VT_I4:
        v->plVal = &s->i4;
        break;
    case VT_BYREF | VT_BSTR:
        v->pbstrVal = &s->bref;
        break;
    case VT_BYREF | VT_VARIANT:
        v->pvarVal = &s->vref;
        break;
    case VT_BYREF | VT_UNKNOWN:
        v->byref = NULL;
        break;
    case VT_ARRAY | VT_BYREF | VT_I4:
        v->pparray = &s->aref;
        break;
    default:
        v->llVal = (LONGLONG)k;
        break;
    }
}

static void check_bstr(BSTR b, UINT bytes)
{
    if (!b || SysStringByteLen(b) != bytes || SysStringLen(b) != bytes / 2 ||
        ((char *)b)[bytes] != 0) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    struct st s;
    memset(&s, 0, sizeof s);
    refs = 1;
    for (int i = 0; i < 4; i++) {
        VariantInit(&s.v[i]);
    }
    for (size_t o = 0; o + 4 <= n; o += 4) {
        unsigned op = d[o] % 12, a = d[o + 1] & 3, b = d[o + 2] & 3;
        size_t k = d[o + 3] % (n - o);
        const uint8_t *p = d + o;
        BSTR old;
        switch (op) {
        case 0:
            SysFreeString(s.b[a]);
            s.b[a] = SysAllocStringByteLen((LPCSTR)p, (UINT)k);
            check_bstr(s.b[a], (UINT)k);
            break;
        case 1: {
            UINT len = k & 1 ? (UINT)k : SysStringLen(s.b[b]);
            BSTR fresh = SysAllocStringLen(k & 1 ? NULL : s.b[b], len);
            check_bstr(fresh, len * 2);
            SysFreeString(s.b[a]);
            s.b[a] = fresh;
            break;
        }
        case 2: /* from a pointer into the string it replaces */
            old = s.b[a];
            if (old) {
                UINT len = SysStringLen(old), from = (UINT)(k % (len + 1));
                if (!SysReAllocStringLen(&s.b[a], old + from, len - from)) {
                    abort();
                }
                check_bstr(s.b[a], (len - from) * 2);
            }
            break;
        case 3:
            old = s.b[a];
            if (old && SysStringByteLen(old) % 2 == 0) {
                UINT len = SysStringLen(old), from = (UINT)(k % (len + 1));
                if (!SysReAllocString(&s.b[a], old + from)) {
                    abort();
                }
            } else {
                SysReAllocString(&s.b[a], NULL);
                if (s.b[a]) {
                    abort();
                }
            }
            break;
        case 4:
            SysFreeString(s.b[a]);
            s.b[a] = NULL;
            break;
        case 5:
            make(&s, (int)a, types[(d[o + 2] >> 2) % NTYPES], p, k);
            break;
        case 6:
        case 7:
            VariantCopy(&s.v[a], &s.v[b]);
            break;
        case 8:
            VariantClear(&s.v[a]);
            break;
        case 9: /* lock an array variant's data (DISP_E_ARRAYISLOCKED) */
            if (!s.locked && (s.v[a].vt == (VT_ARRAY | VT_I4) ||
                              s.v[a].vt == (VT_ARRAY | VT_UI1))) {
                void *data;
                if (SafeArrayAccessData(s.v[a].parray, &data) == S_OK) {
                    s.locked = s.v[a].parray;
                }
            }
            break;
        case 10:
            if (s.locked) {
                SafeArrayUnaccessData(s.locked);
                s.locked = NULL;
            }
            break;
        case 11:
            VariantInit(NULL);
            if (VariantClear(NULL) != E_INVALIDARG ||
                VariantCopy(&s.v[a], NULL) != E_INVALIDARG) {
                abort();
            }
            break;
        }
    }
    if (s.locked) {
        SafeArrayUnaccessData(s.locked);
    }
    for (int i = 0; i < 4; i++) {
        SysFreeString(s.b[i]);
        if (VariantClear(&s.v[i]) != S_OK) {
            /* unsupported types own nothing; nothing to free */
        }
    }
    if (refs != 1) {
        abort(); /* an AddRef without its Release */
    }
    return 0;
}
