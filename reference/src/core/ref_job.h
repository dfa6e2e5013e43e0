/*
 * ref_job.h - the owner of a BITS job's life (ref_job.c): the one place
 * that changes a job's state, its modification time and its error
 * bookkeeping, and the one place that runs the effects of entering a
 * state.  The COM face (job.c, file.c), the scheduler (ref_sched.c), the
 * queue (ref_queue.c) and persistence (ref_persist.c) ask for a change
 * through the named requests below; none of them writes `state`,
 * `modified`, `transfer_completed` or `error` itself.
 *
 * The state machine (table and names) is the leaf module ref_state.h;
 * the transition function that applies it is static in ref_job.c, in the
 * shape of the DO download's transition() (do_download.c).
 *
 * Persistence observes the owner (ref_job_observe): it is told of every
 * state change and is asked to commit a method's change before the
 * method's effects leave the job (ref_job_commit_locked).  Layer core, at
 * its bottom: the scheduler, notifier and queue (ref_job_services) and the
 * COM faces (ref_job_faces) are tables registered with it.
 */
#ifndef REF_JOB_H
#define REF_JOB_H

#include "ref_private.h"

/* ---- effects released after the job's lock ------------------------------ */

/*
 * What a change leaves to do once the job's lock is released: a transfer
 * to stop, temporary files to delete, the final-state sequence (no
 * callback after return, notify interface dropped, queue entry removed)
 * and a scheduler wake-up.  Zero it before the first request; pass it to
 * ref_job_release_effects after unlocking.
 */
struct ref_job_effects {
    struct ref_xreq *stop; /* transfer taken from the engine, or NULL */
    char **unlink;         /* UTF-8 paths to delete (ref_alloc'd), or NULL */
    ULONG nunlink;
    int final;         /* the job became ACKNOWLEDGED or CANCELLED */
    int kick;          /* the scheduler has something to start */
    int unlink_failed; /* out: a path could not be deleted */
};

/* No lock held: stops the transfer, deletes the paths (a missing file is
 * fine; anything else sets unlink_failed), runs the final-state sequence
 * when the job became final (ref_notify_quiesce, the notify interface
 * dropped, ref_queue_remove) and wakes the scheduler.  Frees the paths. */
void ref_job_release_effects(struct job *job, struct ref_job_effects *fx);

/* ---- requests of the COM face (job lock held) --------------------------- */

/* Creates a job in SUSPENDED (T1) with the property defaults; the caller
 * (job.c) sets the interface tables.  E_OUTOFMEMORY. */
HRESULT ref_job_new(enum ref_mode mode, const WCHAR *display_name,
                    BG_JOB_TYPE type, const WCHAR *owner, struct job **out);
/* Frees a job whose last reference went (ref_job_release). */
void ref_job_destroy(struct job *job);
/* Frees a file record (also the private jobs persistence builds). */
void ref_job_rec_free(struct file_rec *rec);
/* Bytes a file will transfer: its size, or the sum of its ranges;
 * BG_SIZE_UNKNOWN while that is not known. */
UINT64 ref_file_total(const struct file_rec *rec);

/* A property or the file list changed: stamps the modification time and
 * queues JobModification (I14). */
void ref_job_touch_locked(struct job *job);
/* Stamps the modification time only (transfer progress, a file-level
 * setter): no JobModification of its own. */
void ref_job_stamp_locked(struct job *job);

/* Suspend (T14): the job leaves any non-final state for SUSPENDED, its
 * transfer is stopped (fx->stop).  The record is committed first: S_OK
 * (also when the job already was SUSPENDED or final), or the store's
 * HRESULT with the job untouched. */
HRESULT ref_job_suspend_locked(struct job *job, struct ref_job_effects *fx);
/* Resume (T2, T15, T17): SUSPENDED, ERROR, TRANSIENT_ERROR or
 * TRANSFERRED to QUEUED; the per-run timers restart and the job joins the
 * end of the queue (fx->kick); a job already on its way (T16) stays.  The
 * record (state, resumed_once) is committed first: S_OK, or the store's
 * HRESULT with the job untouched. */
HRESULT ref_job_resume_locked(struct job *job, struct ref_job_effects *fx);
/* Cancel (T18) or Complete (T19): `to` is CANCELLED or ACKNOWLEDGED; the
 * job leaves whatever non-final state it is in and fx carries the
 * final-state sequence.  0 when it already was final. */
int ref_job_finish_locked(struct job *job, BG_JOB_STATE to,
                          struct ref_job_effects *fx);

/* ---- requests of the scheduler (job lock held) -------------------------- */

/* T4: QUEUED to CONNECTING (BITS) or TRANSFERRING (DO, D14). */
int ref_job_started_locked(struct job *job);
/* T5: the first response arrived (CONNECTING to TRANSFERRING). */
int ref_job_connected_locked(struct job *job);
/* T8: every file is transferred (through CONNECTING/TRANSFERRING when the
 * job had not got there yet). */
int ref_job_transfer_finished_locked(struct job *job);
/*
 * The job entered an error (T6, T9, T10, T12, T13, a blocked cost): the
 * error {context, code, file index or -1} is recorded for GetError (and,
 * when `count`, for GetErrorCount: cost blocks are not counted, spec
 * §3.7), then the job moves to `to` (ERROR or TRANSIENT_ERROR) through
 * the legal path.  1 when it moved.  E_INVALIDARG-free: the caller passes
 * a file index of the job.
 */
int ref_job_error_locked(struct job *job, BG_ERROR_CONTEXT ctx, HRESULT code,
                         long file, int count, BG_JOB_STATE to);
/* T11: the retry delay elapsed (or the cost allows a transfer again):
 * TRANSIENT_ERROR to QUEUED.  1 when it moved. */
int ref_job_retry_locked(struct job *job);
/* T12: NoProgressTimeout ran out: TRANSIENT_ERROR to ERROR (the error of
 * the last attempt stays). */
int ref_job_gave_up_locked(struct job *job);

/* The engine learnt a file's size or validators or finished it: the
 * observer writes that file's row later (S9). */
void ref_job_file_changed_locked(struct job *job, ULONG index);

/* ---- requests of persistence (job lock held unless said) ---------------- */

/* A job read back from the store, not yet published: its stored state
 * (loaded_state already applied), times and error. */
void ref_job_restore(struct job *job, int state, uint64_t created,
                     uint64_t modified, uint64_t transfer_completed);
/* Another process committed a change of the job (watch thread merge):
 * `dst` (live, locked) takes the properties of `src` (a private job read
 * back from the store; it gets the old values and frees them with
 * itself) through the property table, its credentials and its file
 * list; `engine` (this process does not run the job): also what the
 * runner's engine changed (error, error count, transfer time, the files'
 * progress and validators). */
void ref_job_adopt_locked(struct job *dst, struct job *src, int engine);
/* Another process changed the job to `state` (watch thread merge): the
 * owner moves it there with that state's entry effects; a state it cannot
 * reach (a final one, or an active one while this job runs) is left.
 * No lock held. */
void ref_job_external_state(struct job *job, int state);
/* Another process removed the job (Cancel or Complete there): it becomes
 * CANCELLED here with the final-state sequence.  No lock held. */
void ref_job_external_removal(struct job *job);

/* ---- changes of a job's properties (job lock held) ---------------------- */

/*
 * One staged change of a field of the job: `value` holds the new value
 * (of the field's type); the owner swaps it in for the commit, so after
 * the call `value` holds the value that lost (the old one when the change
 * was made, the new one when the store refused it) and `drop`, when not
 * NULL, frees it.
 */
struct ref_job_edit {
    void *field;
    void *value;
    size_t size;
    void (*drop)(void *value);
};
/* The sizes of field and value must agree (checked when compiled). */
#define REF_EDIT_SIZE(field, value)                                            \
    (sizeof *(field) +                                                         \
     0 * sizeof(char[1 - 2 * (sizeof *(field) != sizeof *(value))]))
#define REF_EDIT(field, value, drop)                                           \
    {                                                                          \
        (field), (value), REF_EDIT_SIZE(field, value), (drop)                  \
    }
/* `drop` for a WCHAR * field (ref_free). */
void ref_job_drop_str(void *value);
/* `drop` for a struct ref_cred (its user and password). */
void ref_job_drop_cred(void *value);
/*
 * Makes a method's change: the job with the edits applied is committed
 * (the observer writes it, synced) before anything of the change leaves
 * the job; then the modification time is stamped and JobModification
 * queued (I14).  S_OK, or the store's HRESULT (docs/store.md S14) with
 * the job exactly as it was (no field, no time, no event).  Without a
 * store the commit is S_OK.
 */
HRESULT ref_job_change_locked(struct job *job, struct ref_job_edit *e,
                              size_t n);
/* A method that succeeded without changing anything is still written as
 * made (S_OK, or the store's HRESULT); no time, no event. */
HRESULT ref_job_commit_locked(struct job *job);

/* ---- the observer ------------------------------------------------------- */

/*
 * Persistence (ref_persist.c) registers itself once.  `state` is called
 * by the transition function for every state change (job lock held);
 * `file` hears that the engine changed a file's row (size, validators,
 * done; S9) and writes it later;
 * `commit` writes the job as it is now, with `state` (-1: the current
 * one) and `modified` (0: the current one) as the change will leave
 * them, synced, and returns S_OK or the store's HRESULT; it changes
 * nothing of the job but the store's bookkeeping of a successful write.
 */
struct ref_job_observer {
    void (*state)(struct job *job, int from, int to);
    HRESULT (*commit)(struct job *job, int state, uint64_t modified);
    void (*file)(struct job *job, ULONG index);
};
void ref_job_observe(const struct ref_job_observer *ops);

/*
 * What a job's life sets off in the rest of core: the scheduler (a file
 * record's transfer fields, the transfer taken back or stopped, a wake-up,
 * a Resume's timers), the notifier (a state change, JobModification, the
 * quiesce of a final state) and the queue (a final job leaves it).
 * ref_core.c registers its static const table (ref_core_start) before the
 * first job exists; the owner calls through it, so ref_job.c imports none
 * of those modules and they may call its requests without a circle.
 */
struct ref_job_services {
    void (*rec_free)(struct file_rec *rec);
    struct ref_xreq *(*detach_locked)(struct job *job);
    void (*cancel)(struct job *job, struct ref_xreq *x);
    void (*kick)(void);
    void (*resumed_locked)(struct job *job);
    void (*state)(struct job *job, int from, int to);
    void (*post)(struct job *job, enum ref_notify_kind kind, long file);
    void (*quiesce)(struct job *job);
    void (*leave_queue)(struct job *job);
    void (*cancelled)(struct job *job); /* an upload's Cancel-Session */
};
void ref_job_use_services(const struct ref_job_services *services);

/*
 * The job's COM faces: `dress` sets the interface tables of a new job.
 * com's job.c registers its static const table (ref_com_start) before the
 * first job is made or restored, so ref_job_new hands out a whole COM
 * object and persistence restores jobs without importing com.
 */
struct ref_job_faces {
    void (*dress)(struct job *job);
};
void ref_job_use_faces(const struct ref_job_faces *faces);

#endif
