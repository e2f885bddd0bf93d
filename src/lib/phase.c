/*
 * phase.c - serial phases that stop the world, parallel parts that pause for them.
 */
#include "parlab/phase.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "parlab/clock.h"

static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static atomic_int serial_wanted;  /* jobs waiting for, or in, a serial phase */
static bool serial_running;
static int parallel_running;      /* jobs computing a parallel part now */

double phase_serial_begin(void)
{
    double t0 = clock_wall();

    pthread_mutex_lock(&mutex);
    atomic_fetch_add(&serial_wanted, 1); /* parallel parts pause at their safepoints */
    while (serial_running || parallel_running > 0)
        pthread_cond_wait(&changed, &mutex);
    serial_running = true;
    pthread_mutex_unlock(&mutex);
    return clock_wall() - t0;
}

void phase_serial_end(void)
{
    pthread_mutex_lock(&mutex);
    serial_running = false;
    atomic_fetch_sub(&serial_wanted, 1);
    pthread_cond_broadcast(&changed);
    pthread_mutex_unlock(&mutex);
}

double phase_parallel_begin(void)
{
    double t0 = clock_wall();

    pthread_mutex_lock(&mutex);
    while (atomic_load(&serial_wanted) > 0) /* serial phases go first */
        pthread_cond_wait(&changed, &mutex);
    parallel_running++;
    pthread_mutex_unlock(&mutex);
    return clock_wall() - t0;
}

double phase_parallel_safepoint(void)
{
    if (atomic_load_explicit(&serial_wanted, memory_order_relaxed) == 0)
        return 0.0; /* the common case: nobody asks, one load and on */
    phase_parallel_end();
    return phase_parallel_begin();
}

void phase_parallel_end(void)
{
    pthread_mutex_lock(&mutex);
    parallel_running--;
    pthread_cond_broadcast(&changed);
    pthread_mutex_unlock(&mutex);
}
