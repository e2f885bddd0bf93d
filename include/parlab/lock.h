/*
 * lock.h - the global lock: parlab's stand-in for Python's GIL.
 *
 * There is one lock per process.  Threads of one process share it, so a job that
 * holds it keeps the other threads' jobs waiting, as numba's nogil=False keeps
 * other Python threads waiting.  A forked child gets its own copy, as each Python
 * process has its own interpreter lock, so processes never wait for each other.
 */
#ifndef PARLAB_LOCK_H
#define PARLAB_LOCK_H

#include <stdbool.h>
#include <stdint.h>

/* How much of each job holds the lock. */
struct lock_policy {
    double fraction; /* share of each job's kernel steps done holding the lock: 0 for
                      * none (numba nogil=True), 1 for held (nogil=False), and in
                      * between for a job with a critical section (Amdahl's law) */
    char name[24];   /* "none", "held" or "fraction:0.25": the CSV's lock column */
};

/* Parses "none", "held" or "fraction:F" with 0 <= F <= 1 (a plain decimal number).
 * "fraction:0" is named "none" and "fraction:1" "held".  Returns 0, or -1 for
 * anything else (nothing stored). */
int lock_policy_parse(const char *text, struct lock_policy *policy);

/* The steps of a job of `steps` steps that hold the lock: the fraction of them,
 * rounded to the nearest step. */
uint64_t lock_locked_steps(const struct lock_policy *policy, uint64_t steps);

/* Takes and gives back the process's global lock.  Thread-safe.  Must not be held
 * across fork().  lock_take() returns the seconds it waited. */
double lock_take(void);
void lock_give(void);

/* GIL-style switching, as CPython's interpreter lock has done since Python 3.2: a
 * thread that has waited `seconds` for the lock asks its holder to hand it over.  0,
 * the default, never asks.  Set it before any worker starts. */
void lock_set_switch_interval(double seconds);

/* For the holder, between two chunks of work: true when a waiting thread has asked
 * for the lock.  One relaxed atomic load. */
bool lock_handover_asked(void);

/* The holder hands the lock over: gives it back, waits until another thread has
 * taken it (a fair hand-over: the holder cannot take it straight back), and waits to
 * take it again.  Returns the seconds spent without it. */
double lock_hand_over(void);

#endif
