/*
 * bits3_0.h - BITS 3.0: IBackgroundCopyJob4 (peer caching, owner
 * integrity, maximum download time), IBackgroundCopyFile3 (temporary name,
 * validation) and IBackgroundCopyCallback2 (per-file notification), with
 * the Windows SDK's names (spec/interfaces.md 4.6, 5.3, 7.2; types.md 4.3).
 * The SDK's peer-cache administration interfaces are not part of docts.
 */
#ifndef DOCOM_BITS3_0_H
#define DOCOM_BITS3_0_H

#include "bits2_5.h"

#ifndef __IBackgroundCopyCallback2_FWD_DEFINED__
#define __IBackgroundCopyCallback2_FWD_DEFINED__
typedef struct IBackgroundCopyCallback2 IBackgroundCopyCallback2;
#endif
#ifndef __IBackgroundCopyJob4_FWD_DEFINED__
#define __IBackgroundCopyJob4_FWD_DEFINED__
typedef struct IBackgroundCopyJob4 IBackgroundCopyJob4;
#endif
#ifndef __IBackgroundCopyFile3_FWD_DEFINED__
#define __IBackgroundCopyFile3_FWD_DEFINED__
typedef struct IBackgroundCopyFile3 IBackgroundCopyFile3;
#endif

#define BG_NOTIFY_FILE_TRANSFERRED 0x0010

#define BG_JOB_ENABLE_PEERCACHING_CLIENT 0x0001
#define BG_JOB_ENABLE_PEERCACHING_SERVER 0x0002
#define BG_JOB_DISABLE_BRANCH_CACHE 0x0004

#define BG_ENABLE_PEERCACHING_CLIENT 0x0001
#define BG_ENABLE_PEERCACHING_SERVER 0x0002
#define BG_DISABLE_BRANCH_CACHE 0x0004

/* BEGIN GENERATED IBackgroundCopyCallback2 */
/* clang-format off */
#ifndef __IBackgroundCopyCallback2_INTERFACE_DEFINED__
#define __IBackgroundCopyCallback2_INTERFACE_DEFINED__
EXTERN_C const IID IID_IBackgroundCopyCallback2;
typedef struct IBackgroundCopyCallback2Vtbl {
    BEGIN_INTERFACE
    /* IUnknown */
    HRESULT(STDMETHODCALLTYPE *QueryInterface)(IBackgroundCopyCallback2 *This,
        REFIID riid, void **ppvObject);
    ULONG(STDMETHODCALLTYPE *AddRef)(IBackgroundCopyCallback2 *This);
    ULONG(STDMETHODCALLTYPE *Release)(IBackgroundCopyCallback2 *This);
    /* IBackgroundCopyCallback */
    HRESULT(STDMETHODCALLTYPE *JobTransferred)(IBackgroundCopyCallback2 *This,
        IBackgroundCopyJob *pJob);
    HRESULT(STDMETHODCALLTYPE *JobError)(IBackgroundCopyCallback2 *This,
        IBackgroundCopyJob *pJob, IBackgroundCopyError *pError);
    HRESULT(STDMETHODCALLTYPE *JobModification)(IBackgroundCopyCallback2 *This,
        IBackgroundCopyJob *pJob, DWORD dwReserved);
    /* IBackgroundCopyCallback2 */
    HRESULT(STDMETHODCALLTYPE *FileTransferred)(IBackgroundCopyCallback2 *This,
        IBackgroundCopyJob *pJob, IBackgroundCopyFile *pFile);
    END_INTERFACE
} IBackgroundCopyCallback2Vtbl;
struct IBackgroundCopyCallback2 {
    CONST_VTBL IBackgroundCopyCallback2Vtbl *lpVtbl;
};
DOCOM_STATIC_ASSERT(sizeof(IBackgroundCopyCallback2Vtbl) == 7 * sizeof(void *),
                    "IBackgroundCopyCallback2 has 7 slots");
#ifdef COBJMACROS
#define IBackgroundCopyCallback2_QueryInterface(This, riid, ppvObject)         \
    (This)->lpVtbl->QueryInterface(This, riid, ppvObject)
#define IBackgroundCopyCallback2_AddRef(This) (This)->lpVtbl->AddRef(This)
#define IBackgroundCopyCallback2_Release(This) (This)->lpVtbl->Release(This)
#define IBackgroundCopyCallback2_JobTransferred(This, pJob)                    \
    (This)->lpVtbl->JobTransferred(This, pJob)
#define IBackgroundCopyCallback2_JobError(This, pJob, pError)                  \
    (This)->lpVtbl->JobError(This, pJob, pError)
#define IBackgroundCopyCallback2_JobModification(This, pJob, dwReserved)       \
    (This)->lpVtbl->JobModification(This, pJob, dwReserved)
#define IBackgroundCopyCallback2_FileTransferred(This, pJob, pFile)            \
    (This)->lpVtbl->FileTransferred(This, pJob, pFile)
#endif
#endif
/* clang-format on */
/* END GENERATED IBackgroundCopyCallback2 */

/* BEGIN GENERATED IBackgroundCopyJob4 */
/* clang-format off */
#ifndef __IBackgroundCopyJob4_INTERFACE_DEFINED__
#define __IBackgroundCopyJob4_INTERFACE_DEFINED__
EXTERN_C const IID IID_IBackgroundCopyJob4;
typedef struct IBackgroundCopyJob4Vtbl {
    BEGIN_INTERFACE
    /* IUnknown */
    HRESULT(STDMETHODCALLTYPE *QueryInterface)(IBackgroundCopyJob4 *This,
        REFIID riid, void **ppvObject);
    ULONG(STDMETHODCALLTYPE *AddRef)(IBackgroundCopyJob4 *This);
    ULONG(STDMETHODCALLTYPE *Release)(IBackgroundCopyJob4 *This);
    /* IBackgroundCopyJob */
    HRESULT(STDMETHODCALLTYPE *AddFileSet)(IBackgroundCopyJob4 *This,
        ULONG cFileCount, BG_FILE_INFO *pFileSet);
    HRESULT(STDMETHODCALLTYPE *AddFile)(IBackgroundCopyJob4 *This,
        LPCWSTR RemoteUrl, LPCWSTR LocalName);
    HRESULT(STDMETHODCALLTYPE *EnumFiles)(IBackgroundCopyJob4 *This,
        IEnumBackgroundCopyFiles **pEnum);
    HRESULT(STDMETHODCALLTYPE *Suspend)(IBackgroundCopyJob4 *This);
    HRESULT(STDMETHODCALLTYPE *Resume)(IBackgroundCopyJob4 *This);
    HRESULT(STDMETHODCALLTYPE *Cancel)(IBackgroundCopyJob4 *This);
    HRESULT(STDMETHODCALLTYPE *Complete)(IBackgroundCopyJob4 *This);
    HRESULT(STDMETHODCALLTYPE *GetId)(IBackgroundCopyJob4 *This, GUID *pVal);
    HRESULT(STDMETHODCALLTYPE *GetType)(IBackgroundCopyJob4 *This,
        BG_JOB_TYPE *pVal);
    HRESULT(STDMETHODCALLTYPE *GetProgress)(IBackgroundCopyJob4 *This,
        BG_JOB_PROGRESS *pVal);
    HRESULT(STDMETHODCALLTYPE *GetTimes)(IBackgroundCopyJob4 *This,
        BG_JOB_TIMES *pVal);
    HRESULT(STDMETHODCALLTYPE *GetState)(IBackgroundCopyJob4 *This,
        BG_JOB_STATE *pVal);
    HRESULT(STDMETHODCALLTYPE *GetError)(IBackgroundCopyJob4 *This,
        IBackgroundCopyError **ppError);
    HRESULT(STDMETHODCALLTYPE *GetOwner)(IBackgroundCopyJob4 *This,
        LPWSTR *pVal);
    HRESULT(STDMETHODCALLTYPE *SetDisplayName)(IBackgroundCopyJob4 *This,
        LPCWSTR Val);
    HRESULT(STDMETHODCALLTYPE *GetDisplayName)(IBackgroundCopyJob4 *This,
        LPWSTR *pVal);
    HRESULT(STDMETHODCALLTYPE *SetDescription)(IBackgroundCopyJob4 *This,
        LPCWSTR Val);
    HRESULT(STDMETHODCALLTYPE *GetDescription)(IBackgroundCopyJob4 *This,
        LPWSTR *pVal);
    HRESULT(STDMETHODCALLTYPE *SetPriority)(IBackgroundCopyJob4 *This,
        BG_JOB_PRIORITY Val);
    HRESULT(STDMETHODCALLTYPE *GetPriority)(IBackgroundCopyJob4 *This,
        BG_JOB_PRIORITY *pVal);
    HRESULT(STDMETHODCALLTYPE *SetNotifyFlags)(IBackgroundCopyJob4 *This,
        ULONG Val);
    HRESULT(STDMETHODCALLTYPE *GetNotifyFlags)(IBackgroundCopyJob4 *This,
        ULONG *pVal);
    HRESULT(STDMETHODCALLTYPE *SetNotifyInterface)(IBackgroundCopyJob4 *This,
        IUnknown *Val);
    HRESULT(STDMETHODCALLTYPE *GetNotifyInterface)(IBackgroundCopyJob4 *This,
        IUnknown **pVal);
    HRESULT(STDMETHODCALLTYPE *SetMinimumRetryDelay)(IBackgroundCopyJob4 *This,
        ULONG Seconds);
    HRESULT(STDMETHODCALLTYPE *GetMinimumRetryDelay)(IBackgroundCopyJob4 *This,
        ULONG *Seconds);
    HRESULT(STDMETHODCALLTYPE *SetNoProgressTimeout)(IBackgroundCopyJob4 *This,
        ULONG Seconds);
    HRESULT(STDMETHODCALLTYPE *GetNoProgressTimeout)(IBackgroundCopyJob4 *This,
        ULONG *Seconds);
    HRESULT(STDMETHODCALLTYPE *GetErrorCount)(IBackgroundCopyJob4 *This,
        ULONG *Errors);
    HRESULT(STDMETHODCALLTYPE *SetProxySettings)(IBackgroundCopyJob4 *This,
        BG_JOB_PROXY_USAGE ProxyUsage, const WCHAR *ProxyList,
        const WCHAR *ProxyBypassList);
    HRESULT(STDMETHODCALLTYPE *GetProxySettings)(IBackgroundCopyJob4 *This,
        BG_JOB_PROXY_USAGE *pProxyUsage, LPWSTR *pProxyList,
        LPWSTR *pProxyBypassList);
    HRESULT(STDMETHODCALLTYPE *TakeOwnership)(IBackgroundCopyJob4 *This);
    /* IBackgroundCopyJob2 */
    HRESULT(STDMETHODCALLTYPE *SetNotifyCmdLine)(IBackgroundCopyJob4 *This,
        LPCWSTR Program, LPCWSTR Parameters);
    HRESULT(STDMETHODCALLTYPE *GetNotifyCmdLine)(IBackgroundCopyJob4 *This,
        LPWSTR *pProgram, LPWSTR *pParameters);
    HRESULT(STDMETHODCALLTYPE *GetReplyProgress)(IBackgroundCopyJob4 *This,
        BG_JOB_REPLY_PROGRESS *pProgress);
    HRESULT(STDMETHODCALLTYPE *GetReplyData)(IBackgroundCopyJob4 *This,
        BYTE **ppBuffer, UINT64 *pLength);
    HRESULT(STDMETHODCALLTYPE *SetReplyFileName)(IBackgroundCopyJob4 *This,
        LPCWSTR ReplyFileName);
    HRESULT(STDMETHODCALLTYPE *GetReplyFileName)(IBackgroundCopyJob4 *This,
        LPWSTR *pReplyFileName);
    HRESULT(STDMETHODCALLTYPE *SetCredentials)(IBackgroundCopyJob4 *This,
        BG_AUTH_CREDENTIALS *credentials);
    HRESULT(STDMETHODCALLTYPE *RemoveCredentials)(IBackgroundCopyJob4 *This,
        BG_AUTH_TARGET Target, BG_AUTH_SCHEME Scheme);
    /* IBackgroundCopyJob3 */
    HRESULT(STDMETHODCALLTYPE *ReplaceRemotePrefix)(IBackgroundCopyJob4 *This,
        LPCWSTR OldPrefix, LPCWSTR NewPrefix);
    HRESULT(STDMETHODCALLTYPE *AddFileWithRanges)(IBackgroundCopyJob4 *This,
        LPCWSTR RemoteUrl, LPCWSTR LocalName, DWORD RangeCount,
        BG_FILE_RANGE Ranges[]);
    HRESULT(STDMETHODCALLTYPE *SetFileACLFlags)(IBackgroundCopyJob4 *This,
        DWORD Flags);
    HRESULT(STDMETHODCALLTYPE *GetFileACLFlags)(IBackgroundCopyJob4 *This,
        DWORD *Flags);
    /* IBackgroundCopyJob4 */
    HRESULT(STDMETHODCALLTYPE *SetPeerCachingFlags)(IBackgroundCopyJob4 *This,
        DWORD Flags);
    HRESULT(STDMETHODCALLTYPE *GetPeerCachingFlags)(IBackgroundCopyJob4 *This,
        DWORD *pFlags);
    HRESULT(STDMETHODCALLTYPE *GetOwnerIntegrityLevel)(
        IBackgroundCopyJob4 *This, ULONG *pLevel);
    HRESULT(STDMETHODCALLTYPE *GetOwnerElevationState)(
        IBackgroundCopyJob4 *This, BOOL *pElevated);
    HRESULT(STDMETHODCALLTYPE *SetMaximumDownloadTime)(
        IBackgroundCopyJob4 *This, ULONG Timeout);
    HRESULT(STDMETHODCALLTYPE *GetMaximumDownloadTime)(
        IBackgroundCopyJob4 *This, ULONG *pTimeout);
    END_INTERFACE
} IBackgroundCopyJob4Vtbl;
struct IBackgroundCopyJob4 {
    CONST_VTBL IBackgroundCopyJob4Vtbl *lpVtbl;
};
DOCOM_STATIC_ASSERT(sizeof(IBackgroundCopyJob4Vtbl) == 53 * sizeof(void *),
                    "IBackgroundCopyJob4 has 53 slots");
#ifdef COBJMACROS
#define IBackgroundCopyJob4_QueryInterface(This, riid, ppvObject)              \
    (This)->lpVtbl->QueryInterface(This, riid, ppvObject)
#define IBackgroundCopyJob4_AddRef(This) (This)->lpVtbl->AddRef(This)
#define IBackgroundCopyJob4_Release(This) (This)->lpVtbl->Release(This)
#define IBackgroundCopyJob4_AddFileSet(This, cFileCount, pFileSet)             \
    (This)->lpVtbl->AddFileSet(This, cFileCount, pFileSet)
#define IBackgroundCopyJob4_AddFile(This, RemoteUrl, LocalName)                \
    (This)->lpVtbl->AddFile(This, RemoteUrl, LocalName)
#define IBackgroundCopyJob4_EnumFiles(This, pEnum)                             \
    (This)->lpVtbl->EnumFiles(This, pEnum)
#define IBackgroundCopyJob4_Suspend(This) (This)->lpVtbl->Suspend(This)
#define IBackgroundCopyJob4_Resume(This) (This)->lpVtbl->Resume(This)
#define IBackgroundCopyJob4_Cancel(This) (This)->lpVtbl->Cancel(This)
#define IBackgroundCopyJob4_Complete(This) (This)->lpVtbl->Complete(This)
#define IBackgroundCopyJob4_GetId(This, pVal) (This)->lpVtbl->GetId(This, pVal)
#define IBackgroundCopyJob4_GetType(This, pVal)                                \
    (This)->lpVtbl->GetType(This, pVal)
#define IBackgroundCopyJob4_GetProgress(This, pVal)                            \
    (This)->lpVtbl->GetProgress(This, pVal)
#define IBackgroundCopyJob4_GetTimes(This, pVal)                               \
    (This)->lpVtbl->GetTimes(This, pVal)
#define IBackgroundCopyJob4_GetState(This, pVal)                               \
    (This)->lpVtbl->GetState(This, pVal)
#define IBackgroundCopyJob4_GetError(This, ppError)                            \
    (This)->lpVtbl->GetError(This, ppError)
#define IBackgroundCopyJob4_GetOwner(This, pVal)                               \
    (This)->lpVtbl->GetOwner(This, pVal)
#define IBackgroundCopyJob4_SetDisplayName(This, Val)                          \
    (This)->lpVtbl->SetDisplayName(This, Val)
#define IBackgroundCopyJob4_GetDisplayName(This, pVal)                         \
    (This)->lpVtbl->GetDisplayName(This, pVal)
#define IBackgroundCopyJob4_SetDescription(This, Val)                          \
    (This)->lpVtbl->SetDescription(This, Val)
#define IBackgroundCopyJob4_GetDescription(This, pVal)                         \
    (This)->lpVtbl->GetDescription(This, pVal)
#define IBackgroundCopyJob4_SetPriority(This, Val)                             \
    (This)->lpVtbl->SetPriority(This, Val)
#define IBackgroundCopyJob4_GetPriority(This, pVal)                            \
    (This)->lpVtbl->GetPriority(This, pVal)
#define IBackgroundCopyJob4_SetNotifyFlags(This, Val)                          \
    (This)->lpVtbl->SetNotifyFlags(This, Val)
#define IBackgroundCopyJob4_GetNotifyFlags(This, pVal)                         \
    (This)->lpVtbl->GetNotifyFlags(This, pVal)
#define IBackgroundCopyJob4_SetNotifyInterface(This, Val)                      \
    (This)->lpVtbl->SetNotifyInterface(This, Val)
#define IBackgroundCopyJob4_GetNotifyInterface(This, pVal)                     \
    (This)->lpVtbl->GetNotifyInterface(This, pVal)
#define IBackgroundCopyJob4_SetMinimumRetryDelay(This, Seconds)                \
    (This)->lpVtbl->SetMinimumRetryDelay(This, Seconds)
#define IBackgroundCopyJob4_GetMinimumRetryDelay(This, Seconds)                \
    (This)->lpVtbl->GetMinimumRetryDelay(This, Seconds)
#define IBackgroundCopyJob4_SetNoProgressTimeout(This, Seconds)                \
    (This)->lpVtbl->SetNoProgressTimeout(This, Seconds)
#define IBackgroundCopyJob4_GetNoProgressTimeout(This, Seconds)                \
    (This)->lpVtbl->GetNoProgressTimeout(This, Seconds)
#define IBackgroundCopyJob4_GetErrorCount(This, Errors)                        \
    (This)->lpVtbl->GetErrorCount(This, Errors)
#define IBackgroundCopyJob4_SetProxySettings(This, ProxyUsage, ProxyList,      \
    ProxyBypassList)                                                           \
    (This)->lpVtbl->SetProxySettings(This, ProxyUsage, ProxyList,              \
        ProxyBypassList)
#define IBackgroundCopyJob4_GetProxySettings(This, pProxyUsage, pProxyList,    \
    pProxyBypassList)                                                          \
    (This)->lpVtbl->GetProxySettings(This, pProxyUsage, pProxyList,            \
        pProxyBypassList)
#define IBackgroundCopyJob4_TakeOwnership(This)                                \
    (This)->lpVtbl->TakeOwnership(This)
#define IBackgroundCopyJob4_SetNotifyCmdLine(This, Program, Parameters)        \
    (This)->lpVtbl->SetNotifyCmdLine(This, Program, Parameters)
#define IBackgroundCopyJob4_GetNotifyCmdLine(This, pProgram, pParameters)      \
    (This)->lpVtbl->GetNotifyCmdLine(This, pProgram, pParameters)
#define IBackgroundCopyJob4_GetReplyProgress(This, pProgress)                  \
    (This)->lpVtbl->GetReplyProgress(This, pProgress)
#define IBackgroundCopyJob4_GetReplyData(This, ppBuffer, pLength)              \
    (This)->lpVtbl->GetReplyData(This, ppBuffer, pLength)
#define IBackgroundCopyJob4_SetReplyFileName(This, ReplyFileName)              \
    (This)->lpVtbl->SetReplyFileName(This, ReplyFileName)
#define IBackgroundCopyJob4_GetReplyFileName(This, pReplyFileName)             \
    (This)->lpVtbl->GetReplyFileName(This, pReplyFileName)
#define IBackgroundCopyJob4_SetCredentials(This, credentials)                  \
    (This)->lpVtbl->SetCredentials(This, credentials)
#define IBackgroundCopyJob4_RemoveCredentials(This, Target, Scheme)            \
    (This)->lpVtbl->RemoveCredentials(This, Target, Scheme)
#define IBackgroundCopyJob4_ReplaceRemotePrefix(This, OldPrefix, NewPrefix)    \
    (This)->lpVtbl->ReplaceRemotePrefix(This, OldPrefix, NewPrefix)
#define IBackgroundCopyJob4_AddFileWithRanges(This, RemoteUrl, LocalName,      \
    RangeCount, Ranges)                                                        \
    (This)->lpVtbl->AddFileWithRanges(This, RemoteUrl, LocalName, RangeCount,  \
        Ranges)
#define IBackgroundCopyJob4_SetFileACLFlags(This, Flags)                       \
    (This)->lpVtbl->SetFileACLFlags(This, Flags)
#define IBackgroundCopyJob4_GetFileACLFlags(This, Flags)                       \
    (This)->lpVtbl->GetFileACLFlags(This, Flags)
#define IBackgroundCopyJob4_SetPeerCachingFlags(This, Flags)                   \
    (This)->lpVtbl->SetPeerCachingFlags(This, Flags)
#define IBackgroundCopyJob4_GetPeerCachingFlags(This, pFlags)                  \
    (This)->lpVtbl->GetPeerCachingFlags(This, pFlags)
#define IBackgroundCopyJob4_GetOwnerIntegrityLevel(This, pLevel)               \
    (This)->lpVtbl->GetOwnerIntegrityLevel(This, pLevel)
#define IBackgroundCopyJob4_GetOwnerElevationState(This, pElevated)            \
    (This)->lpVtbl->GetOwnerElevationState(This, pElevated)
#define IBackgroundCopyJob4_SetMaximumDownloadTime(This, Timeout)              \
    (This)->lpVtbl->SetMaximumDownloadTime(This, Timeout)
#define IBackgroundCopyJob4_GetMaximumDownloadTime(This, pTimeout)             \
    (This)->lpVtbl->GetMaximumDownloadTime(This, pTimeout)
#endif
#endif
/* clang-format on */
/* END GENERATED IBackgroundCopyJob4 */

/* BEGIN GENERATED IBackgroundCopyFile3 */
/* clang-format off */
#ifndef __IBackgroundCopyFile3_INTERFACE_DEFINED__
#define __IBackgroundCopyFile3_INTERFACE_DEFINED__
EXTERN_C const IID IID_IBackgroundCopyFile3;
typedef struct IBackgroundCopyFile3Vtbl {
    BEGIN_INTERFACE
    /* IUnknown */
    HRESULT(STDMETHODCALLTYPE *QueryInterface)(IBackgroundCopyFile3 *This,
        REFIID riid, void **ppvObject);
    ULONG(STDMETHODCALLTYPE *AddRef)(IBackgroundCopyFile3 *This);
    ULONG(STDMETHODCALLTYPE *Release)(IBackgroundCopyFile3 *This);
    /* IBackgroundCopyFile */
    HRESULT(STDMETHODCALLTYPE *GetRemoteName)(IBackgroundCopyFile3 *This,
        LPWSTR *pVal);
    HRESULT(STDMETHODCALLTYPE *GetLocalName)(IBackgroundCopyFile3 *This,
        LPWSTR *pVal);
    HRESULT(STDMETHODCALLTYPE *GetProgress)(IBackgroundCopyFile3 *This,
        BG_FILE_PROGRESS *pVal);
    /* IBackgroundCopyFile2 */
    HRESULT(STDMETHODCALLTYPE *GetFileRanges)(IBackgroundCopyFile3 *This,
        DWORD *RangeCount, BG_FILE_RANGE **Ranges);
    HRESULT(STDMETHODCALLTYPE *SetRemoteName)(IBackgroundCopyFile3 *This,
        LPCWSTR Val);
    /* IBackgroundCopyFile3 */
    HRESULT(STDMETHODCALLTYPE *GetTemporaryName)(IBackgroundCopyFile3 *This,
        LPWSTR *pFilename);
    HRESULT(STDMETHODCALLTYPE *SetValidationState)(IBackgroundCopyFile3 *This,
        BOOL state);
    HRESULT(STDMETHODCALLTYPE *GetValidationState)(IBackgroundCopyFile3 *This,
        BOOL *pState);
    HRESULT(STDMETHODCALLTYPE *IsDownloadedFromPeer)(IBackgroundCopyFile3 *This,
        BOOL *pVal);
    END_INTERFACE
} IBackgroundCopyFile3Vtbl;
struct IBackgroundCopyFile3 {
    CONST_VTBL IBackgroundCopyFile3Vtbl *lpVtbl;
};
DOCOM_STATIC_ASSERT(sizeof(IBackgroundCopyFile3Vtbl) == 12 * sizeof(void *),
                    "IBackgroundCopyFile3 has 12 slots");
#ifdef COBJMACROS
#define IBackgroundCopyFile3_QueryInterface(This, riid, ppvObject)             \
    (This)->lpVtbl->QueryInterface(This, riid, ppvObject)
#define IBackgroundCopyFile3_AddRef(This) (This)->lpVtbl->AddRef(This)
#define IBackgroundCopyFile3_Release(This) (This)->lpVtbl->Release(This)
#define IBackgroundCopyFile3_GetRemoteName(This, pVal)                         \
    (This)->lpVtbl->GetRemoteName(This, pVal)
#define IBackgroundCopyFile3_GetLocalName(This, pVal)                          \
    (This)->lpVtbl->GetLocalName(This, pVal)
#define IBackgroundCopyFile3_GetProgress(This, pVal)                           \
    (This)->lpVtbl->GetProgress(This, pVal)
#define IBackgroundCopyFile3_GetFileRanges(This, RangeCount, Ranges)           \
    (This)->lpVtbl->GetFileRanges(This, RangeCount, Ranges)
#define IBackgroundCopyFile3_SetRemoteName(This, Val)                          \
    (This)->lpVtbl->SetRemoteName(This, Val)
#define IBackgroundCopyFile3_GetTemporaryName(This, pFilename)                 \
    (This)->lpVtbl->GetTemporaryName(This, pFilename)
#define IBackgroundCopyFile3_SetValidationState(This, state)                   \
    (This)->lpVtbl->SetValidationState(This, state)
#define IBackgroundCopyFile3_GetValidationState(This, pState)                  \
    (This)->lpVtbl->GetValidationState(This, pState)
#define IBackgroundCopyFile3_IsDownloadedFromPeer(This, pVal)                  \
    (This)->lpVtbl->IsDownloadedFromPeer(This, pVal)
#endif
#endif
/* clang-format on */
/* END GENERATED IBackgroundCopyFile3 */

EXTERN_C const CLSID CLSID_BackgroundCopyManager3_0;
EXTERN_C const IID LIBID_BackgroundCopyManager3_0;

#endif /* DOCOM_BITS3_0_H */
