/*
 * check_runall.c - make run-all's results directory: written whole into a new
 * directory beside results/, which replaces results/ only when every case, the
 * figures and the report succeeded; at a tiny scale (src/run-all.sh's variables).
 * Its settings checked before anything runs, its estimate's rounding, and the
 * Makefile's run-all and plots with a directory name of two words.  Then
 * plots/draw.sh as a script: what it asks parlab-report, the figures it skips, its
 * signals, two draws at once, a closed stderr, and the programs found beside it.
 */
#include <check.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fixture.h"
#include "testutil.h"

/* For the tests of the scripts themselves: the programs as built when the valgrind
 * pass gives them (PARLAB_PLAIN_BIN), else those the suite was given. */
static void scripts_only(void)
{
    const char *plain = getenv("PARLAB_PLAIN_BIN");

    if (plain != NULL && plain[0] != '\0')
        ck_assert_int_eq(setenv("PARLAB_BIN", plain, 1), 0);
}

/* The programs' directory the suite was given. */
static const char *bin_dir(void)
{
    return getenv("PARLAB_BIN") ? getenv("PARLAB_BIN") : "bin";
}

/* Runs src/run-all.sh at a tiny scale into dir/results, with the programs in `bin`
 * (NULL: $PARLAB_BIN) and the "NAME=value" settings of `extra` (NULL or
 * NULL-terminated) in place of the tiny scale's; returns its exit status. */
static int run_all_with(const char *dir, const char *fault, const char *bin,
                        const char *const *extra, struct proc_result *r)
{
    char results[512], fault_var[64], bin_var[512];
    /* One small payload: the point is the directory's life, not the data, and the
     * valgrind pass runs this too (256 MiB payloads under valgrind take minutes).  No
     * MPI cases, but where a test asks for them: each mpirun costs 0.4 s, and Open
     * MPI's own noise would drown the sanitizers' and valgrind's reports.  No
     * granularity sweep or simd lesson either, but where a test asks for them. */
    const char *tiny[] = {"JOBS=2",      "REPS=1",     "JOB_SECONDS=0.001", "WORKERS=2",
                          "MAX_WORKERS=2", "PAYLOADS=1K", "MPI=0",           "GRANULARITY=0",
                          "SIMD=0",      NULL};
    const char *env[32];
    const char *argv[] = {"sh", "src/run-all.sh", NULL};
    size_t n = 0;

    snprintf(results, sizeof results, "RESULTS=%s/results", dir);
    snprintf(fault_var, sizeof fault_var, "PARLAB_FAULT=%s", fault ? fault : "");
    snprintf(bin_var, sizeof bin_var, "PARLAB_BIN=%s", bin ? bin : "");
    env[n++] = results;
    env[n++] = fault_var;
    if (bin)
        env[n++] = bin_var;
    for (size_t i = 0; tiny[i] != NULL; i++) {
        bool replaced = false;

        for (size_t j = 0; extra && extra[j] != NULL && !replaced; j++)
            replaced = strncmp(tiny[i], extra[j], strcspn(extra[j], "=") + 1) == 0;
        if (!replaced)
            env[n++] = tiny[i];
    }
    for (size_t j = 0; extra && extra[j] != NULL; j++) {
        ck_assert_uint_lt(n, sizeof env / sizeof env[0] - 1);
        env[n++] = extra[j];
    }
    env[n] = NULL;
    tu_run_cmd(r, env, argv);
    return r->status;
}

static int run_all(const char *dir, const char *fault, const char *bin, struct proc_result *r)
{
    return run_all_with(dir, fault, bin, NULL, r);
}

/* Links every program of the suite's programs' directory into dir/bin, but for
 * parlab-report, which is a script that appends its arguments to dir/report.args as
 * a line, then runs the real one.  Returns dir/bin. */
static char *bin_with_logged_report(const char *dir)
{
    static const char *const programs[] = {"parlab-serial", "parlab-threads", "parlab-procs",
                                           "parlab-topo", "parlab-summary", "parlab-report"};
    char *bin = tu_path(dir, "bin"), *report = tu_path(bin, "parlab-report");
    char *log = tu_path(dir, "report.args"), *real = NULL, script[3072];

    ck_assert_int_eq(mkdir(bin, 0755), 0);
    for (size_t i = 0; i < sizeof programs / sizeof programs[0]; i++) {
        char *target = tu_path(bin_dir(), programs[i]), *absolute = realpath(target, NULL);
        char *link = tu_path(bin, programs[i]);

        ck_assert_ptr_nonnull(absolute);
        if (strcmp(programs[i], "parlab-report") == 0)
            real = absolute;
        else {
            ck_assert_int_eq(symlink(absolute, link), 0);
            free(absolute);
        }
        free(target);
        free(link);
    }
    snprintf(script, sizeof script, "#!/bin/sh\necho \"$*\" >>'%s'\nexec '%s' \"$@\"\n", log,
             real);
    tu_write_file(report, script);
    ck_assert_int_eq(chmod(report, 0755), 0);
    free(real);
    free(log);
    free(report);
    return bin;
}

/* A copy of the repository's `what` (plots, src/run-all.sh) into dir, as
 * dir/plots or dir/src/run-all.sh. */
static void copy_into(const char *dir, const char *what)
{
    const char *argv[] = {"sh", "-c", "mkdir -p \"$1/$(dirname \"$2\")\" && cp -R \"$2\" \"$1/$2\"",
                          "sh", dir, what, NULL};
    struct proc_result r;

    tu_run_cmd(&r, NULL, argv);
    ck_assert_msg(r.status == 0, "cannot copy %s: %s", what, r.err);
    tu_result_release(&r);
}

/* Entries of dir whose names start with prefix. */
static int count_entries(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    ck_assert_ptr_nonnull(d);
    while ((e = readdir(d)) != NULL)
        n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
    closedir(d);
    return n;
}

START_TEST(a_failed_case_leaves_the_old_results_in_place)
{
    char *dir = tu_tmpdir(), *results = tu_path(dir, "results");
    char *marker = tu_path(results, "runs.csv"), *text;
    struct proc_result r;

    ck_assert_int_eq(mkdir(results, 0755), 0);
    tu_write_file(marker, "the previous results\n");
    ck_assert_int_eq(run_all(dir, "exit:1", NULL, &r), 1); /* job 1 of the first case exits 3 */
    ck_assert_msg(strstr(r.err, "case 'serial' failed (exit status 3)") &&
                      strstr(r.err, "is unchanged"),
                  "said: %s", r.err);
    text = tu_read_file(marker);
    ck_assert_str_eq(text, "the previous results\n");
    ck_assert_int_eq(count_entries(results, ""), 3); /* ., .. and runs.csv */
    ck_assert_int_eq(count_entries(dir, ".results."), 0); /* the new one is gone */
    free(text);
    tu_result_release(&r);
    free(marker);
    free(results);
    tu_rmrf(dir);
}
END_TEST

/* Under valgrind, the programs of a complete run: the ones that run its cases
 * (parlab-serial, -threads, -procs, -mpi) as built, the others, which read what those
 * wrote (parlab-topo, -summary, -report), under memcheck, linked into dir/bin; NULL
 * (the suite's programs) elsewhere.  The 22 cases under memcheck were half this
 * suite's time there, while each case's program and options are memchecked by the
 * suites about them (check_output, check_pin, check_pinning, check_lessons,
 * check_programs) and the sanitizer pass runs this test whole. */
static char *bin_for_a_complete_run(const char *dir)
{
    static const char *const runners[] = {"parlab-serial", "parlab-threads", "parlab-procs",
                                          "parlab-mpi"};
    const char *plain = getenv("PARLAB_PLAIN_BIN");
    char *bin;
    DIR *d;
    struct dirent *e;

    if (!tu_under_valgrind() || plain == NULL || plain[0] == '\0')
        return NULL;
    bin = tu_path(dir, "bin");
    ck_assert_int_eq(mkdir(bin, 0755), 0);
    d = opendir(bin_dir());
    ck_assert_ptr_nonnull(d);
    while ((e = readdir(d)) != NULL) {
        const char *from = bin_dir();
        char *target, *absolute, *link;

        if (strncmp(e->d_name, "parlab-", 7) != 0)
            continue;
        for (size_t i = 0; i < sizeof runners / sizeof runners[0]; i++)
            if (strcmp(e->d_name, runners[i]) == 0)
                from = plain;
        target = tu_path(from, e->d_name);
        absolute = realpath(target, NULL);
        ck_assert_msg(absolute != NULL, "no %s", target);
        link = tu_path(bin, e->d_name);
        ck_assert_int_eq(symlink(absolute, link), 0);
        free(link);
        free(absolute);
        free(target);
    }
    closedir(d);
    return bin;
}

START_TEST(a_complete_run_replaces_the_results)
{
    static const char *const made[] = {"runs.csv", "jobs.csv", "REPORT.md", "run-all.log",
                                       "speedup.png", "timeline.svg", "README.md"};
    char *dir = tu_tmpdir(), *results = tu_path(dir, "results");
    char *old = tu_path(results, "old.txt"), *readme = tu_path(results, "README.md");
    char *bin = bin_for_a_complete_run(dir);
    struct proc_result r;
    struct stat st;

    ck_assert_int_eq(mkdir(results, 0755), 0);
    tu_write_file(old, "from an earlier run\n");
    tu_write_file(readme, "kept\n");
    ck_assert_msg(run_all(dir, NULL, bin, &r) == 0, "run-all exited %d: %s", r.status, r.err);
    ck_assert_ptr_nonnull(strstr(r.err, "[1/"));
    ck_assert_ptr_nonnull(strstr(r.err, "] threads lock=held W=2 ... "));
    ck_assert_int_eq(stat(old, &st), -1); /* the whole directory was replaced */
    {
        mode_t mask = umask(0);

        umask(mask); /* as mkdir would make it, not mktemp's 0700 */
        ck_assert_int_eq(stat(results, &st), 0);
        ck_assert_uint_eq(st.st_mode & 0777, 0777 & ~mask);
    }
    for (size_t i = 0; i < sizeof made / sizeof made[0]; i++) {
        char *path = tu_path(results, made[i]);
        ck_assert_msg(stat(path, &st) == 0 && st.st_size > 0, "no %s", made[i]);
        free(path);
    }
    ck_assert_int_eq(count_entries(dir, ".results."), 0);
    tu_result_release(&r);
    free(bin);
    free(old);
    free(readme);
    free(results);
    tu_rmrf(dir);
}
END_TEST

START_TEST(a_later_failed_case_also_leaves_the_old_results)
{
    static const char *const real[] = {"parlab-serial", "parlab-threads", "parlab-topo",
                                       "parlab-summary", "parlab-report"};
    char *dir = tu_tmpdir(), *bin = tu_path(dir, "bin"), *results = tu_path(dir, "results");
    char *marker = tu_path(results, "runs.csv"), *procs = tu_path(bin, "parlab-procs"), *text;
    const char *from = getenv("PARLAB_BIN") ? getenv("PARLAB_BIN") : "bin";
    char *failed = tu_path(dir, "results.failed.log");
    struct proc_result r;
    struct stat st;

    ck_assert_int_eq(mkdir(bin, 0755), 0);
    ck_assert_int_eq(mkdir(results, 0755), 0);
    for (size_t i = 0; i < sizeof real / sizeof real[0]; i++) {
        char *link = tu_path(bin, real[i]), *target = tu_path(from, real[i]);
        char *absolute = realpath(target, NULL);

        ck_assert_ptr_nonnull(absolute);
        ck_assert_int_eq(symlink(absolute, link), 0);
        free(absolute);
        free(target);
        free(link);
    }
    tu_write_file(procs, "#!/bin/sh\necho 'parlab-procs: worker 1 was killed' >&2\nexit 1\n");
    ck_assert_int_eq(chmod(procs, 0755), 0);
    tu_write_file(marker, "the previous results\n");

    ck_assert_int_eq(run_all(dir, NULL, bin, &r), 1); /* serial and threads succeed first */
    ck_assert_msg(strstr(r.err, "[3/") && strstr(r.err, "case 'procs lock=held W=2' failed") &&
                      strstr(r.err, "worker 1 was killed"),
                  "said: %s", r.err);
    text = tu_read_file(marker);
    ck_assert_str_eq(text, "the previous results\n");
    ck_assert_int_eq(count_entries(dir, ".results."), 0);
    ck_assert_int_eq(stat(failed, &st), 0); /* what the programs printed is kept */
    free(text);
    tu_result_release(&r);
    free(failed);
    free(procs);
    free(marker);
    free(results);
    free(bin);
    tu_rmrf(dir);
}
END_TEST

/* Each bad setting: the variable, its value, and what run-all must name. */
static const struct {
    const char *setting, *name, *value;
} bad_settings[] = {
    {"MAX_WORKERS=0", "MAX_WORKERS", "'0'"},     {"MAX_WORKERS=abc", "MAX_WORKERS", "'abc'"},
    {"JOB_SECONDS=-1", "JOB_SECONDS", "'-1'"},   {"JOB_SECONDS=0", "JOB_SECONDS", "'0'"},
    {"JOBS=1.5", "JOBS", "'1.5'"},               {"WORKERS=0", "WORKERS", "'0'"},
    {"REPS=x", "REPS", "'x'"},                   {"PAYLOADS=1K 12Q", "PAYLOADS", "'12Q'"},
    {"MPI=yes", "MPI", "'yes'"},
    {"JOBS=99999999999", "JOBS", "'99999999999'"},
    {"RESULTS=.", "RESULTS", "'.'"},             {"RESULTS=/", "RESULTS", "'/'"},
    {"RESULTS=x/..", "RESULTS", "'x/..'"},       {"RESUME=yes", "RESUME", "'yes'"},
    {"SIMD=2", "SIMD", "'2'"},
};

START_TEST(a_bad_setting_is_named_before_anything_runs)
{
    char *dir = tu_tmpdir(), *results = tu_path(dir, "results");
    char *marker = tu_path(results, "runs.csv"), *text;
    const char *extra[] = {bad_settings[_i].setting, NULL};
    struct proc_result r;

    ck_assert_int_eq(mkdir(results, 0755), 0);
    tu_write_file(marker, "the previous results\n");
    ck_assert_msg(run_all_with(dir, NULL, NULL, extra, &r) == 2, "%s: exited %d: %s",
                  extra[0], r.status, r.err);
    ck_assert_msg(tu_count_lines(r.err) == 1 && tu_mentions(r.err, bad_settings[_i].name,
                                                             bad_settings[_i].value, NULL),
                  "%s: said: %s", extra[0], r.err);
    text = tu_read_file(marker);
    ck_assert_str_eq(text, "the previous results\n");
    ck_assert_int_eq(count_entries(results, ""), 3);
    ck_assert_int_eq(count_entries(dir, ".results."), 0);
    ck_assert_int_eq(count_entries(dir, "results."), 0); /* no failed.log */
    free(text);
    tu_result_release(&r);
    free(marker);
    free(results);
    tu_rmrf(dir);
}
END_TEST

/* Variables that would fail the threads cases (OMP_MAX_ACTIVE_LEVELS=0,
 * OMP_THREAD_LIMIT=1), move the threads (OMP_PLACES) or stop pinning
 * (HWLOC_THISSYSTEM=0): run-all clears them, names them in one line, and succeeds. */
START_TEST(run_all_clears_what_would_distort_its_runs)
{
    static const char *const names[] = {"OMP_MAX_ACTIVE_LEVELS", "OMP_THREAD_LIMIT",
                                        "OMP_PLACES", "HWLOC_THISSYSTEM", "GOMP_CPU_AFFINITY"};
    const char *extra[] = {"OMP_MAX_ACTIVE_LEVELS=0", "OMP_THREAD_LIMIT=1", "OMP_PLACES={0}",
                           "HWLOC_THISSYSTEM=0", "GOMP_CPU_AFFINITY=0", NULL};
    char *dir = tu_tmpdir(), line[512];
    struct proc_result r;

    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        unsetenv(names[i]); /* whatever the shell running the tests exported */
    ck_assert_msg(run_all_with(dir, NULL, NULL, extra, &r) == 0, "run-all exited %d: %s",
                  r.status, r.err);
    ck_assert_msg(tu_line(r.err, "cleared", line, sizeof line), "said: %s", r.err);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        ck_assert_msg(strstr(line, names[i]), "%s not named: %s", names[i], line);
    tu_result_release(&r);

    ck_assert_int_eq(run_all_with(dir, NULL, NULL, NULL, &r), 0); /* none set: nothing said */
    ck_assert_msg(!strstr(r.err, "cleared"), "said: %s", r.err);
    tu_result_release(&r);
    tu_rmrf(dir);
}
END_TEST

/* MAX_WORKERS below the PUs: the sweep stops there, without W = PUs. */
START_TEST(the_sweep_stays_within_max_workers)
{
    const char *extra[] = {"MAX_WORKERS=1", "WORKERS=1", NULL};
    char *dir;
    struct proc_result r;

    if (tu_usable_cpus() < 2)
        tu_skip("one usable CPU: W = PUs is W = 1");
    dir = tu_tmpdir();
    ck_assert_msg(run_all_with(dir, NULL, NULL, extra, &r) == 0, "run-all exited %d: %s",
                  r.status, r.err);
    ck_assert_msg(strstr(r.err, "] threads lock=none W=1 ... ") &&
                      strstr(r.err, "] threads F=0.1 W=1 ... ") &&
                      strstr(r.err, "] threads pin=none W=2 ... "), /* placement's */
                  "said: %s", r.err);
    ck_assert_msg(!strstr(r.err, "lock=none W=2 ") && !strstr(r.err, "lock=held W=2 ") &&
                      !strstr(r.err, "F=0.1 W=2 "),
                  "swept beyond MAX_WORKERS=1: %s", r.err);
    tu_result_release(&r);
    tu_rmrf(dir);
}
END_TEST

/* The estimate's words, from run-all.sh's own about(), for times either side of a
 * rounding: 57.5 s and more is a minute, not "60 s". */
START_TEST(the_estimate_rounds_to_a_minute)
{
    const char *argv[] = {"sh", "-c",
                          "eval \"$(sed -n '/^about() {/,/^}/p' src/run-all.sh)\" && "
                          "for t in 9.4 9.6 57.4 57.5 59.9 60 64.9 65 599 600 3000; do "
                          "about $t; echo; done",
                          NULL};
    struct proc_result r;

    tu_run_cmd(&r, NULL, argv);
    ck_assert_msg(r.status == 0, "said: %s", r.err);
    ck_assert_str_eq(r.out, "9 s\n10 s\n55 s\n1 min\n1 min\n1 min\n1 min\n1 min 10 s\n"
                            "10 min\n10 min\n50 min\n");
    tu_result_release(&r);
}
END_TEST

/* Run from another directory with PARLAB_BIN unset, run-all finds the programs in
 * ../bin beside it, and says in one line that there are none to be found, before
 * writing anything. */
START_TEST(run_all_finds_the_programs_beside_it)
{
    char *dir = tu_tmpdir(), *elsewhere = tu_path(dir, "elsewhere"), *bin;
    char results[600], failed[600];
    const char *env[] = {results,       "JOBS=2",      "REPS=1", "JOB_SECONDS=0.001", "WORKERS=2",
                         "MAX_WORKERS=2", "PAYLOADS=1K", "MPI=0", "PARLAB_FAULT=exit:1", NULL};
    const char *argv[] = {"env", "-u", "PARLAB_BIN", "sh", "-c",
                          "cd \"$1\" && exec sh ../src/run-all.sh", "sh", elsewhere, NULL};
    struct proc_result r;
    struct stat st;

    snprintf(results, sizeof results, "RESULTS=%s/results", dir);
    snprintf(failed, sizeof failed, "%s/results.failed.log", dir);
    copy_into(dir, "src/run-all.sh");
    ck_assert_int_eq(mkdir(elsewhere, 0755), 0);

    tu_run_cmd(&r, env, argv); /* no dir/bin */
    ck_assert_msg(r.status == 1 && tu_count_lines(r.err) == 1 &&
                      tu_mentions(r.err, "parlab-topo", "run make first", NULL),
                  "exited %d: %s", r.status, r.err);
    ck_assert_int_eq(count_entries(dir, ".results."), 0);
    ck_assert_int_eq(count_entries(dir, "results"), 0);
    tu_result_release(&r);

    bin = bin_with_logged_report(dir);
    tu_run_cmd(&r, env, argv); /* the first case runs, and fails as told */
    ck_assert_msg(r.status == 1 && strstr(r.err, "case 'serial' failed"), "exited %d: %s",
                  r.status, r.err);
    ck_assert_int_eq(stat(failed, &st), 0);
    tu_result_release(&r);
    free(bin);
    free(elsewhere);
    tu_rmrf(dir);
}
END_TEST

/* run-all's figures are of its notebook's workers, as its report is: draw.sh is
 * told them (3 here, run-all's default). */
START_TEST(run_all_draws_the_figures_of_its_workers)
{
    char *dir = tu_tmpdir(), *bin = bin_with_logged_report(dir);
    char *log = tu_path(dir, "report.args"), *args, *figures;
    const char *extra[] = {"WORKERS=", NULL};
    struct proc_result r;

    ck_assert_msg(run_all_with(dir, NULL, bin, extra, &r) == 0, "run-all exited %d: %s",
                  r.status, r.err);
    args = tu_read_file(log);
    ck_assert_ptr_nonnull(args);
    figures = fixture_line(args, "--runs-csv");
    while (figures != NULL && !strstr(figures, "--figure-data")) { /* the --markdown one */
        const char *next = strstr(args, figures) + strlen(figures) + 1;

        free(figures);
        figures = fixture_line(next, "--runs-csv");
    }
    ck_assert_msg(figures && strstr(figures, "--workers 3 "), "parlab-report was run as: %s",
                  args);
    free(figures);
    free(args);
    tu_result_release(&r);
    free(log);
    free(bin);
    tu_rmrf(dir);
}
END_TEST

/* The tiny scale's settings, for a run-all started in the background. */
/* No MPI cases, as in run_all_with. */
#define TINY                                                                                \
    "JOBS=2", "REPS=1", "JOB_SECONDS=0.001", "WORKERS=2", "MAX_WORKERS=2", "PAYLOADS=1K", \
        "MPI=0", "GRANULARITY=0", "SIMD=0"

/* The first process below `top` (its children, theirs...) whose name is `comm`, once
 * there is one; fails after 10 s. */
static pid_t wait_for_descendant(pid_t top, const char *comm)
{
    for (int tries = 0; tries < 1000; tries++) {
        pid_t queue[256];
        size_t n = 1;
        struct timespec pause = {0, 10000000};

        queue[0] = top;
        for (size_t i = 0; i < n; i++) {
            char path[64], name[64] = "";
            FILE *f;

            snprintf(path, sizeof path, "/proc/%ld/comm", (long)queue[i]);
            if (i > 0 && (f = fopen(path, "r")) != NULL) {
                if (fgets(name, sizeof name, f) != NULL)
                    name[strcspn(name, "\n")] = '\0';
                fclose(f);
                if (strcmp(name, comm) == 0)
                    return queue[i];
            }
            n += tu_children(queue[i], queue + n, sizeof queue / sizeof queue[0] - n);
        }
        nanosleep(&pause, NULL);
    }
    ck_abort_msg("no %s below process %ld after 10 s", comm, (long)top);
    return -1;
}

/* True once process `pid` (not our child) has gone, within `seconds`. */
static bool gone_within(pid_t pid, double seconds)
{
    for (int tries = 0; tries < (int)(seconds * 100); tries++) {
        struct timespec pause = {0, 10000000};

        if (!tu_alive(pid))
            return true;
        nanosleep(&pause, NULL);
    }
    return !tu_alive(pid);
}

/* Waits at most 5 s for a started command; kills it (and its group) when it is still
 * there, so that a failing test leaves nothing running. */
static bool finish_within(struct proc_handle *h, struct proc_result *r)
{
    bool ended = false;

    for (int tries = 0; tries < 500 && !ended; tries++) {
        struct timespec pause = {0, 10000000};
        siginfo_t info = {.si_pid = 0};

        /* WNOWAIT: tu_finish reaps it */
        if (waitid(P_PID, (id_t)h->pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
            info.si_pid == h->pid)
            ended = true;
        else
            nanosleep(&pause, NULL);
    }
    if (!ended) {
        kill(-h->pid, SIGKILL);
        kill(h->pid, SIGKILL);
    }
    tu_finish(h, r);
    return ended;
}

/* The directory with a results/ holding one marker file. */
static char *dir_with_old_results(char **marker)
{
    char *dir = tu_tmpdir(), *results = tu_path(dir, "results");

    ck_assert_int_eq(mkdir(results, 0755), 0);
    *marker = tu_path(results, "runs.csv");
    tu_write_file(*marker, "the previous results\n");
    free(results);
    return dir;
}

static void expect_marker(const char *marker)
{
    char *text = tu_read_file(marker);

    ck_assert_msg(text != NULL && strcmp(text, "the previous results\n") == 0,
                  "results/ was not left as it was");
    free(text);
}

/* `kill -TERM` to make during `make run-all`: make hands the signal to run-all.sh,
 * which stops the case's program and removes its new directory; nothing of the run is
 * left (a job that never ends, PARLAB_FAULT=hang:0, holds the first case). */
START_TEST(a_signal_to_make_stops_run_all_and_its_case)
{
    char *marker, *dir = dir_with_old_results(&marker), results[600];
    const char *env[] = {TINY, results, "PARLAB_FAULT=hang:0", NULL};
    const char *argv[] = {"env", "-u", "MAKEFLAGS", "-u", "MFLAGS", "-u", "MAKELEVEL",
                          "make", "-s", "--no-print-directory", "run-all", results,
                          "PROGRAM_BINS=", NULL};
    struct proc_handle h;
    struct proc_result r;
    pid_t script, program;

    snprintf(results, sizeof results, "RESULTS=%s/results", dir);
    tu_start_cmd(&h, env, argv);
    program = wait_for_descendant(h.pid, "parlab-serial");
    script = wait_for_descendant(h.pid, "sh");
    ck_assert_int_eq(kill(h.pid, SIGTERM), 0);
    ck_assert(finish_within(&h, &r));
    ck_assert_msg(gone_within(script, 3), "run-all.sh carries on after make was terminated");
    ck_assert_msg(gone_within(program, 3), "the case's program carries on");
    ck_assert_msg(strstr(r.err, "terminated;") && strstr(r.err, "is unchanged"), "said: %s",
                  r.err);
    expect_marker(marker);
    ck_assert_int_eq(count_entries(dir, ".results."), 0);
    kill(script, SIGKILL); /* when the test failed */
    kill(program, SIGKILL);
    tu_result_release(&r);
    free(marker);
    tu_rmrf(dir);
}
END_TEST

/* Ctrl-C (SIGINT to the whole group), a hang-up (SIGHUP to the group) and SIGTERM to
 * run-all.sh alone, while a case runs: each ends it at once with 128 + the signal,
 * the program stopped, one line on a line of its own, results/ as it was. */
static const int run_all_signals[] = {SIGINT, SIGHUP, SIGTERM};

START_TEST(a_signal_stops_run_all_and_its_case_at_once)
{
    const int sig = run_all_signals[_i];
    char *marker, *dir = dir_with_old_results(&marker), results[600];
    const char *env[] = {TINY, results, "PARLAB_FAULT=hang:0", NULL};
    const char *argv[] = {"setsid", "sh", "src/run-all.sh", NULL};
    const char *words = sig == SIGINT ? "interrupted;" : sig == SIGHUP ? "hung up;" : "terminated;";
    char line[256];
    struct proc_handle h;
    struct proc_result r;
    pid_t program;

    snprintf(results, sizeof results, "RESULTS=%s/results", dir);
    tu_start_cmd(&h, env, argv);
    program = wait_for_descendant(h.pid, "parlab-serial");
    ck_assert_int_eq(sig == SIGTERM ? kill(h.pid, sig) : kill(-h.pid, sig), 0);
    ck_assert_msg(finish_within(&h, &r), "run-all still runs 5 s after signal %d", sig);
    ck_assert_int_eq(r.status, 128 + sig);
    ck_assert_msg(gone_within(program, 2), "the case's program carries on");
    ck_assert_msg(tu_line(r.err, words, line, sizeof line) &&
                      strncmp(line, "make run-all: ", 14) == 0 && strstr(line, "is unchanged"),
                  "said: %s", r.err);
    expect_marker(marker);
    ck_assert_int_eq(count_entries(dir, ".results."), 0);
    kill(program, SIGKILL);
    tu_result_release(&r);
    free(marker);
    tu_rmrf(dir);
}
END_TEST

/* Its stderr closed by the reader (`make run-all 2>&1 | head -1`): run-all stops at
 * its next line and removes its new directory. */
/* Whether pid runs: there, and not a zombie waiting to be reaped. */
static bool running(pid_t pid)
{
    char path[64], *stat_text, *end;
    bool there;

    snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
    if (!tu_alive(pid) || access(path, R_OK) != 0)
        return false;
    stat_text = tu_read_file(path);
    end = strrchr(stat_text, ')'); /* the state follows the command's name */
    there = end != NULL && end[1] == ' ' && end[2] != 'Z' && end[2] != 'X';
    free(stat_text);
    return there;
}

/* The CPU seconds pid has used (utime + stime in /proc/pid/stat), or -1. */
static double cpu_seconds(pid_t pid)
{
    char path[64], *text, *end;
    unsigned long long utime, stime;
    double seconds = -1;

    snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
    if ((text = tu_read_file(path)) == NULL)
        return -1;
    /* after the name: state ppid pgrp session tty tpgid flags minflt cminflt majflt
     * cmajflt utime stime */
    if ((end = strrchr(text, ')')) != NULL &&
        sscanf(end + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime,
               &stime) == 2)
        seconds = (double)(utime + stime) / (double)sysconf(_SC_CLK_TCK);
    free(text);
    return seconds;
}

/* Ctrl-C during an MPI case: run-all ends only once mpirun has stopped its ranks
 * (which run in process groups of their own, out of the terminal's SIGINT). */
START_TEST(ctrl_c_in_an_mpi_case_waits_for_its_ranks)
{
    char *marker, *dir, results[600];
    /* one job on one worker: the first MPI case (W = 1) is one job of 0.6 s */
    const char *env[16] = {"JOBS=1", "REPS=1", "JOB_SECONDS=0.6", "WORKERS=1", "MAX_WORKERS=1",
                           "PAYLOADS=1K", "MPI=1", results, NULL};
    const char *argv[] = {"setsid", "sh", "src/run-all.sh", NULL};
    struct timespec pause = {0, 50000000};
    struct proc_handle h;
    struct proc_result r;
    size_t k = 8;
    pid_t rank;

    if (tu_no_mpi() != NULL)
        tu_skip("%s", tu_no_mpi());
    dir = dir_with_old_results(&marker);
    for (const char *const *v = tu_mpi_env(); *v != NULL; v++)
        env[k++] = *v;
    snprintf(results, sizeof results, "RESULTS=%s/results", dir);
    tu_start_cmd(&h, env, argv);
    rank = wait_for_descendant(h.pid, "parlab-mpi");
    /* into its job: past 0.2 CPU-seconds, more than MPI_Init and the warm-up take */
    for (int tries = 0; tries < 200 && cpu_seconds(rank) < 0.2 && running(rank); tries++)
        nanosleep(&pause, NULL);
    ck_assert_int_eq(kill(-h.pid, SIGINT), 0);
    ck_assert_msg(finish_within(&h, &r), "run-all still runs 5 s after Ctrl-C");
    ck_assert_int_eq(r.status, 130);
    ck_assert_msg(!running(rank), "rank %ld still runs after run-all ended: %s", (long)rank,
                  r.err);
    expect_marker(marker);
    ck_assert_int_eq(count_entries(dir, ".results.new."), 0);
    ck_assert_int_eq(count_entries(dir, ".results.partial"), 1); /* the cases before */
    tu_result_release(&r);
    free(marker);
    tu_rmrf(dir);
}
END_TEST

START_TEST(run_all_without_a_reader_cleans_up)
{
    char *marker, *dir = dir_with_old_results(&marker), results[600];
    const char *env[] = {TINY, results, "PARLAB_FAULT=", NULL};
    const char *argv[] = {"sh", "-c", "sh src/run-all.sh 2>&1 | head -n 1", NULL};
    struct proc_result r;

    snprintf(results, sizeof results, "RESULTS=%s/results", dir);
    tu_run_cmd(&r, env, argv);
    ck_assert_ptr_nonnull(strstr(r.out, "make run-all: "));
    expect_marker(marker);
    ck_assert_msg(count_entries(dir, ".results.") == 0, "a new directory is left behind");
    tu_result_release(&r);
    free(marker);
    tu_rmrf(dir);
}
END_TEST

/* Ctrl-C between the two renames that swap the new results in: the swap finishes
 * first, and the message says what results/ holds.  A `mv` in PATH that pauses after
 * moving the old results aside holds the window open. */
START_TEST(a_signal_during_the_swap_waits_for_it)
{
    char *marker, *dir = dir_with_old_results(&marker), *fake = tu_path(dir, "fake");
    char *mv = tu_path(fake, "mv"), *report = tu_path(dir, "results/REPORT.md");
    char *moved = tu_path(dir, "moved"), results[600], path_var[4096], script[1024];
    const char *env[] = {TINY, results, path_var, "PARLAB_FAULT=", NULL};
    const char *argv[] = {"setsid", "sh", "src/run-all.sh", NULL};
    struct proc_handle h;
    struct proc_result r;
    struct stat st;

    ck_assert_int_eq(mkdir(fake, 0755), 0);
    snprintf(script, sizeof script,
             "#!/bin/sh\n/bin/mv \"$@\" || exit\n"
             "case $2 in */.results.old.*) : >'%s'; sleep 1 ;; esac\n", moved);
    tu_write_file(mv, script);
    ck_assert_int_eq(chmod(mv, 0755), 0);
    snprintf(results, sizeof results, "RESULTS=%s/results", dir);
    snprintf(path_var, sizeof path_var, "PATH=%s:%s", fake, getenv("PATH"));
    tu_start_cmd(&h, env, argv);
    for (int tries = 0; tries < 3000 && stat(moved, &st) != 0; tries++) {
        struct timespec pause = {0, 10000000};

        nanosleep(&pause, NULL);
    }
    ck_assert_msg(stat(moved, &st) == 0, "run-all never moved the old results aside");
    ck_assert_int_eq(kill(-h.pid, SIGINT), 0);
    ck_assert(finish_within(&h, &r));
    ck_assert_int_eq(r.status, 130);
    ck_assert_msg(stat(report, &st) == 0, "no results/ after the swap: %s", r.err);
    ck_assert_msg(strstr(r.err, "holds this run's"), "said: %s", r.err);
    ck_assert_ptr_null(strstr(r.err, "is unchanged"));
    ck_assert_int_eq(count_entries(dir, ".results."), 0);
    tu_result_release(&r);
    free(moved);
    free(report);
    free(mv);
    free(fake);
    free(marker);
    tu_rmrf(dir);
}
END_TEST

/* A run-all killed outright between the renames left results/ aside under its pid:
 * the next one puts it back first (here it then fails, and leaves it so). */
START_TEST(results_left_aside_by_a_killed_run_are_put_back)
{
    pid_t dead = fork(); /* before anything is allocated, which its _exit would leak */
    char *dir, aside[600], *marker, *results;
    struct proc_result r;

    ck_assert_int_ge(dead, 0);
    if (dead == 0)
        _exit(0);
    ck_assert_int_eq(waitpid(dead, NULL, 0), dead); /* a pid no process has now */
    dir = tu_tmpdir();
    results = tu_path(dir, "results");
    snprintf(aside, sizeof aside, "%s/.results.old.%ld", dir, (long)dead);
    ck_assert_int_eq(mkdir(aside, 0755), 0);
    marker = tu_path(aside, "runs.csv");
    tu_write_file(marker, "the previous results\n");
    free(marker);
    marker = tu_path(results, "runs.csv");
    ck_assert_int_eq(run_all(dir, "exit:1", NULL, &r), 1);
    ck_assert_msg(strstr(r.err, "put back"), "said: %s", r.err);
    expect_marker(marker);
    ck_assert_int_eq(count_entries(dir, ".results."), 0);
    tu_result_release(&r);
    free(marker);
    free(results);
    tu_rmrf(dir);
}
END_TEST

/* dir/bin: the suite's programs, but for a parlab-procs that never ends (a case that
 * a signal will cut short). */
static char *bin_with_hanging_procs(const char *dir)
{
    static const char *const real[] = {"parlab-serial", "parlab-threads", "parlab-topo",
                                       "parlab-summary", "parlab-report"};
    char *bin = tu_path(dir, "bin"), *procs = tu_path(bin, "parlab-procs");

    ck_assert_int_eq(mkdir(bin, 0755), 0);
    for (size_t i = 0; i < sizeof real / sizeof real[0]; i++) {
        char *link = tu_path(bin, real[i]), *target = tu_path(bin_dir(), real[i]);
        char *absolute = realpath(target, NULL);

        ck_assert_ptr_nonnull(absolute);
        ck_assert_int_eq(symlink(absolute, link), 0);
        free(absolute);
        free(target);
        free(link);
    }
    tu_write_file(procs, "#!/bin/sh\nexec sleep 1000\n");
    ck_assert_int_eq(chmod(procs, 0755), 0);
    free(procs);
    return bin;
}

/* A tiny granularity sweep: granularity.csv holds serial, threads and procs at W =
 * PUs for each size, each size's jobs a multiple of W and at least 4 W, its serial
 * run first; none of its runs has rows in jobs.csv. */
START_TEST(the_granularity_sweep_writes_its_runs_alone)
{
    char *dir = tu_tmpdir(), *path;
    const char *extra[] = {"GRANULARITY=1", "GRANULARITY_US=10 100", "GRANULARITY_RUN_S=0.01",
                           NULL};
    struct proc_result r;
    struct csv_table g, j;
    unsigned long pus = (unsigned long)tu_usable_cpus();

    ck_assert_msg(run_all_with(dir, NULL, NULL, extra, &r) == 0, "run-all exited %d: %s",
                  r.status, r.err);
    ck_assert_msg(strstr(r.err, "granularity 10 us: serial") &&
                      strstr(r.err, "granularity 100 us: procs"),
                  "said: %s", r.err);
    tu_result_release(&r);
    path = tu_path(dir, "results/granularity.csv");
    tu_read_csv(path, &g);
    free(path);
    path = tu_path(dir, "results/jobs.csv");
    tu_read_csv(path, &j);
    free(path);
    ck_assert_uint_eq(g.nrows, 1 + 2 * 3); /* 2 sizes x (serial, threads, procs), 1 run each */
    for (size_t row = 1; row < g.nrows; row++) {
        static const char *const programs[] = {"parlab-serial", "parlab-threads", "parlab-procs"};
        unsigned long jobs = strtoul(tu_field(&g, row, "jobs"), NULL, 10);

        ck_assert_str_eq(tu_field(&g, row, "program"), programs[(row - 1) % 3]);
        ck_assert_str_eq(tu_field(&g, row, "workers"), (row - 1) % 3 ? tu_field(&g, 1, "pus") : "1");
        ck_assert_str_eq(tu_field(&g, row, "lock"), "none");
        ck_assert_str_eq(tu_field(&g, row, "size"), tu_field(&g, row - (row - 1) % 3, "size"));
        ck_assert_uint_eq(jobs % pus, 0);
        ck_assert_uint_ge(jobs, 4 * pus);
        for (size_t k = 1; k < j.nrows; k++)
            ck_assert_str_ne(tu_field(&j, k, "run_id"), tu_field(&g, row, "run_id"));
    }
    ck_assert_uint_lt(strtoul(tu_field(&g, 1, "size"), NULL, 10),
                      strtoul(tu_field(&g, 4, "size"), NULL, 10)); /* 10 us below 100 us */
    csv_table_release(&g);
    /* the queues' overheads beside it, at W = PUs; no mpi-ranks, as the tiny runs are
     * MPI=0 (as root without Open MPI's variables its mpirun would fail the run) */
    path = tu_path(dir, "results/overhead.csv");
    tu_read_csv(path, &g);
    free(path);
    ck_assert_uint_eq(g.nrows, 1 + 5);
    ck_assert_str_eq(tu_field(&g, 1, "case"), "procs-counter");
    for (size_t row = 1; row < g.nrows; row++) {
        ck_assert_str_ne(tu_field(&g, row, "case"), "mpi-ranks");
        ck_assert_str_eq(tu_field(&g, row, "workers"), tu_field(&g, row, "pus"));
    }
    csv_table_release(&g);
    csv_table_release(&j);
    tu_rmrf(dir);
}
END_TEST

/* The simd lesson: after the lessons' scalar serial run, a scalar serial run of 2 x PUs
 * jobs, the simd serial run, then threads lock none with the scalar and the simd kernel
 * at each W from 1 to PUs, each W on a multiple of W jobs with a scalar serial run of as
 * many, all on the lessons' kernel size; the simd rows name their ISA. */
START_TEST(the_simd_lesson_runs_both_kernels_at_each_w)
{
    char *dir = tu_tmpdir(), *path;
    const char *extra[] = {"SIMD=1", NULL};
    struct proc_result r;
    struct csv_table t;
    unsigned long pus = (unsigned long)tu_usable_cpus(), w = 0, simd_serial = 0;
    const char *lesson_size = NULL;

    ck_assert_msg(run_all_with(dir, NULL, NULL, extra, &r) == 0, "run-all exited %d: %s",
                  r.status, r.err);
    ck_assert_msg(strstr(r.err, "simd lesson: serial --kernel simd"), "said: %s", r.err);
    tu_result_release(&r);
    path = tu_path(dir, "results/runs.csv");
    tu_read_csv(path, &t);
    free(path);
    for (size_t row = 1; row < t.nrows; row++) {
        const char *program = tu_field(&t, row, "program"), *kernel = tu_field(&t, row, "kernel");
        unsigned long workers = strtoul(tu_field(&t, row, "workers"), NULL, 10);
        unsigned long jobs = strtoul(tu_field(&t, row, "jobs"), NULL, 10);

        if (lesson_size == NULL && tu_field(&t, row, "switch_ms")[0] != '\0')
            lesson_size = tu_field(&t, row, "size"); /* the switching lesson's */
        if (strcmp(kernel, "simd") != 0) {
            ck_assert_str_eq(tu_field(&t, row, "isa"), "");
            continue;
        }
        ck_assert_str_ne(tu_field(&t, row, "isa"), "");
        ck_assert_ptr_nonnull(lesson_size);
        ck_assert_str_eq(tu_field(&t, row, "size"), lesson_size);
        ck_assert_str_eq(tu_field(&t, row, "lock"), "none");
        ck_assert_uint_eq(jobs % workers, 0);
        ck_assert_uint_ge(jobs, 2 * pus);
        ck_assert_uint_lt(jobs, 2 * pus + workers);
        /* its scalar twin, and the scalar serial run it divides by, right before it */
        ck_assert_str_eq(tu_field(&t, row - 1, "kernel"), "scalar");
        ck_assert_str_eq(tu_field(&t, row - 1, "size"), lesson_size);
        ck_assert_str_eq(tu_field(&t, row - 1, "jobs"), tu_field(&t, row, "jobs"));
        if (strcmp(program, "parlab-serial") == 0) {
            ck_assert_uint_eq(simd_serial++, 0);
            ck_assert_str_eq(tu_field(&t, row - 1, "program"), "parlab-serial");
            continue;
        }
        ck_assert_str_eq(program, "parlab-threads");
        ck_assert_str_eq(tu_field(&t, row - 1, "program"), "parlab-threads");
        ck_assert_str_eq(tu_field(&t, row - 1, "workers"), tu_field(&t, row, "workers"));
        ck_assert_uint_eq(workers, ++w);
    }
    ck_assert_uint_eq(simd_serial, 1);
    ck_assert_uint_eq(w, pus); /* every W from 1 to PUs, in order */
    csv_table_release(&t);
    tu_rmrf(dir);
}
END_TEST

/* Ctrl-C in the fourth case (the first of parlab-procs) keeps the three finished
 * ones; RESUME=1 continues after them, and the results hold each case's rows once:
 * the kept rows as they were, then the rest.  With other settings RESUME=1 is
 * refused and the kept cases stay. */
START_TEST(an_interrupted_run_resumes_from_its_finished_cases)
{
    char *marker, *dir = dir_with_old_results(&marker), *bin = bin_with_hanging_procs(dir);
    char *partial = tu_path(dir, ".results.partial"), *kept_runs = tu_path(partial, "runs.csv");
    char *runs = tu_path(dir, "results/runs.csv"), results[600], bin_var[600], *kept_text, *text;
    const char *env[] = {TINY, results, bin_var, "PARLAB_FAULT=", NULL};
    const char *argv[] = {"setsid", "sh", "src/run-all.sh", NULL};
    const char *other[] = {"JOBS=3", "RESUME=1", NULL}, *again[] = {"RESUME=1", NULL};
    struct proc_handle h;
    struct proc_result r;
    struct csv_table t;

    snprintf(results, sizeof results, "RESULTS=%s/results", dir);
    snprintf(bin_var, sizeof bin_var, "PARLAB_BIN=%s", bin);
    tu_start_cmd(&h, env, argv);
    wait_for_descendant(h.pid, "sleep");
    ck_assert_int_eq(kill(-h.pid, SIGINT), 0);
    ck_assert(finish_within(&h, &r));
    ck_assert_int_eq(r.status, 130);
    ck_assert_msg(strstr(r.err, "3 finished cases are kept") && strstr(r.err, "RESUME=1"),
                  "said: %s", r.err);
    tu_result_release(&r);
    expect_marker(marker);
    kept_text = tu_read_file(kept_runs);
    ck_assert_ptr_nonnull(kept_text);
    ck_assert_uint_eq(tu_count_lines(kept_text), 1 + 3); /* the header, a row per case */

    ck_assert_int_eq(run_all_with(dir, NULL, NULL, other, &r), 2); /* other settings */
    ck_assert_msg(tu_mentions(r.err, "RESUME=1", "other settings", NULL), "said: %s", r.err);
    tu_result_release(&r);
    text = tu_read_file(kept_runs);
    ck_assert_str_eq(text, kept_text);
    free(text);
    expect_marker(marker);

    ck_assert_msg(run_all_with(dir, NULL, NULL, again, &r) == 0, "exited %d: %s", r.status, r.err);
    ck_assert_msg(strstr(r.err, "[3/") && strstr(r.err, "kept from the interrupted run") &&
                      strstr(r.err, "continuing after the 3 cases"),
                  "said: %s", r.err);
    tu_result_release(&r);
    text = tu_read_file(runs);
    ck_assert_int_eq(strncmp(text, kept_text, strlen(kept_text)), 0); /* as they were */
    free(text);
    tu_read_csv(runs, &t);
    for (size_t a = 1; a < t.nrows; a++) /* no case twice */
        for (size_t b = a + 1; b < t.nrows; b++)
            ck_assert_str_ne(tu_field(&t, a, "run_id"), tu_field(&t, b, "run_id"));
    {
        static const char *const programs[] = {"parlab-serial", "parlab-threads", "parlab-procs"};

        for (size_t p = 0; p < 3; p++) {
            bool seen = false;

            for (size_t row = 1; row < t.nrows && !seen; row++)
                seen = strcmp(tu_field(&t, row, "program"), programs[p]) == 0;
            ck_assert_msg(seen, "no %s rows after resuming", programs[p]);
        }
    }
    csv_table_release(&t);
    ck_assert_int_eq(count_entries(dir, ".results."), 0); /* the kept cases are used up */
    free(kept_text);
    free(runs);
    free(kept_runs);
    free(partial);
    free(bin);
    free(marker);
    tu_rmrf(dir);
}
END_TEST

/* The sweep gives W workers a multiple of W jobs, the fewest not below JOBS, and
 * such a number of jobs its own serial run: 3 jobs on 2 workers become 4, beside a
 * serial run of 4 jobs; the notebook's cases (here W = 1) keep JOBS, and the pinned
 * runs have as many jobs as the unpinned ones they are compared with. */
START_TEST(the_sweep_gives_each_w_a_multiple_of_w_jobs)
{
    const char *extra[] = {"JOBS=3", "WORKERS=1", "MAX_WORKERS=2", NULL};
    char *dir = tu_tmpdir(), *runs = tu_path(dir, "results/runs.csv");
    struct proc_result r;
    struct csv_table t;
    bool serial4 = false;

    ck_assert_msg(run_all_with(dir, NULL, NULL, extra, &r) == 0, "run-all exited %d: %s",
                  r.status, r.err);
    tu_result_release(&r);
    tu_read_csv(runs, &t);
    for (size_t row = 1; row < t.nrows; row++) {
        const char *program = tu_field(&t, row, "program"), *pin = tu_field(&t, row, "pin");
        double w = tu_num(&t, row, "workers"), jobs = tu_num(&t, row, "jobs");

        if (tu_num(&t, row, "size") != tu_num(&t, 1, "size"))
            continue; /* the lessons and the data cases have jobs of their own */
        if (strcmp(program, "parlab-serial") == 0)
            serial4 = serial4 || jobs == 4;
        else if (w == 2)
            ck_assert_msg(jobs == 4, "row %zu: %s W=2 pin=%s ran %g jobs", row, program, pin,
                          jobs);
        else if (w == 1)
            ck_assert_msg(jobs == 3, "row %zu: the notebook's W=1 ran %g jobs", row, jobs);
    }
    ck_assert_msg(serial4, "no serial run of 4 jobs to divide the W=2 runs by");
    csv_table_release(&t);
    free(runs);
    tu_rmrf(dir);
}
END_TEST

/* The MPI cases: ranks with the lock held at the notebook's W and the sweep's, and
 * the hybrid pairs 1 x 2 and 2 x 1 with the lock none and held (2 x 1 held being the
 * notebook's W = 2 here), in that order, every job validated; 1 x 2 ran on rank 0
 * alone, 2 x 1 on thread 0 of each rank. */
START_TEST(run_all_runs_the_mpi_cases)
{
    static const struct {
        double workers;
        const char *lock;
    } want[] = {{2, "held"}, {2, "none"}, {2, "none"}, {2, "held"}, {1, "held"}};
    const char *extra[8] = {"MPI=1", "JOBS=4", NULL};
    char *dir, *runs, *jobs;
    struct proc_result r;
    struct csv_table t, j;
    size_t n = 0, k = 2;

    if (tu_no_mpi() != NULL)
        tu_skip("%s", tu_no_mpi());
    dir = tu_tmpdir();
    runs = tu_path(dir, "results/runs.csv");
    jobs = tu_path(dir, "results/jobs.csv");
    for (const char *const *v = tu_mpi_env(); *v != NULL; v++)
        extra[k++] = *v;
    ck_assert_msg(run_all_with(dir, NULL, NULL, extra, &r) == 0, "run-all exited %d: %s",
                  r.status, r.err);
    ck_assert_msg(tu_mentions(r.err, "mpi 1x2 lock=none", "mpi 2x1 lock=none", NULL),
                  "no hybrid cases in: %s", r.err);
    tu_result_release(&r);
    tu_read_csv(runs, &t);
    tu_read_csv(jobs, &j);
    for (size_t row = 1; row < t.nrows; row++) {
        const char *id = tu_field(&t, row, "run_id");

        if (strcmp(tu_field(&t, row, "program"), "parlab-mpi") != 0)
            continue;
        ck_assert_uint_lt(n, sizeof want / sizeof want[0]);
        ck_assert_msg(tu_num(&t, row, "workers") == want[n].workers &&
                          strcmp(tu_field(&t, row, "lock"), want[n].lock) == 0,
                      "MPI run %zu: W=%g lock=%s, not W=%g lock=%s", n + 1,
                      tu_num(&t, row, "workers"), tu_field(&t, row, "lock"), want[n].workers,
                      want[n].lock);
        ck_assert_str_eq(tu_field(&t, row, "worker_kind"), "rank");
        ck_assert_double_eq(tu_num(&t, row, "ranks"), n == 1 || n == 3 ? 1 : want[n].workers);
        ck_assert_double_eq(tu_num(&t, row, "jobs_ok"), 4);
        for (size_t jr = 1; jr < j.nrows; jr++) {
            if (strcmp(tu_field(&j, jr, "run_id"), id) != 0)
                continue;
            ck_assert_str_eq(tu_field(&j, jr, "ok"), "1");
            if (n == 1 || n == 3) /* 1 x 2 */
                ck_assert_msg(tu_num(&j, jr, "rank") == 0 && tu_num(&j, jr, "thread") < 2,
                              "1x2: job on rank %s thread %s", tu_field(&j, jr, "rank"),
                              tu_field(&j, jr, "thread"));
            if (n == 2) /* 2 x 1 */
                ck_assert_msg(tu_num(&j, jr, "rank") < 2 && tu_num(&j, jr, "thread") == 0,
                              "2x1: job on rank %s thread %s", tu_field(&j, jr, "rank"),
                              tu_field(&j, jr, "thread"));
        }
        n++;
    }
    ck_assert_msg(n == sizeof want / sizeof want[0], "%zu MPI runs, not %zu", n,
                  sizeof want / sizeof want[0]);
    csv_table_release(&t);
    csv_table_release(&j);
    free(runs);
    free(jobs);
    tu_rmrf(dir);
}
END_TEST

/* Without mpirun the MPI cases are left out, in a line that says why, and the rest
 * runs; with MPI=1 that is a failure before anything runs, nothing written. */
START_TEST(without_mpirun_the_mpi_cases_are_left_out)
{
    const char *left_out[] = {"MPI=auto", "MPIRUN=/nonexistent/mpirun", NULL};
    const char *required[] = {"MPI=1", "MPIRUN=/nonexistent/mpirun", NULL};
    char *dir = tu_tmpdir(), *runs = tu_path(dir, "results/runs.csv");
    char *results = tu_path(dir, "results"), *text;
    struct proc_result r;
    struct stat st;

    ck_assert_int_eq(run_all_with(dir, NULL, NULL, required, &r), 1);
    ck_assert_msg(tu_mentions(r.err, "MPI=1", "/nonexistent/mpirun", NULL), "said: %s", r.err);
    ck_assert_uint_eq(tu_count_lines(r.err), 1);
    ck_assert_int_ne(stat(results, &st), 0);
    ck_assert_int_eq(count_entries(dir, ".results"), 0);
    tu_result_release(&r);

    ck_assert_msg(run_all_with(dir, NULL, NULL, left_out, &r) == 0, "run-all exited %d: %s",
                  r.status, r.err);
    ck_assert_msg(tu_mentions(r.err, "/nonexistent/mpirun", "left out", NULL), "said: %s",
                  r.err);
    ck_assert_msg(strstr(r.err, "mpi lock=held") == NULL, "an MPI case ran: %s", r.err);
    text = tu_read_file(runs);
    ck_assert_msg(strstr(text, "parlab-mpi") == NULL, "parlab-mpi rows in %s", text);
    free(text);
    tu_result_release(&r);
    free(runs);
    free(results);
    tu_rmrf(dir);
}
END_TEST

/* RESULTS naming a regular file: refused before anything runs, the file as it was. */
START_TEST(results_that_name_a_file_are_refused_first)
{
    char *dir = tu_tmpdir(), *file = tu_path(dir, "results"), *text;
    struct proc_result r;

    tu_write_file(file, "not a directory\n");
    ck_assert_int_eq(run_all(dir, NULL, NULL, &r), 2);
    ck_assert_msg(tu_count_lines(r.err) == 1 && tu_mentions(r.err, "RESULTS", file, NULL),
                  "said: %s", r.err);
    text = tu_read_file(file);
    ck_assert_str_eq(text, "not a directory\n");
    ck_assert_int_eq(count_entries(dir, ".results."), 0);
    free(text);
    tu_result_release(&r);
    free(file);
    tu_rmrf(dir);
}
END_TEST

/* `make run-all` and `make plots` with RESULTS naming a directory with a space, an
 * apostrophe and a dollar sign, which neither make nor a shell may read as their own. */
START_TEST(make_takes_a_results_directory_of_any_name)
{
    char *dir = tu_tmpdir(), *two = tu_path(dir, "it's a $dir"), *copy = fixture_copy(FIXTURE_SMALL);
    char results[600], *report = tu_path(two, "REPORT.md"), *png = tu_path(two, "speedup.png");
    char *runs = tu_path(two, "runs.csv"), *fixture_runs = tu_path(copy, "runs.csv"), *text;
    const char *env[] = {"JOBS=2",      "REPS=1", "JOB_SECONDS=0.001", "WORKERS=2",
                         "MAX_WORKERS=2", "PAYLOADS=1K", "MPI=0", "GRANULARITY=0", "SIMD=0",
                         "PARLAB_FAULT=", NULL};
    /* Nothing to build (PROGRAM_BINS= : the suite's programs are $PARLAB_BIN), and
     * none of the make that runs the suites. */
    const char *run_all_argv[] = {"env", "-u", "MAKEFLAGS", "-u", "MFLAGS", "-u", "MAKELEVEL",
                                  "make", "-s", "--no-print-directory", "run-all", results,
                                  "PROGRAM_BINS=", NULL};
    const char *plots_argv[] = {"env", "-u", "MAKEFLAGS", "-u", "MFLAGS", "-u", "MAKELEVEL",
                                "make", "-s", "--no-print-directory", "plots", results,
                                "PROGRAM_BINS=", NULL};
    struct proc_result r;
    struct stat st;

    snprintf(results, sizeof results, "RESULTS=%s", two);
    tu_run_cmd(&r, env, run_all_argv);
    ck_assert_msg(r.status == 0, "make run-all exited %d: %s", r.status, r.err);
    ck_assert_msg(stat(report, &st) == 0 && st.st_size > 0, "no %s", report);
    tu_result_release(&r);

    text = tu_read_file(fixture_runs); /* other runs into it, and a redraw */
    tu_write_file(runs, text);
    free(text);
    ck_assert_int_eq(unlink(png), 0);
    tu_run_cmd(&r, NULL, plots_argv);
    ck_assert_msg(r.status == 0, "make plots exited %d: %s", r.status, r.err);
    ck_assert_msg(stat(png, &st) == 0 && st.st_size > 0, "no %s", png);
    tu_result_release(&r);
    free(fixture_runs);
    free(runs);
    free(png);
    free(report);
    tu_rmrf(copy);
    free(two);
    tu_rmrf(dir);
}
END_TEST

/* Runs `sh plots/draw.sh dir` with the environment additions; its exit status. */
static int draw(const char *dir, const char *const *env, struct proc_result *r)
{
    const char *argv[] = {"sh", "plots/draw.sh", dir, NULL};

    tu_run_cmd(r, env, argv);
    return r->status;
}

/* draw.sh names parlab-report the runs CSV alone (the others are found beside it),
 * and the notebook's workers when WORKERS says them. */
START_TEST(draw_asks_for_the_runs_csv_and_the_workers)
{
    char *dir = fixture_copy(FIXTURE_SMALL), *bin = bin_with_logged_report(dir);
    char *log = tu_path(dir, "report.args"), *args, bin_var[600], runs[600];
    const char *plain[] = {bin_var, "WORKERS=", NULL}, *two[] = {bin_var, "WORKERS=2", NULL};
    struct proc_result r;

    snprintf(bin_var, sizeof bin_var, "PARLAB_BIN=%s", bin);
    snprintf(runs, sizeof runs, "--runs-csv %s/runs.csv ", dir);
    ck_assert_msg(draw(dir, plain, &r) == 0, "draw.sh exited %d: %s", r.status, r.err);
    tu_result_release(&r);
    ck_assert_msg(draw(dir, two, &r) == 0, "draw.sh exited %d: %s", r.status, r.err);
    tu_result_release(&r);
    args = tu_read_file(log);
    ck_assert_ptr_nonnull(args);
    ck_assert_msg(tu_count_lines(args) == 2 && fixture_count(args, runs) == 2 &&
                      !strstr(args, "--jobs-csv") && !strstr(args, "--slices-csv") &&
                      fixture_count(args, "--workers") == 1 &&
                      strstr(strchr(args, '\n'), "--workers 2 "),
                  "parlab-report was run as: %s", args);
    free(args);
    free(log);
    free(bin);
    tu_rmrf(dir);
}
END_TEST

/* A figure skipped for want of data leaves no old drawing of it behind. */
START_TEST(draw_removes_the_figures_it_skips)
{
    char *dir = fixture_copy(FIXTURE_SMALL); /* no payloads: no copy-cost */
    char *png = tu_path(dir, "copy-cost.png"), *svg = tu_path(dir, "copy-cost.svg");
    char *speedup = tu_path(dir, "speedup.png");
    struct proc_result r;
    struct stat st;

    tu_write_file(png, "from an earlier draw\n");
    tu_write_file(svg, "from an earlier draw\n");
    ck_assert_msg(draw(dir, NULL, &r) == 0, "draw.sh exited %d: %s", r.status, r.err);
    ck_assert_msg(strstr(r.err, "plots: copy-cost skipped: "), "said: %s", r.err);
    ck_assert_int_eq(stat(png, &st), -1);
    ck_assert_int_eq(stat(svg, &st), -1);
    ck_assert_int_eq(stat(speedup, &st), 0);
    tu_result_release(&r);
    free(speedup);
    free(svg);
    free(png);
    tu_rmrf(dir);
}
END_TEST

/* A hang-up, an interrupt or a termination while gnuplot draws: draw.sh exits 128 +
 * the signal's number, leaving neither its temporary directory nor its part. */
static const int draw_signals[] = {SIGHUP, SIGINT, SIGTERM};

START_TEST(draw_cleans_up_when_signalled)
{
    char *dir = fixture_copy(FIXTURE_SMALL), *fake = tu_path(dir, "fake");
    char *tmp = tu_path(dir, "tmp"), *gnuplot = tu_path(fake, "gnuplot");
    char path_var[4096], tmp_var[600], signal_var[32];
    const char *env[] = {path_var, tmp_var, signal_var, NULL};
    struct proc_result r;
    struct sigaction dfl = {.sa_handler = SIG_DFL};
    sigset_t set;

    /* A signal the suite's runner ignores or blocks would be so in draw.sh too. */
    sigemptyset(&set);
    sigaddset(&set, draw_signals[_i]);
    ck_assert_int_eq(sigaction(draw_signals[_i], &dfl, NULL), 0);
    ck_assert_int_eq(sigprocmask(SIG_UNBLOCK, &set, NULL), 0);
    ck_assert_int_eq(mkdir(fake, 0755), 0);
    ck_assert_int_eq(mkdir(tmp, 0755), 0);
    /* gnuplot -c SCRIPT DATA PART FORMAT: half a part, then the signal to draw.sh */
    tu_write_file(gnuplot, "#!/bin/sh\necho half >\"$4\"\nkill -s \"$DRAW_SIGNAL\" \"$PPID\"\n");
    ck_assert_int_eq(chmod(gnuplot, 0755), 0);
    snprintf(path_var, sizeof path_var, "PATH=%s:%s", fake, getenv("PATH"));
    snprintf(tmp_var, sizeof tmp_var, "TMPDIR=%s", tmp);
    snprintf(signal_var, sizeof signal_var, "DRAW_SIGNAL=%s",
             draw_signals[_i] == SIGHUP ? "HUP" : draw_signals[_i] == SIGINT ? "INT" : "TERM");

    ck_assert_int_eq(draw(dir, env, &r), 128 + draw_signals[_i]);
    ck_assert_msg(count_entries(tmp, "") == 2, "%s: its temporary directory is left", signal_var);
    ck_assert_msg(count_entries(dir, ".draw.") == 0, "%s: its part is left", signal_var);
    tu_result_release(&r);
    free(gnuplot);
    free(tmp);
    free(fake);
    tu_rmrf(dir);
}
END_TEST

/* Two draws into one directory at once: each moves and removes its own parts only. */
START_TEST(two_draws_at_once_do_not_meet)
{
    char *dir = fixture_copy(FIXTURE_SMALL), *other = tu_path(dir, ".draw.1.wall-vs-cpu.png");
    const char *argv[] = {"sh", "-c",
                          "sh plots/draw.sh \"$1\" 2>\"$1/first.err\" & first=$!; "
                          "sh plots/draw.sh \"$1\" || exit; wait $first || "
                          "{ cat \"$1/first.err\" >&2; exit 1; }",
                          "sh", dir, NULL};
    struct proc_result r;
    struct stat st;

    tu_write_file(other, "another draw's part\n"); /* process 1's draw.sh's */
    ck_assert_msg(draw(dir, NULL, &r) == 0, "draw.sh exited %d: %s", r.status, r.err);
    ck_assert_msg(stat(other, &st) == 0, "draw.sh removed another draw's part");
    tu_result_release(&r);
    ck_assert_int_eq(unlink(other), 0);
    for (int round = 0; round < 2; round++) {
        tu_run_cmd(&r, NULL, argv);
        ck_assert_msg(r.status == 0, "round %d: exited %d: %s", round, r.status, r.err);
        tu_result_release(&r);
    }
    ck_assert_int_eq(count_entries(dir, ".draw."), 0);
    free(other);
    tu_rmrf(dir);
}
END_TEST

/* A closed stderr stops none of it: the lines are lost, the figures are drawn. */
START_TEST(draw_goes_on_without_a_stderr)
{
    char *dir = fixture_copy(FIXTURE_SMALL), *timeline = tu_path(dir, "timeline.png");
    const char *argv[] = {"sh", "-c", "exec sh plots/draw.sh \"$1\" 2>&-", "sh", dir, NULL};
    struct proc_result r;
    struct stat st;

    fixture_rewrite(dir, "runs.csv", fixture_no_serial); /* speedup skipped, first */
    tu_run_cmd(&r, NULL, argv);
    ck_assert_msg(r.status == 0, "draw.sh exited %d", r.status);
    ck_assert_int_eq(stat(timeline, &st), 0);
    tu_result_release(&r);
    free(timeline);
    tu_rmrf(dir);
}
END_TEST

/* Run from another directory with PARLAB_BIN unset, draw.sh finds the programs in
 * ../bin beside it. */
START_TEST(draw_finds_the_programs_beside_it)
{
    char *dir = tu_tmpdir(), *results = fixture_copy(FIXTURE_SMALL);
    char *elsewhere = tu_path(dir, "elsewhere"), *bin, *png = tu_path(results, "speedup.png");
    const char *argv[] = {"env", "-u", "PARLAB_BIN", "sh", "-c",
                          "cd \"$1\" && exec sh ../plots/draw.sh \"$2\"", "sh", elsewhere,
                          results, NULL};
    struct proc_result r;
    struct stat st;

    copy_into(dir, "plots");
    bin = bin_with_logged_report(dir);
    ck_assert_int_eq(mkdir(elsewhere, 0755), 0);
    tu_run_cmd(&r, NULL, argv);
    ck_assert_msg(r.status == 0, "draw.sh exited %d: %s", r.status, r.err);
    ck_assert_int_eq(stat(png, &st), 0);
    tu_result_release(&r);
    free(png);
    free(bin);
    free(elsewhere);
    tu_rmrf(results);
    tu_rmrf(dir);
}
END_TEST

/* A checkout and a results directory whose paths hold an apostrophe, a space and a
 * dollar sign, with draw.sh called by its full path: gnuplot's scripts find each
 * other and the data without a shell reading the names. */
START_TEST(draw_takes_any_path)
{
    char *top = tu_tmpdir(), *dir = tu_path(top, "o'brien $HOME"), *copy = fixture_copy(FIXTURE_SMALL);
    char *results = tu_path(dir, "it's mine"), *script = tu_path(dir, "plots/draw.sh");
    char *png = tu_path(results, "speedup.png");
    const char *argv[] = {"sh", "-c", "mkdir -p \"$1\" && cp \"$2\"/*.csv \"$1\" && exec sh \"$3\" \"$1\"",
                          "sh", results, copy, script, NULL};
    struct proc_result r;
    struct stat st;

    ck_assert_int_eq(mkdir(dir, 0755), 0);
    copy_into(dir, "plots");
    tu_run_cmd(&r, NULL, argv);
    ck_assert_msg(r.status == 0, "draw.sh exited %d: %s", r.status, r.err);
    ck_assert_msg(stat(png, &st) == 0 && st.st_size > 0, "no %s", png);
    tu_result_release(&r);
    free(png);
    free(script);
    free(results);
    tu_rmrf(copy);
    free(dir);
    tu_rmrf(top);
}
END_TEST

static Suite *runall_suite(void)
{
    Suite *s = suite_create("runall");
    TCase *tc = tcase_create("runall");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, a_failed_case_leaves_the_old_results_in_place);
    tcase_add_test(tc, a_complete_run_replaces_the_results);
    tcase_add_test(tc, a_later_failed_case_also_leaves_the_old_results);
    suite_add_tcase(s, tc);

    /* The scripts' own behaviour: under the valgrind pass these run the programs as
     * built, not under memcheck (the tests above and the other suites check the
     * programs' memory; this saves two minutes of make test). */
    tc = tcase_create("scripts");
    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, scripts_only, NULL);
    tcase_add_loop_test(tc, a_bad_setting_is_named_before_anything_runs, 0,
                        sizeof bad_settings / sizeof bad_settings[0]);
    tcase_add_test(tc, the_sweep_stays_within_max_workers);
    tcase_add_test(tc, the_sweep_gives_each_w_a_multiple_of_w_jobs);
    tcase_add_test(tc, run_all_clears_what_would_distort_its_runs);
    tcase_add_test(tc, the_estimate_rounds_to_a_minute);
    tcase_add_test(tc, run_all_finds_the_programs_beside_it);
    tcase_add_test(tc, run_all_draws_the_figures_of_its_workers);
    tcase_add_test(tc, make_takes_a_results_directory_of_any_name);
    tcase_add_test(tc, a_signal_to_make_stops_run_all_and_its_case);
    tcase_add_loop_test(tc, a_signal_stops_run_all_and_its_case_at_once, 0,
                        (int)(sizeof run_all_signals / sizeof run_all_signals[0]));
    tcase_add_test(tc, run_all_without_a_reader_cleans_up);
    tcase_add_test(tc, ctrl_c_in_an_mpi_case_waits_for_its_ranks);
    tcase_add_test(tc, a_signal_during_the_swap_waits_for_it);
    tcase_add_test(tc, results_left_aside_by_a_killed_run_are_put_back);
    tcase_add_test(tc, results_that_name_a_file_are_refused_first);
    tcase_add_test(tc, run_all_runs_the_mpi_cases);
    tcase_add_test(tc, without_mpirun_the_mpi_cases_are_left_out);
    tcase_add_test(tc, an_interrupted_run_resumes_from_its_finished_cases);
    tcase_add_test(tc, draw_asks_for_the_runs_csv_and_the_workers);
    tcase_add_test(tc, draw_removes_the_figures_it_skips);
    tcase_add_loop_test(tc, draw_cleans_up_when_signalled, 0,
                        sizeof draw_signals / sizeof draw_signals[0]);
    tcase_add_test(tc, two_draws_at_once_do_not_meet);
    tcase_add_test(tc, draw_goes_on_without_a_stderr);
    tcase_add_test(tc, draw_finds_the_programs_beside_it);
    tcase_add_test(tc, draw_takes_any_path);
    tcase_add_test(tc, the_granularity_sweep_writes_its_runs_alone);
    tcase_add_test(tc, the_simd_lesson_runs_both_kernels_at_each_w);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(runall_suite());
}
