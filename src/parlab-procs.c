/*
 * parlab-procs - the lecture's jobs on forked worker processes.
 *
 * W children are forked for each run.  They take jobs from one queue in shared
 * memory, whoever is free taking the next, and send each job's record back to the
 * parent through a pipe: the copying between processes that a process pool pays for.
 *
 *   bin/parlab-procs -l held     # each child has its own copy of the global lock,
 *                                # as each Python process has its own GIL: nothing
 *                                # waits, and wall time drops again
 *
 * The parent only waits, so its own CPU time is tiny: the work shows up in the
 * children's CPU time (getrusage(RUSAGE_CHILDREN)), which counts only once the
 * children have been reaped.  That answers the notebook's "how do you explain the
 * tiny cpu time?".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parlab/experiment.h"
#include "parlab/job.h"
#include "parlab/pool.h"
#include "parlab/run.h"

/* In each child: take jobs until there are none left, send every record home.  With
 * a payload the parent hands out the jobs, each with its input, and takes their
 * outputs back: through the child's pipes (--transport pipe) or in shared memory. */
static void work_in_child(struct pool *pool, unsigned worker, void *arg)
{
    const struct run *run = arg;
    struct job_record rec;
    struct worker me;
    long k;

    worker_start(run, worker, WORKER_PROCESS, &me); /* --pin: bind this child */
    while ((k = pool_take(pool)) >= 0) { /* with a payload: its input, copied in */
        job_run(run, (unsigned)k, &me, &rec);
        if (pool_send(pool, &rec) != 0) /* ... and its output, copied out */
            _exit(EXIT_FAILURE); /* the parent reports a job that never came back */
    }
}

static int run_on_processes(struct run *run)
{
    struct pool pool;

    /* This program never starts OpenMP, so fork() is safe here. */
    if (pool_start(&pool, run->plan, work_in_child, run) != 0) {
        snprintf(run->error, sizeof run->error, "cannot start %u worker processes: %s",
                 run->plan->workers, strerror(errno));
        return -1;
    }
    /* The parent now only waits for the records.  pool_finish() also reaps the
     * children, and only then does their CPU time reach getrusage(RUSAGE_CHILDREN),
     * which run_execute() (src/lib/run.c) reads when this function has returned: the
     * run's cpu_children_s.  The parent's own clock, cpu_self_s, barely moves. */
    return pool_finish(&pool, run->jobs, run->error, sizeof run->error);
}

static const struct program procs = {
    .backend = &backend_procs, /* src/lib/backend.c */
    .summary = "Runs the lecture's kernel as a queue of jobs on forked worker processes.",
    .details = "Each process has its own copy of the global lock, as each Python process has\n"
               "its own GIL, so --lock held serializes nothing here.  The children send their\n"
               "job records back through a pipe; the parent's own CPU time stays tiny, and\n"
               "the work is counted as the CPU time of its children.\n",
    .run_jobs = run_on_processes,
    .descriptors = pool_descriptors, /* checked before the first run */
    .pipe_memory = pool_pipe_memory,
};

int main(int argc, char **argv)
{
    return experiment_main(&procs, argc, argv);
}
