/*
 * ref_test_hooks.h - the reference's test-only entry points, in one place.
 *
 * Only the unit tests (reference/tests, linking libdoref.a) call these;
 * the library never does, and libdoref.so exports none of them (its
 * version script keeps DllGetClassObject and DllCanUnloadNow only).  Each
 * is defined beside the statics it reaches, under a "Test hooks" banner
 * at the end of its file.
 */
#ifndef REF_TEST_HOOKS_H
#define REF_TEST_HOOKS_H

#include "ref_job.h"

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

#endif
