/*
 * lock.c - the global lock, one per process.
 */
#include "parlab/lock.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parlab/clock.h"

/*
 * The lock is a small GIL.  A process-private mutex guards it, so fork() gives each
 * child its own copy, which is what makes a child's lock independent of its siblings',
 * as each Python process has its own interpreter lock.  The parent never holds it
 * while it forks.
 *
 * Switching follows CPython's ceval_gil.c: a waiter that sees no hand-over within the
 * interval sets `handover_asked`; the holder notices it between two chunks of its
 * job, gives the lock back and waits until a waiter has taken it (FORCE_SWITCHING),
 * so that it cannot win the lock straight back.
 */
static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t released = PTHREAD_COND_INITIALIZER; /* the lock became free */
static pthread_cond_t taken = PTHREAD_COND_INITIALIZER;    /* someone took it */
static bool locked;
static unsigned long takes;  /* how many times the lock was taken: a switch counter */
static int waiters;
static double interval;      /* seconds; 0: never ask for a hand-over */
static atomic_bool handover_asked;

void lock_set_switch_interval(double seconds)
{
    interval = seconds;
}

static void deadline_after(double seconds, struct timespec *ts)
{
    double s;

    clock_gettime(CLOCK_REALTIME, ts); /* pthread_cond_timedwait's default clock */
    s = (double)ts->tv_nsec * 1e-9 + seconds;
    ts->tv_sec += (time_t)s;
    ts->tv_nsec = (long)((s - (double)(time_t)s) * 1e9);
}

double lock_take(void)
{
    double t0 = clock_wall();

    pthread_mutex_lock(&mutex);
    if (locked) {
        waiters++;
        while (locked) {
            unsigned long seen = takes;

            if (interval > 0) {
                struct timespec deadline;

                deadline_after(interval, &deadline);
                if (pthread_cond_timedwait(&released, &mutex, &deadline) == ETIMEDOUT &&
                    locked && takes == seen)
                    atomic_store(&handover_asked, true); /* a whole interval: ask */
            } else {
                pthread_cond_wait(&released, &mutex);
            }
        }
        waiters--;
    }
    locked = true;
    takes++;
    atomic_store(&handover_asked, false);
    pthread_cond_broadcast(&taken);
    pthread_mutex_unlock(&mutex);
    return clock_wall() - t0;
}

void lock_give(void)
{
    pthread_mutex_lock(&mutex);
    locked = false;
    pthread_cond_signal(&released);
    pthread_mutex_unlock(&mutex);
}

bool lock_handover_asked(void)
{
    return atomic_load_explicit(&handover_asked, memory_order_relaxed);
}

double lock_hand_over(void)
{
    double t0 = clock_wall();
    unsigned long seen;

    pthread_mutex_lock(&mutex);
    locked = false;
    seen = takes;
    pthread_cond_signal(&released);
    while (takes == seen && waiters > 0) /* until a waiter really has it */
        pthread_cond_wait(&taken, &mutex);
    pthread_mutex_unlock(&mutex);
    lock_take();
    return clock_wall() - t0;
}

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
    double count = policy->fraction * (double)steps + 0.5;

    return count >= (double)steps ? steps : (uint64_t)count;
}

