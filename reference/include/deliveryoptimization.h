/*
 * deliveryoptimization.h - the Delivery Optimization interfaces and types
 * with the Windows SDK's names: IDOManager, IDODownload,
 * IDODownloadStatusCallback (the shipped header) and IDeliveryOptimizationJob
 * /Job2, IDeliveryOptimizationFile/File2 (documented as
 * DeliveryOptimization.h but absent from the shipped header; spec/types.md
 * section 1 note).  Spec: interfaces.md 8-12, types.md 5.
 *
 * DO_UNKNOWN_FILE_SIZE is (UINT64)-1: no header gives its value (decision
 * D3 of spec/behavior.md 15).  IDODownloadInternal, whose header is not
 * public, comes along from DODownloadInternal.h; the DO HRESULTs from
 * deliveryoptimizationerrors.h.
 */
#ifndef DOCOM_DELIVERYOPTIMIZATION_H
#define DOCOM_DELIVERYOPTIMIZATION_H

#include "docom.h"
#include "deliveryoptimizationerrors.h"

#ifndef __IDODownload_FWD_DEFINED__
#define __IDODownload_FWD_DEFINED__
typedef struct IDODownload IDODownload;
#endif
#ifndef __IDODownloadStatusCallback_FWD_DEFINED__
#define __IDODownloadStatusCallback_FWD_DEFINED__
typedef struct IDODownloadStatusCallback IDODownloadStatusCallback;
#endif
#ifndef __IDOManager_FWD_DEFINED__
#define __IDOManager_FWD_DEFINED__
typedef struct IDOManager IDOManager;
#endif
#ifndef __IDeliveryOptimizationJob_FWD_DEFINED__
#define __IDeliveryOptimizationJob_FWD_DEFINED__
typedef struct IDeliveryOptimizationJob IDeliveryOptimizationJob;
#endif
#ifndef __IDeliveryOptimizationJob2_FWD_DEFINED__
#define __IDeliveryOptimizationJob2_FWD_DEFINED__
typedef struct IDeliveryOptimizationJob2 IDeliveryOptimizationJob2;
#endif
#ifndef __IDeliveryOptimizationFile_FWD_DEFINED__
#define __IDeliveryOptimizationFile_FWD_DEFINED__
typedef struct IDeliveryOptimizationFile IDeliveryOptimizationFile;
#endif
#ifndef __IDeliveryOptimizationFile2_FWD_DEFINED__
#define __IDeliveryOptimizationFile2_FWD_DEFINED__
typedef struct IDeliveryOptimizationFile2 IDeliveryOptimizationFile2;
#endif

/* ---- constants ---------------------------------------------------- */

#define DO_LENGTH_TO_EOF ((UINT64)(-1))
#define DO_UNKNOWN_FILE_SIZE ((UINT64)(-1))

/* JSON keys of DODownloadProperty_DecryptionInfo. */
#define DecryptionInfo_KeyData u"KeyData"
#define DecryptionInfo_EncryptionBufferSize u"EncryptionBufferSize"
#define DecryptionInfo_AlgorithmName u"AlgorithmName"
#define DecryptionInfo_ChainingMode u"ChainingMode"
/* JSON keys of DODownloadProperty_IntegrityCheckInfo. */
#define IntegrityCheckInfo_PiecesHashFileUrl u"PiecesHashFileUrl"
#define IntegrityCheckInfo_PiecesHashFileDigest u"PiecesHashFileDigest"
#define IntegrityCheckInfo_PiecesHashFileDigestAlgorithm                       \
    u"PiecesHashFileDigestAlgorithm"
#define IntegrityCheckInfo_HashOfHashes u"HashOfHashes"

/* ---- IDODownload types -------------------------------------------- */

typedef enum _DODownloadState {
    DODownloadState_Created = 0,
    DODownloadState_Transferring = 1,
    DODownloadState_Transferred = 2,
    DODownloadState_Finalized = 3,
    DODownloadState_Aborted = 4,
    DODownloadState_Paused = 5
} DODownloadState;

typedef enum _DODownloadCostPolicy {
    DODownloadCostPolicy_Always = 0,
    DODownloadCostPolicy_Unrestricted = 1,
    DODownloadCostPolicy_Standard = 2,
    DODownloadCostPolicy_NoRoaming = 3,
    DODownloadCostPolicy_NoSurcharge = 4,
    DODownloadCostPolicy_NoCellular = 5
} DODownloadCostPolicy;

typedef enum _DODownloadProperty {
    DODownloadProperty_Id = 0,
    DODownloadProperty_Uri = 1,
    DODownloadProperty_ContentId = 2,
    DODownloadProperty_DisplayName = 3,
    DODownloadProperty_LocalPath = 4,
    DODownloadProperty_HttpCustomHeaders = 5,
    DODownloadProperty_CostPolicy = 6,
    DODownloadProperty_SecurityFlags = 7,
    DODownloadProperty_CallbackFreqPercent = 8,
    DODownloadProperty_CallbackFreqSeconds = 9,
    DODownloadProperty_NoProgressTimeoutSeconds = 10,
    DODownloadProperty_ForegroundPriority = 11,
    DODownloadProperty_BlockingMode = 12,
    DODownloadProperty_CallbackInterface = 13,
    DODownloadProperty_StreamInterface = 14,
    DODownloadProperty_SecurityContext = 15,
    DODownloadProperty_NetworkToken = 16,
    DODownloadProperty_CorrelationVector = 17,
    DODownloadProperty_DecryptionInfo = 18,
    DODownloadProperty_IntegrityCheckInfo = 19,
    DODownloadProperty_IntegrityCheckMandatory = 20,
    DODownloadProperty_TotalSizeBytes = 21,
    DODownloadProperty_DisallowOnCellular = 22,
    DODownloadProperty_HttpCustomAuthHeaders = 23,
    DODownloadProperty_HttpAllowSecureToNonSecureRedirect = 24,
    DODownloadProperty_NonVolatile = 25,
    DODownloadProperty_HttpRedirectionTarget = 26,
    DODownloadProperty_HttpResponseHeaders = 27,
    DODownloadProperty_HttpServerIPAddress = 28,
    DODownloadProperty_HttpStatusCode = 29
} DODownloadProperty;

typedef struct _DO_DOWNLOAD_RANGE {
    UINT64 Offset;
    UINT64 Length;
} DO_DOWNLOAD_RANGE;

/* Ranges is [size_is(RangeCount)]: allocate
 * sizeof(DO_DOWNLOAD_RANGES_INFO) + (n - 1) * sizeof(DO_DOWNLOAD_RANGE). */
typedef struct _DO_DOWNLOAD_RANGES_INFO {
    UINT RangeCount;
    DO_DOWNLOAD_RANGE Ranges[1];
} DO_DOWNLOAD_RANGES_INFO;

typedef struct _DO_DOWNLOAD_STATUS {
    UINT64 BytesTotal;
    UINT64 BytesTransferred;
    DODownloadState State;
    HRESULT Error;
    HRESULT ExtendedError;
} DO_DOWNLOAD_STATUS;

typedef struct _DO_DOWNLOAD_ENUM_CATEGORY {
    DODownloadProperty Property;
    LPCWSTR Value;
} DO_DOWNLOAD_ENUM_CATEGORY;

/* ---- IDeliveryOptimizationJob / File types ------------------------ */

/* Also declared, under the same guard, by bits2_0.h. */
#ifndef _BG_FILE_RANGE_DEFINED
#define _BG_FILE_RANGE_DEFINED
typedef struct _BG_FILE_RANGE {
    UINT64 InitialOffset;
    UINT64 Length;
} BG_FILE_RANGE;
DOCOM_STATIC_ASSERT(sizeof(BG_FILE_RANGE) == 16 &&
                        offsetof(BG_FILE_RANGE, Length) == 8,
                    "BG_FILE_RANGE");
#endif

typedef enum _DownloadMode {
    DownloadMode_CdnOnly = 0,
    DownloadMode_Lan = 1,
    DownloadMode_Group = 2,
    DownloadMode_Internet = 3,
    DownloadMode_Simple = 99,
    DownloadMode_Bypass = 100
} DownloadMode;

typedef enum _SwarmStatus {
    SwarmStatus_Downloading = 0,
    SwarmStatus_Complete = 1,
    SwarmStatus_Caching = 2,
    SwarmStatus_Paused = 3
} SwarmStatus;

typedef struct _DOSwarmStats {
    LPWSTR fileId;
    LPWSTR sourceURL;
    UINT64 fileSize;
    UINT64 totalBytesDownloaded;
    UINT64 bytesFromLanPeers;
    UINT64 bytesFromGroupPeers;
    UINT64 bytesFromInternetPeers;
    UINT64 bytesFromHttp;
    UINT64 bytesFromDoinc;
    UINT64 bytesToLanPeers;
    UINT64 bytesToGroupPeers;
    UINT64 bytesToInternetPeers;
    UINT httpConnectionCount;
    UINT doincConnectionCount;
    UINT lanConnectionCount;
    UINT groupConnectionCount;
    UINT internetConnectionCount;
    UINT downloadDuration;
    DownloadMode downloadMode;
    SwarmStatus status;
    BOOL isBackground;
} DOSwarmStats;

typedef enum _DeliveryOptimizationFileProperty {
    DOFilePropertyId_DecryptionInfo = 0,
    DOFilePropertyId_IntegrityCheckInfo = 1,
    DOFilePropertyId_IntegrityCheckMandatory = 2,
    DOFilePropertyId_DownloadSinkInterface = 3,
    DOFilePropertyId_DownloadSinkFilePath = 4,
    DOFilePropertyId_DownloadSinkMemoryStream = 5,
    DOFilePropertyId_TotalSizeBytes = 6
} DOFilePropertyId;

typedef enum _DeliveryOptimizationJobProperty {
    DOJobPropertyId_ExtendedErrorInfo = 0
} DOJobPropertyId;

/* ---- layout pins (spec/types.md 5.6 and 5.8) ---------------------- */

DOCOM_STATIC_ASSERT(sizeof(DO_DOWNLOAD_RANGE) == 16, "DO_DOWNLOAD_RANGE");
DOCOM_STATIC_ASSERT(sizeof(DO_DOWNLOAD_RANGES_INFO) == 24 &&
                        offsetof(DO_DOWNLOAD_RANGES_INFO, Ranges) == 8,
                    "DO_DOWNLOAD_RANGES_INFO");
DOCOM_STATIC_ASSERT(sizeof(DO_DOWNLOAD_STATUS) == 32 &&
                        offsetof(DO_DOWNLOAD_STATUS, State) == 16 &&
                        offsetof(DO_DOWNLOAD_STATUS, Error) == 20 &&
                        offsetof(DO_DOWNLOAD_STATUS, ExtendedError) == 24,
                    "DO_DOWNLOAD_STATUS");
#if defined(__x86_64__) || defined(__aarch64__) || defined(_WIN64)
DOCOM_STATIC_ASSERT(sizeof(DO_DOWNLOAD_ENUM_CATEGORY) == 16 &&
                        offsetof(DO_DOWNLOAD_ENUM_CATEGORY, Value) == 8,
                    "DO_DOWNLOAD_ENUM_CATEGORY on x64");
DOCOM_STATIC_ASSERT(sizeof(DOSwarmStats) == 136 &&
                        offsetof(DOSwarmStats, fileSize) == 16 &&
                        offsetof(DOSwarmStats, httpConnectionCount) == 96 &&
                        offsetof(DOSwarmStats, downloadMode) == 120 &&
                        offsetof(DOSwarmStats, isBackground) == 128,
                    "DOSwarmStats on x64");
#elif defined(__i386__)
DOCOM_STATIC_ASSERT(sizeof(DO_DOWNLOAD_ENUM_CATEGORY) == 8 &&
                        offsetof(DO_DOWNLOAD_ENUM_CATEGORY, Value) == 4,
                    "DO_DOWNLOAD_ENUM_CATEGORY on x86");
DOCOM_STATIC_ASSERT(sizeof(DOSwarmStats) == 128 &&
                        offsetof(DOSwarmStats, fileSize) == 8 &&
                        offsetof(DOSwarmStats, httpConnectionCount) == 88 &&
                        offsetof(DOSwarmStats, isBackground) == 120,
                    "DOSwarmStats on x86");
#endif

/* ---- interfaces --------------------------------------------------- */

/* BEGIN GENERATED IDODownload */
/* clang-format off */
#ifndef __IDODownload_INTERFACE_DEFINED__
#define __IDODownload_INTERFACE_DEFINED__
EXTERN_C const IID IID_IDODownload;
typedef struct IDODownloadVtbl {
    BEGIN_INTERFACE
    /* IUnknown */
    HRESULT(STDMETHODCALLTYPE *QueryInterface)(IDODownload *This, REFIID riid,
        void **ppvObject);
    ULONG(STDMETHODCALLTYPE *AddRef)(IDODownload *This);
    ULONG(STDMETHODCALLTYPE *Release)(IDODownload *This);
    /* IDODownload */
    HRESULT(STDMETHODCALLTYPE *Start)(IDODownload *This,
        const DO_DOWNLOAD_RANGES_INFO *ranges);
    HRESULT(STDMETHODCALLTYPE *Pause)(IDODownload *This);
    HRESULT(STDMETHODCALLTYPE *Abort)(IDODownload *This);
    HRESULT(STDMETHODCALLTYPE *Finalize)(IDODownload *This);
    HRESULT(STDMETHODCALLTYPE *GetStatus)(IDODownload *This,
        DO_DOWNLOAD_STATUS *status);
    HRESULT(STDMETHODCALLTYPE *GetProperty)(IDODownload *This,
        DODownloadProperty propId, VARIANT *propVal);
    HRESULT(STDMETHODCALLTYPE *SetProperty)(IDODownload *This,
        DODownloadProperty propId, const VARIANT *propVal);
    END_INTERFACE
} IDODownloadVtbl;
struct IDODownload {
    CONST_VTBL IDODownloadVtbl *lpVtbl;
};
DOCOM_STATIC_ASSERT(sizeof(IDODownloadVtbl) == 10 * sizeof(void *),
                    "IDODownload has 10 slots");
#ifdef COBJMACROS
#define IDODownload_QueryInterface(This, riid, ppvObject)                      \
    (This)->lpVtbl->QueryInterface(This, riid, ppvObject)
#define IDODownload_AddRef(This) (This)->lpVtbl->AddRef(This)
#define IDODownload_Release(This) (This)->lpVtbl->Release(This)
#define IDODownload_Start(This, ranges) (This)->lpVtbl->Start(This, ranges)
#define IDODownload_Pause(This) (This)->lpVtbl->Pause(This)
#define IDODownload_Abort(This) (This)->lpVtbl->Abort(This)
#define IDODownload_Finalize(This) (This)->lpVtbl->Finalize(This)
#define IDODownload_GetStatus(This, status)                                    \
    (This)->lpVtbl->GetStatus(This, status)
#define IDODownload_GetProperty(This, propId, propVal)                         \
    (This)->lpVtbl->GetProperty(This, propId, propVal)
#define IDODownload_SetProperty(This, propId, propVal)                         \
    (This)->lpVtbl->SetProperty(This, propId, propVal)
#endif
#endif
/* clang-format on */
/* END GENERATED IDODownload */

/* BEGIN GENERATED IDODownloadStatusCallback */
/* clang-format off */
#ifndef __IDODownloadStatusCallback_INTERFACE_DEFINED__
#define __IDODownloadStatusCallback_INTERFACE_DEFINED__
EXTERN_C const IID IID_IDODownloadStatusCallback;
typedef struct IDODownloadStatusCallbackVtbl {
    BEGIN_INTERFACE
    /* IUnknown */
    HRESULT(STDMETHODCALLTYPE *QueryInterface)(IDODownloadStatusCallback *This,
        REFIID riid, void **ppvObject);
    ULONG(STDMETHODCALLTYPE *AddRef)(IDODownloadStatusCallback *This);
    ULONG(STDMETHODCALLTYPE *Release)(IDODownloadStatusCallback *This);
    /* IDODownloadStatusCallback */
    HRESULT(STDMETHODCALLTYPE *OnStatusChange)(IDODownloadStatusCallback *This,
        IDODownload *download, const DO_DOWNLOAD_STATUS *status);
    END_INTERFACE
} IDODownloadStatusCallbackVtbl;
struct IDODownloadStatusCallback {
    CONST_VTBL IDODownloadStatusCallbackVtbl *lpVtbl;
};
DOCOM_STATIC_ASSERT(sizeof(IDODownloadStatusCallbackVtbl) == 4 * sizeof(void *),
                    "IDODownloadStatusCallback has 4 slots");
#ifdef COBJMACROS
#define IDODownloadStatusCallback_QueryInterface(This, riid, ppvObject)        \
    (This)->lpVtbl->QueryInterface(This, riid, ppvObject)
#define IDODownloadStatusCallback_AddRef(This) (This)->lpVtbl->AddRef(This)
#define IDODownloadStatusCallback_Release(This) (This)->lpVtbl->Release(This)
#define IDODownloadStatusCallback_OnStatusChange(This, download, status)       \
    (This)->lpVtbl->OnStatusChange(This, download, status)
#endif
#endif
/* clang-format on */
/* END GENERATED IDODownloadStatusCallback */

/* BEGIN GENERATED IDOManager */
/* clang-format off */
#ifndef __IDOManager_INTERFACE_DEFINED__
#define __IDOManager_INTERFACE_DEFINED__
EXTERN_C const IID IID_IDOManager;
typedef struct IDOManagerVtbl {
    BEGIN_INTERFACE
    /* IUnknown */
    HRESULT(STDMETHODCALLTYPE *QueryInterface)(IDOManager *This, REFIID riid,
        void **ppvObject);
    ULONG(STDMETHODCALLTYPE *AddRef)(IDOManager *This);
    ULONG(STDMETHODCALLTYPE *Release)(IDOManager *This);
    /* IDOManager */
    HRESULT(STDMETHODCALLTYPE *CreateDownload)(IDOManager *This,
        IDODownload **download);
    HRESULT(STDMETHODCALLTYPE *EnumDownloads)(IDOManager *This,
        const DO_DOWNLOAD_ENUM_CATEGORY *category, IEnumUnknown **ppEnum);
    END_INTERFACE
} IDOManagerVtbl;
struct IDOManager {
    CONST_VTBL IDOManagerVtbl *lpVtbl;
};
DOCOM_STATIC_ASSERT(sizeof(IDOManagerVtbl) == 5 * sizeof(void *),
                    "IDOManager has 5 slots");
#ifdef COBJMACROS
#define IDOManager_QueryInterface(This, riid, ppvObject)                       \
    (This)->lpVtbl->QueryInterface(This, riid, ppvObject)
#define IDOManager_AddRef(This) (This)->lpVtbl->AddRef(This)
#define IDOManager_Release(This) (This)->lpVtbl->Release(This)
#define IDOManager_CreateDownload(This, download)                              \
    (This)->lpVtbl->CreateDownload(This, download)
#define IDOManager_EnumDownloads(This, category, ppEnum)                       \
    (This)->lpVtbl->EnumDownloads(This, category, ppEnum)
#endif
#endif
/* clang-format on */
/* END GENERATED IDOManager */

/* BEGIN GENERATED IDeliveryOptimizationJob */
/* clang-format off */
#ifndef __IDeliveryOptimizationJob_INTERFACE_DEFINED__
#define __IDeliveryOptimizationJob_INTERFACE_DEFINED__
EXTERN_C const IID IID_IDeliveryOptimizationJob;
typedef struct IDeliveryOptimizationJobVtbl {
    BEGIN_INTERFACE
    /* IUnknown */
    HRESULT(STDMETHODCALLTYPE *QueryInterface)(IDeliveryOptimizationJob *This,
        REFIID riid, void **ppvObject);
    ULONG(STDMETHODCALLTYPE *AddRef)(IDeliveryOptimizationJob *This);
    ULONG(STDMETHODCALLTYPE *Release)(IDeliveryOptimizationJob *This);
    /* IDeliveryOptimizationJob */
    HRESULT(STDMETHODCALLTYPE *AddFileWithRanges)(
        IDeliveryOptimizationJob *This, LPCWSTR fileId, LPCWSTR remoteUrl,
        LPCWSTR localName, DWORD rangeCount, BG_FILE_RANGE ranges[],
        UINT64 fileSize);
    END_INTERFACE
} IDeliveryOptimizationJobVtbl;
struct IDeliveryOptimizationJob {
    CONST_VTBL IDeliveryOptimizationJobVtbl *lpVtbl;
};
DOCOM_STATIC_ASSERT(sizeof(IDeliveryOptimizationJobVtbl) == 4 * sizeof(void *),
                    "IDeliveryOptimizationJob has 4 slots");
#ifdef COBJMACROS
#define IDeliveryOptimizationJob_QueryInterface(This, riid, ppvObject)         \
    (This)->lpVtbl->QueryInterface(This, riid, ppvObject)
#define IDeliveryOptimizationJob_AddRef(This) (This)->lpVtbl->AddRef(This)
#define IDeliveryOptimizationJob_Release(This) (This)->lpVtbl->Release(This)
#define IDeliveryOptimizationJob_AddFileWithRanges(This, fileId, remoteUrl,    \
    localName, rangeCount, ranges, fileSize)                                   \
    (This)->lpVtbl->AddFileWithRanges(This, fileId, remoteUrl, localName,      \
        rangeCount, ranges, fileSize)
#endif
#endif
/* clang-format on */
/* END GENERATED IDeliveryOptimizationJob */

/* BEGIN GENERATED IDeliveryOptimizationJob2 */
/* clang-format off */
#ifndef __IDeliveryOptimizationJob2_INTERFACE_DEFINED__
#define __IDeliveryOptimizationJob2_INTERFACE_DEFINED__
EXTERN_C const IID IID_IDeliveryOptimizationJob2;
typedef struct IDeliveryOptimizationJob2Vtbl {
    BEGIN_INTERFACE
    /* IUnknown */
    HRESULT(STDMETHODCALLTYPE *QueryInterface)(IDeliveryOptimizationJob2 *This,
        REFIID riid, void **ppvObject);
    ULONG(STDMETHODCALLTYPE *AddRef)(IDeliveryOptimizationJob2 *This);
    ULONG(STDMETHODCALLTYPE *Release)(IDeliveryOptimizationJob2 *This);
    /* IDeliveryOptimizationJob2 */
    HRESULT(STDMETHODCALLTYPE *AddFile)(IDeliveryOptimizationJob2 *This,
        LPCWSTR fileId, LPCWSTR remoteUrl, DWORD rangeCount,
        BG_FILE_RANGE ranges[], REFIID riid, void **object);
    HRESULT(STDMETHODCALLTYPE *GetProperty)(IDeliveryOptimizationJob2 *This,
        DOJobPropertyId propId, VARIANT *propValue);
    HRESULT(STDMETHODCALLTYPE *SetProperty)(IDeliveryOptimizationJob2 *This,
        DOJobPropertyId propId, const VARIANT *propValue);
    END_INTERFACE
} IDeliveryOptimizationJob2Vtbl;
struct IDeliveryOptimizationJob2 {
    CONST_VTBL IDeliveryOptimizationJob2Vtbl *lpVtbl;
};
DOCOM_STATIC_ASSERT(sizeof(IDeliveryOptimizationJob2Vtbl) == 6 * sizeof(void *),
                    "IDeliveryOptimizationJob2 has 6 slots");
#ifdef COBJMACROS
#define IDeliveryOptimizationJob2_QueryInterface(This, riid, ppvObject)        \
    (This)->lpVtbl->QueryInterface(This, riid, ppvObject)
#define IDeliveryOptimizationJob2_AddRef(This) (This)->lpVtbl->AddRef(This)
#define IDeliveryOptimizationJob2_Release(This) (This)->lpVtbl->Release(This)
#define IDeliveryOptimizationJob2_AddFile(This, fileId, remoteUrl, rangeCount, \
    ranges, riid, object)                                                      \
    (This)->lpVtbl->AddFile(This, fileId, remoteUrl, rangeCount, ranges, riid, \
        object)
#define IDeliveryOptimizationJob2_GetProperty(This, propId, propValue)         \
    (This)->lpVtbl->GetProperty(This, propId, propValue)
#define IDeliveryOptimizationJob2_SetProperty(This, propId, propValue)         \
    (This)->lpVtbl->SetProperty(This, propId, propValue)
#endif
#endif
/* clang-format on */
/* END GENERATED IDeliveryOptimizationJob2 */

/* BEGIN GENERATED IDeliveryOptimizationFile */
/* clang-format off */
#ifndef __IDeliveryOptimizationFile_INTERFACE_DEFINED__
#define __IDeliveryOptimizationFile_INTERFACE_DEFINED__
EXTERN_C const IID IID_IDeliveryOptimizationFile;
typedef struct IDeliveryOptimizationFileVtbl {
    BEGIN_INTERFACE
    /* IUnknown */
    HRESULT(STDMETHODCALLTYPE *QueryInterface)(IDeliveryOptimizationFile *This,
        REFIID riid, void **ppvObject);
    ULONG(STDMETHODCALLTYPE *AddRef)(IDeliveryOptimizationFile *This);
    ULONG(STDMETHODCALLTYPE *Release)(IDeliveryOptimizationFile *This);
    /* IDeliveryOptimizationFile */
    HRESULT(STDMETHODCALLTYPE *GetStats)(IDeliveryOptimizationFile *This,
        DOSwarmStats *swarmStats);
    END_INTERFACE
} IDeliveryOptimizationFileVtbl;
struct IDeliveryOptimizationFile {
    CONST_VTBL IDeliveryOptimizationFileVtbl *lpVtbl;
};
DOCOM_STATIC_ASSERT(sizeof(IDeliveryOptimizationFileVtbl) == 4 * sizeof(void *),
                    "IDeliveryOptimizationFile has 4 slots");
#ifdef COBJMACROS
#define IDeliveryOptimizationFile_QueryInterface(This, riid, ppvObject)        \
    (This)->lpVtbl->QueryInterface(This, riid, ppvObject)
#define IDeliveryOptimizationFile_AddRef(This) (This)->lpVtbl->AddRef(This)
#define IDeliveryOptimizationFile_Release(This) (This)->lpVtbl->Release(This)
#define IDeliveryOptimizationFile_GetStats(This, swarmStats)                   \
    (This)->lpVtbl->GetStats(This, swarmStats)
#endif
#endif
/* clang-format on */
/* END GENERATED IDeliveryOptimizationFile */

/* BEGIN GENERATED IDeliveryOptimizationFile2 */
/* clang-format off */
#ifndef __IDeliveryOptimizationFile2_INTERFACE_DEFINED__
#define __IDeliveryOptimizationFile2_INTERFACE_DEFINED__
EXTERN_C const IID IID_IDeliveryOptimizationFile2;
typedef struct IDeliveryOptimizationFile2Vtbl {
    BEGIN_INTERFACE
    /* IUnknown */
    HRESULT(STDMETHODCALLTYPE *QueryInterface)(IDeliveryOptimizationFile2 *This,
        REFIID riid, void **ppvObject);
    ULONG(STDMETHODCALLTYPE *AddRef)(IDeliveryOptimizationFile2 *This);
    ULONG(STDMETHODCALLTYPE *Release)(IDeliveryOptimizationFile2 *This);
    /* IDeliveryOptimizationFile2 */
    HRESULT(STDMETHODCALLTYPE *GetProperty)(IDeliveryOptimizationFile2 *This,
        DOFilePropertyId propId, VARIANT *propValue);
    HRESULT(STDMETHODCALLTYPE *SetProperty)(IDeliveryOptimizationFile2 *This,
        DOFilePropertyId propId, const VARIANT *propValue);
    END_INTERFACE
} IDeliveryOptimizationFile2Vtbl;
struct IDeliveryOptimizationFile2 {
    CONST_VTBL IDeliveryOptimizationFile2Vtbl *lpVtbl;
};
DOCOM_STATIC_ASSERT(
    sizeof(IDeliveryOptimizationFile2Vtbl) == 5 * sizeof(void *),
    "IDeliveryOptimizationFile2 has 5 slots");
#ifdef COBJMACROS
#define IDeliveryOptimizationFile2_QueryInterface(This, riid, ppvObject)       \
    (This)->lpVtbl->QueryInterface(This, riid, ppvObject)
#define IDeliveryOptimizationFile2_AddRef(This) (This)->lpVtbl->AddRef(This)
#define IDeliveryOptimizationFile2_Release(This) (This)->lpVtbl->Release(This)
#define IDeliveryOptimizationFile2_GetProperty(This, propId, propValue)        \
    (This)->lpVtbl->GetProperty(This, propId, propValue)
#define IDeliveryOptimizationFile2_SetProperty(This, propId, propValue)        \
    (This)->lpVtbl->SetProperty(This, propId, propValue)
#endif
#endif
/* clang-format on */
/* END GENERATED IDeliveryOptimizationFile2 */

/* ---- coclass ------------------------------------------------------ */

EXTERN_C const CLSID CLSID_DeliveryOptimization;

#include "DODownloadInternal.h"

#endif /* DOCOM_DELIVERYOPTIMIZATION_H */
