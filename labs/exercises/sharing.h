/*
 * sharing.h - exercise 3: false sharing (labs/exercises/03-sharing.md).
 *
 * Each function adds the terms sharing_term(0) ... sharing_term(n - 1) and returns the
 * sum.  The checker calls them with as many OpenMP threads as OMP_NUM_THREADS says and
 * checks the sum exactly: the terms are small whole numbers, so every order of adding
 * gives the same double.
 */
#ifndef EXERCISE_SHARING_H
#define EXERCISE_SHARING_H

/* Given (the harness): term i, a whole number from 0 to 7.  It is defined in another
 * file, so the compiler cannot see what it does: a partial sum in memory
 * (partial[id] += sharing_term(i)) is loaded and stored around every call, as it would
 * be around any real work.  Safe in threads. */
double sharing_term(long i);

double sum_serial(long n);   /* given: one thread */
double sum_adjacent(long n); /* given: each thread adds into its slot of an array of
                              * adjacent doubles: right, and slow (false sharing) */
double sum_padded(long n);   /* the same with each slot on a cache line of its own */
double sum_private(long n);  /* each thread's own local sum, added to the result once */

#endif
