/*
 * hello-noregion.c - a broken copy of exercise 1 for tests/check-exercises.sh: hello
 * calls hello_one without a parallel region, so only the main thread says hello.
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
}

/* Part 2: every thread of a team says its greeting: a parallel region. */
void hello(hwloc_topology_t topology)
{
    hello_one(topology);
}
