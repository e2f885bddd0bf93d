/*
 * check_summary.c - a runs CSV grouped into cases, with medians and the speedup over
 * serial, on files written by hand so that every number is known.
 */
#include <check.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "parlab/backend.h"
#include "parlab/csv.h"
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
    ck_assert_ptr_null(summary_find_serial(&s, 12, 100, "h1", NULL, NULL));
    ck_assert_ptr_eq(summary_find_serial(&s, 12, 200, "h1", NULL, NULL), &s.cases[0]);
    summary_release(&s);
    free(path);
    tu_rmrf(dir);
}
END_TEST

START_TEST(the_table_has_a_line_per_case)
{
    /* Per case: W, jobs, n, reps, wall median (min-max), cpu self, children, speedup, as
     * computed by hand from the rows above; NAN: no serial run to divide by ("- [k]",
     * with note k below the table). */
    static const struct {
        const char *label, *lock;
        double numbers[10];
        const char *note;
    } rows[] = {
        {"serial", "none", {1, 12, 200, 3, 2.0, 1.9, 2.2, 2.0, 0, 1.0}, NULL},
        {"threads", "held", {3, 12, 200, 1, 2.1, 2.1, 2.1, 2.1, 0, 2.0 / 2.1}, NULL},
        {"procs", "held", {3, 12, 200, 2, 0.9, 0.8, 1.0, 0.0015, 2.05, 2.0 / 0.9}, NULL},
        {"procs", "held", {3, 12, 200, 1, 1.0, 1.0, 1.0, 0.001, 2.0, NAN}, "- [1]"},
        {"threads", "none", {3, 12, 100, 1, 0.1, 0.1, 0.1, 0.2, 0, NAN}, "- [2]"},
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
    ck_assert_uint_eq(tu_count_lines(text), 1 + 5 + 2);
    ck_assert_msg(strstr(text, "\n[1] no serial run on host h2\n"
                               "[2] no serial run with n = 100 on host h1; nearest n = 200\n"),
                  "the notes: %s", text);
    line = strtok_r(text, "\n", &save); /* the header */
    while (k < 5 && (line = strtok_r(NULL, "\n", &save)) != NULL) {
        char lock[32];
        double got[12];
        size_t n = tu_numbers(line, got, 12), want = isnan(rows[k].numbers[9]) ? 9 : 10;
        size_t marker = want == 9; /* the note's number */

        ck_assert_uint_lt(k, 5);
        snprintf(lock, sizeof lock, "lock=%s", rows[k].lock);
        ck_assert_msg(strncmp(line, rows[k].label, strlen(rows[k].label)) == 0 &&
                          strstr(line, lock) && n == want + marker,
                      "row %zu: %s", k, line);
        for (size_t c = 0; c < want; c++) /* 3 decimals, the speedup 2 */
            ck_assert_msg(fabs(got[c] - rows[k].numbers[c]) <= (c == 9 ? 0.0051 : 0.00051),
                          "row %zu, number %zu: %g, not %g: %s", k, c, got[c],
                          rows[k].numbers[c], line);
        if (want == 9)
            ck_assert_msg(strlen(line) > 5 &&
                              strcmp(line + strlen(line) - 5, rows[k].note) == 0,
                          "row %zu: %s", k, line);
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

/* Real runs whose sizes differ, as -t makes them when it chooses n for each program on
 * its own: each case without a serial run of its jobs and n on its host has a note
 * that says so and names the nearest serial runs there are. */
START_TEST(a_case_without_a_serial_run_of_its_size_names_the_nearest)
{
    static const struct {
        const char *program, *size, *jobs;
    } made[] = {
        {"parlab-serial", "20", "4"},  {"parlab-serial", "24", "4"},
        {"parlab-threads", "21", "4"}, /* nearest n = 20 */
        {"parlab-threads", "22", "4"}, /* as near to 20 as to 24 */
        {"parlab-procs", "30", "6"},   /* no serial run of 6 jobs */
        {"parlab-threads", "24", "4"}, /* its own */
    };
    char *dir = tu_tmpdir(), *path = tu_path(dir, "runs.csv"), host[256], want[1024], line[512];
    const char *table[] = {"--runs-csv", path, NULL};
    struct proc_result r;

    ck_assert_int_eq(gethostname(host, sizeof host), 0);
    for (size_t i = 0; i < sizeof made / sizeof made[0]; i++) {
        bool serial = strcmp(made[i].program, "parlab-serial") == 0;
        const char *args[] = {"-n", made[i].size, "-j", made[i].jobs, "-r", "1", "-q",
                              "--runs-csv", path, serial ? NULL : "-w", "2", NULL};

        tu_run_ok(made[i].program, args);
    }
    tu_run(&r, "parlab-summary", table);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    ck_assert_uint_eq(tu_count_lines(r.out), 1 + 6 + 3);
    snprintf(want, sizeof want,
             "\n[1] no serial run with n = 21 on host %s; nearest n = 20\n"
             "[2] no serial run with n = 22 on host %s; nearest n = 20 and 24\n"
             "[3] no serial run of 6 jobs on host %s; nearest: 4 jobs, n = 24\n",
             host, host, host);
    ck_assert_msg(strstr(r.out, want), "wanted the notes\n%s\nin\n%s", want, r.out);
    ck_assert(tu_line(r.out, "     21 ", line, sizeof line));
    ck_assert_msg(strstr(line, " - [1]") != NULL, "%s", line);
    ck_assert(tu_line(r.out, "     22 ", line, sizeof line));
    ck_assert_msg(strstr(line, " - [2]") != NULL, "%s", line);
    ck_assert(tu_line(r.out, "procs lock=none", line, sizeof line));
    ck_assert_msg(strstr(line, " - [3]") != NULL, "%s", line);
    ck_assert(tu_line(r.out, "threads lock=none               2     4      24", line,
                      sizeof line));
    ck_assert_msg(strchr(line, '[') == NULL && strchr("0123456789", line[strlen(line) - 1]),
                  "a speedup: %s", line);
    tu_result_release(&r);
    free(path);
    tu_rmrf(dir);
}
END_TEST

/* granularity.csv is a runs CSV: parlab-summary groups it into cases with speedups. */
START_TEST(the_summary_reads_the_granularity_sweep_like_any_runs_file)
{
    const char *args[] = {"--runs-csv", "tests/fixtures/granularity/granularity.csv", NULL};
    struct proc_result r;
    char line[256];

    tu_run(&r, "parlab-summary", args);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    ck_assert_uint_eq(tu_count_lines(r.out), 1 + 16); /* the header, 4 programs x 4 sizes */
    ck_assert_msg(tu_line(r.out, "threads lock=none               2  1000      16", line,
                          sizeof line) && strstr(line, " 1.60"),
                  "said: %s", r.out);
    ck_assert_msg(tu_line(r.out, "procs lock=none                 2  1000      52", line,
                          sizeof line) && strstr(line, " 1.90"),
                  "said: %s", r.out);
    tu_result_release(&r);
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
    ck_assert_ptr_eq(summary_find_serial(&s, 12, 200, "h1", NULL, NULL), &s.cases[1]);
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

START_TEST(medians_minima_and_maxima_for_odd_and_even_counts)
{
    /* odd: 5 5 1 9 5 -> 1 5 5 5 9, the median 5, its run the first 5 (o1);
     * even: 3 1 2 2 -> 1 2 2 3, the median 2, the lower middle 2 first at e3;
     * even, unequal middles: 4 1 3 2 -> 1 2 3 4, the median 2.5, the run of 2 (u4) */
    char *dir, *path = write_runs(RUNS_CSV_HEADER "\n"
                                  "o1,parlab-serial,1,4,80,none,none,1,5,0.5,0,4,h,2,t\n"
                                  "o2,parlab-serial,1,4,80,none,none,2,5,0.1,0,4,h,2,t\n"
                                  "e1,parlab-threads,2,4,80,none,none,1,3,1,0,4,h,2,t\n"
                                  "o3,parlab-serial,1,4,80,none,none,3,1,0.9,0,4,h,2,t\n"
                                  "e2,parlab-threads,2,4,80,none,none,2,1,2,0,4,h,2,t\n"
                                  "o4,parlab-serial,1,4,80,none,none,4,9,0.3,0,4,h,2,t\n"
                                  "e3,parlab-threads,2,4,80,none,none,3,2,3,0,4,h,2,t\n"
                                  "o5,parlab-serial,1,4,80,none,none,5,5,0.2,0,4,h,2,t\n"
                                  "e4,parlab-threads,2,4,80,none,none,4,2,4,0,4,h,2,t\n"
                                  "u1,parlab-procs,2,4,80,none,none,1,4,0,1,4,h,2,t\n"
                                  "u2,parlab-procs,2,4,80,none,none,2,1,0,2,4,h,2,t\n"
                                  "u3,parlab-procs,2,4,80,none,none,3,3,0,4,4,h,2,t\n"
                                  "u4,parlab-procs,2,4,80,none,none,4,2,0,8,4,h,2,t\n",
                                  &dir);
    struct summary s;

    ck_assert_msg(load(path, &s) == 0, "%s", why);
    ck_assert_uint_eq(s.ncases, 3);
    ck_assert_uint_eq(s.cases[0].reps, 5);
    ck_assert_double_eq(s.cases[0].wall.median, 5);
    ck_assert_double_eq(s.cases[0].wall.min, 1);
    ck_assert_double_eq(s.cases[0].wall.max, 9);
    ck_assert_double_eq_tol(s.cases[0].cpu_self.median, 0.3, 1e-12);
    ck_assert_str_eq(s.cases[0].median_run, "o1");
    ck_assert_uint_eq(s.cases[1].reps, 4);
    ck_assert_double_eq(s.cases[1].wall.median, 2);
    ck_assert_double_eq(s.cases[1].wall.min, 1);
    ck_assert_double_eq(s.cases[1].wall.max, 3);
    ck_assert_double_eq_tol(s.cases[1].cpu_self.median, 2.5, 1e-12);
    ck_assert_str_eq(s.cases[1].median_run, "e3");
    ck_assert_double_eq(s.cases[2].wall.median, 2.5);
    ck_assert_double_eq(s.cases[2].wall.min, 1);
    ck_assert_double_eq(s.cases[2].wall.max, 4);
    ck_assert_double_eq(s.cases[2].cpu_children.median, 3);
    ck_assert_str_eq(s.cases[2].median_run, "u4");
    ck_assert_double_eq(s.cases[1].serial_wall, 5);
    ck_assert_double_eq_tol(s.cases[2].speedup, 5 / 2.5, 1e-12);
    summary_release(&s);
    free(path);
    tu_rmrf(dir);
}
END_TEST

/* CPU seconds this process has used: a busy machine does not inflate them. */
static double cpu_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Loads the summary of path, failing the test when that took a second of CPU or more
 * (ten times the tenth of a second a program's speedup line may take), except under
 * valgrind, which runs everything fifty times slower. */
static void load_in_time(const char *path, struct summary *s, size_t rows)
{
    double t0 = cpu_seconds(), spent;

    ck_assert_msg(load(path, s) == 0, "%s", why);
    spent = cpu_seconds() - t0;
    if (getenv("PARLAB_UNDER_VALGRIND") == NULL)
        ck_assert_msg(spent < 1.0, "%zu rows took %.2f s of CPU", rows, spent);
}

START_TEST(a_hundred_thousand_runs_of_one_case_take_under_a_second)
{
    /* 100,001 runs whose median run comes last: a count of the values below each
     * value, the old way to find it, reaches it after 100,001 x 100,001 steps (5.6 s of
     * CPU on the 2-core development machine; the whole load now takes 0.07 s).  Under valgrind,
     * a tenth of the rows. */
    size_t n = getenv("PARLAB_UNDER_VALGRIND") ? 10001 : 100001, half = n / 2;
    char *dir = tu_tmpdir(), *path = tu_path(dir, "runs.csv"), last[32];
    FILE *f = fopen(path, "w");
    struct summary s;

    ck_assert_ptr_nonnull(f);
    fprintf(f, "%s\n", RUNS_CSV_HEADER);
    /* ranks 0 .. half-1 and half+1 .. n-1, alternating; the median (rank half) last */
    for (size_t k = 0; k < n; k++) {
        size_t rank = k + 1 == n ? half : k % 2 ? half + 1 + k / 2 : k / 2;

        fprintf(f, "a%zu,parlab-serial,1,12,200,none,none,%zu,%.3f,%.3f,0,12,h1,2,t\n", k,
                k + 1, 1.0 + (double)rank * 0.001, 2.0 - (double)rank * 0.00001);
    }
    ck_assert_int_eq(fclose(f), 0);

    load_in_time(path, &s, n);
    ck_assert_uint_eq(s.ncases, 1);
    ck_assert_uint_eq(s.cases[0].reps, n);
    ck_assert_double_eq_tol(s.cases[0].wall.median, 1.0 + (double)half * 0.001, 1e-9);
    ck_assert_double_eq_tol(s.cases[0].wall.min, 1.0, 1e-9);
    ck_assert_double_eq_tol(s.cases[0].wall.max, 1.0 + (double)(n - 1) * 0.001, 1e-9);
    ck_assert_double_eq_tol(s.cases[0].cpu_self.median, 2.0 - (double)half * 0.00001, 1e-9);
    snprintf(last, sizeof last, "a%zu", n - 1);
    ck_assert_str_eq(s.cases[0].median_run, last);
    ck_assert_double_eq_tol(s.cases[0].speedup, 1.0, 1e-12);
    summary_release(&s);
    free(path);
    tu_rmrf(dir);
}
END_TEST

START_TEST(forty_thousand_cases_take_under_a_second)
{
    /* 40,000 cases of 2 runs each, told apart by their host only: a search through
     * the cases for each row, or for each case's serial case, takes 40,000 x 20,000
     * steps (23 s and 6.4 s of CPU on the 2-core development machine; the whole load
     * now takes 0.07 s).  Each case is its
     * own serial case, so every speedup is 1; one in 1,000 has a threads case beside it,
     * at the end of the file. */
    size_t n = getenv("PARLAB_UNDER_VALGRIND") ? 4000 : 40000, rows = 2 * n + n / 1000;
    char *dir = tu_tmpdir(), *path = tu_path(dir, "runs.csv");
    FILE *f = fopen(path, "w");
    struct summary s;

    ck_assert_ptr_nonnull(f);
    fprintf(f, "%s\n", RUNS_CSV_HEADER);
    for (size_t rep = 0; rep < 2; rep++)
        for (size_t j = 0; j < n; j++)
            fprintf(f, "a%zu-%zu,parlab-serial,1,12,200,none,none,%zu,%.1f,1,0,12,host%zu,2,t\n",
                    j, rep, rep + 1, rep ? 3.0 : 1.0 + (double)(j % 2), j);
    for (size_t j = 0; j < n; j += 1000)
        fprintf(f, "b%zu,parlab-threads,2,12,200,none,none,1,0.5,1,0,12,host%zu,2,t\n", j, j);
    ck_assert_int_eq(fclose(f), 0);

    load_in_time(path, &s, rows);
    ck_assert_uint_eq(s.ncases, n + n / 1000);
    for (size_t j = 0; j < n; j += 997) { /* in the file's order */
        const struct summary_case *c = &s.cases[j];
        char host[32];

        snprintf(host, sizeof host, "host%zu", j);
        ck_assert_str_eq(c->host, host);
        ck_assert_uint_eq(c->reps, 2);
        ck_assert_double_eq_tol(c->wall.median, j % 2 ? 2.5 : 2.0, 1e-12);
        ck_assert_double_eq_tol(c->speedup, 1.0, 1e-12);
    }
    for (size_t k = 0; k < n / 1000; k++) {
        const struct summary_case *c = &s.cases[n + k];

        ck_assert_str_eq(c->program, "parlab-threads");
        ck_assert_double_eq_tol(c->speedup, (k * 1000) % 2 ? 5.0 : 4.0, 1e-12);
    }
    summary_release(&s);
    free(path);
    tu_rmrf(dir);
}
END_TEST

/* A runs CSV whose second row (line 3) has `value` for wall_s, and what loading it
 * says; the value is refused, naming the file, the line and the column. */
static void bad_wall(const char *value)
{
    char *dir, *path, text[1024], quoted[64];
    struct summary s;

    snprintf(text, sizeof text,
             "%s\n"
             "a1,parlab-serial,1,12,200,none,none,1,2.0,2.0,0,12,h1,2,t\n"
             "a2,parlab-serial,1,12,200,none,none,2,%s,2.0,0,12,h1,2,t\n",
             RUNS_CSV_HEADER, value);
    path = write_runs(text, &dir);
    snprintf(quoted, sizeof quoted, "\"%s\"", value);
    errno = 0;
    ck_assert_msg(load(path, &s) == -1, "%s accepted", value);
    ck_assert_int_eq(errno, EINVAL);
    ck_assert_msg(strstr(why, path) && strstr(why, "line 3, column wall_s") &&
                      strstr(why, quoted),
                  "for %s: %s", value, why);
    free(path);
    tu_rmrf(dir);
}

START_TEST(a_time_that_is_not_seconds_is_named_by_line_and_column)
{
    static const char *const values[] = {"nan", "inf", "-inf", "-5.00", "0x1p3", "0X1P3",
                                         " 5", "+5", "", "1e999", "2.0s"};
    char *dir, *path;
    const char *args[3] = {"--runs-csv", NULL, NULL};
    struct proc_result r;

    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
        bad_wall(values[i]);

    /* parlab-summary: one line, exit 1; a quote left open names where it opens */
    path = write_runs(RUNS_CSV_HEADER "\n"
                      "a1,parlab-serial,1,12,200,none,none,1,2.0,2.0,0,12,h1,2,t\n"
                      "a2,parlab-serial,1,12,200,none,none,2,2.0,2.0,0,12,\"h1,2,t\n"
                      "a3,parlab-serial,1,12,200,none,none,3,2.0,2.0,0,12,h1,2,\"t\"\n",
                      &dir);
    args[1] = path;
    tu_run(&r, "parlab-summary", args);
    ck_assert_msg(r.status == 1 && tu_count_lines(r.err) == 1 && strstr(r.err, path) &&
                      strstr(r.err, "line 3, column host") && r.out[0] == '\0',
                  "exit %d: %s", r.status, r.err);
    tu_result_release(&r);
    free(path);
    tu_rmrf(dir);
}
END_TEST

/* The columns every file has, then sizes: readers find columns by name. */
#define OLD_COLUMNS \
    "run_id,program,workers,jobs,size,lock,pin,rep,wall_s,cpu_self_s,cpu_children_s,jobs_ok,host,pus,started_at"

/* Jobs of unequal size (--sizes) are cases of their own, and their speedup divides by
 * serial runs of the same sizes, never by serial runs of one size; a file from before
 * the sizes column has jobs of one size. */
START_TEST(cases_are_kept_apart_by_sizes_and_divide_by_serial_runs_of_the_same)
{
    char *dir, *path = write_runs(OLD_COLUMNS ",sizes\n"
                                  "a1,parlab-serial,1,12,160,none,none,1,4.0,4.0,0,12,h1,2,t,\n"
                                  "b1,parlab-serial,1,12,160,none,none,1,2.0,2.0,0,12,h1,2,t,ramp:60-160\n"
                                  "c1,parlab-threads,3,12,160,none,none,1,2.0,4.0,0,12,h1,2,t,\n"
                                  "d1,parlab-threads,3,12,160,none,none,1,1.0,2.0,0,12,h1,2,t,ramp:60-160\n"
                                  "e1,parlab-threads,3,12,160,none,none,1,0.5,1.0,0,12,h1,2,t,\"list:160,60\"\n"
                                  "d2,parlab-threads,3,12,160,none,none,2,1.0,2.0,0,12,h1,2,t,ramp:60-160\n",
                                  &dir),
         *old = tu_path(dir, "old.csv"), *text;
    struct summary s;
    struct tu_text out;

    ck_assert_int_eq(load(path, &s), 0);
    ck_assert_uint_eq(s.ncases, 5);
    ck_assert_str_eq(s.cases[0].sizes, "");
    ck_assert_str_eq(s.cases[1].sizes, "ramp:60-160");
    ck_assert_str_eq(s.cases[1].variant, "sizes=ramp:60-160");
    ck_assert_uint_eq(s.cases[3].reps, 2); /* d1 and d2 */
    ck_assert_double_eq_tol(s.cases[2].speedup, 4.0 / 2.0, 1e-12);
    ck_assert_ptr_eq(s.cases[2].serial, &s.cases[0]);
    ck_assert_double_eq_tol(s.cases[3].speedup, 2.0 / 1.0, 1e-12);
    ck_assert_ptr_eq(s.cases[3].serial, &s.cases[1]);
    ck_assert_double_eq(s.cases[4].speedup, 0);
    ck_assert_ptr_eq(summary_find_serial(&s, 12, 160, "h1", "ramp:60-160", NULL), &s.cases[1]);
    ck_assert_ptr_eq(summary_find_serial(&s, 12, 160, "h1", NULL, NULL), &s.cases[0]);
    ck_assert_ptr_null(summary_find_serial(&s, 12, 160, "h1", "list:160,60", NULL));
    summary_print_table(&s, tu_text_open(&out));
    text = tu_text_close(&out);
    ck_assert_msg(tu_mentions(text, "threads lock=none sizes=ramp:60-160",
                              "\n[1] no serial run on host h1 with --sizes list:160,60\n", NULL),
                  "%s", text);
    free(text);
    summary_release(&s);

    tu_write_file(old, OLD_COLUMNS "\na1,parlab-serial,1,12,160,none,none,1,4.0,4.0,0,12,h1,2,t\n"
                               "c1,parlab-threads,3,12,160,none,none,1,2.0,4.0,0,12,h1,2,t\n");
    ck_assert_int_eq(load(old, &s), 0);
    ck_assert_uint_eq(s.ncases, 2);
    ck_assert_str_eq(s.cases[1].sizes, "");
    ck_assert_str_eq(s.cases[1].variant, "");
    ck_assert_double_eq_tol(s.cases[1].speedup, 2.0, 1e-12);
    summary_release(&s);
    free(old);
    free(path);
    tu_rmrf(dir);
}
END_TEST

/* A schedule other than the queue's dynamic,1 is a case of its own; dynamic,1 and a
 * file without the column (threads then always ran dynamic,1) are the plain case. */
START_TEST(cases_are_kept_apart_by_schedule)
{
    char *dir, *path = write_runs(OLD_COLUMNS ",schedule\n"
                                  "a1,parlab-serial,1,12,160,none,none,1,4.0,4.0,0,12,h1,2,t,\n"
                                  "b1,parlab-threads,3,12,160,none,none,1,2.0,4.0,0,12,h1,2,t,\"dynamic,1\"\n"
                                  "c1,parlab-threads,3,12,160,none,none,1,2.5,4.0,0,12,h1,2,t,static\n"
                                  "d1,parlab-threads,3,12,160,none,none,1,2.2,4.0,0,12,h1,2,t,\"static,1\"\n"
                                  "b2,parlab-threads,3,12,160,none,none,2,2.0,4.0,0,12,h1,2,t,\n",
                                  &dir);
    struct summary s;

    ck_assert_int_eq(load(path, &s), 0);
    ck_assert_uint_eq(s.ncases, 4);
    ck_assert_str_eq(s.cases[1].variant, "");
    ck_assert_uint_eq(s.cases[1].reps, 2); /* b1 and b2 */
    ck_assert_str_eq(s.cases[2].variant, "schedule=static");
    ck_assert_str_eq(s.cases[3].variant, "schedule=static,1");
    ck_assert_double_eq_tol(s.cases[2].speedup, 4.0 / 2.5, 1e-12); /* over the one serial */
    summary_release(&s);
    free(path);
    tu_rmrf(dir);
}
END_TEST

/* Two students' runs on hosts of the same name stay apart, each student's speedup over
 * their own serial runs; the table names the labels only when there are several. */
START_TEST(an_exercise_s_parts_divide_by_its_own_serial_part)
{
    /* the same jobs, size and host for all: only the suite tells the baselines apart */
    char *dir, *path = write_runs(RUNS_CSV_HEADER "\n"
                                  "a1,parlab-serial,1,1,500,none,none,1,8.0,8.0,0,1,vm,2,t\n"
                                  "a2,parlab-threads,2,1,500,none,none,1,4.0,8.0,0,1,vm,2,t\n"
                                  "b1,exercise-pi-serial,1,1,500,none,none,1,2.0,2.0,0,1,vm,2,t\n"
                                  "b2,exercise-pi-reduction,2,1,500,none,none,1,1.0,2.0,0,1,vm,2,t\n"
                                  "c1,exercise-histogram-serial,1,1,500,none,none,1,6.0,6.0,0,1,vm,2,t\n"
                                  "c2,exercise-histogram-atomic,2,1,500,none,none,1,2.0,4.0,0,1,vm,2,t\n"
                                  "d2,exercise-sharing-padded,2,1,500,none,none,1,1.0,2.0,0,1,vm,2,t\n",
                                  &dir);
    struct summary s;

    ck_assert_int_eq(load(path, &s), 0);
    ck_assert_uint_eq(s.ncases, 7);
    ck_assert_ptr_eq(s.cases[1].serial, &s.cases[0]);
    ck_assert_double_eq_tol(s.cases[1].speedup, 8.0 / 4.0, 1e-12);
    ck_assert_ptr_eq(s.cases[3].serial, &s.cases[2]);
    ck_assert_double_eq_tol(s.cases[3].speedup, 2.0 / 1.0, 1e-12);
    ck_assert_ptr_eq(s.cases[5].serial, &s.cases[4]);
    ck_assert_double_eq_tol(s.cases[5].speedup, 6.0 / 2.0, 1e-12);
    ck_assert_ptr_null(s.cases[6].serial); /* its suite has no serial part here */
    ck_assert(!s.cases[6].has_serial);
    /* parlab's own programs never divide by an exercise's serial part */
    ck_assert_ptr_eq(summary_find_serial(&s, 1, 500, "vm", NULL, NULL), &s.cases[0]);
    summary_release(&s);
    free(path);
    tu_rmrf(dir);
}
END_TEST

START_TEST(joblib_s_programs_divide_by_joblib_serial)
{
    /* src/joblib-compare.py's rows beside parlab's, of the same jobs, size and host:
     * joblib-threading's speedup is over joblib-serial, parlab-threads' over
     * parlab-serial, and neither suite is an exercise */
    char *dir, *path = write_runs(RUNS_CSV_HEADER "\n"
                                  "a1,parlab-serial,1,12,146,none,none,1,6.0,6.0,0,12,vm,2,t\n"
                                  "a2,parlab-threads,3,12,146,none,none,1,3.0,6.0,0,12,vm,2,t\n"
                                  "b1,joblib-serial,1,12,146,none,none,1,4.0,4.0,0,12,vm,2,t\n"
                                  "b2,joblib-threading,3,12,146,none,none,1,2.5,4.4,0,12,vm,2,t\n"
                                  "b3,joblib-loky,3,12,146,held,none,1,2.0,0.01,0,12,vm,2,t\n",
                                  &dir);
    struct summary s;

    ck_assert_int_eq(load(path, &s), 0);
    ck_assert_uint_eq(s.ncases, 5);
    ck_assert_ptr_eq(s.cases[1].serial, &s.cases[0]);
    ck_assert_double_eq_tol(s.cases[1].speedup, 6.0 / 3.0, 1e-12);
    ck_assert_ptr_eq(s.cases[3].serial, &s.cases[2]);
    ck_assert_double_eq_tol(s.cases[3].speedup, 4.0 / 2.5, 1e-12);
    ck_assert_ptr_eq(s.cases[4].serial, &s.cases[2]);
    ck_assert_double_eq_tol(s.cases[4].speedup, 4.0 / 2.0, 1e-12);
    ck_assert_ptr_eq(summary_find_serial(&s, 12, 146, "vm", NULL, NULL), &s.cases[0]);
    ck_assert_uint_eq(backend_suite_length("joblib-multiprocessing"), 6);
    ck_assert(backend_suite_baseline("joblib-serial"));
    ck_assert(!backend_suite_exercise("joblib-serial"));
    ck_assert(backend_suite_exercise("exercise-pi-serial"));
    ck_assert_uint_eq(backend_suite_length("joblib-"), 0);
    ck_assert_uint_eq(backend_suite_length("joblib"), 0);
    summary_release(&s);
    free(path);
    tu_rmrf(dir);
}
END_TEST

START_TEST(cases_are_kept_apart_by_label)
{
    char *dir, *path = write_runs(OLD_COLUMNS ",label\n"
                                  "a1,parlab-serial,1,12,100,none,none,1,4.0,4.0,0,12,vm,2,t,ann\n"
                                  "a2,parlab-threads,3,12,100,none,none,1,2.0,4.0,0,12,vm,2,t,ann\n"
                                  "b1,parlab-serial,1,12,100,none,none,1,3.0,3.0,0,12,vm,2,t,Zo\xc3\xab\n"
                                  "b2,parlab-threads,3,12,100,none,none,1,1.0,3.0,0,12,vm,2,t,Zo\xc3\xab\n"
                                  "c2,parlab-threads,3,12,100,none,none,1,1.5,3.0,0,12,vm,2,t,\n"
                                  "a3,parlab-threads,3,12,100,none,none,2,2.0,4.0,0,12,vm,2,t,ann\n",
                                  &dir),
         *one = tu_path(dir, "one.csv"), *text, line[512];
    struct summary s;
    struct tu_text out;

    ck_assert_int_eq(load(path, &s), 0);
    ck_assert_uint_eq(s.ncases, 5);
    ck_assert_str_eq(s.cases[1].label, "ann");
    ck_assert_uint_eq(s.cases[1].reps, 2); /* a2 and a3 */
    ck_assert_double_eq_tol(s.cases[1].speedup, 4.0 / 2.0, 1e-12);
    ck_assert_ptr_eq(s.cases[1].serial, &s.cases[0]);
    ck_assert_double_eq_tol(s.cases[3].speedup, 3.0 / 1.0, 1e-12);
    ck_assert_ptr_eq(s.cases[3].serial, &s.cases[2]);
    ck_assert_double_eq(s.cases[4].speedup, 0); /* nobody named has no serial run */
    ck_assert_ptr_eq(summary_find_serial(&s, 12, 100, "vm", NULL, "ann"), &s.cases[0]);
    ck_assert_ptr_null(summary_find_serial(&s, 12, 100, "vm", NULL, NULL));
    summary_print_table(&s, tu_text_open(&out));
    text = tu_text_close(&out);
    ck_assert_msg(tu_line(text, "case", line, sizeof line) && strncmp(line, "label ", 6) == 0,
                  "%s", text);
    ck_assert_msg(tu_line(text, "Zo\xc3\xab", line, sizeof line) &&
                      strncmp(line, "Zo\xc3\xab   serial lock=none", 23) == 0,
                  "%s", text); /* padded by characters, not bytes */
    ck_assert_msg(tu_line(text, "- [1]", line, sizeof line) && strncmp(line, "-     ", 6) == 0 &&
                      strstr(text, "\n[1] no serial run on host vm\n"),
                  "%s", text);
    free(text);
    summary_release(&s);

    tu_write_file(one, OLD_COLUMNS ",label\n"
                       "a1,parlab-serial,1,12,100,none,none,1,4.0,4.0,0,12,vm,2,t,ann\n"
                       "a2,parlab-threads,3,12,100,none,none,1,2.0,4.0,0,12,vm,2,t,ann\n");
    ck_assert_int_eq(load(one, &s), 0);
    summary_print_table(&s, tu_text_open(&out));
    text = tu_text_close(&out);
    ck_assert_msg(strncmp(text, "case ", 5) == 0 && strstr(text, "ann") == NULL, "%s", text);
    free(text);
    summary_release(&s);
    free(one);
    free(path);
    tu_rmrf(dir);
}
END_TEST

/* parlab-mpi's ranks x threads splits of the same W are cases of their own, each named
 * by its split; a file from before the ranks column holds no split, and its rows of one
 * W are one case, as they were. */
START_TEST(hybrid_splits_are_cases_of_their_own)
{
    char *dir, *path = write_runs(OLD_COLUMNS ",ranks\n"
                                  "a1,parlab-serial,1,12,100,none,none,1,4.0,4.0,0,12,vm,2,t,\n"
                                  "b1,parlab-mpi,2,12,100,held,none,1,4.0,4.0,0,12,vm,2,t,1\n"
                                  "c1,parlab-mpi,2,12,100,held,none,1,2.0,4.0,0,12,vm,2,t,2\n"
                                  "c2,parlab-mpi,2,12,100,held,none,2,2.2,4.0,0,12,vm,2,t,2\n"
                                  "d1,parlab-mpi,4,12,100,held,none,1,1.0,4.0,0,12,vm,2,t,2\n"
                                  "e1,parlab-procs,2,12,100,held,none,1,2.0,0,4.0,12,vm,2,t,\n",
                                  &dir),
         *old = tu_path(dir, "old.csv"), *text, line[512];
    struct summary s;
    struct tu_text out;

    ck_assert_msg(load(path, &s) == 0, "%s", why);
    ck_assert_uint_eq(s.ncases, 5);
    ck_assert_uint_eq(s.cases[1].ranks, 1); /* 1 rank x 2 threads */
    ck_assert_uint_eq(summary_threads_per_rank(&s.cases[1]), 2);
    ck_assert(summary_hybrid(&s.cases[1]));
    ck_assert_uint_eq(s.cases[2].ranks, 2); /* 2 ranks x 1 thread: c1 and c2 */
    ck_assert_uint_eq(s.cases[2].reps, 2);
    ck_assert(!summary_hybrid(&s.cases[2]));
    ck_assert_uint_eq(summary_threads_per_rank(&s.cases[3]), 2); /* 2 ranks x 2 threads */
    ck_assert_uint_eq(s.cases[4].ranks, 0);                       /* not MPI */
    ck_assert_uint_eq(summary_threads_per_rank(&s.cases[4]), 0);
    ck_assert_double_eq_tol(s.cases[1].speedup, 1.0, 1e-12);
    ck_assert_double_eq_tol(s.cases[2].speedup, 4.0 / 2.1, 1e-12);
    summary_print_table(&s, tu_text_open(&out));
    text = tu_text_close(&out);
    ck_assert_msg(tu_line(text, "mpi 1x2 lock=held", line, sizeof line) &&
                      tu_has_number(line, 4.0) && !tu_has_number(line, 2.1),
                  "%s", text);
    ck_assert_msg(tu_line(text, "mpi 2x1 lock=held", line, sizeof line) && tu_has_number(line, 2.1),
                  "%s", text);
    ck_assert_msg(tu_line(text, "mpi 2x2 lock=held", line, sizeof line), "%s", text);
    ck_assert_msg(tu_line(text, "procs lock=held", line, sizeof line) && !strstr(line, "x1"),
                  "%s", text);
    free(text);
    summary_release(&s);

    tu_write_file(old, OLD_COLUMNS "\n"
                       "a1,parlab-serial,1,12,100,none,none,1,4.0,4.0,0,12,vm,2,t\n"
                       "b1,parlab-mpi,2,12,100,held,none,1,4.0,4.0,0,12,vm,2,t\n"
                       "c1,parlab-mpi,2,12,100,held,none,1,2.0,4.0,0,12,vm,2,t\n");
    ck_assert_msg(load(old, &s) == 0, "%s", why);
    ck_assert_uint_eq(s.ncases, 2);
    ck_assert_uint_eq(s.cases[1].reps, 2);
    ck_assert_uint_eq(s.cases[1].ranks, 0);
    ck_assert(!summary_hybrid(&s.cases[1]));
    summary_print_table(&s, tu_text_open(&out));
    text = tu_text_close(&out);
    ck_assert_msg(tu_line(text, "mpi lock=held", line, sizeof line), "%s", text);
    free(text);
    summary_release(&s);
    free(old);
    free(path);
    tu_rmrf(dir);
}
END_TEST

/* The simd kernel's runs are cases of their own, one per instruction set, and never
 * the serial baseline: their speedup divides by the scalar serial runs.  An empty
 * kernel column, or none (a file from before it), is the scalar kernel. */
START_TEST(simd_runs_are_cases_of_their_own_over_scalar_serial)
{
    char *dir, *path = write_runs(OLD_COLUMNS ",kernel,isa\n"
                                  "b1,parlab-serial,1,12,100,none,none,1,1.0,1.0,0,12,vm,2,t,simd,avx512f\n"
                                  "a1,parlab-serial,1,12,100,none,none,1,4.0,4.0,0,12,vm,2,t,scalar,\n"
                                  "a2,parlab-serial,1,12,100,none,none,2,4.0,4.0,0,12,vm,2,t,,\n"
                                  "c1,parlab-threads,2,12,100,none,none,1,0.5,1.0,0,12,vm,2,t,simd,avx512f\n"
                                  "d1,parlab-threads,2,12,100,none,none,1,2.0,4.0,0,12,vm,2,t,scalar,\n"
                                  "e1,parlab-threads,2,12,100,none,none,1,0.8,1.6,0,12,vm,2,t,simd,avx2\n",
                                  &dir),
         *text, line[512];
    struct summary s;
    struct tu_text out;

    ck_assert_msg(load(path, &s) == 0, "%s", why);
    ck_assert_uint_eq(s.ncases, 5);
    ck_assert_str_eq(s.cases[0].variant, "kernel=simd/avx512f");
    ck_assert_str_eq(s.cases[1].variant, "");
    ck_assert_uint_eq(s.cases[1].reps, 2); /* scalar and empty: one case */
    ck_assert_double_eq_tol(s.cases[0].speedup, 4.0, 1e-12);
    ck_assert_double_eq_tol(s.cases[2].speedup, 8.0, 1e-12);
    ck_assert_double_eq_tol(s.cases[3].speedup, 2.0, 1e-12);
    ck_assert_str_eq(s.cases[4].variant, "kernel=simd/avx2");
    ck_assert_double_eq_tol(s.cases[4].speedup, 5.0, 1e-12);
    summary_print_table(&s, tu_text_open(&out));
    text = tu_text_close(&out);
    ck_assert_msg(tu_line(text, "threads lock=none kernel=simd/avx512f", line, sizeof line) &&
                      tu_has_number(line, 8.0),
                  "%s", text);
    free(text);
    summary_release(&s);
    free(path);
    tu_rmrf(dir);
}
END_TEST

/* A ranks value that is not a whole number of ranks dividing the workers is refused,
 * naming the file, the line and the column. */
START_TEST(ranks_that_do_not_divide_the_workers_are_refused)
{
    static const char *const values[] = {"3", "0", "x", "-1", " 1", "1.0", "4"};

    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        char *dir, *path, text[1024], quoted[32];
        struct summary s;

        snprintf(text, sizeof text,
                 OLD_COLUMNS ",ranks\n"
                 "a1,parlab-serial,1,12,100,none,none,1,4.0,4.0,0,12,vm,2,t,\n"
                 "b1,parlab-mpi,2,12,100,held,none,1,4.0,4.0,0,12,vm,2,t,\"%s\"\n",
                 values[i]);
        path = write_runs(text, &dir);
        snprintf(quoted, sizeof quoted, "\"%s\"", values[i]);
        errno = 0;
        ck_assert_msg(load(path, &s) == -1, "ranks %s accepted", values[i]);
        ck_assert_int_eq(errno, EINVAL);
        ck_assert_msg(strstr(why, "line 3, column ranks") && strstr(why, quoted) &&
                          strstr(why, "divides the workers"),
                      "for %s: %s", values[i], why);
        free(path);
        tu_rmrf(dir);
    }
}
END_TEST

/* parlab-mpi writes its ranks (one without mpirun), the other programs an empty
 * field; parlab-summary names the split.  Open MPI's own allocations and threads under
 * the sanitizers and valgrind are noise (check_mpi skips there too). */
START_TEST(parlab_mpi_writes_its_ranks_and_the_summary_names_the_split)
{
    char *dir, *path, *table;
    const char *show[3] = {"--runs-csv", NULL, NULL};
    struct csv_table t;
    struct proc_result r;

    if (getenv("PARLAB_SANITIZED") != NULL || tu_under_valgrind())
        tu_skip("Open MPI's own allocations and threads under the sanitizers and valgrind "
                "are noise; the plain pass runs this test");
    dir = tu_tmpdir();
    path = tu_path(dir, "runs.csv");
    {
        const char *serial[] = {"-n", "40", "-j", "4", "-r", "1", "-q", "--runs-csv", path, NULL};
        const char *hybrid[] = {"-n", "40", "-j", "4", "-r", "1", "-q", "--threads", "2",
                                "--runs-csv", path, NULL};
        const char *one[] = {"-n", "40", "-j", "4", "-r", "1", "-q", "--runs-csv", path, NULL};

        tu_run_ok("parlab-serial", serial);
        tu_run_ok("parlab-mpi", hybrid); /* without mpirun: one rank, here of 2 threads */
        tu_run_ok("parlab-mpi", one);
    }
    tu_read_csv(path, &t);
    ck_assert_uint_eq(t.nrows, 4);
    ck_assert_str_eq(tu_field(&t, 1, "ranks"), "");
    ck_assert_str_eq(tu_field(&t, 2, "ranks"), "1");
    ck_assert_str_eq(tu_field(&t, 2, "workers"), "2");
    ck_assert_str_eq(tu_field(&t, 3, "ranks"), "1");
    csv_table_release(&t);
    show[1] = path;
    tu_run(&r, "parlab-summary", show);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    table = r.out;
    ck_assert_msg(tu_mentions(table, "serial lock=none", "mpi 1x2 lock=none", "mpi 1x1 lock=none",
                              NULL),
                  "%s", table);
    tu_result_release(&r);
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
    tcase_add_test(tc, a_case_without_a_serial_run_of_its_size_names_the_nearest);
    tcase_add_test(tc, a_file_without_the_columns_is_refused);
    tcase_add_test(tc, a_number_that_does_not_parse_is_refused);
    tcase_add_test(tc, the_serial_baseline_is_the_one_without_the_lock);
    tcase_add_test(tc, each_case_knows_its_median_run_and_machine);
    tcase_add_test(tc, medians_minima_and_maxima_for_odd_and_even_counts);
    tcase_add_test(tc, a_hundred_thousand_runs_of_one_case_take_under_a_second);
    tcase_add_test(tc, forty_thousand_cases_take_under_a_second);
    tcase_add_test(tc, a_time_that_is_not_seconds_is_named_by_line_and_column);
    tcase_add_test(tc, cases_are_kept_apart_by_sizes_and_divide_by_serial_runs_of_the_same);
    tcase_add_test(tc, cases_are_kept_apart_by_schedule);
    tcase_add_test(tc, cases_are_kept_apart_by_label);
    tcase_add_test(tc, an_exercise_s_parts_divide_by_its_own_serial_part);
    tcase_add_test(tc, joblib_s_programs_divide_by_joblib_serial);
    tcase_add_test(tc, hybrid_splits_are_cases_of_their_own);
    tcase_add_test(tc, simd_runs_are_cases_of_their_own_over_scalar_serial);
    tcase_add_test(tc, ranks_that_do_not_divide_the_workers_are_refused);
    tcase_add_test(tc, parlab_mpi_writes_its_ranks_and_the_summary_names_the_split);
    tcase_add_test(tc, the_summary_reads_the_granularity_sweep_like_any_runs_file);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(summary_suite());
}
