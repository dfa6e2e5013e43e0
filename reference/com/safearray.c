/*
 * safearray.c - one-dimensional SAFEARRAYs of fixed-size scalars, enough
 * for the VT_ARRAY | VT_UI1 properties of Delivery Optimization
 * (DODownloadProperty_SecurityContext) and for VariantCopy/VariantClear of
 * such VARIANTs.
 *
 * Each array is a private header (its VARTYPE, as FADF_HAVEVARTYPE arrays
 * carry on Windows) followed by the SAFEARRAY descriptor; the data is a
 * second block.  Only arrays made by SafeArrayCreateVector/SafeArrayCopy
 * may be passed to these functions.  Element types other than the fixed-
 * size scalars (BSTR, VARIANT, interfaces) are not supported.
 */
#include <stdlib.h>
#include <string.h>

#include "docom.h"
#include "docom_private.h"

struct sa_block {
    VARTYPE vt;
    SAFEARRAY sa;
};

#define SA_BLOCK(psa)                                                          \
    ((struct sa_block *)(void *)((char *)(psa)-offsetof(struct sa_block, sa)))

/* Element size of a supported vartype, 0 otherwise. */
static ULONG elem_size(VARTYPE vt)
{
    switch (vt) {
    case VT_I1:
    case VT_UI1:
        return 1;
    case VT_I2:
    case VT_UI2:
    case VT_BOOL:
        return 2;
    case VT_I4:
    case VT_UI4:
    case VT_INT:
    case VT_UINT:
    case VT_R4:
    case VT_ERROR:
        return 4;
    case VT_I8:
    case VT_UI8:
    case VT_R8:
    case VT_CY:
    case VT_DATE:
        return 8;
    default:
        return 0;
    }
}

/* New vector of cElements zeroed elements of type vt, indices from
 * lLbound.  Returns NULL for an unsupported vt, when the size overflows,
 * or when out of memory.  The caller frees it with SafeArrayDestroy. */
SAFEARRAY *SafeArrayCreateVector(VARTYPE vt, LONG lLbound, ULONG cElements)
{
    ULONG size = elem_size(vt);
    struct sa_block *b;

    if (!size || (size_t)cElements > SIZE_MAX / size)
        return NULL;
    b = docom_priv_malloc(sizeof(*b));
    if (!b)
        return NULL;
    memset(b, 0, sizeof(*b));
    b->sa.pvData = docom_priv_malloc((size_t)cElements * size);
    if (!b->sa.pvData) {
        free(b);
        return NULL;
    }
    memset(b->sa.pvData, 0, (size_t)cElements * size);
    b->vt = vt;
    b->sa.cDims = 1;
    b->sa.fFeatures = FADF_HAVEVARTYPE;
    b->sa.cbElements = size;
    b->sa.rgsabound[0].cElements = cElements;
    b->sa.rgsabound[0].lLbound = lLbound;
    return &b->sa;
}

/* Frees psa and its data.  S_OK (also for NULL); DISP_E_ARRAYISLOCKED
 * while SafeArrayAccessData holds it (nothing freed then). */
HRESULT SafeArrayDestroy(SAFEARRAY *psa)
{
    if (!psa)
        return S_OK;
    if (__atomic_load_n(&psa->cLocks, __ATOMIC_ACQUIRE))
        return DISP_E_ARRAYISLOCKED;
    free(psa->pvData);
    free(SA_BLOCK(psa));
    return S_OK;
}

/* Deep copy into *ppsaOut (NULL psa copies to NULL).  S_OK; E_INVALIDARG
 * for a NULL ppsaOut; E_OUTOFMEMORY (then *ppsaOut = NULL). */
HRESULT SafeArrayCopy(SAFEARRAY *psa, SAFEARRAY **ppsaOut)
{
    SAFEARRAY *out;

    if (!ppsaOut)
        return E_INVALIDARG;
    *ppsaOut = NULL;
    if (!psa)
        return S_OK;
    out = SafeArrayCreateVector(SA_BLOCK(psa)->vt, psa->rgsabound[0].lLbound,
                                psa->rgsabound[0].cElements);
    if (!out)
        return E_OUTOFMEMORY;
    memcpy(out->pvData, psa->pvData,
           (size_t)psa->rgsabound[0].cElements * psa->cbElements);
    *ppsaOut = out;
    return S_OK;
}

/* Locks psa and returns its data in *ppvData.  S_OK; E_INVALIDARG for
 * NULL arguments. */
HRESULT SafeArrayAccessData(SAFEARRAY *psa, void **ppvData)
{
    if (!psa || !ppvData)
        return E_INVALIDARG;
    __atomic_add_fetch(&psa->cLocks, 1, __ATOMIC_ACQ_REL);
    *ppvData = psa->pvData;
    return S_OK;
}

/* Undoes one SafeArrayAccessData.  S_OK; E_INVALIDARG for NULL;
 * E_UNEXPECTED when the array is not locked. */
HRESULT SafeArrayUnaccessData(SAFEARRAY *psa)
{
    ULONG cur;

    if (!psa)
        return E_INVALIDARG;
    cur = __atomic_load_n(&psa->cLocks, __ATOMIC_ACQUIRE);
    do {
        if (cur == 0)
            return E_UNEXPECTED;
    } while (!__atomic_compare_exchange_n(&psa->cLocks, &cur, cur - 1, 1,
                                          __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
    return S_OK;
}

/* Lower bound of dimension nDim (1-based).  S_OK; E_INVALIDARG for NULL;
 * DISP_E_BADINDEX for a dimension the array lacks. */
HRESULT SafeArrayGetLBound(SAFEARRAY *psa, UINT nDim, LONG *plLbound)
{
    if (!psa || !plLbound)
        return E_INVALIDARG;
    if (nDim < 1 || nDim > psa->cDims)
        return DISP_E_BADINDEX;
    *plLbound = psa->rgsabound[psa->cDims - nDim].lLbound;
    return S_OK;
}

/* Upper bound (lower + count - 1) of dimension nDim; errors as above. */
HRESULT SafeArrayGetUBound(SAFEARRAY *psa, UINT nDim, LONG *plUbound)
{
    const SAFEARRAYBOUND *b;

    if (!psa || !plUbound)
        return E_INVALIDARG;
    if (nDim < 1 || nDim > psa->cDims)
        return DISP_E_BADINDEX;
    b = &psa->rgsabound[psa->cDims - nDim];
    *plUbound = (LONG)((int64_t)b->lLbound + (int64_t)b->cElements - 1);
    return S_OK;
}

/* Number of dimensions; 0 for NULL. */
UINT SafeArrayGetDim(SAFEARRAY *psa)
{
    return psa ? psa->cDims : 0;
}

/* Element size in bytes; 0 for NULL. */
UINT SafeArrayGetElemsize(SAFEARRAY *psa)
{
    return psa ? psa->cbElements : 0;
}

/* Element type.  S_OK; E_INVALIDARG for NULL arguments. */
HRESULT SafeArrayGetVartype(SAFEARRAY *psa, VARTYPE *pvt)
{
    if (!psa || !pvt)
        return E_INVALIDARG;
    *pvt = SA_BLOCK(psa)->vt;
    return S_OK;
}
