/*
 * check_faults.c - bad input, crashed, killed and hung workers, signals and files that
 * cannot be written, each really happening: nothing hangs, nothing is lost, every error
 * is one clear line, and no process of a run is left behind.
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "parlab/clock.h"
#include "parlab/run.h"

#include "testutil.h"

#define OLD_RUNS RUNS_CSV_HEADER "\nan,earlier,row\n"
#define OLD_JOBS JOBS_CSV_HEADER "\nan,earlier,row\n"

/* A directory with runs.csv and jobs.csv holding earlier rows; the paths in *runs,
 * *jobs. */
static char *results_dir(char **runs, char **jobs)
{
    char *dir = tu_tmpdir();

    *runs = tu_path(dir, "runs.csv");
    *jobs = tu_path(dir, "jobs.csv");
    tu_write_file(*runs, OLD_RUNS);
    tu_write_file(*jobs, OLD_JOBS);
    return dir;
}

/* The earlier rows are all there is. */
static void expect_untouched(const char *runs, const char *jobs)
{
    char *text = tu_read_file(runs);

    ck_assert_str_eq(text, OLD_RUNS);
    free(text);
    text = tu_read_file(jobs);
    ck_assert_str_eq(text, OLD_JOBS);
    free(text);
}

static void release_dir(char *dir, char *runs, char *jobs)
{
    free(runs);
    free(jobs);
    tu_rmrf(dir);
}

/* Waits until `parent` has `count` children (at most 5 s) and returns them. */
static size_t wait_for_children(pid_t parent, size_t count, pid_t *children)
{
    size_t n = 0;

    for (int tries = 0; tries < 500 && n < count; tries++) {
        struct timespec pause = {0, 10000000};
        nanosleep(&pause, NULL);
        n = tu_children(parent, children, 16);
    }
    ck_assert_uint_ge(n, count);
    return n;
}

static void expect_gone(const pid_t *children, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(!tu_alive(children[i]), "worker %ld is still there", (long)children[i]);
}

START_TEST(a_crashing_worker_is_named_with_its_job)
{
    static const struct {
        const char *fault, *reason;
    } faults[] = {
        {"PARLAB_FAULT=segv:4", "killed by signal 11 (Segmentation fault) while running job 4"},
        {"PARLAB_FAULT=abort:4", "killed by signal 6 (Aborted) while running job 4"},
        {"PARLAB_FAULT=exit:4", "exited with status 3 while running job 4"},
    };
    char *runs, *jobs, *dir = results_dir(&runs, &jobs);

    for (size_t f = 0; f < sizeof faults / sizeof faults[0]; f++) {
        const char *env[] = {faults[f].fault, NULL};
        const char *args[] = {"-n", "60", "-j", "8", "-w", "3", "-r", "1", "-q",
                              "--runs-csv", runs, "--jobs-csv", jobs, NULL};
        struct proc_result r;
        pid_t left[16];

        tu_run_env(&r, env, "parlab-procs", args);
        ck_assert_int_eq(r.status, 1);
        ck_assert_msg(tu_count_lines(r.err) == 1 && strstr(r.err, faults[f].reason) &&
                          strstr(r.err, "nothing written"),
                      "%s: said %s", faults[f].fault, r.err);
        ck_assert_uint_eq(tu_children(r.pid, left, 16), 0);
        expect_untouched(runs, jobs);
        tu_result_release(&r);
    }
    release_dir(dir, runs, jobs);
}
END_TEST

START_TEST(a_worker_killed_from_outside_is_noticed_within_a_second)
{
    char *runs, *jobs, *dir = results_dir(&runs, &jobs);
    const char *args[] = {"-n", "320", "-j", "6", "-w", "2", "-r", "1", "-q",
                          "--runs-csv", runs, "--jobs-csv", jobs, NULL};
    struct proc_handle h;
    struct proc_result r;
    pid_t children[16];
    size_t n;
    double killed;

    tu_start(&h, NULL, "parlab-procs", args);
    wait_for_children(h.pid, 2, children); /* the warm-up's, with jobs of 0.05 s */
    usleep(300000);
    n = wait_for_children(h.pid, 2, children); /* the run's, in a first job of about 0.8 s */
    ck_assert_int_eq(kill(children[1], SIGKILL), 0);
    killed = clock_wall();
    tu_finish(&h, &r);
    ck_assert_msg(clock_wall() - killed < 1.0, "the parent took %.2f s to notice",
                  clock_wall() - killed);
    ck_assert_int_eq(r.status, 1);
    ck_assert_msg(tu_count_lines(r.err) == 1 && strstr(r.err, "killed by signal 9") &&
                      strstr(r.err, "while running job") && strstr(r.err, "stopped"),
                  "said: %s", r.err);
    expect_gone(children, n);
    expect_untouched(runs, jobs);
    tu_result_release(&r);
    release_dir(dir, runs, jobs);
}
END_TEST

/* SIGINT (Ctrl-C) and SIGTERM to the parent of a running parlab-procs. */
START_TEST(a_signal_stops_the_workers_and_writes_nothing)
{
    static const int signals[] = {SIGINT, SIGTERM};
    const int sig = signals[_i];
    char *runs, *jobs, *dir = results_dir(&runs, &jobs);
    const char *args[] = {"-n", "320", "-j", "6", "-w", "2", "-r", "2", "-q",
                          "--runs-csv", runs, "--jobs-csv", jobs, NULL};
    struct proc_handle h;
    struct proc_result r;
    pid_t children[16];
    size_t n;

    tu_start(&h, NULL, "parlab-procs", args);
    n = wait_for_children(h.pid, 2, children);
    ck_assert_int_eq(kill(h.pid, sig), 0);
    tu_finish(&h, &r);
    ck_assert_int_eq(r.status, 128 + sig); /* 130, 143: what the shell shows */
    ck_assert_msg(strstr(r.err, "interrupted") && strstr(r.err, "nothing written"), "said: %s",
                  r.err);
    expect_gone(children, n);
    expect_untouched(runs, jobs);
    tu_result_release(&r);
    release_dir(dir, runs, jobs);
}
END_TEST

START_TEST(ctrl_c_ends_a_threads_run_and_writes_nothing)
{
    char *runs, *jobs, *dir = results_dir(&runs, &jobs);
    const char *args[] = {"-n", "320", "-j", "6", "-w", "2", "-r", "2", "-q",
                          "--runs-csv", runs, "--jobs-csv", jobs, NULL};
    struct proc_handle h;
    struct proc_result r;

    tu_start(&h, NULL, "parlab-threads", args);
    usleep(300000); /* it is calibrating or running */
    ck_assert_int_eq(kill(h.pid, SIGINT), 0);
    tu_finish(&h, &r);
    ck_assert_int_eq(r.status, 130);
    expect_untouched(runs, jobs);
    tu_result_release(&r);
    release_dir(dir, runs, jobs);
}
END_TEST

START_TEST(a_hung_worker_is_stopped_at_the_timeout)
{
    const char *env[] = {"PARLAB_FAULT=hang:1", NULL};
    const char *args[] = {"-n", "40", "-j", "4", "-w", "2", "-r", "1", "-q", "--timeout", "1",
                          NULL};
    struct proc_result r;
    pid_t left[16];
    double t0 = clock_wall(), took;

    tu_run_env(&r, env, "parlab-procs", args);
    took = clock_wall() - t0;
    ck_assert_int_eq(r.status, 1);
    ck_assert_msg(strstr(r.err, "timed out after 1 s") && strstr(r.err, "jobs still running: 1"),
                  "said: %s", r.err);
    ck_assert_msg(took >= 1.0 && took < 4.0, "took %.2f s", took);
    ck_assert_uint_eq(tu_children(r.pid, left, 16), 0);
    tu_result_release(&r);
}
END_TEST

START_TEST(a_threads_run_past_its_timeout_ends)
{
    char *runs, *jobs, *dir = results_dir(&runs, &jobs);
    const char *args[] = {"-n", "400", "-j", "6", "-w", "2", "-r", "1", "-q", "--timeout",
                          "0.5", "--runs-csv", runs, "--jobs-csv", jobs, NULL};
    struct proc_result r;

    tu_run(&r, "parlab-threads", args);
    ck_assert_int_eq(r.status, 1);
    ck_assert_msg(strstr(r.err, "timed out after 0.5 s") && strstr(r.err, "nothing"), "said: %s",
                  r.err);
    expect_untouched(runs, jobs);
    tu_result_release(&r);
    release_dir(dir, runs, jobs);
}
END_TEST

START_TEST(a_crashing_job_takes_a_threads_program_down)
{
    char *runs, *jobs, *dir = results_dir(&runs, &jobs);
    const char *env[] = {"PARLAB_FAULT=segv:2", NULL};
    const char *args[] = {"-n", "40", "-j", "4", "-w", "2", "-r", "1", "-q",
                          "--runs-csv", runs, "--jobs-csv", jobs, NULL};
    struct proc_result r;

    tu_run_env(&r, env, "parlab-threads", args);
    ck_assert_int_eq(r.status, 128 + SIGSEGV); /* the whole process: the lesson */
    expect_untouched(runs, jobs);
    tu_result_release(&r);
    release_dir(dir, runs, jobs);
}
END_TEST

/* One program, one CSV path that cannot take the rows: exit 1, one line naming the
 * file and the reason, the other file untouched. */
static void expect_unwritable(const char *path, const char *reason)
{
    char *runs, *jobs, *dir = results_dir(&runs, &jobs);
    const char *args[] = {"-n", "20", "-j", "2", "-r", "1", "-q", "--runs-csv", path,
                          "--jobs-csv", jobs, NULL};
    struct proc_result r;
    char quoted[512];

    tu_run(&r, "parlab-serial", args);
    snprintf(quoted, sizeof quoted, "'%s'", path);
    ck_assert_int_eq(r.status, 1);
    ck_assert_msg(tu_count_lines(r.err) == 1 && strstr(r.err, quoted) && strstr(r.err, reason),
                  "%s: said %s", path, r.err);
    expect_untouched(runs, jobs);
    tu_result_release(&r);
    release_dir(dir, runs, jobs);
}

START_TEST(a_full_device_leaves_the_other_file_as_it_was)
{
    expect_unwritable("/dev/full", "No space left on device"); /* written after jobs.csv */
}
END_TEST

START_TEST(paths_that_cannot_hold_a_file_are_refused)
{
    char *dir = tu_tmpdir(), *file = tu_path(dir, "plain"), *under = tu_path(file, "x.csv");
    char *missing = tu_path(dir, "no/such/x.csv");

    tu_write_file(file, "a regular file\n");
    expect_unwritable(under, "Not a directory");
    expect_unwritable(dir, "is a directory");
    expect_unwritable(missing, "No such file or directory");
    free(missing);
    free(under);
    free(file);
    tu_rmrf(dir);
}
END_TEST

START_TEST(a_read_only_file_system_is_refused)
{
    char *dir = tu_tmpdir(), *path = tu_path(dir, "runs.csv"), script[1024];
    const char *bin = getenv("PARLAB_BIN") ? getenv("PARLAB_BIN") : "bin";
    const char *probe[] = {"unshare", "-m", "sh", "-c", script, NULL};
    struct proc_result r;

    snprintf(script, sizeof script, "mount -t tmpfs -o ro none '%s'", dir);
    tu_run_cmd(&r, NULL, probe);
    if (r.status != 0) { /* no mount namespace here: nothing to test with */
        fprintf(stderr, "faults: skipping a_read_only_file_system_is_refused: cannot mount a "
                        "read-only file system here (%s)\n",
                r.err);
        tu_result_release(&r);
        free(path);
        tu_rmrf(dir);
        return;
    }
    tu_result_release(&r);
    snprintf(script, sizeof script,
             "mount -t tmpfs -o ro none '%s' && exec '%s/parlab-serial' -n 20 -j 2 -r 1 -q "
             "--runs-csv '%s'",
             dir, bin, path);
    tu_run_cmd(&r, NULL, probe);
    ck_assert_int_eq(r.status, 1);
    ck_assert_msg(tu_count_lines(r.err) == 1 && strstr(r.err, "Read-only file system") &&
                      strstr(r.err, path),
                  "said: %s", r.err);
    tu_result_release(&r);
    free(path);
    tu_rmrf(dir);
}
END_TEST

/* Every line of a CSV file ends with a newline and has the header's fields. */
static size_t expect_whole_rows(const char *path, size_t fields)
{
    char *text = tu_read_file(path), *line, *save;
    size_t rows = 0;

    ck_assert_ptr_nonnull(text);
    ck_assert(text[0] == '\0' || text[strlen(text) - 1] == '\n');
    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        size_t commas = 0;
        for (const char *p = line; *p; p++)
            commas += *p == ',';
        ck_assert_msg(commas + 1 == fields, "a torn row in %s: %s", path, line);
        rows++;
    }
    free(text);
    return rows;
}

static size_t fields_of(const char *header)
{
    size_t n = 1;

    for (; *header; header++)
        n += *header == ',';
    return n;
}

START_TEST(a_crash_while_writing_leaves_whole_rows)
{
    char *dir = tu_tmpdir(), *runs = tu_path(dir, "runs.csv"), *jobs = tu_path(dir, "jobs.csv");
    const char *env[] = {"PARLAB_FAULT=crash-in-commit", NULL};
    const char *args[] = {"-n", "0", "-j", "3000", "-r", "1", "-q", "--runs-csv", runs,
                          "--jobs-csv", jobs, NULL};
    struct proc_result r;
    size_t first;

    tu_run_env(&r, env, "parlab-serial", args); /* killed after its first write */
    ck_assert_int_eq(r.status, 128 + SIGKILL);
    tu_result_release(&r);
    first = expect_whole_rows(jobs, fields_of(JOBS_CSV_HEADER));
    ck_assert_uint_gt(first, 1);
    ck_assert_uint_lt(first, 1 + 3000);

    tu_run(&r, "parlab-serial", args); /* the next run appends after them */
    ck_assert_int_eq(r.status, 0);
    tu_result_release(&r);
    ck_assert_uint_eq(expect_whole_rows(jobs, fields_of(JOBS_CSV_HEADER)), first + 3000);
    ck_assert_uint_eq(expect_whole_rows(runs, fields_of(RUNS_CSV_HEADER)), 1 + 1);
    free(runs);
    free(jobs);
    tu_rmrf(dir);
}
END_TEST

START_TEST(a_torn_last_row_is_cut_before_new_rows)
{
    char *dir = tu_tmpdir(), *runs = tu_path(dir, "runs.csv");
    const char *args[] = {"-n", "10", "-j", "2", "-r", "1", "-q", "--runs-csv", runs, NULL};
    struct proc_result r;
    char *text;

    tu_write_file(runs, RUNS_CSV_HEADER "\nx,parlab-serial,1,2,1"); /* a writer died here */
    tu_run(&r, "parlab-serial", args);
    ck_assert_int_eq(r.status, 0);
    tu_result_release(&r);
    ck_assert_uint_eq(expect_whole_rows(runs, fields_of(RUNS_CSV_HEADER)), 1 + 1);
    text = tu_read_file(runs);
    ck_assert_ptr_null(strstr(text, "\nx,parlab-serial"));
    free(text);
    free(runs);
    tu_rmrf(dir);
}
END_TEST

START_TEST(two_programs_appending_at_once_lose_nothing)
{
    char *dir = tu_tmpdir(), *runs = tu_path(dir, "runs.csv"), *jobs = tu_path(dir, "jobs.csv");
    const char *args[] = {"-n", "0", "-j", "3000", "-r", "2", "-q", "--runs-csv", runs,
                          "--jobs-csv", jobs, NULL};
    struct proc_handle a, b;
    struct proc_result ra, rb;
    char *text;

    tu_start(&a, NULL, "parlab-serial", args);
    tu_start(&b, NULL, "parlab-procs", args);
    tu_finish(&a, &ra);
    tu_finish(&b, &rb);
    ck_assert_msg(ra.status == 0 && rb.status == 0, "%s / %s", ra.err, rb.err);
    ck_assert_uint_eq(expect_whole_rows(jobs, fields_of(JOBS_CSV_HEADER)), 1 + 2 * 2 * 3000);
    ck_assert_uint_eq(expect_whole_rows(runs, fields_of(RUNS_CSV_HEADER)), 1 + 2 * 2);
    text = tu_read_file(jobs);
    ck_assert_ptr_null(strstr(text + 1, "\nrun_id,")); /* one header */
    free(text);
    tu_result_release(&ra);
    tu_result_release(&rb);
    free(runs);
    free(jobs);
    tu_rmrf(dir);
}
END_TEST

START_TEST(a_run_of_over_an_hour_needs_yes)
{
    const char *refused[] = {"-n", "3000", "-q", NULL};
    const char *allowed[] = {"-n", "3000", "-q", "--yes", "--timeout", "0.3", NULL};
    struct proc_result r;

    tu_run(&r, "parlab-serial", refused);
    ck_assert_int_eq(r.status, 2);
    ck_assert_msg(tu_count_lines(r.err) == 1 && strstr(r.err, "hours") && strstr(r.err, "--yes"),
                  "said: %s", r.err);
    ck_assert_str_eq(r.out, "");
    tu_result_release(&r);
    tu_run(&r, "parlab-serial", allowed); /* it starts, and the timeout ends it */
    ck_assert_int_eq(r.status, 1);
    ck_assert_ptr_nonnull(strstr(r.err, "timed out"));
    tu_result_release(&r);
}
END_TEST

/* ---- bad command lines ---------------------------------------------------------- */

struct bad_line {
    const char *program;
    const char *args[6];
    const char *names; /* what the one line must contain */
};

static const struct bad_line bad_lines[] = {
    {"parlab-serial", {"--frobnicate"}, "'--frobnicate'"},
    {"parlab-threads", {"-x"}, "'-x'"},
    {"parlab-procs", {"--job", "3"}, "'--job'"}, /* ambiguous: jobs, job-seconds, jobs-csv */
    {"parlab-serial", {"-j"}, "--jobs needs a value"},
    {"parlab-threads", {"--runs-csv"}, "--runs-csv needs a value"},
    {"parlab-procs", {"--timeout"}, "--timeout needs a value"},
    {"parlab-serial", {"extra"}, "'extra'"},
    {"parlab-threads", {"-j", "4", "stray", "words"}, "'stray'"},
    {"parlab-procs", {"-j", "3", "-j", "4"}, "--jobs given twice"},
    {"parlab-serial", {"-l", "held", "--lock", "none"}, "--lock given twice"},
    {"parlab-threads", {"-n", "10", "-t", "0.1"}, "exclude each other"},
    {"parlab-procs", {"--runs-csv", "a.csv", "--jobs-csv", "a.csv"}, "same file"},
    {"parlab-serial", {"-w", "2"}, "--workers"},
    {"parlab-threads", {"-w", "1025"}, "--workers"},
    {"parlab-procs", {"-w", "0"}, "--workers"},
    {"parlab-procs", {"-w", "2.5"}, "--workers"},
    {"parlab-serial", {"-j", "1000001"}, "--jobs"},
    {"parlab-threads", {"-j", "0x10"}, "--jobs"},
    {"parlab-procs", {"--jobs", "1e3"}, "--jobs"},
    {"parlab-serial", {"-r", "1001"}, "--reps"},
    {"parlab-threads", {"-r", " 3"}, "--reps"},
    {"parlab-procs", {"--reps", "3 "}, "--reps"},
    {"parlab-serial", {"-n", "145057"}, "--size"},
    {"parlab-threads", {"-n", "18446744073709551616"}, "--size"},
    {"parlab-procs", {"--size", "+5"}, "--size"},
    {"parlab-serial", {"-t", "3600.5"}, "--job-seconds"},
    {"parlab-threads", {"-t", "nan"}, "--job-seconds"},
    {"parlab-procs", {"--job-seconds", "-0.1"}, "--job-seconds"},
    {"parlab-serial", {"-t", "1e-400"}, "--job-seconds"},
    {"parlab-threads", {"--timeout", "0"}, "--timeout"},
    {"parlab-procs", {"--timeout", "-1"}, "--timeout"},
    {"parlab-serial", {"--timeout", "1w"}, "--timeout"},
    {"parlab-threads", {"--timeout", "604801"}, "--timeout"},
    {"parlab-procs", {"--timeout", ""}, "--timeout"},
    {"parlab-serial", {"-l", "gil"}, "--lock"},
    {"parlab-threads", {"--lock", ""}, "--lock"},
    {"parlab-procs", {"-p", "nearby"}, "--pin"},
    {"parlab-serial", {"-p", "pus:"}, "--pin"},
    {"parlab-threads", {"--pin", "pus:5-2"}, "--pin"},
    {"parlab-procs", {"--pin", "pus:1,,2"}, "--pin"},
    {"parlab-serial", {"--quiet=yes"}, "--quiet takes no value"},
    {"parlab-threads", {"--jobs-csv", ""}, "--jobs-csv"},
    {"parlab-procs", {"--runs-csv=", "-j", "2"}, "--runs-csv"},
    {"parlab-topo", {"-w", "0"}, "--workers"},
    {"parlab-topo", {"--pin", "far"}, "--pin"},
    {"parlab-summary", {"--runs-csv"}, "--runs-csv needs a value"},
    {"parlab-summary", {"results"}, "'results'"},
    {"parlab-report", {"--data", "pie"}, "--data"},
};

START_TEST(bad_command_lines_exit_2_with_one_line_and_touch_nothing)
{
    const struct bad_line *b = &bad_lines[_i];
    char *runs, *jobs, *dir = results_dir(&runs, &jobs);
    char cwd_runs[] = "a.csv";
    struct proc_result r;
    struct stat st;

    tu_run(&r, b->program, b->args);
    ck_assert_msg(r.status == 2, "%s %s: exit %d", b->program, b->args[0], r.status);
    ck_assert_msg(tu_count_lines(r.err) == 1 && strstr(r.err, b->names) &&
                      strstr(r.err, "--help'"),
                  "%s %s: said %s", b->program, b->args[0], r.err);
    ck_assert_str_eq(r.out, "");
    ck_assert_int_eq(stat(cwd_runs, &st), -1);
    expect_untouched(runs, jobs);
    tu_result_release(&r);
    release_dir(dir, runs, jobs);
}
END_TEST

static Suite *faults_suite(void)
{
    Suite *s = suite_create("faults");
    TCase *workers = tcase_create("workers"), *files = tcase_create("files");
    TCase *input = tcase_create("input");

    tcase_set_timeout(workers, 60);
    tcase_add_test(workers, a_crashing_worker_is_named_with_its_job);
    tcase_add_test(workers, a_worker_killed_from_outside_is_noticed_within_a_second);
    tcase_add_loop_test(workers, a_signal_stops_the_workers_and_writes_nothing, 0, 2);
    tcase_add_test(workers, ctrl_c_ends_a_threads_run_and_writes_nothing);
    tcase_add_test(workers, a_hung_worker_is_stopped_at_the_timeout);
    tcase_add_test(workers, a_threads_run_past_its_timeout_ends);
    tcase_add_test(workers, a_crashing_job_takes_a_threads_program_down);
    tcase_add_test(workers, a_run_of_over_an_hour_needs_yes);
    suite_add_tcase(s, workers);

    tcase_set_timeout(files, 60);
    tcase_add_test(files, a_full_device_leaves_the_other_file_as_it_was);
    tcase_add_test(files, paths_that_cannot_hold_a_file_are_refused);
    tcase_add_test(files, a_read_only_file_system_is_refused);
    tcase_add_test(files, a_crash_while_writing_leaves_whole_rows);
    tcase_add_test(files, a_torn_last_row_is_cut_before_new_rows);
    tcase_add_test(files, two_programs_appending_at_once_lose_nothing);
    suite_add_tcase(s, files);

    tcase_add_loop_test(input, bad_command_lines_exit_2_with_one_line_and_touch_nothing, 0,
                        (int)(sizeof bad_lines / sizeof bad_lines[0]));
    suite_add_tcase(s, input);
    return s;
}

int main(void)
{
    return tu_run_suite(faults_suite());
}
