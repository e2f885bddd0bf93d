/*
 * class.h - a class's results side by side: many students' results directories, from
 * machines with different PU counts, hosts and kernel speeds, read one by one with the
 * results library (results.h) and merged into one row per student and machine.
 *
 * Each directory is read on its own, so that every speedup in a row divides by that
 * student's own serial run of the same jobs and kernel size on the same host, and no
 * number ever divides one student's or one machine's time by another's.  A directory
 * that cannot give a row (no runs.csv, a malformed one, no serial run, runs of several
 * hosts or students mixed) is refused with its reason, and the others go on.
 *
 * The student is the runs CSV's `label` column (parlab's --label or PARLAB_LABEL),
 * or, where the column is missing or empty, the directory's name.
 *
 * The exercises' rows (parlab-exercise's, program exercise-NAME-PART: backend.h) are
 * a second table: per row, each exercise part's speedup at W = PUs over the same
 * student's serial part of that exercise.  A directory with exercise rows only is a
 * row whose parlab columns are empty ("no parlab-serial run").
 */
#ifndef PARLAB_CLASS_H
#define PARLAB_CLASS_H

#include <stdbool.h>
#include <stddef.h>

#include "parlab/results.h"

/* The speedups the labs ask for, one column each: threads with the lock released and
 * procs at W = PUs, threads with the lock held at W = 3 (the lecture's). */
enum class_column { CLASS_THREADS, CLASS_PROCS, CLASS_HELD, CLASS_NCOLUMNS };

/* The W of the lock-held column. */
#define CLASS_HELD_WORKERS 3

/* One speedup of a row. */
struct class_speedup {
    const struct results_series *series; /* the way of running, or NULL when the
                                          * directory has no runs of it */
    unsigned long workers;               /* the W asked for */
    const struct summary_case *c;        /* that series' case at W, or NULL */
    double speedup;                      /* c's over its serial case; 0 when none */
    char why[256];                       /* when speedup is 0: why, one clause ("no run
                                          * with W = 8", "no serial run with n = 101 on
                                          * host vm; nearest n = 100") */
};

/* A lock-fraction case at W = PUs and the serial fraction fitted back from it. */
struct class_fit {
    double fraction;              /* the F it was run with, 0 < F < 1 */
    const struct summary_case *c; /* or NULL */
    double speedup;               /* 0 when none */
    double fitted;                /* Karp and Flatt's e for speedup on PUs; 0 when none */
    char why[256];                /* when there is no fit: why */
};

/* Whether the machine was quiet while the row's cases (and the serial runs they
 * divide by) ran. */
enum class_quiet {
    CLASS_QUIET,       /* other programs under SUMMARY_BUSY_RATE in every run that could
                        * tell, repetitions agree, PUs not slowed, on mains power */
    CLASS_NOT_QUIET,   /* busy, repetitions that disagree, slowed PUs, or battery */
    CLASS_CANNOT_TELL  /* none of those, but some runs do not record other programs'
                        * CPU time, or are too short for /proc/stat's ticks to tell */
};

/* An exercise part of a row: its speedup at W = PUs over the serial part of its
 * exercise (the same student's, of the same jobs and n on the same host). */
struct class_exercise {
    const char *program;                 /* "exercise-pi-critical" (the row's results') */
    const struct results_series *series; /* its runs */
    const struct summary_case *c;        /* its case at W = PUs, or NULL */
    double speedup;                      /* c's over its serial part; 0 when none */
    char why[384];                       /* when speedup is 0: why, one clause ("no
                                          * run of pi atomic with W = 8 (W run: 1, 2)") */
};

/* One student's results on one machine: a row of the class table. */
struct class_row {
    char *dir;                /* as given */
    char *student;            /* the label, or the directory's last name */
    bool labelled;            /* the student's name came from the label column */
    struct results r;         /* the directory's runs (its jobs are not read) */
    unsigned long pus, cores; /* cores 0 when the runs do not say */
    unsigned long jobs, size; /* of the first of the speedup cases, else the serial's;
                               * 0 when there is no parlab-serial run */
    unsigned long fraction_size; /* of the lock-fraction cases, or 0 when none */
    double serial_wall;       /* the median wall time of the serial case of jobs and
                               * size; 0 when there is none */
    struct class_speedup speedups[CLASS_NCOLUMNS];
    struct class_fit *fits;   /* one per F of the directory's lock-fraction cases */
    size_t nfits;
    enum class_quiet quiet;
    char conditions[512];     /* why not quiet, or why it cannot tell ("" when quiet):
                               * "other programs used 1.52 CPU-seconds per second
                               * (threads, lock none, W = 8); on battery".  These
                               * judge parlab's runs only, the exercises' below */
    bool exercised;           /* the runs.csv has exercise rows */
    struct class_exercise *exercises; /* its non-serial exercise parts, in file order */
    size_t nexercises;
    enum class_quiet exercise_quiet;  /* the same verdict over the exercise parts at
                                       * W = PUs and their serial parts (not over
                                       * their CPU time: see class.c) */
    char exercise_conditions[512];
};

struct class {
    struct class_row *rows;  /* in the order they were added */
    size_t nrows, cap;
};

/* An empty class; release with class_release. */
void class_init(struct class *cl);

/* Reads the results directory `dir` (its runs.csv) and adds its row.  Returns 0; or
 * 1 when the directory was refused, with why saying why in one line that does not
 * name the directory ("it has no runs.csv", "it is not a directory", "its runs.csv
 * holds runs of 2 hosts (vm, lab-3): one directory per machine", "its runs.csv has
 * no serial run to divide by ... and no exercise runs"); or -1 when out of memory
 * (errno ENOMEM, why says so). */
int class_add(struct class *cl, const char *dir, char *why, size_t whylen);

/* The name of a column ("threads, lock none, W = PUs") for tables and figures. */
const char *class_column_name(enum class_column k);

/* The lock fractions 0 < F < 1 of any row, ascending, each once, into *out (malloc'd,
 * NULL when none).  Returns the count, or (size_t)-1 when out of memory. */
size_t class_fractions(const struct class *cl, double **out);

/* The fit of row `row` at fraction f, or NULL when it has no case of f. */
const struct class_fit *class_fit_of(const struct class_row *row, double f);

/* The exercise parts (their programs, "exercise-pi-critical") of any row, each once,
 * into *out (malloc'd, NULL when none; the strings are the rows'): the parts of an
 * exercise together, in the order the rows' files have them, the exercises in the
 * order they first appear.  Returns the count, or (size_t)-1 when out of memory. */
size_t class_exercise_parts(const struct class *cl, const char ***out);

/* Row `row`'s part `program`, or NULL when its runs.csv has no runs of it. */
const struct class_exercise *class_exercise_of(const struct class_row *row,
                                               const char *program);

/* The name of an exercise part in tables: "pi critical" for exercise-pi-critical. */
void class_exercise_name(const char *program, char *text, size_t len);

/* Whether any row has exercise runs. */
bool class_exercised(const struct class *cl);

/* "yes", "no" or "cannot tell". */
const char *class_quiet_name(enum class_quiet q);

/* The class's figures, each as FIGURE.dat and FIGURE.gp in the existing directory
 * dir (the format figures.h describes, for plots/FIGURE.gp), and the file
 * dir/class-figures with a line per figure, "FIGURE yes" or "FIGURE no REASON":
 *
 *   class-speedup  speedup against workers (threads, lock none), a block per machine
 *   class-pus      speedup at W = PUs against PUs, a block per way of running, a row
 *                  per machine
 *   class-amdahl   the measured speedup of every lock-fraction case against Amdahl's
 *                  prediction for it, a block per machine
 *
 * Returns the number of figures with data, or -1 with why saying which file could not
 * be written. */
int class_write_figures(const struct class *cl, const char *dir, char *why, size_t whylen);

/* The figures class_write_figures writes, in the order it writes them. */
extern const char *const class_figure_names[];
extern const size_t class_figure_count;

/* Whether figure k (of class_figure_names) has data in cl. */
bool class_figure_has_data(const struct class *cl, size_t k);

void class_release(struct class *cl);

#endif
