/*
 * job.c - one job: the kernel call, under the lock when the plan says so.
 */
#include "parlab/job.h"

#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "parlab/clock.h"
#include "parlab/fault.h"
#include "parlab/kernel.h"
#include "parlab/lock.h"
#include "parlab/pin.h"
#include "parlab/run.h"

void worker_start(const struct run *run, unsigned index, enum worker_kind kind,
                  struct worker *me)
{
    const struct plan *plan = run->plan;

    me->index = index;
    me->pu_planned = -1;
    me->bind_error = 0;
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
    double started, cpu0;

    memset(rec, 0, sizeof *rec);
    rec->job = job;
    rec->worker = me->index;
    rec->pu_planned = me->pu_planned;
    rec->bind_error = me->bind_error;
    rec->pid = (int32_t)getpid();
    rec->tid = (int32_t)syscall(SYS_gettid);
    fault_at_job(job); /* PARLAB_FAULT=segv:JOB and friends: for tests and teaching */

    if (plan->lock == LOCK_HELD) {
        double asked = clock_wall();

        lock_take(); /* with threads, the other workers' jobs wait here */
        started = clock_wall();
        rec->lock_wait_s = started - asked;
    } else {
        started = clock_wall();
    }
    rec->t_start_s = started - run->t0;
    rec->pu_start = sched_getcpu();
    cpu0 = clock_thread_cpu();

    rec->result = kernel_run(plan->size);

    rec->cpu_s = clock_thread_cpu() - cpu0;
    rec->pu_end = sched_getcpu();
    rec->t_end_s = clock_wall() - run->t0; /* before the lock is given back */
    if (plan->lock == LOCK_HELD)
        lock_give();
    rec->done = 1;
}
