/*
 * queue-oneworker.c - a broken copy of exercise 5 for tests/check-exercises.sh:
 * in queue_pthreads every thread makes itself worker 0, as queue_serial's one thread
 * does (the jobs' records must show two threads that say they are one worker).
 *
 * queue_serial is written.  Write queue_openmp and queue_pthreads where they say
 * TODO, and check them with
 *
 *   make check-exercise E=queue
 */
#include <omp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parlab/exercise.h"
#include "parlab/experiment.h"
#include "parlab/job.h"
#include "parlab/run.h"
#include "queue.h"

/* The model: one worker, the calling thread, takes the jobs in order. */
int queue_serial(struct run *run)
{
    struct worker me;

    worker_start(run, 0, WORKER_THREAD, &me); /* --pin: binds this thread */
    for (unsigned k = 0; k < run->plan->jobs; k++)
        job_run(run, k, &me, &run->jobs[k]);
    return 0;
}

/* Part 1: W OpenMP threads.  In a parallel region of run->plan->workers threads, each
 * thread makes itself worker omp_get_thread_num(), and a loop over the jobs with
 * schedule(dynamic, 1) hands each free thread the next job: OpenMP keeps the queue. */
int queue_openmp(struct run *run)
{
    const int workers = (int)run->plan->workers, jobs = (int)run->plan->jobs;

#pragma omp parallel num_threads(workers)
    {
        struct worker me;

        worker_start(run, (unsigned)omp_get_thread_num(), WORKER_THREAD, &me);
#pragma omp for schedule(dynamic, 1)
        for (int k = 0; k < jobs; k++)
            job_run(run, (unsigned)k, &me, &run->jobs[k]);
    }
    return 0;
}

/* The queue itself: the number of the next job to take. */
struct queue {
    struct run *run;
    atomic_uint next;
};

/* One pthread: worker `index`. */
struct queue_thread {
    struct queue *queue;
    unsigned index;
    pthread_t thread;
};

/* Takes the next job until none is left.  The take is one atomic step: two threads
 * never get the same number, and no number is skipped. */
static void *take_jobs(void *arg)
{
    struct queue_thread *t = arg;
    struct run *run = t->queue->run;
    struct worker me;
    unsigned k;

    worker_start(run, 0, WORKER_THREAD, &me);
    while ((k = atomic_fetch_add(&t->queue->next, 1)) < run->plan->jobs)
        job_run(run, k, &me, &run->jobs[k]);
    return NULL;
}
/* Part 2: the same queue by hand.  Start run->plan->workers pthreads; thread i makes
 * itself worker i, then takes the next job number from a counter they share, runs it,
 * and takes again until the number is past the last job.  Wait for them all. */
int queue_pthreads(struct run *run)
{
    const unsigned workers = run->plan->workers;
    struct queue queue = {.run = run};
    struct queue_thread *threads = calloc(workers, sizeof *threads);
    unsigned started = 0;
    int error = 0;

    if (threads == NULL) {
        snprintf(run->error, sizeof run->error, "cannot allocate %u threads", workers);
        return -1;
    }
    atomic_init(&queue.next, 0);
    for (; started < workers; started++) {
        threads[started] = (struct queue_thread){.queue = &queue, .index = started};
        error = pthread_create(&threads[started].thread, NULL, take_jobs, &threads[started]);
        if (error != 0)
            break;
    }
    for (unsigned i = 0; i < started; i++)
        pthread_join(threads[i].thread, NULL);
    free(threads);
    if (error != 0) {
        snprintf(run->error, sizeof run->error, "cannot start thread %u of %u: %s", started + 1,
                 workers, strerror(error));
        return -1;
    }
    return 0;
}

/* ---- the program: given ------------------------------------------------------------- */

/* The parts' descriptions (include/parlab/backend.h).  Their names are runs.csv's
 * program column: exercise-queue-serial is the baseline of the other two.  The queues'
 * schedule is written in their code, so --schedule does not apply (.openmp stays
 * false: it would let --schedule claim to choose). */
static const struct backend serial_backend = {
    .name = "exercise-queue-serial",
    .label = "serial",
    .workers_are = "thread (the main one)",
    .worker = WORKER_THREAD,
    .max_workers = 1,
    .baseline = true,
    .shares_memory = true,
    .schedule = "",
};
static const struct backend openmp_backend = {
    .name = "exercise-queue-openmp",
    .label = "openmp queue",
    .workers_are = "OpenMP threads",
    .worker = WORKER_THREAD,
    .max_workers = 1024,
    .shares_memory = true,
    .schedule = "dynamic,1",
};
static const struct backend pthreads_backend = {
    .name = "exercise-queue-pthreads",
    .label = "pthreads queue",
    .workers_are = "POSIX threads",
    .worker = WORKER_THREAD,
    .max_workers = 1024,
    .shares_memory = true,
    .schedule = "dynamic,1",
};

static const struct program programs[] = {
    {.backend = &serial_backend,
     .summary = "Runs the jobs in order on the calling thread (exercise 5's given part).",
     .details = "The baseline: queue_serial in labs/exercises/queue.c.\n",
     .run_jobs = queue_serial},
    {.backend = &openmp_backend,
     .summary = "Runs the jobs on OpenMP threads, schedule(dynamic, 1) (exercise 5, part 1).",
     .details = "queue_openmp in labs/exercises/queue.c.  The threads share one process and\n"
                "so the global lock: with --lock held the jobs run one at a time.\n",
     .run_jobs = queue_openmp},
    {.backend = &pthreads_backend,
     .summary = "Runs the jobs on POSIX threads that share a counter (exercise 5, part 2).",
     .details = "queue_pthreads in labs/exercises/queue.c.  The threads share one process and\n"
                "so the global lock: with --lock held the jobs run one at a time.\n",
     .run_jobs = queue_pthreads},
};

int main(int argc, char **argv)
{
    static const char *const parts[] = {"serial", "openmp", "pthreads"};

    for (size_t p = 0; argc >= 2 && p < sizeof parts / sizeof parts[0]; p++)
        if (strcmp(argv[1], parts[p]) == 0)
            return experiment_main(&programs[p], argc - 1, argv + 1);
    fprintf(stderr,
            "usage: %s serial|openmp|pthreads [OPTIONS]: which queue runs the jobs, then "
            "parlab-threads' options (%s serial --help)\n",
            argv[0], argv[0]);
    return 2;
}
