/*
 * summary.c - the runs CSV grouped into cases, with medians and speedups.
 */
#include "parlab/summary.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "parlab/csv.h"
#include "parlab/payload.h"

/* The values of one case, collected before they are summarised. */
struct samples {
    double *wall, *self, *children;
    const char **run_ids; /* point into the CSV table */
    size_t n, cap;
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

/* A time: a finite number, not negative. */
static int parse_double(const char *s, double *out)
{
    char *end;

    if (s[0] == '\0')
        return -1;
    errno = 0;
    *out = strtod(s, &end);
    return *end != '\0' || errno == ERANGE || !isfinite(*out) || *out < 0 ? -1 : 0;
}

/* Control characters in a name read from a file, as '?': they would break the lines
 * of tables, reports and the figures' data. */
static void printable(char *s)
{
    for (; s != NULL && *s != '\0'; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            *s = '?';
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

static bool same_case(const struct summary_case *c, const char *program, unsigned long workers,
                      unsigned long jobs, unsigned long size, const char *lock, const char *pin,
                      const char *host, const char *variant)
{
    return c->workers == workers && c->jobs == jobs && c->size == size &&
           strcmp(c->program, program) == 0 && strcmp(c->lock, lock) == 0 &&
           strcmp(c->pin, pin) == 0 && strcmp(c->host, host) == 0 &&
           strcmp(c->variant, variant) == 0;
}

/* Index of the case the row belongs to, adding a new case if needed; -1 on ENOMEM. */
static long find_or_add(struct summary *s, struct samples **samples, const char *program,
                        unsigned long workers, unsigned long jobs, unsigned long size,
                        const char *lock, const char *pin, const char *host,
                        const char *variant)
{
    struct summary_case *c;
    size_t i;

    for (i = 0; i < s->ncases; i++)
        if (same_case(&s->cases[i], program, workers, jobs, size, lock, pin, host, variant))
            return (long)i;
    c = realloc(s->cases, (s->ncases + 1) * sizeof *c);
    if (c == NULL)
        return -1;
    s->cases = c;
    struct samples *sm = realloc(*samples, (s->ncases + 1) * sizeof *sm);
    if (sm == NULL)
        return -1;
    *samples = sm;
    memset(&sm[i], 0, sizeof sm[i]);
    c = &s->cases[i];
    memset(c, 0, sizeof *c);
    s->ncases++;
    c->workers = workers;
    c->jobs = jobs;
    c->size = size;
    c->program = strdup(program);
    c->lock = strdup(lock);
    c->pin = strdup(pin);
    c->host = strdup(host);
    c->variant = strdup(variant);
    if (!c->program || !c->lock || !c->pin || !c->host || !c->variant)
        return -1;
    printable(c->program);
    printable(c->lock);
    printable(c->pin);
    printable(c->host);
    printable(c->variant);
    return (long)i;
}

/* Index of the lower-middle value of x: the median itself for an odd count. */
static size_t median_index(const double *x, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t below = 0, equal = 0;

        for (size_t j = 0; j < n; j++) {
            below += x[j] < x[i];
            equal += x[j] == x[i];
        }
        if (below <= (n - 1) / 2 && (n - 1) / 2 < below + equal)
            return i;
    }
    return 0;
}

int summary_load(const char *path, struct summary *s)
{
    static const char *const names[] = {
        "program", "workers",        "jobs", "size", "lock",   "pin",       "wall_s",
        "cpu_self_s", "cpu_children_s", "host", "pus", "run_id", "started_at"};
    enum {
        PROGRAM, WORKERS, JOBS, SIZE, LOCK, PIN, WALL, SELF, CHILDREN, HOST, PUS, RUN_ID,
        STARTED, NCOLS
    };
    struct csv_table t;
    struct samples *samples = NULL;
    int col[NCOLS], rc = -1, saved;

    s->ncases = 0;
    s->cases = NULL;
    if (csv_read_file(path, &t) != 0)
        return -1;
    for (int k = 0; k < NCOLS; k++)
        if ((col[k] = csv_column(&t, names[k])) < 0) {
            errno = EINVAL;
            goto done;
        }
    int switch_col = csv_column(&t, "switch_ms"); /* columns added later: may be absent */
    int payload_col = csv_column(&t, "payload_bytes"), transport_col = csv_column(&t, "transport");
    int memcpy_col = csv_column(&t, "memcpy_gbs"), kind_col = csv_column(&t, "worker_kind");

    for (size_t r = 1; r < t.nrows; r++) {
        unsigned long workers, jobs, size;
        double wall, self, children;
        long i;

        if (parse_ulong(csv_field(&t, r, col[WORKERS]), &workers) != 0 ||
            parse_ulong(csv_field(&t, r, col[JOBS]), &jobs) != 0 ||
            parse_ulong(csv_field(&t, r, col[SIZE]), &size) != 0 ||
            parse_double(csv_field(&t, r, col[WALL]), &wall) != 0 ||
            parse_double(csv_field(&t, r, col[SELF]), &self) != 0 ||
            parse_double(csv_field(&t, r, col[CHILDREN]), &children) != 0) {
            errno = EINVAL;
            goto done;
        }
        char variant[96] = "", name[32];
        unsigned long long payload = strtoull(csv_field(&t, r, payload_col), NULL, 10);
        if (csv_field(&t, r, switch_col)[0] != '\0') {
            snprintf(variant, sizeof variant, "switch=%sms", csv_field(&t, r, switch_col));
        } else if (payload > 0) {
            payload_name(payload, name, sizeof name);
            snprintf(variant, sizeof variant, "payload=%s via %s", name,
                     csv_field(&t, r, transport_col));
        }
        i = find_or_add(s, &samples, csv_field(&t, r, col[PROGRAM]), workers, jobs, size,
                        csv_field(&t, r, col[LOCK]), csv_field(&t, r, col[PIN]),
                        csv_field(&t, r, col[HOST]), variant);
        if (i < 0 || add_sample(&samples[i], wall, self, children,
                                csv_field(&t, r, col[RUN_ID])) != 0)
            goto done;
        if (s->cases[i].transport == NULL) {
            s->cases[i].payload = payload;
            s->cases[i].transport = strdup(csv_field(&t, r, transport_col));
            s->cases[i].memcpy_gbs = strtod(csv_field(&t, r, memcpy_col), NULL);
        }
        if (s->cases[i].started_at == NULL) {
            const struct backend *known = backend_find(s->cases[i].program);
            unsigned long pus = 0;

            s->cases[i].worker = worker_kind_parse(csv_field(&t, r, kind_col));
            if (s->cases[i].worker == WORKER_UNKNOWN && known != NULL)
                s->cases[i].worker = known->worker;

            parse_ulong(csv_field(&t, r, col[PUS]), &pus);
            s->cases[i].pus = pus;
            s->cases[i].started_at = strdup(csv_field(&t, r, col[STARTED]));
            if (s->cases[i].started_at == NULL)
                goto done;
        }
    }

    for (size_t i = 0; i < s->ncases; i++) {
        struct summary_case *c = &s->cases[i];
        struct samples *sm = &samples[i];

        c->reps = sm->n;
        if (stats_of(sm->wall, sm->n, &c->wall) != 0 ||
            stats_of(sm->self, sm->n, &c->cpu_self) != 0 ||
            stats_of(sm->children, sm->n, &c->cpu_children) != 0)
            goto done;
        c->median_run = strdup(sm->run_ids[median_index(sm->wall, sm->n)]);
        if (c->median_run == NULL)
            goto done;
    }
    for (size_t i = 0; i < s->ncases; i++) {
        struct summary_case *c = &s->cases[i];
        const struct summary_case *serial = summary_find_serial(s, c->jobs, c->size, c->host);

        c->speedup = serial && c->wall.median > 0 ? serial->wall.median / c->wall.median : 0;
    }
    rc = 0;
done:
    saved = errno;
    for (size_t i = 0; samples != NULL && i < s->ncases; i++) {
        free(samples[i].wall);
        free(samples[i].self);
        free(samples[i].children);
        free(samples[i].run_ids);
    }
    free(samples);
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
                                               unsigned long size, const char *host)
{
    const struct summary_case *found = NULL;

    for (size_t i = 0; i < s->ncases; i++) {
        const struct summary_case *c = &s->cases[i];

        const struct backend *b = backend_find(c->program);

        if (b == NULL || !b->baseline || c->jobs != jobs || c->size != size ||
            strcmp(c->host, host) != 0 || strcmp(c->pin, "none") != 0 || c->variant[0] != '\0')
            continue;
        if (strcmp(c->lock, "none") == 0)
            return c; /* the plain baseline */
        if (found == NULL)
            found = c;
    }
    return found;
}

void summary_print_table(const struct summary *s, FILE *out)
{
    fprintf(out, "%-28s %4s %5s %7s %4s  %-22s %9s %9s %8s\n", "case", "W", "jobs", "n",
            "reps", "wall s (min-max)", "cpu self", "children", "speedup");
    for (size_t i = 0; i < s->ncases; i++) {
        const struct summary_case *c = &s->cases[i];
        const char *name = strncmp(c->program, "parlab-", 7) == 0 ? c->program + 7 : c->program;
        char label[128], wall[48], speedup[16];

        snprintf(label, sizeof label, "%s lock=%s%s%s%s%s", name, c->lock,
                 strcmp(c->pin, "none") ? " pin=" : "", strcmp(c->pin, "none") ? c->pin : "",
                 c->variant[0] ? " " : "", c->variant);
        snprintf(wall, sizeof wall, "%.3f (%.3f-%.3f)", c->wall.median, c->wall.min,
                 c->wall.max);
        if (c->speedup > 0)
            snprintf(speedup, sizeof speedup, "%.2f", c->speedup);
        else
            snprintf(speedup, sizeof speedup, "-");
        fprintf(out, "%-28s %4lu %5lu %7lu %4zu  %-22s %9.3f %9.3f %8s\n", label, c->workers,
                c->jobs, c->size, c->reps, wall, c->cpu_self.median, c->cpu_children.median,
                speedup);
    }
}

static void case_release(struct summary_case *c)
{
    free(c->program);
    free(c->lock);
    free(c->pin);
    free(c->host);
    free(c->variant);
    free(c->transport);
    free(c->started_at);
    free(c->median_run);
}

size_t summary_keep_host(struct summary *s, const char *host)
{
    size_t kept = 0, dropped;

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

void summary_release(struct summary *s)
{
    for (size_t i = 0; i < s->ncases; i++)
        case_release(&s->cases[i]);
    free(s->cases);
    s->cases = NULL;
    s->ncases = 0;
}
