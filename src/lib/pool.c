/*
 * pool.c - forked workers, a queue of jobs (a shared counter, or the parent handing
 * them out with their data), pipes for the records, and a parent that keeps watch.
 */
#include "parlab/pool.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "parlab/clock.h"
#include "parlab/interrupt.h"
#include "parlab/payload.h"
#include "parlab/plan.h"

/* One write of a record is atomic only below PIPE_BUF bytes. */
_Static_assert(sizeof(struct job_record) <= PIPE_BUF, "a job record must fit in one pipe write");
/* The counters are shared between processes: they must not need a lock of their own. */
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "the queue needs lock-free atomic ints");

/* How often the waiting parent looks at its children, in milliseconds. */
#define WATCH_MS 100

/* Pipes this large carry a big payload in few system calls (Linux allows 1 MiB to
 * every user by default: /proc/sys/fs/pipe-max-size). */
#define PIPE_BYTES (1 << 20)

struct pool_queue {
    atomic_uint next;    /* the next job to hand out */
    atomic_int running[]; /* per worker: the job it is running, or -1 */
};

/* The from_child pipe that worker w's records go through. */
static unsigned source_of(const struct pool *pool, unsigned w)
{
    return pool->dispatch ? w : 0;
}

/* True when the jobs' data is copied through the pipes (--transport pipe), not left
 * in shared memory. */
static bool through_pipe(const struct pool *pool)
{
    return pool->dispatch && pool->plan->transport != TRANSPORT_SHM;
}

/* The next job of the queue, or -1 when it is empty. */
static long next_job(struct pool *pool)
{
    unsigned k = atomic_fetch_add(&pool->queue->next, 1u);

    return k < pool->plan->jobs ? (long)k : -1;
}

static pid_t wait_child(pid_t pid, int *status, int flags)
{
    pid_t r;

    do
        r = waitpid(pid, status, flags);
    while (r < 0 && errno == EINTR);
    return r;
}

static void close_end(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/* Room for `pipes` pairs of pipe ends, none open yet. */
static int *alloc_ends(unsigned pipes)
{
    int *ends = malloc(2 * (size_t)pipes * sizeof *ends);

    for (unsigned i = 0; ends != NULL && i < 2 * pipes; i++)
        ends[i] = -1;
    return ends;
}

/* Kills the children not yet reaped and reaps them. */
static void stop_children(struct pool *pool)
{
    for (unsigned w = 0; w < pool->started; w++)
        if (!pool->reaped[w])
            kill(pool->pids[w], SIGKILL);
    for (unsigned w = 0; w < pool->started; w++)
        if (!pool->reaped[w] && wait_child(pool->pids[w], &pool->status[w], 0) == pool->pids[w])
            pool->reaped[w] = true;
}

/* Stops the children and frees what the pool holds. */
static void pool_abandon(struct pool *pool)
{
    int saved = errno;

    if (pool->reaped != NULL)
        stop_children(pool);
    for (unsigned i = 0; pool->from_child != NULL && i < 2 * pool->sources; i++)
        close_end(&pool->from_child[i]);
    for (unsigned i = 0; pool->to_child != NULL && i < 2 * pool->plan->workers; i++)
        close_end(&pool->to_child[i]);
    if (pool->queue != NULL && pool->queue != MAP_FAILED)
        munmap(pool->queue, pool->queue_size);
    free(pool->from_child);
    free(pool->to_child);
    free(pool->pids);
    free(pool->status);
    free(pool->reaped);
    free(pool->handed);
    free(pool->ended);
    free(pool->polled);
    memset(pool, 0, sizeof *pool);
    errno = saved;
}

/* In a new child: die with the parent, take back the default signal actions. */
static void become_child(pid_t parent)
{
    interrupt_reset_in_child();
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) /* the parent died before prctl: follow it */
        _exit(EXIT_FAILURE);
}

/* In child w: closes every pipe end but the two that are its own (the write end of its
 * records' pipe, the read end of its jobs' pipe), so that a pipe reaches its end when
 * the children that write it have gone. */
static void keep_own_ends(struct pool *pool, unsigned w)
{
    for (unsigned i = 0; i < 2 * pool->sources; i++)
        if (i != 2 * source_of(pool, w) + 1)
            close_end(&pool->from_child[i]);
    for (unsigned i = 0; pool->to_child != NULL && i < 2 * pool->plan->workers; i++)
        if (i != 2 * w)
            close_end(&pool->to_child[i]);
}

/* Opens pipe `i` of `ends`, made large when it will carry the jobs' data.  The parent's
 * end (`parent_end`: 0, the read end, or 1, the write end) does not block: the parent
 * waits for it with poll(), watching the time limit and the signals while it waits. */
static int open_pipe(const struct pool *pool, int *ends, unsigned i, unsigned parent_end)
{
    int fd;

    if (pipe2(&ends[2 * i], O_CLOEXEC) != 0)
        return -1;
    fd = ends[2 * i + parent_end];
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) != 0)
        return -1;
    if (pool->dispatch) { /* best effort: smaller pipes only take more system calls */
        fcntl(ends[2 * i], F_SETPIPE_SZ, PIPE_BYTES);
        fcntl(ends[2 * i + 1], F_SETPIPE_SZ, PIPE_BYTES);
    }
    return 0;
}

/* Opens worker w's pipes just before it is forked: its records' pipe and its jobs'
 * pipe when the parent hands out the jobs; the shared records' pipe once, for the
 * first.  Opened one worker at a time, and the child's ends closed in the parent
 * right after the fork, they hold at most 2 x workers + 2 descriptors at once
 * (pool_descriptors), not 4 x workers. */
static int open_pipes_of(struct pool *pool, unsigned w)
{
    if (pool->dispatch)
        return open_pipe(pool, pool->from_child, w, 0) != 0 ||
                       open_pipe(pool, pool->to_child, w, 1) != 0
                   ? -1
                   : 0;
    return w == 0 ? open_pipe(pool, pool->from_child, 0, 0) : 0;
}

/* In the parent, after worker w's fork: the ends that are the child's are its own. */
static void close_child_ends(struct pool *pool, unsigned w)
{
    if (pool->dispatch) {
        close_end(&pool->from_child[2 * w + 1]);
        close_end(&pool->to_child[2 * w]);
    } else if (w + 1 == pool->plan->workers) { /* the last child has its copy */
        close_end(&pool->from_child[1]);
    }
}

uint64_t pool_descriptors(const struct plan *plan)
{
    return plan->payload > 0 ? 2 * (uint64_t)plan->workers + 2 : 2;
}

uint64_t pool_pipe_memory(const struct plan *plan)
{
    uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
    uint64_t busy = plan->jobs < plan->workers ? plan->jobs : plan->workers;
    uint64_t full = (plan->payload + page - 1) / page * page + page; /* data, then a record */

    if (plan->payload == 0) /* one pipe of records, PIPE_BUF each, as they are read */
        return 0;
    /* A worker that takes jobs has two pipes: its job and input in one, its output and
     * record in the other, a page each with shared memory, else as much as they hold
     * of the payload; one that takes none gets a single job number (-1). */
    if (plan->transport == TRANSPORT_SHM)
        full = page;
    else if (full > PIPE_BYTES)
        full = PIPE_BYTES;
    return 2 * busy * full + ((uint64_t)plan->workers - busy) * page;
}

int pool_start(struct pool *pool, const struct plan *plan, pool_worker_fn *fn, void *arg)
{
    unsigned workers = plan->workers;
    pid_t parent = getpid();

    memset(pool, 0, sizeof *pool);
    pool->plan = plan;
    pool->dispatch = plan->payload > 0;
    pool->sources = pool->dispatch ? workers : 1;
    pool->pids = calloc(workers, sizeof *pool->pids);
    pool->status = calloc(workers, sizeof *pool->status);
    pool->reaped = calloc(workers, sizeof *pool->reaped);
    pool->handed = calloc(workers, sizeof *pool->handed);
    pool->ended = calloc(pool->sources, sizeof *pool->ended);
    pool->polled = calloc(pool->sources, sizeof *pool->polled);
    pool->from_child = alloc_ends(pool->sources);
    pool->to_child = pool->dispatch ? alloc_ends(workers) : NULL;
    pool->queue_size = sizeof *pool->queue + workers * sizeof pool->queue->running[0];
    pool->queue = mmap(NULL, pool->queue_size, PROT_READ | PROT_WRITE,
                       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (!pool->pids || !pool->status || !pool->reaped || !pool->handed || !pool->ended ||
        !pool->polled || !pool->from_child || (pool->dispatch && !pool->to_child) ||
        pool->queue == MAP_FAILED)
        goto fail;
    atomic_init(&pool->queue->next, 0);
    for (unsigned w = 0; w < workers; w++)
        atomic_init(&pool->queue->running[w], -1);

    /* Every stdio buffer is emptied first: a child gets a copy of each, and one that
     * flushed its copy (at exit, say) would write the parent's output or rows twice. */
    fflush(NULL);
    /* From here on Ctrl-C must not kill the parent before it has stopped the children. */
    interrupt_defer(true);

    /* No OpenMP region may have run in this process before fork(): libgomp's threads
     * would not exist in the child, and its first parallel region could hang. */
    for (unsigned w = 0; w < workers; w++) {
        pid_t pid;

        if (open_pipes_of(pool, w) != 0 || (pid = fork()) < 0)
            goto fail;
        if (pid == 0) {
            become_child(parent);
            keep_own_ends(pool, w);
            pool->self = w;
            fn(pool, w, arg);
            _exit(0); /* no atexit handlers, no stdio buffers: those are the parent's */
        }
        pool->pids[w] = pid;
        pool->started++;
        close_child_ends(pool, w);
    }
    return 0;

fail:
    pool_abandon(pool);
    if (interrupt_pending() == 0)
        interrupt_defer(false);
    return -1;
}

static int wait_for(struct pool *pool, int fd, short events);

/* Reads len bytes.  Returns 1 when it has them all, 0 when the pipe ended before the
 * first, -1 when it ended within them (errno EPIPE), a read failed, or (in the parent,
 * whose ends do not block) the wait for them was stopped: pool->halted. */
static int read_exact(struct pool *pool, int fd, void *buf, uint64_t len)
{
    unsigned char *p = buf;
    uint64_t left = len;

    while (left > 0) {
        ssize_t n = read(fd, p, left > (1u << 30) ? (1u << 30) : (size_t)left);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN) {
            if (wait_for(pool, fd, POLLIN) != 0)
                return -1;
            continue;
        }
        if (n == 0 && left == len)
            return 0;
        if (n <= 0) {
            if (n == 0)
                errno = EPIPE; /* the other end has gone */
            return -1;
        }
        p += n;
        left -= (uint64_t)n;
    }
    return 1;
}

/* Writes len bytes; one record (less than PIPE_BUF) goes in one atomic write.
 * Returns 0, or -1 when a write failed or the wait for room was stopped (as above). */
static int write_exact(struct pool *pool, int fd, const void *buf, uint64_t len)
{
    const unsigned char *p = buf;

    while (len > 0) {
        ssize_t n = write(fd, p, len > (1u << 30) ? (1u << 30) : (size_t)len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN) {
            if (wait_for(pool, fd, POLLOUT) != 0)
                return -1;
            continue;
        }
        if (n < 0)
            return -1;
        p += n;
        len -= (uint64_t)n;
    }
    return 0;
}

long pool_take(struct pool *pool)
{
    const struct plan *plan = pool->plan;
    int fd = pool->dispatch ? pool->to_child[2 * pool->self] : -1;
    int32_t job = -1;
    double t0;

    pool->copy_in_s = 0.0;
    if (!pool->dispatch)
        job = (int32_t)next_job(pool);
    else if (read_exact(pool, fd, &job, sizeof job) != 1)
        return -1; /* no parent any more */
    if (job < 0)
        return -1;
    atomic_store(&pool->queue->running[pool->self], job);
    if (through_pipe(pool)) {
        t0 = clock_wall();
        if (read_exact(pool, fd, plan->buffers[pool->self].in, plan->payload) != 1)
            return -1;
        pool->copy_in_s = clock_wall() - t0;
    }
    return job;
}

int pool_send(struct pool *pool, struct job_record *rec)
{
    const struct plan *plan = pool->plan;
    int fd = pool->from_child[2 * source_of(pool, pool->self) + 1];

    if (through_pipe(pool)) {
        double t0 = clock_wall();

        if (write_exact(pool, fd, plan->buffers[pool->self].out, plan->payload) != 0)
            return -1;
        rec->copy_s += pool->copy_in_s + (clock_wall() - t0);
        rec->bytes_copied = 2 * plan->payload; /* the input came, the output goes */
    }
    if (write_exact(pool, fd, rec, sizeof *rec) != 0)
        return -1;
    atomic_store(&pool->queue->running[pool->self], -1);
    return 0;
}

__attribute__((format(printf, 3, 4))) static int report(char *err, size_t errlen,
                                                       const char *fmt, ...)
{
    va_list ap;

    if (err[0] != '\0') /* keep the first reason */
        return -1;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

/* Stores one received record; a record for an unknown or finished job is an error. */
static int receive(struct pool *pool, const struct job_record *rec, struct job_record *jobs,
                   char *err, size_t errlen)
{
    if (rec->job >= pool->plan->jobs)
        return report(err, errlen, "a worker sent a record for job %u of %u", rec->job,
                      pool->plan->jobs);
    if (jobs[rec->job].done)
        return report(err, errlen, "job %u was run twice", rec->job);
    jobs[rec->job] = *rec;
    return 0;
}

/* "job 5" or "no job" for what worker w was running. */
static void running_job(const struct pool *pool, unsigned w, char *text, size_t len)
{
    int k = atomic_load(&pool->queue->running[w]);

    if (k >= 0)
        snprintf(text, len, "job %d", k);
    else
        snprintf(text, len, "no job");
}

/* The reason a reaped child failed, or 0 when it exited 0. */
static int child_failed(struct pool *pool, unsigned w, char *err, size_t errlen)
{
    int status = pool->status[w];
    char job[32];

    running_job(pool, w, job, sizeof job);
    if (WIFSIGNALED(status))
        return report(err, errlen,
                      "worker %u (pid %ld) was killed by signal %d (%s) while running %s; the "
                      "other workers were stopped",
                      w, (long)pool->pids[w], WTERMSIG(status), strsignal(WTERMSIG(status)),
                      job);
    if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
        return report(err, errlen,
                      "worker %u (pid %ld) exited with status %d while running %s; the other "
                      "workers were stopped",
                      w, (long)pool->pids[w], WEXITSTATUS(status), job);
    return 0;
}

/* Reaps the children that have ended.  Returns -1 when one of them failed. */
static int reap_ended(struct pool *pool, char *err, size_t errlen)
{
    for (unsigned w = 0; w < pool->started; w++) {
        if (pool->reaped[w])
            continue;
        pid_t r = wait_child(pool->pids[w], &pool->status[w], WNOHANG);
        if (r == pool->pids[w]) {
            pool->reaped[w] = true;
            if (child_failed(pool, w, err, errlen) != 0)
                return -1;
        } else if (r < 0) {
            pool->reaped[w] = true; /* not ours to wait for any more */
            return report(err, errlen, "cannot wait for worker %u (pid %ld): %s", w,
                          (long)pool->pids[w], strerror(errno));
        }
    }
    return 0;
}

static bool all_reaped(const struct pool *pool)
{
    for (unsigned w = 0; w < pool->started; w++)
        if (!pool->reaped[w])
            return false;
    return true;
}

/* "jobs 3, 7" that were running when the time ran out: with dispatch, those handed out
 * whose records have not come back (the parent knows, even of a child stopped before
 * it read its job); otherwise those the children say they are running. */
static void list_running(const struct pool *pool, char *text, size_t len)
{
    size_t used = 0;
    unsigned n = 0;

    text[0] = '\0';
    for (unsigned w = 0; w < pool->started && used < len; w++) {
        int k = pool->dispatch ? pool->handed[w] : atomic_load(&pool->queue->running[w]);
        if (k >= 0 && !pool->reaped[w])
            used += (size_t)snprintf(text + used, len - used, "%s%d", n++ ? ", " : "", k);
    }
    if (n == 0)
        snprintf(text, len, "none");
}

/* What the parent does before each wait, in the watch loop or on one pipe: -1 after
 * Ctrl-C or SIGTERM (pool_finish says so), -1 with the reason in pool->err once the
 * deadline (0: none) has passed, else 0 with *wait_ms cut short so that the wait ends
 * at the deadline. */
static int watch_step(struct pool *pool, int *wait_ms)
{
    double left;
    char running[128];

    if (interrupt_pending() != 0)
        return -1;
    if (pool->deadline <= 0)
        return 0;
    left = pool->deadline - clock_wall();
    if (left <= 0) {
        list_running(pool, running, sizeof running);
        return report(pool->err, pool->errlen,
                      "the run timed out after %g s (jobs still running: %s); the workers "
                      "were stopped",
                      pool->plan->timeout, running);
    }
    if (left * 1000 < *wait_ms)
        *wait_ms = (int)(left * 1000) + 1;
    return 0;
}

/* In the parent: a pipe end that has no data or no room yet (EAGAIN).  Waits until it
 * has, a tenth of a second at a time, so that a child that is stopped (SIGSTOP, a
 * debugger) or hung in the middle of a transfer cannot hold the parent past the time
 * limit or past Ctrl-C.  Returns 0 to try again, or -1 with pool->halted set when the
 * time is up or a signal came (the reason as watch_step leaves it), or when poll()
 * failed (errno). */
static int wait_for(struct pool *pool, int fd, short events)
{
    struct pollfd p = {.fd = fd, .events = events, .revents = 0};
    int wait_ms = WATCH_MS;

    if (watch_step(pool, &wait_ms) != 0) {
        pool->halted = true;
        return -1;
    }
    if (poll(&p, 1, wait_ms) < 0 && errno != EINTR) /* EINTR: a signal, seen next time */
        return -1;
    return 0;
}

/* Dispatch: the buffers job data goes through in the parent for worker w: the child's
 * own in shared memory, or the parent's that the pipe is written from and read into. */
static const struct payload_buffers *parent_buffers(const struct pool *pool, unsigned w)
{
    return &pool->plan->buffers[through_pipe(pool) ? pool->plan->workers : w];
}

/* Dispatch: hands worker w its next job (its input made first), or tells it to stop.
 * A child that has died makes the writes fail: reap_ended() says how it ended.
 * Returns 0, or -1 when the time limit or a signal stopped the writes (pool->halted). */
static int hand_out(struct pool *pool, unsigned w)
{
    const struct plan *plan = pool->plan;
    unsigned char *in = parent_buffers(pool, w)->in;
    int32_t job = (int32_t)next_job(pool);
    int fd = pool->to_child[2 * w + 1];

    pool->handed[w] = job;
    if (job >= 0)
        payload_fill(in, plan->payload, (unsigned)job);
    if (write_exact(pool, fd, &job, sizeof job) == 0 && job >= 0 && through_pipe(pool))
        write_exact(pool, fd, in, plan->payload);
    return pool->halted ? -1 : 0;
}

/* Reads what comes through pipe s for one job: the output, when it travels through
 * the pipe, then the record.  Returns 1, 0 when the pipe ended before it, -1 when it
 * ended within it (errno EPIPE), a read failed or the wait was stopped (pool->halted). */
static int read_result(struct pool *pool, unsigned s, struct job_record *rec)
{
    int fd = pool->from_child[2 * s];
    int r;

    if (through_pipe(pool) && pool->handed[s] >= 0) {
        r = read_exact(pool, fd, parent_buffers(pool, s)->out, pool->plan->payload);
        if (r != 1)
            return r;
        if ((r = read_exact(pool, fd, rec, sizeof *rec)) == 0)
            errno = EPIPE;
        return r == 1 ? 1 : -1;
    }
    return read_exact(pool, fd, rec, sizeof *rec);
}

/* Takes in what pipe s has brought: a record (dispatch: checked against the job handed
 * out, its output checked, the next job handed out), or its end (*cut when it ended
 * within a job's data).  Returns 0, or -1 with the reason in err (none for a signal). */
static int take_result(struct pool *pool, unsigned s, struct job_record *jobs, bool *cut,
                       char *err, size_t errlen)
{
    struct job_record rec;
    int r = read_result(pool, s, &rec);

    if (pool->halted)
        return -1;
    if (r < 0 && errno != EPIPE)
        return report(err, errlen, "cannot read the job records: %s", strerror(errno));
    if (r <= 0) {
        pool->ended[s] = true; /* its children have ended: reap_ended() says how */
        *cut = *cut || r < 0;
        return 0;
    }
    if (pool->dispatch) {
        if (pool->handed[s] < 0 || rec.job != (uint32_t)pool->handed[s])
            return report(err, errlen, "worker %u sent a record for job %u, not job %d", s,
                          rec.job, pool->handed[s]);
        rec.payload_ok = payload_check(parent_buffers(pool, s)->out, pool->plan->payload,
                                       rec.job);
    }
    if (receive(pool, &rec, jobs, err, errlen) != 0)
        return -1;
    return pool->dispatch ? hand_out(pool, s) : 0;
}

int pool_finish(struct pool *pool, struct job_record *jobs, char *err, size_t errlen)
{
    double timeout_s = pool->plan->timeout;
    struct sigaction ignore, old_pipe;
    bool cut = false;
    int rc = 0;

    err[0] = '\0';
    pool->err = err;
    pool->errlen = errlen;
    pool->deadline = timeout_s > 0 ? clock_wall() + timeout_s : 0;
    memset(&ignore, 0, sizeof ignore);
    ignore.sa_handler = SIG_IGN; /* a child that died: EPIPE, not the end of the parent */
    sigaction(SIGPIPE, &ignore, &old_pipe);
    for (unsigned w = 0; rc == 0 && pool->dispatch && w < pool->plan->workers; w++)
        rc = hand_out(pool, w);

    while (rc == 0) {
        int wait_ms = WATCH_MS, ready;
        bool open = false;

        if ((rc = watch_step(pool, &wait_ms)) != 0)
            break;
        for (unsigned s = 0; s < pool->sources; s++) {
            pool->polled[s].fd = pool->ended[s] ? -1 : pool->from_child[2 * s];
            pool->polled[s].events = POLLIN;
            pool->polled[s].revents = 0;
            open = open || !pool->ended[s];
        }
        ready = open ? poll(pool->polled, pool->sources, wait_ms) : 0;
        for (unsigned s = 0; ready > 0 && rc == 0 && s < pool->sources; s++)
            if (!pool->ended[s] && pool->polled[s].revents != 0)
                rc = take_result(pool, s, jobs, &cut, err, errlen);
        if (rc != 0 || reap_ended(pool, err, errlen) != 0) {
            rc = -1;
            break;
        }
        if (!open && all_reaped(pool))
            break;
        if (!open) {
            struct timespec pause = {0, 1000000}; /* the children are exiting */
            nanosleep(&pause, NULL);
        }
    }
    if (rc == 0 && cut)
        rc = report(err, errlen, "a worker sent an incomplete job record");
    if (interrupt_pending() != 0) { /* Ctrl-C also kills the children: say why */
        snprintf(err, errlen, "interrupted by signal %d (%s); the workers were stopped",
                 interrupt_pending(), strsignal(interrupt_pending()));
        rc = -1;
    }
    stop_children(pool); /* after a failure, the others; otherwise none is left */
    sigaction(SIGPIPE, &old_pipe, NULL);
    pool_abandon(pool);
    if (interrupt_pending() == 0)
        interrupt_defer(false);
    return rc;
}
