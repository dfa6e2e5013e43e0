/*
 * ref_errmap.c - transport outcome → HRESULT, the one table.
 *
 * Owns the classification of every outcome the engine can report: libcurl
 * codes, final HTTP statuses, errno values of local file operations and the
 * engine's own integrity verdicts.  Each row gives the BITS-mode and
 * DO-mode HRESULT (spec/errors.md §2–§4.2), the BG_ERROR_CONTEXT of each
 * mode, and transient (TRANSIENT_ERROR, retried after MinimumRetryDelay) or
 * fatal (ERROR), after spec/behavior.md §3.1.  Where the sources are silent
 * the row's `why` says what we chose; docs/engine.md is rendered from this
 * table by ref_errmap_markdown().  Nothing else in the reference turns a
 * transport code into an HRESULT.
 */
#include "ref_errmap.h"
#include "ref_alloc.h"
#include "ref_transfer.h"

#include <bitsmsg.h>
#include <deliveryoptimizationerrors.h>
#include <curl/curl.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Win32 codes docom.h does not name (winerror.h values). */
#define REF_ERROR_WRITE_FAULT 29L
#define REF_ERROR_READ_FAULT 30L
#define REF_ERROR_SHARING_VIOLATION 32L
#define REF_ERROR_FILE_TOO_LARGE 223L

#define CTX(x) BG_ERROR_CONTEXT_##x

/* A row whose DO code equals the BITS code. */
#define SAME(kind, code, hr, ctx, tr, why)                                     \
    {                                                                          \
        kind, code, code, #code, REF_HR_FIXED, hr, #hr, REF_HR_FIXED, hr, #hr, \
            CTX(ctx), CTX(NONE), tr, why                                       \
    }
/* A row with a DO substitute. */
#define TWO(kind, code, hr, hrdo, ctx, tr, why)                                \
    {                                                                          \
        kind, code, code, #code, REF_HR_FIXED, hr, #hr, REF_HR_FIXED, hrdo,    \
            #hrdo, CTX(ctx), CTX(NONE), tr, why                                \
    }

/* DO reports BG_ERROR_CONTEXT_REMOTE_FILE for an HTTP 403 and NONE for
 * everything else (spec/behavior.md §3.6); BITS reports the context where
 * the failure happened. */
static const struct ref_errmap_row rows[] = {
    /* ---- HTTP statuses (final response) ---- */
    {REF_ERR_HTTP, 403, 403, "403", REF_HR_HTTP_STATUS, 0,
     "BG_E_HTTP_ERROR_<s>", REF_HR_HTTP_STATUS, 0, "BG_E_HTTP_ERROR_<s>",
     CTX(REMOTE_FILE), CTX(REMOTE_FILE), false,
     "4xx: the request itself is refused; retrying cannot help"},
    {REF_ERR_HTTP, 408, 408, "408", REF_HR_HTTP_STATUS, 0,
     "BG_E_HTTP_ERROR_<s>", REF_HR_HTTP_STATUS, 0, "BG_E_HTTP_ERROR_<s>",
     CTX(REMOTE_FILE), CTX(NONE), true, "request timeout: a timeout"},
    {REF_ERR_HTTP, 429, 429, "429", REF_HR_HTTP_STATUS, 0,
     "BG_E_HTTP_ERROR_<s>", REF_HR_HTTP_STATUS, 0, "BG_E_HTTP_ERROR_<s>",
     CTX(REMOTE_FILE), CTX(NONE), true, "too many requests: try later"},
    {REF_ERR_HTTP, 400, 499, "4xx", REF_HR_HTTP_STATUS, 0,
     "BG_E_HTTP_ERROR_<s>", REF_HR_HTTP_STATUS, 0, "BG_E_HTTP_ERROR_<s>",
     CTX(REMOTE_FILE), CTX(NONE), false,
     "404 and the rest of 4xx are fatal (spec §3.1, UNVERIFIED)"},
    {REF_ERR_HTTP, 500, 599, "5xx", REF_HR_HTTP_STATUS, 0,
     "BG_E_HTTP_ERROR_<s>", REF_HR_HTTP_STATUS, 0, "BG_E_HTTP_ERROR_<s>",
     CTX(REMOTE_FILE), CTX(NONE), true,
     "server/proxy errors are transient (spec §3.1, conventional)"},
    {REF_ERR_HTTP, 300, 399, "3xx", REF_HR_WIN32_STATUS, 0,
     "HRESULT_FROM_WIN32(<s>)", REF_HR_WIN32_STATUS, 0,
     "HRESULT_FROM_WIN32(<s>)", CTX(REMOTE_FILE), CTX(NONE), false,
     "a redirect refused by BG_HTTP_REDIRECT_POLICY_DISALLOW (spec §7.5)"},
    {REF_ERR_HTTP, 100, 299, "1xx/2xx", REF_HR_HTTP_STATUS, 0,
     "BG_E_HTTP_ERROR_<s>", REF_HR_FIXED, DO_E_UNEXPECTED_HTTP_STATUS_2XX,
     "DO_E_UNEXPECTED_HTTP_STATUS_2XX", CTX(REMOTE_FILE), CTX(NONE), true,
     "a final status other than 200/206 (e.g. 204): no body to use"},
    {REF_ERR_HTTP, REF_ERRMAP_ANY, REF_ERRMAP_ANY, "other", REF_HR_HTTP_STATUS,
     0, "BG_E_HTTP_ERROR_<s>", REF_HR_HTTP_STATUS, 0, "BG_E_HTTP_ERROR_<s>",
     CTX(REMOTE_FILE), CTX(NONE), false, "a status outside 100..599"},

    /* ---- libcurl codes ---- */
    SAME(REF_ERR_CURL, CURLE_UNSUPPORTED_PROTOCOL,
         BG_E_INSUFFICIENT_HTTP_SUPPORT, REMOTE_FILE, false,
         "not HTTP/1.x or 2 (e.g. an HTTP/0.9 reply), or a refused "
         "HTTPS-to-HTTP redirect"),
    SAME(REF_ERR_CURL, CURLE_URL_MALFORMAT, E_INVALIDARG, REMOTE_FILE, false,
         "the job validated the URL; libcurl still refused it"),
    SAME(REF_ERR_CURL, CURLE_COULDNT_RESOLVE_PROXY,
         BG_E_PROXY_NAME_RESOLUTION_FAILURE, GENERAL_TRANSPORT, true,
         "name service may come back"),
    SAME(REF_ERR_CURL, CURLE_COULDNT_RESOLVE_HOST, BG_E_NAME_RESOLUTION_FAILURE,
         GENERAL_TRANSPORT, true, "name service may come back"),
    SAME(REF_ERR_CURL, CURLE_COULDNT_CONNECT, BG_E_CONNECT_FAILURE,
         GENERAL_TRANSPORT, true, "cannot connect: transient (spec §3.1)"),
    SAME(REF_ERR_CURL, CURLE_WEIRD_SERVER_REPLY, BG_E_SERVER_PROTOCOL_VIOLATION,
         GENERAL_TRANSPORT, true,
         "garbled reply; may be a passing proxy problem"),
    SAME(REF_ERR_CURL, CURLE_HTTP2, BG_E_PROTOCOL_ERROR, GENERAL_TRANSPORT,
         true, "HTTP/2 framing or session error (GOAWAY with error)"),
    SAME(REF_ERR_CURL, CURLE_PARTIAL_FILE, BG_E_CONNECTION_CLOSED,
         GENERAL_TRANSPORT, true,
         "body cut short; the bytes kept are resumed from"),
    SAME(REF_ERR_CURL, CURLE_WRITE_ERROR,
         HRESULT_FROM_WIN32(REF_ERROR_WRITE_FAULT), LOCAL_FILE, false,
         "write failed without an errno (engine records errno otherwise)"),
    SAME(REF_ERR_CURL, CURLE_OUT_OF_MEMORY, E_OUTOFMEMORY, GENERAL_TRANSPORT,
         true, "memory pressure passes"),
    SAME(REF_ERR_CURL, CURLE_OPERATION_TIMEDOUT, BG_E_TIMEOUT,
         GENERAL_TRANSPORT, true, "timeouts are transient (spec §3.1)"),
    TWO(REF_ERR_CURL, CURLE_RANGE_ERROR, BG_E_INSUFFICIENT_RANGE_SUPPORT,
        DO_E_INSUFFICIENT_RANGE_SUPPORT, REMOTE_FILE, false,
        "server ignored Range (the engine uses CURLOPT_RANGE, so rare)"),
    SAME(REF_ERR_CURL, CURLE_SSL_CONNECT_ERROR, BG_E_SECURE_CHANNEL_FAILURE,
         GENERAL_TRANSPORT, true, "TLS handshake failed"),
    SAME(REF_ERR_CURL, CURLE_TOO_MANY_REDIRECTS, BG_E_PROTOCOL_ERROR,
         REMOTE_FILE, false, "redirect loop"),
    SAME(REF_ERR_CURL, CURLE_GOT_NOTHING, BG_E_CONNECTION_CLOSED,
         GENERAL_TRANSPORT, true, "closed before any reply"),
    SAME(REF_ERR_CURL, CURLE_SEND_ERROR, BG_E_SEND_FAILURE, GENERAL_TRANSPORT,
         true, "connection reset while sending"),
    SAME(REF_ERR_CURL, CURLE_RECV_ERROR, BG_E_RECEIVE_FAILURE,
         GENERAL_TRANSPORT, true, "connection reset while receiving"),
    TWO(REF_ERR_CURL, CURLE_PEER_FAILED_VERIFICATION, BG_E_TRUST_FAILURE,
        DO_E_HTTP_CERT_VALIDATION, REMOTE_FILE, false,
        "certificate refused; SetSecurityFlags can relax it"),
    TWO(REF_ERR_CURL, CURLE_SSL_CACERT_BADFILE, BG_E_TRUST_FAILURE,
        DO_E_HTTP_CERT_VALIDATION, REMOTE_FILE, false, "no usable CA store"),
    SAME(REF_ERR_CURL, CURLE_FILESIZE_EXCEEDED,
         BG_E_MAX_DOWNLOAD_SIZE_LIMIT_REACHED, REMOTE_FILE, false,
         "declared size above Job5 MAX_DOWNLOAD_SIZE"),
    SAME(REF_ERR_CURL, CURLE_HTTP2_STREAM, BG_E_PROTOCOL_ERROR,
         GENERAL_TRANSPORT, true,
         "RST_STREAM / short h2 body (notes §1.4: 18, 56 or 92)"),
    SAME(REF_ERR_CURL, REF_ERRMAP_ANY, BG_E_UNKNOWN_ERROR, GENERAL_TRANSPORT,
         true, "any other libcurl failure: retried until NoProgressTimeout"),

    /* ---- errno of local file operations ---- */
    SAME(REF_ERR_ERRNO, EACCES, E_ACCESSDENIED, LOCAL_FILE, false,
         "access denied writing the local file (spec §3.1)"),
    SAME(REF_ERR_ERRNO, EPERM, E_ACCESSDENIED, LOCAL_FILE, false, "as EACCES"),
    SAME(REF_ERR_ERRNO, ENOENT, HRESULT_FROM_WIN32(ERROR_PATH_NOT_FOUND),
         LOCAL_FILE, false, "the directory disappeared"),
    SAME(REF_ERR_ERRNO, ENOTDIR, HRESULT_FROM_WIN32(ERROR_PATH_NOT_FOUND),
         LOCAL_FILE, false, "a path component is not a directory"),
    SAME(REF_ERR_ERRNO, ENOSPC, HRESULT_FROM_WIN32(ERROR_DISK_FULL), LOCAL_FILE,
         true, "space can be freed (our decision, docs/engine.md)"),
    SAME(REF_ERR_ERRNO, EDQUOT, HRESULT_FROM_WIN32(ERROR_DISK_FULL), LOCAL_FILE,
         true, "as ENOSPC"),
    SAME(REF_ERR_ERRNO, EROFS, HRESULT_FROM_WIN32(ERROR_WRITE_PROTECT),
         LOCAL_FILE, false, "read-only file system"),
    SAME(REF_ERR_ERRNO, ENAMETOOLONG,
         HRESULT_FROM_WIN32(ERROR_FILENAME_EXCED_RANGE), LOCAL_FILE, false,
         "temporary name too long"),
    SAME(REF_ERR_ERRNO, EFBIG, HRESULT_FROM_WIN32(REF_ERROR_FILE_TOO_LARGE),
         LOCAL_FILE, false, "file larger than the file system allows"),
    SAME(REF_ERR_ERRNO, EBUSY, BG_E_DESTINATION_LOCKED, LOCAL_FILE, true,
         "locked destination waits (spec §3.1)"),
    SAME(REF_ERR_ERRNO, ETXTBSY, BG_E_DESTINATION_LOCKED, LOCAL_FILE, true,
         "as EBUSY"),
    SAME(REF_ERR_ERRNO, ENOMEM, E_OUTOFMEMORY, LOCAL_FILE, true,
         "memory pressure passes"),
    SAME(REF_ERR_ERRNO, REF_ERRMAP_ANY,
         HRESULT_FROM_WIN32(REF_ERROR_WRITE_FAULT), LOCAL_FILE, false,
         "EIO and any other local failure"),

    /* ---- errno of a local source (local path / file:// name, I19) ----
     * The remote file is the one that failed, so REMOTE_FILE, with the
     * Win32 codes Windows gives for an SMB source (spec errors.md). */
    SAME(REF_ERR_SOURCE, ENOENT, HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND),
         REMOTE_FILE, false,
         "source missing: ERROR, as for an SMB source (spec errors.md)"),
    SAME(REF_ERR_SOURCE, ENOTDIR, HRESULT_FROM_WIN32(ERROR_PATH_NOT_FOUND),
         REMOTE_FILE, false, "a directory of the source's path is missing"),
    SAME(REF_ERR_SOURCE, EACCES, E_ACCESSDENIED, REMOTE_FILE, false,
         "source not readable by the job's owner"),
    SAME(REF_ERR_SOURCE, EPERM, E_ACCESSDENIED, REMOTE_FILE, false,
         "as EACCES"),
    SAME(REF_ERR_SOURCE, EISDIR, E_ACCESSDENIED, REMOTE_FILE, false,
         "source is a directory: what opening one as a file gives on "
         "Windows"),
    SAME(REF_ERR_SOURCE, ENODEV, HRESULT_FROM_WIN32(ERROR_INVALID_NAME),
         REMOTE_FILE, false,
         "a FIFO, socket or device: not a file (BITS refuses pipes and "
         "devices as names)"),
    SAME(REF_ERR_SOURCE, ENAMETOOLONG,
         HRESULT_FROM_WIN32(ERROR_FILENAME_EXCED_RANGE), REMOTE_FILE, false,
         "decoded path too long for the file system"),
    SAME(REF_ERR_SOURCE, REF_ERRMAP_ANY,
         HRESULT_FROM_WIN32(REF_ERROR_READ_FAULT), REMOTE_FILE, true,
         "EIO, a cut-short read and any other failure: may pass"),

    /* ---- the engine's integrity verdicts (ref_transfer.h) ---- */
    SAME(REF_ERR_ENGINE, REF_XE_TRUNCATED, BG_E_CONNECTION_CLOSED,
         GENERAL_TRANSPORT, true,
         "fewer bytes than the declared length although libcurl said OK "
         "(7.88.1, notes §0 #2); the bytes kept are resumed from"),
    TWO(REF_ERR_ENGINE, REF_XE_LENGTH_MISMATCH, BG_E_INVALID_SERVER_RESPONSE,
        DO_E_HTTP_BLOCKSIZE_MISMATCH, REMOTE_FILE, false,
        "Content-Length disagrees with Content-Range or the range asked, or "
        "more body than declared"),
    TWO(REF_ERR_ENGINE, REF_XE_BAD_CONTENT_RANGE, BG_E_INVALID_SERVER_RESPONSE,
        DO_E_HTTP_BLOCKSIZE_MISMATCH, REMOTE_FILE, false,
        "206 without a usable Content-Range, or for other bytes than asked"),
    TWO(REF_ERR_ENGINE, REF_XE_NO_RANGE_SUPPORT,
        BG_E_INSUFFICIENT_RANGE_SUPPORT, DO_E_INSUFFICIENT_RANGE_SUPPORT,
        REMOTE_FILE, false,
        "200 with the whole body to an explicit range request (spec §6.1)"),
    TWO(REF_ERR_ENGINE, REF_XE_INVALID_RANGE, BG_E_INVALID_RANGE,
        DO_E_INVALID_RANGE, REMOTE_FILE, false,
        "416, or a range reaching past the end of the file (spec §6.1)"),
    TWO(REF_ERR_ENGINE, REF_XE_MISSING_SIZE, BG_E_MISSING_FILE_SIZE,
        DO_E_FILE_SIZE_UNKNOWN_HTTP_200, REMOTE_FILE, false,
        "no Content-Length on a 200 and the job is not DYNAMIC_CONTENT "
        "(spec §7.1)"),
    SAME(REF_ERR_ENGINE, REF_XE_TOO_LARGE, BG_E_MAX_DOWNLOAD_SIZE_LIMIT_REACHED,
         REMOTE_FILE, false, "more bytes than Job5 MAX_DOWNLOAD_SIZE"),
    SAME(REF_ERR_ENGINE, REF_XE_NO_MEMORY, E_OUTOFMEMORY, GENERAL_QUEUE_MANAGER,
         true, "the engine could not allocate for the request"),
    SAME(REF_ERR_ENGINE, REF_XE_SOURCE_CHANGED,
         HRESULT_FROM_WIN32(REF_ERROR_SHARING_VIOLATION), REMOTE_FILE, true,
         "a local source written to during every read: Windows' writer "
         "would hold it locked; retried after MinimumRetryDelay"),
    SAME(REF_ERR_ENGINE, REF_ERRMAP_ANY, BG_E_UNKNOWN_ERROR, GENERAL_TRANSPORT,
         true, "unused: every verdict has a row"),
};

static HRESULT apply(enum ref_hr_rule rule, HRESULT hr, int code)
{
    switch (rule) {
    case REF_HR_HTTP_STATUS:
        return MAKE_HRESULT(SEVERITY_ERROR, FACILITY_HTTP,
                            (uint32_t)code & 0xFFFF);
    case REF_HR_WIN32_STATUS:
        return HRESULT_FROM_WIN32((uint32_t)code);
    case REF_HR_FIXED:
        break;
    }
    return hr;
}

static bool matches(const struct ref_errmap_row *r, enum ref_err_kind kind,
                    int code)
{
    if (r->kind != kind)
        return false;
    if (r->code == REF_ERRMAP_ANY)
        return true;
    return code >= r->code && code <= r->code_hi;
}

void ref_errmap_lookup(enum ref_err_kind kind, int code, bool do_mode,
                       struct ref_errmap_entry *out)
{
    size_t i;

    out->hr = S_OK;
    out->context = BG_ERROR_CONTEXT_NONE;
    out->transient = false;
    out->row = NULL;
    if (kind == REF_ERR_NONE)
        return;
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const struct ref_errmap_row *r = &rows[i];

        if (!matches(r, kind, code))
            continue;
        out->row = r;
        out->transient = r->transient;
        if (do_mode) {
            out->hr = apply(r->rule_do, r->hr_do, code);
            out->context = r->ctx_do;
        } else {
            out->hr = apply(r->rule_bits, r->hr_bits, code);
            out->context = r->ctx_bits;
        }
        return;
    }
    /* Unknown kind value: a programming error, reported as such. */
    out->hr = E_UNEXPECTED;
    out->context = BG_ERROR_CONTEXT_UNKNOWN;
}

const struct ref_errmap_row *ref_errmap_rows(size_t *count)
{
    *count = sizeof rows / sizeof rows[0];
    return rows;
}

const char *ref_errmap_kind_name(enum ref_err_kind kind)
{
    switch (kind) {
    case REF_ERR_NONE:
        return "none";
    case REF_ERR_CURL:
        return "CURL";
    case REF_ERR_HTTP:
        return "HTTP";
    case REF_ERR_ERRNO:
        return "errno";
    case REF_ERR_ENGINE:
        return "engine";
    case REF_ERR_SOURCE:
        return "source";
    }
    return "?";
}

const char *ref_errmap_context_name(BG_ERROR_CONTEXT ctx)
{
    static const char *const names[] = {
        "BG_ERROR_CONTEXT_NONE",
        "BG_ERROR_CONTEXT_UNKNOWN",
        "BG_ERROR_CONTEXT_GENERAL_QUEUE_MANAGER",
        "BG_ERROR_CONTEXT_QUEUE_MANAGER_NOTIFICATION",
        "BG_ERROR_CONTEXT_LOCAL_FILE",
        "BG_ERROR_CONTEXT_REMOTE_FILE",
        "BG_ERROR_CONTEXT_GENERAL_TRANSPORT",
        "BG_ERROR_CONTEXT_REMOTE_APPLICATION",
        "BG_ERROR_CONTEXT_SERVER_CERTIFICATE_CALLBACK",
    };
    if ((unsigned)ctx >= sizeof names / sizeof names[0])
        return "?";
    return names[ctx];
}

/* A growing string for the renderer. */
struct sbuf {
    char *p;
    size_t len, cap;
    bool oom;
};

static void sb_printf(struct sbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (b->oom)
        return;
    for (;;) {
        size_t room = b->cap - b->len;

        va_start(ap, fmt);
        n = vsnprintf(b->p ? b->p + b->len : NULL, room, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->oom = true;
            return;
        }
        if ((size_t)n < room) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = b->cap ? b->cap * 2 : 4096;
        while (cap - b->len <= (size_t)n)
            cap *= 2;
        char *np = ref_realloc(b->p, cap);
        if (!np) {
            b->oom = true;
            return;
        }
        b->p = np;
        b->cap = cap;
    }
}

/* The hex column: fixed values print as hex, computed ones as a formula. */
static void sb_hr(struct sbuf *b, enum ref_hr_rule rule, HRESULT hr,
                  const char *name)
{
    switch (rule) {
    case REF_HR_HTTP_STATUS:
        sb_printf(b, "`%s` = 0x80190000 \\| s", name);
        return;
    case REF_HR_WIN32_STATUS:
        sb_printf(b, "`%s` = 0x80070000 \\| s", name);
        return;
    case REF_HR_FIXED:
        break;
    }
    sb_printf(b, "`%s` (0x%08X)", name, (unsigned)hr);
}

static const char *short_ctx(BG_ERROR_CONTEXT c)
{
    const char *n = ref_errmap_context_name(c);

    return strncmp(n, "BG_ERROR_CONTEXT_", 17) ? n : n + 17;
}

char *ref_errmap_markdown(void)
{
    struct sbuf b = {0};
    size_t i;

    sb_printf(&b, "| kind | code | BITS mode | DO mode | context (BITS / "
                  "DO) | retry | why |\n");
    sb_printf(&b, "|---|---|---|---|---|---|---|\n");
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const struct ref_errmap_row *r = &rows[i];

        sb_printf(&b, "| %s | `%s` | ", ref_errmap_kind_name(r->kind),
                  r->code == REF_ERRMAP_ANY ? "(any other)" : r->code_name);
        sb_hr(&b, r->rule_bits, r->hr_bits, r->hr_bits_name);
        sb_printf(&b, " | ");
        sb_hr(&b, r->rule_do, r->hr_do, r->hr_do_name);
        sb_printf(&b, " | %s / %s | %s | %s |\n", short_ctx(r->ctx_bits),
                  short_ctx(r->ctx_do), r->transient ? "transient" : "fatal",
                  r->why);
    }
    if (b.oom) {
        ref_free(b.p);
        return NULL;
    }
    return b.p;
}
