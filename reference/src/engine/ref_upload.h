/*
 * ref_upload.h - the I/O-free client core of the BITS Upload Protocol.
 *
 * One "session" value knows what an upload job needs from the server: the
 * file's size, whether a reply is wanted (upload-reply), the session id
 * and the offset the server acknowledged (both restored from the store
 * after a restart), the fragment size in force and where the protocol
 * stands.  ref_up_next() says what to do next (send a packet, fetch the
 * reply, stop): Create-Session, then a Ping to the server's BITS-Host-Id
 * when its Ack named one (MC-BUP §3.1.5.1.2), the Fragments, the reply of
 * an upload-reply job, Close-Session, or Cancel-Session when the job is
 * cancelled; ref_up_headers() renders that packet's BITS headers;
 * ref_up_judge() reads the Ack's header block and moves the session on,
 * or says why the job fails: {HRESULT, context, transient or fatal}.  It
 * does no I/O and knows nothing of libcurl or of jobs: the scheduler
 * carries the packets through the engine, and the unit tests drive it with
 * scripted Acks (reference/tests/engine/test_upload.c).  The rules and the
 * points the sources leave open are decisions UP1-UP18 of docs/decisions.md.
 */
#ifndef REF_UPLOAD_H
#define REF_UPLOAD_H

#include <bits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The only protocol ever defined, "BITS 1.5 Upload Protocol". */
#define REF_UP_PROTOCOL "{7df0354d-249b-430f-820d-3d2a9bef4931}"
/* BITS-Session-Id: "any HTTP-legal string up to 100 characters". */
#define REF_UP_SESSION_MAX 100
/* Longest BITS-Reply-URL taken (the remote-name limit, decision R12). */
#define REF_UP_URL_MAX 2200
/* Longest BITS-Host-Id taken (a DNS name is at most 253). */
#define REF_UP_HOST_MAX 253
/* Fragment sizes (decision UP2): the first size tried, and the floor a
 * 413 may shrink it to; a 413 on a fragment at the floor fails. */
#define REF_UP_FRAGMENT_DEFAULT (4u << 20)
#define REF_UP_FRAGMENT_MIN 4096u
/* Close-Session / Cancel-Session sent at most this often per attempt
 * while the server answers 5xx (decision UP4). */
#define REF_UP_END_TRIES 3u
/* BITS-Host-Id-Fallback-Timeout when the Ack gave none: never fall back
 * (spec fact 16, decision UP17). */
#define REF_UP_NO_FALLBACK UINT32_MAX
/* Create-Session restarts after BG_E_SESSION_NOT_FOUND in one attempt
 * without the server acknowledging a byte (decision UP3). */
#define REF_UP_RESTARTS 3u

enum ref_up_packet {
    REF_UP_NONE = 0,
    REF_UP_CREATE,   /* Create-Session */
    REF_UP_FRAGMENT, /* Fragment */
    REF_UP_CLOSE,    /* Close-Session */
    REF_UP_CANCEL,   /* Cancel-Session */
    REF_UP_PING,     /* Ping, to the BITS-Host-Id server (UP18) */
};

/* What the caller does next. */
enum ref_up_action {
    REF_UP_SEND,      /* send the packet ref_up_next described */
    REF_UP_GET_REPLY, /* download reply_url, then ref_up_reply_done() */
    REF_UP_DONE,      /* the session is over: the job is transferred
                         (or, when cancelling, the server was told) */
    REF_UP_FAIL,      /* stop; the error says how the job fails */
};

/* Why a job fails. */
struct ref_up_error {
    HRESULT hr;
    BG_ERROR_CONTEXT context;
    bool transient; /* TRANSIENT_ERROR (retried) or ERROR */
    long status;    /* HTTP status of the Ack, 0 when none */
};

/* One packet to send: the method is always BITS_POST to the remote URL
 * (decision UP1); a Fragment's body is [first, first + length) of the
 * local file. */
struct ref_up_packet_desc {
    enum ref_up_packet type;
    uint64_t first, length; /* Fragment only */
};

struct ref_up_session {
    uint64_t size;   /* the local file's size when the job began */
    bool reply;      /* upload-reply job */
    bool cancelling; /* the job is being cancelled: Cancel-Session */
    char id[REF_UP_SESSION_MAX + 1]; /* "" = no session */
    uint64_t acked;    /* BITS-Received-Content-Range last taken */
    uint64_t fragment; /* fragment size in force */
    bool named;        /* Content-Name went out in this session */
    bool uploaded;     /* the Ack of the final byte came */
    bool reply_fetched;
    bool closed; /* Close/Cancel acknowledged (or needless) */
    bool ping;   /* a Ping to the BITS-Host-Id server is due: this
                    attempt's Create-Session Ack named it (UP18) */
    char reply_url[REF_UP_URL_MAX + 1];
    char host_id[REF_UP_HOST_MAX + 1]; /* BITS-Host-Id, "" = none */
    uint32_t host_fallback;   /* its fallback timeout in s, or NO_FALLBACK */
    uint64_t host_down_since; /* when it was first unreachable (the
                                 caller's seconds), 0 = reachable */
    struct ref_up_packet_desc sent; /* the packet in flight */
    unsigned end_tries, restarts;
    struct ref_up_error error; /* valid after REF_UP_FAIL */
};

/*
 * Starts or resumes a session.  session_id/acked: what the store kept
 * (NULL or "" and 0 for a fresh upload); reply_done: the reply was already
 * fetched (only meaningful with an id and acked == size).  A stored offset
 * past the size is dropped with the session (the file was changed, which
 * the caller checks first).
 */
void ref_up_init(struct ref_up_session *s, uint64_t size, bool reply,
                 const char *session_id, uint64_t acked, bool reply_done);

/*
 * Restores the stored BITS-Host-Id of a restored session (decision UP17):
 * host "" or NULL, or no session, keeps the remote name's host.
 */
void ref_up_restore_host(struct ref_up_session *s, const char *host,
                         uint32_t fallback, uint64_t down_since);

/*
 * The BITS-Host-Id server could not be reached at `now` (the caller's
 * clock in seconds, never 0).  Starts the fallback timer when it is not
 * running; once it ran BITS-Host-Id-Fallback-Timeout seconds the Host-Id
 * is dropped and later packets go to the remote name's host again, in the
 * same session (MC-BUP §3.1.5.1.7, §2.2.6), with no Ping: the host it
 * was for is gone (UP18).  Returns true when it fell back.  Any Ack
 * judged resets the timer.
 */
bool ref_up_host_unreachable(struct ref_up_session *s, uint64_t now);

/* The job is being cancelled: from now on the only packet is
 * Cancel-Session, and only when a session exists. */
void ref_up_cancel(struct ref_up_session *s);

/* A new attempt (after a transient error): the per-attempt counters
 * start again; session, offset and fragment size stay.  A Ping still due
 * is dropped: the next attempt, like a session restored from the store,
 * goes on with its Fragment (decision UP18). */
void ref_up_retry(struct ref_up_session *s);

/* What to do next; *pkt is filled for REF_UP_SEND. */
enum ref_up_action ref_up_next(struct ref_up_session *s,
                               struct ref_up_packet_desc *pkt);

/*
 * Renders the BITS header lines of the packet ref_up_next() returned, as
 * "Name: value" lines separated by "\r\n" (no trailing CRLF), for the
 * engine's custom headers.  content_name: the local file's base name
 * (sent with the first Fragment of a session).  Returns the length, or
 * -1 when buf is too small.
 */
int ref_up_headers(const struct ref_up_session *s, const char *content_name,
                   char *buf, size_t buflen);

/*
 * Judges the Ack of the packet in flight from its status and raw header
 * block (lines as libcurl gives them; only the last block counts).  Moves
 * the session on and returns what ref_up_next() would; REF_UP_FAIL with
 * s->error set when the job must stop.
 */
enum ref_up_action ref_up_judge(struct ref_up_session *s, long status,
                                const char *headers);

/*
 * The URL the session's packets go to: the remote name, or with the host
 * replaced by the server's BITS-Host-Id (scheme, port and path kept;
 * decision UP17).  Returns the length, or -1 when out is too small or
 * remote has no "scheme://host".
 */
int ref_up_url(const struct ref_up_session *s, const char *remote, char *out,
               size_t outlen);

/* The reply was downloaded whole. */
void ref_up_reply_done(struct ref_up_session *s);

/* Name of a packet type as it goes on the wire ("Fragment"), or "?". */
const char *ref_up_packet_name(enum ref_up_packet t);

/*
 * Classifies a back-end application's HTTP status (context 0x7) as
 * transient or fatal, after W:handling-server-application-errors: 3xx
 * transient except 300-305 and 307; 4xx fatal except 408 and 409; 5xx
 * transient except 501 and 505; anything else transient.
 */
bool ref_up_backend_transient(long status);

#endif
