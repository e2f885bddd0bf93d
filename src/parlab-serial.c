/*
 * parlab-serial - the lecture's jobs one after another: the baseline.
 *
 * Twelve jobs, each one call of the kernel wait_loop(n), run in the main thread in
 * order.  Its wall time is what the parallel programs try to beat, and its CPU time
 * equals its wall time: one core, always busy.
 *
 *   bin/parlab-serial                      # 12 jobs of about 0.25 s each
 *   bin/parlab-serial -n 233 -r 5          # a fixed size, five counted runs
 *   bin/parlab-serial --runs-csv runs.csv  # the baseline the others' speedup uses
 */
#include <stdlib.h>

#include "parlab/experiment.h"
#include "parlab/job.h"
#include "parlab/run.h"

/* One worker, the main thread, takes the jobs in order. */
static int run_in_order(struct run *run)
{
    struct worker me;

    worker_start(run, 0, WORKER_THREAD, &me); /* --pin: bind this thread */
    for (unsigned k = 0; k < run->plan->jobs; k++)
        job_run(run, k, &me, &run->jobs[k]);
    return 0;
}

static const struct program serial = {
    .backend = &backend_serial, /* src/lib/backend.c */
    .summary = "Runs the lecture's kernel as a queue of jobs, one after another, in one thread.",
    .details = "The baseline: wall time is the sum of the jobs, CPU time equals wall time.\n"
               "With --lock held each job takes the global lock, which nobody else wants.\n",
    .run_jobs = run_in_order,
};

int main(int argc, char **argv)
{
    return experiment_main(&serial, argc, argv);
}
