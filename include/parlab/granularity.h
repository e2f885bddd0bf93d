/*
 * granularity.h - the granularity sweep read back: speedup against the duration of
 * one job, for each way of running, beside what the per-job overhead predicts.
 *
 * The sweep (make run-all, docs/run-all.md) runs jobs of about 1 us to 100 ms at
 * W = PUs, each size's serial run right before its parallel ones, into
 * granularity.csv, a runs CSV (docs/csv.md).  A point of a program's line is one of
 * its cases: x the duration of one job, its serial case's median wall time over its
 * jobs; y its speedup over that serial case (summary.h: the same jobs, size and
 * host; a suite's programs divide by their suite's serial part, backend.h).
 *
 * parlab-overhead writes overhead.csv; its `queue` rows give, per backend and W, the
 * overhead o a worker pays per job it takes (median over the outer repetitions).  J
 * jobs of t seconds on W workers then take (J / W)(t + o): a speedup of W t / (t + o),
 * which reaches 90% of W at t = 9 o.
 *
 * Nothing here knows which programs exist: the lines are the programs the file holds.
 */
#ifndef PARLAB_GRANULARITY_H
#define PARLAB_GRANULARITY_H

#include <stdbool.h>
#include <stddef.h>

#include "parlab/backend.h"
#include "parlab/summary.h"

/* One size of a line. */
struct granularity_point {
    const struct summary_case *c; /* the parallel case (c->serial its baseline) */
    double job_s;                 /* the serial case's median wall time / its jobs */
    double speedup;               /* c->speedup */
    double low, high;             /* the speedup over c's slowest and fastest run */
    bool busy;                    /* other programs used the PUs (summary_busy) during c
                                   * or its serial case */
};

/* One program at one W: a line of the figure, a sentence of the report. */
struct granularity_line {
    const struct backend *backend; /* its description (backend_describe) */
    const char *colour;            /* the backend's, or a spare one */
    unsigned long workers, pus;    /* W, and the PUs its first case recorded */
    struct granularity_point *points; /* by job_s ascending */
    size_t npoints;
    size_t no_serial;              /* its cases without a serial case to divide by */
    bool has_overhead;             /* overhead.csv has a queue row for it at W */
    double overhead_s;             /* that row's median_us, in seconds */
};

struct granularity {
    bool have;           /* granularity.csv was there and read */
    bool have_overhead;  /* overhead.csv was there and read */
    struct summary runs; /* granularity.csv's cases of the host */
    struct granularity_line *lines; /* backend table order, then as they appear */
    size_t nlines;
    struct backend *made; /* descriptions of programs the table lacks, per line */
};

/* Reads the granularity sweep at `runs` (a runs CSV) and the overhead rows at
 * `overhead` (either may be NULL), keeping `host`'s rows (NULL: the first row's).  A
 * missing file is no error: have (have_overhead) stays false.  Returns 0, or -1 with
 * why saying which file and what is wrong (summary_load's and csv_read_file's words,
 * a missing overhead.csv column, a median_us or workers that does not parse).
 * Release with granularity_release, also after a failure. */
int granularity_load(struct granularity *g, const char *runs, const char *overhead,
                     const char *host, char *why, size_t whylen);

void granularity_release(struct granularity *g);

/* The speedup the overhead o predicts for jobs of t seconds on w workers:
 * w t / (t + o). */
double granularity_predicted(double t, double o, unsigned long w);

/* The ideal speedup of l: min(W, PUs). */
double granularity_ideal(const struct granularity_line *l);

/* Where a line first reaches `target` (a speedup). */
enum granularity_reach {
    GRANULARITY_NO_POINTS,   /* the line has no points */
    GRANULARITY_AT_SMALLEST, /* its smallest job size is already at or above target */
    GRANULARITY_REACHED,     /* between two sizes: interpolated */
    GRANULARITY_NOT_REACHED  /* no size reaches it */
};

struct granularity_crossover {
    enum granularity_reach reach;
    double job_s;        /* REACHED: the job size, interpolated linearly in log t and
                          * speedup between the sizes below and at it; AT_SMALLEST: the
                          * smallest size; NOT_REACHED: the largest */
    size_t below, above; /* REACHED: the indices of those two points */
    size_t fell_at;      /* a larger size whose speedup is below target again, or
                          * npoints when none: the curve is not monotone there */
};

/* The crossover of l at `target` into *x. */
void granularity_crossover(const struct granularity_line *l, double target,
                           struct granularity_crossover *x);

#endif
