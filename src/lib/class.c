/*
 * class.c - a class's results directories, one row per student and machine.
 */
#include "parlab/class.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "parlab/csv.h"
#include "parlab/figures.h"

static const char *const column_names[CLASS_NCOLUMNS] = {
    "threads, lock none, W = PUs", "procs, W = PUs", "threads, lock held, W = 3"};

/* What a column's runs are, for "no runs of ..." */
static const char *const column_runs[CLASS_NCOLUMNS] = {
    "threads with the lock released (-l none)", "procs", "threads with the lock held (-l held)"};

const char *class_column_name(enum class_column k)
{
    return column_names[k];
}

const char *class_quiet_name(enum class_quiet q)
{
    return q == CLASS_QUIET ? "yes" : q == CLASS_NOT_QUIET ? "no" : "cannot tell";
}

void class_init(struct class *cl)
{
    *cl = (struct class){0};
}

static int fail(char *why, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Says why (a refusal) and returns 1. */
static int fail(char *why, size_t len, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, len, fmt, ap);
    va_end(ap);
    return 1;
}

static int out_of_memory(char *why, size_t len)
{
    snprintf(why, len, "%s", strerror(ENOMEM));
    errno = ENOMEM;
    return -1;
}

/* ---- the directory --------------------------------------------------------------- */

/* The last name of a path, trailing slashes aside, into name. */
static void last_name(const char *path, char *name, size_t len)
{
    size_t end = strlen(path), start;

    while (end > 1 && path[end - 1] == '/')
        end--;
    start = end;
    while (start > 0 && path[start - 1] != '/')
        start--;
    snprintf(name, len, "%.*s", (int)(end - start), path + start);
}

/* Control characters as '?', as the summary keeps the names it reads. */
static void printable(char *s)
{
    for (; *s != '\0'; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            *s = '?';
}

/* 0 when dir is a directory with something in it; else 1 with why. */
static int check_directory(const char *dir, char *why, size_t len)
{
    struct stat st;
    struct dirent *e;
    DIR *d;
    bool any = false;

    if (stat(dir, &st) != 0)
        return fail(why, len, "cannot read it: %s", strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return fail(why, len, "it is not a directory");
    if ((d = opendir(dir)) == NULL)
        return fail(why, len, "cannot read it: %s", strerror(errno));
    while (!any && (e = readdir(d)) != NULL)
        any = strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return any ? 0 : fail(why, len, "it is empty");
}

/* The student's label: the runs CSV's label column, the same in every row that has
 * one, into *label (malloc'd; NULL when no row has one).  Returns 0, 1 with why when
 * the rows name several students, -1 when out of memory.  The file was read once
 * already, so a failure to read it again is taken as no label. */
static int read_label(const char *runs, char **label, char *why, size_t len)
{
    struct csv_table t;
    const char *first = NULL, *other = NULL;
    int col;

    *label = NULL;
    if (csv_read_file(runs, &t) != 0)
        return 0;
    col = csv_column(&t, "label");
    for (size_t row = 1; col >= 0 && row < t.nrows && other == NULL; row++) {
        const char *l = csv_field(&t, row, col);

        if (l[0] == '\0')
            continue;
        if (first == NULL)
            first = l;
        else if (strcmp(l, first) != 0)
            other = l;
    }
    if (other != NULL) {
        char a[64], b[64];

        snprintf(a, sizeof a, "%s", first);
        snprintf(b, sizeof b, "%s", other);
        printable(a);
        printable(b);
        csv_table_release(&t);
        return fail(why, len, "its runs.csv holds runs of several students (labels '%s' and "
                    "'%s'): one directory per student and machine", a, b);
    }
    if (first != NULL && (*label = strdup(first)) == NULL) {
        csv_table_release(&t);
        return -1;
    }
    if (*label != NULL)
        printable(*label);
    csv_table_release(&t);
    return 0;
}

/* ---- a row's numbers ----------------------------------------------------------------- */

/* Whether program is an exercise's part (parlab-exercise's rows), of any suite. */
static bool exercise_program(const char *program)
{
    return backend_suite_exercise(program); /* not joblib-compare's suite */
}

/* The exercise of part `program`, into text: "pi" for exercise-pi-critical. */
static void exercise_name(const char *program, char *text, size_t len)
{
    static const char prefix[] = "exercise-";
    size_t suite = backend_suite_length(program);

    snprintf(text, len, "%.*s", suite > 0 ? (int)(suite - (sizeof prefix - 1)) : 0,
             program + (suite > 0 ? sizeof prefix - 1 : 0));
}

/* The series of column k: threads-like (workers sharing memory) with lock none or
 * held, or the first of the others (procs-like: lock none before held); never an
 * exercise's (they share memory too). */
static const struct results_series *column_series(const struct results *r, enum class_column k)
{
    for (size_t i = 0; i < r->nseries; i++) {
        const struct results_series *s = &r->series[i];
        bool shared = s->backend->shares_memory;

        if (exercise_program(s->backend->name))
            continue;
        if ((k == CLASS_THREADS && shared && strcmp(s->lock, "none") == 0) ||
            (k == CLASS_HELD && shared && strcmp(s->lock, "held") == 0) ||
            (k == CLASS_PROCS && !shared))
            return s;
    }
    return NULL;
}

/* "1, 2, 4": the W of series s, into text. */
static void workers_run(const struct results *r, const struct results_series *s, char *text,
                        size_t len)
{
    const struct summary_case **sweep;
    size_t n = results_sweep(r, s, &sweep), used = 0;

    text[0] = '\0';
    for (size_t i = 0; i < n && n != (size_t)-1 && used + 16 < len; i++)
        used += (size_t)snprintf(text + used, len - used, "%s%lu", i ? ", " : "",
                                 sweep[i]->workers);
    if (n != (size_t)-1)
        free(sweep);
}

static void fill_speedup(const struct results *r, enum class_column k, unsigned long workers,
                         struct class_speedup *sp)
{
    char ws[128];

    *sp = (struct class_speedup){.series = column_series(r, k), .workers = workers};
    if (r->serial == NULL) { /* a directory of exercise runs */
        snprintf(sp->why, sizeof sp->why, "no parlab-serial run");
        return;
    }
    if (sp->series == NULL) {
        snprintf(sp->why, sizeof sp->why, "no runs of %s", column_runs[k]);
        return;
    }
    sp->c = results_series_case(r, sp->series, workers, "none");
    if (sp->c == NULL) {
        workers_run(r, sp->series, ws, sizeof ws);
        snprintf(sp->why, sizeof sp->why, "no run of %s with W = %lu (W run: %s)",
                 sp->series->label, workers, ws);
        return;
    }
    sp->speedup = sp->c->speedup;
    if (sp->speedup <= 0)
        summary_why_no_speedup(sp->c, sp->why, sizeof sp->why);
}

static int fill_fits(struct class_row *row)
{
    const struct results *r = &row->r;
    double *f;
    size_t n = results_fractions(r, &f);

    if (n == (size_t)-1)
        return -1;
    row->fits = calloc(n ? n : 1, sizeof *row->fits);
    if (row->fits == NULL) {
        free(f);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        struct class_fit *fit = &row->fits[row->nfits];

        if (f[i] <= 0.0 || f[i] >= 1.0) /* the sweep's lock none and held */
            continue;
        row->nfits++;
        *fit = (struct class_fit){.fraction = f[i]};
        fit->c = results_fraction_case(r, f[i], row->pus);
        if (fit->c != NULL && row->fraction_size == 0)
            row->fraction_size = fit->c->size;
        if (row->pus < 2)
            snprintf(fit->why, sizeof fit->why, "1 PU: no serial fraction to fit");
        else if (fit->c == NULL)
            snprintf(fit->why, sizeof fit->why, "no run with F = %g at W = %lu (its PUs)", f[i],
                     row->pus);
        else if (fit->c->speedup <= 0)
            summary_why_no_speedup(fit->c, fit->why, sizeof fit->why);
        else {
            fit->speedup = fit->c->speedup;
            fit->fitted = results_karp_flatt(fit->speedup, (double)row->pus);
        }
    }
    free(f);
    return 0;
}

/* "threads, lock none, W = 8", or "serial, n = 146"; "pi critical, W = 8" and "pi
 * serial, n = 100000000" for an exercise's parts. */
static void case_name(const struct results *r, const struct summary_case *c, char *text,
                      size_t len)
{
    const struct backend *b = results_backend(r, c);
    char part[128];

    class_exercise_name(c->program, part, sizeof part);
    if (backend_suite_baseline(c->program))
        snprintf(text, len, "%s, n = %lu", part, c->size);
    else if (exercise_program(c->program))
        snprintf(text, len, "%s, W = %lu", part, c->workers);
    else if (b->baseline)
        snprintf(text, len, "%s, n = %lu", b->label, c->size);
    else
        snprintf(text, len, "%s, lock %s, W = %lu", b->label, c->lock, c->workers);
}

/* Adds "; WHAT" (or WHAT first) to text. */
static void add_clause(char *text, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void add_clause(char *text, size_t len, const char *fmt, ...)
{
    size_t used = strlen(text);
    va_list ap;

    if (used > 0 && used + 2 < len)
        used += (size_t)snprintf(text + used, len - used, "; ");
    if (used >= len)
        return;
    va_start(ap, fmt);
    vsnprintf(text + used, len - used, fmt, ap);
    va_end(ap);
}

/* What the machine did while the cases ran. */
struct conditions {
    const struct summary_case *busiest, *widest, *slowest;
    bool battery;
    size_t cases, unknown, too_short; /* cases; those without other_cpu_s; those whose
                                       * runs are too short for /proc/stat to tell */
};

/* Adds case c to k; its CPU time against its serial case's (slowed PUs) when
 * compare_cpu. */
static void conditions_add(struct conditions *k, const struct summary_case *c, bool compare_cpu)
{
    if (c == NULL)
        return;
    if (summary_busy(c) && (k->busiest == NULL || c->other_rate > k->busiest->other_rate))
        k->busiest = c;
    if (summary_disagrees(c) &&
        (k->widest == NULL || summary_spread(c) > summary_spread(k->widest)))
        k->widest = c;
    if (compare_cpu && summary_slowed(c) &&
        (k->slowest == NULL || summary_cpu_ratio(c) > summary_cpu_ratio(k->slowest)))
        k->slowest = c;
    k->battery = k->battery || c->on_battery;
    k->cases++;
    if (c->other_unknown > 0)
        k->unknown++;
    else if (c->too_short_to_tell && !summary_busy(c))
        k->too_short++;
}

/* Adds c to the n cases in seen[] unless it is there (the serial run of several). */
static void add_once(const struct summary_case **seen, size_t *n, const struct summary_case *c)
{
    for (size_t i = 0; c != NULL && i < *n; i++)
        if (seen[i] == c)
            return;
    if (c != NULL)
        seen[(*n)++] = c;
}

/* The cases a row's numbers rest on and the serial runs they divide by, each once,
 * into k: parlab's columns and fits, or, when `exercises`, its exercise parts; every
 * case of the directory of that kind (parlab's or the exercises') when it has none of
 * those.  Parlab's jobs are the same work on every W, so more CPU time than serially
 * means slowed PUs; an exercise part's is what its synchronisation costs (threads
 * waiting at a critical section spin), so exercises are not judged by it.  Returns
 * -1 when out of memory. */
static int row_conditions(const struct class_row *row, bool exercises, struct conditions *k)
{
    const struct results *r = &row->r;
    const struct summary_case **seen =
        calloc(2 * (CLASS_NCOLUMNS + row->nfits + row->nexercises), sizeof *seen);
    size_t n = 0;

    *k = (struct conditions){0};
    if (seen == NULL)
        return -1;
    for (int i = 0; !exercises && i < CLASS_NCOLUMNS; i++)
        if (row->speedups[i].c != NULL) {
            add_once(seen, &n, row->speedups[i].c);
            add_once(seen, &n, row->speedups[i].c->serial);
        }
    for (size_t i = 0; !exercises && i < row->nfits; i++)
        if (row->fits[i].c != NULL) {
            add_once(seen, &n, row->fits[i].c);
            add_once(seen, &n, row->fits[i].c->serial);
        }
    for (size_t i = 0; exercises && i < row->nexercises; i++)
        if (row->exercises[i].c != NULL) {
            add_once(seen, &n, row->exercises[i].c);
            add_once(seen, &n, row->exercises[i].c->serial);
        }
    for (size_t i = 0; i < n; i++)
        conditions_add(k, seen[i], !exercises);
    for (size_t i = 0; n == 0 && i < r->runs.ncases; i++)
        if (exercise_program(r->runs.cases[i].program) == exercises)
            conditions_add(k, &r->runs.cases[i], !exercises);
    free(seen);
    return 0;
}

/* A verdict, with the report's tests (parlab-report's "How clean the measurements
 * are"): not quiet when any of the cases was busy, disagrees, ran on slowed PUs or
 * on battery; else quiet when at least one could tell whether other programs ran
 * beside it, the others named as a caveat; else cannot tell.  Into *quiet and text:
 * of parlab's columns, or of the exercises' when `exercises`. */
static int judge(const struct class_row *row, bool exercises, enum class_quiet *quiet,
                 char *text, size_t len)
{
    const struct results *r = &row->r;
    struct conditions k;
    char name[160];

    if (row_conditions(row, exercises, &k) != 0)
        return -1;
    text[0] = '\0';
    if (k.busiest != NULL) {
        case_name(r, k.busiest, name, sizeof name);
        add_clause(text, len, "busy: other programs used %.2f CPU-seconds per second (%s)",
                   k.busiest->other_rate, name);
    }
    if (k.widest != NULL) {
        case_name(r, k.widest, name, sizeof name);
        add_clause(text, len, "repetitions disagree by %.0f%% of their median (%s)",
                   100 * summary_spread(k.widest), name);
    }
    if (k.slowest != NULL) {
        case_name(r, k.slowest, name, sizeof name);
        add_clause(text, len, "slowed PUs: jobs took %.2f times their serial CPU time (%s)",
                   summary_cpu_ratio(k.slowest), name);
    }
    if (k.battery)
        add_clause(text, len, "on battery");
    if (text[0] != '\0') {
        *quiet = CLASS_NOT_QUIET;
        return 0;
    }
    *quiet = k.unknown + k.too_short < k.cases ? CLASS_QUIET : CLASS_CANNOT_TELL;
    if (k.cases == 0)
        add_clause(text, len, "no %s runs", exercises ? "exercise" : "parlab");
    if (k.unknown > 0)
        add_clause(text, len, "%zu of %zu cases %s not record other programs' CPU time (no "
                   "other_cpu_s)", k.unknown, k.cases, k.unknown == 1 ? "does" : "do");
    if (k.too_short > 0)
        add_clause(text, len, "%zu of %zu cases %s runs too short for /proc/stat's ticks of "
                   "%.2f s on %lu PUs to tell", k.too_short, k.cases,
                   k.too_short == 1 ? "has" : "have", SUMMARY_TICK_S, row->pus);
    return 0;
}

/* The row's exercise parts: each non-serial part's first series (lock none before
 * held), in the order of the series (the file's). */
static int fill_exercises(struct class_row *row)
{
    const struct results *r = &row->r;
    char ws[128], part[64], text[256];

    for (size_t i = 0; i < r->runs.ncases; i++)
        row->exercised = row->exercised || exercise_program(r->runs.cases[i].program);
    row->exercises = calloc(r->nseries ? r->nseries : 1, sizeof *row->exercises);
    if (row->exercises == NULL)
        return -1;
    for (size_t i = 0; i < r->nseries; i++) {
        const struct results_series *s = &r->series[i];
        const char *program = s->backend->name;
        struct class_exercise *e;

        if (!exercise_program(program) || backend_suite_baseline(program) ||
            class_exercise_of(row, program) != NULL)
            continue;
        e = &row->exercises[row->nexercises++];
        *e = (struct class_exercise){.program = program, .series = s};
        e->c = results_series_case(r, s, row->pus, "none");
        if (e->c == NULL) {
            class_exercise_name(program, part, sizeof part);
            workers_run(r, s, ws, sizeof ws);
            snprintf(e->why, sizeof e->why, "no run of %s with W = %lu (W run: %s)", part,
                     row->pus, ws);
        } else if (e->c->speedup > 0) {
            e->speedup = e->c->speedup;
        } else { /* "pi serial: no serial run with n = 10 on host vm labelled ana; ..." */
            exercise_name(program, part, sizeof part);
            summary_why_no_speedup(e->c, text, sizeof text);
            snprintf(e->why, sizeof e->why, "%s serial: %s", part, text);
        }
    }
    return 0;
}

/* The row's numbers, from its results. */
static int fill_row(struct class_row *row)
{
    const struct results *r = &row->r;
    const struct summary_case *first = NULL;

    row->pus = r->pus;
    row->cores = r->cores;
    fill_speedup(r, CLASS_THREADS, row->pus, &row->speedups[CLASS_THREADS]);
    fill_speedup(r, CLASS_PROCS, row->pus, &row->speedups[CLASS_PROCS]);
    fill_speedup(r, CLASS_HELD, CLASS_HELD_WORKERS, &row->speedups[CLASS_HELD]);
    for (int k = 0; k < CLASS_NCOLUMNS && first == NULL; k++)
        first = row->speedups[k].c;
    if (first != NULL) {
        row->jobs = first->jobs;
        row->size = first->size;
        row->serial_wall = first->serial_wall;
    } else if (r->serial != NULL) {
        row->jobs = r->serial->jobs;
        row->size = r->serial->size;
        row->serial_wall = r->serial->wall.median;
    }
    if (fill_fits(row) != 0 || fill_exercises(row) != 0 ||
        judge(row, false, &row->quiet, row->conditions, sizeof row->conditions) != 0 ||
        judge(row, true, &row->exercise_quiet, row->exercise_conditions,
              sizeof row->exercise_conditions) != 0)
        return -1;
    return 0;
}

static void row_release(struct class_row *row)
{
    results_release(&row->r);
    free(row->dir);
    free(row->student);
    free(row->fits);
    free(row->exercises);
}

/* Whether r has runs of an exercise (parlab-exercise's rows). */
static bool any_exercise(const struct results *r)
{
    for (size_t i = 0; i < r->runs.ncases; i++)
        if (exercise_program(r->runs.cases[i].program))
            return true;
    return false;
}

/* Reads dir into *row: 0, 1 when it is refused (why says why), -1 out of memory. */
static int load(struct class_row *row, const char *dir, char *why, size_t len)
{
    char *runs = NULL, name[256];
    size_t n = strlen(dir) + sizeof "/runs.csv";
    struct stat st;
    int rc;

    if ((rc = check_directory(dir, why, len)) != 0)
        return rc;
    if ((runs = malloc(n)) == NULL)
        return out_of_memory(why, len);
    snprintf(runs, n, "%s/runs.csv", dir);
    if (stat(runs, &st) != 0 && errno == ENOENT) {
        free(runs);
        return fail(why, len, "it has no runs.csv");
    }
    if (results_load(&row->r, &(struct results_paths){.runs = runs}, 0, false, why,
                     len) != 0) {
        rc = errno == ENOMEM ? -1 : 1; /* why names the file and what is wrong */
        free(runs);
        return rc;
    }
    row->r.paths.runs = NULL; /* `runs` is freed below */
    if (row->r.nother_hosts > 0) {
        rc = fail(why, len, "its runs.csv holds runs of %zu hosts (%s, %s): one directory per "
                  "machine", row->r.nother_hosts + 1, row->r.host, row->r.other_hosts);
    } else if (row->r.serial == NULL && !any_exercise(&row->r)) {
        rc = fail(why, len, "its runs.csv has no serial run to divide by (bin/parlab-serial "
                  "--runs-csv '%s' adds one) and no exercise runs", runs);
    } else if ((rc = read_label(runs, &row->student, why, len)) == 0) {
        row->labelled = row->student != NULL;
        last_name(dir, name, sizeof name);
        printable(name);
        if (row->student == NULL && (row->student = strdup(name)) == NULL)
            rc = -1;
        else if ((row->dir = strdup(dir)) == NULL || fill_row(row) != 0)
            rc = -1;
    }
    free(runs);
    if (rc < 0)
        out_of_memory(why, len);
    return rc;
}

int class_add(struct class *cl, const char *dir, char *why, size_t whylen)
{
    struct class_row row = {0};
    int rc;

    if (cl->nrows == cl->cap) {
        size_t cap = cl->cap ? 2 * cl->cap : 16;
        struct class_row *rows = realloc(cl->rows, cap * sizeof *rows);

        if (rows == NULL)
            return out_of_memory(why, whylen);
        cl->rows = rows;
        cl->cap = cap;
    }
    if ((rc = load(&row, dir, why, whylen)) != 0) {
        row_release(&row);
        return rc;
    }
    for (size_t i = 0; i < cl->nrows; i++) /* the same student and machine twice */
        if (strcmp(cl->rows[i].student, row.student) == 0 &&
            strcmp(cl->rows[i].r.host, row.r.host) == 0) {
            fail(why, whylen, "'%s' on host '%s' is in the table already, from '%s'",
                 row.student, row.r.host, cl->rows[i].dir);
            row_release(&row);
            return 1;
        }
    cl->rows[cl->nrows++] = row;
    return 0;
}

static int compare_doubles(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;

    return (a > b) - (a < b);
}

size_t class_fractions(const struct class *cl, double **out)
{
    size_t n = 0, kept = 0;

    for (size_t i = 0; i < cl->nrows; i++)
        n += cl->rows[i].nfits;
    *out = malloc((n ? n : 1) * sizeof **out);
    if (*out == NULL)
        return (size_t)-1;
    n = 0;
    for (size_t i = 0; i < cl->nrows; i++)
        for (size_t k = 0; k < cl->rows[i].nfits; k++)
            (*out)[n++] = cl->rows[i].fits[k].fraction;
    qsort(*out, n, sizeof **out, compare_doubles);
    for (size_t i = 0; i < n; i++)
        if (kept == 0 || (*out)[kept - 1] != (*out)[i])
            (*out)[kept++] = (*out)[i];
    if (kept == 0) {
        free(*out);
        *out = NULL;
    }
    return kept;
}

const struct class_fit *class_fit_of(const struct class_row *row, double f)
{
    for (size_t k = 0; k < row->nfits; k++)
        if (row->fits[k].fraction == f)
            return &row->fits[k];
    return NULL;
}

const struct class_exercise *class_exercise_of(const struct class_row *row, const char *program)
{
    for (size_t k = 0; k < row->nexercises; k++)
        if (strcmp(row->exercises[k].program, program) == 0)
            return &row->exercises[k];
    return NULL;
}

void class_exercise_name(const char *program, char *text, size_t len)
{
    size_t suite = backend_suite_length(program), used;

    if (suite == 0 || !exercise_program(program)) {
        snprintf(text, len, "%s", program);
        return;
    }
    exercise_name(program, text, len);
    used = strlen(text);
    if (used + 1 < len)
        snprintf(text + used, len - used, " %s", program + suite + 1);
}

bool class_exercised(const struct class *cl)
{
    for (size_t i = 0; i < cl->nrows; i++)
        if (cl->rows[i].exercised)
            return true;
    return false;
}

/* Whether programs a and b are parts of the same exercise. */
static bool same_suite(const char *a, const char *b)
{
    size_t n = backend_suite_length(a);

    return n == backend_suite_length(b) && strncmp(a, b, n) == 0;
}

/* Where part p goes into parts[0..n): after `after` (its exercise's part before it in
 * a row), else before the first part of its exercise, else at the end. */
static size_t insert_at(const char *const *parts, size_t n, const char *p, const char *after)
{
    for (size_t k = 0; after != NULL && k < n; k++)
        if (strcmp(parts[k], after) == 0)
            return k + 1;
    for (size_t k = 0; k < n; k++)
        if (same_suite(parts[k], p))
            return k;
    return n;
}

size_t class_exercise_parts(const struct class *cl, const char ***out)
{
    size_t n = 0, cap = 0;

    for (size_t i = 0; i < cl->nrows; i++)
        cap += cl->rows[i].nexercises;
    *out = malloc((cap ? cap : 1) * sizeof **out);
    if (*out == NULL)
        return (size_t)-1;
    /* each row's parts in its order, merged: a row that ran one part first (--part)
     * does not put it before the parts the handout has before it */
    for (size_t i = 0; i < cl->nrows; i++) {
        const struct class_row *row = &cl->rows[i];

        for (size_t k = 0; k < row->nexercises; k++) {
            const char *p = row->exercises[k].program, *after = NULL;
            size_t at, seen = 0;

            for (; seen < n && strcmp((*out)[seen], p) != 0; seen++)
                ;
            if (seen < n)
                continue;
            if (k > 0 && same_suite(row->exercises[k - 1].program, p))
                after = row->exercises[k - 1].program;
            at = insert_at(*out, n, p, after);
            memmove(*out + at + 1, *out + at, (n - at) * sizeof **out);
            (*out)[at] = p;
            n++;
        }
    }
    if (n == 0) {
        free(*out);
        *out = NULL;
    }
    return n;
}

void class_release(struct class *cl)
{
    for (size_t i = 0; i < cl->nrows; i++)
        row_release(&cl->rows[i]);
    free(cl->rows);
    *cl = (struct class){0};
}

/* ---- figures --------------------------------------------------------------------- */

const char *const class_figure_names[] = {"class-speedup", "class-pus", "class-amdahl"};
const size_t class_figure_count = sizeof class_figure_names / sizeof class_figure_names[0];

/* The median, slowest and fastest speedup of c over its serial case; false when there
 * is none. */
static bool speedups(const struct summary_case *c, double s[3])
{
    if (c == NULL || c->serial_wall <= 0 || c->wall.min <= 0 || c->speedup <= 0)
        return false;
    s[0] = c->speedup;
    s[1] = c->serial_wall / c->wall.max;
    s[2] = c->serial_wall / c->wall.min;
    return true;
}

/* The W at which Amdahl's prediction stops growing: the cores, whose SMT threads share
 * their units, or the PUs where the runs do not say (as parlab-report's figure). */
static unsigned long ideal_workers(const struct class_row *row)
{
    return row->cores > 0 && row->cores < row->pus ? row->cores : row->pus;
}

/* "ana (lab-3, 8 PUs)": a machine's name in the figures. */
static void machine_name(const struct class_row *row, char *text, size_t len)
{
    snprintf(text, len, "%s (%s, %lu PU%s)", row->student, row->r.host, row->pus,
             row->pus == 1 ? "" : "s");
}

/* 1 quiet, 0 not, -1 cannot tell: the figures' point styles. */
static int quiet_code(const struct class_row *row)
{
    return row->quiet == CLASS_QUIET ? 1 : row->quiet == CLASS_NOT_QUIET ? 0 : -1;
}

/* The figures, in class_figure_names' order. */
enum { FIGURE_SPEEDUP, FIGURE_PUS, FIGURE_AMDAHL };

static bool sweep_has_points(const struct class_row *row)
{
    const struct summary_case **sweep;
    const struct results_series *series = row->speedups[CLASS_THREADS].series;
    size_t n = series ? results_sweep(&row->r, series, &sweep) : 0;
    bool any = false;
    double s[3];

    if (n == (size_t)-1)
        return false;
    for (size_t i = 0; i < n && !any; i++)
        any = speedups(sweep[i], s);
    if (n > 0)
        free(sweep);
    return any;
}

static bool fractions_have_points(const struct class_row *row)
{
    unsigned long *ws;
    size_t nw = results_worker_counts(&row->r, &ws);
    bool any = false;
    double s[3];

    if (nw == (size_t)-1)
        return false;
    for (size_t i = 0; i < row->nfits && !any; i++)
        for (size_t k = 0; k < nw && !any; k++)
            any = speedups(results_fraction_case(&row->r, row->fits[i].fraction, ws[k]), s);
    free(ws);
    return any;
}

/* Whether a row has points in a figure. */
static bool row_has_points(const struct class_row *row, size_t figure)
{
    double s[3];

    if (figure == FIGURE_SPEEDUP)
        return sweep_has_points(row);
    if (figure == FIGURE_PUS)
        return speedups(row->speedups[CLASS_THREADS].c, s) ||
               speedups(row->speedups[CLASS_PROCS].c, s);
    return fractions_have_points(row);
}

bool class_figure_has_data(const struct class *cl, size_t k)
{
    for (size_t i = 0; i < cl->nrows; i++)
        if (row_has_points(&cl->rows[i], k))
            return true;
    return false;
}

/* The per-block arrays a figure's settings hold: names, pus, cores, quiet. */
struct blocks {
    const struct class_row **rows;
    size_t n;
};

static void gp_blocks(FILE *gp, const struct blocks *b)
{
    char name[384];

    fprintf(gp, "n = %zu\n", b->n);
    if (b->n == 0)
        return;
    fprintf(gp, "array names[%zu] = [", b->n);
    for (size_t i = 0; i < b->n; i++) {
        machine_name(b->rows[i], name, sizeof name);
        fputs(i ? ", " : "", gp);
        figures_put_gp_string(gp, name);
    }
    fprintf(gp, "]\narray pus[%zu] = [", b->n);
    for (size_t i = 0; i < b->n; i++)
        fprintf(gp, "%s%lu", i ? ", " : "", b->rows[i]->pus);
    fprintf(gp, "]\narray quiet[%zu] = [", b->n);
    for (size_t i = 0; i < b->n; i++)
        fprintf(gp, "%s%d", i ? ", " : "", quiet_code(b->rows[i]));
    fputs("]\n", gp);
}

/* The rows drawn and the class's PU range, for the titles: "32 submissions, 2 to 64 PUs". */
static void gp_title(FILE *gp, const struct class *cl, size_t machines)
{
    unsigned long low = 0, high = 0;
    char text[128];

    for (size_t i = 0; i < cl->nrows; i++) {
        unsigned long p = cl->rows[i].pus;

        low = i == 0 || p < low ? p : low;
        high = p > high ? p : high;
    }
    if (low == high)
        snprintf(text, sizeof text, "%zu submission%s, %lu PUs each", machines,
                 machines == 1 ? "" : "s", low);
    else
        snprintf(text, sizeof text, "%zu submission%s, %lu to %lu PUs", machines,
                 machines == 1 ? "" : "s", low, high);
    fputs("title = ", gp);
    figures_put_gp_string(gp, text);
    fprintf(gp, "\nmost_pus = %lu\nleast_pus = %lu\n", high, low);
}

static void write_speedup(const struct class *cl, FILE *dat, FILE *gp, struct blocks *b)
{
    char name[384];

    for (size_t i = 0; i < cl->nrows; i++) {
        const struct class_row *row = &cl->rows[i];
        const struct summary_case **sweep;
        const struct results_series *series = row->speedups[CLASS_THREADS].series;
        size_t n = series ? results_sweep(&row->r, series, &sweep) : 0, points = 0;

        if (n == (size_t)-1)
            continue;
        for (size_t k = 0; k < n; k++) {
            double s[3];

            if (!speedups(sweep[k], s))
                continue;
            if (points++ == 0) {
                machine_name(row, name, sizeof name);
                fprintf(dat, "# %s: workers speedup_median speedup_low speedup_high\n", name);
            }
            fprintf(dat, "%lu %.6f %.6f %.6f\n", sweep[k]->workers, s[0], s[1], s[2]);
        }
        if (n > 0)
            free(sweep);
        if (points > 0) {
            fputs("\n\n", dat);
            b->rows[b->n++] = row;
        }
    }
    gp_title(gp, cl, b->n);
    gp_blocks(gp, b);
}

static void write_pus(const struct class *cl, FILE *dat, FILE *gp, struct blocks *b)
{
    static const enum class_column drawn[] = {CLASS_THREADS, CLASS_PROCS};
    size_t nseries = 0, machines = 0;
    const char *names[2];

    for (size_t i = 0; i < cl->nrows; i++)
        machines += row_has_points(&cl->rows[i], FIGURE_PUS);
    for (size_t d = 0; d < 2; d++) {
        size_t points = 0;

        for (size_t i = 0; i < cl->nrows; i++) {
            const struct class_row *row = &cl->rows[i];
            double s[3];

            if (!speedups(row->speedups[drawn[d]].c, s))
                continue;
            if (points++ == 0)
                fprintf(dat, "# %s: pus speedup_median speedup_low speedup_high quiet cores\n",
                        column_names[drawn[d]]);
            fprintf(dat, "%lu %.6f %.6f %.6f %d %lu\n", row->pus, s[0], s[1], s[2],
                    quiet_code(row), row->cores);
        }
        if (points > 0) {
            fputs("\n\n", dat);
            names[nseries++] = column_names[drawn[d]];
        }
    }
    (void)b; /* a block per way of running, not per machine */
    gp_title(gp, cl, machines);
    fprintf(gp, "n = %zu\narray names[%zu] = [", nseries, nseries); /* n > 0: it has data */
    for (size_t k = 0; k < nseries; k++) {
        fputs(k ? ", " : "", gp);
        figures_put_gp_string(gp, names[k]);
    }
    fputs("]\n", gp);
}

static void write_amdahl(const struct class *cl, FILE *dat, FILE *gp, struct blocks *b)
{
    char name[384];

    for (size_t i = 0; i < cl->nrows; i++) {
        const struct class_row *row = &cl->rows[i];
        unsigned long *ws;
        size_t nw = results_worker_counts(&row->r, &ws), points = 0;

        if (nw == (size_t)-1)
            continue;
        for (size_t f = 0; f < row->nfits; f++)
            for (size_t k = 0; k < nw; k++) {
                double F = row->fits[f].fraction, s[3];
                const struct summary_case *c = results_fraction_case(&row->r, F, ws[k]);
                unsigned long p = ws[k] < ideal_workers(row) ? ws[k] : ideal_workers(row);

                if (!speedups(c, s))
                    continue;
                if (points++ == 0) {
                    machine_name(row, name, sizeof name);
                    fprintf(dat, "# %s: amdahl speedup_median speedup_low speedup_high F "
                                 "workers\n",
                            name);
                }
                fprintf(dat, "%.6f %.6f %.6f %.6f %g %lu\n", results_amdahl(F, (double)p), s[0],
                        s[1], s[2], F, ws[k]);
            }
        free(ws);
        if (points > 0) {
            fputs("\n\n", dat);
            b->rows[b->n++] = row;
        }
    }
    gp_title(gp, cl, b->n);
    gp_blocks(gp, b);
}

typedef void figure_writer(const struct class *cl, FILE *dat, FILE *gp, struct blocks *b);

static figure_writer *const writers[] = {write_speedup, write_pus, write_amdahl};

/* Why figure k has no data. */
static const char *const no_data[] = {
    "no submission has a run of threads with the lock released and a serial run of the "
    "same jobs and n",
    "no submission has a run of threads (lock none) or procs at W = PUs and a serial run "
    "of the same jobs and n",
    "no submission has lock-fraction runs (-l fraction:F) and a serial run of the same jobs "
    "and n"};

/* Writes figure k's two files (or removes them when it has no data), and its line in
 * list.  Returns 1 when it has data, 0 when not, -1 with why. */
static int write_figure(const struct class *cl, size_t k, const char *dir, FILE *list,
                        char *why, size_t whylen)
{
    char *dat_path = figures_path_in(dir, class_figure_names[k], ".dat");
    char *gp_path = figures_path_in(dir, class_figure_names[k], ".gp");
    struct blocks b = {calloc(cl->nrows + 1, sizeof *b.rows), 0};
    FILE *dat = NULL, *gp = NULL;
    int rc = -1, failed;

    if (dat_path == NULL || gp_path == NULL || b.rows == NULL) {
        snprintf(why, whylen, "cannot write the figures in '%s': %s", dir, strerror(ENOMEM));
        goto done;
    }
    if (!class_figure_has_data(cl, k)) {
        remove(dat_path);
        remove(gp_path);
        fprintf(list, "%s no %s\n", class_figure_names[k], no_data[k]);
        rc = 0;
        goto done;
    }
    if ((dat = fopen(dat_path, "w")) == NULL || (gp = fopen(gp_path, "w")) == NULL) {
        snprintf(why, whylen, "cannot write '%s': %s", dat ? gp_path : dat_path,
                 strerror(errno));
        goto done;
    }
    fprintf(gp, "# %s.gp - written by parlab-class for plots/%s.gp\n", class_figure_names[k],
            class_figure_names[k]);
    writers[k](cl, dat, gp, &b);
    failed = figures_close_checked(dat);
    failed = figures_close_checked(gp) || failed;
    dat = gp = NULL;
    if (failed) {
        snprintf(why, whylen, "cannot write '%s': %s", dat_path, strerror(errno));
        goto done;
    }
    fprintf(list, "%s yes\n", class_figure_names[k]);
    rc = 1;
done:
    if (dat != NULL)
        fclose(dat);
    if (gp != NULL)
        fclose(gp);
    free(dat_path);
    free(gp_path);
    free(b.rows);
    return rc;
}

int class_write_figures(const struct class *cl, const char *dir, char *why, size_t whylen)
{
    char *list_path = figures_path_in(dir, "class-figures", "");
    FILE *list = list_path ? fopen(list_path, "w") : NULL;
    int drawn = 0, rc;

    if (list == NULL) {
        snprintf(why, whylen, "cannot write '%s': %s", list_path ? list_path : dir,
                 strerror(list_path ? errno : ENOMEM));
        free(list_path);
        return -1;
    }
    for (size_t k = 0; k < class_figure_count; k++) {
        if ((rc = write_figure(cl, k, dir, list, why, whylen)) < 0) {
            fclose(list);
            free(list_path);
            return -1;
        }
        drawn += rc;
    }
    if (figures_close_checked(list) != 0) {
        snprintf(why, whylen, "cannot write '%s': %s", list_path, strerror(errno));
        free(list_path);
        return -1;
    }
    free(list_path);
    return drawn;
}
