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
#include <stdio.h>
#include <string.h>

#include "parlab/exercise.h"
#include "parlab/summary.h"
#include "parlab/topo.h"

/* ---- hello --------------------------------------------------------------------- */

static const struct exercise_part hello_parts[] = {
    {.name = "serial", .function = "hello_one", .role = PART_SERIAL,
     .wrong = "it is the calling thread's own greeting, said once, outside any parallel "
              "region: see the handout's first step"},
    {.name = "unbound", .function = "hello", .role = PART_RIGHT,
     .wrong = "not every thread of the team said its own greeting once"},
    {.name = "close", .function = "hello", .role = PART_RIGHT,
     .wrong = "not every thread of the team said its own greeting once, from its own PU",
     .env = {"OMP_PROC_BIND=close", "OMP_PLACES=threads"}},
    {.name = "spread", .function = "hello", .role = PART_RIGHT,
     .wrong = "not every thread of the team said its own greeting once, from its own PU",
     .env = {"OMP_PROC_BIND=spread", "OMP_PLACES=threads"}},
};

/* Where the threads ran, part by part, at the largest W on distinct PUs and past the
 * PUs: sentences, never a failure (the harness checked every greeting). */
static void hello_judge(struct check_state *st)
{
    static const char *const binds[] = {"close", "spread"};
    unsigned top = 1, past = 0;
    const struct part_cell *c;

    for (size_t p = 0; p < st->nparts; p++)
        for (size_t k = 0; k < st->parts[p].ncells; k++) {
            unsigned w = st->parts[p].cells[k].threads;

            if (st->parts[p].cells[k].runs == 0)
                continue;
            if (w <= st->pus && w > top)
                top = w;
            if (w > st->pus && (past == 0 || w < past))
                past = w;
        }
    if (st->pus < 2) {
        check_say(st, "one PU: every thread runs on PU 0, bound or not, so where threads go "
                      "cannot show here (run it on a machine with two PUs or more)");
        snprintf(st->done_note, sizeof st->done_note,
                 "one PU: where threads run could not show");
        return;
    }
    if (top < 2)
        return;
    if ((c = check_cell(st, "unbound", top)) != NULL && c->right == c->runs) {
        if (c->value_nonzero > 0)
            check_say(st, "unbound, with %u threads: threads moved between calls in %u of %u "
                          "runs (%s): nothing binds them, so the operating system may move "
                          "them whenever it likes",
                      top, c->value_nonzero, c->right, c->right_detail);
        else
            check_say(st, "unbound, with %u threads: every thread stayed on one PU in all %u "
                          "runs (%s), but nothing held it there: the operating system may "
                          "move it at any time (see it move with -r 10, or beside another "
                          "program)",
                      top, c->right, c->right_detail);
    }
    for (size_t b = 0; b < sizeof binds / sizeof binds[0]; b++) {
        if ((c = check_cell(st, binds[b], top)) != NULL && c->right == c->runs)
            check_say(st, "with OMP_PROC_BIND=%s and %u threads each thread stayed on a PU of "
                          "its own in every call of all %u runs (%s)",
                      binds[b], top, c->right, c->right_detail);
        if (past > 0 && (c = check_cell(st, binds[b], past)) != NULL && c->right == c->runs)
            check_say(st, "with OMP_PROC_BIND=%s and %u threads on %u PUs the threads share "
                          "the PUs, and still stay where they are put (%s)",
                      binds[b], past, st->pus, c->right_detail);
    }
}

static const struct exercise hello = {
    .name = "hello",
    .title = "hello from every thread, and where it runs: unbound, close and spread",
    .handout = "labs/exercises/01-hello.md",
    .size_unit = "calls",
    .size = 5,
    .min_size = 1,
    .max_size = 1000,
    .parts = hello_parts,
    .nparts = sizeof hello_parts / sizeof hello_parts[0],
    .jobs = 1,
    .no_speed = true,
    .wrong_hint = "see what every thread must say in the handout",
    .judge = hello_judge,
};

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

/* ---- sharing ------------------------------------------------------------------- */

static const struct exercise_part sharing_parts[] = {
    {.name = "serial", .function = "sum_serial", .role = PART_SERIAL},
    {.name = "adjacent", .function = "sum_adjacent", .role = PART_RIGHT,
     .wrong = "two threads add into the same slot of `partial`",
     .schedule = "static"},
    {.name = "padded", .function = "sum_padded", .role = PART_RIGHT,
     .wrong = "two threads add into the same slot of `partial`: is thread id's slot "
              "partial[id * stride], and every slot set to 0 before the region?",
     .schedule = "static"},
    {.name = "private", .function = "sum_private", .role = PART_RIGHT,
     .wrong = "the threads add into the shared `sum` at once: is `mine` declared inside the "
              "region, and the one update of `sum` atomic?",
     .schedule = "static"},
};

/* How much slower sum_adjacent must be than sum_private before padding is judged by
 * time: the 2-PU development VM shows 4 to 7 times (docs/exercises.md), a machine
 * whose PUs share an L1 cache about 1. */
#define SHARING_EFFECT 2.5
/* sum_padded is judged right when it takes at most this many times sum_private's
 * time, or less than the geometric mean of sum_private's and sum_adjacent's. */
#define SHARING_CLOSE 1.25

/* False sharing: sum_adjacent against sum_private at the largest W from 2 to the PUs,
 * and then sum_padded against both.  Says so, and judges nothing, when the machine
 * does not show the effect. */
static void sharing_judge(struct check_state *st)
{
    const struct part_cell *adj = NULL, *pad = NULL, *prv = NULL;
    unsigned top = 0;
    size_t line = exercise_cache_line();
    char why[512] = "";
    bool busy_run = false;

    for (unsigned w = 2; w <= st->pus && w <= 256; w++) {
        const struct part_cell *a = check_cell(st, "adjacent", w),
                               *p = check_cell(st, "padded", w),
                               *q = check_cell(st, "private", w);

        if (a != NULL && p != NULL && q != NULL && a->right > 0 && p->right > 0 &&
            q->right > 0) {
            adj = a, pad = p, prv = q;
            top = w;
        }
    }
    if (check_cell(st, "padded", 1) == NULL)
        return; /* sum_padded not checked (-p) */
    for (size_t p = 0; p < st->nparts; p++)
        for (size_t c = 0; c < st->parts[p].ncells; c++)
            if (st->parts[p].part->role != PART_SERIAL && st->parts[p].cells[c].wrong > 0)
                return; /* a wrong sum is what the verdict says */
    if (st->pus < 2) {
        snprintf(why, sizeof why, "with one PU no two threads run at once, so no cache line "
                                  "goes back and forth between cores");
    } else if (top == 0) {
        check_say(st, "false sharing not measured: sum_padded's time is judged against "
                      "sum_adjacent's and sum_private's with %s%u threads, and they did not "
                      "all run so (check every part, with such a W)",
                  st->pus > 2 ? "2 to " : "", st->pus);
        snprintf(st->done_note, sizeof st->done_note,
                 "sum_padded's speed not judged: false sharing not measured");
        return;
    } else {
        double effect = adj->wall_median / prv->wall_median;
        double ratio = pad->wall_median / prv->wall_median;
        double busy = adj->busy_rate;
        struct topo topo;
        int cores = 0;

        if (pad->busy_rate > busy)
            busy = pad->busy_rate;
        if (prv->busy_rate > busy)
            busy = prv->busy_rate;
        if (topo_load(&topo) == 0) {
            cores = topo_usable_cores(&topo);
            topo_release(&topo);
        }
        if (!adj->busy_known || !pad->busy_known || !prv->busy_known || adj->too_short ||
            pad->too_short || prv->too_short) {
            snprintf(why, sizeof why, "%s, so its times may be another program's (a larger "
                                      "--size makes the runs longer)",
                     adj->busy_known && pad->busy_known && prv->busy_known
                         ? "the runs were too short to tell whether other programs took "
                           "PUs from them"
                         : "whether other programs ran could not be read (/proc/stat)");
            busy_run = true;
        } else if (busy > SUMMARY_BUSY_RATE) {
            snprintf(why, sizeof why, "other programs used %.1f PUs while it ran with %u "
                                      "threads, so its times say little (run it again on a "
                                      "quieter machine)",
                     busy, top);
            busy_run = true;
        } else if (effect < SHARING_EFFECT) {
            char how[128];

            if (effect < SHARING_CLOSE)
                snprintf(how, sizeof how, "sum_adjacent and sum_private ran at the same speed");
            else
                snprintf(how, sizeof how, "sum_adjacent took only %.2f times as long as "
                                          "sum_private, too little to judge by", effect);
            snprintf(why, sizeof why, "%s (%.3f s and %.3f s with %u threads)%s", how,
                     adj->wall_median, prv->wall_median, top,
                     cores > 0 && (unsigned)cores < top
                         ? ": its PUs share cores, and the threads of one core share its "
                           "L1 cache, where false sharing costs little"
                         : "");
        } else if (ratio <= SHARING_CLOSE || ratio * ratio <= effect) {
            check_say(st, "false sharing: with %u threads sum_adjacent took %.2f times as long "
                          "as sum_private (%.3f s against %.3f s), its slots on one %zu-byte "
                          "cache line; sum_padded took %.2f times as long (%.3f s): its slots "
                          "are on lines of their own",
                      top, effect, adj->wall_median, prv->wall_median, line, ratio,
                      pad->wall_median);
            return;
        } else {
            check_fail(st, "sum_padded is %s sum_adjacent (%.3f s against %.3f s, sum_private "
                           "%.3f s, with %u threads): its slots still share a cache line of "
                           "%zu bytes (hwloc): false sharing; put thread id's slot at "
                           "partial[id * %zu] in an array from aligned_alloc(%zu, ...)",
                       pad->wall_median >= 0.75 * adj->wall_median ? "as slow as"
                                                                    : "nearly as slow as",
                       pad->wall_median, adj->wall_median, prv->wall_median, top, line,
                       line / sizeof(double), line);
            return;
        }
    }
    check_say(st, "this %s does not show false sharing: %s; padding cannot be judged by time "
                  "here",
              busy_run ? "run" : "machine", why);
    snprintf(st->done_note, sizeof st->done_note,
             "sum_padded's speed not judged: this run does not show false sharing");
}

static const struct exercise sharing = {
    .name = "sharing",
    .title = "false sharing: adjacent slots, slots padded to a cache line, a private sum",
    .handout = "labs/exercises/03-sharing.md",
    .size_unit = "terms",
    .size = 60000000, /* 0.23 s serially on the 2-PU development machine */
    .min_size = 1000,
    .max_size = 4000000000ull,
    .parts = sharing_parts,
    .nparts = sizeof sharing_parts / sizeof sharing_parts[0],
    .jobs = 1,
    .judge = sharing_judge,
};

/* ---- what the judges of schedule and histogram share --------------------------- */

/* A cell that is right in every run. */
static bool all_right(const struct part_cell *c)
{
    return c != NULL && c->right > 0 && c->wrong == 0;
}

/* The largest W from 2 to the PUs at which every part named (NULL-terminated) was
 * right in every run, or 0. */
static unsigned judge_top(const struct check_state *st, const char *const *names)
{
    unsigned top = 0;

    for (size_t p = 0; p < st->nparts; p++) {
        if (strcmp(st->parts[p].part->name, names[0]) != 0)
            continue;
        for (size_t c = 0; c < st->parts[p].ncells; c++) {
            unsigned w = st->parts[p].cells[c].threads;
            bool all = w >= 2 && w <= st->pus && w > top;

            for (size_t k = 0; all && names[k] != NULL; k++)
                all = all_right(check_cell(st, names[k], w));
            if (all)
                top = w;
        }
    }
    return top;
}

/* Whether any of the parts named was checked (not skipped by --part, and done). */
static bool any_checked(const struct check_state *st, const char *const *names)
{
    for (size_t p = 0; p < st->nparts; p++)
        for (size_t k = 0; names[k] != NULL; k++)
            if (strcmp(st->parts[p].part->name, names[k]) == 0 && !st->parts[p].skipped &&
                !st->parts[p].todo)
                return true;
    return false;
}

/* Whether a's runs were all slower than b's: a's fastest beyond b's slowest. */
static bool slower(const struct part_cell *a, const struct part_cell *b)
{
    return a->wall_min > b->wall_max;
}

/* Whether the cells x and y (functions fx and fy, at W threads) can be compared for
 * speed: neither disturbed nor unknown, both run more than once.  When not, says so
 * in one sentence and returns false. */
static bool comparable(struct check_state *st, const char *fx, const struct part_cell *x,
                       const char *fy, const struct part_cell *y, unsigned w)
{
    const struct part_cell *busy = x->busy_rate > y->busy_rate ? x : y;
    const char *why = NULL;

    if (!x->busy_known || !y->busy_known)
        why = "but whether other programs ran meanwhile could not be read (/proc/stat): "
              "the comparison says little";
    else if (x->too_short || y->too_short)
        why = "but the runs were too short to tell whether other programs took PUs from "
              "them: the comparison says little (a larger --size makes them longer)";
    else if (busy->busy_rate > SUMMARY_BUSY_RATE) {
        check_say(st, "%s against %s with %u threads: %.4f s and %.4f s (medians), but "
                      "other programs used %.1f PUs meanwhile: the comparison says little "
                      "(run it again with nothing else running)",
                  fx, fy, w, x->wall_median, y->wall_median, busy->busy_rate);
        return false;
    } else if (x->right < 2 || y->right < 2)
        why = "one run each: too few to tell them apart from chance (use -r 3)";
    if (why != NULL)
        check_say(st, "%s against %s with %u threads: %.4f s and %.4f s, %s", fx, fy, w,
                  x->wall_median, y->wall_median, why);
    return why == NULL;
}

/* ---- schedule ------------------------------------------------------------------ */

/* At the largest W from 2 to the PUs: static against dynamic, from their wall times
 * and their tails (the harness's value: from the first thread of the team to finish
 * its jobs to the last). */
static void schedule_judge(struct check_state *st)
{
    static const char *const both[] = {"static", "dynamic", NULL};
    const struct part_cell *s, *d;
    unsigned w;

    if (!any_checked(st, both + 0) || !any_checked(st, both + 1))
        return;
    if (st->pus < 2) {
        check_say(st, "static against dynamic: with one PU the threads take turns on it, so "
                      "neither schedule can finish sooner; compare them on a machine with "
                      "two PUs or more");
        return;
    }
    if ((w = judge_top(st, both)) == 0)
        return; /* a failure, or no W from 2 to the PUs: said above */
    s = check_cell(st, "static", w);
    d = check_cell(st, "dynamic", w);
    if (!comparable(st, "schedule_static", s, "schedule_dynamic", d, w))
        return;
    if (slower(s, d))
        check_say(st, "schedule_dynamic was %.2fx as fast as schedule_static with %u threads "
                      "(%.4f s against %.4f s, medians; every static run was slower than "
                      "every dynamic one): static's threads finished %.4f s apart (the "
                      "tail, from the jobs' records), because its blocks were fixed before "
                      "the loop started and the last holds the longest jobs; dynamic's "
                      "finished %.4f s apart, because a thread that was free took the next "
                      "job",
                  s->wall_median / d->wall_median, w, d->wall_median, s->wall_median,
                  s->value_median, d->value_median);
    else if (slower(d, s))
        check_say(st, "schedule_static was faster than schedule_dynamic with %u threads "
                      "(%.4f s against %.4f s, medians; every dynamic run was slower), "
                      "although static's threads finished %.4f s apart and dynamic's %.4f "
                      "s: the jobs' sizes do not explain it; look at both in the timeline "
                      "(the handout says how)",
                  w, s->wall_median, d->wall_median, s->value_median, d->value_median);
    else
        check_say(st, "schedule_static and schedule_dynamic with %u threads took about as "
                      "long (%.4f-%.4f s and %.4f-%.4f s: the runs' ranges overlap), so "
                      "these runs do not tell them apart; static's threads finished %.4f s "
                      "apart, dynamic's %.4f s",
                  w, s->wall_min, s->wall_max, d->wall_min, d->wall_max, s->value_median,
                  d->value_median);
}

static const struct exercise_part schedule_parts[] = {
    {.name = "serial", .function = "schedule_serial", .role = PART_SERIAL},
    {.name = "static", .function = "schedule_static", .role = PART_RIGHT, .not_race = true,
     .wrong = "the loop was not shared out as schedule(static) shares it",
     .schedule = "static"},
    {.name = "dynamic", .function = "schedule_dynamic", .role = PART_RIGHT, .not_race = true,
     .wrong = "the loop was not shared out as schedule(dynamic, 1) shares it",
     .schedule = "dynamic,1"},
    {.name = "guided", .function = "schedule_guided", .role = PART_RIGHT, .not_race = true,
     .wrong = "the loop was not shared out as schedule(guided) shares it",
     .schedule = "guided"},
    {.name = "cyclic", .function = "schedule_cyclic", .role = PART_RIGHT, .not_race = true,
     .wrong = "the loop was not shared out as schedule(static, 1) shares it",
     .schedule = "static,1"},
};

static const struct exercise schedule = {
    .name = "schedule",
    .title = "a loop of unequal jobs: static, dynamic, guided and static,1 schedules",
    .handout = "labs/exercises/04-schedule.md",
    .size_unit = "(n of the last job's kernel; job 0's is half)",
    .size = 96,
    .min_size = 16,
    .max_size = 320, /* the last job alone: C(320, 4) = 4.3e8 steps, about a second */
    .parts = schedule_parts,
    .nparts = sizeof schedule_parts / sizeof schedule_parts[0],
    .jobs = 48,
    .judge = schedule_judge,
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

/* ---- histogram ----------------------------------------------------------------- */

/* One pair's sentence: a the slower way, b the faster, at W; why says why a costs
 * more, when it does. */
static void histogram_pair(struct check_state *st, unsigned w, const char *a, const char *b,
                           const char *why)
{
    const struct part_cell *x = check_cell(st, a, w), *y = check_cell(st, b, w);

    if (slower(x, y))
        check_say(st, "histogram_%s took %.1f times as long as histogram_%s with %u threads "
                      "(%.4f s against %.4f s, medians; every run of one slower than every "
                      "run of the other): %s",
                  a, x->wall_median / y->wall_median, b, w, x->wall_median, y->wall_median,
                  why);
    else if (slower(y, x))
        check_say(st, "histogram_%s was faster than histogram_%s with %u threads (%.4f s "
                      "against %.4f s, medians), the other way round from the usual: run it "
                      "again with nothing else running before you explain it",
                  a, b, w, x->wall_median, y->wall_median);
    else
        check_say(st, "histogram_%s and histogram_%s with %u threads took about as long "
                      "(%.4f-%.4f s and %.4f-%.4f s: the runs' ranges overlap), so these runs "
                      "do not tell them apart",
                  a, b, w, x->wall_min, x->wall_max, y->wall_min, y->wall_max);
}

/* At the largest W from 2 to the PUs at which both were right: lock against atomic,
 * atomic against private. */
static void histogram_judge(struct check_state *st)
{
    static const char *const all[] = {"lock", "atomic", "private", NULL};
    static const char *const pairs[2][3] = {{"lock", "atomic", NULL},
                                            {"atomic", "private", NULL}};
    static const char *const why[2] = {
        "each of its increments takes the lock and gives it back, and a thread that finds "
        "it taken waits; an atomic increment is one indivisible instruction",
        "each atomic increment writes the shared bins, so the cache line that holds them "
        "goes back and forth between the cores; a private histogram is written by its own "
        "thread only, and the shared bins once per thread at the end"};

    if (st->pus < 2) {
        if (any_checked(st, all))
            check_say(st, "with one PU the threads take turns on it: the bins are never "
                          "written by two threads at the same moment, so what a lock or an "
                          "atomic costs when they are is not measured here");
        return;
    }
    for (int p = 0; p < 2; p++) {
        unsigned w = judge_top(st, pairs[p]);
        const struct part_cell *x, *y;
        char fx[32], fy[32];

        if (w == 0)
            continue; /* not both checked and right at a W from 2 to the PUs */
        x = check_cell(st, pairs[p][0], w);
        y = check_cell(st, pairs[p][1], w);
        snprintf(fx, sizeof fx, "histogram_%s", pairs[p][0]);
        snprintf(fy, sizeof fy, "histogram_%s", pairs[p][1]);
        if (comparable(st, fx, x, fy, y, w))
            histogram_pair(st, w, pairs[p][0], pairs[p][1], why[p]);
    }
}

/* The threads are bound one to a PU (spread over them), so that two threads of a
 * trial run on two PUs at once whenever the machine lets them: unbound, a busy
 * machine's scheduler may stack them on one PU, where a lost update cannot happen. */
#define HISTOGRAM_ENV {"OMP_PROC_BIND=spread", "OMP_PLACES=threads", NULL}

static const struct exercise_part histogram_parts[] = {
    {.name = "serial", .function = "histogram_serial", .role = PART_SERIAL,
     .env = HISTOGRAM_ENV},
    {.name = "lock", .function = "histogram_lock", .role = PART_RIGHT,
     .wrong = "some increment of the shared bins is made without holding the lock, so two "
              "threads can make it at once and one undoes the other",
     .schedule = "static", .env = HISTOGRAM_ENV},
    {.name = "atomic", .function = "histogram_atomic", .role = PART_RIGHT,
     .wrong = "some increment of the shared bins is not atomic, so two threads can read the "
              "same count, add one and write it back, and one increment is lost",
     .schedule = "static", .env = HISTOGRAM_ENV},
    {.name = "private", .function = "histogram_private", .role = PART_RIGHT,
     .wrong = "the threads still count into shared bins somewhere: does each count into its "
              "own, and is the adding into bins at the end inside critical (or atomic)?",
     .schedule = "static", .env = HISTOGRAM_ENV},
};

static const struct exercise histogram = {
    .name = "histogram",
    .title = "a shared histogram: a lock, atomic increments, private histograms merged",
    .handout = "labs/exercises/06-histogram.md",
    .size_unit = "values",
    .size = 10000000,
    .min_size = 1000,
    .max_size = 4000000000ull,
    .parts = histogram_parts,
    .nparts = sizeof histogram_parts / sizeof histogram_parts[0],
    .jobs = 1,
    .judge = histogram_judge,
};

const struct exercise *const exercise_table[] = {&hello, &pi,    &sharing,
                                                  &schedule, &queue, &histogram};
const size_t exercise_count = sizeof exercise_table / sizeof exercise_table[0];
