/*
 * histogram-racy.c - a broken copy of exercise 6 for tests/check-exercises.sh:
 * histogram_atomic without its atomic (a race the checker must catch).
 *
 * histogram_serial is written.  Write the three others where they say TODO, one at a
 * time, and check each with
 *
 *   make check-exercise E=histogram
 *
 * The handout, labs/exercises/06-histogram.md, says what each part is for.
 */
#include <omp.h>

#include "histogram.h"
#include "parlab/exercise.h"

void histogram_serial(long n, unsigned long bins[HISTOGRAM_BINS])
{
    for (long i = 0; i < n; i++)
        bins[histogram_value(i)]++;
}

/* Part 1: the loop shared out among the threads, each increment of the shared bins
 * made while holding one lock. */
void histogram_lock(long n, unsigned long bins[HISTOGRAM_BINS])
{
    omp_lock_t lock;

    omp_init_lock(&lock);
#pragma omp parallel for
    for (long i = 0; i < n; i++) {
        unsigned b = histogram_value(i);

        omp_set_lock(&lock);
        bins[b]++;
        omp_unset_lock(&lock);
    }
    omp_destroy_lock(&lock);
}

/* Part 2: the same without the lock: each increment is made atomic. */
void histogram_atomic(long n, unsigned long bins[HISTOGRAM_BINS])
{
#pragma omp parallel for
    for (long i = 0; i < n; i++) {
        unsigned b = histogram_value(i);

        bins[b]++;
    }
}

/* Part 3: each thread counts into a histogram of its own, and adds it into the shared
 * bins once, at the end. */
void histogram_private(long n, unsigned long bins[HISTOGRAM_BINS])
{
#pragma omp parallel
    {
        unsigned long mine[HISTOGRAM_BINS] = {0};

#pragma omp for
        for (long i = 0; i < n; i++)
            mine[histogram_value(i)]++;
#pragma omp critical
        for (int b = 0; b < HISTOGRAM_BINS; b++)
            bins[b] += mine[b];
    }
}
