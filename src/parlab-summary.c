/*
 * parlab-summary - the table of a runs CSV: one line per case.
 *
 * Groups the rows of a runs CSV by program, workers, jobs, size, lock and pin (and
 * what else sets a case apart: switching, a payload, a --schedule, --sizes; and who
 * measured, --label), and prints for each the median wall time (with min and max
 * over the repetitions), the median CPU time of the process and of its children, and
 * the speedup over the serial case of the same jobs, size and sizes on the same host,
 * measured by the same student.  A case without one has
 * "- [k]" for its speedup, and note k below the table says why and which serial runs
 * there are instead ("[1] no serial run with n = 101 on host vm; nearest n = 100"):
 * a speedup over a serial run of another size would not be one.  `make run-all` ends
 * with it.
 *
 *   bin/parlab-summary                       # results/runs.csv
 *   bin/parlab-summary --runs-csv their.csv  # a student's results
 */
#include <stdio.h>
#include <stdlib.h>

#include "parlab/die.h"
#include "parlab/summary.h"
#include "parlab/tool.h"

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: parlab-summary [--runs-csv FILE]\n"
            "Prints one line per case of a runs CSV written by parlab-serial, parlab-threads\n"
            "or parlab-procs: median wall time (min-max), median CPU time of the process and\n"
            "of its children, and the speedup over the serial case with the same jobs,\n"
            "size and --sizes on the same host and of the same --label; where there is\n"
            "none, \"- [k]\" and below the table note k saying why, and the nearest serial\n"
            "runs on that host.  A file of several labels gets a label column first.\n\n"
            "Options:\n"
            "      --runs-csv FILE  the runs CSV to read (default results/runs.csv)\n"
            "  -h, --help           print this help and exit\n"
            "  -V, --version        print the version and exit\n");
}

static void take_option(int opt, const char *arg, const char *name, void *ctx)
{
    const char **path = ctx;

    (void)opt; /* the only option: --runs-csv */
    *path = tool_path(name, arg);
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        {TOOL_RUNS_CSV, required_argument, NULL, 'c'},
        {NULL, 0, NULL, 0},
    };
    static const struct tool tool = {"parlab-summary", usage, "", options, false};
    const char *path = "results/runs.csv";
    struct summary sum;
    char why[512];

    tool_parse(&tool, argc, argv, take_option, &path);

    if (summary_load(path, &sum, why, sizeof why) != 0)
        die("%s", why); /* names the file, and the line and column of a bad value */
    if (sum.ncases == 0)
        die("'%s' holds no runs", path);
    summary_print_table(&sum, stdout);
    summary_release(&sum);
    return tool_finish();
}
