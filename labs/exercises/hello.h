/*
 * hello.h - exercise 1: hello from every thread, and where it runs
 * (labs/exercises/01-hello.md).
 *
 * Each thread fills a struct greeting (who it is, how many threads there are, the PU
 * it runs on, the host) and hands it to hello_say(), which the checker's harness
 * provides: it keeps what each thread said and checks it, as xthi's lines would be
 * checked by eye.  The topology is loaded by the harness before your function is
 * called; use it, do not load one of your own.
 */
#ifndef EXERCISE_HELLO_H
#define EXERCISE_HELLO_H

#include <hwloc.h>

struct greeting {
    int thread;     /* this thread's number in its team: omp_get_thread_num() */
    int threads;    /* the team's size: omp_get_num_threads() */
    int pu;         /* the PU (hwloc's OS index) it ran on last, or -1 */
    char host[256]; /* the host's name: gethostname() */
};

/* Given (the harness): says `g` for the calling thread, once per thread and call.
 * Safe in threads: call it inside the parallel region. */
void hello_say(const struct greeting *g);

/* Part serial: the calling thread's own greeting, said once with hello_say(). */
void hello_one(hwloc_topology_t topology);

/* Parts unbound, close and spread: a parallel region in which every thread of the team
 * says its greeting once.  The parts differ only in OMP_PROC_BIND and OMP_PLACES. */
void hello(hwloc_topology_t topology);

#endif
