/*
 * check_phase.c - a serial phase stops the world: while one job is in it, no other
 * job's parallel part makes progress; parallel parts run side by side otherwise.
 */
#include <check.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <unistd.h>

#include "parlab/clock.h"
#include "parlab/phase.h"

#include "testutil.h"

static atomic_long progress;  /* chunks the parallel worker has done */
static atomic_bool stop;

static void *parallel_worker(void *arg)
{
    (void)arg;
    phase_parallel_begin();
    while (!atomic_load(&stop)) {
        atomic_fetch_add(&progress, 1); /* a chunk of work */
        usleep(100);
        phase_parallel_safepoint();
    }
    phase_parallel_end();
    return NULL;
}

START_TEST(nothing_runs_beside_a_serial_phase)
{
    pthread_t worker;
    long before, during, after;

    ck_assert_int_eq(pthread_create(&worker, NULL, parallel_worker, NULL), 0);
    usleep(20000);
    ck_assert_int_gt(atomic_load(&progress), 0); /* it works while nobody asks */
    phase_serial_begin();                        /* returns once it has paused */
    before = atomic_load(&progress);
    usleep(50000);
    during = atomic_load(&progress);
    phase_serial_end();
    usleep(20000);
    after = atomic_load(&progress);
    atomic_store(&stop, true);
    ck_assert_int_eq(pthread_join(worker, NULL), 0);
    ck_assert_int_eq(during, before);  /* no chunk while the serial phase ran */
    ck_assert_int_gt(after, during);   /* and on again afterwards */
}
END_TEST

static void *serial_worker(void *arg)
{
    atomic_int *inside = arg;

    for (int k = 0; k < 200; k++) {
        phase_serial_begin();
        ck_assert_int_eq(atomic_fetch_add(inside, 1), 0); /* alone in it */
        usleep(50);
        atomic_fetch_sub(inside, 1);
        phase_serial_end();
    }
    return NULL;
}

START_TEST(serial_phases_run_one_at_a_time)
{
    atomic_int inside = 0;
    pthread_t a, b, c;

    ck_assert_int_eq(pthread_create(&a, NULL, serial_worker, &inside), 0);
    ck_assert_int_eq(pthread_create(&b, NULL, serial_worker, &inside), 0);
    ck_assert_int_eq(pthread_create(&c, NULL, serial_worker, &inside), 0);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    pthread_join(c, NULL);
    ck_assert_int_eq(atomic_load(&inside), 0);
}
END_TEST

static Suite *phase_suite(void)
{
    Suite *s = suite_create("phase");
    TCase *tc = tcase_create("phase");

    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, nothing_runs_beside_a_serial_phase);
    tcase_add_test(tc, serial_phases_run_one_at_a_time);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(phase_suite());
}
