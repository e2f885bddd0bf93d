/*
 * overhead.c - the EPCC method: doubling the inner repetitions, the reference and the
 * test, their statistics, and overhead.csv's row.
 */
#include "parlab/overhead.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parlab/stats.h"

int overhead_stats_of(const double *x, size_t n, struct overhead_stats *s)
{
    struct stats order;
    double sum = 0, squares = 0;

    if (n == 0) {
        errno = EINVAL;
        return -1;
    }
    if (stats_of(x, n, &order) != 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        sum += x[i];
    s->n = n;
    s->mean = sum / (double)n;
    for (size_t i = 0; i < n; i++)
        squares += (x[i] - s->mean) * (x[i] - s->mean);
    s->median = order.median;
    s->min = order.min;
    s->max = order.max;
    s->sd = n > 1 ? sqrt(squares / (double)(n - 1)) : NAN;
    s->outliers = 0;
    if (isnan(s->mean)) { /* qsort's order says nothing with a NaN among the values */
        s->median = s->min = s->max = s->sd = NAN;
        return 0;
    }
    for (size_t i = 0; n > 1 && s->sd > 0 && i < n; i++)
        if (fabs(x[i] - s->mean) > OVERHEAD_OUTLIER_SD * s->sd)
            s->outliers++;
    return 0;
}

/* The smallest power of two p >= at_least with p * per_rep >= target. */
static uint64_t enough_reps(uint64_t at_least, double per_rep, double target)
{
    uint64_t p = at_least;

    while (p < OVERHEAD_MAX_INNER && (double)p * per_rep < target)
        p *= 2;
    return p;
}

int overhead_choose_inner(const struct overhead_method *m, overhead_measure_fn *test, void *ctx,
                          uint64_t *inner)
{
    uint64_t reps = 1;
    double before = -1; /* the shorter measurement of the try before (plain doubling) */

    for (;;) {
        double t[2];

        double shorter;
        bool grows;

        if (test(ctx, reps, 2, t) != 0)
            return -1;
        /* A measurement is only ever made longer by what else runs (another program,
         * an interrupt): the shorter of the two is this many repetitions' own time, and
         * one preempted measurement does not end the doubling too early. */
        shorter = t[0] < t[1] ? t[0] : t[1];
        /* Twice the repetitions must take at least OVERHEAD_GROWTH times as long: a time
         * that does not grow with them is not theirs (a fixed cost of each measurement,
         * or the PUs held meanwhile: dynamic,1 once stopped at 1 repetition that way,
         * confirmed, and reported 0.9 us a job for 0.1).  Not asked of the first try,
         * nor where steps are skipped (each try a launch whose fixed cost is large), nor
         * at the most repetitions there are. */
        grows = m->skip_steps || reps >= OVERHEAD_MAX_INNER ||
                (before > 0 && shorter >= OVERHEAD_GROWTH * before);
        before = shorter;
        if (shorter >= m->test_time_s && grows) {
            /* Both can be long when something held the PUs for milliseconds (mpirun's
             * ranks still ending after the case before: OpenMP's dynamic,1 stopped at 1
             * repetition once, and reported 0.72 us a job for 0.1).  So a second pair,
             * after a pause that lets such a thing end, must agree; if its shorter one
             * falls short, the doubling goes on. */
            const struct timespec pause = {0, OVERHEAD_CONFIRM_PAUSE_NS};

            nanosleep(&pause, NULL);
            if (test(ctx, reps, 2, t) != 0)
                return -1;
            shorter = t[0] < t[1] ? t[0] : t[1];
            if (shorter >= m->test_time_s) {
                *inner = reps;
                return 0;
            }
        }
        if (reps >= OVERHEAD_MAX_INNER) {
            errno = ERANGE;
            return -1;
        }
        /* A measurement that reads 0 (a coarse clock) says nothing of the rate: plain
         * doubling then. */
        reps = m->skip_steps && shorter > 0 ? enough_reps(2 * reps, shorter / (double)reps,
                                                          m->test_time_s)
                                            : 2 * reps;
    }
}

int overhead_measure(const struct overhead_method *m, overhead_measure_fn *reference,
                     overhead_measure_fn *test, void *ctx, struct overhead_result *r)
{
    unsigned count = m->outer_reps + 1; /* the first is the untimed warm-up */
    double *t = calloc(count, sizeof *t), *ref = calloc(count, sizeof *ref);
    int rc = -1, saved;

    memset(r, 0, sizeof *r);
    if (t == NULL || ref == NULL || m->outer_reps == 0) {
        if (t != NULL && ref != NULL)
            errno = EINVAL;
        goto done;
    }
    if (overhead_choose_inner(m, test, ctx, &r->inner) != 0)
        goto done;
    if (test(ctx, r->inner, count, t) != 0 || reference(ctx, r->inner, count, ref) != 0)
        goto done;
    for (unsigned i = 1; i < count; i++)
        ref[i] /= (double)r->inner;
    if (overhead_stats_of(ref + 1, m->outer_reps, &r->reference) != 0)
        goto done;
    r->reference_s = r->reference.mean;
    for (unsigned i = 1; i < count; i++)
        t[i] = t[i] / (double)r->inner - r->reference_s;
    if (overhead_stats_of(t + 1, m->outer_reps, &r->overhead) != 0)
        goto done;
    r->outer = m->outer_reps;
    r->test_time_s = m->test_time_s;
    rc = 0;
done:
    saved = errno;
    free(t);
    free(ref);
    errno = saved;
    return rc;
}

/* Microseconds, or an empty cell for NaN (undefined, as the sd of one value). */
static void put_us(struct csv_writer *w, double seconds)
{
    if (isnan(seconds))
        csv_put_str(w, "");
    else
        csv_put_fixed(w, seconds * 1e6, 4);
}

void overhead_put_row(struct csv_writer *w, const struct overhead_row *row)
{
    const struct overhead_result *r = row->result;

    csv_put_str(w, row->program);
    csv_put_str(w, row->case_name);
    csv_put_str(w, row->kind);
    csv_put_str(w, row->backend != NULL ? row->backend : "");
    csv_put_uint(w, row->workers);
    put_us(w, r->reference_s); /* the work of one repetition is the reference's */
    csv_put_uint(w, r->inner);
    csv_put_uint(w, r->outer);
    csv_put_double(w, r->test_time_s, 6);
    put_us(w, r->reference_s);
    put_us(w, r->overhead.mean);
    put_us(w, r->overhead.median);
    put_us(w, r->overhead.min);
    put_us(w, r->overhead.max);
    put_us(w, r->overhead.sd);
    csv_put_uint(w, r->overhead.outliers);
    csv_put_str(w, row->host);
    csv_put_int(w, row->pus);
    csv_put_str(w, row->started_at);
    csv_put_str(w, row->label != NULL ? row->label : "");
    if (row->load_1m >= 0)
        csv_put_fixed(w, row->load_1m, 2);
    else
        csv_put_str(w, "");
    if (row->other_cpu_s >= 0)
        csv_put_fixed(w, row->other_cpu_s, 2);
    else
        csv_put_str(w, "");
    csv_end_row(w);
}
