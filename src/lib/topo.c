/*
 * topo.c - the machine as hwloc sees it.
 */
#include "parlab/topo.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The most PUs a synthetic description may have, more than the largest machines
 * have: hwloc's time grows steeply (4096 PUs take half a second here, 8192 three
 * seconds, 65536 more than ten minutes), and "pack:1000000000 pu:1000000000" would
 * never finish. */
#define TOPO_MAX_SYNTHETIC_PUS 4096ul

/* True when the product of a synthetic description's arities exceeds
 * TOPO_MAX_SYNTHETIC_PUS.  Each level is one word, typed ("core:4") or not ("4"), with
 * attributes in parentheses that may hold spaces and digits of their own
 * ("numa:2(memory=1GB)", "pu:2(indexes=0,2,1,3)", a leading "(memory=...)" for the
 * machine): those are skipped, and the arity is the number after the word's last ':',
 * or the word itself.  "pack:2 core:4 pu:2" and "2 4 2" are both 2 x 4 x 2 = 16. */
static bool synthetic_too_large(const char *description)
{
    unsigned long pus = 1;
    const char *s = description;

    while (*s != '\0') {
        const char *number = NULL;
        int depth = 0;

        while (*s == ' ' || *s == '\t' || *s == '\n')
            s++;
        for (bool start = true; *s != '\0' && (depth > 0 || (*s != ' ' && *s != '\t' &&
                                                               *s != '\n')); s++) {
            if (*s == '(')
                depth++;
            else if (*s == ')' && depth > 0)
                depth--;
            else if (depth == 0 && (start || *s == ':'))
                number = *s == ':' ? s + 1 : s;
            start = false;
        }
        if (number != NULL && *number >= '0' && *number <= '9') {
            unsigned long arity = strtoul(number, NULL, 10);

            if (arity > 0 && pus > TOPO_MAX_SYNTHETIC_PUS / arity)
                return true;
            if (arity > 0)
                pus *= arity;
        }
    }
    return false;
}

/* What the environment tells hwloc to describe instead of this machine. */
static const char *const other_machine_vars[] = {"HWLOC_XMLFILE", "HWLOC_SYNTHETIC",
                                                 "HWLOC_FSROOT"};

static void describe_source(struct topo *t, const char *synthetic)
{
    const char *xml = getenv("HWLOC_XMLFILE"), *env_synthetic = getenv("HWLOC_SYNTHETIC");

    if (synthetic != NULL)
        snprintf(t->source, sizeof t->source, "synthetic topology \"%s\"", synthetic);
    else if (xml != NULL && !t->real)
        snprintf(t->source, sizeof t->source, "HWLOC_XMLFILE=%s", xml);
    else if (env_synthetic != NULL && !t->real)
        snprintf(t->source, sizeof t->source, "HWLOC_SYNTHETIC=\"%s\"", env_synthetic);
    else if (!t->real)
        snprintf(t->source, sizeof t->source, "a topology that is not this machine's");
    else
        snprintf(t->source, sizeof t->source, "this machine");
}

/* Loads *t from an initialised t->machine: finds the usable PUs (the allowed ones,
 * narrowed by bound_pus when given, else by the process's binding) and restricts a copy
 * of the topology to them. */
static int finish_load(struct topo *t, const char *synthetic, const char *bound_pus)
{
    hwloc_bitmap_t bound = NULL;
    int saved;

    t->usable = NULL;
    t->usable_set = NULL;
    errno = 0;
    if (hwloc_topology_load(t->machine) != 0) {
        if (errno == 0)
            errno = EINVAL; /* hwloc refused the topology without saying why */
        goto fail;
    }
    t->real = hwloc_topology_is_thissystem(t->machine);
    describe_source(t, synthetic);

    t->usable_set = hwloc_bitmap_dup(hwloc_topology_get_allowed_cpuset(t->machine));
    bound = hwloc_bitmap_alloc();
    if (t->usable_set == NULL || bound == NULL)
        goto fail;
    /* A real process may also be bound to fewer PUs than it is allowed (taskset). */
    if (bound_pus != NULL) {
        if (hwloc_bitmap_list_sscanf(bound, bound_pus) != 0) {
            errno = EINVAL;
            goto fail;
        }
        hwloc_bitmap_and(t->usable_set, t->usable_set, bound);
    } else if (t->real && hwloc_get_cpubind(t->machine, bound, HWLOC_CPUBIND_PROCESS) == 0) {
        hwloc_bitmap_and(t->usable_set, t->usable_set, bound);
    }
    if (hwloc_bitmap_iszero(t->usable_set)) {
        errno = ENODEV;
        goto fail;
    }
    if (hwloc_topology_dup(&t->usable, t->machine) != 0) {
        t->usable = NULL;
        goto fail;
    }
    if (hwloc_topology_restrict(t->usable, t->usable_set, 0) != 0)
        goto fail;
    hwloc_bitmap_free(bound);
    return 0;

fail:
    saved = errno;
    hwloc_bitmap_free(bound);
    topo_release(t);
    errno = saved;
    return -1;
}

int topo_load(struct topo *t)
{
    const char *xml = getenv("HWLOC_XMLFILE"), *synthetic = getenv("HWLOC_SYNTHETIC");

    memset(t, 0, sizeof *t);
    if (xml != NULL && access(xml, R_OK) != 0)
        return -1; /* hwloc would quietly describe this machine instead */
    if (xml == NULL && synthetic != NULL && synthetic_too_large(synthetic)) {
        errno = E2BIG;
        return -1;
    }
    if (hwloc_topology_init(&t->machine) != 0)
        return -1;
    /* Said to hwloc directly rather than left to its reading of the environment,
     * which HWLOC_COMPONENTS (set under valgrind, say) would switch off. */
    if ((xml != NULL && hwloc_topology_set_xml(t->machine, xml) != 0) ||
        (xml == NULL && synthetic != NULL &&
         hwloc_topology_set_synthetic(t->machine, synthetic) != 0)) {
        hwloc_topology_destroy(t->machine);
        t->machine = NULL;
        errno = EINVAL;
        return -1;
    }
    if (finish_load(t, NULL, NULL) != 0)
        return -1;
    if ((xml != NULL || synthetic != NULL) && t->real && getenv("HWLOC_THISSYSTEM") == NULL) {
        topo_release(t); /* hwloc fell back to this machine: the description was refused */
        errno = EINVAL;
        return -1;
    }
    return 0;
}

int topo_load_this_machine(struct topo *t, const char *bound_pus, char *ignored,
                           size_t ignored_len)
{
    size_t used = 0;

    ignored[0] = '\0';
    for (size_t i = 0; i < sizeof other_machine_vars / sizeof other_machine_vars[0]; i++) {
        if (getenv(other_machine_vars[i]) == NULL)
            continue;
        int n = snprintf(ignored + used, ignored_len - used, "%s%s", used ? ", " : "",
                         other_machine_vars[i]);
        if (n > 0 && (size_t)n < ignored_len - used)
            used += (size_t)n;
        unsetenv(other_machine_vars[i]);
    }
    /* HWLOC_THISSYSTEM=0 says the topology is not this machine's: hwloc would then not
     * bind at all.  Any other value, 1 say, changes nothing here. */
    const char *thissystem = getenv("HWLOC_THISSYSTEM");
    if (thissystem != NULL && atoi(thissystem) == 0) {
        snprintf(ignored + used, ignored_len - used, "%sHWLOC_THISSYSTEM", used ? ", " : "");
        unsetenv("HWLOC_THISSYSTEM");
    }
    memset(t, 0, sizeof *t);
    if (hwloc_topology_init(&t->machine) != 0 || finish_load(t, NULL, bound_pus) != 0)
        return -1;
    if (!t->real) { /* HWLOC_COMPONENTS, say: binding would do nothing */
        topo_release(t);
        errno = ENOTSUP;
        return -1;
    }
    return 0;
}

int topo_load_synthetic(struct topo *t, const char *description)
{
    memset(t, 0, sizeof *t);
    if (synthetic_too_large(description)) {
        errno = E2BIG;
        return -1;
    }
    if (hwloc_topology_init(&t->machine) != 0)
        return -1;
    if (hwloc_topology_set_synthetic(t->machine, description) != 0) {
        hwloc_topology_destroy(t->machine);
        t->machine = NULL;
        errno = EINVAL;
        return -1;
    }
    return finish_load(t, description, NULL);
}

void topo_release(struct topo *t)
{
    if (t->usable != NULL)
        hwloc_topology_destroy(t->usable);
    if (t->machine != NULL)
        hwloc_topology_destroy(t->machine);
    hwloc_bitmap_free(t->usable_set);
    t->usable = t->machine = NULL;
    t->usable_set = NULL;
}

int topo_usable_pus(const struct topo *t)
{
    return hwloc_bitmap_weight(t->usable_set);
}

int topo_usable_cores(const struct topo *t)
{
    hwloc_obj_t core = NULL;
    int n = 0;

    while ((core = hwloc_get_next_obj_by_type(t->machine, HWLOC_OBJ_CORE, core)) != NULL)
        n += core->cpuset != NULL && hwloc_bitmap_intersects(core->cpuset, t->usable_set);
    return n;
}

hwloc_obj_t topo_pu(const struct topo *t, unsigned pu)
{
    return hwloc_get_pu_obj_by_os_index(t->machine, pu);
}

static int logical_ancestor(hwloc_topology_t topology, hwloc_obj_type_t type, hwloc_obj_t obj)
{
    hwloc_obj_t a = hwloc_get_ancestor_obj_by_type(topology, type, obj);

    return a ? (int)a->logical_index : -1;
}

void topo_where(const struct topo *t, unsigned pu, struct topo_where *where)
{
    hwloc_obj_t obj = topo_pu(t, pu), numa = NULL;

    where->core = where->package = where->numa = -1;
    if (obj == NULL)
        return;
    where->core = logical_ancestor(t->machine, HWLOC_OBJ_CORE, obj);
    where->package = logical_ancestor(t->machine, HWLOC_OBJ_PACKAGE, obj);
    /* NUMA nodes hang off the tree as memory children: find the one whose PUs
     * include this one. */
    while ((numa = hwloc_get_next_obj_by_type(t->machine, HWLOC_OBJ_NUMANODE, numa)) != NULL)
        if (hwloc_bitmap_isset(numa->cpuset, pu)) {
            where->numa = (int)numa->logical_index;
            break;
        }
}

static int count(hwloc_topology_t topology, hwloc_obj_type_t type)
{
    int n = hwloc_get_nbobjs_by_type(topology, type);

    return n < 0 ? 0 : n;
}

void topo_print(const struct topo *t, FILE *out)
{
    hwloc_topology_t m = t->machine;
    int cores = count(m, HWLOC_OBJ_CORE), pus = count(m, HWLOC_OBJ_PU), most = 0;
    hwloc_obj_t core = NULL;
    char *list = NULL;

    while ((core = hwloc_get_next_obj_by_type(m, HWLOC_OBJ_CORE, core)) != NULL) {
        int n = hwloc_bitmap_weight(core->cpuset);
        if (n > most)
            most = n;
    }
    fprintf(out, "machine: %s (hwloc %s)\n", t->source, topo_hwloc_version());
    fprintf(out, "  packages     %d\n", count(m, HWLOC_OBJ_PACKAGE));
    fprintf(out, "  NUMA nodes   %d\n", count(m, HWLOC_OBJ_NUMANODE));
    fprintf(out, "  L3 caches    %d\n", count(m, HWLOC_OBJ_L3CACHE));
    fprintf(out, "  L2 caches    %d\n", count(m, HWLOC_OBJ_L2CACHE));
    fprintf(out, "  cores        %d\n", cores);
    if (most > 1)
        fprintf(out, "  PUs          %d (SMT on: up to %d per core)\n", pus, most);
    else if (cores > 0)
        fprintf(out, "  PUs          %d (SMT off: one per core)\n", pus);
    else
        fprintf(out, "  PUs          %d (no core level in this topology)\n", pus);
    if (hwloc_bitmap_list_asprintf(&list, t->usable_set) >= 0)
        fprintf(out, "  usable PUs   %s (%d of %d%s)\n", list, topo_usable_pus(t), pus,
                t->real ? ": cgroups and taskset allow these" : "");
    free(list);
}

const char *topo_hwloc_version(void)
{
#ifdef HWLOC_VERSION
    return HWLOC_VERSION; /* the release the headers came from */
#else
    return "2";
#endif
}
