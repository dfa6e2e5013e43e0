/*
 * ref_queue.c - the job queues, one per mode (docs/decisions.md R7, R8).
 *
 * Owns the list of non-final jobs of each mode and the reference the queue
 * holds on each: a job lives while it is queued even when no client holds
 * a pointer, and leaves the queue when it becomes final.  The job limits
 * per user and per machine are enforced here, at insertion.
 */
#include "ref_private.h"

#include <string.h>

struct queue {
    pthread_mutex_t lock;
    struct job **jobs;
    ULONG n, cap;
};

static struct queue queues[REF_MODE_COUNT] = {
    {PTHREAD_MUTEX_INITIALIZER, NULL, 0, 0},
    {PTHREAD_MUTEX_INITIALIZER, NULL, 0, 0},
};

/* Whether `job` belongs to `sid`; the owner may change under the job's
 * lock (TakeOwnership), taken here after the queue lock (lock order). */
static int owned_by(struct job *job, const WCHAR *sid)
{
    int mine;
    pthread_mutex_lock(&job->lock);
    mine = !ref_wcscmp(job->owner, sid);
    pthread_mutex_unlock(&job->lock);
    return mine;
}

HRESULT ref_queue_add(struct job *job)
{
    struct queue *q = &queues[job->mode];
    HRESULT hr = S_OK;
    ULONG mine = 0;
    pthread_mutex_lock(&q->lock);
    if (!ref_owner_is_admin()) {
        for (ULONG i = 0; i < q->n; i++)
            if (owned_by(q->jobs[i], job->owner))
                mine++;
        if (q->n >= ref_policy(REF_POLICY_MAX_JOBS_PER_MACHINE)) {
            hr = BG_E_TOO_MANY_JOBS_PER_MACHINE;
            goto out;
        }
        if (mine >= ref_policy(REF_POLICY_MAX_JOBS_PER_USER)) {
            hr = BG_E_TOO_MANY_JOBS_PER_USER;
            goto out;
        }
    }
    if (q->n == q->cap) {
        ULONG cap = q->cap ? q->cap * 2 : 16;
        struct job **grown = ref_realloc(q->jobs, cap * sizeof *grown);
        if (!grown) {
            hr = E_OUTOFMEMORY;
            goto out;
        }
        q->jobs = grown;
        q->cap = cap;
    }
    ref_job_addref(job);
    q->jobs[q->n++] = job;
out:
    pthread_mutex_unlock(&q->lock);
    return hr;
}

void ref_queue_remove(struct job *job)
{
    struct queue *q = &queues[job->mode];
    int found = 0;
    pthread_mutex_lock(&q->lock);
    for (ULONG i = 0; i < q->n; i++)
        if (q->jobs[i] == job) {
            memmove(&q->jobs[i], &q->jobs[i + 1],
                    (q->n - i - 1) * sizeof q->jobs[0]);
            q->n--;
            found = 1;
            break;
        }
    pthread_mutex_unlock(&q->lock);
    if (found)
        ref_job_release(job);
}

HRESULT ref_queue_find(enum ref_mode mode, const GUID *id, struct job **out)
{
    struct queue *q = &queues[mode];
    WCHAR me[REF_SID_MAX];
    HRESULT hr = ref_hr(mode, BG_E_NOT_FOUND);
    *out = NULL;
    ref_owner_current(me);
    pthread_mutex_lock(&q->lock);
    for (ULONG i = 0; i < q->n; i++) {
        struct job *job = q->jobs[i];
        if (memcmp(&job->id, id, sizeof *id) != 0 ||
            ref_state_is_final(ref_job_state(job)))
            continue;
        if (!owned_by(job, me) && !ref_owner_is_admin()) {
            hr = E_ACCESSDENIED;
        } else {
            ref_job_addref(job);
            *out = job;
            hr = S_OK;
        }
        break;
    }
    pthread_mutex_unlock(&q->lock);
    return hr;
}

HRESULT ref_queue_snapshot(enum ref_mode mode, int all_users, struct job ***out,
                           ULONG *n)
{
    struct queue *q = &queues[mode];
    WCHAR me[REF_SID_MAX];
    struct job **arr;
    ULONG k = 0;
    *out = NULL;
    *n = 0;
    ref_owner_current(me);
    pthread_mutex_lock(&q->lock);
    arr = ref_calloc(q->n ? q->n : 1, sizeof *arr);
    if (!arr) {
        pthread_mutex_unlock(&q->lock);
        return E_OUTOFMEMORY;
    }
    for (ULONG i = 0; i < q->n; i++) {
        struct job *job = q->jobs[i];
        if (ref_state_is_final(ref_job_state(job)))
            continue;
        if (!all_users && !owned_by(job, me))
            continue;
        ref_job_addref(job);
        arr[k++] = job;
    }
    pthread_mutex_unlock(&q->lock);
    *out = arr;
    *n = k;
    return S_OK;
}
