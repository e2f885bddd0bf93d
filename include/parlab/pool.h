/*
 * pool.h - a pool of forked worker processes that take jobs from one shared queue
 * and send their job records back to the parent through a pipe.
 *
 * The queue is a counter in shared memory that every child increments atomically:
 * jobs are taken in order by whichever child is free, as joblib's workers take them.
 * The records travel back as bytes through one pipe, each in a single write of less
 * than PIPE_BUF bytes, so writes from different children never interleave: that is
 * the copying between processes the lecture talks about.
 *
 * The parent watches its children while it waits: a child that dies (of a crash, of
 * SIGKILL from outside, or by exiting early) is noticed within a tenth of a second,
 * named with the job it was running, and the other children are stopped and reaped.
 * So are they when the run exceeds its time limit or the parent receives SIGINT,
 * SIGTERM or SIGHUP.  A child dies with its parent (PR_SET_PDEATHSIG), so none is
 * ever left running behind.
 */
#ifndef PARLAB_POOL_H
#define PARLAB_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <stdint.h>

#include "parlab/job.h"

struct pool_queue;

struct pool {
    bool dispatch;             /* the parent hands out the jobs (with their payloads) */
    unsigned workers;
    unsigned jobs;
    unsigned started;          /* children forked so far */
    unsigned self;             /* in a child: its worker number */
    pid_t *pids;
    int *status;               /* wait status of each child, once reaped */
    bool *reaped;
    int fd;                    /* parent: read end of the results pipe; child: write end */
    struct pool_queue *queue;  /* shared between parent and children */
    size_t queue_size;
    /* dispatch mode: a pipe each way per child (to_child[w], from_child[w]); in a
     * child, fd is its end of from_child and in_fd its end of to_child */
    int *to_child, *from_child;
    int in_fd;
    uint64_t payload;
    bool shm;                  /* payloads in shared memory: only job numbers travel */
};

/* Called in each child with its worker number; when it returns the child exits 0. */
typedef void pool_worker_fn(struct pool *pool, unsigned worker, void *arg);

/* Forks `workers` children that each call fn(pool, worker, arg), over a queue of
 * `jobs` jobs.  Flushes every stdio stream first (fflush(NULL)), so that no child
 * holds a copy of unwritten output, and defers SIGINT, SIGTERM and SIGHUP (see
 * interrupt.h) until pool_finish() has reaped the children.  No OpenMP region may have
 * run in this process before (libgomp is not fork-safe), and no lock may be held.
 * Returns 0, or -1 with errno set; on failure no child is left behind. */
int pool_start(struct pool *pool, unsigned workers, unsigned jobs, pool_worker_fn *fn,
               void *arg);

/* In a child: the next job number to run, or -1 when the queue is empty. */
long pool_take(struct pool *pool);

/* Dispatch mode, for jobs with a payload: the parent hands each job to an idle child,
 * through that child's own pipe, with its input (--transport pipe: copied through the
 * pipe; shm: written into the child's buffer in shared memory); the child sends its
 * output back the same way, then the job's record.  The pipes are 1 MiB large and
 * every buffer goes in whole writes, as a process pool's pickled data does.
 *
 * pool_start_dispatch() forks like pool_start() (same conditions); each child calls
 * fn, in which pool_receive() gives it the next job (-1: no more) with its input in
 * `in`, timed into *copy_s, and pool_return() sends the output from `out` (adding its
 * time to rec->copy_s) and the record.  pool_finish_dispatch() hands out the jobs: it
 * makes job k's input in buffers[w].in of worker w (shm) or in `parent_in` (pipe),
 * reads outputs into `parent_out` (pipe), checks every output (payload_ok), and
 * otherwise behaves as pool_finish(). */
int pool_start_dispatch(struct pool *pool, unsigned workers, unsigned jobs, uint64_t payload,
                        bool shm, pool_worker_fn *fn, void *arg);
long pool_receive(struct pool *pool, unsigned char *in, double *copy_s);
int pool_return(struct pool *pool, struct job_record *rec, const unsigned char *out);
int pool_finish_dispatch(struct pool *pool, struct job_record *jobs, unsigned char *const *shm_in,
                         unsigned char *const *shm_out, unsigned char *parent_in,
                         unsigned char *parent_out, double timeout_s, char *err,
                         size_t errlen);

/* In a child: sends one record to the parent.  Returns 0, or -1 with errno set. */
int pool_send(struct pool *pool, const struct job_record *rec);

/* In the parent: receives the records into jobs[rec.job] until every child is done,
 * reaps every child and frees the pool.  timeout_s > 0 bounds the wait.  Returns 0,
 * or -1 with the reason in err, after stopping and reaping every child: a child that
 * died or exited non-zero (naming the job it was running), the time limit, a pending
 * SIGINT/SIGTERM/SIGHUP (which stays pending for the caller to re-raise), a record for
 * an unknown or duplicate job.  Without a pending signal, signals are no longer
 * deferred when it returns. */
int pool_finish(struct pool *pool, struct job_record *jobs, double timeout_s, char *err,
                size_t errlen);

#endif
