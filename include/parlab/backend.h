/*
 * backend.h - the ways of running jobs, each described once.
 *
 * A backend is one way of putting the same jobs on workers: the serial baseline,
 * OpenMP threads, forked processes, MPI ranks.  Its description says what a
 * worker is and what follows from that (shared memory and lock, data that crosses a
 * process boundary, who can stop a worker), and how figures and the report show it.
 * Library code asks these questions of the description, never of a program's name;
 * the report and the figures use it for the backends they know and fall back on the
 * CSV's worker_kind column for any other (backend_describe).
 *
 * Adding a backend: a program file src/parlab-NAME.c that fills in a struct program
 * (program.h) with its run_jobs, and its description in src/lib/backend.c (one
 * struct and one entry of the table) with its extern below.
 * Without the entry its CSV rows are still reported and drawn, with a label made
 * from its name and a colour of its own.
 */
#ifndef PARLAB_BACKEND_H
#define PARLAB_BACKEND_H

#include <stdbool.h>
#include <stddef.h>

/* What one worker is.  The runs CSV's worker_kind column holds its name. */
enum worker_kind {
    WORKER_THREAD,  /* a thread of the one process: shares its memory and its lock */
    WORKER_PROCESS, /* a process of its own: its own memory, its own lock */
    WORKER_RANK,    /* an MPI rank: a process, possibly on another host */
    WORKER_UNKNOWN  /* read from a CSV that does not say */
};

struct backend {
    const char *name;        /* "parlab-threads": the CSV's program column */
    const char *label;       /* "threads": legends, table rows, report sentences */
    const char *colour;      /* "#4c72b0": its first series in every figure */
    const char *workers_are; /* "OpenMP threads": the plan's headline */
    const char *worker_is;   /* "OpenMP thread": the same for one worker */
    enum worker_kind worker;
    unsigned max_workers;    /* 1 for the serial baseline */
    bool baseline;           /* the serial runs that speedups divide by */
    bool shares_memory;      /* workers share the run's memory, and so one lock */
    bool data_crosses;       /* job data crosses a process boundary: --transport applies,
                              * unless the backend moves it its own way (transport) */
    const char *transport;   /* that way, as runs.csv's transport column names it ("mpi"),
                              * and --transport is refused; NULL where --transport chooses */
    const char *transport_is; /* its words in the plan's payload line, with transport */
    bool stops_workers;      /* run_jobs enforces --timeout and stops its workers itself;
                              * otherwise a timer ends the whole process */
    bool openmp;             /* its workers are OpenMP threads: without -w, the
                              * OMP_NUM_THREADS every OpenMP program obeys gives W,
                              * and --schedule chooses OpenMP's schedule */
    bool hybrid;             /* each of its workers may run OpenMP threads of its own
                              * (--threads T: parlab-mpi's ranks) */
    const char *schedule;    /* how its workers take the jobs, as runs.csv's schedule
                              * column says, where --schedule does not choose:
                              * "dynamic,1" for one shared queue that each worker takes
                              * the next job from, "" for one worker taking them in
                              * order; NULL for OpenMP's (--schedule) */
};

/* The backends parlab ships, each a program of its own, and the table of them in the
 * order figures and tables list them. */
extern const struct backend backend_serial, backend_threads, backend_procs, backend_mpi;
extern const struct backend *const backend_table[];
extern const size_t backend_count;

/* Colours for series a backend's own colour does not cover (its second lock, programs
 * without an entry in the table), in the order figures hand them out: an initializer,
 * so that each user's array knows its size.  The orange of lock waits is not among
 * them, and the purple comes after the brown: it is near MPI's mauve. */
#define BACKEND_SPARE_COLOURS                                                             \
    "#c44e52", "#937860", "#8172b2", "#da8bc3", "#ccb974", "#64b5cd", "#8c8c8c", "#4d4d4d"

/* The backend called `name` ("parlab-procs"), or NULL. */
const struct backend *backend_find(const char *name);

/* The description of the program `name` as results should show it: the table's entry
 * when there is one; otherwise a description made from the name and `kind` (label:
 * the name without "parlab-"; workers_are: "threads", "processes", "ranks" or
 * "workers"; no colour, so the caller picks a spare one; memory shared only for
 * WORKER_THREAD) written into *scratch, which must outlive its use. */
const struct backend *backend_describe(const char *name, enum worker_kind kind,
                                       struct backend *scratch);

/* Programs from outside parlab's own that divide by a serial run of their own form
 * suites.  The exercises' checker (parlab-exercise) names its rows' programs
 * exercise-NAME-PART ("exercise-pi-reduction"): the parts of one exercise form a suite,
 * and its part "serial" is the baseline of the others, as parlab-serial is of parlab's
 * programs.  src/joblib-compare.py names its rows joblib-PART ("joblib-loky"): one
 * suite, "joblib", whose baseline is joblib-serial (joblib's sequential backend).
 * The length of `program`'s suite name ("exercise-pi": 11, "joblib": 6), or 0 for a
 * program that belongs to no suite. */
size_t backend_suite_length(const char *program);

/* True for the serial part of a suite ("exercise-pi-serial", "joblib-serial"). */
bool backend_suite_baseline(const char *program);

/* True for an exercise's part (exercise-NAME-PART), not for another suite's. */
bool backend_suite_exercise(const char *program);

/* "thread", "process", "rank" or "unknown". */
const char *worker_kind_name(enum worker_kind kind);

/* The kind named `text` (as worker_kind_name writes it); WORKER_UNKNOWN for "" and
 * anything else. */
enum worker_kind worker_kind_parse(const char *text);

#endif
