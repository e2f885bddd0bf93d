/*
 * check_stats.c - median, minimum and maximum.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>

#include "parlab/stats.h"

#include "testutil.h"

START_TEST(odd_count_takes_the_middle_value)
{
    const double x[] = {3.0, 1.0, 2.0, 9.0, 0.5};
    struct stats s;

    ck_assert_int_eq(stats_of(x, 5, &s), 0);
    ck_assert_double_eq(s.median, 2.0);
    ck_assert_double_eq(s.min, 0.5);
    ck_assert_double_eq(s.max, 9.0);
    ck_assert_double_eq(x[0], 3.0); /* the input is not reordered */
}
END_TEST

START_TEST(even_count_averages_the_two_middle_values)
{
    const double x[] = {4.0, 1.0, 3.0, 2.0};
    struct stats s;

    ck_assert_int_eq(stats_of(x, 4, &s), 0);
    ck_assert_double_eq(s.median, 2.5);
    ck_assert_double_eq(s.min, 1.0);
    ck_assert_double_eq(s.max, 4.0);
}
END_TEST

START_TEST(one_value_is_its_own_summary)
{
    const double x[] = {7.25};
    struct stats s;

    ck_assert_int_eq(stats_of(x, 1, &s), 0);
    ck_assert_double_eq(s.median, 7.25);
    ck_assert_double_eq(s.min, 7.25);
    ck_assert_double_eq(s.max, 7.25);
}
END_TEST

START_TEST(no_values_is_an_error)
{
    struct stats s;

    errno = 0;
    ck_assert_int_eq(stats_of(NULL, 0, &s), -1);
    ck_assert_int_eq(errno, EINVAL);
}
END_TEST

static Suite *stats_suite(void)
{
    Suite *s = suite_create("stats");
    TCase *tc = tcase_create("stats");

    tcase_add_test(tc, odd_count_takes_the_middle_value);
    tcase_add_test(tc, even_count_averages_the_two_middle_values);
    tcase_add_test(tc, one_value_is_its_own_summary);
    tcase_add_test(tc, no_values_is_an_error);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(stats_suite());
}
