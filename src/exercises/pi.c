/*
 * pi.c - exercise 2's harness: each part's pi against M_PI (labs/exercises/pi.c).
 */
#include <math.h>
#include <stdio.h>

#include "harness.h"
#include "pi.h"

/* The midpoint rule with 10^5 or more steps is within 1e-11 of pi; rounding in a sum
 * of up to 4 * 10^9 terms, in any order, stays well inside the rest. */
#define PI_TOLERANCE 1e-10

static void check(struct trial *t, double (*f)(long))
{
    double pi;

    trial_start(t);
    pi = f((long)t->size);
    trial_stop(t);
    t->value = pi;
    t->ok = fabs(pi - M_PI) <= PI_TOLERANCE;
    if (!t->ok)
        snprintf(t->detail, sizeof t->detail, "pi = %.12f instead of %.12f, off by %.3g", pi,
                 M_PI, pi - M_PI);
}

static void serial(struct trial *t) { check(t, pi_serial); }
static void race(struct trial *t) { check(t, pi_race); }
static void critical(struct trial *t) { check(t, pi_critical); }
static void atomic(struct trial *t) { check(t, pi_atomic); }
static void reduction(struct trial *t) { check(t, pi_reduction); }

static const struct harness_part parts[] = {
    {"serial", serial}, {"race", race}, {"critical", critical},
    {"atomic", atomic}, {"reduction", reduction},
};

const struct harness exercise_harness = {"pi", parts, sizeof parts / sizeof parts[0]};
