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
    run->calls = calloc(plan->jobs, sizeof *run->calls);
    run->slices = calloc(1, sizeof *run->slices);
    machine_watch_init(&run->watch); /* before any worker binds the main thread */
    return run->jobs == NULL || run->calls == NULL || run->slices == NULL ? -1 : 0;
}

void run_release(struct run *run)
{
    free(run->jobs);
    free(run->calls);
    if (run->slices != NULL)
        free(run->slices->slices);
    free(run->slices);
    run->jobs = NULL;
    run->calls = NULL;
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
        unsigned calls = atomic_load_explicit(&run->calls[k], memory_order_relaxed);

        if (!rec->done || rec->job != k) {
            snprintf(run->error, sizeof run->error, "job %u was not run", k);
            return -1;
        }
        /* the workers have ended (joined): their counts are all in */
        if (plan->prog->backend->shares_memory && calls != 1) {
            snprintf(run->error, sizeof run->error, "job %u ran %u times", k, calls);
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
    for (unsigned k = 0; k < plan->jobs; k++) /* before any worker starts */
        atomic_store_explicit(&run->calls[k], 0, memory_order_relaxed);
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
    run->cpu_elsewhere_s = 0;
    run->cpu_unwatched_s = 0;
    run->t0 = clock_wall(); /* run_jobs may set it again: MPI ranks, after a barrier */
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
    run->cpu_self_s = after.self - before.self + run->cpu_elsewhere_s;
    run->cpu_children_s = after.children - before.children;
    /* The PUs' busy time that was not this run's own.  The readings are rounded to
     * ticks, so a quiet machine can show a little below zero: that is none. */
    run->other_cpu_s = -1;
    if (busy_before >= 0 && busy_after >= 0) {
        double other = (busy_after - busy_before) - (run->cpu_self_s - run->cpu_unwatched_s) -
                       run->cpu_children_s;

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

const char *run_job_host(const struct run *run, const struct job_record *rec)
{
    if (run->hosts != NULL && rec->rank >= 0)
        return run->hosts[rec->rank];
    return run->plan->host;
}

void run_print_jobs(const struct run *run, FILE *out)
{
    for (unsigned k = 0; k < run->plan->jobs; k++) {
        const struct job_record *rec = &run->jobs[k];
        char planned[16], where[48] = "";

        if (rec->pu_planned >= 0)
            snprintf(planned, sizeof planned, "%d", rec->pu_planned);
        else
            snprintf(planned, sizeof planned, "none");
        if (rec->rank >= 0)
            snprintf(where, sizeof where, " (rank %d thread %d)", rec->rank, rec->thread);
        fprintf(out, "  job %3u: worker %3u%s, host %s, pid %d, tid %d, PU planned %s, "
                     "at start %d, at end %d\n",
                rec->job, rec->worker, where, run_job_host(run, rec), rec->pid, rec->tid,
                planned, rec->pu_start, rec->pu_end);
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
        csv_put_str(w, run_job_host(run, rec));
        if (rec->rank >= 0) {
            csv_put_int(w, rec->rank);
            csv_put_int(w, rec->thread);
        } else {
            csv_put_str(w, "");
            csv_put_str(w, "");
        }
        csv_put_str(w, kernel_kind_name(run->plan->kernel));
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
                   : plan->prog->backend->transport != NULL ? plan->prog->backend->transport
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
    if (run->ranks > 0)
        csv_put_uint(w, run->ranks);
    else
        csv_put_str(w, "");
    csv_put_str(w, kernel_kind_name(plan->kernel));
    csv_put_str(w, plan->kernel_isa);
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

/* ---- the rows read back ----------------------------------------------------------- */

/* One row of a jobs CSV, as run_check_job_rows needs it. */
struct job_row {
    long job, worker, id;
    double start, end;
};

static int by_worker_then_start(const void *pa, const void *pb)
{
    const struct job_row *a = pa, *b = pb;

    if (a->worker != b->worker)
        return (a->worker > b->worker) - (a->worker < b->worker);
    return (a->start > b->start) - (a->start < b->start);
}

static int by_start(const void *pa, const void *pb)
{
    const struct job_row *a = pa, *b = pb;

    return (a->start > b->start) - (a->start < b->start);
}

/* A whole number field, not negative. */
static int whole_field(const struct csv_table *t, size_t row, int col, long *out)
{
    const char *s = csv_field(t, row, col);
    char *end;

    errno = 0;
    *out = strtol(s, &end, 10);
    return s[0] >= '0' && s[0] <= '9' && *end == '\0' && errno == 0 ? 0 : -1;
}

/* The rows of t into rows[] (t->nrows - 1 of them); -1 with why for one it cannot read. */
static int read_job_rows(const struct csv_table *t, const char *id, struct job_row *rows,
                         char *why, size_t whylen)
{
    int job = csv_column(t, "job"), worker = csv_column(t, "worker"), ident = csv_column(t, id);
    int start = csv_column(t, "t_start_s"), end = csv_column(t, "t_end_s");

    if (job < 0 || worker < 0 || ident < 0 || start < 0 || end < 0) {
        snprintf(why, whylen, "the jobs CSV lacks a column (job, worker, %s, t_start_s, t_end_s)",
                 id);
        return -1;
    }
    for (size_t r = 1; r < t->nrows; r++) {
        struct job_row *j = &rows[r - 1];

        if (whole_field(t, r, job, &j->job) != 0 || whole_field(t, r, worker, &j->worker) != 0 ||
            whole_field(t, r, ident, &j->id) != 0 ||
            csv_parse_seconds(csv_field(t, r, start), &j->start) != 0 ||
            csv_parse_seconds(csv_field(t, r, end), &j->end) != 0 || j->end < j->start) {
            snprintf(why, whylen, "row %zu of the jobs CSV is not one parlab writes", r);
            return -1;
        }
    }
    return 0;
}

/* Each job once; each worker below rule->workers and one thread (process) of its own. */
static int check_jobs_and_workers(const struct job_row *rows, size_t n,
                                  const struct job_rows_rule *rule, char *why, size_t whylen)
{
    const char *kind = strcmp(rule->id, "pid") == 0 ? "process" : "thread";
    size_t *first = calloc(rule->workers ? rule->workers : 1, sizeof *first); /* row + 1 */
    bool *seen = calloc(rule->jobs ? rule->jobs : 1, sizeof *seen);
    int status = -1;

    if (first == NULL || seen == NULL) {
        snprintf(why, whylen, "out of memory");
        goto done;
    }
    if (n != rule->jobs) {
        snprintf(why, whylen, "%zu job records for %u jobs", n, rule->jobs);
        goto done;
    }
    for (size_t r = 0; r < n; r++) {
        const struct job_row *j = &rows[r];

        if (j->job >= (long)rule->jobs || seen[j->job]) {
            snprintf(why, whylen, "job %ld has %s record", j->job,
                     j->job >= (long)rule->jobs ? "a number beyond the jobs, and a"
                                                : "more than one");
            goto done;
        }
        seen[j->job] = true;
        if (j->worker >= (long)rule->workers) {
            if (rule->workers == 1)
                snprintf(why, whylen, "job %ld ran on worker %ld, but the only worker is 0",
                         j->job, j->worker);
            else
                snprintf(why, whylen, "job %ld ran on worker %ld, but the workers are 0 to %u",
                         j->job, j->worker, rule->workers - 1);
            goto done;
        }
        if (first[j->worker] == 0) {
            first[j->worker] = r + 1;
        } else if (rows[first[j->worker] - 1].id != j->id) {
            const struct job_row *f = &rows[first[j->worker] - 1];

            snprintf(why, whylen, "worker %ld is two %ss: %s %ld ran job %ld, %s %ld job %ld",
                     j->worker, kind, rule->id, f->id, f->job, rule->id, j->id, j->job);
            goto done;
        }
    }
    for (unsigned a = 0; a < rule->workers; a++)
        for (unsigned b = a + 1; first[a] != 0 && b < rule->workers; b++)
            if (first[b] != 0 && rows[first[a] - 1].id == rows[first[b] - 1].id) {
                snprintf(why, whylen, "workers %u and %u are one %s (%s %ld)", a, b, kind,
                         rule->id, rows[first[a] - 1].id);
                goto done;
            }
    status = 0;
done:
    free(first);
    free(seen);
    return status;
}

int run_check_job_rows(const struct csv_table *t, const struct job_rows_rule *rule, char *why,
                       size_t whylen)
{
    size_t n = t->nrows > 0 ? t->nrows - 1 : 0;
    struct job_row *rows = calloc(n ? n : 1, sizeof *rows);
    int status = -1;

    if (rows == NULL) {
        snprintf(why, whylen, "out of memory");
        return -1;
    }
    if (read_job_rows(t, rule->id, rows, why, whylen) != 0 ||
        check_jobs_and_workers(rows, n, rule, why, whylen) != 0)
        goto done;
    /* A worker runs its jobs one after another. */
    qsort(rows, n, sizeof *rows, by_worker_then_start);
    for (size_t r = 1; r < n; r++)
        if (rows[r].worker == rows[r - 1].worker && rows[r].start < rows[r - 1].end) {
            snprintf(why, whylen,
                     "jobs %ld and %ld ran at the same time on worker %ld (%.6f-%.6f s and "
                     "%.6f-%.6f s)",
                     rows[r - 1].job, rows[r].job, rows[r].worker, rows[r - 1].start,
                     rows[r - 1].end, rows[r].start, rows[r].end);
            goto done;
        }
    /* With the lock held, each job begins after every job before it has ended. */
    if (rule->one_at_a_time) {
        size_t last = 0; /* the job that ends last of those begun so far */

        qsort(rows, n, sizeof *rows, by_start);
        for (size_t r = 1; r < n; r++) {
            if (rows[r].start < rows[last].end) {
                snprintf(why, whylen,
                         "jobs %ld and %ld ran at the same time with the lock held (%.6f-%.6f "
                         "s and %.6f-%.6f s)",
                         rows[last].job, rows[r].job, rows[last].start, rows[last].end,
                         rows[r].start, rows[r].end);
                goto done;
            }
            if (rows[r].end > rows[last].end)
                last = r;
        }
    }
    status = 0;
done:
    free(rows);
    return status;
}
