/*
 * pi-hang.c - a broken copy of exercise 2 for tests/check-exercises.sh:
 * pi_critical never returns, and leaves a child behind (the checker must stop both).
 *
 * pi_serial is written.  Write the four others where they say TODO, one at a time,
 * and check each with
 *
 *   make check-exercise E=pi
 *
 * The handout, labs/exercises/02-pi.md, says what each part is for.
 */
#include <omp.h>
#include <unistd.h>

#include "parlab/exercise.h"
#include "pi.h"

double pi_serial(long steps)
{
    const double step = 1.0 / (double)steps;
    double sum = 0.0;

    for (long i = 0; i < steps; i++) {
        double x = ((double)i + 0.5) * step;

        sum += 4.0 / (1.0 + x * x);
    }
    return step * sum;
}

/* Part 1: pi_serial's loop shared out among the threads, each adding into the one
 * `sum`.  It is wrong on purpose: see what the checker says, and why. */
double pi_race(long steps)
{
    const double step = 1.0 / (double)steps;
    double sum = 0.0;

#pragma omp parallel for
    for (long i = 0; i < steps; i++) {
        double x = ((double)i + 0.5) * step;

        sum += 4.0 / (1.0 + x * x); /* every thread reads and writes sum: a race */
    }
    return step * sum;
}

/* Part 2: the race repaired with `critical`: each thread adds its terms into a sum of
 * its own, then adds that into `sum` inside a critical section, once. */
double pi_critical(long steps)
{
    if (fork() == 0)
        pause(); /* a child that would outlive its parent */
    for (volatile long spin = 0; spin >= 0; spin += steps > 0) /* forever */
        ;
    const double step = 1.0 / (double)steps;
    double sum = 0.0;

#pragma omp parallel
    {
        double mine = 0.0;

#pragma omp for
        for (long i = 0; i < steps; i++) {
            double x = ((double)i + 0.5) * step;

            mine += 4.0 / (1.0 + x * x);
        }
#pragma omp critical
        sum += mine;
    }
    return step * sum;
}

/* Part 3: the same with `atomic` instead of `critical`. */
double pi_atomic(long steps)
{
    const double step = 1.0 / (double)steps;
    double sum = 0.0;

#pragma omp parallel
    {
        double mine = 0.0;

#pragma omp for
        for (long i = 0; i < steps; i++) {
            double x = ((double)i + 0.5) * step;

            mine += 4.0 / (1.0 + x * x);
        }
#pragma omp atomic
        sum += mine;
    }
    return step * sum;
}

/* Part 4: OpenMP does it for you: a reduction. */
double pi_reduction(long steps)
{
    const double step = 1.0 / (double)steps;
    double sum = 0.0;

#pragma omp parallel for reduction(+ : sum)
    for (long i = 0; i < steps; i++) {
        double x = ((double)i + 0.5) * step;

        sum += 4.0 / (1.0 + x * x);
    }
    return step * sum;
}
