/*
 * variant.c - VariantInit, VariantClear and VariantCopy.
 *
 * Supported value types: VT_EMPTY, VT_NULL, the fixed-size scalars (VT_I1,
 * VT_I2, VT_I4, VT_I8, VT_UI1, VT_UI2, VT_UI4, VT_UI8, VT_INT, VT_UINT,
 * VT_R4, VT_R8, VT_CY, VT_DATE, VT_BOOL, VT_ERROR, VT_DECIMAL), VT_BSTR
 * (owned: freed on clear, deep-copied), VT_UNKNOWN and VT_DISPATCH (Release
 * on clear, AddRef on copy), VT_ARRAY | scalar (our SAFEARRAYs), and
 * VT_BYREF | any of those (borrowed: the pointer is copied, nothing is
 * freed).  Anything else is DISP_E_BADVARTYPE, as Windows answers.
 */
#include <string.h>

#include "docom.h"

/* Scalars that need no ownership work. */
static int is_plain(VARTYPE t)
{
    switch (t) {
    case VT_EMPTY:
    case VT_NULL:
    case VT_I1:
    case VT_I2:
    case VT_I4:
    case VT_I8:
    case VT_UI1:
    case VT_UI2:
    case VT_UI4:
    case VT_UI8:
    case VT_INT:
    case VT_UINT:
    case VT_R4:
    case VT_R8:
    case VT_CY:
    case VT_DATE:
    case VT_BOOL:
    case VT_ERROR:
    case VT_DECIMAL:
        return 1;
    default:
        return 0;
    }
}

/* S_OK when vt is a type this file handles, DISP_E_BADVARTYPE if not. */
static HRESULT check_type(VARTYPE vt)
{
    VARTYPE base = vt & VT_TYPEMASK;
    VARTYPE flags = vt & ~VT_TYPEMASK;
    int owned = base == VT_BSTR || base == VT_UNKNOWN || base == VT_DISPATCH;

    if (flags == 0)
        return is_plain(base) || owned ? S_OK : DISP_E_BADVARTYPE;
    if (flags == VT_BYREF)
        return base != VT_EMPTY && base != VT_NULL &&
                       (is_plain(base) || owned || base == VT_VARIANT)
                   ? S_OK
                   : DISP_E_BADVARTYPE;
    if (flags == VT_ARRAY || flags == (VT_ARRAY | VT_BYREF))
        return is_plain(base) && base != VT_EMPTY && base != VT_NULL &&
                       base != VT_DECIMAL
                   ? S_OK
                   : DISP_E_BADVARTYPE;
    return DISP_E_BADVARTYPE;
}

/* Sets pvarg to VT_EMPTY without looking at what it held (no free).  NULL
 * is ignored. */
void VariantInit(VARIANTARG *pvarg)
{
    if (!pvarg)
        return;
    pvarg->vt = VT_EMPTY;
    pvarg->wReserved1 = pvarg->wReserved2 = pvarg->wReserved3 = 0;
}

/* Frees what pvarg owns (SysFreeString for VT_BSTR, Release for
 * VT_UNKNOWN/VT_DISPATCH, SafeArrayDestroy for VT_ARRAY) and sets it to
 * VT_EMPTY.  S_OK; E_INVALIDARG for NULL; DISP_E_BADVARTYPE for a type
 * outside the supported set (pvarg untouched); DISP_E_ARRAYISLOCKED for a
 * locked array (pvarg untouched). */
HRESULT VariantClear(VARIANTARG *pvarg)
{
    HRESULT hr;

    if (!pvarg)
        return E_INVALIDARG;
    hr = check_type(pvarg->vt);
    if (FAILED(hr))
        return hr;
    switch (pvarg->vt) {
    case VT_BSTR:
        SysFreeString(pvarg->bstrVal);
        break;
    case VT_UNKNOWN:
    case VT_DISPATCH:
        if (pvarg->punkVal)
            pvarg->punkVal->lpVtbl->Release(pvarg->punkVal);
        break;
    default:
        if ((pvarg->vt & ~VT_TYPEMASK) == VT_ARRAY) {
            hr = SafeArrayDestroy(pvarg->parray);
            if (FAILED(hr))
                return hr;
        }
        break;
    }
    VariantInit(pvarg);
    return S_OK;
}

/* Clears pvargDest, then makes it a copy of pvargSrc: a new BSTR, an
 * AddRef'd interface, a new SAFEARRAY, or the same by-reference pointer.
 * Copying a VARIANT onto itself does nothing.  S_OK; E_INVALIDARG for a
 * NULL argument; DISP_E_BADVARTYPE when either type is unsupported
 * (nothing changed); E_OUTOFMEMORY (pvargDest left VT_EMPTY). */
HRESULT VariantCopy(VARIANTARG *pvargDest, const VARIANTARG *pvargSrc)
{
    HRESULT hr;
    VARIANT tmp;

    if (!pvargDest || !pvargSrc)
        return E_INVALIDARG;
    hr = check_type(pvargSrc->vt);
    if (FAILED(hr))
        return hr;
    if (pvargDest == pvargSrc)
        return S_OK;
    hr = check_type(pvargDest->vt);
    if (FAILED(hr))
        return hr;
    /* Copy first (the source may live inside what dest owns), then
     * clear dest and move the copy in. */
    memcpy(&tmp, pvargSrc, sizeof(tmp));
    switch (pvargSrc->vt) {
    case VT_BSTR:
        if (pvargSrc->bstrVal) {
            tmp.bstrVal =
                SysAllocStringByteLen((LPCSTR)(const void *)pvargSrc->bstrVal,
                                      SysStringByteLen(pvargSrc->bstrVal));
            if (!tmp.bstrVal) {
                VariantClear(pvargDest);
                return E_OUTOFMEMORY;
            }
        }
        break;
    case VT_UNKNOWN:
    case VT_DISPATCH:
        if (tmp.punkVal)
            tmp.punkVal->lpVtbl->AddRef(tmp.punkVal);
        break;
    default:
        if ((pvargSrc->vt & ~VT_TYPEMASK) == VT_ARRAY) {
            hr = SafeArrayCopy(pvargSrc->parray, &tmp.parray);
            if (FAILED(hr)) {
                VariantClear(pvargDest);
                return hr;
            }
        }
        break;
    }
    hr = VariantClear(pvargDest);
    if (FAILED(hr)) {
        VariantClear(&tmp);
        return hr;
    }
    memcpy(pvargDest, &tmp, sizeof(tmp));
    return S_OK;
}
