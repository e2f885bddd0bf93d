/*
 * program.h - what makes one parlab program different from the others.
 *
 * Every program runs the same path (options, plan, warm-up and counted runs,
 * validation, report, CSV); only the way it runs jobs on workers differs.  A program
 * file fills in one struct program, pointing at its backend's description
 * (backend.h), and hands it to experiment_main().
 */
#ifndef PARLAB_PROGRAM_H
#define PARLAB_PROGRAM_H

#include <stddef.h>
#include <stdint.h>

#include "parlab/backend.h"

struct options;
struct plan;
struct run;

struct program {
    const struct backend *backend; /* what a worker is, and what follows (backend.h);
                                    * its name is the program's name */
    const char *summary;    /* one line for --help: what the program does */
    const char *details;    /* --help paragraphs: what the workers are, what the lock does */
    const char *(*runtime)(void); /* extra --version text (the OpenMP version), or NULL */

    /* What the W workers are, for the headline, where the backend's words do not say
     * it ("2 MPI ranks x 2 OpenMP threads" for a hybrid run), or NULL for those words.
     * May be NULL itself. */
    const char *(*workers_are)(void);

    /* Who else binds this program's workers: "libgomp (OMP_PROC_BIND=close)" when the
     * OpenMP runtime was told to, else NULL.  May be NULL itself. */
    const char *(*outer_binding)(void);

    /* When outer_binding() is not NULL: the PUs the runtime may place threads on, as a
     * list ("0-3,8"), because the runtime has already bound this thread to one of them
     * and the process's binding no longer shows the rest.  May be NULL itself. */
    const char *(*outer_pus)(void);

    /* Runs the jobs 0 .. run->plan->jobs - 1 on run->plan->workers workers by calling
     * job_run() for each, and leaves each record in run->jobs[job].  Returns 0, or -1
     * after writing the reason into run->error. */
    int (*run_jobs)(struct run *run);

    /* What the workers hold besides the plan's payload buffers, for the checks made
     * before a run (plan.c, limits.h): the descriptors open at once in this process, at
     * most (pool_descriptors), and the bytes that their pipes can hold at once
     * (pool_pipe_memory).  NULL where they hold none. */
    uint64_t (*descriptors)(const struct plan *plan);
    uint64_t (*pipe_memory)(const struct plan *plan);

    /* Where another program started the workers, each of them running this same path
     * (MPI ranks, started by mpirun), so that they must agree; NULL elsewhere.
     * settle: called once the options are parsed, before the plan, in every worker: may
     * change them (W is the number of ranks; a rank that does not speak for the run
     * writes no CSV).  Returns 0, or -1 after writing one line into msg: a bad
     * command line, which every worker sees alike.
     * agree: called once the plan is made and the CSV files checked: makes every
     * worker's plan the first one's (its n, calibrated there, and its identity).
     * Returns 0, or -1 with errno set. */
    int (*settle)(struct options *opt, char *msg, size_t msglen);
    int (*agree)(struct plan *plan);
};

#endif
