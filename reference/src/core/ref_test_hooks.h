/*
 * ref_test_hooks.h - the reference's test-only entry points, in one place.
 *
 * Only the unit tests (reference/tests, linking libdoref.a) call these;
 * the library never does, and libdoref.so exports none of them (its
 * version script keeps DllGetClassObject and DllCanUnloadNow only).  Each
 * is defined beside the statics it reaches, under a "Test hooks" banner
 * at the end of its file.  Layer core.
 */
#ifndef REF_TEST_HOOKS_H
#define REF_TEST_HOOKS_H

/* The job is opaque here, so the hooks' header does not import the file
 * that defines them (no include circle with ref_job). */
#include "ref_util.h"

struct job;

/* ref_job.c: asks the owner's transition function, with the job's lock
 * taken and the effects released after it, to move the job from `from`
 * to `to`: 1 when the job was in `from`, the table allows the move and
 * the job is now in `to`; 0 otherwise (state untouched).  The state
 * table test iterates every pair through it. */
int ref_job_test_transition(struct job *job, BG_JOB_STATE from,
                            BG_JOB_STATE to);

/* ref_job.c: records progress of one file: its size (BG_SIZE_UNKNOWN if
 * unknown) and the bytes written; the file counts as transferred when
 * every requested byte is written.  E_INVALIDARG for a bad index. */
HRESULT ref_job_set_file_progress(struct job *job, ULONG index, UINT64 size,
                                  UINT64 transferred);

/* ref_sched.c: while on (or while the environment has
 * DOREF_SCHED_HOLD=1) the scheduler starts no job and runs no timer, so
 * a Resume'd job stays QUEUED as the object-model tests expect.
 * Transfers already running continue. */
void ref_sched_hold(int on);

/* ref_notify.c: points of a delivery where the notification thread can
 * be held, so a test can run SetNotifyInterface (or Cancel) against a
 * delivery caught at that point (I27). */
enum ref_notify_stop {
    REF_NOTIFY_STOP_NONE,
    REF_NOTIFY_STOP_PICKED,  /* event taken, registration not read yet */
    REF_NOTIFY_STOP_CALLING, /* registration read, client not called yet */
};
/* Arms `at`: the next delivery that reaches it waits there until
 * ref_notify_test_go().  REF_NOTIFY_STOP_NONE disarms. */
void ref_notify_test_stop(enum ref_notify_stop at);
/* Waits up to timeout_ms (real time) until the thread is held at the
 * armed point: 1 if it is, 0 on timeout. */
int ref_notify_test_held(unsigned timeout_ms);
/* Lets a held delivery go on and disarms. */
void ref_notify_test_go(void);
/* Threads waiting in SetNotifyInterface for a running callback. */
int ref_notify_test_waiters(void);

/* ref_upsched.c: cancelled upload jobs whose Cancel-Session waits for its
 * next resend (UP12). */
unsigned ref_upsched_test_cancels_waiting(void);
/* Drops every waiting resend and keeps those in flight from being
 * rescheduled, so a test's pending Cancel-Session cannot reach a later
 * test's server on a reused port. */
void ref_upsched_test_cancels_forget(void);

#endif
