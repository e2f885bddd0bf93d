/*
 * pin.c - placement policies and binding, with hwloc.
 */
#include "parlab/pin.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pin_policy_init(struct pin_policy *p)
{
    p->kind = PIN_NONE;
    p->text = "none";
    p->pus = NULL;
    p->npus = 0;
}

void pin_release(struct pin_policy *p)
{
    free(p->pus);
    pin_policy_init(p);
}

__attribute__((format(printf, 3, 4))) static int fail(char *msg, size_t msglen, const char *fmt,
                                                     ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, msglen, fmt, ap);
    va_end(ap);
    return -1;
}

/* One PU number: digits only, at most PIN_MAX_PU.  Advances *s past it. */
static int parse_pu(const char **s, unsigned *pu)
{
    unsigned long v = 0;

    if (**s < '0' || **s > '9')
        return -1;
    while (**s >= '0' && **s <= '9') {
        v = v * 10 + (unsigned long)(**s - '0');
        if (v > PIN_MAX_PU)
            return -1;
        (*s)++;
    }
    *pu = (unsigned)v;
    return 0;
}

static int parse_list(struct pin_policy *p, const char *list, char *msg, size_t msglen)
{
    const char *s = list;

    if (*s == '\0')
        return fail(msg, msglen, "invalid value '%s' for --pin: the PU list is empty", p->text);
    p->pus = malloc(PIN_MAX_LIST * sizeof *p->pus);
    if (p->pus == NULL)
        return fail(msg, msglen, "cannot allocate the PU list: %s", strerror(errno));
    for (;;) {
        unsigned first, last;

        if (parse_pu(&s, &first) != 0)
            return fail(msg, msglen,
                        "invalid value '%s' for --pin: expected PU numbers from 0 to %u, "
                        "such as pus:0,2,4-7",
                        p->text, PIN_MAX_PU);
        last = first;
        if (*s == '-') {
            s++;
            if (parse_pu(&s, &last) != 0)
                return fail(msg, msglen,
                            "invalid value '%s' for --pin: a range needs two PU numbers, "
                            "such as 4-7",
                            p->text);
            if (last < first)
                return fail(msg, msglen, "invalid value '%s' for --pin: the range %u-%u runs "
                                         "backwards",
                            p->text, first, last);
        }
        for (unsigned pu = first; pu <= last; pu++) {
            if (p->npus == PIN_MAX_LIST)
                return fail(msg, msglen, "invalid value '%s' for --pin: more than %u PUs",
                            p->text, PIN_MAX_LIST);
            p->pus[p->npus++] = pu;
        }
        if (*s == '\0')
            return 0;
        if (*s != ',')
            return fail(msg, msglen,
                        "invalid value '%s' for --pin: expected PU numbers from 0 to %u, "
                        "such as pus:0,2,4-7",
                        p->text, PIN_MAX_PU);
        s++;
    }
}

int pin_parse(struct pin_policy *p, const char *text, char *msg, size_t msglen)
{
    pin_policy_init(p);
    p->text = text;
    if (strcmp(text, "none") == 0)
        p->kind = PIN_NONE;
    else if (strcmp(text, "close") == 0)
        p->kind = PIN_CLOSE;
    else if (strcmp(text, "spread") == 0)
        p->kind = PIN_SPREAD;
    else if (strncmp(text, "pus:", 4) == 0) {
        p->kind = PIN_LIST;
        if (parse_list(p, text + 4, msg, msglen) != 0) {
            free(p->pus);
            pin_policy_init(p);
            return -1;
        }
    } else {
        pin_policy_init(p);
        return fail(msg, msglen,
                    "invalid value '%s' for --pin: expected none, close, spread or pus:LIST",
                    text);
    }
    return 0;
}

/* close: the first PU of every core, then the second PU of every core, and so on. */
static size_t places_close(hwloc_topology_t topology, int *places)
{
    int ncores = hwloc_get_nbobjs_by_type(topology, HWLOC_OBJ_CORE);
    size_t n = 0;

    if (ncores <= 0) { /* no core level: every PU stands for itself */
        hwloc_obj_t pu = NULL;
        while ((pu = hwloc_get_next_obj_by_type(topology, HWLOC_OBJ_PU, pu)) != NULL)
            places[n++] = (int)pu->os_index;
        return n;
    }
    for (unsigned round = 0;; round++) {
        size_t before = n;

        for (int c = 0; c < ncores; c++) {
            hwloc_obj_t core = hwloc_get_obj_by_type(topology, HWLOC_OBJ_CORE, (unsigned)c);
            hwloc_obj_t pu = hwloc_get_obj_inside_cpuset_by_type(topology, core->cpuset,
                                                                 HWLOC_OBJ_PU, round);
            if (pu != NULL)
                places[n++] = (int)pu->os_index;
        }
        if (n == before)
            return n;
    }
}

/* spread: hwloc_distrib's n subtrees, as far apart as the tree allows, and the first PU
 * of each. */
static int places_spread(hwloc_topology_t topology, size_t n, int *places)
{
    hwloc_obj_t root = hwloc_get_root_obj(topology);
    hwloc_bitmap_t *sets = calloc(n, sizeof *sets); /* hwloc_distrib allocates each set */
    int rc = 0;

    if (sets == NULL)
        return -1;
    if (hwloc_distrib(topology, &root, 1, sets, (unsigned)n, INT_MAX, 0) != 0)
        rc = -1;
    for (size_t i = 0; i < n; i++) {
        if (sets[i] == NULL) {
            rc = -1;
            errno = ENOMEM;
        } else if (rc == 0) {
            places[i] = hwloc_bitmap_first(sets[i]);
        }
        hwloc_bitmap_free(sets[i]);
    }
    free(sets);
    return rc;
}

static int check_listed(const struct topo *t, const struct pin_policy *p, char *msg,
                        size_t msglen)
{
    for (size_t i = 0; i < p->npus; i++) {
        unsigned pu = p->pus[i];
        char *set = NULL;
        int rc = 0;

        if (topo_pu(t, pu) == NULL) {
            hwloc_bitmap_list_asprintf(&set, hwloc_topology_get_topology_cpuset(t->machine));
            rc = fail(msg, msglen, "invalid value '%s' for --pin: PU %u does not exist (this "
                                   "machine's PUs are %s)",
                      p->text, pu, set ? set : "?");
        } else if (!hwloc_bitmap_isset(t->usable_set, pu)) {
            hwloc_bitmap_list_asprintf(&set, t->usable_set);
            rc = fail(msg, msglen,
                      "invalid value '%s' for --pin: PU %u is not one this process may use "
                      "(%s %s)",
                      p->text, pu, t->usable_by[0] ? t->usable_by : "cgroups and taskset allow",
                      set ? set : "?");
        }
        free(set);
        if (rc != 0)
            return rc;
    }
    return 0;
}

int pin_plan(const struct topo *t, const struct pin_policy *p, unsigned workers, int *pus,
             char *msg, size_t msglen)
{
    size_t usable = (size_t)topo_usable_pus(t), nplaces = 0;
    int *places = NULL;

    if (p->kind == PIN_NONE) {
        for (unsigned w = 0; w < workers; w++)
            pus[w] = -1;
        return 0;
    }
    if (p->kind == PIN_LIST) {
        if (check_listed(t, p, msg, msglen) != 0)
            return -1;
        for (unsigned w = 0; w < workers; w++)
            pus[w] = (int)p->pus[w % p->npus];
        return 0;
    }
    places = malloc(usable * sizeof *places);
    if (places == NULL)
        return fail(msg, msglen, "cannot plan the placement: %s", strerror(errno));
    if (p->kind == PIN_CLOSE) {
        nplaces = places_close(t->usable, places);
    } else {
        nplaces = workers < usable ? workers : usable;
        if (places_spread(t->usable, nplaces, places) != 0) {
            free(places);
            return fail(msg, msglen, "cannot plan the placement: %s", strerror(errno));
        }
    }
    for (unsigned w = 0; w < workers; w++)
        pus[w] = places[w % nplaces];
    free(places);
    return 0;
}

bool pin_shared(const int *pus, unsigned workers)
{
    for (unsigned a = 0; a < workers; a++)
        for (unsigned b = a + 1; b < workers; b++)
            if (pus[a] >= 0 && pus[a] == pus[b])
                return true;
    return false;
}

int pin_bind(const struct topo *t, int pu, enum pin_scope scope)
{
    hwloc_bitmap_t set = hwloc_bitmap_alloc();
    int rc, saved;

    if (set == NULL)
        return -1;
    hwloc_bitmap_only(set, (unsigned)pu);
    rc = hwloc_set_cpubind(t->machine, set,
                           scope == PIN_THREAD ? HWLOC_CPUBIND_THREAD : HWLOC_CPUBIND_PROCESS);
    saved = errno;
    hwloc_bitmap_free(set);
    errno = saved;
    return rc;
}
