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

/* ---- queue ---------------------------------------------------------------------- */

static const struct exercise_part queue_parts[] = {
    {.name = "serial", .function = "queue_serial", .role = PART_SERIAL, .schedule = ""},
    {.name = "openmp", .function = "queue_openmp", .role = PART_RIGHT,
     .wrong = "the threads did not share out the jobs as one queue: is the loop a '#pragma "
              "omp for' inside the parallel region (without it every thread runs every job), "
              "and does each thread call worker_start once, with its own "
              "omp_get_thread_num()?",
     .schedule = "dynamic,1"},
    {.name = "pthreads", .function = "queue_pthreads", .role = PART_RIGHT,
     .wrong = "the threads did not share out the jobs as one queue: two took the same job "
              "number (taking the next number is a read and a write of the shared counter, "
              "and another thread can come between them: make it one atomic_fetch_add, or "
              "take it under a mutex), or two say they are one worker (does thread i call "
              "worker_start with its own i?)",
     .schedule = "dynamic,1",
     .tsan = true}, /* the race is rare in a run: ThreadSanitizer sees it in every one */
};

static const struct exercise queue = {
    .name = "queue",
    .title = "the job queue of a threads program: OpenMP's dynamic schedule, then pthreads "
             "and a shared counter",
    .handout = "labs/exercises/05-queue.md",
    .size_unit = "(n: each job is wait_loop(n))",
    .size = 36,     /* 1000 jobs of C(36,4) steps: about 0.2 s on one thread */
    .min_size = 4,  /* C(n,4) = 0 below: no work at all */
    .max_size = 100, /* 1000 jobs of n = 100: about 12 s on one thread */
    .parts = queue_parts,
    .nparts = sizeof queue_parts / sizeof queue_parts[0],
    .program = true,
    .jobs = 1000,
};

const struct exercise *const exercise_table[] = {&pi, &queue};
const size_t exercise_count = sizeof exercise_table / sizeof exercise_table[0];
