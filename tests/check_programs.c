/*
 * check_programs.c - end to end: the programs in bin/ run, tell the lecture's story in
 * their CSVs, and refuse bad command lines without touching a file.
 */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parlab/csv.h"
#include "parlab/kernel.h"
#include "parlab/run.h"

#include "testutil.h"

static const char *const programs[] = {"parlab-serial", "parlab-threads", "parlab-procs"};
#define NPROGRAMS (sizeof programs / sizeof programs[0])

/* Runs a program that must succeed; shows its stderr when it does not. */
static void run_ok(const char *program, const char *const *args)
{
    struct proc_result r;

    tu_run(&r, program, args);
    ck_assert_msg(r.status == 0, "%s exited %d: %s", program, r.status, r.err);
    tu_result_release(&r);
}

/* Reads a CSV the programs wrote; fails the test when it cannot. */
static void read_csv(const char *path, struct csv_table *t)
{
    ck_assert_msg(csv_read_file(path, t) == 0, "cannot read %s", path);
    ck_assert_uint_ge(t->nrows, 1);
}

static double field_double(const struct csv_table *t, size_t row, const char *column)
{
    int col = csv_column(t, column);

    ck_assert_msg(col >= 0, "no column %s", column);
    return strtod(csv_field(t, row, col), NULL);
}

/* Runs parlab-threads once with 12 jobs and returns its runs and jobs tables; the
 * caller removes the returned directory. */
static char *threads_run(const char *lock, const char *size, const char *workers,
                         struct csv_table *runs, struct csv_table *jobs)
{
    char *dir = tu_tmpdir(), *runs_path = tu_path(dir, "runs.csv");
    char *jobs_path = tu_path(dir, "jobs.csv");
    const char *args[] = {"-n", size, "-j", "12", "-w", workers, "-r", "1", "-l", lock, "-q",
                          "--runs-csv", runs_path, "--jobs-csv", jobs_path, NULL};

    run_ok("parlab-threads", args);
    read_csv(runs_path, runs);
    read_csv(jobs_path, jobs);
    ck_assert_uint_eq(runs->nrows, 1 + 1);
    ck_assert_uint_eq(jobs->nrows, 1 + 12);
    free(runs_path);
    free(jobs_path);
    return dir;
}

static bool overlap(const struct csv_table *t, size_t a, size_t b)
{
    return field_double(t, a, "t_start_s") < field_double(t, b, "t_end_s") &&
           field_double(t, b, "t_start_s") < field_double(t, a, "t_end_s");
}

/* The jobs of one run: each worker number is below `workers` and stands for exactly one
 * thread or process (column `id`: tid or pid), and each job's CPU time is positive and
 * no longer than its interval. */
static void check_workers_and_cpu(const struct csv_table *t, long workers, const char *id)
{
    int worker = csv_column(t, "worker"), ident = csv_column(t, id);

    for (size_t a = 1; a < t->nrows; a++) {
        long w = strtol(csv_field(t, a, worker), NULL, 10);
        double cpu = field_double(t, a, "cpu_s");
        double span = field_double(t, a, "t_end_s") - field_double(t, a, "t_start_s");

        ck_assert_int_ge(w, 0);
        ck_assert_int_lt(w, workers);
        ck_assert_msg(cpu > 0 && cpu <= span + 1e-3, "job %zu: cpu %.6f s in %.6f s", a - 1,
                      cpu, span);
        for (size_t b = a + 1; b < t->nrows; b++) {
            bool same_worker = strcmp(csv_field(t, a, worker), csv_field(t, b, worker)) == 0;
            bool same_id = strcmp(csv_field(t, a, ident), csv_field(t, b, ident)) == 0;

            ck_assert_msg(same_worker == same_id, "jobs %zu and %zu: workers %s/%s, %s %s/%s",
                          a - 1, b - 1, csv_field(t, a, worker), csv_field(t, b, worker), id,
                          csv_field(t, a, ident), csv_field(t, b, ident));
        }
    }
}

START_TEST(threads_with_the_lock_held_never_overlap)
{
    struct csv_table runs, jobs;
    char *dir = threads_run("held", "70", "3", &runs, &jobs);
    double waited = 0.0;

    for (size_t a = 1; a < jobs.nrows; a++) {
        for (size_t b = a + 1; b < jobs.nrows; b++)
            ck_assert_msg(!overlap(&jobs, a, b), "jobs %s and %s ran at the same time",
                          csv_field(&jobs, a, 1), csv_field(&jobs, b, 1));
        waited += field_double(&jobs, a, "lock_wait_s");
    }
    ck_assert_double_gt(waited, 0.0); /* with 3 threads, someone waited for the lock */
    check_workers_and_cpu(&jobs, 3, "tid");
    csv_table_release(&runs);
    csv_table_release(&jobs);
    tu_rmrf(dir);
}
END_TEST

START_TEST(threads_with_the_lock_released_overlap)
{
    /* Overlap shows the jobs ran at once.  That they also ran in parallel (CPU time
     * about twice the wall time) depends on what else the machine runs, so it is a
     * benchmark figure (README), not a test. */
    struct csv_table runs, jobs;
    char *dir = threads_run("none", "90", "2", &runs, &jobs);
    int pairs = 0;

    for (size_t a = 1; a < jobs.nrows; a++) {
        for (size_t b = a + 1; b < jobs.nrows; b++)
            pairs += overlap(&jobs, a, b);
        ck_assert_double_eq(field_double(&jobs, a, "lock_wait_s"), 0.0);
    }
    ck_assert_msg(pairs > 0, "no two of 12 jobs on 2 threads ran at the same time");
    check_workers_and_cpu(&jobs, 2, "tid");
    csv_table_release(&runs);
    csv_table_release(&jobs);
    tu_rmrf(dir);
}
END_TEST

START_TEST(procs_run_jobs_in_children_and_the_parent_stays_idle)
{
    char *dir = tu_tmpdir(), *runs_path = tu_path(dir, "runs.csv");
    char *jobs_path = tu_path(dir, "jobs.csv"), parent[32];
    const char *args[] = {"-n", "140", "-j", "12", "-w", "3", "-r", "1", "-l", "held", "-q",
                          "--runs-csv", runs_path, "--jobs-csv", jobs_path, NULL};
    struct csv_table runs, jobs;
    struct proc_result r;
    int pid_col;

    tu_run(&r, "parlab-procs", args);
    ck_assert_msg(r.status == 0, "parlab-procs exited %d: %s", r.status, r.err);
    snprintf(parent, sizeof parent, "%ld", (long)r.pid);
    read_csv(runs_path, &runs);
    read_csv(jobs_path, &jobs);
    ck_assert_uint_eq(runs.nrows, 2);
    ck_assert_uint_eq(jobs.nrows, 13);
    pid_col = csv_column(&jobs, "pid");
    for (size_t k = 1; k < jobs.nrows; k++)
        ck_assert_str_ne(csv_field(&jobs, k, pid_col), parent);
    check_workers_and_cpu(&jobs, 3, "pid");

    double self = field_double(&runs, 1, "cpu_self_s");
    double children = field_double(&runs, 1, "cpu_children_s");
    ck_assert_msg(children > 0 && self < children / 10,
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

        run_ok(programs[p], args);
        read_csv(path, &jobs);
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

START_TEST(bad_numbers_exit_2_with_one_line_and_touch_no_file)
{
    static const struct {
        const char *opt, *name, *bad[6];
    } cases[] = {
        {"-j", "--jobs", {"-1", "0", "12abc", "", "99999999999999999999", NULL}},
        {"--workers", "--workers", {"-1", "0", "3x", "", "18446744073709551617", NULL}},
        {"-n", "--size", {"-1", "145057", "1e3", "", "99999999999999999999", NULL}},
        {"--job-seconds", "--job-seconds", {"-1", "0", "0.5s", "", "1e999", NULL}},
        {"-r", "--reps", {"-1", "0", "two", "", "99999999999999999999", NULL}},
    };
    char *dir = tu_tmpdir(), *existing = tu_path(dir, "runs.csv");
    char *fresh = tu_path(dir, "jobs.csv");
    struct stat st;

    tu_write_file(existing, RUNS_CSV_HEADER "\n");
    for (size_t p = 0; p < NPROGRAMS; p++)
        for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
            for (const char *const *bad = cases[c].bad; *bad != NULL; bad++) {
                const char *args[] = {cases[c].opt, *bad, "--runs-csv", existing,
                                      "--jobs-csv", fresh, NULL};
                struct proc_result r;
                char *text;

                tu_run(&r, programs[p], args);
                ck_assert_msg(r.status == 2, "%s %s '%s' exited %d", programs[p], cases[c].opt,
                              *bad, r.status);
                ck_assert_msg(tu_count_lines(r.err) == 1 && strstr(r.err, cases[c].name),
                              "%s %s '%s' said: %s", programs[p], cases[c].opt, *bad, r.err);
                ck_assert_str_eq(r.out, "");
                ck_assert_msg(stat(fresh, &st) != 0, "%s created %s", programs[p], fresh);
                text = tu_read_file(existing);
                ck_assert_str_eq(text, RUNS_CSV_HEADER "\n");
                free(text);
                tu_result_release(&r);
            }
    free(existing);
    free(fresh);
    tu_rmrf(dir);
}
END_TEST

START_TEST(serial_refuses_a_second_worker)
{
    const char *args[] = {"-w", "2", NULL};
    struct proc_result r;

    tu_run(&r, "parlab-serial", args);
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "exactly 1 worker"));
    tu_result_release(&r);
}
END_TEST

static size_t count_fields(const char *header)
{
    size_t n = 1;

    for (; *header; header++)
        n += *header == ',';
    return n;
}

START_TEST(csv_columns_are_the_documented_ones_in_order)
{
    /* Plots, labs and outside scripts read these: new columns go at the end only. */
    static const char runs[] = "run_id,program,workers,jobs,size,lock,pin,rep,wall_s,"
                               "cpu_self_s,cpu_children_s,jobs_ok,host,pus,started_at";
    static const char jobs[] = "run_id,job,worker,pid,tid,pu_start,pu_end,t_start_s,t_end_s,"
                               "cpu_s,lock_wait_s,result,ok";

    ck_assert_int_eq(strncmp(RUNS_CSV_HEADER, runs, strlen(runs)), 0);
    ck_assert_int_eq(strncmp(JOBS_CSV_HEADER, jobs, strlen(jobs)), 0);
    ck_assert_str_eq(&RUNS_CSV_HEADER[strlen(runs)],
                     ",omp_binding,switch_ms,payload_bytes,transport,memcpy_gbs,worker_kind");
    ck_assert_str_eq(&JOBS_CSV_HEADER[strlen(jobs)], ",pu_planned,bound,switches,copy_s,bytes_copied");
}
END_TEST

START_TEST(csv_files_have_one_header_and_run_ids_that_join)
{
    for (size_t p = 0; p < NPROGRAMS; p++) {
        char *dir = tu_tmpdir(), *runs_path = tu_path(dir, "runs.csv");
        char *jobs_path = tu_path(dir, "jobs.csv"), *text;
        const char *args[] = {"-n", "20", "-j", "5", "-w", "1", "-r", "2", "-q",
                              "--runs-csv", runs_path, "--jobs-csv", jobs_path, NULL};
        struct csv_table runs, jobs;

        run_ok(programs[p], args); /* twice into the same files */
        run_ok(programs[p], args);

        text = tu_read_file(runs_path);
        ck_assert_msg(strncmp(text, RUNS_CSV_HEADER "\n", strlen(RUNS_CSV_HEADER) + 1) == 0,
                      "runs.csv starts: %.80s", text);
        ck_assert_ptr_null(strstr(text + 1, "\nrun_id,")); /* the header once */
        free(text);
        text = tu_read_file(jobs_path);
        ck_assert_ptr_null(strstr(text + 1, "\nrun_id,"));
        free(text);

        read_csv(runs_path, &runs);
        read_csv(jobs_path, &jobs);
        ck_assert_str_eq(csv_field(&jobs, 0, 0), "run_id");
        ck_assert_uint_eq(runs.nrows, 1 + 2 * 2);
        ck_assert_uint_eq(jobs.nrows, 1 + 2 * 2 * 5);
        for (size_t k = 0; k < runs.nrows; k++)
            ck_assert_uint_eq(runs.rows[k].nfields, count_fields(RUNS_CSV_HEADER));
        for (size_t k = 0; k < jobs.nrows; k++)
            ck_assert_uint_eq(jobs.rows[k].nfields, count_fields(JOBS_CSV_HEADER));

        for (size_t r = 1; r < runs.nrows; r++) { /* each run has its 5 jobs, no more */
            const char *id = csv_field(&runs, r, 0);
            int count = 0;

            for (size_t q = r + 1; q < runs.nrows; q++)
                ck_assert_str_ne(id, csv_field(&runs, q, 0));
            for (size_t k = 1; k < jobs.nrows; k++)
                count += strcmp(csv_field(&jobs, k, 0), id) == 0;
            ck_assert_int_eq(count, 5);
            ck_assert_str_eq(csv_field(&runs, r, csv_column(&runs, "program")), programs[p]);
            ck_assert_str_eq(csv_field(&runs, r, csv_column(&runs, "jobs_ok")), "5");
        }
        for (size_t k = 1; k < jobs.nrows; k++) { /* and every job belongs to a run */
            bool found = false;

            for (size_t r = 1; r < runs.nrows && !found; r++)
                found = strcmp(csv_field(&jobs, k, 0), csv_field(&runs, r, 0)) == 0;
            ck_assert_msg(found, "job row %zu has run_id %s, which no run has", k,
                          csv_field(&jobs, k, 0));
        }
        csv_table_release(&runs);
        csv_table_release(&jobs);
        free(runs_path);
        free(jobs_path);
        tu_rmrf(dir);
    }
}
END_TEST

START_TEST(a_csv_in_a_missing_directory_fails_before_running)
{
    char *dir = tu_tmpdir(), *path = tu_path(dir, "missing/runs.csv");
    const char *args[] = {"-n", "20", "--runs-csv", path, NULL};
    struct proc_result r;

    for (size_t p = 0; p < NPROGRAMS; p++) {
        tu_run(&r, programs[p], args);
        ck_assert_int_eq(r.status, 1);
        ck_assert_uint_eq(tu_count_lines(r.err), 1);
        ck_assert_msg(strstr(r.err, path) && strstr(r.err, "No such file or directory"),
                      "said: %s", r.err);
        ck_assert_ptr_null(strstr(r.out, "rep 1")); /* nothing ran */
        tu_result_release(&r);
    }
    free(path);
    tu_rmrf(dir);
}
END_TEST

START_TEST(help_and_version_exit_0_on_stdout)
{
    for (size_t p = 0; p < NPROGRAMS; p++) {
        const char *help[] = {"--help", NULL}, *version[] = {"-V", NULL};
        struct proc_result r;

        tu_run(&r, programs[p], help);
        ck_assert_int_eq(r.status, 0);
        ck_assert_ptr_nonnull(strstr(r.out, "Usage:"));
        ck_assert_ptr_nonnull(strstr(r.out, "--lock"));
        ck_assert_str_eq(r.err, "");
        tu_result_release(&r);
        tu_run(&r, programs[p], version);
        ck_assert_int_eq(r.status, 0);
        ck_assert_ptr_nonnull(strstr(r.out, "(parlab)"));
        tu_result_release(&r);
    }
}
END_TEST

START_TEST(a_run_prints_its_configuration_then_its_results)
{
    const char *args[] = {"-t", "0.002", "-j", "4", "-w", "2", "-r", "2", NULL};
    struct proc_result r;
    const char *config, *rep, *summary;

    tu_run(&r, "parlab-procs", args);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    config = strstr(r.out, "repeat with -n ");
    rep = strstr(r.out, "rep 2/2: wall time ");
    summary = strstr(r.out, "median of 2: wall time ");
    ck_assert_msg(config && rep && summary && config < rep && rep < summary, "printed:\n%s",
                  r.out);
    ck_assert_ptr_nonnull(strstr(r.out, "4/4 jobs match the closed form"));
    ck_assert_ptr_nonnull(strstr(r.out, "+ children "));
    tu_result_release(&r);
}
END_TEST

START_TEST(summary_prints_the_speedup_over_serial)
{
    char *dir = tu_tmpdir(), *runs_path = tu_path(dir, "runs.csv");
    const char *serial[] = {"-n", "60", "-j", "6", "-r", "1", "-q", "--runs-csv", runs_path, NULL};
    const char *threads[] = {"-n", "60", "-j", "6", "-w", "2", "-r", "1",
                             "--runs-csv", runs_path, NULL};
    const char *table[] = {"--runs-csv", runs_path, NULL};
    struct proc_result r;

    run_ok("parlab-serial", serial);
    tu_run(&r, "parlab-threads", threads);
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "speedup over serial: "));
    tu_result_release(&r);

    tu_run(&r, "parlab-summary", table);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    ck_assert_uint_eq(tu_count_lines(r.out), 3); /* header, serial, threads */
    ck_assert_ptr_nonnull(strstr(r.out, "serial lock=none"));
    ck_assert_ptr_nonnull(strstr(r.out, "threads lock=none"));
    ck_assert_ptr_nonnull(strstr(r.out, " 1.00\n")); /* serial against itself */
    tu_result_release(&r);

    tu_write_file(runs_path, "not,a\nruns,file\n");
    tu_run(&r, "parlab-summary", table);
    ck_assert_int_eq(r.status, 1);
    ck_assert_ptr_nonnull(strstr(r.err, "not a parlab runs CSV"));
    tu_result_release(&r);
    free(runs_path);
    tu_rmrf(dir);
}
END_TEST

START_TEST(the_printed_speedup_is_serial_time_over_this_time)
{
    /* A serial run of 1000 s on this host, written by hand: any real run beats it. */
    char *dir = tu_tmpdir(), *runs = tu_path(dir, "runs.csv"), host[256], row[512];
    const char *args[] = {"-n", "30", "-j", "2", "-w", "2", "-r", "1", "--runs-csv", runs, NULL};
    struct proc_result r;
    const char *line;

    ck_assert_int_eq(gethostname(host, sizeof host), 0);
    snprintf(row, sizeof row,
             RUNS_CSV_HEADER "\nx,parlab-serial,1,2,30,none,none,1,1000.0,1000.0,0,2,%s,2,t\n",
             host);
    tu_write_file(runs, row);
    tu_run(&r, "parlab-threads", args);
    ck_assert_int_eq(r.status, 0);
    line = strstr(r.out, "speedup over serial: ");
    ck_assert_ptr_nonnull(line);
    ck_assert_double_gt(strtod(line + strlen("speedup over serial: "), NULL), 100.0);
    ck_assert_ptr_nonnull(strstr(line, "1000.00 s"));
    tu_result_release(&r);
    free(runs);
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
    ck_assert_msg(strstr(r.err, "OpenMP gave 2 threads instead of 3"), "said: %s", r.err);
    tu_result_release(&r);
}
END_TEST

static Suite *programs_suite(void)
{
    Suite *s = suite_create("programs");
    TCase *tc = tcase_create("end to end");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, threads_with_the_lock_held_never_overlap);
    if (getenv("PARLAB_UNDER_VALGRIND") != NULL)
        fprintf(stderr, "programs: skipping threads_with_the_lock_released_overlap: valgrind "
                        "runs one thread at a time\n");
    else if (tu_usable_cpus() >= 2)
        tcase_add_test(tc, threads_with_the_lock_released_overlap);
    else
        fprintf(stderr, "programs: skipping threads_with_the_lock_released_overlap: "
                        "this process may use only 1 PU, so threads cannot run at once\n");
    tcase_add_test(tc, procs_run_jobs_in_children_and_the_parent_stays_idle);
    tcase_add_test(tc, the_three_programs_give_identical_results);
    tcase_add_test(tc, bad_numbers_exit_2_with_one_line_and_touch_no_file);
    tcase_add_test(tc, serial_refuses_a_second_worker);
    tcase_add_test(tc, csv_columns_are_the_documented_ones_in_order);
    tcase_add_test(tc, csv_files_have_one_header_and_run_ids_that_join);
    tcase_add_test(tc, a_csv_in_a_missing_directory_fails_before_running);
    tcase_add_test(tc, help_and_version_exit_0_on_stdout);
    tcase_add_test(tc, a_run_prints_its_configuration_then_its_results);
    tcase_add_test(tc, summary_prints_the_speedup_over_serial);
    tcase_add_test(tc, the_printed_speedup_is_serial_time_over_this_time);
    tcase_add_test(tc, threads_refuse_a_smaller_team_than_asked);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(programs_suite());
}
