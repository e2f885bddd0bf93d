/*
 * check_lessons.c - end to end, the lessons after the notebook: a serial fraction of
 * every job (Amdahl's law), GIL-style switching, and what moving data costs.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parlab/csv.h"
#include "parlab/kernel.h"

#include "testutil.h"

START_TEST(switching_cuts_every_job_into_slices_that_never_overlap)
{
    char *dir = tu_tmpdir(), *jobs = tu_path(dir, "jobs.csv"), *slices = tu_path(dir, "slices.csv");
    const char *args[] = {"-n", "110", "-j", "6", "-w", "2", "-r", "1", "-q", "-l", "held",
                          "--switch-interval", "1", "--jobs-csv", jobs, "--slices-csv", slices,
                          NULL};
    struct proc_result r;
    struct csv_table j, s;

    if (getenv("PARLAB_UNDER_VALGRIND") != NULL) {
        free(jobs);
        free(slices);
        tu_rmrf(dir);
        tu_skip("valgrind runs one thread at a time, so nobody waits long enough to ask for "
                "the lock");
    }
    tu_run(&r, "parlab-threads", args); /* jobs of about 10 ms, handed over every 1 ms */
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    tu_result_release(&r);
    tu_read_csv(jobs, &j);
    tu_read_csv(slices, &s);
    ck_assert_uint_eq(j.nrows, 1 + 6);
    for (size_t k = 1; k < j.nrows; k++) {
        size_t count = 0;
        int job = (int)tu_num(&j, k, "job");

        ck_assert_str_eq(csv_field(&j, k, csv_column(&j, "ok")), "1");
        for (size_t q = 1; q < s.nrows; q++)
            count += (int)tu_num(&s, q, "job") == job;
        ck_assert_msg(count > 1, "job %d ran in one piece", job);
        ck_assert_uint_eq(count, (size_t)tu_num(&j, k, "switches") + 1);
    }
    for (size_t a = 1; a < s.nrows; a++) /* one holder at a time */
        for (size_t b = a + 1; b < s.nrows; b++)
            ck_assert_msg(tu_num(&s, a, "t_end_s") <= tu_num(&s, b, "t_start_s") ||
                              tu_num(&s, b, "t_end_s") <= tu_num(&s, a, "t_start_s"),
                          "slices %zu and %zu overlap", a, b);
    csv_table_release(&j);
    csv_table_release(&s);
    free(jobs);
    free(slices);
    tu_rmrf(dir);
}
END_TEST

START_TEST(switching_needs_a_held_lock)
{
    const char *args[] = {"--switch-interval", "5", "-l", "fraction:0.5", NULL};
    struct proc_result r;

    tu_run(&r, "parlab-threads", args);
    ck_assert_int_eq(r.status, 2);
    ck_assert_msg(tu_count_lines(r.err) == 1 &&
                      tu_mentions(r.err, "--switch-interval", "--lock", "held", NULL),
                  "said: %s", r.err);
    tu_result_release(&r);
}
END_TEST

START_TEST(a_serial_fraction_keeps_results_exact)
{
    char *dir = tu_tmpdir(), *jobs = tu_path(dir, "jobs.csv");
    const char *args[] = {"-n", "90", "-j", "6", "-w", "3", "-r", "1", "-q", "-l",
                          "fraction:0.3", "--jobs-csv", jobs, NULL};
    struct proc_result r;
    struct csv_table j;
    double waited = 0;

    tu_run(&r, "parlab-threads", args);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    tu_result_release(&r);
    tu_read_csv(jobs, &j);
    for (size_t k = 1; k < j.nrows; k++) {
        ck_assert(kernel_result_ok(tu_num(&j, k, "result"), kernel_closed_form(90)));
        waited += tu_num(&j, k, "lock_wait_s");
    }
    ck_assert_double_gt(waited, 0.0); /* three workers, serial phases: someone waited */
    csv_table_release(&j);
    free(jobs);
    tu_rmrf(dir);
}
END_TEST

/* Runs a program with a payload into dir/NAME.csv and returns the jobs table. */
static void run_with_payload(const char *program, const char *transport, const char *dir,
                             const char *name, struct csv_table *t)
{
    char file[64], *jobs;
    const char *args[] = {"-n", "40", "-j", "5", "-w", "2", "-r", "1", "-q", "--payload",
                          "1000003", "--jobs-csv", NULL, transport ? "--transport" : NULL,
                          transport, NULL};
    struct proc_result r;

    snprintf(file, sizeof file, "%s.csv", name);
    jobs = tu_path(dir, file);
    args[12] = jobs;
    tu_run(&r, program, args);
    ck_assert_msg(r.status == 0, "%s %s: exit %d: %s", program, name, r.status, r.err);
    tu_result_release(&r);
    tu_read_csv(jobs, t);
    ck_assert_uint_eq(t->nrows, 1 + 5);
    free(jobs);
}

START_TEST(the_three_ways_to_move_data_give_the_same_results)
{
    char *dir = tu_tmpdir();
    struct csv_table memory, shm, pipe;

    run_with_payload("parlab-threads", NULL, dir, "memory", &memory);
    run_with_payload("parlab-procs", "shm", dir, "shm", &shm);
    run_with_payload("parlab-procs", "pipe", dir, "pipe", &pipe);
    for (size_t k = 1; k < memory.nrows; k++) {
        int job = csv_column(&memory, "job"), result = csv_column(&memory, "result");

        ck_assert_str_eq(csv_field(&shm, k, job), csv_field(&memory, k, job));
        ck_assert_str_eq(csv_field(&shm, k, result), csv_field(&memory, k, result));
        ck_assert_str_eq(csv_field(&pipe, k, result), csv_field(&memory, k, result));
        ck_assert_str_eq(csv_field(&memory, k, csv_column(&memory, "ok")), "1");
        ck_assert_str_eq(csv_field(&shm, k, csv_column(&shm, "ok")), "1");
        ck_assert_str_eq(csv_field(&pipe, k, csv_column(&pipe, "ok")), "1");
        ck_assert_double_eq(tu_num(&memory, k, "bytes_copied"), 0);
        ck_assert_double_eq(tu_num(&shm, k, "bytes_copied"), 0);
        ck_assert_double_eq(tu_num(&pipe, k, "bytes_copied"), 2 * 1000003.0); /* in and out */
        ck_assert_double_gt(tu_num(&pipe, k, "copy_s"), 0);
    }
    csv_table_release(&memory);
    csv_table_release(&shm);
    csv_table_release(&pipe);
    tu_rmrf(dir);
}
END_TEST

/* A job whose output payload comes back spoilt fails the run, whichever way it came. */
START_TEST(a_spoilt_output_is_caught)
{
    static const char *const transports[] = {NULL, "shm", "pipe"};
    const char *env[] = {"PARLAB_FAULT=corrupt:2", NULL};

    for (size_t t = 0; t < 3; t++) {
        const char *args[] = {"-n", "30", "-j", "4", "-w", "2", "-r", "1", "-q", "--payload",
                              "64K", transports[t] ? "--transport" : NULL, transports[t], NULL};
        struct proc_result r;

        tu_run_env(&r, env, transports[t] ? "parlab-procs" : "parlab-threads", args);
        ck_assert_int_eq(r.status, 1);
        /* job 2 of the 4 came back wrong: 1 of 4 */
        ck_assert_msg(tu_count_lines(r.err) == 1 && tu_has_number(r.err, 1) &&
                          tu_has_number(r.err, 4) && tu_mentions(r.err, "result", NULL),
                      "%s: said %s",
                      transports[t] ? transports[t] : "threads", r.err);
        tu_result_release(&r);
    }
}
END_TEST

START_TEST(a_payload_that_cannot_be_allocated_fails_cleanly)
{
    char script[512];
    const char *bin = getenv("PARLAB_BIN") ? getenv("PARLAB_BIN") : "bin";
    const char *argv[] = {"sh", "-c", script, NULL};
    struct proc_result r;

    if (getenv("PARLAB_SANITIZED") != NULL)
        tu_skip("AddressSanitizer and valgrind cannot run in a small address space");
    /* 1.5 GB of address space: the 2 x 1 GiB a worker needs cannot fit, and that is
     * said before any of it is mapped (exit 2: the request is too large for here) */
    snprintf(script, sizeof script,
             "ulimit -v 1500000 && exec '%s/parlab-procs' -n 10 -j 2 -w 2 -r 1 -q "
             "--payload 1G --transport shm",
             bin);
    tu_run_cmd(&r, NULL, argv);
    ck_assert_msg(r.status == 2, "exit %d: %s", r.status, r.err);
    /* the payload's size, the workers that each need two of it, and which limit */
    ck_assert_msg(tu_count_lines(r.err) == 1 && tu_mentions(r.err, "payload", "1 GiB", NULL) &&
                      tu_has_number(r.err, 2) &&
                      tu_mentions(r.err, "address space", "ulimit -v", NULL),
                  "said: %s", r.err);
    ck_assert_ptr_null(strstr(r.out, "rep 1")); /* it stopped before any worker started */
    tu_result_release(&r);
}
END_TEST

static Suite *lessons_suite(void)
{
    Suite *s = suite_create("lessons");
    TCase *tc = tcase_create("lessons");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, switching_cuts_every_job_into_slices_that_never_overlap);
    tcase_add_test(tc, switching_needs_a_held_lock);
    tcase_add_test(tc, a_serial_fraction_keeps_results_exact);
    tcase_add_test(tc, the_three_ways_to_move_data_give_the_same_results);
    tcase_add_test(tc, a_spoilt_output_is_caught);
    tcase_add_test(tc, a_payload_that_cannot_be_allocated_fails_cleanly);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(lessons_suite());
}
