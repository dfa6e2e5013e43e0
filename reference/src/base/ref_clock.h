/*
 * ref_clock.h - the reference's one clock.
 *
 * Every time the reference reads (job times, and later the engine's retry
 * delays and timeouts) comes from here.  The clock runs at a speed factor
 * (default 1; environment DOREF_CLOCK_SPEED, read at first use) and can be
 * moved forward by an offset, so tests run a 600-second rule in
 * milliseconds without changing the rule (DESIGN.md, decisions D6).
 */
#ifndef REF_CLOCK_H
#define REF_CLOCK_H

#include <docom.h>
#include <pthread.h>
#include <stdint.h>

/* Scaled wall-clock time in 100-ns ticks since 1601-01-01 UTC. */
uint64_t ref_clock_now_ticks(void);
/* The same as a FILETIME. */
FILETIME ref_clock_now_filetime(void);
/* Scaled monotonic time in milliseconds (arbitrary origin). */
uint64_t ref_clock_mono_ms(void);

/* Sets the speed factor (> 0; other values are ignored).  The clock stays
 * continuous: only its rate from now on changes. */
void ref_clock_set_speed(double factor);
/* The current speed factor. */
double ref_clock_speed(void);
/* Moves the clock forward by ms milliseconds (both time bases). */
void ref_clock_advance(uint64_t ms);

/*
 * Registers fn to be called (on the caller's thread, no clock lock held)
 * after every ref_clock_set_speed and ref_clock_advance, so threads that
 * sleep until a clock deadline wake up and recompute it.  At most 8
 * hooks; returns 0, or -1 when the table is full.  Hooks stay for the
 * life of the process.
 */
int ref_clock_on_change(void (*fn)(void));

/* Runs the change hooks without changing the clock: for another outside
 * condition a waiting thread must look at again (ref_network_set). */
void ref_clock_wake_waiters(void);

/*
 * Real milliseconds until the scaled monotonic time reaches deadline_ms
 * at the current speed: 0 when it is already due, rounded up otherwise.
 */
uint64_t ref_clock_real_ms_until(uint64_t deadline_ms);

/*
 * The one timed wait of the reference's threads (the scheduler, the
 * notifier, the DO worker).  ref_cond_init_mono() initialises c so that
 * its timed waits run on CLOCK_MONOTONIC (a wall-clock step neither
 * shortens nor stretches them); returns 0 or pthread's error.
 * ref_cond_wait_ms() waits on c, m held, until c is signalled or
 * real_ms real milliseconds have passed: it turns real_ms into an
 * absolute CLOCK_MONOTONIC deadline and waits for it.  real_ms ==
 * UINT64_MAX waits with no time limit; 0 returns at once.  Returns 0,
 * or ETIMEDOUT when the deadline passed.  Spurious wake-ups return 0, so
 * callers re-check their condition (they all loop).
 */
int ref_cond_init_mono(pthread_cond_t *c);
int ref_cond_wait_ms(pthread_cond_t *c, pthread_mutex_t *m, uint64_t real_ms);

/* Converts 100-ns ticks to a FILETIME. */
FILETIME ref_filetime_from_ticks(uint64_t ticks);

#endif
