/*
 * run.c - one run of every job: measured, validated, written as CSV rows.
 */
#include "parlab/run.h"

#include <errno.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>

#include "parlab/interrupt.h"
#include "parlab/kernel.h"

int run_init(struct run *run, const struct plan *plan)
{
    memset(run, 0, sizeof *run);
    run->plan = plan;
    run->jobs = calloc(plan->jobs, sizeof *run->jobs);
    run->slices = calloc(1, sizeof *run->slices);
    machine_watch_init(&run->watch); /* before any worker binds the main thread */
    return run->jobs == NULL || run->slices == NULL ? -1 : 0;
}

void run_release(struct run *run)
{
    free(run->jobs);
    if (run->slices != NULL)
        free(run->slices->slices);
    free(run->slices);
    run->jobs = NULL;
    run->slices = NULL;
}

void slice_log_add(struct slice_log *log, uint32_t job, uint32_t worker, double t_start_s,
                   double t_end_s)
{
    if (log->n == log->cap) {
        size_t cap = log->cap ? log->cap * 2 : 256;
        struct slice *s = realloc(log->slices, cap * sizeof *s);

        if (s == NULL) {
            log->failed = true;
            return;
        }
        log->slices = s;
        log->cap = cap;
    }
    log->slices[log->n++] = (struct slice){job, worker, t_start_s, t_end_s};
}

/* Every job ran once, as itself; count the results that match the closed form. */
static int validate(struct run *run)
{
    const struct plan *plan = run->plan;

    run->jobs_ok = 0;
    for (unsigned k = 0; k < plan->jobs; k++) {
        struct job_record *rec = &run->jobs[k];

        if (!rec->done || rec->job != k) {
            snprintf(run->error, sizeof run->error, "job %u was not run", k);
            return -1;
        }
        rec->ok = kernel_result_ok(rec->result, plan_job_expected(plan, k)) &&
                  (plan->payload == 0 || rec->payload_ok == 1);
        run->jobs_ok += (unsigned)rec->ok;
    }
    return 0;
}

int run_execute(struct run *run, unsigned rep)
{
    const struct plan *plan = run->plan;
    struct cpu_times before, after;
    double t_end, busy_before, busy_after;
    int rc;

    run->rep = rep;
    run->error[0] = '\0';
    memset(run->jobs, 0, plan->jobs * sizeof *run->jobs);
    run->slices->n = 0;
    run->slices->failed = false;
    clock_utc_iso8601(run->started_at, sizeof run->started_at, 0);
    snprintf(run->run_id, sizeof run->run_id, "%s-%s-%ld-%u", plan->stamp, plan->host,
             plan->pid, rep);
    fflush(NULL); /* what was printed comes before what the workers may print */

    if (plan->timeout > 0 && !plan->prog->backend->stops_workers) {
        static char message[160];

        snprintf(message, sizeof message,
                 "%s: the run timed out after %g s; its jobs were abandoned and nothing "
                 "was written\n",
                 plan->prog->backend->name, plan->timeout);
        interrupt_alarm(plan->timeout, message);
    }
    run->load_1m = machine_load_1m();
    run->on_battery = machine_on_battery();
    busy_before = run->watch.known ? machine_busy_s(&run->watch) : -1;
    clock_process_cpu(&before);
    run->t0 = clock_wall();
    rc = plan->prog->run_jobs(run);
    t_end = clock_wall();
    clock_process_cpu(&after);
    busy_after = busy_before >= 0 ? machine_busy_s(&run->watch) : -1;
    interrupt_alarm(0, NULL);

    if (rc != 0) {
        if (run->error[0] == '\0')
            snprintf(run->error, sizeof run->error, "the workers failed");
        return -1;
    }
    run->wall_s = t_end - run->t0;
    run->cpu_self_s = after.self - before.self;
    run->cpu_children_s = after.children - before.children;
    /* The PUs' busy time that was not this run's own.  The readings are rounded to
     * ticks, so a quiet machine can show a little below zero: that is none. */
    run->other_cpu_s = -1;
    if (busy_before >= 0 && busy_after >= 0) {
        double other = (busy_after - busy_before) - run->cpu_self_s - run->cpu_children_s;

        run->other_cpu_s = other > 0 ? other : 0;
    }
    return validate(run);
}

void run_print(const struct run *run, FILE *out)
{
    const struct plan *plan = run->plan;

    fprintf(out,
            "rep %u/%u: wall time %.2f s, cpu time %.2f s (self %.2f s + children %.2f s); "
            "%u/%u jobs match the closed form\n",
            run->rep, plan->reps, run->wall_s, run->cpu_self_s + run->cpu_children_s,
            run->cpu_self_s, run->cpu_children_s, run->jobs_ok, plan->jobs);
}

void run_print_jobs(const struct run *run, FILE *out)
{
    for (unsigned k = 0; k < run->plan->jobs; k++) {
        const struct job_record *rec = &run->jobs[k];
        char planned[16];

        if (rec->pu_planned >= 0)
            snprintf(planned, sizeof planned, "%d", rec->pu_planned);
        else
            snprintf(planned, sizeof planned, "none");
        fprintf(out, "  job %3u: worker %3u, host %s, pid %d, tid %d, PU planned %s, "
                     "at start %d, at end %d\n",
                rec->job, rec->worker, run->plan->host, rec->pid, rec->tid, planned,
                rec->pu_start, rec->pu_end);
    }
}

unsigned run_unbound_workers(const struct run *run, int *error)
{
    const struct plan *plan = run->plan;
    unsigned count = 0;
    bool *seen = calloc(plan->workers, sizeof *seen);

    *error = 0;
    for (unsigned k = 0; k < plan->jobs; k++) {
        const struct job_record *rec = &run->jobs[k];

        if (rec->bind_error == 0 || rec->worker >= plan->workers)
            continue;
        if (*error == 0)
            *error = rec->bind_error;
        if (seen == NULL || !seen[rec->worker])
            count++;
        if (seen != NULL)
            seen[rec->worker] = true;
    }
    free(seen);
    return count;
}

static void put_job_rows(const struct run *run, struct csv_writer *w)
{
    for (unsigned k = 0; k < run->plan->jobs; k++) {
        const struct job_record *rec = &run->jobs[k];

        csv_put_str(w, run->run_id);
        csv_put_uint(w, rec->job);
        csv_put_uint(w, rec->worker);
        csv_put_int(w, rec->pid);
        csv_put_int(w, rec->tid);
        csv_put_int(w, rec->pu_start);
        csv_put_int(w, rec->pu_end);
        csv_put_fixed(w, rec->t_start_s, 9);
        csv_put_fixed(w, rec->t_end_s, 9);
        csv_put_fixed(w, rec->cpu_s, 9);
        csv_put_fixed(w, rec->lock_wait_s, 9);
        csv_put_double(w, rec->result, 17);
        csv_put_int(w, rec->ok);
        if (rec->pu_planned >= 0)
            csv_put_int(w, rec->pu_planned);
        else
            csv_put_str(w, "");
        csv_put_str(w, rec->pu_planned >= 0 ? "yes" : "no");
        csv_put_uint(w, rec->switches);
        csv_put_fixed(w, rec->copy_s, 9);
        csv_put_uint(w, rec->bytes_copied);
        csv_put_uint(w, plan_job_size(run->plan, rec->job));
        csv_end_row(w);
    }
}

static void put_run_row(const struct run *run, struct csv_writer *w)
{
    const struct plan *plan = run->plan;

    csv_put_str(w, run->run_id);
    csv_put_str(w, plan->prog->backend->name);
    csv_put_uint(w, plan->workers);
    csv_put_uint(w, plan->jobs);
    csv_put_uint(w, plan->size);
    csv_put_str(w, plan->lock.name);
    csv_put_str(w, plan->pin.text);
    csv_put_uint(w, run->rep);
    csv_put_fixed(w, run->wall_s, 9);
    csv_put_fixed(w, run->cpu_self_s, 6);
    csv_put_fixed(w, run->cpu_children_s, 6);
    csv_put_uint(w, run->jobs_ok);
    csv_put_str(w, plan->host);
    csv_put_int(w, plan->pus);
    csv_put_str(w, run->started_at);
    csv_put_str(w, plan->outer_binding);
    if (plan->switch_interval > 0)
        csv_put_double(w, plan->switch_interval * 1e3, 6);
    else
        csv_put_str(w, "");
    csv_put_uint(w, plan->payload);
    csv_put_str(w, !plan->prog->backend->data_crosses ? "memory"
                   : plan->payload == 0       ? ""
                   : plan->transport == TRANSPORT_SHM ? "shm"
                                                      : "pipe");
    if (plan->payload > 0)
        csv_put_fixed(w, plan->memcpy_bandwidth / 1e9, 3);
    else
        csv_put_str(w, "");
    csv_put_str(w, worker_kind_name(plan->prog->backend->worker));
    if (run->other_cpu_s >= 0)
        csv_put_fixed(w, run->other_cpu_s, 2);
    else
        csv_put_str(w, "");
    if (run->load_1m >= 0)
        csv_put_fixed(w, run->load_1m, 2);
    else
        csv_put_str(w, "");
    csv_put_str(w, run->on_battery != NULL ? run->on_battery : "");
    if (plan->cores > 0)
        csv_put_int(w, plan->cores);
    else
        csv_put_str(w, "");
    csv_put_str(w, plan->sizes != NULL ? plan->sizes : "");
    csv_put_str(w, plan->schedule_name);
    csv_put_str(w, plan->label != NULL ? plan->label : "");
    csv_end_row(w);
}

static void put_slice_rows(const struct run *run, struct csv_writer *w)
{
    unsigned *count = calloc(run->plan->jobs, sizeof *count); /* slice numbers per job */

    for (size_t k = 0; k < run->slices->n; k++) {
        const struct slice *s = &run->slices->slices[k];

        csv_put_str(w, run->run_id);
        csv_put_uint(w, s->job);
        csv_put_uint(w, s->worker);
        csv_put_uint(w, count && s->job < run->plan->jobs ? count[s->job]++ : k);
        csv_put_fixed(w, s->t_start_s, 9);
        csv_put_fixed(w, s->t_end_s, 9);
        csv_end_row(w);
    }
    free(count);
}

int run_spool_rows(const struct run *run, struct csv_spool *runs, struct csv_spool *jobs,
                   struct csv_spool *slices)
{
    struct csv_writer w;
    int rc = 0;

    csv_writer_init(&w);
    if (slices != NULL) {
        put_slice_rows(run, &w);
        rc = csv_spool_add(slices, &w);
    }
    if (rc == 0 && jobs != NULL) {
        put_job_rows(run, &w);
        rc = csv_spool_add(jobs, &w);
    }
    if (rc == 0 && runs != NULL) {
        put_run_row(run, &w);
        rc = csv_spool_add(runs, &w);
    }
    csv_writer_release(&w);
    return rc;
}
