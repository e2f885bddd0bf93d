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
 *
 * With --payload a job's data lives with rank 0, as with a process pool's parent: a rank
 * that takes a job asks rank 0 for its input, which a thread of rank 0 makes and sends,
 * and sends the output back to be checked there (point-to-point messages); rank 0's
 * own jobs keep theirs in place.
 *
 *   mpirun -np 2 bin/parlab-mpi --payload 4M -n 60 --jobs-csv jobs.csv   # copy_s, bytes_copied
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
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "parlab/cli.h"
#include "parlab/clock.h"
#include "parlab/die.h"
#include "parlab/experiment.h"
#include "parlab/fault.h"
#include "parlab/interrupt.h"
#include "parlab/job.h"
#include "parlab/payload.h"
#include "parlab/run.h"

#define HOST_LEN 64

/* This rank, the world, and what rank 0 knows of the others to name one that ends. */
static int rank, ranks, local_rank;
static int thread_level;                 /* what MPI_Init_thread provided */
static unsigned threads = 1;             /* OpenMP threads per rank (--threads) */
static bool hybrid;                      /* --threads given: each rank runs an OpenMP team */
static const char **host_names;          /* hosts[r] as the run's record hosts (run.h) */
static int *with_rank0;                  /* with_rank0[r]: rank r runs on rank 0's host */
static bool under_mpirun;                /* started by mpirun, not as a singleton */
static long *pids;                       /* every rank's pid */
static char (*hosts)[HOST_LEN];          /* every rank's host */
static bool settled, agreed;             /* how far the ranks have come together */
static volatile sig_atomic_t ending;     /* in mpi_end: the ranks are on their way out */
static char outer_text[160], outer_list[1024]; /* mpirun's binding, when it bound */
static cpu_set_t host_pus;               /* the PUs of this host's ranks together */

/* The queue: rank 0's window holds the counter, then one state per job of the run
 * (0: waiting, r + 1: rank r runs it, -(r + 1): rank r has run it). */
static MPI_Win win = MPI_WIN_NULL;
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

/* --payload between ranks ("the payload between ranks" below).  A message carries
 * at most chunk_bytes (MPI counts are ints); PARLAB_MPI_CHUNK makes it smaller, so that
 * tests send a payload in several. */
#define CHUNK_MAX ((uint64_t)1 << 30)
_Static_assert(CHUNK_MAX <= INT32_MAX, "a chunk's bytes must fit in an MPI count");
static uint64_t chunk_bytes = CHUNK_MAX;
static int32_t *outputs;     /* rank 0: how often each job's output came back, this run */
static bool *outputs_ok;     /* ... and whether it was right */
static pthread_t server;     /* rank 0: the thread that serves the others' payloads */
static bool serving;         /* ... while it runs; cleared to stop it (__atomic) */
static bool server_started;
static bool stopping;        /* this rank failed in this run: its workers take no more
                              * jobs (guarded by queue_lock) */
struct tally {
    int count;  /* job records this rank sends */
    double cpu; /* its CPU time, from the barrier to its last job */
};
static struct tally *tallies;

/* For the SIGTERM handler of rank 0: the run in progress. */
static volatile sig_atomic_t running_rep = -1, running_jobs;
static char timeout_message[200];

/* A rank that fails alone once the ranks have agreed on the plan (fail_alone) leaves a
 * note in rank 0's window, after the queue: a word that says it is there, then its
 * last line, NUL-terminated. */
#define NOTE_TEXT 248
#define NOTE_WORDS (1 + NOTE_TEXT / 8)
static MPI_Aint note_at;  /* the window's word where rank 0's note begins; rank r's at
                           * note_at + r * NOTE_WORDS */
static bool in_step;      /* every rank knows what this one knows: from the broadcast that
                           * ends a run (gather) until the next run begins */
static int said_fd = -1;  /* ranks other than 0: what they said on stderr (a memfd) */

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

/* The line rank 0 says when a rank has failed alone (its note in rank 0's window:
 * fail_alone) or, with `gone`, when a rank on its host has ended: which rank, host and
 * pid, which job it had, and what it said; 0 when there is no such rank.  Only
 * async-signal-safe calls: the SIGTERM handler makes it too. */
static size_t failure_line(char *line, size_t len, bool gone)
{
    char note[NOTE_TEXT];
    size_t at = put_text(line, 0, len, "parlab-mpi: ");
    long job = -1;
    int dead = -1;

    note[0] = '\0';
    for (int r = 1; r < ranks && dead < 0; r++) {
        const int64_t *n = &win_mem[note_at + (MPI_Aint)r * NOTE_WORDS];

        if (__atomic_load_n(&n[0], __ATOMIC_ACQUIRE) == 0)
            continue;
        dead = r;
        for (size_t i = 0; i + 1 < sizeof note; i++) /* its text, NUL or not */
            if ((note[i] = ((const char *)&n[1])[i]) == '\0')
                break;
        note[sizeof note - 1] = '\0';
    }
    for (int r = 1; gone && r < ranks && dead < 0; r++)
        if (strcmp(hosts[r], hosts[0]) == 0 && kill((pid_t)pids[r], 0) != 0 && errno == ESRCH)
            dead = r;
    if (dead < 0)
        return 0;
    for (int j = 0; running_rep >= 0 && j < running_jobs; j++)
        if (__atomic_load_n(&win_mem[1 + j], __ATOMIC_RELAXED) == dead + 1)
            job = j;
    at = put_text(line, at, len, "rank ");
    at = put_number(line, at, len, dead);
    at = put_text(line, at, len, " (host ");
    at = put_text(line, at, len, hosts[dead]);
    at = put_text(line, at, len, ", pid ");
    at = put_number(line, at, len, pids[dead]);
    at = put_text(line, at, len, note[0] != '\0' ? ") failed" : ") ended");
    if (job >= 0) {
        at = put_text(line, at, len, " during job ");
        at = put_number(line, at, len, job);
    }
    if (running_rep >= 0) {
        at = put_text(line, at, len,
                      running_rep == 0 ? (job >= 0 ? " of the warm-up" : " during the warm-up")
                                       : (job >= 0 ? " of rep " : " during rep "));
        if (running_rep > 0)
            at = put_number(line, at, len, running_rep);
    }
    if (note[0] != '\0') {
        at = put_text(line, at, len, ": ");
        at = put_text(line, at, len, note);
        return put_text(line, at, len, "; the run was stopped, nothing written\n");
    }
    return put_text(line, at, len, "; mpirun stopped the run, nothing written\n");
}

/* mpirun sends SIGTERM to every rank when one of them has ended (a crash, a kill, or
 * MPI_Abort from a rank that failed alone and that rank 0 had not heard of): rank 0
 * looks for a rank's note, else for the rank on its host that is gone, and says so in
 * one line (failure_line). */
static void on_term_rank0(int sig)
{
    char line[640];
    size_t at;

    if (!agreed || ending || win_mem == NULL) /* every rank exits anyway: nothing to say */
        raise(sig);
    at = failure_line(line, sizeof line, true);
    if (at == 0)
        at = put_text(line, 0, sizeof line,
                      "parlab-mpi: stopped by SIGTERM (mpirun sends it when a rank on another "
                      "host ends, or when it is interrupted); nothing written\n");
    if (write(STDERR_FILENO, line, at) < 0) {
        /* nothing more can be said */
    }
    raise(sig);
}

/* Rank 0, while it waits or between its jobs: a rank that has failed alone has left its
 * note (fail_alone) and waits to be stopped; rank 0 says which and why, and stops every
 * rank.  (Were rank 0 to leave that to mpirun's SIGTERM, it could be gone first: Open
 * MPI may end the other ranks itself when one calls MPI_Abort.)  `locked`: the caller
 * holds queue_lock, which MPI_Abort needs as any MPI call does. */
static void check_notes(bool locked)
{
    char line[640];
    size_t at;

    if (rank != 0 || ranks == 1 || win_mem == NULL || (at = failure_line(line, sizeof line, false)) == 0)
        return;
    ending = 1;
    if (!locked)
        pthread_mutex_lock(&queue_lock);
    if (write(STDERR_FILENO, line, at) < 0) {
        /* nothing more can be said */
    }
    MPI_Abort(MPI_COMM_WORLD, 1);
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
    host_pus = local_set;
    /* What else ran: rank 0 watches the PUs of every rank on its host, not only its own
     * (mpirun may have bound it to one core), and subtracts those ranks' CPU time. */
    if (rank == 0 && CPU_COUNT(&host_pus) > 0)
        machine_watch_default(&host_pus);
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

/* ---- a rank that fails alone --------------------------------------------------- */

/* The last line this rank said on its stderr (kept in said_fd), without the program's
 * name before it and the "nothing written" that rank 0 says for the whole run, into
 * text; else that it exited with `status`. */
static void last_said(char *text, size_t len, int status)
{
    const char *name = die_program() != NULL ? die_program() : "parlab-mpi";
    const size_t name_len = strlen(name), tail_len = strlen("; nothing written");
    off_t end = said_fd >= 0 ? lseek(said_fd, 0, SEEK_END) : -1, from;
    char buf[1024], *line;
    ssize_t n = 0;
    size_t used;

    if (end > 0) {
        from = end >= (off_t)sizeof buf ? end - (off_t)sizeof buf + 1 : 0;
        n = pread(said_fd, buf, (size_t)(end - from), from);
    }
    used = n > 0 ? (size_t)n : 0;
    buf[used] = '\0';
    while (used > 0 && buf[used - 1] == '\n')
        buf[--used] = '\0';
    line = strrchr(buf, '\n') != NULL ? strrchr(buf, '\n') + 1 : buf;
    if (strncmp(line, name, name_len) == 0 && strncmp(line + name_len, ": ", 2) == 0)
        line += name_len + 2;
    used = strlen(line);
    if (used >= tail_len && strcmp(line + used - tail_len, "; nothing written") == 0)
        line[used - tail_len] = '\0';
    if (line[0] != '\0')
        snprintf(text, len, "%s", line);
    else
        snprintf(text, len, "it exited with status %d and said nothing", status);
}

/* Waits for req until `until` (clock_wall); true when it completed. */
static bool wait_until(MPI_Request *req, double until)
{
    struct timespec pause = {0, 1000 * 1000};
    int done = 0;

    for (;;) {
        MPI_Test(req, &done, MPI_STATUS_IGNORE);
        if (done || clock_wall() > until)
            return done != 0;
        nanosleep(&pause, NULL);
    }
}

/* A rank other than 0 that fails alone once the ranks have agreed on the plan (an
 * allocation, its OpenMP team, PARLAB_FAULT=fail:JOB): the others wait for it in a
 * collective call, or for its job's data, and MPI_Finalize would wait for them, so it
 * leaves its last line in rank 0's window, where rank 0 finds it at its next job or
 * wait, says which rank failed and why, and stops every rank (check_notes).  On one host
 * the note is in rank 0's memory at once (osc/sm); across hosts (osc/pt2pt) it arrives
 * when rank 0 next calls MPI.  When rank 0 has not stopped the run within 2 s (a long
 * job), this rank calls MPI_Abort itself: mpirun's SIGTERM then has rank 0 say it. */
__attribute__((noreturn)) static void fail_alone(int status)
{
    char text[NOTE_TEXT];
    const int64_t there = 1;
    const MPI_Aint at = note_at + (MPI_Aint)rank * NOTE_WORDS;
    const double until = clock_wall() + 1.0;
    MPI_Request req;

    memset(text, 0, sizeof text);
    last_said(text, sizeof text, status);
    MPI_Rput(text, NOTE_TEXT, MPI_BYTE, 0, at + 1, NOTE_TEXT, MPI_BYTE, win, &req);
    if (wait_until(&req, until)) { /* the text first, then the word that says it is there */
        MPI_Raccumulate(&there, 1, MPI_INT64_T, 0, at, 1, MPI_INT64_T, MPI_REPLACE, win, &req);
        if (wait_until(&req, until)) {
            /* rank 0 reads it at its next job or wait, and stops the run (check_notes) */
            struct timespec pause = {0, 10 * 1000 * 1000};

            for (int i = 0; i < 200; i++)
                nanosleep(&pause, NULL);
        }
    }
    MPI_Abort(MPI_COMM_WORLD, status); /* rank 0 did not: in a long job, or not told */
    _exit(status); /* MPI_Abort does not return */
}

/* At exit, whatever the way out: the ranks that met at settle() but not yet at
 * agree() are waiting for rank 0's plan, so rank 0 tells them its status instead,
 * and a rank that fails alone there stops the others.  Once they have agreed, a rank
 * that fails alone (not in step: the others do not know) stops them all, rank 0 after
 * its own line, another rank with a note for rank 0 (fail_alone).  Then MPI_Finalize. */
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
    } else if (agreed && !in_step && status != 0) {
        struct timespec until;

        /* rank 0's payload thread may be in an MPI call: this one waits its turn */
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 1;
        pthread_mutex_timedlock(&queue_lock, &until);
        if (rank != 0 && win != MPI_WIN_NULL)
            fail_alone(status);
        MPI_Abort(MPI_COMM_WORLD, status);
    }
    MPI_Finalize();
}

/* Which ranks share rank 0's host: those whose host communicator `local` holds rank 0
 * (the lowest rank there). */
static void learn_rank0_host(MPI_Comm local)
{
    int lowest, here;

    MPI_Allreduce(&rank, &lowest, 1, MPI_INT, MPI_MIN, local);
    here = lowest == 0;
    with_rank0 = calloc((size_t)ranks, sizeof *with_rank0);
    if (with_rank0 == NULL)
        MPI_Abort(MPI_COMM_WORLD, 1);
    MPI_Allgather(&here, 1, MPI_INT, with_rank0, 1, MPI_INT, MPI_COMM_WORLD);
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
    learn_rank0_host(local);
    MPI_Comm_free(&local);

    if (rank != 0) {
        int null = open("/dev/null", O_WRONLY);

        /* stderr in memory: its last line is what a rank that fails alone tells rank 0 */
        said_fd = memfd_create("parlab-mpi-stderr", MFD_CLOEXEC);
        if (null >= 0) {
            dup2(null, STDOUT_FILENO);
            dup2(said_fd >= 0 ? said_fd : null, STDERR_FILENO);
            close(null);
        }
    }
}

/* ---- the program's hooks ------------------------------------------------------- */

/* PARLAB_MPI_CHUNK=BYTES (for tests): payloads travel in messages of at most BYTES. */
static int chunk_from_env(char *msg, size_t msglen)
{
    const char *text = getenv("PARLAB_MPI_CHUNK");
    uint64_t bytes;

    if (text == NULL)
        return 0;
    if (payload_parse(text, &bytes) != 0 || bytes == 0 || bytes > CHUNK_MAX) {
        snprintf(msg, msglen,
                 "invalid PARLAB_MPI_CHUNK '%s': expected bytes from 1 to 1G, with K, M or G",
                 text);
        return -1;
    }
    chunk_bytes = bytes;
    return 0;
}

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
    if (opt->payload > 0 && ranks > 1 && thread_level < MPI_THREAD_SERIALIZED) {
        snprintf(msg, msglen,
                 "--payload between ranks needs MPI_THREAD_SERIALIZED (a thread of rank 0 "
                 "serves the data), and this MPI library provides only level %d",
                 thread_level);
        return -1;
    }
    if (opt->payload > 0 && chunk_from_env(msg, msglen) != 0)
        return -1;
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
    /* the counter, each job's state, each rank's note (fail_alone) */
    MPI_Aint window = rank == 0 ? (MPI_Aint)((1 + plan->jobs + (size_t)ranks * NOTE_WORDS) *
                                             sizeof(int64_t))
                                : 0;

    note_at = 1 + (MPI_Aint)plan->jobs;
    mine = calloc(plan->jobs, sizeof *mine);
    all = calloc(plan->jobs, sizeof *all);
    seen = calloc(plan->jobs, sizeof *seen);
    byte_counts = calloc((size_t)ranks, sizeof *byte_counts);
    byte_displs = calloc((size_t)ranks, sizeof *byte_displs);
    tallies = calloc((size_t)ranks, sizeof *tallies);
    if (!mine || !all || !seen || !byte_counts || !byte_displs || !tallies)
        return -1; /* mpi_end: rank 0 tells the others, another rank stops them */
    if (rank == 0 && plan->payload > 0 && ranks > 1) {
        outputs = calloc(plan->jobs, sizeof *outputs);
        outputs_ok = calloc(plan->jobs, sizeof *outputs_ok);
        if (outputs == NULL || outputs_ok == NULL)
            return -1;
    }

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
        agreed = in_step = true; /* on this much: mpi_end only finalizes */
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
    /* memcpy's bandwidth for the runs CSV again, while the other ranks wait here: every
     * rank measured it in plan_init at once, and they shared the memory's bandwidth */
    if (rank == 0 && plan->payload > 0 && ranks > 1)
        plan->memcpy_bandwidth = payload_memcpy_bandwidth(plan->payload);
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
        check_notes(false); /* rank 0: the rank it waits for may have failed alone */
        nanosleep(&pause, NULL);
    }
}

/* MPI_Barrier, but rank 0 looks for a note meanwhile (check_notes): the rank it waits
 * for may have failed alone.  Every rank tests without sleeping, as MPI_Barrier waits:
 * the ranks leave it at once, and their job times count from then.  (Every rank calls
 * MPI_Ibarrier: it does not match another rank's MPI_Barrier.) */
static void barrier(void)
{
    MPI_Request req;
    int done = 0;

    MPI_Ibarrier(MPI_COMM_WORLD, &req);
    for (;;) {
        MPI_Test(&req, &done, MPI_STATUS_IGNORE);
        if (done)
            return;
        check_notes(false);
    }
}

/* ---- the payload between ranks ------------------------------------------------- */

/* A job's data lives with rank 0, as a process pool's lives with its parent: a rank that
 * takes a job asks rank 0 for the input, which a thread of rank 0 (the server) makes
 * and sends, and sends the output back, which the server checks.  Point-to-point
 * messages, not the queue's one-sided window: rank 0 has to act for every job anyway
 * (the input exists only once rank 0 has made it, after the job was taken), a window
 * would have to expose a pair of buffers per rank at rank 0, where messages need one,
 * and on one host Open MPI copies a large message once, from one process's memory into
 * the other's (vader's CMA).  Rank 0's own jobs make and check their data in place, as
 * threads do: nothing of theirs travels, and their records say so (bytes_copied 0). */

enum ask_kind { ASK_INPUT = 1, ASK_OUTPUT, ASK_DONE };
struct ask {
    int32_t kind;   /* enum ask_kind */
    int32_t thread; /* the asking thread of its rank: its messages' tags */
    int32_t job;    /* the job of the run (0 .. jobs - 1) */
    int32_t unused;
};
#define TAG_ASK 1
#define TAG_INPUT(t) (16 + 2 * (int)(t))  /* to thread t: its input, after a word */
#define TAG_OUTPUT(t) (17 + 2 * (int)(t)) /* from thread t: its output */

/* A worker's last output, on its way to rank 0 while the worker asks for its next
 * job's input (payload_out), as a child's output waits in its pipe for parlab-procs'
 * parent: the record it counts to, the request, and when its first message went. */
struct output_sent {
    struct job_record *rec;
    MPI_Request req;
    double t0;
};

/* Waits for req, one MPI_Test at a time under queue_lock, so that the rank's other
 * threads (and at rank 0 the server and the workers) call MPI in between: at once
 * again for the first SPIN_S (a message on its way is there within microseconds),
 * then with 50 µs sleeps as wait_calmly has.  With go_on, gives up when it turns
 * false: -1.  With `also`, watches that output meanwhile: once it has reached rank 0,
 * the time since its first message goes into its job's copy_s. */
#define SPIN_S 20e-6
static int wait_in_turn(MPI_Request *req, MPI_Status *status, const bool *go_on,
                        struct output_sent *also)
{
    struct timespec pause = {0, 50 * 1000};
    double spin_until = clock_wall() + SPIN_S;
    int done = 0, arrived = 0;

    for (;;) {
        pthread_mutex_lock(&queue_lock);
        if (also != NULL && also->rec != NULL)
            MPI_Test(&also->req, &arrived, MPI_STATUS_IGNORE);
        MPI_Test(req, &done, status != NULL ? status : MPI_STATUS_IGNORE);
        pthread_mutex_unlock(&queue_lock);
        if (arrived) {
            also->rec->copy_s += clock_wall() - also->t0;
            also->rec = NULL;
            arrived = 0;
        }
        if (done)
            return 0;
        if (go_on != NULL && !__atomic_load_n(go_on, __ATOMIC_ACQUIRE))
            return -1;
        check_notes(false); /* rank 0: the rank at the other end may have failed alone */
        if (clock_wall() > spin_until)
            nanosleep(&pause, NULL);
    }
}

/* Sends (or receives) bytes to (from) rank `peer` with `tag`, in messages of at most
 * chunk_bytes: MPI counts are ints, and a payload may be larger than one holds.  With
 * `last`, the last message is left on its way there, for the caller to wait for. */
static void move_bytes(unsigned char *p, uint64_t bytes, int peer, int tag, bool send,
                       MPI_Request *last)
{
    for (uint64_t at = 0; at < bytes; at += chunk_bytes) {
        const int count = (int)(bytes - at < chunk_bytes ? bytes - at : chunk_bytes);
        MPI_Request req;

        pthread_mutex_lock(&queue_lock);
        if (send)
            MPI_Isend(p + at, count, MPI_BYTE, peer, tag, MPI_COMM_WORLD, &req);
        else
            MPI_Irecv(p + at, count, MPI_BYTE, peer, tag, MPI_COMM_WORLD, &req);
        pthread_mutex_unlock(&queue_lock);
        if (last != NULL && at + chunk_bytes >= bytes)
            *last = req;
        else
            wait_in_turn(&req, NULL, NULL, NULL);
    }
}

static void send_ask(enum ask_kind kind, const struct worker *me, unsigned job)
{
    struct ask a = {(int32_t)kind, me->thread, (int32_t)job, 0};
    MPI_Request req;

    pthread_mutex_lock(&queue_lock);
    MPI_Isend(&a, (int)sizeof a, MPI_BYTE, 0, TAG_ASK, MPI_COMM_WORLD, &req);
    pthread_mutex_unlock(&queue_lock);
    wait_in_turn(&req, NULL, NULL, NULL);
}

/* Waits until the output on its way has reached rank 0 (when it has not yet: rank 0
 * takes the asks of one thread in order, so it has once rank 0 has made the next
 * input). */
static void output_arrived(struct output_sent *sent)
{
    if (sent->rec != NULL) /* its own request: the test that completes it counts its time */
        wait_in_turn(&sent->req, NULL, NULL, sent);
}

/* At a rank other than 0, before job `job`: its input from rank 0 into me->in, once the
 * output before it has arrived there (it is to be overwritten).  Returns the seconds it
 * took to come from when rank 0 had made it (a word says so first), as parlab-procs'
 * children count theirs from the job's number on. */
static double payload_in(const struct plan *plan, const struct worker *me, unsigned job,
                         struct output_sent *sent)
{
    int32_t made = -1;
    MPI_Request req;
    double t0;

    pthread_mutex_lock(&queue_lock);
    MPI_Irecv(&made, (int)sizeof made, MPI_BYTE, 0, TAG_INPUT(me->thread), MPI_COMM_WORLD, &req);
    pthread_mutex_unlock(&queue_lock);
    send_ask(ASK_INPUT, me, job);
    wait_in_turn(&req, NULL, NULL, sent); /* rank 0 takes the output, fills this input, and
                                           * serves the others */
    output_arrived(sent);
    t0 = clock_wall();
    move_bytes(me->in, plan->payload, 0, TAG_INPUT(me->thread), false, NULL);
    return clock_wall() - t0;
}

/* ... and after it: its output sent to rank 0, on its way when this returns (*sent),
 * and into its record the time the input took (the output's follows once it has
 * reached rank 0) and the bytes moved.  (A wrong input makes a wrong output: rank 0's
 * check sees both.) */
static void payload_out(const struct plan *plan, const struct worker *me,
                        struct job_record *rec, double in_s, struct output_sent *sent)
{
    sent->t0 = clock_wall();
    send_ask(ASK_OUTPUT, me, rec->job);
    move_bytes(me->out, plan->payload, 0, TAG_OUTPUT(me->thread), true, &sent->req);
    sent->rec = rec;
    rec->copy_s = in_s;
    rec->bytes_copied = 2 * plan->payload; /* the input came, the output went */
}

/* Rank 0's server: the other ranks' asks in the order they come, one at a time through
 * rank 0's own pair of buffers (the parent's, plan->buffers[workers]), as parlab-procs'
 * parent serves its children; until every thread of the other ranks has said it is
 * done, or serving is cleared (rank 0 failed). */
static void *serve_payloads(void *arg)
{
    const struct plan *plan = ((const struct run *)arg)->plan;
    const struct payload_buffers *pair = &plan->buffers[plan->workers];
    unsigned left = (unsigned)(ranks - 1) * threads;
    static struct ask a; /* static: a receive cancelled late still has its buffer */

    while (left > 0) {
        MPI_Request req;
        MPI_Status status;
        int32_t made;
        int from;

        pthread_mutex_lock(&queue_lock);
        MPI_Irecv(&a, (int)sizeof a, MPI_BYTE, MPI_ANY_SOURCE, TAG_ASK, MPI_COMM_WORLD, &req);
        pthread_mutex_unlock(&queue_lock);
        if (wait_in_turn(&req, &status, &serving, NULL) != 0) {
            pthread_mutex_lock(&queue_lock);
            MPI_Cancel(&req);
            MPI_Wait(&req, MPI_STATUS_IGNORE);
            pthread_mutex_unlock(&queue_lock);
            break;
        }
        from = status.MPI_SOURCE;
        if (a.thread < 0 || (unsigned)a.thread >= threads || a.job < 0 ||
            (unsigned)a.job >= plan->jobs)
            continue; /* not parlab-mpi's: no record will claim such a job's output */
        switch (a.kind) {
        case ASK_INPUT:
            payload_fill(pair->in, plan->payload, (unsigned)a.job);
            made = a.job;
            move_bytes((unsigned char *)&made, sizeof made, from, TAG_INPUT(a.thread), true,
                       NULL);
            move_bytes(pair->in, plan->payload, from, TAG_INPUT(a.thread), true, NULL);
            break;
        case ASK_OUTPUT:
            move_bytes(pair->out, plan->payload, from, TAG_OUTPUT(a.thread), false, NULL);
            outputs[a.job]++;
            outputs_ok[a.job] = payload_check(pair->out, plan->payload, (unsigned)a.job);
            break;
        case ASK_DONE:
            left--;
            break;
        }
    }
    return NULL;
}

/* At rank 0, once the run's barrier is behind: the server, when the others' jobs have
 * data to move.  Returns 0, or -1 with run->error set. */
static int serve_start(struct run *run)
{
    pthread_attr_t attr;
    int err;

    server_started = false;
    if (rank != 0 || ranks == 1 || run->plan->payload == 0)
        return 0;
    __atomic_store_n(&serving, true, __ATOMIC_RELEASE);
    /* On any PU of this host's ranks, not only on rank 0's own (mpirun binds rank 0 to
     * a core, --pin to a PU): there it would wait for rank 0's job to give up the PU
     * before each step, while the rank it serves waits for it with a PU of its own. */
    pthread_attr_init(&attr);
    if (CPU_COUNT(&host_pus) > 0)
        pthread_attr_setaffinity_np(&attr, sizeof host_pus, &host_pus);
    err = pthread_create(&server, &attr, serve_payloads, run);
    pthread_attr_destroy(&attr);
    if (err != 0) {
        snprintf(run->error, sizeof run->error,
                 "cannot start the thread that serves the payloads: %s", strerror(err));
        return -1;
    }
    server_started = true;
    return 0;
}

/* ... and its end: when this rank's workers have stopped, the server ends too, and the
 * others' outputs are all in. */
static void serve_end(void)
{
    if (!server_started)
        return;
    if (stopping) /* rank 0 failed: the server need not wait for the others to finish */
        __atomic_store_n(&serving, false, __ATOMIC_RELEASE);
    pthread_join(server, NULL);
    server_started = false;
}

/* PARLAB_FAULT=fail:JOB: this rank's run fails at job `job`, and its workers take no
 * more jobs. */
static void fail_at(struct run *run, unsigned job)
{
    pthread_mutex_lock(&queue_lock);
    if (!stopping)
        snprintf(run->error, sizeof run->error, "job %u failed, as PARLAB_FAULT=%s asked", job,
                 getenv("PARLAB_FAULT"));
    stopping = true;
    pthread_mutex_unlock(&queue_lock);
}

/* At rank 0: every rank's records into run->jobs, each job once; the others' CPU time
 * into cpu_elsewhere_s.  With a payload, a job that ran elsewhere is right only when its
 * output came back to rank 0 once and right.  Returns 0, or -1 with run->error saying
 * why. */
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
        if (outputs != NULL && plan->payload > 0 && rec->rank != 0)
            run->jobs[rec->job].payload_ok = outputs[rec->job] == 1 && outputs_ok[rec->job];
    }
    for (int r = 1; r < ranks; r++) {
        run->cpu_elsewhere_s += tallies[r].cpu;
        if (!with_rank0[r]) /* its PUs are not among those rank 0 watches */
            run->cpu_unwatched_s += tallies[r].cpu;
    }
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
    in_step = true; /* every rank has the same records and status: they fail together */
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
 * marks that job as this rank's: one locked stretch of MPI calls per job.  With a
 * payload, a rank other than 0 fetches each job's input from rank 0 and sends the
 * output back (payload_in, payload_out), and says when it is done. */
static void take_jobs(struct run *run, const struct worker *me, int64_t first, int64_t end)
{
    const bool moving = run->plan->payload > 0 && rank != 0;
    struct output_sent sent = {NULL, MPI_REQUEST_NULL, 0};
    int64_t k, done = -1;
    unsigned slot = 0;
    bool failed;

    for (;;) {
        double in_s = 0;

        pthread_mutex_lock(&queue_lock);
        check_notes(true); /* rank 0, between its jobs: has another rank failed alone? */
        if (done >= 0)
            mark((unsigned)done, -(rank + 1));
        k = stopping ? end : take_next();
        if (k < end) {
            mark((unsigned)(k - first), rank + 1);
            slot = taken++;
        }
        pthread_mutex_unlock(&queue_lock);
        if (k >= end)
            break;
        if (fault_fails((unsigned)(k - first))) { /* marked as this rank's: rank 0 names it */
            fail_at(run, (unsigned)(k - first));
            return;
        }
        if (moving)
            in_s = payload_in(run->plan, me, (unsigned)(k - first), &sent);
        job_run(run, (unsigned)(k - first), me, &mine[slot]);
        if (moving)
            payload_out(run->plan, me, &mine[slot], in_s, &sent);
        done = k - first;
    }
    pthread_mutex_lock(&queue_lock);
    failed = stopping;
    pthread_mutex_unlock(&queue_lock);
    if (moving && !failed) { /* rank 0's server counts the threads that are done */
        output_arrived(&sent);
        send_ask(ASK_DONE, me, 0);
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

    stopping = false;
    if (!hybrid) {
        struct worker me;

        /* --pin: this host's ranks take this host's places, in the order of their local
         * ranks; the worker's number is the rank */
        worker_start(run, (unsigned)local_rank, WORKER_RANK, &me);
        me.index = (unsigned)rank;
        me.rank = rank;
        me.thread = 0;
        me.fill_input = rank == 0; /* rank 0's jobs: their data made and checked in place */
        if (mine_where != NULL)
            note_whereabouts(&me, &mine_where[0]);
        barrier();
        run->t0 = clock_wall(); /* every rank counts its job times from the barrier */
        if (serve_start(run) != 0)
            return -1;
        take_jobs(run, &me, first, end);
        serve_end();
        return stopping ? -1 : 0;
    }
    barrier();
    run->t0 = clock_wall();
    if (serve_start(run) != 0)
        return -1;
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
        me.fill_input = rank == 0;
        if (mine_where != NULL)
            note_whereabouts(&me, &mine_where[t]);
#pragma omp single
        team = omp_get_num_threads();
        take_jobs(run, &me, first, end);
    }
    serve_end();
    if (stopping)
        return -1;
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

    in_step = false; /* until gather() has shared how this run went */
    if (rank == 0) {
        for (unsigned j = 0; j < plan->jobs; j++) /* before the barrier: no rank marks yet */
            __atomic_store_n(&win_mem[1 + j], 0, __ATOMIC_RELAXED);
        MPI_Win_sync(win);
        if (outputs != NULL) { /* no output has come back yet */
            memset(outputs, 0, plan->jobs * sizeof *outputs);
            memset(outputs_ok, 0, plan->jobs * sizeof *outputs_ok);
        }
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
        if (mine_where == NULL || (rank == 0 && all_where == NULL)) {
            snprintf(run->error, sizeof run->error, "cannot allocate room for -v's lines: %s",
                     strerror(errno));
            return -1; /* this rank alone: mpi_end stops the others */
        }
    }
    clock_process_cpu(&before);
    rc = run_here(run, first, end); /* the barrier, then the jobs */
    clock_process_cpu(&after);
    /* Each worker's last take went past the end once: so many more than the jobs. */
    next_first = end + (int64_t)ranks * threads;
    if (rc != 0) { /* this rank alone: the others wait for its records, and mpi_end stops
                    * them once the error has ended this rank (experiment.c) */
        if (rank == 0) {
            char why[sizeof run->error];

            snprintf(why, sizeof why, "%s", run->error);
            snprintf(run->error, sizeof run->error, "rank 0 (host %.40s): %.190s", hosts[0], why);
        }
        return -1;
    }
    if (tell) {
        print_whereabouts(plan);
        free(mine_where);
        free(all_where);
        mine_where = all_where = NULL;
    }
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
               "ranks: place local rank x T + thread.\n\n"
               "With --payload rank 0 makes every job's input and checks its output: the\n"
               "data of the other ranks' jobs travel in MPI messages, rank 0's own stay in\n"
               "place (jobs CSV: bytes_copied, copy_s).\n",
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
