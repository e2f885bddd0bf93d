/*
 * job.c - one job: the kernel call, under the lock when the plan says so.
 */
#include "parlab/job.h"

#include <errno.h>
#include <math.h>
#include <sched.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "parlab/clock.h"
#include "parlab/fault.h"
#include "parlab/kernel.h"
#include "parlab/lock.h"
#include "parlab/payload.h"
#include "parlab/phase.h"
#include "parlab/pin.h"
#include "parlab/run.h"

/* Steps a parallel part runs between two safepoints: about a tenth of a millisecond,
 * so a serial phase waits no longer than that for the others to pause. */
#define SAFEPOINT_STEPS 65536u

/* The steps of a kernel of size n from `from` to the end (steps), in chunks, pausing
 * between them while another job runs its serial phase; the waits are added to
 * *waited.  The chunks' sums are added with compensation, so the result keeps the
 * kernel's accuracy. */
static double run_parallel_part(enum kernel_kind kind, uint64_t n, uint64_t steps, uint64_t from, double *waited)
{
    double sum = 0.0, carry = 0.0;

    *waited += phase_parallel_begin();
    for (uint64_t s = from; s < steps; s += SAFEPOINT_STEPS) {
        uint64_t to = steps - s < SAFEPOINT_STEPS ? steps : s + SAFEPOINT_STEPS;
        double part = kernel_run_range_kind(kind, n, s, to), next = sum + part;

        carry += fabs(sum) >= fabs(part) ? (sum - next) + part : (part - next) + sum;
        sum = next;
        *waited += phase_parallel_safepoint();
    }
    phase_parallel_end();
    return sum + carry;
}

/* Held with GIL-style switching: the kernel in chunks, and between two of them the
 * lock handed over when a waiting worker has asked for it.  Each stretch the job held
 * the lock goes into the run's slice log (the holder alone writes to it). */
static double run_handing_over(const struct run *run, struct job_record *rec, double started)
{
    uint64_t n = plan_job_size(run->plan, rec->job), steps = kernel_steps(n);
    double sum = 0.0, carry = 0.0, slice_start = started;

    for (uint64_t s = 0; s < steps; s += SAFEPOINT_STEPS) {
        uint64_t to = steps - s < SAFEPOINT_STEPS ? steps : s + SAFEPOINT_STEPS;
        double part = kernel_run_range_kind(run->plan->kernel, n, s, to), next = sum + part;

        carry += fabs(sum) >= fabs(part) ? (sum - next) + part : (part - next) + sum;
        sum = next;
        if (to < steps && lock_handover_asked()) {
            slice_log_add(run->slices, rec->job, rec->worker, slice_start - run->t0,
                          clock_wall() - run->t0);
            rec->lock_wait_s += lock_hand_over();
            rec->switches++;
            slice_start = clock_wall();
        }
    }
    slice_log_add(run->slices, rec->job, rec->worker, slice_start - run->t0,
                  clock_wall() - run->t0);
    return sum + carry;
}

void worker_start(const struct run *run, unsigned index, enum worker_kind kind,
                  struct worker *me)
{
    const struct plan *plan = run->plan;

    me->index = index;
    me->rank = me->thread = -1; /* parlab-mpi sets them */
    me->pu_planned = -1;
    me->bind_error = 0;
    me->in = me->out = NULL;
    me->fill_input = plan->prog->backend->shares_memory; /* shared: no copy */
    if (plan->payload > 0) {
        me->in = plan->buffers[index].in;
        me->out = plan->buffers[index].out;
    }
    if (plan->pin.kind == PIN_NONE)
        return;
    if (fault_refuse_binding())
        me->bind_error = ENOSYS;
    else if (pin_bind(&plan->topo, plan->placement[index],
                      kind == WORKER_THREAD ? PIN_THREAD : PIN_PROCESS) != 0)
        me->bind_error = errno ? errno : EINVAL;
    else
        me->pu_planned = plan->placement[index];
}

void job_run(const struct run *run, unsigned job, const struct worker *me,
             struct job_record *rec)
{
    const struct plan *plan = run->plan;
    uint64_t n = plan_job_size(plan, job), steps = plan_job_steps(plan, job);
    double started, cpu0;
    uint64_t locked;

    /* Counted apart from the record, which a second run of the job overwrites. */
    if (job < plan->jobs)
        atomic_fetch_add_explicit(&run->calls[job], 1, memory_order_relaxed);
    memset(rec, 0, sizeof *rec);
    rec->job = job;
    rec->worker = me->index;
    rec->rank = me->rank;
    rec->thread = me->thread;
    rec->pu_planned = me->pu_planned;
    rec->bind_error = me->bind_error;
    rec->pid = (int32_t)getpid();
    rec->tid = (int32_t)syscall(SYS_gettid);
    fault_at_job(job); /* PARLAB_FAULT=segv:JOB and friends: for tests and teaching */
    if (plan->payload > 0 && me->fill_input)
        payload_fill(me->in, plan->payload, job); /* the argument, there before the job */

    locked = lock_locked_steps(&plan->lock, steps);
    if (locked == steps && locked > 0) { /* held: the whole call under the lock */
        rec->lock_wait_s = lock_take(); /* with threads, the other workers' jobs wait */
        started = clock_wall();
    } else if (locked > 0) { /* fraction: a serial phase first, that nobody overlaps */
        rec->lock_wait_s = phase_serial_begin();
        started = clock_wall();
    } else {
        started = clock_wall();
    }
    rec->t_start_s = started - run->t0;
    rec->pu_start = sched_getcpu();
    cpu0 = clock_thread_cpu();

    if (locked == steps && plan->switch_interval > 0) {
        rec->result = run_handing_over(run, rec, started);
    } else if (locked == 0 || locked == steps) {
        rec->result = kernel_run_kind(plan->kernel, n);
    } else {
        rec->result = kernel_run_range_kind(plan->kernel, n, 0, locked);
        phase_serial_end();
        rec->result += run_parallel_part(plan->kernel, n, steps, locked, &rec->lock_wait_s);
    }

    if (plan->payload > 0) { /* the job's work on its data */
        payload_transform(me->in, me->out, plan->payload, job);
        if (fault_corrupts(job)) /* PARLAB_FAULT=corrupt:JOB: the check must notice */
            me->out[plan->payload / 2] ^= 1;
    }
    rec->cpu_s = clock_thread_cpu() - cpu0;
    rec->pu_end = sched_getcpu();
    rec->t_end_s = clock_wall() - run->t0; /* before the lock is given back */
    if (locked == steps && locked > 0)
        lock_give();
    if (plan->payload > 0 && me->fill_input) /* shared memory: checked where it lies */
        rec->payload_ok = payload_check(me->out, plan->payload, job);
    rec->done = 1;
}
