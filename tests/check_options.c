/*
 * check_options.c - the command lines of the programs in bin/: --help and --version,
 * and every wrong command line exits 2 with one line that names the option, quotes
 * the value and states the limit, and touches no file.
 */
#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parlab/cli.h"
#include "parlab/kernel.h"
#include "parlab/run.h"

#include "testutil.h"

static const char *const programs[] = {"parlab-serial", "parlab-threads", "parlab-procs"};
#define NPROGRAMS (sizeof programs / sizeof programs[0])

#define NO_LIMIT -1.0

struct bad_line {
    const char *program;
    const char *args[6];
    const char *names[3]; /* what the one line must contain: option names, quoted values */
    double limit;         /* a number it must state (the range's bound), or NO_LIMIT */
};

static const struct bad_line bad_lines[] = {
    {"parlab-serial", {"--frobnicate"}, {"'--frobnicate'"}, NO_LIMIT},
    {"parlab-threads", {"-x"}, {"'-x'"}, NO_LIMIT},
    {"parlab-procs", {"--job", "3"}, {"'--job'"}, NO_LIMIT}, /* jobs, job-seconds, jobs-csv */
    {"parlab-serial", {"-j"}, {"--jobs", "value"}, NO_LIMIT},
    {"parlab-threads", {"--runs-csv"}, {"--runs-csv", "value"}, NO_LIMIT},
    {"parlab-procs", {"--timeout"}, {"--timeout", "value"}, NO_LIMIT},
    {"parlab-serial", {"extra"}, {"'extra'"}, NO_LIMIT},
    {"parlab-threads", {"-j", "4", "stray", "words"}, {"'stray'"}, NO_LIMIT},
    {"parlab-procs", {"-j", "3", "-j", "4"}, {"--jobs", "'3'", "'4'"}, NO_LIMIT},
    {"parlab-serial", {"-l", "held", "--lock", "none"}, {"--lock", "'held'", "'none'"}, NO_LIMIT},
    {"parlab-threads", {"-n", "10", "-t", "0.1"}, {"--size", "--job-seconds"}, NO_LIMIT},
    {"parlab-procs", {"--runs-csv", "a.csv", "--jobs-csv", "a.csv"},
     {"--runs-csv", "--jobs-csv", "'a.csv'"}, NO_LIMIT},
    {"parlab-serial", {"-w", "2"}, {"--workers", "'2'"}, 1},
    {"parlab-threads", {"-w", "1025"}, {"--workers", "'1025'"}, CLI_MAX_WORKERS},
    {"parlab-procs", {"-w", "0"}, {"--workers", "'0'"}, CLI_MAX_WORKERS},
    {"parlab-procs", {"-w", "2.5"}, {"--workers", "'2.5'"}, CLI_MAX_WORKERS},
    {"parlab-serial", {"-j", "1000001"}, {"--jobs", "'1000001'"}, CLI_MAX_JOBS},
    {"parlab-threads", {"-j", "0x10"}, {"--jobs", "'0x10'"}, CLI_MAX_JOBS},
    {"parlab-procs", {"--jobs", "1e3"}, {"--jobs", "'1e3'"}, CLI_MAX_JOBS},
    {"parlab-serial", {"-r", "1001"}, {"--reps", "'1001'"}, CLI_MAX_REPS},
    {"parlab-threads", {"-r", " 3"}, {"--reps", "' 3'"}, CLI_MAX_REPS},
    {"parlab-procs", {"--reps", "3 "}, {"--reps", "'3 '"}, CLI_MAX_REPS},
    {"parlab-serial", {"-n", "145057"}, {"--size", "'145057'"}, KERNEL_MAX_SIZE},
    {"parlab-threads", {"-n", "18446744073709551616"}, {"--size"}, KERNEL_MAX_SIZE},
    {"parlab-procs", {"--size", "+5"}, {"--size", "'+5'"}, KERNEL_MAX_SIZE},
    {"parlab-serial", {"--sizes", "list:"}, {"--sizes", "'list:'"}, KERNEL_MAX_SIZE},
    {"parlab-threads", {"--sizes", "list:60,,80"}, {"--sizes", "'list:60,,80'"}, KERNEL_MAX_SIZE},
    {"parlab-procs", {"--sizes", "list:60,145057"}, {"--sizes", "'145057'"}, KERNEL_MAX_SIZE},
    {"parlab-serial", {"--sizes", "ramp:60"}, {"--sizes", "'ramp:60'"}, KERNEL_MAX_SIZE},
    {"parlab-threads", {"--sizes", "ramp:60-1e2"}, {"--sizes", "'1e2'"}, KERNEL_MAX_SIZE},
    {"parlab-procs", {"--sizes", "ramp:-5-10"}, {"--sizes", "'ramp:-5-10'"}, KERNEL_MAX_SIZE},
    {"parlab-serial", {"--sizes", "60,80"}, {"--sizes", "'60,80'", "ramp:A-B"}, KERNEL_MAX_SIZE},
    {"parlab-threads", {"--sizes", ""}, {"--sizes", "''"}, KERNEL_MAX_SIZE},
    {"parlab-procs", {"--sizes", "ramp:60-160", "-n", "50"}, {"--sizes", "--size "}, NO_LIMIT},
    {"parlab-serial", {"-t", "0.1", "--sizes", "list:9"}, {"--sizes", "--job-seconds"}, NO_LIMIT},
    {"parlab-threads", {"--schedule", "static,0"}, {"--schedule", "'static,0'"}, CLI_MAX_CHUNK},
    {"parlab-threads", {"--schedule", "auto"}, {"--schedule", "'auto'", "guided"}, CLI_MAX_CHUNK},
    {"parlab-threads", {"--schedule", "dynamic,"}, {"--schedule", "'dynamic,'"}, CLI_MAX_CHUNK},
    {"parlab-threads", {"--schedule", "Static"}, {"--schedule", "'Static'"}, CLI_MAX_CHUNK},
    {"parlab-threads", {"--schedule", "guided,1000001"}, {"--schedule"}, CLI_MAX_CHUNK},
    {"parlab-threads", {"--schedule", "static,2,3"}, {"--schedule", "'static,2,3'"}, CLI_MAX_CHUNK},
    {"parlab-threads", {"--schedule", "static", "--schedule", "dynamic"},
     {"--schedule", "'static'", "'dynamic'"}, NO_LIMIT},
    {"parlab-procs", {"--schedule", "static"}, {"--schedule", "parlab-threads", "queue"}, NO_LIMIT},
    {"parlab-serial", {"--schedule", "dynamic,1"}, {"--schedule", "parlab-threads", "order"},
     NO_LIMIT},
    {"parlab-serial", {"--label", ""}, {"--label", "''"}, CLI_MAX_LABEL},
    {"parlab-threads", {"--label", " alice"}, {"--label", "' alice'"}, CLI_MAX_LABEL},
    {"parlab-procs", {"--label", "alice "}, {"--label", "'alice '"}, CLI_MAX_LABEL},
    {"parlab-serial", {"--label", "a\tb"}, {"--label", "'a\\x09b'"}, CLI_MAX_LABEL},
    {"parlab-threads", {"--label", "a\nb"}, {"--label", "'a\\x0ab'"}, CLI_MAX_LABEL},
    {"parlab-procs", {"--label", "a\xc3(b"}, {"--label", "'a\\xc3(b'"}, CLI_MAX_LABEL},
    {"parlab-serial", {"--label", "a\x7f"}, {"--label", "'a\\x7f'"}, CLI_MAX_LABEL},
    {"parlab-threads",
     {"--label", "12345678901234567890123456789012345678901234567890123456789012345"},
     {"--label", "'12345678901234567890123456789012345678901234567890123456789012345'"},
     CLI_MAX_LABEL},
    {"parlab-procs", {"--label", "ann", "--label", "bob"}, {"--label", "'ann'", "'bob'"},
     NO_LIMIT},
    {"parlab-serial", {"-t", "3600.5"}, {"--job-seconds", "'3600.5'"}, CLI_MAX_JOB_SECONDS},
    {"parlab-threads", {"-t", "nan"}, {"--job-seconds", "'nan'"}, CLI_MAX_JOB_SECONDS},
    {"parlab-procs", {"--job-seconds", "-0.1"}, {"--job-seconds", "'-0.1'"}, CLI_MAX_JOB_SECONDS},
    {"parlab-serial", {"-t", "1e-400"}, {"--job-seconds", "'1e-400'"}, CLI_MAX_JOB_SECONDS},
    {"parlab-threads", {"--timeout", "0"}, {"--timeout", "'0'"}, CLI_MAX_TIMEOUT},
    {"parlab-procs", {"--timeout", "-1"}, {"--timeout", "'-1'"}, CLI_MAX_TIMEOUT},
    {"parlab-serial", {"--timeout", "1w"}, {"--timeout", "'1w'"}, CLI_MAX_TIMEOUT},
    {"parlab-threads", {"--timeout", "604801"}, {"--timeout", "'604801'"}, CLI_MAX_TIMEOUT},
    {"parlab-procs", {"--timeout", ""}, {"--timeout", "''"}, CLI_MAX_TIMEOUT},
    {"parlab-serial", {"--kernel", "bogus"}, {"--kernel", "'bogus'", "simd"}, NO_LIMIT},
    {"parlab-threads", {"--kernel", "SIMD"}, {"--kernel", "'SIMD'", "scalar"}, NO_LIMIT},
    {"parlab-procs", {"--kernel", ""}, {"--kernel", "''"}, NO_LIMIT},
    {"parlab-serial", {"--kernel", "simd", "--kernel", "scalar"}, {"--kernel", "'simd'", "'scalar'"},
     NO_LIMIT},
    {"parlab-serial", {"-l", "gil"}, {"--lock", "'gil'", "held"}, NO_LIMIT},
    {"parlab-threads", {"--lock", ""}, {"--lock"}, NO_LIMIT},
    {"parlab-procs", {"-p", "nearby"}, {"--pin", "'nearby'", "spread"}, NO_LIMIT},
    {"parlab-serial", {"-p", "pus:"}, {"--pin", "'pus:'"}, NO_LIMIT},
    {"parlab-threads", {"--pin", "pus:5-2"}, {"--pin", "'pus:5-2'"}, NO_LIMIT},
    {"parlab-procs", {"--pin", "pus:1,,2"}, {"--pin", "'pus:1,,2'"}, 65535},
    {"parlab-serial", {"--quiet=yes"}, {"--quiet"}, NO_LIMIT},
    {"parlab-threads", {"--jobs-csv", ""}, {"--jobs-csv", "''"}, NO_LIMIT},
    {"parlab-procs", {"--runs-csv=", "-j", "2"}, {"--runs-csv", "''"}, NO_LIMIT},
    {"parlab-topo", {"-w", "0"}, {"--workers", "'0'"}, CLI_MAX_WORKERS},
    {"parlab-topo", {"--pin", "far"}, {"--pin", "'far'"}, NO_LIMIT},
    {"parlab-summary", {"--runs-csv"}, {"--runs-csv", "value"}, NO_LIMIT},
    {"parlab-summary", {"results"}, {"'results'"}, NO_LIMIT},
    {"parlab-topo", {"--csv=yes"}, {"--csv"}, NO_LIMIT},
    {"parlab-report", {"--figure-data"}, {"--figure-data", "value"}, NO_LIMIT},
    {"parlab-report", {"--markdown=yes"}, {"--markdown"}, NO_LIMIT},
    {"parlab-report", {"-w", "0"}, {"--workers", "'0'"}, CLI_MAX_WORKERS},
    {"parlab-report", {"--markdown", "--figure-data", "d"}, {"--markdown", "--figure-data"}, NO_LIMIT},
};

#define NBAD_LINES (sizeof bad_lines / sizeof bad_lines[0])

/* Whether the runners refuse a line: they share cli_parse, and parlab-topo, -summary
 * and -report each have a parser of their own. */
static bool is_runner(const char *program)
{
    for (size_t p = 0; p < NPROGRAMS; p++)
        if (strcmp(program, programs[p]) == 0)
            return true;
    return false;
}

/* Two lines of one kind: the same parser refuses them, naming the same option first,
 * with the same limit or none. */
static bool same_kind(const struct bad_line *a, const struct bad_line *b)
{
    bool one_parser = strcmp(a->program, b->program) == 0 ||
                      (is_runner(a->program) && is_runner(b->program));

    return one_parser && strcmp(a->names[0], b->names[0]) == 0 && a->limit == b->limit;
}

/* The lines the loop test runs, by their index in bad_lines: every one, or under
 * valgrind (a second or so a program) the first of each kind; the plain and sanitizer
 * passes run the others. */
static int picked[NBAD_LINES];

static int pick_bad_lines(void)
{
    int n = 0;

    for (size_t i = 0; i < NBAD_LINES; i++) {
        bool first = true;

        for (size_t k = 0; k < i && first && tu_under_valgrind(); k++)
            first = !same_kind(&bad_lines[k], &bad_lines[i]);
        if (first)
            picked[n++] = (int)i;
    }
    return n;
}

/* Every name of b is in what was said, and the limit, when there is one. */
static bool names_all(const struct bad_line *b, const char *said)
{
    for (size_t k = 0; k < sizeof b->names / sizeof b->names[0] && b->names[k]; k++)
        if (strstr(said, b->names[k]) == NULL)
            return false;
    return b->limit == NO_LIMIT || tu_has_number(said, b->limit);
}

START_TEST(bad_command_lines_exit_2_with_one_line_and_touch_nothing)
{
    const struct bad_line *b = &bad_lines[picked[_i]];
    char cwd_runs[] = "a.csv", hint[64];
    struct tu_results d;
    struct proc_result r;
    struct stat st;

    tu_results_make(&d);
    tu_run(&r, b->program, b->args);
    snprintf(hint, sizeof hint, "'%s --help'", b->program); /* how to read the options */
    ck_assert_msg(r.status == 2, "%s %s: exit %d", b->program, b->args[0], r.status);
    ck_assert_msg(tu_count_lines(r.err) == 1 && names_all(b, r.err) && strstr(r.err, hint),
                  "%s %s: said %s", b->program, b->args[0], r.err);
    ck_assert_str_eq(r.out, "");
    ck_assert_int_eq(stat(cwd_runs, &st), -1);
    tu_results_expect_untouched(&d);
    tu_result_release(&r);
    tu_results_remove(&d);
}
END_TEST

START_TEST(bad_numbers_exit_2_with_one_line_and_touch_no_file)
{
    static const struct {
        const char *opt, *name, *bad[6];
        double max; /* the range's upper bound, which the line states */
    } cases[] = {
        {"-j", "--jobs", {"-1", "0", "12abc", "", "99999999999999999999", NULL}, CLI_MAX_JOBS},
        {"--workers", "--workers", {"-1", "0", "3x", "", "18446744073709551617", NULL},
         CLI_MAX_WORKERS},
        {"-n", "--size", {"-1", "145057", "1e3", "", "99999999999999999999", NULL},
         KERNEL_MAX_SIZE},
        {"--job-seconds", "--job-seconds", {"-1", "0", "0.5s", "", "1e999", NULL},
         CLI_MAX_JOB_SECONDS},
        {"-r", "--reps", {"-1", "0", "two", "", "99999999999999999999", NULL}, CLI_MAX_REPS},
    };
    char *dir = tu_tmpdir(), *existing = tu_path(dir, "runs.csv");
    char *fresh = tu_path(dir, "jobs.csv");
    struct stat st;

    tu_write_file(existing, RUNS_CSV_HEADER "\n");
    for (size_t p = 0; p < NPROGRAMS; p++)
        for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
            for (const char *const *bad = cases[c].bad; *bad != NULL; bad++) {
                size_t v = (size_t)(bad - cases[c].bad);
                const char *args[] = {cases[c].opt, *bad, "--runs-csv", existing,
                                      "--jobs-csv", fresh, NULL};
                bool serial_workers = p == 0 && strcmp(cases[c].name, "--workers") == 0;
                double max = serial_workers ? 1 : cases[c].max;
                struct proc_result r;
                char *text;

                /* Under valgrind each option once, each with another kind of bad value
                 * (-1, 0, 1e3, empty, too large), the programs in turn: check_cli
                 * refuses every value of every option with cli_parse in its own
                 * process there, and what a program adds, the one line, exit 2 and
                 * no file, is the same for all of them. */
                if (tu_under_valgrind() && (p != c % NPROGRAMS || v != c))
                    continue;
                tu_run(&r, programs[p], args);
                ck_assert_msg(r.status == 2, "%s %s '%s' exited %d", programs[p], cases[c].opt,
                              *bad, r.status);
                ck_assert_msg(tu_count_lines(r.err) == 1 && strstr(r.err, cases[c].name) &&
                                  tu_has_number(r.err, max),
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

/* The number just before the first `unit` in text ("about 120.9 hours"), or -1. */
static double number_before(const char *text, const char *unit)
{
    const char *u = strstr(text, unit), *p = u;

    if (u == NULL)
        return -1;
    while (p > text && p[-1] == ' ')
        p--;
    while (p > text && ((p[-1] >= '0' && p[-1] <= '9') || p[-1] == '.'))
        p--;
    return p < u && *p >= '0' && *p <= '9' ? strtod(p, NULL) : -1;
}

START_TEST(a_run_of_over_an_hour_needs_yes)
{
    const char *refused[] = {"-n", "3000", "-q", NULL};
    const char *allowed[] = {"-n", "3000", "-q", "--yes", "--timeout", "0.3", NULL};
    struct proc_result r;

    tu_run(&r, "parlab-serial", refused);
    ck_assert_int_eq(r.status, 2);
    /* the estimate, and what it is made of: 3 counted runs of 12 jobs (the warm-up's
     * short jobs are in the estimate, not in the count) */
    ck_assert_msg(tu_count_lines(r.err) == 1 && number_before(r.err, "hour") > 1.0 &&
                      tu_has_number(r.err, 3) && tu_has_number(r.err, 12) &&
                      tu_mentions(r.err, "--yes", NULL),
                  "said: %s", r.err);
    ck_assert_str_eq(r.out, "");
    tu_result_release(&r);
    tu_run(&r, "parlab-serial", allowed); /* it starts, and the timeout ends it */
    ck_assert_int_eq(r.status, 1);
    ck_assert_msg(tu_number_after(r.err, "timed out") == 0.3, "said: %s", r.err);
    tu_result_release(&r);
}
END_TEST

START_TEST(help_and_version_exit_0_on_stdout)
{
    for (size_t p = 0; p < NPROGRAMS; p++) {
        const char *help[] = {"--help", NULL}, *version[] = {"-V", NULL};
        static const char *const options[] = {"--jobs", "--workers", "--size", "--lock",
                                              "--reps", "--runs-csv", "--jobs-csv", "--pin",
                                              "--timeout", "--help", "--version"};
        struct proc_result r;

        tu_run(&r, programs[p], help);
        ck_assert_int_eq(r.status, 0);
        ck_assert_ptr_nonnull(strstr(r.out, "Usage:"));
        for (size_t k = 0; k < sizeof options / sizeof options[0]; k++)
            ck_assert_msg(strstr(r.out, options[k]), "%s --help lacks %s", programs[p],
                          options[k]);
        ck_assert_msg(tu_has_number(r.out, CLI_MAX_WORKERS) || p == 0,
                      "%s --help does not state the most workers", programs[p]);
        ck_assert_msg((strstr(r.out, "--schedule") != NULL) == (strcmp(programs[p],
                                                                        "parlab-threads") == 0),
                      "%s --help and --schedule", programs[p]); /* OpenMP's option only */
        ck_assert_str_eq(r.err, "");
        tu_result_release(&r);
        tu_run(&r, programs[p], version);
        ck_assert_int_eq(r.status, 0);
        ck_assert_ptr_nonnull(strstr(r.out, programs[p]));
        ck_assert_ptr_nonnull(strstr(r.out, "(parlab) " PARLAB_VERSION));
        ck_assert_str_eq(r.err, "");
        tu_result_release(&r);
    }
}
END_TEST

/* Without -w, parlab-threads runs OMP_NUM_THREADS threads, as any OpenMP program
 * does, and says so; -w wins over it; a value that is no W is refused; the processes
 * program is not an OpenMP one and keeps its default. */
START_TEST(omp_num_threads_gives_the_threads_without_w)
{
    char *dir = tu_tmpdir(), *runs = tu_path(dir, "runs.csv"), *jobs = tu_path(dir, "jobs.csv");
    const char *two[] = {"OMP_NUM_THREADS=2,1", NULL};
    const char *args[] = {"-q", "-n", "30", "-j", "8", "-r", "1", "--runs-csv", runs,
                          "--jobs-csv", jobs, NULL};
    const char *with_w[] = {"-q", "-n", "30", "-j", "8", "-r", "1", "-w", "1", NULL};
    struct proc_result r;
    struct csv_table t;

    tu_run_env(&r, two, "parlab-threads", args);
    ck_assert_msg(r.status == 0, "exited %d: %s", r.status, r.err);
    ck_assert_msg(strstr(r.out, "on 2 OpenMP threads (from OMP_NUM_THREADS)"), "said: %s", r.out);
    tu_result_release(&r);
    tu_read_csv(runs, &t);
    ck_assert_str_eq(tu_field(&t, 1, "workers"), "2");
    csv_table_release(&t);
    tu_read_csv(jobs, &t);
    for (size_t row = 1; row < t.nrows; row++)
        ck_assert_msg(tu_num(&t, row, "worker") < 2, "job %zu ran on worker %s", row,
                      tu_field(&t, row, "worker"));
    csv_table_release(&t);

    tu_run_env(&r, two, "parlab-threads", with_w);
    ck_assert_msg(r.status == 0 && strstr(r.out, "on 1 OpenMP thread, "), "said: %s", r.out);
    tu_result_release(&r);
    tu_run_env(&r, two, "parlab-procs", with_w + 0);
    ck_assert_int_eq(r.status, 0);
    tu_result_release(&r);
    {
        const char *none[] = {"-q", "-n", "30", "-j", "2", "-r", "1", NULL};

        tu_run_env(&r, two, "parlab-procs", none);
        ck_assert_msg(r.status == 0 && strstr(r.out, "on 3 processes (the default)"), "said: %s",
                      r.out);
        tu_result_release(&r);
    }
    {
        static const char *const bad[] = {"OMP_NUM_THREADS=0", "OMP_NUM_THREADS=abc",
                                          "OMP_NUM_THREADS=99999", "OMP_NUM_THREADS=2x"};
        const char *none[] = {"-q", "-n", "30", "-j", "2", "-r", "1", NULL};

        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            const char *env[] = {bad[i], NULL};
            char line[512];

            tu_run_env(&r, env, "parlab-threads", none);
            ck_assert_int_eq(r.status, 2);
            /* libgomp itself may have said a line about the value before main() */
            ck_assert_msg(tu_line(r.err, "parlab-threads: OMP_NUM_THREADS=", line, sizeof line) &&
                              strstr(line, bad[i] + strlen("OMP_NUM_THREADS=")),
                          "%s: said %s", bad[i], r.err);
            ck_assert_str_eq(r.out, "");
            tu_result_release(&r);
        }
    }
    free(jobs);
    free(runs);
    tu_rmrf(dir);
}
END_TEST

/* --label names who measured, else PARLAB_LABEL when it is set and not empty: in the
 * headline and in runs.csv's label column; a bad PARLAB_LABEL is refused as a bad
 * --label is, and 64 characters, not bytes, are the limit. */
START_TEST(a_label_comes_from_label_or_parlab_label)
{
    static const struct {
        const char *env, *option, *label; /* NULL: none given; label: what is recorded */
    } cases[] = {
        {NULL, "Zo\xc3\xab M\xc3\xbcller", "Zo\xc3\xab M\xc3\xbcller"},
        {"PARLAB_LABEL=bob", NULL, "bob"},
        {"PARLAB_LABEL=bob", "alice", "alice"}, /* the option wins */
        {"PARLAB_LABEL=", NULL, ""},            /* empty: as if unset */
        {NULL, NULL, ""},
        {NULL, "s1234, group 'B'", "s1234, group 'B'"}, /* CSV and shell quoting */
    };
    char *dir = tu_tmpdir(), *runs = tu_path(dir, "runs.csv"), wide[64 * 2 + 1] = "";

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *env[] = {"PARLAB_LABEL=", NULL};
        const char *args[] = {"-n", "20", "-j", "2", "-r", "1", "-q", "--runs-csv", runs,
                              cases[i].option ? "--label" : NULL, cases[i].option, NULL};
        struct proc_result r;
        struct csv_table t;
        char headline[512], said[600];

        if (cases[i].env != NULL)
            env[0] = cases[i].env;
        unlink(runs);
        tu_run_env(&r, env, "parlab-serial", args);
        ck_assert_msg(r.status == 0, "case %zu: exit %d: %s", i, r.status, r.err);
        ck_assert(tu_line(r.out, "parlab-serial", headline, sizeof headline));
        snprintf(said, sizeof said, ", label %s", cases[i].label);
        ck_assert_msg(cases[i].label[0] ? strstr(headline, said) != NULL
                                        : strstr(headline, "label") == NULL,
                      "case %zu: %s", i, headline);
        tu_read_csv(runs, &t);
        ck_assert_str_eq(tu_field(&t, 1, "label"), cases[i].label);
        csv_table_release(&t);
        tu_result_release(&r);
    }
    for (int k = 0; k < 64; k++) /* 64 characters of 2 bytes each */
        strcat(wide, "\xc3\xa9");
    {
        const char *args[] = {"-n", "20", "-j", "2", "-r", "1", "-q", "--label", wide, NULL};
        const char *bad[] = {"PARLAB_LABEL=a\nb", NULL};
        const char *none[] = {"-n", "20", "-j", "2", "-r", "1", "-q", "--runs-csv", runs, NULL};
        struct proc_result r;

        tu_run_ok("parlab-serial", args);
        unlink(runs);
        tu_run_env(&r, bad, "parlab-threads", none);
        ck_assert_int_eq(r.status, 2);
        ck_assert_msg(tu_count_lines(r.err) == 1 && tu_mentions(r.err, "PARLAB_LABEL", "'a\\x0ab'",
                                                                "--label", NULL),
                      "said: %s", r.err);
        ck_assert_int_eq(access(runs, F_OK), -1);
        tu_result_release(&r);
    }
    { /* a speedup divides by the serial runs of the same label only */
        const char *ann[] = {"-n", "20", "-j", "2", "-r", "1", "-q", "--runs-csv", runs,
                             "--label", "ann", NULL};
        const char *bob[] = {"-n", "20", "-j", "2", "-r", "1", "-q", "--runs-csv", runs,
                             "--label", "bob", NULL};
        struct proc_result r;
        char line[1024];

        tu_run_ok("parlab-serial", ann);
        tu_run(&r, "parlab-threads", ann);
        ck_assert_msg(r.status == 0 && tu_line(r.out, "speedup over serial:", line, sizeof line) &&
                          strstr(line, "none") == NULL,
                      "said: %s", r.out);
        tu_result_release(&r);
        tu_run(&r, "parlab-threads", bob);
        ck_assert_msg(r.status == 0 && tu_line(r.out, "speedup over serial:", line, sizeof line) &&
                          tu_mentions(line, "none", "labelled bob", "--label bob --runs-csv",
                                      NULL),
                      "said: %s", r.out);
        tu_result_release(&r);
    }
    free(runs);
    tu_rmrf(dir);
}
END_TEST

/* --kernel simd runs the vectorised kernel, PARLAB_KERNEL_ISA its variant: the
 * headline says which, every result is checked, runs.csv's kernel and isa columns and
 * jobs.csv's kernel column record it; the default is scalar, with an empty isa; a
 * PARLAB_KERNEL_ISA that is no variant is refused with one line, nothing written. */
START_TEST(the_kernel_is_chosen_shown_and_recorded)
{
    static const struct {
        const char *program, *env, *kernel, *lock; /* kernel NULL: the default */
    } cases[] = {
        {"parlab-serial", "PARLAB_KERNEL_ISA=sse2", "simd", "fraction:0.5"},
        {"parlab-threads", "PARLAB_KERNEL_ISA=", "simd", "none"},
        {"parlab-procs", "PARLAB_KERNEL_ISA=sse2", "simd", "held"},
        {"parlab-threads", "PARLAB_KERNEL_ISA=sse2", NULL, "none"},
        {"parlab-procs", "PARLAB_KERNEL_ISA=", "scalar", "none"},
    };
    char *dir = tu_tmpdir(), *runs = tu_path(dir, "runs.csv"), *jobs = tu_path(dir, "jobs.csv");

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *env[] = {cases[i].env, NULL};
        const char *args[] = {"-n", "30", "-j", "3", "-w", "1", "-r", "1", "-l", cases[i].lock,
                              "--runs-csv", runs, "--jobs-csv", jobs,
                              cases[i].kernel ? "--kernel" : NULL, cases[i].kernel, NULL};
        bool simd = cases[i].kernel != NULL && strcmp(cases[i].kernel, "simd") == 0;
        const char *isa = "";
        struct proc_result r;
        struct csv_table t;
        char headline[512], said[128], line[512], best[16];
        bool same_cpu;

        unlink(runs);
        unlink(jobs);
        tu_run_env(&r, env, cases[i].program, args);
        ck_assert_msg(r.status == 0, "case %zu: exit %d: %s", i, r.status, r.err);
        if (simd && strcmp(cases[i].env, "PARLAB_KERNEL_ISA=sse2") == 0) {
            isa = "sse2";
        } else if (simd) { /* the best the program's CPU has: check_kernel knows which;
                            * under valgrind (no AVX-512) the program may run outside it */
            tu_read_csv(runs, &t);
            snprintf(best, sizeof best, "%s", tu_field(&t, 1, "isa"));
            csv_table_release(&t);
            ck_assert_msg(kernel_simd_check_isa(best) == 0 || errno == ENOTSUP,
                          "case %zu: isa '%s'", i, best);
            isa = best;
        }
        ck_assert(tu_line(r.out, cases[i].program, headline, sizeof headline));
        snprintf(said, sizeof said, ", kernel simd (%s)", isa);
        ck_assert_msg(simd ? strstr(headline, said) != NULL : strstr(headline, "kernel") == NULL,
                      "case %zu: %s", i, headline);
        snprintf(said, sizeof said, "ns per step with %s%s%s (", simd ? "simd" : "scalar",
                 simd ? " " : "", isa);
        ck_assert_msg(tu_line(r.out, "kernel:", line, sizeof line) && strstr(line, said),
                      "case %zu: %s", i, r.out);
        tu_read_csv(runs, &t);
        ck_assert_uint_eq(t.nrows, 2);
        ck_assert_str_eq(tu_field(&t, 1, "kernel"), simd ? "simd" : "scalar");
        ck_assert_str_eq(tu_field(&t, 1, "isa"), isa);
        ck_assert_str_eq(tu_field(&t, 1, "jobs_ok"), "3");
        csv_table_release(&t);
        tu_read_csv(jobs, &t);
        ck_assert_uint_eq(t.nrows, 1 + 3);
        same_cpu = !simd || kernel_simd_force(isa) == 0;
        for (size_t row = 1; row < t.nrows; row++) {
            ck_assert_str_eq(tu_field(&t, row, "kernel"), simd ? "simd" : "scalar");
            ck_assert_str_eq(tu_field(&t, row, "ok"), "1");
            /* the very kernel named: the same variant gives the same bits here (with
             * AVX-512, simd's differ from scalar's in the last at n = 30); a split
             * job (fraction) adds its parts otherwise */
            if (strcmp(cases[i].lock, "fraction:0.5") != 0 && same_cpu)
                ck_assert_msg(tu_num(&t, row, "result") ==
                                  kernel_run_kind(simd ? KERNEL_SIMD : KERNEL_SCALAR, 30),
                              "case %zu: %s", i, tu_field(&t, row, "result"));
        }
        csv_table_release(&t);
        tu_result_release(&r);
    }
    {
        static const char *const bad[] = {"PARLAB_KERNEL_ISA=bogus", "PARLAB_KERNEL_ISA=SSE2",
                                          "PARLAB_KERNEL_ISA=avx"};
        const char *args[] = {"-n", "20", "-j", "2", "-r", "1", "--kernel", "simd",
                              "--runs-csv", runs, NULL};

        for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
            const char *env[] = {bad[k], NULL};
            char value[32];
            struct proc_result r;

            snprintf(value, sizeof value, "'%s'", strchr(bad[k], '=') + 1);
            unlink(runs);
            tu_run_env(&r, env, programs[k % NPROGRAMS], args);
            ck_assert_int_eq(r.status, 2);
            ck_assert_msg(tu_count_lines(r.err) == 1 &&
                              tu_mentions(r.err, "PARLAB_KERNEL_ISA", value, "sse2", NULL),
                          "said: %s", r.err);
            ck_assert_str_eq(r.out, "");
            ck_assert_int_eq(access(runs, F_OK), -1);
            tu_result_release(&r);
        }
    }
    free(runs);
    free(jobs);
    tu_rmrf(dir);
}
END_TEST

/* -t chooses n with the kernel that will run: a simd job calibrated with the scalar
 * kernel's rate would take a fifth of the time asked (AVX-512) or a half (SSE2). */
START_TEST(minus_t_calibrates_with_the_kernel_that_runs)
{
    char *dir = tu_tmpdir(), *jobs = tu_path(dir, "jobs.csv");
    const char *args[] = {"-t", "0.1", "-j", "2", "-r", "1", "--kernel", "simd",
                          "--jobs-csv", jobs, NULL};
    struct proc_result r;
    struct csv_table t;

    if (tu_under_valgrind()) {
        free(jobs);
        tu_rmrf(dir);
        tu_skip("valgrind runs the kernel 50 times slower, and not evenly: timed as built");
    }
    tu_run(&r, "parlab-serial", args);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    tu_read_csv(jobs, &t);
    for (size_t row = 1; row < t.nrows; row++) /* its own CPU time: others barely touch it */
        ck_assert_msg(tu_num(&t, row, "cpu_s") > 0.1 / 2.5 && tu_num(&t, row, "cpu_s") < 0.1 * 2.5,
                      "a job of -t 0.1 took %s s of CPU: %s", tu_field(&t, row, "cpu_s"), r.out);
    csv_table_release(&t);
    tu_result_release(&r);
    free(jobs);
    tu_rmrf(dir);
}
END_TEST

static Suite *options_suite(void)
{
    Suite *s = suite_create("options");
    TCase *tc = tcase_create("options");

    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, bad_command_lines_exit_2_with_one_line_and_touch_nothing, 0,
                        pick_bad_lines());
    tcase_add_test(tc, bad_numbers_exit_2_with_one_line_and_touch_no_file);
    tcase_add_test(tc, a_run_of_over_an_hour_needs_yes);
    tcase_add_test(tc, help_and_version_exit_0_on_stdout);
    tcase_add_test(tc, omp_num_threads_gives_the_threads_without_w);
    tcase_add_test(tc, a_label_comes_from_label_or_parlab_label);
    tcase_add_test(tc, the_kernel_is_chosen_shown_and_recorded);
    tcase_add_test(tc, minus_t_calibrates_with_the_kernel_that_runs);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(options_suite());
}
