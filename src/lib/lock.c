/*
 * lock.c - the global lock, one per process.
 */
#include "parlab/lock.h"

#include <pthread.h>
#include <string.h>

/* A process-private mutex: fork() gives each child its own copy, which is what makes
 * a child's lock independent of its siblings', as each Python process has its own
 * GIL.  The parent never holds it while it forks. */
static pthread_mutex_t global_lock = PTHREAD_MUTEX_INITIALIZER;

const char *lock_mode_name(enum lock_mode mode)
{
    return mode == LOCK_HELD ? "held" : "none";
}

int lock_mode_parse(const char *text, enum lock_mode *mode)
{
    if (strcmp(text, "none") == 0)
        *mode = LOCK_NONE;
    else if (strcmp(text, "held") == 0)
        *mode = LOCK_HELD;
    else
        return -1;
    return 0;
}

void lock_take(void)
{
    pthread_mutex_lock(&global_lock);
}

void lock_give(void)
{
    pthread_mutex_unlock(&global_lock);
}
