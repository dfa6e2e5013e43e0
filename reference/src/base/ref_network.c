/*
 * ref_network.c - the simulated network (ref_network.h, decisions E12).
 *
 * Owns the test override of the network's cost state and cellular flag;
 * a change wakes the threads waiting on a deadline through the clock's
 * change hooks (they recompute what they wait for).  Who may transfer
 * under a given state is the callers' business (the scheduler's
 * COST_FLAGS check, the DO download's CostPolicy mask).
 */
#include "ref_network.h"

#include "ref_clock.h"

#include <pthread.h>
#include <stdlib.h>

/* BITS_COST_STATE_UNRESTRICTED of bits5_0.h, written here so this base
 * module needs no interface header (reference-tests "Shared base
 * helpers" pins the value). */
#define COST_UNRESTRICTED 0x00000001u

static pthread_mutex_t n_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t n_once = PTHREAD_ONCE_INIT;
static int n_forced; /* ref_network_set() was called */
static DWORD n_cost;
static int n_cell;
static DWORD env_cost; /* the environment's values, read by env_read */
static int env_cell;

/* The environment variable `name` as a number, or `def` when unset or
 * empty. */
static unsigned long env_number(const char *name, unsigned long def)
{
    const char *v = getenv(name);
    return v && *v ? strtoul(v, NULL, 0) : def;
}

/* Reads the environment into env_cost / env_cell.  Called once, at the
 * first question, and by ref_network_reload_env: the threads that ask
 * at every decision never call getenv, which would race a setenv of the
 * embedding program (glibc's environment has no lock for readers). */
static void env_read(void)
{
    DWORD c = (DWORD)env_number("DOREF_NETWORK_COST", COST_UNRESTRICTED);
    int cell = env_number("DOREF_NETWORK_CELLULAR", 0) != 0;
    pthread_mutex_lock(&n_lock);
    env_cost = c;
    env_cell = cell;
    pthread_mutex_unlock(&n_lock);
}

DWORD ref_network_cost(void)
{
    DWORD v;
    pthread_once(&n_once, env_read);
    pthread_mutex_lock(&n_lock);
    v = n_forced ? n_cost : env_cost;
    pthread_mutex_unlock(&n_lock);
    return v;
}

int ref_network_cellular(void)
{
    int v;
    pthread_once(&n_once, env_read);
    pthread_mutex_lock(&n_lock);
    v = n_forced ? n_cell : env_cell;
    pthread_mutex_unlock(&n_lock);
    return v;
}

void ref_network_reload_env(void)
{
    pthread_once(&n_once, env_read);
    env_read();
    ref_clock_wake_waiters();
}

void ref_network_set(DWORD cost_state, int cellular)
{
    pthread_mutex_lock(&n_lock);
    n_forced = 1;
    n_cost = cost_state;
    n_cell = cellular != 0;
    pthread_mutex_unlock(&n_lock);
    ref_clock_wake_waiters();
}

void ref_network_reset(void)
{
    pthread_mutex_lock(&n_lock);
    n_forced = 0;
    pthread_mutex_unlock(&n_lock);
    ref_clock_wake_waiters();
}
