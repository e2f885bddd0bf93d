/*
 * check_simd.c - the square-root unit's micro-benchmark (sqrtpeak.c) and
 * bin/parlab-simd: the sums it takes, every variant the CPU has in the table, the
 * ratios it prints following from the rates beside them, and its command line.
 * No test asserts how fast anything is (the machine is shared): only that rates are
 * measured, positive and printed consistently.
 */
#include <check.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parlab/kernel.h"
#include "parlab/sqrtpeak.h"
#include "testutil.h"

/* Every name a variant could have, on any build; "generic" only off x86-64. */
static const char *const all[] = {"avx512f", "avx2", "sse2", "generic"};
#define ALL (sizeof all / sizeof all[0])

/* One pass's sum, in long double, in the most obvious way: independent of
 * sqrtpeak.c's own compensated sum. */
static long double one_pass(void)
{
    long double s = 0.0L;

    for (int k = 0; k < SQRTPEAK_ROOTS; k++)
        s += sqrtl(4.0L + (long double)k);
    return s;
}

START_TEST(the_peak_takes_every_root_with_every_variant)
{
    const long double pass = one_pass();
    unsigned tried = 0;

    ck_assert(fabsl((long double)sqrtpeak_expected(1) - pass) <= 1e-13L * pass);
    ck_assert(fabsl((long double)sqrtpeak_expected(7) - 7 * pass) <= 1e-13L * 7 * pass);
    for (size_t i = 0; i < ALL; i++) {
        double sum = -1.0;

        if (kernel_simd_check_isa(all[i]) != 0)
            continue;
        tried++;
        for (uint64_t passes = 0; passes <= 3; passes++) {
            ck_assert_int_eq(sqrtpeak_sum(all[i], passes, &sum), 0);
            ck_assert_msg(fabsl((long double)sum - passes * pass) <= 1e-12L * passes * pass,
                          "%s, %llu passes: %.17g, expected %.17Lg", all[i],
                          (unsigned long long)passes, sum, passes * pass);
        }
    }
    ck_assert_uint_ge(tried, 1);
    { /* NULL: the kernel's own variant */
        double sum = -1.0;
        ck_assert_int_eq(sqrtpeak_sum(NULL, 2, &sum), 0);
        ck_assert(fabsl((long double)sum - 2 * pass) <= 1e-12L * 2 * pass);
    }
}
END_TEST

START_TEST(the_peak_refuses_a_variant_it_cannot_run)
{
    double sum = 42.0, ns = 42.0;

    errno = 0;
    ck_assert_int_eq(sqrtpeak_sum("neon", 1, &sum), -1);
    ck_assert_int_eq(errno, EINVAL);
    errno = 0;
    ck_assert_int_eq(sqrtpeak_ns_per_root("", &ns), -1);
    ck_assert_int_eq(errno, EINVAL);
    for (size_t i = 0; i < ALL; i++) {
        errno = 0;
        if (kernel_simd_check_isa(all[i]) != 0 && errno == ENOTSUP) {
            errno = 0;
            ck_assert_int_eq(sqrtpeak_sum(all[i], 1, &sum), -1);
            ck_assert_int_eq(errno, ENOTSUP);
        }
    }
    ck_assert(sum == 42.0 && ns == 42.0); /* nothing stored */
}
END_TEST

START_TEST(the_peak_rate_is_measured_for_every_variant)
{
    for (size_t i = 0; i < ALL; i++) {
        double ns = -1.0;

        if (kernel_simd_check_isa(all[i]) != 0)
            continue;
        ck_assert_msg(sqrtpeak_ns_per_root(all[i], &ns) == 0, "%s: %s", all[i],
                      strerror(errno));
        ck_assert_msg(ns > 0 && isfinite(ns), "%s: %g ns per root", all[i], ns);
    }
}
END_TEST

/* The row of `isa` in parlab-simd's table into buf (false when there is none). */
static bool table_row(const char *out, const char *isa, char *buf, size_t len)
{
    const char *p = out;
    size_t n = strlen(isa);

    while ((p = strstr(p, isa)) != NULL) {
        if ((p == out || p[-1] == '\n') && p[n] == ' ') {
            const char *end = strchr(p, '\n');
            size_t l = end ? (size_t)(end - p) : strlen(p);

            ck_assert_uint_lt(l, len);
            memcpy(buf, p, l);
            buf[l] = '\0';
            return true;
        }
        p += n;
    }
    buf[0] = '\0';
    return false;
}

/* ratio, printed with 3 decimals, is a / b with a and b printed with 3 decimals. */
static void expect_ratio(double ratio, double a, double b, const char *what, const char *row)
{
    double lo = (a - 0.0005) / (b + 0.0005) - 0.0005, hi = (a + 0.0005) / (b - 0.0005) + 0.0005;

    ck_assert_msg(b > 0.0005 && ratio >= lo && ratio <= hi, "%s %.3f is not %.3f/%.3f: %s",
                  what, ratio, a, b, row);
}

/* Checks a table row: six numbers, the rates positive, the ratios theirs. */
static void expect_row(const char *row)
{
    double v[8];

    ck_assert_msg(tu_numbers(row, v, 8) == 6, "%s", row);
    for (int k = 0; k < 3; k++)
        ck_assert_msg(v[k] > 0, "%s", row);
    expect_ratio(v[3], v[1], v[0], "simd/peak", row);
    expect_ratio(v[4], v[2], v[1], "scalar/simd", row);
    expect_ratio(v[5], v[2], v[0], "scalar/peak", row);
}

START_TEST(the_table_has_every_variant_the_cpu_has)
{
    const char *args[] = {"-n", "40", NULL};
    struct proc_result r;
    char row[256];
    unsigned rows = 0, has = 0;
    const char *config, *header;

    tu_run(&r, "parlab-simd", args);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    ck_assert_str_eq(r.err, "");
    config = strstr(r.out, "configuration: n = 40 (91390 steps");
    header = strstr(r.out, "peak ns/root");
    ck_assert_msg(config != NULL && header != NULL && config < header, "%s", r.out);
    for (size_t i = 0; i < ALL; i++) {
        bool cpu_has = kernel_simd_check_isa(all[i]) == 0;

        has += cpu_has;
        ck_assert_msg(table_row(r.out, all[i], row, sizeof row) == cpu_has, "%s: %s", all[i],
                      r.out);
        if (cpu_has) {
            ck_assert_msg(strstr(config, all[i]) != NULL, "%s not in %s", all[i], r.out);
            expect_row(row);
            rows++;
        }
    }
    ck_assert_uint_ge(rows, 1);
    ck_assert_uint_eq(rows, has);
    /* the header and the rows, nothing else after the configuration's lines */
    ck_assert_uint_eq(tu_count_lines(header), rows + 1);
    tu_result_release(&r);
}
END_TEST

START_TEST(one_variant_is_measured_when_named)
{
    const char *args[] = {"-n", "30", "--isa", "sse2", NULL};
    const char *generic[] = {"--size=30", "--isa=generic", NULL};
    const char *env[] = {"PARLAB_KERNEL_ISA=sse2", NULL};
    const char *sized[] = {"-n", "30", NULL};
    const char *name = kernel_simd_check_isa("sse2") == 0 ? "sse2" : "generic";
    struct proc_result r;
    char row[256];

    for (int pass = 0; pass < 2; pass++) {
        if (pass == 0)
            tu_run(&r, "parlab-simd", strcmp(name, "sse2") == 0 ? args : generic);
        else if (strcmp(name, "sse2") == 0)
            tu_run_env(&r, env, "parlab-simd", sized);
        else
            break;
        ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
        ck_assert_msg(table_row(r.out, name, row, sizeof row), "%s", r.out);
        expect_row(row);
        ck_assert_uint_eq(tu_count_lines(strstr(r.out, "peak ns/root")), 2);
        ck_assert_msg(strstr(r.out, pass == 0 ? "from --isa" : "from PARLAB_KERNEL_ISA") != NULL,
                      "%s", r.out);
        tu_result_release(&r);
    }
}
END_TEST

START_TEST(bad_command_lines_exit_2_with_one_line)
{
    static const char *const bad[][3] = {
        {"--isa", "neon", NULL}, {"--isa", "", NULL},  {"--isa", "AVX2", NULL},
        {"-n", "3", NULL},       {"-n", "x", NULL},    {"-n", "145057", NULL},
        {"--size", NULL, NULL},  {"extra", NULL, NULL}, {"--kernel", "simd", NULL},
    };
    const char *env[] = {"PARLAB_KERNEL_ISA=neon", NULL};
    const char *none[] = {NULL};
    struct proc_result r;

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        tu_run(&r, "parlab-simd", bad[i]);
        ck_assert_msg(r.status == 2, "%s %s: exit %d", bad[i][0], bad[i][1] ? bad[i][1] : "",
                      r.status);
        ck_assert_msg(tu_count_lines(r.err) == 1, "%s: %s", bad[i][0], r.err);
        ck_assert_msg(strncmp(r.err, "parlab-simd: ", 13) == 0, "%s", r.err);
        ck_assert_str_eq(r.out, "");
        tu_result_release(&r);
    }
    tu_run_env(&r, env, "parlab-simd", none);
    ck_assert_int_eq(r.status, 2);
    ck_assert_uint_eq(tu_count_lines(r.err), 1);
    ck_assert_msg(strstr(r.err, "PARLAB_KERNEL_ISA 'neon'") != NULL, "%s", r.err);
    ck_assert_str_eq(r.out, "");
    tu_result_release(&r);
}
END_TEST

START_TEST(a_variant_the_cpu_lacks_is_refused)
{
    const char *lacking = NULL;
    struct proc_result r;

    for (size_t i = 0; i < ALL && lacking == NULL; i++) {
        errno = 0;
        if (kernel_simd_check_isa(all[i]) != 0 && errno == ENOTSUP)
            lacking = all[i];
    }
    if (lacking == NULL)
        tu_skip("this CPU has every variant of the build (%s)", kernel_simd_isas());
    const char *args[] = {"--isa", lacking, NULL};
    tu_run(&r, "parlab-simd", args);
    ck_assert_int_eq(r.status, 2);
    ck_assert_uint_eq(tu_count_lines(r.err), 1);
    ck_assert_msg(strstr(r.err, "this CPU lacks") != NULL, "%s", r.err);
    ck_assert_str_eq(r.out, "");
    tu_result_release(&r);
}
END_TEST

START_TEST(help_and_version)
{
    const char *help[] = {"--help", NULL}, *version[] = {"-V", NULL};
    struct proc_result r;

    tu_run(&r, "parlab-simd", help);
    ck_assert_int_eq(r.status, 0);
    ck_assert(tu_mentions(r.out, "Usage: parlab-simd", "--isa", "--size", "simd/peak", NULL));
    ck_assert_str_eq(r.err, "");
    tu_result_release(&r);
    tu_run(&r, "parlab-simd", version);
    ck_assert_int_eq(r.status, 0);
    ck_assert_msg(strncmp(r.out, "parlab-simd (parlab) ", 21) == 0, "%s", r.out);
    tu_result_release(&r);
}
END_TEST

static Suite *simd_suite(void)
{
    Suite *s = suite_create("simd");
    TCase *tc = tcase_create("simd");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, the_peak_takes_every_root_with_every_variant);
    tcase_add_test(tc, the_peak_refuses_a_variant_it_cannot_run);
    tcase_add_test(tc, the_peak_rate_is_measured_for_every_variant);
    tcase_add_test(tc, the_table_has_every_variant_the_cpu_has);
    tcase_add_test(tc, one_variant_is_measured_when_named);
    tcase_add_test(tc, bad_command_lines_exit_2_with_one_line);
    tcase_add_test(tc, a_variant_the_cpu_lacks_is_refused);
    tcase_add_test(tc, help_and_version);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(simd_suite());
}
