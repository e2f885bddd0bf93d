/*
 * pool.h - a pool of forked worker processes that run the jobs of a plan and send
 * their job records back to the parent through pipes.
 *
 * How a child gets its next job depends on the plan, and only on it:
 *
 * - without a payload, the queue is a counter in shared memory that every child
 *   increments atomically: jobs are taken in order by whichever child is free, as
 *   joblib's workers take them.  The records travel back through one pipe that all
 *   children share, each in a single write of less than PIPE_BUF bytes, so writes from
 *   different children never interleave: that is the copying between processes the
 *   lecture talks about;
 * - with a payload (plan->payload > 0), the parent hands each job to an idle child,
 *   through that child's own pipe, with its input (--transport pipe: copied through the
 *   pipe; shm: written into the child's buffers in shared memory, plan->buffers[w]); the
 *   child sends its output back the same way, then the job's record.  The pipes are
 *   1 MiB large and every buffer goes in whole writes, as a process pool's pickled data
 *   does.
 *
 * Either way a child calls pool_take() for its next job and pool_send() for its record.
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
#include <stdint.h>
#include <sys/types.h>

#include "parlab/job.h"

struct plan;
struct pollfd;
struct pool_queue;

struct pool {
    const struct plan *plan;   /* workers, jobs, payload, transport, buffers, timeout */
    bool dispatch;             /* plan->payload > 0: the parent hands out the jobs */
    unsigned started;          /* children forked so far */
    unsigned self;             /* in a child: its worker number */
    pid_t *pids;
    int *status;               /* wait status of each child, once reaped */
    bool *reaped;
    struct pool_queue *queue;  /* shared between parent and children */
    size_t queue_size;
    /* Pipes, as pairs of ends [2i] (read) and [2i + 1] (write): the records come back
     * through from_child, one pipe shared by all (queue) or one per child (dispatch);
     * dispatch hands out the jobs through to_child, one per child.  An end a process
     * does not hold is -1. */
    unsigned sources;          /* pipes in from_child: 1, or one per child */
    int *from_child, *to_child;
    int *handed;               /* parent, dispatch: the job handed to each child, or -1 */
    bool *ended;               /* parent: each from_child pipe has reached its end */
    struct pollfd *polled;     /* parent: one per from_child pipe */
    double copy_in_s;          /* child, dispatch: time its last job's input took */
    /* The parent, in pool_finish(): its ends of the pipes do not block, and every wait
     * on them looks at these. */
    double deadline;           /* when the run times out (clock_wall), 0 for never */
    char *err;                 /* where the reason for stopping goes */
    size_t errlen;
    bool halted;               /* a wait on a pipe was stopped: time limit or signal */
};

/* The descriptors pool_start() and pool_finish() hold open at once, at most, for the
 * plan's workers and payload: its pipes' ends in the parent.  The children's are
 * copies of some of them, made by fork(). */
uint64_t pool_descriptors(const struct plan *plan);

/* The bytes that the pool's pipes can hold at once, at most, for the plan's workers,
 * jobs, payload and transport: kernel memory, taken as the data is written. */
uint64_t pool_pipe_memory(const struct plan *plan);

/* Called in each child with its worker number; when it returns the child exits 0. */
typedef void pool_worker_fn(struct pool *pool, unsigned worker, void *arg);

/* Forks plan->workers children that each call fn(pool, worker, arg), over a queue of
 * plan->jobs jobs; with plan->payload > 0 the parent will hand them out (see above).
 * The plan must outlive the pool.  Flushes every stdio stream first (fflush(NULL)), so
 * that no child holds a copy of unwritten output, and defers SIGINT, SIGTERM and SIGHUP
 * (see interrupt.h) until pool_finish() has reaped the children.  No OpenMP region may
 * have run in this process before (libgomp is not fork-safe), and no lock may be held.
 * Returns 0, or -1 with errno set; on failure no child is left behind. */
int pool_start(struct pool *pool, const struct plan *plan, pool_worker_fn *fn, void *arg);

/* In a child: the next job number to run, or -1 when there is none (or no parent).
 * With a payload, the job's input is then in plan->buffers[worker].in. */
long pool_take(struct pool *pool);

/* In a child: sends the record of the job pool_take() gave it to the parent, after the
 * job's output (plan->buffers[worker].out) when it travels through the pipe; then adds
 * the time the input and output took to rec->copy_s and their bytes to
 * rec->bytes_copied.  Returns 0, or -1 with errno set. */
int pool_send(struct pool *pool, struct job_record *rec);

/* In the parent: hands out the jobs (dispatch: job k's input made in the buffers of the
 * child that runs it, or in the parent's, plan->buffers[plan->workers], that the pipe
 * carries) and receives the records into jobs[rec.job] until every child is done (with
 * a payload, each output checked: rec.payload_ok), reaps every child and frees the
 * pool.  plan->timeout > 0 bounds the wait.  Returns 0, or -1 with the reason in err,
 * after stopping and reaping every child: a child that died or exited non-zero (naming
 * the job it was running), the time limit, a pending SIGINT/SIGTERM/SIGHUP (which stays
 * pending for the caller to re-raise), a record for an unknown or duplicate job, or for
 * another job than the one handed out.  Without a pending signal, signals are no longer
 * deferred when it returns. */
int pool_finish(struct pool *pool, struct job_record *jobs, char *err, size_t errlen);

#endif
