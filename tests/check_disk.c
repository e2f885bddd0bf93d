/*
 * check_disk.c - the CSV files on disk: paths that cannot take the rows (a full
 * device, a missing directory, a read-only file system) fail with one line naming the
 * file and the system's reason and leave the other file as it was; a writer killed
 * halfway leaves whole rows; a torn last row is cut off; two programs appending at
 * once lose nothing.
 */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parlab/run.h"

#include "testutil.h"

static const char *const programs[] = {"parlab-serial", "parlab-threads", "parlab-procs"};
#define NPROGRAMS (sizeof programs / sizeof programs[0])

/* One program, one CSV path that cannot take the rows: exit 1, one line naming the
 * file and the reason, the other file untouched. */
static void expect_unwritable(const char *path, const char *reason)
{
    struct tu_results d;
    struct proc_result r;
    char quoted[512];

    tu_results_make(&d);
    const char *args[] = {"-n", "20", "-j", "2", "-r", "1", "-q", "--runs-csv", path,
                          "--jobs-csv", d.jobs, NULL};

    tu_run(&r, "parlab-serial", args);
    snprintf(quoted, sizeof quoted, "'%s'", path);
    ck_assert_int_eq(r.status, 1);
    ck_assert_msg(tu_count_lines(r.err) == 1 && tu_mentions(r.err, quoted, reason, NULL),
                  "%s: said %s", path, r.err);
    tu_results_expect_untouched(&d);
    tu_result_release(&r);
    tu_results_remove(&d);
}

START_TEST(a_full_device_leaves_the_other_file_as_it_was)
{
    expect_unwritable("/dev/full", strerror(ENOSPC)); /* written after jobs.csv */
}
END_TEST

START_TEST(paths_that_cannot_hold_a_file_are_refused)
{
    char *dir = tu_tmpdir(), *file = tu_path(dir, "plain"), *under = tu_path(file, "x.csv");
    char *missing = tu_path(dir, "no/such/x.csv");

    tu_write_file(file, "a regular file\n");
    expect_unwritable(under, strerror(ENOTDIR));
    expect_unwritable(dir, "directory"); /* the program's own words: open() would succeed */
    expect_unwritable(missing, strerror(ENOENT));
    free(missing);
    free(under);
    free(file);
    tu_rmrf(dir);
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
        ck_assert_msg(tu_count_lines(r.err) == 1 &&
                          tu_mentions(r.err, path, strerror(ENOENT), NULL),
                      "%s said: %s", programs[p], r.err);
        ck_assert_ptr_null(strstr(r.out, "rep 1")); /* nothing ran */
        tu_result_release(&r);
    }
    free(path);
    tu_rmrf(dir);
}
END_TEST

/* Mounts a read-only file system on a directory in a private mount namespace (as
 * root, or in a user namespace of its own where those are allowed), and runs
 * parlab-serial with its runs CSV there.  Skipped where neither works. */
START_TEST(a_read_only_file_system_is_refused)
{
    char dir[256], path[300], script[1024];
    const char *bin = getenv("PARLAB_BIN") ? getenv("PARLAB_BIN") : "bin";
    const char *as_root[] = {"sh", "-c", "exec unshare -m sh -c \"$0\"", script, NULL};
    const char *as_user[] = {"sh", "-c", "exec unshare -r -m sh -c \"$0\"", script, NULL};
    const char *const *how = as_root;
    struct proc_result r;

    tu_tmpdir_in(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/runs.csv", dir);
    snprintf(script, sizeof script, "mount -t tmpfs -o ro none '%s'", dir);
    tu_run_cmd(&r, NULL, how);
    if (r.status != 0) {
        tu_result_release(&r);
        how = as_user;
        tu_run_cmd(&r, NULL, how);
    }
    if (r.status != 0) {
        char why[200];

        snprintf(why, sizeof why, "%.*s", (int)strcspn(r.err, "\n"), r.err);
        tu_result_release(&r);
        tu_remove_tree(dir);
        tu_skip("cannot mount a read-only file system here (%s)", why);
    }
    tu_result_release(&r);
    snprintf(script, sizeof script,
             "mount -t tmpfs -o ro none '%s' && exec '%s/parlab-serial' -n 20 -j 2 -r 1 -q "
             "--runs-csv '%s'",
             dir, bin, path);
    tu_run_cmd(&r, NULL, how);
    ck_assert_int_eq(r.status, 1);
    ck_assert_msg(tu_count_lines(r.err) == 1 && tu_mentions(r.err, path, strerror(EROFS), NULL),
                  "said: %s", r.err);
    tu_result_release(&r);
    tu_remove_tree(dir);
}
END_TEST

/* Every line of a CSV file ends with a newline and has the header's fields; returns
 * the lines. */
static size_t expect_whole_rows(const char *path, const char *header)
{
    char *text = tu_read_file(path), *line, *save;
    size_t rows = 0;

    ck_assert_ptr_nonnull(text);
    ck_assert(text[0] == '\0' || text[strlen(text) - 1] == '\n');
    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        ck_assert_msg(tu_count_fields(line) == tu_count_fields(header), "a torn row in %s: %s",
                      path, line);
        rows++;
    }
    free(text);
    return rows;
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
    first = expect_whole_rows(jobs, JOBS_CSV_HEADER);
    ck_assert_uint_gt(first, 1);
    ck_assert_uint_lt(first, 1 + 3000);

    tu_run(&r, "parlab-serial", args); /* the next run appends after them */
    ck_assert_int_eq(r.status, 0);
    tu_result_release(&r);
    ck_assert_uint_eq(expect_whole_rows(jobs, JOBS_CSV_HEADER), first + 3000);
    ck_assert_uint_eq(expect_whole_rows(runs, RUNS_CSV_HEADER), 1 + 1);
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
    ck_assert_uint_eq(expect_whole_rows(runs, RUNS_CSV_HEADER), 1 + 1);
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
    ck_assert_uint_eq(expect_whole_rows(jobs, JOBS_CSV_HEADER), 1 + 2 * 2 * 3000);
    ck_assert_uint_eq(expect_whole_rows(runs, RUNS_CSV_HEADER), 1 + 2 * 2);
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

static Suite *disk_suite(void)
{
    Suite *s = suite_create("disk");
    TCase *tc = tcase_create("files");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, a_full_device_leaves_the_other_file_as_it_was);
    tcase_add_test(tc, paths_that_cannot_hold_a_file_are_refused);
    tcase_add_test(tc, a_csv_in_a_missing_directory_fails_before_running);
    tcase_add_test(tc, a_read_only_file_system_is_refused);
    tcase_add_test(tc, a_crash_while_writing_leaves_whole_rows);
    tcase_add_test(tc, a_torn_last_row_is_cut_before_new_rows);
    tcase_add_test(tc, two_programs_appending_at_once_lose_nothing);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(disk_suite());
}
