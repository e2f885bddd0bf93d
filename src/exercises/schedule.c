/*
 * schedule.c - exercise 4's harness: a loop of SCHEDULE_JOBS kernel jobs of growing
 * size (labs/exercises/schedule.c).  schedule_job() runs one and writes down who ran
 * it and when; after the student's loop every job must have run exactly once with
 * the right result, in a team of the threads asked for, shared out as the part's
 * schedule shares it where the records can tell.  A trial's value is the tail: the
 * time from the first of the team's threads to finish its last job to the last one.
 */
#include <omp.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "parlab/clock.h"
#include "parlab/kernel.h"
#include "schedule.h"

/* 48 jobs split into equal blocks for every W that divides it (1, 2, 3, 4, 6, 8...). */
#define SCHEDULE_JOBS 48

/* GCC's OpenMP is libgomp, whose schedule(static) and first guided block sizes are
 * known exactly; with another runtime the checks are looser (below). */
#if defined(__GNUC__) && !defined(__clang__)
#define SCHEDULE_LIBGOMP 1
#else
#define SCHEDULE_LIBGOMP 0
#endif

struct job_record {
    int thread, team;       /* omp_get_thread_num(), omp_get_num_threads() */
    int pu;                 /* sched_getcpu() as it started */
    double start, end, cpu; /* clock_wall() at its start and end; its CPU time */
    double result;
    bool ok;
};

/* The loop: set before the student's call; during it, job k's record is written by
 * the one call of schedule_job(k) that counted runs[k] from 0 to 1, and read after. */
static struct {
    int jobs;
    uint64_t size[SCHEDULE_JOBS];
    double expected[SCHEDULE_JOBS];
    atomic_uint runs[SCHEDULE_JOBS];
    struct job_record rec[SCHEDULE_JOBS];
    atomic_uint outside; /* calls with k out of range */
    atomic_int outside_k;
} loop;

void schedule_job(int k)
{
    struct job_record r;
    bool first;
    double cpu0;

    if (k < 0 || k >= loop.jobs) {
        atomic_fetch_add(&loop.outside, 1);
        atomic_store(&loop.outside_k, k);
        return;
    }
    first = atomic_fetch_add(&loop.runs[k], 1) == 0;
    r.thread = omp_get_thread_num();
    r.team = omp_get_num_threads();
    r.pu = sched_getcpu();
    cpu0 = clock_thread_cpu();
    r.start = clock_wall();
    r.result = kernel_run(loop.size[k]); /* a second run of a job takes its time too */
    r.end = clock_wall();
    r.cpu = clock_thread_cpu() - cpu0;
    r.ok = kernel_result_ok(r.result, loop.expected[k]);
    if (first)
        loop.rec[k] = r;
}

/* Job k's kernel size: from half of `top` for job 0 evenly up to `top` for the last,
 * so that the last job does about 16 times the work of the first (C(n, 4) ~ n^4/24). */
static uint64_t job_size(uint64_t top, int k)
{
    uint64_t half = top / 2;

    return half + (top - half) * (uint64_t)k / (SCHEDULE_JOBS - 1);
}

static void prepare(uint64_t top)
{
    loop.jobs = SCHEDULE_JOBS;
    for (int k = 0; k < SCHEDULE_JOBS; k++) {
        loop.size[k] = job_size(top, k);
        loop.expected[k] = kernel_closed_form(loop.size[k]);
        atomic_init(&loop.runs[k], 0);
        memset(&loop.rec[k], 0, sizeof loop.rec[k]);
    }
    atomic_init(&loop.outside, 0);
    atomic_init(&loop.outside_k, 0);
}

/* What the part's schedule lets the records be checked for. */
enum shape {
    SHAPE_ANY,        /* serial: nothing beyond each job once */
    SHAPE_BLOCKS,     /* static: thread t runs block t of libgomp's sizes */
    SHAPE_CYCLIC,     /* static, 1: job k on thread k % W */
    SHAPE_NOT_BLOCKS, /* dynamic: not exactly static's blocks */
    SHAPE_GUIDED      /* guided: not static's blocks, and its first block on one thread */
};

/* The thread schedule(static) gives job k in a team of w: libgomp's blocks, the first
 * J % w of them one job longer. */
static int block_owner(int k, int jobs, int w)
{
    int q = jobs / w, r = jobs % w;

    for (int t = 0; t < w; t++) {
        int start = t * q + (t < r ? t : r), len = q + (t < r);

        if (k >= start && k < start + len)
            return t;
    }
    return w - 1;
}

/* Whether every job ran on the thread of its static block (any blocks in thread
 * order, one per thread, with a runtime other than libgomp). */
static bool is_blocks(int w)
{
    for (int k = 0; k < loop.jobs; k++) {
        if (SCHEDULE_LIBGOMP ? loop.rec[k].thread != block_owner(k, loop.jobs, w)
                             : k > 0 && loop.rec[k].thread < loop.rec[k - 1].thread)
            return false;
    }
    return true;
}

/* The jobs thread ran, as "0-11, 13, 15-20" (cut short with "..." when long). */
static void jobs_of(int thread, char *text, size_t len)
{
    size_t used = 0;

    text[0] = '\0';
    for (int k = 0; k < loop.jobs; k++) {
        int end = k;

        if (loop.rec[k].thread != thread)
            continue;
        if (used + 16 >= len) {
            snprintf(text + used, len - used, ", ...");
            break;
        }
        while (end + 1 < loop.jobs && loop.rec[end + 1].thread == thread)
            end++;
        used += (size_t)snprintf(text + used, len - used, "%s%d", used ? ", " : "", k);
        if (end > k)
            used += (size_t)snprintf(text + used, len - used, "-%d", end);
        k = end;
    }
    if (text[0] == '\0')
        snprintf(text, len, "none");
}

/* The static blocks of a team of w, as "thread 0: 0-23, thread 1: 24-47" (threads
 * without a job left out). */
static void blocks_text(int w, char *text, size_t len)
{
    size_t used = 0;
    int q = loop.jobs / w, r = loop.jobs % w;

    text[0] = '\0';
    for (int t = 0; t < w && used + 32 < len; t++) {
        int start = t * q + (t < r ? t : r), last = start + q + (t < r) - 1;

        if (last >= start)
            used += (size_t)snprintf(text + used, len - used, "%sthread %d: %d-%d",
                                     t ? ", " : "", t, start, last);
    }
}

/* Checks the records for the shape; fills t->detail when they do not fit. */
static bool check_shape(struct trial *t, enum shape shape, int w)
{
    char mine[160], blocks[200];

    if (shape == SHAPE_ANY || w < 2)
        return true;
    if (shape == SHAPE_BLOCKS && !is_blocks(w)) {
        int k = 0; /* the first job out of its block */

        while (k + 1 < loop.jobs && (SCHEDULE_LIBGOMP
                                         ? loop.rec[k].thread == block_owner(k, loop.jobs, w)
                                         : loop.rec[k + 1].thread >= loop.rec[k].thread))
            k++;
        if (!SCHEDULE_LIBGOMP)
            k++;
        jobs_of(loop.rec[k].thread, mine, sizeof mine);
        blocks_text(w, blocks, sizeof blocks);
        snprintf(t->detail, sizeof t->detail,
                 "thread %d ran jobs %s; schedule(static) gives each thread one block of "
                 "consecutive jobs, in thread order (%s)",
                 loop.rec[k].thread, mine, blocks);
        return false;
    }
    if (shape == SHAPE_CYCLIC) {
        for (int k = 0; k < loop.jobs; k++) {
            if (loop.rec[k].thread != k % w) {
                jobs_of(loop.rec[k].thread, mine, sizeof mine);
                snprintf(t->detail, sizeof t->detail,
                         "job %d ran on thread %d, which ran jobs %s; schedule(static, 1) "
                         "deals job k to thread k %% %d (job %d to thread %d)",
                         k, loop.rec[k].thread, mine, w, k, k % w);
                return false;
            }
        }
    }
    if ((shape == SHAPE_NOT_BLOCKS || shape == SHAPE_GUIDED) && SCHEDULE_LIBGOMP &&
        is_blocks(w)) {
        blocks_text(w, blocks, sizeof blocks);
        snprintf(t->detail, sizeof t->detail,
                 "each thread ran one block of consecutive jobs, exactly schedule(static)'s "
                 "(%s): is schedule(%s) on the loop? Without a schedule clause, the loop's "
                 "schedule is static",
                 blocks, shape == SHAPE_GUIDED ? "guided" : "dynamic, 1");
        return false;
    }
    if (shape == SHAPE_GUIDED && SCHEDULE_LIBGOMP) {
        /* libgomp's guided gives its first block, ceil(jobs / w) jobs, to one thread */
        int first = (loop.jobs + w - 1) / w;

        for (int k = 1; k < first; k++)
            if (loop.rec[k].thread != loop.rec[0].thread) {
                snprintf(t->detail, sizeof t->detail,
                         "job 0 ran on thread %d and job %d on thread %d; schedule(guided) "
                         "with %d threads hands its first block, jobs 0-%d, to one thread: is "
                         "schedule(guided) on the loop?",
                         loop.rec[0].thread, k, loop.rec[k].thread, w, first - 1);
                return false;
            }
    }
    return true;
}

/* The tail: from the first thread of the team to finish its jobs to the last (a
 * thread that ran none finished at the start). */
static double tail(const struct trial *t, int w)
{
    double first = 0, last = 0;

    for (int thread = 0; thread < w; thread++) {
        double end = t->t0;

        for (int k = 0; k < loop.jobs; k++)
            if (loop.rec[k].thread == thread && loop.rec[k].end > end)
                end = loop.rec[k].end;
        if (thread == 0 || end - t->t0 < first)
            first = end - t->t0;
        if (end - t->t0 > last)
            last = end - t->t0;
    }
    return last - first;
}

/* Every job once, right, in one team of the threads asked for; fills t->detail. */
static bool check_runs(struct trial *t, bool parallel, int *team)
{
    unsigned missing = 0, twice = 0;
    int first_missing = -1, first_twice = -1;

    if (atomic_load(&loop.outside) > 0) {
        snprintf(t->detail, sizeof t->detail,
                 "schedule_job was called %u times with k outside 0 .. %d (k = %d): does the "
                 "loop go from 0 to jobs - 1?",
                 atomic_load(&loop.outside), loop.jobs - 1, atomic_load(&loop.outside_k));
        return false;
    }
    for (int k = 0; k < loop.jobs; k++) {
        unsigned runs = atomic_load(&loop.runs[k]);

        if (runs == 0 && missing++ == 0)
            first_missing = k;
        if (runs > 1 && twice++ == 0)
            first_twice = k;
    }
    if (twice > 0) {
        snprintf(t->detail, sizeof t->detail,
                 "job %d ran %u times (%u of the %d jobs ran more than once): did every "
                 "thread run the whole loop? '#pragma omp parallel' alone gives each thread "
                 "all of it; '#pragma omp parallel for' shares it out",
                 first_twice, atomic_load(&loop.runs[first_twice]), twice, loop.jobs);
        return false;
    }
    if (missing > 0) {
        snprintf(t->detail, sizeof t->detail,
                 "job %d never ran (%u of the %d jobs did not): does the loop go from 0 to "
                 "jobs - 1?",
                 first_missing, missing, loop.jobs);
        return false;
    }
    for (int k = 0; k < loop.jobs; k++)
        if (!loop.rec[k].ok) {
            snprintf(t->detail, sizeof t->detail,
                     "job %d's kernel gave %.17g, its closed form %.17g", k,
                     loop.rec[k].result, loop.expected[k]);
            return false;
        }
    *team = loop.rec[0].team;
    for (int k = 1; k < loop.jobs; k++)
        if (loop.rec[k].team != *team) {
            snprintf(t->detail, sizeof t->detail,
                     "job 0 ran in a team of %d threads and job %d in one of %d: is there one "
                     "parallel loop?",
                     *team, k, loop.rec[k].team);
            return false;
        }
    if (parallel && t->threads >= 2 && *team == 1) {
        snprintf(t->detail, sizeof t->detail,
                 "every job ran in a team of one thread, with %d asked for: is the loop "
                 "'#pragma omp parallel for', not 'omp for' alone?",
                 t->threads);
        return false;
    }
    return true;
}

static void check(struct trial *t, void (*f)(int), enum shape shape)
{
    int team = 1;

    prepare(t->size);
    trial_start(t);
    f(SCHEDULE_JOBS);
    trial_stop(t);
    t->ok = check_runs(t, shape != SHAPE_ANY, &team) && check_shape(t, shape, team);
    t->value = t->ok ? tail(t, team) : 0;
    for (int k = 0; k < loop.jobs; k++) {
        const struct job_record *r = &loop.rec[k];

        if (atomic_load(&loop.runs[k]) > 0)
            trial_job(t, (unsigned)k, r->thread, r->start, r->end, r->cpu, r->result, r->ok,
                      r->pu, loop.size[k]);
    }
}

static void serial(struct trial *t) { check(t, schedule_serial, SHAPE_ANY); }
static void part_static(struct trial *t) { check(t, schedule_static, SHAPE_BLOCKS); }
static void dynamic(struct trial *t) { check(t, schedule_dynamic, SHAPE_NOT_BLOCKS); }
static void guided(struct trial *t) { check(t, schedule_guided, SHAPE_GUIDED); }
static void cyclic(struct trial *t) { check(t, schedule_cyclic, SHAPE_CYCLIC); }

static const struct harness_part parts[] = {
    {"serial", serial}, {"static", part_static}, {"dynamic", dynamic},
    {"guided", guided}, {"cyclic", cyclic},
};

const struct harness exercise_harness = {"schedule", parts, sizeof parts / sizeof parts[0]};
