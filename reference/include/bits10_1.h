/*
 * bits10_1.h - BITS 10.1: IBackgroundCopyFile6 (on-demand ranges) and
 * IBackgroundCopyCallback3 (FileRangesTransferred), with the Windows SDK's
 * names (spec/interfaces.md 5.6 and 7.3).
 */
#ifndef DOCOM_BITS10_1_H
#define DOCOM_BITS10_1_H

#include "bits5_0.h"

#ifndef __IBackgroundCopyCallback3_FWD_DEFINED__
#define __IBackgroundCopyCallback3_FWD_DEFINED__
typedef struct IBackgroundCopyCallback3 IBackgroundCopyCallback3;
#endif
#ifndef __IBackgroundCopyFile6_FWD_DEFINED__
#define __IBackgroundCopyFile6_FWD_DEFINED__
typedef struct IBackgroundCopyFile6 IBackgroundCopyFile6;
#endif

#define BG_NOTIFY_FILE_RANGES_TRANSFERRED 0x0020

/* BEGIN GENERATED IBackgroundCopyCallback3 */
/* clang-format off */
#ifndef __IBackgroundCopyCallback3_INTERFACE_DEFINED__
#define __IBackgroundCopyCallback3_INTERFACE_DEFINED__
EXTERN_C const IID IID_IBackgroundCopyCallback3;
typedef struct IBackgroundCopyCallback3Vtbl {
    BEGIN_INTERFACE
    /* IUnknown */
    HRESULT(STDMETHODCALLTYPE *QueryInterface)(IBackgroundCopyCallback3 *This,
        REFIID riid, void **ppvObject);
    ULONG(STDMETHODCALLTYPE *AddRef)(IBackgroundCopyCallback3 *This);
    ULONG(STDMETHODCALLTYPE *Release)(IBackgroundCopyCallback3 *This);
    /* IBackgroundCopyCallback */
    HRESULT(STDMETHODCALLTYPE *JobTransferred)(IBackgroundCopyCallback3 *This,
        IBackgroundCopyJob *pJob);
    HRESULT(STDMETHODCALLTYPE *JobError)(IBackgroundCopyCallback3 *This,
        IBackgroundCopyJob *pJob, IBackgroundCopyError *pError);
    HRESULT(STDMETHODCALLTYPE *JobModification)(IBackgroundCopyCallback3 *This,
        IBackgroundCopyJob *pJob, DWORD dwReserved);
    /* IBackgroundCopyCallback2 */
    HRESULT(STDMETHODCALLTYPE *FileTransferred)(IBackgroundCopyCallback3 *This,
        IBackgroundCopyJob *pJob, IBackgroundCopyFile *pFile);
    /* IBackgroundCopyCallback3 */
    HRESULT(STDMETHODCALLTYPE *FileRangesTransferred)(
        IBackgroundCopyCallback3 *This, IBackgroundCopyJob *job,
        IBackgroundCopyFile *file, DWORD rangeCount,
        const BG_FILE_RANGE *ranges);
    END_INTERFACE
} IBackgroundCopyCallback3Vtbl;
struct IBackgroundCopyCallback3 {
    CONST_VTBL IBackgroundCopyCallback3Vtbl *lpVtbl;
};
DOCOM_STATIC_ASSERT(sizeof(IBackgroundCopyCallback3Vtbl) == 8 * sizeof(void *),
                    "IBackgroundCopyCallback3 has 8 slots");
#ifdef COBJMACROS
#define IBackgroundCopyCallback3_QueryInterface(This, riid, ppvObject)         \
    (This)->lpVtbl->QueryInterface(This, riid, ppvObject)
#define IBackgroundCopyCallback3_AddRef(This) (This)->lpVtbl->AddRef(This)
#define IBackgroundCopyCallback3_Release(This) (This)->lpVtbl->Release(This)
#define IBackgroundCopyCallback3_JobTransferred(This, pJob)                    \
    (This)->lpVtbl->JobTransferred(This, pJob)
#define IBackgroundCopyCallback3_JobError(This, pJob, pError)                  \
    (This)->lpVtbl->JobError(This, pJob, pError)
#define IBackgroundCopyCallback3_JobModification(This, pJob, dwReserved)       \
    (This)->lpVtbl->JobModification(This, pJob, dwReserved)
#define IBackgroundCopyCallback3_FileTransferred(This, pJob, pFile)            \
    (This)->lpVtbl->FileTransferred(This, pJob, pFile)
#define IBackgroundCopyCallback3_FileRangesTransferred(This, job, file,        \
    rangeCount, ranges)                                                        \
    (This)->lpVtbl->FileRangesTransferred(This, job, file, rangeCount, ranges)
#endif
#endif
/* clang-format on */
/* END GENERATED IBackgroundCopyCallback3 */

/* BEGIN GENERATED IBackgroundCopyFile6 */
/* clang-format off */
#ifndef __IBackgroundCopyFile6_INTERFACE_DEFINED__
#define __IBackgroundCopyFile6_INTERFACE_DEFINED__
EXTERN_C const IID IID_IBackgroundCopyFile6;
typedef struct IBackgroundCopyFile6Vtbl {
    BEGIN_INTERFACE
    /* IUnknown */
    HRESULT(STDMETHODCALLTYPE *QueryInterface)(IBackgroundCopyFile6 *This,
        REFIID riid, void **ppvObject);
    ULONG(STDMETHODCALLTYPE *AddRef)(IBackgroundCopyFile6 *This);
    ULONG(STDMETHODCALLTYPE *Release)(IBackgroundCopyFile6 *This);
    /* IBackgroundCopyFile */
    HRESULT(STDMETHODCALLTYPE *GetRemoteName)(IBackgroundCopyFile6 *This,
        LPWSTR *pVal);
    HRESULT(STDMETHODCALLTYPE *GetLocalName)(IBackgroundCopyFile6 *This,
        LPWSTR *pVal);
    HRESULT(STDMETHODCALLTYPE *GetProgress)(IBackgroundCopyFile6 *This,
        BG_FILE_PROGRESS *pVal);
    /* IBackgroundCopyFile2 */
    HRESULT(STDMETHODCALLTYPE *GetFileRanges)(IBackgroundCopyFile6 *This,
        DWORD *RangeCount, BG_FILE_RANGE **Ranges);
    HRESULT(STDMETHODCALLTYPE *SetRemoteName)(IBackgroundCopyFile6 *This,
        LPCWSTR Val);
    /* IBackgroundCopyFile3 */
    HRESULT(STDMETHODCALLTYPE *GetTemporaryName)(IBackgroundCopyFile6 *This,
        LPWSTR *pFilename);
    HRESULT(STDMETHODCALLTYPE *SetValidationState)(IBackgroundCopyFile6 *This,
        BOOL state);
    HRESULT(STDMETHODCALLTYPE *GetValidationState)(IBackgroundCopyFile6 *This,
        BOOL *pState);
    HRESULT(STDMETHODCALLTYPE *IsDownloadedFromPeer)(IBackgroundCopyFile6 *This,
        BOOL *pVal);
    /* IBackgroundCopyFile4 */
    HRESULT(STDMETHODCALLTYPE *GetPeerDownloadStats)(IBackgroundCopyFile6 *This,
        UINT64 *pFromOrigin, UINT64 *pFromPeers);
    /* IBackgroundCopyFile5 */
    HRESULT(STDMETHODCALLTYPE *SetProperty)(IBackgroundCopyFile6 *This,
        BITS_FILE_PROPERTY_ID PropertyId,
        BITS_FILE_PROPERTY_VALUE PropertyValue);
    HRESULT(STDMETHODCALLTYPE *GetProperty)(IBackgroundCopyFile6 *This,
        BITS_FILE_PROPERTY_ID PropertyId,
        BITS_FILE_PROPERTY_VALUE *PropertyValue);
    /* IBackgroundCopyFile6 */
    HRESULT(STDMETHODCALLTYPE *UpdateDownloadPosition)(
        IBackgroundCopyFile6 *This, UINT64 offset);
    HRESULT(STDMETHODCALLTYPE *RequestFileRanges)(IBackgroundCopyFile6 *This,
        DWORD rangeCount, const BG_FILE_RANGE *ranges);
    HRESULT(STDMETHODCALLTYPE *GetFilledFileRanges)(IBackgroundCopyFile6 *This,
        DWORD *rangeCount, BG_FILE_RANGE **ranges);
    END_INTERFACE
} IBackgroundCopyFile6Vtbl;
struct IBackgroundCopyFile6 {
    CONST_VTBL IBackgroundCopyFile6Vtbl *lpVtbl;
};
DOCOM_STATIC_ASSERT(sizeof(IBackgroundCopyFile6Vtbl) == 18 * sizeof(void *),
                    "IBackgroundCopyFile6 has 18 slots");
#ifdef COBJMACROS
#define IBackgroundCopyFile6_QueryInterface(This, riid, ppvObject)             \
    (This)->lpVtbl->QueryInterface(This, riid, ppvObject)
#define IBackgroundCopyFile6_AddRef(This) (This)->lpVtbl->AddRef(This)
#define IBackgroundCopyFile6_Release(This) (This)->lpVtbl->Release(This)
#define IBackgroundCopyFile6_GetRemoteName(This, pVal)                         \
    (This)->lpVtbl->GetRemoteName(This, pVal)
#define IBackgroundCopyFile6_GetLocalName(This, pVal)                          \
    (This)->lpVtbl->GetLocalName(This, pVal)
#define IBackgroundCopyFile6_GetProgress(This, pVal)                           \
    (This)->lpVtbl->GetProgress(This, pVal)
#define IBackgroundCopyFile6_GetFileRanges(This, RangeCount, Ranges)           \
    (This)->lpVtbl->GetFileRanges(This, RangeCount, Ranges)
#define IBackgroundCopyFile6_SetRemoteName(This, Val)                          \
    (This)->lpVtbl->SetRemoteName(This, Val)
#define IBackgroundCopyFile6_GetTemporaryName(This, pFilename)                 \
    (This)->lpVtbl->GetTemporaryName(This, pFilename)
#define IBackgroundCopyFile6_SetValidationState(This, state)                   \
    (This)->lpVtbl->SetValidationState(This, state)
#define IBackgroundCopyFile6_GetValidationState(This, pState)                  \
    (This)->lpVtbl->GetValidationState(This, pState)
#define IBackgroundCopyFile6_IsDownloadedFromPeer(This, pVal)                  \
    (This)->lpVtbl->IsDownloadedFromPeer(This, pVal)
#define IBackgroundCopyFile6_GetPeerDownloadStats(This, pFromOrigin,           \
    pFromPeers)                                                                \
    (This)->lpVtbl->GetPeerDownloadStats(This, pFromOrigin, pFromPeers)
#define IBackgroundCopyFile6_SetProperty(This, PropertyId, PropertyValue)      \
    (This)->lpVtbl->SetProperty(This, PropertyId, PropertyValue)
#define IBackgroundCopyFile6_GetProperty(This, PropertyId, PropertyValue)      \
    (This)->lpVtbl->GetProperty(This, PropertyId, PropertyValue)
#define IBackgroundCopyFile6_UpdateDownloadPosition(This, offset)              \
    (This)->lpVtbl->UpdateDownloadPosition(This, offset)
#define IBackgroundCopyFile6_RequestFileRanges(This, rangeCount, ranges)       \
    (This)->lpVtbl->RequestFileRanges(This, rangeCount, ranges)
#define IBackgroundCopyFile6_GetFilledFileRanges(This, rangeCount, ranges)     \
    (This)->lpVtbl->GetFilledFileRanges(This, rangeCount, ranges)
#endif
#endif
/* clang-format on */
/* END GENERATED IBackgroundCopyFile6 */

EXTERN_C const CLSID CLSID_BackgroundCopyManager10_1;

#endif /* DOCOM_BITS10_1_H */
