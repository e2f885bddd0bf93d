/*
 * summary.h - the runs CSV condensed into cases: one line per program, workers,
 * jobs, size, lock and pin, with the median, minimum and maximum over repetitions
 * and the speedup over the serial case of the same jobs and size on the same host.
 */
#ifndef PARLAB_SUMMARY_H
#define PARLAB_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "parlab/backend.h"
#include "parlab/stats.h"

/* The serial runs nearest to a case that has none of its own jobs and size on its
 * host: what a student ran instead (a -t that chose n = 101 for threads and n = 100
 * for serial). */
struct summary_nearest {
    bool any;            /* the host has serial runs at all; nothing below when not */
    unsigned long jobs;  /* theirs: the case's own when there are such, else the
                          * nearest count (the smaller of two as near) */
    unsigned long size;  /* the nearest n among those */
    unsigned long other; /* a second n as near, on the other side (the larger), or
                          * `size` again when there is none */
};

struct summary_case {
    char *program, *lock, *pin, *host;
    char *variant;           /* what else sets the case apart: "switch=5ms" or a
                              * payload, "schedule=static" (any but the queue's
                              * dynamic,1), "sizes=ramp:60-160", space apart, or "" */
    char *sizes;             /* the --sizes SPEC its jobs had, or "" (one size: n) */
    char *label;             /* who measured (--label), or "": two students' runs on
                              * hosts of the same name are two cases */
    bool plain;              /* no switching or payload: its variant is at most its
                              * sizes, so it can be a baseline or divide by one */
    unsigned long long payload; /* bytes in and out of every job */
    char *transport;         /* "memory", "shm", "pipe", or "" */
    double memcpy_gbs;       /* memcpy's bandwidth measured beside a payload run, or 0 */
    enum worker_kind worker; /* the worker_kind column; for files without it, what the
                              * backend table says of the program (else WORKER_UNKNOWN) */
    unsigned long workers, jobs, size; /* size: n, or with --sizes the largest job's */
    unsigned long ranks;     /* MPI ranks (the ranks column), workers / ranks threads each:
                              * 1 x 2 and 2 x 1 are two cases; 0 where the rows do not
                              * say (other programs, files from before the column) */
    unsigned long pus;       /* usable PUs, as the first run recorded them */
    unsigned long cores;     /* the cores holding them (fewer with SMT); 0 when the file
                              * does not say (no cores column, or empty) */
    char *started_at;        /* when the first run started (ISO 8601) */
    char *median_run;        /* run_id of the run whose wall time is the median (the
                              * lower middle one for an even count) */
    char **run_ids;          /* the run_id of each of its reps runs, in file order */
    size_t reps;
    struct stats wall, cpu_self, cpu_children;
    /* What else the machine did (the runs CSV's other_cpu_s and on_battery columns):
     * the most CPU-seconds per second other programs used in one counted run beyond
     * what /proc/stat's rounding could make (0.01 s per PU), over the runs that
     * recorded it; how many did not (no column, or an empty value); whether the
     * shortest run is too short for the rounding to tell a busy machine (the rounding
     * alone is over SUMMARY_BUSY_RATE); and whether any ran on battery. */
    double other_rate;
    size_t other_unknown;
    bool too_short_to_tell, on_battery;
    const struct summary_case *serial; /* the case speedup divides by, or NULL */
    size_t kept_at;                    /* summary.c's, while it drops other hosts */
    bool has_serial;    /* a serial case of the same jobs, size and sizes on the same
                         * host, of the same label */
    double serial_wall; /* the serial case's median wall time; 0 when there is none */
    double speedup;     /* serial median wall / this median wall; 0 when no serial case */
    struct summary_nearest nearest; /* without a serial case: what there is instead */
};

/* Other programs' CPU-seconds per second above which a run's times are no clean
 * measurement: a tenth of a PU taken from the run, or lent to it by a scheduler that
 * had other work.  The programs' "machine:" line and the report use the same. */
#define SUMMARY_BUSY_RATE 0.1

/* /proc/stat counts CPU time in ticks of this many seconds (USER_HZ, 100 on Linux). */
#define SUMMARY_TICK_S 0.01

/* How clean a case's measurement is: the tests the report's "How clean the
 * measurements are" and the class view (parlab-class) share.  Repetitions whose
 * slowest run took more than SUMMARY_SPREAD_LIMIT of their median longer than their
 * fastest disagree, unless they are closer than SUMMARY_SPREAD_FLOOR_S (a run of a few
 * milliseconds moves by a scheduler's time slice or two, 3 to 4 ms each); jobs that
 * took more than SUMMARY_SLOWED more CPU time than the same jobs run serially ran on
 * slowed PUs (on the 2-PU development machine the cases' CPU time is within 5% of
 * serial's, with 15% once in runs of 0.02 s). */
#define SUMMARY_SPREAD_LIMIT 0.2
#define SUMMARY_SPREAD_FLOOR_S 0.01
#define SUMMARY_SLOWED 0.2

struct summary {
    size_t ncases;
    struct summary_case *cases; /* in order of first appearance in the file */
};

/* Reads the runs CSV at `path` and groups it into cases, in O(n log n) for n rows.
 * Returns 0, or -1 with errno set and why saying what is wrong: EINVAL for a missing
 * column ("'r.csv' is not a parlab runs CSV: it has no column wall_s"), a value that
 * does not parse ("'r.csv' line 7, column wall_s: \"0x1p3\" is not a time in
 * seconds": times are finite, not negative, in decimal) or malformed CSV (see
 * csv_parse); else "cannot read 'r.csv': REASON". */
int summary_load(const char *path, struct summary *s, char *why, size_t whylen);

/* What a case must match; NULL and 0 mean "any". */
struct summary_query {
    const char *program, *lock, *pin;
    unsigned long workers;
    const char *variant;        /* NULL: only cases without a variant; else a prefix of
                                 * it ("switch=" finds any switching case, "" any case) */
    const char *transport;      /* "pipe" */
    unsigned long long payload; /* bytes */
};

/* The threads each of c's MPI ranks ran (workers / ranks), or 0 when its rows do not
 * say (ranks 0). */
unsigned long summary_threads_per_rank(const struct summary_case *c);

/* c ran on MPI ranks of more than one thread each (parlab-mpi --threads T, T > 1): a
 * hybrid split, which the series of the figures and the sweep leave to the report's
 * MPI section. */
bool summary_hybrid(const struct summary_case *c);

/* "1x2": c's ranks x threads per rank, or "" when its rows do not say. */
void summary_split_text(const struct summary_case *c, char *text, size_t len);

/* The first case, in file order, that matches q, or NULL. */
const struct summary_case *summary_query(const struct summary *s, const struct summary_query *q);

/* The serial case with these jobs and size on this host, of jobs with the --sizes
 * SPEC `sizes` (NULL or "" for jobs of one size) and measured by `label` (NULL or ""
 * for nobody named), unpinned, with the lock released if there is such a case, else
 * with it held; or NULL.  A search through the cases: summary_load gives each case
 * its serial_wall without it. */
const struct summary_case *summary_find_serial(const struct summary *s, unsigned long jobs,
                                               unsigned long size, const char *host,
                                               const char *sizes, const char *label);

/* The serial runs nearest to (jobs, size) on host with these sizes and label (as
 * above), into *near, for a case that has no serial case (as summary_load finds them
 * for every case).  Returns 0, or -1 with errno ENOMEM. */
int summary_find_nearest(const struct summary *s, unsigned long jobs, unsigned long size,
                         const char *host, const char *sizes, const char *label,
                         struct summary_nearest *near);

/* Why there is no serial case of (jobs, size), in two parts: into `what`, "no serial
 * run with n = 101 WHERE" ("no serial run WHERE" when near->any is false, "no serial
 * run of 12 jobs WHERE" when the host's serial runs have other job counts), and into
 * `instead` what there is: "nearest n = 100", "nearest n = 100 and 102" (two as near),
 * "nearest: 4 jobs, n = 80", or "" when there is nothing.  `where` is "on host vm",
 * "in 'p.csv' on this host"... */
void summary_why_no_serial(const struct summary_nearest *near, unsigned long jobs,
                           unsigned long size, const char *where, char *what, size_t whatlen,
                           char *instead, size_t insteadlen);

/* Why case c has no speedup, one line: "no serial run with n = 101 on host vm;
 * nearest n = 100", or "its median wall time is 0 s"; "" when it has one. */
void summary_why_no_speedup(const struct summary_case *c, char *text, size_t len);

/* Keeps the cases of `host` only, in their order, and releases the others.  Returns
 * how many cases were dropped. */
size_t summary_keep_host(struct summary *s, const char *host);

/* (max - min) / median of c's wall times; 0 when the median is 0. */
double summary_spread(const struct summary_case *c);

/* Other programs took (or lent) more than SUMMARY_BUSY_RATE of a PU during one of
 * c's runs. */
bool summary_busy(const struct summary_case *c);

/* c's repetitions disagree: more than one, spread over SUMMARY_SPREAD_LIMIT and over
 * SUMMARY_SPREAD_FLOOR_S seconds. */
bool summary_disagrees(const struct summary_case *c);

/* The CPU time of c's jobs over that of the same jobs run serially (its serial case),
 * or 1 when there is none to compare with.  Above 1 + SUMMARY_SLOWED the PUs computed
 * slower while c ran, which other programs' CPU time cannot show (a core shared with
 * another hardware thread or virtual machine, a lower clock). */
double summary_cpu_ratio(const struct summary_case *c);

/* summary_cpu_ratio(c) is above 1 + SUMMARY_SLOWED. */
bool summary_slowed(const struct summary_case *c);

/* c is a clean measurement: not busy, its repetitions agree, its PUs not slowed.  It
 * says nothing of runs on battery or of runs that could not tell (other_unknown,
 * too_short_to_tell): the caller says those. */
bool summary_clean(const struct summary_case *c);

/* c's speedup is a clean measurement: it has a serial case, and both are clean. */
bool summary_clean_speedup(const struct summary_case *c);

/* Why c's speedup is not clean, as a clause to follow "not a clean measurement: ":
 * "other programs used 0.80 CPU-seconds per second during it", "its jobs took 1.89
 * times the CPU time of the same jobs run serially, so the PUs computed slower", "its
 * 3 runs disagree by 35% of their median", or the same of its serial run. */
void summary_why_unclean(const struct summary_case *c, char *text, size_t len);

/* Prints a table: case, wall (median, min-max), CPU self, CPU children, speedup; a
 * case without a speedup has "- [k]" there, and note k below the table says why
 * (summary_why_no_speedup), once for all the cases it is true of.  When the cases have
 * more than one label (none counts as one), a first column names each case's ("-"
 * for none). */
void summary_print_table(const struct summary *s, FILE *out);

void summary_release(struct summary *s);

#endif
