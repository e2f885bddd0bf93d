/*
 * check_lock.c - the global lock (lock.c): its policies and the steps they lock,
 * one holder at a time among threads, a lock of its own in a forked child, and
 * GIL-style switching that asks for the lock and hands it over fairly.
 */
#include <check.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "parlab/clock.h"
#include "parlab/lock.h"

#include "testutil.h"

START_TEST(policies_parse_to_their_fraction_and_name)
{
    static const struct {
        const char *text, *name;
        double fraction;
    } good[] = {
        {"none", "none", 0.0},
        {"held", "held", 1.0},
        {"fraction:0.25", "fraction:0.25", 0.25},
        {"fraction:0.250", "fraction:0.25", 0.25}, /* one run, one name */
        {"fraction:.5", "fraction:0.5", 0.5},
        {"fraction:0", "none", 0.0},
        {"fraction:1.0", "held", 1.0},
        {"fraction:0.001", "fraction:0.001", 0.001},
    };

    for (size_t k = 0; k < sizeof good / sizeof good[0]; k++) {
        struct lock_policy p;

        ck_assert_msg(lock_policy_parse(good[k].text, &p) == 0, "'%s' refused", good[k].text);
        ck_assert_str_eq(p.name, good[k].name);
        ck_assert_double_eq(p.fraction, good[k].fraction);
    }
}
END_TEST

START_TEST(anything_else_is_refused_and_nothing_stored)
{
    static const char *const bad[] = {"", "Held", "HELD", "gil", "none ", "fraction",
                                      "fraction:", "fraction:.", "fraction:1.5",
                                      "fraction:-0.1", "fraction:+0.1", "fraction:1e-1",
                                      "fraction: 0.5", "fraction:0.5x", "fraction:0x1",
                                      "fraction:1.0000001", "fraction:nan"};

    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        struct lock_policy p = {.fraction = 0.75, .name = "untouched"};

        ck_assert_msg(lock_policy_parse(bad[k], &p) == -1, "'%s' accepted", bad[k]);
        ck_assert_double_eq(p.fraction, 0.75);
        ck_assert_str_eq(p.name, "untouched");
    }
}
END_TEST

START_TEST(a_fraction_of_the_steps_is_rounded_to_a_step)
{
    struct lock_policy p;

    ck_assert_int_eq(lock_policy_parse("fraction:0.25", &p), 0);
    ck_assert_uint_eq(lock_locked_steps(&p, 1000), 250);
    ck_assert_uint_eq(lock_locked_steps(&p, 1001), 250); /* 250.25 */
    ck_assert_uint_eq(lock_locked_steps(&p, 1002), 251); /* 250.5 */
    ck_assert_uint_eq(lock_locked_steps(&p, 3), 1);      /* 0.75 */
    ck_assert_uint_eq(lock_locked_steps(&p, 1), 0);      /* 0.25 */
    ck_assert_uint_eq(lock_locked_steps(&p, 0), 0);
    ck_assert_int_eq(lock_policy_parse("fraction:0.5", &p), 0);
    ck_assert_uint_eq(lock_locked_steps(&p, 1), 1); /* 0.5 rounds up */
    ck_assert_uint_eq(lock_locked_steps(&p, 495), 248);
    ck_assert_int_eq(lock_policy_parse("held", &p), 0);
    ck_assert_uint_eq(lock_locked_steps(&p, 495), 495);
    ck_assert_uint_eq(lock_locked_steps(&p, UINT64_MAX), UINT64_MAX);
    ck_assert_int_eq(lock_policy_parse("none", &p), 0);
    ck_assert_uint_eq(lock_locked_steps(&p, UINT64_MAX), 0);
}
END_TEST

/* Threads that each take the lock `rounds` times and count how many are inside. */
#define THREADS 4
#define ROUNDS 2000
static atomic_int inside, most_inside;
static long counted; /* changed only with the lock held */

static void *take_and_count(void *arg)
{
    (void)arg;
    for (int k = 0; k < ROUNDS; k++) {
        int now;

        lock_take();
        now = atomic_fetch_add(&inside, 1) + 1;
        for (int most = atomic_load(&most_inside);
             now > most && !atomic_compare_exchange_weak(&most_inside, &most, now);)
            ;
        counted++;
        if (k % 256 == 0)
            sched_yield(); /* give the others a chance to come in, if they could */
        atomic_fetch_sub(&inside, 1);
        lock_give();
    }
    return NULL;
}

START_TEST(threads_hold_the_lock_one_at_a_time)
{
    pthread_t t[THREADS];

    for (int k = 0; k < THREADS; k++)
        ck_assert_int_eq(pthread_create(&t[k], NULL, take_and_count, NULL), 0);
    for (int k = 0; k < THREADS; k++)
        ck_assert_int_eq(pthread_join(t[k], NULL), 0);
    ck_assert_int_eq(atomic_load(&most_inside), 1);
    ck_assert_int_eq(counted, (long)THREADS * ROUNDS);
}
END_TEST

/* A waiter that records when it got the lock. */
static double waited, got_at;

static void *wait_for_the_lock(void *arg)
{
    (void)arg;
    waited = lock_take();
    got_at = clock_wall();
    lock_give();
    return NULL;
}

START_TEST(a_waiter_gets_the_lock_only_after_it_was_given_back)
{
    struct timespec pause = {0, 100000000};
    pthread_t t;
    double given_at;

    ck_assert_double_ge(lock_take(), 0.0); /* nobody holds it: no wait to speak of */
    ck_assert_int_eq(pthread_create(&t, NULL, wait_for_the_lock, NULL), 0);
    nanosleep(&pause, NULL);
    given_at = clock_wall();
    lock_give();
    ck_assert_int_eq(pthread_join(t, NULL), 0);
    ck_assert_double_ge(got_at, given_at);
    ck_assert_double_ge(waited, 0.0);
}
END_TEST

START_TEST(a_forked_child_has_a_lock_of_its_own)
{
    int ready[2];
    pid_t pid;
    int status;
    char c;

    ck_assert_int_eq(pipe(ready), 0);
    fflush(NULL);
    pid = fork(); /* the lock is free here, as it must be at fork() */
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(ready[1]);
        if (read(ready[0], &c, 1) != 1) /* the parent holds its lock now */
            _exit(2);
        lock_take(); /* would wait for ever if the lock were the parent's */
        lock_give();
        _exit(0);
    }
    close(ready[0]);
    lock_take();
    ck_assert_int_eq(write(ready[1], "x", 1), 1);
    ck_assert_int_eq(waitpid(pid, &status, 0), pid); /* still holding it */
    lock_give();
    close(ready[1]);
    ck_assert(WIFEXITED(status));
    ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

static atomic_bool waiter_had_it;

static void *take_note_and_give(void *arg)
{
    (void)arg;
    lock_take();
    atomic_store(&waiter_had_it, true);
    lock_give();
    return NULL;
}

/* Waits (at most 10 s) until a waiter has asked for the lock; false if none did. */
static bool asked_within_10_s(void)
{
    struct timespec pause = {0, 1000000};

    for (int k = 0; k < 10000; k++) {
        if (lock_handover_asked())
            return true;
        nanosleep(&pause, NULL);
    }
    return false;
}

START_TEST(a_waiter_asks_and_the_holder_hands_the_lock_over)
{
    pthread_t t;

    lock_set_switch_interval(0.001);
    lock_take();
    ck_assert(!lock_handover_asked()); /* nobody waits yet */
    ck_assert_int_eq(pthread_create(&t, NULL, take_note_and_give, NULL), 0);
    ck_assert_msg(asked_within_10_s(), "the waiter never asked for the lock");
    ck_assert(!atomic_load(&waiter_had_it));
    ck_assert_double_ge(lock_hand_over(), 0.0);
    /* the holder has it again, and the waiter had it in between */
    ck_assert(atomic_load(&waiter_had_it));
    ck_assert(!lock_handover_asked());
    lock_give();
    ck_assert_int_eq(pthread_join(t, NULL), 0);
    lock_set_switch_interval(0);
}
END_TEST

START_TEST(without_an_interval_nobody_asks)
{
    struct timespec pause = {0, 50000000};
    pthread_t t;

    lock_set_switch_interval(0);
    lock_take();
    ck_assert_int_eq(pthread_create(&t, NULL, take_note_and_give, NULL), 0);
    nanosleep(&pause, NULL);
    ck_assert(!lock_handover_asked());
    ck_assert(!atomic_load(&waiter_had_it));
    lock_give();
    ck_assert_int_eq(pthread_join(t, NULL), 0);
    ck_assert(atomic_load(&waiter_had_it));
}
END_TEST

START_TEST(handing_over_with_nobody_waiting_keeps_the_lock)
{
    lock_take();
    ck_assert_double_ge(lock_hand_over(), 0.0); /* returns: nobody had to take it */
    lock_give();
    ck_assert_double_ge(lock_take(), 0.0); /* free again after one give */
    lock_give();
}
END_TEST

static Suite *lock_suite(void)
{
    Suite *s = suite_create("lock");
    TCase *policy = tcase_create("policy"), *lock = tcase_create("lock");

    tcase_add_test(policy, policies_parse_to_their_fraction_and_name);
    tcase_add_test(policy, anything_else_is_refused_and_nothing_stored);
    tcase_add_test(policy, a_fraction_of_the_steps_is_rounded_to_a_step);
    suite_add_tcase(s, policy);

    tcase_set_timeout(lock, 30);
    tcase_add_test(lock, threads_hold_the_lock_one_at_a_time);
    tcase_add_test(lock, a_waiter_gets_the_lock_only_after_it_was_given_back);
    tcase_add_test(lock, a_forked_child_has_a_lock_of_its_own);
    tcase_add_test(lock, a_waiter_asks_and_the_holder_hands_the_lock_over);
    tcase_add_test(lock, without_an_interval_nobody_asks);
    tcase_add_test(lock, handing_over_with_nobody_waiting_keeps_the_lock);
    suite_add_tcase(s, lock);
    return s;
}

int main(void)
{
    return tu_run_suite(lock_suite());
}
