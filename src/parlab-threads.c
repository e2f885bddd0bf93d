/*
 * parlab-threads - the lecture's jobs on OpenMP threads that share one process.
 *
 * The jobs form a queue; each of W threads takes the next job when it is free
 * (OpenMP's dynamic schedule, as joblib's threading backend does), unless
 * --schedule says otherwise: with jobs of unequal size (--sizes) a static schedule
 * leaves one thread with the largest jobs, and the timeline shows its tail.  What the
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
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "parlab/experiment.h"
#include "parlab/job.h"
#include "parlab/run.h"

/* Why OpenMP gave fewer threads than asked: the settings that cap its teams. */
static void explain_team(char *why, size_t len, int workers)
{
    const char *levels = getenv("OMP_MAX_ACTIVE_LEVELS"), *limit = getenv("OMP_THREAD_LIMIT");
    bool no_levels = omp_get_max_active_levels() < 1;
    bool limited = omp_get_thread_limit() < workers;

    if (no_levels && limited)
        snprintf(why, len,
                 "OMP_MAX_ACTIVE_LEVELS=%s allows no parallel region, and OMP_THREAD_LIMIT=%s "
                 "at most %d threads (unset them)",
                 levels ? levels : "0", limit ? limit : "?", omp_get_thread_limit());
    else if (no_levels)
        snprintf(why, len, "OMP_MAX_ACTIVE_LEVELS=%s allows no parallel region (unset it)",
                 levels ? levels : "0");
    else if (limited)
        snprintf(why, len, "OMP_THREAD_LIMIT=%s allows at most %d (unset it)", limit ? limit : "?",
                 omp_get_thread_limit());
    else
        snprintf(why, len, "the OpenMP runtime could not start more threads");
}

/* OpenMP's names of parlab's schedule kinds (cli.h). */
static const omp_sched_t omp_kinds[] = {
    [SCHEDULE_STATIC] = omp_sched_static,
    [SCHEDULE_DYNAMIC] = omp_sched_dynamic,
    [SCHEDULE_GUIDED] = omp_sched_guided,
};

static int run_on_threads(struct run *run)
{
    const int workers = (int)run->plan->workers;
    const int jobs = (int)run->plan->jobs;
    const struct schedule *schedule = &run->plan->schedule;
    int team = 0;

    omp_set_dynamic(0); /* exactly the threads asked for, not fewer */
    /* The loop's schedule(runtime) takes this one, whatever OMP_SCHEDULE says: chunk 0
     * is OpenMP's default (static: a block per thread) */
    omp_set_schedule(omp_kinds[schedule->kind], (int)schedule->chunk);
#pragma omp parallel num_threads(workers)
    {
        struct worker me;

        /* --pin: each thread binds itself (HWLOC_CPUBIND_THREAD) to its planned PU */
        worker_start(run, (unsigned)omp_get_thread_num(), WORKER_THREAD, &me);
#pragma omp single
        team = omp_get_num_threads();

        /* --schedule; by default dynamic,1: each thread takes the next job when it
         * finishes one */
#pragma omp for schedule(runtime)
        for (int k = 0; k < jobs; k++)
            job_run(run, (unsigned)k, &me, &run->jobs[k]);
    }
    if (team != workers) {
        int n = snprintf(run->error, sizeof run->error, "OpenMP gave %d thread%s instead of %d: ",
                         team, team == 1 ? "" : "s", workers);
        explain_team(run->error + n, sizeof run->error - (size_t)n, workers);
        return -1;
    }
    return 0;
}

/* libgomp binds its threads itself when OMP_PROC_BIND or OMP_PLACES tell it to. */
static const char *openmp_binding(void)
{
    static const char *const names[] = {"OMP_PROC_BIND", "OMP_PLACES", "GOMP_CPU_AFFINITY"};
    static char text[160];
    size_t used = 0;

    if (omp_get_proc_bind() == omp_proc_bind_false && getenv("GOMP_CPU_AFFINITY") == NULL)
        return NULL;
    used = (size_t)snprintf(text, sizeof text, "libgomp");
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *value = getenv(names[i]);
        if (value != NULL && used < sizeof text)
            used += (size_t)snprintf(text + used, sizeof text - used, " %s=%s", names[i], value);
    }
    return text;
}

/* Every PU of every OpenMP place: what libgomp may bind threads to.  (It has already
 * bound this, the initial thread, to the first place.) */
static const char *openmp_pus(void)
{
    static char text[4096];
    size_t used = 0;

    text[0] = '\0';
    for (int p = 0; p < omp_get_num_places(); p++) {
        int n = omp_get_place_num_procs(p);
        int *ids = malloc((size_t)(n > 0 ? n : 1) * sizeof *ids);

        if (ids == NULL)
            return NULL;
        omp_get_place_proc_ids(p, ids);
        for (int i = 0; i < n && used + 16 < sizeof text; i++)
            used += (size_t)snprintf(text + used, sizeof text - used, "%s%d", used ? "," : "",
                                     ids[i]);
        free(ids);
    }
    return used > 0 ? text : NULL;
}

static const char *openmp_version(void)
{
    static char text[32];

    snprintf(text, sizeof text, "OpenMP %d", _OPENMP);
    return text;
}

static const struct program threads = {
    .backend = &backend_threads, /* src/lib/backend.c */
    .summary = "Runs the lecture's kernel as a queue of jobs on OpenMP threads (libgomp).",
    .details = "The threads share one process and so one global lock.  With --lock none the\n"
               "jobs run at the same time; with --lock held each job holds the lock for its\n"
               "whole kernel call, so the jobs run one at a time, as Python threads do when\n"
               "the code holds the GIL.\n\n"
               "With --pin each thread binds itself to one PU with hwloc.  If OMP_PROC_BIND\n"
               "or OMP_PLACES is set, libgomp binds the threads first: --pin none leaves\n"
               "them where libgomp put them; any other --pin decides, and a line on stderr\n"
               "says so.\n",
    .runtime = openmp_version,
    .outer_binding = openmp_binding,
    .outer_pus = openmp_pus,
    .run_jobs = run_on_threads,
};

int main(int argc, char **argv)
{
    return experiment_main(&threads, argc, argv);
}
