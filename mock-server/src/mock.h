/*
 * mock.h - the structures shared by h2mock's files.
 *
 * h2mock is split so that everything protocol-shaped is I/O-free: a
 * connection (conn.c) takes bytes in (mock_conn_feed) and hands bytes out
 * (mock_conn_produce fills the output: io.out and file chunks, read with
 * mock_conn_out_*).  The files form layers; each calls only the ones
 * below it (docs/mock-server.md, "Layers"):
 *
 *   main.c     sockets, TLS, signals, the command line
 *   conn.c     detection, dispatch, the h2c upgrade
 *   h1.c h2.c  the two protocols on a byte side; neither knows the other
 *              nor conn.c (h1.c reports an Upgrade through mock_h1_ops)
 *   io.c       the byte side: input, output queue, close, timer
 *   xfer.c     one exchange: dispatch, pacing, its end
 *   control.c  the /_mock/ endpoint
 *   server.c   the shared state: root, rules, log, exchanges in flight
 *   upload.c   uploads on disk (--upload-dir): BITS packets carried out,
 *              PUT, upload-reply replies, the /_mock/uploads listing
 *   upcore.c   the BITS Upload Protocol, I/O-free: sessions and answers
 *   http.c faults.c log.c   responses and the file cache; the rules; the
 *              request log
 *   util.c     buffers, headers, bodies (a cached file's reference goes
 *              back through mock_body.fd_put, set by http.c)
 *
 * Time is passed in as milliseconds (mock_now_ms) so tests can script it.
 */
#ifndef MOCK_H
#define MOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <nghttp2/nghttp2.h>

/* ------------------------------------------------------------------ */
/* util.c                                                             */

/* A growable byte buffer; bytes [off, len) are pending. */
struct mock_buf {
    uint8_t *data;
    size_t off, len, cap;
};

/* Append n bytes.  Returns 0, or -1 when out of memory (buf unchanged). */
int mock_buf_append(struct mock_buf *b, const void *p, size_t n);
/* Room for n more bytes at the end: a pointer to write them to, or NULL
 * when out of memory.  Nothing is pending until mock_buf_commit. */
uint8_t *mock_buf_space(struct mock_buf *b, size_t n);
/* Make n bytes written at mock_buf_space pending (n <= what was asked). */
void mock_buf_commit(struct mock_buf *b, size_t n);
/* printf-append.  Returns 0 or -1 (out of memory). */
int mock_buf_printf(struct mock_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Number of pending bytes and a pointer to them. */
size_t mock_buf_pending(const struct mock_buf *b);
const uint8_t *mock_buf_head(const struct mock_buf *b);
/* Drop n pending bytes from the front (n <= pending). */
void mock_buf_consume(struct mock_buf *b, size_t n);
/* Release the storage; the buffer is empty and reusable afterwards. */
void mock_buf_free(struct mock_buf *b);
/* Append s as a JSON string literal (with quotes). 0 or -1. */
int mock_buf_json_str(struct mock_buf *b, const char *s, size_t n);

/* Seeded generator (splitmix64): same seed, same sequence. */
uint64_t mock_rand(uint64_t *state);
/* Monotonic milliseconds. */
int64_t mock_now_ms(void);
/* Format t (seconds since the epoch) as an IMF-fixdate into out[30]. */
void mock_http_date(int64_t t, char out[30]);
/* strdup that aborts the request instead of the process: NULL on ENOMEM. */
char *mock_strndup(const char *s, size_t n);
/* Case-insensitive ASCII compare of a NUL-terminated and a counted string */
bool mock_ieq(const char *a, const char *b);
/* Does the comma-separated header value v contain the token tok (ASCII
 * case-insensitive)?  v may be NULL. */
bool mock_has_token(const char *v, const char *tok);

/* An arena of strings: chunks that never move, freed all at once. */
struct mock_chunk {
    struct mock_chunk *next;
    size_t used, cap;
    char data[];
};
/* Copy n bytes and a NUL into the arena *a (NULL = empty).  Returns the
 * copy, owned by the arena, or NULL when out of memory. */
char *mock_arena_dup(struct mock_chunk **a, const void *s, size_t n);
/* Free every chunk; *a becomes NULL (an empty arena). */
void mock_arena_free(struct mock_chunk **a);

/* ------------------------------------------------------------------ */
/* Requests and responses                                             */

struct mock_header {
    char *name; /* lower-case for HTTP/2, as received for HTTP/1.1 */
    char *value;
};

enum mock_proto {
    MOCK_PROTO_H1 = 1,
    MOCK_PROTO_H2 = 2,
};

/* How a connection came to speak what it speaks (log and match). */
enum mock_via {
    MOCK_VIA_H1 = 0,     /* plain HTTP/1.x */
    MOCK_VIA_H2_PRIOR,   /* h2c, prior knowledge */
    MOCK_VIA_H2_UPGRADE, /* h2c via Upgrade: h2c */
    MOCK_VIA_H2_ALPN,    /* TLS, ALPN h2 */
};

struct mock_req {
    char *method;             /* in arena */
    char *target;             /* request-target as received, in arena */
    struct mock_header *hdrs; /* strings in arena */
    size_t nhdrs, caphdrs;
    struct mock_chunk *arena; /* owns every string of the request */
    enum mock_proto proto;
    enum mock_via via;
    bool tls;
    int minor;            /* HTTP/1.x minor version */
    struct mock_buf body; /* request body (control endpoint) */
};

/* A copy of n bytes of s owned by the request (freed with it), or NULL
 * when out of memory. */
char *mock_req_dup(struct mock_req *r, const char *s, size_t n);
/* Add a header (copies both into the request's arena).  0 or -1 (out of
 * memory). */
int mock_req_add_header(struct mock_req *r, const char *n, size_t nl,
                        const char *v, size_t vl);
/* First header named name (case-insensitive), or NULL. */
const char *mock_req_header(const struct mock_req *r, const char *name);
void mock_req_free(struct mock_req *r);
/* "http/1.1", "h2c", "h2c-upgrade", "h2" ... for logs */
const char *mock_req_proto_name(const struct mock_req *r);

/* A body is a list of segments: bytes in memory or a slice of a file. */
struct mock_seg {
    const uint8_t *mem; /* points into mock_body.arena when set */
    size_t memoff;
    uint64_t off, len; /* file slice (when mem unset) or mem len */
    bool is_mem;
};

/* A read-ahead block (util.c): pooled and reference-counted, so file
 * bytes queued for the socket without a copy outlive the body. */
struct mock_block;
/* Drop a reference to a block (NULL is ignored). */
void mock_block_put(struct mock_block *blk);

struct mock_body {
    int fd; /* -1 when there is no file */
    /* Set when fd is not the body's own but its holder's (http.c's file
     * cache): freeing the body gives the reference back with
     * fd_put(fd_owner) instead of closing fd, so this file calls nothing
     * of the layers above it. */
    void (*fd_put)(void *fd_owner);
    void *fd_owner;
    struct mock_seg *segs;
    size_t nsegs;
    struct mock_buf arena; /* memory segments live here */
    size_t cur;            /* current segment */
    uint64_t curoff;       /* offset within it */
    uint64_t total;        /* sum of segment lengths */
    uint8_t xor_key;       /* change-content: XOR applied to file bytes */
    struct mock_block *ra; /* read-ahead of the current file segment */
    size_t ra_off, ra_len; /* its unread bytes: [ra_off, ra_len) */
};

/* Bytes of a file segment read with one pread when a caller asks for
 * less (HTTP/2 asks one DATA frame, 16 KiB, at a time; decision M13). */
#ifndef MOCK_READAHEAD
#define MOCK_READAHEAD (64 * 1024)
#endif

/* Read up to max bytes of the body into buf.  Returns bytes read (0 at
 * the end), or -1 with errno from pread (a file shrank: EIO).  File bytes
 * may be read up to MOCK_READAHEAD ahead of what was asked. */
ssize_t mock_body_read(struct mock_body *b, uint8_t *buf, size_t max);
/* The body's next bytes without a copy, when they are file bytes read
 * ahead (or to be read ahead now): up to max of them at *p, kept alive
 * by a reference to *blk for the caller (mock_block_put).  Returns the
 * count; 0 when the next bytes are not such (use mock_body_read); -1
 * with errno from pread (a file shrank: EIO). */
ssize_t mock_body_borrow(struct mock_body *b, size_t max, const uint8_t **p,
                         struct mock_block **blk);
void mock_body_free(struct mock_body *b);
/* Free the read-ahead blocks kept for reuse (at exit; tests). */
void mock_body_pool_free(void);

struct mock_resp {
    int status;
    struct mock_header *hdrs; /* lower-case names; strings in arena */
    size_t nhdrs, caphdrs;
    struct mock_chunk *arena;
    struct mock_body body;  /* what will be sent (empty for HEAD) */
    int64_t content_length; /* declared; -1 = header omitted */
    bool head;              /* HEAD: send headers only */
    bool close;             /* HTTP/1.1: close after this response */
    bool http10;            /* HTTP/1.1: answer with HTTP/1.0 */
};

int mock_resp_add_header(struct mock_resp *r, const char *n, const char *v);
int mock_resp_add_headerf(struct mock_resp *r, const char *n, const char *fmt,
                          ...) __attribute__((format(printf, 3, 4)));
const char *mock_resp_header(const struct mock_resp *r, const char *name);
void mock_resp_del_header(struct mock_resp *r, const char *name);
void mock_resp_free(struct mock_resp *r);

/* ------------------------------------------------------------------ */
/* The BITS Upload Protocol: what faults.c, upcore.c and upload.c share */

enum mock_bits_pt {
    MOCK_BP_NONE = 0, /* not a BITS_POST */
    MOCK_BP_PING,
    MOCK_BP_CREATE,
    MOCK_BP_FRAGMENT,
    MOCK_BP_CLOSE,
    MOCK_BP_CANCEL,
    MOCK_BP_UNKNOWN, /* BITS_POST without a known packet type */
};
/* "Ping", "Create-Session", ... ("none", "unknown"); parse: 0 = no match */
const char *mock_bits_pt_name(enum mock_bits_pt t);
enum mock_bits_pt mock_bits_pt_parse(const char *s);

/* What a rule can match of an upload packet (docs/faults.md). */
struct mock_bits_key {
    enum mock_bits_pt packet;
    uint64_t session;  /* ordinal of the session (1 = the first one
                        * created), 0 when none is named or known */
    uint64_t fragment; /* Nth Fragment packet of its session, 0 */
    bool last;         /* a Fragment carrying the file's last byte */
};

/* An upload packet in the request log. */
struct mock_bits_log {
    const char *packet; /* static name, NULL: not a BITS packet */
    char session[40];
    char range[64];
};

/* Upload fault kinds: one per rule (a rule's last one wins). */
enum mock_bits_fk {
    MOCK_BF_NONE = 0,
    MOCK_BF_NOT_FOUND,  /* 500 + BG_E_SESSION_NOT_FOUND, session gone */
    MOCK_BF_416,        /* fragment refused, offset n */
    MOCK_BF_SHORT,      /* 200, n bytes short of the fragment's end */
    MOCK_BF_FRAG_LIMIT, /* 413 when the body is over n bytes */
    MOCK_BF_CHALLENGE,  /* status 401/407 without credentials */
    MOCK_BF_ERROR,      /* status + error + context, not processed */
    MOCK_BF_BACKEND,    /* final fragment: back end failed (ctx 7) */
};

enum mock_bits_rk { /* what the built-in back end replies */
                    MOCK_BR_SHA256 =
                        0, /* hex SHA-256 of the upload (64 bytes) */
                    MOCK_BR_EMPTY,
                    MOCK_BR_BYTES,  /* n bytes, byte i = i mod 251 */
                    MOCK_BR_FILE,   /* a file under --root */
                    MOCK_BR_STATIC, /* BITS-Static-Response-URL: no reply file
                                     */
};

struct mock_bits_reply {
    bool on;     /* upload-reply session */
    bool by_ref; /* notification by reference (else value) */
    enum mock_bits_rk kind;
    uint64_t size; /* MOCK_BR_BYTES */
    char arg[512]; /* MOCK_BR_FILE path / MOCK_BR_STATIC URL */
};

struct mock_bits_fault {
    enum mock_bits_fk kind;
    int64_t n; /* offset, bytes or limit (by kind) */
    int status;
    int64_t error; /* HRESULT; -1 = by status (docs/faults.md) */
    int context;
    char realm[128]; /* challenge */
    char cred[256];  /* challenge: user:password, "" = any */
    bool no_reply_url;
    struct mock_bits_reply reply; /* set when reply.on */
};

/* ------------------------------------------------------------------ */
/* faults.c                                                           */

#define MOCK_AFTER_NONE (-2)   /* action not armed */
#define MOCK_AFTER_BEFORE (-1) /* before the response headers */

/* What the fired rule's actions ask of one response. */
struct mock_plan {
    int status;  /* 0: serve the file */
    char **hdrs; /* extra "Name: value" lines */
    size_t nhdrs;
    char *body;       /* status: body text (NULL: default) */
    int64_t delay_ms; /* before headers */
    int64_t chunk_delay_ms, chunk_size;
    int64_t rate;        /* bytes per second, 0 = unlimited */
    int64_t stall_after; /* body bytes, MOCK_AFTER_NONE = off */
    int64_t close_after;
    int64_t reset_after;
    int64_t rst_after;
    uint32_t rst_code;
    int64_t goaway_after;
    uint32_t goaway_code;
    int32_t goaway_last; /* -1: the current stream */
    int64_t length_delta;
    bool length_delta_set;
    bool no_length, ignore_range, no_validators, http10;
    int64_t range_shift;     /* bad-content-range */
    uint32_t change_version; /* change-content: 0 = off */
    int64_t garbage;         /* bytes; 0 = off */
    bool garbage_after_headers;
    char *part_header;           /* extra header in each multipart part */
    struct mock_bits_fault bits; /* upload (BITS) actions */
};

void mock_plan_init(struct mock_plan *p);
void mock_plan_free(struct mock_plan *p);

enum mock_ptype {
    MOCK_PT_UINT,   /* decimal, 0..2^62 */
    MOCK_PT_MS,     /* duration: 250, 250ms, 2s, 1m */
    MOCK_PT_STATUS, /* 100..599 */
    MOCK_PT_REDIR,  /* 301, 302, 303, 307, 308 */
    MOCK_PT_H2CODE, /* NO_ERROR..HTTP_1_1_REQUIRED or a number */
    MOCK_PT_STR,    /* any text */
    MOCK_PT_HEADER, /* "Name: value", repeatable */
    MOCK_PT_INT,    /* signed decimal */
    MOCK_PT_WHEN,   /* "headers" or "body" */
    MOCK_PT_AFTER,  /* body bytes, or "headers" = before them */
    MOCK_PT_HEX,    /* 0x0..0xFFFFFFFF, or "auto" */
};

#define MOCK_MAX_PARAMS 4
/* MOCK_PT_HEX: an HRESULT "0x8020001F" (or "auto": -1) */
#define MOCK_MAX_ACTIONS 4
#define MOCK_MAX_HDRS 8

struct mock_param_desc {
    const char *name;
    enum mock_ptype type;
    const char *def; /* default text, NULL = required */
    const char *help;
};

struct mock_action;
struct mock_action_desc {
    const char *name;
    struct mock_param_desc params[MOCK_MAX_PARAMS];
    void (*apply)(struct mock_plan *p, const struct mock_action *a);
    const char *summary; /* one line */
    const char *example; /* a complete rule line */
    const char *client;  /* what a client sees */
};

struct mock_action {
    const struct mock_action_desc *desc;
    int64_t num[MOCK_MAX_PARAMS];
    char *str[MOCK_MAX_PARAMS];
    char *hdrs[MOCK_MAX_HDRS];
    size_t nhdrs;
};

/* The action table, NULL-terminated by name == NULL. */
extern const struct mock_action_desc mock_actions[];

enum mock_match { MOCK_M_ANY, MOCK_M_EXACT, MOCK_M_PREFIX, MOCK_M_GLOB };

struct mock_rule {
    char *name; /* name= or "rN" */
    char *text; /* the line as given */
    enum mock_match kind;
    char *pattern;
    size_t plen;              /* strlen(pattern) */
    uint64_t phash;           /* its FNV-1a (exact-path quick reject) */
    char *method;             /* NULL: any */
    int proto;                /* 0 any, 1 h1, 2 h2 */
    int tls;                  /* -1 any, 0 no, 1 yes */
    int64_t nth;              /* 0: not set */
    double prob;              /* < 0: not set */
    int64_t times;            /* 0: unlimited */
    int64_t offset;           /* -1 any, -2 "none" (no Range) */
    enum mock_bits_pt packet; /* 0: any */
    uint64_t session;         /* 0: any */
    int64_t fragment;         /* 0: any, -1: the last one */
    uint64_t seen, fired;
    struct mock_action acts[MOCK_MAX_ACTIONS];
    size_t nacts;
};

struct mock_rules {
    struct mock_rule *v;
    size_t n, cap;
    uint64_t seed, rng;
    unsigned next_id;
};

void mock_rules_init(struct mock_rules *rs, uint64_t seed);
/* Parse rule text (several lines) and append all its rules, or none.
 * src names the text in errors ("FILE" or "control").  On error returns
 * -1 and writes "SRC:LINE: message" to err; 0 on success with *added set.
 */
int mock_rules_parse(struct mock_rules *rs, const char *text, size_t len,
                     const char *src, size_t *added, char *err, size_t errlen);
/* Load a rule file; same contract as mock_rules_parse (err also names
 * open/read failures). */
int mock_rules_load(struct mock_rules *rs, const char *path, char *err,
                    size_t errlen);
/* Count the request against every rule and return the first rule that
 * fires (its actions applied to plan), or NULL.  range_start is the first
 * range's start or -1 when the request has no Range; bk describes an
 * upload packet (NULL: not one; rules with packet/session/fragment
 * fields then never match). */
const struct mock_rule *mock_rules_match(struct mock_rules *rs,
                                         const struct mock_req *r,
                                         const char *path, int64_t range_start,
                                         const struct mock_bits_key *bk,
                                         struct mock_plan *plan);
void mock_rules_clear(struct mock_rules *rs);
/* Counters to zero and the generator back to the seed. */
void mock_rules_reset(struct mock_rules *rs);
/* Rule list as re-loadable text with "# name seen=N fired=N" comments. */
int mock_rules_format(const struct mock_rules *rs, struct mock_buf *out);
/* The action reference (docs/faults.md when markdown). 0 or -1. */
int mock_actions_doc(FILE *f, bool markdown);
/* nghttp2 error code from a name or number, -1 when unknown. */
int64_t mock_h2code(const char *s);

/* ------------------------------------------------------------------ */
/* http.c: requests into responses                                    */

struct mock_server;

/* Decode and confine a request-target to the root.  Writes the decoded
 * path (always starting with "/", no query) to out.  Returns 0, 400 for a
 * malformed target or one that tries to climb out (".."). */
int mock_path_decode(const char *target, char *out, size_t outlen);

/* A parsed Range header. */
struct mock_range {
    uint64_t first, last;
};
/* Parse "bytes=..." against size.  Returns the number of satisfiable
 * ranges written to out (at most max), 0 when none is satisfiable (416),
 * or -1 when the header is not a valid byte-range set (ignore it).
 * *first_start gets the first spec's start (-1 for a suffix spec). */
int mock_range_parse(const char *h, uint64_t size, struct mock_range *out,
                     int max, int64_t *first_start);

/* Build the response to r (rules already applied into plan).  epoch is
 * the feed epoch of the connection the request came on (0: unknown); an
 * open file checked since then is used without checking its path again.
 * Returns 0 or -1 (out of memory: the caller resets the stream /
 * closes). */
int mock_http_respond(struct mock_server *srv, const struct mock_req *r,
                      const char *path, uint64_t epoch, struct mock_plan *plan,
                      struct mock_resp *resp);
/* Serve the regular file rel under dirfd (GET/HEAD, Range) like a file
 * of the root, without the cache.  0 or -1 (out of memory). */
int mock_http_respond_dir(struct mock_server *srv, int dirfd,
                          const struct mock_req *r, const char *rel,
                          struct mock_plan *plan, struct mock_resp *resp);
/* Open path (decoded, starting with "/") beneath dirfd, never leaving it
 * (openat2 RESOLVE_BENEATH); flags as open(2).  fd or -1 with errno. */
int mock_open_beneath(int dirfd, const char *path, int flags);
/* Empty the server's file cache (files still in use stay open until
 * their bodies are freed). */
void mock_fcache_clear(struct mock_server *srv);
/* Simple text response. 0 or -1. */
int mock_http_text(struct mock_resp *resp, int status, const char *ctype,
                   const void *body, size_t len);

/* ------------------------------------------------------------------ */
/* The exchange: one request and its response, on either protocol.    */

/* A request body kept in memory may have this many bytes (decision M9);
 * an upload's body goes to disk instead (mock_xfer_head). */
#define MOCK_MAX_BODY (1024 * 1024)

enum mock_xst { MOCK_X_RECV, MOCK_X_WAIT, MOCK_X_BODY, MOCK_X_DONE };

struct mock_io;
struct mock_xfer {
    struct mock_io *io; /* the byte side of its connection */
    struct mock_xfer *next_live, *prev_live; /* server's live list */
    int32_t stream_id;
    struct mock_req req;
    struct mock_plan plan;
    struct mock_resp resp;
    char *rule;    /* name of the rule that fired, or NULL */
    char *actions; /* "close,delay" */
    bool control;  /* /_mock/ request: never logged or matched */
    enum mock_xst st;
    int64_t t_req;   /* monotonic ms when dispatched */
    int64_t wall_ms; /* wall clock ms when dispatched */
    int64_t t_body;  /* monotonic ms when the body started */
    uint64_t sent;   /* body bytes handed to the protocol */
    uint64_t chunk_mark;
    int64_t wake;  /* timer, 0 = none */
    bool deferred; /* h2 data provider deferred */
    bool stalled;
    bool headers_sent;
    const char *outcome; /* "complete", "reset", ... */
    unsigned log_gen;
    uint64_t seq;        /* log sequence number, 0 = not logged */
    char path[1024];     /* decoded path */
    int64_t chunk_until; /* chunk-delay pause end, 0 = none */
    bool goaway_done;    /* graceful goaway at an offset was sent */
    /* HTTP/2 request head: when it began, whether it ended, its header
     * list size, and the status refusing it (431) instead of a dispatch */
    int64_t t_head;
    bool head_done;
    size_t head_bytes;
    int refuse;
    bool finished;
    bool linked;
    struct mock_xfer *cnext, *cprev; /* connection's list (h2) */
    /* an upload body written to a temp file instead of req.body */
    int sink; /* -1: none */
    uint64_t sink_len;
    uint64_t sink_base; /* where the body's first byte goes in the sink */
    uint64_t body_max;  /* bytes the request body may have */
    bool sink_failed;
    struct mock_bits_log bits; /* logged with the exchange */
};

/* Outcome of a body step. */
struct mock_allow {
    uint64_t n;   /* bytes that may go now */
    int64_t wake; /* when to retry if n == 0 (0: never) */
    int trigger;  /* 0, or MOCK_TRIG_* reached at this offset */
};
enum {
    MOCK_TRIG_CLOSE = 1,
    MOCK_TRIG_RESET,
    MOCK_TRIG_RST,
    MOCK_TRIG_GOAWAY,
    MOCK_TRIG_STALL
};

/* How many body bytes may be sent now (faults: throttle, chunk delay,
 * stall and the after=N triggers). */
struct mock_allow mock_xfer_allow(struct mock_xfer *x, int64_t now);
/* A new exchange on the connection whose byte side is io (resp.body.fd =
 * -1, plan initialised), or NULL when out of memory. */
struct mock_xfer *mock_xfer_new(struct mock_io *io, int32_t stream_id);
/* The trigger armed for "before the response headers", 0 if none. */
int mock_xfer_pre_trigger(const struct mock_xfer *x);
/* True when the body may end now (no trigger armed at its end). */
bool mock_xfer_eof_ok(const struct mock_xfer *x);
/* The request head is complete, its body not yet read: decide where the
 * body goes (memory or an upload's temp file) and how large it may be
 * (x->body_max).  0, or -1 when out of memory. */
int mock_xfer_head(struct mock_xfer *x);
/* n body bytes of the request.  0, or -1 when they do not fit
 * (x->body_max) or cannot be kept (memory, disk). */
int mock_xfer_body(struct mock_xfer *x, const uint8_t *p, size_t n);
/* Dispatch a fully received request: match rules, build the response.
 * Returns 0 or -1 (out of memory). */
int mock_xfer_dispatch(struct mock_xfer *x, int64_t now);
/* Answer a refused request (a limit, M15) with status and the text msg
 * instead of dispatching it: no rule, not logged.  0 or -1 (no memory). */
int mock_xfer_refuse(struct mock_xfer *x, int status, const char *msg);
/* Record the end of the exchange in the log and unlink it. */
void mock_xfer_finish(struct mock_xfer *x, const char *outcome);
void mock_xfer_free(struct mock_xfer *x);

/* ------------------------------------------------------------------ */
/* log.c                                                              */

struct mock_logrec;
struct mock_log {
    struct mock_logrec **recs; /* finished exchanges (ring), log.c's */
    size_t n, cap, head;
    uint64_t seq;
    unsigned gen;
    FILE *file;
};

void mock_log_init(struct mock_log *l, size_t keep);
/* Format an exchange as a JSON line (no newline) into out. 0 or -1. */
int mock_log_format(const struct mock_xfer *x, bool done, uint64_t seq,
                    struct mock_buf *out);
/* Append a finished exchange (ring + --log file).  Copies what it keeps;
 * out of memory drops the entry. */
void mock_log_add(struct mock_log *l, const struct mock_xfer *x);
/* The i-th kept entry (0 = oldest, i < l->n): its seq, and its JSON
 * line (no newline) appended to out (0, or -1 when out of memory). */
uint64_t mock_log_seq(const struct mock_log *l, size_t i);
int mock_log_line(const struct mock_log *l, size_t i, struct mock_buf *out);
void mock_log_reset(struct mock_log *l);
void mock_log_free(struct mock_log *l);

/* ------------------------------------------------------------------ */
/* upcore.c: the BITS Upload Protocol, I/O-free                       */

/* The one protocol ever defined (BITS 1.5 Upload Protocol). */
#define MOCK_BITS_PROTOCOL "{7df0354d-249b-430f-820d-3d2a9bef4931}"
#define MOCK_E_INVALIDARG 0x80070057u
#define MOCK_E_ACCESSDENIED 0x80070005u
#define MOCK_BG_E_SESSION_NOT_FOUND 0x8020001Fu
#define MOCK_BG_E_TOO_LARGE 0x80200020u

struct mock_bits_cfg {
    uint64_t max_upload;   /* bytes per file; 0 = no limit */
    int64_t timeout_ms;    /* no progress this long: session gone */
    bool overwrite;        /* an existing destination may be replaced */
    char host_id[256];     /* BITS-Host-Id, "" = none */
    int64_t host_fallback; /* BITS-Host-Id-Fallback-Timeout s, -1 none */
};

struct mock_bits_session {
    char id[40];      /* "{xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx}" */
    char *path;       /* decoded request path */
    uint64_t ordinal; /* 1, 2, ... in creation order */
    uint64_t total;   /* file size, from the first Content-Range */
    bool total_known;
    uint64_t received;  /* next byte expected */
    uint64_t fragments; /* Fragment packets seen */
    int64_t last_ms;    /* created or last progress (timeout) */
    bool complete;      /* every byte received and committed */
    struct mock_bits_reply reply;
    bool has_reply;       /* a reply is available at its URL */
    char reply_url[1024]; /* static reply URL (MOCK_BR_STATIC) */
    char sha256[65];      /* hex, once complete */
};

/* One upload packet as the core sees it. */
struct mock_bits_pkt {
    enum mock_bits_pt type;
    const char *session;   /* BITS-Session-Id, or NULL */
    const char *protocols; /* BITS-Supported-Protocols, or NULL */
    const char *range;     /* Content-Range, or NULL */
    bool need_length;      /* HTTP/1.1: Content-Length is required */
    bool has_length;       /* Content-Length was sent */
    uint64_t body_len;     /* body bytes received */
    const char *path;
    bool dest_exists; /* Create-Session: the destination exists */
    bool credentials; /* Authorization / Proxy-Authorization OK */
    int64_t now;
};

/* What to answer and what the I/O side must do. */
struct mock_bits_ans {
    int status;
    int64_t error;         /* BITS-Error-Code, -1 none */
    int context;           /* BITS-Error-Context (with error) */
    const char *session;   /* BITS-Session-Id to echo, or NULL */
    bool protocol;         /* BITS-Protocol + Accept-Encoding */
    bool host_id;          /* BITS-Host-Id (+ fallback timeout) */
    int64_t received;      /* BITS-Received-Content-Range, -1 none */
    const char *challenge; /* auth header name (401/407), or NULL */
    const char *why;       /* short reason, for the body and the log */
    /* the I/O side: */
    struct mock_bits_session *s;         /* the session concerned, or NULL */
    bool create;                         /* s is new: make its partial file */
    uint64_t skip, write_off, write_len; /* body[skip..+len) -> file
                                          * at write_off; len 0: none */
    bool truncate;     /* cut the partial file at s->received */
    bool finish;       /* complete now (or again): commit the file
                        * once, run the back end if upload-reply */
    bool reply_url;    /* BITS-Reply-URL on this Ack */
    bool backend_fail; /* the back end failed (status/error/ctx 7) */
    struct mock_bits_session *gone; /* removed from the table: the I/O
                                     * side deletes its files and calls
                                     * mock_bits_session_free */
};

struct mock_bits {
    struct mock_bits_cfg cfg;
    struct mock_bits_session **v;
    size_t n, cap;
    uint64_t ordinals; /* sessions created so far */
    uint64_t rng;      /* session ids (seeded) */
};

void mock_bits_init(struct mock_bits *b, const struct mock_bits_cfg *cfg,
                    uint64_t seed);
/* Frees every session (the I/O side removed their files before). */
void mock_bits_free(struct mock_bits *b);
void mock_bits_session_free(struct mock_bits_session *s);
/* The session named id (compared case-insensitively), or NULL. */
struct mock_bits_session *mock_bits_find(const struct mock_bits *b,
                                         const char *id);
/* What rules match of p (session ordinal, fragment number, last). */
void mock_bits_key(const struct mock_bits *b, const struct mock_bits_pkt *p,
                   struct mock_bits_key *k);
/* A session without progress for cfg.timeout_ms at now, taken out of
 * the table (the caller deletes its files and frees it), or NULL. */
struct mock_bits_session *mock_bits_expire(struct mock_bits *b, int64_t now);
/* Parse "bytes first-last/total" (unit case-insensitive).  0 or -1. */
int mock_bits_range(const char *v, uint64_t *first, uint64_t *last,
                    uint64_t *total);
/* Answer one packet (f: the fired rule's upload fault, or NULL).  Returns
 * 0, or -1 when out of memory (a is then a 500). */
int mock_bits_step(struct mock_bits *b, const struct mock_bits_pkt *p,
                   const struct mock_bits_fault *f, struct mock_bits_ans *a);

/* ------------------------------------------------------------------ */
/* upload.c: uploads on disk (--upload-dir), PUT, replies, the listing */

struct mock_upload;
struct mock_xfer;

/* Open DIR (its state lives in DIR/.h2mock, made afresh).  0, or -1 with
 * a message in err. */
int mock_upload_open(struct mock_upload **out, const char *dir,
                     const struct mock_bits_cfg *cfg, const char *reply_prefix,
                     uint64_t seed, char *err, size_t errlen);
/* Remove the state directory and free everything (NULL is ignored). */
void mock_upload_close(struct mock_upload *u);
/* Is r (decoded path) an upload request: BITS_POST, PUT, or a GET/HEAD
 * of a reply URL (/_bits/reply/...)? */
bool mock_upload_wants(const struct mock_req *r, const char *path);
/* The body of r goes to a file (a Fragment, a PUT): its fd, or -1 (body
 * in memory); *err set when creating failed.  A Fragment that goes on
 * exactly where its session stands is written straight into the session's
 * partial file at *base = its first byte (no copy when it is answered);
 * any other body goes to a new unlinked temp file, *base = 0. */
int mock_upload_sink(struct mock_upload *u, const struct mock_req *r, bool *err,
                     uint64_t *base);
/* The rule key of r (packet type, session ordinal, fragment, last). */
void mock_upload_key(struct mock_upload *u, const struct mock_req *r,
                     const char *path, struct mock_bits_key *k);
/* Answer r into resp: the BITS packet, the PUT or the reply download.
 * sink: the body's file from mock_upload_sink (or -1; the body is then
 * r->body), body_len bytes from sink_base.  Faults come from plan->bits.
 * Fills the log fields (packet, session, range) of info.  0 or -1 (out of
 * memory). */
int mock_upload_respond(struct mock_server *srv, struct mock_upload *u,
                        const struct mock_req *r, const char *path, int sink,
                        uint64_t sink_base, uint64_t body_len,
                        struct mock_plan *plan, int64_t now,
                        struct mock_resp *resp, struct mock_bits_log *info);
/* JSON of the sessions and the finished uploads (with their SHA-256). */
int mock_upload_list(struct mock_upload *u, int64_t now, struct mock_buf *out);

/* ------------------------------------------------------------------ */
/* The server (shared state of all connections)                       */

#define MOCK_FCACHE 64

/* What one client may hold (decision M15; docs/mock-server.md, "Limits").
 * mock_server_init sets the defaults, main.c the command line's. */
struct mock_limits {
    size_t max_line;      /* HTTP/1.1 request line bytes, no CRLF: 414 */
    size_t max_head;      /* header bytes: HTTP/1.1 field lines with
                           * their CRLFs, HTTP/2 the header list size
                           * (name + value + 32 per field): 431 */
    size_t max_headers;   /* header fields (HTTP/2: pseudo ones too) */
    uint32_t max_streams; /* HTTP/2 concurrent streams advertised; one
                           * more is refused with REFUSED_STREAM */
    int64_t head_ms;      /* a request head, the preface or the TLS
                           * handshake must arrive whole this long after
                           * its first byte (408 / close) */
    int64_t idle_ms;      /* nothing in flight this long: close (HTTP/2
                           * with GOAWAY NO_ERROR) */
    size_t max_conns;     /* open connections; at the cap a new one
                           * evicts the longest-idle one, or is closed */
};
/* The defaults (docs/mock-server.md lists them). */
void mock_limits_default(struct mock_limits *l);

struct mock_server {
    char *root;
    int rootfd;
    /* open files by path, checked against the path on every request
     * (http.c); a slot per hash of the path */
    struct mock_file *fcache[MOCK_FCACHE];
    struct mock_rules rules;
    struct mock_log log;
    struct mock_xfer *live; /* exchanges in flight */
    /* +1 at every mock_conn_feed: a file checked at epoch E is current
     * for every request whose bytes arrived by feed E (decision M12) */
    uint64_t feed_epoch;
    uint64_t fcache_checks; /* fstatat calls of the cache (tests) */
    bool stopping;
    uint64_t garbage_rng;
    /* --http1-only: no h2c (prior knowledge is refused with 505, Upgrade
     * is ignored) and ALPN offers only http/1.1 (decision M14) */
    bool http1_only;
    uint64_t conns; /* connections so far: the last conn id */
    struct mock_limits limits;
    struct mock_upload *up; /* --upload-dir, or NULL */
};

/* 0, or -1 with a message in err (root cannot be opened). */
int mock_server_init(struct mock_server *s, const char *root, uint64_t seed,
                     char *err, size_t errlen);
void mock_server_free(struct mock_server *s);

/* control.c: answer a /_mock/ request into resp. 0 or -1 (no memory). */
int mock_control(struct mock_server *s, const struct mock_req *r,
                 const char *path, struct mock_resp *resp);

/* ------------------------------------------------------------------ */
/* io.c: a connection's byte side, shared by the protocols             */

enum mock_close { MOCK_CLOSE_NO, MOCK_CLOSE_FIN, MOCK_CLOSE_RST };

/* File bytes queued for the socket without a copy, between out's bytes */
struct mock_ochunk {
    size_t before; /* bytes of out that go first */
    const uint8_t *p;
    size_t len;
    struct mock_block *blk; /* keeps p's bytes alive */
};

/* What h1.c and h2.c work on: the bytes in, the output queue, the
 * close request, the timer and the clock.  conn.c owns it; the protocols
 * see nothing else of the connection. */
struct mock_io {
    struct mock_server *srv;
    uint64_t id; /* 1, 2, ... in the order connections began */
    bool tls;
    struct mock_buf in, out;
    /* The output is out's bytes with these chunks in between (decision
     * M13); read it with mock_io_out_*, never out alone. */
    struct mock_ochunk *oc;
    size_t oc_head, oc_n, oc_cap; /* queued: oc[oc_head, oc_n) */
    size_t oc_mem;                /* sum of their `before` */
    size_t oc_bytes;              /* sum of their len */
    bool zero_copy;               /* queue file bytes (cleartext) or copy */
    /* After the output drains: close gracefully or with RST. */
    enum mock_close close_after_flush;
    bool dead;           /* stop reading and producing */
    bool shutting_down;  /* graceful shutdown began */
    int64_t wake;        /* earliest timer, 0 none */
    int64_t now;         /* time of the current feed/produce call */
    uint64_t feed_epoch; /* the server's feed_epoch at our last feed */
    size_t high_water;   /* produce at most this much into out */
    int64_t last_active; /* last bytes in, or last time busy (idle) */
    int64_t idle_since;  /* last time busy (eviction order, M15) */
};

/* The output: bytes pending, in order (out and the chunks). */
size_t mock_io_out_pending(const struct mock_io *io);
/* Up to max iovecs describing the pending output from its start;
 * returns how many were filled. */
struct iovec;
int mock_io_out_iov(const struct mock_io *io, struct iovec *iov, int max);
/* Drop the first n pending bytes (n <= pending). */
void mock_io_out_consume(struct mock_io *io, size_t n);
/* Move up to max pending bytes to the end of dst.  0, or -1 when out of
 * memory (what was appended is consumed; the rest stays pending). */
int mock_io_out_take(struct mock_io *io, struct mock_buf *dst, size_t max);
/* Queue n bytes at p, kept alive by blk, after what is pending; the
 * reference to blk passes to the queue.  0 or -1 (out of memory: the
 * reference is dropped). */
int mock_io_out_chunk(struct mock_io *io, const uint8_t *p, size_t n,
                      struct mock_block *blk);
/* Where the output ends now, and going back there (undoing what a
 * failed frame queued). */
struct mock_out_mark {
    size_t len, oc_n, oc_mem, oc_bytes; /* len: out's pending bytes */
};
void mock_io_out_mark(const struct mock_io *io, struct mock_out_mark *m);
void mock_io_out_rollback(struct mock_io *io, const struct mock_out_mark *m);
/* Stop reading and producing; close as `how` once the output drained. */
void mock_io_end(struct mock_io *io, enum mock_close how);
/* Ask to run again at `at` (keeps the earliest; 0 is ignored). */
void mock_io_wake_at(struct mock_io *io, int64_t at);
/* Release the buffers and the queued chunks. */
void mock_io_free(struct mock_io *io);

/* ------------------------------------------------------------------ */
/* h1.c: HTTP/1.1 on a byte side                                      */

/* What h1.c asks of its owner (conn.c), which decides about protocol
 * switches: h1.c knows the HTTP/1.1 form of an upgrade, not what the
 * connection switches to. */
struct mock_h1_ops {
    /* A request head with an Upgrade header was parsed.  Return the
     * protocol token to switch to (h1.c then answers 101 and stops
     * reading: mock_h1_feed returns MOCK_H1_SWITCHED), or NULL to
     * answer the request in HTTP/1.1. */
    const char *(*upgrade)(void *ctx, const struct mock_req *r);
};

struct mock_h1 {
    struct mock_io *io;
    const struct mock_h1_ops *ops;
    void *ctx;                  /* for ops */
    struct mock_xfer *x;        /* current exchange */
    struct mock_xfer *switched; /* the request that switched protocols */
    bool keepalive;
    int64_t head_start; /* first byte of a partial head, 0 none */
};

enum { MOCK_H1_SWITCHED = 1 };

void mock_h1_init(struct mock_h1 *h, struct mock_io *io,
                  const struct mock_h1_ops *ops, void *ctx);
/* Parse what io->in holds.  Returns 0 (failures are answered in the
 * output and close the connection), or MOCK_H1_SWITCHED after a 101:
 * the rest of io->in belongs to the new protocol and the request that
 * asked is in h->switched for the owner (mock_h1_take_switched). */
int mock_h1_feed(struct mock_h1 *h, int64_t now);
/* Fill the output up to io->high_water; run timers due at now.  0, -1
 * (out of memory) or MOCK_H1_SWITCHED (as mock_h1_feed, for a request
 * that waited behind others). */
int mock_h1_produce(struct mock_h1 *h, int64_t now);
/* The exchange whose request switched protocols; the caller owns it. */
struct mock_xfer *mock_h1_take_switched(struct mock_h1 *h);
bool mock_h1_idle(const struct mock_h1 *h);
/* Graceful shutdown: no keep-alive; close now when nothing is in flight */
void mock_h1_shutdown(struct mock_h1 *h);
/* Log the open exchange (if any) as `why` and drop it. */
void mock_h1_abort(struct mock_h1 *h, const char *why);

/* ------------------------------------------------------------------ */
/* h2.c: HTTP/2 on a byte side                                        */

struct mock_h2 {
    struct mock_io *io;
    nghttp2_session *s; /* NULL until mock_h2_start */
    enum mock_via via;
    bool goaway_sent;
    uint64_t garbage_pending;
    struct mock_xfer *xfers; /* streams with an exchange */
    /* h2c Upgrade: hold stream 1's response until the client preface
     * arrived (curl 7.88.1 fails when the 101 and more than 32 KiB of
     * frames arrive in one read). */
    bool wait_preface;
    bool settings_unsent; /* our SETTINGS not yet out (put_frames) */
};

/* Start the server session on io (via: how the connection came to
 * HTTP/2).  With `upgraded` (an HTTP/1.1 request that switched with
 * Upgrade: h2c, and its decoded HTTP2-Settings), the request becomes
 * stream 1 and is taken over (*upgraded is left empty).  0 or -1. */
int mock_h2_start(struct mock_h2 *h, struct mock_io *io, enum mock_via via,
                  struct mock_req *upgraded, const uint8_t *settings,
                  size_t slen);
/* Feed what io->in holds to the session.  0 (fatal protocol errors are
 * answered with GOAWAY and close the connection). */
int mock_h2_feed(struct mock_h2 *h, int64_t now);
/* Run timers due at now, fill the output up to io->high_water. 0 or -1 */
int mock_h2_produce(struct mock_h2 *h, int64_t now);
bool mock_h2_idle(const struct mock_h2 *h);
/* Graceful shutdown: GOAWAY with the last stream processed (once). */
void mock_h2_shutdown(struct mock_h2 *h);
/* Log every open exchange as `why` (a stalled one as "stalled"). */
void mock_h2_abort(struct mock_h2 *h, const char *why);
/* Abort "server-closed" and delete the session. */
void mock_h2_free(struct mock_h2 *h);

/* ------------------------------------------------------------------ */
/* conn.c: the I/O-free connection                                    */

enum mock_ckind { MOCK_C_DETECT, MOCK_C_H1, MOCK_C_H2 };

struct mock_conn {
    struct mock_io io; /* the byte side main.c moves */
    enum mock_ckind kind;
    bool h2_alpn;       /* TLS said h2 */
    int64_t head_start; /* first byte of a partial preface */
    struct mock_h1 h1;
    struct mock_h2 h2;
};

/* The output, for main.c and the tests: mock_io_out_* on c->io. */
size_t mock_conn_out_pending(const struct mock_conn *c);
int mock_conn_out_iov(const struct mock_conn *c, struct iovec *iov, int max);
void mock_conn_out_consume(struct mock_conn *c, size_t n);
int mock_conn_out_take(struct mock_conn *c, struct mock_buf *dst, size_t max);

/* Set up an I/O-free connection.  tls/h2_alpn as negotiated.  It gets
 * the next connection id of s (the log's "conn"). */
void mock_conn_init(struct mock_conn *c, struct mock_server *s, bool tls,
                    bool h2_alpn);
/* Bytes from the peer.  Returns 0, or -1 when the connection must die now
 * (protocol error already answered in out where possible). */
int mock_conn_feed(struct mock_conn *c, const uint8_t *p, size_t n,
                   int64_t now);
/* Fill c->io.out up to high_water; run timers due at now.  0 or -1. */
int mock_conn_produce(struct mock_conn *c, int64_t now);
/* The peer closed or the socket failed: log open exchanges as `why`. */
void mock_conn_abort(struct mock_conn *c, const char *why);
/* True when nothing is in flight and the connection may be dropped. */
bool mock_conn_idle(const struct mock_conn *c);
/* True once a graceful shutdown said so on the wire where it can (the
 * GOAWAY of HTTP/2), so an idle connection may close. */
bool mock_conn_told_goaway(const struct mock_conn *c);
/* Begin graceful shutdown (GOAWAY / close when idle). */
void mock_conn_shutdown(struct mock_conn *c);
/* Since when the connection has held its slot without serving (nothing
 * in flight, nothing to send), or -1 while it serves or is closing: the
 * eviction order at the connection cap (M15). */
int64_t mock_conn_idle_since(const struct mock_conn *c);
void mock_conn_free(struct mock_conn *c);

#endif
