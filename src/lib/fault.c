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

/* True when spec, what follows "kind:", names job: its number, or "any". */
static bool names_job(const char *spec, unsigned job)
{
    char *end;

    if (strcmp(spec, "any") == 0)
        return true;
    return *spec >= '0' && *spec <= '9' && strtoul(spec, &end, 10) == job && *end == '\0';
}

bool fault_corrupts(unsigned job)
{
    const char *fault = getenv("PARLAB_FAULT");

    return fault != NULL && strncmp(fault, "corrupt:", 8) == 0 && names_job(fault + 8, job);
}

bool fault_fails(unsigned job)
{
    const char *fault = getenv("PARLAB_FAULT");

    return fault != NULL && strncmp(fault, "fail:", 5) == 0 && names_job(fault + 5, job);
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

    if (fault == NULL)
        return;
    for (k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        if (strncmp(fault, kinds[k], strlen(kinds[k])) == 0)
            break;
    if (k == sizeof kinds / sizeof kinds[0])
        return;
    if (!names_job(fault + strlen(kinds[k]), job))
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
