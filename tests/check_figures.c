/*
 * check_figures.c - the figures, the report and make run-all's results directory, on
 * the fixture in tests/fixtures/small (whose times are round numbers: see its README).
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"

#define FIXTURE "tests/fixtures/small"
#define TITLE "vm, 2 PUs, n = 80, 2026-11-25" /* host, PUs, size and date of the fixture */

static const struct {
    const char *name;
    unsigned width, height;
} figures[] = {
    {"wall-vs-cpu", 900, 560},
    {"speedup", 900, 560},
    {"timeline", 1000, 820},
    {"placement", 1000, 640},
};
#define NFIGURES (sizeof figures / sizeof figures[0])

/* A fresh directory holding the fixture's two CSV files. */
static char *fixture_copy(void)
{
    char *dir = tu_tmpdir();
    static const char *const names[] = {"runs.csv", "jobs.csv"};

    for (size_t i = 0; i < 2; i++) {
        char *from = tu_path(FIXTURE, names[i]), *to = tu_path(dir, names[i]);
        char *text = tu_read_file(from);

        ck_assert_msg(text != NULL, "cannot read %s", from);
        tu_write_file(to, text);
        free(text);
        free(from);
        free(to);
    }
    return dir;
}

static unsigned big_endian32(const unsigned char *p)
{
    return (unsigned)p[0] << 24 | (unsigned)p[1] << 16 | (unsigned)p[2] << 8 | p[3];
}

START_TEST(every_figure_is_drawn_as_png_and_svg_without_a_warning)
{
    char *dir = fixture_copy();
    const char *argv[] = {"sh", "plots/draw.sh", dir, NULL};
    struct proc_result r;

    tu_run_cmd(&r, NULL, argv);
    ck_assert_msg(r.status == 0, "draw.sh exited %d: %s", r.status, r.err);
    ck_assert_msg(tu_count_lines(r.err) == 1 && strncmp(r.err, "plots: ", 7) == 0,
                  "gnuplot said more than draw.sh's own line: %s", r.err);
    for (size_t f = 0; f < NFIGURES; f++) {
        char name[64], size[64], *path, *text;
        FILE *png;
        unsigned char head[24];

        snprintf(name, sizeof name, "%s.png", figures[f].name);
        path = tu_path(dir, name);
        png = fopen(path, "rb");
        ck_assert_msg(png != NULL, "no %s", name);
        ck_assert_uint_eq(fread(head, 1, sizeof head, png), sizeof head);
        fclose(png);
        ck_assert_int_eq(memcmp(head, "\211PNG\r\n\032\n", 8), 0);
        ck_assert_int_eq(memcmp(head + 12, "IHDR", 4), 0);
        ck_assert_uint_eq(big_endian32(head + 16), figures[f].width);
        ck_assert_uint_eq(big_endian32(head + 20), figures[f].height);
        free(path);

        snprintf(name, sizeof name, "%s.svg", figures[f].name);
        path = tu_path(dir, name);
        text = tu_read_file(path);
        ck_assert_msg(text != NULL, "no %s", name);
        snprintf(size, sizeof size, "width=\"%u\" height=\"%u\"", figures[f].width,
                 figures[f].height);
        ck_assert_msg(strstr(text, "<svg") && strstr(text, size), "%s lacks %s", name, size);
        ck_assert_msg(strstr(text, TITLE) != NULL, "%s does not name the machine", name);
        free(text);
        free(path);
    }
    tu_result_release(&r);
    tu_rmrf(dir);
}
END_TEST

START_TEST(drawing_without_csv_files_says_so)
{
    char *dir = tu_tmpdir();
    const char *argv[] = {"sh", "plots/draw.sh", dir, NULL};
    struct proc_result r;

    tu_run_cmd(&r, NULL, argv);
    ck_assert_int_eq(r.status, 1);
    ck_assert_msg(strstr(r.err, "runs.csv") && strstr(r.err, "make run-all"), "said: %s", r.err);
    tu_result_release(&r);
    tu_rmrf(dir);
}
END_TEST

/* parlab-report on the fixture with the given option and value. */
static void report(struct proc_result *r, const char *option, const char *value)
{
    const char *args[] = {"--runs", FIXTURE "/runs.csv", "--jobs", FIXTURE "/jobs.csv",
                          option, value, NULL};

    if (value == NULL)
        args[5] = NULL;
    tu_run(r, "parlab-report", args);
    ck_assert_msg(r->status == 0, "parlab-report %s exited %d: %s", option, r->status, r->err);
}

START_TEST(the_report_states_the_fixtures_numbers)
{
    /* Serial takes 2.0 s; threads with the lock released 1.0 s, held 2.0 s; procs with
     * 3 workers 1.25 s, 0.001 s of it their parent's own CPU time. */
    static const char *const expected[] = {
        "| serial | 1 | 2.000 (1.900–2.100) | 2.000 | 0.000 | 1.00 |",
        "| threads, lock none | 3 | 1.000 (0.900–1.100) | 2.000 | 0.000 | 2.00 |",
        "| procs, lock held | 3 | 1.250 (1.150–1.350) | 0.001 | 2.000 | 1.60 |",
        "- **threads, lock none**: 3 workers give a speedup of 2.00; CPU time is 2.00 times "
        "the wall time: 2 jobs ran at once.",
        "- **threads, lock held**: 3 workers give a speedup of 1.00; the lock lets one job "
        "run at a time.",
        "- **procs, lock held**: 3 workers give a speedup of 1.60, and the parent's own CPU "
        "time is 0.001 s of 2.00 s",
        "| 3 | 2.00 (1.82–2.22) | 1.00 (0.95–1.05) | 1.60 (1.48–1.74) |",
        "- **threads, lock held**: the speedup is 1.00 for every W",
        "- **threads, lock none**: the speedup reaches 2.00 at W = 2; at W = 4 it is 2.00",
        "- **threads, lock held**: no two of the 4 jobs ran at the same time",
        "- **close**: 8 of 8 jobs started and ended on the PU planned for their worker.",
        "![Speedup against workers](speedup.png)",
        "Machine **vm**, 2 usable PUs; kernel `wait_loop(n = 80)`, 4 jobs per run",
    };
    struct proc_result r;

    report(&r, "--markdown", NULL);
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++)
        ck_assert_msg(strstr(r.out, expected[i]) != NULL, "the report lacks: %s", expected[i]);
    tu_result_release(&r);
}
END_TEST

START_TEST(the_figures_data_follow_from_the_csv_files)
{
    struct proc_result r;

    report(&r, "--data", "speedup");
    /* procs, 3 workers: 2.0 / 1.25, 2.0 / 1.35, 2.0 / 1.15 */
    ck_assert_ptr_nonnull(strstr(r.out, "\n3 1.600000 1.481481 1.739130\n"));
    ck_assert_ptr_nonnull(strstr(r.out, "\n4 1.000000 0.952381 1.052632\n"));
    tu_result_release(&r);

    report(&r, "--data", "wall-vs-cpu");
    ck_assert_ptr_nonnull(strstr(r.out, "\"procs, lock held\" 1.250000 0.001000 2.000000\n"));
    tu_result_release(&r);

    report(&r, "--data", "timeline"); /* three blocks of 4 jobs */
    ck_assert_uint_eq(tu_count_lines(r.out), 3 * (1 + 4 + 2));
    tu_result_release(&r);

    report(&r, "--data", "placement"); /* six blocks of 4 jobs */
    ck_assert_uint_eq(tu_count_lines(r.out), 6 * (1 + 4 + 2));
    tu_result_release(&r);

    report(&r, "--value", "title");
    ck_assert_str_eq(r.out, TITLE "\n");
    tu_result_release(&r);
}
END_TEST

START_TEST(the_report_refuses_bad_requests)
{
    static const char *const bad[][3] = {
        {"--data", "pie", NULL}, {"--value", "colour", NULL}, {"--markdown", "--data", "speedup"},
        {"-w", "0", NULL},       {"--runs", "", NULL},        {NULL, NULL, NULL}};

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *args[] = {bad[i][0], bad[i][1], bad[i][2], NULL};
        struct proc_result r;

        tu_run(&r, "parlab-report", args);
        ck_assert_msg(r.status == 2 && tu_count_lines(r.err) == 1, "case %zu: exit %d, said %s",
                      i, r.status, r.err);
        tu_result_release(&r);
    }
}
END_TEST

/* Runs src/run-all.sh at a tiny scale into dir/results; returns its exit status. */
static int run_all(const char *dir, const char *fault, struct proc_result *r)
{
    char results[512], fault_var[64];
    const char *env[] = {results, "JOBS=2", "REPS=1", "JOB_SECONDS=0.001", "WORKERS=2",
                         fault_var, NULL};
    const char *argv[] = {"sh", "src/run-all.sh", NULL};

    snprintf(results, sizeof results, "RESULTS=%s/results", dir);
    snprintf(fault_var, sizeof fault_var, "PARLAB_FAULT=%s", fault ? fault : "");
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
    ck_assert_int_eq(run_all(dir, "exit:1", &r), 1); /* job 1 of the first case exits 3 */
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
    ck_assert_msg(run_all(dir, NULL, &r) == 0, "run-all exited %d: %s", r.status, r.err);
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

static Suite *figures_suite(void)
{
    Suite *s = suite_create("figures");
    TCase *tc = tcase_create("figures");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, every_figure_is_drawn_as_png_and_svg_without_a_warning);
    tcase_add_test(tc, drawing_without_csv_files_says_so);
    tcase_add_test(tc, the_report_states_the_fixtures_numbers);
    tcase_add_test(tc, the_figures_data_follow_from_the_csv_files);
    tcase_add_test(tc, the_report_refuses_bad_requests);
    tcase_add_test(tc, a_failed_case_leaves_the_old_results_in_place);
    tcase_add_test(tc, a_complete_run_replaces_the_results);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(figures_suite());
}
