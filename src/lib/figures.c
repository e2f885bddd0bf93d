/*
 * figures.c - each figure's data and settings, written for its gnuplot script.
 */
#include "parlab/figures.h"

#include <errno.h>
#include <math.h>
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

/* A figure's subtitle: the machine, its PUs, the kernel size(s) it shows (the
 * notebook's unless `sizes` says otherwise) and the date. */
static void gp_title(FILE *gp, const struct results *r, const char *sizes)
{
    const struct summary_case *c = results_first(r);
    char text[512];

    if (sizes != NULL)
        snprintf(text, sizeof text, "%s, %lu PUs, %s, %.10s", c->host, c->pus, sizes,
                 c->started_at);
    else
        snprintf(text, sizeof text, "%s, %lu PUs, n = %lu, %.10s", c->host, c->pus, c->size,
                 c->started_at);
    gp_set_string(gp, "title", text);
    fprintf(gp, "pus = %lu\n", r->pus);
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

/* Each writer returns NULL when it wrote the figure's data, or why there is none; it
 * adds the marks it draws one by one (bars, dots) to *marks. */
typedef const char *figure_writer(const struct results *r, FILE *dat, FILE *gp, size_t *marks);

static const char *no_memory = "out of memory";

/* ---- wall-vs-cpu ----------------------------------------------------------------- */

static void wall_row(FILE *dat, const char *label, const struct summary_case *c)
{
    dat_string(dat, label);
    fprintf(dat, " %.6f %.6f %.6f\n", c->wall.median, c->cpu_self.median,
            c->cpu_children.median);
}

static const char *write_wall_vs_cpu(const struct results *r, FILE *dat, FILE *gp, size_t *marks)
{
    size_t rows = 0;

    (void)marks;
    fprintf(dat, "# case wall_s cpu_self_s cpu_children_s (medians), W = %lu\n", r->workers);
    if (r->serial != NULL) {
        wall_row(dat, results_backend(r, r->serial)->label, r->serial);
        rows++;
    }
    for (size_t k = 0; k < r->nseries; k++) {
        const struct summary_case *c = results_series_case(r, &r->series[k], r->workers, "none");

        if (c != NULL) {
            wall_row(dat, r->series[k].label, c);
            rows++;
        }
    }
    if (rows == 0)
        return "no serial run and no run with the notebook's workers";
    gp_title(gp, r, NULL);
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

static const char *write_speedup(const struct results *r, FILE *dat, FILE *gp, size_t *marks)
{
    struct blocks b;

    (void)marks;
    if (r->serial == NULL)
        return "no serial run to divide by";
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

            if (!speedups(r, sweep[i], s))
                continue;
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
        return "no parallel run with a serial run of its size";
    }
    gp_title(gp, r, NULL);
    blocks_write(&b, gp);
    return NULL;
}

/* ---- amdahl ---------------------------------------------------------------------- */

static const char *write_amdahl(const struct results *r, FILE *dat, FILE *gp, size_t *marks)
{
    double *f, *drawn;
    size_t n = results_fractions(r, &f), ndrawn = 0, nw;
    unsigned long *ws;
    char sizes[128];

    (void)marks;
    if (n == (size_t)-1)
        return no_memory;
    if (n == 0)
        return "no runs with a lock fraction";
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
            double p = (double)(w < r->pus ? w : r->pus), s[3];

            if (c == NULL || !speedups(r, c, s))
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
        return "no lock-fraction run with a serial run of its size";
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

static const char *write_timeline(const struct results *r, FILE *dat, FILE *gp, size_t *marks)
{
    size_t max = r->nseries + 1, n = 0;
    const char **names = calloc(max, sizeof *names), **colours = calloc(max, sizeof *colours);
    double *lanes = calloc(max, sizeof *lanes), *slices = calloc(max, sizeof *slices);
    double *labelled = calloc(max, sizeof *labelled);
    char switching[256];
    const char *why = NULL;

    if (names == NULL || colours == NULL || lanes == NULL || slices == NULL || labelled == NULL) {
        why = no_memory;
        goto done;
    }
    for (size_t k = 0; k < r->nseries; k++) {
        const struct summary_case *c = results_series_case(r, &r->series[k], r->workers, "none");
        const struct results_job *j;
        size_t jobs = c ? results_jobs_of(r, c->median_run, &j) : 0;

        if (jobs == 0)
            continue;
        timeline_jobs(r, c, dat, r->series[k].label);
        *marks += 3 * jobs;
        names[n] = r->series[k].label;
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
        int len;

        if (count > 0) {
            fprintf(dat, "# %s, lock held, %s, run %s: worker t_start_s t_end_s job (the "
                         "slices in which each job held the lock)\n",
                    results_backend(r, c)->label, c->variant, c->median_run);
            for (size_t i = 0; i < count; i++)
                fprintf(dat, "%ld %.6f %.6f %ld\n", s[i].worker, s[i].t_start, s[i].t_end,
                        s[i].job);
            *marks += count;
            end_block(dat);
            len = snprintf(switching, sizeof switching,
                           "%s, lock held, handed over every %g ms (GIL-style switching): "
                           "jobs of n = %lu",
                           results_backend(r, c)->label, strtod(every, NULL), c->size);
            if (serial > 0 && len > 0 && (size_t)len < sizeof switching)
                snprintf(switching + len, sizeof switching - (size_t)len,
                         ", %.2f s when run serially", serial);
            names[n] = switching;
            colours[n] = results_backend(r, c)->colour ? results_backend(r, c)->colour
                                                       : "#4c72b0";
            lanes[n] = (double)c->workers;
            labelled[n] = 0;
            slices[n++] = 1;
        }
    }
    if (n == 0) {
        why = r->have_jobs ? "no run with the notebook's workers has jobs in the jobs CSV"
                           : "no jobs CSV";
        goto done;
    }
    gp_title(gp, r, NULL);
    fprintf(gp, "workers = %lu\nn = %zu\n", r->workers, n);
    gp_array(gp, "names", names, n);
    gp_array(gp, "colours", colours, n);
    gp_numbers(gp, "lanes", lanes, n);
    gp_numbers(gp, "slices", slices, n);
    gp_numbers(gp, "labelled", labelled, n);
done:
    free(names);
    free(colours);
    free(lanes);
    free(slices);
    free(labelled);
    return why;
}

/* ---- placement ------------------------------------------------------------------- */

static const char *write_placement(const struct results *r, FILE *dat, FILE *gp, size_t *marks)
{
    struct results_pinning pin;
    size_t n, panels = 0;
    const char **titles;
    double *has;
    char (*text)[128];
    const char *why = NULL;

    if (results_pinning(r, &pin) != 0)
        return no_memory;
    if (pin.nbackends == 0) {
        results_pinning_release(&pin);
        return "no pinned runs";
    }
    n = pin.nbackends * pin.npins;
    titles = calloc(n, sizeof *titles);
    has = calloc(n, sizeof *has);
    text = calloc(n, sizeof *text);
    if (titles == NULL || has == NULL || text == NULL) {
        why = no_memory;
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
            *marks += 2 * jobs;
        }
    if (panels == 0) {
        why = r->have_jobs ? "no jobs of the pinned runs in the jobs CSV" : "no jobs CSV";
        goto done;
    }
    gp_title(gp, r, NULL);
    fprintf(gp, "workers = %lu\nrows = %zu\ncolumns = %zu\nn = %zu\n", r->pin_workers,
            pin.nbackends, pin.npins, n);
    gp_array(gp, "names", titles, n);
    gp_numbers(gp, "has", has, n);
done:
    results_pinning_release(&pin);
    free(titles);
    free(has);
    free(text);
    return why;
}

/* ---- copy-cost ------------------------------------------------------------------- */

static const char *write_copy_cost(const struct results *r, FILE *dat, FILE *gp, size_t *marks)
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
    if (n == 0 || r->ncarriers == 0)
        return "no payload runs";
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
        return r->have_jobs ? "no jobs of the payload runs in the jobs CSV" : "no jobs CSV";
    }
    snprintf(text, sizeof text, "n = %lu", size);
    gp_title(gp, r, text);
    blocks_write(&b, gp);
    gp_set_string(gp, "copied", copied);
    fprintf(gp, "memcpy = %.6f\nkernel = %.9f\n", results_memcpy_bandwidth(r) / 1e9, kernel);
    return NULL;
}

/* ---- the table ------------------------------------------------------------------- */

static figure_writer *const writers[] = {write_wall_vs_cpu, write_speedup, write_amdahl,
                                         write_timeline,    write_placement, write_copy_cost};

const struct figure figure_table[] = {
    {"wall-vs-cpu", "the notebook's cases: wall time beside CPU time, own and children's"},
    {"speedup", "speedup over serial against workers, one line per way of running"},
    {"amdahl", "speedup against workers for each serial fraction F, with Amdahl's law"},
    {"timeline", "one run of each way of running: a lane per worker, a bar per job"},
    {"placement", "the PU each job started and ended on, by --pin policy"},
    {"copy-cost", "time per job against its payload, for each way the data travels"},
};
const size_t figure_count = sizeof figure_table / sizeof figure_table[0];

static char *path_in(const char *dir, const char *name, const char *ext)
{
    size_t len = strlen(dir) + strlen(name) + strlen(ext) + 2;
    char *p = malloc(len);

    if (p != NULL)
        snprintf(p, len, "%s/%s%s", dir, name, ext);
    return p;
}

/* Closes f; -1 when anything written to it was lost. */
static int close_checked(FILE *f)
{
    int failed = ferror(f);

    return fclose(f) != 0 || failed ? -1 : 0;
}

int figures_write(const struct results *r, const char *dir, char *why, size_t whylen)
{
    char *list_path = path_in(dir, "figures", "");
    FILE *list = list_path ? fopen(list_path, "w") : NULL;
    int drawn = 0;

    if (list == NULL) {
        snprintf(why, whylen, "cannot write '%s': %s", list_path ? list_path : dir,
                 strerror(list_path ? errno : ENOMEM));
        free(list_path);
        return -1;
    }
    for (size_t i = 0; i < figure_count; i++) {
        char *dat_path = path_in(dir, figure_table[i].name, ".dat");
        char *gp_path = path_in(dir, figure_table[i].name, ".gp");
        FILE *dat = dat_path ? fopen(dat_path, "w") : NULL;
        FILE *gp = gp_path ? fopen(gp_path, "w") : NULL;
        const char *none;
        size_t marks = 0;
        int failed;

        if (dat == NULL || gp == NULL) {
            snprintf(why, whylen, "cannot write '%s': %s", dat ? gp_path : dat_path,
                     strerror(errno));
            goto fail;
        }
        fprintf(gp, "# %s.gp - written by parlab-report for plots/%s.gp: %s\n",
                figure_table[i].name, figure_table[i].name, figure_table[i].about);
        none = writers[i](r, dat, gp, &marks);
        failed = close_checked(dat);
        failed = close_checked(gp) || failed;
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
    if (close_checked(list) != 0) {
        snprintf(why, whylen, "cannot write the list of figures in '%s': %s", dir,
                 strerror(errno));
        return -1;
    }
    return drawn;
}
