/*
 * check_output.c - what the programs in bin/ write and print: the documented CSV
 * columns, one header and run ids that join, the configuration before the results,
 * and speedups that are the serial time over this time, as parlab-threads prints them
 * and as parlab-summary tabulates them, checked against the numbers in the CSV.
 */
#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "parlab/csv.h"
#include "parlab/kernel.h"
#include "parlab/run.h"

#include "fixture.h"
#include "testutil.h"

static const char *const programs[] = {"parlab-serial", "parlab-threads", "parlab-procs"};
#define NPROGRAMS (sizeof programs / sizeof programs[0])

/* A speedup printed with two decimals, against the one computed from the CSV. */
#define PRINTED_TOLERANCE 0.0051

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
                     ",omp_binding,switch_ms,payload_bytes,transport,memcpy_gbs,worker_kind,"
                     "other_cpu_s,load_1m,on_battery,cores,sizes,schedule,label,ranks,kernel,isa");
    ck_assert_str_eq(&JOBS_CSV_HEADER[strlen(jobs)],
                     ",pu_planned,bound,switches,copy_s,bytes_copied,size,host,rank,thread,kernel");
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

        tu_run_ok(programs[p], args); /* twice into the same files */
        tu_run_ok(programs[p], args);

        text = tu_read_file(runs_path);
        ck_assert_msg(strncmp(text, RUNS_CSV_HEADER "\n", strlen(RUNS_CSV_HEADER) + 1) == 0,
                      "runs.csv starts: %.80s", text);
        ck_assert_ptr_null(strstr(text + 1, "\nrun_id,")); /* the header once */
        free(text);
        text = tu_read_file(jobs_path);
        ck_assert_ptr_null(strstr(text + 1, "\nrun_id,"));
        free(text);

        tu_read_csv(runs_path, &runs);
        tu_read_csv(jobs_path, &jobs);
        ck_assert_str_eq(csv_field(&jobs, 0, 0), "run_id");
        ck_assert_uint_eq(runs.nrows, 1 + 2 * 2);
        ck_assert_uint_eq(jobs.nrows, 1 + 2 * 2 * 5);
        for (size_t k = 0; k < runs.nrows; k++)
            ck_assert_uint_eq(runs.rows[k].nfields, tu_count_fields(RUNS_CSV_HEADER));
        for (size_t k = 0; k < jobs.nrows; k++)
            ck_assert_uint_eq(jobs.rows[k].nfields, tu_count_fields(JOBS_CSV_HEADER));

        for (size_t r = 1; r < runs.nrows; r++) { /* each run has its 5 jobs, no more */
            const char *id = csv_field(&runs, r, 0);
            int count = 0;

            for (size_t q = r + 1; q < runs.nrows; q++)
                ck_assert_str_ne(id, csv_field(&runs, q, 0));
            for (size_t k = 1; k < jobs.nrows; k++)
                count += strcmp(csv_field(&jobs, k, 0), id) == 0;
            ck_assert_int_eq(count, 5);
            ck_assert_str_eq(tu_field(&runs, r, "program"), programs[p]);
            ck_assert_str_eq(tu_field(&runs, r, "jobs_ok"), "5");
        }
        for (size_t k = 1; k < jobs.nrows; k++) { /* and every job belongs to a run */
            bool found = false;

            /* the host it ran on, the plan's; no MPI rank, no thread within one */
            ck_assert_str_eq(tu_field(&jobs, k, "host"), tu_field(&runs, 1, "host"));
            ck_assert_str_eq(tu_field(&jobs, k, "rank"), "");
            ck_assert_str_eq(tu_field(&jobs, k, "thread"), "");

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

START_TEST(a_run_prints_its_configuration_then_its_results)
{
    const char *args[] = {"-t", "0.002", "-j", "4", "-w", "2", "-r", "2", NULL};
    struct proc_result r;
    char line[512];
    double nums[8], n;
    const char *kernel, *rep1, *rep2, *median;

    tu_run(&r, "parlab-procs", args);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    /* the headline: the program, its jobs, the kernel's n and its workers */
    ck_assert_msg(strncmp(r.out, "parlab-procs ", 13) == 0, "printed:\n%s", r.out);
    ck_assert(tu_line(r.out, "parlab-procs", line, sizeof line));
    n = tu_number_after(line, "n =");
    ck_assert_msg(tu_has_number(line, 4) && tu_has_number(line, 2) && n > 0, "headline: %s",
                  line);
    /* the calibrated n, to repeat the run with, and the steps a job takes: C(n,4) */
    ck_assert_msg(tu_number_after(r.out, "-n") == n, "printed:\n%s", r.out);
    ck_assert(tu_line(r.out, "C(", line, sizeof line));
    ck_assert_uint_eq(tu_numbers(line, nums, 8), 3);
    ck_assert_double_eq(nums[0], n);
    ck_assert_double_eq(nums[1], 4);
    ck_assert_double_eq(nums[2], (double)kernel_steps((uint64_t)n));
    /* then each counted run, k of 2, with its 4 of 4 results checked, then the median */
    kernel = strstr(r.out, "C(");
    rep1 = strstr(r.out, "\nrep 1/2");
    rep2 = strstr(r.out, "\nrep 2/2");
    median = strstr(r.out, "\nmedian");
    ck_assert_msg(kernel && rep1 && rep2 && median && kernel < rep1 && rep1 < rep2 &&
                      rep2 < median,
                  "printed:\n%s", r.out);
    ck_assert(tu_line(rep2 + 1, "rep", line, sizeof line));
    ck_assert_msg(strstr(line, "4/4") && strstr(line, "children"), "rep 2: %s", line);
    ck_assert(tu_line(median + 1, "median", line, sizeof line));
    ck_assert_msg(tu_number_after(line, "median") == 2 && strstr(line, "children"), "%s", line);
    tu_result_release(&r);
}
END_TEST

/* The runs CSV's wall_s of the last row whose program is `program`. */
static double last_wall(const char *runs_path, const char *program)
{
    struct csv_table t;
    double wall = NAN;

    tu_read_csv(runs_path, &t);
    for (size_t k = 1; k < t.nrows; k++)
        if (strcmp(tu_field(&t, k, "program"), program) == 0)
            wall = tu_num(&t, k, "wall_s");
    csv_table_release(&t);
    ck_assert_msg(!isnan(wall), "%s has no run of %s", runs_path, program);
    return wall;
}

START_TEST(summary_prints_the_speedup_over_serial)
{
    char *dir = tu_tmpdir(), *runs_path = tu_path(dir, "runs.csv"), line[512];
    const char *serial[] = {"-n", "60", "-j", "6", "-r", "1", "-q", "--runs-csv", runs_path, NULL};
    const char *threads[] = {"-n", "60", "-j", "6", "-w", "2", "-r", "1",
                             "--runs-csv", runs_path, NULL};
    const char *table[] = {"--runs-csv", runs_path, NULL};
    struct proc_result r;
    double expected, nums[16];
    size_t n;

    tu_run_ok("parlab-serial", serial);
    tu_run(&r, "parlab-threads", threads);
    ck_assert_int_eq(r.status, 0);
    expected = last_wall(runs_path, "parlab-serial") / last_wall(runs_path, "parlab-threads");
    ck_assert(tu_line(r.out, "speedup over serial:", line, sizeof line));
    ck_assert_msg(fabs(tu_number_after(line, "speedup over serial:") - expected) <
                      PRINTED_TOLERANCE,
                  "expected %.4f: %s", expected, line);
    tu_result_release(&r);

    tu_run(&r, "parlab-summary", table);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    ck_assert_uint_eq(tu_count_lines(r.out), 3); /* header, serial, threads */
    /* each row: W, jobs, n, reps, ..., and the speedup last */
    ck_assert(tu_line(r.out, "serial lock=none", line, sizeof line));
    n = tu_numbers(line, nums, 16);
    ck_assert_msg(n >= 5 && nums[0] == 1 && nums[1] == 6 && nums[2] == 60 && nums[3] == 1 &&
                      nums[n - 1] == 1.0,
                  "serial row: %s", line);
    ck_assert(tu_line(r.out, "threads lock=none", line, sizeof line));
    n = tu_numbers(line, nums, 16);
    ck_assert_msg(n >= 5 && nums[0] == 2 && nums[1] == 6 && nums[2] == 60 && nums[3] == 1 &&
                      fabs(nums[n - 1] - expected) < PRINTED_TOLERANCE,
                  "threads row, expected speedup %.4f: %s", expected, line);
    tu_result_release(&r);

    tu_write_file(runs_path, "not,a\nruns,file\n");
    tu_run(&r, "parlab-summary", table);
    ck_assert_int_eq(r.status, 1);
    snprintf(line, sizeof line, "'%s'", runs_path);
    ck_assert_msg(tu_count_lines(r.err) == 1 && strstr(r.err, line), "said: %s", r.err);
    tu_result_release(&r);
    free(runs_path);
    tu_rmrf(dir);
}
END_TEST

START_TEST(the_printed_speedup_is_serial_time_over_this_time)
{
    /* A serial run of 1000 s on this host, written by hand: any real run beats it. */
    char *dir = tu_tmpdir(), *runs = tu_path(dir, "runs.csv"), host[256], row[1024];
    const char *args[] = {"-n", "30", "-j", "2", "-w", "2", "-r", "1", "--runs-csv", runs, NULL};
    struct proc_result r;
    char line[512];
    double expected;

    ck_assert_int_eq(gethostname(host, sizeof host), 0);
    snprintf(row, sizeof row,
             RUNS_CSV_HEADER "\nx,parlab-serial,1,2,30,none,none,1,1000.0,1000.0,0,2,%s,2,t\n",
             host);
    tu_write_file(runs, row);
    tu_run(&r, "parlab-threads", args);
    ck_assert_int_eq(r.status, 0);
    expected = 1000.0 / last_wall(runs, "parlab-threads");
    ck_assert(tu_line(r.out, "speedup over serial:", line, sizeof line));
    ck_assert_msg(fabs(tu_number_after(line, "speedup over serial:") - expected) <
                          PRINTED_TOLERANCE + 1e-6 * expected &&
                      tu_has_number(line, 1000),
                  "expected %.2f, with the serial time: %s", expected, line);
    tu_result_release(&r);
    free(runs);
    tu_rmrf(dir);
}
END_TEST

/* Real runs of another size than the serial runs (as -t makes them, choosing n for
 * each program on its own): no speedup, but a line that says why, names the nearest n
 * and the command that measures the serial run it needs; that command, run, gives the
 * speedup. */
START_TEST(without_a_serial_run_of_its_size_the_speedup_line_says_so)
{
    char *dir = tu_tmpdir(), *runs = tu_path(dir, "runs.csv"), line[1024], want[1024];
    const char *serial[] = {"-n", "20", "-j", "2", "-r", "1", "-q", "--runs-csv", runs, NULL};
    const char *asked[] = {"-n", "21", "-j", "2", "-r", "1", "-q", "--runs-csv", runs, NULL};
    const char *threads[] = {"-n", "21", "-j", "2", "-w", "2", "-r", "1", "-q",
                             "--runs-csv", runs, NULL};
    struct proc_result r;
    char *run, *exe;

    tu_run(&r, "parlab-threads", threads); /* no serial run at all */
    ck_assert_int_eq(r.status, 0);
    ck_assert(tu_line(r.out, "speedup over serial", line, sizeof line));
    snprintf(want, sizeof want,
             "speedup over serial: none: no serial run in '%s' on this host; run ", runs);
    ck_assert_msg(strncmp(line, want, strlen(want)) == 0, "said: %s", line);
    tu_result_release(&r);

    tu_run_ok("parlab-serial", serial); /* n = 20 */
    tu_run(&r, "parlab-threads", threads);
    ck_assert_int_eq(r.status, 0);
    ck_assert(tu_line(r.out, "speedup over serial", line, sizeof line));
    snprintf(want, sizeof want,
             "speedup over serial: none: no serial run with n = 21 in '%s' on this host "
             "(nearest n = 20); run ",
             runs);
    ck_assert_msg(strncmp(line, want, strlen(want)) == 0, "said: %s", line);
    run = line + strlen(want); /* "DIR/parlab-serial -n 21 -j 2 --runs-csv FILE" */
    snprintf(want, sizeof want, "parlab-serial -n 21 -j 2 --runs-csv %s", runs);
    ck_assert_msg(strlen(run) >= strlen(want) &&
                      strcmp(run + strlen(run) - strlen(want), want) == 0,
                  "said: %s", line);
    exe = strndup(run, strlen(run) - strlen(want) + strlen("parlab-serial"));
    ck_assert_msg(access(exe, X_OK) == 0, "cannot run '%s' (%s)", exe, line);
    free(exe);
    tu_result_release(&r);

    tu_run_ok("parlab-serial", asked); /* what the line said to run */
    tu_run(&r, "parlab-threads", threads);
    ck_assert_int_eq(r.status, 0);
    ck_assert(tu_line(r.out, "speedup over serial", line, sizeof line));
    ck_assert_msg(!isnan(tu_number_after(line, "speedup over serial:")) && !strstr(line, "none"),
                  "said: %s", line);
    tu_result_release(&r);
    free(runs);
    tu_rmrf(dir);
}
END_TEST

/* Runs bin/<program> with args, its stdout a pipe whose reader has already gone;
 * returns its exit status as the shell shows it (128 + a signal). */
static int run_into_a_closed_pipe(const char *program, const char *const *args)
{
    char *exe = tu_path(getenv("PARLAB_BIN") ? getenv("PARLAB_BIN") : "bin", program);
    const char *argv[32];
    size_t n = 0;
    int fds[2], status;
    pid_t pid;

    argv[n++] = exe;
    while (*args != NULL && n < 31)
        argv[n++] = *args++;
    argv[n] = NULL;
    ck_assert_int_eq(pipe(fds), 0);
    close(fds[0]); /* nobody reads it */
    fflush(NULL);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);

        signal(SIGPIPE, SIG_DFL); /* as a shell starts a pipeline's writer */
        dup2(fds[1], STDOUT_FILENO);
        dup2(null, STDERR_FILENO);
        execv(exe, (char *const *)argv);
        _exit(127);
    }
    close(fds[1]);
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    free(exe);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* `parlab-threads ... --runs-csv p.csv | head -2`: the reader going away costs no
 * measurement.  Every row is written and the program exits 0; without a CSV there is
 * nothing left to run for, and it ends by SIGPIPE as a pipeline's writer does. */
START_TEST(a_reader_that_goes_away_costs_no_rows)
{
    char *dir = tu_tmpdir(), *runs = tu_path(dir, "runs.csv"), *jobs = tu_path(dir, "jobs.csv");
    struct csv_table t;

    for (size_t p = 0; p < NPROGRAMS; p++) {
        bool serial = strcmp(programs[p], "parlab-serial") == 0;
        /* serial takes no -w: its arguments start after it */
        const char *args[] = {"-w", "2", "-n", "30", "-j", "4", "-r", "3",
                              "--runs-csv", runs, "--jobs-csv", jobs, NULL};
        const char *const *given = serial ? args + 2 : args;

        unlink(runs);
        unlink(jobs);
        ck_assert_int_eq(run_into_a_closed_pipe(programs[p], given), 0);
        tu_read_csv(runs, &t);
        ck_assert_msg(t.nrows - 1 == 3, "%s: %zu rows in runs.csv", programs[p], t.nrows - 1);
        csv_table_release(&t);
        tu_read_csv(jobs, &t);
        ck_assert_uint_eq(t.nrows - 1, 12);
        csv_table_release(&t);
        args[8] = NULL; /* no CSV */
        ck_assert_int_eq(run_into_a_closed_pipe(programs[p], given), 128 + SIGPIPE);
    }
    free(jobs);
    free(runs);
    tu_rmrf(dir);
}
END_TEST

/* A speedup whose serial run was measured on a busy machine, or whose jobs took far
 * more CPU time than the serial run's (slowed PUs), is said to be no clean
 * measurement, under the speedup line. */
START_TEST(an_unclean_speedup_is_said_to_be_so)
{
    char *dir = tu_tmpdir(), *runs = tu_path(dir, "runs.csv"), line[512];
    const char *serial[] = {"-n", "60", "-j", "4", "-r", "3", "-q", "--runs-csv", runs, NULL};
    const char *threads[] = {"-n", "60", "-j", "4", "-w", "2", "-r", "1", "--runs-csv", runs, NULL};
    struct proc_result r;

    tu_run_ok("parlab-serial", serial);
    /* the serial runs as a busy machine records them */
    fixture_set(dir, &(struct fixture_rows){.program = "parlab-serial"}, "other_cpu_s", "9.00", 0);
    tu_run(&r, "parlab-threads", threads);
    ck_assert_int_eq(r.status, 0);
    ck_assert_msg(tu_line(r.out, "speedup: not a clean measurement:", line, sizeof line) &&
                      strstr(line, "during the serial run it divides by"),
                  "said: %s", r.out);
    tu_result_release(&r);

    /* serial jobs that took a third of the CPU time these take: slowed PUs */
    fixture_set(dir, &(struct fixture_rows){.program = "parlab-serial"}, "other_cpu_s", "0.00", 0);
    fixture_set(dir, &(struct fixture_rows){.program = "parlab-serial"}, "cpu_self_s", NULL,
                1.0 / 3);
    tu_run(&r, "parlab-threads", threads);
    ck_assert_int_eq(r.status, 0);
    ck_assert_msg(tu_line(r.out, "speedup: not a clean measurement:", line, sizeof line) &&
                      strstr(line, "the PUs computed slower"),
                  "said: %s", r.out);
    tu_result_release(&r);
    free(runs);
    tu_rmrf(dir);
}
END_TEST

static Suite *output_suite(void)
{
    Suite *s = suite_create("output");
    TCase *tc = tcase_create("output");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, csv_columns_are_the_documented_ones_in_order);
    tcase_add_test(tc, csv_files_have_one_header_and_run_ids_that_join);
    tcase_add_test(tc, a_run_prints_its_configuration_then_its_results);
    tcase_add_test(tc, summary_prints_the_speedup_over_serial);
    tcase_add_test(tc, the_printed_speedup_is_serial_time_over_this_time);
    tcase_add_test(tc, without_a_serial_run_of_its_size_the_speedup_line_says_so);
    tcase_add_test(tc, a_reader_that_goes_away_costs_no_rows);
    tcase_add_test(tc, an_unclean_speedup_is_said_to_be_so);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(output_suite());
}
