/*
 * pool.c - forked workers, a shared job queue, a pipe for the records, and a parent
 * that keeps watch.
 */
#include "parlab/pool.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
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

/* One write of a record is atomic only below PIPE_BUF bytes. */
_Static_assert(sizeof(struct job_record) <= PIPE_BUF, "a job record must fit in one pipe write");
/* The counters are shared between processes: they must not need a lock of their own. */
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "the queue needs lock-free atomic ints");

/* How often the waiting parent looks at its children, in milliseconds. */
#define WATCH_MS 100

struct pool_queue {
    atomic_uint next;    /* the next job to hand out */
    atomic_int running[]; /* per worker: the job it is running, or -1 */
};

static pid_t wait_child(pid_t pid, int *status, int flags)
{
    pid_t r;

    do
        r = waitpid(pid, status, flags);
    while (r < 0 && errno == EINTR);
    return r;
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
    if (pool->fd >= 0)
        close(pool->fd);
    for (unsigned w = 0; w < 2 * pool->workers && pool->to_child != NULL; w++) {
        if (pool->to_child[w] >= 0)
            close(pool->to_child[w]);
        if (pool->from_child[w] >= 0)
            close(pool->from_child[w]);
    }
    free(pool->to_child);
    free(pool->from_child);
    if (pool->queue != NULL && pool->queue != MAP_FAILED)
        munmap(pool->queue, pool->queue_size);
    free(pool->pids);
    free(pool->status);
    free(pool->reaped);
    memset(pool, 0, sizeof *pool);
    pool->fd = -1;
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

int pool_start(struct pool *pool, unsigned workers, unsigned jobs, pool_worker_fn *fn,
               void *arg)
{
    int fds[2] = {-1, -1};
    pid_t parent = getpid();

    memset(pool, 0, sizeof *pool);
    pool->fd = -1;
    pool->workers = workers;
    pool->jobs = jobs;
    pool->pids = calloc(workers, sizeof *pool->pids);
    pool->status = calloc(workers, sizeof *pool->status);
    pool->reaped = calloc(workers, sizeof *pool->reaped);
    pool->queue_size = sizeof *pool->queue + workers * sizeof pool->queue->running[0];
    pool->queue = mmap(NULL, pool->queue_size, PROT_READ | PROT_WRITE,
                       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (!pool->pids || !pool->status || !pool->reaped || pool->queue == MAP_FAILED)
        goto fail;
    atomic_init(&pool->queue->next, 0);
    for (unsigned w = 0; w < workers; w++)
        atomic_init(&pool->queue->running[w], -1);
    if (pipe2(fds, O_CLOEXEC) != 0)
        goto fail;

    /* Every stdio buffer is emptied first: a child gets a copy of each, and one that
     * flushed its copy (at exit, say) would write the parent's output or rows twice. */
    fflush(NULL);
    /* From here on Ctrl-C must not kill the parent before it has stopped the children. */
    interrupt_defer(true);

    /* No OpenMP region may have run in this process before fork(): libgomp's threads
     * would not exist in the child, and its first parallel region could hang. */
    for (unsigned w = 0; w < workers; w++) {
        pid_t pid = fork();

        if (pid < 0)
            goto fail;
        if (pid == 0) {
            become_child(parent);
            close(fds[0]);
            pool->fd = fds[1];
            pool->self = w;
            fn(pool, w, arg);
            _exit(0); /* no atexit handlers, no stdio buffers: those are the parent's */
        }
        pool->pids[w] = pid;
        pool->started++;
    }
    close(fds[1]);
    pool->fd = fds[0];
    return 0;

fail:
    if (fds[1] >= 0)
        close(fds[1]);
    pool->fd = fds[0];
    pool_abandon(pool);
    if (interrupt_pending() == 0)
        interrupt_defer(false);
    return -1;
}

long pool_take(struct pool *pool)
{
    unsigned k = atomic_fetch_add(&pool->queue->next, 1u);

    if (k >= pool->jobs)
        return -1;
    atomic_store(&pool->queue->running[pool->self], (int)k);
    return (long)k;
}

int pool_send(struct pool *pool, const struct job_record *rec)
{
    ssize_t n;

    do
        n = write(pool->fd, rec, sizeof *rec);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return -1;
    if ((size_t)n != sizeof *rec) {
        errno = EIO;
        return -1;
    }
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
    if (rec->job >= pool->jobs)
        return report(err, errlen, "a worker sent a record for job %u of %u", rec->job,
                      pool->jobs);
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

/* "jobs 3, 7" that were running when the time ran out. */
static void list_running(const struct pool *pool, char *text, size_t len)
{
    size_t used = 0;
    unsigned n = 0;

    text[0] = '\0';
    for (unsigned w = 0; w < pool->started && used < len; w++) {
        int k = atomic_load(&pool->queue->running[w]);
        if (k >= 0 && !pool->reaped[w])
            used += (size_t)snprintf(text + used, len - used, "%s%d", n++ ? ", " : "", k);
    }
    if (n == 0)
        snprintf(text, len, "none");
}

/* What both watch loops do before each wait: -1 after Ctrl-C or SIGTERM (the caller
 * says so), -1 with the reason in err once the deadline (0: none) has passed, else 0
 * with *wait_ms cut short so that the wait ends at the deadline. */
static int watch_step(const struct pool *pool, double deadline, double timeout_s, int *wait_ms,
                      char *err, size_t errlen)
{
    double left;
    char running[128];

    if (interrupt_pending() != 0)
        return -1;
    if (deadline <= 0)
        return 0;
    left = deadline - clock_wall();
    if (left <= 0) {
        list_running(pool, running, sizeof running);
        return report(err, errlen,
                      "the run timed out after %g s (jobs still running: %s); the workers "
                      "were stopped",
                      timeout_s, running);
    }
    if (left * 1000 < *wait_ms)
        *wait_ms = (int)(left * 1000) + 1;
    return 0;
}

int pool_finish(struct pool *pool, struct job_record *jobs, double timeout_s, char *err,
                size_t errlen)
{
    unsigned char buf[sizeof(struct job_record)];
    double deadline = timeout_s > 0 ? clock_wall() + timeout_s : 0;
    bool eof = false;
    size_t have = 0;
    int rc = 0;

    err[0] = '\0';
    for (;;) {
        struct pollfd pfd = {pool->fd, POLLIN, 0};
        int wait_ms = WATCH_MS;

        if ((rc = watch_step(pool, deadline, timeout_s, &wait_ms, err, errlen)) != 0)
            break;
        if (!eof && poll(&pfd, 1, wait_ms) > 0) {
            ssize_t n = read(pool->fd, buf + have, sizeof buf - have);

            if (n == 0) {
                eof = true; /* every child has closed its end */
            } else if (n < 0 && errno != EINTR && errno != EAGAIN) {
                rc = report(err, errlen, "cannot read the job records: %s", strerror(errno));
                break;
            } else if (n > 0 && (have += (size_t)n) == sizeof buf) {
                struct job_record rec;

                memcpy(&rec, buf, sizeof rec);
                have = 0;
                if (receive(pool, &rec, jobs, err, errlen) != 0) {
                    rc = -1;
                    break;
                }
            }
        } else if (eof) {
            struct timespec pause = {0, 1000000}; /* the children are exiting */
            nanosleep(&pause, NULL);
        }
        if (reap_ended(pool, err, errlen) != 0) {
            rc = -1;
            break;
        }
        if (eof && all_reaped(pool))
            break;
    }
    if (rc == 0 && have != 0)
        rc = report(err, errlen, "a worker sent an incomplete job record");
    if (interrupt_pending() != 0) { /* Ctrl-C also kills the children: say why */
        snprintf(err, errlen, "interrupted by signal %d (%s); the workers were stopped",
                 interrupt_pending(), strsignal(interrupt_pending()));
        rc = -1;
    }
    stop_children(pool); /* after a failure, the others; otherwise none is left */
    pool_abandon(pool);
    if (interrupt_pending() == 0)
        interrupt_defer(false);
    return rc;
}

/* ---- dispatch mode: the parent hands out jobs with their payloads ----------------- */

/* Pipes this large carry a big payload in few system calls (Linux allows 1 MiB to
 * every user by default: /proc/sys/fs/pipe-max-size). */
#define PIPE_BYTES (1 << 20)

static int read_exact(int fd, void *buf, uint64_t len)
{
    unsigned char *p = buf;

    while (len > 0) {
        ssize_t n = read(fd, p, len > (1u << 30) ? (1u << 30) : (size_t)len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                errno = EPIPE; /* the other end has gone */
            return -1;
        }
        p += n;
        len -= (uint64_t)n;
    }
    return 0;
}

static int write_exact(int fd, const void *buf, uint64_t len)
{
    const unsigned char *p = buf;

    while (len > 0) {
        ssize_t n = write(fd, p, len > (1u << 30) ? (1u << 30) : (size_t)len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        p += n;
        len -= (uint64_t)n;
    }
    return 0;
}

int pool_start_dispatch(struct pool *pool, unsigned workers, unsigned jobs, uint64_t payload,
                        bool shm, pool_worker_fn *fn, void *arg)
{
    pid_t parent = getpid();

    memset(pool, 0, sizeof *pool);
    pool->fd = pool->in_fd = -1;
    pool->dispatch = true;
    pool->workers = workers;
    pool->jobs = jobs;
    pool->payload = payload;
    pool->shm = shm;
    pool->pids = calloc(workers, sizeof *pool->pids);
    pool->status = calloc(workers, sizeof *pool->status);
    pool->reaped = calloc(workers, sizeof *pool->reaped);
    pool->to_child = malloc(2 * workers * sizeof *pool->to_child);
    pool->from_child = malloc(2 * workers * sizeof *pool->from_child);
    pool->queue_size = sizeof *pool->queue + workers * sizeof pool->queue->running[0];
    pool->queue = mmap(NULL, pool->queue_size, PROT_READ | PROT_WRITE,
                       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (!pool->pids || !pool->status || !pool->reaped || !pool->to_child || !pool->from_child ||
        pool->queue == MAP_FAILED)
        goto fail;
    for (unsigned w = 0; w < 2 * workers; w++)
        pool->to_child[w] = pool->from_child[w] = -1;
    for (unsigned w = 0; w < workers; w++) {
        atomic_init(&pool->queue->running[w], -1);
        if (pipe2(&pool->to_child[2 * w], O_CLOEXEC) != 0 ||
            pipe2(&pool->from_child[2 * w], O_CLOEXEC) != 0)
            goto fail;
        fcntl(pool->to_child[2 * w], F_SETPIPE_SZ, PIPE_BYTES); /* best effort */
        fcntl(pool->from_child[2 * w], F_SETPIPE_SZ, PIPE_BYTES);
    }

    fflush(NULL); /* no child may inherit unwritten output */
    interrupt_defer(true);
    /* No OpenMP region may have run in this process before fork(). */
    for (unsigned w = 0; w < workers; w++) {
        pid_t pid = fork();

        if (pid < 0)
            goto fail;
        if (pid == 0) {
            become_child(parent);
            for (unsigned v = 0; v < workers; v++) { /* keep only its own two ends */
                if (v != w)
                    close(pool->to_child[2 * v]), close(pool->from_child[2 * v + 1]);
                close(pool->to_child[2 * v + 1]);
                close(pool->from_child[2 * v]);
            }
            pool->in_fd = pool->to_child[2 * w];
            pool->fd = pool->from_child[2 * w + 1];
            pool->self = w;
            fn(pool, w, arg);
            _exit(0);
        }
        pool->pids[w] = pid;
        pool->started++;
    }
    for (unsigned w = 0; w < workers; w++) { /* the children's ends are theirs */
        close(pool->to_child[2 * w]);
        close(pool->from_child[2 * w + 1]);
        pool->to_child[2 * w] = pool->from_child[2 * w + 1] = -1;
    }
    return 0;

fail:
    pool_abandon(pool);
    if (interrupt_pending() == 0)
        interrupt_defer(false);
    return -1;
}

long pool_receive(struct pool *pool, unsigned char *in, double *copy_s)
{
    int32_t job;
    double t0;

    *copy_s = 0.0;
    if (read_exact(pool->in_fd, &job, sizeof job) != 0 || job < 0)
        return -1; /* no more jobs, or no parent */
    atomic_store(&pool->queue->running[pool->self], job);
    if (!pool->shm && pool->payload > 0) {
        t0 = clock_wall();
        if (read_exact(pool->in_fd, in, pool->payload) != 0)
            return -1;
        *copy_s = clock_wall() - t0;
    }
    return job;
}

int pool_return(struct pool *pool, struct job_record *rec, const unsigned char *out)
{
    if (!pool->shm && pool->payload > 0) {
        double t0 = clock_wall();

        if (write_exact(pool->fd, out, pool->payload) != 0)
            return -1;
        rec->copy_s += clock_wall() - t0;
        rec->bytes_copied = 2 * pool->payload; /* the input came, the output goes */
    }
    if (write_exact(pool->fd, rec, sizeof *rec) != 0)
        return -1;
    atomic_store(&pool->queue->running[pool->self], -1);
    return 0;
}

/* Hands worker w its next job (its input made first), or tells it to stop. */
static int hand_out(struct pool *pool, unsigned w, unsigned *next, int *running,
                    unsigned char *const *shm_in, unsigned char *parent_in)
{
    int32_t job = *next < pool->jobs ? (int32_t)(*next)++ : -1;
    int fd = pool->to_child[2 * w + 1];

    running[w] = job;
    if (job >= 0 && pool->payload > 0)
        payload_fill(pool->shm ? shm_in[w] : parent_in, pool->payload, (unsigned)job);
    if (write_exact(fd, &job, sizeof job) != 0)
        return -1;
    if (job >= 0 && !pool->shm && pool->payload > 0 &&
        write_exact(fd, parent_in, pool->payload) != 0)
        return -1;
    return 0;
}

int pool_finish_dispatch(struct pool *pool, struct job_record *jobs, unsigned char *const *shm_in,
                         unsigned char *const *shm_out, unsigned char *parent_in,
                         unsigned char *parent_out, double timeout_s, char *err,
                         size_t errlen)
{
    double deadline = timeout_s > 0 ? clock_wall() + timeout_s : 0;
    int *running = calloc(pool->workers, sizeof *running);
    bool *done = calloc(pool->workers, sizeof *done); /* its pipe reached its end */
    struct pollfd *pfd = calloc(pool->workers, sizeof *pfd);
    struct sigaction ignore, old_pipe;
    unsigned next = 0;
    int rc = 0;

    err[0] = '\0';
    memset(&ignore, 0, sizeof ignore);
    ignore.sa_handler = SIG_IGN; /* a child that died: EPIPE, not the end of the parent */
    sigaction(SIGPIPE, &ignore, &old_pipe);
    if (running == NULL || done == NULL || pfd == NULL) {
        rc = report(err, errlen, "cannot hand out the jobs: %s", strerror(errno));
        goto out;
    }
    for (unsigned w = 0; w < pool->workers; w++)
        hand_out(pool, w, &next, running, shm_in, parent_in); /* a dead child shows below */

    for (;;) {
        int wait_ms = WATCH_MS, ready;
        bool open = false;

        if ((rc = watch_step(pool, deadline, timeout_s, &wait_ms, err, errlen)) != 0)
            break;
        for (unsigned w = 0; w < pool->workers; w++) {
            pfd[w].fd = done[w] ? -1 : pool->from_child[2 * w];
            pfd[w].events = POLLIN;
            pfd[w].revents = 0;
            open = open || !done[w];
        }
        ready = open ? poll(pfd, pool->workers, wait_ms) : 0;
        for (unsigned w = 0; ready > 0 && w < pool->workers; w++) {
            struct job_record rec;
            int fd = pool->from_child[2 * w];

            if (done[w] || pfd[w].revents == 0)
                continue;
            if ((running[w] >= 0 && !pool->shm && pool->payload > 0 &&
                 read_exact(fd, parent_out, pool->payload) != 0) ||
                read_exact(fd, &rec, sizeof rec) != 0) {
                done[w] = true; /* it has ended: reap_ended below says how */
                continue;
            }
            if (running[w] < 0 || rec.job != (uint32_t)running[w]) {
                rc = report(err, errlen, "worker %u sent a record for job %u, not job %d", w,
                            rec.job, running[w]);
                break;
            }
            rec.payload_ok = pool->payload == 0 ||
                             payload_check(pool->shm ? shm_out[w] : parent_out, pool->payload,
                                           rec.job);
            if (receive(pool, &rec, jobs, err, errlen) != 0) {
                rc = -1;
                break;
            }
            hand_out(pool, w, &next, running, shm_in, parent_in);
        }
        if (rc != 0 || reap_ended(pool, err, errlen) != 0) {
            rc = -1;
            break;
        }
        if (all_reaped(pool))
            break;
        if (!open) {
            struct timespec pause = {0, 1000000}; /* the children are exiting */
            nanosleep(&pause, NULL);
        }
    }
out:
    if (interrupt_pending() != 0) {
        snprintf(err, errlen, "interrupted by signal %d (%s); the workers were stopped",
                 interrupt_pending(), strsignal(interrupt_pending()));
        rc = -1;
    }
    stop_children(pool);
    sigaction(SIGPIPE, &old_pipe, NULL);
    free(running);
    free(done);
    free(pfd);
    pool_abandon(pool);
    if (interrupt_pending() == 0)
        interrupt_defer(false);
    return rc;
}
