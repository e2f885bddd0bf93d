/*
 * results.c - the CSV files of a results directory read back, and the questions the
 * report and the figures ask of them.
 */
#include "parlab/results.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parlab/stats.h"

/* Colours for the series a backend's own colour does not cover (backend.h). */
static const char *const spare_colours[] = {BACKEND_SPARE_COLOURS};
#define NSPARE (sizeof spare_colours / sizeof spare_colours[0])

static int fail(char *why, size_t len, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, len, fmt, ap);
    va_end(ap);
    return -1;
}

/* ---- backends ------------------------------------------------------------------ */

/* The position a backend takes in tables and legends: the table's order, then the
 * others as they first appear (r->made is in that order). */
static size_t backend_rank(const struct results *r, const struct backend *b)
{
    uintptr_t at = (uintptr_t)b, made = (uintptr_t)r->made;

    for (size_t i = 0; i < backend_count; i++)
        if (backend_table[i] == b)
            return i;
    if (at >= made && at < made + r->nmade * sizeof *r->made)
        return backend_count + (at - made) / sizeof *r->made;
    return backend_count + r->nmade;
}

static const struct summary_case *program_cases; /* qsort has no context argument */

static int by_program_then_order(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    int c = strcmp(program_cases[a].program, program_cases[b].program);

    return c != 0 ? c : (a > b) - (a < b);
}

/* Each case's backend: the table's, or one described from the first case of its
 * program, in the order the programs first appear.  The cases are sorted by program
 * to find those first cases: a search through the descriptions made so far, for each
 * case, made a file of many programs quadratic. */
static int describe_backends(struct results *r)
{
    size_t n = r->runs.ncases ? r->runs.ncases : 1;
    size_t *order = malloc(n * sizeof *order), *first = malloc(n * sizeof *first);

    r->backend_of = calloc(n, sizeof *r->backend_of);
    r->made = calloc(n, sizeof *r->made);
    if (order == NULL || first == NULL || r->backend_of == NULL || r->made == NULL) {
        free(order);
        free(first);
        return -1;
    }
    for (size_t i = 0; i < r->runs.ncases; i++)
        order[i] = i;
    program_cases = r->runs.cases;
    qsort(order, r->runs.ncases, sizeof *order, by_program_then_order);
    for (size_t k = 0; k < r->runs.ncases; k++) /* the first case of each one's program */
        first[order[k]] = k > 0 && strcmp(r->runs.cases[order[k - 1]].program,
                                          r->runs.cases[order[k]].program) == 0
                              ? first[order[k - 1]]
                              : order[k];
    for (size_t i = 0; i < r->runs.ncases; i++) {
        const struct summary_case *c = &r->runs.cases[i];
        const struct backend *b = backend_find(c->program);

        if (b == NULL && first[i] != i)
            b = r->backend_of[first[i]];
        else if (b == NULL)
            b = backend_describe(c->program, c->worker, &r->made[r->nmade++]);
        r->backend_of[i] = b;
    }
    free(order);
    free(first);
    return 0;
}

const struct backend *results_backend(const struct results *r, const struct summary_case *c)
{
    return r->backend_of[c - r->runs.cases];
}

/* The colours given so far, and how often each spare one was. */
struct palette {
    const char **used;
    size_t nused;
    size_t uses[NSPARE];
};

/* The first colour of `wanted` (if any) or of the spare ones, the least used of them,
 * that the palette lacks; it is added to the palette. */
static const char *pick_colour(struct palette *p, const char *wanted)
{
    bool taken = false;
    const char *pick;

    for (size_t k = 0; wanted != NULL && k < p->nused; k++) /* a table's backends only */
        taken = taken || strcmp(p->used[k], wanted) == 0;
    if (wanted != NULL && !taken) {
        pick = wanted;
    } else { /* the least used spare: they cycle */
        size_t best = 0;

        for (size_t s = 1; s < NSPARE; s++)
            if (p->uses[s] < p->uses[best])
                best = s;
        pick = spare_colours[best];
    }
    for (size_t s = 0; s < NSPARE; s++)
        p->uses[s] += strcmp(pick, spare_colours[s]) == 0;
    p->used[p->nused++] = pick;
    return pick;
}

/* ---- series and carriers --------------------------------------------------------- */

static int lock_rank(const char *lock)
{
    return strcmp(lock, "none") == 0 ? 0 : 1;
}

static const struct results *sorting; /* qsort has no context argument */

static int series_order(const void *pa, const void *pb)
{
    const struct results_series *a = pa, *b = pb;
    size_t ra = backend_rank(sorting, a->backend), rb = backend_rank(sorting, b->backend);

    if (ra != rb)
        return ra < rb ? -1 : 1;
    return lock_rank(a->lock) - lock_rank(b->lock);
}

/* Whether case i is a point of a series: a parallel backend, unpinned, without a
 * variant, not a hybrid split, with the lock released or held. */
/* Which cases the series and the index's plain cases hold (results_series): every
 * plain case but the hybrid ones of a backend and lock that also has flat runs. */
static int find_charted(struct results *r)
{
    size_t n = r->runs.ncases ? r->runs.ncases : 1, npairs = 0;
    size_t *pairs = malloc(n * sizeof *pairs); /* a flat case of each backend and lock */

    r->charted = calloc(n, sizeof *r->charted);
    if (pairs == NULL || r->charted == NULL) {
        free(pairs);
        return -1;
    }
    for (size_t i = 0; i < r->runs.ncases; i++) {
        const struct summary_case *c = &r->runs.cases[i];
        bool known = false;

        if (!c->plain || summary_hybrid(c))
            continue;
        r->charted[i] = true;
        for (size_t k = 0; k < npairs && !known; k++)
            known = r->backend_of[pairs[k]] == r->backend_of[i] &&
                    strcmp(r->runs.cases[pairs[k]].lock, c->lock) == 0;
        if (!known)
            pairs[npairs++] = i;
    }
    for (size_t i = 0; i < r->runs.ncases; i++) {
        const struct summary_case *c = &r->runs.cases[i];
        bool flat = false;

        if (!c->plain || !summary_hybrid(c))
            continue;
        for (size_t k = 0; k < npairs && !flat; k++)
            flat = r->backend_of[pairs[k]] == r->backend_of[i] &&
                   strcmp(r->runs.cases[pairs[k]].lock, c->lock) == 0;
        r->charted[i] = !flat;
    }
    free(pairs);
    return 0;
}

static bool in_a_series(const struct results *r, size_t i)
{
    const struct summary_case *c = &r->runs.cases[i];

    return !r->backend_of[i]->baseline && strcmp(c->pin, "none") == 0 && r->charted[i] &&
           (strcmp(c->lock, "none") == 0 || strcmp(c->lock, "held") == 0);
}

static int find_series(struct results *r)
{
    struct palette palette = {0};

    r->series = calloc(r->runs.ncases ? r->runs.ncases : 1, sizeof *r->series);
    if (r->series == NULL)
        return -1;
    for (size_t i = 0; i < r->runs.ncases; i++) {
        if (!in_a_series(r, i))
            continue;
        r->series[r->nseries++] = (struct results_series){.backend = r->backend_of[i],
                                                          .lock = r->runs.cases[i].lock};
    }
    /* sorted, a series' cases lie together: one of each is kept, with their count */
    sorting = r;
    qsort(r->series, r->nseries, sizeof *r->series, series_order);
    size_t kept = 0, *count = calloc(r->nseries + 1, sizeof *count);
    if (count == NULL)
        return -1;
    for (size_t k = 0; k < r->nseries; k++) {
        if (kept == 0 || series_order(&r->series[kept - 1], &r->series[k]) != 0)
            r->series[kept++] = r->series[k];
        count[kept - 1]++;
    }
    r->nseries = kept;
    palette.used = calloc(r->nseries + 1, sizeof *palette.used);
    if (palette.used == NULL) {
        free(count);
        return -1;
    }
    /* A backend's own colour goes to its series of the most cases (the first of them on
     * a tie): MPI's ranks with the lock held, not the one W of the hybrid comparison's
     * lock released.  A backend's series lie together. */
    for (size_t from = 0, to; from < r->nseries; from = to) {
        size_t owner = from; /* the series that gets the backend's colour */

        for (to = from; to < r->nseries && r->series[to].backend == r->series[from].backend;
             to++)
            if (count[to] > count[owner])
                owner = to;
        for (size_t k = from; k < to; k++) {
            struct results_series *s = &r->series[k];

            snprintf(s->label, sizeof s->label, "%s, lock %s", s->backend->label, s->lock);
            s->colour = pick_colour(&palette, k == owner ? s->backend->colour : NULL);
        }
    }
    free(count);
    free(palette.used);
    return 0;
}

/* What a transport does with a job's data, for labels. */
static const char *transport_words(const char *transport)
{
    if (strcmp(transport, "memory") == 0)
        return "shared memory";
    if (strcmp(transport, "shm") == 0)
        return "shared memory (shm)";
    if (strcmp(transport, "pipe") == 0)
        return "through pipes";
    return transport;
}

static int transport_rank(const char *t)
{
    return strcmp(t, "memory") == 0 ? 0 : strcmp(t, "shm") == 0 ? 1 : strcmp(t, "pipe") == 0 ? 2 : 3;
}

static int carrier_order(const void *pa, const void *pb)
{
    const struct results_carrier *a = pa, *b = pb;
    size_t ra = backend_rank(sorting, a->backend), rb = backend_rank(sorting, b->backend);

    if (ra != rb)
        return ra < rb ? -1 : 1;
    if (transport_rank(a->transport) != transport_rank(b->transport))
        return transport_rank(a->transport) - transport_rank(b->transport);
    return strcmp(a->transport, b->transport);
}

static int find_carriers(struct results *r)
{
    struct palette palette = {0};

    r->carriers = calloc(r->runs.ncases ? r->runs.ncases : 1, sizeof *r->carriers);
    if (r->carriers == NULL)
        return -1;
    for (size_t i = 0; i < r->runs.ncases; i++) {
        const struct summary_case *c = &r->runs.cases[i];

        if (c->payload == 0 || c->transport == NULL || c->transport[0] == '\0')
            continue;
        r->carriers[r->ncarriers++] =
            (struct results_carrier){.backend = r->backend_of[i], .transport = c->transport};
    }
    sorting = r; /* sorted, a carrier's cases lie together: one of each is kept */
    qsort(r->carriers, r->ncarriers, sizeof *r->carriers, carrier_order);
    size_t kept = 0;
    for (size_t k = 0; k < r->ncarriers; k++)
        if (kept == 0 || carrier_order(&r->carriers[kept - 1], &r->carriers[k]) != 0)
            r->carriers[kept++] = r->carriers[k];
    r->ncarriers = kept;
    palette.used = calloc(r->ncarriers + 1, sizeof *palette.used);
    if (palette.used == NULL)
        return -1;
    for (size_t k = 0; k < r->ncarriers; k++) {
        struct results_carrier *c = &r->carriers[k];

        snprintf(c->label, sizeof c->label, "%s: %s", c->backend->label,
                 transport_words(c->transport));
        c->colour = pick_colour(&palette, c->backend->colour);
    }
    free(palette.used);
    return 0;
}

/* ---- jobs and slices ------------------------------------------------------------- */

static double number(const struct csv_table *t, size_t row, int col)
{
    const char *s = csv_field(t, row, col);

    return s[0] != '\0' ? strtod(s, NULL) : 0.0;
}

/* The time in seconds in field col of row into *out, or -1 with why saying which file,
 * line and column hold what instead (nan, inf, -5, 0x1p3: see csv_parse_seconds). */
static int seconds(const struct csv_table *t, const char *path, size_t row, int col,
                   double *out, char *why, size_t len)
{
    if (csv_parse_seconds(csv_field(t, row, col), out) != 0)
        return csv_field_error(t, path, row, col, "is not a time in seconds", why, len);
    return 0;
}

/* The whole number in field col of row into *out (`none` when the field is empty),
 * or -1 with why saying which file, line and column hold what instead. */
static int whole(const struct csv_table *t, const char *path, size_t row, int col, long none,
                 long *out, char *why, size_t len)
{
    const char *s = csv_field(t, row, col);
    char *end;

    if (s[0] == '\0') {
        *out = none;
        return 0;
    }
    errno = 0;
    *out = strtol(s, &end, 10);
    if (errno != 0 || *end != '\0' || *out < -1)
        return csv_field_error(t, path, row, col, "is not a whole number", why, len);
    return 0;
}

/* Orders by run, then by row: stable, so a run's jobs keep the file's order. */
static int by_run_then_row(const char *ra, const char *rb, size_t a, size_t b)
{
    int c = strcmp(ra, rb);

    return c != 0 ? c : (a > b) - (a < b);
}

static int job_order(const void *pa, const void *pb)
{
    const struct results_job *a = pa, *b = pb;

    return by_run_then_row(a->run_id, b->run_id, (size_t)a->row, (size_t)b->row);
}

static int slice_order(const void *pa, const void *pb)
{
    const struct results_slice *a = pa, *b = pb;

    return by_run_then_row(a->run_id, b->run_id, (size_t)a->row, (size_t)b->row);
}

static int load_jobs(struct results *r, const char *path, bool need, char *why, size_t len)
{
    static const char *const names[] = {"run_id", "job", "worker", "pu_start", "pu_end",
                                        "pu_planned", "t_start_s", "t_end_s", "cpu_s",
                                        "lock_wait_s"};
    enum { RUN, JOB, WORKER, PU_START, PU_END, PLANNED, T_START, T_END, CPU, WAIT, NCOLS };
    struct csv_table *t = &r->jobs_table;
    int col[NCOLS];

    if (path == NULL)
        return need ? fail(why, len, "cannot read '(no jobs CSV)': %s", strerror(ENOENT)) : 0;
    if (csv_read_file(path, t) != 0) {
        if (need || errno == EINVAL) /* a file that is there but malformed is an error */
            return csv_read_error(t, path, why, len);
        return 0; /* the report goes on without the job sections */
    }
    r->have_jobs = true;
    for (int k = 0; k < NCOLS; k++) /* a file that is there but is no jobs CSV: an error */
        if ((col[k] = csv_column(t, names[k])) < 0)
            return fail(why, len, "'%s' is not a parlab jobs CSV: it has no column %s", path,
                        names[k]);
    int copy = csv_column(t, "copy_s"), bytes = csv_column(t, "bytes_copied"); /* added later */
    int switches = csv_column(t, "switches"), host = csv_column(t, "host");
    int rank = csv_column(t, "rank"), thread = csv_column(t, "thread");

    r->njobs = t->nrows > 0 ? t->nrows - 1 : 0;
    r->jobs = calloc(r->njobs ? r->njobs : 1, sizeof *r->jobs);
    if (r->jobs == NULL)
        return fail(why, len, "cannot read '%s': %s", path, strerror(ENOMEM));
    for (size_t row = 1; row < t->nrows; row++) {
        struct results_job *j = &r->jobs[row - 1];

        j->run_id = csv_field(t, row, col[RUN]);
        j->row = row;
        if (whole(t, path, row, col[JOB], -1, &j->job, why, len) != 0 ||
            whole(t, path, row, col[WORKER], -1, &j->worker, why, len) != 0 ||
            whole(t, path, row, col[PU_START], -1, &j->pu_start, why, len) != 0 ||
            whole(t, path, row, col[PU_END], -1, &j->pu_end, why, len) != 0 ||
            whole(t, path, row, col[PLANNED], -1, &j->pu_planned, why, len) != 0 ||
            seconds(t, path, row, col[T_START], &j->t_start, why, len) != 0 ||
            seconds(t, path, row, col[T_END], &j->t_end, why, len) != 0 ||
            seconds(t, path, row, col[CPU], &j->cpu, why, len) != 0 ||
            seconds(t, path, row, col[WAIT], &j->lock_wait, why, len) != 0 ||
            (copy >= 0 && seconds(t, path, row, copy, &j->copy, why, len) != 0) ||
            whole(t, path, row, rank, -1, &j->rank, why, len) != 0 || /* "" when absent */
            whole(t, path, row, thread, -1, &j->thread, why, len) != 0)
            return -1; /* results_release frees what was read */
        j->host = csv_field(t, row, host);
        j->bytes = bytes >= 0 ? number(t, row, bytes) : 0.0;
        j->switches = switches >= 0 ? number(t, row, switches) : 0.0;
    }
    qsort(r->jobs, r->njobs, sizeof *r->jobs, job_order);
    return 0;
}

static int load_slices(struct results *r, const char *path, char *why, size_t len)
{
    struct csv_table *t = &r->slices_table;
    int run, job, worker, start, end;

    if (path == NULL)
        return 0;
    if (csv_read_file(path, t) != 0) /* none: no switching panel; malformed: an error */
        return errno == EINVAL ? csv_read_error(t, path, why, len) : 0;
    run = csv_column(t, "run_id");
    job = csv_column(t, "job");
    worker = csv_column(t, "worker");
    start = csv_column(t, "t_start_s");
    end = csv_column(t, "t_end_s");
    r->nslices = t->nrows > 0 ? t->nrows - 1 : 0;
    if (run < 0 || job < 0 || worker < 0 || start < 0 || end < 0 ||
        (r->slices = calloc(r->nslices ? r->nslices : 1, sizeof *r->slices)) == NULL) {
        csv_table_release(t); /* not a slices CSV: no switching panel */
        r->nslices = 0;
        return 0;
    }
    r->have_slices = true;
    for (size_t row = 1; row < t->nrows; row++) {
        struct results_slice *s = &r->slices[row - 1];

        *s = (struct results_slice){.run_id = csv_field(t, row, run), .row = row};
        if (whole(t, path, row, job, -1, &s->job, why, len) != 0 ||
            whole(t, path, row, worker, -1, &s->worker, why, len) != 0 ||
            seconds(t, path, row, start, &s->t_start, why, len) != 0 ||
            seconds(t, path, row, end, &s->t_end, why, len) != 0)
            return -1;
    }
    qsort(r->slices, r->nslices, sizeof *r->slices, slice_order);
    return 0;
}

/* The first index of base[0..n) whose run_id is not below run_id (elements of `size`
 * bytes whose first member is the run_id). */
static size_t lower_bound(const void *base, size_t n, size_t size, const char *run_id)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *const *id = (const char *const *)((const char *)base + mid * size);

        if (strcmp(*id, run_id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

size_t results_jobs_of(const struct results *r, const char *run_id,
                       const struct results_job **first)
{
    size_t lo = lower_bound(r->jobs, r->njobs, sizeof *r->jobs, run_id), hi = lo;

    while (hi < r->njobs && strcmp(r->jobs[hi].run_id, run_id) == 0)
        hi++;
    *first = hi > lo ? &r->jobs[lo] : NULL;
    return hi - lo;
}

size_t results_slices_of(const struct results *r, const char *run_id,
                         const struct results_slice **first)
{
    size_t lo = lower_bound(r->slices, r->nslices, sizeof *r->slices, run_id), hi = lo;

    while (hi < r->nslices && strcmp(r->slices[hi].run_id, run_id) == 0)
        hi++;
    *first = hi > lo ? &r->slices[lo] : NULL;
    return hi - lo;
}

/* ---- the index of the cases ------------------------------------------------------ */

/* What a query looks cases up by; `i` is the case's index, so that among equal keys
 * the first in the file comes first. */
struct case_ref {
    const struct backend *backend;
    const char *lock, *pin, *transport;
    unsigned long workers;
    unsigned long long payload;
    double fraction;
    size_t i;
};

/* The cases sorted three ways, so that each query is a binary search: a search through
 * every case for each cell of a table made a file of many cases quadratic. */
struct results_index {
    struct case_ref *plain;     /* no variant, no hybrid split: by backend, lock, pin,
                                 * workers */
    size_t nplain;
    struct case_ref *fractions; /* fraction_candidate: by F, workers */
    size_t nfractions;
    struct case_ref *payloads;  /* with a transport: by payload, backend, transport */
    size_t npayloads;
};

/* Backends by address: any fixed order will do, and it need not be the tables'. */
static int compare_backends(const struct backend *a, const struct backend *b)
{
    uintptr_t x = (uintptr_t)a, y = (uintptr_t)b;

    return (x > y) - (x < y);
}

static int compare_order(const struct case_ref *a, const struct case_ref *b)
{
    return (a->i > b->i) - (a->i < b->i);
}

/* The key of plain, without the order: what a query matches. */
static int plain_key(const struct case_ref *a, const struct case_ref *b)
{
    int c;

    if ((c = compare_backends(a->backend, b->backend)) != 0 ||
        (c = strcmp(a->lock, b->lock)) != 0 || (c = strcmp(a->pin, b->pin)) != 0)
        return c;
    return (a->workers > b->workers) - (a->workers < b->workers);
}

static int fraction_key(const struct case_ref *a, const struct case_ref *b)
{
    if (a->fraction != b->fraction)
        return a->fraction < b->fraction ? -1 : 1;
    return (a->workers > b->workers) - (a->workers < b->workers);
}

static int payload_key(const struct case_ref *a, const struct case_ref *b)
{
    int c;

    if (a->payload != b->payload)
        return a->payload < b->payload ? -1 : 1;
    if ((c = compare_backends(a->backend, b->backend)) != 0)
        return c;
    return strcmp(a->transport, b->transport);
}

static int plain_order(const void *pa, const void *pb)
{
    int c = plain_key(pa, pb);

    return c != 0 ? c : compare_order(pa, pb);
}

static int fraction_order(const void *pa, const void *pb)
{
    int c = fraction_key(pa, pb);

    return c != 0 ? c : compare_order(pa, pb);
}

static int payload_order(const void *pa, const void *pb)
{
    int c = payload_key(pa, pb);

    return c != 0 ? c : compare_order(pa, pb);
}

/* The first of refs[0..n) whose key is not below the probe's. */
static size_t first_not_below(const struct case_ref *refs, size_t n, const struct case_ref *probe,
                              int (*key)(const struct case_ref *, const struct case_ref *))
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (key(&refs[mid], probe) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The first case in the file with the probe's key, or NULL. */
static const struct summary_case *
look_up(const struct results *r, const struct case_ref *refs, size_t n,
        const struct case_ref *probe, int (*key)(const struct case_ref *, const struct case_ref *))
{
    size_t k = first_not_below(refs, n, probe, key);

    return k < n && key(&refs[k], probe) == 0 ? &r->runs.cases[refs[k].i] : NULL;
}

static double fraction_of(const char *lock);
static bool fraction_candidate(const struct results *r, size_t i);

static int build_index(struct results *r)
{
    size_t n = r->runs.ncases ? r->runs.ncases : 1;
    struct results_index *x = calloc(1, sizeof *x);

    r->index = x;
    if (x == NULL || (x->plain = malloc(n * sizeof *x->plain)) == NULL ||
        (x->fractions = malloc(n * sizeof *x->fractions)) == NULL ||
        (x->payloads = malloc(n * sizeof *x->payloads)) == NULL)
        return -1;
    for (size_t i = 0; i < r->runs.ncases; i++) {
        const struct summary_case *c = &r->runs.cases[i];
        struct case_ref ref = {.backend = r->backend_of[i], .lock = c->lock, .pin = c->pin,
                               .transport = c->transport, .workers = c->workers,
                               .payload = c->payload, .i = i};

        if (r->charted[i])
            x->plain[x->nplain++] = ref;
        if (fraction_candidate(r, i)) {
            ref.fraction = fraction_of(c->lock);
            x->fractions[x->nfractions++] = ref;
        }
        if (c->transport != NULL)
            x->payloads[x->npayloads++] = ref;
    }
    qsort(x->plain, x->nplain, sizeof *x->plain, plain_order);
    qsort(x->fractions, x->nfractions, sizeof *x->fractions, fraction_order);
    qsort(x->payloads, x->npayloads, sizeof *x->payloads, payload_order);
    return 0;
}

static void index_release(struct results_index *x)
{
    if (x == NULL)
        return;
    free(x->plain);
    free(x->fractions);
    free(x->payloads);
    free(x);
}

/* ---- loading ------------------------------------------------------------------- */

static const struct summary_case *find_serial(const struct results *r, const char *lock)
{
    for (size_t i = 0; i < r->runs.ncases; i++) {
        const struct summary_case *c = &r->runs.cases[i];

        if (r->backend_of[i]->baseline && strcmp(c->pin, "none") == 0 && c->plain &&
            (lock == NULL || strcmp(c->lock, lock) == 0))
            return c;
    }
    return NULL;
}

/* Whether `serial` is what case c's speedup divides by: of its jobs and size. */
static bool baseline_of(const struct summary_case *serial, const struct summary_case *c)
{
    return c != NULL && c->has_serial && serial->jobs == c->jobs && serial->size == c->size;
}

/* The notebook's serial case: the first one, unless the notebook's cases divide by
 * others (of other jobs or sizes); then the one the first of them divides by, so that
 * the table's serial row is the one its speedups are over. */
static void choose_serial(struct results *r)
{
    const struct summary_case *own = NULL;

    if (r->serial == NULL)
        return;
    for (size_t k = 0; k < r->nseries; k++) {
        const struct summary_case *c = results_series_case(r, &r->series[k], r->workers, "none");

        if (baseline_of(r->serial, c))
            return;
        if (own == NULL && c != NULL && c->has_serial)
            own = summary_find_serial(&r->runs, c->jobs, c->size, r->host, c->sizes, c->label);
    }
    if (own != NULL)
        r->serial = own;
}

static void choose_cases(struct results *r, unsigned long workers)
{
    const struct summary_case *pinned = NULL;

    r->serial = find_serial(r, "none");
    if (r->serial == NULL)
        r->serial = find_serial(r, NULL);
    r->workers = workers;
    for (size_t k = 0; r->workers == 0 && k < r->nseries; k++)
        if (results_series_case(r, &r->series[k], 3, "none") != NULL)
            r->workers = 3; /* the lecture's */
    for (size_t i = 0; r->workers == 0 && i < r->runs.ncases; i++) /* a case of the figures' */
        if (r->runs.cases[i].workers > 1 && in_a_series(r, i))
            r->workers = r->runs.cases[i].workers;
    for (size_t i = 0; r->workers == 0 && i < r->runs.ncases; i++)
        if (r->runs.cases[i].workers > 1)
            r->workers = r->runs.cases[i].workers;
    if (r->workers == 0)
        r->workers = 1;
    choose_serial(r);
    r->switching = summary_query(&r->runs, &(struct summary_query){
                                               .lock = "held", .workers = r->workers,
                                               .variant = "switch="});
    if (r->switching == NULL)
        r->switching = summary_query(&r->runs, &(struct summary_query){.lock = "held",
                                                                       .variant = "switch="});
    pinned = summary_query(&r->runs, &(struct summary_query){.pin = "close"});
    if (pinned == NULL)
        pinned = summary_query(&r->runs, &(struct summary_query){.pin = "spread"});
    for (size_t i = 0; pinned == NULL && i < r->runs.ncases; i++)
        if (strcmp(r->runs.cases[i].pin, "none") != 0 && r->runs.cases[i].plain)
            pinned = &r->runs.cases[i];
    r->pin_workers = pinned ? pinned->workers : 2;
    r->pus = results_first(r)->pus;
    r->cores = results_first(r)->cores;
}

static const struct summary_case *host_cases; /* qsort has no context argument */

static int by_host_then_order(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    int c = strcmp(host_cases[a].host, host_cases[b].host);

    return c != 0 ? c : (a > b) - (a < b);
}

/* Per case, whether it is the first of its host in the file (malloc'd), or NULL: by
 * sorting, as a search through the cases before each made many hosts quadratic. */
static bool *first_hosts(const struct summary *s)
{
    size_t *order = malloc((s->ncases ? s->ncases : 1) * sizeof *order);
    bool *first = calloc(s->ncases ? s->ncases : 1, sizeof *first);

    if (order == NULL || first == NULL) {
        free(order);
        free(first);
        return NULL;
    }
    for (size_t i = 0; i < s->ncases; i++)
        order[i] = i;
    host_cases = s->cases;
    qsort(order, s->ncases, sizeof *order, by_host_then_order);
    for (size_t k = 0; k < s->ncases; k++)
        first[order[k]] =
            k == 0 || strcmp(s->cases[order[k - 1]].host, s->cases[order[k]].host) != 0;
    free(order);
    return first;
}

/* The other machines' names, ", " apart, into r->other_hosts; then only `host`'s cases
 * are kept. */
static int keep_one_host(struct results *r, const struct results_paths *paths, char *why,
                         size_t whylen)
{
    const char *host = paths->host ? paths->host : r->runs.cases[0].host;
    size_t len = 0, cap = 1;
    bool found = false;

    for (size_t i = 0; i < r->runs.ncases; i++)
        cap += strlen(r->runs.cases[i].host) + 2;
    r->other_hosts = calloc(cap, 1);
    if (r->other_hosts == NULL)
        return fail(why, whylen, "cannot read '%s': %s", paths->runs, strerror(ENOMEM));
    bool *first = first_hosts(&r->runs);
    if (first == NULL)
        return fail(why, whylen, "cannot read '%s': %s", paths->runs, strerror(ENOMEM));
    for (size_t i = 0; i < r->runs.ncases; i++) {
        const char *h = r->runs.cases[i].host;
        bool seen = strcmp(h, host) == 0;

        found = found || seen;
        if (!seen && first[i]) {
            len += (size_t)snprintf(r->other_hosts + len, cap - len, "%s%s", len ? ", " : "", h);
            r->nother_hosts++;
        }
    }
    free(first);
    if (!found)
        return fail(why, whylen, "'%s' holds no runs of host '%s'; its hosts are: %s",
                    paths->runs, host, r->other_hosts);
    if (r->nother_hosts == 0) {
        free(r->other_hosts);
        r->other_hosts = NULL;
    }
    r->host = strdup(host); /* it must outlive the cases released next */
    if (r->host == NULL)
        return fail(why, whylen, "cannot read '%s': %s", paths->runs, strerror(ENOMEM));
    summary_keep_host(&r->runs, r->host);
    return 0;
}

int results_load(struct results *r, const struct results_paths *paths, unsigned long workers,
                 bool need_jobs, char *why, size_t whylen)
{
    memset(r, 0, sizeof *r);
    r->paths = *paths; /* for the figures' advice on what would add a missing run */
    if (summary_load(paths->runs, &r->runs, why, whylen) != 0)
        return -1;
    if (r->runs.ncases == 0) {
        results_release(r);
        return fail(why, whylen, "'%s' holds no runs", paths->runs);
    }
    if (keep_one_host(r, paths, why, whylen) != 0) {
        results_release(r);
        return -1;
    }
    if (describe_backends(r) != 0 || find_charted(r) != 0 || find_series(r) != 0 ||
        find_carriers(r) != 0 || build_index(r) != 0) {
        results_release(r);
        return fail(why, whylen, "cannot read '%s': %s", paths->runs, strerror(ENOMEM));
    }
    if (load_jobs(r, paths->jobs, need_jobs, why, whylen) != 0) {
        results_release(r);
        return -1;
    }
    if (load_slices(r, paths->slices, why, whylen) != 0) {
        results_release(r);
        return -1;
    }
    if (granularity_load(&r->granularity, paths->granularity, paths->overhead, r->host, why,
                         whylen) != 0) {
        results_release(r);
        return -1;
    }
    choose_cases(r, workers);
    return 0;
}

void results_release(struct results *r)
{
    if (r->have_jobs)
        csv_table_release(&r->jobs_table);
    if (r->have_slices)
        csv_table_release(&r->slices_table);
    free(r->jobs);
    free(r->slices);
    free(r->series);
    free(r->carriers);
    free(r->made);
    free(r->backend_of);
    free(r->charted);
    free(r->other_hosts);
    free(r->host);
    index_release(r->index);
    summary_release(&r->runs);
    granularity_release(&r->granularity);
    memset(r, 0, sizeof *r);
}

/* ---- queries -------------------------------------------------------------------- */

const struct summary_case *results_first(const struct results *r)
{
    return r->serial ? r->serial : &r->runs.cases[0];
}

const struct summary_case *results_series_case(const struct results *r,
                                               const struct results_series *s,
                                               unsigned long workers, const char *pin)
{
    const struct case_ref probe = {.backend = s->backend, .lock = s->lock, .pin = pin,
                                   .workers = workers};

    return look_up(r, r->index->plain, r->index->nplain, &probe, plain_key);
}

size_t results_sweep(const struct results *r, const struct results_series *s,
                     const struct summary_case ***out)
{
    const struct results_index *x = r->index;
    const struct case_ref probe = {.backend = s->backend, .lock = s->lock, .pin = "none"};
    size_t n = 0;

    *out = malloc((r->runs.ncases ? r->runs.ncases : 1) * sizeof **out);
    if (*out == NULL)
        return (size_t)-1;
    /* the series' unpinned cases lie together, by workers, each W's first one first:
     * the one results_series_case finds */
    for (size_t k = first_not_below(x->plain, x->nplain, &probe, plain_key);
         k < x->nplain && compare_backends(x->plain[k].backend, s->backend) == 0 &&
         strcmp(x->plain[k].lock, s->lock) == 0 && strcmp(x->plain[k].pin, "none") == 0;
         k++)
        if (n == 0 || (*out)[n - 1]->workers != x->plain[k].workers)
            (*out)[n++] = &r->runs.cases[x->plain[k].i];
    if (n == 0) {
        free(*out);
        *out = NULL;
    }
    return n;
}

const struct summary_case *results_flat_case(const struct results *r,
                                             const struct summary_case *c)
{
    const struct results_index *x = r->index;
    const struct case_ref probe = {.backend = results_backend(r, c), .lock = c->lock,
                                   .pin = "none", .workers = c->workers};

    for (size_t k = first_not_below(x->plain, x->nplain, &probe, plain_key);
         k < x->nplain && plain_key(&x->plain[k], &probe) == 0; k++) {
        const struct summary_case *f = &r->runs.cases[x->plain[k].i];

        if (f->ranks == f->workers && f->jobs == c->jobs && f->size == c->size &&
            strcmp(f->sizes, c->sizes) == 0 && strcmp(f->label, c->label) == 0)
            return f;
    }
    return NULL;
}

unsigned long results_most_workers(const struct results *r)
{
    unsigned long most = 0;

    for (size_t i = 0; i < r->runs.ncases; i++)
        if (strcmp(r->runs.cases[i].pin, "none") == 0 && r->runs.cases[i].workers > most)
            most = r->runs.cases[i].workers;
    return most;
}

int results_pinning(const struct results *r, struct results_pinning *p)
{
    size_t max = r->runs.ncases + 1;

    memset(p, 0, sizeof *p);
    p->backends = calloc(max, sizeof *p->backends);
    p->locks = calloc(max, sizeof *p->locks);
    p->pins = calloc(max + 1, sizeof *p->pins);
    if (p->backends == NULL || p->locks == NULL || p->pins == NULL) {
        results_pinning_release(p);
        return -1;
    }
    p->pins[p->npins++] = "none";
    for (size_t i = 0; i < r->runs.ncases; i++) {
        const struct summary_case *c = &r->runs.cases[i];
        bool seen = false;

        if (strcmp(c->pin, "none") == 0 || !c->plain || summary_hybrid(c) ||
            c->workers != r->pin_workers)
            continue;
        for (size_t k = 0; k < p->nbackends; k++)
            seen = seen || p->backends[k] == r->backend_of[i];
        if (!seen) {
            p->locks[p->nbackends] = c->lock;
            p->backends[p->nbackends++] = r->backend_of[i];
        }
        seen = false;
        for (size_t k = 0; k < p->npins; k++)
            seen = seen || strcmp(p->pins[k], c->pin) == 0;
        if (!seen)
            p->pins[p->npins++] = c->pin;
    }
    for (size_t a = 1; a < p->nbackends; a++) /* in the table's order, as the series */
        for (size_t b = a; b > 0 && backend_rank(r, p->backends[b - 1]) >
                                        backend_rank(r, p->backends[b]);
             b--) {
            const struct backend *t = p->backends[b];
            const char *l = p->locks[b];

            p->backends[b] = p->backends[b - 1];
            p->locks[b] = p->locks[b - 1];
            p->backends[b - 1] = t;
            p->locks[b - 1] = l;
        }
    return 0;
}

const struct summary_case *results_pinned_case(const struct results *r,
                                               const struct results_pinning *p, size_t m,
                                               size_t k)
{
    const struct case_ref probe = {.backend = p->backends[m], .lock = p->locks[m],
                                   .pin = p->pins[k], .workers = r->pin_workers};

    return look_up(r, r->index->plain, r->index->nplain, &probe, plain_key);
}

void results_pinning_release(struct results_pinning *p)
{
    free(p->backends);
    free(p->locks);
    free(p->pins);
    memset(p, 0, sizeof *p);
}

static int compare_ulongs(const void *pa, const void *pb)
{
    unsigned long a = *(const unsigned long *)pa, b = *(const unsigned long *)pb;

    return (a > b) - (a < b);
}

size_t results_worker_counts(const struct results *r, unsigned long **out)
{
    size_t n = 0;

    *out = malloc((r->runs.ncases ? r->runs.ncases : 1) * sizeof **out);
    if (*out == NULL)
        return (size_t)-1;
    for (size_t i = 0; i < r->runs.ncases; i++)
        if (strcmp(r->runs.cases[i].pin, "none") == 0)
            (*out)[n++] = r->runs.cases[i].workers;
    qsort(*out, n, sizeof **out, compare_ulongs);
    size_t kept = 0;
    for (size_t i = 0; i < n; i++)
        if (kept == 0 || (*out)[kept - 1] != (*out)[i])
            (*out)[kept++] = (*out)[i];
    if (kept == 0) {
        free(*out);
        *out = NULL;
    }
    return kept;
}

static int compare_longs(const void *pa, const void *pb)
{
    long a = *(const long *)pa, b = *(const long *)pb;

    return (a > b) - (a < b);
}

/* A start (+1) or an end (-1) of a job, for counting those in progress (in one rank:
 * `rank`, -1 for jobs without one). */
struct event {
    double t;
    int step;
    long rank;
};

static int event_order(const void *pa, const void *pb)
{
    const struct event *a = pa, *b = pb;

    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    return a->step - b->step; /* an end before a start at the same moment */
}

static int rank_event_order(const void *pa, const void *pb)
{
    const struct event *a = pa, *b = pb;

    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    return event_order(pa, pb);
}

static double median(double *x, size_t n)
{
    struct stats s;

    return n > 0 && stats_of(x, n, &s) == 0 ? s.median : 0.0;
}

int results_run_facts(const struct results *r, const struct summary_case *c,
                      struct results_run *f)
{
    const struct results_job *j;
    size_t n, nbw = 0, running = 0;
    struct event *ev;
    double *job, *kernel, *bw;
    long *workers;
    int rc = -1;

    memset(f, 0, sizeof *f);
    f->busiest = -1;
    if (c == NULL || !r->have_jobs || (n = results_jobs_of(r, c->median_run, &j)) == 0)
        return -1;
    ev = malloc(2 * n * sizeof *ev);
    job = malloc(n * sizeof *job);
    kernel = malloc(n * sizeof *kernel);
    bw = malloc(n * sizeof *bw);
    workers = malloc(n * sizeof *workers);
    if (ev == NULL || job == NULL || kernel == NULL || bw == NULL || workers == NULL)
        goto done;
    f->jobs = n;
    for (size_t i = 0; i < n; i++) {
        double span = j[i].t_end - j[i].t_start;

        ev[2 * i] = (struct event){j[i].t_start, +1, j[i].rank};
        ev[2 * i + 1] = (struct event){j[i].t_end, -1, j[i].rank};
        kernel[i] = span;
        job[i] = span + j[i].copy;
        if (j[i].bytes > 0 && j[i].copy > 0)
            bw[nbw++] = j[i].bytes / j[i].copy;
        f->copied += j[i].bytes > 0;
        workers[i] = j[i].worker;
        f->lock_wait += j[i].lock_wait;
        f->switches += j[i].switches;
        f->moved += j[i].pu_start != j[i].pu_end;
        f->on_planned += j[i].pu_planned >= 0 && j[i].pu_planned == j[i].pu_start &&
                         j[i].pu_start == j[i].pu_end;
    }
    qsort(ev, 2 * n, sizeof *ev, event_order);
    for (size_t i = 0; i < 2 * n; i++) {
        running = ev[i].step > 0 ? running + 1 : running - (running > 0);
        f->most_at_once = running > f->most_at_once ? running : f->most_at_once;
    }
    /* the same within each rank: the events by rank, in time order within it */
    qsort(ev, 2 * n, sizeof *ev, rank_event_order);
    running = 0;
    for (size_t i = 0; i < 2 * n; i++) {
        if (i > 0 && ev[i].rank != ev[i - 1].rank)
            running = 0;
        running = ev[i].step > 0 ? running + 1 : running - (running > 0);
        f->most_in_a_rank = running > f->most_in_a_rank ? running : f->most_in_a_rank;
    }
    qsort(workers, n, sizeof *workers, compare_longs);
    for (size_t a = 0, b; a < n; a = b) {
        for (b = a; b < n && workers[b] == workers[a]; b++)
            ;
        f->workers_seen++;
        if (b - a > f->busiest_jobs) {
            f->busiest_jobs = b - a;
            f->busiest = workers[a];
        }
    }
    f->job_s = median(job, n);
    f->kernel_s = median(kernel, n);
    f->bandwidth = median(bw, nbw);
    rc = 0;
done:
    free(ev);
    free(job);
    free(kernel);
    free(bw);
    free(workers);
    return rc;
}

/* The lock fraction of a case, or -1 when its lock is none of none, held, fraction:F. */
static double fraction_of(const char *lock)
{
    if (strcmp(lock, "none") == 0)
        return 0.0;
    if (strcmp(lock, "held") == 0)
        return 1.0;
    if (strncmp(lock, "fraction:", 9) == 0)
        return strtod(lock + 9, NULL);
    return -1.0;
}

static bool fraction_candidate(const struct results *r, size_t i)
{
    const struct summary_case *c = &r->runs.cases[i];

    return r->backend_of[i]->shares_memory && !r->backend_of[i]->baseline &&
           strcmp(c->pin, "none") == 0 && c->plain && fraction_of(c->lock) >= 0;
}

size_t results_fractions(const struct results *r, double **out)
{
    const struct results_index *x = r->index;
    size_t n = 0;

    *out = malloc((x->nfractions ? x->nfractions : 1) * sizeof **out);
    if (*out == NULL)
        return (size_t)-1;
    for (size_t k = 0; k < x->nfractions; k++) /* sorted by F already */
        if (n == 0 || (*out)[n - 1] != x->fractions[k].fraction)
            (*out)[n++] = x->fractions[k].fraction;
    if (n == 0) {
        free(*out);
        *out = NULL;
    }
    return n;
}

const struct summary_case *results_fraction_case(const struct results *r, double f,
                                                 unsigned long workers)
{
    const struct case_ref probe = {.fraction = f, .workers = workers};

    return look_up(r, r->index->fractions, r->index->nfractions, &probe, fraction_key);
}

/* The kernel sizes of the Amdahl experiment, as text: that of the runs with 0 < F < 1
 * and, when it differs, that of the runs with F = 0 and 1 (the worker sweep's). */
void results_fraction_sizes(const struct results *r, char *text, size_t len)
{
    unsigned long inner = 0, ends = 0, *ws;
    double *f;
    size_t n = results_fractions(r, &f), nw = results_worker_counts(r, &ws);

    if (n == (size_t)-1)
        n = 0;
    if (nw == (size_t)-1)
        nw = 0;

    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < nw; k++) {
            const struct summary_case *c = results_fraction_case(r, f[i], ws[k]);

            if (c == NULL)
                continue;
            if (f[i] > 0 && f[i] < 1 && inner == 0)
                inner = c->size;
            if ((f[i] == 0 || f[i] == 1) && ends == 0)
                ends = c->size;
            break;
        }
    free(f);
    free(ws);
    if (inner != 0 && ends != 0 && inner != ends)
        snprintf(text, len, "n = %lu (F = 0 and 1: n = %lu)", inner, ends);
    else
        snprintf(text, len, "n = %lu", inner != 0 ? inner : ends);
}

static int compare_sizes(const void *pa, const void *pb)
{
    unsigned long long a = *(const unsigned long long *)pa, b = *(const unsigned long long *)pb;

    return (a > b) - (a < b);
}

size_t results_payload_sizes(const struct results *r, unsigned long long **out)
{
    size_t n = 0;

    *out = malloc((r->runs.ncases ? r->runs.ncases : 1) * sizeof **out);
    if (*out == NULL)
        return (size_t)-1;
    for (size_t i = 0; i < r->runs.ncases; i++)
        if (r->runs.cases[i].payload > 0)
            (*out)[n++] = r->runs.cases[i].payload;
    qsort(*out, n, sizeof **out, compare_sizes);
    size_t kept = 0;
    for (size_t i = 0; i < n; i++)
        if (kept == 0 || (*out)[kept - 1] != (*out)[i])
            (*out)[kept++] = (*out)[i];
    if (kept == 0) {
        free(*out);
        *out = NULL;
    }
    return kept;
}

const struct summary_case *results_payload_case(const struct results *r, size_t k,
                                                unsigned long long bytes)
{
    if (k >= r->ncarriers)
        return NULL;
    const struct case_ref probe = {.payload = bytes, .backend = r->carriers[k].backend,
                                   .transport = r->carriers[k].transport};

    return look_up(r, r->index->payloads, r->index->npayloads, &probe, payload_key);
}

double results_serial_wall(const struct results *r, const struct summary_case *c)
{
    (void)r; /* the runs' summary found it, for every case at once */
    return c->serial_wall;
}

/* ---- the simd lesson ---- */

/* "kernel=simd/avx2 sizes=..." -> "simd/avx2": c's kernel part of its variant, or
 * NULL for a scalar case. */
static const char *simd_kernel(const struct summary_case *c, size_t *len)
{
    const char *k = strstr(c->variant, "kernel=");

    if (k == NULL || (k != c->variant && k[-1] != ' '))
        return NULL;
    k += strlen("kernel=");
    *len = strcspn(k, " ");
    return k;
}

/* c is unpinned, lock none, with no variant but its kernel's (the `kernel` part, `len`
 * bytes, or none for a scalar case) and its sizes. */
static bool simd_plain(const struct summary_case *c, const char *kernel, size_t len)
{
    size_t n = 0;
    const char *k = simd_kernel(c, &n);

    if (strcmp(c->lock, "none") != 0 || strcmp(c->pin, "none") != 0)
        return false;
    if (kernel == NULL)
        return c->plain && k == NULL;
    return k != NULL && n == len && strncmp(k, kernel, len) == 0 && k == c->variant + 7 &&
           (k[n] == '\0' || strncmp(k + n, " sizes=", 7) == 0);
}

int results_simd(const struct results *r, struct results_simd *out)
{
    const struct summary_case *first = NULL;
    const char *kernel = NULL;
    size_t len = 0;

    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < r->runs.ncases; i++) {
        const struct summary_case *c = &r->runs.cases[i];
        size_t n = 0;
        const char *k = simd_kernel(c, &n);

        if (k == NULL || !simd_plain(c, k, n) ||
            (strcmp(c->program, "parlab-serial") != 0 && strcmp(c->program, "parlab-threads") != 0))
            continue;
        if (first == NULL || (strcmp(c->program, "parlab-serial") == 0 &&
                              strcmp(first->program, "parlab-serial") != 0)) {
            first = c;
            kernel = k;
            len = n;
        }
    }
    if (first == NULL)
        return 0;
    out->have = true;
    out->size = first->size;
    if (memchr(kernel, '/', len) != NULL) {
        const char *isa = (const char *)memchr(kernel, '/', len) + 1;

        snprintf(out->isa, sizeof out->isa, "%.*s", (int)(kernel + len - isa), isa);
    }
    for (size_t i = 0; i < r->runs.ncases; i++) {
        const struct summary_case *c = &r->runs.cases[i];

        if (strcmp(c->program, "parlab-threads") == 0 && c->size == out->size &&
            simd_plain(c, kernel, len) && c->workers > out->most)
            out->most = c->workers;
        if (out->serial == NULL && strcmp(c->program, "parlab-serial") == 0 &&
            c->size == out->size && simd_plain(c, kernel, len))
            out->serial = c;
    }
    if (out->most == 0)
        return 0;
    out->threads = calloc(2 * out->most, sizeof *out->threads);
    if (out->threads == NULL)
        return -1;
    for (size_t i = 0; i < r->runs.ncases; i++) { /* the simd ones, the first of each W */
        const struct summary_case *c = &r->runs.cases[i];

        if (strcmp(c->program, "parlab-threads") == 0 && c->size == out->size &&
            simd_plain(c, kernel, len) && out->threads[2 * c->workers - 1] == NULL)
            out->threads[2 * c->workers - 1] = c;
    }
    for (size_t i = 0; i < r->runs.ncases; i++) { /* the scalar: of the simd one's jobs */
        const struct summary_case *c = &r->runs.cases[i], **slot;
        const struct summary_case *twin;

        if (strcmp(c->program, "parlab-threads") != 0 || c->size != out->size ||
            c->workers > out->most || !simd_plain(c, NULL, 0))
            continue;
        slot = &out->threads[2 * c->workers - 2];
        twin = out->threads[2 * c->workers - 1];
        if (*slot == NULL || (twin != NULL && (*slot)->jobs != twin->jobs && c->jobs == twin->jobs))
            *slot = c;
    }
    return 0;
}

const struct summary_case *results_simd_threads(const struct results_simd *s, unsigned long w,
                                                bool simd)
{
    if (w == 0 || w > s->most)
        return NULL;
    return s->threads[2 * w - 2 + simd];
}

void results_simd_release(struct results_simd *s)
{
    free(s->threads);
    s->threads = NULL;
}

double results_memcpy_bandwidth(const struct results *r)
{
    const struct summary_case *best = NULL;

    for (size_t i = 0; i < r->runs.ncases; i++)
        if (r->runs.cases[i].memcpy_gbs > 0 &&
            (best == NULL || r->runs.cases[i].payload > best->payload))
            best = &r->runs.cases[i];
    return best ? best->memcpy_gbs * 1e9 : 0.0;
}

double results_amdahl(double f, double p)
{
    return 1.0 / (f + (1.0 - f) / p);
}

double results_karp_flatt(double s, double p)
{
    return (1.0 / s - 1.0 / p) / (1.0 - 1.0 / p);
}
