/*
 * The base helpers that issue 12 made single: ref_widen / ref_task_widen
 * (the one widening of engine bytes to UTF-16), ref_network (the one
 * reader of the simulated network, for BITS and DO alike: decisions E12)
 * and ref_cond_wait_ms (the one timed wait of the reference's threads).
 * Exact values; the environment each case touches is restored.
 */
#include "support.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "ref_network.h"
#include "ref_private.h"

/* ---- ref_widen ----------------------------------------------------------- */

static const struct {
    const char *name;
    const char *in;
    WCHAR out[4];
} widen_rows[] = {
    {"empty", "", {0}},
    {"ASCII", "a/b", u"a/b"},
    {"ISO-8859-1 byte", "\xe9", {0x00E9, 0}},
    {"top byte and a control", "\xff\x01", {0x00FF, 0x0001, 0}},
};

static void widen(void)
{
    for (size_t i = 0; i < ARRAY_LEN(widen_rows); i++) {
        WCHAR *w = ref_widen(widen_rows[i].in);
        LPWSTR t = POISON_PTR;
        ASSERT_HR_AT(widen_rows[i].name, S_OK,
                     ref_task_widen(widen_rows[i].in, &t));
        ASSERT_WSTR(widen_rows[i].out, w);
        ASSERT_WSTR(widen_rows[i].out, t);
        ref_free(w);
        CoTaskMemFree(t);
    }
    {
        LPWSTR t = POISON_PTR;
        ASSERT_PTR(NULL, ref_widen(NULL));
        ASSERT_HR(S_OK, ref_task_widen(NULL, &t));
        ASSERT_PTR(NULL, t);
        ref_alloc_fail_nth(1);
        ASSERT_PTR(NULL, ref_widen("x"));
        t = POISON_PTR;
        ref_alloc_fail_nth(1);
        ASSERT_HR(E_OUTOFMEMORY, ref_task_widen("x", &t));
        ASSERT_PTR(NULL, t);
        ref_alloc_fail_nth(0);
    }
}

/* ---- ref_network --------------------------------------------------------- */

static const struct {
    const char *name;
    const char *env_cost, *env_cell; /* NULL = unset */
    int forced;                      /* ref_network_set(cost, cell) */
    DWORD cost;
    int cell;
    DWORD want_cost;
    int want_cell;
} net_rows[] = {
    {"nothing set", NULL, NULL, 0, 0, 0, BITS_COST_STATE_UNRESTRICTED, 0},
    {"empty variables", "", "", 0, 0, 0, BITS_COST_STATE_UNRESTRICTED, 0},
    {"environment", "0x40", "1", 0, 0, 0, BITS_COST_STATE_USAGE_BASED, 1},
    {"decimal, cellular 0", "2", "0", 0, 0, 0, 2, 0},
    {"test value wins", "0x40", "1", 1, BITS_COST_STATE_NEAR_CAP, 0,
     BITS_COST_STATE_NEAR_CAP, 0},
    {"test value, no environment", NULL, NULL, 1, BITS_COST_STATE_ROAMING, 1,
     BITS_COST_STATE_ROAMING, 1},
};

static void set_or_unset(const char *name, const char *v)
{
    if (v)
        setenv(name, v, 1);
    else
        unsetenv(name);
}

static unsigned clock_wakes;

static void count_clock_wake(void)
{
    __atomic_add_fetch(&clock_wakes, 1, __ATOMIC_RELAXED);
}

static void network(void)
{
    static int hooked;
    char *old_cost = getenv("DOREF_NETWORK_COST");
    char *old_cell = getenv("DOREF_NETWORK_CELLULAR");
    unsigned before;
    old_cost = old_cost ? strdup(old_cost) : NULL;
    old_cell = old_cell ? strdup(old_cell) : NULL;
    for (size_t i = 0; i < ARRAY_LEN(net_rows); i++) {
        set_or_unset("DOREF_NETWORK_COST", net_rows[i].env_cost);
        set_or_unset("DOREF_NETWORK_CELLULAR", net_rows[i].env_cell);
        ref_network_reload_env();
        if (net_rows[i].forced)
            ref_network_set(net_rows[i].cost, net_rows[i].cell);
        ASSERT_U64_AT(net_rows[i].name, net_rows[i].want_cost,
                      ref_network_cost());
        ASSERT_U64_AT(net_rows[i].name, net_rows[i].want_cell,
                      ref_network_cellular());
        ref_network_reset();
    }
    /* a test value wakes the waiting threads through the clock's hooks */
    if (!hooked++)
        ASSERT_U64(0, ref_clock_on_change(count_clock_wake));
    before = __atomic_load_n(&clock_wakes, __ATOMIC_RELAXED);
    ref_network_set(BITS_COST_STATE_UNRESTRICTED, 0);
    ref_network_reset();
    ASSERT_U64(before + 2, __atomic_load_n(&clock_wakes, __ATOMIC_RELAXED));
    /* the environment is read once: a later setenv changes nothing until
     * it is read again */
    setenv("DOREF_NETWORK_COST", "0x40", 1);
    ASSERT_U64(BITS_COST_STATE_UNRESTRICTED, ref_network_cost());
    set_or_unset("DOREF_NETWORK_COST", old_cost);
    set_or_unset("DOREF_NETWORK_CELLULAR", old_cell);
    ref_network_reload_env();
    free(old_cost);
    free(old_cell);
}

/* ---- ref_cond_wait_ms ---------------------------------------------------- */

static pthread_mutex_t w_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t w_cond;
static int w_flag;

static uint64_t real_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void *signal_later(void *arg)
{
    (void)arg;
    struct timespec ts = {0, 30 * 1000000L};
    nanosleep(&ts, NULL);
    pthread_mutex_lock(&w_lock);
    w_flag = 1;
    pthread_cond_broadcast(&w_cond);
    pthread_mutex_unlock(&w_lock);
    return NULL;
}

/* Waits for w_flag with `limit` (real ms); returns the last result and
 * the elapsed real ms in *ms. */
static int wait_flag(uint64_t limit, uint64_t *ms)
{
    uint64_t t0 = real_ms();
    int rc = 0;
    pthread_mutex_lock(&w_lock);
    while (!w_flag && rc == 0)
        rc = ref_cond_wait_ms(&w_cond, &w_lock, limit);
    pthread_mutex_unlock(&w_lock);
    *ms = real_ms() - t0;
    return rc;
}

static void timed_wait(void)
{
    pthread_t t;
    uint64_t ms;
    ASSERT_U64(0, ref_cond_init_mono(&w_cond));
    w_flag = 0;
    /* 0: due already */
    ASSERT_U64(ETIMEDOUT, wait_flag(0, &ms));
    ASSERT_TRUE(ms < 20);
    /* a deadline with no signal */
    ASSERT_U64(ETIMEDOUT, wait_flag(50, &ms));
    ASSERT_TRUE(ms >= 50 && ms < 2000);
    /* a signal before the deadline, and with no deadline at all */
    for (int i = 0; i < 2; i++) {
        w_flag = 0;
        ASSERT_U64(0, pthread_create(&t, NULL, signal_later, NULL));
        ASSERT_U64(0, wait_flag(i ? UINT64_MAX : 5000, &ms));
        ASSERT_TRUE(w_flag == 1 && ms < 2000);
        pthread_join(t, NULL);
    }
    pthread_cond_destroy(&w_cond);
}

CU_TestInfo tests_base[] = {
    {"ref_widen and ref_task_widen", widen},
    {"ref_network: one rule for BITS and DO", network},
    {"ref_cond_wait_ms", timed_wait},
    CU_TEST_INFO_NULL,
};
