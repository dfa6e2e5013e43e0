/*
 * bits1_5.h - BITS 1.5: IBackgroundCopyJob2 (command-line notification,
 * upload-reply, credentials) and its types, with the Windows SDK's names
 * (spec/interfaces.md 4.4, spec/types.md 2.6 and 3.6-3.7).
 */
#ifndef DOCOM_BITS1_5_H
#define DOCOM_BITS1_5_H

#include "bits.h"

#ifndef __IBackgroundCopyJob2_FWD_DEFINED__
#define __IBackgroundCopyJob2_FWD_DEFINED__
typedef struct IBackgroundCopyJob2 IBackgroundCopyJob2;
#endif

typedef struct _BG_JOB_REPLY_PROGRESS {
    UINT64 BytesTotal;
    UINT64 BytesTransferred;
} BG_JOB_REPLY_PROGRESS;

typedef enum {
    BG_AUTH_TARGET_SERVER = 1,
    BG_AUTH_TARGET_PROXY = 2
} BG_AUTH_TARGET;

typedef enum {
    BG_AUTH_SCHEME_BASIC = 1,
    BG_AUTH_SCHEME_DIGEST = 2,
    BG_AUTH_SCHEME_NTLM = 3,
    BG_AUTH_SCHEME_NEGOTIATE = 4,
    BG_AUTH_SCHEME_PASSPORT = 5
} BG_AUTH_SCHEME;

typedef struct {
    LPWSTR UserName;
    LPWSTR Password;
} BG_BASIC_CREDENTIALS;
typedef BG_BASIC_CREDENTIALS *PBG_BASIC_CREDENTIALS;

typedef union {
    BG_BASIC_CREDENTIALS Basic;
} BG_AUTH_CREDENTIALS_UNION;

typedef struct {
    BG_AUTH_TARGET Target;
    BG_AUTH_SCHEME Scheme;
    BG_AUTH_CREDENTIALS_UNION Credentials;
} BG_AUTH_CREDENTIALS;
typedef BG_AUTH_CREDENTIALS *PBG_AUTH_CREDENTIALS;

DOCOM_STATIC_ASSERT(sizeof(BG_JOB_REPLY_PROGRESS) == 16,
                    "BG_JOB_REPLY_PROGRESS");
#if defined(__x86_64__) || defined(__aarch64__) || defined(_WIN64)
DOCOM_STATIC_ASSERT(sizeof(BG_BASIC_CREDENTIALS) == 16,
                    "BG_BASIC_CREDENTIALS on x64");
DOCOM_STATIC_ASSERT(sizeof(BG_AUTH_CREDENTIALS) == 24 &&
                        offsetof(BG_AUTH_CREDENTIALS, Credentials) == 8,
                    "BG_AUTH_CREDENTIALS on x64");
#elif defined(__i386__)
DOCOM_STATIC_ASSERT(sizeof(BG_BASIC_CREDENTIALS) == 8,
                    "BG_BASIC_CREDENTIALS on x86");
DOCOM_STATIC_ASSERT(sizeof(BG_AUTH_CREDENTIALS) == 16,
                    "BG_AUTH_CREDENTIALS on x86");
#endif

/* BEGIN GENERATED IBackgroundCopyJob2 */
/* clang-format off */
#ifndef __IBackgroundCopyJob2_INTERFACE_DEFINED__
#define __IBackgroundCopyJob2_INTERFACE_DEFINED__
EXTERN_C const IID IID_IBackgroundCopyJob2;
typedef struct IBackgroundCopyJob2Vtbl {
    BEGIN_INTERFACE
    /* IUnknown */
    HRESULT(STDMETHODCALLTYPE *QueryInterface)(IBackgroundCopyJob2 *This,
        REFIID riid, void **ppvObject);
    ULONG(STDMETHODCALLTYPE *AddRef)(IBackgroundCopyJob2 *This);
    ULONG(STDMETHODCALLTYPE *Release)(IBackgroundCopyJob2 *This);
    /* IBackgroundCopyJob */
    HRESULT(STDMETHODCALLTYPE *AddFileSet)(IBackgroundCopyJob2 *This,
        ULONG cFileCount, BG_FILE_INFO *pFileSet);
    HRESULT(STDMETHODCALLTYPE *AddFile)(IBackgroundCopyJob2 *This,
        LPCWSTR RemoteUrl, LPCWSTR LocalName);
    HRESULT(STDMETHODCALLTYPE *EnumFiles)(IBackgroundCopyJob2 *This,
        IEnumBackgroundCopyFiles **pEnum);
    HRESULT(STDMETHODCALLTYPE *Suspend)(IBackgroundCopyJob2 *This);
    HRESULT(STDMETHODCALLTYPE *Resume)(IBackgroundCopyJob2 *This);
    HRESULT(STDMETHODCALLTYPE *Cancel)(IBackgroundCopyJob2 *This);
    HRESULT(STDMETHODCALLTYPE *Complete)(IBackgroundCopyJob2 *This);
    HRESULT(STDMETHODCALLTYPE *GetId)(IBackgroundCopyJob2 *This, GUID *pVal);
    HRESULT(STDMETHODCALLTYPE *GetType)(IBackgroundCopyJob2 *This,
        BG_JOB_TYPE *pVal);
    HRESULT(STDMETHODCALLTYPE *GetProgress)(IBackgroundCopyJob2 *This,
        BG_JOB_PROGRESS *pVal);
    HRESULT(STDMETHODCALLTYPE *GetTimes)(IBackgroundCopyJob2 *This,
        BG_JOB_TIMES *pVal);
    HRESULT(STDMETHODCALLTYPE *GetState)(IBackgroundCopyJob2 *This,
        BG_JOB_STATE *pVal);
    HRESULT(STDMETHODCALLTYPE *GetError)(IBackgroundCopyJob2 *This,
        IBackgroundCopyError **ppError);
    HRESULT(STDMETHODCALLTYPE *GetOwner)(IBackgroundCopyJob2 *This,
        LPWSTR *pVal);
    HRESULT(STDMETHODCALLTYPE *SetDisplayName)(IBackgroundCopyJob2 *This,
        LPCWSTR Val);
    HRESULT(STDMETHODCALLTYPE *GetDisplayName)(IBackgroundCopyJob2 *This,
        LPWSTR *pVal);
    HRESULT(STDMETHODCALLTYPE *SetDescription)(IBackgroundCopyJob2 *This,
        LPCWSTR Val);
    HRESULT(STDMETHODCALLTYPE *GetDescription)(IBackgroundCopyJob2 *This,
        LPWSTR *pVal);
    HRESULT(STDMETHODCALLTYPE *SetPriority)(IBackgroundCopyJob2 *This,
        BG_JOB_PRIORITY Val);
    HRESULT(STDMETHODCALLTYPE *GetPriority)(IBackgroundCopyJob2 *This,
        BG_JOB_PRIORITY *pVal);
    HRESULT(STDMETHODCALLTYPE *SetNotifyFlags)(IBackgroundCopyJob2 *This,
        ULONG Val);
    HRESULT(STDMETHODCALLTYPE *GetNotifyFlags)(IBackgroundCopyJob2 *This,
        ULONG *pVal);
    HRESULT(STDMETHODCALLTYPE *SetNotifyInterface)(IBackgroundCopyJob2 *This,
        IUnknown *Val);
    HRESULT(STDMETHODCALLTYPE *GetNotifyInterface)(IBackgroundCopyJob2 *This,
        IUnknown **pVal);
    HRESULT(STDMETHODCALLTYPE *SetMinimumRetryDelay)(IBackgroundCopyJob2 *This,
        ULONG Seconds);
    HRESULT(STDMETHODCALLTYPE *GetMinimumRetryDelay)(IBackgroundCopyJob2 *This,
        ULONG *Seconds);
    HRESULT(STDMETHODCALLTYPE *SetNoProgressTimeout)(IBackgroundCopyJob2 *This,
        ULONG Seconds);
    HRESULT(STDMETHODCALLTYPE *GetNoProgressTimeout)(IBackgroundCopyJob2 *This,
        ULONG *Seconds);
    HRESULT(STDMETHODCALLTYPE *GetErrorCount)(IBackgroundCopyJob2 *This,
        ULONG *Errors);
    HRESULT(STDMETHODCALLTYPE *SetProxySettings)(IBackgroundCopyJob2 *This,
        BG_JOB_PROXY_USAGE ProxyUsage, const WCHAR *ProxyList,
        const WCHAR *ProxyBypassList);
    HRESULT(STDMETHODCALLTYPE *GetProxySettings)(IBackgroundCopyJob2 *This,
        BG_JOB_PROXY_USAGE *pProxyUsage, LPWSTR *pProxyList,
        LPWSTR *pProxyBypassList);
    HRESULT(STDMETHODCALLTYPE *TakeOwnership)(IBackgroundCopyJob2 *This);
    /* IBackgroundCopyJob2 */
    HRESULT(STDMETHODCALLTYPE *SetNotifyCmdLine)(IBackgroundCopyJob2 *This,
        LPCWSTR Program, LPCWSTR Parameters);
    HRESULT(STDMETHODCALLTYPE *GetNotifyCmdLine)(IBackgroundCopyJob2 *This,
        LPWSTR *pProgram, LPWSTR *pParameters);
    HRESULT(STDMETHODCALLTYPE *GetReplyProgress)(IBackgroundCopyJob2 *This,
        BG_JOB_REPLY_PROGRESS *pProgress);
    HRESULT(STDMETHODCALLTYPE *GetReplyData)(IBackgroundCopyJob2 *This,
        BYTE **ppBuffer, UINT64 *pLength);
    HRESULT(STDMETHODCALLTYPE *SetReplyFileName)(IBackgroundCopyJob2 *This,
        LPCWSTR ReplyFileName);
    HRESULT(STDMETHODCALLTYPE *GetReplyFileName)(IBackgroundCopyJob2 *This,
        LPWSTR *pReplyFileName);
    HRESULT(STDMETHODCALLTYPE *SetCredentials)(IBackgroundCopyJob2 *This,
        BG_AUTH_CREDENTIALS *credentials);
    HRESULT(STDMETHODCALLTYPE *RemoveCredentials)(IBackgroundCopyJob2 *This,
        BG_AUTH_TARGET Target, BG_AUTH_SCHEME Scheme);
    END_INTERFACE
} IBackgroundCopyJob2Vtbl;
struct IBackgroundCopyJob2 {
    CONST_VTBL IBackgroundCopyJob2Vtbl *lpVtbl;
};
DOCOM_STATIC_ASSERT(sizeof(IBackgroundCopyJob2Vtbl) == 43 * sizeof(void *),
                    "IBackgroundCopyJob2 has 43 slots");
#ifdef COBJMACROS
#define IBackgroundCopyJob2_QueryInterface(This, riid, ppvObject)              \
    (This)->lpVtbl->QueryInterface(This, riid, ppvObject)
#define IBackgroundCopyJob2_AddRef(This) (This)->lpVtbl->AddRef(This)
#define IBackgroundCopyJob2_Release(This) (This)->lpVtbl->Release(This)
#define IBackgroundCopyJob2_AddFileSet(This, cFileCount, pFileSet)             \
    (This)->lpVtbl->AddFileSet(This, cFileCount, pFileSet)
#define IBackgroundCopyJob2_AddFile(This, RemoteUrl, LocalName)                \
    (This)->lpVtbl->AddFile(This, RemoteUrl, LocalName)
#define IBackgroundCopyJob2_EnumFiles(This, pEnum)                             \
    (This)->lpVtbl->EnumFiles(This, pEnum)
#define IBackgroundCopyJob2_Suspend(This) (This)->lpVtbl->Suspend(This)
#define IBackgroundCopyJob2_Resume(This) (This)->lpVtbl->Resume(This)
#define IBackgroundCopyJob2_Cancel(This) (This)->lpVtbl->Cancel(This)
#define IBackgroundCopyJob2_Complete(This) (This)->lpVtbl->Complete(This)
#define IBackgroundCopyJob2_GetId(This, pVal) (This)->lpVtbl->GetId(This, pVal)
#define IBackgroundCopyJob2_GetType(This, pVal)                                \
    (This)->lpVtbl->GetType(This, pVal)
#define IBackgroundCopyJob2_GetProgress(This, pVal)                            \
    (This)->lpVtbl->GetProgress(This, pVal)
#define IBackgroundCopyJob2_GetTimes(This, pVal)                               \
    (This)->lpVtbl->GetTimes(This, pVal)
#define IBackgroundCopyJob2_GetState(This, pVal)                               \
    (This)->lpVtbl->GetState(This, pVal)
#define IBackgroundCopyJob2_GetError(This, ppError)                            \
    (This)->lpVtbl->GetError(This, ppError)
#define IBackgroundCopyJob2_GetOwner(This, pVal)                               \
    (This)->lpVtbl->GetOwner(This, pVal)
#define IBackgroundCopyJob2_SetDisplayName(This, Val)                          \
    (This)->lpVtbl->SetDisplayName(This, Val)
#define IBackgroundCopyJob2_GetDisplayName(This, pVal)                         \
    (This)->lpVtbl->GetDisplayName(This, pVal)
#define IBackgroundCopyJob2_SetDescription(This, Val)                          \
    (This)->lpVtbl->SetDescription(This, Val)
#define IBackgroundCopyJob2_GetDescription(This, pVal)                         \
    (This)->lpVtbl->GetDescription(This, pVal)
#define IBackgroundCopyJob2_SetPriority(This, Val)                             \
    (This)->lpVtbl->SetPriority(This, Val)
#define IBackgroundCopyJob2_GetPriority(This, pVal)                            \
    (This)->lpVtbl->GetPriority(This, pVal)
#define IBackgroundCopyJob2_SetNotifyFlags(This, Val)                          \
    (This)->lpVtbl->SetNotifyFlags(This, Val)
#define IBackgroundCopyJob2_GetNotifyFlags(This, pVal)                         \
    (This)->lpVtbl->GetNotifyFlags(This, pVal)
#define IBackgroundCopyJob2_SetNotifyInterface(This, Val)                      \
    (This)->lpVtbl->SetNotifyInterface(This, Val)
#define IBackgroundCopyJob2_GetNotifyInterface(This, pVal)                     \
    (This)->lpVtbl->GetNotifyInterface(This, pVal)
#define IBackgroundCopyJob2_SetMinimumRetryDelay(This, Seconds)                \
    (This)->lpVtbl->SetMinimumRetryDelay(This, Seconds)
#define IBackgroundCopyJob2_GetMinimumRetryDelay(This, Seconds)                \
    (This)->lpVtbl->GetMinimumRetryDelay(This, Seconds)
#define IBackgroundCopyJob2_SetNoProgressTimeout(This, Seconds)                \
    (This)->lpVtbl->SetNoProgressTimeout(This, Seconds)
#define IBackgroundCopyJob2_GetNoProgressTimeout(This, Seconds)                \
    (This)->lpVtbl->GetNoProgressTimeout(This, Seconds)
#define IBackgroundCopyJob2_GetErrorCount(This, Errors)                        \
    (This)->lpVtbl->GetErrorCount(This, Errors)
#define IBackgroundCopyJob2_SetProxySettings(This, ProxyUsage, ProxyList,      \
    ProxyBypassList)                                                           \
    (This)->lpVtbl->SetProxySettings(This, ProxyUsage, ProxyList,              \
        ProxyBypassList)
#define IBackgroundCopyJob2_GetProxySettings(This, pProxyUsage, pProxyList,    \
    pProxyBypassList)                                                          \
    (This)->lpVtbl->GetProxySettings(This, pProxyUsage, pProxyList,            \
        pProxyBypassList)
#define IBackgroundCopyJob2_TakeOwnership(This)                                \
    (This)->lpVtbl->TakeOwnership(This)
#define IBackgroundCopyJob2_SetNotifyCmdLine(This, Program, Parameters)        \
    (This)->lpVtbl->SetNotifyCmdLine(This, Program, Parameters)
#define IBackgroundCopyJob2_GetNotifyCmdLine(This, pProgram, pParameters)      \
    (This)->lpVtbl->GetNotifyCmdLine(This, pProgram, pParameters)
#define IBackgroundCopyJob2_GetReplyProgress(This, pProgress)                  \
    (This)->lpVtbl->GetReplyProgress(This, pProgress)
#define IBackgroundCopyJob2_GetReplyData(This, ppBuffer, pLength)              \
    (This)->lpVtbl->GetReplyData(This, ppBuffer, pLength)
#define IBackgroundCopyJob2_SetReplyFileName(This, ReplyFileName)              \
    (This)->lpVtbl->SetReplyFileName(This, ReplyFileName)
#define IBackgroundCopyJob2_GetReplyFileName(This, pReplyFileName)             \
    (This)->lpVtbl->GetReplyFileName(This, pReplyFileName)
#define IBackgroundCopyJob2_SetCredentials(This, credentials)                  \
    (This)->lpVtbl->SetCredentials(This, credentials)
#define IBackgroundCopyJob2_RemoveCredentials(This, Target, Scheme)            \
    (This)->lpVtbl->RemoveCredentials(This, Target, Scheme)
#endif
#endif
/* clang-format on */
/* END GENERATED IBackgroundCopyJob2 */

EXTERN_C const CLSID CLSID_BackgroundCopyManager1_5;

#endif /* DOCOM_BITS1_5_H */
