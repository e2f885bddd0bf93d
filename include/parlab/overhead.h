/*
 * overhead.h - the EPCC micro-benchmark method (Bull, Reid and McDonnell, the EPCC
 * OpenMP micro-benchmarks): what one execution of a construct, or one job through a
 * queue, costs beyond the work it runs.
 *
 * A case measures two things the same way: the reference (the work alone, `inner`
 * repetitions in a plain loop) and the test (the same work inside the construct).  The
 * inner repetitions are doubled from 1 until a test measurement lasts at least the
 * test time (the shorter of two, see overhead_choose_inner), so that the clock's resolution and the cost of reading it vanish; then
 * one untimed warm-up and `outer` timed measurements of each are taken.  The overhead
 * of outer repetition i is test_i / inner - (the reference's mean per repetition), so
 * its spread is the test's; its mean, median, minimum, maximum and standard deviation
 * are reported, and the outer repetitions further than 3 standard deviations from the
 * mean are counted (not removed), as EPCC's syncbench does.
 *
 * Nothing here reads a clock itself: the cases' functions return the seconds they
 * measured, so the method can be tested with made-up times.  Nothing here prints or
 * exits.  Not thread-safe in itself: call from one thread.
 */
#ifndef PARLAB_OVERHEAD_H
#define PARLAB_OVERHEAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parlab/csv.h"

/* overhead.csv's columns, in this order (docs/csv.md).  Readers find them by name. */
#define OVERHEAD_CSV_HEADER                                                               \
    "program,case,kind,backend,workers,work_us,inner_reps,outer_reps,test_time_s,"        \
    "reference_us,mean_us,median_us,min_us,max_us,sd_us,outliers,host,pus,started_at,"    \
    "label,load_1m,other_cpu_s"

/* The most inner repetitions the doubling tries: a test that still takes less than
 * the test time there measures nothing (a clock that does not move). */
#define OVERHEAD_MAX_INNER (UINT64_C(1) << 32)

/* How far outside the mean an outer repetition is an outlier, in standard deviations. */
#define OVERHEAD_OUTLIER_SD 3.0

/* A summary of n measurements. */
struct overhead_stats {
    size_t n;
    double mean, median, min, max;
    double sd;         /* the sample standard deviation (n - 1 in the denominator); NaN
                        * for n < 2, where it is undefined */
    unsigned outliers; /* values with |x - mean| > OVERHEAD_OUTLIER_SD x sd; 0 when sd
                        * is NaN or 0 */
};

/* Summarises x[0..n-1] (x is not changed).  A NaN in x makes every statistic NaN (it
 * is reported, not dropped).  Returns 0, or -1 with errno set (EINVAL for n == 0,
 * ENOMEM). */
int overhead_stats_of(const double *x, size_t n, struct overhead_stats *s);

/* Runs `count` measurements one after another, each of `inner` repetitions, and
 * writes the seconds each took into seconds[0..count-1].  Returns 0, or -1 (the case
 * says why in its own context: a result that is wrong, a worker that failed). */
typedef int overhead_measure_fn(void *ctx, uint64_t inner, unsigned count, double *seconds);

struct overhead_method {
    double test_time_s;   /* the doubling stops once a test measurement lasts this long */
    unsigned outer_reps;  /* timed measurements after the warm-up, >= 1 */
    /* Skip doubling steps that cannot reach the test time: after a measurement of t
     * seconds at `inner` repetitions, go on at the smallest power of two p >= 2 inner
     * with p t / inner >= the test time.  Gives the inner repetitions plain doubling
     * would, when a measurement of 2k repetitions takes at most twice one of k (a fixed
     * cost per measurement only helps); for cases whose every measurement is a new
     * launch (mpirun) that would take seconds each. */
    bool skip_steps;
};

/* With plain doubling, a try stops the doubling only when its time is at least this
 * many times the try's before (twice the repetitions): the repetitions, not a fixed
 * cost per measurement, then make at least half of it. */
#define OVERHEAD_GROWTH 1.5

/* The pause before the doubling's confirming pair of measurements, nanoseconds. */
#define OVERHEAD_CONFIRM_PAUSE_NS 20000000L

/* Chooses the inner repetitions: 1, 2, 4, ... until test(ctx, inner, 2, t) gives two
 * measurements that both last m->test_time_s or more (the shorter of the two: what else
 * runs only ever lengthens one, so a single preempted measurement does not stop the
 * doubling early; the first also warms up), with plain doubling at least
 * OVERHEAD_GROWTH times the try's before, and a second pair at the same inner, made
 * after a pause of OVERHEAD_CONFIRM_PAUSE_NS, does too (a PU held for milliseconds
 * lengthens both of one pair).  Returns
 * 0 with *inner set, or -1: the test failed (errno as it left it), or even
 * OVERHEAD_MAX_INNER repetitions took less than the test time (errno ERANGE). */
int overhead_choose_inner(const struct overhead_method *m, overhead_measure_fn *test, void *ctx,
                          uint64_t *inner);

/* What overhead_measure() found; times in seconds per repetition. */
struct overhead_result {
    uint64_t inner;             /* the inner repetitions chosen */
    unsigned outer;             /* the timed outer repetitions */
    double test_time_s;         /* the target the doubling aimed at */
    double reference_s;         /* the reference per repetition, mean over the outer reps */
    struct overhead_stats reference; /* the reference per repetition, each outer rep */
    struct overhead_stats overhead;  /* test_i / inner - reference_s, each outer rep */
};

/* The whole method for one case: chooses the inner repetitions (as above), then runs
 * the test and the reference, each 1 + m->outer_reps measurements of that many, and
 * summarises all but the first of each.  Returns 0, or -1 with errno set (as
 * overhead_choose_inner, or ENOMEM). */
int overhead_measure(const struct overhead_method *m, overhead_measure_fn *reference,
                     overhead_measure_fn *test, void *ctx, struct overhead_result *r);

/* One row of overhead.csv: the case, the result, and the machine's state. */
struct overhead_row {
    const char *program;    /* "parlab-overhead" */
    const char *case_name;  /* "omp-dynamic1", "barrier", "delay" */
    const char *kind;       /* "queue", "construct" or "check" */
    const char *backend;    /* runs.csv's program a queue cost is the per-job cost of, or "" */
    unsigned workers;
    const struct overhead_result *result;
    const char *host;
    int pus;
    const char *started_at; /* ISO 8601 UTC */
    const char *label;      /* or NULL */
    double load_1m;         /* -1: unknown (an empty cell) */
    double other_cpu_s;     /* -1: unknown (an empty cell) */
};

/* Appends the row to w in OVERHEAD_CSV_HEADER's order; microseconds with 4 decimals.
 * A NaN statistic (sd of one outer rep) is an empty cell; a negative one is written
 * as it is. */
void overhead_put_row(struct csv_writer *w, const struct overhead_row *row);

#endif
