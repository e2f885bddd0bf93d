/*
 * results.c - the CSV files of a results directory read back, and the questions the
 * report and the figures ask of them.
 */
#include "parlab/results.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parlab/stats.h"

/* Colours for the series a backend's own colour does not cover: its second lock, and
 * backends without an entry in the table.  The orange of lock waits is not among them. */
static const char *const spare_colours[] = {"#c44e52", "#8172b2", "#937860", "#da8bc3",
                                            "#ccb974", "#64b5cd", "#8c8c8c", "#4d4d4d"};
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
 * others as they first appear. */
static size_t backend_rank(const struct results *r, const struct backend *b)
{
    for (size_t i = 0; i < backend_count; i++)
        if (backend_table[i] == b)
            return i;
    for (size_t i = 0; i < r->nmade; i++)
        if (&r->made[i] == b)
            return backend_count + i;
    return backend_count + r->nmade;
}

static int describe_backends(struct results *r)
{
    r->backend_of = calloc(r->runs.ncases ? r->runs.ncases : 1, sizeof *r->backend_of);
    r->made = calloc(r->runs.ncases ? r->runs.ncases : 1, sizeof *r->made);
    if (r->backend_of == NULL || r->made == NULL)
        return -1;
    for (size_t i = 0; i < r->runs.ncases; i++) {
        const struct summary_case *c = &r->runs.cases[i];
        const struct backend *b = backend_find(c->program);

        for (size_t k = 0; b == NULL && k < r->nmade; k++)
            if (strcmp(r->made[k].name, c->program) == 0)
                b = &r->made[k];
        if (b == NULL)
            b = backend_describe(c->program, c->worker, &r->made[r->nmade++]);
        r->backend_of[i] = b;
    }
    return 0;
}

const struct backend *results_backend(const struct results *r, const struct summary_case *c)
{
    return r->backend_of[c - r->runs.cases];
}

/* The first colour of `wanted` (if any) or of the spare ones that `used` lacks. */
static const char *pick_colour(const char *wanted, const char **used, size_t nused)
{
    size_t best = 0, least = (size_t)-1;
    bool taken = false;

    for (size_t k = 0; wanted != NULL && k < nused; k++)
        taken = taken || strcmp(used[k], wanted) == 0;
    if (wanted != NULL && !taken)
        return wanted;
    for (size_t s = 0; s < NSPARE; s++) { /* the least used spare: they cycle */
        size_t uses = 0;
        for (size_t k = 0; k < nused; k++)
            uses += strcmp(used[k], spare_colours[s]) == 0;
        if (uses < least) {
            least = uses;
            best = s;
        }
    }
    return spare_colours[best];
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

static int find_series(struct results *r)
{
    const char **used;

    r->series = calloc(r->runs.ncases ? r->runs.ncases : 1, sizeof *r->series);
    if (r->series == NULL)
        return -1;
    for (size_t i = 0; i < r->runs.ncases; i++) {
        const struct summary_case *c = &r->runs.cases[i];
        const struct backend *b = r->backend_of[i];
        bool seen = false;

        if (b->baseline || strcmp(c->pin, "none") != 0 || c->variant[0] != '\0' ||
            (strcmp(c->lock, "none") != 0 && strcmp(c->lock, "held") != 0))
            continue;
        for (size_t k = 0; k < r->nseries; k++)
            seen = seen || (r->series[k].backend == b && strcmp(r->series[k].lock, c->lock) == 0);
        if (!seen)
            r->series[r->nseries++] = (struct results_series){.backend = b, .lock = c->lock};
    }
    sorting = r;
    qsort(r->series, r->nseries, sizeof *r->series, series_order);
    used = calloc(r->nseries + 1, sizeof *used);
    if (used == NULL)
        return -1;
    for (size_t k = 0; k < r->nseries; k++) {
        struct results_series *s = &r->series[k];

        snprintf(s->label, sizeof s->label, "%s, lock %s", s->backend->label, s->lock);
        s->colour = used[k] = pick_colour(s->backend->colour, used, k);
    }
    free(used);
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
    const char **used;

    r->carriers = calloc(r->runs.ncases ? r->runs.ncases : 1, sizeof *r->carriers);
    if (r->carriers == NULL)
        return -1;
    for (size_t i = 0; i < r->runs.ncases; i++) {
        const struct summary_case *c = &r->runs.cases[i];
        bool seen = false;

        if (c->payload == 0 || c->transport == NULL || c->transport[0] == '\0')
            continue;
        for (size_t k = 0; k < r->ncarriers; k++)
            seen = seen || (r->carriers[k].backend == r->backend_of[i] &&
                            strcmp(r->carriers[k].transport, c->transport) == 0);
        if (!seen)
            r->carriers[r->ncarriers++] =
                (struct results_carrier){.backend = r->backend_of[i], .transport = c->transport};
    }
    sorting = r;
    qsort(r->carriers, r->ncarriers, sizeof *r->carriers, carrier_order);
    used = calloc(r->ncarriers + 1, sizeof *used);
    if (used == NULL)
        return -1;
    for (size_t k = 0; k < r->ncarriers; k++) {
        struct results_carrier *c = &r->carriers[k];

        snprintf(c->label, sizeof c->label, "%s: %s", c->backend->label,
                 transport_words(c->transport));
        c->colour = used[k] = pick_colour(c->backend->colour, used, k);
    }
    free(used);
    return 0;
}

/* ---- jobs and slices ------------------------------------------------------------- */

static double number(const struct csv_table *t, size_t row, int col)
{
    const char *s = csv_field(t, row, col);

    return s[0] != '\0' ? strtod(s, NULL) : 0.0;
}

static long whole(const struct csv_table *t, size_t row, int col, long none)
{
    const char *s = csv_field(t, row, col);

    return s[0] != '\0' ? strtol(s, NULL, 10) : none;
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

    if (path == NULL || csv_read_file(path, t) != 0) {
        if (need)
            return fail(why, len, "cannot read '%s': %s", path ? path : "(no jobs CSV)",
                        strerror(path ? errno : ENOENT));
        return 0; /* the report goes on without the job sections */
    }
    r->have_jobs = true;
    for (int k = 0; k < NCOLS; k++)
        if ((col[k] = csv_column(t, names[k])) < 0) {
            csv_table_release(t);
            r->have_jobs = false;
            if (need)
                return fail(why, len, "'%s' is not a parlab jobs CSV: it has no column %s",
                            path, names[k]);
            return 0;
        }
    int copy = csv_column(t, "copy_s"), bytes = csv_column(t, "bytes_copied"); /* added later */
    int switches = csv_column(t, "switches");

    r->njobs = t->nrows > 0 ? t->nrows - 1 : 0;
    r->jobs = calloc(r->njobs ? r->njobs : 1, sizeof *r->jobs);
    if (r->jobs == NULL)
        return fail(why, len, "cannot read '%s': %s", path, strerror(ENOMEM));
    for (size_t row = 1; row < t->nrows; row++) {
        struct results_job *j = &r->jobs[row - 1];

        j->run_id = csv_field(t, row, col[RUN]);
        j->row = row;
        j->job = whole(t, row, col[JOB], -1);
        j->worker = whole(t, row, col[WORKER], -1);
        j->pu_start = whole(t, row, col[PU_START], -1);
        j->pu_end = whole(t, row, col[PU_END], -1);
        j->pu_planned = whole(t, row, col[PLANNED], -1);
        j->t_start = number(t, row, col[T_START]);
        j->t_end = number(t, row, col[T_END]);
        j->cpu = number(t, row, col[CPU]);
        j->lock_wait = number(t, row, col[WAIT]);
        j->copy = copy >= 0 ? number(t, row, copy) : 0.0;
        j->bytes = bytes >= 0 ? number(t, row, bytes) : 0.0;
        j->switches = switches >= 0 ? number(t, row, switches) : 0.0;
    }
    qsort(r->jobs, r->njobs, sizeof *r->jobs, job_order);
    return 0;
}

static void load_slices(struct results *r, const char *path)
{
    struct csv_table *t = &r->slices_table;
    int run, job, worker, start, end;

    if (path == NULL || csv_read_file(path, t) != 0)
        return;
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
        return;
    }
    r->have_slices = true;
    for (size_t row = 1; row < t->nrows; row++)
        r->slices[row - 1] = (struct results_slice){
            .run_id = csv_field(t, row, run),
            .row = row,
            .job = whole(t, row, job, -1),
            .worker = whole(t, row, worker, -1),
            .t_start = number(t, row, start),
            .t_end = number(t, row, end),
        };
    qsort(r->slices, r->nslices, sizeof *r->slices, slice_order);
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

/* ---- loading ------------------------------------------------------------------- */

static const struct summary_case *find_serial(const struct results *r, const char *lock)
{
    for (size_t i = 0; i < r->runs.ncases; i++) {
        const struct summary_case *c = &r->runs.cases[i];

        if (r->backend_of[i]->baseline && strcmp(c->pin, "none") == 0 && c->variant[0] == '\0' &&
            (lock == NULL || strcmp(c->lock, lock) == 0))
            return c;
    }
    return NULL;
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
    for (size_t i = 0; r->workers == 0 && i < r->runs.ncases; i++)
        if (r->runs.cases[i].workers > 1)
            r->workers = r->runs.cases[i].workers;
    if (r->workers == 0)
        r->workers = 1;
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
        if (strcmp(r->runs.cases[i].pin, "none") != 0 && r->runs.cases[i].variant[0] == '\0')
            pinned = &r->runs.cases[i];
    r->pin_workers = pinned ? pinned->workers : 2;
    r->pus = results_first(r)->pus;
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
    for (size_t i = 0; i < r->runs.ncases; i++) {
        const char *h = r->runs.cases[i].host;
        bool seen = strcmp(h, host) == 0;

        found = found || seen;
        for (size_t k = 0; k < i && !seen; k++)
            seen = strcmp(r->runs.cases[k].host, h) == 0;
        if (!seen) {
            len += (size_t)snprintf(r->other_hosts + len, cap - len, "%s%s", len ? ", " : "", h);
            r->nother_hosts++;
        }
    }
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
    if (summary_load(paths->runs, &r->runs) != 0) {
        if (errno == EINVAL)
            return fail(why, whylen,
                        "'%s' is not a parlab runs CSV: a column is missing or a value does "
                        "not parse",
                        paths->runs);
        return fail(why, whylen, "cannot read '%s': %s", paths->runs, strerror(errno));
    }
    if (r->runs.ncases == 0) {
        results_release(r);
        return fail(why, whylen, "'%s' holds no runs", paths->runs);
    }
    if (keep_one_host(r, paths, why, whylen) != 0) {
        results_release(r);
        return -1;
    }
    if (describe_backends(r) != 0 || find_series(r) != 0 || find_carriers(r) != 0) {
        results_release(r);
        return fail(why, whylen, "cannot read '%s': %s", paths->runs, strerror(ENOMEM));
    }
    if (load_jobs(r, paths->jobs, need_jobs, why, whylen) != 0) {
        results_release(r);
        return -1;
    }
    load_slices(r, paths->slices);
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
    free(r->other_hosts);
    free(r->host);
    summary_release(&r->runs);
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
    for (size_t i = 0; i < r->runs.ncases; i++) {
        const struct summary_case *c = &r->runs.cases[i];

        if (r->backend_of[i] == s->backend && c->workers == workers &&
            strcmp(c->lock, s->lock) == 0 && strcmp(c->pin, pin) == 0 && c->variant[0] == '\0')
            return c;
    }
    return NULL;
}

static int by_workers(const void *pa, const void *pb)
{
    const struct summary_case *a = *(const struct summary_case *const *)pa;
    const struct summary_case *b = *(const struct summary_case *const *)pb;

    return (a->workers > b->workers) - (a->workers < b->workers);
}

size_t results_sweep(const struct results *r, const struct results_series *s,
                     const struct summary_case ***out)
{
    size_t n = 0;

    *out = malloc((r->runs.ncases ? r->runs.ncases : 1) * sizeof **out);
    if (*out == NULL)
        return (size_t)-1;
    for (size_t i = 0; i < r->runs.ncases; i++) {
        const struct summary_case *c = &r->runs.cases[i];
        bool seen = false;

        if (r->backend_of[i] != s->backend || strcmp(c->lock, s->lock) != 0 ||
            strcmp(c->pin, "none") != 0 || c->variant[0] != '\0')
            continue;
        for (size_t k = 0; k < n; k++) /* the first of a W: as results_series_case */
            seen = seen || (*out)[k]->workers == c->workers;
        if (!seen)
            (*out)[n++] = c;
    }
    qsort(*out, n, sizeof **out, by_workers);
    if (n == 0) {
        free(*out);
        *out = NULL;
    }
    return n;
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

        if (strcmp(c->pin, "none") == 0 || c->variant[0] != '\0' || c->workers != r->pin_workers)
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
    for (size_t i = 0; i < r->runs.ncases; i++) {
        const struct summary_case *c = &r->runs.cases[i];

        if (r->backend_of[i] == p->backends[m] && strcmp(c->lock, p->locks[m]) == 0 &&
            c->workers == r->pin_workers && strcmp(c->pin, p->pins[k]) == 0 &&
            c->variant[0] == '\0')
            return c;
    }
    return NULL;
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

static int compare_doubles(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;

    return (a > b) - (a < b);
}

static int compare_longs(const void *pa, const void *pb)
{
    long a = *(const long *)pa, b = *(const long *)pb;

    return (a > b) - (a < b);
}

/* A start (+1) or an end (-1) of a job, for counting those in progress. */
struct event {
    double t;
    int step;
};

static int event_order(const void *pa, const void *pb)
{
    const struct event *a = pa, *b = pb;

    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    return a->step - b->step; /* an end before a start at the same moment */
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

        ev[2 * i] = (struct event){j[i].t_start, +1};
        ev[2 * i + 1] = (struct event){j[i].t_end, -1};
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
           strcmp(c->pin, "none") == 0 && c->variant[0] == '\0' && fraction_of(c->lock) >= 0;
}

size_t results_fractions(const struct results *r, double **out)
{
    size_t n = 0;

    *out = malloc((r->runs.ncases ? r->runs.ncases : 1) * sizeof **out);
    if (*out == NULL)
        return (size_t)-1;
    for (size_t i = 0; i < r->runs.ncases; i++) {
        double x = fraction_of(r->runs.cases[i].lock);
        bool seen = false;

        if (!fraction_candidate(r, i))
            continue;
        for (size_t k = 0; k < n; k++)
            seen = seen || (*out)[k] == x;
        if (!seen)
            (*out)[n++] = x;
    }
    qsort(*out, n, sizeof **out, compare_doubles);
    if (n == 0) {
        free(*out);
        *out = NULL;
    }
    return n;
}

const struct summary_case *results_fraction_case(const struct results *r, double f,
                                                 unsigned long workers)
{
    for (size_t i = 0; i < r->runs.ncases; i++)
        if (fraction_candidate(r, i) && r->runs.cases[i].workers == workers &&
            fraction_of(r->runs.cases[i].lock) == f)
            return &r->runs.cases[i];
    return NULL;
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
    for (size_t i = 0; i < r->runs.ncases; i++) {
        unsigned long long b = r->runs.cases[i].payload;
        bool seen = false;

        for (size_t k = 0; k < n; k++)
            seen = seen || (*out)[k] == b;
        if (b > 0 && !seen)
            (*out)[n++] = b;
    }
    qsort(*out, n, sizeof **out, compare_sizes);
    if (n == 0) {
        free(*out);
        *out = NULL;
    }
    return n;
}

const struct summary_case *results_payload_case(const struct results *r, size_t k,
                                                unsigned long long bytes)
{
    for (size_t i = 0; k < r->ncarriers && i < r->runs.ncases; i++) {
        const struct summary_case *c = &r->runs.cases[i];

        if (c->payload == bytes && r->backend_of[i] == r->carriers[k].backend &&
            c->transport != NULL && strcmp(c->transport, r->carriers[k].transport) == 0)
            return c;
    }
    return NULL;
}

double results_serial_wall(const struct results *r, const struct summary_case *c)
{
    const struct summary_case *s = summary_find_serial(&r->runs, c->jobs, c->size, c->host);

    return s != NULL ? s->wall.median : 0.0;
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
