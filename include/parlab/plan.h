/*
 * plan.h - what a program will do, fully resolved: the kernel size (calibrated when
 * not given), the machine, and the identity every run of this invocation carries.
 */
#ifndef PARLAB_PLAN_H
#define PARLAB_PLAN_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "parlab/cli.h"
#include "parlab/clock.h"
#include "parlab/lock.h"
#include "parlab/program.h"

#define PLAN_HOST_LEN 256

struct plan {
    const struct program *prog;
    unsigned jobs;
    unsigned workers;
    unsigned reps;
    uint64_t size;        /* kernel n */
    uint64_t steps;       /* C(n,4): innermost steps per job */
    double expected;      /* kernel_closed_form(size): what every job must return */
    enum lock_mode lock;
    const char *pin;      /* "none": binding comes with hwloc pinning */
    bool calibrated;      /* size came from -t */
    double job_seconds;   /* the -t asked for, when calibrated */
    double ns_per_step;   /* measured by the calibration, when calibrated */
    char host[PLAN_HOST_LEN];
    int pus;              /* PUs this process may use */
    long pid;             /* this invocation's process */
    char stamp[CLOCK_ISO_LEN]; /* this invocation's start, compact UTC: part of run ids */
    const char *runs_csv;
    const char *jobs_csv;
    bool quiet;
};

/* Resolves `opt` for `prog` into *plan: calibrates the size when -t was used,
 * computes the expected result, reads the host name and the usable PUs.  Returns 0,
 * or -1 with errno set. */
int plan_init(struct plan *plan, const struct program *prog, const struct options *opt);

/* Prints the configuration: a headline naming the program, its version, the jobs,
 * the kernel size, the workers, the lock and the pinning, then (unless plan->quiet)
 * a few lines on the kernel, the machine, the repetitions and the CSV files. */
void plan_print(const struct plan *plan, FILE *out);

#endif
