/*
 * summary.c - the runs CSV grouped into cases, with medians and speedups.
 */
#include "parlab/summary.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parlab/csv.h"
#include "parlab/note.h"
#include "parlab/payload.h"

/* The values of one case, collected before they are summarised. */
struct samples {
    double *wall, *self, *children;
    const char **run_ids; /* point into the CSV table */
    size_t n, cap;
    uint64_t hash; /* of the case's key, for the index */
};

/* The cases found so far, and a hash table of them by their key (program, workers,
 * jobs, size, ranks, lock, pin, host, variant, sizes, label): each row finds its case in
 * constant time,
 * where a search through the cases made a file of many cases quadratic. */
struct grouping {
    struct summary *s;
    struct samples *samples; /* one per case */
    size_t cap;              /* of s->cases and samples */
    size_t *slots;           /* a case's index + 1, or 0 for an empty slot */
    size_t nslots;           /* a power of two, over twice the cases */
};

/* The key of a row's case, its fields pointing into the CSV table. */
struct case_key {
    const char *program, *lock, *pin, *host, *variant, *sizes, *label;
    unsigned long workers, jobs, size, ranks;
    bool plain; /* the variant is at most the sizes (struct summary_case) */
};

static int parse_ulong(const char *s, unsigned long *out)
{
    char *end;

    if (s[0] < '0' || s[0] > '9')
        return -1;
    errno = 0;
    *out = strtoul(s, &end, 10);
    return *end != '\0' || errno == ERANGE ? -1 : 0;
}

/* Control characters in a name read from a file, as '?': they would break the lines
 * of tables, reports and the figures' data. */
static void printable(char *s)
{
    for (; s != NULL && *s != '\0'; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            *s = '?';
}

/* Adds "NAME" + value to the variant, a space apart from what it holds, when value is
 * not empty.  A value too long for the room is cut. */
static void add_variant(char *variant, size_t len, const char *name, const char *value)
{
    size_t used = strlen(variant);

    if (value[0] != '\0' && used < len)
        snprintf(variant + used, len - used, "%s%s%s", used > 0 ? " " : "", name, value);
}

static int add_sample(struct samples *s, double wall, double self, double children,
                      const char *run_id)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 8;
        double *w = realloc(s->wall, cap * sizeof *w);
        if (w == NULL)
            return -1;
        s->wall = w;
        double *c = realloc(s->self, cap * sizeof *c);
        if (c == NULL)
            return -1;
        s->self = c;
        double *k = realloc(s->children, cap * sizeof *k);
        if (k == NULL)
            return -1;
        s->children = k;
        const char **r = realloc(s->run_ids, cap * sizeof *r);
        if (r == NULL)
            return -1;
        s->run_ids = r;
        s->cap = cap;
    }
    s->run_ids[s->n] = run_id;
    s->wall[s->n] = wall;
    s->self[s->n] = self;
    s->children[s->n] = children;
    s->n++;
    return 0;
}

/* FNV-1a over the bytes of x, going on from h. */
static uint64_t hash_bytes(uint64_t h, const void *x, size_t n)
{
    const unsigned char *p = x;

    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3u;
    return h;
}

static uint64_t hash_key(const struct case_key *k)
{
    const char *strings[] = {k->program, k->lock, k->pin,   k->host,
                             k->variant, k->sizes, k->label};
    unsigned long numbers[] = {k->workers, k->jobs, k->size, k->ranks};
    uint64_t h = 0xcbf29ce484222325u;

    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
        h = hash_bytes(h, strings[i], strlen(strings[i]) + 1); /* the NUL parts them */
    return hash_bytes(h, numbers, sizeof numbers);
}

static bool same_case(const struct summary_case *c, const struct case_key *k)
{
    return c->workers == k->workers && c->jobs == k->jobs && c->size == k->size &&
           c->ranks == k->ranks && strcmp(c->program, k->program) == 0 && strcmp(c->lock, k->lock) == 0 &&
           strcmp(c->pin, k->pin) == 0 && strcmp(c->host, k->host) == 0 &&
           strcmp(c->variant, k->variant) == 0 && strcmp(c->sizes, k->sizes) == 0 &&
           strcmp(c->label, k->label) == 0;
}

/* The slot of the case with this key and hash, or the empty slot where it belongs. */
static size_t find_slot(const struct grouping *g, const struct case_key *k, uint64_t hash)
{
    size_t mask = g->nslots - 1, slot = (size_t)hash & mask;

    while (g->slots[slot] != 0) {
        size_t i = g->slots[slot] - 1;

        if (k != NULL && g->samples[i].hash == hash && same_case(&g->s->cases[i], k))
            break;
        slot = (slot + 1) & mask;
    }
    return slot;
}

/* Room for one more case: the arrays and, kept under half full, the hash table. */
static int make_room(struct grouping *g)
{
    struct summary *s = g->s;

    if (s->ncases == g->cap) {
        size_t cap = g->cap ? 2 * g->cap : 16;
        struct summary_case *c = realloc(s->cases, cap * sizeof *c);
        if (c == NULL)
            return -1;
        s->cases = c;
        struct samples *sm = realloc(g->samples, cap * sizeof *sm);
        if (sm == NULL)
            return -1;
        g->samples = sm;
        g->cap = cap;
    }
    if (2 * (s->ncases + 1) > g->nslots) {
        size_t n = g->nslots ? 2 * g->nslots : 64, *old = g->slots;

        g->slots = calloc(n, sizeof *g->slots);
        if (g->slots == NULL) {
            g->slots = old;
            return -1;
        }
        free(old);
        g->nslots = n;
        for (size_t i = 0; i < s->ncases; i++) /* no key: every case is new here */
            g->slots[find_slot(g, NULL, g->samples[i].hash)] = i + 1;
    }
    return 0;
}

/* Index of the case the row belongs to, adding a new case if needed; -1 on ENOMEM. */
static long find_or_add(struct grouping *g, const struct case_key *k)
{
    struct summary *s = g->s;
    uint64_t hash = hash_key(k);
    size_t slot, i;
    struct summary_case *c;

    if (g->nslots > 0 && g->slots[slot = find_slot(g, k, hash)] != 0)
        return (long)(g->slots[slot] - 1);
    if (make_room(g) != 0)
        return -1;
    i = s->ncases++;
    g->slots[find_slot(g, k, hash)] = i + 1;
    memset(&g->samples[i], 0, sizeof g->samples[i]);
    g->samples[i].hash = hash;
    c = &s->cases[i];
    memset(c, 0, sizeof *c);
    c->workers = k->workers;
    c->jobs = k->jobs;
    c->size = k->size;
    c->ranks = k->ranks;
    c->program = strdup(k->program);
    c->lock = strdup(k->lock);
    c->pin = strdup(k->pin);
    c->host = strdup(k->host);
    c->variant = strdup(k->variant);
    c->sizes = strdup(k->sizes);
    c->label = strdup(k->label);
    c->plain = k->plain;
    if (!c->program || !c->lock || !c->pin || !c->host || !c->variant || !c->sizes ||
        !c->label)
        return -1;
    return (long)i;
}

static int compare_doubles(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;

    return (a > b) - (a < b);
}

/* The wall times' median, minimum and maximum, and the index of the median run: the
 * first, in the file's order, whose time is the lower-middle one (the median itself
 * for an odd count).  One sort: a count of the values below each one made files of
 * many repetitions quadratic. */
static int wall_stats(const double *wall, size_t n, struct stats *st, size_t *median)
{
    double *sorted = malloc(n * sizeof *sorted), middle;
    size_t i;

    if (sorted == NULL)
        return -1;
    memcpy(sorted, wall, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, compare_doubles);
    stats_of_sorted(sorted, n, st);
    middle = sorted[(n - 1) / 2];
    free(sorted);
    for (i = 0; i < n && wall[i] != middle; i++)
        ;
    *median = i;
    return 0;
}

/* A serial case that may be the baseline of others: a baseline program, unpinned,
 * without a variant other than its sizes. */
static bool serial_candidate(const struct summary_case *c)
{
    const struct backend *b = backend_find(c->program);

    return ((b != NULL && b->baseline) || backend_suite_baseline(c->program)) &&
           strcmp(c->pin, "none") == 0 && c->plain;
}

/* What the serial candidates are sorted and searched by: host, label and sizes (the
 * jobs' --sizes SPEC, "" for one size), jobs, size; and first the suite (backend.h)
 * of `program`, so that an exercise's parts divide by its own serial part only, and
 * parlab's programs by parlab-serial. */
struct serial_key {
    const char *program;
    const char *host, *label, *sizes;
    unsigned long jobs, size;
};

/* The order of the suites of programs a and b: "" (parlab's own) first. */
static int compare_suite(const char *a, const char *b)
{
    size_t la = backend_suite_length(a), lb = backend_suite_length(b);
    int c = memcmp(a, b, la < lb ? la : lb);

    return c != 0 ? c : (la > lb) - (la < lb);
}

/* The order of m against k in the first `depth` fields of ((suite, host, label,
 * sizes), jobs, size). */
static int compare_key(const struct summary_case *m, const struct serial_key *k, int depth)
{
    int c = compare_suite(m->program, k->program);

    if (c == 0)
        c = strcmp(m->host, k->host);
    if (c == 0)
        c = strcmp(m->label, k->label);
    if (c == 0)
        c = strcmp(m->sizes, k->sizes);
    if (c != 0 || depth == 1)
        return c;
    if (m->jobs != k->jobs)
        return m->jobs < k->jobs ? -1 : 1;
    if (depth == 2 || m->size == k->size)
        return 0;
    return m->size < k->size ? -1 : 1;
}

/* By host, jobs and size; then the lock released before the lock held; then file
 * order: the first of each (host, jobs, size) is what summary_find_serial returns. */
static int serial_order(const void *pa, const void *pb)
{
    const struct summary_case *a = *(const struct summary_case *const *)pa;
    const struct summary_case *b = *(const struct summary_case *const *)pb;
    int c = compare_key(
        a, &(struct serial_key){b->program, b->host, b->label, b->sizes, b->jobs, b->size},
                        3);

    if (c != 0)
        return c;
    if ((c = (strcmp(a->lock, "none") != 0) - (strcmp(b->lock, "none") != 0)) != 0)
        return c;
    return (a > b) - (a < b);
}

/* The first of the sorted candidates not below k in its first `depth` fields
 * (`after`: the first above them). */
static size_t bound(const struct summary_case *const *cand, size_t n, const struct serial_key *k,
                    int depth, bool after)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int cmp = compare_key(cand[mid], k, depth);

        if (cmp < 0 || (after && cmp == 0))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The first of the sorted candidates with k's host, jobs and size, or NULL. */
static const struct summary_case *serial_of(const struct summary_case *const *cand, size_t n,
                                            const struct serial_key *k)
{
    size_t i = bound(cand, n, k, 3, false);

    return i < n && compare_key(cand[i], k, 3) == 0 ? cand[i] : NULL;
}

/* The candidates nearest to k on its host: its jobs when there are such, else the
 * nearest count of jobs (the smaller of two as near); among those the nearest n, and
 * when two are as near, both. */
static void nearest_of(const struct summary_case *const *cand, size_t n,
                       const struct serial_key *k, struct summary_nearest *near)
{
    size_t h0 = bound(cand, n, k, 1, false), h1 = bound(cand, n, k, 1, true);
    struct serial_key at = *k;
    size_t j0, j1, p;

    memset(near, 0, sizeof *near);
    if (h0 == h1)
        return; /* no serial run on the host */
    near->any = true;
    j0 = bound(cand, n, k, 2, false);
    j1 = bound(cand, n, k, 2, true);
    if (j0 == j1) { /* none of these jobs: the nearest count on either side */
        bool below = j0 > h0, above = j0 < h1;

        if (below && (!above || k->jobs - cand[j0 - 1]->jobs <= cand[j0]->jobs - k->jobs))
            at.jobs = cand[j0 - 1]->jobs;
        else
            at.jobs = cand[j0]->jobs;
        j0 = bound(cand, n, &at, 2, false);
        j1 = bound(cand, n, &at, 2, true);
    }
    near->jobs = at.jobs;
    p = bound(cand, n, &at, 3, false); /* the first of these jobs with n >= k's */
    if (p == j0) {
        near->size = near->other = cand[p]->size;
    } else if (p == j1) {
        near->size = near->other = cand[p - 1]->size;
    } else {
        unsigned long lo = cand[p - 1]->size, hi = cand[p]->size;

        near->size = k->size - lo <= hi - k->size ? lo : hi;
        near->other = k->size - lo == hi - k->size ? hi : near->size;
    }
}

/* The candidates sorted by serial_order, into *out (malloc'd); their count, or
 * (size_t)-1 when out of memory. */
static size_t sorted_candidates(const struct summary *s, const struct summary_case ***out)
{
    size_t n = 0;

    *out = malloc((s->ncases ? s->ncases : 1) * sizeof **out);
    if (*out == NULL)
        return (size_t)-1;
    for (size_t i = 0; i < s->ncases; i++)
        if (serial_candidate(&s->cases[i]))
            (*out)[n++] = &s->cases[i];
    qsort(*out, n, sizeof **out, serial_order);
    return n;
}

/* Each case's speedup over its serial case, found by binary search among the serial
 * candidates sorted once, or the serial runs nearest to it. */
static int add_speedups(struct summary *s)
{
    const struct summary_case **cand;
    size_t n = sorted_candidates(s, &cand);

    if (n == (size_t)-1)
        return -1;
    for (size_t i = 0; i < s->ncases; i++) {
        struct summary_case *c = &s->cases[i];
        const struct serial_key k = {c->program, c->host, c->label, c->sizes, c->jobs, c->size};
        const struct summary_case *serial = serial_of(cand, n, &k);

        c->serial = serial;
        c->has_serial = serial != NULL;
        c->serial_wall = serial ? serial->wall.median : 0;
        c->speedup = serial && c->wall.median > 0 ? serial->wall.median / c->wall.median : 0;
        if (serial == NULL)
            nearest_of(cand, n, &k, &c->nearest);
    }
    free(cand);
    return 0;
}

/* What row r says of the machine beside the run, added to its case c (whose pus is
 * set): other programs' CPU time beyond the rounding, per second of wall time.
 * Returns -1 when other_cpu_s is there but not a time. */
static int note_machine(struct summary_case *c, const struct csv_table *t, size_t r,
                        int other_col, int battery_col, double wall)
{
    const char *other = csv_field(t, r, other_col); /* "" when the column is absent */
    double seconds, rounding = SUMMARY_TICK_S * (double)(c->pus ? c->pus : 1);

    c->on_battery = c->on_battery || strcmp(csv_field(t, r, battery_col), "yes") == 0;
    if (other[0] == '\0') {
        c->other_unknown++;
        return 0;
    }
    if (csv_parse_seconds(other, &seconds) != 0)
        return -1;
    if (wall > 0) {
        double beyond = seconds - rounding;

        if (beyond > 0 && beyond / wall > c->other_rate)
            c->other_rate = beyond / wall;
        if (rounding / wall > SUMMARY_BUSY_RATE)
            c->too_short_to_tell = true;
    }
    return 0;
}

int summary_find_nearest(const struct summary *s, unsigned long jobs, unsigned long size,
                         const char *host, const char *sizes, const char *label,
                         struct summary_nearest *near)
{
    const struct summary_case **cand;
    size_t n = sorted_candidates(s, &cand);

    if (n == (size_t)-1)
        return -1;
    nearest_of(cand, n,
               &(struct serial_key){"", host, label ? label : "", sizes ? sizes : "", jobs,
                                    size},
               near);
    free(cand);
    return 0;
}

void summary_why_no_serial(const struct summary_nearest *near, unsigned long jobs,
                           unsigned long size, const char *where, char *what, size_t whatlen,
                           char *instead, size_t insteadlen)
{
    char sizes[64];

    if (!near->any) {
        snprintf(what, whatlen, "no serial run %s", where);
        snprintf(instead, insteadlen, "%s", "");
        return;
    }
    if (near->other != near->size)
        snprintf(sizes, sizeof sizes, "n = %lu and %lu", near->size, near->other);
    else
        snprintf(sizes, sizeof sizes, "n = %lu", near->size);
    if (near->jobs == jobs) {
        snprintf(what, whatlen, "no serial run with n = %lu %s", size, where);
        snprintf(instead, insteadlen, "nearest %s", sizes);
    } else {
        snprintf(what, whatlen, "no serial run of %lu %s %s", jobs, jobs == 1 ? "job" : "jobs",
                 where);
        snprintf(instead, insteadlen, "nearest: %lu %s, %s", near->jobs,
                 near->jobs == 1 ? "job" : "jobs", sizes);
    }
}

void summary_why_no_speedup(const struct summary_case *c, char *text, size_t len)
{
    char where[512], what[640], instead[128];

    if (c->speedup > 0) {
        snprintf(text, len, "%s", "");
        return;
    }
    if (c->has_serial) { /* a median of 0 s, its own or its serial case's */
        snprintf(text, len, "%s median wall time is 0 s",
                 c->wall.median > 0 ? "the serial run's" : "its");
        return;
    }
    snprintf(where, sizeof where, "on host %s%s%s%s%s", c->host,
             c->label[0] ? " labelled " : "", c->label, c->sizes[0] ? " with --sizes " : "",
             c->sizes);
    summary_why_no_serial(&c->nearest, c->jobs, c->size, where, what, sizeof what, instead,
                          sizeof instead);
    snprintf(text, len, "%s%s%s", what, instead[0] ? "; " : "", instead);
}

/* The medians, minima and maxima of each case, and its median run. */
static int add_stats(struct summary *s, const struct samples *samples)
{
    for (size_t i = 0; i < s->ncases; i++) {
        struct summary_case *c = &s->cases[i];
        const struct samples *sm = &samples[i];
        size_t median;

        c->reps = sm->n;
        if (wall_stats(sm->wall, sm->n, &c->wall, &median) != 0 ||
            stats_of(sm->self, sm->n, &c->cpu_self) != 0 ||
            stats_of(sm->children, sm->n, &c->cpu_children) != 0)
            return -1;
        c->median_run = strdup(sm->run_ids[median]);
        if (c->median_run == NULL)
            return -1;
        if ((c->run_ids = calloc(sm->n ? sm->n : 1, sizeof *c->run_ids)) == NULL)
            return -1;
        for (size_t k = 0; k < sm->n; k++)
            if ((c->run_ids[k] = strdup(sm->run_ids[k])) == NULL)
                return -1;
    }
    return 0;
}

int summary_load(const char *path, struct summary *s, char *why, size_t whylen)
{
    static const char *const names[] = {
        "program", "workers",        "jobs", "size", "lock",   "pin",       "wall_s",
        "cpu_self_s", "cpu_children_s", "host", "pus", "run_id", "started_at"};
    enum {
        PROGRAM, WORKERS, JOBS, SIZE, LOCK, PIN, WALL, SELF, CHILDREN, HOST, PUS, RUN_ID,
        STARTED, NCOLS
    };
    static const int whole[] = {WORKERS, JOBS, SIZE}, times[] = {WALL, SELF, CHILDREN};
    static const int named[] = {PROGRAM, LOCK, PIN, HOST};
    struct csv_table t;
    struct grouping g = {.s = s};
    int col[NCOLS], rc = -1, saved;

    s->ncases = 0;
    s->cases = NULL;
    if (csv_read_file(path, &t) != 0)
        return csv_read_error(&t, path, why, whylen);
    for (int k = 0; k < NCOLS; k++)
        if ((col[k] = csv_column(&t, names[k])) < 0) {
            snprintf(why, whylen, "'%s' is not a parlab runs CSV: it has no column %s", path,
                     names[k]);
            errno = EINVAL;
            goto done;
        }
    int switch_col = csv_column(&t, "switch_ms"); /* columns added later: may be absent */
    int payload_col = csv_column(&t, "payload_bytes"), transport_col = csv_column(&t, "transport");
    int memcpy_col = csv_column(&t, "memcpy_gbs"), kind_col = csv_column(&t, "worker_kind");
    int other_col = csv_column(&t, "other_cpu_s"), battery_col = csv_column(&t, "on_battery");
    int cores_col = csv_column(&t, "cores"), sizes_col = csv_column(&t, "sizes");
    int schedule_col = csv_column(&t, "schedule"), label_col = csv_column(&t, "label");
    int ranks_col = csv_column(&t, "ranks");
    int kernel_col = csv_column(&t, "kernel"), isa_col = csv_column(&t, "isa");

    for (size_t r = 1; r < t.nrows; r++) {
        unsigned long count[3];
        double secs[3];
        long i;

        for (int k = 0; k < 3; k++)
            if (parse_ulong(csv_field(&t, r, col[whole[k]]), &count[k]) != 0) {
                csv_field_error(&t, path, r, col[whole[k]], "is not a whole number", why,
                                whylen);
                goto done;
            }
        for (int k = 0; k < 3; k++)
            if (csv_parse_seconds(csv_field(&t, r, col[times[k]]), &secs[k]) != 0) {
                csv_field_error(&t, path, r, col[times[k]], "is not a time in seconds", why,
                                whylen);
                goto done;
            }
        unsigned long ranks = 0; /* empty: not MPI, or a file from before the column */
        if (csv_field(&t, r, ranks_col)[0] != '\0' &&
            (parse_ulong(csv_field(&t, r, ranks_col), &ranks) != 0 || ranks == 0 ||
             count[0] % ranks != 0)) {
            csv_field_error(&t, path, r, ranks_col,
                            "is not a number of MPI ranks that divides the workers", why,
                            whylen);
            goto done;
        }
        char variant[1024] = "", name[32];
        const char *sizes = csv_field(&t, r, sizes_col);
        unsigned long long payload = strtoull(csv_field(&t, r, payload_col), NULL, 10);
        if (csv_field(&t, r, switch_col)[0] != '\0') {
            snprintf(variant, sizeof variant, "switch=%sms", csv_field(&t, r, switch_col));
        } else if (payload > 0) {
            payload_name(payload, name, sizeof name);
            snprintf(variant, sizeof variant, "payload=%s via %s", name,
                     csv_field(&t, r, transport_col));
        }
        /* The simd kernel's runs are a case of their own, never a baseline: a speedup
         * divides by the scalar serial runs (empty: a file from before the column). */
        const char *kernel = csv_field(&t, r, kernel_col);
        if (kernel[0] != '\0' && strcmp(kernel, "scalar") != 0) {
            char text[96];
            const char *isa = csv_field(&t, r, isa_col);

            snprintf(text, sizeof text, "%.40s%s%.40s", kernel, isa[0] ? "/" : "", isa);
            add_variant(variant, sizeof variant, "kernel=", text);
        }
        bool plain = variant[0] == '\0';
        const char *schedule = csv_field(&t, r, schedule_col);
        if (strcmp(schedule, "dynamic,1") != 0) /* the default: a queue, one job at a time */
            add_variant(variant, sizeof variant, "schedule=", schedule);
        printable((char *)sizes);
        add_variant(variant, sizeof variant, "sizes=", sizes);
        printable((char *)csv_field(&t, r, label_col));
        printable(variant);
        for (int k = 0; k < 4; k++) /* the names as the cases keep them (the table's text) */
            printable((char *)csv_field(&t, r, col[named[k]]));
        i = find_or_add(&g, &(struct case_key){
                                .program = csv_field(&t, r, col[PROGRAM]),
                                .lock = csv_field(&t, r, col[LOCK]),
                                .pin = csv_field(&t, r, col[PIN]),
                                .host = csv_field(&t, r, col[HOST]),
                                .variant = variant,
                                .sizes = sizes,
                                .label = csv_field(&t, r, label_col),
                                .plain = plain,
                                .workers = count[0],
                                .jobs = count[1],
                                .size = count[2],
                                .ranks = ranks,
                            });
        if (i < 0 || add_sample(&g.samples[i], secs[0], secs[1], secs[2],
                                csv_field(&t, r, col[RUN_ID])) != 0)
            goto nomem;
        if (s->cases[i].transport == NULL) {
            s->cases[i].payload = payload;
            s->cases[i].transport = strdup(csv_field(&t, r, transport_col));
            s->cases[i].memcpy_gbs = strtod(csv_field(&t, r, memcpy_col), NULL);
        }
        if (s->cases[i].started_at == NULL) {
            unsigned long pus = 0;

            parse_ulong(csv_field(&t, r, col[PUS]), &pus);
            s->cases[i].pus = pus;
        }
        if (note_machine(&s->cases[i], &t, r, other_col, battery_col, secs[0]) != 0) {
            csv_field_error(&t, path, r, other_col, "is not a time in seconds", why, whylen);
            goto done;
        }
        if (s->cases[i].started_at == NULL) {
            const struct backend *known = backend_find(s->cases[i].program);

            s->cases[i].worker = worker_kind_parse(csv_field(&t, r, kind_col));
            if (s->cases[i].worker == WORKER_UNKNOWN && known != NULL)
                s->cases[i].worker = known->worker;
            if (csv_field(&t, r, cores_col)[0] != '\0' &&
                parse_ulong(csv_field(&t, r, cores_col), &s->cases[i].cores) != 0) {
                csv_field_error(&t, path, r, cores_col, "is not a whole number", why, whylen);
                goto done;
            }
            s->cases[i].started_at = strdup(csv_field(&t, r, col[STARTED]));
            if (s->cases[i].started_at == NULL)
                goto nomem;
        }
    }
    if (add_stats(s, g.samples) != 0 || add_speedups(s) != 0)
        goto nomem;
    rc = 0;
    goto done;
nomem:
    snprintf(why, whylen, "cannot read '%s': %s", path, strerror(errno));
done:
    saved = errno;
    for (size_t i = 0; g.samples != NULL && i < s->ncases; i++) {
        free(g.samples[i].wall);
        free(g.samples[i].self);
        free(g.samples[i].children);
        free(g.samples[i].run_ids);
    }
    free(g.samples);
    free(g.slots);
    csv_table_release(&t);
    if (rc != 0)
        summary_release(s);
    errno = saved;
    return rc;
}

const struct summary_case *summary_query(const struct summary *s, const struct summary_query *q)
{
    for (size_t i = 0; i < s->ncases; i++) {
        const struct summary_case *c = &s->cases[i];

        if ((q->program == NULL || strcmp(c->program, q->program) == 0) &&
            (q->lock == NULL || strcmp(c->lock, q->lock) == 0) &&
            (q->workers == 0 || c->workers == q->workers) &&
            (q->pin == NULL || strcmp(c->pin, q->pin) == 0) &&
            (q->variant == NULL ? c->variant[0] == '\0'
                                : strncmp(c->variant, q->variant, strlen(q->variant)) == 0) &&
            (q->transport == NULL || (c->transport && strcmp(c->transport, q->transport) == 0)) &&
            (q->payload == 0 || c->payload == q->payload))
            return c;
    }
    return NULL;
}

const struct summary_case *summary_find_serial(const struct summary *s, unsigned long jobs,
                                               unsigned long size, const char *host,
                                               const char *sizes, const char *label)
{
    const struct summary_case *found = NULL;

    for (size_t i = 0; i < s->ncases; i++) {
        const struct summary_case *c = &s->cases[i];

        const struct backend *b = backend_find(c->program);

        if (b == NULL || !b->baseline || c->jobs != jobs || c->size != size ||
            strcmp(c->host, host) != 0 || strcmp(c->sizes, sizes ? sizes : "") != 0 ||
            strcmp(c->label, label ? label : "") != 0 ||
            strcmp(c->pin, "none") != 0 || !c->plain)
            continue;
        if (strcmp(c->lock, "none") == 0)
            return c; /* the plain baseline */
        if (found == NULL)
            found = c;
    }
    return found;
}

/* Characters in a UTF-8 string: its bytes that do not continue a character. */
static size_t characters(const char *text)
{
    size_t n = 0;

    for (; *text != '\0'; text++)
        n += ((unsigned char)*text & 0xc0) != 0x80;
    return n;
}

/* The width of the label column, in characters: 0 when every case has the same label
 * (or none), else the longest label's, at least the header's. */
static size_t label_width(const struct summary *s)
{
    size_t width = 5; /* "label" */
    bool several = false;

    for (size_t i = 0; i < s->ncases; i++) {
        size_t n = characters(s->cases[i].label);

        several = several || strcmp(s->cases[i].label, s->cases[0].label) != 0;
        width = n > width ? n : width;
    }
    return several ? width : 0;
}

/* text, then spaces up to `width` characters and one more; nothing when width is 0. */
static void print_column(const char *text, size_t width, FILE *out)
{
    if (width == 0)
        return;
    fputs(text, out);
    for (size_t n = characters(text); n <= width; n++)
        fputc(' ', out);
}

unsigned long summary_threads_per_rank(const struct summary_case *c)
{
    return c->ranks > 0 ? c->workers / c->ranks : 0;
}

bool summary_hybrid(const struct summary_case *c)
{
    return summary_threads_per_rank(c) > 1;
}

void summary_split_text(const struct summary_case *c, char *text, size_t len)
{
    if (c->ranks > 0)
        snprintf(text, len, "%lux%lu", c->ranks, summary_threads_per_rank(c));
    else
        snprintf(text, len, "%s", "");
}

/* The case column's text: "threads lock=none pin=close schedule=static", "mpi 1x2
 * lock=held" (MPI ranks x threads each). */
static void case_text(const struct summary_case *c, char *text, size_t len)
{
    const char *name = strncmp(c->program, "parlab-", 7) == 0 ? c->program + 7 : c->program;
    char split[48];

    summary_split_text(c, split, sizeof split);
    snprintf(text, len, "%s%s%s lock=%s%s%s%s%s", name, split[0] ? " " : "", split, c->lock,
             strcmp(c->pin, "none") ? " pin=" : "", strcmp(c->pin, "none") ? c->pin : "",
             c->variant[0] ? " " : "", c->variant);
}

void summary_print_table(const struct summary *s, FILE *out)
{
    struct note_list notes;
    size_t labels = label_width(s);
    int width = 28; /* the case column: as wide as its longest text */

    for (size_t i = 0; i < s->ncases; i++) {
        char label[128];

        case_text(&s->cases[i], label, sizeof label);
        if ((int)strlen(label) > width)
            width = (int)strlen(label);
    }
    note_list_init(&notes);
    print_column("label", labels, out);
    fprintf(out, "%-*s %4s %5s %7s %4s  %-22s %9s %9s %8s\n", width, "case", "W", "jobs", "n",
            "reps", "wall s (min-max)", "cpu self", "children", "speedup");
    for (size_t i = 0; i < s->ncases; i++) {
        const struct summary_case *c = &s->cases[i];
        char label[128], wall[48], speedup[32], why[512];
        size_t note;

        case_text(c, label, sizeof label);
        snprintf(wall, sizeof wall, "%.3f (%.3f-%.3f)", c->wall.median, c->wall.min,
                 c->wall.max);
        summary_why_no_speedup(c, why, sizeof why);
        note = c->speedup > 0 ? 0 : note_add(&notes, why); /* the same reason, the same note */
        if (c->speedup > 0)
            snprintf(speedup, sizeof speedup, "%.2f", c->speedup);
        else if (note > 0)
            snprintf(speedup, sizeof speedup, "- [%zu]", note);
        else
            snprintf(speedup, sizeof speedup, "-"); /* out of memory: no note to point to */
        print_column(c->label[0] != '\0' ? c->label : "-", labels, out);
        fprintf(out, "%-*s %4lu %5lu %7lu %4zu  %-22s %9.3f %9.3f %8s\n", width, label, c->workers,
                c->jobs, c->size, c->reps, wall, c->cpu_self.median, c->cpu_children.median,
                speedup);
    }
    note_list_print(&notes, out, "\n");
    note_list_release(&notes);
}

static void case_release(struct summary_case *c)
{
    free(c->program);
    free(c->lock);
    free(c->pin);
    free(c->host);
    free(c->variant);
    free(c->sizes);
    free(c->label);
    free(c->transport);
    free(c->started_at);
    free(c->median_run);
    for (size_t k = 0; c->run_ids != NULL && k < c->reps; k++)
        free(c->run_ids[k]);
    free(c->run_ids);
}

size_t summary_keep_host(struct summary *s, const char *host)
{
    size_t kept = 0, dropped;

    /* where each kept case will be, so that the serial cases they point to (of the
     * same host, so kept too) can be found there */
    for (size_t i = 0; i < s->ncases; i++)
        if (strcmp(s->cases[i].host, host) == 0)
            s->cases[i].kept_at = kept++;
    for (size_t i = 0; i < s->ncases; i++)
        if (s->cases[i].serial != NULL && strcmp(s->cases[i].host, host) == 0)
            s->cases[i].serial = &s->cases[s->cases[i].serial->kept_at];
    kept = 0;
    for (size_t i = 0; i < s->ncases; i++) {
        if (strcmp(s->cases[i].host, host) == 0)
            s->cases[kept++] = s->cases[i];
        else
            case_release(&s->cases[i]);
    }
    dropped = s->ncases - kept;
    s->ncases = kept;
    return dropped;
}

/* ---- how clean a measurement is ------------------------------------------------ */

static double cpu_of(const struct summary_case *c)
{
    return c->cpu_self.median + c->cpu_children.median;
}

double summary_spread(const struct summary_case *c)
{
    return c->wall.median > 0 ? (c->wall.max - c->wall.min) / c->wall.median : 0;
}

bool summary_busy(const struct summary_case *c)
{
    return c->other_rate > SUMMARY_BUSY_RATE;
}

bool summary_disagrees(const struct summary_case *c)
{
    return c->reps > 1 &&
           summary_spread(c) > SUMMARY_SPREAD_LIMIT + 1e-9 && /* more than it, not at it */
           c->wall.max - c->wall.min > SUMMARY_SPREAD_FLOOR_S;
}

double summary_cpu_ratio(const struct summary_case *c)
{
    const struct summary_case *s = c->serial;

    return s != NULL && s != c && cpu_of(s) > 0 && s->jobs == c->jobs ? cpu_of(c) / cpu_of(s)
                                                                      : 1.0;
}

bool summary_slowed(const struct summary_case *c)
{
    return summary_cpu_ratio(c) > 1.0 + SUMMARY_SLOWED;
}

bool summary_clean(const struct summary_case *c)
{
    return !summary_busy(c) && !summary_disagrees(c) && !summary_slowed(c);
}

bool summary_clean_speedup(const struct summary_case *c)
{
    return c->serial != NULL && summary_clean(c) && summary_clean(c->serial);
}

void summary_why_unclean(const struct summary_case *c, char *text, size_t len)
{
    const struct summary_case *s = c->serial;
    size_t used = 0;

    /* every reason that holds, "; " apart: a busy run may also have slowed PUs */
#define REASON(...)                                                                         \
    do {                                                                                    \
        if (used < len)                                                                     \
            used += (size_t)snprintf(text + used, len - used, "%s", used ? "; " : "");      \
        if (used < len)                                                                     \
            used += (size_t)snprintf(text + used, len - used, __VA_ARGS__);                 \
    } while (0)
    text[0] = '\0';
    if (summary_busy(c))
        REASON("other programs used %.2f CPU-seconds per second during it", c->other_rate);
    if (s != NULL && summary_busy(s))
        REASON("other programs used %.2f CPU-seconds per second during the serial run it "
               "divides by",
               s->other_rate);
    if (summary_slowed(c))
        REASON("its jobs took %.2f times the CPU time of the same jobs run serially, so the "
               "PUs computed slower",
               summary_cpu_ratio(c));
    if (summary_disagrees(c))
        REASON("its %zu runs disagree by %.0f%% of their median", c->reps,
               100 * summary_spread(c));
    if (s != NULL && summary_disagrees(s))
        REASON("the %zu serial runs it divides by disagree by %.0f%% of their median", s->reps,
               100 * summary_spread(s));
    if (s == NULL)
        REASON("there is no serial run to divide by");
#undef REASON
}

void summary_release(struct summary *s)
{
    for (size_t i = 0; i < s->ncases; i++)
        case_release(&s->cases[i]);
    free(s->cases);
    s->cases = NULL;
    s->ncases = 0;
}
