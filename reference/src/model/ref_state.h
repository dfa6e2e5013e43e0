/*
 * ref_state.h - job states and the legal transitions between them: a
 * leaf module (ref_state.c) that imports nothing of the reference.
 *
 * The state names come from one X-macro list; the legal transitions are
 * one static const table (spec/behavior.md §2.2) that docs/reference.md
 * renders and the tests iterate.  The only function that changes a job's
 * state is transition(), static in the job's owner (ref_job.c), which
 * checks every move against this table.
 */
#ifndef REF_STATE_H
#define REF_STATE_H

#include <bits.h>

/* X(state constant, short name) in BG_JOB_STATE order. */
#define REF_STATES(X)                                                          \
    X(BG_JOB_STATE_QUEUED, "QUEUED")                                           \
    X(BG_JOB_STATE_CONNECTING, "CONNECTING")                                   \
    X(BG_JOB_STATE_TRANSFERRING, "TRANSFERRING")                               \
    X(BG_JOB_STATE_SUSPENDED, "SUSPENDED")                                     \
    X(BG_JOB_STATE_ERROR, "ERROR")                                             \
    X(BG_JOB_STATE_TRANSIENT_ERROR, "TRANSIENT_ERROR")                         \
    X(BG_JOB_STATE_TRANSFERRED, "TRANSFERRED")                                 \
    X(BG_JOB_STATE_ACKNOWLEDGED, "ACKNOWLEDGED")                               \
    X(BG_JOB_STATE_CANCELLED, "CANCELLED")

#define REF_STATE_COUNT 9

/* One legal transition: from, to, what causes it (spec row id + trigger). */
struct ref_transition {
    BG_JOB_STATE from;
    BG_JOB_STATE to;
    const char *trigger;
};

extern const struct ref_transition ref_transitions[];
extern const unsigned ref_transition_count;

/* "QUEUED" ...; "?" for a value outside the enum. */
const char *ref_state_name(int state);
/* Non-zero for ACKNOWLEDGED and CANCELLED. */
int ref_state_is_final(int state);
/* Non-zero when the table allows from -> to. */
int ref_state_allowed(int from, int to);

#endif
