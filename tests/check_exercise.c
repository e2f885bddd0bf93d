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
#include <fcntl.h>
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
    /* a directive continued on the next line: the name would stay in the skeleton */
    {"#ifdef \\\nPARLAB_SOLUTION\nint x;\n#else\nint y;\n#endif\n",
     "line 2: PARLAB_SOLUTION may only"},
    {"#ifdef PARLAB_SOLUTION\nint x;\n#else\nint y;\n#else\nint z;\n#endif\n",
     "line 5: a second #else in the PARLAB_SOLUTION block of line 1"},
    {"#ifndef PARLAB_SOLUTION\nint x;\n", "line 1: the #ifndef PARLAB_SOLUTION is never closed"},
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

START_TEST(strip_takes_lines_of_any_length_and_refuses_a_nul_byte)
{
    static const char nul[] = "#ifdef PARLAB_SOLUTION\nint x;\0\n#endif\n";
    char why[256], *text = malloc(20100), *out;
    size_t size = 0;
    FILE *in = fmemopen((void *)nul, sizeof nul - 1, "r"), *o = open_memstream(&out, &size);

    /* a NUL byte (a binary file) is said as such, not as a line too long */
    ck_assert_int_eq(exercise_strip(in, o, false, why, sizeof why), -1);
    ck_assert_str_eq(why, "line 2 holds a NUL byte: not a C file?");
    fclose(in);
    fclose(o);
    free(out);
    /* a line of 20000 characters (a table, generated) is a line like any other */
    snprintf(text, 20100, "#ifdef PARLAB_SOLUTION\n%020000d\n#else\nint y;\n#endif\n", 0);
    ck_assert_int_eq(strip_text(text, true, &out, why, sizeof why), 1);
    ck_assert_uint_eq(strlen(out), 20001);
    free(out);
    free(text);
}
END_TEST

START_TEST(a_refused_strip_prints_nothing)
{
    char *dir = tu_tmpdir(), *file = tu_path(dir, "x.c");
    struct proc_result r;

    tu_write_file(file, "int before;\n#ifdef PARLAB_SOLUTION\nint x;\n");
    tu_run(&r, "parlab-exercise", (const char *[]){"--strip", file, NULL});
    ck_assert_int_eq(r.status, 1);
    ck_assert_str_eq(r.out, ""); /* not half a skeleton, for `> skeleton.c` */
    ck_assert_msg(tu_count_lines(r.err) == 1 && strstr(r.err, "is never closed"), "%s", r.err);
    tu_result_release(&r);
    free(file);
    tu_rmrf(dir);
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
        /* none in a student's tree (make exercise-handout) */
        ck_assert_msg(strstr(text, "PARLAB_SOLUTION") ? n > 0 : n == 0, "%s: %d blocks: %s",
                      path, n, why);
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

/* True in parlab's own tree, false in a student's (make exercise-handout), which holds
 * neither the solutions nor their broken copies. */
static bool tree_has_solutions(void)
{
    char *text = tu_read_file("labs/exercises/pi.c");
    bool has = text != NULL && strstr(text, "PARLAB_SOLUTION") != NULL;

    free(text);
    return has && access("tests/exercises/pi-hang.c", R_OK) == 0;
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
    if (!tree_has_solutions()) {
        free(runs);
        tu_rmrf(dir);
        tu_skip("a student's tree (make exercise-handout): no solution to check");
    }

    tu_run(&r, "parlab-exercise", (const char *[]){"--solution", "pi", "-w", "1,2", "-r", "1",
                                                   "-n", "100000", "--runs-csv", runs, NULL});
    last_line(r.out, last, sizeof last);
    ck_assert_msg(r.status == 0, "status %d: %s %s", r.status, r.out, r.err);
    /* the race, when it showed, is named on the last line */
    ck_assert_msg(strcmp(last, "pi: done: every part right in every run") == 0 ||
                      strncmp(last, "pi: done: every part right in every run but the race, "
                                    "pi_race, wrong in ", 69) == 0,
                  "%s", last);
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

START_TEST(a_file_is_compiled_as_c_whatever_its_name)
{
    if (tu_under_valgrind())
        tu_skip("under valgrind: two whole checks, which the plain pass makes");
    char *dir = tu_tmpdir(), *txt = tu_path(dir, "pi.txt"), *dash = tu_path(dir, "-pi.c");
    char *text = tu_read_file("labs/exercises/pi.c"), last[1024];
    const char *bin = getenv("PARLAB_BIN") ? getenv("PARLAB_BIN") : "bin";
    char checker[4096];
    struct proc_result r;

    snprintf(checker, sizeof checker, "%s/parlab-exercise", bin);
    tu_write_file(txt, text); /* saved under another name: the compiler took it for a
                               * linker script */
    tu_write_file(dash, text); /* a name the compiler took for an option */
    tu_run(&r, "parlab-exercise",
           (const char *[]){"pi", txt, "-p", "serial", "-w", "1", "-r", "1", "-n", "100000", NULL});
    last_line(r.out, last, sizeof last);
    ck_assert_msg(r.status == 0, "status %d: %s %s", r.status, r.out, r.err);
    ck_assert_str_eq(last, "pi: done: part serial right in every run (the other parts were not checked)");
    tu_result_release(&r);
    tu_run_cmd(&r, NULL,
               (const char *[]){"/bin/sh", "-c", "cd \"$1\" && exec \"$0\" -p serial -w 1 -r 1 -n "
                                                 "100000 pi -- -pi.c",
                                checker, dir, NULL});
    last_line(r.out, last, sizeof last);
    ck_assert_msg(r.status == 0, "status %d: %s %s", r.status, r.out, r.err);
    ck_assert_str_eq(last, "pi: done: part serial right in every run (the other parts were not checked)");
    tu_result_release(&r);
    free(text);
    free(dash);
    free(txt);
    tu_rmrf(dir);
}
END_TEST

START_TEST(a_build_that_fails_for_want_of_room_does_not_blame_the_file)
{
    const char *bin = getenv("PARLAB_BIN") ? getenv("PARLAB_BIN") : "bin";
    char checker[4096], last[1024];
    struct proc_result r;

    /* the linker cannot write the program: the file is not wrong */
    snprintf(checker, sizeof checker, "%s/parlab-exercise", bin);
    tu_run_cmd(&r, NULL,
               (const char *[]){"/bin/sh", "-c", "ulimit -f 100 && exec \"$0\" pi -p serial -w 1 -r 1",
                                checker, NULL});
    last_line(r.out, last, sizeof last);
    ck_assert_msg(r.status == 1, "status %d: %s %s", r.status, r.out, r.err);
    ck_assert_msg(strstr(r.out, "does not compile") == NULL, "%s", r.out);
    ck_assert_msg(tu_count_lines(r.err) == 1 &&
                      strstr(r.err, "parlab-exercise: cannot tell whether ") == r.err &&
                      strstr(r.err, "(ulimit -f)") != NULL,
                  "%s", r.err);
    tu_result_release(&r);
    /* the linker out of descriptors (valgrind needs more itself) */
    if (!tu_under_valgrind()) {
        tu_run_cmd(&r, NULL,
                   (const char *[]){"/bin/sh", "-c",
                                    "ulimit -n 8 && exec \"$0\" pi -p serial -w 1 -r 1", checker,
                                    NULL});
        ck_assert_msg(r.status == 1, "status %d: %s %s", r.status, r.out, r.err);
        ck_assert_msg(strstr(r.out, "does not compile") == NULL, "%s", r.out);
        ck_assert_msg(strstr(r.err, "parlab-exercise: cannot tell whether ") == r.err &&
                          strstr(r.err, "(ulimit -n)") != NULL,
                      "%s", r.err);
        tu_result_release(&r);
    }
    /* under the same limit, a warning the compiler gives about the file is the file's */
    {
        char *dir = tu_tmpdir(), *file = tu_path(dir, "pi.c");
        char *text = tu_read_file("labs/exercises/pi.c");
        char *at = strstr(text, "double pi_serial(long steps)\n{\n");
        FILE *f;

        ck_assert_ptr_nonnull(at);
        at += strlen("double pi_serial(long steps)\n{\n");
        f = fopen(file, "w");
        fprintf(f, "%.*s    int unused;\n%s", (int)(at - text), text, at);
        fclose(f);
        tu_run_cmd(&r, NULL,
                   (const char *[]){"/bin/sh", "-c",
                                    "ulimit -f 100 && exec \"$0\" pi \"$1\" -p serial -w 1 -r 1",
                                    checker, file, NULL});
        last_line(r.out, last, sizeof last);
        ck_assert_msg(r.status == 1, "status %d: %s %s", r.status, r.out, r.err);
        ck_assert_msg(strstr(last, "does not compile without warnings") != NULL, "%s %s", last,
                      r.err);
        tu_result_release(&r);
        free(text);
        free(file);
        tu_rmrf(dir);
    }
}
END_TEST

START_TEST(a_build_without_what_it_links_with_does_not_blame_the_file)
{
    char *build = tu_tmpdir(), *tmp = tu_tmpdir(), *err = tu_path(tmp, "stderr");
    const unsigned w[] = {1};
    struct check_request rq = {.ex = exercise_find("pi"), .file = "labs/exercises/pi.c",
                               .threads = w, .nthreads = 1, .runs = 1, .size = 100000,
                               .timeout = 20, .cc = "cc", .cflags = "", .root = ".",
                               .build = build, .hwloc_cflags = "", .hwloc_libs = ""};
    struct tu_text out;
    char *said;
    int saved = dup(2), fd = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);

    /* an empty build directory: no libparlab.a, no harness */
    ck_assert_int_ge(fd, 0);
    tu_text_open(&out);
    fflush(stderr);
    dup2(fd, 2);
    ck_assert_int_eq(checker_check(&rq, out.f), 1);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    close(fd);
    tu_text_close(&out);
    said = tu_read_file(err);
    ck_assert_msg(strstr(out.text, "does not compile") == NULL, "%s", out.text);
    ck_assert_msg(strstr(said, "parlab-exercise: cannot read '") == said &&
                      strstr(said, "(run make in '.')") != NULL && tu_count_lines(said) == 1,
                  "%s", said);
    free(said);
    free(out.text);
    free(err);
    tu_rmrf(tmp);
    tu_rmrf(build);
}
END_TEST

START_TEST(a_tmpdir_too_long_is_said_so)
{
    if (tu_under_valgrind())
        tu_skip("under valgrind: valgrind itself needs TMPDIR (the plain pass tries it)");
    char env_tmp[4200] = "TMPDIR=/";
    const char *env[] = {env_tmp, NULL};
    struct proc_result r;

    memset(env_tmp + 8, 'x', 4080);
    env_tmp[8 + 4080] = '\0';
    tu_run_env(&r, env, "parlab-exercise", (const char *[]){"pi", "-p", "serial", NULL});
    ck_assert_int_eq(r.status, 1);
    ck_assert_msg(tu_count_lines(r.err) == 1 && strstr(r.err, "(TMPDIR): File name too long"),
                  "...%s", r.err + (strlen(r.err) > 200 ? strlen(r.err) - 200 : 0));
    ck_assert_str_eq(r.out, "");
    tu_result_release(&r);
}
END_TEST

START_TEST(a_closed_stdout_stops_the_check_before_it_runs_and_writes_nothing)
{
    if (tu_under_valgrind())
        tu_skip("under valgrind: its log takes the closed descriptor 1 (the plain pass tries it)");
    char *dir = tu_tmpdir(), *runs = tu_path(dir, "runs.csv");
    const char *bin = getenv("PARLAB_BIN") ? getenv("PARLAB_BIN") : "bin";
    char checker[4096];
    struct proc_result r;

    snprintf(checker, sizeof checker, "%s/parlab-exercise", bin);
    tu_run_cmd(&r, NULL,
               (const char *[]){"/bin/sh", "-c",
                                "exec \"$0\" pi -p serial -w 1 -r 1 -n 100000 --runs-csv \"$1\" >&-",
                                checker, runs, NULL});
    ck_assert_msg(r.status == 1, "status %d: %s", r.status, r.err);
    ck_assert_str_eq(r.err, "parlab-exercise: cannot write the output: Bad file descriptor\n");
    ck_assert_msg(access(runs, F_OK) != 0, "rows were written");
    tu_result_release(&r);
    free(runs);
    tu_rmrf(dir);
}
END_TEST

START_TEST(the_given_serial_part_past_the_limit_is_not_called_a_hang)
{
    if (tu_under_valgrind())
        tu_skip("under valgrind: a whole check, which the plain pass makes");
    char last[1024];
    struct proc_result r;

    tu_run(&r, "parlab-exercise", (const char *[]){"pi", "-p", "serial", "-w", "1", "-r", "1",
                                                   "--timeout", "0.000001", NULL});
    last_line(r.out, last, sizeof last);
    ck_assert_msg(r.status == 1, "status %d: %s %s", r.status, r.out, r.err);
    ck_assert_msg(strncmp(last, "pi: wrong: pi_serial with 1 thread ran past its 1e-06 s limit", 61) == 0 &&
                      strstr(last, "barrier") == NULL && strstr(last, "a larger --timeout") != NULL,
                  "%s", last);
    tu_result_release(&r);
}
END_TEST

START_TEST(the_solution_of_a_file_that_holds_none_is_refused)
{
    char *dir = tu_tmpdir(), *file = tu_path(dir, "pi.c"), *runs = tu_path(dir, "runs.csv");
    struct proc_result r;
    FILE *f = fopen(file, "w");

    /* a student's copy, as make exercise-handout gives it */
    ck_assert_ptr_nonnull(f);
    tu_run(&r, "parlab-exercise", (const char *[]){"--strip", "labs/exercises/pi.c", NULL});
    ck_assert_int_eq(r.status, 0);
    fputs(r.out, f);
    fclose(f);
    tu_result_release(&r);
    tu_run(&r, "parlab-exercise",
           (const char *[]){"--solution", "pi", file, "--runs-csv", runs, NULL});
    ck_assert_msg(r.status == 2, "status %d: %s", r.status, r.err);
    ck_assert_msg(tu_count_lines(r.err) == 1 && strstr(r.err, "holds no solution") != NULL,
                  "%s", r.err);
    ck_assert_str_eq(r.out, "");
    ck_assert_msg(access(runs, F_OK) != 0, "rows were written");
    tu_result_release(&r);
    free(runs);
    free(file);
    tu_rmrf(dir);
}
END_TEST

START_TEST(the_compiler_s_messages_about_a_long_line_are_cut)
{
    char *dir = tu_tmpdir(), *file = tu_path(dir, "pi.c"), *text = malloc(40100);
    struct proc_result r;

    /* a binary file, or a generated line: the compiler quotes it whole, each time */
    memset(text, '@', 40000);
    snprintf(text + 40000, 100, "\nint x;\n");
    tu_write_file(file, text);
    tu_run(&r, "parlab-exercise", (const char *[]){"pi", file, "-w", "1", "-r", "1", NULL});
    ck_assert_int_eq(r.status, 1);
    ck_assert_msg(strstr(r.out, "does not compile without warnings") != NULL, "%s", r.out);
    ck_assert_msg(strlen(r.out) < 20000, "%zu bytes of output", strlen(r.out));
    tu_result_release(&r);
    free(text);
    free(file);
    tu_rmrf(dir);
}
END_TEST

START_TEST(a_race_that_showed_is_not_called_right_on_the_last_line)
{
    if (tu_under_valgrind())
        tu_skip("under valgrind: a whole check, which the plain pass makes");
    char *dir = tu_tmpdir(), *file = tu_path(dir, "pi.c"), last[1024];
    char *text = tu_read_file("labs/exercises/pi.c");
    char *at = strstr(text, "double pi_race(long steps)\n{\n");
    struct proc_result r;
    FILE *f;

    /* a race that shows in every run with several threads */
    ck_assert_ptr_nonnull(at);
    at += strlen("double pi_race(long steps)\n{\n");
    f = fopen(file, "w");
    fprintf(f, "%.*s    if (omp_get_max_threads() > 1)\n        return 0.0;\n"
               "    return pi_serial(steps);\n%s",
            (int)(at - text), text, at);
    fclose(f);
    tu_run(&r, "parlab-exercise",
           (const char *[]){"pi", file, "-p", "race", "-w", "1,2", "-r", "1", "-n", "100000", NULL});
    last_line(r.out, last, sizeof last);
    ck_assert_msg(r.status == 0, "status %d: %s %s", r.status, r.out, r.err);
    ck_assert_str_eq(last, "pi: done: part race wrong in 1 of 2 runs, as the handout expects of "
                           "the race (the other parts were not checked)");
    tu_result_release(&r);
    free(text);
    free(file);
    tu_rmrf(dir);
}
END_TEST

START_TEST(a_program_that_exits_1_without_a_word_is_not_given_its_last_line_as_reason)
{
    if (tu_under_valgrind())
        tu_skip("under valgrind: a whole check, which the plain pass makes");
    char *dir = tu_tmpdir(), *file = tu_path(dir, "queue.c"), last[1024];
    char *text = tu_read_file("labs/exercises/queue.c");
    char *at = strstr(text, "int queue_openmp(struct run *run)\n{\n");
    struct proc_result r;
    FILE *f;

    ck_assert_ptr_nonnull(at);
    at += strlen("int queue_openmp(struct run *run)\n{\n");
    f = fopen(file, "w");
    fprintf(f, "#include <stdlib.h>\n%.*s    exit(1);\n%s", (int)(at - text), text, at);
    fclose(f);
    tu_run(&r, "parlab-exercise",
           (const char *[]){"queue", file, "-p", "openmp", "-w", "1", "-r", "1", "-n", "12", NULL});
    last_line(r.out, last, sizeof last);
    ck_assert_msg(r.status == 1, "status %d: %s %s", r.status, r.out, r.err);
    /* its last line is its configuration's, not a reason */
    ck_assert_msg(strstr(last, "queue_openmp is wrong even on one thread (it exited 1 without a "
                               "message of its own (its last line: '") != NULL,
                  "%s", last);
    tu_result_release(&r);
    free(text);
    free(file);
    tu_rmrf(dir);
}
END_TEST

START_TEST(a_part_that_closes_the_report_s_descriptor_is_told_so)
{
    if (tu_under_valgrind())
        tu_skip("under valgrind: a whole check, which the plain pass makes");
    char *dir = tu_tmpdir(), *file = tu_path(dir, "pi.c"), last[1024];
    char *text = tu_read_file("labs/exercises/pi.c");
    char *at = strstr(text, "double pi_serial(long steps)\n{\n");
    struct proc_result r;
    FILE *f;

    ck_assert_ptr_nonnull(at);
    at += strlen("double pi_serial(long steps)\n{\n");
    f = fopen(file, "w");
    fprintf(f, "#include <unistd.h>\n%.*s    for (int fd = 3; fd < 100; fd++)\n"
               "        close(fd);\n%s",
            (int)(at - text), text, at);
    fclose(f);
    tu_run(&r, "parlab-exercise", (const char *[]){"pi", file, "-p", "serial", "-w", "1", "-r",
                                                   "1", "-n", "100000", NULL});
    last_line(r.out, last, sizeof last);
    ck_assert_msg(r.status == 1, "status %d: %s %s", r.status, r.out, r.err);
    ck_assert_msg(strstr(last, "ended with exit status 3, the harness's status when it cannot "
                               "write its report") != NULL,
                  "%s", last);
    tu_result_release(&r);
    free(text);
    free(file);
    tu_rmrf(dir);
}
END_TEST

START_TEST(threads_that_cannot_be_made_are_said_so)
{
    if (tu_under_valgrind() || getenv("PARLAB_SANITIZED") != NULL)
        tu_skip("under valgrind and the sanitizers: they need more memory than the limit");
    char *dir = tu_tmpdir(), *file = tu_path(dir, "pi.c"), last[1024], checker[4096];
    char *text = tu_read_file("labs/exercises/pi.c");
    char *at = strstr(text, "double pi_serial(long steps)\n{\n");
    const char *bin = getenv("PARLAB_BIN") ? getenv("PARLAB_BIN") : "bin";
    struct proc_result r;
    FILE *f;

    /* 4000 threads' stacks do not fit in 1 GB */
    ck_assert_ptr_nonnull(at);
    at += strlen("double pi_serial(long steps)\n{\n");
    f = fopen(file, "w");
    fprintf(f, "%.*s    static volatile int seen;\n\n#pragma omp parallel num_threads(4000)\n"
               "    seen = omp_get_thread_num();\n    (void)seen;\n%s",
            (int)(at - text), text, at);
    fclose(f);
    snprintf(checker, sizeof checker, "%s/parlab-exercise", bin);
    tu_run_cmd(&r, NULL,
               (const char *[]){"/bin/sh", "-c",
                                "ulimit -v 1000000 && exec \"$0\" pi \"$1\" -p serial -w 1 -r 1 -n "
                                "100000",
                                checker, file, NULL});
    last_line(r.out, last, sizeof last);
    ck_assert_msg(r.status == 1, "status %d: %s %s", r.status, r.out, r.err);
    ck_assert_msg(strstr(last, "OpenMP could not start its threads (libgomp: ") != NULL, "%s",
                  last);
    tu_result_release(&r);
    free(text);
    free(file);
    tu_rmrf(dir);
}
END_TEST

START_TEST(a_child_that_leaves_the_trial_s_group_is_killed_too)
{
    if (tu_under_valgrind())
        tu_skip("under valgrind: a whole check, which the plain pass makes");
    char *dir = tu_tmpdir(), *file = tu_path(dir, "pi.c"), *pidfile = tu_path(dir, "pid");
    char *text = tu_read_file("labs/exercises/pi.c"), *said;
    char *at = strstr(text, "double pi_serial(long steps)\n{\n");
    struct proc_result r;
    pid_t left;
    bool gone;
    FILE *f;

    /* a daemon of the student's: a session of its own, so not in the trial's group.
     * The trial waits until it has written its pid (a byte on a pipe), so that the
     * trial cannot end, and take the daemon with it, before the pid is there. */
    ck_assert_ptr_nonnull(at);
    at += strlen("double pi_serial(long steps)\n{\n");
    f = fopen(file, "w");
    fprintf(f, "#include <stdio.h>\n#include <unistd.h>\n%.*s"
               "    int ready[2] = {-1, -1};\n\n"
               "    if (pipe(ready) == 0 && fork() == 0) {\n"
               "        FILE *pid = fopen(\"%s\", \"w\");\n\n"
               "        setsid();\n"
               "        if (pid != NULL)\n"
               "            fprintf(pid, \"%%ld\\n\", (long)getpid()), fclose(pid);\n"
               "        if (write(ready[1], \"r\", 1) != 1)\n"
               "            _exit(1);\n"
               "        for (;;)\n"
               "            pause();\n"
               "    } else if (ready[0] >= 0) {\n"
               "        char c;\n\n"
               "        close(ready[1]);\n"
               "        if (read(ready[0], &c, 1) != 1 || c != 'r')\n"
               "            fprintf(stderr, \"the daemon wrote no pid\\n\");\n"
               "    }\n%s",
            (int)(at - text), text, pidfile, at);
    fclose(f);
    tu_run(&r, "parlab-exercise", (const char *[]){"pi", file, "-p", "serial", "-w", "1", "-r",
                                                   "1", "-n", "100000", NULL});
    ck_assert_msg(r.status == 0, "status %d: %s %s", r.status, r.out, r.err);
    said = tu_read_file(pidfile);
    ck_assert_ptr_nonnull(said);
    left = (pid_t)atol(said);
    ck_assert_int_gt(left, 1);
    for (int k = 0; k < 100 && tu_alive(left); k++)
        usleep(20000);
    /* judged before the test kills it itself, so that the test's own kill, and init
     * reaping it at once, cannot pass for the checker's */
    gone = !tu_alive(left);
    if (!gone)
        kill(left, SIGKILL);
    ck_assert_msg(gone, "the daemon %ld is still there", (long)left);
    tu_result_release(&r);
    free(said);
    free(text);
    free(pidfile);
    free(file);
    tu_rmrf(dir);
}
END_TEST

START_TEST(a_part_that_floods_the_report_is_told_so)
{
    if (tu_under_valgrind())
        tu_skip("under valgrind: a whole check, which the plain pass makes");
    char *dir = tu_tmpdir(), *file = tu_path(dir, "pi.c"), last[1024];
    char *text = tu_read_file("labs/exercises/pi.c");
    char *at = strstr(text, "double pi_serial(long steps)\n{\n");
    struct proc_result r;
    FILE *f;

    ck_assert_ptr_nonnull(at);
    at += strlen("double pi_serial(long steps)\n{\n");
    f = fopen(file, "w");
    fprintf(f, "#include <stdio.h>\n#include <stdlib.h>\n%.*s"
               "    for (int k = 0; k < 300000; k++)\n"
               "        dprintf(atoi(getenv(\"" EXERCISE_FD_ENV "\")), \"debug %%d\\n\", k);\n%s",
            (int)(at - text), text, at);
    fclose(f);
    tu_run(&r, "parlab-exercise", (const char *[]){"pi", file, "-p", "serial", "-w", "1", "-r",
                                                   "1", "-n", "100000", NULL});
    last_line(r.out, last, sizeof last);
    ck_assert_msg(r.status == 1, "status %d: %s %s", r.status, r.out, r.err);
    ck_assert_msg(strstr(last, "its report to the checker passed the 1 MiB kept") != NULL, "%s",
                  last);
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
    char *tmp, *results, *runs;
    char env_tmp[4200];
    const char *env[] = {env_tmp, NULL};
    struct proc_handle h;
    struct proc_result r;
    pid_t kids[8];
    size_t n;

    if (!tree_has_solutions())
        tu_skip("a student's tree (make exercise-handout): no tests/exercises/pi-hang.c");
    tmp = tu_tmpdir();
    results = tu_tmpdir();
    runs = tu_path(results, "runs.csv");
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

/* True when a file whose name begins with prefix is in dir, or in a directory in it. */
static bool holds_file(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    bool found = false;

    if (d == NULL)
        return false;
    while (!found && (e = readdir(d)) != NULL) {
        char path[4400];

        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        found = strncmp(e->d_name, prefix, strlen(prefix)) == 0 || holds_file(path, prefix);
    }
    closedir(d);
    return found;
}

/* True when process pid runs a program the checker built (in its directory). */
static bool is_trial(pid_t pid)
{
    char path[64], argv0[4096] = "";
    FILE *f;

    snprintf(path, sizeof path, "/proc/%ld/cmdline", (long)pid);
    if ((f = fopen(path, "r")) == NULL)
        return false;
    if (fgets(argv0, sizeof argv0, f) == NULL) /* up to its NUL: the first argument */
        argv0[0] = '\0';
    fclose(f);
    return strstr(argv0, "/parlab-exercise-") != NULL;
}

START_TEST(a_checker_killed_outright_takes_its_trial_with_it)
{
    if (tu_under_valgrind())
        tu_skip("under valgrind: the plain pass kills the checker outright");
    char *tmp = tu_tmpdir(), *file = tu_path(tmp, "pi.c"), env_tmp[4200];
    char *text = tu_read_file("labs/exercises/pi.c");
    char *at = strstr(text, "double pi_serial(long steps)\n{\n");
    const char *env[] = {env_tmp, NULL};
    struct proc_handle h;
    struct proc_result r;
    pid_t kids[8];
    FILE *f;

    ck_assert_ptr_nonnull(at);
    at += strlen("double pi_serial(long steps)\n{\n");
    f = fopen(file, "w");
    fprintf(f, "#include <unistd.h>\n%.*s    pause(); /* hangs */\n%s", (int)(at - text), text, at);
    fclose(f);
    snprintf(env_tmp, sizeof env_tmp, "TMPDIR=%s", tmp);
    tu_start(&h, env, "parlab-exercise",
             (const char *[]){"pi", file, "-w", "1", "-r", "1", "-n", "100000", NULL});
    /* the compiler, then the hanging trial: the program the checker built */
    for (int k = 0; k < 1500 && !(tu_children(h.pid, kids, 8) == 1 && is_trial(kids[0])); k++)
        usleep(20000);
    ck_assert_msg(tu_children(h.pid, kids, 8) == 1 && is_trial(kids[0]), "no trial running");
    kill(h.pid, SIGKILL);
    tu_finish(&h, &r);
    ck_assert_int_eq(r.status, 128 + SIGKILL);
    for (int k = 0; k < 100 && tu_alive(kids[0]); k++)
        usleep(20000);
    if (tu_alive(kids[0]))
        kill(-kids[0], SIGKILL);
    tu_expect_gone(kids, 1);
    tu_result_release(&r);
    free(text);
    free(file);
    tu_rmrf(tmp);
}
END_TEST

START_TEST(ctrl_c_during_the_build_leaves_nothing_of_the_compiler)
{
    if (tu_under_valgrind())
        tu_skip("under valgrind: the plain pass interrupts the build");
    char *tmp = tu_tmpdir(), *dir = tu_tmpdir(), *fifo = tu_path(dir, "never-written.h");
    char *file = tu_path(dir, "pi.c"), env_tmp[4200], text[4200];
    const char *env[] = {env_tmp, NULL};
    struct proc_handle h;
    struct proc_result r;
    pid_t kids[8];
    int k;

    /* the compiler waits for the header, a FIFO nobody writes, its output file open */
    ck_assert_int_eq(mkfifo(fifo, 0600), 0);
    snprintf(text, sizeof text, "#include \"%s\"\n", fifo);
    tu_write_file(file, text);
    snprintf(env_tmp, sizeof env_tmp, "TMPDIR=%s", tmp);
    tu_start(&h, env, "parlab-exercise", (const char *[]){"pi", file, "-w", "1", "-r", "1", NULL});
    tu_wait_for_children(h.pid, 1, kids, 8);
    for (k = 0; k < 500 && !holds_file(tmp, "cc"); k++)
        usleep(20000);
    ck_assert_msg(k < 500, "the compiler made no temporary file (cc*.s) in TMPDIR");
    kill(h.pid, SIGINT);
    tu_finish(&h, &r);
    ck_assert_msg(r.status == 128 + SIGINT, "status %d: %s", r.status, r.err);
    ck_assert_msg(entries(tmp) == 0, "the checker or its compiler left files in its TMPDIR");
    tu_result_release(&r);
    free(file);
    free(fifo);
    tu_rmrf(dir);
    tu_rmrf(tmp);
}
END_TEST

/* Runs parlab-exercise with args and TMPDIR=tmp, its stdout a pipe whose reader has
 * gone (`| head` done before it starts) and its stderr discarded; returns its exit
 * status, or 128 + the signal that ended it. */
static int run_unread(const char *tmp, const char *const *args)
{
    const char *bin = getenv("PARLAB_BIN") ? getenv("PARLAB_BIN") : "bin";
    char path[4096];
    const char *argv[24] = {path};
    int fds[2], status;
    pid_t pid;

    snprintf(path, sizeof path, "%s/parlab-exercise", bin);
    for (size_t n = 0; args[n] != NULL && n + 2 < 24; n++)
        argv[n + 1] = args[n];
    ck_assert_int_eq(pipe(fds), 0);
    close(fds[0]);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);

        signal(SIGPIPE, SIG_DFL); /* as a shell starts it */
        if (dup2(fds[1], 1) < 0 || dup2(null, 2) < 0 || setenv("TMPDIR", tmp, 1) != 0)
            _exit(126);
        execv(path, (char *const *)argv);
        _exit(127);
    }
    close(fds[1]);
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

START_TEST(a_reader_gone_costs_neither_the_check_nor_its_files)
{
    char *tmp = tu_tmpdir(), *results = tu_tmpdir(), *runs = tu_path(results, "runs.csv");
    struct csv_table t;
    int status;

    status = run_unread(tmp, (const char *[]){"pi", "-p", "serial", "-w", "1", "-r", "1", "-n",
                                              "100000", "--runs-csv", runs, NULL});
    ck_assert_msg(status == 0, "status %d", status);
    ck_assert_msg(entries(tmp) == 0, "the checker left files in its TMPDIR");
    tu_read_csv(runs, &t);
    ck_assert_uint_eq(t.nrows, 2); /* the header and the serial part's row */
    csv_table_release(&t);
    free(runs);
    tu_rmrf(results);
    tu_rmrf(tmp);
}
END_TEST

START_TEST(make_check_exercise_refuses_a_name_that_is_no_exercise_and_makes_nothing)
{
    if (tu_under_valgrind())
        tu_skip("under valgrind: a script's check, which the plain pass makes");
    char *dir = tu_tmpdir(), *sub = tu_path(dir, "results"), env_results[4200];
    const char *names[] = {"nosuch", "--list"};
    struct proc_result r;

    snprintf(env_results, sizeof env_results, "RESULTS=%s", sub);
    for (size_t i = 0; i < 2; i++) {
        char env_e[64];

        snprintf(env_e, sizeof env_e, "E=%s", names[i]);
        tu_run_cmd(&r, (const char *[]){env_e, env_results, NULL},
                   (const char *[]){"sh", "labs/exercises/check.sh", NULL});
        ck_assert_msg(r.status == 2, "E=%s: status %d: %s", names[i], r.status, r.err);
        ck_assert_msg(strncmp(r.err, "make check-exercise: no exercise '", 34) == 0, "%s", r.err);
        ck_assert_msg(access(sub, F_OK) != 0, "E=%s: the results directory was made", names[i]);
        tu_result_release(&r);
    }
    free(sub);
    tu_rmrf(dir);
}
END_TEST

START_TEST(make_check_exercise_takes_file_from_home_and_args_as_words)
{
    if (tu_under_valgrind())
        tu_skip("under valgrind: a script's check, which the plain pass makes");
    char *dir = tu_tmpdir(), *file = tu_path(dir, "my-pi.c"), *res = tu_path(dir, "results");
    char *text = tu_read_file("labs/exercises/pi.c"), env_home[4200], env_results[4200];
    char *runs;
    struct proc_result r;
    struct csv_table t;

    /* FILE=~/... as a shell that does not expand it after '=' (dash, zsh) passes it, and
     * a pattern in ARGS, which no file name may replace */
    tu_write_file(file, text);
    snprintf(env_home, sizeof env_home, "HOME=%s", dir);
    snprintf(env_results, sizeof env_results, "RESULTS=%s", res);
    tu_run_cmd(&r,
               (const char *[]){"E=pi", "FILE=~/my-pi.c", env_home, env_results,
                                "ARGS=-p serial -w 1 -r 1 -n 100000 --label [R]*", NULL},
               (const char *[]){"sh", "labs/exercises/check.sh", NULL});
    ck_assert_msg(r.status == 0, "status %d: %s %s", r.status, r.out, r.err);
    runs = tu_path(res, "runs.csv");
    tu_read_csv(runs, &t);
    ck_assert_uint_eq(t.nrows, 2);
    ck_assert_str_eq(tu_field(&t, 1, "label"), "[R]*");
    csv_table_release(&t);
    tu_result_release(&r);
    free(runs);
    free(text);
    free(res);
    free(file);
    tu_rmrf(dir);
}
END_TEST

START_TEST(ctrl_c_stops_make_exercise_handout_and_leaves_nothing)
{
    if (tu_under_valgrind())
        tu_skip("under valgrind: a script's check, which the plain pass makes");
    char *tmp = tu_tmpdir(), *dir = tu_tmpdir(), *archive = tu_path(dir, "handout.tar.gz");
    char env_tmp[4200];
    struct proc_handle h;
    struct proc_result r;
    int k;

    snprintf(env_tmp, sizeof env_tmp, "TMPDIR=%s", tmp);
    tu_start_cmd(&h, (const char *[]){env_tmp, NULL},
                 (const char *[]){"sh", "labs/exercises/handout.sh", archive, NULL});
    /* its stage, a copy of the tree, is being filled */
    for (k = 0; k < 500 && !holds_file(tmp, "files"); k++)
        usleep(20000);
    ck_assert_msg(k < 500, "no stage in TMPDIR");
    kill(h.pid, SIGINT);
    tu_finish(&h, &r);
    ck_assert_msg(r.status == 130, "status %d: %s", r.status, r.err);
    ck_assert_msg(entries(tmp) == 0, "the stage was left in TMPDIR");
    ck_assert_msg(entries(dir) == 0, "an archive was written");
    tu_result_release(&r);
    free(archive);
    tu_rmrf(dir);
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
    tcase_add_test(tc, strip_takes_lines_of_any_length_and_refuses_a_nul_byte);
    tcase_add_test(tc, a_refused_strip_prints_nothing);
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
    tcase_add_test(tc, a_reader_gone_costs_neither_the_check_nor_its_files);
    tcase_add_test(tc, ctrl_c_during_the_build_leaves_nothing_of_the_compiler);
    tcase_add_test(tc, a_checker_killed_outright_takes_its_trial_with_it);
    tcase_add_test(tc, a_file_is_compiled_as_c_whatever_its_name);
    tcase_add_test(tc, a_build_that_fails_for_want_of_room_does_not_blame_the_file);
    tcase_add_test(tc, a_build_without_what_it_links_with_does_not_blame_the_file);
    tcase_add_test(tc, a_tmpdir_too_long_is_said_so);
    tcase_add_test(tc, a_closed_stdout_stops_the_check_before_it_runs_and_writes_nothing);
    tcase_add_test(tc, the_given_serial_part_past_the_limit_is_not_called_a_hang);
    tcase_add_test(tc, the_solution_of_a_file_that_holds_none_is_refused);
    tcase_add_test(tc, the_compiler_s_messages_about_a_long_line_are_cut);
    tcase_add_test(tc, a_race_that_showed_is_not_called_right_on_the_last_line);
    tcase_add_test(tc, a_program_that_exits_1_without_a_word_is_not_given_its_last_line_as_reason);
    tcase_add_test(tc, a_part_that_closes_the_report_s_descriptor_is_told_so);
    tcase_add_test(tc, threads_that_cannot_be_made_are_said_so);
    tcase_add_test(tc, a_child_that_leaves_the_trial_s_group_is_killed_too);
    tcase_add_test(tc, a_part_that_floods_the_report_is_told_so);
    tcase_add_test(tc, make_check_exercise_refuses_a_name_that_is_no_exercise_and_makes_nothing);
    tcase_add_test(tc, make_check_exercise_takes_file_from_home_and_args_as_words);
    tcase_add_test(tc, ctrl_c_stops_make_exercise_handout_and_leaves_nothing);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(exercise_suite());
}
