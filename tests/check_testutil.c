/*
 * check_testutil.c - the helpers the other suites assert with: finding the numbers in
 * what a program said, and the line that holds a word.  If these said yes to
 * everything, every message test would pass on a wrong number.
 */
#include <check.h>
#include <math.h>
#include <string.h>

#include "testutil.h"

START_TEST(numbers_are_found_in_order_and_words_are_not_numbers)
{
    const char *said = "parlab-procs 0.1.0: worker 0 (pid 9084) was killed by signal 11 "
                       "on x86_64 while running job 4; C(20,4) = 4845, 1/4 ok, -2.5 s";
    const double expected[] = {0.1, 0, 9084, 11, 4, 20, 4, 4845, 1, 4, 2.5};
    double got[16];
    size_t n = tu_numbers(said, got, 16);

    ck_assert_uint_eq(n, sizeof expected / sizeof expected[0]);
    for (size_t k = 0; k < n; k++)
        ck_assert_double_eq(got[k], expected[k]);
    ck_assert_uint_eq(tu_numbers(said, got, 2), n); /* counts past max */
    ck_assert_uint_eq(tu_numbers("no digits here", got, 16), 0);
}
END_TEST

START_TEST(the_number_after_a_key_is_the_next_one)
{
    const char *said = "the run timed out after 0.5 s (jobs still running: 1); job 12";

    ck_assert_double_eq(tu_number_after(said, "timed out"), 0.5);
    ck_assert_double_eq(tu_number_after(said, "running"), 1);
    ck_assert_double_eq(tu_number_after(said, "job"), 1); /* "jobs still running: 1" */
    ck_assert_double_eq(tu_number_after(said, "; job"), 12);
    ck_assert(isnan(tu_number_after(said, "signal")));
    ck_assert(isnan(tu_number_after(said, "job 12")));
}
END_TEST

START_TEST(a_number_is_there_or_it_is_not)
{
    const char *said = "1 of 4 job results do not match; 1024 workers at most; 0.38";

    ck_assert(tu_has_number(said, 1) && tu_has_number(said, 4) && tu_has_number(said, 1024));
    ck_assert(tu_has_number(said, 0.38));
    ck_assert(!tu_has_number(said, 2) && !tu_has_number(said, 102) && !tu_has_number(said, 38));
    ck_assert(tu_mentions(said, "match", "1024", NULL));
    ck_assert(!tu_mentions(said, "match", "threads", NULL));
}
END_TEST

START_TEST(a_line_is_found_by_a_word_in_it)
{
    const char *text = "headline\n  kernel   C(6,4) = 15 steps\nrep 1/2\n";
    char line[64];

    ck_assert(tu_line(text, "C(", line, sizeof line));
    ck_assert_str_eq(line, "  kernel   C(6,4) = 15 steps");
    ck_assert(tu_line(text, "rep", line, sizeof line));
    ck_assert_str_eq(line, "rep 1/2");
    ck_assert(!tu_line(text, "median", line, sizeof line));
    ck_assert_str_eq(line, "");
}
END_TEST

static Suite *testutil_suite(void)
{
    Suite *s = suite_create("testutil");
    TCase *tc = tcase_create("said");

    tcase_add_test(tc, numbers_are_found_in_order_and_words_are_not_numbers);
    tcase_add_test(tc, the_number_after_a_key_is_the_next_one);
    tcase_add_test(tc, a_number_is_there_or_it_is_not);
    tcase_add_test(tc, a_line_is_found_by_a_word_in_it);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(testutil_suite());
}
