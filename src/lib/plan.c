/*
 * plan.c - resolving the options into what will run, and saying so.
 */
#include "parlab/plan.h"

#include <string.h>
#include <unistd.h>

#include "parlab/kernel.h"
#include "parlab/topo.h"

int plan_init(struct plan *plan, const struct program *prog, const struct options *opt)
{
    memset(plan, 0, sizeof *plan);
    plan->prog = prog;
    plan->jobs = opt->jobs;
    plan->workers = opt->workers;
    plan->reps = opt->reps;
    plan->lock = opt->lock;
    plan->pin = "none";
    plan->runs_csv = opt->runs_csv;
    plan->jobs_csv = opt->jobs_csv;
    plan->quiet = opt->quiet;

    if (opt->size_given) {
        plan->size = opt->size;
    } else {
        struct kernel_calibration cal;

        if (kernel_calibrate(opt->job_seconds, &cal) != 0)
            return -1;
        plan->size = cal.size;
        plan->calibrated = true;
        plan->job_seconds = opt->job_seconds;
        plan->ns_per_step = cal.ns_per_step;
    }
    plan->steps = kernel_steps(plan->size);
    plan->expected = kernel_closed_form(plan->size);

    if (gethostname(plan->host, sizeof plan->host) != 0)
        return -1;
    plan->host[sizeof plan->host - 1] = '\0';
    plan->pus = topo_usable_pus();
    if (plan->pus < 0)
        return -1;
    plan->pid = (long)getpid();
    clock_utc_iso8601(plan->stamp, sizeof plan->stamp, 1);
    return 0;
}

void plan_print(const struct plan *plan, FILE *out)
{
    const struct program *prog = plan->prog;

    fprintf(out, "%s %s: %u jobs of wait_loop(n = %llu) on %u %s, lock %s, pin %s\n",
            prog->name, PARLAB_VERSION, plan->jobs, (unsigned long long)plan->size,
            plan->workers, prog->workers_are, lock_mode_name(plan->lock), plan->pin);
    if (plan->quiet)
        return;
    fprintf(out, "  kernel   C(%llu,4) = %llu steps per job\n", (unsigned long long)plan->size,
            (unsigned long long)plan->steps);
    if (plan->calibrated)
        fprintf(out, "           n chosen for %g s per job at %.2f ns per step; repeat with -n %llu\n",
                plan->job_seconds, plan->ns_per_step, (unsigned long long)plan->size);
    fprintf(out, "  machine  %s, %d PU%s usable\n", plan->host, plan->pus,
            plan->pus == 1 ? "" : "s");
    fprintf(out, "  reps     1 warm-up + %u counted; median, min and max reported\n",
            plan->reps);
    if (plan->runs_csv || plan->jobs_csv)
        fprintf(out, "  csv      runs -> %s, jobs -> %s\n",
                plan->runs_csv ? plan->runs_csv : "(none)",
                plan->jobs_csv ? plan->jobs_csv : "(none)");
}
