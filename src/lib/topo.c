/*
 * topo.c - the machine as hwloc sees it.
 */
#include "parlab/topo.h"

#include <errno.h>
#include <hwloc.h>
#include <stdio.h>

int topo_usable_pus(void)
{
    hwloc_topology_t topo;
    hwloc_bitmap_t bound = NULL;
    int count = -1, saved;

    if (hwloc_topology_init(&topo) != 0)
        return -1;
    if (hwloc_topology_load(topo) != 0)
        goto fail;
    bound = hwloc_bitmap_alloc();
    if (bound == NULL)
        goto fail;
    /* The PUs the topology keeps are the allowed ones (cgroups); the process's
     * binding (taskset, an outer launcher) may narrow them further. */
    if (hwloc_get_cpubind(topo, bound, HWLOC_CPUBIND_PROCESS) == 0)
        hwloc_bitmap_and(bound, bound, hwloc_topology_get_allowed_cpuset(topo));
    else
        hwloc_bitmap_copy(bound, hwloc_topology_get_allowed_cpuset(topo));
    count = hwloc_bitmap_weight(bound);
    if (count < 1) {
        count = -1;
        errno = ENODEV;
    }
fail:
    saved = errno;
    hwloc_bitmap_free(bound);
    hwloc_topology_destroy(topo);
    errno = saved;
    return count;
}

const char *topo_hwloc_version(void)
{
#ifdef HWLOC_VERSION
    return HWLOC_VERSION; /* the release the headers came from */
#else
    return "2";
#endif
}
