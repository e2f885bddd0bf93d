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

/* Where step `step` (counted from 0 in the loops' own order) of kernel_run(n) lies:
 * the loop indices m > l > j > i of that step.  Before it come C(m,4) steps of whole
 * m iterations, C(l,3) of whole l iterations inside m, C(j,2) of whole j iterations
 * inside l, and i steps of the innermost loop.  Requires step <= kernel_steps(n)
 * (step == kernel_steps(n) gives m = n, the loops' end).  kernel_run_range and its
 * vectorised twin start there. */
struct kernel_position {
    uint64_t m, l, j, i;
};
void kernel_position_of(uint64_t n, uint64_t step, struct kernel_position *p);

/* C(n,4), the number of innermost steps of kernel_run(n).  Requires
 * n <= KERNEL_MAX_SIZE (asserted). */
uint64_t kernel_steps(uint64_t n);

/* True when result is within KERNEL_REL_TOLERANCE of expected (exactly equal when
 * expected is 0).  A NaN is never ok. */
bool kernel_result_ok(double result, double expected);

/* Which kernel a program runs (--kernel): the scalar loops above, or the same steps
 * with the innermost loop vectorised (kernel_simd_run). */
enum kernel_kind {
    KERNEL_SCALAR,
    KERNEL_SIMD
};

/* "scalar" or "simd": --kernel's values and runs.csv's kernel column. */
const char *kernel_kind_name(enum kernel_kind kind);

/* Parses --kernel's value.  Returns 0, or -1 (nothing stored) for anything but the
 * two names. */
int kernel_kind_parse(const char *text, enum kernel_kind *out);

/* kernel_run(n) or kernel_simd_run(n), and likewise for a range of steps. */
double kernel_run_kind(enum kernel_kind kind, uint64_t n);
double kernel_run_range_kind(enum kernel_kind kind, uint64_t n, uint64_t from, uint64_t to);

/* The instruction set the kind runs with: kernel_simd_isa() for simd, "" for scalar. */
const char *kernel_kind_isa(enum kernel_kind kind);

/*
 * The vectorised kernel (kernel_simd.c): the same sum over the same C(n,4) steps,
 * the innermost loop run with OpenMP's simd construct, within KERNEL_REL_TOLERANCE
 * of kernel_closed_form(n) like kernel_run(n).  Compiled for several instruction sets
 * (x86-64: "avx512f", "avx2" and the baseline "sse2"; elsewhere one "generic"), the
 * best the CPU has chosen at the first call and kept, unless PARLAB_KERNEL_ISA names
 * another the CPU has.  Pure and safe in threads and in forked children.
 */
double kernel_simd_run(uint64_t n);

/* kernel_run_range(n, from, to), vectorised likewise. */
double kernel_simd_run_range(uint64_t n, uint64_t from, uint64_t to);

/* The name of the variant kernel_simd_run() uses (a static string). */
const char *kernel_simd_isa(void);

/* The variants this build has, in words ("sse2, avx2, avx512f"), for messages. */
const char *kernel_simd_isas(void);

/* Whether `name` (PARLAB_KERNEL_ISA's value; NULL: none given) is a variant this
 * build has and this CPU can run.  Returns 0, or -1 with errno EINVAL (no such
 * variant) or ENOTSUP (the CPU lacks it). */
int kernel_simd_check_isa(const char *name);

/* Makes kernel_simd_run() use the variant `name` from now on (NULL: the choice of
 * the first call: PARLAB_KERNEL_ISA's when the CPU has it, else the best it has).
 * Returns 0, or -1 with errno as kernel_simd_check_isa() (nothing changed).  For
 * tests and program start; not meant to race with running kernels. */
int kernel_simd_force(const char *name);

/* The kernel's rate: the best of three CPU times of kernel_run_kind(kind, n) in this
 * thread, per step, in *ns.  Returns 0, or -1 with errno set. */
int kernel_ns_per_step(enum kernel_kind kind, uint64_t n, double *ns);

/* What kernel_calibrate() found. */
struct kernel_calibration {
    uint64_t size;      /* the n chosen */
    double ns_per_step; /* measured on this machine, in this thread (for simd: the
                         * rate predicted at size) */
    double per_step_s, per_pass_s; /* the rate as measured: a run of n takes
                                    * per_step_s C(n,4) + per_pass_s C(n,3) seconds
                                    * (per_pass_s is 0 for scalar) */
};

/* Seconds a run of size n is predicted to take at the calibrated rate. */
double kernel_predict_seconds(const struct kernel_calibration *cal, uint64_t n);

/* Measures the kernel `kind` in the calling thread (CPU time of the thread, best of
 * three) and chooses the n whose run is expected to take closest to `seconds`
 * (0 < seconds); for simd from a cost per step and one per pass of the vectorised
 * loop, which it also pays.  Takes a few tens of milliseconds.  Returns 0, or -1 with errno
 * set when the clock cannot be read. */
int kernel_calibrate(enum kernel_kind kind, double seconds, struct kernel_calibration *cal);

#endif
