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

/* One run of the pool in a test: JOBS jobs on 3 children. */
struct trial {
    struct plan plan;
    struct pool pool;
    enum misbehaviour how;
    struct job_record jobs[JOBS];
    char err[256];
};

/* Starts the children the given way (timeout 0: none), each running fn(arg) or, when
 * fn is NULL, worker() misbehaving as told. */
static void trial_start(struct trial *t, enum way way, double timeout, enum misbehaviour how,
                        pool_worker_fn *fn)
{
    memset(t->jobs, 0, sizeof t->jobs);
    t->err[0] = '\0';
    t->how = how;
    make_plan(&t->plan, way, 3, JOBS, timeout);
    ck_assert_int_eq(pool_start(&t->pool, &t->plan, fn ? fn : worker, &t->how), 0);
}

/* Waits for the children and frees the plan: pool_finish()'s return. */
static int trial_finish(struct trial *t)
{
    int rc = pool_finish(&t->pool, t->jobs, t->err, sizeof t->err);

    release_plan(&t->plan);
    return rc;
}

/* The whole run, children misbehaving as told. */
static int trial_run(struct trial *t, enum way way, enum misbehaviour how)
{
    trial_start(t, way, 0, how, NULL);
    return trial_finish(t);
}

START_TEST(every_job_runs_once_in_a_child)
{
    struct trial t;
    int seen[3] = {0, 0, 0};

    ck_assert_int_eq(trial_run(&t, _i, BEHAVE), 0);
    for (unsigned k = 0; k < JOBS; k++) {
        ck_assert_int_eq(t.jobs[k].done, 1);
        ck_assert_uint_eq(t.jobs[k].job, k);
        ck_assert_uint_lt(t.jobs[k].worker, 3);
        ck_assert_int_ne(t.jobs[k].pid, getpid());
        seen[t.jobs[k].worker] = 1;
    }
    ck_assert_int_ge(seen[0] + seen[1] + seen[2], 1);
}
END_TEST

/* The output is right only when the child got job k's input: the check proves both. */
START_TEST(handed_out_jobs_get_their_input_and_their_output_is_checked)
{
    struct trial t;

    ck_assert_int_eq(trial_run(&t, _i, BEHAVE), 0);
    for (unsigned k = 0; k < JOBS; k++) {
        ck_assert_int_eq(t.jobs[k].payload_ok, 1);
        ck_assert_uint_eq(t.jobs[k].bytes_copied, (_i == PIPE ? 2 * PAYLOAD : 0));
        ck_assert_double_ge(t.jobs[k].copy_s, 0);
        if (_i == SHM)
            ck_assert_double_eq(t.jobs[k].copy_s, 0);
    }
}
END_TEST

START_TEST(a_wrong_output_is_marked_on_its_job_only)
{
    struct trial t;

    ck_assert_int_eq(trial_run(&t, _i, CORRUPT), 0);
    for (unsigned k = 0; k < JOBS; k++)
        ck_assert_int_eq(t.jobs[k].payload_ok, (k != 5));
}
END_TEST

/* Runs the jobs with the children misbehaving as told: the run must fail, saying both
 * things. */
static void expect_failure(enum way way, enum misbehaviour how, const char *says,
                           const char *and_says)
{
    struct trial t;

    ck_assert_int_eq(trial_run(&t, way, how), -1);
    ck_assert_msg(strstr(t.err, says) && strstr(t.err, and_says), "said: %s", t.err);
}

START_TEST(a_child_exiting_non_zero_is_reported)
{
    expect_failure(_i, EXIT_3, "worker 1", "exited with status 3");
}
END_TEST

START_TEST(a_killed_child_is_reported_with_its_signal)
{
    expect_failure(_i, KILLED, "worker 0", "killed by signal 9");
}
END_TEST

/* From the shared queue only the job number tells; a handed-out job's second record
 * comes where the next job's was expected. */
START_TEST(a_job_sent_twice_is_reported)
{
    expect_failure(_i, SEND_TWICE, "job 5",
                   _i == QUEUE ? "job 5 was run twice" : "record for job 5, not job");
}
END_TEST

START_TEST(a_record_for_an_unknown_job_is_reported)
{
    expect_failure(_i, SEND_UNKNOWN, "job 47",
                   _i == QUEUE ? "record for job 47 of 40" : "record for job 47, not job 3");
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
    struct trial t;
    FILE *f = tmpfile();
    char text[64] = "";

    ck_assert_ptr_nonnull(f);
    fputs("written once\n", f); /* still in the parent's buffer */
    trial_start(&t, _i, 0, BEHAVE, exit_through_stdio);
    ck_assert_int_eq(trial_finish(&t), 0);
    rewind(f);
    ck_assert_uint_eq(fread(text, 1, sizeof text - 1, f), strlen("written once\n"));
    ck_assert_str_eq(text, "written once\n");
    fclose(f);
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
    struct trial t;
    double t0, waited;

    trial_start(&t, _i, 0, SLOW, NULL);
    usleep(100000);
    ck_assert_int_eq(kill(t.pool.pids[1], SIGKILL), 0);
    t0 = clock_wall();
    ck_assert_int_eq(trial_finish(&t), -1);
    waited = clock_wall() - t0;
    /* Handed-out jobs are handed out by pool_finish(), after the kill: no job yet. */
    ck_assert_msg(strstr(t.err, "worker 1") && strstr(t.err, "killed by signal 9") &&
                      strstr(t.err, _i == QUEUE ? "while running job" : "while running no job") &&
                      strstr(t.err, "stopped"),
                  "said: %s", t.err);
    ck_assert_msg(waited < 1.0, "noticed after %.2f s", waited); /* 40 jobs x 0.2 s remain */
    ck_assert(no_child_left());
}
END_TEST

START_TEST(a_hung_child_is_stopped_at_the_time_limit)
{
    struct trial t;
    double t0, waited;

    trial_start(&t, _i, 0.5, HANG, NULL);
    t0 = clock_wall();
    ck_assert_int_eq(trial_finish(&t), -1);
    waited = clock_wall() - t0;
    ck_assert_msg(strstr(t.err, "timed out after 0.5 s") &&
                      strstr(t.err, "jobs still running: 7"),
                  "said: %s", t.err);
    ck_assert_double_ge(waited, 0.5);
    ck_assert_double_lt(waited, 1.5);
    ck_assert(no_child_left());
}
END_TEST

START_TEST(an_interrupt_stops_the_children_and_stays_pending)
{
    struct trial t;

    interrupt_install();
    trial_start(&t, _i, 0, SLOW, NULL);
    ck_assert_int_eq(raise(SIGTERM), 0); /* deferred: the parent lives on */
    ck_assert_int_eq(trial_finish(&t), -1);
    ck_assert_msg(strstr(t.err, "interrupted by signal 15"), "said: %s", t.err);
    ck_assert_int_eq(interrupt_pending(), SIGTERM);
    ck_assert(no_child_left());
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
