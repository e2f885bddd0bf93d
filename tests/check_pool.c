/*
 * check_pool.c - the fork pool: every job once, in a child, and every way a child can
 * fail is reported, whether the children take their jobs from the shared counter (no
 * payload) or the parent hands them out with their data (through the pipes, or in
 * shared memory).  Most tests run once in each of the three ways (loop tests: _i is
 * the way).
 */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parlab/clock.h"
#include "parlab/interrupt.h"
#include "parlab/payload.h"
#include "parlab/plan.h"
#include "parlab/pool.h"

#include "testutil.h"

#define JOBS 40u
/* More than a pipe holds by default (64 KiB), so that the data takes several reads. */
#define PAYLOAD (200u * 1024)

/* The ways of handing out the jobs, as the loop tests number them. */
enum way { QUEUE, PIPE, SHM, WAYS };

/* A plan for `workers` children and `jobs` jobs, with a payload unless QUEUE.
 * Release with release_plan(). */
static void make_plan(struct plan *plan, enum way way, unsigned workers, unsigned jobs,
                      double timeout)
{
    memset(plan, 0, sizeof *plan);
    plan->workers = workers;
    plan->jobs = jobs;
    plan->timeout = timeout;
    if (way == QUEUE)
        return;
    plan->payload = PAYLOAD;
    plan->transport = way == SHM ? TRANSPORT_SHM : TRANSPORT_PIPE;
    plan->buffers = calloc(workers + 1, sizeof *plan->buffers);
    ck_assert_ptr_nonnull(plan->buffers);
    for (unsigned w = 0; w <= workers; w++) { /* the children's shared with shm */
        plan->buffers[w].in = payload_alloc(PAYLOAD, way == SHM && w < workers);
        plan->buffers[w].out = payload_alloc(PAYLOAD, way == SHM && w < workers);
        ck_assert(plan->buffers[w].in != NULL && plan->buffers[w].out != NULL);
    }
}

static void release_plan(struct plan *plan)
{
    for (unsigned w = 0; plan->buffers != NULL && w <= plan->workers; w++) {
        payload_free(plan->buffers[w].in, plan->payload);
        payload_free(plan->buffers[w].out, plan->payload);
    }
    free(plan->buffers);
}

/* Children send a record per job; arg says how to misbehave. */
enum misbehaviour { BEHAVE, EXIT_3, KILLED, SEND_TWICE, SEND_UNKNOWN, SLOW, HANG, CORRUPT };

static void worker(struct pool *pool, unsigned w, void *arg);

static void worker_behaving(struct pool *pool, unsigned w)
{
    enum misbehaviour how = BEHAVE;

    worker(pool, w, &how);
}

static void worker(struct pool *pool, unsigned w, void *arg)
{
    enum misbehaviour how = *(enum misbehaviour *)arg;
    const struct plan *plan = pool->plan;
    long k;

    while ((k = pool_take(pool)) >= 0) {
        struct job_record rec;

        memset(&rec, 0, sizeof rec);
        rec.job = (uint32_t)(how == SEND_UNKNOWN && k == 3 ? JOBS + 7 : k);
        rec.worker = w;
        rec.pid = (int32_t)getpid();
        rec.done = 1;
        if (plan->payload > 0) { /* the job's work on the input the parent made */
            payload_transform(plan->buffers[w].in, plan->buffers[w].out, plan->payload,
                              (unsigned)k);
            if (how == CORRUPT && k == 5)
                plan->buffers[w].out[plan->payload / 2] ^= 1;
        }
        if (how == SLOW)
            usleep(200000); /* a job long enough to be killed from outside meanwhile */
        if (how == HANG && k == 7)
            for (;;)
                pause();
        ck_assert_int_eq(pool_send(pool, &rec), 0);
        if (how == SEND_TWICE && k == 5)
            ck_assert_int_eq(pool_send(pool, &rec), 0);
    }
    if (how == EXIT_3 && w == 1)
        _exit(3); /* after sending everything: only the exit status tells */
    if (how == KILLED && w == 0)
        raise(SIGKILL);
}

/* Runs JOBS jobs on 3 children the given way, each child misbehaving as told. */
static int finish(enum way way, enum misbehaviour how, struct job_record *jobs, char *err,
                  size_t errlen)
{
    struct plan plan;
    struct pool pool;
    int rc;

    make_plan(&plan, way, 3, JOBS, 0);
    memset(jobs, 0, JOBS * sizeof *jobs);
    ck_assert_int_eq(pool_start(&pool, &plan, worker, &how), 0);
    rc = pool_finish(&pool, jobs, err, errlen);
    release_plan(&plan);
    return rc;
}

START_TEST(every_job_runs_once_in_a_child)
{
    struct job_record jobs[JOBS];
    char err[256];
    int seen[3] = {0, 0, 0};

    ck_assert_int_eq(finish(_i, BEHAVE, jobs, err, sizeof err), 0);
    for (unsigned k = 0; k < JOBS; k++) {
        ck_assert_int_eq(jobs[k].done, 1);
        ck_assert_uint_eq(jobs[k].job, k);
        ck_assert_uint_lt(jobs[k].worker, 3);
        ck_assert_int_ne(jobs[k].pid, getpid());
        seen[jobs[k].worker] = 1;
    }
    ck_assert_int_ge(seen[0] + seen[1] + seen[2], 1);
}
END_TEST

/* The output is right only when the child got job k's input: the check proves both. */
START_TEST(handed_out_jobs_get_their_input_and_their_output_is_checked)
{
    struct job_record jobs[JOBS];
    char err[256];

    ck_assert_int_eq(finish(_i, BEHAVE, jobs, err, sizeof err), 0);
    for (unsigned k = 0; k < JOBS; k++) {
        ck_assert_int_eq(jobs[k].payload_ok, 1);
        ck_assert_uint_eq(jobs[k].bytes_copied, (_i == PIPE ? 2 * PAYLOAD : 0));
        ck_assert_double_ge(jobs[k].copy_s, 0);
        if (_i == SHM)
            ck_assert_double_eq(jobs[k].copy_s, 0);
    }
}
END_TEST

START_TEST(a_wrong_output_is_marked_on_its_job_only)
{
    struct job_record jobs[JOBS];
    char err[256];

    ck_assert_int_eq(finish(_i, CORRUPT, jobs, err, sizeof err), 0);
    for (unsigned k = 0; k < JOBS; k++)
        ck_assert_int_eq(jobs[k].payload_ok, (k != 5));
}
END_TEST

START_TEST(a_child_exiting_non_zero_is_reported)
{
    struct job_record jobs[JOBS];
    char err[256];

    ck_assert_int_eq(finish(_i, EXIT_3, jobs, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "worker 1") && strstr(err, "exited with status 3"), "said: %s",
                  err);
}
END_TEST

START_TEST(a_killed_child_is_reported_with_its_signal)
{
    struct job_record jobs[JOBS];
    char err[256];

    ck_assert_int_eq(finish(_i, KILLED, jobs, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "worker 0") && strstr(err, "killed by signal 9"), "said: %s",
                  err);
}
END_TEST

/* From the shared queue only the job number tells; a handed-out job's second record
 * comes where the next job's was expected. */
START_TEST(a_job_sent_twice_is_reported)
{
    struct job_record jobs[JOBS];
    char err[256];

    ck_assert_int_eq(finish(_i, SEND_TWICE, jobs, err, sizeof err), -1);
    ck_assert_msg(strstr(err, _i == QUEUE ? "job 5 was run twice" : "record for job 5, not job"),
                  "said: %s", err);
}
END_TEST

START_TEST(a_record_for_an_unknown_job_is_reported)
{
    struct job_record jobs[JOBS];
    char err[256];

    ck_assert_int_eq(finish(_i, SEND_UNKNOWN, jobs, err, sizeof err), -1);
    ck_assert_msg(
        strstr(err, _i == QUEUE ? "record for job 47 of 40" : "record for job 47, not job 3"),
        "said: %s", err);
}
END_TEST

START_TEST(more_workers_than_jobs_is_fine)
{
    struct job_record jobs[2];
    struct plan plan;
    struct pool pool;
    enum misbehaviour how = BEHAVE;
    char err[256];

    memset(jobs, 0, sizeof jobs);
    make_plan(&plan, _i, 5, 2, 0);
    ck_assert_int_eq(pool_start(&pool, &plan, worker, &how), 0);
    ck_assert_int_eq(pool_finish(&pool, jobs, err, sizeof err), 0);
    ck_assert_int_eq(jobs[0].done + jobs[1].done, 2);
    release_plan(&plan);
}
END_TEST

/* A worker that leaves through exit(), which flushes every stdio buffer it holds. */
static void exit_through_stdio(struct pool *pool, unsigned w, void *arg)
{
    (void)arg;
    worker_behaving(pool, w);
    exit(0);
}

START_TEST(children_do_not_write_the_parents_unwritten_output)
{
    struct job_record jobs[JOBS];
    struct plan plan;
    struct pool pool;
    FILE *f = tmpfile();
    char err[256], text[64] = "";

    memset(jobs, 0, sizeof jobs);
    make_plan(&plan, _i, 3, JOBS, 0);
    ck_assert_ptr_nonnull(f);
    fputs("written once\n", f); /* still in the parent's buffer */
    ck_assert_int_eq(pool_start(&pool, &plan, exit_through_stdio, NULL), 0);
    ck_assert_int_eq(pool_finish(&pool, jobs, err, sizeof err), 0);
    rewind(f);
    ck_assert_uint_eq(fread(text, 1, sizeof text - 1, f), strlen("written once\n"));
    ck_assert_str_eq(text, "written once\n");
    fclose(f);
    release_plan(&plan);
}
END_TEST

/* True when this process has no child left, not even a zombie. */
static bool no_child_left(void)
{
    int status;

    return waitpid(-1, &status, WNOHANG) == -1 && errno == ECHILD;
}

START_TEST(a_child_killed_from_outside_is_noticed_and_the_others_stopped)
{
    struct job_record jobs[JOBS];
    enum misbehaviour how = SLOW;
    struct plan plan;
    struct pool pool;
    char err[256];
    double t0, waited;

    memset(jobs, 0, sizeof jobs);
    make_plan(&plan, _i, 3, JOBS, 0);
    ck_assert_int_eq(pool_start(&pool, &plan, worker, &how), 0);
    usleep(100000);
    ck_assert_int_eq(kill(pool.pids[1], SIGKILL), 0);
    t0 = clock_wall();
    ck_assert_int_eq(pool_finish(&pool, jobs, err, sizeof err), -1);
    waited = clock_wall() - t0;
    /* Handed-out jobs are handed out by pool_finish(), after the kill: no job yet. */
    ck_assert_msg(strstr(err, "worker 1") && strstr(err, "killed by signal 9") &&
                      strstr(err, _i == QUEUE ? "while running job" : "while running no job") &&
                      strstr(err, "stopped"),
                  "said: %s", err);
    ck_assert_msg(waited < 1.0, "noticed after %.2f s", waited); /* 40 jobs x 0.2 s remain */
    ck_assert(no_child_left());
    release_plan(&plan);
}
END_TEST

START_TEST(a_hung_child_is_stopped_at_the_time_limit)
{
    struct job_record jobs[JOBS];
    enum misbehaviour how = HANG;
    struct plan plan;
    struct pool pool;
    char err[256];
    double t0, waited;

    memset(jobs, 0, sizeof jobs);
    make_plan(&plan, _i, 3, JOBS, 0.5);
    ck_assert_int_eq(pool_start(&pool, &plan, worker, &how), 0);
    t0 = clock_wall();
    ck_assert_int_eq(pool_finish(&pool, jobs, err, sizeof err), -1);
    waited = clock_wall() - t0;
    ck_assert_msg(strstr(err, "timed out after 0.5 s") && strstr(err, "jobs still running: 7"),
                  "said: %s", err);
    ck_assert_double_ge(waited, 0.5);
    ck_assert_double_lt(waited, 1.5);
    ck_assert(no_child_left());
    release_plan(&plan);
}
END_TEST

START_TEST(an_interrupt_stops_the_children_and_stays_pending)
{
    struct job_record jobs[JOBS];
    enum misbehaviour how = SLOW;
    struct plan plan;
    struct pool pool;
    char err[256];

    interrupt_install();
    memset(jobs, 0, sizeof jobs);
    make_plan(&plan, _i, 3, JOBS, 0);
    ck_assert_int_eq(pool_start(&pool, &plan, worker, &how), 0);
    ck_assert_int_eq(raise(SIGTERM), 0); /* deferred: the parent lives on */
    ck_assert_int_eq(pool_finish(&pool, jobs, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "interrupted by signal 15"), "said: %s", err);
    ck_assert_int_eq(interrupt_pending(), SIGTERM);
    ck_assert(no_child_left());
    release_plan(&plan);
}
END_TEST

static Suite *pool_suite(void)
{
    Suite *s = suite_create("pool");
    TCase *tc = tcase_create("pool");

    /* Every test runs each way (_i: QUEUE, PIPE, SHM); the payload's only with one. */
    tcase_add_loop_test(tc, every_job_runs_once_in_a_child, QUEUE, WAYS);
    tcase_add_loop_test(tc, handed_out_jobs_get_their_input_and_their_output_is_checked, PIPE,
                        WAYS);
    tcase_add_loop_test(tc, a_wrong_output_is_marked_on_its_job_only, PIPE, WAYS);
    tcase_add_loop_test(tc, a_child_exiting_non_zero_is_reported, QUEUE, WAYS);
    tcase_add_loop_test(tc, a_killed_child_is_reported_with_its_signal, QUEUE, WAYS);
    tcase_add_loop_test(tc, a_job_sent_twice_is_reported, QUEUE, WAYS);
    tcase_add_loop_test(tc, a_record_for_an_unknown_job_is_reported, QUEUE, WAYS);
    tcase_add_loop_test(tc, more_workers_than_jobs_is_fine, QUEUE, WAYS);
    tcase_add_loop_test(tc, children_do_not_write_the_parents_unwritten_output, QUEUE, WAYS);
    tcase_add_loop_test(tc, a_child_killed_from_outside_is_noticed_and_the_others_stopped,
                        QUEUE, WAYS);
    tcase_add_loop_test(tc, a_hung_child_is_stopped_at_the_time_limit, QUEUE, WAYS);
    tcase_add_loop_test(tc, an_interrupt_stops_the_children_and_stays_pending, QUEUE, WAYS);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(pool_suite());
}
