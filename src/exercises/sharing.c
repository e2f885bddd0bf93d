/*
 * sharing.c - exercise 3's harness: each part's sum against its closed form
 * (labs/exercises/sharing.c), and the term the student's loops call.
 *
 * sharing_term lives here, in a file of its own, so that the compiler of the
 * student's file cannot see it: around each call a partial sum in memory
 * (partial[id] += sharing_term(i)) must be loaded and stored again, and the false
 * sharing of sum_adjacent cannot be optimised away by keeping it in a register.
 */
#include <stdint.h>
#include <stdio.h>

#include "harness.h"
#include "sharing.h"

__attribute__((noinline)) double sharing_term(long i)
{
    /* Even inlined (-flto), the compiler must assume this reads and writes memory. */
    __asm__ volatile("" ::: "memory");
    return (double)(i & 7);
}

/* The sum of (i & 7) for i < n: 28 per whole block of 8, then 0 + 1 + ... + (r - 1).
 * Exact in a double up to 2^53, far beyond the largest size. */
static double closed_form(uint64_t n)
{
    uint64_t blocks = n / 8, r = n % 8;

    return (double)(28 * blocks + r * (r - 1) / 2);
}

static void check(struct trial *t, double (*f)(long))
{
    double want = closed_form(t->size), sum;

    trial_start(t);
    sum = f((long)t->size);
    trial_stop(t);
    t->value = sum;
    t->ok = sum == want;
    if (!t->ok)
        snprintf(t->detail, sizeof t->detail, "sum = %.17g instead of %.17g, off by %.17g",
                 sum, want, sum - want);
}

static void serial(struct trial *t) { check(t, sum_serial); }
static void adjacent(struct trial *t) { check(t, sum_adjacent); }
static void padded(struct trial *t) { check(t, sum_padded); }
static void private_sum(struct trial *t) { check(t, sum_private); }

static const struct harness_part parts[] = {
    {"serial", serial},
    {"adjacent", adjacent},
    {"padded", padded},
    {"private", private_sum},
};

const struct harness exercise_harness = {"sharing", parts, sizeof parts / sizeof parts[0]};
