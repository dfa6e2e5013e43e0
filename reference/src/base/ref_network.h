/*
 * ref_network.h - the simulated network of the reference: its cost state
 * and whether it is cellular, read by the BITS scheduler (Job5 COST_FLAGS,
 * decisions I8) and by the DO downloads (CostPolicy, DisallowOnCellular,
 * DO-9) through the same two functions, so both follow one rule
 * (decisions E12).
 *
 * The rule: a value set by a test with ref_network_set() wins until
 * ref_network_reset(); otherwise the environment's DOREF_NETWORK_COST (one
 * BITS_COST_STATE_* bit, strtoul base 0, e.g. 0x40 = USAGE_BASED) and
 * DOREF_NETWORK_CELLULAR (non-zero = cellular), read once, at the first
 * question (a thread calling getenv would race the embedding program's
 * setenv); unset or empty means BITS_COST_STATE_UNRESTRICTED and not
 * cellular.
 */
#ifndef REF_NETWORK_H
#define REF_NETWORK_H

#include <docom.h>

/* A thread that waits for the network to allow a transfer asks again at
 * most this often (a test value also wakes it at once). */
#define REF_NETWORK_POLL_MS 200u

/* The current cost state (one BITS_COST_STATE_* bit). */
DWORD ref_network_cost(void);
/* Non-zero when the network is cellular. */
int ref_network_cellular(void);

/* Test setter: both values at once, until ref_network_reset(); wakes
 * the waiting threads (ref_clock_wake_waiters) so they look again. */
void ref_network_set(DWORD cost_state, int cellular);
/* Back to the environment's values (or the defaults); wakes them too. */
void ref_network_reset(void);
/* Test hook: reads DOREF_NETWORK_COST / DOREF_NETWORK_CELLULAR again
 * (after the test's setenv, while no other thread calls getenv) and wakes
 * the waiting threads. */
void ref_network_reload_env(void);

#endif
