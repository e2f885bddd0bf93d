/*
 * check_disk.c - the CSV files on disk: paths that cannot take the rows (a full
 * device, a missing directory, a read-only file system) fail with one line naming the
 * file and the system's reason and leave the other file as it was; a writer killed
 * halfway leaves whole rows; a torn last row is cut off, and said, but a whole one
 * that lacks only its newline is kept; a failed append leaves both as they were; two
 * programs appending at once lose nothing.
 */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>
#include <unistd.h>

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

/* Devices, FIFOs and /dev/stdout are refused before the first job: no rollback is
 * possible there, and a FIFO without a reader would block the commit for ever (a full
 * disk during the commit is check_csv's, on /dev/full through the library). */
START_TEST(what_is_not_a_regular_file_is_refused_before_running)
{
    char *dir = tu_tmpdir(), *fifo = tu_path(dir, "fifo.csv");

    ck_assert_int_eq(mkfifo(fifo, 0600), 0);
    expect_unwritable("/dev/full", "not a regular file");
    expect_unwritable("/dev/null", "not a regular file");
    expect_unwritable(fifo, "not a regular file"); /* ends at once: nobody reads it */
    free(fifo);
    tu_rmrf(dir);
    {
        /* /dev/stdout into a pipe: refused at once, nothing read back from it */
        char script[512];
        const char *argv[] = {"sh", "-c", script, NULL};
        struct proc_result r;

        snprintf(script, sizeof script,
                 "'%s/parlab-serial' -n 20 -j 2 -r 1 -q --runs-csv /dev/stdout 2>&1 | cat",
                 getenv("PARLAB_BIN") ? getenv("PARLAB_BIN") : "bin");
        tu_run_cmd(&r, NULL, argv);
        ck_assert_msg(tu_count_lines(r.out) == 1 && strstr(r.out, "'/dev/stdout'") &&
                          strstr(r.out, "not a regular file") && !strstr(r.out, "run_id"),
                      "said: %s", r.out);
        tu_result_release(&r);
    }
}
END_TEST

/* A file-size limit (ulimit -f) during the commit: rolled back, one line, exit 1. */
START_TEST(a_file_size_limit_rolls_the_rows_back)
{
    struct tu_results d;
    struct proc_result r;
    char *runs_before, *jobs_before, script[1024];
    const char *argv[] = {"sh", "-c", script, NULL};

    tu_results_make(&d);
    /* the jobs CSV near the limit: 20 blocks of 512 bytes, less one row's room */
    {
        FILE *f = fopen(d.jobs, "w");

        ck_assert_ptr_nonnull(f);
        fprintf(f, "%s\n", JOBS_CSV_HEADER);
        while (ftell(f) < 20 * 512 - 300)
            fprintf(f, "r,0,0,1,1,0,0,0.0,0.1,0.1,0,1,1,,no,0,0,0\n");
        ck_assert_int_eq(fclose(f), 0);
    }
    runs_before = tu_read_file(d.runs);
    jobs_before = tu_read_file(d.jobs);
    snprintf(script, sizeof script,
             "ulimit -f 20 && exec '%s/parlab-serial' -n 20 -j 30 -r 1 -q --runs-csv '%s' "
             "--jobs-csv '%s'",
             getenv("PARLAB_BIN") ? getenv("PARLAB_BIN") : "bin", d.runs, d.jobs);
    tu_run_cmd(&r, NULL, argv);
    ck_assert_msg(r.status == 1 && tu_count_lines(r.err) == 1 &&
                      tu_mentions(r.err, strerror(EFBIG), NULL),
                  "exit %d: %s", r.status, r.err);
    {
        char *runs_after = tu_read_file(d.runs), *jobs_after = tu_read_file(d.jobs);

        ck_assert_str_eq(runs_after ? runs_after : "", runs_before ? runs_before : "");
        ck_assert_str_eq(jobs_after, jobs_before); /* no orphan rows, no torn one */
        free(runs_after);
        free(jobs_after);
    }
    free(runs_before);
    free(jobs_before);
    tu_result_release(&r);
    tu_results_remove(&d);
}
END_TEST


/* The last line of text (which ends in a newline), in a static buffer. */
static const char *last_line(const char *text)
{
    static char line[4096];
    size_t len = strlen(text);
    const char *start;

    while (len > 0 && text[len - 1] == '\n')
        len--;
    start = text + len;
    while (start > text && start[-1] != '\n')
        start--;
    snprintf(line, sizeof line, "%.*s", (int)(text + len - start), start);
    return line;
}

/* A program started with stdout or stderr closed: no CSV file takes descriptor 1 or 2
 * (the printed lines would land in it). */
START_TEST(closed_descriptors_never_take_a_csv_s_place)
{
    /* The programs as built, also in the valgrind pass: valgrind's wrapper opens
     * descriptors of its own, so there the program would not start with 1 closed. */
    const char *bin = getenv("PARLAB_PLAIN_BIN")  ? getenv("PARLAB_PLAIN_BIN")
                      : getenv("PARLAB_BIN") ? getenv("PARLAB_BIN")
                                             : "bin";
    struct tu_results d;
    struct proc_result r;
    char script[1024], *before, *after;
    const char *argv[] = {"sh", "-c", script, NULL};

    tu_results_make(&d);
    before = tu_read_file(d.runs);
    snprintf(script, sizeof script, "exec '%s/parlab-threads' -n 30 -j 4 -w 2 -r 1 "
             "--runs-csv '%s' >&-", bin, d.runs);
    tu_run_cmd(&r, NULL, argv); /* stdout closed: said before the first job */
    ck_assert_msg(r.status == 1 && tu_count_lines(r.err) == 1 &&
                      tu_mentions(r.err, "output", strerror(EBADF), NULL),
                  "exit %d: %s", r.status, r.err);
    after = tu_read_file(d.runs);
    ck_assert_str_eq(after, before);
    free(after);
    tu_result_release(&r);

    snprintf(script, sizeof script, "PARLAB_FAULT=bind exec '%s/parlab-serial' -n 20 -j 2 "
             "-r 1 -p close --runs-csv '%s' 2>&-", bin, d.runs);
    tu_run_cmd(&r, NULL, argv); /* stderr closed, and a warning to write to it */
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.out);
    tu_result_release(&r);
    after = tu_read_file(d.runs);
    ck_assert_uint_eq(tu_count_lines(after), tu_count_lines(before) + 1); /* one row more */
    ck_assert_int_eq(strncmp(after, before, strlen(before)), 0);
    ck_assert_ptr_null(strstr(after, "warning"));
    /* the new row has the header's fields: nothing else was written into the file */
    ck_assert_uint_eq(tu_count_fields(strrchr(after, '\n') ? last_line(after) : after),
                      tu_count_fields(RUNS_CSV_HEADER));
    free(after);
    free(before);
    tu_results_remove(&d);
}
END_TEST


/* The rows wait in a temporary file in $TMPDIR: a TMPDIR that cannot take one is
 * named before any job, and the CSV files stay as they were. */
START_TEST(the_rows_wait_in_tmpdir)
{
    /* as built, also in the valgrind pass: valgrind keeps its own files in TMPDIR */
    const char *bin = getenv("PARLAB_PLAIN_BIN")  ? getenv("PARLAB_PLAIN_BIN")
                      : getenv("PARLAB_BIN") ? getenv("PARLAB_BIN")
                                             : "bin";
    struct tu_results d;
    struct proc_result r;
    char script[1024], *tmp;
    const char *argv[] = {"sh", "-c", script, NULL};

    tu_results_make(&d);
    tmp = tu_path(d.dir, "no-such-dir");
    snprintf(script, sizeof script, "TMPDIR='%s' exec '%s/parlab-serial' -n 10 -j 2 -r 1 -q "
             "--runs-csv '%s' --jobs-csv '%s'", tmp, bin, d.runs, d.jobs);
    tu_run_cmd(&r, NULL, argv);
    ck_assert_msg(r.status == 1 && tu_count_lines(r.err) == 1 &&
                      tu_mentions(r.err, tmp, "TMPDIR", strerror(ENOENT), NULL),
                  "exit %d: %s", r.status, r.err);
    tu_results_expect_untouched(&d);
    tu_result_release(&r);
    free(tmp);
    tu_results_remove(&d);
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
    {
        /* a dangling link: the commit would refuse it after every run */
        char *link = tu_path(dir, "link.csv");

        ck_assert_int_eq(symlink("nowhere.csv", link), 0);
        expect_unwritable(link, "symbolic link to 'nowhere.csv', which does not exist");
        free(link);
    }
    free(missing);
    free(under);
    free(file);
    tu_rmrf(dir);
}
END_TEST

/* One file given to two options, by the same name or another ("./"): a usage error
 * before the first job, and the file is not created. */
START_TEST(one_file_for_two_kinds_of_rows_is_refused_before_running)
{
    char *dir = tu_tmpdir(), *path = tu_path(dir, "rows.csv"), *other = tu_path(dir, "./rows.csv");
    const char *const pairs[][2] = {
        {"--runs-csv", "--jobs-csv"}, {"--runs-csv", "--slices-csv"}, {"--jobs-csv", "--slices-csv"},
    };
    struct proc_result r;

    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        const char *args[] = {"-n", "20", "-j", "2", "-r", "1", "--lock", "held",
                              "--switch-interval", "5", pairs[i][0], path, pairs[i][1], other,
                              NULL};

        tu_run(&r, "parlab-threads", args);
        ck_assert_int_eq(r.status, 2);
        ck_assert_msg(tu_count_lines(r.err) == 1 &&
                          tu_mentions(r.err, pairs[i][0], pairs[i][1], "same file", NULL),
                      "%s and %s: said %s", pairs[i][0], pairs[i][1], r.err);
        ck_assert_ptr_null(strstr(r.out, "rep 1")); /* nothing ran */
        ck_assert_int_eq(access(path, F_OK), -1);
        tu_result_release(&r);
    }
    free(other);
    free(path);
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
    /* said: the file, and the 5 fields it found of the header's */
    ck_assert_msg(tu_count_lines(r.err) == 1 && tu_mentions(r.err, runs, "torn", NULL) &&
                      tu_has_number(r.err, 5) &&
                      tu_has_number(r.err, (double)tu_count_fields(RUNS_CSV_HEADER)),
                  "said: %s", r.err);
    tu_result_release(&r);
    ck_assert_uint_eq(expect_whole_rows(runs, RUNS_CSV_HEADER), 1 + 1);
    text = tu_read_file(runs);
    ck_assert_ptr_null(strstr(text, "\nx,parlab-serial"));
    free(text);
    free(runs);
    tu_rmrf(dir);
}
END_TEST

/* Fails unless the file at path holds `before`, saying how it ends (Check cannot send
 * a message of two whole files). */
static void expect_as_before(const char *path, const char *before)
{
    char *after = tu_read_file(path);
    size_t a = strlen(after), b = strlen(before);

    ck_assert_msg(strcmp(after, before) == 0,
                  "%s changed: %zu bytes ending \"%s\", was %zu ending \"%s\"", path, a,
                  after + (a > 40 ? a - 40 : 0), b, before + (b > 40 ? b - 40 : 0));
    free(after);
}

/* A file whose last row is whole and only lacks its newline, or that is the header
 * alone without one: kept, the newline added, the new rows after it, nothing said. */
START_TEST(a_whole_last_row_without_its_newline_is_kept)
{
    char *dir = tu_tmpdir(), *runs = tu_path(dir, "runs.csv"), *text, *before;
    const char *args[] = {"-n", "10", "-j", "2", "-r", "1", "-q", "--runs-csv", runs, NULL};
    struct proc_result r;
    size_t len;

    tu_run_ok("parlab-serial", args); /* one real row */
    before = tu_read_file(runs);
    len = strlen(before);
    ck_assert(len > 0 && before[len - 1] == '\n');
    before[len - 1] = '\0'; /* the row without its newline */
    tu_write_file(runs, before);
    tu_run(&r, "parlab-serial", args);
    ck_assert_msg(r.status == 0 && r.err[0] == '\0', "exit %d: %s", r.status, r.err);
    tu_result_release(&r);
    ck_assert_uint_eq(expect_whole_rows(runs, RUNS_CSV_HEADER), 1 + 2);
    text = tu_read_file(runs);
    ck_assert_int_eq(strncmp(text, before, len - 1), 0); /* the row is still there */
    ck_assert_int_eq(text[len - 1], '\n');
    free(text);
    free(before);

    tu_write_file(runs, RUNS_CSV_HEADER); /* the header alone: not "other columns" */
    tu_run(&r, "parlab-threads", args);
    ck_assert_msg(r.status == 0 && r.err[0] == '\0', "exit %d: %s", r.status, r.err);
    tu_result_release(&r);
    ck_assert_uint_eq(expect_whole_rows(runs, RUNS_CSV_HEADER), 1 + 1);
    free(runs);
    tu_rmrf(dir);
}
END_TEST

/* A file-size limit (ulimit -f) while a program appends to a jobs CSV with a torn last
 * row and a runs CSV whose last row lacks its newline: the runs CSV fails, after the
 * jobs CSV's torn row was cut and its rows written.  Both files come back byte for
 * byte, the torn row and the missing newline too. */
START_TEST(a_failed_append_leaves_torn_rows_and_missing_newlines_as_they_were)
{
    struct tu_results d;
    struct proc_result r;
    char *runs_before, *jobs_before, script[1024];
    const char *argv[] = {"sh", "-c", script, NULL};

    tu_results_make(&d);
    tu_write_file(d.jobs, JOBS_CSV_HEADER "\nr,0,0,1,1,0,0,0.0,0.1,0.1,0,1,1,,no,0,0,0,10,h,,,scalar\nr,1,0,1");
    {
        static const char row[] = "r,parlab-serial,1,2,10,none,none,1,0.1,0.1,0,2,h,0,2026,,,0,"
                                  "memory,,thread,0.00,0.10,,,,,,,scalar,";
        FILE *f = fopen(d.runs, "w"); /* near the limit: 20 blocks of 512 bytes */

        ck_assert_uint_eq(tu_count_fields(row), tu_count_fields(RUNS_CSV_HEADER));
        ck_assert_ptr_nonnull(f);
        fprintf(f, "%s\n", RUNS_CSV_HEADER);
        while (ftell(f) < 20 * 512 - 600)
            fprintf(f, "%s\n", row);
        fprintf(f, "%s", row); /* whole, without its newline */
        ck_assert_int_eq(fclose(f), 0);
    }
    runs_before = tu_read_file(d.runs);
    jobs_before = tu_read_file(d.jobs);
    snprintf(script, sizeof script,
             "ulimit -f 20 && exec '%s/parlab-serial' -n 10 -j 2 -r 10 -q --runs-csv '%s' "
             "--jobs-csv '%s'",
             getenv("PARLAB_BIN") ? getenv("PARLAB_BIN") : "bin", d.runs, d.jobs);
    tu_run_cmd(&r, NULL, argv);
    ck_assert_msg(r.status == 1 && tu_count_lines(r.err) == 1 &&
                      tu_mentions(r.err, d.runs, strerror(EFBIG), NULL),
                  "exit %d: %s", r.status, r.err);
    expect_as_before(d.runs, runs_before);
    expect_as_before(d.jobs, jobs_before);
    free(runs_before);
    free(jobs_before);
    tu_result_release(&r);
    tu_results_remove(&d);
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
    tcase_add_test(tc, what_is_not_a_regular_file_is_refused_before_running);
    tcase_add_test(tc, a_file_size_limit_rolls_the_rows_back);
    tcase_add_test(tc, closed_descriptors_never_take_a_csv_s_place);
    tcase_add_test(tc, the_rows_wait_in_tmpdir);
    tcase_add_test(tc, paths_that_cannot_hold_a_file_are_refused);
    tcase_add_test(tc, one_file_for_two_kinds_of_rows_is_refused_before_running);
    tcase_add_test(tc, a_csv_in_a_missing_directory_fails_before_running);
    tcase_add_test(tc, a_read_only_file_system_is_refused);
    tcase_add_test(tc, a_crash_while_writing_leaves_whole_rows);
    tcase_add_test(tc, a_torn_last_row_is_cut_before_new_rows);
    tcase_add_test(tc, a_whole_last_row_without_its_newline_is_kept);
    tcase_add_test(tc, a_failed_append_leaves_torn_rows_and_missing_newlines_as_they_were);
    tcase_add_test(tc, two_programs_appending_at_once_lose_nothing);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(disk_suite());
}
