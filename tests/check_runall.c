/*
 * check_runall.c - make run-all's results directory: written whole into a new
 * directory beside results/, which replaces results/ only when every case, the
 * figures and the report succeeded; at a tiny scale (src/run-all.sh's variables).
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

/* Runs src/run-all.sh at a tiny scale into dir/results, with the programs in `bin`
 * (NULL: $PARLAB_BIN); returns its exit status. */
static int run_all(const char *dir, const char *fault, const char *bin, struct proc_result *r)
{
    char results[512], fault_var[64], bin_var[512];
    /* One small payload: the point is the directory's life, not the data, and the
     * valgrind pass runs this too (256 MiB payloads under valgrind take minutes). */
    const char *env[] = {results, "JOBS=2", "REPS=1", "JOB_SECONDS=0.001", "WORKERS=2",
                         "MAX_WORKERS=2", "PAYLOADS=1K", fault_var, bin ? bin_var : NULL, NULL};
    const char *argv[] = {"sh", "src/run-all.sh", NULL};

    snprintf(results, sizeof results, "RESULTS=%s/results", dir);
    snprintf(fault_var, sizeof fault_var, "PARLAB_FAULT=%s", fault ? fault : "");
    snprintf(bin_var, sizeof bin_var, "PARLAB_BIN=%s", bin ? bin : "");
    tu_run_cmd(r, env, argv);
    return r->status;
}

/* Entries of dir whose names start with prefix. */
static int count_entries(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    ck_assert_ptr_nonnull(d);
    while ((e = readdir(d)) != NULL)
        n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
    closedir(d);
    return n;
}

START_TEST(a_failed_case_leaves_the_old_results_in_place)
{
    char *dir = tu_tmpdir(), *results = tu_path(dir, "results");
    char *marker = tu_path(results, "runs.csv"), *text;
    struct proc_result r;

    ck_assert_int_eq(mkdir(results, 0755), 0);
    tu_write_file(marker, "the previous results\n");
    ck_assert_int_eq(run_all(dir, "exit:1", NULL, &r), 1); /* job 1 of the first case exits 3 */
    ck_assert_msg(strstr(r.err, "case 'serial' failed") && strstr(r.err, "is unchanged"),
                  "said: %s", r.err);
    text = tu_read_file(marker);
    ck_assert_str_eq(text, "the previous results\n");
    ck_assert_int_eq(count_entries(results, ""), 3); /* ., .. and runs.csv */
    ck_assert_int_eq(count_entries(dir, ".results."), 0); /* the new one is gone */
    free(text);
    tu_result_release(&r);
    free(marker);
    free(results);
    tu_rmrf(dir);
}
END_TEST

START_TEST(a_complete_run_replaces_the_results)
{
    static const char *const made[] = {"runs.csv", "jobs.csv", "REPORT.md", "run-all.log",
                                       "speedup.png", "timeline.svg", "README.md"};
    char *dir = tu_tmpdir(), *results = tu_path(dir, "results");
    char *old = tu_path(results, "old.txt"), *readme = tu_path(results, "README.md");
    struct proc_result r;
    struct stat st;

    ck_assert_int_eq(mkdir(results, 0755), 0);
    tu_write_file(old, "from an earlier run\n");
    tu_write_file(readme, "kept\n");
    ck_assert_msg(run_all(dir, NULL, NULL, &r) == 0, "run-all exited %d: %s", r.status, r.err);
    ck_assert_ptr_nonnull(strstr(r.err, "[1/"));
    ck_assert_ptr_nonnull(strstr(r.err, "] threads lock=held W=2 ... "));
    ck_assert_int_eq(stat(old, &st), -1); /* the whole directory was replaced */
    for (size_t i = 0; i < sizeof made / sizeof made[0]; i++) {
        char *path = tu_path(results, made[i]);
        ck_assert_msg(stat(path, &st) == 0 && st.st_size > 0, "no %s", made[i]);
        free(path);
    }
    ck_assert_int_eq(count_entries(dir, ".results."), 0);
    tu_result_release(&r);
    free(old);
    free(readme);
    free(results);
    tu_rmrf(dir);
}
END_TEST

START_TEST(a_later_failed_case_also_leaves_the_old_results)
{
    static const char *const real[] = {"parlab-serial", "parlab-threads", "parlab-topo",
                                       "parlab-summary", "parlab-report"};
    char *dir = tu_tmpdir(), *bin = tu_path(dir, "bin"), *results = tu_path(dir, "results");
    char *marker = tu_path(results, "runs.csv"), *procs = tu_path(bin, "parlab-procs"), *text;
    const char *from = getenv("PARLAB_BIN") ? getenv("PARLAB_BIN") : "bin";
    char *failed = tu_path(dir, "results.failed.log");
    struct proc_result r;
    struct stat st;

    ck_assert_int_eq(mkdir(bin, 0755), 0);
    ck_assert_int_eq(mkdir(results, 0755), 0);
    for (size_t i = 0; i < sizeof real / sizeof real[0]; i++) {
        char *link = tu_path(bin, real[i]), *target = tu_path(from, real[i]);
        char *absolute = realpath(target, NULL);

        ck_assert_ptr_nonnull(absolute);
        ck_assert_int_eq(symlink(absolute, link), 0);
        free(absolute);
        free(target);
        free(link);
    }
    tu_write_file(procs, "#!/bin/sh\necho 'parlab-procs: worker 1 was killed' >&2\nexit 1\n");
    ck_assert_int_eq(chmod(procs, 0755), 0);
    tu_write_file(marker, "the previous results\n");

    ck_assert_int_eq(run_all(dir, NULL, bin, &r), 1); /* serial and threads succeed first */
    ck_assert_msg(strstr(r.err, "[3/") && strstr(r.err, "case 'procs lock=held W=2' failed") &&
                      strstr(r.err, "worker 1 was killed"),
                  "said: %s", r.err);
    text = tu_read_file(marker);
    ck_assert_str_eq(text, "the previous results\n");
    ck_assert_int_eq(count_entries(dir, ".results."), 0);
    ck_assert_int_eq(stat(failed, &st), 0); /* what the programs printed is kept */
    free(text);
    tu_result_release(&r);
    free(failed);
    free(procs);
    free(marker);
    free(results);
    free(bin);
    tu_rmrf(dir);
}
END_TEST

static Suite *runall_suite(void)
{
    Suite *s = suite_create("runall");
    TCase *tc = tcase_create("runall");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, a_failed_case_leaves_the_old_results_in_place);
    tcase_add_test(tc, a_complete_run_replaces_the_results);
    tcase_add_test(tc, a_later_failed_case_also_leaves_the_old_results);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(runall_suite());
}
