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

/*
 * Real milliseconds until the scaled monotonic time reaches deadline_ms
 * at the current speed: 0 when it is already due, rounded up otherwise.
 */
uint64_t ref_clock_real_ms_until(uint64_t deadline_ms);

/* Converts 100-ns ticks to a FILETIME. */
FILETIME ref_filetime_from_ticks(uint64_t ticks);

#endif
