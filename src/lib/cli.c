/*
 * cli.c - the shared command line, parsed strictly.
 */
#include "parlab/cli.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "parlab/kernel.h"
#include "parlab/topo.h"

enum {
    OPT_RUNS_CSV = 256,
    OPT_JOBS_CSV,
    OPT_TIMEOUT,
    OPT_SWITCH,
    OPT_PAYLOAD,
    OPT_TRANSPORT,
    OPT_SLICES_CSV,
    OPT_SIZES,
    OPT_SCHEDULE,
    OPT_LABEL,
    OPT_KERNEL,
    OPT_END /* one past the last option value */
};

static const struct option long_options[] = {
    {"jobs", required_argument, NULL, 'j'},
    {"workers", required_argument, NULL, 'w'},
    {"size", required_argument, NULL, 'n'},
    {"job-seconds", required_argument, NULL, 't'},
    {"sizes", required_argument, NULL, OPT_SIZES},
    {"schedule", required_argument, NULL, OPT_SCHEDULE},
    {"threads", required_argument, NULL, 'T'},
    {"label", required_argument, NULL, OPT_LABEL},
    {"lock", required_argument, NULL, 'l'},
    {"kernel", required_argument, NULL, OPT_KERNEL},
    {"reps", required_argument, NULL, 'r'},
    {"runs-csv", required_argument, NULL, OPT_RUNS_CSV},
    {"jobs-csv", required_argument, NULL, OPT_JOBS_CSV},
    {"pin", required_argument, NULL, 'p'},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"switch-interval", required_argument, NULL, OPT_SWITCH},
    {"payload", required_argument, NULL, OPT_PAYLOAD},
    {"transport", required_argument, NULL, OPT_TRANSPORT},
    {"slices-csv", required_argument, NULL, OPT_SLICES_CSV},
    {"yes", no_argument, NULL, 'y'},
    {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

/* The leading ':' makes getopt_long report a missing value as ':' and stay quiet. */
static const char short_options[] = ":j:w:n:t:T:l:r:p:yqvhV";

/* "--jobs" for the option whose value is `val`. */
static const char *option_name(int val)
{
    static char name[32];

    for (const struct option *o = long_options; o->name != NULL; o++)
        if (o->val == val) {
            snprintf(name, sizeof name, "--%s", o->name);
            return name;
        }
    snprintf(name, sizeof name, "-%c", val);
    return name;
}

__attribute__((format(printf, 3, 4))) static enum cli_result error(char *msg, size_t msglen,
                                                                   const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, msglen, fmt, ap);
    va_end(ap);
    return CLI_ERROR;
}

int cli_parse_count(const char *text, unsigned long long min, unsigned long long max,
                    unsigned long long *out)
{
    unsigned long long v;
    char *end;

    if (text[0] < '0' || text[0] > '9')
        return -1;
    errno = 0;
    v = strtoull(text, &end, 10);
    if (*end != '\0' || errno == ERANGE || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

/* Seconds in (0, max]: a plain decimal number, such as 0.25 or 2e-3. */
static int parse_seconds(const char *text, double max, double *out)
{
    double v;
    char *end;

    if (text[0] == '\0' || strspn(text, "0123456789.eE+-") != strlen(text) ||
        (text[0] != '.' && (text[0] < '0' || text[0] > '9')))
        return -1;
    errno = 0;
    v = strtod(text, &end);
    if (*end != '\0' || errno == ERANGE || !isfinite(v) || !(v > 0.0) || v > max)
        return -1;
    *out = v;
    return 0;
}

static void set_defaults(struct options *opt, const struct program *prog)
{
    memset(opt, 0, sizeof *opt);
    opt->jobs = 12;
    opt->workers = prog->backend->max_workers < 3 ? prog->backend->max_workers : 3;
    opt->workers_from = "default";
    opt->job_seconds = 0.25;
    lock_policy_parse("none", &opt->lock);
    opt->reps = 3;
    pin_policy_init(&opt->pin);
    sizes_init(&opt->sizes);
    opt->schedule = (struct schedule){SCHEDULE_DYNAMIC, 1}; /* a queue, as joblib's */
}

static const char *const schedule_kinds[] = {
    [SCHEDULE_STATIC] = "static",
    [SCHEDULE_DYNAMIC] = "dynamic",
    [SCHEDULE_GUIDED] = "guided",
};

/* "KIND" or "KIND,CHUNK": KIND one of OpenMP's static, dynamic and guided, CHUNK a
 * whole number from 1 to CLI_MAX_CHUNK (without it: OpenMP's default for static, 1
 * for the others).  Returns 0, or -1 (nothing stored). */
static int parse_schedule(const char *text, struct schedule *out)
{
    size_t len = strcspn(text, ",");
    unsigned long long chunk = 0;

    for (unsigned k = 0; k < sizeof schedule_kinds / sizeof schedule_kinds[0]; k++) {
        if (strlen(schedule_kinds[k]) != len || strncmp(text, schedule_kinds[k], len) != 0)
            continue;
        if (text[len] == ',' && cli_parse_count(text + len + 1, 1, CLI_MAX_CHUNK, &chunk) != 0)
            return -1;
        if (chunk == 0 && k != SCHEDULE_STATIC)
            chunk = 1;
        *out = (struct schedule){(enum schedule_kind)k, (unsigned)chunk};
        return 0;
    }
    return -1;
}

/* The bytes of the one printable character UTF-8 encodes at s, or 0 for a control
 * character (C0, DEL, C1), a stray or missing continuation byte, an overlong form, a
 * surrogate or a code point beyond U+10FFFF. */
static size_t printable_char(const unsigned char *s)
{
    size_t len;
    uint32_t cp;

    if (s[0] >= 0x20 && s[0] < 0x7f)
        return 1;
    if (s[0] < 0xc2 || s[0] > 0xf4)
        return 0;
    len = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : 2;
    cp = s[0] & (0x7fu >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3fu);
    }
    if (cp < 0xa0 || (len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

bool cli_label_ok(const char *text)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t chars = 0, len;

    if (text[0] == '\0' || text[0] == ' ' || text[strlen(text) - 1] == ' ')
        return false;
    for (; *p != '\0'; p += len, chars++)
        if ((len = printable_char(p)) == 0 || chars == CLI_MAX_LABEL)
            return false;
    return true;
}

/* text as a refusal quotes it, on its one line: what is no printable character (a
 * control character, a byte that is no UTF-8) as \xNN, and cut after 80 bytes. */
static const char *quoted_label(const char *text)
{
    static char buf[80 * 4 + 8];
    const unsigned char *start = (const unsigned char *)text, *p = start;
    size_t used = 0, len;

    while (*p != '\0') {
        if (p - start >= 80) {
            used += (size_t)snprintf(buf + used, sizeof buf - used, "...");
            break;
        }
        if ((len = printable_char(p)) == 0) {
            used += (size_t)snprintf(buf + used, sizeof buf - used, "\\x%02x", *p++);
            continue;
        }
        memcpy(buf + used, p, len);
        used += len;
        p += len;
    }
    buf[used] = '\0';
    return buf;
}

void cli_schedule_name(const struct schedule *s, char *buf, size_t len)
{
    if (s->chunk == 0)
        snprintf(buf, len, "%s", schedule_kinds[s->kind]);
    else
        snprintf(buf, len, "%s,%u", schedule_kinds[s->kind], s->chunk);
}

/* Checks one option's value and stores it.  Returns CLI_RUN or CLI_ERROR. */
static enum cli_result take_value(struct options *opt, const struct program *prog, int c,
                                  const char *arg, char *msg, size_t msglen)
{
    unsigned long long v;
    unsigned max_workers =
        prog->backend->max_workers < CLI_MAX_WORKERS ? prog->backend->max_workers : CLI_MAX_WORKERS;

    switch (c) {
    case 'j':
        if (cli_parse_count(arg, 1, CLI_MAX_JOBS, &v) != 0)
            return error(msg, msglen,
                         "invalid value '%s' for --jobs: expected a whole number from 1 to %u",
                         arg, CLI_MAX_JOBS);
        opt->jobs = (unsigned)v;
        break;
    case 'w':
        if (cli_parse_count(arg, 1, max_workers, &v) != 0) {
            if (max_workers == 1)
                return error(msg, msglen,
                             "invalid value '%s' for --workers: %s runs on exactly 1 worker",
                             arg, prog->backend->name);
            return error(msg, msglen,
                         "invalid value '%s' for --workers: expected a whole number from 1 to %u",
                         arg, max_workers);
        }
        opt->workers = (unsigned)v;
        opt->workers_from = "-w";
        break;
    case 'n':
        if (cli_parse_count(arg, 0, KERNEL_MAX_SIZE, &v) != 0)
            return error(msg, msglen,
                         "invalid value '%s' for --size: expected a whole number from 0 to %llu",
                         arg, (unsigned long long)KERNEL_MAX_SIZE);
        opt->size = v;
        opt->size_given = true;
        break;
    case OPT_SIZES: {
        char why[160];

        sizes_release(&opt->sizes);
        if (sizes_parse(arg, &opt->sizes, why, sizeof why) != 0)
            return error(msg, msglen, "invalid value '%s' for --sizes: %s", arg, why);
        break;
    }
    case OPT_SCHEDULE:
        if (!prog->backend->openmp)
            return error(msg, msglen,
                         "--schedule is parlab-threads' option, for OpenMP's schedule: %s %s",
                         prog->backend->name,
                         prog->backend->schedule && prog->backend->schedule[0] != '\0'
                             ? "has its workers take the jobs from one shared queue, one at "
                               "a time, as dynamic,1 does"
                             : "runs its jobs in order on one worker");
        if (parse_schedule(arg, &opt->schedule) != 0)
            return error(msg, msglen,
                         "invalid value '%s' for --schedule: expected static, dynamic or "
                         "guided, optionally with ,CHUNK: a whole number from 1 to %u",
                         arg, CLI_MAX_CHUNK);
        break;
    case 'T':
        if (!prog->backend->hybrid)
            return error(msg, msglen,
                         "--threads is parlab-mpi's option, for OpenMP threads inside each MPI "
                         "rank: %s %s",
                         prog->backend->name,
                         prog->backend->max_workers == 1 ? "runs its jobs on one thread"
                                                         : "takes -w for its workers");
        if (cli_parse_count(arg, 1, CLI_MAX_WORKERS, &v) != 0)
            return error(msg, msglen,
                         "invalid value '%s' for --threads: expected a whole number from 1 to %u",
                         arg, CLI_MAX_WORKERS);
        opt->threads = (unsigned)v;
        break;
    case OPT_LABEL:
        if (!cli_label_ok(arg))
            return error(msg, msglen,
                         "invalid value '%s' for --label: expected a name or id of 1 to %u "
                         "printable characters, without a space at either end",
                         quoted_label(arg), CLI_MAX_LABEL);
        opt->label = arg;
        break;
    case 't':
        if (parse_seconds(arg, CLI_MAX_JOB_SECONDS, &opt->job_seconds) != 0)
            return error(msg, msglen,
                         "invalid value '%s' for --job-seconds: expected seconds, more than 0 "
                         "and at most %g",
                         arg, CLI_MAX_JOB_SECONDS);
        break;
    case 'l':
        if (lock_policy_parse(arg, &opt->lock) != 0)
            return error(msg, msglen,
                         "invalid value '%s' for --lock: expected none, held or fraction:F "
                         "with 0 <= F <= 1",
                         arg);
        break;
    case OPT_KERNEL:
        if (kernel_kind_parse(arg, &opt->kernel) != 0)
            return error(msg, msglen, "invalid value '%s' for --kernel: expected scalar or simd",
                         arg);
        break;
    case 'r':
        if (cli_parse_count(arg, 1, CLI_MAX_REPS, &v) != 0)
            return error(msg, msglen,
                         "invalid value '%s' for --reps: expected a whole number from 1 to %u",
                         arg, CLI_MAX_REPS);
        opt->reps = (unsigned)v;
        break;
    case OPT_TIMEOUT:
        if (parse_seconds(arg, CLI_MAX_TIMEOUT, &opt->timeout) != 0)
            return error(msg, msglen,
                         "invalid value '%s' for --timeout: expected seconds, more than 0 and "
                         "at most %g",
                         arg, CLI_MAX_TIMEOUT);
        break;
    case OPT_SWITCH:
        if (parse_seconds(arg, CLI_MAX_SWITCH_MS, &opt->switch_ms) != 0)
            return error(msg, msglen,
                         "invalid value '%s' for --switch-interval: expected milliseconds, "
                         "more than 0 and at most %g",
                         arg, CLI_MAX_SWITCH_MS);
        break;
    case OPT_PAYLOAD:
        if (payload_parse(arg, &opt->payload) != 0)
            return error(msg, msglen,
                         "invalid value '%s' for --payload: expected bytes from 0 to 1G, "
                         "with K, M or G for 1024, 1024^2 or 1024^3",
                         arg);
        break;
    case OPT_TRANSPORT:
        if (!prog->backend->data_crosses)
            return error(msg, msglen,
                         "--transport is for workers that are processes: here the workers "
                         "share their memory, so nothing travels");
        if (prog->backend->transport != NULL)
            return error(msg, msglen,
                         "--transport is for parlab-procs: %s moves the payload its own way "
                         "(%s)",
                         prog->backend->name, prog->backend->transport);
        if (strcmp(arg, "pipe") == 0)
            opt->transport = TRANSPORT_PIPE;
        else if (strcmp(arg, "shm") == 0)
            opt->transport = TRANSPORT_SHM;
        else
            return error(msg, msglen, "invalid value '%s' for --transport: expected pipe or shm",
                         arg);
        break;
    case 'p':
        pin_release(&opt->pin);
        if (pin_parse(&opt->pin, arg, msg, msglen) != 0)
            return CLI_ERROR;
        break;
    case OPT_RUNS_CSV:
    case OPT_JOBS_CSV:
    case OPT_SLICES_CSV:
        if (arg[0] == '\0')
            return error(msg, msglen, "invalid value '' for %s: expected a file name",
                         option_name(c));
        if (c == OPT_RUNS_CSV)
            opt->runs_csv = arg;
        else if (c == OPT_JOBS_CSV)
            opt->jobs_csv = arg;
        else
            opt->slices_csv = arg;
        break;
    }
    return CLI_RUN;
}

/* What getopt_long() refused.  optopt is the option's value for a known long option
 * given a value it does not take, the character for an unknown short option, and 0
 * for an unknown or ambiguous long option, whose word is then argv[optind - 1]. */
static enum cli_result unknown_option(char **argv, char *msg, size_t msglen)
{
    const char *word = argv[optind - 1];

    if (optopt == 0)
        return error(msg, msglen, "unknown or ambiguous option '%.*s'",
                     (int)strcspn(word, "="), word);
    if ((strncmp(word, "--", 2) == 0 && strchr(word, '=') != NULL &&
                                   strncmp(option_name(optopt), word, strcspn(word, "=")) == 0))
        return error(msg, msglen, "option %s takes no value", option_name(optopt));
    return error(msg, msglen, "unknown option '-%c'", optopt);
}

/* Without -w, an OpenMP program's threads are OMP_NUM_THREADS's when it is set, as
 * OpenMP users expect: its first number ("4" or "4,2", one per nesting level), which
 * must be a valid W here.  Returns CLI_RUN or CLI_ERROR. */
static enum cli_result workers_from_env(struct options *opt, const struct program *prog,
                                        char *msg, size_t msglen)
{
    const char *env = getenv("OMP_NUM_THREADS");
    unsigned max_workers =
        prog->backend->max_workers < CLI_MAX_WORKERS ? prog->backend->max_workers : CLI_MAX_WORKERS;
    char first[32];
    size_t len;
    unsigned long long v;

    if (!prog->backend->openmp || env == NULL || env[0] == '\0')
        return CLI_RUN;
    env += strspn(env, " \t");
    len = strcspn(env, ",");
    while (len > 0 && (env[len - 1] == ' ' || env[len - 1] == '\t'))
        len--;
    if (len >= sizeof first || (memcpy(first, env, len), first[len] = '\0',
                                cli_parse_count(first, 1, max_workers, &v) != 0))
        return error(msg, msglen,
                     "OMP_NUM_THREADS='%s' is not a number of threads from 1 to %u; "
                     "set it so, unset it, or give -w",
                     getenv("OMP_NUM_THREADS"), max_workers);
    opt->workers = (unsigned)v;
    opt->workers_from = "OMP_NUM_THREADS";
    return CLI_RUN;
}

enum cli_result cli_parse(struct options *opt, const struct program *prog, int argc,
                          char **argv, char *msg, size_t msglen)
{
    const char *given[OPT_END] = {NULL}; /* the value each option was first given */
    int c;

    set_defaults(opt, prog);
    msg[0] = '\0';
    opterr = 0;
    optind = 0; /* GNU: start afresh, so cli_parse can be called more than once */

    while ((c = getopt_long(argc, argv, short_options, long_options, NULL)) != -1) {
        const char *arg = optarg;

        switch (c) {
        case 'h':
            return CLI_HELP;
        case 'V':
            return CLI_VERSION;
        case 'q':
            opt->quiet = true;
            continue;
        case 'v':
            opt->verbose = true;
            continue;
        case 'y':
            opt->yes = true;
            continue;
        case ':':
            return error(msg, msglen, "option %s needs a value", option_name(optopt));
        case '?':
            return unknown_option(argv, msg, msglen);
        }

        /* An option given twice must say the same thing both times. */
        if (given[c] != NULL && strcmp(given[c], arg) != 0)
            return error(msg, msglen, "option %s given twice, as '%s' and as '%s'",
                         option_name(c), given[c], arg);
        given[c] = arg;
        if (take_value(opt, prog, c, arg, msg, msglen) != CLI_RUN)
            return CLI_ERROR;
    }

    if (optind < argc)
        return error(msg, msglen, "unexpected argument '%s'", argv[optind]);
    if (given['w'] == NULL && workers_from_env(opt, prog, msg, msglen) != CLI_RUN)
        return CLI_ERROR;
    if (given[OPT_LABEL] == NULL && getenv("PARLAB_LABEL") != NULL &&
        getenv("PARLAB_LABEL")[0] != '\0') {
        if (!cli_label_ok(getenv("PARLAB_LABEL")))
            return error(msg, msglen,
                         "PARLAB_LABEL='%s' is not a label: expected a name or id of 1 to %u "
                         "printable characters, without a space at either end; set it so, "
                         "unset it, or give --label",
                         quoted_label(getenv("PARLAB_LABEL")), CLI_MAX_LABEL);
        opt->label = getenv("PARLAB_LABEL");
    }
    /* Refused whichever kernel runs: a test that forces a variant must not pass
     * unnoticed on a CPU that cannot run it. */
    if (getenv("PARLAB_KERNEL_ISA") != NULL && getenv("PARLAB_KERNEL_ISA")[0] != '\0') {
        const char *isa = getenv("PARLAB_KERNEL_ISA");
        int lacks = kernel_simd_check_isa(isa) != 0 ? errno == ENOTSUP : -1;

        if (lacks >= 0)
            return error(msg, msglen,
                         lacks
                             ? "PARLAB_KERNEL_ISA='%s': this CPU lacks that instruction set; "
                               "unset it or choose another of %s"
                             : "PARLAB_KERNEL_ISA='%s' is not a variant of the simd kernel: "
                               "expected one of %s",
                         quoted_label(isa), kernel_simd_isas());
        kernel_simd_force(isa);
    }
    if (given['n'] != NULL && given['t'] != NULL)
        return error(msg, msglen, "options --size and --job-seconds exclude each other");
    if (given[OPT_SIZES] != NULL && (given['n'] != NULL || given['t'] != NULL))
        return error(msg, msglen,
                     "options --sizes and %s exclude each other: --sizes gives every job its n",
                     given['n'] != NULL ? "--size" : "--job-seconds");
    if (opt->runs_csv != NULL && opt->jobs_csv != NULL &&
        strcmp(opt->runs_csv, opt->jobs_csv) == 0)
        return error(msg, msglen, "--runs-csv and --jobs-csv name the same file '%s'",
                     opt->runs_csv);
    if (opt->slices_csv != NULL &&
        ((opt->runs_csv && strcmp(opt->slices_csv, opt->runs_csv) == 0) ||
         (opt->jobs_csv && strcmp(opt->slices_csv, opt->jobs_csv) == 0)))
        return error(msg, msglen, "--slices-csv names the same file '%s' as another CSV",
                     opt->slices_csv);
    if (opt->switch_ms > 0 && opt->lock.fraction != 1.0)
        return error(msg, msglen,
                     "--switch-interval hands a held lock over: it needs --lock held");
    return CLI_RUN;
}

void cli_print_help(const struct program *prog, FILE *out)
{
    fprintf(out, "Usage: %s [OPTION]...\n%s\n\n%s\n", prog->backend->name, prog->summary,
            prog->details);
    fprintf(out, "Options:\n");
    fprintf(out, "  -j, --jobs N         jobs in the queue (1 to %u; default 12)\n",
            CLI_MAX_JOBS);
    if (prog->backend->max_workers == 1)
        fprintf(out, "  -w, --workers W      workers: this program accepts only 1\n");
    else
        fprintf(out,
                "  -w, --workers W      %s that take jobs from the queue\n"
                "                       (1 to %u; default 3%s)\n",
                prog->backend->workers_are,
                prog->backend->max_workers < CLI_MAX_WORKERS ? prog->backend->max_workers
                                                             : CLI_MAX_WORKERS,
                prog->backend->openmp ? ", or OMP_NUM_THREADS when set" : "");
    fprintf(out,
            "  -n, --size N         kernel size: each job takes C(N,4) steps (0 to %llu)\n"
            "  -t, --job-seconds S  instead of -n, choose N so that one job takes about S\n"
            "                       seconds on this machine (0 < S <= %g; default 0.25);\n"
            "                       the N chosen is printed, to repeat a run with -n\n"
            "      --sizes SPEC     instead of -n or -t, jobs of unequal size: job k (from 0)\n"
            "                       gets its own N from SPEC, every one checked against the\n"
            "                       closed form for its N:\n"
            "                       list:N1,N2,...  job k gets N_(k mod count)\n"
            "                       ramp:A-B  from A for the first job to B for the last,\n"
            "                                 linearly, rounded (A > B: largest first)\n"
            "  -l, --lock MODE      none: jobs run without the global lock (default)\n"
            "                       held: each job holds the process's global lock for its\n"
            "                       whole kernel call, as numba's nogil=False holds the GIL\n"
            "                       fraction:F: each job holds it for the share F of its\n"
            "                       kernel steps (0 <= F <= 1), then runs the rest without:\n"
            "                       Amdahl's law, with F the serial fraction\n"
            "      --kernel KIND    scalar: one square root at a time (default); simd: the\n"
            "                       same steps, the innermost loop vectorised with OpenMP's\n"
            "                       simd construct, on the widest vectors this CPU has\n"
            "                       (PARLAB_KERNEL_ISA=sse2|avx2|avx512f chooses one)\n"
            "  -r, --reps R         counted runs (1 to %u; default 3), after an uncounted\n"
            "                       warm-up of one short job (0.05 s) per worker; median,\n"
            "                       min and max are reported\n"
            "  -p, --pin POLICY     where workers run, bound with hwloc (default none):\n"
            "                       none    wherever the scheduler puts them\n"
            "                       close   one per core in order; a core's second PU\n"
            "                               (SMT) only once every core has one\n"
            "                       spread  as far apart as possible: packages, then\n"
            "                               NUMA nodes, then caches\n"
            "                       pus:LIST  these OS PU numbers in order, e.g. pus:0,2,4-7\n"
            "                       More workers than PUs: placements wrap around.\n"
            "%s%s"
            "      --payload BYTES  every job takes an input of BYTES and returns an output\n"
            "                       of as many (0 to 1G; K, M, G: binary multiples), both\n"
            "                       checked; threads share them, processes move them\n"
            "      --transport T    processes only: how the payload travels: pipe (default),\n"
            "                       through pipes, copied as a process pool copies its\n"
            "                       arguments and results; shm, in shared memory\n"
            "      --switch-interval MS  with --lock held, hand the lock over every MS\n"
            "                       milliseconds (0 < MS <= 10000) when another worker\n"
            "                       waits, fairly, as CPython's GIL has since Python 3.2\n"
            "                       (it uses 5 ms)\n"
            "      --slices-csv FILE  append the stretches each job held the lock to FILE\n"
            "      --label NAME     who measured: a student's name or id (1 to 64\n"
            "                       printable characters), kept in the runs CSV so that a\n"
            "                       class's files can be merged (default: PARLAB_LABEL)\n"
            "      --runs-csv FILE  append one row per counted run to FILE\n"
            "      --jobs-csv FILE  append one row per job of every counted run to FILE\n"
            "                       (a new or empty file gets the header first)\n"
            "      --timeout S      stop a run that takes longer than S seconds (0 < S <=\n"
            "                       %g): its workers are stopped, nothing is written,\n"
            "                       and the program exits 1\n"
            "  -y, --yes            start even a run estimated to take more than an hour\n"
            "  -q, --quiet          print only the headline and the summary\n"
            "  -v, --verbose        print where each job ran: worker, host, pid, tid,\n"
            "                       planned PU, PU at its start and at its end\n"
            "  -h, --help           print this help and exit\n"
            "  -V, --version        print the version and exit\n\n"
            "Exit status: 0 when every job's result matched the closed form, 1 when a run\n"
            "failed or a result was wrong, 2 for a bad command line.\n",
            (unsigned long long)KERNEL_MAX_SIZE, CLI_MAX_JOB_SECONDS, CLI_MAX_REPS,
            !prog->backend->openmp
                ? ""
                : "      --schedule KIND[,CHUNK]  how the threads share out the jobs, as\n"
                  "                       OpenMP's schedule(KIND, CHUNK): static (chunks dealt\n"
                  "                       out in turn: job k to thread k / CHUNK mod W; without\n"
                  "                       CHUNK one block of jobs per thread), dynamic (a free\n"
                  "                       thread takes the next chunk) or guided (the same,\n"
                  "                       chunks shrinking); CHUNK 1 to 1000000, default 1 for\n"
                  "                       dynamic and guided (default: dynamic,1)\n",
            !prog->backend->hybrid
                ? ""
                : "  -T, --threads T      each rank runs T OpenMP threads (1 to 1024), all\n"
                  "                       taking jobs from the one queue: W = ranks x T\n"
                  "                       (start it with mpirun --bind-to none, or\n"
                  "                       --map-by slot:PE=T)\n",
            CLI_MAX_TIMEOUT);
}

void cli_print_version(const struct program *prog, FILE *out)
{
    fprintf(out, "%s (parlab) %s\n", prog->backend->name, PARLAB_VERSION);
    fprintf(out, "built with %s %s, hwloc %s%s%s\n",
#ifdef __clang__
            "clang",
#else
            "gcc",
#endif
            __VERSION__, topo_hwloc_version(), prog->runtime ? ", " : "",
            prog->runtime ? prog->runtime() : "");
}
