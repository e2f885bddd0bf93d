/*
 * check_pinning.c - end to end: --pin puts workers where the plan says, records where
 * each job really ran, goes on unbound when binding is refused, and refuses placements
 * the machine cannot give; parlab-topo shows plans for this and other machines.
 */
#include <check.h>
#include <hwloc.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "parlab/csv.h"
#include "parlab/run.h"

#include "testutil.h"

static const char *const programs[] = {"parlab-serial", "parlab-threads", "parlab-procs"};
#define NPROGRAMS (sizeof programs / sizeof programs[0])

/* 2 workers where the machine lets us use 2 PUs, else 1 (serial: always 1). */
static const char *workers_for(const char *program)
{
    return strcmp(program, "parlab-serial") == 0 || tu_usable_cpus() < 2 ? "1" : "2";
}

/* Runs a program with the environment additions and arguments; the jobs CSV lands in
 * dir/jobs.csv and the runs CSV in dir/runs.csv. */
static void run_pinned(struct proc_result *r, const char *const *env, const char *program,
                       const char *pin, const char *workers, const char *dir)
{
    char *jobs = tu_path(dir, "jobs.csv"), *runs = tu_path(dir, "runs.csv");
    const char *args[] = {"-n", "60", "-j", "6", "-w", workers, "-r", "2", "-q", "-p", pin,
                          "--jobs-csv", jobs, "--runs-csv", runs, NULL};

    tu_run_env(r, env, program, args);
    free(jobs);
    free(runs);
}

static void read_table(const char *dir, const char *name, struct csv_table *t)
{
    char *path = tu_path(dir, name);

    ck_assert_msg(csv_read_file(path, t) == 0, "cannot read %s", path);
    free(path);
}

static const char *field(const struct csv_table *t, size_t row, const char *column)
{
    int col = csv_column(t, column);

    ck_assert_msg(col >= 0, "no column %s", column);
    return csv_field(t, row, col);
}

START_TEST(jobs_run_on_the_pu_they_were_planned_for)
{
    const char *program = programs[_i];
    char *dir = tu_tmpdir();
    struct proc_result r;
    struct csv_table jobs;

    run_pinned(&r, NULL, program, "close", workers_for(program), dir);
    ck_assert_msg(r.status == 0, "%s exited %d: %s", program, r.status, r.err);
    read_table(dir, "jobs.csv", &jobs);
    ck_assert_uint_eq(jobs.nrows, 1 + 2 * 6);
    if (strcmp(field(&jobs, 1, "bound"), "no") == 0) {
        char why[200];

        snprintf(why, sizeof why, "%.*s", (int)strcspn(r.err, "\n"), r.err);
        csv_table_release(&jobs);
        tu_result_release(&r);
        tu_rmrf(dir);
        tu_skip("%s: this system refuses binding (%s)", program, why);
    }
    for (size_t k = 1; k < jobs.nrows; k++) {
        const char *planned = field(&jobs, k, "pu_planned");

        ck_assert_str_eq(field(&jobs, k, "bound"), "yes");
        ck_assert_str_ne(planned, "");
        ck_assert_str_eq(field(&jobs, k, "pu_start"), planned);
        ck_assert_str_eq(field(&jobs, k, "pu_end"), planned);
        for (size_t q = k + 1; q < jobs.nrows; q++) /* close: one worker per PU */
            ck_assert((strcmp(field(&jobs, k, "worker"), field(&jobs, q, "worker")) == 0) ==
                      (strcmp(planned, field(&jobs, q, "pu_planned")) == 0));
    }
    ck_assert_str_eq(r.err, "");
    csv_table_release(&jobs);
    tu_result_release(&r);
    tu_rmrf(dir);
}
END_TEST

START_TEST(unpinned_jobs_have_no_planned_pu)
{
    char *dir = tu_tmpdir();
    struct proc_result r;
    struct csv_table jobs, runs;

    run_pinned(&r, NULL, "parlab-threads", "none", "2", dir);
    ck_assert_int_eq(r.status, 0);
    read_table(dir, "jobs.csv", &jobs);
    read_table(dir, "runs.csv", &runs);
    for (size_t k = 1; k < jobs.nrows; k++) {
        ck_assert_str_eq(field(&jobs, k, "pu_planned"), "");
        ck_assert_str_eq(field(&jobs, k, "bound"), "no");
    }
    ck_assert_str_eq(field(&runs, 1, "pin"), "none");
    csv_table_release(&jobs);
    csv_table_release(&runs);
    tu_result_release(&r);
    tu_rmrf(dir);
}
END_TEST

START_TEST(a_refused_binding_is_one_warning_and_the_run_goes_on)
{
    const char *program = programs[_i];
    const char *env[] = {"PARLAB_FAULT=bind", NULL};
    char *dir = tu_tmpdir();
    struct proc_result r;
    struct csv_table jobs, runs;

    run_pinned(&r, env, program, "close", workers_for(program), dir);
    ck_assert_msg(r.status == 0, "%s exited %d: %s", program, r.status, r.err);
    ck_assert_msg(tu_count_lines(r.err) == 1 && strstr(r.err, "binding was refused") &&
                      strstr(r.err, "Function not implemented"),
                  "%s said: %s", program, r.err);
    read_table(dir, "jobs.csv", &jobs);
    read_table(dir, "runs.csv", &runs);
    ck_assert_uint_eq(jobs.nrows, 1 + 2 * 6);
    for (size_t k = 1; k < jobs.nrows; k++) {
        ck_assert_str_eq(field(&jobs, k, "bound"), "no");
        ck_assert_str_eq(field(&jobs, k, "pu_planned"), "");
    }
    ck_assert_str_eq(field(&runs, 1, "pin"), "close"); /* the policy as given */
    csv_table_release(&jobs);
    csv_table_release(&runs);
    tu_result_release(&r);
    tu_rmrf(dir);
}
END_TEST

START_TEST(bad_policies_exit_2_and_write_nothing)
{
    static const char *const bad[] = {"foo", "pus:", "pus:3-1", "pus:x", "pus:65535", ""};
    char *dir = tu_tmpdir(), *jobs = tu_path(dir, "jobs.csv");
    struct stat st;

    for (size_t p = 0; p < NPROGRAMS; p++)
        for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
            const char *args[] = {"-n", "10", "-p", bad[b], "--jobs-csv", jobs, NULL};
            struct proc_result r;

            /* under valgrind each policy once, the programs in turn (check_pin and
             * check_plan refuse each of them in-process there too) */
            if (tu_under_valgrind() && p != b % NPROGRAMS)
                continue;
            tu_run(&r, programs[p], args);
            ck_assert_msg(r.status == 2, "%s --pin '%s' exited %d", programs[p], bad[b],
                          r.status);
            ck_assert_msg(tu_count_lines(r.err) == 1 && strstr(r.err, "--pin"),
                          "%s --pin '%s' said: %s", programs[p], bad[b], r.err);
            ck_assert_str_eq(r.out, "");
            ck_assert_int_eq(stat(jobs, &st), -1);
            tu_result_release(&r);
        }
    free(jobs);
    tu_rmrf(dir);
}
END_TEST

/* Under a mask of PU 1 alone (as `taskset -c 1` sets it, here on this test process,
 * which the programs inherit). */
static bool may_use_pu_1(void)
{
    cpu_set_t set;

    return sched_getaffinity(0, sizeof set, &set) == 0 && CPU_ISSET(1, &set);
}

START_TEST(a_taskset_mask_is_respected)
{
    char *dir;
    const char *refused[] = {"-n", "10", "-p", "pus:0", NULL};
    const char *topo[] = {"-w", "2", "--csv", NULL};
    struct proc_result r;
    struct csv_table jobs;
    cpu_set_t one;

    if (!may_use_pu_1())
        tu_skip("this process may not use PU 1");
    dir = tu_tmpdir();
    CPU_ZERO(&one);
    CPU_SET(1, &one);
    ck_assert_int_eq(sched_setaffinity(0, sizeof one, &one), 0);

    run_pinned(&r, NULL, "parlab-threads", "close", "2", dir);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    ck_assert_ptr_nonnull(strstr(r.err, "oversubscribed")); /* 2 workers, 1 PU */
    read_table(dir, "jobs.csv", &jobs);
    for (size_t k = 1; k < jobs.nrows; k++) {
        ck_assert_str_eq(field(&jobs, k, "pu_planned"), "1");
        ck_assert_str_eq(field(&jobs, k, "pu_start"), "1");
    }
    csv_table_release(&jobs);
    tu_result_release(&r);

    tu_run(&r, "parlab-procs", refused);
    ck_assert_int_eq(r.status, 2);
    ck_assert_msg(tu_count_lines(r.err) == 1 && strstr(r.err, "PU 0 is not one this process "
                                                              "may use"),
                  "said: %s", r.err);
    tu_result_release(&r);

    tu_run(&r, "parlab-topo", topo);
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "worker,pu,core,package,numa\n0,1,1,0,0\n1,1,1,0,0\n");
    tu_result_release(&r);
    tu_rmrf(dir);
}
END_TEST

START_TEST(libgomp_binding_is_left_alone_or_overruled_and_said_so)
{
    const char *env[] = {"OMP_PROC_BIND=close", "OMP_PLACES=cores", NULL};
    char *dir = tu_tmpdir(), *other = tu_tmpdir(), pus[16];
    struct proc_result r;
    struct csv_table runs, jobs;

    run_pinned(&r, env, "parlab-threads", "none", "2", dir);
    ck_assert_int_eq(r.status, 0);
    ck_assert_msg(strstr(r.err, "libgomp OMP_PROC_BIND=close OMP_PLACES=cores binds") &&
                      strstr(r.err, "leaves them"),
                  "said: %s", r.err);
    read_table(dir, "runs.csv", &runs);
    ck_assert_str_eq(field(&runs, 1, "omp_binding"),
                     "libgomp OMP_PROC_BIND=close OMP_PLACES=cores");
    tu_result_release(&r);

    snprintf(pus, sizeof pus, "%d", tu_usable_cpus()); /* libgomp's own binding of the */
    ck_assert_str_eq(field(&runs, 1, "pus"), pus);      /* first thread hides no PU    */
    csv_table_release(&runs);

    run_pinned(&r, env, "parlab-threads", "close", workers_for("parlab-threads"), other);
    ck_assert_int_eq(r.status, 0);
    ck_assert_msg(strstr(r.err, "--pin decides") && !strstr(r.err, "oversubscribed"),
                  "said: %s", r.err);
    read_table(other, "jobs.csv", &jobs);
    for (size_t k = 1; k < jobs.nrows; k++) {
        ck_assert_str_eq(field(&jobs, k, "bound"), "yes");
        ck_assert_str_eq(field(&jobs, k, "pu_start"), field(&jobs, k, "pu_planned"));
        for (size_t q = k + 1; q < jobs.nrows; q++) /* the plan used every usable PU */
            ck_assert((strcmp(field(&jobs, k, "worker"), field(&jobs, q, "worker")) == 0) ==
                      (strcmp(field(&jobs, k, "pu_planned"), field(&jobs, q, "pu_planned")) == 0));
    }
    csv_table_release(&jobs);
    tu_result_release(&r);

    run_pinned(&r, env, "parlab-procs", "close", workers_for("parlab-procs"), dir);
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.err, ""); /* no OpenMP in parlab-procs: nothing to say */
    tu_result_release(&r);
    tu_rmrf(dir);
    tu_rmrf(other);
}
END_TEST

START_TEST(runners_ignore_a_described_machine)
{
    const char *env[] = {"HWLOC_SYNTHETIC=pack:8 core:8 pu:2", NULL};
    char *dir = tu_tmpdir(), expected[16];
    struct proc_result r;
    struct csv_table runs;

    run_pinned(&r, env, "parlab-threads", "none", "2", dir);
    ck_assert_int_eq(r.status, 0);
    ck_assert_msg(strstr(r.err, "ignoring HWLOC_SYNTHETIC"), "said: %s", r.err);
    read_table(dir, "runs.csv", &runs);
    snprintf(expected, sizeof expected, "%d", tu_usable_cpus());
    ck_assert_str_eq(field(&runs, 1, "pus"), expected); /* this machine's, not 128 */
    csv_table_release(&runs);
    tu_result_release(&r);
    tu_rmrf(dir);
}
END_TEST

/* HWLOC_THISSYSTEM=0 would make hwloc take this machine for another and bind nothing
 * ("Operation not supported"): the programs that run jobs ignore it, say so, and pin. */
START_TEST(runners_ignore_hwloc_thissystem_0)
{
    const char *env[] = {"HWLOC_THISSYSTEM=0", NULL};
    const char *program = programs[_i];
    char *dir = tu_tmpdir();
    struct proc_result r;
    struct csv_table jobs;

    run_pinned(&r, env, program, "close", workers_for(program), dir);
    ck_assert_msg(r.status == 0 && tu_count_lines(r.err) == 1 &&
                      strstr(r.err, "ignoring HWLOC_THISSYSTEM"),
                  "%s exited %d: %s", program, r.status, r.err);
    read_table(dir, "jobs.csv", &jobs);
    for (size_t k = 1; k < jobs.nrows; k++)
        ck_assert_str_ne(field(&jobs, k, "pu_planned"), "");
    csv_table_release(&jobs);
    tu_result_release(&r);
    tu_rmrf(dir);
}
END_TEST

/* libgomp's places, not taskset, keep the threads off a listed PU: the message names
 * the variable that does. */
START_TEST(a_pu_outside_libgomp_s_places_names_the_variable)
{
    const char *env[] = {"OMP_PLACES={1}", NULL};
    const char *args[] = {"-n", "10", "-w", "2", "-p", "pus:0", NULL};
    struct proc_result r;

    if (!may_use_pu_1() || tu_usable_cpus() < 2)
        tu_skip("this process may not use PUs 0 and 1");
    tu_run_env(&r, env, "parlab-threads", args);
    ck_assert_int_eq(r.status, 2);
    ck_assert_msg(tu_count_lines(r.err) == 1 &&
                      tu_mentions(r.err, "pus:0", "OMP_PLACES={1}", NULL) &&
                      !strstr(r.err, "taskset"),
                  "said: %s", r.err);
    tu_result_release(&r);
}
END_TEST

START_TEST(verbose_prints_where_every_job_ran)
{
    const char *args[] = {"-n", "20", "-j", "4", "-w", "2", "-r", "2", "-v", NULL};
    struct proc_result r;
    const char *p;
    int lines = 0;

    tu_run(&r, "parlab-procs", args);
    ck_assert_int_eq(r.status, 0);
    for (p = r.out; (p = strstr(p, "\n  job ")) != NULL; p++)
        lines++;
    ck_assert_int_eq(lines, 2 * 4);
    ck_assert_ptr_nonnull(strstr(r.out, "PU planned none, at start "));
    tu_result_release(&r);
}
END_TEST

START_TEST(topo_describes_this_machine)
{
    const char *args[] = {"-w", "1", NULL};
    struct proc_result r;

    tu_run(&r, "parlab-topo", args);
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "machine: this machine"));
    ck_assert_ptr_nonnull(strstr(r.out, "packages"));
    ck_assert_ptr_nonnull(strstr(r.out, "usable PUs"));
    ck_assert_ptr_nonnull(strstr(r.out, "placement: 1 workers, --pin close"));
    tu_result_release(&r);
}
END_TEST

START_TEST(topo_plans_for_a_synthetic_machine)
{
    const char *env[] = {"HWLOC_SYNTHETIC=pack:2 core:4 pu:2", NULL};
    const char *args[] = {"-w", "3", "-p", "spread", "--csv", NULL};
    const char *text[] = {"-w", "18", NULL};
    struct proc_result r;

    tu_run_env(&r, env, "parlab-topo", args);
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "worker,pu,core,package,numa\n0,0,0,0,0\n1,4,2,0,0\n2,8,4,1,0\n");
    tu_result_release(&r);

    tu_run_env(&r, env, "parlab-topo", text);
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "PUs          16 (SMT on: up to 2 per core)"));
    ck_assert_ptr_nonnull(strstr(r.out, "cores        8"));
    ck_assert_msg(tu_count_lines(r.err) == 1 && strstr(r.err, "oversubscribed"), "said: %s",
                  r.err);
    tu_result_release(&r);
}
END_TEST

START_TEST(topo_plans_for_a_machine_in_an_xml_file)
{
    char *dir = tu_tmpdir(), *xml = tu_path(dir, "machine.xml"), var[512];
    const char *env[] = {var, NULL};
    const char *args[] = {"-w", "2", "-p", "spread", "--csv", NULL};
    hwloc_topology_t t;
    struct proc_result r;

    ck_assert_int_eq(hwloc_topology_init(&t), 0);
    ck_assert_int_eq(hwloc_topology_set_synthetic(t, "pack:2 numa:2 l3:1 core:4 pu:1"), 0);
    ck_assert_int_eq(hwloc_topology_load(t), 0);
    ck_assert_int_eq(hwloc_topology_export_xml(t, xml, 0), 0);
    hwloc_topology_destroy(t);
    snprintf(var, sizeof var, "HWLOC_XMLFILE=%s", xml);

    tu_run_env(&r, env, "parlab-topo", args);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    ck_assert_str_eq(r.out, "worker,pu,core,package,numa\n0,0,0,0,0\n1,8,8,1,2\n");
    tu_result_release(&r);

    snprintf(var, sizeof var, "HWLOC_XMLFILE=%s/missing.xml", dir);
    tu_run_env(&r, env, "parlab-topo", args);
    ck_assert_int_eq(r.status, 1);
    ck_assert_msg(strstr(r.err, "missing.xml") && strstr(r.err, "No such file"), "said: %s",
                  r.err);
    tu_result_release(&r);
    free(xml);
    tu_rmrf(dir);
}
END_TEST

START_TEST(topo_refuses_a_description_hwloc_cannot_read)
{
    const char *env[] = {"HWLOC_SYNTHETIC=pack:2 frobs:3", NULL};
    const char *args[] = {"-w", "1", NULL};
    struct proc_result r;

    tu_run_env(&r, env, "parlab-topo", args); /* hwloc alone would show this machine */
    ck_assert_int_eq(r.status, 1);
    ck_assert_msg(tu_count_lines(r.err) == 1 && strstr(r.err, "HWLOC_SYNTHETIC='pack:2 frobs:3'"),
                  "said: %s", r.err);
    ck_assert_str_eq(r.out, "");
    tu_result_release(&r);
}
END_TEST

START_TEST(topo_refuses_bad_values)
{
    static const char *const bad[][2] = {{"-w", "0"},      {"-w", "x"},     {"-p", "foo"},
                                         {"-p", "pus:9999"}, {"--workers", ""}, {"-p", "pus:2-1"}};

    for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
        const char *args[] = {bad[b][0], bad[b][1], NULL};
        struct proc_result r;

        tu_run(&r, "parlab-topo", args);
        ck_assert_msg(r.status == 2 && tu_count_lines(r.err) == 1, "%s '%s': exit %d, said %s",
                      bad[b][0], bad[b][1], r.status, r.err);
        ck_assert_str_eq(r.out, "");
        tu_result_release(&r);
    }
}
END_TEST

static Suite *pinning_suite(void)
{
    Suite *s = suite_create("pinning");
    TCase *tc = tcase_create("pinning");

    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, jobs_run_on_the_pu_they_were_planned_for, 0, (int)NPROGRAMS);
    tcase_add_test(tc, unpinned_jobs_have_no_planned_pu);
    tcase_add_loop_test(tc, a_refused_binding_is_one_warning_and_the_run_goes_on, 0,
                        (int)NPROGRAMS);
    tcase_add_test(tc, bad_policies_exit_2_and_write_nothing);
    tcase_add_test(tc, a_taskset_mask_is_respected);
    tcase_add_test(tc, libgomp_binding_is_left_alone_or_overruled_and_said_so);
    tcase_add_test(tc, runners_ignore_a_described_machine);
    tcase_add_loop_test(tc, runners_ignore_hwloc_thissystem_0, 0, (int)NPROGRAMS);
    tcase_add_test(tc, a_pu_outside_libgomp_s_places_names_the_variable);
    tcase_add_test(tc, verbose_prints_where_every_job_ran);
    tcase_add_test(tc, topo_describes_this_machine);
    tcase_add_test(tc, topo_plans_for_a_synthetic_machine);
    tcase_add_test(tc, topo_plans_for_a_machine_in_an_xml_file);
    tcase_add_test(tc, topo_refuses_a_description_hwloc_cannot_read);
    tcase_add_test(tc, topo_refuses_bad_values);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(pinning_suite());
}
