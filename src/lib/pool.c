/*
 * pool.c - forked workers, a shared job queue, and a pipe for the records.
 */
#include "parlab/pool.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

/* One write of a record is atomic only below PIPE_BUF bytes. */
_Static_assert(sizeof(struct job_record) <= PIPE_BUF, "a job record must fit in one pipe write");
/* The counter is shared between processes: it must not need a lock of its own. */
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "the queue needs lock-free atomic unsigned ints");

struct pool_queue {
    atomic_uint next; /* the next job to hand out */
};

static pid_t wait_child(pid_t pid, int *status)
{
    pid_t r;

    do
        r = waitpid(pid, status, 0);
    while (r < 0 && errno == EINTR);
    return r;
}

/* Kills and reaps the children started so far, and frees what the pool holds. */
static void pool_abandon(struct pool *pool)
{
    int saved = errno, status;

    for (unsigned w = 0; w < pool->started; w++)
        kill(pool->pids[w], SIGKILL);
    for (unsigned w = 0; w < pool->started; w++)
        wait_child(pool->pids[w], &status);
    if (pool->fd >= 0)
        close(pool->fd);
    if (pool->queue != NULL && pool->queue != MAP_FAILED)
        munmap(pool->queue, sizeof *pool->queue);
    free(pool->pids);
    memset(pool, 0, sizeof *pool);
    pool->fd = -1;
    errno = saved;
}

int pool_start(struct pool *pool, unsigned workers, unsigned jobs, pool_worker_fn *fn,
               void *arg)
{
    int fds[2] = {-1, -1};

    memset(pool, 0, sizeof *pool);
    pool->fd = -1;
    pool->workers = workers;
    pool->jobs = jobs;
    pool->pids = calloc(workers, sizeof *pool->pids);
    pool->queue = mmap(NULL, sizeof *pool->queue, PROT_READ | PROT_WRITE,
                       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (pool->pids == NULL || pool->queue == MAP_FAILED)
        goto fail;
    atomic_init(&pool->queue->next, 0);
    if (pipe2(fds, O_CLOEXEC) != 0)
        goto fail;

    /* Every stdio buffer is emptied first: a child gets a copy of each, and one that
     * flushed its copy (at exit, say) would write the parent's output or rows twice. */
    fflush(NULL);

    /* No OpenMP region may have run in this process before fork(): libgomp's threads
     * would not exist in the child, and its first parallel region could hang. */
    for (unsigned w = 0; w < workers; w++) {
        pid_t pid = fork();

        if (pid < 0)
            goto fail;
        if (pid == 0) {
            close(fds[0]);
            pool->fd = fds[1];
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
    return -1;
}

long pool_take(struct pool *pool)
{
    unsigned k = atomic_fetch_add(&pool->queue->next, 1u);

    return k < pool->jobs ? (long)k : -1;
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

int pool_finish(struct pool *pool, struct job_record *jobs, char *err, size_t errlen)
{
    unsigned char buf[sizeof(struct job_record)];
    size_t have = 0;
    int rc = 0, status;

    err[0] = '\0';
    for (;;) { /* until every child has closed its end of the pipe */
        ssize_t n = read(pool->fd, buf + have, sizeof buf - have);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = report(err, errlen, "cannot read the job records: %s", strerror(errno));
            for (unsigned w = 0; w < pool->started; w++)
                kill(pool->pids[w], SIGKILL); /* they may block on a full pipe */
            break;
        }
        if (n == 0)
            break;
        have += (size_t)n;
        if (have == sizeof buf) {
            struct job_record rec;

            memcpy(&rec, buf, sizeof rec);
            have = 0;
            if (receive(pool, &rec, jobs, err, errlen) != 0)
                rc = -1;
        }
    }
    if (have != 0)
        rc = report(err, errlen, "a worker sent an incomplete job record");

    for (unsigned w = 0; w < pool->started; w++) {
        pid_t pid = pool->pids[w];

        if (wait_child(pid, &status) < 0)
            rc = report(err, errlen, "cannot wait for worker %u (pid %ld): %s", w, (long)pid,
                        strerror(errno));
        else if (WIFSIGNALED(status))
            rc = report(err, errlen, "worker %u (pid %ld) was killed by signal %d (%s)", w,
                        (long)pid, WTERMSIG(status), strsignal(WTERMSIG(status)));
        else if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
            rc = report(err, errlen, "worker %u (pid %ld) exited with status %d", w, (long)pid,
                        WEXITSTATUS(status));
    }
    pool->started = 0; /* all reaped */
    pool_abandon(pool);
    return rc;
}
