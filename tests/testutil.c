/*
 * testutil.c - helpers for the Check suites.
 */
#include "testutil.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "parlab/run.h"

extern char **environ;

/* Where the running suite's skipped tests are written, one line each, "NAME\tREASON";
 * set by tu_run_suite before any test starts, so that forked tests inherit it. */
static char skip_file[4096];

void tu_skip_record(const char *fn, const char *fmt, ...)
{
    char line[1024];
    size_t len = strlen(fn), n;
    va_list ap;
    int fd;

    if (len > 3 && strcmp(fn + len - 3, "_fn") == 0) /* START_TEST's name_fn */
        len -= 3;
    snprintf(line, sizeof line, "%.*s\t", (int)len, fn);
    n = strlen(line);
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof line - n - 1, fmt, ap);
    va_end(ap);
    for (char *p = line; *p; p++)
        if (*p == '\n')
            *p = ' ';
    n = strlen(line);
    line[n++] = '\n';
    if (skip_file[0] == '\0') { /* not under tu_run_suite: say so, at least */
        fprintf(stderr, "skipped %.*s", (int)n, line);
        return;
    }
    fd = open(skip_file, O_WRONLY | O_APPEND);
    ck_assert_msg(fd >= 0, "cannot open %s: %s", skip_file, strerror(errno));
    ck_assert_msg(write(fd, line, n) == (ssize_t)n, "cannot write %s: %s", skip_file,
                  strerror(errno));
    close(fd);
}

/* True for a line of Check's log that starts a test's result: "FILE:LINE:X:". */
static bool result_line(const char *line, char *kind)
{
    const char *p = strchr(line, ':');

    if (p == NULL || p[1] < '0' || p[1] > '9')
        return false;
    for (p++; *p >= '0' && *p <= '9'; p++)
        ;
    if (p[0] != ':' || p[1] == '\0' || p[2] != ':')
        return false;
    *kind = p[1];
    return true;
}

/* Prints the failed tests' results from Check's log, in Check's own words
 * ("FILE:LINE:F:CASE:TEST:ITERATION: message", a message running on over lines). */
static void print_failures(const char *log)
{
    FILE *f = fopen(log, "r");
    char line[4096], kind = 'P';

    if (f == NULL)
        return;
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "Results for all suites run:", 27) == 0)
            break;
        if (!result_line(line, &kind) && strncmp(line, "Running suite", 13) == 0)
            kind = 'P';
        else if (kind == 'F' || kind == 'E')
            fputs(line, stdout);
    }
    fclose(f);
}

/* Prints the skipped tests with their reasons and returns how many there were.  No
 * ck_assert here: outside a test it cannot report. */
static int print_skips(const char *suite)
{
    FILE *f = fopen(skip_file, "r");
    char line[1100];
    int n = 0;

    if (f == NULL)
        return 0;
    while (fgets(line, sizeof line, f) != NULL) {
        char *tab = strchr(line, '\t');

        line[strcspn(line, "\n")] = '\0';
        if (tab != NULL)
            *tab = '\0';
        printf("%s: skipped %s: %s\n", suite, line, tab ? tab + 1 : "");
        n++;
    }
    fclose(f);
    return n;
}

/* A fresh empty file under $TMPDIR named into path; 0 or -1. */
static int temp_file(char *path, size_t len, const char *what)
{
    const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    int fd;

    snprintf(path, len, "%s/parlab-%s-XXXXXX", base, what);
    if ((fd = mkstemp(path)) < 0) {
        fprintf(stderr, "cannot create %s: %s\n", path, strerror(errno));
        return -1;
    }
    close(fd);
    return 0;
}

int tu_run_suite(Suite *suite)
{
    const char *name = program_invocation_short_name, *counts = getenv("PARLAB_TEST_COUNTS");
    bool check_prints = getenv("CK_VERBOSITY") != NULL;
    SRunner *sr = srunner_create(suite);
    char log[4096];
    int run, failed, skipped, passed;

    if (strncmp(name, "check_", 6) == 0)
        name += 6;
    /* The tests expect the programs' own defaults, whatever the shell exports; a test
     * of a variable sets it itself. */
    unsetenv("OMP_NUM_THREADS");
    unsetenv("PARLAB_FAULT");
    if (temp_file(skip_file, sizeof skip_file, "skips") != 0 ||
        temp_file(log, sizeof log, "log") != 0) {
        srunner_free(sr);
        return EXIT_FAILURE;
    }
    srunner_set_log(sr, log);
    fflush(NULL); /* nothing buffered is written twice by the forked tests */
    srunner_run_all(sr, check_prints ? CK_ENV : CK_SILENT);
    run = srunner_ntests_run(sr);
    failed = srunner_ntests_failed(sr);
    if (!check_prints)
        print_failures(log);
    skipped = print_skips(name);
    unlink(skip_file);
    skip_file[0] = '\0';
    passed = run - failed - skipped; /* Check counts a skipped test as passed */
    printf("suite %s: %d passed, %d failed, %d skipped\n", name, passed, failed, skipped);
    fflush(stdout);
    if (counts != NULL && counts[0] != '\0') {
        FILE *f = fopen(counts, "a");
        bool written = f != NULL && fprintf(f, "%s %d %d %d\n", name, passed, failed,
                                            skipped) > 0;

        if (f != NULL && fclose(f) != 0)
            written = false;
        if (!written) {
            fprintf(stderr, "%s: cannot write %s: %s\n", name, counts, strerror(errno));
            failed++;
        }
    }
    srunner_free(sr);
    unlink(log); /* after srunner_free, which closes it */
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

char *tu_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);

    ck_assert_ptr_nonnull(p);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

char *tu_read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0, cap = 0, n;

    if (f == NULL)
        return NULL;
    do {
        if (cap - len < 4096) {
            char *grown;

            cap = cap ? cap * 2 : 8192;
            grown = realloc(buf, cap + 1);
            ck_assert_ptr_nonnull(grown);
            buf = grown;
        }
        n = fread(buf + len, 1, cap - len, f);
        len += n;
    } while (n > 0);
    fclose(f);
    buf[len] = '\0';
    return buf;
}

void tu_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");

    ck_assert_msg(f != NULL, "cannot create %s: %s", path, strerror(errno));
    ck_assert_int_eq(fputs(text, f) >= 0, 1);
    ck_assert_int_eq(fclose(f), 0);
}

void tu_run(struct proc_result *r, const char *program, const char *const *args)
{
    tu_run_env(r, NULL, program, args);
}

/* environ with the NULL-terminated "NAME=value" strings of extra put in. */
static char **merged_environment(const char *const *extra)
{
    size_t n = 0, k = 0, e = 0;
    char **env;

    while (environ[n] != NULL)
        n++;
    while (extra != NULL && extra[e] != NULL)
        e++;
    env = calloc(n + e + 1, sizeof *env);
    ck_assert_ptr_nonnull(env);
    for (size_t i = 0; i < n; i++) {
        bool replaced = false;

        for (size_t j = 0; j < e && !replaced; j++) {
            size_t len = strcspn(extra[j], "=") + 1;
            replaced = strncmp(environ[i], extra[j], len) == 0;
        }
        if (!replaced)
            env[k++] = environ[i];
    }
    for (size_t j = 0; j < e; j++)
        env[k++] = (char *)extra[j];
    env[k] = NULL;
    return env;
}

void tu_run_env(struct proc_result *r, const char *const *env_extra, const char *program,
                const char *const *args)
{
    struct proc_handle h;

    tu_start(&h, env_extra, program, args);
    tu_finish(&h, r);
}

static void start_cmd(struct proc_handle *h, const char *const *env_extra,
                      const char *const *argv)
{
    char **env = merged_environment(env_extra);
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    sigset_t defaults, none;
    int rc;

    /* The signals a terminal sends, as a shell at a terminal gives them: a test run
     * under nohup or from a background job would otherwise hand them on ignored, and
     * a shell cannot trap a signal it was started with ignored. */
    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGHUP);
    sigaddset(&defaults, SIGQUIT);
    sigaddset(&defaults, SIGTERM);
    posix_spawnattr_init(&attr);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    h->dir = tu_tmpdir();
    h->out = tu_path(h->dir, "stdout");
    h->err = tu_path(h->dir, "stderr");
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, h->out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&fa, 2, h->err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    rc = posix_spawnp(&h->pid, argv[0], &fa, &attr, (char *const *)argv, env);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    free(env);
    ck_assert_msg(rc == 0, "cannot start %s: %s", argv[0], strerror(rc));
}

void tu_start_cmd(struct proc_handle *h, const char *const *env, const char *const *argv)
{
    start_cmd(h, env, argv);
}

void tu_finish(struct proc_handle *h, struct proc_result *r)
{
    int status;

    while (waitpid(h->pid, &status, 0) < 0)
        ck_assert_int_eq(errno, EINTR);
    r->pid = h->pid;
    r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r->out = tu_read_file(h->out);
    r->err = tu_read_file(h->err);
    ck_assert_ptr_nonnull(r->out);
    ck_assert_ptr_nonnull(r->err);
    free(h->out);
    free(h->err);
    tu_rmrf(h->dir);
}

void tu_run_ok(const char *program, const char *const *args)
{
    struct proc_result r;

    tu_run(&r, program, args);
    ck_assert_msg(r.status == 0, "%s exited %d: %s", program, r.status, r.err);
    tu_result_release(&r);
}

void tu_run_cmd(struct proc_result *r, const char *const *env_extra, const char *const *argv)
{
    struct proc_handle h;

    start_cmd(&h, env_extra, argv);
    tu_finish(&h, r);
}

void tu_start(struct proc_handle *h, const char *const *env_extra, const char *program,
              const char *const *args)
{
    const char *bindir = getenv("PARLAB_BIN") ? getenv("PARLAB_BIN") : "bin";
    char *exe = tu_path(bindir, program);
    const char *argv[64];
    size_t argc = 0;

    argv[argc++] = exe;
    for (; *args != NULL; args++) {
        ck_assert_uint_lt(argc, 63);
        argv[argc++] = *args;
    }
    argv[argc] = NULL;
    start_cmd(h, env_extra, argv);
    free(exe);
}

size_t tu_children(pid_t parent, pid_t *children, size_t max)
{
    DIR *proc = opendir("/proc");
    struct dirent *e;
    size_t n = 0;

    ck_assert_ptr_nonnull(proc);
    while ((e = readdir(proc)) != NULL && n < max) {
        char path[300], buf[512], *close_paren;
        long ppid;
        FILE *f;

        if (e->d_name[0] < '0' || e->d_name[0] > '9')
            continue;
        snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
        if ((f = fopen(path, "r")) == NULL)
            continue;
        if (fgets(buf, sizeof buf, f) != NULL && (close_paren = strrchr(buf, ')')) != NULL &&
            sscanf(close_paren + 2, "%*c %ld", &ppid) == 1 && ppid == (long)parent)
            children[n++] = (pid_t)strtol(e->d_name, NULL, 10);
        fclose(f);
    }
    closedir(proc);
    return n;
}

size_t tu_wait_for_children(pid_t parent, size_t count, pid_t *children, size_t max)
{
    size_t n = 0;

    for (int tries = 0; tries < 500 && n < count; tries++) {
        struct timespec pause = {0, 10000000};

        nanosleep(&pause, NULL);
        n = tu_children(parent, children, max);
    }
    ck_assert_msg(n >= count, "process %ld has %zu children after 5 s, not %zu", (long)parent,
                  n, count);
    return n;
}

void tu_expect_gone(const pid_t *pids, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(!tu_alive(pids[i]), "process %ld is still there", (long)pids[i]);
}

bool tu_shared_with_child(unsigned char *p)
{
    pid_t pid;
    int status;

    p[0] = 1;
    fflush(NULL);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        p[0] = 42;
        _exit(0);
    }
    while (waitpid(pid, &status, 0) < 0)
        ck_assert_int_eq(errno, EINTR);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    return p[0] == 42;
}

FILE *tu_text_open(struct tu_text *t)
{
    t->text = NULL;
    t->len = 0;
    t->f = open_memstream(&t->text, &t->len);
    ck_assert_ptr_nonnull(t->f);
    return t->f;
}

char *tu_text_close(struct tu_text *t)
{
    ck_assert_int_eq(fclose(t->f), 0);
    t->f = NULL;
    return t->text;
}

bool tu_alive(pid_t pid)
{
    char path[64];
    struct stat st;

    snprintf(path, sizeof path, "/proc/%ld", (long)pid);
    return stat(path, &st) == 0;
}

void tu_result_release(struct proc_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

char *tu_tmpdir(void)
{
    const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char *dir = tu_path(base, "parlab-test-XXXXXX");

    ck_assert_msg(mkdtemp(dir) != NULL, "mkdtemp: %s", strerror(errno));
    return dir;
}

void tu_remove_tree(const char *dir)
{
    pid_t pid;
    int status;
    const char *argv[] = {"rm", "-rf", dir, NULL};

    if (posix_spawnp(&pid, "rm", NULL, NULL, (char *const *)argv, environ) == 0)
        waitpid(pid, &status, 0);
}

void tu_rmrf(char *dir)
{
    tu_remove_tree(dir);
    free(dir);
}

void tu_tmpdir_in(char *buf, size_t len)
{
    const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";

    snprintf(buf, len, "%s/parlab-test-XXXXXX", base);
    ck_assert_msg(mkdtemp(buf) != NULL, "mkdtemp: %s", strerror(errno));
}

size_t tu_count_lines(const char *s)
{
    const char *p = s;
    size_t n = 0;

    for (; *p; p++)
        if (*p == '\n')
            n++;
    if (p > s && p[-1] != '\n')
        n++;
    return n;
}

int tu_usable_cpus(void)
{
    cpu_set_t set;

    if (sched_getaffinity(0, sizeof set, &set) != 0)
        return 1;
    return CPU_COUNT(&set);
}

bool tu_under_valgrind(void)
{
    return getenv("PARLAB_UNDER_VALGRIND") != NULL;
}

const char *tu_no_mpi(void)
{
    const char *path = getenv("PATH");
    char dir[4096];

    if (getenv("PARLAB_SANITIZED") != NULL || tu_under_valgrind())
        return "Open MPI's own allocations and threads under the sanitizers and valgrind "
               "are noise; the plain pass runs these tests";
    while (path != NULL && *path != '\0') {
        size_t len = strcspn(path, ":");

        snprintf(dir, sizeof dir, "%.*s/mpirun", (int)len, path);
        if (access(dir, X_OK) == 0)
            return NULL;
        path += len + (path[len] == ':');
    }
    return "mpirun is not installed (Debian: openmpi-bin)";
}

const char *const *tu_mpi_env(void)
{
    static const char *const root[] = {"OMPI_ALLOW_RUN_AS_ROOT=1",
                                       "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1", NULL};
    static const char *const user[] = {NULL};

    return getuid() == 0 ? root : user;
}

#define EARLIER_RUNS RUNS_CSV_HEADER "\nan,earlier,row\n"
#define EARLIER_JOBS JOBS_CSV_HEADER "\nan,earlier,row\n"

void tu_results_make(struct tu_results *d)
{
    d->dir = tu_tmpdir();
    d->runs = tu_path(d->dir, "runs.csv");
    d->jobs = tu_path(d->dir, "jobs.csv");
    tu_write_file(d->runs, EARLIER_RUNS);
    tu_write_file(d->jobs, EARLIER_JOBS);
}

void tu_results_expect_untouched(const struct tu_results *d)
{
    char *text = tu_read_file(d->runs);

    ck_assert_str_eq(text, EARLIER_RUNS);
    free(text);
    text = tu_read_file(d->jobs);
    ck_assert_str_eq(text, EARLIER_JOBS);
    free(text);
}

void tu_results_remove(struct tu_results *d)
{
    free(d->runs);
    free(d->jobs);
    tu_rmrf(d->dir);
    d->dir = d->runs = d->jobs = NULL;
}

void tu_read_csv(const char *path, struct csv_table *t)
{
    ck_assert_msg(csv_read_file(path, t) == 0, "cannot read %s: %s", path, strerror(errno));
    ck_assert_msg(t->nrows >= 1, "%s has no header", path);
}

const char *tu_field(const struct csv_table *t, size_t row, const char *column)
{
    int col = csv_column(t, column);

    ck_assert_msg(col >= 0, "no column %s", column);
    return csv_field(t, row, col);
}

double tu_num(const struct csv_table *t, size_t row, const char *column)
{
    return strtod(tu_field(t, row, column), NULL);
}

size_t tu_count_fields(const char *line)
{
    size_t n = 1;
    bool quoted = false; /* RFC 4180: a doubled quote inside quotes toggles twice */

    for (; *line; line++) {
        quoted ^= *line == '"';
        n += *line == ',' && !quoted;
    }
    return n;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool in_word(char c)
{
    return is_digit(c) || c == '_' || c == '.' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The next number at or after *p in text: its value, and *p moved past it; false when
 * there is none. */
static bool next_number(const char *text, const char **p, double *value)
{
    for (const char *s = *p; *s; s++) {
        char digits[64];
        size_t len;

        if (!is_digit(*s) || (s > text && in_word(s[-1])))
            continue;
        len = strspn(s, "0123456789");
        if (s[len] == '.' && is_digit(s[len + 1]))
            len += 1 + strspn(s + len + 1, "0123456789");
        snprintf(digits, sizeof digits, "%.*s", (int)len, s);
        *value = strtod(digits, NULL);
        *p = s + len;
        return true;
    }
    return false;
}

double tu_number_after(const char *text, const char *key)
{
    const char *p = strstr(text, key);
    double value;

    if (p == NULL)
        return NAN;
    p += strlen(key);
    return next_number(text, &p, &value) ? value : NAN;
}

bool tu_has_number(const char *text, double value)
{
    const char *p = text;
    double x;

    while (next_number(text, &p, &x))
        if (fabs(x - value) <= 1e-9 * (fabs(value) > 1 ? fabs(value) : 1))
            return true;
    return false;
}

size_t tu_numbers(const char *text, double *out, size_t max)
{
    const char *p = text;
    size_t n = 0;
    double x;

    while (next_number(text, &p, &x)) {
        if (n < max)
            out[n] = x;
        n++;
    }
    return n;
}

bool tu_line(const char *text, const char *needle, char *buf, size_t len)
{
    const char *hit = strstr(text, needle), *start, *end;

    buf[0] = '\0';
    if (hit == NULL)
        return false;
    for (start = hit; start > text && start[-1] != '\n'; start--)
        ;
    end = hit + strcspn(hit, "\n");
    snprintf(buf, len, "%.*s", (int)(end - start), start);
    return true;
}

bool tu_mentions(const char *text, ...)
{
    const char *word;
    bool all = true;
    va_list ap;

    va_start(ap, text);
    while ((word = va_arg(ap, const char *)) != NULL)
        all = all && strstr(text, word) != NULL;
    va_end(ap);
    return all;
}
