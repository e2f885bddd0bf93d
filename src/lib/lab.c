/*
 * lab.c - the labs' questions in one table, and the check of a student's answers
 * against the student's own runs.
 */
#include "parlab/lab.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "parlab/backend.h"
#include "parlab/csv.h"
#include "parlab/granularity.h"
#include "parlab/kernel.h"
#include "parlab/payload.h"
#include "parlab/results.h"
#include "parlab/sizes.h"
#include "parlab/summary.h"

const struct lab_info lab_infos[] = {
    {1, "wall time against CPU time", "labs/01-wall-cpu.md"},
    {2, "speedup, granularity and the tail", "labs/02-speedup-granularity.md"},
    {3, "Amdahl's law, and Gustafson's answer", "labs/03-amdahl.md"},
    {4, "where workers run", "labs/04-placement.md"},
    {5, "the GIL, and who gets it", "labs/05-gil.md"},
    {6, "what moving data costs", "labs/06-moving-data.md"},
    {7, "when a worker crashes", "labs/07-crashes.md"},
    {8, "MPI ranks", "labs/08-mpi.md"},
    {9, "job size against overhead", "labs/09-overhead.md"},
    {10, "vectorise first, then parallelise", "labs/10-simd.md"},
};
const size_t lab_count = sizeof lab_infos / sizeof lab_infos[0];

/* ---- the labs' questions ------------------------------------------------------------ */

/* A W or a job count that depends on the machine. */
#define PUS (-1L)        /* the PUs the runs could use */
#define PUS_PLUS_1 (-2L) /* one more */

/* The runs a question rests on: one case of a results directory, as the handout's
 * command makes it.  The kernel size n is not part of it: the handouts' tests run
 * them smaller, and a student may too; a case must have its serial run's n. */
struct lab_case {
    const char *dir;        /* the subdirectory of the lab's results, NULL for itself */
    const char *program;    /* "parlab-threads" */
    const char *lock;       /* "none", "held", "fraction:0.25"; NULL: any */
    long workers, jobs;     /* or PUS, PUS_PLUS_1 */
    const char *pin;        /* NULL: none */
    const char *schedule;   /* as runs.csv writes it ("static,1"); NULL: dynamic,1 */
    bool sizes;             /* jobs of unequal size (--sizes, any SPEC) */
    double switch_ms;       /* --switch-interval; 0: none */
    const char *payload;    /* --payload ("64K"), or NULL */
    const char *transport;  /* with a payload: memory (threads), shm or pipe */
    unsigned long n;        /* the handout's n (or --sizes SPEC, below) for the command */
    const char *sizes_spec; /* that makes the run when the directory has no serial run */
    const char *jobs_csv;   /* the jobs file the handout writes beside it, or NULL */
    const char *slices_csv; /* the slices file, or NULL */
    /* parlab-mpi: its W is ranks x threads, started by mpirun -np ranks */
    unsigned threads;       /* --threads T; 0: none (one thread a rank) */
    const char *mpirun;     /* mpirun's options beyond -np ("--bind-to none"), or NULL */
    /* the runs file of the case ("granularity.csv", the sweep's, read with its
     * overhead.csv beside it and no jobs file unless jobs_csv names one); NULL:
     * runs.csv */
    const char *runs_csv;
    /* jobs so small that the queue's own CPU time is part of what is measured: more
     * CPU time than the serial run is the finding, not slowed PUs (the sweep's small
     * sizes; the report's granularity section judges them by busy alone too) */
    bool overhead_cpu;
    /* --kernel, as runs.csv's kernel column names it ("simd", any ISA: the first such
     * case); NULL: scalar (an empty column too) */
    const char *kernel;
};

/* How a question's number comes from the results. */
enum measure {
    M_PUS, M_IDLE, M_WALL, M_CPU_SELF, M_CPU_CHILDREN, M_CPU, M_CPU_WALL, M_SPEEDUP,
    M_KARP_FLATT, M_RATIO, M_BANDWIDTH, M_MEMCPY, M_LONGEST_WAIT, M_HANDOVERS,
    M_JOBS_PER_WORKER, M_LAST_WORKER, M_LAST_JOBS, M_PUS_RAN, M_MOST_AT_ONCE,
    M_STATIC_BOUND, M_RUNS_LINES, M_CPU_LIMIT, M_AMDAHL, M_AMDAHL_ON, M_AMDAHL_F, M_SCALED,
    M_CORES, M_JOB_US, M_OVERHEAD, M_NINE_O, M_CROSSOVER, M_COUNT
};

/* What an answer is. */
enum kind { K_NUMBER, K_WHOLE, K_YESNO, K_LIST, K_SET };

static const char *const kind_names[] = {
    [K_NUMBER] = "a number", [K_WHOLE] = "a whole number", [K_YESNO] = "yes or no",
    [K_LIST] = "whole numbers in order, blanks apart", [K_SET] = "whole numbers, any order"};

static const struct measure_info {
    const char *how;
    enum kind kind;
    bool timed;   /* a time or computed from times: not judged unless the machine was quiet */
    bool serial;  /* divides by the case's serial run, whose quiet counts too */
    bool jobs;    /* from the jobs CSV */
    bool per_run; /* a fact of one run: an answer that any run of the case gives agrees */
} measures[M_COUNT] = {
    [M_PUS] = {"runs.csv's `pus`: the PUs the programs could use", K_WHOLE},
    [M_IDLE] = {"yes when no run's other programs used more than 0.1 CPU-seconds per second "
                "(runs.csv's `other_cpu_s`), else no", K_YESNO},
    [M_WALL] = {"the median of the case's `wall_s` (parlab-summary's wall s)", K_NUMBER, true},
    [M_CPU_SELF] = {"the median of the case's `cpu_self_s`", K_NUMBER, true},
    [M_CPU_CHILDREN] = {"the median of the case's `cpu_children_s`", K_NUMBER, true},
    [M_CPU] = {"the medians of `cpu_self_s` and `cpu_children_s` added", K_NUMBER, true},
    [M_CPU_WALL] = {"(median CPU self + median CPU children) / median wall", K_NUMBER, true},
    [M_SPEEDUP] = {"the median wall time of the serial runs of the same jobs and n over the "
                   "case's (parlab-summary's speedup)", K_NUMBER, true, true},
    [M_KARP_FLATT] = {"(1/S - 1/p) / (1 - 1/p) for the case's speedup S and p = min(W, PUs); "
                      "also within 0.05 of the F set", K_NUMBER, true, true},
    [M_RATIO] = {"the case's median wall time over the second case's", K_NUMBER, true},
    [M_BANDWIDTH] = {"the median of the jobs' `bytes_copied` / `copy_s` in the case's median "
                     "run, in GB/s (copy-cost.png's)", K_NUMBER, true, false, true},
    [M_MEMCPY] = {"memcpy's bandwidth beside the largest payload (runs.csv's `memcpy_gbs`), "
                  "in GB/s", K_NUMBER, true},
    [M_LONGEST_WAIT] = {"the longest `lock_wait_s` of a job in one run; any run's agrees",
                        K_NUMBER, true, false, true, true},
    [M_HANDOVERS] = {"`switches` summed over one run's jobs; any run's agrees", K_WHOLE, true,
                     false, true, true},
    [M_JOBS_PER_WORKER] = {"the jobs workers 0, 1, ... ran in one run (jobs.csv's `worker`); "
                           "any run's agrees", K_LIST, false, false, true, true},
    [M_LAST_WORKER] = {"the worker of the job that ended last in one run (`t_end_s`); any "
                       "run's agrees", K_WHOLE, false, false, true, true},
    [M_LAST_JOBS] = {"the jobs that worker ran in that run, any order", K_SET, false, false,
                     true, true},
    [M_PUS_RAN] = {"the PUs one run's jobs started and ended on (`pu_start`, `pu_end`), any "
                   "order; any run's agrees", K_SET, false, false, true, true},
    [M_MOST_AT_ONCE] = {"the most jobs between their `t_start_s` and `t_end_s` at one moment, "
                        "in any run of the case", K_WHOLE, false, false, true},
    [M_STATIC_BOUND] = {"from the case's --sizes alone: the steps C(n,4) of all jobs over "
                        "those of the largest block schedule(static) gives a worker", K_NUMBER},
    [M_RUNS_LINES] = {"the lines of runs.csv, its header's included (`wc -l`)", K_WHOLE},
    [M_CPU_LIMIT] = {"min(W, PUs)", K_WHOLE},
    [M_AMDAHL] = {"Amdahl's law, 1 / (F + (1 - F) / p), p = min(W, PUs); the measured "
                  "speedup shown beside it", K_NUMBER},
    [M_AMDAHL_ON] = {"Amdahl's law, 1 / (F + (1 - F) / p), p = W", K_NUMBER},
    [M_AMDAHL_F] = {"the F for which Amdahl's law gives S on p = W: (p / S - 1) / (p - 1)",
                    K_NUMBER},
    [M_SCALED] = {"(3 + 9W) / (3 + 9W / min(W, PUs)): 3 serial jobs' worth alone, 9W on the "
                  "PUs; the measured scaled speedup shown beside it", K_NUMBER},
    [M_CORES] = {"runs.csv's `cores`: the cores holding the PUs the programs could use, which "
                 "Open MPI counts as one host's slots", K_WHOLE},
    [M_JOB_US] = {"the duration of one job: the serial case's median `wall_s` over its jobs, "
                  "in microseconds", K_NUMBER, true},
    [M_OVERHEAD] = {"overhead.csv's `median_us` of the parlab-overhead row of the case at the "
                    "W (the last such row): the overhead per job, microseconds", K_NUMBER, true},
    [M_NINE_O] = {"9 x that `median_us`: the job size at which W t / (t + o) reaches 90% of W, "
                  "microseconds", K_NUMBER, true},
    [M_CROSSOVER] = {"the job size at which the case's speedups in granularity.csv first reach "
                     "0.9 x min(W, PUs), interpolated in log t between the sizes below and at "
                     "it (the report's section 8), microseconds", K_NUMBER, true},
};

/* An answer agrees within max(rel x |the runs' number|, abs). */
struct tolerance {
    double rel, abs;
};
#define T_TIME {0.03, 0.01}
#define T_RATIO {0.03, 0.02}
#define T_FIT {0.05, 0.02}
#define T_FORMULA {0.02, 0.01}
#define T_BANDWIDTH {0.1, 0.05}
#define T_COUNT {0.02, 1}
#define T_EXACT {0, 0}
/* A crossover interpolated from speedups read to two decimals: a rounding of 0.005 in
 * either speedup moves t by ln(t2 / t1) x 0.005 / (S2 - S1), about 4% for lab 9's
 * steps of 4.5x and a rise of 0.2; 10% allows both ends rounded and the sizes read to
 * three digits. */
#define T_CROSSOVER {0.1, 0.01}

/* How far a fitted serial fraction may lie from the F the runs were made with. */
#define F_SET_TOLERANCE 0.05

/* One question of a lab. */
struct lab_key {
    int lab;
    const char *key;      /* in the answers file */
    const char *question; /* as the handout numbers it */
    const char *what;     /* what to write: the template's comment */
    enum measure measure;
    const struct lab_case *c;
    const struct lab_case *c2; /* M_RATIO: the case it divides by */
    double arg;                /* the F of M_KARP_FLATT and M_AMDAHL*, the S of M_AMDAHL_F */
    long workers;              /* the W of M_CPU_LIMIT, M_AMDAHL*, M_SCALED, M_OVERHEAD,
                                * M_NINE_O */
    const char *ocase;         /* M_OVERHEAD, M_NINE_O: overhead.csv's case ("omp-dynamic1") */
    bool report;               /* a prediction: shown beside the measurement, not judged */
    struct tolerance tol;
};

#define CASE(...) (&(const struct lab_case){__VA_ARGS__})

/* Lab 1: 12 jobs on 3 workers, the notebook's cases. */
#define L1(PROGRAM, LOCK, W)                                                              \
    CASE(.program = PROGRAM, .lock = LOCK, .workers = W, .jobs = 12, .n = 200,            \
         .jobs_csv = "jobs.csv")
#define L1_SERIAL L1("parlab-serial", "none", 1)
#define L1_THREADS_NONE L1("parlab-threads", "none", 3)
#define L1_THREADS_HELD L1("parlab-threads", "held", 3)
#define L1_PROCS_HELD L1("parlab-procs", "held", 3)

#define WHAT_WALL "the median wall time in seconds (parlab-summary's wall s)"
#define WHAT_SELF "the median CPU time of the process itself, s (cpu self)"
#define WHAT_CHILDREN "the median CPU time of its child processes, s (children)"
#define WHAT_CPU_WALL "(CPU self + CPU children) / wall"
#define WHAT_SPEEDUP "the speedup over the serial run (parlab-summary's last column)"
#define WHAT_PREDICTED "your prediction, written before running"

/* The Record table's four numbers of a case, and its speedup. */
/* A lab's record of its machine: the PUs, and whether every run said otherwise idle. */
#define RECORD_MACHINE(LAB, C)                                                            \
    {LAB, "pus", "Record: your PUs", "the PUs parlab-topo says you may use", M_PUS, C,    \
     .tol = T_EXACT},                                                                     \
    {LAB, "idle", "Record: machine lines all otherwise idle",                             \
     "whether every run's machine: line said otherwise idle", M_IDLE, C, .tol = T_EXACT}
#define RECORD_TIMES(LAB, KEY, NAME, C)                                                   \
    {LAB, KEY ".wall", "Record: " NAME ", wall s", WHAT_WALL, M_WALL, C, .tol = T_TIME},  \
    {LAB, KEY ".cpu_self", "Record: " NAME ", CPU self s", WHAT_SELF, M_CPU_SELF, C,      \
     .tol = T_TIME},                                                                      \
    {LAB, KEY ".cpu_children", "Record: " NAME ", CPU children s", WHAT_CHILDREN,         \
     M_CPU_CHILDREN, C, .tol = T_TIME},                                                   \
    {LAB, KEY ".cpu_wall", "Record: " NAME ", CPU / wall", WHAT_CPU_WALL, M_CPU_WALL, C,  \
     .tol = T_RATIO}
#define RECORD_SPEEDUP(LAB, KEY, NAME, C)                                                 \
    {LAB, KEY ".speedup", "Record: " NAME ", speedup", WHAT_SPEEDUP, M_SPEEDUP, C,        \
     .tol = T_RATIO}

/* Lab 2: the sweeps, each in its own directory with its own serial run. */
#define L2_SWEEP_CASE(J, W, N)                                                            \
    CASE(.dir = #J "-jobs", .program = "parlab-threads", .lock = "none", .workers = W,    \
         .jobs = J, .n = N, .jobs_csv = "jobs.csv")
#define L2_PREDICTED(J, W)                                                                \
    {2, "jobs" #J ".W" #W ".predicted", "Record: " #J " jobs, predicted, W = " #W,        \
     WHAT_PREDICTED ": the speedup", M_SPEEDUP, L2_SWEEP_CASE(J, W, J == 12 ? 160 : 114), \
     .report = true}
#define L2_MEASURED(J, W)                                                                 \
    {2, "jobs" #J ".W" #W ".measured", "Record: " #J " jobs, measured, W = " #W,          \
     WHAT_SPEEDUP, M_SPEEDUP, L2_SWEEP_CASE(J, W, J == 12 ? 160 : 114), .tol = T_RATIO}
#define L2_SWEEP(ROW, J)                                                                  \
    ROW(J, 1), ROW(J, 2), ROW(J, 3), ROW(J, 4), ROW(J, 5), ROW(J, 6), ROW(J, 8), ROW(J, 16)
#define L2_TAIL                                                                           \
    CASE(.dir = "tail", .program = "parlab-threads", .lock = "none", .workers = PUS,      \
         .jobs = PUS_PLUS_1, .n = 160, .jobs_csv = "jobs.csv")
/* Jobs of unequal size on 2 workers, one directory per schedule. */
#define L2_UNEQUAL(DIR, SCHEDULE)                                                         \
    CASE(.dir = DIR, .program = "parlab-threads", .lock = "none", .workers = 2, .jobs = 12, \
         .schedule = SCHEDULE, .sizes = true, .sizes_spec = "ramp:100-220",              \
         .jobs_csv = "jobs.csv")
#define L2_SCHEDULES(ROW)                                                                 \
    ROW("static", "static"), ROW("static,1", "static,1"), ROW("dynamic", NULL),           \
        ROW("guided", "guided,1")
#define L2_UNEQUAL_PREDICTED(DIR, SCHEDULE)                                               \
    {2, "unequal." DIR ".predicted", "Record: unequal jobs, " DIR ", predicted speedup",  \
     WHAT_PREDICTED ": the speedup", M_SPEEDUP, L2_UNEQUAL(DIR, SCHEDULE), .report = true}
#define L2_UNEQUAL_MEASURED(DIR, SCHEDULE)                                                \
    {2, "unequal." DIR ".measured", "Record: unequal jobs, " DIR ", measured speedup",    \
     WHAT_SPEEDUP, M_SPEEDUP, L2_UNEQUAL(DIR, SCHEDULE), .tol = T_RATIO}
#define L2_UNEQUAL_LAST(DIR, SCHEDULE)                                                    \
    {2, "unequal." DIR ".last_worker", "Record: unequal jobs, " DIR ", worker that "      \
     "finished last", "that worker's number (timeline.png's lane)", M_LAST_WORKER,        \
     L2_UNEQUAL(DIR, SCHEDULE), .tol = T_EXACT},                                          \
    {2, "unequal." DIR ".last_jobs", "Record: unequal jobs, " DIR ", its jobs",           \
     "the numbers of the jobs that worker ran, blanks apart", M_LAST_JOBS,                \
     L2_UNEQUAL(DIR, SCHEDULE), .tol = T_EXACT}

/* Lab 3: 12 jobs of -n 150 with a serial fraction F. */
#define L3_CASE(F, W)                                                                     \
    CASE(.program = "parlab-threads", .lock = "fraction:" #F, .workers = W, .jobs = 12,   \
         .n = 150)
#define L3_ROW(F, W)                                                                      \
    {3, "F" #F ".W" #W ".predicted", "Record: F = " #F ", W = " #W ", predicted S",       \
     "Amdahl's S for this F on p = min(W, your PUs)", M_AMDAHL, L3_CASE(F, W), .arg = F,  \
     .workers = W, .tol = T_FORMULA},                                                     \
    {3, "F" #F ".W" #W ".measured", "Record: F = " #F ", W = " #W ", measured S",         \
     WHAT_SPEEDUP, M_SPEEDUP, L3_CASE(F, W), .tol = T_RATIO}
#define L3_FIT(F, W)                                                                      \
    {3, "F" #F ".W" #W ".e", "Record: F = " #F ", W = " #W ", Karp-Flatt e",             \
     "e = (1/S - 1/p) / (1 - 1/p) from your measured S, p = min(W, your PUs)",           \
     M_KARP_FLATT, L3_CASE(F, W), .arg = F, .tol = T_FIT}
#define L3_F(F) L3_ROW(F, 1), L3_ROW(F, 2), L3_FIT(F, 2), L3_ROW(F, 4), L3_FIT(F, 4)
/* Gustafson: 3 + 9W jobs, of which 3 jobs' worth serial. */
#define L3_SCALED_CASE(W, J, F)                                                           \
    CASE(.dir = "scaled", .program = "parlab-threads", .lock = "fraction:" F, .workers = W, \
         .jobs = J, .n = 150)
#define L3_SCALED(W, J, F)                                                                \
    {3, "scaled.W" #W ".wall", "Record: Gustafson, W = " #W ", wall s, parallel",         \
     WHAT_WALL, M_WALL, L3_SCALED_CASE(W, J, F), .tol = T_TIME},                          \
    {3, "scaled.W" #W ".measured", "Record: Gustafson, W = " #W ", measured scaled S",    \
     "the speedup over the serial run of the same " #J " jobs", M_SPEEDUP,                \
     L3_SCALED_CASE(W, J, F), .tol = T_RATIO}

/* Lab 4: 12 jobs of -n 180 on 2 workers under each pinning policy. */
#define L4_CASE(PROGRAM, PIN)                                                             \
    CASE(.program = PROGRAM, .workers = 2, .jobs = 12, .pin = PIN, .n = 180,              \
         .jobs_csv = "jobs.csv")
#define L4_PIN(KEY, PIN)                                                                  \
    {4, "pin_" KEY ".threads.pus", "Record: --pin " PIN ", PUs the jobs ran on, threads", \
     "the PUs the threads' jobs ran on (-v, placement.png), blanks apart", M_PUS_RAN,     \
     L4_CASE("parlab-threads", PIN), .tol = T_EXACT},                                     \
    {4, "pin_" KEY ".procs.pus", "Record: --pin " PIN ", PUs the jobs ran on, procs",     \
     "the PUs the processes' jobs ran on, blanks apart", M_PUS_RAN,                       \
     L4_CASE("parlab-procs", PIN), .tol = T_EXACT},                                       \
    {4, "pin_" KEY ".threads.speedup", "Record: --pin " PIN ", speedup, threads",         \
     WHAT_SPEEDUP, M_SPEEDUP, L4_CASE("parlab-threads", PIN), .tol = T_RATIO},            \
    {4, "pin_" KEY ".procs.speedup", "Record: --pin " PIN ", speedup, procs",             \
     WHAT_SPEEDUP, M_SPEEDUP, L4_CASE("parlab-procs", PIN), .tol = T_RATIO}

/* Lab 5: 12 jobs on 3 threads, the lock held with and without a switch interval. */
#define L5_NONE                                                                           \
    CASE(.program = "parlab-threads", .lock = "none", .workers = 3, .jobs = 12, .n = 200)
#define L5_HELD                                                                           \
    CASE(.program = "parlab-threads", .lock = "held", .workers = 3, .jobs = 12, .n = 200, \
         .jobs_csv = "jobs.csv")
#define L5_SWITCH                                                                         \
    CASE(.program = "parlab-threads", .lock = "held", .workers = 3, .jobs = 12, .n = 200, \
         .switch_ms = 5, .jobs_csv = "switch-jobs.csv", .slices_csv = "slices.csv")
#define L5_ROW(KEY, NAME, C)                                                              \
    {5, KEY ".wall", "Record: " NAME ", wall s", WHAT_WALL, M_WALL, C, .tol = T_TIME},    \
    {5, KEY ".speedup", "Record: " NAME ", speedup", WHAT_SPEEDUP, M_SPEEDUP, C,          \
     .tol = T_RATIO},                                                                     \
    {5, KEY ".jobs_per_worker", "Record: " NAME ", jobs per worker",                      \
     "the jobs workers 0, 1 and 2 ran in one run, blanks apart (the lab's awk)",          \
     M_JOBS_PER_WORKER, C, .tol = T_EXACT},                                               \
    {5, KEY ".longest_wait", "Record: " NAME ", longest lock wait s",                     \
     "the longest wait for the lock in one run, s", M_LONGEST_WAIT, C, .tol = T_TIME},    \
    {5, KEY ".handovers", "Record: " NAME ", hand-overs",                                 \
     "the lock's hand-overs in one run", M_HANDOVERS, C, .tol = T_COUNT}

/* Lab 6: 4 jobs of -n 130 on 2 workers with a payload, three ways. */
#define L6_CASE(PROGRAM, PAYLOAD, TRANSPORT)                                              \
    CASE(.program = PROGRAM, .workers = 2, .jobs = 4, .payload = PAYLOAD,                 \
         .transport = TRANSPORT, .n = 130, .jobs_csv = "jobs.csv")
#define L6_ROW(P, NAME)                                                                   \
    {6, P ".threads.wall", "Record: " NAME ", threads", WHAT_WALL, M_WALL,                \
     L6_CASE("parlab-threads", P, "memory"), .tol = T_TIME},                              \
    {6, P ".shm.wall", "Record: " NAME ", procs, shm", WHAT_WALL, M_WALL,                 \
     L6_CASE("parlab-procs", P, "shm"), .tol = T_TIME},                                   \
    {6, P ".pipe.wall", "Record: " NAME ", procs, pipe", WHAT_WALL, M_WALL,               \
     L6_CASE("parlab-procs", P, "pipe"), .tol = T_TIME},                                  \
    {6, P ".pipe_over_threads", "Record: " NAME ", pipe / threads",                       \
     "the pipes' wall time over the threads'", M_RATIO, L6_CASE("parlab-procs", P, "pipe"), \
     L6_CASE("parlab-threads", P, "memory"), .tol = T_RATIO}

/* Lab 7: the one run that succeeds; the faults write nothing. */
#define L7_RUN CASE(.program = "parlab-threads", .workers = 3, .jobs = 12, .n = 160)

/* Lab 8: 12 jobs of -n 150 with the lock held on 2 threads, 2 processes and 2 MPI ranks
 * (--bind-to none: rank 0 bound to one core watches that core alone for other
 * programs), on P + 1 ranks (--oversubscribe) and on 2 ranks that --pin puts on PU 0;
 * then one rank of 2 threads under two bindings, a directory each (the runs CSV does
 * not tell them, nor 1 rank x 2 threads from 2 ranks, apart). */
#define L8(PROGRAM, LOCK, W)                                                              \
    CASE(.program = PROGRAM, .lock = LOCK, .workers = W, .jobs = 12, .n = 150,            \
         .jobs_csv = "jobs.csv")
#define L8_SERIAL L8("parlab-serial", "none", 1)
#define L8_THREADS_HELD L8("parlab-threads", "held", 2)
#define L8_PROCS_HELD L8("parlab-procs", "held", 2)
#define L8_MPI_HELD                                                                       \
    CASE(.program = "parlab-mpi", .lock = "held", .workers = 2, .jobs = 12, .n = 150,     \
         .jobs_csv = "jobs.csv", .mpirun = "--bind-to none")
#define L8_MPI_OVER                                                                       \
    CASE(.program = "parlab-mpi", .lock = "held", .workers = PUS_PLUS_1, .jobs = 12,      \
         .n = 150, .jobs_csv = "jobs.csv", .mpirun = "--oversubscribe")
#define L8_MPI_PU0                                                                        \
    CASE(.program = "parlab-mpi", .lock = "held", .workers = 2, .jobs = 12, .pin = "pus:0", \
         .n = 150, .jobs_csv = "jobs.csv", .mpirun = "--bind-to none")
#define L8_HYBRID(BIND)                                                                   \
    CASE(.dir = "hybrid-" BIND, .program = "parlab-mpi", .lock = "none", .workers = 2,    \
         .jobs = 12, .n = 150, .jobs_csv = "jobs.csv", .threads = 2,                      \
         .mpirun = "--bind-to " BIND)
#define WHAT_PUS_RAN "the PUs its jobs ran on (jobs.csv's pu_start and pu_end), blanks apart"
#define L8_PUS(KEY, NAME, C)                                                              \
    {8, KEY ".pus", "Record: " NAME ", PUs the jobs ran on", WHAT_PUS_RAN, M_PUS_RAN, C,  \
     .tol = T_EXACT}
#define L8_HYBRID_ROW(BIND)                                                               \
    {8, "hybrid_" BIND ".wall", "Record: 1 rank x 2 threads, --bind-to " BIND ", wall s", \
     WHAT_WALL, M_WALL, L8_HYBRID(BIND), .tol = T_TIME},                                  \
    L8_PUS("hybrid_" BIND, "1 rank x 2 threads, --bind-to " BIND, L8_HYBRID(BIND))

/* Lab 9: the overhead per job at W = 2 (overhead.csv), the big jobs everyone knows (12
 * jobs of -n 150, runs.csv) and the sweep (granularity.csv, no jobs file): a size is
 * known by its jobs, which the shrunk tests keep while they divide n. */
#define L9(PROGRAM, W)                                                                    \
    CASE(.program = PROGRAM, .lock = "none", .workers = W, .jobs = 12, .n = 150,          \
         .jobs_csv = "jobs.csv")
#define L9_SIZE_CASE(PROGRAM, W, N, J)                                                    \
    CASE(.program = PROGRAM, .lock = "none", .workers = W, .jobs = J, .n = N,             \
         .runs_csv = "granularity.csv", .overhead_cpu = true)
/* every size of the sweep of one program at W = 2 (jobs 0: no one job count) */
#define L9_SWEEP(PROGRAM)                                                                 \
    CASE(.program = PROGRAM, .lock = "none", .workers = 2, .n = 12,                       \
         .runs_csv = "granularity.csv", .overhead_cpu = true)
#define L9_SIZE(N, J)                                                                     \
    {9, "size.n" #N ".job_us", "Record: n = " #N ", job us",                              \
     "the serial run's median wall time over its " #J " jobs, in microseconds", M_JOB_US,  \
     L9_SIZE_CASE("parlab-serial", 1, N, J), .tol = T_TIME},                              \
    {9, "size.n" #N ".threads.speedup", "Record: n = " #N ", threads speedup",            \
     WHAT_SPEEDUP, M_SPEEDUP, L9_SIZE_CASE("parlab-threads", 2, N, J), .tol = T_RATIO},   \
    {9, "size.n" #N ".procs.speedup", "Record: n = " #N ", procs speedup", WHAT_SPEEDUP,  \
     M_SPEEDUP, L9_SIZE_CASE("parlab-procs", 2, N, J), .tol = T_RATIO}
/* The overhead per job is a time read off parlab-overhead's table, in microseconds:
 * the times' tolerance, its 0.01 now of a microsecond. */
#define WHAT_O "median_us of parlab-overhead's table at W = 2: the overhead per job, us"
#define L9_O(KEY, NAME, CASE_NAME)                                                        \
    {9, "o." KEY, "Record: " NAME ", measured o us", WHAT_O, M_OVERHEAD, .workers = 2,    \
     .ocase = CASE_NAME, .tol = T_TIME},                                                  \
    {9, "predict1." KEY ".o", "Predict 1: " NAME ", o us", WHAT_PREDICTED ": microseconds", \
     M_OVERHEAD, .workers = 2, .ocase = CASE_NAME, .report = true}
#define L9_CROSS(KEY, NAME, PROGRAM, CASE_NAME)                                           \
    {9, KEY ".nine_o", "Record: " NAME ", 9 o us",                                        \
     "9 times your measured o of " CASE_NAME ", in microseconds", M_NINE_O, .workers = 2, \
     .ocase = CASE_NAME, .tol = T_TIME},                                                  \
    {9, KEY ".crossover", "Record: " NAME ", measured crossover us",                      \
     "the job size at which the speedup reaches 1.8 (the report's section 8), us; leave " \
     "it empty when no size of the sweep reaches it", M_CROSSOVER, L9_SWEEP(PROGRAM),     \
     .tol = T_CROSSOVER},                                                                 \
    {9, "predict2." KEY ".crossover", "Predict 2: " NAME ", crossover us",                \
     WHAT_PREDICTED ": the job size at which the speedup reaches 1.8, us", M_CROSSOVER,   \
     L9_SWEEP(PROGRAM), .report = true}

/* Lab 10: 12 jobs of -n 150, serial and on 2 threads, with the scalar and the simd
 * kernel (the simd serial run of the default ISA comes before the forced sse2 one: the
 * first simd case is the one judged). */
#define L10(PROGRAM, W, KERNEL)                                                           \
    CASE(.program = PROGRAM, .lock = "none", .workers = W, .jobs = 12, .n = 150,          \
         .jobs_csv = "jobs.csv", .kernel = KERNEL)
#define L10_SERIAL L10("parlab-serial", 1, NULL)
#define L10_SIMD L10("parlab-serial", 1, "simd")
#define L10_THREADS L10("parlab-threads", 2, NULL)
#define L10_SIMD_THREADS L10("parlab-threads", 2, "simd")
#define WHAT_SIMD_SPEEDUP "the speedup over the scalar serial run (parlab-summary's last column)"

static const struct lab_key lab_keys[] = {
    /* lab 1 */
    RECORD_MACHINE(1, L1_SERIAL),
    RECORD_TIMES(1, "serial", "serial", L1_SERIAL),
    RECORD_TIMES(1, "threads_none", "threads, lock none", L1_THREADS_NONE),
    RECORD_SPEEDUP(1, "threads_none", "threads, lock none", L1_THREADS_NONE),
    RECORD_TIMES(1, "threads_held", "threads, lock held", L1_THREADS_HELD),
    RECORD_SPEEDUP(1, "threads_held", "threads, lock held", L1_THREADS_HELD),
    RECORD_TIMES(1, "procs_held", "procs, lock held", L1_PROCS_HELD),
    RECORD_SPEEDUP(1, "procs_held", "procs, lock held", L1_PROCS_HELD),
    {1, "predict1.threads_none.wall", "Predict 1: threads, lock none, wall s",
     WHAT_PREDICTED, M_WALL, L1_THREADS_NONE, .report = true},
    {1, "predict1.threads_none.cpu", "Predict 1: threads, lock none, CPU s", WHAT_PREDICTED,
     M_CPU, L1_THREADS_NONE, .report = true},
    {1, "predict2.threads_held.wall", "Predict 2: threads, lock held, wall s",
     WHAT_PREDICTED, M_WALL, L1_THREADS_HELD, .report = true},
    {1, "predict2.threads_held.cpu", "Predict 2: threads, lock held, CPU s", WHAT_PREDICTED,
     M_CPU, L1_THREADS_HELD, .report = true},
    {1, "predict3.procs_held.wall", "Predict 3: procs, lock held, wall s", WHAT_PREDICTED,
     M_WALL, L1_PROCS_HELD, .report = true},
    {1, "predict3.procs_held.cpu_self", "Predict 3: procs, lock held, CPU self s",
     WHAT_PREDICTED, M_CPU_SELF, L1_PROCS_HELD, .report = true},
    {1, "predict3.procs_held.cpu_children", "Predict 3: procs, lock held, CPU children s",
     WHAT_PREDICTED, M_CPU_CHILDREN, L1_PROCS_HELD, .report = true},
    {1, "explain1.limit", "Explain 1: the limit of CPU / wall",
     "the most CPU / wall 3 threads can reach on your machine", M_CPU_LIMIT, L1_THREADS_NONE,
     .workers = 3, .tol = T_EXACT},
    {1, "explain3.jobs_at_once", "Explain 3: jobs at once with the lock held",
     "the most jobs the lock-held timeline shows computing at one moment", M_MOST_AT_ONCE,
     L1_THREADS_HELD, .tol = T_EXACT},

    /* lab 2 */
    {2, "pus", "Record: P", "the PUs parlab-topo says you may use", M_PUS,
     L2_SWEEP_CASE(12, 1, 160), .tol = T_EXACT},
    L2_SWEEP(L2_PREDICTED, 12),
    L2_SWEEP(L2_MEASURED, 12),
    L2_SWEEP(L2_PREDICTED, 48),
    L2_SWEEP(L2_MEASURED, 48),
    {2, "tail.predicted", "Record: P + 1 jobs on P workers, predicted",
     WHAT_PREDICTED ": the speedup", M_SPEEDUP, L2_TAIL, .report = true},
    {2, "tail.measured", "Record: P + 1 jobs on P workers, measured", WHAT_SPEEDUP, M_SPEEDUP,
     L2_TAIL, .tol = T_RATIO},
    L2_SCHEDULES(L2_UNEQUAL_PREDICTED),
    L2_SCHEDULES(L2_UNEQUAL_MEASURED),
    L2_SCHEDULES(L2_UNEQUAL_LAST),
    {2, "explain4.static_bound", "Explain 4: what static should reach, from the job sizes",
     "the speedup static's two blocks of 6 jobs allow, from the sizes alone (n^4 / 24 steps "
     "a job)", M_STATIC_BOUND, L2_UNEQUAL("static", "static"), .tol = T_RATIO},

    /* lab 3 */
    {3, "pus", "Record: P", "the PUs parlab-topo says you may use", M_PUS, L3_CASE(0.1, 1),
     .tol = T_EXACT},
    L3_F(0.1),
    L3_F(0.25),
    L3_F(0.5),
    L3_SCALED(1, 12, "0.25"),
    L3_SCALED(2, 21, "0.142857"),
    L3_SCALED(4, 39, "0.076923"),
    {3, "predict.F_for_S1.33", "Predict first: the F that holds 2 workers to 1.33",
     "the F for which Amdahl's law gives S = 1.33 on 2 PUs", M_AMDAHL_F, .arg = 1.33,
     .workers = 2, .tol = T_FORMULA},
    {3, "predict.S_F0.1_P1000", "Predict first: S for F = 0.1 on 1000 PUs",
     "Amdahl's S for F = 0.1 on 1000 PUs", M_AMDAHL_ON, .arg = 0.1, .workers = 1000,
     .tol = T_FORMULA},
    {3, "explain4.scaled_W4", "Explain 4: Gustafson at W = 4 on your PUs",
     "the scaled speedup of 39 jobs on 4 workers on your PUs: 3 jobs' worth alone, then 36 "
     "on min(4, P)", M_SCALED, L3_SCALED_CASE(4, 39, "0.076923"), .workers = 4,
     .tol = T_FORMULA},

    /* lab 4 */
    L4_PIN("none", "none"),
    L4_PIN("close", "close"),
    L4_PIN("spread", "spread"),
    L4_PIN("pus:0", "pus:0"),

    /* lab 5 */
    {5, "threads_none.wall", "Record: threads, lock none, wall s", WHAT_WALL, M_WALL, L5_NONE,
     .tol = T_TIME},
    {5, "threads_none.speedup", "Record: threads, lock none, speedup", WHAT_SPEEDUP,
     M_SPEEDUP, L5_NONE, .tol = T_RATIO},
    L5_ROW("held", "threads, lock held", L5_HELD),
    L5_ROW("switch", "threads, lock held, switch 5 ms", L5_SWITCH),

    /* lab 6 */
    L6_ROW("64K", "64 KiB"),
    L6_ROW("1M", "1 MiB"),
    L6_ROW("16M", "16 MiB"),
    L6_ROW("256M", "256 MiB"),
    {6, "bandwidth.pipe", "Record: pipe bandwidth at 256 MiB, GB/s",
     "the pipes' bandwidth copy-cost.png shows, GB/s", M_BANDWIDTH,
     L6_CASE("parlab-procs", "256M", "pipe"), .tol = T_BANDWIDTH},
    {6, "bandwidth.memcpy", "Record: memcpy's bandwidth, GB/s",
     "memcpy's bandwidth copy-cost.png shows, GB/s", M_MEMCPY,
     L6_CASE("parlab-threads", "256M", "memory"), .tol = T_BANDWIDTH},

    /* lab 7 */
    {7, "runs_lines.before", "Record: lines in runs.csv before the faults",
     "what the first wc -l printed", M_RUNS_LINES, L7_RUN, .tol = T_EXACT},
    {7, "runs_lines.after", "Record: lines in runs.csv after the faults",
     "what the second wc -l printed", M_RUNS_LINES, L7_RUN, .tol = T_EXACT},

    /* lab 8 */
    RECORD_MACHINE(8, L8_SERIAL),
    RECORD_TIMES(8, "serial", "serial", L8_SERIAL),
    RECORD_TIMES(8, "threads_held", "threads, lock held", L8_THREADS_HELD),
    RECORD_SPEEDUP(8, "threads_held", "threads, lock held", L8_THREADS_HELD),
    RECORD_TIMES(8, "procs_held", "procs, lock held", L8_PROCS_HELD),
    RECORD_SPEEDUP(8, "procs_held", "procs, lock held", L8_PROCS_HELD),
    RECORD_TIMES(8, "mpi_held", "mpi, lock held", L8_MPI_HELD),
    RECORD_SPEEDUP(8, "mpi_held", "mpi, lock held", L8_MPI_HELD),
    RECORD_TIMES(8, "mpi_over", "mpi, lock held, P + 1 ranks", L8_MPI_OVER),
    RECORD_SPEEDUP(8, "mpi_over", "mpi, lock held, P + 1 ranks", L8_MPI_OVER),
    {8, "mpi_pu0.wall", "Record: mpi, lock held, --pin pus:0, wall s", WHAT_WALL, M_WALL,
     L8_MPI_PU0, .tol = T_TIME},
    RECORD_SPEEDUP(8, "mpi_pu0", "mpi, lock held, --pin pus:0", L8_MPI_PU0),
    L8_PUS("mpi_held", "mpi, lock held", L8_MPI_HELD),
    L8_PUS("mpi_pu0", "mpi, lock held, --pin pus:0", L8_MPI_PU0),
    L8_HYBRID_ROW("core"),
    L8_HYBRID_ROW("none"),
    {8, "hybrid.core_over_none", "Record: 1 rank x 2 threads, --bind-to core / none",
     "the wall time under --bind-to core over that under --bind-to none", M_RATIO,
     L8_HYBRID("core"), L8_HYBRID("none"), .tol = T_RATIO},
    {8, "predict1.threads_held.wall", "Predict 1: threads, lock held, wall s",
     WHAT_PREDICTED, M_WALL, L8_THREADS_HELD, .report = true},
    {8, "predict1.procs_held.wall", "Predict 1: procs, lock held, wall s", WHAT_PREDICTED,
     M_WALL, L8_PROCS_HELD, .report = true},
    {8, "predict1.mpi_held.wall", "Predict 1: mpi, lock held, wall s", WHAT_PREDICTED,
     M_WALL, L8_MPI_HELD, .report = true},
    {8, "predict2.mpi_held.cpu_self", "Predict 2: mpi, lock held, CPU self s",
     WHAT_PREDICTED, M_CPU_SELF, L8_MPI_HELD, .report = true},
    {8, "predict2.mpi_held.cpu_children", "Predict 2: mpi, lock held, CPU children s",
     WHAT_PREDICTED, M_CPU_CHILDREN, L8_MPI_HELD, .report = true},
    {8, "predict3.mpi_over.wall", "Predict 3: mpi, lock held, P + 1 ranks, wall s",
     WHAT_PREDICTED, M_WALL, L8_MPI_OVER, .report = true},
    {8, "predict5.hybrid_core.wall", "Predict 5: 1 rank x 2 threads, --bind-to core, wall s",
     WHAT_PREDICTED, M_WALL, L8_HYBRID("core"), .report = true},
    {8, "predict5.hybrid_none.wall", "Predict 5: 1 rank x 2 threads, --bind-to none, wall s",
     WHAT_PREDICTED, M_WALL, L8_HYBRID("none"), .report = true},
    {8, "explain2.slots", "Explain 2: the ranks mpirun starts here without --oversubscribe",
     "the most ranks mpirun -np starts on your machine without --oversubscribe", M_CORES,
     L8_SERIAL, .tol = T_EXACT},

    /* lab 9 */
    RECORD_MACHINE(9, L9("parlab-serial", 1)),
    {9, "big.threads.speedup", "Record: the big jobs, threads speedup", WHAT_SPEEDUP,
     M_SPEEDUP, L9("parlab-threads", 2), .tol = T_RATIO},
    {9, "big.procs.speedup", "Record: the big jobs, procs speedup", WHAT_SPEEDUP, M_SPEEDUP,
     L9("parlab-procs", 2), .tol = T_RATIO},
    L9_O("threads", "omp-dynamic1 (threads)", "omp-dynamic1"),
    L9_O("procs", "procs-counter (procs)", "procs-counter"),
    L9_O("fork", "fork-per-job", "fork-per-job"),
    L9_SIZE(12, 100000),
    L9_SIZE(17, 20000),
    L9_SIZE(24, 5000),
    L9_SIZE(34, 1200),
    L9_SIZE(48, 280),
    L9_SIZE(70, 60),
    L9_SIZE(100, 16),
    L9_SIZE(150, 8),
    L9_CROSS("threads", "threads", "parlab-threads", "omp-dynamic1"),
    L9_CROSS("procs", "procs", "parlab-procs", "procs-counter"),

    RECORD_MACHINE(10, L10_SERIAL),
    {10, "serial.wall", "Record: scalar serial, wall s", WHAT_WALL, M_WALL, L10_SERIAL,
     .tol = T_TIME},
    {10, "simd.wall", "Record: simd serial, wall s", WHAT_WALL, M_WALL, L10_SIMD,
     .tol = T_TIME},
    {10, "simd.speedup", "Record: simd serial, speedup", WHAT_SIMD_SPEEDUP, M_SPEEDUP,
     L10_SIMD, .tol = T_RATIO},
    {10, "predict1.simd.speedup", "Predict 1: simd serial, speedup", WHAT_PREDICTED,
     M_SPEEDUP, L10_SIMD, .report = true},
    {10, "threads.wall", "Record: scalar threads W = 2, wall s", WHAT_WALL, M_WALL,
     L10_THREADS, .tol = T_TIME},
    {10, "threads.speedup", "Record: scalar threads W = 2, speedup", WHAT_SIMD_SPEEDUP,
     M_SPEEDUP, L10_THREADS, .tol = T_RATIO},
    {10, "simd_threads.wall", "Record: simd threads W = 2, wall s", WHAT_WALL, M_WALL,
     L10_SIMD_THREADS, .tol = T_TIME},
    {10, "simd_threads.speedup", "Record: simd threads W = 2, speedup", WHAT_SIMD_SPEEDUP,
     M_SPEEDUP, L10_SIMD_THREADS, .tol = T_RATIO},
    {10, "predict2.simd_threads.speedup", "Predict 2: simd threads W = 2, speedup",
     WHAT_PREDICTED, M_SPEEDUP, L10_SIMD_THREADS, .report = true},
};
static const size_t lab_nkeys = sizeof lab_keys / sizeof lab_keys[0];

const struct lab_info *lab_find(int lab)
{
    for (size_t i = 0; i < lab_count; i++)
        if (lab_infos[i].lab == lab)
            return &lab_infos[i];
    return NULL;
}

/* The same for a count of more than one. */
static const char *const verdict_plurals[LAB_NVERDICTS] = {
    [LAB_AGREES] = "agree",            [LAB_DISAGREES] = "disagree",
    [LAB_REPORTED] = "reported",       [LAB_NOT_APPLICABLE] = "not applicable",
    [LAB_NOT_ANSWERED] = "not answered", [LAB_UNREADABLE] = "unreadable",
    [LAB_MISSING] = "missing runs",    [LAB_NOT_JUDGED] = "not judged"};

static const char *const verdict_names[LAB_NVERDICTS] = {
    [LAB_AGREES] = "agrees",           [LAB_DISAGREES] = "disagrees",
    [LAB_REPORTED] = "reported",       [LAB_NOT_APPLICABLE] = "not applicable",
    [LAB_NOT_ANSWERED] = "not answered", [LAB_UNREADABLE] = "unreadable",
    [LAB_MISSING] = "missing run",     [LAB_NOT_JUDGED] = "not judged"};

const char *lab_verdict_name(enum lab_verdict v)
{
    return verdict_names[v];
}

bool lab_verdict_passes(enum lab_verdict v)
{
    return v == LAB_AGREES || v == LAB_REPORTED || v == LAB_NOT_APPLICABLE;
}

/* ---- text ------------------------------------------------------------------------- */

/* A number as the lines print it: three decimals below 10 (as parlab-summary prints
 * times), fewer above. */
static const char *num(double x, char *buf, size_t len)
{
    snprintf(buf, len, "%.*f", fabs(x) >= 100 ? 0 : fabs(x) >= 10 ? 2 : 3, x);
    return buf;
}

/* A tolerance: two significant digits. */
static const char *tol_num(double x, char *buf, size_t len)
{
    snprintf(buf, len, "%.2g", x);
    return buf;
}

/* Appends to text (a buffer of len bytes). */
static void add(char *text, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void add(char *text, size_t len, const char *fmt, ...)
{
    size_t used = strlen(text);
    va_list ap;

    if (used + 1 >= len)
        return;
    va_start(ap, fmt);
    vsnprintf(text + used, len - used, fmt, ap);
    va_end(ap);
}

/* A student's value as a line quotes it: control characters as '?', cut at 40. */
static void quoted(const char *s, char *out, size_t len)
{
    size_t n = 0;

    for (; *s != '\0' && n < 40 && n + 4 < len; s++)
        out[n++] = (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s;
    if (*s != '\0' && n + 4 < len)
        n += (size_t)snprintf(out + n, len - n, "...");
    out[n] = '\0';
}

/* A path as a shell command takes it: quoted when it holds anything but a plain
 * file name's characters. */
static void shell_word(const char *s, char *out, size_t len)
{
    bool plain = *s != '\0';
    size_t n = 0;

    for (const char *p = s; *p != '\0'; p++)
        plain = plain && (strchr("_./,:+-=@%", *p) != NULL || (*p >= 'a' && *p <= 'z') ||
                          (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'));
    if (plain) {
        snprintf(out, len, "%s", s);
        return;
    }
    for (const char *p = s; *p != '\0' && n + 6 < len; p++) {
        if (p == s)
            out[n++] = '\'';
        if (*p == '\'') {
            memcpy(out + n, "'\\''", 4);
            n += 4;
        } else {
            out[n++] = (unsigned char)*p < 0x20 ? '?' : *p;
        }
    }
    if (n == 0 && len > 1)
        out[n++] = '\'';
    if (n + 1 < len)
        out[n++] = '\'';
    out[n] = '\0';
}

/* ---- the results a lab reads -------------------------------------------------------- */

/* A results directory of the lab (its own, or one of its subdirectories) with one
 * jobs file, read once. */
struct source {
    const char *sub;      /* NULL: the lab's directory itself */
    const char *runs_csv; /* its runs file's name: runs.csv, granularity.csv */
    const char *jobs_csv; /* the jobs file read with it ("": none) */
    char *dir, *runs, *jobs, *overhead; /* jobs NULL: none; overhead: beside the sweep */
    enum { SOURCE_ABSENT, SOURCE_BROKEN, SOURCE_READ } state;
    char why[1024];       /* not read: why */
    struct results r;
};

struct checker {
    const struct lab_info *info;
    const char *dir, *answers_path;
    const struct answers *a;
    struct source *src;
    size_t nsrc;
    const char *host;  /* the first source's */
    const char *label; /* the first source's first case's ("" for none) */
    unsigned long pus; /* 0 when no source was read */
    unsigned long cores; /* the first source's; 0 when its runs do not say */
    const struct summary_case **used; /* every case a judged number rests on, each once */
    size_t nused;
    struct lab_check *out;
};

static char *join(const char *dir, const char *sub)
{
    size_t len = strlen(dir) + (sub ? strlen(sub) : 0) + 2;
    char *p = malloc(len);

    if (p == NULL)
        return NULL;
    if (sub == NULL) { /* the directory as given, without trailing slashes */
        size_t n = strlen(dir);

        while (n > 1 && dir[n - 1] == '/')
            n--;
        snprintf(p, len, "%.*s", (int)n, dir);
    } else
        snprintf(p, len, "%s%s%s", dir, dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/", sub);
    return p;
}

static bool same(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static const char *runs_file(const struct lab_case *c)
{
    return c->runs_csv ? c->runs_csv : "runs.csv";
}

/* The sweep writes no jobs file: a case of another runs file has none unless named. */
static const char *jobs_file(const struct lab_case *c)
{
    return c->jobs_csv ? c->jobs_csv : c->runs_csv ? "" : "jobs.csv";
}

/* The source of case c, or NULL when there is none (out of memory while adding). */
static struct source *source_of(struct checker *k, const struct lab_case *c)
{
    for (size_t i = 0; i < k->nsrc; i++)
        if (same(k->src[i].sub, c->dir) && strcmp(k->src[i].runs_csv, runs_file(c)) == 0 &&
            strcmp(k->src[i].jobs_csv, jobs_file(c)) == 0)
            return &k->src[i];
    return NULL;
}

static int add_source(struct checker *k, const struct lab_case *c)
{
    struct source *s;

    if (c == NULL || source_of(k, c) != NULL)
        return 0;
    s = realloc(k->src, (k->nsrc + 1) * sizeof *s);
    if (s == NULL)
        return -1;
    k->src = s;
    s = &k->src[k->nsrc];
    *s = (struct source){.sub = c->dir, .runs_csv = runs_file(c), .jobs_csv = jobs_file(c)};
    s->dir = join(k->dir, c->dir);
    s->runs = s->dir ? join(s->dir, s->runs_csv) : NULL;
    s->jobs = s->dir && s->jobs_csv[0] ? join(s->dir, s->jobs_csv) : NULL;
    if (c->runs_csv != NULL) /* the sweep: its lines and overhead.csv's rows beside it */
        s->overhead = s->dir ? join(s->dir, "overhead.csv") : NULL;
    k->nsrc++;
    return s->runs && (s->jobs || !s->jobs_csv[0]) && (s->overhead || c->runs_csv == NULL)
               ? 0 : -1;
}

static void read_source(struct checker *k, struct source *s)
{
    struct results_paths p = {.runs = s->runs, .jobs = s->jobs, .host = k->host,
                              .granularity = s->overhead ? s->runs : NULL,
                              .overhead = s->overhead};

    if (access(s->runs, F_OK) != 0) {
        s->state = SOURCE_ABSENT;
        snprintf(s->why, sizeof s->why, "there is no '%s' (%s)", s->runs, strerror(errno));
        return;
    }
    if (results_load(&s->r, &p, 0, false, s->why, sizeof s->why) != 0) {
        s->state = SOURCE_BROKEN;
        return;
    }
    s->state = SOURCE_READ;
    if (k->host == NULL) {
        k->host = s->r.host;
        k->pus = s->r.pus;
        k->cores = s->r.cores;
        k->label = s->r.runs.cases[0].label;
    }
}

/* ---- lines ------------------------------------------------------------------------ */

static int push(struct lab_line **lines, size_t *n, const char *question, const char *key,
                enum lab_verdict v, const char *text)
{
    struct lab_line *l = realloc(*lines, (*n + 1) * sizeof *l);

    if (l == NULL)
        return -1;
    *lines = l;
    l[*n] = (struct lab_line){question, key, v, strdup(text), 0};
    if (l[*n].text == NULL)
        return -1;
    (*n)++;
    return 0;
}

static int problem(struct checker *k, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A problem of the answers file's line `line`, or (0) of the results. */
static int problem(struct checker *k, size_t line, const char *fmt, ...)
{
    char text[2048];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (push(&k->out->problems, &k->out->nproblems, NULL, NULL, LAB_DISAGREES, text) != 0)
        return -1;
    k->out->problems[k->out->nproblems - 1].line = line;
    return 0;
}

/* ---- the cases ------------------------------------------------------------------ */

static unsigned long resolve(long v, unsigned long pus)
{
    return v == PUS ? pus : v == PUS_PLUS_1 ? pus + 1 : (unsigned long)v;
}

/* The value after "NAME=" in a case's variant ("schedule=static sizes=..."), into
 * out; "" when it has none. */
static void variant_field(const char *variant, const char *name, char *out, size_t len)
{
    size_t nlen = strlen(name);

    out[0] = '\0';
    for (const char *p = variant; *p != '\0';) {
        const char *end = strchr(p, ' ');
        size_t wlen = end ? (size_t)(end - p) : strlen(p);

        if (wlen > nlen && strncmp(p, name, nlen) == 0) {
            snprintf(out, len, "%.*s", (int)(wlen - nlen), p + nlen);
            return;
        }
        p += wlen;
        while (*p == ' ')
            p++;
    }
}

static bool lock_matches(const char *lock, const char *want)
{
    if (want == NULL)
        return true;
    if (strncmp(want, "fraction:", 9) == 0 && strncmp(lock, "fraction:", 9) == 0)
        return fabs(strtod(lock + 9, NULL) - strtod(want + 9, NULL)) < 1e-6;
    return strcmp(lock, want) == 0;
}

static bool matches(const struct summary_case *c, const struct lab_case *lc, unsigned long w,
                    unsigned long j, const char *label)
{
    char field[64];
    uint64_t bytes = 0;

    if (strcmp(c->program, lc->program) != 0 || !lock_matches(c->lock, lc->lock) ||
        strcmp(c->pin, lc->pin ? lc->pin : "none") != 0 || c->workers != w || c->jobs != j ||
        strcmp(c->label, label) != 0 || (c->sizes[0] != '\0') != lc->sizes)
        return false;
    variant_field(c->variant, "schedule=", field, sizeof field);
    if (strcmp(field, lc->schedule ? lc->schedule : "") != 0)
        return false;
    variant_field(c->variant, "switch=", field, sizeof field);
    if (fabs((field[0] ? strtod(field, NULL) : 0.0) - lc->switch_ms) > 1e-9)
        return false;
    variant_field(c->variant, "kernel=", field, sizeof field); /* "simd/avx2": its kernel */
    field[strcspn(field, "/")] = '\0';
    if (strcmp(field, lc->kernel ? lc->kernel : "") != 0)
        return false;
    if (lc->payload != NULL && payload_parse(lc->payload, &bytes) != 0)
        return false;
    return c->payload == bytes &&
           (lc->payload == NULL || strcmp(c->transport, lc->transport) == 0);
}

/* The serial case of the directory for lc's jobs: the n the lab's runs there have. */
static const struct summary_case *lab_serial(const struct checker *k, const struct source *s,
                                             const struct lab_case *lc, unsigned long j)
{
    for (size_t i = 0; i < s->r.runs.ncases; i++) {
        const struct summary_case *c = &s->r.runs.cases[i];
        const struct backend *b = backend_find(c->program);

        if (b != NULL && b->baseline && c->plain && strcmp(c->pin, "none") == 0 &&
            c->jobs == j && (c->sizes[0] != '\0') == lc->sizes && strcmp(c->label, k->label) == 0)
            return c;
    }
    return NULL;
}

/* "threads, lock none, W = 3, 12 jobs": a case as the lines name it, with W and the
 * jobs given as text ("3", or "P + 1" in the keys' table). */
static void case_name_as(const struct lab_case *lc, const char *w, const char *j, char *text,
                         size_t len)
{
    const struct backend *b = backend_find(lc->program);

    snprintf(text, len, "%s", b ? b->label : lc->program);
    if (lc->lock != NULL && !(b && b->baseline))
        add(text, len, ", lock %s", lc->lock);
    if (!(b && b->baseline))
        add(text, len, ", W = %s", w);
    if (lc->threads > 0 && lc->workers > 0)
        add(text, len, " (%ld %s x %u threads)", lc->workers / (long)lc->threads,
            lc->workers / (long)lc->threads == 1 ? "rank" : "ranks", lc->threads);
    if (lc->mpirun != NULL)
        add(text, len, ", mpirun %s", lc->mpirun);
    if (lc->pin != NULL)
        add(text, len, ", --pin %s", lc->pin);
    if (lc->schedule != NULL)
        add(text, len, ", schedule %s", lc->schedule);
    if (lc->sizes)
        add(text, len, ", jobs of unequal size (--sizes)");
    if (lc->switch_ms > 0)
        add(text, len, ", switch interval %g ms", lc->switch_ms);
    if (lc->kernel != NULL)
        add(text, len, ", kernel %s", lc->kernel);
    if (lc->payload != NULL)
        add(text, len, ", payload %s via %s", lc->payload, lc->transport);
    add(text, len, ", %s jobs", j);
}

static void case_name(const struct lab_case *lc, unsigned long w, unsigned long j, char *text,
                      size_t len)
{
    char wt[32], jt[32];

    snprintf(wt, sizeof wt, "%lu", w);
    snprintf(jt, sizeof jt, "%lu", j);
    case_name_as(lc, wt, jt, text, len);
}

/* A sweep's case named for every size of it: ", 0 jobs" at the end of text made
 * ", every size". */
static void every_size(char *text, size_t len)
{
    size_t n = strlen(text), tail = strlen(", 0 jobs");

    if (n >= tail && strcmp(text + n - tail, ", 0 jobs") == 0) {
        text[n - tail] = '\0';
        add(text, len, ", every size");
    }
}

/* The command that makes case lc's runs in s's directory with kernel size n (or the
 * --sizes SPEC sizes). */
static void case_command(const struct source *s, const struct lab_case *lc, unsigned long w,
                         unsigned long j, unsigned long n, const char *sizes, char *text,
                         size_t len)
{
    const struct backend *b = backend_find(lc->program);
    char dir[1200];

    shell_word(s->dir, dir, sizeof dir);
    text[0] = '\0';
    if (b != NULL && b->worker == WORKER_RANK) { /* W is what mpirun starts: no -w */
        unsigned long t = lc->threads > 0 ? lc->threads : 1;

        add(text, len, "mpirun -np %lu ", w / t > 0 ? w / t : 1);
        if (lc->mpirun != NULL)
            add(text, len, "%s ", lc->mpirun);
    }
    add(text, len, "bin/%s", lc->program);
    if (lc->threads > 0)
        add(text, len, " --threads %u", lc->threads);
    if (lc->lock != NULL && !(b && b->baseline))
        add(text, len, " -l %s", lc->lock);
    if (!(b && (b->baseline || b->worker == WORKER_RANK)))
        add(text, len, " -w %lu", w);
    if (j != 12)
        add(text, len, " -j %lu", j);
    if (lc->pin != NULL)
        add(text, len, " -p %s", lc->pin);
    if (lc->schedule != NULL)
        add(text, len, " --schedule %s", lc->schedule);
    if (lc->sizes)
        add(text, len, " --sizes %s", sizes);
    else
        add(text, len, " -n %lu", n);
    if (lc->switch_ms > 0)
        add(text, len, " --switch-interval %g", lc->switch_ms);
    if (lc->kernel != NULL)
        add(text, len, " --kernel %s", lc->kernel);
    if (lc->payload != NULL) {
        add(text, len, " --payload %s", lc->payload);
        if (b && b->data_crosses)
            add(text, len, " --transport %s", lc->transport);
    }
    add(text, len, " -r 3 --runs-csv %s/%s", dir, s->runs_csv);
    if (lc->jobs_csv != NULL)
        add(text, len, " --jobs-csv %s/%s", dir, lc->jobs_csv);
    if (lc->slices_csv != NULL)
        add(text, len, " --slices-csv %s/%s", dir, lc->slices_csv);
}

/* The serial runs a case divides by, as a command. */
static void serial_command(const struct source *s, const struct summary_case *c, char *text,
                           size_t len)
{
    char dir[1200];

    shell_word(s->dir, dir, sizeof dir);
    snprintf(text, len, "bin/parlab-serial");
    if (c->jobs != 12)
        add(text, len, " -j %lu", c->jobs);
    if (c->sizes[0] != '\0')
        add(text, len, " --sizes %s", c->sizes);
    else
        add(text, len, " -n %lu", c->size);
    add(text, len, " -r 3 --runs-csv %s/%s", dir, s->runs_csv);
}

/* A case of a question, found: the summary's case, its source and its W and jobs. */
struct found {
    const struct summary_case *c;
    struct source *s;
    unsigned long w, j;
    char name[256];
};

/* Finds lc's case: one of the lab's label, with the n of the directory's serial run
 * of the same jobs when there is one.  Returns 0, or 1 with why saying what is
 * missing and the command that makes it. */
static int find_case(struct checker *k, const struct lab_case *lc, struct found *f, char *why,
                     size_t len)
{
    const struct summary_case *serial, *other = NULL;
    char cmd[2048], sizes[128];
    unsigned long n;

    *f = (struct found){.s = source_of(k, lc)};
    f->w = resolve(lc->workers, k->pus);
    f->j = resolve(lc->jobs, k->pus);
    case_name(lc, f->w, f->j, f->name, sizeof f->name);
    if (f->s == NULL || f->s->state != SOURCE_READ) {
        snprintf(why, len, "%s", f->s ? f->s->why : "no results");
        if (f->s != NULL && f->s->state == SOURCE_ABSENT) {
            case_command(f->s, lc, f->w ? f->w : 2, f->j ? f->j : 12, lc->n,
                         lc->sizes_spec ? lc->sizes_spec : "", cmd, sizeof cmd);
            add(why, len, "; make it as the handout says, e.g. %s", cmd);
        }
        return 1;
    }
    serial = lab_serial(k, f->s, lc, f->j);
    n = serial ? serial->size : lc->n;
    for (size_t i = 0; serial == NULL && i < f->s->r.runs.ncases; i++)
        if (f->s->r.runs.cases[i].jobs == f->j) { /* no serial run: the others' n */
            n = f->s->r.runs.cases[i].size;
            break;
        }
    snprintf(sizes, sizeof sizes, "%s",
             serial ? serial->sizes : lc->sizes_spec ? lc->sizes_spec : "");
    for (size_t i = 0; i < f->s->r.runs.ncases && f->c == NULL; i++) {
        const struct summary_case *c = &f->s->r.runs.cases[i];

        if (!matches(c, lc, f->w, f->j, k->label))
            continue;
        if (serial == NULL || c->size == serial->size)
            f->c = c;
        else if (other == NULL)
            other = c;
    }
    if (f->c != NULL)
        return 0;
    case_command(f->s, lc, f->w, f->j, n, sizes, cmd, sizeof cmd);
    if (other != NULL)
        snprintf(why, len, "no run of %s with n = %lu, the serial run's, in '%s' (there is "
                 "one with n = %lu); make it with: %s", f->name, n, f->s->runs, other->size, cmd);
    else
        snprintf(why, len, "no run of %s in '%s'; make it with: %s", f->name, f->s->runs, cmd);
    return 1;
}

/* ---- was the machine quiet? ------------------------------------------------------- */

static void use(struct checker *k, const struct summary_case *c)
{
    for (size_t i = 0; i < k->nused; i++)
        if (k->used[i] == c)
            return;
    k->used[k->nused++] = c; /* room for every case of every source */
}

/* "serial, 12 jobs, n = 150" or the found case's name. */
static void summary_case_name(const struct summary_case *c, const char *name, char *text,
                              size_t len)
{
    if (name != NULL)
        snprintf(text, len, "%s, n = %lu", name, c->size);
    else
        snprintf(text, len, "the serial run of %lu jobs, n = %lu", c->jobs, c->size);
}

/* Whether case c's runs are a clean measurement; when not, why into text.  more_cpu:
 * its jobs are small enough that more CPU time than serially is the queue's overhead,
 * what the question measures, and no sign of slowed PUs. */
static bool clean(const struct summary_case *c, const char *name, bool more_cpu, char *text,
                  size_t len)
{
    const struct backend *b = backend_find(c->program);
    char who[320];

    summary_case_name(c, name, who, sizeof who);
    if (summary_busy(c)) {
        snprintf(text, len, "the machine was busy: other programs used %.2f CPU-seconds per "
                 "second during a run of %s", c->other_rate, who);
    } else if (summary_disagrees(c)) {
        snprintf(text, len, "repetitions disagree: the runs of %s took %.3f to %.3f s, %.0f%% "
                 "of their median apart", who, c->wall.min, c->wall.max, 100 * summary_spread(c));
    } else if (!more_cpu && summary_slowed(c)) {
        snprintf(text, len, "slowed: the jobs of %s took %.2f times the CPU time of the same "
                 "jobs run serially (a shared core, a lower clock)", who, summary_cpu_ratio(c));
    } else if (c->on_battery) {
        snprintf(text, len, "on battery: %s ran on battery power, which may slow the CPU", who);
    } else if (b != NULL && b->baseline && c->wall.median > 0 &&
               (c->cpu_self.median + c->cpu_children.median) / c->wall.median <
                   LAB_SERIAL_CPU_SHARE) {
        snprintf(text, len, "the machine was busy: %s computed only %.0f%% of its wall time "
                 "(%.3f s of CPU time in %.3f s): it waited for its PU", who,
                 100 * (c->cpu_self.median + c->cpu_children.median) / c->wall.median,
                 c->cpu_self.median + c->cpu_children.median, c->wall.median);
    } else {
        return true;
    }
    return false;
}

/* ---- a question's number ------------------------------------------------------------ */

#define LIST_MAX 64
#define RUNS_MAX 64

/* A number, or a list of whole numbers. */
struct value {
    double x;
    long v[LIST_MAX];
    size_t n;
};

/* What the results say for a question. */
struct measured {
    enum { MEASURED, MISSING, NOT_APPLICABLE } state;
    struct value value;
    struct value runs[RUNS_MAX]; /* per-run measures: each run's */
    size_t nruns;
    char basis[512];       /* what gives the number: "your runs", "Amdahl's law for ..." */
    char after[512];       /* said after the verdict: the measured speedup beside a formula */
    const struct summary_case *cases[4]; /* what it rests on, and their names */
    char names[4][256];
    size_t ncases;
    char why[4096];        /* MISSING or NOT_APPLICABLE: why */
    bool more_cpu;         /* its cases' jobs are overhead-bound (lab_case overhead_cpu) */
    char unclean[1024];    /* rests on no case, but was not measured cleanly: why */
};

static void rests_on(struct measured *m, const struct summary_case *c, const char *name)
{
    if (c == NULL || m->ncases == 4)
        return;
    m->cases[m->ncases] = c;
    snprintf(m->names[m->ncases], sizeof m->names[0], "%s", name ? name : "");
    m->ncases++;
}

static int missing(struct measured *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int missing(struct measured *m, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(m->why, sizeof m->why, fmt, ap);
    va_end(ap);
    m->state = MISSING;
    return 0;
}

static int compare_longs(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;

    return (x > y) - (x < y);
}

/* v sorted, each number once. */
static void as_set(struct value *v)
{
    size_t n = 0;

    if (v->n > 1)
        qsort(v->v, v->n, sizeof v->v[0], compare_longs);
    for (size_t i = 0; i < v->n; i++)
        if (n == 0 || v->v[n - 1] != v->v[i])
            v->v[n++] = v->v[i];
    v->n = n;
}

static void push_long(struct value *v, long x)
{
    if (v->n < LIST_MAX)
        v->v[v->n++] = x;
}

struct event {
    double t;
    int step;
};

static int event_order(const void *a, const void *b)
{
    const struct event *x = a, *y = b;

    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->step - y->step; /* an end before a start at the same moment */
}

/* The most of the n jobs in progress at one moment, or (size_t)-1 out of memory. */
static size_t most_at_once(const struct results_job *j, size_t n)
{
    struct event *ev = malloc((2 * n + 1) * sizeof *ev);
    size_t running = 0, most = 0;

    if (ev == NULL)
        return (size_t)-1;
    for (size_t i = 0; i < n; i++) {
        ev[2 * i] = (struct event){j[i].t_start, +1};
        ev[2 * i + 1] = (struct event){j[i].t_end, -1};
    }
    qsort(ev, 2 * n, sizeof *ev, event_order);
    for (size_t i = 0; i < 2 * n; i++) {
        running = ev[i].step > 0 ? running + 1 : running - (running > 0);
        most = running > most ? running : most;
    }
    free(ev);
    return most;
}

/* One run's value of a per-run measure, from its n jobs. */
static int run_value(enum measure m, const struct results_job *j, size_t n, unsigned long w,
                     struct value *v)
{
    size_t last = 0;

    *v = (struct value){0};
    for (size_t i = 1; i < n; i++)
        if (j[i].t_end > j[last].t_end)
            last = i;
    switch (m) {
    case M_LONGEST_WAIT:
        for (size_t i = 0; i < n; i++)
            v->x = j[i].lock_wait > v->x ? j[i].lock_wait : v->x;
        break;
    case M_HANDOVERS:
        for (size_t i = 0; i < n; i++)
            v->x += j[i].switches;
        break;
    case M_JOBS_PER_WORKER:
        for (unsigned long k = 0; k < w && k < LIST_MAX; k++)
            push_long(v, 0);
        for (size_t i = 0; i < n; i++)
            if (j[i].worker >= 0 && (size_t)j[i].worker < v->n)
                v->v[j[i].worker]++;
        break;
    case M_LAST_WORKER:
        v->x = (double)j[last].worker;
        break;
    case M_LAST_JOBS:
        for (size_t i = 0; i < n; i++)
            if (j[i].worker == j[last].worker)
                push_long(v, j[i].job);
        as_set(v);
        break;
    case M_PUS_RAN:
        for (size_t i = 0; i < n; i++) {
            if (j[i].pu_start >= 0)
                push_long(v, j[i].pu_start);
            if (j[i].pu_end >= 0)
                push_long(v, j[i].pu_end);
        }
        as_set(v);
        break;
    case M_MOST_AT_ONCE: {
        size_t most = most_at_once(j, n);

        if (most == (size_t)-1)
            return -1;
        v->x = (double)most;
        break;
    }
    default:
        break;
    }
    return 0;
}

/* The key's measure in each of case f's runs that has jobs in the jobs file. */
static int per_run(const struct lab_key *key, const struct found *f, struct measured *m)
{
    char cmd[2048];

    for (size_t i = 0; i < f->c->reps && m->nruns < RUNS_MAX; i++) {
        const struct results_job *j;
        size_t n = results_jobs_of(&f->s->r, f->c->run_ids[i], &j);

        if (n > 0 && run_value(key->measure, j, n, f->w, &m->runs[m->nruns++]) != 0)
            return -1;
    }
    if (m->nruns > 0)
        return 0;
    case_command(f->s, key->c, f->w, f->j, f->c->size, f->c->sizes, cmd, sizeof cmd);
    if (!f->s->r.have_jobs)
        return missing(m, "there is no '%s' for the jobs of %s; make them with: %s",
                       f->s->jobs, f->name, cmd);
    return missing(m, "'%s' holds no jobs of the runs of %s (n = %lu); make them with: %s",
                   f->s->jobs, f->name, f->c->size, cmd);
}

/* The speedup schedule(static) allows case c's jobs on its W workers, from their sizes:
 * OpenMP gives each worker one block of consecutive jobs, the first J mod W one more. */
static int static_bound(const struct summary_case *c, double *bound, char *why, size_t len)
{
    struct sizes sz;
    double total = 0, largest = 0;
    unsigned long w = c->workers, q = c->jobs / w, r = c->jobs % w, job = 0;

    if (sizes_parse(c->sizes, &sz, why, len) != 0)
        return -1;
    for (unsigned long t = 0; t < w; t++) {
        double block = 0;

        for (unsigned long i = 0; i < q + (t < r); i++, job++)
            block += (double)kernel_steps(sizes_of(&sz, (unsigned)job, (unsigned)c->jobs));
        total += block;
        largest = block > largest ? block : largest;
    }
    sizes_release(&sz);
    *bound = largest > 0 ? total / largest : 0;
    return 0;
}

static unsigned long min_ul(unsigned long a, unsigned long b)
{
    return a < b ? a : b;
}

/* The number of lines of the file (its newlines), or -1. */
static long count_lines(const char *path)
{
    FILE *f = fopen(path, "r");
    long lines = 0;
    int ch;

    if (f == NULL)
        return -1;
    while ((ch = getc(f)) != EOF)
        lines += ch == '\n';
    fclose(f);
    return lines;
}

/* The measured speedup of the key's case, shown beside a formula's number. */
static void beside(struct checker *k, const struct lab_key *key, struct measured *m,
                   const char *what)
{
    struct found f;
    char why[4096], a[32], reason[1024];

    if (key->c == NULL || find_case(k, key->c, &f, why, sizeof why) != 0 || f.c->speedup <= 0)
        return;
    snprintf(m->after, sizeof m->after, "; your runs measured %s %s", what,
             num(f.c->speedup, a, sizeof a));
    if (!clean(f.c, f.name, false, reason, sizeof reason) ||
        (f.c->serial && !clean(f.c->serial, NULL, false, reason, sizeof reason)))
        add(m->after, sizeof m->after, " (no clean measurement: %s)", reason);
}

/* A finite decimal number, the whole field ("" or "nan" is none). */
static bool decimal(const char *text, double *x)
{
    char *end;

    errno = 0;
    *x = strtod(text, &end);
    return text[0] != '\0' && *end == '\0' && errno == 0 && isfinite(*x) &&
           strpbrk(text, "xXnNiI") == NULL;
}

/* The overhead per job of parlab-overhead's case key->ocase at W = key->workers in the
 * lab's overhead.csv (its last row of the runs' host and label: the latest
 * measurement), into *us; whether other programs were busy beside it into
 * m->unclean.  Returns 0, or 1 with m MISSING. */
static int overhead_of(struct checker *k, const struct lab_key *key, struct measured *m,
                       double *us)
{
    static const char *const names[] = {"program",   "case",       "workers",
                                        "median_us", "host",       "label",
                                        "inner_reps", "outer_reps", "reference_us",
                                        "mean_us",   "other_cpu_s"};
    enum { PROGRAM, CASE_, WORKERS, MEDIAN, HOST, LABEL, INNER, OUTER, REF, MEAN, OTHER, NCOLS };
    char *path = join(k->dir, "overhead.csv"), why[1024], word[1200];
    struct csv_table t;
    int col[NCOLS];
    size_t row = 0;
    double inner = 0, outer = 0, ref = 0, mean = 0, other = -1, w = (double)key->workers;

    if (path == NULL)
        return -1;
    shell_word(path, word, sizeof word);
    if (csv_read_file(path, &t) != 0) {
        if (errno == ENOENT)
            missing(m, "there is no '%s'; make it as the handout says, e.g. bin/parlab-overhead "
                    "-w %ld --case omp-dynamic1,procs-counter,fork-per-job --overhead-csv %s",
                    path, key->workers, word);
        else {
            csv_read_error(&t, path, why, sizeof why);
            missing(m, "%s", why);
        }
        free(path);
        return 1;
    }
    for (size_t c = 0; c < NCOLS; c++)
        if ((col[c] = csv_column(&t, names[c])) < 0) {
            missing(m, "'%s' is not a parlab overhead CSV: it has no column %s", path, names[c]);
            csv_table_release(&t);
            free(path);
            return 1;
        }
    for (size_t r = 1; r < t.nrows; r++) {
        double x;

        if (strcmp(csv_field(&t, r, col[PROGRAM]), "parlab-overhead") == 0 &&
            strcmp(csv_field(&t, r, col[CASE_]), key->ocase) == 0 &&
            decimal(csv_field(&t, r, col[WORKERS]), &x) && x == w &&
            (k->host == NULL || (strcmp(csv_field(&t, r, col[HOST]), k->host) == 0 &&
                                 strcmp(csv_field(&t, r, col[LABEL]), k->label) == 0)))
            row = r;
    }
    if (row == 0) {
        missing(m, "'%s' has no row of %s at W = %ld%s%s; make it with: bin/parlab-overhead -w "
                "%ld --case %s --overhead-csv %s", path, key->ocase, key->workers,
                k->host ? " on host " : "", k->host ? k->host : "", key->workers, key->ocase,
                word);
    } else if (!decimal(csv_field(&t, row, col[MEDIAN]), us)) {
        csv_field_error(&t, path, row, col[MEDIAN], "is not a number of microseconds", why,
                        sizeof why);
        missing(m, "%s", why);
        row = 0;
    } else {
        /* The row does not say how long the case ran: about (outer + 1 warm-up) outer
         * repetitions of inner x (reference + test), the test taking reference + mean;
         * the doubling before them is left out, so the rate is if anything too high. */
        if (decimal(csv_field(&t, row, col[INNER]), &inner) &&
            decimal(csv_field(&t, row, col[OUTER]), &outer) &&
            decimal(csv_field(&t, row, col[REF]), &ref) &&
            decimal(csv_field(&t, row, col[MEAN]), &mean) &&
            decimal(csv_field(&t, row, col[OTHER]), &other)) {
            double took = (outer + 1) * inner * (2 * ref + mean) / 1e6;
            double beyond = other - SUMMARY_TICK_S * (double)(k->pus ? k->pus : 1);

            if (took > 0 && beyond / took > SUMMARY_BUSY_RATE)
                snprintf(m->unclean, sizeof m->unclean, "the machine was busy: other programs "
                         "used %.2f CPU-seconds beside parlab-overhead's %s at W = %ld, which "
                         "took about %.3f s (overhead.csv's other_cpu_s)", other, key->ocase,
                         key->workers, took);
        }
        snprintf(m->basis, sizeof m->basis, "'%s' line %zu gives", path, row + 1);
    }
    csv_table_release(&t);
    free(path);
    return row == 0;
}

/* The crossover of case lc (its program at W, every size of the sweep): the job size at
 * which its speedup first reaches 90% of min(W, PUs), in microseconds. */
static int crossover_of(struct checker *k, const struct lab_key *key, struct measured *m)
{
    const struct lab_case *lc = key->c;
    struct source *s = source_of(k, lc);
    const struct granularity_line *l = NULL;
    struct granularity_crossover x;
    unsigned long w = resolve(lc->workers, k->pus);
    double target;
    char name[256], a[32], b[32], c[32];

    case_name(lc, w, 0, name, sizeof name);
    if (strlen(name) > strlen(", 0 jobs")) /* the sweep's sizes, not one job count */
        name[strlen(name) - strlen(", 0 jobs")] = '\0';
    if (s == NULL || s->state != SOURCE_READ)
        return missing(m, "%s; make it as the handout's sweep says, a serial run and its "
                       "parallel runs per size", s ? s->why : "no results");
    for (size_t i = 0; i < s->r.granularity.nlines && l == NULL; i++)
        if (strcmp(s->r.granularity.lines[i].backend->name, lc->program) == 0 &&
            s->r.granularity.lines[i].workers == w)
            l = &s->r.granularity.lines[i];
    if (l == NULL || l->npoints == 0)
        return missing(m, "'%s' has no run of %s with a serial run of its jobs and size to "
                       "divide by", s->runs, name);
    target = 0.9 * granularity_ideal(l);
    granularity_crossover(l, target, &x);
    num(l->points[0].job_s * 1e6, a, sizeof a);
    num(l->points[l->npoints - 1].job_s * 1e6, b, sizeof b);
    if (x.reach == GRANULARITY_NOT_REACHED || x.reach == GRANULARITY_AT_SMALLEST) {
        m->state = NOT_APPLICABLE;
        if (x.reach == GRANULARITY_NOT_REACHED)
            snprintf(m->why, sizeof m->why, "no size of %s in the sweep reaches 90%% of the ideal (%.2f) up "
                     "to jobs of %s us, the largest (speedup %.2f): there is no crossover in "
                     "the sweep; leave it empty", name, target, b,
                     l->points[l->npoints - 1].speedup);
        else
            snprintf(m->why, sizeof m->why, "%s reaches 90%% of the ideal (%.2f) in the sweep already at "
                     "jobs of %s us, the smallest size (speedup %.2f): the crossover lies "
                     "below the sweep; leave it empty", name, target, a, l->points[0].speedup);
        return 0;
    }
    m->more_cpu = lc->overhead_cpu;
    for (size_t i = x.below; i <= x.above; i++) {
        rests_on(m, l->points[i].c, name);
        rests_on(m, l->points[i].c->serial, NULL);
    }
    m->value.x = x.job_s * 1e6;
    snprintf(m->basis, sizeof m->basis, "speedup %.3f at %s us and %.3f at %s us give, "
             "interpolated in log t to %.2f,", l->points[x.below].speedup,
             num(l->points[x.below].job_s * 1e6, a, sizeof a), l->points[x.above].speedup,
             num(l->points[x.above].job_s * 1e6, c, sizeof c), target);
    if (x.fell_at < l->npoints)
        snprintf(m->after, sizeof m->after, "; at %s us it falls below %.2f again (%.3f): "
                 "the curve is not monotone there", num(l->points[x.fell_at].job_s * 1e6, b,
                 sizeof b), target, l->points[x.fell_at].speedup);
    return 0;
}

/* What the results say for the key, into *m.  Returns -1 when out of memory. */
static int measure(struct checker *k, const struct lab_key *key, struct measured *m)
{
    const struct measure_info *mi = &measures[key->measure];
    struct found f, f2;
    char a[32], b[32], cmd[2048];
    unsigned long w = resolve(key->workers, k->pus), p;

    memset(m, 0, sizeof *m);
    snprintf(m->basis, sizeof m->basis, "your runs give");
    switch (key->measure) { /* the formulas that need no runs, or only the PUs */
    case M_AMDAHL_ON:
        m->value.x = results_amdahl(key->arg, (double)key->workers);
        snprintf(m->basis, sizeof m->basis, "Amdahl's law for F = %g on p = %ld gives", key->arg,
                 key->workers);
        return 0;
    case M_AMDAHL_F:
        m->value.x = ((double)key->workers / key->arg - 1) / ((double)key->workers - 1);
        snprintf(m->basis, sizeof m->basis, "Amdahl's law solved for F with S = %g on p = %ld "
                 "gives", key->arg, key->workers);
        return 0;
    case M_OVERHEAD:
    case M_NINE_O: {
        double us;
        int rc = overhead_of(k, key, m, &us);

        if (rc != 0)
            return rc < 0 ? -1 : 0;
        m->value.x = us;
        if (key->measure == M_OVERHEAD)
            return 0;
        if (us <= 0) {
            m->state = NOT_APPLICABLE;
            snprintf(m->why, sizeof m->why, "the overhead per job of %s at W = %ld, %s us, is "
                     "not above 0 (below what the method resolves), so 9 o predicts nothing; "
                     "leave it empty", key->ocase, key->workers, num(us, a, sizeof a));
            return 0;
        }
        m->value.x = 9 * us;
        add(m->basis, sizeof m->basis, " o = %s us, and 9 o is", num(us, a, sizeof a));
        return 0;
    }
    default:
        break;
    }
    if (k->pus == 0) { /* no runs were read: say where they were looked for */
        if (key->c != NULL && find_case(k, key->c, &f, m->why, sizeof m->why) != 0) {
            m->state = MISSING;
            return 0;
        }
        return missing(m, "no runs were read to take the PUs from");
    }
    p = min_ul(w, k->pus);
    switch (key->measure) {
    case M_PUS:
        m->value.x = (double)k->pus;
        snprintf(m->basis, sizeof m->basis, "your runs recorded");
        return 0;
    case M_CORES:
        if (k->cores == 0)
            return missing(m, "the runs do not record the cores (runs.csv without a cores "
                           "column): make them again with this build");
        m->value.x = (double)k->cores;
        snprintf(m->basis, sizeof m->basis, "your runs recorded");
        return 0;
    case M_CPU_LIMIT:
        m->value.x = (double)p;
        snprintf(m->basis, sizeof m->basis, "min(W = %lu, %lu PUs) is", w, k->pus);
        return 0;
    case M_AMDAHL:
        m->value.x = results_amdahl(key->arg, (double)p);
        snprintf(m->basis, sizeof m->basis, "Amdahl's law for F = %g on p = min(%lu, %lu PUs) "
                 "= %lu gives", key->arg, w, k->pus, p);
        beside(k, key, m, "S =");
        return 0;
    case M_SCALED:
        m->value.x = (3.0 + 9.0 * (double)w) / (3.0 + 9.0 * (double)w / (double)p);
        snprintf(m->basis, sizeof m->basis, "(3 + 9 x %lu) / (3 + 9 x %lu / min(%lu, %lu PUs)) "
                 "is", w, w, w, k->pus);
        beside(k, key, m, "a scaled S of");
        return 0;
    case M_CROSSOVER:
        return crossover_of(k, key, m);
    case M_IDLE: {
        const struct summary_case *busiest = NULL;
        double most = 0;

        for (size_t i = 0; i < k->nsrc; i++)
            for (size_t j = 0; k->src[i].state == SOURCE_READ && j < k->src[i].r.runs.ncases; j++) {
                const struct summary_case *sc = &k->src[i].r.runs.cases[j];

                if (strcmp(sc->label, k->label) != 0)
                    continue;
                if (summary_busy(sc) && (busiest == NULL || sc->other_rate > busiest->other_rate))
                    busiest = sc;
                most = sc->other_rate > most ? sc->other_rate : most;
            }
        m->value.x = busiest == NULL;
        if (busiest != NULL)
            snprintf(m->basis, sizeof m->basis, "other programs used %.2f CPU-seconds per "
                     "second beside a run of %s (%lu jobs, n = %lu), whose machine: line said "
                     "busy, so: no", busiest->other_rate, busiest->program, busiest->jobs,
                     busiest->size);
        else
            snprintf(m->basis, sizeof m->basis, "other programs used at most %.2f CPU-seconds "
                     "per second beside a run (a machine: line says busy above %.1f), so: yes",
                     most, SUMMARY_BUSY_RATE);
        return 0;
    }
    default:
        break;
    }
    if (find_case(k, key->c, &f, m->why, sizeof m->why) != 0) {
        m->state = MISSING;
        return 0;
    }
    rests_on(m, f.c, f.name);
    if (mi->serial)
        rests_on(m, f.c->serial, NULL);
    m->more_cpu = key->c->overhead_cpu;
    if (mi->per_run || key->measure == M_MOST_AT_ONCE) {
        if (per_run(key, &f, m) != 0)
            return -1;
        if (m->state == MISSING || mi->per_run)
            return 0;
        for (size_t i = 0; i < m->nruns; i++) /* of all runs: "never" is of every run */
            m->value.x = m->runs[i].x > m->value.x ? m->runs[i].x : m->value.x;
        snprintf(m->basis, sizeof m->basis, "the jobs' intervals in %s's %zu runs give",
                 f.s->jobs, m->nruns);
        m->nruns = 0;
        return 0;
    }
    switch (key->measure) {
    case M_WALL:
        m->value.x = f.c->wall.median;
        break;
    case M_CPU_SELF:
        m->value.x = f.c->cpu_self.median;
        break;
    case M_JOB_US:
        m->value.x = f.c->wall.median / (double)f.c->jobs * 1e6;
        snprintf(m->basis, sizeof m->basis, "your runs' %s s over %lu jobs give",
                 num(f.c->wall.median, a, sizeof a), f.c->jobs);
        break;
    case M_CPU_CHILDREN:
        m->value.x = f.c->cpu_children.median;
        break;
    case M_CPU:
        m->value.x = f.c->cpu_self.median + f.c->cpu_children.median;
        break;
    case M_CPU_WALL:
        if (f.c->wall.median <= 0)
            return missing(m, "the median wall time of %s is 0 s", f.name);
        m->value.x = (f.c->cpu_self.median + f.c->cpu_children.median) / f.c->wall.median;
        break;
    case M_SPEEDUP:
    case M_KARP_FLATT:
        if (f.c->speedup <= 0) {
            char why[512];

            summary_why_no_speedup(f.c, why, sizeof why);
            if (f.c->has_serial)
                return missing(m, "%s has no speedup: %s", f.name, why);
            serial_command(f.s, f.c, cmd, sizeof cmd);
            return missing(m, "%s has no serial run to divide by: %s; make it with: %s",
                           f.name, why, cmd);
        }
        m->value.x = f.c->speedup;
        if (key->measure == M_SPEEDUP)
            break;
        p = min_ul(f.c->workers, k->pus);
        if (p < 2) {
            m->state = NOT_APPLICABLE;
            snprintf(m->why, sizeof m->why, "p = min(W = %lu, %lu PUs) = 1: Karp and Flatt's "
                     "e divides by 1 - 1/p = 0; leave it empty", f.c->workers, k->pus);
            return 0;
        }
        m->value.x = results_karp_flatt(f.c->speedup, (double)p);
        snprintf(m->basis, sizeof m->basis, "your runs' S = %s on p = min(%lu, %lu PUs) = %lu "
                 "gives e =", num(f.c->speedup, a, sizeof a), f.c->workers, k->pus, p);
        break;
    case M_RATIO:
        if (find_case(k, key->c2, &f2, m->why, sizeof m->why) != 0) {
            m->state = MISSING;
            return 0;
        }
        rests_on(m, f2.c, f2.name);
        if (f2.c->wall.median <= 0)
            return missing(m, "the median wall time of %s is 0 s", f2.name);
        m->value.x = f.c->wall.median / f2.c->wall.median;
        snprintf(m->basis, sizeof m->basis, "your runs' %s s / %s s give",
                 num(f.c->wall.median, a, sizeof a), num(f2.c->wall.median, b, sizeof b));
        break;
    case M_BANDWIDTH: {
        struct results_run facts;

        if (results_run_facts(&f.s->r, f.c, &facts) != 0 || facts.copied == 0 ||
            facts.bandwidth <= 0)
            return missing(m, "%s holds no copies of the median run of %s", f.s->jobs, f.name);
        m->value.x = facts.bandwidth / 1e9;
        break;
    }
    case M_MEMCPY:
        m->value.x = results_memcpy_bandwidth(&f.s->r) / 1e9;
        if (m->value.x <= 0)
            return missing(m, "'%s' records no memcpy bandwidth (memcpy_gbs) beside a payload",
                           f.s->runs);
        break;
    case M_STATIC_BOUND: {
        char why[256];

        m->ncases = 0; /* from the sizes alone: no time is judged */
        if (static_bound(f.c, &m->value.x, why, sizeof why) != 0)
            return missing(m, "the sizes of %s: %s", f.name, why);
        snprintf(m->basis, sizeof m->basis, "the sizes %s of %lu jobs on %lu workers give",
                 f.c->sizes, f.c->jobs, f.c->workers);
        break;
    }
    case M_RUNS_LINES: {
        long lines = count_lines(f.s->runs);

        m->ncases = 0;
        if (lines < 0)
            return missing(m, "cannot read '%s': %s", f.s->runs, strerror(errno));
        m->value.x = (double)lines;
        snprintf(m->basis, sizeof m->basis, "'%s' has", f.s->runs);
        break;
    }
    default:
        break;
    }
    return 0;
}

/* ---- an answer ------------------------------------------------------------------- */

/* The student's value as kind asks; false with why when it is not. */
static bool parse_answer(const char *text, enum kind kind, struct value *v, char *why, size_t len)
{
    char q[64];
    char *end;

    quoted(text, q, sizeof q);
    *v = (struct value){0};
    if (kind == K_YESNO) {
        if (strcasecmp(text, "yes") == 0 || strcasecmp(text, "no") == 0) {
            v->x = strcasecmp(text, "yes") == 0;
            return true;
        }
        snprintf(why, len, "'%s' is neither yes nor no", q);
        return false;
    }
    if (kind == K_LIST || kind == K_SET) {
        for (const char *p = text; *p != '\0';) {
            long x;

            while (*p == ' ' || *p == '\t' || *p == ',')
                p++;
            if (*p == '\0')
                break;
            errno = 0;
            x = strtol(p, &end, 10);
            if (end == p || errno != 0 || x < 0 || *p == '+' || *p == '-' ||
                (*end != '\0' && *end != ' ' && *end != '\t' && *end != ',') || v->n == LIST_MAX) {
                snprintf(why, len, "'%s' is not whole numbers apart by blanks, such as 4 4 4", q);
                return false;
            }
            push_long(v, x);
            p = end;
        }
        if (v->n == 0) {
            snprintf(why, len, "'%s' holds no number", q);
            return false;
        }
        if (kind == K_SET)
            as_set(v);
        return true;
    }
    errno = 0;
    v->x = strtod(text, &end);
    if (end == text || *end != '\0' || errno != 0 || !isfinite(v->x) ||
        strpbrk(text, "xXpP") != NULL) {
        if (strchr(text, ',') != NULL && strchr(text, '.') == NULL)
            snprintf(why, len, "'%s' is not a number: write the decimal point as a point "
                     "(1.94)", q);
        else
            snprintf(why, len, "'%s' is not %s such as %s", q, kind_names[kind],
                     kind == K_WHOLE ? "3" : "1.94");
        return false;
    }
    if (kind == K_WHOLE && v->x != floor(v->x)) {
        snprintf(why, len, "'%s' is not a whole number", q);
        return false;
    }
    return true;
}

static bool same_list(const struct value *a, const struct value *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (a->v[i] != b->v[i])
            return false;
    return true;
}

static void list_text(const struct value *v, char *text, size_t len)
{
    text[0] = '\0';
    for (size_t i = 0; i < v->n; i++)
        add(text, len, "%s%ld", i ? " " : "", v->v[i]);
}

/* A per-run value as text. */
static void value_text(const struct value *v, enum kind kind, char *text, size_t len)
{
    if (kind == K_LIST || kind == K_SET)
        list_text(v, text, len);
    else if (kind == K_WHOLE)
        snprintf(text, len, "%.0f", v->x);
    else
        num(v->x, text, len);
}

static double allowed(const struct tolerance *t, double x)
{
    double r = t->rel * fabs(x);

    return r > t->abs ? r : t->abs;
}

static bool within(const struct value *answer, const struct value *runs, enum kind kind,
                   const struct tolerance *t)
{
    if (kind == K_LIST || kind == K_SET)
        return same_list(answer, runs);
    return fabs(answer->x - runs->x) <= allowed(t, runs->x) + 1e-9;
}

/* The verdict of an answer to a per-run question. */
static enum lab_verdict judge_runs(const struct lab_key *key, const struct measured *m,
                                   const struct value *answer, const char *wrote, char *text,
                                   size_t len)
{
    enum kind kind = measures[key->measure].kind;
    size_t hit = m->nruns;
    char v[512];

    for (size_t i = 0; i < m->nruns && hit == m->nruns; i++)
        if (within(answer, &m->runs[i], kind, &key->tol))
            hit = i;
    snprintf(text, len, "you wrote %s; ", wrote);
    if (hit < m->nruns)
        add(text, len, "run %zu of %zu agrees", hit + 1, m->nruns);
    else
        add(text, len, "no run agrees");
    add(text, len, " (the runs:");
    for (size_t i = 0; i < m->nruns; i++) {
        value_text(&m->runs[i], kind, v, sizeof v);
        add(text, len, "%s %s", i ? ";" : "", v);
    }
    add(text, len, ")");
    if (kind == K_NUMBER || (kind == K_WHOLE && key->tol.abs > 0)) {
        char t[32];

        add(text, len, "; tolerance ±%s", tol_num(allowed(&key->tol, answer->x), t, sizeof t));
    }
    return hit < m->nruns ? LAB_AGREES : LAB_DISAGREES;
}

/* The verdict of the key's answer, into text. */
static enum lab_verdict judge(struct checker *k, const struct lab_key *key, struct measured *m,
                              char *text, size_t len)
{
    const struct measure_info *mi = &measures[key->measure];
    const struct answer *ans = answers_find(k->a, key->key);
    char wrote[64], a[32], b[32], reason[1024];
    struct value answer;
    double d;

    text[0] = '\0';
    if (m->state == MISSING) {
        snprintf(text, len, "%s", m->why);
        return LAB_MISSING;
    }
    if (m->state == NOT_APPLICABLE) {
        snprintf(text, len, "%s", m->why);
        if (ans != NULL && ans->value[0] != '\0') {
            quoted(ans->value, wrote, sizeof wrote);
            add(text, len, " (you wrote %s)", wrote);
        }
        return LAB_NOT_APPLICABLE;
    }
    if (mi->timed)
        for (size_t i = 0; i < m->ncases; i++)
            if (!clean(m->cases[i], m->names[i][0] ? m->names[i] : NULL, m->more_cpu, reason,
                       sizeof reason)) {
                snprintf(text, len, "%s: no clean measurement; run it again with nothing "
                         "else running, into an empty directory", reason);
                return LAB_NOT_JUDGED;
            }
    if (mi->timed && m->unclean[0] != '\0') {
        snprintf(text, len, "%s: no clean measurement; run it again with nothing else "
                 "running, into an empty directory", m->unclean);
        return LAB_NOT_JUDGED;
    }
    for (size_t i = 0; i < m->ncases; i++)
        use(k, m->cases[i]);
    if (ans == NULL || ans->value[0] == '\0') {
        snprintf(text, len, "%s has no value after '%s ='", k->answers_path, key->key);
        return LAB_NOT_ANSWERED;
    }
    quoted(ans->value, wrote, sizeof wrote);
    if (!parse_answer(ans->value, mi->kind, &answer, text, len)) {
        add(text, len, " (line %zu)", ans->line);
        return LAB_UNREADABLE;
    }
    if (m->nruns > 0 && !key->report)
        return judge_runs(key, m, &answer, wrote, text, len);
    if (key->report) {
        snprintf(text, len, "you predicted %s; your runs measured %s", wrote,
                 num(m->value.x, a, sizeof a));
        if (answer.x != 0) {
            d = 100 * (m->value.x - answer.x) / fabs(answer.x);
            if (fabs(d) < 0.5)
                add(text, len, " (as predicted)");
            else
                add(text, len, " (%.0f%% %s than predicted)", fabs(d), d > 0 ? "more" : "less");
        }
        return LAB_REPORTED;
    }
    if (mi->kind == K_YESNO) {
        bool ok = answer.x == m->value.x;

        snprintf(text, len, "you wrote %s; %s", wrote, m->basis);
        return ok ? LAB_AGREES : LAB_DISAGREES;
    }
    bool ok = within(&answer, &m->value, mi->kind, &key->tol);

    value_text(&m->value, mi->kind, a, sizeof a);
    snprintf(text, len, "you wrote %s; %s %s", wrote, m->basis, a);
    if (key->tol.rel > 0 || key->tol.abs > 0)
        add(text, len, " (%s ±%s)", ok ? "within" : "tolerance",
            tol_num(allowed(&key->tol, m->value.x), b, sizeof b));
    if (ok && key->measure == M_KARP_FLATT) {
        d = fabs(m->value.x - key->arg);
        add(text, len, "; that e is %s from the F = %g the runs set", num(d, a, sizeof a),
            key->arg);
        if (d > F_SET_TOLERANCE) {
            add(text, len, ", more than %g: the runs do not show the serial fraction that "
                "was set (see Explain 2)", F_SET_TOLERANCE);
            ok = false;
        } else {
            add(text, len, " (within %g)", F_SET_TOLERANCE);
        }
    }
    add(text, len, "%s", m->after);
    return ok ? LAB_AGREES : LAB_DISAGREES;
}

/* ---- the answers file -------------------------------------------------------------- */

static int by_line(const void *a, const void *b)
{
    const struct lab_line *x = a, *y = b;

    return (x->line > y->line) - (x->line < y->line);
}

static const struct lab_key *key_of(int lab, const char *key)
{
    for (size_t i = 0; i < lab_nkeys; i++)
        if (lab_keys[i].lab == lab && strcmp(lab_keys[i].key, key) == 0)
            return &lab_keys[i];
    return NULL;
}

/* Levenshtein's distance between a and b, at most 99. */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), row[128];

    if (la > 120 || lb > 120)
        return 99;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];

        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);

            best = up + 1 < best ? up + 1 : best;
            best = row[j - 1] + 1 < best ? row[j - 1] + 1 : best;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* The answers file's keys the lab does not have, and its lines that are no answer. */
static int check_answers_file(struct checker *k)
{
    const struct answers *a = k->a;
    int lab = k->info->lab;

    for (size_t i = 0; i < a->nproblems; i++)
        if (problem(k, a->problems[i].line, "%s line %zu: %s", k->answers_path, a->problems[i].line,
                    a->problems[i].text) != 0)
            return -1;
    for (size_t i = 0; i < a->n; i++) {
        const char *key = a->items[i].key, *near = NULL;
        size_t best = 99, line = a->items[i].line;
        int other = 0, rc;
        char q[64];

        if (key_of(lab, key) != NULL)
            continue;
        for (size_t j = 0; j < lab_nkeys; j++) {
            size_t d;

            if (lab_keys[j].lab != lab) {
                other = other ? other : strcmp(lab_keys[j].key, key) == 0 ? lab_keys[j].lab : 0;
                continue;
            }
            if ((d = distance(key, lab_keys[j].key)) < best) {
                best = d;
                near = lab_keys[j].key;
            }
        }
        quoted(key, q, sizeof q);
        if (other != 0)
            rc = problem(k, line, "%s line %zu: unknown key '%s': lab %d has no such key; lab "
                         "%d has (is this lab %d's answers file?)", k->answers_path, line, q,
                         lab, other, other);
        else if (near != NULL && best <= 3 && 2 * best <= strlen(key))
            rc = problem(k, line, "%s line %zu: unknown key '%s' (a typo? lab %d has '%s')",
                         k->answers_path, line, q, lab, near);
        else
            rc = problem(k, line, "%s line %zu: unknown key '%s': lab %d has no such key (its "
                         "keys are in labs/answers-templates/lab%d.txt)", k->answers_path, line,
                         q, lab, lab);
        if (rc != 0)
            return -1;
    }
    /* the file's problems in its order: the results' come after them */
    if (k->out->nproblems > 1) /* qsort may not be given a null array, even empty */
        qsort(k->out->problems, k->out->nproblems, sizeof *k->out->problems, by_line);
    return 0;
}

/* ---- the results' problems --------------------------------------------------------- */

static int check_sources(struct checker *k)
{
    for (size_t i = 0; i < k->nsrc; i++) {
        struct source *s = &k->src[i];
        const char *other = NULL;
        bool seen = false;

        for (size_t j = 0; j < i && !seen; j++)
            seen = strcmp(k->src[j].runs, s->runs) == 0;
        if (seen) /* one runs.csv read with two jobs files: its problems said once */
            continue;
        if (s->state == SOURCE_BROKEN && problem(k, 0, "%s", s->why) != 0)
            return -1;
        if (s->state != SOURCE_READ)
            continue;
        if (s->r.nother_hosts > 0 &&
            problem(k, 0, "'%s' also holds runs of %s %s: the check uses host %s's only; keep one "
                    "machine's runs in a lab's directory", s->runs,
                    s->r.nother_hosts == 1 ? "host" : "hosts", s->r.other_hosts, k->host) != 0)
            return -1;
        for (size_t j = 0; j < s->r.runs.ncases && other == NULL; j++)
            if (strcmp(s->r.runs.cases[j].label, k->label) != 0)
                other = s->r.runs.cases[j].label;
        if (other != NULL &&
            problem(k, 0, "'%s' holds runs labelled '%s' beside '%s': the check uses '%s''s only; "
                    "keep one student's runs in a lab's directory", s->runs, other, k->label,
                    k->label) != 0)
            return -1;
    }
    return 0;
}

/* What the check could not tell, of the cases the judged answers rest on. */
static int add_notes(struct checker *k)
{
    size_t unknown = 0, too_short = 0;
    double shortest = 0;
    char text[512];

    for (size_t i = 0; i < k->nused; i++) {
        const struct summary_case *c = k->used[i];

        if (c->other_unknown > 0)
            unknown++;
        else if (c->too_short_to_tell) {
            too_short++;
            shortest = shortest == 0 || c->wall.min < shortest ? c->wall.min : shortest;
        }
    }
    if (unknown > 0) {
        snprintf(text, sizeof text, "%zu of the %zu cases the answers rest on %s not record "
                 "other programs' CPU time (runs.csv without other_cpu_s): whether the machine "
                 "was quiet then cannot be told", unknown, k->nused, unknown == 1 ? "does" : "do");
        if (push(&k->out->notes, &k->out->nnotes, NULL, NULL, LAB_AGREES, text) != 0)
            return -1;
    }
    if (too_short > 0) {
        snprintf(text, sizeof text, "%zu of the %zu cases the answers rest on have runs too "
                 "short (from %.3f s) for /proc/stat's ticks of %.2f s on %lu PUs to tell "
                 "whether other programs ran: they are judged as if the machine was quiet",
                 too_short, k->nused, shortest, SUMMARY_TICK_S, k->pus);
        if (push(&k->out->notes, &k->out->nnotes, NULL, NULL, LAB_AGREES, text) != 0)
            return -1;
    }
    return 0;
}

/* ---- the check ------------------------------------------------------------------- */

static int check_keys(struct checker *k)
{
    struct measured *m = malloc(sizeof *m);
    char text[8192];

    if (m == NULL)
        return -1;
    for (size_t i = 0; i < lab_nkeys; i++) {
        const struct lab_key *key = &lab_keys[i];
        enum lab_verdict v;

        if (key->lab != k->info->lab)
            continue;
        if (measure(k, key, m) != 0) {
            free(m);
            return -1;
        }
        v = judge(k, key, m, text, sizeof text);
        if (push(&k->out->lines, &k->out->nlines, key->question, key->key, v, text) != 0) {
            free(m);
            return -1;
        }
        k->out->counts[v]++;
    }
    free(m);
    return 0;
}

static void header(struct checker *k, char *text, size_t len)
{
    snprintf(text, len, "parlab-lab check %d (%s, %s): the results in %s", k->info->lab,
             k->info->title, k->info->handout, k->dir);
    if (k->host != NULL) {
        add(text, len, " (host %s, %lu PUs, ", k->host, k->pus);
        if (k->label[0] != '\0')
            add(text, len, "label '%s')", k->label);
        else
            add(text, len, "no label)");
    }
    add(text, len, ", the answers in %s", k->answers_path);
}

int lab_check_run(int lab, const char *dir, const char *answers_path, const struct answers *a,
                  struct lab_check *out)
{
    struct checker k = {.info = lab_find(lab), .dir = dir, .answers_path = answers_path,
                        .a = a, .label = "", .out = out};
    size_t cases = 0;
    char text[4096];
    int rc = -1;

    memset(out, 0, sizeof *out);
    if (k.info == NULL) {
        errno = EINVAL;
        return -1;
    }
    out->info = k.info;
    for (size_t i = 0; i < lab_nkeys; i++)
        if (lab_keys[i].lab == lab &&
            (add_source(&k, lab_keys[i].c) != 0 || add_source(&k, lab_keys[i].c2) != 0))
            goto done;
    for (size_t i = 0; i < k.nsrc; i++) {
        read_source(&k, &k.src[i]);
        /* a sweep's cases are also read a second time, as its granularity lines' */
        if (k.src[i].state == SOURCE_READ)
            cases += k.src[i].r.runs.ncases + k.src[i].r.granularity.runs.ncases;
    }
    if ((k.used = calloc(cases + 1, sizeof *k.used)) == NULL)
        goto done;
    header(&k, text, sizeof text);
    if ((out->header = strdup(text)) == NULL || check_answers_file(&k) != 0 ||
        check_sources(&k) != 0 || check_keys(&k) != 0 || add_notes(&k) != 0)
        goto done;
    rc = 0;
done:
    for (size_t i = 0; i < k.nsrc; i++) {
        if (k.src[i].state == SOURCE_READ)
            results_release(&k.src[i].r);
        free(k.src[i].dir);
        free(k.src[i].runs);
        free(k.src[i].jobs);
        free(k.src[i].overhead);
    }
    free(k.src);
    free(k.used);
    if (rc != 0) {
        lab_check_release(out);
        errno = ENOMEM;
    }
    return rc;
}

bool lab_check_passed(const struct lab_check *c)
{
    if (c->nproblems > 0)
        return false;
    for (size_t i = 0; i < c->nlines; i++)
        if (!lab_verdict_passes(c->lines[i].verdict))
            return false;
    return true;
}

void lab_check_print(const struct lab_check *c, FILE *out)
{
    bool first = true;

    fprintf(out, "%s\n", c->header);
    for (size_t i = 0; i < c->nnotes; i++)
        fprintf(out, "note: %s\n", c->notes[i].text);
    for (size_t i = 0; i < c->nproblems; i++)
        fprintf(out, "%s\n", c->problems[i].text);
    for (size_t i = 0; i < c->nlines; i++)
        fprintf(out, "%s [%s]: %s: %s\n", c->lines[i].question, c->lines[i].key,
                lab_verdict_name(c->lines[i].verdict), c->lines[i].text);
    fprintf(out, "lab %d: %zu questions:", c->info->lab, c->nlines);
    for (int v = 0; v < LAB_NVERDICTS; v++)
        if (c->counts[v] > 0) {
            fprintf(out, "%s %zu %s", first ? "" : ",", c->counts[v],
                    c->counts[v] == 1 ? verdict_names[v] : verdict_plurals[v]);
            first = false;
        }
    if (c->nproblems > 0)
        fprintf(out, "; %zu %s above", c->nproblems, c->nproblems == 1 ? "problem" : "problems");
    fprintf(out, "; %s\n", lab_check_passed(c) ? "everything checks"
                                                : "not everything checks (exit status 1)");
}

static void lines_release(struct lab_line *l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(l[i].text);
    free(l);
}

void lab_check_release(struct lab_check *c)
{
    free(c->header);
    lines_release(c->notes, c->nnotes);
    lines_release(c->problems, c->nproblems);
    lines_release(c->lines, c->nlines);
    memset(c, 0, sizeof *c);
}

/* ---- the template and the keys' table --------------------------------------------- */

int lab_write_template(int lab, FILE *out)
{
    const struct lab_info *info = lab_find(lab);

    if (info == NULL) {
        errno = EINVAL;
        return -1;
    }
    fprintf(out,
            "# Lab %d, %s (%s): your answers, for bin/parlab-lab check %d.\n"
            "#\n"
            "# Copy this file to labs/results/lab%d/answers.txt and write each answer after\n"
            "# its '=', as the comment above it asks: a number with a decimal point (1.94),\n"
            "# a whole number, yes or no, or whole numbers apart by blanks (4 4 4).  Leave\n"
            "# the value empty until you have it.  Lines that start with # are comments.\n"
            "# The check compares every answer with your own runs in labs/results/lab%d/,\n"
            "# never with another machine's; predictions are shown beside what you\n"
            "# measured, not judged.  labs/self-check.md says how each is computed.\n",
            lab, info->title, info->handout, lab, lab, lab);
    for (size_t i = 0; i < lab_nkeys; i++) {
        const struct lab_key *k = &lab_keys[i];

        if (k->lab != lab)
            continue;
        fprintf(out, "\n# %s\n# %s (%s%s)\n%s =\n", k->question, k->what,
                kind_names[measures[k->measure].kind], k->report ? "; reported, not judged" : "",
                k->key);
    }
    return 0;
}

/* A W or a job count as the keys' table says it: "3", "P", "P + 1". */
static void symbolic(long v, char *text, size_t len)
{
    if (v == PUS)
        snprintf(text, len, "P");
    else if (v == PUS_PLUS_1)
        snprintf(text, len, "P + 1");
    else
        snprintf(text, len, "%ld", v);
}

/* A tolerance as the keys' table says it. */
static void tolerance_text(const struct lab_key *k, char *text, size_t len)
{
    char a[32];

    if (k->report) {
        snprintf(text, len, "not judged: shown beside the measurement");
        return;
    }
    if (measures[k->measure].kind == K_YESNO || measures[k->measure].kind == K_LIST ||
        measures[k->measure].kind == K_SET || (k->tol.rel == 0 && k->tol.abs == 0)) {
        snprintf(text, len, "exact");
        return;
    }
    snprintf(text, len, "±max(%g%%, %s)", 100 * k->tol.rel, tol_num(k->tol.abs, a, sizeof a));
    if (k->measure == M_KARP_FLATT)
        add(text, len, "; and within %g of the F set", F_SET_TOLERANCE);
}

int lab_write_keys(int lab, FILE *out)
{
    char tol[128], name[256];

    if (lab_find(lab) == NULL) {
        errno = EINVAL;
        return -1;
    }
    fprintf(out, "| key | question | runs | computed as | tolerance |\n|---|---|---|---|---|\n");
    for (size_t i = 0; i < lab_nkeys; i++) {
        const struct lab_key *k = &lab_keys[i];

        if (k->lab != lab)
            continue;
        tolerance_text(k, tol, sizeof tol);
        if (k->c != NULL && k->measure != M_PUS && k->measure != M_IDLE &&
            k->measure != M_CPU_LIMIT && k->measure != M_CORES) {
            char w[32], j[32];

            symbolic(k->c->workers, w, sizeof w);
            symbolic(k->c->jobs, j, sizeof j);
            case_name_as(k->c, w, j, name, sizeof name);
            if (k->c->jobs == 0)
                every_size(name, sizeof name);
            if (k->c->runs_csv != NULL) {
                size_t used = strlen(name);

                snprintf(name + used, sizeof name - used, ", in %s", k->c->runs_csv);
            }
            if (k->c->dir != NULL) {
                size_t used = strlen(name);

                snprintf(name + used, sizeof name - used, ", in %s/", k->c->dir);
            }
        } else if (k->ocase != NULL) {
            snprintf(name, sizeof name, "parlab-overhead's %s, W = %ld, in overhead.csv",
                     k->ocase, k->workers);
        } else {
            snprintf(name, sizeof name, "—");
        }
        fprintf(out, "| `%s` | %s | %s | %s | %s |\n", k->key, k->question, name,
                measures[k->measure].how, tol);
    }
    return 0;
}
