/*
 * check_mpi.c - parlab-mpi under mpirun and without it: every job once on its rank,
 * rows written once by rank 0, one line for a bad command line, a payload that travels
 * between the ranks and is checked at rank 0, and a rank that crashes, is killed,
 * hangs or fails alone ends the run with nothing written and no process left.
 *
 * Each mpirun costs a second or two, so the runs are short.  Under the sanitizers and
 * valgrind Open MPI's own leaks and threads would be the noise, and the tests skip
 * there: the plain pass covers them.
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "parlab/clock.h"
#include "parlab/kernel.h"
#include "parlab/run.h"

#include "testutil.h"

#define SKIP_WITHOUT_MPI()                                                                 \
    do {                                                                                   \
        const char *why_not = tu_no_mpi();                                                 \
        if (why_not != NULL)                                                               \
            tu_skip("%s", why_not);                                                        \
    } while (0)

static char program_path[4096];

/* $PARLAB_BIN/parlab-mpi, as tu_run finds the programs. */
static const char *program(void)
{
    const char *bin = getenv("PARLAB_BIN");

    snprintf(program_path, sizeof program_path, "%s/parlab-mpi", bin ? bin : "bin");
    return program_path;
}

/* argv: mpirun [-q] -np N --oversubscribe parlab-mpi ARGS... */
static void mpirun_argv(const char **argv, size_t max, bool quiet, const char *np,
                        const char *const *args)
{
    size_t n = 0;

    argv[n++] = "mpirun";
    if (quiet)
        argv[n++] = "-q";
    argv[n++] = "-np";
    argv[n++] = np;
    argv[n++] = "--oversubscribe";
    argv[n++] = program();
    for (size_t i = 0; args[i] != NULL && n + 1 < max; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
}

/* With env added to tu_mpi_env(). */
static void mpirun(struct proc_result *r, const char *const *env, bool quiet, const char *np,
                   const char *const *args)
{
    const char *argv[64], *all_env[16];
    size_t n = 0;

    mpirun_argv(argv, 64, quiet, np, args);
    for (const char *const *e = tu_mpi_env(); *e != NULL; e++)
        all_env[n++] = *e;
    for (size_t i = 0; env != NULL && env[i] != NULL && n + 1 < 16; i++)
        all_env[n++] = env[i];
    all_env[n] = NULL;
    tu_run_cmd(r, all_env, argv);
}

/* Lines of text that parlab-mpi wrote ("parlab-mpi: ..."). */
static size_t own_lines(const char *text)
{
    size_t n = 0;

    for (const char *p = text; (p = strstr(p, "parlab-mpi:")) != NULL; p++)
        n += p == text || p[-1] == '\n';
    return n;
}

/* True when pid is gone or a zombie (mpirun may leave its killed ranks to init). */
static bool ended(pid_t pid)
{
    char path[64], state = '?';
    FILE *f;

    snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
    if ((f = fopen(path, "r")) == NULL)
        return true;
    if (fscanf(f, "%*d (%*[^)]) %c", &state) != 1)
        state = '?';
    fclose(f);
    return state == 'Z' || state == 'X';
}

static void expect_ended(const pid_t *pids, size_t n)
{
    double until = clock_wall() + 3.0;

    for (size_t i = 0; i < n; i++) {
        while (!ended(pids[i]) && clock_wall() < until)
            usleep(20000);
        ck_assert_msg(ended(pids[i]), "rank process %ld is still running", (long)pids[i]);
    }
}

START_TEST(twelve_jobs_on_three_ranks_each_once_on_its_own_rank)
{
    struct tu_results d;
    struct proc_result r;
    struct csv_table runs, jobs;
    char why[512];

    SKIP_WITHOUT_MPI();
    tu_results_make(&d);
    {
        const char *args[] = {"-n", "60", "-j", "12", "-r", "1", "--runs-csv", d.runs,
                              "--jobs-csv", d.jobs, NULL};

        mpirun(&r, NULL, false, "3", args);
    }
    ck_assert_msg(r.status == 0, "status %d, said: %s", r.status, r.err);
    /* rank 0 alone printed: one headline, one summary */
    ck_assert_msg(own_lines(r.out) == 0 && strstr(r.out, "parlab-mpi 0.") == r.out &&
                      strstr(r.out + 1, "parlab-mpi 0.") == NULL &&
                      strstr(strstr(r.out, "median of 1") + 1, "median of 1") == NULL,
                  "printed: %s", r.out);
    tu_read_csv(d.runs, &runs);
    ck_assert_uint_eq(runs.nrows, 3); /* the header, the earlier row, this run */
    ck_assert_str_eq(tu_field(&runs, 2, "program"), "parlab-mpi");
    ck_assert_str_eq(tu_field(&runs, 2, "worker_kind"), "rank");
    ck_assert_str_eq(tu_field(&runs, 2, "workers"), "3");
    ck_assert_str_eq(tu_field(&runs, 2, "jobs_ok"), "12");
    csv_table_release(&runs);

    /* this run's 12 rows after the earlier one: each job once, each worker one process
     * of its own (a rank) and each rank one worker */
    tu_read_csv(d.jobs, &jobs);
    ck_assert_uint_eq(jobs.nrows, 1 + 1 + 12);
    ck_assert_str_ne(tu_field(&jobs, 1, "run_id"), tu_field(&jobs, 2, "run_id"));
    {
        const struct job_rows_rule rule = {12, 3, "pid", false};
        char *text = tu_read_file(d.jobs), *second = strchr(text, '\n') + 1;
        char *third = strchr(second, '\n') + 1;
        struct csv_table t;

        memmove(second, third, strlen(third) + 1); /* the header, then this run's rows */
        ck_assert_int_eq(csv_parse(text, strlen(text), &t), 0);
        ck_assert_msg(run_check_job_rows(&t, &rule, why, sizeof why) == 0, "%s", why);
        for (size_t row = 1; row < t.nrows; row++)
            ck_assert_str_eq(tu_field(&t, row, "ok"), "1");
        csv_table_release(&t);
        free(text);
    }
    csv_table_release(&jobs);
    tu_result_release(&r);
    tu_results_remove(&d);
}
END_TEST

/* --kernel simd on every rank: the run and each job say so, and each job's result has
 * the bits of the variant named (with AVX-512 they differ from the scalar kernel's at
 * n = 30), whichever rank ran it. */
START_TEST(every_rank_runs_the_simd_kernel_named)
{
    struct tu_results d;
    struct proc_result r;
    struct csv_table runs, jobs;
    const char *env[] = {"PARLAB_KERNEL_ISA=", NULL};
    const char *isa;

    SKIP_WITHOUT_MPI();
    tu_results_make(&d);
    {
        const char *args[] = {"-n", "30", "-j", "6", "-r", "1", "--kernel", "simd",
                              "--runs-csv", d.runs, "--jobs-csv", d.jobs, NULL};

        mpirun(&r, env, true, "2", args);
    }
    ck_assert_msg(r.status == 0, "status %d, said: %s", r.status, r.err);
    tu_read_csv(d.runs, &runs);
    ck_assert_uint_eq(runs.nrows, 3);
    ck_assert_str_eq(tu_field(&runs, 2, "kernel"), "simd");
    isa = tu_field(&runs, 2, "isa");
    ck_assert_msg(strstr(r.out, "kernel simd (") && strstr(r.out, isa), "printed: %s", r.out);
    ck_assert_int_eq(kernel_simd_force(isa), 0);
    tu_read_csv(d.jobs, &jobs);
    ck_assert_uint_eq(jobs.nrows, 1 + 1 + 6);
    for (size_t row = 2; row < jobs.nrows; row++) {
        ck_assert_str_eq(tu_field(&jobs, row, "kernel"), "simd");
        ck_assert_str_eq(tu_field(&jobs, row, "ok"), "1");
        ck_assert_msg(tu_num(&jobs, row, "result") == kernel_simd_run(30), "rank %s: %s",
                      tu_field(&jobs, row, "rank"), tu_field(&jobs, row, "result"));
    }
    csv_table_release(&jobs);
    csv_table_release(&runs);
    tu_result_release(&r);
    tu_results_remove(&d);
}
END_TEST

START_TEST(without_mpirun_it_runs_as_one_rank)
{
    char *dir;
    char *jobs_csv;
    struct proc_result r;
    struct csv_table t;
    const struct job_rows_rule rule = {6, 1, "pid", false};
    char why[512];

    SKIP_WITHOUT_MPI();
    dir = tu_tmpdir();
    jobs_csv = tu_path(dir, "jobs.csv");
    {
        const char *args[] = {"-n", "50", "-j", "6", "-r", "1", "-q", "--jobs-csv", jobs_csv,
                              NULL};

        tu_run_env(&r, tu_mpi_env(), "parlab-mpi", args);
    }
    ck_assert_msg(r.status == 0, "status %d, said: %s", r.status, r.err);
    ck_assert_msg(strstr(r.out, "on 1 MPI rank (") != NULL, "printed: %s", r.out);
    tu_read_csv(jobs_csv, &t);
    ck_assert_msg(run_check_job_rows(&t, &rule, why, sizeof why) == 0, "%s", why);
    ck_assert_int_eq((int)tu_num(&t, 1, "pid"), r.pid); /* the one process */
    csv_table_release(&t);
    free(jobs_csv);
    tu_rmrf(dir);
    tu_result_release(&r);
}
END_TEST

START_TEST(a_bad_command_line_is_one_line_from_rank_0)
{
    static const char *const lines[][4] = {
        {"-j", "0", NULL},
        {"-w", "2", NULL}, /* 3 ranks */
        {"--bogus", NULL},
        {"--transport", "shm", NULL}, /* the ranks move a payload with MPI */
    };

    SKIP_WITHOUT_MPI();
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        struct proc_result r;

        /* mpirun's own box about the exit status comes after it; -q drops that */
        mpirun(&r, NULL, false, "3", lines[i]);
        ck_assert_int_eq(r.status, 2);
        ck_assert_msg(own_lines(r.err) == 1 && r.out[0] == '\0', "%s: said: %s", lines[i][0],
                      r.err);
        tu_result_release(&r);
        mpirun(&r, NULL, true, "3", lines[i]);
        ck_assert_int_eq(r.status, 2);
        ck_assert_msg(own_lines(r.err) == 1 && tu_count_lines(r.err) == 1, "%s: said: %s",
                      lines[i][0], r.err);
        tu_result_release(&r);
    }
}
END_TEST

/* The pid of `rank` among mpirun's children (from their environment). */
static pid_t rank_pid(const pid_t *children, size_t n, int rank)
{
    char want[64], path[64];

    snprintf(want, sizeof want, "OMPI_COMM_WORLD_RANK=%d", rank);
    for (size_t i = 0; i < n; i++) {
        char *env, *p;
        FILE *f;
        size_t len;

        snprintf(path, sizeof path, "/proc/%ld/environ", (long)children[i]);
        if ((f = fopen(path, "r")) == NULL)
            continue;
        env = calloc(1, 1 << 20);
        len = fread(env, 1, (1 << 20) - 1, f);
        fclose(f);
        for (p = env; p < env + len; p += strlen(p) + 1)
            if (strcmp(p, want) == 0) {
                free(env);
                return children[i];
            }
        free(env);
    }
    return -1;
}

/* Starts a run of 3 ranks of a few seconds, sends `sig` to `rank` once the counted
 * runs have begun, and checks the end: not 0, one line from rank 0 naming the rank,
 * nothing written, no rank left running. */
static void kill_a_rank(int rank, int sig)
{
    struct tu_results d;
    struct proc_handle h;
    struct proc_result r;
    pid_t children[16];
    size_t n;
    pid_t victim;
    char named[32];
    double until, killed;
    const char *argv[64];
    const char *env[4] = {NULL};

    tu_results_make(&d);
    {
        const char *args[] = {"-n", "160", "-j", "40", "-r", "3", "--runs-csv", d.runs,
                              "--jobs-csv", d.jobs, NULL};

        mpirun_argv(argv, 64, true, "3", args);
    }
    for (size_t i = 0; tu_mpi_env()[i] != NULL; i++)
        env[i] = tu_mpi_env()[i];
    tu_start_cmd(&h, env, argv);
    n = tu_wait_for_children(h.pid, 3, children, 16);
    until = clock_wall() + 5;
    /* a child forked a moment ago has mpirun's environment until it execs the rank */
    while ((victim = rank_pid(children, n, rank)) <= 0 && clock_wall() < until) {
        usleep(20000);
        n = tu_children(h.pid, children, 16);
    }
    ck_assert_msg(victim > 0, "no rank %d among mpirun's %zu children", rank, n);
    until = clock_wall() + 10;
    for (;;) { /* the first counted run has begun */
        char *out = tu_read_file(h.out);
        bool begun = out != NULL && strstr(out, "rep 1/3") != NULL;

        free(out);
        if (begun || clock_wall() > until)
            break;
        usleep(20000);
    }
    ck_assert_int_eq(kill(victim, sig), 0);
    killed = clock_wall();
    tu_finish(&h, &r);
    ck_assert_msg(clock_wall() - killed < 5.0, "mpirun took %.2f s", clock_wall() - killed);
    ck_assert_msg(r.status != 0, "status 0 after signal %d to rank %d", sig, rank);
    snprintf(named, sizeof named, "rank %d (host", rank);
    ck_assert_msg(own_lines(r.err) == 1 && strstr(r.err, named) != NULL &&
                      tu_mentions(r.err, "nothing written", NULL),
                  "said: %s", r.err);
    expect_ended(children, n);
    tu_results_expect_untouched(&d);
    tu_result_release(&r);
    tu_results_remove(&d);
}

START_TEST(a_segv_in_rank_1_is_named_and_nothing_is_written)
{
    SKIP_WITHOUT_MPI();
    kill_a_rank(1, SIGSEGV);
}
END_TEST

START_TEST(a_rank_killed_with_sigkill_is_named_and_nothing_is_written)
{
    SKIP_WITHOUT_MPI();
    kill_a_rank(2, SIGKILL);
}
END_TEST

START_TEST(a_crashing_job_ends_the_run_with_nothing_written)
{
    const char *env[] = {"PARLAB_FAULT=segv:4", NULL};
    struct tu_results d;
    struct proc_result r;

    SKIP_WITHOUT_MPI();
    tu_results_make(&d);
    {
        const char *args[] = {"-n", "60", "-j", "12", "-r", "1", "-q", "--runs-csv", d.runs,
                              "--jobs-csv", d.jobs, NULL};

        mpirun(&r, env, true, "3", args);
    }
    ck_assert_int_eq(r.status, 128 + SIGSEGV); /* mpirun's: the first rank that failed */
    /* rank 0 names the rank, unless it ran job 4 itself */
    ck_assert_msg(own_lines(r.err) <= 1, "said: %s", r.err);
    ck_assert_msg(own_lines(r.err) == 0 || tu_number_after(r.err, "during job") == 4,
                  "said: %s", r.err);
    tu_results_expect_untouched(&d);
    tu_result_release(&r);
    tu_results_remove(&d);
}
END_TEST

START_TEST(a_hung_rank_is_stopped_at_the_timeout)
{
    const char *env[] = {"PARLAB_FAULT=hang:2", NULL};
    struct tu_results d;
    struct proc_result r;
    double t0 = clock_wall(), took;

    SKIP_WITHOUT_MPI();
    tu_results_make(&d);
    {
        const char *args[] = {"-n", "40", "-j", "6", "-r", "1", "-q", "--timeout", "1",
                              "--runs-csv", d.runs, "--jobs-csv", d.jobs, NULL};

        mpirun(&r, env, true, "2", args);
    }
    took = clock_wall() - t0;
    ck_assert_int_eq(r.status, 1);
    ck_assert_msg(own_lines(r.err) == 1 && tu_number_after(r.err, "timed out") == 1 &&
                      tu_mentions(r.err, "nothing", NULL),
                  "said: %s", r.err);
    ck_assert_msg(took >= 1.0 && took < 8.0, "took %.2f s", took);
    tu_results_expect_untouched(&d);
    tu_result_release(&r);
    tu_results_remove(&d);
}
END_TEST

/* With --lock held each rank holds its own lock: no job waits for another rank's.
 * (Whether jobs of the two ranks overlap depends on what else the machine runs.) */
START_TEST(with_the_lock_held_each_rank_has_its_own_lock)
{
    char *dir, *jobs_csv, *runs_csv;
    struct proc_result r;
    struct csv_table t;
    const struct job_rows_rule rule = {8, 2, "pid", false};
    char why[512];

    SKIP_WITHOUT_MPI();
    dir = tu_tmpdir();
    jobs_csv = tu_path(dir, "jobs.csv");
    runs_csv = tu_path(dir, "runs.csv");
    {
        const char *args[] = {"-n", "80", "-j", "8", "-r", "1", "-q", "-l", "held",
                              "--jobs-csv", jobs_csv, "--runs-csv", runs_csv, NULL};

        mpirun(&r, NULL, true, "2", args);
    }
    ck_assert_msg(r.status == 0, "status %d, said: %s", r.status, r.err);
    tu_read_csv(runs_csv, &t);
    ck_assert_str_eq(tu_field(&t, 1, "lock"), "held");
    csv_table_release(&t);
    tu_read_csv(jobs_csv, &t);
    ck_assert_msg(run_check_job_rows(&t, &rule, why, sizeof why) == 0, "%s", why);
    for (size_t row = 1; row < t.nrows; row++) /* a lock shared by both would make waits of
                                                * a job's length, 10 ms here */
        ck_assert_msg(tu_num(&t, row, "lock_wait_s") < 1e-3, "job %zu waited %.6f s",
                      row - 1, tu_num(&t, row, "lock_wait_s"));
    csv_table_release(&t);
    free(jobs_csv);
    free(runs_csv);
    tu_rmrf(dir);
    tu_result_release(&r);
}
END_TEST

/* What else ran, with mpirun binding each rank to a core of its own: rank 0 watches
 * every rank's PUs on its host, not its own core alone.  A program spinning on the
 * last usable PU, beside rank 1, shows in other_cpu_s (watching rank 0's core alone,
 * minus both ranks' CPU time, said "otherwise idle"). */
START_TEST(a_program_beside_another_rank_shows_in_other_cpu)
{
    char *dir, *runs_csv;
    struct proc_result r;
    struct csv_table t;
    cpu_set_t set, last;
    int cpu = -1;
    pid_t hog;
    double other = 0, wall = 0;

    SKIP_WITHOUT_MPI();
    if (tu_usable_cpus() < 2)
        tu_skip("%s", "one usable PU: both ranks and the other program would share it");
    ck_assert_int_eq(sched_getaffinity(0, sizeof set, &set), 0);
    for (int c = 0; c < CPU_SETSIZE; c++)
        if (CPU_ISSET(c, &set))
            cpu = c;
    CPU_ZERO(&last);
    CPU_SET(cpu, &last);
    hog = fork();
    ck_assert_int_ge(hog, 0);
    if (hog == 0) {
        volatile unsigned long spin = 0;

        sched_setaffinity(0, sizeof last, &last);
        for (;;)
            spin++;
    }
    dir = tu_tmpdir();
    runs_csv = tu_path(dir, "runs.csv");
    {
        const char *argv[] = {"mpirun", "-q", "-np", "2", "--bind-to", "core", program(),
                              "-n", "120", "-j", "12", "-r", "3", "-q", "--runs-csv",
                              runs_csv, NULL};

        tu_run_cmd(&r, tu_mpi_env(), argv);
    }
    kill(hog, SIGKILL);
    waitpid(hog, NULL, 0);
    ck_assert_msg(r.status == 0, "status %d, said: %s", r.status, r.err);
    tu_read_csv(runs_csv, &t);
    for (size_t row = 1; row < t.nrows; row++) {
        other += tu_num(&t, row, "other_cpu_s");
        wall += tu_num(&t, row, "wall_s");
    }
    /* the spinning program had about half of PU cpu for the runs' whole time */
    ck_assert_msg(other >= 0.15 * wall, "other_cpu_s %.3f s over %.3f s of runs (%s)", other,
                  wall, tu_field(&t, 1, "omp_binding"));
    csv_table_release(&t);
    free(runs_csv);
    tu_rmrf(dir);
    tu_result_release(&r);
}
END_TEST

/* One hybrid run: `np` ranks x `threads` OpenMP threads, 12 jobs.  Each job once; each
 * worker one thread of its own, rank * T + thread, on this host; T threads per rank. */
static void hybrid_run(const char *np, const char *threads)
{
    const unsigned ranks = (unsigned)atoi(np), t = (unsigned)atoi(threads);
    char *dir = tu_tmpdir(), *jobs_csv = tu_path(dir, "jobs.csv");
    char *runs_csv = tu_path(dir, "runs.csv");
    const char *args[] = {"-n", "60", "-j", "12", "-r", "1", "-q", "--threads", threads,
                          "--jobs-csv", jobs_csv, "--runs-csv", runs_csv, NULL};
    const struct job_rows_rule rule = {12, ranks * t, "tid", false};
    long pids[16] = {0}, npids = 0;
    struct proc_result r;
    struct csv_table jobs, runs;
    char why[512], host[256] = "", workers[16];

    gethostname(host, sizeof host - 1);
    mpirun(&r, NULL, true, np, args);
    ck_assert_msg(r.status == 0, "-np %s --threads %s: status %d, said: %s", np, threads,
                  r.status, r.err);
    tu_read_csv(runs_csv, &runs);
    snprintf(workers, sizeof workers, "%u", ranks * t);
    ck_assert_str_eq(tu_field(&runs, 1, "workers"), workers);
    csv_table_release(&runs);
    tu_read_csv(jobs_csv, &jobs);
    ck_assert_msg(run_check_job_rows(&jobs, &rule, why, sizeof why) == 0, "%s", why);
    for (size_t row = 1; row < jobs.nrows; row++) {
        long worker = (long)tu_num(&jobs, row, "worker"), rank = (long)tu_num(&jobs, row, "rank");
        long thread = (long)tu_num(&jobs, row, "thread"), pid = (long)tu_num(&jobs, row, "pid");

        ck_assert_int_lt(rank, ranks);
        ck_assert_int_lt(thread, t);
        ck_assert_int_eq(worker, rank * (long)t + thread); /* one to one onto (rank, thread) */
        ck_assert_str_eq(tu_field(&jobs, row, "host"), host);
        if (pids[rank] == 0)
            pids[rank] = pid, npids++;
        ck_assert_int_eq(pids[rank], pid); /* a rank is one process */
    }
    ck_assert_int_le(npids, ranks);
    csv_table_release(&jobs);
    free(jobs_csv);
    free(runs_csv);
    tu_rmrf(dir);
    tu_result_release(&r);
}

START_TEST(two_ranks_of_two_threads_share_one_queue_each_job_once)
{
    SKIP_WITHOUT_MPI();
    hybrid_run("2", "2");
}
END_TEST

START_TEST(one_rank_of_two_threads_and_two_ranks_of_one_are_both_valid)
{
    SKIP_WITHOUT_MPI();
    hybrid_run("1", "2");
    hybrid_run("2", "1");
}
END_TEST

/* Each rank's threads take jobs as long as there are any: with jobs long enough that
 * every worker gets one, 4 threads of their own in 2 processes. */
START_TEST(two_ranks_of_two_threads_are_four_threads_in_two_processes)
{
    char *dir, *jobs_csv;
    struct proc_result r;
    struct csv_table t;
    long tids[4], pids[2];
    size_t ntids = 0, npids = 0;

    SKIP_WITHOUT_MPI();
    dir = tu_tmpdir();
    jobs_csv = tu_path(dir, "jobs.csv");
    {
        /* jobs of ~20 ms: all 4 threads have begun long before the 40 jobs are gone */
        const char *args[] = {"-n", "120", "-j", "40", "-r", "1", "-q", "--threads", "2",
                              "--jobs-csv", jobs_csv, NULL};

        mpirun(&r, NULL, true, "2", args);
    }
    ck_assert_msg(r.status == 0, "status %d, said: %s", r.status, r.err);
    tu_read_csv(jobs_csv, &t);
    for (size_t row = 1; row < t.nrows; row++) {
        long tid = (long)tu_num(&t, row, "tid"), pid = (long)tu_num(&t, row, "pid");
        bool known = false;

        for (size_t i = 0; i < ntids; i++)
            known = known || tids[i] == tid;
        if (!known && ntids < 4)
            tids[ntids++] = tid;
        known = false;
        for (size_t i = 0; i < npids; i++)
            known = known || pids[i] == pid;
        if (!known && npids < 2)
            pids[npids++] = pid;
    }
    ck_assert_uint_eq(ntids, 4);
    ck_assert_uint_eq(npids, 2);
    csv_table_release(&t);
    free(jobs_csv);
    tu_rmrf(dir);
    tu_result_release(&r);
}
END_TEST

/* ---- a payload between ranks ----------------------------------------------------- */

/* Checks the jobs CSV of a payload run of `bytes`: every result and output right, and
 * the data moved only for the jobs of ranks other than 0, twice the payload each, in a
 * time of its own; returns how many jobs ran elsewhere than on rank 0. */
static size_t expect_payload_rows(const char *jobs_csv, double bytes)
{
    struct csv_table t;
    size_t elsewhere = 0;

    tu_read_csv(jobs_csv, &t);
    for (size_t row = 1; row < t.nrows; row++) {
        double copied = tu_num(&t, row, "bytes_copied"), copy_s = tu_num(&t, row, "copy_s");

        ck_assert_str_eq(tu_field(&t, row, "ok"), "1");
        if (tu_num(&t, row, "rank") == 0) {
            ck_assert_msg(copied == 0 && copy_s == 0, "row %zu: rank 0's job moved %g bytes in %g s",
                          row, copied, copy_s);
        } else {
            ck_assert_msg(copied == 2 * bytes && copy_s > 0,
                          "row %zu: rank %s's job moved %g bytes in %g s", row,
                          tu_field(&t, row, "rank"), copied, copy_s);
            elsewhere++;
        }
    }
    csv_table_release(&t);
    return elsewhere;
}

/* --payload between ranks, in messages of 4 KiB (PARLAB_MPI_CHUNK) so that a payload
 * of 10001 bytes takes three and a tail: on 2 ranks, and on 2 ranks x 2 threads. */
START_TEST(a_payload_travels_between_ranks_and_every_output_is_checked)
{
    static const char *const threads[] = {NULL, "2"};
    const char *env[] = {"PARLAB_MPI_CHUNK=4K", NULL};

    SKIP_WITHOUT_MPI();
    for (size_t i = 0; i < sizeof threads / sizeof threads[0]; i++) {
        char *dir = tu_tmpdir(), *jobs_csv = tu_path(dir, "jobs.csv");
        char *runs_csv = tu_path(dir, "runs.csv");
        const char *args[] = {"-n", "80", "-j", "12", "-r", "1", "-q", "--payload", "10001",
                              "--jobs-csv", jobs_csv, "--runs-csv", runs_csv,
                              threads[i] ? "--threads" : NULL, threads[i], NULL};
        struct proc_result r;
        struct csv_table t;

        mpirun(&r, env, true, "2", args);
        ck_assert_msg(r.status == 0, "--threads %s: status %d, said: %s",
                      threads[i] ? threads[i] : "none", r.status, r.err);
        tu_read_csv(runs_csv, &t);
        ck_assert_str_eq(tu_field(&t, 1, "payload_bytes"), "10001");
        ck_assert_str_eq(tu_field(&t, 1, "transport"), "mpi");
        ck_assert_str_ne(tu_field(&t, 1, "memcpy_gbs"), "");
        ck_assert_str_eq(tu_field(&t, 1, "jobs_ok"), "12");
        csv_table_release(&t);
        /* rank 1 takes its first job as rank 0 does, and 12 jobs of ~2 ms outlast it */
        ck_assert_uint_gt(expect_payload_rows(jobs_csv, 10001), 0);
        free(jobs_csv);
        free(runs_csv);
        tu_rmrf(dir);
        tu_result_release(&r);
    }
}
END_TEST

static char pids_file[4096];

/* argv of an mpirun whose first rank and the others have an environment of their own
 * (mpirun's `:`), each rank noting its pid in pids_file first (exec keeps it):
 * mpirun -q --oversubscribe -np 1 sh -c ... env ENV0 parlab-mpi ARGS : -np N ... */
static void mpmd_argv(const char **argv, size_t max, const char *env0, const char *others,
                      const char *env_others, const char *const *args)
{
    size_t n = 0;

    argv[n++] = "mpirun";
    argv[n++] = "-q";
    argv[n++] = "--oversubscribe";
    for (int part = 0; part < 2; part++) {
        if (part == 1)
            argv[n++] = ":";
        argv[n++] = "-np";
        argv[n++] = part == 0 ? "1" : others;
        argv[n++] = "sh";
        argv[n++] = "-c";
        argv[n++] = "echo $$ >>\"$0\"; exec \"$@\"";
        argv[n++] = pids_file;
        argv[n++] = "env";
        if ((part == 0 ? env0 : env_others) != NULL)
            argv[n++] = part == 0 ? env0 : env_others;
        argv[n++] = program();
        for (size_t i = 0; args[i] != NULL && n + 16 < max; i++)
            argv[n++] = args[i];
    }
    argv[n] = NULL;
}

/* Runs it, and stops it when it is not done within 20 s (a rank that waits for ever):
 * the test then fails, with no process of it left. */
static void mpmd_run(struct proc_result *r, const char *env0, const char *others,
                     const char *env_others, const char *const *args, double *took)
{
    const char *argv[96];
    struct proc_handle h;
    double t0 = clock_wall();
    bool hung;

    mpmd_argv(argv, 96, env0, others, env_others, args);
    tu_start_cmd(&h, tu_mpi_env(), argv);
    while (!ended(h.pid) && clock_wall() < t0 + 20)
        usleep(20000);
    *took = clock_wall() - t0;
    hung = !ended(h.pid);
    if (hung)
        kill(h.pid, SIGTERM); /* mpirun stops its ranks */
    tu_finish(&h, r);
    ck_assert_msg(!hung, "the run was still going after %.0f s; said: %s", *took, r->err);
}

/* The pids the ranks noted, each gone (or a zombie about to be reaped). */
static void expect_ranks_ended(size_t count)
{
    char *text = tu_read_file(pids_file), *p;
    pid_t pids[16];
    size_t n = 0;

    ck_assert_ptr_nonnull(text);
    for (p = text; *p != '\0' && n < 16; p++) {
        pids[n++] = (pid_t)strtol(p, &p, 10);
        if (*p == '\0')
            break;
    }
    free(text);
    ck_assert_uint_eq(n, count);
    expect_ended(pids, n);
}

/* PARLAB_FAULT=corrupt:any for one rank: rank 0 checks every output, its own jobs' where
 * they lie, the others' as they come back; a wrong one fails the run. */
START_TEST(a_corrupted_output_is_found_at_rank_0_wherever_it_was_made)
{
    const char *args[] = {"-n", "60", "-j", "12", "-r", "1", "-q", "--payload", "10001",
                          NULL, NULL, NULL, NULL, NULL};

    SKIP_WITHOUT_MPI();
    for (int corrupt_rank = 0; corrupt_rank < 2; corrupt_rank++) {
        struct tu_results d;
        struct proc_result r;
        char *dir = tu_tmpdir();
        double took;

        snprintf(pids_file, sizeof pids_file, "%s/pids", dir);
        tu_results_make(&d);
        args[9] = "--runs-csv", args[10] = d.runs, args[11] = "--jobs-csv", args[12] = d.jobs;
        mpmd_run(&r, corrupt_rank == 0 ? "PARLAB_FAULT=corrupt:any" : NULL, "1",
                 corrupt_rank == 1 ? "PARLAB_FAULT=corrupt:any" : NULL, args, &took);
        ck_assert_msg(r.status == 1, "corrupted on rank %d: status %d, said: %s", corrupt_rank,
                      r.status, r.err);
        ck_assert_msg(own_lines(r.err) == 1 &&
                          tu_mentions(r.err, "do not match the closed form", "nothing written",
                                      NULL),
                      "corrupted on rank %d: said: %s", corrupt_rank, r.err);
        tu_results_expect_untouched(&d);
        expect_ranks_ended(2);
        tu_results_remove(&d);
        tu_rmrf(dir);
        tu_result_release(&r);
    }
}
END_TEST

/* ---- a rank that fails alone ------------------------------------------------------ */

/* Once the ranks have agreed on the plan, a rank whose run fails where the others do
 * not know it (PARLAB_FAULT=fail:any for it alone, or its OpenMP team too small) must
 * not leave them waiting for its records: the run ends within seconds, rank 0 says
 * which rank failed and why in one line, nothing is written, and no rank is left.
 * `named` NULL: any of the ranks after rank 0 may be the one named. */
static void fail_alone(const char *env0, const char *others, const char *env_others,
                       const char *const *extra, const char *named, const char *why)
{
    struct tu_results d;
    struct proc_result r;
    char *dir = tu_tmpdir();
    const char *args[32] = {"-n", "60", "-j", "12", "-r", "2", "-q"};
    size_t n = 7;
    double took;

    snprintf(pids_file, sizeof pids_file, "%s/pids", dir);
    tu_results_make(&d);
    args[n++] = "--runs-csv", args[n++] = d.runs, args[n++] = "--jobs-csv", args[n++] = d.jobs;
    for (size_t i = 0; extra != NULL && extra[i] != NULL; i++)
        args[n++] = extra[i];
    args[n] = NULL;
    mpmd_run(&r, env0, others, env_others, args, &took);
    ck_assert_msg(r.status != 0, "status 0; said: %s", r.err);
    ck_assert_msg(own_lines(r.err) == 1 && tu_count_lines(r.err) == 1 &&
                      tu_mentions(r.err, named != NULL ? named : " (host ", why,
                                  "nothing written", NULL),
                  "said (in %.2f s): %s", took, r.err);
    if (named == NULL) {
        double k = tu_number_after(r.err, "parlab-mpi: rank ");

        ck_assert_msg(k >= 1 && k <= atoi(others), "said: %s", r.err);
    }
    tu_results_expect_untouched(&d);
    expect_ranks_ended(1 + (size_t)atoi(others));
    tu_results_remove(&d);
    tu_rmrf(dir);
    tu_result_release(&r);
}

START_TEST(a_rank_that_fails_alone_is_named_and_the_run_ends)
{
    static const char *const payload[] = {"--payload", "64K", NULL};
    char named[64];

    SKIP_WITHOUT_MPI();
    /* the first job of ranks 1 and 2 fails: rank 0 would wait for them in gather, and
     * names the first whose note it finds */
    fail_alone(NULL, "2", "PARLAB_FAULT=fail:any", NULL, NULL, "PARLAB_FAULT=fail:any");
    /* ... while rank 0's thread serves the payloads and rank 1 waits for its data */
    fail_alone(NULL, "1", "PARLAB_FAULT=fail:any", payload, "rank 1 (host",
               "PARLAB_FAULT=fail:any");
    /* rank 0 alone: its own line, and the others are stopped */
    snprintf(named, sizeof named, "rank 0 (host ");
    fail_alone("PARLAB_FAULT=fail:any", "2", NULL, NULL, named, "PARLAB_FAULT=fail:any");
    fail_alone("PARLAB_FAULT=fail:any", "1", NULL, payload, named, "PARLAB_FAULT=fail:any");
}
END_TEST

START_TEST(a_rank_whose_openmp_team_falls_short_is_named_and_the_run_ends)
{
    static const char *const hybrid[] = {"--threads", "2", NULL};

    SKIP_WITHOUT_MPI();
    fail_alone(NULL, "1", "OMP_THREAD_LIMIT=1", hybrid, "rank 1 (host",
               "OpenMP gave rank 1 1 thread instead of 2");
}
END_TEST

START_TEST(threads_is_refused_by_the_other_programs)
{
    static const char *const others[] = {"parlab-serial", "parlab-threads", "parlab-procs"};
    const char *args[] = {"--threads", "2", "-n", "10", NULL};

    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        struct proc_result r;

        tu_run(&r, others[i], args);
        ck_assert_int_eq(r.status, 2);
        ck_assert_msg(tu_count_lines(r.err) == 1 &&
                          tu_mentions(r.err, "--threads", "parlab-mpi", NULL) && r.out[0] == '\0',
                      "%s said: %s", others[i], r.err);
        tu_result_release(&r);
    }
}
END_TEST

static Suite *mpi_suite(void)
{
    Suite *s = suite_create("mpi");
    TCase *tc = tcase_create("ranks");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, twelve_jobs_on_three_ranks_each_once_on_its_own_rank);
    tcase_add_test(tc, without_mpirun_it_runs_as_one_rank);
    tcase_add_test(tc, every_rank_runs_the_simd_kernel_named);
    tcase_add_test(tc, a_bad_command_line_is_one_line_from_rank_0);
    tcase_add_test(tc, a_segv_in_rank_1_is_named_and_nothing_is_written);
    tcase_add_test(tc, a_rank_killed_with_sigkill_is_named_and_nothing_is_written);
    tcase_add_test(tc, a_crashing_job_ends_the_run_with_nothing_written);
    tcase_add_test(tc, a_hung_rank_is_stopped_at_the_timeout);
    tcase_add_test(tc, with_the_lock_held_each_rank_has_its_own_lock);
    tcase_add_test(tc, a_program_beside_another_rank_shows_in_other_cpu);
    tcase_add_test(tc, two_ranks_of_two_threads_share_one_queue_each_job_once);
    tcase_add_test(tc, one_rank_of_two_threads_and_two_ranks_of_one_are_both_valid);
    tcase_add_test(tc, two_ranks_of_two_threads_are_four_threads_in_two_processes);
    tcase_add_test(tc, a_payload_travels_between_ranks_and_every_output_is_checked);
    tcase_add_test(tc, a_corrupted_output_is_found_at_rank_0_wherever_it_was_made);
    tcase_add_test(tc, a_rank_that_fails_alone_is_named_and_the_run_ends);
    tcase_add_test(tc, a_rank_whose_openmp_team_falls_short_is_named_and_the_run_ends);
    tcase_add_test(tc, threads_is_refused_by_the_other_programs);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(mpi_suite());
}
