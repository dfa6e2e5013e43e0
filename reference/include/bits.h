/*
 * bits.h - BITS 1.0: the job, file, error, enumerator, callback and
 * manager interfaces and their types, with the Windows SDK's names, values
 * and vtable layout (spec/interfaces.md sections 4-7, spec/types.md).
 *
 * The vtable blocks are written by reference/com/gen_headers.py from its
 * interface table; the rest is hand-written.  Later BITS versions are in
 * bits1_5.h ... bits10_1.h, each including its predecessor.  The HRESULTs
 * come along through bitsmsg.h.
 */
#ifndef DOCOM_BITS_H
#define DOCOM_BITS_H

#include "docom.h"
#include "bitsmsg.h"

#ifndef __IBackgroundCopyFile_FWD_DEFINED__
#define __IBackgroundCopyFile_FWD_DEFINED__
typedef struct IBackgroundCopyFile IBackgroundCopyFile;
#endif
#ifndef __IEnumBackgroundCopyFiles_FWD_DEFINED__
#define __IEnumBackgroundCopyFiles_FWD_DEFINED__
typedef struct IEnumBackgroundCopyFiles IEnumBackgroundCopyFiles;
#endif
#ifndef __IBackgroundCopyError_FWD_DEFINED__
#define __IBackgroundCopyError_FWD_DEFINED__
typedef struct IBackgroundCopyError IBackgroundCopyError;
#endif
#ifndef __IBackgroundCopyJob_FWD_DEFINED__
#define __IBackgroundCopyJob_FWD_DEFINED__
typedef struct IBackgroundCopyJob IBackgroundCopyJob;
#endif
#ifndef __IEnumBackgroundCopyJobs_FWD_DEFINED__
#define __IEnumBackgroundCopyJobs_FWD_DEFINED__
typedef struct IEnumBackgroundCopyJobs IEnumBackgroundCopyJobs;
#endif
#ifndef __IBackgroundCopyCallback_FWD_DEFINED__
#define __IBackgroundCopyCallback_FWD_DEFINED__
typedef struct IBackgroundCopyCallback IBackgroundCopyCallback;
#endif
#ifndef __IBackgroundCopyManager_FWD_DEFINED__
#define __IBackgroundCopyManager_FWD_DEFINED__
typedef struct IBackgroundCopyManager IBackgroundCopyManager;
#endif

/* ---- constants ---------------------------------------------------- */

#define BG_SIZE_UNKNOWN ((UINT64)(-1))
#define BG_JOB_ENUM_ALL_USERS 0x0001

#define BG_NOTIFY_JOB_TRANSFERRED 0x0001
#define BG_NOTIFY_JOB_ERROR 0x0002
#define BG_NOTIFY_DISABLE 0x0004
#define BG_NOTIFY_JOB_MODIFICATION 0x0008

/* ---- types -------------------------------------------------------- */

typedef struct _BG_FILE_INFO {
    LPWSTR RemoteName;
    LPWSTR LocalName;
} BG_FILE_INFO;

typedef struct _BG_FILE_PROGRESS {
    UINT64 BytesTotal;
    UINT64 BytesTransferred;
    BOOL Completed;
} BG_FILE_PROGRESS;

typedef enum {
    BG_ERROR_CONTEXT_NONE = 0,
    BG_ERROR_CONTEXT_UNKNOWN = 1,
    BG_ERROR_CONTEXT_GENERAL_QUEUE_MANAGER = 2,
    BG_ERROR_CONTEXT_QUEUE_MANAGER_NOTIFICATION = 3,
    BG_ERROR_CONTEXT_LOCAL_FILE = 4,
    BG_ERROR_CONTEXT_REMOTE_FILE = 5,
    BG_ERROR_CONTEXT_GENERAL_TRANSPORT = 6,
    BG_ERROR_CONTEXT_REMOTE_APPLICATION = 7,
    BG_ERROR_CONTEXT_SERVER_CERTIFICATE_CALLBACK = 8
} BG_ERROR_CONTEXT;

typedef enum {
    BG_JOB_PRIORITY_FOREGROUND = 0,
    BG_JOB_PRIORITY_HIGH = 1,
    BG_JOB_PRIORITY_NORMAL = 2,
    BG_JOB_PRIORITY_LOW = 3
} BG_JOB_PRIORITY;

typedef enum {
    BG_JOB_STATE_QUEUED = 0,
    BG_JOB_STATE_CONNECTING = 1,
    BG_JOB_STATE_TRANSFERRING = 2,
    BG_JOB_STATE_SUSPENDED = 3,
    BG_JOB_STATE_ERROR = 4,
    BG_JOB_STATE_TRANSIENT_ERROR = 5,
    BG_JOB_STATE_TRANSFERRED = 6,
    BG_JOB_STATE_ACKNOWLEDGED = 7,
    BG_JOB_STATE_CANCELLED = 8
} BG_JOB_STATE;

typedef enum {
    BG_JOB_TYPE_DOWNLOAD = 0,
    BG_JOB_TYPE_UPLOAD = 1,
    BG_JOB_TYPE_UPLOAD_REPLY = 2
} BG_JOB_TYPE;

typedef enum {
    BG_JOB_PROXY_USAGE_PRECONFIG = 0,
    BG_JOB_PROXY_USAGE_NO_PROXY = 1,
    BG_JOB_PROXY_USAGE_OVERRIDE = 2,
    BG_JOB_PROXY_USAGE_AUTODETECT = 3
} BG_JOB_PROXY_USAGE;

typedef struct _BG_JOB_PROGRESS {
    UINT64 BytesTotal;
    UINT64 BytesTransferred;
    ULONG FilesTotal;
    ULONG FilesTransferred;
} BG_JOB_PROGRESS;

typedef struct _BG_JOB_TIMES {
    FILETIME CreationTime;
    FILETIME ModificationTime;
    FILETIME TransferCompletionTime;
} BG_JOB_TIMES;

/* Layout pins (spec/types.md section 3). */
DOCOM_STATIC_ASSERT(sizeof(BG_FILE_PROGRESS) == 24, "BG_FILE_PROGRESS");
DOCOM_STATIC_ASSERT(offsetof(BG_FILE_PROGRESS, Completed) == 16,
                    "BG_FILE_PROGRESS.Completed");
DOCOM_STATIC_ASSERT(sizeof(BG_JOB_PROGRESS) == 24, "BG_JOB_PROGRESS");
DOCOM_STATIC_ASSERT(offsetof(BG_JOB_PROGRESS, FilesTotal) == 16 &&
                        offsetof(BG_JOB_PROGRESS, FilesTransferred) == 20,
                    "BG_JOB_PROGRESS file counts");
DOCOM_STATIC_ASSERT(sizeof(BG_JOB_TIMES) == 24, "BG_JOB_TIMES");
DOCOM_STATIC_ASSERT(offsetof(BG_JOB_TIMES, TransferCompletionTime) == 16,
                    "BG_JOB_TIMES.TransferCompletionTime");
DOCOM_STATIC_ASSERT(sizeof(BG_JOB_STATE) == 4 && sizeof(BG_JOB_TYPE) == 4,
                    "enums are 32-bit");
#if defined(__x86_64__) || defined(__aarch64__) || defined(_WIN64)
DOCOM_STATIC_ASSERT(sizeof(BG_FILE_INFO) == 16 &&
                        offsetof(BG_FILE_INFO, LocalName) == 8,
                    "BG_FILE_INFO on x64");
#elif defined(__i386__)
DOCOM_STATIC_ASSERT(sizeof(BG_FILE_INFO) == 8 &&
                        offsetof(BG_FILE_INFO, LocalName) == 4,
                    "BG_FILE_INFO on x86");
#endif

/* ---- interfaces --------------------------------------------------- */

/* BEGIN GENERATED IBackgroundCopyFile */
/* clang-format off */
#ifndef __IBackgroundCopyFile_INTERFACE_DEFINED__
#define __IBackgroundCopyFile_INTERFACE_DEFINED__
EXTERN_C const IID IID_IBackgroundCopyFile;
typedef struct IBackgroundCopyFileVtbl {
    BEGIN_INTERFACE
    /* IUnknown */
    HRESULT(STDMETHODCALLTYPE *QueryInterface)(IBackgroundCopyFile *This,
        REFIID riid, void **ppvObject);
    ULONG(STDMETHODCALLTYPE *AddRef)(IBackgroundCopyFile *This);
    ULONG(STDMETHODCALLTYPE *Release)(IBackgroundCopyFile *This);
    /* IBackgroundCopyFile */
    HRESULT(STDMETHODCALLTYPE *GetRemoteName)(IBackgroundCopyFile *This,
        LPWSTR *pVal);
    HRESULT(STDMETHODCALLTYPE *GetLocalName)(IBackgroundCopyFile *This,
        LPWSTR *pVal);
    HRESULT(STDMETHODCALLTYPE *GetProgress)(IBackgroundCopyFile *This,
        BG_FILE_PROGRESS *pVal);
    END_INTERFACE
} IBackgroundCopyFileVtbl;
struct IBackgroundCopyFile {
    CONST_VTBL IBackgroundCopyFileVtbl *lpVtbl;
};
DOCOM_STATIC_ASSERT(sizeof(IBackgroundCopyFileVtbl) == 6 * sizeof(void *),
                    "IBackgroundCopyFile has 6 slots");
#ifdef COBJMACROS
#define IBackgroundCopyFile_QueryInterface(This, riid, ppvObject)              \
    (This)->lpVtbl->QueryInterface(This, riid, ppvObject)
#define IBackgroundCopyFile_AddRef(This) (This)->lpVtbl->AddRef(This)
#define IBackgroundCopyFile_Release(This) (This)->lpVtbl->Release(This)
#define IBackgroundCopyFile_GetRemoteName(This, pVal)                          \
    (This)->lpVtbl->GetRemoteName(This, pVal)
#define IBackgroundCopyFile_GetLocalName(This, pVal)                           \
    (This)->lpVtbl->GetLocalName(This, pVal)
#define IBackgroundCopyFile_GetProgress(This, pVal)                            \
    (This)->lpVtbl->GetProgress(This, pVal)
#endif
#endif
/* clang-format on */
/* END GENERATED IBackgroundCopyFile */

/* BEGIN GENERATED IEnumBackgroundCopyFiles */
/* clang-format off */
#ifndef __IEnumBackgroundCopyFiles_INTERFACE_DEFINED__
#define __IEnumBackgroundCopyFiles_INTERFACE_DEFINED__
EXTERN_C const IID IID_IEnumBackgroundCopyFiles;
typedef struct IEnumBackgroundCopyFilesVtbl {
    BEGIN_INTERFACE
    /* IUnknown */
    HRESULT(STDMETHODCALLTYPE *QueryInterface)(IEnumBackgroundCopyFiles *This,
        REFIID riid, void **ppvObject);
    ULONG(STDMETHODCALLTYPE *AddRef)(IEnumBackgroundCopyFiles *This);
    ULONG(STDMETHODCALLTYPE *Release)(IEnumBackgroundCopyFiles *This);
    /* IEnumBackgroundCopyFiles */
    HRESULT(STDMETHODCALLTYPE *Next)(IEnumBackgroundCopyFiles *This, ULONG celt,
        IBackgroundCopyFile **rgelt, ULONG *pceltFetched);
    HRESULT(STDMETHODCALLTYPE *Skip)(IEnumBackgroundCopyFiles *This,
        ULONG celt);
    HRESULT(STDMETHODCALLTYPE *Reset)(IEnumBackgroundCopyFiles *This);
    HRESULT(STDMETHODCALLTYPE *Clone)(IEnumBackgroundCopyFiles *This,
        IEnumBackgroundCopyFiles **ppenum);
    HRESULT(STDMETHODCALLTYPE *GetCount)(IEnumBackgroundCopyFiles *This,
        ULONG *puCount);
    END_INTERFACE
} IEnumBackgroundCopyFilesVtbl;
struct IEnumBackgroundCopyFiles {
    CONST_VTBL IEnumBackgroundCopyFilesVtbl *lpVtbl;
};
DOCOM_STATIC_ASSERT(sizeof(IEnumBackgroundCopyFilesVtbl) == 8 * sizeof(void *),
                    "IEnumBackgroundCopyFiles has 8 slots");
#ifdef COBJMACROS
#define IEnumBackgroundCopyFiles_QueryInterface(This, riid, ppvObject)         \
    (This)->lpVtbl->QueryInterface(This, riid, ppvObject)
#define IEnumBackgroundCopyFiles_AddRef(This) (This)->lpVtbl->AddRef(This)
#define IEnumBackgroundCopyFiles_Release(This) (This)->lpVtbl->Release(This)
#define IEnumBackgroundCopyFiles_Next(This, celt, rgelt, pceltFetched)         \
    (This)->lpVtbl->Next(This, celt, rgelt, pceltFetched)
#define IEnumBackgroundCopyFiles_Skip(This, celt)                              \
    (This)->lpVtbl->Skip(This, celt)
#define IEnumBackgroundCopyFiles_Reset(This) (This)->lpVtbl->Reset(This)
#define IEnumBackgroundCopyFiles_Clone(This, ppenum)                           \
    (This)->lpVtbl->Clone(This, ppenum)
#define IEnumBackgroundCopyFiles_GetCount(This, puCount)                       \
    (This)->lpVtbl->GetCount(This, puCount)
#endif
#endif
/* clang-format on */
/* END GENERATED IEnumBackgroundCopyFiles */

/* BEGIN GENERATED IBackgroundCopyError */
/* clang-format off */
#ifndef __IBackgroundCopyError_INTERFACE_DEFINED__
#define __IBackgroundCopyError_INTERFACE_DEFINED__
EXTERN_C const IID IID_IBackgroundCopyError;
typedef struct IBackgroundCopyErrorVtbl {
    BEGIN_INTERFACE
    /* IUnknown */
    HRESULT(STDMETHODCALLTYPE *QueryInterface)(IBackgroundCopyError *This,
        REFIID riid, void **ppvObject);
    ULONG(STDMETHODCALLTYPE *AddRef)(IBackgroundCopyError *This);
    ULONG(STDMETHODCALLTYPE *Release)(IBackgroundCopyError *This);
    /* IBackgroundCopyError */
    HRESULT(STDMETHODCALLTYPE *GetError)(IBackgroundCopyError *This,
        BG_ERROR_CONTEXT *pContext, HRESULT *pCode);
    HRESULT(STDMETHODCALLTYPE *GetFile)(IBackgroundCopyError *This,
        IBackgroundCopyFile **pVal);
    HRESULT(STDMETHODCALLTYPE *GetErrorDescription)(IBackgroundCopyError *This,
        DWORD LanguageId, LPWSTR *pErrorDescription);
    HRESULT(STDMETHODCALLTYPE *GetErrorContextDescription)(
        IBackgroundCopyError *This, DWORD LanguageId,
        LPWSTR *pContextDescription);
    HRESULT(STDMETHODCALLTYPE *GetProtocol)(IBackgroundCopyError *This,
        LPWSTR *pProtocol);
    END_INTERFACE
} IBackgroundCopyErrorVtbl;
struct IBackgroundCopyError {
    CONST_VTBL IBackgroundCopyErrorVtbl *lpVtbl;
};
DOCOM_STATIC_ASSERT(sizeof(IBackgroundCopyErrorVtbl) == 8 * sizeof(void *),
                    "IBackgroundCopyError has 8 slots");
#ifdef COBJMACROS
#define IBackgroundCopyError_QueryInterface(This, riid, ppvObject)             \
    (This)->lpVtbl->QueryInterface(This, riid, ppvObject)
#define IBackgroundCopyError_AddRef(This) (This)->lpVtbl->AddRef(This)
#define IBackgroundCopyError_Release(This) (This)->lpVtbl->Release(This)
#define IBackgroundCopyError_GetError(This, pContext, pCode)                   \
    (This)->lpVtbl->GetError(This, pContext, pCode)
#define IBackgroundCopyError_GetFile(This, pVal)                               \
    (This)->lpVtbl->GetFile(This, pVal)
#define IBackgroundCopyError_GetErrorDescription(This, LanguageId,             \
    pErrorDescription)                                                         \
    (This)->lpVtbl->GetErrorDescription(This, LanguageId, pErrorDescription)
#define IBackgroundCopyError_GetErrorContextDescription(This, LanguageId,      \
    pContextDescription)                                                       \
    (This)->lpVtbl->GetErrorContextDescription(This, LanguageId,               \
        pContextDescription)
#define IBackgroundCopyError_GetProtocol(This, pProtocol)                      \
    (This)->lpVtbl->GetProtocol(This, pProtocol)
#endif
#endif
/* clang-format on */
/* END GENERATED IBackgroundCopyError */

/* BEGIN GENERATED IBackgroundCopyJob */
/* clang-format off */
#ifndef __IBackgroundCopyJob_INTERFACE_DEFINED__
#define __IBackgroundCopyJob_INTERFACE_DEFINED__
EXTERN_C const IID IID_IBackgroundCopyJob;
typedef struct IBackgroundCopyJobVtbl {
    BEGIN_INTERFACE
    /* IUnknown */
    HRESULT(STDMETHODCALLTYPE *QueryInterface)(IBackgroundCopyJob *This,
        REFIID riid, void **ppvObject);
    ULONG(STDMETHODCALLTYPE *AddRef)(IBackgroundCopyJob *This);
    ULONG(STDMETHODCALLTYPE *Release)(IBackgroundCopyJob *This);
    /* IBackgroundCopyJob */
    HRESULT(STDMETHODCALLTYPE *AddFileSet)(IBackgroundCopyJob *This,
        ULONG cFileCount, BG_FILE_INFO *pFileSet);
    HRESULT(STDMETHODCALLTYPE *AddFile)(IBackgroundCopyJob *This,
        LPCWSTR RemoteUrl, LPCWSTR LocalName);
    HRESULT(STDMETHODCALLTYPE *EnumFiles)(IBackgroundCopyJob *This,
        IEnumBackgroundCopyFiles **pEnum);
    HRESULT(STDMETHODCALLTYPE *Suspend)(IBackgroundCopyJob *This);
    HRESULT(STDMETHODCALLTYPE *Resume)(IBackgroundCopyJob *This);
    HRESULT(STDMETHODCALLTYPE *Cancel)(IBackgroundCopyJob *This);
    HRESULT(STDMETHODCALLTYPE *Complete)(IBackgroundCopyJob *This);
    HRESULT(STDMETHODCALLTYPE *GetId)(IBackgroundCopyJob *This, GUID *pVal);
    HRESULT(STDMETHODCALLTYPE *GetType)(IBackgroundCopyJob *This,
        BG_JOB_TYPE *pVal);
    HRESULT(STDMETHODCALLTYPE *GetProgress)(IBackgroundCopyJob *This,
        BG_JOB_PROGRESS *pVal);
    HRESULT(STDMETHODCALLTYPE *GetTimes)(IBackgroundCopyJob *This,
        BG_JOB_TIMES *pVal);
    HRESULT(STDMETHODCALLTYPE *GetState)(IBackgroundCopyJob *This,
        BG_JOB_STATE *pVal);
    HRESULT(STDMETHODCALLTYPE *GetError)(IBackgroundCopyJob *This,
        IBackgroundCopyError **ppError);
    HRESULT(STDMETHODCALLTYPE *GetOwner)(IBackgroundCopyJob *This,
        LPWSTR *pVal);
    HRESULT(STDMETHODCALLTYPE *SetDisplayName)(IBackgroundCopyJob *This,
        LPCWSTR Val);
    HRESULT(STDMETHODCALLTYPE *GetDisplayName)(IBackgroundCopyJob *This,
        LPWSTR *pVal);
    HRESULT(STDMETHODCALLTYPE *SetDescription)(IBackgroundCopyJob *This,
        LPCWSTR Val);
    HRESULT(STDMETHODCALLTYPE *GetDescription)(IBackgroundCopyJob *This,
        LPWSTR *pVal);
    HRESULT(STDMETHODCALLTYPE *SetPriority)(IBackgroundCopyJob *This,
        BG_JOB_PRIORITY Val);
    HRESULT(STDMETHODCALLTYPE *GetPriority)(IBackgroundCopyJob *This,
        BG_JOB_PRIORITY *pVal);
    HRESULT(STDMETHODCALLTYPE *SetNotifyFlags)(IBackgroundCopyJob *This,
        ULONG Val);
    HRESULT(STDMETHODCALLTYPE *GetNotifyFlags)(IBackgroundCopyJob *This,
        ULONG *pVal);
    HRESULT(STDMETHODCALLTYPE *SetNotifyInterface)(IBackgroundCopyJob *This,
        IUnknown *Val);
    HRESULT(STDMETHODCALLTYPE *GetNotifyInterface)(IBackgroundCopyJob *This,
        IUnknown **pVal);
    HRESULT(STDMETHODCALLTYPE *SetMinimumRetryDelay)(IBackgroundCopyJob *This,
        ULONG Seconds);
    HRESULT(STDMETHODCALLTYPE *GetMinimumRetryDelay)(IBackgroundCopyJob *This,
        ULONG *Seconds);
    HRESULT(STDMETHODCALLTYPE *SetNoProgressTimeout)(IBackgroundCopyJob *This,
        ULONG Seconds);
    HRESULT(STDMETHODCALLTYPE *GetNoProgressTimeout)(IBackgroundCopyJob *This,
        ULONG *Seconds);
    HRESULT(STDMETHODCALLTYPE *GetErrorCount)(IBackgroundCopyJob *This,
        ULONG *Errors);
    HRESULT(STDMETHODCALLTYPE *SetProxySettings)(IBackgroundCopyJob *This,
        BG_JOB_PROXY_USAGE ProxyUsage, const WCHAR *ProxyList,
        const WCHAR *ProxyBypassList);
    HRESULT(STDMETHODCALLTYPE *GetProxySettings)(IBackgroundCopyJob *This,
        BG_JOB_PROXY_USAGE *pProxyUsage, LPWSTR *pProxyList,
        LPWSTR *pProxyBypassList);
    HRESULT(STDMETHODCALLTYPE *TakeOwnership)(IBackgroundCopyJob *This);
    END_INTERFACE
} IBackgroundCopyJobVtbl;
struct IBackgroundCopyJob {
    CONST_VTBL IBackgroundCopyJobVtbl *lpVtbl;
};
DOCOM_STATIC_ASSERT(sizeof(IBackgroundCopyJobVtbl) == 35 * sizeof(void *),
                    "IBackgroundCopyJob has 35 slots");
#ifdef COBJMACROS
#define IBackgroundCopyJob_QueryInterface(This, riid, ppvObject)               \
    (This)->lpVtbl->QueryInterface(This, riid, ppvObject)
#define IBackgroundCopyJob_AddRef(This) (This)->lpVtbl->AddRef(This)
#define IBackgroundCopyJob_Release(This) (This)->lpVtbl->Release(This)
#define IBackgroundCopyJob_AddFileSet(This, cFileCount, pFileSet)              \
    (This)->lpVtbl->AddFileSet(This, cFileCount, pFileSet)
#define IBackgroundCopyJob_AddFile(This, RemoteUrl, LocalName)                 \
    (This)->lpVtbl->AddFile(This, RemoteUrl, LocalName)
#define IBackgroundCopyJob_EnumFiles(This, pEnum)                              \
    (This)->lpVtbl->EnumFiles(This, pEnum)
#define IBackgroundCopyJob_Suspend(This) (This)->lpVtbl->Suspend(This)
#define IBackgroundCopyJob_Resume(This) (This)->lpVtbl->Resume(This)
#define IBackgroundCopyJob_Cancel(This) (This)->lpVtbl->Cancel(This)
#define IBackgroundCopyJob_Complete(This) (This)->lpVtbl->Complete(This)
#define IBackgroundCopyJob_GetId(This, pVal) (This)->lpVtbl->GetId(This, pVal)
#define IBackgroundCopyJob_GetType(This, pVal)                                 \
    (This)->lpVtbl->GetType(This, pVal)
#define IBackgroundCopyJob_GetProgress(This, pVal)                             \
    (This)->lpVtbl->GetProgress(This, pVal)
#define IBackgroundCopyJob_GetTimes(This, pVal)                                \
    (This)->lpVtbl->GetTimes(This, pVal)
#define IBackgroundCopyJob_GetState(This, pVal)                                \
    (This)->lpVtbl->GetState(This, pVal)
#define IBackgroundCopyJob_GetError(This, ppError)                             \
    (This)->lpVtbl->GetError(This, ppError)
#define IBackgroundCopyJob_GetOwner(This, pVal)                                \
    (This)->lpVtbl->GetOwner(This, pVal)
#define IBackgroundCopyJob_SetDisplayName(This, Val)                           \
    (This)->lpVtbl->SetDisplayName(This, Val)
#define IBackgroundCopyJob_GetDisplayName(This, pVal)                          \
    (This)->lpVtbl->GetDisplayName(This, pVal)
#define IBackgroundCopyJob_SetDescription(This, Val)                           \
    (This)->lpVtbl->SetDescription(This, Val)
#define IBackgroundCopyJob_GetDescription(This, pVal)                          \
    (This)->lpVtbl->GetDescription(This, pVal)
#define IBackgroundCopyJob_SetPriority(This, Val)                              \
    (This)->lpVtbl->SetPriority(This, Val)
#define IBackgroundCopyJob_GetPriority(This, pVal)                             \
    (This)->lpVtbl->GetPriority(This, pVal)
#define IBackgroundCopyJob_SetNotifyFlags(This, Val)                           \
    (This)->lpVtbl->SetNotifyFlags(This, Val)
#define IBackgroundCopyJob_GetNotifyFlags(This, pVal)                          \
    (This)->lpVtbl->GetNotifyFlags(This, pVal)
#define IBackgroundCopyJob_SetNotifyInterface(This, Val)                       \
    (This)->lpVtbl->SetNotifyInterface(This, Val)
#define IBackgroundCopyJob_GetNotifyInterface(This, pVal)                      \
    (This)->lpVtbl->GetNotifyInterface(This, pVal)
#define IBackgroundCopyJob_SetMinimumRetryDelay(This, Seconds)                 \
    (This)->lpVtbl->SetMinimumRetryDelay(This, Seconds)
#define IBackgroundCopyJob_GetMinimumRetryDelay(This, Seconds)                 \
    (This)->lpVtbl->GetMinimumRetryDelay(This, Seconds)
#define IBackgroundCopyJob_SetNoProgressTimeout(This, Seconds)                 \
    (This)->lpVtbl->SetNoProgressTimeout(This, Seconds)
#define IBackgroundCopyJob_GetNoProgressTimeout(This, Seconds)                 \
    (This)->lpVtbl->GetNoProgressTimeout(This, Seconds)
#define IBackgroundCopyJob_GetErrorCount(This, Errors)                         \
    (This)->lpVtbl->GetErrorCount(This, Errors)
#define IBackgroundCopyJob_SetProxySettings(This, ProxyUsage, ProxyList,       \
    ProxyBypassList)                                                           \
    (This)->lpVtbl->SetProxySettings(This, ProxyUsage, ProxyList,              \
        ProxyBypassList)
#define IBackgroundCopyJob_GetProxySettings(This, pProxyUsage, pProxyList,     \
    pProxyBypassList)                                                          \
    (This)->lpVtbl->GetProxySettings(This, pProxyUsage, pProxyList,            \
        pProxyBypassList)
#define IBackgroundCopyJob_TakeOwnership(This)                                 \
    (This)->lpVtbl->TakeOwnership(This)
#endif
#endif
/* clang-format on */
/* END GENERATED IBackgroundCopyJob */

/* BEGIN GENERATED IEnumBackgroundCopyJobs */
/* clang-format off */
#ifndef __IEnumBackgroundCopyJobs_INTERFACE_DEFINED__
#define __IEnumBackgroundCopyJobs_INTERFACE_DEFINED__
EXTERN_C const IID IID_IEnumBackgroundCopyJobs;
typedef struct IEnumBackgroundCopyJobsVtbl {
    BEGIN_INTERFACE
    /* IUnknown */
    HRESULT(STDMETHODCALLTYPE *QueryInterface)(IEnumBackgroundCopyJobs *This,
        REFIID riid, void **ppvObject);
    ULONG(STDMETHODCALLTYPE *AddRef)(IEnumBackgroundCopyJobs *This);
    ULONG(STDMETHODCALLTYPE *Release)(IEnumBackgroundCopyJobs *This);
    /* IEnumBackgroundCopyJobs */
    HRESULT(STDMETHODCALLTYPE *Next)(IEnumBackgroundCopyJobs *This, ULONG celt,
        IBackgroundCopyJob **rgelt, ULONG *pceltFetched);
    HRESULT(STDMETHODCALLTYPE *Skip)(IEnumBackgroundCopyJobs *This, ULONG celt);
    HRESULT(STDMETHODCALLTYPE *Reset)(IEnumBackgroundCopyJobs *This);
    HRESULT(STDMETHODCALLTYPE *Clone)(IEnumBackgroundCopyJobs *This,
        IEnumBackgroundCopyJobs **ppenum);
    HRESULT(STDMETHODCALLTYPE *GetCount)(IEnumBackgroundCopyJobs *This,
        ULONG *puCount);
    END_INTERFACE
} IEnumBackgroundCopyJobsVtbl;
struct IEnumBackgroundCopyJobs {
    CONST_VTBL IEnumBackgroundCopyJobsVtbl *lpVtbl;
};
DOCOM_STATIC_ASSERT(sizeof(IEnumBackgroundCopyJobsVtbl) == 8 * sizeof(void *),
                    "IEnumBackgroundCopyJobs has 8 slots");
#ifdef COBJMACROS
#define IEnumBackgroundCopyJobs_QueryInterface(This, riid, ppvObject)          \
    (This)->lpVtbl->QueryInterface(This, riid, ppvObject)
#define IEnumBackgroundCopyJobs_AddRef(This) (This)->lpVtbl->AddRef(This)
#define IEnumBackgroundCopyJobs_Release(This) (This)->lpVtbl->Release(This)
#define IEnumBackgroundCopyJobs_Next(This, celt, rgelt, pceltFetched)          \
    (This)->lpVtbl->Next(This, celt, rgelt, pceltFetched)
#define IEnumBackgroundCopyJobs_Skip(This, celt)                               \
    (This)->lpVtbl->Skip(This, celt)
#define IEnumBackgroundCopyJobs_Reset(This) (This)->lpVtbl->Reset(This)
#define IEnumBackgroundCopyJobs_Clone(This, ppenum)                            \
    (This)->lpVtbl->Clone(This, ppenum)
#define IEnumBackgroundCopyJobs_GetCount(This, puCount)                        \
    (This)->lpVtbl->GetCount(This, puCount)
#endif
#endif
/* clang-format on */
/* END GENERATED IEnumBackgroundCopyJobs */

/* BEGIN GENERATED IBackgroundCopyCallback */
/* clang-format off */
#ifndef __IBackgroundCopyCallback_INTERFACE_DEFINED__
#define __IBackgroundCopyCallback_INTERFACE_DEFINED__
EXTERN_C const IID IID_IBackgroundCopyCallback;
typedef struct IBackgroundCopyCallbackVtbl {
    BEGIN_INTERFACE
    /* IUnknown */
    HRESULT(STDMETHODCALLTYPE *QueryInterface)(IBackgroundCopyCallback *This,
        REFIID riid, void **ppvObject);
    ULONG(STDMETHODCALLTYPE *AddRef)(IBackgroundCopyCallback *This);
    ULONG(STDMETHODCALLTYPE *Release)(IBackgroundCopyCallback *This);
    /* IBackgroundCopyCallback */
    HRESULT(STDMETHODCALLTYPE *JobTransferred)(IBackgroundCopyCallback *This,
        IBackgroundCopyJob *pJob);
    HRESULT(STDMETHODCALLTYPE *JobError)(IBackgroundCopyCallback *This,
        IBackgroundCopyJob *pJob, IBackgroundCopyError *pError);
    HRESULT(STDMETHODCALLTYPE *JobModification)(IBackgroundCopyCallback *This,
        IBackgroundCopyJob *pJob, DWORD dwReserved);
    END_INTERFACE
} IBackgroundCopyCallbackVtbl;
struct IBackgroundCopyCallback {
    CONST_VTBL IBackgroundCopyCallbackVtbl *lpVtbl;
};
DOCOM_STATIC_ASSERT(sizeof(IBackgroundCopyCallbackVtbl) == 6 * sizeof(void *),
                    "IBackgroundCopyCallback has 6 slots");
#ifdef COBJMACROS
#define IBackgroundCopyCallback_QueryInterface(This, riid, ppvObject)          \
    (This)->lpVtbl->QueryInterface(This, riid, ppvObject)
#define IBackgroundCopyCallback_AddRef(This) (This)->lpVtbl->AddRef(This)
#define IBackgroundCopyCallback_Release(This) (This)->lpVtbl->Release(This)
#define IBackgroundCopyCallback_JobTransferred(This, pJob)                     \
    (This)->lpVtbl->JobTransferred(This, pJob)
#define IBackgroundCopyCallback_JobError(This, pJob, pError)                   \
    (This)->lpVtbl->JobError(This, pJob, pError)
#define IBackgroundCopyCallback_JobModification(This, pJob, dwReserved)        \
    (This)->lpVtbl->JobModification(This, pJob, dwReserved)
#endif
#endif
/* clang-format on */
/* END GENERATED IBackgroundCopyCallback */

/* BEGIN GENERATED IBackgroundCopyManager */
/* clang-format off */
#ifndef __IBackgroundCopyManager_INTERFACE_DEFINED__
#define __IBackgroundCopyManager_INTERFACE_DEFINED__
EXTERN_C const IID IID_IBackgroundCopyManager;
typedef struct IBackgroundCopyManagerVtbl {
    BEGIN_INTERFACE
    /* IUnknown */
    HRESULT(STDMETHODCALLTYPE *QueryInterface)(IBackgroundCopyManager *This,
        REFIID riid, void **ppvObject);
    ULONG(STDMETHODCALLTYPE *AddRef)(IBackgroundCopyManager *This);
    ULONG(STDMETHODCALLTYPE *Release)(IBackgroundCopyManager *This);
    /* IBackgroundCopyManager */
    HRESULT(STDMETHODCALLTYPE *CreateJob)(IBackgroundCopyManager *This,
        LPCWSTR DisplayName, BG_JOB_TYPE Type, GUID *pJobId,
        IBackgroundCopyJob **ppJob);
    HRESULT(STDMETHODCALLTYPE *GetJob)(IBackgroundCopyManager *This,
        REFGUID jobID, IBackgroundCopyJob **ppJob);
    HRESULT(STDMETHODCALLTYPE *EnumJobs)(IBackgroundCopyManager *This,
        DWORD dwFlags, IEnumBackgroundCopyJobs **ppEnum);
    HRESULT(STDMETHODCALLTYPE *GetErrorDescription)(
        IBackgroundCopyManager *This, HRESULT hResult, DWORD LanguageId,
        LPWSTR *pErrorDescription);
    END_INTERFACE
} IBackgroundCopyManagerVtbl;
struct IBackgroundCopyManager {
    CONST_VTBL IBackgroundCopyManagerVtbl *lpVtbl;
};
DOCOM_STATIC_ASSERT(sizeof(IBackgroundCopyManagerVtbl) == 7 * sizeof(void *),
                    "IBackgroundCopyManager has 7 slots");
#ifdef COBJMACROS
#define IBackgroundCopyManager_QueryInterface(This, riid, ppvObject)           \
    (This)->lpVtbl->QueryInterface(This, riid, ppvObject)
#define IBackgroundCopyManager_AddRef(This) (This)->lpVtbl->AddRef(This)
#define IBackgroundCopyManager_Release(This) (This)->lpVtbl->Release(This)
#define IBackgroundCopyManager_CreateJob(This, DisplayName, Type, pJobId,      \
    ppJob)                                                                     \
    (This)->lpVtbl->CreateJob(This, DisplayName, Type, pJobId, ppJob)
#define IBackgroundCopyManager_GetJob(This, jobID, ppJob)                      \
    (This)->lpVtbl->GetJob(This, jobID, ppJob)
#define IBackgroundCopyManager_EnumJobs(This, dwFlags, ppEnum)                 \
    (This)->lpVtbl->EnumJobs(This, dwFlags, ppEnum)
#define IBackgroundCopyManager_GetErrorDescription(This, hResult, LanguageId,  \
    pErrorDescription)                                                         \
    (This)->lpVtbl->GetErrorDescription(This, hResult, LanguageId,             \
        pErrorDescription)
#endif
#endif
/* clang-format on */
/* END GENERATED IBackgroundCopyManager */

/* ---- coclass and type library ------------------------------------ */

EXTERN_C const CLSID CLSID_BackgroundCopyManager;
EXTERN_C const IID LIBID_BackgroundCopyManager;

#endif /* DOCOM_BITS_H */
