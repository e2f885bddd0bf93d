/*
 * parlab-exercise - the checker of the OpenMP exercises: a student's file built
 * warning-free, run at every W in processes of its own under a time limit, every
 * result checked exactly, and what it saw said in plain words.
 *
 *   bin/parlab-exercise pi                    # labs/exercises/pi.c, as it is
 *   bin/parlab-exercise pi ~/my-pi.c -w 1,2,4 -r 5
 *   bin/parlab-exercise --solution pi         # the lecturer's: its solution blocks
 *   bin/parlab-exercise --strip labs/exercises/pi.c > pi.c   # the skeleton to hand out
 *   bin/parlab-exercise --list
 *
 * Exit 0 when every part is right in every run, 1 when something is not done yet,
 * wrong, crashed or hung (the last line says which), 2 for a bad command line.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parlab/checker.h"
#include "parlab/cli.h"
#include "parlab/csv.h"
#include "parlab/die.h"
#include "parlab/interrupt.h"
#include "parlab/run.h"
#include "parlab/tool.h"

/* Where the build put what a student's file is linked with (Makefile). */
#ifndef PARLAB_EXERCISE_ROOT
#define PARLAB_EXERCISE_ROOT "."
#endif
#ifndef PARLAB_EXERCISE_BUILD
#define PARLAB_EXERCISE_BUILD "build"
#endif
#ifndef PARLAB_EXERCISE_CC
#define PARLAB_EXERCISE_CC "cc"
#endif
#ifndef PARLAB_EXERCISE_CFLAGS
#define PARLAB_EXERCISE_CFLAGS "-O2"
#endif
#ifndef PARLAB_EXERCISE_HWLOC_CFLAGS
#define PARLAB_EXERCISE_HWLOC_CFLAGS ""
#endif
#ifndef PARLAB_EXERCISE_HWLOC_LIBS
#define PARLAB_EXERCISE_HWLOC_LIBS "-lhwloc"
#endif

#define MAX_THREADS 256
#define MAX_WS 16

enum { OPT_TIMEOUT = 256, OPT_RUNS_CSV, OPT_JOBS_CSV, OPT_LABEL, OPT_STRIP };

struct request {
    struct check_request rq;
    unsigned threads[MAX_WS];
    bool list, strip, threads_given, size_given;
    const char *strip_file;
};

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: parlab-exercise [OPTIONS] NAME [FILE]\n"
            "       parlab-exercise --strip FILE [--solution]\n"
            "       parlab-exercise --list\n"
            "Builds FILE (default labs/exercises/NAME.c) warning-free with its harness, runs\n"
            "each part of exercise NAME in a process of its own at every W, checks every\n"
            "result exactly, and says what it saw: which parts are not done yet, wrong (a\n"
            "race: wrong with several threads, right with one), slow and why, crashed or\n"
            "hung.  Exit 0 when every part is right in every run, 1 otherwise.\n\n"
            "Options:\n"
            "  -s, --solution       build with -DPARLAB_SOLUTION: the solutions of a file that\n"
            "                       holds them (labs/exercises/NAME.c in parlab's own tree)\n"
            "  -w, --threads LIST   the W of the trials, ascending, from 1, at most %d\n"
            "                       (default: 1 to the PUs, and twice the PUs)\n"
            "  -r, --runs N         trials of each part at each W (default 3, at most 64)\n"
            "  -n, --size N         the problem's size (default: the exercise's own; --list)\n"
            "      --timeout S      seconds one trial may take before it is stopped (default 20)\n"
            "      --runs-csv FILE  append the right trials' rows to FILE (runs.csv's columns)\n"
            "      --jobs-csv FILE  and their jobs' rows, where the exercise has jobs\n"
            "      --label NAME     who measured, for runs.csv's label column\n"
            "  -p, --part PART      check only this part (and the serial one the speedups\n"
            "                       divide by): the one just written\n"
            "  -v, --verbose        print every trial\n"
            "      --strip FILE     print FILE without its solution blocks: the skeleton to\n"
            "                       hand out (with --solution: without its skeleton blocks)\n"
            "  -l, --list           list the exercises\n"
            "  -h, --help           print this help and exit\n"
            "  -V, --version        print the version and exit\n",
            MAX_THREADS);
}

/* "1,2,4": ascending, the first 1. */
static size_t parse_threads(const char *text, unsigned *out)
{
    size_t n = 0;
    const char *s = text;

    while (*s != '\0') {
        char word[16];
        size_t len = strcspn(s, ",");
        unsigned long long v;

        if (len == 0 || len >= sizeof word || n == MAX_WS)
            return 0;
        memcpy(word, s, len);
        word[len] = '\0';
        if (cli_parse_count(word, 1, MAX_THREADS, &v) != 0 || (n > 0 && v <= out[n - 1]))
            return 0;
        out[n++] = (unsigned)v;
        s += len;
        if (*s == ',' && *++s == '\0')
            return 0;
    }
    return n > 0 && out[0] == 1 ? n : 0;
}

static void take_option(int opt, const char *arg, const char *name, void *ctx)
{
    struct request *q = ctx;
    unsigned long long v;
    char *end;

    switch (opt) {
    case 's':
        q->rq.solution = true;
        break;
    case 'w':
        q->rq.nthreads = parse_threads(arg, q->threads);
        if (q->rq.nthreads == 0)
            die_usage("invalid value '%s' for --%s: expected W from 1 to %d, ascending, the "
                      "first 1, comma separated (1,2,4)",
                      arg, name, MAX_THREADS);
        q->threads_given = true;
        break;
    case 'r':
        if (cli_parse_count(arg, 1, 64, &v) != 0)
            die_usage("invalid value '%s' for --%s: expected a whole number from 1 to 64", arg,
                      name);
        q->rq.runs = (unsigned)v;
        break;
    case 'n':
        if (cli_parse_count(arg, 1, UINT64_C(1) << 40, &v) != 0)
            die_usage("invalid value '%s' for --%s: expected a whole number, at least 1", arg,
                      name);
        q->rq.size = v;
        q->size_given = true;
        break;
    case OPT_TIMEOUT:
        errno = 0;
        q->rq.timeout = strtod(arg, &end);
        if (arg[0] < '0' || arg[0] > '9' || *end != '\0' || errno != 0 ||
            !(q->rq.timeout > 0) || q->rq.timeout > 3600)
            die_usage("invalid value '%s' for --%s: expected seconds, above 0, at most 3600",
                      arg, name);
        break;
    case OPT_RUNS_CSV:
        q->rq.runs_csv = tool_path(name, arg);
        break;
    case OPT_JOBS_CSV:
        q->rq.jobs_csv = tool_path(name, arg);
        break;
    case OPT_LABEL:
        if (!cli_label_ok(arg))
            die_usage("invalid value '%s' for --%s: expected 1 to 64 printable characters, "
                      "not beginning or ending with a space",
                      arg, name);
        q->rq.label = arg;
        break;
    case 'v':
        q->rq.verbose = true;
        break;
    case 'p':
        q->rq.only = arg;
        break;
    case 'l':
        q->list = true;
        break;
    case OPT_STRIP:
        q->strip = true;
        q->strip_file = tool_path(name, arg);
        break;
    }
}

static void list(void)
{
    for (size_t i = 0; i < exercise_count; i++) {
        const struct exercise *ex = exercise_table[i];

        printf("%-10s %s (%s; default %llu %s)\n", ex->name, ex->title, ex->handout,
               (unsigned long long)ex->size, ex->size_unit);
    }
}

/* "serial, race, critical": the parts of an exercise. */
static const char *part_names(const struct exercise *ex)
{
    static char text[512];
    size_t used = 0;

    text[0] = '\0';
    for (size_t k = 0; k < ex->nparts && used < sizeof text; k++)
        used += (size_t)snprintf(text + used, sizeof text - used, "%s%s", k ? ", " : "",
                                 ex->parts[k].name);
    return text;
}

/* --strip: the skeleton (or the solution) of a file, on stdout. */
static int strip(const char *path, bool solution)
{
    FILE *in, *text;
    char why[256], *data = NULL;
    size_t len = 0;
    struct stat st;

    /* asked before it is opened: a FIFO would wait for a writer forever */
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
        die_usage("'%s' is not a regular file (the exercise's C file)", path);
    if ((in = fopen(path, "r")) == NULL)
        die_errno("cannot read '%s'", path);
    /* kept until the whole file is divided: a refused file prints nothing, so that
     * `--strip x.c > skeleton.c` leaves no half a skeleton */
    if ((text = open_memstream(&data, &len)) == NULL)
        die_errno("cannot strip '%s'", path);
    if (exercise_strip(in, text, solution, why, sizeof why) < 0) {
        fclose(in);
        fclose(text);
        free(data);
        die("'%s': %s", path, why);
    }
    fclose(in);
    fclose(text);
    if (fwrite(data, 1, len, stdout) != len && tool_reader_gone()) {
        free(data);
        return EXIT_SUCCESS;
    }
    free(data);
    return tool_finish();
}

/* The solution blocks of the file at path (exercise_strip's count), or -1 when it
 * cannot be read or divided (the compiler then says what is wrong). */
static int solution_blocks(const char *path)
{
    FILE *in = fopen(path, "r"), *null = fopen("/dev/null", "w");
    char why[256];
    int n = -1;

    if (in != NULL && null != NULL)
        n = exercise_strip(in, null, true, why, sizeof why);
    if (in != NULL)
        fclose(in);
    if (null != NULL)
        fclose(null);
    return n;
}

/* A CSV option's file: one that rows can be appended to, before anything runs. */
static void check_target(const char *path, const char *header)
{
    char why[512];

    if (path != NULL && csv_check_target(path, header, why, sizeof why) != 0)
        die_usage("%s", why);
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        {"solution", no_argument, NULL, 's'},
        {"threads", required_argument, NULL, 'w'},
        {"runs", required_argument, NULL, 'r'},
        {"size", required_argument, NULL, 'n'},
        {"timeout", required_argument, NULL, OPT_TIMEOUT},
        {TOOL_RUNS_CSV, required_argument, NULL, OPT_RUNS_CSV},
        {TOOL_JOBS_CSV, required_argument, NULL, OPT_JOBS_CSV},
        {"label", required_argument, NULL, OPT_LABEL},
        {"verbose", no_argument, NULL, 'v'},
        {"part", required_argument, NULL, 'p'},
        {"list", no_argument, NULL, 'l'},
        {"strip", required_argument, NULL, OPT_STRIP},
        {NULL, 0, NULL, 0},
    };
    static const struct tool tool = {"parlab-exercise", usage, "sw:r:n:vlp:", options, true};
    struct request q = {.rq = {.runs = 3, .timeout = 20}};
    int first = tool_parse(&tool, argc, argv, take_option, &q), n = argc - first, status;
    char file[4096];
    struct stat st;

    if (q.list || q.strip) {
        if (n > 0)
            die_usage("unexpected argument '%s'", argv[first]);
        if (q.list) {
            list();
            return tool_finish();
        }
        return strip(q.strip_file, q.rq.solution);
    }
    if (n == 0)
        die_usage("give an exercise's name (parlab-exercise --list shows them)");
    if (n > 2)
        die_usage("unexpected argument '%s'", argv[first + 2]);
    if ((q.rq.ex = exercise_find(argv[first])) == NULL)
        die_usage("no exercise '%s' (parlab-exercise --list shows them)", argv[first]);
    if (n == 2) {
        q.rq.file = argv[first + 1];
    } else {
        snprintf(file, sizeof file, "%s/labs/exercises/%s.c", PARLAB_EXERCISE_ROOT,
                 q.rq.ex->name);
        q.rq.file = file;
    }
    if (q.rq.file[0] == '\0')
        die_usage("invalid file name '': expected the exercise's C file");
    if (stat(q.rq.file, &st) != 0)
        die_usage("cannot read '%s': %s", q.rq.file, strerror(errno));
    if (!S_ISREG(st.st_mode))
        die_usage("'%s' is not a regular file (the exercise's C file)", q.rq.file);
    if (q.rq.solution && solution_blocks(q.rq.file) == 0)
        die_usage("'%s' holds no solution (no #ifdef PARLAB_SOLUTION): --solution is for "
                  "parlab's own exercise files, not a student's copy",
                  q.rq.file);
    if (q.rq.only != NULL) {
        size_t k = 0;

        while (k < q.rq.ex->nparts && strcmp(q.rq.ex->parts[k].name, q.rq.only) != 0)
            k++;
        if (k == q.rq.ex->nparts)
            die_usage("exercise %s has no part '%s' (its parts: %s)", q.rq.ex->name, q.rq.only,
                      part_names(q.rq.ex));
    }
    if (!q.size_given)
        q.rq.size = q.rq.ex->size;
    if (q.rq.size < q.rq.ex->min_size || q.rq.size > q.rq.ex->max_size)
        die_usage("invalid value '%llu' for --size: exercise %s takes %llu to %llu %s",
                  (unsigned long long)q.rq.size, q.rq.ex->name,
                  (unsigned long long)q.rq.ex->min_size,
                  (unsigned long long)q.rq.ex->max_size, q.rq.ex->size_unit);
    if (q.rq.jobs_csv != NULL && q.rq.runs_csv == NULL)
        die_usage("--jobs-csv needs --runs-csv: a job row belongs to a run row");
    if (q.rq.runs_csv != NULL && q.rq.jobs_csv != NULL &&
        csv_same_file(q.rq.runs_csv, q.rq.jobs_csv))
        die_usage("--runs-csv and --jobs-csv name the same file '%s'", q.rq.runs_csv);
    check_target(q.rq.runs_csv, RUNS_CSV_HEADER);
    check_target(q.rq.jobs_csv, JOBS_CSV_HEADER);
    if (!q.threads_given) {
        long pus = sysconf(_SC_NPROCESSORS_ONLN);
        cpu_set_t set;

        if (sched_getaffinity(0, sizeof set, &set) == 0)
            pus = CPU_COUNT(&set);
        if (pus < 1)
            pus = 1;
        if (pus > MAX_THREADS / 2)
            pus = MAX_THREADS / 2;
        for (long w = 1; w <= pus && q.rq.nthreads < MAX_WS - 1; w++)
            q.threads[q.rq.nthreads++] = (unsigned)w;
        q.threads[q.rq.nthreads++] = (unsigned)(2 * pus);
    }
    q.rq.threads = q.threads;
    q.rq.cc = PARLAB_EXERCISE_CC;
    q.rq.cflags = PARLAB_EXERCISE_CFLAGS;
    q.rq.root = PARLAB_EXERCISE_ROOT;
    q.rq.build = PARLAB_EXERCISE_BUILD;
    q.rq.hwloc_cflags = PARLAB_EXERCISE_HWLOC_CFLAGS;
    q.rq.hwloc_libs = PARLAB_EXERCISE_HWLOC_LIBS;

    interrupt_install();
    interrupt_defer(true); /* Ctrl-C is noted: the trial is stopped, then we die of it */
    /* A reader that goes away (`| head`) must not end us mid-check, with a trial running
     * and our directory left behind: without SIGPIPE a write to its pipe fails, what is
     * printed is lost, and the check ends as it would have, its rows written. */
    signal(SIGPIPE, SIG_IGN);
    /* What a trial leaves running outside its process group (setsid) is given to us
     * when its parent dies, so that it is found and killed too (checker_spawn). */
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    status = checker_check(&q.rq, stdout);
    interrupt_defer(false);
    tool_finish(); /* a closed stdout, a full disk: exit 1, saying so */
    return status;
}
