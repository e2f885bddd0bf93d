/*
 * plan.h - what a program will do, fully resolved: the kernel size (calibrated when
 * not given), the machine, and the identity every run of this invocation carries.
 */
#ifndef PARLAB_PLAN_H
#define PARLAB_PLAN_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "parlab/cli.h"
#include "parlab/clock.h"
#include "parlab/kernel.h"
#include "parlab/lock.h"
#include "parlab/pin.h"
#include "parlab/program.h"
#include "parlab/topo.h"

#define PLAN_HOST_LEN 256

/* How long a warm-up job takes at most: long enough for a CPU governor to raise the
 * clock (they react within milliseconds to tens of milliseconds). */
#define PLAN_WARMUP_JOB_SECONDS 0.05

struct plan {
    const struct program *prog;
    unsigned jobs;
    unsigned workers;
    const char *workers_from; /* "-w", "OMP_NUM_THREADS", "mpirun" or "default" (struct options) */
    unsigned reps;
    unsigned warmup_jobs; /* the uncounted warm-up's jobs: one per worker, at most jobs */
    uint64_t warmup_size; /* their kernel n: jobs of about PLAN_WARMUP_JOB_SECONDS, at most size */
    uint64_t size;        /* kernel n; with --sizes, the largest job's */
    uint64_t steps;       /* C(n,4): innermost steps per job (the largest, with --sizes) */
    double expected;      /* kernel_closed_form(size): what every job must return, when
                           * the jobs are of one size */
    const char *sizes;    /* --sizes SPEC as given, or NULL: every job has n = size */
    uint64_t *job_size;   /* with --sizes: each job's n (malloc'd); NULL without */
    double *job_expected; /* with --sizes: each job's closed form; NULL without */
    uint64_t min_size;    /* the smallest job's n (size, when the jobs are of one size) */
    double total_steps;   /* the steps of all the jobs of one run together */
    struct lock_policy lock;
    enum kernel_kind kernel; /* --kernel: what every job runs */
    const char *kernel_isa;  /* the simd variant it runs with ("avx2"); "" for scalar */
    struct schedule schedule; /* --schedule: how OpenMP threads share out the jobs */
    char schedule_name[32]; /* what the workers do, as runs.csv's schedule column says:
                             * the --schedule ("dynamic,1") with OpenMP, else the
                             * backend's ("dynamic,1" for a queue, "" for serial) */
    struct pin_policy pin; /* taken over from the options */
    int *placement;       /* the PU planned for each worker; -1 when unbound */
    bool shared;          /* pinned workers share PUs: more workers than places */
    struct topo topo;     /* this machine, restricted to the usable PUs for planning */
    char ignored_env[96]; /* HWLOC_* variables ignored (they describe other machines,
                           * or say this one is another) */
    char outer_binding[160]; /* who else binds the workers (libgomp), or "" */
    bool calibrated;      /* size came from -t */
    double job_seconds;   /* the -t asked for, when calibrated */
    double ns_per_step;   /* measured on this machine, whether or not n was given */
    double estimate_s;    /* the whole invocation, warm-up included, estimated */
    double timeout;       /* --timeout: seconds a run may take, 0 for no limit */
    double switch_interval; /* seconds between GIL-style hand-overs, 0 for none */
    uint64_t payload;     /* bytes in and out of every job */
    enum transport transport;
    struct payload_buffers {
        unsigned char *in, *out;
    } *buffers;           /* one pair per worker, and the parent's at [workers] */
    double memcpy_bandwidth; /* bytes per second, measured when there is a payload */
    const char *slices_csv;
    const char *label;    /* --label or PARLAB_LABEL: who measured; NULL for nobody */
    char host[PLAN_HOST_LEN];
    int pus;              /* PUs this process may use */
    int cores;            /* cores holding them (fewer with SMT); 0 when hwloc shows none */
    long pid;             /* this invocation's process */
    char stamp[CLOCK_ISO_LEN]; /* this invocation's start, compact UTC: part of run ids */
    const char *runs_csv;
    const char *jobs_csv;
    bool quiet;
    bool verbose;
    uint64_t files_needed;      /* descriptors the run holds open at once, at most */
    uint64_t files_raised_from; /* the soft RLIMIT_NOFILE raised to files_needed, or 0 */
};

/* What the payload takes, worked out from where its buffers are touched: by the
 * workers that take a job (job.c), and for --transport pipe by the parent too, which
 * copies every job's data through its own pair (pool.c). */
struct plan_memory {
    unsigned busy;           /* workers that can take a job, and so touch their pair */
    bool parent_pair;        /* the parent's own pair is touched too */
    uint64_t pair;           /* bytes of one pair of buffers, in whole pages */
    uint64_t pipes;          /* bytes the workers' pipes can hold at once */
    uint64_t touched;        /* memory the buffers and the pipes take at once, at most */
    uint64_t mapped;         /* address space: every buffer, the memcpy measurement's too */
    uint64_t mapped_private; /* of which private mappings (what RLIMIT_DATA counts) */
};

/* The n of job `job`, its steps, and the result it must return: its own with --sizes,
 * else the plan's one.  Safe in threads and after fork. */
static inline uint64_t plan_job_size(const struct plan *plan, unsigned job)
{
    return plan->job_size != NULL ? plan->job_size[job] : plan->size;
}

static inline uint64_t plan_job_steps(const struct plan *plan, unsigned job)
{
    return plan->job_size != NULL ? kernel_steps(plan->job_size[job]) : plan->steps;
}

static inline double plan_job_expected(const struct plan *plan, unsigned job)
{
    return plan->job_expected != NULL ? plan->job_expected[job] : plan->expected;
}

enum plan_result {
    PLAN_OK,
    PLAN_REFUSED, /* the request cannot be met here (a PU the machine lacks, a run of
                   * more than an hour without --yes): msg says */
    PLAN_NO_MEMORY, /* the payload cannot be allocated: msg says */
    PLAN_BEYOND_LIMITS, /* the run needs more descriptors or memory than this process
                         * may have (ulimit -n, -v, -d, the memory available): msg says */
    PLAN_NOT_THIS_MACHINE, /* hwloc takes this machine's topology for another's, so it
                            * cannot bind: msg says */
    PLAN_FAILED   /* a system call failed: errno says */
};

/* Resolves `opt` for `prog` into *plan: loads this machine's topology, plans where
 * the workers go, checks that the process may hold the descriptors and the payload's
 * memory the run needs (raising the soft RLIMIT_NOFILE when the hard one allows it),
 * calibrates the size when -t was used, gives each job its n with --sizes, allocates
 * the payload buffers, computes the expected results and reads the host name.  Takes
 * over opt->pin and opt->sizes.  On PLAN_REFUSED,
 * PLAN_NO_MEMORY, PLAN_BEYOND_LIMITS and PLAN_NOT_THIS_MACHINE writes one line into
 * msg.  Release with plan_release() after PLAN_OK. */
enum plan_result plan_init(struct plan *plan, const struct program *prog,
                           struct options *opt, char *msg, size_t msglen);

void plan_release(struct plan *plan);

/* What plan's payload takes (plan->payload > 0), from its workers, jobs, repetitions,
 * backend and transport, and the page size. */
void plan_payload_memory(const struct plan *plan, struct plan_memory *m);

/* Prints the configuration: a headline naming the program, its version, the jobs,
 * the kernel size, the workers, the lock and the pinning, then (unless plan->quiet)
 * a few lines on the kernel, the machine, the repetitions and the CSV files. */
void plan_print(const struct plan *plan, FILE *out);

#endif
