/*
 * trials.c - checker_check(): an exercise built, tried at every W, judged, recorded
 * (checker.h).
 */
#include "parlab/checker.h"

#include <errno.h>
#include <ftw.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "parlab/clock.h"
#include "parlab/csv.h"
#include "parlab/exercise.h"
#include "parlab/interrupt.h"
#include "parlab/machine.h"
#include "parlab/run.h"
#include "parlab/stats.h"
#include "parlab/summary.h"
#include "parlab/topo.h"

/* One trial's numbers, kept for the medians. */
struct sample {
    double wall, cpu, other, value;
    double child_cpu; /* the whole child's CPU time, start-up included (wait4) */
};

struct checker {
    const struct check_request *rq;
    FILE *out;
    char dir[4096];  /* the temporary directory: the program, its output, its CSVs */
    char tmpdir_env[4200]; /* "TMPDIR=dir": the compiler's and the trials' temporary files
                            * go there too, and so are removed with it, whatever ends them */
    char binary[4160], log[4160], runs_tmp[4160], jobs_tmp[4160];
    char tsan_binary[4160]; /* the file built with ThreadSanitizer, for the parts that ask */
    int tsan;               /* 1 when it is built, -1 when it cannot be, 0 before the first
                             * part that asks */
    char host[256], stamp[CLOCK_ISO_LEN];
    unsigned pus, cores;
    struct machine_watch watch;
    unsigned trials; /* run ids: one per trial */
    struct csv_writer runs, jobs;
    bool interrupted;
    bool fatal;      /* a crash, a hang, a broken harness: the verdict is said */
    bool trouble;    /* the checker's or the machine's, not the file's: said on stderr,
                      * with no verdict */
    char fatal_text[1024];
};

/* ---- building ---------------------------------------------------------------------- */

/* The least room a check wants in TMPDIR: the build (about 1 MiB with ThreadSanitizer's),
 * the trials' output and CSVs. */
#define MIN_FREE_BYTES (16.0 * 1024 * 1024)

/* Appends the words of `flags` (space separated) to argv. */
static void add_words(char **argv, size_t *argc, size_t max, char *flags)
{
    for (char *w = strtok(flags, " \t"); w != NULL && *argc + 1 < max; w = strtok(NULL, " \t"))
        argv[(*argc)++] = w;
}

/* Prints the first lines of the file at path, indented, each cut at 300 characters (the
 * compiler quotes the line of a binary file, or a generated one, whole). */
static void print_head(FILE *out, const char *path, unsigned lines)
{
    FILE *f = fopen(path, "r");
    char line[301];
    unsigned n = 0;

    if (f == NULL)
        return;
    while (fgets(line, sizeof line, f) != NULL) {
        bool whole = strchr(line, '\n') != NULL, cut = !whole && strlen(line) == sizeof line - 1;
        int c;

        if (n++ >= lines) {
            fprintf(out, "    ...\n");
            break;
        }
        while (cut && (c = getc(f)) != EOF && c != '\n')
            ; /* the rest of a longer line */
        fprintf(out, "    %s%s", line, whole ? "" : cut ? " ...\n" : "\n");
    }
    fclose(f);
}

/* Prints the last lines of the file at path, indented. */
static void print_tail(FILE *out, const char *path, unsigned lines)
{
    FILE *f = fopen(path, "r");
    char ring[8][512];
    unsigned n = 0;

    if (f == NULL)
        return;
    if (lines > 8)
        lines = 8;
    while (fgets(ring[n % lines], sizeof ring[0], f) != NULL)
        n++;
    fclose(f);
    for (unsigned k = n > lines ? n - lines : 0; k < n; k++)
        fprintf(out, "    %s%s", ring[k % lines], strchr(ring[k % lines], '\n') ? "" : "\n");
}

/* True when the log at path holds anything but blanks. */
static bool said_something(const char *path)
{
    FILE *f = fopen(path, "r");
    int c = EOF;

    if (f == NULL)
        return false;
    while ((c = getc(f)) != EOF && (c == ' ' || c == '\t' || c == '\n' || c == '\r'))
        ;
    fclose(f);
    return c != EOF;
}

/* True when the compiler's log at path holds a complaint about the file compiled as
 * `file`: an error or a warning at one of its lines (but not that an output could not be
 * written, nor the compiler's own crash), or a symbol the link misses or has twice. */
static bool blames_the_file(const char *path, const char *file)
{
    FILE *f = fopen(path, "r");
    char line[1024];
    size_t n = strlen(file);
    bool blamed = false;

    if (f == NULL)
        return false;
    while (!blamed && fgets(line, sizeof line, f) != NULL)
        blamed = (strncmp(line, file, n) == 0 && line[n] == ':' &&
                  (strstr(line, " error: ") || strstr(line, " warning: ")) &&
                  !strstr(line, "error writing") && !strstr(line, "internal compiler error")) ||
                 strstr(line, "undefined reference to") || strstr(line, "multiple definition of");
    fclose(f);
    return blamed;
}

/* Why a build of `file` that failed may be this session's doing rather than the file's,
 * into why ("; TMPDIR '/tmp' has 12 KiB free"): the compiler killed, stopped or silent,
 * little room in the directory it writes to, a small limit on files or memory, and no
 * complaint of the compiler's about the file itself.  Returns false, with why empty,
 * when there is none: then the compiler's messages are the file's. */
static bool build_trouble(const struct checker *ck, const char *file,
                          const struct child_end *end, char *why, size_t len)
{
    struct statvfs fs;
    struct rlimit lim;
    size_t used = 0;

    why[0] = '\0';
    if (WIFEXITED(end->status) && !end->timed_out && blames_the_file(ck->log, file))
        return false;
    if (!said_something(ck->log))
        used += (size_t)snprintf(why + used, len - used, " without a message");
    if (statvfs(ck->dir, &fs) == 0 && (double)fs.f_bavail * (double)fs.f_frsize < MIN_FREE_BYTES &&
        used < len)
        used += (size_t)snprintf(why + used, len - used, "; TMPDIR '%s' has %.0f KiB free",
                                 csv_spool_dir(),
                                 (double)fs.f_bavail * (double)fs.f_frsize / 1024);
    if (getrlimit(RLIMIT_FSIZE, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY &&
        lim.rlim_cur < ((rlim_t)256 << 20) && used < len)
        used += (size_t)snprintf(why + used, len - used,
                                 "; files are limited to %llu KiB here (ulimit -f)",
                                 (unsigned long long)lim.rlim_cur / 1024);
    if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < 64 && used < len)
        used += (size_t)snprintf(why + used, len - used,
                                 "; open files are limited to %llu here (ulimit -n)",
                                 (unsigned long long)lim.rlim_cur);
    if (getrlimit(RLIMIT_AS, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY &&
        lim.rlim_cur < ((rlim_t)1 << 30) && used < len)
        used += (size_t)snprintf(why + used, len - used,
                                 "; memory is limited to %llu MiB here (ulimit -v)",
                                 (unsigned long long)lim.rlim_cur >> 20);
    return used > 0 || end->timed_out || !WIFEXITED(end->status);
}

/* Builds the file into ck->binary, or with `tsan` into ck->tsan_binary with
 * ThreadSanitizer.  Returns 0, or -1: with ck->fatal set when the file does not
 * build, ck->trouble when the build failed for another reason (what the file is built
 * with is missing, the compiler cannot run or fails for want of room or memory); a
 * ThreadSanitizer build that fails is only not there. */
static int build(struct checker *ck, bool tsan)
{
    const struct check_request *rq = ck->rq;
    char include[4200], exercises[4200], harness[4200], main_o[4200], lib[4200];
    char header[4200], file[4200], why[512];
    char *flags = strdup(rq->cflags ? rq->cflags : ""), *hc = strdup(rq->hwloc_cflags),
         *hl = strdup(rq->hwloc_libs);
    char *argv[96];
    size_t argc = 0;
    struct child_end end;
    char how[256];
    int status = -1;

    if (flags == NULL || hc == NULL || hl == NULL)
        goto done;
    snprintf(include, sizeof include, "-I%s/include", rq->root);
    snprintf(exercises, sizeof exercises, "-I%s/labs/exercises", rq->root);
    snprintf(harness, sizeof harness, "%s/exercises/%s.o", rq->build, rq->ex->name);
    snprintf(main_o, sizeof main_o, "%s/exercises/harness.o", rq->build);
    snprintf(lib, sizeof lib, "%s/libparlab.a", rq->build);
    snprintf(header, sizeof header, "%s/include/parlab/exercise.h", rq->root);
    /* what the file is built with: else the compiler's complaint would be the file's */
    for (const char *const *need = (const char *const[]){header, lib, main_o, harness, NULL};
         *need != NULL && !tsan; need++) {
        if (rq->ex->program && (*need == main_o || *need == harness))
            continue;
        if (access(*need, R_OK) != 0) {
            fprintf(stderr, "parlab-exercise: cannot read '%s', which the exercise is built "
                            "with: %s (run make in '%s')\n",
                    *need, strerror(errno), rq->root);
            ck->trouble = true;
            goto done;
        }
    }
    /* compiled as C whatever its name ends in (pi.txt), and never taken for an option
     * (-pi.c) */
    snprintf(file, sizeof file, "%s%s", rq->file[0] == '-' ? "./" : "", rq->file);
    argv[argc++] = (char *)rq->cc;
    argv[argc++] = "-std=c11";
    argv[argc++] = "-D_GNU_SOURCE";
    argv[argc++] = "-Wall";
    argv[argc++] = "-Wextra";
    argv[argc++] = "-Werror";
    argv[argc++] = "-fopenmp";
    argv[argc++] = "-pthread";
    if (rq->solution)
        argv[argc++] = "-DPARLAB_SOLUTION";
    argv[argc++] = include;
    argv[argc++] = exercises;
    add_words(argv, &argc, 80, hc);
    add_words(argv, &argc, 80, flags);
    if (tsan)
        argv[argc++] = "-fsanitize=thread";
    argv[argc++] = "-o";
    argv[argc++] = tsan ? ck->tsan_binary : ck->binary;
    argv[argc++] = "-x";
    argv[argc++] = "c";
    argv[argc++] = file;
    argv[argc++] = "-x";
    argv[argc++] = "none";
    if (!rq->ex->program) {
        argv[argc++] = harness;
        argv[argc++] = main_o;
    }
    argv[argc++] = lib;
    add_words(argv, &argc, 94, hl);
    argv[argc++] = "-lm";
    argv[argc] = NULL;
    if (argv[0][0] != '/' && strchr(argv[0], '/') == NULL) {
        /* a compiler named without a path: found in PATH by a shell-less lookup */
        static char found[4096];
        const char *path = getenv("PATH");

        for (const char *p = path ? path : "/usr/bin:/bin"; *p != '\0';) {
            size_t n = strcspn(p, ":");

            snprintf(found, sizeof found, "%.*s/%s", (int)n, p, argv[0]);
            if (access(found, X_OK) == 0) {
                argv[0] = found;
                break;
            }
            p += n + (p[n] == ':');
        }
        if (argv[0] != found) {
            fprintf(stderr, "parlab-exercise: cannot find the compiler '%s' in PATH\n", rq->cc);
            ck->trouble = true;
            goto done;
        }
    }
    if (checker_spawn(argv, (char *[]){ck->tmpdir_env, NULL}, ck->log, 300, NULL, &end) != 0) {
        fprintf(ck->out, "cannot start the compiler '%s': %s\n", rq->cc, strerror(errno));
        goto done;
    }
    if (end.interrupted) {
        ck->interrupted = true;
        goto done;
    }
    if (tsan && (end.timed_out || !WIFEXITED(end.status) || WEXITSTATUS(end.status) != 0))
        goto done; /* no libtsan here, say: the races are looked for by running only */
    if (end.timed_out || !WIFEXITED(end.status) || WEXITSTATUS(end.status) != 0) {
        checker_describe_end(&end, 300, how, sizeof how);
        fprintf(ck->out, "\nthe compiler %s; its messages:\n", how);
        print_head(ck->out, ck->log, 40);
        if (build_trouble(ck, file, &end, why, sizeof why)) {
            fflush(ck->out);
            fprintf(stderr, "parlab-exercise: cannot tell whether %s builds: the compiler %s%s\n",
                    rq->file, how, why);
            ck->trouble = true;
            goto done;
        }
        snprintf(ck->fatal_text, sizeof ck->fatal_text,
                 "%s does not compile without warnings (the compiler's messages are "
                 "above: here a warning stops the build)",
                 rq->file);
        ck->fatal = true;
        goto done;
    }
    status = 0;
done:
    free(flags);
    free(hc);
    free(hl);
    return status;
}

/* ---- one trial --------------------------------------------------------------------- */

/* What a trial is for.  A program exercise's parts but the serial one get one held
 * trial at the largest W; a part that asks (.tsan) one under ThreadSanitizer there. */
enum trial_kind {
    TRIAL_PLAIN, /* measured: its times and rows are kept */
    TRIAL_HELD,  /* --lock held: no two jobs may overlap */
    TRIAL_TSAN   /* built with ThreadSanitizer: a data race it reports is wrong */
};

/* A trial's report, parsed. */
struct outcome {
    bool todo, result, ok;
    char todo_func[128], todo_where[256], todo_what[512];
    double wall, cpu, value;
    char detail[512];
};

/* Splits line (modified) at tabs into at most max fields; returns their count. */
static size_t split(char *line, char **fields, size_t max)
{
    size_t n = 0;

    while (n < max) {
        char *tab = strchr(line, '\t');

        fields[n++] = line;
        if (tab == NULL)
            break;
        *tab = '\0';
        line = tab + 1;
    }
    return n;
}

static double number(const char *text)
{
    char *end;
    double v = strtod(text, &end);

    return end != text && isfinite(v) ? v : NAN;
}

/* The report's lines into *o, its job lines into ck->jobs as jobs.csv rows of run_id. */
static void parse_report(struct checker *ck, char *report, const char *run_id, pid_t pid,
                         struct outcome *o, struct csv_writer *jobs)
{
    for (char *line = report, *next; line != NULL && *line != '\0'; line = next) {
        char *f[12];
        size_t n;

        next = strchr(line, '\n');
        if (next != NULL)
            *next++ = '\0';
        n = split(line, f, 12);
        if (strcmp(f[0], "todo") == 0 && n >= 4 && !o->todo) {
            o->todo = true;
            snprintf(o->todo_func, sizeof o->todo_func, "%s", f[1]);
            snprintf(o->todo_where, sizeof o->todo_where, "%s", f[2]);
            snprintf(o->todo_what, sizeof o->todo_what, "%s", f[3]);
        } else if (strcmp(f[0], "result") == 0 && n >= 6) {
            o->result = true;
            o->ok = strcmp(f[1], "1") == 0;
            o->wall = number(f[2]);
            o->cpu = number(f[3]);
            o->value = number(f[4]);
            snprintf(o->detail, sizeof o->detail, "%s", f[5]);
            if (!(o->wall >= 0) || !(o->cpu >= 0)) {
                o->result = false; /* a harness bug: said below */
            }
        } else if (strcmp(f[0], "note") == 0 && n >= 2 && ck->rq->verbose) {
            fprintf(ck->out, "    %s\n", f[1]);
        } else if (strcmp(f[0], "job") == 0 && n >= 10) {
            /* job JOB THREAD T_START T_END CPU RESULT OK PU SIZE (exercise.h, trial_job);
             * the thread's id is not reported: an empty tid */
            csv_put_str(jobs, run_id);
            csv_put_str(jobs, f[1]);
            csv_put_str(jobs, f[2]);
            csv_put_int(jobs, pid);
            csv_put_str(jobs, "");
            csv_put_str(jobs, f[8]);
            csv_put_str(jobs, f[8]);
            csv_put_str(jobs, f[3]);
            csv_put_str(jobs, f[4]);
            csv_put_str(jobs, f[5]);
            csv_put_fixed(jobs, 0, 9);
            csv_put_str(jobs, f[6]);
            csv_put_str(jobs, f[7]);
            csv_put_str(jobs, "");
            csv_put_str(jobs, "no");
            csv_put_uint(jobs, 0);
            csv_put_fixed(jobs, 0, 9);
            csv_put_uint(jobs, 0);
            csv_put_str(jobs, f[9]);
            csv_put_str(jobs, ck->host);
            csv_put_str(jobs, ""); /* no MPI rank, no thread within one */
            csv_put_str(jobs, "");
            csv_end_row(jobs);
        }
    }
}

/* Appends len bytes to w as they are (whole rows). */
static void append_bytes(struct csv_writer *w, const char *data, size_t len)
{
    if (len == 0 || w->failed)
        return;
    if (w->len + len + 1 > w->cap) {
        size_t want = w->cap ? w->cap * 2 : 8192;
        char *p;

        while (want < w->len + len + 1)
            want *= 2;
        if ((p = realloc(w->data, want)) == NULL) {
            w->failed = true;
            return;
        }
        w->data = p;
        w->cap = want;
    }
    memcpy(w->data + w->len, data, len);
    w->len += len;
    w->data[w->len] = '\0';
}

static void append_writer(struct csv_writer *dst, const struct csv_writer *src)
{
    append_bytes(dst, src->data, src->len);
    dst->failed = dst->failed || src->failed;
}

/* Appends the rows of the CSV file at path, after its header, to w. */
static void pass_rows(const char *path, struct csv_writer *w)
{
    FILE *f = fopen(path, "r");
    char line[8192];
    bool header = true;

    if (f == NULL) {
        w->failed = true;
        return;
    }
    while (fgets(line, sizeof line, f) != NULL) {
        if (!header)
            append_bytes(w, line, strlen(line));
        header = false;
    }
    fclose(f);
}

/* A program exercise's trial that ended well: its runs.csv row gives the times, and
 * its jobs.csv rows must tell the story of W threads that each run one job at a time
 * (and with the lock held, of one job at a time in all): else it is wrong, and why is
 * the detail.  Without a run row, no result. */
static void read_program_run(struct checker *ck, unsigned threads, bool held, struct outcome *o)
{
    const struct job_rows_rule rule = {ck->rq->ex->jobs, threads, "tid", held};
    struct csv_table t;
    int wall, cpu;

    if (csv_read_file(ck->runs_tmp, &t) != 0)
        return;
    wall = csv_column(&t, "wall_s");
    cpu = csv_column(&t, "cpu_self_s");
    if (t.nrows == 2 && wall >= 0 && cpu >= 0) {
        o->result = true;
        o->ok = true;
        o->wall = number(csv_field(&t, 1, wall));
        o->cpu = number(csv_field(&t, 1, cpu));
    }
    csv_table_release(&t);
    if (!o->result)
        return;
    if (csv_read_file(ck->jobs_tmp, &t) != 0) {
        o->ok = false;
        snprintf(o->detail, sizeof o->detail, "it wrote no jobs CSV (--jobs-csv)");
        return;
    }
    if (run_check_job_rows(&t, &rule, o->detail, sizeof o->detail) != 0)
        o->ok = false;
    csv_table_release(&t);
}

/* The last line of the file at path that is not empty (and holds `needle`, when it is
 * not NULL), without its line break; "" when there is none. */
static void last_line(const char *path, const char *needle, char *line, size_t len)
{
    FILE *f = fopen(path, "r");
    char buf[1024];

    line[0] = '\0';
    if (f == NULL)
        return;
    while (fgets(buf, sizeof buf, f) != NULL)
        if (buf[strspn(buf, " \t\r\n")] != '\0' && (needle == NULL || strstr(buf, needle)))
            snprintf(line, len, "%.*s", (int)strcspn(buf, "\r\n"), buf);
    fclose(f);
}

/* A ThreadSanitizer trial's end: a data race it reported (exit 66, its SUMMARY line
 * in the log) is a wrong result that names the place; an end without one is a right
 * one; anything else (ThreadSanitizer cannot run here, or the run failed otherwise,
 * which the plain trials judge) no result at all. */
static void tsan_outcome(struct checker *ck, const struct child_end *end, struct outcome *o)
{
    static const char mark[] = "SUMMARY: ThreadSanitizer: data race ";
    FILE *f;
    char line[1024];

    if (end->timed_out || !WIFEXITED(end->status))
        return;
    o->wall = end->wall_s; /* the process's: a sanitizer's times are no measurement */
    o->cpu = end->cpu_s;
    if (WEXITSTATUS(end->status) == 0) {
        o->result = o->ok = true;
        return;
    }
    if (WEXITSTATUS(end->status) != 66 || (f = fopen(ck->log, "r")) == NULL)
        return;
    while (fgets(line, sizeof line, f) != NULL) {
        char *where = strstr(line, mark), *slash;

        if (where == NULL)
            continue;
        where += sizeof mark - 1; /* "/path/queue.c:77 in take_jobs" */
        where[strcspn(where, "\n")] = '\0';
        slash = strrchr(where, '/');
        o->result = true;
        snprintf(o->detail, sizeof o->detail,
                 "ThreadSanitizer saw a data race at %s: two threads used one variable, one "
                 "of them writing, with nothing (an atomic, a mutex) to order them",
                 slash != NULL && slash < strchr(where, ' ') ? slash + 1 : where);
        break;
    }
    fclose(f);
}

/* Runs part p once at `threads` as run `run`, of `kind` (held and tsan: a program
 * exercise's); fills *o and *s.  Returns 0, or -1 when the trial crashed, hung, was
 * interrupted or reported nothing (ck->fatal_text).  A tsan trial that could not tell
 * returns 0 with o->result false. */
static int trial(struct checker *ck, const struct exercise_part *p, unsigned threads,
                 unsigned run, enum trial_kind kind, const char *run_id, struct outcome *o,
                 struct sample *s, struct csv_writer *runs, struct csv_writer *jobs)
{
    const struct check_request *rq = ck->rq;
    char size[32], runtext[16], w[16], nj[16], omp[48];
    char *argv[24], *env[10], *report = NULL;
    size_t argc = 0, envc = 0;
    struct child_end end;
    double busy0, busy1;
    char how[256];

    memset(o, 0, sizeof *o);
    snprintf(size, sizeof size, "%llu", (unsigned long long)rq->size);
    snprintf(runtext, sizeof runtext, "%u", run);
    snprintf(w, sizeof w, "%u", threads);
    snprintf(nj, sizeof nj, "%u", rq->ex->jobs);
    snprintf(omp, sizeof omp, "OMP_NUM_THREADS=%u", threads);
    argv[argc++] = kind == TRIAL_TSAN ? ck->tsan_binary : ck->binary;
    if (rq->ex->program) {
        unlink(ck->runs_tmp);
        unlink(ck->jobs_tmp);
        argv[argc++] = (char *)p->name;
        argv[argc++] = "-w";
        argv[argc++] = w;
        argv[argc++] = "-j";
        argv[argc++] = nj;
        argv[argc++] = "-n";
        argv[argc++] = size;
        argv[argc++] = "-r";
        argv[argc++] = "1";
        argv[argc++] = "--runs-csv";
        argv[argc++] = ck->runs_tmp;
        argv[argc++] = "--jobs-csv";
        argv[argc++] = ck->jobs_tmp;
        if (rq->label != NULL) {
            argv[argc++] = "--label";
            argv[argc++] = (char *)rq->label;
        }
        if (kind == TRIAL_HELD) {
            argv[argc++] = "-l";
            argv[argc++] = "held";
        }
    } else {
        argv[argc++] = "--part";
        argv[argc++] = (char *)p->name;
        argv[argc++] = "--size";
        argv[argc++] = size;
        argv[argc++] = "--run";
        argv[argc++] = runtext;
    }
    argv[argc] = NULL;
    env[envc++] = omp;
    env[envc++] = "OMP_DYNAMIC=false";
    env[envc++] = ck->tmpdir_env;
    for (size_t k = 0; k < 3 && p->env[k] != NULL; k++)
        env[envc++] = (char *)p->env[k];
    if (kind == TRIAL_TSAN) /* the first race ends it, with a status of its own */
        env[envc++] = "TSAN_OPTIONS=halt_on_error=1 exitcode=66";
    env[envc] = NULL;
    truncate(ck->log, 0);
    busy0 = ck->watch.known ? machine_busy_s(&ck->watch) : -1;
    if (checker_spawn(argv, env, ck->log, rq->timeout, &report, &end) != 0) {
        snprintf(ck->fatal_text, sizeof ck->fatal_text, "cannot start '%.900s': %s", ck->binary,
                 strerror(errno));
        ck->fatal = true;
        return -1;
    }
    busy1 = busy0 >= 0 ? machine_busy_s(&ck->watch) : -1;
    s->child_cpu = end.cpu_s; /* every trial's, for the cell's busy time */
    if (report != NULL)
        parse_report(ck, report, run_id, end.pid, o, jobs);
    free(report);
    if (end.interrupted) {
        ck->interrupted = true;
        return -1;
    }
    if (o->todo)
        return 0;
    if (kind == TRIAL_TSAN) {
        tsan_outcome(ck, &end, o);
        return 0;
    }
    if (rq->ex->program && !end.timed_out && WIFEXITED(end.status) &&
        WEXITSTATUS(end.status) == 0)
        read_program_run(ck, threads, kind == TRIAL_HELD, o);
    if (end.timed_out || !WIFEXITED(end.status) ||
        (WEXITSTATUS(end.status) != 0 && !(rq->ex->program && WEXITSTATUS(end.status) == 1))) {
        char gomp[256];

        checker_describe_end(&end, rq->timeout, how, sizeof how);
        fprintf(ck->out, "\n%s with %u thread%s (run %u) %s; its last output:\n", p->function,
                threads, threads == 1 ? "" : "s", run, how);
        print_tail(ck->out, ck->log, 6);
        /* libgomp's own end: the threads asked for could not be made */
        last_line(ck->log, "libgomp: Thread creation failed", gomp, sizeof gomp);
        if (gomp[0] != '\0' && WIFEXITED(end.status)) {
            snprintf(ck->fatal_text, sizeof ck->fatal_text,
                     "%s with %u thread%s %s: OpenMP could not start its threads (%s): more "
                     "than this session allows (ulimit -u, ulimit -v; fewer with -w), or a "
                     "num_threads of the part's own that is too large",
                     p->function, threads, threads == 1 ? "" : "s", how, gomp);
            ck->fatal = true;
            return -1;
        }
        snprintf(ck->fatal_text, sizeof ck->fatal_text, "%s with %u thread%s %s%s",
                 p->function, threads, threads == 1 ? "" : "s", how,
                 end.timed_out && p->role == PART_SERIAL && p->wrong == NULL
                     ? " (nothing of it is left running): it is given, so unless it was "
                       "changed, at this size it takes longer than the limit on this machine "
                       "(a smaller --size, or a larger --timeout)"
                 : end.timed_out && p->role == PART_SERIAL
                     ? " (nothing of it is left running): a loop that never ends, or a size "
                       "too large for the limit here (--size, --timeout)"
                 : end.timed_out ? " (nothing of it is left running): a thread that waits "
                                   "forever (a barrier or a lock that not every thread "
                                   "reaches), or a part far slower than the serial one (a "
                                   "critical section inside the loop?); --timeout gives more"
                 : WIFSIGNALED(end.status) ? " (see its last output above)"
                 : !rq->ex->program && WEXITSTATUS(end.status) == 3
                     ? ", the harness's status when it cannot write its report to the "
                       "checker: does the part close file descriptors, or change "
                       EXERCISE_FD_ENV "?"
                     : "");
        ck->fatal = true;
        return -1;
    }
    if (rq->ex->program && WEXITSTATUS(end.status) == 1) {
        /* the program refused its own results: wrong, with its reason, which die()
         * printed last ("exercise-queue-pthreads: job 5 ran 2 times; nothing written") */
        char mine[64], last[400];

        o->result = true;
        o->ok = false;
        o->wall = o->cpu = 0;
        /* its own message begins with its name; another last line (its configuration,
         * the student's printf) is no reason: exit(1) where it should not be */
        snprintf(mine, sizeof mine, "exercise-%s-", rq->ex->name);
        last_line(ck->log, NULL, last, sizeof last);
        if (last[0] == '\0')
            snprintf(o->detail, sizeof o->detail, "it exited 1 and said nothing");
        else if (strncmp(last, mine, strlen(mine)) != 0)
            snprintf(o->detail, sizeof o->detail,
                     "it exited 1 without a message of its own (its last line: '%s')", last);
        else
            snprintf(o->detail, sizeof o->detail, "%s", last);
    }
    if (!o->result && end.report_cut) {
        snprintf(ck->fatal_text, sizeof ck->fatal_text,
                 "%s with %u thread%s: its report to the checker passed the 1 MiB kept, "
                 "and the result at its end was lost: does the part write to the descriptor "
                 "in " EXERCISE_FD_ENV "?",
                 p->function, threads, threads == 1 ? "" : "s");
        ck->fatal = true;
        return -1;
    }
    if (!o->result) {
        snprintf(ck->fatal_text, sizeof ck->fatal_text,
                 "%s with %u thread%s ended without reporting a result: does it still call "
                 "what the handout gives, and does it return?",
                 p->function, threads, threads == 1 ? "" : "s");
        ck->fatal = true;
        return -1;
    }
    s->wall = o->wall;
    s->cpu = o->cpu;
    s->value = o->value;
    s->other = busy0 >= 0 && busy1 >= 0 ? (busy1 - busy0) - end.cpu_s : -1;
    if (s->other < 0 && busy0 >= 0)
        s->other = 0;
    if (o->ok && rq->ex->program) {
        pass_rows(ck->runs_tmp, runs);
        pass_rows(ck->jobs_tmp, jobs);
    }
    return 0;
}

/* ---- rows -------------------------------------------------------------------------- */

static void put_run(struct checker *ck, struct csv_writer *w, const struct exercise_part *p,
                    unsigned threads, unsigned run, const struct sample *s, const char *run_id)
{
    char program[128], started[CLOCK_ISO_LEN];
    const char *bind = NULL;

    for (size_t k = 0; k < 3 && p->env[k] != NULL; k++)
        if (strncmp(p->env[k], "OMP_PROC_BIND=", 14) == 0)
            bind = p->env[k];
    clock_utc_iso8601(started, sizeof started, 0);
    snprintf(program, sizeof program, "exercise-%s-%s", ck->rq->ex->name, p->name);
    csv_put_str(w, run_id);
    csv_put_str(w, program);
    csv_put_uint(w, threads);
    csv_put_uint(w, ck->rq->ex->jobs);
    csv_put_uint(w, ck->rq->size);
    csv_put_str(w, "none");
    csv_put_str(w, "none");
    csv_put_uint(w, run);
    csv_put_fixed(w, s->wall, 9);
    csv_put_fixed(w, s->cpu, 6);
    csv_put_fixed(w, 0, 6);
    csv_put_uint(w, ck->rq->ex->jobs);
    csv_put_str(w, ck->host);
    csv_put_uint(w, ck->pus);
    csv_put_str(w, started);
    csv_put_str(w, bind ? bind : "");
    csv_put_str(w, "");
    csv_put_uint(w, 0);
    csv_put_str(w, "memory");
    csv_put_str(w, "");
    csv_put_str(w, "thread");
    if (s->other >= 0)
        csv_put_fixed(w, s->other, 2);
    else
        csv_put_str(w, "");
    {
        double load = machine_load_1m();

        if (load >= 0)
            csv_put_fixed(w, load, 2);
        else
            csv_put_str(w, "");
    }
    csv_put_str(w, machine_on_battery());
    if (ck->cores > 0)
        csv_put_uint(w, ck->cores);
    else
        csv_put_str(w, "");
    csv_put_str(w, "");
    csv_put_str(w, p->schedule ? p->schedule : "");
    csv_put_str(w, ck->rq->label ? ck->rq->label : "");
    csv_put_str(w, ""); /* ranks: no MPI */
    csv_end_row(w);
}

/* ---- the table and the sentences --------------------------------------------------- */

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* stats.h's median of v[0..n-1] (sorted here in place), or 0 for none. */
static double median_of(double *v, size_t n)
{
    struct stats st;

    if (n == 0)
        return 0;
    qsort(v, n, sizeof *v, compare_doubles);
    stats_of_sorted(v, n, &st);
    return st.median;
}

static void fill_cell(struct part_cell *c, const struct sample *s, size_t n)
{
    double wall[64], cpu[64], value[64];

    if (n > 64)
        n = 64;
    c->wall_min = c->wall_max = n ? s[0].wall : 0;
    for (size_t i = 0; i < n; i++) {
        wall[i] = s[i].wall;
        cpu[i] = s[i].cpu;
        value[i] = s[i].value;
        if (s[i].wall < c->wall_min)
            c->wall_min = s[i].wall;
        if (s[i].wall > c->wall_max)
            c->wall_max = s[i].wall;
    }
    c->wall_median = median_of(wall, n);
    c->cpu_median = median_of(cpu, n);
    c->value_median = median_of(value, n);
}

/* What else the machine did while the cell's trials ran, over their whole span: one
 * reading of /proc/stat before the first and one after the last, so that its ticks'
 * rounding (0.01 s per PU) counts once, not once per trial. */
static void note_busy(const struct checker *ck, struct part_cell *c, double busy0, double span,
                      double children)
{
    double busy1 = busy0 >= 0 ? machine_busy_s(&ck->watch) : -1;
    double rounding = SUMMARY_TICK_S * (double)ck->pus;

    c->busy_known = busy0 >= 0 && busy1 >= 0 && span > 0;
    if (!c->busy_known)
        return;
    c->too_short = rounding / span > SUMMARY_BUSY_RATE;
    c->busy_rate = (busy1 - busy0) - children - rounding;
    c->busy_rate = c->busy_rate > 0 ? c->busy_rate / span : 0;
}

/* The W list as text: "2 and 4", "2, 3 and 4". */
static void list_text(const unsigned *w, size_t n, char *text, size_t len)
{
    size_t used = 0;

    text[0] = '\0';
    for (size_t i = 0; i < n && used < len; i++)
        used += (size_t)snprintf(text + used, len - used, "%s%u",
                                 i == 0 ? "" : i + 1 == n ? " and " : ", ", w[i]);
}

/* The sentences every exercise gets, part by part. */
static void judge_parts(struct check_state *st)
{
    const struct part_cell *base = NULL;
    unsigned top = 1; /* the largest W at most the PUs, for speed sentences */

    for (size_t p = 0; p < st->nparts; p++)
        if (st->parts[p].part->role == PART_SERIAL && !st->parts[p].todo)
            base = check_cell(st, st->parts[p].part->name, 1);
    for (size_t p = 0; p < st->nparts; p++)
        for (size_t c = 0; c < st->parts[p].ncells; c++)
            if (st->parts[p].cells[c].threads <= st->pus && st->parts[p].cells[c].threads > top)
                top = st->parts[p].cells[c].threads;

    for (size_t p = 0; p < st->nparts; p++) {
        const struct part_result *r = &st->parts[p];
        const struct exercise_part *part = r->part;
        unsigned wrong_w[16], nw = 0, wrong = 0, runs = 0, wrong_one = 0;
        const char *detail = "";
        char ws[96];

        if (r->skipped)
            continue;
        if (r->todo) {
            check_say(st, "%s: not done yet (%s: %s)", part->function, r->todo_where,
                      r->todo_what);
            continue;
        }
        for (size_t c = 0; c < r->ncells; c++) {
            const struct part_cell *cell = &r->cells[c];

            runs += cell->runs;
            wrong += cell->wrong;
            if (cell->wrong > 0 && detail[0] == '\0')
                detail = cell->first_wrong;
            if (cell->threads == 1)
                wrong_one += cell->wrong;
            else if (cell->wrong > 0 && nw < 16)
                wrong_w[nw++] = cell->threads;
        }
        list_text(wrong_w, nw, ws, sizeof ws);
        if (part->role == PART_SERIAL) {
            if (wrong > 0 && part->wrong != NULL)
                check_fail(st, "%s is wrong (%s): %s", part->function, detail, part->wrong);
            else if (wrong > 0)
                check_fail(st, "%s is wrong (%s): it is given as it must be; has it changed?",
                           part->function, detail);
            else if (st->ex->no_speed)
                check_say(st, "%s: right in all %u runs", part->function, runs);
            else
                check_say(st, "%s: right in all %u runs, %.4f s: the baseline of the speedups",
                          part->function, runs, base ? base->wall_median : 0.0);
            continue;
        }
        if (wrong_one > 0) {
            check_fail(st, "%s is wrong even on one thread (%s): the computation itself is "
                           "wrong, not a race",
                       part->function, detail);
            continue;
        }
        if (part->role == PART_RACE) {
            if (wrong > 0)
                check_say(st, "%s: wrong in %u of %u runs with %s threads, as the handout "
                              "expects: %s (%s)",
                          part->function, wrong, runs, ws, part->wrong, detail);
            else
                check_say(st, "%s: right in all %u runs: the race did not show this time; it "
                              "needs two threads to update the same variable at the same "
                              "moment, and is still a race (the handout says how to see it)",
                          part->function, runs);
            continue;
        }
        if (wrong > 0) {
            if (part->not_race)
                check_fail(st, "%s: wrong in %u of %u runs, with %s threads, right with one: "
                               "%s (see the handout, %s). First wrong result: %s",
                           part->function, wrong, runs, ws, part->wrong, st->ex->handout,
                           detail);
            else
                check_fail(st, "%s: wrong in %u of %u runs, with %s threads, right with one: "
                               "%s (%s, %s). First wrong result: %s",
                           part->function, wrong, runs, ws, part->wrong,
                           st->ex->wrong_hint ? st->ex->wrong_hint
                                              : "a race; see the handout's section on races",
                           st->ex->handout, detail);
            continue;
        }
        {
            const struct part_cell *at = check_cell(st, part->name, top);
            double speedup = base && at && at->wall_median > 0
                                 ? base->wall_median / at->wall_median : 0;
            double parallel = at && at->wall_median > 0 ? at->cpu_median / at->wall_median : 0;

            if (st->ex->no_speed) {
                check_say(st, "%s, part %s: right in all %u runs", part->function, part->name,
                          runs);
                continue;
            }
            if (at == NULL || base == NULL || top < 2) {
                check_say(st, "%s: right in all %u runs%s", part->function, runs,
                          st->pus < 2 ? " (with one PU there is no speedup to measure)" : "");
                continue;
            }
            if (!at->busy_known || at->too_short)
                check_say(st, "%s: right in all %u runs; %.2fx with %u threads on %u PUs (CPU "
                              "time %.2f times wall time); %s, so what the speedup means "
                              "cannot be told (a larger --size makes the runs longer)",
                          part->function, runs, speedup, top, st->pus, parallel,
                          at->busy_known ? "the runs were too short to tell whether other "
                                           "programs took PUs from them"
                                         : "whether other programs ran could not be read "
                                           "(/proc/stat)");
            else if (at->busy_rate > SUMMARY_BUSY_RATE)
                check_say(st, "%s: right in all %u runs; %.2fx with %u threads on %u PUs, "
                              "while other programs used %.1f PUs: the speedup says little "
                              "(run it again on a quieter machine)",
                          part->function, runs, speedup, top, st->pus, at->busy_rate);
            else if (parallel < 1.2 && speedup < 1.2)
                check_say(st, "%s: right in all %u runs; %.2fx with %u threads on %u PUs, "
                              "and its CPU time was %.2f times its wall time: it ran as one "
                              "thread at a time (is the loop inside a parallel region, or "
                              "do the threads take turns at a lock?)",
                          part->function, runs, speedup, top, st->pus, parallel);
            else
                check_say(st, "%s: right in all %u runs; %.2fx with %u threads on %u PUs "
                              "(CPU time %.2f times wall time)",
                          part->function, runs, speedup, top, st->pus, parallel);
        }
    }
}

static void print_table(const struct checker *ck, const struct check_state *st)
{
    const struct part_cell *base = check_cell(st, "serial", 1);

    fprintf(ck->out, "\n%-10s %-22s %7s %6s %10s %10s %10s %8s %8s\n", "part", "function",
            "threads", "right", "median_s", "min_s", "max_s", "speedup", "cpu/wall");
    for (size_t p = 0; p < st->nparts; p++) {
        const struct part_result *r = &st->parts[p];

        if (r->skipped)
            continue;
        if (r->todo) {
            fprintf(ck->out, "%-10s %-22s %7s %6s %10s\n", r->part->name, r->part->function,
                    "-", "-", "not done yet");
            continue;
        }
        for (size_t c = 0; c < r->ncells; c++) {
            const struct part_cell *cell = &r->cells[c];
            char right[16];

            if (cell->runs == 0)
                continue;
            snprintf(right, sizeof right, "%u/%u", cell->right, cell->runs);
            if (cell->right == 0 || cell->wall_median <= 0) {
                fprintf(ck->out, "%-10s %-22s %7u %6s %10s\n", c == 0 ? r->part->name : "",
                        c == 0 ? r->part->function : "", cell->threads, right,
                        cell->right == 0 ? "(a wrong result has no time)"
                                         : "(no right run was a measured one)");
                continue;
            }
            fprintf(ck->out, "%-10s %-22s %7u %6s %10.4f %10.4f %10.4f", c == 0 ? r->part->name : "",
                    c == 0 ? r->part->function : "", cell->threads, right, cell->wall_median,
                    cell->wall_min, cell->wall_max);
            if (base != NULL && cell->wall_median > 0 && !st->ex->no_speed)
                fprintf(ck->out, " %7.2fx", base->wall_median / cell->wall_median);
            else
                fprintf(ck->out, " %8s", "-");
            fprintf(ck->out, " %8.2f\n", cell->wall_median > 0 ? cell->cpu_median / cell->wall_median : 0);
        }
    }
}

/* ---- the whole check -------------------------------------------------------------- */

static int commit_rows(struct checker *ck)
{
    const struct check_request *rq = ck->rq;
    struct csv_spool runs = {0}, jobs = {0};
    struct csv_target targets[2];
    size_t n = 0;
    char why[512];
    int status = -1;

    if (rq->runs_csv == NULL || ck->runs.len == 0)
        return 0;
    if (csv_spool_open(&runs) != 0 || csv_spool_add(&runs, &ck->runs) != 0)
        goto done;
    targets[n++] = (struct csv_target){rq->runs_csv, RUNS_CSV_HEADER, &runs};
    if (rq->jobs_csv != NULL && ck->jobs.len > 0) {
        if (csv_spool_open(&jobs) != 0 || csv_spool_add(&jobs, &ck->jobs) != 0)
            goto done;
        targets[n++] = (struct csv_target){rq->jobs_csv, JOBS_CSV_HEADER, &jobs};
    }
    status = csv_commit(targets, n, why, sizeof why); /* signals deferred by the caller */
    if (status != 0)
        fprintf(stderr, "parlab-exercise: %s\n", why);
    else
        fprintf(ck->out, "rows: %s%s%s\n", rq->runs_csv, n > 1 ? " and " : "",
                n > 1 ? rq->jobs_csv : "");
    if (status != 0)
        status = -2;
done:
    if (status == -1)
        fprintf(stderr, "parlab-exercise: cannot keep the rows: %s\n", strerror(errno));
    csv_spool_close(&runs);
    csv_spool_close(&jobs);
    return status;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (type == FTW_DP)
        rmdir(path);
    else
        unlink(path);
    return 0;
}

/* The directory and all in it: ours, and what the compiler and the trials left there
 * (a compiler killed at Ctrl-C leaves its cc*.s).  Links are removed, not followed. */
static void remove_dir(struct checker *ck)
{
    if (ck->dir[0] != '\0')
        nftw(ck->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* True when a part to be checked asks for a ThreadSanitizer trial and the build is
 * not under another sanitizer (they do not mix). */
static bool wants_tsan(const struct checker *ck)
{
    const struct check_request *rq = ck->rq;

    if (rq->cflags != NULL && strstr(rq->cflags, "-fsanitize") != NULL)
        return false;
    for (size_t p = 0; p < rq->ex->nparts; p++)
        if (rq->ex->parts[p].tsan &&
            (rq->only == NULL || strcmp(rq->only, rq->ex->parts[p].name) == 0))
            return true;
    return false;
}

/* "queue_pthreads": the functions of the parts that wants_tsan() counts. */
static const char *tsan_parts(const struct checker *ck)
{
    static char text[256];
    size_t used = 0;

    text[0] = '\0';
    for (size_t p = 0; p < ck->rq->ex->nparts && used < sizeof text; p++)
        if (ck->rq->ex->parts[p].tsan &&
            (ck->rq->only == NULL || strcmp(ck->rq->only, ck->rq->ex->parts[p].name) == 0))
            used += (size_t)snprintf(text + used, sizeof text - used, "%s%s", used ? ", " : "",
                                     ck->rq->ex->parts[p].function);
    return text;
}

/* True when the ThreadSanitizer build is there: made on the first call, once. */
static bool tsan_ready(struct checker *ck)
{
    if (ck->tsan == 0 && wants_tsan(ck)) {
        ck->tsan = build(ck, true) == 0 ? 1 : -1;
        if (ck->tsan < 0 && !ck->interrupted)
            fprintf(ck->out, "ThreadSanitizer: %s does not build with it here "
                             "(-fsanitize=thread): races are looked for by running only\n",
                    ck->rq->file);
    }
    return ck->tsan > 0;
}

/* The trials that part p's at the W of cell c end with, into kinds[]; their count.
 * At the largest W, from 2 up: one with --lock held for a program exercise's parts
 * but the serial one, and one under ThreadSanitizer for a part that asks. */
static unsigned extra_trials(struct checker *ck, const struct exercise_part *p, size_t c,
                             enum trial_kind kinds[2])
{
    const struct check_request *rq = ck->rq;
    unsigned n = 0;

    if (c + 1 != rq->nthreads || rq->threads[c] < 2)
        return 0;
    if (rq->ex->program && p->role != PART_SERIAL)
        kinds[n++] = TRIAL_HELD;
    if (p->tsan && tsan_ready(ck))
        kinds[n++] = TRIAL_TSAN;
    return n;
}

/* Runs every part's trials into st; returns -1 when they had to stop. */
static int run_parts(struct checker *ck, struct check_state *st)
{
    const struct check_request *rq = ck->rq;

    for (size_t p = 0; p < st->nparts; p++) {
        struct part_result *r = &st->parts[p];
        const struct exercise_part *part = r->part;
        struct csv_writer runs_keep, jobs_keep;
        bool any_wrong = false;

        if (r->skipped)
            continue;
        csv_writer_init(&runs_keep);
        csv_writer_init(&jobs_keep);
        for (size_t c = 0; c < rq->nthreads; c++) {
            struct part_cell *cell = &r->cells[c];
            struct sample s[64];
            size_t ns = 0;
            unsigned w = rq->threads[c], extra;
            enum trial_kind kinds[2];
            double busy0, t0, children = 0;

            cell->threads = w;
            if (part->role == PART_SERIAL && w != 1)
                continue;
            extra = extra_trials(ck, part, c, kinds); /* may build: before the span */
            if (ck->interrupted) { /* in the ThreadSanitizer build */
                csv_writer_release(&runs_keep);
                csv_writer_release(&jobs_keep);
                return -1;
            }
            t0 = clock_wall();
            busy0 = ck->watch.known ? machine_busy_s(&ck->watch) : -1;
            for (unsigned run = 1; run <= rq->runs + extra; run++) {
                struct outcome o;
                struct sample one = {0};
                struct csv_writer runs_one, jobs_one;
                char run_id[512];
                enum trial_kind kind = run > rq->runs ? kinds[run - rq->runs - 1] : TRIAL_PLAIN;
                static const char *const said[] = {"", " (lock held)", " (ThreadSanitizer)"};
                int rc;

                csv_writer_init(&runs_one);
                csv_writer_init(&jobs_one);
                snprintf(run_id, sizeof run_id, "%s-%s-%ld-%u", ck->stamp, ck->host,
                         (long)getpid(), ++ck->trials);
                rc = trial(ck, part, w, run, kind, run_id, &o, &one, &runs_one, &jobs_one);
                children += one.child_cpu;
                if (rc == 0 && kind == TRIAL_TSAN && !o.todo && !o.result) {
                    char last[256];

                    /* it could not tell: the plain trials judge */
                    last_line(ck->log, "ThreadSanitizer", last, sizeof last);
                    if (last[0] == '\0')
                        last_line(ck->log, NULL, last, sizeof last);
                    fprintf(ck->out, "ThreadSanitizer: %s with %u threads ended without a "
                                     "verdict (%s): races are looked for by running only\n",
                            part->function, w, last[0] ? last : "it said nothing");
                    csv_writer_release(&runs_one);
                    csv_writer_release(&jobs_one);
                    continue;
                }
                if (rc == 0 && o.todo) {
                    r->todo = true;
                    snprintf(r->todo_where, sizeof r->todo_where, "%s", o.todo_where);
                    snprintf(r->todo_what, sizeof r->todo_what, "%s", o.todo_what);
                } else if (rc == 0) {
                    cell->runs++;
                    if (rq->verbose)
                        fprintf(ck->out,
                                "  %s, %u thread%s, run %u%s: %s, %.4f s, CPU %.4f s%s%s\n",
                                part->function, w, w == 1 ? "" : "s", run, said[kind],
                                o.ok ? "right" : "WRONG", o.wall, o.cpu, o.ok ? "" : ": ",
                                o.ok ? "" : o.detail);
                }
                if (rc == 0 && !o.todo && o.ok && kind != TRIAL_PLAIN) {
                    cell->right++; /* no measurement: the lock's time, or the sanitizer's */
                } else if (rc == 0 && !o.todo && o.ok) {
                    cell->right++;
                    if (cell->right == 1 || o.value > cell->value_max) {
                        cell->value_max = o.value;
                        snprintf(cell->right_detail, sizeof cell->right_detail, "%s", o.detail);
                    }
                    if (o.value != 0)
                        cell->value_nonzero++;
                    if (ns < 64)
                        s[ns++] = one;
                    if (!rq->ex->program)
                        put_run(ck, &runs_one, part, w, run, &one, run_id);
                    append_writer(&runs_keep, &runs_one);
                    append_writer(&jobs_keep, &jobs_one);
                } else if (rc == 0 && !o.todo) {
                    cell->wrong++;
                    any_wrong = true;
                    /* ThreadSanitizer's names the line: the most direct evidence */
                    if (cell->first_wrong[0] == '\0' || kind == TRIAL_TSAN)
                        snprintf(cell->first_wrong, sizeof cell->first_wrong, "%s", o.detail);
                }
                csv_writer_release(&runs_one);
                csv_writer_release(&jobs_one);
                if (rc != 0) {
                    csv_writer_release(&runs_keep);
                    csv_writer_release(&jobs_keep);
                    return -1;
                }
                if (r->todo)
                    break;
            }
            if (r->todo)
                break;
            fill_cell(cell, s, ns);
            note_busy(ck, cell, busy0, clock_wall() - t0, children);
        }
        r->ncells = rq->nthreads;
        /* Rows of a part that was right in every run only: a race's times are no
         * measurement, and its right runs were luck. */
        if (!r->todo && !any_wrong && part->role != PART_RACE) {
            append_writer(&ck->runs, &runs_keep);
            append_writer(&ck->jobs, &jobs_keep);
        }
        csv_writer_release(&runs_keep);
        csv_writer_release(&jobs_keep);
    }
    return 0;
}

/* The configuration, before anything runs. */
static void print_config(const struct checker *ck)
{
    const struct check_request *rq = ck->rq;
    char ws[128];

    list_text(rq->threads, rq->nthreads, ws, sizeof ws);
    fprintf(ck->out, "exercise:  %s (%s), handout %s\n", rq->ex->name, rq->ex->title,
            rq->ex->handout);
    fprintf(ck->out, "file:      %s%s\n", rq->file,
            rq->solution ? " (its solution: built with -DPARLAB_SOLUTION)" : "");
    fprintf(ck->out, "compiler:  %s -Wall -Wextra -Werror -fopenmp %s\n", rq->cc,
            rq->cflags ? rq->cflags : "");
    fprintf(ck->out, "machine:   %s, %u PU%s", ck->host, ck->pus, ck->pus == 1 ? "" : "s");
    if (ck->cores > 0)
        fprintf(ck->out, " on %u core%s", ck->cores, ck->cores == 1 ? "" : "s");
    fprintf(ck->out, "\ntrials:    %s threads, %u run%s each, %llu %s, at most %g s each\n", ws,
            rq->runs, rq->runs == 1 ? "" : "s", (unsigned long long)rq->size,
            rq->ex->size_unit, rq->timeout);
    if (rq->ex->program && rq->threads[rq->nthreads - 1] >= 2)
        fprintf(ck->out, "           and one more at %u threads with --lock held, in which no "
                         "two jobs may overlap\n",
                rq->threads[rq->nthreads - 1]);
    if (wants_tsan(ck) && rq->threads[rq->nthreads - 1] >= 2)
        fprintf(ck->out, "           and for %s one more at %u threads under "
                         "ThreadSanitizer, which reports a data race whenever it runs\n",
                tsan_parts(ck), rq->threads[rq->nthreads - 1]);
}

int checker_check(const struct check_request *rq, FILE *out)
{
    struct checker ck = {.rq = rq, .out = out};
    struct check_state st = {.ex = rq->ex, .out = out, .nparts = rq->ex->nparts};
    struct topo topo;
    int status = 1;
    unsigned todo = 0, race_wrong = 0, race_runs = 0;
    const struct part_result *first_todo = NULL, *race = NULL;

    csv_writer_init(&ck.runs);
    csv_writer_init(&ck.jobs);
    if (gethostname(ck.host, sizeof ck.host) != 0)
        snprintf(ck.host, sizeof ck.host, "unknown");
    ck.host[sizeof ck.host - 1] = '\0';
    clock_utc_iso8601(ck.stamp, sizeof ck.stamp, 1);
    machine_watch_init(&ck.watch);
    ck.pus = (unsigned)machine_watch_pus(&ck.watch);
    if (topo_load(&topo) == 0) {
        int pus = topo_usable_pus(&topo), cores = topo_usable_cores(&topo);

        ck.pus = pus > 0 ? (unsigned)pus : ck.pus;
        ck.cores = cores > 0 ? (unsigned)cores : 0;
        topo_release(&topo);
    }
    if (ck.pus == 0)
        ck.pus = 1;
    st.pus = ck.pus;
    st.parts = calloc(rq->ex->nparts, sizeof *st.parts);
    for (size_t p = 0; st.parts != NULL && p < rq->ex->nparts; p++) {
        st.parts[p].part = &rq->ex->parts[p];
        st.parts[p].skipped = rq->only != NULL && rq->ex->parts[p].role != PART_SERIAL &&
                              strcmp(rq->ex->parts[p].name, rq->only) != 0;
        st.parts[p].cells = calloc(rq->nthreads, sizeof *st.parts[p].cells);
        if (st.parts[p].cells == NULL) {
            fprintf(stderr, "parlab-exercise: out of memory\n");
            goto done;
        }
    }
    if (st.parts == NULL) {
        fprintf(stderr, "parlab-exercise: out of memory\n");
        goto done;
    }
    {
        struct statvfs fs;

        /* before anything is built: a full disk would fail the build, or a program
         * exercise's CSVs, as if the file were wrong */
        if (statvfs(csv_spool_dir(), &fs) == 0 &&
            (double)fs.f_bavail * (double)fs.f_frsize < MIN_FREE_BYTES) {
            fprintf(stderr, "parlab-exercise: the temporary directory '%s' (TMPDIR) has %.0f KiB "
                            "free; a check needs %.0f MiB there: make room, or set TMPDIR to "
                            "another directory\n",
                    csv_spool_dir(), (double)fs.f_bavail * (double)fs.f_frsize / 1024,
                    MIN_FREE_BYTES / (1024 * 1024));
            goto done;
        }
    }
    if ((size_t)snprintf(ck.dir, sizeof ck.dir, "%s/parlab-exercise-XXXXXX", csv_spool_dir()) >=
        sizeof ck.dir - 64) { /* with room for the names of the files in it */
        errno = ENAMETOOLONG;
        ck.dir[0] = '\0';
    } else if (mkdtemp(ck.dir) == NULL) {
        ck.dir[0] = '\0';
    }
    if (ck.dir[0] == '\0') {
        fprintf(stderr, "parlab-exercise: cannot make a directory in '%s' (TMPDIR): %s\n",
                csv_spool_dir(), strerror(errno));
        goto done;
    }
    snprintf(ck.binary, sizeof ck.binary, "%s/%s", ck.dir, rq->ex->name);
    snprintf(ck.log, sizeof ck.log, "%s/output.txt", ck.dir);
    snprintf(ck.runs_tmp, sizeof ck.runs_tmp, "%s/runs.csv", ck.dir);
    snprintf(ck.jobs_tmp, sizeof ck.jobs_tmp, "%s/jobs.csv", ck.dir);

    snprintf(ck.tsan_binary, sizeof ck.tsan_binary, "%s/%s-tsan", ck.dir, rq->ex->name);
    snprintf(ck.tmpdir_env, sizeof ck.tmpdir_env, "TMPDIR=%s", ck.dir);

    print_config(&ck);
    /* A closed stdout, a full disk: said before anything runs, and nothing is written.
     * A reader that has gone (`| head`) is no reason to stop. */
    errno = 0;
    if ((fflush(out) != 0 || ferror(out)) && errno != EPIPE) {
        fprintf(stderr, "parlab-exercise: cannot write the output: %s\n",
                strerror(errno ? errno : EIO));
        clearerr(out); /* said once, here */
        goto done;
    }
    if (build(&ck, false) != 0 || run_parts(&ck, &st) != 0) {
        if (ck.interrupted)
            goto done;
        if (ck.fatal)
            fprintf(out, "%s: wrong: %s\n", rq->ex->name, ck.fatal_text);
        goto done;
    }
    print_table(&ck, &st);
    fprintf(out, "\n");
    judge_parts(&st);
    for (size_t p = 0; p < st.nparts; p++)
        if (!st.parts[p].skipped && st.parts[p].todo && todo++ == 0)
            first_todo = &st.parts[p];
    if (rq->ex->judge != NULL && todo == 0)
        rq->ex->judge(&st);
    /* the deliberate race, when it showed: "every part right" would not be true */
    for (size_t p = 0; p < st.nparts; p++) {
        const struct part_result *r = &st.parts[p];
        unsigned wrong = 0, runs = 0;

        if (r->skipped || r->todo || r->part->role != PART_RACE)
            continue;
        for (size_t c = 0; c < r->ncells; c++) {
            wrong += r->cells[c].wrong;
            runs += r->cells[c].runs;
        }
        if (wrong > 0 && race == NULL) {
            race = r;
            race_wrong = wrong;
            race_runs = runs;
        }
    }
    if (interrupt_pending() != 0) /* Ctrl-C after the last trial: still no row */
        goto done;
    if (commit_rows(&ck) == -2)
        goto done;
    if (todo > 0)
        fprintf(out, "%s: not done yet: %s (%s) says TODO: %s%s\n", rq->ex->name,
                first_todo->part->function, first_todo->todo_where, first_todo->todo_what,
                todo > 1 ? " (and more parts after it)" : "");
    else if (st.failures > 0)
        fprintf(out, "%s: wrong: %s%s\n", rq->ex->name, st.first_failure,
                st.failures > 1 ? " (and more above)" : "");
    else if (rq->only != NULL && race != NULL)
        fprintf(out,
                "%s: done: part %s wrong in %u of %u runs, as the handout expects of the race "
                "(the other parts were not checked)%s%s\n",
                rq->ex->name, rq->only, race_wrong, race_runs, st.done_note[0] ? "; " : "",
                st.done_note);
    else if (rq->only != NULL)
        fprintf(out,
                "%s: done: part %s right in every run (the other parts were not checked)%s%s\n",
                rq->ex->name, rq->only, st.done_note[0] ? "; " : "", st.done_note);
    else if (race != NULL)
        fprintf(out,
                "%s: done: every part right in every run but the race, %s, wrong in %u of %u "
                "as the handout expects%s%s\n",
                rq->ex->name, race->part->function, race_wrong, race_runs,
                st.done_note[0] ? "; " : "", st.done_note);
    else
        fprintf(out, "%s: done: every part right in every run%s%s\n", rq->ex->name,
                st.done_note[0] ? "; " : "", st.done_note);
    status = todo > 0 || st.failures > 0 ? 1 : 0;
done:
    remove_dir(&ck);
    for (size_t p = 0; st.parts != NULL && p < st.nparts; p++)
        free(st.parts[p].cells);
    free(st.parts);
    csv_writer_release(&ck.runs);
    csv_writer_release(&ck.jobs);
    return status;
}
