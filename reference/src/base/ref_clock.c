/*
 * ref_clock.c - the scaled clock (ref_clock.h).
 *
 * Owns the anchor pair (real monotonic time, scaled time) from which every
 * reading is extrapolated at the current speed.  Changing the speed moves
 * the anchor to "now", so readings never jump backwards.  Also owns the
 * one timed wait on a condition variable (ref_cond_wait_ms), which every
 * thread of the reference uses to sleep until its next deadline.
 */
#include "ref_clock.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

/* 100-ns ticks between 1601-01-01 and 1970-01-01. */
#define EPOCH_DIFF_TICKS 116444736000000000ULL

static pthread_mutex_t clock_lock = PTHREAD_MUTEX_INITIALIZER;
static int clock_ready;
static double speed = 1.0;
static uint64_t anchor_real_ns; /* CLOCK_MONOTONIC at the anchor */
static uint64_t anchor_wall_ticks;
static uint64_t anchor_mono_ns; /* scaled monotonic at the anchor */
static void (*hooks[8])(void);
static unsigned nhooks;

static void run_hooks(void)
{
    unsigned n = __atomic_load_n(&nhooks, __ATOMIC_ACQUIRE);
    for (unsigned i = 0; i < n; i++)
        hooks[i]();
}

void ref_clock_wake_waiters(void)
{
    run_hooks();
}

int ref_clock_on_change(void (*fn)(void))
{
    int rc = -1;
    pthread_mutex_lock(&clock_lock);
    if (nhooks < sizeof hooks / sizeof hooks[0]) {
        hooks[nhooks] = fn;
        __atomic_store_n(&nhooks, nhooks + 1, __ATOMIC_RELEASE);
        rc = 0;
    }
    pthread_mutex_unlock(&clock_lock);
    return rc;
}

uint64_t ref_clock_real_ms_until(uint64_t deadline_ms)
{
    uint64_t now = ref_clock_mono_ms();
    double s = ref_clock_speed();
    if (deadline_ms <= now)
        return 0;
    return (uint64_t)((double)(deadline_ms - now) / s) + 1;
}

static uint64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

int ref_cond_init_mono(pthread_cond_t *c)
{
    pthread_condattr_t a;
    int rc = pthread_condattr_init(&a);
    if (rc != 0)
        return rc;
    rc = pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    if (rc == 0)
        rc = pthread_cond_init(c, &a);
    pthread_condattr_destroy(&a);
    return rc;
}

/* Real milliseconds beyond which a wait is as good as untimed: keeps the
 * deadline's tv_sec far from overflow (about 31 years). */
#define WAIT_MS_CAP (1000ULL * 1000000000ULL)

int ref_cond_wait_ms(pthread_cond_t *c, pthread_mutex_t *m, uint64_t real_ms)
{
    struct timespec ts;
    uint64_t ns;
    if (real_ms == 0)
        return ETIMEDOUT;
    if (real_ms == UINT64_MAX || real_ms >= WAIT_MS_CAP)
        return pthread_cond_wait(c, m);
    ns = mono_ns() + real_ms * 1000000ULL;
    ts.tv_sec = (time_t)(ns / 1000000000ULL);
    ts.tv_nsec = (long)(ns % 1000000000ULL);
    return pthread_cond_timedwait(c, m, &ts);
}

/* Called with clock_lock held. */
static void clock_init_locked(void)
{
    struct timespec ts;
    const char *env;
    if (clock_ready)
        return;
    clock_gettime(CLOCK_REALTIME, &ts);
    anchor_wall_ticks = EPOCH_DIFF_TICKS + (uint64_t)ts.tv_sec * 10000000ULL +
                        (uint64_t)ts.tv_nsec / 100;
    anchor_real_ns = mono_ns();
    anchor_mono_ns = anchor_real_ns;
    env = getenv("DOREF_CLOCK_SPEED");
    if (env) {
        double v = strtod(env, NULL);
        if (v > 0)
            speed = v;
    }
    clock_ready = 1;
}

/* Scaled nanoseconds elapsed since the anchor; clock_lock held. */
static uint64_t scaled_elapsed_ns_locked(void)
{
    uint64_t real = mono_ns() - anchor_real_ns;
    return (uint64_t)((double)real * speed);
}

uint64_t ref_clock_now_ticks(void)
{
    uint64_t t;
    pthread_mutex_lock(&clock_lock);
    clock_init_locked();
    t = anchor_wall_ticks + scaled_elapsed_ns_locked() / 100;
    pthread_mutex_unlock(&clock_lock);
    return t;
}

FILETIME ref_filetime_from_ticks(uint64_t ticks)
{
    FILETIME ft;
    ft.dwLowDateTime = (DWORD)(ticks & 0xFFFFFFFFu);
    ft.dwHighDateTime = (DWORD)(ticks >> 32);
    return ft;
}

FILETIME ref_clock_now_filetime(void)
{
    return ref_filetime_from_ticks(ref_clock_now_ticks());
}

uint64_t ref_clock_mono_ms(void)
{
    uint64_t t;
    pthread_mutex_lock(&clock_lock);
    clock_init_locked();
    t = (anchor_mono_ns + scaled_elapsed_ns_locked()) / 1000000ULL;
    pthread_mutex_unlock(&clock_lock);
    return t;
}

void ref_clock_set_speed(double factor)
{
    uint64_t el;
    if (!(factor > 0))
        return;
    pthread_mutex_lock(&clock_lock);
    clock_init_locked();
    el = scaled_elapsed_ns_locked();
    anchor_wall_ticks += el / 100;
    anchor_mono_ns += el;
    anchor_real_ns = mono_ns();
    speed = factor;
    pthread_mutex_unlock(&clock_lock);
    run_hooks();
}

double ref_clock_speed(void)
{
    double s;
    pthread_mutex_lock(&clock_lock);
    clock_init_locked();
    s = speed;
    pthread_mutex_unlock(&clock_lock);
    return s;
}

void ref_clock_advance(uint64_t ms)
{
    pthread_mutex_lock(&clock_lock);
    clock_init_locked();
    anchor_wall_ticks += ms * 10000ULL;
    anchor_mono_ns += ms * 1000000ULL;
    pthread_mutex_unlock(&clock_lock);
    run_hooks();
}
