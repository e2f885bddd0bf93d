/*
 * histogram.h - exercise 6: a shared histogram (labs/exercises/06-histogram.md).
 *
 * Value i, for i = 0 .. n-1, falls into bin histogram_value(i), one of HISTOGRAM_BINS;
 * half of the values fall into bin 0, a quarter into bin 1, and so on.  Each function
 * below adds one to bins[histogram_value(i)] for every i: the bins it is given hold
 * zeros, and must end up holding how many values fell into each.  The checker calls
 * them with as many OpenMP threads as OMP_NUM_THREADS says, and checks every count
 * exactly against its own, made before the call.
 */
#ifndef EXERCISE_HISTOGRAM_H
#define EXERCISE_HISTOGRAM_H

#define HISTOGRAM_BINS 8

/* Given (the harness): the bin of value i, from 0 to HISTOGRAM_BINS - 1, from a hash
 * of i; about 10 ns of work.  Pure: safe in any thread. */
unsigned histogram_value(long i);

/* given: one thread */
void histogram_serial(long n, unsigned long bins[HISTOGRAM_BINS]);
/* a parallel loop, each increment made holding one lock */
void histogram_lock(long n, unsigned long bins[HISTOGRAM_BINS]);
/* a parallel loop, each increment atomic */
void histogram_atomic(long n, unsigned long bins[HISTOGRAM_BINS]);
/* a histogram per thread, added into bins once at the end */
void histogram_private(long n, unsigned long bins[HISTOGRAM_BINS]);

#endif
