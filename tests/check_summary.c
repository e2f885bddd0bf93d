/*
 * check_summary.c - a runs CSV grouped into cases, with medians and the speedup over
 * serial, on files written by hand so that every number is known.
 */
#include <check.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parlab/run.h"
#include "parlab/summary.h"

#include "testutil.h"

/* run_id,program,workers,jobs,size,lock,pin,rep,wall_s,cpu_self_s,cpu_children_s,jobs_ok,host,pus,started_at */
static const char runs[] =
    RUNS_CSV_HEADER "\n"
    "a1,parlab-serial,1,12,200,none,none,1,2.0,2.0,0,12,h1,2,t\n"
    "a2,parlab-serial,1,12,200,none,none,2,2.2,2.2,0,12,h1,2,t\n"
    "a3,parlab-serial,1,12,200,none,none,3,1.9,1.9,0,12,h1,2,t\n"
    "b1,parlab-threads,3,12,200,held,none,1,2.1,2.1,0,12,h1,2,t\n"
    "c1,parlab-procs,3,12,200,held,none,1,1.0,0.001,2.0,12,h1,2,t\n"
    "c2,parlab-procs,3,12,200,held,none,2,0.8,0.002,2.1,12,h1,2,t\n"
    "d1,parlab-procs,3,12,200,held,none,1,1.0,0.001,2.0,12,h2,2,t\n"
    "e1,parlab-threads,3,12,100,none,none,1,0.1,0.2,0,12,h1,2,t\n";

/* What the last load said was wrong. */
static char why[512];

static int load(const char *path, struct summary *s)
{
    why[0] = '\0';
    return summary_load(path, s, why, sizeof why);
}

static char *write_runs(const char *text, char **dir)
{
    char *path;

    *dir = tu_tmpdir();
    path = tu_path(*dir, "runs.csv");
    tu_write_file(path, text);
    return path;
}

START_TEST(rows_are_grouped_into_cases_in_order)
{
    char *dir, *path = write_runs(runs, &dir);
    struct summary s;

    ck_assert_int_eq(load(path, &s), 0);
    ck_assert_uint_eq(s.ncases, 5);
    ck_assert_str_eq(s.cases[0].program, "parlab-serial");
    ck_assert_uint_eq(s.cases[0].reps, 3);
    ck_assert_double_eq_tol(s.cases[0].wall.median, 2.0, 1e-12);
    ck_assert_double_eq_tol(s.cases[0].wall.min, 1.9, 1e-12);
    ck_assert_double_eq_tol(s.cases[0].wall.max, 2.2, 1e-12);
    ck_assert_str_eq(s.cases[2].program, "parlab-procs");
    ck_assert_uint_eq(s.cases[2].reps, 2);
    ck_assert_double_eq_tol(s.cases[2].wall.median, 0.9, 1e-12);
    ck_assert_double_eq_tol(s.cases[2].cpu_children.median, 2.05, 1e-12);
    ck_assert_str_eq(s.cases[3].host, "h2"); /* another host is another case */
    ck_assert_uint_eq(s.cases[4].size, 100);
    summary_release(&s);
    free(path);
    tu_rmrf(dir);
}
END_TEST

START_TEST(speedup_is_serial_time_over_this_time)
{
    char *dir, *path = write_runs(runs, &dir);
    struct summary s;

    ck_assert_int_eq(load(path, &s), 0);
    ck_assert_double_eq_tol(s.cases[0].speedup, 1.0, 1e-12);
    ck_assert_double_eq_tol(s.cases[1].speedup, 2.0 / 2.1, 1e-12);
    ck_assert_double_eq_tol(s.cases[2].speedup, 2.0 / 0.9, 1e-12);
    ck_assert_double_eq(s.cases[3].speedup, 0.0); /* no serial run on h2 */
    ck_assert_double_eq(s.cases[4].speedup, 0.0); /* nor of size 100 */
    ck_assert_ptr_null(summary_find_serial(&s, 12, 100, "h1"));
    ck_assert_ptr_eq(summary_find_serial(&s, 12, 200, "h1"), &s.cases[0]);
    summary_release(&s);
    free(path);
    tu_rmrf(dir);
}
END_TEST

START_TEST(the_table_has_a_line_per_case)
{
    /* Per case: W, jobs, n, reps, wall median (min-max), cpu self, children, speedup, as
     * computed by hand from the rows above; NAN: no serial run to divide by ("-"). */
    static const struct {
        const char *label, *lock;
        double numbers[10];
    } rows[] = {
        {"serial", "none", {1, 12, 200, 3, 2.0, 1.9, 2.2, 2.0, 0, 1.0}},
        {"threads", "held", {3, 12, 200, 1, 2.1, 2.1, 2.1, 2.1, 0, 2.0 / 2.1}},
        {"procs", "held", {3, 12, 200, 2, 0.9, 0.8, 1.0, 0.0015, 2.05, 2.0 / 0.9}},
        {"procs", "held", {3, 12, 200, 1, 1.0, 1.0, 1.0, 0.001, 2.0, NAN}},
        {"threads", "none", {3, 12, 100, 1, 0.1, 0.1, 0.1, 0.2, 0, NAN}},
    };
    char *dir, *path = write_runs(runs, &dir), *out = tu_path(dir, "table"), *text, *line, *save;
    struct summary s;
    size_t k = 0;
    FILE *f;

    ck_assert_int_eq(load(path, &s), 0);
    f = fopen(out, "w");
    summary_print_table(&s, f);
    fclose(f);
    text = tu_read_file(out);
    ck_assert_uint_eq(tu_count_lines(text), 1 + 5);
    line = strtok_r(text, "\n", &save); /* the header */
    while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
        char lock[32];
        double got[12];
        size_t n = tu_numbers(line, got, 12), want = isnan(rows[k].numbers[9]) ? 9 : 10;

        ck_assert_uint_lt(k, 5);
        snprintf(lock, sizeof lock, "lock=%s", rows[k].lock);
        ck_assert_msg(strncmp(line, rows[k].label, strlen(rows[k].label)) == 0 &&
                          strstr(line, lock) && n == want,
                      "row %zu: %s", k, line);
        for (size_t c = 0; c < want; c++) /* 3 decimals, the speedup 2 */
            ck_assert_msg(fabs(got[c] - rows[k].numbers[c]) <= (c == 9 ? 0.0051 : 0.00051),
                          "row %zu, number %zu: %g, not %g: %s", k, c, got[c],
                          rows[k].numbers[c], line);
        if (want == 9)
            ck_assert_msg(line[strlen(line) - 1] == '-', "row %zu: %s", k, line);
        k++;
    }
    ck_assert_uint_eq(k, 5);
    free(text);
    summary_release(&s);
    free(out);
    free(path);
    tu_rmrf(dir);
}
END_TEST

START_TEST(a_file_without_the_columns_is_refused)
{
    char *dir, *path = write_runs("run_id,program\nx,y\n", &dir);
    struct summary s;

    errno = 0;
    ck_assert_int_eq(load(path, &s), -1);
    ck_assert_int_eq(errno, EINVAL);
    free(path);
    tu_rmrf(dir);
}
END_TEST

START_TEST(a_number_that_does_not_parse_is_refused)
{
    char *dir, *path = write_runs(RUNS_CSV_HEADER "\n"
                                  "a1,parlab-serial,1,12,200,none,none,1,2.0s,2.0,0,12,h1,2,t\n",
                                  &dir);
    struct summary s;

    errno = 0;
    ck_assert_int_eq(load(path, &s), -1);
    ck_assert_int_eq(errno, EINVAL);
    free(path);
    tu_rmrf(dir);
}
END_TEST

START_TEST(the_serial_baseline_is_the_one_without_the_lock)
{
    char *dir, *path = write_runs(RUNS_CSV_HEADER "\n"
                                  "a1,parlab-serial,1,12,200,held,none,1,3.0,3.0,0,12,h1,2,t\n"
                                  "b1,parlab-serial,1,12,200,none,none,1,2.0,2.0,0,12,h1,2,t\n"
                                  "c1,parlab-threads,2,12,200,none,none,1,1.0,2.0,0,12,h1,2,t\n",
                                  &dir);
    struct summary s;

    ck_assert_int_eq(load(path, &s), 0);
    ck_assert_ptr_eq(summary_find_serial(&s, 12, 200, "h1"), &s.cases[1]);
    ck_assert_double_eq_tol(s.cases[0].speedup, 2.0 / 3.0, 1e-12);
    ck_assert_double_eq_tol(s.cases[2].speedup, 2.0, 1e-12);
    summary_release(&s);
    free(path);
    tu_rmrf(dir);
}
END_TEST

START_TEST(each_case_knows_its_median_run_and_machine)
{
    char *dir, *path = write_runs(runs, &dir);
    struct summary s;

    ck_assert_int_eq(load(path, &s), 0);
    ck_assert_str_eq(s.cases[0].median_run, "a1");   /* 1.9, 2.0, 2.2: a1 is 2.0 */
    ck_assert_str_eq(s.cases[2].median_run, "c2");   /* 1.0, 0.8: the lower middle one */
    ck_assert_uint_eq(s.cases[0].pus, 2);
    ck_assert_str_eq(s.cases[0].started_at, "t");
    ck_assert_ptr_eq(summary_query(&s, &(struct summary_query){.program = "parlab-procs",
                                                                .lock = "held", .workers = 3,
                                                                .pin = "none"}),
                     &s.cases[2]);
    ck_assert_ptr_eq(summary_query(&s, &(struct summary_query){.program = "parlab-threads",
                                                                .workers = 3}),
                     &s.cases[1]);
    ck_assert_ptr_eq(summary_query(&s, &(struct summary_query){0}), &s.cases[0]);
    ck_assert_ptr_null(summary_query(&s, &(struct summary_query){.program = "parlab-procs",
                                                                 .lock = "none"}));
    ck_assert_ptr_null(summary_query(&s, &(struct summary_query){.workers = 3, .variant = "switch="}));
    summary_release(&s);
    free(path);
    tu_rmrf(dir);
}
END_TEST

static Suite *summary_suite(void)
{
    Suite *s = suite_create("summary");
    TCase *tc = tcase_create("summary");

    tcase_add_test(tc, rows_are_grouped_into_cases_in_order);
    tcase_add_test(tc, speedup_is_serial_time_over_this_time);
    tcase_add_test(tc, the_table_has_a_line_per_case);
    tcase_add_test(tc, a_file_without_the_columns_is_refused);
    tcase_add_test(tc, a_number_that_does_not_parse_is_refused);
    tcase_add_test(tc, the_serial_baseline_is_the_one_without_the_lock);
    tcase_add_test(tc, each_case_knows_its_median_run_and_machine);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(summary_suite());
}
