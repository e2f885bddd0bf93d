/*
 * topo.h - the machine as hwloc sees it, and the part of it this process may use.
 */
#ifndef PARLAB_TOPO_H
#define PARLAB_TOPO_H

#include <hwloc.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct topo {
    hwloc_topology_t machine; /* everything hwloc found (or was told) */
    hwloc_topology_t usable;  /* the same, restricted to the usable PUs */
    hwloc_bitmap_t usable_set; /* PUs this process may run on: allowed (cgroups) and
                                * bound (taskset); every PU of a topology not this
                                * machine's */
    bool real;                /* this machine: binding really binds */
    char usable_by[200];      /* what narrows usable_set besides cgroups and taskset, as
                               * the subject of "... to PUS" ("libgomp OMP_PLACES={1}
                               * binds the threads"), or "" (the loader leaves it so) */
    char source[160];         /* "this machine", "HWLOC_SYNTHETIC=...", "HWLOC_XMLFILE=..." */
};

/* Loads the topology hwloc is told about: this machine, or the one HWLOC_XMLFILE or
 * HWLOC_SYNTHETIC describe (for showing another machine's plan).  Returns 0, or -1
 * with errno set: ENOENT or EACCES for an XML file that cannot be read, EINVAL for a
 * description hwloc refused (where hwloc alone would quietly fall back to this
 * machine), E2BIG for a synthetic machine of more than 4096 PUs. */
int topo_load(struct topo *t);

/* Loads this machine's own topology, for programs that bind workers.  HWLOC_XMLFILE,
 * HWLOC_SYNTHETIC and HWLOC_FSROOT would make hwloc describe another machine, and
 * HWLOC_THISSYSTEM=0 would make it take this one for another; either turns binding
 * into a no-op, so they are removed from the environment first; their names are
 * written into `ignored` (empty when none was set) for the caller to report.
 * `bound_pus`, when not NULL, lists the PUs the process may use ("0-3,8") in place of
 * its current binding, which an OpenMP runtime may already have narrowed to one PU.
 * Returns 0, or -1 with errno set: ENOTSUP when hwloc still says the topology is not
 * this machine's (hwloc_topology_is_thissystem(), as HWLOC_COMPONENTS can make it). */
int topo_load_this_machine(struct topo *t, const char *bound_pus, char *ignored,
                           size_t ignored_len);

/* Loads a synthetic topology such as "pack:2 core:4 pu:2" (hwloc's syntax).  Returns
 * 0, or -1 with errno set (EINVAL for a description hwloc refuses, E2BIG for more than
 * 4096 PUs). */
int topo_load_synthetic(struct topo *t, const char *description);

void topo_release(struct topo *t);

/* Number of usable PUs (>= 1). */
int topo_usable_pus(const struct topo *t);

/* Number of cores that hold at least one usable PU; fewer than the usable PUs where
 * a core's PUs are SMT threads.  0 when hwloc shows no cores. */
int topo_usable_cores(const struct topo *t);

/* The PU with OS number `pu` in the whole machine, or NULL when there is none. */
hwloc_obj_t topo_pu(const struct topo *t, unsigned pu);

/* Logical indexes of the core, package and NUMA node holding PU `pu`; -1 for a level
 * the machine does not have. */
struct topo_where {
    int core, package, numa;
};
void topo_where(const struct topo *t, unsigned pu, struct topo_where *where);

/* Prints the machine: packages, NUMA nodes, L3 and L2 caches, cores, PUs, SMT, and the
 * usable PUs. */
void topo_print(const struct topo *t, FILE *out);

/* The hwloc release parlab was built against, "2.9.0". */
const char *topo_hwloc_version(void);

#endif
