/*
 * check_plan.c - resolving options into a plan (plan.c): the kernel's size, steps and
 * expected result worked out by hand, calibration that brackets its target, the time
 * estimate by Amdahl's law, placements, payload buffers shared only where data
 * crosses a process boundary, refusals, and the configuration as printed.
 */
#include <check.h>
#include <math.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parlab/cli.h"
#include "parlab/kernel.h"
#include "parlab/plan.h"

#include "testutil.h"

static int no_jobs(struct run *run)
{
    (void)run;
    return 0;
}

/* Two made-up backends: workers that share memory and a lock, and workers that are
 * processes with data crossing to them. */
static const struct backend sharing_backend = {
    .name = "parlab-sharing", .workers_are = "sharers", .worker = WORKER_THREAD,
    .max_workers = 1024, .shares_memory = true,
};
static const struct backend crossing_backend = {
    .name = "parlab-crossing", .workers_are = "crossers", .worker = WORKER_PROCESS,
    .max_workers = 1024, .data_crosses = true,
};
static const struct program sharing = {
    .backend = &sharing_backend, .summary = "s", .details = "d", .run_jobs = no_jobs,
};
static const struct program crossing = {
    .backend = &crossing_backend, .summary = "s", .details = "d", .run_jobs = no_jobs,
};

/* Parses the NULL-terminated words as prog's command line and plans it. */
static enum plan_result plan_for(const struct program *prog, struct plan *plan, char *msg,
                                 size_t msglen, const char *const *words)
{
    char *argv[32];
    int argc = 0;
    struct options opt;

    argv[argc++] = (char *)prog->backend->name;
    while (*words)
        argv[argc++] = (char *)*words++;
    argv[argc] = NULL;
    ck_assert_msg(cli_parse(&opt, prog, argc, argv, msg, msglen) == CLI_RUN, "%s", msg);
    return plan_init(plan, prog, &opt, msg, msglen);
}

#define PLAN(prog, plan, msg, ...)                                                       \
    plan_for(prog, plan, msg, sizeof msg, (const char *const[]){__VA_ARGS__, NULL})

/* The first PU this process may use. */
static int first_usable_pu(void)
{
    cpu_set_t set;

    ck_assert_int_eq(sched_getaffinity(0, sizeof set, &set), 0);
    for (int pu = 0; pu < CPU_SETSIZE; pu++)
        if (CPU_ISSET(pu, &set))
            return pu;
    ck_abort_msg("no usable PU");
    return -1;
}

START_TEST(the_plan_takes_the_options_and_works_out_the_kernel)
{
    struct plan plan;
    char msg[256], host[PLAN_HOST_LEN];

    ck_assert_int_eq(PLAN(&sharing, &plan, msg, "-n", "6", "-j", "5", "-w", "2", "-r", "4",
                          "-l", "held", "-q"),
                     PLAN_OK);
    ck_assert_uint_eq(plan.size, 6);
    ck_assert_uint_eq(plan.steps, 15); /* C(6,4) */
    /* sqrt(i + 4) counted C(5 - i, 3) times: 10 x 2 + 4 x sqrt(5) + 1 x sqrt(6) */
    ck_assert_double_eq_tol(plan.expected, 20 + 4 * sqrt(5) + sqrt(6), 1e-12);
    ck_assert_uint_eq(plan.jobs, 5);
    ck_assert_uint_eq(plan.workers, 2);
    ck_assert_uint_eq(plan.reps, 4);
    ck_assert_str_eq(plan.lock.name, "held");
    ck_assert(plan.quiet && !plan.calibrated);
    ck_assert_double_gt(plan.ns_per_step, 0);
    ck_assert_int_eq(plan.placement[0], -1); /* --pin none */
    ck_assert_int_eq(plan.placement[1], -1);
    ck_assert(!plan.shared);
    ck_assert_ptr_null(plan.buffers); /* no payload */
    ck_assert_double_eq(plan.timeout, 0);
    ck_assert_double_eq(plan.switch_interval, 0);
    ck_assert_int_eq(plan.pus, tu_usable_cpus());
    ck_assert(plan.topo.real);
    ck_assert_int_eq(plan.pid, (long)getpid());
    ck_assert_int_eq(gethostname(host, sizeof host), 0);
    ck_assert_str_eq(plan.host, host);
    ck_assert_str_ne(plan.stamp, "");
    plan_release(&plan);
}
END_TEST

START_TEST(a_calibrated_size_brackets_the_seconds_asked_for)
{
    struct plan plan;
    char msg[256];
    double target;

    ck_assert_int_eq(PLAN(&sharing, &plan, msg, "-t", "0.01", "-q"), PLAN_OK);
    ck_assert(plan.calibrated);
    ck_assert_double_eq(plan.job_seconds, 0.01);
    ck_assert_uint_gt(plan.size, 4);
    ck_assert_uint_eq(plan.steps, kernel_steps(plan.size));
    ck_assert_double_eq(plan.expected, kernel_closed_form(plan.size));
    /* the steps 0.01 s take at the measured rate lie between C(n-1,4) and C(n+1,4) */
    target = 0.01 * 1e9 / plan.ns_per_step;
    ck_assert_msg((double)kernel_steps(plan.size - 1) < target &&
                      target <= (double)kernel_steps(plan.size + 1),
                  "n = %llu for %.0f steps", (unsigned long long)plan.size, target);
    plan_release(&plan);
}
END_TEST

/* The estimate of a plan: every counted run of every job, and the warm-up's job per
 * worker of its own size, at `at_once` jobs at a time. */
static double estimate_for(const struct plan *plan, double at_once)
{
    double job = (double)plan->steps * plan->ns_per_step * 1e-9;
    double warm = (double)kernel_steps(plan->warmup_size) * plan->ns_per_step * 1e-9;

    return (plan->reps * plan->jobs * job + plan->warmup_jobs * warm) / at_once;
}

START_TEST(the_estimate_follows_amdahls_law)
{
    static const struct {
        const struct program *prog;
        const char *lock;
        double serial; /* the share that runs one job at a time */
    } cases[] = {
        {&sharing, "none", 0},   {&sharing, "held", 1},  {&sharing, "fraction:0.5", 0.5},
        {&crossing, "held", 0}, /* each process has its own lock */
    };

    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        struct plan plan;
        char msg[256];
        double places, at_once;

        ck_assert_int_eq(PLAN(cases[k].prog, &plan, msg, "-n", "40", "-j", "6", "-w", "2",
                              "-r", "2", "-l", cases[k].lock),
                         PLAN_OK);
        places = plan.pus < 2 ? plan.pus : 2;
        at_once = 1 / (cases[k].serial + (1 - cases[k].serial) / places);
        ck_assert_msg(fabs(plan.estimate_s - estimate_for(&plan, at_once)) <=
                          1e-9 * plan.estimate_s,
                      "%s, lock %s: %g s, not %g s", cases[k].prog->backend->name,
                      cases[k].lock, plan.estimate_s, estimate_for(&plan, at_once));
        plan_release(&plan);
    }
}
END_TEST

START_TEST(a_run_of_over_an_hour_is_refused_without_yes)
{
    struct plan plan;
    char msg[256];

    ck_assert_int_eq(PLAN(&sharing, &plan, msg, "-n", "145056", "-j", "1000", "-r", "2"),
                     PLAN_REFUSED);
    ck_assert_msg(strstr(msg, "--yes") && tu_has_number(msg, 2) && tu_has_number(msg, 1000),
                  "said: %s", msg);
    ck_assert_int_eq(PLAN(&sharing, &plan, msg, "-n", "145056", "-j", "1000", "-r", "2",
                          "--yes"),
                     PLAN_OK);
    ck_assert_double_gt(plan.estimate_s, CLI_ASK_ABOVE_SECONDS);
    plan_release(&plan);
}
END_TEST

START_TEST(workers_are_placed_as_the_policy_says)
{
    struct plan plan;
    char msg[256], list[32], workers[16], more[16];
    int pu = first_usable_pu(), pus = tu_usable_cpus();

    snprintf(list, sizeof list, "pus:%d", pu);
    ck_assert_int_eq(PLAN(&sharing, &plan, msg, "-n", "6", "-w", "3", "-p", list), PLAN_OK);
    for (int w = 0; w < 3; w++)
        ck_assert_int_eq(plan.placement[w], pu);
    ck_assert(plan.shared);
    plan_release(&plan);

    snprintf(workers, sizeof workers, "%d", pus);
    ck_assert_int_eq(PLAN(&sharing, &plan, msg, "-n", "6", "-w", workers, "-p", "close"),
                     PLAN_OK);
    ck_assert(!plan.shared); /* one worker per usable PU */
    for (int w = 0; w < pus; w++)
        ck_assert_int_ge(plan.placement[w], 0);
    plan_release(&plan);

    snprintf(more, sizeof more, "%d", pus + 1);
    ck_assert_int_eq(PLAN(&sharing, &plan, msg, "-n", "6", "-w", more, "-p", "close"), PLAN_OK);
    ck_assert(plan.shared); /* one more than the places: the first is used again */
    ck_assert_int_eq(plan.placement[pus], plan.placement[0]);
    plan_release(&plan);

    ck_assert_int_eq(PLAN(&sharing, &plan, msg, "-n", "6", "-p", "pus:65535"), PLAN_REFUSED);
    ck_assert_msg(tu_has_number(msg, 65535), "said: %s", msg);
}
END_TEST

START_TEST(payload_buffers_are_shared_only_for_shm)
{
    static const struct {
        const struct program *prog;
        const char *transport; /* NULL: the default */
        bool shared;           /* the workers' buffers */
    } cases[] = {
        {&crossing, "shm", true}, {&crossing, "pipe", false}, {&crossing, NULL, false},
        {&sharing, NULL, false}, /* threads share the process's memory anyway */
    };

    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const char *t = cases[k].transport;
        struct plan plan;
        char msg[256];

        ck_assert_int_eq(PLAN(cases[k].prog, &plan, msg, "-n", "6", "-w", "2", "--payload",
                              "4K", t ? "--transport" : NULL, t),
                         PLAN_OK);
        ck_assert_uint_eq(plan.payload, 4096);
        ck_assert_double_gt(plan.memcpy_bandwidth, 0);
        for (unsigned w = 0; w <= 2; w++) { /* one pair per worker, then the parent's */
            ck_assert(plan.buffers[w].in && plan.buffers[w].out &&
                      plan.buffers[w].in != plan.buffers[w].out);
            ck_assert_msg(tu_shared_with_child(plan.buffers[w].in) == (cases[k].shared && w < 2),
                          "%s, transport %s, buffer %u", cases[k].prog->backend->name,
                          t ? t : "default", w);
        }
        plan_release(&plan);
    }
}
END_TEST

START_TEST(a_described_machine_is_ignored_and_named)
{
    struct plan plan;
    char msg[256];

    setenv("HWLOC_SYNTHETIC", "pack:4 pu:1", 1);
    ck_assert_int_eq(PLAN(&sharing, &plan, msg, "-n", "6"), PLAN_OK);
    ck_assert_ptr_nonnull(strstr(plan.ignored_env, "HWLOC_SYNTHETIC"));
    ck_assert_ptr_null(getenv("HWLOC_SYNTHETIC"));
    ck_assert(plan.topo.real);
    ck_assert_int_eq(plan.pus, tu_usable_cpus());
    plan_release(&plan);
    ck_assert_int_eq(PLAN(&sharing, &plan, msg, "-n", "6"), PLAN_OK);
    ck_assert_str_eq(plan.ignored_env, "");
    plan_release(&plan);
}
END_TEST

START_TEST(the_printed_configuration_has_the_plans_numbers)
{
    struct plan plan;
    struct tu_text out;
    char msg[256], line[256], *text;
    double nums[8];

    ck_assert_int_eq(PLAN(&sharing, &plan, msg, "-n", "6", "-j", "5", "-w", "2", "-l", "held",
                          "--runs-csv", "r.csv", "--timeout", "2.5"),
                     PLAN_OK);
    plan_print(&plan, tu_text_open(&out));
    text = tu_text_close(&out);
    ck_assert(tu_line(text, "parlab-sharing", line, sizeof line)); /* the headline */
    ck_assert_msg(strncmp(text, line, strlen(line)) == 0 && tu_has_number(line, 5) &&
                      tu_has_number(line, 6) && tu_has_number(line, 2) &&
                      tu_mentions(line, "sharers", "held", "none", NULL),
                  "%s", text);
    ck_assert(tu_line(text, "C(", line, sizeof line));
    ck_assert_uint_eq(tu_numbers(line, nums, 8), 3);
    ck_assert(nums[0] == 6 && nums[1] == 4 && nums[2] == 15);
    ck_assert_msg(tu_mentions(text, "r.csv", NULL) && tu_has_number(text, 2.5), "%s", text);
    free(text);
    plan.quiet = true;
    plan_print(&plan, tu_text_open(&out));
    text = tu_text_close(&out);
    ck_assert_uint_eq(tu_count_lines(text), 1); /* the headline only */
    free(text);
    plan_release(&plan);

    ck_assert_int_eq(PLAN(&sharing, &plan, msg, "-t", "0.01"), PLAN_OK);
    plan_print(&plan, tu_text_open(&out));
    text = tu_text_close(&out);
    ck_assert_msg(tu_number_after(text, "-n") == (double)plan.size, "%s", text);
    free(text);
    plan_release(&plan);
}
END_TEST

START_TEST(the_switch_interval_and_the_timeout_are_in_seconds)
{
    struct plan plan;
    char msg[256];

    ck_assert_int_eq(PLAN(&sharing, &plan, msg, "-n", "6", "-l", "held", "--switch-interval",
                          "5", "--timeout", "2.5"),
                     PLAN_OK);
    ck_assert_double_eq_tol(plan.switch_interval, 0.005, 1e-15);
    ck_assert_double_eq(plan.timeout, 2.5);
    plan_release(&plan);
}
END_TEST

/* --sizes gives job k its own n, from a ramp (rounded, halves up, either way) or a list
 * that repeats; the plan's size is the largest, its steps those of every job, and
 * each job's expected result the closed form of its own n. */
START_TEST(each_job_gets_its_own_size_from_sizes)
{
    static const struct {
        const char *spec, *jobs;
        unsigned n[6];
    } cases[] = {
        {"ramp:10-40", "4", {10, 20, 30, 40}},
        {"ramp:40-10", "4", {40, 30, 20, 10}}, /* largest first */
        {"ramp:10-13", "3", {10, 12, 13}},     /* 11.5 rounds up */
        {"ramp:13-10", "3", {13, 12, 10}},
        {"ramp:7-9", "1", {7}},
        {"list:8,5", "5", {8, 5, 8, 5, 8}},
        {"list:0,3,145", "3", {0, 3, 145}},
    };

    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        struct plan plan;
        char msg[256];
        unsigned jobs = (unsigned)atoi(cases[c].jobs);
        uint64_t most = 0, least = KERNEL_MAX_SIZE;
        double steps = 0;

        ck_assert_int_eq(PLAN(&sharing, &plan, msg, "--sizes", cases[c].spec, "-j",
                              cases[c].jobs, "-q"),
                         PLAN_OK);
        ck_assert_str_eq(plan.sizes, cases[c].spec);
        ck_assert(!plan.calibrated);
        for (unsigned k = 0; k < jobs; k++) {
            uint64_t n = cases[c].n[k];

            ck_assert_msg(plan_job_size(&plan, k) == n, "%s: job %u has n = %llu, not %llu",
                          cases[c].spec, k, (unsigned long long)plan_job_size(&plan, k),
                          (unsigned long long)n);
            ck_assert_uint_eq(plan_job_steps(&plan, k), kernel_steps(n));
            ck_assert_double_eq(plan_job_expected(&plan, k), kernel_closed_form(n));
            most = n > most ? n : most;
            least = n < least ? n : least;
            steps += (double)kernel_steps(n);
        }
        ck_assert_uint_eq(plan.size, most);
        ck_assert_uint_eq(plan.min_size, least);
        ck_assert_uint_eq(plan.steps, kernel_steps(most));
        ck_assert_double_eq(plan.total_steps, steps);
        plan_release(&plan);
    }
}
END_TEST

/* The estimate and the configuration count the steps of every job, each its own. */
START_TEST(unequal_jobs_are_estimated_and_printed_with_their_sizes)
{
    struct plan plan;
    struct tu_text out;
    char msg[256], line[512], *text;
    double warm, places;

    ck_assert_int_eq(PLAN(&sharing, &plan, msg, "--sizes", "ramp:20-60", "-j", "5", "-w", "1",
                          "-r", "2"),
                     PLAN_OK);
    /* 20, 30, 40, 50, 60 */
    ck_assert_double_eq(plan.total_steps, 4845 + 27405 + 91390 + 230300 + 487635);
    warm = (double)kernel_steps(plan.warmup_size) * plan.ns_per_step * 1e-9;
    places = 1;
    ck_assert_double_eq_tol(plan.estimate_s,
                            (2 * plan.total_steps * plan.ns_per_step * 1e-9 + warm) / places,
                            1e-9 * plan.estimate_s);
    plan_print(&plan, tu_text_open(&out));
    text = tu_text_close(&out);
    ck_assert(tu_line(text, "parlab-sharing", line, sizeof line)); /* the headline */
    ck_assert_msg(tu_mentions(line, "--sizes ramp:20-60", NULL) && tu_has_number(line, 20) &&
                      tu_has_number(line, 60),
                  "%s", text);
    ck_assert(tu_line(text, "kernel", line, sizeof line));
    ck_assert_msg(tu_mentions(line, " 20 30 40 50 60", NULL), "%s", text);
    ck_assert_msg(tu_has_number(text, plan.total_steps), "%s", text);
    free(text);
    plan_release(&plan);
}
END_TEST

static Suite *plan_suite(void)
{
    Suite *s = suite_create("plan");
    TCase *tc = tcase_create("plan");

    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, the_plan_takes_the_options_and_works_out_the_kernel);
    tcase_add_test(tc, a_calibrated_size_brackets_the_seconds_asked_for);
    tcase_add_test(tc, the_estimate_follows_amdahls_law);
    tcase_add_test(tc, a_run_of_over_an_hour_is_refused_without_yes);
    tcase_add_test(tc, workers_are_placed_as_the_policy_says);
    tcase_add_test(tc, payload_buffers_are_shared_only_for_shm);
    tcase_add_test(tc, a_described_machine_is_ignored_and_named);
    tcase_add_test(tc, the_printed_configuration_has_the_plans_numbers);
    tcase_add_test(tc, the_switch_interval_and_the_timeout_are_in_seconds);
    tcase_add_test(tc, each_job_gets_its_own_size_from_sizes);
    tcase_add_test(tc, unequal_jobs_are_estimated_and_printed_with_their_sizes);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(plan_suite());
}
