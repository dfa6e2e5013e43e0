/*
 * ref_engine.h - the download engine: one thread on the libcurl multi
 * interface.
 *
 * Its clients are the BITS scheduler (ref_sched.c: one request per file
 * attempt of a job) and the DO downloads (do_download.c: one request per
 * download attempt); both get the process's one engine from
 * ref_shared_engine.h, which creates and configures it, and neither sees
 * libcurl.  The engine schedules by priority (FOREGROUND, HIGH, NORMAL,
 * LOW; FOREGROUND has slots of its own so it is never starved), keeps a
 * bounded number of transfers active (libcurl 7.88.1 slows down with
 * thousands of handles, notes §0 #4) and multiplexes HTTP/2 streams on
 * one connection (h2c by Upgrade for http://, ALPN for https://; never
 * prior knowledge, notes §0 #1).  Results are CURLcode / HTTP status /
 * errno / enum ref_xfer_err; ref_errmap_lookup() turns them into
 * HRESULTs.  See docs/engine.md.
 *
 * Callbacks run on the engine thread with no engine lock held.  They may
 * call ref_engine_submit() and ref_engine_cancel() (cancelling any request,
 * including their own).  A callback must not block on a lock that another
 * thread holds while it calls ref_engine_cancel(), since cancel waits for
 * a running callback to return.
 */
#ifndef REF_ENGINE_H
#define REF_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ref_errmap.h"
#include "ref_transfer.h"

typedef struct ref_engine ref_engine;

/* Scheduling classes, same values as BG_JOB_PRIORITY. */
enum ref_prio {
    REF_PRIO_FOREGROUND = 0,
    REF_PRIO_HIGH = 1,
    REF_PRIO_NORMAL = 2,
    REF_PRIO_LOW = 3,
};

/* Same values as BG_JOB_PROXY_USAGE. */
enum ref_proxy_usage {
    REF_PROXY_PRECONFIG = 0, /* libcurl's default: the *_proxy env vars */
    REF_PROXY_NO_PROXY = 1,
    REF_PROXY_OVERRIDE = 2,   /* proxy_list (first entry) + bypass list */
    REF_PROXY_AUTODETECT = 3, /* no WPAD: same as PRECONFIG */
};

/* TLS and redirect flags: the BG_SSL_* / BG_HTTP_REDIRECT_POLICY_* values
 * of IBackgroundCopyJobHttpOptions::SetSecurityFlags, passed through. */
#define REF_SEC_CRL_CHECK 0x0001u
#define REF_SEC_IGNORE_CN 0x0002u
#define REF_SEC_IGNORE_DATE 0x0004u
#define REF_SEC_IGNORE_UNKNOWN_CA 0x0008u
#define REF_SEC_IGNORE_WRONG_USAGE 0x0010u
#define REF_SEC_REDIRECT_MASK 0x0700u
#define REF_SEC_REDIRECT_REPORT 0x0100u
#define REF_SEC_REDIRECT_DISALLOW 0x0200u
#define REF_SEC_REDIRECT_HTTPS_TO_HTTP 0x0800u

enum ref_http_pref {
    REF_HTTP_AUTO = 0, /* h2 where offered (ALPN / Upgrade), else 1.1 */
    REF_HTTP_1_1 = 1,  /* never try h2 */
};

/* Outcome of one request, valid only during on_done (copy what you keep). */
struct ref_xfer_result {
    enum ref_err_kind kind;    /* REF_ERR_NONE = the file is complete */
    int code;                  /* meaning per kind (ref_errmap.h) */
    int curl_code;             /* libcurl's CURLcode for the last response */
    long http_status;          /* last final status, 0 if none */
    int sys_errno;             /* errno of a failed local operation, else 0 */
    uint64_t bytes;            /* valid bytes at the head of the temp file:
                                  the resume offset of the next attempt */
    uint64_t total;            /* local file length when known, else
                                  REF_SIZE_UNKNOWN (ranges: sum resolved) */
    uint64_t remote_size;      /* remote file size or REF_SIZE_UNKNOWN */
    bool content_changed;      /* the remote file changed: restarted at 0 */
    bool restarted;            /* restarted at 0 for any reason (changed,
                                  or a server that ignored Range) */
    const char *etag;          /* last validator seen ("" if none) */
    const char *last_modified; /* "" if none */
    const char *headers;       /* raw header block of the last response */
    const char *effective_url; /* after redirects; NULL if unknown */
    const char *server_ip;     /* NULL if unknown */
    long http_version;         /* 1 = HTTP/1.x, 2 = HTTP/2, 0 unknown */
    long new_connections;      /* connections this request opened */
};

/* Callbacks from the engine thread.  ctx is the request's ctx. */
struct ref_xfer_ops {
    /* A final response was accepted: status, raw header block, local
     * total when known.  May be NULL. */
    void (*on_headers)(void *ctx, long status, const char *headers,
                       uint64_t total);
    /* Valid bytes at the head of the temp file grew (or fell to 0 on a
     * restart); total as above.  May be NULL. */
    void (*on_progress)(void *ctx, uint64_t bytes, uint64_t total);
    /* The request ended (complete or failed).  Exactly once unless the
     * request was cancelled first.  Required. */
    void (*on_done)(void *ctx, const struct ref_xfer_result *res);
};

/* One file attempt.  The engine copies everything it keeps. */
struct ref_request {
    const char *url;       /* http:// or https://, or a local source: an
                              absolute path or a file:// URL (read with
                              libcurl's FILE protocol, decision I19) */
    const char *temp_path; /* created if missing; never deleted */
    uint64_t resume;       /* valid bytes already at its head */
    uint64_t known_size;   /* remote size from earlier, or SIZE_UNKNOWN */
    const struct ref_range *ranges; /* NULL/0 = whole file */
    size_t nranges;
    const char *etag;          /* validator from earlier (If-Range), or NULL */
    const char *last_modified; /* used when no strong ETag, or NULL */
    const char *headers;       /* custom header lines, CR/LF separated;
                                  Range and If-Range lines are dropped */
    const char *user, *password; /* Basic credentials, or NULL */
    enum ref_proxy_usage proxy_usage;
    const char *proxy_list;   /* space/semicolon separated (OVERRIDE) */
    const char *proxy_bypass; /* same; "<local>" = loopback names */
    unsigned security;        /* REF_SEC_* */
    uint64_t max_size;        /* REF_SIZE_UNKNOWN = no limit */
    bool dynamic;             /* DYNAMIC_CONTENT: size optional, no resume */
    enum ref_prio prio;
    enum ref_http_pref http;
    const struct ref_xfer_ops *ops;
    void *ctx;
    /* A packet instead of a download (a BITS upload's BITS_POST): with
     * method set, temp_path, ranges and the resume fields are unused, the
     * request carries body_length bytes of body_path from body_offset
     * (Content-Length always sent, 0 without a body), redirects are not
     * followed, the response body is dropped, and on_done reports kind
     * REF_ERR_NONE for any whole response: the caller judges its
     * http_status and headers. */
    const char *method;
    const char *body_path; /* NULL when body_length is 0 */
    uint64_t body_offset, body_length;
};

struct ref_engine_config {
    unsigned max_active;          /* background transfers at once; 0 = 100 */
    unsigned fg_reserve;          /* extra slots only FOREGROUND may use;
                                     0 = max_active / 4 + 1 */
    const char *ca_file;          /* CURLOPT_CAINFO for tests, or NULL */
    bool verbose;                 /* CURLOPT_VERBOSE on every transfer */
    const char *deny_read_prefix; /* local sources under it fail with
                                     EACCES: unreadable even for root,
                                     for tests (NULL: none) */
};

/*
 * Starts an engine and its thread.  cfg may be NULL (defaults).  Only
 * ref_shared_engine.c (the process's engine) and the engine's own tests
 * call it; the object model asks ref_shared_engine_acquire().
 * Returns 0 with *out set, -ENOMEM, or -errno of pthread_create / a
 * libcurl setup failure (-EIO).  Calls curl_global_init once per process.
 */
int ref_engine_create(const struct ref_engine_config *cfg, ref_engine **out);

/*
 * Stops the thread and frees the engine.  Requests still pending or active
 * are dropped without callbacks (their temp files keep the bytes
 * written).  Must not be called from an engine callback.  NULL is a no-op.
 */
void ref_engine_destroy(ref_engine *e);

/*
 * Queues a request; returns its id (> 0) in *id.  The engine copies req.
 * Errors: -EINVAL (NULL e/req/ops/on_done/url/temp_path, nranges without
 * ranges, a zero-length range, prio out of range), -ENOMEM.  On error no
 * callback is ever made.  Callable from any thread, callbacks included.
 */
int ref_engine_submit(ref_engine *e, const struct ref_request *req,
                      uint64_t *id);

/* ref_engine_cancel() results. */
enum ref_cancel_result {
    REF_CANCEL_DONE = 0,     /* stopped; no callback will follow */
    REF_CANCEL_FINISHED = 1, /* on_done already ran / was running and has
                                returned: nothing was stopped */
    REF_CANCEL_UNKNOWN = 2,  /* no such id (already finished long ago) */
};

/*
 * Stops request id.  When this returns, no callback for id is running or
 * will run (from another thread: waits for a running callback to return;
 * from an engine callback: takes effect at once).  *bytes (may be NULL)
 * receives the valid bytes at the head of the temp file when the result
 * is REF_CANCEL_DONE, which is also how Suspend keeps partial data: the
 * next submit resumes from them.  The temp file is never deleted.
 */
enum ref_cancel_result ref_engine_cancel(ref_engine *e, uint64_t id,
                                         uint64_t *bytes);

/* Requests queued and active now, and the most ever active at once (for
 * tests and diagnostics).  Any pointer may be NULL. */
void ref_engine_counts(ref_engine *e, size_t *pending, size_t *active,
                       size_t *peak_active);

/* How requests reached the engine thread so far: submits made from its
 * own callbacks (the loop goes round again, no wake-up: decision E10)
 * and submits from other threads (each wakes the thread).  Either
 * pointer may be NULL. */
void ref_engine_kicks(ref_engine *e, size_t *self_kicks, size_t *wakeups);

#endif
