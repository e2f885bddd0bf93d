/*
 * check_overhead.c - the EPCC method (src/lib/overhead.c) with made-up times, and
 * bin/parlab-overhead on its own check: a delay of known length inside the test.
 */
#include <check.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parlab/csv.h"
#include "parlab/overhead.h"

#include "testutil.h"

/* The columns docs/csv.md and the shared specification give, in their order. */
#define SPEC_HEADER                                                                       \
    "program,case,kind,backend,workers,work_us,inner_reps,outer_reps,test_time_s,"        \
    "reference_us,mean_us,median_us,min_us,max_us,sd_us,outliers,host,pus,started_at,"    \
    "label,load_1m,other_cpu_s"

START_TEST(one_far_value_among_twenty_is_one_outlier)
{
    double x[20];
    struct overhead_stats s;

    for (int i = 0; i < 20; i++)
        x[i] = 1.0 + 0.01 * (i % 2); /* 1.00, 1.01, ...: a small spread */
    x[7] = 100.0;
    ck_assert_int_eq(overhead_stats_of(x, 20, &s), 0);
    ck_assert_uint_eq(s.outliers, 1);
    ck_assert_double_eq(s.max, 100.0);
    ck_assert_double_eq(s.min, 1.0);
    ck_assert_double_eq_tol(s.median, 1.005, 1e-12);
    ck_assert_double_eq_tol(s.mean, (10 * 1.0 + 9 * 1.01 + 100.0) / 20, 1e-12);
    ck_assert(s.sd > 20 && s.sd < 25); /* the far value's own: 22.1 */
    ck_assert_double_eq(x[7], 100.0);  /* counted, not removed */
}
END_TEST

START_TEST(values_within_three_sd_are_no_outliers)
{
    const double x[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    struct overhead_stats s;

    ck_assert_int_eq(overhead_stats_of(x, 10, &s), 0);
    ck_assert_uint_eq(s.outliers, 0);
    ck_assert_double_eq(s.mean, 5.5);
    ck_assert_double_eq_tol(s.sd, sqrt(82.5 / 9), 1e-12); /* sample sd: n - 1 */
}
END_TEST

START_TEST(one_value_has_no_standard_deviation)
{
    const double x[] = {3.5};
    struct overhead_stats s;

    ck_assert_int_eq(overhead_stats_of(x, 1, &s), 0);
    ck_assert(isnan(s.sd));
    ck_assert_uint_eq(s.outliers, 0);
    ck_assert_double_eq(s.mean, 3.5);
    errno = 0;
    ck_assert_int_eq(overhead_stats_of(x, 0, &s), -1);
    ck_assert_int_eq(errno, EINVAL);
}
END_TEST

/* A made-up case: each repetition of the test lasts per_rep seconds, plus `first` in
 * the first measurement of every call (a warm-up that is slow) and `second` in the
 * second (another program took the PU); every call's inner repetitions are kept. */
struct fake {
    double per_rep, first, second, reference_per_rep;
    unsigned disturbed; /* this many first calls: +5 ms in every measurement */
    double fixed;       /* in every measurement */
    uint64_t tried[64];
    unsigned tries;
};

static int fake_test(void *ctx, uint64_t inner, unsigned count, double *seconds)
{
    struct fake *f = ctx;

    if (f->tries < 64)
        f->tried[f->tries++] = inner;
    for (unsigned c = 0; c < count; c++)
        seconds[c] = (double)inner * f->per_rep + (c == 0 ? f->first : 0) +
                     (c == 1 ? f->second : 0) + (f->tries <= f->disturbed ? 5e-3 : 0) + f->fixed;
    return 0;
}

static int fake_reference(void *ctx, uint64_t inner, unsigned count, double *seconds)
{
    struct fake *f = ctx;

    for (unsigned c = 0; c < count; c++)
        seconds[c] = (double)inner * f->reference_per_rep;
    return 0;
}

START_TEST(inner_repetitions_double_until_the_test_time_is_reached)
{
    struct overhead_method m = {.test_time_s = 1e-3, .outer_reps = 20};
    struct fake f = {.per_rep = 10e-6};
    uint64_t inner = 0;

    ck_assert_int_eq(overhead_choose_inner(&m, fake_test, &f, &inner), 0);
    ck_assert_uint_eq(inner, 128); /* 64 x 10 us = 0.64 ms < 1 ms <= 1.28 ms */
    ck_assert_uint_eq(f.tries, 9);
    for (unsigned i = 0; i < 8; i++)
        ck_assert_uint_eq(f.tried[i], UINT64_C(1) << i); /* 1, 2, 4, ... 128 */
    ck_assert_uint_eq(f.tried[8], 128); /* and 128 again, confirming */
}
END_TEST

START_TEST(one_slow_measurement_does_not_stop_the_doubling)
{
    struct overhead_method m = {.test_time_s = 1e-3, .outer_reps = 20};
    struct fake warm = {.per_rep = 10e-6, .first = 5e-3};    /* each first one: +5 ms */
    struct fake preempted = {.per_rep = 10e-6, .second = 5e-3}; /* each second one */
    uint64_t inner = 0;

    ck_assert_int_eq(overhead_choose_inner(&m, fake_test, &warm, &inner), 0);
    ck_assert_uint_eq(inner, 128);
    ck_assert_int_eq(overhead_choose_inner(&m, fake_test, &preempted, &inner), 0);
    ck_assert_uint_eq(inner, 128);
}
END_TEST

/* A fixed cost of 2 ms in every measurement reaches the 1 ms test time at once, but the
 * time grows by half on doubling only from 512 repetitions of 10 us on. */
START_TEST(a_time_that_does_not_grow_with_the_repetitions_is_not_theirs)
{
    struct overhead_method m = {.test_time_s = 1e-3, .outer_reps = 20};
    struct fake f = {.per_rep = 10e-6, .fixed = 2e-3};
    uint64_t inner = 0;

    ck_assert_int_eq(overhead_choose_inner(&m, fake_test, &f, &inner), 0);
    ck_assert_uint_eq(inner, 512); /* 2 + 5.12 ms >= 1.5 x (2 + 2.56 ms); 256: 4.56 < 4.92 */
}
END_TEST

/* A PU held for milliseconds lengthens both measurements of a pair: the confirming
 * pair after the pause does not agree, and the doubling goes on. */
START_TEST(a_pair_slowed_together_does_not_stop_the_doubling)
{
    struct overhead_method m = {.test_time_s = 1e-3, .outer_reps = 20};
    struct fake f = {.per_rep = 10e-6, .disturbed = 1};
    uint64_t inner = 0;

    ck_assert_int_eq(overhead_choose_inner(&m, fake_test, &f, &inner), 0);
    ck_assert_uint_eq(inner, 128);
}
END_TEST

START_TEST(skipping_steps_chooses_what_doubling_does)
{
    struct overhead_method m = {.test_time_s = 1e-3, .outer_reps = 20, .skip_steps = true};
    struct fake f = {.per_rep = 10e-6};
    uint64_t inner = 0;

    ck_assert_int_eq(overhead_choose_inner(&m, fake_test, &f, &inner), 0);
    ck_assert_uint_eq(inner, 128);
    ck_assert_uint_eq(f.tries, 3); /* 1, then straight to 128, and 128 confirming */
}
END_TEST

START_TEST(a_clock_that_never_moves_is_an_error)
{
    struct overhead_method m = {.test_time_s = 1e-3, .outer_reps = 20};
    struct fake f = {.per_rep = 0};
    uint64_t inner = 0;

    errno = 0;
    ck_assert_int_eq(overhead_choose_inner(&m, fake_test, &f, &inner), -1);
    ck_assert_int_eq(errno, ERANGE);
}
END_TEST

START_TEST(overhead_is_test_minus_reference_per_repetition)
{
    struct overhead_method m = {.test_time_s = 1e-3, .outer_reps = 5};
    struct fake f = {.per_rep = 6e-6, .first = 1.0, .reference_per_rep = 1e-6};
    struct overhead_result r;

    ck_assert_int_eq(overhead_measure(&m, fake_reference, fake_test, &f, &r), 0);
    ck_assert_uint_eq(r.inner, 256); /* 128 x 6 us < 1 ms */
    ck_assert_uint_eq(r.outer, 5);
    ck_assert_double_eq_tol(r.reference_s, 1e-6, 1e-15);
    /* the warm-up (1 s longer) is left out of the statistics */
    ck_assert_double_eq_tol(r.overhead.mean, 5e-6, 1e-15);
    ck_assert_double_eq_tol(r.overhead.median, 5e-6, 1e-15);
    ck_assert_double_eq_tol(r.overhead.max, 5e-6, 1e-15);
    ck_assert_uint_eq(r.overhead.n, 5);
}
END_TEST

START_TEST(a_row_has_the_specified_columns)
{
    struct overhead_result r = {.inner = 64, .outer = 1, .test_time_s = 1e-3,
                                .reference_s = 2e-6};
    struct overhead_row row = {.program = "parlab-overhead", .case_name = "omp-dynamic1",
                               .kind = "queue", .backend = "parlab-threads", .workers = 2,
                               .result = &r, .host = "a,b", .pus = 2,
                               .started_at = "2026-01-01T00:00:00.000Z", .label = NULL,
                               .load_1m = -1, .other_cpu_s = 0.5};
    struct csv_writer w;
    struct csv_table t;
    char *text;

    r.overhead = (struct overhead_stats){.n = 1, .mean = -1e-7, .median = -1e-7, .min = -1e-7,
                                         .max = -1e-7, .sd = NAN};
    ck_assert_str_eq(OVERHEAD_CSV_HEADER, SPEC_HEADER);
    csv_writer_init(&w);
    overhead_put_row(&w, &row);
    ck_assert(!w.failed);
    text = malloc(strlen(OVERHEAD_CSV_HEADER) + w.len + 2);
    ck_assert_ptr_nonnull(text);
    sprintf(text, "%s\n%s", OVERHEAD_CSV_HEADER, w.data);
    ck_assert_int_eq(csv_parse(text, strlen(text), &t), 0);
    ck_assert_uint_eq(t.nrows, 2);
    ck_assert_uint_eq(t.rows[1].nfields, t.rows[0].nfields);
    ck_assert_str_eq(tu_field(&t, 1, "case"), "omp-dynamic1");
    ck_assert_str_eq(tu_field(&t, 1, "backend"), "parlab-threads");
    ck_assert_str_eq(tu_field(&t, 1, "host"), "a,b"); /* quoted, and read back */
    ck_assert_str_eq(tu_field(&t, 1, "inner_reps"), "64");
    ck_assert_str_eq(tu_field(&t, 1, "reference_us"), "2.0000");
    ck_assert_str_eq(tu_field(&t, 1, "work_us"), "2.0000");
    ck_assert_str_eq(tu_field(&t, 1, "mean_us"), "-0.1000"); /* negative: as measured */
    ck_assert_str_eq(tu_field(&t, 1, "sd_us"), "");          /* undefined for one rep */
    ck_assert_str_eq(tu_field(&t, 1, "load_1m"), "");        /* unknown */
    ck_assert_str_eq(tu_field(&t, 1, "other_cpu_s"), "0.50");
    csv_table_release(&t);
    free(text);
    csv_writer_release(&w);
}
END_TEST

/* ---- the program ------------------------------------------------------------------- */

/* The delay case's run: small work (n = 4: one step) so that the spin is most of it. */
#define DELAY_US 40.0

START_TEST(the_delay_check_reports_the_delay)
{
    char *dir = tu_tmpdir(), *csv = tu_path(dir, "overhead.csv");
    /* valgrind runs the spin's clock calls slowly, not the spin shorter: fewer reps */
    const char *outer = tu_under_valgrind() ? "7" : "20";
    const char *args[] = {"-q", "-w", "1", "-n", "4", "--case", "delay:40", "--outer-reps",
                          outer, "--overhead-csv", csv, NULL};
    struct proc_result r;
    struct csv_table t;
    char *text;
    double median, inner;

    tu_run(&r, "parlab-overhead", args);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    text = tu_read_file(csv);
    ck_assert_ptr_nonnull(text);
    ck_assert(strncmp(text, SPEC_HEADER "\n", strlen(SPEC_HEADER) + 1) == 0);
    tu_read_csv(csv, &t);
    ck_assert_uint_eq(t.nrows, 2);
    ck_assert_str_eq(tu_field(&t, 1, "program"), "parlab-overhead");
    ck_assert_str_eq(tu_field(&t, 1, "case"), "delay");
    ck_assert_str_eq(tu_field(&t, 1, "kind"), "check");
    ck_assert_str_eq(tu_field(&t, 1, "outer_reps"), outer);
    /* The median, against a busy machine's preempted repetitions: within 10% of the
     * delay.  The spin ends at the first clock reading past its end, so it lasts the
     * delay plus one reading (tens of ns, about a microsecond under valgrind). */
    median = tu_num(&t, 1, "median_us");
    ck_assert_msg(fabs(median - DELAY_US) <= 0.1 * DELAY_US, "median overhead %g us, not %g",
                  median, DELAY_US);
    /* The doubling: each repetition spins 40 us, so 32 (1.28 ms) are the first power of
     * two to last the 1 ms test time; 64 when what else ran stretched both of 16's. */
    inner = tu_num(&t, 1, "inner_reps");
    ck_assert_msg(inner == 32 || inner == 64, "inner_reps %g", inner);
    ck_assert(tu_number_after(r.out, "delay") == 1); /* the table: delay at W = 1 */
    csv_table_release(&t);
    free(text);
    tu_result_release(&r);
    free(csv);
    tu_rmrf(dir);
}
END_TEST

START_TEST(one_outer_repetition_says_the_sd_is_undefined)
{
    char *dir = tu_tmpdir(), *csv = tu_path(dir, "o.csv");
    const char *args[] = {"-w", "1", "-n", "4", "--case", "delay:20", "--outer-reps", "1",
                          "--overhead-csv", csv, NULL};
    struct proc_result r;
    struct csv_table t;

    tu_run(&r, "parlab-overhead", args);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    ck_assert_msg(strstr(r.out, "sd: undefined") != NULL, "%s", r.out);
    tu_read_csv(csv, &t);
    ck_assert_str_eq(tu_field(&t, 1, "sd_us"), "");
    ck_assert_str_eq(tu_field(&t, 1, "outliers"), "0");
    csv_table_release(&t);
    tu_result_release(&r);
    free(csv);
    tu_rmrf(dir);
}
END_TEST

START_TEST(bad_options_exit_2_with_one_line_and_write_nothing)
{
    static const char *const bad[][3] = {
        {"-w", "0", NULL},           {"-w", "999", NULL},
        {"-w", "-1", NULL},          {"--test-time", "0", NULL},
        {"--test-time", "abc", NULL}, {"--test-time", "1e9", NULL},
        {"--outer-reps", "0", NULL}, {"--outer-reps", "12x", NULL},
        {"--case", "nosuch", NULL},  {"--case", "", NULL},
        {"--case", "queue,", NULL},  {"--case", "delay:0", NULL},
        {"--case", "delay:x", NULL}, {"-n", "0", NULL},
        {"-n", "301", NULL},         {"--overhead-csv", "", NULL},
        {"--nosuch", NULL, NULL},    {"stray", NULL, NULL},
        {"--label", " x", NULL},
    };
    char *dir = tu_tmpdir(), *csv = tu_path(dir, "o.csv");
    size_t n = sizeof bad / sizeof bad[0];

    for (size_t i = 0; i < n; i++) {
        const char *args[] = {bad[i][0], bad[i][1], bad[i][1] ? "--overhead-csv" : NULL, csv,
                              NULL};
        struct proc_result r;

        if (tu_under_valgrind() && i % 4 != 0) /* a program start costs a second there */
            continue;
        if (strcmp(bad[i][0], "--overhead-csv") == 0)
            args[2] = NULL;
        tu_run(&r, "parlab-overhead", args);
        ck_assert_msg(r.status == 2, "%s %s: exit %d", bad[i][0], bad[i][1] ? bad[i][1] : "",
                      r.status);
        ck_assert_msg(tu_count_lines(r.err) == 1, "%s: %s", bad[i][0], r.err);
        ck_assert_msg(strncmp(r.err, "parlab-overhead: ", 17) == 0, "%s", r.err);
        ck_assert_str_eq(r.out, "");
        ck_assert_ptr_null(tu_read_file(csv));
        tu_result_release(&r);
    }
    free(csv);
    tu_rmrf(dir);
}
END_TEST

START_TEST(a_csv_that_cannot_take_rows_is_refused_before_anything_runs)
{
    char *dir = tu_tmpdir();
    const char *args[] = {"--case", "delay:20", "-w", "1", "--overhead-csv", dir, NULL};
    struct proc_result r;

    tu_run(&r, "parlab-overhead", args);
    ck_assert_int_eq(r.status, 1);
    ck_assert_msg(strstr(r.err, "is a directory") != NULL, "%s", r.err);
    ck_assert_uint_eq(tu_count_lines(r.err), 1);
    ck_assert_str_eq(r.out, "");
    tu_result_release(&r);
    tu_rmrf(dir);
}
END_TEST

START_TEST(help_and_version)
{
    const char *help[] = {"--help", NULL}, *version[] = {"--version", NULL};
    struct proc_result r;

    tu_run(&r, "parlab-overhead", help);
    ck_assert_int_eq(r.status, 0);
    ck_assert(tu_mentions(r.out, "Usage: parlab-overhead", "--case", "--test-time",
                          "--outer-reps", "--overhead-csv", "omp-dynamic1", "procs-counter",
                          "fork-per-job", "mpi-ranks", "delay:US", NULL));
    ck_assert_str_eq(r.err, "");
    tu_result_release(&r);
    tu_run(&r, "parlab-overhead", version);
    ck_assert_int_eq(r.status, 0);
    ck_assert(strncmp(r.out, "parlab-overhead (parlab) ", 25) == 0);
    tu_result_release(&r);
}
END_TEST

static Suite *overhead_suite(void)
{
    Suite *s = suite_create("overhead");
    TCase *method = tcase_create("method"), *program = tcase_create("program");

    tcase_add_test(method, one_far_value_among_twenty_is_one_outlier);
    tcase_add_test(method, values_within_three_sd_are_no_outliers);
    tcase_add_test(method, one_value_has_no_standard_deviation);
    tcase_add_test(method, inner_repetitions_double_until_the_test_time_is_reached);
    tcase_add_test(method, one_slow_measurement_does_not_stop_the_doubling);
    tcase_add_test(method, a_pair_slowed_together_does_not_stop_the_doubling);
    tcase_add_test(method, a_time_that_does_not_grow_with_the_repetitions_is_not_theirs);
    tcase_add_test(method, skipping_steps_chooses_what_doubling_does);
    tcase_add_test(method, a_clock_that_never_moves_is_an_error);
    tcase_add_test(method, overhead_is_test_minus_reference_per_repetition);
    tcase_add_test(method, a_row_has_the_specified_columns);
    suite_add_tcase(s, method);
    tcase_set_timeout(program, 60);
    tcase_add_test(program, the_delay_check_reports_the_delay);
    tcase_add_test(program, one_outer_repetition_says_the_sd_is_undefined);
    tcase_add_test(program, bad_options_exit_2_with_one_line_and_write_nothing);
    tcase_add_test(program, a_csv_that_cannot_take_rows_is_refused_before_anything_runs);
    tcase_add_test(program, help_and_version);
    suite_add_tcase(s, program);
    return s;
}

int main(void)
{
    return tu_run_suite(overhead_suite());
}
