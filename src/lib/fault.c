/*
 * fault.c - faults injected on purpose (PARLAB_FAULT).
 */
#include "parlab/fault.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool fault_refuse_binding(void)
{
    const char *fault = getenv("PARLAB_FAULT");

    return fault != NULL && strcmp(fault, "bind") == 0;
}

bool fault_corrupts(unsigned job)
{
    const char *fault = getenv("PARLAB_FAULT");
    char *end;

    return fault != NULL && strncmp(fault, "corrupt:", 8) == 0 && fault[8] >= '0' &&
           fault[8] <= '9' && strtoul(fault + 8, &end, 10) == job && *end == '\0';
}

void fault_after_write(void)
{
    const char *fault = getenv("PARLAB_FAULT");

    if (fault != NULL && strcmp(fault, "crash-in-commit") == 0)
        raise(SIGKILL);
}

void fault_at_job(unsigned job)
{
    static const char *const kinds[] = {"segv:", "abort:", "exit:", "hang:"};
    const char *fault = getenv("PARLAB_FAULT");
    size_t k;
    char *end;

    if (fault == NULL)
        return;
    for (k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        if (strncmp(fault, kinds[k], strlen(kinds[k])) == 0)
            break;
    if (k == sizeof kinds / sizeof kinds[0])
        return;
    fault += strlen(kinds[k]);
    if (*fault < '0' || *fault > '9' || strtoul(fault, &end, 10) != job || *end != '\0')
        return;
    switch (k) {
    case 0:
        signal(SIGSEGV, SIG_DFL); /* a crash, whatever handler a sanitizer installed */
        raise(SIGSEGV);
        break;
    case 1:
        abort();
    case 2:
        _exit(3);
    case 3:
        for (;;)
            pause();
    }
}
