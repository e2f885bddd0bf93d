/*
 * check_exercise.c - parlab-exercise, the checker of the OpenMP exercises: the single
 * source stripped to its skeleton or its solution, a child under a time limit (its
 * report, its crash, its hang and what it started), the command line, and a whole
 * check of pi's skeleton, solution, a file that does not compile and an interruption.
 *
 * Every exercise's skeletons, solutions and broken copies are run by
 * tests/check-exercises.sh (plain pass); these tests run in every pass.
 */
#include <check.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <dirent.h>
#include <unistd.h>

#include "parlab/checker.h"
#include "parlab/csv.h"
#include "parlab/exercise.h"
#include "testutil.h"

/* ---- the single source --------------------------------------------------------- */

static const char single[] = "#include <stdio.h>\n"
                             "int f(void)\n"
                             "{\n"
                             "#ifdef PARLAB_SOLUTION\n"
                             "#if 1\n"
                             "    return 42;\n"
                             "#else\n"
                             "    return 41;\n"
                             "#endif\n"
                             "#else\n"
                             "    return 0; /* TODO */\n"
                             "#endif\n"
                             "}\n"
                             "#  ifdef   PARLAB_SOLUTION\n"
                             "int only_in_the_solution;\n"
                             "#endif\n"
                             "#ifndef PARLAB_SOLUTION\n"
                             "int only_in_the_skeleton;\n"
                             "#endif\n";

static const char skeleton[] = "#include <stdio.h>\n"
                               "int f(void)\n"
                               "{\n"
                               "    return 0; /* TODO */\n"
                               "}\n"
                               "int only_in_the_skeleton;\n";

static const char solution[] = "#include <stdio.h>\n"
                               "int f(void)\n"
                               "{\n"
                               "#if 1\n"
                               "    return 42;\n"
                               "#else\n"
                               "    return 41;\n"
                               "#endif\n"
                               "}\n"
                               "int only_in_the_solution;\n";

/* exercise_strip over `text`: its return value, the output into *out (malloc'd). */
static int strip_text(const char *text, bool keep_solution, char **out, char *why, size_t len)
{
    FILE *in = fmemopen((void *)text, strlen(text), "r");
    size_t size = 0;
    FILE *o = open_memstream(out, &size);
    int n;

    ck_assert_ptr_nonnull(in);
    ck_assert_ptr_nonnull(o);
    n = exercise_strip(in, o, keep_solution, why, len);
    fclose(in);
    fclose(o);
    return n;
}

START_TEST(strip_gives_the_skeleton_and_the_solution_of_one_source)
{
    char why[256], *out;

    ck_assert_int_eq(strip_text(single, false, &out, why, sizeof why), 3);
    ck_assert_str_eq(out, skeleton);
    free(out);
    ck_assert_int_eq(strip_text(single, true, &out, why, sizeof why), 3);
    ck_assert_str_eq(out, solution);
    free(out);
}
END_TEST

static const struct {
    const char *text, *why;
} broken_sources[] = {
    {"#ifdef PARLAB_SOLUTION\nint x;\n", "line 1: the #ifdef PARLAB_SOLUTION is never closed"},
    {"#ifdef PARLAB_SOLUTION\nint x;\n#elif 1\nint y;\n#endif\n", "line 3: #elif in"},
    {"#if defined(PARLAB_SOLUTION)\nint x;\n#endif\n", "line 1: PARLAB_SOLUTION may only"},
    {"#ifdef PARLAB_SOLUTION\n#ifdef PARLAB_SOLUTION\n#endif\n#endif\n",
     "line 2: PARLAB_SOLUTION tested again"},
};

START_TEST(strip_refuses_a_block_it_cannot_divide_and_says_where)
{
    char why[256], *out;

    ck_assert_int_eq(strip_text(broken_sources[_i].text, false, &out, why, sizeof why), -1);
    ck_assert_msg(strncmp(why, broken_sources[_i].why, strlen(broken_sources[_i].why)) == 0,
                  "why: '%s', expected '%s...'", why, broken_sources[_i].why);
    free(out);
}
END_TEST

START_TEST(every_exercise_s_skeleton_holds_no_solution)
{
    for (size_t i = 0; i < exercise_count; i++) {
        char path[256], why[256], *out, *text;
        int n;

        snprintf(path, sizeof path, "labs/exercises/%s.c", exercise_table[i]->name);
        text = tu_read_file(path);
        n = strip_text(text, false, &out, why, sizeof why);
        ck_assert_msg(n > 0, "%s: %d blocks: %s", path, n, why);
        ck_assert_msg(strstr(out, "PARLAB_SOLUTION") == NULL, "%s: the skeleton has it", path);
        ck_assert_msg(strstr(out, "EXERCISE_TODO") != NULL, "%s: no TODO in the skeleton", path);
        free(out);
        free(text);
    }
}
END_TEST

/* ---- a child under a time limit --------------------------------------------------- */

START_TEST(a_child_s_report_status_and_environment_come_back)
{
    char *argv[] = {"/bin/sh", "-c",
                    "printf 'result\\t1\\t%s\\n' \"$ANSWER\" >/proc/self/fd/$" EXERCISE_FD_ENV "; echo noise; "
                    "exit 3",
                    NULL};
    char *env[] = {"ANSWER=42", NULL};
    char *report;
    struct child_end end;
    char how[128];

    ck_assert_int_eq(checker_spawn(argv, env, NULL, 10, &report, &end), 0);
    ck_assert_ptr_nonnull(report);
    ck_assert_str_eq(report, "result\t1\t42\n");
    ck_assert(!end.timed_out && WIFEXITED(end.status) && WEXITSTATUS(end.status) == 3);
    checker_describe_end(&end, 10, how, sizeof how);
    ck_assert_str_eq(how, "ended with exit status 3");
    free(report);
}
END_TEST

START_TEST(a_crash_is_named_by_its_signal)
{
    char *argv[] = {"/bin/sh", "-c", "kill -SEGV $$", NULL};
    struct child_end end;
    char how[128];

    ck_assert_int_eq(checker_spawn(argv, NULL, NULL, 10, NULL, &end), 0);
    ck_assert(WIFSIGNALED(end.status) && WTERMSIG(end.status) == SIGSEGV);
    checker_describe_end(&end, 10, how, sizeof how);
    ck_assert_msg(strstr(how, "killed by signal 11") != NULL, "%s", how);
}
END_TEST

START_TEST(a_hang_is_stopped_at_its_limit_with_everything_it_started)
{
    /* the child starts one that would outlive it, tells its pid, and waits forever */
    char *argv[] = {"/bin/sh", "-c",
                    "sleep 300 & echo $! >/proc/self/fd/$" EXERCISE_FD_ENV "; exec sleep 300", NULL};
    char *report;
    struct child_end end;
    char how[128];
    pid_t left;

    ck_assert_int_eq(checker_spawn(argv, NULL, NULL, 0.5, &report, &end), 0);
    ck_assert(end.timed_out);
    ck_assert(end.wall_s >= 0.5 && end.wall_s < 5);
    ck_assert_ptr_nonnull(report);
    left = (pid_t)atol(report);
    ck_assert_int_gt(left, 1);
    for (int k = 0; k < 100 && tu_alive(left); k++)
        usleep(20000); /* reaped by init once killed */
    tu_expect_gone(&left, 1);
    checker_describe_end(&end, 0.5, how, sizeof how);
    ck_assert_str_eq(how, "ran past its 0.5 s limit and was stopped");
    free(report);
}
END_TEST

/* ---- the command line ----------------------------------------------------------- */

static const char *const bad_lines[][8] = {
    {NULL},
    {"nosuch", NULL},
    {"pi", "-w", "2,1", NULL},
    {"pi", "-w", "0", NULL},
    {"pi", "-w", "2,4", NULL},
    {"pi", "-w", "1,,2", NULL},
    {"pi", "-w", "1,", NULL},
    {"pi", "-r", "0", NULL},
    {"pi", "-r", "65", NULL},
    {"pi", "-n", "12abc", NULL},
    {"pi", "-n", "10", NULL},
    {"pi", "--timeout", "-1", NULL},
    {"pi", "--timeout", "nan", NULL},
    {"pi", "-p", "nosuch", NULL},
    {"pi", "/nonexistent/pi.c", NULL},
    {"pi", "labs/exercises", NULL},
    {"pi", "labs/exercises/pi.c", "extra", NULL},
    {"pi", "--label", " a", NULL},
    {"pi", "--label", "a\tb", NULL},
    {"pi", "--jobs-csv", "RESULTS/jobs.csv", NULL},
    {"pi", "--runs-csv", "RESULTS", NULL},
    {"pi", "--runs-csv", "RESULTS/x.csv", "--jobs-csv", "RESULTS/x.csv", NULL},
    {"pi", "--runs-csv", "", NULL},
    {"--list", "pi", NULL},
    {"--strip", "labs/exercises", NULL},
};

START_TEST(a_bad_command_line_is_one_line_exit_2_and_writes_nothing)
{
    struct tu_results d;
    const char *args[8];
    struct proc_result r;
    size_t n = 0;

    tu_results_make(&d);
    for (; bad_lines[_i][n] != NULL; n++) {
        const char *a = bad_lines[_i][n];

        args[n] = strncmp(a, "RESULTS", 7) == 0 ? tu_path(d.dir, a[7] ? a + 8 : ".") : a;
    }
    args[n] = NULL;
    tu_run(&r, "parlab-exercise", args);
    ck_assert_msg(r.status == 2, "case %d: status %d, stderr %s", _i, r.status, r.err);
    ck_assert_msg(tu_count_lines(r.err) == 1, "case %d: stderr '%s'", _i, r.err);
    ck_assert_msg(strncmp(r.err, "parlab-exercise: ", 17) == 0, "%s", r.err);
    ck_assert_msg(r.out[0] == '\0', "case %d: stdout '%s'", _i, r.out);
    tu_results_expect_untouched(&d);
    for (size_t k = 0; k < n; k++)
        if (args[k] != bad_lines[_i][k])
            free((char *)args[k]);
    tu_result_release(&r);
    tu_results_remove(&d);
}
END_TEST

START_TEST(help_version_and_list_go_to_stdout)
{
    struct proc_result r;

    tu_run(&r, "parlab-exercise", (const char *[]){"--help", NULL});
    ck_assert_int_eq(r.status, 0);
    ck_assert(strstr(r.out, "Usage: parlab-exercise") && strstr(r.out, "--strip"));
    tu_result_release(&r);
    tu_run(&r, "parlab-exercise", (const char *[]){"--version", NULL});
    ck_assert_int_eq(r.status, 0);
    ck_assert(strstr(r.out, "parlab-exercise") != NULL);
    tu_result_release(&r);
    tu_run(&r, "parlab-exercise", (const char *[]){"--list", NULL});
    ck_assert_int_eq(r.status, 0);
    ck_assert_int_eq(tu_count_lines(r.out), exercise_count);
    for (size_t i = 0; i < exercise_count; i++) {
        char line[64];

        snprintf(line, sizeof line, "%s ", exercise_table[i]->name);
        ck_assert_msg(strstr(r.out, line) != NULL, "%s not listed", exercise_table[i]->name);
    }
    tu_result_release(&r);
}
END_TEST

/* ---- whole checks ------------------------------------------------------------------- */

/* The last line of text, into buf. */
static void last_line(const char *text, char *buf, size_t len)
{
    size_t n = strlen(text);
    const char *start;

    while (n > 0 && text[n - 1] == '\n')
        n--;
    start = text + n;
    while (start > text && start[-1] != '\n')
        start--;
    snprintf(buf, len, "%.*s", (int)(text + n - start), start);
}

START_TEST(pi_s_skeleton_is_not_done_yet_and_its_solution_passes_with_rows)
{
    char *dir = tu_tmpdir(), *runs = tu_path(dir, "runs.csv"), last[1024];
    struct proc_result r;
    struct csv_table t;
    size_t exercise_rows = 0;

    tu_run(&r, "parlab-exercise", (const char *[]){"pi", "-w", "1,2", "-r", "1", "-n", "100000",
                                                   "--runs-csv", runs, NULL});
    last_line(r.out, last, sizeof last);
    ck_assert_msg(r.status == 1, "status %d: %s %s", r.status, r.out, r.err);
    ck_assert_msg(strncmp(last, "pi: not done yet: pi_race (pi.c:", 32) == 0, "%s", last);
    tu_result_release(&r);

    tu_run(&r, "parlab-exercise", (const char *[]){"--solution", "pi", "-w", "1,2", "-r", "1",
                                                   "-n", "100000", "--runs-csv", runs, NULL});
    last_line(r.out, last, sizeof last);
    ck_assert_msg(r.status == 0, "status %d: %s %s", r.status, r.out, r.err);
    ck_assert_str_eq(last, "pi: done: every part right in every run");
    /* configuration first */
    ck_assert(strncmp(r.out, "exercise:  pi", 13) == 0);
    tu_result_release(&r);

    /* the skeleton's serial rows, then the solution's: serial, critical, atomic and
     * reduction at W = 1 and 2 (not the race's: its results are wrong by design) */
    tu_read_csv(runs, &t);
    for (size_t row = 1; row < t.nrows; row++) {
        const char *program = tu_field(&t, row, "program");

        ck_assert_msg(strncmp(program, "exercise-pi-", 12) == 0, "%s", program);
        ck_assert_msg(strcmp(program, "exercise-pi-race") != 0, "a race's row was written");
        ck_assert_str_eq(tu_field(&t, row, "jobs_ok"), "1");
        exercise_rows++;
    }
    ck_assert_uint_eq(exercise_rows, 1 + 1 + 3 * 2);
    csv_table_release(&t);

    /* parlab-summary divides each part by the exercise's own serial part */
    tu_run(&r, "parlab-summary", (const char *[]){"--runs-csv", runs, NULL});
    ck_assert_int_eq(r.status, 0);
    {
        char line[512];

        ck_assert_msg(tu_line(r.out, "exercise-pi-reduction", line, sizeof line), "%s", r.out);
        double v[16];
        size_t k = tu_numbers(line, v, 16);

        /* W, jobs, n, reps, wall, min, max, cpu, children, speedup: a speedup there */
        ck_assert_msg(k >= 10 && v[k - 1] > 0, "%s", line);
    }
    tu_result_release(&r);
    free(runs);
    tu_rmrf(dir);
}
END_TEST

START_TEST(a_file_with_a_warning_does_not_compile_and_the_compiler_is_quoted)
{
    char *dir = tu_tmpdir(), *file = tu_path(dir, "pi.c"), last[1024];
    char *text = tu_read_file("labs/exercises/pi.c");
    char *at = strstr(text, "double pi_serial(long steps)\n{\n");
    struct proc_result r;
    FILE *f;

    ck_assert_ptr_nonnull(at);
    at += strlen("double pi_serial(long steps)\n{\n");
    f = fopen(file, "w");
    fprintf(f, "%.*s    int unused;\n%s", (int)(at - text), text, at);
    fclose(f);
    tu_run(&r, "parlab-exercise", (const char *[]){"pi", file, "-r", "1", NULL});
    last_line(r.out, last, sizeof last);
    ck_assert_int_eq(r.status, 1);
    ck_assert_msg(strstr(last, "does not compile without warnings") != NULL, "%s", last);
    ck_assert_msg(strstr(r.out, "unused variable") != NULL, "%s", r.out);
    tu_result_release(&r);
    free(text);
    free(file);
    tu_rmrf(dir);
}
END_TEST

/* The entries of directory d besides . and .. */
static size_t entries(const char *d)
{
    DIR *dir = opendir(d);
    struct dirent *e;
    size_t n = 0;

    ck_assert_ptr_nonnull(dir);
    while ((e = readdir(dir)) != NULL)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(dir);
    return n;
}

START_TEST(ctrl_c_stops_a_hanging_trial_and_leaves_nothing)
{
    char *tmp = tu_tmpdir(), *results = tu_tmpdir(), *runs = tu_path(results, "runs.csv");
    char env_tmp[4200];
    const char *env[] = {env_tmp, NULL};
    struct proc_handle h;
    struct proc_result r;
    pid_t kids[8];
    size_t n;

    snprintf(env_tmp, sizeof env_tmp, "TMPDIR=%s", tmp);
    tu_start(&h, env, "parlab-exercise",
             (const char *[]){"pi", "tests/exercises/pi-hang.c", "-w", "1", "-r", "1", "-n",
                              "100000", "--timeout", "60", "--runs-csv", runs, NULL});
    /* the compiler, then the trials one by one: wait for the hanging one */
    for (int k = 0; k < 600; k++) {
        char *out = tu_read_file(h.out);
        bool hanging = strstr(out, "trials:") != NULL;

        free(out);
        if (hanging && k > 0)
            break;
        usleep(50000);
    }
    usleep(getenv("PARLAB_UNDER_VALGRIND") ? 3000000 : 1500000);
    n = tu_children(h.pid, kids, 8);
    ck_assert_msg(n >= 1, "no trial running");
    kill(h.pid, SIGINT);
    tu_finish(&h, &r);
    ck_assert_msg(r.status == 128 + SIGINT, "status %d: %s", r.status, r.err);
    for (int k = 0; k < 100 && tu_alive(kids[0]); k++)
        usleep(20000);
    tu_expect_gone(kids, n);
    ck_assert_msg(entries(tmp) == 0, "the checker left files in its TMPDIR");
    ck_assert_msg(access(runs, F_OK) != 0, "rows were written");
    tu_result_release(&r);
    free(runs);
    tu_rmrf(results);
    tu_rmrf(tmp);
}
END_TEST

static Suite *exercise_suite(void)
{
    Suite *s = suite_create("exercise");
    TCase *tc = tcase_create("exercise");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, strip_gives_the_skeleton_and_the_solution_of_one_source);
    tcase_add_loop_test(tc, strip_refuses_a_block_it_cannot_divide_and_says_where, 0,
                        sizeof broken_sources / sizeof broken_sources[0]);
    tcase_add_test(tc, every_exercise_s_skeleton_holds_no_solution);
    tcase_add_test(tc, a_child_s_report_status_and_environment_come_back);
    tcase_add_test(tc, a_crash_is_named_by_its_signal);
    tcase_add_test(tc, a_hang_is_stopped_at_its_limit_with_everything_it_started);
    tcase_add_loop_test(tc, a_bad_command_line_is_one_line_exit_2_and_writes_nothing, 0,
                        sizeof bad_lines / sizeof bad_lines[0]);
    tcase_add_test(tc, help_version_and_list_go_to_stdout);
    tcase_add_test(tc, pi_s_skeleton_is_not_done_yet_and_its_solution_passes_with_rows);
    tcase_add_test(tc, a_file_with_a_warning_does_not_compile_and_the_compiler_is_quoted);
    tcase_add_test(tc, ctrl_c_stops_a_hanging_trial_and_leaves_nothing);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(exercise_suite());
}
