/*
 * parlab-report - what a results directory shows: the data each figure draws, and the
 * written report, REPORT.md, with a table and a generated sentence per experiment.
 *
 * The gnuplot scripts in plots/ read their data from it, so every figure and the
 * report come from the same two CSV files and the same arithmetic:
 *
 *   bin/parlab-report --markdown > results/REPORT.md
 *   bin/parlab-report --data speedup      # W, median speedup, min, max per mode
 *   bin/parlab-report --value title       # "vm, 2 PUs, n = 241, 2026-11-25"
 *   bin/parlab-report --runs their/runs.csv --jobs their/jobs.csv --data timeline
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parlab/cli.h"
#include "parlab/csv.h"
#include "parlab/die.h"
#include "parlab/summary.h"

/* The three ways of running that the sweep and the timeline compare. */
struct mode {
    const char *label, *program, *lock;
};
static const struct mode modes[] = {
    {"threads, lock none", "parlab-threads", "none"},
    {"threads, lock held", "parlab-threads", "held"},
    {"procs, lock held", "parlab-procs", "held"},
};
#define NMODES (sizeof modes / sizeof modes[0])

static const char *const policies[] = {"none", "close", "spread"};
#define NPOLICIES (sizeof policies / sizeof policies[0])

/* Everything a report reads. */
struct results {
    struct summary runs;
    struct csv_table jobs;
    bool have_jobs;
    struct csv_table slices;          /* of the switching run, when there is one */
    bool have_slices;
    const struct summary_case *switching; /* threads, lock held, GIL-style switching */
    const struct summary_case *serial; /* the baseline, or NULL */
    unsigned long workers;             /* the notebook's W */
    unsigned long pin_workers;         /* the W of the pinning comparison */
};

/* The case of a mode with W workers and a pin policy; procs may have either lock. */
static const struct summary_case *find_mode(const struct results *r, const struct mode *m,
                                            unsigned long workers, const char *pin)
{
    const struct summary_case *c = summary_find(&r->runs, m->program, m->lock, workers, pin);

    if (c == NULL && strcmp(m->program, "parlab-procs") == 0)
        c = summary_find(&r->runs, m->program, NULL, workers, pin);
    return c;
}

/* The lock fractions the threads were run with, ascending, "none" as 0 and "held" as
 * 1; at most max of them. */
static size_t fractions(const struct results *r, double *f, size_t max)
{
    size_t n = 0;

    for (size_t i = 0; i < r->runs.ncases && n < max; i++) {
        const struct summary_case *c = &r->runs.cases[i];
        double x;
        bool seen = false;

        if (strcmp(c->program, "parlab-threads") != 0 || strcmp(c->pin, "none") != 0)
            continue;
        if (strcmp(c->lock, "none") == 0)
            x = 0.0;
        else if (strcmp(c->lock, "held") == 0)
            x = 1.0;
        else if (strncmp(c->lock, "fraction:", 9) == 0)
            x = strtod(c->lock + 9, NULL);
        else
            continue;
        for (size_t k = 0; k < n; k++)
            seen = seen || f[k] == x;
        if (!seen)
            f[n++] = x;
    }
    for (size_t a = 1; a < n; a++) /* insertion sort: a handful of values */
        for (size_t b = a; b > 0 && f[b - 1] > f[b]; b--) {
            double t = f[b];
            f[b] = f[b - 1];
            f[b - 1] = t;
        }
    return n;
}

/* The threads case with lock fraction f and W workers, unpinned. */
static const struct summary_case *find_fraction(const struct results *r, double f,
                                                unsigned long workers)
{
    char name[32];

    if (f == 0.0)
        snprintf(name, sizeof name, "none");
    else if (f == 1.0)
        snprintf(name, sizeof name, "held");
    else
        snprintf(name, sizeof name, "fraction:%g", f);
    return summary_find(&r->runs, "parlab-threads", name, workers, "none");
}

/* Amdahl's prediction for serial fraction f on p processors. */
static double amdahl(double f, double p)
{
    return 1.0 / (f + (1.0 - f) / p);
}

/* The serial fraction that speedup s on p > 1 processors implies (Karp and Flatt). */
static double karp_flatt(double s, double p)
{
    return (1.0 / s - 1.0 / p) / (1.0 - 1.0 / p);
}

static void load(struct results *r, const char *runs_path, const char *jobs_path,
                 const char *slices_path, unsigned long workers, bool need_jobs)
{
    const struct summary_case *pinned;

    if (summary_load(runs_path, &r->runs) != 0) {
        if (errno == EINVAL)
            die("'%s' is not a parlab runs CSV: a column is missing or a value does not parse",
                runs_path);
        die_errno("cannot read '%s'", runs_path);
    }
    if (r->runs.ncases == 0)
        die("'%s' holds no runs", runs_path);
    r->have_jobs = csv_read_file(jobs_path, &r->jobs) == 0;
    if (need_jobs && !r->have_jobs)
        die_errno("cannot read '%s'", jobs_path);
    if (r->have_jobs && (csv_column(&r->jobs, "run_id") < 0 || csv_column(&r->jobs, "t_end_s") < 0 ||
                         csv_column(&r->jobs, "pu_planned") < 0)) {
        if (need_jobs)
            die("'%s' is not a parlab jobs CSV", jobs_path);
        csv_table_release(&r->jobs); /* the report goes on without the job sections */
        r->have_jobs = false;
    }

    r->have_slices = csv_read_file(slices_path, &r->slices) == 0;
    if (r->have_slices && csv_column(&r->slices, "t_end_s") < 0) {
        csv_table_release(&r->slices);
        r->have_slices = false;
    }
    r->serial = summary_find(&r->runs, "parlab-serial", "none", 0, "none");
    if (r->serial == NULL)
        r->serial = summary_find(&r->runs, "parlab-serial", NULL, 0, "none");
    r->workers = workers;
    if (r->workers == 0) /* the lecture's 3 if it is there, else the first parallel case */
        r->workers = summary_find(&r->runs, "parlab-threads", NULL, 3, "none") ? 3 : 0;
    for (size_t i = 0; r->workers == 0 && i < r->runs.ncases; i++)
        if (r->runs.cases[i].workers > 1)
            r->workers = r->runs.cases[i].workers;
    r->switching = summary_find_variant(&r->runs, "parlab-threads", "held", r->workers, "switch=");
    if (r->switching == NULL)
        r->switching = summary_find_variant(&r->runs, "parlab-threads", "held", 0, "switch=");
    pinned = summary_find(&r->runs, NULL, NULL, 0, "close");
    if (pinned == NULL)
        pinned = summary_find(&r->runs, NULL, NULL, 0, "spread");
    r->pin_workers = pinned ? pinned->workers : 2;
}

static const struct summary_case *first_case(const struct results *r)
{
    return r->serial ? r->serial : &r->runs.cases[0];
}

/* ---- values ------------------------------------------------------------------ */

static bool has_runs_of(const struct results *r, const struct summary_case *c)
{
    int col = csv_column(&r->jobs, "run_id");

    if (c == NULL || !r->have_jobs)
        return false;
    for (size_t row = 1; row < r->jobs.nrows; row++)
        if (strcmp(csv_field(&r->jobs, row, col), c->median_run) == 0)
            return true;
    return false;
}

/* Calls fn for every job row of the run `run_id`. */
static void for_each_job(const struct results *r, const char *run_id,
                         void (*fn)(const struct results *, size_t row, void *), void *arg)
{
    int col = csv_column(&r->jobs, "run_id");

    for (size_t row = 1; row < r->jobs.nrows; row++)
        if (strcmp(csv_field(&r->jobs, row, col), run_id) == 0)
            fn(r, row, arg);
}

static double job_number(const struct results *r, size_t row, const char *column)
{
    return strtod(csv_field(&r->jobs, row, csv_column(&r->jobs, column)), NULL);
}

/* The three ways a payload can travel, as the runs CSV names them. */
static const struct {
    const char *label, *program, *transport;
} carriers[] = {
    {"threads: shared memory", "parlab-threads", "memory"},
    {"procs: shared memory (shm)", "parlab-procs", "shm"},
    {"procs: through pipes", "parlab-procs", "pipe"},
};
#define NCARRIERS (sizeof carriers / sizeof carriers[0])

/* What the jobs of a payload run took: medians over the run's jobs. */
struct copy_facts {
    double job_s;      /* from receiving the input to sending the output */
    double kernel_s;   /* the kernel and the work on the data */
    double bandwidth;  /* bytes per second while copying, when something was copied */
    size_t n;
    double job[4096], kernel[4096], bw[4096];
    size_t nbw;
};

static void collect_copy(const struct results *r, size_t row, void *arg)
{
    struct copy_facts *f = arg;
    double span = job_number(r, row, "t_end_s") - job_number(r, row, "t_start_s");
    double copy = job_number(r, row, "copy_s"), bytes = job_number(r, row, "bytes_copied");

    if (f->n < 4096) {
        f->kernel[f->n] = span;
        f->job[f->n++] = span + copy;
    }
    if (bytes > 0 && copy > 0 && f->nbw < 4096)
        f->bw[f->nbw++] = bytes / copy;
}

static double median_of(double *x, size_t n)
{
    struct stats s;

    return n > 0 && stats_of(x, n, &s) == 0 ? s.median : 0.0;
}

static bool copy_facts(const struct results *r, const struct summary_case *c,
                       struct copy_facts *f)
{
    memset(f, 0, sizeof *f);
    if (c == NULL || !r->have_jobs || csv_column(&r->jobs, "copy_s") < 0)
        return false;
    for_each_job(r, c->median_run, collect_copy, f);
    f->job_s = median_of(f->job, f->n);
    f->kernel_s = median_of(f->kernel, f->n);
    f->bandwidth = median_of(f->bw, f->nbw);
    return f->n > 0;
}

/* The payload case of a carrier with `bytes` bytes, or NULL. */
static const struct summary_case *find_payload(const struct results *r, size_t k,
                                               unsigned long long bytes)
{
    for (size_t i = 0; i < r->runs.ncases; i++) {
        const struct summary_case *c = &r->runs.cases[i];

        if (c->payload == bytes && c->transport != NULL &&
            strcmp(c->transport, carriers[k].transport) == 0 &&
            strcmp(c->program, carriers[k].program) == 0)
            return c;
    }
    return NULL;
}

/* The payload sizes run, ascending, at most max of them. */
static size_t payload_sizes(const struct results *r, unsigned long long *sizes, size_t max)
{
    size_t n = 0;

    for (size_t i = 0; i < r->runs.ncases && n < max; i++) {
        unsigned long long b = r->runs.cases[i].payload;
        bool seen = false;

        for (size_t k = 0; k < n; k++)
            seen = seen || sizes[k] == b;
        if (b > 0 && !seen)
            sizes[n++] = b;
    }
    for (size_t a = 1; a < n; a++)
        for (size_t b = a; b > 0 && sizes[b - 1] > sizes[b]; b--) {
            unsigned long long t = sizes[b];
            sizes[b] = sizes[b - 1];
            sizes[b - 1] = t;
        }
    return n;
}

/* The memcpy bandwidth the payload runs measured, in bytes per second: the largest
 * payload's (the same run as the pipes', and the least disturbed by caches). */
static double memcpy_bandwidth(const struct results *r)
{
    const struct summary_case *best = NULL;

    for (size_t i = 0; i < r->runs.ncases; i++)
        if (r->runs.cases[i].memcpy_gbs > 0 &&
            (best == NULL || r->runs.cases[i].payload > best->payload))
            best = &r->runs.cases[i];
    return best ? best->memcpy_gbs * 1e9 : 0.0;
}

/* Calls fn (when not NULL) for every slice of the switching case's median run;
 * returns how many there are. */
static size_t slices_of(const struct results *r, void (*fn)(const struct results *, size_t))
{
    int col = r->have_slices ? csv_column(&r->slices, "run_id") : -1;
    size_t n = 0;

    if (r->switching == NULL || col < 0)
        return 0;
    for (size_t row = 1; row < r->slices.nrows; row++)
        if (strcmp(csv_field(&r->slices, row, col), r->switching->median_run) == 0) {
            if (fn != NULL)
                fn(r, row);
            n++;
        }
    return n;
}

/* Which of a figure's data blocks hold points: "1 0 1". */
static void print_blocks(const struct results *r, const char *figure)
{
    if (strcmp(figure, "wall-vs-cpu") == 0) {
        bool any = r->serial != NULL;
        for (size_t m = 0; m < NMODES; m++)
            any = any || find_mode(r, &modes[m], r->workers, "none") != NULL;
        printf("%d\n", any);
    } else if (strcmp(figure, "speedup") == 0) {
        for (size_t m = 0; m < NMODES; m++) {
            bool any = false;
            for (size_t i = 0; i < r->runs.ncases && r->serial != NULL; i++)
                any = any || find_mode(r, &modes[m], r->runs.cases[i].workers, "none") != NULL;
            printf("%s%d", m ? " " : "", any);
        }
        printf("\n");
    } else if (strcmp(figure, "amdahl") == 0) {
        double f[16];
        size_t n = fractions(r, f, 16);

        for (size_t i = 0; i < n; i++) {
            bool any = false;
            for (size_t k = 0; k < r->runs.ncases; k++) {
                const struct summary_case *c = &r->runs.cases[k];
                any = any || (c->workers > 1 && find_fraction(r, f[i], c->workers) != NULL &&
                              find_fraction(r, f[i], c->workers)->speedup > 0);
            }
            printf("%s%d", i ? " " : "", any);
        }
        printf("\n");
    } else if (strcmp(figure, "copy-cost") == 0) {
        unsigned long long sizes[64];
        size_t n = payload_sizes(r, sizes, 64);

        for (size_t k = 0; k < NCARRIERS; k++) {
            bool any = false;
            struct copy_facts f;
            for (size_t i = 0; i < n; i++)
                any = any || copy_facts(r, find_payload(r, k, sizes[i]), &f);
            printf("%s%d", k ? " " : "", any);
        }
        printf("\n");
    } else if (strcmp(figure, "timeline") == 0) {
        for (size_t m = 0; m < NMODES; m++)
            printf("%s%d", m ? " " : "",
                   has_runs_of(r, find_mode(r, &modes[m], r->workers, "none")));
        printf(" %d\n", slices_of(r, NULL) > 0);
    } else {
        for (size_t p = 0; p < NPOLICIES; p++)
            for (size_t m = 0; m < NMODES; m++)
                if (m != 1)
                    printf("%s%d", p + m ? " " : "",
                           has_runs_of(r, find_mode(r, &modes[m], r->pin_workers, policies[p])));
        printf("\n");
    }
}

/* The serial run a case's speedup compares with: same jobs, same size, same host. */
static double serial_wall(const struct results *r, const struct summary_case *c)
{
    const struct summary_case *s = summary_find_serial(&r->runs, c->jobs, c->size, c->host);

    return s != NULL ? s->wall.median : 0.0;
}

/* A figure's subtitle: the machine, its PUs, the kernel size(s) the figure shows (the
 * notebook's unless `sizes` says otherwise) and the date. */
static void print_title(const struct results *r, const char *sizes)
{
    const struct summary_case *c = first_case(r);

    if (sizes != NULL)
        printf("%s, %lu PUs, %s, %.10s\n", c->host, c->pus, sizes, c->started_at);
    else
        printf("%s, %lu PUs, n = %lu, %.10s\n", c->host, c->pus, c->size, c->started_at);
}

/* The kernel sizes of the Amdahl experiment, as text: that of the runs with 0 < F < 1
 * and, when it differs, that of the runs with F = 0 and 1 (the worker sweep's). */
static void amdahl_sizes(const struct results *r, char *text, size_t len)
{
    unsigned long inner = 0, ends = 0;

    for (size_t i = 0; i < r->runs.ncases; i++) {
        const struct summary_case *c = &r->runs.cases[i];

        if (strcmp(c->program, "parlab-threads") != 0 || strcmp(c->pin, "none") != 0 ||
            c->variant[0] != '\0')
            continue;
        if (inner == 0 && strncmp(c->lock, "fraction:", 9) == 0)
            inner = c->size;
        if (ends == 0 && (strcmp(c->lock, "none") == 0 || strcmp(c->lock, "held") == 0))
            ends = c->size;
    }
    if (inner != 0 && ends != 0 && inner != ends)
        snprintf(text, len, "n = %lu (F = 0 and 1: n = %lu)", inner, ends);
    else
        snprintf(text, len, "n = %lu", inner != 0 ? inner : ends);
}

/* The kernel size of the payload runs, or 0. */
static unsigned long copy_size(const struct results *r)
{
    unsigned long long sizes[64];
    const struct summary_case *p = NULL;

    for (size_t k = 0; k < 3 && p == NULL && payload_sizes(r, sizes, 64) > 0; k++)
        p = find_payload(r, k, sizes[0]);
    return p != NULL ? p->size : 0UL;
}

/* The title of the timeline's switching panel: the interval, and the jobs' size and
 * serial time, which differ from the other panels'. Empty without a switching run. */
static void print_switching_panel(const struct results *r)
{
    const struct summary_case *c = r->switching;
    const char *every; /* the variant says switch=5ms */

    if (c == NULL) {
        printf("\n");
        return;
    }
    every = strncmp(c->variant, "switch=", 7) == 0 ? c->variant + 7 : c->variant;
    printf("threads, lock held, handed over every %g ms (GIL-style switching): jobs of n = %lu",
           strtod(every, NULL), c->size);
    if (serial_wall(r, c) > 0)
        printf(", %.2f s when run serially", serial_wall(r, c));
    printf("\n");
}

static void print_value(const struct results *r, const char *name)
{
    const struct summary_case *c = first_case(r);
    char text[96];

    if (strncmp(name, "blocks-", 7) == 0) {
        print_blocks(r, name + 7);
        return;
    }
    if (strcmp(name, "memcpy-gbs") == 0) {
        printf("%.3f\n", memcpy_bandwidth(r) / 1e9);
        return;
    }
    if (strcmp(name, "title-amdahl") == 0) {
        amdahl_sizes(r, text, sizeof text);
        print_title(r, text);
        return;
    }
    if (strcmp(name, "title-copy-cost") == 0) {
        snprintf(text, sizeof text, "n = %lu", copy_size(r));
        print_title(r, copy_size(r) != 0 ? text : NULL);
        return;
    }
    if (strcmp(name, "switching-panel") == 0) {
        print_switching_panel(r);
        return;
    }
    if (strcmp(name, "kernel-s") == 0) { /* threads with the smallest payload: the kernel */
        unsigned long long sizes[64];
        struct copy_facts f;

        if (payload_sizes(r, sizes, 64) > 0 && copy_facts(r, find_payload(r, 0, sizes[0]), &f))
            printf("%.9f\n", f.kernel_s);
        else
            printf("0\n");
        return;
    }
    if (strcmp(name, "fractions") == 0) {
        double f[16];
        size_t n = fractions(r, f, 16);

        for (size_t i = 0; i < n; i++)
            printf("%s%g", i ? " " : "", f[i]);
        printf("\n");
        return;
    }
    if (strcmp(name, "title") == 0)
        print_title(r, NULL);
    else if (strcmp(name, "pus") == 0)
        printf("%lu\n", c->pus);
    else if (strcmp(name, "workers") == 0)
        printf("%lu\n", r->workers);
    else /* pin-workers: main() accepts no other name */
        printf("%lu\n", r->pin_workers);
}

/* ---- data for the figures ------------------------------------------------------ */

static void data_wall_vs_cpu(const struct results *r)
{
    printf("# case wall_s cpu_self_s cpu_children_s (medians)\n");
    if (r->serial != NULL)
        printf("\"serial\" %.6f %.6f %.6f\n", r->serial->wall.median,
               r->serial->cpu_self.median, r->serial->cpu_children.median);
    for (size_t m = 0; m < NMODES; m++) {
        const struct summary_case *c = find_mode(r, &modes[m], r->workers, "none");

        if (c != NULL)
            printf("\"%s\" %.6f %.6f %.6f\n", modes[m].label, c->wall.median,
                   c->cpu_self.median, c->cpu_children.median);
    }
}

static void data_speedup(const struct results *r)
{
    double base = r->serial ? r->serial->wall.median : 0.0;

    for (size_t m = 0; m < NMODES; m++) {
        printf("# %s: workers speedup_median speedup_low speedup_high\n", modes[m].label);
        for (unsigned long w = 1; w <= CLI_MAX_WORKERS; w++) {
            const struct summary_case *c = find_mode(r, &modes[m], w, "none");

            if (c != NULL && base > 0)
                printf("%lu %.6f %.6f %.6f\n", w, base / c->wall.median, base / c->wall.max,
                       base / c->wall.min);
        }
        printf("\n\n");
    }
}

static void data_amdahl(const struct results *r)
{
    double f[16];
    size_t n = fractions(r, f, 16);

    for (size_t i = 0; i < n; i++) {
        printf("# F = %g: workers speedup_median speedup_low speedup_high amdahl\n", f[i]);
        for (unsigned long w = 1; w <= CLI_MAX_WORKERS; w++) {
            const struct summary_case *c = find_fraction(r, f[i], w);
            double p = (double)(w < first_case(r)->pus ? w : first_case(r)->pus);
            double base = c ? serial_wall(r, c) : 0.0;

            if (c != NULL && base > 0)
                printf("%lu %.6f %.6f %.6f %.6f\n", w, base / c->wall.median,
                       base / c->wall.max, base / c->wall.min, amdahl(f[i], p));
        }
        printf("\n\n");
    }
}

static void data_copy_cost(const struct results *r)
{
    unsigned long long sizes[64];
    size_t n = payload_sizes(r, sizes, 64);

    for (size_t k = 0; k < NCARRIERS; k++) {
        printf("# %s: payload_bytes job_s kernel_s copy_bandwidth_gbs (medians over the "
               "jobs)\n",
               carriers[k].label);
        for (size_t i = 0; i < n; i++) {
            struct copy_facts f;

            if (copy_facts(r, find_payload(r, k, sizes[i]), &f))
                printf("%llu %.9f %.9f %.6f\n", sizes[i], f.job_s, f.kernel_s,
                       f.nbw ? f.bandwidth / 1e9 : NAN);
        }
        printf("\n\n");
    }
}

static void print_timeline_row(const struct results *r, size_t row, void *arg)
{
    double start = job_number(r, row, "t_start_s");

    (void)arg;
    printf("%.0f %.6f %.6f %.6f %.0f %.6f\n", job_number(r, row, "worker"), start,
           job_number(r, row, "t_end_s"), start - job_number(r, row, "lock_wait_s"),
           job_number(r, row, "job"), job_number(r, row, "cpu_s"));
}

static void print_slice_row(const struct results *r, size_t row)
{
    const struct csv_table *t = &r->slices;

    printf("%s %s %s %s %s %s\n", csv_field(t, row, csv_column(t, "worker")),
           csv_field(t, row, csv_column(t, "t_start_s")), csv_field(t, row, csv_column(t, "t_end_s")),
           csv_field(t, row, csv_column(t, "t_start_s")), csv_field(t, row, csv_column(t, "job")),
           "0");
}

static void data_timeline(const struct results *r)
{
    for (size_t m = 0; m < NMODES; m++) {
        const struct summary_case *c = find_mode(r, &modes[m], r->workers, "none");

        printf("# %s, W = %lu, run %s: worker t_start_s t_end_s lock_wait_from_s job cpu_s\n",
               modes[m].label, r->workers, c ? c->median_run : "(none)");
        if (c != NULL)
            for_each_job(r, c->median_run, print_timeline_row, NULL);
        printf("\n\n");
    }
    printf("# threads, lock held, %s, run %s: worker t_start_s t_end_s t_start_s job 0 (the "
           "slices in which each job held the lock)\n",
           r->switching ? r->switching->variant : "no switching",
           r->switching ? r->switching->median_run : "(none)");
    slices_of(r, print_slice_row);
    printf("\n\n");
}

static void print_placement_row(const struct results *r, size_t row, void *arg)
{
    (void)arg;
    printf("%.0f %.0f %.0f %.0f\n", job_number(r, row, "job"), job_number(r, row, "pu_start"),
           job_number(r, row, "pu_end"), job_number(r, row, "worker"));
}

static void data_placement(const struct results *r)
{
    for (size_t p = 0; p < NPOLICIES; p++)
        for (size_t m = 0; m < NMODES; m++) {
            const struct summary_case *c;

            if (m == 1) /* the lock-held threads are not part of the comparison */
                continue;
            c = find_mode(r, &modes[m], r->pin_workers, policies[p]);
            printf("# --pin %s, %s, W = %lu, run %s: job pu_start pu_end worker\n",
                   policies[p], modes[m].label, r->pin_workers, c ? c->median_run : "(none)");
            if (c != NULL)
                for_each_job(r, c->median_run, print_placement_row, NULL);
            printf("\n\n");
        }
}

/* ---- the written report --------------------------------------------------------- */

/* Lock waits shorter than this in all are taking a lock nobody else holds. */
#define NOTICEABLE_WAIT_S 0.0005

/* "1 PU", "2 PUs". */
static const char *plural(unsigned long n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* What the jobs of one run did. */
struct run_facts {
    size_t jobs;
    size_t per_worker[64]; /* jobs each worker ran (the first 64 workers) */
    double t_start[4096], t_end[4096];
    size_t kept;           /* jobs whose intervals are kept */
    double lock_wait;      /* summed */
    size_t on_planned;     /* started and ended on their planned PU */
    size_t moved;          /* ended on another PU than they started on */
};

static void collect(const struct results *r, size_t row, void *arg)
{
    struct run_facts *f = arg;
    const char *planned = csv_field(&r->jobs, row, csv_column(&r->jobs, "pu_planned"));
    double start = job_number(r, row, "pu_start"), end = job_number(r, row, "pu_end");
    double worker = job_number(r, row, "worker");

    if (f->kept < sizeof f->t_start / sizeof f->t_start[0]) {
        f->t_start[f->kept] = job_number(r, row, "t_start_s");
        f->t_end[f->kept++] = job_number(r, row, "t_end_s");
    }
    f->jobs++;
    if (worker >= 0 && worker < 64)
        f->per_worker[(size_t)worker]++;
    f->lock_wait += job_number(r, row, "lock_wait_s");
    f->moved += start != end;
    f->on_planned += planned[0] != '\0' && strtod(planned, NULL) == start && start == end;
}

static void facts_of(const struct results *r, const struct summary_case *c, struct run_facts *f)
{
    memset(f, 0, sizeof *f);
    if (r->have_jobs && c != NULL)
        for_each_job(r, c->median_run, collect, f);
}

/* The most jobs in progress at the same moment. */
static size_t most_at_once(const struct run_facts *f)
{
    size_t most = 0;

    for (size_t a = 0; a < f->kept; a++) { /* at each job's start, count those running */
        size_t n = 0;
        for (size_t b = 0; b < f->kept; b++)
            n += f->t_start[b] <= f->t_start[a] && f->t_start[a] < f->t_end[b];
        most = n > most ? n : most;
    }
    return most;
}

static double cpu_of(const struct summary_case *c)
{
    return c->cpu_self.median + c->cpu_children.median;
}

static unsigned long pus_of(const struct results *r)
{
    return first_case(r)->pus;
}

static bool is_threads_held(const struct mode *m)
{
    return strcmp(m->program, "parlab-threads") == 0 && strcmp(m->lock, "held") == 0;
}

static void table_row(const char *label, const struct summary_case *c)
{
    printf("| %s | %lu | %.3f (%.3f–%.3f) | %.3f | %.3f | ", label, c->workers, c->wall.median,
           c->wall.min, c->wall.max, c->cpu_self.median, c->cpu_children.median);
    if (c->speedup > 0)
        printf("%.2f |\n", c->speedup);
    else
        printf("– |\n");
}

/* The sentence for one of the notebook's cases, from its numbers. */
static void notebook_sentence(const struct results *r, const struct mode *m,
                              const struct summary_case *c)
{
    unsigned long pus = pus_of(r), possible = c->workers < pus ? c->workers : pus;
    double busy = cpu_of(c) / c->wall.median; /* CPU time per wall second: cores in use */

    printf("- **%s**: %lu %s give a speedup of %.2f", m->label, c->workers,
           plural(c->workers, "worker", "workers"), c->speedup);
    if (is_threads_held(m)) {
        if (c->speedup < 1.2)
            printf("; the lock lets one job run at a time.\n");
        else
            printf("; more than one job ran at a time, so the lock did not serialize "
                   "them.\n");
        return;
    }
    if (strcmp(m->program, "parlab-procs") == 0 && c->cpu_self.median < 0.1 * cpu_of(c)) {
        printf(", and the parent's own CPU time is %.3f s of %.2f s: each process has its "
               "own lock, and the work is counted as the children's CPU time.\n",
               c->cpu_self.median, cpu_of(c));
        return;
    }
    if (possible > 1 && c->speedup >= 0.8 * (double)possible)
        printf("; CPU time is %.2f times the wall time: the jobs ran in parallel on the %lu "
               "%s.\n",
               busy, pus, plural(pus, "PU", "PUs"));
    else if (possible <= 1)
        printf("; with %lu %s, no two jobs can compute at the same time.\n", pus,
               plural(pus, "PU", "PUs"));
    else
        printf("; CPU time is %.2f times the wall time, less than the %lu %s could "
               "give.\n",
               busy, possible, plural(possible, "PU", "PUs"));
}

static void report_notebook(const struct results *r)
{
    const struct summary_case *cases[NMODES];
    bool any = false;

    for (size_t m = 0; m < NMODES; m++) {
        cases[m] = r->workers > 1 ? find_mode(r, &modes[m], r->workers, "none") : NULL;
        any = any || cases[m] != NULL;
    }
    printf("## 1. The notebook's cases\n\n");
    if (any)
        printf("%lu jobs on %lu workers%s. Medians over the counted runs; times in "
               "seconds.\n\n",
               first_case(r)->jobs, r->workers,
               first_case(r)->jobs == 12 && r->workers == 3 ? ", as in the lecture" : "");
    else
        printf("No runs with several workers in these results. Times in seconds.\n\n");
    printf("| case | W | wall (min–max) | CPU self | CPU children | speedup |\n");
    printf("|---|---|---|---|---|---|\n");
    if (r->serial != NULL)
        table_row("serial", r->serial);
    for (size_t m = 0; m < NMODES; m++)
        if (cases[m] != NULL)
            table_row(modes[m].label, cases[m]);
    printf("\n![Wall and CPU time of the notebook's cases](wall-vs-cpu.png)\n\n");
    if (r->serial == NULL) {
        printf("There is no serial run in these results, so no speedup can be given.\n\n");
        return;
    }
    if (fabs(cpu_of(r->serial) - r->serial->wall.median) <= 0.05 * r->serial->wall.median)
        printf("- **serial**: %lu jobs take %.2f s, and CPU time equals wall time (%.2f s): "
               "one core, always busy.\n",
               r->serial->jobs, r->serial->wall.median, cpu_of(r->serial));
    else
        printf("- **serial**: %lu jobs take %.2f s; CPU time is %.2f s, so the process was "
               "not always running (the machine was busy with something else).\n",
               r->serial->jobs, r->serial->wall.median, cpu_of(r->serial));
    for (size_t m = 0; m < NMODES; m++)
        if (cases[m] != NULL && cases[m]->speedup > 0)
            notebook_sentence(r, &modes[m], cases[m]);
    printf("\n");
}

static void report_sweep(const struct results *r)
{
    unsigned long most = 0, pus = pus_of(r);

    for (size_t i = 0; i < r->runs.ncases; i++)
        if (strcmp(r->runs.cases[i].pin, "none") == 0 && r->runs.cases[i].workers > most)
            most = r->runs.cases[i].workers;
    printf("## 2. Speedup against workers\n\n");
    if (r->serial == NULL) {
        printf("No serial run in these results: there is nothing to compute speedups "
               "against.\n\n");
        return;
    }
    printf("Speedup over serial (median; in brackets the range over the counted runs) for W "
           "= 1 to %lu on %lu %s.\n\n",
           most, pus, plural(pus, "PU", "PUs"));
    printf("| W |");
    for (size_t m = 0; m < NMODES; m++)
        printf(" %s |", modes[m].label);
    printf("\n|---|");
    for (size_t m = 0; m < NMODES; m++)
        printf("---|");
    printf("\n");
    for (unsigned long w = 1; w <= most; w++) {
        bool any = false;

        for (size_t m = 0; m < NMODES; m++)
            any = any || find_mode(r, &modes[m], w, "none") != NULL;
        if (!any)
            continue;
        printf("| %lu |", w);
        for (size_t m = 0; m < NMODES; m++) {
            const struct summary_case *c = find_mode(r, &modes[m], w, "none");
            if (c != NULL)
                printf(" %.2f (%.2f–%.2f) |", c->speedup, r->serial->wall.median / c->wall.max,
                       r->serial->wall.median / c->wall.min);
            else
                printf(" – |");
        }
        printf("\n");
    }
    printf("\n![Speedup against workers](speedup.png)\n\n");
    for (size_t m = 0; m < NMODES; m++) {
        const struct summary_case *best = NULL, *at_pus = NULL, *last = NULL;
        double low = HUGE_VAL, high = 0;

        for (unsigned long w = 1; w <= most; w++) {
            const struct summary_case *c = find_mode(r, &modes[m], w, "none");
            if (c == NULL || c->speedup <= 0)
                continue;
            if (best == NULL || c->speedup > best->speedup)
                best = c;
            if (w <= pus)
                at_pus = c;
            low = c->speedup < low ? c->speedup : low;
            high = c->speedup > high ? c->speedup : high;
            last = c;
        }
        if (best == NULL)
            continue;
        if (high < 1.2) {
            char range[64];

            if (fabs(high - low) < 0.005)
                snprintf(range, sizeof range, "is %.2f", high);
            else
                snprintf(range, sizeof range, "stays between %.2f and %.2f", low, high);
            if (is_threads_held(&modes[m]))
                printf("- **%s**: the speedup %s for every W: one job at a time, however "
                       "many workers wait.\n",
                       modes[m].label, range);
            else
                printf("- **%s**: the speedup %s for every W: with %lu %s, no more than "
                       "%lu %s can compute at once.\n",
                       modes[m].label, range, pus, plural(pus, "PU", "PUs"), pus,
                       plural(pus, "job", "jobs"));
            continue;
        }
        if (at_pus != NULL && last->workers > pus)
            printf("- **%s**: the speedup grows to %.2f at W = %lu; more workers than the "
                   "%lu %s add nothing (%.2f at W = %lu).\n",
                   modes[m].label, at_pus->speedup, at_pus->workers, pus,
                   plural(pus, "PU", "PUs"), last->speedup, last->workers);
        else
            printf("- **%s**: the speedup grows to %.2f at W = %lu.\n", modes[m].label,
                   best->speedup, best->workers);
    }
    printf("\n");
}

static void report_switching(const struct results *r);

static void report_timeline(const struct results *r)
{
    unsigned long pus = pus_of(r);

    printf("## 4. Timeline\n\n");
    printf("One run of each mode with %lu %s (the run with the median wall time): a lane "
           "per worker, a bar from each job's start to its end, the CPU time it got inside, "
           "and lock waits drawn apart.\n\n",
           r->workers, plural(r->workers, "worker", "workers"));
    printf("![Timeline of one run per mode](timeline.png)\n\n");
    for (size_t m = 0; m < NMODES; m++) {
        const struct summary_case *c = find_mode(r, &modes[m], r->workers, "none");
        struct run_facts f;
        size_t at_once, most = 0, busiest = 0;

        if (c == NULL)
            continue;
        facts_of(r, c, &f);
        if (f.jobs == 0)
            continue;
        at_once = most_at_once(&f);
        for (size_t w = 0; w < 64; w++)
            if (f.per_worker[w] > most) {
                most = f.per_worker[w];
                busiest = w;
            }
        printf("- **%s**: ", modes[m].label);
        if (at_once <= 1)
            printf("the %zu jobs ran one at a time", f.jobs);
        else
            printf("up to %zu of the %zu jobs were in progress at once, on %lu %s", at_once,
                   f.jobs, pus, plural(pus, "PU", "PUs"));
        if (f.lock_wait > NOTICEABLE_WAIT_S)
            printf("; together they waited %.2f s for the lock", f.lock_wait);
        if (f.lock_wait > NOTICEABLE_WAIT_S && c->workers > 1 && most * c->workers > 2 * f.jobs)
            printf(". Worker %zu ran %zu of the %zu jobs: the lock is not fair, and the "
                   "thread that gives it back often takes it again before a waiting one "
                   "wakes up",
                   busiest, most, f.jobs);
        printf(".\n");
    }
    report_switching(r);
    printf("\n");
}

static void count_switches(const struct results *r, size_t row, void *arg)
{
    *(double *)arg += job_number(r, row, "switches");
}

static void report_switching(const struct results *r)
{
    const struct summary_case *c = r->switching;
    size_t slices = slices_of(r, NULL);
    double switches = 0;

    if (c == NULL || slices == 0)
        return;
    if (csv_column(&r->jobs, "switches") >= 0)
        for_each_job(r, c->median_run, count_switches, &switches);
    printf("- **threads, lock held, handed over (%s)**: the %lu jobs were cut into %zu slices "
           "(%.0f hand-overs), interleaved across the %lu workers; wall time %.2f s",
           c->variant, c->jobs, slices, switches, c->workers, c->wall.median);
    if (serial_wall(r, c) > 0)
        printf(" against %.2f s for the same jobs run serially: switching shares the lock, "
               "it does not make the jobs faster.\n",
               serial_wall(r, c));
    else
        printf(".\n");
}

static void report_pinning(const struct results *r)
{
    bool any = false;

    for (size_t p = 1; p < NPOLICIES; p++)
        for (size_t m = 0; m < NMODES; m++)
            any = any || (m != 1 && find_mode(r, &modes[m], r->pin_workers, policies[p]));
    if (!any)
        return;
    printf("## 5. Pinning\n\n");
    printf("Threads and processes on %lu workers under each `--pin` policy; a job stayed "
           "put when it started and ended on the same PU.\n\n",
           r->pin_workers);
    printf("| policy | mode | wall (min–max) | jobs on their planned PU | jobs that moved |\n");
    printf("|---|---|---|---|---|\n");
    for (size_t p = 0; p < NPOLICIES; p++)
        for (size_t m = 0; m < NMODES; m++) {
            const struct summary_case *c = find_mode(r, &modes[m], r->pin_workers, policies[p]);
            struct run_facts f;

            if (m == 1 || c == NULL)
                continue;
            facts_of(r, c, &f);
            printf("| %s | %s | %.3f (%.3f–%.3f) | ", policies[p], modes[m].label,
                   c->wall.median, c->wall.min, c->wall.max);
            if (p == 0)
                printf("– (unbound) | %zu of %zu |\n", f.moved, f.jobs);
            else
                printf("%zu of %zu | %zu of %zu |\n", f.on_planned, f.jobs, f.moved, f.jobs);
        }
    printf("\n![Where each job ran](placement.png)\n\n");
    for (size_t p = 0; p < NPOLICIES; p++) {
        size_t jobs = 0, on_planned = 0, moved = 0;

        for (size_t m = 0; m < NMODES; m++) {
            const struct summary_case *c = find_mode(r, &modes[m], r->pin_workers, policies[p]);
            struct run_facts f;

            if (m == 1 || c == NULL)
                continue;
            facts_of(r, c, &f);
            jobs += f.jobs;
            on_planned += f.on_planned;
            moved += f.moved;
        }
        if (jobs == 0)
            continue;
        if (p == 0)
            printf("- **none**: the scheduler placed the workers; %zu of %zu jobs ended on "
                   "another PU than they started on.\n",
                   moved, jobs);
        else
            printf("- **%s**: %zu of %zu jobs started and ended on the PU planned for their "
                   "worker%s.\n",
                   policies[p], on_planned, jobs,
                   on_planned < jobs ? " (the others ran unbound: binding was refused)" : "");
    }
    printf("\n");
}

static void report_amdahl(const struct results *r)
{
    double f[16];
    size_t n = fractions(r, f, 16);
    unsigned long pus = pus_of(r), most = 0;
    char sizes[96];
    bool any = false;

    for (size_t i = 0; i < n; i++)
        any = any || (f[i] > 0.0 && f[i] < 1.0);
    if (!any)
        return;
    amdahl_sizes(r, sizes, sizeof sizes);
    for (size_t i = 0; i < r->runs.ncases; i++)
        if (strcmp(r->runs.cases[i].program, "parlab-threads") == 0 &&
            r->runs.cases[i].workers > most)
            most = r->runs.cases[i].workers;
    printf("## 3. Amdahl's law\n\n");
    printf("Threads whose jobs spend the share F of their steps in a serial phase, which no "
           "other job overlaps, and the rest in parallel: measured speedup, and Amdahl's "
           "prediction 1 / (F + (1 - F) / min(W, PUs)) in brackets; jobs of %s, each speedup "
           "over a serial run of jobs of its own size.\n\n| W |",
           sizes);
    for (size_t i = 0; i < n; i++)
        printf(" F = %g |", f[i]);
    printf("\n|---|");
    for (size_t i = 0; i < n; i++)
        printf("---|");
    printf("\n");
    for (unsigned long w = 1; w <= most; w++) {
        bool row = false;

        for (size_t i = 0; i < n; i++)
            row = row || find_fraction(r, f[i], w) != NULL;
        if (!row)
            continue;
        printf("| %lu |", w);
        for (size_t i = 0; i < n; i++) {
            const struct summary_case *c = find_fraction(r, f[i], w);
            double p = (double)(w < pus ? w : pus);
            if (c != NULL && c->speedup > 0)
                printf(" %.2f (%.2f) |", c->speedup, amdahl(f[i], p));
            else
                printf(" – |");
        }
        printf("\n");
    }
    printf("\n![Speedup against workers for each serial fraction](amdahl.png)\n\n");
    for (size_t i = 0; i < n; i++) {
        const struct summary_case *c = find_fraction(r, f[i], pus);
        double s, predicted;

        if (c == NULL || pus < 2 || c->speedup <= 0)
            continue;
        s = c->speedup;
        predicted = amdahl(f[i], (double)pus);
        printf("- **F = %g**: at W = %lu the speedup is %.2f against Amdahl's %.2f (%+.0f%%); "
               "the serial fraction fitted back from it (Karp–Flatt) is %.2f.\n",
               f[i], pus, s, predicted, 100.0 * (s / predicted - 1.0),
               karp_flatt(s, (double)pus) < 0 ? 0.0 : karp_flatt(s, (double)pus));
    }
    printf("\n");
}

static void report_copy_cost(const struct results *r)
{
    unsigned long long sizes[64];
    size_t n = payload_sizes(r, sizes, 64);
    struct copy_facts f, big[NCARRIERS];
    bool have[NCARRIERS] = {false};
    char name[32];

    if (n == 0 || !r->have_jobs)
        return;
    printf("## 6. What moving data costs\n\n");
    printf("Every job takes an input of the payload's size and returns an output as large, "
           "both checked. Median time per job, from receiving the input to sending the "
           "output, in seconds:\n\n| payload |");
    for (size_t k = 0; k < NCARRIERS; k++)
        printf(" %s |", carriers[k].label);
    printf(" pipes' bandwidth |\n|---|");
    for (size_t k = 0; k <= NCARRIERS; k++)
        printf("---|");
    printf("\n");
    for (size_t i = 0; i < n; i++) {
        double bw = 0;

        payload_name(sizes[i], name, sizeof name);
        printf("| %s |", name);
        for (size_t k = 0; k < NCARRIERS; k++) {
            if (copy_facts(r, find_payload(r, k, sizes[i]), &f)) {
                printf(" %.4f |", f.job_s);
                if (f.nbw > 0)
                    bw = f.bandwidth;
                if (i == n - 1) {
                    big[k] = f;
                    have[k] = true;
                }
            } else {
                printf(" – |");
            }
        }
        if (bw > 0)
            printf(" %.2f GB/s |\n", bw / 1e9);
        else
            printf(" – |\n");
    }
    printf("\n![Time per job against payload](copy-cost.png)\n\n");
    payload_name(sizes[n - 1], name, sizeof name);
    if (have[2] && have[0])
        printf("- **%s through pipes**: %.3f s per job, %.1f times the %.3f s the kernel and "
               "the work on the data take; the pipes carried %.2f GB/s, memcpy %.2f GB/s in "
               "the same run (%.0f%% of it).\n",
               name, big[2].job_s, big[2].job_s / (big[2].kernel_s > 0 ? big[2].kernel_s : 1),
               big[2].kernel_s, big[2].bandwidth / 1e9, memcpy_bandwidth(r) / 1e9,
               memcpy_bandwidth(r) > 0 ? 100 * big[2].bandwidth / memcpy_bandwidth(r) : 0);
    if (have[1])
        printf("- **%s in shared memory**: %.3f s per job: nothing is copied between the "
               "processes.\n",
               name, big[1].job_s);
    if (have[0])
        printf("- **%s, threads**: %.3f s per job: the threads share the data.\n", name,
               big[0].job_s);
    printf("\n");
}

static void print_markdown(const struct results *r)
{
    const struct summary_case *c = first_case(r);

    printf("# parlab results\n\n");
    printf("Machine **%s**, %lu usable %s; kernel `wait_loop(n = %lu)`, %lu jobs per run; "
           "each case one uncounted warm-up and %zu counted %s; first run %s. Generated by "
           "parlab-report %s from `runs.csv` and `jobs.csv` in this directory.\n\n",
           c->host, c->pus, plural(c->pus, "PU", "PUs"), c->size, c->jobs, c->reps,
           plural(c->reps, "run", "runs"), c->started_at, PARLAB_VERSION);
    report_notebook(r);
    report_sweep(r);
    report_amdahl(r);
    if (r->have_jobs) {
        report_timeline(r);
        report_pinning(r);
        report_copy_cost(r);
    } else {
        printf("The timeline and the pinning need `jobs.csv`, which is missing or not a "
               "parlab jobs CSV.\n");
    }
}

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: parlab-report [--runs FILE] [--jobs FILE] [--workers W]\n"
            "                     (--markdown | --data FIGURE | --value NAME)\n"
            "Reads a runs CSV and a jobs CSV written by parlab-serial, parlab-threads and\n"
            "parlab-procs, and prints what the figures and the report show.\n\n"
            "Options:\n"
            "      --runs FILE    the runs CSV (default results/runs.csv)\n"
            "      --jobs FILE    the jobs CSV (default results/jobs.csv)\n"
            "      --slices FILE  the slices CSV of a switching run (default: slices.csv\n"
            "                     beside the jobs CSV; without it, no switching panel)\n"
            "  -w, --workers W    the notebook's workers (default 3 when there are such\n"
            "                     runs, else the first parallel case's)\n"
            "      --markdown     the report: a table and a sentence per experiment\n"
            "      --data FIGURE  the data plots/FIGURE.gp draws: wall-vs-cpu, speedup,\n"
            "                     timeline, placement, amdahl or copy-cost\n"
            "      --value NAME   one value: title, title-amdahl, title-copy-cost (a\n"
            "                     figure's subtitle), pus, workers, pin-workers, fractions\n"
            "                     (the lock fractions run), memcpy-gbs, kernel-s (the\n"
            "                     payload jobs' kernel time), switching-panel (its title),\n"
            "                     or blocks-FIGURE (which of a figure's blocks hold data)\n"
            "  -h, --help         print this help and exit\n"
            "  -V, --version      print the version and exit\n");
}

/* Whether name is one of the n names in list. */
static bool one_of(const char *name, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(name, list[i]) == 0)
            return true;
    return false;
}

int main(int argc, char **argv)
{
    enum { OPT_RUNS = 256, OPT_JOBS, OPT_SLICES, OPT_MARKDOWN, OPT_DATA, OPT_VALUE };
    static const struct option options[] = {
        {"runs", required_argument, NULL, OPT_RUNS},
        {"jobs", required_argument, NULL, OPT_JOBS},
        {"slices", required_argument, NULL, OPT_SLICES},
        {"workers", required_argument, NULL, 'w'},
        {"markdown", no_argument, NULL, OPT_MARKDOWN},
        {"data", required_argument, NULL, OPT_DATA},
        {"value", required_argument, NULL, OPT_VALUE},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    static const char *const figures[] = {"wall-vs-cpu", "speedup", "timeline", "placement",
                                          "amdahl", "copy-cost"};
    static const char *const values[] = {
        "title",           "pus",           "workers",          "pin-workers",
        "fractions",       "blocks-wall-vs-cpu", "blocks-speedup", "blocks-timeline",
        "blocks-placement", "blocks-amdahl", "blocks-copy-cost", "memcpy-gbs", "kernel-s",
        "title-amdahl", "title-copy-cost", "switching-panel"};
    const char *runs = "results/runs.csv", *jobs = "results/jobs.csv", *data = NULL;
    const char *slices = NULL;
    const char *value = NULL;
    unsigned long long workers = 0;
    struct results r;
    int c, outputs = 0;

    die_set_program("parlab-report");
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":w:hV", options, NULL)) != -1) {
        switch (c) {
        case OPT_RUNS:
        case OPT_JOBS:
        case OPT_SLICES:
            if (optarg[0] == '\0')
                die_usage("invalid value '' for %s: expected a file name", argv[optind - 1]);
            *(c == OPT_RUNS ? &runs : c == OPT_JOBS ? &jobs : &slices) = optarg;
            break;
        case 'w':
            if (cli_parse_count(optarg, 1, CLI_MAX_WORKERS, &workers) != 0)
                die_usage("invalid value '%s' for --workers: expected a whole number from 1 "
                          "to %u",
                          optarg, CLI_MAX_WORKERS);
            break;
        case OPT_MARKDOWN:
            outputs++;
            break;
        case OPT_DATA:
            if (!one_of(optarg, figures, sizeof figures / sizeof figures[0]))
                die_usage("invalid value '%s' for --data: expected wall-vs-cpu, speedup, "
                          "timeline, placement, amdahl or copy-cost",
                          optarg);
            data = optarg;
            outputs++;
            break;
        case OPT_VALUE:
            if (!one_of(optarg, values, sizeof values / sizeof values[0]))
                die_usage("invalid value '%s' for --value: expected one of the names "
                          "--help lists",
                          optarg);
            value = optarg;
            outputs++;
            break;
        case 'h':
            usage(stdout);
            return EXIT_SUCCESS;
        case 'V':
            printf("parlab-report (parlab) %s\n", PARLAB_VERSION);
            return EXIT_SUCCESS;
        case ':':
            die_usage("option %s needs a value", argv[optind - 1]);
        default:
            if (optopt != 0 && optopt < 256)
                die_usage("unknown option '-%c'", optopt);
            die_usage("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        die_usage("unexpected argument '%s'", argv[optind]);
    if (outputs != 1)
        die_usage("give exactly one of --markdown, --data and --value");
    char slices_beside[4096]; /* by default beside the jobs CSV */
    if (slices == NULL) {
        const char *slash = strrchr(jobs, '/');
        snprintf(slices_beside, sizeof slices_beside, "%.*sslices.csv",
                 slash ? (int)(slash - jobs + 1) : 0, jobs);
        slices = slices_beside;
    }

    load(&r, runs, jobs, slices, (unsigned long)workers,
         data != NULL && (strcmp(data, "timeline") == 0 || strcmp(data, "placement") == 0));
    if (r.workers == 0)
        r.workers = 1;
    if (value != NULL)
        print_value(&r, value);
    else if (data == NULL)
        print_markdown(&r);
    else if (strcmp(data, "wall-vs-cpu") == 0)
        data_wall_vs_cpu(&r);
    else if (strcmp(data, "speedup") == 0)
        data_speedup(&r);
    else if (strcmp(data, "timeline") == 0)
        data_timeline(&r);
    else if (strcmp(data, "amdahl") == 0)
        data_amdahl(&r);
    else if (strcmp(data, "copy-cost") == 0)
        data_copy_cost(&r);
    else
        data_placement(&r);

    if (r.have_jobs)
        csv_table_release(&r.jobs);
    if (r.have_slices)
        csv_table_release(&r.slices);
    summary_release(&r.runs);
    return fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
