/*
 * fault.h - faults injected on purpose through the environment, for tests and for
 * teaching (PARLAB_FAULT):
 *
 *   bind      every binding fails as in a container that forbids it (ENOSYS)
 *   segv:JOB  the worker that runs job JOB crashes with SIGSEGV
 *   abort:JOB ... aborts (SIGABRT)
 *   exit:JOB  ... exits with status 3
 *   hang:JOB  ... never returns
 *   crash-in-commit  the program dies of SIGKILL after the first write of its CSV rows
 *   corrupt:JOB  the worker that runs job JOB spoils one byte of the job's output payload
 *   fail:JOB  the worker that runs job JOB fails with an error of its own, not a crash
 *             (parlab-mpi: the rank then ends alone; the other programs ignore it)
 *
 * JOB is a job's number, or `any` for every job (for the kinds that end the worker,
 * the first it runs): given to one MPI rank alone (mpirun's `:` syntax), a fault then
 * hits that rank whichever jobs it takes.
 */
#ifndef PARLAB_FAULT_H
#define PARLAB_FAULT_H

#include <stdbool.h>

/* True when PARLAB_FAULT is "bind".  Safe in threads and forked children. */
bool fault_refuse_binding(void);

/* Carries out the fault PARLAB_FAULT asks for job `job`, if any; returns when there is
 * none.  Called by the worker as the job starts.  Safe in threads and forked children
 * (it only reads the environment). */
void fault_at_job(unsigned job);

/* True when PARLAB_FAULT is "corrupt:JOB" for this job. */
bool fault_corrupts(unsigned job);

/* True when PARLAB_FAULT is "fail:JOB" for this job. */
bool fault_fails(unsigned job);

/* Dies of SIGKILL when PARLAB_FAULT is "crash-in-commit".  Called after each write of
 * CSV rows. */
void fault_after_write(void);

#endif
