/*
 * phase.h - serial phases: the part of a job that runs while no other job computes.
 *
 * Amdahl's law assumes that a program's serial fraction runs alone, with every other
 * processor idle.  A lock around part of each job is not enough for that: while one
 * job holds it, the others would go on with the parts of their jobs that need no lock,
 * and the run would beat Amdahl's prediction.  So a job's serial phase here stops the
 * world: a job that wants one waits until every other job's parallel part has paused
 * at its next safepoint (the parallel parts run in chunks of steps and stop between
 * them), runs alone, and lets them go on.  Serial phases run one at a time.
 *
 * One set of phases per process: threads of one process share it; a forked child has
 * its own copy, so processes never wait for each other.  All functions are
 * thread-safe; each returns the seconds it spent waiting.
 */
#ifndef PARLAB_PHASE_H
#define PARLAB_PHASE_H

/* Waits until no other job computes, then enters the serial phase. */
double phase_serial_begin(void);
void phase_serial_end(void);

/* Starts a parallel part (waiting while a serial phase runs or is asked for), pauses
 * it at a safepoint when a serial phase is asked for, and ends it. */
double phase_parallel_begin(void);
double phase_parallel_safepoint(void);
void phase_parallel_end(void);

#endif
