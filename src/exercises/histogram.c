/*
 * histogram.c - exercise 6's harness: each part's bins against the harness's own,
 * counted before the call (labs/exercises/histogram.c).  A trial's value is the
 * number of counts the bins hold.
 */
#include <stdint.h>
#include <stdio.h>

#include "harness.h"
#include "histogram.h"

/* Rounds of splitmix64's finaliser: about 10 ns of work per value on a 2020s core, so
 * that a value costs something next to the increment it goes into. */
#define HISTOGRAM_ROUNDS 4

unsigned histogram_value(long i)
{
    uint64_t x = (uint64_t)i;

    for (int r = 0; r < HISTOGRAM_ROUNDS; r++) {
        x += UINT64_C(0x9e3779b97f4a7c15);
        x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
        x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
        x ^= x >> 31;
    }
    /* the trailing zero bits of the hash: half of the values 0, a quarter 1, ... */
    return (unsigned)__builtin_ctzll(x | UINT64_C(1) << (HISTOGRAM_BINS - 1));
}

static void check(struct trial *t, void (*f)(long, unsigned long *))
{
    unsigned long want[HISTOGRAM_BINS] = {0};
    _Alignas(64) unsigned long got[HISTOGRAM_BINS] = {0}; /* one cache line */
    unsigned long total = 0;
    const long n = (long)t->size;

    for (long i = 0; i < n; i++)
        want[histogram_value(i)]++;
    trial_start(t);
    f(n, got);
    trial_stop(t);
    for (int b = 0; b < HISTOGRAM_BINS; b++)
        total += got[b];
    t->value = (double)total;
    t->ok = true;
    for (int b = 0; b < HISTOGRAM_BINS && t->ok; b++) {
        if (got[b] == want[b])
            continue;
        t->ok = false;
        if (total < (unsigned long)n)
            snprintf(t->detail, sizeof t->detail,
                     "bin %d holds %lu instead of %lu; the bins hold %lu counts fewer than "
                     "the %ld values: increments were lost",
                     b, got[b], want[b], (unsigned long)n - total, n);
        else
            snprintf(t->detail, sizeof t->detail,
                     "bin %d holds %lu instead of %lu; the bins hold %lu counts for %ld "
                     "values",
                     b, got[b], want[b], total, n);
    }
}

static void serial(struct trial *t) { check(t, histogram_serial); }
static void lock(struct trial *t) { check(t, histogram_lock); }
static void atomic(struct trial *t) { check(t, histogram_atomic); }
static void private(struct trial *t) { check(t, histogram_private); }

static const struct harness_part parts[] = {
    {"serial", serial},
    {"lock", lock},
    {"atomic", atomic},
    {"private", private},
};

const struct harness exercise_harness = {"histogram", parts, sizeof parts / sizeof parts[0]};
