/*
 * check_signals.c - a run interrupted from outside (Ctrl-C's SIGINT, SIGTERM) stops
 * its workers, exits as the shell expects (128 + the signal) and writes nothing.
 */
#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "testutil.h"

/* SIGINT (Ctrl-C) and SIGTERM to the parent of a running parlab-procs. */
START_TEST(a_signal_stops_the_workers_and_writes_nothing)
{
    static const int signals[] = {SIGINT, SIGTERM};
    const int sig = signals[_i];
    struct tu_results d;
    struct proc_handle h;
    struct proc_result r;
    pid_t children[16];
    size_t n;

    tu_results_make(&d);
    const char *args[] = {"-n", "320", "-j", "6", "-w", "2", "-r", "2", "-q",
                          "--runs-csv", d.runs, "--jobs-csv", d.jobs, NULL};

    tu_start(&h, NULL, "parlab-procs", args);
    n = tu_wait_for_children(h.pid, 2, children, 16);
    ck_assert_int_eq(kill(h.pid, sig), 0);
    tu_finish(&h, &r);
    ck_assert_int_eq(r.status, 128 + sig); /* 130, 143: what the shell shows */
    ck_assert_msg(tu_count_lines(r.err) == 1 && tu_number_after(r.err, "signal") == sig &&
                      tu_mentions(r.err, "nothing", NULL),
                  "said: %s", r.err);
    tu_expect_gone(children, n);
    tu_results_expect_untouched(&d);
    tu_result_release(&r);
    tu_results_remove(&d);
}
END_TEST

START_TEST(ctrl_c_ends_a_threads_run_and_writes_nothing)
{
    struct tu_results d;
    struct proc_handle h;
    struct proc_result r;

    tu_results_make(&d);
    const char *args[] = {"-n", "320", "-j", "6", "-w", "2", "-r", "2", "-q",
                          "--runs-csv", d.runs, "--jobs-csv", d.jobs, NULL};

    tu_start(&h, NULL, "parlab-threads", args);
    usleep(300000); /* it is calibrating or running */
    ck_assert_int_eq(kill(h.pid, SIGINT), 0);
    tu_finish(&h, &r);
    ck_assert_int_eq(r.status, 128 + SIGINT);
    tu_results_expect_untouched(&d);
    tu_result_release(&r);
    tu_results_remove(&d);
}
END_TEST

static Suite *signals_suite(void)
{
    Suite *s = suite_create("signals");
    TCase *tc = tcase_create("signals");

    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, a_signal_stops_the_workers_and_writes_nothing, 0, 2);
    tcase_add_test(tc, ctrl_c_ends_a_threads_run_and_writes_nothing);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(signals_suite());
}
