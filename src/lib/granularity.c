/*
 * granularity.c - the granularity sweep (granularity.csv) and the per-job overheads
 * (overhead.csv) read back into one line per program: speedup against job size.
 */
#include "parlab/granularity.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "parlab/cli.h"
#include "parlab/csv.h"

/* Colours for the series a backend's own colour does not cover (backend.h). */
static const char *const spare_colours[] = {BACKEND_SPARE_COLOURS};
#define NSPARE (sizeof spare_colours / sizeof spare_colours[0])

static int fail(char *why, size_t len, const char *what, const char *path, int err)
{
    snprintf(why, len, "%s '%s': %s", what, path, strerror(err));
    errno = err;
    return -1;
}

/* A file that is not there is data that was not measured, not an error. */
static bool missing(const char *path)
{
    struct stat st;

    return path == NULL || (stat(path, &st) != 0 && errno == ENOENT);
}

/* The baselines divide, they are not divided: parlab-serial, a suite's serial part. */
static bool baseline(const struct summary_case *c)
{
    const struct backend *b = backend_find(c->program);

    return (b != NULL && b->baseline) || backend_suite_baseline(c->program);
}

/* The position of a program in the lines: the backend table's order, then others. */
static size_t table_rank(const char *program)
{
    for (size_t i = 0; i < backend_count; i++)
        if (strcmp(backend_table[i]->name, program) == 0)
            return i;
    return backend_count;
}

static int by_job_size(const void *pa, const void *pb)
{
    const struct granularity_point *a = pa, *b = pb;

    return (a->job_s > b->job_s) - (a->job_s < b->job_s);
}

static int by_table_rank(const void *pa, const void *pb)
{
    const struct granularity_line *a = pa, *b = pb;
    size_t ra = table_rank(a->backend->name), rb = table_rank(b->backend->name);

    if (ra != rb)
        return ra < rb ? -1 : 1;
    return (a->workers > b->workers) - (a->workers < b->workers);
}

/* The sweep's cases: unpinned, lock none, plain (no payload or switching). */
static bool swept(const struct summary_case *c)
{
    return !baseline(c) && c->plain && strcmp(c->pin, "none") == 0 &&
           strcmp(c->lock, "none") == 0 && !summary_hybrid(c);
}

static struct granularity_line *line_of(struct granularity *g, const struct summary_case *c)
{
    for (size_t k = 0; k < g->nlines; k++)
        if (strcmp(g->lines[k].backend->name, c->program) == 0 &&
            g->lines[k].workers == c->workers)
            return &g->lines[k];
    return NULL;
}

static int make_lines(struct granularity *g)
{
    size_t n = g->runs.ncases, spare = 0;

    g->lines = calloc(n ? n : 1, sizeof *g->lines);
    g->made = calloc(n ? n : 1, sizeof *g->made);
    if (g->lines == NULL || g->made == NULL)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const struct summary_case *c = &g->runs.cases[i];
        struct granularity_line *l;
        struct granularity_point *p;

        if (!swept(c))
            continue;
        l = line_of(g, c);
        if (l == NULL) {
            l = &g->lines[g->nlines];
            l->backend = backend_describe(c->program, c->worker, &g->made[g->nlines]);
            l->colour = l->backend->colour ? l->backend->colour : spare_colours[spare++ % NSPARE];
            l->workers = c->workers;
            l->pus = c->pus;
            l->points = calloc(n, sizeof *l->points);
            g->nlines++;
            if (l->points == NULL)
                return -1;
        }
        if (c->serial == NULL || c->serial->jobs == 0 || c->speedup <= 0 || c->wall.min <= 0) {
            l->no_serial++;
            continue;
        }
        p = &l->points[l->npoints++];
        p->c = c;
        p->job_s = c->serial_wall / (double)c->serial->jobs;
        p->speedup = c->speedup;
        p->low = c->serial_wall / c->wall.max;
        p->high = c->serial_wall / c->wall.min;
        p->busy = summary_busy(c) || summary_busy(c->serial);
    }
    for (size_t k = 0; k < g->nlines; k++)
        qsort(g->lines[k].points, g->lines[k].npoints, sizeof *g->lines[k].points, by_job_size);
    /* The descriptions made for programs the table lacks move with their lines: keep
     * each line's description where it points, sorting only the order they are shown. */
    qsort(g->lines, g->nlines, sizeof *g->lines, by_table_rank);
    return 0;
}

/* The queue rows of overhead.csv, their backend's line at their W given the row's
 * median_us (the last such row of the host: the latest measurement). */
static int read_overhead(struct granularity *g, const char *path, const char *host, char *why,
                         size_t whylen)
{
    static const char *const names[] = {"kind", "backend", "workers", "median_us", "host"};
    struct csv_table t;
    int col[5];

    if (csv_read_file(path, &t) != 0)
        return csv_read_error(&t, path, why, whylen);
    for (size_t k = 0; k < 5; k++)
        if ((col[k] = csv_column(&t, names[k])) < 0) {
            snprintf(why, whylen, "'%s' is not a parlab overhead CSV: it has no column %s", path,
                     names[k]);
            csv_table_release(&t);
            errno = EINVAL;
            return -1;
        }
    for (size_t r = 1; r < t.nrows; r++) {
        unsigned long long w;
        double us;
        char *end;
        const char *text;

        if (strcmp(csv_field(&t, r, col[0]), "queue") != 0 ||
            (host != NULL && strcmp(csv_field(&t, r, col[4]), host) != 0))
            continue;
        if (cli_parse_count(csv_field(&t, r, col[2]), 1, CLI_MAX_WORKERS, &w) != 0) {
            csv_field_error(&t, path, r, col[2], "is not a number of workers", why, whylen);
            csv_table_release(&t);
            return -1;
        }
        /* an overhead may be below 0 (the test ran faster than its reference), so not
         * csv_parse_seconds; but it must be a finite decimal number */
        text = csv_field(&t, r, col[3]);
        errno = 0;
        us = strtod(text, &end);
        if (text[0] == '\0' || *end != '\0' || errno != 0 || !isfinite(us) ||
            strpbrk(text, "xXnNiI") != NULL) {
            csv_field_error(&t, path, r, col[3], "is not a number of microseconds", why,
                            whylen);
            csv_table_release(&t);
            return -1;
        }
        for (size_t k = 0; k < g->nlines; k++) {
            struct granularity_line *l = &g->lines[k];

            if (l->workers == w && strcmp(l->backend->name, csv_field(&t, r, col[1])) == 0) {
                l->has_overhead = true;
                l->overhead_s = us / 1e6;
            }
        }
    }
    csv_table_release(&t);
    g->have_overhead = true;
    return 0;
}

int granularity_load(struct granularity *g, const char *runs, const char *overhead,
                     const char *host, char *why, size_t whylen)
{
    memset(g, 0, sizeof *g);
    if (missing(runs))
        return 0;
    if (summary_load(runs, &g->runs, why, whylen) != 0)
        return -1;
    g->have = true;
    if (g->runs.ncases > 0)
        summary_keep_host(&g->runs, host ? host : g->runs.cases[0].host);
    if (make_lines(g) != 0)
        return fail(why, whylen, "cannot read", runs, ENOMEM);
    if (!missing(overhead) &&
        read_overhead(g, overhead, g->runs.ncases ? g->runs.cases[0].host : host, why,
                      whylen) != 0)
        return -1;
    return 0;
}

void granularity_release(struct granularity *g)
{
    for (size_t k = 0; k < g->nlines; k++)
        free(g->lines[k].points);
    free(g->lines);
    free(g->made);
    if (g->have)
        summary_release(&g->runs);
    memset(g, 0, sizeof *g);
}

double granularity_predicted(double t, double o, unsigned long w)
{
    return t + o > 0 ? (double)w * t / (t + o) : 0;
}

double granularity_ideal(const struct granularity_line *l)
{
    return (double)(l->pus > 0 && l->pus < l->workers ? l->pus : l->workers);
}

void granularity_crossover(const struct granularity_line *l, double target,
                           struct granularity_crossover *x)
{
    size_t i;

    memset(x, 0, sizeof *x);
    x->fell_at = l->npoints;
    if (l->npoints == 0) {
        x->reach = GRANULARITY_NO_POINTS;
        return;
    }
    for (i = 0; i < l->npoints && l->points[i].speedup < target; i++)
        ;
    if (i == l->npoints) {
        x->reach = GRANULARITY_NOT_REACHED;
        x->job_s = l->points[i - 1].job_s;
        return;
    }
    for (size_t k = i + 1; k < l->npoints && x->fell_at == l->npoints; k++)
        if (l->points[k].speedup < target)
            x->fell_at = k;
    if (i == 0) {
        x->reach = GRANULARITY_AT_SMALLEST;
        x->job_s = l->points[0].job_s;
        return;
    }
    const struct granularity_point *a = &l->points[i - 1], *b = &l->points[i];
    double f = (target - a->speedup) / (b->speedup - a->speedup); /* b above, a below */

    x->reach = GRANULARITY_REACHED;
    x->below = i - 1;
    x->above = i;
    x->job_s = exp(log(a->job_s) + f * (log(b->job_s) - log(a->job_s)));
}
