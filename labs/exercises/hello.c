/*
 * hello.c - exercise 1: hello from every OpenMP thread, with the PU it runs on, as
 * xthi prints it.
 *
 * Write hello_one first (one thread: no parallel region yet), then hello, and check
 * them with
 *
 *   make check-exercise E=hello          (or: bin/parlab-exercise hello -v)
 *
 * The handout, labs/exercises/01-hello.md, says what each part is for.
 */
#include <omp.h>
#include <string.h>
#include <unistd.h>

#include "hello.h"
#include "parlab/exercise.h"

/* Part 1: the calling thread's greeting: its number, its team's size, the PU it ran on
 * last (hwloc_get_last_cpu_location() for this thread, HWLOC_CPUBIND_THREAD, gives a
 * set; hwloc_bitmap_first() gives its PU) and the host's name (gethostname()). */
void hello_one(hwloc_topology_t topology)
{
#ifdef PARLAB_SOLUTION
    struct greeting g = {.thread = omp_get_thread_num(), .threads = omp_get_num_threads(),
                         .pu = -1};
    hwloc_bitmap_t where = hwloc_bitmap_alloc();

    if (where != NULL &&
        hwloc_get_last_cpu_location(topology, where, HWLOC_CPUBIND_THREAD) == 0)
        g.pu = hwloc_bitmap_first(where);
    hwloc_bitmap_free(where);
    if (gethostname(g.host, sizeof g.host) != 0)
        strcpy(g.host, "unknown");
    g.host[sizeof g.host - 1] = '\0';
    hello_say(&g);
#else
    EXERCISE_TODO("fill a struct greeting (omp_get_thread_num, omp_get_num_threads, "
                  "hwloc_get_last_cpu_location with HWLOC_CPUBIND_THREAD, gethostname) "
                  "and give it to hello_say");
    (void)topology;
#endif
}

/* Part 2: every thread of a team says its greeting: a parallel region. */
void hello(hwloc_topology_t topology)
{
#ifdef PARLAB_SOLUTION
#pragma omp parallel
    hello_one(topology);
#else
    EXERCISE_TODO("a '#pragma omp parallel' region in which every thread says its "
                  "greeting, as hello_one does for one");
    (void)topology;
#endif
}
