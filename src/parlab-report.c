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

static void load(struct results *r, const char *runs_path, const char *jobs_path,
                 unsigned long workers, bool need_jobs)
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

    r->serial = summary_find(&r->runs, "parlab-serial", "none", 0, "none");
    if (r->serial == NULL)
        r->serial = summary_find(&r->runs, "parlab-serial", NULL, 0, "none");
    r->workers = workers;
    if (r->workers == 0) /* the lecture's 3 if it is there, else the first parallel case */
        r->workers = summary_find(&r->runs, "parlab-threads", NULL, 3, "none") ? 3 : 0;
    for (size_t i = 0; r->workers == 0 && i < r->runs.ncases; i++)
        if (r->runs.cases[i].workers > 1)
            r->workers = r->runs.cases[i].workers;
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
    } else if (strcmp(figure, "timeline") == 0) {
        for (size_t m = 0; m < NMODES; m++)
            printf("%s%d", m ? " " : "",
                   has_runs_of(r, find_mode(r, &modes[m], r->workers, "none")));
        printf("\n");
    } else {
        for (size_t p = 0; p < NPOLICIES; p++)
            for (size_t m = 0; m < NMODES; m++)
                if (m != 1)
                    printf("%s%d", p + m ? " " : "",
                           has_runs_of(r, find_mode(r, &modes[m], r->pin_workers, policies[p])));
        printf("\n");
    }
}

static void print_value(const struct results *r, const char *name)
{
    const struct summary_case *c = first_case(r);

    if (strncmp(name, "blocks-", 7) == 0) {
        print_blocks(r, name + 7);
        return;
    }
    if (strcmp(name, "title") == 0)
        printf("%s, %lu PUs, n = %lu, %.10s\n", c->host, c->pus, c->size, c->started_at);
    else if (strcmp(name, "pus") == 0)
        printf("%lu\n", c->pus);
    else if (strcmp(name, "workers") == 0)
        printf("%lu\n", r->workers);
    else /* pin-workers: main() accepts no other name */
        printf("%lu\n", r->pin_workers);
}

/* ---- data for the figures ------------------------------------------------------ */

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

static void print_timeline_row(const struct results *r, size_t row, void *arg)
{
    double start = job_number(r, row, "t_start_s");

    (void)arg;
    printf("%.0f %.6f %.6f %.6f %.0f %.6f\n", job_number(r, row, "worker"), start,
           job_number(r, row, "t_end_s"), start - job_number(r, row, "lock_wait_s"),
           job_number(r, row, "job"), job_number(r, row, "cpu_s"));
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

static void report_timeline(const struct results *r)
{
    unsigned long pus = pus_of(r);

    printf("## 3. Timeline\n\n");
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
    printf("\n");
}

static void report_pinning(const struct results *r)
{
    bool any = false;

    for (size_t p = 1; p < NPOLICIES; p++)
        for (size_t m = 0; m < NMODES; m++)
            any = any || (m != 1 && find_mode(r, &modes[m], r->pin_workers, policies[p]));
    if (!any)
        return;
    printf("## 4. Pinning\n\n");
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
    if (r->have_jobs) {
        report_timeline(r);
        report_pinning(r);
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
            "  -w, --workers W    the notebook's workers (default 3 when there are such\n"
            "                     runs, else the first parallel case's)\n"
            "      --markdown     the report: a table and a sentence per experiment\n"
            "      --data FIGURE  the data plots/FIGURE.gp draws: wall-vs-cpu, speedup,\n"
            "                     timeline or placement\n"
            "      --value NAME   one value: title, pus, workers, pin-workers, or\n"
            "                     blocks-FIGURE (which of a figure's blocks hold data)\n"
            "  -h, --help         print this help and exit\n"
            "  -V, --version      print the version and exit\n");
}

int main(int argc, char **argv)
{
    enum { OPT_RUNS = 256, OPT_JOBS, OPT_MARKDOWN, OPT_DATA, OPT_VALUE };
    static const struct option options[] = {
        {"runs", required_argument, NULL, OPT_RUNS},
        {"jobs", required_argument, NULL, OPT_JOBS},
        {"workers", required_argument, NULL, 'w'},
        {"markdown", no_argument, NULL, OPT_MARKDOWN},
        {"data", required_argument, NULL, OPT_DATA},
        {"value", required_argument, NULL, OPT_VALUE},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    static const char *const figures[] = {"wall-vs-cpu", "speedup", "timeline", "placement"};
    static const char *const values[] = {"title",           "pus",
                                         "workers",         "pin-workers",
                                         "blocks-wall-vs-cpu", "blocks-speedup",
                                         "blocks-timeline", "blocks-placement"};
    const char *runs = "results/runs.csv", *jobs = "results/jobs.csv", *data = NULL;
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
            if (optarg[0] == '\0')
                die_usage("invalid value '' for %s: expected a file name", argv[optind - 1]);
            *(c == OPT_RUNS ? &runs : &jobs) = optarg;
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
        case OPT_DATA: {
            bool known = false;
            for (size_t i = 0; i < sizeof figures / sizeof figures[0]; i++)
                known = known || strcmp(optarg, figures[i]) == 0;
            if (!known)
                die_usage("invalid value '%s' for --data: expected wall-vs-cpu, speedup, "
                          "timeline or placement",
                          optarg);
            data = optarg;
            outputs++;
            break;
        }
        case OPT_VALUE: {
            bool known = false;
            for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
                known = known || strcmp(optarg, values[i]) == 0;
            if (!known)
                die_usage("invalid value '%s' for --value: expected title, pus, workers, "
                          "pin-workers or blocks-FIGURE",
                          optarg);
            value = optarg;
            outputs++;
            break;
        }
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

    load(&r, runs, jobs, (unsigned long)workers,
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
    else
        data_placement(&r);

    if (r.have_jobs)
        csv_table_release(&r.jobs);
    summary_release(&r.runs);
    return fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
