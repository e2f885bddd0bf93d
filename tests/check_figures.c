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
#include <unistd.h>

#include "testutil.h"

#define FIXTURE "tests/fixtures/small"
#define TITLE "vm, 2 PUs, n = 80, 2026-11-25" /* host, PUs, size and date of the fixture */

static const struct {
    const char *name;
    unsigned width, height;
} figures[] = {
    {"wall-vs-cpu", 900, 560},
    {"speedup", 900, 560},
    {"timeline", 1000, 1060},
    {"amdahl", 900, 600},
    {"copy-cost", 900, 600},
    {"placement", 1000, 660},
};
#define NFIGURES (sizeof figures / sizeof figures[0])

/* A fresh directory holding a copy of the fixture directory `from`: its runs.csv,
 * jobs.csv and, when it has one, slices.csv. */
static char *copy_of(const char *from)
{
    static const char *const names[] = {"runs.csv", "jobs.csv", "slices.csv"};
    char *dir = tu_tmpdir();

    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char *src = tu_path(from, names[i]), *dst = tu_path(dir, names[i]);
        char *text = tu_read_file(src);

        ck_assert_msg(text != NULL || i == 2, "cannot read %s", src);
        if (text != NULL)
            tu_write_file(dst, text);
        free(text);
        free(src);
        free(dst);
    }
    return dir;
}

/* The small fixture (the notebook's experiments), and the one with every experiment. */
static char *fixture_copy(void)
{
    return copy_of(FIXTURE);
}

static char *lessons_copy(void)
{
    return copy_of("tests/fixtures/lessons");
}

static unsigned big_endian32(const unsigned char *p)
{
    return (unsigned)p[0] << 24 | (unsigned)p[1] << 16 | (unsigned)p[2] << 8 | p[3];
}

/* stderr holds draw.sh's own lines ("plots: ..."), and nothing from gnuplot. */
static void expect_only_draw_lines(const char *err)
{
    for (const char *line = err; *line; line = strchr(line, '\n') + 1) {
        ck_assert_msg(strncmp(line, "plots: ", 7) == 0, "gnuplot said: %s", line);
        if (strchr(line, '\n') == NULL)
            break;
    }
}

START_TEST(every_figure_is_drawn_as_png_and_svg_without_a_warning)
{
    char *dir = _i == 0 ? fixture_copy() : lessons_copy();
    const char *argv[] = {"sh", "plots/draw.sh", dir, NULL};
    struct proc_result r;

    tu_run_cmd(&r, NULL, argv);
    ck_assert_msg(r.status == 0, "draw.sh exited %d: %s", r.status, r.err);
    expect_only_draw_lines(r.err);
    for (size_t f = 0; f < NFIGURES; f++) {
        char name[64], size[64], *path, *text;

        if (_i == 0 && strcmp(figures[f].name, "copy-cost") == 0)
            continue; /* the older fixture has no payloads: its copy-cost is skipped */
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
        ck_assert_msg(strstr(text, _i == 0 ? TITLE : "vm, 2 PUs, n = ") != NULL,
                      "%s does not name the machine", name);
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
        "the wall time: the jobs ran in parallel on the 2 PUs.",
        "- **threads, lock held**: 3 workers give a speedup of 1.00; the lock lets one job "
        "run at a time.",
        "- **procs, lock held**: 3 workers give a speedup of 1.60, and the parent's own CPU "
        "time is 0.001 s of 2.00 s",
        "| 3 | 2.00 (1.82–2.22) | 1.00 (0.95–1.05) | 1.60 (1.48–1.74) |",
        "- **threads, lock held**: the speedup is 1.00 for every W",
        "- **threads, lock none**: the speedup grows to 2.00 at W = 2; more workers than the "
        "2 PUs add nothing (2.00 at W = 4).",
        "- **threads, lock held**: the 4 jobs ran one at a time",
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

    report(&r, "--data", "timeline"); /* three blocks of 4 jobs, no switching run */
    ck_assert_uint_eq(tu_count_lines(r.out), 3 * (1 + 4 + 2) + (1 + 2));
    tu_result_release(&r);

    report(&r, "--data", "placement"); /* six blocks of 4 jobs */
    ck_assert_uint_eq(tu_count_lines(r.out), 6 * (1 + 4 + 2));
    tu_result_release(&r);

    report(&r, "--value", "title");
    ck_assert_str_eq(r.out, TITLE "\n");
    tu_result_release(&r);
}
END_TEST

/* Each serial fraction's speedup divides by the serial run of jobs of the same size:
 * run-all runs the lessons on shorter jobs than the notebook's cases. */
START_TEST(a_speedup_divides_by_the_serial_run_of_its_own_size)
{
    static const char *const rows[] = {
        "a,parlab-serial,1,4,80,none,none,1,2.0,2.0,0.0,4,vm,2,2026-11-25T16:53:12.209Z,,,0,memory,\n",
        "b,parlab-serial,1,4,60,none,none,1,1.0,1.0,0.0,4,vm,2,2026-11-25T16:53:13.209Z,,,0,memory,\n",
        "c,parlab-threads,2,4,60,fraction:0.5,none,1,0.8,1.0,0.0,4,vm,2,"
        "2026-11-25T16:53:14.209Z,,,0,memory,\n",
    };
    char *dir = lessons_copy(), *runs = tu_path(dir, "runs.csv"), *jobs = tu_path(dir, "jobs.csv");
    char *text = tu_read_file(runs), *end = strchr(text, '\n');
    const char *data[] = {"--runs", runs, "--jobs", jobs, "--data", "amdahl", NULL};
    const char *markdown[] = {"--runs", runs, "--jobs", jobs, "--markdown", NULL};
    struct proc_result r;
    FILE *f;

    ck_assert_ptr_nonnull(end);
    end[1] = '\0'; /* the header alone, then the three runs */
    f = fopen(runs, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        fputs(rows[i], f);
    ck_assert_int_eq(fclose(f), 0);

    tu_run(&r, "parlab-report", data); /* 1.0 / 0.8, not 2.0 / 0.8 */
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    ck_assert_msg(strstr(r.out, "# F = 0.5:") && strstr(r.out, "\n2 1.250000 1.250000 1.250000 1.333333\n"),
                  "said: %s", r.out);
    tu_result_release(&r);
    tu_run(&r, "parlab-report", markdown);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "| 2 | 1.25 (1.33) |"));
    ck_assert_ptr_nonnull(strstr(r.out, "the speedup is 1.25 against Amdahl's 1.33 (-6%)"));
    tu_result_release(&r);
    free(text);
    free(runs);
    free(jobs);
    tu_rmrf(dir);
}
END_TEST

/* The Amdahl and copy-cost figures, and the switching panel, name the kernel sizes of
 * their own runs: the fixture's notebook cases have n = 108, its fraction and switching
 * runs n = 85, its payload runs n = 59. */
START_TEST(each_figure_names_the_kernel_size_of_its_own_runs)
{
    static const char *const expect[][2] = {
        {"title", "vm, 2 PUs, n = 108, 2026-11-25\n"},
        {"title-amdahl", "vm, 2 PUs, n = 85 (F = 0 and 1: n = 108), 2026-11-25\n"},
        {"title-copy-cost", "vm, 2 PUs, n = 59, 2026-11-25\n"},
        {"switching-panel", "threads, lock held, handed over every 5 ms (GIL-style switching): "
                            "jobs of n = 85, 0.02 s when run serially\n"}};
    char *dir = lessons_copy(), *runs = tu_path(dir, "runs.csv"), *jobs = tu_path(dir, "jobs.csv");

    for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
        const char *args[] = {"--runs", runs, "--jobs", jobs, "--value", expect[i][0], NULL};
        struct proc_result r;

        tu_run(&r, "parlab-report", args);
        ck_assert_msg(r.status == 0, "%s: exit %d: %s", expect[i][0], r.status, r.err);
        ck_assert_str_eq(r.out, expect[i][1]);
        tu_result_release(&r);
    }
    free(runs);
    free(jobs);
    tu_rmrf(dir);
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

/* Runs src/run-all.sh at a tiny scale into dir/results, with the programs in `bin`
 * (NULL: $PARLAB_BIN); returns its exit status. */
static int run_all(const char *dir, const char *fault, const char *bin, struct proc_result *r)
{
    char results[512], fault_var[64], bin_var[512];
    const char *env[] = {results, "JOBS=2", "REPS=1", "JOB_SECONDS=0.001", "WORKERS=2",
                         "MAX_WORKERS=2", fault_var, bin ? bin_var : NULL, NULL};
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

/* A copy of the fixture with text replaced in one of its files. */
static char *fixture_edited(const char *file, const char *(*edit)(const char *line))
{
    char *dir = fixture_copy(), *path = tu_path(dir, file), *text = tu_read_file(path);
    size_t cap = strlen(text) * 2 + 1, used = 0;
    char *out = malloc(cap), *line = strtok(text, "\n");

    ck_assert_ptr_nonnull(out);
    out[0] = '\0';
    for (; line != NULL; line = strtok(NULL, "\n")) {
        const char *kept = edit(line);
        if (kept != NULL)
            used += (size_t)snprintf(out + used, cap - used, "%s\n", kept);
    }
    tu_write_file(path, out);
    free(out);
    free(text);
    free(path);
    return dir;
}

/* Jobs on PUs 2 and 3 instead of 0 and 1, as under taskset -c 2,3. */
static const char *shift_pus(const char *line)
{
    static char out[2048];
    size_t used = 0;
    int column = 0;

    if (strncmp(line, "run_id,", 7) == 0)
        return line;
    for (const char *p = line;; column++) { /* pu_start, pu_end, pu_planned: 5, 6, 13 */
        size_t len = strcspn(p, ",");

        if ((column == 5 || column == 6 || column == 13) && len > 0)
            used += (size_t)snprintf(out + used, sizeof out - used, "%s%ld", column ? "," : "",
                                     strtol(p, NULL, 10) + 2);
        else
            used += (size_t)snprintf(out + used, sizeof out - used, "%s%.*s",
                                     column ? "," : "", (int)len, p);
        p += len;
        if (*p++ == '\0')
            break;
    }
    return out;
}

START_TEST(figures_show_pus_whatever_their_numbers)
{
    char *dir = fixture_edited("jobs.csv", shift_pus), *data;
    const char *argv[] = {"sh", "plots/draw.sh", dir, NULL};
    struct proc_result r;

    tu_run_cmd(&r, NULL, argv);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    expect_only_draw_lines(r.err);
    tu_result_release(&r);
    data = tu_path(dir, "placement.svg");
    char *svg = tu_read_file(data);
    int dots = 0; /* pt 7, a filled dot per job and panel, is gnuplot's gpPt6 in SVG */
    for (const char *p = svg; (p = strstr(p, "#gpPt6'")) != NULL; p++)
        dots++;
    ck_assert_msg(dots >= 6 * 4, "placement.svg draws %d of the 24 jobs: PUs 2 and 3 are "
                                 "out of view", dots);
    free(svg);
    free(data);
    tu_rmrf(dir);
}
END_TEST

static const char *serial_only(const char *line)
{
    return strstr(line, "parlab-threads") || strstr(line, "parlab-procs") ? NULL : line;
}

START_TEST(serial_runs_alone_make_a_short_report_and_one_figure)
{
    char *dir = fixture_edited("runs.csv", serial_only), *runs = tu_path(dir, "runs.csv");
    char *jobs = tu_path(dir, "jobs.csv");
    const char *report_args[] = {"--runs", runs, "--jobs", jobs, "--markdown", NULL};
    const char *draw[] = {"sh", "plots/draw.sh", dir, NULL};
    struct proc_result r;

    tu_run(&r, "parlab-report", report_args);
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "No runs with several workers in these results."));
    ck_assert_ptr_nonnull(strstr(r.out, "- **serial**: 4 jobs take 2.00 s"));
    ck_assert_ptr_null(strstr(r.out, "0 workers"));
    ck_assert_ptr_null(strstr(r.out, "## 5. Pinning"));
    tu_result_release(&r);

    tu_run_cmd(&r, NULL, draw); /* wall-vs-cpu and speedup have data; the rest do not */
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    ck_assert_ptr_nonnull(strstr(r.err, "timeline skipped"));
    ck_assert_ptr_nonnull(strstr(r.err, "placement skipped"));
    ck_assert_ptr_nonnull(strstr(r.err, "plots: wall-vs-cpu"));
    tu_result_release(&r);
    free(runs);
    free(jobs);
    tu_rmrf(dir);
}
END_TEST

static const char *no_serial(const char *line)
{
    return strstr(line, "parlab-serial") ? NULL : line;
}

START_TEST(without_serial_runs_there_is_no_speedup)
{
    char *dir = fixture_edited("runs.csv", no_serial), *runs = tu_path(dir, "runs.csv");
    const char *args[] = {"--runs", runs, "--jobs", FIXTURE "/jobs.csv", "--markdown", NULL};
    struct proc_result r;

    tu_run(&r, "parlab-report", args);
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "There is no serial run in these results"));
    ck_assert_ptr_nonnull(strstr(r.out, "nothing to compute speedups against"));
    tu_result_release(&r);
    free(runs);
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

static Suite *figures_suite(void)
{
    Suite *s = suite_create("figures");
    TCase *tc = tcase_create("figures");

    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, every_figure_is_drawn_as_png_and_svg_without_a_warning, 0, 2);
    tcase_add_test(tc, drawing_without_csv_files_says_so);
    tcase_add_test(tc, the_report_states_the_fixtures_numbers);
    tcase_add_test(tc, the_figures_data_follow_from_the_csv_files);
    tcase_add_test(tc, a_speedup_divides_by_the_serial_run_of_its_own_size);
    tcase_add_test(tc, each_figure_names_the_kernel_size_of_its_own_runs);
    tcase_add_test(tc, the_report_refuses_bad_requests);
    tcase_add_test(tc, figures_show_pus_whatever_their_numbers);
    tcase_add_test(tc, serial_runs_alone_make_a_short_report_and_one_figure);
    tcase_add_test(tc, without_serial_runs_there_is_no_speedup);
    tcase_add_test(tc, a_failed_case_leaves_the_old_results_in_place);
    tcase_add_test(tc, a_complete_run_replaces_the_results);
    tcase_add_test(tc, a_later_failed_case_also_leaves_the_old_results);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(figures_suite());
}
