/*
 * DODownloadInternal.h - IDODownloadInternal, the deprecated predecessor
 * of IDODownload's extended properties (spec/interfaces.md 13, types.md
 * 5.4).  Microsoft's header of this name is not public and no public
 * source gives the interface's IID, so IID_IDODownloadInternal is OURS:
 * {77BBE941-2D13-40B5-98A0-5B635729CD09}, generated for docts (decision
 * D2 of spec/behavior.md 15).  Slot order as the docs list the methods:
 * GetPropertyEx at slot 3, SetPropertyEx at slot 4.
 */
#ifndef DOCOM_DODOWNLOADINTERNAL_H
#define DOCOM_DODOWNLOADINTERNAL_H

#include "docom.h"

#ifndef __IDODownloadInternal_FWD_DEFINED__
#define __IDODownloadInternal_FWD_DEFINED__
typedef struct IDODownloadInternal IDODownloadInternal;
#endif

typedef enum _DODownloadPropertyEx {
    DODownloadPropertyEx_UpdateId = 0,
    DODownloadPropertyEx_CorrelationVector = 1,
    DODownloadPropertyEx_DecryptionInfo = 2,
    DODownloadPropertyEx_IntegrityCheckInfo = 3,
    DODownloadPropertyEx_IntegrityCheckMandatory = 4,
    DODownloadPropertyEx_TotalSizeBytes = 5,
    DODownloadPropertyEx_TempLocalFileUsage = 6
} DODownloadPropertyEx;

/* BEGIN GENERATED IDODownloadInternal */
/* clang-format off */
#ifndef __IDODownloadInternal_INTERFACE_DEFINED__
#define __IDODownloadInternal_INTERFACE_DEFINED__
EXTERN_C const IID IID_IDODownloadInternal;
typedef struct IDODownloadInternalVtbl {
    BEGIN_INTERFACE
    /* IUnknown */
    HRESULT(STDMETHODCALLTYPE *QueryInterface)(IDODownloadInternal *This,
        REFIID riid, void **ppvObject);
    ULONG(STDMETHODCALLTYPE *AddRef)(IDODownloadInternal *This);
    ULONG(STDMETHODCALLTYPE *Release)(IDODownloadInternal *This);
    /* IDODownloadInternal */
    HRESULT(STDMETHODCALLTYPE *GetPropertyEx)(IDODownloadInternal *This,
        DODownloadPropertyEx propId, VARIANT *propVal);
    HRESULT(STDMETHODCALLTYPE *SetPropertyEx)(IDODownloadInternal *This,
        DODownloadPropertyEx propId, VARIANT *propVal);
    END_INTERFACE
} IDODownloadInternalVtbl;
struct IDODownloadInternal {
    CONST_VTBL IDODownloadInternalVtbl *lpVtbl;
};
DOCOM_STATIC_ASSERT(sizeof(IDODownloadInternalVtbl) == 5 * sizeof(void *),
                    "IDODownloadInternal has 5 slots");
#ifdef COBJMACROS
#define IDODownloadInternal_QueryInterface(This, riid, ppvObject)              \
    (This)->lpVtbl->QueryInterface(This, riid, ppvObject)
#define IDODownloadInternal_AddRef(This) (This)->lpVtbl->AddRef(This)
#define IDODownloadInternal_Release(This) (This)->lpVtbl->Release(This)
#define IDODownloadInternal_GetPropertyEx(This, propId, propVal)               \
    (This)->lpVtbl->GetPropertyEx(This, propId, propVal)
#define IDODownloadInternal_SetPropertyEx(This, propId, propVal)               \
    (This)->lpVtbl->SetPropertyEx(This, propId, propVal)
#endif
#endif
/* clang-format on */
/* END GENERATED IDODownloadInternal */

#endif /* DOCOM_DODOWNLOADINTERNAL_H */
