/*
 * check_programs.c - end to end: the programs in bin/ tell the lecture's story in
 * their CSVs: with the lock held threads never overlap, with it released they do,
 * processes run the jobs in children while the parent idles, and all three programs
 * compute the same results.
 */
#include <check.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parlab/csv.h"
#include "parlab/kernel.h"
#include "parlab/run.h"

#include "testutil.h"

static const char *const programs[] = {"parlab-serial", "parlab-threads", "parlab-procs"};
#define NPROGRAMS (sizeof programs / sizeof programs[0])

/* Runs parlab-threads once with 12 jobs and returns its runs and jobs tables; the
 * caller removes the returned directory. */
static char *threads_run(const char *lock, const char *size, const char *workers,
                         struct csv_table *runs, struct csv_table *jobs)
{
    char *dir = tu_tmpdir(), *runs_path = tu_path(dir, "runs.csv");
    char *jobs_path = tu_path(dir, "jobs.csv");
    const char *args[] = {"-n", size, "-j", "12", "-w", workers, "-r", "1", "-l", lock, "-q",
                          "--runs-csv", runs_path, "--jobs-csv", jobs_path, NULL};

    tu_run_ok("parlab-threads", args);
    tu_read_csv(runs_path, runs);
    tu_read_csv(jobs_path, jobs);
    ck_assert_uint_eq(runs->nrows, 1 + 1);
    ck_assert_uint_eq(jobs->nrows, 1 + 12);
    free(runs_path);
    free(jobs_path);
    return dir;
}

static bool overlap(const struct csv_table *t, size_t a, size_t b)
{
    return tu_num(t, a, "t_start_s") < tu_num(t, b, "t_end_s") &&
           tu_num(t, b, "t_start_s") < tu_num(t, a, "t_end_s");
}

/* The jobs of one run: each job once, each worker number below `workers` and standing
 * for exactly one thread or process (column `id`: tid or pid), no worker running two
 * jobs at once, and with `one_at_a_time` no two jobs at once at all (run.h's
 * run_check_job_rows, which the exercises' checker applies too); and each job's CPU
 * time is positive and no longer than its interval. */
static void check_workers_and_cpu(const struct csv_table *t, unsigned workers, const char *id,
                                  bool one_at_a_time)
{
    const struct job_rows_rule rule = {(unsigned)(t->nrows - 1), workers, id, one_at_a_time};
    char why[512];

    ck_assert_msg(run_check_job_rows(t, &rule, why, sizeof why) == 0, "%s", why);
    for (size_t a = 1; a < t->nrows; a++) {
        double cpu = tu_num(t, a, "cpu_s");
        double span = tu_num(t, a, "t_end_s") - tu_num(t, a, "t_start_s");

        ck_assert_msg(cpu > 0 && cpu <= span + 1e-3, "job %zu: cpu %.6f s in %.6f s", a - 1,
                      cpu, span);
    }
}

START_TEST(threads_with_the_lock_held_never_overlap)
{
    struct csv_table runs, jobs;
    char *dir = threads_run("held", "70", "3", &runs, &jobs);
    double waited = 0.0;

    for (size_t a = 1; a < jobs.nrows; a++)
        waited += tu_num(&jobs, a, "lock_wait_s");
    ck_assert_double_gt(waited, 0.0); /* with 3 threads, someone waited for the lock */
    check_workers_and_cpu(&jobs, 3, "tid", true); /* no two jobs overlap */
    csv_table_release(&runs);
    csv_table_release(&jobs);
    tu_rmrf(dir);
}
END_TEST

START_TEST(threads_with_the_lock_released_overlap)
{
    /* Overlap shows the jobs ran at once.  That they also ran in parallel (CPU time
     * about twice the wall time) depends on what else the machine runs, so it is a
     * benchmark figure (docs/run-all.md), not a test. */
    struct csv_table runs, jobs;
    char *dir;
    int pairs = 0;

    if (getenv("PARLAB_UNDER_VALGRIND") != NULL)
        tu_skip("valgrind runs one thread at a time");
    if (tu_usable_cpus() < 2)
        tu_skip("this process may use only 1 PU, so threads cannot run at once");
    dir = threads_run("none", "90", "2", &runs, &jobs);

    for (size_t a = 1; a < jobs.nrows; a++) {
        for (size_t b = a + 1; b < jobs.nrows; b++)
            pairs += overlap(&jobs, a, b);
        ck_assert_double_eq(tu_num(&jobs, a, "lock_wait_s"), 0.0);
    }
    ck_assert_msg(pairs > 0, "no two of 12 jobs on 2 threads ran at the same time");
    check_workers_and_cpu(&jobs, 2, "tid", false);
    csv_table_release(&runs);
    csv_table_release(&jobs);
    tu_rmrf(dir);
}
END_TEST

START_TEST(procs_run_jobs_in_children_and_the_parent_stays_idle)
{
    /* Under valgrind memcheck's own start is most of the parent's CPU time, so that
     * only jobs of n = 140, 50 times slower there in loops that hold no memory to
     * check, outweigh it ten times: there the jobs are n = 60 and the CPU times are
     * not compared, which the other passes do. */
    const bool valgrind = tu_under_valgrind();
    char *dir = tu_tmpdir(), *runs_path = tu_path(dir, "runs.csv");
    char *jobs_path = tu_path(dir, "jobs.csv"), parent[32];
    const char *args[] = {"-n", valgrind ? "60" : "140", "-j", "12", "-w", "3", "-r", "1",
                          "-l", "held", "-q", "--runs-csv", runs_path, "--jobs-csv", jobs_path,
                          NULL};
    struct csv_table runs, jobs;
    struct proc_result r;

    tu_run(&r, "parlab-procs", args);
    ck_assert_msg(r.status == 0, "parlab-procs exited %d: %s", r.status, r.err);
    snprintf(parent, sizeof parent, "%ld", (long)r.pid);
    tu_read_csv(runs_path, &runs);
    tu_read_csv(jobs_path, &jobs);
    ck_assert_uint_eq(runs.nrows, 2);
    ck_assert_uint_eq(jobs.nrows, 13);
    for (size_t k = 1; k < jobs.nrows; k++)
        ck_assert_str_ne(tu_field(&jobs, k, "pid"), parent);
    check_workers_and_cpu(&jobs, 3, "pid", false);

    double self = tu_num(&runs, 1, "cpu_self_s");
    double children = tu_num(&runs, 1, "cpu_children_s");
    ck_assert_msg(children > 0 && (valgrind || self < children / 10),
                  "parent cpu %.4f s, children %.4f s", self, children);
    csv_table_release(&runs);
    csv_table_release(&jobs);
    tu_result_release(&r);
    free(runs_path);
    free(jobs_path);
    tu_rmrf(dir);
}
END_TEST

START_TEST(the_three_programs_give_identical_results)
{
    char *dir = tu_tmpdir(), *first = NULL;
    const double expected = kernel_closed_form(50);

    for (size_t p = 0; p < NPROGRAMS; p++) {
        char *path = tu_path(dir, programs[p]);
        const char *workers = strcmp(programs[p], "parlab-serial") == 0 ? "1" : "3";
        const char *args[] = {"-n", "50", "-j", "6", "-w", workers, "-r", "1",
                              "-q", "--jobs-csv", path, NULL};
        struct csv_table jobs;
        int col;

        tu_run_ok(programs[p], args);
        tu_read_csv(path, &jobs);
        ck_assert_uint_eq(jobs.nrows, 1 + 6);
        col = csv_column(&jobs, "result");
        for (size_t k = 1; k < jobs.nrows; k++) {
            const char *result = csv_field(&jobs, k, col);

            if (first == NULL)
                first = strdup(result);
            ck_assert_msg(strcmp(result, first) == 0, "%s job %zu gave %s, not %s",
                          programs[p], k - 1, result, first);
            ck_assert_msg(kernel_result_ok(strtod(result, NULL), expected),
                          "%s gave %s, the closed form is %.17g", programs[p], result,
                          expected);
            ck_assert_str_eq(csv_field(&jobs, k, csv_column(&jobs, "ok")), "1");
        }
        csv_table_release(&jobs);
        free(path);
    }
    free(first);
    tu_rmrf(dir);
}
END_TEST

/* --sizes: every program runs job k with its own n (jobs.csv's size), each checked
 * against the closed form of that n; runs.csv keeps the SPEC and the largest n; the
 * kernel's ns per step divides by every job's steps; and a speedup divides only by
 * serial runs of the same sizes. */
START_TEST(the_three_programs_run_jobs_of_unequal_size)
{
    static const unsigned sizes[] = {40, 35, 30, 25, 20}; /* ramp:40-20 over 5 jobs */
    char *dir = tu_tmpdir(), *runs_path = tu_path(dir, "runs.csv");
    double steps = 0;

    for (size_t k = 0; k < 5; k++)
        steps += (double)kernel_steps(sizes[k]);
    for (size_t p = 0; p < NPROGRAMS; p++) {
        char *jobs_path = tu_path(dir, programs[p]);
        const char *workers = strcmp(programs[p], "parlab-serial") == 0 ? "1" : "3";
        const char *args[] = {"--sizes", "ramp:40-20", "-j", "5", "-w", workers, "-r", "1",
                              "-q", "--jobs-csv", jobs_path, "--runs-csv", runs_path, NULL};
        struct csv_table jobs, runs;
        struct proc_result r;
        double cpu = 0;

        tu_run(&r, programs[p], args);
        ck_assert_msg(r.status == 0, "%s exited %d: %s", programs[p], r.status, r.err);
        tu_read_csv(jobs_path, &jobs);
        ck_assert_uint_eq(jobs.nrows, 1 + 5);
        for (size_t row = 1; row < jobs.nrows; row++) {
            size_t k = (size_t)tu_num(&jobs, row, "job");

            ck_assert_double_eq(tu_num(&jobs, row, "size"), sizes[k]);
            ck_assert_msg(kernel_result_ok(tu_num(&jobs, row, "result"),
                                           kernel_closed_form(sizes[k])),
                          "%s job %zu gave %s", programs[p], k, tu_field(&jobs, row, "result"));
            ck_assert_str_eq(tu_field(&jobs, row, "ok"), "1");
            cpu += tu_num(&jobs, row, "cpu_s");
        }
        /* the one run's ns per step, printed with 2 decimals */
        ck_assert_msg(fabs(tu_number_after(r.out, "kernel:") - cpu * 1e9 / steps) < 0.01 + 1e-6,
                      "%s: %.4f ns per step expected: %s", programs[p], cpu * 1e9 / steps, r.out);
        if (p > 0) { /* serial's runs, of the same sizes, are in the file */
            char line[1024];

            ck_assert_msg(tu_line(r.out, "speedup over serial:", line, sizeof line) &&
                              strstr(line, "none") == NULL &&
                              tu_number_after(line, "serial:") > 0,
                          "%s: %s", programs[p], r.out);
        }
        tu_read_csv(runs_path, &runs);
        ck_assert_uint_eq(runs.nrows, 1 + p + 1);
        ck_assert_str_eq(tu_field(&runs, p + 1, "sizes"), "ramp:40-20");
        ck_assert_str_eq(tu_field(&runs, p + 1, "size"), "40");
        csv_table_release(&runs);
        csv_table_release(&jobs);
        tu_result_release(&r);
        free(jobs_path);
    }
    {   /* the same jobs in another order are other jobs: no serial run of them */
        const char *args[] = {"--sizes", "ramp:20-40", "-j", "5", "-r", "1", "-q",
                              "--runs-csv", runs_path, NULL};
        struct proc_result r;

        tu_run(&r, "parlab-threads", args);
        ck_assert_int_eq(r.status, 0);
        ck_assert_msg(tu_mentions(r.out, "speedup over serial: none", "--sizes ramp:20-40 -j 5",
                                  NULL),
                      "said: %s", r.out);
        tu_result_release(&r);
    }
    free(runs_path);
    tu_rmrf(dir);
}
END_TEST

/* Runs `program` on 12 jobs of --sizes ramp:20-80 with the NULL-terminated extra
 * arguments (at most 4) and returns the runs and jobs tables. */
static char *sized_run(const char *program, const char *const *extra, struct csv_table *runs,
                       struct csv_table *jobs)
{
    char *dir = tu_tmpdir(), *runs_path = tu_path(dir, "runs.csv");
    char *jobs_path = tu_path(dir, "jobs.csv");
    const char *args[20] = {"--sizes", "ramp:20-80", "-j", "12", "-r", "1", "-q", "--runs-csv",
                            runs_path, "--jobs-csv", jobs_path};
    size_t n = 11;

    while (*extra != NULL)
        args[n++] = *extra++;
    args[n] = NULL;
    tu_run_ok(program, args);
    tu_read_csv(runs_path, runs);
    tu_read_csv(jobs_path, jobs);
    ck_assert_uint_eq(runs->nrows, 1 + 1);
    ck_assert_uint_eq(jobs->nrows, 1 + 12);
    free(runs_path);
    free(jobs_path);
    return dir;
}

/* The jobs' steps (jobs.csv's size) that worker w ran, and that its jobs ran one after
 * another in their queue order, each starting after the one before it ended. */
static double worker_steps_in_order(const struct csv_table *jobs, long w)
{
    double steps = 0, last_end = -1;
    long last_job = -1;

    for (size_t row = 1; row < jobs->nrows; row++) { /* rows are in job order */
        if ((long)tu_num(jobs, row, "worker") != w)
            continue;
        ck_assert_int_gt((long)tu_num(jobs, row, "job"), last_job);
        ck_assert_msg(tu_num(jobs, row, "t_start_s") >= last_end,
                      "worker %ld started job %s before its job %ld ended", w,
                      tu_field(jobs, row, "job"), last_job);
        last_job = (long)tu_num(jobs, row, "job");
        last_end = tu_num(jobs, row, "t_end_s");
        steps += (double)kernel_steps((uint64_t)tu_num(jobs, row, "size"));
    }
    return steps;
}

/* --schedule: static,1 deals job k to thread k mod W; static gives each thread one
 * block of jobs in order, so with a ramp the last thread has the largest jobs and
 * runs them one after another: the tail.  The default is dynamic,1, each job run
 * once; runs.csv's schedule says what each program did. */
START_TEST(a_static_schedule_deals_out_the_jobs_and_leaves_a_tail)
{
    const char *round[] = {"-w", "3", "--schedule", "static,1", NULL};
    const char *blocks[] = {"-w", "3", "--schedule", "static", NULL};
    const char *queue[] = {"-w", "3", NULL}, *serial[] = {NULL};
    struct csv_table runs, jobs;
    double steps[3];
    bool seen[12] = {false};
    char *dir;

    dir = sized_run("parlab-threads", round, &runs, &jobs);
    ck_assert_str_eq(tu_field(&runs, 1, "schedule"), "static,1");
    for (size_t row = 1; row < jobs.nrows; row++)
        ck_assert_msg((long)tu_num(&jobs, row, "worker") == (long)tu_num(&jobs, row, "job") % 3,
                      "static,1: job %s ran on worker %s", tu_field(&jobs, row, "job"),
                      tu_field(&jobs, row, "worker"));
    csv_table_release(&runs);
    csv_table_release(&jobs);
    tu_rmrf(dir);

    dir = sized_run("parlab-threads", blocks, &runs, &jobs);
    ck_assert_str_eq(tu_field(&runs, 1, "schedule"), "static");
    for (size_t row = 1; row < jobs.nrows; row++) /* 12 jobs on 3 threads: blocks of 4 */
        ck_assert_msg((long)tu_num(&jobs, row, "worker") == (long)tu_num(&jobs, row, "job") / 4,
                      "static: job %s ran on worker %s", tu_field(&jobs, row, "job"),
                      tu_field(&jobs, row, "worker"));
    for (long w = 0; w < 3; w++)
        steps[w] = worker_steps_in_order(&jobs, w);
    ck_assert_msg(steps[2] > 2 * steps[1] && steps[1] > 2 * steps[0],
                  "the last block is not the largest: %.0f, %.0f, %.0f steps", steps[0], steps[1],
                  steps[2]);
    csv_table_release(&runs);
    csv_table_release(&jobs);
    tu_rmrf(dir);

    dir = sized_run("parlab-threads", queue, &runs, &jobs);
    ck_assert_str_eq(tu_field(&runs, 1, "schedule"), "dynamic,1");
    for (size_t row = 1; row < jobs.nrows; row++) {
        long k = (long)tu_num(&jobs, row, "job");

        ck_assert_msg(k >= 0 && k < 12 && !seen[k], "job %ld ran twice", k);
        seen[k] = true;
    }
    csv_table_release(&runs);
    csv_table_release(&jobs);
    tu_rmrf(dir);

    dir = sized_run("parlab-procs", queue, &runs, &jobs);
    ck_assert_str_eq(tu_field(&runs, 1, "schedule"), "dynamic,1"); /* one shared queue */
    csv_table_release(&runs);
    csv_table_release(&jobs);
    tu_rmrf(dir);
    dir = sized_run("parlab-serial", serial, &runs, &jobs);
    ck_assert_str_eq(tu_field(&runs, 1, "schedule"), ""); /* one worker: nothing shared out */
    csv_table_release(&runs);
    csv_table_release(&jobs);
    tu_rmrf(dir);
}
END_TEST

START_TEST(threads_refuse_a_smaller_team_than_asked)
{
    const char *env[] = {"OMP_THREAD_LIMIT=2", NULL};
    const char *args[] = {"-n", "20", "-j", "4", "-w", "3", "-r", "1", NULL};
    struct proc_result r;

    tu_run_env(&r, env, "parlab-threads", args);
    ck_assert_int_eq(r.status, 1);
    /* the team it got and the workers asked for */
    ck_assert_msg(tu_count_lines(r.err) == 1 && tu_number_after(r.err, "gave") == 2 &&
                      tu_has_number(r.err, 3) && tu_mentions(r.err, "OMP_THREAD_LIMIT=2", NULL),
                  "said: %s", r.err);
    tu_result_release(&r);
}
END_TEST

/* OMP_MAX_ACTIVE_LEVELS=0 allows no parallel region: one thread, and the message
 * names that variable, not OMP_THREAD_LIMIT. */
START_TEST(threads_name_max_active_levels_when_it_allows_no_team)
{
    const char *env[] = {"OMP_MAX_ACTIVE_LEVELS=0", NULL};
    const char *args[] = {"-n", "20", "-j", "4", "-w", "2", "-r", "1", NULL};
    struct proc_result r;

    tu_run_env(&r, env, "parlab-threads", args);
    ck_assert_int_eq(r.status, 1);
    ck_assert_msg(tu_count_lines(r.err) == 1 && tu_number_after(r.err, "gave") == 1 &&
                      tu_has_number(r.err, 2) &&
                      tu_mentions(r.err, "OMP_MAX_ACTIVE_LEVELS=0", NULL) &&
                      !strstr(r.err, "OMP_THREAD_LIMIT"),
                  "said: %s", r.err);
    tu_result_release(&r);
}
END_TEST

static Suite *programs_suite(void)
{
    Suite *s = suite_create("programs");
    TCase *tc = tcase_create("end to end");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, threads_with_the_lock_held_never_overlap);
    tcase_add_test(tc, threads_with_the_lock_released_overlap);
    tcase_add_test(tc, procs_run_jobs_in_children_and_the_parent_stays_idle);
    tcase_add_test(tc, the_three_programs_give_identical_results);
    tcase_add_test(tc, the_three_programs_run_jobs_of_unequal_size);
    tcase_add_test(tc, a_static_schedule_deals_out_the_jobs_and_leaves_a_tail);
    tcase_add_test(tc, threads_refuse_a_smaller_team_than_asked);
    tcase_add_test(tc, threads_name_max_active_levels_when_it_allows_no_team);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(programs_suite());
}
