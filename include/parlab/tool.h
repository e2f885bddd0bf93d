/*
 * tool.h - the command line of parlab's tools (parlab-summary, parlab-topo,
 * parlab-report): getopt_long options, --help, --version, and one line on stderr
 * with exit status 2 for every mistake, the same wording in every tool.
 *
 * A tool lists its own options; tool_parse() adds -h/--help and -V/--version, and
 * handles what all tools share: a missing value, an unknown option, a stray argument.
 * Only programs use this (it exits); the library proper never does.
 */
#ifndef PARLAB_TOOL_H
#define PARLAB_TOOL_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

/* The option names every tool spells the same way. */
#define TOOL_RUNS_CSV "runs-csv"
#define TOOL_JOBS_CSV "jobs-csv"
#define TOOL_SLICES_CSV "slices-csv"

struct tool {
    const char *name;            /* "parlab-report": messages and --version */
    void (*usage)(FILE *out);    /* prints the --help text */
    const char *shortopts;       /* the tool's short options, as getopt wants them
                                  * ("w:p:"), without h and V */
    const struct option *options; /* the tool's long options, ending in {NULL, 0, NULL, 0};
                                  * at most TOOL_MAX_OPTIONS, without help and version */
    bool operands;               /* it takes arguments besides its options (parlab-class's
                                  * DIR...); without, an argument is a mistake */
};
#define TOOL_MAX_OPTIONS 32

/* Called for each of the tool's own options: `opt` is the option's value (its short
 * letter, or the number in its struct option), `arg` its argument or NULL, `name` its
 * long name ("runs-csv") for messages.  Calls die_usage() for a bad value. */
typedef void tool_option_fn(int opt, const char *arg, const char *name, void *ctx);

/* Sets the program name for die(), then parses argv: calls fn for every option of
 * the tool; for --help prints the usage on stdout and exits 0; for --version prints
 * "NAME (parlab) VERSION" and the hwloc it was built with and exits 0.  A missing
 * value, an unknown option or (unless the tool takes operands) an argument that is
 * not an option exits 2 with one line naming it.  Returns the index in argv of the
 * first operand (argc when there is none; getopt moves them after the options, and
 * "--" ends the options).  Not thread-safe (getopt's globals). */
int tool_parse(const struct tool *tool, int argc, char **argv, tool_option_fn *fn, void *ctx);

/* The value of a file-name option: exits 2 for "" ("invalid value '' for --NAME:
 * expected a file name"), else returns arg. */
const char *tool_path(const char *name, const char *arg);

/* Flushes stdout and exits 1 with one line when anything written to it was lost (a
 * full disk, a closed descriptor); call before returning from main.  Returns 0.  A
 * pipe whose reader has gone (`| head`) is not an error: the reader chose to stop. */
int tool_finish(void);

/* True when stdout is a pipe or socket that nobody reads any more (the reader of
 * `| head` has exited): writes to it fail with EPIPE, or raise SIGPIPE. */
bool tool_reader_gone(void);

#endif
