/*
 * check_cli.c - the shared command line: defaults, ranges, and every way to get it
 * wrong.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "parlab/cli.h"
#include "parlab/kernel.h"

#include "testutil.h"

static int no_jobs(struct run *run)
{
    (void)run;
    return 0;
}

static const struct backend parallel_backend = {
    .name = "parlab-test", .workers_are = "workers", .worker = WORKER_THREAD,
    .max_workers = 1024, .shares_memory = true,
};
static const struct backend serial_backend = {
    .name = "parlab-serial-test", .workers_are = "thread", .worker = WORKER_THREAD,
    .max_workers = 1, .baseline = true, .shares_memory = true,
};
static const struct program parallel = {
    .backend = &parallel_backend, .summary = "s", .details = "d", .run_jobs = no_jobs,
};
static const struct program serial = {
    .backend = &serial_backend, .summary = "s", .details = "d", .run_jobs = no_jobs,
};

/* Parses the NULL-terminated words after the program name. */
static enum cli_result parse(const struct program *prog, struct options *opt, char *msg,
                             const char *const *words)
{
    char *argv[32];
    int argc = 0;

    argv[argc++] = (char *)prog->backend->name;
    while (*words)
        argv[argc++] = (char *)*words++;
    argv[argc] = NULL;
    return cli_parse(opt, prog, argc, argv, msg, 256);
}

#define PARSE(prog, opt, msg, ...) parse(prog, opt, msg, (const char *const[]){__VA_ARGS__, NULL})

START_TEST(no_options_gives_the_lecture_defaults)
{
    struct options opt;
    char msg[256];
    const char *const none[] = {NULL};

    ck_assert_int_eq(parse(&parallel, &opt, msg, none), CLI_RUN);
    ck_assert_uint_eq(opt.jobs, 12);
    ck_assert_uint_eq(opt.workers, 3);
    ck_assert_uint_eq(opt.reps, 3);
    ck_assert_double_eq(opt.job_seconds, 0.25);
    ck_assert(!opt.size_given);
    ck_assert_str_eq(opt.lock.name, "none");
    ck_assert_int_eq(opt.kernel, KERNEL_SCALAR);
    ck_assert_ptr_null(opt.runs_csv);
    ck_assert(!opt.quiet);
    ck_assert_int_eq(parse(&serial, &opt, msg, none), CLI_RUN);
    ck_assert_uint_eq(opt.workers, 1);
}
END_TEST

START_TEST(every_option_is_taken)
{
    struct options opt;
    char msg[256];

    ck_assert_int_eq(PARSE(&parallel, &opt, msg, "-j", "7", "--workers=5", "-n", "0", "-l",
                           "held", "--reps", "1000", "--runs-csv", "r.csv", "--jobs-csv",
                           "j.csv", "-q"),
                     CLI_RUN);
    ck_assert_uint_eq(opt.jobs, 7);
    ck_assert_uint_eq(opt.workers, 5);
    ck_assert(opt.size_given);
    ck_assert_uint_eq(opt.size, 0);
    ck_assert_str_eq(opt.lock.name, "held");
    ck_assert_uint_eq(opt.reps, 1000);
    ck_assert_str_eq(opt.runs_csv, "r.csv");
    ck_assert_str_eq(opt.jobs_csv, "j.csv");
    ck_assert(opt.quiet);
    ck_assert_int_eq(PARSE(&parallel, &opt, msg, "-t", "1.5e-1"), CLI_RUN);
    ck_assert_double_eq(opt.job_seconds, 0.15);
    ck_assert_int_eq(PARSE(&parallel, &opt, msg, "--job-seconds", ".5"), CLI_RUN);
    ck_assert_double_eq(opt.job_seconds, 0.5);
    ck_assert_int_eq(PARSE(&parallel, &opt, msg, "--kernel", "simd"), CLI_RUN);
    ck_assert_int_eq(opt.kernel, KERNEL_SIMD);
    ck_assert_int_eq(PARSE(&serial, &opt, msg, "--kernel=scalar"), CLI_RUN);
    ck_assert_int_eq(opt.kernel, KERNEL_SCALAR);
    ck_assert_int_eq(PARSE(&serial, &opt, msg, "--kernel", "vector"), CLI_ERROR);
    ck_assert_str_eq(msg, "invalid value 'vector' for --kernel: expected scalar or simd");
}
END_TEST

START_TEST(range_limits_are_inclusive)
{
    struct options opt;
    char msg[256], max_size[32], past_size[32];

    snprintf(max_size, sizeof max_size, "%llu", (unsigned long long)KERNEL_MAX_SIZE);
    snprintf(past_size, sizeof past_size, "%llu", (unsigned long long)KERNEL_MAX_SIZE + 1);
    ck_assert_int_eq(PARSE(&parallel, &opt, msg, "-j", "1000000", "-w", "1024", "-r", "1"),
                     CLI_RUN);
    ck_assert_int_eq(PARSE(&parallel, &opt, msg, "-n", max_size), CLI_RUN);
    ck_assert_uint_eq(opt.size, KERNEL_MAX_SIZE);
    ck_assert_int_eq(PARSE(&parallel, &opt, msg, "-t", "3600"), CLI_RUN);
    ck_assert_int_eq(PARSE(&parallel, &opt, msg, "-j", "1000001"), CLI_ERROR);
    ck_assert_int_eq(PARSE(&parallel, &opt, msg, "-w", "1025"), CLI_ERROR);
    ck_assert_int_eq(PARSE(&parallel, &opt, msg, "-r", "1001"), CLI_ERROR);
    ck_assert_int_eq(PARSE(&parallel, &opt, msg, "-n", past_size), CLI_ERROR);
    ck_assert_int_eq(PARSE(&parallel, &opt, msg, "-t", "3600.001"), CLI_ERROR);
}
END_TEST

/* One bad value: CLI_ERROR, and one line that names the option and quotes the value. */
static void expect_bad(const struct program *prog, const char *option, const char *value,
                       const char *long_name)
{
    struct options opt;
    char msg[256], quoted[64];

    ck_assert_msg(PARSE(prog, &opt, msg, option, value) == CLI_ERROR, "%s '%s' was accepted",
                  option, value);
    ck_assert_msg(strstr(msg, long_name) != NULL, "%s '%s': message '%s' does not name %s",
                  option, value, msg, long_name);
    snprintf(quoted, sizeof quoted, "'%s'", value);
    ck_assert_msg(strstr(msg, quoted) != NULL, "%s '%s': message '%s' does not quote it",
                  option, value, msg);
    ck_assert_msg(strchr(msg, '\n') == NULL, "message has more than one line: %s", msg);
}

START_TEST(every_malformed_number_is_refused_with_its_option_named)
{
    static const struct {
        const char *opt, *name;
    } options[] = {
        {"-j", "--jobs"}, {"--jobs", "--jobs"}, {"-w", "--workers"}, {"--workers", "--workers"},
        {"-n", "--size"}, {"--size", "--size"}, {"-r", "--reps"},    {"--reps", "--reps"},
        {"-t", "--job-seconds"}, {"--job-seconds", "--job-seconds"},
    };
    static const char *const values[] = {"-1", "12abc", "", "99999999999999999999", " 5",
                                         "+5", "0x10", "5 ", "1.5.2", "nan", "inf", "-0"};

    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++)
        for (size_t v = 0; v < sizeof values / sizeof values[0]; v++)
            expect_bad(&parallel, options[i].opt, values[v], options[i].name);
}
END_TEST

START_TEST(zero_is_refused_where_it_means_nothing)
{
    struct options opt;
    char msg[256];

    expect_bad(&parallel, "-j", "0", "--jobs");
    expect_bad(&parallel, "-w", "0", "--workers");
    expect_bad(&parallel, "-r", "0", "--reps");
    expect_bad(&parallel, "-t", "0", "--job-seconds");
    expect_bad(&parallel, "-t", "0.0", "--job-seconds");
    expect_bad(&parallel, "-t", "1e-400", "--job-seconds");
    ck_assert_int_eq(PARSE(&parallel, &opt, msg, "-n", "0"), CLI_RUN); /* a job of no work */
}
END_TEST

START_TEST(serial_takes_exactly_one_worker)
{
    struct options opt;
    char msg[256];

    ck_assert_int_eq(PARSE(&serial, &opt, msg, "-w", "1"), CLI_RUN);
    expect_bad(&serial, "-w", "2", "--workers");
    expect_bad(&serial, "--workers", "3", "--workers");
}
END_TEST

START_TEST(lock_takes_none_held_or_a_fraction)
{
    static const char *const bad[] = {"HELD", "", "gil", "fraction:", "fraction:1.5",
                                      "fraction:-0.1", "fraction:abc", "fraction:0.5x",
                                      "Fraction:0.5", "fraction:1e-1", "fraction: 0.5"};
    struct options opt;
    char msg[256];

    ck_assert_int_eq(PARSE(&parallel, &opt, msg, "--lock=held"), CLI_RUN);
    ck_assert_str_eq(opt.lock.name, "held");
    ck_assert_double_eq(opt.lock.fraction, 1.0);
    ck_assert_int_eq(PARSE(&parallel, &opt, msg, "-l", "fraction:0.250"), CLI_RUN);
    ck_assert_str_eq(opt.lock.name, "fraction:0.25");
    ck_assert_double_eq(opt.lock.fraction, 0.25);
    ck_assert_int_eq(PARSE(&parallel, &opt, msg, "-l", "fraction:0"), CLI_RUN);
    ck_assert_str_eq(opt.lock.name, "none"); /* the same run, the same name */
    ck_assert_int_eq(PARSE(&parallel, &opt, msg, "-l", "fraction:1.0"), CLI_RUN);
    ck_assert_str_eq(opt.lock.name, "held");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_bad(&parallel, "-l", bad[i], "--lock");
}
END_TEST

START_TEST(wrong_command_lines_are_named)
{
    /* Each must fail with one line naming the options and quoting the values. */
    static const struct {
        const char *words[6];
        const char *names[3];
    } wrong[] = {
        {{"--frobnicate"}, {"'--frobnicate'"}},
        {{"-x"}, {"'-x'"}},
        {{"-j"}, {"--jobs", "value"}},
        {{"--runs-csv"}, {"--runs-csv", "value"}},
        {{"-j", "2", "extra"}, {"'extra'"}},
        {{"--quiet=yes"}, {"--quiet"}},
        {{"-n", "10", "-t", "0.1"}, {"--size", "--job-seconds"}},
        {{"-j", "3", "--jobs", "4"}, {"--jobs", "'3'", "'4'"}},
        {{"--runs-csv", "a.csv", "--jobs-csv", "a.csv"}, {"--runs-csv", "--jobs-csv", "'a.csv'"}},
        {{"--jobs-csv", ""}, {"--jobs-csv", "''"}},
    };

    for (size_t k = 0; k < sizeof wrong / sizeof wrong[0]; k++) {
        struct options opt;
        char msg[256];

        ck_assert_msg(parse(&parallel, &opt, msg, wrong[k].words) == CLI_ERROR,
                      "%s was accepted", wrong[k].words[0]);
        ck_assert_msg(strchr(msg, '\n') == NULL, "more than one line: %s", msg);
        for (size_t n = 0; n < 3 && wrong[k].names[n]; n++)
            ck_assert_msg(strstr(msg, wrong[k].names[n]), "%s: message '%s' lacks %s",
                          wrong[k].words[0], msg, wrong[k].names[n]);
    }
}
END_TEST

START_TEST(the_same_option_twice_with_the_same_value_is_fine)
{
    struct options opt;
    char msg[256];

    ck_assert_int_eq(PARSE(&parallel, &opt, msg, "-j", "4", "--jobs=4"), CLI_RUN);
    ck_assert_uint_eq(opt.jobs, 4);
}
END_TEST

START_TEST(help_and_version_are_recognised)
{
    struct options opt;
    char msg[256];

    ck_assert_int_eq(PARSE(&parallel, &opt, msg, "--help"), CLI_HELP);
    ck_assert_int_eq(PARSE(&parallel, &opt, msg, "-h"), CLI_HELP);
    ck_assert_int_eq(PARSE(&parallel, &opt, msg, "-V"), CLI_VERSION);
    ck_assert_int_eq(PARSE(&parallel, &opt, msg, "--version"), CLI_VERSION);
}
END_TEST

static Suite *cli_suite(void)
{
    Suite *s = suite_create("cli");
    TCase *tc = tcase_create("cli");

    tcase_add_test(tc, no_options_gives_the_lecture_defaults);
    tcase_add_test(tc, every_option_is_taken);
    tcase_add_test(tc, range_limits_are_inclusive);
    tcase_add_test(tc, every_malformed_number_is_refused_with_its_option_named);
    tcase_add_test(tc, zero_is_refused_where_it_means_nothing);
    tcase_add_test(tc, serial_takes_exactly_one_worker);
    tcase_add_test(tc, lock_takes_none_held_or_a_fraction);
    tcase_add_test(tc, wrong_command_lines_are_named);
    tcase_add_test(tc, the_same_option_twice_with_the_same_value_is_fine);
    tcase_add_test(tc, help_and_version_are_recognised);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(cli_suite());
}
