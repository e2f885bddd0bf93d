/*
 * testutil.h - what the Check suites share: running a suite and counting its skips,
 * running a program and capturing what it prints, temporary directories, reading
 * files and CSVs, and finding the numbers in what a program said.
 */
#ifndef PARLAB_TESTUTIL_H
#define PARLAB_TESTUTIL_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "parlab/csv.h"

/* Runs every test of the suite (each in a forked child, Check's default), prints each
 * failure, each skipped test with its reason, and one line
 * "suite NAME: N passed, N failed, N skipped" (NAME: the program's name without
 * "check_"), appends "NAME PASSED FAILED SKIPPED" to the file $PARLAB_TEST_COUNTS
 * names, when set, for `make check`'s total, and returns the exit status for main: 0
 * when none failed.  With CK_VERBOSITY set, Check prints the results its own way. */
int tu_run_suite(Suite *suite);

/* Ends the running test as skipped: it cannot run here (no mount namespace, no
 * binding, valgrind's one thread at a time), for the reason given as a printf format.
 * The test is counted as skipped, never as passed.  It returns from the test, so it
 * belongs in a START_TEST body itself, before anything that needs releasing is held.
 * Works with and without CK_FORK and under valgrind: each skip is one line appended
 * to a file the suite's runner reads when the tests are done. */
#define tu_skip(...)                                                                     \
    do {                                                                                 \
        tu_skip_record(__func__, __VA_ARGS__);                                           \
        return;                                                                          \
    } while (0)

/* Records that the test whose function is `fn` ("name_fn", as START_TEST makes it) was
 * skipped.  Use tu_skip. */
void tu_skip_record(const char *fn, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* What a program did. */
struct proc_result {
    int status; /* exit status, or 128 + signal number */
    pid_t pid;  /* the process that ran */
    char *out;  /* all of stdout */
    char *err;  /* all of stderr */
};

/* Runs $PARLAB_BIN/<program> (bin/ by default) with the NULL-terminated args and
 * waits for it.  Fails the test when the program cannot be started. */
void tu_run(struct proc_result *r, const char *program, const char *const *args);

/* The same with "NAME=value" strings added to (or replacing in) the environment. */
void tu_run_env(struct proc_result *r, const char *const *env, const char *program,
                const char *const *args);

/* The same for a program that must succeed: fails the test, showing its stderr, when
 * it does not. */
void tu_run_ok(const char *program, const char *const *args);

/* Runs the NULL-terminated argv (argv[0] looked up in PATH) with the environment
 * additions, from the current directory, and waits for it. */
void tu_run_cmd(struct proc_result *r, const char *const *env, const char *const *argv);

/* A program started in the background, its output going to files. */
struct proc_handle {
    pid_t pid;
    char *dir, *out, *err;
};

/* Starts $PARLAB_BIN/<program> with the environment additions and args, without
 * waiting for it. */
void tu_start(struct proc_handle *h, const char *const *env, const char *program,
              const char *const *args);

/* Starts the NULL-terminated argv (argv[0] looked up in PATH) the same way. */
void tu_start_cmd(struct proc_handle *h, const char *const *env, const char *const *argv);

/* Waits for a started program and collects what it did into *r. */
void tu_finish(struct proc_handle *h, struct proc_result *r);

/* The processes whose parent is `parent` (from /proc), at most max of them. */
size_t tu_children(pid_t parent, pid_t *children, size_t max);

/* Waits until `parent` has at least `count` children (at most 5 s; fails the test
 * after that), and returns how many it has, at most max, their pids in children. */
size_t tu_wait_for_children(pid_t parent, size_t count, pid_t *children, size_t max);

/* Fails the test when any of the n processes is still there. */
void tu_expect_gone(const pid_t *pids, size_t n);

/* A forked child writes into p[0]: true when this process then sees what it wrote,
 * that is when p is memory shared with children. */
bool tu_shared_with_child(unsigned char *p);

/* An in-memory FILE to print into, and the text printed once it is closed (the
 * caller frees it); both fail the test on error. */
struct tu_text {
    FILE *f;
    char *text;
    size_t len;
};
FILE *tu_text_open(struct tu_text *t);
char *tu_text_close(struct tu_text *t);

/* True while /proc has the process, running or not yet reaped. */
bool tu_alive(pid_t pid);
void tu_result_release(struct proc_result *r);

/* A fresh directory under $TMPDIR (or /tmp), and its removal with its files (which
 * also frees the name). */
char *tu_tmpdir(void);
void tu_rmrf(char *dir);

/* The same without the heap, for tests whose forked children exit where they are:
 * a fresh directory's name into buf, and the removal of a tree. */
void tu_tmpdir_in(char *buf, size_t len);
void tu_remove_tree(const char *dir);

/* dir + "/" + name, in a buffer the caller frees. */
char *tu_path(const char *dir, const char *name);

/* The whole file, NUL terminated, or NULL when it cannot be read. */
char *tu_read_file(const char *path);

/* Writes text to path (fails the test on error). */
void tu_write_file(const char *path, const char *text);

/* A directory with runs.csv and jobs.csv, each its header and one earlier row, for
 * tests that a run which fails leaves them as they were. */
struct tu_results {
    char *dir, *runs, *jobs;
};
void tu_results_make(struct tu_results *d);

/* Fails the test unless both files hold exactly what tu_results_make wrote. */
void tu_results_expect_untouched(const struct tu_results *d);

/* Removes the directory and frees the names. */
void tu_results_remove(struct tu_results *d);

/* Reads and parses a CSV file into *t; fails the test when it cannot or when the
 * file has no header.  Release with csv_table_release. */
void tu_read_csv(const char *path, struct csv_table *t);

/* The field of `row` in the column named `column`, as text or as a number; fails the
 * test when the table has no such column. */
const char *tu_field(const struct csv_table *t, size_t row, const char *column);
double tu_num(const struct csv_table *t, size_t row, const char *column);

/* Fields in a CSV line, such as a header or a row: its commas outside quotes plus one
 * ("a,\"b,c\"" has 2). */
size_t tu_count_fields(const char *line);

/* Numbers in what a program said, so that a test asserts the number and not the
 * sentence around it.  A number is a run of digits with at most one decimal point that
 * does not continue a word ("x86", "C(20,4)" has 20 and 4, "1/4" has 1 and 4, a sign is
 * not part of it). */

/* The first number after the first occurrence of `key` in text; NAN when there is no
 * `key` or no number after it. */
double tu_number_after(const char *text, const char *key);

/* True when one of the numbers in text equals value (within 1e-9 of it). */
bool tu_has_number(const char *text, double value);

/* The numbers in text in order, at most max of them into out; returns how many there
 * are (which may be more than max). */
size_t tu_numbers(const char *text, double *out, size_t max);

/* The first line of text that contains `needle`, without its newline, into buf;
 * false (and buf empty) when no line does. */
bool tu_line(const char *text, const char *needle, char *buf, size_t len);

/* True when text contains each of the NULL-terminated strings. */
bool tu_mentions(const char *text, ...) __attribute__((sentinel));

/* Lines in s (a last line without a newline counts). */
size_t tu_count_lines(const char *s);

/* CPUs this process may run on (sched_getaffinity). */
int tu_usable_cpus(void);

/* True in the valgrind pass (PARLAB_UNDER_VALGRIND set), where each program a test
 * starts costs most of a second: there a test that loops over many command lines may
 * run one line per kind, and a test may leave out what the plain and sanitizer passes
 * cover and valgrind would not check (gnuplot's drawing, a kernel's arithmetic).
 * docs/tests.md lists what each suite runs reduced there. */
bool tu_under_valgrind(void);

/* Why tests that start mpirun cannot run here, or NULL: no mpirun on PATH, or the
 * sanitizer (PARLAB_SANITIZED) and valgrind passes, where Open MPI's own allocations
 * and threads would be the noise (the plain pass runs them). */
const char *tu_no_mpi(void);

/* Open MPI's two variables that let root run it, as "NAME=1" strings ending in NULL,
 * when this process is root; else an empty list (they are never set for a user). */
const char *const *tu_mpi_env(void);

#endif
