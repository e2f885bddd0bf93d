/*
 * check_figures.c - the figures: the data and settings parlab-report --figure-data
 * writes for each, and plots/draw.sh drawing them with gnuplot, on the fixtures in
 * tests/fixtures, on a backend the code has never heard of, and on one run of
 * 1,000,000 jobs on 1,024 workers.
 */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fixture.h"
#include "parlab/csv.h"
#include "testutil.h"

#define TITLE "vm, 2 PUs, n = 80, 2026-11-25" /* host, PUs, size and date of the small fixture */

/* The figures and their sizes; the timeline grows by a panel per way of running. */
static const struct {
    const char *name;
    unsigned width, height;
} figures[] = {
    {"wall-vs-cpu", 900, 560}, {"speedup", 900, 560},   {"timeline", 1000, 0},
    {"amdahl", 900, 600},      {"copy-cost", 900, 600}, {"placement", 1000, 660},
    {"granularity", 900, 600}, {"simd", 900, 560},
};
#define NFIGURES (sizeof figures / sizeof figures[0])
#define SMALL_DRAWN "wall-vs-cpu, speedup, timeline, amdahl, placement" /* no payloads */
#define TIMELINE_HEIGHT(panels) (80 + 245 * (panels))

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

/* parlab-report --figure-data on dir's runs.csv into dir/data, with --workers W when
 * `workers` is not NULL; returns that directory (malloc'd). */
static char *figure_data_at(const char *dir, const char *workers)
{
    char *runs = tu_path(dir, "runs.csv"), *data = tu_path(dir, "data");
    const char *args[] = {"--runs-csv", runs, "--figure-data", data, "--workers", workers, NULL};
    struct proc_result r;

    if (workers == NULL)
        args[4] = NULL;
    ck_assert_int_eq(mkdir(data, 0755), 0);
    tu_run(&r, "parlab-report", args);
    ck_assert_msg(r.status == 0 && r.out[0] == '\0', "exit %d: %s", r.status, r.err);
    tu_result_release(&r);
    free(runs);
    return data;
}

static char *figure_data(const char *dir)
{
    return figure_data_at(dir, NULL);
}

/* The text of dir/FIGURE.ext, which must exist. */
static char *figure_file(const char *data, const char *figure, const char *ext)
{
    char name[64], *path, *text;

    snprintf(name, sizeof name, "%s%s", figure, ext);
    path = tu_path(data, name);
    text = tu_read_file(path);
    ck_assert_msg(text != NULL, "no %s", path);
    free(path);
    return text;
}

/* The number of data rows (not comments, not blank) in text. */
static size_t data_rows(const char *text)
{
    size_t n = 0;

    for (const char *p = text; *p != '\0'; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p))
        n += *p != '#' && *p != '\n';
    return n;
}

/* Whether `figure` is one of the list's ("a, b, c"). */
static bool listed(const char *list, const char *figure)
{
    size_t len = strlen(figure);

    for (const char *p = list; (p = strstr(p, figure)) != NULL; p += len)
        if ((p == list || p[-2] == ',') && (p[len] == '\0' || p[len] == ','))
            return true;
    return false;
}

/* What parlab-report's list of figures (data/figures, which draw.sh draws from) says
 * of `figure`: the words after its name, into buf; fails the test when it has no line. */
static void figure_verdict(const char *list, const char *figure, char *buf, size_t len)
{
    size_t n = strlen(figure);

    for (const char *line = list; *line != '\0'; line += strcspn(line, "\n") + 1) {
        if (strncmp(line, figure, n) == 0 && line[n] == ' ') {
            snprintf(buf, len, "%.*s", (int)strcspn(line + n + 1, "\n"), line + n + 1);
            return;
        }
        if (strchr(line, '\n') == NULL)
            break;
    }
    ck_abort_msg("no line for %s in the figures' list: %s", figure, list);
}

/* parlab-report --figure-data on dir: the figures of `drawn` ("a, b" or "no figures")
 * listed to be drawn as PNG and SVG, each other one not, saying what is missing and
 * what adds it; returns the list (the caller frees it).  The valgrind pass checks this
 * where the others run draw.sh (gnuplot, no program of ours, draws what the list says;
 * expect_drawn checks its files). */
static char *expect_listed(const char *dir, const char *drawn, const char *name)
{
    char *data = figure_data(dir), *list = figure_file(data, "figures", "");

    ck_assert_uint_eq(tu_count_lines(list), NFIGURES);
    for (size_t f = 0; f < NFIGURES; f++) {
        char said[1024];

        figure_verdict(list, figures[f].name, said, sizeof said);
        if (listed(drawn, figures[f].name))
            ck_assert_msg(strcmp(said, "yes") == 0, "%s: %s %s", name, figures[f].name, said);
        else
            ck_assert_msg(strncmp(said, "no ", 3) == 0 &&
                              (strstr(said, " adds one") || strstr(said, "--jobs-csv '")),
                          "%s: %s %s", name, figures[f].name, said);
    }
    free(data);
    return list;
}

START_TEST(every_figure_is_drawn_as_png_and_svg_without_a_warning)
{
    /* 0: the small fixture; 1: lessons; 2: lessons with a backend the code lacks */
    static const unsigned panels[] = {3, 4, 5};
    char *dir = fixture_copy(_i == 0 ? FIXTURE_SMALL : FIXTURE_LESSONS);
    const char *argv[] = {"sh", "plots/draw.sh", dir, NULL};
    struct proc_result r;

    if (_i == 2)
        fixture_add_fake_backend(dir);
    if (tu_under_valgrind()) { /* the list draw.sh draws from; the files: the other passes */
        free(expect_listed(dir, _i == 0 ? SMALL_DRAWN : SMALL_DRAWN ", copy-cost", "every figure"));
        tu_rmrf(dir);
        return;
    }
    tu_run_cmd(&r, NULL, argv);
    ck_assert_msg(r.status == 0, "draw.sh exited %d: %s", r.status, r.err);
    expect_only_draw_lines(r.err);
    for (size_t f = 0; f < NFIGURES; f++) {
        unsigned height = figures[f].height ? figures[f].height : TIMELINE_HEIGHT(panels[_i]);
        char name[64], size[64], *path, *text;
        unsigned char head[24];
        FILE *png;

        if (_i == 0 && strcmp(figures[f].name, "copy-cost") == 0) {
            ck_assert_ptr_nonnull(strstr(r.err, "copy-cost skipped")); /* no payloads */
            continue;
        }
        if (strcmp(figures[f].name, "granularity") == 0) { /* no sweep: its own test draws it */
            ck_assert_ptr_nonnull(strstr(r.err, "granularity skipped"));
            continue;
        }
        if (strcmp(figures[f].name, "simd") == 0) { /* no simd runs: its own test draws it */
            ck_assert_ptr_nonnull(strstr(r.err, "simd skipped"));
            continue;
        }
        snprintf(name, sizeof name, "%s.png", figures[f].name);
        path = tu_path(dir, name);
        png = fopen(path, "rb");
        ck_assert_msg(png != NULL, "no %s", name);
        ck_assert_uint_eq(fread(head, 1, sizeof head, png), sizeof head);
        fclose(png);
        ck_assert_int_eq(memcmp(head, "\211PNG\r\n\032\n", 8), 0);
        ck_assert_int_eq(memcmp(head + 12, "IHDR", 4), 0);
        ck_assert_uint_eq(big_endian32(head + 16), figures[f].width);
        ck_assert_uint_eq(big_endian32(head + 20), height);
        free(path);

        snprintf(name, sizeof name, "%s.svg", figures[f].name);
        path = tu_path(dir, name);
        text = tu_read_file(path);
        ck_assert_msg(text != NULL, "no %s", name);
        snprintf(size, sizeof size, "width=\"%u\" height=\"%u\"", figures[f].width, height);
        ck_assert_msg(strstr(text, "<svg") && strstr(text, size), "%s lacks %s", name, size);
        ck_assert_msg(strstr(text, _i == 0 ? TITLE : "vm, 2 PUs, n = ") != NULL,
                      "%s does not name the machine", name);
        if (_i == 2 && strcmp(figures[f].name, "wall-vs-cpu") != 0 &&
            strcmp(figures[f].name, "amdahl") != 0)
            ck_assert_msg(strstr(text, "fake") != NULL, "%s does not show the fake backend", name);
        free(text);
        free(path);
    }
    tu_result_release(&r);
    tu_rmrf(dir);
}
END_TEST

/* The granularity figure: per way of running, the job size (the serial run's median
 * wall time over its jobs, in us), the speedup and its range, and the speedup the
 * overhead.csv's queue row predicts (NaN without a row); skipped with a line without
 * granularity.csv. */
START_TEST(the_granularity_figure_follows_from_the_sweep_and_the_overheads)
{
    char *dir = fixture_copy(FIXTURE_GRANULARITY), *data = figure_data(dir), *text, *path;

    text = figure_file(data, "granularity", ".dat");
    /* threads at 10 us: 0.01 / 0.00625 = 1.6, range 1.6 / 1.05 to 1.6 / 0.95; predicted
     * 2 x 10 / (10 + 1) */
    ck_assert_ptr_nonnull(strstr(text, "\n10 1.600000 1.523810 1.684211 1.818182\n"));
    /* procs at 1 us: 2 x 1 / (1 + 10) */
    ck_assert_ptr_nonnull(strstr(text, "\n1 0.100000 0.095238 0.105263 0.181818\n"));
    ck_assert_ptr_nonnull(strstr(text, "\n1000 1.500000 1.428571 1.578947 NaN\n")); /* mpi */
    ck_assert_uint_eq(data_rows(text), 3 * 4);
    free(text);
    text = figure_file(data, "granularity", ".gp");
    ck_assert_ptr_nonnull(strstr(text, "\narray overhead_us[3] = [1, 10, -1]\n"));
    ck_assert_ptr_nonnull(strstr(text, "\narray names[3] = ['threads', 'procs', 'mpi']\n"));
    ck_assert_ptr_nonnull(strstr(text, "\nideal = 2\n"));
    free(text);
    free(data);
    if (!tu_under_valgrind()) { /* drawn, and gnuplot says nothing */
        const char *argv[] = {"sh", "plots/draw.sh", dir, NULL};
        struct proc_result r;

        tu_run_cmd(&r, NULL, argv);
        ck_assert_msg(r.status == 0, "draw.sh exited %d: %s", r.status, r.err);
        expect_only_draw_lines(r.err);
        ck_assert_msg(strstr(r.err, "granularity (png, svg)") || strstr(r.err, ", granularity"),
                      "said: %s", r.err);
        path = tu_path(dir, "granularity.svg");
        text = tu_read_file(path);
        ck_assert_msg(text && strstr(text, "procs predicted, o = 10 us"), "no prediction drawn");
        free(text);
        free(path);
        tu_result_release(&r);
    }
    tu_rmrf(dir);

    dir = fixture_copy(FIXTURE_SMALL); /* no granularity.csv */
    data = figure_data(dir);
    path = tu_path(data, "figures");
    text = tu_read_file(path);
    ck_assert_msg(strstr(text, "granularity no no granularity sweep") &&
                      strstr(text, "granularity.csv' is missing") && strstr(text, "make run-all"),
                  "figures: %s", text);
    free(text);
    free(path);
    free(data);
    tu_rmrf(dir);
}
END_TEST

/* The simd figure: scalar threads, simd serial at every W, simd threads, their speedups
 * over the scalar serial run with the range, then the product simd serial x min(W, PUs);
 * skipped with a line without simd runs. */
START_TEST(the_simd_figure_sets_vectorising_beside_threads)
{
    char *dir = fixture_copy(FIXTURE_SMALL), *data, *text, *path;

    fixture_add_simd(dir, "0.000000");
    data = figure_data(dir);
    text = figure_file(data, "simd", ".dat");
    /* scalar threads: 2.0 / 2.0 and 2.0 / 1.0, ranges 2.0 / 2.1 to 2.0 / 1.9 */
    ck_assert_ptr_nonnull(strstr(text, "\n1 1.000000 0.952381 1.052632\n2 2.000000 1.818182 2.222222\n"));
    /* simd serial, 2.0 / 0.5, at both W */
    ck_assert_ptr_nonnull(strstr(text, "\n1 4.000000 3.636364 4.444444\n2 4.000000 3.636364 4.444444\n"));
    /* simd threads: 2.0 / 0.5 and 2.0 / 0.255 */
    ck_assert_ptr_nonnull(strstr(text, "\n1 4.000000 3.636364 4.444444\n2 7.843137 7.547170 8.163265\n"));
    ck_assert_ptr_nonnull(strstr(text, "workers predicted\n1 4.000000\n2 8.000000\n")); /* 4 x W */
    ck_assert_uint_eq(data_rows(text), 4 * 2);
    free(text);
    text = figure_file(data, "simd", ".gp");
    ck_assert_ptr_nonnull(
        strstr(text, "\narray names[3] = ['scalar threads', 'simd serial (avx2)', 'simd threads']\n"));
    ck_assert_ptr_nonnull(strstr(text, "\nproduct = 1\n"));
    ck_assert_ptr_nonnull(strstr(text, "n = 80, avx2"));
    free(text);
    free(data);
    if (!tu_under_valgrind()) { /* drawn, and gnuplot says nothing */
        const char *argv[] = {"sh", "plots/draw.sh", dir, NULL};
        struct proc_result r;

        tu_run_cmd(&r, NULL, argv);
        ck_assert_msg(r.status == 0, "draw.sh exited %d: %s", r.status, r.err);
        expect_only_draw_lines(r.err);
        path = tu_path(dir, "simd.svg");
        text = tu_read_file(path);
        ck_assert_msg(text && strstr(text, "they multiply"), "no product drawn");
        free(text);
        free(path);
        tu_result_release(&r);
    }
    tu_rmrf(dir);

    dir = fixture_copy(FIXTURE_SMALL); /* no simd runs */
    data = figure_data(dir);
    path = tu_path(data, "figures");
    text = tu_read_file(path);
    ck_assert_msg(strstr(text, "simd no no run with --kernel simd; bin/parlab-serial --kernel simd") &&
                      strstr(text, "make run-all"),
                  "figures: %s", text);
    free(text);
    free(path);
    free(data);
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

START_TEST(the_figures_data_follow_from_the_csv_files)
{
    char *dir = fixture_copy(FIXTURE_SMALL), *data = figure_data(dir), *text;

    text = figure_file(data, "speedup", ".dat");
    /* procs, 3 workers: 2.0 / 1.25, 2.0 / 1.35, 2.0 / 1.15 */
    ck_assert_ptr_nonnull(strstr(text, "\n3 1.600000 1.481481 1.739130\n"));
    ck_assert_ptr_nonnull(strstr(text, "\n4 1.000000 0.952381 1.052632\n"));
    ck_assert_uint_eq(data_rows(text), 3 * 4); /* three ways of running, W = 1 to 4 */
    free(text);
    text = figure_file(data, "speedup", ".gp");
    ck_assert_ptr_nonnull(strstr(text, "\ntitle = '" TITLE "'\n"));
    ck_assert_ptr_nonnull(strstr(text, "\nn = 3\n"));
    ck_assert_ptr_nonnull(strstr(text, "'threads, lock none', 'threads, lock held', 'procs, lock held'"));
    free(text);

    text = figure_file(data, "wall-vs-cpu", ".dat");
    ck_assert_ptr_nonnull(strstr(text, "\"procs, lock held\" 1.250000 0.001000 2.000000\n"));
    ck_assert_uint_eq(data_rows(text), 4);
    free(text);
    text = figure_file(data, "timeline", ".dat"); /* three blocks of 4 jobs, no switching */
    ck_assert_uint_eq(data_rows(text), 3 * 4);
    free(text);
    text = figure_file(data, "placement", ".dat"); /* six blocks of 4 jobs */
    ck_assert_uint_eq(data_rows(text), 6 * 4);
    free(text);
    text = figure_file(data, "figures", "");
    ck_assert_ptr_nonnull(strstr(text, "speedup yes\n"));
    ck_assert_ptr_nonnull(strstr(text, "copy-cost no "));
    ck_assert_uint_eq(tu_count_lines(text), NFIGURES);
    free(text);
    free(data);
    tu_rmrf(dir);
}
END_TEST

/* The Amdahl and copy-cost figures, and the switching panel, name the kernel sizes of
 * their own runs: the fixture's notebook cases have n = 108, its fraction and switching
 * runs n = 85, its payload runs n = 59. */
START_TEST(each_figure_names_the_kernel_size_of_its_own_runs)
{
    static const char *const expect[][2] = {
        {"speedup", "title = 'vm, 2 PUs, n = 108, 2026-11-25'"},
        {"amdahl", "title = 'vm, 2 PUs, n = 85 (F = 0 and 1: n = 108), 2026-11-25'"},
        {"copy-cost", "title = 'vm, 2 PUs, n = 59, 2026-11-25'"},
        {"timeline", "(GIL-style switching): jobs of n = 85, 0.02 s when run serially'"}};
    char *dir = fixture_copy(FIXTURE_LESSONS), *data = figure_data(dir);

    for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
        char *text = figure_file(data, expect[i][0], ".gp");

        ck_assert_msg(strstr(text, expect[i][1]) != NULL, "%s.gp: %s", expect[i][0], text);
        free(text);
    }
    free(data);
    tu_rmrf(dir);
}
END_TEST

/* Jobs on PUs 2 and 3 instead of 0 and 1, as under taskset -c 2,3. */
static const char *shift_pus(const char *line, const char **extra)
{
    static char out[2048];
    size_t used = 0;
    int column = 0;

    (void)extra;
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
    char *dir = fixture_copy(FIXTURE_SMALL), *data;
    const char *argv[] = {"sh", "plots/draw.sh", dir, NULL};
    struct proc_result r;

    fixture_rewrite(dir, "jobs.csv", shift_pus);
    if (tu_under_valgrind()) { /* gnuplot's view: the other passes */
        free(expect_listed(dir, SMALL_DRAWN, "jobs on PUs 2 and 3"));
        tu_rmrf(dir);
        return;
    }
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

START_TEST(serial_runs_alone_draw_one_figure)
{
    char *dir = fixture_copy(FIXTURE_SMALL);
    const char *draw[] = {"sh", "plots/draw.sh", dir, NULL};
    struct proc_result r;

    fixture_rewrite(dir, "runs.csv", fixture_serial_only);
    if (tu_under_valgrind()) {
        free(expect_listed(dir, "wall-vs-cpu", "serial runs alone"));
        tu_rmrf(dir);
        return;
    }
    tu_run_cmd(&r, NULL, draw); /* wall-vs-cpu has data; the rest do not */
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    for (size_t f = 0; f < NFIGURES; f++) {
        char skipped[64];

        snprintf(skipped, sizeof skipped, "plots: %s skipped: ", figures[f].name);
        ck_assert_msg((strstr(r.err, skipped) == NULL) == (f == 0), "said: %s", r.err);
    }
    ck_assert_ptr_nonnull(strstr(r.err, "plots: wall-vs-cpu (png, svg)"));
    tu_result_release(&r);
    tu_rmrf(dir);
}
END_TEST

/* A backend no source file names, from its rows alone: its own series, lanes, panels
 * and colour in every figure that shows ways of running. */
START_TEST(a_backend_the_code_does_not_know_gets_its_own_series)
{
    char *dir = fixture_copy(FIXTURE_LESSONS), *data, *text, *procs, *fake;

    fixture_add_fake_backend(dir);
    data = figure_data(dir);
    text = figure_file(data, "speedup", ".gp");
    ck_assert_ptr_nonnull(strstr(text, "\nn = 4\n"));
    ck_assert_ptr_nonnull(strstr(text, "'procs, lock held', 'fake, lock held']"));
    /* four different colours */
    char *colours = fixture_line(text, "array colours[4] = ");
    ck_assert_ptr_nonnull(colours);
    for (size_t a = 0; a < 4; a++)
        for (size_t b = a + 1; b < 4; b++)
            ck_assert_msg(strncmp(colours + 20 + 11 * a, colours + 20 + 11 * b, 9) != 0,
                          "colours repeat: %s", colours);
    free(colours);
    free(text);
    text = figure_file(data, "speedup", ".dat"); /* the same points as procs' */
    procs = strstr(text, "# procs, lock held:");
    fake = strstr(text, "# fake, lock held:");
    ck_assert_ptr_nonnull(procs);
    ck_assert_ptr_nonnull(fake);
    ck_assert_int_eq(strncmp(strchr(procs, '\n'), strchr(fake, '\n'), (size_t)(fake - strchr(procs, '\n'))), 0);
    free(text);
    text = figure_file(data, "timeline", ".gp"); /* a panel of its own */
    ck_assert_ptr_nonnull(strstr(text, "\nn = 5\n"));
    ck_assert_ptr_nonnull(strstr(text, "'fake, lock held'"));
    free(text);
    text = figure_file(data, "placement", ".gp"); /* a row of its own */
    ck_assert_ptr_nonnull(strstr(text, "\nrows = 3\n"));
    ck_assert_ptr_nonnull(strstr(text, "'fake, --pin close'"));
    free(text);
    text = figure_file(data, "copy-cost", ".gp");
    ck_assert_ptr_nonnull(strstr(text, "'fake: shared memory (shm)', 'fake: through pipes'"));
    ck_assert_ptr_nonnull(strstr(text, "\ncopied = '3 5'\n"));
    free(text);
    free(data);
    tu_rmrf(dir);
}
END_TEST

/* One run of `jobs` jobs on `workers` workers, and its serial run, in dir: the jobs
 * in rounds of one per worker, each 1 ms. */
static void write_big_run(const char *dir, unsigned long jobs, unsigned long workers)
{
    char *runs = tu_path(dir, "runs.csv"), *path = tu_path(dir, "jobs.csv");
    FILE *f = fopen(runs, "w");

    ck_assert_ptr_nonnull(f);
    fprintf(f, "run_id,program,workers,jobs,size,lock,pin,rep,wall_s,cpu_self_s,cpu_children_s,"
               "jobs_ok,host,pus,started_at,omp_binding,switch_ms,payload_bytes,transport,"
               "memcpy_gbs,worker_kind\n");
    fprintf(f, "s,parlab-serial,1,%lu,50,none,none,1,%.3f,%.3f,0,%lu,big,%lu,2026-12-02T10:00:00Z,,,0,memory,,thread\n",
            jobs, jobs * 0.001, jobs * 0.001, jobs, workers);
    fprintf(f, "t,parlab-threads,%lu,%lu,50,none,none,1,%.3f,%.3f,0,%lu,big,%lu,2026-12-02T10:01:00Z,,,0,memory,,thread\n",
            workers, jobs, (double)((jobs + workers - 1) / workers) * 0.001, jobs * 0.001, jobs,
            workers);
    ck_assert_int_eq(fclose(f), 0);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "run_id,job,worker,pid,tid,pu_start,pu_end,t_start_s,t_end_s,cpu_s,lock_wait_s,"
               "result,ok,pu_planned,bound,switches,copy_s,bytes_copied\n");
    for (unsigned long j = 0; j < jobs; j++) {
        double start = (double)(j / workers) * 0.001;

        fprintf(f, "t,%lu,%lu,1,%lu,%lu,%lu,%.6f,%.6f,0.001,0,1,1,,no,0,0,0\n", j, j % workers,
                j % workers, j % workers, j % workers, start, start + 0.001);
    }
    ck_assert_int_eq(fclose(f), 0);
    free(runs);
    free(path);
}

START_TEST(a_million_jobs_on_1024_workers_are_all_reported)
{
    /* valgrind runs a hundred times slower: there, 20,000 jobs, still far beyond any
     * limit that fixed arrays would set */
    unsigned long jobs = getenv("PARLAB_UNDER_VALGRIND") ? 20000 : 1000000, workers = 1024;
    char *dir = tu_tmpdir(), *data, *text, *runs = tu_path(dir, "runs.csv"), expect[128];
    const char *args[] = {"--runs-csv", runs, "--markdown", NULL};
    struct proc_result r;

    write_big_run(dir, jobs, workers);
    tu_run(&r, "parlab-report", args);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    snprintf(expect, sizeof expect, "up to %lu of the %lu jobs were in progress at once",
             workers, jobs);
    ck_assert_msg(strstr(r.out, expect) != NULL, "said: %s", r.out);
    snprintf(expect, sizeof expect, "| threads, lock none | %lu |", workers);
    ck_assert_ptr_nonnull(strstr(r.out, expect));
    tu_result_release(&r);

    data = figure_data(dir);
    text = figure_file(data, "timeline", ".dat");
    ck_assert_uint_eq(data_rows(text), jobs); /* every job, none dropped */
    snprintf(expect, sizeof expect, "\n%lu 0.", workers - 1); /* the last lane */
    ck_assert_ptr_nonnull(strstr(text, expect));
    free(text);
    text = figure_file(data, "timeline", ".gp");
    snprintf(expect, sizeof expect, "array lanes[1] = [%lu]", workers);
    ck_assert_ptr_nonnull(strstr(text, expect));
    ck_assert_ptr_nonnull(strstr(text, "array labelled[1] = [0]")); /* bars without numbers */
    free(text);
    text = figure_file(data, "figures", ""); /* an SVG would keep 3 marks per job */
    ck_assert_ptr_nonnull(strstr(text, jobs * 3 > 60000 ? "timeline png-only " : "timeline yes\n"));
    free(text);
    free(data);
    free(runs);
    tu_rmrf(dir);
}
END_TEST


/* Without the threads' --pin close run, that panel is empty, and the others after it
 * keep their own data. */
static const char *no_threads_close(const char *line, const char **extra)
{
    (void)extra;
    return strstr(line, ",parlab-threads,") && strstr(line, ",close,") ? NULL : line;
}

START_TEST(a_missing_pinned_run_leaves_its_panel_empty)
{
    char *dir = fixture_copy(FIXTURE_SMALL), *data, *text;
    const char *argv[] = {"sh", "plots/draw.sh", dir, NULL};
    struct proc_result r;

    fixture_rewrite(dir, "runs.csv", no_threads_close);
    data = figure_data(dir);
    text = figure_file(data, "placement", ".gp");
    ck_assert_ptr_nonnull(strstr(text, "array has[6] = [1, 0, 1, 1, 1, 1]"));
    free(text);
    text = figure_file(data, "placement", ".dat"); /* a NaN row holds the empty block's place */
    ck_assert_uint_eq(fixture_count(text, "NaN NaN NaN NaN\n"), 1);
    free(text);
    if (!tu_under_valgrind()) { /* gnuplot draws the empty panel */
        tu_run_cmd(&r, NULL, argv);
        ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
        expect_only_draw_lines(r.err);
        tu_result_release(&r);
    }
    free(data);
    tu_rmrf(dir);
}
END_TEST

/* A program name with gnuplot's markup and XML's specials in it. */
static const char *odd_name(const char *line, const char **extra)
{
    static char row[4096];
    const char *p = strstr(line, ",parlab-procs,");

    (void)extra;
    if (p == NULL)
        return line;
    snprintf(row, sizeof row, "%.*s,my_procs{&}<x>,%s", (int)(p - line), line,
             p + strlen(",parlab-procs,"));
    return row;
}

START_TEST(names_are_shown_as_they_are)
{
    char *dir = fixture_copy(FIXTURE_SMALL), *data, *text, *svg;
    const char *argv[] = {"sh", "plots/draw.sh", dir, NULL};
    struct proc_result r;

    fixture_rewrite(dir, "runs.csv", odd_name);
    data = figure_data(dir);
    /* a data file's backslashes are read once before enhanced text sees them */
    text = figure_file(data, "wall-vs-cpu", ".dat");
    ck_assert_msg(strstr(text, "\"my\\\\_procs\\\\{+\\\\}(x), lock held\" ") != NULL, "%s", text);
    free(text);
    text = figure_file(data, "speedup", ".gp");
    ck_assert_msg(strstr(text, "'my\\_procs\\{+\\}(x), lock held'") != NULL, "%s", text);
    free(text);
    if (!tu_under_valgrind()) { /* gnuplot's legend */
        tu_run_cmd(&r, NULL, argv);
        ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
        expect_only_draw_lines(r.err);
        tu_result_release(&r);
        svg = tu_path(dir, "speedup.svg");
        text = tu_read_file(svg);
        ck_assert_ptr_nonnull(text);
        ck_assert_msg(strstr(text, "my_procs{+}(x), lock held") != NULL, "the legend is garbled");
        free(text);
        free(svg);
    }
    free(data);
    tu_rmrf(dir);
}
END_TEST

/* ---- partial results ------------------------------------------------------------ */

/* A runs.csv row as the matrix's filters see it (the fixtures quote no field). */
struct run_row {
    char program[64], lock[64], pin[64];
    unsigned long workers, size, rep, payload;
    bool switching;
};

typedef bool run_filter(const struct run_row *row);
static run_filter *keeping; /* fixture_rewrite's edit takes no context */

static void parse_row(const char *line, struct run_row *row)
{
    char field[64];
    int column = 0;

    memset(row, 0, sizeof *row);
    for (const char *p = line;; column++) {
        size_t len = strcspn(p, ",");

        snprintf(field, sizeof field, "%.*s", (int)len, p);
        switch (column) { /* the columns both fixtures have, and two the lessons add */
        case 1: snprintf(row->program, sizeof row->program, "%s", field); break;
        case 2: row->workers = strtoul(field, NULL, 10); break;
        case 4: row->size = strtoul(field, NULL, 10); break;
        case 5: snprintf(row->lock, sizeof row->lock, "%s", field); break;
        case 6: snprintf(row->pin, sizeof row->pin, "%s", field); break;
        case 7: row->rep = strtoul(field, NULL, 10); break;
        case 16: row->switching = len > 0; break; /* switch_ms */
        case 17: row->payload = strtoul(field, NULL, 10); break;
        }
        p += len;
        if (*p++ == '\0')
            break;
    }
}

static const char *keep_rows(const char *line, const char **extra)
{
    struct run_row row;

    (void)extra;
    if (strncmp(line, "run_id,", 7) == 0)
        return line;
    parse_row(line, &row);
    return keeping(&row) ? line : NULL;
}

static bool is(const struct run_row *row, const char *program)
{
    return strcmp(row->program, program) == 0;
}

/* Unpinned, without a payload or switching: a point of the speedup figure's lines. */
static bool plain_run(const struct run_row *row)
{
    return strcmp(row->pin, "none") == 0 && row->payload == 0 && !row->switching;
}

static bool serial_and_threads(const struct run_row *row)
{
    return is(row, "parlab-serial") ||
           (is(row, "parlab-threads") && plain_run(row) && strcmp(row->lock, "none") == 0);
}

static bool notebook_cases(const struct run_row *row)
{
    return is(row, "parlab-serial") || (plain_run(row) && row->workers == 3);
}

static bool no_serial(const struct run_row *row) { return !is(row, "parlab-serial"); }
static bool no_threads(const struct run_row *row) { return !is(row, "parlab-threads"); }
static bool no_procs(const struct run_row *row) { return !is(row, "parlab-procs"); }
static bool serial_alone(const struct run_row *row) { return is(row, "parlab-serial"); }
static bool every_row(const struct run_row *row) { (void)row; return true; }
static bool first_rep(const struct run_row *row) { return row->rep == 1; }
static bool pinned_alone(const struct run_row *row) { return strcmp(row->pin, "none") != 0; }
static bool payloads_alone(const struct run_row *row) { return row->payload > 0; }
static bool switching_alone(const struct run_row *row) { return row->switching; }

static bool one_w(const struct run_row *row)
{
    return is(row, "parlab-serial") || (plain_run(row) && row->workers == 2);
}

static bool w_1_alone(const struct run_row *row)
{
    return is(row, "parlab-serial") || (plain_run(row) && row->workers == 1);
}

/* Threads sharing their payload: nothing copied, so the figure has no bandwidth. */
static bool shared_payloads(const struct run_row *row)
{
    return row->payload > 0 && is(row, "parlab-threads");
}

/* The lessons' serial run of n = 85 (its fraction runs') beside the notebook's
 * parallel runs of n = 108, and no fraction runs: no speedup can be divided. */
static bool sizes_differ(const struct run_row *row)
{
    if (is(row, "parlab-serial"))
        return row->size == 85;
    return row->size == 108 && !row->switching;
}

static bool fractions_and_serial(const struct run_row *row)
{
    return row->size == 85 && !row->switching;
}

/* Each partial result set: the fixture, the rows kept, and the figures it supports. */
static const struct partial {
    const char *name, *fixture;
    run_filter *keep;
    bool no_jobs;       /* jobs.csv removed */
    const char *drawn;  /* as draw.sh's last line lists them */
} partials[] = {
    {"serial and threads at W = 1 to 4", FIXTURE_SMALL, serial_and_threads, false,
     "wall-vs-cpu, speedup, amdahl, timeline"},
    {"the notebook's four cases", FIXTURE_SMALL, notebook_cases, false,
     "wall-vs-cpu, speedup, amdahl, timeline"},
    {"no serial run", FIXTURE_SMALL, no_serial, false, "wall-vs-cpu, timeline, placement"},
    {"no threads", FIXTURE_SMALL, no_threads, false, "wall-vs-cpu, speedup, timeline, placement"},
    {"no procs", FIXTURE_SMALL, no_procs, false,
     "wall-vs-cpu, speedup, amdahl, timeline, placement"},
    {"serial runs alone", FIXTURE_SMALL, serial_alone, false, "wall-vs-cpu"},
    {"one W alone (2)", FIXTURE_SMALL, one_w, false, "wall-vs-cpu, speedup, amdahl, timeline"},
    {"W = 1 alone", FIXTURE_SMALL, w_1_alone, false, "wall-vs-cpu, speedup, amdahl, timeline"},
    {"one repetition", FIXTURE_SMALL, first_rep, false,
     "wall-vs-cpu, speedup, amdahl, timeline, placement"},
    {"runs.csv without jobs.csv", FIXTURE_SMALL, every_row, true, "wall-vs-cpu, speedup, amdahl"},
    {"pinned runs alone", FIXTURE_SMALL, pinned_alone, false, "placement"},
    {"pinned runs alone, no jobs.csv", FIXTURE_SMALL, pinned_alone, true, "no figures"},
    {"serial and parallel runs of other sizes", FIXTURE_LESSONS, sizes_differ, false,
     "wall-vs-cpu, timeline, placement"},
    {"lock fractions and their serial run", FIXTURE_LESSONS, fractions_and_serial, false,
     "wall-vs-cpu, amdahl"},
    {"payload runs alone", FIXTURE_LESSONS, payloads_alone, false, "copy-cost"},
    {"payloads that threads shared, none copied", FIXTURE_LESSONS, shared_payloads, false,
     "copy-cost"},
    {"payload runs, no jobs.csv", FIXTURE_LESSONS, payloads_alone, true, "no figures"},
    {"the switching run alone", FIXTURE_LESSONS, switching_alone, false, "timeline"},
};
#define NPARTIALS (sizeof partials / sizeof partials[0])

/* draw.sh's stderr for dir: exactly the figures `drawn` as non-empty PNG and SVG files,
 * the others absent, each with one line saying why and what would add its data. */
static void expect_drawn(const char *dir, const struct proc_result *r, const char *drawn,
                         const char *name)
{
    size_t skipped = 0;
    char last[512];

    ck_assert_msg(r->status == 0, "%s: draw.sh exited %d: %s", name, r->status, r->err);
    expect_only_draw_lines(r->err);
    for (size_t f = 0; f < NFIGURES; f++) {
        bool want = listed(drawn, figures[f].name);
        char line[64], file[64], *path;
        struct stat st;

        for (size_t k = 0; k < 2; k++) {
            snprintf(file, sizeof file, "%s.%s", figures[f].name, k ? "svg" : "png");
            path = tu_path(dir, file);
            ck_assert_msg((stat(path, &st) == 0 && st.st_size > 0) == want, "%s: %s %s", name,
                          file, want ? "missing or empty" : "drawn without data");
            free(path);
        }
        snprintf(line, sizeof line, "plots: %s skipped: ", figures[f].name);
        ck_assert_uint_eq(fixture_count(r->err, line), !want);
        if (!want) { /* what is missing, and what adds it */
            char said[1024];

            ck_assert(tu_line(r->err, line, said, sizeof said));
            ck_assert_msg(strstr(said, " adds one") || strstr(said, "--jobs-csv '"),
                          "%s: %s", name, said);
            skipped++;
        }
    }
    ck_assert_uint_eq(tu_count_lines(r->err), skipped + 1);
    snprintf(last, sizeof last, "plots: %s (png, svg) in ", drawn);
    ck_assert_msg(strstr(r->err, last) != NULL, "%s: said %s", name, r->err);
}

START_TEST(partial_results_draw_the_figures_they_support)
{
    const struct partial *p = &partials[_i];
    char *dir = fixture_copy(p->fixture);
    const char *argv[] = {"sh", "plots/draw.sh", dir, NULL};
    struct proc_result r;

    keeping = p->keep;
    fixture_rewrite(dir, "runs.csv", keep_rows);
    if (p->no_jobs) {
        char *jobs = tu_path(dir, "jobs.csv");

        ck_assert_int_eq(remove(jobs), 0);
        free(jobs);
    }
    if (tu_under_valgrind()) {
        char *list = expect_listed(dir, p->drawn, p->name), said[1024];

        figure_verdict(list, "timeline", said, sizeof said);
        if (p->no_jobs && listed("wall-vs-cpu, speedup, amdahl", p->drawn)) /* names the file */
            ck_assert_msg(strstr(said, "no no jobs CSV: '") &&
                              strstr(said, "/jobs.csv' is missing"),
                          "said: %s", said);
        free(list);
        tu_rmrf(dir);
        return;
    }
    tu_run_cmd(&r, NULL, argv);
    expect_drawn(dir, &r, p->drawn, p->name);
    if (p->no_jobs && listed("wall-vs-cpu, speedup, amdahl", p->drawn)) /* names the file */
        ck_assert_msg(strstr(r.err, "plots: timeline skipped: no jobs CSV: '") &&
                          strstr(r.err, "/jobs.csv' is missing"),
                      "said: %s", r.err);
    tu_result_release(&r);
    tu_rmrf(dir);
}
END_TEST

/* Why a speedup is missing names both sizes and the run that would give one. */
START_TEST(a_speedup_of_other_sizes_is_skipped_naming_them)
{
    char *dir = fixture_copy(FIXTURE_LESSONS), *data, *text;
    const char *argv[] = {"sh", "plots/draw.sh", dir, NULL};
    struct proc_result r;
    char said[1024];

    keeping = sizes_differ;
    fixture_rewrite(dir, "runs.csv", keep_rows);
    data = figure_data(dir);
    if (tu_under_valgrind()) { /* the list's words, which draw.sh says */
        text = figure_file(data, "figures", "");
        figure_verdict(text, "speedup", said, sizeof said);
        free(text);
    } else {
        tu_run_cmd(&r, NULL, argv);
        ck_assert_int_eq(r.status, 0);
        ck_assert(tu_line(r.err, "plots: speedup skipped: ", said, sizeof said));
        tu_result_release(&r);
    }
    ck_assert_msg(strstr(said, "(4 jobs of n = 108; serial: 4 jobs of n = 85)") &&
                      strstr(said, "bin/parlab-serial -j 4 -n 108 --runs-csv '"),
                  "said: %s", said);
    /* the wall-vs-cpu figure sets only the same jobs side by side, and says so */
    text = figure_file(data, "wall-vs-cpu", ".gp");
    ck_assert_msg(strstr(text, "n = 108 (cases of other sizes or jobs left out)"), "%s", text);
    free(text);
    text = figure_file(data, "wall-vs-cpu", ".dat");
    ck_assert_uint_eq(data_rows(text), 3); /* threads none and held, procs held; no serial */
    free(text);
    free(data);
    tu_rmrf(dir);
}
END_TEST

/* The issue's own case, run now: serial, then threads at W = 1 to 4, one rep each. */
START_TEST(runs_made_now_of_serial_and_threads_are_drawn)
{
    char *dir = tu_tmpdir(), *runs = tu_path(dir, "runs.csv"), *jobs = tu_path(dir, "jobs.csv");
    const char *argv[] = {"sh", "plots/draw.sh", dir, NULL};
    static const char *const w[] = {"1", "2", "3", "4"};
    struct proc_result r;

    for (size_t i = 0; i <= 4; i++) {
        const char *args[] = {"-q", "-n", "30", "-j", "4", "-r", "1", "-w", i ? w[i - 1] : "1",
                              "--runs-csv", runs, "--jobs-csv", jobs, NULL};

        tu_run_ok(i ? "parlab-threads" : "parlab-serial", args);
    }
    if (tu_under_valgrind())
        free(expect_listed(dir, "wall-vs-cpu, speedup, amdahl, timeline", "runs made now"));
    else {
        tu_run_cmd(&r, NULL, argv);
        expect_drawn(dir, &r, "wall-vs-cpu, speedup, amdahl, timeline", "serial and threads, now");
        tu_result_release(&r);
    }
    struct csv_table t; /* each run records the cores that hold its PUs */
    tu_read_csv(runs, &t);
    ck_assert_uint_eq(t.nrows, 6);
    for (size_t row = 1; row < t.nrows; row++) {
        double cores = tu_num(&t, row, "cores");

        ck_assert_msg(cores >= 1 && cores <= tu_num(&t, row, "pus"), "cores '%s', pus '%s'",
                      tu_field(&t, row, "cores"), tu_field(&t, row, "pus"));
    }
    csv_table_release(&t);
    free(runs);
    free(jobs);
    tu_rmrf(dir);
}
END_TEST

/* Files that are there but malformed still stop the drawing, with one line naming
 * the file, line and column. */
static const char *bad_wall(const char *line, const char **extra)
{
    static char row[4096];
    const char *p = strstr(line, ",parlab-threads,3,");
    const char *wall = p;

    (void)extra;
    if (p == NULL)
        return line;
    for (int k = 0; k < 7 && wall != NULL; k++) /* program ... rep: wall_s comes next */
        wall = strchr(wall + 1, ',');
    snprintf(row, sizeof row, "%.*s,abc%s", (int)(wall - line), line, strchr(wall + 1, ','));
    return row;
}

static const char *bad_job(const char *line, const char **extra)
{
    static char row[4096];
    const char *comma = strchr(line, ',');

    (void)extra;
    if (strncmp(line, "run_id,", 7) == 0)
        return line;
    snprintf(row, sizeof row, "%.*s,x%s", (int)(comma - line), line, strchr(comma + 1, ','));
    return row;
}

START_TEST(a_malformed_file_still_stops_the_drawing)
{
    static const struct {
        const char *file;
        fixture_edit *edit;
        const char *said;
    } bad[] = {{"runs.csv", bad_wall, "column wall_s: \"abc\" is not a time in seconds"},
               {"jobs.csv", bad_job, "column job: \"x\" is not a whole number"},
               {"jobs.csv", NULL, "is not a parlab jobs CSV: it has no column run_id"}};
    char *dir = fixture_copy(FIXTURE_SMALL);
    const char *argv[] = {"sh", "plots/draw.sh", dir, NULL};
    struct proc_result r;

    if (bad[_i].edit != NULL)
        fixture_rewrite(dir, bad[_i].file, bad[_i].edit);
    else {
        char *path = tu_path(dir, bad[_i].file);

        tu_write_file(path, "a,b\n1,2\n");
        free(path);
    }
    tu_run_cmd(&r, NULL, argv);
    ck_assert_msg(r.status != 0, "draw.sh drew from a malformed %s", bad[_i].file);
    ck_assert_msg(tu_count_lines(r.err) == 1 && strstr(r.err, bad[_i].file) &&
                      strstr(r.err, bad[_i].said),
                  "said: %s", r.err);
    tu_result_release(&r);
    tu_rmrf(dir);
}
END_TEST

/* ---- cores and PUs --------------------------------------------------------------- */

/* The cores and PUs of the machine the fixture is rewritten to have run on. */
static unsigned long machine_cores, machine_pus;

/* The small fixture's runs with a cores column, as on a machine of machine_cores cores
 * and machine_pus PUs (its pus column replaced). */
static const char *on_machine(const char *line, const char **extra)
{
    static char row[4096];
    size_t used = 0;
    int column = 0;

    (void)extra;
    if (strncmp(line, "run_id,", 7) == 0) {
        snprintf(row, sizeof row, "%s,cores", line);
        return row;
    }
    for (const char *p = line;; column++) { /* pus is column 13 */
        size_t len = strcspn(p, ",");

        if (column == 13)
            used += (size_t)snprintf(row + used, sizeof row - used, ",%lu", machine_pus);
        else
            used += (size_t)snprintf(row + used, sizeof row - used, "%s%.*s", column ? "," : "",
                                     (int)len, p);
        p += len;
        if (*p++ == '\0')
            break;
    }
    snprintf(row + used, sizeof row - used, ",%lu", machine_cores);
    return row;
}

/* The cores and PUs parlab-topo finds in a synthetic machine with 2 PUs per core (the
 * programs record theirs from the same hwloc counts, topo_usable_cores). */
static void synthetic_machine(const char *description)
{
    char setting[128];
    const char *env[] = {setting, NULL}, *args[] = {NULL};
    struct proc_result r;

    snprintf(setting, sizeof setting, "HWLOC_SYNTHETIC=%s", description);
    tu_run_env(&r, env, "parlab-topo", args);
    ck_assert_msg(r.status == 0, "parlab-topo: %s", r.err);
    machine_cores = (unsigned long)tu_number_after(r.out, "cores");
    machine_pus = (unsigned long)tu_number_after(r.out, "PUs");
    tu_result_release(&r);
}

/* Figures whose x axis is workers mark the cores and the PUs apart: the ideal and
 * Amdahl's prediction count cores, and the SMT threads beyond them are shaded and
 * labelled. */
START_TEST(the_figures_mark_cores_and_smt_threads_apart)
{
    char *dir = fixture_copy(FIXTURE_SMALL), *data, *text, *svg;
    const char *argv[] = {"sh", "plots/draw.sh", dir, NULL};
    struct proc_result r;

    synthetic_machine("core:2 pu:2");
    ck_assert_uint_eq(machine_cores, 2);
    ck_assert_uint_eq(machine_pus, 4);
    fixture_rewrite(dir, "runs.csv", on_machine);
    data = figure_data(dir);
    for (size_t i = 0; i < 2; i++) {
        text = figure_file(data, i ? "amdahl" : "speedup", ".gp");
        ck_assert_msg(strstr(text, "\npus = 4\ncores = 2\nsmt = 'SMT: 2 PUs per core'\n") &&
                          strstr(text, "title = 'vm, 2 cores, 4 PUs, n = 80, "),
                      "%s", text);
        free(text);
    }
    /* Amdahl's prediction for F = 0 (lock none) stops at the 2 cores, not at 4 PUs */
    text = figure_file(data, "amdahl", ".dat");
    ck_assert_msg(strstr(text, "\n3 2.000000 1.818182 2.222222 2.000000\n") &&
                      strstr(text, "\n4 2.000000 1.818182 2.222222 2.000000\n"),
                  "%s", text);
    free(text);
    free(data);
    if (tu_under_valgrind()) { /* gnuplot's shading and labels: the other passes */
        tu_rmrf(dir);
        return;
    }
    tu_run_cmd(&r, NULL, argv);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    expect_only_draw_lines(r.err);
    tu_result_release(&r);
    for (size_t i = 0; i < 2; i++) {
        svg = tu_path(dir, i ? "amdahl.svg" : "speedup.svg");
        text = tu_read_file(svg);
        ck_assert_msg(strstr(text, "SMT: 2 PUs per core") && strstr(text, "2 cores") &&
                          strstr(text, "4 PUs"),
                      "%s lacks the cores, the PUs or the SMT label", svg);
        if (i == 0)
            ck_assert_ptr_nonnull(strstr(text, "ideal: min(W, cores)"));
        free(text);
        free(svg);
    }
    tu_rmrf(dir);
}
END_TEST

/* Where the runs say there is one PU per core, or do not say (a file from before the
 * cores column), nothing is shaded and the ideal counts PUs. */
START_TEST(without_smt_the_ideal_counts_pus)
{
    char *dir = fixture_copy(FIXTURE_SMALL), *data, *text, *svg;
    const char *argv[] = {"sh", "plots/draw.sh", dir, NULL};
    struct proc_result r;

    if (_i == 1) {
        synthetic_machine("core:2 pu:1");
        ck_assert_uint_eq(machine_cores, 2);
        ck_assert_uint_eq(machine_pus, 2);
        fixture_rewrite(dir, "runs.csv", on_machine);
    }
    data = figure_data(dir);
    text = figure_file(data, "speedup", ".gp");
    ck_assert_msg(strstr(text, _i ? "\npus = 2\ncores = 2\nsmt = ''\n"
                                  : "\npus = 2\ncores = 0\nsmt = ''\n") &&
                      strstr(text, "title = '" TITLE "'"),
                  "%s", text);
    free(text);
    free(data);
    if (tu_under_valgrind()) { /* gnuplot's ideal line: the other passes */
        tu_rmrf(dir);
        return;
    }
    tu_run_cmd(&r, NULL, argv);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    tu_result_release(&r);
    svg = tu_path(dir, "speedup.svg");
    text = tu_read_file(svg);
    ck_assert_ptr_nonnull(strstr(text, "ideal: min(W, PUs)"));
    ck_assert_ptr_null(strstr(text, "SMT"));
    ck_assert_ptr_null(strstr(text, "cores"));
    free(text);
    free(svg);
    tu_rmrf(dir);
}
END_TEST

/* ---- MPI ranks (tests/fixtures/mpi: see its README) ------------------------------- */

/* The ranks with the lock held are a series beside the processes (in MPI's own
 * colour), of ranks of one thread only: the hybrid splits stay out of the speedup, the
 * bars and the timeline, whose MPI lanes are named by host and rank. */
START_TEST(mpi_ranks_are_drawn_beside_processes)
{
    char *dir = fixture_copy(FIXTURE_MPI), *data = figure_data(dir), *text, *block;
    const char *argv[] = {"sh", "plots/draw.sh", dir, NULL};
    struct proc_result r;

    text = figure_file(data, "speedup", ".gp");
    ck_assert_msg(strstr(text, "\nn = 3\n") &&
                      strstr(text, "['procs, lock held', 'mpi, lock none', 'mpi, lock held']") &&
                      strstr(text, "['#55a868', '#c44e52', '#b07aa1']"),
                  "%s", text);
    free(text);
    text = figure_file(data, "speedup", ".dat");
    block = strstr(text, "# mpi, lock held:");
    ck_assert_ptr_nonnull(block);
    ck_assert_msg(strstr(block, "\n1 1.000000 0.952381 1.052632\n2 1.960784 1.785714 2.173913\n"
                                "3 1.600000 1.481481 1.739130\n4 2.000000"),
                  "%s", text);
    block = strstr(text, "# mpi, lock none:"); /* 2 ranks x 1 thread, not 1 x 2's 1.92 */
    ck_assert_msg(block && strncmp(strchr(block, '\n'), "\n2 2.000000 1.818182 2.222222\n\n", 31) == 0,
                  "%s", text);
    ck_assert_ptr_null(strstr(text, "1.923077"));
    ck_assert_uint_eq(data_rows(text), 4 + 1 + 4);
    free(text);

    text = figure_file(data, "wall-vs-cpu", ".dat");
    ck_assert_ptr_nonnull(strstr(text, "\"procs, lock held\" 1.250000 0.001000 2.000000\n"
                                       "\"mpi, lock held\" 1.250000 2.000000 0.000000\n"));
    ck_assert_uint_eq(data_rows(text), 3);
    free(text);
    text = figure_file(data, "wall-vs-cpu", ".gp"); /* the ranks' CPU time: their own clocks */
    ck_assert_msg(strstr(text, "\nsummed = 1\n") && strstr(text, "array own_clocks[3] = [0, 0, 1]\n"),
                  "%s", text);
    free(text);

    text = figure_file(data, "timeline", ".gp");
    ck_assert_msg(strstr(text, "\nn = 2\n") && strstr(text, "array lane_from[2] = [0, 1]\n") &&
                      strstr(text, "array lane_names[3] = ['vm r0', 'vm r1', 'node2 r2']\n") &&
                      strstr(text, "\nlane_chars = 8\n") &&
                      strstr(text, "'mpi, lock held, a lane per rank: its host and rank (rN)'"),
                  "%s", text);
    free(text);
    text = figure_file(data, "timeline", ".dat");
    ck_assert_uint_eq(data_rows(text), 2 * 4);
    free(text);
    free(data);

    if (!tu_under_valgrind()) { /* gnuplot's view */
        char *path;

        tu_run_cmd(&r, NULL, argv);
        ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
        expect_only_draw_lines(r.err);
        tu_result_release(&r);
        path = tu_path(dir, "timeline.svg");
        text = tu_read_file(path);
        ck_assert_msg(text && strstr(text, ">node2 r2<") && strstr(text, ">vm r0<") &&
                          strstr(text, "height=\"570\""),
                      "timeline.svg lacks the lanes' names");
        free(text);
        free(path);
        path = tu_path(dir, "wall-vs-cpu.svg");
        text = tu_read_file(path);
        ck_assert_msg(text && strstr(text, "every rank"), "wall-vs-cpu.svg lacks the ranks' CPU time");
        free(text);
        free(path);
    }
    tu_rmrf(dir);
}
END_TEST

/* tests/fixtures/joblib: joblib-compare's rows are drawn like parlab's, their speedups
 * over joblib-serial (0.424 s), not parlab-serial (0.597 s), and their lanes in the
 * timeline. */
START_TEST(joblib_s_rows_are_drawn_beside_parlab_s)
{
    char *dir = fixture_copy("tests/fixtures/joblib"), *data = figure_data(dir), *text, *block;

    text = figure_file(data, "speedup", ".dat");
    block = strstr(text, "# joblib-threading, lock none:");
    ck_assert_msg(block && strstr(block, "\n3 1.793826 "), "%s", text);
    block = strstr(text, "# joblib-loky, lock held:");
    ck_assert_msg(block && strstr(block, "\n3 1.829726 "), "%s", text);
    ck_assert_ptr_nonnull(strstr(text, "# threads, lock none:"));
    free(text);
    text = figure_file(data, "wall-vs-cpu", ".dat"); /* loky's parent: almost no CPU */
    ck_assert_msg(strstr(text, "\"joblib-loky, lock held\" 0.231759 0.004607 0.000000\n") &&
                      strstr(text, "\"joblib-threading, lock none\" 0.236398 0.445834 "),
                  "%s", text);
    free(text);
    text = figure_file(data, "timeline", ".gp");
    ck_assert_msg(strstr(text, "'joblib-threading, lock none'") &&
                      strstr(text, "'joblib-loky, lock held'"),
                  "%s", text);
    free(text);
    free(data);
    tu_rmrf(dir);
}
END_TEST

/* Without MPI rows nothing of it shows: no named lanes, no summed CPU time. */
START_TEST(without_mpi_rows_nothing_of_them_is_drawn)
{
    char *dir = fixture_copy(FIXTURE_SMALL), *data = figure_data(dir), *text;
    const char *argv[] = {"sh", "plots/draw.sh", dir, NULL};
    struct proc_result r;

    text = figure_file(data, "wall-vs-cpu", ".gp");
    ck_assert_msg(strstr(text, "\nsummed = 0\n") &&
                      strstr(text, "array own_clocks[4] = [0, 0, 0, 0]\n"),
                  "%s", text);
    free(text);
    text = figure_file(data, "timeline", ".gp");
    ck_assert_msg(strstr(text, "array lane_from[3] = [0, 0, 0]\n") &&
                      strstr(text, "\nlane_chars = 0\n") && !strstr(text, "lane_names"),
                  "%s", text);
    free(text);
    free(data);
    if (!tu_under_valgrind()) {
        char *path = tu_path(dir, "wall-vs-cpu.svg");

        tu_run_cmd(&r, NULL, argv);
        ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
        expect_only_draw_lines(r.err);
        tu_result_release(&r);
        text = tu_read_file(path);
        ck_assert_msg(text && strstr(text, "its children") && !strstr(text, "every rank"),
                      "wall-vs-cpu.svg names ranks it has none of");
        free(text);
        free(path);
    }
    tu_rmrf(dir);
}
END_TEST

/* A runs.csv from before the ranks column, whose MPI run at W = 2 was 1 rank x 2
 * threads: its lanes are named from the jobs' ranks and threads. */
static const char *before_the_ranks_column(const char *line, const char **extra)
{
    static char row[4096];

    (void)extra;
    if (strncmp(line, "mpi2-", 5) == 0 || strncmp(line, "mpi2x1none-", 11) == 0 ||
        strncmp(line, "mpi1x2none-", 11) == 0)
        return NULL;
    snprintf(row, sizeof row, "%.*s", (int)(strrchr(line, ',') - line), line);
    return row;
}

START_TEST(lanes_before_the_ranks_column_are_named_from_the_jobs)
{
    char *dir = fixture_copy(FIXTURE_MPI), *data, *text;

    fixture_rewrite(dir, "runs.csv", before_the_ranks_column);
    data = figure_data_at(dir, "2");
    text = figure_file(data, "timeline", ".gp");
    ck_assert_msg(strstr(text, "array lane_names[2] = ['vm r0 t0', 'vm r0 t1']\n") &&
                      strstr(text, "a lane per thread: its host, rank (rN) and thread (tN)'"),
                  "%s", text);
    free(text);
    free(data);
    tu_rmrf(dir);
}
END_TEST

/* Only the flat run of ranks with the lock released left out (mpi2x1none): its
 * hybrid 1 x 2 is then the series' run. */
static const char *without_flat_ranks_lock_none(const char *line, const char **extra)
{
    (void)extra;
    return strncmp(line, "mpi2x1none-", 11) == 0 ? NULL : line;
}

/* Where the files hold only hybrid runs of a backend and lock (a lab's 1 rank x 2
 * threads, with the lock released), those are drawn, a lane per thread; beside flat
 * runs they are not (mpi_ranks_are_drawn_beside_processes). */
START_TEST(hybrid_runs_alone_are_drawn_a_lane_per_thread)
{
    char *dir = fixture_copy(FIXTURE_MPI), *data, *text, *block;

    fixture_rewrite(dir, "runs.csv", without_flat_ranks_lock_none);
    data = figure_data_at(dir, "2");
    text = figure_file(data, "timeline", ".gp");
    ck_assert_msg(strstr(text, "'vm r0 t0', 'vm r0 t1'") &&
                      strstr(text, "'mpi, lock none, a lane per thread: its host, rank (rN) and "
                                   "thread (tN)'"),
                  "%s", text);
    free(text);
    text = figure_file(data, "speedup", ".dat");
    block = strstr(text, "# mpi, lock none:"); /* 1 x 2's 1.92 */
    ck_assert_msg(block && strstr(block, "\n2 1.923077"), "%s", text);
    free(text);
    free(data);
    tu_rmrf(dir);
}
END_TEST

static Suite *figures_suite(void)
{
    Suite *s = suite_create("figures");
    TCase *tc = tcase_create("figures");

    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, every_figure_is_drawn_as_png_and_svg_without_a_warning, 0, 3);
    tcase_add_test(tc, drawing_without_csv_files_says_so);
    tcase_add_test(tc, the_figures_data_follow_from_the_csv_files);
    tcase_add_test(tc, each_figure_names_the_kernel_size_of_its_own_runs);
    tcase_add_test(tc, figures_show_pus_whatever_their_numbers);
    tcase_add_test(tc, serial_runs_alone_draw_one_figure);
    tcase_add_test(tc, a_backend_the_code_does_not_know_gets_its_own_series);
    tcase_add_test(tc, a_million_jobs_on_1024_workers_are_all_reported);
    tcase_add_test(tc, a_missing_pinned_run_leaves_its_panel_empty);
    tcase_add_test(tc, names_are_shown_as_they_are);
    tcase_add_loop_test(tc, partial_results_draw_the_figures_they_support, 0, NPARTIALS);
    tcase_add_test(tc, a_speedup_of_other_sizes_is_skipped_naming_them);
    tcase_add_test(tc, runs_made_now_of_serial_and_threads_are_drawn);
    tcase_add_loop_test(tc, a_malformed_file_still_stops_the_drawing, 0, 3);
    tcase_add_test(tc, the_figures_mark_cores_and_smt_threads_apart);
    tcase_add_loop_test(tc, without_smt_the_ideal_counts_pus, 0, 2);
    tcase_add_test(tc, mpi_ranks_are_drawn_beside_processes);
    tcase_add_test(tc, joblib_s_rows_are_drawn_beside_parlab_s);
    tcase_add_test(tc, without_mpi_rows_nothing_of_them_is_drawn);
    tcase_add_test(tc, lanes_before_the_ranks_column_are_named_from_the_jobs);
    tcase_add_test(tc, hybrid_runs_alone_are_drawn_a_lane_per_thread);
    tcase_add_test(tc, the_granularity_figure_follows_from_the_sweep_and_the_overheads);
    tcase_add_test(tc, the_simd_figure_sets_vectorising_beside_threads);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(figures_suite());
}
