/*
 * job.h - one job: one kernel call, and the record of where and when it ran.
 */
#ifndef PARLAB_JOB_H
#define PARLAB_JOB_H

#include <stdbool.h>
#include <stdint.h>

#include "parlab/backend.h"

struct run;

/* Where and when one job ran.  Plain data, so a forked child can send it to its
 * parent through a pipe in one atomic write. */
struct job_record {
    uint32_t job;       /* 0 .. jobs - 1 */
    uint32_t worker;    /* 0 .. workers - 1: the thread number or child number */
    int32_t pid;        /* process that ran it */
    int32_t tid;        /* kernel thread id (gettid) that ran it */
    int32_t pu_start;   /* OS CPU number (sched_getcpu) when the kernel began */
    int32_t pu_end;     /* ... and when it ended */
    int32_t pu_planned; /* OS CPU number the worker was bound to; -1 when unbound */
    int32_t bind_error; /* errno of a binding the system refused; 0 otherwise */
    uint32_t switches;  /* times the job handed the lock over (--switch-interval) */
    int32_t payload_ok; /* 1: the output payload was checked and right; 0: wrong */
    uint64_t bytes_copied; /* payload bytes moved between processes for this job */
    double copy_s;      /* time spent moving them: receiving the input, sending the output */
    int32_t done;       /* 1 once job_run() has filled the record */
    int32_t ok;         /* 1 when the result matched the closed form (set by validation) */
    double t_start_s;   /* kernel began, after the lock was taken: s since the run's start */
    double t_end_s;     /* kernel ended, before the lock was given back */
    double cpu_s;       /* CPU time of the kernel call (thread CPU clock) */
    double lock_wait_s; /* time spent waiting for the lock before t_start_s */
    double result;      /* kernel_run(size) */
    int32_t rank;       /* MPI rank that ran it; -1 for the other programs */
    int32_t thread;     /* OpenMP thread within that rank (0 without --threads); -1 elsewhere */
};

/* A worker: a thread or process that runs jobs one after another. */
struct worker {
    unsigned index;  /* 0 .. workers - 1 */
    int pu_planned;  /* the PU it is bound to; -1 when it is not bound */
    int bind_error;  /* errno when binding was refused (it then runs unbound) */
    unsigned char *in, *out; /* its payload buffers, when the plan has a payload */
    bool fill_input; /* the worker makes its own input (threads share the data) */
    int rank, thread; /* MPI: its rank and its thread in the rank; -1 elsewhere (worker_start) */
};


/* Makes the caller worker `index` of `run`: binds it to the PU the plan gave it when
 * the plan pins (with hwloc), else leaves it where it is: a WORKER_THREAD binds the
 * calling thread only, any other kind the whole calling process.  Never fails: a refused
 * binding is kept in bind_error and the worker runs unbound.  The binding outlasts the
 * run: a main thread that was worker 0 stays on worker 0's PU.  Safe in threads and
 * in forked children. */
void worker_start(const struct run *run, unsigned index, enum worker_kind kind,
                  struct worker *me);

/* Runs job `job` on worker `me`: takes the global lock if the plan says so, calls the
 * kernel, and fills *rec.  Safe in threads and in forked children; never fails. */
void job_run(const struct run *run, unsigned job, const struct worker *me,
             struct job_record *rec);

#endif
