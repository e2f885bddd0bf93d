/*
 * queue.h - exercise 5: the job queue of a threads program (labs/exercises/05-queue.md).
 *
 * Each function is a parlab program's run_jobs (include/parlab/program.h): it runs the
 * jobs 0 .. run->plan->jobs - 1 on run->plan->workers workers and returns 0, or
 * returns -1 after writing why into run->error.  A worker is made by
 *
 *   struct worker me;
 *   worker_start(run, index, WORKER_THREAD, &me);   index: 0 .. workers - 1, once each
 *
 * in the thread that is to be that worker, and it runs job k by
 *
 *   job_run(run, k, &me, &run->jobs[k]);
 *
 * which takes the lock when -l held says so, calls the kernel and fills in the job's
 * record (include/parlab/job.h).  After run_jobs has returned the library checks that
 * every job ran exactly once and every result against the closed form; the checker
 * also reads the records (jobs.csv): workers numbered 0 .. W-1, each one thread of its
 * own, running one job at a time, and with -l held no two jobs at once.
 */
#ifndef EXERCISE_QUEUE_H
#define EXERCISE_QUEUE_H

#include "parlab/run.h"

int queue_serial(struct run *run);   /* given: one worker, the calling thread, the jobs in order */
int queue_openmp(struct run *run);   /* W OpenMP threads; a loop with schedule(dynamic, 1) */
int queue_pthreads(struct run *run); /* W pthreads, each taking the next job from a shared
                                      * counter until none is left */

#endif
