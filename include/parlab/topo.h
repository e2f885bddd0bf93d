/*
 * topo.h - the machine as hwloc sees it.
 */
#ifndef PARLAB_TOPO_H
#define PARLAB_TOPO_H

/* Counts the processing units (hardware threads) this process may run on: the
 * PUs hwloc finds, restricted to the allowed cpuset (cgroups) and to the process's
 * CPU binding (taskset).  Returns the count (>= 1), or -1 with errno set. */
int topo_usable_pus(void);

/* The hwloc release parlab was built against, "2.9.0". */
const char *topo_hwloc_version(void);

#endif
