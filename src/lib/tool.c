/*
 * tool.c - the command line every parlab tool shares.
 */
#include "parlab/tool.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parlab/die.h"
#include "parlab/topo.h"

enum { OPT_HELP = 'h', OPT_VERSION = 'V' };

/* The long name of option value `opt`, for messages; "" when it has none. */
static const char *long_name(const struct option *options, int opt)
{
    for (size_t i = 0; options[i].name != NULL; i++)
        if (options[i].val == opt)
            return options[i].name;
    return "";
}

int tool_parse(const struct tool *tool, int argc, char **argv, tool_option_fn *fn, void *ctx)
{
    struct option all[TOOL_MAX_OPTIONS + 3];
    char shortopts[2 * TOOL_MAX_OPTIONS + 8];
    size_t n = 0;
    int c, index;

    die_set_program(tool->name);
    for (; tool->options[n].name != NULL; n++) {
        if (n == TOOL_MAX_OPTIONS)
            die("internal error: more than %d options", TOOL_MAX_OPTIONS);
        all[n] = tool->options[n];
    }
    all[n++] = (struct option){"help", no_argument, NULL, OPT_HELP};
    all[n++] = (struct option){"version", no_argument, NULL, OPT_VERSION};
    all[n] = (struct option){NULL, 0, NULL, 0};
    snprintf(shortopts, sizeof shortopts, ":%shV", tool->shortopts ? tool->shortopts : "");

    opterr = 0;
    while ((c = getopt_long(argc, argv, shortopts, all, &index)) != -1) {
        switch (c) {
        case OPT_HELP:
            tool->usage(stdout);
            exit(tool_finish());
        case OPT_VERSION:
            printf("%s (parlab) %s\nbuilt with hwloc %s\n", tool->name, PARLAB_VERSION,
                   topo_hwloc_version());
            exit(tool_finish());
        case ':': /* a known option without its value */
            if (optopt != 0 && long_name(all, optopt)[0] != '\0')
                die_usage("option --%s needs a value", long_name(all, optopt));
            if (optopt != 0)
                die_usage("option -%c needs a value", optopt);
            die_usage("option %s needs a value", argv[optind - 1]);
        case '?': /* an unknown option: a letter, or the whole word of a long one */
            if (optopt != 0 && optopt < 256 && argv[optind - 1][1] != '-')
                die_usage("unknown option '-%c'", optopt);
            if (optopt != 0) /* a known long option given a value it takes none of */
                die_usage("option --%s takes no value", long_name(all, optopt));
            die_usage("unknown option '%s'", argv[optind - 1]);
        default:
            fn(c, optarg, long_name(all, c), ctx);
        }
    }
    if (optind < argc && !tool->operands)
        die_usage("unexpected argument '%s'", argv[optind]);
    return optind;
}

const char *tool_path(const char *name, const char *arg)
{
    if (arg == NULL || arg[0] == '\0')
        die_usage("invalid value '' for --%s: expected a file name", name);
    return arg;
}

bool tool_reader_gone(void)
{
    /* poll() reports POLLERR on the writing end of a pipe without a reader. */
    struct pollfd out = {.fd = STDOUT_FILENO, .events = POLLOUT};

    return poll(&out, 1, 0) == 1 && (out.revents & POLLERR) != 0;
}

int tool_finish(void)
{
    errno = 0;
    if ((fflush(stdout) != 0 || ferror(stdout)) && !tool_reader_gone())
        die_errno("cannot write the output");
    return 0;
}
