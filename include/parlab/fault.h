/*
 * fault.h - faults injected on purpose through the environment, for tests and for
 * teaching: PARLAB_FAULT=bind makes every binding fail as a container that forbids
 * it would (ENOSYS), so the "run unbound and say so" path can be seen and tested.
 */
#ifndef PARLAB_FAULT_H
#define PARLAB_FAULT_H

#include <stdbool.h>

/* True when PARLAB_FAULT is "bind".  Safe in threads and forked children. */
bool fault_refuse_binding(void);

#endif
