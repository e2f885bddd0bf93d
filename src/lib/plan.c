/*
 * plan.c - resolving the options into what will run, and saying so.
 */
#include "parlab/plan.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parlab/clock.h"
#include "parlab/kernel.h"
#include "parlab/pin.h"
#include "parlab/topo.h"

/* The n whose steps measure the kernel's rate when n is given: C(56,4) = 367290
 * steps, about a millisecond (the rate per step hardly depends on n). */
#define PLAN_RATE_SIZE 56

/* Seconds for the warm-up and the counted runs: the jobs' steps at the measured rate,
 * shared among the PUs that can run them at once (the warm-up's few jobs are costed
 * as if they shared them too: an estimate). */
static double estimate(const struct plan *plan)
{
    double job = (double)plan->steps * plan->ns_per_step * 1e-9;
    double warm = (double)kernel_steps(plan->warmup_size) * plan->ns_per_step * 1e-9;
    double at_once = plan->workers < (unsigned)plan->pus ? plan->workers : (double)plan->pus;

    if (plan->prog->backend->shares_memory) /* one lock for all: Amdahl */
        at_once = 1.0 / (plan->lock.fraction + (1.0 - plan->lock.fraction) / at_once);
    return ((double)plan->reps * plan->jobs * job + plan->warmup_jobs * warm) /
           (at_once > 0 ? at_once : 1);
}


/* The warm-up's kernel size: the smallest n whose jobs take PLAN_WARMUP_JOB_SECONDS at
 * the measured rate, or the plan's own n when its jobs are shorter. */
static uint64_t warmup_size(const struct plan *plan)
{
    double steps = PLAN_WARMUP_JOB_SECONDS * 1e9 / plan->ns_per_step;
    uint64_t n = 0;

    while (n < plan->size && (double)kernel_steps(n) < steps)
        n++;
    return n;
}

/* A pair of payload buffers for every worker and one for the parent: shared memory
 * for parlab-procs with --transport shm, private (each child gets its own copy of
 * the mapping) otherwise.  Untouched, they take no memory until used. */
static int alloc_buffers(struct plan *plan)
{
    bool shared = plan->prog->backend->data_crosses && plan->transport == TRANSPORT_SHM;

    plan->buffers = calloc(plan->workers + 1, sizeof *plan->buffers);
    if (plan->buffers == NULL)
        return -1;
    for (unsigned w = 0; w <= plan->workers; w++) {
        plan->buffers[w].in = payload_alloc(plan->payload, shared && w < plan->workers);
        plan->buffers[w].out = payload_alloc(plan->payload, shared && w < plan->workers);
        if (plan->buffers[w].in == NULL || plan->buffers[w].out == NULL)
            return -1;
    }
    return 0;
}

enum plan_result plan_init(struct plan *plan, const struct program *prog,
                           struct options *opt, char *msg, size_t msglen)
{
    const char *outer, *places;

    memset(plan, 0, sizeof *plan);
    plan->prog = prog;
    plan->jobs = opt->jobs;
    plan->workers = opt->workers;
    plan->workers_from = opt->workers_from;
    plan->reps = opt->reps;
    plan->warmup_jobs = opt->jobs < opt->workers ? opt->jobs : opt->workers;
    plan->lock = opt->lock;
    plan->pin = opt->pin;
    pin_policy_init(&opt->pin); /* the plan owns the list now */
    plan->runs_csv = opt->runs_csv;
    plan->jobs_csv = opt->jobs_csv;
    plan->quiet = opt->quiet;
    plan->verbose = opt->verbose;

    outer = prog->outer_binding ? prog->outer_binding() : NULL;
    snprintf(plan->outer_binding, sizeof plan->outer_binding, "%s", outer ? outer : "");
    places = outer && prog->outer_pus ? prog->outer_pus() : NULL;
    if (topo_load_this_machine(&plan->topo, places, plan->ignored_env,
                               sizeof plan->ignored_env) != 0) {
        if (errno != ENOTSUP)
            goto failed;
        snprintf(msg, msglen,
                 "cannot place the workers: hwloc says the topology it loaded is not this "
                 "machine's, so it cannot bind (is HWLOC_COMPONENTS set?)");
        plan_release(plan);
        return PLAN_NOT_THIS_MACHINE;
    }
    if (places != NULL) /* the runtime's places, in place of the process's binding */
        snprintf(plan->topo.usable_by, sizeof plan->topo.usable_by,
                 "%s binds the threads to", outer);
    plan->pus = topo_usable_pus(&plan->topo);
    plan->cores = topo_usable_cores(&plan->topo);
    plan->placement = malloc(plan->workers * sizeof *plan->placement);
    if (plan->placement == NULL)
        goto failed;
    if (pin_plan(&plan->topo, &plan->pin, plan->workers, plan->placement, msg, msglen) != 0) {
        plan_release(plan);
        return PLAN_REFUSED;
    }
    plan->shared = pin_shared(plan->placement, plan->workers);

    /* The rate is measured even when n is given: it tells how long the runs will take. */
    if (opt->size_given) {
        /* The rate when n is given, for the estimate and the warm-up's size only:
         * a millisecond's measure instead of kernel_calibrate()'s search for an n (some
         * 50 ms, at every start of every case of make run-all). */
        if (kernel_ns_per_step(PLAN_RATE_SIZE, &plan->ns_per_step) != 0)
            goto failed;
        plan->size = opt->size;
    } else {
        struct kernel_calibration cal;

        if (kernel_calibrate(opt->job_seconds, &cal) != 0)
            goto failed;
        plan->ns_per_step = cal.ns_per_step;
        plan->size = cal.size;
        plan->calibrated = true;
        plan->job_seconds = opt->job_seconds;
    }
    plan->steps = kernel_steps(plan->size);
    plan->warmup_size = warmup_size(plan);
    plan->expected = kernel_closed_form(plan->size);
    plan->timeout = opt->timeout;
    plan->switch_interval = opt->switch_ms / 1e3;
    plan->payload = opt->payload;
    plan->transport = opt->transport;
    if (plan->payload > 0 && alloc_buffers(plan) != 0) {
        char size[32];

        payload_name(plan->payload, size, sizeof size);
        snprintf(msg, msglen, "cannot allocate the payload: 2 x %s for each of %u workers: %s",
                 size, plan->workers, strerror(errno));
        plan_release(plan);
        return PLAN_NO_MEMORY;
    }
    if (plan->payload > 0)
        plan->memcpy_bandwidth = payload_memcpy_bandwidth(plan->payload);
    plan->slices_csv = opt->slices_csv;
    lock_set_switch_interval(plan->switch_interval);
    plan->estimate_s = estimate(plan);
    if (plan->estimate_s > CLI_ASK_ABOVE_SECONDS && !opt->yes) {
        snprintf(msg, msglen,
                 "this would take about %.1f hours (%u runs of %u jobs of %.0f s each); add "
                 "--yes to start it anyway",
                 plan->estimate_s / 3600, plan->reps, plan->jobs,
                 (double)plan->steps * plan->ns_per_step * 1e-9);
        plan_release(plan);
        return PLAN_REFUSED;
    }

    if (gethostname(plan->host, sizeof plan->host) != 0)
        goto failed;
    plan->host[sizeof plan->host - 1] = '\0';
    plan->pid = (long)getpid();
    clock_utc_iso8601(plan->stamp, sizeof plan->stamp, 1);
    return PLAN_OK;

failed: {
    int saved = errno;
    plan_release(plan);
    errno = saved;
    return PLAN_FAILED;
}
}

void plan_release(struct plan *plan)
{
    for (unsigned w = 0; plan->buffers != NULL && w <= plan->workers; w++) {
        payload_free(plan->buffers[w].in, plan->payload);
        payload_free(plan->buffers[w].out, plan->payload);
    }
    free(plan->buffers);
    plan->buffers = NULL;
    free(plan->placement);
    plan->placement = NULL;
    pin_release(&plan->pin);
    topo_release(&plan->topo);
}

void plan_print(const struct plan *plan, FILE *out)
{
    const struct program *prog = plan->prog;

    /* where W came from, when it was not -w and the program could run more than one */
    const char *from = plan->workers_from == NULL || strcmp(plan->workers_from, "-w") == 0 ||
                               prog->backend->max_workers == 1
                           ? ""
                       : strcmp(plan->workers_from, "OMP_NUM_THREADS") == 0
                           ? " (from OMP_NUM_THREADS)"
                           : " (the default)";

    fprintf(out, "%s %s: %u jobs of wait_loop(n = %llu) on %u %s%s, lock %s, pin %s\n",
            prog->backend->name, PARLAB_VERSION, plan->jobs, (unsigned long long)plan->size,
            plan->workers, prog->backend->workers_are, from, plan->lock.name, plan->pin.text);
    if (plan->quiet)
        return;
    fprintf(out, "  kernel   C(%llu,4) = %llu steps per job\n", (unsigned long long)plan->size,
            (unsigned long long)plan->steps);
    if (plan->calibrated)
        fprintf(out, "           n chosen for %g s per job at %.2f ns per step; repeat with -n %llu\n",
                plan->job_seconds, plan->ns_per_step, (unsigned long long)plan->size);
    fprintf(out, "  machine  %s, %d PU%s usable\n", plan->host, plan->pus,
            plan->pus == 1 ? "" : "s");
    if (plan->pin.kind != PIN_NONE) {
        fprintf(out, "  pinning  %s: worker -> PU", plan->pin.text);
        for (unsigned w = 0; w < plan->workers && w < 16; w++)
            fprintf(out, " %u->%d", w, plan->placement[w]);
        fprintf(out, "%s\n", plan->workers > 16 ? " ..." : "");
    } else if (plan->outer_binding[0] != '\0') {
        fprintf(out, "  pinning  none by parlab; bound by %s\n", plan->outer_binding);
    }
    fprintf(out,
            "  reps     1 warm-up (%u job%s of n = %llu) + %u counted; median, min and max "
            "reported; about ",
            plan->warmup_jobs, plan->warmup_jobs == 1 ? "" : "s",
            (unsigned long long)plan->warmup_size, plan->reps);
    if (plan->estimate_s < 60)
        fprintf(out, "%.0f s", plan->estimate_s < 1 ? 1 : plan->estimate_s);
    else
        fprintf(out, "%.0f min", plan->estimate_s / 60);
    fprintf(out, " in all\n");
    if (plan->timeout > 0)
        fprintf(out, "  timeout  %g s per run\n", plan->timeout);
    if (plan->switch_interval > 0)
        fprintf(out, "  switch   the lock's holder hands it over every %g ms when a worker "
                     "waits\n",
                plan->switch_interval * 1e3);
    if (plan->payload > 0) {
        char size[32];

        payload_name(plan->payload, size, sizeof size);
        fprintf(out, "  payload  %s in and %s out of every job, %s; memcpy here: %.1f GB/s\n",
                size, size,
                !plan->prog->backend->data_crosses ? "shared in memory"
                : plan->transport == TRANSPORT_PIPE ? "copied through pipes"
                                                    : "in shared memory",
                plan->memcpy_bandwidth / 1e9);
    }
    if (plan->runs_csv || plan->jobs_csv)
        fprintf(out, "  csv      runs -> %s, jobs -> %s\n",
                plan->runs_csv ? plan->runs_csv : "(none)",
                plan->jobs_csv ? plan->jobs_csv : "(none)");
}
