/*
 * lock.c - the global lock, one per process.
 */
#include "parlab/lock.h"

#include <pthread.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A process-private mutex: fork() gives each child its own copy, which is what makes
 * a child's lock independent of its siblings', as each Python process has its own
 * GIL.  The parent never holds it while it forks. */
static pthread_mutex_t global_lock = PTHREAD_MUTEX_INITIALIZER;

int lock_policy_parse(const char *text, struct lock_policy *policy)
{
    const char *value = text + strlen("fraction:");
    double fraction;
    char *end;

    if (strcmp(text, "none") == 0)
        fraction = 0.0;
    else if (strcmp(text, "held") == 0)
        fraction = 1.0;
    else if (strncmp(text, "fraction:", strlen("fraction:")) == 0 &&
             (value[0] == '.' || (value[0] >= '0' && value[0] <= '9')) &&
             strspn(value, "0123456789.") == strlen(value)) {
        errno = 0;
        fraction = strtod(value, &end);
        if (*end != '\0' || errno != 0 || !(fraction >= 0.0 && fraction <= 1.0))
            return -1;
    } else {
        return -1;
    }
    policy->fraction = fraction;
    if (fraction == 0.0)
        snprintf(policy->name, sizeof policy->name, "none");
    else if (fraction == 1.0)
        snprintf(policy->name, sizeof policy->name, "held");
    else
        snprintf(policy->name, sizeof policy->name, "fraction:%g", fraction);
    return 0;
}

uint64_t lock_locked_steps(const struct lock_policy *policy, uint64_t steps)
{
    double locked = policy->fraction * (double)steps + 0.5;

    return locked >= (double)steps ? steps : (uint64_t)locked;
}

void lock_take(void)
{
    pthread_mutex_lock(&global_lock);
}

void lock_give(void)
{
    pthread_mutex_unlock(&global_lock);
}
