/*
 * sharing.c - exercise 3: false sharing, on OpenMP threads.
 *
 * sum_serial and sum_adjacent are written: sum_adjacent is right, and slow.  Write
 * sum_padded and sum_private where they say TODO, one at a time, and check each with
 *
 *   make check-exercise E=sharing        (or: bin/parlab-exercise sharing)
 *
 * The handout, labs/exercises/03-sharing.md, says what each part is for.
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
#ifdef PARLAB_SOLUTION
    size_t line = exercise_cache_line();
    size_t stride = line / sizeof(double); /* doubles from one slot to the next */
    int threads = omp_get_max_threads();
    double *partial = aligned_alloc(line, (size_t)threads * line);
    double sum = 0.0;

    if (partial == NULL)
        return -1.0;
    for (int k = 0; k < threads; k++)
        partial[(size_t)k * stride] = 0.0;
#pragma omp parallel
    {
        size_t id = (size_t)omp_get_thread_num();

#pragma omp for
        for (long i = 0; i < n; i++)
            partial[id * stride] += sharing_term(i);
    }
    for (int k = 0; k < threads; k++)
        sum += partial[(size_t)k * stride];
    free(partial);
    return sum;
#else
    EXERCISE_TODO("sum_adjacent's code with partial from aligned_alloc(line, threads * line) "
                  "and thread id's slot at partial[id * (line / sizeof(double))], line = "
                  "exercise_cache_line()");
    (void)n;
    return 0.0;
#endif
}

/* Part 2: no array at all: each thread adds into a local variable of its own, declared
 * inside the region, and adds that to the result once, atomically. */
double sum_private(long n)
{
#ifdef PARLAB_SOLUTION
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
#else
    EXERCISE_TODO("a parallel region with a local 'double mine' that the loop adds into, "
                  "then '#pragma omp atomic' sum += mine");
    (void)n;
    return 0.0;
#endif
}
