/*
 * exercises.c - the exercises parlab-exercise knows: each one's parts, what it means
 * when one is wrong, and what its judge says about speed (checker.h).
 *
 * Adding an exercise: its student's file labs/exercises/NAME.c (with its solution in
 * #ifdef PARLAB_SOLUTION blocks) and header NAME.h, its harness src/exercises/NAME.c,
 * its handout, and an entry here.
 */
#include "parlab/checker.h"

#include <stddef.h>

/* ---- pi ------------------------------------------------------------------------ */

static const struct exercise_part pi_parts[] = {
    {.name = "serial", .function = "pi_serial", .role = PART_SERIAL},
    {.name = "race", .function = "pi_race", .role = PART_RACE,
     .wrong = "the threads read `sum`, add to it and write it back at the same time, and "
              "one thread's write undoes another's",
     .schedule = "static"},
    {.name = "critical", .function = "pi_critical", .role = PART_RIGHT,
     .wrong = "some update of the shared `sum` is outside the critical section, so two "
              "threads can make it at once",
     .schedule = "static"},
    {.name = "atomic", .function = "pi_atomic", .role = PART_RIGHT,
     .wrong = "some update of the shared `sum` is not atomic, so two threads can make it "
              "at once",
     .schedule = "static"},
    {.name = "reduction", .function = "pi_reduction", .role = PART_RIGHT,
     .wrong = "the threads still add into one shared `sum`: is reduction(+:sum) on the "
              "loop, and is the loop the one that adds?",
     .schedule = "static"},
};

static const struct exercise pi = {
    .name = "pi",
    .title = "pi by numerical integration: a race, then critical, atomic and reduction",
    .handout = "labs/exercises/02-pi.md",
    .size_unit = "steps",
    .size = 100000000, /* 0.17 s serially on the 2-PU development machine */
    .min_size = 100000, /* fewer steps: the midpoint rule is more than 1e-11 off */
    .max_size = 4000000000ull,
    .parts = pi_parts,
    .nparts = sizeof pi_parts / sizeof pi_parts[0],
    .jobs = 1,
};

const struct exercise *const exercise_table[] = {&pi};
const size_t exercise_count = sizeof exercise_table / sizeof exercise_table[0];
