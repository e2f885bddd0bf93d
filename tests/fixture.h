/*
 * fixture.h - copies of the results fixtures in tests/fixtures, edited line by line,
 * for the suites that read results back (check_report, check_figures, check_results).
 */
#ifndef PARLAB_TESTS_FIXTURE_H
#define PARLAB_TESTS_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>

#define FIXTURE_SMALL "tests/fixtures/small"     /* round numbers: see its README */
#define FIXTURE_LESSONS "tests/fixtures/lessons" /* a real run of every experiment */
#define FIXTURE_QUIET "tests/fixtures/quiet"     /* real runs on an otherwise idle machine */
#define FIXTURE_BUSY "tests/fixtures/busy"       /* real runs beside two busy programs */
#define FIXTURE_SLOWED "tests/fixtures/slowed"   /* idle, but some cases' PUs ran slower */
#define FIXTURE_MPI "tests/fixtures/mpi"         /* ranks, procs and hybrid splits by hand */
#define FIXTURE_GRANULARITY "tests/fixtures/granularity" /* small's, and a sweep by hand */

/* A fresh directory holding a copy of the fixture directory `from`: its runs.csv,
 * jobs.csv and, when it has them, slices.csv, granularity.csv and overhead.csv.  Release with tu_rmrf. */
char *fixture_copy(const char *from);

/* Rewrites dir/file line by line: edit returns the line to keep (its own static
 * buffer, the line itself, or NULL to drop it); `extra` lines are appended after it
 * when edit sets *extra (a whole line without its newline, NULL for none). */
typedef const char *fixture_edit(const char *line, const char **extra);
void fixture_rewrite(const char *dir, const char *file, fixture_edit *edit);

/* Edits for fixture_rewrite of runs.csv: keep the serial runs alone; drop them. */
const char *fixture_serial_only(const char *line, const char **extra);
const char *fixture_no_serial(const char *line, const char **extra);

/* Adds the rows of a backend the code has never heard of, "parlab-fake" (workers are
 * processes), to the copy in dir: every parlab-procs run and job again, under run ids
 * prefixed "fake-", with worker_kind "process". */
void fixture_add_fake_backend(const char *dir);

/* Adds run-all's simd lesson to a copy of the small fixture in dir, as round numbers
 * beside its 4 jobs of n = 80 (scalar serial 2.0 s; scalar threads W = 1 2.0 s, W = 2
 * 1.0 s): runs.csv gains the columns kernel, isa and other_cpu_s (empty kernel and 0 s
 * for its rows), and rows of 3 runs each with kernel simd, isa avx2: parlab-serial
 * 0.5 s (a speedup of 4), parlab-threads lock none W = 1 0.5 s and W = 2 0.255 s (7.84,
 * 2% below 4 x 2); `busy_s` is the other_cpu_s of the W = 2 simd rows. */
void fixture_add_simd(const char *dir, const char *busy_s);

/* The rows of a runs.csv an edit applies to: NULL (and 0) match any value; a
 * switch_ms or payload of "" matches rows without switching, "0" rows without one. */
struct fixture_rows {
    const char *program, *lock, *pin, *switch_ms, *payload;
    unsigned long workers;
    long rep;
};

/* Sets `column` of the matching rows of dir/runs.csv to `value`, or, when value is
 * NULL, multiplies the number there by `scale`.  Fails the test when no row matches;
 * returns how many did. */
size_t fixture_set(const char *dir, const struct fixture_rows *which, const char *column,
                   const char *value, double scale);

/* The line of text that starts with `prefix` (a copy, malloc'd), or NULL. */
char *fixture_line(const char *text, const char *prefix);

/* The number of times `needle` occurs in text. */
size_t fixture_count(const char *text, const char *needle);

#endif
