/*
 * histogram.c - exercise 6: a shared histogram, on OpenMP threads.
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
#ifdef PARLAB_SOLUTION
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
#else
    EXERCISE_TODO("histogram_serial's loop with '#pragma omp parallel for', each bins[b]++ "
                  "between omp_set_lock(&lock) and omp_unset_lock(&lock) (omp_init_lock "
                  "before the loop, omp_destroy_lock after it)");
    (void)n;
    (void)bins;
#endif
}

/* Part 2: the same without the lock: each increment is made atomic. */
void histogram_atomic(long n, unsigned long bins[HISTOGRAM_BINS])
{
#ifdef PARLAB_SOLUTION
#pragma omp parallel for
    for (long i = 0; i < n; i++) {
        unsigned b = histogram_value(i);

#pragma omp atomic
        bins[b]++;
    }
#else
    EXERCISE_TODO("histogram_serial's loop with '#pragma omp parallel for' and "
                  "'#pragma omp atomic' on the increment");
    (void)n;
    (void)bins;
#endif
}

/* Part 3: each thread counts into a histogram of its own, and adds it into the shared
 * bins once, at the end. */
void histogram_private(long n, unsigned long bins[HISTOGRAM_BINS])
{
#ifdef PARLAB_SOLUTION
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
#else
    EXERCISE_TODO("a parallel region in which each thread counts into its own "
                  "'unsigned long mine[HISTOGRAM_BINS] = {0}' under '#pragma omp for', "
                  "then adds mine into bins inside '#pragma omp critical'");
    (void)n;
    (void)bins;
#endif
}
