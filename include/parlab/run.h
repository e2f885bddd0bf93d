/*
 * run.h - one run: every job of the plan executed once on the workers, measured,
 * validated, and turned into CSV rows.
 */
#ifndef PARLAB_RUN_H
#define PARLAB_RUN_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "parlab/clock.h"
#include "parlab/csv.h"
#include "parlab/job.h"
#include "parlab/machine.h"
#include "parlab/plan.h"

/* The CSV columns, in the order the files have them.  Plots, labs and outside
 * scripts read these names: add new columns at the end. */
#define RUNS_CSV_HEADER                                                                \
    "run_id,program,workers,jobs,size,lock,pin,rep,wall_s,cpu_self_s,cpu_children_s," \
    "jobs_ok,host,pus,started_at,omp_binding,switch_ms,payload_bytes,transport,memcpy_gbs," \
    "worker_kind,other_cpu_s,load_1m,on_battery,cores,sizes,schedule,label,ranks,kernel,isa"
#define JOBS_CSV_HEADER                                                                \
    "run_id,job,worker,pid,tid,pu_start,pu_end,t_start_s,t_end_s,cpu_s,lock_wait_s,"   \
    "result,ok,pu_planned,bound,switches,copy_s,bytes_copied,size,host,rank,thread,kernel"
#define SLICES_CSV_HEADER "run_id,job,worker,slice,t_start_s,t_end_s"

/* A stretch of a job's kernel during which it held the lock, with GIL-style
 * switching.  Kept only where the workers share the run's memory (threads, serial). */
struct slice {
    uint32_t job, worker;
    double t_start_s, t_end_s;
};

struct slice_log {
    struct slice *slices;
    size_t n, cap;
    bool failed; /* an allocation failed: slices are missing */
};

/* Adds a slice; called by the lock's holder only, so threads never race on it. */
void slice_log_add(struct slice_log *log, uint32_t job, uint32_t worker, double t_start_s,
                   double t_end_s);

struct run {
    const struct plan *plan;
    unsigned rep;          /* 0: the uncounted warm-up; 1 .. reps: counted */
    double t0;             /* CLOCK_MONOTONIC when the run started; job times count from it */
    char run_id[CLOCK_ISO_LEN + PLAN_HOST_LEN + 48]; /* unique across programs, hosts, invocations */
    char started_at[CLOCK_ISO_LEN]; /* ISO 8601 UTC */
    double wall_s;
    double cpu_self_s;     /* this process, all its threads */
    double cpu_children_s; /* children reaped during the run */
    double cpu_elsewhere_s; /* CPU time of workers that are processes of their own but
                             * not children (MPI ranks), as they measured it: run_jobs
                             * sets it, and run_execute adds it to cpu_self_s */
    double cpu_unwatched_s; /* the part of cpu_elsewhere_s spent on PUs the watch does
                             * not cover (ranks on other hosts): not subtracted from
                             * the watched PUs' busy time */
    unsigned jobs_ok;      /* jobs whose result matched the closed form */
    struct machine_watch watch; /* the PUs whose busy time tells what else ran */
    double other_cpu_s;    /* other programs' CPU time on those PUs during the run: their
                            * busy time minus this run's own CPU time; -1 when unknown */
    double load_1m;        /* the 1-minute load average when the run started; -1 unknown */
    const char *on_battery; /* "yes", "no" or "" (the system does not say) */
    struct job_record *jobs; /* plan->jobs records, indexed by job number */
    atomic_uint *calls;    /* plan->jobs counts: how often job_run() began each job in
                            * this run.  Where the workers share memory validation
                            * wants each to be 1: a job run twice by two threads at once
                            * leaves one record, and only the count tells.  (A worker
                            * process counts in its own copy; its parent sees twice
                            * from the records it receives.) */
    struct slice_log *slices; /* with --switch-interval: each job's slices of the lock */
    const char *const *hosts; /* MPI: each rank's host, indexed by a record's rank (run_jobs
                               * sets it); NULL: every job ran on plan->host */
    unsigned ranks;        /* MPI: the ranks that ran the jobs (run_jobs sets it), so that
                            * plan->workers / ranks threads ran in each; 0 elsewhere, an
                            * empty column */
    char error[256];       /* why the run failed */
};

/* Prepares *run for `plan` (allocates the job records).  Returns 0, or -1 with
 * errno set.  The plan must outlive the run. */
int run_init(struct run *run, const struct plan *plan);

/* Executes the plan once as repetition `rep` with plan->prog->run_jobs, measuring
 * wall and CPU time around it, then validates every record: each job ran exactly
 * once and its result matches the closed form (sets jobs_ok and each record's ok).
 * Returns 0, or -1 with run->error saying why (a worker failed, a job is missing, or,
 * where the workers share memory, a job ran more than once: "job 5 ran 2 times").  A
 * wrong result is not an error here: compare jobs_ok with plan->jobs. */
int run_execute(struct run *run, unsigned rep);

/* Prints "rep 2/3: wall time 1.52 s, cpu time 3.01 s (self ... + children ...)". */
void run_print(const struct run *run, FILE *out);

/* Prints one line per job saying where it ran, in the style of the xthi affinity
 * checker: job, worker, host, pid, tid, planned PU, PU at start and at end (and for MPI
 * ranks the rank and its thread). */
void run_print_jobs(const struct run *run, FILE *out);

/* How many workers ran unbound although the plan pinned them, and why (the first
 * errno) in *error. */
unsigned run_unbound_workers(const struct run *run, int *error);

/* Adds this run's rows to the spools: its job rows to `jobs`, its one row to `runs`,
 * its slices to `slices`.  Any may be NULL.  Returns 0, or -1 with errno set. */
int run_spool_rows(const struct run *run, struct csv_spool *runs, struct csv_spool *jobs,
                   struct csv_spool *slices);

/* What the rows of one run in a jobs CSV must show besides the results
 * (run_check_job_rows): the story the timeline tells holds. */
struct job_rows_rule {
    unsigned jobs;      /* one row per job 0 .. jobs - 1, each once */
    unsigned workers;   /* worker numbers 0 .. workers - 1 */
    const char *id;     /* "tid" or "pid": the column in which each worker is one thread
                         * or process, and two workers two different ones */
    bool one_at_a_time; /* no two jobs overlap at all: the lock held by workers that
                         * share it */
};

/* Checks the rows of t, a jobs CSV (header first) that holds one run's rows: as `rule`
 * says, and no worker runs two jobs at once.  Returns 0, or -1 with why saying the
 * first thing that does not hold, in words for a student ("jobs 3 and 8 ran at the
 * same time on worker 1 (0.0120-0.0150 s and 0.0140-0.0170 s)", "worker 0 is two
 * threads: tid 812 ran job 0, tid 815 job 4"), or that t is no such CSV.  Reads t
 * only; safe in threads. */
int run_check_job_rows(const struct csv_table *t, const struct job_rows_rule *rule, char *why,
                       size_t whylen);

/* The host on which the job of `rec` ran: its rank's (run->hosts), else the plan's. */
const char *run_job_host(const struct run *run, const struct job_record *rec);

/* Frees the job records; the run can be initialised again. */
void run_release(struct run *run);

#endif
