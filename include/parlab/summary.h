/*
 * summary.h - the runs CSV condensed into cases: one line per program, workers,
 * jobs, size, lock and pin, with the median, minimum and maximum over repetitions
 * and the speedup over the serial case of the same jobs and size on the same host.
 */
#ifndef PARLAB_SUMMARY_H
#define PARLAB_SUMMARY_H

#include <stddef.h>
#include <stdio.h>

#include "parlab/backend.h"
#include "parlab/stats.h"

struct summary_case {
    char *program, *lock, *pin, *host;
    char *variant;           /* what else sets the case apart: "switch=5ms", or "" */
    unsigned long long payload; /* bytes in and out of every job */
    char *transport;         /* "memory", "shm", "pipe", or "" */
    double memcpy_gbs;       /* memcpy's bandwidth measured beside a payload run, or 0 */
    enum worker_kind worker; /* the worker_kind column; for files without it, what the
                              * backend table says of the program (else WORKER_UNKNOWN) */
    unsigned long workers, jobs, size;
    unsigned long pus;       /* usable PUs, as the first run recorded them */
    unsigned long cores;     /* the cores holding them (fewer with SMT); 0 when the file
                              * does not say (no cores column, or empty) */
    char *started_at;        /* when the first run started (ISO 8601) */
    char *median_run;        /* run_id of the run whose wall time is the median (the
                              * lower middle one for an even count) */
    size_t reps;
    struct stats wall, cpu_self, cpu_children;
    double serial_wall; /* the serial case's median wall time; 0 when there is none */
    double speedup;     /* serial median wall / this median wall; 0 when no serial case */
};

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

/* The first case, in file order, that matches q, or NULL. */
const struct summary_case *summary_query(const struct summary *s, const struct summary_query *q);

/* The serial case with these jobs and size on this host, unpinned, with the lock
 * released if there is such a case, else with it held; or NULL.  A search through the
 * cases: summary_load gives each case its serial_wall without it. */
const struct summary_case *summary_find_serial(const struct summary *s, unsigned long jobs,
                                               unsigned long size, const char *host);

/* Keeps the cases of `host` only, in their order, and releases the others.  Returns
 * how many cases were dropped. */
size_t summary_keep_host(struct summary *s, const char *host);

/* Prints a table: case, wall (median, min-max), CPU self, CPU children, speedup. */
void summary_print_table(const struct summary *s, FILE *out);

void summary_release(struct summary *s);

#endif
