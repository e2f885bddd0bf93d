/*
 * clock.h - the clocks parlab measures with.
 *
 * Wall time comes from CLOCK_MONOTONIC, which is one clock for the whole machine, so
 * times taken in different threads and processes compare directly.  CPU time comes
 * from getrusage(): RUSAGE_SELF for this process (all its threads) and
 * RUSAGE_CHILDREN for the children it has waited for.  All functions are safe in
 * threads and in forked children.
 */
#ifndef PARLAB_CLOCK_H
#define PARLAB_CLOCK_H

#include <stddef.h>

/* Seconds on CLOCK_MONOTONIC. */
double clock_wall(void);

/* CPU seconds used so far by the calling thread (CLOCK_THREAD_CPUTIME_ID). */
double clock_thread_cpu(void);

/* CPU time (user + system) of this process and of its waited-for children. */
struct cpu_times {
    double self;
    double children;
};

/* Fills `t` from getrusage(RUSAGE_SELF) and getrusage(RUSAGE_CHILDREN). */
void clock_process_cpu(struct cpu_times *t);

/* Writes the current UTC time as ISO 8601 with milliseconds,
 * "2026-11-25T14:26:39.123Z", into buf (at least CLOCK_ISO_LEN bytes); when
 * `compact` is true writes "20261125T142639.123456Z" instead (for identifiers). */
#define CLOCK_ISO_LEN 32
void clock_utc_iso8601(char *buf, size_t len, int compact);

#endif
