/*
 * figures.c - each figure's data and settings, written for its gnuplot script.
 */
#include "parlab/figures.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parlab/payload.h"

/* ---- writing for gnuplot --------------------------------------------------------- */

/* Characters gnuplot's enhanced text mode would take as markup. */
static bool markup(char c)
{
    return c != '\0' && strchr("_^{}@&~\\", c) != NULL;
}

/* What c is written as in a figure's text: control characters as spaces, and the
 * characters gnuplot's SVG terminal writes unescaped into XML as others. */
static char shown(char c)
{
    if ((unsigned char)c < 0x20 || c == 0x7f)
        return ' ';
    return c == '&' ? '+' : c == '<' ? '(' : c == '>' ? ')' : c;
}

/* s as a single-quoted gnuplot string that enhanced text shows as it is (a backslash
 * before markup; quotes doubled). */
static void gp_string(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s != '\0'; s++) {
        if (*s == '\'')
            fputs("''", f);
        else {
            if (markup(shown(*s)))
                fputc('\\', f);
            fputc(shown(*s), f);
        }
    }
    fputc('\'', f);
}

/* s as a double-quoted string in a data file, whose backslashes gnuplot reads as
 * escapes before enhanced text sees them: two before markup.  No quotes inside: they
 * would end it. */
static void dat_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s != '\0'; s++) {
        char c = *s == '"' ? '\'' : shown(*s);

        if (markup(c))
            fputs("\\\\", f);
        fputc(c, f);
    }
    fputc('"', f);
}

void figures_put_gp_string(FILE *f, const char *s)
{
    gp_string(f, s);
}

static void gp_set_string(FILE *f, const char *name, const char *value)
{
    fprintf(f, "%s = ", name);
    gp_string(f, value);
    fputc('\n', f);
}

/* array NAME[n] = ['a', 'b'] */
static void gp_array(FILE *f, const char *name, const char *const *values, size_t n)
{
    fprintf(f, "array %s[%zu] = [", name, n);
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            fputs(", ", f);
        gp_string(f, values[i]);
    }
    fputs("]\n", f);
}

static void gp_numbers(FILE *f, const char *name, const double *values, size_t n)
{
    fprintf(f, "array %s[%zu] = [", name, n);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s%.9g", i > 0 ? ", " : "", values[i]);
    fputs("]\n", f);
}

static void end_block(FILE *dat)
{
    fputs("\n\n", dat);
}

/* Whether the runs say their PUs are SMT threads: fewer cores than PUs. */
static bool smt(const struct results *r)
{
    return r->cores > 0 && r->cores < r->pus;
}

/* A figure's subtitle: the machine, its cores (where SMT makes them fewer than the
 * PUs) and PUs, the kernel size(s) it shows (the notebook's unless `sizes` says
 * otherwise) and the date; then `pus`, `cores` (0 when the runs do not say) and `smt`,
 * the label of the PUs beyond the cores ('' without SMT). */
static void gp_title(FILE *gp, const struct results *r, const char *sizes)
{
    const struct summary_case *c = results_first(r);
    char text[512], machine[64], size[64], label[64] = "";

    if (smt(r))
        snprintf(machine, sizeof machine, "%lu cores, %lu PUs", r->cores, r->pus);
    else
        snprintf(machine, sizeof machine, "%lu PUs", r->pus);
    snprintf(size, sizeof size, "n = %lu", c->size);
    snprintf(text, sizeof text, "%s, %s, %s, %.10s", c->host, machine, sizes ? sizes : size,
             c->started_at);
    gp_set_string(gp, "title", text);
    fprintf(gp, "pus = %lu\ncores = %lu\n", r->pus, r->cores);
    if (smt(r) && r->pus % r->cores == 0)
        snprintf(label, sizeof label, "SMT: %lu PUs per core", r->pus / r->cores);
    else if (smt(r))
        snprintf(label, sizeof label, "SMT: %lu PUs on %lu cores", r->pus, r->cores);
    gp_set_string(gp, "smt", label);
}

/* The kernel sizes of the cases a figure draws, for its title. */
struct span {
    unsigned long low, high;
    bool any;
};

static void span_add(struct span *s, const struct summary_case *c)
{
    if (!s->any || c->size < s->low)
        s->low = c->size;
    if (!s->any || c->size > s->high)
        s->high = c->size;
    s->any = true;
}

/* "n = 80" or "n = 80 to 108" into text, or NULL (the notebook's n) when s is empty. */
static const char *span_text(const struct span *s, char *text, size_t len)
{
    if (!s->any)
        return NULL;
    if (s->low == s->high)
        snprintf(text, len, "n = %lu", s->low);
    else
        snprintf(text, len, "n = %lu to %lu", s->low, s->high);
    return text;
}

/* The labels and colours of the blocks written, to be set as arrays. */
struct blocks {
    const char **names, **colours;
    size_t n;
};

static int blocks_init(struct blocks *b, size_t max)
{
    b->n = 0;
    b->names = calloc(max + 1, sizeof *b->names);
    b->colours = calloc(max + 1, sizeof *b->colours);
    return b->names && b->colours ? 0 : -1;
}

static void blocks_add(struct blocks *b, const char *name, const char *colour)
{
    b->names[b->n] = name;
    b->colours[b->n++] = colour;
}

static void blocks_write(struct blocks *b, FILE *gp)
{
    fprintf(gp, "n = %zu\n", b->n);
    if (b->n > 0) {
        gp_array(gp, "names", b->names, b->n);
        gp_array(gp, "colours", b->colours, b->n);
    }
    free(b->names);
    free(b->colours);
}

/* Each writer returns NULL when it wrote the figure's data, or why there is none (in
 * why[len], or no_memory); it adds the marks it draws one by one (bars, dots) to *marks. */
typedef const char *figure_writer(const struct results *r, FILE *dat, FILE *gp, size_t *marks,
                                  char *why, size_t len);

static const char *no_memory = "out of memory";

/* ---- why a figure has no data ---------------------------------------------------- */

/* Each reason names what is missing (which file, which runs) and a command that adds
 * it, so that a student with partial results knows what to run next. */
static const char *because(char *why, size_t len, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static const char *because(char *why, size_t len, const char *format, ...)
{
    va_list ap;

    va_start(ap, format);
    vsnprintf(why, len, format, ap);
    va_end(ap);
    return why;
}

static const char *runs_path(const struct results *r)
{
    return r->paths.runs ? r->paths.runs : "runs.csv";
}

static const char *jobs_path(const struct results *r)
{
    return r->paths.jobs ? r->paths.jobs : "jobs.csv";
}

/* What "unpinned, lock none or held" leaves out besides: the figures' series. */
static const char *const plain_runs = "without --payload or --switch-interval";

/* The W to suggest for a run that is missing: the notebook's, or the lecture's 3. */
static unsigned long suggested_workers(const struct results *r)
{
    return r->workers > 1 ? r->workers : 3;
}

/* "-j 4 -n 80 ": the options that give a new run c's jobs and size ("" without c). */
struct options_text {
    char text[64];
};

static struct options_text same_as(const struct summary_case *c)
{
    struct options_text o = {""};

    if (c != NULL)
        snprintf(o.text, sizeof o.text, "-j %lu -n %lu ", c->jobs, c->size);
    return o;
}

/* The distinct jobs and sizes of some cases, the first three of them. */
struct sizes {
    unsigned long jobs[3], size[3];
    size_t n;
    bool more;
};

static void sizes_add(struct sizes *s, const struct summary_case *c)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->jobs[i] == c->jobs && s->size[i] == c->size)
            return;
    if (s->n == sizeof s->jobs / sizeof s->jobs[0]) {
        s->more = true;
        return;
    }
    s->jobs[s->n] = c->jobs;
    s->size[s->n++] = c->size;
}

/* "4 jobs of n = 80, 12 jobs of n = 100, ..." */
static void sizes_text(const struct sizes *s, char *text, size_t len)
{
    size_t used = 0;

    text[0] = '\0';
    for (size_t i = 0; i < s->n && used < len; i++)
        used += (size_t)snprintf(text + used, len - used, "%s%lu jobs of n = %lu",
                                 i ? ", " : "", s->jobs[i], s->size[i]);
    if (s->more && used < len)
        snprintf(text + used, len - used, ", ...");
}

/* The jobs and sizes of the serial runs speedups could divide by. */
static struct sizes serial_sizes(const struct results *r)
{
    struct sizes s = {.n = 0};

    for (size_t i = 0; i < r->runs.ncases; i++) {
        const struct summary_case *c = &r->runs.cases[i];

        if (r->backend_of[i]->baseline && strcmp(c->pin, "none") == 0 && c->plain)
            sizes_add(&s, c);
    }
    return s;
}

/* The first case of the first series, or NULL when there is none. */
static const struct summary_case *first_series_case(const struct results *r)
{
    for (size_t k = 0; k < r->nseries; k++) {
        const struct summary_case **sweep, *c;
        size_t n = results_sweep(r, &r->series[k], &sweep);

        if (n == (size_t)-1) /* out of memory: a reason without the sizes, then */
            continue;
        c = n > 0 ? sweep[0] : NULL;
        free(sweep);
        if (c != NULL)
            return c;
    }
    return NULL;
}

/* Why runs that need a serial run of their jobs and size have none: `runs` names
 * them, `sizes` holds their jobs and sizes, `first` is one of them. */
static const char *no_serial_of_their_size(const struct results *r, const char *runs,
                                           const struct sizes *theirs,
                                           const struct summary_case *first, char *why,
                                           size_t len)
{
    struct sizes serial = serial_sizes(r);
    char them[160], base[160];

    if (r->serial == NULL)
        return because(why, len,
                       "no serial run to divide by; bin/parlab-serial %s--runs-csv '%s' adds "
                       "one with the jobs and size of the %s",
                       same_as(first).text, runs_path(r), runs);
    sizes_text(theirs, them, sizeof them);
    sizes_text(&serial, base, sizeof base);
    return because(why, len,
                   "no serial run has the jobs and size of any of the %s (%s; serial: %s), "
                   "and a speedup divides by the same jobs; bin/parlab-serial %s--runs-csv "
                   "'%s' adds one",
                   runs, them, base, same_as(first).text, runs_path(r));
}

/* Why a figure that draws jobs has none of the runs it needs (`what` says what it
 * draws, `runs` which runs they are). */
static const char *no_jobs_of(const struct results *r, const char *what, const char *runs,
                              char *why, size_t len)
{
    if (!r->have_jobs)
        return because(why, len,
                       "no jobs CSV: '%s' is missing, and the figure draws %s; the "
                       "programs write it with --jobs-csv '%s' (make run-all does)",
                       jobs_path(r), what, jobs_path(r));
    return because(why, len, "'%s' holds no jobs of %s; run them again with --jobs-csv '%s'",
                   jobs_path(r), runs, jobs_path(r));
}

/* ---- wall-vs-cpu ----------------------------------------------------------------- */

static void wall_row(FILE *dat, const char *label, const struct summary_case *c)
{
    dat_string(dat, label);
    fprintf(dat, " %.6f %.6f %.6f\n", c->wall.median, c->cpu_self.median,
            c->cpu_children.median);
}

/* Whether a and b ran the same jobs of the same size (their times compare). */
static bool same_jobs(const struct summary_case *a, const struct summary_case *b)
{
    return a != NULL && b != NULL && a->jobs == b->jobs && a->size == b->size;
}

/* The notebook's cases, the serial one and each series' at the notebook's W, are set
 * side by side only where they ran the same jobs: the case whose jobs and size most of
 * them share (the serial one's on a tie), or NULL when there are none. */
static const struct summary_case *one_size_of_cases(const struct results *r)
{
    const struct summary_case *best = NULL;
    size_t best_count = 0, n = 0;
    const struct summary_case **cases = calloc(r->nseries + 1, sizeof *cases);

    if (cases == NULL) /* the first case alone, then */
        return r->serial;
    if (r->serial != NULL)
        cases[n++] = r->serial;
    for (size_t k = 0; k < r->nseries; k++) {
        const struct summary_case *c = results_series_case(r, &r->series[k], r->workers, "none");

        if (c != NULL)
            cases[n++] = c;
    }
    for (size_t i = 0; i < n; i++) {
        size_t count = 0;

        for (size_t k = 0; k < n; k++)
            count += same_jobs(cases[i], cases[k]);
        if (count > best_count) {
            best = cases[i];
            best_count = count;
        }
    }
    free(cases);
    return best;
}

/* Whether case c's CPU time is its workers' own clocks summed, none a child of another:
 * MPI ranks (cpu_self_s holds every rank's own). */
static bool own_clocks(const struct results *r, const struct summary_case *c)
{
    return results_backend(r, c)->worker == WORKER_RANK;
}

static const char *write_wall_vs_cpu(const struct results *r, FILE *dat, FILE *gp, size_t *marks,
                                     char *why, size_t len)
{
    const struct summary_case *shown = one_size_of_cases(r);
    size_t rows = 0, left_out = 0, summed = 0;
    double *own = calloc(r->nseries + 1, sizeof *own);
    char sizes[96];

    (void)marks;
    if (own == NULL)
        return no_memory;
    fprintf(dat, "# case wall_s cpu_self_s cpu_children_s (medians), W = %lu\n", r->workers);
    if (r->serial != NULL && same_jobs(r->serial, shown)) {
        wall_row(dat, results_backend(r, r->serial)->label, r->serial);
        rows++;
    }
    left_out += r->serial != NULL && !same_jobs(r->serial, shown);
    for (size_t k = 0; k < r->nseries; k++) {
        const struct summary_case *c = results_series_case(r, &r->series[k], r->workers, "none");

        if (c != NULL && same_jobs(c, shown)) {
            wall_row(dat, r->series[k].label, c);
            summed += own[rows++] = own_clocks(r, c);
        }
        left_out += c != NULL && !same_jobs(c, shown);
    }
    if (rows > 0) { /* the rows whose CPU time is drawn as every rank's own, summed */
        fprintf(gp, "summed = %zu\n", summed);
        gp_numbers(gp, "own_clocks", own, rows);
    }
    free(own);
    if (rows == 0 && r->nseries == 0)
        return because(why, len,
                       "none of the notebook's cases: no serial run, and no unpinned parallel "
                       "run with lock none or held (%s); bin/parlab-serial --runs-csv '%s' "
                       "adds one",
                       plain_runs, runs_path(r));
    if (rows == 0)
        return because(why, len,
                       "none of the notebook's cases: no serial run, and none of the unpinned "
                       "parallel runs has W = %lu, the notebook's workers; bin/parlab-serial "
                       "--runs-csv '%s' adds one",
                       r->workers, runs_path(r));
    snprintf(sizes, sizeof sizes, "n = %lu%s", shown->size,
             left_out ? " (cases of other sizes or jobs left out)" : "");
    gp_title(gp, r, sizes);
    fprintf(gp, "workers = %lu\nrows = %zu\n", r->workers, rows);
    return NULL;
}

/* ---- speedup --------------------------------------------------------------------- */

/* The speedup of c over the serial run of its own jobs and size: median, and the
 * range over the counted runs. */
static bool speedups(const struct results *r, const struct summary_case *c, double s[3])
{
    double base = results_serial_wall(r, c);

    if (base <= 0 || c->wall.min <= 0)
        return false;
    s[0] = base / c->wall.median;
    s[1] = base / c->wall.max;
    s[2] = base / c->wall.min;
    return true;
}

static const char *write_speedup(const struct results *r, FILE *dat, FILE *gp, size_t *marks,
                                 char *why, size_t len)
{
    const struct summary_case *first = first_series_case(r);
    struct sizes theirs = {.n = 0};
    struct span drawn = {0};
    char title[64];
    struct blocks b;

    (void)marks;
    if (first == NULL)
        return because(why, len,
                       "no unpinned parallel run with lock none or held (%s) to set against "
                       "a serial run; bin/parlab-threads -w %lu %s--runs-csv '%s' adds one",
                       plain_runs, suggested_workers(r), same_as(r->serial).text, runs_path(r));
    if (blocks_init(&b, r->nseries) != 0)
        return no_memory;
    for (size_t k = 0; k < r->nseries; k++) {
        const struct summary_case **sweep;
        size_t n = results_sweep(r, &r->series[k], &sweep), rows = 0;

        if (n == (size_t)-1) {
            blocks_write(&b, gp);
            return no_memory;
        }
        for (size_t i = 0; i < n; i++) {
            double s[3];

            sizes_add(&theirs, sweep[i]);
            if (!speedups(r, sweep[i], s))
                continue;
            span_add(&drawn, sweep[i]);
            if (rows++ == 0)
                fprintf(dat, "# %s: workers speedup_median speedup_low speedup_high\n",
                        r->series[k].label);
            fprintf(dat, "%lu %.6f %.6f %.6f\n", sweep[i]->workers, s[0], s[1], s[2]);
        }
        free(sweep);
        if (rows > 0) {
            end_block(dat);
            blocks_add(&b, r->series[k].label, r->series[k].colour);
        }
    }
    if (b.n == 0) {
        blocks_write(&b, gp);
        return no_serial_of_their_size(r, "parallel runs", &theirs, first, why, len);
    }
    gp_title(gp, r, span_text(&drawn, title, sizeof title));
    blocks_write(&b, gp);
    return NULL;
}

/* ---- amdahl ---------------------------------------------------------------------- */

/* The most workers that compute at once in Amdahl's prediction: the cores, as a core's
 * SMT threads share its units; the PUs where the runs do not say. */
static unsigned long ideal_workers(const struct results *r)
{
    return r->cores > 0 && r->cores < r->pus ? r->cores : r->pus;
}

static const char *write_amdahl(const struct results *r, FILE *dat, FILE *gp, size_t *marks,
                                char *why, size_t len)
{
    double *f, *drawn;
    size_t n = results_fractions(r, &f), ndrawn = 0, nw;
    unsigned long *ws;
    char sizes[128];
    const struct summary_case *first = NULL;
    struct sizes theirs = {.n = 0};

    (void)marks;
    if (n == (size_t)-1)
        return no_memory;
    if (n == 0)
        return because(why, len,
                       "no unpinned run of workers that share memory (threads) with lock "
                       "none, held or fraction:F (%s); bin/parlab-threads -w %lu -l "
                       "fraction:0.5 %s--runs-csv '%s' adds one",
                       plain_runs, suggested_workers(r), same_as(r->serial).text, runs_path(r));
    drawn = malloc(n * sizeof *drawn);
    nw = results_worker_counts(r, &ws);
    if (drawn == NULL || nw == (size_t)-1) {
        free(f);
        free(drawn);
        return no_memory;
    }
    for (size_t i = 0; i < n; i++) {
        size_t rows = 0;

        for (size_t k = 0; k < nw; k++) {
            unsigned long w = ws[k];
            const struct summary_case *c = results_fraction_case(r, f[i], w);
            double p = (double)(w < ideal_workers(r) ? w : ideal_workers(r)), s[3];

            if (c == NULL)
                continue;
            sizes_add(&theirs, c);
            first = first ? first : c;
            if (!speedups(r, c, s))
                continue;
            if (rows++ == 0)
                fprintf(dat, "# F = %g: workers speedup_median speedup_low speedup_high "
                             "amdahl\n",
                        f[i]);
            fprintf(dat, "%lu %.6f %.6f %.6f %.6f\n", w, s[0], s[1], s[2],
                    results_amdahl(f[i], p));
        }
        if (rows > 0) {
            end_block(dat);
            drawn[ndrawn++] = f[i];
        }
    }
    free(ws);
    if (ndrawn == 0) {
        free(f);
        free(drawn);
        return no_serial_of_their_size(r, "lock-fraction runs", &theirs, first, why, len);
    }
    results_fraction_sizes(r, sizes, sizeof sizes);
    gp_title(gp, r, sizes);
    fprintf(gp, "n = %zu\n", ndrawn);
    gp_numbers(gp, "fractions", drawn, ndrawn);
    free(f);
    free(drawn);
    return NULL;
}

/* ---- timeline -------------------------------------------------------------------- */

/* More jobs than this in a panel, and their numbers are not printed on the bars. */
#define TIMELINE_MAX_LABELS 200
/* More lanes than this in a panel, and they are numbered, not named. */
#define TIMELINE_MAX_NAMED_LANES 32
/* A lane's name: a host of up to 40 characters, a rank and a thread. */
#define LANE_NAME 96

/* How a panel's lanes are named: numbered (0, 1, ...), by host and rank, or by host,
 * rank and thread. */
enum lane_naming { LANES_NUMBERED, LANES_BY_RANK, LANES_BY_THREAD };

/* The lanes of an MPI run named by where they ran, into names[0 .. c->workers): "vm r1",
 * or "vm r0 t1" in a hybrid run (threads in ranks), from the jobs each lane ran; a lane
 * that ran none is named by its rank and thread (worker = rank x T + thread) where the
 * ranks column gives T, and by the host of its rank's other lanes.  Returns what the
 * names say: LANES_NUMBERED (none named) when the jobs have no rank (other programs,
 * files from before the columns) or the lanes are too many to name one by one. */
static enum lane_naming name_lanes(const struct summary_case *c, const struct results_job *j,
                                   size_t n, char (*names)[LANE_NAME])
{
    unsigned long w = c->workers, per_rank = summary_threads_per_rank(c);
    bool any = false, threads = summary_hybrid(c);
    long *rank, *thread;
    const char **host;

    for (size_t i = 0; i < n; i++) {
        any = any || j[i].rank >= 0;
        threads = threads || j[i].thread > 0;
    }
    if (!any || w == 0 || w > TIMELINE_MAX_NAMED_LANES)
        return LANES_NUMBERED;
    rank = malloc(w * sizeof *rank);
    thread = malloc(w * sizeof *thread);
    host = calloc(w, sizeof *host);
    if (rank == NULL || thread == NULL || host == NULL) {
        free(rank);
        free(thread);
        free(host);
        return LANES_NUMBERED; /* out of memory: numbered lanes, then */
    }
    for (unsigned long k = 0; k < w; k++) {
        rank[k] = per_rank > 0 ? (long)(k / per_rank) : threads ? -1 : (long)k;
        thread[k] = per_rank > 0 ? (long)(k % per_rank) : threads ? -1 : 0;
    }
    for (size_t i = 0; i < n; i++)
        if (j[i].rank >= 0 && j[i].worker >= 0 && (unsigned long)j[i].worker < w) {
            rank[j[i].worker] = j[i].rank;
            thread[j[i].worker] = j[i].thread;
            host[j[i].worker] = j[i].host;
        }
    for (unsigned long k = 0; k < w; k++) {
        for (unsigned long o = 0; host[k] == NULL && rank[k] >= 0 && o < w; o++)
            if (rank[o] == rank[k] && host[o] != NULL) /* a lane of its rank that ran jobs */
                host[k] = host[o];
        if (rank[k] < 0) /* neither its jobs nor the ranks column say */
            snprintf(names[k], LANE_NAME, "%lu", k);
        else if (threads)
            snprintf(names[k], LANE_NAME, "%.40s%sr%ld t%ld", host[k] ? host[k] : "",
                     host[k] && host[k][0] ? " " : "", rank[k], thread[k]);
        else
            snprintf(names[k], LANE_NAME, "%.40s%sr%ld", host[k] ? host[k] : "",
                     host[k] && host[k][0] ? " " : "", rank[k]);
    }
    free(rank);
    free(thread);
    free(host);
    return threads ? LANES_BY_THREAD : LANES_BY_RANK;
}

static void timeline_jobs(const struct results *r, const struct summary_case *c, FILE *dat,
                          const char *label)
{
    const struct results_job *j;
    size_t n = results_jobs_of(r, c->median_run, &j);

    fprintf(dat, "# %s, W = %lu, run %s: worker t_start_s t_end_s lock_wait_from_s job cpu_s\n",
            label, c->workers, c->median_run);
    for (size_t i = 0; i < n; i++)
        fprintf(dat, "%ld %.6f %.6f %.6f %ld %.6f\n", j[i].worker, j[i].t_start, j[i].t_end,
                j[i].t_start - j[i].lock_wait, j[i].job, j[i].cpu);
    end_block(dat);
}

static const char *write_timeline(const struct results *r, FILE *dat, FILE *gp, size_t *marks,
                                  char *why, size_t len)
{
    size_t max = r->nseries + 1, n = 0, named = 0, widest = 0;
    const char **names = calloc(max, sizeof *names), **colours = calloc(max, sizeof *colours);
    double *lanes = calloc(max, sizeof *lanes), *slices = calloc(max, sizeof *slices);
    double *labelled = calloc(max, sizeof *labelled), *lane_from = calloc(max, sizeof *lane_from);
    char (*lane_names)[LANE_NAME] = calloc(max * TIMELINE_MAX_NAMED_LANES, sizeof *lane_names);
    char (*titles)[160] = calloc(max, sizeof *titles);
    char switching[256];
    const char *none = NULL;
    size_t candidates = r->switching != NULL; /* runs it would draw, given their jobs */
    struct span drawn = {0};
    char title[64];

    if (names == NULL || colours == NULL || lanes == NULL || slices == NULL || labelled == NULL ||
        lane_from == NULL || lane_names == NULL || titles == NULL) {
        none = no_memory;
        goto done;
    }
    for (size_t k = 0; k < r->nseries; k++) {
        const struct summary_case *c = results_series_case(r, &r->series[k], r->workers, "none");
        const struct results_job *j;
        size_t jobs = c ? results_jobs_of(r, c->median_run, &j) : 0;

        candidates += c != NULL;
        if (jobs == 0)
            continue;
        timeline_jobs(r, c, dat, r->series[k].label);
        span_add(&drawn, c);
        *marks += 3 * jobs;
        names[n] = r->series[k].label;
        enum lane_naming naming = name_lanes(c, j, jobs, &lane_names[named]);
        if (naming != LANES_NUMBERED) { /* lanes by host and rank */
            lane_from[n] = (double)named + 1; /* gnuplot counts from 1 */
            for (unsigned long w = 0; w < c->workers; w++)
                if (strlen(lane_names[named + w]) > widest)
                    widest = strlen(lane_names[named + w]);
            snprintf(titles[n], sizeof titles[n], "%s, a lane per %s", r->series[k].label,
                     naming == LANES_BY_THREAD ? "thread: its host, rank (rN) and thread (tN)"
                                               : "rank: its host and rank (rN)");
            names[n] = titles[n];
            named += c->workers;
        }
        colours[n] = r->series[k].colour;
        lanes[n] = (double)c->workers;
        labelled[n] = jobs <= TIMELINE_MAX_LABELS;
        slices[n++] = 0;
    }
    if (r->switching != NULL) {
        const struct summary_case *c = r->switching;
        const struct results_slice *s;
        size_t count = results_slices_of(r, c->median_run, &s);
        const char *every = strncmp(c->variant, "switch=", 7) == 0 ? c->variant + 7 : c->variant;
        double serial = results_serial_wall(r, c);
        int used;

        if (count > 0) {
            fprintf(dat, "# %s, lock held, %s, run %s: worker t_start_s t_end_s job (the "
                         "slices in which each job held the lock)\n",
                    results_backend(r, c)->label, c->variant, c->median_run);
            for (size_t i = 0; i < count; i++)
                fprintf(dat, "%ld %.6f %.6f %ld\n", s[i].worker, s[i].t_start, s[i].t_end,
                        s[i].job);
            *marks += count;
            end_block(dat);
            used = snprintf(switching, sizeof switching,
                            "%s, lock held, handed over every %g ms (GIL-style switching): "
                            "jobs of n = %lu",
                            results_backend(r, c)->label, strtod(every, NULL), c->size);
            if (serial > 0 && used > 0 && (size_t)used < sizeof switching)
                snprintf(switching + used, sizeof switching - (size_t)used,
                         ", %.2f s when run serially", serial);
            names[n] = switching;
            colours[n] = results_backend(r, c)->colour ? results_backend(r, c)->colour
                                                       : "#4c72b0";
            lanes[n] = (double)c->workers;
            labelled[n] = 0;
            slices[n++] = 1;
        }
    }
    if (n == 0 && candidates == 0 && r->nseries == 0)
        none = because(why, len,
                       "no unpinned parallel run with lock none or held (%s); "
                       "bin/parlab-threads -w %lu --runs-csv '%s' --jobs-csv '%s' adds one",
                       plain_runs, suggested_workers(r), runs_path(r), jobs_path(r));
    else if (n == 0 && candidates == 0)
        none = because(why, len,
                       "none of the unpinned parallel runs has W = %lu, the notebook's "
                       "workers; bin/parlab-threads -w %lu --runs-csv '%s' --jobs-csv '%s' "
                       "adds one",
                       r->workers, r->workers, runs_path(r), jobs_path(r));
    else if (n == 0) {
        char runs[64], what[96];

        snprintf(runs, sizeof runs, "the unpinned runs with W = %lu", r->workers);
        snprintf(what, sizeof what, "the jobs of one run with W = %lu, the notebook's workers",
                 r->workers);
        none = no_jobs_of(r, what, runs, why, len);
    }
    if (n == 0)
        goto done;
    if (!drawn.any) /* the switching panel alone: its jobs' size */
        span_add(&drawn, r->switching);
    gp_title(gp, r, span_text(&drawn, title, sizeof title));
    fprintf(gp, "workers = %lu\nn = %zu\n", r->workers, n);
    gp_array(gp, "names", names, n);
    gp_array(gp, "colours", colours, n);
    gp_numbers(gp, "lanes", lanes, n);
    gp_numbers(gp, "slices", slices, n);
    gp_numbers(gp, "labelled", labelled, n);
    gp_numbers(gp, "lane_from", lane_from, n);
    fprintf(gp, "lane_chars = %zu\n", widest);
    if (named > 0) {
        const char **list = calloc(named, sizeof *list);

        if (list == NULL) {
            none = no_memory;
            goto done;
        }
        for (size_t k = 0; k < named; k++)
            list[k] = lane_names[k];
        gp_array(gp, "lane_names", list, named);
        free(list);
    }
done:
    free(names);
    free(colours);
    free(lanes);
    free(slices);
    free(labelled);
    free(lane_from);
    free(lane_names);
    free(titles);
    return none;
}

/* ---- placement ------------------------------------------------------------------- */

static const char *write_placement(const struct results *r, FILE *dat, FILE *gp, size_t *marks,
                                   char *why, size_t len)
{
    struct results_pinning pin;
    size_t n, panels = 0;
    const char **titles;
    double *has;
    char (*text)[128], title[64];
    const char *none = NULL;
    struct span drawn = {0};

    if (results_pinning(r, &pin) != 0)
        return no_memory;
    if (pin.nbackends == 0) {
        results_pinning_release(&pin);
        return because(why, len,
                       "no pinned runs; bin/parlab-threads -w 2 -p close --runs-csv '%s' "
                       "--jobs-csv '%s' adds one",
                       runs_path(r), jobs_path(r));
    }
    n = pin.nbackends * pin.npins;
    titles = calloc(n, sizeof *titles);
    has = calloc(n, sizeof *has);
    text = calloc(n, sizeof *text);
    if (titles == NULL || has == NULL || text == NULL) {
        none = no_memory;
        goto done;
    }
    for (size_t m = 0; m < pin.nbackends; m++)
        for (size_t k = 0; k < pin.npins; k++) {
            size_t i = m * pin.npins + k;
            const struct summary_case *c = results_pinned_case(r, &pin, m, k);
            const struct results_job *j;
            size_t jobs = c ? results_jobs_of(r, c->median_run, &j) : 0;

            snprintf(text[i], sizeof text[i], "%s, --pin %s", pin.backends[m]->label,
                     pin.pins[k]);
            titles[i] = text[i];
            fprintf(dat, "# %s, lock %s, W = %lu, run %s: job pu_start pu_end worker\n",
                    text[i], pin.locks[m], r->pin_workers, c ? c->median_run : "(none)");
            for (size_t x = 0; x < jobs; x++)
                fprintf(dat, "%ld %ld %ld %ld\n", j[x].job, j[x].pu_start, j[x].pu_end,
                        j[x].worker);
            if (jobs == 0) /* gnuplot does not count a block without a data line */
                fprintf(dat, "NaN NaN NaN NaN\n");
            end_block(dat);
            has[i] = jobs > 0;
            panels += jobs > 0;
            if (jobs > 0)
                span_add(&drawn, c);
            *marks += 2 * jobs;
        }
    if (panels == 0) {
        none = no_jobs_of(r, "the PUs the pinned runs' jobs ran on", "the pinned runs", why, len);
        goto done;
    }
    gp_title(gp, r, span_text(&drawn, title, sizeof title));
    fprintf(gp, "workers = %lu\nrows = %zu\ncolumns = %zu\nn = %zu\n", r->pin_workers,
            pin.nbackends, pin.npins, n);
    gp_array(gp, "names", titles, n);
    gp_numbers(gp, "has", has, n);
done:
    results_pinning_release(&pin);
    free(titles);
    free(has);
    free(text);
    return none;
}

/* ---- copy-cost ------------------------------------------------------------------- */

static const char *write_copy_cost(const struct results *r, FILE *dat, FILE *gp, size_t *marks,
                                   char *why, size_t len)
{
    unsigned long long *sizes;
    size_t n = results_payload_sizes(r, &sizes);
    struct blocks b;
    char copied[256] = "", text[64];
    double kernel = 0;
    unsigned long size = 0;

    (void)marks;
    if (n == (size_t)-1)
        return no_memory;
    if (n == 0 || r->ncarriers == 0) {
        free(sizes);
        return because(why, len,
                       "no payload runs; bin/parlab-procs -w 2 --payload 64K --transport pipe "
                       "--runs-csv '%s' --jobs-csv '%s' adds one",
                       runs_path(r), jobs_path(r));
    }
    if (blocks_init(&b, r->ncarriers) != 0) {
        free(sizes);
        return no_memory;
    }
    for (size_t k = 0; k < r->ncarriers; k++) {
        size_t rows = 0;
        bool copies = false;

        for (size_t i = 0; i < n; i++) {
            const struct summary_case *c = results_payload_case(r, k, sizes[i]);
            struct results_run f;

            if (results_run_facts(r, c, &f) != 0)
                continue;
            if (rows++ == 0)
                fprintf(dat, "# %s: payload_bytes job_s kernel_s copy_bandwidth_gbs (medians "
                             "over the jobs)\n",
                        r->carriers[k].label);
            if (f.copied > 0)
                fprintf(dat, "%llu %.9f %.9f %.6f\n", sizes[i], f.job_s, f.kernel_s,
                        f.bandwidth / 1e9);
            else
                fprintf(dat, "%llu %.9f %.9f NaN\n", sizes[i], f.job_s, f.kernel_s);
            copies = copies || f.copied > 0;
            if (kernel == 0 && i == 0) /* the smallest payload: the kernel's own time */
                kernel = f.kernel_s;
            if (size == 0)
                size = c->size;
        }
        if (rows == 0)
            continue;
        end_block(dat);
        blocks_add(&b, r->carriers[k].label, r->carriers[k].colour);
        if (copies && strlen(copied) + 8 < sizeof copied)
            snprintf(copied + strlen(copied), sizeof copied - strlen(copied), "%s%zu",
                     copied[0] ? " " : "", b.n);
    }
    free(sizes);
    if (b.n == 0) {
        blocks_write(&b, gp);
        return no_jobs_of(r, "the time per job of the payload runs", "the payload runs", why,
                          len);
    }
    snprintf(text, sizeof text, "n = %lu", size);
    gp_title(gp, r, text);
    blocks_write(&b, gp);
    gp_set_string(gp, "copied", copied);
    fprintf(gp, "memcpy = %.6f\nkernel = %.9f\n", results_memcpy_bandwidth(r) / 1e9, kernel);
    return NULL;
}

/* ---- granularity ----------------------------------------------------------------- */

/* A line's legend: its backend's label, with its W when another line has the backend. */
static void granularity_label(const struct granularity *g, const struct granularity_line *l,
                              char *text, size_t len)
{
    bool shared = false;

    for (size_t k = 0; k < g->nlines; k++)
        shared = shared || (&g->lines[k] != l && g->lines[k].backend == l->backend);
    if (shared)
        snprintf(text, len, "%s, W = %lu", l->backend->label, l->workers);
    else
        snprintf(text, len, "%s", l->backend->label);
}

static const char *write_granularity(const struct results *r, FILE *dat, FILE *gp,
                                     size_t *marks, char *why, size_t len)
{
    const struct granularity *g = &r->granularity;
    const char *file = r->paths.granularity ? r->paths.granularity : "granularity.csv";
    char (*labels)[96];
    double *workers, *overhead, ideal = 0;
    struct span drawn = {0};
    char title[96], sizes[64];
    struct blocks b;

    (void)marks;
    if (!g->have)
        return because(why, len,
                       "no granularity sweep ('%s' is missing); make run-all, which runs "
                       "it at W = PUs for jobs of 1 us to 100 ms (docs/run-all.md), adds one",
                       file);
    labels = calloc(g->nlines + 1, sizeof *labels);
    workers = calloc(g->nlines + 1, sizeof *workers);
    overhead = calloc(g->nlines + 1, sizeof *overhead);
    if (labels == NULL || workers == NULL || overhead == NULL || blocks_init(&b, g->nlines) != 0) {
        free(labels);
        free(workers);
        free(overhead);
        return no_memory;
    }
    for (size_t k = 0; k < g->nlines; k++) {
        const struct granularity_line *l = &g->lines[k];

        if (l->npoints == 0)
            continue;
        granularity_label(g, l, labels[b.n], sizeof labels[b.n]);
        fprintf(dat, "# %s: job_us speedup_median speedup_low speedup_high predicted "
                     "(W = %lu; job_us: the serial run's median wall time / jobs)\n",
                labels[b.n], l->workers);
        for (size_t i = 0; i < l->npoints; i++) {
            const struct granularity_point *p = &l->points[i];

            span_add(&drawn, p->c);
            fprintf(dat, "%.6g %.6f %.6f %.6f ", p->job_s * 1e6, p->speedup, p->low, p->high);
            if (l->has_overhead)
                fprintf(dat, "%.6f\n", granularity_predicted(p->job_s, l->overhead_s, l->workers));
            else
                fputs("NaN\n", dat);
        }
        end_block(dat);
        workers[b.n] = (double)l->workers;
        overhead[b.n] = l->has_overhead ? l->overhead_s * 1e6 : -1;
        if (granularity_ideal(l) > ideal)
            ideal = granularity_ideal(l);
        blocks_add(&b, labels[b.n], l->colour);
    }
    if (b.n == 0) {
        blocks_write(&b, gp);
        free(labels);
        free(workers);
        free(overhead);
        return because(why, len,
                       "'%s' holds no parallel run with a serial run of its jobs and size "
                       "to divide by; make run-all adds one",
                       file);
    }
    snprintf(title, sizeof title, "W = %.0f, %s", workers[0],
             span_text(&drawn, sizes, sizeof sizes));
    gp_title(gp, r, title);
    gp_numbers(gp, "workers", workers, b.n);
    gp_numbers(gp, "overhead_us", overhead, b.n);
    blocks_write(&b, gp);
    fprintf(gp, "ideal = %.0f\n", ideal);
    free(labels);
    free(workers);
    free(overhead);
    return NULL;
}

/* ---- simd ------------------------------------------------------------------------ */

/* One row of a simd block: W, then c's speedup over the scalar serial run (median, low,
 * high); false (nothing written) without one. */
static bool simd_row(const struct results *r, FILE *dat, unsigned long w,
                     const struct summary_case *c, const char *head, size_t *rows)
{
    double s[3];

    if (c == NULL || !speedups(r, c, s))
        return false;
    if ((*rows)++ == 0)
        fprintf(dat, "# %s: workers speedup_median speedup_low speedup_high (over the scalar "
                     "serial run)\n",
                head);
    fprintf(dat, "%lu %.6f %.6f %.6f\n", w, s[0], s[1], s[2]);
    return true;
}

static const char *write_simd(const struct results *r, FILE *dat, FILE *gp, size_t *marks,
                              char *why, size_t len)
{
    struct results_simd simd;
    struct blocks b;
    char title[96], label[96];
    double one[3] = {0, 0, 0};
    bool has_one;

    (void)marks;
    if (results_simd(r, &simd) != 0)
        return no_memory;
    if (!simd.have) {
        results_simd_release(&simd);
        return because(why, len,
                       "no run with --kernel simd; bin/parlab-serial --kernel simd %s--runs-csv "
                       "'%s' adds one (make run-all runs the simd lesson, docs/run-all.md)",
                       same_as(r->serial).text, runs_path(r));
    }
    if (blocks_init(&b, 4) != 0) {
        results_simd_release(&simd);
        return no_memory;
    }
    has_one = simd.serial != NULL && speedups(r, simd.serial, one);
    for (int kind = 0; kind < 2; kind++) { /* scalar threads, then simd threads */
        size_t rows = 0;

        if (kind == 1 && has_one) { /* simd serial between them: one worker, at every W */
            size_t ones = 0;

            for (unsigned long w = 1; w <= (simd.most ? simd.most : 1); w++)
                simd_row(r, dat, w, simd.serial, "simd serial (one worker, at every W)", &ones);
            end_block(dat);
            snprintf(label, sizeof label, "simd serial (%s)", simd.isa[0] ? simd.isa : "simd");
            blocks_add(&b, label, "#dd8452");
        }
        for (unsigned long w = 1; w <= simd.most; w++)
            simd_row(r, dat, w, results_simd_threads(&simd, w, kind == 1),
                     kind ? "simd threads" : "scalar threads", &rows);
        if (rows > 0) {
            end_block(dat);
            blocks_add(&b, kind ? "simd threads" : "scalar threads",
                       kind ? "#c44e52" : "#4c72b0");
        }
    }
    if (has_one && simd.most > 0) { /* what multiplying predicts */
        fprintf(dat, "# simd serial x min(W, PUs): workers predicted\n");
        for (unsigned long w = 1; w <= simd.most; w++)
            fprintf(dat, "%lu %.6f\n", w, one[0] * (double)(w < r->pus ? w : r->pus));
        end_block(dat);
    }
    results_simd_release(&simd);
    if (b.n == 0) {
        blocks_write(&b, gp);
        return because(why, len,
                       "no run with --kernel simd has a scalar serial run of its jobs and "
                       "n = %lu to divide by; bin/parlab-serial -n %lu --runs-csv '%s' with "
                       "its jobs adds one",
                       simd.size, simd.size, runs_path(r));
    }
    snprintf(title, sizeof title, "n = %lu, %s", simd.size, simd.isa[0] ? simd.isa : "simd");
    gp_title(gp, r, title);
    blocks_write(&b, gp);
    fprintf(gp, "product = %d\n", has_one && simd.most > 0);
    return NULL;
}

/* ---- the table ------------------------------------------------------------------- */

static figure_writer *const writers[] = {write_wall_vs_cpu, write_speedup,   write_amdahl,
                                         write_timeline,    write_placement, write_copy_cost,
                                         write_granularity, write_simd};

const struct figure figure_table[] = {
    {"wall-vs-cpu", "the notebook's cases: wall time beside CPU time, own and children's"},
    {"speedup", "speedup over serial against workers, one line per way of running"},
    {"amdahl", "speedup against workers for each serial fraction F, with Amdahl's law"},
    {"timeline", "one run of each way of running: a lane per worker, a bar per job"},
    {"placement", "the PU each job started and ended on, by --pin policy"},
    {"copy-cost", "time per job against its payload, for each way the data travels"},
    {"granularity", "speedup against job size at W = PUs, beside what the per-job overhead "
                    "predicts"},
    {"simd", "speedup over the scalar serial run against workers: scalar threads, simd "
             "serial, simd threads, and their product"},
};
const size_t figure_count = sizeof figure_table / sizeof figure_table[0];

char *figures_path_in(const char *dir, const char *name, const char *ext)
{
    size_t len = strlen(dir) + strlen(name) + strlen(ext) + 2;
    char *p = malloc(len);

    if (p != NULL)
        snprintf(p, len, "%s/%s%s", dir, name, ext);
    return p;
}

int figures_close_checked(FILE *f)
{
    int failed = ferror(f);

    return fclose(f) != 0 || failed ? -1 : 0;
}

int figures_write(const struct results *r, const char *dir, char *why, size_t whylen)
{
    char *list_path = figures_path_in(dir, "figures", "");
    FILE *list = list_path ? fopen(list_path, "w") : NULL;
    int drawn = 0;

    if (list == NULL) {
        snprintf(why, whylen, "cannot write '%s': %s", list_path ? list_path : dir,
                 strerror(list_path ? errno : ENOMEM));
        free(list_path);
        return -1;
    }
    for (size_t i = 0; i < figure_count; i++) {
        char *dat_path = figures_path_in(dir, figure_table[i].name, ".dat");
        char *gp_path = figures_path_in(dir, figure_table[i].name, ".gp");
        FILE *dat = dat_path ? fopen(dat_path, "w") : NULL;
        FILE *gp = gp_path ? fopen(gp_path, "w") : NULL;
        const char *none;
        char reason[1024];
        size_t marks = 0;
        int failed;

        if (dat == NULL || gp == NULL) {
            snprintf(why, whylen, "cannot write '%s': %s", dat ? gp_path : dat_path,
                     strerror(errno));
            goto fail;
        }
        fprintf(gp, "# %s.gp - written by parlab-report for plots/%s.gp: %s\n",
                figure_table[i].name, figure_table[i].name, figure_table[i].about);
        none = writers[i](r, dat, gp, &marks, reason, sizeof reason);
        failed = figures_close_checked(dat);
        failed = figures_close_checked(gp) || failed;
        dat = gp = NULL;
        if (failed) {
            snprintf(why, whylen, "cannot write '%s': %s", dat_path, strerror(errno));
            goto fail;
        }
        if (none != NULL) {
            if (none == no_memory) {
                snprintf(why, whylen, "cannot write '%s': %s", dat_path, strerror(ENOMEM));
                goto fail;
            }
            remove(dat_path);
            remove(gp_path);
            fprintf(list, "%s no %s\n", figure_table[i].name, none);
        } else if (marks > FIGURES_MAX_SVG_MARKS) {
            fprintf(list, "%s png-only %zu marks (bars, dots) would make an SVG of about %zu MB: "
                          "the PNG shows them all\n",
                    figure_table[i].name, marks, marks * 430 / 1000000);
            drawn++;
        } else {
            fprintf(list, "%s yes\n", figure_table[i].name);
            drawn++;
        }
        free(dat_path);
        free(gp_path);
        continue;
    fail:
        if (dat != NULL)
            fclose(dat);
        if (gp != NULL)
            fclose(gp);
        free(dat_path);
        free(gp_path);
        fclose(list);
        free(list_path);
        return -1;
    }
    free(list_path);
    if (figures_close_checked(list) != 0) {
        snprintf(why, whylen, "cannot write the list of figures in '%s': %s", dir,
                 strerror(errno));
        return -1;
    }
    return drawn;
}
