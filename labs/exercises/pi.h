/*
 * pi.h - exercise 2: pi by numerical integration (labs/exercises/02-pi.md).
 *
 * pi is the integral of 4 / (1 + x^2) from 0 to 1.  Each function adds the midpoint
 * rule's `steps` terms and returns step * sum.  The checker calls them with as many
 * OpenMP threads as OMP_NUM_THREADS says, and checks each result against M_PI to
 * 1e-10.
 */
#ifndef EXERCISE_PI_H
#define EXERCISE_PI_H

double pi_serial(long steps);    /* given: one thread */
double pi_race(long steps);      /* a parallel loop that adds into one shared sum */
double pi_critical(long steps);  /* each thread's own sum, added under `critical` */
double pi_atomic(long steps);    /* each thread's own sum, added with `atomic` */
double pi_reduction(long steps); /* a parallel loop with reduction(+:sum) */

#endif
