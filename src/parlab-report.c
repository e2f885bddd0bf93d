/*
 * parlab-report - what a results directory shows: the written report, REPORT.md,
 * with a table and generated sentences per experiment, and the data of every figure.
 *
 *   bin/parlab-report --markdown > results/REPORT.md
 *   bin/parlab-report --figure-data DIR      # DIR/FIGURE.dat and FIGURE.gp per figure
 *   bin/parlab-report --runs-csv their/runs.csv --jobs-csv their/jobs.csv --markdown
 *
 * Everything it knows comes from the results library (results.h): which ways of
 * running the CSV files hold, their cases, their jobs.  Each section below first
 * computes its numbers, then writes its sentences from them; figures.c writes the
 * figures' data from the same queries.
 *
 * A speedup, and whatever is derived from one, divides by the serial case of the same
 * jobs and kernel size on the same machine and by no other: a case without one has
 * "– [k]" instead, and note k below its table says why (summary_why_no_speedup).
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parlab/cli.h"
#include "parlab/die.h"
#include "parlab/figures.h"
#include "parlab/kernel.h"
#include "parlab/note.h"
#include "parlab/payload.h"
#include "parlab/results.h"
#include "parlab/tool.h"

/* Lock waits shorter than this in all are taking a lock nobody else holds. */
#define NOTICEABLE_WAIT_S 0.0005
/* A speedup below this is "no speedup" in the sentences. */
#define NO_SPEEDUP 1.2
/* The share of the possible speedup at which jobs "ran in parallel". */
#define PARALLEL_SHARE 0.8

/* The least noise of a Karp–Flatt value, whatever the runs' range says (one run has
 * no range): e = (1/S - 1/p) / (1 - 1/p) moves by about this when S moves by 2.5%. */
#define KARP_FLATT_NOISE 0.05
/* Jobs run one at a time may end this share sooner than the same jobs run serially
 * (a warmer cache, a CPU that sped up); more is no clean measurement. */
#define ONE_AT_A_TIME_NOISE 0.1
/* A speedup no more than this share above another adds nothing to it. */
#define NOTHING_MORE 0.05
/* A speedup this far above what the PUs can give is impossible, not noise. */
#define BEYOND_PUS 1.05
/* Workers that kept this many PUs busy on average computed at the same time. */
#define PARALLEL_CPU 1.2
/* simd threads at W within this of simd serial x W: the two kinds of parallelism
 * multiply (issue 16's target). */
#define SIMD_MULTIPLY 0.03

/* What the command line asked for. */
struct request {
    const char *runs, *jobs, *slices, *figure_dir, *host;
    unsigned long long workers;
    int outputs;
};

/* "1 PU", "2 PUs". */
static const char *plural(unsigned long n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

static double cpu_of(const struct summary_case *c)
{
    return c->cpu_self.median + c->cpu_children.median;
}

/* Workers that share one lock, and hold it: one job at a time is expected. */
static bool one_lock_held(const struct results_series *s)
{
    return s->backend->shares_memory && strcmp(s->lock, "held") == 0;
}

/* ---- how clean a measurement is ---------------------------------------------------- */

/* The tests of a clean measurement are the library's (summary.h), which parlab-class
 * shares: other programs' CPU time, the spread of the repetitions, slowed PUs. */

/* min(W, PUs): the most jobs that can compute at once. */
static unsigned long possible_of(const struct results *r, const struct summary_case *c)
{
    return c->workers < r->pus ? c->workers : r->pus;
}

/* A speedup above what the PUs can give, by more than noise. */
static bool impossible_speedup(const struct results *r, const struct summary_case *c)
{
    return c->speedup > BEYOND_PUS * (double)possible_of(r, c);
}


/* ", not a clean measurement (WHY)" or ", more than the P PUs can give: ..." after
 * a speedup that cannot carry a conclusion; nothing after one that can.  Returns
 * whether it printed, i.e. whether sentences resting on the speedup must be left out. */
static bool speedup_caveat(const struct results *r, const struct summary_case *c)
{
    char why[640];

    if (impossible_speedup(r, c)) {
        printf(", more than the %lu %s can give: an impossible value, so the serial run it "
               "divides by was slowed (by other programs, or a CPU that changed speed) and "
               "this speedup is not a clean measurement",
               possible_of(r, c), plural(possible_of(r, c), "PU", "PUs"));
        return true;
    }
    if (summary_clean_speedup(c))
        return false;
    summary_why_unclean(c, why, sizeof why);
    printf(" (not a clean measurement: %s)", why);
    return true;
}

/* The number of the note that says why case c has no speedup (the serial run of its
 * jobs and size that its host lacks, and the nearest there is), added to `notes`. */
static size_t no_speedup_note(struct note_list *notes, const struct summary_case *c)
{
    char why[512];
    size_t k;

    summary_why_no_speedup(c, why, sizeof why);
    if ((k = note_add(notes, why)) == 0)
        die("out of memory");
    return k;
}

/* The notes of a table or section, each a paragraph, after a blank line. */
static void print_notes(const struct note_list *notes)
{
    for (size_t k = 0; k < notes->n; k++)
        printf("\n[%zu] %s.\n", k + 1, notes->texts[k]);
}

static void table_row(const char *label, const struct summary_case *c, struct note_list *notes)
{
    printf("| %s | %lu | %.3f (%.3f–%.3f) | %.3f | %.3f | ", label, c->workers, c->wall.median,
           c->wall.min, c->wall.max, c->cpu_self.median, c->cpu_children.median);
    if (c->speedup > 0)
        printf("%.2f |\n", c->speedup);
    else
        printf("– [%zu] |\n", no_speedup_note(notes, c));
}

/* A table cell of a case's median wall, CPU self and CPU children seconds, or "–"
 * where there is no such case. */
static void times_cell(const struct summary_case *c)
{
    if (c != NULL)
        printf(" %.3f / %.3f / %.3f |", c->wall.median, c->cpu_self.median,
               c->cpu_children.median);
    else
        printf(" – |");
}

/* A table cell: " 1.93 (1.90–1.95) |", the speedup and its range over the counted runs;
 * " – [k] |" with a note when c has no speedup; " – |" when there is no case c. */
static void speedup_cell(const struct results *r, const struct summary_case *c,
                         struct note_list *notes)
{
    double base = c ? results_serial_wall(r, c) : 0;

    if (c != NULL && base > 0 && c->speedup > 0)
        printf(" %.2f (%.2f–%.2f) |", c->speedup, base / c->wall.max, base / c->wall.min);
    else if (c != NULL)
        printf(" – [%zu] |", no_speedup_note(notes, c));
    else
        printf(" – |");
}

/* ---- 1. the notebook's cases ------------------------------------------------------ */

/* What one of the notebook's cases shows. */
struct notebook_case {
    const struct results_series *series;
    const struct summary_case *c;
    struct results_run run; /* its median run's jobs */
    bool have_run;
    unsigned long possible;  /* min(W, PUs): the speedup the machine allows */
    double busy;             /* CPU seconds per wall second: cores in use */
};

static void notebook_sentence(const struct results *r, const struct notebook_case *n)
{
    const struct summary_case *c = n->c;
    bool unclean;

    printf("- **%s**: %lu %s give a speedup of %.2f", n->series->label, c->workers,
           plural(c->workers, "worker", "workers"), c->speedup);
    unclean = speedup_caveat(r, c);
    if (one_lock_held(n->series)) {
        /* The direct evidence is the jobs' intervals; the speedup only when they are
         * missing and it is clean, and then the sentence says so. */
        if (n->have_run && n->run.most_at_once <= 1)
            printf("; the %zu jobs ran one at a time: the lock lets one job run at a "
                   "time.\n",
                   n->run.jobs);
        else if (n->have_run)
            printf("; up to %zu jobs were in progress at once, although they share one "
                   "lock.\n",
                   n->run.most_at_once);
        else if (!unclean && c->speedup < NO_SPEEDUP)
            printf("; from the speedup alone (no jobs CSV), the lock let about one job run "
                   "at a time.\n");
        else if (unclean)
            printf("; without the jobs CSV, nothing here says whether the lock let one job "
                   "run at a time.\n");
        else
            printf(".\n");
        return;
    }
    if (!n->series->backend->shares_memory && c->cpu_self.median < 0.1 * cpu_of(c)) {
        printf(", and the parent's own CPU time is %.3f s of %.2f s: each %s has its own "
               "memory and lock, and its work is counted as the children's CPU time.\n",
               c->cpu_self.median, cpu_of(c), worker_kind_name(n->series->backend->worker));
        return;
    }
    if (c->workers == 1)
        printf("; one worker runs one job at a time.\n");
    else if (n->possible <= 1)
        printf("; with %lu %s, no two jobs can compute at the same time.\n", r->pus,
               plural(r->pus, "PU", "PUs"));
    else if (n->busy < PARALLEL_CPU) /* CPU time over wall time: PUs in use at once */
    {
        printf("; CPU time is %.2f times the wall time: on average about one PU computed at "
               "a time",
               n->busy);
        if (summary_busy(c))
            printf(", while other programs used %.2f CPU-seconds per second", c->other_rate);
        printf(".\n");
    }
    else if (unclean)
        printf("; CPU time is %.2f times the wall time: the jobs computed in parallel, but "
               "how much faster that made them these numbers cannot say.\n",
               n->busy);
    else if (c->speedup >= PARALLEL_SHARE * (double)n->possible)
        printf("; CPU time is %.2f times the wall time: the jobs ran in parallel on the %lu "
               "%s.\n",
               n->busy, n->possible, plural(n->possible, "PU", "PUs"));
    else
        printf("; CPU time is %.2f times the wall time: the jobs computed in parallel, "
               "but the speedup is less than the %lu %s could give.\n",
               n->busy, n->possible, plural(n->possible, "PU", "PUs"));
}

static void report_notebook(const struct results *r)
{
    struct notebook_case *cases = calloc(r->nseries + 1, sizeof *cases);
    size_t n = 0;
    const struct summary_case *serial = r->serial;
    struct note_list notes;

    if (cases == NULL)
        die("out of memory");
    for (size_t k = 0; k < r->nseries; k++) {
        struct notebook_case *nc = &cases[n];

        nc->c = results_series_case(r, &r->series[k], r->workers, "none");
        if (nc->c == NULL)
            continue;
        nc->series = &r->series[k];
        nc->have_run = results_run_facts(r, nc->c, &nc->run) == 0;
        nc->possible = nc->c->workers < r->pus ? nc->c->workers : r->pus;
        nc->busy = nc->c->wall.median > 0 ? cpu_of(nc->c) / nc->c->wall.median : 0;
        n++;
    }

    printf("## 1. The notebook's cases\n\n");
    if (n > 0)
        printf("%lu jobs on %lu workers%s. Medians over the counted runs; times in "
               "seconds.\n\n",
               results_first(r)->jobs, r->workers,
               results_first(r)->jobs == 12 && r->workers == 3 ? ", as in the lecture" : "");
    else if (r->nseries > 0)
        printf("No runs with %lu %s in these results. Times in seconds.\n\n", r->workers,
               plural(r->workers, "worker", "workers"));
    else
        printf("No runs with several workers in these results. Times in seconds.\n\n");
    printf("| case | W | wall (min–max) | CPU self | CPU children | speedup |\n");
    printf("|---|---|---|---|---|---|\n");
    note_list_init(&notes);
    if (serial != NULL)
        table_row(results_backend(r, serial)->label, serial, &notes);
    for (size_t i = 0; i < n; i++)
        table_row(cases[i].series->label, cases[i].c, &notes);
    print_notes(&notes);
    if (serial != NULL || n > 0) /* what the figure draws */
        printf("\n![Wall and CPU time of the notebook's cases](wall-vs-cpu.png)\n");
    printf("\n");
    if (serial == NULL) {
        printf("There is no serial run in these results, so no speedup can be given.\n\n");
        note_list_release(&notes);
        free(cases);
        return;
    }
    if (fabs(cpu_of(serial) - serial->wall.median) <= 0.05 * serial->wall.median) {
        printf("- **serial**: %lu jobs take %.2f s, and CPU time equals wall time (%.2f s): "
               "one core, always busy",
               serial->jobs, serial->wall.median, cpu_of(serial));
        if (summary_busy(serial)) /* beside it, not instead of it */
            printf(", while other programs used %.2f CPU-seconds per second on the other PUs",
                   serial->other_rate);
        printf(".\n");
    } else
    {
        printf("- **serial**: %lu jobs take %.2f s; CPU time is %.2f s, so the process was "
               "not always running",
               serial->jobs, serial->wall.median, cpu_of(serial));
        if (summary_busy(serial))
            printf(": other programs used %.2f CPU-seconds per second beside it.\n",
                   serial->other_rate);
        else
            printf(" (these numbers cannot say what else had the PU).\n");
    }
    for (size_t i = 0; i < n; i++)
        if (cases[i].c->speedup > 0)
            notebook_sentence(r, &cases[i]);
        else /* a speedup over a serial run of other jobs or size would be no speedup */
            printf("- **%s**: no speedup to give [%zu].\n", cases[i].series->label,
                   no_speedup_note(&notes, cases[i].c));
    printf("\n");
    note_list_release(&notes);
    free(cases);
}

/* ---- 2. the worker sweep ------------------------------------------------------------ */

/* What one series' sweep shows. */
struct sweep_facts {
    const struct summary_case *best, *at_pus, *last; /* best speedup; last W <= PUs; last W */
    const struct summary_case *only; /* the one case with a speedup, when there is one */
    size_t with_speedup;          /* the cases with a speedup */
    double low, high;             /* the clean speedups' range */
    double all_low, all_high;     /* every speedup's */
    char unclean[128];      /* "W = 2, 3": speedups that are no clean measurement */
    size_t nunclean, nparallel; /* of the cases with W > 1 */
    size_t impossible;      /* speedups above what the PUs can give */
    int one_at_a_time;      /* every W's median run: 1 one job at a time, 0 not, -1 no jobs */
};

/* Adds ", W" (or "W = W" first) to f->unclean, "…" once it is full. */
static void add_unclean(struct sweep_facts *f, unsigned long workers)
{
    size_t used = strlen(f->unclean);

    if (used + 24 < sizeof f->unclean)
        snprintf(f->unclean + used, sizeof f->unclean - used, "%s%lu",
                 f->nunclean == 0 ? "W = " : ", ", workers);
    else if (strstr(f->unclean, "…") == NULL)
        snprintf(f->unclean + used, sizeof f->unclean - used, ", …");
    f->nunclean++;
}

static bool sweep_facts(const struct results *r, const struct results_series *s,
                        struct sweep_facts *f)
{
    const struct summary_case **sweep;
    size_t n = results_sweep(r, s, &sweep);

    if (n == (size_t)-1)
        die("out of memory");
    *f = (struct sweep_facts){.low = HUGE_VAL, .one_at_a_time = 1};
    for (size_t i = 0; i < n; i++) {
        const struct summary_case *c = sweep[i];
        struct results_run run;

        if (c->speedup <= 0)
            continue;
        f->only = f->with_speedup++ == 0 ? c : NULL;
        f->all_low = f->nparallel == 0 || c->speedup < f->all_low ? c->speedup : f->all_low;
        f->all_high = c->speedup > f->all_high ? c->speedup : f->all_high;
        if (c->workers > 1) {
            f->nparallel++;
            if (results_run_facts(r, c, &run) != 0) /* the intervals: direct evidence */
                f->one_at_a_time = -1;
            else if (run.most_at_once > 1 && f->one_at_a_time == 1)
                f->one_at_a_time = 0;
            if (impossible_speedup(r, c))
                f->impossible++;
            if (!summary_clean_speedup(c) || impossible_speedup(r, c)) {
                add_unclean(f, c->workers); /* no sentence below rests on it */
                continue;
            }
        }
        if (f->best == NULL || c->speedup > f->best->speedup)
            f->best = c;
        if (c->workers == r->pus)
            f->at_pus = c;
        f->low = c->speedup < f->low ? c->speedup : f->low;
        f->high = c->speedup > f->high ? c->speedup : f->high;
        f->last = c;
    }
    free(sweep);
    return f->best != NULL || f->nparallel > 0;
}

static void sweep_sentence(const struct results *r, const struct results_series *s,
                           const struct sweep_facts *f)
{
    if (f->nparallel == 0) {
        printf("- **%s**: only W = 1 was run (speedup %.2f): nothing to compare.\n", s->label,
               f->last->speedup);
        return;
    }
    if (f->only != NULL) { /* one W > 1 alone (the hybrid comparison's ranks, say) */
        printf("- **%s**: only W = %lu has a speedup (%.2f", s->label, f->only->workers,
               f->only->speedup);
        speedup_caveat(r, f->only);
        printf("): nothing to say how the speedup grows with W.\n");
        return;
    }
    if (f->nunclean == f->nparallel) {
        /* no W > 1 is a clean measurement: the numbers are there, no conclusion */
        char range[64];

        if (fabs(f->all_high - f->all_low) < 0.005)
            snprintf(range, sizeof range, "%.2f", f->all_high);
        else
            snprintf(range, sizeof range, "%.2f to %.2f", f->all_low, f->all_high);
        printf("- **%s**: the speedups (%s) are not clean measurements at any W > 1 (a busy "
               "machine, slowed PUs, repetitions that disagree%s), so they cannot say how the speedup "
               "grows with W",
               s->label, range,
               f->impossible ? ", or values above what the PUs can give" : "");
        if (one_lock_held(s) && f->one_at_a_time == 1)
            printf("; the jobs' intervals still show one job at a time for every W");
        printf(".\n");
        return;
    }
    if (f->high < NO_SPEEDUP) {
        char range[64];

        if (fabs(f->high - f->low) < 0.005)
            snprintf(range, sizeof range, "is %.2f", f->high);
        else
            snprintf(range, sizeof range, "stays between %.2f and %.2f", f->low, f->high);
        if (one_lock_held(s) && f->one_at_a_time == 1)
            printf("- **%s**: the speedup %s for every W, and the jobs' intervals show one "
                   "job at a time: however many workers wait, one holds the lock",
                   s->label, range);
        else if (one_lock_held(s) && f->one_at_a_time < 0)
            printf("- **%s**: the speedup %s for every W, as one job at a time would give "
                   "(without the jobs CSV the intervals cannot confirm it)",
                   s->label, range);
        else if (r->pus <= 1)
            printf("- **%s**: the speedup %s for every W: with 1 PU, no two jobs can compute "
                   "at once",
                   s->label, range);
        else
            printf("- **%s**: the speedup %s for every W, although the %lu PUs could run %lu "
                   "jobs at once; these numbers alone cannot say why",
                   s->label, range, r->pus, r->pus);
    } else if (f->at_pus != NULL && f->last->workers > r->pus &&
               f->last->speedup <= (1 + NOTHING_MORE) * f->at_pus->speedup) {
        printf("- **%s**: the speedup grows to %.2f at W = %lu; more workers than the %lu %s "
               "add nothing (%.2f at W = %lu)",
               s->label, f->at_pus->speedup, f->at_pus->workers, r->pus,
               plural(r->pus, "PU", "PUs"), f->last->speedup, f->last->workers);
    } else if (f->at_pus != NULL && f->last->workers > r->pus) {
        printf("- **%s**: the speedup is %.2f at W = %lu and %.2f at W = %lu, although no PU "
               "is added beyond the %lu",
               s->label, f->at_pus->speedup, f->at_pus->workers, f->last->speedup,
               f->last->workers, r->pus);
    } else {
        printf("- **%s**: the speedup grows to %.2f at W = %lu", s->label, f->best->speedup,
               f->best->workers);
    }
    if (f->nunclean > 0)
        printf("; %s %s not clean measurements (a busy machine, slowed PUs, repetitions that disagree%s), "
               "and this sentence does not rest on %s",
               f->unclean, f->nunclean == 1 ? "is" : "are",
               f->impossible ? ", or values above what the PUs can give" : "",
               f->nunclean == 1 ? "it" : "them");
    printf(".\n");
}

static void report_sweep(const struct results *r)
{
    unsigned long most = results_most_workers(r), *ws;
    size_t nw = results_worker_counts(r, &ws);
    struct note_list notes;

    if (nw == (size_t)-1)
        die("out of memory");
    note_list_init(&notes);
    printf("## 2. Speedup against workers\n\n");
    if (r->serial == NULL) {
        printf("No serial run in these results: there is nothing to compute speedups "
               "against.\n\n");
        free(ws);
        return;
    }
    printf("Speedup over serial (median; in brackets the range over the counted runs) for W "
           "= 1 to %lu on %lu %s.\n\n",
           most, r->pus, plural(r->pus, "PU", "PUs"));
    printf("| W |");
    for (size_t k = 0; k < r->nseries; k++)
        printf(" %s |", r->series[k].label);
    printf("\n|---|");
    for (size_t k = 0; k < r->nseries; k++)
        printf("---|");
    printf("\n");
    for (size_t i = 0; i < nw; i++) {
        unsigned long w = ws[i];
        bool any = false;

        for (size_t k = 0; k < r->nseries; k++)
            any = any || results_series_case(r, &r->series[k], w, "none") != NULL;
        if (!any)
            continue;
        printf("| %lu |", w);
        for (size_t k = 0; k < r->nseries; k++)
            speedup_cell(r, results_series_case(r, &r->series[k], w, "none"), &notes);
        printf("\n");
    }
    print_notes(&notes);
    note_list_release(&notes);
    {
        bool drawn = false; /* the figure has a point: a speedup of a series */
        struct sweep_facts f;

        for (size_t k = 0; k < r->nseries; k++)
            drawn = drawn || sweep_facts(r, &r->series[k], &f);
        if (drawn)
            printf("\n![Speedup against workers](speedup.png)\n");
        printf("\n");
        for (size_t k = 0; k < r->nseries; k++)
            if (sweep_facts(r, &r->series[k], &f))
                sweep_sentence(r, &r->series[k], &f);
    }
    printf("\n");
    free(ws);
}

/* ---- 3. Amdahl's law ------------------------------------------------------------------ */

/* What the Karp–Flatt value e of case c can carry.  The noise is the range of e over
 * the speedups the counted runs allow (the fastest serial run over the slowest of
 * c's, and the reverse), widened by KARP_FLATT_NOISE: e outside 0 to 1 over all of it
 * is impossible, not noise. */
static void karp_flatt_caveat(const struct results *r, const struct summary_case *c, double e)
{
    const struct summary_case *serial = c->serial;
    double p = (double)r->pus, e_low = e, e_high = e;
    char why[640];

    if (serial != NULL && c->wall.min > 0 && c->wall.max > 0) {
        e_high = results_karp_flatt(serial->wall.min / c->wall.max, p); /* slowest speedup */
        e_low = results_karp_flatt(serial->wall.max / c->wall.min, p);
    }
    if (e_low > 1.0 + KARP_FLATT_NOISE || e_high < -KARP_FLATT_NOISE)
        printf(", outside 0 to 1 even at the ends of its runs' range (%.2f to %.2f): an "
               "impossible serial fraction, so the measurement is not a clean one",
               e_low, e_high);
    else if (e < 0.0 || e > 1.0)
        printf(", outside 0 to 1 by no more than timing noise (its runs' range: %.2f to "
               "%.2f)",
               e_low, e_high);
    if (!summary_clean_speedup(c)) {
        summary_why_unclean(c, why, sizeof why);
        printf("; not a clean measurement (%s), so the fit says little about F", why);
    }
}

static void report_amdahl(const struct results *r)
{
    double *f;
    unsigned long *ws;
    size_t n = results_fractions(r, &f), nw = results_worker_counts(r, &ws);
    bool any = false, drawn = false;
    char sizes[128];
    struct note_list notes;

    if (n == (size_t)-1 || nw == (size_t)-1)
        die("out of memory");
    note_list_init(&notes);
    for (size_t i = 0; i < n; i++)
        any = any || (f[i] > 0.0 && f[i] < 1.0);
    results_fraction_sizes(r, sizes, sizeof sizes);
    if (!any) {
        free(f);
        free(ws);
        return;
    }
    printf("## 3. Amdahl's law\n\n");
    printf("Jobs that spend the share F of their steps in a serial phase, which no other "
           "job overlaps, and the rest in parallel, on workers that share one lock: measured "
           "speedup, and Amdahl's prediction 1 / (F + (1 - F) / min(W, PUs)) in brackets; "
           "jobs of %s, each speedup over a serial run of jobs of its own size.\n\n| W |",
           sizes);
    for (size_t i = 0; i < n; i++)
        printf(" F = %g |", f[i]);
    printf("\n|---|");
    for (size_t i = 0; i < n; i++)
        printf("---|");
    printf("\n");
    for (size_t k = 0; k < nw; k++) {
        unsigned long w = ws[k];
        bool row = false;

        for (size_t i = 0; i < n && !row; i++)
            row = results_fraction_case(r, f[i], w) != NULL;
        if (!row)
            continue;
        printf("| %lu |", w);
        for (size_t i = 0; i < n; i++) {
            const struct summary_case *c = results_fraction_case(r, f[i], w);
            double p = (double)(w < r->pus ? w : r->pus);

            if (c != NULL && c->speedup > 0) {
                printf(" %.2f (%.2f) |", c->speedup, results_amdahl(f[i], p));
                drawn = true;
            } else if (c != NULL) {
                printf(" – [%zu] |", no_speedup_note(&notes, c));
            } else {
                printf(" – |");
            }
        }
        printf("\n");
    }
    print_notes(&notes);
    if (drawn)
        printf("\n![Speedup against workers for each serial fraction](amdahl.png)\n");
    printf("\n");
    for (size_t i = 0; i < n; i++) {
        const struct summary_case *c = results_fraction_case(r, f[i], r->pus);
        double s, predicted, e;

        if (c == NULL || r->pus < 2)
            continue;
        if (c->speedup <= 0) { /* the table's note for this case says why */
            printf("- **F = %g**: no speedup at W = %lu [%zu], so nothing to hold against "
                   "Amdahl's prediction or to fit a serial fraction to.\n",
                   f[i], r->pus, no_speedup_note(&notes, c));
            continue;
        }
        s = c->speedup;
        predicted = results_amdahl(f[i], (double)r->pus);
        e = results_karp_flatt(s, (double)r->pus);
        printf("- **F = %g**: at W = %lu the speedup is %.2f against Amdahl's %.2f (%+.0f%%); "
               "the serial fraction fitted back from it (Karp–Flatt) is %.2f",
               f[i], r->pus, s, predicted, 100.0 * (s / predicted - 1.0), e);
        karp_flatt_caveat(r, c, e);
        printf(".\n");
    }
    printf("\n");
    note_list_release(&notes);
    free(f);
    free(ws);
}

/* ---- 4. the timeline ------------------------------------------------------------------ */

static void report_switching(const struct results *r, struct note_list *notes)
{
    const struct summary_case *c = r->switching;
    const struct results_slice *first;
    size_t slices = c ? results_slices_of(r, c->median_run, &first) : 0;
    struct results_run f;
    double serial;

    if (slices == 0 || results_run_facts(r, c, &f) != 0)
        return;
    serial = results_serial_wall(r, c);
    if (f.switches > 0)
        printf("- **%s, lock held, handed over (%s)**: the %zu jobs were cut into %zu slices "
               "(%.0f hand-overs), interleaved across the %lu workers; wall time %.2f s",
               results_backend(r, c)->label, c->variant, f.jobs, slices, f.switches,
               c->workers, c->wall.median);
    else
        printf("- **%s, lock held, handed over (%s)**: no job was cut (0 hand-overs: each "
               "ended before its interval did), so the %zu jobs ran one at a time as without "
               "switching; wall time %.2f s",
               results_backend(r, c)->label, c->variant, f.jobs, c->wall.median);
    if (serial > 0 && c->serial != NULL &&
        c->wall.max < (1.0 - ONE_AT_A_TIME_NOISE) * c->serial->wall.min)
        /* one job at a time cannot be faster than the same jobs one after another */
        printf(" against %.2f s for the same jobs run serially: shorter, which jobs that hold "
               "one lock cannot be, so one of the two measurements is not a clean one%s.\n",
               serial, !summary_clean(c) || !summary_clean(c->serial)
                           ? " (a busy machine, slowed PUs or repetitions that disagree)"
                           : "");
    else if (serial > 0)
        printf(" against %.2f s for the same jobs run serially (%.2f times as long).\n", serial,
               c->wall.median / serial);
    else
        printf(", and no serial time of the same jobs to hold it against [%zu].\n",
               no_speedup_note(notes, c));
}

static void report_timeline(const struct results *r)
{
    bool any = false;
    struct note_list notes;

    for (size_t k = 0; k < r->nseries; k++) {
        const struct results_job *j;
        const struct summary_case *c = results_series_case(r, &r->series[k], r->workers, "none");

        any = any || (c != NULL && results_jobs_of(r, c->median_run, &j) > 0);
    }
    if (!any)
        return;
    printf("## 4. Timeline\n\n");
    printf("One run of each way of running with %lu %s (the run with the median wall time): "
           "a lane per worker, a bar from each job's start to its end, the CPU time it got "
           "inside, and lock waits drawn apart.\n\n",
           r->workers, plural(r->workers, "worker", "workers"));
    printf("![Timeline of one run per way of running](timeline.png)\n\n");
    for (size_t k = 0; k < r->nseries; k++) {
        const struct summary_case *c = results_series_case(r, &r->series[k], r->workers, "none");
        struct results_run f;

        if (results_run_facts(r, c, &f) != 0)
            continue;
        printf("- **%s**: ", r->series[k].label);
        if (f.most_at_once <= 1)
            printf("the %zu jobs ran one at a time", f.jobs);
        else
            printf("up to %zu of the %zu jobs were in progress at once, on %lu %s",
                   f.most_at_once, f.jobs, r->pus, plural(r->pus, "PU", "PUs"));
        if (f.lock_wait > NOTICEABLE_WAIT_S)
            printf("; together they waited %.2f s for the lock", f.lock_wait);
        if (f.lock_wait > NOTICEABLE_WAIT_S && c->workers > 1 &&
            f.busiest_jobs * c->workers > 2 * f.jobs)
            printf(". Worker %ld ran %zu of the %zu jobs: the lock is not fair, and the "
                   "worker that gives it back often takes it again before a waiting one "
                   "wakes up",
                   f.busiest, f.busiest_jobs, f.jobs);
        printf(".\n");
    }
    note_list_init(&notes);
    report_switching(r, &notes);
    print_notes(&notes);
    note_list_release(&notes);
    printf("\n");
}

/* ---- 5. pinning ------------------------------------------------------------------------ */

static void report_pinning(const struct results *r)
{
    struct results_pinning pin;

    if (results_pinning(r, &pin) != 0)
        die("out of memory");
    bool any = false; /* a pinned run with jobs: what the figure draws */

    for (size_t k = 1; k < pin.npins; k++)
        for (size_t m = 0; m < pin.nbackends; m++) {
            struct results_run f;

            any = any || results_run_facts(r, results_pinned_case(r, &pin, m, k), &f) == 0;
        }
    if (!any) {
        results_pinning_release(&pin);
        return;
    }
    printf("## 5. Pinning\n\n");
    printf("Each way of running on %lu workers under each `--pin` policy; a job stayed put "
           "when it started and ended on the same PU.\n\n",
           r->pin_workers);
    printf("| policy | way of running | wall (min–max) | jobs on their planned PU | jobs that "
           "moved |\n");
    printf("|---|---|---|---|---|\n");
    for (size_t k = 0; k < pin.npins; k++)
        for (size_t m = 0; m < pin.nbackends; m++) {
            const struct summary_case *c = results_pinned_case(r, &pin, m, k);
            struct results_run f;

            if (results_run_facts(r, c, &f) != 0)
                continue;
            printf("| %s | %s, lock %s | %.3f (%.3f–%.3f) | ", pin.pins[k],
                   pin.backends[m]->label, c->lock, c->wall.median, c->wall.min, c->wall.max);
            if (k == 0)
                printf("– (unbound) | %zu of %zu |\n", f.moved, f.jobs);
            else
                printf("%zu of %zu | %zu of %zu |\n", f.on_planned, f.jobs, f.moved, f.jobs);
        }
    printf("\n![Where each job ran](placement.png)\n\n");
    for (size_t k = 0; k < pin.npins; k++) {
        size_t jobs = 0, on_planned = 0, moved = 0;

        for (size_t m = 0; m < pin.nbackends; m++) {
            struct results_run f;

            if (results_run_facts(r, results_pinned_case(r, &pin, m, k), &f) != 0)
                continue;
            jobs += f.jobs;
            on_planned += f.on_planned;
            moved += f.moved;
        }
        if (jobs == 0)
            continue;
        if (k == 0)
            printf("- **none**: the scheduler placed the workers; %zu of %zu jobs ended on "
                   "another PU than they started on.\n",
                   moved, jobs);
        else
            printf("- **%s**: %zu of %zu jobs started and ended on the PU planned for their "
                   "worker%s.\n",
                   pin.pins[k], on_planned, jobs,
                   on_planned < jobs ? " (the others ran unbound: binding was refused)" : "");
    }
    printf("\n");
    results_pinning_release(&pin);
}

/* ---- 6. what moving data costs --------------------------------------------------------- */

static void report_copy_cost(const struct results *r)
{
    unsigned long long *sizes;
    size_t n = results_payload_sizes(r, &sizes);
    char name[32];

    if (n == (size_t)-1)
        die("out of memory");
    bool any = false; /* a payload run with jobs: what the figure draws */

    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < r->ncarriers; k++) {
            struct results_run f;

            any = any || results_run_facts(r, results_payload_case(r, k, sizes[i]), &f) == 0;
        }
    if (!any) {
        free(sizes);
        return;
    }
    printf("## 6. What moving data costs\n\n");
    printf("Every job takes an input of the payload's size and returns an output as large, "
           "both checked. Median time per job, from receiving the input to sending the "
           "output, in seconds, and in brackets the bandwidth of the copies where the data "
           "was copied:\n\n| payload |");
    for (size_t k = 0; k < r->ncarriers; k++)
        printf(" %s |", r->carriers[k].label);
    printf("\n|---|");
    for (size_t k = 0; k < r->ncarriers; k++)
        printf("---|");
    printf("\n");
    for (size_t i = 0; i < n; i++) {
        payload_name(sizes[i], name, sizeof name);
        printf("| %s |", name);
        for (size_t k = 0; k < r->ncarriers; k++) {
            struct results_run f;

            if (results_run_facts(r, results_payload_case(r, k, sizes[i]), &f) != 0)
                printf(" – |");
            else if (f.copied > 0)
                printf(" %.4f (%.2f GB/s) |", f.job_s, f.bandwidth / 1e9);
            else
                printf(" %.4f |", f.job_s);
        }
        printf("\n");
    }
    printf("\n![Time per job against payload](copy-cost.png)\n\n");
    payload_name(sizes[n - 1], name, sizeof name);
    for (size_t k = 0; k < r->ncarriers; k++) {
        const struct results_carrier *w = &r->carriers[k];
        struct results_run f;
        double memcpy_bw = results_memcpy_bandwidth(r);

        if (results_run_facts(r, results_payload_case(r, k, sizes[n - 1]), &f) != 0)
            continue;
        if (f.copied > 0) {
            printf("- **%s, %s**: %.3f s per job, %.1f times the %.3f s the kernel and the "
                   "work on the data take; the copies ran at %.2f GB/s",
                   w->label, name, f.job_s, f.kernel_s > 0 ? f.job_s / f.kernel_s : 0.0,
                   f.kernel_s, f.bandwidth / 1e9);
            if (memcpy_bw > 0)
                printf(", memcpy at %.2f GB/s in the same run (%.0f%% of it)", memcpy_bw / 1e9,
                       100 * f.bandwidth / memcpy_bw);
            printf(".\n");
        } else {
            printf("- **%s, %s**: %.3f s per job; no job copied its data: the %s %s.\n",
                   w->label, name, f.job_s, w->backend->workers_are,
                   w->backend->shares_memory ? "share it" : "map the same memory");
        }
    }
    printf("\n");
    free(sizes);
}

/* ---- 8. When parallel pays: job size ------------------------------------------------- */

/* "31.6 us", "1.00 ms", "0.150 s": a job's duration with 3 significant digits. */
static void duration_text(double t, char *text, size_t len)
{
    if (t < 1e-3)
        snprintf(text, len, "%.3g us", t * 1e6);
    else if (t < 1)
        snprintf(text, len, "%.3g ms", t * 1e3);
    else
        snprintf(text, len, "%.3g s", t);
}

/* The most other programs used of the PUs during the runs of points from .. to-1 of l
 * (theirs or their serial runs'), and whether any was busy. */
static bool granularity_busy(const struct granularity_line *l, size_t from, size_t to,
                             double *most)
{
    bool busy = false;

    *most = 0;
    for (size_t i = from; i < to && i < l->npoints; i++) {
        const struct granularity_point *p = &l->points[i];

        busy = busy || p->busy;
        if (p->c->other_rate > *most)
            *most = p->c->other_rate;
        if (p->c->serial->other_rate > *most)
            *most = p->c->serial->other_rate;
    }
    return busy;
}

/* What the runs really paid per job at the size that matters for the crossover (the
 * one below it; the smallest when it lies below the sweep, the largest when it is not
 * reached): min(W, PUs) x wall / jobs - t, from the runs themselves, so that a
 * prediction from one o can be seen to hold or not; and for workers that are
 * processes, the CPU time their parent spent per job (collecting the records), on the
 * PUs the workers compute on. */
static void granularity_paid(const struct granularity_line *l,
                             const struct granularity_crossover *x)
{
    const struct granularity_point *p;
    double paid, parent;
    char at[32], o[32];

    if (l->npoints == 0)
        return;
    p = &l->points[x->reach == GRANULARITY_REACHED       ? x->below
                   : x->reach == GRANULARITY_AT_SMALLEST ? 0
                                                         : l->npoints - 1];
    if (p->c->jobs == 0)
        return;
    paid = p->c->wall.median * granularity_ideal(l) / (double)p->c->jobs - p->job_s;
    duration_text(p->job_s, at, sizeof at);
    duration_text(paid > 0 ? paid : 0, o, sizeof o);
    printf("; at %s its runs paid %s per job beyond the serial run's (min(W, PUs) x wall / "
           "jobs - t)",
           at, paid > 0 ? o : "nothing");
    parent = p->c->cpu_self.median / (double)p->c->jobs;
    if (l->backend->worker == WORKER_PROCESS && p->c->cpu_children.median > 0 && parent > 0) {
        duration_text(parent, o, sizeof o);
        printf(", while its parent process used %s of CPU per job (CPU self / jobs) on the "
               "PUs its workers compute on",
               o);
    }
}

static void granularity_sentence(const struct granularity_line *l, bool have_overhead)
{
    struct granularity_crossover x;
    double target = 0.9 * granularity_ideal(l), most;
    char t[32], a[32], b[32], o[32], p[32];
    size_t from = 0, to = l->npoints;

    granularity_crossover(l, target, &x);
    printf("- **%s** (W = %lu): ", l->backend->label, l->workers);
    duration_text(x.job_s, t, sizeof t);
    switch (x.reach) {
    case GRANULARITY_NO_POINTS:
        printf("no size has a serial run of the same jobs and size to divide by, so no "
               "speedup.\n");
        return;
    case GRANULARITY_AT_SMALLEST:
        printf("already at 90%% of the ideal (%.2f) at the smallest size, %s (speedup %.2f): "
               "the crossover lies below it, where the sweep did not measure",
               target, t, l->points[0].speedup);
        to = 1;
        break;
    case GRANULARITY_NOT_REACHED:
        printf("90%% of the ideal (%.2f) is not reached up to %s, the largest size "
               "(speedup %.2f there)",
               target, t, l->points[l->npoints - 1].speedup);
        break;
    case GRANULARITY_REACHED:
        duration_text(l->points[x.below].job_s, a, sizeof a);
        duration_text(l->points[x.above].job_s, b, sizeof b);
        printf("speedup %.2f at %s and %.2f at %s: 90%% of the ideal (%.2f) at about **%s** "
               "(interpolated in log t between the two)",
               l->points[x.below].speedup, a, l->points[x.above].speedup, b, target, t);
        from = x.below;
        to = x.above + 1;
        break;
    }
    if (x.fell_at < l->npoints) {
        duration_text(l->points[x.fell_at].job_s, a, sizeof a);
        printf("; but at %s it is below that again (%.2f): the curve is not monotone, so this "
               "is no sharp crossover",
               a, l->points[x.fell_at].speedup);
    }
    if (!have_overhead)
        ; /* said once, after the list */
    else if (!l->has_overhead)
        printf("; overhead.csv has no queue row for %s at W = %lu, so no prediction",
               l->backend->name, l->workers);
    else if (l->overhead_s <= 0)
        printf("; its measured overhead per job, %.3g us, is not above 0 (below what the "
               "method resolves), so no prediction",
               l->overhead_s * 1e6);
    else {
        duration_text(l->overhead_s, o, sizeof o);
        duration_text(9 * l->overhead_s, p, sizeof p);
        printf("; the overhead per job o = %s (its queue row in overhead.csv, median) predicts "
               "9 o = %s",
               o, p);
        if (x.reach == GRANULARITY_REACHED)
            printf(" (the measured crossover is %.2g times that)", x.job_s / (9 * l->overhead_s));
    }
    granularity_paid(l, &x);
    if (granularity_busy(l, from, to, &most))
        printf(". Not a clean measurement: other programs used up to %.2f CPU-seconds per "
               "second during the runs it rests on, so the speedups are low and the "
               "crossover may lie at a smaller size",
               most);
    printf(".\n");
    if (l->no_serial > 0)
        printf("  (%zu of its sizes have no serial run of the same jobs and size and are left "
               "out.)\n",
               l->no_serial);
}

static void report_granularity(const struct results *r)
{
    const struct granularity *g = &r->granularity;
    double low = 0, high = 0;
    bool any = false, unknown = false;

    if (!g->have)
        return;
    printf("## 8. When parallel pays: job size\n\n");
    for (size_t k = 0; k < g->nlines; k++)
        for (size_t i = 0; i < g->lines[k].npoints; i++) {
            const struct granularity_point *p = &g->lines[k].points[i];

            if (!any || p->job_s < low)
                low = p->job_s;
            if (!any || p->job_s > high)
                high = p->job_s;
            any = true;
            unknown = unknown || p->c->too_short_to_tell || p->c->other_unknown > 0 ||
                      p->c->serial->too_short_to_tell || p->c->serial->other_unknown > 0;
        }
    if (!any) {
        printf("`granularity.csv` holds no parallel run with a serial run of its jobs and size "
               "to divide by: no speedup against job size.\n\n");
        return;
    }
    char a[32], b[32];

    duration_text(low, a, sizeof a);
    duration_text(high, b, sizeof b);
    printf("The granularity sweep (`granularity.csv`): jobs of %s to %s, each size's parallel "
           "runs divided by the serial run of the same jobs and size. A job's duration is that "
           "serial run's median wall time over its jobs. The crossover is the job size at which "
           "a way of running first reaches 90%% of the ideal min(W, PUs), interpolated in log t "
           "between the sizes on either side; a per-job overhead o predicts a speedup of "
           "W t / (t + o), which reaches it at t = 9 o.\n\n",
           a, b);
    for (size_t k = 0; k < g->nlines; k++)
        granularity_sentence(&g->lines[k], g->have_overhead);
    printf("\n![Speedup against job size](granularity.png)\n\n");
    if (!g->have_overhead)
        printf("There is no `overhead.csv` beside the runs CSV, so no predicted crossover: "
               "`bin/parlab-overhead -q --case queue --overhead-csv DIR/overhead.csv` measures "
               "the per-job overheads.\n\n");
    if (unknown)
        printf("Some of these runs were too short, or did not record it, for /proc/stat to "
               "tell whether other programs ran beside them: their speedups may be low "
               "without this report saying so.\n\n");
}

/* ---- 7. MPI ranks ---------------------------------------------------------------------- */

/* The first series of workers of `kind` with the lock `lock`, or NULL. */
static const struct results_series *series_of(const struct results *r, enum worker_kind kind,
                                              const char *lock)
{
    for (size_t k = 0; k < r->nseries; k++)
        if (r->series[k].backend->worker == kind && strcmp(r->series[k].lock, lock) == 0)
            return &r->series[k];
    return NULL;
}

/* A speedup a comparison can rest on: clean, and not above what the PUs can give. */
static bool comparable(const struct results *r, const struct summary_case *c)
{
    return c != NULL && c->speedup > 0 && summary_clean_speedup(c) && !impossible_speedup(r, c);
}

/* Adds ", W" (or "W = W" first) to a list of worker counts, "…" once it is full. */
static void add_workers(char *list, size_t len, size_t *count, unsigned long workers)
{
    size_t used = strlen(list);

    if (used + 24 < len)
        snprintf(list + used, len - used, "%s%lu", *count == 0 ? "W = " : ", ", workers);
    else if (strstr(list, "…") == NULL)
        snprintf(list + used, len - used, ", …");
    (*count)++;
}

/* "; W = 3 is not a clean measurement ..., and this sentence does not rest on it". */
static void rest_on(const char *list, size_t count)
{
    printf("; %s %s (a busy machine, slowed PUs, repetitions that disagree, or values above "
           "what the PUs can give), and this sentence does not rest on %s",
           list, count == 1 ? "is not a clean measurement" : "are not clean measurements",
           count == 1 ? "it" : "them");
}

/* Ranks against processes, both with the lock held, at every W both were run: how far
 * apart the clean speedups are. */
static void ranks_against_processes(const struct results *r, const struct results_series *ranks,
                                    const struct results_series *procs, const unsigned long *ws,
                                    size_t nw)
{
    char compared[128] = "", unclean[128] = "";
    size_t ncompared = 0, nunclean = 0;
    const struct summary_case *far_m = NULL, *far_p = NULL;
    double far = -1;

    for (size_t i = 0; i < nw; i++) {
        const struct summary_case *m = results_series_case(r, ranks, ws[i], "none");
        const struct summary_case *p = results_series_case(r, procs, ws[i], "none");
        double apart;

        if (m == NULL || p == NULL || m->speedup <= 0 || p->speedup <= 0)
            continue;
        if (!comparable(r, m) || !comparable(r, p)) {
            add_workers(unclean, sizeof unclean, &nunclean, ws[i]);
            continue;
        }
        add_workers(compared, sizeof compared, &ncompared, ws[i]);
        apart = fabs(m->speedup / p->speedup - 1.0);
        if (apart > far) {
            far = apart;
            far_m = m;
            far_p = p;
        }
    }
    if (ncompared == 0 && nunclean == 0)
        return; /* no W has both speedups: the table's notes say why */
    printf("- **%s against %s**: ", ranks->label, procs->label);
    if (ncompared == 0) {
        printf("the speedups are not clean measurements at any W both were run with (%s: a "
               "busy machine, slowed PUs, repetitions that disagree, or values above what the "
               "PUs can give), so they cannot say how ranks compare with processes.\n",
               unclean);
        return;
    }
    if (far <= NOTHING_MORE)
        printf("at %s the ranks' speedup is within %.0f%% of the processes' (the farthest "
               "apart: %.2f against %.2f at W = %lu)",
               compared, 100 * NOTHING_MORE, far_m->speedup, far_p->speedup, far_m->workers);
    else
        printf("at W = %lu the ranks' speedup is %.0f%% %s the processes' (%.2f against %.2f), "
               "the farthest apart of %s",
               far_m->workers, 100 * far, far_m->speedup < far_p->speedup ? "below" : "above",
               far_m->speedup, far_p->speedup, compared);
    if (nunclean > 0)
        rest_on(unclean, nunclean);
    printf(".\n");
}

/* The jobs' CPU time by the rank that ran them, in c's median run: "r0 0.034 s, r1 0.033
 * s" (the first eight ranks), and their sum; false when the jobs CSV has no ranks. */
static bool cpu_by_rank(const struct results *r, const struct summary_case *c, char *text,
                        size_t len, double *sum)
{
    const struct results_job *j;
    size_t n = results_jobs_of(r, c->median_run, &j), used = 0;
    long most = -1;

    *sum = 0;
    text[0] = '\0';
    for (size_t i = 0; i < n; i++)
        most = j[i].rank > most ? j[i].rank : most;
    if (most < 0)
        return false;
    for (long k = 0; k <= most && used < len; k++) {
        double cpu = 0;

        for (size_t i = 0; i < n; i++) /* ranks are few: W at most */
            cpu += j[i].rank == k ? j[i].cpu : 0;
        if (k < 8)
            used += (size_t)snprintf(text + used, len - used, "%sr%ld %.3f s", k ? ", " : "",
                                     k, cpu);
        else if (k == 8)
            used += (size_t)snprintf(text + used, len - used, ", …");
    }
    for (size_t i = 0; i < n; i++)
        *sum += j[i].cpu;
    return true;
}

/* Where the CPU time of the ranks' runs was counted, beside the processes', at W. */
static void where_ranks_count(const struct results *r, const struct results_series *s,
                              const struct summary_case *m, const struct summary_case *p)
{
    struct results_run f;
    char ranks[256];
    double busy = m->wall.median > 0 ? cpu_of(m) / m->wall.median : 0, jobs_cpu;

    printf("- **%s, W = %lu**: ", s->label, m->workers);
    if (results_run_facts(r, m, &f) == 0) {
        if (f.most_at_once > 1)
            printf("up to %zu of the %zu jobs were in progress at once", f.most_at_once, f.jobs);
        else
            printf("the %zu jobs ran one at a time", f.jobs);
        if (f.lock_wait > NOTICEABLE_WAIT_S)
            printf(", and together they waited %.2f s for the lock, although each rank has "
                   "its own. ",
                   f.lock_wait);
        else
            printf(", and none waited for the lock: each rank has its own. ");
    }
    printf("The runs CSV's `cpu_self_s` is %.3f s, every rank's own CPU time summed, and its "
           "`cpu_children_s` %.3f s",
           m->cpu_self.median, m->cpu_children.median);
    if (p != NULL)
        printf(", where the processes' parent counted %.3f s of its own and %.3f s of its "
               "children's",
               p->cpu_self.median, p->cpu_children.median);
    if (cpu_by_rank(r, m, ranks, sizeof ranks, &jobs_cpu))
        printf(". The jobs' own CPU times by rank: %s (%.3f s in all)", ranks, jobs_cpu);
    if (busy >= PARALLEL_CPU)
        printf(". CPU time is %.2f times the wall time: the ranks computed at the same time.\n",
               busy);
    else if (r->pus <= 1 || m->workers == 1)
        printf(". CPU time is %.2f times the wall time.\n", busy);
    else {
        printf(". CPU time is %.2f times the wall time: on average about one PU computed at "
               "a time",
               busy);
        if (summary_busy(m))
            printf(", while other programs used %.2f CPU-seconds per second", m->other_rate);
        printf(".\n");
    }
}

/* The hybrid cases' order: W, jobs, size, the lock released first, then fewer ranks. */
static int hybrid_order(const void *pa, const void *pb)
{
    const struct summary_case *a = *(const struct summary_case *const *)pa;
    const struct summary_case *b = *(const struct summary_case *const *)pb;

    if (a->workers != b->workers)
        return a->workers < b->workers ? -1 : 1;
    if (a->jobs != b->jobs)
        return a->jobs < b->jobs ? -1 : 1;
    if (a->size != b->size)
        return a->size < b->size ? -1 : 1;
    if (strcmp(a->lock, b->lock) != 0)
        return strcmp(a->lock, "none") == 0 ? -1 : strcmp(b->lock, "none") == 0 ? 1
                                                                                : strcmp(a->lock, b->lock);
    return (a->ranks > b->ranks) - (a->ranks < b->ranks);
}

/* "1 rank x 2 threads" */
static void split_words(const struct summary_case *c, char *text, size_t len)
{
    unsigned long t = summary_threads_per_rank(c);

    snprintf(text, len, "%lu %s x %lu %s", c->ranks, plural(c->ranks, "rank", "ranks"), t,
             plural(t, "thread", "threads"));
}

/* What the jobs of a split's median run show: how many ran at once in one rank. */
static void split_jobs(const struct results *r, const struct summary_case *c)
{
    struct results_run f;
    unsigned long t = summary_threads_per_rank(c);

    if (results_run_facts(r, c, &f) != 0) {
        printf(r->have_jobs ? "the jobs CSV holds none of its jobs, so nothing here says how "
                              "many ran at once"
                            : "without the jobs CSV nothing here says how many jobs ran at "
                              "once");
        return;
    }
    if (t > 1 && strcmp(c->lock, "held") == 0 && f.most_in_a_rank <= 1)
        printf("the jobs ran one at a time in each rank (its %lu threads share the rank's "
               "lock)",
               t);
    else if (t > 1 && strcmp(c->lock, "held") == 0)
        printf("up to %zu jobs were in progress at once in one rank, although its %lu threads "
               "share the rank's lock",
               f.most_in_a_rank, t);
    else if (f.most_at_once > 1 && c->ranks > 1 && t == 1 && strcmp(c->lock, "held") == 0)
        printf("up to %zu jobs were in progress at once, each rank with its own lock",
               f.most_at_once);
    else if (f.most_at_once > 1)
        printf("up to %zu jobs were in progress at once", f.most_at_once);
    else
        printf("the jobs ran one at a time");
}

/* One lock's hybrid comparison: splits[0 .. n) of the same W, jobs and size, the flat
 * one (ranks of one thread) among them or not. */
static void split_sentence(const struct results *r, const struct summary_case *const *splits,
                           size_t n)
{
    char words[64], fast[64], slow[64];
    bool all_clean = true;
    const struct summary_case *low = NULL, *high = NULL;

    printf("- **lock %s, W = %lu**: ", splits[0]->lock, splits[0]->workers);
    for (size_t i = 0; i < n; i++) {
        split_words(splits[i], words, sizeof words);
        printf("%s%s: ", i ? "; " : "", words);
        split_jobs(r, splits[i]);
        if (splits[i]->speedup > 0) {
            printf(", speedup %.2f", splits[i]->speedup);
            all_clean = speedup_caveat(r, splits[i]) ? false : all_clean;
        } else {
            printf(", no speedup");
            all_clean = false;
        }
        low = low == NULL || splits[i]->speedup < low->speedup ? splits[i] : low;
        high = high == NULL || splits[i]->speedup > high->speedup ? splits[i] : high;
    }
    if (n < 2) {
        printf(" (no other split of these workers to compare with).\n");
        return;
    }
    split_words(high, fast, sizeof fast);
    split_words(low, slow, sizeof slow);
    if (!all_clean)
        printf(". The speedups cannot say which split is faster");
    else if (high->speedup <= (1 + NOTHING_MORE) * low->speedup)
        printf(". The speedups are within %.0f%% of each other", 100 * NOTHING_MORE);
    else
        printf(". The %s split gives %.2f times the speedup of the %s split%s", fast,
               high->speedup / low->speedup, slow, n > 2 ? " (the fastest against the slowest)"
                                                          : "");
    printf(".\n");
}

/* The splits of hybrid[i]'s W, jobs, size and lock (hybrid is sorted by hybrid_order)
 * into group, then the flat case of them (ranks of one thread) when there is one; *n
 * is their count.  Returns the index after the group. */
static size_t split_group(const struct results *r, const struct summary_case **hybrid,
                          size_t nhybrid, size_t i, const struct summary_case **group, size_t *n)
{
    const struct summary_case *flat = results_flat_case(r, hybrid[i]);
    size_t next;

    *n = 0;
    for (next = i; next < nhybrid && hybrid[next]->workers == hybrid[i]->workers &&
                   hybrid[next]->jobs == hybrid[i]->jobs && hybrid[next]->size == hybrid[i]->size &&
                   strcmp(hybrid[next]->lock, hybrid[i]->lock) == 0;
         next++)
        group[(*n)++] = hybrid[next];
    if (flat != NULL)
        group[(*n)++] = flat;
    return next;
}

static void report_mpi(const struct results *r)
{
    const struct results_series *ranks = series_of(r, WORKER_RANK, "held");
    const struct results_series *procs = series_of(r, WORKER_PROCESS, "held");
    const struct summary_case **hybrid = calloc(r->runs.ncases + 1, sizeof *hybrid);
    const struct summary_case **group = calloc(r->runs.ncases + 1, sizeof *group);
    size_t nhybrid = 0, nw = 0;
    unsigned long *ws = NULL;
    struct note_list notes;

    if (hybrid == NULL || group == NULL)
        die("out of memory");
    for (size_t i = 0; i < r->runs.ncases; i++) {
        const struct summary_case *c = &r->runs.cases[i];

        if (summary_hybrid(c) && strcmp(c->pin, "none") == 0 && c->plain &&
            (strcmp(c->lock, "none") == 0 || strcmp(c->lock, "held") == 0))
            hybrid[nhybrid++] = c;
    }
    if (ranks == NULL && nhybrid == 0) { /* no MPI rows: no section, as for the others */
        free(hybrid);
        free(group);
        return;
    }
    note_list_init(&notes);
    printf("## 7. MPI ranks\n\n");
    if (ranks != NULL) {
        const struct summary_case *at;

        if ((nw = results_worker_counts(r, &ws)) == (size_t)-1)
            die("out of memory");
        printf("Ranks against processes, both with the lock held: a rank, like a process, "
               "has its own memory and its own lock. Speedup over serial (median; in brackets "
               "the range over the counted runs), and the wall time beside the CPU time the "
               "runs CSV counts, `wall_s` / `cpu_self_s` / `cpu_children_s` in seconds "
               "(medians): a process's parent counts its "
               "children's CPU time once it has reaped them; a rank is no child of rank 0, "
               "so parlab-mpi adds up every rank's own CPU time in `cpu_self_s` "
               "(`docs/mpi.md`).\n\n");
        printf("| W |%s %s | wall / CPU self / children |\n|---|%s---|---|\n",
               procs ? " procs, lock held | wall / CPU self / children |" : "", ranks->label,
               procs ? "---|---|" : "");
        for (size_t i = 0; i < nw; i++) {
            const struct summary_case *m = results_series_case(r, ranks, ws[i], "none");
            const struct summary_case *p = procs ? results_series_case(r, procs, ws[i], "none")
                                                 : NULL;

            if (m == NULL && p == NULL)
                continue;
            printf("| %lu |", ws[i]);
            if (procs != NULL) {
                speedup_cell(r, p, &notes);
                times_cell(p);
            }
            speedup_cell(r, m, &notes);
            times_cell(m);
            printf("\n");
        }
        print_notes(&notes);
        printf("\n");
        if (procs != NULL)
            ranks_against_processes(r, ranks, procs, ws, nw);
        at = results_series_case(r, ranks, r->workers, "none");
        for (size_t i = nw; at == NULL && i > 0; i--) /* else the most ranks there are */
            at = results_series_case(r, ranks, ws[i - 1], "none");
        if (at != NULL)
            where_ranks_count(r, ranks, at,
                              procs ? results_series_case(r, procs, at->workers, "none") : NULL);
        printf("\n");
    }
    if (nhybrid > 0) {
        note_list_release(&notes);
        note_list_init(&notes);
        qsort(hybrid, nhybrid, sizeof *hybrid, hybrid_order);
        printf("Hybrid runs: W workers as ranks of several OpenMP threads each "
               "(`parlab-mpi --threads T`) against as many ranks of one thread. The threads of "
               "a rank share its lock; each rank has its own.\n\n");
        printf("| ranks x threads | lock | W | wall (min–max) | CPU self | speedup |\n"
               "|---|---|---|---|---|---|\n");
        for (size_t i = 0, next, n; i < nhybrid; i = next) {
            next = split_group(r, hybrid, nhybrid, i, group, &n);
            for (size_t k = 0; k < n; k++) {
                const struct summary_case *c = group[k];

                printf("| %lu x %lu | %s | %lu | %.3f (%.3f–%.3f) | %.3f | ", c->ranks,
                       summary_threads_per_rank(c), c->lock, c->workers, c->wall.median,
                       c->wall.min, c->wall.max, c->cpu_self.median);
                if (c->speedup > 0)
                    printf("%.2f |\n", c->speedup);
                else
                    printf("– [%zu] |\n", no_speedup_note(&notes, c));
            }
        }
        print_notes(&notes);
        printf("\n");
        for (size_t i = 0, next, n; i < nhybrid; i = next) {
            next = split_group(r, hybrid, nhybrid, i, group, &n);
            split_sentence(r, group, n);
        }
        printf("\n");
    }
    note_list_release(&notes);
    free(ws);
    free(hybrid);
    free(group);
}

/* ---- 0. how clean the measurements are ------------------------------------------------ */

/* "threads, lock held, W = 2" for the sentences of section 0. */
static void case_name(const struct results *r, const struct summary_case *c, char *text,
                      size_t len)
{
    char split[48];

    summary_split_text(c, split, sizeof split); /* "1x2": ranks x threads, or "" */
    snprintf(text, len, "%s%s%s, lock %s, W = %lu%s%s%s", results_backend(r, c)->label,
             split[0] && summary_hybrid(c) ? " " : "", summary_hybrid(c) ? split : "", c->lock,
             c->workers, strcmp(c->pin, "none") != 0 ? ", pinned " : "",
             strcmp(c->pin, "none") != 0 ? c->pin : "", c->variant[0] ? ", " : "");
    if (c->variant[0] != '\0') {
        size_t used = strlen(text);

        snprintf(text + used, len - used, "%s", c->variant);
    }
}

/* What else the machine did and how far the repetitions agree, said first: the
 * sentences of the sections after it rest on clean measurements only. */
static void report_conditions(const struct results *r)
{
    const struct summary_case *busiest = NULL, *widest = NULL;
    const struct summary_case *slowest = NULL;
    size_t busy = 0, spread = 0, unknown = 0, short_runs = 0, battery = 0, once = 0, slowed = 0;
    size_t n = r->runs.ncases;
    double most_other = 0;
    char name[200];

    for (size_t i = 0; i < n; i++) {
        const struct summary_case *c = &r->runs.cases[i];

        if (c->other_unknown > 0)
            unknown++;
        else if (c->too_short_to_tell && !summary_busy(c))
            short_runs++;
        if (c->other_rate > most_other)
            most_other = c->other_rate;
        if (summary_busy(c)) {
            busy++;
            if (busiest == NULL || c->other_rate > busiest->other_rate)
                busiest = c;
        }
        if (summary_disagrees(c)) {
            spread++;
            if (widest == NULL || summary_spread(c) > summary_spread(widest))
                widest = c;
        }
        if (summary_slowed(c)) {
            slowed++;
            if (slowest == NULL || summary_cpu_ratio(c) > summary_cpu_ratio(slowest))
                slowest = c;
        }
        if (c->reps == 1)
            once++;
        if (c->on_battery)
            battery++;
    }
    printf("## How clean the measurements are\n\n");
    if (busy > 0) {
        case_name(r, busiest, name, sizeof name);
        printf("- **The machine was busy**: other programs used more than %.1f CPU-seconds per "
               "second during %zu of the %zu cases, up to %.2f (%s). Their times are not "
               "clean measurements: their speedups are given, marked, but no sentence below "
               "rests on them, and conclusions that need them (how much faster, where the "
               "speedup stops growing, Amdahl's fit) are not drawn. What the jobs' intervals "
               "and CPU times show still holds.\n",
               SUMMARY_BUSY_RATE, busy, n, busiest->other_rate, name);
    }
    if (spread > 0) {
        case_name(r, widest, name, sizeof name);
        printf("- **The repetitions disagree** in %zu of the %zu cases: the slowest run took "
               "more than %.0f%% of the median (and 0.01 s) longer than the fastest, up to "
               "%.0f%% (%s: "
               "%.3f to %.3f s). Their medians are no steady value, and no sentence below "
               "rests on their speedups.\n",
               spread, n, 100 * SUMMARY_SPREAD_LIMIT, 100 * summary_spread(widest), name, widest->wall.min,
               widest->wall.max);
    }
    if (slowed > 0) {
        case_name(r, slowest, name, sizeof name);
        printf("- **The PUs computed slower** in %zu of the %zu cases: their jobs took more "
               "than %.0f%% more CPU time than the same jobs run serially, up to %.2f times "
               "(%s). The same steps cost more CPU time when a PU is slowed: a core shared "
               "with another hardware thread or virtual machine, or a lower clock, which "
               "other programs' CPU time does not show. No sentence below rests on their "
               "speedups.\n",
               slowed, n, 100 * SUMMARY_SLOWED, summary_cpu_ratio(slowest), name);
    }
    if (battery > 0)
        printf("- **%zu of the %zu cases ran on battery**: the CPU may have been slowed to save "
               "power; their times do not compare with runs on mains power.\n",
               battery, n);
    if (unknown == n)
        printf("- These results do not record what else the machine did (no `other_cpu_s` "
               "in the runs CSV: an older parlab, or no `/proc/stat`), so a busy machine "
               "cannot be told from a quiet one; the sentences below take the times as "
               "they are.\n");
    else if (unknown > 0)
        printf("- %zu of the %zu cases do not record what else the machine did; the sentences "
               "below take their times as they are.\n",
               unknown, n);
    if (short_runs > 0)
        printf("- %zu of the %zu cases have runs too short for `/proc/stat`'s ticks of %.2f s "
               "to tell whether other programs ran beside them.\n",
               short_runs, n, SUMMARY_TICK_S);
    if (once > 0 && spread == 0)
        printf("- %zu of the %zu cases were run once, so nothing says how much their times "
               "vary.\n",
               once, n);
    if (busy == 0 && spread == 0 && slowed == 0 && unknown < n)
        printf("- Otherwise idle: other programs used at most %.2f CPU-seconds per second "
               "during any run that could tell%s, and the repetitions of each case agree "
               "within %.0f%% of their median. The sentences below rest on clean "
               "measurements.\n",
               most_other, battery > 0 ? " (beside the battery's caveat)" : "",
               100 * SUMMARY_SPREAD_LIMIT);
    printf("\n");
}

/* The last part of a path: what the report names a file by. */
static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash ? slash + 1 : path;
}

/* The sizes and jobs of the notebook's cases that are not those of c, the case the
 * headline describes, as text: " (serial; the notebook's other cases: n = 108)",
 * "" when they are all of c's. */
static void other_sizes(const struct results *r, const struct summary_case *c, char *text,
                        size_t len)
{
    char list[160] = "";
    size_t used = 0;

    for (size_t k = 0; k < r->nseries; k++) {
        const struct summary_case *o = results_series_case(r, &r->series[k], r->workers, "none");
        bool seen = o == NULL || (o->size == c->size && o->jobs == c->jobs);

        for (size_t j = 0; j < k && !seen; j++) { /* each (n, jobs) once */
            const struct summary_case *p = results_series_case(r, &r->series[j], r->workers,
                                                               "none");

            seen = p != NULL && p->size == o->size && p->jobs == o->jobs;
        }
        if (seen || used + 48 >= sizeof list)
            continue;
        used += (size_t)snprintf(list + used, sizeof list - used, "%s n = %lu",
                                 used ? ";" : "", o->size);
        if (o->jobs != c->jobs)
            used += (size_t)snprintf(list + used, sizeof list - used, ", %lu jobs", o->jobs);
    }
    if (used > 0)
        snprintf(text, len, " (%s; the notebook's other cases:%s)",
                 r->serial ? "serial" : "the first case's", list);
    else
        text[0] = '\0';
}

/* ---- joblib beside parlab ---------------------------------------------------------------- */

/* src/joblib-compare.py's rows (make compare, docs/compare.md): the suite "joblib"
 * (backend.h), each case beside parlab's case that runs the jobs the same way. */
static bool joblib_program(const char *program)
{
    return backend_suite_length(program) == 6 && strncmp(program, "joblib-", 7) == 0;
}

/* parlab's program that runs a joblib case's way: its threads beside parlab-threads,
 * its processes (multiprocessing's and loky's) beside parlab-procs. */
static const char *parlab_twin(const struct summary_case *c)
{
    if (strcmp(c->program, "joblib-serial") == 0)
        return "parlab-serial";
    if (c->worker == WORKER_THREAD)
        return "parlab-threads";
    return c->worker == WORKER_PROCESS ? "parlab-procs" : NULL;
}

/* parlab's case of the same jobs, n, W and lock as joblib's case c, on its host and of
 * its label, unpinned and plain; or NULL. */
static const struct summary_case *twin_of(const struct results *r, const struct summary_case *c)
{
    const char *program = parlab_twin(c);

    for (size_t i = 0; program != NULL && i < r->runs.ncases; i++) {
        const struct summary_case *d = &r->runs.cases[i];

        if (strcmp(d->program, program) == 0 && d->workers == c->workers &&
            strcmp(d->lock, c->lock) == 0 && d->jobs == c->jobs && d->size == c->size &&
            strcmp(d->pin, "none") == 0 && d->plain && strcmp(d->host, c->host) == 0 &&
            strcmp(d->label, c->label) == 0)
            return d;
    }
    return NULL;
}

/* A table cell of a case's median wall and parent's CPU seconds and its speedup. */
static void joblib_cells(const struct summary_case *c)
{
    if (c == NULL) {
        printf(" – | – | – |");
        return;
    }
    printf(" %.3f | %.3f |", c->wall.median, c->cpu_self.median);
    if (c->speedup > 0)
        printf(" %.2f |", c->speedup);
    else
        printf(" – |");
}

/* Whether c's numbers can carry a sentence: a clean speedup the PUs allow (its serial
 * run's too), or for a serial case a clean measurement. */
static bool joblib_clean(const struct results *r, const struct summary_case *c)
{
    if (c == NULL)
        return false;
    if (c->workers == 1 && c->speedup == 0)
        return summary_clean(c);
    return c->speedup > 0 && summary_clean_speedup(c) && !impossible_speedup(r, c);
}

static void joblib_sentence(const struct results *r, const struct summary_case *c,
                            const struct summary_case *twin)
{
    char name[160], why[640];
    struct results_run run;
    double ratio;

    snprintf(name, sizeof name, "%s, lock %s, W = %lu", results_backend(r, c)->label, c->lock,
             c->workers);
    if (!joblib_clean(r, c)) {
        summary_why_unclean(c, why, sizeof why);
        if (c->speedup > 0 && impossible_speedup(r, c))
            snprintf(why, sizeof why, "a speedup of %.2f, more than the %lu PUs can give",
                     c->speedup, possible_of(r, c));
        if (c->speedup > 0 || c->workers == 1)
            printf("- **%s**: not a clean measurement (%s): nothing is concluded from it.\n",
                   name, why);
        else
            printf("- **%s**: no speedup: there is no joblib-serial run of its jobs and n.\n",
                   name);
        return;
    }
    printf("- **%s**: speedup %.2f over joblib-serial", name, c->speedup);
    if (twin != NULL && joblib_clean(r, twin)) {
        ratio = c->speedup / twin->speedup;
        printf(", against %.2f for %s over parlab-serial: ", twin->speedup,
               results_backend(r, twin)->label);
        if (ratio < 1 - NOTHING_MORE)
            printf("joblib's way of running keeps %.0f%% of parlab's speedup", 100 * ratio);
        else if (ratio > 1 + NOTHING_MORE)
            printf("%.0f%% above parlab's", 100 * (ratio - 1));
        else
            printf("the same within %.0f%%", 100 * NOTHING_MORE);
    } else if (twin != NULL) {
        printf(" (parlab's %s case is no clean measurement to set beside it)",
               results_backend(r, twin)->label);
    } else {
        printf(" (parlab has no case of these jobs, n, W and lock here)");
    }
    if (c->worker == WORKER_PROCESS && cpu_of(c) < 0.1 * c->serial_wall)
        printf("; the CPU time of the parent and its reaped children is %.3f s, under a tenth "
               "of joblib-serial's %.2f s of work: the jobs ran in worker processes that were "
               "not reaped during the run%s, whose CPU time neither clock shows",
               cpu_of(c), c->serial_wall,
               strcmp(c->program, "joblib-loky") == 0 ? " (loky keeps its workers for the next "
                                                        "call)"
                                                      : "");
    else if (c->worker == WORKER_PROCESS && c->cpu_self.median < 0.1 * cpu_of(c))
        printf("; the parent's own CPU time is %.3f s, its reaped workers' %.3f s",
               c->cpu_self.median, c->cpu_children.median);
    else if (c->worker == WORKER_THREAD && results_run_facts(r, c, &run) == 0 &&
             run.most_at_once <= 1 && c->workers > 1)
        printf("; its %zu jobs ran one at a time on %lu threads (jobs.csv): the GIL lets one "
               "run at a time",
               run.jobs, c->workers);
    else if (c->worker == WORKER_THREAD && c->wall.median > 0 &&
             cpu_of(c) / c->wall.median >= PARALLEL_CPU)
        printf("; the parent's CPU time is %.2f times the wall time: its threads computed at "
               "once",
               cpu_of(c) / c->wall.median);
    else if (c->worker == WORKER_THREAD && c->wall.median > 0 && c->workers > 1)
        printf("; the parent's CPU time is %.2f times the wall time: about one of its %lu "
               "threads computed at a time",
               cpu_of(c) / c->wall.median, c->workers);
    printf(".\n");
}

static void report_joblib(const struct results *r)
{
    const struct summary_case *serial = NULL;
    size_t n = 0;

    for (size_t i = 0; i < r->runs.ncases; i++) {
        const struct summary_case *c = &r->runs.cases[i];

        if (!joblib_program(c->program) || strcmp(c->pin, "none") != 0 || !c->plain)
            continue;
        if (n++ == 0) {
            printf("## 9. joblib beside parlab\n\n");
            printf("The notebook's cases run by joblib (`make compare`, src/joblib-compare.py, "
                   "docs/compare.md) on numba's kernel, each beside parlab's case of the same "
                   "jobs, n, W and lock: joblib's threads beside parlab's threads, its "
                   "processes (multiprocessing, loky) beside parlab's procs. joblib's speedups "
                   "divide by joblib-serial, parlab's by parlab-serial. Medians over the "
                   "counted runs; times in seconds; CPU parent: the program's own process "
                   "(cpu_self_s).\n\n");
            printf("| case | lock | W | joblib wall | joblib CPU parent | joblib speedup "
                   "| parlab | parlab wall | parlab CPU parent | parlab speedup |\n");
            printf("|---|---|---|---|---|---|---|---|---|---|\n");
        }
        {
            const struct summary_case *twin = twin_of(r, c);

            printf("| %s | %s | %lu |", results_backend(r, c)->label, c->lock, c->workers);
            joblib_cells(c);
            printf(" %s |", twin != NULL ? results_backend(r, twin)->label : "–");
            joblib_cells(twin);
            printf("\n");
        }
        if (backend_suite_baseline(c->program) && serial == NULL)
            serial = c;
    }
    if (n == 0)
        return;
    printf("\n");
    if (serial != NULL) {
        const struct summary_case *twin = twin_of(r, serial);

        if (twin != NULL && joblib_clean(r, serial) && joblib_clean(r, twin))
            printf("- **joblib-serial**: %lu jobs of n = %lu take %.3f s, parlab-serial's "
                   "%.3f s: the kernels are compiled apart (numba against the C compiler), "
                   "so wall times compare within a suite, and speedups across.\n",
                   serial->jobs, serial->size, serial->wall.median, twin->wall.median);
        else if (twin != NULL)
            printf("- **joblib-serial**: it or parlab-serial is no clean measurement; the "
                   "kernels' times are not compared.\n");
        else
            printf("- **joblib-serial**: parlab has no serial run of %lu jobs of n = %lu "
                   "here to set beside it.\n",
                   serial->jobs, serial->size);
    } else {
        printf("- There is no joblib-serial run here: joblib's cases have no speedup.\n");
    }
    for (size_t i = 0; i < r->runs.ncases; i++) {
        const struct summary_case *c = &r->runs.cases[i];

        if (joblib_program(c->program) && !backend_suite_baseline(c->program) &&
            strcmp(c->pin, "none") == 0 && c->plain)
            joblib_sentence(r, c, twin_of(r, c));
    }
    printf("\n");
}

/* ---- 10. the parallelism inside each core ------------------------------------------ */

/* c's CPU time per kernel step, in ns: its median CPU time over its jobs' steps. */
static double ns_per_step(const struct summary_case *c)
{
    return 1e9 * cpu_of(c) / ((double)c->jobs * (double)kernel_steps(c->size));
}

/* Whether c carries a sentence: a clean speedup (c's and its scalar serial run's); else
 * prints "- **WHAT**: " and why not, and returns false.  `bounded`: a speedup above
 * min(W, PUs) is impossible (the scalar kernel's; vectorising has no such bound). */
static bool simd_usable(const struct results *r, const struct summary_case *c, const char *what,
                        const char *missing, bool bounded)
{
    char why[640];

    if (c == NULL || c->speedup <= 0) {
        printf("- **%s**: %s.\n", what, missing);
        return false;
    }
    if (bounded && impossible_speedup(r, c)) {
        printf("- **%s**: a speedup of %.2f, more than the %lu %s can give: the scalar serial "
               "run it divides by was slowed, and nothing is concluded from it.\n",
               what, c->speedup, possible_of(r, c), plural(possible_of(r, c), "PU", "PUs"));
        return false;
    }
    if (!summary_clean_speedup(c)) {
        summary_why_unclean(c, why, sizeof why);
        printf("- **%s**: a speedup of %.2f, not a clean measurement (%s): nothing is "
               "concluded from it.\n",
               what, c->speedup, why);
        return false;
    }
    return true;
}

static void report_simd(const struct results *r)
{
    struct results_simd s;
    struct note_list notes;
    const struct summary_case *one, *threads, *both;
    unsigned long p;
    bool unknown = false, have_one, have_threads, have_both;
    char isa[64], what[96];

    if (results_simd(r, &s) != 0)
        die("out of memory");
    if (!s.have) {
        results_simd_release(&s);
        return;
    }
    note_list_init(&notes);
    snprintf(isa, sizeof isa, "%s", s.isa[0] ? s.isa : "an instruction set the runs do not name");
    printf("## 10. The parallelism inside each core\n\n");
    printf("The same C(n,4) kernel steps with the innermost loop vectorised by OpenMP's `simd` "
           "construct (`--kernel simd`, docs/kernel.md), here in its %s variant (runs.csv's "
           "isa column), on jobs of n = %lu: each core takes several square roots at once, "
           "without a thread more. Every speedup divides by the scalar serial run of the same "
           "jobs and n. Medians over the counted runs; times in seconds.\n\n",
           isa, s.size);
    printf("| case | W | wall | CPU self | speedup over scalar serial (range) |\n");
    printf("|---|---|---|---|---|\n");
    if (s.serial != NULL) {
        printf("| simd serial | 1 | %.3f | %.3f |", s.serial->wall.median,
               s.serial->cpu_self.median);
        speedup_cell(r, s.serial, &notes);
        printf("\n");
    }
    for (unsigned long w = 1; w <= s.most; w++)
        for (int k = 0; k < 2; k++) {
            const struct summary_case *c = results_simd_threads(&s, w, k == 1);

            if (c == NULL)
                continue;
            printf("| %s threads | %lu | %.3f | %.3f |", k ? "simd" : "scalar", w, c->wall.median,
                   c->cpu_self.median);
            speedup_cell(r, c, &notes);
            printf("\n");
        }
    print_notes(&notes);
    note_list_release(&notes);
    printf("\n");

    p = s.most < r->pus ? s.most : r->pus;
    one = s.serial;
    threads = results_simd_threads(&s, p, false);
    both = results_simd_threads(&s, p, true);
    snprintf(what, sizeof what, "Threads, W = %lu", p);
    have_one = simd_usable(r, one, "Vectorising",
                           "there is no simd serial run (parlab-serial --kernel simd) with a "
                           "scalar serial run of its jobs and n: no factor for it",
                           false);
    if (have_one)
        printf("- **Vectorising** multiplies the speed by %.2f (simd serial over scalar serial, "
               "%s): %.2f ns of CPU time per kernel step against %.2f.\n",
               one->speedup, isa, ns_per_step(one),
               one->serial != NULL ? ns_per_step(one->serial) : 0.0);
    have_threads = p > 0 && simd_usable(r, threads, what,
                                        "there is no scalar threads run of these jobs and n with "
                                        "a scalar serial run to divide by",
                                        true);
    if (p == 0)
        printf("- **Threads**: there is no threads run with the simd kernel: no factor.\n");
    if (have_threads)
        printf("- **Threads** multiply it by %.2f at W = %lu (scalar threads over scalar "
               "serial), of an ideal %lu%s.\n",
               threads->speedup, p, p,
               p < r->pus ? ", the most workers these runs have (fewer than the PUs)" : "");
    snprintf(what, sizeof what, "Both, W = %lu", p);
    have_both = p > 0 && simd_usable(r, both, what,
                                     "there is no simd threads run of these jobs and n with a "
                                     "scalar serial run to divide by",
                                     false);
    if (have_both && have_one) {
        double product = one->speedup * (double)p, ratio = both->speedup / product;

        printf("- **Together**, simd threads at W = %lu reach %.2f, against %.2f x %lu = %.2f "
               "if the two multiply: ",
               p, both->speedup, one->speedup, p, product);
        if (fabs(ratio - 1) <= SIMD_MULTIPLY)
            printf("they multiply together, within %.0f%% (%.1f%% %s)", 100 * SIMD_MULTIPLY,
                   100 * fabs(ratio - 1), ratio < 1 ? "below" : "above");
        else if (ratio < 1)
            printf("%.0f%% of it, more than %.0f%% below, so here they do not quite multiply",
                   100 * ratio, 100 * SIMD_MULTIPLY);
        else
            printf("%.0f%% above it, more than threads and vectorising give apart: a run it "
                   "divides by was slowed",
                   100 * (ratio - 1));
        if (have_threads && ratio < 1 - SIMD_MULTIPLY) {
            double simd_gain = both->speedup / one->speedup;

            printf("; the threads multiply the simd kernel's speed by %.2f, the scalar one's by "
                   "%.2f",
                   simd_gain, threads->speedup);
        }
        printf(".\n");
    } else if (p > 0) {
        printf("- **Together**: whether the two multiply cannot be told without clean "
               "speedups of simd serial and simd threads at W = %lu.\n",
               p);
    }
    const struct summary_case *all[] = {one, threads, both};
    for (size_t i = 0; i < 3; i++)
        unknown = unknown || (all[i] != NULL && (all[i]->too_short_to_tell ||
                                                 all[i]->other_unknown > 0 ||
                                                 (all[i]->serial != NULL &&
                                                  (all[i]->serial->too_short_to_tell ||
                                                   all[i]->serial->other_unknown > 0))));
    printf("\n![Vectorising, then threads](simd.png)\n\n");
    if (unknown)
        printf("Some of these runs were too short, or did not record it, for /proc/stat to "
               "tell whether other programs ran beside them: their speedups may be off "
               "without this report saying so.\n\n");
    results_simd_release(&s);
}

static void print_markdown(const struct results *r, const struct request *q)
{
    const struct summary_case *c = results_first(r);
    char others[256]; /* the list's 160, and the words around it */

    other_sizes(r, c, others, sizeof others);
    printf("# parlab results\n\n");
    printf("Machine **%s**, %lu usable %s; kernel `wait_loop(n = %lu)`, %lu jobs per run%s "
           "and %zu counted %s in the notebook's cases (the other experiments say theirs), "
           "each case after an uncounted warm-up; first run %s. Generated by parlab-report "
           "%s from `%s`",
           c->host, c->pus, plural(c->pus, "PU", "PUs"), c->size, c->jobs, others, c->reps,
           plural(c->reps, "run", "runs"), c->started_at, PARLAB_VERSION, base_name(q->runs));
    if (r->have_jobs)
        printf(" and `%s`", base_name(q->jobs));
    printf(".\n\n");
    if (r->nother_hosts > 0)
        printf("**The runs CSV also holds runs of %zu other %s (%s)**: speedups and placements "
               "compare runs of one machine, so this report is of %s alone; "
               "`parlab-report --host NAME` reports another.\n\n",
               r->nother_hosts, plural(r->nother_hosts, "machine", "machines"), r->other_hosts,
               r->host);
    report_conditions(r);
    report_notebook(r);
    report_sweep(r);
    report_amdahl(r);
    if (r->have_jobs) {
        report_timeline(r);
        report_pinning(r);
        report_copy_cost(r);
    } else {
        printf("The timeline, the pinning and the cost of moving data need `jobs.csv`, "
               "which is missing or not a parlab jobs CSV.\n\n");
    }
    report_mpi(r);
    report_granularity(r);
    report_joblib(r);
    report_simd(r);
}

/* ---- the command line -------------------------------------------------------------------- */

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: parlab-report [--runs-csv FILE] [--jobs-csv FILE] [--slices-csv FILE]\n"
            "                     [--workers W] (--markdown | --figure-data DIR)\n"
            "Reads the CSV files written by the parlab programs and prints the report, or\n"
            "writes the data the figures draw.\n\n"
            "Options:\n"
            "      --runs-csv FILE    the runs CSV (default results/runs.csv)\n"
            "      --jobs-csv FILE    the jobs CSV (default: jobs.csv beside the runs CSV, if\n"
            "                         it is there; one named here must be)\n"
            "      --slices-csv FILE  the slices CSV of a switching run (default: slices.csv\n"
            "                         beside the runs CSV; without it, no switching panel)\n"
            "      --host NAME        the machine whose runs to report, when the CSV files\n"
            "                         hold several (default: the first row's)\n"
            "  -w, --workers W        the notebook's workers (default 3 when there are such\n"
            "                         runs, else the first parallel case's)\n"
            "      --markdown         the report: tables and sentences per experiment\n"
            "      --figure-data DIR  write FIGURE.dat and FIGURE.gp into the directory DIR\n"
            "                         for every figure with data, and DIR/figures, a line\n"
            "                         per figure: \"FIGURE yes\" or \"FIGURE no REASON\"\n"
            "                         (plots/draw.sh runs it; docs/figures.md has the format)\n"
            "  -h, --help             print this help and exit\n"
            "  -V, --version          print the version and exit\n\n"
            "Figures:\n");
    for (size_t i = 0; i < figure_count; i++)
        fprintf(out, "  %-12s %s\n", figure_table[i].name, figure_table[i].about);
}


enum { OPT_RUNS = 256, OPT_JOBS, OPT_SLICES, OPT_MARKDOWN, OPT_FIGURES, OPT_HOST };

static void take_option(int opt, const char *arg, const char *name, void *ctx)
{
    struct request *q = ctx;

    switch (opt) {
    case OPT_RUNS:
        q->runs = tool_path(name, arg);
        break;
    case OPT_JOBS:
        q->jobs = tool_path(name, arg);
        break;
    case OPT_SLICES:
        q->slices = tool_path(name, arg);
        break;
    case 'w':
        if (cli_parse_count(arg, 1, CLI_MAX_WORKERS, &q->workers) != 0)
            die_usage("invalid value '%s' for --workers: expected a whole number from 1 to %u",
                      arg, CLI_MAX_WORKERS);
        break;
    case OPT_MARKDOWN:
        q->outputs++;
        break;
    case OPT_HOST:
        if (arg[0] == '\0')
            die_usage("invalid value '' for --host: expected a host name");
        q->host = arg;
        break;
    default: /* OPT_FIGURES */
        q->figure_dir = tool_path(name, arg);
        q->outputs++;
        break;
    }
}

/* "DIR/name" for a file beside `path` (in the same directory). */
static char *beside(const char *path, const char *name)
{
    const char *slash = strrchr(path, '/');
    int dir = slash ? (int)(slash - path + 1) : 0;
    size_t len = (size_t)dir + strlen(name) + 1;
    char *p = malloc(len);

    if (p == NULL)
        die("out of memory");
    snprintf(p, len, "%.*s%s", dir, path, name);
    return p;
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        {TOOL_RUNS_CSV, required_argument, NULL, OPT_RUNS},
        {TOOL_JOBS_CSV, required_argument, NULL, OPT_JOBS},
        {TOOL_SLICES_CSV, required_argument, NULL, OPT_SLICES},
        {"workers", required_argument, NULL, 'w'},
        {"markdown", no_argument, NULL, OPT_MARKDOWN},
        {"figure-data", required_argument, NULL, OPT_FIGURES},
        {"host", required_argument, NULL, OPT_HOST},
        {NULL, 0, NULL, 0},
    };
    static const struct tool tool = {"parlab-report", usage, "w:", options, false};
    struct request q = {.runs = "results/runs.csv"};
    char *jobs = NULL, *slices = NULL, *granularity, *overhead, why[4352];
    struct results r;

    tool_parse(&tool, argc, argv, take_option, &q);
    if (q.outputs != 1)
        die_usage("give exactly one of --markdown and --figure-data");
    if (q.jobs == NULL)
        q.jobs = jobs = beside(q.runs, "jobs.csv");
    if (q.slices == NULL)
        q.slices = slices = beside(q.runs, "slices.csv");

    /* the granularity sweep and the per-job overheads beside the runs CSV, when there */
    granularity = beside(q.runs, "granularity.csv");
    overhead = beside(q.runs, "overhead.csv");

    /* a jobs CSV named on the command line must be there; the one beside the runs CSV
     * may be missing, and the report then leaves out what needs it */
    if (results_load(&r,
                     &(struct results_paths){q.runs, q.jobs, q.slices, q.host, granularity,
                                             overhead},
                     (unsigned long)q.workers, jobs == NULL, why, sizeof why) != 0)
        die("%s", why);
    if (q.figure_dir != NULL) {
        if (figures_write(&r, q.figure_dir, why, sizeof why) < 0)
            die("%s", why);
    } else {
        print_markdown(&r, &q);
    }
    results_release(&r);
    free(jobs);
    free(slices);
    free(granularity);
    free(overhead);
    return tool_finish();
}
