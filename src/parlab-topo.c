/*
 * parlab-topo - the machine as hwloc sees it, and where --pin would put W workers.
 *
 * Prints the packages, NUMA nodes, caches, cores and PUs, the PUs this process may
 * use (cgroups, taskset), and the PU, core, package and NUMA node each worker would
 * get under a placement policy, as likwid-pin -p and hwloc-distrib show.  It honours
 * HWLOC_XMLFILE and HWLOC_SYNTHETIC, so a plan for another machine can be shown:
 *
 *   bin/parlab-topo -w 3 -p spread
 *   HWLOC_SYNTHETIC="pack:2 numa:2 l3:4 core:4 pu:2" bin/parlab-topo -w 8 -p spread
 *   bin/parlab-topo -w 4 -p close --csv > placement.csv
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parlab/cli.h"
#include "parlab/die.h"
#include "parlab/pin.h"
#include "parlab/tool.h"
#include "parlab/topo.h"

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: parlab-topo [-w W] [-p POLICY] [--csv]\n"
            "Prints the machine as hwloc sees it (packages, NUMA nodes, L3 and L2 caches,\n"
            "cores, PUs, SMT, the PUs this process may use) and where W workers would run\n"
            "under a placement policy.  HWLOC_XMLFILE or HWLOC_SYNTHETIC make it describe\n"
            "another machine, e.g. HWLOC_SYNTHETIC=\"pack:2 numa:2 l3:4 core:4 pu:2\".\n\n"
            "Options:\n"
            "  -w, --workers W   workers to place (1 to %u; default: one per usable PU)\n"
            "  -p, --pin POLICY  close (default), spread, none or pus:LIST, as in\n"
            "                    parlab-threads --help\n"
            "      --csv         print only the placement, as CSV:\n"
            "                    worker,pu,core,package,numa (pu: OS number; core, package,\n"
            "                    numa: hwloc logical indexes, empty where there is none)\n"
            "  -h, --help        print this help and exit\n"
            "  -V, --version     print the version and exit\n",
            CLI_MAX_WORKERS);
}

static void print_cell(FILE *out, int value, int width)
{
    if (value >= 0)
        fprintf(out, "%*d", width, value);
    else
        fprintf(out, "%*s", width, "-");
}

static void print_placement(const struct topo *t, const int *pus, unsigned workers,
                            const char *policy, bool csv, FILE *out)
{
    if (csv)
        fprintf(out, "worker,pu,core,package,numa\n");
    else
        fprintf(out, "placement: %u workers, --pin %s\n  worker    pu  core  package  numa\n",
                workers, policy);
    for (unsigned w = 0; w < workers; w++) {
        struct topo_where where = {-1, -1, -1};

        if (pus[w] >= 0)
            topo_where(t, (unsigned)pus[w], &where);
        if (csv) {
            fprintf(out, "%u,", w);
            const int cells[] = {pus[w], where.core, where.package, where.numa};
            for (int c = 0; c < 4; c++) {
                if (cells[c] >= 0)
                    fprintf(out, "%d", cells[c]);
                fputs(c < 3 ? "," : "\n", out);
            }
            continue;
        }
        fprintf(out, "  %6u", w);
        print_cell(out, pus[w], 6);
        print_cell(out, where.core, 6);
        print_cell(out, where.package, 9);
        print_cell(out, where.numa, 6);
        fputc('\n', out);
    }
}

/* What the command line asks for. */
struct request {
    unsigned long long workers; /* 0: one per usable PU */
    struct pin_policy pin;
    bool csv;
};

static void take_option(int opt, const char *arg, const char *name, void *ctx)
{
    struct request *req = ctx;
    char msg[512];

    switch (opt) {
    case 'w':
        if (cli_parse_count(arg, 1, CLI_MAX_WORKERS, &req->workers) != 0)
            die_usage("invalid value '%s' for --%s: expected a whole number from 1 to %u", arg,
                      name, CLI_MAX_WORKERS);
        break;
    case 'p':
        pin_release(&req->pin);
        if (pin_parse(&req->pin, arg, msg, sizeof msg) != 0)
            die_usage("%s", msg);
        break;
    case 'c':
        req->csv = true;
        break;
    }
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        {"workers", required_argument, NULL, 'w'},
        {"pin", required_argument, NULL, 'p'},
        {"csv", no_argument, NULL, 'c'},
        {NULL, 0, NULL, 0},
    };
    static const struct tool tool = {"parlab-topo", usage, "w:p:", options, false};
    struct request req = {0};
    struct topo topo;
    unsigned long long workers;
    int *pus;
    char msg[512];

    pin_policy_init(&req.pin);
    if (pin_parse(&req.pin, "close", msg, sizeof msg) != 0)
        die("%s", msg);
    tool_parse(&tool, argc, argv, take_option, &req);
    workers = req.workers;

    if (topo_load(&topo) != 0 && errno == E2BIG)
        die("HWLOC_SYNTHETIC='%s' describes more than 4096 PUs, more than parlab-topo shows",
            getenv("HWLOC_SYNTHETIC"));
    if (topo.machine == NULL) {
        if (getenv("HWLOC_XMLFILE") != NULL)
            die_errno("cannot load the topology in HWLOC_XMLFILE='%s'", getenv("HWLOC_XMLFILE"));
        if (getenv("HWLOC_SYNTHETIC") != NULL)
            die_errno("cannot load the topology HWLOC_SYNTHETIC='%s'", getenv("HWLOC_SYNTHETIC"));
        die_errno("cannot load this machine's topology");
    }
    if (workers == 0)
        workers = (unsigned long long)topo_usable_pus(&topo);
    pus = malloc(workers * sizeof *pus);
    if (pus == NULL)
        die_errno("cannot allocate the placement");
    if (pin_plan(&topo, &req.pin, (unsigned)workers, pus, msg, sizeof msg) != 0)
        die_usage("%s", msg);
    if (req.pin.kind != PIN_NONE && workers > (unsigned long long)topo_usable_pus(&topo))
        warn("%llu workers on %d usable PUs: the machine is oversubscribed, so placements "
             "wrap around and workers share PUs",
             workers, topo_usable_pus(&topo));

    if (!req.csv) {
        topo_print(&topo, stdout);
        putchar('\n');
    }
    print_placement(&topo, pus, (unsigned)workers, req.pin.text, req.csv, stdout);

    free(pus);
    pin_release(&req.pin);
    topo_release(&topo);
    return tool_finish();
}
