/*
 * check_kernel.c - the kernel does all its work and its result is checkable.
 */
#include <check.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parlab/clock.h"
#include "parlab/kernel.h"

#include "testutil.h"

/* The number of innermost steps, by running the four loops and counting. */
static uint64_t count_steps(uint64_t n)
{
    uint64_t steps = 0;

    for (uint64_t m = 0; m < n; m++)
        for (uint64_t l = 0; l < m; l++)
            for (uint64_t j = 0; j < l; j++)
                steps += j;
    return steps;
}

static unsigned __int128 choose4(uint64_t n)
{
    unsigned __int128 x = n;

    return n < 4 ? 0 : x * (x - 1) * (x - 2) * (x - 3) / 24;
}

START_TEST(closed_form_matches_loop_for_every_n_up_to_40)
{
    for (uint64_t n = 0; n <= 40; n++) {
        double loop = kernel_run(n), closed = kernel_closed_form(n);

        ck_assert_msg(kernel_result_ok(loop, closed), "n = %llu: loop %.17g, closed form %.17g",
                      (unsigned long long)n, loop, closed);
        if (n < 4)
            ck_assert_double_eq(loop, 0.0);
        else
            ck_assert_double_gt(loop, 0.0);
    }
}
END_TEST

START_TEST(closed_form_matches_loop_for_larger_n)
{
    static const uint64_t sizes[] = {64, 100, 150, 211, 256};
    /* valgrind runs the loops 50 times slower and has no memory to check in them: the
     * first three there (C(150,4) = 20 million steps), all five elsewhere */
    size_t count = tu_under_valgrind() ? 3 : sizeof sizes / sizeof sizes[0];

    for (size_t k = 0; k < count; k++) {
        double loop = kernel_run(sizes[k]), closed = kernel_closed_form(sizes[k]);

        ck_assert_double_eq_tol(loop / closed, 1.0, 1e-12);
    }
}
END_TEST

START_TEST(closed_form_is_the_weighted_sum_of_roots)
{
    /* n = 5: the tuples i<j<l<m<5 are C(5,4) = 5; i = 0 occurs C(4,3) = 4 times and
     * i = 1 once, so the sum is 4 sqrt(4) + sqrt(5). */
    ck_assert_double_eq_tol(kernel_closed_form(5), 8.0 + sqrt(5.0), 1e-15);
    ck_assert_double_eq_tol(kernel_run(5), 8.0 + sqrt(5.0), 1e-15);
    ck_assert_double_eq_tol(kernel_closed_form(4), 2.0, 1e-15);
}
END_TEST

START_TEST(steps_are_n_choose_4)
{
    for (uint64_t n = 0; n <= 60; n++)
        ck_assert_uint_eq(kernel_steps(n), count_steps(n));
    ck_assert(kernel_steps(1000) == (uint64_t)choose4(1000));
    ck_assert(kernel_steps(KERNEL_MAX_SIZE) == (uint64_t)choose4(KERNEL_MAX_SIZE));
    /* KERNEL_MAX_SIZE is the largest size whose step count fits in 64 bits. */
    ck_assert(choose4(KERNEL_MAX_SIZE) <= UINT64_MAX);
    ck_assert(choose4(KERNEL_MAX_SIZE + 1) > UINT64_MAX);
}
END_TEST

START_TEST(result_check_has_the_stated_tolerance)
{
    double x = kernel_closed_form(100);

    ck_assert(kernel_result_ok(x, x));
    ck_assert(kernel_result_ok(x * (1 + 1e-13), x));
    ck_assert(!kernel_result_ok(x * (1 + 1e-11), x));
    ck_assert(!kernel_result_ok(x * (1 - 1e-11), x));
    ck_assert(!kernel_result_ok(NAN, x));
    ck_assert(kernel_result_ok(0.0, 0.0));
    ck_assert(!kernel_result_ok(1e-300, 0.0));
}
END_TEST

/* Least thread CPU time of three calls. */
static double cpu_of_kind(enum kernel_kind kind, uint64_t n)
{
    static volatile double sink;
    double best = HUGE_VAL;

    for (int k = 0; k < 3; k++) {
        double t0 = clock_thread_cpu();
        sink = kernel_run_kind(kind, n);
        double t = clock_thread_cpu() - t0;
        if (t < best)
            best = t;
    }
    (void)sink;
    return best;
}

static double cpu_of(uint64_t n)
{
    return cpu_of_kind(KERNEL_SCALAR, n);
}

START_TEST(kernel_time_grows_like_n_choose_4)
{
    /* Doubling n multiplies the steps by about 16.  A kernel that skipped a loop
     * level would grow by 8 or less.  CPU time of this thread is not disturbed by
     * other processes; the bounds leave room for frequency changes. */
    uint64_t n = tu_under_valgrind() ? 60 : 90; /* under valgrind, 1/5 of the steps */
    double t1 = cpu_of(n), t2 = cpu_of(2 * n);
    double expected = (double)kernel_steps(2 * n) / (double)kernel_steps(n);
    double ratio = t2 / t1;

    ck_assert_msg(ratio > 0.7 * expected && ratio < 1.5 * expected,
                  "time grew %.1f times from n = %llu to n = %llu; C(n,4) grew %.1f times",
                  ratio, (unsigned long long)n, (unsigned long long)(2 * n), expected);
}
END_TEST

START_TEST(calibration_chooses_a_size_near_the_target)
{
    struct kernel_calibration cal;
    double t;

    ck_assert_int_eq(kernel_calibrate(KERNEL_SCALAR, 0.05, &cal), 0);
    ck_assert_double_gt(cal.ns_per_step, 0.0);
    ck_assert_double_eq(cal.per_pass_s, 0.0); /* the scalar rate: one number, as it was */
    ck_assert_double_eq_tol(cal.per_step_s * 1e9, cal.ns_per_step, 1e-9);
    ck_assert_uint_gt(cal.size, 4);
    t = cpu_of(cal.size);
    ck_assert_msg(t > 0.05 / 2.5 && t < 0.05 * 2.5,
                  "calibrated n = %llu for 0.05 s takes %.3f s", (unsigned long long)cal.size,
                  t);
}
END_TEST

/* The steps from..to-1 of the loops, summed one by one in the loops' order. */
static double brute_range(uint64_t n, uint64_t from, uint64_t to)
{
    uint64_t step = 0;
    double sum = 0.0;

    for (uint64_t m = 0; m < n; m++)
        for (uint64_t l = 0; l < m; l++)
            for (uint64_t j = 0; j < l; j++)
                for (uint64_t i = 0; i < j; i++, step++)
                    if (step >= from && step < to)
                        sum += sqrt((double)i + 4.0);
    return sum;
}

START_TEST(a_range_of_steps_sums_exactly_those_steps)
{
    const uint64_t n = 23, steps = kernel_steps(23);
    static const uint64_t points[] = {0, 1, 2, 3, 4, 5, 17, 99, 100, 1000, 4094, 5000};

    for (size_t a = 0; a < sizeof points / sizeof points[0]; a++)
        for (size_t b = a; b < sizeof points / sizeof points[0]; b++) {
            uint64_t from = points[a] < steps ? points[a] : steps;
            uint64_t to = points[b] < steps ? points[b] : steps;

            ck_assert_msg(kernel_result_ok(kernel_run_range(n, from, to), brute_range(n, from, to)),
                          "steps %llu..%llu", (unsigned long long)from, (unsigned long long)to);
        }
    ck_assert_double_eq(kernel_run_range(n, 7, 7), 0.0);
}
END_TEST

START_TEST(a_job_split_anywhere_adds_up_to_the_whole)
{
    /* under valgrind a smaller n: the same splits, an eighth of the steps */
    const uint64_t n = tu_under_valgrind() ? 72 : 120, steps = kernel_steps(n);
    const double whole = kernel_closed_form(n);

    for (uint64_t k = 0; k <= steps; k += steps / 7 + 1) {
        double split = kernel_run_range(n, 0, k) + kernel_run_range(n, k, steps);
        ck_assert_msg(kernel_result_ok(split, whole), "split at %llu", (unsigned long long)k);
    }
    ck_assert(kernel_result_ok(kernel_run_range(n, 0, steps), whole));
}
END_TEST

START_TEST(the_rate_is_the_time_of_known_steps)
{
    double ns = -1;

    /* ns per step, not seconds per run nor per step: a square root takes about 2 ns,
     * and no machine is 100 times faster or 500 times slower */
    ck_assert_int_eq(kernel_ns_per_step(KERNEL_SCALAR, 56, &ns), 0);
    ck_assert_msg(ns > 0.02 && ns < 1000, "%g ns per step", ns);
}
END_TEST


/* The variants of the simd kernel this build has and this CPU runs, in *names. */
static size_t variants_here(const char **names)
{
    static const char *const all[] = {"sse2", "avx2", "avx512f", "generic"};
    size_t count = 0;

    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        if (kernel_simd_check_isa(all[k]) == 0)
            names[count++] = all[k];
    ck_assert_msg(count > 0, "no variant of the simd kernel runs here");
    return count;
}

START_TEST(simd_matches_closed_form_and_scalar_for_every_n_up_to_40)
{
    const char *names[4];
    size_t count = variants_here(names);

    for (size_t v = 0; v < count; v++) {
        ck_assert_int_eq(kernel_simd_force(names[v]), 0);
        ck_assert_str_eq(kernel_simd_isa(), names[v]);
        for (uint64_t n = 0; n <= 40; n++) {
            double simd = kernel_simd_run(n), scalar = kernel_run(n);

            ck_assert_msg(kernel_result_ok(simd, kernel_closed_form(n)) &&
                              kernel_result_ok(simd, scalar),
                          "%s, n = %llu: simd %.17g, scalar %.17g, closed form %.17g",
                          names[v], (unsigned long long)n, simd, scalar, kernel_closed_form(n));
            if (n < 4)
                ck_assert_double_eq(simd, 0.0);
        }
    }
}
END_TEST

START_TEST(simd_matches_closed_form_for_large_n)
{
    /* n = 200 whole (65 million steps); n = 1000 and the largest n in ranges of steps
     * (a whole run of n = 1000 takes 20 s), against the scalar ranges, which
     * a_range_of_steps_sums_exactly_those_steps checks step by step */
    const char *names[4];
    size_t count = variants_here(names);
    const uint64_t big[] = {1000, KERNEL_MAX_SIZE};

    for (size_t v = 0; v < count; v++) {
        ck_assert_int_eq(kernel_simd_force(names[v]), 0);
        if (!tu_under_valgrind()) /* 50 times slower there: the ranges only */
            ck_assert_msg(kernel_result_ok(kernel_simd_run(200), kernel_closed_form(200)),
                          "%s, n = 200: %.17g, closed form %.17g", names[v], kernel_simd_run(200),
                          kernel_closed_form(200));
        for (size_t b = 0; b < sizeof big / sizeof big[0]; b++) {
            uint64_t steps = kernel_steps(big[b]);
            uint64_t starts[] = {0, steps / 3, steps - 3000000};

            for (size_t k = 0; k < sizeof starts / sizeof starts[0]; k++) {
                uint64_t from = starts[k], to = from + 3000000;
                double simd = kernel_simd_run_range(big[b], from, to);
                double scalar = kernel_run_range(big[b], from, to);

                ck_assert_msg(kernel_result_ok(simd, scalar),
                              "%s, n = %llu, steps %llu..%llu: simd %.17g, scalar %.17g",
                              names[v], (unsigned long long)big[b], (unsigned long long)from,
                              (unsigned long long)to, simd, scalar);
            }
        }
    }
}
END_TEST

START_TEST(simd_range_sums_exactly_those_steps)
{
    /* The step count, step by step: each range of the simd kernel adds the roots of
     * exactly the steps the four loops take there, so a whole run takes C(n,4). */
    const uint64_t n = 23, steps = kernel_steps(23);
    static const uint64_t points[] = {0, 1, 2, 3, 4, 5, 17, 99, 100, 1000, 4094, 5000, 8855};
    const char *names[4];
    size_t count = variants_here(names);

    ck_assert_uint_eq(steps, 8855);
    for (size_t v = 0; v < count; v++) {
        ck_assert_int_eq(kernel_simd_force(names[v]), 0);
        for (size_t a = 0; a < sizeof points / sizeof points[0]; a++)
            for (size_t b = a; b < sizeof points / sizeof points[0]; b++) {
                uint64_t from = points[a] < steps ? points[a] : steps;
                uint64_t to = points[b] < steps ? points[b] : steps;

                ck_assert_msg(kernel_result_ok(kernel_simd_run_range(n, from, to),
                                               brute_range(n, from, to)),
                              "%s, steps %llu..%llu", names[v], (unsigned long long)from,
                              (unsigned long long)to);
            }
        ck_assert_double_eq(kernel_simd_run_range(n, 7, 7), 0.0);
        ck_assert(kernel_result_ok(kernel_simd_run_range(n, 0, steps), brute_range(n, 0, steps)));
        ck_assert(kernel_result_ok(kernel_simd_run(n), brute_range(n, 0, steps)));
    }
}
END_TEST

START_TEST(simd_time_grows_like_n_choose_4)
{
    /* As kernel_time_grows_like_n_choose_4, with the best variant.  Each pass of the
     * innermost loop also costs a few nanoseconds of its own (the reduction's set-up,
     * the last roots that fill no vector), C(n,3) of them, so the time grows by less
     * than C(n,4) does: 12 times from n = 150 to 300 on an AVX-512 machine.  A
     * kernel that skipped a loop level, or kept the roots of one j across the l and m
     * loops, would grow by 8 or less. */
    uint64_t n = 150;
    double t1, t2, expected = (double)kernel_steps(2 * n) / (double)kernel_steps(n), ratio;

    if (tu_under_valgrind())
        tu_skip("valgrind hides AVX-512 and runs the loops 50 times slower: timed as built");
    ck_assert_int_eq(kernel_simd_force(NULL), 0);
    /* Up to three tries: in a VM the time the host gives another guest counts as this
     * thread's CPU time (9.7 once, with the machine busy); a kernel that skipped a
     * level never reaches 10. */
    for (int attempt = 0; attempt < 3; attempt++) {
        t1 = cpu_of_kind(KERNEL_SIMD, n);
        t2 = cpu_of_kind(KERNEL_SIMD, 2 * n);
        ratio = t2 / t1;
        if (ratio > 10 && ratio < 1.5 * expected)
            break;
    }
    ck_assert_msg(ratio > 10 && ratio < 1.5 * expected,
                  "%s: time grew %.1f times from n = %llu to n = %llu; C(n,4) grew %.1f times",
                  kernel_simd_isa(), ratio, (unsigned long long)n, (unsigned long long)(2 * n),
                  expected);
}
END_TEST

START_TEST(parlab_kernel_isa_chooses_the_variant)
{
    const char *names[4];
    size_t count = variants_here(names);

    for (size_t v = 0; v < count; v++) {
        setenv("PARLAB_KERNEL_ISA", names[v], 1);
        ck_assert_int_eq(kernel_simd_force(NULL), 0);
        ck_assert_str_eq(kernel_simd_isa(), names[v]);
        ck_assert_str_eq(kernel_kind_isa(KERNEL_SIMD), names[v]);
    }
    /* a variant of this build the CPU lacks (AVX-512 under valgrind): ENOTSUP */
    for (size_t k = 0; k < 3; k++) {
        static const char *const x86[] = {"sse2", "avx2", "avx512f"};
        bool here = false;

        for (size_t v = 0; v < count; v++)
            here = here || strcmp(names[v], x86[k]) == 0;
#if defined(__x86_64__)
        if (!here) {
            ck_assert_int_eq(kernel_simd_check_isa(x86[k]), -1);
            ck_assert_int_eq(errno, ENOTSUP);
            ck_assert_int_eq(kernel_simd_force(x86[k]), -1);
        }
#else
        ck_assert(!here);
#endif
    }
    /* unknown, or named wrongly: refused, and the choice stays */
    ck_assert_int_eq(kernel_simd_check_isa("avx"), -1);
    ck_assert_int_eq(errno, EINVAL);
    ck_assert_int_eq(kernel_simd_force("SSE2"), -1);
    ck_assert_str_eq(kernel_simd_isa(), names[count - 1]);
    ck_assert_int_eq(kernel_simd_check_isa(NULL), 0);
    /* unset: the best this CPU has, the last of those it runs */
    unsetenv("PARLAB_KERNEL_ISA");
    ck_assert_int_eq(kernel_simd_force(NULL), 0);
    ck_assert_str_eq(kernel_simd_isa(), names[count - 1]);
#if defined(__x86_64__)
    ck_assert_str_eq(names[0], "sse2"); /* the baseline runs on every x86-64 */
    ck_assert_int_eq(kernel_simd_check_isa("generic"), -1);
#endif
    ck_assert_str_eq(kernel_kind_isa(KERNEL_SCALAR), "");
}
END_TEST

START_TEST(kernel_kinds_parse_strictly)
{
    enum kernel_kind k = KERNEL_SIMD;

    ck_assert_int_eq(kernel_kind_parse("scalar", &k), 0);
    ck_assert_int_eq(k, KERNEL_SCALAR);
    ck_assert_int_eq(kernel_kind_parse("simd", &k), 0);
    ck_assert_int_eq(k, KERNEL_SIMD);
    ck_assert_int_eq(kernel_kind_parse("SIMD", &k), -1);
    ck_assert_int_eq(kernel_kind_parse("", &k), -1);
    ck_assert_int_eq(kernel_kind_parse("simd ", &k), -1);
    ck_assert_int_eq(k, KERNEL_SIMD);
    ck_assert_str_eq(kernel_kind_name(KERNEL_SCALAR), "scalar");
    ck_assert_str_eq(kernel_kind_name(KERNEL_SIMD), "simd");
}
END_TEST

START_TEST(simd_calibration_and_rate_use_the_simd_kernel)
{
    struct kernel_calibration cal;
    double t, ns;

    ck_assert_int_eq(kernel_ns_per_step(KERNEL_SIMD, 56, &ns), 0);
    ck_assert_msg(ns > 0.005 && ns < 1000, "%g ns per step", ns);
    if (tu_under_valgrind()) /* its CPU time is no measure of the kernel's */
        return;
    ck_assert_int_eq(kernel_calibrate(KERNEL_SIMD, 0.05, &cal), 0);
    /* the n chosen is the one its rate predicts closest to the target */
    ck_assert_double_le(kernel_predict_seconds(&cal, cal.size - 1), 0.05);
    ck_assert_double_ge(kernel_predict_seconds(&cal, cal.size + 1), 0.05);
    t = cpu_of_kind(KERNEL_SIMD, cal.size);
    ck_assert_msg(t > 0.05 / 2.5 && t < 0.05 * 2.5,
                  "calibrated n = %llu for 0.05 s takes %.3f s with simd", (unsigned long long)cal.size, t);
}
END_TEST

static Suite *kernel_suite(void)
{
    Suite *s = suite_create("kernel");
    TCase *tc = tcase_create("kernel");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, closed_form_matches_loop_for_every_n_up_to_40);
    tcase_add_test(tc, closed_form_matches_loop_for_larger_n);
    tcase_add_test(tc, closed_form_is_the_weighted_sum_of_roots);
    tcase_add_test(tc, steps_are_n_choose_4);
    tcase_add_test(tc, result_check_has_the_stated_tolerance);
    tcase_add_test(tc, kernel_time_grows_like_n_choose_4);
    tcase_add_test(tc, calibration_chooses_a_size_near_the_target);
    tcase_add_test(tc, a_range_of_steps_sums_exactly_those_steps);
    tcase_add_test(tc, a_job_split_anywhere_adds_up_to_the_whole);
    tcase_add_test(tc, the_rate_is_the_time_of_known_steps);
    tcase_add_test(tc, simd_matches_closed_form_and_scalar_for_every_n_up_to_40);
    tcase_add_test(tc, simd_matches_closed_form_for_large_n);
    tcase_add_test(tc, simd_range_sums_exactly_those_steps);
    tcase_add_test(tc, simd_time_grows_like_n_choose_4);
    tcase_add_test(tc, parlab_kernel_isa_chooses_the_variant);
    tcase_add_test(tc, kernel_kinds_parse_strictly);
    tcase_add_test(tc, simd_calibration_and_rate_use_the_simd_kernel);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(kernel_suite());
}
