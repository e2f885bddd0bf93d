/*
 * parlab-overhead - what one job costs each way of running, beyond its work: the
 * EPCC micro-benchmark method (src/lib/overhead.c, docs/overhead.md).
 *
 * Each case runs the same work twice: the reference (inner jobs in a plain loop on one
 * thread) and the test (inner x W jobs through a queue on W workers, or the work inside
 * an OpenMP construct).  The difference per repetition is the overhead: what each worker
 * loses per job it takes.  J jobs of t seconds on W workers then take about
 * (J / W)(t + o), so a job pays off at 90% of the ideal speedup from t = 9 o.
 *
 *   bin/parlab-overhead                      # every case at W = 1 .. PUs
 *   bin/parlab-overhead -w 2 --case queue    # the queues only, at W = 2
 *   bin/parlab-overhead --case delay:30 -w 1 # the method's own check: 30 us of spin
 *   bin/parlab-overhead --overhead-csv results/overhead.csv
 *
 * This program uses OpenMP and forks.  libgomp is not fork-safe: a child forked after
 * a parallel region has only the forking thread and may hang in its first region.  So
 * every case that forks (the procs pool, fork-per-job, mpirun) runs before the first
 * OpenMP region, and no forked child ever calls OpenMP.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <omp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "parlab/cli.h"
#include "parlab/clock.h"
#include "parlab/csv.h"
#include "parlab/die.h"
#include "parlab/interrupt.h"
#include "parlab/job.h"
#include "parlab/kernel.h"
#include "parlab/lock.h"
#include "parlab/machine.h"
#include "parlab/overhead.h"
#include "parlab/payload.h"
#include "parlab/plan.h"
#include "parlab/pool.h"
#include "parlab/tool.h"

#define PROGRAM "parlab-overhead"
#define DEFAULT_SIZE 11      /* C(11,4) = 330 steps: about a microsecond */
#define MAX_SIZE 300         /* C(300,4) steps: about a second a job */
#define MAX_TEST_MS 1000.0
#define MAX_DELAY_US 100000.0
#define PIPE_PAYLOAD 8       /* bytes each way for procs-pipe: one word, the mechanism */

/* What every case shares: the work, the workers, and what went wrong. */
struct bench {
    unsigned workers;
    uint64_t n;
    double expected;       /* kernel_closed_form(n) */
    double delay_s;        /* delay:US */
    unsigned long jobs, bad; /* kernel results checked, and wrong */
    const char *mpi_bin, *mpirun;
    char error[512];
};

/* One job: the kernel, its result checked.  1 when it is wrong. */
static inline unsigned job_bad(const struct bench *b)
{
    return !kernel_result_ok(kernel_run(b->n), b->expected);
}

__attribute__((format(printf, 2, 3))) static int fail(struct bench *b, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(b->error, sizeof b->error, fmt, ap);
    va_end(ap);
    return -1;
}

/* Counts the results checked; -1 when one was wrong. */
static int tally(struct bench *b, unsigned long jobs, unsigned long bad)
{
    b->jobs += jobs;
    b->bad += bad;
    if (bad > 0)
        return fail(b, "%lu of %lu job results do not match the closed form", bad, jobs);
    return 0;
}

/* ---- the references ------------------------------------------------------------ */

/* inner jobs in a plain loop, on this thread: the reference of every case but atomic. */
static int ref_jobs(void *ctx, uint64_t inner, unsigned count, double *seconds)
{
    struct bench *b = ctx;
    unsigned long bad = 0;

    for (unsigned c = 0; c < count; c++) {
        double t0 = clock_wall();

        for (uint64_t j = 0; j < inner; j++)
            bad += job_bad(b);
        seconds[c] = clock_wall() - t0;
    }
    return tally(b, inner * count, bad);
}

/* EPCC's referatom: the update that atomic protects, unprotected. */
#define ATOMIC_FACTOR (1.0 + 1.0e-15)
static int atomic_sum_ok(struct bench *b, double sum, uint64_t inner)
{
    /* each term is 1 grown by at most 1e-15 per update: the sum is inner within 1e-5 */
    if (!(fabs(sum - (double)inner) <= 1e-5 * (double)inner))
        return fail(b, "the atomic updates summed to %.17g, not about %llu", sum,
                    (unsigned long long)inner);
    return 0;
}

static int ref_atomic(void *ctx, uint64_t inner, unsigned count, double *seconds)
{
    struct bench *b = ctx;

    for (unsigned c = 0; c < count; c++) {
        double t0 = clock_wall(), sum = 0.0, term = 1.0;

        for (uint64_t j = 0; j < inner; j++) {
            sum += term;
            term *= ATOMIC_FACTOR;
        }
        seconds[c] = clock_wall() - t0;
        if (atomic_sum_ok(b, sum, inner) != 0)
            return -1;
    }
    return 0;
}

/* ---- the check: a known overhead -------------------------------------------- */

/* Busy for `seconds` on CLOCK_MONOTONIC: a cost that wall time sees whatever runs
 * beside it. */
static void spin(double seconds)
{
    double end = clock_wall() + seconds;

    while (clock_wall() < end)
        ;
}

/* The reference's loop with a spin of delay:US in each repetition: the method must
 * report US. */
static int test_delay(void *ctx, uint64_t inner, unsigned count, double *seconds)
{
    struct bench *b = ctx;
    unsigned long bad = 0;

    for (unsigned c = 0; c < count; c++) {
        double t0 = clock_wall();

        for (uint64_t j = 0; j < inner; j++) {
            bad += job_bad(b);
            spin(b->delay_s);
        }
        seconds[c] = clock_wall() - t0;
    }
    return tally(b, inner * count, bad);
}

/* ---- the procs pool (src/lib/pool.c), as parlab-procs runs it ---------------------- */

/* The pool's own code, in each child: take a job, run it, send its record.  With a
 * payload the parent handed the job through the child's pipe with its input, and the
 * output goes back the same way.  The child runs no OpenMP (see the top). */
static void pool_child(struct pool *pool, unsigned worker, void *arg)
{
    const struct bench *b = arg;
    const struct plan *plan = pool->plan;
    struct job_record rec;
    long k;

    while ((k = pool_take(pool)) >= 0) {
        memset(&rec, 0, sizeof rec);
        rec.job = (uint32_t)k;
        rec.worker = worker;
        rec.result = kernel_run(b->n);
        rec.ok = kernel_result_ok(rec.result, b->expected);
        rec.done = 1;
        rec.rank = rec.thread = -1;
        if (plan->payload > 0)
            payload_transform(plan->buffers[worker].in, plan->buffers[worker].out,
                              plan->payload, (unsigned)k);
        rec.t_end_s = clock_wall(); /* one clock for every process */
        if (pool_send(pool, &rec) != 0)
            _exit(EXIT_FAILURE);
    }
}

/* One pool run of count x inner x W jobs, as one stream: measurement c is the time
 * from the end of the last job of batch c - 1 to the end of the last of batch c (the
 * jobs are taken in order), so starting the children is in the first measurement (the
 * warm-up) only, and the workers never wait between measurements. */
static int test_pool(struct bench *b, uint64_t payload, uint64_t inner, unsigned count,
                     double *seconds)
{
    uint64_t batch = inner * b->workers, total = batch * count;
    struct plan plan;
    struct pool pool;
    struct job_record *jobs;
    struct payload_buffers *buffers = NULL;
    char err[256];
    unsigned long bad = 0;
    double end = 0, t_start;
    int rc = -1;

    if (total > UINT32_MAX / 2)
        return fail(b, "%llu jobs in one pool run are more than it counts",
                    (unsigned long long)total);
    memset(&plan, 0, sizeof plan);
    plan.workers = b->workers;
    plan.jobs = (unsigned)total;
    plan.payload = payload;
    plan.transport = TRANSPORT_PIPE;
    jobs = calloc(total, sizeof *jobs);
    if (payload > 0) {
        buffers = calloc(b->workers + 1, sizeof *buffers);
        for (unsigned w = 0; buffers != NULL && w <= b->workers; w++)
            if ((buffers[w].in = payload_alloc(payload, false)) == NULL ||
                (buffers[w].out = payload_alloc(payload, false)) == NULL)
                goto out_of_memory;
    }
    if (jobs == NULL || (payload > 0 && buffers == NULL))
        goto out_of_memory;
    plan.buffers = buffers;

    t_start = clock_wall();
    if (pool_start(&pool, &plan, pool_child, b) != 0) {
        fail(b, "cannot start %u worker processes: %s", b->workers, strerror(errno));
        goto done;
    }
    if (pool_finish(&pool, jobs, err, sizeof err) != 0) {
        fail(b, "%s", err);
        goto done;
    }
    for (unsigned c = 0; c < count; c++) {
        double last = 0;

        for (uint64_t k = c * batch; k < (c + 1) * batch; k++) {
            if (!jobs[k].done || (payload > 0 && !jobs[k].payload_ok)) {
                fail(b, "job %llu of the pool came back %s", (unsigned long long)k,
                     jobs[k].done ? "with a wrong payload" : "without a record");
                goto done;
            }
            bad += !jobs[k].ok;
            if (jobs[k].t_end_s > last)
                last = jobs[k].t_end_s;
        }
        /* A worker preempted during batch c - 1's last job may end it after batch c's
         * last: the batch is done when both are, so the ends only ever move on (a
         * measurement is then 0 and its neighbour long, never negative). */
        if (c > 0 && last < end)
            last = end;
        seconds[c] = last - (c == 0 ? t_start : end);
        end = last;
    }
    rc = tally(b, total, bad);
    goto done;
out_of_memory:
    fail(b, "cannot allocate %llu job records: %s", (unsigned long long)total, strerror(errno));
done:
    for (unsigned w = 0; buffers != NULL && w <= b->workers; w++) {
        if (buffers[w].in != NULL)
            payload_free(buffers[w].in, payload);
        if (buffers[w].out != NULL)
            payload_free(buffers[w].out, payload);
    }
    free(buffers);
    free(jobs);
    return rc;
}

/* Without a payload: the shared counter in memory, the records through one pipe. */
static int test_procs_counter(void *ctx, uint64_t inner, unsigned count, double *seconds)
{
    return test_pool(ctx, 0, inner, count, seconds);
}

/* With a payload: the parent hands each job to an idle child through its pipe. */
static int test_procs_pipe(void *ctx, uint64_t inner, unsigned count, double *seconds)
{
    return test_pool(ctx, PIPE_PAYLOAD, inner, count, seconds);
}

/* ---- a new process per job ----------------------------------------------------- */

static pid_t reap(pid_t pid, int *status)
{
    pid_t r;

    do
        r = waitpid(pid, status, 0);
    while (r < 0 && errno == EINTR);
    return r;
}

/* inner x W jobs, each in a child of its own (fork, run, exit, wait), W at a time.
 * Ctrl-C is held back while children run; they are waited for, then it acts. */
static int test_fork(void *ctx, uint64_t inner, unsigned count, double *seconds)
{
    struct bench *b = ctx;
    uint64_t total = inner * b->workers;
    unsigned long bad = 0;
    int rc = 0;

    fflush(NULL); /* no child may hold a copy of unwritten output */
    interrupt_defer(true);
    for (unsigned c = 0; c < count && rc == 0; c++) {
        uint64_t started = 0, ended = 0;
        unsigned running = 0;
        double t0 = clock_wall();

        while (ended < started || (started < total && rc == 0)) {
            int status;
            pid_t pid;

            while (rc == 0 && running < b->workers && started < total) {
                if (interrupt_pending() != 0) {
                    rc = fail(b, "interrupted by signal %d (%s)", interrupt_pending(),
                              strsignal(interrupt_pending()));
                    break;
                }
                pid = fork();
                if (pid < 0) {
                    rc = fail(b, "cannot fork: %s", strerror(errno));
                    break;
                }
                if (pid == 0) /* no OpenMP here: see the top */
                    _exit(job_bad(b) ? 3 : 0);
                started++;
                running++;
            }
            if (running == 0)
                break;
            if (reap(-1, &status) < 0) {
                rc = fail(b, "cannot wait for a job's process: %s", strerror(errno));
                break;
            }
            running--;
            ended++;
            if (WIFEXITED(status) && WEXITSTATUS(status) == 3)
                bad++;
            else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                rc = fail(b, "a job's process ended with status %d", status);
        }
        seconds[c] = clock_wall() - t0;
    }
    if (rc == 0)
        rc = tally(b, total * count, bad);
    if (interrupt_pending() == 0)
        interrupt_defer(false);
    return rc;
}

/* ---- MPI ranks: parlab-mpi's queue, through mpirun ------------------------------- */

/* The processes `pid` has started, from any of its threads (Linux's
 * /proc/PID/task/TID/children), at most max. */
static size_t children_of(pid_t pid, pid_t *out, size_t max)
{
    char path[96];
    size_t n = 0;
    struct dirent *e;
    DIR *tasks;

    snprintf(path, sizeof path, "/proc/%ld/task", (long)pid);
    if ((tasks = opendir(path)) == NULL)
        return 0;
    while (n < max && (e = readdir(tasks)) != NULL) {
        long child;
        FILE *f;

        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "/proc/%ld/task/%.20s/children", (long)pid, e->d_name);
        if ((f = fopen(path, "r")) == NULL)
            continue;
        while (n < max && fscanf(f, "%ld", &child) == 1)
            out[n++] = (pid_t)child;
        fclose(f);
    }
    closedir(tasks);
    return n;
}

/* Runs `argv` with stdout to /dev/null and stderr to `err_path`, waiting for it;
 * Ctrl-C or SIGTERM stop it (mpirun then stops its ranks), and it dies with us. */
static int run_quietly(struct bench *b, char *const *argv, const char *err_path)
{
    pid_t parent = getpid(), pid;
    int status;

    fflush(NULL);
    interrupt_defer(true);
    pid = fork();
    if (pid < 0) {
        interrupt_defer(false);
        return fail(b, "cannot fork: %s", strerror(errno));
    }
    if (pid == 0) { /* no OpenMP here: see the top */
        int out = open("/dev/null", O_WRONLY), err = open(err_path, O_WRONLY | O_CREAT, 0600);

        interrupt_reset_in_child();
        setpgid(0, 0); /* mpirun and its ranks: a group to stop as one */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent || out < 0 || err < 0)
            _exit(126);
        dup2(out, STDOUT_FILENO);
        dup2(err, STDERR_FILENO);
        execv(argv[0], argv);
        _exit(127);
    }
    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        struct timespec pause = {0, 2000000};

        if (r == pid)
            break;
        if (r < 0 && errno != EINTR) {
            interrupt_defer(false);
            return fail(b, "cannot wait for mpirun: %s", strerror(errno));
        }
        if (interrupt_pending() != 0) {
            /* mpirun stops its ranks, but may end before they have (they are in a
             * group of their own): those it had started are killed once it has ended */
            pid_t ranks[64];
            size_t nranks = children_of(pid, ranks, 64);

            kill(-pid, SIGTERM);
            reap(pid, &status);
            kill(-pid, SIGKILL);
            for (size_t i = 0; i < nranks; i++)
                kill(ranks[i], SIGKILL);
            return fail(b, "interrupted by signal %d (%s); mpirun was stopped",
                        interrupt_pending(), strsignal(interrupt_pending()));
        }
        nanosleep(&pause, NULL);
    }
    interrupt_defer(false);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        char *text = NULL;
        size_t len = 0;
        FILE *f = fopen(err_path, "r");

        /* its first line with words: Open MPI frames its messages in lines of dashes */
        while (f != NULL && getline(&text, &len, f) > 0) {
            text[strcspn(text, "\n")] = '\0';
            if (strpbrk(text, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") != NULL)
                break;
            text[0] = '\0';
        }
        if (text != NULL && text[0] == '\0') {
            free(text);
            text = NULL;
        }
        if (f != NULL)
            fclose(f);
        fail(b, "mpirun ended with status %d: %s", WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
             text != NULL ? text : "it said nothing");
        free(text);
        return -1;
    }
    return 0;
}

/* One mpirun of parlab-mpi with inner x W jobs and `count` runs: each run's wall_s
 * (rank 0's clock around the run, after a barrier) is one measurement.  parlab-mpi's
 * own warm-up runs before them, uncounted. */
static int test_mpi(void *ctx, uint64_t inner, unsigned count, double *seconds)
{
    struct bench *b = ctx;
    char dir[PATH_MAX], csv[PATH_MAX + 16], err[PATH_MAX + 16], np[16], jobs[24], n[24],
        reps[16];
    struct csv_table t;
    int rc = -1, wall, rep, ok, njobs;

    if (inner * b->workers > CLI_MAX_JOBS)
        return fail(b, "%llu jobs are more than parlab-mpi takes (%u)",
                    (unsigned long long)(inner * b->workers), CLI_MAX_JOBS);
    snprintf(dir, sizeof dir, "%s/parlab-overhead-XXXXXX", csv_spool_dir());
    if (mkdtemp(dir) == NULL)
        return fail(b, "cannot make a directory in '%s': %s", csv_spool_dir(), strerror(errno));
    snprintf(csv, sizeof csv, "%s/runs.csv", dir);
    snprintf(err, sizeof err, "%s/stderr", dir);
    snprintf(np, sizeof np, "%u", b->workers);
    snprintf(jobs, sizeof jobs, "%llu", (unsigned long long)(inner * b->workers));
    snprintf(n, sizeof n, "%llu", (unsigned long long)b->n);
    snprintf(reps, sizeof reps, "%u", count);
    {
        char *argv[] = {(char *)b->mpirun, "-np", np, "--oversubscribe", "--bind-to", "none",
                        (char *)b->mpi_bin, "-q", "-j", jobs, "-n", n, "-r", reps,
                        "--runs-csv", csv, NULL};

        if (run_quietly(b, argv, err) != 0)
            goto done;
    }
    if (csv_read_file(csv, &t) != 0) {
        char why[512];

        csv_read_error(&t, csv, why, sizeof why);
        fail(b, "%s", why);
        goto done;
    }
    wall = csv_column(&t, "wall_s");
    rep = csv_column(&t, "rep");
    ok = csv_column(&t, "jobs_ok");
    njobs = csv_column(&t, "jobs");
    if (wall < 0 || rep < 0 || ok < 0 || njobs < 0 || t.nrows != count + 1) {
        fail(b, "parlab-mpi wrote %zu runs, not %u", t.nrows ? t.nrows - 1 : 0, count);
    } else {
        rc = 0;
        for (size_t r = 1; r <= count && rc == 0; r++) {
            unsigned long got = strtoul(csv_field(&t, r, ok), NULL, 10);
            unsigned long want = strtoul(csv_field(&t, r, njobs), NULL, 10);
            double s;

            if (csv_parse_seconds(csv_field(&t, r, wall), &s) != 0)
                rc = fail(b, "parlab-mpi wrote wall_s \"%s\"", csv_field(&t, r, wall));
            else
                seconds[r - 1] = s;
            if (rc == 0)
                rc = tally(b, want, want - (got < want ? got : want));
        }
    }
    csv_table_release(&t);
done:
    unlink(csv);
    unlink(err);
    rmdir(dir);
    return rc;
}

/* ---- OpenMP: queues --------------------------------------------------------------- */

/* An OpenMP team of exactly W threads, or the reason there is none. */
static int team_ok(struct bench *b, int team)
{
    if (team != (int)b->workers)
        return fail(b, "OpenMP gave %d threads instead of %u (OMP_THREAD_LIMIT?)", team,
                    b->workers);
    return 0;
}

static int test_omp_loop(struct bench *b, bool dynamic, uint64_t inner, unsigned count,
                         double *seconds)
{
    const long total = (long)(inner * b->workers);
    const int workers = (int)b->workers;
    unsigned long bad = 0;
    int team = 0;

    for (unsigned c = 0; c < count; c++) {
        double t0 = clock_wall();

        if (dynamic) {
#pragma omp parallel num_threads(workers) reduction(+ : bad)
            {
                if (omp_get_thread_num() == 0)
                    team = omp_get_num_threads();
#pragma omp for schedule(dynamic, 1)
                for (long k = 0; k < total; k++)
                    bad += job_bad(b);
            }
        } else {
#pragma omp parallel num_threads(workers) reduction(+ : bad)
            {
                if (omp_get_thread_num() == 0)
                    team = omp_get_num_threads();
#pragma omp for schedule(static)
                for (long k = 0; k < total; k++)
                    bad += job_bad(b);
            }
        }
        seconds[c] = clock_wall() - t0;
        if (team_ok(b, team) != 0)
            return -1;
    }
    return tally(b, (unsigned long)total * count, bad);
}

static int test_dynamic1(void *ctx, uint64_t inner, unsigned count, double *seconds)
{
    return test_omp_loop(ctx, true, inner, count, seconds);
}

static int test_static(void *ctx, uint64_t inner, unsigned count, double *seconds)
{
    return test_omp_loop(ctx, false, inner, count, seconds);
}

/* ---- OpenMP: EPCC syncbench's constructs ---------------------------------------- */

/* Thread t's share of `inner` executions among W threads: together exactly inner. */
static uint64_t share(uint64_t inner, unsigned workers, int t)
{
    return inner / workers + ((uint64_t)t < inner % workers);
}

enum construct { PARALLEL, BARRIER, LOCK, CRITICAL, REDUCTION };

static int test_construct(struct bench *b, enum construct what, uint64_t inner, unsigned count,
                          double *seconds)
{
    const int workers = (int)b->workers;
    unsigned long bad = 0, jobs = 0;
    int team = 0;

    for (unsigned c = 0; c < count; c++) {
        double t0 = clock_wall();
        long sum = 0;

        switch (what) {
        case PARALLEL: /* a region per repetition, the work in each thread */
            for (uint64_t j = 0; j < inner; j++) {
#pragma omp parallel num_threads(workers)
                {
                    unsigned wrong = job_bad(b);
                    if (wrong) {
#pragma omp atomic
                        bad += wrong;
                    }
                    if (omp_get_thread_num() == 0)
                        team = omp_get_num_threads();
                }
            }
            jobs += inner * b->workers;
            break;
        case BARRIER: /* one region, a barrier after each repetition's work */
#pragma omp parallel num_threads(workers) reduction(+ : bad)
            {
                if (omp_get_thread_num() == 0)
                    team = omp_get_num_threads();
                for (uint64_t j = 0; j < inner; j++) {
                    bad += job_bad(b);
#pragma omp barrier
                }
            }
            jobs += inner * b->workers;
            break;
        case LOCK: /* parlab's --lock mutex around the work; inner executions in all */
#pragma omp parallel num_threads(workers) reduction(+ : bad)
            {
                int t = omp_get_thread_num();
                if (t == 0)
                    team = omp_get_num_threads();
                for (uint64_t j = share(inner, b->workers, t); j > 0; j--) {
                    lock_take();
                    bad += job_bad(b);
                    lock_give();
                }
            }
            jobs += inner;
            break;
        case CRITICAL:
#pragma omp parallel num_threads(workers) reduction(+ : bad)
            {
                int t = omp_get_thread_num();
                if (t == 0)
                    team = omp_get_num_threads();
                for (uint64_t j = share(inner, b->workers, t); j > 0; j--) {
#pragma omp critical
                    bad += job_bad(b);
                }
            }
            jobs += inner;
            break;
        case REDUCTION: /* a region per repetition that sums one number per thread */
            for (uint64_t j = 0; j < inner; j++) {
#pragma omp parallel num_threads(workers) reduction(+ : sum)
                {
                    sum += 1 + 1000L * (long)job_bad(b); /* a wrong result shows in the sum */
                    if (omp_get_thread_num() == 0)
                        team = omp_get_num_threads();
                }
            }
            jobs += inner * b->workers;
            if (sum != (long)(inner * b->workers)) {
                long wrong = (sum - (long)(inner * b->workers)) / 1000;
                if (wrong <= 0)
                    return fail(b, "the reduction summed to %ld, not %llu", sum,
                                (unsigned long long)(inner * b->workers));
                bad += (unsigned long)wrong;
            }
            break;
        }
        seconds[c] = clock_wall() - t0;
        if (team_ok(b, team) != 0)
            return -1;
    }
    return tally(b, jobs, bad);
}

static int test_parallel(void *ctx, uint64_t inner, unsigned count, double *seconds)
{
    return test_construct(ctx, PARALLEL, inner, count, seconds);
}
static int test_barrier(void *ctx, uint64_t inner, unsigned count, double *seconds)
{
    return test_construct(ctx, BARRIER, inner, count, seconds);
}
static int test_lock(void *ctx, uint64_t inner, unsigned count, double *seconds)
{
    return test_construct(ctx, LOCK, inner, count, seconds);
}
static int test_critical(void *ctx, uint64_t inner, unsigned count, double *seconds)
{
    return test_construct(ctx, CRITICAL, inner, count, seconds);
}
static int test_reduction(void *ctx, uint64_t inner, unsigned count, double *seconds)
{
    return test_construct(ctx, REDUCTION, inner, count, seconds);
}

/* EPCC's testatom: each thread its share of inner updates of one shared sum. */
static int test_atomic(void *ctx, uint64_t inner, unsigned count, double *seconds)
{
    struct bench *b = ctx;
    const int workers = (int)b->workers;
    int team = 0;

    for (unsigned c = 0; c < count; c++) {
        double t0 = clock_wall(), sum = 0.0;

#pragma omp parallel num_threads(workers)
        {
            int t = omp_get_thread_num();
            double term = 1.0;

            if (t == 0)
                team = omp_get_num_threads();
            for (uint64_t j = share(inner, b->workers, t); j > 0; j--) {
#pragma omp atomic
                sum += term;
                term *= ATOMIC_FACTOR;
            }
        }
        seconds[c] = clock_wall() - t0;
        if (team_ok(b, team) != 0 || atomic_sum_ok(b, sum, inner) != 0)
            return -1;
    }
    return 0;
}

/* ---- the cases ----------------------------------------------------------------------- */

struct ocase {
    const char *name, *kind, *backend;
    bool openmp; /* runs OpenMP regions: after every case that forks */
    overhead_measure_fn *reference, *test;
    const char *what; /* for --help */
};

/* In the order they run: every forking case before the first OpenMP region. */
static const struct ocase cases[] = {
    {"procs-counter", "queue", "parlab-procs", false, ref_jobs, test_procs_counter,
     "the procs pool's shared counter; records back through one pipe"},
    {"procs-pipe", "queue", "", false, ref_jobs, test_procs_pipe,
     "the procs pool handing each job out through a child's pipe (8-byte payload)"},
    {"fork-per-job", "queue", "", false, ref_jobs, test_fork,
     "a new process per job: fork, run, exit, wait (W at a time)"},
    {"mpi-ranks", "queue", "parlab-mpi", false, ref_jobs, test_mpi,
     "parlab-mpi's queue (MPI_Fetch_and_op) under mpirun, from its runs' wall_s"},
    {"omp-dynamic1", "queue", "parlab-threads", true, ref_jobs, test_dynamic1,
     "an OpenMP loop, schedule(dynamic,1): parlab-threads' default"},
    {"omp-static", "queue", "", true, ref_jobs, test_static,
     "an OpenMP loop, schedule(static): one block per thread"},
    {"parallel", "construct", "", true, ref_jobs, test_parallel,
     "a parallel region per repetition"},
    {"barrier", "construct", "", true, ref_jobs, test_barrier, "a barrier per repetition"},
    {"lock", "construct", "", true, ref_jobs, test_lock,
     "parlab's --lock mutex (src/lib/lock.c) taken and given back"},
    {"critical", "construct", "", true, ref_jobs, test_critical, "a critical section"},
    {"atomic", "construct", "", true, ref_atomic, test_atomic,
     "an atomic update of a shared sum (no work: EPCC's definition)"},
    {"reduction", "construct", "", true, ref_jobs, test_reduction,
     "a parallel region with reduction(+) per repetition"},
};
#define NCASES (sizeof cases / sizeof cases[0])
static const struct ocase delay_case = {"delay", "check", "", false, ref_jobs, test_delay, ""};

struct request {
    unsigned workers; /* 0: every W from 1 to PUs */
    bool chosen[NCASES];
    bool any_chosen;
    double delay_us;  /* > 0: delay:US */
    double test_time_s;
    unsigned outer;
    uint64_t n;
    const char *csv;
    const char *label;
    bool quiet;
};

enum { OPT_CASE = 256, OPT_TEST_TIME, OPT_OUTER, OPT_CSV, OPT_LABEL };

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: parlab-overhead [-w W] [--case LIST] [--test-time MS] [--outer-reps N]\n"
            "                       [--overhead-csv FILE] [-n N] [--label NAME] [-q]\n"
            "Measures what one job costs each way of running beyond its work, and what the\n"
            "OpenMP constructs cost, by the EPCC micro-benchmark method: a reference (the\n"
            "work alone) and a test (the work inside the construct), the inner repetitions\n"
            "doubled until one test lasts the test time, one untimed warm-up and N timed\n"
            "outer repetitions; overhead = (test - reference) per repetition.  See\n"
            "docs/overhead.md.\n\n"
            "Options:\n"
            "  -w, --workers W       only W workers (1 to the usable PUs; default: each W\n"
            "                        from 1 to the usable PUs)\n"
            "      --case LIST       comma-separated cases (below), or queue, constructs,\n"
            "                        all (the default), and delay:US (only when named)\n"
            "      --test-time MS    the doubling's target, milliseconds (default 1; at most\n"
            "                        %g)\n"
            "      --outer-reps N    timed outer repetitions (default 20; 1 to %u)\n"
            "      --overhead-csv FILE  append a row per case and W to FILE (locked, as\n"
            "                        the runs CSV; created with its header)\n"
            "  -n N                  the kernel size of one job, wait_loop(n) (default %d,\n"
            "                        about a microsecond; 1 to %d)\n"
            "      --label NAME      who measured (the CSV's label; default $PARLAB_LABEL)\n"
            "  -q, --quiet           print only the table\n"
            "  -h, --help            print this help and exit\n"
            "  -V, --version         print the version and exit\n\n"
            "Cases (queues: per job; constructs: per execution, EPCC syncbench):\n",
            MAX_TEST_MS, CLI_MAX_REPS, DEFAULT_SIZE, MAX_SIZE);
    for (size_t i = 0; i < NCASES; i++)
        fprintf(out, "  %-14s %-9s %s\n", cases[i].name, cases[i].kind, cases[i].what);
    fprintf(out, "  %-14s %-9s %s\n", "delay:US", "check",
            "the reference plus a spin of US microseconds per repetition:\n"
            "                           the overhead reported must be US (the method's test)");
}

/* Milliseconds or microseconds: a plain decimal number in (0, max]. */
static int parse_positive(const char *text, double max, double *out)
{
    double v;

    if (csv_parse_seconds(text, &v) != 0 || !(v > 0) || v > max)
        return -1;
    *out = v;
    return 0;
}

static void choose_cases(struct request *req, const char *list)
{
    for (const char *p = list;; p++) {
        size_t len = strcspn(p, ",");
        char word[64];
        bool queue, constructs, all;

        if (len == 0 || len >= sizeof word)
            die_usage("invalid value '%s' for --case: expected names separated by single "
                      "commas",
                      list);
        memcpy(word, p, len);
        word[len] = '\0';
        queue = strcmp(word, "queue") == 0;
        constructs = strcmp(word, "constructs") == 0;
        all = strcmp(word, "all") == 0;
        if (strncmp(word, "delay:", 6) == 0) {
            if (parse_positive(word + 6, MAX_DELAY_US, &req->delay_us) != 0)
                die_usage("invalid value '%s' in --case: expected delay:US with US "
                          "microseconds above 0, at most %g",
                          word, MAX_DELAY_US);
        } else if (queue || constructs || all) {
            for (size_t i = 0; i < NCASES; i++)
                if (all || strcmp(cases[i].kind, queue ? "queue" : "construct") == 0)
                    req->chosen[i] = true;
        } else {
            size_t i = 0;

            while (i < NCASES && strcmp(cases[i].name, word) != 0)
                i++;
            if (i == NCASES)
                die_usage("unknown case '%s' in --case: expected one of procs-counter, "
                          "procs-pipe, fork-per-job, mpi-ranks, omp-dynamic1, omp-static, "
                          "parallel, barrier, lock, critical, atomic, reduction, queue, "
                          "constructs, all, delay:US",
                          word);
            req->chosen[i] = true;
        }
        p += len;
        if (*p == '\0')
            break;
    }
    req->any_chosen = true;
}

static void take_option(int opt, const char *arg, const char *name, void *ctx)
{
    struct request *req = ctx;
    unsigned long long v;

    switch (opt) {
    case 'w':
        if (cli_parse_count(arg, 1, CLI_MAX_WORKERS, &v) != 0)
            die_usage("invalid value '%s' for --%s: expected a whole number from 1 to %u", arg,
                      name, CLI_MAX_WORKERS);
        req->workers = (unsigned)v;
        break;
    case 'n':
        if (cli_parse_count(arg, 1, MAX_SIZE, &v) != 0)
            die_usage("invalid value '%s' for -n: expected a whole number from 1 to %d", arg,
                      MAX_SIZE);
        req->n = v;
        break;
    case 'q':
        req->quiet = true;
        break;
    case OPT_CASE:
        choose_cases(req, arg);
        break;
    case OPT_TEST_TIME:
        if (parse_positive(arg, MAX_TEST_MS, &req->test_time_s) != 0)
            die_usage("invalid value '%s' for --%s: expected milliseconds above 0, at most %g",
                      arg, name, MAX_TEST_MS);
        req->test_time_s /= 1e3;
        break;
    case OPT_OUTER:
        if (cli_parse_count(arg, 1, CLI_MAX_REPS, &v) != 0)
            die_usage("invalid value '%s' for --%s: expected a whole number from 1 to %u", arg,
                      name, CLI_MAX_REPS);
        req->outer = (unsigned)v;
        break;
    case OPT_CSV:
        req->csv = tool_path(name, arg);
        break;
    case OPT_LABEL:
        if (!cli_label_ok(arg))
            die_usage("invalid value for --label: expected a name or id of 1 to %u printable "
                      "characters",
                      CLI_MAX_LABEL);
        req->label = arg;
        break;
    }
}

/* The path of parlab-mpi beside this program, and mpirun on PATH; NULL and why when
 * either is missing. */
static const char *find_mpi(struct bench *b, char *why, size_t len)
{
    static char self[PATH_MAX], mpirun[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 16);
    const char *path = getenv("PATH");

    if (n <= 0) {
        snprintf(why, len, "cannot find this program's directory");
        return NULL;
    }
    self[n] = '\0';
    strcpy(strrchr(self, '/') + 1, "parlab-mpi");
    if (access(self, X_OK) != 0) {
        snprintf(why, len, "no parlab-mpi beside this program (%.160s: %s)", self,
                 strerror(errno));
        return NULL;
    }
    for (const char *p = path ? path : ""; *p != '\0';) {
        size_t dlen = strcspn(p, ":");

        snprintf(mpirun, sizeof mpirun, "%.*s/mpirun", (int)dlen, p);
        if (dlen > 0 && access(mpirun, X_OK) == 0) {
            b->mpi_bin = self;
            b->mpirun = mpirun;
            return mpirun;
        }
        p += dlen + (p[dlen] == ':');
    }
    snprintf(why, len, "no mpirun on PATH (Open MPI: openmpi-bin)");
    return NULL;
}

static void print_header(FILE *out)
{
    fprintf(out, "%-14s %3s %9s %8s %9s %9s %9s %9s %9s %9s %7s %4s\n", "case", "W", "work_us",
            "inner", "ref_us", "mean_us", "median_us", "min_us", "max_us", "sd_us", "sd/mean",
            "out");
}

static void print_row(FILE *out, const char *name, unsigned workers,
                      const struct overhead_result *r)
{
    const struct overhead_stats *o = &r->overhead;
    char spread[16];

    if (isnan(o->sd))
        snprintf(spread, sizeof spread, "-");
    else if (o->mean > 0)
        snprintf(spread, sizeof spread, "%.0f%%", 100 * o->sd / o->mean);
    else
        snprintf(spread, sizeof spread, "n/a");
    fprintf(out, "%-14s %3u %9.4f %8llu %9.4f %9.4f %9.4f %9.4f %9.4f ", name, workers,
            r->reference_s * 1e6, (unsigned long long)r->inner, r->reference_s * 1e6,
            o->mean * 1e6, o->median * 1e6, o->min * 1e6, o->max * 1e6);
    if (isnan(o->sd))
        fprintf(out, "%9s", "-");
    else
        fprintf(out, "%9.4f", o->sd * 1e6);
    fprintf(out, " %7s %4u\n", spread, o->outliers);
    fflush(out);
}

/* Everything one invocation measures. */
struct session {
    const struct request *req;
    struct overhead_method method;
    struct machine_watch watch;
    struct csv_writer rows;
    char host[PLAN_HOST_LEN];
    int pus;
    unsigned negative, undefined; /* rows whose mean overhead is < 0; sd undefined */
};

/* Runs one case at W workers, prints its line, keeps its row.  Dies (nothing written)
 * when it fails; of the signal, when one stopped it. */
static void run_case(struct session *s, struct bench *b, const struct ocase *c,
                     const char *name, unsigned workers)
{
    struct overhead_result r;
    struct overhead_row row;
    struct cpu_times before, after;
    double busy_before, busy_after;
    char started_at[CLOCK_ISO_LEN];

    b->workers = workers;
    b->error[0] = '\0';
    clock_utc_iso8601(started_at, sizeof started_at, 0);
    row.load_1m = machine_load_1m();
    busy_before = s->watch.known ? machine_busy_s(&s->watch) : -1;
    clock_process_cpu(&before);
    if (overhead_measure(&s->method, c->reference, c->test, b, &r) != 0) {
        if (b->error[0] == '\0')
            snprintf(b->error, sizeof b->error, "%s",
                     errno == ERANGE ? "even 2^32 repetitions took less than the test time"
                                     : strerror(errno));
        if (interrupt_pending() != 0) {
            say_error("%s at W = %u: %s; nothing written", name, workers, b->error);
            interrupt_defer(false); /* dies of the signal */
        }
        die("%s at W = %u: %s; nothing written", name, workers, b->error);
    }
    clock_process_cpu(&after);
    busy_after = busy_before >= 0 ? machine_busy_s(&s->watch) : -1;
    row.other_cpu_s = -1;
    if (busy_before >= 0 && busy_after >= 0) {
        double other = (busy_after - busy_before) - (after.self - before.self) -
                       (after.children - before.children);
        row.other_cpu_s = other > 0 ? other : 0;
    }
    row.program = PROGRAM;
    row.case_name = name;
    row.kind = c->kind;
    row.backend = c->backend;
    row.workers = workers;
    row.result = &r;
    row.host = s->host;
    row.pus = s->pus;
    row.started_at = started_at;
    row.label = s->req->label;
    overhead_put_row(&s->rows, &row);
    if (s->rows.failed)
        die_errno("cannot keep the rows");
    s->negative += r.overhead.mean < 0 || isnan(r.overhead.mean);
    s->undefined += isnan(r.overhead.sd);
    print_row(stdout, name, workers, &r);
    if (s->req->csv == NULL && tool_reader_gone()) { /* nothing to keep, nobody reading */
        signal(SIGPIPE, SIG_DFL);
        raise(SIGPIPE);
    }
}

static void print_plan(const struct session *s, const struct bench *b, unsigned from,
                       unsigned to, const char *mpi_missing)
{
    const struct request *req = s->req;
    bool first = true;

    printf("%s %s: the EPCC method at W = %u", PROGRAM, PARLAB_VERSION, from);
    if (to > from)
        printf("..%u", to);
    printf(" on %s (%d usable PU%s), work wait_loop(n = %llu) per job\n", s->host, s->pus,
           s->pus == 1 ? "" : "s", (unsigned long long)b->n);
    if (req->quiet)
        return;
    printf("  method   inner repetitions doubled until one test lasts >= %g ms; 1 untimed "
           "warm-up + %u timed outer repetition%s\n",
           req->test_time_s * 1e3, req->outer, req->outer == 1 ? "" : "s");
    printf("  cases    ");
    for (size_t i = 0; i < NCASES; i++)
        if (req->chosen[i]) {
            printf("%s%s", first ? "" : ", ", cases[i].name);
            first = false;
        }
    if (req->delay_us > 0)
        printf("%sdelay:%g (W = 1 only)", first ? "" : ", ", req->delay_us);
    printf("\n");
    if (mpi_missing != NULL)
        printf("  mpi-ranks left out: %s\n", mpi_missing);
    if (machine_load_1m() >= 0)
        printf("  machine  load average %.2f (1 min) at the start\n", machine_load_1m());
    printf("  rows     %s\n", req->csv ? req->csv : "none (--overhead-csv FILE to keep them)");
    printf("  columns  work_us, ref_us: one repetition's work alone; mean .. sd: the overhead "
           "per job (queues) or per construct, microseconds; out: outer reps beyond 3 sd\n\n");
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        {"workers", required_argument, NULL, 'w'},
        {"case", required_argument, NULL, OPT_CASE},
        {"test-time", required_argument, NULL, OPT_TEST_TIME},
        {"outer-reps", required_argument, NULL, OPT_OUTER},
        {"overhead-csv", required_argument, NULL, OPT_CSV},
        {"label", required_argument, NULL, OPT_LABEL},
        {"quiet", no_argument, NULL, 'q'},
        {NULL, 0, NULL, 0},
    };
    static const struct tool tool = {PROGRAM, usage, "w:n:q", options, false};
    struct request req = {.test_time_s = 1e-3, .outer = 20, .n = DEFAULT_SIZE};
    struct session s;
    struct bench b;
    char why[512], mpi_why[256];
    const char *mpi_missing = NULL;
    unsigned from, to;

    interrupt_install(); /* Ctrl-C: children stopped and reaped first, nothing written */
    tool_parse(&tool, argc, argv, take_option, &req); /* exits 2 on a bad command line */
    if (!req.any_chosen)
        for (size_t i = 0; i < NCASES; i++)
            req.chosen[i] = true;
    if (req.label == NULL && getenv("PARLAB_LABEL") != NULL && getenv("PARLAB_LABEL")[0]) {
        if (!cli_label_ok(getenv("PARLAB_LABEL")))
            die_usage("invalid PARLAB_LABEL: expected a name or id of 1 to %u printable "
                      "characters",
                      CLI_MAX_LABEL);
        req.label = getenv("PARLAB_LABEL");
    }

    memset(&s, 0, sizeof s);
    memset(&b, 0, sizeof b);
    s.req = &req;
    s.method = (struct overhead_method){req.test_time_s, req.outer, false};
    machine_watch_init(&s.watch);
    s.pus = machine_watch_pus(&s.watch);
    if (s.pus < 1)
        s.pus = 1;
    if (req.workers > (unsigned)s.pus)
        die_usage("-w %u: this process may use %d PU%s, and a cost per worker means one "
                  "worker per PU; at most %d",
                  req.workers, s.pus, s.pus == 1 ? "" : "s", s.pus);
    from = req.workers ? req.workers : 1;
    to = req.workers ? req.workers : (unsigned)s.pus;
    if (gethostname(s.host, sizeof s.host) != 0)
        snprintf(s.host, sizeof s.host, "unknown");
    s.host[sizeof s.host - 1] = '\0';
    if (req.csv && csv_check_target(req.csv, OVERHEAD_CSV_HEADER, why, sizeof why) != 0)
        die("%s", why);
    b.n = req.n;
    b.expected = kernel_closed_form(req.n);
    b.delay_s = req.delay_us * 1e-6;
    for (size_t i = 0; i < NCASES; i++)
        if (cases[i].test == test_mpi && req.chosen[i] &&
            find_mpi(&b, mpi_why, sizeof mpi_why) == NULL) {
            mpi_missing = mpi_why;
            req.chosen[i] = false;
        }
    if (geteuid() == 0) { /* Open MPI refuses root unless told, as src/run-all.sh does */
        setenv("OMPI_ALLOW_RUN_AS_ROOT", "1", 1);
        setenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", 1);
    }
    csv_writer_init(&s.rows);

    /* A reader that goes away (`| head -1`) must not cost the measurements when they
     * are kept: without SIGPIPE the lost lines are lost, and the rows still written. */
    signal(SIGPIPE, SIG_IGN);
    print_plan(&s, &b, from, to, mpi_missing);
    print_header(stdout);
    if ((fflush(stdout) != 0 || ferror(stdout)) && !tool_reader_gone())
        die_errno("cannot write the output"); /* a closed stdout: before anything runs */
    if (req.csv == NULL && tool_reader_gone()) { /* nothing to keep, nobody reading */
        signal(SIGPIPE, SIG_DFL);
        raise(SIGPIPE);
    }

    /* The check, then every case that forks, then OpenMP (see the top). */
    if (req.delay_us > 0) {
        char name[] = "delay";
        run_case(&s, &b, &delay_case, name, 1);
    }
    for (int openmp = 0; openmp <= 1; openmp++) {
        if (openmp)
            omp_set_dynamic(0); /* exactly the threads asked for */
        for (size_t i = 0; i < NCASES; i++) {
            if (!req.chosen[i] || cases[i].openmp != openmp)
                continue;
            s.method.skip_steps = cases[i].test == test_mpi; /* a launch per try */
            for (unsigned w = from; w <= to; w++)
                run_case(&s, &b, &cases[i], cases[i].name, w);
        }
    }

    if (!req.quiet) {
        printf("\n%lu job results checked against the closed form: all match\n", b.jobs);
        if (s.undefined > 0)
            printf("sd: undefined with %u outer repetition (it needs 2 or more): '-' in the "
                   "table, empty in the CSV\n",
                   req.outer);
        if (s.negative > 0)
            printf("%u mean overhead%s below zero (or not a number): the test ran faster than "
                   "the reference, so the cost is below what this run resolves (the spread "
                   "says how far); reported as measured\n",
                   s.negative, s.negative == 1 ? " is" : "s are");
    }
    if (req.csv) {
        struct csv_spool spool;
        struct csv_target target = {req.csv, OVERHEAD_CSV_HEADER, &spool};

        if (csv_spool_open(&spool) != 0 || csv_spool_add(&spool, &s.rows) != 0)
            die_errno("cannot keep the rows in '%s' (TMPDIR)", csv_spool_dir());
        interrupt_defer(true); /* Ctrl-C now would cut a row in half: it waits */
        if (csv_commit(&target, 1, why, sizeof why) != 0)
            die("%s; nothing written", why);
        interrupt_defer(false);
        if (why[0] != '\0')
            warn("%s", why);
        csv_spool_close(&spool);
    }
    csv_writer_release(&s.rows);
    return tool_finish();
}
