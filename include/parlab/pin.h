/*
 * pin.h - where workers go: placement policies planned on the hwloc topology, and
 * binding a thread or process to the PU it was given.
 */
#ifndef PARLAB_PIN_H
#define PARLAB_PIN_H

#include <stdbool.h>
#include <stddef.h>

#include "parlab/topo.h"

enum pin_kind {
    PIN_NONE,   /* no binding: workers go wherever the scheduler puts them */
    PIN_CLOSE,  /* one worker per core, cores in hwloc's logical order; a core's second
                 * PU (SMT) only once every core has a worker */
    PIN_SPREAD, /* as far apart as possible: across packages, then NUMA nodes, then
                 * caches (hwloc_distrib) */
    PIN_LIST    /* pus:LIST, the OS PU numbers given, in order */
};

/* The largest PU number and the longest list pus:LIST accepts. */
#define PIN_MAX_PU 65535u
#define PIN_MAX_LIST 4096u

struct pin_policy {
    enum pin_kind kind;
    const char *text; /* as given ("none" by default): the runs CSV's pin column */
    unsigned *pus;    /* PIN_LIST: the PUs, ranges expanded */
    size_t npus;
};

/* The default policy, none; needs no release. */
void pin_policy_init(struct pin_policy *p);

/* Parses "none", "close", "spread" or "pus:LIST", where LIST is comma-separated OS PU
 * numbers and ranges, "0,2,4-7".  Checks the syntax only: whether the PUs exist is
 * pin_plan's business.  Keeps a pointer to text.  Returns 0, or -1 with a one-line
 * reason in msg. */
int pin_parse(struct pin_policy *p, const char *text, char *msg, size_t msglen);

void pin_release(struct pin_policy *p);

/* Plans the PUs of `workers` workers on the usable part of t, into pus[0 .. workers-1]
 * (OS numbers; -1 for every worker with PIN_NONE).  With more workers than places the
 * places are used again from the first: workers then share PUs.  Returns 0, or -1 with
 * msg naming a listed PU that the machine does not have or this process may not use. */
int pin_plan(const struct topo *t, const struct pin_policy *p, unsigned workers, int *pus,
             char *msg, size_t msglen);

/* True when two of the workers were given the same PU. */
bool pin_shared(const int *pus, unsigned workers);

enum pin_scope {
    PIN_THREAD, /* the calling thread only (an OpenMP thread) */
    PIN_PROCESS /* the whole calling process (a forked worker) */
};

/* Binds the calling thread or process to PU `pu`.  Safe in threads and in forked
 * children (t is only read).  Returns 0, or -1 with errno set (ENOSYS or EXDEV where
 * the system refuses binding, EINVAL for a PU outside the allowed cpuset). */
int pin_bind(const struct topo *t, int pu, enum pin_scope scope);

#endif
