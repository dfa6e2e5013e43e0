/*
 * bits2_5.h - BITS 2.5: IBackgroundCopyJobHttpOptions (client
 * certificates, custom headers, TLS and redirect flags), with the Windows
 * SDK's names (spec/interfaces.md 7.4, spec/types.md 2.7 and 4.4).
 */
#ifndef DOCOM_BITS2_5_H
#define DOCOM_BITS2_5_H

#include "bits2_0.h"

#ifndef __IBackgroundCopyJobHttpOptions_FWD_DEFINED__
#define __IBackgroundCopyJobHttpOptions_FWD_DEFINED__
typedef struct IBackgroundCopyJobHttpOptions IBackgroundCopyJobHttpOptions;
#endif

typedef enum {
    BG_CERT_STORE_LOCATION_CURRENT_USER = 0,
    BG_CERT_STORE_LOCATION_LOCAL_MACHINE = 1,
    BG_CERT_STORE_LOCATION_CURRENT_SERVICE = 2,
    BG_CERT_STORE_LOCATION_SERVICES = 3,
    BG_CERT_STORE_LOCATION_USERS = 4,
    BG_CERT_STORE_LOCATION_CURRENT_USER_GROUP_POLICY = 5,
    BG_CERT_STORE_LOCATION_LOCAL_MACHINE_GROUP_POLICY = 6,
    BG_CERT_STORE_LOCATION_LOCAL_MACHINE_ENTERPRISE = 7
} BG_CERT_STORE_LOCATION;

#define BG_SSL_ENABLE_CRL_CHECK 0x0001
#define BG_SSL_IGNORE_CERT_CN_INVALID 0x0002
#define BG_SSL_IGNORE_CERT_DATE_INVALID 0x0004
#define BG_SSL_IGNORE_UNKNOWN_CA 0x0008
#define BG_SSL_IGNORE_CERT_WRONG_USAGE 0x0010
#define BG_HTTP_REDIRECT_POLICY_MASK 0x0700
#define BG_HTTP_REDIRECT_POLICY_ALLOW_SILENT 0x0000
#define BG_HTTP_REDIRECT_POLICY_ALLOW_REPORT 0x0100
#define BG_HTTP_REDIRECT_POLICY_DISALLOW 0x0200
#define BG_HTTP_REDIRECT_POLICY_ALLOW_HTTPS_TO_HTTP 0x0800

/* BEGIN GENERATED IBackgroundCopyJobHttpOptions */
/* clang-format off */
#ifndef __IBackgroundCopyJobHttpOptions_INTERFACE_DEFINED__
#define __IBackgroundCopyJobHttpOptions_INTERFACE_DEFINED__
EXTERN_C const IID IID_IBackgroundCopyJobHttpOptions;
typedef struct IBackgroundCopyJobHttpOptionsVtbl {
    BEGIN_INTERFACE
    /* IUnknown */
    HRESULT(STDMETHODCALLTYPE *QueryInterface)(
        IBackgroundCopyJobHttpOptions *This, REFIID riid, void **ppvObject);
    ULONG(STDMETHODCALLTYPE *AddRef)(IBackgroundCopyJobHttpOptions *This);
    ULONG(STDMETHODCALLTYPE *Release)(IBackgroundCopyJobHttpOptions *This);
    /* IBackgroundCopyJobHttpOptions */
    HRESULT(STDMETHODCALLTYPE *SetClientCertificateByID)(
        IBackgroundCopyJobHttpOptions *This,
        BG_CERT_STORE_LOCATION StoreLocation, LPCWSTR StoreName,
        BYTE *pCertHashBlob);
    HRESULT(STDMETHODCALLTYPE *SetClientCertificateByName)(
        IBackgroundCopyJobHttpOptions *This,
        BG_CERT_STORE_LOCATION StoreLocation, LPCWSTR StoreName,
        LPCWSTR SubjectName);
    HRESULT(STDMETHODCALLTYPE *RemoveClientCertificate)(
        IBackgroundCopyJobHttpOptions *This);
    HRESULT(STDMETHODCALLTYPE *GetClientCertificate)(
        IBackgroundCopyJobHttpOptions *This,
        BG_CERT_STORE_LOCATION *pStoreLocation, LPWSTR *pStoreName,
        BYTE **ppCertHashBlob, LPWSTR *pSubjectName);
    HRESULT(STDMETHODCALLTYPE *SetCustomHeaders)(
        IBackgroundCopyJobHttpOptions *This, LPCWSTR RequestHeaders);
    HRESULT(STDMETHODCALLTYPE *GetCustomHeaders)(
        IBackgroundCopyJobHttpOptions *This, LPWSTR *pRequestHeaders);
    HRESULT(STDMETHODCALLTYPE *SetSecurityFlags)(
        IBackgroundCopyJobHttpOptions *This, ULONG Flags);
    HRESULT(STDMETHODCALLTYPE *GetSecurityFlags)(
        IBackgroundCopyJobHttpOptions *This, ULONG *pFlags);
    END_INTERFACE
} IBackgroundCopyJobHttpOptionsVtbl;
struct IBackgroundCopyJobHttpOptions {
    CONST_VTBL IBackgroundCopyJobHttpOptionsVtbl *lpVtbl;
};
DOCOM_STATIC_ASSERT(
    sizeof(IBackgroundCopyJobHttpOptionsVtbl) == 11 * sizeof(void *),
    "IBackgroundCopyJobHttpOptions has 11 slots");
#ifdef COBJMACROS
#define IBackgroundCopyJobHttpOptions_QueryInterface(This, riid, ppvObject)    \
    (This)->lpVtbl->QueryInterface(This, riid, ppvObject)
#define IBackgroundCopyJobHttpOptions_AddRef(This) (This)->lpVtbl->AddRef(This)
#define IBackgroundCopyJobHttpOptions_Release(This)                            \
    (This)->lpVtbl->Release(This)
#define IBackgroundCopyJobHttpOptions_SetClientCertificateByID(This,           \
    StoreLocation, StoreName, pCertHashBlob)                                   \
    (This)->lpVtbl->SetClientCertificateByID(This, StoreLocation, StoreName,   \
        pCertHashBlob)
#define IBackgroundCopyJobHttpOptions_SetClientCertificateByName(This,         \
    StoreLocation, StoreName, SubjectName)                                     \
    (This)->lpVtbl->SetClientCertificateByName(This, StoreLocation, StoreName, \
        SubjectName)
#define IBackgroundCopyJobHttpOptions_RemoveClientCertificate(This)            \
    (This)->lpVtbl->RemoveClientCertificate(This)
#define IBackgroundCopyJobHttpOptions_GetClientCertificate(This,               \
    pStoreLocation, pStoreName, ppCertHashBlob, pSubjectName)                  \
    (This)->lpVtbl->GetClientCertificate(This, pStoreLocation, pStoreName,     \
        ppCertHashBlob, pSubjectName)
#define IBackgroundCopyJobHttpOptions_SetCustomHeaders(This, RequestHeaders)   \
    (This)->lpVtbl->SetCustomHeaders(This, RequestHeaders)
#define IBackgroundCopyJobHttpOptions_GetCustomHeaders(This, pRequestHeaders)  \
    (This)->lpVtbl->GetCustomHeaders(This, pRequestHeaders)
#define IBackgroundCopyJobHttpOptions_SetSecurityFlags(This, Flags)            \
    (This)->lpVtbl->SetSecurityFlags(This, Flags)
#define IBackgroundCopyJobHttpOptions_GetSecurityFlags(This, pFlags)           \
    (This)->lpVtbl->GetSecurityFlags(This, pFlags)
#endif
#endif
/* clang-format on */
/* END GENERATED IBackgroundCopyJobHttpOptions */

EXTERN_C const CLSID CLSID_BackgroundCopyManager2_5;
EXTERN_C const IID LIBID_BackgroundCopyManager2_5;

#endif /* DOCOM_BITS2_5_H */
