/*
 * check_crashes.c - workers that crash, are killed from outside or hang, and runs that
 * pass their timeout, each really happening: nothing hangs, nothing is written, the
 * error is one line naming the signal, the status or the time, and no process of the
 * run is left behind.
 */
#include <check.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parlab/clock.h"

#include "testutil.h"

START_TEST(a_crashing_worker_is_named_with_its_job)
{
    static const struct {
        const char *fault; /* job 4 fails in one of three ways */
        const char *key;   /* the word the line puts before the number: */
        double value;      /* the signal or exit status */
    } faults[] = {
        {"PARLAB_FAULT=segv:4", "signal", SIGSEGV},
        {"PARLAB_FAULT=abort:4", "signal", SIGABRT},
        {"PARLAB_FAULT=exit:4", "status", 3},
    };
    struct tu_results d;

    tu_results_make(&d);
    for (size_t f = 0; f < sizeof faults / sizeof faults[0]; f++) {
        const char *env[] = {faults[f].fault, NULL};
        const char *args[] = {"-n", "60", "-j", "8", "-w", "3", "-r", "1", "-q",
                              "--runs-csv", d.runs, "--jobs-csv", d.jobs, NULL};
        struct proc_result r;
        pid_t left[16];

        tu_run_env(&r, env, "parlab-procs", args);
        ck_assert_int_eq(r.status, 1);
        ck_assert_msg(tu_count_lines(r.err) == 1 &&
                          tu_number_after(r.err, faults[f].key) == faults[f].value &&
                          tu_number_after(r.err, "job") == 4 && tu_mentions(r.err, "nothing", NULL),
                      "%s: said %s", faults[f].fault, r.err);
        ck_assert_uint_eq(tu_children(r.pid, left, 16), 0);
        tu_results_expect_untouched(&d);
        tu_result_release(&r);
    }
    tu_results_remove(&d);
}
END_TEST

/* Whether the process has not yet exited: its state in /proc is not Z (a worker that
 * has exited and is not yet reaped is still its parent's child, and a SIGKILL to it
 * changes nothing). */
static bool runs(pid_t pid)
{
    char path[64], buf[512], *close_paren, state = 'Z';
    FILE *f;

    snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
    if ((f = fopen(path, "r")) == NULL)
        return false;
    if (fgets(buf, sizeof buf, f) != NULL && (close_paren = strrchr(buf, ')')) != NULL)
        state = close_paren[2];
    fclose(f);
    return state != 'Z' && state != 'X';
}

START_TEST(a_worker_killed_from_outside_is_noticed_within_a_second)
{
    struct tu_results d;
    struct proc_handle h;
    struct proc_result r;
    pid_t children[16];
    size_t n, victim;
    double killed, job;

    tu_results_make(&d);
    const char *args[] = {"-n", "320", "-j", "6", "-w", "2", "-r", "1", "-q",
                          "--runs-csv", d.runs, "--jobs-csv", d.jobs, NULL};

    tu_start(&h, NULL, "parlab-procs", args);
    tu_wait_for_children(h.pid, 2, children, 16); /* the warm-up's, with jobs of 0.05 s */
    usleep(300000);
    /* the run's, in a first job of 0.8 s: one that has not exited (on a busy machine a
     * warm-up worker that had ended could still be there, unreaped, and take the
     * signal, the run then going on to its end: 130 s under valgrind) */
    for (int tries = 0;; tries++) {
        n = tu_wait_for_children(h.pid, 2, children, 16);
        for (victim = n; victim > 0 && !runs(children[victim - 1]);)
            victim--;
        if (victim > 0 || tries == 500)
            break;
        usleep(10000);
    }
    ck_assert_msg(victim > 0, "parlab-procs has no worker that runs");
    ck_assert_int_eq(kill(children[victim - 1], SIGKILL), 0);
    killed = clock_wall();
    tu_finish(&h, &r);
    ck_assert_msg(clock_wall() - killed < 1.0, "the parent took %.2f s to notice",
                  clock_wall() - killed);
    ck_assert_int_eq(r.status, 1);
    job = tu_number_after(r.err, "job");
    ck_assert_msg(tu_count_lines(r.err) == 1 && tu_number_after(r.err, "signal") == SIGKILL &&
                      job >= 0 && job < 6 && tu_mentions(r.err, "nothing", NULL),
                  "said: %s", r.err);
    tu_expect_gone(children, n);
    tu_results_expect_untouched(&d);
    tu_result_release(&r);
    tu_results_remove(&d);
}
END_TEST

START_TEST(a_hung_worker_is_stopped_at_the_timeout)
{
    const char *env[] = {"PARLAB_FAULT=hang:1", NULL};
    const char *args[] = {"-n", "40", "-j", "4", "-w", "2", "-r", "1", "-q", "--timeout", "1",
                          NULL};
    struct proc_result r;
    pid_t left[16];
    double t0 = clock_wall(), took;

    tu_run_env(&r, env, "parlab-procs", args);
    took = clock_wall() - t0;
    ck_assert_int_eq(r.status, 1);
    /* the timeout, then the jobs still running: the hung one */
    ck_assert_msg(tu_count_lines(r.err) == 1 && tu_number_after(r.err, "timed out") == 1 &&
                      tu_number_after(r.err, "running") == 1,
                  "said: %s", r.err);
    ck_assert_msg(took >= 1.0 && took < 4.0, "took %.2f s", took);
    ck_assert_uint_eq(tu_children(r.pid, left, 16), 0);
    tu_result_release(&r);
}
END_TEST

START_TEST(a_threads_run_past_its_timeout_ends)
{
    struct tu_results d;
    struct proc_result r;

    tu_results_make(&d);
    const char *args[] = {"-n", "400", "-j", "6", "-w", "2", "-r", "1", "-q", "--timeout",
                          "0.5", "--runs-csv", d.runs, "--jobs-csv", d.jobs, NULL};

    tu_run(&r, "parlab-threads", args);
    ck_assert_int_eq(r.status, 1);
    ck_assert_msg(tu_count_lines(r.err) == 1 && tu_number_after(r.err, "timed out") == 0.5 &&
                      tu_mentions(r.err, "nothing", NULL),
                  "said: %s", r.err);
    tu_results_expect_untouched(&d);
    tu_result_release(&r);
    tu_results_remove(&d);
}
END_TEST

START_TEST(a_crashing_job_takes_a_threads_program_down)
{
    const char *env[] = {"PARLAB_FAULT=segv:2", NULL};
    struct tu_results d;
    struct proc_result r;

    tu_results_make(&d);
    const char *args[] = {"-n", "40", "-j", "4", "-w", "2", "-r", "1", "-q",
                          "--runs-csv", d.runs, "--jobs-csv", d.jobs, NULL};

    tu_run_env(&r, env, "parlab-threads", args);
    ck_assert_int_eq(r.status, 128 + SIGSEGV); /* the whole process: the lesson */
    tu_results_expect_untouched(&d);
    tu_result_release(&r);
    tu_results_remove(&d);
}
END_TEST

static Suite *crashes_suite(void)
{
    Suite *s = suite_create("crashes");
    TCase *tc = tcase_create("workers");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, a_crashing_worker_is_named_with_its_job);
    tcase_add_test(tc, a_worker_killed_from_outside_is_noticed_within_a_second);
    tcase_add_test(tc, a_hung_worker_is_stopped_at_the_timeout);
    tcase_add_test(tc, a_threads_run_past_its_timeout_ends);
    tcase_add_test(tc, a_crashing_job_takes_a_threads_program_down);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(crashes_suite());
}
