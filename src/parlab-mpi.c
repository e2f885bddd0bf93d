/*
 * parlab-mpi - the lecture's jobs on MPI ranks: processes that mpirun starts, on this
 * host or on several.
 *
 *   mpirun -np 3 bin/parlab-mpi            # 3 ranks take the 12 jobs from one queue
 *   bin/parlab-mpi                         # without mpirun: one rank
 *
 * The queue is one counter in rank 0's memory that every rank, rank 0 included,
 * increments with an MPI-3 atomic (MPI_Fetch_and_op): the number it gets back is its
 * next job, so nobody hands out jobs and rank 0 computes as the others do.  Each rank
 * has its own lock, as each process has, so --lock held serializes nothing.
 *
 * Every rank runs the same path (experiment.c): the same options, rank 0's plan (its n,
 * calibrated with -t), the same warm-up and counted runs.  Only rank 0 prints and writes
 * the CSV files: at the end of each run it gathers every rank's job records and its CPU
 * time, and sends the checked records back so that every rank validates the same run.
 * The other ranks print nothing; when one of them ends during a run, rank 0 says which.
 *
 * Hybrid: with --threads T each rank runs T OpenMP threads, and every thread takes its
 * jobs from the same counter, so W = ranks x T:
 *
 *   mpirun -np 2 --bind-to none bin/parlab-mpi --threads 2   # 4 workers on 2 ranks
 */
#include <errno.h>
#include <fcntl.h>
#include <mpi.h>
#include <omp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "parlab/cli.h"
#include "parlab/clock.h"
#include "parlab/experiment.h"
#include "parlab/interrupt.h"
#include "parlab/job.h"
#include "parlab/run.h"

#define HOST_LEN 64

/* This rank, the world, and what rank 0 knows of the others to name one that ends. */
static int rank, ranks, local_rank;
static int thread_level;                 /* what MPI_Init_thread provided */
static unsigned threads = 1;             /* OpenMP threads per rank (--threads) */
static bool hybrid;                      /* --threads given: each rank runs an OpenMP team */
static const char **host_names;          /* hosts[r] as the run's record hosts (run.h) */
static bool under_mpirun;                /* started by mpirun, not as a singleton */
static long *pids;                       /* every rank's pid */
static char (*hosts)[HOST_LEN];          /* every rank's host */
static bool settled, agreed;             /* how far the ranks have come together */
static volatile sig_atomic_t ending;     /* in mpi_end: the ranks are on their way out */
static char outer_text[160], outer_list[1024]; /* mpirun's binding, when it bound */

/* The queue: rank 0's window holds the counter, then one state per job of the run
 * (0: waiting, r + 1: rank r runs it, -(r + 1): rank r has run it). */
static MPI_Win win;
static int64_t *win_mem;
static int64_t next_first;               /* the counter's value at the next run's start */

/* One MPI call at a time in each rank (MPI_THREAD_SERIALIZED): the rank's threads take
 * turns at the queue, and the turn also reserves the slot in mine[] of the job taken. */
static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned taken; /* this rank's records in this run: guarded by queue_lock */

/* What each run gathers, allocated once by agree(). */
static struct job_record *mine, *all;
static int *byte_counts, *byte_displs;
static bool *seen;
struct tally {
    int count;  /* job records this rank sends */
    double cpu; /* its CPU time, from the barrier to its last job */
};
static struct tally *tallies;

/* For the SIGTERM handler of rank 0: the run in progress. */
static volatile sig_atomic_t running_rep = -1, running_jobs;
static char timeout_message[200];

/* ---- a line rank 0 writes from a signal handler --------------------------------- */

static size_t put_text(char *buf, size_t at, size_t len, const char *text)
{
    while (*text != '\0' && at + 1 < len)
        buf[at++] = *text++;
    buf[at] = '\0';
    return at;
}

static size_t put_number(char *buf, size_t at, size_t len, long v)
{
    char digits[24];
    size_t n = 0;

    if (v < 0)
        at = put_text(buf, at, len, "-"), v = -v;
    do
        digits[n++] = (char)('0' + v % 10);
    while ((v /= 10) > 0 && n < sizeof digits);
    while (n > 0 && at + 1 < len)
        buf[at++] = digits[--n];
    buf[at] = '\0';
    return at;
}

/* mpirun sends SIGTERM to every rank when one of them has ended (a crash, a kill):
 * rank 0 looks for the rank on its host that is gone, and which job it had, and says
 * so in one line.  Only async-signal-safe calls. */
static void on_term_rank0(int sig)
{
    char line[400];
    size_t at = put_text(line, 0, sizeof line, "parlab-mpi: ");
    int dead = -1;

    if (!agreed || ending) /* every rank exits anyway: nothing to say */
        raise(sig);

    for (int r = 1; r < ranks && dead < 0; r++)
        if (strcmp(hosts[r], hosts[0]) == 0 && kill((pid_t)pids[r], 0) != 0 && errno == ESRCH)
            dead = r;
    if (dead > 0) {
        long job = -1;

        for (int j = 0; running_rep >= 0 && j < running_jobs; j++)
            if (__atomic_load_n(&win_mem[1 + j], __ATOMIC_RELAXED) == dead + 1)
                job = j;
        at = put_text(line, at, sizeof line, "rank ");
        at = put_number(line, at, sizeof line, dead);
        at = put_text(line, at, sizeof line, " (host ");
        at = put_text(line, at, sizeof line, hosts[dead]);
        at = put_text(line, at, sizeof line, ", pid ");
        at = put_number(line, at, sizeof line, pids[dead]);
        at = put_text(line, at, sizeof line, ") ended");
        if (job >= 0) {
            at = put_text(line, at, sizeof line, " during job ");
            at = put_number(line, at, sizeof line, job);
        }
        if (running_rep >= 0) {
            at = put_text(line, at, sizeof line, running_rep == 0 ? " of the warm-up" : " of rep ");
            if (running_rep > 0)
                at = put_number(line, at, sizeof line, running_rep);
        }
        at = put_text(line, at, sizeof line, "; mpirun stopped the run, nothing written\n");
    } else {
        at = put_text(line, at, sizeof line,
                      "stopped by SIGTERM (mpirun sends it when a rank on another host ends, or "
                      "when it is interrupted); nothing written\n");
    }
    if (write(STDERR_FILENO, line, at) < 0) {
        /* nothing more can be said */
    }
    raise(sig);
}

/* The other ranks wait a little before they end, so that rank 0 can still tell them
 * from the one that is gone. */
static void on_term_other(int sig)
{
    struct timespec pause = {0, 100 * 1000 * 1000};

    if (!ending)
        nanosleep(&pause, NULL);
    raise(sig);
}

/* ---- starting and ending ------------------------------------------------------- */

/* "0-3,8" for the PUs in set, into buf. */
static void cpuset_list(const cpu_set_t *set, char *buf, size_t len)
{
    size_t used = 0;

    buf[0] = '\0';
    for (int c = 0; c < CPU_SETSIZE && used + 24 < len; c++) {
        int last = c;

        if (!CPU_ISSET(c, set))
            continue;
        while (last + 1 < CPU_SETSIZE && CPU_ISSET(last + 1, set))
            last++;
        used += (size_t)snprintf(buf + used, len - used, "%s%d", used ? "," : "", c);
        if (last > c)
            used += (size_t)snprintf(buf + used, len - used, "-%d", last);
        c = last;
    }
}

/* Where mpirun bound the ranks (Open MPI says so in OMPI_MCA_orte_bound_at_launch):
 * each rank's PUs, for the runs CSV (omp_binding), and all the PUs of this host's
 * ranks, on which --pin then places them. */
static void learn_binding(MPI_Comm local)
{
    const char *bound = getenv("OMPI_MCA_orte_bound_at_launch");
    cpu_set_t set, local_set;
    char own[32], (*lists)[32] = NULL;
    size_t used;

    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) != 0)
        CPU_ZERO(&set);
    MPI_Allreduce(&set, &local_set, (int)sizeof set, MPI_BYTE, MPI_BOR, local);
    cpuset_list(&set, own, sizeof own);
    lists = calloc((size_t)ranks, sizeof *lists);
    if (lists == NULL)
        MPI_Abort(MPI_COMM_WORLD, 1);
    MPI_Allgather(own, sizeof own, MPI_CHAR, lists, sizeof own, MPI_CHAR, MPI_COMM_WORLD);
    if (bound != NULL && strcmp(bound, "1") == 0) {
        used = (size_t)snprintf(outer_text, sizeof outer_text, "mpirun (rank -> PUs");
        for (int r = 0; r < ranks && used < sizeof outer_text; r++)
            used += (size_t)snprintf(outer_text + used, sizeof outer_text - used, " %d->%s", r,
                                     lists[r]);
        if (used + 1 < sizeof outer_text)
            snprintf(outer_text + used, sizeof outer_text - used, ")");
        else
            memcpy(outer_text + sizeof outer_text - 5, "...)", 5);
        cpuset_list(&local_set, outer_list, sizeof outer_list);
    }
    free(lists);
}

/* At exit, whatever the way out: the ranks that met at settle() but not yet at
 * agree() are waiting for rank 0's plan, so rank 0 tells them its status instead,
 * and a rank that fails alone there stops the others.  Then MPI_Finalize. */
static void mpi_end(int status, void *arg)
{
    int finalized = 0;

    (void)arg;
    ending = 1;
    MPI_Finalized(&finalized);
    if (finalized)
        return;
    if (settled && !agreed) {
        if (rank == 0) {
            int32_t told[2] = {status != 0 ? status : 1, 0};

            MPI_Bcast(told, 2, MPI_INT32_T, 0, MPI_COMM_WORLD);
        } else if (status != 0) {
            MPI_Abort(MPI_COMM_WORLD, status);
        }
    }
    MPI_Finalize();
}

/* MPI_Init, and what every rank learns before the options: its rank, the ranks on its
 * host, each rank's pid and host.  The ranks other than 0 print nothing: rank 0 says
 * what they would (the same options, the same plan), and reports the runs. */
static void mpi_start(int *argc, char ***argv)
{
    MPI_Comm local;
    long pid = (long)getpid();
    char host[HOST_LEN] = "";

    /* Serialized is enough: a rank's threads call MPI one at a time (queue_lock). */
    MPI_Init_thread(argc, argv, MPI_THREAD_SERIALIZED, &thread_level);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &local);
    MPI_Comm_rank(local, &local_rank);
    under_mpirun = getenv("OMPI_COMM_WORLD_SIZE") != NULL;
    on_exit(mpi_end, NULL);

    pids = calloc((size_t)ranks, sizeof *pids);
    hosts = calloc((size_t)ranks, sizeof *hosts);
    host_names = calloc((size_t)ranks, sizeof *host_names);
    if (pids == NULL || hosts == NULL || host_names == NULL)
        MPI_Abort(MPI_COMM_WORLD, 1);
    gethostname(host, sizeof host - 1);
    MPI_Allgather(&pid, 1, MPI_LONG, pids, 1, MPI_LONG, MPI_COMM_WORLD);
    MPI_Allgather(host, HOST_LEN, MPI_CHAR, hosts, HOST_LEN, MPI_CHAR, MPI_COMM_WORLD);
    for (int r = 0; r < ranks; r++)
        host_names[r] = hosts[r];
    learn_binding(local);
    MPI_Comm_free(&local);

    if (rank != 0) {
        int null = open("/dev/null", O_WRONLY);

        if (null >= 0) {
            dup2(null, STDOUT_FILENO);
            dup2(null, STDERR_FILENO);
            close(null);
        }
    }
}

/* ---- the program's hooks ------------------------------------------------------- */

/* W is the number of ranks times --threads; -w may only repeat it.  Ranks other than
 * 0 write no CSV and, without -n, skip calibrating: they take rank 0's n (agree). */
static int settle(struct options *opt, char *msg, size_t msglen)
{
    struct sigaction sa;
    unsigned long long workers;

    hybrid = opt->threads > 0;
    threads = hybrid ? opt->threads : 1;
    workers = (unsigned long long)ranks * threads;
    if (hybrid && thread_level < MPI_THREAD_SERIALIZED) {
        snprintf(msg, msglen,
                 "--threads needs MPI_THREAD_SERIALIZED, and this MPI library provides only "
                 "level %d",
                 thread_level);
        return -1;
    }
    if (strcmp(opt->workers_from, "-w") == 0 && opt->workers != workers) {
        if (hybrid)
            snprintf(msg, msglen,
                     "-w %u does not match the %d rank%s x %u threads started (mpirun -np %d, "
                     "--threads %u): leave -w out",
                     opt->workers, ranks, ranks == 1 ? "" : "s", threads, ranks, threads);
        else
            snprintf(msg, msglen,
                     "-w %u does not match the %d rank%s started (mpirun -np %d): leave -w out "
                     "or start %u",
                     opt->workers, ranks, ranks == 1 ? "" : "s", ranks, opt->workers);
        return -1;
    }
    if (workers > CLI_MAX_WORKERS) {
        if (hybrid)
            snprintf(msg, msglen,
                     "%d ranks x %u threads make %llu workers, but parlab-mpi takes at most %u",
                     ranks, threads, workers, CLI_MAX_WORKERS);
        else
            snprintf(msg, msglen, "%d ranks started, but parlab-mpi takes at most %u", ranks,
                     CLI_MAX_WORKERS);
        return -1;
    }
    if (opt->payload > 0) {
        snprintf(msg, msglen,
                 "--payload is not supported by parlab-mpi yet: parlab-procs moves a payload "
                 "between processes");
        return -1;
    }
    if (strcmp(opt->workers_from, "-w") != 0) {
        opt->workers = (unsigned)workers;
        opt->workers_from = under_mpirun ? "mpirun" : "default";
    }
    if (rank != 0) {
        opt->runs_csv = opt->jobs_csv = opt->slices_csv = NULL;
        if (!opt->size_given && opt->sizes.kind == SIZES_NONE) {
            opt->size_given = true; /* rank 0's n replaces it */
            opt->size = 0;
        }
    }
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = rank == 0 ? on_term_rank0 : on_term_other;
    sa.sa_flags = SA_RESETHAND | SA_NODEFER; /* its raise() then ends the process */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    settled = true;
    return 0;
}

/* What rank 0's plan decided that the others' cannot know. */
struct shared_plan {
    int32_t status; /* 0, or the status rank 0 exits with (mpi_end) */
    int32_t calibrated;
    uint64_t size, steps, min_size, warmup_size;
    double expected, total_steps, ns_per_step, job_seconds, estimate_s;
    int64_t pid;
    char stamp[CLOCK_ISO_LEN];
};

static int agree(struct plan *plan)
{
    struct shared_plan s;
    MPI_Aint window = rank == 0 ? (MPI_Aint)((plan->jobs + 1) * sizeof(int64_t)) : 0;

    mine = calloc(plan->jobs, sizeof *mine);
    all = calloc(plan->jobs, sizeof *all);
    seen = calloc(plan->jobs, sizeof *seen);
    byte_counts = calloc((size_t)ranks, sizeof *byte_counts);
    byte_displs = calloc((size_t)ranks, sizeof *byte_displs);
    tallies = calloc((size_t)ranks, sizeof *tallies);
    if (!mine || !all || !seen || !byte_counts || !byte_displs || !tallies)
        return -1; /* mpi_end: rank 0 tells the others, another rank stops them */

    memset(&s, 0, sizeof s);
    if (rank == 0) {
        s.calibrated = plan->calibrated;
        s.size = plan->size;
        s.steps = plan->steps;
        s.min_size = plan->min_size;
        s.warmup_size = plan->warmup_size;
        s.expected = plan->expected;
        s.total_steps = plan->total_steps;
        s.ns_per_step = plan->ns_per_step;
        s.job_seconds = plan->job_seconds;
        s.estimate_s = plan->estimate_s;
        s.pid = plan->pid;
        memcpy(s.stamp, plan->stamp, sizeof s.stamp);
    }
    MPI_Bcast(&s, 2, MPI_INT32_T, 0, MPI_COMM_WORLD); /* mpi_end sends the same two */
    if (s.status != 0) {
        agreed = true; /* on this much: mpi_end only finalizes */
        exit(s.status); /* rank 0 could not plan, and has said why */
    }
    MPI_Bcast(&s, sizeof s, MPI_BYTE, 0, MPI_COMM_WORLD);
    agreed = true;
    if (rank != 0) {
        plan->calibrated = s.calibrated;
        plan->size = s.size;
        plan->steps = s.steps;
        plan->min_size = s.min_size;
        plan->warmup_size = s.warmup_size;
        plan->expected = s.expected;
        plan->total_steps = s.total_steps;
        plan->ns_per_step = s.ns_per_step;
        plan->job_seconds = s.job_seconds;
        plan->estimate_s = s.estimate_s;
        plan->pid = (long)s.pid;
        memcpy(plan->stamp, s.stamp, sizeof plan->stamp);
    }

    /* The queue: created and zeroed before any rank touches it. */
    MPI_Win_allocate(window, sizeof(int64_t), MPI_INFO_NULL, MPI_COMM_WORLD, &win_mem, &win);
    if (rank == 0)
        memset(win_mem, 0, (size_t)window);
    MPI_Win_lock_all(MPI_MODE_NOCHECK, win);
    MPI_Barrier(MPI_COMM_WORLD);

    snprintf(timeout_message, sizeof timeout_message,
             "parlab-mpi: the run timed out after %g s; mpirun stops the ranks, and nothing "
             "was written\n",
             plan->timeout);
    return 0;
}

/* The next number from the counter at rank 0: an atomic fetch-and-add, done at rank 0
 * (in shared memory on one host) whatever rank 0 is doing. */
static int64_t take_next(void)
{
    const int64_t one = 1;
    int64_t got;

    MPI_Fetch_and_op(&one, &got, MPI_INT64_T, 0, 0, MPI_SUM, win);
    MPI_Win_flush(0, win);
    return got;
}

/* Job `job`'s state at rank 0, for the line that names a rank that ended. */
static void mark(unsigned job, int64_t state)
{
    MPI_Accumulate(&state, 1, MPI_INT64_T, 0, 1 + (MPI_Aint)job, 1, MPI_INT64_T, MPI_REPLACE,
                   win);
    MPI_Win_flush(0, win);
}

/* Waits for `req` without spinning: a rank that waits for the slowest one should not
 * burn the CPU time that the run's cpu time counts. */
static void wait_calmly(MPI_Request *req)
{
    struct timespec pause = {0, 50 * 1000};
    int done = 0;

    for (;;) {
        MPI_Test(req, &done, MPI_STATUS_IGNORE);
        if (done)
            return;
        nanosleep(&pause, NULL);
    }
}

/* At rank 0: every rank's records into run->jobs, each job once; the others' CPU time
 * into cpu_elsewhere_s.  Returns 0, or -1 with run->error saying why. */
static int collect(struct run *run)
{
    const struct plan *plan = run->plan;
    unsigned total = 0;

    memset(seen, 0, plan->jobs * sizeof *seen);
    for (int r = 0; r < ranks; r++)
        total += (unsigned)tallies[r].count;
    for (unsigned i = 0; i < total; i++) {
        const struct job_record *rec = &all[i];

        if (rec->job >= plan->jobs || seen[rec->job]) {
            snprintf(run->error, sizeof run->error, "job %u was run twice (the second time by rank %u)",
                     rec->job, rec->worker);
            return -1;
        }
        seen[rec->job] = true;
        run->jobs[rec->job] = *rec;
    }
    for (int r = 1; r < ranks; r++)
        run->cpu_elsewhere_s += tallies[r].cpu;
    return 0;
}

/* Every rank sends rank 0 its records and CPU time; rank 0 checks them and sends the
 * records back, so that every rank validates the same run (run.c). */
static int gather(struct run *run, unsigned count, double cpu)
{
    const struct plan *plan = run->plan;
    const int rec_size = (int)sizeof(struct job_record);
    struct tally me = {(int)count, cpu};
    MPI_Request req;
    int32_t status = 0;

    MPI_Igather(&me, (int)sizeof me, MPI_BYTE, tallies, (int)sizeof me, MPI_BYTE, 0,
                MPI_COMM_WORLD, &req);
    wait_calmly(&req); /* rank 0 waits here for the slowest rank */
    if (rank == 0) {
        int at = 0;

        for (int r = 0; r < ranks; r++) {
            if (tallies[r].count < 0 || at + tallies[r].count > (int)plan->jobs)
                tallies[r].count = 0, status = -1; /* more records than jobs: refused */
            byte_counts[r] = tallies[r].count * rec_size;
            byte_displs[r] = at * rec_size;
            at += tallies[r].count;
        }
    }
    MPI_Gatherv(mine, (int)count * rec_size, MPI_BYTE, all, byte_counts, byte_displs, MPI_BYTE,
                0, MPI_COMM_WORLD);
    if (rank == 0) {
        if (status != 0)
            snprintf(run->error, sizeof run->error, "the ranks sent more records than jobs");
        else if (collect(run) != 0)
            status = -1;
    }
    MPI_Bcast(&status, 1, MPI_INT32_T, 0, MPI_COMM_WORLD);
    MPI_Bcast(run->error, sizeof run->error, MPI_CHAR, 0, MPI_COMM_WORLD);
    MPI_Bcast(run->jobs, (int)plan->jobs * rec_size, MPI_BYTE, 0, MPI_COMM_WORLD);
    return status;
}

/* What a worker says with -v, in the spirit of xthi: where it is and where it may run. */
struct whereabouts {
    char host[HOST_LEN];
    int32_t rank, thread, pu;
    char mask[64];
};
static struct whereabouts *mine_where, *all_where;

/* Takes jobs from the queue and runs them as worker `me` until the run's are gone.
 * Each turn at the queue marks the job run before as done, takes the next number and
 * marks that job as this rank's: one locked stretch of MPI calls per job. */
static void take_jobs(struct run *run, const struct worker *me, int64_t first, int64_t end)
{
    int64_t k, done = -1;
    unsigned slot = 0;

    for (;;) {
        pthread_mutex_lock(&queue_lock);
        if (done >= 0)
            mark((unsigned)done, -(rank + 1));
        k = take_next();
        if (k < end) {
            mark((unsigned)(k - first), rank + 1);
            slot = taken++;
        }
        pthread_mutex_unlock(&queue_lock);
        if (k >= end)
            return;
        job_run(run, (unsigned)(k - first), me, &mine[slot]);
        done = k - first;
    }
}

/* Where worker `me` is: for -v. */
static void note_whereabouts(const struct worker *me, struct whereabouts *w)
{
    cpu_set_t set;

    memset(w, 0, sizeof *w);
    snprintf(w->host, sizeof w->host, "%s", hosts[rank]);
    w->rank = me->rank;
    w->thread = me->thread;
    w->pu = sched_getcpu();
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0) /* 0: this thread */
        cpuset_list(&set, w->mask, sizeof w->mask);
}

/* With -v, at the warm-up: rank 0 prints one line per worker, from every rank's. */
static void print_whereabouts(const struct plan *plan)
{
    const int size = (int)(threads * sizeof *mine_where);

    MPI_Gather(mine_where, size, MPI_BYTE, all_where, size, MPI_BYTE, 0, MPI_COMM_WORLD);
    if (rank != 0)
        return;
    printf("  workers: host, rank, thread, PU, affinity\n");
    for (unsigned w = 0; w < plan->workers; w++)
        printf("  worker %3u: host %s, rank %d, thread %d, PU %d, affinity %s\n", w,
               all_where[w].host, all_where[w].rank, all_where[w].thread, all_where[w].pu,
               all_where[w].mask);
    fflush(stdout);
}

/* The jobs of one run on this rank: on its one thread, or with --threads on an OpenMP
 * team whose threads all take from the queue.  Returns 0, or -1 with run->error set. */
static int run_here(struct run *run, int64_t first, int64_t end)
{
    int team = 1;

    if (!hybrid) {
        struct worker me;

        /* --pin: this host's ranks take this host's places, in the order of their local
         * ranks; the worker's number is the rank */
        worker_start(run, (unsigned)local_rank, WORKER_RANK, &me);
        me.index = (unsigned)rank;
        me.rank = rank;
        me.thread = 0;
        if (mine_where != NULL)
            note_whereabouts(&me, &mine_where[0]);
        MPI_Barrier(MPI_COMM_WORLD);
        run->t0 = clock_wall(); /* every rank counts its job times from the barrier */
        take_jobs(run, &me, first, end);
        return 0;
    }
    MPI_Barrier(MPI_COMM_WORLD);
    run->t0 = clock_wall();
    omp_set_dynamic(0); /* exactly the threads asked for */
#pragma omp parallel num_threads((int)threads)
    {
        struct worker me;
        const unsigned t = (unsigned)omp_get_thread_num();

        /* --pin: across all threads of this host's ranks, node-local rank * T + thread;
         * the worker's number rank * T + thread */
        worker_start(run, (unsigned)local_rank * threads + t, WORKER_THREAD, &me);
        me.index = (unsigned)rank * threads + t;
        me.rank = rank;
        me.thread = (int)t;
        if (mine_where != NULL)
            note_whereabouts(&me, &mine_where[t]);
#pragma omp single
        team = omp_get_num_threads();
        take_jobs(run, &me, first, end);
    }
    if (team != (int)threads) {
        snprintf(run->error, sizeof run->error,
                 "OpenMP gave rank %d %d thread%s instead of %u (OMP_THREAD_LIMIT?)", rank, team,
                 team == 1 ? "" : "s", threads);
        return -1;
    }
    return 0;
}

static int run_on_ranks(struct run *run)
{
    const struct plan *plan = run->plan;
    const int64_t first = next_first, end = first + plan->jobs;
    const bool tell = plan->verbose && run->rep == 0;
    struct cpu_times before, after;
    int rc;

    if (rank == 0) {
        for (unsigned j = 0; j < plan->jobs; j++) /* before the barrier: no rank marks yet */
            __atomic_store_n(&win_mem[1 + j], 0, __ATOMIC_RELAXED);
        MPI_Win_sync(win);
        running_jobs = (sig_atomic_t)plan->jobs;
        running_rep = (sig_atomic_t)run->rep;
        if (plan->timeout > 0) /* a rank that hangs keeps rank 0 waiting: it ends it all */
            interrupt_alarm(plan->timeout, timeout_message);
    }
    run->hosts = host_names;
    run->ranks = (unsigned)ranks; /* runs.csv's ranks: 1 x 2 and 2 x 1 are two cases */
    taken = 0;
    if (tell) {
        mine_where = calloc(threads, sizeof *mine_where);
        all_where = rank == 0 ? calloc(plan->workers, sizeof *all_where) : NULL;
        if (mine_where == NULL || (rank == 0 && all_where == NULL))
            MPI_Abort(MPI_COMM_WORLD, 1);
    }
    clock_process_cpu(&before);
    rc = run_here(run, first, end); /* the barrier, then the jobs */
    clock_process_cpu(&after);
    /* Each worker's last take went past the end once: so many more than the jobs. */
    next_first = end + (int64_t)ranks * threads;
    if (tell) {
        print_whereabouts(plan);
        free(mine_where);
        free(all_where);
        mine_where = all_where = NULL;
    }
    if (rc != 0)
        MPI_Abort(MPI_COMM_WORLD, 1); /* the others would wait for this rank's records */
    if (gather(run, taken, after.self - before.self) != 0)
        return -1;
    if (rank == 0) {
        interrupt_alarm(0, NULL);
        running_rep = -1;
    }
    return 0;
}

/* mpirun's binding, when it bound the ranks at launch. */
static const char *mpirun_binding(void)
{
    return outer_text[0] != '\0' ? outer_text : NULL;
}

static const char *mpirun_pus(void)
{
    return outer_list[0] != '\0' ? outer_list : NULL;
}

/* The headline's workers with --threads: "2 MPI ranks x 2 OpenMP threads". */
static const char *hybrid_workers(void)
{
    static char text[96];

    if (!hybrid)
        return NULL;
    snprintf(text, sizeof text, "%d MPI rank%s x %u OpenMP thread%s", ranks,
             ranks == 1 ? "" : "s", threads, threads == 1 ? "" : "s");
    return text;
}

static const char *mpi_version(void)
{
    static char text[MPI_MAX_LIBRARY_VERSION_STRING];
    int len = 0;

    MPI_Get_library_version(text, &len);
    text[strcspn(text, ",\n")] = '\0'; /* "Open MPI v4.1.4" */
    return text;
}

static const struct program mpi = {
    .backend = &backend_mpi, /* src/lib/backend.c */
    .summary = "Runs the lecture's kernel as a queue of jobs on MPI ranks (mpirun -np W).",
    .details = "Start it with mpirun -np W: the W ranks take the jobs from one queue, a counter\n"
               "at rank 0 that each rank increments atomically (MPI_Fetch_and_op).  Without\n"
               "mpirun it runs as one rank.  -w, if given, must equal W.  Each rank is a\n"
               "process with its own lock, so --lock held serializes nothing.  Rank 0 prints,\n"
               "gathers every job record and writes the CSV files; the others print nothing.\n\n"
               "With --pin each host's ranks bind themselves with hwloc to that host's PUs,\n"
               "in the order of their local ranks; with --pin none they stay where mpirun\n"
               "bound them (--bind-to), and the runs CSV's omp_binding says where.\n\n"
               "With --threads T each rank runs T OpenMP threads that take jobs from the\n"
               "same queue: W = ranks x T, worker rank x T + thread.  Start such runs with\n"
               "mpirun --bind-to none (or --map-by slot:PE=T): bound to one core, all of a\n"
               "rank's threads share it.  --pin then places the threads of each host's\n"
               "ranks: place local rank x T + thread.\n",
    .runtime = mpi_version,
    .workers_are = hybrid_workers,
    .outer_binding = mpirun_binding,
    .outer_pus = mpirun_pus,
    .run_jobs = run_on_ranks,
    .settle = settle,
    .agree = agree,
};

int main(int argc, char **argv)
{
    mpi_start(&argc, &argv); /* MPI_Init; the ranks other than 0 fall silent */
    return experiment_main(&mpi, argc, argv);
}
