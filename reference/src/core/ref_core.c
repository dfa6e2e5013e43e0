/*
 * ref_core.c - wires the core layer (docs/architecture.md "Layers"): the
 * job owner (ref_job.c) sits at the bottom of core and sets off the
 * scheduler, the notifier and the queue through a table of theirs (and the
 * upload runner sees the scheduler through another), which
 * this file alone assembles and registers.  Whoever may make or restore
 * the first job (com's ref_job_create, persistence's start) calls
 * ref_core_start first; calling it again changes nothing.
 */
#include "ref_job.h"
#include "ref_sched_int.h"

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
    .cancelled = ref_upsched_cancel_session,
};

/* The scheduler as the upload runner sees it (ref_sched_int.h). */
static const struct ref_sched_for_uploads sched_for_uploads = {
    .submit_locked = ref_sched_submit_locked,
    .fail_locked = ref_sched_fail_locked,
    .xreq_free = ref_sched_xreq_free,
    .detach_locked = ref_sched_detach_locked,
    .wake = ref_sched_poke,
};

void ref_core_start(void)
{
    ref_upsched_use_sched(&sched_for_uploads);
    ref_job_use_services(&services);
}
