/*
 * ref_state.c - the transition table and the state names (ref_state.h).
 * A leaf: it calls nothing of the reference.  The function that applies
 * the table to a job, with the effects of entering a state, is static in
 * the job's owner (ref_job.c).
 */
#include "ref_state.h"

/* spec/behavior.md §2.2; T-numbers refer to its table. */
const struct ref_transition ref_transitions[] = {
    {BG_JOB_STATE_SUSPENDED, BG_JOB_STATE_QUEUED, "T2 Resume with files"},
    {BG_JOB_STATE_QUEUED, BG_JOB_STATE_CONNECTING, "T4 scheduler"},
    {BG_JOB_STATE_QUEUED, BG_JOB_STATE_TRANSFERRING,
     "T4 scheduler (DO mode: no CONNECTING)"},
    {BG_JOB_STATE_CONNECTING, BG_JOB_STATE_TRANSFERRING, "T5 connected"},
    {BG_JOB_STATE_CONNECTING, BG_JOB_STATE_TRANSIENT_ERROR,
     "T6 connection failed"},
    {BG_JOB_STATE_CONNECTING, BG_JOB_STATE_ERROR,
     "T13 fatal error while connecting"},
    {BG_JOB_STATE_TRANSFERRING, BG_JOB_STATE_QUEUED, "T7 time slice over"},
    {BG_JOB_STATE_TRANSFERRING, BG_JOB_STATE_TRANSFERRED,
     "T8 last byte written"},
    {BG_JOB_STATE_TRANSFERRING, BG_JOB_STATE_TRANSIENT_ERROR,
     "T9 recoverable error"},
    {BG_JOB_STATE_TRANSFERRING, BG_JOB_STATE_ERROR, "T10 fatal error"},
    {BG_JOB_STATE_TRANSIENT_ERROR, BG_JOB_STATE_QUEUED,
     "T11 retry delay elapsed"},
    {BG_JOB_STATE_TRANSIENT_ERROR, BG_JOB_STATE_ERROR,
     "T12 no-progress timeout"},
    {BG_JOB_STATE_ERROR, BG_JOB_STATE_QUEUED, "T15/T22 Resume"},
    {BG_JOB_STATE_TRANSIENT_ERROR, BG_JOB_STATE_QUEUED, "T15 Resume"},
    {BG_JOB_STATE_TRANSFERRED, BG_JOB_STATE_QUEUED, "T17 Resume after AddFile"},
    {BG_JOB_STATE_QUEUED, BG_JOB_STATE_SUSPENDED, "T14 Suspend"},
    {BG_JOB_STATE_CONNECTING, BG_JOB_STATE_SUSPENDED, "T14 Suspend"},
    {BG_JOB_STATE_TRANSFERRING, BG_JOB_STATE_SUSPENDED, "T14 Suspend"},
    {BG_JOB_STATE_ERROR, BG_JOB_STATE_SUSPENDED, "T14 Suspend"},
    {BG_JOB_STATE_TRANSIENT_ERROR, BG_JOB_STATE_SUSPENDED, "T14 Suspend"},
    {BG_JOB_STATE_TRANSFERRED, BG_JOB_STATE_SUSPENDED, "T14 Suspend"},
    {BG_JOB_STATE_QUEUED, BG_JOB_STATE_CANCELLED, "T18 Cancel"},
    {BG_JOB_STATE_QUEUED, BG_JOB_STATE_ACKNOWLEDGED, "T19 Complete"},
    {BG_JOB_STATE_CONNECTING, BG_JOB_STATE_CANCELLED, "T18 Cancel"},
    {BG_JOB_STATE_CONNECTING, BG_JOB_STATE_ACKNOWLEDGED, "T19 Complete"},
    {BG_JOB_STATE_TRANSFERRING, BG_JOB_STATE_CANCELLED, "T18 Cancel"},
    {BG_JOB_STATE_TRANSFERRING, BG_JOB_STATE_ACKNOWLEDGED, "T19 Complete"},
    {BG_JOB_STATE_SUSPENDED, BG_JOB_STATE_CANCELLED, "T18 Cancel"},
    {BG_JOB_STATE_SUSPENDED, BG_JOB_STATE_ACKNOWLEDGED, "T19 Complete"},
    {BG_JOB_STATE_ERROR, BG_JOB_STATE_CANCELLED, "T18 Cancel"},
    {BG_JOB_STATE_ERROR, BG_JOB_STATE_ACKNOWLEDGED, "T19 Complete"},
    {BG_JOB_STATE_TRANSIENT_ERROR, BG_JOB_STATE_CANCELLED, "T18 Cancel"},
    {BG_JOB_STATE_TRANSIENT_ERROR, BG_JOB_STATE_ACKNOWLEDGED, "T19 Complete"},
    {BG_JOB_STATE_TRANSFERRED, BG_JOB_STATE_CANCELLED, "T18 Cancel"},
    {BG_JOB_STATE_TRANSFERRED, BG_JOB_STATE_ACKNOWLEDGED, "T19 Complete"},
};

const unsigned ref_transition_count =
    sizeof ref_transitions / sizeof ref_transitions[0];

static const char *const state_names[REF_STATE_COUNT] = {
#define STATE_NAME(c, n) [c] = n,
    REF_STATES(STATE_NAME)
#undef STATE_NAME
};

const char *ref_state_name(int state)
{
    if (state < 0 || state >= REF_STATE_COUNT)
        return "?";
    return state_names[state];
}

int ref_state_is_final(int state)
{
    return state == BG_JOB_STATE_ACKNOWLEDGED ||
           state == BG_JOB_STATE_CANCELLED;
}

int ref_state_allowed(int from, int to)
{
    for (unsigned i = 0; i < ref_transition_count; i++)
        if ((int)ref_transitions[i].from == from &&
            (int)ref_transitions[i].to == to)
            return 1;
    return 0;
}
