/*
 * kernel.h - the lecture's compute kernel, made honest.
 *
 * The notebook's wait_loop(n) runs four nested loops over 0 <= i < j < l < m < n
 * and takes a square root in the innermost one.  Written that way, an optimising
 * compiler deletes the loops, because nothing uses the roots.  parlab's version adds
 * every root sqrt(i + 4) into its result, so the work cannot be skipped: one call
 * does exactly C(n,4) innermost steps, and the result can be checked in O(n),
 * because each i occurs C(n-1-i, 3) times.
 *
 * Every function here is pure: safe in any thread and in a forked child.
 */
#ifndef PARLAB_KERNEL_H
#define PARLAB_KERNEL_H

#include <stdbool.h>
#include <stdint.h>

/* The largest n whose step count C(n,4) fits in 64 bits. */
#define KERNEL_MAX_SIZE UINT64_C(145056)

/* The largest relative difference between kernel_run(n) and kernel_closed_form(n)
 * that kernel_result_ok() accepts. */
#define KERNEL_REL_TOLERANCE 1e-12

/* Runs the four nested loops and returns the sum of sqrt(i + 4) over every
 * 0 <= i < j < l < m < n.  Takes kernel_steps(n) innermost steps. */
double kernel_run(uint64_t n);

/* The part of kernel_run(n)'s sum that its steps from .. to-1 add, counting steps in
 * the loops' own order (m, then l, j and i).  So kernel_run_range(n, 0, k) +
 * kernel_run_range(n, k, kernel_steps(n)) is kernel_run(n), up to rounding, for every
 * k, and a job can do an exact share of its steps under the lock.  Takes to - from
 * steps.  Requires from <= to <= kernel_steps(n). */
double kernel_run_range(uint64_t n, uint64_t from, uint64_t to);

/* The same sum in O(n): sum over i of C(n-1-i, 3) * sqrt(i + 4), added with
 * compensated summation.  Requires n <= KERNEL_MAX_SIZE. */
double kernel_closed_form(uint64_t n);

/* C(n,4), the number of innermost steps of kernel_run(n).  Requires
 * n <= KERNEL_MAX_SIZE (asserted). */
uint64_t kernel_steps(uint64_t n);

/* True when result is within KERNEL_REL_TOLERANCE of expected (exactly equal when
 * expected is 0).  A NaN is never ok. */
bool kernel_result_ok(double result, double expected);

/* The kernel's rate: the best of three CPU times of kernel_run(n) in this thread,
 * per step, in *ns.  Returns 0, or -1 with errno set. */
int kernel_ns_per_step(uint64_t n, double *ns);

/* What kernel_calibrate() found. */
struct kernel_calibration {
    uint64_t size;      /* the n chosen */
    double ns_per_step; /* measured on this machine, in this thread */
};

/* Measures the kernel in the calling thread (CPU time of the thread, best of three)
 * and chooses the n whose run is expected to take closest to `seconds`
 * (0 < seconds).  Takes a few tens of milliseconds.  Returns 0, or -1 with errno
 * set when the clock cannot be read. */
int kernel_calibrate(double seconds, struct kernel_calibration *cal);

#endif
