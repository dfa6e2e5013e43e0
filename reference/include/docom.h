/*
 * docom.h - the COM base types of docts, with the Windows SDK's names.
 *
 * This header owns what the Windows SDK spreads over windef.h, winerror.h,
 * guiddef.h, wtypes.h, unknwn.h, objidl.h, oaidl.h and oleauto.h, cut down to
 * what the BITS / Delivery Optimization interfaces need: the fixed-width
 * Windows types (LLP64 widths on every platform), GUIDs, HRESULTs and their
 * macros, the generic COM codes, FILETIME, BSTR, VARIANT and SAFEARRAY,
 * IUnknown, IClassFactory, IEnumUnknown, ISequentialStream and IStream, and
 * the functions of libdocom.so (our ole32/oleaut32).  The BITS and DO
 * interfaces live in bits*.h and deliveryoptimization.h, which include this.
 *
 * Strings are UTF-16: WCHAR is char16_t, so literals are written u"...".
 * Names starting with docom_ / DOCOM_ are ours, not the SDK's.
 */
#ifndef DOCOM_H
#define DOCOM_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#ifndef __cplusplus
#include <uchar.h>
#endif

/* ------------------------------------------------------------------ */
/* Compiler glue                                                      */
/* ------------------------------------------------------------------ */

#ifdef __cplusplus
#define EXTERN_C extern "C"
#define DOCOM_BEGIN_DECLS extern "C" {
#define DOCOM_END_DECLS }
#define DOCOM_STATIC_ASSERT(e, msg) static_assert(e, msg)
#define DOCOM_ALIGNOF(t) alignof(t)
#else
#define EXTERN_C extern
#define DOCOM_BEGIN_DECLS
#define DOCOM_END_DECLS
#define DOCOM_STATIC_ASSERT(e, msg) _Static_assert(e, msg)
#define DOCOM_ALIGNOF(t) _Alignof(t)
#endif

/* One calling convention on x86-64 and ARM64; Linux i386 uses the
 * platform default (the simulator only talks to itself there). */
#ifndef STDMETHODCALLTYPE
#define STDMETHODCALLTYPE
#endif
#ifndef STDAPICALLTYPE
#define STDAPICALLTYPE
#endif
#ifndef WINAPI
#define WINAPI
#endif
#ifndef CALLBACK
#define CALLBACK
#endif
#ifndef __RPC_FAR
#define __RPC_FAR
#endif
#define STDAPI EXTERN_C HRESULT STDAPICALLTYPE
#define STDAPI_(type) EXTERN_C type STDAPICALLTYPE
#define STDMETHODIMP HRESULT STDMETHODCALLTYPE
#define STDMETHODIMP_(type) type STDMETHODCALLTYPE
#define BEGIN_INTERFACE
#define END_INTERFACE
#define CONST_VTBL const
#define DECLSPEC_UUID(x)
#define DECLSPEC_NOVTABLE
#define DECLSPEC_IMPORT
#define DECLSPEC_EXPORT __attribute__((visibility("default")))
#ifndef CONST
#define CONST const
#endif
#ifndef VOID
#define VOID void
#endif

/* libdocom's own exports. */
#define DOCOM_API DECLSPEC_EXPORT

/* ------------------------------------------------------------------ */
/* Base types (Windows LLP64 widths)                                  */
/* ------------------------------------------------------------------ */

/* On Linux i386, gcc aligns 8-byte integers to 4 inside structs; MSVC
 * aligns them to 8.  Pin the Windows layout (spec/types.md, x86). */
#if defined(__i386__) && !defined(_WIN32)
#define DOCOM_ALIGN8 __attribute__((aligned(8)))
#else
#define DOCOM_ALIGN8
#endif

typedef int32_t HRESULT;
typedef int32_t SCODE;
typedef int32_t LONG;
typedef uint32_t ULONG;
typedef uint32_t DWORD;
typedef uint32_t UINT;
typedef int32_t INT;
typedef int32_t BOOL;
typedef uint16_t WORD;
typedef uint16_t USHORT;
typedef int16_t SHORT;
typedef uint8_t BYTE;
typedef uint8_t UCHAR;
typedef char CHAR;
typedef float FLOAT;
typedef double DOUBLE;
typedef int64_t DOCOM_ALIGN8 LONGLONG;
typedef uint64_t DOCOM_ALIGN8 ULONGLONG;
typedef int64_t DOCOM_ALIGN8 INT64;
typedef uint64_t DOCOM_ALIGN8 UINT64;
typedef uint64_t DOCOM_ALIGN8 ULONG64;
typedef int64_t DOCOM_ALIGN8 LONG64;
typedef uint64_t DOCOM_ALIGN8 DWORD64;
typedef size_t SIZE_T;
typedef intptr_t INT_PTR;
typedef uintptr_t UINT_PTR;
typedef intptr_t LONG_PTR;
typedef uintptr_t ULONG_PTR;
typedef void *PVOID;
typedef void *LPVOID;
typedef const void *LPCVOID;
typedef WORD LANGID;
typedef DWORD LCID;

#ifdef __cplusplus
typedef char16_t WCHAR;
#else
typedef char16_t WCHAR;
#endif
typedef WCHAR OLECHAR;
typedef WCHAR *LPWSTR;
typedef WCHAR *PWSTR;
typedef const WCHAR *LPCWSTR;
typedef const WCHAR *PCWSTR;
typedef OLECHAR *LPOLESTR;
typedef const OLECHAR *LPCOLESTR;
typedef char *LPSTR;
typedef const char *LPCSTR;
typedef OLECHAR *BSTR;
typedef short VARIANT_BOOL;
typedef unsigned short VARTYPE;
typedef double DATE;

typedef BOOL *LPBOOL;
typedef DWORD *LPDWORD;
typedef BYTE *LPBYTE;

#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif
#define VARIANT_TRUE ((VARIANT_BOOL)-1)
#define VARIANT_FALSE ((VARIANT_BOOL)0)
#ifndef MAX_PATH
#define MAX_PATH 260
#endif

/* Language ids (GetErrorDescription's LanguageId). */
#define MAKELANGID(p, s) ((((WORD)(s)) << 10) | (WORD)(p))
#define PRIMARYLANGID(lgid) ((WORD)(lgid)&0x3ff)
#define SUBLANGID(lgid) ((WORD)(lgid) >> 10)
#define LANGIDFROMLCID(lcid) ((WORD)(lcid))
#define LANG_NEUTRAL 0x00
#define LANG_ENGLISH 0x09
#define SUBLANG_NEUTRAL 0x00
#define SUBLANG_DEFAULT 0x01
#define SUBLANG_SYS_DEFAULT 0x02
#define SUBLANG_ENGLISH_US 0x01

/* 100-ns ticks since 1601-01-01 UTC. */
typedef struct _FILETIME {
    DWORD dwLowDateTime;
    DWORD dwHighDateTime;
} FILETIME, *PFILETIME, *LPFILETIME;

typedef union _LARGE_INTEGER {
    struct {
        DWORD LowPart;
        LONG HighPart;
    };
    struct {
        DWORD LowPart;
        LONG HighPart;
    } u;
    LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

typedef union _ULARGE_INTEGER {
    struct {
        DWORD LowPart;
        DWORD HighPart;
    };
    struct {
        DWORD LowPart;
        DWORD HighPart;
    } u;
    ULONGLONG QuadPart;
} ULARGE_INTEGER, *PULARGE_INTEGER;

/* ------------------------------------------------------------------ */
/* GUIDs                                                              */
/* ------------------------------------------------------------------ */

#ifndef GUID_DEFINED
#define GUID_DEFINED
typedef struct _GUID {
    uint32_t Data1;
    uint16_t Data2;
    uint16_t Data3;
    uint8_t Data4[8];
} GUID;
#endif
typedef GUID IID;
typedef GUID CLSID;
typedef GUID *LPGUID;
typedef IID *LPIID;
typedef CLSID *LPCLSID;
typedef const GUID *REFGUID;
typedef const IID *REFIID;
typedef const CLSID *REFCLSID;

/* The SDK idiom: DEFINE_GUID declares, or with INITGUID defines (weak, as
 * the SDK's DECLSPEC_SELECTANY, so several files may define the same). */
#ifdef INITGUID
#ifdef __cplusplus
#define DOCOM_GUID_STORAGE extern "C" __attribute__((weak))
#else
#define DOCOM_GUID_STORAGE __attribute__((weak))
#endif
#define DEFINE_GUID(name, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8)           \
    DOCOM_GUID_STORAGE const GUID name = {                                     \
        l, w1, w2, {b1, b2, b3, b4, b5, b6, b7, b8}}
#else
#define DEFINE_GUID(name, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8)           \
    EXTERN_C const GUID name
#endif

/* As in guiddef.h (C): comparisons by memcmp.  libdocom also exports
 * functions of the same names; call them as (IsEqualGUID)(a, b). */
#define InlineIsEqualGUID(rguid1, rguid2)                                      \
    (!memcmp((rguid1), (rguid2), sizeof(GUID)))
#define IsEqualGUID(rguid1, rguid2) (!memcmp((rguid1), (rguid2), sizeof(GUID)))
#define IsEqualIID(riid1, riid2) IsEqualGUID(riid1, riid2)
#define IsEqualCLSID(rclsid1, rclsid2) IsEqualGUID(rclsid1, rclsid2)

/* ------------------------------------------------------------------ */
/* HRESULTs                                                           */
/* ------------------------------------------------------------------ */

#define SEVERITY_SUCCESS 0
#define SEVERITY_ERROR 1
#define FACILITY_NULL 0
#define FACILITY_RPC 1
#define FACILITY_DISPATCH 2
#define FACILITY_STORAGE 3
#define FACILITY_ITF 4
#define FACILITY_WIN32 7
#define FACILITY_WINDOWS 8
#define FACILITY_SECURITY 9
#define FACILITY_HTTP 25
#define FACILITY_BACKGROUNDCOPY 32
#define FACILITY_DELIVERY_OPTIMIZATION 208

#define SUCCEEDED(hr) (((HRESULT)(hr)) >= 0)
#define FAILED(hr) (((HRESULT)(hr)) < 0)
#define IS_ERROR(status) (((uint32_t)(status)) >> 31 == SEVERITY_ERROR)
#define HRESULT_CODE(hr) ((hr)&0xFFFF)
#define SCODE_CODE(sc) ((sc)&0xFFFF)
#define HRESULT_FACILITY(hr) (((hr) >> 16) & 0x1fff)
#define SCODE_FACILITY(sc) (((sc) >> 16) & 0x1fff)
#define HRESULT_SEVERITY(hr) ((((uint32_t)(hr)) >> 31) & 0x1)
#define MAKE_HRESULT(sev, fac, code)                                           \
    ((HRESULT)(((uint32_t)(sev) << 31) | ((uint32_t)(fac) << 16) |             \
               ((uint32_t)(code))))
#define MAKE_SCODE(sev, fac, code) ((SCODE)MAKE_HRESULT(sev, fac, code))
#define HRESULT_FROM_WIN32(x)                                                  \
    ((HRESULT)(x) <= 0 ? ((HRESULT)(x))                                        \
                       : ((HRESULT)(((uint32_t)(x)&0x0000FFFF) |               \
                                    (FACILITY_WIN32 << 16) | 0x80000000u)))

/* Win32 error codes the interfaces report through HRESULT_FROM_WIN32. */
#define ERROR_SUCCESS 0L
#define NO_ERROR 0L
#define ERROR_FILE_NOT_FOUND 2L
#define ERROR_PATH_NOT_FOUND 3L
#define ERROR_ACCESS_DENIED 5L
#define ERROR_INVALID_HANDLE 6L
#define ERROR_NOT_ENOUGH_MEMORY 8L
#define ERROR_OUTOFMEMORY 14L
#define ERROR_WRITE_PROTECT 19L
#define ERROR_SHARING_VIOLATION 32L
#define ERROR_HANDLE_DISK_FULL 39L
#define ERROR_NOT_SUPPORTED 50L
#define ERROR_FILE_EXISTS 80L
#define ERROR_INVALID_PARAMETER 87L
#define ERROR_DISK_FULL 112L
#define ERROR_INSUFFICIENT_BUFFER 122L
#define ERROR_INVALID_NAME 123L
#define ERROR_DIR_NOT_EMPTY 145L
#define ERROR_ALREADY_EXISTS 183L
#define ERROR_FILENAME_EXCED_RANGE 206L
#define ERROR_SERVICE_DISABLED 1058L
#define ERROR_SERVICE_NOT_ACTIVE 1062L
#define ERROR_NOT_FOUND 1168L
#define ERROR_RESOURCE_LANG_NOT_FOUND 1815L
#define ERROR_TIMEOUT 1460L

/* Generic COM codes (spec/errors.md section 1).  Every HRESULT constant in
 * the public headers is written as ((HRESULT)0x........L) on one line:
 * reference/com/gen_hresult_names.sh reads them to build the name table of
 * docom_hresult_name(). */
#define NOERROR 0
#define S_OK ((HRESULT)0x00000000L)
#define S_FALSE ((HRESULT)0x00000001L)
#define E_NOTIMPL ((HRESULT)0x80004001L)
#define E_NOINTERFACE ((HRESULT)0x80004002L)
#define E_POINTER ((HRESULT)0x80004003L)
#define E_ABORT ((HRESULT)0x80004004L)
#define E_FAIL ((HRESULT)0x80004005L)
#define E_UNEXPECTED ((HRESULT)0x8000FFFFL)
#define E_PENDING ((HRESULT)0x8000000AL)
#define E_ACCESSDENIED ((HRESULT)0x80070005L)
#define E_HANDLE ((HRESULT)0x80070006L)
#define E_OUTOFMEMORY ((HRESULT)0x8007000EL)
#define E_INVALIDARG ((HRESULT)0x80070057L)
#define E_NOT_SET ((HRESULT)0x80070490L)
#define E_NOT_SUFFICIENT_BUFFER ((HRESULT)0x8007007AL)
#define CLASS_E_NOAGGREGATION ((HRESULT)0x80040110L)
#define CLASS_E_CLASSNOTAVAILABLE ((HRESULT)0x80040111L)
#define REGDB_E_CLASSNOTREG ((HRESULT)0x80040154L)
#define CO_E_NOTINITIALIZED ((HRESULT)0x800401F0L)
#define CO_E_CLASSSTRING ((HRESULT)0x800401F3L)
#define CO_E_IIDSTRING ((HRESULT)0x800401F4L)
/* docts alias of CO_E_CLASSSTRING (the SDK name), same value. */
#define CO_E_CLSSTRING ((HRESULT)0x800401F3L)
#define CO_E_DLLNOTFOUND ((HRESULT)0x800401F8L)
#define CO_E_ERRORINDLL ((HRESULT)0x800401F9L)
#define CO_E_OBJNOTREG ((HRESULT)0x800401FBL)
#define RPC_E_SERVER_DIED ((HRESULT)0x80010007L)
#define RPC_E_SERVER_DIED_DNE ((HRESULT)0x80010012L)
#define RPC_E_DISCONNECTED ((HRESULT)0x80010108L)
#define RPC_E_CHANGED_MODE ((HRESULT)0x80010106L)
#define DISP_E_TYPEMISMATCH ((HRESULT)0x80020005L)
#define DISP_E_BADVARTYPE ((HRESULT)0x80020008L)
#define DISP_E_OVERFLOW ((HRESULT)0x8002000AL)
#define DISP_E_BADINDEX ((HRESULT)0x8002000BL)
#define DISP_E_ARRAYISLOCKED ((HRESULT)0x8002000DL)
#define STG_E_INVALIDFUNCTION ((HRESULT)0x80030001L)
#define STG_E_ACCESSDENIED ((HRESULT)0x80030005L)
#define STG_E_INSUFFICIENTMEMORY ((HRESULT)0x80030008L)
#define STG_E_INVALIDPOINTER ((HRESULT)0x80030009L)
#define STG_E_WRITEFAULT ((HRESULT)0x8003001DL)
#define STG_E_READFAULT ((HRESULT)0x8003001EL)
#define STG_E_INVALIDPARAMETER ((HRESULT)0x80030057L)
#define STG_E_MEDIUMFULL ((HRESULT)0x80030070L)
#define STG_E_REVERTED ((HRESULT)0x80030102L)
#define STG_E_CANTSAVE ((HRESULT)0x80030103L)
#define INET_E_INVALID_URL ((HRESULT)0x800C0002L)
#define CRYPT_E_FILE_ERROR ((HRESULT)0x80092003L)

/* winerror.h's FACILITY_HTTP names (same values as BG_E_HTTP_ERROR_*). */
#define HTTP_E_STATUS_UNEXPECTED ((HRESULT)0x80190001L)
#define HTTP_E_STATUS_UNEXPECTED_SERVER_ERROR ((HRESULT)0x80190005L)
#define HTTP_E_STATUS_AMBIGUOUS ((HRESULT)0x8019012CL)
#define HTTP_E_STATUS_MOVED ((HRESULT)0x8019012DL)
#define HTTP_E_STATUS_REDIRECT ((HRESULT)0x8019012EL)
#define HTTP_E_STATUS_REDIRECT_METHOD ((HRESULT)0x8019012FL)
#define HTTP_E_STATUS_NOT_MODIFIED ((HRESULT)0x80190130L)
#define HTTP_E_STATUS_USE_PROXY ((HRESULT)0x80190131L)
#define HTTP_E_STATUS_REDIRECT_KEEP_VERB ((HRESULT)0x80190133L)
#define HTTP_E_STATUS_BAD_REQUEST ((HRESULT)0x80190190L)
#define HTTP_E_STATUS_DENIED ((HRESULT)0x80190191L)
#define HTTP_E_STATUS_PAYMENT_REQ ((HRESULT)0x80190192L)
#define HTTP_E_STATUS_FORBIDDEN ((HRESULT)0x80190193L)
#define HTTP_E_STATUS_NOT_FOUND ((HRESULT)0x80190194L)
#define HTTP_E_STATUS_BAD_METHOD ((HRESULT)0x80190195L)
#define HTTP_E_STATUS_NONE_ACCEPTABLE ((HRESULT)0x80190196L)
#define HTTP_E_STATUS_PROXY_AUTH_REQ ((HRESULT)0x80190197L)
#define HTTP_E_STATUS_REQUEST_TIMEOUT ((HRESULT)0x80190198L)
#define HTTP_E_STATUS_CONFLICT ((HRESULT)0x80190199L)
#define HTTP_E_STATUS_GONE ((HRESULT)0x8019019AL)
#define HTTP_E_STATUS_LENGTH_REQUIRED ((HRESULT)0x8019019BL)
#define HTTP_E_STATUS_PRECOND_FAILED ((HRESULT)0x8019019CL)
#define HTTP_E_STATUS_REQUEST_TOO_LARGE ((HRESULT)0x8019019DL)
#define HTTP_E_STATUS_URI_TOO_LONG ((HRESULT)0x8019019EL)
#define HTTP_E_STATUS_UNSUPPORTED_MEDIA ((HRESULT)0x8019019FL)
#define HTTP_E_STATUS_RANGE_NOT_SATISFIABLE ((HRESULT)0x801901A0L)
#define HTTP_E_STATUS_EXPECTATION_FAILED ((HRESULT)0x801901A1L)
#define HTTP_E_STATUS_SERVER_ERROR ((HRESULT)0x801901F4L)
#define HTTP_E_STATUS_NOT_SUPPORTED ((HRESULT)0x801901F5L)
#define HTTP_E_STATUS_BAD_GATEWAY ((HRESULT)0x801901F6L)
#define HTTP_E_STATUS_SERVICE_UNAVAIL ((HRESULT)0x801901F7L)
#define HTTP_E_STATUS_GATEWAY_TIMEOUT ((HRESULT)0x801901F8L)
#define HTTP_E_STATUS_VERSION_NOT_SUP ((HRESULT)0x801901F9L)

/* ------------------------------------------------------------------ */
/* VARIANT and SAFEARRAY (oaidl.h layout)                             */
/* ------------------------------------------------------------------ */

enum VARENUM {
    VT_EMPTY = 0,
    VT_NULL = 1,
    VT_I2 = 2,
    VT_I4 = 3,
    VT_R4 = 4,
    VT_R8 = 5,
    VT_CY = 6,
    VT_DATE = 7,
    VT_BSTR = 8,
    VT_DISPATCH = 9,
    VT_ERROR = 10,
    VT_BOOL = 11,
    VT_VARIANT = 12,
    VT_UNKNOWN = 13,
    VT_DECIMAL = 14,
    VT_I1 = 16,
    VT_UI1 = 17,
    VT_UI2 = 18,
    VT_UI4 = 19,
    VT_I8 = 20,
    VT_UI8 = 21,
    VT_INT = 22,
    VT_UINT = 23,
    VT_VOID = 24,
    VT_HRESULT = 25,
    VT_PTR = 26,
    VT_SAFEARRAY = 27,
    VT_CARRAY = 28,
    VT_USERDEFINED = 29,
    VT_LPSTR = 30,
    VT_LPWSTR = 31,
    VT_RECORD = 36,
    VT_INT_PTR = 37,
    VT_UINT_PTR = 38,
    VT_FILETIME = 64,
    VT_BLOB = 65,
    VT_STREAM = 66,
    VT_STORAGE = 67,
    VT_STREAMED_OBJECT = 68,
    VT_STORED_OBJECT = 69,
    VT_BLOB_OBJECT = 70,
    VT_CF = 71,
    VT_CLSID = 72,
    VT_VERSIONED_STREAM = 73,
    VT_BSTR_BLOB = 0xfff,
    VT_VECTOR = 0x1000,
    VT_ARRAY = 0x2000,
    VT_BYREF = 0x4000,
    VT_RESERVED = 0x8000,
    VT_ILLEGAL = 0xffff,
    VT_ILLEGALMASKED = 0xfff,
    VT_TYPEMASK = 0xfff
};

typedef struct IUnknown IUnknown;
typedef struct IDispatch IDispatch;     /* opaque: only its IUnknown slots */
typedef struct IRecordInfo IRecordInfo; /* opaque */

typedef union tagCY {
    struct {
        ULONG Lo;
        LONG Hi;
    };
    LONGLONG int64;
} CY;

typedef struct tagDEC {
    USHORT wReserved;
    BYTE scale;
    BYTE sign;
    ULONG Hi32;
    ULONGLONG Lo64;
} DECIMAL;

typedef struct tagSAFEARRAYBOUND {
    ULONG cElements;
    LONG lLbound;
} SAFEARRAYBOUND, *LPSAFEARRAYBOUND;

typedef struct tagSAFEARRAY {
    USHORT cDims;
    USHORT fFeatures;
    ULONG cbElements;
    ULONG cLocks;
    PVOID pvData;
    SAFEARRAYBOUND rgsabound[1];
} SAFEARRAY, *LPSAFEARRAY;

#define FADF_AUTO 0x0001
#define FADF_STATIC 0x0002
#define FADF_EMBEDDED 0x0004
#define FADF_FIXEDSIZE 0x0010
#define FADF_HAVEVARTYPE 0x0080

typedef struct tagVARIANT VARIANT;
typedef VARIANT *LPVARIANT;
typedef VARIANT VARIANTARG;

struct tagVARIANT {
    union {
        struct {
            VARTYPE vt;
            WORD wReserved1;
            WORD wReserved2;
            WORD wReserved3;
            union {
                LONGLONG llVal;
                LONG lVal;
                BYTE bVal;
                SHORT iVal;
                FLOAT fltVal;
                DOUBLE dblVal;
                VARIANT_BOOL boolVal;
                SCODE scode;
                CY cyVal;
                DATE date;
                BSTR bstrVal;
                IUnknown *punkVal;
                IDispatch *pdispVal;
                SAFEARRAY *parray;
                BYTE *pbVal;
                SHORT *piVal;
                LONG *plVal;
                LONGLONG *pllVal;
                FLOAT *pfltVal;
                DOUBLE *pdblVal;
                VARIANT_BOOL *pboolVal;
                SCODE *pscode;
                CY *pcyVal;
                DATE *pdate;
                BSTR *pbstrVal;
                IUnknown **ppunkVal;
                IDispatch **ppdispVal;
                SAFEARRAY **pparray;
                VARIANT *pvarVal;
                PVOID byref;
                CHAR cVal;
                USHORT uiVal;
                ULONG ulVal;
                ULONGLONG ullVal;
                INT intVal;
                UINT uintVal;
                DECIMAL *pdecVal;
                CHAR *pcVal;
                USHORT *puiVal;
                ULONG *pulVal;
                ULONGLONG *pullVal;
                INT *pintVal;
                UINT *puintVal;
                struct {
                    PVOID pvRecord;
                    IRecordInfo *pRecInfo;
                } brecVal;
            };
        };
        DECIMAL decVal;
    };
};

/* The SDK's accessors (oleauto.h). */
#define V_VT(X) ((X)->vt)
#define V_ISBYREF(X) (V_VT(X) & VT_BYREF)
#define V_ISARRAY(X) (V_VT(X) & VT_ARRAY)
#define V_ISVECTOR(X) (V_VT(X) & VT_VECTOR)
#define V_NONE(X) V_I2(X)
#define V_UI1(X) ((X)->bVal)
#define V_I1(X) ((X)->cVal)
#define V_I2(X) ((X)->iVal)
#define V_UI2(X) ((X)->uiVal)
#define V_I4(X) ((X)->lVal)
#define V_UI4(X) ((X)->ulVal)
#define V_I8(X) ((X)->llVal)
#define V_UI8(X) ((X)->ullVal)
#define V_INT(X) ((X)->intVal)
#define V_UINT(X) ((X)->uintVal)
#define V_R4(X) ((X)->fltVal)
#define V_R8(X) ((X)->dblVal)
#define V_CY(X) ((X)->cyVal)
#define V_DATE(X) ((X)->date)
#define V_BSTR(X) ((X)->bstrVal)
#define V_BSTRREF(X) ((X)->pbstrVal)
#define V_BOOL(X) ((X)->boolVal)
#define V_BOOLREF(X) ((X)->pboolVal)
#define V_ERROR(X) ((X)->scode)
#define V_UNKNOWN(X) ((X)->punkVal)
#define V_UNKNOWNREF(X) ((X)->ppunkVal)
#define V_DISPATCH(X) ((X)->pdispVal)
#define V_ARRAY(X) ((X)->parray)
#define V_ARRAYREF(X) ((X)->pparray)
#define V_BYREF(X) ((X)->byref)
#define V_VARIANTREF(X) ((X)->pvarVal)
#define V_UI4REF(X) ((X)->pulVal)
#define V_DECIMAL(X) ((X)->decVal)

/* ------------------------------------------------------------------ */
/* IUnknown, IClassFactory, IEnumUnknown, ISequentialStream, IStream  */
/* ------------------------------------------------------------------ */

#ifndef __IUnknown_INTERFACE_DEFINED__
#define __IUnknown_INTERFACE_DEFINED__
typedef IUnknown *LPUNKNOWN;
EXTERN_C const IID IID_IUnknown;
typedef struct IUnknownVtbl {
    BEGIN_INTERFACE
    HRESULT(STDMETHODCALLTYPE *QueryInterface)
    (IUnknown *This, REFIID riid, void **ppvObject);
    ULONG(STDMETHODCALLTYPE *AddRef)(IUnknown *This);
    ULONG(STDMETHODCALLTYPE *Release)(IUnknown *This);
    END_INTERFACE
} IUnknownVtbl;
struct IUnknown {
    CONST_VTBL IUnknownVtbl *lpVtbl;
};
#ifdef COBJMACROS
#define IUnknown_QueryInterface(This, riid, ppvObject)                         \
    (This)->lpVtbl->QueryInterface(This, riid, ppvObject)
#define IUnknown_AddRef(This) (This)->lpVtbl->AddRef(This)
#define IUnknown_Release(This) (This)->lpVtbl->Release(This)
#endif
#endif

#ifndef __IClassFactory_INTERFACE_DEFINED__
#define __IClassFactory_INTERFACE_DEFINED__
typedef struct IClassFactory IClassFactory;
typedef IClassFactory *LPCLASSFACTORY;
EXTERN_C const IID IID_IClassFactory;
typedef struct IClassFactoryVtbl {
    BEGIN_INTERFACE
    HRESULT(STDMETHODCALLTYPE *QueryInterface)
    (IClassFactory *This, REFIID riid, void **ppvObject);
    ULONG(STDMETHODCALLTYPE *AddRef)(IClassFactory *This);
    ULONG(STDMETHODCALLTYPE *Release)(IClassFactory *This);
    HRESULT(STDMETHODCALLTYPE *CreateInstance)
    (IClassFactory *This, IUnknown *pUnkOuter, REFIID riid, void **ppvObject);
    HRESULT(STDMETHODCALLTYPE *LockServer)(IClassFactory *This, BOOL fLock);
    END_INTERFACE
} IClassFactoryVtbl;
struct IClassFactory {
    CONST_VTBL IClassFactoryVtbl *lpVtbl;
};
#ifdef COBJMACROS
#define IClassFactory_QueryInterface(This, riid, ppvObject)                    \
    (This)->lpVtbl->QueryInterface(This, riid, ppvObject)
#define IClassFactory_AddRef(This) (This)->lpVtbl->AddRef(This)
#define IClassFactory_Release(This) (This)->lpVtbl->Release(This)
#define IClassFactory_CreateInstance(This, pUnkOuter, riid, ppvObject)         \
    (This)->lpVtbl->CreateInstance(This, pUnkOuter, riid, ppvObject)
#define IClassFactory_LockServer(This, fLock)                                  \
    (This)->lpVtbl->LockServer(This, fLock)
#endif
#endif

#ifndef __IEnumUnknown_INTERFACE_DEFINED__
#define __IEnumUnknown_INTERFACE_DEFINED__
typedef struct IEnumUnknown IEnumUnknown;
typedef IEnumUnknown *LPENUMUNKNOWN;
EXTERN_C const IID IID_IEnumUnknown;
typedef struct IEnumUnknownVtbl {
    BEGIN_INTERFACE
    HRESULT(STDMETHODCALLTYPE *QueryInterface)
    (IEnumUnknown *This, REFIID riid, void **ppvObject);
    ULONG(STDMETHODCALLTYPE *AddRef)(IEnumUnknown *This);
    ULONG(STDMETHODCALLTYPE *Release)(IEnumUnknown *This);
    HRESULT(STDMETHODCALLTYPE *Next)
    (IEnumUnknown *This, ULONG celt, IUnknown **rgelt, ULONG *pceltFetched);
    HRESULT(STDMETHODCALLTYPE *Skip)(IEnumUnknown *This, ULONG celt);
    HRESULT(STDMETHODCALLTYPE *Reset)(IEnumUnknown *This);
    HRESULT(STDMETHODCALLTYPE *Clone)
    (IEnumUnknown *This, IEnumUnknown **ppenum);
    END_INTERFACE
} IEnumUnknownVtbl;
struct IEnumUnknown {
    CONST_VTBL IEnumUnknownVtbl *lpVtbl;
};
#ifdef COBJMACROS
#define IEnumUnknown_QueryInterface(This, riid, ppvObject)                     \
    (This)->lpVtbl->QueryInterface(This, riid, ppvObject)
#define IEnumUnknown_AddRef(This) (This)->lpVtbl->AddRef(This)
#define IEnumUnknown_Release(This) (This)->lpVtbl->Release(This)
#define IEnumUnknown_Next(This, celt, rgelt, pceltFetched)                     \
    (This)->lpVtbl->Next(This, celt, rgelt, pceltFetched)
#define IEnumUnknown_Skip(This, celt) (This)->lpVtbl->Skip(This, celt)
#define IEnumUnknown_Reset(This) (This)->lpVtbl->Reset(This)
#define IEnumUnknown_Clone(This, ppenum) (This)->lpVtbl->Clone(This, ppenum)
#endif
#endif

/* IStream support types (objidl.h). */
typedef enum tagSTREAM_SEEK {
    STREAM_SEEK_SET = 0,
    STREAM_SEEK_CUR = 1,
    STREAM_SEEK_END = 2
} STREAM_SEEK;

typedef enum tagSTGTY {
    STGTY_STORAGE = 1,
    STGTY_STREAM = 2,
    STGTY_LOCKBYTES = 3,
    STGTY_PROPERTY = 4
} STGTY;

typedef enum tagSTATFLAG {
    STATFLAG_DEFAULT = 0,
    STATFLAG_NONAME = 1,
    STATFLAG_NOOPEN = 2
} STATFLAG;

typedef enum tagSTGC {
    STGC_DEFAULT = 0,
    STGC_OVERWRITE = 1,
    STGC_ONLYIFCURRENT = 2,
    STGC_DANGEROUSLYCOMMITMERELYTODISKCACHE = 4,
    STGC_CONSOLIDATE = 8
} STGC;

typedef enum tagLOCKTYPE {
    LOCK_WRITE = 1,
    LOCK_EXCLUSIVE = 2,
    LOCK_ONLYONCE = 4
} LOCKTYPE;

typedef struct tagSTATSTG {
    LPOLESTR pwcsName;
    DWORD type;
    ULARGE_INTEGER cbSize;
    FILETIME mtime;
    FILETIME ctime;
    FILETIME atime;
    DWORD grfMode;
    DWORD grfLocksSupported;
    CLSID clsid;
    DWORD grfStateBits;
    DWORD reserved;
} STATSTG;

#ifndef __ISequentialStream_INTERFACE_DEFINED__
#define __ISequentialStream_INTERFACE_DEFINED__
typedef struct ISequentialStream ISequentialStream;
EXTERN_C const IID IID_ISequentialStream;
typedef struct ISequentialStreamVtbl {
    BEGIN_INTERFACE
    HRESULT(STDMETHODCALLTYPE *QueryInterface)
    (ISequentialStream *This, REFIID riid, void **ppvObject);
    ULONG(STDMETHODCALLTYPE *AddRef)(ISequentialStream *This);
    ULONG(STDMETHODCALLTYPE *Release)(ISequentialStream *This);
    HRESULT(STDMETHODCALLTYPE *Read)
    (ISequentialStream *This, void *pv, ULONG cb, ULONG *pcbRead);
    HRESULT(STDMETHODCALLTYPE *Write)
    (ISequentialStream *This, const void *pv, ULONG cb, ULONG *pcbWritten);
    END_INTERFACE
} ISequentialStreamVtbl;
struct ISequentialStream {
    CONST_VTBL ISequentialStreamVtbl *lpVtbl;
};
#ifdef COBJMACROS
#define ISequentialStream_QueryInterface(This, riid, ppvObject)                \
    (This)->lpVtbl->QueryInterface(This, riid, ppvObject)
#define ISequentialStream_AddRef(This) (This)->lpVtbl->AddRef(This)
#define ISequentialStream_Release(This) (This)->lpVtbl->Release(This)
#define ISequentialStream_Read(This, pv, cb, pcbRead)                          \
    (This)->lpVtbl->Read(This, pv, cb, pcbRead)
#define ISequentialStream_Write(This, pv, cb, pcbWritten)                      \
    (This)->lpVtbl->Write(This, pv, cb, pcbWritten)
#endif
#endif

#ifndef __IStream_INTERFACE_DEFINED__
#define __IStream_INTERFACE_DEFINED__
typedef struct IStream IStream;
typedef IStream *LPSTREAM;
EXTERN_C const IID IID_IStream;
typedef struct IStreamVtbl {
    BEGIN_INTERFACE
    HRESULT(STDMETHODCALLTYPE *QueryInterface)
    (IStream *This, REFIID riid, void **ppvObject);
    ULONG(STDMETHODCALLTYPE *AddRef)(IStream *This);
    ULONG(STDMETHODCALLTYPE *Release)(IStream *This);
    /* ISequentialStream */
    HRESULT(STDMETHODCALLTYPE *Read)
    (IStream *This, void *pv, ULONG cb, ULONG *pcbRead);
    HRESULT(STDMETHODCALLTYPE *Write)
    (IStream *This, const void *pv, ULONG cb, ULONG *pcbWritten);
    /* IStream */
    HRESULT(STDMETHODCALLTYPE *Seek)
    (IStream *This, LARGE_INTEGER dlibMove, DWORD dwOrigin,
     ULARGE_INTEGER *plibNewPosition);
    HRESULT(STDMETHODCALLTYPE *SetSize)
    (IStream *This, ULARGE_INTEGER libNewSize);
    HRESULT(STDMETHODCALLTYPE *CopyTo)
    (IStream *This, IStream *pstm, ULARGE_INTEGER cb, ULARGE_INTEGER *pcbRead,
     ULARGE_INTEGER *pcbWritten);
    HRESULT(STDMETHODCALLTYPE *Commit)(IStream *This, DWORD grfCommitFlags);
    HRESULT(STDMETHODCALLTYPE *Revert)(IStream *This);
    HRESULT(STDMETHODCALLTYPE *LockRegion)
    (IStream *This, ULARGE_INTEGER libOffset, ULARGE_INTEGER cb,
     DWORD dwLockType);
    HRESULT(STDMETHODCALLTYPE *UnlockRegion)
    (IStream *This, ULARGE_INTEGER libOffset, ULARGE_INTEGER cb,
     DWORD dwLockType);
    HRESULT(STDMETHODCALLTYPE *Stat)
    (IStream *This, STATSTG *pstatstg, DWORD grfStatFlag);
    HRESULT(STDMETHODCALLTYPE *Clone)(IStream *This, IStream **ppstm);
    END_INTERFACE
} IStreamVtbl;
struct IStream {
    CONST_VTBL IStreamVtbl *lpVtbl;
};
#ifdef COBJMACROS
#define IStream_QueryInterface(This, riid, ppvObject)                          \
    (This)->lpVtbl->QueryInterface(This, riid, ppvObject)
#define IStream_AddRef(This) (This)->lpVtbl->AddRef(This)
#define IStream_Release(This) (This)->lpVtbl->Release(This)
#define IStream_Read(This, pv, cb, pcbRead)                                    \
    (This)->lpVtbl->Read(This, pv, cb, pcbRead)
#define IStream_Write(This, pv, cb, pcbWritten)                                \
    (This)->lpVtbl->Write(This, pv, cb, pcbWritten)
#define IStream_Seek(This, dlibMove, dwOrigin, plibNewPosition)                \
    (This)->lpVtbl->Seek(This, dlibMove, dwOrigin, plibNewPosition)
#define IStream_SetSize(This, libNewSize)                                      \
    (This)->lpVtbl->SetSize(This, libNewSize)
#define IStream_CopyTo(This, pstm, cb, pcbRead, pcbWritten)                    \
    (This)->lpVtbl->CopyTo(This, pstm, cb, pcbRead, pcbWritten)
#define IStream_Commit(This, grfCommitFlags)                                   \
    (This)->lpVtbl->Commit(This, grfCommitFlags)
#define IStream_Revert(This) (This)->lpVtbl->Revert(This)
#define IStream_LockRegion(This, libOffset, cb, dwLockType)                    \
    (This)->lpVtbl->LockRegion(This, libOffset, cb, dwLockType)
#define IStream_UnlockRegion(This, libOffset, cb, dwLockType)                  \
    (This)->lpVtbl->UnlockRegion(This, libOffset, cb, dwLockType)
#define IStream_Stat(This, pstatstg, grfStatFlag)                              \
    (This)->lpVtbl->Stat(This, pstatstg, grfStatFlag)
#define IStream_Clone(This, ppstm) (This)->lpVtbl->Clone(This, ppstm)
#endif
#endif

/* ------------------------------------------------------------------ */
/* In-process servers (objbase.h)                                     */
/* ------------------------------------------------------------------ */

typedef enum tagCLSCTX {
    CLSCTX_INPROC_SERVER = 0x1,
    CLSCTX_INPROC_HANDLER = 0x2,
    CLSCTX_LOCAL_SERVER = 0x4,
    CLSCTX_REMOTE_SERVER = 0x10
} CLSCTX;
#define CLSCTX_INPROC (CLSCTX_INPROC_SERVER | CLSCTX_INPROC_HANDLER)
#define CLSCTX_SERVER                                                          \
    (CLSCTX_INPROC_SERVER | CLSCTX_LOCAL_SERVER | CLSCTX_REMOTE_SERVER)
#define CLSCTX_ALL                                                             \
    (CLSCTX_INPROC_SERVER | CLSCTX_INPROC_HANDLER | CLSCTX_LOCAL_SERVER |      \
     CLSCTX_REMOTE_SERVER)

/* CoRegisterClassObject flags (combaseapi.h). */
typedef enum tagREGCLS {
    REGCLS_SINGLEUSE = 0,
    REGCLS_MULTIPLEUSE = 1,
    REGCLS_MULTI_SEPARATE = 2,
    REGCLS_SUSPENDED = 4,
    REGCLS_SURROGATE = 8,
    REGCLS_AGILE = 0x10
} REGCLS;

typedef enum tagCOINIT {
    COINIT_APARTMENTTHREADED = 0x2,
    COINIT_MULTITHREADED = 0x0,
    COINIT_DISABLE_OLE1DDE = 0x4,
    COINIT_SPEED_OVER_MEMORY = 0x8
} COINIT;

/* What every implementation under test exports (DESIGN.md). */
typedef HRESULT(STDAPICALLTYPE *LPFNGETCLASSOBJECT)(REFCLSID, REFIID, LPVOID *);
typedef HRESULT(STDAPICALLTYPE *LPFNCANUNLOADNOW)(void);

/* ------------------------------------------------------------------ */
/* Layout pins (spec/types.md section 6, spec/interfaces.md 0.2)      */
/* ------------------------------------------------------------------ */

DOCOM_STATIC_ASSERT(sizeof(GUID) == 16, "GUID is 16 bytes");
DOCOM_STATIC_ASSERT(sizeof(HRESULT) == 4 && sizeof(ULONG) == 4 &&
                        sizeof(DWORD) == 4 && sizeof(LONG) == 4 &&
                        sizeof(BOOL) == 4 && sizeof(UINT64) == 8,
                    "Windows LLP64 integer widths");
DOCOM_STATIC_ASSERT(sizeof(WCHAR) == 2, "WCHAR is a UTF-16 code unit");
DOCOM_STATIC_ASSERT(sizeof(VARIANT_BOOL) == 2, "VARIANT_BOOL is 16-bit");
DOCOM_STATIC_ASSERT(sizeof(FILETIME) == 8, "FILETIME is 8 bytes");
DOCOM_STATIC_ASSERT(sizeof(LARGE_INTEGER) == 8, "LARGE_INTEGER");
DOCOM_STATIC_ASSERT(offsetof(VARIANT, vt) == 0, "VARIANT.vt at 0");
DOCOM_STATIC_ASSERT(offsetof(VARIANT, ullVal) == 8, "VARIANT value at 8");
DOCOM_STATIC_ASSERT(sizeof(DECIMAL) == 16, "DECIMAL is 16 bytes");
#if defined(__x86_64__) || defined(__aarch64__) || defined(_WIN64)
DOCOM_STATIC_ASSERT(sizeof(VARIANT) == 24, "VARIANT is 24 bytes on x64");
DOCOM_STATIC_ASSERT(sizeof(STATSTG) == 80, "STATSTG is 80 bytes on x64");
DOCOM_STATIC_ASSERT(sizeof(SAFEARRAY) == 32, "SAFEARRAY on x64");
#elif defined(__i386__)
DOCOM_STATIC_ASSERT(sizeof(VARIANT) == 16, "VARIANT is 16 bytes on x86");
DOCOM_STATIC_ASSERT(sizeof(STATSTG) == 72, "STATSTG is 72 bytes on x86");
#endif

/* ------------------------------------------------------------------ */
/* libdocom.so: the functions of ole32/oleaut32 that docts needs.     */
/* Every function is thread-safe; contracts in the reference/com files. */
/* ------------------------------------------------------------------ */

DOCOM_BEGIN_DECLS

/* The task allocator (malloc-backed, so ASan sees leaks). */
DOCOM_API LPVOID CoTaskMemAlloc(SIZE_T cb);
DOCOM_API LPVOID CoTaskMemRealloc(LPVOID pv, SIZE_T cb);
DOCOM_API void CoTaskMemFree(LPVOID pv);

/* BSTR: 4-byte length prefix (bytes), UTF-16 data, NUL terminator. */
DOCOM_API BSTR SysAllocString(const OLECHAR *psz);
DOCOM_API BSTR SysAllocStringLen(const OLECHAR *strIn, UINT ui);
DOCOM_API BSTR SysAllocStringByteLen(LPCSTR psz, UINT len);
DOCOM_API INT SysReAllocString(BSTR *pbstr, const OLECHAR *psz);
DOCOM_API INT SysReAllocStringLen(BSTR *pbstr, const OLECHAR *psz, UINT len);
DOCOM_API void SysFreeString(BSTR bstrString);
DOCOM_API UINT SysStringLen(BSTR pbstr);
DOCOM_API UINT SysStringByteLen(BSTR bstr);

/* VARIANT. */
DOCOM_API void VariantInit(VARIANTARG *pvarg);
DOCOM_API HRESULT VariantClear(VARIANTARG *pvarg);
DOCOM_API HRESULT VariantCopy(VARIANTARG *pvargDest,
                              const VARIANTARG *pvargSrc);

/* SAFEARRAY (one-dimensional use: VT_ARRAY | VT_UI1 properties). */
DOCOM_API SAFEARRAY *SafeArrayCreateVector(VARTYPE vt, LONG lLbound,
                                           ULONG cElements);
DOCOM_API HRESULT SafeArrayDestroy(SAFEARRAY *psa);
DOCOM_API HRESULT SafeArrayCopy(SAFEARRAY *psa, SAFEARRAY **ppsaOut);
DOCOM_API HRESULT SafeArrayAccessData(SAFEARRAY *psa, void **ppvData);
DOCOM_API HRESULT SafeArrayUnaccessData(SAFEARRAY *psa);
DOCOM_API HRESULT SafeArrayGetLBound(SAFEARRAY *psa, UINT nDim, LONG *plLbound);
DOCOM_API HRESULT SafeArrayGetUBound(SAFEARRAY *psa, UINT nDim, LONG *plUbound);
DOCOM_API UINT SafeArrayGetDim(SAFEARRAY *psa);
DOCOM_API UINT SafeArrayGetElemsize(SAFEARRAY *psa);
DOCOM_API HRESULT SafeArrayGetVartype(SAFEARRAY *psa, VARTYPE *pvt);

/* GUIDs.  The macros above shadow these; (IsEqualGUID)(a, b) calls the
 * function. */
DOCOM_API BOOL(IsEqualGUID)(REFGUID rguid1, REFGUID rguid2);
DOCOM_API BOOL(IsEqualIID)(REFIID riid1, REFIID riid2);
DOCOM_API BOOL(IsEqualCLSID)(REFCLSID rclsid1, REFCLSID rclsid2);
DOCOM_API int StringFromGUID2(REFGUID rguid, LPOLESTR lpsz, int cchMax);
DOCOM_API HRESULT CLSIDFromString(LPCOLESTR lpsz, LPCLSID pclsid);
DOCOM_API HRESULT IIDFromString(LPCOLESTR lpsz, LPIID lpiid);

/* COM start-up and instance creation.  CoCreateInstance finds a class
 * object registered in this process with CoRegisterClassObject for the
 * asked CLSCTX first; otherwise it loads the in-process server named by
 * the environment variable DOCOM_SERVER (a path or soname; default
 * "libdoref.so"), whatever CLSCTX asks for, and goes through its
 * DllGetClassObject.  CoInitialize(Ex) only counts. */
DOCOM_API HRESULT CoInitialize(LPVOID pvReserved);
DOCOM_API HRESULT CoInitializeEx(LPVOID pvReserved, DWORD dwCoInit);
DOCOM_API void CoUninitialize(void);
DOCOM_API HRESULT CoCreateInstance(REFCLSID rclsid, LPUNKNOWN pUnkOuter,
                                   DWORD dwClsContext, REFIID riid,
                                   LPVOID *ppv);
DOCOM_API HRESULT CoGetClassObject(REFCLSID rclsid, DWORD dwClsContext,
                                   LPVOID pvReserved, REFIID riid, LPVOID *ppv);
DOCOM_API HRESULT CoRegisterClassObject(REFCLSID rclsid, LPUNKNOWN pUnk,
                                        DWORD dwClsContext, DWORD flags,
                                        LPDWORD lpdwRegister);
DOCOM_API HRESULT CoRevokeClassObject(DWORD dwRegister);

/* ---- docts helpers (not Windows APIs) ---------------------------- */

/* Length in code units of a NUL-terminated UTF-16 string; 0 for NULL. */
DOCOM_API size_t docom_wcslen(const WCHAR *s);
/* strcmp for UTF-16 (code-unit order); NULL sorts before everything. */
DOCOM_API int docom_wcscmp(const WCHAR *a, const WCHAR *b);
/* Copy with CoTaskMemAlloc (caller frees with CoTaskMemFree); NULL for
 * NULL input or when out of memory. */
DOCOM_API LPWSTR docom_wcsdup_task(const WCHAR *s);
/* Copy with malloc (caller frees with free); NULL for NULL / no memory. */
DOCOM_API WCHAR *docom_wcsdup(const WCHAR *s);
/* UTF-16 -> UTF-8, malloc'd (free()).  NULL (errno EINVAL) for NULL
 * input, (EILSEQ) for an unpaired surrogate, (ENOMEM) out of memory. */
DOCOM_API char *docom_utf8_from_utf16(const WCHAR *s);
/* Same for exactly n code units (may contain NULs, e.g. a BSTR). */
DOCOM_API char *docom_utf8_from_utf16n(const WCHAR *s, size_t n);
/* UTF-8 -> UTF-16, malloc'd (free()).  NULL (errno EINVAL) for NULL,
 * (EILSEQ) for malformed / overlong / surrogate / >U+10FFFF input,
 * (ENOMEM) out of memory. */
DOCOM_API WCHAR *docom_utf16_from_utf8(const char *s);
/* UTF-8 -> UTF-16 allocated with CoTaskMemAlloc (for [out] LPWSTR). */
DOCOM_API LPWSTR docom_task_utf16_from_utf8(const char *s);
/* UTF-8 -> BSTR (SysFreeString). */
DOCOM_API BSTR docom_bstr_from_utf8(const char *s);
/* Symbolic name of an HRESULT defined in the public headers
 * ("BG_E_NOT_FOUND"), or NULL.  Where two names share a value the
 * header-specific one wins (BG_E_HTTP_ERROR_404 over HTTP_E_STATUS_...). */
DOCOM_API const char *docom_hresult_name(HRESULT hr);
/* Writes "0x80200001 (BG_E_NOT_FOUND)" - or "0x801901AD (HTTP 429)",
 * "0x80070020 (HRESULT_FROM_WIN32(32))", or "0x12345678" - into buf and
 * returns buf (always NUL-terminated when size > 0). */
DOCOM_API const char *docom_hresult_format(HRESULT hr, char *buf, size_t size);
/* Test seam: make the nth allocation from now (1 = the next one) made
 * through CoTaskMemAlloc/Realloc, SysAlloc* or SafeArray* fail; 0
 * cancels.  Process-wide; returns the previous setting. */
DOCOM_API long docom_test_fail_alloc(long nth);

DOCOM_END_DECLS

/* GUID_NULL (cguid.h) and the base interfaces' IIDs, in libdocom. */
EXTERN_C const GUID GUID_NULL;
#define CLSID_NULL GUID_NULL
#define IID_NULL GUID_NULL

#endif /* DOCOM_H */
