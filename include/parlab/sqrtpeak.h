/*
 * sqrtpeak.h - how fast this core's square-root unit can go: the floor under the
 * simd kernel's ns per step.
 *
 * The kernel's innermost loop is one square root and one add per step.  Vectorised,
 * it cannot be faster than a long loop of independent roots vectorised the same way
 * (omp simd with a reduction, compiled with the simd kernel's flags, in the same
 * variants, chosen by the same names): that loop is measured here, in ns per root, so
 * that the kernel's ns per step can be set against it on the machine at hand.
 */
#ifndef PARLAB_SQRTPEAK_H
#define PARLAB_SQRTPEAK_H

#include <stdint.h>

/* The roots of one pass: sqrt(4 + k) for k < SQRTPEAK_ROOTS, read from an array that
 * stays in the L1 cache (16 KiB), so that the square-root unit is the limit. */
#define SQRTPEAK_ROOTS 2048

/* The passes sqrtpeak_ns_per_root() times in each of its measurements: about 4
 * million roots, a few milliseconds. */
#define SQRTPEAK_PASSES 2000

/* Takes `passes` x SQRTPEAK_ROOTS square roots with the variant `isa` (a name of
 * kernel_simd_isas(); NULL: the one kernel_simd_isa() names) and stores their sum in
 * *sum.  Returns 0, or -1 with errno as kernel_simd_check_isa() (nothing stored). */
int sqrtpeak_sum(const char *isa, uint64_t passes, double *sum);

/* What sqrtpeak_sum(isa, passes) sums to: passes times the sum of one pass, that one
 * added in order with compensated summation. */
double sqrtpeak_expected(uint64_t passes);

/* The best of five CPU times of this thread for sqrtpeak_sum(isa, SQRTPEAK_PASSES),
 * per root, in *ns, after checking the sum against sqrtpeak_expected() (a wrong sum
 * is errno EDOM).  Returns 0, or -1 with errno set. */
int sqrtpeak_ns_per_root(const char *isa, double *ns);

#endif
