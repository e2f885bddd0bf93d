/*
 * check_results.c - the results library (results.h) on small CSV files whose answers
 * are worked out by hand in the comments.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "parlab/results.h"
#include "testutil.h"

#define RUNS_HEADER                                                                         \
    "run_id,program,workers,jobs,size,lock,pin,rep,wall_s,cpu_self_s,cpu_children_s,"       \
    "jobs_ok,host,pus,started_at,omp_binding,switch_ms,payload_bytes,transport,memcpy_gbs," \
    "worker_kind\n"
#define JOBS_HEADER                                                                         \
    "run_id,job,worker,pid,tid,pu_start,pu_end,t_start_s,t_end_s,cpu_s,lock_wait_s,result," \
    "ok,pu_planned,bound,switches,copy_s,bytes_copied\n"

/* Runs: serial 4 s; threads W=2 none 2 s (and 2.5 s, 1.5 s: median 2 s, run t2);
 * threads W=2 held 4 s; a fraction 0.25 run; procs pinned close; a payload run through
 * pipes and one of an unknown backend whose workers are processes. */
static const char runs_csv[] =
    RUNS_HEADER
    "s1,parlab-serial,1,4,100,none,none,1,4.0,4.0,0,4,h,2,2026-12-02T10:00:00Z,,,0,memory,,thread\n"
    "t1,parlab-threads,2,4,100,none,none,1,2.5,4.0,0,4,h,2,2026-12-02T10:00:01Z,,,0,memory,,thread\n"
    "t2,parlab-threads,2,4,100,none,none,2,2.0,4.0,0,4,h,2,2026-12-02T10:00:02Z,,,0,memory,,thread\n"
    "t3,parlab-threads,2,4,100,none,none,3,1.5,4.0,0,4,h,2,2026-12-02T10:00:03Z,,,0,memory,,thread\n"
    "h1,parlab-threads,2,4,100,held,none,1,4.0,4.0,0,4,h,2,2026-12-02T10:00:04Z,,,0,memory,,thread\n"
    "f1,parlab-threads,2,4,100,fraction:0.25,none,1,2.5,4.0,0,4,h,2,2026-12-02T10:00:05Z,,,0,memory,,thread\n"
    "f2,parlab-threads,1,4,100,fraction:0.25,none,1,4.0,4.0,0,4,h,2,2026-12-02T10:00:05Z,,,0,memory,,thread\n"
    "p1,parlab-procs,2,4,100,held,close,1,2.0,0.01,4.0,4,h,2,2026-12-02T10:00:06Z,,,0,,,process\n"
    "x1,parlab-procs,2,4,100,held,none,1,3.0,0.01,4.0,4,h,2,2026-12-02T10:00:07Z,,,1048576,pipe,10.5,process\n"
    "x2,parlab-procs,2,4,100,held,none,1,2.0,0.01,4.0,4,h,2,2026-12-02T10:00:07Z,,,1024,pipe,10.5,process\n"
    "z1,parlab-zoo,2,4,100,held,none,1,2.2,0.01,4.0,4,h,2,2026-12-02T10:00:08Z,,,0,,,process\n";

/* The jobs of t2: intervals [0,2] [1,3] [2,4] [2.5,3]: at 2.5 s jobs 1, 2 and 3 are in
 * progress (job 0 ended at 2, as job 2 began): three at once.  Worker 0 ran jobs 0, 2
 * and 3.  Job 3 moved from PU 0 to PU 1.  Of x1's jobs two copied 1 MiB in 0.001 s
 * (1.048576e9 B/s) and 2 MiB in 0.004 s (0.524288e9 B/s). */
static const char jobs_csv[] =
    JOBS_HEADER
    "t2,0,0,1,1,0,0,0.0,2.0,2.0,0,1,1,0,yes,0,0,0\n"
    "t2,1,1,1,2,1,1,1.0,3.0,2.0,0,1,1,1,yes,0,0,0\n"
    "t2,2,0,1,1,0,0,2.0,4.0,2.0,0,1,1,1,yes,0,0,0\n"
    "t2,3,0,1,1,0,1,2.5,3.0,0.5,0.25,1,1,0,yes,3,0,0\n"
    "x1,0,0,1,1,0,0,0.0,1.0,1.0,0,1,1,,no,0,0.001,1048576\n"
    "x1,1,1,1,1,1,1,0.0,1.0,1.0,0,1,1,,no,0,0.004,2097152\n";

static char *dir;

static void load(struct results *r)
{
    char *runs = tu_path(dir, "runs.csv"), *jobs = tu_path(dir, "jobs.csv"), why[512];
    struct results_paths p = {.runs = runs, .jobs = jobs};

    ck_assert_msg(results_load(r, &p, 0, true, why, sizeof why) == 0, "%s", why);
    free(runs);
    free(jobs);
}

static void setup(void)
{
    char *runs, *jobs;

    dir = tu_tmpdir();
    runs = tu_path(dir, "runs.csv");
    jobs = tu_path(dir, "jobs.csv");
    tu_write_file(runs, runs_csv);
    tu_write_file(jobs, jobs_csv);
    free(runs);
    free(jobs);
}

static void teardown(void)
{
    tu_rmrf(dir);
}

START_TEST(the_series_are_found_in_the_data)
{
    struct results r;

    load(&r);
    /* threads none, threads held, and no procs (x1, x2 are payload cases, p1 is
     * pinned: neither makes a series), then the unknown zoo */
    ck_assert_uint_eq(r.nseries, 3);
    ck_assert_str_eq(r.series[0].label, "threads, lock none");
    ck_assert_str_eq(r.series[1].label, "threads, lock held");
    ck_assert_str_eq(r.series[2].label, "zoo, lock held");
    ck_assert_str_eq(r.series[0].colour, "#4c72b0"); /* the backend's own */
    ck_assert_str_ne(r.series[1].colour, r.series[0].colour);
    ck_assert_str_ne(r.series[2].colour, r.series[1].colour);
    ck_assert_int_eq(r.series[2].backend->worker, WORKER_PROCESS);
    ck_assert(!r.series[2].backend->shares_memory);
    ck_assert_str_eq(r.serial->program, "parlab-serial");
    ck_assert_uint_eq(r.workers, 2); /* no W = 3: the first parallel case's */
    ck_assert_uint_eq(r.pin_workers, 2);
    ck_assert_uint_eq(r.pus, 2);
    ck_assert_uint_eq(results_most_workers(&r), 2);
    results_release(&r);
}
END_TEST

START_TEST(a_sweep_is_ordered_by_workers)
{
    const struct summary_case **sweep;
    struct results r;
    size_t n;

    load(&r);
    n = results_sweep(&r, &r.series[0], &sweep);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(sweep[0]->median_run, "t2"); /* 1.5, 2.0, 2.5 */
    ck_assert_double_eq_tol(sweep[0]->speedup, 2.0, 1e-9); /* 4.0 / 2.0 */
    ck_assert_double_eq_tol(results_serial_wall(&r, sweep[0]), 4.0, 1e-9);
    free(sweep);
    results_release(&r);
}
END_TEST

START_TEST(a_run_s_jobs_are_counted_from_their_intervals)
{
    struct results r;
    struct results_run f;

    load(&r);
    ck_assert_int_eq(results_run_facts(&r, results_series_case(&r, &r.series[0], 2, "none"), &f), 0);
    ck_assert_uint_eq(f.jobs, 4);
    ck_assert_uint_eq(f.most_at_once, 3);
    ck_assert_int_eq(f.busiest, 0);
    ck_assert_uint_eq(f.busiest_jobs, 3);
    ck_assert_uint_eq(f.workers_seen, 2);
    ck_assert_uint_eq(f.moved, 1);
    ck_assert_uint_eq(f.on_planned, 2); /* jobs 0 and 1; job 2 was planned on PU 1 */
    ck_assert_double_eq_tol(f.lock_wait, 0.25, 1e-9);
    ck_assert_double_eq_tol(f.switches, 3, 1e-9);
    ck_assert_double_eq_tol(f.kernel_s, 2.0, 1e-9); /* 2, 2, 2, 0.5 */
    ck_assert_uint_eq(f.copied, 0);
    ck_assert_int_eq(results_run_facts(&r, &r.runs.cases[3], &f), -1); /* held: no jobs */
    results_release(&r);
}
END_TEST

START_TEST(payloads_are_grouped_by_how_they_travelled)
{
    unsigned long long *sizes;
    struct results r;
    struct results_run f;

    load(&r);
    ck_assert_uint_eq(results_payload_sizes(&r, &sizes), 2);
    ck_assert_uint_eq(sizes[0], 1024);
    ck_assert_uint_eq(sizes[1], 1048576);
    ck_assert_uint_eq(r.ncarriers, 1);
    ck_assert_str_eq(r.carriers[0].label, "procs: through pipes");
    ck_assert_int_eq(results_run_facts(&r, results_payload_case(&r, 0, sizes[1]), &f), 0);
    ck_assert_uint_eq(f.copied, 2);
    ck_assert_double_eq_tol(f.bandwidth, (1.048576e9 + 0.524288e9) / 2, 1); /* the median of two */
    ck_assert_double_eq_tol(f.job_s, (1.001 + 1.004) / 2, 1e-9);
    ck_assert_double_eq_tol(results_memcpy_bandwidth(&r), 10.5e9, 1);
    ck_assert_ptr_null(results_payload_case(&r, 0, 4096));
    free(sizes);
    results_release(&r);
}
END_TEST

START_TEST(lock_fractions_are_sorted_and_found)
{
    struct results r;
    double *f;

    load(&r);
    ck_assert_uint_eq(results_fractions(&r, &f), 3); /* none, fraction:0.25, held */
    ck_assert_double_eq(f[0], 0.0);
    ck_assert_double_eq(f[1], 0.25);
    ck_assert_double_eq(f[2], 1.0);
    ck_assert_str_eq(results_fraction_case(&r, 0.25, 2)->median_run, "f1");
    ck_assert_str_eq(results_fraction_case(&r, 0.25, 1)->median_run, "f2");
    ck_assert_ptr_null(results_fraction_case(&r, 0.5, 2));
    free(f);
    results_release(&r);
}
END_TEST

START_TEST(the_pinning_comparison_pairs_each_backend_with_its_unpinned_run)
{
    struct results_pinning p;
    struct results r;

    load(&r);
    ck_assert_int_eq(results_pinning(&r, &p), 0);
    ck_assert_uint_eq(p.nbackends, 1);
    ck_assert_str_eq(p.backends[0]->name, "parlab-procs");
    ck_assert_uint_eq(p.npins, 2);
    ck_assert_str_eq(p.pins[1], "close");
    ck_assert_str_eq(results_pinned_case(&r, &p, 0, 1)->median_run, "p1");
    ck_assert_ptr_null(results_pinned_case(&r, &p, 0, 0)); /* no unpinned procs at W = 2 */
    results_pinning_release(&p);
    results_release(&r);
}
END_TEST

START_TEST(amdahl_and_karp_flatt_invert_each_other)
{
    ck_assert_double_eq_tol(results_amdahl(0.5, 2), 4.0 / 3.0, 1e-12);
    ck_assert_double_eq_tol(results_amdahl(0.0, 8), 8.0, 1e-12);
    ck_assert_double_eq_tol(results_karp_flatt(1.25, 2), 0.6, 1e-12);
    ck_assert_double_eq_tol(results_karp_flatt(results_amdahl(0.1, 4), 4), 0.1, 1e-12);
}
END_TEST

START_TEST(missing_or_malformed_files_say_which)
{
    char *runs = tu_path(dir, "runs.csv"), *nowhere = tu_path(dir, "none.csv"), why[512];
    struct results r;

    ck_assert_int_eq(results_load(&r, &(struct results_paths){.runs = nowhere}, 0, false,
                                  why, sizeof why), -1);
    ck_assert_msg(strstr(why, nowhere) != NULL, "%s", why);
    ck_assert_int_eq(results_load(&r, &(struct results_paths){.runs = runs, .jobs = nowhere}, 0, true,
                                  why, sizeof why), -1);
    ck_assert_msg(strstr(why, nowhere) != NULL, "%s", why);
    /* without need_jobs, a missing jobs CSV leaves the job sections out */
    ck_assert_int_eq(results_load(&r, &(struct results_paths){.runs = runs, .jobs = nowhere}, 0, false,
                                  why, sizeof why), 0);
    ck_assert(!r.have_jobs);
    results_release(&r);
    tu_write_file(nowhere, RUNS_HEADER);
    ck_assert_int_eq(results_load(&r, &(struct results_paths){.runs = nowhere}, 0, false,
                                  why, sizeof why), -1);
    ck_assert_msg(strstr(why, "holds no runs") != NULL, "%s", why);
    free(runs);
    free(nowhere);
}
END_TEST

static Suite *results_suite(void)
{
    Suite *s = suite_create("results");
    TCase *tc = tcase_create("results");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, the_series_are_found_in_the_data);
    tcase_add_test(tc, a_sweep_is_ordered_by_workers);
    tcase_add_test(tc, a_run_s_jobs_are_counted_from_their_intervals);
    tcase_add_test(tc, payloads_are_grouped_by_how_they_travelled);
    tcase_add_test(tc, lock_fractions_are_sorted_and_found);
    tcase_add_test(tc, the_pinning_comparison_pairs_each_backend_with_its_unpinned_run);
    tcase_add_test(tc, amdahl_and_karp_flatt_invert_each_other);
    tcase_add_test(tc, missing_or_malformed_files_say_which);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(results_suite());
}
