/*
 * sharing-unpadded.c - a broken copy of exercise 3 for tests/check-exercises.sh:
 * sum_padded aligns its array to a cache line but leaves the slots adjacent
 * (partial[id], not partial[id * stride]): right, and as slow as sum_adjacent where
 * the machine shows false sharing.
 */
#include <omp.h>
#include <stdlib.h>

#include "parlab/exercise.h"
#include "sharing.h"

double sum_serial(long n)
{
    double sum = 0.0;

    for (long i = 0; i < n; i++)
        sum += sharing_term(i);
    return sum;
}

/* Given: each thread adds its share of the terms into its own slot, partial[id], and
 * the slots are added up after the region.  No two threads write the same double, so
 * there is no race; but the slots are 8 bytes apart, and the threads' slots share one
 * cache line, which the cores must pass back and forth at every write. */
double sum_adjacent(long n)
{
    int threads = omp_get_max_threads();
    double *partial = calloc((size_t)threads, sizeof *partial);
    double sum = 0.0;

    if (partial == NULL)
        return -1.0;
#pragma omp parallel
    {
        int id = omp_get_thread_num();

#pragma omp for
        for (long i = 0; i < n; i++)
            partial[id] += sharing_term(i);
    }
    for (int k = 0; k < threads; k++)
        sum += partial[k];
    free(partial);
    return sum;
}

/* Part 1: sum_adjacent with each thread's slot on a cache line of its own: the line's
 * size from exercise_cache_line() (hwloc's), the array from aligned_alloc(line, ...),
 * and thread id's slot `line / sizeof(double)` doubles after thread id - 1's. */
double sum_padded(long n)
{
    size_t line = exercise_cache_line();
    int threads = omp_get_max_threads();
    double *partial = aligned_alloc(line, (size_t)threads * line); /* on a line of its own */
    double sum = 0.0;

    if (partial == NULL)
        return -1.0;
    for (int k = 0; k < threads; k++)
        partial[k] = 0.0;
#pragma omp parallel
    {
        int id = omp_get_thread_num();

#pragma omp for
        for (long i = 0; i < n; i++)
            partial[id] += sharing_term(i);
    }
    for (int k = 0; k < threads; k++)
        sum += partial[k];
    free(partial);
    return sum;
}

/* Part 2: no array at all: each thread adds into a local variable of its own, declared
 * inside the region, and adds that to the result once, atomically. */
double sum_private(long n)
{
    double sum = 0.0;

#pragma omp parallel
    {
        double mine = 0.0;

#pragma omp for
        for (long i = 0; i < n; i++)
            mine += sharing_term(i);
#pragma omp atomic
        sum += mine;
    }
    return sum;
}
