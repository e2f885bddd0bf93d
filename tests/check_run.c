/*
 * check_run.c - a run is measured and validated, and a program whose run fails or
 * whose results are wrong exits 1 and writes nothing, whichever repetition it was.
 */
#include <check.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "parlab/cli.h"
#include "parlab/clock.h"
#include "parlab/experiment.h"
#include "parlab/job.h"
#include "parlab/kernel.h"
#include "parlab/machine.h"
#include "parlab/plan.h"
#include "parlab/run.h"

#include "testutil.h"

/* How the fake program misbehaves in its second counted run. */
enum fault { BEHAVE, WRONG_RESULT, FAIL, LOSE_A_JOB, SWAP_RESULTS, RUN_TWICE };
static enum fault fault;

static int run_in_order_with_fault(struct run *run)
{
    struct worker me;

    worker_start(run, 0, WORKER_THREAD, &me);
    for (unsigned k = 0; k < run->plan->jobs; k++)
        job_run(run, k, &me, &run->jobs[k]);
    if (run->rep != 2)
        return 0;
    switch (fault) {
    case BEHAVE:
        break;
    case WRONG_RESULT:
        run->jobs[1].result *= 1.0 + 1e-9;
        break;
    case FAIL:
        snprintf(run->error, sizeof run->error, "the workers were struck by lightning");
        return -1;
    case LOSE_A_JOB:
        run->jobs[3].done = 0;
        break;
    case RUN_TWICE: { /* as two threads that took the same job: one record is left */
        struct worker me2;

        worker_start(run, 0, WORKER_THREAD, &me2);
        job_run(run, 2, &me2, &run->jobs[2]);
        break;
    }
    case SWAP_RESULTS: { /* each a right result, but another job's */
        double first = run->jobs[0].result;

        run->jobs[0].result = run->jobs[3].result;
        run->jobs[3].result = first;
        break;
    }
    }
    return 0;
}

static const struct backend fake_backend = {
    .name = "parlab-fake", .workers_are = "fakes", .worker = WORKER_THREAD,
    .max_workers = 4, .shares_memory = true,
};
static const struct program fake = {
    .backend = &fake_backend, .summary = "s", .details = "d",
    .run_jobs = run_in_order_with_fault,
};

static void make_plan(struct plan *plan)
{
    char *argv[] = {"parlab-fake", "-n", "12", "-j", "4", "-w", "1", NULL}, msg[256];
    struct options opt;

    ck_assert_int_eq(cli_parse(&opt, &fake, 7, argv, msg, sizeof msg), CLI_RUN);
    ck_assert_int_eq(plan_init(plan, &fake, &opt, msg, sizeof msg), PLAN_OK);
}

START_TEST(a_good_run_is_measured_and_every_job_checked)
{
    struct plan plan;
    struct run run;
    char tail[16];

    fault = BEHAVE;
    make_plan(&plan);
    ck_assert_int_eq(run_init(&run, &plan), 0);
    ck_assert_int_eq(run_execute(&run, 2), 0);
    ck_assert_uint_eq(run.jobs_ok, 4);
    for (unsigned k = 0; k < 4; k++) {
        ck_assert_int_eq(run.jobs[k].ok, 1);
        ck_assert_double_ge(run.jobs[k].t_end_s, run.jobs[k].t_start_s);
        ck_assert_double_le(run.jobs[k].t_end_s, run.wall_s);
    }
    ck_assert_double_gt(run.wall_s, 0.0);
    ck_assert_double_ge(run.cpu_self_s, 0.0);
    ck_assert_uint_eq(strlen(run.started_at), 24); /* 2026-11-25T14:26:39.123Z */
    ck_assert_int_eq(run.started_at[23], 'Z');
    ck_assert_ptr_nonnull(strstr(run.run_id, plan.host));
    snprintf(tail, sizeof tail, "-%ld-2", plan.pid);
    ck_assert_str_eq(run.run_id + strlen(run.run_id) - strlen(tail), tail);
    run_release(&run);
    plan_release(&plan);
}
END_TEST

START_TEST(a_wrong_result_is_marked_and_not_counted)
{
    struct plan plan;
    struct run run;

    fault = WRONG_RESULT;
    make_plan(&plan);
    ck_assert_int_eq(run_init(&run, &plan), 0);
    ck_assert_int_eq(run_execute(&run, 2), 0);
    ck_assert_uint_eq(run.jobs_ok, 3);
    ck_assert_int_eq(run.jobs[1].ok, 0);
    ck_assert_int_eq(run.jobs[0].ok, 1);
    run_release(&run);
    plan_release(&plan);
}
END_TEST

/* With --sizes each job runs the kernel of its own n, and is checked against the closed
 * form of that n: right results of other jobs are wrong ones. */
START_TEST(each_job_of_unequal_size_is_checked_against_its_own_n)
{
    char *argv[] = {"parlab-fake", "--sizes", "ramp:30-12", "-j", "4", "-w", "1", NULL};
    char msg[256];
    struct options opt;
    struct plan plan;
    struct run run;

    ck_assert_int_eq(cli_parse(&opt, &fake, 7, argv, msg, sizeof msg), CLI_RUN);
    ck_assert_int_eq(plan_init(&plan, &fake, &opt, msg, sizeof msg), PLAN_OK);
    ck_assert_int_eq(run_init(&run, &plan), 0);
    fault = BEHAVE;
    ck_assert_int_eq(run_execute(&run, 2), 0);
    ck_assert_uint_eq(run.jobs_ok, 4);
    for (unsigned k = 0; k < 4; k++) { /* n = 30, 24, 18, 12 */
        ck_assert_int_eq(run.jobs[k].ok, 1);
        ck_assert(kernel_result_ok(run.jobs[k].result, kernel_closed_form(30 - 6 * k)));
    }
    fault = SWAP_RESULTS;
    ck_assert_int_eq(run_execute(&run, 2), 0);
    ck_assert_uint_eq(run.jobs_ok, 2);
    ck_assert(!run.jobs[0].ok && run.jobs[1].ok && run.jobs[2].ok && !run.jobs[3].ok);
    run_release(&run);
    plan_release(&plan);
}
END_TEST

START_TEST(a_job_nobody_ran_fails_the_run)
{
    struct plan plan;
    struct run run;

    fault = LOSE_A_JOB;
    make_plan(&plan);
    ck_assert_int_eq(run_init(&run, &plan), 0);
    ck_assert_int_eq(run_execute(&run, 2), -1);
    ck_assert_msg(tu_number_after(run.error, "job") == 3, "said: %s", run.error);
    run_release(&run);
    plan_release(&plan);
}
END_TEST

/* Two workers that take the same job leave one right record of it: the count of
 * job_run()'s calls tells. */
START_TEST(a_job_run_twice_fails_the_run)
{
    struct plan plan;
    struct run run;

    fault = RUN_TWICE;
    make_plan(&plan);
    ck_assert_int_eq(run_init(&run, &plan), 0);
    ck_assert_int_eq(run_execute(&run, 2), -1);
    ck_assert_msg(strstr(run.error, "job 2 ran 2 times") != NULL, "said: %s", run.error);
    fault = BEHAVE; /* the next run counts afresh */
    ck_assert_int_eq(run_execute(&run, 2), 0);
    run_release(&run);
    plan_release(&plan);
}
END_TEST

/* run_check_job_rows on rows of jobs.csv's columns it reads: a good run passes, and
 * each way of breaking the timeline's story is named. */
static void expect_rows(const char *rows, unsigned workers, bool one_at_a_time,
                        const char *said)
{
    char text[1024], why[512] = "";
    struct csv_table t;
    const struct job_rows_rule rule = {3, workers, "tid", one_at_a_time};
    int rc;

    snprintf(text, sizeof text, "job,worker,tid,t_start_s,t_end_s\n%s", rows);
    ck_assert_int_eq(csv_parse(text, strlen(text), &t), 0);
    rc = run_check_job_rows(&t, &rule, why, sizeof why);
    if (said == NULL)
        ck_assert_msg(rc == 0, "refused: %s", why);
    else
        ck_assert_msg(rc == -1 && strstr(why, said) != NULL, "rows:\n%s said: '%s'", rows, why);
    csv_table_release(&t);
}

START_TEST(job_rows_that_break_the_story_are_named)
{
    /* two workers, two threads; worker 0's jobs one after another */
    const char *good = "0,0,100,0.000,0.010\n1,1,101,0.000,0.010\n2,0,100,0.010,0.020\n";

    expect_rows(good, 2, false, NULL);
    expect_rows(good, 2, true, "jobs 0 and 1 ran at the same time with the lock held");
    expect_rows("0,0,100,0.000,0.010\n1,0,100,0.010,0.020\n2,0,100,0.020,0.030\n", 1, true,
                NULL);
    expect_rows(good, 1, false, "job 1 ran on worker 1, but the only worker is 0");
    expect_rows("0,0,100,0.000,0.010\n1,1,101,0.000,0.010\n2,0,102,0.010,0.020\n", 2, false,
                "worker 0 is two threads: tid 100 ran job 0, tid 102 job 2");
    expect_rows("0,0,100,0.000,0.010\n1,2,101,0.000,0.010\n2,0,100,0.010,0.020\n", 2, false,
                "job 1 ran on worker 2, but the workers are 0 to 1");
    expect_rows("0,0,100,0.000,0.010\n1,1,100,0.010,0.020\n2,0,100,0.020,0.030\n", 2, false,
                "workers 0 and 1 are one thread (tid 100)");
    expect_rows("0,0,100,0.000,0.010\n1,1,101,0.000,0.010\n2,0,100,0.005,0.020\n", 2, false,
                "jobs 0 and 2 ran at the same time on worker 0");
    expect_rows("0,0,100,0.000,0.010\n1,1,101,0.000,0.010\n1,0,100,0.010,0.020\n", 2, false,
                "job 1 has more than one record");
    expect_rows("0,0,100,0.000,0.010\n1,1,101,0.000,0.010\n", 2, false,
                "2 job records for 3 jobs");
    expect_rows("0,0,100,0.000,0.010\n1,1,x,0.000,0.010\n2,0,100,0.010,0.020\n", 2, false,
                "row 2 of the jobs CSV");
}
END_TEST

static bool may_use_pus_0_and_1(void)
{
    cpu_set_t set;

    return sched_getaffinity(0, sizeof set, &set) == 0 && CPU_ISSET(0, &set) &&
           CPU_ISSET(1, &set);
}

/* A worker thread that runs one long job on PU 0, moved to PU 1 while it computes. */
struct moved_job {
    struct run *run;
    struct job_record rec;
};

static void *run_one_job_on_pu_0(void *arg)
{
    struct moved_job *m = arg;
    struct worker me = {.index = 0, .pu_planned = -1};
    cpu_set_t zero;

    CPU_ZERO(&zero);
    CPU_SET(0, &zero);
    ck_assert_int_eq(sched_setaffinity(0, sizeof zero, &zero), 0);
    job_run(m->run, 0, &me, &m->rec);
    return NULL;
}

START_TEST(a_job_records_the_pu_it_ended_on)
{
    struct plan plan;
    struct run run;
    struct moved_job m;
    pthread_t thread;
    cpu_set_t one;

    if (getenv("PARLAB_UNDER_VALGRIND") != NULL)
        tu_skip("valgrind runs one thread at a time, so the job ends before it can be moved");
    if (!may_use_pus_0_and_1())
        tu_skip("this process may not use both PU 0 and PU 1");
    fault = BEHAVE;
    make_plan(&plan);
    plan.size = 320; /* about a second: long enough to be moved while it computes */
    ck_assert_int_eq(run_init(&run, &plan), 0);
    run.t0 = clock_wall();
    m.run = &run;
    ck_assert_int_eq(pthread_create(&thread, NULL, run_one_job_on_pu_0, &m), 0);
    usleep(150000);
    CPU_ZERO(&one);
    CPU_SET(1, &one);
    ck_assert_int_eq(pthread_setaffinity_np(thread, sizeof one, &one), 0);
    ck_assert_int_eq(pthread_join(thread, NULL), 0);
    ck_assert_int_eq(m.rec.pu_start, 0);
    ck_assert_int_eq(m.rec.pu_end, 1);
    run_release(&run);
    plan_release(&plan);
}
END_TEST

/* Runs experiment_main(&fake, ...) in a child with the given fault and CSV files;
 * returns its exit status and leaves its stderr in err.  Nothing here is on the heap:
 * the child ends inside experiment_main, and valgrind would count whatever the heap
 * held then as lost. */
static int run_fake(enum fault how, const char *runs, const char *jobs, char *err,
                    size_t errlen)
{
    char dir[256], err_path[300];
    char *argv[] = {"parlab-fake", "-n", "12", "-j", "4", "-w", "1", "-r", "3", "-q",
                    "--runs-csv", (char *)runs, "--jobs-csv", (char *)jobs, NULL};
    pid_t pid;
    int status;
    FILE *f;
    size_t n;

    tu_tmpdir_in(dir, sizeof dir);
    snprintf(err_path, sizeof err_path, "%s/stderr", dir);
    fflush(NULL);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        int fd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int null = open("/dev/null", O_WRONLY);

        dup2(fd, 2);
        dup2(null, 1);
        fault = how;
        _exit(experiment_main(&fake, 14, argv));
    }
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    f = fopen(err_path, "r");
    ck_assert_ptr_nonnull(f);
    n = fread(err, 1, errlen - 1, f);
    err[n] = '\0';
    fclose(f);
    tu_remove_tree(dir);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* A failure in the second of three counted runs: exit 1, one line saying that nothing
 * was written, and no row written; what the line says is left in err. */
static void expect_nothing_written(enum fault how, char *err, size_t errlen)
{
    char dir[256], runs[300], jobs[300], *text;
    struct stat st;

    tu_tmpdir_in(dir, sizeof dir);
    snprintf(runs, sizeof runs, "%s/runs.csv", dir);
    snprintf(jobs, sizeof jobs, "%s/jobs.csv", dir);
    tu_write_file(runs, RUNS_CSV_HEADER "\n");
    ck_assert_int_eq(run_fake(how, runs, jobs, err, errlen), 1);
    ck_assert_msg(tu_count_lines(err) == 1 && tu_mentions(err, "nothing", NULL), "said: %s", err);
    text = tu_read_file(runs);
    ck_assert_str_eq(text, RUNS_CSV_HEADER "\n");
    ck_assert_int_eq(stat(jobs, &st), -1);
    free(text);
    tu_remove_tree(dir);
}

START_TEST(a_wrong_result_in_any_run_exits_1_and_writes_nothing)
{
    char err[1024];

    expect_nothing_written(WRONG_RESULT, err, sizeof err);
    /* job 1 of the 4 is wrong: 1 of 4 */
    ck_assert_msg(tu_has_number(err, 1) && tu_has_number(err, 4) &&
                      tu_mentions(err, "result", NULL),
                  "said: %s", err);
}
END_TEST

START_TEST(a_failed_run_exits_1_with_its_reason_and_writes_nothing)
{
    char err[1024];

    expect_nothing_written(FAIL, err, sizeof err);
    ck_assert_msg(strstr(err, "struck by lightning"), "said: %s", err); /* run_jobs' reason */
}
END_TEST

START_TEST(a_good_invocation_writes_every_counted_run)
{
    char dir[256], runs[300], jobs[300], err[1024], *text;

    tu_tmpdir_in(dir, sizeof dir);
    snprintf(runs, sizeof runs, "%s/runs.csv", dir);
    snprintf(jobs, sizeof jobs, "%s/jobs.csv", dir);
    ck_assert_int_eq(run_fake(BEHAVE, runs, jobs, err, sizeof err), 0);
    ck_assert_str_eq(err, "");
    text = tu_read_file(runs);
    ck_assert_uint_eq(tu_count_lines(text), 1 + 3);
    free(text);
    text = tu_read_file(jobs);
    ck_assert_uint_eq(tu_count_lines(text), 1 + 3 * 4);
    free(text);
    tu_remove_tree(dir);
}
END_TEST

/* Starts a process that spins until killed: another program taking CPU time. */
static pid_t start_spinner(void)
{
    pid_t pid;

    fflush(NULL);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0)
        for (volatile unsigned long i = 0;; i++)
            ;
    return pid;
}

static void stop_spinner(pid_t pid)
{
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

/* The watched PUs' busy time grows by at least this process's own CPU time, and by
 * another process's: /proc/stat sees both. */
START_TEST(the_busy_time_counts_every_program_on_the_pus)
{
    struct machine_watch w;
    struct cpu_times before, after;
    double busy0, busy1, t0, load;
    pid_t spinner;
    const char *battery = machine_on_battery();

    machine_watch_init(&w);
    if (!w.known)
        tu_skip("no /proc/stat here");
    ck_assert_int_ge(machine_watch_pus(&w), 1);
    busy0 = machine_busy_s(&w);
    clock_process_cpu(&before);
    for (t0 = clock_wall(); clock_wall() - t0 < 0.3;)
        ;
    clock_process_cpu(&after);
    busy1 = machine_busy_s(&w);
    ck_assert_msg(busy1 - busy0 >= after.self - before.self - 0.02 * machine_watch_pus(&w),
                  "busy %.2f s, own %.2f s", busy1 - busy0, after.self - before.self);

    spinner = start_spinner(); /* now the same time with another program spinning */
    busy0 = machine_busy_s(&w);
    clock_process_cpu(&before);
    t0 = clock_wall();
    for (struct timespec nap = {0, 300000000}; nanosleep(&nap, &nap) != 0;)
        ;
    busy1 = machine_busy_s(&w);
    clock_process_cpu(&after);
    stop_spinner(spinner);
    /* it had a PU to itself, or shared one: at least a third of the time */
    ck_assert_msg(busy1 - busy0 - (after.self - before.self) >= (clock_wall() - t0) / 3,
                  "another program's %.2f s of spinning is not in the busy time %.2f s",
                  clock_wall() - t0, busy1 - busy0);
    load = machine_load_1m();
    ck_assert_msg(load >= 0 && load < 1e6, "load average %g", load);
    ck_assert_msg(strcmp(battery, "yes") == 0 || strcmp(battery, "no") == 0 || battery[0] == '\0',
                  "on battery '%s'", battery);
}
END_TEST

/* A real run beside a real spinning process: its runs row says how much CPU the other
 * program took, and the summary says the run was not a clean measurement. */
START_TEST(a_run_beside_another_program_says_so)
{
    char *dir, *runs;
    struct proc_result r;
    struct csv_table t;
    pid_t spinners[2];
    double most = 0;

    if (getenv("PARLAB_UNDER_VALGRIND")) /* before anything is allocated: a skip exits */
        tu_skip("under valgrind the run is the busy one");
    dir = tu_tmpdir();
    runs = tu_path(dir, "runs.csv");
    const char *args[] = {"-n", "110", "-j", "4", "-w", "1", "-r", "2", "--runs-csv", runs, NULL};
    for (int i = 0; i < 2; i++) /* on 1 or 2 PUs, at least one shares the run's */
        spinners[i] = start_spinner();
    tu_run(&r, "parlab-serial", args);
    for (int i = 0; i < 2; i++)
        stop_spinner(spinners[i]);
    ck_assert_msg(r.status == 0, "exited %d: %s", r.status, r.err);
    tu_read_csv(runs, &t);
    for (size_t row = 1; row < t.nrows; row++) {
        double other = tu_num(&t, row, "other_cpu_s"), wall = tu_num(&t, row, "wall_s");

        ck_assert_msg(other >= 0 && wall > 0, "row %zu: other_cpu_s %s", row,
                      tu_field(&t, row, "other_cpu_s"));
        if (other / wall > most)
            most = other / wall;
    }
    csv_table_release(&t);
    ck_assert_msg(most >= 0.3, "other programs at %.2f CPU-s per s beside two spinners", most);
    ck_assert_msg(strstr(r.out, "machine: busy: other programs used") &&
                      strstr(r.out, "not a clean measurement"),
                  "said: %s", r.out);
    tu_result_release(&r);
    free(runs);
    tu_rmrf(dir);
}
END_TEST

static Suite *run_suite(void)
{
    Suite *s = suite_create("run");
    TCase *tc = tcase_create("run");

    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, a_good_run_is_measured_and_every_job_checked);
    tcase_add_test(tc, a_wrong_result_is_marked_and_not_counted);
    tcase_add_test(tc, a_job_nobody_ran_fails_the_run);
    tcase_add_test(tc, a_job_run_twice_fails_the_run);
    tcase_add_test(tc, job_rows_that_break_the_story_are_named);
    tcase_add_test(tc, each_job_of_unequal_size_is_checked_against_its_own_n);
    tcase_add_test(tc, a_wrong_result_in_any_run_exits_1_and_writes_nothing);
    tcase_add_test(tc, a_failed_run_exits_1_with_its_reason_and_writes_nothing);
    tcase_add_test(tc, a_good_invocation_writes_every_counted_run);
    tcase_add_test(tc, a_job_records_the_pu_it_ended_on);
    tcase_add_test(tc, the_busy_time_counts_every_program_on_the_pus);
    tcase_add_test(tc, a_run_beside_another_program_says_so);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(run_suite());
}
