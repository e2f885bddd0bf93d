/*
 * results.h - a results directory read back: the runs grouped into cases (summary.h),
 * every job and every lock slice as numbers, the backends present, and the questions
 * the report and the figures ask of them.
 *
 * Nothing here knows which programs exist.  A case's backend is its description
 * (backend.h): the table's entry, or one made from the CSV's program and worker_kind
 * columns, so the rows of a backend the code has never heard of are grouped, drawn
 * and reported like any other.  The series the figures draw are found in the data:
 * one per backend and lock among the unpinned cases.
 *
 * Nothing is dropped: every job of every run is kept (memory grows with the files),
 * and every query that returns a list allocates it.
 */
#ifndef PARLAB_RESULTS_H
#define PARLAB_RESULTS_H

#include <stdbool.h>
#include <stddef.h>

#include "parlab/backend.h"
#include "parlab/csv.h"
#include "parlab/granularity.h"
#include "parlab/summary.h"

/* One row of jobs.csv. */
struct results_job {
    const char *run_id; /* first: points into the table */
    size_t row;         /* its row in the file */
    long job, worker;
    long pu_start, pu_end, pu_planned; /* pu_planned: -1 when none was planned */
    double t_start, t_end, cpu, lock_wait, copy, bytes, switches;
    const char *host;   /* the host its worker ran on; "" where the file does not say */
    long rank, thread;  /* MPI: its rank and the thread in it; -1 for other programs and
                         * files from before the columns */
};

/* One row of slices.csv: a stretch in which a job held the lock. */
struct results_slice {
    const char *run_id; /* first */
    size_t row;
    long job, worker;
    double t_start, t_end;
};

/* A way of running at one lock ("threads, lock held"): a line of the speedup figure,
 * a panel of the timeline, a column of the sweep's table.  Hybrid MPI cases (ranks of
 * several threads each, summary_hybrid) belong to no series where the same backend
 * and lock have runs of one thread per rank: the series' case with W workers is then
 * the one on W ranks, and the hybrid splits are the report's MPI section's
 * (results_flat_case).  Where the files hold only hybrid runs of a backend and lock (a
 * lab's directory of 1 rank x 2 threads), those are the series. */
struct results_series {
    const struct backend *backend;
    const char *lock;   /* "none" or "held" */
    char label[96];
    const char *colour; /* "#4c72b0" */
};

/* A way a payload travelled: a backend and a transport ("procs: through pipes"). */
struct results_carrier {
    const struct backend *backend;
    const char *transport;
    char label[96];
    const char *colour;
};

/* Where the files are: jobs and slices may be NULL, or name files that are missing,
 * in which case the sections that need them are left out.  One machine's runs are
 * read back (speedups, placements and PUs mean nothing across machines): `host`'s,
 * or when it is NULL the first row's. */
struct results_paths {
    const char *runs, *jobs, *slices;
    const char *host;
    const char *granularity, *overhead; /* the granularity sweep's runs CSV and
                                         * parlab-overhead's rows (granularity.h); NULL
                                         * or missing files: not read */
};

struct results {
    struct results_paths paths;        /* as given to results_load: the caller's strings */
    struct summary runs;
    const struct backend **backend_of; /* per case */
    struct backend *made;              /* descriptions of programs the table lacks */
    size_t nmade;
    struct csv_table jobs_table, slices_table;
    bool have_jobs, have_slices;
    struct results_job *jobs;          /* grouped by run, in file order within a run */
    size_t njobs;
    struct results_slice *slices;      /* grouped the same way */
    size_t nslices;
    struct results_series *series;     /* backend table order, then as they appear */
    size_t nseries;
    struct results_carrier *carriers;
    size_t ncarriers;
    const struct summary_case *serial;    /* the notebook's baseline, or NULL */
    const struct summary_case *switching; /* lock held, handed over; or NULL */
    unsigned long workers;             /* the notebook's W */
    unsigned long pin_workers;         /* the W of the pinning comparison */
    unsigned long pus;
    unsigned long cores;               /* the cores holding the PUs; 0 when the runs do
                                        * not say (files without the cores column) */
    char *host;                        /* the machine whose runs these are */
    char *other_hosts;                 /* the file's other machines, ", " apart, or NULL */
    size_t nother_hosts;
    struct results_index *index;       /* the cases sorted for the queries (results.c's) */
    bool *charted;                     /* per case: plain, and flat or standing in for
                                        * flat runs the files lack (results_series) */
    struct granularity granularity;    /* the sweep's lines, of this host (have: read) */
};

/* Reads the files.  `workers` is the notebook's W, or 0 for the lecture's 3 when
 * there are such runs, else the first parallel case's.  When need_jobs, a missing or
 * malformed jobs CSV is an error.  Returns 0, or -1 with why saying which file and
 * what is wrong ("'x.csv' holds no runs", "'x.csv' holds no runs of host 'y'"). */
int results_load(struct results *r, const struct results_paths *paths, unsigned long workers,
                 bool need_jobs, char *why, size_t whylen);

void results_release(struct results *r);

/* The description of case c's backend. */
const struct backend *results_backend(const struct results *r, const struct summary_case *c);

/* The unpinned case of series s with W workers, or NULL.  (Like every query of the
 * series and the pinning, it never returns a hybrid case.) */
const struct summary_case *results_series_case(const struct results *r,
                                               const struct results_series *s,
                                               unsigned long workers, const char *pin);

/* The unpinned cases of series s, by workers ascending, into *out (malloc'd, NULL
 * when there are none).  Returns their count, or (size_t)-1 when out of memory. */
size_t results_sweep(const struct results *r, const struct results_series *s,
                     const struct summary_case ***out);

/* The most workers of any unpinned case. */
unsigned long results_most_workers(const struct results *r);

/* The worker counts of the unpinned cases, ascending, each once, into *out (malloc'd,
 * NULL when none).  Returns their count, or (size_t)-1 when out of memory.  Tables
 * and figures go through these, never through every W from 1 up. */
size_t results_worker_counts(const struct results *r, unsigned long **out);

/* The pinning comparison: the backends run pinned with the comparison's W (each with
 * the lock of its first pinned case), and the policies, "none" first, then as they
 * appear. */
struct results_pinning {
    const struct backend **backends;
    const char **locks;
    size_t nbackends;
    const char **pins;
    size_t npins;
};

/* Fills *p.  Returns 0 (nbackends 0 when nothing was pinned), or -1 when out of
 * memory.  Release with results_pinning_release. */
int results_pinning(const struct results *r, struct results_pinning *p);

/* The case of backend m of p under policy k, or NULL. */
const struct summary_case *results_pinned_case(const struct results *r,
                                               const struct results_pinning *p, size_t m,
                                               size_t k);

void results_pinning_release(struct results_pinning *p);

/* The jobs of the run run_id: *first and the count (0 when none). */
size_t results_jobs_of(const struct results *r, const char *run_id,
                       const struct results_job **first);

/* The slices of the run run_id. */
size_t results_slices_of(const struct results *r, const char *run_id,
                         const struct results_slice **first);

/* What the jobs of one run (a case's median run) did. */
struct results_run {
    size_t jobs;
    size_t most_at_once;   /* the most jobs in progress at one moment */
    double lock_wait;      /* summed over the jobs */
    double switches;       /* lock hand-overs, summed */
    size_t on_planned;     /* started and ended on their planned PU */
    size_t moved;          /* ended on another PU than they started on */
    long busiest;          /* the worker that ran the most jobs, and how many */
    size_t busiest_jobs;
    unsigned long workers_seen; /* workers that ran at least one job */
    size_t most_in_a_rank;      /* the most jobs in progress at once in one MPI rank (jobs
                                 * with a rank), else in the one process: most_at_once */
    double job_s, kernel_s;     /* medians: receiving the input to sending the output;
                                 * the kernel and the work on the data */
    double bandwidth;           /* median bytes per second of the jobs that copied */
    size_t copied;              /* jobs that copied any bytes */
};

/* For a hybrid case c (summary_hybrid): the case of the same backend, lock, W, jobs,
 * size, sizes and label, unpinned and plain, on W ranks of one thread each; or NULL. */
const struct summary_case *results_flat_case(const struct results *r,
                                             const struct summary_case *c);

/* Fills *f for the median run of case c.  Returns 0, or -1 when c is NULL, there
 * are no jobs for it, or memory ran out. */
int results_run_facts(const struct results *r, const struct summary_case *c,
                      struct results_run *f);

/* The lock fractions the unpinned threads-like cases (workers sharing memory, not
 * the baseline) were run with, ascending: "none" as 0, "held" as 1, "fraction:F" as
 * F.  *out is malloc'd (NULL when none).  Returns the count, or (size_t)-1. */
size_t results_fractions(const struct results *r, double **out);

/* The case with lock fraction f (as above) and W workers, unpinned, sharing memory. */
const struct summary_case *results_fraction_case(const struct results *r, double f,
                                                 unsigned long workers);

/* The kernel sizes of the lock-fraction cases, as text: "n = 85 (F = 0 and 1: n =
 * 108)" when those with 0 < F < 1 differ from those with F = 0 and 1. */
void results_fraction_sizes(const struct results *r, char *text, size_t len);

/* The payload sizes run, ascending, into *out.  Returns the count, or (size_t)-1. */
size_t results_payload_sizes(const struct results *r, unsigned long long **out);

/* The payload case of carrier k with `bytes` bytes, or NULL. */
const struct summary_case *results_payload_case(const struct results *r, size_t k,
                                                unsigned long long bytes);

/* The median wall time of the serial case a case's speedup divides by, or 0. */
double results_serial_wall(const struct results *r, const struct summary_case *c);

/* memcpy's bandwidth measured beside the largest payload, in bytes per second, or 0. */
double results_memcpy_bandwidth(const struct results *r);

/* The simd lesson (run-all's 8.): the cases of one vectorised kernel beside the scalar
 * ones, all of one kernel size, unpinned, lock none.  Their speedups divide by the
 * scalar serial run of their jobs and size (the summary's serial case: simd runs are
 * never a baseline). */
struct results_simd {
    bool have;                             /* any run with --kernel simd at all */
    const struct summary_case *serial;     /* parlab-serial --kernel simd, or NULL */
    char isa[48];                          /* its ISA ("avx2"), "" where no row says */
    unsigned long size;                    /* their n */
    unsigned long most;                    /* the largest W of threads[], 0 when none */
    const struct summary_case **threads;   /* [2 * W - 2]: parlab-threads, scalar, at W;
                                            * [2 * W - 1]: with the simd kernel; NULL
                                            * where there is none */
};

/* Finds the simd lesson's cases: the first simd case in file order (parlab-serial's
 * when there is one) chooses the ISA and n, and at each W the scalar threads case of
 * the simd one's jobs where there is one.  Returns 0, or -1 (ENOMEM). */
int results_simd(const struct results *r, struct results_simd *out);

/* The scalar (simd false) or simd threads case of W in s, or NULL. */
const struct summary_case *results_simd_threads(const struct results_simd *s, unsigned long w,
                                                bool simd);

void results_simd_release(struct results_simd *s);

/* The case a report's headline describes: the serial one, else the first. */
const struct summary_case *results_first(const struct results *r);

/* Amdahl's prediction for serial fraction f on p processors. */
double results_amdahl(double f, double p);

/* The serial fraction that speedup s on p > 1 processors implies (Karp and Flatt). */
double results_karp_flatt(double s, double p);

#endif
