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
#include "parlab/limits.h"
#include "parlab/pin.h"
#include "parlab/sizes.h"
#include "parlab/topo.h"

/* The n whose steps measure the kernel's rate when n is given: C(56,4) = 367290
 * steps, about a millisecond (the rate per step hardly depends on n). */
#define PLAN_RATE_SIZE 56

/* Seconds for the warm-up and the counted runs: the jobs' steps at the measured rate,
 * shared among the PUs that can run them at once (the warm-up's few jobs are costed
 * as if they shared them too: an estimate). */
static double estimate(const struct plan *plan)
{
    double run = plan->total_steps * plan->ns_per_step * 1e-9;
    double warm = (double)kernel_steps(plan->warmup_size) * plan->ns_per_step * 1e-9;
    double at_once = plan->workers < (unsigned)plan->pus ? plan->workers : (double)plan->pus;

    if (plan->prog->backend->shares_memory) /* one lock for all: Amdahl */
        at_once = 1.0 / (plan->lock.fraction + (1.0 - plan->lock.fraction) / at_once);
    return ((double)plan->reps * run + plan->warmup_jobs * warm) / (at_once > 0 ? at_once : 1);
}

/* With --sizes: each job's n from the rule, the smallest and the largest (the plan's
 * size), and the steps of a run.  Takes over *sizes.  Returns 0, or -1 with errno. */
static int expand_sizes(struct plan *plan, struct sizes *sizes)
{
    plan->sizes = sizes->text;
    plan->job_size = malloc(plan->jobs * sizeof *plan->job_size);
    if (plan->job_size == NULL) {
        sizes_release(sizes);
        return -1;
    }
    plan->min_size = KERNEL_MAX_SIZE;
    plan->size = 0;
    plan->total_steps = 0;
    for (unsigned k = 0; k < plan->jobs; k++) {
        uint64_t n = sizes_of(sizes, k, plan->jobs);

        plan->job_size[k] = n;
        plan->min_size = n < plan->min_size ? n : plan->min_size;
        plan->size = n > plan->size ? n : plan->size;
        plan->total_steps += (double)kernel_steps(n);
    }
    sizes_release(sizes);
    return 0;
}

/* With --sizes: the closed form of each job's n, each n's computed once (a sum of n
 * terms, so never more work than the jobs' own C(n,4) steps, save for n below 12).
 * Returns 0, or -1 with errno. */
static int expect_sizes(struct plan *plan)
{
    size_t span = (size_t)(plan->size - plan->min_size) + 1;
    double *by_n = malloc(span * sizeof *by_n); /* by n - min_size */
    bool *known = calloc(span, sizeof *known);

    plan->job_expected = malloc(plan->jobs * sizeof *plan->job_expected);
    if (by_n == NULL || known == NULL || plan->job_expected == NULL) {
        free(by_n);
        free(known);
        return -1;
    }
    for (unsigned k = 0; k < plan->jobs; k++) {
        size_t at = (size_t)(plan->job_size[k] - plan->min_size);

        if (!known[at]) {
            by_n[at] = kernel_closed_form(plan->job_size[k]);
            known[at] = true;
        }
        plan->job_expected[k] = by_n[at];
    }
    free(by_n);
    free(known);
    return 0;
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

void plan_payload_memory(const struct plan *plan, struct plan_memory *m)
{
    const struct backend *b = plan->prog->backend;
    uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE), runs = (uint64_t)plan->reps * plan->jobs;
    bool shm = b->data_crosses && plan->transport == TRANSPORT_SHM;
    uint64_t busy;

    memset(m, 0, sizeof *m);
    m->pair = 2 * ((plan->payload + page - 1) / page * page); /* mmap takes whole pages */
    if (b->data_crosses) /* the parent hands jobs 0 .. W-1 to workers 0 .. W-1, and the
                          * next job only to a worker that has finished one */
        busy = plan->jobs;
    else /* any thread may take any job: in all, as many as the jobs of every run */
        busy = plan->warmup_jobs + runs;
    m->busy = busy < plan->workers ? (unsigned)busy : plan->workers;
    m->parent_pair = b->data_crosses && !shm; /* the pipe's data, in the parent */
    m->pipes = plan->prog->pipe_memory ? plan->prog->pipe_memory(plan) : 0;
    m->touched = (m->busy + (m->parent_pair ? 1u : 0u)) * m->pair + m->pipes;
    /* Every pair is mapped (alloc_buffers), and while they are, the memcpy measurement
     * maps and touches one more; it is unmapped before any buffer is touched, so it
     * adds to the address space but not to the memory taken at once. */
    m->mapped = ((uint64_t)plan->workers + 2) * m->pair;
    m->mapped_private = shm ? 2 * m->pair : m->mapped;
}

/* Descriptors held open at the same time, at most: those open now, and one temporary
 * file per CSV for its rows (csv_spool_open, kept until the commit); then, never at
 * once, the workers' (the program says: its pipes), a CSV file each at the commit,
 * and PLAN_READING_FILES for /proc and /sys (machine.c: a directory of power supplies
 * and a file in it; /proc/stat; the CSV that check_csv_targets reads). */
#define PLAN_READING_FILES 2

static uint64_t max3(uint64_t a, uint64_t b, uint64_t c)
{
    return a > b ? (a > c ? a : c) : (b > c ? b : c);
}

/* The descriptors the run needs, checked before any is opened: the soft limit raised
 * when the hard one allows it (children inherit it), else PLAN_BEYOND_LIMITS. */
static enum plan_result check_files(struct plan *plan, char *msg, size_t msglen)
{
    uint64_t csvs = (plan->runs_csv != NULL) + (plan->jobs_csv != NULL) +
                    (plan->slices_csv != NULL);
    uint64_t pipes = plan->prog->descriptors ? plan->prog->descriptors(plan) : 0;
    uint64_t soft, hard, open_now;
    char why[128];

    if (limits_files_get(&soft, &hard) != 0)
        return PLAN_FAILED;
    plan->files_needed = limits_files_needed(csvs + max3(pipes, csvs, PLAN_READING_FILES),
                                             &open_now);
    switch (limits_files_choose(plan->files_needed, soft, hard)) {
    case LIMITS_FILES_ENOUGH:
        return PLAN_OK;
    case LIMITS_FILES_RAISE:
        if (limits_files_raise(plan->files_needed) == 0) {
            plan->files_raised_from = soft;
            return PLAN_OK;
        }
        /* setrlimit() would not: refused all the same, with its reason */
        snprintf(why, sizeof why, "raising it to %llu failed: %s",
                 (unsigned long long)plan->files_needed, strerror(errno));
        break;
    case LIMITS_FILES_SHORT:
        snprintf(why, sizeof why, "%llu missing",
                 (unsigned long long)(plan->files_needed - soft));
        break;
    }
    {
        bool say_pipes = pipes > 0 && pipes >= csvs && pipes >= PLAN_READING_FILES;
        uint64_t rest = plan->files_needed - open_now - (say_pipes ? pipes : 0);
        char workers[64] = "", others[64] = "";

        if (say_pipes)
            snprintf(workers, sizeof workers, "%llu for the workers' pipes, ",
                     (unsigned long long)pipes);
        if (rest > 0)
            snprintf(others, sizeof others, ", %llu for the CSV files and for reading /proc",
                     (unsigned long long)rest);
        snprintf(msg, msglen,
                 "the run on %u %s needs %llu open files at once (%s%llu open already%s), but "
                 "the limit is %llu (ulimit -n, and the hard limit %llu): %s; %s",
                 plan->workers, plan->prog->backend->workers_are,
                 (unsigned long long)plan->files_needed, workers, (unsigned long long)open_now,
                 others, (unsigned long long)soft, (unsigned long long)hard, why,
                 say_pipes ? "use fewer workers or raise the limit" : "raise the limit");
    }
    return PLAN_BEYOND_LIMITS;
}

/* The payload's memory, checked before any of it is mapped: what its buffers and
 * pipes take at once against the memory available (the machine's, the cgroup's), and
 * what it maps against RLIMIT_AS and RLIMIT_DATA with what is mapped already. */
static enum plan_result check_memory(const struct plan *plan, char *msg, size_t msglen)
{
    struct plan_memory need;
    struct limits_memory avail;
    struct limits_space as, data;
    char size[32], total[32], left[32], limit[32], used[32], pipes[64] = "";
    const char *workers = plan->prog->backend->workers_are;
    const bool on_ranks = plan->prog->backend->worker == WORKER_RANK; /* rank 0 is the parent */

    if (plan->payload == 0)
        return PLAN_OK;
    plan_payload_memory(plan, &need);
    payload_name(plan->payload, size, sizeof size);
    limits_memory_available(&avail);
    if (need.touched > avail.available) {
        limits_name_bytes(need.touched, total, sizeof total);
        limits_name_bytes(avail.available, left, sizeof left);
        if (need.pipes > 0) {
            limits_name_bytes(need.pipes, used, sizeof used);
            snprintf(pipes, sizeof pipes, ", %s in the pipes", used);
        }
        snprintf(msg, msglen,
                 "--payload %s on %u %s needs %s of memory (2 x %s for each of the %u workers "
                 "that take a job%s%s%s%s), but %s is available (%s); use a smaller payload or "
                 "fewer workers",
                 size, plan->workers, workers, total, size, need.busy,
                 need.parent_pair ? ", 2 x " : "", need.parent_pair ? size : "",
                 !need.parent_pair ? ""
                 : on_ranks        ? " for rank 0's copies"
                                   : " for the parent's copies",
                 pipes, left, avail.source);
        return PLAN_BEYOND_LIMITS;
    }
    if (limits_address_space(&as) != 0 || limits_data_space(&data) != 0)
        return PLAN_FAILED;
    for (int k = 0; k < 2; k++) {
        const struct limits_space *sp = k == 0 ? &as : &data;
        uint64_t mapped = k == 0 ? need.mapped : need.mapped_private;

        if (sp->limit == LIMITS_NONE || sp->used + mapped <= sp->limit)
            continue;
        limits_name_bytes(mapped, total, sizeof total);
        limits_name_bytes(sp->limit > sp->used ? sp->limit - sp->used : 0, left, sizeof left);
        limits_name_bytes(sp->limit, limit, sizeof limit);
        limits_name_bytes(sp->used, used, sizeof used);
        snprintf(msg, msglen,
                 "--payload %s on %u %s needs %s of %s (2 x %s %s, and 2 x %s to measure "
                 "memcpy), but %s is left of the limit of %s (ulimit %s), %s of it in use; use "
                 "a smaller payload or fewer workers",
                 size, plan->workers, workers, total,
                 k == 0 ? "address space" : "private mappings", size,
                 k == 1 && mapped != need.mapped ? "for the parent (the workers' are shared)"
                 : on_ranks                      ? "for each worker and for rank 0's copies"
                                                 : "for each worker and for the parent",
                 size, left, limit, k == 0 ? "-v" : "-d", used);
        return PLAN_BEYOND_LIMITS;
    }
    return PLAN_OK;
}

enum plan_result plan_init(struct plan *plan, const struct program *prog,
                           struct options *opt, char *msg, size_t msglen)
{
    const char *outer, *places;
    enum plan_result result;

    memset(plan, 0, sizeof *plan);
    plan->prog = prog;
    plan->jobs = opt->jobs;
    plan->workers = opt->workers;
    plan->workers_from = opt->workers_from;
    plan->reps = opt->reps;
    plan->warmup_jobs = opt->jobs < opt->workers ? opt->jobs : opt->workers;
    plan->lock = opt->lock;
    plan->kernel = opt->kernel;
    plan->kernel_isa = kernel_kind_isa(opt->kernel);
    plan->schedule = opt->schedule;
    if (prog->backend->openmp || prog->backend->schedule == NULL)
        cli_schedule_name(&plan->schedule, plan->schedule_name, sizeof plan->schedule_name);
    else
        snprintf(plan->schedule_name, sizeof plan->schedule_name, "%s",
                 prog->backend->schedule);
    plan->pin = opt->pin;
    pin_policy_init(&opt->pin); /* the plan owns the list now */
    plan->runs_csv = opt->runs_csv;
    plan->jobs_csv = opt->jobs_csv;
    plan->slices_csv = opt->slices_csv;
    plan->label = opt->label;
    plan->payload = opt->payload;
    plan->transport = opt->transport;
    plan->quiet = opt->quiet;
    plan->verbose = opt->verbose;
    if (opt->sizes.kind != SIZES_NONE && expand_sizes(plan, &opt->sizes) != 0) {
        int saved = errno;

        plan_release(plan);
        errno = saved;
        return PLAN_FAILED;
    }

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

    /* Before a second is spent calibrating, a page of payload mapped or a worker
     * started: a run that could not hold its descriptors or its payload is said now. */
    if ((result = check_files(plan, msg, msglen)) != PLAN_OK ||
        (result = check_memory(plan, msg, msglen)) != PLAN_OK) {
        if (result == PLAN_FAILED)
            goto failed;
        plan_release(plan);
        return result;
    }

    /* The rate is measured even when n is given: it tells how long the runs will take. */
    if (opt->size_given || plan->job_size != NULL) {
        /* The rate when n is given, for the estimate and the warm-up's size only:
         * a millisecond's measure instead of kernel_calibrate()'s search for an n (some
         * 50 ms, at every start of every case of make run-all). */
        if (plan->job_size == NULL)
            plan->size = opt->size;
        if (plan->kernel == KERNEL_SIMD) {
            /* simd's ns per step falls as n grows (docs/kernel.md): at n = 56 it is
             * three times its rate on large jobs.  Its calibration's two-part rate,
             * some 30 ms, taken at the largest job's n. */
            struct kernel_calibration cal;
            uint64_t steps = kernel_steps(plan->size);

            if (kernel_calibrate(plan->kernel, PLAN_WARMUP_JOB_SECONDS, &cal) != 0)
                goto failed;
            plan->ns_per_step = steps > 0 ? kernel_predict_seconds(&cal, plan->size) * 1e9 /
                                                (double)steps
                                          : cal.ns_per_step;
        } else if (kernel_ns_per_step(plan->kernel, PLAN_RATE_SIZE, &plan->ns_per_step) != 0) {
            goto failed;
        }
    } else {
        struct kernel_calibration cal;

        if (kernel_calibrate(plan->kernel, opt->job_seconds, &cal) != 0)
            goto failed;
        plan->ns_per_step = cal.ns_per_step;
        plan->size = cal.size;
        plan->calibrated = true;
        plan->job_seconds = opt->job_seconds;
    }
    plan->steps = kernel_steps(plan->size);
    if (plan->job_size == NULL) {
        plan->min_size = plan->size;
        plan->total_steps = (double)plan->steps * plan->jobs;
    }
    plan->warmup_size = warmup_size(plan);
    plan->expected = kernel_closed_form(plan->size);
    plan->timeout = opt->timeout;
    plan->switch_interval = opt->switch_ms / 1e3;
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
    lock_set_switch_interval(plan->switch_interval);
    plan->estimate_s = estimate(plan);
    if (plan->estimate_s > CLI_ASK_ABOVE_SECONDS && !opt->yes) {
        if (plan->sizes != NULL)
            snprintf(msg, msglen,
                     "this would take about %.1f hours (%u runs of %u jobs of --sizes %s, "
                     "%.0f s of kernel each run); add --yes to start it anyway",
                     plan->estimate_s / 3600, plan->reps, plan->jobs, plan->sizes,
                     plan->total_steps * plan->ns_per_step * 1e-9);
        else
            snprintf(msg, msglen,
                     "this would take about %.1f hours (%u runs of %u jobs of %.0f s each); "
                     "add --yes to start it anyway",
                     plan->estimate_s / 3600, plan->reps, plan->jobs,
                     (double)plan->steps * plan->ns_per_step * 1e-9);
        plan_release(plan);
        return PLAN_REFUSED;
    }
    if (plan->job_size != NULL && expect_sizes(plan) != 0) /* only for a run that starts */
        goto failed;

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
    free(plan->job_size);
    plan->job_size = NULL;
    free(plan->job_expected);
    plan->job_expected = NULL;
    free(plan->placement);
    plan->placement = NULL;
    pin_release(&plan->pin);
    topo_release(&plan->topo);
}

/* With --sizes: each job's n, in queue order (the first 12 and the last), and the
 * steps of a run, which the kernel's ns per step divides. */
static void print_sizes(const struct plan *plan, FILE *out)
{
    const unsigned shown = 12;

    fprintf(out, "  kernel   C(n,4) steps per job, n for jobs 0 to %u:", plan->jobs - 1);
    for (unsigned k = 0; k < plan->jobs && k < shown; k++)
        fprintf(out, " %llu", (unsigned long long)plan->job_size[k]);
    if (plan->jobs > shown)
        fprintf(out, "%s %llu", plan->jobs > shown + 1 ? " ..." : "",
                (unsigned long long)plan->job_size[plan->jobs - 1]);
    fprintf(out, "\n           %.0f steps in all per run, the largest job %llu of them\n",
            plan->total_steps, (unsigned long long)plan->steps);
}

void plan_print(const struct plan *plan, FILE *out)
{
    const struct program *prog = plan->prog;

    /* where W came from, when it was not -w and the program could run more than one */
    const char *from = plan->workers_from == NULL || strcmp(plan->workers_from, "-w") == 0 ||
                               prog->backend->max_workers == 1
                           ? ""
                       : strcmp(plan->workers_from, "default") == 0 ? " (the default)"
                                                                        : NULL;

    fprintf(out, "%s %s: %u jobs of wait_loop(", prog->backend->name, PARLAB_VERSION,
            plan->jobs);
    if (plan->sizes != NULL)
        fprintf(out, "n = %llu to %llu, --sizes %s", (unsigned long long)plan->min_size,
                (unsigned long long)plan->size, plan->sizes);
    else
        fprintf(out, "n = %llu", (unsigned long long)plan->size);
    if (prog->workers_are != NULL && prog->workers_are() != NULL)
        fprintf(out, ") on %u workers, %s", plan->workers, prog->workers_are());
    else
        fprintf(out, ") on %u %s", plan->workers,
                plan->workers == 1 && prog->backend->worker_is != NULL
                    ? prog->backend->worker_is
                    : prog->backend->workers_are);
    if (from != NULL)
        fputs(from, out);
    else /* " (from OMP_NUM_THREADS)", " (from mpirun)" */
        fprintf(out, " (from %s)", plan->workers_from);
    fprintf(out, ", lock %s, pin %s", plan->lock.name, plan->pin.text);
    if (prog->backend->openmp) /* the one choice it has, as OpenMP's clause spells it */
        fprintf(out, ", schedule(%s)", plan->schedule_name);
    if (plan->kernel == KERNEL_SIMD) /* scalar, the default, keeps the headline it had */
        fprintf(out, ", kernel simd (%s)", plan->kernel_isa);
    if (plan->label != NULL)
        fprintf(out, ", label %s", plan->label);
    fputc('\n', out);
    if (plan->quiet)
        return;
    if (plan->sizes != NULL)
        print_sizes(plan, out);
    else
        fprintf(out, "  kernel   C(%llu,4) = %llu steps per job\n",
                (unsigned long long)plan->size, (unsigned long long)plan->steps);
    if (plan->kernel == KERNEL_SIMD)
        fprintf(out, "           simd: the innermost loop vectorised, %s instructions\n",
                plan->kernel_isa);
    else
        fprintf(out, "           scalar: one square root at a time\n");
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
                : plan->prog->backend->transport_is != NULL ? plan->prog->backend->transport_is
                : plan->transport == TRANSPORT_PIPE ? "copied through pipes"
                                                    : "in shared memory",
                plan->memcpy_bandwidth / 1e9);
    }
    if (plan->verbose && plan->files_raised_from > 0)
        fprintf(out, "  files    up to %llu open at once: the soft limit (ulimit -n) raised "
                     "from %llu\n",
                (unsigned long long)plan->files_needed,
                (unsigned long long)plan->files_raised_from);
    if (plan->runs_csv || plan->jobs_csv)
        fprintf(out, "  csv      runs -> %s, jobs -> %s\n",
                plan->runs_csv ? plan->runs_csv : "(none)",
                plan->jobs_csv ? plan->jobs_csv : "(none)");
}
