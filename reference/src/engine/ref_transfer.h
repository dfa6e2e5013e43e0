/*
 * ref_transfer.h - the I/O-free protocol core of one file transfer.
 *
 * A "plan" knows what one file needs (the whole file, or byte ranges
 * concatenated in the caller's order), how much of the local file is
 * already valid, the remote size once known and the validator (ETag or
 * Last-Modified).  It says what the next request is (one Range per
 * request), judges each response's header block (status, Content-Length,
 * Content-Range, validators) and counts the body bytes, so a file is
 * complete only when every declared length was met.  It does no I/O and
 * knows nothing of libcurl's handles: ref_engine.c feeds it, and the unit
 * tests drive it with scripted header blocks.  Codes stay CURLcode / HTTP
 * status / errno / enum ref_xfer_err; ref_errmap.c makes HRESULTs.
 * Layer engine: it names the kinds (ref_err_kind.h), not the table.
 */
#ifndef REF_TRANSFER_H
#define REF_TRANSFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ref_err_kind.h"

/* Same value as BG_LENGTH_TO_EOF / DO_LENGTH_TO_EOF. */
#define REF_LENGTH_TO_EOF UINT64_MAX
/* Same value as BG_SIZE_UNKNOWN. */
#define REF_SIZE_UNKNOWN UINT64_MAX

/* The engine's own verdicts (REF_ERR_ENGINE codes). */
enum ref_xfer_err {
    REF_XE_TRUNCATED = 1,     /* body shorter than its declared length */
    REF_XE_LENGTH_MISMATCH,   /* declared lengths disagree / body too long */
    REF_XE_BAD_CONTENT_RANGE, /* 206 for other bytes, or unusable header */
    REF_XE_NO_RANGE_SUPPORT,  /* 200 full body to an explicit range */
    REF_XE_INVALID_RANGE,     /* 416, or a range past the end of file */
    REF_XE_MISSING_SIZE,      /* no declared size, not dynamic content */
    REF_XE_TOO_LARGE,         /* above the request's max download size */
    REF_XE_NO_MEMORY,         /* engine allocation failed */
    REF_XE_SOURCE_CHANGED,    /* a local source kept changing while read */
};

/* "TRUNCATED", ... or "?"; static string. */
const char *ref_xfer_err_name(int code);

struct ref_range {
    uint64_t offset;
    uint64_t length; /* REF_LENGTH_TO_EOF = to the end of the file */
};

/* Header facts of one final response, from its header block. */
#define REF_VALIDATOR_MAX 256
struct ref_resp {
    long status;          /* 0 until a status line was seen */
    bool has_length;      /* Content-Length present and valid */
    bool length_conflict; /* two different Content-Length values */
    uint64_t length;
    bool has_range;       /* Content-Range present and parsed */
    bool range_unsat;     /* "bytes * /N" form */
    uint64_t first, last; /* inclusive byte positions */
    bool complete_known;  /* complete length not "*" */
    uint64_t complete;
    bool range_invalid; /* Content-Range present but unparsable */
    bool has_location;  /* a Location header (redirect) */
    char etag[REF_VALIDATOR_MAX];
    char last_modified[REF_VALIDATOR_MAX];
};

/* Clears r for a new header block. */
void ref_resp_init(struct ref_resp *r);

/*
 * Feeds one header line as libcurl delivers it (CRLF or LF included or
 * not).  A status line ("HTTP/...") starts a new block and resets r.
 * Returns true when the line is the blank line that ends a block.
 */
bool ref_resp_line(struct ref_resp *r, const char *line, size_t len);

/* What the engine must do after the plan judged something. */
enum ref_verdict_kind {
    REF_V_ACCEPT,  /* write the body at plan.local (truncate first if
                      .truncate); more requests may follow */
    REF_V_MORE,    /* (end) this response is done; issue the next one */
    REF_V_DONE,    /* every byte is there: the file is complete */
    REF_V_REISSUE, /* drop this response; the file restarts from zero
                      (plan already reset); issue the next request */
    REF_V_FAIL,    /* stop with err_kind/err_code */
};

struct ref_verdict {
    enum ref_verdict_kind kind;
    bool truncate;              /* ACCEPT/REISSUE: cut local file to 0 */
    enum ref_err_kind err_kind; /* FAIL */
    int err_code;
};

/* The state of one file's transfer. */
struct ref_plan {
    struct ref_range *ranges; /* NULL = whole file; own copy */
    uint64_t *len;            /* per range: resolved length or TO_EOF */
    size_t nranges;
    bool dynamic;      /* size may stay unknown; no resume */
    uint64_t max_size; /* REF_SIZE_UNKNOWN = no limit */

    uint64_t size;  /* remote size, REF_SIZE_UNKNOWN until known */
    uint64_t local; /* valid bytes at the head of the local file */
    size_t idx;     /* current range (ranges mode) */
    uint64_t pos;   /* bytes of ranges[idx] done */
    char etag[REF_VALIDATOR_MAX];
    char last_modified[REF_VALIDATOR_MAX];

    /* The request in flight. */
    bool req_ranged; /* a Range header was sent */
    uint64_t req_first;
    uint64_t req_last; /* REF_LENGTH_TO_EOF for "a-" */
    bool sent_validator;
    uint64_t expect; /* body bytes declared, REF_SIZE_UNKNOWN if none */
    uint64_t got;    /* body bytes accepted */
    unsigned reissues;

    /* Outcome flags for the result. */
    bool content_changed; /* server had other content: restarted at 0 */
    bool restarted;       /* file restarted from 0 for any reason */
};

/*
 * Sets up a plan.  ranges/nranges: NULL/0 for the whole file, else copied.
 * resume: bytes the caller already has at the head of the local file.
 * known_size: remote size from an earlier attempt or REF_SIZE_UNKNOWN.
 * etag / last_modified: validators from an earlier attempt or NULL/"".
 * Returns 0, or -1 when out of memory (plan left empty, nothing to free).
 * A resume point the plan cannot place (beyond the total) restarts at 0.
 */
int ref_plan_init(struct ref_plan *p, const struct ref_range *ranges,
                  size_t nranges, uint64_t resume, uint64_t known_size,
                  const char *etag, const char *last_modified, bool dynamic,
                  uint64_t max_size);

/* Frees what ref_plan_init allocated; p may be zeroed or already freed. */
void ref_plan_free(struct ref_plan *p);

/*
 * The next request.  Writes the CURLOPT_RANGE value ("a-b" or "a-") into
 * range (or "" for none) and the If-Range value into if_range (or "").
 * Returns REF_V_ACCEPT when a request must be sent, REF_V_DONE when nothing
 * is left (resume point at the end), REF_V_FAIL with *v set when a range
 * is known to lie past the end of the file.
 */
enum ref_verdict_kind ref_plan_request(struct ref_plan *p, char *range,
                                       size_t range_len, char *if_range,
                                       size_t if_range_len,
                                       struct ref_verdict *v);

/* Judges the header block of a final response (status >= 200). */
void ref_plan_headers(struct ref_plan *p, const struct ref_resp *r,
                      struct ref_verdict *v);

/* Counts n body bytes; ACCEPT, or FAIL (too long / too large). */
void ref_plan_body(struct ref_plan *p, size_t n, struct ref_verdict *v);

/*
 * The response ended without a transport error: MORE (next range), DONE,
 * or FAIL with REF_XE_TRUNCATED when fewer bytes came than declared.
 */
void ref_plan_end(struct ref_plan *p, struct ref_verdict *v);

/* Total length of the local file when known, else REF_SIZE_UNKNOWN. */
uint64_t ref_plan_total(const struct ref_plan *p);

/* ---- local sources (decision I19: local paths and file:// URLs) ------- */

/*
 * The file a remote name reads, when it is a local source: an absolute
 * path ("/...") as it is, or a file:// URL's path with its %XX escapes
 * decoded (a '%' not followed by two hex digits, or "%00", stays as it
 * is).  Returns 1 with *path (ref_alloc; the caller frees) for a local
 * source, 0 for any other name (*path NULL), -1 when out of memory.
 */
int ref_source_path(const char *name, char **path);

/* "file://" + path with every byte outside [A-Za-z0-9/._~-] escaped, the
 * form libcurl's FILE protocol decodes back to path exactly; NULL when
 * out of memory (ref_alloc; the caller frees). */
char *ref_file_url(const char *path);

/*
 * A local source has no server to answer: the engine reads its size and
 * makes a validator of its identity and change time (etag, a quoted
 * string).  Before a request and again when its bytes were read, the
 * plan compares them with the version it holds: REF_V_REISSUE (plan reset
 * to zero, truncate) when the file changed, REF_V_FAIL with
 * REF_XE_SOURCE_CHANGED after too many changes, else REF_V_ACCEPT.
 */
void ref_plan_source_check(struct ref_plan *p, uint64_t size, const char *etag,
                           struct ref_verdict *v);

/*
 * Judges the request in flight against an unchanged local source of
 * `size` bytes: *r receives the response a server honouring Range would
 * give (200 with Content-Length, 206 with Content-Range, or 416), which
 * is then judged as any response (ref_plan_headers), so ranges, resume,
 * max size and "range past the end of the file" follow the same rules.
 */
void ref_plan_local(struct ref_plan *p, uint64_t size, const char *etag,
                    struct ref_resp *r, struct ref_verdict *v);

/* Writes r as header lines ("Content-Length: ...\r\n", Content-Range,
 * ETag) into buf; the text the owner's on_headers receives for a local
 * source.  Returns the length written (truncated to fit). */
size_t ref_resp_render(const struct ref_resp *r, char *buf, size_t size);

#endif
