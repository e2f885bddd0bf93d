/*
 * check_class.c - parlab-class on a generated class: 32 students on machines of 2 to
 * 64 PUs, with different kernel speeds, some busy, on battery, on slowed PUs or with
 * repetitions that disagree, and 11 broken submissions beside them.
 *
 * The generator below writes each student's runs.csv from a model, in the column
 * layout of a real one: the header is tests/fixtures/quiet/runs.csv's (a real run),
 * each row's fields are written by that header's names in that file's formats, and a
 * student with a label gets the label column at the end, as --label writes it.  The
 * model: a job of C(n,4) steps at the machine's ns per step, n chosen for about
 * 0.25 s; 4 jobs per PU; on W workers a case takes T (f + (1 - f) ceil(J / p) / J)
 * with p = min(W, PUs), T the serial time and f the serial share: a small overhead for
 * threads and procs, f = overhead + F (1 - overhead) for a serial fraction F, all of
 * T with the lock held; on a machine with SMT (fewer cores than PUs) the workers beyond
 * the cores add a third of a core each; a busy machine is slower at W >= PUs, slowed
 * PUs are slower at every W > 1; each repetition a little apart.  CPU times are the
 * jobs' work (the model leaves out that SMT threads take more of it).  The tests hold what parlab-class
 * says against the same model.
 */
#include <check.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture.h"
#include "parlab/csv.h"
#include "testutil.h"

/* ---- the model ------------------------------------------------------------------ */

#define NGOOD 32
#define REPS 3

static const unsigned machine_pus[] = {2, 4, 6, 8, 12, 16, 24, 32, 48, 64};
#define NMACHINES (sizeof machine_pus / sizeof machine_pus[0])
static const double fractions[] = {0.1, 0.25, 0.5};
#define NFRACTIONS (sizeof fractions / sizeof fractions[0])

enum label_mode { NO_LABEL_COLUMN, EMPTY_LABEL, LABELLED };

struct student {
    char dir[32], label[32], host[32];
    enum label_mode label_mode;
    unsigned pus, cores;
    double ns_per_step, overhead;
    bool busy, battery, slowed, spread, lessons; /* lessons: lock-fraction runs */
    unsigned long jobs, n, lesson_n;
};

static double steps(unsigned long n)
{
    return n < 4 ? 0 : (double)n * (n - 1) * (n - 2) * (n - 3) / 24.0;
}

/* The n whose job takes about `seconds` at ns per step (what -t does). */
static unsigned long n_for(double seconds, double ns)
{
    unsigned long n = 4;

    while (steps(n + 1) * ns * 1e-9 <= seconds)
        n++;
    return n;
}

/* Student i of the class: every tenth has the same machine size, the rest varies. */
static void student_of(int i, struct student *s)
{
    *s = (struct student){0};
    snprintf(s->dir, sizeof s->dir, "sub-%02d", i);
    snprintf(s->host, sizeof s->host, "lab-%02d", i);
    s->label_mode = i % 5 == 0 ? NO_LABEL_COLUMN : i % 5 == 1 ? EMPTY_LABEL : LABELLED;
    if (s->label_mode == LABELLED)
        snprintf(s->label, sizeof s->label, i == 7 ? "Zoë %02d" : "student %02d", i);
    s->pus = machine_pus[i % NMACHINES];
    s->cores = i % 3 == 0 && s->pus >= 4 ? s->pus / 2 : s->pus; /* some with SMT */
    s->ns_per_step = 1.0 + 0.35 * (i % 7);
    s->overhead = 0.004 + 0.004 * (i % 4);
    s->busy = i % 8 == 3;
    s->battery = i % 11 == 5;
    s->slowed = i == 9;
    s->spread = i == 14;
    s->lessons = i % 6 != 5;
    s->jobs = 4 * s->pus;
    s->n = n_for(0.25, s->ns_per_step);
    s->lesson_n = (unsigned long)(0.795 * (double)s->n);
}

static bool quiet_model(const struct student *s)
{
    return !s->busy && !s->battery && !s->slowed && !s->spread;
}

/* The student's name in the table: the label, or the directory's. */
static const char *name_of(const struct student *s)
{
    return s->label_mode == LABELLED ? s->label : s->dir;
}

enum way { SERIAL, THREADS, HELD, PROCS, FRACTION };

/* The model's median wall time of a case: way on w workers (F for FRACTION), of the
 * lesson's size when lesson. */
static double model_wall(const struct student *s, enum way way, double F, unsigned w,
                         bool lesson)
{
    double t_job = steps(lesson ? s->lesson_n : s->n) * s->ns_per_step * 1e-9;
    double T = (double)s->jobs * t_job, f, wall;
    unsigned p = w < s->pus ? w : s->pus;

    /* the p workers' speed in cores: a PU beyond the cores is a core's second
     * hardware thread, and adds a third of a core */
    double cores = p < s->cores ? p : s->cores + (p - s->cores) / 3.0;

    if (way == SERIAL)
        return T;
    if (way == HELD)
        wall = T * 1.003; /* one job at a time, and the hand-overs */
    else {
        f = way == THREADS ? s->overhead
            : way == PROCS ? s->overhead + 0.005
                           : s->overhead + F * (1.0 - s->overhead);
        wall = T * (f + (1.0 - f) * ceil((double)s->jobs / p) / (double)s->jobs * p / cores);
    }
    if (s->busy && w >= s->pus)
        wall *= 1.0 + 1.5 / s->pus; /* other programs took 1.5 PUs */
    if (s->slowed && w > 1)
        wall *= 1.35;
    return wall;
}

static double model_speedup(const struct student *s, enum way way, double F, unsigned w)
{
    bool lesson = way == FRACTION;

    return model_wall(s, SERIAL, 0, 1, lesson) / model_wall(s, way, F, w, lesson);
}

static double karp_flatt(double speedup, double p)
{
    return (1.0 / speedup - 1.0 / p) / (1.0 - 1.0 / p);
}

/* ---- the generator: rows as the programs write them -------------------------------- */

/* One row's values, by the runs CSV's column names. */
struct row {
    const struct student *s;
    const char *program, *lock, *worker_kind;
    unsigned workers, rep;
    unsigned long size;
    double wall, self, children, other;
    long run; /* numbers the run ids and start times */
    const char *host;
};

/* The value of column `name` of r, in the format tests/fixtures/quiet/runs.csv has
 * it; fails the test for a column the generator does not know. */
static void field(FILE *f, const char *name, const struct row *r)
{
    int minute = (int)(r->run / 600 % 60), second = (int)(r->run / 10 % 60);

    if (strcmp(name, "run_id") == 0)
        fprintf(f, "20261203T08%02d%02d.%06ldZ-%s-%ld-%u", minute, second, r->run % 1000000,
                r->host, 2000 + r->run, r->rep);
    else if (strcmp(name, "program") == 0)
        fputs(r->program, f);
    else if (strcmp(name, "workers") == 0)
        fprintf(f, "%u", r->workers);
    else if (strcmp(name, "jobs") == 0 || strcmp(name, "jobs_ok") == 0)
        fprintf(f, "%lu", r->s->jobs);
    else if (strcmp(name, "size") == 0)
        fprintf(f, "%lu", r->size);
    else if (strcmp(name, "lock") == 0)
        fputs(r->lock, f);
    else if (strcmp(name, "pin") == 0)
        fputs("none", f);
    else if (strcmp(name, "rep") == 0)
        fprintf(f, "%u", r->rep);
    else if (strcmp(name, "wall_s") == 0)
        fprintf(f, "%.9f", r->wall);
    else if (strcmp(name, "cpu_self_s") == 0)
        fprintf(f, "%.6f", r->self);
    else if (strcmp(name, "cpu_children_s") == 0)
        fprintf(f, "%.6f", r->children);
    else if (strcmp(name, "host") == 0)
        fputs(r->host, f);
    else if (strcmp(name, "pus") == 0)
        fprintf(f, "%u", r->s->pus);
    else if (strcmp(name, "started_at") == 0)
        fprintf(f, "2026-12-03T08:%02d:%02d.%03ldZ", minute, second, r->run % 1000);
    else if (strcmp(name, "payload_bytes") == 0)
        fputs("0", f);
    else if (strcmp(name, "transport") == 0)
        fputs("memory", f);
    else if (strcmp(name, "worker_kind") == 0)
        fputs(r->worker_kind, f);
    else if (strcmp(name, "other_cpu_s") == 0)
        fprintf(f, "%.2f", r->other);
    else if (strcmp(name, "load_1m") == 0)
        fprintf(f, "%.2f", r->s->busy ? 1.5 : 0.39);
    else if (strcmp(name, "on_battery") == 0)
        fputs(r->s->battery ? "yes" : "", f);
    else if (strcmp(name, "cores") == 0)
        fprintf(f, "%u", r->s->cores);
    else if (strcmp(name, "label") == 0)
        fputs(r->s->label_mode == LABELLED ? r->s->label : "", f);
    else if (strcmp(name, "omp_binding") != 0 && strcmp(name, "switch_ms") != 0 &&
             strcmp(name, "memcpy_gbs") != 0)
        ck_abort_msg("the generator does not know the runs CSV's column %s", name);
}

/* The header of a real runs.csv, split at its commas (no field of it is quoted). */
struct header {
    char *text;
    char *names[64];
    size_t n;
};

static void header_read(struct header *h, bool label)
{
    char *runs = tu_read_file(FIXTURE_QUIET "/runs.csv"), *nl;

    ck_assert_ptr_nonnull(runs);
    nl = strchr(runs, '\n');
    ck_assert_ptr_nonnull(nl);
    *nl = '\0';
    h->text = malloc(strlen(runs) + sizeof ",label");
    ck_assert_ptr_nonnull(h->text);
    strcpy(h->text, runs);
    free(runs);
    if (label && strstr(h->text, ",label") == NULL) /* at the end, as --label adds it */
        strcat(h->text, ",label");
    h->n = 0;
    for (char *p = h->text, *comma; p != NULL; p = comma ? comma + 1 : NULL) {
        comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        ck_assert_uint_lt(h->n, 64);
        h->names[h->n++] = p;
    }
}

static void header_write(FILE *f, const struct header *h)
{
    for (size_t k = 0; k < h->n; k++)
        fprintf(f, "%s%s", k ? "," : "", h->names[k]);
    fputc('\n', f);
}

/* A little noise that repeats: a number in [-1, 1] from i. */
static double jitter(unsigned long i)
{
    i = i * 2654435761u % 4294967296u;
    return (double)(i % 2001) / 1000.0 - 1.0;
}

/* The REPS rows of one case: way at w workers, its wall times around the model's
 * (the second repetition the median), its CPU times those of its jobs. */
static void write_case(FILE *f, const struct header *h, const struct student *s, enum way way,
                       double F, unsigned w, long *run)
{
    bool lesson = way == FRACTION || (way == SERIAL && F < 0);
    double wall = model_wall(s, way, F, w, lesson);
    double work = (double)s->jobs * steps(lesson ? s->lesson_n : s->n) * s->ns_per_step * 1e-9;
    char lock[32];
    struct row r = {.s = s, .workers = w, .size = lesson ? s->lesson_n : s->n, .host = s->host};

    if (way == FRACTION)
        snprintf(lock, sizeof lock, "fraction:%g", F);
    else
        snprintf(lock, sizeof lock, "%s", way == HELD || way == PROCS ? "held" : "none");
    r.lock = lock;
    r.program = way == SERIAL ? "parlab-serial" : way == PROCS ? "parlab-procs" : "parlab-threads";
    r.worker_kind = way == PROCS ? "process" : "thread";
    if (s->slowed && w > 1)
        work *= 1.35;
    (*run)++;
    for (unsigned rep = 1; rep <= REPS; rep++) {
        double noise = 1.0 + 0.004 * ((double)rep - 2.0) +
                       0.0008 * jitter((unsigned long)*run * 7 + rep);

        r.rep = rep;
        r.run = *run;
        r.wall = wall * noise;
        if (s->spread && way == THREADS && w == s->pus && rep == REPS)
            r.wall = wall * 1.4; /* a run that something disturbed */
        r.self = way == PROCS ? 0.0005 : work * (1.0 + 0.002 * jitter((unsigned long)rep));
        r.children = way == PROCS ? work : 0.0;
        r.other = s->busy ? 1.5 * r.wall + 0.01 * s->pus : (rep == 2 ? 0.01 : 0.0);
        for (size_t k = 0; k < h->n; k++) {
            if (k > 0)
                fputc(',', f);
            field(f, h->names[k], &r);
        }
        fputc('\n', f);
    }
}

/* The worker counts of the sweep, as run-all's: every W to 8, then steps, with PUs and
 * 2 x PUs among them. */
static size_t sweep_of(unsigned pus, unsigned *ws)
{
    static const unsigned steps_w[] = {1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 24, 32, 48, 64, 96, 128};
    size_t n = 0;

    for (size_t i = 0; i < sizeof steps_w / sizeof steps_w[0]; i++)
        if (steps_w[i] <= 2 * pus)
            ws[n++] = steps_w[i];
    return n; /* every PU count here and its double are among the steps */
}

/* Writes the student's runs.csv into class/dir. */
static void write_student(const char *class, const struct student *s)
{
    char *dir = tu_path(class, s->dir), *path = tu_path(dir, "runs.csv");
    struct header h;
    unsigned ws[32];
    size_t nw = sweep_of(s->pus, ws);
    long run = 100 * (long)s->pus;
    FILE *f;

    ck_assert_int_eq(mkdir(dir, 0755), 0);
    header_read(&h, s->label_mode != NO_LABEL_COLUMN);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    header_write(f, &h);
    write_case(f, &h, s, SERIAL, 0, 1, &run);
    for (size_t k = 0; k < nw; k++) {
        write_case(f, &h, s, THREADS, 0, ws[k], &run);
        write_case(f, &h, s, HELD, 0, ws[k], &run);
        write_case(f, &h, s, PROCS, 0, ws[k], &run);
    }
    if (s->lessons) {
        write_case(f, &h, s, SERIAL, -1, 1, &run); /* of the lessons' n */
        for (size_t i = 0; i < NFRACTIONS; i++)
            for (size_t k = 0; k < nw; k++)
                write_case(f, &h, s, FRACTION, fractions[i], ws[k], &run);
    }
    ck_assert_int_eq(fclose(f), 0);
    free(h.text);
    free(path);
    free(dir);
}

/* ---- the broken submissions ------------------------------------------------------ */

struct broken {
    const char *name; /* in the class's directory */
    const char *why;  /* what parlab-class's line about it must say */
};

static const struct broken broken[] = {
    {"b-no-runs", "no runs.csv"},
    {"b-malformed", "runs.csv' line 6, column run_id: a quote"},
    {"b-bad-number", "runs.csv' line 8, column wall_s: \"fast\" is not a time in seconds"},
    {"b-no-serial", "no serial run"},
    {"b-two-hosts", "runs of 2 hosts"},
    {"b-empty", "it is empty"},
    {"b-handed-in.zip", "not a directory"},
    {"b-header-only", "holds no runs"},
    {"b-two-students", "several students"},
    {"b-missing", "No such file or directory"},
    {"b-again", "in the table already"},
};
#define NBROKEN (sizeof broken / sizeof broken[0])

/* A student's rows with their host replaced, or only some of them: for the broken
 * ones, from student i's runs.csv.  keep(line, k) says whether the k-th data line is
 * kept, and may rewrite it into buf. */
static void copy_rows(const char *class, int i, const char *to,
                      const char *(*edit)(const char *line, size_t k, char *buf, size_t len))
{
    struct student s;
    char *from_dir, *from, *text, *dir = tu_path(class, to), *path;
    FILE *f;
    size_t k = 0;

    student_of(i, &s);
    from_dir = tu_path(class, s.dir);
    from = tu_path(from_dir, "runs.csv");
    text = tu_read_file(from);
    ck_assert_ptr_nonnull(text);
    ck_assert_int_eq(mkdir(dir, 0755), 0);
    path = tu_path(dir, "runs.csv");
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    for (char *line = text, *nl; *line != '\0'; line = nl + 1, k++) {
        char buf[1024];
        const char *kept;

        nl = strchr(line, '\n');
        *nl = '\0';
        kept = k == 0 ? line : edit(line, k, buf, sizeof buf);
        if (kept != NULL)
            fprintf(f, "%s\n", kept);
    }
    ck_assert_int_eq(fclose(f), 0);
    free(path);
    free(text);
    free(from);
    free(from_dir);
    free(dir);
}

static const char *drop_serial(const char *line, size_t k, char *buf, size_t len)
{
    (void)k, (void)buf, (void)len;
    return strstr(line, ",parlab-serial,") ? NULL : line;
}

/* Every other run on another host: the same student's runs of two machines. */
static const char *two_hosts(const char *line, size_t k, char *buf, size_t len)
{
    const char *host = strstr(line, ",lab-01,");

    if (k % 6 >= 3 || host == NULL)
        return line;
    snprintf(buf, len, "%.*s,lab-99,%s", (int)(host - line), line, host + strlen(",lab-01,"));
    return buf;
}

/* The label of some rows changed: two students' runs in one file. */
static const char *two_labels(const char *line, size_t k, char *buf, size_t len)
{
    snprintf(buf, len, "%.*s%s", (int)(strlen(line) - strlen("student 02")), line,
             k % 2 ? "student 02" : "student 22");
    return buf;
}

static const char *keep(const char *line, size_t k, char *buf, size_t len)
{
    (void)k, (void)buf, (void)len;
    return line;
}

static const char *none(const char *line, size_t k, char *buf, size_t len)
{
    (void)line, (void)k, (void)buf, (void)len;
    return NULL;
}

/* An unclosed quote in the 5th row; a time that is not one in the 7th. */
static const char *open_quote(const char *line, size_t k, char *buf, size_t len)
{
    if (k != 5)
        return line;
    snprintf(buf, len, "%s", line);
    *strchr(buf, ',') = '"';
    return buf;
}

static const char *bad_time(const char *line, size_t k, char *buf, size_t len)
{
    char *wall;
    const char *after;
    int commas = 0;

    if (k != 7)
        return line;
    snprintf(buf, len, "%s", line);
    for (wall = buf; commas < 8; wall++) /* wall_s is the 9th field */
        commas += *wall == ',';
    after = strchr(line + (wall - buf), ',');
    snprintf(wall, len - (size_t)(wall - buf), "fast%s", after);
    return buf;
}

static void write_broken(const char *class)
{
    char *p;

    p = tu_path(class, "b-no-runs"); /* a jobs CSV, but no runs CSV */
    ck_assert_int_eq(mkdir(p, 0755), 0);
    free(p);
    p = tu_path(class, "b-no-runs/jobs.csv");
    tu_write_file(p, "run_id,job,worker\n");
    free(p);
    copy_rows(class, 3, "b-malformed", open_quote);
    copy_rows(class, 4, "b-bad-number", bad_time);
    copy_rows(class, 0, "b-no-serial", drop_serial); /* on host lab-00, which has one */
    copy_rows(class, 1, "b-two-hosts", two_hosts);
    p = tu_path(class, "b-empty");
    ck_assert_int_eq(mkdir(p, 0755), 0);
    free(p);
    p = tu_path(class, "b-handed-in.zip");
    tu_write_file(p, "PK\003\004");
    free(p);
    copy_rows(class, 6, "b-header-only", none);
    copy_rows(class, 2, "b-two-students", two_labels);
    copy_rows(class, 12, "b-again", keep); /* student 12 on lab-12 once more */
}

/* ---- running parlab-class --------------------------------------------------------- */

/* The class, NGOOD students and the broken submissions, written once for the suite
 * (before its tests fork) and copied for each test: under valgrind writing it takes
 * longer than the test. */
static char class_template[4096];

static void class_template_make(void)
{
    char *class = tu_tmpdir();
    struct student s;

    for (int i = 0; i < NGOOD; i++) {
        student_of(i, &s);
        write_student(class, &s);
    }
    write_broken(class);
    snprintf(class_template, sizeof class_template, "%s", class);
    free(class);
}

static void class_template_remove(void)
{
    if (class_template[0] != '\0')
        tu_remove_tree(class_template);
}

/* A copy of the class in a fresh directory, for the test to change as it likes. */
static char *class_make(void)
{
    char *class = tu_tmpdir(), *from = tu_path(class_template, ".");
    const char *argv[] = {"cp", "-R", from, class, NULL};
    struct proc_result r;

    tu_run_cmd(&r, NULL, argv);
    ck_assert_msg(r.status == 0, "cp -R %s %s: %s", from, class, r.err);
    tu_result_release(&r);
    free(from);
    return class;
}

/* parlab-class with `options` (NULL-terminated, at most 8) on every submission of the
 * class, the good ones first, then the broken ones (b-missing is never made), then
 * the directories of the class named in `extra` (NULL-terminated, at most 8). */
static void run_class_with(struct proc_result *r, const char *class, const char *const *options,
                           bool with_broken, const char *const *extra)
{
    const char *args[NGOOD + NBROKEN + 20];
    char *paths[NGOOD + NBROKEN + 8];
    size_t n = 0, np = 0;
    struct student s;

    for (; options[n] != NULL; n++)
        args[n] = options[n];
    for (int i = 0; i < NGOOD; i++) {
        student_of(i, &s);
        args[n++] = paths[np++] = tu_path(class, s.dir);
    }
    for (size_t k = 0; with_broken && k < NBROKEN; k++)
        args[n++] = paths[np++] = tu_path(class, broken[k].name);
    for (size_t k = 0; extra != NULL && extra[k] != NULL; k++)
        args[n++] = paths[np++] = tu_path(class, extra[k]);
    args[n] = NULL;
    tu_run(r, "parlab-class", args);
    for (size_t k = 0; k < np; k++)
        free(paths[k]);
}

static void run_class(struct proc_result *r, const char *class, const char *const *options,
                      bool with_broken)
{
    run_class_with(r, class, options, with_broken, NULL);
}

/* The row of the class CSV whose dir column ends in "/name", or 0. */
static size_t csv_row_of(const struct csv_table *t, const char *name)
{
    size_t len = strlen(name);

    for (size_t row = 1; row < t->nrows; row++) {
        const char *dir = tu_field(t, row, "dir");
        size_t dl = strlen(dir);

        if (dl > len && strcmp(dir + dl - len, name) == 0 && dir[dl - len - 1] == '/')
            return row;
    }
    return 0;
}

static void expect_near(double got, double want, double tolerance, const char *what,
                        const char *who)
{
    ck_assert_msg(fabs(got - want) <= tolerance * fabs(want),
                  "%s of %s: %.4f, the model's %.4f (within %.1f%%)", what, who, got, want,
                  100 * tolerance);
}

/* The class as CSV, into *t (with the run's result in *r). */
static char *class_csv(struct proc_result *r, const char *class, struct csv_table *t)
{
    char *csv = tu_path(class, "class.csv");
    const char *options[] = {"--csv", csv, NULL};

    run_class(r, class, options, true);
    ck_assert_msg(r->status == 0, "parlab-class exited %d: %s", r->status, r->err);
    tu_read_csv(csv, t);
    return csv;
}

/* ---- the tests ----------------------------------------------------------------------- */

START_TEST(the_table_has_a_row_per_good_student_with_its_pus_and_speedups)
{
    char *class = class_make(), *csv;
    struct proc_result r;
    struct csv_table t;
    struct student s;

    csv = class_csv(&r, class, &t);
    ck_assert_uint_eq(t.nrows - 1, NGOOD);
    for (int i = 0; i < NGOOD; i++) {
        size_t row;

        student_of(i, &s);
        row = csv_row_of(&t, s.dir);
        ck_assert_msg(row != 0, "no row for %s", s.dir);
        ck_assert_str_eq(tu_field(&t, row, "host"), s.host);
        ck_assert_uint_eq((unsigned)tu_num(&t, row, "pus"), s.pus);
        ck_assert_uint_eq((unsigned)tu_num(&t, row, "cores"), s.cores);
        ck_assert_uint_eq((unsigned long)tu_num(&t, row, "jobs"), s.jobs);
        ck_assert_uint_eq((unsigned long)tu_num(&t, row, "n"), s.n);
        /* over the student's own serial run, whatever the machine's kernel speed */
        expect_near(tu_num(&t, row, "threads_speedup"), model_speedup(&s, THREADS, 0, s.pus),
                    0.01, "threads' speedup", s.dir);
        expect_near(tu_num(&t, row, "procs_speedup"), model_speedup(&s, PROCS, 0, s.pus), 0.01,
                    "procs' speedup", s.dir);
        expect_near(tu_num(&t, row, "held_speedup"), model_speedup(&s, HELD, 0, 3), 0.01,
                    "lock held's speedup", s.dir);
    }
    csv_table_release(&t);
    tu_result_release(&r);
    free(csv);
    tu_rmrf(class);
}
END_TEST

START_TEST(the_markdown_table_has_a_row_per_good_student)
{
    char *class = class_make(), line[2048], start[128];
    const char *options[] = {"--markdown", NULL};
    struct proc_result r;
    struct student s;
    size_t rows = 0;

    run_class(&r, class, options, true);
    ck_assert_msg(r.status == 0, "parlab-class exited %d: %s", r.status, r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "| student | host | PUs | cores | jobs | n |"));
    for (int i = 0; i < NGOOD; i++) {
        student_of(i, &s);
        snprintf(start, sizeof start, "| %s | %s | %u | %u | %lu | %lu", name_of(&s), s.host,
                 s.pus, s.cores, s.jobs, s.n);
        ck_assert_msg(tu_line(r.out, start, line, sizeof line), "no row starting %s", start);
        rows++;
    }
    /* a row per good student, and none for a broken one */
    ck_assert_uint_eq(fixture_count(r.out, "| lab-"), rows);
    ck_assert_ptr_null(strstr(r.out, "| lab-99 |"));
    tu_result_release(&r);
    tu_rmrf(class);
}
END_TEST

START_TEST(the_fitted_serial_fraction_is_the_models)
{
    char *class = class_make(), *csv, column[32];
    struct proc_result r;
    struct csv_table t;
    struct student s;

    csv = class_csv(&r, class, &t);
    for (int i = 0; i < NGOOD; i++) {
        size_t row;

        student_of(i, &s);
        row = csv_row_of(&t, s.dir);
        for (size_t k = 0; k < NFRACTIONS; k++) {
            double S = model_speedup(&s, FRACTION, fractions[k], s.pus);

            snprintf(column, sizeof column, "fitted_f%g", fractions[k]);
            if (!s.lessons) { /* no lock-fraction runs: nothing to fit */
                ck_assert_str_eq(tu_field(&t, row, column), "");
                continue;
            }
            ck_assert_msg(fabs(tu_num(&t, row, column) - karp_flatt(S, s.pus)) < 0.01,
                          "%s at F = %g: fitted %.4f, the model's %.4f", s.dir, fractions[k],
                          tu_num(&t, row, column), karp_flatt(S, s.pus));
            /* the model's serial share is F and a little overhead (where SMT threads
             * do not make the PUs fewer cores) */
            if (!s.busy && !s.slowed && s.cores == s.pus)
                ck_assert_msg(fabs(tu_num(&t, row, column) - fractions[k]) < 0.02,
                              "%s at F = %g: fitted %.4f", s.dir, fractions[k],
                              tu_num(&t, row, column));
        }
    }
    csv_table_release(&t);
    tu_result_release(&r);
    free(csv);
    tu_rmrf(class);
}
END_TEST

START_TEST(busy_machines_are_marked_not_quiet)
{
    char *class = class_make(), *csv;
    struct proc_result r;
    struct csv_table t;
    struct student s;
    size_t busy = 0, quiet = 0;

    csv = class_csv(&r, class, &t);
    for (int i = 0; i < NGOOD; i++) {
        size_t row;
        const char *why;

        student_of(i, &s);
        row = csv_row_of(&t, s.dir);
        why = tu_field(&t, row, "conditions");
        if (quiet_model(&s)) {
            ck_assert_msg(strcmp(tu_field(&t, row, "quiet"), "yes") == 0,
                          "%s (%u PUs) was quiet, but the table says %s: %s", s.dir, s.pus,
                          tu_field(&t, row, "quiet"), why);
            quiet++;
            continue;
        }
        ck_assert_msg(strcmp(tu_field(&t, row, "quiet"), "no") == 0,
                      "%s was not quiet, but the table says %s", s.dir,
                      tu_field(&t, row, "quiet"));
        if (s.busy) {
            ck_assert_msg(strstr(why, "busy") != NULL, "%s: %s", s.dir, why);
            busy++;
        }
        if (s.battery)
            ck_assert_msg(strstr(why, "on battery") != NULL, "%s: %s", s.dir, why);
        if (s.slowed)
            ck_assert_msg(strstr(why, "slowed PUs") != NULL, "%s: %s", s.dir, why);
        if (s.spread)
            ck_assert_msg(strstr(why, "repetitions disagree") != NULL, "%s: %s", s.dir, why);
    }
    ck_assert_uint_ge(busy, 3);
    ck_assert_uint_ge(quiet, 20);
    csv_table_release(&t);
    tu_result_release(&r);
    free(csv);
    tu_rmrf(class);
}
END_TEST

START_TEST(a_student_is_named_by_the_label_else_by_the_directory)
{
    char *class = class_make(), *csv;
    struct proc_result r;
    struct csv_table t;
    struct student s;

    csv = class_csv(&r, class, &t);
    for (int i = 0; i < NGOOD; i++) {
        size_t row;

        student_of(i, &s);
        row = csv_row_of(&t, s.dir);
        ck_assert_str_eq(tu_field(&t, row, "student"), name_of(&s));
        ck_assert_str_eq(tu_field(&t, row, "named_by"),
                         s.label_mode == LABELLED ? "label" : "directory");
    }
    csv_table_release(&t);
    tu_result_release(&r);
    free(csv);
    tu_rmrf(class);
}
END_TEST

START_TEST(each_broken_submission_is_named_on_stderr_with_its_reason)
{
    char *class = class_make(), line[2048], start[512], *path;
    const char *options[] = {"--markdown", NULL};
    struct proc_result r;

    run_class(&r, class, options, true);
    ck_assert_msg(r.status == 0, "parlab-class exited %d: %s", r.status, r.err);
    for (size_t k = 0; k < NBROKEN; k++) {
        path = tu_path(class, broken[k].name);
        snprintf(start, sizeof start, "parlab-class: skipped '%s': ", path);
        ck_assert_msg(tu_line(r.err, start, line, sizeof line), "nothing on stderr starts %s:\n%s",
                      start, r.err);
        ck_assert_msg(strstr(line, broken[k].why) != NULL, "'%s' lacks '%s'", line,
                      broken[k].why);
        free(path);
    }
    ck_assert_uint_eq(tu_count_lines(r.err), NBROKEN); /* one line each, nothing else */
    tu_result_release(&r);
    tu_rmrf(class);
}
END_TEST

START_TEST(a_speedup_never_divides_by_another_students_serial_run)
{
    /* b-no-serial ran on lab-00, as sub-00 did, who has a serial run of the same jobs
     * and n: it is skipped, not given sub-00's */
    char *class = class_make(), *dir = tu_path(class, "b-no-serial"), *csv = NULL;
    char *first = tu_path(class, "sub-00");
    const char *args[] = {"--csv", NULL, first, dir, NULL};
    struct proc_result r;
    struct csv_table t;

    csv = tu_path(class, "class.csv");
    args[1] = csv;
    tu_run(&r, "parlab-class", args);
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.err, "no serial run"));
    tu_read_csv(csv, &t);
    ck_assert_uint_eq(t.nrows, 2);
    ck_assert_str_eq(tu_field(&t, 1, "student"), "sub-00");
    csv_table_release(&t);
    tu_result_release(&r);
    free(csv);
    free(first);
    free(dir);
    tu_rmrf(class);
}
END_TEST

/* The blocks of a figure's data file, as gnuplot's `index` counts them: each ends in
 * two blank lines, and starts with a line "# " naming it. */
static size_t blocks_of(const char *data_dir, const char *figure, char **text)
{
    char name[64], *path;
    size_t named, ended;

    snprintf(name, sizeof name, "%s.dat", figure);
    path = tu_path(data_dir, name);
    *text = tu_read_file(path);
    ck_assert_msg(*text != NULL, "no %s", path);
    free(path);
    named = fixture_count(*text, "# ");
    ended = fixture_count(*text, "\n\n\n");
    ck_assert_msg(named == ended, "%s: %zu blocks named, %zu ended by two blank lines", name,
                  named, ended);
    return named;
}

START_TEST(the_figures_data_has_a_line_per_machine)
{
    char *class = class_make(), *data = tu_path(class, "figures"), *text, *list, *path;
    const char *options[] = {"--figure-data", data, NULL};
    struct proc_result r;
    struct student s;
    size_t lessons = 0, pus_rows = 0;
    char header[256];

    ck_assert_int_eq(mkdir(data, 0755), 0);
    run_class(&r, class, options, true);
    ck_assert_msg(r.status == 0, "parlab-class exited %d: %s", r.status, r.err);
    ck_assert_str_eq(r.out, ""); /* the table only when asked */
    path = tu_path(data, "class-figures");
    list = tu_read_file(path);
    ck_assert_ptr_nonnull(list);
    ck_assert_str_eq(list, "class-speedup yes\nclass-pus yes\nclass-amdahl yes\n");
    /* speedup against workers: a block per machine, each with its whole sweep */
    ck_assert_uint_eq(blocks_of(data, "class-speedup", &text), NGOOD);
    for (int i = 0; i < NGOOD; i++) {
        student_of(i, &s);
        snprintf(header, sizeof header, "# %s (%s, %u PUs): workers", name_of(&s), s.host,
                 s.pus);
        ck_assert_msg(strstr(text, header) != NULL, "class-speedup.dat lacks %s", header);
        lessons += s.lessons;
    }
    free(text);
    /* Amdahl's prediction against the measurement: a block per machine with lessons */
    ck_assert_uint_eq(blocks_of(data, "class-amdahl", &text), lessons);
    free(text);
    /* speedup at W = PUs against PUs: a block per way of running, a row per machine */
    ck_assert_uint_eq(blocks_of(data, "class-pus", &text), 2);
    for (const char *l = text; (l = strchr(l, '\n')) != NULL; l++)
        pus_rows += l[1] >= '0' && l[1] <= '9';
    ck_assert_uint_eq(pus_rows, 2 * NGOOD);
    free(text);
    free(list);
    free(path);
    tu_result_release(&r);
    free(data);
    tu_rmrf(class);
}
END_TEST

START_TEST(the_exit_status_says_whether_any_submission_was_used)
{
    char *class = class_make(), *empty = tu_path(class, "b-empty");
    char *missing = tu_path(class, "b-missing"), *good = tu_path(class, "sub-05");
    struct proc_result r;

    tu_run(&r, "parlab-class", (const char *[]){empty, missing, NULL});
    ck_assert_int_eq(r.status, 1); /* none used */
    ck_assert_ptr_nonnull(strstr(r.err, "none of the 2 directories given could be used"));
    ck_assert_str_eq(r.out, "");
    tu_result_release(&r);
    tu_run(&r, "parlab-class", (const char *[]){empty, good, missing, NULL});
    ck_assert_int_eq(r.status, 0); /* one used */
    tu_result_release(&r);
    tu_run(&r, "parlab-class", (const char *[]){NULL});
    ck_assert_int_eq(r.status, 2); /* nothing to read */
    ck_assert_uint_eq(tu_count_lines(r.err), 1);
    tu_result_release(&r);
    tu_run(&r, "parlab-class", (const char *[]){"--bogus", good, NULL});
    ck_assert_int_eq(r.status, 2);
    ck_assert_uint_eq(tu_count_lines(r.err), 1);
    tu_result_release(&r);
    tu_run(&r, "parlab-class", (const char *[]){"--csv", "", good, NULL});
    ck_assert_int_eq(r.status, 2);
    tu_result_release(&r);
    tu_run(&r, "parlab-class", (const char *[]){"--help", NULL});
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "Usage: parlab-class"));
    tu_result_release(&r);
    free(good);
    free(missing);
    free(empty);
    tu_rmrf(class);
}
END_TEST

START_TEST(a_csv_that_cannot_be_written_is_named_and_fails)
{
    char *class = class_make(), *good = tu_path(class, "sub-05");
    char *csv = tu_path(class, "no-such-dir/class.csv");
    struct proc_result r;

    tu_run(&r, "parlab-class", (const char *[]){"--csv", csv, good, NULL});
    ck_assert_int_eq(r.status, 1);
    ck_assert_uint_eq(tu_count_lines(r.err), 1);
    ck_assert_ptr_nonnull(strstr(r.err, "cannot write"));
    ck_assert_ptr_nonnull(strstr(r.err, csv));
    ck_assert_str_eq(r.out, ""); /* nothing else written */
    ck_assert_int_ne(access(csv, F_OK), 0);
    tu_result_release(&r);
    free(csv);
    free(good);
    tu_rmrf(class);
}
END_TEST

/* The table replaces its file by a rename: a FIFO (or /dev/stdout, a symbolic link
 * to a pipe) must be refused, not replaced, and a symbolic link to a regular file
 * written through. */
START_TEST(the_csv_goes_to_a_regular_file_only)
{
    char *class = class_make(), *good = tu_path(class, "sub-05");
    char *fifo = tu_path(class, "fifo.csv"), *real = tu_path(class, "real.csv");
    char *link = tu_path(class, "link.csv"), *text;
    struct proc_result r;
    struct stat st;

    ck_assert_int_eq(mkfifo(fifo, 0644), 0);
    tu_run(&r, "parlab-class", (const char *[]){"--csv", fifo, good, NULL});
    ck_assert_int_eq(r.status, 2);
    ck_assert_msg(tu_count_lines(r.err) == 1 && strstr(r.err, "not a regular file"), "said: %s",
                  r.err);
    ck_assert_int_eq(lstat(fifo, &st), 0);
    ck_assert_msg(S_ISFIFO(st.st_mode), "the FIFO was replaced");
    tu_result_release(&r);

    tu_write_file(real, "old\n");
    ck_assert_int_eq(symlink(real, link), 0);
    tu_run(&r, "parlab-class", (const char *[]){"--csv", link, good, NULL});
    ck_assert_int_eq(r.status, 0);
    ck_assert_int_eq(lstat(link, &st), 0);
    ck_assert_msg(S_ISLNK(st.st_mode), "the symbolic link was replaced");
    text = tu_read_file(real);
    ck_assert_msg(text != NULL && strncmp(text, "student,", 8) == 0, "wrote: %s", text);
    free(text);
    tu_result_release(&r);
    free(link);
    free(real);
    free(fifo);
    free(good);
    tu_rmrf(class);
}
END_TEST

START_TEST(make_class_draws_the_class_figures)
{
    char *class, *out, *path, *md;
    struct proc_result r;
    static const char *const drawn[] = {"class-speedup", "class-pus", "class-amdahl"};

    class = class_make(); /* make check has gnuplot (src/deps.sh), as check_figures does */
    out = tu_path(class, "out"); /* inside the class's directory: not a submission */
    tu_run_cmd(&r, NULL, (const char *[]){"sh", "plots/class.sh", class, out, NULL});
    ck_assert_msg(r.status == 0, "class.sh exited %d: %s", r.status, r.err);
    ck_assert_ptr_nonnull(strstr(r.err, "class: class.md, class.csv and class-speedup, "
                                        "class-pus, class-amdahl (png, svg)"));
    for (size_t k = 0; k < sizeof drawn / sizeof drawn[0]; k++)
        for (int svg = 0; svg < 2; svg++) {
            struct stat st;
            char name[64];

            snprintf(name, sizeof name, "%s.%s", drawn[k], svg ? "svg" : "png");
            path = tu_path(out, name);
            ck_assert_msg(stat(path, &st) == 0 && st.st_size > 1000, "no %s", path);
            free(path);
        }
    path = tu_path(out, "class.md");
    md = tu_read_file(path);
    ck_assert_ptr_nonnull(md);
    ck_assert_uint_eq(fixture_count(md, "| lab-"), NGOOD);
    ck_assert_ptr_null(strstr(r.err, "/out'")); /* OUTDIR is no submission */
    free(md);
    free(path);
    tu_result_release(&r);
    free(out);
    tu_rmrf(class);
}
END_TEST

/* ---- exercises: parlab-exercise's rows ----------------------------------------------- */

/* tests/fixtures/exercises: ana and ben ran exercise pi (parlab-exercise --solution pi
 * -w 1,2 on a 2-PU machine), cal ran it beside parlab-serial and parlab-threads.  The
 * runs were short on a machine that was not idle: each test that needs a quiet one
 * sets every other_cpu_s to 0 first, and makes its own busy case. */
#define FIXTURE_EXERCISES "tests/fixtures/exercises"

static const char *const pi_parts[] = {"critical", "atomic", "reduction"};
#define NPARTS (sizeof pi_parts / sizeof pi_parts[0])

/* Copies fixture student `who` into class/who, every other_cpu_s 0 when `calm`; returns
 * the new directory (free it). */
static char *exercise_copy(const char *class, const char *who, bool calm)
{
    char *from_dir = tu_path(FIXTURE_EXERCISES, who), *from = tu_path(from_dir, "runs.csv");
    char *dir = tu_path(class, who), *to = tu_path(dir, "runs.csv"), *text = tu_read_file(from);

    ck_assert_msg(text != NULL, "cannot read %s", from);
    ck_assert_int_eq(mkdir(dir, 0755), 0);
    tu_write_file(to, text);
    if (calm)
        fixture_set(dir, &(struct fixture_rows){0}, "other_cpu_s", "0.00", 0);
    free(text);
    free(to);
    free(from);
    free(from_dir);
    return dir;
}

/* The one row of t with this program and W; fails the test when there is not exactly
 * one (the fixture ran each part once at each W). */
static size_t row_of_run(const struct csv_table *t, const char *program, unsigned long workers)
{
    size_t found = 0, n = 0;

    for (size_t row = 1; row < t->nrows; row++)
        if (strcmp(tu_field(t, row, "program"), program) == 0 &&
            strtoul(tu_field(t, row, "workers"), NULL, 10) == workers) {
            found = row;
            n++;
        }
    ck_assert_msg(n == 1, "%zu rows of %s with W = %lu", n, program, workers);
    return found;
}

/* What dir/runs.csv says of its machine, and the speedup of `program` at W = PUs
 * over `serial` of the same jobs, n and label: their wall times (one run each). */
struct expected {
    char host[64];
    unsigned long pus;
};

static double speedup_in(const char *dir, const char *program, const char *serial,
                         struct expected *x)
{
    char *path = tu_path(dir, "runs.csv");
    struct csv_table t;
    size_t part, base;
    double speedup;

    tu_read_csv(path, &t);
    snprintf(x->host, sizeof x->host, "%s", tu_field(&t, 1, "host"));
    x->pus = strtoul(tu_field(&t, 1, "pus"), NULL, 10);
    part = row_of_run(&t, program, x->pus);
    base = row_of_run(&t, serial, 1);
    for (const char *const *c = (const char *const[]){"jobs", "size", "host", "label", NULL};
         *c != NULL; c++)
        ck_assert_str_eq(tu_field(&t, part, *c), tu_field(&t, base, *c));
    speedup = tu_num(&t, base, "wall_s") / tu_num(&t, part, "wall_s");
    csv_table_release(&t);
    free(path);
    return speedup;
}

static double pi_speedup(const char *dir, const char *part, struct expected *x)
{
    char program[64];

    snprintf(program, sizeof program, "exercise-pi-%s", part);
    return speedup_in(dir, program, "exercise-pi-serial", x);
}

/* The class CSV's row of student `who`, or 0. */
static size_t csv_row_named(const struct csv_table *t, const char *who)
{
    for (size_t row = 1; row < t->nrows; row++)
        if (strcmp(tu_field(t, row, "student"), who) == 0)
            return row;
    return 0;
}

/* The CSV's speedup of pi's part is the fixture's, to the CSV's 4 decimals. */
static void expect_pi_speedups(const struct csv_table *t, size_t row, const char *dir)
{
    struct expected x;
    char column[64];

    for (size_t k = 0; k < NPARTS; k++) {
        double want = pi_speedup(dir, pi_parts[k], &x);

        snprintf(column, sizeof column, "speedup_exercise-pi-%s", pi_parts[k]);
        ck_assert_msg(fabs(tu_num(t, row, column) - want) <= 0.00005 + 1e-9,
                      "%s of %s: %s, the fixture's %.6f", column, dir, tu_field(t, row, column),
                      want);
    }
    ck_assert_uint_eq((unsigned long)tu_num(t, row, "pus"), x.pus);
    ck_assert_str_eq(tu_field(t, row, "host"), x.host);
}

/* The Markdown table's section that starts with `heading`, to the next "## " (a copy). */
static char *section(const char *text, const char *heading)
{
    const char *start = strstr(text, heading), *end;

    ck_assert_msg(start != NULL, "no %s in:\n%s", heading, text);
    end = strstr(start + strlen(heading), "\n## ");
    return strndup(start, end ? (size_t)(end - start) : strlen(start));
}

/* The lines of text that start with "| " and are no header: the table's rows. */
static size_t table_rows(const char *text)
{
    size_t n = 0;

    for (const char *l = text; l != NULL; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
        n += strncmp(l, "| ", 2) == 0 && strncmp(l, "| student |", 11) != 0;
    return n;
}

START_TEST(directories_of_exercise_runs_only_are_rows_with_the_exercises_speedups)
{
    char *class = tu_tmpdir(), *ana = exercise_copy(class, "ana", true);
    char *ben = exercise_copy(class, "ben", true), *csv = tu_path(class, "class.csv");
    char *figs = tu_path(class, "figs"), *list_path = tu_path(figs, "class-figures");
    char *list, *ex, want[512], cellv[NPARTS][32], line[1024];
    const char *dirs[] = {ana, ben};
    struct proc_result r;
    struct csv_table t;
    struct expected x;

    ck_assert_int_eq(mkdir(figs, 0755), 0);
    tu_run(&r, "parlab-class", (const char *[]){"--csv", csv, "--figure-data", figs, ana, ben,
                                               NULL});
    ck_assert_msg(r.status == 0, "parlab-class exited %d: %s", r.status, r.err);
    ck_assert_str_eq(r.err, "");
    tu_read_csv(csv, &t);
    ck_assert_uint_eq(t.nrows - 1, 2);
    for (size_t i = 0; i < 2; i++) {
        size_t row = csv_row_named(&t, i == 0 ? "ana" : "ben");

        ck_assert_msg(row != 0, "no row of %s", i == 0 ? "ana" : "ben");
        expect_pi_speedups(&t, row, dirs[i]);
        /* no parlab-serial run: parlab's columns empty, the verdict says there is none */
        for (const char *const *c = (const char *const[]){"jobs", "n", "serial_wall_s",
                                                          "threads_speedup", "procs_speedup",
                                                          "held_speedup", NULL};
             *c != NULL; c++)
            ck_assert_msg(strcmp(tu_field(&t, row, *c), "") == 0, "%s: %s", *c,
                          tu_field(&t, row, *c));
        ck_assert_str_eq(tu_field(&t, row, "quiet"), "cannot tell");
        /* runs of milliseconds, nobody else's CPU time: too short to tell, and the
         * parts' CPU time (40 times the serial part's with two threads) is no verdict */
        ck_assert_msg(strcmp(tu_field(&t, row, "exercise_quiet"), "cannot tell") == 0,
                      "exercise_quiet %s: %s", tu_field(&t, row, "exercise_quiet"),
                      tu_field(&t, row, "exercise_conditions"));
    }
    csv_table_release(&t);
    /* no figure draws exercises as threads */
    list = tu_read_file(list_path);
    ck_assert_ptr_nonnull(list);
    ck_assert_msg(fixture_count(list, " no ") == 3, "class-figures:\n%s", list);
    free(list);
    tu_result_release(&r);

    tu_run(&r, "parlab-class", (const char *[]){ana, ben, NULL});
    ck_assert_msg(r.status == 0, "parlab-class exited %d: %s", r.status, r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "\n[1] no parlab-serial run.\n"));
    ex = section(r.out, "## Exercises");
    ck_assert_msg(strstr(ex, "| student | host | PUs | pi critical | pi atomic | pi reduction "
                             "| quiet |\n") != NULL,
                  "%s", ex);
    ck_assert_uint_eq(table_rows(ex), 2);
    for (size_t i = 0; i < 2; i++) {
        for (size_t k = 0; k < NPARTS; k++)
            snprintf(cellv[k], sizeof cellv[k], "%.2fx", pi_speedup(dirs[i], pi_parts[k], &x));
        snprintf(want, sizeof want, "| %s | %s | %lu | %s | %s | %s | cannot tell",
                 i == 0 ? "ana" : "ben", x.host, x.pus, cellv[0], cellv[1], cellv[2]);
        ck_assert_msg(tu_line(ex, want, line, sizeof line), "no row %s in:\n%s", want, ex);
        snprintf(want, sizeof want, "| %s | %s | %lu | %lu | – | – | – [1] | – [1] | – [1] |",
                 i == 0 ? "ana" : "ben", x.host, x.pus, x.pus);
        ck_assert_msg(tu_line(r.out, want, line, sizeof line), "no row %s in:\n%s", want, r.out);
    }
    free(ex);
    tu_result_release(&r);
    free(list_path);
    free(figs);
    free(csv);
    free(ben);
    free(ana);
    tu_rmrf(class);
}
END_TEST

START_TEST(joblib_rows_are_no_exercise)
{
    /* tests/fixtures/joblib: parlab's runs and joblib-compare's (a suite of its own,
     * joblib-PART): the student's parlab numbers, and no exercise anywhere */
    char *class = tu_tmpdir(), *joe = tu_path(class, "joe"), *to = tu_path(joe, "runs.csv");
    char *csv = tu_path(class, "class.csv"), *text = tu_read_file("tests/fixtures/joblib/runs.csv");
    struct proc_result r;
    struct csv_table t;

    ck_assert_ptr_nonnull(text);
    ck_assert_int_eq(mkdir(joe, 0755), 0);
    tu_write_file(to, text);
    tu_run(&r, "parlab-class", (const char *[]){"--csv", csv, joe, NULL});
    ck_assert_msg(r.status == 0, "parlab-class exited %d: %s", r.status, r.err);
    tu_read_csv(csv, &t);
    ck_assert_uint_eq(t.nrows - 1, 1);
    for (size_t k = 0; k < t.rows[0].nfields; k++)
        ck_assert_msg(strstr(t.rows[0].fields[k], "joblib") == NULL &&
                          strstr(t.rows[0].fields[k], "exercise") == NULL, "column %s",
                      t.rows[0].fields[k]);
    ck_assert_uint_eq((unsigned long)tu_num(&t, 1, "n"), 146);
    csv_table_release(&t);
    tu_result_release(&r);
    tu_run(&r, "parlab-class", (const char *[]){joe, NULL});
    ck_assert_msg(r.status == 0, "parlab-class exited %d: %s", r.status, r.err);
    ck_assert_msg(strstr(r.out, "## Exercises") == NULL, "%s", r.out);
    ck_assert_msg(strstr(r.out, "joblib") == NULL, "%s", r.out);
    tu_result_release(&r);
    free(text);
    free(csv);
    free(to);
    free(joe);
    tu_rmrf(class);
}
END_TEST

START_TEST(mixed_directories_keep_their_parlab_numbers_and_add_their_exercises)
{
    /* the generated class, and cal, whose runs.csv holds parlab's runs and exercise
     * pi's: the generated rows are as before, with empty exercise columns */
    char *class = class_make(), *cal = exercise_copy(class, "cal", true);
    char *csv = tu_path(class, "class.csv"), *ex;
    const char *options[] = {"--csv", csv, NULL}, *extra[] = {"cal", NULL};
    struct proc_result r;
    struct csv_table t;
    struct student s;
    struct expected x;
    size_t row;

    run_class_with(&r, class, options, true, extra);
    ck_assert_msg(r.status == 0, "parlab-class exited %d: %s", r.status, r.err);
    ck_assert_uint_eq(tu_count_lines(r.err), NBROKEN); /* cal is used */
    tu_read_csv(csv, &t);
    ck_assert_uint_eq(t.nrows - 1, NGOOD + 1);
    for (int i = 0; i < NGOOD; i++) {
        student_of(i, &s);
        row = csv_row_of(&t, s.dir);
        ck_assert_msg(row != 0, "no row for %s", s.dir);
        expect_near(tu_num(&t, row, "threads_speedup"), model_speedup(&s, THREADS, 0, s.pus),
                    0.01, "threads' speedup", s.dir);
        ck_assert_str_eq(tu_field(&t, row, "quiet"), quiet_model(&s) ? "yes" : "no");
        for (size_t k = 0; k < NPARTS; k++) {
            char column[64];

            snprintf(column, sizeof column, "speedup_exercise-pi-%s", pi_parts[k]);
            ck_assert_str_eq(tu_field(&t, row, column), "");
        }
        ck_assert_str_eq(tu_field(&t, row, "exercise_quiet"), "");
    }
    row = csv_row_named(&t, "cal");
    ck_assert_uint_ne(row, 0);
    expect_pi_speedups(&t, row, cal);
    /* its parlab speedup over its parlab-serial run, not over pi's serial part */
    expect_near(tu_num(&t, row, "threads_speedup"),
                speedup_in(cal, "parlab-threads", "parlab-serial", &x), 0.001,
                "threads' speedup", "cal");
    ck_assert_uint_eq((unsigned long)tu_num(&t, row, "jobs"), 4);
    ck_assert_uint_eq((unsigned long)tu_num(&t, row, "n"), 60);
    ck_assert_msg(strstr(tu_field(&t, row, "conditions"), "pi ") == NULL, "%s",
                  tu_field(&t, row, "conditions"));
    csv_table_release(&t);
    tu_result_release(&r);

    run_class_with(&r, class, (const char *[]){"--markdown", NULL}, false, extra);
    ck_assert_msg(r.status == 0, "parlab-class exited %d: %s", r.status, r.err);
    ck_assert_uint_eq(fixture_count(r.out, "| lab-"), NGOOD); /* the first table as before */
    ex = section(r.out, "## Exercises");
    ck_assert_uint_eq(table_rows(ex), 1); /* cal alone has exercise runs */
    ck_assert_ptr_nonnull(strstr(ex, "| cal | "));
    free(ex);
    tu_result_release(&r);
    free(csv);
    free(cal);
    tu_rmrf(class);
}
END_TEST

START_TEST(a_busy_exercise_case_makes_the_exercises_not_quiet)
{
    char *class = tu_tmpdir(), *ana = exercise_copy(class, "ana", true);
    char *ben = exercise_copy(class, "ben", true), *cal = exercise_copy(class, "cal", true);
    char *csv = tu_path(class, "class.csv"), *ex, line[1024];
    struct proc_result r;
    struct csv_table t;
    struct expected x;
    size_t row;

    /* other programs took a PU and more while ana's atomic part and cal's critical
     * part ran with W = PUs */
    speedup_in(ana, "exercise-pi-atomic", "exercise-pi-serial", &x);
    fixture_set(ana, &(struct fixture_rows){.program = "exercise-pi-atomic", .workers = x.pus},
                "other_cpu_s", "1.50", 0);
    fixture_set(cal, &(struct fixture_rows){.program = "exercise-pi-critical", .workers = x.pus},
                "other_cpu_s", "1.50", 0);
    tu_run(&r, "parlab-class", (const char *[]){"--csv", csv, ana, ben, cal, NULL});
    ck_assert_msg(r.status == 0, "parlab-class exited %d: %s", r.status, r.err);
    tu_read_csv(csv, &t);
    for (size_t i = 0; i < 3; i++) {
        const char *who = i == 0 ? "ana" : i == 1 ? "ben" : "cal";
        const char *why;
        char part[64];

        row = csv_row_named(&t, who);
        ck_assert_uint_ne(row, 0);
        why = tu_field(&t, row, "exercise_conditions");
        if (i == 1) { /* ben's stays as it was */
            ck_assert_str_eq(tu_field(&t, row, "exercise_quiet"), "cannot tell");
            continue;
        }
        snprintf(part, sizeof part, "pi %s, W = %lu", i == 0 ? "atomic" : "critical", x.pus);
        ck_assert_str_eq(tu_field(&t, row, "exercise_quiet"), "no");
        ck_assert_msg(strstr(why, "busy") != NULL && strstr(why, part) != NULL, "%s: %s", who,
                      why);
        /* parlab's verdict is of parlab's runs */
        ck_assert_msg(strstr(tu_field(&t, row, "conditions"), "busy") == NULL, "%s: %s", who,
                      tu_field(&t, row, "conditions"));
    }
    csv_table_release(&t);
    tu_result_release(&r);

    tu_run(&r, "parlab-class", (const char *[]){ana, ben, cal, NULL});
    ck_assert_msg(r.status == 0, "parlab-class exited %d: %s", r.status, r.err);
    ex = section(r.out, "## Exercises");
    ck_assert_msg(tu_line(ex, "| ana | ", line, sizeof line), "%s", ex);
    ck_assert_msg(strstr(line, "| no: busy") != NULL, "%s", line);
    ck_assert_msg(tu_line(ex, "| ben | ", line, sizeof line), "%s", ex);
    ck_assert_msg(strstr(line, "| cannot tell") != NULL, "%s", line);
    free(ex);
    tu_result_release(&r);
    free(csv);
    free(cal);
    free(ben);
    free(ana);
    tu_rmrf(class);
}
END_TEST

/* Note k under a Markdown table ("[k] TEXT."), its text into buf. */
static void note_text(const char *text, unsigned long k, char *buf, size_t len)
{
    char mark[32];
    const char *at, *end;

    snprintf(mark, sizeof mark, "\n[%lu] ", k);
    at = strstr(text, mark);
    ck_assert_msg(at != NULL, "no note %lu in:\n%s", k, text);
    at += strlen(mark);
    end = strchr(at, '\n');
    snprintf(buf, len, "%.*s", (int)(end ? end - at : (long)strlen(at)), at);
}

/* Drops ana's runs of pi critical and of pi atomic with two threads. */
static const char *no_critical_one_atomic(const char *line, const char **extra)
{
    (void)extra;
    return strstr(line, ",exercise-pi-critical,") || strstr(line, ",exercise-pi-atomic,2,")
               ? NULL
               : line;
}

START_TEST(a_missing_exercise_run_is_a_cell_with_its_reason)
{
    /* ana, first, ran pi atomic with one thread only and never pi critical: the
     * columns keep the handout's order, and ana's cells say what is missing */
    char *class = tu_tmpdir(), *ana = exercise_copy(class, "ana", true);
    char *ben = exercise_copy(class, "ben", true), *ex, line[1024], want[512];
    struct proc_result r;
    struct expected x;
    const char *cells;

    fixture_rewrite(ana, "runs.csv", no_critical_one_atomic);
    tu_run(&r, "parlab-class", (const char *[]){ana, ben, NULL});
    ck_assert_msg(r.status == 0, "parlab-class exited %d: %s", r.status, r.err);
    ex = section(r.out, "## Exercises");
    ck_assert_msg(strstr(ex, "| PUs | pi critical | pi atomic | pi reduction | quiet |") != NULL,
                  "%s", ex);
    ck_assert_msg(tu_line(ex, "| ana | ", line, sizeof line), "%s", ex);
    /* the critical cell's note names pi critical, the atomic one's the W there are */
    cells = strstr(line, " | – [");
    ck_assert_msg(cells != NULL, "%s", line);
    note_text(ex, strtoul(cells + strlen(" | – ["), NULL, 10), want, sizeof want);
    ck_assert_msg(strstr(want, "no runs of pi critical") != NULL, "%s", want);
    cells = strstr(cells + 1, " | – [");
    ck_assert_msg(cells != NULL, "%s", line);
    note_text(ex, strtoul(cells + strlen(" | – ["), NULL, 10), want, sizeof want);
    speedup_in(ben, "exercise-pi-atomic", "exercise-pi-serial", &x);
    ck_assert_msg(strstr(want, "pi atomic") != NULL && tu_has_number(want, (double)x.pus) &&
                      tu_has_number(want, 1),
                  "%s", want);
    snprintf(want, sizeof want, "%.2fx |", pi_speedup(ana, "reduction", &x));
    ck_assert_msg(strstr(line, want) != NULL, "%s lacks %s", line, want);
    free(ex);
    tu_result_release(&r);
    free(ben);
    free(ana);
    tu_rmrf(class);
}
END_TEST

static Suite *class_suite(void)
{
    Suite *s = suite_create("class");
    TCase *tc = tcase_create("class");

    tcase_set_timeout(tc, 60);
    tcase_add_unchecked_fixture(tc, class_template_make, class_template_remove);
    tcase_add_test(tc, the_table_has_a_row_per_good_student_with_its_pus_and_speedups);
    tcase_add_test(tc, the_markdown_table_has_a_row_per_good_student);
    tcase_add_test(tc, the_fitted_serial_fraction_is_the_models);
    tcase_add_test(tc, busy_machines_are_marked_not_quiet);
    tcase_add_test(tc, a_student_is_named_by_the_label_else_by_the_directory);
    tcase_add_test(tc, each_broken_submission_is_named_on_stderr_with_its_reason);
    tcase_add_test(tc, a_speedup_never_divides_by_another_students_serial_run);
    tcase_add_test(tc, the_figures_data_has_a_line_per_machine);
    tcase_add_test(tc, the_exit_status_says_whether_any_submission_was_used);
    tcase_add_test(tc, a_csv_that_cannot_be_written_is_named_and_fails);
    tcase_add_test(tc, the_csv_goes_to_a_regular_file_only);
    tcase_add_test(tc, make_class_draws_the_class_figures);
    tcase_add_test(tc, directories_of_exercise_runs_only_are_rows_with_the_exercises_speedups);
    tcase_add_test(tc, mixed_directories_keep_their_parlab_numbers_and_add_their_exercises);
    tcase_add_test(tc, joblib_rows_are_no_exercise);
    tcase_add_test(tc, a_busy_exercise_case_makes_the_exercises_not_quiet);
    tcase_add_test(tc, a_missing_exercise_run_is_a_cell_with_its_reason);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(class_suite());
}
