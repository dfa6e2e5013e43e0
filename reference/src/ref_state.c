/*
 * ref_state.c - the transition table and the one state-changing function
 * (ref_state.h).  Side effects of entering a state (queue removal, error
 * bookkeeping) belong to the callers; this file guards and records the
 * change itself and queues the notification it implies (ref_notify.c
 * delivers it later, on its own thread).
 */
#include "ref_private.h"
#include "ref_persist.h"

#include <stdio.h>
#include <stdlib.h>

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

int ref_job_transition(struct job *job, BG_JOB_STATE from, BG_JOB_STATE to)
{
    int expected = (int)from;
    if (!ref_state_allowed(from, to))
        return 0;
    if (!__atomic_compare_exchange_n(&job->state, &expected, (int)to, 0,
                                     __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        return 0;
    __atomic_store_n(&job->modified, ref_clock_now_ticks(), __ATOMIC_RELEASE);
    if (to == BG_JOB_STATE_TRANSFERRED)
        __atomic_store_n(&job->transfer_completed,
                         __atomic_load_n(&job->modified, __ATOMIC_ACQUIRE),
                         __ATOMIC_RELEASE);
    ref_persist_transition(job, (int)from, (int)to); /* the job store */
    ref_notify_state(job, (int)from, (int)to);       /* callbacks, later */
    if (getenv("DOREF_LOG")) {
        char id[40];
        snprintf(id, sizeof id, "%08X", (unsigned)job->id.Data1);
        fprintf(stderr, "doref: job %s %s -> %s\n", id, ref_state_name(from),
                ref_state_name(to));
    }
    return 1;
}
