/*
 * schedule.c - exercise 4: a loop of unequal jobs, shared out by OpenMP's schedules.
 *
 * schedule_serial is written.  Write the four others where they say TODO, one at a
 * time, and check each with
 *
 *   make check-exercise E=schedule
 *
 * The handout, labs/exercises/04-schedule.md, says what each part is for.
 */
#include <omp.h>

#include "parlab/exercise.h"
#include "schedule.h"

void schedule_serial(int jobs)
{
    for (int k = 0; k < jobs; k++)
        schedule_job(k);
}

/* Part 1: the loop shared out with schedule(static): before it starts, each thread
 * gets one block of consecutive jobs, the blocks as equal in number as they can be. */
void schedule_static(int jobs)
{
#ifdef PARLAB_SOLUTION
#pragma omp parallel for schedule(static)
    for (int k = 0; k < jobs; k++)
        schedule_job(k);
#else
    EXERCISE_TODO("schedule_serial's loop with '#pragma omp parallel for schedule(static)'");
    (void)jobs;
#endif
}

/* Part 2: schedule(dynamic, 1): each thread that is free takes the next job. */
void schedule_dynamic(int jobs)
{
#ifdef PARLAB_SOLUTION
#pragma omp parallel for schedule(dynamic, 1)
    for (int k = 0; k < jobs; k++)
        schedule_job(k);
#else
    EXERCISE_TODO("schedule_serial's loop with '#pragma omp parallel for schedule(dynamic, 1)'");
    (void)jobs;
#endif
}

/* Part 3: schedule(guided): a free thread takes a block of the jobs left, a share of
 * them that shrinks as they run out. */
void schedule_guided(int jobs)
{
#ifdef PARLAB_SOLUTION
#pragma omp parallel for schedule(guided)
    for (int k = 0; k < jobs; k++)
        schedule_job(k);
#else
    EXERCISE_TODO("schedule_serial's loop with '#pragma omp parallel for schedule(guided)'");
    (void)jobs;
#endif
}

/* Part 4: schedule(static, 1): fixed before the loop starts, like static, but dealt
 * out one job at a time in turn, as cards are. */
void schedule_cyclic(int jobs)
{
#ifdef PARLAB_SOLUTION
#pragma omp parallel for schedule(static, 1)
    for (int k = 0; k < jobs; k++)
        schedule_job(k);
#else
    EXERCISE_TODO("schedule_serial's loop with '#pragma omp parallel for schedule(static, 1)'");
    (void)jobs;
#endif
}
