/*
 * fuzz_cli.c - libFuzzer over the command line: any words parse to a valid run, help,
 * version, or one line of error, and never crash.
 *
 * The input is split at NUL and newline characters into at most 24 words.  A valid
 * --pin is also planned on a synthetic 16-PU machine: every worker gets one of its
 * PUs, or the plan is refused with one line.  A valid --sizes gives every job a size
 * in range, a --schedule a kind and chunk in range, a label passes cli_label_ok.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parlab/cli.h"
#include "parlab/kernel.h"
#include "parlab/pin.h"
#include "parlab/sizes.h"
#include "parlab/topo.h"

static int no_jobs(struct run *run)
{
    (void)run;
    return 0;
}

static const struct backend fuzzed_backend = {
    .name = "parlab-fuzz", .workers_are = "workers", .worker = WORKER_THREAD,
    .max_workers = 1024, .shares_memory = true,
};
static const struct program fuzzed = {
    .backend = &fuzzed_backend, .summary = "s", .details = "d", .run_jobs = no_jobs,
};

#define REQUIRE(condition)                                                               \
    do {                                                                                 \
        if (!(condition))                                                                \
            __builtin_trap();                                                            \
    } while (0)

static void plan_on_a_synthetic_machine(const struct options *opt)
{
    static struct topo machine;
    static int loaded;
    int pus[CLI_MAX_WORKERS];
    char msg[256];

    if (!loaded) {
        REQUIRE(topo_load_synthetic(&machine, "pack:2 core:4 pu:2") == 0);
        loaded = 1;
    }
    if (pin_plan(&machine, &opt->pin, opt->workers, pus, msg, sizeof msg) != 0) {
        REQUIRE(opt->pin.kind == PIN_LIST && msg[0] != '\0' && strchr(msg, '\n') == NULL);
        return;
    }
    for (unsigned w = 0; w < opt->workers; w++)
        REQUIRE(opt->pin.kind == PIN_NONE ? pus[w] == -1 : pus[w] >= 0 && pus[w] < 16);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1), *argv[26], msg[256];
    struct options opt;
    int argc = 0;

    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    argv[argc++] = (char *)"parlab-fuzz";
    for (char *word = text; argc < 25 && word <= text + size;) {
        size_t len = strcspn(word, "\n");
        word[len] = '\0';
        argv[argc++] = word;
        word += len + 1;
    }
    argv[argc] = NULL;

    switch (cli_parse(&opt, &fuzzed, argc, argv, msg, sizeof msg)) {
    case CLI_RUN:
        REQUIRE(opt.jobs >= 1 && opt.jobs <= CLI_MAX_JOBS);
        REQUIRE(opt.workers >= 1 && opt.workers <= CLI_MAX_WORKERS);
        REQUIRE(opt.reps >= 1 && opt.reps <= CLI_MAX_REPS);
        REQUIRE(!opt.size_given || opt.size <= KERNEL_MAX_SIZE);
        REQUIRE(opt.job_seconds > 0 && opt.job_seconds <= CLI_MAX_JOB_SECONDS);
        REQUIRE(opt.timeout >= 0 && opt.timeout <= CLI_MAX_TIMEOUT);
        REQUIRE(opt.pin.kind != PIN_LIST || (opt.pin.npus >= 1 && opt.pin.npus <= PIN_MAX_LIST));
        for (size_t i = 0; opt.pin.kind == PIN_LIST && i < opt.pin.npus; i++)
            REQUIRE(opt.pin.pus[i] <= PIN_MAX_PU);
        REQUIRE(opt.sizes.kind == SIZES_NONE || (!opt.size_given && opt.sizes.text != NULL));
        REQUIRE(opt.sizes.kind != SIZES_LIST || opt.sizes.count >= 1);
        for (unsigned k = 0; opt.sizes.kind != SIZES_NONE && k < opt.jobs && k < 64; k++)
            REQUIRE(sizes_of(&opt.sizes, k, opt.jobs) <= KERNEL_MAX_SIZE);
        if (opt.sizes.kind != SIZES_NONE) /* the last job of a ramp gets B exactly */
            REQUIRE(opt.sizes.kind != SIZES_RAMP ||
                    sizes_of(&opt.sizes, opt.jobs - 1, opt.jobs) ==
                        (opt.jobs == 1 ? opt.sizes.from : opt.sizes.to));
        REQUIRE(opt.schedule.kind <= SCHEDULE_GUIDED && opt.schedule.chunk <= CLI_MAX_CHUNK &&
                (opt.schedule.chunk >= 1 || opt.schedule.kind == SCHEDULE_STATIC));
        REQUIRE(opt.label == NULL || cli_label_ok(opt.label));
        plan_on_a_synthetic_machine(&opt);
        break;
    case CLI_ERROR:
        REQUIRE(msg[0] != '\0' && strchr(msg, '\n') == NULL);
        break;
    case CLI_HELP:
    case CLI_VERSION:
        break;
    }
    pin_release(&opt.pin);
    sizes_release(&opt.sizes); /* the caller's, after an error too (plan_init takes it over) */
    free(text);
    return 0;
}
