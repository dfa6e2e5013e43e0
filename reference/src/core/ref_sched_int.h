/*
 * ref_sched_int.h - what the scheduler (ref_sched.c) shares with the
 * upload runner (ref_upsched.c) and nothing else: the request a job has
 * in flight, the scheduler's submit with the job's transfer settings, its
 * failure path and its release of a request.  Job lock held wherever a
 * name ends in _locked.
 */
#ifndef REF_SCHED_INT_H
#define REF_SCHED_INT_H

#include "ref_engine.h"
#include "ref_private.h"

struct ref_upjob;

struct ref_xreq {
    struct job *job;      /* one reference */
    uint64_t id;          /* engine request id */
    ULONG file;           /* file index in flight */
    int fg;               /* counted as a FOREGROUND slot */
    struct ref_upjob *up; /* an upload job's run, or NULL */
};

/* What an upload's request is: a packet (method set) or the reply's
 * download (temp_path set). */
struct ref_sched_sub {
    const char *url;
    const char *temp_path; /* reply download target */
    uint64_t resume;       /* its valid bytes */
    const char *method;    /* packet: BITS_POST */
    const char *bits_headers;
    const char *body_path;
    uint64_t body_offset, body_length;
    const struct ref_xfer_ops *ops;
};

/* Submits sub with the job's credentials, proxy, custom headers (before
 * the packet's own), TLS flags and priority; *id receives the engine id.
 * 0, or -1 out of memory. */
int ref_sched_submit_locked(struct job *job, const struct ref_sched_sub *sub,
                            void *ctx, uint64_t *id);
/* The attempt failed: TRANSIENT_ERROR with a retry, or ERROR (the
 * scheduler's rule for downloads, NoProgressTimeout included). */
void ref_sched_fail_locked(struct job *job, BG_ERROR_CONTEXT ctx, HRESULT code,
                           long file, int transient);
/* Gives back a request's slot and job reference (and its upload run). */
void ref_sched_xreq_free(struct ref_xreq *x);

/* ref_upsched.c, for submit: the job's custom headers (custom, owned,
 * may be NULL) followed by the packet's into *out (custom freed when
 * replaced); false out of memory.  Then the request's own fields. */
bool ref_upsched_sub_headers(const struct ref_sched_sub *sub, char *custom,
                             char **out);
void ref_upsched_sub_apply(const struct ref_sched_sub *sub,
                           struct ref_request *req);

/* What the upload runner uses of the scheduler, registered by the core's
 * wiring (ref_core.c) so that ref_upsched.c calls into ref_sched.c only
 * through it (no call circle: docs/architecture.md "Layers"). */
struct ref_sched_for_uploads {
    int (*submit_locked)(struct job *job, const struct ref_sched_sub *sub,
                         void *ctx, uint64_t *id);
    void (*fail_locked)(struct job *job, BG_ERROR_CONTEXT ctx, HRESULT code,
                        long file, int transient);
    void (*xreq_free)(struct ref_xreq *x);
    struct ref_xreq *(*detach_locked)(struct job *job);
    void (*wake)(void); /* the scheduler looks at its deadlines again */
};
void ref_upsched_use_sched(const struct ref_sched_for_uploads *sched);

/* ref_upsched.c: job lock held, x attached as job->run.xreq and the job
 * started: runs the upload.  False when it ended at once (x detached:
 * the caller frees it). */
bool ref_upsched_begin_locked(struct job *job, struct ref_xreq *x);
/* Frees an upload run; NULL is a no-op. */
void ref_upsched_free(struct ref_upjob *up);
/* ref_upsched.c, for the scheduler's scan (no lock held): sends the
 * cancelled jobs' Cancel-Session resends that are due at `now` (scaled
 * mono ms) and returns the next one's time, UINT64_MAX for none (UP12). */
uint64_t ref_upsched_cancels_due(uint64_t now);

#endif
