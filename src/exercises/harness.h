/*
 * harness.h - the part of an exercise the student does not write: it calls the
 * student's functions once per trial, times them, checks every result exactly and
 * reports what it found to the checker (exercise.h).
 *
 * Each harness (src/exercises/NAME.c) defines `exercise_harness`, a table of parts;
 * harness.c's main runs the one part its command line names:
 *
 *   EXERCISE --part PART --size N [--run K]
 *
 * with as many OpenMP threads as OMP_NUM_THREADS says (the checker sets it).
 */
#ifndef PARLAB_HARNESS_H
#define PARLAB_HARNESS_H

#include <stdbool.h>
#include <stdint.h>

#include "parlab/clock.h"

struct trial {
    const char *part;  /* the part's name */
    int threads;       /* omp_get_max_threads(): what OMP_NUM_THREADS asked for */
    uint64_t size;     /* the problem size (steps, values, rows) */
    unsigned run;      /* which run of this part and W, from 1 */
    /* Set by the part: */
    bool ok;           /* the result is exactly what it must be */
    double value;      /* the result, for the checker's table */
    char detail[512];  /* when not ok: what is wrong, in a few words */
    /* Set by trial_start() and trial_stop(): */
    double wall_s, cpu_s;
    double t0;
    struct cpu_times cpu0;
};

struct harness_part {
    const char *name;               /* "critical": the checker's part */
    void (*run)(struct trial *t);   /* prepares, calls the student's function between
                                     * trial_start() and trial_stop(), and checks */
};

struct harness {
    const char *name;               /* "pi" */
    const struct harness_part *parts;
    unsigned nparts;
};

/* The exercise's own table (src/exercises/NAME.c). */
extern const struct harness exercise_harness;

/* Start and stop the clocks (CLOCK_MONOTONIC and getrusage(RUSAGE_SELF)) around the
 * student's call. */
void trial_start(struct trial *t);
void trial_stop(struct trial *t);

/* Reports one job of the trial (a row, a job of the queue) for the timeline: its
 * thread, its start and end in seconds since trial_start(), its CPU time, result, whether
 * it was right, the PU it ran on, its size. */
void trial_job(const struct trial *t, unsigned job, int thread, double t_start, double t_end,
               double cpu, double result, bool ok, int pu, uint64_t size);

#endif
