/*
 * experiment.c - the path every parlab program follows.
 *
 * Only the programs and this file may end the process: the rest of the library
 * returns errors, and here they become one line on stderr and an exit status.
 */
#include "parlab/experiment.h"

#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "parlab/cli.h"
#include "parlab/csv.h"
#include "parlab/die.h"
#include "parlab/interrupt.h"
#include "parlab/kernel.h"
#include "parlab/plan.h"
#include "parlab/run.h"
#include "parlab/stats.h"
#include "parlab/tool.h"
#include "parlab/summary.h"

/* What the counted runs measured, one value per run. */
struct series {
    size_t n;
    double *wall, *self, *children, *ns_per_step;
    /* What else ran: the run in which other programs took the most CPU per second
     * beyond what the readings' rounding could make, and whether any run could not
     * tell (no /proc/stat) or ran on battery. */
    double busiest_rate, busiest_other_s, busiest_wall_s;
    double shortest_wall_s, noise_s; /* noise_s: the rounding's share, in seconds */
    double most_rate;                /* the most per second, rounding and all */
    bool other_unknown, on_battery;
};

static void parse_or_exit(struct options *opt, const struct program *prog, int argc,
                          char **argv)
{
    char msg[512];

    switch (cli_parse(opt, prog, argc, argv, msg, sizeof msg)) {
    case CLI_RUN:
        return;
    case CLI_HELP:
        cli_print_help(prog, stdout);
        exit(EXIT_SUCCESS);
    case CLI_VERSION:
        cli_print_version(prog, stdout);
        exit(EXIT_SUCCESS);
    case CLI_ERROR:
        die_usage("%s", msg);
    }
}

/* Plans the run, and says on stderr what the plan had to decide for the user. */
static void make_plan(struct plan *plan, const struct program *prog, struct options *opt)
{
    char msg[512];

    switch (plan_init(plan, prog, opt, msg, sizeof msg)) {
    case PLAN_OK:
        break;
    case PLAN_REFUSED:
        die_usage("%s", msg);
    case PLAN_BEYOND_LIMITS: /* the request is too big for here: exit 2, no --help */
        say_error("%s", msg);
        exit(2);
    case PLAN_NO_MEMORY:
    case PLAN_NOT_THIS_MACHINE:
        die("%s", msg);
    case PLAN_FAILED:
        die_errno("cannot prepare the run");
    }
    if (plan->ignored_env[0] != '\0')
        warn("ignoring %s: workers run on this machine, so they are placed on its own "
             "topology (parlab-topo shows other machines)",
             plan->ignored_env);
    if (plan->pin.kind == PIN_LIST && plan->workers > plan->pin.npus)
        warn("--pin %s lists %zu PU%s for %u workers: placements wrap around and workers "
             "share PUs",
             plan->pin.text, plan->pin.npus, plan->pin.npus == 1 ? "" : "s", plan->workers);
    else if (plan->shared && plan->workers > (unsigned)plan->pus)
        warn("%u workers on %d usable PUs: the machine is oversubscribed, so placements "
             "wrap around and workers share PUs",
             plan->workers, plan->pus);
    else if (plan->shared)
        warn("--pin %s gives some of the %u workers the same PU", plan->pin.text,
             plan->workers);
    if (plan->outer_binding[0] != '\0' && plan->pin.kind == PIN_NONE) {
        /* mpirun binds MPI ranks by default (-np 2: a core each): only the CSV says it */
        if (prog->backend->openmp)
            warn("%s binds the threads; with --pin none parlab leaves them where it put them "
                 "(runs CSV: omp_binding)",
                 plan->outer_binding);
    } else if (plan->outer_binding[0] != '\0') {
        warn("%s binds the %s, and --pin %s: --pin decides, because each %s binds itself "
             "with hwloc after %s",
             plan->outer_binding, prog->backend->openmp ? "threads" : "workers", plan->pin.text,
             prog->backend->openmp ? "thread" : "worker",
             prog->backend->openmp ? "libgomp has placed it" : "that");
    }
}

/* Once per invocation: workers the plan pinned that run unbound, and why. */
static void warn_unbound(const struct run *run)
{
    static bool warned;
    int error;
    unsigned unbound = run_unbound_workers(run, &error); /* those that took a job */

    if (unbound == 0 || warned)
        return;
    warned = true;
    warn("binding was refused (%s): workers run unbound, and the jobs CSV says bound=no",
         strerror(error));
}

/* Before anything runs: a CSV that could not take the rows is an error now, not
 * after minutes of computing. */
static void check_csv_targets(const struct plan *plan)
{
    const struct {
        const char *option, *path, *header;
    } csv[] = {
        {"--runs-csv", plan->runs_csv, RUNS_CSV_HEADER},
        {"--jobs-csv", plan->jobs_csv, JOBS_CSV_HEADER},
        {"--slices-csv", plan->slices_csv, SLICES_CSV_HEADER},
    };
    const size_t count = sizeof csv / sizeof csv[0];
    char why[512];

    /* Two options naming one file ("r.csv" and "./r.csv") would append two kinds of
     * rows to it: a usage error, said before any other. */
    for (size_t i = 0; i < count; i++)
        for (size_t j = i + 1; j < count; j++)
            if (csv[i].path && csv[j].path && csv_same_file(csv[i].path, csv[j].path))
                die_usage("%s '%s' and %s '%s' are the same file", csv[i].option, csv[i].path,
                          csv[j].option, csv[j].path);
    for (size_t i = 0; i < count; i++)
        if (csv[i].path && csv_check_target(csv[i].path, csv[i].header, why, sizeof why))
            die("%s", why);
}

static void series_init(struct series *s, unsigned reps)
{
    memset(s, 0, sizeof *s);
    s->wall = calloc(reps, sizeof *s->wall);
    s->self = calloc(reps, sizeof *s->self);
    s->children = calloc(reps, sizeof *s->children);
    s->ns_per_step = calloc(reps, sizeof *s->ns_per_step);
    if (!s->wall || !s->self || !s->children || !s->ns_per_step)
        die_errno("cannot allocate room for %u runs", reps);
}

static void series_add(struct series *s, const struct run *run)
{
    const struct plan *plan = run->plan;
    double cpu = 0.0;

    for (unsigned k = 0; k < plan->jobs; k++)
        cpu += run->jobs[k].cpu_s;
    s->wall[s->n] = run->wall_s;
    s->self[s->n] = run->cpu_self_s;
    s->children[s->n] = run->cpu_children_s;
    s->ns_per_step[s->n] = plan->total_steps > 0 ? cpu * 1e9 / plan->total_steps : 0;
    s->n++;

    s->noise_s = machine_noise_per_s(&run->watch, 1.0);
    if (run->other_cpu_s < 0)
        s->other_unknown = true;
    else if (run->wall_s > 0) {
        double beyond = run->other_cpu_s - s->noise_s, rate = beyond > 0 ? beyond / run->wall_s : 0;

        if (run->other_cpu_s / run->wall_s > s->most_rate)
            s->most_rate = run->other_cpu_s / run->wall_s;
        if (s->n == 1 || rate > s->busiest_rate) {
            s->busiest_rate = rate;
            s->busiest_other_s = run->other_cpu_s;
            s->busiest_wall_s = run->wall_s;
        }
    }
    if (s->n == 1 || run->wall_s < s->shortest_wall_s)
        s->shortest_wall_s = run->wall_s;
    s->on_battery = s->on_battery || (run->on_battery && strcmp(run->on_battery, "yes") == 0);
}

/* Other programs' CPU-seconds per second that make a run's times no clean
 * measurement: the report uses the same (summary.h). */
#define BUSY_RATE SUMMARY_BUSY_RATE

/* One line on what else the machine did during the counted runs, from the evidence
 * only: busy (the most in one run), otherwise idle, too short to tell, or unknown. */
static void print_machine(const struct series *s, FILE *out)
{
    if (s->other_unknown)
        fprintf(out, "machine: whether other programs ran is unknown (no /proc/stat here)\n");
    else if (s->busiest_rate > BUSY_RATE)
        fprintf(out,
                "machine: busy: other programs used %.2f CPU-seconds per second during a "
                "run (%.2f s in %.2f s): the times and the speedup below are not a clean "
                "measurement\n",
                s->busiest_rate, s->busiest_other_s, s->busiest_wall_s);
    else if (s->shortest_wall_s > 0 && s->noise_s / s->shortest_wall_s > BUSY_RATE)
        fprintf(out,
                "machine: runs of %.2f s are too short to tell whether other programs ran "
                "(/proc/stat counts in ticks of 0.01 s); longer jobs (-t or -n) can tell\n",
                s->shortest_wall_s);
    else
        fprintf(out,
                "machine: otherwise idle: other programs used at most %.2f CPU-seconds per "
                "second during a run\n",
                s->most_rate);
    if (s->on_battery)
        fprintf(out, "machine: on battery: the CPU may have been slowed to save power\n");
}

static void series_release(struct series *s)
{
    free(s->wall);
    free(s->self);
    free(s->children);
    free(s->ns_per_step);
}

/* `word` as the shell reads it back: as it is when it holds only characters the
 * shell leaves alone, else in single quotes. */
static void print_shell_word(const char *word, FILE *out)
{
    if (word[0] != '\0' && strspn(word, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                        "0123456789_./+,:=@%-") == strlen(word)) {
        fputs(word, out);
        return;
    }
    fputc('\'', out);
    for (; *word != '\0'; word++)
        if (*word == '\'')
            fputs("'\\''", out);
        else
            fputc(*word, out);
    fputc('\'', out);
}

/* The speedup over the serial program, when the runs CSV holds serial runs of the
 * same jobs and size (and --sizes) on this host; else why there is none, what there
 * is instead, and the command that would measure the one it needs: parlab-serial
 * beside this program (`self` is how it was started). */
static void print_speedup(const struct plan *plan, struct summary_case *mine, const char *self,
                          FILE *out)
{
    double wall = mine->wall.median;
    struct summary sum;
    const struct summary_case *serial;
    struct summary_nearest near;
    char why[640], where[1400], what[1600], instead[128];
    const char *slash = strrchr(self, '/');

    if (plan->runs_csv == NULL || plan->prog->backend->baseline ||
        summary_load(plan->runs_csv, &sum, why, sizeof why) != 0)
        return;
    serial = summary_find_serial(&sum, plan->jobs, plan->size, plan->host, plan->sizes,
                                 plan->label);
    if (serial != NULL && wall > 0) {
        fprintf(out, "speedup over serial: %.2f (parlab-serial's median wall time: %.2f s)\n",
                serial->wall.median / wall, serial->wall.median);
        mine->serial = serial; /* what the report would say of it, from these runs */
        if (!summary_clean_speedup(mine)) {
            summary_why_unclean(mine, why, sizeof why);
            fprintf(out, "speedup: not a clean measurement: %s\n", why);
        }
    } else if (serial == NULL && summary_find_nearest(&sum, plan->jobs, plan->size, plan->host,
                                                      plan->sizes, plan->label, &near) == 0) {
        snprintf(where, sizeof where, "in '%s' on this host%s%s%s%.160s", plan->runs_csv,
                 plan->label ? " labelled " : "", plan->label ? plan->label : "",
                 plan->sizes ? " with --sizes " : "", plan->sizes ? plan->sizes : "");
        summary_why_no_serial(&near, plan->jobs, plan->size, where, what, sizeof what, instead,
                              sizeof instead);
        fprintf(out, "speedup over serial: none: %s%s%s%s; run %.*sparlab-serial ", what,
                instead[0] ? " (" : "", instead, instead[0] ? ")" : "",
                slash ? (int)(slash - self + 1) : 0, self);
        if (plan->sizes != NULL) {
            fputs("--sizes ", out);
            print_shell_word(plan->sizes, out);
        } else {
            fprintf(out, "-n %llu", (unsigned long long)plan->size);
        }
        fprintf(out, " -j %u ", plan->jobs);
        if (plan->label != NULL) {
            fputs("--label ", out);
            print_shell_word(plan->label, out);
            fputc(' ', out);
        }
        fputs("--runs-csv ", out);
        print_shell_word(plan->runs_csv, out);
        fputc('\n', out);
    }
    summary_release(&sum);
}

static void series_print(const struct series *s, const struct plan *plan, const char *argv0,
                         FILE *out)
{
    struct stats wall, self, children, ns;

    if (stats_of(s->wall, s->n, &wall) || stats_of(s->self, s->n, &self) ||
        stats_of(s->children, s->n, &children) || stats_of(s->ns_per_step, s->n, &ns))
        die_errno("cannot summarise the runs");
    fprintf(out,
            "median of %zu: wall time %.2f s (min %.2f, max %.2f), cpu time %.2f s "
            "(self %.2f s + children %.2f s)\n",
            s->n, wall.median, wall.min, wall.max, self.median + children.median, self.median,
            children.median);
    /* with a payload a job's CPU time includes filling and checking the arrays */
    if (plan->total_steps > 0 && plan->payload == 0)
        fprintf(out, "kernel: %.2f ns per step with %s%s%s (job cpu time / %s); ", ns.median,
                kernel_kind_name(plan->kernel), plan->kernel_isa[0] ? " " : "", plan->kernel_isa,
                plan->sizes != NULL ? "the jobs' C(n,4) together" : "C(n,4)");
    fprintf(out, "all %zu x %u results match the closed form\n", s->n, plan->jobs);
    print_machine(s, out);
    {
        /* these runs as the summary would make them a case, to judge the speedup */
        struct summary_case mine = {.jobs = plan->jobs, .reps = s->n, .wall = wall,
                                    .cpu_self = self, .cpu_children = children,
                                    .other_rate = s->busiest_rate};

        print_speedup(plan, &mine, argv0, out);
    }
}

/* The rows of the counted runs, kept aside until every run has succeeded. */
struct output {
    struct csv_spool runs, jobs, slices;
};

static void output_open(struct output *o, const struct plan *plan)
{
    if ((plan->runs_csv && csv_spool_open(&o->runs) != 0) ||
        (plan->jobs_csv && csv_spool_open(&o->jobs) != 0) ||
        (plan->slices_csv && csv_spool_open(&o->slices) != 0))
        die_errno("cannot create a temporary file for the rows in '%s' (TMPDIR)",
                  csv_spool_dir());
}

static void output_add(struct output *o, const struct plan *plan, const struct run *run)
{
    if (run_spool_rows(run, plan->runs_csv ? &o->runs : NULL, plan->jobs_csv ? &o->jobs : NULL,
                       plan->slices_csv ? &o->slices : NULL) != 0)
        die_errno("cannot keep the rows of run %u", run->rep);
}

/* Appends every counted run's rows to both files, all or nothing. */
static void output_commit(struct output *o, const struct plan *plan)
{
    struct csv_target targets[3];
    size_t n = 0;
    char why[512];

    if (plan->slices_csv)
        targets[n++] = (struct csv_target){plan->slices_csv, SLICES_CSV_HEADER, &o->slices};
    if (plan->jobs_csv) /* the jobs first: a run row always has its job rows */
        targets[n++] = (struct csv_target){plan->jobs_csv, JOBS_CSV_HEADER, &o->jobs};
    if (plan->runs_csv)
        targets[n++] = (struct csv_target){plan->runs_csv, RUNS_CSV_HEADER, &o->runs};
    interrupt_defer(true); /* Ctrl-C now would cut a row in half: it waits until after */
    if (csv_commit(targets, n, why, sizeof why) != 0)
        die("%s; nothing written", why);
    interrupt_defer(false);
    if (why[0] != '\0') /* a torn row it cut off */
        warn("%s", why);
    if (plan->runs_csv)
        csv_spool_close(&o->runs);
    if (plan->jobs_csv)
        csv_spool_close(&o->jobs);
    if (plan->slices_csv)
        csv_spool_close(&o->slices);
}

/* A run failed, or Ctrl-C stopped it: says why, releases what the runs hold and exits
 * without writing a row, with status 1, or of the signal that interrupted it (status
 * 128 + the signal, as the shell expects). */
__attribute__((noreturn)) static void abandon(struct run *run, struct series *series,
                                              struct plan *plan, bool interrupted)
{
    char why[sizeof run->error];

    snprintf(why, sizeof why, "%s", run->error);
    series_release(series);
    run_release(run);
    plan_release(plan);
    if (interrupted) {
        say_error("%s; nothing written", why);
        interrupt_reraise();
    }
    die("%s; nothing written", why);
}

/* The uncounted warm-up: one short job per worker (plan->warmup_jobs of
 * plan->warmup_size), before the counted runs.  It is there for what the first run
 * would otherwise pay for and the others not: the pages of the job records and payload
 * buffers faulted in, libgomp's threads created (later parallel regions of the same
 * size reuse them), the kernel's code in the caches, the CPU at its working clock.
 * None of that needs every job or a job of full size: a job per worker runs the
 * kernel in every worker with its own buffers (a process backend forks its workers
 * anew for every run anyway), and a job of PLAN_WARMUP_JOB_SECONDS is long enough for
 * the clock.  A whole run of every job, as the warm-up used to be, cost a quarter of
 * the time with 3 counted runs.  Its rows are not kept.  Returns 0, or -1 with
 * run->error saying why. */
static int warm_up(struct run *run, const struct plan *plan)
{
    struct plan warm = *plan; /* shares plan's buffers and placement: never released */
    int rc;

    warm.jobs = plan->warmup_jobs;
    warm.size = warm.min_size = plan->warmup_size;
    warm.steps = kernel_steps(warm.size);
    warm.total_steps = (double)warm.steps * warm.jobs;
    warm.expected = kernel_closed_form(warm.size);
    warm.sizes = NULL; /* jobs of one size, whatever --sizes says */
    warm.job_size = NULL;
    warm.job_expected = NULL;
    run->plan = &warm;
    rc = run_execute(run, 0);
    if (rc == 0 && run->jobs_ok != warm.jobs) {
        snprintf(run->error, sizeof run->error,
                 "%u of %u job results of the warm-up do not match the closed form",
                 warm.jobs - run->jobs_ok, warm.jobs);
        rc = -1;
    }
    run->plan = plan;
    return rc;
}

/* With no CSV to write, a run whose output nobody reads any more has nothing left to
 * run for: the program ends as a pipeline's writer does, by SIGPIPE. */
static void end_if_unread(const struct plan *plan)
{
    if (plan->runs_csv == NULL && plan->jobs_csv == NULL && plan->slices_csv == NULL &&
        fflush(stdout) != 0 && tool_reader_gone()) {
        signal(SIGPIPE, SIG_DFL);
        raise(SIGPIPE);
    }
}

int experiment_main(const struct program *prog, int argc, char **argv)
{
    struct options opt;
    struct plan plan;
    struct run run;
    struct series series;
    struct output output;

    die_set_program(prog->backend->name);
    interrupt_install(); /* Ctrl-C: stop the workers first, write nothing */
    parse_or_exit(&opt, prog, argc, argv); /* exits 2 on a bad command line */
    if (prog->settle != NULL) { /* MPI: W is the ranks' number */
        char msg[512];

        if (prog->settle(&opt, msg, sizeof msg) != 0)
            die_usage("%s", msg);
    }
    make_plan(&plan, prog, &opt);          /* exits 2 when the machine cannot do it */
    check_csv_targets(&plan);
    if (prog->agree != NULL && prog->agree(&plan) != 0) /* MPI: rank 0's plan for all */
        die_errno("cannot share the plan among the workers");
    /* A reader that goes away (`| head -2`) must not cost the measurements: without
     * SIGPIPE a write to its pipe fails, what is printed is lost, and the rows are
     * still written. */
    signal(SIGPIPE, SIG_IGN);
    plan_print(&plan, stdout); /* with -q, only its first line */
    if ((fflush(stdout) != 0 || ferror(stdout)) && !tool_reader_gone())
        die_errno("cannot write the output"); /* a full disk, a closed stdout: before any run */
    end_if_unread(&plan);

    if (run_init(&run, &plan) != 0)
        die_errno("cannot allocate %u job records", plan.jobs);
    series_init(&series, plan.reps);
    output_open(&output, &plan);
    if (warm_up(&run, &plan) != 0)
        abandon(&run, &series, &plan, interrupt_pending() != 0);
    for (unsigned rep = 1; rep <= plan.reps; rep++) {
        if (run_execute(&run, rep) != 0)
            abandon(&run, &series, &plan, interrupt_pending() != 0);
        if (run.jobs_ok != plan.jobs) {
            snprintf(run.error, sizeof run.error,
                     "%u of %u job results do not match the closed form", plan.jobs - run.jobs_ok,
                     plan.jobs);
            abandon(&run, &series, &plan, false);
        }
        warn_unbound(&run);
        if (!plan.quiet)
            run_print(&run, stdout);
        if (plan.verbose)
            run_print_jobs(&run, stdout);
        end_if_unread(&plan);
        output_add(&output, &plan, &run);
        series_add(&series, &run);
    }
    output_commit(&output, &plan); /* only now, when every run has succeeded */
    series_print(&series, &plan, argv[0], stdout);

    series_release(&series);
    run_release(&run);
    plan_release(&plan);
    return tool_finish(); /* the rows are in; the summary may still have been lost */
}
