/*
 * ref_core.c - wires the core layer (docs/architecture.md "Layers"): the
 * job owner (ref_job.c) sits at the bottom of core and sets off the
 * scheduler, the notifier and the queue through a table of theirs, which
 * this file alone assembles and registers.  Whoever may make or restore
 * the first job (com's ref_job_create, persistence's start) calls
 * ref_core_start first; calling it again changes nothing.
 */
#include "ref_job.h"

static const struct ref_job_services services = {
    .rec_free = ref_sched_rec_free,
    .detach_locked = ref_sched_detach_locked,
    .cancel = ref_sched_cancel,
    .kick = ref_sched_kick,
    .resumed_locked = ref_sched_resumed_locked,
    .state = ref_notify_state,
    .post = ref_notify_post,
    .quiesce = ref_notify_quiesce,
    .leave_queue = ref_queue_remove,
};

void ref_core_start(void)
{
    ref_job_use_services(&services);
}
