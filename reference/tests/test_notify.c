/*
 * SetNotifyInterface against the notification thread (docs/decisions.md
 * I27): an interface replaced or cleared gets no call that starts after
 * SetNotifyInterface returned.  The thread is held by the test hooks of
 * ref_notify.c at one point of a delivery (event taken, or registration
 * read and client not yet called) while the test changes the
 * registration, so each race is played the same way every run.  The
 * event is the JobModification that registering itself brings (a Set*
 * call, I14) on a job with BG_NOTIFY_JOB_MODIFICATION.
 */
#include "support.h"

#include <pthread.h>
#include <time.h>

#include "ref_clock.h"
#include "ref_test_hooks.h"

#define HOLD_MS 5000 /* real ms for the thread to reach the held point */

static void sleep_ms(unsigned ms)
{
    nanosleep(&(struct timespec){ms / 1000, (long)(ms % 1000) * 1000000L},
              NULL);
}

static int modifications(struct fake *f)
{
    return __atomic_load_n(&f->modifications, __ATOMIC_SEQ_CST);
}

/* Waits up to HOLD_MS for at least n JobModification calls on f, moving
 * the clock past MINIMUM_NOTIFICATION_INTERVAL_MS; then lets 100 ms
 * pass (with the clock moved again) for calls that must not come. */
static void settle(struct fake *f, int n)
{
    for (unsigned t = 0; modifications(f) < n && t < HOLD_MS; t += 10) {
        ref_clock_advance(1000);
        sleep_ms(10);
    }
    ref_clock_advance(1000);
    sleep_ms(100);
}

/* A one-file job with BG_NOTIFY_JOB_MODIFICATION on which `cb` is
 * registered with the thread armed at `at`: the JobModification of that
 * registration is held there when this returns.  NULL (failure
 * recorded) when a step fails. */
static IBackgroundCopyJob *held_registration(struct fx *fx, struct fake *cb,
                                             enum ref_notify_stop at)
{
    IBackgroundCopyJob *job = fx_job(fx, 1);
    if (!job)
        return NULL;
    ASSERT_HR(S_OK, IBackgroundCopyJob_SetNotifyFlags(
                        job, BG_NOTIFY_JOB_MODIFICATION));
    ref_notify_test_stop(at);
    ASSERT_HR(S_OK,
              IBackgroundCopyJob_SetNotifyInterface(job, fake_unknown(cb)));
    ASSERT_TRUE(ref_notify_test_held(HOLD_MS));
    return job;
}

struct unregister {
    IBackgroundCopyJob *job;
    struct fake *cb;
    HRESULT hr;
    int calls_at_return; /* cb's JobModification calls when it returned */
    int done;
};

static void *unregister_main(void *arg)
{
    struct unregister *u = arg;
    u->hr = IBackgroundCopyJob_SetNotifyInterface(u->job, NULL);
    u->calls_at_return = modifications(u->cb);
    __atomic_store_n(&u->done, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

/* The delivery has read the registration and is about to call it when
 * SetNotifyInterface(NULL) runs on another thread: that call waits for
 * the callback, so the callback's one call is over before it returns
 * and nothing follows. */
static void cleared_while_calling(enum mode mode)
{
    struct fx fx;
    struct fake cb;
    struct unregister u = {.hr = E_FAIL};
    pthread_t t;
    int started = 0;
    IBackgroundCopyJob *job;

    fake_init(&cb, 0);
    if (fx_open(&fx, mode))
        goto out;
    if (!(job = held_registration(&fx, &cb, REF_NOTIFY_STOP_CALLING)))
        goto out;
    u.job = job;
    u.cb = &cb;
    started = pthread_create(&t, NULL, unregister_main, &u) == 0;
    ASSERT_TRUE(started);
    /* either it returns at once (the old interface would then be called
     * after it returned) or it waits for the call held here */
    for (unsigned w = 0; started && w < HOLD_MS; w += 5) {
        if (__atomic_load_n(&u.done, __ATOMIC_SEQ_CST) ||
            ref_notify_test_waiters() > 0)
            break;
        sleep_ms(5);
    }
    ASSERT_U64(0, __atomic_load_n(&u.done, __ATOMIC_SEQ_CST));
    ASSERT_U64(1, ref_notify_test_waiters());
    ref_notify_test_go();
    if (started)
        pthread_join(t, NULL);
    ASSERT_HR(S_OK, u.hr);
    ASSERT_U64(1, u.calls_at_return);
    settle(&cb, 1);
    ASSERT_U64(1, modifications(&cb)); /* none after it returned */
out:
    ref_notify_test_go();
    fx_close(&fx);
    ASSERT_U64(1, fake_refs(&cb));
}
BOTH_MODES(cleared_while_calling)

/* The event of the first registration is taken but has not read the
 * registration when a second interface replaces the first: that event
 * calls nobody and SetNotifyInterface does not wait for it; the first
 * interface is never called, the second gets the one JobModification of
 * its own registration. */
static void replaced_before_reading(enum mode mode)
{
    struct fx fx;
    struct fake first, second;
    IBackgroundCopyJob *job;

    fake_init(&first, 0);
    fake_init(&second, 0);
    if (fx_open(&fx, mode))
        goto out;
    if (!(job = held_registration(&fx, &first, REF_NOTIFY_STOP_PICKED)))
        goto out;
    ASSERT_HR(S_OK, IBackgroundCopyJob_SetNotifyInterface(
                        job, fake_unknown(&second)));
    ASSERT_U64(0, ref_notify_test_waiters());
    ref_notify_test_go();
    settle(&second, 1);
    ASSERT_U64(0, modifications(&first));
    ASSERT_U64(1, modifications(&second));
    ASSERT_HR(S_OK, IBackgroundCopyJob_SetNotifyInterface(job, NULL));
out:
    ref_notify_test_go();
    fx_close(&fx);
    ASSERT_U64(1, fake_refs(&first));
    ASSERT_U64(1, fake_refs(&second));
}
BOTH_MODES(replaced_before_reading)

CU_TestInfo tests_notify[] = {
    BOTH_INFO(cleared_while_calling),
    BOTH_INFO(replaced_before_reading),
    CU_TEST_INFO_NULL,
};
