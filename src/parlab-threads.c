/*
 * parlab-threads - the lecture's jobs on OpenMP threads that share one process.
 *
 * The jobs form a queue; each of W threads takes the next job when it is free
 * (OpenMP's dynamic schedule, as joblib's threading backend does).  What the
 * students see depends on the global lock:
 *
 *   bin/parlab-threads -l none   # lock released: the threads run at once, so CPU
 *                                # time is about min(W, cores) x wall time
 *   bin/parlab-threads -l held   # lock held, as a GIL is: one job at a time, so
 *                                # wall time is the serial time and CPU ~ wall
 *
 * All threads belong to one process, so getrusage(RUSAGE_SELF) sees all their CPU
 * time, and no data is copied: the job records are written straight into memory
 * that every thread shares.
 */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

#include "parlab/experiment.h"
#include "parlab/job.h"
#include "parlab/run.h"

static int run_on_threads(struct run *run)
{
    const int workers = (int)run->plan->workers;
    const int jobs = (int)run->plan->jobs;
    int team = 0;

    omp_set_dynamic(0); /* exactly the threads asked for, not fewer */
#pragma omp parallel num_threads(workers)
    {
#pragma omp single
        team = omp_get_num_threads();

        /* dynamic,1: each thread takes the next job when it finishes one */
#pragma omp for schedule(dynamic, 1)
        for (int k = 0; k < jobs; k++)
            job_run(run, (unsigned)k, (unsigned)omp_get_thread_num(), &run->jobs[k]);
    }
    if (team != workers) {
        snprintf(run->error, sizeof run->error,
                 "OpenMP gave %d threads instead of %d (is OMP_THREAD_LIMIT set?)", team,
                 workers);
        return -1;
    }
    return 0;
}

static const char *openmp_version(void)
{
    static char text[32];

    snprintf(text, sizeof text, "OpenMP %d", _OPENMP);
    return text;
}

static const struct program threads = {
    .name = "parlab-threads",
    .summary = "Runs the lecture's kernel as a queue of jobs on OpenMP threads (libgomp).",
    .details = "The threads share one process and so one global lock.  With --lock none the\n"
               "jobs run at the same time; with --lock held each job holds the lock for its\n"
               "whole kernel call, so the jobs run one at a time, as Python threads do when\n"
               "the code holds the GIL.\n",
    .workers_are = "OpenMP threads",
    .max_workers = 1024,
    .runtime = openmp_version,
    .run_jobs = run_on_threads,
};

int main(int argc, char **argv)
{
    return experiment_main(&threads, argc, argv);
}
