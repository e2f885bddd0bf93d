/*
 * schedule-nofor.c - a broken copy of exercise 4 for tests/check-exercises.sh:
 * schedule_dynamic's loop in a parallel region without `for`, so that every thread
 * runs every job.
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
#pragma omp parallel for schedule(static)
    for (int k = 0; k < jobs; k++)
        schedule_job(k);
}

/* Part 2: schedule(dynamic, 1): each thread that is free takes the next job. */
void schedule_dynamic(int jobs)
{
#pragma omp parallel
    for (int k = 0; k < jobs; k++)
        schedule_job(k);
}

/* Part 3: schedule(guided): a free thread takes a block of the jobs left, a share of
 * them that shrinks as they run out. */
void schedule_guided(int jobs)
{
#pragma omp parallel for schedule(guided)
    for (int k = 0; k < jobs; k++)
        schedule_job(k);
}

/* Part 4: schedule(static, 1): fixed before the loop starts, like static, but dealt
 * out one job at a time in turn, as cards are. */
void schedule_cyclic(int jobs)
{
#pragma omp parallel for schedule(static, 1)
    for (int k = 0; k < jobs; k++)
        schedule_job(k);
}
