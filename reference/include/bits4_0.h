/*
 * bits4_0.h - BITS 4.0: IBackgroundCopyFile4 (peer download statistics)
 * and the BG_TOKEN flags, with the Windows SDK's names (spec/interfaces.md
 * 5.4, spec/types.md 4.5).  IBitsTokenOptions is not part of docts.
 */
#ifndef DOCOM_BITS4_0_H
#define DOCOM_BITS4_0_H

#include "bits3_0.h"

#ifndef __IBackgroundCopyFile4_FWD_DEFINED__
#define __IBackgroundCopyFile4_FWD_DEFINED__
typedef struct IBackgroundCopyFile4 IBackgroundCopyFile4;
#endif

#define BG_TOKEN_LOCAL_FILE 0x0001
#define BG_TOKEN_NETWORK 0x0002

/* BEGIN GENERATED IBackgroundCopyFile4 */
/* clang-format off */
#ifndef __IBackgroundCopyFile4_INTERFACE_DEFINED__
#define __IBackgroundCopyFile4_INTERFACE_DEFINED__
EXTERN_C const IID IID_IBackgroundCopyFile4;
typedef struct IBackgroundCopyFile4Vtbl {
    BEGIN_INTERFACE
    /* IUnknown */
    HRESULT(STDMETHODCALLTYPE *QueryInterface)(IBackgroundCopyFile4 *This,
        REFIID riid, void **ppvObject);
    ULONG(STDMETHODCALLTYPE *AddRef)(IBackgroundCopyFile4 *This);
    ULONG(STDMETHODCALLTYPE *Release)(IBackgroundCopyFile4 *This);
    /* IBackgroundCopyFile */
    HRESULT(STDMETHODCALLTYPE *GetRemoteName)(IBackgroundCopyFile4 *This,
        LPWSTR *pVal);
    HRESULT(STDMETHODCALLTYPE *GetLocalName)(IBackgroundCopyFile4 *This,
        LPWSTR *pVal);
    HRESULT(STDMETHODCALLTYPE *GetProgress)(IBackgroundCopyFile4 *This,
        BG_FILE_PROGRESS *pVal);
    /* IBackgroundCopyFile2 */
    HRESULT(STDMETHODCALLTYPE *GetFileRanges)(IBackgroundCopyFile4 *This,
        DWORD *RangeCount, BG_FILE_RANGE **Ranges);
    HRESULT(STDMETHODCALLTYPE *SetRemoteName)(IBackgroundCopyFile4 *This,
        LPCWSTR Val);
    /* IBackgroundCopyFile3 */
    HRESULT(STDMETHODCALLTYPE *GetTemporaryName)(IBackgroundCopyFile4 *This,
        LPWSTR *pFilename);
    HRESULT(STDMETHODCALLTYPE *SetValidationState)(IBackgroundCopyFile4 *This,
        BOOL state);
    HRESULT(STDMETHODCALLTYPE *GetValidationState)(IBackgroundCopyFile4 *This,
        BOOL *pState);
    HRESULT(STDMETHODCALLTYPE *IsDownloadedFromPeer)(IBackgroundCopyFile4 *This,
        BOOL *pVal);
    /* IBackgroundCopyFile4 */
    HRESULT(STDMETHODCALLTYPE *GetPeerDownloadStats)(IBackgroundCopyFile4 *This,
        UINT64 *pFromOrigin, UINT64 *pFromPeers);
    END_INTERFACE
} IBackgroundCopyFile4Vtbl;
struct IBackgroundCopyFile4 {
    CONST_VTBL IBackgroundCopyFile4Vtbl *lpVtbl;
};
DOCOM_STATIC_ASSERT(sizeof(IBackgroundCopyFile4Vtbl) == 13 * sizeof(void *),
                    "IBackgroundCopyFile4 has 13 slots");
#ifdef COBJMACROS
#define IBackgroundCopyFile4_QueryInterface(This, riid, ppvObject)             \
    (This)->lpVtbl->QueryInterface(This, riid, ppvObject)
#define IBackgroundCopyFile4_AddRef(This) (This)->lpVtbl->AddRef(This)
#define IBackgroundCopyFile4_Release(This) (This)->lpVtbl->Release(This)
#define IBackgroundCopyFile4_GetRemoteName(This, pVal)                         \
    (This)->lpVtbl->GetRemoteName(This, pVal)
#define IBackgroundCopyFile4_GetLocalName(This, pVal)                          \
    (This)->lpVtbl->GetLocalName(This, pVal)
#define IBackgroundCopyFile4_GetProgress(This, pVal)                           \
    (This)->lpVtbl->GetProgress(This, pVal)
#define IBackgroundCopyFile4_GetFileRanges(This, RangeCount, Ranges)           \
    (This)->lpVtbl->GetFileRanges(This, RangeCount, Ranges)
#define IBackgroundCopyFile4_SetRemoteName(This, Val)                          \
    (This)->lpVtbl->SetRemoteName(This, Val)
#define IBackgroundCopyFile4_GetTemporaryName(This, pFilename)                 \
    (This)->lpVtbl->GetTemporaryName(This, pFilename)
#define IBackgroundCopyFile4_SetValidationState(This, state)                   \
    (This)->lpVtbl->SetValidationState(This, state)
#define IBackgroundCopyFile4_GetValidationState(This, pState)                  \
    (This)->lpVtbl->GetValidationState(This, pState)
#define IBackgroundCopyFile4_IsDownloadedFromPeer(This, pVal)                  \
    (This)->lpVtbl->IsDownloadedFromPeer(This, pVal)
#define IBackgroundCopyFile4_GetPeerDownloadStats(This, pFromOrigin,           \
    pFromPeers)                                                                \
    (This)->lpVtbl->GetPeerDownloadStats(This, pFromOrigin, pFromPeers)
#endif
#endif
/* clang-format on */
/* END GENERATED IBackgroundCopyFile4 */

EXTERN_C const CLSID CLSID_BackgroundCopyManager4_0;

#endif /* DOCOM_BITS4_0_H */
