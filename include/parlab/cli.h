/*
 * cli.h - the options every parlab program shares, parsed strictly.
 *
 * Numbers are whole strings of digits in range: "-1", "12abc", "" and values that
 * overflow are errors, never zeros.  Parsing writes nothing and exits nothing; the
 * program decides what to do with the result.
 */
#ifndef PARLAB_CLI_H
#define PARLAB_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "parlab/kernel.h"
#include "parlab/lock.h"
#include "parlab/payload.h"
#include "parlab/pin.h"
#include "parlab/program.h"
#include "parlab/sizes.h"

/* The ranges --help states and cli_parse() enforces. */
#define CLI_MAX_JOBS 1000000u
#define CLI_MAX_WORKERS 1024u
#define CLI_MAX_REPS 1000u
#define CLI_MAX_JOB_SECONDS 3600.0
#define CLI_MAX_TIMEOUT 604800.0 /* a week */
#define CLI_MAX_SWITCH_MS 10000.0
#define CLI_ASK_ABOVE_SECONDS 3600.0 /* runs estimated longer need --yes */
#define CLI_MAX_CHUNK 1000000u       /* --schedule's CHUNK: as many as the jobs can be */
#define CLI_MAX_LABEL 64             /* --label: characters in a student's name or id */

/* How parlab-procs moves a job's payload between parent and child. */
enum transport {
    TRANSPORT_PIPE, /* through pipes, as a process pool pickles arguments and results */
    TRANSPORT_SHM   /* in shared memory: nothing is copied */
};

/* How OpenMP threads share out the jobs (--schedule): OpenMP's schedule kinds. */
enum schedule_kind {
    SCHEDULE_STATIC,  /* chunks dealt out in turn before the loop starts */
    SCHEDULE_DYNAMIC, /* each thread takes the next chunk when it is free */
    SCHEDULE_GUIDED   /* the same, with chunks shrinking as the jobs run out */
};

struct schedule {
    enum schedule_kind kind;
    unsigned chunk; /* jobs per chunk; 0: OpenMP's default (static only: one block of
                     * about jobs / W per thread) */
};

struct options {
    unsigned jobs;       /* -j: jobs in the queue (12) */
    unsigned workers;    /* -w: threads or processes that take jobs (3; 1 for serial) */
    const char *workers_from; /* where W came from: "-w", "OMP_NUM_THREADS", "mpirun", "default" */
    uint64_t size;       /* -n: kernel size, when size_given */
    bool size_given;
    struct sizes sizes;  /* --sizes: each job's own n (sizes.h), instead of -n or -t;
                          * SIZES_NONE without it.  Release with sizes_release(), or
                          * let plan_init() take it over */
    double job_seconds;  /* -t: calibrate n for jobs of about this long (0.25) */
    struct lock_policy lock; /* -l: none, held or fraction:F */
    enum kernel_kind kernel; /* --kernel: scalar (the default) or simd */
    unsigned reps;       /* -r: counted repetitions after the warm-up (3) */
    const char *runs_csv; /* --runs-csv: append run rows here, or NULL */
    const char *jobs_csv; /* --jobs-csv: append job rows here, or NULL */
    struct pin_policy pin; /* -p: where workers go (none) */
    struct schedule schedule; /* --schedule: OpenMP programs only (dynamic,1) */
    unsigned threads;    /* -T, --threads: OpenMP threads in each MPI rank (parlab-mpi
                          * only); 0 when not given: one thread per rank */
    double timeout;      /* --timeout: seconds a run may take; 0 for no limit */
    double switch_ms;    /* --switch-interval: GIL-style hand-over; 0 for none */
    uint64_t payload;    /* --payload: bytes in and out of every job */
    enum transport transport; /* --transport: how procs move the payload */
    const char *slices_csv; /* --slices-csv: append the lock slices here, or NULL */
    const char *label;   /* --label, else PARLAB_LABEL when set and not empty: who
                          * measured (runs.csv's label); NULL for nobody named */
    bool yes;            /* --yes: start a run estimated to take over an hour */
    bool quiet;          /* -q: print only the summary */
    bool verbose;        /* -v: print where each job ran */
};

enum cli_result {
    CLI_RUN,     /* options are valid: run */
    CLI_HELP,    /* --help was asked for */
    CLI_VERSION, /* --version was asked for */
    CLI_ERROR    /* bad command line: `msg` says why, in one line */
};

/* Fills *opt with the defaults, then from argv.  On CLI_ERROR writes one line
 * (without the program name and without a newline) into msg.  May reorder argv
 * (getopt_long).  opt->pin and opt->sizes may hold lists: release them with
 * pin_release() and sizes_release(), or hand them to plan_init() (opt keeps pointers
 * into argv).  Not thread-safe (getopt's globals). */
enum cli_result cli_parse(struct options *opt, const struct program *prog, int argc,
                          char **argv, char *msg, size_t msglen);

/* Parses a whole number in [min, max]: digits only, no sign, no spaces, no overflow.
 * Returns 0, or -1 (nothing stored). */
int cli_parse_count(const char *text, unsigned long long min, unsigned long long max,
                    unsigned long long *out);

/* Whether text is a label: 1 to CLI_MAX_LABEL printable characters (UTF-8, without
 * control characters), without a space at either end. */
bool cli_label_ok(const char *text);

/* The schedule as runs.csv's schedule column and the headline write it: "dynamic,1",
 * "static" (OpenMP's default chunks), "static,4", "guided,1"; into buf. */
void cli_schedule_name(const struct schedule *s, char *buf, size_t len);

/* Prints the usage text of `prog` to out. */
void cli_print_help(const struct program *prog, FILE *out);

/* Prints "parlab-threads (parlab) 0.1.0" and the libraries it was built with. */
void cli_print_version(const struct program *prog, FILE *out);

#endif
