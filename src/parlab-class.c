/*
 * parlab-class - a class's results side by side: one row per student and machine.
 *
 * Reads many students' results directories (each with its runs.csv), from machines
 * with different PU counts, hosts and kernel speeds, and writes the class table: per
 * student and machine the PUs, the speedups the labs ask for (threads with the lock
 * released and procs at W = PUs, threads with the lock held at W = 3), the serial
 * fraction fitted back from each lock-fraction case (Karp and Flatt), and whether the
 * machine was quiet; and the data of the class's figures.  Each speedup divides by
 * that student's own serial run of the same jobs and n on the same machine: a speedup
 * across students or machines would compare kernels of different speeds.  The OpenMP
 * exercises' runs (parlab-exercise's) are a second table the same way: each part's
 * speedup at W = PUs over the same student's serial part of that exercise.
 *
 * A directory that cannot give a row (no runs.csv, malformed, neither a serial run nor
 * exercise runs, runs of several hosts or students mixed, empty, not a directory) is
 * named on stderr with its reason, one line each, and skipped; the others go on.
 *
 *   bin/parlab-class class/ana class/ben class/chen > class.md   # the table
 *   bin/parlab-class --csv class.csv --figure-data figs class/ana class/ben
 *   make class CLASS=class        # every directory in class/: table and figures
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parlab/class.h"
#include "parlab/csv.h"
#include "parlab/die.h"
#include "parlab/note.h"
#include "parlab/tool.h"

/* What the command line asked for. */
struct request {
    const char *csv, *figure_dir;
    bool markdown;
};

/* ---- the Markdown table ------------------------------------------------------------- */

/* s in a table cell: '|' would end it. */
static void cell(const char *s)
{
    for (; *s != '\0'; s++) {
        if (*s == '|')
            putchar('\\');
        putchar(*s);
    }
}

/* "– [k]", k the note saying why. */
static void missing(struct note_list *notes, const char *why)
{
    size_t k = note_add(notes, why);

    if (k == 0)
        die("out of memory");
    printf(" – [%zu] |", k);
}

static bool any_cores(const struct class *cl)
{
    for (size_t i = 0; i < cl->nrows; i++)
        if (cl->rows[i].cores > 0)
            return true;
    return false;
}

/* The number of distinct hosts, and the least and most PUs. */
static size_t machines(const struct class *cl, unsigned long *low, unsigned long *high)
{
    size_t n = 0;

    *low = *high = 0;
    for (size_t i = 0; i < cl->nrows; i++) {
        bool seen = false;

        for (size_t k = 0; k < i && !seen; k++)
            seen = strcmp(cl->rows[k].r.host, cl->rows[i].r.host) == 0;
        n += !seen;
        if (i == 0 || cl->rows[i].pus < *low)
            *low = cl->rows[i].pus;
        if (cl->rows[i].pus > *high)
            *high = cl->rows[i].pus;
    }
    return n;
}

static void table_row(const struct class_row *row, bool cores, const double *f, size_t nf,
                      struct note_list *notes)
{
    printf("| ");
    cell(row->student);
    printf(" | ");
    cell(row->r.host);
    printf(" | %lu |", row->pus);
    if (cores && row->cores > 0)
        printf(" %lu |", row->cores);
    else if (cores)
        printf(" – |");
    if (row->jobs > 0)
        printf(" %lu | %lu", row->jobs, row->size);
    else
        printf(" – | –"); /* no parlab-serial run: exercises only */
    if (row->fraction_size != 0 && row->fraction_size != row->size)
        printf(" (F: %lu)", row->fraction_size);
    printf(" |");
    for (int k = 0; k < CLASS_NCOLUMNS; k++)
        if (row->speedups[k].speedup > 0)
            printf(" %.2f |", row->speedups[k].speedup);
        else
            missing(notes, row->speedups[k].why);
    for (size_t i = 0; i < nf; i++) {
        const struct class_fit *fit = class_fit_of(row, f[i]);

        if (fit == NULL)
            printf(" – |");
        else if (fit->speedup > 0)
            printf(" %.2f |", fit->fitted);
        else
            missing(notes, fit->why);
    }
    printf(" %s", class_quiet_name(row->quiet));
    if (row->conditions[0] != '\0') {
        printf(": ");
        cell(row->conditions);
    }
    printf(" |\n");
}

/* The verdicts' counts: quiet[CLASS_QUIET] and the others, of the rows with exercise
 * runs when `exercises`, else of every row. */
static void count_quiet(const struct class *cl, bool exercises, size_t quiet[3])
{
    quiet[0] = quiet[1] = quiet[2] = 0;
    for (size_t i = 0; i < cl->nrows; i++)
        if (!exercises)
            quiet[cl->rows[i].quiet]++;
        else if (cl->rows[i].exercised)
            quiet[cl->rows[i].exercise_quiet]++;
}

static void exercise_row(const struct class_row *row, const char *const *parts, size_t nparts,
                         struct note_list *notes)
{
    char name[128], why[192];

    printf("| ");
    cell(row->student);
    printf(" | ");
    cell(row->r.host);
    printf(" | %lu |", row->pus);
    for (size_t k = 0; k < nparts; k++) {
        const struct class_exercise *e = class_exercise_of(row, parts[k]);

        if (e != NULL && e->speedup > 0) {
            printf(" %.2fx |", e->speedup);
            continue;
        }
        class_exercise_name(parts[k], name, sizeof name);
        snprintf(why, sizeof why, "no runs of %s", name);
        missing(notes, e != NULL ? e->why : why);
    }
    printf(" %s", class_quiet_name(row->exercise_quiet));
    if (row->exercise_conditions[0] != '\0') {
        printf(": ");
        cell(row->exercise_conditions);
    }
    printf(" |\n");
}

/* The second table: each row with exercise runs, a column per exercise part. */
static void print_exercises(const struct class *cl)
{
    const char **parts;
    size_t nparts = class_exercise_parts(cl, &parts), rows = 0, quiet[3];
    struct note_list notes;
    char name[128];

    if (nparts == (size_t)-1)
        die("out of memory");
    count_quiet(cl, true, quiet);
    for (size_t i = 0; i < cl->nrows; i++)
        rows += cl->rows[i].exercised;
    printf("## Exercises\n\n");
    printf("%zu %s with exercise runs (parlab-exercise). Each speedup is an exercise part's "
           "at W = the machine's PUs: the median wall time of that student's own serial part "
           "of the same exercise, with the same n on the same machine, divided by the "
           "part's.\n\n",
           rows, rows == 1 ? "submission" : "submissions");
    printf("| student | host | PUs |");
    for (size_t k = 0; k < nparts; k++) {
        class_exercise_name(parts[k], name, sizeof name);
        printf(" ");
        cell(name);
        printf(" |");
    }
    printf(" quiet |\n|");
    for (size_t k = 0; k < 4 + nparts; k++)
        printf("---|");
    printf("\n");
    note_list_init(&notes);
    for (size_t i = 0; i < cl->nrows; i++)
        if (cl->rows[i].exercised)
            exercise_row(&cl->rows[i], parts, nparts, &notes);
    for (size_t k = 0; k < notes.n; k++)
        printf("\n[%zu] %s.\n", k + 1, notes.texts[k]);
    printf("\nQuiet: **yes** on %zu, **no** on %zu, **cannot tell** on %zu of the %zu, by the "
           "tests above over the exercise parts at W = PUs and the serial parts they divide "
           "by, all but the one of CPU time: a part's is what its synchronisation costs, not "
           "the PUs' speed.\n\n",
           quiet[CLASS_QUIET], quiet[CLASS_NOT_QUIET], quiet[CLASS_CANNOT_TELL], rows);
    note_list_release(&notes);
    free(parts);
}

static void print_markdown(const struct class *cl, size_t given, const struct note_list *skipped)
{
    double *f;
    size_t nf = class_fractions(cl, &f), quiet[3];
    unsigned long low, high;
    size_t nmachines = machines(cl, &low, &high);
    bool cores = any_cores(cl);
    struct note_list notes;

    if (nf == (size_t)-1)
        die("out of memory");
    count_quiet(cl, false, quiet);
    printf("# Class results\n\n");
    printf("%zu %s of %zu given, from %zu %s with %lu", cl->nrows,
           cl->nrows == 1 ? "submission" : "submissions", given, nmachines,
           nmachines == 1 ? "machine" : "machines", low);
    if (high != low)
        printf(" to %lu", high);
    printf(" PUs%s. Each speedup divides the median wall time of that student's own serial "
           "run of the same jobs and n on the same machine by the case's, never another "
           "student's or machine's. Generated by parlab-class %s.\n\n",
           skipped->n > 0 ? " (the others are skipped, below)" : "", PARLAB_VERSION);
    printf("| student | host | PUs |%s jobs | n |", cores ? " cores |" : "");
    for (int k = 0; k < CLASS_NCOLUMNS; k++)
        printf(" %s |", class_column_name(k));
    for (size_t i = 0; i < nf; i++)
        printf(" F = %g fitted |", f[i]);
    printf(" quiet |\n|");
    for (size_t k = 0; k < 6 + (cores ? 1 : 0) + CLASS_NCOLUMNS + nf; k++)
        printf("---|");
    printf("\n");
    note_list_init(&notes);
    for (size_t i = 0; i < cl->nrows; i++)
        table_row(&cl->rows[i], cores, f, nf, &notes);
    for (size_t k = 0; k < notes.n; k++)
        printf("\n[%zu] %s.\n", k + 1, notes.texts[k]);
    printf("\n");
    if (nf > 0)
        printf("F fitted: the serial fraction e = (1/S - 1/p) / (1 - 1/p) (Karp and Flatt) "
               "that the speedup S of the runs with a serial fraction F (`-l fraction:F`) "
               "at W = p = PUs implies; an n in brackets is theirs.\n\n");
    printf("Quiet: **yes** on %zu, **no** on %zu, **cannot tell** on %zu of the %zu. A "
           "machine is quiet when, during the runs a row's numbers rest on and the serial "
           "runs they divide by, other programs used at most %.1f CPU-seconds per second, "
           "the slowest repetition of each case took at most %.0f%% of its median (or "
           "%.2f s) longer than the fastest, no jobs took more than %.0f%% more CPU time "
           "than the same jobs run serially (slowed PUs), and none ran on battery. The "
           "speedups of a machine that was not quiet are given, but they are no clean "
           "measurement; \"cannot tell\": runs that do not record other programs' CPU time, "
           "or too short for `/proc/stat`'s ticks to tell.\n\n",
           quiet[CLASS_QUIET], quiet[CLASS_NOT_QUIET], quiet[CLASS_CANNOT_TELL], cl->nrows,
           SUMMARY_BUSY_RATE, 100 * SUMMARY_SPREAD_LIMIT, SUMMARY_SPREAD_FLOOR_S,
           100 * SUMMARY_SLOWED);
    if (class_exercised(cl))
        print_exercises(cl);
    if (skipped->n > 0) {
        printf("## Skipped\n\n");
        for (size_t k = 0; k < skipped->n; k++)
            printf("- %s\n", skipped->texts[k]);
        printf("\n");
    }
    if (class_figure_has_data(cl, 0))
        printf("![Speedup against workers, a line per machine](class-speedup.png)\n\n");
    if (class_figure_has_data(cl, 1))
        printf("![Speedup at W = PUs against PUs](class-pus.png)\n\n");
    if (class_figure_has_data(cl, 2))
        printf("![Measured speedup against Amdahl's prediction](class-amdahl.png)\n\n");
    note_list_release(&notes);
    free(f);
}

/* ---- the CSV file ----------------------------------------------------------------- */

static void put_speedup(struct csv_writer *w, double s, int decimals)
{
    if (s > 0)
        csv_put_fixed(w, s, decimals);
    else
        csv_put_str(w, "");
}

/* The class's rows as CSV; with exercises, a column per part (`parts`) and the
 * exercises' verdict after parlab's. */
static void csv_rows(const struct class *cl, const double *f, size_t nf,
                     const char *const *parts, size_t nparts, struct csv_writer *w)
{
    char name[256];
    bool exercised = class_exercised(cl);

    for (const char *const *h = (const char *const[]){
             "student", "named_by", "dir", "host", "pus", "cores", "jobs", "n",
             "serial_wall_s", "threads_speedup", "procs_speedup", "held_workers",
             "held_speedup", "fraction_n", NULL};
         *h != NULL; h++)
        csv_put_str(w, *h);
    for (size_t i = 0; i < nf; i++) {
        snprintf(name, sizeof name, "speedup_f%g", f[i]);
        csv_put_str(w, name);
        snprintf(name, sizeof name, "fitted_f%g", f[i]);
        csv_put_str(w, name);
    }
    csv_put_str(w, "quiet");
    csv_put_str(w, "conditions");
    for (size_t k = 0; k < nparts; k++) {
        snprintf(name, sizeof name, "speedup_%s", parts[k]);
        csv_put_str(w, name);
    }
    if (exercised) {
        csv_put_str(w, "exercise_quiet");
        csv_put_str(w, "exercise_conditions");
    }
    csv_end_row(w);
    for (size_t i = 0; i < cl->nrows; i++) {
        const struct class_row *row = &cl->rows[i];

        csv_put_str(w, row->student);
        csv_put_str(w, row->labelled ? "label" : "directory");
        csv_put_str(w, row->dir);
        csv_put_str(w, row->r.host);
        csv_put_uint(w, row->pus);
        if (row->cores > 0)
            csv_put_uint(w, row->cores);
        else
            csv_put_str(w, "");
        if (row->jobs > 0) {
            csv_put_uint(w, row->jobs);
            csv_put_uint(w, row->size);
        } else { /* no parlab-serial run */
            csv_put_str(w, "");
            csv_put_str(w, "");
        }
        if (row->serial_wall > 0)
            csv_put_fixed(w, row->serial_wall, 6);
        else
            csv_put_str(w, "");
        put_speedup(w, row->speedups[CLASS_THREADS].speedup, 4);
        put_speedup(w, row->speedups[CLASS_PROCS].speedup, 4);
        csv_put_uint(w, CLASS_HELD_WORKERS);
        put_speedup(w, row->speedups[CLASS_HELD].speedup, 4);
        if (row->fraction_size > 0)
            csv_put_uint(w, row->fraction_size);
        else
            csv_put_str(w, "");
        for (size_t k = 0; k < nf; k++) {
            const struct class_fit *fit = class_fit_of(row, f[k]);

            put_speedup(w, fit ? fit->speedup : 0, 4);
            if (fit != NULL && fit->speedup > 0)
                csv_put_fixed(w, fit->fitted, 4);
            else
                csv_put_str(w, "");
        }
        csv_put_str(w, class_quiet_name(row->quiet));
        csv_put_str(w, row->conditions);
        for (size_t k = 0; k < nparts; k++) {
            const struct class_exercise *e = class_exercise_of(row, parts[k]);

            put_speedup(w, e ? e->speedup : 0, 4);
        }
        if (exercised) {
            csv_put_str(w, row->exercised ? class_quiet_name(row->exercise_quiet) : "");
            csv_put_str(w, row->exercised ? row->exercise_conditions : "");
        }
        csv_end_row(w);
    }
}

/* A path the table may replace: a regular file (through any symbolic link) or none. */
static bool regular_or_new(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 ? S_ISREG(st.st_mode) : errno == ENOENT;
}

/* Writes the table to path whole or not at all: into a new file beside it, renamed
 * over it once complete. */
static void write_csv(const struct class *cl, const char *given)
{
    char *real = realpath(given, NULL); /* through a symbolic link, not over it */
    const char *path = real != NULL ? real : given;
    struct csv_writer w;
    double *f;
    const char **parts;
    size_t nf = class_fractions(cl, &f), len = strlen(path) + 16;
    size_t nparts = class_exercise_parts(cl, &parts);
    char *tmp = malloc(len);
    FILE *out = NULL;
    int fd;

    if (nf == (size_t)-1 || nparts == (size_t)-1 || tmp == NULL)
        die("out of memory");
    csv_writer_init(&w);
    csv_rows(cl, f, nf, parts, nparts, &w);
    free(f);
    free(parts);
    if (w.failed)
        die("out of memory");
    snprintf(tmp, len, "%s.XXXXXX", path);
    if ((fd = mkstemp(tmp)) < 0 || (out = fdopen(fd, "w")) == NULL)
        die_errno("cannot write '%s'", path);
    if (fwrite(w.data, 1, w.len, out) != w.len || fclose(out) != 0) {
        int saved = errno;

        unlink(tmp);
        errno = saved;
        die_errno("cannot write '%s'", path);
    }
    if (rename(tmp, path) != 0) {
        int saved = errno;

        unlink(tmp);
        errno = saved;
        die_errno("cannot write '%s'", path);
    }
    free(real);
    csv_writer_release(&w);
    free(tmp);
}

/* ---- the command line ------------------------------------------------------------- */

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: parlab-class [--markdown] [--csv FILE] [--figure-data DIR] RESULTS_DIR...\n"
            "Merges students' results directories (each with the runs.csv the parlab\n"
            "programs wrote) into one class table: per student and machine the PUs, the\n"
            "speedups at W = PUs (threads, lock none; procs) and at W = 3 (threads, lock\n"
            "held), each over that student's own serial run of the same jobs and n, the\n"
            "serial fraction fitted back from each -l fraction:F case, and whether the\n"
            "machine was quiet; and a second table of the exercises (parlab-exercise's\n"
            "rows): each part's speedup at W = PUs over the student's own serial part.\n"
            "The student is the runs' label column, or the directory's name.  A directory\n"
            "that cannot be used is named on stderr with its reason and skipped.  Exit 0\n"
            "when at least one was used, 1 when none.\n\n"
            "Options:\n"
            "      --markdown         print the table in Markdown (the default when neither\n"
            "                         --csv nor --figure-data is given)\n"
            "      --csv FILE         write the table as CSV into FILE\n"
            "      --figure-data DIR  write class-speedup, class-pus and class-amdahl .dat\n"
            "                         and .gp into the directory DIR for plots/class-*.gp,\n"
            "                         and DIR/class-figures, a line per figure: \"FIGURE yes\"\n"
            "                         or \"FIGURE no REASON\" (make class draws them)\n"
            "  -h, --help             print this help and exit\n"
            "  -V, --version          print the version and exit\n");
}

enum { OPT_MARKDOWN = 256, OPT_CSV, OPT_FIGURES };

static void take_option(int opt, const char *arg, const char *name, void *ctx)
{
    struct request *q = ctx;

    if (opt == OPT_MARKDOWN)
        q->markdown = true;
    else if (opt == OPT_CSV)
        q->csv = tool_path(name, arg);
    else
        q->figure_dir = tool_path(name, arg);
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        {"markdown", no_argument, NULL, OPT_MARKDOWN},
        {"csv", required_argument, NULL, OPT_CSV},
        {"figure-data", required_argument, NULL, OPT_FIGURES},
        {NULL, 0, NULL, 0},
    };
    static const struct tool tool = {"parlab-class", usage, "", options, true};
    struct request q = {0};
    struct class cl;
    struct note_list skipped;
    char why[4352], line[4608];
    int first = tool_parse(&tool, argc, argv, take_option, &q);

    if (first == argc)
        die_usage("give at least one results directory");
    if (q.csv == NULL && q.figure_dir == NULL)
        q.markdown = true;
    /* The table replaces the file by a rename: a FIFO, a device or /dev/stdout (a
     * symbolic link) would be replaced itself, so only a regular file or a new path */
    if (q.csv != NULL && !regular_or_new(q.csv))
        die_usage("cannot write '%s': it is not a regular file (a FIFO, a device or a "
                  "terminal); the table goes to files only",
                  q.csv);
    class_init(&cl);
    note_list_init(&skipped);
    for (int i = first; i < argc; i++) {
        int rc = class_add(&cl, argv[i], why, sizeof why);

        if (rc < 0)
            die("%s", why);
        if (rc == 0)
            continue;
        snprintf(line, sizeof line, "'%s': %s", argv[i], why); /* one line each */
        say_error("skipped %s", line);
        if (note_add(&skipped, line) == 0)
            die("out of memory");
    }
    if (cl.nrows == 0)
        die("none of the %d %s given could be used", argc - first,
            argc - first == 1 ? "directory" : "directories");
    if (q.csv != NULL)
        write_csv(&cl, q.csv);
    if (q.figure_dir != NULL && class_write_figures(&cl, q.figure_dir, why, sizeof why) < 0)
        die("%s", why);
    if (q.markdown)
        print_markdown(&cl, (size_t)(argc - first), &skipped);
    note_list_release(&skipped);
    class_release(&cl);
    return tool_finish();
}
