/*
 * schedule.h - exercise 4: a loop of unequal jobs and OpenMP's schedules
 * (labs/exercises/04-schedule.md).
 *
 * The loop runs `jobs` jobs, k = 0 .. jobs-1.  Job k is the lecture's kernel
 * (include/parlab/kernel.h) at a size that grows with k, so the last jobs take many
 * times as long as the first.  schedule_job(k), which the checker's harness gives,
 * runs job k, checks its result against the kernel's closed form and writes down
 * which thread ran it, when, and on which PU.
 *
 * Each function below calls schedule_job(k) once for every k, sharing the loop out
 * among the threads with the schedule its comment names.  The checker calls them with
 * as many OpenMP threads as OMP_NUM_THREADS says and checks, from what schedule_job
 * wrote down, that every job ran exactly once with the right result and, where the
 * records can tell, that the loop was shared out as that schedule shares it.
 */
#ifndef EXERCISE_SCHEDULE_H
#define EXERCISE_SCHEDULE_H

/* Given (the harness): runs job k, 0 <= k < jobs.  Safe to call from any thread, for
 * different k at once. */
void schedule_job(int k);

void schedule_serial(int jobs);  /* given: the loop on one thread */
void schedule_static(int jobs);  /* schedule(static): one block of jobs per thread */
void schedule_dynamic(int jobs); /* schedule(dynamic, 1): the next job to a free thread */
void schedule_guided(int jobs);  /* schedule(guided): blocks that shrink as they go */
void schedule_cyclic(int jobs);  /* schedule(static, 1): the jobs dealt out in turn */

#endif
