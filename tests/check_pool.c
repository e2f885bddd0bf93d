/*
 * check_pool.c - the fork pool: every job once, in a child, and every way a child can
 * fail is reported.
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
#include "parlab/pool.h"

#include "testutil.h"

#define JOBS 40u

/* Children send a record per job; arg says how to misbehave. */
enum misbehaviour { BEHAVE, EXIT_3, KILLED, SEND_TWICE, SEND_UNKNOWN, SLOW, HANG };

static void worker(struct pool *pool, unsigned w, void *arg);

static void worker_behaving(struct pool *pool, unsigned w)
{
    enum misbehaviour how = BEHAVE;

    worker(pool, w, &how);
}

static void worker(struct pool *pool, unsigned w, void *arg)
{
    enum misbehaviour how = *(enum misbehaviour *)arg;
    long k;

    while ((k = pool_take(pool)) >= 0) {
        struct job_record rec;

        memset(&rec, 0, sizeof rec);
        rec.job = (uint32_t)(how == SEND_UNKNOWN && k == 3 ? JOBS + 7 : k);
        rec.worker = w;
        rec.pid = (int32_t)getpid();
        rec.done = 1;
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

static int finish(enum misbehaviour how, struct job_record *jobs, char *err, size_t errlen)
{
    struct pool pool;

    memset(jobs, 0, JOBS * sizeof *jobs);
    ck_assert_int_eq(pool_start(&pool, 3, JOBS, worker, &how), 0);
    return pool_finish(&pool, jobs, 0, err, errlen);
}

START_TEST(every_job_runs_once_in_a_child)
{
    struct job_record jobs[JOBS];
    char err[256];
    int seen[3] = {0, 0, 0};

    ck_assert_int_eq(finish(BEHAVE, jobs, err, sizeof err), 0);
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

START_TEST(a_child_exiting_non_zero_is_reported)
{
    struct job_record jobs[JOBS];
    char err[256];

    ck_assert_int_eq(finish(EXIT_3, jobs, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "worker 1") && strstr(err, "exited with status 3"), "said: %s",
                  err);
}
END_TEST

START_TEST(a_killed_child_is_reported_with_its_signal)
{
    struct job_record jobs[JOBS];
    char err[256];

    ck_assert_int_eq(finish(KILLED, jobs, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "worker 0") && strstr(err, "killed by signal 9"), "said: %s",
                  err);
}
END_TEST

START_TEST(a_job_sent_twice_is_reported)
{
    struct job_record jobs[JOBS];
    char err[256];

    ck_assert_int_eq(finish(SEND_TWICE, jobs, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "job 5 was run twice"), "said: %s", err);
}
END_TEST

START_TEST(a_record_for_an_unknown_job_is_reported)
{
    struct job_record jobs[JOBS];
    char err[256];

    ck_assert_int_eq(finish(SEND_UNKNOWN, jobs, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "record for job 47 of 40"), "said: %s", err);
}
END_TEST

START_TEST(more_workers_than_jobs_is_fine)
{
    struct job_record jobs[2];
    struct pool pool;
    enum misbehaviour how = BEHAVE;
    char err[256];

    memset(jobs, 0, sizeof jobs);
    ck_assert_int_eq(pool_start(&pool, 5, 2, worker, &how), 0);
    ck_assert_int_eq(pool_finish(&pool, jobs, 0, err, sizeof err), 0);
    ck_assert_int_eq(jobs[0].done + jobs[1].done, 2);
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
    struct pool pool;
    FILE *f = tmpfile();
    char err[256], text[64] = "";

    memset(jobs, 0, sizeof jobs);
    ck_assert_ptr_nonnull(f);
    fputs("written once\n", f); /* still in the parent's buffer */
    ck_assert_int_eq(pool_start(&pool, 3, JOBS, exit_through_stdio, NULL), 0);
    ck_assert_int_eq(pool_finish(&pool, jobs, 0, err, sizeof err), 0);
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
    struct job_record jobs[JOBS];
    enum misbehaviour how = SLOW;
    struct pool pool;
    char err[256];
    double t0, waited;

    memset(jobs, 0, sizeof jobs);
    ck_assert_int_eq(pool_start(&pool, 3, JOBS, worker, &how), 0);
    usleep(100000);
    ck_assert_int_eq(kill(pool.pids[1], SIGKILL), 0);
    t0 = clock_wall();
    ck_assert_int_eq(pool_finish(&pool, jobs, 0, err, sizeof err), -1);
    waited = clock_wall() - t0;
    ck_assert_msg(strstr(err, "worker 1") && strstr(err, "killed by signal 9") &&
                      strstr(err, "while running job") && strstr(err, "stopped"),
                  "said: %s", err);
    ck_assert_msg(waited < 1.0, "noticed after %.2f s", waited); /* 40 jobs x 0.2 s remain */
    ck_assert(no_child_left());
}
END_TEST

START_TEST(a_hung_child_is_stopped_at_the_time_limit)
{
    struct job_record jobs[JOBS];
    enum misbehaviour how = HANG;
    struct pool pool;
    char err[256];
    double t0, waited;

    memset(jobs, 0, sizeof jobs);
    ck_assert_int_eq(pool_start(&pool, 3, JOBS, worker, &how), 0);
    t0 = clock_wall();
    ck_assert_int_eq(pool_finish(&pool, jobs, 0.5, err, sizeof err), -1);
    waited = clock_wall() - t0;
    ck_assert_msg(strstr(err, "timed out after 0.5 s") && strstr(err, "jobs still running: 7"),
                  "said: %s", err);
    ck_assert_double_ge(waited, 0.5);
    ck_assert_double_lt(waited, 1.5);
    ck_assert(no_child_left());
}
END_TEST

START_TEST(an_interrupt_stops_the_children_and_stays_pending)
{
    struct job_record jobs[JOBS];
    enum misbehaviour how = SLOW;
    struct pool pool;
    char err[256];

    interrupt_install();
    memset(jobs, 0, sizeof jobs);
    ck_assert_int_eq(pool_start(&pool, 3, JOBS, worker, &how), 0);
    ck_assert_int_eq(raise(SIGTERM), 0); /* deferred: the parent lives on */
    ck_assert_int_eq(pool_finish(&pool, jobs, 0, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "interrupted by signal 15"), "said: %s", err);
    ck_assert_int_eq(interrupt_pending(), SIGTERM);
    ck_assert(no_child_left());
}
END_TEST

static Suite *pool_suite(void)
{
    Suite *s = suite_create("pool");
    TCase *tc = tcase_create("pool");

    tcase_add_test(tc, every_job_runs_once_in_a_child);
    tcase_add_test(tc, a_child_exiting_non_zero_is_reported);
    tcase_add_test(tc, a_killed_child_is_reported_with_its_signal);
    tcase_add_test(tc, a_job_sent_twice_is_reported);
    tcase_add_test(tc, a_record_for_an_unknown_job_is_reported);
    tcase_add_test(tc, more_workers_than_jobs_is_fine);
    tcase_add_test(tc, children_do_not_write_the_parents_unwritten_output);
    tcase_add_test(tc, a_child_killed_from_outside_is_noticed_and_the_others_stopped);
    tcase_add_test(tc, a_hung_child_is_stopped_at_the_time_limit);
    tcase_add_test(tc, an_interrupt_stops_the_children_and_stays_pending);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(pool_suite());
}
