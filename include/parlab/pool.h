/*
 * pool.h - a pool of forked worker processes that take jobs from one shared queue
 * and send their job records back to the parent through a pipe.
 *
 * The queue is a counter in shared memory that every child increments atomically:
 * jobs are taken in order by whichever child is free, as joblib's workers take them.
 * The records travel back as bytes through one pipe, each in a single write of less
 * than PIPE_BUF bytes, so writes from different children never interleave: that is
 * the copying between processes the lecture talks about.
 */
#ifndef PARLAB_POOL_H
#define PARLAB_POOL_H

#include <stddef.h>
#include <sys/types.h>

#include "parlab/job.h"

struct pool_queue;

struct pool {
    unsigned workers;
    unsigned jobs;
    unsigned started;          /* children forked so far */
    pid_t *pids;
    int fd;                    /* parent: read end of the results pipe; child: write end */
    struct pool_queue *queue;  /* shared between parent and children */
};

/* Called in each child with its worker number; when it returns the child exits 0. */
typedef void pool_worker_fn(struct pool *pool, unsigned worker, void *arg);

/* Forks `workers` children that each call fn(pool, worker, arg), over a queue of
 * `jobs` jobs.  Flushes every stdio stream first (fflush(NULL)), so that no child
 * holds a copy of unwritten output.  No OpenMP region may have run in this process
 * before (libgomp is not fork-safe), and no lock may be held.  Returns 0, or -1 with
 * errno set; on failure no child is left behind. */
int pool_start(struct pool *pool, unsigned workers, unsigned jobs, pool_worker_fn *fn,
               void *arg);

/* In a child: the next job number to run, or -1 when the queue is empty. */
long pool_take(struct pool *pool);

/* In a child: sends one record to the parent.  Returns 0, or -1 with errno set. */
int pool_send(struct pool *pool, const struct job_record *rec);

/* In the parent: receives the records into jobs[rec.job], reaps every child and
 * frees the pool.  Returns 0, or -1 with the reason in err (a child that crashed or
 * exited non-zero, a record for an unknown or duplicate job, a job nobody ran). */
int pool_finish(struct pool *pool, struct job_record *jobs, char *err, size_t errlen);

#endif
