/*
 * checker.h - parlab-exercise's parts: the exercises it knows, the build of a
 * student's file, one trial of it in a process of its own under a time limit, and the
 * judgement of what the trials found.
 *
 * An exercise (exercises.c) is a student's file (labs/exercises/NAME.c), its harness
 * (src/exercises/NAME.c) and a table of parts: the serial one the speedups divide by,
 * the ones that must be right in every run, and the deliberate race that the handout
 * expects to be wrong.  Its judge turns the trials' numbers into sentences.
 */
#ifndef PARLAB_CHECKER_H
#define PARLAB_CHECKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* What a part is for. */
enum part_role {
    PART_SERIAL, /* the baseline: given, right, on one thread */
    PART_RIGHT,  /* the student's: right in every run, at every W */
    PART_RACE    /* the student's deliberate race: wrong is what the handout expects */
};

struct exercise_part {
    const char *name;     /* "critical": the harness's part, runs.csv's program's end */
    const char *function; /* "pi_critical": what the student writes */
    enum part_role role;
    const char *wrong;    /* why it is wrong when it is wrong with several threads and
                           * right with one: "two threads update `sum` at once"; for a
                           * serial part the student writes, what it must do (NULL: the
                           * serial part is given) */
    bool not_race;        /* being wrong with several threads and right with one is
                           * not a race here (a schedule other than the one asked):
                           * the verdict gives `wrong` without calling it one */
    const char *schedule; /* runs.csv's schedule column for this part, or NULL */
    const char *env[3];   /* NAME=VALUE settings its trials run with ("OMP_PROC_BIND=
                           * close"), besides OMP_NUM_THREADS; NULL-terminated */
    bool tsan;            /* one more trial at the largest W (from 2 up), of the file
                           * built with -fsanitize=thread, where it builds: a data race
                           * it reports makes the part wrong, on any number of PUs.  Not
                           * for OpenMP parts: libgomp is not built with it, so it
                           * reports OpenMP's own synchronisation as races */
};

/* What the trials of one part at one W found. */
struct part_cell {
    unsigned threads;
    unsigned runs, right, wrong;
    double wall_median, wall_min, wall_max; /* over the right runs; 0 without any */
    double cpu_median;
    double value_median;   /* of the harness's t->value, over the right runs */
    char first_wrong[512]; /* the harness's detail of the first wrong run */
    bool busy_known;       /* /proc/stat could be read before and after the trials */
    bool too_short;        /* their span is too short for its ticks to tell a busy
                            * machine (summary.h's too_short_to_tell) */
    double busy_rate;      /* CPU-seconds per second others used while they ran, beyond
                            * the rounding */
    double value_max;      /* the largest value (t->value) of a right run */
    unsigned value_nonzero; /* right runs whose value was not 0 */
    char right_detail[512]; /* the harness's detail of the right run with the largest
                            * value (the first of equals): what it saw, for the judge */
};

struct part_result {
    const struct exercise_part *part;
    bool skipped;              /* not asked for (--part) */
    bool todo;                 /* the student's function says EXERCISE_TODO */
    char todo_where[256];      /* "pi.c:48" */
    char todo_what[512];
    struct part_cell *cells;   /* one per W of the checker's list */
    size_t ncells;
};

struct exercise;

/* What the judge sees: every part's cells, and the machine. */
struct check_state {
    const struct exercise *ex;
    struct part_result *parts;
    size_t nparts;
    unsigned pus;              /* PUs this process may use */
    FILE *out;                 /* where sentences go */
    unsigned failures;         /* sentences that make the verdict "wrong" */
    char first_failure[1024];  /* the first of them, for the last line */
    char done_note[512];       /* what the judge adds to a "done" last line (what it could
                                * not judge, and why), or "" */
};

struct exercise {
    const char *name;      /* "pi" */
    const char *title;     /* "Pi by numerical integration" */
    const char *handout;   /* "labs/exercises/02-pi.md" */
    const char *size_unit; /* "steps": what --size counts */
    uint64_t size;         /* the default --size */
    uint64_t min_size, max_size;
    const struct exercise_part *parts;
    size_t nparts;
    bool program;          /* the file is a whole parlab program (program.h): a trial
                            * runs it as `FILE PART -w W -j JOBS -n SIZE -r 1` with CSVs.
                            * Its own validation decides (exit 1: wrong, its last line
                            * says why), then its jobs.csv rows (run_check_job_rows: the
                            * jobs on W workers, each one thread, one job at a time);
                            * each part but the serial one has one more trial at the
                            * largest W, with --lock held, in which no two jobs may
                            * overlap (its rows are not kept) */
    unsigned jobs;         /* runs.csv's jobs column: the jobs of one trial */
    bool no_speed;         /* speed means nothing here (hello): no speedups in the table
                            * and no speed sentences, only right or wrong */
    const char *wrong_hint; /* where a part wrong with several threads and right with
                            * one points the student, instead of "a race; see the
                            * handout's section on races" (the handout is named after
                            * it), or NULL */
    /* Sentences about speed beyond what every exercise gets (exercises.c), or NULL. */
    void (*judge)(struct check_state *st);
};

/* The exercises, in the handouts' order. */
extern const struct exercise *const exercise_table[];
extern const size_t exercise_count;

/* The exercise called `name`, or NULL. */
const struct exercise *exercise_find(const char *name);

/* The judge's helpers (exercises.c, checker.c): the cell of part `name` at W threads,
 * or NULL (also for a part not checked, or not done); a sentence that makes the verdict "wrong" (also kept as the first
 * failure); a sentence that does not. */
const struct part_cell *check_cell(const struct check_state *st, const char *name,
                                   unsigned threads);
void check_fail(struct check_state *st, const char *format, ...)
    __attribute__((format(printf, 2, 3)));
void check_say(struct check_state *st, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

/* What parlab-exercise was asked to do. */
struct check_request {
    const struct exercise *ex;
    const char *file;           /* the student's file */
    bool solution;              /* compile with -DPARLAB_SOLUTION */
    const unsigned *threads;    /* the W of the trials, ascending, the first 1 */
    size_t nthreads;
    unsigned runs;              /* trials per part and W */
    uint64_t size;
    double timeout;             /* seconds per trial */
    const char *runs_csv, *jobs_csv; /* where right trials' rows go, or NULL */
    const char *label;          /* runs.csv's label, or NULL */
    bool verbose;               /* print each trial */
    const char *only;           /* check only this part (and the serial one), or NULL */
    /* How to build: the compiler, the flags the build used (space separated), the
     * source tree (include/, labs/exercises/) and the build directory (libparlab.a,
     * exercises/NAME.o), hwloc's compile and link flags (space separated). */
    const char *cc, *cflags, *root, *build, *hwloc_cflags, *hwloc_libs;
};

/* Builds the file warning-free, runs its trials, judges them and writes the right
 * trials' rows; prints on `out` the configuration, a table and sentences, ending in
 * one line "pi: done: ...", "pi: not done yet: ..." or "pi: wrong: ...".  Returns the
 * exit status: 0 done, 1 otherwise; on an interruption (Ctrl-C) it has stopped the
 * trial and removed what it made, and the caller dies of the signal
 * (interrupt_reraise).  Messages about the checker's own trouble (a CSV it cannot
 * write) go to stderr with status 1.  When `out` cannot be written (a closed stdout, a
 * full disk; not a reader that has gone) it says so and stops after the configuration,
 * before anything is built or written, with status 1 and `out`'s error cleared. */
int checker_check(const struct check_request *rq, FILE *out);

/* ---- single source: solution and skeleton ---------------------------------------- */

/* Copies the C file `in` to `out` without its solutions: every block
 * `#ifdef PARLAB_SOLUTION` ... `#else` ... `#endif` becomes what is between #else and
 * #endif (nothing without an #else), and `#ifndef PARLAB_SOLUTION` keeps its first
 * branch; conditionals nested inside are copied or dropped with their block.  With
 * `solution` true it keeps the solutions instead.  Returns the number of blocks, or -1
 * with why saying what is wrong ("line 40: #else without #ifdef PARLAB_SOLUTION",
 * "line 12: the #ifdef PARLAB_SOLUTION is never closed") or errno's reason for a read or
 * write error. */
int exercise_strip(FILE *in, FILE *out, bool solution, char *why, size_t whylen);

/* ---- a child under a time limit ------------------------------------------------- */

/* How a child ended. */
struct child_end {
    pid_t pid;        /* the child's process id */
    double cpu_s;     /* its CPU time and its children's (wait4) */
    bool timed_out;   /* killed at the time limit */
    bool interrupted; /* killed because this process was asked to stop (Ctrl-C) */
    int status;       /* waitpid's status, when neither */
    double wall_s;
    bool report_cut;  /* the report was longer than what is kept: its end is lost */
};

/* Runs argv[0] (a path) with argv, in a process group of its own, its stdout and
 * stderr appended to the file `log` (or discarded when NULL), `env` (NAME=VALUE
 * strings, NULL-terminated, may be NULL) added to the environment, and, when report is
 * not NULL, the write end of a pipe in the environment variable EXERCISE_FD_ENV whose
 * lines are collected into *report (malloc'd, NUL-terminated; at most 1 MiB kept).
 * Kills the whole group with SIGKILL at `timeout` seconds, when the checker is
 * interrupted (interrupt.h), and after the child has ended, so that nothing it
 * started is left running; in a subreaper (PR_SET_CHILD_SUBREAPER, as parlab-exercise
 * is) also what escaped the group (setsid) and was given to this process, which must
 * then have no other children.  Returns 0 with *end filled in, or -1 with errno set when
 * the child could not be started. */
int checker_spawn(char *const argv[], char *const env[], const char *log, double timeout,
                  char **report, struct child_end *end);

/* "exit status 3", "killed by SIGSEGV (segmentation fault)", "ran past its 10 s
 * limit". */
void checker_describe_end(const struct child_end *end, double timeout, char *text, size_t len);

#endif
