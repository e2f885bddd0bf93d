/*
 * check_signals.c - a run interrupted from outside (Ctrl-C's SIGINT, SIGTERM) stops
 * its workers, exits as the shell expects (128 + the signal) and writes nothing.
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "parlab/clock.h"

#include "testutil.h"

/* A read or write of more than this many bytes is in the middle of a payload's copy
 * (not a job number's or a job record's, which fit in one PIPE_BUF write) with more
 * left than a pipe holds: 1 MiB, the most parlab asks for.  So the other end, the
 * parent, has more to write than the pipe can take, or more to read than it holds,
 * and must wait on this worker.  (A copy of merely more than a page can be one whose
 * rest is already in the pipe, and the parent free.) */
#define PAYLOAD_COPY_BYTES (1 << 20)

/* The system call process pid is in (-1 in user space, -2 when it cannot be read),
 * and its third argument into *count: for read and write, the bytes asked for.  From
 * /proc/PID/syscall: "NR ARG1 ARG2 ARG3 ... SP PC", the arguments in hex. */
static long syscall_of(pid_t pid, unsigned long long *count)
{
    char path[64], buf[512];
    unsigned long long a1, a2;
    FILE *f;
    long nr = -2;

    *count = 0;
    snprintf(path, sizeof path, "/proc/%ld/syscall", (long)pid);
    if ((f = fopen(path, "r")) == NULL)
        return -2;
    if (fgets(buf, sizeof buf, f) != NULL && strncmp(buf, "running", 7) != 0) {
        int fields = sscanf(buf, "%ld %llx %llx %llx", &nr, &a1, &a2, count);

        if (fields < 1 || (nr >= 0 && fields != 4)) /* in a call: it has its arguments */
            nr = -2;
    }
    fclose(f);
    return nr;
}

/* Stops one of parent's workers (SIGSTOP) while it is inside a read or a write of
 * more than PAYLOAD_COPY_BYTES on its pipes, that is in the middle of a payload's
 * copy, so that the parent is, or is about to be, waiting to copy the rest to or from
 * that worker.  A worker stopped elsewhere (inside its job's own work, or in the
 * read of its next job's number) would leave the parent waiting in its watch loop,
 * which always saw the time and the signals, and the test would pass without the
 * parent's waits on a pipe watching them; so it is let go (SIGCONT) and stopped again
 * a little later, a bounded number of times.  Returns the stopped worker, its
 * siblings' pids in children[0 .. *n), or -1 (none stopped) when no try found one so. */
static pid_t stop_a_worker_in_a_copy(pid_t parent, pid_t *children, size_t max, size_t *n)
{
    for (int tries = 0; tries < 400; tries++) {
        struct timespec pause = {0, 5000000}, settle = {0, 20000000};
        unsigned long long count;
        pid_t w;
        long nr;

        *n = tu_wait_for_children(parent, 2, children, max);
        w = children[tries % 2];
        if (kill(w, SIGSTOP) != 0)
            continue; /* the warm-up's worker, gone already */
        nanosleep(&settle, NULL); /* until it has stopped */
        nr = syscall_of(w, &count);
        if ((nr == SYS_read || nr == SYS_write) && count > PAYLOAD_COPY_BYTES)
            return w;
        kill(w, SIGCONT);
        nanosleep(&pause, NULL);
    }
    return -1;
}

/* True when process pid has ended within `seconds` (it is left to be reaped). */
static bool ends_within(pid_t pid, double seconds)
{
    double until = clock_wall() + seconds;
    siginfo_t info;

    do {
        struct timespec pause = {0, 10000000};

        memset(&info, 0, sizeof info);
        if (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
            info.si_pid == pid)
            return true;
        nanosleep(&pause, NULL);
    } while (clock_wall() < until);
    return false;
}

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

/* A worker stopped (SIGSTOP) while the parent copies a payload to or from it through
 * its pipes: --timeout still ends the run in time (_i 0), and Ctrl-C (_i 1) or
 * SIGTERM (_i 2) within a second; the stopped worker is killed and reaped with the
 * others.  The parent used to block in that read or write until the worker went on. */
START_TEST(a_stopped_worker_holds_neither_the_timeout_nor_a_signal)
{
    static const int signals[] = {0, SIGINT, SIGTERM};
    const int sig = signals[_i];
    const double timeout = 4;
    /* The programs as built, also in the valgrind pass: under valgrind a worker's
     * system calls are valgrind's own, and 8 MiB jobs take seconds. */
    const char *plain = getenv("PARLAB_PLAIN_BIN");
    char *bin = getenv("PARLAB_BIN") ? strdup(getenv("PARLAB_BIN")) : NULL;
    const char *args[] = {"-n", "20", "-j", "100000", "-w", "2", "-r", "1", "-q",
                          "--payload", "8M", "--timeout", "4", NULL};
    struct proc_handle h;
    struct proc_result r;
    pid_t children[16], stopped;
    size_t n;
    double t0, took;
    bool ended;

    if (plain != NULL)
        setenv("PARLAB_BIN", plain, 1);
    tu_start(&h, NULL, "parlab-procs", args);
    if (bin != NULL)
        setenv("PARLAB_BIN", bin, 1);
    free(bin);
    t0 = clock_wall(); /* the run's clock starts a little later: after the plan */
    stopped = stop_a_worker_in_a_copy(h.pid, children, 16, &n);
    if (stopped < 0) { /* end it, release everything, then say why */
        kill(h.pid, SIGKILL);
        tu_finish(&h, &r);
        tu_result_release(&r);
        tu_skip("no worker was ever stopped inside a read or write of more than %d bytes "
                "in 400 tries: the copies here are too quick to catch one",
                PAYLOAD_COPY_BYTES);
    }
    if (sig != 0) {
        struct timespec settle = {0, 300000000}; /* the parent reaches that copy */

        nanosleep(&settle, NULL);
        t0 = clock_wall();
        ck_assert_int_eq(kill(h.pid, sig), 0);
    }
    ended = ends_within(h.pid, sig != 0 ? 10 : timeout + 10);
    took = clock_wall() - t0;
    if (!ended) { /* let it go, so that nothing is left behind, then fail */
        kill(stopped, SIGCONT);
        kill(h.pid, SIGKILL);
    }
    tu_finish(&h, &r);
    ck_assert_msg(ended, "still running %.1f s later, with worker %ld stopped", took,
                  (long)stopped);
    if (sig == 0) {
        ck_assert_int_eq(r.status, 1);
        ck_assert_msg(tu_count_lines(r.err) == 1 &&
                          tu_number_after(r.err, "timed out") == timeout &&
                          tu_number_after(r.err, "running") >= 0 &&
                          tu_mentions(r.err, "nothing", NULL),
                      "said: %s", r.err);
        ck_assert_msg(took < timeout + 10, "took %.2f s", took);
    } else {
        ck_assert_int_eq(r.status, 128 + sig);
        ck_assert_msg(tu_count_lines(r.err) == 1 && tu_number_after(r.err, "signal") == sig,
                      "said: %s", r.err);
        ck_assert_msg(took < 2, "ended %.2f s after the signal", took);
    }
    tu_expect_gone(children, n); /* the stopped one too */
    ck_assert_uint_eq(tu_children(r.pid, children, 16), 0);
    tu_result_release(&r);
}
END_TEST

static Suite *signals_suite(void)
{
    Suite *s = suite_create("signals");
    TCase *tc = tcase_create("signals");

    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, a_signal_stops_the_workers_and_writes_nothing, 0, 2);
    tcase_add_test(tc, ctrl_c_ends_a_threads_run_and_writes_nothing);
    tcase_add_loop_test(tc, a_stopped_worker_holds_neither_the_timeout_nor_a_signal, 0, 3);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(signals_suite());
}
