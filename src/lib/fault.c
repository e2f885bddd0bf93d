/*
 * fault.c - faults injected on purpose (PARLAB_FAULT).
 */
#include "parlab/fault.h"

#include <stdlib.h>
#include <string.h>

bool fault_refuse_binding(void)
{
    const char *fault = getenv("PARLAB_FAULT");

    return fault != NULL && strcmp(fault, "bind") == 0;
}
