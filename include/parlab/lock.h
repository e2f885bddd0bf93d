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
 * across fork(). */
void lock_take(void);
void lock_give(void);

#endif
