/*
 * hello.c - exercise 1's harness: every thread's greeting in every call, checked
 * exactly, and where the threads ran (labs/exercises/hello.c).
 *
 * A trial calls the student's function --size times, 10 ms apart (long enough for
 * idle OpenMP threads to go to sleep, and for the operating system to wake them
 * elsewhere).  In each call every thread 0..T-1 of a team of T = omp_get_max_threads()
 * must say hello exactly once, with its own number, the team's size, a PU that this
 * process may use and that its thread may run on, and the host's name.  With
 * OMP_PROC_BIND set each thread must be on the same PU in every call, and the threads
 * on distinct PUs while there are at least T places.  The trial's value is how many
 * times a thread was on another PU than in the call before; its detail says where the
 * threads were (the one that moved most, or each thread's PU), for the judge
 * (exercises.c).  The first call's greetings, and every
 * move after it, are notes (parlab-exercise -v).
 */
#include <hwloc.h>
#include <omp.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "hello.h"
#include "parlab/exercise.h"

#define MAX_SAID 1024 /* greetings kept per call; more are counted */
#define PAUSE_NS 10000000L

/* One greeting as the harness received it. */
struct said {
    struct greeting g;
    int caller;       /* omp_get_thread_num() of the thread that said it */
    int team;         /* omp_get_num_threads() there */
    int in_binding;   /* g.pu is in the caller's binding: 1, 0, or -1 (hwloc cannot say) */
    char binding[64]; /* the caller's binding, as hwloc lists it ("0-1") */
};

static hwloc_topology_t topology;
static struct said said[MAX_SAID];
static atomic_uint nsaid;

void hello_say(const struct greeting *g)
{
    unsigned k = atomic_fetch_add(&nsaid, 1);
    struct said *s;
    hwloc_bitmap_t set;

    if (k >= MAX_SAID)
        return;
    s = &said[k];
    s->g = *g;
    s->g.host[sizeof s->g.host - 1] = '\0';
    s->caller = omp_get_thread_num();
    s->team = omp_get_num_threads();
    s->in_binding = -1;
    s->binding[0] = '\0';
    set = hwloc_bitmap_alloc();
    if (set != NULL && hwloc_get_cpubind(topology, set, HWLOC_CPUBIND_THREAD) == 0) {
        s->in_binding = g->pu >= 0 && hwloc_bitmap_isset(set, (unsigned)g->pu);
        hwloc_bitmap_list_snprintf(s->binding, sizeof s->binding, set);
    }
    hwloc_bitmap_free(set);
}

/* What one trial knows besides the greetings. */
struct expect {
    int threads;          /* T */
    const char *function; /* "hello" */
    char host[256];
    hwloc_const_bitmap_t allowed;
    char allowed_text[64];
};

/* Checks the greetings of call `call` (from 1); puts each thread's PU into pu[T].
 * Returns false with the first problem in t->detail. */
static bool check_call(struct trial *t, const struct expect *e, unsigned call, int *pu)
{
    unsigned n = atomic_load(&nsaid), count[256] = {0};
    const int T = e->threads;

    if (n > MAX_SAID) {
        snprintf(t->detail, sizeof t->detail, "call %u: %u greetings from a team of %d", call,
                 n, T);
        return false;
    }
    if (n == 0) {
        snprintf(t->detail, sizeof t->detail,
                 "call %u: no thread said hello (does %s give its greeting to hello_say?)",
                 call, e->function);
        return false;
    }
    for (unsigned k = 0; k < n; k++) {
        const struct said *s = &said[k];

        if (s->team != T) {
            if (s->team == 1)
                snprintf(t->detail, sizeof t->detail,
                         "call %u: only the main thread said hello, outside any parallel "
                         "region (a team of %d was asked for): is hello_say called inside "
                         "'#pragma omp parallel'?",
                         call, T);
            else
                snprintf(t->detail, sizeof t->detail,
                         "call %u: thread %d said hello in a team of %d threads, not of the "
                         "%d that OMP_NUM_THREADS asks for (a num_threads clause?)",
                         call, s->caller, s->team, T);
            return false;
        }
        if (s->caller >= 0 && s->caller < T)
            count[s->caller]++;
    }
    for (int i = 0; i < T; i++)
        if (count[i] != 1) {
            if (count[i] == 0)
                snprintf(t->detail, sizeof t->detail,
                         "call %u: thread %d of %d did not say hello", call, i, T);
            else
                snprintf(t->detail, sizeof t->detail,
                         "call %u: thread %d said hello %u times, not once", call, i,
                         count[i]);
            return false;
        }
    for (unsigned k = 0; k < n; k++) {
        const struct said *s = &said[k];
        const struct greeting *g = &s->g;

        if (g->thread != s->caller) {
            snprintf(t->detail, sizeof t->detail,
                     "call %u: thread %d said it was thread %d (is the variable that holds "
                     "omp_get_thread_num() shared by the threads? declare it inside the "
                     "region)",
                     call, s->caller, g->thread);
            return false;
        }
        if (g->threads != T) {
            snprintf(t->detail, sizeof t->detail,
                     "call %u: thread %d said its team has %d thread%s, not %d (outside a "
                     "parallel region omp_get_num_threads() is 1)",
                     call, s->caller, g->threads, g->threads == 1 ? "" : "s", T);
            return false;
        }
        if (g->pu < 0 || !hwloc_bitmap_isset(e->allowed, (unsigned)g->pu)) {
            snprintf(t->detail, sizeof t->detail,
                     "call %u: thread %d said PU %d, not one this process may use (PUs %s): "
                     "is it hwloc_bitmap_first() of what hwloc_get_last_cpu_location() "
                     "gave?",
                     call, s->caller, g->pu, e->allowed_text);
            return false;
        }
        if (s->in_binding == 0) {
            snprintf(t->detail, sizeof t->detail,
                     "call %u: thread %d said PU %d, but it may run only on PU%s %s: did "
                     "hwloc_get_last_cpu_location() ask about this thread "
                     "(HWLOC_CPUBIND_THREAD) or the whole process?",
                     call, s->caller, g->pu, strpbrk(s->binding, ",-") ? "s" : "", s->binding);
            return false;
        }
        if (strcmp(g->host, e->host) != 0) {
            snprintf(t->detail, sizeof t->detail,
                     "call %u: thread %d said host '%.64s', not '%.64s' (gethostname())", call,
                     s->caller, g->host, e->host);
            return false;
        }
        pu[s->caller] = g->pu;
    }
    return true;
}

/* The first call's greetings, xthi's way, and each move after it: notes. */
static void note_call(unsigned call, int T, const int *pu, const int *before)
{
    unsigned n = atomic_load(&nsaid);

    for (unsigned k = 0; k < n && k < MAX_SAID; k++) {
        const struct said *s = &said[k];

        if (call == 1)
            exercise_note("Hello from thread %d of %d, on PU %d (it may run on PU%s %s) of "
                          "host %s",
                          s->g.thread, s->g.threads, s->g.pu,
                          strpbrk(s->binding, ",-") ? "s" : "", s->binding, s->g.host);
    }
    for (int i = 0; call > 1 && i < T; i++)
        if (pu[i] != before[i])
            exercise_note("call %u: thread %d on PU %d now (it was on PU %d)", call, i, pu[i],
                          before[i]);
}

/* Across calls: bound threads stay, on distinct PUs while there are places enough;
 * t->value and t->detail say where the threads were. */
static bool check_calls(struct trial *t, int T, unsigned calls, const int *pu)
{
    bool bound = T > 1 && omp_get_proc_bind() != omp_proc_bind_false;
    int places = omp_get_num_places();
    unsigned changes = 0, most = 0, moved = 0;
    int mover = -1;
    size_t used = 0;

    for (int i = 0; i < T; i++) {
        unsigned c = 0;

        for (unsigned k = 1; k < calls; k++)
            if (pu[k * (unsigned)T + (unsigned)i] != pu[(k - 1) * (unsigned)T + (unsigned)i]) {
                if (bound) {
                    snprintf(t->detail, sizeof t->detail,
                             "thread %d said PU %d in call %u and PU %d in call %u, though "
                             "OMP_PROC_BIND binds it: is the PU the one this thread ran on?",
                             i, pu[(k - 1) * (unsigned)T + (unsigned)i], k,
                             pu[k * (unsigned)T + (unsigned)i], k + 1);
                    return false;
                }
                c++;
            }
        changes += c;
        moved += c > 0;
        if (c > most) {
            most = c;
            mover = i;
        }
    }
    for (int i = 0; bound && T <= places && i < T; i++)
        for (int j = 0; j < i; j++)
            if (pu[i] == pu[j]) {
                snprintf(t->detail, sizeof t->detail,
                         "threads %d and %d both said PU %d, though OMP_PROC_BIND puts %d "
                         "threads on %d places, one each",
                         j, i, pu[i], T, places);
                return false;
            }
    t->value = changes;
    if (mover >= 0) {
        int where[16];
        unsigned nwhere = 0;

        for (unsigned k = 0; k < calls && nwhere < 16; k++) {
            int p = pu[k * (unsigned)T + (unsigned)mover];
            bool seen = false;

            for (unsigned j = 0; j < nwhere; j++)
                seen = seen || where[j] == p;
            if (!seen)
                where[nwhere++] = p;
        }
        used = (size_t)snprintf(t->detail, sizeof t->detail,
                                "thread %d moved %u time%s in %u calls, between PUs", mover,
                                most, most == 1 ? "" : "s", calls);
        for (unsigned j = 0; j < nwhere && used < sizeof t->detail; j++)
            used += (size_t)snprintf(t->detail + used, sizeof t->detail - used, "%s%d",
                                     j == 0 ? " " : j + 1 == nwhere ? " and " : ", ", where[j]);
        if (used < sizeof t->detail)
            snprintf(t->detail + used, sizeof t->detail - used, "; %u of %d threads moved",
                     moved, T);
        return true;
    }
    for (int i = 0; i < T && used + 40 < sizeof t->detail; i++)
        used += (size_t)snprintf(t->detail + used, sizeof t->detail - used,
                                 "%sthread %d on PU %d", i == 0 ? "" : ", ", i, pu[i]);
    if (used + 40 >= sizeof t->detail)
        snprintf(t->detail + used, sizeof t->detail - used, ", ...");
    return true;
}

static void check(struct trial *t, void (*f)(hwloc_topology_t), const char *function)
{
    const struct timespec pause = {0, PAUSE_NS};
    struct expect e = {.threads = t->threads, .function = function};
    unsigned calls = (unsigned)t->size;
    int *pu = NULL;

    t->ok = false;
    if (t->threads > 256) {
        snprintf(t->detail, sizeof t->detail, "at most 256 threads");
        return;
    }
    if (hwloc_topology_init(&topology) != 0 || hwloc_topology_load(topology) != 0) {
        snprintf(t->detail, sizeof t->detail, "the harness cannot load hwloc's topology");
        return;
    }
    e.allowed = hwloc_topology_get_allowed_cpuset(topology);
    hwloc_bitmap_list_snprintf(e.allowed_text, sizeof e.allowed_text, e.allowed);
    if (gethostname(e.host, sizeof e.host) != 0)
        strcpy(e.host, "unknown");
    e.host[sizeof e.host - 1] = '\0';
    pu = calloc((size_t)calls * (size_t)t->threads, sizeof *pu);
    if (pu == NULL) {
        snprintf(t->detail, sizeof t->detail, "out of memory");
        goto done;
    }
    trial_start(t);
    for (unsigned call = 1; call <= calls; call++) {
        int *now = pu + (size_t)(call - 1) * (size_t)t->threads;

        if (call > 1)
            nanosleep(&pause, NULL);
        atomic_store(&nsaid, 0);
        f(topology);
        if (exercise_todo_called())
            goto done;
        if (!check_call(t, &e, call, now)) {
            trial_stop(t);
            goto done;
        }
        note_call(call, t->threads, now, call > 1 ? now - t->threads : NULL);
    }
    trial_stop(t);
    t->ok = check_calls(t, t->threads, calls, pu);
done:
    free(pu);
    hwloc_topology_destroy(topology);
}

static void serial(struct trial *t) { check(t, hello_one, "hello_one"); }
static void parallel(struct trial *t) { check(t, hello, "hello"); }

static const struct harness_part parts[] = {
    {"serial", serial}, {"unbound", parallel}, {"close", parallel}, {"spread", parallel},
};

const struct harness exercise_harness = {"hello", parts, sizeof parts / sizeof parts[0]};
