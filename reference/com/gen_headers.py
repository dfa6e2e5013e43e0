#!/usr/bin/env python3
"""gen_headers.py - writes the vtable blocks of the public headers.

The headers in reference/include/ are hand-written C, except the blocks
between the markers

    /* BEGIN GENERATED IFoo */ ... /* END GENERATED IFoo */

which this script fills from the interface table below (IDL order, the
parameter names of spec/interfaces.md).  One table gives the vtable struct,
the interface struct, the COBJMACROS call macros for every slot (inherited
ones included, as MIDL writes them) and a _Static_assert on the slot count,
so the four can never disagree.

    gen_headers.py [--check] [INCLUDE_DIR]

--check writes nothing and exits 1 when a header is out of date (check-com
runs it when python3 is present).
"""
import re
import sys
from pathlib import Path

TABLE = r"""
interface IUnknown
  HRESULT QueryInterface(REFIID riid, void **ppvObject)
  ULONG AddRef()
  ULONG Release()

# ---- bits.h --------------------------------------------------------
interface IBackgroundCopyFile : IUnknown
  GetRemoteName(LPWSTR *pVal)
  GetLocalName(LPWSTR *pVal)
  GetProgress(BG_FILE_PROGRESS *pVal)

interface IEnumBackgroundCopyFiles : IUnknown
  Next(ULONG celt, IBackgroundCopyFile **rgelt, ULONG *pceltFetched)
  Skip(ULONG celt)
  Reset()
  Clone(IEnumBackgroundCopyFiles **ppenum)
  GetCount(ULONG *puCount)

interface IBackgroundCopyError : IUnknown
  GetError(BG_ERROR_CONTEXT *pContext, HRESULT *pCode)
  GetFile(IBackgroundCopyFile **pVal)
  GetErrorDescription(DWORD LanguageId, LPWSTR *pErrorDescription)
  GetErrorContextDescription(DWORD LanguageId, LPWSTR *pContextDescription)
  GetProtocol(LPWSTR *pProtocol)

interface IBackgroundCopyJob : IUnknown
  AddFileSet(ULONG cFileCount, BG_FILE_INFO *pFileSet)
  AddFile(LPCWSTR RemoteUrl, LPCWSTR LocalName)
  EnumFiles(IEnumBackgroundCopyFiles **pEnum)
  Suspend()
  Resume()
  Cancel()
  Complete()
  GetId(GUID *pVal)
  GetType(BG_JOB_TYPE *pVal)
  GetProgress(BG_JOB_PROGRESS *pVal)
  GetTimes(BG_JOB_TIMES *pVal)
  GetState(BG_JOB_STATE *pVal)
  GetError(IBackgroundCopyError **ppError)
  GetOwner(LPWSTR *pVal)
  SetDisplayName(LPCWSTR Val)
  GetDisplayName(LPWSTR *pVal)
  SetDescription(LPCWSTR Val)
  GetDescription(LPWSTR *pVal)
  SetPriority(BG_JOB_PRIORITY Val)
  GetPriority(BG_JOB_PRIORITY *pVal)
  SetNotifyFlags(ULONG Val)
  GetNotifyFlags(ULONG *pVal)
  SetNotifyInterface(IUnknown *Val)
  GetNotifyInterface(IUnknown **pVal)
  SetMinimumRetryDelay(ULONG Seconds)
  GetMinimumRetryDelay(ULONG *Seconds)
  SetNoProgressTimeout(ULONG Seconds)
  GetNoProgressTimeout(ULONG *Seconds)
  GetErrorCount(ULONG *Errors)
  SetProxySettings(BG_JOB_PROXY_USAGE ProxyUsage, const WCHAR *ProxyList, const WCHAR *ProxyBypassList)
  GetProxySettings(BG_JOB_PROXY_USAGE *pProxyUsage, LPWSTR *pProxyList, LPWSTR *pProxyBypassList)
  TakeOwnership()

interface IEnumBackgroundCopyJobs : IUnknown
  Next(ULONG celt, IBackgroundCopyJob **rgelt, ULONG *pceltFetched)
  Skip(ULONG celt)
  Reset()
  Clone(IEnumBackgroundCopyJobs **ppenum)
  GetCount(ULONG *puCount)

interface IBackgroundCopyCallback : IUnknown
  JobTransferred(IBackgroundCopyJob *pJob)
  JobError(IBackgroundCopyJob *pJob, IBackgroundCopyError *pError)
  JobModification(IBackgroundCopyJob *pJob, DWORD dwReserved)

interface IBackgroundCopyManager : IUnknown
  CreateJob(LPCWSTR DisplayName, BG_JOB_TYPE Type, GUID *pJobId, IBackgroundCopyJob **ppJob)
  GetJob(REFGUID jobID, IBackgroundCopyJob **ppJob)
  EnumJobs(DWORD dwFlags, IEnumBackgroundCopyJobs **ppEnum)
  GetErrorDescription(HRESULT hResult, DWORD LanguageId, LPWSTR *pErrorDescription)

# ---- bits1_5.h -----------------------------------------------------
interface IBackgroundCopyJob2 : IBackgroundCopyJob
  SetNotifyCmdLine(LPCWSTR Program, LPCWSTR Parameters)
  GetNotifyCmdLine(LPWSTR *pProgram, LPWSTR *pParameters)
  GetReplyProgress(BG_JOB_REPLY_PROGRESS *pProgress)
  GetReplyData(BYTE **ppBuffer, UINT64 *pLength)
  SetReplyFileName(LPCWSTR ReplyFileName)
  GetReplyFileName(LPWSTR *pReplyFileName)
  SetCredentials(BG_AUTH_CREDENTIALS *credentials)
  RemoveCredentials(BG_AUTH_TARGET Target, BG_AUTH_SCHEME Scheme)

# ---- bits2_0.h -----------------------------------------------------
interface IBackgroundCopyJob3 : IBackgroundCopyJob2
  ReplaceRemotePrefix(LPCWSTR OldPrefix, LPCWSTR NewPrefix)
  AddFileWithRanges(LPCWSTR RemoteUrl, LPCWSTR LocalName, DWORD RangeCount, BG_FILE_RANGE Ranges[])
  SetFileACLFlags(DWORD Flags)
  GetFileACLFlags(DWORD *Flags)

interface IBackgroundCopyFile2 : IBackgroundCopyFile
  GetFileRanges(DWORD *RangeCount, BG_FILE_RANGE **Ranges)
  SetRemoteName(LPCWSTR Val)

# ---- bits2_5.h -----------------------------------------------------
interface IBackgroundCopyJobHttpOptions : IUnknown
  SetClientCertificateByID(BG_CERT_STORE_LOCATION StoreLocation, LPCWSTR StoreName, BYTE *pCertHashBlob)
  SetClientCertificateByName(BG_CERT_STORE_LOCATION StoreLocation, LPCWSTR StoreName, LPCWSTR SubjectName)
  RemoveClientCertificate()
  GetClientCertificate(BG_CERT_STORE_LOCATION *pStoreLocation, LPWSTR *pStoreName, BYTE **ppCertHashBlob, LPWSTR *pSubjectName)
  SetCustomHeaders(LPCWSTR RequestHeaders)
  GetCustomHeaders(LPWSTR *pRequestHeaders)
  SetSecurityFlags(ULONG Flags)
  GetSecurityFlags(ULONG *pFlags)

# ---- bits3_0.h -----------------------------------------------------
interface IBackgroundCopyCallback2 : IBackgroundCopyCallback
  FileTransferred(IBackgroundCopyJob *pJob, IBackgroundCopyFile *pFile)

interface IBackgroundCopyJob4 : IBackgroundCopyJob3
  SetPeerCachingFlags(DWORD Flags)
  GetPeerCachingFlags(DWORD *pFlags)
  GetOwnerIntegrityLevel(ULONG *pLevel)
  GetOwnerElevationState(BOOL *pElevated)
  SetMaximumDownloadTime(ULONG Timeout)
  GetMaximumDownloadTime(ULONG *pTimeout)

interface IBackgroundCopyFile3 : IBackgroundCopyFile2
  GetTemporaryName(LPWSTR *pFilename)
  SetValidationState(BOOL state)
  GetValidationState(BOOL *pState)
  IsDownloadedFromPeer(BOOL *pVal)

# ---- bits4_0.h -----------------------------------------------------
interface IBackgroundCopyFile4 : IBackgroundCopyFile3
  GetPeerDownloadStats(UINT64 *pFromOrigin, UINT64 *pFromPeers)

# ---- bits5_0.h -----------------------------------------------------
interface IBackgroundCopyJob5 : IBackgroundCopyJob4
  SetProperty(BITS_JOB_PROPERTY_ID PropertyId, BITS_JOB_PROPERTY_VALUE PropertyValue)
  GetProperty(BITS_JOB_PROPERTY_ID PropertyId, BITS_JOB_PROPERTY_VALUE *PropertyValue)

interface IBackgroundCopyFile5 : IBackgroundCopyFile4
  SetProperty(BITS_FILE_PROPERTY_ID PropertyId, BITS_FILE_PROPERTY_VALUE PropertyValue)
  GetProperty(BITS_FILE_PROPERTY_ID PropertyId, BITS_FILE_PROPERTY_VALUE *PropertyValue)

# ---- bits10_1.h ----------------------------------------------------
interface IBackgroundCopyCallback3 : IBackgroundCopyCallback2
  FileRangesTransferred(IBackgroundCopyJob *job, IBackgroundCopyFile *file, DWORD rangeCount, const BG_FILE_RANGE *ranges)

interface IBackgroundCopyFile6 : IBackgroundCopyFile5
  UpdateDownloadPosition(UINT64 offset)
  RequestFileRanges(DWORD rangeCount, const BG_FILE_RANGE *ranges)
  GetFilledFileRanges(DWORD *rangeCount, BG_FILE_RANGE **ranges)

# ---- deliveryoptimization.h ----------------------------------------
interface IDODownload : IUnknown
  Start(const DO_DOWNLOAD_RANGES_INFO *ranges)
  Pause()
  Abort()
  Finalize()
  GetStatus(DO_DOWNLOAD_STATUS *status)
  GetProperty(DODownloadProperty propId, VARIANT *propVal)
  SetProperty(DODownloadProperty propId, const VARIANT *propVal)

interface IDODownloadStatusCallback : IUnknown
  OnStatusChange(IDODownload *download, const DO_DOWNLOAD_STATUS *status)

interface IDOManager : IUnknown
  CreateDownload(IDODownload **download)
  EnumDownloads(const DO_DOWNLOAD_ENUM_CATEGORY *category, IEnumUnknown **ppEnum)

interface IDeliveryOptimizationJob : IUnknown
  AddFileWithRanges(LPCWSTR fileId, LPCWSTR remoteUrl, LPCWSTR localName, DWORD rangeCount, BG_FILE_RANGE ranges[], UINT64 fileSize)

interface IDeliveryOptimizationJob2 : IUnknown
  AddFile(LPCWSTR fileId, LPCWSTR remoteUrl, DWORD rangeCount, BG_FILE_RANGE ranges[], REFIID riid, void **object)
  GetProperty(DOJobPropertyId propId, VARIANT *propValue)
  SetProperty(DOJobPropertyId propId, const VARIANT *propValue)

interface IDeliveryOptimizationFile : IUnknown
  GetStats(DOSwarmStats *swarmStats)

interface IDeliveryOptimizationFile2 : IUnknown
  GetProperty(DOFilePropertyId propId, VARIANT *propValue)
  SetProperty(DOFilePropertyId propId, const VARIANT *propValue)

# ---- DODownloadInternal.h (IID is ours: spec behavior.md D2) ----------
interface IDODownloadInternal : IUnknown
  GetPropertyEx(DODownloadPropertyEx propId, VARIANT *propVal)
  SetPropertyEx(DODownloadPropertyEx propId, VARIANT *propVal)

# ---- docts_ext.h (ours) --------------------------------------------
interface IDoctsTestClock : IUnknown
  GetSpeedFactor(double *factor)
  SetSpeedFactor(double factor)
  Advance(UINT64 milliseconds)
  GetNow(FILETIME *now)
"""

WIDTH = 80


def parse(text):
    ifaces = {}
    order = []
    cur = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        m = re.match(r"interface (\w+)(?: : (\w+))?$", line)
        if m:
            cur = {"name": m.group(1), "base": m.group(2), "methods": []}
            ifaces[cur["name"]] = cur
            order.append(cur["name"])
            continue
        m = re.match(r"(?:(\w+) )?(\w+)\((.*)\)$", line)
        if not m or cur is None:
            raise SystemExit("gen_headers: bad line: " + raw)
        ret = m.group(1) or "HRESULT"
        params = [p.strip() for p in m.group(3).split(",") if p.strip()]
        names = []
        for p in params:
            pm = re.search(r"(\w+)(\[\])?$", p)
            names.append(pm.group(1))
        cur["methods"].append((ret, m.group(2), params, names))
    return ifaces, order


def slots(ifaces, name):
    """All methods of name, base first (MIDL repeats the base slots)."""
    iface = ifaces[name]
    out = slots(ifaces, iface["base"]) if iface["base"] else []
    return out + [(name, m) for m in iface["methods"]]


def wrap_call(head, args, tail, indent, width=WIDTH):
    """head + ", ".join(args) + tail, wrapped at width."""
    one = head + ", ".join(args) + tail
    if len(one) <= width:
        return [one]
    lines = []
    cur = head
    for i, a in enumerate(args):
        piece = a + (", " if i + 1 < len(args) else tail)
        if len(cur) + len(piece.rstrip()) > width and cur.strip():
            lines.append(cur.rstrip())
            cur = " " * indent
        cur += piece
    lines.append(cur.rstrip())
    return lines


def macro_lines(text_lines):
    """Join lines into a macro with aligned backslashes."""
    if len(text_lines) == 1 and len(text_lines[0]) <= WIDTH:
        return text_lines
    out = []
    for i, t in enumerate(text_lines):
        if i + 1 < len(text_lines):
            out.append(t.ljust(WIDTH - 2) + " \\")
        else:
            out.append(t)
    return out


def block(ifaces, name):
    all_slots = slots(ifaces, name)
    out = ["/* clang-format off */"]
    out.append("#ifndef __%s_INTERFACE_DEFINED__" % name)
    out.append("#define __%s_INTERFACE_DEFINED__" % name)
    out.append("EXTERN_C const IID IID_%s;" % name)
    out.append("typedef struct %sVtbl {" % name)
    out.append("    BEGIN_INTERFACE")
    level = None
    for owner, (ret, meth, params, _names) in all_slots:
        if owner != level:
            out.append("    /* %s */" % owner)
            level = owner
        head = "    %s(STDMETHODCALLTYPE *%s)(" % (ret, meth)
        args = ["%s *This" % name] + params
        out.extend(wrap_call(head, args, ");", 8))
    out.append("    END_INTERFACE")
    out.append("} %sVtbl;" % name)
    out.append("struct %s {" % name)
    out.append("    CONST_VTBL %sVtbl *lpVtbl;" % name)
    out.append("};")
    n = len(all_slots)
    first = "DOCOM_STATIC_ASSERT(sizeof(%sVtbl) == %d * sizeof(void *)," % (
        name, n)
    if len(first) <= WIDTH:
        out.append(first)
        out.append('                    "%s has %d slots");' % (name, n))
    else:
        out.append("DOCOM_STATIC_ASSERT(")
        out.append("    sizeof(%sVtbl) == %d * sizeof(void *)," % (name, n))
        out.append('    "%s has %d slots");' % (name, n))
    out.append("#ifdef COBJMACROS")
    for _owner, (_ret, meth, _params, names) in all_slots:
        margs = ["This"] + names
        lhs = wrap_call("#define %s_%s(" % (name, meth), margs, ")", 4,
                        WIDTH - 2)
        rhs = wrap_call("    (This)->lpVtbl->%s(" % meth, margs, ")", 8,
                        WIDTH - 2)
        if len(lhs) == 1 and len(lhs[0]) + 1 + len(rhs[0].strip()) <= WIDTH \
                and len(rhs) == 1:
            out.append(lhs[0] + " " + rhs[0].strip())
        else:
            out.extend(macro_lines(lhs + rhs))
    out.append("#endif")
    out.append("#endif")
    out.append("/* clang-format on */")
    return out


def main(argv):
    check = "--check" in argv
    rest = [a for a in argv[1:] if a != "--check"]
    inc = Path(rest[0]) if rest else Path(__file__).resolve().parents[1] / \
        "include"
    ifaces, _order = parse(TABLE)
    pat = re.compile(r"(/\* BEGIN GENERATED (\w+) \*/\n)(.*?)"
                     r"(/\* END GENERATED \2 \*/)", re.S)
    stale = []
    seen = set()
    for path in sorted(inc.glob("*.h")):
        text = path.read_text()

        def sub(m):
            seen.add(m.group(2))
            if m.group(2) not in ifaces:
                raise SystemExit("gen_headers: %s: unknown interface %s" %
                                 (path, m.group(2)))
            body = "\n".join(block(ifaces, m.group(2))) + "\n"
            return m.group(1) + body + m.group(4)

        new = pat.sub(sub, text)
        if new != text:
            stale.append(str(path))
            if not check:
                path.write_text(new)
    missing = sorted(set(ifaces) - seen - {"IUnknown"})
    if missing:
        print("gen_headers: no marker for: " + ", ".join(missing))
        return 1
    if check and stale:
        print("gen_headers: out of date: " + ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
